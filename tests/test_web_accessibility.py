"""Every page: one h1, no skipped heading levels, a label for every control, a skip link."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from mealplan import services
from mealplan.models import Profile
from tests.web_factories import make_plan, make_user, small_catalog


class PageOutline(HTMLParser):
    """Collects headings, form controls and the ids that labels point at."""

    def __init__(self):
        super().__init__()
        self.headings, self.controls, self.label_targets = [], [], set()
        self.open_labels = 0
        self.skip_link = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.headings.append(int(tag[1]))
        elif tag == "label":
            self.open_labels += 1
            if attrs.get("for"):
                self.label_targets.add(attrs["for"])
        elif tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            self.controls.append((attrs, self.open_labels > 0))
        elif tag == "a" and attrs.get("class") == "skip-link" and attrs.get("href") == "#main":
            self.skip_link = True

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1


def outline(html: str) -> PageOutline:
    parser = PageOutline()
    parser.feed(html)
    return parser


@pytest.fixture
def pages(client, db):
    user = make_user("hana")
    catalog = small_catalog()
    plan = make_plan(user, catalog)
    meal = plan.meals.first()
    child = services.save_member(household=user.profile.household, excluded_allergens=[], skipped_meals=[(0, "lunch")],
                                 member=Profile(name="Mia", sex="female", age=6, height_cm=115, weight_kg=20))
    services.invite_to_household(household=user.profile.household, user=user)
    client.force_login(user)
    return [
        reverse("home"), reverse("profile"), reverse("plan-new"), reverse("plan-list"), plan.get_absolute_url(),
        reverse("plan-delete", args=[plan.pk]), reverse("meal-swap", args=[plan.pk, meal.pk]),
        reverse("shopping-list", args=[plan.pk]), reverse("shopping-print", args=[plan.pk]),
        reverse("recipe-list"), catalog["porridge"].get_absolute_url(), reverse("password_change"),
        reverse("household"), reverse("member-new"), reverse("member-edit", args=[child.pk]), reverse("household-skips"),
        reverse("account-delete"),
    ]


ANONYMOUS_PAGES = ["login", "signup", "password_reset"]


def assert_accessible(url: str, html: str):
    page = outline(html)
    assert page.skip_link, url
    assert page.headings.count(1) == 1, (url, page.headings)
    for before, after in zip(page.headings, page.headings[1:]):
        assert after <= before + 1, (url, page.headings)
    for attrs, wrapped in page.controls:
        labelled = wrapped or attrs.get("id") in page.label_targets or attrs.get("aria-label")
        assert labelled, (url, attrs)


def test_signed_in_pages_are_outlined_and_labelled(client, pages):
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_accessible(url, response.content.decode())


@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_account_pages_are_outlined_and_labelled(client, db, url_name):
    assert_accessible(url_name, client.get(reverse(url_name)).content.decode())
