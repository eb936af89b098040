"""Headers: signed-in pages are not stored by browsers or proxies; no powerful browser features."""

import pytest
from csp.decorators import csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.http import HttpResponse
from django.urls import reverse

from mealplan.middleware import ContentSecurityPolicyMiddleware

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


def test_the_content_security_policy_is_the_one_django_csp_builds(client, owner):
    """Built once per process (mealplan.middleware.ContentSecurityPolicyMiddleware), the same header."""
    plan = make_plan(owner, small_catalog())
    client.force_login(owner)
    for url in (reverse("login"), plan.get_absolute_url(), reverse("plan-list")):
        assert client.get(url)["Content-Security-Policy"] == build_policy()
    assert "script-src 'self'" in build_policy()


def test_a_view_s_own_policy_and_a_nonce_still_go_through_django_csp(rf):
    @csp_update({"img-src": "https://pictures.example"})
    def picture_page(request):
        return HttpResponse("page")

    def nonce_page(request):
        return HttpResponse(str(request.csp_nonce))

    for view in (picture_page, nonce_page, lambda request: HttpResponse("page")):
        ours, theirs = (middleware(view)(rf.get("/"))["Content-Security-Policy"]
                        for middleware in (ContentSecurityPolicyMiddleware, CSPMiddleware))
        assert ours == theirs
    assert "https://pictures.example" in ContentSecurityPolicyMiddleware(picture_page)(rf.get("/"))["Content-Security-Policy"]
    request = rf.get("/")
    ContentSecurityPolicyMiddleware(lambda request: HttpResponse("page"))(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)  # asked for after the header was written
