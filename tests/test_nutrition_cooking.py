"""The fat ground meat renders in cooking (meals.nutrition.cooking): the share kept comes from SR28's raw and cooked
entries, and a recipe counts the raw meat's weight with the cooked meat's fat."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from meals.importers.usda import import_usda
from meals.nutrition import cooking
from meals.nutrition.cooking import cooked_per_100g, fat_retained, fat_retention_rows, name_key
from meals.services import line_amount, resolve_lines, set_recipe_nutrition
from meals.models import Recipe

SHARED_SR28 = Path(settings.BASE_DIR).parent / "shared/data/usda-sr-legacy"
needs_usda = pytest.mark.skipif(not SHARED_SR28.is_dir(), reason=f"shared USDA data not found at {SHARED_SR28}")
BEEF_80 = {"energy_kcal": 254.0, "protein_g": 17.17, "fat_g": 20.0, "saturated_fat_g": 7.6, "carbohydrate_g": 0.0}


def sr28_foods() -> list[dict]:
    nutrients: dict[str, dict[str, float]] = {}
    with SHARED_SR28.joinpath("food_nutrients.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["nutrient_id"] in ("203", "204"):
                nutrients.setdefault(row["ndb_no"], {})[row["nutrient_id"]] = float(row["amount_per_100g"])
    with SHARED_SR28.joinpath("foods.csv").open(newline="", encoding="utf-8") as handle:
        return [{"ndb_no": row["ndb_no"], "name": row["description"], "food_group": row["food_group"],
                 "protein_g": nutrients.get(row["ndb_no"], {}).get("203"),
                 "fat_g": nutrients.get(row["ndb_no"], {}).get("204")} for row in csv.DictReader(handle)]


def test_the_name_without_its_cooking_state_pairs_raw_and_cooked_entries():
    assert name_key("Beef, ground, 93% lean meat / 7% fat, raw") == name_key(
        "Beef, ground, 93% lean meat / 7% fat, crumbles, cooked, pan-browned")
    assert name_key("Ground turkey, raw") == name_key("Ground turkey, cooked")
    assert name_key("Beef, ground, 80% lean meat / 20% fat, raw") != name_key(
        "Beef, ground, 85% lean meat / 15% fat, crumbles, cooked, pan-browned")


def test_the_share_kept_is_the_cooked_weight_of_the_raw_protein_times_the_cooked_fat():
    foods = [
        {"ndb_no": "23572", "name": "Beef, ground, 80% lean meat / 20% fat, raw", "food_group": "Beef Products",
         "protein_g": 17.17, "fat_g": 20.0},
        {"ndb_no": "23574", "name": "Beef, ground, 80% lean meat / 20% fat, patty, cooked, pan-broiled",
         "food_group": "Beef Products", "protein_g": 24.04, "fat_g": 15.94},
        {"ndb_no": "23575", "name": "Beef, ground, 80% lean meat / 20% fat, crumbles, cooked, pan-browned",
         "food_group": "Beef Products", "protein_g": 27.0, "fat_g": 17.36},
        {"ndb_no": "11001", "name": "Spices, ginger, ground, raw", "food_group": "Spices and Herbs",
         "protein_g": 9.0, "fat_g": 4.0},
    ]
    [row] = fat_retention_rows(foods)
    assert (row["raw_ndb"], row["cooked_ndb"]) == ("23572", "23575"), "crumbles, not the patty; no spice"
    assert float(row["fat_retained"]) == pytest.approx(17.17 / 27.0 * 17.36 / 20.0, abs=0.005)


def test_cooked_nutrients_lose_the_rendered_fat_and_its_energy_only(monkeypatch):
    monkeypatch.setattr(cooking, "fat_retained", lambda: {"23572": 0.55})
    monkeypatch.setattr(cooking, "RENDERED_FAT_DISCARDED", 1.0)
    cooked = cooked_per_100g("23572", BEEF_80)
    assert cooked["fat_g"] == pytest.approx(11.0)
    assert cooked["saturated_fat_g"] == pytest.approx(7.6 * 0.55)
    assert cooked["energy_kcal"] == pytest.approx(254 - 9 * 9.0)
    monkeypatch.setattr(cooking, "RENDERED_FAT_DISCARDED", 0.5)
    half_drained = cooked_per_100g("23572", BEEF_80)
    assert half_drained["fat_g"] == pytest.approx(20 - 4.5), "half of the 9 g rendered stays in the dish"
    assert half_drained["energy_kcal"] == pytest.approx(254 - 9 * 4.5)
    assert cooked["protein_g"] == 17.17, "protein stays in the meat"
    assert cooked_per_100g("", BEEF_80) is BEEF_80, "a food that renders nothing (or not of SR28) is unchanged"
    assert cooked_per_100g("23572", {**BEEF_80, "fat_g": None})["energy_kcal"] == 254


@needs_usda
def test_the_retention_file_is_what_sr28_gives():
    derived = {row["raw_ndb"]: float(row["fat_retained"]) for row in fat_retention_rows(sr28_foods())}
    assert fat_retained() == derived
    assert derived["23572"] == pytest.approx(0.55, abs=0.01), "80/20 beef keeps about half its fat"
    assert derived["23472"] > 0.95 and derived["05665"] > 0.95, "lean beef and turkey keep nearly all"
    assert 0.6 < derived["10219"] < 0.7 and 0.5 < derived["17224"] < 0.6, "pork and lamb"


@needs_usda
@pytest.mark.django_db
def test_a_recipe_counts_ground_beef_bought_raw_with_the_cooked_meats_fat():
    import_usda(SHARED_SR28, only_ids={"23572", "23575", "11282"})
    lines = resolve_lines(["1 pound ground beef", "1 onion, chopped"])
    beef = lines[0]
    assert beef.food.source_id == "23572" and beef.grams == pytest.approx(453.59, abs=0.01), "the weight bought"
    assert cooking.NOTE in beef.note and cooking.NOTE not in lines[1].note
    amount = line_amount(beef)
    kept = 1 - (1 - fat_retained()["23572"]) * cooking.RENDERED_FAT_DISCARDED
    assert amount.per_100g["fat_g"] == pytest.approx(20.0 * kept)
    assert amount.per_100g["protein_g"] == pytest.approx(17.17)
    recipe = Recipe(title="Beef and onion", servings=4)
    set_recipe_nutrition(recipe, lines)
    raw_kcal = 453.59 * 254 / 100
    assert recipe.energy_kcal * 4 < raw_kcal, "less than the raw meat alone, onion included"
    assert recipe.fat_g * 4 == pytest.approx(453.59 * 20.0 * kept / 100, rel=0.01)
