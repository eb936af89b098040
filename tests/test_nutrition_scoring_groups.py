"""Beverages, snacks, dishes, baby and restaurant foods, and mixes never stand in for a plain ingredient."""

from collections import Counter

import pytest

from meals.nutrition.food_scoring import FoodCandidate, Query, best_match, key_tokens, tokens

FOODS = [
    FoodCandidate(1, "Beverages, whiskey sour mix, powder", "Beverages"),
    FoodCandidate(2, "Cake, yellow, enriched, dry mix", "Baked Products"),
    FoodCandidate(3, "Snacks, granola bites, mixed flavors", "Snacks"),
    FoodCandidate(4, "Cereals ready-to-eat, granola, homemade", "Breakfast Cereals"),
    FoodCandidate(5, "Cream, fluid, heavy whipping", "Dairy and Egg Products"),
    FoodCandidate(7, "Babyfood, fruit, applesauce, strained", "Baby Foods"),
    FoodCandidate(8, "Applesauce, canned, unsweetened", "Fruits and Fruit Juices"),
    FoodCandidate(9, "Alcoholic beverage, wine, table, red", "Beverages"),
]


def best(name: str) -> int | None:
    frequencies = Counter(word for food in FOODS for word in set(tokens(food.name)))
    found, _ = best_match(Query.build(key_tokens(name), frequencies, 8000), FOODS)
    return found.id if found else None


@pytest.mark.parametrize(("name", "food_id"), [
    ("yellow cake mix", 2), ("granola", 4), ("applesauce", 8), ("red wine", 9),
])
def test_a_plain_ingredient_is_never_a_beverage_snack_or_baby_food_unless_named(name, food_id):
    assert best(name) == food_id

