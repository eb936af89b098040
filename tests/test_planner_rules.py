"""Each hard rule alone, through the interface the solvers use: its MILP rows change what the
solver picks, its filters drop what it forbids, and it explains itself when it makes a plan
impossible. Every other rule is switched off (`request.relaxed`) so the rule under test is
the only thing standing between the solver and the plan it would rather pick."""

import time
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest

from mealplan import planning
from mealplan.people.slots import meal_types_for
from mealplan.planning import milp, rules, solver
from mealplan.planning.types import ChosenMeal, WeeklyRule

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


def test_a_budget_too_low_for_the_variety_of_a_large_catalog_is_named_within_the_time_limit():
    """3 cheap recipes make a day under the budget but not 14 meals at one use a week, and 1,500
    dearer ones would: the budget is named, in well under the old minute of what-ifs on every
    candidate (CPU time, which a busy machine does not stretch)."""
    rows = [recipe(i, cost=1.0) for i in (1, 2, 3)] + [recipe(i, cost=10.0) for i in range(4, 1504)]
    request = request_of(rows, days=7, budget=2.5, max_repeats_per_week=1)
    started = time.process_time()
    reasons = planning.explain_infeasible(request, time_limit=1.0)
    assert time.process_time() - started < 1.0
    assert len(reasons) == 1 and reasons[0].startswith("A budget of 2.50 a day is ")


def test_a_search_that_ran_out_of_time_still_names_the_budget_and_else_says_the_time_ran_out():
    """The solver found no plan in its time without proving there is none: a budget whose loosening finds a plan
    is named as when it proves it; with nothing found to name, the answer is the time, not a conflict of rules."""
    budget_bound = request_of([recipe(i, cost=1.0) for i in (1, 2, 3)] + [recipe(i, cost=10.0) for i in range(4, 40)],
                              days=7, budget=2.5, max_repeats_per_week=1)
    assert planning.explain_infeasible(budget_bound, searched_out=True)[0].startswith("A budget of 2.50 a day is ")
    assert planning.explain_infeasible(budget_bound, time_limit=0, searched_out=True) == [
        "The planner ran out of time before finding a plan: try fewer days or looser rules."]
    assert planning.explain_infeasible(budget_bound, time_limit=0)[0].startswith("No plan keeps all of your rules")


def test_a_households_budget_below_its_cheapest_day_is_named_a_person_and_for_everyone():
    """A household's budget is the request's for all its members: the sentence gives both figures."""
    request = request_of(PRICEY_AND_CHEAP, budget=6.0)
    assert BUDGET.below(request, 7.5, people=2) == (
        "A budget of 3.00 a person a day (6.00 for 2) is below the cheapest day that meets everyone's rules (7.50).")
    assert BUDGET.below(request, 7.5) == "A budget of 6.00 a day is below the cheapest day that meets your rules (7.50)."


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
        "in any 7 days: allow more repeats or leftovers.",
        "Only 2 different dinner dishes fit your rules, too few for 3 dinners a week with each recipe at most 1 "
        "time in any 7 days: allow more repeats or leftovers."]


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


# Meal mass ceilings -----------------------------------------------------------------------------

MASS = rule_named("meal_mass")


def weighed(rows, grams, **fields) -> planning.PlanRequest:
    """`request_of` whose recipes weigh `grams` a serving."""
    request = request_of(rows, **fields)
    candidates = replace(request.candidates["lunch"], grams=np.asarray(grams, dtype=float))
    return replace(request, candidates={"lunch": candidates, "dinner": candidates})


def test_meal_mass_caps_the_servings_a_meal_may_weigh():
    """A serving of recipe 1 weighs 600 g: under a 900 g lunch ceiling at most 1.5 servings (3 half
    steps, exactly 900 g); recipe 2's mass is not known, so it is not limited."""
    request = weighed([recipe(1), recipe(2)], [600, 0], mass_ceilings={"lunch": 900.0})
    low, high = MASS.servings(request, "lunch", request.candidates["lunch"])
    assert low.tolist() == [1, 1] and high.tolist() == [3, rules.MAX_STEPS]
    assert MASS.servings(request, "dinner", request.candidates["dinner"]) is None, "no ceiling for dinner here"
    assert MASS.servings(request_of([recipe(1)]), "lunch", request_of([recipe(1)]).candidates["lunch"]) is None


def test_meal_mass_keeps_a_heavy_low_energy_dish_off_the_plan():
    """A 1,000 kcal day of three meals whose lunch should be 500 kcal: recipe 1 (250 kcal, 590 g a
    serving) hits it in 2 servings, 1.18 kg; recipe 2 (450 kcal, 300 g) falls a little short.
    Without the ceiling the MILP serves the heavy bowl; under the default 900 g lunch ceiling it
    serves recipe 2."""
    heavy = weighed([recipe(1, kcal=250), recipe(2, kcal=450)], [590, 300], only=MASS)
    light = planning.FixedMeal(9, 1.0, (250.0, *(t / 4 for t in TARGETS[1:])), 1.0)
    heavy = replace(heavy, slot_types=("breakfast", "lunch", "dinner"), fixed={(0, 0): light, (0, 2): light})
    assert milp_plan(MASS.relax(heavy))[0, 1] == ChosenMeal(1, 2.0)
    assert MASS.ceilings(heavy)["lunch"] == 900
    assert milp_plan(heavy)[0, 1] == ChosenMeal(2, 1.0)
    assert planning.solve(heavy, time_limit=10).meals[0, 1] == ChosenMeal(2, 1.0)


def test_meal_mass_ceilings_grow_for_two_meals_a_day_and_large_energy_targets():
    """A 3,000 kcal day eats half as much again; two meals a day are larger meals."""
    assert rules.default_mass_ceilings(4, 1800)["breakfast"] == 700
    assert rules.default_mass_ceilings(4, 3000)["breakfast"] == 1050
    assert rules.default_mass_ceilings(2, 2000)["dinner"] == 1300
    given = request_of([recipe(1)], mass_ceilings={"lunch": 500.0})
    assert MASS.ceilings(given) == {"lunch": 500.0}


def test_meal_mass_explains_a_meal_type_no_recipe_is_light_enough_for():
    """Lunch must carry 20–40 % of 1,000 kcal; its recipes give 100 kcal in 700 g, so even the
    smallest serving big enough (2 servings, 1.4 kg) is over the ceiling of a lunch on a two-meal
    day (1.3 kg). Either rule alone leaves a plan; the ceiling is named, with the share it
    conflicts with."""
    request = weighed([recipe(1, kcal=100), recipe(2, kcal=100)], [700, 700], energy_bands=LUNCH_BAND)
    assert planning.explain_infeasible(request) == [
        "No lunch recipe that fits your rules is light enough (at most 1,300 g a meal) in a serving big enough "
        "for its share of your day."]


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


FAMILY_REPEATS, FAMILY_ONCE = rule_named("family_repeats"), rule_named("family_once_per_day")
# Recipes 1 and 2 are one dish (a family); 3, 4 and 5 are others.
VARIANTS = planning.CandidateSet.from_rows(
    [recipe(1), recipe(2), recipe(3, kcal=420), recipe(4, kcal=420), recipe(5, kcal=400)], families=[10, 10, 3, 4, 5])
FAMILY = {1: 10, 2: 10, 3: 3, 4: 4, 5: 5}


def with_variants(request: planning.PlanRequest) -> planning.PlanRequest:
    return replace(request, candidates={"lunch": VARIANTS, "dinner": VARIANTS})


def test_near_duplicates_count_together_toward_the_weekly_limit_and_once_a_day():
    """As one family, 1 and 2 (the best fits) are eaten at most twice a week and never the same day."""
    request = with_variants(request_of(ONE_BEST, days=3, max_repeats_per_week=2, allow_leftovers=True,
                                       relaxed=frozenset({"no_repeated_day"})))
    meals = planning.solve(request, time_limit=10).meals
    assert sum(FAMILY[m.recipe_id] == 10 for m in meals.values()) <= 2
    for day in range(3):
        assert len({FAMILY[meals[day, slot].recipe_id] for slot in range(2)}) == 2
    assert FAMILY_REPEATS.blocked(request, 1, 0, {(0, 0): 1, (0, 1): 2}) == {1, 2}
    assert FAMILY_ONCE.blocked(request, 0, 1, {(0, 0): 2}) == {1, 2}


def test_family_rules_stand_in_for_the_recipe_rules_and_are_off_without_families():
    request = with_variants(request_of(ONE_BEST, days=3))
    assert FAMILY_REPEATS.active(request) and not WEEKLY.active(request)
    assert FAMILY_ONCE.active(request) and not ONCE.active(request)
    assert WEEKLY.active(FAMILY_REPEATS.relax(request)) and ONCE.active(FAMILY_ONCE.relax(request))
    plain = request_of(ONE_BEST, days=3)
    assert not FAMILY_REPEATS.active(plain) and WEEKLY.active(plain)


def test_family_rows_cap_a_dish_per_week():
    request = with_variants(request_of(ONE_BEST, days=3, only=FAMILY_REPEATS, max_repeats_per_week=2))
    assert sum(FAMILY[m.recipe_id] == 10 for m in milp_plan(request).values()) == 2
    assert sum(FAMILY[m.recipe_id] == 10 for m in milp_plan(FAMILY_REPEATS.relax(
        replace(request, relaxed=request.relaxed | {"weekly_repeats"}))).values()) > 2


def test_meal_types_sharing_too_few_dishes_raise_the_family_limit_to_what_counting_forces():
    """Two dishes (three recipes each) for three lunches and three dinners, one use each a week:
    each meal type alone would ask 2 (3 lunches / 2 dishes), but the six meals share the two
    dishes, so one is eaten 3 times in any plan: the limit on dishes is 3 and it holds."""
    request = replace(request_of(ONE_BEST, days=3, max_repeats_per_week=1, allow_leftovers=True),
                      candidates={t: planning.CandidateSet.from_rows(
                          [recipe(i, kcal=500 - i) for i in range(1, 7)], families=[1, 1, 1, 2, 2, 2])
                          for t in ("lunch", "dinner")})
    assert request.fewest_dish_uses() == 3
    assert FAMILY_REPEATS.limit(request) == 3 and WEEKLY.limit(request) == 1
    solution = planning.solve(request, time_limit=10)
    assert solution.found and "family_repeats" not in solution.relaxed
    assert max(Counter(FAMILY_OF_SIX[m.recipe_id] for m in solution.meals.values()).values()) == 3


FAMILY_OF_SIX = {i: 1 if i <= 3 else 2 for i in range(1, 7)}


def test_a_family_limit_no_plan_keeps_yields_and_the_plan_says_so():
    """The same two dishes, at most twice a week, but dish 1 was eaten three times in the days
    before the plan: within 7 days it has no use left, dish 2 alone cannot fill six meals at 3
    uses, so the family rule yields (the limit counts recipes) instead of refusing the plan."""
    request = replace(request_of(ONE_BEST, days=3, max_repeats_per_week=2, allow_leftovers=True),
                      candidates={t: planning.CandidateSet.from_rows(
                          [recipe(i, kcal=500 - i) for i in range(1, 7)], families=[1, 1, 1, 2, 2, 2])
                          for t in ("lunch", "dinner")},
                      history=tuple(planning.EarlierMeal(day, recipe_id, 1) for day, recipe_id in ((-3, 1), (-2, 2), (-1, 3))))
    solution = planning.solve(request, time_limit=10)
    assert solution.found and "family_repeats" in solution.relaxed
    assert FAMILY_REPEATS.yielded in solution.notes
    assert planning.explain_infeasible(replace(request, days=4)) != []


# Any 7 consecutive days, the previous plan's included -------------------------------------------


def test_the_previous_plans_recipes_count_in_the_seven_day_window():
    """Recipe 1 fits best and may be eaten twice in any 7 days. Eaten yesterday (the previous plan's
    last day), it fits once more in a 3-day plan; eaten on the previous plan's last two days, not
    before day 5, when day −2 has left the window."""
    request = request_of(ONE_BEST, days=3, only=WEEKLY, max_repeats_per_week=2)
    assert uses(milp_plan(request), 1) == 2
    yesterday = replace(request, history=(planning.EarlierMeal(-1, 1, 1),))
    assert uses(milp_plan(yesterday), 1) == 1
    assert uses(milp_plan(replace(request, history=(planning.EarlierMeal(-7, 1, 1),))), 1) == 2  # out of every window
    twice = replace(request, history=(planning.EarlierMeal(-2, 1, 1), planning.EarlierMeal(-1, 1, 1)))
    assert uses(milp_plan(twice), 1) == 0
    assert WEEKLY.blocked(twice, 4, 0, {}) == {1}
    assert WEEKLY.blocked(twice, 5, 0, {}) == set()


def test_earlier_dishes_count_by_family_too():
    """Dish 10 (recipes 1 and 2) may be eaten twice in any 7 days; a variant of it eaten yesterday
    (recipe 99, not a candidate) leaves one use."""
    request = with_variants(request_of(ONE_BEST, days=2, max_repeats_per_week=2, allow_leftovers=True,
                                       relaxed=frozenset({"no_repeated_day"}),
                                       history=(planning.EarlierMeal(-1, 99, 10),)))
    assert sum(FAMILY[m.recipe_id] == 10 for m in planning.solve(request, time_limit=10).meals.values()) <= 1
    assert FAMILY_REPEATS.blocked(request, 1, 0, {(0, 1): 2}) == {1, 2}
    assert FAMILY_REPEATS.blocked(request, 1, 0, {}) == set()


def test_windows_span_two_plan_weeks():
    """Days 4–10 are 7 consecutive days: a 14-day plan counts them too, not only days 0–6 and 7–13
    (16 recipes, enough for the 14 meals of any 7 days)."""
    request = request_of(ONE_BEST + [recipe(i, kcal=420) for i in range(5, 17)], days=14, max_repeats_per_week=1)
    assert [w.start for w in request.repeat_windows()] == list(range(8))
    assert WEEKLY.blocked(request, 10, 0, {(4, 1): 1}) == {1}
    assert WEEKLY.blocked(request, 11, 0, {(4, 1): 1}) == set()


def test_dish_families_come_from_the_title():
    from meals.families import family_id, title_stem

    assert title_stem("Bagels with Cream Cheese #12") == title_stem("bagel with cream cheese") == "bagel cheese cream"
    assert family_id("Chicken curry #3") == family_id("Chicken Curry") != family_id("Tofu curry")
    assert family_id("Curry #3", "chicken") == family_id("curry", "chicken") != family_id("Curry", "legumes")


# Edges of each rule -------------------------------------------------------------------------


def test_a_budget_that_affords_the_best_plan_leaves_it_and_locked_meals_spend_the_days_budget_first():
    """Recipe 1 costs 5 a serving and fits best; the cheap ones miss the day by 10 %: a budget of 10
    buys a day on target. With a locked lunch costing 3, a budget of 4 leaves 1 for dinner, which
    only the cheap recipes fit."""
    request = request_of(PRICEY_AND_CHEAP, only=BUDGET, budget=10.0)
    nutrients, costs = planning.day_totals(request, milp_plan(request))
    assert abs(nutrients[0, 0] - 1000) <= 25 and costs[0] <= 10 + 1e-6
    lunch = planning.FixedMeal(2, 1.0, tuple(recipe(2)[1:5]), 3.0)
    locked = request_of(PRICEY_AND_CHEAP, only=BUDGET, budget=4.0, fixed={(0, 0): lunch})
    dinner = milp_plan(locked)[0, 1]
    assert dinner.recipe_id in (2, 3) and dinner.servings <= 1


def test_a_partial_day_exactly_at_the_budget_is_kept():
    partial = rules.PartialDays(day=0, recipes=np.array([[1], [2]]), cost=np.array([3.0, 3.5]), rest_cost=1.0)
    assert BUDGET.keep_partial(request_of(PRICEY_AND_CHEAP, budget=4.0), partial).tolist() == [True, False]


# Lunch 300 kcal a serving at 2.00 fits the 20–40 % band only as one serving (2 steps, 300 kcal);
# lunch 1000 kcal at 0.10 fits no serving of it; dinner 500 kcal at 1.00, any serving.
BAND_LUNCH = planning.CandidateSet.from_rows([recipe(1, kcal=300, cost=2.0), recipe(2, kcal=1000, cost=0.1)])
ANY_DINNER = planning.CandidateSet.from_rows([recipe(3, kcal=500, cost=1.0)])


def banded(budget: float, **fields) -> planning.PlanRequest:
    return replace(request_of([], budget=budget, energy_bands=LUNCH_BAND, **fields),
                   candidates={"lunch": BAND_LUNCH, "dinner": ANY_DINNER})


def test_a_budget_is_obviously_too_low_only_below_the_cheapest_allowed_servings():
    """The cheapest day: one serving of lunch 1 (2.00, the only serving its band allows) and half a
    serving of dinner (0.50): 2.50."""
    assert not BUDGET.obviously_broken(banded(2.5))
    assert BUDGET.obviously_broken(banded(2.4))
    no_lunch = replace(banded(100.0), candidates={"lunch": BAND_LUNCH.subset(np.array([False, True])),
                                                  "dinner": ANY_DINNER})
    assert BUDGET.obviously_broken(no_lunch), "no lunch serving is allowed at all"
    pricey_slot = replace(banded(2.5), slot_candidates={(0, 1): planning.CandidateSet.from_rows([recipe(4, cost=9.0)])})
    assert BUDGET.obviously_broken(pricey_slot), "a kept meal's slot offers only what it offers"


def test_a_budget_no_plan_meets_even_without_it_says_so():
    request = replace(banded(50.0), candidates={"lunch": BAND_LUNCH.subset(np.array([False, True])),
                                                "dinner": ANY_DINNER})
    assert BUDGET.reasons(request, time_limit=5) == [
        "A budget of 50.00 a day is too low for a plan that meets your other rules."]


def test_locked_meals_exactly_at_the_budget_are_not_named_as_over_it():
    fixed = planning.FixedMeal(2, 2.0, tuple(recipe(2)[1:5]), 2.5)
    request = request_of(ONE_BEST, days=2, budget=5.0, fixed={(1, 0): fixed})
    assert FIXED.reasons(request, time_limit=5) == [
        "Your locked or kept meals leave no way to meet your rules for the rest of the plan: unlock some of them."]


def test_unlocking_meals_gives_their_slots_every_recipe_again():
    kept = {(0, 0): planning.CandidateSet.from_rows([recipe(2)])}
    request = request_of(ONE_BEST, fixed={(0, 1): planning.FixedMeal(3, 1.0, tuple(recipe(3)[1:5]), 1.0)},
                         slot_candidates=kept)
    unlocked = FIXED.relax(request)
    assert unlocked.fixed == {} and unlocked.candidates_for(0, 0).recipe_ids.tolist() == [1, 2, 3, 4]


def repeat_reasons(slot_types, available, *, days, max_repeats, leftovers, fixed=None):
    rows = [recipe(n) for n in range(1, available + 1)]
    candidates = {meal_type: planning.CandidateSet.from_rows(rows) for meal_type in slot_types}
    request = planning.PlanRequest(days=days, slot_types=slot_types, targets=TARGETS, candidates=candidates,
                                   max_repeats_per_week=max_repeats, allow_leftovers=leftovers, fixed=fixed or {})
    return WEEKLY.reasons(request, time_limit=None)


TOO_FEW = "Too few different recipes fit your rules for this much variety: allow more repeats or leftovers."


def test_weekly_repeat_explains_one_dish_for_two_days_without_leftovers():
    assert repeat_reasons(("lunch", "dinner"), 1, days=2, max_repeats=2, leftovers=False) == [
        f"Only 1 different {meal} dish fit your rules, too few for 2 {meal}s a week with each recipe at most 2 "
        "times in any 7 days and never on consecutive days: allow more repeats or leftovers." for meal in ("lunch", "dinner")]


@pytest.mark.parametrize(("slot_types", "available", "days", "max_repeats", "leftovers", "reasons"), [
    # leftovers allowed: one dish may fill one meal a day, 3 days, up to 3 times a week
    (("lunch", "dinner"), 1, 3, 3, True, [TOO_FEW]),
    # a single day needs one dish per meal, consecutive days or not
    (("lunch", "dinner"), 1, 1, 2, False, [TOO_FEW]),
    # two snacks a day on two days without leftovers need 4 snack dishes (2 a day, never the next day)
    (("lunch", "snack", "snack"), 4, 2, 7, False, [TOO_FEW]),
    (("lunch", "snack", "snack"), 3, 2, 7, False, [
        "Only 3 different snack dishes fit your rules, too few for 4 snacks a week with each recipe at most 7 "
        "times in any 7 days and never on consecutive days: allow more repeats or leftovers."]),
    # 14 days count over any 7 consecutive days: 7 lunches at most once each need 7 dishes
    (("lunch",), 7, 14, 1, True, [TOO_FEW]),
    # 7 lunches a week at most twice each need 4 dishes
    (("lunch",), 4, 7, 2, True, [TOO_FEW]),
    (("lunch",), 3, 7, 2, True, [
        "Only 3 different lunch dishes fit your rules, too few for 7 lunchs a week with each recipe at most 2 times "
        "in any 7 days: allow more repeats or leftovers."]),
])
def test_weekly_repeat_counts_the_dishes_a_week_needs(slot_types, available, days, max_repeats, leftovers, reasons):
    assert repeat_reasons(slot_types, available, days=days, max_repeats=max_repeats, leftovers=leftovers) == reasons


def test_weekly_repeat_explains_the_meals_left_to_plan_after_locked_ones():
    locked = {(day, 0): planning.FixedMeal(9, 1.0, tuple(recipe(9)[1:5]), 1.0) for day in range(3)}
    assert repeat_reasons(("lunch", "dinner"), 1, days=3, max_repeats=1, leftovers=True, fixed=locked) == [
        "Only 1 different dinner dish fit your rules, too few for 3 dinners a week with each recipe at most 1 time "
        "in any 7 days: allow more repeats or leftovers."]


def test_weekly_repeat_rows_count_locked_uses_and_only_within_7_days():
    fixed = {(2, 0): planning.FixedMeal(1, 1.0, tuple(recipe(1)[1:5]), 1.0)}
    request = request_of(ONE_BEST, days=3, only=WEEKLY, max_repeats_per_week=2, fixed=fixed)
    assert uses(milp_plan(request), 1) == 2, "the locked lunch is one of recipe 1's two uses this week"
    used_up = {(0, 0): 1, (1, 0): 1}
    two_weeks = request_of(ONE_BEST, days=8, max_repeats_per_week=2)
    assert WEEKLY.blocked(two_weeks, 7, 1, used_up) == set(), "day 0 is 7 days before day 7: days 1–7 hold one use"
    assert WEEKLY.blocked(two_weeks, 2, 1, used_up) == {1}


def test_weekly_repeat_rows_of_the_pattern_search_count_locked_uses():
    """Recipe 1 is locked on day 3, so it may be in one more day's pattern this week; others twice."""
    fixed = {(2, 0): planning.FixedMeal(1, 1.0, tuple(recipe(1)[1:5]), 1.0)}
    request = request_of(ONE_BEST, days=3, max_repeats_per_week=2, fixed=fixed)
    day = planning.patterns.DayPatterns(day=0, slots=(0, 1), recipes=np.array([[1, 2], [3, 4]]),
                                        steps=np.full((2, 2), 2), objective=np.zeros(2))
    assert WEEKLY.count_rows(request, day, 2) == [([0], 1.0)]
    next_day = replace(day, day=1, recipes=np.array([[1, 3]]), steps=np.full((1, 2), 2), objective=np.zeros(1))
    assert WEEKLY.week_rows(request, [day, next_day], [np.array([0, 1]), np.array([2])]) == [([0, 2], 1.0)]


def test_once_a_day_blocks_only_the_same_days_other_meals_and_a_repeat_anywhere_earlier_that_day():
    request = request_of(ONE_BEST)
    assert ONCE.blocked(request, 0, 0, {(1, 1): 4, (1, 0): 3}) == set()
    partial = rules.PartialDays(day=0, recipes=np.array([[1, 2, 1], [1, 2, 2], [1, 2, 3]]), cost=np.zeros(3),
                                rest_cost=0.0)
    assert ONCE.keep_partial(request, partial).tolist() == [False, False, True]


def test_consecutive_days_are_blocked_through_the_rule_list_and_paired_in_the_pattern_search():
    request = request_of(ONE_BEST, days=3)
    assert rules.blocked(request, 1, 0, {(0, 0): 1}) == {1}
    day = planning.patterns.DayPatterns(day=0, slots=(0, 1), recipes=np.array([[1, 2], [3, 4]]),
                                        steps=np.full((2, 2), 2), objective=np.zeros(2))
    days = [day, replace(day, day=1), replace(day, day=2)]
    columns = [np.array([0, 1]), np.array([2, 3]), np.array([4, 5])]
    rows = sorted(CONSECUTIVE.week_rows(request, days, columns))
    assert rows == sorted([([0, 2], 1.0), ([1, 3], 1.0), ([2, 4], 1.0), ([3, 5], 1.0)] * 2)


def test_energy_bands_default_by_meals_a_day_and_servings_at_the_bands_edges_are_allowed():
    three = planning.PlanRequest(days=1, slot_types=meal_types_for(3), targets=TARGETS, candidates={})
    assert BAND.bands(three) == rules.DEFAULT_ENERGY_BANDS[3]
    one = planning.PlanRequest(days=1, slot_types=("dinner",), targets=TARGETS, candidates={})
    assert BAND.bands(one) == {} and BAND.servings(one, "dinner", planning.CandidateSet.from_rows([recipe(1)])) is None
    # 400 kcal a serving: half a serving is 200 kcal (20 % of the day), one serving 400 (40 %)
    request = request_of([recipe(1, kcal=400), recipe(2, kcal=150)], energy_bands=LUNCH_BAND)
    low, high = BAND.servings(request, "lunch", request.candidates["lunch"])
    assert low.tolist() == [1, 3] and high.tolist() == [2, 5]
    low, high = rules.servings(request, "lunch", request.candidates["lunch"])
    assert low.tolist() == [1, 3] and high.tolist() == [2, 5]


BAND_FALLBACK = "Keeping each meal to its share of the day's energy leaves no plan that meets your other rules."


def test_energy_band_explains_only_the_meals_of_the_day_with_recipes():
    """A band for a meal not in the day (snack) or without candidates is no reason; lunch's single recipe is."""
    bands = {"snack": (0.05, 0.15), "dinner": (0.5, 0.7), "lunch": (0.2, 0.4)}
    request = replace(request_of([], energy_bands=bands), candidates={
        "snack": planning.CandidateSet.from_rows([recipe(5, kcal=900)]),
        "lunch": planning.CandidateSet.from_rows([recipe(1, kcal=1500)])})
    assert BAND.reasons(request, time_limit=None) == [
        "No lunch recipe that fits your rules makes 20%–40% of your 1,000 kcal day (200–400 kcal) in half servings "
        "up to 3."]
    fits_once = request_of([recipe(1, kcal=300)], energy_bands=LUNCH_BAND)  # one serving exactly: 300 kcal
    assert BAND.reasons(fits_once, time_limit=None) == [BAND_FALLBACK]


REPEATED_ONLY = {"only": REPEATED}


def test_two_days_may_share_a_meal_when_the_other_differs():
    assert uses(milp_plan(request_of(ONE_BEST, days=2, **REPEATED_ONLY)), 1) == 3


def test_days_that_cannot_match_keep_their_best_meals_and_other_pairs_still_differ():
    """Day 2's lunch may only be recipe 9, so days 1 and 2 never match and need no rows; days 1 and 3 do."""
    only_nine = {(1, 0): planning.CandidateSet.from_rows([recipe(9, kcal=480)])}
    request = request_of(ONE_BEST, days=2, slot_candidates=only_nine, **REPEATED_ONLY)
    assert milp_plan(request)[1, 1].recipe_id == 1, "day 2 keeps the best dinner: its lunch already differs"
    request = request_of(ONE_BEST, days=3, slot_candidates=only_nine, **REPEATED_ONLY)
    meals = milp_plan(request)
    assert menus(request, meals)[0] != menus(request, meals)[2]


def test_two_locked_days_with_one_menu_leave_the_rest_of_the_plan_possible():
    locked = {(day, slot): planning.FixedMeal(slot + 1, 1.0, tuple(recipe(slot + 1)[1:5]), 1.0)
              for day in (0, 1) for slot in (0, 1)}
    request = request_of(ONE_BEST, days=3, fixed=locked, **REPEATED_ONLY)
    meals = milp_plan(request)
    assert menus(request, meals)[:2] == [(1, 2), (1, 2)] and menus(request, meals)[2] != (1, 2)
    partly = request_of(ONE_BEST, days=2, fixed={(0, 0): locked[0, 0]}, **REPEATED_ONLY)
    assert menus(partly, milp_plan(partly))[0] != menus(partly, milp_plan(partly))[1]


def test_a_finished_day_is_compared_with_other_days_only_where_its_locked_meals_agree():
    """Day 2 has lunch 3 locked. Day 1's menu (1, 2) differs in that lunch, so dinner 2 is still
    fine on day 2; day 3's menu (3, 2) is day 2's with dinner 2, so that dinner is dropped."""
    locked = {(1, 0): planning.FixedMeal(3, 1.0, tuple(recipe(3)[1:5]), 1.0)}
    request = request_of(ONE_BEST, days=3, fixed=locked)
    partial = rules.PartialDays(day=1, recipes=np.array([[2], [4]]), cost=np.zeros(2), rest_cost=0.0, slots=(1,),
                                placed={(0, 0): 1, (0, 1): 2})
    assert REPEATED.keep_partial(request, partial).tolist() == [True, True]
    both = replace(partial, placed={(0, 0): 1, (0, 1): 2, (2, 0): 3, (2, 1): 2})
    assert REPEATED.keep_partial(request, both).tolist() == [False, True]


def test_the_pattern_search_keeps_a_locked_days_menu_off_every_other_day():
    """Day 3 is locked as (1, 2) and day 2 has dinner 2 locked."""
    locked = {(2, 0): planning.FixedMeal(1, 1.0, tuple(recipe(1)[1:5]), 1.0),
              (2, 1): planning.FixedMeal(2, 1.0, tuple(recipe(2)[1:5]), 1.0),
              (1, 1): planning.FixedMeal(2, 1.0, tuple(recipe(2)[1:5]), 1.0)}
    request = request_of(ONE_BEST, days=3, fixed=locked)
    first = planning.patterns.DayPatterns(day=0, slots=(0, 1), recipes=np.array([[1, 2], [3, 2], [3, 4]]),
                                          steps=np.full((3, 2), 2), objective=np.zeros(3))
    second = planning.patterns.DayPatterns(day=1, slots=(0,), recipes=np.array([[1], [3]]),
                                           steps=np.full((2, 1), 2), objective=np.zeros(2))
    columns = [np.array([0, 1, 2]), np.array([3, 4])]
    assert sorted(REPEATED.week_rows(request, [first, second], columns)) == [([0, 3], 0.0), ([1, 4], 1.0)]
    assert REPEATED.week_rows(request, [first], columns[:1]) == [([0], 0.0)]
    assert REPEATED.count_rows(request, first, 1) == [([0], 0.0), ([1], 1.0), ([2], 1.0)]
    assert REPEATED.count_rows(request, second, 1) == [([0], 0.0), ([1], 1.0)], "with the day's locked dinner"


def test_the_main_protein_is_the_source_of_most_of_the_protein():
    from meals.families import ProteinLine, main_protein

    chicken = ProteinLine("Chicken, broilers or fryers, breast, meat only, raw", "Poultry Products", frozenset({"meat"}), 40)
    lentils = ProteinLine("Lentils, mature seeds, cooked, boiled", "Legumes and Legume Products", frozenset(), 18)
    tofu = ProteinLine("Tofu, raw, firm", "Legumes and Legume Products", frozenset(), 25)
    egg = ProteinLine("Egg, whole, raw, fresh", "Dairy and Egg Products", frozenset({"egg"}), 12)
    cheese = ProteinLine("Cheese, cheddar", "Dairy and Egg Products", frozenset({"dairy"}), 14)
    salmon = ProteinLine("Fish, salmon, Atlantic, raw", "Finfish and Shellfish Products", frozenset({"fish"}), 30)
    shrimp = ProteinLine("Crustaceans, shrimp, raw", "Finfish and Shellfish Products", frozenset({"shellfish"}), 20)
    rice = ProteinLine("Rice, white, long-grain, cooked", "Cereal Grains and Pasta", frozenset(), 30)
    assert main_protein([chicken, lentils]) == "chicken"
    assert main_protein([tofu, lentils]) == "tofu/tempeh"
    assert main_protein([egg, cheese]) == "dairy" and main_protein([egg]) == "eggs"
    assert main_protein([salmon, rice]) == "fish" and main_protein([shrimp]) == "shellfish"
    assert main_protein([rice, ProteinLine("Lentils", "Legumes and Legume Products", frozenset(), 2)]) == "none"
    assert main_protein([]) == "none"


def test_among_equally_good_days_the_search_prefers_dishes_not_eaten_lately():
    """Every recipe meets the targets alike; 1 and 2 are one dish. Two days of lunch and dinner can
    be four different dishes, and the plan is."""
    same = planning.CandidateSet.from_rows([recipe(i) for i in range(1, 6)], families=[10, 10, 3, 4, 5])
    request = replace(request_of(ONE_BEST, days=2, max_repeats_per_week=2),
                      candidates={"lunch": same, "dinner": same})
    meals = planning.solve(request, time_limit=10).meals
    assert len({FAMILY[m.recipe_id] for m in meals.values()}) == 4


def test_of_two_plans_on_target_alike_the_more_varied_one_is_chosen(monkeypatch):
    """Recipe 1 hits the targets exactly, 2-4 are 2 % short (inside the dead zone, so a day of any
    two scores 0 like a day with 1). A second day with 1 again is as good by the numbers; the
    objective's tie-break makes the plan the one with four different dishes, even when the search
    first finds the other (the MILP and the pattern search know nothing of variety)."""
    near = planning.CandidateSet.from_rows([recipe(1), *(recipe(i, kcal=490) for i in (2, 3, 4))])
    request = replace(request_of(ONE_BEST, days=2, max_repeats_per_week=2), candidates={"lunch": near, "dinner": near})
    repeated = {(0, 0): ChosenMeal(1, 1.0), (0, 1): ChosenMeal(2, 1.0), (1, 0): ChosenMeal(3, 1.0), (1, 1): ChosenMeal(1, 1.0)}
    varied = {**repeated, (1, 1): ChosenMeal(4, 1.0)}
    assert planning.OBJECTIVE.evaluate(request, varied) == planning.OBJECTIVE.evaluate(request, repeated) == 0
    assert planning.OBJECTIVE.repeats(request, repeated) == 1 and planning.OBJECTIVE.repeats(request, varied) == 0
    assert planning.OBJECTIVE.better(request, varied, repeated) and not planning.OBJECTIVE.better(request, repeated, varied)
    off = {**repeated, (1, 1): ChosenMeal(1, 0.5)}  # the beam search's plan, to be bettered
    monkeypatch.setattr(solver, "beam_plan", lambda request, **kw: planning.PlanSolution(
        "time_limit", off, objective=planning.OBJECTIVE.evaluate(request, off)))
    monkeypatch.setattr(solver, "exact_week", lambda request, best, bounds, **kw: planning.PlanSolution(
        "optimal", repeated, objective=0.0, bound=0.0))  # the pattern search's optimum, one of the two
    solution = planning.solve(request, time_limit=10)
    assert solution.status == "optimal" and solution.objective == 0
    assert len({meal.recipe_id for meal in solution.meals.values()}) == 4


def test_variety_never_outweighs_the_targets():
    """A plan closer to the targets beats a more varied one."""
    near = planning.CandidateSet.from_rows([recipe(1), *(recipe(i, kcal=400) for i in (2, 3, 4))])
    request = replace(request_of(ONE_BEST, days=2, max_repeats_per_week=2), candidates={"lunch": near, "dinner": near})
    repeated = {(0, 0): ChosenMeal(1, 1.0), (0, 1): ChosenMeal(2, 1.0), (1, 0): ChosenMeal(3, 1.0), (1, 1): ChosenMeal(1, 1.0)}
    varied = {**repeated, (1, 1): ChosenMeal(4, 1.0)}  # 800 kcal on day 2 rather than 900
    assert planning.OBJECTIVE.better(request, repeated, varied) and not planning.OBJECTIVE.better(request, varied, repeated)


# Weekly rules the person writes ----------------------------------------------------------------

AT_MOST, AT_LEAST = rule_named("weekly_at_most"), rule_named("weekly_at_least")
ON_DAY, MINUTES = rule_named("weekly_on_day"), rule_named("weekly_minutes")
# Recipe 1 fits best and is "chicken"; 2–4 fit a little worse and are not.
CHICKEN = frozenset({1})


def written(kind: str, text: str, recipes=CHICKEN, **fields) -> planning.WeeklyRule:
    return planning.WeeklyRule(kind=kind, text=text, recipes=frozenset(recipes), **fields)


def test_at_most_rows_cap_the_counted_meals_in_any_seven_days():
    rule = written("at_most", "at most 1 chicken dinners a week", meal_type="dinner", count=1)
    request = request_of(ONE_BEST, days=4, only=AT_MOST, weekly_rules=(rule,))
    meals = milp_plan(request)
    assert sum(meal.recipe_id == 1 for (day, slot), meal in meals.items() if slot == 1) <= 1
    assert sum(meal.recipe_id == 1 for (day, slot), meal in milp_plan(AT_MOST.relax(request)).items() if slot == 1) > 1
    assert AT_MOST.blocked(request, 2, 1, {(0, 1): 1}) == {1}
    assert AT_MOST.blocked(request, 2, 0, {(0, 1): 1}) == set(), "lunch is not counted"


def test_at_most_counts_the_previous_plans_meals_in_the_seven_day_window():
    """At most 2 chicken dinners a week: with chicken at dinner on the previous plan's last two days,
    a 4-day plan may have none until day 5 (day −2 leaves the window), and a chicken lunch then, or
    an earlier meal of unknown type, is not counted by a dinner rule."""
    rule = written("at_most", "at most 2 chicken dinners a week", meal_type="dinner", count=2)
    request = request_of(ONE_BEST, days=4, only=AT_MOST, weekly_rules=(rule,))
    assert sum(m.recipe_id == 1 for (_, slot), m in milp_plan(request).items() if slot == 1) == 2
    dinners = (planning.EarlierMeal(-2, 1, 1, "dinner"), planning.EarlierMeal(-1, 1, 1, "dinner"))
    eaten = replace(request, history=dinners)
    assert sum(m.recipe_id == 1 for (_, slot), m in milp_plan(eaten).items() if slot == 1) == 0
    assert AT_MOST.blocked(eaten, 3, 1, {}) == {1} and AT_MOST.blocked(replace(eaten, days=7), 5, 1, {}) == set()
    partial = rules.PartialDays(day=0, recipes=np.array([[2, 1], [1, 2]]), cost=np.zeros(2), rest_cost=0.0,
                                slots=(0, 1), placed={})
    assert AT_MOST.keep_partial(eaten, partial).tolist() == [False, True]
    other_meals = (planning.EarlierMeal(-1, 1, 1, "lunch"), planning.EarlierMeal(-2, 1, 1))
    assert sum(m.recipe_id == 1 for (_, slot), m in milp_plan(replace(request, history=other_meals)).items()
               if slot == 1) == 2


def test_at_least_rows_ask_for_the_counted_meals_each_week():
    rule = written("at_least", "at least 3 fish a week", recipes={4}, count=3)
    request = request_of(ONE_BEST, days=7, only=AT_LEAST, weekly_rules=(rule,))
    assert uses(milp_plan(request), 4) >= 3
    assert uses(milp_plan(AT_LEAST.relax(request)), 4) < 3
    # with two slots left in the week and two fish still needed, both must be fish
    placed = {(day, slot): 2 for day in range(7) for slot in range(2)} | {(6, 0): 4}
    del placed[5, 1], placed[6, 1]
    assert AT_LEAST.blocked(request, 6, 1, {**placed, (5, 1): 4}) == {1, 2, 3}
    assert AT_LEAST.blocked(request, 6, 1, {**placed, (5, 1): 4, (4, 0): 4}) == set()


def test_an_at_least_rule_its_locked_meals_already_keep_is_not_refused():
    """Found by the regeneration property: with recipe 4 locked on day 0 and no free slot able to
    take it, "at least 1 fish" was refused at once although the locked meal keeps it."""
    rule = written("at_least", "at least 1 fish a week", recipes={4}, count=1)
    others = planning.CandidateSet.from_rows([recipe(i) for i in (1, 2, 3)])
    request = replace(request_of(ONE_BEST, days=7, only=AT_LEAST, weekly_rules=(rule,)),
                      candidates={"lunch": others, "dinner": others},
                      fixed={(0, 0): planning.FixedMeal(4, 1.0, tuple(recipe(4, kcal=420)[1:5]), 1.0)})
    assert not AT_LEAST.obviously_broken(request)
    assert planning.solve(request, time_limit=10).found
    assert AT_LEAST.obviously_broken(replace(request, fixed={}))


def test_at_least_counts_each_plan_week_its_locked_meals_included_and_a_short_last_week_its_share():
    """At least 3 fish a week over 10 days: days 0-6 need 3 (one is locked), days 7-9 need 3 × 3 // 7 = 1.
    Fish fits worse than recipe 1, so the MILP plans exactly what the rule asks."""
    rule = written("at_least", "at least 3 fish a week", recipes={4}, count=3)
    fish = planning.FixedMeal(4, 1.0, tuple(recipe(4, kcal=420)[1:5]), 1.0)
    request = request_of(ONE_BEST, days=10, only=AT_LEAST, weekly_rules=(rule,), fixed={(0, 0): fish})
    meals = milp_plan(request)
    free_fish = Counter(day // 7 for (day, slot), meal in meals.items() if meal.recipe_id == 4 and (day, slot) != (0, 0))
    assert free_fish == {0: 2, 1: 1}
    assert [AT_LEAST.still_needed(request, rule, week) for week in (range(0, 7), range(7, 10))] == [2, 1]


def test_on_day_leaves_only_its_recipes_that_day():
    rule = written("on_day", "on Wednesday dinner is pizza", recipes={3}, meal_type="dinner", weekday=2)
    request = request_of(ONE_BEST, days=3, only=ON_DAY, weekly_rules=(rule,), first_weekday=1)  # day 1 = Wednesday
    meals = planning.solve(request, time_limit=10).meals
    assert meals[1, 1].recipe_id == 3 and meals[0, 1].recipe_id != 3 or meals[2, 1].recipe_id != 3
    assert ON_DAY.blocked(request, 1, 1, {}) == {1, 2, 4}
    assert ON_DAY.blocked(request, 0, 1, {}) == set() and ON_DAY.blocked(request, 1, 0, {}) == set()


def test_cooking_time_blocks_long_recipes_by_day_of_week():
    rule = written("minutes", "weekdays at most 20 minutes, weekends at most 60", recipes={1, 2}, weekend_recipes={2})
    request = request_of(ONE_BEST, days=7, only=MINUTES, weekly_rules=(rule,), first_weekday=0)
    meals = planning.solve(request, time_limit=10).meals
    assert all(meal.recipe_id not in (1, 2) for (day, _), meal in meals.items() if day < 5)
    assert MINUTES.blocked(request, 5, 0, {}) == {2}


def test_cooking_time_leaves_a_leftover_lunch_alone():
    """Sunday's dinner may take an hour; Monday's lunch is its leftovers, not cooked on Monday, so a
    weekday limit does not apply to it (it did, and kept the long dinner off Sunday)."""
    rule = written("minutes", "weekdays at most 20 minutes, weekends at most 60", recipes={1}, weekend_recipes=set())
    request = request_of(ONE_BEST, days=2, weekly_rules=(rule,), first_weekday=6, leftover_lunches=True,
                         max_repeats_per_week=2, relaxed=frozenset({"no_repeated_day"}))
    assert MINUTES.blocked(request, 1, 0, {}) == set(), "Monday's lunch is Sunday's dinner"
    assert MINUTES.blocked(request, 1, 1, {}) == {1}, "Monday's dinner is cooked on Monday"
    meals = planning.solve(request, time_limit=10).meals
    assert meals[0, 1].recipe_id == meals[1, 0].recipe_id == 1
    assert meals[1, 1].recipe_id != 1


def test_written_rules_that_conflict_are_named():
    """At least 3 chicken meals but at most 1: the explanation names both rules, and only them."""
    rules_written = (written("at_least", "at least 3 chicken a week", count=3),
                     written("at_most", "at most 1 chicken a week", count=1),
                     written("at_most", "at most 5 fish a week", recipes={4}, count=5))
    request = request_of(ONE_BEST, days=7, weekly_rules=rules_written, max_repeats_per_week=7, allow_leftovers=True,
                         relaxed=frozenset({"no_repeated_day"}))
    assert not planning.solve(request, time_limit=10).found
    assert planning.explain_infeasible(request, time_limit=5) == [
        "Your rules “at least 3 chicken a week” and “at most 1 chicken a week” conflict: no plan keeps them all with "
        "the recipes that fit your other rules."]


def test_an_on_day_rule_no_recipe_keeps_is_refused_at_once_and_named():
    rule = written("on_day", "on Monday dinner is pizza", recipes={99}, meal_type="dinner", weekday=0)
    request = request_of(ONE_BEST, days=2, weekly_rules=(rule,))
    assert ON_DAY.obviously_broken(request)
    assert not planning.solve(request, time_limit=10).found
    assert planning.explain_infeasible(request) == [
        "Your rule “on Monday dinner is pizza” cannot be kept together with your other rules and the recipes that "
        "fit them."]


def test_written_rules_drop_partly_planned_days_that_pass_or_cannot_reach_their_counts():
    at_most = written("at_most", "at most 1 chicken a week", count=1)
    request = request_of(ONE_BEST, days=7, weekly_rules=(at_most,))
    partial = rules.PartialDays(day=0, recipes=np.array([[1, 1], [1, 2]]), cost=np.zeros(2), rest_cost=0.0,
                                slots=(0, 1), placed={})
    assert AT_MOST.keep_partial(request, partial).tolist() == [False, True]
    assert AT_MOST.keep_partial(request, replace(partial, placed={(3, 0): 1})).tolist() == [False, False]
    at_least = written("at_least", "at least 2 fish a week", recipes={4}, count=2)
    request = request_of(ONE_BEST, days=7, weekly_rules=(at_least,))
    others = {(day, slot): 2 for day in range(6) for slot in range(2)}
    last = rules.PartialDays(day=6, recipes=np.array([[4, 4], [4, 2], [2, 2]]), cost=np.zeros(3), rest_cost=0.0,
                             slots=(0, 1), placed=others)
    assert AT_LEAST.keep_partial(request, last).tolist() == [True, False, False]
    first = replace(last, day=0, placed={})
    assert AT_LEAST.keep_partial(request, first).tolist() == [True, True, True]


# Leftover lunches ------------------------------------------------------------------------------

LEFTOVERS = rule_named("leftover_lunches")


def test_leftover_lunches_are_the_day_befores_dinner_and_count_as_one_use():
    """Lunch on days 2 and 3 is the dinner of the day before, with a limit of one use a week: a
    leftover lunch is its dinner's use."""
    request = request_of(ONE_BEST, days=3, leftover_lunches=True, max_repeats_per_week=1)
    assert [lunch for _, lunch in request.leftover_pairs()] == [(1, 0), (2, 0)]
    meals = planning.solve(request, time_limit=10).meals
    assert meals[1, 0].recipe_id == meals[0, 1].recipe_id and meals[2, 0].recipe_id == meals[1, 1].recipe_id
    assert LEFTOVERS.blocked(request, 1, 0, {(0, 1): 3}) == {1, 2, 4}
    assert LEFTOVERS.blocked(request, 0, 1, {(1, 0): 2}) == {1, 3, 4}
    assert WEEKLY.blocked(request, 1, 0, {(0, 1): 3}) == set()
    model_rows = milp_plan(replace(request, relaxed=frozenset(r.name for r in rules.RULES if r is not LEFTOVERS)))
    assert model_rows[1, 0].recipe_id == model_rows[0, 1].recipe_id
    assert not LEFTOVERS.active(LEFTOVERS.relax(request))
    swapped = replace(request, slot_candidates={(1, 0): planning.CandidateSet.from_rows([recipe(2)])})
    assert [lunch for _, lunch in swapped.leftover_pairs()] == [(2, 0)], "a lunch chosen by hand is nobody's leftovers"
    locked = replace(request, fixed={(1, 0): planning.FixedMeal(2, 1.0, tuple(recipe(2)[1:5]), 1.0)})
    assert planning.solve(locked, time_limit=10).meals[0, 1].recipe_id == 2, "a locked lunch's dinner is cooked for it"


def a_rule(kind: str, recipes, **fields) -> WeeklyRule:
    return WeeklyRule(kind=kind, text=f"a {kind} rule", recipes=frozenset(recipes), **fields)


def broken_rules(rule: WeeklyRule, days: int = 7, **fields) -> list[str]:
    """Names of the rules a quick look shows no plan can keep; lunch may be 1 or 2, dinner 3 or 4."""
    request = replace(request_of([], days=days, weekly_rules=(rule,), **fields), candidates={
        "lunch": planning.CandidateSet.from_rows([recipe(1), recipe(2)]),
        "dinner": planning.CandidateSet.from_rows([recipe(3), recipe(4)])})
    return [r.name for r in rules.obviously_broken(request)]


@pytest.mark.parametrize(("rule", "days", "names"), [
    (a_rule("at_least", {3}, count=2), 7, []),
    (a_rule("at_least", {3}, count=1, meal_type="dinner"), 7, []),
    (a_rule("at_least", {3}, count=1, meal_type="lunch"), 7, ["weekly_at_least"]),  # 3 is never a lunch
    (a_rule("at_least", {99}, count=1), 7, ["weekly_at_least"]),
    (a_rule("at_least", {99}, count=2), 3, []),  # 2 a week asks nothing of a 3-day plan
    (a_rule("on_day", {3}, weekday=0, meal_type="dinner"), 1, []),
    (a_rule("on_day", {1}, weekday=0, meal_type="dinner"), 1, ["weekly_on_day"]),
    (a_rule("on_day", {1}, weekday=1, meal_type="dinner"), 1, []),  # the one day is a Monday
    (a_rule("minutes", {1, 2}), 1, ["weekly_minutes"]),  # no lunch quick enough on a weekday
    (a_rule("minutes", {1}), 1, []),
])
def test_written_weekly_rules_no_recipe_can_keep_are_refused_at_once(rule, days, names):
    assert broken_rules(rule, days) == names
