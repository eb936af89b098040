"""A person's own recipes: private pages, lines resolved like staff recipes, planned only for their owner."""

import pytest
from django.test import Client

from meals import services
from meals.models import Recipe
from mealplan import selectors
from tests.nutrition_catalog import make_catalog
from tests.web_factories import make_plan, make_user, small_catalog

FORM = {"title": "Sunday Omelette", "servings": "2", "prep_minutes": "5", "cook_minutes": "10",
        "is_breakfast": "on", "ingredients": "4 large eggs\n1 tbsp olive oil\nsalt to taste",
        "instructions": "Beat the eggs.\nFry."}


@pytest.fixture
def foods(db):
    return make_catalog()


@pytest.fixture
def cook(db):
    user = make_user("cook")
    client = Client()
    client.force_login(user)
    return user, client


def test_adding_a_recipe_parses_its_lines_and_computes_nutrition_and_allergens(foods, cook):
    user, client = cook
    response = client.post("/my-recipes/new/", FORM)
    recipe = Recipe.objects.get(owner=user)
    assert response.status_code == 302 and response["Location"] == f"/my-recipes/{recipe.pk}/"
    assert not recipe.is_published and recipe.is_breakfast and recipe.steps == ["Beat the eggs.", "Fry."]
    lines = list(recipe.ingredients.order_by("order"))
    assert [line.grams for line in lines] == [200, 13.5, 0]
    assert recipe.nutrition_coverage == 1.0
    assert recipe.energy_kcal == pytest.approx((200 * 1.43 + 13.5 * 8.84) / 2, abs=0.01)
    assert {allergen.slug for allergen in recipe.allergens.all()} == {"eggs"}
    page = client.get(recipe.get_absolute_url())
    assert page.status_code == 200 and b"Sunday Omelette" in page.content and b"Edit" in page.content


def test_editing_replaces_the_lines_and_recomputes(foods, cook):
    user, client = cook
    client.post("/my-recipes/new/", FORM)
    recipe = Recipe.objects.get(owner=user)
    form = client.get(f"/my-recipes/{recipe.pk}/edit/")
    assert "4 large eggs\n1 tbsp olive oil\nsalt to taste" in form.content.decode()
    client.post(f"/my-recipes/{recipe.pk}/edit/", {**FORM, "servings": "1", "ingredients": "2 large eggs"})
    recipe.refresh_from_db()
    assert [line.original_text for line in recipe.ingredients.all()] == ["2 large eggs"]
    assert recipe.servings == 1 and recipe.energy_kcal == pytest.approx(100 * 1.43, abs=0.01)


@pytest.mark.parametrize(("change", "error"), [
    ({"is_breakfast": ""}, "Tick at least one meal"),
    ({"ingredients": "  \n "}, "Write at least one ingredient"),
    ({"servings": "500"}, "At most 50 servings"),
    ({"cook_minutes": "5000"}, "At most 1440 minutes"),
    ({"ingredients": "\n".join(["1 egg"] * 61)}, "At most 60 ingredient lines"),
    ({"title": ""}, "This field is required"),
])
def test_a_form_with_errors_saves_nothing_and_says_why(foods, cook, change, error):
    user, client = cook
    response = client.post("/my-recipes/new/", {key: value for key, value in {**FORM, **change}.items() if value})
    assert response.status_code == 200 and error in response.content.decode()
    assert not Recipe.objects.filter(owner=user).exists()


def test_own_recipes_are_private_to_their_owner(foods, cook):
    user, client = cook
    client.post("/my-recipes/new/", FORM)
    recipe = Recipe.objects.get(owner=user)
    other = Client()
    other.force_login(make_user("neighbour"))
    for url in (f"/my-recipes/{recipe.pk}/", f"/my-recipes/{recipe.pk}/edit/", f"/my-recipes/{recipe.pk}/delete/"):
        assert other.get(url).status_code == 404
        assert other.post(url, FORM).status_code == 404
    assert b"Sunday Omelette" not in other.get("/my-recipes/").content
    assert client.get(f"/recipes/{recipe.slug}/").status_code == 404  # never on the public pages
    assert b"Sunday Omelette" not in client.get("/recipes/", {"q": "Sunday"}).content
    assert Recipe.objects.filter(owner=user).count() == 1


def test_the_planner_offers_own_recipes_to_their_owner_only(foods, cook):
    user, client = cook
    client.post("/my-recipes/new/", FORM)
    recipe = Recipe.objects.get(owner=user)
    neighbour = make_user("neighbour")
    mine = selectors.candidate_set(selectors.recipe_candidates(user.profile, "breakfast"))
    theirs = selectors.candidate_set(selectors.recipe_candidates(neighbour.profile, "breakfast"))
    assert recipe.pk in mine.recipe_ids and recipe.pk not in theirs.recipe_ids
    anybody = selectors.recipes_satisfying(selectors.HardRules(), "breakfast")
    assert recipe.pk not in anybody.values_list("pk", flat=True)


def test_deleting_a_recipe_a_plan_uses_is_refused_with_the_reason(cook):
    user, client = cook
    recipes = small_catalog()
    Recipe.objects.filter(pk=recipes["porridge"].pk).update(owner=user, is_published=False)
    make_plan(user, recipes, days=1)
    response = client.post(f"/my-recipes/{recipes['porridge'].pk}/delete/", follow=True)
    assert "is in one of your plans" in response.content.decode()
    assert Recipe.objects.filter(pk=recipes["porridge"].pk).exists()
    client.post("/my-recipes/new/", FORM)
    unused = Recipe.objects.get(owner=user, title="Sunday Omelette")
    assert client.post(f"/my-recipes/{unused.pk}/delete/")["Location"] == "/my-recipes/"
    assert not Recipe.objects.filter(pk=unused.pk).exists()


def test_services_refuse_another_persons_recipe(foods, cook):
    user, _ = cook
    other = make_user("neighbour")
    recipe = services.save_own_recipe(owner=user, fields={
        "title": "Mine", "servings": 2, "prep_minutes": 5, "cook_minutes": 5, "is_breakfast": True,
        "is_lunch": False, "is_dinner": False, "is_snack": False, "instructions": ""}, lines=["2 large eggs"])
    with pytest.raises(Recipe.DoesNotExist):
        services.delete_own_recipe(owner=other, recipe=recipe)
    with pytest.raises(Recipe.DoesNotExist):
        services.save_own_recipe(owner=other, recipe=recipe, fields={"title": "Theirs"}, lines=["1 egg"])
    assert Recipe.objects.get(pk=recipe.pk).title == "Mine"


def test_own_recipe_pages_run_a_fixed_number_of_queries(foods, cook, django_assert_max_num_queries):
    user, client = cook
    for number in range(3):
        client.post("/my-recipes/new/", {**FORM, "title": f"Omelette {number}"})
    recipe = Recipe.objects.filter(owner=user).first()
    with django_assert_max_num_queries(6):
        assert client.get("/my-recipes/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(f"/my-recipes/{recipe.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/my-recipes/{recipe.pk}/edit/").status_code == 200
