"""Headers: signed-in pages are not stored by browsers or proxies; no powerful browser features."""

import pytest
from django.urls import reverse

from tests.web_factories import make_plan, make_user, small_catalog


@pytest.fixture
def owner(db):
    return make_user("hana")


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_signed_in_pages_and_downloads_are_private_and_not_stored(client, owner):
    plan = make_plan(owner, small_catalog())
    client.force_login(owner)
    for url in (reverse("home"), reverse("profile"), plan.get_absolute_url(),
                reverse("shopping-list", args=[plan.pk]), reverse("shopping-csv", args=[plan.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_directives(response), url
        assert "public" not in cache_directives(response)


def test_anonymous_pages_stay_cacheable(client, db):
    assert "no-store" not in cache_directives(client.get(reverse("recipe-list")))


def test_every_page_denies_powerful_browser_features(client, owner):
    policy = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy
