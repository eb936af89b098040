"""Two people plan as one household in a real browser: one invites the other, both see the same plan,
each their own portion of every meal and their own bars (and on a phone too)."""

import re

import pytest

from tests.test_browser_flow import browser, demo_catalog, fill_body_data, page, shot, sign_up  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def portions(page) -> list[str]:
    return page.locator(".meal-portions").all_inner_texts()


def test_two_people_share_one_plan_and_each_sees_their_own_portion_and_bars(browser, page, live_server):
    from playwright.sync_api import expect

    sign_up(page, "alex")
    fill_body_data(page, weight="82")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile("Household")).click()
    page.get_by_role("button", name="Make an invitation link").click()
    link = page.locator("input[id^=invitation-]").first.input_value()

    other = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    other.set_default_timeout(15_000)
    sam = other.new_page()
    sign_up(sam, "sam")
    fill_body_data(sam, weight="55")
    sam.get_by_role("button", name="Save profile").click()
    sam.get_by_role("heading", name="Your daily targets").wait_for()
    sam.goto(link)
    sam.get_by_role("button", name=re.compile("^Join")).click()
    sam.get_by_text(re.compile("^Welcome to alex")).wait_for()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan my week").click()
    page.get_by_label("Days").fill("2")
    page.get_by_role("button", name="Plan my week").click()
    page.get_by_role("heading", name=re.compile("The household's plan from")).wait_for()
    plan_url = page.url.split("#")[0]
    shared = portions(page)
    assert len(shared) == 6 and all(re.match(r"^alex \S+ · sam \S+ servings?$", line) for line in shared), shared
    shot(page, "household-01-plan-alex")

    sam.goto(plan_url)
    sam.get_by_role("heading", name=re.compile("The household's plan from")).wait_for()
    assert portions(sam) == shared  # the same plan, the same portions
    assert sam.evaluate("document.documentElement.scrollWidth") <= 375
    sam.get_by_role("navigation", name="Whose week to show").get_by_role("link", name="sam").click()
    sam.get_by_role("heading", name="Summary for sam").wait_for()
    expect(sam.locator(".member-totals")).to_have_count(0)
    sams_facts = sam.locator(".meal-facts").all_inner_texts()
    assert len(sams_facts) == 6 and all(" for sam · " in fact for fact in sams_facts), sams_facts
    sams_bars = sam.locator(".totals").first.inner_text()
    shot(sam, "household-02-sams-week-phone")

    page.get_by_role("navigation", name="Whose week to show").get_by_role("link", name="alex").click()
    page.get_by_role("heading", name="Summary for alex").wait_for()
    alexs_bars = page.locator(".totals").first.inner_text()
    assert alexs_bars != sams_bars  # each against their own targets
    sam_kcal = int(re.search(r"/ (\d+) kcal", sams_bars).group(1))
    alex_kcal = int(re.search(r"/ (\d+) kcal", alexs_bars).group(1))
    assert alex_kcal > sam_kcal  # 82 kg against 55 kg, same age and height
    assert page.console_problems == []
    other.close()


def test_a_meal_is_turned_down_for_a_child_without_an_account_with_htmx_and_without(browser, page, live_server):
    """Alex chooses Mia (no account) as who doesn't like a meal: with htmx the day is re-planned in place;
    without JavaScript, on a phone, the same choice is sent by the page's one form. Mia's page lists both
    recipes and suggests one again."""
    from playwright.sync_api import expect

    from mealplan.models import Profile

    sign_up(page, "alex")
    fill_body_data(page, weight="82")
    page.get_by_role("button", name="Save profile").click()
    page.goto("/household/members/new/")
    page.get_by_label("Name").fill("Mia")
    fill_body_data(page, weight="26")
    page.get_by_role("spinbutton", name="Age").fill("8")
    page.get_by_role("spinbutton", name="Height (cm)").fill("128")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Mia saved.").wait_for()
    page.goto("/plans/new/")
    page.get_by_label("Days").fill("2")
    page.get_by_role("button", name="Plan my week").click()
    page.get_by_role("heading", name=re.compile("The household's plan from")).wait_for()
    plan_url = page.url.split("#")[0]

    first = page.locator(".meal-card").first
    title = first.locator("h3").inner_text()
    first.get_by_label(re.compile("^Who doesn't like it")).select_option(label="Mia")
    with page.expect_response(re.compile(r"/meals/\d+/dislike/$")):
        first.get_by_role("button", name=re.compile("^Don't suggest this again")).click()
    page.get_by_text(f"We won't suggest {title} to Mia again").wait_for()
    mia = Profile.objects.get(name="Mia")
    assert list(mia.disliked_recipes.values_list("title", flat=True)) == [title]
    assert not Profile.objects.get(user__username="alex").disliked_recipes.exists()
    assert page.console_problems == []

    phone = browser.new_context(base_url=live_server.url, java_script_enabled=False, storage_state=page.context.storage_state(),
                                viewport={"width": 375, "height": 800})
    phone.set_default_timeout(15_000)
    plain = phone.new_page()
    plain.goto(plan_url)
    assert plain.evaluate("document.documentElement.scrollWidth") <= 375
    card = plain.locator(".meal-card").nth(1)
    second = card.locator("h3").inner_text()
    card.get_by_label(re.compile("^Who doesn't like it")).select_option(label="Mia")
    card.get_by_role("button", name=re.compile("^Don't suggest this again")).click()
    plain.get_by_text(f"We won't suggest {second} to Mia again").wait_for()
    shot(plain, "household-03-turned-down-for-mia-phone")
    assert set(mia.disliked_recipes.values_list("title", flat=True)) == {title, second}

    plain.goto(f"/household/members/{mia.pk}/")
    section = plain.locator("#disliked-recipes")
    expect(section.get_by_role("checkbox")).to_have_count(2)
    section.get_by_label(second).check()
    section.get_by_role("button", name="Suggest ticked recipes again").click()
    plain.get_by_text("1 recipe can be suggested to Mia again.").wait_for()
    assert list(mia.disliked_recipes.values_list("title", flat=True)) == [title]
    phone.close()
