"""Daily targets against worked Mifflin–St Jeor examples."""

import pytest

from mealplan.targets import (
    BodyData, TargetOverrides, bmr_mifflin_st_jeor, compute_targets, macro_grams, targets_for_profile,
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
    from meals.models import Diet

    person = make_person(diet=Diet.objects.get(slug="keto"), target_kcal=2000)
    targets = targets_for_profile(person.profile)
    assert (targets.kcal, targets.protein_g, targets.fat_g, targets.carb_g) == (2000, 100, 167, 25)
