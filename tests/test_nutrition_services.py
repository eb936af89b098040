"""Ingredient lines stored on a recipe: parsed, matched, converted, nutrition recomputed; all or nothing."""

import pytest

from meals.models import Recipe, RecipeIngredient
from meals.services import IngredientLinesError, add_ingredient_lines, reconvert_ingredient, resolve_ingredient_line
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


def test_range_keeps_both_ends_and_counts_the_lower(catalog):
    line = resolve_ingredient_line("2-3 cloves garlic")
    assert (float(line.quantity), float(line.quantity_max), line.grams) == (2, 3, 6)


def test_add_lines_stores_rows_and_recomputes_per_serving_nutrition(catalog, recipe):
    add_ingredient_lines(recipe, ["4 large eggs", "1 tbsp olive oil", "salt to taste"])

    lines = list(recipe.ingredients.order_by("order"))
    assert [line.order for line in lines] == [0, 1, 2]
    assert [line.grams for line in lines] == [200, 13.5, None]
    assert lines[2].problem == "no quantity given"
    # (200 g egg * 1.43 + 13.5 g oil * 8.84) / 2 servings
    assert recipe.energy_kcal == pytest.approx((200 * 1.43 + 13.5 * 8.84) / 2, abs=0.01)
    assert recipe.nutrition_coverage == pytest.approx(2 / 3, abs=0.001)


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


def test_a_bad_line_saves_nothing_and_names_every_bad_line(catalog, recipe):
    add_ingredient_lines(recipe, ["1 tbsp olive oil"])

    with pytest.raises(IngredientLinesError) as error:
        add_ingredient_lines(recipe, ["2 large eggs", "-2 cups milk", "99999 cups flour"])

    assert str(error.value) == (
        "line 2: negative quantity in '-2 cups milk'; line 3: quantity 99999 in '99999 cups flour' "
        "is not a plausible amount"
    )
    assert RecipeIngredient.objects.filter(recipe=recipe).count() == 1


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
