"""Lines without an amount, headings, equipment and amounts in words: meals.parsing.amountless and the parser's
spellings."""

import pytest

from meals.parsing import amountless
from meals.parsing.ingredients import normalise_numbers, parse_line
from meals.parsing.units import Portion, count_portion
from meals.services import resolve_ingredient_line, resolve_lines
from tests.nutrition_catalog import make_catalog


@pytest.mark.parametrize(("text", "heading"), [
    ("Stuffing:", True), ("For the sauce:", True), ("For the bechamel", True), ("Optional:", True),
    ("seafood, choose from:", True), ("Salt", False), ("2 cups flour:", False), ("Salt and pepper", False),
    ("For the pan, 1 tbsp butter", False),
])
def test_section_headings_are_not_ingredients(text, heading):
    assert amountless.is_heading(text) is heading


@pytest.mark.parametrize(("text", "equipment"), [
    ("Aluminum Foil", True), ("thermometer", True), ("6 baking paper squares", True), ("Tin foil", True),
    ("12 wooden skewers", True), ("1 cup milk", False), ("Butter", False), ("8 chicken skewers", False),
    ("1 bag kettle chips", False), ("Reynold's Oven Bag", True),
    ("Oven-safe pan", True), ("A slow cooker", True), ("A large pot of salted water", True),
    ("A full kettle of boiled water.", True), ("1 cast iron skillet", True), ("Dutch oven", True),
    ("oil for the frying pan", False), ("Kettle chips", False), ("2 pots of yogurt", False), ("Pan dulce", False),
    ("1 pan of cornbread", False), ("Skillet cornbread", False),
    # used in cooking, not eaten
    ("1/4 (70g) cup food-grade sodium hydroxide (lye)", True), ("Wood chips (optional, fuel for smokey flavour)", True),
    ("Applewood (or other sweet cooking wood such as cherry or maple)", True), ("Two glass marbles (Optional)", True),
    ("6 slices applewood-smoked bacon", False), ("Applewood smoked bacon", False),
    ("10 g dried wood ear mushrooms", False),
    ("Lye-cured olives", False), ("Woodruff syrup", False),
    # the papery skins of onions and garlic dye eggs or colour a stock: not eaten (was lemon peel)
    ("peels of five onions", True), ("Onion skins from 6 onions", True), ("garlic peels", True),
    ("2 onions, skins removed", False), ("1 red onion, peeled", False), ("peel of 1 lemon", False),
    ("Onion skins removed", False),
])
def test_kitchen_equipment_is_not_an_ingredient(text, equipment):
    assert amountless.is_equipment(text) is equipment


@pytest.mark.parametrize(("text", "note"), [
    ("If you don't have pre-grated cheese, you can cut thin slices off of the block of cheese.", True),
    ("I've found that pre-shredded cheese doesn't taste as good as shredding it right before cooking.", True),
    ("Most cheeses are fine, but the taste of oaxaca cheese is more authentic.", True),
    ("The following options are traditional but can be substituted with any desired toppings", True),
    ("Note: any firm tofu works", True),
    ("Most of a lemon", False), ("Iceberg lettuce", False), ("Tip of a knife of saffron", False), ("2 eggs", False),
])
def test_a_line_of_advice_is_not_an_ingredient(text, note):
    assert amountless.is_note(text) is note and amountless.not_food(text) is note


@pytest.mark.parametrize(("name", "food", "category", "kcal", "by_item", "expected"), [
    ("Olive oil", "Oil, olive, salad or cooking", "Fats and Oils", 884, False, (1.0, "tbsp")),
    ("butter or lard", "Butter, without salt", "Dairy and Egg Products", 717, False, (1.0, "tbsp")),
    ("Salt or pepper", "Salt, table", "Spices and Herbs", 0, False, (None, "")),
    ("Parsley", "Parsley, fresh", "Vegetables and Vegetable Products", 36, False, (None, "")),
    ("garlic", "Garlic, raw", "Vegetables and Vegetable Products", 149, True, (None, "")),
    ("water", "Beverages, water, tap, drinking", "Beverages", 0, False, (None, "")),
    ("coffee", "Beverages, coffee, brewed, prepared with tap water", "Beverages", 1, False, (None, "")),  # ~0 kcal
    ("Milk", "Milk, whole, 3.25% milkfat", "Dairy and Egg Products", 61, False, None),  # not negligible
    ("Soy sauce", "Soy sauce made from soy (tamari)", "Soups, Sauces, and Gravies", 60, False, (1.0, "tbsp")),
    ("onion", "Onions, raw", "Vegetables and Vegetable Products", 40, True, (1.0, "")),
    ("chicken breasts", "Chicken, breast, raw", "Poultry Products", 120, True, (2.0, "")),
    ("flour", "Wheat flour, white", "Cereal Grains and Pasta", 364, False, None),
    ("Spaghetti", "Pasta, dry, enriched", "Cereal Grains and Pasta", 371, False, None),
])
def test_what_a_line_without_an_amount_counts(name, food, category, kcal, by_item, expected):
    found = amountless.assumed_amount(name, food, category, energy_kcal=kcal, weighed_by_item=by_item)
    assert (found and (found.quantity, found.unit)) == expected
    assert found is None or found.note


@pytest.mark.parametrize(("food", "category", "grams"), [
    ("Pasta, dry, enriched", "Cereal Grains and Pasta", 55),
    ("Noodles, egg, dry, enriched", "Cereal Grains and Pasta", 55),
    ("Rice, white, long-grain, regular, raw, enriched", "Cereal Grains and Pasta", 45),
    ("Rice, white, long-grain, regular, enriched, cooked", "Cereal Grains and Pasta", 140),
    ("Cheese, parmesan, grated", "Dairy and Egg Products", 5),
    ("Cheese, cheddar", "Dairy and Egg Products", 30),
    ("Cream, sour, cultured", "Dairy and Egg Products", 30),
    ("Beef, ground, 80% lean meat / 20% fat, raw", "Beef Products", 113),
    ("Soup, chicken broth, ready-to-serve", "Soups, Sauces, and Gravies", 245),
    ("Spices, pepper, black", "Spices and Herbs", None),
    ("Chocolate, dark, 60-69% cacao solids", "Sweets", None),
    ("Jellies", "Sweets", 20),
    ("Jams and preserves", "Sweets", 20),
])
def test_a_food_served_by_the_portion_has_a_typical_serving_from_its_group_and_name(food, category, grams):
    found = amountless.typical_serving(food, category)
    assert (found and found.grams) == grams
    assert found is None or found.basis


def test_a_served_amount_is_the_serving_times_the_servings_and_says_so():
    found = amountless.served_amount(amountless.typical_serving("Pasta, dry, enriched", "Cereal Grains and Pasta"), 4)
    assert (found.quantity, found.unit) == (220, "g")
    assert "55 g a serving × 4" in found.note and "FDA" in found.note


@pytest.mark.parametrize(("text", "normalised"), [
    ("two or three onions (preferably red)", "2-3 onions (preferably red)"),
    ("Half a pound of butter.", "1/2 pound of butter."),
    ("A quarter of a pound of sugar.", "1/4 pound of sugar."),
    ("A few cloves of garlic", "3 cloves of garlic"),
    ("a couple of potatoes", "2 potatoes"),
    ("A salt-spoonful of salt.", "1/4 tsp of salt."),
    ("Eight table-spoonfuls of sifted flour.", "8 tbsp of sifted flour."),
    ("1 spoon olive oil", "1 tbsp olive oil"),
    ("2 tblsp butter", "2 tbsp butter"),
    ("1-2 glasses wine", "250-500 ml wine"),
    ("Handful of chopped onion", "120 ml chopped onion"),
    ("A half wine-glass of rose-water.", "50 ml rose-water."),
    ("1 shot of kirsch", "44 ml kirsch"),
    ("juniper berries: 5", "5 juniper berries"),
    ("brown stock: 100ml | 1/2 cup", "100 ml brown stock"),
    ("a little bit of salt", "1 pinch salt"),
    ("2 qts water", "2 quart water"),
    ("30g+ Butter", "30 g Butter"),
    ("1 cup + 2 tbsp milk", "1 cup + 2 tbsp milk"),
])
def test_amounts_in_words_and_household_measures_read_as_numbers_and_units(text, normalised):
    assert normalise_numbers(text) == normalised


def test_alternatives_keep_their_or_for_the_matcher():
    assert parse_line("Beef or chicken stock").name == "Beef stock or chicken stock"
    assert parse_line("2 celery ribs").unknown_unit == "stalk"
    assert parse_line("12 strips of bacon").unit == "slice"


@pytest.fixture
def foods(db):
    return make_catalog()


def test_amountless_lines_are_counted_by_the_rules_and_say_so(foods):
    fat, salt, onions, flour = (resolve_ingredient_line(text) for text in ("Olive oil", "Salt", "onions", "flour"))
    assert (fat.grams, "1 tbsp of cooking fat assumed" in fat.note) == (13.5, True)
    assert (salt.grams, salt.problem, "seasoning" in salt.note) == (0, "", True)
    assert (float(onions.quantity), onions.grams) == (2, 220)  # two medium onions: the least "onions" says
    assert (flour.grams, flour.problem) == (None, "no quantity given")


def test_headings_and_equipment_are_left_out_of_the_lines(foods):
    lines = resolve_lines(["For the sauce:", "2 large eggs", "Aluminum foil", "Salt"])
    assert [line.original_text for line in lines] == ["2 large eggs", "Salt"]
    assert [line.order for line in lines] == [0, 1]


def test_an_unknown_first_alternative_falls_back_to_the_next_known_food(foods):
    line = resolve_ingredient_line("100 g guanciale or olive oil")
    assert line.food.name == "Oil, olive, salad or cooking" and line.grams == 100
    assert resolve_ingredient_line("1 onion or garlic").food.name == "Onions, raw"


@pytest.mark.parametrize(("quantity", "unit", "spoonful"), [
    (1, "pinch", True), (1.5, "tsp", True), (1, "tbsp", True), (2, "tbsp", False), (0.5, "cup", False),
    (None, "", False), (2, "", False), (10, "g", False),
])
def test_a_spoonful_is_a_measured_amount_of_at_most_a_tablespoon(quantity, unit, spoonful):
    assert amountless.is_spoonful(quantity, unit) is spoonful


def test_a_spoonful_of_a_food_not_found_counts_as_a_seasoning_and_a_larger_amount_stays_unresolved(foods):
    spoonful, cupful = resolve_lines(["1 tsp dou-chi", "2 cups dou-chi"])
    assert (spoonful.food, spoonful.grams, spoonful.problem) == (None, 0, "")
    assert "counted as 0 g" in spoonful.note
    assert (cupful.grams, cupful.problem) == (None, "no food matches 'dou-chi'")


@pytest.mark.parametrize("text", ["4 kaffir lime leaves", "2 pandan leaves", "5 leaves of shiso", "banana leaves"])
def test_leaves_of_a_plant_no_food_matches_count_as_a_seasoning(foods, text):
    line = resolve_ingredient_line(text)
    assert (line.food, line.grams, line.problem) == (None, 0, "") and "leaves of a plant not found" in line.note


def test_leaves_by_the_cup_are_no_seasoning():
    assert not amountless.is_leaves("zaatar leaves", "cup") and amountless.is_leaves("shiso", "leaf")


@pytest.mark.parametrize("text", ["2 bacon rashers", "4-6 bacon strips", "2 slices bacon"])
def test_rashers_and_strips_of_bacon_are_weighed_by_its_slice(text):
    bacon = [Portion(1, 1, "package", 442), Portion(2, 1, "slice raw", 28)]
    assert count_portion(bacon, "", "Pork, cured, bacon, unprepared", text).gram_weight == 28


@pytest.mark.parametrize("text", ["adobo seasoning", "Herbes de Provence", "Mixed spices"])
def test_a_line_that_calls_itself_a_seasoning_counts_0_g_without_an_amount(foods, text):
    line = resolve_ingredient_line(text)
    assert (line.grams, line.problem) == (0, "") and "seasoning" in line.note


def test_only_a_confident_match_without_an_amount_is_counted_as_the_least_the_line_says(foods):
    from meals.nutrition.matching import FoodChoice
    from meals.services import build_line

    onion = next(food for food in foods.values() if food.name == "Onions, raw")
    parsed = parse_line("onions")
    sure = build_line(parsed, FoodChoice(onion.id, 0.95, ""), {onion.id: onion}, order=0)
    assert (float(sure.quantity), sure.grams) == (2, 220)
    guessed = build_line(parse_line("white parts only, chopped"), FoodChoice(onion.id, 0.3, ""), {onion.id: onion},
                         order=0)
    assert (guessed.quantity, guessed.grams, guessed.problem) == (None, None, "no quantity given")


def test_a_cooking_fat_without_an_amount_is_a_tablespoon_of_whichever_pure_fat_was_chosen(foods):
    from meals.nutrition.matching import FoodChoice
    from meals.services import build_line

    oil = next(food for food in foods.values() if food.name == "Oil, olive, salad or cooking")
    unsure = build_line(parse_line("Some oil and butter"), FoodChoice(oil.id, 0.65, ""), {oil.id: oil}, order=0)
    assert (float(unsure.quantity), unsure.unit, unsure.grams) == (1, "tbsp", 13.5)
    onion = next(food for food in foods.values() if food.name == "Onions, raw")  # a fat line matched to no fat
    guessed = build_line(parse_line("Some oil and butter"), FoodChoice(onion.id, 0.65, ""), {onion.id: onion}, order=0)
    assert (guessed.quantity, guessed.grams) == (None, None)


@pytest.mark.parametrize(("name", "fat"), [("Some oil and butter", True), ("butter or lard", True),
                                           ("Pork Butt with fat", False), ("olive oil", True)])
def test_a_cooking_fat_is_named_by_the_first_alternatives_head_noun(name, fat):
    assert amountless.is_cooking_fat(name) is fat
