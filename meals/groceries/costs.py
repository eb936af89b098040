"""Food prices and what a recipe costs. Pure: plain rows in, figures out.

A food's price per kg is data staff edit in the admin (Food.price_per_kg). Foods without one get
the typical shop price of their USDA food group from meals/data/food_groups.csv (reviewed rough
figures, in the site's currency; `manage.py load_food_prices` fills them in, never overwriting a
price staff set). A recipe's cost per serving is the sum of its weighed lines' grams × price,
divided by its servings; meals.services stores it when the nutrition is recomputed.
"""

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

GROUPS_FILE = Path(__file__).resolve().parent.parent / "data" / "food_groups.csv"
CENT = Decimal("0.01")
AISLES = ("Produce", "Meat & seafood", "Dairy & eggs", "Bakery", "Pantry", "Canned & jarred", "Spices", "Frozen",
          "Drinks")


@dataclass(frozen=True)
class FoodGroup:
    aisle: str
    price_per_kg: Decimal


@cache
def food_groups(path: Path = GROUPS_FILE) -> dict[str, FoodGroup]:
    """USDA food group name → its aisle and typical price per kg."""
    with open(path, encoding="utf-8", newline="") as file:
        return {row["food_group"]: FoodGroup(row["aisle"], Decimal(row["price_per_kg"])) for row in csv.DictReader(file)}


def recipe_cost_per_serving(lines: list[tuple[float | None, Decimal | None]], servings: int) -> Decimal | None:
    """(grams, price per kg) of each line; None when a weighed line's food has no price, since
    an unknown price is not a free food. Lines without grams add nothing (coverage says so), nor do lines
    counted as 0 g (a garnish, skewers), whatever their price."""
    total = Decimal(0)
    for grams, price_per_kg in lines:
        if not grams:
            continue
        if price_per_kg is None:
            return None
        total += Decimal(str(grams)) / 1000 * price_per_kg
    return (total / servings).quantize(CENT)
