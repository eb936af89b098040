"""How a plan is found and proven: the strategies, all reading the same objective and rules.

Every plan and bound comes from HiGHS on the week MILP (`milp`) or on parts of it (one day
alone, or a few slots with the rest fixed), from the beam search (`beam`), or from the
equivalent choice among listed day patterns (`patterns`); see `solve` for how they combine.
"""

import logging
import math
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from mealplan.planning import beam, explain, patterns, rules
from mealplan.planning.milp import (
    Model, allowed_candidates, build, day_key, day_request, first_plan, serving_options, solve_once,
)
from mealplan.planning.objective import OBJECTIVE
from mealplan.planning.types import (
    SERVING_STEP, ChosenMeal, FixedMeal, PlanRequest, PlanSolution, fixed_day_totals,
    recipe_lookup, week_of,
)

logger = logging.getLogger(__name__)

DEFAULT_RELATIVE_GAP = 0.01
# A relative gap never closes on an optimum of 0 (most plans reach 0: every day inside the dead
# zone), so also stop once the plan is within this much of the bound, per day, in objective units
# (1.0 = a day's energy off by 100 % beyond its dead zone): 0.001 is 0.1 % of a day's energy beyond
# the 2.5 % dead zone (2 kcal of 2,000), or 0.2 % of its protein (0.2 g of 100 g), far below what
# food labels (accurate to several per cent) or a kitchen scale tell apart, and half the bench's
# target for the gap to the optimum. At 1e-6 weeks at 0.002-0.004 (a few kcal over the whole week)
# ran to the time limit looking for 0.
ABSOLUTE_GAP_PER_DAY = 1e-3

# Phases of a time-limited solve, as shares of the limit: the beam search's repairs until
# BEAM_UNTIL, a MILP of the rules alone for a first plan (only when the beam search gets stuck:
# FIRST_SOLVE_SHARE of the limit), the week chosen from day pools until POOL_UNTIL, the day bounds
# until BOUND_UNTIL, the exact pattern search until EXACT_UNTIL (it gives up early when there are
# too many patterns), polishing until POLISH_UNTIL; a final full solve gets the rest.
BEAM_UNTIL, POOL_UNTIL, FIRST_SOLVE_SHARE, BOUND_UNTIL, EXACT_UNTIL, POLISH_UNTIL = 0.25, 0.4, 0.5, 0.45, 0.8, 0.9
# The relaxed week (a bound over listed day patterns that keeps the repeat limits) runs until this share.
RELAXED_UNTIL = 0.35
# The beam's repairs matter less when the exact pattern search or the relaxed week will run
# (every rule expressed over day patterns).
BEAM_UNTIL_LISTABLE = 0.1
# The exact pattern search's first cap on the week's objective, as a share of the way from the
# day bounds' sum to the best plan known, and how much the way grows each time the optimum is above.
EXACT_FIRST_CAP_SHARE, EXACT_CAP_GROWTH = 1 / 16, 4
# A day's optimum is first looked for at 0 (most days reach it; the first cap is HiGHS's tolerance),
# then under the second cap, then growing up to the last, far beyond any day's objective (a day at
# 10× every target scores about 200).
DAY_LISTING_FIRST_CAP, DAY_LISTING_SECOND_CAP, DAY_LISTING_MAX_CAP = 1e-6, 0.01, 1e4
# The relaxed week's first cap on a day's objective, as a multiple of the best week's average day,
# its growth while the bound does not prove that week, and the most patterns it lists for a week.
# (and the most partial patterns it extends by one slot: listing more takes tenths of a second).
RELAXED_FIRST_CAP_SHARE, RELAXED_CAP_GROWTH, RELAXED_MAX_PATTERNS, RELAXED_MAX_EXPANSION = 2.0, 2.0, 6_000, 200_000
# Without a time limit that first plan is still cut short: the final solve looks for it too.
FIRST_SOLVE_MAX_SECONDS = 1.0
POLISH_SECONDS_PER_SLOT = 0.2  # time limit of a window re-solve, per free slot in it
# A stage that yields rules starts with at least this long, even when the earlier ones used the limit.
MIN_STAGE_SECONDS = 0.25
# The beam search's pass for variety over a plan the MILP or the pattern search proved optimal
# (days that repeat a dish re-planned where they score as well with fewer repeats) stops after this long.
VARIETY_SECONDS = 0.1


def day_bounds(request: PlanRequest, *, until: float) -> list[float]:
    """A proven lower bound on each day's share of the objective: the day's own optimum (or
    HiGHS's bound on it when time runs out), computed once per distinct day."""
    known, bounds = {}, []
    for day in range(request.days):
        part = day_request(request, day)
        key = day_key(part)
        if key not in known:
            known[key] = _day_optimum(part, until=until)
        bounds.append(known[key] if math.isfinite(known[key]) else 0.0)
    return bounds


def _day_optimum(part: PlanRequest, *, until: float) -> float:
    """A one-day request's optimum, or a lower bound on it when time runs out. Listing its patterns
    under a growing cap is exact and much quicker than HiGHS, whose LP bound of 0 leaves it
    branching on such days: the first cap with a pattern under it gives the optimum. With more than
    a few free slots the listing may grow too large (RELAXED_MAX_EXPANSION): HiGHS then has the
    time left, and the last cap with no pattern under it is a bound as well."""
    above = 0.0  # the optimum is above this
    if 0 < part.most_free_slots_a_day():
        few = part.most_free_slots_a_day() <= patterns.MAX_FREE_SLOTS
        options = [_slot_options(part, 0, slot) for _, slot in part.free_slots()]
        search, base_cost = OBJECTIVE.day(part, 0), fixed_day_totals(part)[1][0]
        cap = DAY_LISTING_FIRST_CAP
        while time.perf_counter() < until:
            if cap > DAY_LISTING_MAX_CAP:  # no pattern at all: the day cannot be planned
                return math.inf
            listed = patterns.day_patterns(part, 0, options, search, base_cost, cap, until=until,
                                           expansion=patterns.MAX_EXPANSION if few else RELAXED_MAX_EXPANSION)
            if listed is None:
                break
            if len(listed.objective):
                return float(listed.objective.min())
            above = cap
            cap = max(cap * EXACT_CAP_GROWTH, DAY_LISTING_SECOND_CAP)
    remaining = until - time.perf_counter()
    model = build(part) if remaining > 0 else None
    if model is None:
        return above
    highs = model.run(time_limit=remaining, relative_gap=0.0, start=model.starting_plan())
    return max(above, highs.getInfo().mip_dual_bound)


def _proven(objective: float, bound: float, *, relative_gap: float, absolute_gap_per_day: float, days: int) -> bool:
    return objective - bound <= max(relative_gap * abs(objective), absolute_gap_per_day * days) + 1e-9


def fixed_from(request: PlanRequest, meals: Mapping[tuple[int, int], ChosenMeal], keys) -> dict:
    """Chosen meals turned into fixed ones (per-serving nutrients and cost from the candidates)."""
    lookup = recipe_lookup(request)
    return {key: FixedMeal(meals[key].recipe_id, meals[key].servings, tuple(lookup[meals[key].recipe_id][0]),
                           float(lookup[meals[key].recipe_id][1]), int(request.family_of([meals[key].recipe_id])[0]))
            for key in keys}


def _windows(request: PlanRequest, excess: np.ndarray):
    """Sets of free slots to re-solve together: each day above its bound (worst first); then each
    slot across its week, so recipes can move between days under the variety rules; then each
    such day with every other day of its week."""
    free = set(request.free_slots())
    slots = range(len(request.slot_types))
    bad_days = [int(day) for day in np.argsort(-excess, kind="stable") if excess[day] > 1e-9]
    weeks = {week_of(day) for day in bad_days}
    days_of = request.plan_weeks()
    windows = [[(day, slot) for slot in slots] for day in bad_days]
    windows += [[(day, slot) for day in days_of[week]] for week in sorted(weeks) for slot in slots]
    windows += [[(day, slot) for day in (first, other) for slot in slots]
                for first in bad_days for other in days_of[week_of(first)] if other != first]
    for window in windows:
        window = [key for key in window if key in free]
        if window:
            yield window


def _polish(request: PlanRequest, best: PlanSolution, bounds: list[float], *, until: float,
            absolute_gap_per_day: float) -> PlanSolution:
    """Large-neighbourhood search: re-solve a few slots at a time near-exactly (small models, so
    this is quick), the rest fixed, keeping each improvement, until a pass improves nothing."""
    improved = True
    while improved:
        improved = False
        for window in _windows(request, OBJECTIVE.day_scores(request, best.meals) - np.asarray(bounds)):
            remaining = until - time.perf_counter()
            if remaining <= 0:
                return best
            keep = [key for key in best.meals if key not in window and key not in request.fixed]
            part = replace(request, fixed={**request.fixed, **fixed_from(request, best.meals, keep)})
            trial = solve_once(part, time_limit=min(POLISH_SECONDS_PER_SLOT * len(window), remaining),
                                start=best.meals, day_bounds=bounds, relative_gap=0.0,
                                absolute_gap_per_day=absolute_gap_per_day)
            if trial.found and OBJECTIVE.better(request, trial.meals, best.meals):
                best = replace(best, meals=trial.meals, objective=OBJECTIVE.evaluate(request, trial.meals))
                improved = True
    return best


def _slot_options(request: PlanRequest, day: int, slot: int) -> patterns.SlotOptions:
    candidates = allowed_candidates(request, day, slot)
    which, steps = serving_options(request, slot, candidates)
    amount = (steps * SERVING_STEP)[:, None]
    recipe = candidates.recipe_ids[which]
    return patterns.SlotOptions(
        slot=slot, recipe=recipe, steps=steps, nutrients=candidates.nutrients[which] * amount,
        cost=candidates.costs[which] * amount[:, 0], penalty=OBJECTIVE.kept_penalty(request, day, slot, recipe),
    )


def exact_week(request: PlanRequest, best: PlanSolution, bounds: list[float], *, until: float) -> PlanSolution | None:
    """The proven optimum by listing day patterns that could beat `best` (see `patterns`), or
    None when there are too many of them or time runs out.

    Patterns are listed under a cap on the week's objective, lowest cap first: listing grows
    steeply with the cap, and a week found within its cap is optimal (a better week would be
    made of listed patterns only). Otherwise the optimum is above the cap, which grows until it
    reaches the best plan known."""
    floor, upper = sum(bounds), best.objective
    if not request.free_slots():
        return replace(best, status="optimal", bound=upper)
    if not all(rule.listable(request) for rule in rules.active_rules(request)):
        return None
    cap = floor + (upper - floor) * EXACT_FIRST_CAP_SHARE
    while True:
        cap = min(cap, upper)
        listed = _week_under(request, bounds, cap, until=until)
        if listed is None:
            return None
        objective = OBJECTIVE.evaluate(request, listed) if listed else math.inf
        if objective <= cap + 1e-9 or cap >= upper:
            if objective >= upper:  # nothing beats `best`
                return replace(best, status="optimal", bound=upper)
            return replace(best, status="optimal", meals=listed, objective=objective, bound=objective)
        if objective < upper:
            best, upper = replace(best, meals=listed, objective=objective), objective
        cap = floor + (cap - floor) * EXACT_CAP_GROWTH


def _week_under(request: PlanRequest, bounds: list[float], cap: float, *, until: float) -> dict | None:
    """The best week made of day patterns that fit under `cap` (given the other days' bounds):
    its meals, {} when there is none, or None when the patterns are too many or time runs out."""
    days, known = [], {}
    for day in range(request.days):
        slots = [slot for slot in range(len(request.slot_types)) if (day, slot) not in request.fixed]
        if not slots:
            continue
        if len(slots) > patterns.MAX_FREE_SLOTS or time.perf_counter() >= until:
            return None
        key = (day_key(day_request(request, day)), bounds[day])
        if key not in known:
            room = cap - (sum(bounds) - bounds[day])
            known[key] = patterns.day_patterns(request, day, [_slot_options(request, day, slot) for slot in slots],
                                               OBJECTIVE.day(request, day), fixed_day_totals(request)[1][day], room,
                                               until=until)
        if known[key] is None:
            return None
        days.append(replace(known[key], day=day))
    if any(len(d.objective) == 0 for d in days):
        return {}
    status, chosen, _bound = patterns.best_week(days, request, time_limit=until - time.perf_counter())
    if status == "infeasible":
        return {}
    if status != "optimal":
        return None
    return _week_of(request, days, chosen)


def relaxed_week(request: PlanRequest, best: PlanSolution, bounds: list[float], *, until: float,
                 relative_gap: float, absolute_gap_per_day: float) -> tuple[PlanSolution, float, bool]:
    """A lower bound on the week that accounts for the rules linking days, and the best week it
    finds: (`best` or a better week, the bound, whether that proves it optimal within the gaps).

    The day bounds drop the repeat limits, so a week they force above 0 (the few dishes that make a
    day perfect cannot all be eaten every day) can never be proven by them. Here each day's patterns
    are listed under a cap on the day's objective (`patterns.day_patterns`, any number of free slots
    while the listing stays small), and the week is chosen from them under the rules, a day being
    allowed "any other pattern" at the cost of the cap (`patterns.relaxed_week`): its LP optimum
    is a lower bound (a Lagrangian bound on the repeat limits), and its MILP optimum, when it takes
    no such day, the optimum. The cap starts at RELAXED_FIRST_CAP_SHARE of the best week's average
    day (lower while the listing would pass RELAXED_MAX_PATTERNS: a low cap still bounds) and grows
    RELAXED_CAP_GROWTH-fold while the listing stays under it; once it reaches what a day of a
    better week could cost, the MILP's optimum is the week's. Only where every rule is expressed
    over day patterns (`listable`)."""
    floor = sum(bounds)
    free_days = sorted({day for day, _ in request.free_slots()})
    if not free_days or not all(rule.listable(request) for rule in rules.active_rules(request)):
        return best, floor, False
    gaps = {"relative_gap": relative_gap, "absolute_gap_per_day": absolute_gap_per_day, "days": request.days}
    scores = OBJECTIVE.day_scores(request, best.meals)
    locked = float(sum(scores[day] for day in range(request.days) if day not in free_days))
    cap = max(RELAXED_FIRST_CAP_SHARE * best.objective / len(free_days), DAY_LISTING_SECOND_CAP)
    bound, listed_once = floor, False
    while time.perf_counter() < until:
        upper = best.objective - locked
        rooms = [upper - (floor - locked - bounds[day]) for day in free_days]  # the most a day of a better week costs
        caps = [max(min(cap, room), 0.0) for room in rooms]
        days, known = [], {}
        for day, day_cap in zip(free_days, caps):
            key = (day_key(day_request(request, day)), day_cap)
            if key not in known:
                slots = [slot for slot in range(len(request.slot_types)) if (day, slot) not in request.fixed]
                known[key] = patterns.day_patterns(
                    request, day, [_slot_options(request, day, slot) for slot in slots], OBJECTIVE.day(request, day),
                    fixed_day_totals(request)[1][day], day_cap, until=until, most=RELAXED_MAX_PATTERNS,
                    expansion=RELAXED_MAX_EXPANSION)
            if known[key] is None:
                break
            days.append(replace(known[key], day=day))
        if len(days) < len(free_days) or sum(len(listed.objective) for listed in known.values()) > RELAXED_MAX_PATTERNS:
            if listed_once or cap <= DAY_LISTING_SECOND_CAP:
                break
            cap /= RELAXED_CAP_GROWTH ** 2  # too many patterns under the first cap: a lower one still bounds
            continue
        listed_once = True
        # A pattern left out costs more than the cap, and at least the day's own bound.
        others = [max(day_cap, bounds[day]) for day, day_cap in zip(free_days, caps)]
        status, found, elsewhere = patterns.relaxed_week(days, others, request, integer=False,
                                                         time_limit=max(until - time.perf_counter(), 0.01))
        if status != "optimal":
            break
        bound = max(bound, locked + found)
        if _proven(best.objective, bound, **gaps):
            return best, bound, True
        covered = all(day_cap >= room for day_cap, room in zip(caps, rooms))
        if elsewhere < 0.5 or covered:  # the LP's optimum is (nearly) a week of listed patterns: the MILP's
            status, found, chosen = patterns.relaxed_week(days, others, request, integer=True,
                                                          time_limit=max(until - time.perf_counter(), 0.01))
            bound = max(bound, locked + found)
            if chosen is not None:
                meals = _week_of(request, days, chosen)
                if OBJECTIVE.better(request, meals, best.meals):
                    best = replace(best, meals=meals, objective=OBJECTIVE.evaluate(request, meals))
            if _proven(best.objective, bound, **gaps):
                return best, bound, True
            if status == "optimal" and covered:
                break  # no day of a better week was left out: a larger cap adds nothing
        cap *= RELAXED_CAP_GROWTH
    return best, bound, False


def _week_of(request: PlanRequest, days: list[patterns.DayPatterns], chosen: list[int]) -> dict:
    """The plan taking pattern `chosen[i]` on each listed day, the fixed meals as they are."""
    meals = {key: ChosenMeal(meal.recipe_id, meal.servings) for key, meal in request.fixed.items()}
    for listed, index in zip(days, chosen):
        for position, slot in enumerate(listed.slots):
            meals[listed.day, slot] = ChosenMeal(int(listed.recipes[index, position]),
                                                 int(listed.steps[index, position]) * SERVING_STEP)
    return meals


def pooled_week(request: PlanRequest, best: PlanSolution, *, until: float) -> PlanSolution:
    """`best` (found or not), or a better week chosen under the rules that link days
    (`patterns.best_week`) from each day's pool of good, varied menus (`beam.day_pool`): the beam
    search plans each day next to the days before it, which may have used up the dishes a later
    day needs; choosing all days at once from many menus does not. Only where every rule is
    expressed over day patterns (`listable`)."""
    if not request.free_slots() or not all(rule.listable(request) for rule in rules.active_rules(request)):
        return best
    model = Model(request)
    if not all(len(s) for s in model.sets):
        return best
    first_of = {}
    for day in sorted({day for day, _ in request.free_slots()}):
        first_of.setdefault(day_key(day_request(request, day)), []).append(day)
    pools = model.day_pools([days[0] for days in first_of.values()], until=until)
    days = []
    for same in first_of.values():
        if pools[same[0]] is None:
            return best
        slots, recipes, steps, objective = pools[same[0]]
        penalty = sum(OBJECTIVE.kept_penalty(request, same[0], slot, recipes[:, k]) for k, slot in enumerate(slots))
        days += [patterns.DayPatterns(day, slots, recipes, steps, objective + penalty) for day in same]
    days.sort(key=lambda listed: listed.day)
    _status, chosen, _bound = patterns.best_week(days, request, time_limit=max(until - time.perf_counter(), 0.01))
    if chosen is None:
        return best
    meals = _week_of(request, days, chosen)
    if best.found and not OBJECTIVE.better(request, meals, best.meals):
        return best
    return replace(best, meals=meals, objective=OBJECTIVE.evaluate(request, meals))


def beam_plan(request: PlanRequest, *, until: float = math.inf) -> PlanSolution:
    """The beam-searched plan (not found when the search gets stuck or a slot has no candidate).
    The search needs the model's columns only, not its rows (the rules filter its partial days)."""
    model = Model(request)
    values = model.starting_plan(until) if all(len(s) for s in model.sets) else None
    if values is None:
        return PlanSolution("time_limit", {})
    meals = model.chosen(values)
    return PlanSolution("time_limit", meals, objective=OBJECTIVE.evaluate(request, meals))


def improved_plan(request: PlanRequest, solution: PlanSolution, *, until: float = math.inf,
                  search=beam.improved_plan) -> PlanSolution:
    """`solution` (a plan keeping the rules, such as HiGHS's first, whatever its objective) with
    its days re-planned by the beam search around the others while that improves it: the MILP's
    own polishing got such a week nowhere near its targets in the time left (days within 5 % of
    their energy fell from 7 to 0-4 of 7 on the bench weeks the beam search had got stuck on).
    With `search=beam.varied_plan`: where a day scores as well with fewer repeated dishes."""
    if not request.free_slots():
        return solution
    model = Model(request)
    meals = model.chosen(model.improved_plan(solution.meals, until, search=search))
    if not OBJECTIVE.better(request, meals, solution.meals):
        return solution
    return replace(solution, meals=meals, objective=OBJECTIVE.evaluate(request, meals))


def solve(request: PlanRequest, *, time_limit: float | None = None, relative_gap: float = DEFAULT_RELATIVE_GAP,
          absolute_gap_per_day: float = ABSOLUTE_GAP_PER_DAY) -> PlanSolution:
    """Best plan for the request (see `_yielding_solve`), with notes on the days far off target and
    on the rules that yielded; the seconds per strategy are logged (DEBUG, `extra["phases"]`)."""
    solution = _yielding_solve(request, time_limit=time_limit, relative_gap=relative_gap,
                               absolute_gap_per_day=absolute_gap_per_day)
    if solution.found:
        yielded = [rule.yielded for rule in rules.RULES if rule.name in solution.relaxed]
        started = time.perf_counter()
        notes = (*explain.shortfalls(request, solution), *yielded)
        solution = replace(solution, notes=notes, phases=(*solution.phases, ("notes", time.perf_counter() - started)))
    logger.debug("solved", extra={"phases": solution.phases})
    return solution


def _yielding_solve(request: PlanRequest, *, time_limit: float | None, relative_gap: float,
                    absolute_gap_per_day: float) -> PlanSolution:
    """`_solve`; when no plan keeps every rule, again without the rules that yield (kept only
    while the catalog allows), stage by stage (dish families first, then different day menus),
    all within the one time limit. A stage yields only when HiGHS shows that no plan keeps its
    rules, or finds none in its share of the time: a rule that yields is kept wherever the catalog
    allows, even where the plans keeping it sit further from the targets (a stuck beam search is
    no such proof: it plans day by day, and the first days may use up what later ones need). A
    rule a quick look shows broken refuses at once (a budget below the cheapest meals), not after
    the time limit, or, if it yields, is dropped at once."""
    given = request
    deadline = time.perf_counter() + (math.inf if time_limit is None else time_limit)
    for rule in rules.obviously_broken(request):
        if rule.yields:
            request = rule.relax(request)
    if rules.obviously_broken(request):
        return PlanSolution("infeasible", {})
    stages = sorted({rule.yields for rule in rules.active_rules(request) if rule.yields})
    solution = _solve(request, time_limit=_left(deadline), relative_gap=relative_gap,
                      absolute_gap_per_day=absolute_gap_per_day, last_stage=not stages)
    for stage in stages:
        if solution.found:
            break
        for rule in rules.active_rules(request):
            if 0 < rule.yields <= stage:
                request = rule.relax(request)
        earlier = solution.phases
        solution = _solve(request, time_limit=_left(deadline), relative_gap=relative_gap,
                          absolute_gap_per_day=absolute_gap_per_day, last_stage=stage == stages[-1])
        solution = replace(solution, phases=(*earlier, *((f"{name} (rules yielded)", seconds)
                                                         for name, seconds in solution.phases)))
    return replace(solution, relaxed=request.relaxed - given.relaxed)


def _varied(request: PlanRequest, solution: PlanSolution, phases: "Phases") -> PlanSolution:
    """A proven optimum the MILP or the pattern search found (they know nothing of variety), its
    days that repeat a dish re-planned where they score as well with fewer repeats: the objective's
    tie-break. (The beam search's own plans pick each day in that order already.)"""
    with phases.timing("variety"):
        return improved_plan(request, solution, until=time.perf_counter() + VARIETY_SECONDS, search=beam.varied_plan)


def _left(deadline: float) -> float | None:
    """Seconds to `deadline` (None: no limit), never below MIN_STAGE_SECONDS so that a stage can
    still find a plan."""
    return None if math.isinf(deadline) else max(deadline - time.perf_counter(), MIN_STAGE_SECONDS)


def _solve(request: PlanRequest, *, time_limit: float | None, relative_gap: float,
           absolute_gap_per_day: float, last_stage: bool = True) -> PlanSolution:
    """Best plan for the request; `status` "infeasible" with no meals when the rules cannot all hold.

    The LP bound of the plain model is 0 (fractional servings hit any target), so HiGHS alone
    cannot prove a positive objective optimal and struggles to find plans whose days all land in
    the dead zone. Where the beam-searched plan is not proven, a week chosen from each day's pool
    of good menus (`pooled_week`) often is, or is better. Each day's own optimum bounds the
    objective from below instead. With few free slots a day, the day patterns that could beat the
    best plan are few enough to list (under a growing cap), and choosing among them proves the
    optimum (`exact_week`). Otherwise the best plan (or, when the searches get stuck, HiGHS's
    first plan) is polished a day, a slot across the week or two days at a time against those
    bounds (most plans reach them within a few re-solves, which proves them optimal), and
    otherwise a final full solve, with the bounds as valid inequalities, reports the status and
    gap.
    `time_limit=None` runs every phase to its end. When the beam search gets stuck, a MILP of the
    rules alone finds a plan (which the pools and the beam search, re-planning its days around the
    others, then improve) or shows there is none, before the pools spend tenths of a second; unless
    it is the `last_stage` (or has no time limit), the solve stops there without a plan: the next
    stage, with rules yielded, has the rest of the time (see `_yielding_solve`)."""
    started = time.perf_counter()
    limit = math.inf if time_limit is None else time_limit
    gaps = {"relative_gap": relative_gap, "absolute_gap_per_day": absolute_gap_per_day}
    phases = Phases()
    listable = request.most_free_slots_a_day() <= patterns.MAX_FREE_SLOTS
    # The beam's repairs matter less where the exact pattern search or the relaxed week will run.
    relaxable = all(rule.listable(request) for rule in rules.active_rules(request))
    with phases.timing("beam"):
        best = beam_plan(request, until=started + limit * (BEAM_UNTIL_LISTABLE if listable or relaxable
                                                           else BEAM_UNTIL))
    beamed, stuck = best, not best.found
    if stuck:  # whether any plan keeps the rules, and one for the phases below to improve
        with phases.timing("first MILP"):
            best = first_plan(request, time_limit=min(limit * FIRST_SOLVE_SHARE, FIRST_SOLVE_MAX_SECONDS))
        if best.status == "infeasible" or not (best.found or last_stage or time_limit is None):
            return phases.on(best)  # the next stage, with rules yielded, has the time left
    # Days with few free slots go to the exact pattern search first, others to the relaxed week (the
    # pools only if they give up).
    if stuck:
        with phases.timing("pool"):
            best = pooled_week(request, best, until=started + limit * POOL_UNTIL)
    if stuck and best.found:
        with phases.timing("beam"):
            best = improved_plan(request, best, until=time.perf_counter() + limit * BEAM_UNTIL)
    if best.found and _proven(best.objective, 0.0, days=request.days, **gaps):  # the beam's days are varied already
        return phases.on(_finish(best if best is beamed else _varied(request, best, phases), "optimal", 0.0, started))
    with phases.timing("day bounds"):
        bounds = day_bounds(request, until=started + limit * BOUND_UNTIL)
    if best.found:
        with phases.timing("patterns"):
            exact = exact_week(request, best, bounds, until=started + limit * EXACT_UNTIL)
        if exact is not None:
            return phases.on(_finish(_varied(request, exact, phases), "optimal", exact.bound, started))
        with phases.timing("week bound"):
            best, week_bound, proven = relaxed_week(request, best, bounds, until=started + limit * RELAXED_UNTIL,
                                                    **gaps)
        if proven:
            return phases.on(_finish(_varied(request, best, phases), "optimal", week_bound, started))
        if not stuck:  # the pattern search or the relaxed week gave up: the beam's repairs and the pools' week
            if relaxable and not listable:
                with phases.timing("beam"):
                    best = improved_plan(request, best, until=time.perf_counter() + limit * (
                        BEAM_UNTIL - BEAM_UNTIL_LISTABLE))
            with phases.timing("pool"):
                best = pooled_week(request, best, until=min(
                    time.perf_counter() + limit * (POOL_UNTIL - BEAM_UNTIL_LISTABLE), started + limit * EXACT_UNTIL))
            if _proven(best.objective, week_bound, days=request.days, **gaps):
                return phases.on(_finish(_varied(request, best, phases), "optimal", week_bound, started))
        with phases.timing("polish"):
            best = _polish(request, best, bounds, until=started + limit * POLISH_UNTIL,
                           absolute_gap_per_day=absolute_gap_per_day)
        if _proven(best.objective, week_bound, days=request.days, **gaps):
            return phases.on(_finish(_varied(request, best, phases), "optimal", week_bound, started))
    else:
        week_bound = sum(bounds)
    remaining = max(0.05, limit - (time.perf_counter() - started))
    with phases.timing("final MILP"):
        final = solve_once(request, time_limit=remaining, start=best.meals if best.found else None,
                           day_bounds=bounds, **gaps)
    if best.found and (not final.found or final.objective > best.objective + 1e-9):
        final = replace(final, meals=best.meals, objective=best.objective)
    bound = max(week_bound, final.bound or 0.0)
    return phases.on(_finish(final, final.status, bound, started) if final.found
                     else replace(final, seconds=time.perf_counter() - started))


class Phases:
    """Seconds spent in each strategy of one solve (`PlanSolution.phases`, for the bench)."""

    def __init__(self):
        self.seconds = {}

    @contextmanager
    def timing(self, name: str):
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started

    def on(self, solution: PlanSolution) -> PlanSolution:
        return replace(solution, phases=tuple(self.seconds.items()))


def _finish(solution: PlanSolution, status: str, bound: float, started: float) -> PlanSolution:
    gap = (solution.objective - bound) / solution.objective if solution.objective > 1e-9 else 0.0
    return replace(solution, status=status, bound=bound, gap=max(0.0, gap), seconds=time.perf_counter() - started)

