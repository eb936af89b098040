"""Property-based checks of the pure planner: whatever the catalog and rules, a plan it returns
keeps every hard rule, locked meals survive every regeneration, a refusal is explained, and the
day bounds it proves optimality with never exceed a valid plan's objective."""

import time
from collections import Counter

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mealplan import planner
from mealplan.explain import explain_infeasible
from mealplan.slots import meal_types_for

MEAL_TYPES = ("breakfast", "lunch", "dinner", "snack")
SOLVE_SECONDS = 1.0


@st.composite
def catalogs(draw):
    """Recipes as (id, meal types, kcal, protein, fat, carb, cost per serving)."""
    count = draw(st.integers(min_value=3, max_value=18))
    recipes = []
    for recipe_id in range(1, count + 1):
        types = draw(st.sets(st.sampled_from(MEAL_TYPES), min_size=1, max_size=2))
        kcal = draw(st.integers(min_value=80, max_value=900))
        protein, fat = draw(st.floats(0.1, 0.4)), draw(st.floats(0.1, 0.5))
        carb = max(0.0, 1 - protein - fat)
        cost = draw(st.integers(min_value=20, max_value=600)) / 100
        recipes.append((recipe_id, types, kcal, kcal * protein / 4, kcal * fat / 9, kcal * carb / 4, cost))
    return recipes


@st.composite
def requests(draw):
    recipes = draw(catalogs())
    candidates = {
        meal_type: planner.CandidateSet.from_rows([(rid, *values) for rid, types, *values in recipes if meal_type in types])
        for meal_type in MEAL_TYPES
    }
    kcal = draw(st.integers(min_value=1200, max_value=3200))
    return planner.PlanRequest(
        days=draw(st.integers(min_value=1, max_value=9)),
        slot_types=meal_types_for(draw(st.integers(min_value=2, max_value=6))),
        targets=(kcal, kcal * 0.25 / 4, kcal * 0.30 / 9, kcal * 0.45 / 4),
        candidates=candidates,
        budget=draw(st.one_of(st.none(), st.integers(min_value=2, max_value=40).map(float))),
        max_repeats_per_week=draw(st.integers(min_value=1, max_value=3)),
        allow_leftovers=draw(st.booleans()),
    )


def broken_rules(request: planner.PlanRequest, meals) -> list[str]:
    """Every hard rule the plan `meals` breaks (empty when it keeps them all)."""
    problems = []
    slots = len(request.slot_types)
    if set(meals) != {(d, s) for d in range(request.days) for s in range(slots)}:
        problems.append("not every slot is filled")
    for (day, slot), meal in meals.items():
        if (day, slot) not in request.fixed and meal.recipe_id not in request.candidates_for(day, slot).recipe_ids:
            problems.append(f"recipe {meal.recipe_id} does not fit slot {slot} ({request.slot_types[slot]})")
        if meal.servings not in {0.5 * k for k in range(1, 7)}:
            problems.append(f"servings {meal.servings}")
    _, costs = planner.day_totals(request, meals)
    if request.budget is not None and np.any(costs > request.budget + 1e-6):
        problems.append(f"daily cost {costs.max():.2f} over budget {request.budget}")
    per_week = Counter((day // 7, meal.recipe_id) for (day, _), meal in meals.items())
    if any(uses > request.max_repeats_per_week for uses in per_week.values()):
        problems.append("a recipe repeats too often in a week")
    per_day = Counter((day, meal.recipe_id) for (day, _), meal in meals.items())
    if any(uses > 1 for uses in per_day.values()):
        problems.append("a recipe twice in one day")
    if not request.allow_leftovers:
        for (day, slot), meal in meals.items():
            following = meals.get((day + 1, slot))
            if following is not None and following.recipe_id == meal.recipe_id:
                problems.append(f"recipe {meal.recipe_id} in slot {slot} on consecutive days")
    return problems


def fixed_meals(request: planner.PlanRequest, meals, keys) -> dict:
    """Turn chosen meals into fixed ones (what locking them does)."""
    per_recipe = {}
    for candidates in request.candidates.values():
        for rid, nutrients, cost in zip(candidates.recipe_ids, candidates.nutrients, candidates.costs):
            per_recipe[int(rid)] = (tuple(nutrients), float(cost))
    return {key: planner.FixedMeal(meals[key].recipe_id, meals[key].servings, *per_recipe[meals[key].recipe_id])
            for key in keys}


def assert_sound(request: planner.PlanRequest, solution: planner.PlanSolution):
    if solution.found:
        assert broken_rules(request, solution.meals) == []
        assert solution.bound is None or solution.bound <= planner.objective_of(request, solution.meals) + 1e-6
        assert all(solution.meals[key] == planner.ChosenMeal(m.recipe_id, m.servings) for key, m in request.fixed.items())
    else:
        reasons = explain_infeasible(request, time_limit=SOLVE_SECONDS)
        assert reasons and all(isinstance(r, str) and r.endswith(".") for r in reasons)


PROPERTY_SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(requests())
def test_plans_keep_every_hard_rule_or_are_explained(request):
    assert_sound(request, planner.solve(request, time_limit=SOLVE_SECONDS))


@PROPERTY_SETTINGS
@given(requests(), st.data())
def test_locked_meals_survive_every_regeneration(request, data):
    first = planner.solve(request, time_limit=SOLVE_SECONDS)
    if not first.found:
        return
    keys = sorted(first.meals)
    locked = data.draw(st.sets(st.sampled_from(keys), max_size=len(keys)))
    day = data.draw(st.integers(min_value=0, max_value=request.days - 1))
    previous = {key: meal.recipe_id for key, meal in first.meals.items()}
    whole_plan = planner.PlanRequest(**{**request.__dict__, "fixed": fixed_meals(request, first.meals, locked),
                                        "previous": previous})
    one_day = planner.PlanRequest(**{**request.__dict__, "previous": previous, "fixed": fixed_meals(
        request, first.meals, [key for key in keys if key in locked or key[0] != day])})
    for regeneration in (whole_plan, one_day):
        solution = planner.solve(regeneration, time_limit=SOLVE_SECONDS)
        assert solution.found, "keeping a valid plan's own meals can always be satisfied"
        assert_sound(regeneration, solution)


@PROPERTY_SETTINGS
@given(requests(), st.data())
def test_day_bounds_never_exceed_a_valid_plan(request, data):
    """The bounds are added to the MILP as valid inequalities: were one too high, it would cut
    away plans (the first plan stays valid when some of its meals are locked)."""
    first = planner.solve(request, time_limit=SOLVE_SECONDS)
    if not first.found:
        return
    locked = data.draw(st.sets(st.sampled_from(sorted(first.meals)), max_size=len(first.meals)))
    regeneration = planner.PlanRequest(**{**request.__dict__, "fixed": fixed_meals(request, first.meals, locked),
                                          "previous": {key: m.recipe_id for key, m in first.meals.items()}})
    bounds = planner.day_bounds(regeneration, until=time.perf_counter() + SOLVE_SECONDS)
    kept = Counter(day for day, slot in first.meals if (day, slot) not in regeneration.fixed)
    per_day = planner.day_scores(regeneration, first.meals) + planner.KEEP_PREVIOUS_PENALTY * np.array(
        [kept[day] for day in range(request.days)])
    assert np.all(np.asarray(bounds) <= per_day + 1e-6)


def test_impossible_budget_is_explained_with_the_cheapest_day():
    candidates = {t: planner.CandidateSet.from_rows([(i, 500, 30, 15, 60, 2.0) for i in range(1, 5)])
                  for t in MEAL_TYPES}
    request = planner.PlanRequest(days=2, slot_types=meal_types_for(3), targets=(1800, 110, 60, 200),
                                  candidates=candidates, budget=2.5)
    assert not planner.solve(request).found
    assert explain_infeasible(request) == [
        "A budget of 2.50 a day is below the cheapest day that meets your rules (3.00)."
    ]


def test_locked_meals_over_budget_are_named():
    candidates = {t: planner.CandidateSet.from_rows([(i, 500, 30, 15, 60, 1.0) for i in range(1, 9)])
                  for t in MEAL_TYPES}
    pricey = planner.FixedMeal(recipe_id=99, servings=2, nutrients=(600, 30, 20, 70), cost=4.0)
    request = planner.PlanRequest(days=2, slot_types=meal_types_for(3), targets=(1800, 110, 60, 200),
                                  candidates=candidates, budget=6.0, fixed={(1, 2): pricey})
    assert explain_infeasible(request) == ["Your locked meals on day 2 cost 8.00, over your daily budget of 6.00."]


@PROPERTY_SETTINGS
@given(requests())
def test_pattern_search_finds_the_proven_optimum(request):
    """The pattern search lists only the day patterns that could beat the plan it starts from
    (here the beam-searched one); what it proves optimal must match HiGHS solving the whole MILP."""
    start = planner.beam_plan(request)
    if not start.found:
        return
    bounds = planner.day_bounds(request, until=time.perf_counter() + SOLVE_SECONDS)
    exact = planner.exact_week(request, start, bounds, until=time.perf_counter() + 10)
    if exact is None:
        return
    assert broken_rules(request, exact.meals) == []
    assert exact.objective <= start.objective + 1e-9
    reference = planner.solve(request, relative_gap=0.0, absolute_gap_per_day=0.0)
    if reference.status == "optimal":
        assert abs(exact.objective - reference.objective) <= 1e-6
