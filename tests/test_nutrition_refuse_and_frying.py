"""Weights as bought and frying oil: USDA's refuse for parts on the bone, the trimmed meat cut, the fat a fried
food takes up, and the curated names that state words ("skinless", a bunch) must not lose."""

import pytest

from meals.models import Food, FoodPortion
from meals.nutrition.matching import cut_before_form, match_food, shorter_names
from meals.services import ABSORBED_SHARE_OF_FOOD, resolve_lines
from tests.nutrition_catalog import make_catalog

POUND = 453.59
EXTRA_FOODS = {
    # ndb: (name, category, kcal), real SR28 rows
    "05091": ("Chicken, broilers or fryers, thigh, meat and skin, raw", "Poultry Products", 221),
    "05096": ("Chicken, broilers or fryers, dark meat, thigh, meat only, raw", "Poultry Products", 121),
    "05011": ("Chicken, broilers or fryers, meat only, raw", "Poultry Products", 119),
    "04044": ("Oil, soybean, salad or cooking", "Fats and Oils", 884),
    "11161": ("Collards, raw", "Vegetables and Vegetable Products", 32),
    "11086": ("Beet greens, raw", "Vegetables and Vegetable Products", 22),
    "15270": ("Crustaceans, shrimp, raw (not previously frozen)", "Finfish and Shellfish Products", 85),
    "19000": ("SCHIFF,TIGER'S MILK BAR", "Sweets", 457),
    "23177": ('Beef, rib eye steak, boneless, lip off, separable lean only, trimmed to 0" fat, choice, raw',
              "Beef Products", 162),
    "23231": ('Beef, rib eye steak, boneless, lip off, separable lean and fat, trimmed to 0" fat, choice, raw',
              "Beef Products", 241),
}


@pytest.fixture
def foods(db):
    made = make_catalog()
    for ndb, (name, category, kcal) in EXTRA_FOODS.items():
        made[ndb] = Food.objects.create(source="sr28", source_id=ndb, name=name, category=category, energy_kcal=kcal,
                                        protein_g=0, fat_g=0, carbohydrate_g=0)
    FoodPortion.objects.create(food=made["04044"], seq=1, amount=1, measure="tbsp", gram_weight=13.6)
    FoodPortion.objects.create(food=made["05096"], seq=1, amount=1, measure="thigh without skin", gram_weight=149)
    return made


def grams_and_food(text: str) -> tuple[float | None, str | None]:
    line = resolve_lines([text])[0]
    return line.grams, line.food.source_id if line.food else None


def test_thighs_by_weight_are_bought_skin_on_and_lose_usdas_bone(foods):
    grams, ndb = grams_and_food("2 pounds chicken thighs")
    assert ndb == "05091" and grams == pytest.approx(2 * POUND * 0.85, abs=0.1)  # refuse "Bone and cartilage 15%"
    grams, ndb = grams_and_food("2 pounds boneless, skinless chicken thighs")
    assert ndb == "05096" and grams == pytest.approx(2 * POUND, abs=0.1)
    assert grams_and_food("4 skinless chicken thighs") == (596, "05096")


def test_a_broiler_fryer_chicken_is_a_bird_not_a_frying_line(foods):
    line = resolve_lines(["1 (4 pound) broiler-fryer chicken"])[0]
    assert line.food.source_id == "05011"
    assert line.grams == pytest.approx(4 * POUND * 0.48, abs=0.1), "USDA 05011 refuse: 32 % bone, 20 % skin and fat"
    assert "frying" not in line.note


def test_frying_oil_without_an_amount_counts_a_share_of_the_fried_food(foods):
    flour, oil = resolve_lines(["2 cups all-purpose flour", "vegetable oil for frying, or as needed"])
    assert oil.food.source_id == "04044"
    assert oil.grams == pytest.approx(ABSORBED_SHARE_OF_FOOD * flour.grams, abs=0.01)
    assert "8% of the other ingredients' weight" in oil.note and "counted as 0 g" not in oil.note
    listed = resolve_lines(["2 tablespoons vegetable oil for frying"])[0]
    assert listed.grams == pytest.approx(2 * 13.6 * 0.1), "a listed amount: the absorbed share of it"


def test_a_line_of_skewers_is_equipment_but_skewered_food_is_food(foods):
    assert resolve_lines(["skewers", "12 wooden skewers, soaked", "2 cups all-purpose flour"])[0].food.source_id \
        == "20081"


def test_a_trimmed_cut_unless_the_line_asks_for_the_fat(foods):
    assert match_food("beef rib eye steaks").food.source_id == "23177"
    assert match_food("beef rib eye steaks, lean and fat").food.source_id == "23231"


def test_state_words_keep_the_curated_food_they_do_not_contradict(foods):
    assert match_food("collard greens", hints=("fresh",)).food.source_id == "11161", "a bunch of collards is fresh"
    assert match_food("tiger prawns").food.source_id == "15270", "an unknown head noun: its curated name"


def test_a_curated_name_is_found_under_words_that_only_describe_or_choose_a_kind():
    assert shorter_names(["sesame", "seed", "hamburger", "bun"]) == ["seed hamburger bun", "hamburger bun"]
    assert shorter_names(["hot", "strong", "coffee"]) == ["strong coffee", "coffee"]
    assert shorter_names(["smoked", "salmon"]) == [], "a state word is never dropped"
    assert shorter_names(["85%", "lean", "ground", "beef"]) == [], "nor a fat level"
    assert shorter_names(["almond", "milk"]) == [], "one word is left only when the others describe"
    assert shorter_names(["plain", "yogurt", "whole", "milk"]) == ["yogurt whole milk"], \
        "a word that names a food by itself is not dropped"


def test_the_cut_not_the_form_it_is_sold_in_is_the_head_noun():
    assert cut_before_form(["pork", "shoulder", "roast"]) == ["pork", "roast", "shoulder"]
    assert cut_before_form(["salmon", "steak"]) == ["steak", "salmon"]
    assert cut_before_form(["pork", "chop"]) == ["pork", "chop"], "the animal alone is no cut"
