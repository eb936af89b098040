"""The planner's one objective in worked numbers: how much a day's miss of each target costs
(nothing inside the dead zone, each 1 % beyond it its weight, eleven times that beyond the
tolerance band), the small cost of keeping a recipe a regeneration should replace, and the
MILP charging exactly what the direct evaluation does, so the plan picked is the closest."""

import itertools
from dataclasses import replace

import numpy as np
import pytest

from mealplan import planning
from mealplan.planning import beam, milp
from mealplan.planning.objective import OBJECTIVE
from mealplan.planning.types import SERVING_STEP, ChosenMeal, FixedMeal

TARGETS = (2000.0, 100.0, 70.0, 250.0)


def request_of(rows=((1, 1000.0, 50.0, 35.0, 125.0, 1.0),), *, days=1, slots=("lunch", "dinner"), **fields):
    candidates = planning.CandidateSet.from_rows(rows)
    fields.setdefault("relaxed", frozenset(rule.name for rule in planning.RULES))
    return planning.PlanRequest(days=days, slot_types=slots, targets=fields.pop("targets", TARGETS),
                                candidates={meal_type: candidates for meal_type in slots}, **fields)


def day_of(*per_serving, servings=1.0):
    """One day of meals with these per-serving (kcal, protein, fat, carbs), one serving each."""
    rows = [(n + 1, *nutrients, 1.0) for n, nutrients in enumerate(per_serving)]
    request = request_of(rows, slots=("breakfast", "lunch", "dinner")[:len(rows)])
    return request, {(0, n): ChosenMeal(n + 1, servings) for n in range(len(rows))}


def test_a_day_on_its_targets_costs_nothing():
    request, meals = day_of((1000, 50, 35, 125), (1000, 50, 35, 125))
    assert OBJECTIVE.day_scores(request, meals).tolist() == [0.0]
    assert OBJECTIVE.evaluate(request, meals) == 0.0


@pytest.mark.parametrize(("totals", "score"), [
    # inside every dead zone (2.5 % of kcal, 5 % of the macros), over or under: free
    ((2050, 105, 66.5, 237.5), 0.0),
    # energy 4 % over: 1.5 % past its dead zone at weight 1 per 100 %
    ((2080, 100, 70, 250), 0.015),
    # protein 8 % short: 3 % past its dead zone at weight 0.5
    ((2000, 92, 70, 250), 0.015),
    # fat 10 % over and carbs 10 % short: 5 % each at weight 0.35, still inside the tolerance bands
    ((2000, 100, 77, 225), 0.035),
    # energy 7 % short: 4.5 % past the dead zone plus 2 % past the 5 % band at ten times the weight
    ((1860, 100, 70, 250), 0.045 + 0.2),
    # carbs 20 % over: 15 % past the dead zone, 10 % past the band × 10, at weight 0.35
    ((2000, 100, 70, 300), 0.35 * (0.15 + 1.0)),
])
def test_a_miss_costs_its_weight_per_percent_beyond_the_dead_zone_and_ten_times_more_beyond_the_band(
        totals, score):
    request, meals = day_of(totals)
    assert OBJECTIVE.day_scores(request, meals).tolist() == [pytest.approx(score)]
    assert OBJECTIVE.day(request, 0).evaluate(np.array([totals], dtype=float)).tolist() == [pytest.approx(score)]


def test_each_day_is_scored_on_its_own_and_the_plan_is_their_sum():
    request = request_of([(1, 1000, 50, 35, 125, 1.0), (2, 930, 50, 35, 125, 1.0)], days=2)
    meals = {(0, 0): ChosenMeal(1, 1), (0, 1): ChosenMeal(1, 1), (1, 0): ChosenMeal(1, 1), (1, 1): ChosenMeal(2, 1)}
    # day 2 has 1930 kcal: 3.5 % short, 1 % past the dead zone
    assert OBJECTIVE.day_scores(request, meals).tolist() == [0.0, pytest.approx(0.01)]
    assert OBJECTIVE.evaluate(request, meals) == pytest.approx(0.01)


def test_a_zero_target_counts_as_one_unit_not_a_division_by_zero():
    request, meals = day_of((2000, 100, 0.5, 250))
    request = replace(request, targets=(2000.0, 100.0, 0.0, 250.0))
    assert OBJECTIVE.targets(request).tolist() == [2000.0, 100.0, 1.0, 250.0]
    # 0.5 g fat against a target of 1 g: 50 % short, 45 % past the dead zone and 40 % past the band
    assert OBJECTIVE.day_scores(request, meals).tolist() == [pytest.approx(0.35 * (0.45 + 4.0))]


def test_keeping_the_recipe_a_regeneration_should_replace_costs_a_little_unless_it_is_locked():
    request = request_of([(1, 1000, 50, 35, 125, 1.0), (2, 1000, 50, 35, 125, 1.0)], days=2,
                         previous={(0, 0): 1, (0, 1): 2, (1, 0): 1, (1, 1): 2},
                         fixed={(1, 0): FixedMeal(1, 1.0, (1000, 50, 35, 125), 1.0)})
    meals = {(0, 0): ChosenMeal(1, 1), (0, 1): ChosenMeal(1, 1), (1, 0): ChosenMeal(1, 1), (1, 1): ChosenMeal(2, 1)}
    # (0, 0) and (1, 1) keep their recipes (0.03 each); (0, 1) changed from 2 to 1; (1, 0) is locked: no cost
    assert OBJECTIVE.evaluate(request, meals) == pytest.approx(0.06)
    assert OBJECTIVE.kept_penalty(request, 0, 1, np.array([1, 2, 3])).tolist() == [0.0, 0.03, 0.0]
    assert OBJECTIVE.kept_penalty(request, 1, 1, np.array([1, 2])).tolist() == [0.0, 0.03]
    assert OBJECTIVE.kept_penalty(request, 5, 0, np.array([1, 2])).tolist() == [0.0, 0.0], "no recipe to replace"


def test_a_day_with_fixed_meals_starts_from_them():
    fixed = {(0, 0): FixedMeal(9, 2.0, (400, 20, 10, 60), 1.0), (1, 1): FixedMeal(9, 1.0, (400, 20, 10, 60), 1.0)}
    request = request_of(days=2, fixed=fixed)
    assert OBJECTIVE.day(request, 0).base_nutrients.tolist() == [800, 40, 20, 120]
    assert OBJECTIVE.day(request, 1).base_nutrients.tolist() == [400, 20, 10, 60]


def test_the_lower_bound_over_a_box_of_totals_is_the_cost_of_its_closest_point():
    day = OBJECTIVE.day(request_of(), 0)
    low = np.array([[1900, 90, 60, 200], [2100, 100, 70, 250], [1000, 0, 0, 0]], dtype=float)
    high = np.array([[2100, 110, 80, 300], [2300, 120, 80, 300], [1860, 100, 70, 250]], dtype=float)
    floors = day.floor(low, high)
    assert floors[0] == 0.0  # the targets are inside the box
    assert floors[1] == pytest.approx(day.evaluate(np.array([[2100, 100, 70, 250]]))[0])  # 5 % over: 0.025
    assert floors[1] == pytest.approx(0.025)
    assert floors[2] == pytest.approx(0.045 + 0.2)  # best case 1860 kcal: 7 % short
    low_carb = OBJECTIVE.day(request_of(targets=(2000.0, 100.0, 70.0, 10.0)), 0)
    assert low_carb.floor(np.array([[1990, 99, 69, 9.5]]), np.array([[2010, 101, 71, 10.5]])).tolist() == [0.0], (
        "a box around a 10 g carbohydrate target costs nothing")


def test_a_partly_planned_day_is_measured_against_its_share_of_the_targets():
    day = OBJECTIVE.day(request_of(), 0).scaled(0.5)
    assert day.targets.tolist() == [1000, 50, 35, 125]
    assert day.evaluate(np.array([[1000, 50, 35, 125], [2000, 100, 70, 250]])).tolist()[0] == 0.0


CLOSE, SHORT, LONG = (1, 980, 50, 35, 125, 1.0), (2, 800, 40, 28, 100, 1.0), (3, 1250, 62, 44, 156, 1.0)


@pytest.mark.parametrize(("rows", "previous", "fixed"), [
    ([CLOSE, SHORT, LONG], {}, {}),
    ([SHORT, LONG], {}, {}),
    ([CLOSE, SHORT, LONG], {(0, 0): 1, (0, 1): 1}, {}),
    ([CLOSE, SHORT, LONG], {(0, 1): 2}, {(0, 0): FixedMeal(7, 1.5, (500, 10, 30, 40), 1.0)}),
])
def test_the_milp_charges_what_the_direct_evaluation_does_and_picks_the_closest_plan(rows, previous, fixed):
    request = request_of(rows, previous=previous, fixed=fixed)
    model = milp.build(request)
    highs = model.run(time_limit=10, relative_gap=0.0)
    meals = model.chosen(np.asarray(highs.getSolution().col_value))
    assert highs.getInfo().objective_function_value == pytest.approx(OBJECTIVE.evaluate(request, meals), abs=1e-6)
    free = request.free_slots()
    options = [ChosenMeal(int(row[0]), steps * SERVING_STEP) for row in rows for steps in range(1, 7)]
    best = min(OBJECTIVE.evaluate(request, {**meals, **dict(zip(free, choice))})
               for choice in itertools.product(options, repeat=len(free)))
    assert OBJECTIVE.evaluate(request, meals) == pytest.approx(best, abs=1e-6)


def test_each_days_own_optimum_as_a_bound_leaves_the_plan_and_its_objective_unchanged():
    """The solver adds each day's optimum as a lower bound on the day's objective terms (valid
    inequalities). One recipe of 900 kcal a serving: the best day has 1,800 kcal, beyond the tolerance band."""
    request = request_of([(2, 900, 45, 31.5, 112.5, 1.0)], previous={(0, 0): 2})
    plain = milp.build(request)
    optimum = plain.run(time_limit=10, relative_gap=0.0).getInfo().objective_function_value
    assert optimum > 0.1
    bounded = milp.build(request, day_bounds=[optimum - 1e-6])
    highs = bounded.run(time_limit=10, relative_gap=0.0)
    assert highs.getInfo().objective_function_value == pytest.approx(optimum, abs=1e-6)


# The variety tie-break -------------------------------------------------------------------------

def test_a_dish_counts_as_repeated_when_eaten_again_within_seven_days_of_an_earlier_use():
    """Day 5's recipe 3 is a day after day 4's and day 6's recipe 1 six days after day 0's: two
    repeats. Day 7's recipe 2 comes seven days after day 0's, a week later: not one."""
    request = request_of([(n, 1000.0, 50.0, 35.0, 125.0, 1.0) for n in (1, 2, 3)], days=8)
    meals = {(0, 0): ChosenMeal(1, 1.0), (0, 1): ChosenMeal(2, 1.0), (4, 0): ChosenMeal(3, 1.0),
             (5, 0): ChosenMeal(3, 1.0), (6, 0): ChosenMeal(1, 1.0), (7, 1): ChosenMeal(2, 1.0)}
    assert OBJECTIVE.repeats(request, meals) == 2


def test_a_dish_from_the_previous_plan_counts_as_repeated_within_its_seven_days():
    """Last plan's recipe 1 two days before this one: eaten again on day 0 it repeats, on day 5
    (seven days after) it does not. The searches see the same use: the beam search's count of
    dishes eaten near day 0 has it."""
    request = request_of([(n, 1000.0, 50.0, 35.0, 125.0, 1.0) for n in (1, 2)], days=6,
                         history=(planning.EarlierMeal(day=-2, recipe_id=1, family=1),))
    assert OBJECTIVE.repeats(request, {(0, 0): ChosenMeal(1, 1.0)}) == 1
    assert OBJECTIVE.repeats(request, {(5, 0): ChosenMeal(1, 1.0)}) == 0
    assert beam._nearby_families(request, 0, {}) == {1: 1}
    assert beam._nearby_families(request, 5, {(0, 0): 1}) == {1: 1}


# Energy 7 % short scores 0.245 and carbohydrate 20 % over 0.4025 (the worked numbers above):
# both round to 0 as whole numbers, so only a tie at the objective's own precision keeps them apart.
CLOSER, FURTHER = (1860.0, 100.0, 70.0, 250.0), (2000.0, 100.0, 70.0, 300.0)


def test_a_plan_closer_to_the_targets_beats_a_further_one_however_small_the_difference():
    request = request_of([(1, *CLOSER, 1.0), (2, *FURTHER, 1.0)], slots=("lunch",))
    closer, further = {(0, 0): ChosenMeal(1, 1.0)}, {(0, 0): ChosenMeal(2, 1.0)}
    assert OBJECTIVE.better(request, closer, further)
    assert not OBJECTIVE.better(request, further, closer)
    assert not OBJECTIVE.better(request, closer, dict(closer))  # the same plan is not better than itself


def test_days_are_ordered_by_the_objective_first_and_by_repeats_only_among_equals():
    day = OBJECTIVE.day(request_of(slots=("lunch",)), 0)
    totals = np.array([FURTHER, CLOSER, CLOSER])
    order = day.order(totals, repeats=np.array([0, 1, 0]), guide=np.zeros(3))
    assert order.tolist() == [2, 1, 0]
