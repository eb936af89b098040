"""The hard rules of a plan, one class each, registered in `RULES`.

Like Django's password validators, a rule is a small class the solvers only reach through one
interface; adding a rule is writing one class and adding it to `RULES`. Each rule:

- `add_rows(model)`: its constraints in the week MILP (`milp.Model`);
- `blocked(request, day, slot, placed)`: recipes it forbids in a slot given the meals already
  placed elsewhere (fixed meals, or the days the beam search has planned so far);
- `keep_partial(request, partial)`: which partly planned days it still allows (beam and
  pattern searches build a day slot by slot);
- `servings(request, meal_type, candidates)`: the serving steps it allows per candidate (the
  MILP's servings bounds, the searches' options; a candidate with none is not offered);
- `week_rows`, `count_rows`, `clash`: its constraints in the pattern search's week choice
  (day by day, as counts of interchangeable days (None: not expressible so), and between
  consecutive days);
- `relax(request)` and `reasons(request)`: the same request without the rule, and plain words
  saying why the rule makes a plan impossible (the explainer tries relaxing rules one by one).

A rule is off when `request.relaxed` names it, or when the request does not ask for it.
"""

import math
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from mealplan.planning.types import (
    DAYS_PER_WEEK, KCAL, MAX_STEPS, SERVING_STEP, CandidateSet, PlanRequest, day_totals, fixed_day_totals, week_of,
)

# Share of the day's energy target a meal of each type may carry, by meals a day: wide enough
# that the bands' sums cover 100 %, narrow enough that no meal is a whole day's food.
DEFAULT_ENERGY_BANDS = {
    2: {"breakfast": (0.30, 0.50), "dinner": (0.50, 0.70)},
    3: {"breakfast": (0.20, 0.35), "lunch": (0.25, 0.40), "dinner": (0.30, 0.45)},
    4: {"breakfast": (0.20, 0.30), "lunch": (0.25, 0.40), "dinner": (0.25, 0.40), "snack": (0.05, 0.15)},
    5: {"breakfast": (0.20, 0.30), "lunch": (0.25, 0.35), "dinner": (0.25, 0.35), "snack": (0.05, 0.15)},
    6: {"breakfast": (0.15, 0.25), "lunch": (0.20, 0.30), "dinner": (0.20, 0.30), "snack": (0.05, 0.15)},
}

# Most grams one person's meal of each type may weigh on a day of up to MASS_CEILING_KCAL, by meals
# a day: a big plate, not a day's food in one bowl (a 1.18 kg yogurt parfait is no breakfast,
# whatever its energy). Two meals a day are bigger meals; a larger energy target raises the
# ceilings in proportion (a 3,000 kcal day eats half as much again).
DEFAULT_MASS_CEILINGS = {
    2: {"breakfast": 900.0, "lunch": 1300.0, "dinner": 1300.0, "snack": 400.0},
    3: {"breakfast": 700.0, "lunch": 900.0, "dinner": 1000.0, "snack": 400.0},
}
MASS_CEILING_KCAL = 2000.0


@dataclass(frozen=True)
class PartialDays:
    """Partly planned versions of one day (rows); the last recipe column is the slot just added."""

    day: int
    recipes: np.ndarray  # (n, slots so far)
    cost: np.ndarray  # (n,) spent so far, the day's fixed meals included
    rest_cost: float  # the least the day's slots still to plan can cost
    slots: tuple[int, ...] = ()  # the slot of each recipe column (when known)
    placed: Mapping = field(default_factory=dict)  # (day, slot) → recipe on the other days planned so far


def money(amount: float) -> str:
    return f"{amount:,.2f}"


class Rule:
    name = ""
    links_days = False  # whether it ties days together (a day planned alone drops such rules)
    # Kept only while the catalog allows: when no plan keeps it the solver drops it, the rules of
    # the lowest stage first (1, 2 …; 0 never yields).
    yields = 0
    yielded = ""  # what the plan says when the rule yielded

    def active(self, request: PlanRequest) -> bool:
        return self.name not in request.relaxed

    def relax(self, request: PlanRequest) -> PlanRequest:
        return replace(request, relaxed=request.relaxed | {self.name})

    def add_rows(self, model) -> None:
        """Add this rule's constraints to the week MILP."""

    def blocked(self, request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
        return set()

    def keep_partial(self, request: PlanRequest, partial: PartialDays) -> np.ndarray | None:
        """Mask over `partial`'s rows, or None when the rule does not look inside a day."""
        return None

    def servings(self, request: PlanRequest, meal_type: str, candidates: CandidateSet):
        """(lowest, highest) serving steps allowed per candidate, or None when it does not limit them."""
        return None

    def week_rows(self, request: PlanRequest, days: list, columns: list[np.ndarray]) -> list[tuple[list[int], float]]:
        """Rows (pattern columns, upper bound on their sum) over the listed days' patterns."""
        return []

    def count_rows(self, request: PlanRequest, patterns, days: int) -> list[tuple[list[int], float]] | None:
        """Rows (pattern indices, upper bound on how many days take them) for interchangeable days,
        or None when counts cannot express the rule (the days are then chosen one by one)."""
        return []

    def clash(self, request: PlanRequest, patterns, first: int, second: int) -> bool:
        """Whether pattern `second` may not follow pattern `first` on the next day."""
        return False

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        return []

    def listable(self, request: PlanRequest) -> bool:
        """Whether `week_rows` / `count_rows` / `clash` express the rule (else no pattern search)."""
        return True

    def obviously_broken(self, request: PlanRequest) -> bool:
        """Whether a quick look shows no plan can keep this rule (checked before any search: the
        request is refused, or, for a rule that yields, planned without it)."""
        return False


class FixedMealsRule(Rule):
    """Locked (and, in a partial re-solve, kept) meals stay as they are. The model treats them as
    constants; this rule only explains them and can unlock them all."""

    name = "fixed"

    def active(self, request: PlanRequest) -> bool:
        return bool(request.fixed) and super().active(request)

    def relax(self, request: PlanRequest) -> PlanRequest:
        return replace(request, fixed={}, slot_candidates={})

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        _, costs = day_totals(request, request.fixed)
        if request.budget is not None:
            over = [day for day in range(request.days) if costs[day] > request.budget + 1e-9]
            if over:
                return [f"Your locked meals on day {day + 1} cost {money(costs[day])}, over your daily budget "
                        f"of {money(request.budget)}." for day in over]
        return ["Your locked or kept meals leave no way to meet your rules for the rest of the plan: unlock some of them."]


class BudgetRule(Rule):
    """A day's meals cost at most the daily budget (per person)."""

    name = "budget"

    def active(self, request: PlanRequest) -> bool:
        return request.budget is not None and super().active(request)

    def add_rows(self, model) -> None:
        _, fixed_costs = fixed_day_totals(model.request)
        for day in range(model.request.days):
            choices = np.flatnonzero(model.day_of == day)
            model.add_row(model.n[choices], model.cost_of[choices] * SERVING_STEP,
                          upper=model.request.budget - fixed_costs[day])

    def keep_partial(self, request: PlanRequest, partial: PartialDays) -> np.ndarray:
        return self.keeps(request, partial.cost + partial.rest_cost)

    def keeps(self, request: PlanRequest, spent) -> np.ndarray:
        """Which of the day costs `spent` the budget allows: one person's day, or a household's
        (every eater's portions against the household's budget, `planning.household`)."""
        return np.asarray(spent) <= request.budget + 1e-9

    def below(self, request: PlanRequest, cheapest: float, people: int = 1) -> str:
        """The budget named as the reason: below the cheapest day (of `people` eating together)."""
        if people > 1:
            return (f"A budget of {money(request.budget / people)} a person a day ({money(request.budget)} for "
                    f"{people}) is below the cheapest day that meets everyone's rules ({money(cheapest)}).")
        return f"A budget of {money(request.budget)} a day is below the cheapest day that meets your rules ({money(cheapest)})."

    def obviously_broken(self, request: PlanRequest) -> bool:
        """Some day costs more than the budget even with the cheapest serving allowed in each slot."""
        _, costs = fixed_day_totals(request)
        for day, slot in request.free_slots():
            candidates = request.candidates_for(day, slot)
            low, high = servings(request, request.slot_types[slot], candidates)
            allowed = low <= high
            costs[day] += (candidates.costs[allowed] * low[allowed]).min(initial=np.inf) * SERVING_STEP
        return not self.keeps(request, costs).all()

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        from mealplan.planning.explain import cheapest_peak_day_cost

        cheapest = cheapest_peak_day_cost(self.relax(request), time_limit=time_limit, enough=request.budget + 1e-9)
        if cheapest is None or cheapest <= request.budget + 1e-9:
            return [f"A budget of {money(request.budget)} a day is too low for a plan that meets your other rules."]
        return [self.below(request, cheapest)]


def _families_counted(request: PlanRequest, name: str) -> bool:
    """Whether the dish-family rule `name` is on, which counts what its per-recipe rule counts and more."""
    return request.has_families() and name not in request.relaxed


class WeeklyRepeatRule(Rule):
    """A recipe is used at most `max_repeats_per_week` times in any 7 consecutive days, the days of
    the previous plan (`request.history`) included. Off while `FamilyRepeatRule` counts its family
    under the same limit (its rows then cover these)."""

    name = "weekly_repeats"
    links_days = True

    def active(self, request: PlanRequest) -> bool:
        covered = (_families_counted(request, FamilyRepeatRule.name)
                   and FamilyRepeatRule().limit(request) == request.max_repeats_per_week)
        return super().active(request) and not covered

    def keys(self, request: PlanRequest, recipe_ids) -> np.ndarray:
        """What is counted for each recipe (array of the same shape)."""
        return np.asarray(recipe_ids, dtype=np.int64)

    def earlier(self, request: PlanRequest) -> list[tuple[int, int]]:
        """(day, key) of each meal eaten before the plan."""
        return [(meal.day, meal.recipe_id) for meal in request.history]

    def members(self, request: PlanRequest, keys) -> set[int]:
        """The recipes counted under `keys`."""
        return set(keys)

    def _left(self, request: PlanRequest, placed: dict) -> dict:
        """(window start, key) → uses still allowed, for keys already placed or eaten in that window
        (a leftover lunch is its dinner's use)."""
        placed = {key: recipe for key, recipe in placed.items() if request.leftovers_of(*key) is None}
        keys = self.keys(request, list(placed.values())).tolist()
        eaten = [*zip((day for day, _slot in placed), keys), *self.earlier(request)]
        used = Counter((window.start, key) for day, key in eaten for window in request.repeat_windows() if day in window)
        limit = self.limit(request)
        return {key: max(0, limit - uses) for key, uses in used.items()}

    def add_rows(self, model) -> None:
        request = model.request
        left = self._left(request, request.fixed_recipes())
        keys = self.keys(request, model.recipe_of).tolist()
        groups = defaultdict(list)
        leftover = np.array([request.leftovers_of(int(d), int(s)) is not None
                             for d, s in zip(model.day_of, model.slot_of)], dtype=bool)
        for window in request.repeat_windows():
            inside = (model.day_of >= window.start) & (model.day_of < window.stop) & ~leftover
            for i in np.flatnonzero(inside).tolist():
                groups[window.start, keys[i]].append(i)
        for key, choices in groups.items():
            limit = left.get(key, self.limit(request))
            if len(choices) > limit:
                model.add_row(model.x[choices], np.ones(len(choices)), upper=limit)

    def blocked(self, request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
        """What is used up within 7 days of `day`, and what meal types with no use to spare
        still need (`_spare`): say 8 dinner dishes, each once a week, for 7 dinners, and lunch
        has taken one of them: the other 7 are kept for the dinners, which day-by-day searches
        would otherwise reach with no dish left."""
        if request.leftovers_of(day, slot) is not None:
            return set()  # the dinner's use
        placed = {key: recipe for key, recipe in placed.items() if key != (day, slot)}
        left = self._left(request, placed)
        used_up = {key for (start, key), remaining in left.items() if remaining == 0 and start <= day < start + DAYS_PER_WEEK}
        kept = set().union(*(keys for types, keys, spare in self._spare(request, placed, day, left)
                             if spare <= 0 and request.slot_types[slot] not in types))
        return self.members(request, used_up | kept) if used_up or kept else set()

    def keep_partial(self, request: PlanRequest, partial: PartialDays) -> np.ndarray | None:
        """A partly planned day whose meals take more of what other meal types need than they
        can spare (`_spare`) is dropped: `blocked` looks at one meal at a time."""
        if len(partial.slots) != partial.recipes.shape[1] or len(partial.slots) < 2 or not self._watched(request):
            return None
        day_slots = {(partial.day, slot) for slot in partial.slots}
        placed = {key: recipe for key, recipe in partial.placed.items() if key not in day_slots}
        keep = np.ones(len(partial.recipes), dtype=bool)
        for types, needed, spare in self._spare(request, placed, partial.day, self._left(request, placed)):
            outside = [column for column, slot in enumerate(partial.slots) if request.slot_types[slot] not in types]
            if len(outside) > spare:
                keys = self.keys(request, partial.recipes[:, outside])
                keep &= np.isin(keys, list(needed)).sum(axis=1) <= spare
        return keep

    def offered(self, request: PlanRequest) -> dict[tuple[str, ...], frozenset[int]]:
        """The keys each set of meal types' candidates offer (`PlanRequest.offered`)."""
        return {types: recipes for types, (recipes, _dishes) in request.offered().items()}

    def _watched(self, request: PlanRequest) -> dict[tuple[str, ...], frozenset[int]]:
        """The sets of meal types `_spare` looks at: every meal of a window takes at most one use
        of a set's keys, so a set with more uses than a window has meals (the previous plan's
        included) never runs short."""
        meals, limit = DAYS_PER_WEEK * len(request.slot_types) + len(request.history), self.limit(request)
        return {types: keys for types, keys in self.offered(request).items() if len(keys) * limit <= meals}

    def _spare(self, request: PlanRequest, placed: dict, day: int, left: dict) -> list[tuple[tuple, frozenset, int]]:
        """For each 7-day window holding `day` and each set of meal types: (the types, the keys
        their candidates offer, how many uses of those keys are left (`left`, `_left` of
        `placed`) beyond the meals of those types still to plan there). Below 0 no plan keeps the
        limit (the counting of `PlanRequest.fewest_dish_uses`, with what is placed: Hall's
        condition); at 0 every use left is needed by those meal types. Meals chosen by hand and
        leftover lunches are not counted."""
        limit, spare, watched = self.limit(request), [], self._watched(request)
        for window in request.repeat_windows() if watched else ():
            if day not in window:
                continue
            to_plan = Counter(request.slot_types[s] for d, s in request.free_slots() if d in window
                              and (d, s) not in placed and (d, s) not in request.slot_candidates
                              and request.leftovers_of(d, s) is None)
            taken = {key: limit - remaining for (start, key), remaining in left.items() if start == window.start}
            for types, keys in watched.items():
                needed = sum(to_plan[t] for t in types)
                if needed:
                    used = sum(uses for key, uses in taken.items() if key in keys)
                    spare.append((types, keys, len(keys) * limit - used - needed))
        return spare

    def week_rows(self, request, days, columns):
        left = self._left(request, request.fixed_recipes())
        groups = defaultdict(list)
        for listed, cols in zip(days, columns):
            keys = self.keys(request, listed.recipes)
            starts = [window.start for window in request.repeat_windows() if listed.day in window]
            for position in range(len(listed.slots)):
                for column, key in zip(cols, keys[:, position].tolist()):
                    for start in starts:
                        groups[start, key].append(column)
        limit = self.limit(request)
        return [(members, float(left.get(key, limit))) for key, members in groups.items()
                if len(members) > left.get(key, limit)]

    def count_rows(self, request, patterns, days):
        """Counts describe the rule only when one window holds every day (no earlier days, at most 7)."""
        windows = request.repeat_windows()
        if len(windows) != 1:
            return None
        left = self._left(request, request.fixed_recipes())
        uses = defaultdict(list)
        for index, row in enumerate(self.keys(request, patterns.recipes).tolist()):
            for key in row:
                uses[key].append(index)
        rows = []
        for key, members in uses.items():
            limit = left.get((windows[0].start, key), self.limit(request))
            if len(members) * days > limit:
                rows.append((members, float(limit)))
        return rows

    def limit(self, request: PlanRequest) -> int:
        return request.max_repeats_per_week

    def available(self, request: PlanRequest, meal_type: str) -> int:
        return len(set(self.keys(request, request.candidates[meal_type].recipe_ids).tolist()))

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        """Meal types with too few recipes for the repeat limits."""
        per_day = Counter(request.slot_types)
        open_types = {request.slot_types[slot] for _day, slot in request.free_slots()}
        reasons = []
        for meal_type, slots in per_day.items():
            if meal_type not in open_types:
                continue
            available = self.available(request, meal_type)
            per_week = slots * min(request.days, 7)
            needed = max(math.ceil(per_week / request.max_repeats_per_week), slots)
            if not request.allow_leftovers and request.days > 1:
                needed = max(needed, 2 * slots)
            if available < needed:
                reasons.append(
                    f"Only {available} different {meal_type} dish{'es' if available != 1 else ''} fit your rules, too few for "
                    f"{per_week} {meal_type}s a week with each recipe at most {request.max_repeats_per_week} "
                    f"time{'s' if request.max_repeats_per_week != 1 else ''} in any 7 days"
                    f"{'' if request.allow_leftovers else ' and never on consecutive days'}: "
                    "allow more repeats or leftovers."
                )
        return reasons or ["Too few different recipes fit your rules for this much variety: allow more repeats or leftovers."]


class FamilyRepeatRule(WeeklyRepeatRule):
    """Near-duplicates count together: a dish family (title stem + main protein, `meals.families`)
    is used at most `max_repeats_per_week` times in any 7 consecutive days, the previous plan's
    included, the limit raised where a meal type has too few dishes (`limit`). Kept while the
    catalog allows (`yields`): when no plan keeps it, the limit counts recipes."""

    name = "family_repeats"
    yields = 1
    yielded = ("Too few different dishes fit your rules to count variants of one dish together: the repeat limit "
               "counts recipes in this plan.")

    def active(self, request: PlanRequest) -> bool:
        return Rule.active(self, request) and request.has_families()

    def limit(self, request: PlanRequest) -> int:
        """The repeat limit, raised to what the candidates force where meal types have too few
        dishes for it (`PlanRequest.fewest_dish_uses`: say 3 vegan breakfast dishes for 7
        breakfasts, each at most 3 times rather than no limit on dishes; or 14 lunches and dinners
        from 5 dishes shared by both, at most 3 times where each meal type alone would ask 2)."""
        return max(request.max_repeats_per_week, request.fewest_dish_uses())

    def keys(self, request: PlanRequest, recipe_ids) -> np.ndarray:
        return request.family_of(recipe_ids)

    def earlier(self, request: PlanRequest) -> list[tuple[int, int]]:
        return [(meal.day, meal.family) for meal in request.history]

    def members(self, request: PlanRequest, keys) -> set[int]:
        return request.recipes_in(keys)

    def offered(self, request: PlanRequest) -> dict[tuple[str, ...], frozenset[int]]:
        return {types: dishes for types, (_recipes, dishes) in request.offered().items()}


class OncePerDayRule(Rule):
    """A recipe is never eaten twice in one day. Off while `FamilyOncePerDayRule` counts its family."""

    name = "once_per_day"

    def active(self, request: PlanRequest) -> bool:
        return super().active(request) and not _families_counted(request, FamilyOncePerDayRule.name)

    def keys(self, request: PlanRequest, recipe_ids) -> np.ndarray:
        return np.asarray(recipe_ids, dtype=np.int64)

    def members(self, request: PlanRequest, keys) -> set[int]:
        return set(keys)

    def add_rows(self, model) -> None:
        keys = self.keys(model.request, model.recipe_of).tolist()
        groups = defaultdict(list)
        for i in range(model.num_choices):
            groups[int(model.day_of[i]), keys[i]].append(i)
        for choices in groups.values():
            if len(choices) > 1:
                model.add_row(model.x[choices], np.ones(len(choices)), upper=1)

    def blocked(self, request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
        today = [recipe for (d, s), recipe in placed.items() if d == day and s != slot]
        return self.members(request, set(self.keys(request, today).tolist())) if today else set()

    def keep_partial(self, request: PlanRequest, partial: PartialDays) -> np.ndarray:
        keys = self.keys(request, partial.recipes)
        return np.all(keys[:, :-1] != keys[:, -1:], axis=1)

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        return ["Too few recipes fit your rules to fill every meal of the day with a different recipe."]


class FamilyOncePerDayRule(OncePerDayRule):
    """A dish (a recipe with its near-duplicates) is never eaten twice in one day, while the
    catalog allows (`yields`)."""

    name = "family_once_per_day"
    yields = 1
    yielded = "Too few different dishes fit your rules for a different dish at every meal of a day."

    def active(self, request: PlanRequest) -> bool:
        return Rule.active(self, request) and request.has_families()

    def keys(self, request: PlanRequest, recipe_ids) -> np.ndarray:
        return request.family_of(recipe_ids)

    def members(self, request: PlanRequest, keys) -> set[int]:
        return request.recipes_in(keys)

    def obviously_broken(self, request: PlanRequest) -> bool:
        per_day = Counter(request.slot_types)
        return any(len(set(request.candidates[t].family_ids().tolist())) < n for t, n in per_day.items()
                   if t in request.candidates)

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        return ["Too few different dishes fit your rules to fill every meal of the day with a different dish."]


class NoConsecutiveSlotRule(Rule):
    """The same recipe is not in the same slot on consecutive days, unless leftovers are allowed."""

    name = "no_consecutive_slot"
    links_days = True

    def active(self, request: PlanRequest) -> bool:
        return not request.allow_leftovers and super().active(request)

    def add_rows(self, model) -> None:
        position = {(int(model.day_of[i]), int(model.slot_of[i]), int(model.recipe_of[i])): i
                    for i in range(model.num_choices)}
        for (day, slot, recipe_id), i in position.items():
            following = position.get((day + 1, slot, recipe_id))
            if following is not None:
                model.add_row(model.x[[i, following]], [1, 1], upper=1)

    def blocked(self, request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
        return {placed[neighbour, slot] for neighbour in (day - 1, day + 1) if (neighbour, slot) in placed}

    def week_rows(self, request, days, columns):
        groups = defaultdict(list)
        for listed, cols in zip(days, columns):
            for position, slot in enumerate(listed.slots):
                for column, recipe in zip(cols, listed.recipes[:, position]):
                    groups[listed.day, slot, int(recipe)].append((listed.day, column))
                    groups[listed.day - 1, slot, int(recipe)].append((listed.day, column))
        return [([column for _, column in members], 1.0) for members in groups.values()
                if len({day for day, _ in members}) > 1]

    def clash(self, request, patterns, first, second):
        return bool(np.any(patterns.recipes[first] == patterns.recipes[second]))

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        return ["Too few recipes fit your rules to avoid the same meal on consecutive days: allow leftovers."]


class EnergyBandRule(Rule):
    """A meal carries a share of the day's energy target within its meal type's band (breakfast
    20–30 % of a 4-meal day, say): a serving outside it is not offered, so no breakfast is half a day."""

    name = "energy_band"

    def bands(self, request: PlanRequest) -> dict[str, tuple[float, float]]:
        if request.energy_bands is not None:
            return dict(request.energy_bands)
        return DEFAULT_ENERGY_BANDS.get(len(request.slot_types), {})

    def servings(self, request: PlanRequest, meal_type: str, candidates: CandidateSet):
        band = self.bands(request).get(meal_type)
        if band is None:
            return None
        day_kcal = max(float(request.targets[KCAL]), 1.0)
        step_kcal = np.maximum(candidates.nutrients[:, KCAL] * SERVING_STEP, 1e-9)
        low = np.maximum(np.ceil(band[0] * day_kcal / step_kcal - 1e-9), 1)
        high = np.minimum(np.floor(band[1] * day_kcal / step_kcal + 1e-9), MAX_STEPS)
        return low.astype(np.int64), high.astype(np.int64)

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        day_kcal = float(request.targets[KCAL])
        reasons = []
        for meal_type, (low, high) in self.bands(request).items():
            candidates = request.candidates.get(meal_type)
            if meal_type not in request.slot_types or candidates is None or len(candidates) == 0:
                continue
            lowest, highest = self.servings(request, meal_type, candidates)
            if not np.any(lowest <= highest):
                reasons.append(f"No {meal_type} recipe that fits your rules makes {low:.0%}–{high:.0%} of your "
                               f"{day_kcal:,.0f} kcal day ({low * day_kcal:,.0f}–{high * day_kcal:,.0f} kcal) "
                               "in half servings up to 3.")
        return reasons or ["Keeping each meal to its share of the day's energy leaves no plan that meets your "
                           "other rules."]


class MealMassRule(Rule):
    """A meal weighs at most its meal type's ceiling (`request.mass_ceilings`, else
    `default_mass_ceilings`): a serving heavier than that is not offered. Recipes whose mass is not
    known (no `grams`, or 0) are not limited."""

    name = "meal_mass"

    def ceilings(self, request: PlanRequest) -> Mapping[str, float]:
        if request.mass_ceilings is not None:
            return request.mass_ceilings
        return default_mass_ceilings(len(request.slot_types), float(request.targets[KCAL]))

    def servings(self, request: PlanRequest, meal_type: str, candidates: CandidateSet):
        ceiling = self.ceilings(request).get(meal_type)
        if ceiling is None or candidates.grams is None:
            return None
        step_grams = candidates.grams * SERVING_STEP
        known = step_grams > 0
        high = np.full(len(candidates), MAX_STEPS, dtype=np.int64)
        high[known] = np.minimum(np.floor(ceiling / step_grams[known] + 1e-9), MAX_STEPS)
        return np.ones(len(candidates), dtype=np.int64), high

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        """The meal types none of whose recipes has a serving both light enough and within the
        other rules' limits (its share of the day's energy)."""
        ceilings = self.ceilings(request)
        reasons = []
        for meal_type in sorted({request.slot_types[slot] for _day, slot in request.free_slots()} & set(ceilings)):
            candidates = request.candidates.get(meal_type)
            if candidates is None or len(candidates) == 0:
                continue
            low, high = servings(request, meal_type, candidates)
            if not np.any(low <= high):
                reasons.append(f"No {meal_type} recipe that fits your rules is light enough (at most "
                               f"{ceilings[meal_type]:,.0f} g a meal) in a serving big enough for its share of your day.")
        return reasons or ["Keeping each meal light enough (at most "
                           + ", ".join(f"{grams:,.0f} g a {meal_type}" for meal_type, grams in ceilings.items()
                                       if meal_type in request.slot_types)
                           + ") leaves no plan that meets your other rules."]


def default_mass_ceilings(meals_a_day: int, day_kcal: float) -> dict[str, float]:
    """`DEFAULT_MASS_CEILINGS` for the meals a day, raised in proportion to an energy target above
    MASS_CEILING_KCAL."""
    scale = max(1.0, day_kcal / MASS_CEILING_KCAL)
    return {meal_type: grams * scale for meal_type, grams in DEFAULT_MASS_CEILINGS[min(max(meals_a_day, 2), 3)].items()}


class NoRepeatedDayRule(Rule):
    """No two days have the same menu (the same recipe in every slot), while the catalog allows:
    when no plan keeps it, the solver drops it (`yields`) rather than refuse the plan."""

    name = "no_repeated_day"
    links_days = True
    yields = 2
    yielded = "Too few recipes fit your rules for a different menu every day: some days repeat."

    def add_rows(self, model) -> None:
        """Per pair of days, same[s] ≥ x(first, s, r) + x(second, s, r) − 1 for every recipe r
        both may take in slot s (a fixed meal counts as a chosen x of 1); then at least one slot
        differs: Σ same[s] ≤ slots − 1. Pairs that cannot match (fixed meals differ) get no rows."""
        request = model.request
        index = {(int(model.day_of[i]), int(model.slot_of[i]), int(model.recipe_of[i])): i
                 for i in range(model.num_choices)}
        options = defaultdict(set)
        for day, slot, recipe in index:
            options[day, slot].add(recipe)
        for (day, slot), meal in request.fixed.items():
            options[day, slot] = {meal.recipe_id}
        slots = range(len(request.slot_types))
        for first in range(request.days):
            for second in range(first + 1, request.days):
                common = [options[first, s] & options[second, s] for s in slots]
                locked = all((day, s) in request.fixed for day in (first, second) for s in slots)
                if locked or not all(common):
                    continue
                same = model.add_cols(len(common), 0, 1)
                for column, slot, recipes in zip(same, slots, common):
                    for recipe in recipes:
                        picks = [model.x[index[key]] for key in ((first, slot, recipe), (second, slot, recipe))
                                 if key in index]
                        model.add_row([column, *picks], [1, *[-1] * len(picks)], lower=1 - len(picks))
                model.add_row(same, np.ones(len(common)), upper=len(common) - 1)

    def keep_partial(self, request: PlanRequest, partial: PartialDays) -> np.ndarray | None:
        """A complete day whose menu another planned day already has is dropped."""
        slots = range(len(request.slot_types))
        free = [s for s in slots if (partial.day, s) not in request.fixed]
        if not partial.placed or len(partial.slots) < len(free):
            return None
        keep = np.ones(len(partial.cost), dtype=bool)
        fixed = {s: request.fixed[partial.day, s].recipe_id for s in slots if (partial.day, s) in request.fixed}
        for other in {day for day, _ in partial.placed} - {partial.day}:
            menu = [partial.placed.get((other, s)) for s in slots]
            if None in menu or any(menu[s] != recipe for s, recipe in fixed.items()):
                continue
            keep &= ~np.all(partial.recipes == np.array([menu[s] for s in partial.slots]), axis=1)
        return keep

    def _menu(self, request: PlanRequest, day: int, slots, recipes) -> tuple:
        """A day's whole menu: its fixed meals and `recipes` in `slots`, slot by slot."""
        menu = {s: meal.recipe_id for (d, s), meal in request.fixed.items() if d == day}
        menu.update(zip(slots, map(int, recipes)))
        return tuple(sorted(menu.items()))

    def _locked_menus(self, request: PlanRequest) -> set[tuple]:
        """Menus of the days whose every meal is fixed (the pattern search lists no patterns for them)."""
        slots = range(len(request.slot_types))
        return {self._menu(request, day, (), ()) for day in range(request.days)
                if all((day, s) in request.fixed for s in slots)}

    def week_rows(self, request, days, columns):
        menus = defaultdict(list)
        for listed, cols in zip(days, columns):
            for column, row in zip(cols, listed.recipes):
                menus[self._menu(request, listed.day, listed.slots, row)].append((listed.day, column))
        locked = self._locked_menus(request)
        return [([column for _, column in members], 0.0 if menu in locked else 1.0)
                for menu, members in menus.items() if menu in locked or len({day for day, _ in members}) > 1]

    def count_rows(self, request, patterns, days):
        locked = self._locked_menus(request)
        return [([index], 0.0 if self._menu(request, patterns.day, patterns.slots, row) in locked else 1.0)
                for index, row in enumerate(patterns.recipes)]

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        return ["Too few recipes fit your rules for a different menu every day."]


class WeeklyRuleBase(Rule):
    """The rules the person wrote of one kind (`request.weekly_rules`). The search over listed day
    patterns does not express them (`listable`); the explainer names the written rules (of any
    kind) whose dropping alone lets a plan exist — the ones that conflict — or all of this kind."""

    kind = ""
    # Counted across days; "on a weekday" and cooking times name days of the week, which a day
    # planned alone would lose (its candidates already leave out what they block).
    links_days = True

    def active(self, request: PlanRequest) -> bool:
        return bool(request.rules_of_kind(self.kind)) and super().active(request)

    def relax(self, request: PlanRequest) -> PlanRequest:
        return replace(request, weekly_rules=tuple(r for r in request.weekly_rules if r.kind != self.kind))

    def listable(self, request: PlanRequest) -> bool:
        return False

    def matching(self, request: PlanRequest, rule, day: int, slot: int, recipe_ids) -> np.ndarray:
        """Which of `recipe_ids` in (day, slot) the written rule counts or restricts."""
        fits = not rule.meal_type or request.slot_types[slot] == rule.meal_type
        return np.isin(recipe_ids, list(rule.recipes)) & fits

    def counted_in(self, request: PlanRequest, rule, partial: PartialDays, days) -> tuple[int, np.ndarray] | None:
        """Meals the rule counts on `days`: (on the other days planned so far and the partial day's
        fixed meals, per row of the partial day); None when `partial` does not say its slots."""
        if len(partial.slots) != partial.recipes.shape[1] or not partial.slots:
            return None
        placed = {**{key: recipe for key, recipe in partial.placed.items() if key[0] != partial.day},
                  **{key: meal.recipe_id for key, meal in request.fixed.items() if key[0] == partial.day}}
        before = sum(bool(self.matching(request, rule, d, s, [recipe])[0]) for (d, s), recipe in placed.items() if d in days)
        rows = sum(self.matching(request, rule, partial.day, slot, partial.recipes[:, column])
                   for column, slot in enumerate(partial.slots)) if partial.day in days else 0
        return before, np.broadcast_to(np.asarray(rows, dtype=np.int64), (len(partial.cost),))

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        from mealplan.planning.explain import plan_exists

        until = time.perf_counter() + (math.inf if time_limit is None else time_limit)
        culprits = [rule for rule in request.weekly_rules if len(request.weekly_rules) > 1 and plan_exists(
            replace(request, weekly_rules=tuple(r for r in request.weekly_rules if r is not rule)), until=until)]
        if len(culprits) > 1:
            names = ", ".join(f"“{rule.text}”" for rule in culprits[:-1]) + f" and “{culprits[-1].text}”"
            return [f"Your rules {names} conflict: no plan keeps them all with the recipes that fit your other rules."]
        return [f"Your rule “{rule.text}” cannot be kept together with your other rules and the recipes that fit them."
                for rule in culprits or request.rules_of_kind(self.kind)]


class AtMostRule(WeeklyRuleBase):
    """“at most N [protein or tag] [meal type] a week”: in any 7 consecutive days, the previous
    plan's meals (`request.history`) included."""

    name = "weekly_at_most"
    kind = "at_most"

    def _groups(self, request: PlanRequest, day_of, slot_of, recipe_of):
        """(written rule, window) → indices of the entries it counts there."""
        groups = defaultdict(list)
        for rule in request.rules_of_kind(self.kind):
            counted = np.array([bool(self.matching(request, rule, d, s, [r])[0])
                                for d, s, r in zip(day_of, slot_of, recipe_of)], dtype=bool)
            for window in request.repeat_windows():
                inside = (np.asarray(day_of) >= window.start) & (np.asarray(day_of) < window.stop) & counted
                groups[rule, window.start] = np.flatnonzero(inside).tolist()
        return groups

    def _earlier(self, request: PlanRequest) -> Counter:
        """(written rule, window start) → meals of the previous plan the rule counts in that window."""
        used = Counter()
        for rule in request.rules_of_kind(self.kind):
            for meal in request.history:
                if meal.recipe_id in rule.recipes and (not rule.meal_type or meal.meal_type == rule.meal_type):
                    used.update((rule, window.start) for window in request.repeat_windows() if meal.day in window)
        return used

    def _used(self, request: PlanRequest, placed: dict) -> Counter:
        """(written rule, window start) → meals it counts there: `placed` ones and earlier ones."""
        keys = list(placed)
        groups = self._groups(request, [d for d, _ in keys], [s for _, s in keys], list(placed.values()))
        return Counter({key: len(members) for key, members in groups.items()}) + self._earlier(request)

    def add_rows(self, model) -> None:
        request = model.request
        used = self._used(request, request.fixed_recipes())
        for (rule, start), choices in self._groups(request, model.day_of, model.slot_of, model.recipe_of).items():
            limit = rule.count - used[rule, start]
            if len(choices) > limit:
                model.add_row(model.x[choices], np.ones(len(choices)), upper=max(limit, 0))

    def blocked(self, request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
        used = self._used(request, {key: recipe for key, recipe in placed.items() if key != (day, slot)})
        blocked = set()
        for rule in request.rules_of_kind(self.kind):
            full = any(used[rule, w.start] >= rule.count for w in request.repeat_windows() if day in w)
            if full and (not rule.meal_type or request.slot_types[slot] == rule.meal_type):
                blocked |= rule.recipes
        return blocked

    def keep_partial(self, request: PlanRequest, partial: PartialDays) -> np.ndarray | None:
        """A partly planned day whose counted meals, with the other days', pass a limit is dropped."""
        keep, earlier = None, self._earlier(request)
        for rule in request.rules_of_kind(self.kind):
            for window in request.repeat_windows():
                counted = self.counted_in(request, rule, partial, window)
                if counted is None:
                    return None
                keep = (counted[0] + earlier[rule, window.start] + counted[1] <= rule.count) & (
                    True if keep is None else keep)
        return keep


class AtLeastRule(WeeklyRuleBase):
    """“at least N [protein or tag] [meal type] a week”: in each plan-week (days 0–6, 7–13); a
    shorter last week needs its share (N × days / 7, rounded down)."""

    name = "weekly_at_least"
    kind = "at_least"

    def needed(self, rule, week: range) -> int:
        return rule.count if len(week) == DAYS_PER_WEEK else rule.count * len(week) // DAYS_PER_WEEK

    def still_needed(self, request: PlanRequest, rule, week: range) -> int:
        """What the week needs beyond the fixed (locked or kept) meals the rule counts."""
        fixed = sum(bool(self.matching(request, rule, d, s, [meal.recipe_id])[0])
                    for (d, s), meal in request.fixed.items() if d in week)
        return self.needed(rule, week) - fixed

    def add_rows(self, model) -> None:
        request = model.request
        for rule in request.rules_of_kind(self.kind):
            for week in request.plan_weeks():
                choices = [i for i in range(model.num_choices) if int(model.day_of[i]) in week
                           and self.matching(request, rule, int(model.day_of[i]), int(model.slot_of[i]),
                                             [model.recipe_of[i]])[0]]
                model.add_row(model.x[choices], np.ones(len(choices)), lower=self.still_needed(request, rule, week))

    def blocked(self, request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
        """Forward check for the searches that plan day by day: when the week's open slots this rule
        could still use are just enough, this slot must take a counted recipe."""
        blocked = set()
        for rule in request.rules_of_kind(self.kind):
            if rule.meal_type and request.slot_types[slot] != rule.meal_type:
                continue
            week = request.plan_weeks()[week_of(day)]
            counted = sum(bool(self.matching(request, rule, d, s, [recipe])[0])
                          for (d, s), recipe in placed.items() if d in week and (d, s) != (day, slot))
            open_slots = sum(1 for d in week for s in range(len(request.slot_types))
                             if (d, s) not in placed and (d, s) != (day, slot)
                             and (not rule.meal_type or request.slot_types[s] == rule.meal_type))
            if counted + open_slots < self.needed(rule, week):
                candidates = request.candidates_for(day, slot).recipe_ids
                blocked |= set(candidates[~np.isin(candidates, list(rule.recipes))].tolist())
        return blocked

    def keep_partial(self, request: PlanRequest, partial: PartialDays) -> np.ndarray | None:
        """A partly planned day after which the week's open slots could no longer bring the
        counted meals up to the rule is dropped (the day-by-day searches would end short)."""
        keep = None
        for rule in request.rules_of_kind(self.kind):
            week = request.plan_weeks()[week_of(partial.day)]
            counted = self.counted_in(request, rule, partial, week)
            if counted is None:
                return None
            taken = {*partial.placed, *request.fixed, *((partial.day, s) for s in partial.slots)}
            open_slots = sum(1 for d in week for s in range(len(request.slot_types)) if (d, s) not in taken
                             and (not rule.meal_type or request.slot_types[s] == rule.meal_type))
            keep = (counted[0] + counted[1] + open_slots >= self.needed(rule, week)) & (True if keep is None else keep)
        return keep

    def obviously_broken(self, request: PlanRequest) -> bool:
        """A week still asking for some recipes (beyond its fixed meals) that none of its free slots
        the rule counts may take."""
        free = request.free_slots()
        return any(self.still_needed(request, rule, week) > 0 and not any(
            self.matching(request, rule, day, slot, request.candidates_for(day, slot).recipe_ids).any()
            for day, slot in free if day in week)
            for rule in request.rules_of_kind(self.kind) for week in request.plan_weeks())


class OnDayRule(WeeklyRuleBase):
    """“on [weekday] [meal type] is [protein or tag]”: that meal is one of those recipes."""

    name = "weekly_on_day"
    kind = "on_day"

    def blocked(self, request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
        blocked = set()
        for rule in request.rules_of_kind(self.kind):
            if request.weekday(day) == rule.weekday and request.slot_types[slot] == rule.meal_type:
                candidates = request.candidates_for(day, slot).recipe_ids
                blocked |= set(candidates[~np.isin(candidates, list(rule.recipes))].tolist())
        return blocked

    def obviously_broken(self, request: PlanRequest) -> bool:
        return any(request.weekday(day) == rule.weekday and request.slot_types[slot] == rule.meal_type
                   and not rule.recipes & set(request.candidates_for(day, slot).recipe_ids.tolist())
                   for rule in request.rules_of_kind(self.kind) for day, slot in request.free_slots())


class CookingTimeRule(WeeklyRuleBase):
    """“weekdays at most M minutes, weekends at most K”: longer recipes are not offered that day."""

    name = "weekly_minutes"
    kind = "minutes"

    def blocked(self, request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
        """Too long recipes for that day; none for a leftover lunch (it was cooked the day before,
        as that day's dinner)."""
        if request.leftovers_of(day, slot) is not None:
            return set()
        weekend = request.weekday(day) >= 5
        return set().union(*(rule.weekend_recipes if weekend else rule.recipes
                             for rule in request.rules_of_kind(self.kind)))

    def obviously_broken(self, request: PlanRequest) -> bool:
        return any(not set(request.candidates_for(day, slot).recipe_ids.tolist()) - self.blocked(request, day, slot, {})
                   for day, slot in request.free_slots())


class LeftoverLunchRule(Rule):
    """With leftover lunches, a dinner is cooked for two meals: the next day's lunch is the same
    recipe (`request.leftover_pairs`; its servings re-balanced like any meal's). The repeat
    limits count the pair as one use."""

    name = "leftover_lunches"
    links_days = True

    def active(self, request: PlanRequest) -> bool:
        return bool(request.leftover_pairs()) and super().active(request)

    def relax(self, request: PlanRequest) -> PlanRequest:
        return replace(request, leftover_lunches=False)

    def listable(self, request: PlanRequest) -> bool:
        return False

    def add_rows(self, model) -> None:
        """x(lunch, r) = x(dinner the day before, r) for every recipe r either may take, where both
        are free (a fixed one leaves the other only its recipe: `blocked`)."""
        index = {(int(model.day_of[i]), int(model.slot_of[i]), int(model.recipe_of[i])): i
                 for i in range(model.num_choices)}
        for (day, dinner), (next_day, lunch) in model.request.leftover_pairs():
            if {(day, dinner), (next_day, lunch)} & set(model.request.fixed):
                continue
            recipes = {r for (d, s, r) in index if (d, s) in ((day, dinner), (next_day, lunch))}
            for recipe in recipes:
                pair = [index.get((day, dinner, recipe)), index.get((next_day, lunch, recipe))]
                present = [i for i in pair if i is not None]
                if len(present) == 2:
                    model.add_row(model.x[present], [1, -1], 0, 0)
                else:
                    model.add_row(model.x[present], [1], upper=0)

    def blocked(self, request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
        for dinner, lunch in request.leftover_pairs():
            for this, other in ((lunch, dinner), (dinner, lunch)):
                if (day, slot) == this and other in placed:
                    candidates = request.candidates_for(day, slot).recipe_ids
                    return set(candidates[candidates != placed[other]].tolist())
        return set()

    def reasons(self, request: PlanRequest, *, time_limit: float | None) -> list[str]:
        return ["Eating each dinner's leftovers at the next day's lunch leaves no plan that meets your other rules."]


# The order is the explainer's: the first rule whose relaxation lets a plan exist is named.
RULES: tuple[Rule, ...] = (FixedMealsRule(), BudgetRule(), MealMassRule(), EnergyBandRule(), OnDayRule(), CookingTimeRule(),
                           AtMostRule(), AtLeastRule(), WeeklyRepeatRule(), FamilyRepeatRule(), NoConsecutiveSlotRule(),
                           OncePerDayRule(), FamilyOncePerDayRule(), NoRepeatedDayRule(), LeftoverLunchRule())


def active_rules(request: PlanRequest) -> list[Rule]:
    return [rule for rule in RULES if rule.active(request)]


def blocked(request: PlanRequest, day: int, slot: int, placed: dict) -> set[int]:
    """Recipes some rule forbids in (day, slot) given the meals `placed` elsewhere."""
    return set().union(*(rule.blocked(request, day, slot, placed) for rule in active_rules(request)))


def servings(request: PlanRequest, meal_type: str, candidates: CandidateSet) -> tuple[np.ndarray, np.ndarray]:
    """(lowest, highest) serving steps every rule allows per candidate (lowest > highest: none)."""
    low = np.ones(len(candidates), dtype=np.int64)
    high = np.full(len(candidates), MAX_STEPS, dtype=np.int64)
    for rule in active_rules(request):
        limits = rule.servings(request, meal_type, candidates)
        if limits is not None:
            low, high = np.maximum(low, limits[0]), np.minimum(high, limits[1])
    return low, high


def obviously_broken(request: PlanRequest) -> list[Rule]:
    return [rule for rule in active_rules(request) if rule.obviously_broken(request)]


def keep_partial(request: PlanRequest, partial: PartialDays) -> np.ndarray:
    keep = np.ones(len(partial.cost), dtype=bool)
    for rule in active_rules(request):
        mask = rule.keep_partial(request, partial)
        if mask is not None:
            keep &= mask
    return keep
