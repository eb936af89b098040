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
SIZE_PREFERENCE = ("medium", "large", "small", "extra large", "whole")
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
