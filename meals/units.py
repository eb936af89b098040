"""Turn a quantity in a canonical unit into grams of one food, with pint.

Mass converts directly. Volume needs the food's weight per volume: from one
of its USDA portions ("1 cup, chopped = 160 g") or, failing that, its
density. Counts and sizes ("2 large", "3 cloves", "1 slice") go through the
portion with that measure. Whatever cannot be converted comes back with the
reason, so it is flagged instead of counted as zero. No ORM in here.
"""

import re
from dataclasses import dataclass
from functools import cache

import pint

from meals.ingredients import MASS_UNITS, VOLUME_UNITS

PINT_NAMES = {
    "g": "gram", "kg": "kilogram", "mg": "milligram", "oz": "ounce", "lb": "pound",
    "ml": "milliliter", "cl": "centiliter", "dl": "deciliter", "l": "liter", "cup": "cup", "tbsp": "tablespoon", "tsp": "teaspoon",
    "fl oz": "fluid_ounce", "pint": "pint", "quart": "quart", "gallon": "gallon", "pinch": "pinch", "dash": "dash",
}
# USDA measure words (first word of FoodPortion.measure) that name a volume.
MEASURE_VOLUMES = {
    "cup": "cup", "cups": "cup", "tbsp": "tbsp", "tablespoon": "tbsp", "tsp": "tsp", "teaspoon": "tsp",
    "fl oz": "fl oz", "pint": "pint", "quart": "quart", "gallon": "gallon", "ml": "ml", "liter": "l", "l": "l",
    "dash": "dash", "pinch": "pinch",
}
# For a bare count ("3 eggs", "2 limes") the measure that means "one of them", best first.
ONE_ITEM_MEASURES = ("medium", "whole", "each", "item", "fruit", "large", "small", "piece", "serving")
ONE_ITEM_FALLBACK = ("", "large", "medium", "small", "piece")
MEASURE_WORD = re.compile(r"^\s*(fl oz|[a-z]+)")


@dataclass(frozen=True)
class Portion:
    id: int | None
    amount: float
    measure: str
    gram_weight: float

    @property
    def word(self) -> str:
        match = MEASURE_WORD.match(self.measure.lower())
        return match.group(1) if match else ""

    @property
    def grams_per_unit(self) -> float:
        return self.gram_weight / self.amount


@dataclass(frozen=True)
class Conversion:
    grams: float | None
    portion: Portion | None = None
    problem: str = ""


@cache
def registry() -> pint.UnitRegistry:
    units = pint.UnitRegistry()
    units.define("pinch = teaspoon / 16")
    units.define("dash = teaspoon / 8")
    return units


def in_unit(quantity: float, unit: str, target: str) -> float:
    units = registry()
    return (quantity * units(PINT_NAMES[unit])).to(units(PINT_NAMES[target])).magnitude


def singular_word(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def volume_portion(portions: list[Portion], unit: str, preparation: str) -> Portion | None:
    """The volume portion to weigh with: same unit first, then one whose modifier the cook used."""
    volumes = [p for p in portions if p.word in MEASURE_VOLUMES and p.gram_weight > 0]
    prep_words = set(re.findall(r"[a-z]+", preparation.lower()))

    def preference(portion: Portion) -> tuple:
        modifier = set(re.findall(r"[a-z]+", portion.measure.lower())) - {portion.word}
        return (MEASURE_VOLUMES[portion.word] != unit, not (modifier & prep_words), bool(modifier))

    return min(volumes, key=preference) if volumes else None


def count_portion(portions: list[Portion], unit: str, food_name: str) -> Portion | None:
    """The portion for this count unit; a size or piece falls back to a one-item measure:
    "medium", "whole" … or the food's own name ("1 avocado", "1 tortilla")."""
    exact = next((p for p in portions if singular_word(p.word) == unit), None) if unit else None
    if exact is not None or unit not in ONE_ITEM_FALLBACK:
        return exact
    for word in ONE_ITEM_MEASURES:
        found = next((p for p in portions if p.word == word), None)
        if found:
            return found
    name_words = {singular_word(word) for word in re.findall(r"[a-z]+", food_name.lower())}
    return next((p for p in portions if singular_word(p.word) in name_words), None)


def to_grams(quantity: float | None, unit: str, portions: list[Portion], *, density_g_per_ml: float | None = None,
             preparation: str = "", food_name: str = "the food") -> Conversion:
    if quantity is None:
        return Conversion(None, problem="no quantity given")
    if unit in MASS_UNITS:
        return Conversion(in_unit(quantity, unit, "g"))
    if unit in VOLUME_UNITS:
        portion = volume_portion(portions, unit, preparation)
        if portion is not None:
            measure = MEASURE_VOLUMES[portion.word]
            per_ml = portion.grams_per_unit / in_unit(1, measure, "ml")
            return Conversion(in_unit(quantity, unit, "ml") * per_ml, portion)
        if density_g_per_ml:
            return Conversion(in_unit(quantity, unit, "ml") * density_g_per_ml)
        return Conversion(None, problem=f"no volume portion or density for {food_name} to convert {unit}")
    portion = count_portion(portions, unit, food_name)
    if portion is not None:
        return Conversion(quantity * portion.grams_per_unit, portion)
    what = f"a “{unit}”" if unit else "one item"
    return Conversion(None, problem=f"no USDA portion says what {what} of {food_name} weighs")
