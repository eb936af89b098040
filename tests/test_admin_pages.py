"""Every catalog and plan admin page opens for staff and is closed to anonymous visitors."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mealplan.models import MealPlan, PlannedMeal, Profile
from meals.models import Allergen, Diet, Food, FoodPortion, Recipe, Tag
from tests.catalog_factories import make_food, make_portion, make_recipe

MODELS = [Diet, Allergen, Tag, Food, FoodPortion, Recipe, Profile, MealPlan]


@pytest.fixture
def one_of_each(db):
    """One saved object per admin model, to open its change page."""
    food = make_food()
    portion = make_portion(food)
    recipe = make_recipe(ingredients=[(food, 100)], is_breakfast=True)
    recipe.tags.add(Tag.objects.create(name="Quick", slug="quick"))
    user = get_user_model().objects.create_user("ana", "ana@example.com", "pw")
    profile = Profile.objects.create(user=user, diet=Diet.objects.get(slug="vegetarian"))
    plan = MealPlan.objects.create(
        owner=user, start_date=datetime.date(2026, 1, 5), days=7,
        target_kcal=2000, target_protein_g=100, target_fat_g=70, target_carb_g=240,
    )
    PlannedMeal.objects.create(plan=plan, day=0, slot=0, meal_type="breakfast", recipe=recipe, servings=1)
    return {
        Diet: Diet.objects.first(), Allergen: Allergen.objects.first(), Tag: recipe.tags.get(),
        Food: food, FoodPortion: portion, Recipe: recipe, Profile: profile, MealPlan: plan,
    }


def admin_urls(model, obj):
    info = (model._meta.app_label, model._meta.model_name)
    return {
        "changelist": reverse("admin:%s_%s_changelist" % info),
        "add": reverse("admin:%s_%s_add" % info),
        "change": reverse("admin:%s_%s_change" % info, args=[obj.pk]),
    }


def test_every_catalog_and_plan_model_is_registered():
    registered = {model for model in admin.site._registry if model._meta.app_label in {"meals", "mealplan"}}
    assert registered == set(MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_can_open_changelist_add_and_change_pages(admin_client, one_of_each, model):
    for page, url in admin_urls(model, one_of_each[model]).items():
        response = admin_client.get(url)
        assert response.status_code == 200, f"{model.__name__} {page}: {response.status_code}"


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_anonymous_visitors_are_sent_to_the_admin_login(client, one_of_each, model):
    for url in admin_urls(model, one_of_each[model]).values():
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_recipe_search_finds_recipes_by_ingredient_name(admin_client, db):
    oats = make_food(source_id="08120", name="Cereals, oats, regular and quick, not fortified, dry")
    make_recipe(slug="overnight-oats", ingredients=[(oats, 80)])
    make_recipe(slug="plain-toast")
    response = admin_client.get(reverse("admin:meals_recipe_changelist"), {"q": "oats"})
    assert [recipe.slug for recipe in response.context["cl"].result_list] == ["overnight-oats"]


def test_recipe_filters_by_meal_type_and_diet(admin_client, db):
    vegan = make_recipe(slug="tofu-scramble", is_breakfast=True)
    vegan.diets.add(Diet.objects.get(slug="vegan"))
    make_recipe(slug="bacon-and-eggs", is_breakfast=True)
    make_recipe(slug="lentil-soup", is_lunch=True).diets.add(Diet.objects.get(slug="vegan"))
    response = admin_client.get(
        reverse("admin:meals_recipe_changelist"), {"is_breakfast__exact": "1", "diets__id__exact": vegan.diets.get().pk}
    )
    assert [recipe.slug for recipe in response.context["cl"].result_list] == ["tofu-scramble"]


def add_profiles_and_plans(start: int, count: int):
    """`count` users, each with a vegan profile, a plan and a portion of their own food."""
    diet = Diet.objects.get(slug="vegan")
    for number in range(start, start + count):
        user = get_user_model().objects.create_user(f"user{number}")
        Profile.objects.create(user=user, diet=diet)
        MealPlan.objects.create(owner=user, start_date=datetime.date(2026, 1, 5), days=7,
                                target_kcal=2000, target_protein_g=100, target_fat_g=70, target_carb_g=240)
        make_portion(make_food(source_id=f"9{number:04d}", name=f"Food {number}"))


@pytest.mark.parametrize("model", [Profile, MealPlan, FoodPortion], ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, db, model, django_assert_max_num_queries):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    add_profiles_and_plans(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    add_profiles_and_plans(2, 40)
    with django_assert_max_num_queries(len(few)):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 42
