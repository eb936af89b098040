"""Each hard rule alone, through the interface the solvers use: its MILP rows change what the
solver picks, its filters drop what it forbids, and it explains itself when it makes a plan
impossible. Every other rule is switched off (`request.relaxed`) so the rule under test is
the only thing standing between the solver and the plan it would rather pick."""

from dataclasses import replace

import numpy as np
import pytest

from mealplan import planning
from mealplan.planning import milp, rules
from mealplan.planning.types import ChosenMeal
from mealplan.slots import meal_types_for

TARGETS = (1000.0, 62.5, 1000 * 0.3 / 9, 1000 * 0.45 / 4)  # two 500 kcal meals, 25/30/45 split


def recipe(recipe_id: int, kcal: float = 500.0, cost: float = 1.0) -> tuple:
    """A recipe whose macros match the targets' split (so only kcal and cost tell them apart)."""
    return (recipe_id, kcal, kcal * 0.25 / 4, kcal * 0.3 / 9, kcal * 0.45 / 4, cost)


def request_of(rows, *, days: int = 1, only: rules.Rule | None = None, **fields) -> planning.PlanRequest:
    """Lunch and dinner from `rows`; no meal energy bands unless `energy_bands` is given."""
    fields.setdefault("energy_bands", {})
    candidates = planning.CandidateSet.from_rows(rows)
    request = planning.PlanRequest(days=days, slot_types=("lunch", "dinner"), targets=TARGETS,
                                   candidates={"lunch": candidates, "dinner": candidates}, **fields)
    if only is not None:
        request = replace(request, relaxed=frozenset(r.name for r in rules.RULES if r is not only))
    return request


def milp_plan(request: planning.PlanRequest) -> dict:
    """The MILP alone (no beam start, no patterns): what its rows allow."""
    model = milp.build(request)
    highs = model.run(time_limit=10, relative_gap=0.0)
    return model.chosen(np.asarray(highs.getSolution().col_value))


def rule_named(name: str) -> rules.Rule:
    return next(rule for rule in rules.RULES if rule.name == name)


def test_every_rule_is_registered_once_with_a_name():
    names = [rule.name for rule in rules.RULES]
    assert len(set(names)) == len(names) and all(names)


# Budget --------------------------------------------------------------------------------------

BUDGET = rule_named("budget")
# Recipe 1 fits the targets exactly but costs 5; 2 and 3 are a little short and cost 1.
PRICEY_AND_CHEAP = [recipe(1, cost=5.0), recipe(2, kcal=450), recipe(3, kcal=450)]


def test_budget_rows_keep_the_day_under_budget():
    request = request_of(PRICEY_AND_CHEAP, only=BUDGET, budget=4.0)
    _, costs = planning.day_totals(request, milp_plan(request))
    assert costs.max() <= 4.0 + 1e-6
    relaxed = BUDGET.relax(request)
    assert 1 in {meal.recipe_id for meal in milp_plan(relaxed).values()}, "without the rule the pricey fit wins"


def test_budget_drops_partial_days_that_cannot_finish_under_it():
    request = request_of(PRICEY_AND_CHEAP, budget=4.0)
    partial = rules.PartialDays(day=0, recipes=np.array([[1], [2]]), cost=np.array([5.0, 1.0]), rest_cost=1.0)
    assert BUDGET.keep_partial(request, partial).tolist() == [False, True]


def test_budget_explains_itself_with_the_cheapest_day():
    request = request_of(PRICEY_AND_CHEAP, budget=0.5)
    assert planning.explain_infeasible(request) == [
        "A budget of 0.50 a day is below the cheapest day that meets your rules (1.00)."]


def test_a_budget_below_the_cheapest_meals_is_refused_at_once_naming_the_budget():
    """No search runs: the cheapest allowed serving of each meal already costs more."""
    request = request_of(PRICEY_AND_CHEAP, budget=0.0)
    assert BUDGET.obviously_broken(request) and not BUDGET.obviously_broken(replace(request, budget=1.0))
    solution = planning.solve(request, time_limit=30)
    assert (solution.status, solution.found, solution.seconds) == ("infeasible", False, 0.0)
    assert planning.explain_infeasible(request) == [
        "A budget of 0.00 a day is below the cheapest day that meets your rules (1.00)."]


def test_budget_is_off_without_a_budget():
    assert not BUDGET.active(request_of(PRICEY_AND_CHEAP))


# Weekly repeat limit -------------------------------------------------------------------------

WEEKLY = rule_named("weekly_repeats")
# Recipe 1 fits exactly; 2 and 3 are short: without a limit every day would take 1.
ONE_BEST = [recipe(1), recipe(2, kcal=420), recipe(3, kcal=420), recipe(4, kcal=420)]


def uses(meals, recipe_id: int) -> int:
    return sum(meal.recipe_id == recipe_id for meal in meals.values())


def test_weekly_repeat_rows_cap_a_recipe_per_week():
    request = request_of(ONE_BEST, days=3, only=WEEKLY, max_repeats_per_week=2)
    assert uses(milp_plan(request), 1) == 2
    assert uses(milp_plan(WEEKLY.relax(request)), 1) > 2


def test_weekly_repeat_blocks_a_recipe_fixed_meals_used_up():
    fixed = planning.FixedMeal(1, 1.0, tuple(recipe(1)[1:5]), 1.0)
    request = request_of(ONE_BEST, days=3, max_repeats_per_week=1, fixed={(2, 0): fixed})
    assert WEEKLY.blocked(request, 0, 1, request.fixed_recipes()) == {1}
    assert WEEKLY.blocked(request, 0, 1, {}) == set()


def test_weekly_repeat_explains_too_few_recipes():
    request = request_of(ONE_BEST[:2], days=3, max_repeats_per_week=1, allow_leftovers=True)
    assert planning.explain_infeasible(request) == [
        "Only 2 different lunch dishes fit your rules, too few for 3 lunchs a week with each recipe at most 1 time "
        "a week: allow more repeats or leftovers.",
        "Only 2 different dinner dishes fit your rules, too few for 3 dinners a week with each recipe at most 1 "
        "time a week: allow more repeats or leftovers."]


# Never twice a day ---------------------------------------------------------------------------

ONCE = rule_named("once_per_day")


def test_once_a_day_rows_keep_a_recipe_to_one_meal_a_day():
    request = request_of(ONE_BEST, only=ONCE)
    assert uses(milp_plan(request), 1) == 1
    assert uses(milp_plan(ONCE.relax(request)), 1) == 2


def test_once_a_day_drops_a_repeat_within_the_day_and_blocks_the_days_fixed_recipes():
    request = request_of(ONE_BEST)
    partial = rules.PartialDays(day=0, recipes=np.array([[1, 1], [1, 2]]), cost=np.zeros(2), rest_cost=0.0)
    assert ONCE.keep_partial(request, partial).tolist() == [False, True]
    assert ONCE.blocked(request, 0, 1, {(0, 0): 3, (1, 1): 4}) == {3}


def test_once_a_day_explains_a_single_recipe():
    request = request_of(ONE_BEST[:1], max_repeats_per_week=7, allow_leftovers=True)
    assert planning.explain_infeasible(request) == [
        "Too few recipes fit your rules to fill every meal of the day with a different recipe."]


# Not the same slot on consecutive days -------------------------------------------------------

CONSECUTIVE = rule_named("no_consecutive_slot")


def test_consecutive_rows_keep_a_slot_from_repeating_the_next_day():
    request = request_of(ONE_BEST, days=2, only=CONSECUTIVE)
    meals = milp_plan(request)
    assert all(meals[0, slot].recipe_id != meals[1, slot].recipe_id for slot in range(2))
    relaxed = milp_plan(CONSECUTIVE.relax(request))
    assert uses(relaxed, 1) == 4, "without any rule recipe 1 fills every slot"


def test_consecutive_blocks_neighbours_and_orders_patterns_apart():
    request = request_of(ONE_BEST, days=3)
    assert CONSECUTIVE.blocked(request, 1, 0, {(0, 0): 1, (2, 0): 2, (0, 1): 3}) == {1, 2}
    listed = planning.patterns.DayPatterns(day=0, slots=(0, 1), recipes=np.array([[1, 2], [3, 4], [2, 1]]),
                                           steps=np.full((3, 2), 2), objective=np.zeros(3))
    assert CONSECUTIVE.clash(request, listed, 0, 0) and not CONSECUTIVE.clash(request, listed, 0, 1)
    assert not CONSECUTIVE.clash(request, listed, 0, 2), "the same recipes in other slots may follow"


def test_leftovers_switch_the_consecutive_rule_off():
    assert not CONSECUTIVE.active(request_of(ONE_BEST, allow_leftovers=True))


def test_consecutive_explains_itself():
    request = replace(request_of(ONE_BEST, days=2, max_repeats_per_week=7), candidates={
        "lunch": planning.CandidateSet.from_rows([recipe(1)]), "dinner": planning.CandidateSet.from_rows([recipe(2)])})
    assert planning.explain_infeasible(request) == [
        "Too few recipes fit your rules to avoid the same meal on consecutive days: allow leftovers."]


# Locked (fixed) meals ------------------------------------------------------------------------

FIXED = rule_named("fixed")


def test_fixed_meals_stay_and_unlocking_them_is_the_relaxation():
    fixed = planning.FixedMeal(2, 1.0, tuple(recipe(2)[1:5]), 3.0)
    request = request_of(ONE_BEST, fixed={(0, 0): fixed})
    assert milp_plan(request)[0, 0] == ChosenMeal(2, 1.0)
    assert FIXED.active(request) and not FIXED.active(FIXED.relax(request))


def test_fixed_meals_over_budget_are_named():
    fixed = planning.FixedMeal(2, 2.0, tuple(recipe(2)[1:5]), 3.0)
    request = request_of(ONE_BEST, days=2, budget=5.0, fixed={(1, 0): fixed})
    assert planning.explain_infeasible(request) == [
        "Your locked meals on day 2 cost 6.00, over your daily budget of 5.00."]


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda rule: rule.name)
def test_relaxing_a_rule_switches_only_it_off(rule):
    fixed = planning.FixedMeal(2, 1.0, tuple(recipe(2)[1:5]), 1.0)
    request = request_of(ONE_BEST, days=2, budget=9.0, fixed={(1, 1): fixed})
    relaxed = rule.relax(request)
    assert {r.name for r in rules.active_rules(relaxed)} == {r.name for r in rules.active_rules(request)} - {rule.name}


# Meal energy bands ---------------------------------------------------------------------------

BAND = rule_named("energy_band")
# A 1,000 kcal day; lunch may carry 20–40 % of it (200–400 kcal), dinner is free.
LUNCH_BAND = {"lunch": (0.2, 0.4)}


def test_energy_band_bounds_the_servings_in_the_milp():
    """Recipe 1 (1,000 kcal a serving) fits no lunch serving in the band; alone, the MILP would
    put half a serving of it at lunch, and with the band it never does."""
    request = request_of([recipe(1, kcal=1000), recipe(2, kcal=300)], only=BAND, energy_bands=LUNCH_BAND)
    meals = milp_plan(request)
    assert meals[0, 0].recipe_id == 2 and 200 <= 300 * meals[0, 0].servings <= 400
    assert milp_plan(BAND.relax(request))[0, 0].recipe_id == 1


def test_energy_band_allows_only_the_servings_inside_it():
    request = request_of([recipe(1), recipe(2, kcal=300), recipe(3, kcal=150)], energy_bands=LUNCH_BAND)
    low, high = BAND.servings(request, "lunch", request.candidates["lunch"])
    # 500 kcal a serving: only half a serving; 300: one serving; 150: 1.5 to 2.5 servings.
    assert low.tolist() == [1, 2, 3] and high.tolist() == [1, 2, 5]
    assert BAND.servings(request, "dinner", request.candidates["dinner"]) is None
    big = request_of([recipe(1, kcal=1000)], energy_bands=LUNCH_BAND)
    low, high = rules.servings(big, "lunch", big.candidates["lunch"])
    assert low > high, "not even half a serving fits: the recipe is not offered"


def test_energy_band_explains_a_meal_type_no_recipe_fits():
    request = request_of([recipe(1, kcal=1500), recipe(2, kcal=1500)], energy_bands=LUNCH_BAND)
    assert planning.explain_infeasible(request) == [
        "No lunch recipe that fits your rules makes 20%–40% of your 1,000 kcal day (200–400 kcal) in half "
        "servings up to 3."]


def test_energy_band_defaults_cover_the_whole_day_for_two_to_six_meals():
    for meals, bands in rules.DEFAULT_ENERGY_BANDS.items():
        day = meal_types_for(meals)
        assert sum(bands[t][0] for t in day) <= 1 <= sum(bands[t][1] for t in day), meals


# No repeated day menu ------------------------------------------------------------------------

REPEATED = rule_named("no_repeated_day")


def menus(request, meals) -> list[tuple]:
    return [tuple(meals[day, slot].recipe_id for slot in range(2)) for day in range(request.days)]


def test_repeated_day_rows_give_every_day_its_own_menu():
    """Recipes 1 and 2 make the best day; alone, the MILP would eat it every day."""
    rows = [recipe(1), recipe(2), recipe(3, kcal=420), recipe(4, kcal=420)]
    request = request_of(rows, days=3, only=REPEATED)
    assert len(set(menus(request, milp_plan(request)))) == 3
    assert len(set(menus(request, milp_plan(REPEATED.relax(request))))) == 1


def test_repeated_day_drops_a_finished_day_another_day_has():
    request = request_of(ONE_BEST, days=2)
    placed = {(0, 0): 1, (0, 1): 2}
    partial = rules.PartialDays(day=1, recipes=np.array([[1, 2], [2, 1], [1, 3]]), cost=np.zeros(3), rest_cost=0.0,
                                slots=(0, 1), placed=placed)
    assert REPEATED.keep_partial(request, partial).tolist() == [False, True, True]
    half = rules.PartialDays(day=1, recipes=np.array([[1]]), cost=np.zeros(1), rest_cost=0.0, slots=(0,), placed=placed)
    assert REPEATED.keep_partial(request, half) is None, "a day still being planned is not judged"


def test_repeated_days_are_allowed_when_the_catalog_has_too_few_recipes():
    """Two recipes make two menus (1+2 and 2+1): a third day must repeat one, so the rule yields
    (it is dropped for this plan rather than the plan refused)."""
    request = request_of(ONE_BEST[:2], days=3, max_repeats_per_week=7, allow_leftovers=True)
    assert not milp.is_feasible(request)
    solution = planning.solve(request, time_limit=5)
    assert solution.found and solution.relaxed == {"no_repeated_day"}
    assert planning.solve(request_of(ONE_BEST, days=3), time_limit=5).relaxed == frozenset()
    assert REPEATED.yields and REPEATED.reasons(request, time_limit=None) == [
        "Too few recipes fit your rules for a different menu every day."]


# Honest results ------------------------------------------------------------------------------


def test_a_budget_starved_plan_names_its_days_and_the_budget():
    """Every serving costs 2.00: 2.00 a day buys half a serving of lunch and dinner, half the
    day's energy; the cheapest day within 10 % of the targets costs 4.00."""
    request = request_of([recipe(1, cost=2.0), recipe(2, cost=2.0), recipe(3, cost=2.0)], budget=2.0)
    solution = planning.solve(request, time_limit=10)
    assert solution.found
    assert solution.notes == (
        "Day 1 has 500 kcal of your 1,000 (-50%) and 31 g of your 62 g protein (-50%).",
        "Your budget of 2.00 a day is below the cheapest day that comes within 10 % of your targets under your "
        "other rules (4.00).",
    )
    assert planning.solve(replace(request, budget=None), time_limit=10).notes == ()


# Dish families -------------------------------------------------------------------------------


def test_near_duplicates_count_together_toward_the_weekly_limit_and_once_a_day():
    """Recipes 1 and 2 are one dish (a family); 3 and 4 are others. Counted apart, 1 and 2 would
    both be eaten the same day and four times in three days; as one family, at most twice a week
    and never twice a day."""
    candidates = planning.CandidateSet.from_rows(
        [recipe(1), recipe(2), recipe(3, kcal=420), recipe(4, kcal=420), recipe(5, kcal=400)],
        families=[10, 10, 3, 4, 5])
    request = replace(request_of(ONE_BEST, days=3, max_repeats_per_week=2, allow_leftovers=True),
                      candidates={"lunch": candidates, "dinner": candidates}, relaxed=frozenset({"no_repeated_day"}))
    meals = planning.solve(request, time_limit=10).meals
    family = {1: 10, 2: 10, 3: 3, 4: 4, 5: 5}
    assert sum(family[m.recipe_id] == 10 for m in meals.values()) <= 2
    for day in range(3):
        assert len({family[meals[day, slot].recipe_id] for slot in range(2)}) == 2
    apart = replace(request, candidates={t: replace(candidates, families=None) for t in ("lunch", "dinner")})
    assert sum(m.recipe_id in (1, 2) for m in planning.solve(apart, time_limit=10).meals.values()) > 2
    assert WEEKLY.blocked(request, 1, 0, {(0, 0): 1, (0, 1): 2}) == {1, 2}
    assert ONCE.blocked(request, 0, 1, {(0, 0): 2}) == {1, 2}


def test_dish_families_come_from_the_title():
    from meals.families import family_id, title_stem

    assert title_stem("Bagels with Cream Cheese #12") == title_stem("bagel with cream cheese") == "bagel cheese cream"
    assert family_id("Chicken curry #3") == family_id("Chicken Curry") != family_id("Tofu curry")
