"""The recipe importer never fails on odd JSON-LD: names of any type, NUL, bad durations, long messages."""

import json

import pytest
from django.urls import reverse

from meals.importers.recipe_page import minutes_from, read_recipe
from meals.models import Recipe
from meals.parsing.servings import DEFAULT_SERVINGS, servings_from_yield
from meals.services import create_recipe_from_draft, resolve_lines
from tests.nutrition_catalog import make_catalog


def page_with(**fields) -> str:
    recipe = {"@context": "https://schema.org", "@type": "Recipe", "name": "Plain Eggs",
              "recipeIngredient": ["2 large eggs", "1 tbsp olive oil"], "recipeYield": "2", **fields}
    return f'<html><head><script type="application/ld+json">{json.dumps(recipe)}</script></head><body></body></html>'


@pytest.mark.parametrize(("name", "title"), [
    (["Plain Eggs", "Eggs"], "Plain Eggs"),
    (42, "42"),
    ({"@value": "Plain Eggs"}, "Plain Eggs"),
    ("Plain\u0000 Eggs", "Plain Eggs"),
])
def test_a_name_of_any_json_type_becomes_a_text_title(name, title):
    assert read_recipe(page_with(name=name)).title == title


@pytest.mark.django_db
def test_nul_characters_inside_json_strings_never_reach_the_database():
    make_catalog()
    html = page_with(name="Eggs\u0000", description="Good\u0000", recipeIngredient=["2 large\u0000 eggs"],
                     recipeInstructions=["Whisk\u0000."])

    recipe = create_recipe_from_draft(read_recipe(html))

    recipe.refresh_from_db()
    assert "\x00" not in recipe.title + recipe.description + recipe.instructions
    assert recipe.ingredients.get().grams == 100


@pytest.mark.parametrize(("value", "minutes", "warned"), [
    ("PT1H20M", 80, False), ("PT-5M", 0, True), ("P1DT2H", 1560, False), ("10 minutes", 10, False),
    ("1 hr 5 mins", 65, False), ("soon", 0, True), (15, 15, False), (None, 0, False), (["PT5M"], 5, False),
])
def test_durations_in_every_form_become_minutes_and_a_negative_one_is_refused(value, minutes, warned):
    warnings = []
    assert minutes_from(value, warnings, "prep time") == minutes
    assert bool(warnings) == warned


def test_the_importer_reads_times_as_text_without_crashing():
    draft = read_recipe(page_with(prepTime="10 minutes", cookTime="PT-5M"))
    assert (draft.prep_minutes, draft.cook_minutes) == (10, 0)
    assert any("cook time" in warning for warning in draft.warnings)


@pytest.mark.django_db
def test_a_problem_longer_than_its_column_is_shortened_not_an_error():
    make_catalog()
    name = "zz" + "q" * 400
    [line] = resolve_lines([f"2 cups {name}"])
    assert len(line.problem) == 200 and line.problem.endswith("…")


@pytest.mark.django_db
def test_a_line_longer_than_the_old_limit_is_kept_and_read():
    make_catalog()
    text = "2 large eggs (" + "from happy hens " * 25 + ")"
    [line] = resolve_lines([text])
    assert line.original_text == text and line.grams == 100


@pytest.mark.parametrize(("yields", "servings", "uncertain"), [
    (["4"], 4, False), (["4 servings"], 4, False), (["Serves 6"], 6, False), (["8 servings", "8"], 8, False),
    (["4-6 servings"], 5, True), (["2 loaves"], 20, True), (["1 cake"], 12, True), (["2 dozen"], 24, True),
    (["24 cookies"], 24, True), (["250 grams"], DEFAULT_SERVINGS, True), (["about 3 cups"], DEFAULT_SERVINGS, True),
    ([], DEFAULT_SERVINGS, True),
])
def test_servings_come_only_from_a_count_of_servings_and_guesses_are_flagged(yields, servings, uncertain):
    guess = servings_from_yield(yields)
    assert (guess.servings, guess.uncertain) == (servings, uncertain)
    assert bool(guess.reason) == uncertain


@pytest.mark.django_db
def test_an_imported_recipe_with_uncertain_servings_says_so_in_the_admin(admin_client):
    make_catalog()
    response = admin_client.post(reverse("admin:meals_recipe_import"), {"html": page_with(recipeYield="2 loaves")})

    recipe = Recipe.objects.get()
    assert (recipe.servings, recipe.servings_uncertain) == (20, True)
    assert response.status_code == 302
    follow = admin_client.get(response.url)
    assert "Servings are uncertain" in follow.content.decode()


@pytest.mark.django_db
def test_admin_import_of_a_page_with_a_list_name_and_nul_does_not_fail(admin_client):
    make_catalog()
    html = page_with(name=[{"@value": "Eggs\u0000"}], prepTime="PT-5M", cookTime="10 minutes",
                     recipeIngredient=["- 2 large eggs", "½ cup plus 2 tbsp olive oil", "x" * 1200])

    response = admin_client.post(reverse("admin:meals_recipe_import"), {"html": html})

    assert response.status_code == 302
    recipe = Recipe.objects.get()
    assert (recipe.title, recipe.prep_minutes, recipe.cook_minutes) == ("Eggs", 0, 10)
    lines = list(recipe.ingredients.order_by("order"))
    assert [line.grams for line in lines[:2]] == [100, pytest.approx(216 * 0.625)]
    assert lines[2].grams is None and "longer than 1000" in lines[2].problem
