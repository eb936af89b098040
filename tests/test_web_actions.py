"""Planning from the pages: plan my week, lock, regenerate, swap; htmx partials and no-JS fallbacks."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from meals.models import Recipe
from mealplan.forms import OFF_STEP_SERVINGS_MESSAGE, MealServingsForm
from mealplan.models import MealPlan, Profile
from tests.web_factories import PLAN_START

HTMX = {"HX-Request": "true"}


def first_meal(plan, meal_type="dinner"):
    return plan.meals.filter(meal_type=meal_type).order_by("day").select_related("recipe").first()


def test_plan_my_week_makes_a_plan_and_shows_it(client, plan):
    assert plan.days == 3 and plan.meals.count() == 9
    page = client.get(plan.get_absolute_url()).content.decode()
    assert page.count('class="day"') == 3
    assert first_meal(plan).recipe.title in page


def test_impossible_rules_show_the_planners_explanation(client, person):
    Profile.objects.filter(user=person).update(max_cook_minutes=5)
    client.force_login(person)
    response = client.post(reverse("plan-new"), {"start_date": PLAN_START.isoformat(), "days": "7"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "No plan fits your rules" in page
    assert "minute" in page  # the reason names the time limit
    assert not MealPlan.objects.exists()


def test_lock_with_htmx_returns_the_updated_day_only(client, plan):
    meal = first_meal(plan)
    response = client.post(reverse("meal-lock", args=[plan.pk, meal.pk]), {"locked": "1"}, headers=HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<section class="day" id="day-1"' in page
    assert "<html" not in page
    assert 'aria-pressed="true"' in page
    meal.refresh_from_db()
    assert meal.locked


def test_lock_without_javascript_redirects_back_to_the_day(client, plan):
    meal = first_meal(plan)
    assert 'aria-pressed="true"' not in client.get(plan.get_absolute_url()).content.decode()
    response = client.post(reverse("meal-lock", args=[plan.pk, meal.pk]), {"locked": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{plan.get_absolute_url()}#day-{meal.day + 1}"
    meal.refresh_from_db()
    assert meal.locked
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f'id="meal-{meal.pk}"' in page and 'aria-pressed="true"' in page  # the cached grid was refreshed
    assert client.post(reverse("meal-lock", args=[plan.pk, meal.pk]), {"locked": "maybe"}).status_code == 400


def test_regenerate_meal_changes_its_recipe_and_refuses_locked_meals(client, plan):
    meal = first_meal(plan)
    before = meal.recipe_id
    response = client.post(reverse("meal-regenerate", args=[plan.pk, meal.pk]), headers=HTMX)
    assert response.status_code == 200
    meal.refresh_from_db()
    assert meal.recipe_id != before
    meal.locked = True
    meal.save()
    response = client.post(reverse("meal-regenerate", args=[plan.pk, meal.pk]), headers=HTMX)
    assert "unlock it to regenerate it" in response.content.decode()


def test_regenerate_day_keeps_locked_meals_and_rejects_days_outside_the_plan(client, plan):
    """The locked meal keeps its recipe and its (hand-set, off-target) servings; the day keeps its slots."""
    locked = first_meal(plan, "breakfast")
    locked.locked = True
    locked.servings = 3
    locked.save()
    response = client.post(reverse("day-regenerate", args=[plan.pk, locked.day]))
    assert response.status_code == 302
    kept = plan.meals.get(pk=locked.pk)
    assert (kept.recipe_id, kept.servings, kept.locked) == (locked.recipe_id, 3, True)
    assert plan.meals.filter(day=locked.day).count() == 3
    assert locked.recipe.title in client.get(response["Location"]).content.decode()
    assert client.post(reverse("day-regenerate", args=[plan.pk, 3])).status_code == 404


def test_swap_picker_lists_fitting_recipes_and_swaps_one_in(client, plan):
    meal = first_meal(plan)
    picker = client.get(reverse("meal-swap", args=[plan.pk, meal.pk]))
    candidates = list(picker.context["candidates"])
    assert candidates and all(recipe.is_dinner for recipe in candidates)
    choice = next(recipe for recipe in candidates if recipe.pk != meal.recipe_id)
    filtered = client.get(reverse("meal-swap", args=[plan.pk, meal.pk]), {"q": choice.title[:6]}, headers=HTMX)
    assert choice.title in filtered.content.decode() and "<html" not in filtered.content.decode()
    response = client.post(reverse("meal-swap", args=[plan.pk, meal.pk]), {"recipe": choice.pk})
    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.recipe_id == choice.pk and meal.locked
    assert f"Swapped in {choice.title}" in client.get(response["Location"]).content.decode()


def test_a_swap_portions_cannot_balance_offers_to_re_plan_the_day(client, plan, monkeypatch):
    from mealplan import services
    from mealplan.errors import PlanInfeasible

    meal = first_meal(plan)
    choice = next(r for r in client.get(reverse("meal-swap", args=[plan.pk, meal.pk])).context["candidates"])
    real_swap = services.swap_meal

    def portions_cannot_balance(*, meal, recipe, replan_day=False):
        if not replan_day:
            raise PlanInfeasible([services.SWAP_NEEDS_REPLAN.format(title=recipe.title)])
        return real_swap(meal=meal, recipe=recipe, replan_day=True)

    monkeypatch.setattr(services, "swap_meal", portions_cannot_balance)
    response = client.post(reverse("meal-swap", args=[plan.pk, meal.pk]), {"recipe": choice.pk}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200 and "no portions meet the day" in page and "Swap and re-plan the day" in page
    response = client.post(reverse("meal-swap", args=[plan.pk, meal.pk]), {"recipe": choice.pk, "replan_day": "on"})
    assert response.status_code == 302
    meal.refresh_from_db()
    assert meal.recipe_id == choice.pk
    assert "the day&#x27;s other meals were re-planned" in client.get(response["Location"]).content.decode()


def test_swap_refuses_a_recipe_that_does_not_fit_the_slot(client, plan):
    meal = first_meal(plan)
    breakfast_only = Recipe.objects.filter(is_breakfast=True, is_dinner=False).first()
    response = client.post(reverse("meal-swap", args=[plan.pk, meal.pk]), {"recipe": breakfast_only.pk})
    assert response.status_code == 200
    assert "pick one from the list" in response.content.decode()
    meal.refresh_from_db()
    assert meal.recipe_id != breakfast_only.pk


def test_regenerate_plan_keeps_locked_meals_and_reports_back(client, plan):
    locked = first_meal(plan)
    locked.locked = True
    locked.save()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f'formaction="{reverse("plan-regenerate", args=[plan.pk])}"' in page
    response = client.post(reverse("plan-regenerate", args=[plan.pk]), follow=True)
    assert "New meals for the whole plan (locked meals kept)." in response.content.decode()
    kept = plan.meals.get(pk=locked.pk)
    assert kept.recipe_id == locked.recipe_id and kept.locked


def test_servings_set_by_hand_lock_the_meal_and_the_day_rebalances_around_it(client, plan):
    meal = first_meal(plan)
    other_days = list(plan.meals.exclude(day=meal.day).order_by("pk").values_list("pk", "recipe_id", "servings"))
    # one step more (or less) keeps the meal within reach of its energy band, so the day can re-balance
    new_servings = meal.servings + Decimal("0.5") if meal.servings < 3 else meal.servings - Decimal("0.5")
    assert "Servings you eat" in client.get(reverse("meal-swap", args=[plan.pk, meal.pk])).content.decode()

    response = client.post(reverse("meal-servings", args=[plan.pk, meal.pk]), {"servings": str(new_servings)})
    assert response.status_code == 302 and response["Location"].endswith(f"#day-{meal.day + 1}")
    meal.refresh_from_db()
    assert meal.servings == new_servings and meal.locked
    assert list(plan.meals.exclude(day=meal.day).order_by("pk").values_list("pk", "recipe_id", "servings")) == other_days
    page = client.get(response["Location"]).content.decode()
    assert "the rest of the day was re-balanced around it" in page
    # the day's other meals were re-planned against the targets: energy stays near the target
    day_kcal = sum(float(m.servings) * m.recipe.energy_kcal for m in plan.meals.filter(day=meal.day).select_related("recipe"))
    plan.refresh_from_db()
    assert abs(day_kcal - plan.target_kcal) / plan.target_kcal < 0.15


@pytest.mark.parametrize("servings", ["9", "0", "lots", "1.25", "1e400", "-1e400"])
def test_impossible_servings_are_refused_with_a_message_and_change_nothing(client, plan, servings):
    meal = first_meal(plan)
    before = list(plan.meals.order_by("pk").values_list("recipe_id", "servings", "locked"))
    response = client.post(reverse("meal-servings", args=[plan.pk, meal.pk]), {"servings": servings}, follow=True)
    assert response.status_code == 200 and "Servings: " in response.content.decode()
    assert list(plan.meals.order_by("pk").values_list("recipe_id", "servings", "locked")) == before


@pytest.mark.parametrize("servings", ["1.2", "2.7"])
def test_servings_off_the_half_step_are_refused_saying_why_and_change_nothing(client, plan, servings):
    meal = first_meal(plan)
    before = list(plan.meals.order_by("pk").values_list("recipe_id", "servings", "locked"))
    response = client.post(reverse("meal-servings", args=[plan.pk, meal.pk]), {"servings": servings}, follow=True)
    assert "Servings: " + OFF_STEP_SERVINGS_MESSAGE in response.content.decode()
    assert list(plan.meals.order_by("pk").values_list("recipe_id", "servings", "locked")) == before


@pytest.mark.parametrize("servings, error", [
    ("0.5", None), ("1", None), ("1.5", None), ("3", None),
    ("1.2", OFF_STEP_SERVINGS_MESSAGE), ("1.25", OFF_STEP_SERVINGS_MESSAGE), ("0.75", OFF_STEP_SERVINGS_MESSAGE),
    ("0", "Ensure this value is greater than or equal to 0.5."), ("3.5", "Ensure this value is less than or equal to 3."),
])
def test_the_servings_form_takes_whole_and_half_servings_from_half_to_three(db, servings, error):
    form = MealServingsForm({"servings": servings})
    assert form.errors.get("servings") == ([error] if error else None)
    assert OFF_STEP_SERVINGS_MESSAGE == "choose whole or half servings (0.5, 1, 1.5 … 3): meals are portioned in half steps."


def summary_and_cost(page: str) -> tuple[str, str]:
    """The week summary and the cost line as the page shows them (markup aside)."""
    summary = re.search(r'<section class="week-summary" id="week-summary".*?</section>', page, re.S).group(0)
    cost = re.search(r'<div id="plan-cost"[^>]*>(.*?)</div>', page, re.S).group(1)
    return re.sub(r'\s+hx-swap-oob="true"', "", " ".join(summary.split())), " ".join(cost.split())


def test_an_htmx_change_updates_the_summary_and_cost_above_the_grid(client, plan):
    before = summary_and_cost(client.get(plan.get_absolute_url()).content.decode())
    meal = first_meal(plan)
    response = client.post(reverse("meal-regenerate", args=[plan.pk, meal.pk]), headers=HTMX)
    answer = response.content.decode()
    assert response.status_code == 200 and "<html" not in answer
    assert 'id="week-summary" aria-labelledby="week-summary-heading" hx-swap-oob="true"' in answer
    assert '<div id="plan-cost" hx-swap-oob="true">' in answer
    # the out-of-band parts say what a fresh page load now says, and the change shows in them
    after = summary_and_cost(client.get(plan.get_absolute_url()).content.decode())
    assert summary_and_cost(answer) == after != before
