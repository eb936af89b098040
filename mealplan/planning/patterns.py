"""Exact week search over day patterns, for requests with few free slots a day.

The week MILP's LP bound is 0 and the repeat limits link the days, so when the best plan is
above 0 HiGHS can prove nothing on it. With an incumbent plan in hand, though, only day
patterns (a recipe and serving per free slot) cheap enough to appear in a better plan matter:
each costs at most the incumbent minus the other days' lower bounds. With few free slots a day
these patterns can be listed outright (pruned by what the remaining slots can still add), and
choosing one per day under the variety rules is a small set-packing MILP whose LP bound is
tight. Its optimum, or the incumbent when it has no plan, is the proven optimum. Days with the
same patterns (no fixed meals) are interchangeable, and listing them day by day would give HiGHS
the same columns seven times over; it first chooses how many days take each pattern instead.

Plain data in and out, like the planner.
"""

import time
from collections import Counter
from dataclasses import dataclass

import highspy
import numpy as np

from mealplan.planning import rules
from mealplan.planning.objective import DayObjective
from mealplan.planning.types import PlanRequest, week_of

# Listing is tried for days with at most this many free slots (beyond, patterns are too many).
MAX_FREE_SLOTS = 3
# A day with more patterns than this makes the week MILP too slow to solve in the time left: give up.
MAX_PATTERNS = 2_000
# Listing more (partial pattern, option) pairs than this for one slot would take too long: give up.
MAX_EXPANSION = 1_000_000


@dataclass(frozen=True)
class SlotOptions:
    """Every (recipe, serving steps) option of one free slot of a day."""

    slot: int
    recipe: np.ndarray
    steps: np.ndarray
    nutrients: np.ndarray  # (options, 4) for the whole serving
    cost: np.ndarray  # money, whole serving
    penalty: np.ndarray  # objective added by picking the option (keeping a replaced recipe)


@dataclass(frozen=True)
class DayPatterns:
    """The cheap enough patterns of one day: recipes and steps per free slot, objective each."""

    day: int
    slots: tuple[int, ...]
    recipes: np.ndarray  # (patterns, slots)
    steps: np.ndarray  # (patterns, slots)
    objective: np.ndarray  # (patterns,)


def _useful(request: PlanRequest, day: int, options: list[SlotOptions], search: DayObjective, base_cost: float,
            max_objective: float) -> list[SlotOptions]:
    """Each slot's options that can be part of a cheap enough pattern whatever the other slots hold
    (and that the rules allow with the other slots at their cheapest), sorted by energy. A slot
    with no option (the rules left it none) leaves the day without a pattern."""
    if any(o.recipe.size == 0 for o in options):
        return options
    low = search.base_nutrients + sum(o.nutrients.min(axis=0) for o in options)
    high = search.base_nutrients + sum(o.nutrients.max(axis=0) for o in options)
    cheapest = base_cost + sum(o.cost.min() for o in options)
    useful = []
    for o in options:
        others_low, others_high = low - o.nutrients.min(axis=0), high - o.nutrients.max(axis=0)
        floor = search.floor(others_low + o.nutrients, others_high + o.nutrients)
        keep = floor + o.penalty <= max_objective + 1e-9
        alone = rules.PartialDays(day, o.recipe[:, None], base_cost + o.cost, cheapest - base_cost - o.cost.min())
        keep &= rules.keep_partial(request, alone)
        keep = np.flatnonzero(keep)[np.argsort(o.nutrients[keep, 0], kind="stable")]
        useful.append(SlotOptions(o.slot, o.recipe[keep], o.steps[keep], o.nutrients[keep], o.cost[keep],
                                  o.penalty[keep]))
    return useful


def day_patterns(request: PlanRequest, day: int, options: list[SlotOptions], search: DayObjective, base_cost: float,
                 max_objective: float, *, until: float, most: int = MAX_PATTERNS,
                 expansion: int = MAX_EXPANSION) -> DayPatterns | None:
    """Every pattern of the day with objective ≤ max_objective that the rules allow (best servings
    per recipe combination), or None when there are too many partial patterns to list by `until`
    (or more than `expansion` for one slot), or more than `most` patterns."""
    options = _useful(request, day, options, search, base_cost, max_objective)
    low_rest = np.cumsum([o.nutrients.min(axis=0, initial=np.inf) for o in options][::-1], axis=0)[::-1]
    high_rest = np.cumsum([o.nutrients.max(axis=0, initial=-np.inf) for o in options][::-1], axis=0)[::-1]
    cheapest_rest = np.cumsum([o.cost.min(initial=np.inf) for o in options][::-1])[::-1]
    totals, spent, penalty = search.base_nutrients[None, :], np.array([base_cost]), np.zeros(1)
    picked = np.zeros((1, 0), dtype=np.int64)
    for position, slot in enumerate(options):
        rest = position + 1
        low_after = low_rest[rest] if rest < len(options) else np.zeros(4)
        high_after = high_rest[rest] if rest < len(options) else np.zeros(4)
        extensions = _extensions(totals, penalty, slot, low_after, high_after, search, max_objective, expansion)
        if extensions is None or time.perf_counter() > until:
            return None
        parent, option = extensions
        new_recipes = np.hstack([_recipes(options, picked[parent]), slot.recipe[option][:, None]])
        new_totals = totals[parent] + slot.nutrients[option]
        new_spent = spent[parent] + slot.cost[option]
        new_penalty = penalty[parent] + slot.penalty[option]
        low, high = new_totals + low_after, new_totals + high_after
        keep = search.floor(low, high) + new_penalty <= max_objective + 1e-9
        keep &= rules.keep_partial(request, rules.PartialDays(
            day, new_recipes, new_spent, cheapest_rest[rest] if rest < len(options) else 0.0))
        totals, spent, penalty = new_totals[keep], new_spent[keep], new_penalty[keep]
        picked = np.hstack([picked[parent[keep]], option[keep, None]])
    recipes = _recipes(options, picked)
    objective = search.evaluate(totals) + penalty
    order = np.lexsort((objective, *recipes.T[::-1]))
    first = np.ones(len(order), dtype=bool)
    first[1:] = np.any(np.diff(recipes[order], axis=0) != 0, axis=1)
    best = order[first]
    if len(best) > most:
        return None
    steps = np.stack([o.steps[picked[:, j]] for j, o in enumerate(options)], axis=1)
    return DayPatterns(day, tuple(o.slot for o in options), recipes[best], steps[best], objective[best])


def _extensions(totals, penalty, slot: SlotOptions, low_after, high_after, search: DayObjective, max_objective: float,
                most: int = MAX_EXPANSION):
    """(partial pattern, option) pairs whose energy can still end within reach of the target:
    the kcal deviation alone costs its weight beyond the dead zone, so it is at most
    dead zone + room / weight. Options are sorted by energy, so each partial pattern's
    candidates are one contiguous run; None when there are too many pairs to list."""
    reach = search.dead_zone[0] + np.maximum(max_objective - penalty, 0) / search.weights[0] + 1e-9
    needed = search.targets[0] - totals[:, 0]
    first = np.searchsorted(slot.nutrients[:, 0], needed - reach - high_after[0], side="left")
    last = np.searchsorted(slot.nutrients[:, 0], needed + reach - low_after[0], side="right")
    counts = np.maximum(last - first, 0)
    if counts.sum() > most:
        return None
    parent = np.repeat(np.arange(len(totals)), counts)
    option = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(first, counts)
    return parent, option


def _recipes(options: list[SlotOptions], picked: np.ndarray) -> np.ndarray:
    columns = [options[j].recipe[picked[:, j]] for j in range(picked.shape[1])]
    return np.stack(columns, axis=1) if columns else np.zeros((len(picked), 0), dtype=np.int64)


def best_week(days: list[DayPatterns], request: PlanRequest, *, time_limit: float) -> tuple[str, list[int] | None, float]:
    """One pattern per day under the request's rules, least total objective: (status, the
    chosen pattern index per day or None, proven lower bound on that objective)."""
    until = time.perf_counter() + time_limit
    if _interchangeable(days):
        found = _best_multiset(days, request, time_limit=time_limit)
        if found is not None:
            return found
    return _best_per_day(days, request, time_limit=until - time.perf_counter())


def _interchangeable(days: list[DayPatterns]) -> bool:
    """Whether the days are of one week and have the same patterns (no fixed meals among them)."""
    first = days[0]
    return len(days) > 1 and all(
        week_of(d.day) == week_of(first.day) and d.slots == first.slots
        and np.array_equal(d.recipes, first.recipes) and np.array_equal(d.steps, first.steps)
        and np.array_equal(d.objective, first.objective) for d in days[1:])


def _best_multiset(days: list[DayPatterns], request: PlanRequest, *, time_limit: float):
    """`best_week` for interchangeable days, without their symmetry: how many days take each
    pattern (the rules' count rows), then an order of those days that no rule's clash forbids.
    The count problem relaxes the week, so an optimum it can order is the week's optimum;
    None when it cannot be ordered or time runs out (the caller then solves day by day)."""
    patterns = days[0]
    count = len(patterns.objective)
    counted = [rule.count_rows(request, patterns, len(days)) for rule in rules.active_rules(request)]
    if any(rows is None for rows in counted):
        return None
    highs = _highs(_counting_milp(patterns.objective, len(days), *_counting_rows(counted, count, len(days))),
                   time_limit)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, np.inf
    if status != highspy.HighsModelStatus.kOptimal:
        return None
    taken = np.round(highs.getSolution().col_value).astype(int)
    order = _order(days, patterns, Counter({int(p): int(n) for p, n in enumerate(taken) if n > 0}), request)
    if order is None:
        return None
    return "optimal", order, highs.getInfo().mip_dual_bound


def _order(days: list[DayPatterns], patterns: DayPatterns, taken: Counter, request: PlanRequest) -> list[int] | None:
    """A pattern per day using each pattern as often as `taken` says, no pattern following one a
    rule says it clashes with on the day before (depth-first; a week has 7 days)."""
    active = rules.active_rules(request)

    def clash(first: int, second: int) -> bool:
        return any(rule.clash(request, patterns, first, second) for rule in active)

    order = []

    def place(position: int) -> bool:
        if position == len(days):
            return True
        follows = position > 0 and days[position].day == days[position - 1].day + 1
        for pattern in list(taken):
            if taken[pattern] == 0 or (follows and clash(order[-1], pattern)):
                continue
            taken[pattern] -= 1
            order.append(pattern)
            if place(position + 1):
                return True
            order.pop()
            taken[pattern] += 1
        return False

    return order if place(0) else None


def _highs(lp: highspy.HighsLp, time_limit: float) -> highspy.Highs:
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("time_limit", max(time_limit, 0.01))
    highs.passModel(lp)
    return highs


def _best_per_day(days: list[DayPatterns], request: PlanRequest, *, time_limit: float) -> tuple[str, list[int] | None, float]:
    """The set-packing MILP: a pattern per day, and each rule's rows over the days' patterns."""
    offsets = np.cumsum([0] + [len(d.objective) for d in days])
    columns = [np.arange(offsets[i], offsets[i + 1]) for i in range(len(days))]
    starts, index, lower, upper = [0], [], [], []
    one_a_day = [(list(cols), 1.0, 1.0) for cols in columns]
    rule_rows = [(members, -np.inf, most) for rule in rules.active_rules(request)
                 for members, most in rule.week_rows(request, days, columns)]
    for members, low, high in one_a_day + rule_rows:
        index += [int(m) for m in members]
        starts.append(len(index))
        lower.append(low)
        upper.append(high)
    lp = _counting_milp(np.concatenate([d.objective for d in days]), 1.0, starts, index, lower, upper)
    highs = _highs(lp, time_limit)
    highs.run()
    status = highs.getModelStatus()
    bound = highs.getInfo().mip_dual_bound
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None, np.inf
    if highs.getInfo().primal_solution_status != 2:
        return "time_limit", None, bound
    values = np.asarray(highs.getSolution().col_value)
    chosen = [int(np.argmax(values[offsets[i]:offsets[i + 1]])) for i in range(len(days))]
    return ("optimal" if status == highspy.HighsModelStatus.kOptimal else "time_limit"), chosen, bound


def _counting_rows(counted: list, columns: int, days: int) -> tuple[list, list, list, list]:
    """Rows (starts, index, lower, upper) of a counting MILP: the first `columns` columns (how many
    days take each pattern) add up to `days`; then each rule's `count_rows`, at most their limit."""
    starts, index, lower, upper = [0, columns], list(range(columns)), [float(days)], [float(days)]
    for rows in counted:
        for members, most in rows:
            index += members
            starts.append(len(index))
            lower.append(-np.inf)
            upper.append(most)
    return starts, index, lower, upper


def _counting_milp(cost: np.ndarray, most: float, starts: list, index: list, lower: list, upper: list) -> highspy.HighsLp:
    """Integer columns from 0 to `most` with costs `cost`; each row sums its columns
    (`index[starts[r]:starts[r + 1]]`, coefficient 1) between its lower and upper bound."""
    columns = len(cost)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = columns, len(lower)
    lp.col_cost_ = np.asarray(cost, dtype=float)
    lp.col_lower_, lp.col_upper_ = np.zeros(columns), np.full(columns, float(most))
    lp.row_lower_, lp.row_upper_ = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(len(index))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * columns
    return lp


def relaxed_week(days: list[DayPatterns], caps: list[float], request: PlanRequest, *, integer: bool,
                 time_limit: float, counts: bool = True) -> tuple[str, float, list[int] | None]:
    """The week chosen from the listed patterns of each day, where a day may also take "any other
    pattern" at the cost of its cap, `caps[i]` (the listing's cap: no pattern left out costs less),
    counting towards no rule. Every week keeping the rules is a choice here costing at most its
    objective, so the optimum (of the LP relaxation, or of the MILP with `integer`) is a lower bound
    on the week's optimum, which accounts for the rules linking days (the repeat limits above all),
    where the day bounds drop them. A choice taking no such day is a week, and the MILP's optimum
    is then the week's.

    (status, proven lower bound (-inf when none was proven in time), and with `integer` the chosen
    pattern per day when the MILP found a choice taking no such day, else None; without, how many
    days the LP's optimum gives "any other pattern"). Interchangeable days are chosen
    as counts (one window, `count_rows`), then ordered (`_order`), as `best_week` does."""
    until = time.perf_counter() + time_limit
    if counts and _interchangeable(days) and len(set(caps)) == 1:
        counted = [rule.count_rows(request, days[0], len(days)) for rule in rules.active_rules(request)]
        if all(rows is not None for rows in counted):
            found = _relaxed_counts(days, caps[0], request, counted, integer=integer, time_limit=time_limit)
            if found[0] != "unordered":
                return found
            # The best counts take no other pattern but cannot be ordered: day by day (the bound stands).
            status, bound, chosen = relaxed_week(days, caps, request, integer=integer, time_limit=max(
                until - time.perf_counter(), 0.01), counts=False)
            return status, max(bound, found[1]), chosen
    offsets = np.cumsum([0] + [len(d.objective) for d in days])
    columns = [np.arange(offsets[i], offsets[i + 1]) for i in range(len(days))]
    other = offsets[-1] + np.arange(len(days))  # "any other pattern" of each day
    starts, index, lower, upper = [0], [], [], []
    rows = [([*cols, other[i]], 1.0, 1.0) for i, cols in enumerate(columns)]
    rows += [(members, -np.inf, most) for rule in rules.active_rules(request)
             for members, most in rule.week_rows(request, days, columns)]
    for members, low, high in rows:
        index += [int(m) for m in members]
        starts.append(len(index))
        lower.append(low)
        upper.append(high)
    cost = np.concatenate([*(d.objective for d in days), caps])
    status, bound, values = _run_relaxed(_counting_milp(cost, 1.0, starts, index, lower, upper), integer, time_limit)
    if not integer:
        return status, bound, None if values is None else values[other].sum()
    if values is None or values[other].sum() > 0.5:
        return status, bound, None
    return status, bound, [int(np.argmax(values[offsets[i]:offsets[i + 1]])) for i in range(len(days))]


def _relaxed_counts(days: list[DayPatterns], cap: float, request: PlanRequest, counted: list, *, integer: bool,
                    time_limit: float) -> tuple[str, float, list[int] | None]:
    """`relaxed_week` for interchangeable days: how many days take each pattern, or any other."""
    patterns = days[0]
    count = len(patterns.objective)
    lp = _counting_milp(np.append(patterns.objective, cap), len(days), *_counting_rows(counted, count + 1, len(days)))
    status, bound, values = _run_relaxed(lp, integer, time_limit)
    if not integer:
        return status, bound, None if values is None else values[-1]
    if values is None or values[-1] > 0.5:
        return status, bound, None
    taken = np.round(values[:-1]).astype(int)
    order = _order(days, patterns, Counter({int(p): int(n) for p, n in enumerate(taken) if n > 0}), request)
    return ("unordered" if order is None and status == "optimal" else status), bound, order


def _run_relaxed(lp: highspy.HighsLp, integer: bool, time_limit: float) -> tuple[str, float, np.ndarray | None]:
    """(status, proven lower bound or -inf, the column values: the LP's optimum, or the MILP's best
    choice when it found any)."""
    if not integer:
        lp.integrality_ = [highspy.HighsVarType.kContinuous] * lp.num_col_
    highs = _highs(lp, time_limit)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", np.inf, None
    info = highs.getInfo()
    if not integer:
        if status != highspy.HighsModelStatus.kOptimal:
            return "time_limit", -np.inf, None
        return "optimal", info.objective_function_value, np.asarray(highs.getSolution().col_value)
    values = np.asarray(highs.getSolution().col_value) if info.primal_solution_status == 2 else None
    optimal = status == highspy.HighsModelStatus.kOptimal
    return "optimal" if optimal else "time_limit", info.mip_dual_bound, values
