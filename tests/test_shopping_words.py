"""The shopping list in a shopper's words: names, aisles, raw for cooked, counts, merged variants."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from meals.costs import AISLES
from meals.models import Food
from meals.shopper import reviewed, rule_aisle, rule_name, shopper_food
from mealplan.forms import ProfileForm
from mealplan.shopping import IngredientUse, build_shopping_list

DEMO_FOODS = Path(settings.BASE_DIR) / "meals" / "demo" / "usda" / "foods.csv"
# The foods the bundled catalog's recipes use: `import_catalog … --write-foods` writes it after an import.
CATALOG_FOODS = Path(settings.BASE_DIR) / "meals" / "data" / "catalog" / "foods.csv"


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


def test_every_food_the_catalog_uses_has_a_reviewed_short_name_and_a_store_aisle():
    with open(CATALOG_FOODS, encoding="utf-8", newline="") as file:
        foods = list(csv.DictReader(file))
    assert len(foods) > 500
    unreviewed = [food["description"] for food in foods if food["ndb"] not in reviewed()]
    assert not unreviewed
    for food in foods:
        entry = shopper_food(food["ndb"], food["description"], food["food_group"])
        assert entry.name == reviewed()[food["ndb"]].name
        assert entry.name and len(entry.name) <= 32 and "," not in entry.name, food["description"]
        assert entry.aisle in AISLES, food["description"]


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
    from meals.costs import food_groups

    assert aisle in {entry.aisle for entry in reviewed().values()} | {g.aisle for g in food_groups().values()}
