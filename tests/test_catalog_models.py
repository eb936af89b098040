"""Catalog and profile rules the database itself enforces, whatever code writes the rows."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from mealplan.models import Profile
from meals.models import Food, FoodPortion, Recipe, RecipeIngredient
from tests.catalog_factories import make_food, make_portion, make_recipe
from tests.web_factories import BODY_DATA

pytestmark = pytest.mark.django_db


@pytest.fixture
def egg():
    return make_food()


def refused(write):
    """Run `write` in a savepoint; True when the database raised IntegrityError."""
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def test_recipe_slugs_are_unique():
    make_recipe(slug="pancakes")
    assert refused(lambda: make_recipe(slug="pancakes", title="Other pancakes"))


def test_recipe_servings_must_be_positive_in_the_database():
    recipe = make_recipe(slug="pancakes")
    assert refused(lambda: Recipe.objects.filter(pk=recipe.pk).update(servings=0))
    assert not refused(lambda: Recipe.objects.filter(pk=recipe.pk).update(servings=1))


def test_recipe_cost_cannot_be_negative_in_the_database():
    recipe = make_recipe(slug="pancakes")
    assert refused(lambda: Recipe.objects.filter(pk=recipe.pk).update(cost_per_serving=-1))


def test_ingredient_quantity_and_grams_cannot_be_negative_in_the_database(egg):
    recipe = make_recipe(slug="omelette")

    def line(**values):
        return lambda: RecipeIngredient.objects.bulk_create([RecipeIngredient(recipe=recipe, food=egg, **values)])

    assert refused(line(quantity=-1, grams=50))
    assert refused(line(quantity=1, grams=-50))
    assert not refused(line(quantity=0, grams=0))


def test_portion_grams_cannot_be_negative_in_the_database(egg):
    portion = make_portion(egg)
    assert refused(lambda: FoodPortion.objects.filter(pk=portion.pk).update(gram_weight=-5))


def test_a_food_source_id_is_stored_once_per_source(egg):
    assert refused(lambda: make_food(name="Duplicate egg"))
    assert not refused(lambda: make_food(source="fdc", name="Egg from FDC"))


def test_one_profile_per_user():
    user = get_user_model().objects.create_user("ana")
    Profile.objects.create(user=user, **BODY_DATA)
    assert refused(lambda: Profile.objects.create(user=user, **BODY_DATA))


def test_deleting_a_food_a_recipe_uses_is_refused_and_keeps_the_recipe(egg):
    recipe = make_recipe(slug="omelette", ingredients=[(egg, 150)])
    with pytest.raises(ProtectedError) as excinfo:
        egg.delete()
    assert set(excinfo.value.protected_objects) == set(recipe.ingredients.all())
    assert Food.objects.filter(pk=egg.pk).exists()
    assert recipe.ingredients.get().food == egg


def test_deleting_a_recipe_removes_its_lines_but_keeps_the_foods(egg):
    recipe = make_recipe(slug="omelette", ingredients=[(egg, 150)])
    recipe.delete()
    assert not RecipeIngredient.objects.exists()
    assert Food.objects.filter(pk=egg.pk).exists()
