"""The allergen rule table over all of SR28, its reviewed hard cases, and recipe derivation (pure)."""

import csv
import os
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings

from meals.nutrition.allergens import (ALLERGENS, FoodTags, RuleTableError, default_rules, is_keto, read_rules,
                                       recipe_tags)

USDA = Path(settings.BASE_DIR).parent / "shared/data/usda-sr-legacy"
HARD_CASES = Path(__file__).parent / "data" / "allergen_hard_cases.csv"
MEAT_GROUPS = {"Poultry Products", "Pork Products", "Beef Products", "Lamb, Veal, and Game Products",
               "Sausages and Luncheon Meats"}
# Under pytest-xdist (CI) the module's tests stay in one worker, which classifies SR28 once for all of them.
pytestmark = pytest.mark.xdist_group("sr28-classified")


def sr28_foods() -> list[dict]:
    if not (USDA / "foods.csv").is_file():
        message = f"USDA SR28 folder not found at {USDA} (shared/ beside the repo)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with open(USDA / "foods.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def classified():
    rules = default_rules()
    return {row["ndb_no"]: (row, rules.classify(row["description"], row["food_group"], row["ndb_no"]))
            for row in sr28_foods()}


def test_every_sr28_food_is_classified_and_every_allergen_occurs(classified):
    assert len(classified) == 8789
    counts = Counter(allergen for _, tags in classified.values() for allergen in tags.allergens)
    assert set(counts) == set(ALLERGENS)
    # Broad sanity: a quarter of SR28 is wheat-based and a fifth dairy; an empty rule would not get there.
    assert counts["gluten"] > 1500 and counts["milk"] > 1200 and counts["eggs"] > 400


def hard_cases() -> list[dict]:
    with open(HARD_CASES, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("case", hard_cases(), ids=lambda case: f"{case['ndb']}-{case['name'][:40]}")
def test_reviewed_hard_case(classified, case):
    row, tags = classified[case["ndb"]]
    assert row["description"] == case["name"], "the hard-case list names the food as SR28 does"
    assert (set(tags.allergens), set(tags.facts)) == (set(case["allergens"].split()), set(case["facts"].split())), \
        case["why"]


def test_meat_groups_are_meat_and_no_plain_plant_food_is(classified):
    for row, tags in classified.values():
        if row["food_group"] in MEAT_GROUPS:
            assert "meat" in tags.facts, row["description"]
        if row["food_group"] in {"Vegetables and Vegetable Products", "Fruits and Fruit Juices"} and \
                row["description"].endswith(", raw"):
            assert not tags.facts, row["description"]


def test_fish_and_shellfish_group_is_split_by_kind(classified):
    for row, tags in classified.values():
        name = row["description"]
        # imitation crab and scallops are fish (surimi) flavoured with the real thing
        if name.startswith("Crustaceans,"):
            assert tags.allergens >= {"crustaceans"} and ("fish" in tags.allergens) == ("surimi" in name), name
        elif name.startswith("Mollusks,"):
            assert tags.allergens >= {"molluscs"} and ("fish" in tags.allergens) == ("surimi" in name), name
        elif name.startswith("Fish,"):
            assert "fish" in tags.allergens, name


def test_lookalike_names_are_not_their_allergen(classified):
    for row, tags in classified.values():
        name = row["description"].lower()
        if "eggplant" in name:
            assert "eggs" not in tags.allergens, name
        if name.startswith(("peanut butter", "nuts, almond butter", "nuts, cashew butter", "seeds, sunflower seed butter")):
            assert "milk" not in tags.allergens, name
        if "butternut" in name and "squash" in name:
            assert "tree-nuts" not in tags.allergens, name
        if name.startswith("cheese,"):
            assert "milk" in tags.allergens and "meat" not in tags.facts, name


def write_rules(tmp_path, *rows) -> Path:
    path = tmp_path / "rules.csv"
    path.write_text("kind,match,unless,add,remove,why\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def test_rules_apply_in_order_and_exceptions_last(tmp_path):
    rules = read_rules(write_rules(
        tmp_path,
        "ndb,00001,,,milk,this food is the exception",
        "group,Dairy,,milk,,",
        r"name,\bbutter\b,\bpeanut butter\b,milk,,",
        r"name,^egg\b,,eggs,milk,",
    ))
    assert rules.classify("Butter, salted", "Fats").allergens == {"milk"}
    assert rules.classify("Peanut butter", "Legumes").allergens == set()
    assert rules.classify("Egg, whole", "Dairy") == FoodTags(frozenset({"eggs"}), frozenset({"egg"}))
    assert rules.classify("Milk, whole", "Dairy", "00001").allergens == set()


@pytest.mark.parametrize("row, message", [
    ("name,cheese,,milk cheese,,", "line 2: unknown tag cheese"),
    ("name,(unclosed,,milk,,", "line 2: bad regular expression"),
    ("recipe,x,,milk,,", "line 2: expected kind group/name/ndb"),
])
def test_a_bad_rule_is_named_by_its_line(tmp_path, row, message):
    with pytest.raises(RuleTableError, match=message):
        read_rules(write_rules(tmp_path, row))


MILK = FoodTags(frozenset({"milk"}), frozenset({"dairy"}))
BEEF = FoodTags(frozenset(), frozenset({"meat"}))
TUNA = FoodTags(frozenset({"fish"}), frozenset({"fish"}))
RICE = FoodTags()
HONEY = FoodTags(frozenset(), frozenset({"honey"}))


@pytest.mark.parametrize("lines, diets", [
    ([RICE], {"vegan", "vegetarian", "pescatarian", "gluten-free", "dairy-free"}),
    ([RICE, MILK], {"vegetarian", "pescatarian", "gluten-free"}),
    ([RICE, HONEY], {"vegetarian", "pescatarian", "gluten-free", "dairy-free"}),
    ([RICE, TUNA], {"pescatarian", "gluten-free", "dairy-free"}),
    ([RICE, BEEF], {"gluten-free", "dairy-free"}),
])
def test_diets_follow_from_the_lines(lines, diets):
    tags = recipe_tags(lines)
    assert tags.diets == diets and not tags.allergens_unknown


def test_a_line_without_food_makes_allergens_unknown_and_claims_no_diet():
    tags = recipe_tags([RICE, None, MILK])
    assert tags.allergens_unknown and tags.unknown_lines == (1,)
    assert tags.allergens == {"milk"} and tags.diets == set()
    assert recipe_tags([]).allergens_unknown


def test_an_allergen_added_by_hand_counts_for_diets():
    tags = recipe_tags([RICE], added_allergens={"milk"})
    assert tags.allergens == {"milk"} and "dairy" in tags.facts and "vegan" not in tags.diets


def test_keto_is_a_macro_rule():
    fatty = {"energy_kcal": 500.0, "carbohydrate_g": 15.0, "fiber_g": 5.0}  # 40 kcal net carbs = 8 %
    starchy = {"energy_kcal": 500.0, "carbohydrate_g": 40.0, "fiber_g": 5.0}
    assert is_keto(fatty, 1.0) and not is_keto(starchy, 1.0)
    assert not is_keto(fatty, 0.5), "unknown lines could be the carbohydrate"
    assert "keto" in recipe_tags([BEEF], per_serving=fatty, coverage=1.0).diets
