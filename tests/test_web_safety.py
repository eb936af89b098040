"""Owner scoping, CSRF and CSP across every URL of the project."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern

from meals.models import Recipe, RecipeIngredient
from mealplan import services
from mealplan.models import (
    HouseholdInvitation, MealPlan, PlanJob, PlanJobKind, PlanJobStatus, PlannedMeal, Profile, ShoppingItemCheck,
)
from tests.web_factories import PASSWORD, PLAN_START, make_plan, make_user, small_catalog

SECRET_NAME = "zebediah-secret-owner"


def walk(patterns, prefix=""):
    """(route, name, pattern) for every URL pattern, following includes; admin is skipped."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin" or route.startswith("admin/"):
                continue
            yield from walk(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            yield route, entry.name, entry


@pytest.fixture
def world(db):
    """The first user with a profile, a plan, a locked meal, a ticked item, a finished job on the plan, a
    recipe of their own, a member without an account in their household and an invitation to it; a
    second user."""
    owner = make_user(SECRET_NAME)
    Profile.objects.filter(user=owner).update(household_size=7, target_kcal=3333)
    plan = make_plan(owner, small_catalog(), days=3, household_size=7)
    MealPlan.objects.filter(pk=plan.pk).update(target_kcal=3333)
    meal = plan.meals.order_by("pk").first()
    meal.locked = True
    meal.save()
    food_id = meal.recipe.ingredients.exclude(food=None).first().food_id
    ShoppingItemCheck.objects.create(plan=plan, food_id=food_id)
    own = Recipe.objects.create(owner=owner, title=f"{SECRET_NAME} stew", slug="own-stew", is_dinner=True)
    RecipeIngredient.objects.create(recipe=own, original_text="2 cups secret beans", order=0)
    household = Profile.objects.get(user=owner).household
    member = Profile.objects.create(household=household, name=f"{SECRET_NAME}-child", sex="female", age=6,
                                    height_cm=115, weight_kg=20)
    invitation = services.invite_to_household(household=household, user=owner)
    job = PlanJob.objects.create(owner=owner, plan=plan, kind=PlanJobKind.REGENERATE_PLAN, status=PlanJobStatus.DONE)
    other = make_user("intruder")
    return {"owner": owner, "plan": plan, "meal": meal, "other": other, "own_recipe": own, "member": member,
            "invitation": invitation, "job": job}


def snapshot(plan):
    return {
        "plan": MealPlan.objects.filter(pk=plan.pk).values().first(),
        "meals": list(PlannedMeal.objects.filter(plan=plan).order_by("pk").values()),
        "checks": sorted(ShoppingItemCheck.objects.filter(plan=plan).values_list("food_id", flat=True)),
        "profile": Profile.objects.filter(user=plan.owner).values().first(),
        "own_recipes": list(Recipe.objects.filter(owner=plan.owner).values()),
        "own_lines": list(RecipeIngredient.objects.filter(recipe__owner=plan.owner).values()),
        "members": list(Profile.objects.filter(household__members__user=plan.owner).order_by("pk").values()),
        "invitations": list(HouseholdInvitation.objects.filter(household__members__user=plan.owner).values()),
    }


# An invitation link whose signature is not ours: the join page answers 404 (tests/test_web_households.py
# follows real links).
UNSIGNED_INVITATION = "not-an-invitation"


def url_for(route: str, pattern: URLPattern, world) -> str:
    values = {
        "pk": world["own_recipe"].pk if route.startswith("my-recipes/") else
              world["job"].pk if route.startswith("plans/jobs/") else world["plan"].pk,
        "meal_pk": world["meal"].pk,
        "day": 0,
        "slug": world["meal"].recipe.slug,
        "uidb64": "MQ",
        "token": "set-password",
        "member_pk": world["member"].pk,
        "invitation_pk": world["invitation"].pk,
        "invitation": UNSIGNED_INVITATION,
    }
    unknown = set(pattern.pattern.converters) - set(values)
    assert not unknown, f"teach this test a value for {unknown} in {route}"
    path = "/" + route
    for name in pattern.pattern.converters:
        path = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), path)
    return path


OWNER_SCOPED = {"pk", "meal_pk", "member_pk", "invitation_pk", "invitation"}


def former_member(world):
    """A person who joined the owner's household through an invitation, then left it."""
    leaver = make_user("leaver")
    services.join_household(user=leaver, invitation=services.invite_to_household(
        household=world["plan"].household, user=world["owner"]))
    services.leave_household(user=leaver)
    return leaver


@pytest.mark.parametrize("outsider", ["stranger", "former member"])
def test_an_outsider_gets_404_or_redirect_and_never_sees_or_changes_the_households_data(world, outsider):
    """Everything of a household (its plans, their meals, jobs and shopping lists, its members and
    invitations) is closed to anybody outside it, including somebody who has left it."""
    if outsider == "former member":
        world["other"] = former_member(world)
    client = Client()
    client.force_login(world["other"])
    before = snapshot(world["plan"])
    checked = []
    for route, name, pattern in walk(get_resolver().url_patterns):
        url = url_for(route, pattern, world)
        for method in ("get", "post"):
            response = getattr(client, method)(url, {"locked": "0", "food": [], "recipe": world["meal"].recipe_id})
            if OWNER_SCOPED & set(pattern.pattern.converters):
                assert response.status_code in (404, 405), (method, url, response.status_code)
            else:
                assert response.status_code in (200, 302, 400, 405), (method, url, response.status_code)
            body = response.content.decode(errors="replace")
            assert SECRET_NAME not in body, (method, url)
            assert "3333" not in body, (method, url)
            client.force_login(world["other"])  # a walked logout must not end the walk
            checked.append(name)
    assert snapshot(world["plan"]) == before
    assert {"plan-detail", "plan-job", "shopping-csv", "meal-swap", "day-regenerate", "profile", "own-recipe-detail",
            "own-recipe-edit", "own-recipe-delete", "household", "member-edit", "member-remove", "invitation-cancel",
            "household-join"} <= set(checked)


PLAN_SCOPED = {"pk", "meal_pk"}


def test_every_plan_url_is_open_to_every_member_of_the_plans_household_with_an_account(world):
    """A member who joined through an invitation reaches each of the household's plan pages (the
    owner's targets on them), and what they do there changes the household's plan."""
    partner = make_user("partner")
    services.join_household(user=partner, invitation=world["invitation"])
    client = Client()
    client.force_login(partner)
    walked = []
    for route, name, pattern in walk(get_resolver().url_patterns):
        if not route.startswith("plans/") or not PLAN_SCOPED & set(pattern.pattern.converters):
            continue
        response = client.get(url_for(route, pattern, world))
        assert response.status_code in (200, 302, 405), (route, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith(world["plan"].get_absolute_url()), route
        walked.append(name)
    assert {"plan-detail", "plan-job", "plan-delete", "meal-swap", "shopping-list", "shopping-print",
            "shopping-csv"} <= set(walked)
    assert "3333" in client.get(world["plan"].get_absolute_url()).content.decode()
    assert client.post(reverse("meal-lock", args=[world["plan"].pk, world["meal"].pk]), {"locked": "0"}).status_code == 302
    assert not PlannedMeal.objects.get(pk=world["meal"].pk).locked


def test_anonymous_visitors_are_sent_to_log_in_for_every_plan_url(world):
    client = Client()
    for route, name, pattern in walk(get_resolver().url_patterns):
        if OWNER_SCOPED & set(pattern.pattern.converters):
            response = client.get(url_for(route, pattern, world))
            assert response.status_code in (302, 405), route
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("login"))


def every_path(patterns, values, prefix=""):
    """(concrete path, pattern) for every URL pattern, admin included; route and regex patterns alike."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from every_path(entry.url_patterns, values, prefix + str(entry.pattern))
            continue
        names = set(entry.pattern.converters) | set(entry.pattern.regex.groupindex)
        assert names <= set(values), f"teach this test a value for {names - set(values)} in {prefix}{entry.pattern}"
        if isinstance(entry.pattern, RegexPattern):
            route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(values[m.group(1)]), str(entry.pattern))
            route = route.replace("^", "").replace("$", "")
        else:
            route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), str(entry.pattern))
        path = "/" + prefix.replace("^", "") + route
        assert resolve(path).func is entry.callback, f"{path} does not resolve to {prefix}{entry.pattern}"
        yield path, entry


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(world):
    """Walks the resolver, so a new URL is covered without anyone listing it. The CSRF middleware
    refuses before the view runs, so every pattern is posted to (GET-only views included) by a
    superuser owner; a view marked @csrf_exempt would answer with its own page instead."""
    owner = world["owner"]
    type(owner).objects.filter(pk=owner.pk).update(is_staff=True, is_superuser=True)
    values = {
        "pk": world["plan"].pk, "meal_pk": world["meal"].pk, "day": 0, "slug": world["meal"].recipe.slug,
        "uidb64": "MQ", "token": "set-password", "object_id": world["plan"].pk, "id": owner.pk,
        "content_type_id": 1, "app_label": "mealplan", "url": "nowhere/", "member_pk": world["member"].pk,
        "invitation_pk": world["invitation"].pk, "invitation": UNSIGNED_INVITATION,
    }
    client = Client(enforce_csrf_checks=True)
    before = snapshot(world["plan"])
    posted = set()
    for path, pattern in every_path(get_resolver().url_patterns, values):
        client.force_login(owner)
        response = client.post(path, {"locked": "0", "recipe": world["meal"].recipe_id, "days": "3",
                                      "start_date": PLAN_START.isoformat(), "post": "yes"})
        assert response.status_code == 403, (path, response.status_code)
        assert "403_csrf.html" in [template.name for template in response.templates], path
        posted.add(pattern.name)
    assert snapshot(world["plan"]) == before
    assert {"plan-new", "plan-regenerate", "day-regenerate", "meal-regenerate", "meal-swap", "meal-lock",
            "signup", "login", "logout", "mealplan_mealplan_delete", "meals_recipe_import", "member-new",
            "member-remove", "household-leave", "invitation-new", "invitation-cancel", "household-join"} <= posted


def test_login_form_post_needs_csrf_token(db):
    make_user("tess")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "tess", "password": PASSWORD})
    assert response.status_code == 403
    page = client.get(reverse("login"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    response = client.post(reverse("login"), {"username": "tess", "password": PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302


@pytest.mark.parametrize("url_name", ["home", "recipe-list", "login", "signup"])
def test_pages_carry_a_self_only_content_security_policy_and_no_inline_code(client, db, url_name):
    response = client.get(reverse(url_name))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    page = response.content.decode()
    assert " style=" not in page and "<style" not in page
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []


GARBAGE = {
    "locked": "sometimes", "recipe": "not-a-recipe", "food": ["zz", "-1"], "days": "-3", "start_date": "never",
    "age": "old", "weight_kg": "heavy", "household_size": "0", "q": "x" * 500, "servings": "lots",
    "username": "", "email": "not-an-email", "password1": "a", "password2": "b", "old_password": "c",
    "new_password1": "d", "new_password2": "e", "password": "",
}


def test_garbage_input_from_the_owner_never_causes_a_server_error(world):
    client = Client(raise_request_exception=False)
    for route, name, pattern in walk(get_resolver().url_patterns):
        if name == "plan-delete":
            continue  # takes no input; deleting would turn every later URL into a 404
        url = url_for(route, pattern, world)
        client.force_login(world["owner"])
        for method in ("get", "post"):
            response = getattr(client, method)(url, GARBAGE)
            assert response.status_code < 500, (method, url, response.status_code)


def test_error_pages_carry_the_brand(client, db):
    missing = client.get("/plans/999999/")
    assert missing.status_code == 302  # anonymous: log in first
    client.force_login(make_user("ines"))
    missing = client.get("/plans/999999/")
    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode() and 'class="brand"' in missing.content.decode()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_user("jon"))
    refused = csrf_client.post(reverse("profile"), {})
    assert refused.status_code == 403 and "reload the page" in refused.content.decode()
    assert "Nothing you entered was lost" in render_to_string("500.html")  # needs no request context
