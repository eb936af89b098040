"""The week as one mixed-integer program for HiGHS.

For every free (day, slot) it picks one recipe and a serving multiple (0.5 … 3 in steps of 0.5).
The model itself only knows the columns and "one recipe per slot"; the objective
(`objective.OBJECTIVE`) and every hard rule (`rules.RULES`) add their own rows. Fixed (locked)
meals are constants: only the rules' `blocked` recipes are left out of the free slots.
"""

import math
import time
from collections.abc import Mapping
from dataclasses import replace

import highspy
import numpy as np

from mealplan.planning import beam, rules
from mealplan.planning.objective import OBJECTIVE
from mealplan.planning.types import (
    KCAL, MAX_STEPS, PROTEIN, SERVING_STEP, CandidateSet, ChosenMeal, PlanRequest, PlanSolution, fixed_day_totals,
)

# How much of a day's energy each meal type usually carries (normalised over the day's slots).
MEAL_TYPE_ENERGY_WEIGHT = {"breakfast": 0.25, "lunch": 0.35, "dinner": 0.35, "snack": 0.10}


def slot_energy_shares(slot_types: tuple[str, ...]) -> dict[str, float]:
    """Share of the day's energy one slot of each meal type should carry."""
    total = sum(MEAL_TYPE_ENERGY_WEIGHT[t] for t in slot_types)
    return {t: MEAL_TYPE_ENERGY_WEIGHT[t] / total for t in set(slot_types)}


def allowed_candidates(request: PlanRequest, day: int, slot: int) -> CandidateSet:
    """The slot's candidates minus recipes the rules forbid there next to the fixed meals, and
    those no serving of which the rules allow."""
    return allowed_with_steps(request, day, slot, {})[0]


def allowed_with_steps(request: PlanRequest, day: int, slot: int, known: dict):
    """`allowed_candidates` with the serving steps the rules allow each, (candidates, low, high);
    computed once per distinct candidate set, meal type and blocked recipes, kept in `known` (a
    week's slots of one meal type mostly share all three)."""
    candidates = request.candidates_for(day, slot)
    blocked = frozenset(rules.blocked(request, day, slot, request.fixed_recipes()))
    key = (id(candidates), request.slot_types[slot], blocked)
    if key not in known:
        candidates = candidates.without(blocked) if blocked else candidates
        low, high = step_bounds(request, slot, candidates)
        keep = low <= high
        known[key] = (candidates, low, high) if keep.all() else (candidates.subset(keep), low[keep], high[keep])
    return known[key]


def step_bounds(request: PlanRequest, slot: int, candidates: CandidateSet) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest serving steps the rules allow for each of a slot's candidates."""
    return rules.servings(request, request.slot_types[slot], candidates)


def serving_options(request: PlanRequest, slot: int, candidates: CandidateSet) -> tuple[np.ndarray, np.ndarray]:
    """(candidate index, serving steps) of every serving the rules allow, candidate by candidate."""
    low, high = step_bounds(request, slot, candidates)
    steps = np.tile(np.arange(1, MAX_STEPS + 1), len(candidates))
    which = np.repeat(np.arange(len(candidates)), MAX_STEPS)
    keep = (steps >= low[which]) & (steps <= high[which])
    return which[keep], steps[keep]


def day_request(request: PlanRequest, day: int) -> PlanRequest:
    """Day `day` on its own: its fixed meals, the candidates the rest of the plan's fixed meals
    leave it, and none of the rules that link it to other days."""
    slots = range(len(request.slot_types))
    return replace(
        request, days=1, relaxed=request.relaxed | {rule.name for rule in rules.RULES if rule.links_days},
        fixed={(0, slot): request.fixed[day, slot] for slot in slots if (day, slot) in request.fixed},
        slot_candidates={(0, slot): allowed_candidates(request, day, slot)
                         for slot in slots if (day, slot) not in request.fixed},
        previous={(0, slot): request.previous[day, slot] for slot in slots if (day, slot) in request.previous},
    )


def day_key(part: PlanRequest):
    """What tells one-day requests (`day_request`) apart: days with equal keys are the same problem."""
    return (tuple((key, tuple(c.recipe_ids)) for key, c in sorted(part.slot_candidates.items())),
            tuple(sorted(part.fixed.items())), tuple(sorted(part.previous.items())))


class Model:
    """Column/row bookkeeping for one request (row-wise sparse matrix for HiGHS); the objective
    and the rules add their rows through `add_cols` and `add_row`."""

    def __init__(self, request: PlanRequest):
        self.request = request
        self.slots = request.free_slots()
        known = {}
        allowed = [allowed_with_steps(request, day, slot, known) for day, slot in self.slots]
        self.sets = [candidates for candidates, _, _ in allowed]
        sizes = np.array([len(s) for s in self.sets], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(sizes)])
        self.num_choices = int(self.offsets[-1])
        self.recipe_of = np.concatenate([s.recipe_ids for s in self.sets]) if self.slots else np.zeros(0, np.int64)
        self.nutrients_of = np.vstack([s.nutrients for s in self.sets]) if self.slots else np.zeros((0, 4))
        self.cost_of = np.concatenate([s.costs for s in self.sets]) if self.slots else np.zeros(0)
        self.day_of = np.repeat([d for d, _ in self.slots], sizes).astype(np.int64)
        self.slot_of = np.repeat([s for _, s in self.slots], sizes).astype(np.int64)
        self.low_steps = np.concatenate([low for _, low, _ in allowed]) if self.slots else np.zeros(0, np.int64)
        self.high_steps = np.concatenate([high for _, _, high in allowed]) if self.slots else np.zeros(0, np.int64)
        self.col_lower, self.col_upper, self.col_cost, self.integrality = [], [], [], []
        self.row_lower, self.row_upper, self.row_start, self.row_index, self.row_value = [], [], [0], [], []
        # x_i (pick choice i) then n_i (half-servings of choice i).
        self.x = self.add_cols(self.num_choices, 0, 1, integer=True)
        self.n = self.add_cols(self.num_choices, 0, MAX_STEPS, integer=True)

    def add_cols(self, count, lower, upper, cost=0.0, integer=False) -> np.ndarray:
        start = len(self.col_lower)
        self.col_lower += [lower] * count
        self.col_upper += [upper] * count
        self.col_cost += list(np.broadcast_to(cost, (count,)))
        kind = highspy.HighsVarType.kInteger if integer else highspy.HighsVarType.kContinuous
        self.integrality += [kind] * count
        return np.arange(start, start + count)

    def add_row(self, index, value, lower=-math.inf, upper=math.inf):
        self.row_index += list(index)
        self.row_value += list(value)
        self.row_start.append(len(self.row_index))
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def add_rules(self):
        """One recipe per free slot, servings only for the chosen recipe and within the steps the
        rules allow it, then every active rule's rows."""
        for j in range(len(self.slots)):
            choices = np.arange(self.offsets[j], self.offsets[j + 1])
            self.add_row(self.x[choices], np.ones(len(choices)), 1, 1)
        for i in range(self.num_choices):
            self.add_row([self.n[i], self.x[i]], [1, -self.high_steps[i]], upper=0)
            self.add_row([self.n[i], self.x[i]], [1, -self.low_steps[i]], lower=0)
        for rule in rules.active_rules(self.request):
            rule.add_rows(self)

    def add_objective(self):
        self.day_objective = OBJECTIVE.add_rows(self)

    def add_day_bounds(self, bounds):
        """Valid inequalities: each day's share of the objective is at least that day's optimum on
        its own (the variety rules across days relaxed). They leave the feasible plans and their
        objective unchanged but lift the LP bound from 0 to the sum of the day optima, which is
        what lets HiGHS prove a plan optimal instead of branching for seconds."""
        for day, bound in enumerate(bounds):
            if bound > 0:
                columns, costs = zip(*self.day_objective[day])
                self.add_row(columns, costs, lower=bound)

    def add_max_day_cost_objective(self) -> int:
        """Minimise the most expensive day's cost (used to explain a budget that is too low)."""
        _, fixed_costs = fixed_day_totals(self.request)
        (peak,) = self.add_cols(1, 0, math.inf, 1.0)
        for day in range(self.request.days):
            choices = np.flatnonzero(self.day_of == day)
            self.add_row(
                [*self.n[choices], peak], [*(self.cost_of[choices] * SERVING_STEP), -1], upper=-fixed_costs[day]
            )
        return peak

    def starting_plan(self, until: float = math.inf) -> np.ndarray | None:
        """Integer column values of a beam-searched plan under the rules, or None."""
        choices, state = self._search()
        picks = beam.starting_plan(choices, state, step=SERVING_STEP, max_steps=MAX_STEPS, until=until)
        return None if picks is None else self._values(picks)

    def improved_plan(self, meals: Mapping[tuple[int, int], ChosenMeal], until: float = math.inf, *,
                      search=beam.improved_plan) -> np.ndarray:
        """Integer column values of `meals` (a plan keeping the rules) with its days re-planned by
        the beam search around the others: while that improves it (`beam.improved_plan`), or, with
        `search=beam.varied_plan`, where that repeats fewer dishes as well."""
        choices, state = self._search()
        values = self.column_values(meals)
        picks = [(int(i), int(round(values[self.n[i]]))) for i in np.flatnonzero(values[self.x] > 0.5)]
        return self._values(search(choices, state, picks, step=SERVING_STEP, max_steps=MAX_STEPS, until=until))

    def day_pools(self, days, until: float = math.inf) -> dict:
        """`beam.day_pool` of each of `days` (None for a day it finds none for)."""
        choices, state = self._search()
        return {day: beam.day_pool(choices, state, day, step=SERVING_STEP, max_steps=MAX_STEPS, until=until)
                for day in days}

    def _search(self) -> tuple[beam.Choices, beam.WeekState]:
        request = self.request
        shares = slot_energy_shares(request.slot_types)
        choices = beam.Choices(
            slots=self.slots, offsets=self.offsets, recipe=self.recipe_of, nutrients=self.nutrients_of,
            cost=self.cost_of, shares=np.array([shares[request.slot_types[slot]] for _, slot in self.slots]),
            low_steps=self.low_steps, high_steps=self.high_steps,
        )
        state = beam.WeekState(request=request, searches=[OBJECTIVE.day(request, day) for day in range(request.days)],
                               base_costs=fixed_day_totals(request)[1], placed=request.fixed_recipes())
        return choices, state

    def _values(self, picks: list[tuple[int, int]]) -> np.ndarray:
        values = np.zeros(len(self.col_lower))
        for i, steps in picks:
            values[self.x[i]], values[self.n[i]] = 1, steps
        return values

    def column_values(self, meals: Mapping[tuple[int, int], ChosenMeal]) -> np.ndarray:
        """Integer column values putting `meals` in the free slots."""
        values = np.zeros(len(self.col_lower))
        for j, key in enumerate(self.slots):
            choices = np.arange(self.offsets[j], self.offsets[j + 1])
            matches = choices[self.recipe_of[choices] == meals[key].recipe_id]
            if len(matches):
                values[self.x[matches[0]]] = 1
                values[self.n[matches[0]]] = round(meals[key].servings / SERVING_STEP)
        return values

    def run(self, *, time_limit: float | None, relative_gap: float, absolute_gap: float = 0.0,
            start: np.ndarray | None = None) -> highspy.Highs:
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.col_lower)
        lp.num_row_ = len(self.row_lower)
        lp.col_cost_ = np.asarray(self.col_cost, dtype=float)
        lp.col_lower_ = np.asarray(self.col_lower, dtype=float)
        lp.col_upper_ = np.asarray(self.col_upper, dtype=float)
        lp.row_lower_ = np.asarray(self.row_lower, dtype=float)
        lp.row_upper_ = np.asarray(self.row_upper, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.asarray(self.row_start, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(self.row_index, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(self.row_value, dtype=float)
        lp.integrality_ = self.integrality
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.setOptionValue("mip_rel_gap", relative_gap)
        highs.setOptionValue("mip_abs_gap", absolute_gap)
        highs.setOptionValue("threads", 1)
        if time_limit is not None and math.isfinite(time_limit):
            highs.setOptionValue("time_limit", float(time_limit))
        highs.passModel(lp)
        if start is not None:
            integers = np.concatenate([self.x, self.n]).astype(np.int32)
            highs.setSolution(len(integers), integers, start[integers])
        highs.run()
        return highs

    def chosen(self, values: np.ndarray) -> dict[tuple[int, int], ChosenMeal]:
        meals = {key: ChosenMeal(meal.recipe_id, meal.servings) for key, meal in self.request.fixed.items()}
        for i in np.flatnonzero(values[self.x] > 0.5):
            steps = int(round(values[self.n[i]]))
            meals[int(self.day_of[i]), int(self.slot_of[i])] = ChosenMeal(int(self.recipe_of[i]), steps * SERVING_STEP)
        return meals


def _has_solution(highs: highspy.Highs) -> bool:
    return highs.getInfo().primal_solution_status == 2  # kSolutionStatusFeasible


def build(request: PlanRequest, day_bounds=None) -> "Model | None":
    model = Model(request)
    if any(len(s) == 0 for s in model.sets):
        return None
    model.add_rules()
    model.add_objective()
    if day_bounds is not None:
        model.add_day_bounds(day_bounds)
    return model


def solve_once(request: PlanRequest, *, time_limit, relative_gap, absolute_gap_per_day,
                start: Mapping[tuple[int, int], ChosenMeal] | None = None, day_bounds=None) -> PlanSolution:
    """One HiGHS run, started from `start` when given (the solver calls it with the beam-searched
    plan or its improvement, or with none when the beam search got stuck)."""
    started = time.perf_counter()
    model = build(request, day_bounds)
    if model is None:
        return PlanSolution("infeasible", {}, seconds=time.perf_counter() - started)
    highs = model.run(time_limit=time_limit, relative_gap=relative_gap,
                      absolute_gap=absolute_gap_per_day * request.days,
                      start=None if start is None else model.column_values(start))
    status = highs.getModelStatus()
    seconds = time.perf_counter() - started
    if not _has_solution(highs):
        return PlanSolution("infeasible" if status == highspy.HighsModelStatus.kInfeasible else "time_limit", {},
                            seconds=seconds)
    info = highs.getInfo()
    return PlanSolution(
        status="optimal" if status == highspy.HighsModelStatus.kOptimal else "time_limit",
        meals=model.chosen(np.asarray(highs.getSolution().col_value)),
        objective=info.objective_function_value,
        gap=info.mip_gap,
        seconds=seconds,
        bound=max(0.0, info.mip_dual_bound),
    )

def _any_plan(request: PlanRequest, *, time_limit: float | None) -> tuple["Model | None", highspy.Highs | None]:
    """The MILP of the rules alone (no objective, so HiGHS stops at the first plan it finds, much
    sooner than with the objective's rows) after its run; (None, None) when a slot has no candidate."""
    model = Model(request)
    if any(len(s) == 0 for s in model.sets):
        return None, None
    model.add_rules()
    return model, model.run(time_limit=time_limit, relative_gap=1.0)


def is_feasible(request: PlanRequest, *, time_limit: float | None = None) -> bool:
    """Whether a plan keeping the active rules was found within `time_limit`: the beam search's
    (quick where the rules leave room, without its repairs), else the first plan of the MILP of
    the rules alone (False also when the time ran out before either)."""
    until = time.perf_counter() + (math.inf if time_limit is None else time_limit)
    model = Model(request)
    if any(len(s) == 0 for s in model.sets):
        return False
    if model.starting_plan(until=time.perf_counter()) is not None:
        return True
    left = until - time.perf_counter()
    if left <= 0:
        return False
    model.add_rules()
    return _has_solution(model.run(time_limit=left, relative_gap=1.0))


def first_plan(request: PlanRequest, *, time_limit: float | None) -> PlanSolution:
    """Some plan keeping the rules, whatever its objective (for the solver to improve), status
    "time_limit"; no meals, status "infeasible" when none exists, or "time_limit" when none was found."""
    started = time.perf_counter()
    model, highs = _any_plan(request, time_limit=time_limit)
    seconds = time.perf_counter() - started
    if highs is None or not _has_solution(highs):
        proven = highs is None or highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible
        return PlanSolution("infeasible" if proven else "time_limit", {}, seconds=seconds)
    meals = model.chosen(np.asarray(highs.getSolution().col_value))
    return PlanSolution("time_limit", meals, objective=OBJECTIVE.evaluate(request, meals), seconds=seconds)


def cheapest_day_on_target(request: PlanRequest, *, within: float, time_limit: float | None = None) -> float | None:
    """Lowest cost of the one-day `request` with its energy within `within` of the target and its
    protein short by at most `within`, under its active rules; inf when no such day exists, None
    when the time ran out before either was known."""
    model = Model(request)
    if any(len(s) == 0 for s in model.sets):
        return math.inf
    model.add_rules()
    fixed_nutrients, fixed_costs = fixed_day_totals(request)
    kcal, protein = request.targets[KCAL] - fixed_nutrients[0, KCAL], request.targets[PROTEIN] - fixed_nutrients[0, PROTEIN]
    model.add_row(model.n, model.nutrients_of[:, KCAL] * SERVING_STEP, kcal - within * request.targets[KCAL],
                  kcal + within * request.targets[KCAL])
    model.add_row(model.n, model.nutrients_of[:, PROTEIN] * SERVING_STEP, lower=protein - within * request.targets[PROTEIN])
    for column, cost in zip(model.n, model.cost_of):
        model.col_cost[column] = cost * SERVING_STEP
    highs = model.run(time_limit=time_limit, relative_gap=1e-6)
    if _has_solution(highs):
        return highs.getInfo().objective_function_value + fixed_costs[0]
    return math.inf if highs.getModelStatus() == highspy.HighsModelStatus.kInfeasible else None
