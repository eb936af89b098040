"""Food prices → recipe cost per serving → plan cost per day and week against the budget."""

from decimal import Decimal

import pytest
from django.urls import reverse

from meals.groceries.costs import AISLES, food_groups, recipe_cost_per_serving
from meals.models import Food, Recipe
from meals.services import add_ingredient_lines, fill_default_food_prices
from mealplan.shopping.costs import plan_cost
from tests.nutrition_catalog import make_catalog
from tests.web_factories import make_plan, make_user, small_catalog


def test_recipe_cost_sums_weighed_lines_and_an_unpriced_food_leaves_it_unknown():
    assert recipe_cost_per_serving([(200, Decimal("7.00")), (13.5, Decimal("6.00")), (None, None)], 2) == Decimal("0.74")
    assert recipe_cost_per_serving([(200, Decimal("7.00")), (10, None)], 2) is None


def test_plan_cost_per_day_and_week_against_the_budget():
    cost = plan_cost([(0, 1, Decimal("3.50")), (0, 1.5, Decimal("2.00")), (1, 2, 5.25)], days=3, household_size=2,
                     daily_budget=8.0)
    assert cost.per_day == (Decimal("6.50"), Decimal("10.50"), Decimal("0.00"))
    assert (cost.week, cost.household_total, cost.average_day) == (Decimal("17.00"), Decimal("34.00"), Decimal("5.67"))
    assert cost.days_over_budget == (1,) and cost.within_budget is False
    assert plan_cost([], days=1, household_size=1, daily_budget=None).within_budget is None


def test_a_household_day_is_held_against_the_budget_once_per_member():
    """Three members' portions of one day cost 7.00: within 2.50 a person (7.50), over 2.00 a person (6.00)."""
    eaten = [(0, 3, Decimal("2.00")), (0, 2, 0.5)]
    within = plan_cost(eaten, days=1, household_size=1, daily_budget=2.5, eaters=3)
    assert (within.per_day, within.average_person_day, within.within_budget) == ((Decimal("7.00"),), Decimal("2.33"), True)
    assert plan_cost(eaten, days=1, household_size=1, daily_budget=2, eaters=3).days_over_budget == (0,)


def test_every_food_group_has_an_aisle_and_a_price():
    groups = food_groups()
    assert len(groups) == 25
    assert all(group.aisle in AISLES and group.price_per_kg > 0 for group in groups.values())


def test_default_prices_fill_only_foods_without_one_and_recipes_cost_follows(db):
    foods = make_catalog()
    Food.objects.filter(pk=foods["04053"].pk).update(price_per_kg=Decimal("12.00"))  # staff's olive oil price
    assert fill_default_food_prices() == len(foods) - 1
    assert Food.objects.get(pk=foods["04053"].pk).price_per_kg == Decimal("12.00")
    assert Food.objects.get(pk=foods["01123"].pk).price_per_kg == Decimal("7.00")  # dairy and egg products

    recipe = Recipe.objects.create(title="Omelette", slug="omelette", servings=2)
    add_ingredient_lines(recipe, ["4 large eggs", "1 tbsp olive oil", "salt to taste"])
    # (0.2 kg × 7.00 + 0.0135 kg × 12.00) / 2
    assert recipe.cost_per_serving == Decimal("0.78")


@pytest.fixture
def catalog(db):
    return small_catalog()


def test_plan_page_and_shopping_list_show_the_cost_against_the_budget(client, catalog):
    Recipe.objects.update(cost_per_serving=Decimal("1.25"))
    owner = make_user("paula")
    owner.profile.daily_budget = Decimal("1.00")
    owner.profile.save()
    plan = make_plan(owner, catalog, days=2)
    cost = plan_cost(((m.day, m.servings, m.recipe.cost_per_serving) for m in plan.meals.select_related("recipe")),
                     days=2, household_size=1, daily_budget=Decimal("1.00"))
    assert cost.week > 0 and cost.days_over_budget
    client.force_login(owner)
    for url in (plan.get_absolute_url(), reverse("shopping-list", args=[plan.pk]), reverse("shopping-print", args=[plan.pk])):
        page = " ".join(client.get(url).content.decode().split())
        assert f"Cost: {cost.average_day} a day per person on average" in page
        assert f"over your budget of 1.00 on {len(cost.days_over_budget)} day" in page
        assert f"{cost.week} for all 2 days" in page
