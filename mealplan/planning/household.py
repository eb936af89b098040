"""One plan for the people who eat together (issue 11), pure like the rest of the planner.

At each slot the household eats one recipe, cooked once, and each member who eats it gets a
portion of their own (half servings, within that member's energy band for the meal and 3
servings at most), so that every member's days meet that member's targets. A shared dish keeps
every eater's hard rules (`HouseholdMember.allowed`: their diet, allergens and dislikes); where
no recipe keeps them all, the eaters are split over as few dishes as can feed them (`tables`),
the extra dish costing `SECOND_DISH_COST` in the objective, and the plan says why. Where the
recipes they all may eat run out in the week, a meal type's tables are split further, then each
eater has a dish of their own there (`_plan`); where no plan is found still and each member has
one alone, the household eats those, each member their own dish (`_plan_apart`).

Why a decomposition and not one MILP with portion columns per member: with the recipes of a day
fixed, each member's best portions are a tiny exhaustive search (a few serving steps per meal),
exact and vectorised, while the week MILP's LP bound is 0 and HiGHS branches for seconds on one
person already (see `solver`). So the recipes are chosen by a local search on the household,
every candidate move scored by sizing every eater's portions exactly (`_Scorer`), and the
weekly rules are the planner's own rule classes, asked through their `blocked` and
`keep_partial` interface for each member's view of the plan (what that member eats).

A member who skips a slot (lunch at school) eats it elsewhere: that day, their targets at home
are their day's targets less the skipped meals' usual shares (`milp.slot_energy_shares`). A
member with fewer meals a day of their own than the household (no snack for the toddler) eats
only the household's slots of their own meal types (`meals_within`), and their day's targets and
energy bands are spread over those meals alone.
"""

import itertools
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from mealplan.planning import rules
from mealplan.planning.explain import explain_infeasible
from mealplan.planning.milp import first_plan, slot_energy_shares
from mealplan.planning.objective import OBJECTIVE, DayObjective
from mealplan.planning.types import (DAYS_PER_WEEK, KCAL, MAX_STEPS, SERVING_STEP, CandidateSet, FixedMeal, PlanRequest,
                                     PlanSolution)

# A meal cooked as two dishes costs this in the objective: about one member's protein 20 % off its
# target for a day, a tenth of a day 10 % off their energy (`ENERGY_BAND_PRIORITY`).
SECOND_DISH_COST = 0.5
DISHES = {2: "two", 3: "three", 4: "four", 5: "five"}
# A member whose carbohydrate share of energy is this far from the household's middle eats
# dishes of their own when that serves the household better (`macro_outliers`).
OUTLIER_CARB_SHARE = 0.2
SHARED_SHARE = 0.6  # of the time, for the plan with shared dishes when both are tried
# When the recipes every member of a table may eat run out, that meal type's tables are split so
# each needs this many recipes more, at most this many times.
SPARE_RECIPES, MORE_TABLES_TRIES = 2, 2
# Improvements smaller than this are noise.
EPSILON = 1e-9
# Pair moves try this many of the best single replacements of each meal.
PAIR_OPTIONS = 8
# The search's time: on the bench's households a longer one barely improves the plans (kcal within
# ±5 % on 98.4 % of member-days at 0.6 s, 99.1 % at 2.5 s; bench/results/bench_planner_households_*).
DEFAULT_SECONDS = 0.8
REASON_SECONDS = 1.0
EXPLAIN_SECONDS = 0.25  # each what-if of the one-person explainer, for a member who alone has no plan
APART_SECONDS = 0.3  # at least, to improve the plan of dishes apart made from the members' plans alone
APART_NOTE = ("Everyone eats a dish of their own at each meal: no plan with shared dishes was found that keeps the "
              "repeat limits for every member, while each member has a plan alone.")
# The local search stops when this long has improved the objective by less than this share of it:
# what is left on such plans is the shared dishes' make-up, which more search barely moves.
STALL_SECONDS, STALL_SHARE = 0.3, 0.02
# Each member's objective is the planner's, with energy beyond its tolerance band (±5 %) charged
# this much more: a member's portions can always move their energy, while their protein, fat and
# carbohydrate follow the shared dish's make-up, so without it the search gives up energy for small
# macro gains (kcal within ±5 % on 90 % of member-days at 1×). Inside the band energy costs what the
# planner charges, so the portions may trade a few per cent of energy for macros back in their
# bands (bench_planner --households: every macro within ±10 % on 32.5 % of member-days when energy
# was weighted 10× everywhere).
ENERGY_BAND_PRIORITY = np.array([11.0, 1.0, 1.0, 1.0])
# When the rules leave a meal no recipe while the days are planned in order, the day is planned
# again (DAY_RETRIES times in all), then the whole plan (CONSTRUCTION_ATTEMPTS), each meal then
# taking one of its best few recipes at random.
DAY_RETRIES, CONSTRUCTION_ATTEMPTS, CONSTRUCTION_CHOICES = 4, 2, 3
# Rules the household search asks in its own terms rather than on the shared request: the budget
# (`BudgetRule.keeps` on every eater's portions of a day, a hard limit as for one person) and the
# energy bands (each member's own request, `Tables.steps`).
HANDLED_HERE = frozenset({"budget", "energy_band"})
BUDGET = rules.BudgetRule()
# A day's portions over the budget are sized again at a price per unit of cost, found in this many halvings.
BUDGET_BISECTIONS = 16


@dataclass(frozen=True)
class HouseholdMember:
    """One person of the household as the planner sees them."""

    member_id: int
    name: str
    targets: tuple[float, float, float, float]  # a whole day: kcal, protein, fat, carbohydrate
    allowed: frozenset[int]  # recipe ids the member's own hard rules allow (diet, allergens, dislikes, time)
    rules: tuple[str, ...] = ()  # those rules in words, for explanations: ("vegan", "nut-free")
    # Share of the day's energy each meal type may carry; None: the defaults for the slots a day.
    energy_bands: Mapping[str, tuple[float, float]] | None = None
    skipped: frozenset[tuple[int, int]] = frozenset()  # (day, slot) of the plan eaten elsewhere
    # The member's own meals a day within the household's (`meals_within`); None: all the household's.
    meal_types: tuple[str, ...] | None = None


@dataclass(frozen=True)
class HouseholdDish:
    """A recipe cooked once for the members in `portions` (member id → servings each)."""

    recipe_id: int
    portions: Mapping[int, float]

    @property
    def servings(self) -> float:
        """What is cooked: every eater's portion."""
        return float(sum(self.portions.values()))


@dataclass(frozen=True)
class LockedDish:
    """A dish kept as it is (locked, or outside the part being re-planned): the recipe (`meal`:
    per-serving nutrients, cost and family; its `servings` unused) and each eater's portion."""

    meal: FixedMeal
    portions: Mapping[int, float]


@dataclass(frozen=True)
class HouseholdRequest:
    """`base` carries what the household shares: days, slot types, candidates (every recipe any
    member may eat, per meal type; `slot_candidates` for a slot whose recipe was chosen by hand,
    portions then re-sized), the weekly rules and repeat limits, history and `previous` (recipes a
    regeneration should replace). `base.budget` is the household's money a day (every portion);
    `base.targets`, `base.energy_bands` and `base.fixed` are not read: each member has their own,
    and kept meals are `locked`."""

    base: PlanRequest
    members: tuple[HouseholdMember, ...]
    locked: Mapping[tuple[int, int], tuple[LockedDish, ...]] = field(default_factory=dict)

    def eaters(self, day: int, slot: int) -> tuple[int, ...]:
        """Indices of the members who eat (day, slot) at home."""
        return tuple(i for i, member in enumerate(self.members)
                     if slot in self.own_slots[i] and (day, slot) not in member.skipped)

    def home_share(self, member: int, day: int) -> float:
        """Share of the member's day eaten at home (1 less the usual shares of the skipped meals)."""
        skipped = self.members[member].skipped
        return max(0.0, 1.0 - sum(self.slot_share(member, s) for s in self.own_slots[member] if (day, s) in skipped))

    def home_targets(self, member: int, day: int) -> np.ndarray:
        """The member's targets for what they eat at home that day."""
        return np.asarray(self.members[member].targets, dtype=float) * self.home_share(member, day)

    def slot_share(self, member: int, slot: int) -> float:
        """The usual share of the member's day a slot carries: over their own meals, 0 outside them."""
        if slot not in self.own_slots[member]:
            return 0.0
        return self._own_shares[member][self.base.slot_types[slot]]

    def own_types(self, member: int) -> tuple[str, ...]:
        """The member's day: the meal types of the household's slots they eat."""
        return tuple(self.base.slot_types[s] for s in sorted(self.own_slots[member]))

    @cached_property
    def _own_shares(self) -> list[dict[str, float]]:
        return [slot_energy_shares(self.own_types(m)) for m in range(len(self.members))]

    @cached_property
    def own_slots(self) -> list[frozenset[int]]:
        """Per member, the household's slots that are their meals (`slots_within`)."""
        return [frozenset(range(len(self.base.slot_types))) if member.meal_types is None
                else frozenset(slots_within(self.base.slot_types, member.meal_types)) for member in self.members]


def slots_within(household_types: tuple[str, ...], own_types: tuple[str, ...]) -> tuple[int, ...]:
    """The household's slots that are a member's own meals a day: the first slot of each of
    their meal types (their one snack is the household's first); a 5-meal member of a 3-meal
    household eats its 3 meals, a 2-meal one its breakfast and dinner."""
    wanted = Counter(own_types)
    within = []
    for slot, meal_type in enumerate(household_types):
        if wanted[meal_type] > 0:
            wanted[meal_type] -= 1
            within.append(slot)
    return tuple(within)


@dataclass(frozen=True)
class HouseholdSolution:
    status: str  # "optimal" (every member-day at its best), "time_limit" (best found) or "infeasible"
    meals: dict[tuple[int, int], tuple[HouseholdDish, ...]]  # every slot someone eats at home, locked ones included
    objective: float | None = None
    seconds: float = 0.0
    notes: tuple[str, ...] = ()  # second dishes and why, days far off a member's targets, rules that yielded
    reasons: tuple[str, ...] = ()  # why there is no plan (empty when found)
    relaxed: frozenset[str] = frozenset()

    @property
    def found(self) -> bool:
        return bool(self.meals)


def rule_words(*, diet_name: str = "", allergen_names=(), has_dislikes: bool = False,
               max_minutes: int | None = None) -> tuple[str, ...]:
    """A member's hard rules in the words explanations use: ("vegan", "peanut-free", …)."""
    return (*((diet_name.lower(),) if diet_name else ()), *(f"{name.lower()}-free" for name in allergen_names),
            *(("free of their dislikes",) if has_dislikes else ()),
            *((f"under {max_minutes} minutes",) if max_minutes is not None else ()))


def member_day_totals(request: HouseholdRequest, meals) -> dict[int, np.ndarray]:
    """Per member id: what they eat at home each day (days × 4: kcal, protein, fat, carbohydrate)."""
    lookup = _recipe_nutrients(request)
    totals = {member.member_id: np.zeros((request.base.days, 4)) for member in request.members}
    for (day, _slot), dishes in meals.items():
        for dish in dishes:
            for member_id, servings in dish.portions.items():
                totals[member_id][day] += lookup[dish.recipe_id] * servings
    return totals


def _recipe_nutrients(request: HouseholdRequest) -> dict[int, np.ndarray]:
    base = request.base
    lookup = {}
    for candidates in [*base.candidates.values(), *base.slot_candidates.values()]:
        lookup.update(zip(candidates.recipe_ids.tolist(), candidates.nutrients))
    for dishes in request.locked.values():
        lookup.update((dish.meal.recipe_id, np.asarray(dish.meal.nutrients, dtype=float)) for dish in dishes)
    return lookup


def plan_household(request: HouseholdRequest, *, time_limit: float | None = DEFAULT_SECONDS) -> HouseholdSolution:
    """The household's plan: its tables (who eats which dish), then recipes chosen and portions
    sized (`_Search`); rules that yield (`Rule.yields`) are dropped stage by stage when no plan
    keeps them, as for one person."""
    started = time.perf_counter()
    until = started + (math.inf if time_limit is None else time_limit)
    tables = Tables(request)
    if not tables.groups and not request.locked:
        return HouseholdSolution("infeasible", {}, seconds=time.perf_counter() - started,
                                 reasons=("Nobody eats at home on these days: every member skips every meal.",))
    if tables.reasons or tables.certain:
        return HouseholdSolution("infeasible", {}, seconds=time.perf_counter() - started,
                                 reasons=tables.reasons or tables.certain)
    if request.base.budget is not None and not BUDGET.keeps(request.base, cheapest := tables.cheapest_days()).all():
        return HouseholdSolution("infeasible", {}, seconds=time.perf_counter() - started,
                                 reasons=(BUDGET.below(request.base, float(cheapest.max()), len(request.members)),))
    outliers = macro_outliers(request)
    if not outliers:
        best = _plan(request, tables, started, until)
    else:
        # Shared dishes or dishes of their own for the members whose macros differ (a keto child
        # among omnivores): both planned, in SHARED_SHARE of the time and the rest, the better kept
        # (second dishes cost in it).
        # The shared plan makes one try a stage here, the apart one serving when it needs more.
        shared = _plan(request, tables, started, started + (until - started) * SHARED_SHARE, tries=1)
        apart = _plan(request, Tables(request, outliers), started, until)
        if not shared.found and not apart.found:
            shared = _plan(request, tables, started, until)
        best = min([shared, apart], key=lambda s: s.objective if s.found else math.inf)
    if not best.found and not tables.scarce:  # the slower reasons, once, for the answer given
        reasons, alone = _alone_plans(request, time.perf_counter() + REASON_SECONDS)
        if not reasons and len(alone) == len(request.members):
            best = _plan_apart(request, alone, started, max(until, time.perf_counter() + APART_SECONDS)) or best
        if not best.found:
            best = replace(best, reasons=tuple(reasons or (
                *best.reasons, *_rule_reasons(request, tables, time.perf_counter() + REASON_SECONDS))))
    return replace(best, seconds=time.perf_counter() - started)


def macro_outliers(request: HouseholdRequest) -> frozenset[int]:
    """Members whose carbohydrate share of energy is far from the household's middle (keto among
    omnivores): food that suits their targets does not suit the others'."""
    shares = np.array([4 * member.targets[3] / max(member.targets[0], 1.0) for member in request.members])
    middle = float(np.median(shares))
    return frozenset(np.flatnonzero(np.abs(shares - middle) > OUTLIER_CARB_SHARE).tolist())


def _plan(request: HouseholdRequest, tables: "Tables", started: float, until: float,
          tries: int = CONSTRUCTION_ATTEMPTS) -> HouseholdSolution:
    """The plan for these tables; when the days planned in order run out of recipes for a table
    of several members, again with that meal type's tables split further (the few recipes all of
    them may eat are then not the only ones left), MORE_TABLES_TRIES times, and then with a dish
    of their own for each of its eaters, the meal type's second dishes saying why (`Tables.conflict`).
    `tries`: constructions a stage (1: no split either)."""
    solution, stuck = _plan_tables(request, tables, started, until, tries)
    while tries > 1 and not solution.found and stuck is not None and len(stuck.group(stuck.stuck)) > 1:
        meal_type = request.base.slot_types[stuck.stuck[1]]
        if tables.spare.get(meal_type, 0) < MORE_TABLES_TRIES * SPARE_RECIPES:
            tables = Tables(request, tables.apart, {**tables.spare, meal_type: tables.spare.get(meal_type, 0) + SPARE_RECIPES},
                            tables.separate)
        else:
            tables = Tables(request, tables.apart, tables.spare, tables.separate | {meal_type})
        solution, stuck = _plan_tables(request, tables, started, until, tries)
    return solution


def _plan_tables(request: HouseholdRequest, tables: "Tables", started: float, until: float,
                 tries: int = CONSTRUCTION_ATTEMPTS):
    """The plan for these tables, rules that yield dropped stage by stage when no plan keeps them;
    and the last search when it got stuck. Every construction is tried whatever the time (a few
    day-by-day passes, bounded work): the deadline only ends the improvement, so a busy machine
    gets a plan late rather than none."""
    if tables.reasons:
        return HouseholdSolution("infeasible", {}, seconds=time.perf_counter() - started, reasons=tables.reasons), None
    rules_request = tables.rules_request
    stages = sorted({rule.yields for rule in rules.active_rules(rules_request) if rule.yields})
    search = None
    for stage in [0, *stages]:
        relaxed = replace(rules_request, relaxed=rules_request.relaxed | {
            rule.name for rule in rules.RULES if 0 < rule.yields <= stage})
        for attempt in range(tries):
            search = _Search(request, tables, relaxed)
            if search.construct(random.Random(attempt) if attempt else None):
                search.improve(until)
                return search.solution(started, relaxed.relaxed - rules_request.relaxed), None
    reasons = tables.scarce or (search.stuck_reason(),)
    return HouseholdSolution("infeasible", {}, seconds=time.perf_counter() - started, reasons=reasons), search


class Tables:
    """Who eats together: per free (day, slot), the groups of eating members that share a dish
    (one group unless no recipe fits them all), each group's candidates, and the notes and
    reasons these give."""

    def __init__(self, request: HouseholdRequest, apart: frozenset[int] = frozenset(),
                 spare: Mapping[str, int] | None = None, separate: frozenset[str] = frozenset()):
        """`apart`: members who eat dishes of their own, away from the others (`macro_outliers`);
        `spare`: recipes a table of a meal type needs beyond the repeat limits' count (`needed`);
        `separate`: meal types at which each eater has a dish of their own."""
        self.request, self.apart, self.spare, self.separate = request, apart, dict(spare or {}), separate
        base = request.base
        self.rules_request = replace(
            base, relaxed=base.relaxed | HANDLED_HERE,
            fixed={key: dishes[0].meal for key, dishes in request.locked.items()})
        # Each member's own day as one person's request (their meals a day, targets and bands), which
        # the rules size their portions by (`steps`) and the objective scores their days by.
        self.member_requests = [replace(base, slot_types=request.own_types(m), targets=tuple(member.targets),
                                        energy_bands=member.energy_bands, relaxed=frozenset())
                                for m, member in enumerate(request.members)]
        self._steps = {}
        self.groups: dict[tuple[int, int], list[tuple[int, ...]]] = {}
        self.options: dict[tuple[int, int, int], np.ndarray] = {}  # (day, slot, group) → candidate positions
        self.reasons: tuple[str, ...] = ()
        self.split_why: dict[tuple[int, int], str] = {}
        reasons, scarce, fitting = [], [], defaultdict(set)
        for day in range(base.days):
            for slot in range(len(base.slot_types)):
                if (day, slot) in request.locked:
                    continue
                eaters = request.eaters(day, slot)
                if not eaters:
                    continue
                ok = {m: self.fits(m, day, slot) for m in eaters}
                # A meal whose recipe was chosen by hand, or whose alternatives are given (a swap, a
                # meal re-planned alone), needs one recipe, not a week's variety.
                chosen = (day, slot) in base.slot_candidates
                for m in eaters if not chosen else ():
                    fitting[m].update(self.candidates(day, slot).recipe_ids[ok[m]].tolist())
                lonely = [m for m in eaters if not ok[m].any()]
                if lonely:
                    reasons += [self.nothing_for(m, day, slot) for m in lonely]
                    continue
                parts = [part for part in ([m for m in eaters if m in apart], [m for m in eaters if m not in apart])
                         if part]
                enough = 1 if chosen else self.needed(slot) + self.spare.get(base.slot_types[slot], 0)
                groups = ([(m,) for m in eaters] if base.slot_types[slot] in separate
                          else [group for part in parts for group in _fewest_groups(tuple(part), ok, enough)])
                self.groups[day, slot] = groups
                scarce += [(m, slot, int(ok[m].sum())) for m in eaters if not chosen and ok[m].sum() < self.needed(slot)]
                for g, group in enumerate(groups):
                    self.options[day, slot, g] = np.flatnonzero(np.logical_and.reduce([ok[m] for m in group]))
                if len(groups) > len(parts):
                    self.split_why[day, slot] = self.conflict(groups, ok, slot)
                elif len(parts) > 1:
                    self.split_why[day, slot] = self.set_apart(parts[0], slot)
        self.reasons = tuple(dict.fromkeys(reasons))
        # Members for whom, alone, too few recipes fit for a week's variety: named when no plan is
        # found; when they eat every such meal at home, there is none (the repeat limit on recipes
        # never yields).
        self.scarce = tuple(dict.fromkeys(self.too_few(*case) for case in scarce))
        self.certain = tuple(dict.fromkeys(self.too_few(m, slot, count) for m, slot, count in scarce
                                           if not self.skips_some(m, slot)))
        short = [self.too_few_in_all(m, count, meals) for m, count, meals in self.week_counts(fitting)]
        self.scarce += tuple(short)
        self.certain += tuple(short)

    def candidates(self, day: int, slot: int) -> CandidateSet:
        return self.request.base.candidates_for(day, slot)

    def needed(self, slot: int) -> int:
        return recipes_needed(self.request.base, slot)

    def common(self, day: int, slot: int) -> int:
        """How many candidates every eater of (day, slot) may eat, in a portion their band allows."""
        eaters = self.request.eaters(day, slot)
        return int(np.logical_and.reduce([self.fits(m, day, slot) for m in eaters]).sum()) if eaters else 0

    def least_cost(self, item) -> float:
        """The least a table's meal can cost: its cheapest recipe in every eater's smallest portion."""
        day, slot, group = item
        positions = self.options[item]
        steps = sum(self.steps(m, day, slot)[0][positions] for m in self.groups[day, slot][group])
        return float((self.candidates(day, slot).costs[positions] * steps).min()) * SERVING_STEP

    def cheapest_days(self) -> np.ndarray:
        """Per day, the least the household can spend: every table's `least_cost` and the locked dishes."""
        costs = np.zeros(self.request.base.days)
        for (day, _slot), dishes in self.request.locked.items():
            costs[day] += sum(dish.meal.cost * sum(dish.portions.values()) for dish in dishes)
        for item in self.options:
            costs[item[0]] += self.least_cost(item)
        return costs

    def steps(self, member: int, day: int, slot: int) -> tuple[np.ndarray, np.ndarray]:
        """(lowest, highest) serving steps the member's rules (their energy band) allow per candidate
        (a leftover lunch's candidates are the dinners, `PlanRequest.candidates_for`)."""
        base = self.request.base
        key = (member, (day, slot) if (day, slot) in base.slot_candidates
               else (base.slot_types[slot], base.leftovers_of(day, slot) is not None))
        if key not in self._steps:
            self._steps[key] = rules.servings(self.member_requests[member], base.slot_types[slot],
                                              self.candidates(day, slot))
        return self._steps[key]

    def fits(self, member: int, day: int, slot: int) -> np.ndarray:
        """Candidates the member may eat in (day, slot): allowed by their rules, some portion in their band."""
        candidates = self.candidates(day, slot)
        low, high = self.steps(member, day, slot)
        return np.isin(candidates.recipe_ids, list(self.request.members[member].allowed)) & (low <= high)

    def nothing_for(self, member: int, day: int, slot: int) -> str:
        person = self.request.members[member]
        meal_type = self.request.base.slot_types[slot]
        allowed = np.isin(self.candidates(day, slot).recipe_ids, list(person.allowed))
        if not allowed.any():
            return f"No {meal_type} recipe fits {person.name}'s rules{_in_words(person.rules)}."
        return (f"No {meal_type} recipe that fits {person.name}'s rules{_in_words(person.rules)} comes in half servings "
                f"that make {person.name}'s share of the day's energy at {meal_type}.")

    def set_apart(self, members, slot: int) -> str:
        names = " and ".join(f"{self.request.members[m].name}{_in_words(self.request.members[m].rules)}" for m in members)
        return (f"a dish shared with {names} would leave the others' protein, fat and carbohydrate far from their "
                f"targets, so {'they eat' if len(members) > 1 else 'they eat'} a {self.request.base.slot_types[slot]} "
                "of their own")

    def week_counts(self, fitting) -> list[tuple[int, int, int]]:
        """(member, recipes that fit them, their meals at home in the first week left to choose) for
        each member with too few recipes for all those meals under the repeat limit (a recipe that
        fits lunch and dinner counts once; kept meals and meals chosen by hand are not counted)."""
        base, request = self.request.base, self.request
        week = min(base.days, DAYS_PER_WEEK)
        counts = []
        for m, person in enumerate(self.request.members):
            meals = sum(m in request.eaters(day, slot) and (day, slot) not in request.locked
                        and (day, slot) not in base.slot_candidates
                        for day in range(week) for slot in range(len(base.slot_types)))
            if meals and len(fitting[m]) * max(base.max_repeats_per_week, 1) < meals:
                counts.append((m, len(fitting[m]), meals))
        return counts

    def too_few_in_all(self, member: int, count: int, meals: int) -> str:
        person, limit = self.request.members[member], self.request.base.max_repeats_per_week
        return (f"Only {count} recipe{'s fit' if count != 1 else ' fits'} {person.name}'s rules{_in_words(person.rules)} "
                f"at {person.name}'s portion sizes, too few for {person.name}'s {meals} meals a week at home with each "
                f"recipe at most {limit} time{'s' if limit != 1 else ''} in any 7 days.")

    def skips_some(self, member: int, slot: int) -> bool:
        """Whether the member does not eat some meal of this slot's meal type at home in the plan's
        first week (skipped, or not one of their own meals)."""
        base = self.request.base
        return any(base.slot_types[s] == base.slot_types[slot] and member not in self.request.eaters(day, s)
                   for day in range(min(base.days, DAYS_PER_WEEK)) for s in range(len(base.slot_types)))

    def too_few(self, member: int, slot: int, count: int) -> str:
        person, base = self.request.members[member], self.request.base
        meal_type = base.slot_types[slot]
        uses = base.slot_types.count(meal_type) * min(base.days, DAYS_PER_WEEK)
        return (f"Only {count} {meal_type} recipe{'s fit' if count != 1 else ' fits'} {person.name}'s rules"
                f"{_in_words(person.rules)} at {person.name}'s portion size, too few for {uses} {meal_type}s a week "
                f"with each recipe at most {base.max_repeats_per_week} time{'s' if base.max_repeats_per_week != 1 else ''}"
                f" in any 7 days{'' if base.allow_leftovers else ' and never on consecutive days'}.")

    def conflict(self, groups, ok, slot: int) -> str:
        """Why the eaters cannot share one dish: two of them no recipe suits both, or too few
        recipes suit them all for a week's variety."""
        members, meal_type = self.request.members, self.request.base.slot_types[slot]
        eaters = [m for group in groups for m in group]
        for first, second in itertools.combinations(eaters, 2):
            if not (ok[first] & ok[second]).any():
                a, b = members[first], members[second]
                if a.rules or b.rules:
                    return f"no {meal_type} is both {_rules_of(a)} for {a.name} and {_rules_of(b)} for {b.name}"
                return f"no {meal_type} comes in portions that suit both {a.name} and {b.name}"
        common = int(np.logical_and.reduce([ok[m] for m in eaters]).sum())
        whose = "; ".join(f"{members[m].name}: {_rules_of(members[m])}" for m in eaters if members[m].rules)
        whose = f" ({whose})" if whose else ""
        if common == 0:
            return f"no {meal_type} suits everyone{whose}"
        if common >= self.needed(slot):
            return (f"the {common} {meal_type} recipes that suit everyone{whose} run out under the repeat limits "
                    "with the week's other meals")
        return (f"only {common} {meal_type} recipe{'s suit' if common != 1 else ' suits'} everyone{whose}, too few "
                "for a week under the repeat limits")


def recipes_needed(base: PlanRequest, slot: int) -> int:
    """Different recipes a week of this slot's meal type needs under the repeat limits (and two,
    so that no recipe follows itself the next day, unless leftovers are allowed)."""
    uses = base.slot_types.count(base.slot_types[slot]) * min(base.days, DAYS_PER_WEEK)
    needed = math.ceil(uses / max(base.max_repeats_per_week, 1))
    return min(uses, needed if base.allow_leftovers else max(needed, 2))


def _in_words(words) -> str:
    return f" ({', '.join(words)})" if words else ""


def _rules_of(member: HouseholdMember) -> str:
    return " and ".join(member.rules) if member.rules else "suitable"


def _fewest_groups(eaters: tuple[int, ...], ok: dict[int, np.ndarray], needed: int) -> list[tuple[int, ...]]:
    """The eaters split into as few groups as can each share `needed` recipes (one group when
    possible); among splits into as many groups, the one whose scarcest group has the most
    recipes. When no split gives every group `needed`, the closest: the fewest groups whose
    scarcest group has as many recipes as any split gives it."""
    fallback, fallback_size = None, 0
    for count in range(1, len(eaters) + 1):
        best, best_size = None, -1
        for split in _partitions(list(eaters), count):
            sizes = [int(np.logical_and.reduce([ok[m] for m in group]).sum()) for group in split]
            if min(sizes) > best_size:
                best, best_size = split, min(sizes)
        if best_size >= needed:
            return [tuple(group) for group in best]
        if best_size > fallback_size:
            fallback, fallback_size = [tuple(group) for group in best], best_size
    return fallback or [(m,) for m in eaters]


def _partitions(items: list, count: int):
    """Every split of `items` into `count` non-empty groups (order within and among groups kept)."""
    if count == 1:
        yield [items]
        return
    if len(items) < count:
        return
    first, rest = items[0], items[1:]
    for split in _partitions(rest, count - 1):
        yield [[first], *split]
    for split in _partitions(rest, count):
        for i in range(len(split)):
            yield [*split[:i], [first, *split[i]], *split[i + 1:]]


@dataclass
class _Portion:
    """One dish as one member eats it: nutrients and cost per serving step, the allowed steps."""

    nutrients: np.ndarray  # (4,) or (options, 4)
    cost: np.ndarray | float
    low: np.ndarray | int
    high: np.ndarray | int


class _Scorer:
    """A member's best portions for a day's dishes: every combination of allowed serving steps,
    scored by the planner's objective (`OBJECTIVE.day`) against the member's targets at home."""

    def __init__(self, objective: DayObjective, base_cost: float):
        self.objective = objective
        self.base_cost = base_cost

    def combinations(self, portions: list[_Portion]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(totals (P, 4), cost (P,), steps (P, dishes)) of every combination of steps."""
        totals, costs = self.objective.base_nutrients[None, :], np.array([self.base_cost])
        steps = np.zeros((1, 0), dtype=np.int64)
        for portion in portions:
            options = np.arange(int(portion.low), int(portion.high) + 1)
            totals = (totals[:, None, :] + options[None, :, None] * portion.nutrients[None, None, :]).reshape(-1, 4)
            costs = (costs[:, None] + options[None, :] * portion.cost).reshape(-1)
            steps = np.hstack([np.repeat(steps, len(options), axis=0), np.tile(options, len(steps))[:, None]])
        return totals, costs, steps

    def best(self, combos, price: float = 0.0) -> tuple[float, float, np.ndarray, np.ndarray]:
        """(score, cost, steps per dish, totals) of the member's best portions among `combos`, each
        unit of cost charged `price` (a day over the household's budget, `_Search.sizes`)."""
        totals, costs, steps = combos
        scores = self.objective.evaluate(totals)
        best = int(np.argmin(scores + price * costs))
        return float(scores[best]), float(costs[best]), steps[best], totals[best]

    def best_with(self, combos, option: _Portion) -> tuple[np.ndarray, np.ndarray]:
        """Per alternative of one more dish (`option`'s rows), next to `combos`: (best score, its cost)."""
        totals, costs, _ = combos
        steps = np.arange(1, MAX_STEPS + 1)
        allowed = (steps[None, :] >= option.low[:, None]) & (steps[None, :] <= option.high[:, None])  # (C, S)
        added = steps[None, :, None] * option.nutrients[:, None, :]  # (C, S, 4)
        scores = self.objective.evaluate(totals[None, None, :, :] + added[:, :, None, :])  # (C, S, P)
        scores = np.where(allowed[:, :, None], scores, np.inf).reshape(len(option.low), -1)
        best = np.argmin(scores, axis=1)
        spent = (costs[None, None, :] + steps[None, :, None] * np.asarray(option.cost)[:, None, None]).reshape(
            len(option.low), -1)
        rows = np.arange(len(option.low))
        return scores[rows, best], spent[rows, best]

    def best_with_two(self, combos, first: _Portion, second: _Portion) -> tuple[np.ndarray, np.ndarray]:
        """Per pair of alternatives of two more dishes (first's rows × second's): (best score, its cost)."""
        totals, costs, _ = combos
        steps = np.arange(1, MAX_STEPS + 1)
        shape = (len(first.low), MAX_STEPS, len(second.low), MAX_STEPS, len(costs))
        allowed = [(steps[None, :] >= o.low[:, None]) & (steps[None, :] <= o.high[:, None]) for o in (first, second)]
        added = [steps[None, :, None] * o.nutrients[:, None, :] for o in (first, second)]
        grand = (totals[None, None, None, None, :, :] + added[0][:, :, None, None, None, :]
                 + added[1][None, None, :, :, None, :])
        scores = self.objective.evaluate(grand)
        mask = allowed[0][:, :, None, None, None] & allowed[1][None, None, :, :, None]
        scores = np.where(np.broadcast_to(mask, shape), scores, np.inf)
        spent = (costs[None, None, None, None, :] + (steps[None, :] * np.asarray(first.cost)[:, None])[:, :, None, None, None]
                 + (steps[None, :] * np.asarray(second.cost)[:, None])[None, None, :, :, None])
        scores = scores.transpose(0, 2, 1, 3, 4).reshape(shape[0], shape[2], -1)
        spent = np.broadcast_to(spent, shape).transpose(0, 2, 1, 3, 4).reshape(shape[0], shape[2], -1)
        best = np.argmin(scores, axis=2)
        return (np.take_along_axis(scores, best[:, :, None], 2)[:, :, 0],
                np.take_along_axis(spent, best[:, :, None], 2)[:, :, 0])


class _Search:
    """The household's recipes, one per table of each free slot, improved by a local search."""

    def __init__(self, request: HouseholdRequest, tables: Tables, rules_request: PlanRequest):
        self.request, self.tables, self.rules_request = request, tables, rules_request
        base = request.base
        self.days = base.days
        self.items = sorted(tables.options)  # (day, slot, group)
        self.choice: dict[tuple[int, int, int], int] = {}
        self.stuck = None  # the meal construction found no recipe for
        self.stuck_on_budget = False  # whether the rules left it recipes, none within the budget
        self.no_room = set()  # meals `make_room` found no move for
        members = range(len(request.members))
        self.eats = {m: [item for item in self.items if m in tables.groups[item[:2]][item[2]]] for m in members}
        self.eats_on = {(m, day): [item for item in self.eats[m] if item[0] == day] for m in members
                        for day in range(self.days)}
        self._combos = {}
        # Members with the same meals share a view of the plan, on which the rules are asked.
        signatures = {m: (frozenset(self.eats[m]), frozenset(k for k, dishes in request.locked.items()
                                                             if any(request.members[m].member_id in d.portions
                                                                    for d in dishes)))
                      for m in members}
        self.view_of = {m: list(dict.fromkeys(signatures.values())).index(signatures[m]) for m in members}
        self.views = [{} for _ in set(self.view_of.values())]
        for m in members:
            for key in signatures[m][1]:
                self.views[self.view_of[m]][key] = next(
                    d.meal.recipe_id for d in request.locked[key] if request.members[m].member_id in d.portions)
        self.scorers = {(m, day): self._scorer(m, day) for m in members for day in range(self.days)}
        self.member_score = np.zeros((len(request.members), self.days))
        self.member_cost = np.zeros((len(request.members), self.days))
        self.within = np.ones((len(request.members), self.days), dtype=bool)  # every nutrient within its band

    def _scorer(self, member: int, day: int) -> _Scorer:
        """The member's day objective at home, their locked portions counted in."""
        person = self.request.members[member]
        fixed = {key: replace(dish.meal, servings=dish.portions[person.member_id])
                 for key, dishes in self.request.locked.items() if key[0] == day
                 for dish in dishes if person.member_id in dish.portions}
        targets = tuple(np.maximum(self.request.home_targets(member, day), 1.0))
        part = replace(self.tables.member_requests[member], targets=targets, fixed=fixed)
        objective = OBJECTIVE.day(part, day)
        objective = replace(objective, band_penalty=objective.band_penalty * ENERGY_BAND_PRIORITY)
        return _Scorer(objective, sum(meal.cost * meal.servings for meal in fixed.values()))

    # The dishes as each member eats them.

    def portion(self, member: int, item, position: int) -> _Portion:
        candidates = self.tables.candidates(*item[:2])
        low, high = self.tables.steps(member, *item[:2])
        return _Portion(candidates.nutrients[position] * SERVING_STEP, float(candidates.costs[position]) * SERVING_STEP,
                        int(low[position]), int(high[position]))

    def combos(self, member: int, day: int, leave_out=()):
        """Every combination of the member's portions of the day's placed dishes but `leave_out`
        (`_Scorer.combinations`), remembered: the search keeps coming back to the same days."""
        placed = tuple((item, self.choice[item]) for item in self.eats_on[member, day]
                       if item not in leave_out and item in self.choice)
        key = (member, day, placed)
        if key not in self._combos:
            self._combos[key] = self.scorers[member, day].combinations(
                [self.portion(member, item, position) for item, position in placed])
        return self._combos[key]

    def options(self, member: int, item, positions: np.ndarray) -> _Portion:
        candidates = self.tables.candidates(*item[:2])
        low, high = self.tables.steps(member, *item[:2])
        return _Portion(candidates.nutrients[positions] * SERVING_STEP, candidates.costs[positions] * SERVING_STEP,
                        low[positions], high[positions])

    def rescore(self, day: int):
        for m, size in self.sizes(day).items():
            score, cost, _, totals = size
            objective = self.scorers[m, day].objective
            self.member_score[m, day], self.member_cost[m, day] = score, cost
            self.within[m, day] = bool(np.all(np.abs(totals - objective.targets) <= objective.band))

    def sizes(self, day: int) -> dict[int, tuple]:
        """Each member's portions of the day's dishes (`_Scorer.best`, per member eating at home):
        their best, or, when these cost the household more than its budget, the best with each
        unit of cost charged the least price (found by bisection) at which they keep it, so the
        fit is given up where it saves the most."""
        def sized(price: float) -> dict[int, tuple]:
            return {m: self.scorers[m, day].best(self.combos(m, day), price) for m in range(len(self.request.members))
                    if self.request.home_share(m, day) > 0}

        def keeps(sizes) -> bool:
            return bool(BUDGET.keeps(self.request.base, sum(size[1] for size in sizes.values())))

        sizes = sized(0.0)
        if self.request.base.budget is None or keeps(sizes):
            return sizes
        low, high = 0.0, 1.0
        while not keeps(sized(high)) and high < 1e9:
            low, high = high, high * 8
        for _ in range(BUDGET_BISECTIONS):
            middle = (low + high) / 2
            low, high = (low, middle) if keeps(sized(middle)) else (middle, high)
        return sized(high)

    # The rules, asked for each view of the plan that eats the item.

    def group(self, item) -> tuple[int, ...]:
        return self.tables.groups[item[:2]][item[2]]

    def allowed(self, item, ignore=None) -> np.ndarray:
        """The item's candidate positions no rule forbids, given the rest of the plan (but the
        meal `ignore`, about to change too)."""
        day, slot, _ = item
        positions = self.tables.options[item]
        recipe_ids = self.tables.candidates(day, slot).recipe_ids
        changing = {self.view_of[m] for m in self.group(ignore)} if ignore else set()
        for view in {self.view_of[m] for m in self.group(item)}:
            # `ignore` is left out only of the views that eat it: a member of another table at its
            # meal keeps their own dish there.
            left_out = {(day, slot), *((ignore[:2],) if view in changing else ())}
            placed = {key: recipe for key, recipe in self.views[view].items() if key not in left_out}
            blocked = rules.blocked(self.rules_request, day, slot, placed)
            if blocked:
                positions = positions[[int(r) not in blocked for r in recipe_ids[positions].tolist()]]
            today = sorted((s, r) for (d, s), r in placed.items() if d == day)
            if today and len(positions):
                recipes = np.hstack([np.tile([r for _, r in today], (len(positions), 1)), recipe_ids[positions][:, None]])
                partial = rules.PartialDays(day, recipes, np.zeros(len(positions)), 0.0,
                                            (*(s for s, _ in today), slot), placed)
                positions = positions[rules.keep_partial(self.rules_request, partial)]
        return positions

    def place(self, item, position: int):
        self.choice[item] = position
        recipe = int(self.tables.candidates(*item[:2]).recipe_ids[position])
        for view in {self.view_of[m] for m in self.group(item)}:
            self.views[view][item[:2]] = recipe

    def stuck_reason(self) -> str:
        """The meal the days planned in order could not fill, and whose rules left it no recipe."""
        day, slot, _ = self.stuck
        people = " and ".join(f"{self.request.members[m].name}{_in_words(self.request.members[m].rules)}"
                              for m in self.group(self.stuck))
        meal_type = self.request.base.slot_types[slot]
        if self.stuck_on_budget:
            return (f"No {meal_type} for {people} on day {day + 1} keeps the day within the budget of "
                    f"{rules.money(self.request.base.budget)} for the household.")
        return (f"No {meal_type} was left for {people} on day {day + 1}: the recipes that "
                f"fit {'them' if len(self.group(self.stuck)) > 1 else 'their rules'} were used up by the repeat limits.")

    def unplace(self, item):
        if self.choice.pop(item, None) is not None:
            for view in {self.view_of[m] for m in self.group(item)}:
                self.views[view].pop(item[:2], None)

    def kept(self, item, positions: np.ndarray) -> np.ndarray:
        recipe_ids = self.tables.candidates(*item[:2]).recipe_ids[positions]
        return OBJECTIVE.kept_penalty(self.rules_request, item[0], item[1], recipe_ids)

    # Scoring moves.

    def over_budget(self, spent: np.ndarray) -> np.ndarray:
        """0 where the day's spending keeps the household's budget, infinite where it does not:
        the budget is a hard limit (`BudgetRule`), never traded for a better fit."""
        if self.request.base.budget is None:
            return np.zeros_like(spent)
        return np.where(BUDGET.keeps(self.request.base, spent), 0.0, np.inf)

    def move_scores(self, item, positions: np.ndarray, shares: Mapping[int, float] | None = None,
                    rest: float = 0.0) -> np.ndarray:
        """The day's household score with `item` taking each of `positions` (the rest as placed);
        with `shares`, each eater is judged on that share of their day (a day planned so far),
        and `rest` is the least its meals still to plan can cost."""
        day = item[0]
        group = self.group(item)
        others = [m for m in range(len(self.request.members)) if m not in group]
        total = np.full(len(positions), float(self.member_score[others, day].sum()))
        spent = np.full(len(positions), float(self.member_cost[others, day].sum()))
        for m in group:
            scorer = self.scorers[m, day]
            if shares is not None:
                scorer = _Scorer(scorer.objective.scaled(shares[m]), scorer.base_cost)
            score, cost = scorer.best_with(self.combos(m, day, leave_out=(item,)), self.options(m, item, positions))
            total += score
            spent += cost
        return total + self.over_budget(spent + rest) + self.kept(item, positions)

    def day_score(self, day: int) -> float:
        spent = self.member_cost[:, day].sum()
        kept = sum(float(self.kept(item, np.array([self.choice[item]]))[0]) for item in self.items if item[0] == day)
        return float(self.member_score[:, day].sum() + self.over_budget(np.array([spent]))[0] + kept)

    # The search.

    def construct(self, rng: random.Random | None = None) -> bool:
        """Day by day, meal by meal, the recipe that best fits the day planned so far (with `rng`,
        one of the best few at random); a day whose meal the rules leave no recipe is planned
        again with random choices a few times; False when it stays stuck."""
        for day in range(self.days):
            tries = [rng] + [random.Random(attempt) for attempt in range(1, DAY_RETRIES)]
            if not any(self.construct_day(day, chance) for chance in tries):
                return False
            self.rescore(day)
        return True

    def construct_day(self, day: int, rng: random.Random | None) -> bool:
        """One day's meals in order (`construct`); when stuck, the day's meals are taken back."""
        request = self.request
        members = range(len(request.members))
        home = {m: request.home_share(m, day) for m in members}
        eaten = {m: 1.0 - home[m] for m in members}  # the skipped meals, and the locked ones below
        eaten.update({m: eaten[m] + sum(request.slot_share(m, s) for (d, s) in request.locked
                                        if d == day and m in request.eaters(d, s))
                      for m in members})
        items = [item for item in self.items if item[0] == day]
        for index, item in enumerate(items):
            for m in self.group(item):
                eaten[m] += request.slot_share(m, item[1])
            positions = self.allowed(item)
            if not len(positions) and item not in self.no_room:  # a day planned again meets the same wall
                positions = self.make_room(item)
                self.no_room |= set() if len(positions) else {item}
            progress = {m: min(1.0, max(eaten[m] - (1 - home[m]), 0) / max(home[m], 1e-9)) for m in members}
            rest = sum(self.tables.least_cost(later) for later in items[index + 1:])
            scores = self.move_scores(item, positions, shares=progress, rest=rest) if len(positions) else positions
            if not np.isfinite(scores).any():
                for placed in items:
                    self.unplace(placed)
                self.stuck, self.stuck_on_budget = item, bool(len(positions))
                return False
            best = np.argsort(scores, kind="stable")[:min(CONSTRUCTION_CHOICES if rng else 1, int(np.isfinite(scores).sum()))]
            self.place(item, int(positions[rng.choice(best.tolist()) if rng else best[0]]))
            if self.request.base.budget is not None:
                self.rescore(day)  # the others' spending so far, which the budget counts
        return True

    def seed(self, recipes: Mapping[tuple[int, int, int], int]) -> bool:
        """Every item takes the given recipe; False when a rule or the budget forbids one."""
        for item, recipe in recipes.items():
            self.place(item, int(np.flatnonzero(self.tables.candidates(*item[:2]).recipe_ids == recipe)[0]))
        for day in range(self.days):
            self.rescore(day)
        return (all(self.choice[item] in self.allowed(item).tolist() for item in self.items)
                and all(np.isfinite(self.day_score(day)) for day in range(self.days)))

    def make_room(self, item) -> np.ndarray:
        """The item's recipes after one meal already placed for some of its eaters, in the 7 days
        before, moves to another recipe the rules allow it: the days planned in order can use up
        what a later meal needs (its few recipes eaten at lunch, at most twice a week), which no
        replanning of the stuck day gives back. Empty when no single move makes room."""
        eaters = set(self.group(item))
        for other in sorted((o for o in self.choice if o[0] > item[0] - DAYS_PER_WEEK and eaters & set(self.group(o))),
                            reverse=True):
            was = self.choice[other]
            self.unplace(other)
            if len(self.allowed(item)):
                alternatives = self.allowed(other)
                alternatives = alternatives[alternatives != was]
                scores = self.move_scores(other, alternatives) if len(alternatives) else alternatives
                for position in alternatives[np.argsort(scores, kind="stable")][np.isfinite(np.sort(scores))].tolist():
                    self.place(other, position)
                    freed = self.allowed(item)
                    if len(freed):
                        self.rescore(other[0])
                        return freed
                    self.unplace(other)
            self.place(other, was)
        return np.empty(0, dtype=np.int64)

    def improve(self, until: float):
        """Replace one recipe at a time wherever the day's score falls, worst day first; where a
        member's day is still outside a tolerance band, swap meals between days or replace two at
        a time; until nothing improves, the last STALL_SECONDS improved the objective by less than
        STALL_SHARE of it, or time runs out."""
        improved = True
        checkpoint = (time.perf_counter(), self.total())
        while improved and time.perf_counter() < until:
            now = time.perf_counter()
            if now - checkpoint[0] >= STALL_SECONDS:
                if checkpoint[1] - self.total() < STALL_SHARE * checkpoint[1]:
                    return
                checkpoint = (now, self.total())
            improved = False
            for day in np.argsort(-self.member_score.sum(axis=0), kind="stable").tolist():
                if self.member_score[:, day].sum() <= EPSILON or time.perf_counter() >= until:
                    continue
                improved |= self.improve_day(day)
            for search in (self.improve_pairs, self.improve_leftovers, self.improve_swaps):  # where someone is off target
                if improved:
                    break
                for day in np.argsort(-self.member_score.sum(axis=0), kind="stable").tolist():
                    if self.within[:, day].all() or time.perf_counter() >= until:
                        continue
                    improved |= search(day, until)

    def total(self) -> float:
        return sum(self.day_score(day) for day in range(self.days))

    def improve_day(self, day: int) -> bool:
        improved = False
        for item in [item for item in self.items if item[0] == day]:
            current = self.day_score(day)
            positions = self.allowed(item)
            if not len(positions):
                continue
            scores = self.move_scores(item, positions)
            best = int(np.argmin(scores))
            if scores[best] < current - EPSILON and positions[best] != self.choice[item]:
                self.place(item, int(positions[best]))
                self.rescore(day)
                improved = True
        return improved

    def improve_swaps(self, day: int, until: float) -> bool:
        """A meal of the day swapped with the same meal on another day: the repeat limits count
        the same recipes, so this reaches recipes the limits keep from a single replacement."""
        for item in [item for item in self.items if item[0] == day]:
            for other in [o for o in self.items if o[1:] == item[1:] and o[0] != day]:
                if time.perf_counter() >= until:
                    return False
                if (self.tables.candidates(*other[:2]) is not self.tables.candidates(*item[:2])
                        or self.choice[other] == self.choice[item] or self.group(other) != self.group(item)):
                    continue
                mine, theirs = self.choice[item], self.choice[other]
                if theirs not in self.tables.options[item] or mine not in self.tables.options[other]:
                    continue
                before = self.day_score(day) + self.day_score(other[0])
                after = self.move_scores(item, np.array([theirs]))[0] + self.move_scores(other, np.array([mine]))[0]
                if after >= before - EPSILON:
                    continue
                self.place(item, theirs)
                self.place(other, mine)
                if theirs in self.allowed(item).tolist() and mine in self.allowed(other).tolist():
                    self.rescore(day)
                    self.rescore(other[0])
                    return True
                self.place(item, mine)
                self.place(other, theirs)
        return False

    def improve_leftovers(self, day: int, until: float) -> bool:
        """The day's dinner and the next day's lunch of its leftovers changed together: each ties
        the other to its recipe (`LeftoverLunchRule`), so no single move or swap changes them. A
        dinner whose lunch eaters all eat it is tried with each recipe both may take, the two days
        scored jointly; the best that improves them is taken."""
        for (dinner_day, dinner_slot), lunch_key in self.request.base.leftover_pairs():
            for dinner in [item for item in self.items if item[:2] == (dinner_day, dinner_slot) and dinner_day == day]:
                lunches = [item for item in self.items
                           if item[:2] == lunch_key and set(self.group(item)) <= set(self.group(dinner))]
                if len(lunches) != 1 or time.perf_counter() >= until:
                    continue
                lunch, was = lunches[0], (self.choice[dinner], self.choice[lunches[0]])
                positions = np.intersect1d(self.allowed(dinner, ignore=lunch), self.allowed(lunch, ignore=dinner))
                positions = positions[positions != was[0]]
                if not len(positions):
                    continue
                current = self.day_score(dinner_day) + self.day_score(lunch_key[0])
                scores = self.move_scores(dinner, positions) + self.move_scores(lunch, positions)
                for k in np.argsort(scores, kind="stable").tolist():
                    if scores[k] >= current - EPSILON:
                        break
                    self.place(dinner, int(positions[k]))
                    self.place(lunch, int(positions[k]))
                    if positions[k] in self.allowed(dinner).tolist() and positions[k] in self.allowed(lunch).tolist():
                        self.rescore(dinner_day)
                        self.rescore(lunch_key[0])
                        return True
                    self.place(dinner, was[0])
                    self.place(lunch, was[1])
        return False

    def improve_pairs(self, day: int, until: float) -> bool:
        """Two meals of the day changed at once: the best few replacements of each (by their
        single-move scores), every pairing of them scored jointly (`pair_scores`); the best pairing
        the rules allow is taken when it improves the day."""
        items = [item for item in self.items if item[0] == day]
        for first, second in itertools.combinations(items, 2):
            if time.perf_counter() >= until:
                return False
            current = self.day_score(day)
            shortlists = []
            for item in (first, second):
                positions = self.allowed(item, ignore=first if item is second else second)
                scores = self.move_scores(item, positions) if len(positions) else positions
                shortlists.append(positions[np.argsort(scores, kind="stable")[:PAIR_OPTIONS]])
            if not all(len(s) for s in shortlists):
                continue
            scores = self.pair_scores(first, shortlists[0], second, shortlists[1])
            was = self.choice[first], self.choice[second]
            for flat in np.argsort(scores, axis=None, kind="stable").tolist():
                a, b = divmod(flat, scores.shape[1])
                if scores[a, b] >= current - EPSILON:
                    break
                self.place(first, int(shortlists[0][a]))
                self.place(second, was[1])
                if int(shortlists[1][b]) in self.allowed(second).tolist():
                    self.place(second, int(shortlists[1][b]))
                    self.rescore(day)
                    return True
                self.place(first, was[0])
        return False

    def pair_scores(self, first, first_positions, second, second_positions) -> np.ndarray:
        """The day's household score with `first` and `second` taking each pairing of their
        positions (rows: first's, columns: second's), every eater's portions sized anew."""
        day = first[0]
        shape = (len(first_positions), len(second_positions))
        total, spent = np.zeros(shape), np.zeros(shape)
        both = set(self.group(first)) & set(self.group(second))
        for m in range(len(self.request.members)):
            if m in both:
                score, cost = self.scorers[m, day].best_with_two(
                    self.combos(m, day, leave_out=(first, second)), self.options(m, first, first_positions),
                    self.options(m, second, second_positions))
            elif m in self.group(first) or m in self.group(second):
                item, positions = (first, first_positions) if m in self.group(first) else (second, second_positions)
                score, cost = self.scorers[m, day].best_with(self.combos(m, day, leave_out=(item,)),
                                                             self.options(m, item, positions))
                score, cost = (score[:, None], cost[:, None]) if item is first else (score[None, :], cost[None, :])
            else:
                score, cost = self.member_score[m, day], self.member_cost[m, day]
            total, spent = total + score, spent + cost
        return (total + self.over_budget(spent) + self.kept(first, first_positions)[:, None]
                + self.kept(second, second_positions)[None, :])

    # The result.

    def solution(self, started: float, relaxed: frozenset[str], split: tuple[str, ...] | None = None) -> HouseholdSolution:
        """The plan found; `split`: why meals are cooked as several dishes, when not the tables' reasons."""
        request = self.request
        meals = {key: tuple(HouseholdDish(d.meal.recipe_id, dict(d.portions)) for d in dishes)
                 for key, dishes in request.locked.items()}
        portions = defaultdict(dict)
        for day in range(self.days):
            for m, (_, _, steps, _) in self.sizes(day).items():
                for item, step in zip(self.eats_on[m, day], steps.tolist()):
                    portions[item][request.members[m].member_id] = step * SERVING_STEP
        for (day, slot), groups in self.tables.groups.items():
            meals[day, slot] = tuple(
                HouseholdDish(int(self.tables.candidates(day, slot).recipe_ids[self.choice[day, slot, g]]),
                              portions[day, slot, g]) for g in range(len(groups)))
        extra = sum(len(groups) - 1 for groups in self.tables.groups.values())
        objective = sum(self.day_score(day) for day in range(self.days)) + SECOND_DISH_COST * extra
        optimal = all(self.member_score[:, day].sum() <= EPSILON for day in range(self.days))
        notes = (*(self.split_notes() if split is None else split), *self.shortfalls(meals),
                 *(rule.yielded for rule in rules.RULES if rule.name in relaxed))
        return HouseholdSolution("optimal" if optimal else "time_limit", meals, objective=objective,
                                 seconds=time.perf_counter() - started, notes=notes, relaxed=relaxed)

    def split_notes(self) -> list[str]:
        """One sentence per reason a meal is cooked as more than one dish, naming the days."""
        days = defaultdict(list)
        for (day, slot), why in sorted(self.tables.split_why.items()):
            days[self.request.base.slot_types[slot], len(self.tables.groups[day, slot]), why].append(day + 1)
        return [f"{meal_type.capitalize()} is cooked as {DISHES.get(count, count)} dishes on day{'s' if len(on) > 1 else ''} "
                f"{', '.join(map(str, on))}: {why}." for (meal_type, count, why), on in days.items()]

    def shortfalls(self, meals) -> list[str]:
        """Each member-day whose energy misses the member's target at home by more than 10 %."""
        totals = member_day_totals(self.request, meals)
        sentences = []
        for m, person in enumerate(self.request.members):
            for day in range(self.days):
                target = self.request.home_targets(m, day)[KCAL]
                eaten = totals[person.member_id][day, KCAL]
                if target > 0 and abs(eaten / target - 1) > 0.10:
                    sentences.append(f"Day {day + 1}: {person.name} gets {eaten:,.0f} kcal of {target:,.0f} "
                                     f"({eaten / target - 1:+.0%}).")
        return sentences


def _alone_plans(request: HouseholdRequest, until: float) -> tuple[list[str], dict[int, PlanSolution]]:
    """Each member planned alone (every one of their meals a day at home, on the recipes they may
    eat, under its rules bar the budget and the rules that yield) by the one-person MILP:
    (reasons, plans), a plan's slots numbered within the member's own day. Reasons name the first
    member who has no plan even alone, which the MILP proves, so no household plan exists, with
    the rule the one-person explainer finds; plans are the members' plans found before. Not asked
    of plans with kept meals, nor of members who eat some of their meals elsewhere."""
    plans = {}
    if request.locked or request.base.slot_candidates:
        return [], plans
    for m, person in enumerate(request.members):
        if person.skipped or time.perf_counter() >= until:
            continue
        alone = replace(request.base, slot_types=request.own_types(m), targets=tuple(person.targets),
                        energy_bands=person.energy_bands,
                        candidates={meal_type: candidates.subset(np.isin(candidates.recipe_ids, list(person.allowed)))
                                    for meal_type, candidates in request.base.candidates.items()},
                        relaxed=request.base.relaxed | {rule.name for rule in rules.RULES if rule.yields} | {BUDGET.name})
        plan = first_plan(alone, time_limit=max(until - time.perf_counter(), 0.05))
        if plan.status == "infeasible":  # proven, not out of time
            words = explain_infeasible(alone, time_limit=EXPLAIN_SECONDS)
            return [f"{person.name}{_in_words(person.rules)} alone has no plan: {' '.join(words)}"], plans
        if plan.found:
            plans[m] = plan
    return [], plans


def _plan_apart(request: HouseholdRequest, alone: Mapping[int, PlanSolution], started: float,
                until: float) -> HouseholdSolution | None:
    """The household's plan from every member's plan alone (`_alone_plans`), each eating a dish
    of their own at every meal, portions sized and recipes improved as any plan's: when the shared
    tables found none, so that a household whose every member has a plan is not refused. The rules
    that yield are kept where the members' plans keep them; None when the plans together break the
    household's budget."""
    tables = Tables(request, separate=frozenset(request.base.slot_types))
    rules_request = tables.rules_request
    stages = sorted({rule.yields for rule in rules.active_rules(rules_request) if rule.yields})
    for stage in [0, *stages]:
        relaxed = replace(rules_request, relaxed=rules_request.relaxed | {
            rule.name for rule in rules.RULES if 0 < rule.yields <= stage})
        search = _Search(request, tables, relaxed)
        own = [sorted(slots) for slots in request.own_slots]
        if search.seed({(day, slot, g): alone[m].meals[day, own[m].index(slot)].recipe_id
                        for day, slot, g in search.items for m in search.group((day, slot, g))}):
            search.improve(until)
            return search.solution(started, relaxed.relaxed - rules_request.relaxed, split=(APART_NOTE,))
    return None


def _rule_reasons(request: HouseholdRequest, tables: Tables, until: float) -> list[str]:
    """The household's written weekly rule whose dropping alone lets its recipes be chosen, in
    that rule's own words (the variety rules are named by `_Search.stuck_reason`)."""
    full = replace(tables.rules_request, relaxed=tables.rules_request.relaxed | {
        rule.name for rule in rules.RULES if rule.yields})
    for rule in rules.active_rules(full):
        if time.perf_counter() >= until:
            break
        if isinstance(rule, rules.WeeklyRuleBase) and _Search(request, tables, rule.relax(full)).construct():
            return rule.reasons(full, time_limit=1.0)
    return []
