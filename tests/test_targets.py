"""Daily targets against worked Mifflin–St Jeor examples."""

import pytest

from meals.models import Diet
from mealplan.forms import ProfileForm
from mealplan.models import ActivityLevel, Goal
from mealplan.targets import (
    BodyData, TargetOverrides, bmr_mifflin_st_jeor, compute_targets, macro_grams, macro_split_for_diet,
    refusals, targets_for_profile,
)
from tests.planner_catalog import make_person

WOMAN = BodyData(sex="female", age=35, height_cm=170, weight_kg=70, activity_level="light", goal="maintain")
MAN = BodyData(sex="male", age=30, height_cm=180, weight_kg=80, activity_level="moderate", goal="lose")


def test_bmr_matches_worked_examples():
    # 10×70 + 6.25×170 − 5×35 − 161 and 10×80 + 6.25×180 − 5×30 + 5
    assert bmr_mifflin_st_jeor(sex="female", weight_kg=70, height_cm=170, age=35) == pytest.approx(1426.5)
    assert bmr_mifflin_st_jeor(sex="male", weight_kg=80, height_cm=180, age=30) == pytest.approx(1780)


def test_activity_and_goal_scale_energy_and_default_split_gives_macros():
    assert compute_targets(WOMAN).kcal == 1961  # 1426.5 × 1.375
    man = compute_targets(MAN)  # 1780 × 1.55 − 500
    assert (man.kcal, man.protein_g, man.fat_g, man.carb_g) == (2259, 141, 75, 254)
    assert man.warnings == ()


def test_diet_split_overrides_default():
    assert macro_grams(2000, (20, 75, 5)) == (100, 167, 25)


def test_person_overrides_win_and_macros_follow_overridden_energy():
    targets = compute_targets(WOMAN, overrides=TargetOverrides(kcal=2400, protein_g=160))
    assert (targets.kcal, targets.protein_g, targets.fat_g, targets.carb_g) == (2400, 160, 80, 270)
    assert targets.computed_kcal == 1961


def test_energy_below_safe_floor_is_raised_with_a_warning():
    small = BodyData(sex="female", age=60, height_cm=150, weight_kg=45, activity_level="sedentary", goal="lose")
    targets = compute_targets(small)  # 926.5 × 1.2 − 500 ≈ 612
    assert (targets.kcal, targets.computed_kcal) == (1200, 612)
    assert "below the safe minimum of 1,200 kcal" in targets.warnings[0]


def test_macro_overrides_far_from_energy_are_flagged():
    targets = compute_targets(WOMAN, overrides=TargetOverrides(protein_g=300, fat_g=150, carb_g=400))
    assert "add up to 4,150 kcal" in targets.warnings[0]


@pytest.mark.django_db
def test_profile_with_keto_diet_uses_its_split():
    person = make_person(diet=Diet.objects.get(slug="keto"), target_kcal=2000)
    targets = targets_for_profile(person.profile)
    assert (targets.kcal, targets.protein_g, targets.fat_g, targets.carb_g) == (2000, 100, 167, 25)


# A man whose BMR is a round 2000 kcal (10×102 + 6.25×180 − 5×30 + 5), so each factor gives a whole number.
ROUND_BMR = dict(sex="male", age=30, height_cm=180, weight_kg=102)


@pytest.mark.parametrize("activity, kcal", [
    ("sedentary", 2400), ("light", 2750), ("moderate", 3100), ("active", 3450), ("very_active", 3800),
])
def test_each_activity_level_scales_resting_energy_by_its_published_factor(activity, kcal):
    assert compute_targets(BodyData(**ROUND_BMR, activity_level=activity, goal="maintain")).kcal == kcal


@pytest.mark.parametrize("goal, kcal", [("lose", 1900), ("maintain", 2400), ("gain", 2700)])
def test_each_goal_moves_energy_by_its_fixed_amount(goal, kcal):
    assert compute_targets(BodyData(**ROUND_BMR, activity_level="sedentary", goal=goal)).kcal == kcal


def test_every_activity_level_and_goal_a_profile_offers_has_a_row_in_the_tables_above():
    assert set(ActivityLevel.values) == {"sedentary", "light", "moderate", "active", "very_active"}
    assert set(Goal.values) == {"lose", "maintain", "gain"}


@pytest.mark.parametrize("sex, floor", [("female", 1200), ("male", 1500)])
def test_energy_floor_per_sex_applies_below_it_and_only_below_it(sex, floor):
    body = BodyData(**{**ROUND_BMR, "sex": sex}, activity_level="sedentary", goal="maintain")
    below = compute_targets(body, overrides=TargetOverrides(kcal=floor - 1))
    assert below.kcal == floor
    assert below.warnings == (
        f"{floor - 1:,} kcal a day is below the safe minimum of {floor:,} kcal without medical supervision; "
        f"plans use {floor:,} kcal.",
    )
    at = compute_targets(body, overrides=TargetOverrides(kcal=floor))
    assert (at.kcal, at.warnings) == (floor, ())


def test_a_woman_may_plan_between_the_two_floors():
    woman = BodyData(**{**ROUND_BMR, "sex": "female"}, activity_level="sedentary", goal="maintain")
    assert compute_targets(woman, overrides=TargetOverrides(kcal=1300)).kcal == 1300


@pytest.mark.django_db
@pytest.mark.parametrize("slug, split, grams", [
    (None, (25, 30, 45), (125, 67, 225)),
    ("vegetarian", (25, 30, 45), (125, 67, 225)),
    ("vegan", (25, 30, 45), (125, 67, 225)),
    ("pescatarian", (25, 30, 45), (125, 67, 225)),
    ("gluten-free", (25, 30, 45), (125, 67, 225)),
    ("dairy-free", (25, 30, 45), (125, 67, 225)),
    ("keto", (20, 75, 5), (100, 167, 25)),
])
def test_each_diet_gives_its_macro_split_and_grams_at_2000_kcal(slug, split, grams):
    diet = Diet.objects.get(slug=slug) if slug else None
    assert macro_split_for_diet(diet) == split
    woman = BodyData(**{**ROUND_BMR, "sex": "female"}, activity_level="sedentary", goal="maintain")
    targets = compute_targets(woman, split, TargetOverrides(kcal=2000))
    assert (targets.protein_g, targets.fat_g, targets.carb_g) == grams
    assert targets.warnings == ()


@pytest.mark.django_db
def test_the_diet_table_above_covers_every_diet_shipped():
    assert set(Diet.objects.values_list("slug", flat=True)) == {"vegetarian", "vegan", "pescatarian", "gluten-free",
                                                              "dairy-free", "keto"}


@pytest.mark.parametrize("carb_g, warned", [(125, False), (124, True), (225, False), (226, True)])
def test_macros_are_flagged_only_beyond_ten_percent_of_energy(carb_g, warned):
    """protein 100 g (400 kcal) + fat 100 g (900 kcal) + carbs: 1,800 and 2,200 kcal are exactly 10 % off 2,000."""
    overrides = TargetOverrides(kcal=2000, protein_g=100, fat_g=100, carb_g=carb_g)
    targets = compute_targets(WOMAN, overrides=overrides)
    assert (targets.kcal, targets.carb_g) == (2000, carb_g)
    assert bool(targets.warnings) is warned


@pytest.mark.django_db
def test_profile_macro_overrides_reach_the_targets():
    person = make_person(target_kcal=2000, target_protein_g=150, target_fat_g=60, target_carb_g=215)
    targets = targets_for_profile(person.profile)
    assert (targets.kcal, targets.protein_g, targets.fat_g, targets.carb_g) == (2000, 150, 60, 215)


def test_a_macro_target_of_zero_is_refused():
    overrides = TargetOverrides(fat_g=0)
    problems = refusals(compute_targets(WOMAN, overrides=overrides), overrides)
    assert list(problems) == ["fat_g"] and "0 g cannot be planned for" in problems["fat_g"]


@pytest.mark.parametrize("protein, refused", [(190, False), (220, True)])
def test_macros_whose_energy_is_more_than_15_percent_off_the_energy_target_are_refused(protein, refused):
    """2,000 kcal with fat 67 g (603 kcal) and carbohydrate 225 g (900 kcal): protein 190 g makes
    2,263 kcal (13 % over: warned, accepted), 220 g makes 2,383 kcal (19 % over: refused)."""
    overrides = TargetOverrides(kcal=2000, protein_g=protein, fat_g=67, carb_g=225)
    energy = protein * 4 + 67 * 9 + 225 * 4
    assert (abs(energy / 2000 - 1) > 0.15) == refused
    problems = refusals(compute_targets(WOMAN, overrides=overrides), overrides)
    assert (None in problems) == refused
    if refused:
        assert f"add up to {energy:,} kcal" in problems[None] and "2,000 kcal energy target" in problems[None]


FORM_DATA = {"sex": "female", "age": "35", "height_cm": "170", "weight_kg": "70", "activity_level": "light",
             "goal": "maintain", "meals_per_day": "3", "household_size": "1", "max_repeats_per_week": "2"}


@pytest.mark.django_db
@pytest.mark.parametrize("targets, field", [
    ({"target_protein_g": "0"}, "target_protein_g"),
    ({"target_kcal": "2000", "target_protein_g": "300", "target_fat_g": "150", "target_carb_g": "300"}, "__all__"),
])
def test_profile_form_refuses_targets_no_plan_can_meet_and_says_why(targets, field):
    form = ProfileForm(data=FORM_DATA | targets)
    assert not form.is_valid()
    assert field in form.errors and ("0 g" in str(form.errors[field]) or "add up to" in str(form.errors[field]))


@pytest.mark.django_db
def test_profile_form_accepts_targets_that_agree():
    form = ProfileForm(data=FORM_DATA | {"target_kcal": "2000", "target_protein_g": "125", "target_fat_g": "67",
                                         "target_carb_g": "225"})
    assert form.is_valid(), form.errors
