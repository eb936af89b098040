"""Disliked recipes: "Don't suggest this again" on the plan grid and the recipe page, and the profile's list."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from mealplan.models import Profile
from tests.web_factories import make_plan, make_recipe, make_user, small_catalog

HTMX = {"HX-Request": "true"}
DONT_TEXT = "Don't suggest this again"


def text(response) -> str:
    """The page with entities decoded, so messages compare as people read them."""
    return unescape(response.content.decode())


def disliked_ids(user) -> set[int]:
    return set(Profile.objects.get(user=user).disliked_recipes.values_list("pk", flat=True))


def card(page: str, meal_pk: int) -> str:
    """The HTML of one meal card."""
    return re.search(rf'<li class="meal-card[^"]*" id="meal-{meal_pk}">.*?</li>', page, re.S).group(0)


# The grid on a hand-made plan (no solver): button state, cache, recipe page, profile list.


@pytest.fixture
def owner(db):
    return make_user("dora")


@pytest.fixture
def catalog(db):
    return small_catalog()


def test_meal_cards_offer_dont_suggest_and_the_cached_grid_follows_a_dislike_made_elsewhere(client, owner, catalog):
    plan = make_plan(owner, catalog, days=2)
    soup = catalog["onion-soup"]
    client.force_login(owner)
    page = text(client.get(plan.get_absolute_url()))  # renders and caches the grid
    soup_meal = plan.meals.get(day=0, recipe=soup)
    assert DONT_TEXT in card(page, soup_meal.pk) and "Suggest again" not in page
    # disliked on the recipe page: the plan itself does not change, but its cards must
    response = client.post(reverse("recipe-dislike", args=[soup.slug]), {"disliked": "1"})
    assert response.status_code == 302 and response["Location"] == soup.get_absolute_url()
    page = text(client.get(plan.get_absolute_url()))
    assert "Suggest again" in card(page, soup_meal.pk) and "not suggested any more" in card(page, soup_meal.pk)
    assert page.count("Suggest again") == 2  # the soup on both days, nothing else
    client.post(reverse("recipe-dislike", args=[soup.slug]), {"disliked": "0"})
    assert "Suggest again" not in text(client.get(plan.get_absolute_url()))


def test_suggest_again_on_a_card_keeps_the_meal_and_updates_every_day_showing_it(client, owner, catalog):
    plan = make_plan(owner, catalog, days=3)
    soup = catalog["onion-soup"]
    owner.profile.disliked_recipes.add(soup)
    meal = plan.meals.get(day=1, recipe=soup)
    client.force_login(owner)
    response = client.post(reverse("meal-dislike", args=[plan.pk, meal.pk]), {"suggest": soup.pk}, headers=HTMX)
    page = text(response)
    assert response.status_code == 200 and "<html" not in page
    assert page.startswith('<section class="day" id="day-2"') or '<section class="day" id="day-2" ' in page
    # days 1 and 3 show the soup too: they come out of band, the acted-on day does not (nor do the
    # cost line and the week summary, out of band too)
    assert page.count('<section class="day"') == 3 and page.count('class="day" id="day-2" aria-labelledby="day-2-heading">') == 1
    assert page.count('hx-swap-oob="true"') == 2 + 2
    assert 'id="day-1" aria-labelledby="day-1-heading" hx-swap-oob="true"' in page
    assert "Onion soup can be suggested again." in page and "Suggest again" not in page
    assert disliked_ids(owner) == set()
    meal.refresh_from_db()
    assert meal.recipe_id == soup.pk


def test_recipe_page_button_toggles_with_htmx_and_needs_a_profile(client, owner, catalog):
    soup = catalog["onion-soup"]
    url = reverse("recipe-dislike", args=[soup.slug])
    anonymous = text(client.get(soup.get_absolute_url()))
    assert DONT_TEXT not in anonymous
    assert client.post(url, {"disliked": "1"})["Location"].startswith(reverse("login"))

    client.force_login(owner)
    assert DONT_TEXT in text(client.get(soup.get_absolute_url()))
    response = client.post(url, {"disliked": "1"}, headers=HTMX)
    fragment = text(response)
    assert response.status_code == 200 and fragment.lstrip().startswith("<form")
    assert "Suggest again" in fragment and "We won't suggest Onion soup again." in fragment
    assert disliked_ids(owner) == {soup.pk}
    page = text(client.get(soup.get_absolute_url()))
    assert "Suggest again" in page and "never planned for you" in page
    assert client.post(url, {"disliked": "perhaps"}).status_code == 400
    assert client.post(reverse("recipe-dislike", args=["no-such-recipe"]), {"disliked": "1"}).status_code == 404
    assert disliked_ids(owner) == {soup.pk}

    newcomer = make_user("newt", with_profile=False)
    client.force_login(newcomer)
    assert DONT_TEXT not in text(client.get(soup.get_absolute_url()))
    response = client.post(url, {"disliked": "1"})
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    assert not Profile.objects.filter(user=newcomer).exists()


def test_dislike_posts_need_a_csrf_token(owner, catalog):
    plan = make_plan(owner, catalog, days=1)
    owner.profile.disliked_recipes.add(catalog["rice-pudding"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    for url, data in [
        (reverse("recipe-dislike", args=[catalog["porridge"].slug]), {"disliked": "1"}),
        (reverse("meal-dislike", args=[plan.pk, plan.meals.first().pk]), {"dislike": plan.meals.first().recipe_id}),
        (reverse("profile-recipes"), {"recipes": [catalog["rice-pudding"].pk]}),
    ]:
        assert client.post(url, data).status_code == 403
    assert disliked_ids(owner) == {catalog["rice-pudding"].pk}


def test_profile_lists_disliked_recipes_and_ticked_ones_are_suggested_again(client, owner, catalog):
    owner.profile.disliked_recipes.add(catalog["onion-soup"], catalog["porridge"], catalog["rice-pudding"])
    client.force_login(owner)
    page = text(client.get(reverse("profile")))
    section = page[page.index('id="disliked-recipes"'):]
    assert all(title in section for title in ("Onion soup", "Porridge", "Rice pudding"))
    assert "Chicken rice" not in section
    # without JavaScript: back to the profile with a message
    response = client.post(reverse("profile-recipes"), {"recipes": [catalog["porridge"].pk]}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('profile')}#disliked-recipes"
    assert "1 recipe can be suggested again." in text(response)
    assert disliked_ids(owner) == {catalog["onion-soup"].pk, catalog["rice-pudding"].pk}
    # with htmx: just the section, updated
    response = client.post(
        reverse("profile-recipes"), {"recipes": [catalog["onion-soup"].pk, catalog["rice-pudding"].pk]}, headers=HTMX)
    fragment = text(response)
    assert response.status_code == 200 and fragment.lstrip().startswith("<section")
    assert "2 recipes can be suggested again." in fragment and 'id="no-disliked-recipes"' in fragment
    assert disliked_ids(owner) == set()


def test_profile_recipe_list_refuses_recipes_that_are_not_on_it_and_leaves_others_alone(client, owner, catalog):
    other = make_user("ozzy")
    other.profile.disliked_recipes.add(catalog["chicken-rice"])
    owner.profile.disliked_recipes.add(catalog["porridge"])
    client.force_login(owner)
    for data in ({"recipes": [catalog["chicken-rice"].pk]}, {"recipes": ["zz"]}, {}):
        response = client.post(reverse("profile-recipes"), data)
        assert response.status_code == 400
        page = text(response)
        assert "Your profile" in page and 'class="alert alert-error"' in page
    response = client.post(reverse("profile-recipes"), {}, headers=HTMX)
    assert response.status_code == 400 and "Tick the recipes you want suggested again." in text(response)
    assert disliked_ids(owner) == {catalog["porridge"].pk}
    assert disliked_ids(other) == {catalog["chicken-rice"].pk}


# session + user + profile + the profile form's choices (5) + the disliked recipes
PROFILE_PAGE_QUERIES = 9


def test_profile_page_runs_the_same_queries_for_one_disliked_recipe_and_many(client, owner, catalog,
                                                                              django_assert_max_num_queries):
    client.force_login(owner)
    for extra in (1, 12):
        owner.profile.disliked_recipes.add(*(make_recipe(f"Stew {extra} {n}", []) for n in range(extra)))
        with django_assert_max_num_queries(PROFILE_PAGE_QUERIES):
            page = text(client.get(reverse("profile")))
        assert page.count('name="recipes"') == len(disliked_ids(owner))


# Disliking on the plan grid replaces meals: these use the demo catalog and the real planner.


def repeated_meal(plan):
    """A meal whose recipe appears on two days, if the plan has one."""
    meals = list(plan.meals.order_by("day", "slot"))
    for meal in meals:
        if any(other.recipe_id == meal.recipe_id and other.day != meal.day for other in meals):
            return meal
    return meals[0]


def test_dont_suggest_on_a_card_replaces_every_unlocked_meal_of_that_recipe_and_keeps_locked_ones(client, plan):
    meal = repeated_meal(plan)
    recipe_id = meal.recipe_id
    others = list(plan.meals.filter(recipe_id=recipe_id).exclude(pk=meal.pk))
    locked_elsewhere = plan.meals.exclude(recipe_id=recipe_id).exclude(day=meal.day).first()
    locked_elsewhere.locked = True
    locked_elsewhere.save()
    untouched = {m.pk: m.recipe_id for m in plan.meals.exclude(recipe_id=recipe_id).exclude(day=meal.day)}
    page = text(client.get(plan.get_absolute_url()))  # cache the grid
    assert DONT_TEXT in card(page, meal.pk)

    response = client.post(reverse("meal-dislike", args=[plan.pk, meal.pk]), {"dislike": meal.recipe_id}, headers=HTMX)
    fragment = text(response)
    assert response.status_code == 200 and "<html" not in fragment
    assert f'<section class="day" id="day-{meal.day + 1}"' in fragment
    assert "and have replaced it" in fragment
    assert fragment.count('hx-swap-oob="true"') == len({m.day for m in others} - {meal.day}) + 2  # + cost, summary
    assert recipe_id in disliked_ids(plan.owner)
    assert not plan.meals.filter(recipe_id=recipe_id).exists()
    assert {m.pk: m.recipe_id for m in plan.meals.filter(pk__in=untouched)} == untouched
    page = text(client.get(plan.get_absolute_url()))
    new_card = card(page, meal.pk)
    assert DONT_TEXT in new_card and "Suggest again" not in page


def test_dont_suggest_replaces_a_locked_meal_acted_on_but_not_locked_copies(client, plan):
    meal = repeated_meal(plan)
    plan.meals.filter(recipe_id=meal.recipe_id).update(locked=True)
    copies = list(plan.meals.filter(recipe_id=meal.recipe_id).exclude(pk=meal.pk).values_list("pk", flat=True))
    response = client.post(reverse("meal-dislike", args=[plan.pk, meal.pk]), {"dislike": meal.recipe_id})
    assert response.status_code == 302 and response["Location"] == f"{plan.get_absolute_url()}#day-{meal.day + 1}"
    replaced = plan.meals.get(pk=meal.pk)
    assert replaced.recipe_id != meal.recipe_id and not replaced.locked
    assert set(plan.meals.filter(recipe_id=meal.recipe_id).values_list("pk", flat=True)) == set(copies)
    page = text(client.get(response["Location"]))
    assert "and have replaced it" in page  # the message, shown without JavaScript
    for pk in copies:
        assert "Suggest again" in card(page, pk)


def test_dont_suggest_is_refused_whole_when_nothing_else_fits(client, plan, person):
    meal = plan.meals.filter(meal_type="breakfast").first()
    others = plan.owner.profile.disliked_recipes
    from meals.models import Recipe

    others.add(*Recipe.objects.filter(is_breakfast=True).exclude(pk=meal.recipe_id))
    before = disliked_ids(person)
    response = client.post(reverse("meal-dislike", args=[plan.pk, meal.pk]), {"dislike": meal.recipe_id}, headers=HTMX)
    fragment = text(response)
    assert response.status_code == 200 and "No change" in fragment
    assert disliked_ids(person) == before
    assert plan.meals.get(pk=meal.pk).recipe_id == meal.recipe_id


def test_meal_dislike_rejects_bad_input_and_other_peoples_meals(client, plan):
    meal = plan.meals.first()
    url = reverse("meal-dislike", args=[plan.pk, meal.pk])
    for data in ({"disliked": "1"}, {"dislike": "x"}, {"dislike": meal.recipe_id, "suggest": meal.recipe_id}, {}):
        assert client.post(url, data).status_code == 400
    assert client.get(url).status_code == 405
    client.force_login(make_user("mallory"))
    assert client.post(url, {"dislike": meal.recipe_id}).status_code == 404
    assert disliked_ids(plan.owner) == set()


def test_a_second_click_after_the_replacement_does_not_turn_down_the_new_recipe(client, plan):
    meal = plan.meals.filter(meal_type="dinner").first()
    url = reverse("meal-dislike", args=[plan.pk, meal.pk])
    assert client.post(url, {"dislike": meal.recipe_id}, headers=HTMX).status_code == 200
    replacement = plan.meals.get(pk=meal.pk).recipe_id
    response = client.post(url, {"dislike": meal.recipe_id}, headers=HTMX)  # the same button, clicked again
    assert response.status_code == 200 and "had already changed, so nothing was done" in text(response)
    assert f'name="dislike" value="{replacement}"' in text(response)  # the card as it is now
    assert plan.meals.get(pk=meal.pk).recipe_id == replacement
    assert disliked_ids(plan.owner) == {meal.recipe_id}
    response = client.post(url, {"suggest": meal.recipe_id})
    assert response.status_code == 302 and disliked_ids(plan.owner) == {meal.recipe_id}


def test_dislikes_have_one_home_the_catalog_app_never_imports_the_plans_app():
    """Dislikes live in `mealplan`; the recipe pages show them through its template tags, so no
    module of the catalog app (`meals`) reaches up into the plans app."""
    import ast
    from pathlib import Path

    import meals

    upward = []
    for path in Path(meals.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            upward += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "mealplan"]
    assert upward == []
