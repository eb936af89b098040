"""The plan optimizer: an exact mixed-integer program solved by HiGHS.

For every free (day, slot) it picks one recipe and a serving multiple
(0.5 … 3 in steps of 0.5) so that each day's energy, protein, fat and
carbohydrate come as close as possible to the targets, measured as weighted
absolute deviations (linearised with positive/negative parts) plus a steep
extra penalty beyond the tolerance bands. Hard rules are constraints: one
recipe per slot, daily budget, at most k uses of a recipe per plan-week, never
twice in a day, not in the same slot on consecutive days unless leftovers are
allowed. Fixed (locked) meals are constants.

Every plan and bound comes from HiGHS on this model or on parts of it (one day
alone, or a few slots with the rest fixed), or on the equivalent choice among listed day patterns
(`patterns`); see `solve` for how they combine.

Plain data in (NumPy arrays, dataclasses), plain data out; no ORM here.
"""

import math
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import highspy
import numpy as np

from mealplan import incumbent, patterns
from mealplan.incumbent import DAYS_PER_WEEK

NUTRIENTS = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g")
KCAL, PROTEIN, FAT, CARB = range(len(NUTRIENTS))
SERVING_STEP = 0.5
MAX_STEPS = 6  # 3 servings

# Relative importance of missing each target by 1 % of it.
NUTRIENT_WEIGHTS = np.array([1.0, 0.5, 0.35, 0.35])
# Deviations within this share of a target are not worth trading anything for (food labels
# themselves are only accurate to several per cent); beyond it each 1 % costs its weight.
DEAD_ZONE = np.array([0.025, 0.05, 0.05, 0.05])
# Beyond these bands (share of target) a day counts as off target; deviation there costs much more.
TOLERANCE_BANDS = np.array([0.05, 0.10, 0.10, 0.10])
BAND_PENALTY = 10.0
# Cost of keeping the recipe a regeneration is asked to replace (≈ missing kcal by 3 %).
KEEP_PREVIOUS_PENALTY = 0.03
DEFAULT_RELATIVE_GAP = 0.01
# A relative gap never closes on an optimum of 0 (most plans reach 0: every day inside the dead
# zone), so also stop once the plan is within this much of the bound, per day: far below anything
# that matters, so that a plan only stops short of an optimum of 0 when time runs out.
ABSOLUTE_GAP_PER_DAY = 1e-6

# How much of a day's energy each meal type usually carries (normalised over the day's slots).
MEAL_TYPE_ENERGY_WEIGHT = {"breakfast": 0.25, "lunch": 0.35, "dinner": 0.35, "snack": 0.10}
MACRO_KCAL_PER_G = np.array([4.0, 9.0, 4.0])
# Preselection also keeps, per macro, the recipes richest in that macro: this share of its count,
# or enough for half the meal type's uses in a week if that is more (each such use may need one).
MACRO_RICH_SHARE = 0.25


@dataclass(frozen=True)
class CandidateSet:
    """Recipes allowed in a slot, as parallel arrays (nutrients and cost per serving)."""

    recipe_ids: np.ndarray  # (k,) int
    nutrients: np.ndarray  # (k, 4) kcal, protein, fat, carbohydrate
    costs: np.ndarray  # (k,)

    @classmethod
    def from_rows(cls, rows) -> "CandidateSet":
        """Rows of (recipe_id, kcal, protein, fat, carb, cost)."""
        table = np.asarray(list(rows), dtype=float).reshape(-1, 6)
        return cls(recipe_ids=table[:, 0].astype(np.int64), nutrients=table[:, 1:5], costs=table[:, 5])

    def __len__(self) -> int:
        return len(self.recipe_ids)

    def subset(self, keep: np.ndarray) -> "CandidateSet":
        return CandidateSet(self.recipe_ids[keep], self.nutrients[keep], self.costs[keep])

    def without(self, recipe_ids) -> "CandidateSet":
        return self.subset(~np.isin(self.recipe_ids, list(recipe_ids)))


@dataclass(frozen=True)
class FixedMeal:
    """A meal the solver must keep as it is (locked, or outside the part being re-solved)."""

    recipe_id: int
    servings: float
    nutrients: tuple[float, float, float, float]  # per serving
    cost: float  # per serving


@dataclass(frozen=True)
class PlanRequest:
    days: int
    slot_types: tuple[str, ...]
    targets: tuple[float, float, float, float]  # per person per day
    candidates: Mapping[str, CandidateSet]  # by meal type
    budget: float | None = None  # per person per day
    max_repeats_per_week: int = 2
    allow_leftovers: bool = False
    fixed: Mapping[tuple[int, int], FixedMeal] = field(default_factory=dict)
    slot_candidates: Mapping[tuple[int, int], CandidateSet] = field(default_factory=dict)
    previous: Mapping[tuple[int, int], int] = field(default_factory=dict)

    def free_slots(self) -> list[tuple[int, int]]:
        return [
            (day, slot)
            for day in range(self.days)
            for slot in range(len(self.slot_types))
            if (day, slot) not in self.fixed
        ]

    def most_free_slots_a_day(self) -> int:
        return max(Counter(day for day, _ in self.free_slots()).values(), default=0)

    def candidates_for(self, day: int, slot: int) -> CandidateSet:
        if (day, slot) in self.slot_candidates:
            return self.slot_candidates[day, slot]
        return self.candidates[self.slot_types[slot]]


@dataclass(frozen=True)
class ChosenMeal:
    recipe_id: int
    servings: float


@dataclass(frozen=True)
class PlanSolution:
    status: str  # "optimal", "time_limit" or "infeasible"
    meals: dict[tuple[int, int], ChosenMeal]  # every slot, fixed ones included; empty when none found
    objective: float | None = None
    gap: float | None = None
    seconds: float = 0.0
    bound: float | None = None  # proven lower bound on the optimum

    @property
    def found(self) -> bool:
        return bool(self.meals)


def week_of(day: int) -> int:
    return day // DAYS_PER_WEEK


def fixed_usage(request: PlanRequest):
    """Where fixed meals already use each recipe: per week, per day, per (day, slot)."""
    per_week, per_day = Counter(), defaultdict(set)
    for (day, _slot), meal in request.fixed.items():
        per_week[week_of(day), meal.recipe_id] += 1
        per_day[day].add(meal.recipe_id)
    return per_week, per_day


def allowed_candidates(request: PlanRequest, day: int, slot: int) -> CandidateSet:
    """The slot's candidates minus recipes that fixed meals already rule out there."""
    per_week, per_day = fixed_usage(request)
    blocked = set(per_day[day])
    blocked |= {rid for (week, rid), used in per_week.items() if week == week_of(day) and used >= request.max_repeats_per_week}
    if not request.allow_leftovers:
        for neighbour in (day - 1, day + 1):
            if (neighbour, slot) in request.fixed:
                blocked.add(request.fixed[neighbour, slot].recipe_id)
    return request.candidates_for(day, slot).without(blocked)


def fixed_day_totals(request: PlanRequest) -> tuple[np.ndarray, np.ndarray]:
    """Per day: nutrients (days × 4) and cost of the fixed meals."""
    nutrients, costs = np.zeros((request.days, 4)), np.zeros(request.days)
    for (day, _slot), meal in request.fixed.items():
        nutrients[day] += np.asarray(meal.nutrients) * meal.servings
        costs[day] += meal.cost * meal.servings
    return nutrients, costs


def day_search(request: PlanRequest, day: int) -> incumbent.DaySearch:
    """The day's objective in the form the beam and pattern searches evaluate it."""
    targets = np.maximum(np.asarray(request.targets, dtype=float), 1.0)
    fixed_nutrients, fixed_costs = fixed_day_totals(request)
    return incumbent.DaySearch(
        targets=targets, base_nutrients=fixed_nutrients[day], base_cost=fixed_costs[day], budget=request.budget,
        weights=NUTRIENT_WEIGHTS / targets, dead_zone=DEAD_ZONE * targets, band=TOLERANCE_BANDS * targets,
        band_penalty=BAND_PENALTY,
    )


class _Model:
    """Column/row bookkeeping for one request (row-wise sparse matrix for HiGHS)."""

    def __init__(self, request: PlanRequest):
        self.request = request
        self.slots = request.free_slots()
        self.sets = [allowed_candidates(request, day, slot) for day, slot in self.slots]
        sizes = np.array([len(s) for s in self.sets], dtype=np.int64)
        self.offsets = np.concatenate([[0], np.cumsum(sizes)])
        self.num_choices = int(self.offsets[-1])
        self.recipe_of = np.concatenate([s.recipe_ids for s in self.sets]) if self.slots else np.zeros(0, np.int64)
        self.nutrients_of = np.vstack([s.nutrients for s in self.sets]) if self.slots else np.zeros((0, 4))
        self.cost_of = np.concatenate([s.costs for s in self.sets]) if self.slots else np.zeros(0)
        self.day_of = np.repeat([d for d, _ in self.slots], sizes).astype(np.int64)
        self.slot_of = np.repeat([s for _, s in self.slots], sizes).astype(np.int64)
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

    def fixed_day_totals(self) -> tuple[np.ndarray, np.ndarray]:
        return fixed_day_totals(self.request)

    def add_hard_rules(self, *, with_budget: bool = True):
        request = self.request
        for j in range(len(self.slots)):
            choices = np.arange(self.offsets[j], self.offsets[j + 1])
            self.add_row(self.x[choices], np.ones(len(choices)), 1, 1)
        for i in range(self.num_choices):
            self.add_row([self.n[i], self.x[i]], [1, -MAX_STEPS], upper=0)
            self.add_row([self.n[i], self.x[i]], [1, -1], lower=0)
        _, fixed_costs = self.fixed_day_totals()
        if with_budget and request.budget is not None:
            for day in range(request.days):
                choices = np.flatnonzero(self.day_of == day)
                self.add_row(self.n[choices], self.cost_of[choices] * SERVING_STEP, upper=request.budget - fixed_costs[day])
        self.add_variety_rules()

    def add_variety_rules(self):
        request = self.request
        per_week, _ = fixed_usage(request)
        groups = defaultdict(list)
        for i in range(self.num_choices):
            groups["week", week_of(self.day_of[i]), self.recipe_of[i]].append(i)
            groups["day", self.day_of[i], self.recipe_of[i]].append(i)
        for (kind, period, recipe_id), choices in groups.items():
            limit = 1 if kind == "day" else max(0, request.max_repeats_per_week - per_week[period, recipe_id])
            if len(choices) > limit:
                self.add_row(self.x[choices], np.ones(len(choices)), upper=limit)
        if request.allow_leftovers:
            return
        position = {(self.day_of[i], self.slot_of[i], self.recipe_of[i]): i for i in range(self.num_choices)}
        for (day, slot, recipe_id), i in position.items():
            following = position.get((day + 1, slot, recipe_id))
            if following is not None:
                self.add_row(self.x[[i, following]], [1, 1], upper=1)

    def add_nutrition_objective(self):
        """Per day and nutrient: deviation = intake − target, charged beyond the dead zone and,
        much more steeply, beyond the tolerance band."""
        request = self.request
        targets = np.maximum(np.asarray(request.targets, dtype=float), 1.0)
        unit_cost = NUTRIENT_WEIGHTS / targets
        fixed_nutrients, _ = self.fixed_day_totals()
        self.day_objective = defaultdict(list)  # day → [(column, cost)]
        for day in range(request.days):
            choices = np.flatnonzero(self.day_of == day)
            deviation = self.add_cols(4, -math.inf, math.inf)
            for k in range(4):
                self.add_row(
                    [*self.n[choices], deviation[k]],
                    [*(self.nutrients_of[choices, k] * SERVING_STEP), -1],
                    targets[k] - fixed_nutrients[day, k],
                    targets[k] - fixed_nutrients[day, k],
                )
                for width, weight in ((DEAD_ZONE[k], 1.0), (TOLERANCE_BANDS[k], BAND_PENALTY)):
                    (excess,) = self.add_cols(1, 0, math.inf, unit_cost[k] * weight)
                    self.day_objective[day].append((excess, unit_cost[k] * weight))
                    for sign in (1, -1):
                        self.add_row([excess, deviation[k]], [1, -sign], lower=-width * targets[k])
        for i in range(self.num_choices):
            if request.previous.get((int(self.day_of[i]), int(self.slot_of[i]))) == self.recipe_of[i]:
                self.col_cost[self.x[i]] += KEEP_PREVIOUS_PENALTY
                self.day_objective[int(self.day_of[i])].append((self.x[i], KEEP_PREVIOUS_PENALTY))

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
        _, fixed_costs = self.fixed_day_totals()
        (peak,) = self.add_cols(1, 0, math.inf, 1.0)
        for day in range(self.request.days):
            choices = np.flatnonzero(self.day_of == day)
            self.add_row(
                [*self.n[choices], peak], [*(self.cost_of[choices] * SERVING_STEP), -1], upper=-fixed_costs[day]
            )
        return peak

    def starting_plan(self, until: float = math.inf) -> np.ndarray | None:
        """Integer column values of a beam-searched plan under the hard rules, or None."""
        request = self.request
        used, _ = fixed_usage(request)
        shares = slot_energy_shares(request.slot_types)
        searches = [day_search(request, day) for day in range(request.days)]
        choices = incumbent.Choices(
            slots=self.slots, offsets=self.offsets, recipe=self.recipe_of, nutrients=self.nutrients_of,
            cost=self.cost_of, shares=np.array([shares[request.slot_types[slot]] for _, slot in self.slots]),
        )
        rules = incumbent.VarietyRules(
            max_per_week=request.max_repeats_per_week, allow_leftovers=request.allow_leftovers,
            used=used, placed={key: meal.recipe_id for key, meal in request.fixed.items()},
        )
        picks = incumbent.starting_plan(choices, searches, rules, step=SERVING_STEP, max_steps=MAX_STEPS, until=until)
        if picks is None:
            return None
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


# Phases of a time-limited solve, as shares of the limit: the beam search's repairs until
# BEAM_UNTIL, a full solve for a first plan (only when the beam search finds none), the day bounds
# until BOUND_UNTIL, the exact pattern search until EXACT_UNTIL (it gives up early when there are
# too many patterns), polishing until POLISH_UNTIL; a final full solve gets the rest.
BEAM_UNTIL, FIRST_SOLVE_SHARE, BOUND_UNTIL, EXACT_UNTIL, POLISH_UNTIL = 0.25, 0.15, 0.3, 0.8, 0.9
# The beam's repairs matter less when the exact pattern search will run (few free slots a day).
BEAM_UNTIL_LISTABLE = 0.1
# The exact pattern search's first cap on the week's objective, as a share of the way from the
# day bounds' sum to the best plan known, and how much the way grows each time the optimum is above.
EXACT_FIRST_CAP_SHARE, EXACT_CAP_GROWTH = 1 / 16, 4
# A day's optimum is first looked for at 0 (most days reach it), then under the second cap, then
# growing up to the last, far beyond any day's objective (a day at 10× every target scores about 200).
DAY_LISTING_SECOND_CAP, DAY_LISTING_MAX_CAP = 0.01, 1e4
# Without a time limit that first solve is still cut short: the bounds make the final one easier.
FIRST_SOLVE_MAX_SECONDS = 1.0
POLISH_SECONDS_PER_SLOT = 0.2  # time limit of a window re-solve, per free slot in it


def _build(request: PlanRequest, day_bounds=None) -> "_Model | None":
    model = _Model(request)
    if any(len(s) == 0 for s in model.sets):
        return None
    model.add_hard_rules()
    model.add_nutrition_objective()
    if day_bounds is not None:
        model.add_day_bounds(day_bounds)
    return model


def _solve_once(request: PlanRequest, *, time_limit, relative_gap, absolute_gap_per_day,
                start: Mapping[tuple[int, int], ChosenMeal] | None = None, day_bounds=None) -> PlanSolution:
    """One HiGHS run, started from `start` (or from the beam-searched plan)."""
    started = time.perf_counter()
    model = _build(request, day_bounds)
    if model is None:
        return PlanSolution("infeasible", {}, seconds=time.perf_counter() - started)
    highs = model.run(time_limit=time_limit, relative_gap=relative_gap,
                      absolute_gap=absolute_gap_per_day * request.days,
                      start=model.starting_plan() if start is None else model.column_values(start))
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


def day_request(request: PlanRequest, day: int) -> PlanRequest:
    """Day `day` on its own: its fixed meals, the candidates the rest of the plan's fixed meals
    leave it, and none of the rules that link it to other days."""
    slots = range(len(request.slot_types))
    return replace(
        request, days=1, allow_leftovers=True,
        fixed={(0, slot): request.fixed[day, slot] for slot in slots if (day, slot) in request.fixed},
        slot_candidates={(0, slot): allowed_candidates(request, day, slot)
                         for slot in slots if (day, slot) not in request.fixed},
        previous={(0, slot): request.previous[day, slot] for slot in slots if (day, slot) in request.previous},
    )


def _day_key(part: PlanRequest):
    return (tuple((key, tuple(c.recipe_ids)) for key, c in sorted(part.slot_candidates.items())),
            tuple(sorted(part.fixed.items())), tuple(sorted(part.previous.items())))


def day_bounds(request: PlanRequest, *, until: float) -> list[float]:
    """A proven lower bound on each day's share of the objective: the day's own optimum (or
    HiGHS's bound on it when time runs out), computed once per distinct day."""
    known, bounds = {}, []
    for day in range(request.days):
        part = day_request(request, day)
        key = _day_key(part)
        if key not in known:
            known[key] = _day_optimum(part, until=until)
        bounds.append(known[key] if math.isfinite(known[key]) else 0.0)
    return bounds


def _day_optimum(part: PlanRequest, *, until: float) -> float:
    """A one-day request's optimum, or a lower bound on it when time runs out. With few free
    slots, listing its patterns under a growing cap is exact and much quicker than HiGHS, whose
    LP bound of 0 leaves it branching on such days: the first cap with a pattern under it gives
    the optimum."""
    if 0 < part.most_free_slots_a_day() <= patterns.MAX_FREE_SLOTS:
        options = [_slot_options(part, 0, slot) for _, slot in part.free_slots()]
        search = day_search(part, 0)
        cap = ABSOLUTE_GAP_PER_DAY
        while time.perf_counter() < until:
            if cap > DAY_LISTING_MAX_CAP:  # no pattern at all: the day cannot be planned
                return math.inf
            listed = patterns.day_patterns(0, options, search, cap, until=until)
            if listed is None:
                break
            if len(listed.objective):
                return float(listed.objective.min())
            cap = max(cap * EXACT_CAP_GROWTH, DAY_LISTING_SECOND_CAP)
    remaining = until - time.perf_counter()
    model = _build(part) if remaining > 0 else None
    if model is None:
        return 0.0
    highs = model.run(time_limit=remaining, relative_gap=0.0, start=model.starting_plan())
    return max(0.0, highs.getInfo().mip_dual_bound)


def _proven(objective: float, bound: float, *, relative_gap: float, absolute_gap_per_day: float, days: int) -> bool:
    return objective - bound <= max(relative_gap * abs(objective), absolute_gap_per_day * days) + 1e-9


def fixed_from(request: PlanRequest, meals: Mapping[tuple[int, int], ChosenMeal], keys) -> dict:
    """Chosen meals turned into fixed ones (per-serving nutrients and cost from the candidates)."""
    lookup = _recipe_lookup(request)
    return {key: FixedMeal(meals[key].recipe_id, meals[key].servings, tuple(lookup[meals[key].recipe_id][0]),
                           float(lookup[meals[key].recipe_id][1])) for key in keys}


def _windows(request: PlanRequest, excess: np.ndarray):
    """Sets of free slots to re-solve together: each day above its bound (worst first); then each
    slot across its week, so recipes can move between days under the variety rules; then each
    such day with every other day of its week."""
    free = set(request.free_slots())
    slots = range(len(request.slot_types))
    bad_days = [int(day) for day in np.argsort(-excess, kind="stable") if excess[day] > 1e-9]
    weeks = {week_of(day) for day in bad_days}
    days_of = {week: range(week * DAYS_PER_WEEK, min(request.days, (week + 1) * DAYS_PER_WEEK)) for week in weeks}
    windows = [[(day, slot) for slot in slots] for day in bad_days]
    windows += [[(day, slot) for day in days_of[week]] for week in sorted(weeks) for slot in slots]
    windows += [[(day, slot) for day in (first, other) for slot in slots]
                for first in bad_days for other in days_of[week_of(first)] if other != first]
    for window in windows:
        window = [key for key in window if key in free]
        if window:
            yield window


def _polish(request: PlanRequest, best: PlanSolution, bounds: list[float], *, until: float) -> PlanSolution:
    """Large-neighbourhood search: re-solve a few slots at a time near-exactly (small models, so
    this is quick), the rest fixed, keeping each improvement, until a pass improves nothing."""
    improved = True
    while improved:
        improved = False
        for window in _windows(request, day_scores(request, best.meals) - np.asarray(bounds)):
            remaining = until - time.perf_counter()
            if remaining <= 0:
                return best
            keep = [key for key in best.meals if key not in window and key not in request.fixed]
            part = replace(request, fixed={**request.fixed, **fixed_from(request, best.meals, keep)})
            trial = _solve_once(part, time_limit=min(POLISH_SECONDS_PER_SLOT * len(window), remaining),
                                start=best.meals, day_bounds=bounds, relative_gap=0.0,
                                absolute_gap_per_day=ABSOLUTE_GAP_PER_DAY)
            if trial.found and objective_of(request, trial.meals) < objective_of(request, best.meals) - 1e-9:
                best = replace(best, meals=trial.meals, objective=objective_of(request, trial.meals))
                improved = True
    return best


def _slot_options(request: PlanRequest, day: int, slot: int) -> patterns.SlotOptions:
    candidates = allowed_candidates(request, day, slot)
    steps = np.tile(np.arange(1, MAX_STEPS + 1), len(candidates))
    which = np.repeat(np.arange(len(candidates)), MAX_STEPS)
    amount = (steps * SERVING_STEP)[:, None]
    recipe = candidates.recipe_ids[which]
    return patterns.SlotOptions(
        slot=slot, recipe=recipe, steps=steps, nutrients=candidates.nutrients[which] * amount,
        cost=candidates.costs[which] * amount[:, 0],
        penalty=np.where(recipe == request.previous.get((day, slot), -1), KEEP_PREVIOUS_PENALTY, 0.0),
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
    cap = floor + (upper - floor) * EXACT_FIRST_CAP_SHARE
    while True:
        cap = min(cap, upper)
        listed = _week_under(request, bounds, cap, until=until)
        if listed is None:
            return None
        objective = objective_of(request, listed) if listed else math.inf
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
        key = (_day_key(day_request(request, day)), bounds[day])
        if key not in known:
            room = cap - (sum(bounds) - bounds[day])
            known[key] = patterns.day_patterns(day, [_slot_options(request, day, slot) for slot in slots],
                                               day_search(request, day), room, until=until)
        if known[key] is None:
            return None
        days.append(replace(known[key], day=day))
    if any(len(d.objective) == 0 for d in days):
        return {}
    used, _ = fixed_usage(request)
    rules = patterns.WeekRules(request.max_repeats_per_week, request.allow_leftovers, dict(used))
    status, chosen, _bound = patterns.best_week(days, rules, time_limit=until - time.perf_counter())
    if status == "infeasible":
        return {}
    if status != "optimal":
        return None
    meals = {key: ChosenMeal(meal.recipe_id, meal.servings) for key, meal in request.fixed.items()}
    for listed, index in zip(days, chosen):
        for position, slot in enumerate(listed.slots):
            meals[listed.day, slot] = ChosenMeal(int(listed.recipes[index, position]),
                                                 int(listed.steps[index, position]) * SERVING_STEP)
    return meals


def beam_plan(request: PlanRequest, *, until: float = math.inf) -> PlanSolution:
    """The beam-searched plan (not found when the search gets stuck or a slot has no candidate)."""
    model = _build(request)
    values = model.starting_plan(until) if model is not None else None
    if values is None:
        return PlanSolution("time_limit", {})
    meals = model.chosen(values)
    return PlanSolution("time_limit", meals, objective=objective_of(request, meals))


def solve(request: PlanRequest, *, time_limit: float | None = None, relative_gap: float = DEFAULT_RELATIVE_GAP,
          absolute_gap_per_day: float = ABSOLUTE_GAP_PER_DAY) -> PlanSolution:
    """Best plan for the request; `status` "infeasible" with no meals when the rules cannot all hold.

    The LP bound of the plain model is 0 (fractional servings hit any target), so HiGHS alone
    cannot prove a positive objective optimal and struggles to find plans whose days all land in
    the dead zone. Each day's own optimum bounds the objective from below instead. With few free
    slots a day, the day patterns that could beat the beam-searched plan are few enough to list
    (under a growing cap), and choosing among them proves the optimum (`exact_week`). Otherwise the
    beam-searched plan (or, when the beam search gets stuck, HiGHS's first plan) is polished a day,
    a slot across the week or two days at a time against those bounds (most plans reach them within
    a few re-solves, which proves them optimal), and otherwise a final
    full solve, with the bounds as valid inequalities, reports the status and gap.
    `time_limit=None` runs every phase to its end."""
    started = time.perf_counter()
    limit = math.inf if time_limit is None else time_limit
    gaps = {"relative_gap": relative_gap, "absolute_gap_per_day": absolute_gap_per_day}
    listable = request.most_free_slots_a_day() <= patterns.MAX_FREE_SLOTS
    best = beam_plan(request, until=started + limit * (BEAM_UNTIL_LISTABLE if listable else BEAM_UNTIL))
    if not best.found:
        best = _solve_once(request, time_limit=min(limit * FIRST_SOLVE_SHARE, FIRST_SOLVE_MAX_SECONDS), **gaps)
        if best.status == "optimal" or best.status == "infeasible":
            return best
    if best.found and _proven(best.objective, 0.0, days=request.days, **gaps):
        return _finish(best, "optimal", 0.0, started)
    bounds = day_bounds(request, until=started + limit * BOUND_UNTIL)
    if best.found:
        exact = exact_week(request, best, bounds, until=started + limit * EXACT_UNTIL)
        if exact is not None:
            return _finish(exact, "optimal", exact.bound, started)
        best = _polish(request, best, bounds, until=started + limit * POLISH_UNTIL)
        if _proven(best.objective, sum(bounds), days=request.days, **gaps):
            return _finish(best, "optimal", sum(bounds), started)
    remaining = max(0.05, limit - (time.perf_counter() - started))
    final = _solve_once(request, time_limit=remaining, start=best.meals if best.found else None, day_bounds=bounds,
                        **gaps)
    if best.found and (not final.found or final.objective > best.objective + 1e-9):
        final = replace(final, meals=best.meals, objective=best.objective)
    bound = max(sum(bounds), final.bound or 0.0)
    return _finish(final, final.status, bound, started) if final.found else replace(final, seconds=time.perf_counter() - started)


def _finish(solution: PlanSolution, status: str, bound: float, started: float) -> PlanSolution:
    gap = (solution.objective - bound) / solution.objective if solution.objective > 1e-9 else 0.0
    return replace(solution, status=status, bound=bound, gap=max(0.0, gap), seconds=time.perf_counter() - started)


def is_feasible(request: PlanRequest, *, with_budget: bool = True, time_limit: float | None = None) -> bool:
    """Whether the hard rules can all hold (no objective, so it stops at the first plan found)."""
    model = _Model(request)
    if any(len(s) == 0 for s in model.sets):
        return False
    model.add_hard_rules(with_budget=with_budget)
    highs = model.run(time_limit=time_limit, relative_gap=1.0)
    return _has_solution(highs)


def cheapest_peak_day_cost(request: PlanRequest, *, time_limit: float | None = None) -> float | None:
    """Lowest possible cost of the plan's most expensive day under every rule except the budget."""
    model = _Model(request)
    if any(len(s) == 0 for s in model.sets):
        return None
    model.add_hard_rules(with_budget=False)
    model.add_max_day_cost_objective()
    highs = model.run(time_limit=time_limit, relative_gap=1e-6)
    return highs.getInfo().objective_function_value if _has_solution(highs) else None


def _recipe_lookup(request: PlanRequest) -> dict[int, tuple[np.ndarray, float]]:
    lookup = {}
    for candidates in [*request.candidates.values(), *request.slot_candidates.values()]:
        for rid, nutrients, cost in zip(candidates.recipe_ids, candidates.nutrients, candidates.costs):
            lookup[int(rid)] = (nutrients, cost)
    for meal in request.fixed.values():
        lookup[meal.recipe_id] = (np.asarray(meal.nutrients), meal.cost)
    return lookup


def day_totals(request: PlanRequest, meals: Mapping[tuple[int, int], ChosenMeal]) -> tuple[np.ndarray, np.ndarray]:
    """Per-day nutrient totals (days × 4) and cost of a plan, per person."""
    lookup = _recipe_lookup(request)
    nutrients, costs = np.zeros((request.days, 4)), np.zeros(request.days)
    for (day, _slot), meal in meals.items():
        per_serving, cost = lookup[meal.recipe_id]
        nutrients[day] += per_serving * meal.servings
        costs[day] += cost * meal.servings
    return nutrients, costs


def day_scores(request: PlanRequest, meals: Mapping[tuple[int, int], ChosenMeal]) -> np.ndarray:
    """Each day's share of the nutrition objective."""
    targets = np.maximum(np.asarray(request.targets, dtype=float), 1.0)
    deviation = np.abs(day_totals(request, meals)[0] - targets)
    charged = np.maximum(deviation - DEAD_ZONE * targets, 0) + BAND_PENALTY * np.maximum(deviation - TOLERANCE_BANDS * targets, 0)
    return charged @ (NUTRIENT_WEIGHTS / targets)


def objective_of(request: PlanRequest, meals: Mapping[tuple[int, int], ChosenMeal]) -> float:
    """The MILP's objective for a complete plan, computed directly."""
    kept = sum(request.previous.get(key) == meal.recipe_id for key, meal in meals.items() if key not in request.fixed)
    return float(day_scores(request, meals).sum()) + KEEP_PREVIOUS_PENALTY * kept


def slot_energy_shares(slot_types: tuple[str, ...]) -> dict[str, float]:
    """Share of the day's energy one slot of each meal type should carry."""
    total = sum(MEAL_TYPE_ENERGY_WEIGHT[t] for t in slot_types)
    return {t: MEAL_TYPE_ENERGY_WEIGHT[t] / total for t in set(slot_types)}


def energy_split(candidates: CandidateSet) -> np.ndarray:
    """Share of each recipe's macro energy from protein, fat and carbohydrate (rows sum to 1)."""
    macro_kcal = candidates.nutrients[:, 1:4] * MACRO_KCAL_PER_G
    return macro_kcal / np.maximum(macro_kcal.sum(axis=1, keepdims=True), 1e-9)


def fit_scores(candidates: CandidateSet, *, slot_kcal: float, macro_energy_split: np.ndarray,
               slot_budget: float | None = None) -> np.ndarray:
    """Lower is better: how far a recipe's macro energy split is from the target split, how far
    its nearest allowed serving multiple lands from the slot's energy share, and by how much that
    serving would overspend the slot's share of the budget."""
    macro_distance = np.abs(energy_split(candidates) - macro_energy_split).sum(axis=1)
    kcal = np.maximum(candidates.nutrients[:, KCAL], 1e-9)
    servings = np.clip(np.round(slot_kcal / kcal / SERVING_STEP) * SERVING_STEP, SERVING_STEP, MAX_STEPS * SERVING_STEP)
    energy_error = np.abs(servings * kcal - slot_kcal) / slot_kcal
    scores = macro_distance + energy_error
    if slot_budget is not None:
        scores += np.maximum(servings * candidates.costs / max(slot_budget, 1e-9) - 1, 0)
    return scores


def macro_rich(candidates: CandidateSet, count: int, *, budget: float | None) -> list[int]:
    """Indices of the `count` recipes richest in each macro (share of their energy), and under a
    budget also of those giving the most of it per money: a day short of protein, say, is
    brought back by one of them, which no best-fitting recipe on its own would do."""
    split = energy_split(candidates)
    rankings = [split]
    if budget is not None:
        rankings.append(split * candidates.nutrients[:, KCAL:KCAL + 1] / np.maximum(candidates.costs[:, None], 1e-9))
    return [int(i) for richness in rankings for macro in range(3)
            for i in np.lexsort((candidates.recipe_ids, -richness[:, macro]))[:count]]


def preselect(request: PlanRequest, *, keep: int = 24) -> PlanRequest:
    """Keep the best-fitting recipes per meal type, enough of them for the variety rules to be
    satisfiable, plus the richest in each macro (see `macro_rich`) and, under a budget, the
    cheapest: over a week the variety rules use up the best fits, and these let the days balance."""
    targets = np.asarray(request.targets, dtype=float)
    macro_split = targets[1:4] * MACRO_KCAL_PER_G
    macro_split = macro_split / max(macro_split.sum(), 1e-9)
    shares = slot_energy_shares(request.slot_types)
    slots_per_day = Counter(request.slot_types)
    reduced = {}
    for meal_type, candidates in request.candidates.items():
        weekly_slots = slots_per_day[meal_type] * min(request.days, DAYS_PER_WEEK)
        needed = math.ceil(weekly_slots / request.max_repeats_per_week) + 2 * slots_per_day[meal_type]
        limit = max(keep, needed)
        if len(candidates) <= limit or meal_type not in shares:
            reduced[meal_type] = candidates
            continue
        slot_budget = request.budget * shares[meal_type] if request.budget is not None else None
        scores = fit_scores(candidates, slot_kcal=targets[KCAL] * shares[meal_type], macro_energy_split=macro_split,
                            slot_budget=slot_budget)
        chosen = list(np.lexsort((candidates.recipe_ids, scores))[:limit])
        rich = max(int(limit * MACRO_RICH_SHARE), math.ceil(weekly_slots / request.max_repeats_per_week / 2))
        chosen += macro_rich(candidates, rich, budget=request.budget)
        if request.budget is not None:
            cheap = np.lexsort((candidates.recipe_ids, candidates.costs / np.maximum(candidates.nutrients[:, KCAL], 1e-9)))
            chosen += list(cheap[: limit // 3])
        reduced[meal_type] = candidates.subset(np.unique(chosen))
    return replace(request, candidates=reduced)
