"""Recipe admin: editing ingredient lines recomputes grams and the recipe's nutrition."""

import pytest
from django.urls import reverse

from meals.models import Recipe
from meals.services import add_ingredient_lines
from tests.nutrition_catalog import make_catalog


@pytest.fixture
def catalog(db):
    return make_catalog()


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("chef", "chef@example.org", "pw"))
    return client


def change_form_data(recipe, lines):
    """The recipe change form as the admin page posts it, with `lines` as the inline rows."""
    data = {
        "title": recipe.title, "slug": recipe.slug, "description": "", "instructions": "", "servings": recipe.servings,
        "prep_minutes": 0, "cook_minutes": 0, "cost_per_serving": "0", "image_url": "", "source_url": "",
        "ingredients-TOTAL_FORMS": len(lines), "ingredients-INITIAL_FORMS": sum(1 for row in lines if row.get("id")),
        "ingredients-MIN_NUM_FORMS": 0, "ingredients-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(lines):
        for name, value in row.items():
            data[f"ingredients-{index}-{name}"] = "" if value is None else value
        data[f"ingredients-{index}-recipe"] = recipe.pk
    return data


def row(line, **changes):
    values = {name: getattr(line, name) for name in ("id", "order", "original_text", "quantity", "quantity_max", "unit",
                                                      "grams", "note", "problem", "shop_as")}
    values["food"], values["portion"] = line.food_id, line.portion_id
    return {**values, **changes}


def test_staff_override_of_the_food_recomputes_grams_and_nutrition(catalog, staff_client):
    recipe = Recipe.objects.create(title="Mystery bake", slug="mystery-bake", servings=2)
    add_ingredient_lines(recipe, ["2 cups asdf qwerty"])
    line = recipe.ingredients.get()
    assert recipe.nutrition_coverage == 0

    response = staff_client.post(reverse("admin:meals_recipe_change", args=[recipe.pk]),
                                 change_form_data(recipe, [row(line, food=catalog["20081"].pk)]))

    assert response.status_code == 302, response.content.decode()[:2000]
    line.refresh_from_db()
    recipe.refresh_from_db()
    assert (line.grams, line.problem, line.match_confidence) == (250, "", 1.0)
    assert recipe.nutrition_coverage == 1
    assert recipe.energy_kcal == pytest.approx(250 * 3.64 / 2)


@pytest.mark.parametrize(("typed", "kept"), [({}, ""), ({"shop_as": "Duck eggs"}, "Duck eggs")])
def test_a_food_staff_choose_is_what_to_buy_unless_they_say_otherwise(catalog, staff_client, typed, kept):
    recipe = Recipe.objects.create(title="Quark bake", slug="quark-bake", servings=2)
    add_ingredient_lines(recipe, ["2 cups flour"])
    recipe.ingredients.update(shop_as="Quark")  # as a stand-in's line
    line = recipe.ingredients.get()

    response = staff_client.post(reverse("admin:meals_recipe_change", args=[recipe.pk]),
                                 change_form_data(recipe, [row(line, food=catalog["01123"].pk, **typed)]))

    assert response.status_code == 302, response.content.decode()[:2000]
    line.refresh_from_db()
    assert (line.food.source_id, line.shop_as) == ("01123", kept)


def test_a_new_line_typed_as_text_is_parsed_matched_and_counted(catalog, staff_client):
    recipe = Recipe.objects.create(title="Eggs", slug="eggs", servings=1)

    response = staff_client.post(reverse("admin:meals_recipe_change", args=[recipe.pk]),
                                 change_form_data(recipe, [{"order": 0, "original_text": "3 large eggs"}]))

    assert response.status_code == 302
    line = recipe.ingredients.get()
    assert (line.food.source_id, float(line.quantity), line.unit, line.grams) == ("01123", 3, "large", 150)
    recipe.refresh_from_db()
    assert recipe.energy_kcal == pytest.approx(150 * 1.43)


def test_an_impossible_line_is_shown_as_a_form_error(catalog, staff_client):
    recipe = Recipe.objects.create(title="Eggs", slug="eggs", servings=1)

    response = staff_client.post(reverse("admin:meals_recipe_change", args=[recipe.pk]),
                                 change_form_data(recipe, [{"order": 0, "original_text": "-3 large eggs"}]))

    assert response.status_code == 200
    assert "negative quantity in &#x27;-3 large eggs&#x27;" in response.content.decode()
    assert not recipe.ingredients.exists()
