"""A quick first plan to hand the MILP solver as its starting incumbent.

Finding a day whose four totals all land near their targets is a
subset-sum-like search where the LP relaxation gives no guidance (its bound is
0), so HiGHS alone can spend seconds before its first good plan. A beam search
per day (days in order, keeping every rule) usually finds plans
whose deviation is already inside the dead zone; the solver then only has to
confirm them against its bound of 0, or improve on them. The MILP stays the
judge: this only supplies a feasible start.
"""

import math
import time
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np

from mealplan.planning import rules
from mealplan.planning.objective import TIE_DECIMALS, DayObjective, dishes_near
from mealplan.planning.types import PlanRequest

# Partial days kept per slot. On the bench's 4-meal profiles 64 planned as well as 128 (days with
# every macro within 10 %: 425-427 against 420 of 490) in two thirds of the time; 32 did worse (411).
BEAM_WIDTH = 64
# While a day is being built, the search prefers dishes not yet eaten within 7 days: each earlier
# use of an option's dish family there adds this much to a partial day's score (1e-4 is what a
# 10 % energy miss adds to the guide term). A complete day is chosen by the objective's own order
# (`DayObjective.order`: objective, then fewest repeated dishes).
REPEAT_TIE_BREAK = 1e-4
# The day pool (`day_pool`): rounds of the beam search, each keeping this many complete days from
# partial days this wide, each dish the earlier rounds kept adding POOL_DIVERSITY a use (enough to
# trade 1 % of a day's energy beyond the dead zone for a dish not yet in the pool); a pool of a
# few hundred menus takes tenths of a second.
POOL_ROUNDS, POOL_KEEP, POOL_WIDTH, POOL_DIVERSITY = 32, 64, 128, 1e-2
# Options giving less or more than these multiples of a slot's energy share are not tried.
PLAUSIBLE_SHARE = (0.4, 2.0)


@dataclass(frozen=True)
class DayOptions:
    """Every (choice, serving steps) option of one free slot, as arrays."""

    choice: np.ndarray  # index into the model's choices
    steps: np.ndarray
    recipe: np.ndarray
    nutrients: np.ndarray  # (options, 4) for the whole serving
    cost: np.ndarray
    repeats: np.ndarray  # earlier uses of the option's dish family within 7 days


def plausible(options: DayOptions, slot_kcal: float) -> DayOptions:
    """Drop servings far from the slot's energy share (keep all if none is close)."""
    low, high = PLAUSIBLE_SHARE
    keep = (options.nutrients[:, 0] >= low * slot_kcal) & (options.nutrients[:, 0] <= high * slot_kcal)
    if not keep.any():
        return options
    return DayOptions(*(getattr(options, name)[keep] for name in DayOptions.__dataclass_fields__))


def best_day(request: PlanRequest, day: int, slots: list[DayOptions], shares: np.ndarray, search: DayObjective,
             base_cost: float, *, slot_ids: tuple[int, ...], placed: dict,
             width: int = BEAM_WIDTH) -> list[tuple[int, int]] | None:
    """Beam search over the day's free slots (partial days the rules refuse are dropped);
    returns (choice, serving steps) per slot, or None."""
    found = best_days(request, day, slots, shares, search, base_cost, slot_ids=slot_ids, placed=placed, width=width)
    if found is None:
        return None
    slots, picked = found
    return [(int(o.choice[i]), int(o.steps[i])) for o, i in zip(slots, picked[0])]


def best_days(request: PlanRequest, day: int, slots: list[DayOptions], shares: np.ndarray, search: DayObjective,
              base_cost: float, *, slot_ids: tuple[int, ...], placed: dict, width: int = BEAM_WIDTH, keep: int = 1,
              repeat_weight: float = REPEAT_TIE_BREAK) -> tuple[list[DayOptions], np.ndarray] | None:
    """`best_day`'s search keeping the `keep` best complete days: the options it searched (the
    plausible ones) and, per day kept, best first, the option picked in each slot; None if stuck.
    `repeat_weight` is what each earlier use of an option's dish adds to a partial day's score."""
    slots = [plausible(options, share * search.targets[0]) for options, share in zip(slots, shares)]
    totals = search.base_nutrients[None, :]
    costs = np.array([base_cost])
    repeats = np.zeros(1)
    picked = np.zeros((1, 0), dtype=np.int64)
    recipes = np.zeros((1, 0), dtype=np.int64)
    remaining_min_cost = np.concatenate([np.cumsum([o.cost.min() for o in slots][::-1])[::-1][1:], [0.0]])
    eaten_share = 1.0 - shares.sum()
    for position, options in enumerate(slots):
        eaten_share += shares[position]
        new_totals = (totals[:, None, :] + options.nutrients[None, :, :]).reshape(-1, 4)
        new_costs = (costs[:, None] + options.cost[None, :]).reshape(-1)
        new_repeats = (repeats[:, None] + options.repeats[None, :]).reshape(-1)
        parent = np.repeat(np.arange(len(totals)), len(options.choice))
        option = np.tile(np.arange(len(options.choice)), len(totals))
        new_recipes = np.hstack([recipes[parent], options.recipe[option][:, None]])
        kept = rules.keep_partial(request, rules.PartialDays(day, new_recipes, new_costs, remaining_min_cost[position],
                                                             slot_ids[:position + 1], placed))
        if not kept.any():
            return None
        new_totals, new_costs, parent, option = new_totals[kept], new_costs[kept], parent[kept], option[kept]
        new_recipes, new_repeats = new_recipes[kept], new_repeats[kept]
        progress = search.scaled(eaten_share)
        score = (progress.evaluate(new_totals) + 1e-3 * (np.abs(new_totals - progress.targets) @ search.weights)
                 + repeat_weight * new_repeats)
        best = np.argpartition(score, width)[:width] if len(score) > width else np.arange(len(score))
        best = best[np.argsort(score[best], kind="stable")]
        if position == len(slots) - 1:  # complete days: the objective's own order, variety breaking ties
            best = search.order(new_totals, new_repeats, score)[:keep]
        totals, costs, repeats = new_totals[best], new_costs[best], new_repeats[best]
        picked = np.hstack([picked[parent[best]], option[best, None]])
        recipes = new_recipes[best]
    return slots, picked


@dataclass(frozen=True)
class Choices:
    """The model's free slots and their candidate choices (indices are the model's)."""

    slots: list[tuple[int, int]]  # (day, slot) per free slot
    offsets: np.ndarray  # choices of free slot j are offsets[j]:offsets[j+1]
    recipe: np.ndarray
    nutrients: np.ndarray  # per serving
    cost: np.ndarray  # per serving
    shares: np.ndarray  # energy share of each free slot
    low_steps: np.ndarray  # per choice: the serving steps the rules allow
    high_steps: np.ndarray


REPAIR_ROUNDS = 2
# Re-planning one day around the others is worth a much wider beam: it is the day's last chance.
REPAIR_BEAM_WIDTH = 1024


@dataclass
class WeekState:
    """What the search has so far: the request, each day's objective and fixed cost, and the
    recipe placed in every slot (fixed meals and the days planned so far)."""

    request: PlanRequest
    searches: list[DayObjective]
    base_costs: np.ndarray
    placed: dict  # (day, slot) → recipe


def _nearby_families(request: PlanRequest, day: int, placed: dict) -> Counter:
    """`objective.dishes_near` of the meals placed ((day, slot) → recipe: other days' meals and
    fixed ones; `day`'s free slots are never placed while it is planned)."""
    keys = list(placed)
    return dishes_near(request, day, zip((d for d, _slot in keys), request.family_of([placed[k] for k in keys]).tolist()))


def _counts(families: np.ndarray, counter: Counter) -> np.ndarray:
    """counter[family] for each of `families`, as an array."""
    if not counter:
        return np.zeros(len(families))
    keys = np.array(sorted(counter), dtype=np.int64)
    values = np.array([counter[key] for key in keys.tolist()], dtype=float)
    where = np.clip(np.searchsorted(keys, families), 0, len(keys) - 1)
    return np.where(keys[where] == families, values[where], 0.0)


def _day_options(choices: Choices, day: int, state: WeekState, step: float, max_steps: int):
    """Free slots of `day` and their (choice, servings) options the rules still allow there."""
    slots = [j for j, (d, _) in enumerate(choices.slots) if d == day]
    steps = np.arange(1, max_steps + 1)
    nearby = _nearby_families(state.request, day, state.placed)
    options = []
    for j in slots:
        slot = choices.slots[j][1]
        indices = np.arange(choices.offsets[j], choices.offsets[j + 1])
        blocked = rules.blocked(state.request, day, slot, state.placed)
        if blocked:
            indices = indices[~np.isin(choices.recipe[indices], list(blocked))]
        if len(indices) == 0:
            return slots, None
        choice, serving = np.repeat(indices, max_steps), np.tile(steps, len(indices))
        allowed = (serving >= choices.low_steps[choice]) & (serving <= choices.high_steps[choice])
        choice, serving = choice[allowed], serving[allowed]
        amount = serving * step
        recipes = choices.recipe[choice]
        repeats = _counts(state.request.family_of(recipes), nearby)
        options.append(DayOptions(choice=choice, steps=serving, recipe=recipes, repeats=repeats,
                                  nutrients=choices.nutrients[choice] * amount[:, None], cost=choices.cost[choice] * amount))
    return slots, options


def _plan_day(choices, state: WeekState, day, step, max_steps, width=BEAM_WIDTH):
    slots, options = _day_options(choices, day, state, step, max_steps)
    if not slots:
        return slots, [], 0.0
    if options is None:
        return slots, None, float("inf")
    search = state.searches[day]
    picks = best_day(state.request, day, options, choices.shares[slots], search, state.base_costs[day],
                     slot_ids=tuple(choices.slots[j][1] for j in slots), placed=state.placed, width=width)
    if picks is None:
        return slots, None, float("inf")
    return slots, picks, _score(choices, state, day, picks, step)


def _score(choices, state: WeekState, day, picks, step) -> float:
    search = state.searches[day]
    totals = search.base_nutrients + sum(choices.nutrients[i] * steps * step for i, steps in picks)
    return float(search.evaluate(totals[None, :])[0])


def _book(choices, state: WeekState, slots, picks, sign):
    for j, (i, _steps) in zip(slots, picks):
        if sign > 0:
            state.placed[choices.slots[j]] = int(choices.recipe[i])
        else:
            state.placed.pop(choices.slots[j], None)


def starting_plan(choices: Choices, state: WeekState, *, step: float, max_steps: int,
                  until: float = math.inf) -> list[tuple[int, int]] | None:
    """Days planned in order, then off-target days re-planned around the others with a wider
    beam (by `until`); None if stuck."""
    plan = {}
    for day in range(len(state.searches)):
        slots, picks, score = _plan_day(choices, state, day, step, max_steps)
        if picks is None:
            return None
        _book(choices, state, slots, picks, +1)
        plan[day] = (slots, picks, score)
    return _repair(choices, state, plan, step=step, max_steps=max_steps, until=until, rounds=REPAIR_ROUNDS)


def improved_plan(choices: Choices, state: WeekState, picks: list[tuple[int, int]], *, step: float, max_steps: int,
                  until: float = math.inf) -> list[tuple[int, int]]:
    """A plan keeping the rules (one (choice, steps) per free slot, say HiGHS's first plan, whose
    objective is anything) with its off-target days re-planned around the others, worst first,
    round after round while that improves it (by `until`): each day at least keeps its own meals."""
    plan = _booked(choices, state, picks, step)
    return _repair(choices, state, plan, step=step, max_steps=max_steps, until=until, rounds=len(plan))


def varied_plan(choices: Choices, state: WeekState, picks: list[tuple[int, int]], *, step: float, max_steps: int,
                until: float = math.inf) -> list[tuple[int, int]]:
    """A plan keeping the rules with each day that eats a dish eaten within 7 days before (or
    after) re-planned around the others, kept when it scores as well and repeats fewer dishes:
    the objective's tie-break for variety, for plans the MILP or the pattern search found, which
    know nothing of it."""
    plan = _booked(choices, state, picks, step)
    for day, (slots, old_picks, score) in plan.items():
        if time.perf_counter() > until:
            break
        _book(choices, state, slots, old_picks, -1)
        old_repeats = _repeats(choices, state, day, old_picks)
        if old_repeats:
            _, new_picks, new_score = _plan_day(choices, state, day, step, max_steps)
            if (new_picks is not None and round(new_score, TIE_DECIMALS) <= round(score, TIE_DECIMALS)
                    and _repeats(choices, state, day, new_picks) < old_repeats):
                plan[day] = (slots, new_picks, new_score)
        _book(choices, state, *plan[day][:2], +1)
    return [pick for _slots, picks, _score in plan.values() for pick in picks]


def day_pool(choices: Choices, state: WeekState, day: int, *, step: float, max_steps: int,
             until: float = math.inf) -> tuple[tuple[int, ...], np.ndarray, np.ndarray, np.ndarray] | None:
    """Many good, varied complete menus for `day` on its own (next to the fixed meals only), for
    the week to be chosen from them under the rules that link days (`patterns.best_week`): the
    beam search, round after round, each keeping its POOL_KEEP best days and counting the dishes
    earlier rounds kept as eaten nearby, weighted POOL_DIVERSITY, so that the next round prefers
    others; one day's best menus alone share a few dishes, which the repeat limits then forbid
    the week to take more than a few times. Rounds stop at `until`. Returns (slots, recipes,
    serving steps, objective) with a row per menu (at its best servings), or None when the day has
    no free slot or the search gets stuck."""
    slots, options = _day_options(choices, day, state, step, max_steps)
    if not slots or options is None:
        return None
    kept, used = [], Counter()
    for _ in range(POOL_ROUNDS):
        if kept and time.perf_counter() > until:
            break
        counted = [replace(o, repeats=o.repeats + _counts(state.request.family_of(o.recipe), used)) for o in options]
        found = best_days(state.request, day, counted, choices.shares[slots], state.searches[day], state.base_costs[day],
                          slot_ids=tuple(choices.slots[j][1] for j in slots), placed=state.placed, width=POOL_WIDTH,
                          keep=POOL_KEEP, repeat_weight=POOL_DIVERSITY)
        if found is None:
            return None
        searched, picked = found
        columns = [(o.recipe[picked[:, k]], o.steps[picked[:, k]], o.nutrients[picked[:, k]])
                   for k, o in enumerate(searched)]
        totals = state.searches[day].base_nutrients + sum(nutrients for _, _, nutrients in columns)
        kept.append((np.stack([r for r, _, _ in columns], axis=1), np.stack([s for _, s, _ in columns], axis=1),
                     state.searches[day].evaluate(totals)))
        used.update(state.request.family_of(kept[-1][0].ravel()).tolist())
    recipes, steps, objective = (np.concatenate([part[k] for part in kept]) for k in range(3))
    order = np.argsort(objective, kind="stable")  # a menu (its recipes) once, at its best servings
    best = order[np.sort(np.unique(recipes[order], axis=0, return_index=True)[1])]
    return tuple(choices.slots[j][1] for j in slots), recipes[best], steps[best], objective[best]


def _booked(choices, state: WeekState, picks, step) -> dict:
    """(slots, picks, score) per day of a plan given as one pick per free slot, booked in `state`."""
    plan = {}
    for day in range(len(state.searches)):
        slots = [j for j, (d, _) in enumerate(choices.slots) if d == day]
        day_picks = [picks[j] for j in slots]
        _book(choices, state, slots, day_picks, +1)
        plan[day] = (slots, day_picks, _score(choices, state, day, day_picks, step) if slots else 0.0)
    return plan


def _repeats(choices, state: WeekState, day, picks) -> float:
    """Meals of `day` (not booked) whose dish is eaten within 7 days on another day."""
    families = state.request.family_of([int(choices.recipe[i]) for i, _steps in picks])
    return float(_counts(families, _nearby_families(state.request, day, state.placed)).astype(bool).sum())


def _repair(choices, state: WeekState, plan: dict, *, step, max_steps, until, rounds) -> list[tuple[int, int]]:
    for _ in range(rounds):
        improved = False
        for day, (slots, picks, score) in sorted(plan.items(), key=lambda item: -item[1][2]):
            if score <= 0 or time.perf_counter() > until:
                break
            _book(choices, state, slots, picks, -1)
            _, new_picks, new_score = _plan_day(choices, state, day, step, max_steps, REPAIR_BEAM_WIDTH)
            if new_picks is not None and new_score < score:
                plan[day], improved = (slots, new_picks, new_score), True
            _book(choices, state, *plan[day][:2], +1)
        if not improved:
            break
    return [pick for _slots, picks, _score in plan.values() for pick in picks]
