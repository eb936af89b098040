"""In a real browser: "Don't suggest this again" on the plan and a recipe page, the profile's list, and ticking
an ingredient line matched to no food — with JavaScript (htmx) and without."""

import re

import pytest
from django.db.models import Max

from meals.models import Recipe, RecipeIngredient
from tests.test_browser_flow import (
    CHROMIUM, browser, demo_catalog, fill_body_data, page, page_without_javascript, shot, sign_up,
)

__all__ = ["browser", "demo_catalog", "page", "page_without_javascript"]  # fixtures used here by name

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
SAFFRON = "1 pinch of saffron"


@pytest.fixture
def unmatched_lines(demo_catalog):
    """Every demo recipe gets a line no food matches (before Playwright starts, like the catalog)."""
    last = Recipe.objects.annotate(last=Max("ingredients__order")).values_list("pk", "last")
    RecipeIngredient.objects.bulk_create(
        RecipeIngredient(recipe_id=pk, original_text=SAFFRON, order=(order or 0) + 1, problem="no food matched")
        for pk, order in last
    )


def plan_three_days(page):
    fill_body_data(page)
    page.get_by_role("button", name="Save profile").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan my week").click()
    page.get_by_label("Days").fill("3")
    page.get_by_role("button", name="Plan my week").click()
    page.get_by_role("heading", name=re.compile("Your plan from")).wait_for()


def test_dont_suggest_again_with_htmx_from_plan_recipe_and_profile(unmatched_lines, page):
    from playwright.sync_api import expect

    sign_up(page, "hedda")
    plan_three_days(page)
    plan_url = page.url
    first = page.locator(".meal-card").first
    title = first.locator("h3").inner_text()
    with page.expect_response(re.compile(r"/meals/\d+/dislike/$")):
        first.get_by_role("button", name=re.compile("^Don't suggest this again")).click()
    page.get_by_text(f"We won't suggest {title} again and have replaced it.").wait_for()
    expect(page.locator(".meal-card h3", has_text=re.compile(f"^{re.escape(title)}$"))).to_have_count(0)
    shot(page, "10-plan-after-dislike")

    # a recipe that stays in the plan, disliked from its own page
    second = page.locator(".meal-card").nth(1)
    kept_title = second.locator("h3").inner_text()
    second.locator("h3 a").click()
    page.get_by_role("heading", name=kept_title).wait_for()
    with page.expect_response(re.compile(r"/dislike/$")):
        page.get_by_role("button", name="Don't suggest this again").click()
    page.get_by_role("button", name="Suggest again").wait_for()
    page.get_by_text(f"We won't suggest {kept_title} again.").wait_for()
    shot(page, "11-recipe-disliked")

    page.goto(plan_url)  # the cached grid shows the new state of that card
    expect(page.locator(".meal-card").nth(1).get_by_role("button", name=re.compile("^Suggest again"))).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    section = page.locator("#disliked-recipes")
    expect(section.get_by_role("checkbox")).to_have_count(2)
    section.get_by_label(kept_title).check()
    with page.expect_response(re.compile(r"/profile/recipes/$")):
        section.get_by_role("button", name="Suggest ticked recipes again").click()
    page.get_by_text("1 recipe can be suggested again.").wait_for()
    expect(page.locator("#disliked-recipes").get_by_role("checkbox")).to_have_count(1)
    expect(page.locator("#disliked-recipes").get_by_label(title)).to_be_visible()
    shot(page, "12-profile-disliked-recipes")

    page.goto(plan_url)
    page.get_by_role("link", name="Shopping list").first.click()
    saffron = page.get_by_label(re.compile(f"^{SAFFRON}"))
    with page.expect_response(re.compile(r"/shopping/checks/$")):
        saffron.check()
    page.get_by_text(re.compile(r"^1 of \d+ items ticked$")).wait_for()
    page.reload()
    assert page.get_by_label(re.compile(f"^{SAFFRON}")).is_checked()
    shot(page, "13-shopping-other-aisle")
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # a long list of recipes wraps
    assert page.console_problems == []


def test_dont_suggest_again_without_javascript(page_without_javascript):
    page = page_without_javascript
    sign_up(page, "nojs-dislikes")
    plan_three_days(page)
    first = page.locator(".meal-card").first
    title = first.locator("h3").inner_text()
    first.get_by_role("button", name=re.compile("^Don't suggest this again")).click()
    page.get_by_text(f"We won't suggest {title} again and have replaced it.").wait_for()
    assert page.url.endswith("#day-1")
    assert page.locator(".meal-card").first.locator("h3").inner_text() != title

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    page.locator("#disliked-recipes").get_by_label(title).check()
    page.get_by_role("button", name="Suggest ticked recipes again").click()
    page.get_by_text("1 recipe can be suggested again.").wait_for()
    page.get_by_text("None: use").wait_for()
    shot(page, "14-profile-without-javascript")
