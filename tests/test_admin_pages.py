"""Every catalog and plan admin page shows staff the object's key fields and is closed to anonymous visitors."""

import datetime

import lxml.html
import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mealplan.models import Household, MealPlan, PlannedMeal, Profile
from meals.models import Allergen, Diet, Food, FoodPortion, Recipe, Tag
from meals.services import recompute_recipe_nutrition
from tests.catalog_factories import make_food, make_portion, make_recipe
from tests.web_factories import BODY_DATA

MODELS = [Diet, Allergen, Tag, Food, FoodPortion, Recipe, Profile, Household, MealPlan]


@pytest.fixture
def one_of_each(db):
    """One saved object per admin model, to open its change page."""
    food = make_food()
    portion = make_portion(food)
    recipe = make_recipe(ingredients=[(food, 100)], is_breakfast=True)
    recipe.tags.add(Tag.objects.create(name="Quick", slug="quick"))
    recompute_recipe_nutrition(recipe)
    user = get_user_model().objects.create_user("ana", "ana@example.com", "pw")
    profile = Profile.objects.create(user=user, diet=Diet.objects.get(slug="vegetarian"), **BODY_DATA)
    plan = MealPlan.objects.create(
        owner=user, start_date=datetime.date(2026, 1, 5), days=7,
        target_kcal=2000, target_protein_g=100, target_fat_g=70, target_carb_g=240,
    )
    PlannedMeal.objects.create(plan=plan, day=0, slot=0, meal_type="breakfast", recipe=recipe, servings=1)
    return {
        Diet: Diet.objects.get(slug="keto"), Allergen: Allergen.objects.get(slug="peanuts"), Tag: recipe.tags.get(),
        Food: food, FoodPortion: portion, Recipe: recipe, Profile: profile, Household: profile.household, MealPlan: plan,
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


# What staff must see of each fixture object: its changelist row cells (by column) and its change
# form's fields (by input name, the value shown); the add page offers the same inputs, empty.
KEY_FIELDS = {
    Diet: ({"name": "Keto", "protein_pct": "20", "fat_pct": "75", "carb_pct": "5"},
           {"name": "Keto", "slug": "keto", "protein_pct": "20", "fat_pct": "75", "carb_pct": "5"}),
    Allergen: ({"name": "Peanuts", "slug": "peanuts"}, {"name": "Peanuts", "slug": "peanuts"}),
    Tag: ({"name": "Quick", "slug": "quick"}, {"name": "Quick", "slug": "quick"}),
    Food: ({"name": "Egg, whole, raw, fresh", "source_id": "01123", "category": "Dairy and Egg Products",
            "energy_kcal": "143.0", "protein_g": "12.56"},
           {"name": "Egg, whole, raw, fresh", "source_id": "01123", "energy_kcal": "143.0", "protein_g": "12.56",
            "portions-0-measure": "large", "portions-0-gram_weight": "50.0"}),
    FoodPortion: ({"food": "Egg, whole, raw, fresh", "measure": "large", "gram_weight": "50.0"},
                  {"food": "Egg, whole, raw, fresh", "measure": "large", "gram_weight": "50.0"}),
    Recipe: ({"title": "Scrambled eggs", "meal_types_display": "breakfast", "kcal_per_serving": "72"},
             {"title": "Scrambled eggs", "slug": "scrambled-eggs", "servings": "2", "is_breakfast": "on",
              "tags": "Quick", "ingredients-0-food": "Egg, whole, raw, fresh", "ingredients-0-grams": "100.0"}),
    Profile: ({"user": "ana", "household": "ana's household", "sex": "Female", "age": "35", "diet": "Vegetarian"},
              {"user": "ana", "household": "ana's household", "sex": "Female", "age": "35", "diet": "Vegetarian"}),
    Household: ({"name": "ana's household", "member_count": "1"},
                {"name": "ana's household", "members-0-user": "ana", "members-0-age": "35"}),
    MealPlan: ({"owner": "ana", "days": "7", "target_kcal": "2000"},
               {"owner": "ana", "start_date": "2026-01-05", "days": "7", "target_kcal": "2000",
                "meals-0-recipe": "Scrambled eggs", "meals-0-meal_type": "Breakfast", "meals-0-servings": "1.0"}),
}
SEARCH = {Diet: "keto", Allergen: "peanuts"}  # one row among the shipped reference data


def cell_text(page, column: str) -> str:
    """The changelist's only row's cell in `column`."""
    cells = page.xpath(f'//table[@id="result_list"]//*[contains(concat(" ", @class, " "), " field-{column} ")]')
    assert len(cells) == 1, column
    return cells[0].text_content().strip()


def shown_value(page, name: str) -> str:
    """What a form field shows: an input's value, a textarea's text, a checkbox's state or the chosen option."""
    [field] = page.xpath(f'//*[@name="{name}"]')
    if field.tag == "select":
        return ", ".join(option.text_content().strip() for option in field.xpath("option[@selected]"))
    if field.tag == "textarea":
        return field.text_content()
    if field.get("type") == "checkbox":
        return "on" if field.get("checked") is not None else "off"
    return field.get("value", "")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_see_each_objects_key_fields_on_its_changelist_and_change_page(admin_client, one_of_each, model):
    urls = admin_urls(model, one_of_each[model])
    row, form = KEY_FIELDS[model]
    changelist = admin_client.get(urls["changelist"], {"q": SEARCH.get(model, "")})
    assert changelist.status_code == 200
    page = lxml.html.fromstring(changelist.content)
    assert {column: cell_text(page, column) for column in row} == row
    change = admin_client.get(urls["change"])
    assert change.status_code == 200
    page = lxml.html.fromstring(change.content)
    assert {name: shown_value(page, name) for name in form} == form
    add = lxml.html.fromstring(admin_client.get(urls["add"]).content)
    assert [name for name in form if "-" not in name and not add.xpath(f'//*[@name="{name}"]')] == []


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
        Profile.objects.create(user=user, diet=diet, **BODY_DATA)
        MealPlan.objects.create(owner=user, start_date=datetime.date(2026, 1, 5), days=7,
                                target_kcal=2000, target_protein_g=100, target_fat_g=70, target_carb_g=240)
        make_portion(make_food(source_id=f"9{number:04d}", name=f"Food {number}"))


@pytest.mark.parametrize("model", [Profile, Household, MealPlan, FoodPortion], ids=lambda m: m.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, db, model, django_assert_max_num_queries):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    add_profiles_and_plans(0, 2)
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    add_profiles_and_plans(2, 40)
    with django_assert_max_num_queries(len(few)):
        response = admin_client.get(url)
    assert response.context["cl"].result_count == 42
