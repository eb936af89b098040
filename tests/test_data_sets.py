"""Integrity of the labelled benchmark data in tests/data/.

These files measure the nutrition engine's accuracy (`bench_nutrition`), so a typo in them
would silently skew every figure: each label must name a real USDA food and every reference
number must follow from USDA's values. No database is needed.
"""

import csv
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from django.conf import settings

DATA = Path(__file__).parent / "data"
USDA = Path(settings.BASE_DIR).parent / "shared/data/usda-sr-legacy"
needs_usda = pytest.mark.skipif(
    not USDA.is_dir(), reason=f"USDA SR28 folder not found at {USDA} (shared/ beside the repo)"
)

UNITS = {
    "", "g", "kg", "mg", "oz", "lb", "ml", "l", "cup", "tbsp", "tsp", "fl oz", "pint", "quart",
    "gallon", "pinch", "dash", "clove", "slice", "can", "jar", "package", "stick", "bunch",
    "sprig", "head", "piece", "large", "medium", "small",
}
NUTRIENT_FIELDS = {"208": "kcal_per_serving", "203": "protein_g", "204": "fat_g", "205": "carbohydrate_g"}
GRAMS_PER = {"g": 1.0, "kg": 1000.0, "oz": 28.349523125, "lb": 453.59237}
MASS_LINE = re.compile(r"^(?:1 \()?(\d+ \d+/\d+|\d+/\d+|\d+(?:\.\d+)?)\s*(g|kg|oz|lb)\b")


def ingredient_lines():
    with open(DATA / "ingredient_lines.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def reference_recipes():
    return json.loads((DATA / "reference_recipes.json").read_text(encoding="utf-8"))


def usda_csv(name):
    with open(USDA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_ingredient_set_is_large_and_has_the_documented_columns():
    rows = ingredient_lines()
    assert len(rows) >= 300
    assert list(rows[0]) == ["text", "quantity", "quantity_max", "unit", "ndb_ok"]
    texts = [row["text"] for row in rows]
    assert len(set(texts)) == len(texts), "duplicate ingredient lines"


def test_ingredient_units_come_from_the_vocabulary():
    unknown = {row["unit"] for row in ingredient_lines()} - UNITS
    assert not unknown


def test_ingredient_quantities_are_positive_and_ranges_ordered():
    for row in ingredient_lines():
        quantity, upper = row["quantity"], row["quantity_max"]
        if not quantity:
            assert not upper and not row["unit"], row["text"]
            continue
        assert float(quantity) > 0, row["text"]
        if upper:
            assert float(upper) > float(quantity), row["text"]


def test_every_ingredient_line_names_acceptable_foods():
    for row in ingredient_lines():
        numbers = row["ndb_ok"].split()
        assert numbers, row["text"]
        assert all(re.fullmatch(r"\d{5}", number) for number in numbers), row["text"]


@needs_usda
def test_ingredient_foods_exist_in_sr_legacy():
    in_legacy = {food["ndb_no"] for food in usda_csv("foods.csv") if food["in_sr_legacy"] == "1"}
    missing = {
        (row["text"], number)
        for row in ingredient_lines()
        for number in row["ndb_ok"].split()
        if number not in in_legacy
    }
    assert not missing


def test_reference_recipes_are_varied_and_complete():
    recipes = reference_recipes()
    assert len(recipes) >= 20
    assert {recipe["meal"] for recipe in recipes} == {"breakfast", "lunch", "dinner", "snack"}
    assert {"vegan", "vegetarian", "omnivore"} <= {recipe["diet"] for recipe in recipes}
    for recipe in recipes:
        assert recipe["servings"] > 0, recipe["title"]
        assert recipe["lines"], recipe["title"]
        for line in recipe["lines"]:
            assert line["text"].strip() and line["grams"] > 0, recipe["title"]


def test_reference_mass_lines_weigh_what_they_say():
    for recipe in reference_recipes():
        for line in recipe["lines"]:
            match = MASS_LINE.match(line["text"])
            if match:
                amount = sum(Fraction(part) for part in match.group(1).split())
                expected = float(amount) * GRAMS_PER[match.group(2)]
                assert line["grams"] == pytest.approx(expected, abs=0.051), line["text"]


@needs_usda
def test_reference_nutrition_recomputes_from_usda():
    per_100g = {
        (row["ndb_no"], row["nutrient_id"]): float(row["amount_per_100g"])
        for row in usda_csv("food_nutrients.csv")
        if row["nutrient_id"] in NUTRIENT_FIELDS
    }
    for recipe in reference_recipes():
        for nutrient, field in NUTRIENT_FIELDS.items():
            total = sum(
                line["grams"] / 100 * per_100g[(line["ndb"], nutrient)] for line in recipe["lines"]
            )
            assert recipe[field] == pytest.approx(total / recipe["servings"], abs=0.051), (
                recipe["title"],
                field,
            )
