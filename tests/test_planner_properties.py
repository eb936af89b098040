"""Property-based checks of the pure planner: a request that has a plan always gets one that keeps
every hard rule, locked meals survive every regeneration, the day bounds it proves optimality with
never exceed a valid plan's objective, and a request without a plan is refused with its reason.

The generators build each request around a valid plan (the witness), so every example tests the
property; the infeasible ones break one rule of such a request. Each property has a fixed budget of
examples and prints how many of them tested it."""

import math
import time
from collections import Counter
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mealplan import planning
from mealplan.people.slots import meal_types_for
from mealplan.planning import explain_infeasible, patterns, rules, solver
from mealplan.planning.milp import solve_once
from mealplan.planning.objective import KEEP_PREVIOUS_PENALTY
from mealplan.planning.types import DAYS_PER_WEEK

MEAL_TYPES = ("breakfast", "lunch", "dinner", "snack")
SOLVE_SECONDS = 1.0
# For properties about what a solve finds, not how fast: bounded, as the service bounds them, but
# far above SOLVE_SECONDS, so that a busy machine does not fail them (since one time limit covers
# every stage of a solve, 1 s of wall time could end before the first plan). Without any bound a
# budget's cheapest day once branched for minutes in the explainer.
UNHURRIED_SECONDS = 10.0


def recipe_row(draw, recipe_id: int, kcal: float):
    """(id, kcal, protein, fat, carb, cost per serving) with a drawn macro mix and price."""
    protein, fat = draw(st.floats(0.1, 0.4)), draw(st.floats(0.1, 0.5))
    carb = max(0.0, 1 - protein - fat)
    cost = draw(st.integers(min_value=20, max_value=600)) / 100
    return (recipe_id, kcal, kcal * protein / 4, kcal * fat / 9, kcal * carb / 4, cost)


def witness_share(bands, meal_type: str, leftovers: bool) -> float:
    """The middle of a witness meal's band; a dinner eaten again at lunch, of both bands."""
    low, high = bands[meal_type]
    if leftovers and meal_type == "dinner":
        low, high = max(low, bands["lunch"][0]), min(high, bands["lunch"][1])
    return (low + high) / 2


@st.composite
def feasible_requests(draw, max_meals: int = 6):
    """A request and a plan (the witness) that keeps every hard rule, built first so that the request
    is feasible by construction: slot 0 gets a new recipe every day (no two day menus alike), every
    other slot rotates through enough recipes of its own for the repeat limit and never repeats on
    consecutive days; with leftover lunches, each lunch after the first day is the dinner before;
    each witness meal carries about its slot's share of the day's energy and weighs at most its
    meal type's ceiling (when recipes' mass is drawn); the budget, if any, is at least the
    witness's dearest day. Decoy recipes of any type (and any mass) are added."""
    days = draw(st.integers(min_value=1, max_value=9))
    slot_types = meal_types_for(draw(st.integers(min_value=2, max_value=max_meals)))
    repeats = draw(st.integers(min_value=1, max_value=3))
    kcal = draw(st.integers(min_value=1200, max_value=3200))
    leftovers = "lunch" in slot_types and draw(st.booleans())
    bands = rules.DEFAULT_ENERGY_BANDS[len(slot_types)]  # each witness meal near its band's middle
    ceilings = rules.default_mass_ceilings(len(slot_types), kcal)
    rotation = max(2, math.ceil(DAYS_PER_WEEK / repeats))
    rows, grams, witness, next_id = {t: [] for t in MEAL_TYPES}, {}, {}, 1
    for slot, meal_type in enumerate(slot_types):
        cycle = days if slot == 0 else rotation
        own = []
        heaviest = min(ceilings[meal_type], ceilings["lunch"]) if leftovers and meal_type == "dinner" else ceilings[meal_type]
        for _ in range(cycle):
            share = witness_share(bands, meal_type, leftovers) * draw(st.floats(0.95, 1.05) if leftovers else st.floats(0.9, 1.1))
            row = recipe_row(draw, next_id, kcal * share)
            rows[meal_type].append(row)
            grams[next_id] = draw(st.floats(50, heaviest))
            own.append(row)
            next_id += 1
        for day in range(days):
            witness[day, slot] = planning.ChosenMeal(own[day % cycle][0], 1.0)
    if leftovers:
        lunch, dinner = slot_types.index("lunch"), slot_types.index("dinner")
        witness.update({(day, lunch): witness[day - 1, dinner] for day in range(1, days)})
    first_decoy = next_id
    for _ in range(draw(st.integers(min_value=0, max_value=10))):
        row = recipe_row(draw, next_id, draw(st.integers(min_value=80, max_value=900)))
        for meal_type in draw(st.sets(st.sampled_from(MEAL_TYPES), min_size=1, max_size=2)):
            rows[meal_type].append(row)
        grams[next_id] = draw(st.floats(50, 1500))
        next_id += 1
    decoys = range(first_decoy, next_id)
    # Dish families, when drawn: each witness recipe its own, a decoy a variant of any recipe; the
    # previous plan's last days hold decoys of no witness family (the witness keeps the family limit
    # over the 7 days before it too) and recipes of no candidate.
    family = {}
    if draw(st.booleans()):
        family = {rid: rid if rid < first_decoy else draw(st.sampled_from(range(1, next_id))) for rid in range(1, next_id)}
    weighed = draw(st.booleans())
    candidates = {t: planning.CandidateSet.from_rows(
        rows[t], families=[family[row[0]] for row in rows[t]] if family else None,
        grams=[grams[row[0]] for row in rows[t]] if weighed else None) for t in MEAL_TYPES}
    history = tuple(planning.EarlierMeal(day, rid, family.get(rid, rid), draw(st.sampled_from(["", *slot_types])))
                    for day in range(-DAYS_PER_WEEK, 0)
                    for rid in draw(st.lists(st.sampled_from([*(d for d in decoys if family.get(d, d) >= first_decoy),
                                                               10_000 + day]),
                                             max_size=2)))
    request = planning.PlanRequest(
        days=days, slot_types=slot_types, targets=(kcal, kcal * 0.25 / 4, kcal * 0.30 / 9, kcal * 0.45 / 4),
        candidates=candidates, max_repeats_per_week=repeats, allow_leftovers=draw(st.booleans()), history=history,
        leftover_lunches=leftovers,
    )
    if draw(st.booleans()):
        request = replace(request, weekly_rules=draw(written_rules(request, witness)))
    _, costs = planning.day_totals(request, witness)
    if draw(st.booleans()):
        request = replace(request, budget=round(float(costs.max()) * draw(st.floats(1.0, 1.5)) + 0.01, 2))
    return request, witness


def _week_blocks(days: int) -> list[range]:
    return [range(start, min(start + DAYS_PER_WEEK, days)) for start in range(0, days, DAYS_PER_WEEK)]


@st.composite
def written_rules(draw, request, witness):
    """Weekly rules the person might write, drawn so that the witness keeps them: at most as many
    of some recipes as the witness eats in any 7 days, at least as many as it eats each week, a
    weekday's meal among the recipes the witness has then (and others), cooking times only the
    recipes the witness does not eat those days exceed."""
    ids = sorted({int(r) for c in request.candidates.values() for r in c.recipe_ids})
    some = lambda: frozenset(draw(st.sets(st.sampled_from(ids), max_size=len(ids))))  # noqa: E731
    meal_type = draw(st.sampled_from(["", *sorted(set(request.slot_types))]))
    chosen = [(day, request.slot_types[slot], m.recipe_id) for (day, slot), m in witness.items()]
    earlier = [(m.day, m.meal_type, m.recipe_id) for m in request.history]
    counted = lambda recipes, days, meals=chosen: sum(  # noqa: E731
        1 for day, t, r in meals if day in days and r in recipes and (not meal_type or t == meal_type))
    rules_drawn = []
    kinds = draw(st.sets(st.sampled_from(["at_most", "at_least", "on_day", "minutes"]), min_size=1))
    if "at_most" in kinds:  # the previous plan's meals count in the 7 days they share with the plan
        recipes = some()
        most = max(counted(recipes, range(start, start + DAYS_PER_WEEK), chosen + earlier)
                   for start in range(1 - DAYS_PER_WEEK, request.days))
        rules_drawn.append(planning.WeeklyRule("at_most", "at most", recipes, meal_type, most + draw(st.integers(0, 1))))
    if "at_least" in kinds:
        recipes = some()
        count = min(((counted(recipes, week) + 1) * DAYS_PER_WEEK - 1) // len(week) for week in _week_blocks(request.days))
        rules_drawn.append(planning.WeeklyRule("at_least", "at least", recipes, meal_type, min(count, 21)))
    if "on_day" in kinds:
        slot = draw(st.integers(min_value=0, max_value=len(request.slot_types) - 1))
        on = draw(st.integers(min_value=0, max_value=6))
        kept = {m.recipe_id for (day, s), m in witness.items()
                if request.slot_types[s] == request.slot_types[slot] and request.weekday(day) == on}
        rules_drawn.append(planning.WeeklyRule("on_day", "on day", frozenset(kept) | some(),
                                               request.slot_types[slot], weekday=on))
    if "minutes" in kinds:  # a leftover lunch is cooked the day before (as that day's dinner)
        cooked = {key: m for key, m in witness.items() if request.leftovers_of(*key) is None}
        weekdays = {m.recipe_id for (day, _), m in cooked.items() if request.weekday(day) < 5}
        weekends = {m.recipe_id for (day, _), m in cooked.items() if request.weekday(day) >= 5}
        rules_drawn.append(planning.WeeklyRule("minutes", "minutes", some() - weekdays, weekend_recipes=some() - weekends))
    return tuple(rules_drawn)


def infeasible_by(request, witness, kind: str, draw):
    """Break one rule of a feasible request so that no plan can exist; returns it and a phrase the
    explanation must contain (written weekly rules left out: they would be named instead)."""
    request = replace(request, weekly_rules=())
    slot = draw(st.integers(min_value=0, max_value=len(request.slot_types) - 1))
    meal_type = request.slot_types[slot]
    if kind == "no recipe":
        empty = planning.CandidateSet.from_rows([])
        return replace(request, candidates={**request.candidates, meal_type: empty}), f"No {meal_type} recipe"
    if kind == "budget":
        cheapest = sum(0.5 * request.candidates[t].costs.min() for t in request.slot_types)
        return replace(request, budget=round(cheapest * draw(st.floats(0.1, 0.95)), 2)), "budget"
    if kind == "variety":
        # a whole week of one meal type, each recipe at most once: fewer recipes than its slots in a week
        needed = request.slot_types.count(meal_type) * DAYS_PER_WEEK
        kept = request.candidates[meal_type].subset(np.arange(len(request.candidates[meal_type])) < needed - 1)
        return replace(request, days=max(request.days, DAYS_PER_WEEK), max_repeats_per_week=1, budget=None,
                       candidates={**request.candidates, meal_type: kept}), "allow more repeats or leftovers"
    # "locked": a locked meal alone costs more than the day's budget (which the witness keeps)
    day = draw(st.integers(min_value=0, max_value=request.days - 1))
    budget = request.budget or round(float(planning.day_totals(request, witness)[1].max()) + 0.01, 2)
    pricey = planning.FixedMeal(witness[day, slot].recipe_id, 3.0, (500.0, 30.0, 15.0, 60.0), budget)
    return replace(request, budget=budget, fixed={(day, slot): pricey}), f"Your locked meals on day {day + 1} cost"


@st.composite
def infeasible_requests(draw):
    request, witness = draw(feasible_requests(max_meals=4))  # proving infeasibility is slow on big weeks
    kind = draw(st.sampled_from(["no recipe", "budget", "variety", "locked"]))
    broken, phrase = infeasible_by(request, witness, kind, draw)
    return kind, broken, phrase


def broken_rules(request: planning.PlanRequest, meals, relaxed=frozenset()) -> list[str]:
    """Every hard rule the plan `meals` breaks (empty when it keeps them all), but the `relaxed` ones
    (rules that yielded); repeat limits count over any 7 consecutive days, the previous plan's included."""
    problems = []
    slots = len(request.slot_types)
    if set(meals) != {(d, s) for d in range(request.days) for s in range(slots)}:
        problems.append("not every slot is filled")
    for (day, slot), meal in meals.items():
        if (day, slot) not in request.fixed and meal.recipe_id not in request.candidates_for(day, slot).recipe_ids:
            problems.append(f"recipe {meal.recipe_id} does not fit slot {slot} ({request.slot_types[slot]})")
        if meal.servings not in {0.5 * k for k in range(1, 7)}:
            problems.append(f"servings {meal.servings}")
    bands = rules.EnergyBandRule().bands(request)
    lookup = {int(rid): kcal for c in request.candidates.values() for rid, kcal in zip(c.recipe_ids, c.nutrients[:, 0])}
    for (day, slot), meal in meals.items():
        band = bands.get(request.slot_types[slot])
        if (day, slot) not in request.fixed and band is not None:
            share = lookup[meal.recipe_id] * meal.servings / request.targets[0]
            if not band[0] - 1e-9 <= share <= band[1] + 1e-9:
                problems.append(f"a {request.slot_types[slot]} of {share:.0%} of the day, outside {band}")
    grams = {int(rid): g for c in request.candidates.values() if c.grams is not None
             for rid, g in zip(c.recipe_ids, c.grams)}
    ceilings = rules.default_mass_ceilings(len(request.slot_types), request.targets[0])
    for (day, slot), meal in meals.items():
        meal_type = request.slot_types[slot]
        if (day, slot) not in request.fixed and grams.get(meal.recipe_id, 0) * meal.servings > \
                ceilings[meal_type] + 1e-6:
            problems.append(f"a {meal_type} of {grams[meal.recipe_id] * meal.servings:.0f} g")
    for (day, dinner), lunch in request.leftover_pairs():
        if lunch in meals and meals[lunch].recipe_id != meals[day, dinner].recipe_id:
            problems.append(f"lunch {lunch} is not the leftovers of dinner on day {day}")
    _, costs = planning.day_totals(request, meals)
    if request.budget is not None and np.any(costs > request.budget + 1e-6):
        problems.append(f"daily cost {costs.max():.2f} over budget {request.budget}")
    for name, key in (("recipe", lambda rid, family: rid), ("dish", lambda rid, family: family)):
        if name == "dish" and (not request.has_families() or "family_repeats" in relaxed):
            continue
        # (day, key, chosen by the planner): locked meals may break a limit themselves, and then
        # only the planner's own choices count as breaking it
        eaten = [(day, key(m.recipe_id, int(request.family_of([m.recipe_id])[0])), (day, slot) not in request.fixed,
                  request.leftovers_of(day, slot) is not None) for (day, slot), m in meals.items()]
        eaten += [(m.day, key(m.recipe_id, m.family), False, False) for m in request.history]
        for start in range(1 - DAYS_PER_WEEK, request.days):  # a leftover lunch is its dinner's use
            uses = Counter(k for day, k, _, leftover in eaten if start <= day < start + DAYS_PER_WEEK and not leftover)
            chosen = {k for day, k, free, leftover in eaten if free and not leftover and start <= day < start + DAYS_PER_WEEK}
            if any(uses[k] > request.max_repeats_per_week for k in chosen):
                problems.append(f"a {name} more than {request.max_repeats_per_week} times in days {start}–{start + 6}")
        if name == "dish" and "family_once_per_day" in relaxed:
            continue
        per_day = Counter((day, k) for day, k, _, _ in eaten if day >= 0)
        chosen = {(day, k) for day, k, free, _ in eaten if free}
        if any(per_day[key] > 1 for key in chosen):
            problems.append(f"a {name} twice in one day")
    problems += broken_written_rules(request, meals)
    if not request.allow_leftovers:
        for (day, slot), meal in meals.items():
            following = meals.get((day + 1, slot))
            if following is not None and following.recipe_id == meal.recipe_id:
                problems.append(f"recipe {meal.recipe_id} in slot {slot} on consecutive days")
    return problems


def broken_written_rules(request: planning.PlanRequest, meals) -> list[str]:
    """The person's weekly rules the plan breaks, in the planner's own choices (locked meals may)."""
    problems = []
    chosen = [(day, request.slot_types[slot], m.recipe_id, (day, slot) not in request.fixed,
               request.leftovers_of(day, slot) is not None) for (day, slot), m in meals.items()]
    earlier = [(m.day, m.meal_type, m.recipe_id, False, False) for m in request.history]
    for rule in request.weekly_rules:
        counts = lambda days: [free for day, t, r, free, _ in chosen + earlier  # noqa: E731
                               if day in days and r in rule.recipes and (not rule.meal_type or t == rule.meal_type)]
        if rule.kind == "at_most":  # any 7 days, the previous plan's included
            for start in range(1 - DAYS_PER_WEEK, request.days):
                uses = counts(range(start, start + DAYS_PER_WEEK))
                if len(uses) > rule.count and any(uses):
                    problems.append(f"more than {rule.count} counted meals from day {start}")
        if rule.kind == "at_least":
            for week in _week_blocks(request.days):
                needed = rule.count if len(week) == DAYS_PER_WEEK else rule.count * len(week) // DAYS_PER_WEEK
                if len(counts(week)) < needed:
                    problems.append(f"fewer than {needed} counted meals in days {week.start}–{week.stop - 1}")
        for day, meal_type, recipe, free, leftover in chosen:
            weekday = request.weekday(day)
            if not free:
                continue
            if rule.kind == "on_day" and weekday == rule.weekday and meal_type == rule.meal_type \
                    and recipe not in rule.recipes:
                problems.append(f"day {day} {meal_type} is not one of the rule's recipes")
            if rule.kind == "minutes" and not leftover and recipe in (
                    rule.weekend_recipes if weekday >= 5 else rule.recipes):  # a leftover lunch was cooked the day before
                problems.append(f"recipe {recipe} takes too long on day {day}")
    return problems


def fixed_meals(request: planning.PlanRequest, meals, keys) -> dict:
    """Turn chosen meals into fixed ones (what locking them does)."""
    per_recipe = {}
    for candidates in request.candidates.values():
        for rid, nutrients, cost in zip(candidates.recipe_ids, candidates.nutrients, candidates.costs):
            per_recipe[int(rid)] = (tuple(nutrients), float(cost))
    return {key: planning.FixedMeal(meals[key].recipe_id, meals[key].servings, *per_recipe[meals[key].recipe_id])
            for key in keys}


def repeated_days(request: planning.PlanRequest, meals) -> bool:
    menus = [tuple(meals[day, slot].recipe_id for slot in range(len(request.slot_types))) for day in range(request.days)]
    return len(set(menus)) < len(menus)


def assert_sound(request: planning.PlanRequest, solution: planning.PlanSolution):
    if solution.found:
        assert broken_rules(request, solution.meals, solution.relaxed) == []
        if repeated_days(request, solution.meals):
            assert "no_repeated_day" in solution.relaxed, "a day menu repeats though no plan without was sought"
        assert solution.bound is None or solution.bound <= planning.OBJECTIVE.evaluate(request, solution.meals) + 1e-6
        assert all(solution.meals[key] == planning.ChosenMeal(m.recipe_id, m.servings) for key, m in request.fixed.items())
    else:
        reasons = explain_infeasible(request, time_limit=SOLVE_SECONDS)
        assert reasons and all(isinstance(r, str) and r.endswith(".") for r in reasons)


EXAMPLES = 20  # a fixed budget per property; every example counts (no draw is thrown away)
PROPERTY_SETTINGS = settings(max_examples=EXAMPLES, deadline=None)  # health checks stay on


@pytest.fixture
def tally(request, capsys):
    """Counts the examples that really tested the property and prints the count (also under -q)."""
    counts = Counter()
    yield counts
    with capsys.disabled():
        print(f"\n{request.node.name}: {counts['valid']} of {counts['drawn']} examples tested the property "
              + ", ".join(f"{key} {value}" for key, value in sorted(counts.items()) if key not in ("valid", "drawn")))
    assert counts["valid"] >= EXAMPLES, counts


def locking(request, witness, keys, **changes):
    return replace(request, fixed=fixed_meals(request, witness, keys),
                   previous={key: meal.recipe_id for key, meal in witness.items()}, **changes)


def test_the_generator_builds_only_feasible_requests(tally):
    @PROPERTY_SETTINGS
    @given(feasible_requests())
    def check(case):
        request, witness = case
        tally["drawn"] += 1
        # the witness keeps every rule; a dish family may repeat when decoys are variants of its recipes
        assert broken_rules(request, witness, relaxed={"family_repeats", "family_once_per_day"}) == []
        tally["valid"] += 1

    check()


def test_a_feasible_request_always_gets_a_plan_that_keeps_every_hard_rule(tally):
    @PROPERTY_SETTINGS
    @given(feasible_requests())
    def check(case):
        request, witness = case
        tally["drawn"] += 1
        solution = planning.solve(request, time_limit=SOLVE_SECONDS)
        assert solution.found, "a valid plan exists (the witness), so the planner must return one"
        assert_sound(request, solution)
        if solution.status == "optimal":  # within the 1 % gap of the best plan, so never much worse than the witness
            assert solution.objective <= planning.OBJECTIVE.evaluate(request, witness) / 0.99 + 1e-6 * (request.days + 1)
            tally["proven optimal"] += 1
        tally["valid"] += 1

    check()


def test_locked_meals_survive_every_regeneration(tally):
    @PROPERTY_SETTINGS
    @given(feasible_requests(), st.data())
    def check(case, data):
        request, witness = case
        tally["drawn"] += 1
        keys = sorted(witness)
        locked = data.draw(st.sets(st.sampled_from(keys), max_size=len(keys)))
        day = data.draw(st.integers(min_value=0, max_value=request.days - 1))
        whole_plan = locking(request, witness, locked)
        one_day = locking(request, witness, [key for key in keys if key in locked or key[0] != day])
        for regeneration in (whole_plan, one_day):
            solution = planning.solve(regeneration, time_limit=UNHURRIED_SECONDS)
            assert solution.found, "keeping a valid plan's own meals can always be satisfied"
            assert_sound(regeneration, solution)
        tally["valid"] += 1

    check()


def test_day_bounds_never_exceed_a_valid_plan(tally):
    """The bounds are added to the MILP as valid inequalities: were one too high, it would cut
    away plans (the witness stays valid when some of its meals are locked)."""
    @PROPERTY_SETTINGS
    @given(feasible_requests(), st.data())
    def check(case, data):
        request, witness = case
        tally["drawn"] += 1
        locked = data.draw(st.sets(st.sampled_from(sorted(witness)), max_size=len(witness)))
        regeneration = locking(request, witness, locked)
        bounds = planning.day_bounds(regeneration, until=time.perf_counter() + SOLVE_SECONDS)
        kept = Counter(day for day, slot in witness if (day, slot) not in regeneration.fixed)
        per_day = planning.OBJECTIVE.day_scores(regeneration, witness) + KEEP_PREVIOUS_PENALTY * np.array(
            [kept[day] for day in range(request.days)])
        assert np.all(np.asarray(bounds) <= per_day + 1e-6)
        tally["valid"] += 1

    check()


def test_pattern_search_finds_the_proven_optimum(tally):
    """The pattern search lists only the day patterns that could beat the plan it starts from
    (here the witness); what it proves optimal must match HiGHS solving the whole MILP. The search
    lists days of at most MAX_FREE_SLOTS meals; an example counts when it finishes in 10 s."""
    @PROPERTY_SETTINGS
    @given(feasible_requests(max_meals=patterns.MAX_FREE_SLOTS))
    def check(case):
        request, witness = case
        request = replace(request, weekly_rules=())  # not expressed in the pattern search (`Rule.listable`)
        tally["drawn"] += 1
        start = planning.PlanSolution(status="time_limit", meals=witness, objective=planning.OBJECTIVE.evaluate(request, witness))
        bounds = planning.day_bounds(request, until=time.perf_counter() + SOLVE_SECONDS)
        exact = planning.exact_week(request, start, bounds, until=time.perf_counter() + 10)
        if exact is None:
            tally["discarded: too many patterns to list in 10 s"] += 1
        assume(exact is not None)  # hypothesis draws another; the filter_too_much health check stays on
        assert broken_rules(request, exact.meals, relaxed={"family_repeats", "family_once_per_day"}
                            - {rule.name for rule in rules.active_rules(request)}) == []
        assert exact.objective <= start.objective + 1e-9
        reference = planning.solve(request, relative_gap=0.0, absolute_gap_per_day=0.0)
        assert reference.status == "optimal"
        assert abs(exact.objective - reference.objective) <= 1e-6
        tally["valid"] += 1

    check()


def test_the_relaxed_week_bounds_the_optimum_from_below_and_proves_only_the_optimum(tally):
    """The relaxed week (each day's patterns under a cap, any other pattern at the cap, the rules
    linking days kept) starts from the witness: its bound is never above the optimum HiGHS proves on
    the whole MILP alone, the week it returns keeps every rule and is no worse than the witness, and
    a week it proves optimal is the optimum. An example counts when HiGHS proves it in 10 s."""
    @PROPERTY_SETTINGS
    @given(feasible_requests(max_meals=4))
    def check(case):
        request, witness = case
        request = replace(request, weekly_rules=())
        tally["drawn"] += 1
        start = planning.PlanSolution(status="time_limit", meals=witness,
                                      objective=planning.OBJECTIVE.evaluate(request, witness))
        bounds = planning.day_bounds(request, until=time.perf_counter() + SOLVE_SECONDS)
        best, bound, proven = solver.relaxed_week(request, start, bounds, until=time.perf_counter() + 10,
                                                  relative_gap=0.0, absolute_gap_per_day=0.0)
        assert broken_rules(request, best.meals, relaxed={"family_repeats", "family_once_per_day"}
                            - {rule.name for rule in rules.active_rules(request)}) == []
        assert best.objective <= start.objective + 1e-9
        reference = solve_once(request, time_limit=10, relative_gap=0.0, absolute_gap_per_day=0.0, start=witness)
        if reference.status != "optimal":
            tally["discarded: HiGHS proved no optimum in 10 s"] += 1
        assume(reference.status == "optimal")
        assert bound <= reference.objective + 1e-6
        if proven:
            assert abs(best.objective - reference.objective) <= 1e-6
            tally["proven"] += 1
        tally["valid"] += 1

    check()


def test_an_infeasible_request_gets_no_plan_and_the_reason_in_plain_words(tally):
    """Each draw breaks one rule of a feasible request so that no plan exists (no recipe for a
    meal type, a budget below the cheapest possible day, too few recipes for a week without
    repeats, a locked meal dearer than the budget); the planner returns nothing and the
    explanation names that rule."""
    @PROPERTY_SETTINGS
    @given(infeasible_requests())
    def check(case):
        kind, request, phrase = case
        tally["drawn"] += 1
        solution = planning.solve(request, time_limit=SOLVE_SECONDS)
        assert not solution.found and solution.meals == {}
        reasons = explain_infeasible(request, time_limit=UNHURRIED_SECONDS)
        assert reasons and all(isinstance(r, str) and r.endswith(".") for r in reasons)
        assert any(phrase in reason for reason in reasons), (kind, reasons)
        tally[kind] += 1
        tally["valid"] += 1

    check()


def test_impossible_budget_is_explained_with_the_cheapest_day():
    candidates = {t: planning.CandidateSet.from_rows([(i, 500, 30, 15, 60, 2.0) for i in range(1, 5)])
                  for t in MEAL_TYPES}
    request = planning.PlanRequest(days=2, slot_types=meal_types_for(3), targets=(1800, 110, 60, 200),
                                  candidates=candidates, budget=2.5)
    assert not planning.solve(request).found
    assert explain_infeasible(request) == [
        # Each meal within its share of the day (breakfast ≥ 360 kcal, lunch ≥ 450, dinner ≥ 540)
        # takes 1, 1 and 1.5 servings at 2.00 each.
        "A budget of 2.50 a day is below the cheapest day that meets your rules (7.00)."
    ]


def test_locked_meals_over_budget_are_named():
    candidates = {t: planning.CandidateSet.from_rows([(i, 500, 30, 15, 60, 1.0) for i in range(1, 9)])
                  for t in MEAL_TYPES}
    pricey = planning.FixedMeal(recipe_id=99, servings=2, nutrients=(600, 30, 20, 70), cost=4.0)
    request = planning.PlanRequest(days=2, slot_types=meal_types_for(3), targets=(1800, 110, 60, 200),
                                  candidates=candidates, budget=6.0, fixed={(1, 2): pricey})
    assert explain_infeasible(request) == ["Your locked meals on day 2 cost 8.00, over your daily budget of 6.00."]
