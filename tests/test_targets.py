"""Daily targets against worked Mifflin–St Jeor examples, and for ages 2–17 the IOM 2005 EER equations."""

from types import SimpleNamespace

import pytest

from meals.models import Diet
from mealplan.forms import ProfileForm
from mealplan.models import ActivityLevel, Goal
from mealplan.people.targets import (
    BodyData, NotPlanned, TargetOverrides, bmr_mifflin_st_jeor, compute_targets, eer_child, macro_grams,
    macro_split_for_diet, pal_category, refusals, targets_for_profile,
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


@pytest.mark.parametrize("age, kcal", [(17, 1000), (18, 1200)])
def test_the_adult_energy_floor_starts_at_18(age, kcal):
    """A teenager's own 1,000 kcal stays (growth needs are the EER's, with no adult floor); from 18 it is raised."""
    body = BodyData(sex="female", age=age, height_cm=150, weight_kg=42, activity_level="sedentary", goal="maintain")
    assert compute_targets(body, overrides=TargetOverrides(kcal=1000)).kcal == kcal


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


@pytest.mark.parametrize("field, label", [("protein_g", "protein"), ("fat_g", "fat"), ("carb_g", "carbohydrate")])
def test_each_macro_target_of_zero_is_refused_in_its_own_words(field, label):
    overrides = TargetOverrides(**{field: 0})
    assert refusals(compute_targets(WOMAN, overrides=overrides), overrides) == {field: (
        f"A daily {label} target of 0 g cannot be planned for: every recipe has some. "
        "Leave it empty to use the computed value.")}


def test_the_mismatch_refusal_says_by_how_much_and_exactly_15_percent_is_still_accepted():
    """2,383 kcal of macros against 2,000 is 19 % off; 197 g protein, 68 g fat and 225 g carbohydrate
    make 2,300 kcal, exactly 15 % off, which is accepted."""
    refused = TargetOverrides(kcal=2000, protein_g=220, fat_g=67, carb_g=225)
    assert refusals(compute_targets(WOMAN, overrides=refused), refused) == {None: (
        "Your protein, fat and carbohydrate targets add up to 2,383 kcal (4, 9 and 4 kcal a gram), 19% away "
        "from your 2,000 kcal energy target: no day can meet both. Make them agree within 15%, or leave them empty.")}
    edge = TargetOverrides(kcal=2000, protein_g=197, fat_g=68, carb_g=225)
    assert refusals(compute_targets(WOMAN, overrides=edge), edge) == {}


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


# Children and teenagers: IOM 2005 estimated energy requirement (mealplan.people.targets.eer_child), by hand.
# Activity levels in order sedentary, light, moderate, active, very active; their factors 1.2, 1.375,
# 1.55, 1.725, 1.9 fall in IOM's PAL categories inactive, inactive, low active, active, very active.
ACTIVITY_ORDER = ("sedentary", "light", "moderate", "active", "very_active")


def test_each_activity_level_falls_in_the_iom_pal_category_holding_its_factor():
    assert [pal_category(level) for level in ACTIVITY_ORDER] == [0, 0, 1, 2, 3]


@pytest.mark.parametrize("sex, age, height_cm, weight_kg, kcal", [
    # boys 3–8: 88.5 − 61.9×6 = −282.9; 26.7×21 + 903×1.16 = 1608.18; PA 1.00/1.13/1.26/1.42; + 20
    ("male", 6, 116, 21, (1345, 1345, 1554, 1763, 2021)),
    # 88.5 − 61.9×8 = −406.7; 26.7×26 + 903×1.28 = 1850.04; + 20 (8 is the last year of this band)
    ("male", 8, 128, 26, (1463, 1463, 1704, 1944, 2240)),
    # boys 9–18: 88.5 − 61.9×9 = −468.6; 26.7×28 + 903×1.33 = 1948.59; + 25
    ("male", 9, 133, 28, (1505, 1505, 1758, 2012, 2323)),
    # 88.5 − 61.9×14 = −778.1; 26.7×53 + 903×1.64 = 2896.02; + 25
    ("male", 14, 164, 53, (2143, 2143, 2519, 2896, 3359)),
    # girls 3–8: 135.3 − 30.8×6 = −49.5; 10×20.5 + 934×1.15 = 1279.1; PA 1.00/1.16/1.31/1.56; + 20
    ("female", 6, 115, 20.5, (1250, 1250, 1454, 1646, 1966)),
    # 135.3 − 30.8×8 = −111.1; 10×25.5 + 934×1.27 = 1441.18; + 20
    ("female", 8, 127, 25.5, (1350, 1350, 1581, 1797, 2157)),
    # girls 9–18: 135.3 − 30.8×9 = −141.9; 10×28 + 934×1.32 = 1512.88; + 25
    ("female", 9, 132, 28, (1396, 1396, 1638, 1865, 2243)),
    # 135.3 − 30.8×14 = −295.9; 10×51 + 934×1.61 = 2013.74; + 25
    ("female", 14, 161, 51, (1743, 1743, 2065, 2367, 2871)),
    # 135.3 − 30.8×17 = −388.3; 10×56 + 934×1.63 = 2082.42; + 25 (17: the last year before adult targets)
    ("female", 17, 163, 56, (1719, 1719, 2052, 2365, 2885)),
    # 13–35 months: 89 × weight − 100 + 20, whatever the activity: 89×12.4 − 80 = 1023.6; 89×11.8 − 80 = 970.2
    ("male", 2, 88, 12.4, (1024,) * 5),
    ("female", 2, 86, 11.8, (970,) * 5),
])
def test_children_and_teenagers_get_the_iom_2005_eer_for_their_sex_age_band_and_activity(
        sex, age, height_cm, weight_kg, kcal):
    computed = []
    for activity in ACTIVITY_ORDER:
        body = BodyData(sex=sex, age=age, height_cm=height_cm, weight_kg=weight_kg, activity_level=activity,
                        goal="maintain")
        targets = compute_targets(body, macro_split_for_diet(None, age))
        assert targets.kcal == targets.computed_kcal == round(eer_child(
            sex=sex, age=age, height_cm=height_cm, weight_kg=weight_kg, activity_level=activity))
        assert targets.warnings == ()  # no adult floor: a toddler's 970 kcal stays 970
        computed.append(targets.kcal)
    assert tuple(computed) == kcal


def test_from_18_the_adult_formula_applies():
    """17: EER above (1,719 kcal sedentary); 18: Mifflin–St Jeor 10×56 + 6.25×163 − 5×18 − 161 = 1327.75, × 1.2."""
    body = dict(sex="female", height_cm=163, weight_kg=56, activity_level="sedentary", goal="maintain")
    assert compute_targets(BodyData(age=17, **body)).kcal == 1719
    assert compute_targets(BodyData(age=18, **body)).kcal == 1593
    with pytest.raises(ValueError, match="eer_child is for ages 2–17, not 18: adults use Mifflin"):
        eer_child(sex="female", age=18, height_cm=163, weight_kg=56, activity_level="sedentary")


@pytest.mark.parametrize("age", [0, 1])
def test_under_two_is_not_planned_and_says_so(age):
    body = BodyData(sex="male", age=age, height_cm=75, weight_kg=9.5, activity_level="light", goal="maintain")
    with pytest.raises(NotPlanned, match="Children under 2 are not planned"):
        compute_targets(body)


def test_weight_goals_are_not_applied_under_18_and_the_page_says_why():
    body = BodyData(sex="male", age=14, height_cm=164, weight_kg=53, activity_level="sedentary", goal="lose")
    targets = compute_targets(body)
    assert targets.kcal == 2143
    assert targets.warnings == ("Weight goals are not applied under 18: the estimate is what a growing body needs. "
                                "Ask a doctor before changing it.",)


@pytest.mark.parametrize("age, split", [(2, (15, 35, 50)), (3, (15, 35, 50)), (4, (25, 30, 45)), (17, (25, 30, 45))])
def test_children_up_to_3_get_a_split_within_their_own_acceptable_ranges(age, split):
    assert macro_split_for_diet(None, age) == split


def test_a_toddlers_profile_gets_the_toddler_split():
    """targets_for_profile reads a profile's plain fields: a 3-year-old without a diet gets 15/35/50."""
    toddler = SimpleNamespace(sex="male", age=3, height_cm=95, weight_kg=14.3, activity_level="light",
                              goal="maintain", diet=None, target_kcal=1000, target_protein_g=None, target_fat_g=None,
                              target_carb_g=None)
    targets = targets_for_profile(toddler)
    assert (targets.kcal, targets.protein_g, targets.fat_g, targets.carb_g) == (1000, 38, 39, 125)


def test_a_toddlers_grams_follow_the_toddler_split():
    """970 kcal: protein 15 % = 36.4 g, fat 35 % = 37.7 g, carbohydrate 50 % = 121.3 g."""
    body = BodyData(sex="female", age=2, height_cm=86, weight_kg=11.8, activity_level="light", goal="maintain")
    targets = compute_targets(body, macro_split_for_diet(None, 2))
    assert (targets.kcal, targets.protein_g, targets.fat_g, targets.carb_g) == (970, 36, 38, 121)
