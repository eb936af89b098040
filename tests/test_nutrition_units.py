"""Quantities to grams: mass directly, volume through a portion or density, counts through portions."""

import pytest

from meals.units import Portion, to_grams

ONION = [Portion(1, 1, "cup, chopped", 160), Portion(2, 1, 'medium (2-1/2" dia)', 110), Portion(3, 1, "large", 150)]
MILK = [Portion(4, 1, "cup", 244), Portion(5, 1, "fl oz", 30.5)]
GARLIC = [Portion(6, 1, "cup", 136), Portion(7, 1, "clove", 3)]
AVOCADO = [Portion(8, 1, "cup, cubes", 150), Portion(9, 1, "avocado, NS as to Florida or California", 201)]


@pytest.mark.parametrize(
    ("quantity", "unit", "grams"),
    [(200, "g", 200), (1, "kg", 1000), (1, "lb", 453.592), (8, "oz", 226.796), (500, "mg", 0.5)],
)
def test_mass_converts_directly(quantity, unit, grams):
    assert to_grams(quantity, unit, []).grams == pytest.approx(grams, rel=1e-4)


def test_volume_uses_the_food_portion_in_the_same_unit():
    conversion = to_grams(1.5, "cup", ONION, preparation="chopped")
    assert conversion.grams == pytest.approx(240)
    assert conversion.portion.measure == "cup, chopped"


def test_volume_in_another_unit_scales_through_pint():
    assert to_grams(2, "tbsp", MILK).grams == pytest.approx(244 / 8, rel=0.01)
    assert to_grams(250, "ml", MILK).grams == pytest.approx(244 * 250 / 236.588, rel=0.001)


def test_volume_without_portion_uses_density_or_says_why():
    assert to_grams(100, "ml", [], density_g_per_ml=0.92).grams == pytest.approx(92)
    missing = to_grams(1, "cup", [], food_name="Salt, table")
    assert missing.grams is None
    assert missing.problem == "no volume portion or density for Salt, table to convert cup"


def test_counts_and_sizes_go_through_portions():
    assert to_grams(1, "medium", ONION).grams == 110
    assert to_grams(2, "large", ONION).grams == 300
    assert to_grams(3, "clove", GARLIC).grams == 9
    assert to_grams(1, "", ONION).grams == 110, "a bare count is a medium one"
    assert to_grams(2, "", AVOCADO, food_name="Avocados, raw").grams == 402, "or one named like the food"


def test_unconvertible_count_has_a_reason():
    conversion = to_grams(2, "slice", ONION, food_name="Onions, raw")
    assert conversion.grams is None
    assert "slice" in conversion.problem and "Onions, raw" in conversion.problem
    assert to_grams(None, "", ONION).problem == "no quantity given"
