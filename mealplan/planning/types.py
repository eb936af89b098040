"""The planner's input and output: plain data (NumPy arrays, frozen dataclasses), no ORM."""

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

import numpy as np

NUTRIENTS = ("energy_kcal", "protein_g", "fat_g", "carbohydrate_g")
KCAL, PROTEIN, FAT, CARB = range(len(NUTRIENTS))
SERVING_STEP = 0.5
MAX_STEPS = 6  # 3 servings
DAYS_PER_WEEK = 7  # repeat limits count over any 7 consecutive days (the previous plan's included)
FAMILY_TABLE_SIZE = 1 << 22  # recipe ids below this are looked up in a table (32 MB at most)


@dataclass(frozen=True)
class CandidateSet:
    """Recipes allowed in a slot, as parallel arrays (nutrients and cost per serving)."""

    recipe_ids: np.ndarray  # (k,) int
    nutrients: np.ndarray  # (k, 4) kcal, protein, fat, carbohydrate
    costs: np.ndarray  # (k,)
    families: np.ndarray | None = None  # (k,) dish family per recipe; None: each recipe its own
    grams: np.ndarray | None = None  # (k,) mass of one serving; None (or 0 for one recipe): not known

    @classmethod
    def from_rows(cls, rows, families=None, grams=None) -> "CandidateSet":
        """Rows of (recipe_id, kcal, protein, fat, carb, cost), and optionally a family and the
        grams of one serving per row."""
        table = np.asarray(list(rows), dtype=float).reshape(-1, 6)
        return cls(recipe_ids=table[:, 0].astype(np.int64), nutrients=table[:, 1:5], costs=table[:, 5],
                   families=None if families is None else np.asarray(families, dtype=np.int64),
                   grams=None if grams is None else np.asarray(grams, dtype=float))

    def __len__(self) -> int:
        return len(self.recipe_ids)

    def family_ids(self) -> np.ndarray:
        return self.recipe_ids if self.families is None else self.families

    def subset(self, keep: np.ndarray) -> "CandidateSet":
        return CandidateSet(self.recipe_ids[keep], self.nutrients[keep], self.costs[keep],
                            None if self.families is None else self.families[keep],
                            None if self.grams is None else self.grams[keep])

    def without(self, recipe_ids) -> "CandidateSet":
        return self.subset(~np.isin(self.recipe_ids, list(recipe_ids)))


@dataclass(frozen=True)
class FixedMeal:
    """A meal the solver must keep as it is (locked, or outside the part being re-solved)."""

    recipe_id: int
    servings: float
    nutrients: tuple[float, float, float, float]  # per serving
    cost: float  # per serving
    family: int | None = None  # dish family; None: its own


@dataclass(frozen=True)
class EarlierMeal:
    """A meal eaten before the plan starts (the person's previous plan): `day` is negative, −1 the
    day before the first. The repeat limits and the written "at most" rules count it in the 7-day
    windows it falls in (an "at most" rule of one meal type by its `meal_type`; "" unknown: counted
    only by rules of any meal type)."""

    day: int
    recipe_id: int
    family: int
    meal_type: str = ""


@dataclass(frozen=True)
class WeeklyRule:
    """A rule the person wrote (`mealplan.people.weekly_rules`), with the recipes it concerns resolved.

    kind "at_most" / "at_least": `count` meals of `meal_type` ("" any) from `recipes` a week;
    "on_day": on `weekday` (0 Monday) the `meal_type` meal is one of `recipes`;
    "minutes": `recipes` take too long on weekdays, `weekend_recipes` on weekends."""

    kind: str
    text: str  # the rule in the person's words, for explanations
    recipes: frozenset[int]
    meal_type: str = ""
    count: int = 0
    weekday: int = 0
    weekend_recipes: frozenset[int] = frozenset()


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
    relaxed: frozenset[str] = frozenset()  # names of rules switched off (the explainer's what-ifs)
    # Share of the day's energy target each meal type may carry, (low, high); None: the defaults
    # for the number of meals a day (`rules.DEFAULT_ENERGY_BANDS`).
    energy_bands: Mapping[str, tuple[float, float]] | None = None
    # Most grams one person's meal of each type may weigh; None: `rules.default_mass_ceilings`.
    mass_ceilings: Mapping[str, float] | None = None
    history: tuple[EarlierMeal, ...] = ()  # the previous plan's last days
    weekly_rules: tuple[WeeklyRule, ...] = ()
    first_weekday: int = 0  # of day 0 (0 Monday)
    leftover_lunches: bool = False  # each dinner cooked for two: the rest is the next day's lunch

    def leftover_pairs(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """((day, dinner slot), (next day, lunch slot)) where the lunch is the dinner's leftovers,
        with leftover lunches asked for; not where either meal was chosen by hand (`slot_candidates`)."""
        if not self.leftover_lunches or "lunch" not in self.slot_types or "dinner" not in self.slot_types:
            return []
        lunch, dinner = self.slot_types.index("lunch"), self.slot_types.index("dinner")
        return [((day, dinner), (day + 1, lunch)) for day in range(self.days - 1)
                if not {(day, dinner), (day + 1, lunch)} & set(self.slot_candidates)]

    @cached_property
    def _leftover_lunches(self) -> dict[tuple[int, int], tuple[int, int]]:
        return {lunch: dinner for dinner, lunch in self.leftover_pairs()}

    def leftovers_of(self, day: int, slot: int) -> tuple[int, int] | None:
        """The dinner whose leftovers (day, slot) is, if it is a leftover lunch."""
        return self._leftover_lunches.get((day, slot))

    def weekday(self, day: int) -> int:
        return (self.first_weekday + day) % DAYS_PER_WEEK

    def rules_of_kind(self, kind: str) -> list[WeeklyRule]:
        return [rule for rule in self.weekly_rules if rule.kind == kind]

    def has_families(self) -> bool:
        """Whether the candidates come with dish families (near-duplicates named)."""
        return self._has_families

    def fewest_dish_uses(self) -> int:
        """The fewest uses of its most used dish family any week of free meals from these
        candidates has, by counting alone: meal types taken one, two … at a time (lunch and dinner
        share dishes), their free meals in a week shared among the families their candidates come
        from (say 14 lunches and dinners from 5 dishes: one of them at least 3 times)."""
        return self._fewest_dish_uses

    @cached_property
    def _fewest_dish_uses(self) -> int:
        free = self.free_in_a_week()
        return max((math.ceil(sum(free[t] for t in types) / max(len(dishes), 1))
                    for types, (_recipes, dishes) in self.offered().items()), default=0)

    def offered(self) -> dict[tuple[str, ...], tuple[frozenset[int], frozenset[int]]]:
        """For each set of meal types (taken one, two … at a time): the recipes and the dish
        families their candidates offer (what the repeat limits' counting needs, computed once)."""
        return self._offered

    @cached_property
    def _offered(self) -> dict[tuple[str, ...], tuple[frozenset[int], frozenset[int]]]:
        types = sorted(self.candidates)
        return {group: (frozenset(np.concatenate([self.candidates[t].recipe_ids for t in group]).tolist()),
                        frozenset(np.concatenate([self.candidates[t].family_ids() for t in group]).tolist()))
                for size in range(1, len(types) + 1) for group in combinations(types, size)}

    @cached_property
    def _has_families(self) -> bool:
        return any(c.families is not None for c in [*self.candidates.values(), *self.slot_candidates.values()])

    def repeat_windows(self) -> list[range]:
        """Every run of DAYS_PER_WEEK consecutive days the repeat limits count over, earlier days
        included; a run whose planned days another run's cover, with no earlier day, is left out."""
        first = -(DAYS_PER_WEEK - 1) if self.history else 0
        return [range(start, start + DAYS_PER_WEEK) for start in range(first, max(0, self.days - DAYS_PER_WEEK) + 1)]

    def plan_weeks(self) -> list[range]:
        """The plan's own weeks (days 0–6, 7–13, …), the last one shorter when the plan is."""
        return [range(start, min(start + DAYS_PER_WEEK, self.days)) for start in range(0, self.days, DAYS_PER_WEEK)]

    def free_slots(self) -> list[tuple[int, int]]:
        return list(self._free_slots)

    @cached_property
    def _free_slots(self) -> tuple[tuple[int, int], ...]:
        return tuple((day, slot) for day in range(self.days) for slot in range(len(self.slot_types))
                     if (day, slot) not in self.fixed)

    def free_in_a_week(self) -> Counter:
        """Free slots of each meal type in the first 7 days."""
        return self._free_in_a_week

    @cached_property
    def _free_in_a_week(self) -> Counter:
        return Counter(self.slot_types[slot] for day, slot in self._free_slots if day < DAYS_PER_WEEK)

    def most_free_slots_a_day(self) -> int:
        return max(Counter(day for day, _ in self.free_slots()).values(), default=0)

    def candidates_for(self, day: int, slot: int) -> CandidateSet:
        if (day, slot) in self.slot_candidates:
            return self.slot_candidates[day, slot]
        if self.leftovers_of(day, slot) is not None:
            return self.candidates["dinner"]
        return self.candidates[self.slot_types[slot]]

    def fixed_recipes(self) -> dict[tuple[int, int], int]:
        return {key: meal.recipe_id for key, meal in self.fixed.items()}

    @cached_property
    def _families(self) -> tuple[np.ndarray, np.ndarray]:
        """Known recipe ids, sorted, and the dish family of each: a fixed meal's own family first
        (a candidate's overrides it), then the candidates', then a fixed meal's given family."""
        unnamed = [meal.recipe_id for meal in self.fixed.values() if meal.family is None]
        named = [meal for meal in self.fixed.values() if meal.family is not None]
        sets = [*self.candidates.values(), *self.slot_candidates.values()]
        ids = np.concatenate([np.asarray(unnamed, dtype=np.int64), *(c.recipe_ids for c in sets),
                              np.asarray([m.recipe_id for m in named], dtype=np.int64)])
        families = np.concatenate([np.asarray(unnamed, dtype=np.int64), *(c.family_ids() for c in sets),
                                   np.asarray([m.family for m in named], dtype=np.int64)])
        known, last = np.unique(ids[::-1], return_index=True)  # the last entry of each recipe wins
        return known.astype(np.int64), families[::-1][last].astype(np.int64)

    def family_of(self, recipe_ids) -> np.ndarray:
        """The dish family of each recipe (a recipe without one is its own family). The searches
        ask this for every partial day they extend, so ids are looked up in a table indexed by
        recipe id when the ids are small enough for one (`_family_table`)."""
        recipe_ids = np.asarray(recipe_ids, dtype=np.int64)
        table = self._family_table
        if table is not None and (recipe_ids.size == 0 or (recipe_ids.min() >= 0 and recipe_ids.max() < len(table))):
            return table[recipe_ids]
        ids, families = self._families
        where = np.clip(np.searchsorted(ids, recipe_ids), 0, max(len(ids) - 1, 0))
        known = (ids[where] == recipe_ids) if len(ids) else np.zeros(recipe_ids.shape, dtype=bool)
        return np.where(known, families[where] if len(ids) else recipe_ids, recipe_ids)

    @cached_property
    def _family_table(self) -> np.ndarray | None:
        """family_of for every id from 0 to the largest known one (each unknown id its own), or
        None when the ids run past FAMILY_TABLE_SIZE."""
        ids, families = self._families
        if not len(ids) or ids.min() < 0 or ids.max() >= FAMILY_TABLE_SIZE:
            return None
        table = np.arange(ids.max() + 1, dtype=np.int64)
        table[ids] = families
        return table

    def recipes_in(self, families) -> set[int]:
        """Every known recipe of these dish families."""
        ids, family = self._families
        return set(ids[np.isin(family, list(families))].tolist())


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
    relaxed: frozenset[str] = frozenset()  # rules that yielded: no plan keeping them was found
    notes: tuple[str, ...] = ()  # days far off target, and why (`explain.shortfalls`)
    phases: tuple[tuple[str, float], ...] = ()  # seconds per strategy (`solver.Phases`)

    @property
    def found(self) -> bool:
        return bool(self.meals)


def week_of(day: int) -> int:
    return day // DAYS_PER_WEEK


def recipe_lookup(request: PlanRequest) -> dict[int, tuple[np.ndarray, float]]:
    """Per-serving nutrients and cost of every recipe the request knows."""
    lookup = {}
    for candidates in [*request.candidates.values(), *request.slot_candidates.values()]:
        for rid, nutrients, cost in zip(candidates.recipe_ids, candidates.nutrients, candidates.costs):
            lookup[int(rid)] = (nutrients, cost)
    for meal in request.fixed.values():
        lookup[meal.recipe_id] = (np.asarray(meal.nutrients), meal.cost)
    return lookup


def day_totals(request: PlanRequest, meals: Mapping[tuple[int, int], ChosenMeal]) -> tuple[np.ndarray, np.ndarray]:
    """Per-day nutrient totals (days × 4) and cost of a plan, per person."""
    lookup = recipe_lookup(request)
    nutrients, costs = np.zeros((request.days, 4)), np.zeros(request.days)
    for (day, _slot), meal in meals.items():
        per_serving, cost = lookup[meal.recipe_id]
        nutrients[day] += per_serving * meal.servings
        costs[day] += cost * meal.servings
    return nutrients, costs


def fixed_day_totals(request: PlanRequest) -> tuple[np.ndarray, np.ndarray]:
    """Per day: nutrients (days × 4) and cost of the fixed meals."""
    nutrients, costs = np.zeros((request.days, 4)), np.zeros(request.days)
    for (day, _slot), meal in request.fixed.items():
        nutrients[day] += np.asarray(meal.nutrients) * meal.servings
        costs[day] += meal.cost * meal.servings
    return nutrients, costs
