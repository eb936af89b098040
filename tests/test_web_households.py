"""The household page: members with their targets, members without an account, skipped meals,
invitations (signed, single-use, expiring), leaving; and every household URL closed to outsiders."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from meals.models import Allergen, Recipe
from mealplan import services
from mealplan.models import (
    Household, HouseholdInvitation, MealPlan, PlanJob, PlanJobKind, PlannedMeal, Profile, SkippedMeal,
)
from mealplan.people.households import describe_skips, invitation_token
from tests.web_factories import PASSWORD, make_plan, make_user, share_plan, small_catalog

User = get_user_model()

CHILD = {"name": "Mia", "sex": "female", "age": "6", "height_cm": "115", "weight_kg": "20.5",
         "activity_level": "light", "goal": "maintain"}
WEEKDAY_LUNCHES = [f"{day}:lunch" for day in range(5)]


@pytest.fixture
def parent(db):
    return make_user("pat")


def signed_in(client, user):
    client.force_login(user)
    return client


def add_child(client, **changes):
    return client.post(reverse("member-new"), CHILD | {"skipped_meals": WEEKDAY_LUNCHES} | changes)


def test_a_person_without_a_profile_is_asked_for_one_first(client, db):
    response = signed_in(client, make_user("newbie", with_profile=False)).get(reverse("household"))
    assert response.status_code == 302 and response["Location"] == reverse("profile")


def test_the_household_page_lists_each_member_with_their_own_targets(client, parent):
    response = signed_in(client, parent).get(reverse("household"))
    page = response.content.decode()
    assert response.status_code == 200 and "pat&#x27;s household" in page
    assert "(you)" in page and "1961 kcal" in page  # Mifflin–St Jeor: 35-year-old woman, 170 cm, 70 kg, light
    assert "one dish a meal for everyone here" in page and "made for you alone" not in page


def test_a_child_is_added_with_their_eer_and_the_meals_they_eat_elsewhere(client, parent):
    response = add_child(signed_in(client, parent))
    child = Profile.objects.get(name="Mia")
    assert response.status_code == 302 and response["Location"] == f"{reverse('household')}#member-{child.pk}"
    assert (child.household_id, child.user_id) == (parent.profile.household_id, None)
    assert sorted(child.skipped_meals.values_list("weekday", "meal_type")) == [(day, "lunch") for day in range(5)]
    page = client.get(reverse("household")).content.decode()
    assert "1250 kcal" in page  # IOM 2005: girl 6 y, 115 cm, 20.5 kg, inactive (tests/test_targets.py)
    assert "Lunch: Mon–Fri" in page and "no account" in page


def test_a_child_under_two_is_refused_as_not_planned_and_nothing_is_saved(client, parent):
    response = add_child(signed_in(client, parent), age="1")
    assert response.status_code == 400
    assert "Children under 2 are not planned" in response.content.decode()
    assert not Profile.objects.filter(name="Mia").exists()


def test_a_member_has_their_own_targets_like_a_profile_and_unmeetable_ones_are_refused(client, parent):
    response = add_child(signed_in(client, parent), target_kcal="1400", target_protein_g="50")
    assert response.status_code == 302
    child = Profile.objects.get(name="Mia")
    assert (child.target_kcal, child.target_protein_g, child.target_fat_g) == (1400, 50, None)
    page = client.get(reverse("household")).content.decode()
    assert "1400 kcal" in page and "50 g" in page
    refused = client.post(reverse("member-edit", args=[child.pk]), CHILD | {"target_fat_g": "0"})
    assert refused.status_code == 400 and "A daily fat target of 0 g cannot be planned for" in refused.content.decode()
    assert Profile.objects.get(pk=child.pk).target_fat_g is None
    for body in ({"weight_kg": "0", "height_cm": "0", "age": "9"}, {"age": "1"}, {"age": "300"}):
        odd = client.post(reverse("member-edit", args=[child.pk]), CHILD | body | {"target_protein_g": "40"})
        assert odd.status_code == 400  # the body data's own errors, no targets computed from it


def test_a_member_is_edited_and_their_skipped_meals_replaced(client, parent):
    add_child(signed_in(client, parent))
    child = Profile.objects.get(name="Mia")
    form = client.get(reverse("member-edit", args=[child.pk])).content.decode()
    assert re.search(r'value="0:lunch"[^>]*checked', form) and not re.search(r'value="5:dinner"[^>]*checked', form)
    response = client.post(reverse("member-edit", args=[child.pk]),
                           CHILD | {"age": "7", "skipped_meals": ["5:dinner", "6:dinner"]})
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.age == 7
    assert sorted(child.skipped_meals.values_list("weekday", "meal_type")) == [(5, "dinner"), (6, "dinner")]


def test_a_members_disliked_foods_are_ticked_on_their_form_searched_and_replaced(client, parent):
    catalog = small_catalog()
    foods = sorted({line.food for recipe in catalog.values() for line in recipe.ingredients.all() if line.food},
                   key=lambda food: food.pk)
    add_child(signed_in(client, parent), disliked_foods=[foods[0].pk])
    child = Profile.objects.get(name="Mia")
    assert list(child.disliked_foods.all()) == [foods[0]]
    form = client.get(reverse("member-edit", args=[child.pk])).content.decode()
    assert re.search(rf'value="{foods[0].pk}"[^>]*checked', form) and re.search(rf'value="{foods[1].pk}"', form)
    assert "never planned for Mia" in form
    searched = client.get(reverse("member-edit", args=[child.pk]), {"food_q": "zzz-no-such-food"}).content.decode()
    assert searched.count('class="is-hidden"') == len(foods)  # the no-JavaScript search filters the picker
    client.post(reverse("member-edit", args=[child.pk]), CHILD | {"disliked_foods": [foods[1].pk]})
    assert list(child.disliked_foods.all()) == [foods[1]]


def test_removing_a_member_keeps_their_row_for_past_plans_and_takes_them_off_the_page(client, parent):
    add_child(signed_in(client, parent))
    child = Profile.objects.get(name="Mia")
    assert client.post(reverse("member-remove", args=[child.pk])).status_code == 302
    child.refresh_from_db()
    assert child.removed_at is not None and child.household_id == parent.profile.household_id
    assert f'id="member-{child.pk}"' not in client.get(reverse("household")).content.decode()
    assert client.get(reverse("member-edit", args=[child.pk])).status_code == 404


def test_a_member_with_an_account_sets_their_own_meals_a_day_and_skipped_meals(client, parent):
    response = signed_in(client, parent).post(reverse("household-skips"),
                                              {"skipped_meals": WEEKDAY_LUNCHES, "own_meals_per_day": "2"})
    assert response.status_code == 302
    assert SkippedMeal.objects.filter(member=parent.profile).count() == 5
    page = client.get(reverse("household")).content.decode()
    assert "Lunch: Mon–Fri" in page and "Eats with the household: breakfast and dinner (2 meals a day)." in page
    assert re.search(r'<option value="2" selected>', client.get(reverse("household-skips")).content.decode())
    client.post(reverse("household-skips"), {"own_meals_per_day": ""})
    assert Profile.objects.get(user=parent).own_meals_per_day is None and not SkippedMeal.objects.exists()
    assert client.post(reverse("household-skips"), {"own_meals_per_day": "1"}).status_code == 400


def test_a_member_without_an_account_eats_their_own_meals_a_day_of_the_households(client, parent):
    add_child(signed_in(client, parent), own_meals_per_day="4")
    child = Profile.objects.get(name="Mia")
    assert child.own_meals_per_day == 4
    assert "breakfast, lunch, dinner and a snack (4 meals a day)" in client.get(reverse("household")).content.decode()
    assert add_child(client, name="Leo", own_meals_per_day="7").status_code == 400


def test_the_household_is_renamed(client, parent):
    signed_in(client, parent).post(reverse("household"), {"name": "The Parkers"})
    assert Profile.objects.get(user=parent).household.name == "The Parkers"
    assert signed_in(client, parent).post(reverse("household"), {"name": ""}).status_code == 400


def invite(client, user) -> str:
    """A new invitation to `user`'s household, and the link the page shows for it."""
    signed_in(client, user).post(reverse("invitation-new"))
    invitation = HouseholdInvitation.objects.get(household__members__user=user)
    link = reverse("household-join", args=[invitation_token(invitation.key)])
    assert link in client.get(reverse("household")).content.decode()
    return link


def test_an_invitation_link_lets_one_signed_in_person_join_once(client, parent):
    link = invite(client, parent)
    partner = make_user("sam")
    page = signed_in(client, partner).get(link)
    assert page.status_code == 200 and "Join pat&#x27;s household" in page.content.decode()
    assert client.post(link).status_code == 302
    assert Profile.objects.get(user=partner).household_id == parent.profile.household_id
    invitation = HouseholdInvitation.objects.get()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (partner, True)
    assert "sam" in client.get(reverse("household")).content.decode()

    late = make_user("lou")
    assert signed_in(client, late).get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert Profile.objects.get(user=late).household_id != parent.profile.household_id


def test_an_invitation_expires_after_a_week(client, parent):
    link = invite(client, parent)
    HouseholdInvitation.objects.update(created_at=timezone.now() - timedelta(days=7, seconds=1))
    outsider = make_user("lou")
    assert signed_in(client, outsider).get(link).status_code == 404
    assert client.post(link).status_code == 404
    assert Profile.objects.get(user=outsider).household_id != parent.profile.household_id


def test_a_link_not_signed_by_us_or_cancelled_does_not_work(client, parent):
    link = invite(client, parent)
    invitation = HouseholdInvitation.objects.get()
    outsider = make_user("lou")
    forged = reverse("household-join", args=[f"{invitation.key}:forged-signature"])
    assert signed_in(client, outsider).get(forged).status_code == 404
    signed_in(client, parent).post(reverse("invitation-cancel", args=[invitation.pk]))
    assert not HouseholdInvitation.objects.exists()
    assert signed_in(client, outsider).get(link).status_code == 404


def test_a_used_invitation_is_refused_by_the_service_too(parent):
    invitation = services.invite_to_household(household=parent.profile.household, user=parent)
    services.join_household(user=make_user("sam"), invitation=invitation)
    with pytest.raises(ValidationError, match="used or has expired"):
        services.join_household(user=make_user("lou"), invitation=invitation)


def test_members_without_an_account_come_along_when_nobody_with_one_stays_behind(client, parent):
    partner = make_user("sam")
    add_child(signed_in(client, partner))
    link = invite(client, parent)
    signed_in(client, partner).post(link)
    assert Profile.objects.get(name="Mia").household_id == parent.profile.household_id


def test_plans_go_with_their_household_joined_and_stay_with_it_when_one_leaves(client, parent):
    response = signed_in(client, parent).post(reverse("household-leave"))
    assert response.status_code == 302 and Profile.objects.get(user=parent).household_id == parent.profile.household_id
    partner = make_user("sam")
    plan = make_plan(partner, small_catalog())
    link = invite(client, parent)
    signed_in(client, partner).post(link)  # nobody with an account stays behind: sam's plan comes along
    assert MealPlan.objects.get(pk=plan.pk).household_id == parent.profile.household_id
    assert signed_in(client, parent).get(plan.get_absolute_url()).status_code == 200
    assert signed_in(client, partner).post(reverse("household-leave")).status_code == 302
    left = Profile.objects.get(user=partner)
    assert left.household_id != parent.profile.household_id and left.household.name == "sam's household"
    assert MealPlan.objects.get(pk=plan.pk).owner == partner  # who made it
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(reverse("plan-list")).context["plans"].count() == 0
    assert signed_in(client, parent).get(plan.get_absolute_url()).status_code == 200


def test_every_member_url_answers_404_to_somebody_outside_the_household(client, parent):
    add_child(signed_in(client, parent))
    child = Profile.objects.get(name="Mia")
    invitation = services.invite_to_household(household=parent.profile.household, user=parent)
    signed_in(client, make_user("eve"))
    for url in (reverse("member-edit", args=[child.pk]), reverse("member-remove", args=[child.pk]),
                reverse("invitation-cancel", args=[invitation.pk])):
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, CHILD).status_code == 404
    child.refresh_from_db()
    assert child.removed_at is None and child.age == 6 and HouseholdInvitation.objects.filter(pk=invitation.pk).exists()


# "Who doesn't like it" on a household plan's meal card (tests/test_household_plans.py plans again without it).


@pytest.fixture
def shared_plan(client, parent):
    """A hand-made plan Pat shares with Mia (no account); Pat signed in."""
    add_child(signed_in(client, parent))
    child = Profile.objects.get(name="Mia")
    catalog = small_catalog()
    plan = make_plan(parent, catalog, days=1)
    share_plan(plan, child)
    plan.catalog = catalog
    return plan, child


def test_a_household_plans_meal_card_asks_who_doesnt_like_it_and_a_plan_for_one_does_not(client, parent, shared_plan):
    plan, child = shared_plan
    meal = plan.meals.first()
    page = client.get(plan.get_absolute_url()).content.decode()
    choice = re.search(rf'<select id="who-{meal.pk}" name="who-{meal.pk}" form="plan-actions".*?</select>', page, re.S)
    assert choice and re.findall(r'<option value="(\d*)">([^<]*)<', choice.group(0)) == [("", "You"), (str(child.pk), "Mia")]
    assert f'hx-include="#who-{meal.pk}"' in page
    services.remove_member(member=child)  # no longer offered: the cached grid follows
    assert f'<option value="{child.pk}">' not in client.get(plan.get_absolute_url()).content.decode()
    alone = make_plan(parent, plan.catalog, days=1)
    assert "who-" not in client.get(alone.get_absolute_url()).content.decode()


def test_a_household_plans_shopping_list_says_whom_it_feeds_not_cooking_for_one(client, parent, shared_plan):
    plan, _child = shared_plan
    page = client.get(reverse("shopping-list", args=[plan.pk])).content.decode()
    assert "one dish a meal for 2 people." in page and "cooking for 1" not in page


def test_who_doesnt_like_it_refuses_a_member_of_another_household_and_bad_input(client, parent, shared_plan):
    plan, child = shared_plan
    meal = plan.meals.first()
    url = reverse("meal-dislike", args=[plan.pk, meal.pk])
    stranger = make_user("eve")
    elsewhere = Profile.objects.create(household=stranger.profile.household, name="Leo", sex="male", age=5,
                                       height_cm=110, weight_kg=19)
    before = list(plan.meals.values_list("pk", "recipe_id"))
    for other in (elsewhere, stranger.profile):
        assert client.post(url, {"dislike": meal.recipe_id, f"who-{meal.pk}": other.pk}).status_code == 404
    for garbage in ("Mia", "-1", "0", "1e400", "2147483648"):
        refused = client.post(url, {"dislike": meal.recipe_id, f"who-{meal.pk}": garbage})
        assert refused.status_code == 400 and "Choose who doesn" in refused.content.decode(), garbage
    assert client.post(url, {"dislike": meal.recipe_id, f"who-{meal.pk}": "9" * 20}).status_code == 400  # input bounds
    services.remove_member(member=child)
    assert client.post(url, {"dislike": meal.recipe_id, f"who-{meal.pk}": child.pk}).status_code == 404
    signed_in(client, stranger)  # somebody outside the household: the meal itself is not found
    assert client.post(url, {"dislike": meal.recipe_id}).status_code == 404
    assert client.post(url, {"dislike": meal.recipe_id, f"who-{meal.pk}": elsewhere.pk}).status_code == 404
    assert not Profile.disliked_recipes.through.objects.exists()
    assert list(plan.meals.values_list("pk", "recipe_id")) == before
    with pytest.raises(ValidationError, match="Only a member of this plan's household"):
        services.dislike_meal(meal=meal, member=elsewhere)


def test_a_members_turned_down_recipes_are_on_their_page_and_suggested_again_from_there(client, parent, shared_plan):
    plan, child = shared_plan
    recipes = [meal.recipe for meal in plan.meals.order_by("pk")[:2]]
    child.disliked_recipes.set(recipes)
    page = client.get(reverse("member-edit", args=[child.pk])).content.decode()
    assert "Recipes they turned down" in page and all(recipe.title in page for recipe in recipes)
    url = reverse("member-recipes", args=[child.pk])
    assert f'action="{url}"' in page
    assert client.post(url, {"recipes": ["not-a-recipe"]}).status_code == 400
    response = client.post(url, {"recipes": [recipes[0].pk]})
    assert response.status_code == 302 and response["Location"].startswith(reverse("member-edit", args=[child.pk]))
    assert list(child.disliked_recipes.all()) == [recipes[1]]
    partial = client.post(url, {"recipes": [recipes[1].pk]}, headers={"HX-Request": "true"}).content.decode()
    assert "can be suggested to Mia again" in partial and "choose Mia as who doesn" in partial.replace("&#x27;", "'")
    assert not child.disliked_recipes.exists()
    child.disliked_recipes.set(recipes)
    signed_in(client, make_user("eve"))
    assert client.get(url).status_code == 405 and client.post(url, {"recipes": [recipes[0].pk]}).status_code == 404
    assert child.disliked_recipes.count() == 2


@pytest.mark.parametrize("skips, words", [
    ([(0, "lunch"), (1, "lunch"), (2, "lunch"), (3, "lunch"), (4, "lunch")], ["Lunch: Mon–Fri"]),
    ([(5, "dinner"), (6, "dinner"), (0, "breakfast")], ["Breakfast: Mon", "Dinner: Sat, Sun"]),
    ([(0, "snack"), (1, "snack"), (2, "snack"), (4, "snack"), (6, "snack")], ["Snack: Mon–Wed, Fri, Sun"]),
    ([], []),
])
def test_skipped_meals_in_words(skips, words):
    assert describe_skips(skips) == words


# Session with its person, own profile with household, members, their allergens, their skipped meals, invitations.
HOUSEHOLD_PAGE_QUERIES = 6


def test_the_household_page_runs_the_same_queries_for_one_member_and_many(client, parent, django_assert_num_queries):
    signed_in(client, parent)
    with django_assert_num_queries(HOUSEHOLD_PAGE_QUERIES):
        assert client.get(reverse("household")).status_code == 200
    for number in range(4):
        add_child(client, name=f"Child {number}", excluded_allergens=[Allergen.objects.order_by("pk")[number].pk])
    services.invite_to_household(household=parent.profile.household, user=parent)
    with django_assert_num_queries(HOUSEHOLD_PAGE_QUERIES):
        page = client.get(reverse("household")).content.decode()
    assert page.count("Lunch: Mon–Fri") == 4 and page.count("Avoids:") == 4


# Deleting an account: the last member with an account takes the household along, beforehand said so.


def household_rows(household_id):
    return {"household": Household.objects.filter(pk=household_id).exists(),
            "plans": MealPlan.objects.filter(household_id=household_id).count(),
            "members": sorted(Profile.objects.filter(household_id=household_id).values_list("name", flat=True)),
            "invitations": HouseholdInvitation.objects.filter(household_id=household_id).count()}


@pytest.fixture
def lone_parent(client, parent):
    """Pat, the household's one account, with Mia, Leo (removed), a plan, an invitation and an own recipe."""
    add_child(signed_in(client, parent))
    add_child(client, name="Leo")
    services.remove_member(member=Profile.objects.get(name="Leo"))
    make_plan(parent, small_catalog(), days=1)
    services.invite_to_household(household=parent.profile.household, user=parent)
    Recipe.objects.create(owner=parent, title="Pat's stew", slug="pats-stew", is_dinner=True)
    return parent


def test_the_last_account_holder_is_told_the_household_goes_with_their_account_and_it_does(client, lone_parent):
    household_id = lone_parent.profile.household_id
    page = client.get(reverse("account-delete")).content.decode()
    assert "You are the last member of pat&#x27;s household with an account" in page
    assert "its 1 plan, with its shopping list" in page and "without an account: Mia;" in page
    assert "your 1 own recipe" in page and "and the household</button>" in page
    assert reverse("account-delete") in client.get(reverse("profile")).content.decode()
    wrong = client.post(reverse("account-delete"), {"password": "not-it"})
    assert wrong.status_code == 400 and "That is not your password: nothing was deleted." in wrong.content.decode()
    assert household_rows(household_id) == {"household": True, "plans": 1, "members": ["", "Leo", "Mia"],
                                            "invitations": 1}
    response = client.post(reverse("account-delete"), {"password": PASSWORD}, follow=True)
    assert response.redirect_chain[0] == (reverse("home"), 302) and "Your account has been deleted." in response.content.decode()
    assert household_rows(household_id) == {"household": False, "plans": 0, "members": [], "invitations": 0}
    assert not User.objects.filter(pk=lone_parent.pk).exists() and not Recipe.objects.filter(owner_id=lone_parent.pk).exists()
    assert client.get(reverse("profile")).status_code == 302  # signed out


def test_an_account_holder_with_others_leaves_them_the_household_and_its_plans(client, lone_parent):
    household_id = lone_parent.profile.household_id
    sam = make_user("sam")
    services.join_household(user=sam, invitation=services.invite_to_household(household=lone_parent.profile.household,
                                                                              user=lone_parent))
    plan = MealPlan.objects.get(household_id=household_id)
    page = client.get(reverse("account-delete")).content.decode()
    assert "pat&#x27;s household and its plans stay with its other members" in page and "and the household<" not in page
    assert client.post(reverse("account-delete"), {"password": PASSWORD}).status_code == 302
    assert household_rows(household_id) == {"household": True, "plans": 1, "members": ["", "Leo", "Mia"],
                                            "invitations": 2}  # Sam's, used, and the one still open
    assert MealPlan.objects.get(pk=plan.pk).owner is None
    assert signed_in(client, sam).get(plan.get_absolute_url()).status_code == 200


def test_an_own_recipe_in_a_plan_that_stays_keeps_the_account_until_it_is_swapped_out(client, lone_parent):
    sam = make_user("sam")
    services.join_household(user=sam, invitation=services.invite_to_household(household=lone_parent.profile.household,
                                                                              user=lone_parent))
    stew = Recipe.objects.get(owner=lone_parent)
    PlannedMeal.objects.filter(pk=PlannedMeal.objects.first().pk).update(recipe=stew)
    message = "Your own recipes “Pat&#x27;s stew” are in a plan that stays with a household"
    assert message in client.get(reverse("account-delete")).content.decode()
    refused = client.post(reverse("account-delete"), {"password": PASSWORD})
    assert refused.status_code == 400 and message in refused.content.decode()
    assert User.objects.filter(pk=lone_parent.pk).exists() and PlannedMeal.objects.filter(recipe=stew).exists()


def test_deleting_the_last_account_is_one_transaction(lone_parent, monkeypatch):
    """Anything failing on the way (somebody joining meanwhile: the household's PROTECT) undoes it all."""
    household_id, pk = lone_parent.profile.household_id, lone_parent.pk
    before = household_rows(household_id)

    def refuse(household, *args, **kwargs):
        raise ProtectedError("somebody joined meanwhile", set())

    monkeypatch.setattr(Household, "delete", refuse)
    with pytest.raises(ProtectedError):
        services.delete_account(user=lone_parent)
    assert household_rows(household_id) == before and User.objects.filter(pk=pk).exists()


@pytest.mark.parametrize("way", ["delete page", "delete action"])
def test_staff_deleting_the_last_account_in_the_admin_take_the_household_along_as_it_says(admin_client, lone_parent, way):
    household_id = lone_parent.profile.household_id
    sam = make_user("sam")  # an account of a household of its own: it stays
    if way == "delete page":
        url = reverse("admin:auth_user_delete", args=[lone_parent.pk])
        page = admin_client.get(url).content.decode()
        response = admin_client.post(url, {"post": "yes"})
    else:
        body = {"action": "delete_selected", "_selected_action": [lone_parent.pk]}
        page = admin_client.post(reverse("admin:auth_user_changelist"), body).content.decode()
        response = admin_client.post(reverse("admin:auth_user_changelist"), body | {"post": "yes"})
    assert ("Household: pat&#x27;s household (nobody else in it has an account), with its 1 plan and its members "
            "without an account: Mia") in page
    assert response.status_code == 302
    assert household_rows(household_id) == {"household": False, "plans": 0, "members": [], "invitations": 0}
    assert User.objects.filter(pk=sam.pk).exists() and Household.objects.filter(members__user=sam).exists()


def test_an_account_without_a_profile_is_deleted_alone(client, parent):
    newbie = make_user("newbie", with_profile=False)
    PlanJob.objects.create(owner=parent, kind=PlanJobKind.NEW_PLAN)  # somebody else's plan-less job
    page = signed_in(client, newbie).get(reverse("account-delete")).content.decode()
    assert "household" not in page.split("<h1>")[1].split("</form>")[0].lower()
    assert client.post(reverse("account-delete"), {"password": PASSWORD}).status_code == 302
    assert not User.objects.filter(pk=newbie.pk).exists() and PlanJob.objects.filter(owner=parent).exists()
    assert Household.objects.filter(members__user=parent).exists()
