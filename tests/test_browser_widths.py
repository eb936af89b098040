"""Every page fits a phone (390 px) and a laptop (1,366 px) without scrolling sideways, admin included.

A staff member with a profile and a 14-day plan of the demo catalog visits every page the URL
patterns serve as HTML (and every admin changelist, add and change page); a visitor who is not
signed in visits the account pages. Screenshots of pages that overflow land in test-artifacts/.
"""


import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from meals.models import RecipeIngredient
from meals.services import save_own_recipe
from mealplan import services
from mealplan.models import PlanJob, PlanJobKind, PlanJobStatus, Profile
from mealplan.people.households import invitation_token
from tests.test_browser_flow import ARTIFACTS, CHROMIUM, browser, demo_catalog
from tests.test_web_safety import url_for, walk
from tests.web_factories import PLAN_START, make_user

__all__ = ["browser", "demo_catalog"]  # fixtures used here by name

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
WIDTHS = (390, 1366)
PLAN_DAYS = 14
# Elements sticking out to the right of the viewport, deepest first: what to fix when a page overflows.
OFFENDERS_JS = """(width) => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 1
          && ![...el.children].some(child => child.getBoundingClientRect().right > width + 1))
  .slice(0, 5)
  .map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')}`
             + ` (right edge ${Math.round(el.getBoundingClientRect().right)} px)`)"""


@pytest.fixture
def signed_in(demo_catalog):
    """A staff member with a profile, a 14-day plan, a recipe of their own, a child who eats lunch at
    school on weekdays and an open invitation in their household, an invitation to somebody else's,
    a finished job on the plan, and the session cookie that signs them in."""
    user = make_user("wanda")
    user.is_staff = user.is_superuser = True
    user.save()
    Profile.objects.filter(user=user).update(household_size=2)
    user.refresh_from_db()
    plan = services.generate_plan(user=user, start_date=PLAN_START, days=PLAN_DAYS)
    # the shopping list's longest amounts: a weighed food's line without a weight, and a line matched to no food
    planned = plan.meals.select_related("recipe").order_by("pk").first().recipe
    weighed = planned.ingredients.exclude(food=None).first()
    RecipeIngredient.objects.create(recipe=planned, food_id=weighed.food_id, grams=None, order=98, original_text=(
        "1 29oz large can of the same food (or 4 cups fresh from the market, whichever the season offers)"))
    RecipeIngredient.objects.create(recipe=planned, food=None, grams=None, order=99, original_text=(
        "1 jar of grandmother's preserved lemons in brine, rinsed, pith removed and very finely chopped"))
    own = save_own_recipe(owner=user, fields={
        "title": "Grandmother's slow-cooked Sunday lamb shoulder with rosemary potatoes", "servings": 6,
        "prep_minutes": 30, "cook_minutes": 240, "is_breakfast": False, "is_lunch": True, "is_dinner": True,
        "is_snack": False, "instructions": "Season the lamb.\nRoast it slowly on the potatoes."},
        lines=["2 kg lamb shoulder, bone in", "1 kg potatoes, peeled and halved", "2 tbsp olive oil",
               "4 sprigs rosemary", "salt and pepper to taste"])
    household = user.profile.household
    child = services.save_member(household=household, member=Profile(name="Maximiliana-Josephine", sex="female", age=6,
                                                                      height_cm=115, weight_kg=20),
                                 excluded_allergens=[], skipped_meals=[(day, "lunch") for day in range(5)])
    invitation = services.invite_to_household(household=household, user=user)
    elsewhere = make_user("otto")
    other_invitation = services.invite_to_household(household=elsewhere.profile.household, user=elsewhere)
    job = PlanJob.objects.create(owner=user, plan=plan, kind=PlanJobKind.REGENERATE_PLAN, status=PlanJobStatus.DONE)
    client = Client()
    client.force_login(user)
    return {"user": user, "plan": plan, "job": job, "meal": plan.meals.order_by("pk").first(), "client": client,
            "own_recipe": own, "member": child, "invitation": invitation,
            "join": reverse("household-join", args=[invitation_token(other_invitation.key)])}


def html_pages(client, world) -> list[str]:
    """Every URL pattern's page that answers a GET with HTML (actions that only take POST are skipped)."""
    urls = []
    for route, _name, pattern in walk(get_resolver().url_patterns):
        url = url_for(route, pattern, world)
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            urls.append(url)
    return urls


def admin_pages(world) -> list[str]:
    """The admin index, and each registered model's changelist, add page and first object's change page."""
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(_request(world["user"])):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return urls


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


# A box that scrolls sideways hides what is to its right (a checkbox list in CSS columns of limited height did).
SIDEWAYS_JS = """() => [...document.querySelectorAll('body *')].filter(element => {
    const style = getComputedStyle(element);
    return ['auto', 'scroll'].includes(style.overflowX) && element.scrollWidth > element.clientWidth + 1;
}).map(element => element.tagName.toLowerCase() + (element.id ? '#' + element.id : ''))"""


def overflowing(browser, base_url: str, urls: list[str], cookies: list[dict], label: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        context = browser.new_context(base_url=base_url, viewport={"width": width, "height": 900})
        context.set_default_timeout(15_000)
        context.add_cookies(cookies)
        page = context.new_page()
        for url in urls:
            response = page.goto(url)
            assert response.ok, f"{url} answered {response.status}"
            sideways = [] if url.startswith("/admin/") else page.evaluate(SIDEWAYS_JS)
            if sideways:
                problems.append(f"{url} at {width} px has boxes scrolling sideways: {', '.join(sideways)}")
            document_width = page.evaluate("document.documentElement.scrollWidth")
            if document_width > width:
                name = f"overflow-{label}-{width}-{url.strip('/').replace('/', '_') or 'home'}"
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
                offenders = page.evaluate(OFFENDERS_JS, width)
                problems.append(f"{url} at {width} px is {document_width} px wide: {', '.join(offenders)}")
        context.close()
    return problems


def test_every_page_fits_a_phone_and_a_laptop_screen(signed_in, browser, live_server):
    user_urls = html_pages(signed_in["client"], signed_in) + admin_pages(signed_in)
    visitor_urls = html_pages(Client(), signed_in)
    assert reverse("plan-detail", args=[signed_in["plan"].pk]) in user_urls
    assert reverse("shopping-print", args=[signed_in["plan"].pk]) in user_urls
    own = signed_in["own_recipe"].pk
    assert {reverse("own-recipe-list"), reverse("own-recipe-new"), reverse("own-recipe-detail", args=[own]),
            reverse("own-recipe-edit", args=[own]), reverse("own-recipe-delete", args=[own])} <= set(user_urls)
    assert {reverse("household"), reverse("member-edit", args=[signed_in["member"].pk]), reverse("member-new"),
            reverse("household-skips")} <= set(user_urls)
    user_urls.append(signed_in["join"])  # an invitation to somebody else's household
    assert reverse("login") in visitor_urls and reverse("signup") in visitor_urls
    recipe_change = reverse("admin:meals_recipe_change", args=[signed_in["meal"].recipe_id])
    user_urls.append(recipe_change)  # the longest admin page: a recipe with its ingredient lines
    session = {"name": settings.SESSION_COOKIE_NAME, "value": signed_in["client"].cookies[settings.SESSION_COOKIE_NAME].value,
               "url": live_server.url}

    problems = overflowing(browser, live_server.url, user_urls, [session], "user")
    problems += overflowing(browser, live_server.url, visitor_urls, [], "visitor")

    assert len(user_urls) > 30
    assert problems == [], "\n".join(problems)
