"""recipe_nutrition on plain numbers: per-serving sums, missing data, unresolved lines, rounding."""

import pytest

from meals.nutrition.arithmetic import IngredientAmount, recipe_nutrition
from meals.nutrition.nutrients import CORE_NUTRIENT_FIELDS

EGG = {"energy_kcal": 143.0, "protein_g": 12.56, "fat_g": 9.51, "carbohydrate_g": 0.72, "sodium_mg": 142.0}
OIL = {"energy_kcal": 884.0, "protein_g": None, "fat_g": 100.0, "saturated_fat_g": 13.333}


def test_lines_are_summed_by_weight_and_divided_by_servings():
    lines = [IngredientAmount(150, EGG), IngredientAmount(None, EGG), IngredientAmount(15, OIL)]
    result = recipe_nutrition(lines, servings=2)
    assert result.per_serving == {
        "energy_kcal": 173.55,  # (1.5 × 143 + 0.15 × 884) / 2
        "protein_g": 9.42,  # 1.5 × 12.56 / 2; the oil's "no data" adds nothing
        "fat_g": 14.63,  # (1.5 × 9.51 + 0.15 × 100) / 2 = 14.6325
        "saturated_fat_g": 1.0,  # 0.15 × 13.333 / 2 = 0.999975
        "carbohydrate_g": 0.54,
        "fiber_g": 0.0,
        "sugars_g": 0.0,
        "sodium_mg": 106.5,
    }
    assert result.coverage == 0.667  # 2 of 3 lines resolved to grams; the unresolved one adds nothing
    assert result.grams_per_serving == 82.5  # (150 + 15) / 2: the planner's meal mass ceilings read it
    assert recipe_nutrition(lines, servings=7).grams_per_serving == 23.6  # 23.571…, kept to a tenth of a gram


def test_one_serving_is_the_whole_recipe_and_no_lines_is_all_zero():
    assert recipe_nutrition([IngredientAmount(100, EGG)], servings=1).per_serving["energy_kcal"] == 143.0
    empty = recipe_nutrition([], servings=4)
    assert empty.per_serving == dict.fromkeys(CORE_NUTRIENT_FIELDS, 0.0) and empty.coverage == 0.0
    unresolved = recipe_nutrition([IngredientAmount(None, EGG)], servings=1)
    assert unresolved.coverage == 0.0 and unresolved.per_serving["energy_kcal"] == 0.0


@pytest.mark.parametrize("servings", [0, -1])
def test_servings_must_be_positive(servings):
    with pytest.raises(ValueError, match="^servings must be positive$"):
        recipe_nutrition([IngredientAmount(100, EGG)], servings=servings)
