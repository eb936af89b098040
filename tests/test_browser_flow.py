"""A person's first week in a real browser: sign up → profile → plan → swap → shop → tick → reload.

Drives Debian's Chromium through Playwright against the live test server;
screenshots land in test-artifacts/ (git-ignored).
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    # live_server needs real transactions; serialized_rollback restores the reference data
    # (diets, allergens) that migrations seed and each transactional test's flush removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture
def demo_catalog(live_server):
    """Loaded before Playwright starts: inside its event loop the ORM would open a second connection."""
    call_command("load_demo", verbosity=0)
    ARTIFACTS.mkdir(exist_ok=True)


@pytest.fixture
def browser(demo_catalog, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain
    # sync code. Scoped to these tests so it never leaks into other processes.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.console_problems = []
    page.on("console", lambda message: page.console_problems.append(message.text)
            if message.type in ("error", "warning") else None)
    yield page
    context.close()


def sign_up(page, username: str):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(f"a-long-browser-passphrase-{username}")
    page.get_by_label("Password confirmation").fill(f"a-long-browser-passphrase-{username}")
    page.get_by_role("button", name="Sign up").click()


def fill_body_data(page, *, weight="64"):
    """A first profile starts empty: the person enters their body data."""
    page.get_by_role("combobox", name="Sex").select_option("female")
    page.get_by_role("spinbutton", name="Age").fill("41")
    page.get_by_role("spinbutton", name="Height (cm)").fill("168")
    page.get_by_role("spinbutton", name="Weight (kg)").fill(weight)


def shot(page, name: str):
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_sign_up_plan_swap_and_tick_the_shopping_list(page):
    from playwright.sync_api import expect

    sign_up(page, "greta")

    page.get_by_role("heading", name="Your profile").wait_for()
    assert page.get_by_role("spinbutton", name="Age").input_value() == ""
    assert page.get_by_role("spinbutton", name="Weight (kg)").input_value() == ""
    fill_body_data(page)
    page.get_by_label("People you cook for").fill("2")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_role("heading", name="Your daily targets").wait_for()
    shot(page, "01-profile")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan my week").click()
    page.get_by_label("Days").fill("3")
    page.get_by_role("button", name="Plan my week").click()
    page.get_by_role("heading", name=re.compile("Your plan from")).wait_for()
    assert page.locator("section.day").count() == 3
    shot(page, "02-plan")

    first_card = page.locator(".meal-card").first
    first_card.get_by_role("link", name=re.compile("^Swap")).click()
    page.get_by_role("heading", name=re.compile("^Swap")).wait_for()
    choice = page.locator("#swap-results .card h2").nth(1).inner_text()
    with page.expect_response(re.compile(r"/swap/\?q=")):
        page.get_by_label("Search recipes").fill(choice)
    expect(page.locator("#swap-results .card")).to_have_count(1)
    shot(page, "03-swap-picker")
    page.locator("#swap-results .card").first.get_by_role("button", name=re.compile("^Choose")).click()
    page.get_by_text(f"Swapped in {choice}; the day's other meals keep their recipes, portions re-balanced.").wait_for()
    assert page.locator(".meal-card").first.locator("h3").inner_text() == choice

    lock = page.locator(".meal-card").nth(1).get_by_role("button", name=re.compile("^Lock"))
    lock_id = lock.get_attribute("id")
    with page.expect_response(re.compile(r"/meals/\d+/lock/$")):
        lock.click()
    page.locator(".meal-card").nth(1).get_by_role("button", name=re.compile("^Unlock")).wait_for()
    expect(page.locator(f"#{lock_id}")).to_be_focused()  # keyboard focus survives the htmx swap

    page.get_by_role("link", name="Shopping list").first.click()
    page.get_by_role("heading", name="Shopping list").wait_for()
    first_item = page.locator(".shopping-items input[type=checkbox]").first
    with page.expect_response(re.compile(r"/shopping/checks/$")):
        first_item.check()
    page.get_by_text(re.compile(r"^1 of \d+ items? ticked$")).wait_for()
    page.reload()
    assert page.locator(".shopping-items input[type=checkbox]").first.is_checked()
    shot(page, "04-shopping-list")

    page.set_viewport_size({"width": 375, "height": 800})
    page.go_back()
    page.goto(page.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "05-plan-phone")
    assert page.console_problems == []


@pytest.fixture
def page_without_javascript(browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_every_action_also_works_without_javascript(page_without_javascript):
    page = page_without_javascript
    sign_up(page, "nojs")
    fill_body_data(page)
    page.get_by_role("button", name="Save profile").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan my week").click()
    page.get_by_label("Days").fill("2")
    page.get_by_role("button", name="Plan my week").click()

    page.locator(".meal-card").first.get_by_role("button", name=re.compile("^Lock")).click()
    assert page.url.endswith("#day-1")
    page.locator(".meal-card").first.get_by_role("button", name=re.compile("^Unlock")).wait_for()
    page.get_by_role("button", name=re.compile("^Regenerate day")).first.click()
    assert page.locator(".meal-card").count() == 6

    page.get_by_role("link", name="Shopping list").first.click()
    page.locator(".shopping-items input[type=checkbox]").nth(1).check()
    page.get_by_role("button", name="Save ticked items").click()
    page.get_by_text("Shopping list saved.").wait_for()
    assert page.locator(".shopping-items input[type=checkbox]").nth(1).is_checked()
    shot(page, "06-shopping-list-without-javascript")
