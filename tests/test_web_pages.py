"""Profile form with targets, and the public recipe list and detail pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meals.models import Allergen, Diet, Recipe
from mealplan.models import Profile
from tests.web_factories import make_food, make_plan, make_recipe, make_user, small_catalog

PROFILE_DATA = {
    "sex": "female", "age": "40", "height_cm": "165", "weight_kg": "62", "activity_level": "moderate",
    "goal": "maintain", "meals_per_day": "3", "household_size": "2", "max_repeats_per_week": "2",
}


@pytest.fixture
def catalog(db):
    return small_catalog()


def test_profile_is_created_from_the_form_and_shows_computed_targets(client, catalog):
    user = make_user("zoe", with_profile=False)
    client.force_login(user)
    assert "Your daily targets" not in client.get(reverse("profile")).content.decode()
    response = client.post(reverse("profile"), PROFILE_DATA, follow=True)
    page = response.content.decode()
    profile = Profile.objects.get(user=user)
    assert profile.household_size == 2
    # Mifflin–St Jeor: 10×62 + 6.25×165 − 5×40 − 161 = 1290.25 kcal × 1.55 (moderate) ≈ 2000
    assert "Your daily targets" in page and "2000 kcal" in page


def test_profile_overrides_replace_the_computed_targets(client, catalog):
    user = make_user("adam")
    client.force_login(user)
    client.post(reverse("profile"), PROFILE_DATA | {"target_kcal": "2400", "target_protein_g": "150"})
    page = client.get(reverse("profile")).content.decode()
    assert "2400 kcal" in page and "150 g" in page and "your own targets below take precedence" in page


def test_a_first_profile_starts_empty_and_needs_the_body_data(client, catalog):
    user = make_user("yara", with_profile=False)
    client.force_login(user)
    page = client.get(reverse("profile")).content.decode()
    for name in ("age", "height_cm", "weight_kg"):
        field = page.split(f'id="id_{name}"')[0].rsplit("<input", 1)[1] + page.split(f'id="id_{name}"')[1].split(">")[0]
        assert "value=" not in field, name
    sex = page.split('id="id_sex"')[1].split("</select>")[0]
    assert '<option value="" selected>Choose…</option>' in sex and "selected" not in sex.split("Choose…")[1]

    body = ("sex", "age", "height_cm", "weight_kg")
    response = client.post(reverse("profile"), {key: value for key, value in PROFILE_DATA.items() if key not in body})
    page = response.content.decode()
    assert response.status_code == 200 and page.count("This field is required.") == 4
    assert not Profile.objects.filter(user=user).exists()


def test_invalid_profile_input_re_renders_with_messages_and_saves_nothing(client, catalog):
    user = make_user("bea")
    client.force_login(user)
    response = client.post(reverse("profile"), PROFILE_DATA | {"age": "5", "weight_kg": "heavy", "target_kcal": "100"})
    page = response.content.decode()
    assert response.status_code == 200
    # one summary at the top, each error once, next to its field
    assert page.count('role="alert"') == 1 and page.count("Please correct the errors below.") == 1
    assert page.count("greater than or equal to 14") == 1 and page.count("Enter a number.") == 1
    age_field = next(chunk for chunk in page.split('<div class="field') if 'id="id_age"' in chunk)
    assert "greater than or equal to 14" in age_field
    assert Profile.objects.get(user=user).age == 35


def test_disliked_foods_offer_only_foods_used_in_published_recipes(client, catalog):
    make_food("Durian", "Fruits and Fruit Juices")
    user = make_user("cai")
    client.force_login(user)
    page = client.get(reverse("profile")).content.decode()
    assert "Onions</label>" in page and "Chicken breast" in page  # by shopper name, not "Onions, raw"
    assert "Durian" not in page
    onion = catalog["onion-soup"].ingredients.first().food
    client.post(reverse("profile"), PROFILE_DATA | {"disliked_foods": [onion.pk]})
    assert list(Profile.objects.get(user=user).disliked_foods.all()) == [onion]


def test_food_search_hides_other_foods_but_keeps_ticks(client, catalog):
    client.force_login(make_user("dora"))
    chicken = catalog["chicken-rice"].ingredients.get(original_text="400 g chicken").food
    response = client.get(
        reverse("profile-foods"), {"food_q": "oni", "disliked_foods": [chicken.pk]}, headers={"HX-Request": "true"}
    )
    page = " ".join(response.content.decode().split())
    assert page.startswith('<ul class="choice-list" id="disliked-foods"')
    assert f'<li class="is-hidden"> <input type="checkbox" name="disliked_foods" value="{chicken.pk}"' in page
    assert f'value="{chicken.pk}" id="id_disliked_foods_' in page and "checked>" in page
    onion_item = page.split("Onions</label>")[0].rsplit("<li", 1)[1]
    assert "is-hidden" not in onion_item


def recipe_titles(response) -> list[str]:
    return [recipe.title for recipe in response.context["page"].object_list]


def test_recipe_list_filters_by_search_meal_diet_and_time(client, catalog):
    vegetarian = Diet.objects.get(slug="vegetarian")
    catalog["onion-soup"].diets.add(vegetarian)
    url = reverse("recipe-list")
    assert recipe_titles(client.get(url)) == ["Chicken rice", "Onion soup", "Porridge", "Rice pudding"]
    assert recipe_titles(client.get(url, {"q": "rice"})) == ["Chicken rice", "Rice pudding"]
    assert recipe_titles(client.get(url, {"meal_type": "breakfast"})) == ["Porridge", "Rice pudding"]
    assert recipe_titles(client.get(url, {"diet": "vegetarian"})) == ["Onion soup"]
    Recipe.objects.filter(pk=catalog["porridge"].pk).update(prep_minutes=2, cook_minutes=3)
    assert recipe_titles(client.get(url, {"max_minutes": "10"})) == ["Porridge"]


def test_recipe_list_hides_my_allergens_when_asked(client, catalog):
    milk_allergen = Allergen.objects.get(slug="milk")
    for slug in ("porridge", "onion-soup", "rice-pudding"):
        catalog[slug].allergens.add(milk_allergen)
    user = make_user("eli")
    user.profile.excluded_allergens.add(milk_allergen)
    client.force_login(user)
    assert recipe_titles(client.get(reverse("recipe-list"), {"hide_allergens": "on"})) == ["Chicken rice"]
    assert len(recipe_titles(client.get(reverse("recipe-list")))) == 4


def test_recipe_list_marks_the_recipes_i_turned_down(client, catalog):
    user = make_user("dana")
    user.profile.disliked_recipes.add(catalog["porridge"])
    marker = "You asked us not to suggest this one."
    assert marker not in client.get(reverse("recipe-list")).content.decode()
    client.force_login(user)
    cards = client.get(reverse("recipe-list")).content.decode().split('<li class="card">')[1:]
    assert [("Porridge" in card, marker in card) for card in cards if marker in card] == [(True, True)]


def test_recipe_list_queries_do_not_grow_with_the_cards_shown(client, db, django_assert_max_num_queries):
    vegetarian = Diet.objects.get(slug="vegetarian")
    food = make_food("Bean", "Legumes and Legume Products")
    client.force_login(make_user("noor"))

    def add_recipes_up_to(count: int):
        for number in range(Recipe.objects.count(), count):
            make_recipe(f"Bean dish {number:02}", [(food, 100, "100 g beans")]).diets.add(vegetarian)

    add_recipes_up_to(2)
    with CaptureQueriesContext(connection) as two_cards:
        assert len(recipe_titles(client.get(reverse("recipe-list")))) == 2
    add_recipes_up_to(24)
    with django_assert_max_num_queries(len(two_cards)):
        assert len(recipe_titles(client.get(reverse("recipe-list")))) == 24


def test_recipe_list_paginates_and_survives_bad_filters(client, db):
    food = make_food("Bean", "Legumes and Legume Products")
    for number in range(30):
        make_recipe(f"Bean dish {number:02}", [(food, 100, "100 g beans")])
    first = client.get(reverse("recipe-list"), {"q": "bean"})
    assert len(recipe_titles(first)) == 24
    assert "q=bean&amp;page=2" in first.content.decode()
    assert len(recipe_titles(client.get(reverse("recipe-list"), {"q": "bean", "page": "2"}))) == 6
    response = client.get(reverse("recipe-list"), {"max_minutes": "soon", "page": "zzz", "diet": "nope"})
    assert response.status_code == 200
    assert "Enter a whole number." in response.content.decode()


def test_recipe_detail_scales_ingredients_and_shows_the_label(client, catalog):
    recipe = catalog["chicken-rice"]
    page = " ".join(client.get(recipe.get_absolute_url(), {"servings": "5"}).content.decode().split())
    assert "Scaled from 2 to 5 servings" in page
    assert "<td>1 kg chicken</td> <td class=\"num\">1000 g</td>" in page
    assert "<td>2½ onions</td>" in page
    assert "3 pinches of saffron <span class=\"unresolved small\">(unresolved" in page
    assert "Nutrition facts" in page and "Per serving (1 of 2)" in page and "650 kcal" in page
    assert "<li>Cook it.</li>" in page
    bad = client.get(recipe.get_absolute_url(), {"servings": "lots"})
    assert bad.status_code == 200 and "Enter a number." in bad.content.decode()
    assert client.get(reverse("recipe-detail", args=["no-such-recipe"])).status_code == 404


def test_food_search_without_javascript_filters_the_profile_page(client, catalog):
    client.force_login(make_user("emil"))
    page = " ".join(client.get(reverse("profile"), {"food_q": "chick"}).content.decode().split())
    chicken_item = page.split("Chicken breast</label>")[0].rsplit("<li", 1)[1]
    onion_item = page.split("Onions</label>")[0].rsplit("<li", 1)[1]
    assert "is-hidden" not in chicken_item and "is-hidden" in onion_item
    assert 'form="food-search" value="chick"' in page


def test_an_over_long_search_is_refused_with_a_message_not_answered_with_everything(client, catalog):
    owner = make_user("otto")
    plan = make_plan(owner, catalog, days=1)
    client.force_login(owner)
    long_query = "chicken " * 100  # 800 characters
    listing = client.get(reverse("recipe-list"), {"q": long_query})
    page = listing.content.decode()
    assert listing.status_code == 200 and recipe_titles(listing) == []
    assert "A search can be at most 200 characters; shorten it and try again." in page
    assert 'aria-invalid="true"' in page and long_query not in page
    assert recipe_titles(client.get(reverse("recipe-list"), {"q": "chicken".ljust(200)})) == ["Chicken rice"]  # at the limit

    meal = plan.meals.order_by("slot").first()
    picker = client.get(reverse("meal-swap", args=[plan.pk, meal.pk]), {"q": long_query})
    assert picker.status_code == 200 and list(picker.context["candidates"]) == []
    assert "A search can be at most 200 characters" in picker.content.decode()

    # past what any form takes, the address itself is refused before a view runs (mealplan.middleware)
    huge = client.get(reverse("recipe-list"), {"q": "chicken " * 1250})
    assert huge.status_code == 400 and "longer than 1000 characters" in huge.content.decode()


def test_no_template_comment_spans_lines_which_django_would_print_as_text():
    """`{# … #}` is one line only: a comment broken over lines was shown on the profile page."""
    printed = [
        f"{path.relative_to(settings.BASE_DIR)}: {match[0][:40]!r}"
        for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
        for match in re.finditer(r"\{#[^\n]*?\n", path.read_text(encoding="utf-8"))
        if "#}" not in match[0]
    ]
    assert printed == []


@pytest.mark.parametrize(("minutes", "shown"), [(0, "0 min"), (45, "45 min"), (60, "1 h"), (90, "1 h 30 min"),
                                                (615, "10 h 15 min"), (None, "")])
def test_a_long_time_reads_in_hours(minutes, shown):
    from mealplan.templatetags.kitchen import duration

    assert duration(minutes) == shown


def test_recipe_pages_show_a_long_time_in_hours(client, catalog):
    recipe = Recipe.objects.filter(is_published=True).first()
    Recipe.objects.filter(pk=recipe.pk).update(prep_minutes=15, cook_minutes=600)
    page = client.get(reverse("recipe-detail", args=[recipe.slug])).content.decode()
    assert "Prep 15 min · cook 10 h" in page
    assert "10 h 15 min" in client.get(reverse("recipe-list")).content.decode()
