"""Ingredient lines stored on a recipe: parsed, matched, converted, nutrition recomputed; all or nothing."""

import pytest

from meals.models import Recipe, RecipeIngredient
from meals.services import add_ingredient_lines, reconvert_ingredient, resolve_ingredient_line
from tests.nutrition_catalog import make_catalog


@pytest.fixture
def catalog(db):
    return make_catalog()


@pytest.fixture
def recipe(db):
    return Recipe.objects.create(title="Test omelette", slug="test-omelette", servings=2)


def test_resolve_line_fills_quantity_unit_food_grams_and_note(catalog):
    line = resolve_ingredient_line("1 1/2 cups finely chopped onion")
    assert (float(line.quantity), line.unit, line.food.source_id) == (1.5, "cup", "11282")
    assert line.grams == 240
    assert line.portion.measure == "cup, chopped"
    assert line.note == "finely chopped"
    assert line.problem == ""


def test_range_keeps_both_ends_and_counts_the_midpoint(catalog):
    line = resolve_ingredient_line("2-3 cloves garlic")
    assert (float(line.quantity), float(line.quantity_max), line.grams) == (2, 3, 7.5)
    assert "a range: its midpoint counted" in line.note


def test_add_lines_stores_rows_and_recomputes_per_serving_nutrition(catalog, recipe):
    add_ingredient_lines(recipe, ["4 large eggs", "1 tbsp olive oil", "salt", "flour"])

    lines = list(recipe.ingredients.order_by("order"))
    assert [line.order for line in lines] == [0, 1, 2, 3]
    assert [line.grams for line in lines] == [200, 13.5, 0, None]  # salt without an amount is seasoning
    assert lines[3].problem == "no quantity given"
    # (200 g egg * 1.43 + 13.5 g oil * 8.84) / 2 servings
    assert recipe.energy_kcal == pytest.approx((200 * 1.43 + 13.5 * 8.84) / 2, abs=0.01)
    assert recipe.nutrition_coverage == pytest.approx(3 / 4, abs=0.001)


@pytest.mark.parametrize("text", ["salt to taste", "salt and pepper to taste", "chopped onion for garnish",
                                  "1 cup chopped onion (optional)", "olive oil as needed"])
def test_to_taste_garnish_and_optional_lines_count_zero_without_lowering_coverage(catalog, recipe, text):
    add_ingredient_lines(recipe, ["4 large eggs", text])

    line = recipe.ingredients.get(order=1)
    assert (line.grams, line.problem) == (0, "")
    assert "counted as 0 g" in line.note
    recipe.refresh_from_db()
    assert recipe.nutrition_coverage == 1
    assert recipe.energy_kcal == pytest.approx(200 * 1.43 / 2, abs=0.01)


def test_to_taste_with_an_amount_counts_the_amount(catalog):
    line = resolve_ingredient_line("1 tsp salt, or to taste")
    assert line.grams == 6


def test_deep_frying_oil_counts_only_the_absorbed_share(catalog):
    from meals.services import ABSORBED_OIL_SHARE

    fried = resolve_ingredient_line("2 cups olive oil for frying")
    dressing = resolve_ingredient_line("2 cups olive oil")
    assert dressing.grams > 400
    assert fried.grams == pytest.approx(dressing.grams * ABSORBED_OIL_SHARE, abs=0.01)
    assert "absorbed" in fried.note


def test_a_quart_of_oil_is_a_frying_medium_even_unsaid(catalog):
    """"1 quart olive oil" (about 870 g) is fried in, not eaten: the absorbed share counts, and the note says so;
    two cups (430 g) in a dressing or cake count in full."""
    from meals.services import ABSORBED_OIL_SHARE

    quart = resolve_ingredient_line("1 quart olive oil")
    cups = resolve_ingredient_line("2 cups olive oil")
    assert quart.grams == pytest.approx(2 * cups.grams * ABSORBED_OIL_SHARE, abs=0.01)
    assert "absorbed" in quart.note and "absorbed" not in cups.note
    assert resolve_ingredient_line("1 quart olive oil for frying").grams == pytest.approx(quart.grams, abs=0.01)
    assert resolve_ingredient_line("2 pounds olive oil").grams == pytest.approx(907.18, abs=0.01), \
        "a fat weighed is an ingredient (a batch of tamale dough takes 2 pounds of lard)"


def test_unmatched_and_unconvertible_lines_are_flagged_not_counted_as_zero(catalog, recipe):
    add_ingredient_lines(recipe, ["2 cups asdf qwerty", "2 glugs olive oil", "1 slice onion"])

    problems = [line.problem for line in recipe.ingredients.order_by("order")]
    assert problems == [
        "no food matches 'asdf qwerty'",
        "unknown unit 'glug'",
        "no USDA portion says what a “slice” of Onions, raw weighs",
    ]
    assert recipe.nutrition_coverage == 0
    assert recipe.energy_kcal == 0


def test_an_unreadable_line_is_kept_unresolved_with_its_reason_and_the_rest_counts(catalog, recipe):
    add_ingredient_lines(recipe, ["1 tbsp olive oil"])

    add_ingredient_lines(recipe, ["2 large eggs", "-2 cups milk", "99999 cups flour"])

    lines = list(RecipeIngredient.objects.filter(recipe=recipe).order_by("order"))
    assert [(line.original_text, line.problem) for line in lines] == [
        ("1 tbsp olive oil", ""),
        ("2 large eggs", ""),
        ("-2 cups milk", "negative quantity in '-2 cups milk'"),
        ("99999 cups flour", "quantity 99999 in '99999 cups flour' is not a plausible amount"),
    ]
    assert [line.grams for line in lines[2:]] == [None, None]
    recipe.refresh_from_db()
    assert recipe.nutrition_coverage == pytest.approx(0.5)


def test_absurd_weight_is_flagged(catalog):
    line = resolve_ingredient_line("9000 cups flour")
    assert line.grams is None
    assert line.problem == "1125 kg is not a plausible amount"


def test_reconvert_after_staff_picks_another_food(catalog, recipe):
    add_ingredient_lines(recipe, ["2 cups asdf qwerty"])
    line = recipe.ingredients.get()
    line.food = catalog["20081"]
    reconvert_ingredient(line)
    assert (line.grams, line.problem) == (250, "")


@pytest.mark.parametrize("text", ["1 tbsp unicorn dust (optional)", "unicorn dust to taste"])
def test_optional_and_to_taste_lines_without_a_food_count_zero_and_keep_coverage(catalog, recipe, text):
    add_ingredient_lines(recipe, ["4 large eggs", text])

    line = recipe.ingredients.get(order=1)
    assert (line.food, line.grams, line.problem) == (None, 0, "")
    assert "counted as 0 g" in line.note
    recipe.refresh_from_db()
    assert recipe.nutrition_coverage == 1
    assert recipe.allergens_unknown, "a line without a food still leaves its allergens unknown"


def test_to_cover_is_no_amount(catalog):
    line = resolve_ingredient_line("olive oil to cover")
    assert (line.grams, line.problem) == (0, "")
