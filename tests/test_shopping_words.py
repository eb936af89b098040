"""The shopping list in a shopper's words: names, aisles, raw for cooked, counts, merged variants."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from meals.groceries.costs import AISLES
from meals.groceries.shopper import reviewed, rule_aisle, rule_name, shopper_food
from meals.importers.catalog import read_catalog
from meals.importers.usda import import_usda
from meals.models import Food
from meals.services import catalog_line_texts, chosen_food_ids, read_lines
from mealplan.forms import ProfileForm
from mealplan.shopping.lists import IngredientUse, build_shopping_list

DEMO_FOODS = Path(settings.BASE_DIR) / "meals" / "demo" / "usda" / "foods.csv"
CATALOG = Path(settings.BASE_DIR) / "meals" / "data" / "catalog" / "publicdomainrecipes.jsonl"
SHARED_SR28 = Path(settings.BASE_DIR).parent / "shared" / "data" / "usda-sr-legacy"


def use(food_id, grams, ndb, name, group, factor=1.0):
    return IngredientUse(food_id=food_id, food_name=name, category=group, grams=grams, factor=factor, text=name,
                         recipe_title="Dish", source_id=ndb)


def only_item(shopping):
    (aisle,) = shopping.aisles
    (item,) = aisle.items
    return aisle.name, item


def test_every_demo_food_has_a_reviewed_shopper_name_and_a_store_aisle():
    with open(DEMO_FOODS, encoding="utf-8", newline="") as file:
        foods = list(csv.DictReader(file))
    assert foods and {food["ndb_no"] for food in foods} <= reviewed().keys()
    for food in foods:
        entry = shopper_food(food["ndb_no"], food["description"], food["food_group"])
        assert entry.name and len(entry.name) <= 30 and "," not in entry.name, food["description"]
        assert entry.aisle in AISLES, food["description"]


@pytest.mark.skipif(not SHARED_SR28.is_dir(), reason=f"shared USDA data not found at {SHARED_SR28}")
def test_every_food_the_catalog_import_chooses_has_a_reviewed_short_name_and_a_store_aisle(db):
    """The catalog's lines read as import_catalog reads them, against all of SR28: a food newly matched (a
    change to the matcher or the catalog) fails here until it has a reviewed row."""
    import_usda(SHARED_SR28)
    records = read_catalog(CATALOG)
    read = read_lines([text for record in records for text in catalog_line_texts(record)])
    foods = Food.objects.filter(id__in=chosen_food_ids(read.values())).order_by("source_id")
    assert len(foods) > 500
    assert [f"{food.source_id} {food.name}" for food in foods if food.source_id not in reviewed()] == []
    for food in foods:
        entry = shopper_food(food.source_id, food.name, food.category)
        assert entry.name == reviewed()[food.source_id].name
        assert entry.name and len(entry.name) <= 32 and "," not in entry.name, food.name
        assert entry.aisle in AISLES, food.name


def test_foods_nobody_reviewed_get_a_short_name_and_their_groups_aisle():
    assert rule_name("Cheese, gouda") == "Gouda cheese"
    assert rule_name("Spices, saffron") == "Saffron"
    assert rule_name("Leeks, (bulb and lower leaf-portion), raw") == "Leeks"
    assert rule_aisle("Beans, navy, canned", "Legumes and Legume Products") == "Canned & jarred"
    assert rule_aisle("Basil, fresh", "Spices and Herbs") == "Produce"
    assert rule_aisle("Spinach, frozen, chopped or leaf, unprepared", "Vegetables and Vegetable Products") == "Frozen"


def test_cooked_rice_and_beans_are_bought_dry_by_usda_cooking_yield():
    aisle, rice = only_item(build_shopping_list([use(1, 758, "20037", "Rice, brown, long-grain, cooked",
                                                     "Cereal Grains and Pasta")]))
    # 758 g cooked × (2.58 g protein cooked / 7.1 g raw per 100 g) = 275 g dry, bought as 300 g
    assert (aisle, rice.name, round(rice.grams), rice.amount) == ("Pantry", "Brown rice", 275, "300 g")
    _, beans = only_item(build_shopping_list([use(2, 500, "16015", "Beans, black, mature seeds, cooked",
                                                  "Legumes and Legume Products")]))
    assert (beans.name, round(beans.grams)) == ("Dried black beans", 205)


def test_cooked_meat_is_bought_raw_on_the_raw_foods_line():
    shopping = build_shopping_list([
        use(1, 280, "05012", "Chicken, broilers or fryers, meat only, cooked, fried", "Poultry Products"),
        use(2, 100, "05011", "Chicken, broilers or fryers, meat only, raw", "Poultry Products"),
    ])
    aisle, chicken = only_item(shopping)
    # 280 g fried × (30.57 g protein fried / 21.39 g raw per 100 g) = 400 g raw, plus the 100 g raw
    assert (aisle, chicken.name, round(chicken.grams)) == ("Meat & seafood", "Chicken meat", 500)
    _, grits = only_item(build_shopping_list([use(3, 257, "08091", "Cereals, corn grits, white, regular and quick, "
                                                  "enriched, cooked with water, without salt", "Breakfast Cereals")]))
    assert (grits.name, round(grits.grams)) == ("Corn grits", 58)  # 257 g cooked × 1.71 / 7.65


def test_countable_foods_are_bought_in_whole_pieces_and_cans():
    eggs_portions = {1: [("large", 50.0), ("medium", 44.0)]}
    _, eggs = only_item(build_shopping_list([use(1, 150, "01123", "Egg, whole, raw, fresh", "Dairy and Egg Products",
                                                 factor=1.25)], eggs_portions))
    assert eggs.amount == "4 eggs"  # 187.5 g of 50 g eggs = 3.75
    onion_portions = {2: [("cup, chopped", 160.0), ('medium (2-1/2" dia)', 110.0), ("large", 150.0)]}
    _, onions = only_item(build_shopping_list([use(2, 300, "11282", "Onions, raw", "Vegetables and Vegetable Products")],
                                              onion_portions))
    assert onions.amount == "3 onions"
    _, one = only_item(build_shopping_list([use(2, 60, "11282", "Onions, raw", "Vegetables and Vegetable Products")],
                                           onion_portions))
    assert one.amount == "1 onion"
    aisle, tomatoes = only_item(build_shopping_list([use(3, 650, "11531", "Tomatoes, red, ripe, canned",
                                                         "Vegetables and Vegetable Products")]))
    assert (aisle, tomatoes.name, tomatoes.amount) == ("Canned & jarred", "Chopped tomatoes", "2 cans (400 g)")
    _, potatoes = only_item(build_shopping_list([use(4, 600, "11507", "Sweet potato, raw", "Vegetables and Vegetable Products")],
                                                {4: [("cup, cubes", 133.0), ('medium (5" long)', 130.0)]}))
    assert potatoes.amount == "5 sweet potatoes"


def test_variants_of_one_food_are_one_line():
    shopping = build_shopping_list([
        use(7, 300, "15236", "Fish, salmon, Atlantic, farmed, raw", "Finfish and Shellfish Products"),
        use(5, 200, "15076", "Fish, salmon, Atlantic, wild, raw", "Finfish and Shellfish Products", factor=0.5),
    ])
    aisle, salmon = only_item(shopping)
    assert (aisle, salmon.name, salmon.grams, salmon.food_id, salmon.amount) == (
        "Meat & seafood", "Salmon fillet", 400, 5, "400 g")


def test_the_dislike_picker_shows_shopper_names(db):
    call_command("load_demo", verbosity=0)
    labels = [label for _, label in ProfileForm().fields["disliked_foods"].choices]
    assert "Salmon fillet" in labels and "Brown rice" in labels and "Eggs" in labels
    assert labels == sorted(labels, key=str.lower)
    assert not any("," in label for label in labels)
    assert Food.objects.filter(name__startswith="Leavening agents").exists() and "Baking powder" in labels


@pytest.mark.parametrize("aisle", AISLES)
def test_every_aisle_is_used_by_the_reviewed_table_or_group_rules(aisle):
    from meals.groceries.costs import food_groups

    assert aisle in {entry.aisle for entry in reviewed().values()} | {g.aisle for g in food_groups().values()}
