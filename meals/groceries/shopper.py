"""Foods in a shopper's words: a short name, a store aisle, what to buy for a cooked food, how to count it.

Pure. The reviewed table is meals/data/shopper_foods.csv, keyed by NDB number:
- `shopper_name`: what a shop calls it ("Brown rice", "Salmon fillet"); foods with the same name
  are one line on the shopping list (farmed and wild salmon are both "Salmon fillet").
- `aisle`: one of meals.groceries.costs.AISLES; empty means the food group's aisle (meals/data/food_groups.csv).
- `count_unit` (+ `unit_grams`): bought by the piece ("egg", "can", "head"); the weight of one comes
  from `unit_grams` or the food's USDA portion of that name (or its medium/large size).
- `raw_per_cooked`: for a cooked entry, grams of the raw or dry food per gram cooked, from USDA
  SR28: protein is neither gained nor lost by boiling or frying, so it is the cooked entry's protein
  per 100 g ÷ the raw entry's (cooked brown rice 20037 ÷ raw 20036 = 0.363).
- The aisle `Tap` is water from the tap: never on the shopping list.

A part of a food bought whole is counted in the whole food: lemon juice is "Lemons" counted by USDA's
"1 lemon yields" (48 g of juice), lemon peel by the zest of one lemon (`unit_grams`).
Liquids (`LIQUID_WORDS` in the shopper's name) are bought by volume, at the density of their USDA cup,
fluid ounce or spoon portion.

Foods not in the table get rules: the aisle of their food group (canned → "Canned & jarred",
frozen → "Frozen", fresh herbs → "Produce") and a name from USDA's description ("Cheese, feta" →
"Feta cheese", "Spices, basil, dried" → "Basil", "Onions, raw" → "Onions").
"""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from meals.groceries.costs import food_groups

SHOPPER_FILE = Path(__file__).resolve().parent.parent / "data" / "shopper_foods.csv"
DEFAULT_AISLE = "Other"  # a food staff entered without a USDA group
# USDA descriptions that start with a class of foods: the next part names the food ("Spices, basil").
CLASS_WORDS = frozenset({"spices", "nuts", "seeds", "fish", "crustaceans", "mollusks", "beverages", "cereals",
                         "snacks", "candies", "leavening agents", "alcoholic beverage"})
# ... or with a kind the next part qualifies ("Cheese, feta" → "Feta cheese").
KIND_WORDS = frozenset({"cheese", "beans", "oil", "sauce", "soup", "yogurt", "peppers", "squash", "lettuce", "rice",
                        "pasta", "noodles", "vinegar", "flour", "sugars", "milk", "bread", "juice"})
SIZE_PREFERENCE = ("medium", "fruit", "large", "small", "extra large", "whole")  # USDA's "1 fruit (2" dia)"
TAP = "Tap"  # the aisle of tap water: not bought
# A shopper's name with one of these words is bought by volume ("Whole milk 1.5 l"), unless it names a solid.
LIQUID_WORDS = frozenset({"milk", "cream", "buttermilk", "stock", "broth", "consomme", "oil", "vinegar", "juice",
                          "wine", "beer", "cider", "water", "sake", "brandy", "cognac", "spirits", "rum", "liqueur",
                          "extract", "syrup", "soy sauce", "fish sauce", "worcestershire sauce", "hot sauce",
                          "oyster sauce", "sriracha", "kefir", "drink"})
SOLID_WORDS = frozenset({"cheese", "sour", "ice", "chocolate", "powder", "condensed", "evaporated", "cubes", "butter",
                         "spray", "squirty", "whipped", "fraîche", "in water", "in oil", "chestnuts",
                         "flour", "cakes", "pastries"})
# Millilitres in USDA's volume measures.
VOLUME_ML = {"cup": 236.588, "fl oz": 29.5735, "tbsp": 14.7868, "tsp": 4.92892, "liter": 1000.0, "ml": 1.0,
             "milliliter": 1.0}
# Units that are a container or a part, never weighed by the food's size portions.
NOT_A_SIZE = frozenset({"can", "jar", "pack", "tin", "head", "bunch", "stick", "clove", "slice"})


@dataclass(frozen=True)
class ShopperFood:
    name: str
    aisle: str
    count_unit: str = ""
    unit_grams: float | None = None
    raw_per_cooked: float | None = None


@cache
def reviewed(path: Path = SHOPPER_FILE) -> dict[str, ShopperFood]:
    with open(path, encoding="utf-8", newline="") as file:
        return {
            row["ndb"]: ShopperFood(
                name=row["shopper_name"], aisle=row["aisle"], count_unit=row["count_unit"],
                unit_grams=float(row["unit_grams"]) if row["unit_grams"] else None,
                raw_per_cooked=float(row["raw_per_cooked"]) if row["raw_per_cooked"] else None,
            )
            for row in csv.DictReader(file)
        }


def rule_name(description: str) -> str:
    """A short name from a USDA description by the rules in the module docstring."""
    parts = [part.strip() for part in description.split(",") if part.strip()]
    if len(parts) > 1 and parts[0].lower() in CLASS_WORDS:
        return parts[1][:1].upper() + parts[1][1:]
    if len(parts) > 1 and parts[0].lower() in KIND_WORDS and parts[1].lower() not in {"raw", "cooked", "dried"}:
        return f"{parts[1][:1].upper()}{parts[1][1:]} {parts[0].lower()}"
    return parts[0] if parts else description


def rule_aisle(description: str, food_group: str) -> str:
    words = description.lower()
    if "canned" in words:
        return "Canned & jarred"
    if "frozen" in words:
        return "Frozen"
    if food_group == "Spices and Herbs" and "fresh" in words:
        return "Produce"
    group = food_groups().get(food_group)
    return group.aisle if group else DEFAULT_AISLE


def shopper_food(ndb: str, description: str, food_group: str) -> ShopperFood:
    """The reviewed entry, with the group's aisle where it gives none; else the rules."""
    entry = reviewed().get(ndb)
    if entry is None:
        return ShopperFood(name=rule_name(description), aisle=rule_aisle(description, food_group))
    if not entry.aisle:
        return ShopperFood(entry.name, rule_aisle(description, food_group), entry.count_unit, entry.unit_grams,
                           entry.raw_per_cooked)
    return entry


def bought_by_volume(name: str) -> bool:
    """Whether what the shopper's `name` says is a liquid ("Whole milk", not "Milk chocolate")."""
    name = name.lower()

    def names(words):
        return any(f" {word} " in f" {name} " for word in words)
    return names(LIQUID_WORDS) and not names(SOLID_WORDS)


def volume_density(portions: list[tuple[str, float]]) -> float | None:
    """Grams per millilitre from the first USDA portion that is a plain volume ("1 cup" 244 g → 1.03; not
    "1 cup, whipped")."""
    for measure, grams in portions:
        unit = measure.strip().lower()
        if unit in VOLUME_ML and grams > 0:
            return grams / VOLUME_ML[unit]
    return None


def unit_grams(food: ShopperFood, portions: list[tuple[str, float]]) -> float | None:
    """Grams of one counted piece: the table's, else the USDA portion named like the unit, else a size portion.

    `portions` are (measure, grams per unit) in USDA's order.
    """
    if not food.count_unit:
        return None
    if food.unit_grams:
        return food.unit_grams
    unit = food.count_unit.split()[0].lower()
    named = {}
    for measure, grams in portions:
        first = measure.split("(")[0].split(",")[0].strip().lower()
        named.setdefault(first, grams)
        named.setdefault(first.split(" ")[0] if first else "", grams)
    for key in (unit, *(() if unit in NOT_A_SIZE else SIZE_PREFERENCE)):
        if named.get(key):
            return named[key]
    return None
