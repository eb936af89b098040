"""Ingredient names -> USDA foods: curated names first, then a search preferring plain raw entries."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from meals.nutrition.food_scoring import FoodCandidate, Query, best_match, key_tokens, tokens
from meals.nutrition.matching import SYNONYMS_FILE, match_food, state_hints
from tests.nutrition_catalog import make_catalog


@pytest.fixture
def catalog(db):
    return make_catalog()


@pytest.mark.parametrize(
    ("name", "ndb"),
    [
        ("onion", "11282"),
        ("eggs", "01123"),
        ("extra-virgin olive oil", "04053"),
        ("all-purpose flour", "20081"),
        ("broccoli florets", "11090"),
        ("boneless skinless chicken breast", "05062"),
        ("olive oil or butter", "04053"),
    ],
)
def test_common_names_match_the_plain_entry(catalog, name, ndb):
    match = match_food(name)
    assert match.food is not None and match.food.source_id == ndb, match
    assert 0 < match.confidence <= 1


def test_search_prefers_raw_over_cooked_and_the_food_over_a_product_of_it(catalog):
    assert match_food("white onions").food.source_id == "11282"
    assert match_food("black olives").food.source_id == "09193", "olives are not olive oil"


def test_state_words_outside_the_name_pick_the_right_entry(catalog):
    hints = state_hints("", container="can")
    assert hints == ("canned",)
    assert match_food("diced tomatoes", hints=hints).food.source_id == "11531"
    assert match_food("diced tomatoes").food.source_id == "11529"


def test_unknown_food_is_unmatched_with_a_reason(catalog):
    match = match_food("asdf qwerty")
    assert match.food is None
    assert match.problem == "no food matches 'asdf qwerty'"
    assert match_food("123").problem == "no food name in '123'"


@pytest.mark.postgres
def test_postgres_trigram_search_survives_misspellings(catalog):
    assert match_food("brocolli").food.source_id == "11090"


def test_curated_names_are_unique_and_point_to_real_sr28_foods():
    shared = Path(settings.BASE_DIR).parent / "shared/data/usda-sr-legacy/foods.csv"
    if not shared.is_file():
        pytest.skip(f"shared USDA data not found at {shared}")
    with shared.open(newline="", encoding="utf-8") as handle:
        ndb_numbers = {row["ndb_no"] for row in csv.DictReader(handle)}
    with SYNONYMS_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    keys = [" ".join(tokens(row["name"])) for row in rows]
    assert len(keys) == len(set(keys)), "two rows normalise to the same name"
    assert [row for row in rows if row["ndb_no"] not in ndb_numbers] == []


def test_words_are_normalised_the_way_usda_writes_them():
    assert tokens("90/10 Ground Beef") == ("90%", "lean", "meat", "10%", "fat", "ground", "beef")
    assert tokens("Low-fat yoghurt, green chillies, jalapeños") == ("lowfat", "yogurt", "green", "chili", "jalapeno")


@pytest.mark.parametrize(
    ("name", "foods", "expected"),
    [
        ("almonds", ["Oil, almond", "Nuts, almonds", "Nuts, almond butter, plain"], "Nuts, almonds"),
        ("chicken thighs", ["Chicken, skin (drumsticks and thighs), raw",
                            "Chicken, broilers or fryers, dark meat, thigh, meat only, raw"],
         "Chicken, broilers or fryers, dark meat, thigh, meat only, raw"),
        ("cooked pinto beans", ["Beans, pinto, mature seeds, raw",
                                "Beans, pinto, mature seeds, cooked, boiled, without salt"],
         "Beans, pinto, mature seeds, cooked, boiled, without salt"),
        ("spinach", ["Spinach, frozen, chopped or leaf, cooked, boiled", "Spinach, raw", "Babyfood, spinach, creamed"],
         "Spinach, raw"),
        ("frozen cranberries", ["Cranberries, dried, sweetened", "Cranberries, raw"], "Cranberries, raw"),
        ("frozen peas", ["Peas, green, raw", "Peas, green, frozen, unprepared"], "Peas, green, frozen, unprepared"),
    ],
)
def test_ranking_prefers_the_food_itself_in_the_state_asked_for(name, foods, expected):
    frequencies = Counter(word for food in foods for word in set(tokens(food)))
    candidates = [FoodCandidate(index, food, category="Baby Foods" if "Babyfood" in food else "")
                  for index, food in enumerate(foods)]
    best, confidence = best_match(Query.build(key_tokens(name), frequencies, 8000), candidates)
    assert best.name == expected
    assert 0 < confidence <= 1


@pytest.fixture
def broths(catalog):
    from meals.models import Food
    from meals.nutrition.matching import forget_food_index

    made = {ndb: Food.objects.create(source="sr28", source_id=ndb, name=name, category=category, energy_kcal=kcal)
            for ndb, name, category, kcal in [
                ("06194", "Soup, chicken broth, ready-to-serve", "Soups, Sauces, and Gravies", 6),
                ("05311", "Chicken, canned, no broth", "Poultry Products", 185),
                ("16056", "Chickpeas (garbanzo beans, bengal gram), mature seeds, raw", "Legume and Legume Products", 378),
                ("16058", "Chickpeas (garbanzo beans, bengal gram), mature seeds, canned, solids and liquids",
                 "Legume and Legume Products", 139),
                ("01228", "Cheese, fresh, queso fresco", "Dairy and Egg Products", 299),
                ("12071", "Nuts, almond paste", "Nut and Seed Products", 458),
                ("20044", "Rice, white, long-grain, regular, raw, enriched", "Cereal Grains and Pasta", 365),
                ("20045", "Rice, white, long-grain, regular, enriched, cooked", "Cereal Grains and Pasta", 130),
            ]}
    forget_food_index()
    yield made
    forget_food_index()


def test_a_can_keeps_the_curated_food_unless_it_names_a_state_a_can_is_not(broths):
    canned = state_hints("", container="can")
    assert match_food("chicken broth", hints=canned).food.source_id == "06194", "not canned chicken meat"
    assert match_food("chickpeas", hints=canned).food.source_id == "16058", "not the raw dry seeds"


def test_words_that_only_describe_or_only_name_a_product_kind_choose_no_food(broths):
    assert match_food("fresh lingonberries").food is None, "no lingonberry in SR28; fresh alone is no cheese"
    assert match_food("tom yum paste").food is None, "an unknown paste is no almond paste"
    assert match_food("almond paste").food.source_id == "12071"


def test_steamed_or_leftover_rice_is_cooked_rice(broths):
    assert match_food("steamed basmati rice").food.source_id == "20045"
    assert match_food("leftover white rice").food.source_id == "20045"
    assert match_food("long-grain white rice").food.source_id == "20044"


def test_a_trademarked_brand_is_not_part_of_the_food_name(broths):
    assert match_food("Swanson® Chicken Broth").food.source_id == "06194"


@pytest.mark.postgres
def test_misspelling_search_never_lands_on_a_restaurant_item(broths):
    from meals.models import Food

    Food.objects.create(source="sr28", source_id="21234", name="McDONALD'S, QUARTER POUNDER", category="Fast Foods")
    assert match_food("quark").food is None


@pytest.mark.postgres
def test_a_misspelling_is_a_word_of_the_food_with_a_letter_or_two_wrong_then_matched_as_spelt(broths):
    from meals.models import Food

    Food.objects.create(source="sr28", source_id="16000", name="MORNINGSTAR FARMS Grillers Quarter Pound Veggie Burger",
                        category="Legumes and Legume Products")
    assert match_food("quark").food is None  # shares letters with "quarter", misspells no word of it
    assert match_food("brocolli florets").food.source_id == "11090"  # Broccoli, raw
