"""The plan page: weekly grid, day totals against targets, constant queries, deletion."""

from decimal import Decimal

import pytest
from django.urls import reverse

from meals.models import Recipe
from mealplan.models import MealPlan, MealPortion, Profile
from mealplan import services
from tests.web_factories import make_plan, make_user, share_plan, small_catalog


@pytest.fixture
def owner(db):
    return make_user("paula")


@pytest.fixture
def catalog(db):
    return small_catalog()


def test_plan_page_shows_each_day_with_meals_servings_and_totals(client, owner, catalog):
    plan = make_plan(owner, catalog, days=2, household_size=3)
    client.force_login(owner)
    page = " ".join(client.get(plan.get_absolute_url()).content.decode().split())
    assert page.count('class="day"') == 2
    assert "Monday 30 Nov" in page and "Tuesday 1 Dec" in page
    assert "Onion soup" in page and "1.5 servings" in page
    # 450 + 300 × 1.5 + 650 = 1550 of 2000 kcal → 78 %, flagged "under"; a full bar is 150 %,
    # so 78 % fills about half of it
    assert "1550 / 2000 kcal (78 %)" in page
    assert 'class="total total-under"' in page and 'class="bar-fill w-50"' in page
    # the recipe link scales the ingredients to servings × household
    assert f'{catalog["onion-soup"].get_absolute_url()}?servings=4.5' in page


def test_meal_cards_show_macros_and_the_summary_charts_each_day_against_targets(client, owner, catalog):
    plan = make_plan(owner, catalog, days=9)
    client.force_login(owner)
    page = " ".join(client.get(plan.get_absolute_url()).content.decode().split())
    # onion soup: 300 kcal, 15 g protein, 10 g fat, 37.5 g carbohydrate a serving, × 1.5
    assert "1.5 servings per person · 450 kcal · 22 g protein · 15 g fat · 56 g carbs · 20 min" in page
    assert "Energy a day</dt><dd>1550 kcal<span class=\"target-share\">78 % of 2000 kcal</span>" in page
    assert "Fat a day</dt><dd>52 g<span class=\"target-share\">74 % of 70 g</span>" in page
    # nine days: a chart for the first week and one for the last two days, four bars a day
    assert page.count("<svg ") == 2 and page.count('<rect class="chart-kcal"') == 9
    assert page.count('<rect class="chart-protein"') == page.count('<rect class="chart-carb"') == 9
    assert "<title>Mon 30 Nov: energy 1550 of 2000 kcal (78 %)</title>" in page
    assert "<title>Tue 08 Dec: fat 52 of 70 g (74 %)</title>" in page
    assert " style=" not in page and "<script>" not in page
    assert "Cost" not in page and "plan-cost\"> </div>" in page  # no recipe has a cost yet: an empty place for it


def test_meal_cards_and_the_summary_show_costs_where_recipes_have_one(client, owner, catalog):
    Recipe.objects.filter(pk=catalog["porridge"].pk).update(cost_per_serving=Decimal("1.00"))
    Recipe.objects.filter(pk=catalog["onion-soup"].pk).update(cost_per_serving=Decimal("2.00"))
    plan = make_plan(owner, catalog, days=9, household_size=2)
    client.force_login(owner)
    page = " ".join(client.get(plan.get_absolute_url()).content.decode().split())
    assert "56 g carbs · 20 min · cost 3.00</p>" in page  # 1.5 servings of onion soup
    # a person's day: porridge 1.00 + onion soup 3.00 (chicken rice has no cost); 9 days for 2 people
    assert "Cost: 4.00 a day per person on average · 36.00 for all 9 days, 72.00 for 2 people.</p>" in page
    assert page.count("Cost: ") == 1


def test_plan_page_says_which_days_miss_their_targets_and_why(client, owner, catalog):
    """The notes are the planner's (see test_planner_rules); the page must show them all."""
    plan = make_plan(owner, catalog, days=2)
    notes = ["Day 2 has 1,000 kcal of your 2,000 (-50%).",
             "Your budget of 2.00 a day is below the cheapest day that comes within 10 % of your targets under your "
             "other rules (4.00)."]
    plan.solver_notes = notes
    plan.save()
    client.force_login(owner)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert all(note in page for note in notes)
    plan.solver_notes = []
    plan.save()
    assert "alert-warning" not in client.get(plan.get_absolute_url()).content.decode()


# the session with its person (mealplan/accounts/sessions.py) + the plan with its meals' state; + the meals with recipes
# when the cached grid is stale
PLAN_PAGE_QUERIES, PLAN_PAGE_QUERIES_CACHED = 3, 2
PLAN_PAGE_SHARED_EXTRA = 1  # a plan for several members: its members and portions, when the grid is stale
# session with user + plan + meals with recipes + ingredient lines with foods + countable portions + ticks
SHOPPING_PAGE_QUERIES = 6
SHOPPING_PAGE_WITH_COST_QUERIES = SHOPPING_PAGE_QUERIES + 1  # the list and print page show the plan's cost


@pytest.mark.parametrize(
    ("view_name", "first_view", "repeat_view"),
    [
        ("plan-detail", PLAN_PAGE_QUERIES, PLAN_PAGE_QUERIES_CACHED),
        ("shopping-list", SHOPPING_PAGE_WITH_COST_QUERIES, SHOPPING_PAGE_WITH_COST_QUERIES),
        ("shopping-csv", SHOPPING_PAGE_QUERIES, SHOPPING_PAGE_QUERIES),
        ("shopping-print", SHOPPING_PAGE_WITH_COST_QUERIES, SHOPPING_PAGE_WITH_COST_QUERIES),
    ],
)
@pytest.mark.parametrize("viewer", ["owner", "household member"])
def test_plan_pages_run_the_same_queries_for_one_day_and_fourteen(client, owner, catalog, view_name, first_view,
                                                                   repeat_view, viewer, django_assert_max_num_queries):
    """The same for the plan's owner and for another member of its household, who eats from it too."""
    if viewer == "household member":
        partner = make_user("quinn")
        services.join_household(user=partner, invitation=services.invite_to_household(
            household=owner.profile.household, user=owner))
    client.force_login(owner if viewer == "owner" else partner)
    for days in (1, 14):
        plan = make_plan(owner, catalog, days=days)
        if viewer == "household member":
            share_plan(plan, partner.profile)
        shared = PLAN_PAGE_SHARED_EXTRA if viewer == "household member" and view_name == "plan-detail" else 0
        for queries in (first_view + shared, repeat_view):
            with django_assert_max_num_queries(queries):
                response = client.get(reverse(view_name, args=[plan.pk]))
            assert response.status_code == 200
            assert response.content.decode().count("Chicken") >= 1


def test_cached_plan_grid_follows_changes_to_meals_and_recipes(client, owner, catalog):
    plan = make_plan(owner, catalog, days=1)
    client.force_login(owner)
    assert "Onion soup" in client.get(plan.get_absolute_url()).content.decode()
    plan.meals.filter(recipe=catalog["onion-soup"]).update(recipe=catalog["rice-pudding"])
    assert "Rice pudding" in client.get(plan.get_absolute_url()).content.decode()
    recipe = catalog["rice-pudding"]
    recipe.title = "Creamy rice pudding"
    recipe.save()
    assert "Creamy rice pudding" in client.get(plan.get_absolute_url()).content.decode()


def test_cached_plan_page_follows_the_cost_line(client, owner, catalog):
    """The cost line is cached with the grid, keyed on the cost itself: a recipe's cost changed without
    touching what the grid's version digests still shows at once."""
    plan = make_plan(owner, catalog, days=1)
    client.force_login(owner)
    assert "Cost: " not in client.get(plan.get_absolute_url()).content.decode()
    Recipe.objects.filter(pk=catalog["porridge"].pk).update(cost_per_serving=Decimal("1.00"))
    page = " ".join(client.get(plan.get_absolute_url()).content.decode().split())
    assert "Cost: 1.00 a day per person on average" in page


def test_my_plans_lists_only_mine_and_delete_needs_confirmation(client, owner, catalog):
    mine = make_plan(owner, catalog)
    make_plan(make_user("quentin"), catalog, days=5)
    client.force_login(owner)
    listing = client.get(reverse("plan-list")).content.decode()
    assert listing.count('<th scope="row">') == 1
    confirm = client.get(reverse("plan-delete", args=[mine.pk]))
    assert "cannot be undone" in confirm.content.decode()
    assert MealPlan.objects.filter(pk=mine.pk).exists()
    response = client.post(reverse("plan-delete", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("plan-list")
    assert not MealPlan.objects.filter(pk=mine.pk).exists()
    assert MealPlan.objects.count() == 1


def test_plan_my_week_asks_for_a_profile_first(client, db):
    user = make_user("rita", with_profile=False)
    client.force_login(user)
    response = client.get(reverse("plan-new"))
    assert response.status_code == 302 and response["Location"] == reverse("profile")


def test_plan_my_week_rejects_bad_dates_and_lengths_with_messages(client, owner):
    client.force_login(owner)
    response = client.post(reverse("plan-new"), {"start_date": "31/02/2026", "days": "15"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid date." in page
    assert "less than or equal to 14" in page
    assert not MealPlan.objects.exists()


@pytest.fixture
def household_plan(owner, catalog):
    """Paula's 2-day plan shared with Sam (an account, half Paula's servings rounded to half steps,
    1200 kcal a day) and Mia, who eats no lunch on the first day (skipped: no portion)."""
    plan = make_plan(owner, catalog, days=2)
    sam = make_user("sam")
    services.join_household(user=sam, invitation=services.invite_to_household(household=owner.profile.household,
                                                                              user=owner))
    share_plan(plan, Profile.objects.get(user=sam), kcal=1200)
    mia = Profile.objects.create(household=owner.profile.household, name="Mia", sex="female", age=6, height_cm=115,
                                 weight_kg=20)
    eater = share_plan(plan, mia, kcal=1300)
    MealPortion.objects.filter(member=eater, meal__day=0, meal__meal_type="lunch").delete()
    meals = list(plan.meals.all())
    for meal in meals:
        meal.servings = sum(portion.servings for portion in meal.portions.all())
    MealPlan.objects.filter(pk=plan.pk).update(household_size=1)
    type(meals[0]).objects.bulk_update(meals, ["servings"])
    return plan, sam


def test_a_household_plan_shows_each_members_portion_and_bars_and_one_members_week(client, household_plan, catalog):
    plan, sam = household_plan
    client.force_login(sam)
    page = " ".join(client.get(plan.get_absolute_url()).content.decode().split())
    assert "The household's plan" in page and "for 3 people" in page
    # onion soup: Paula 1.5, Sam and Mia half of that rounded to half steps (1), Mia none on day 1
    assert page.count("paula 1½ · sam 1 · Mia 1 serving") == 1 and page.count("paula 1½ · sam 1 serving") == 1
    assert page.count("paula 1 · sam ½ · Mia ½ serving") == 4  # porridge and chicken rice, both days
    # the soup is cooked once for everyone eating it: 3.5 servings, and its recipe link scales to them
    assert "Cooked once: 3.5 servings" in page
    assert f'{catalog["onion-soup"].get_absolute_url()}?servings=3.5' in page
    # Sam's day 1: porridge ½ (225) + soup 1 (300) + chicken rice ½ (325) = 850 of 1200 kcal
    assert "850 / 1200 kcal (71 %)" in page
    # Mia eats no lunch on day 1: her targets that day are less lunch's usual share
    mia_day_one = page.split('id="day-1-member-2"')[1].split("</dl>")[0]
    assert "/ 1300 kcal" not in mia_day_one and "kcal" in mia_day_one
    assert page.count('class="member-totals"') == 6
    assert "Summary for sam" in page  # everyone's days, and the summary of the one looking

    mine = " ".join(client.get(plan.get_absolute_url(), {"member": 1}).content.decode().split())
    assert 'aria-current="page">sam</a>' in mine and "Summary for sam" in mine
    assert "member-totals" not in mine and "850 / 1200 kcal (71 %)" in mine
    assert "1 serving for sam" in mine and "½ serving for sam" in mine and "paula 1½" not in mine
    # an action from sam's week answers with sam's day (htmx) or goes back to sam's week
    meal = plan.meals.get(day=0, meal_type="dinner")
    lock = reverse("meal-lock", args=[plan.pk, meal.pk])
    day = " ".join(client.post(lock, {"locked": "1", "member": "1"}, HTTP_HX_REQUEST="true").content.decode().split())
    assert "½ serving for sam" in day and "member-totals" not in day and "Summary for sam" in day
    assert client.post(lock, {"locked": "0", "member": "1"})["Location"] == f"{plan.get_absolute_url()}?member=1#day-1"
    assert 'name="member" value="1"' in mine and """hx-vals='{"member": "1"}'""" in mine
    mias = " ".join(client.get(plan.get_absolute_url(), {"member": 2}).content.decode().split())
    assert mias.count('class="meal-card') == 5  # no lunch on day 1
    assert client.get(plan.get_absolute_url(), {"member": "99"}).status_code == 200  # no such member: everyone
