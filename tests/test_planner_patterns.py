"""Choosing a week from listed day patterns: interchangeable days (no fixed meals) are solved as
how many days take each pattern, then put in an order; the order must keep the
no-consecutive-days rule, and when no order of the best counts can, the week is still optimal."""

import math

import numpy as np
import pytest

from mealplan import planning
from mealplan.people.slots import meal_types_for
from mealplan.planning import solver
from mealplan.planning.patterns import DayPatterns, _best_multiset, best_week

# Three patterns of a two-slot day with disjoint recipes; A is the best day, C the worst.
RECIPES = np.array([[1, 2], [3, 4], [5, 6]])
A, B, C = range(3)


def week(days: int = 7, objective=(0.0, 1.0, 2.0)) -> list[DayPatterns]:
    return [DayPatterns(day=day, slots=(0, 1), recipes=RECIPES, steps=np.full_like(RECIPES, 2),
                        objective=np.array(objective)) for day in range(days)]


def rules(max_per_week: int, allow_leftovers: bool, days: int = 7, fixed=None) -> planning.PlanRequest:
    """The week's rules as a request (the patterns carry the meals; candidates are not read).
    Three patterns cannot fill a week with different menus: that rule yields (see the rule tests)."""
    return planning.PlanRequest(days=days, slot_types=("lunch", "dinner"), targets=(1800, 110, 60, 200),
                                candidates={}, max_repeats_per_week=max_per_week, allow_leftovers=allow_leftovers,
                                fixed=fixed or {}, relaxed=frozenset({"no_repeated_day"}))


def total(days: list[DayPatterns], chosen: list[int]) -> float:
    return float(sum(d.objective[i] for d, i in zip(days, chosen)))


def assert_no_recipe_on_consecutive_days(chosen: list[int]):
    for first, second in zip(chosen, chosen[1:]):
        assert not np.any(RECIPES[first] == RECIPES[second]), chosen


@pytest.mark.parametrize("max_per_week, expected", [(4, 3.0), (3, 5.0)])
def test_repeat_limit_spreads_the_week_over_the_patterns(max_per_week, expected):
    days = week()
    status, chosen, bound = best_week(days, rules(max_per_week, False), time_limit=5)
    assert status == "optimal"
    assert total(days, chosen) == pytest.approx(expected)
    assert bound == pytest.approx(expected)
    assert max(chosen.count(p) for p in (A, B, C)) <= max_per_week
    assert_no_recipe_on_consecutive_days(chosen)


def test_best_counts_that_no_order_can_keep_give_way_to_the_best_week_that_can():
    """Without a repeat limit the best counts are seven days of A, which would put A's recipes
    on consecutive days; the best valid week alternates A and B."""
    days = week()
    status, chosen, _ = best_week(days, rules(7, False), time_limit=5)
    assert status == "optimal"
    assert chosen == [A, B, A, B, A, B, A]


def test_leftovers_allow_the_best_day_every_day():
    days = week()
    status, chosen, _ = best_week(days, rules(7, True), time_limit=5)
    assert (status, chosen) == ("optimal", [A] * 7)


def test_recipes_used_by_fixed_meals_count_against_the_limit():
    days = week(days=3)
    locked = {(3, 0): planning.FixedMeal(1, 1.0, (500, 30, 15, 60), 1.0)}  # day 4 already uses recipe 1 (pattern A)
    status, chosen, _ = best_week(days, rules(2, True, days=4, fixed=locked), time_limit=5)
    assert status == "optimal"
    assert chosen.count(A) == 1 and total(days, chosen) == pytest.approx(2.0)


def test_too_few_patterns_for_the_repeat_limit_is_infeasible():
    days = week()
    status, chosen, _ = best_week(days, rules(2, True), time_limit=5)  # 3 patterns × 2 < 7 days
    assert (status, chosen) == ("infeasible", None)


def test_a_day_no_pattern_fits_gets_a_bound_of_zero_even_without_a_time_limit():
    """Listing for a day's own optimum grows its cap until a pattern fits; when none ever does
    (here the budget is below every serving) it must stop rather than grow the cap forever."""
    candidates = {meal_type: planning.CandidateSet.from_rows([(i, 500, 30, 15, 60, 5.0) for i in range(1, 4)])
                  for meal_type in ("breakfast", "lunch", "dinner", "snack")}
    request = planning.PlanRequest(days=1, slot_types=meal_types_for(2), targets=(1800, 110, 60, 200),
                                  candidates=candidates, budget=1.0)
    assert planning.day_bounds(request, until=math.inf) == [0.0]


def test_interchangeable_days_are_ordered_from_their_counts_without_the_day_by_day_fallback():
    """Only the consecutive-days rule forbids a pattern after another: the others never clash, so
    seven days of A (leftovers allowed) are ordered at once."""
    status, chosen, _ = _best_multiset(week(), rules(7, True), time_limit=5)
    assert (status, chosen) == ("optimal", [A] * 7)


def test_a_slot_the_rules_leave_no_option_gives_no_pattern_instead_of_an_error():
    """Found by the pattern-search property: the only breakfast dish family was eaten the day
    before the plan, so the family limit leaves breakfast nothing; the day has no pattern."""
    breakfast = planning.CandidateSet.from_rows([(1, 480, 30, 26.7, 30, 0.2), (9, 80, 5, 4.4, 5, 0.2)], families=[1, 1])
    dinner = planning.CandidateSet.from_rows([(i, 720, 45, 40, 45, 0.2) for i in range(2, 9)], families=list(range(2, 9)))
    request = planning.PlanRequest(
        days=1, slot_types=("breakfast", "dinner"), targets=(1200, 75.0, 40.0, 135.0),
        candidates={"breakfast": breakfast, "dinner": dinner}, max_repeats_per_week=1,
        history=(planning.EarlierMeal(day=-1, recipe_id=9, family=1),))
    bounds = planning.day_bounds(request, until=math.inf)
    assert bounds[0] == 0
    assert planning.solve(request, time_limit=5).found  # the family limit yields


# The week chosen from day pools ----------------------------------------------------------------

def balanced(recipe_id: int, extra_protein: float = 0.0) -> tuple:
    """A 500 kcal serving of the targets' split (1,000 kcal, 25/30/45), with `extra_protein` grams
    more protein in place of carbohydrate (the energy unchanged)."""
    return (recipe_id, 500.0, 31.25 + extra_protein, 500 * 0.3 / 9, 500 * 0.45 / 4 - extra_protein, 1.0)


def test_a_week_the_day_by_day_search_misses_is_chosen_from_the_days_pools():
    """Two balanced recipes make a perfect day, and each with one of the two protein-rich ones a
    day within the dead zone; the two protein-rich ones together are 8 % over on protein. The beam
    search, day by day, takes the perfect day first and leaves the next day the bad one (each
    recipe once a week); the pooled week pairs each balanced recipe with a protein-rich one, and
    keeps every rule."""
    candidates = planning.CandidateSet.from_rows([balanced(1), balanced(2), balanced(3, 2.5), balanced(4, 2.5)])
    request = planning.PlanRequest(days=2, slot_types=("lunch", "dinner"), targets=(1000.0, 62.5, 1000 * 0.3 / 9,
                                                                                    1000 * 0.45 / 4),
                                   candidates={"lunch": candidates, "dinner": candidates}, max_repeats_per_week=1,
                                   energy_bands={})
    beamed = solver.beam_plan(request)
    assert beamed.found and beamed.objective > 0.01
    pooled = solver.pooled_week(request, beamed, until=math.inf)
    assert pooled.objective == 0.0
    assert sorted(meal.recipe_id for meal in pooled.meals.values()) == [1, 2, 3, 4]
    assert all({pooled.meals[day, 0].recipe_id, pooled.meals[day, 1].recipe_id} & {3, 4} for day in range(2))
    assert planning.solve(request, time_limit=5).status == "optimal"


# The relaxed week: a bound that keeps the repeat limits ---------------------------------------

def test_a_day_may_take_any_other_pattern_at_its_cap_so_the_relaxed_week_bounds_the_optimum_from_below():
    """Patterns A, B listed under a cap of 1.5 (C, costing 2, left out): with each pattern at most 3
    times the week takes 3 A, 3 B and one day of "any other pattern" at 1.5 (LP and MILP alike), a
    bound of 4.5 below the optimum of 5 (3 A, 3 B, 1 C), and no week; with C listed (a cap of 3) the MILP's optimum is the week."""
    listed = [DayPatterns(day=d.day, slots=d.slots, recipes=d.recipes[:2], steps=d.steps[:2], objective=d.objective[:2])
              for d in week()]
    request = rules(3, False)
    status, bound, elsewhere = planning.patterns.relaxed_week(listed, [1.5] * 7, request, integer=False, time_limit=5)
    assert status == "optimal" and bound == pytest.approx(4.5) and elsewhere == pytest.approx(1.0)
    status, bound, chosen = planning.patterns.relaxed_week(listed, [1.5] * 7, request, integer=True, time_limit=5)
    assert (status, chosen) == ("optimal", None) and bound == pytest.approx(4.5)
    status, bound, chosen = planning.patterns.relaxed_week(week(), [3.0] * 7, request, integer=True, time_limit=5)
    assert status == "optimal" and bound == pytest.approx(5.0)
    assert total(week(), chosen) == pytest.approx(5.0)
    assert max(chosen.count(p) for p in (A, B, C)) <= 3
    assert_no_recipe_on_consecutive_days(chosen)


def quarter(recipe_id: int, protein: float = 1.0) -> tuple:
    """A 250 kcal serving of the targets' split (1,000 kcal, 25/30/45), with `protein` times the
    protein, the energy made up by carbohydrate."""
    return (recipe_id, 250.0, 15.625 * protein, 250 * 0.3 / 9, 250 * 0.45 / 4 + 15.625 * (1 - protein), 1.0)


def test_a_week_the_repeat_limit_keeps_above_its_day_bounds_is_proven_optimal():
    """Four balanced recipes make a perfect 4-meal day and four with half the protein a day far short
    of it; each recipe once a week, so two days eat all eight. Each day alone reaches 0, so the day
    bounds (the repeat limit dropped) prove nothing of a week above 0; the relaxed week, which keeps
    the limit, proves its optimum (the poor recipes shared between the days, in their smaller meals)."""
    candidates = planning.CandidateSet.from_rows([quarter(i) for i in range(1, 5)]
                                                 + [quarter(i, 0.5) for i in range(5, 9)])
    request = planning.PlanRequest(days=2, slot_types=meal_types_for(4), targets=(1000.0, 62.5, 1000 * 0.3 / 9,
                                                                                  1000 * 0.45 / 4),
                                   candidates={t: candidates for t in meal_types_for(4)}, max_repeats_per_week=1)
    bounds = planning.day_bounds(request, until=math.inf)
    assert bounds == [0.0, 0.0]
    beamed = solver.beam_plan(request)
    best, bound, proven = solver.relaxed_week(request, beamed, bounds, until=math.inf, relative_gap=0.0,
                                              absolute_gap_per_day=0.0)
    assert proven and bound > 0.1
    assert best.objective == pytest.approx(bound, abs=1e-9)
    assert sorted(meal.recipe_id for meal in best.meals.values()) == list(range(1, 9))
    assert all(len({best.meals[day, slot].recipe_id for slot in range(4)} & {5, 6, 7, 8}) == 2 for day in range(2))
    solution = planning.solve(request, time_limit=5)
    assert solution.status == "optimal" and solution.bound > 0.1
    assert solution.objective == pytest.approx(best.objective, rel=0.01)
