"""The plan page served whole from the worker's cache (mealplan.pages.cache): the same page, its own
CSRF token in every response, the person's own name and navigation, messages still shown."""

import re

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from mealplan import services
from mealplan.pages import cache
from tests.web_factories import make_plan, make_user, share_plan, small_catalog

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


@pytest.fixture
def owner(db):
    return make_user("olga")


@pytest.fixture
def plan(owner):
    return make_plan(owner, small_catalog(), days=1)


def tokens(page: str) -> set[str]:
    return {a or b for a, b in TOKEN.findall(page)}


def test_each_response_carries_its_own_working_csrf_token(owner, plan):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    first, second = (client.get(plan.get_absolute_url()).content.decode() for _ in range(2))
    assert cache.TOKEN_HOLE not in second
    assert len(tokens(first)) == len(tokens(second)) == 1 and tokens(first) != tokens(second)  # masked afresh
    assert TOKEN.sub("", first) == TOKEN.sub("", second)
    meal = plan.meals.first()
    response = client.post(reverse("meal-lock", args=[plan.pk, meal.pk]),
                           {"locked": "1", "csrfmiddlewaretoken": tokens(second).pop()})
    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.locked


def test_household_members_each_see_their_own_name_and_navigation(client, owner, plan):
    partner = make_user("pavel")
    services.join_household(user=partner, invitation=services.invite_to_household(
        household=owner.profile.household, user=owner))
    share_plan(plan, partner.profile)
    get_user_model().objects.filter(pk=owner.pk).update(is_staff=True)
    for user, name, admin in ((owner, "olga", True), (partner, "pavel", False), (owner, "olga", True)):
        client.force_login(get_user_model().objects.get(pk=user.pk))
        page = client.get(plan.get_absolute_url()).content.decode()
        assert f"signed in as {name}" in page
        assert (reverse("admin:index") in page) is admin
    get_user_model().objects.filter(pk=owner.pk).update(is_staff=False)
    assert reverse("admin:index") not in client.get(plan.get_absolute_url()).content.decode()


def test_a_message_waiting_for_the_next_page_is_shown_on_a_cached_page(owner, plan):
    def request():
        made = RequestFactory().get(plan.get_absolute_url())
        made.user, made.session = owner, session
        made._messages = FallbackStorage(made)
        return made

    session = SessionStore()
    render = lambda made: cache.render_page(made, "base.html", {}, shows=(plan.pk,)).content.decode()  # noqa: E731
    assert "Plan saved" not in render(request())
    with_message = request()
    messages.success(with_message, "Plan saved")
    assert "Plan saved" in render(with_message)
