"""Recipe and food admin behaviour staff rely on: nutrition kept current, safe deletes, flat query counts."""

import pytest
from django.contrib.admin.views.main import ALL_VAR
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meals.models import Food, Recipe, RecipeIngredient
from tests.catalog_factories import make_classified_recipes, make_food, make_portion, make_recipe

CHANGELIST = reverse("admin:meals_recipe_changelist")


@pytest.fixture
def egg(db):
    return make_food()


def recipe_form(**overrides):
    """POST data of the recipe add/change form with no ingredient lines."""
    data = {
        "title": "Boiled eggs", "slug": "boiled-eggs", "description": "", "instructions": "Boil.",
        "servings": "2", "prep_minutes": "1", "cook_minutes": "9", "cost_per_serving": "0.60",
        "is_breakfast": "on", "image_url": "", "source_url": "",
        "ingredients-TOTAL_FORMS": "0", "ingredients-INITIAL_FORMS": "0",
        "ingredients-MIN_NUM_FORMS": "0", "ingredients-MAX_NUM_FORMS": "1000",
    }
    return data | overrides


def ingredient_rows(*rows, initial=0):
    """Inline formset fields for (id or "", food, grams, text) rows."""
    data = {"ingredients-TOTAL_FORMS": str(len(rows)), "ingredients-INITIAL_FORMS": str(initial)}
    for index, (line_id, food, grams, text) in enumerate(rows):
        prefix = f"ingredients-{index}-"
        data |= {
            f"{prefix}id": line_id, f"{prefix}order": str(index), f"{prefix}original_text": text,
            f"{prefix}food": str(food.pk), f"{prefix}grams": str(grams), f"{prefix}unit": "g",
        }
    return data


def test_adding_a_recipe_with_ingredients_stores_its_nutrition(admin_client, egg):
    response = admin_client.post(reverse("admin:meals_recipe_add"), recipe_form() | ingredient_rows(("", egg, 200, "4 eggs")))
    assert response.status_code == 302, response.context["adminform"].form.errors
    recipe = Recipe.objects.get(slug="boiled-eggs")
    assert recipe.energy_kcal == pytest.approx(143.0)  # 200 g × 143 kcal/100 g ÷ 2 servings
    assert recipe.protein_g == pytest.approx(12.56)
    assert recipe.nutrition_coverage == 1.0


def test_editing_ingredient_lines_recomputes_nutrition(admin_client, egg):
    recipe = make_recipe(slug="boiled-eggs", ingredients=[(egg, 200)])
    line = recipe.ingredients.get()
    url = reverse("admin:meals_recipe_change", args=[recipe.pk])
    response = admin_client.post(url, recipe_form() | ingredient_rows((str(line.pk), egg, 300, "6 eggs"), initial=1))
    assert response.status_code == 302
    recipe.refresh_from_db()
    assert recipe.energy_kcal == pytest.approx(214.5)


def test_changing_servings_alone_recomputes_per_serving_nutrition(admin_client, egg):
    recipe = make_recipe(slug="boiled-eggs", ingredients=[(egg, 200)])
    line = recipe.ingredients.get()
    url = reverse("admin:meals_recipe_change", args=[recipe.pk])
    rows = ingredient_rows((str(line.pk), egg, 200, "4 eggs"), initial=1)
    admin_client.post(url, recipe_form(servings="4") | rows)
    recipe.refresh_from_db()
    assert recipe.energy_kcal == pytest.approx(71.5)


def test_change_page_shows_the_computed_nutrition_panel(admin_client, egg):
    recipe = make_recipe(slug="boiled-eggs", ingredients=[(egg, 200)])
    response = admin_client.get(reverse("admin:meals_recipe_change", args=[recipe.pk]))
    assert "Nutrition per serving (computed from the ingredients)" in response.text
    assert 'name="energy_kcal"' not in response.text  # read-only, not an input


def test_publish_unpublish_and_recompute_actions(admin_client, egg):
    recipes = [make_recipe(slug=slug, ingredients=[(egg, 100)]) for slug in ("a", "b")]
    ids = [str(recipe.pk) for recipe in recipes]
    asked = admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": ids})
    assert "Publish anyway" in asked.text and not Recipe.objects.published().exists()  # nutrition never computed
    admin_client.post(CHANGELIST, {"action": "publish", "_selected_action": ids, "confirm": "yes"})
    assert Recipe.objects.published().count() == 2
    admin_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": ids[:1]})
    assert list(Recipe.objects.published().values_list("slug", flat=True)) == ["b"]

    assert Recipe.objects.get(slug="a").energy_kcal == 0  # bulk-created lines, never computed
    response = admin_client.post(CHANGELIST, {"action": "recompute_nutrition", "_selected_action": ids}, follow=True)
    assert "2 recipes recomputed." in response.text
    assert set(Recipe.objects.values_list("energy_kcal", flat=True)) == {71.5}


def changelist_queries(client, expected_rows):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, {ALL_VAR: ""})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == expected_rows
    return len(queries)


def test_recipe_changelist_query_count_does_not_grow_with_recipes(admin_client, egg, django_assert_max_num_queries):
    make_classified_recipes(5, egg)
    with_five = changelist_queries(admin_client, 5)
    make_classified_recipes(195, egg, start=5)
    with django_assert_max_num_queries(with_five):
        changelist_queries(admin_client, 200)


def test_admin_refuses_to_delete_a_food_a_recipe_uses(admin_client, egg):
    make_recipe(slug="boiled-eggs", ingredients=[(egg, 100)])
    url = reverse("admin:meals_food_delete", args=[egg.pk])
    page = admin_client.get(url)
    assert "would require deleting the following protected related objects" in page.text
    assert "Recipe “Boiled eggs”, ingredient “100 g Egg, whole, raw, fresh”" in page.text
    admin_client.post(url, {"post": "yes"})
    assert Food.objects.filter(pk=egg.pk).exists()
    assert RecipeIngredient.objects.filter(food=egg).count() == 1


def test_bulk_delete_action_refuses_foods_in_use(admin_client, egg):
    make_recipe(slug="boiled-eggs", ingredients=[(egg, 100)])
    spare = make_food(source_id="01124", name="Egg, white, raw, fresh")
    response = admin_client.post(
        reverse("admin:meals_food_changelist"),
        {"action": "delete_selected", "_selected_action": [egg.pk, spare.pk], "post": "yes"},
    )
    assert "Recipe “Boiled eggs”" in response.text
    assert Food.objects.count() == 2


def test_admin_deletes_an_unused_food_with_its_portions(admin_client, egg):
    make_portion(egg)
    admin_client.post(reverse("admin:meals_food_delete", args=[egg.pk]), {"post": "yes"})
    assert not Food.objects.filter(pk=egg.pk).exists()
