"""Planning operations the pages call: generate, regenerate, swap, lock.

Each runs in one transaction and either stores a complete plan or raises
PlanInfeasible with plain-words reasons, leaving any existing plan unchanged.
Targets are per person; PlannedMeal.servings is what one person eats and
household size only scales the shopping list.

The user must have a Profile: `user.profile` raises Profile.DoesNotExist
otherwise (the pages send people to the profile form first).
Regenerating the whole plan refreshes its targets and household size from
the current profile; regenerating a day or a meal, and swapping, balance
against the targets the plan was made with. A plan keeps its meals-per-day
layout; changing that needs a new plan. A swapped-in meal is stored locked,
since the person chose it; they can unlock it. A locked meal that breaks the
profile's current diet or allergen rules is replaced by "Regenerate plan"
unless the person chose to keep it anyway.
"""

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from django_tasks import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from meals.models import Recipe
from mealplan import planning, selectors, tasks
from mealplan.planning import household
from mealplan.errors import PlanInfeasible
from mealplan.models import (
    MAX_PLAN_DAYS, Household, HouseholdInvitation, MealPlan, MealPortion, PlanJob, PlanJobKind, PlanJobStatus, PlanMember,
    PlannedMeal, Profile, ShoppingItemCheck, SkippedMeal, SolverStatus, household_name,
)
from mealplan.people.slots import energy_bands_for, meal_types_for
from mealplan.people.targets import NotPlanned, Targets, targets_for_profile

PLAN_START_WINDOW = timedelta(days=365)
RELATIVE_GAP = 0.01


@dataclass(frozen=True)
class Scope:
    """What a re-solve may change: everything else stays as it is."""

    fixed: dict = field(default_factory=dict)
    slot_candidates: dict = field(default_factory=dict)
    previous: dict = field(default_factory=dict)


def _profile_targets(targets: Targets) -> tuple[float, float, float, float]:
    return (targets.kcal, targets.protein_g, targets.fat_g, targets.carb_g)


def _stored_targets(row: MealPlan | PlanMember) -> tuple[float, float, float, float]:
    """The targets a plan, or one member of it, was planned for (both store the same four fields)."""
    return (row.target_kcal, row.target_protein_g, row.target_fat_g, row.target_carb_g)


def _store_targets(row: MealPlan | PlanMember, targets: tuple[float, float, float, float]):
    """Set the targets a plan, or one member of it, is planned for (`_stored_targets` reads them back)."""
    row.target_kcal, row.target_protein_g, row.target_fat_g, row.target_carb_g = targets


def _catalog_candidates(rules: selectors.HardRules, slot_types, needed) -> dict[str, planning.CandidateSet]:
    """Candidates per meal type (read only for the `needed` ones); raises with the catalog's
    reasons when a needed meal type has none."""
    nothing = planning.CandidateSet.from_rows([])
    candidates = {t: selectors.candidate_set(selectors.recipes_satisfying(rules, t)) if t in needed else nothing
                  for t in dict.fromkeys(slot_types)}
    missing = [t for t in candidates if t in needed and len(candidates[t]) == 0]
    if missing:
        raise PlanInfeasible([
            planning.missing_meal_type(
                planning.describe_rules(t, diet_name=rules.diet_name, allergen_names=rules.allergen_names,
                                       has_dislikes=rules.has_dislikes, max_minutes=rules.max_minutes),
                selectors.catalog_counts(rules, t),
            )
            for t in missing
        ])
    return candidates


def build_request(profile, *, days: int, slot_types, targets, scope: Scope = Scope(),
                  history: tuple[planning.EarlierMeal, ...] = (), start_date: date | None = None) -> planning.PlanRequest:
    """The planner's input: the profile's rules (its written weekly rules too, on the weekdays from
    `start_date`), candidates for the meal types left to choose, and what was planned for the days
    before (`selectors.earlier_meals`)."""
    needed = {slot_types[slot] for day in range(days) for slot in range(len(slot_types))
              if (day, slot) not in scope.fixed and (day, slot) not in scope.slot_candidates}
    return planning.PlanRequest(
        days=days,
        slot_types=tuple(slot_types),
        targets=targets,
        candidates=_catalog_candidates(selectors.hard_rules(profile), slot_types, needed),
        budget=float(profile.daily_budget) if profile.daily_budget is not None else None,
        max_repeats_per_week=profile.max_repeats_per_week,
        allow_leftovers=profile.allow_leftovers,
        fixed=scope.fixed,
        slot_candidates=scope.slot_candidates,
        previous=scope.previous,
        history=history,
        weekly_rules=selectors.written_rules(profile),
        energy_bands=energy_bands_for(len(slot_types), profile.energy_bands),
        leftover_lunches=profile.leftover_lunches,
        first_weekday=start_date.weekday() if start_date else 0,
    )


def solve_or_raise(request: planning.PlanRequest) -> planning.PlanSolution:
    """Solve on the best-fitting candidates; if that fails, on four times as many, in the time left
    (at least half the limit); else explain why. (All of a large catalog's candidates made a model
    that took seconds to build, beyond any time limit.)"""
    time_limit, started = settings.MEALPLAN_SOLVER_TIME_LIMIT, time.perf_counter()
    solution = planning.solve(planning.preselect(request), time_limit=time_limit, relative_gap=RELATIVE_GAP)
    if not solution.found:
        left = max(time_limit - (time.perf_counter() - started), time_limit / 2)
        wider = planning.preselect(request, keep=planning.WIDER_KEEP)
        solution = planning.solve(wider, time_limit=left, relative_gap=RELATIVE_GAP)
    if not solution.found:
        raise PlanInfeasible(planning.explain_infeasible(request, time_limit=time_limit,
                                                         searched_out=solution.status == "time_limit"))
    return solution


def _record_solver(plan: MealPlan, solution: planning.PlanSolution | household.HouseholdSolution):
    plan.solver_status = SolverStatus.OPTIMAL if solution.status == "optimal" else SolverStatus.TIME_LIMIT
    plan.solver_objective = solution.objective
    plan.solver_gap = getattr(solution, "gap", None)  # the household search has no bound
    plan.solver_seconds = solution.seconds
    plan.solver_notes = list(solution.notes)


def _servings(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


def validate_start_date(start_date: date):
    """A plan starts within a year of today: the dates it shows stay real calendar dates."""
    today = timezone.localdate()
    first, last = today - PLAN_START_WINDOW, today + PLAN_START_WINDOW
    if not first <= start_date <= last:
        raise ValidationError(f"Choose a start date between {first:%-d %b %Y} and {last:%-d %b %Y}.")


@transaction.atomic
def generate_plan(*, user, start_date: date, days: int) -> MealPlan:
    """A plan for `user`'s household: for its one member as before households, or, with several
    members, one dish a meal with each member's own portion (`_generate_household_plan`)."""
    if not 1 <= days <= MAX_PLAN_DAYS:
        raise ValidationError(f"A plan covers 1 to {MAX_PLAN_DAYS} days, not {days}.")
    validate_start_date(start_date)
    profile = user.profile
    targets = targets_for_profile(profile)
    slot_types = meal_types_for(profile.meals_per_day)
    others = _planned_members(profile)
    if others:
        return _generate_household_plan(user=user, members=[profile, *others], slot_types=slot_types,
                                        start_date=start_date, days=days)
    solution = solve_or_raise(build_request(profile, days=days, slot_types=slot_types, targets=_profile_targets(targets),
                                            history=selectors.earlier_meals(profile.household_id, start_date), start_date=start_date))
    plan = MealPlan(owner=user, household_id=profile.household_id, start_date=start_date, days=days,
                    household_size=profile.household_size)
    _store_targets(plan, _profile_targets(targets))
    _record_solver(plan, solution)
    plan.save()
    meals = PlannedMeal.objects.bulk_create(
        PlannedMeal(plan=plan, day=day, slot=slot, meal_type=slot_types[slot], recipe_id=meal.recipe_id,
                    servings=_servings(meal.servings))
        for (day, slot), meal in sorted(solution.meals.items())
    )
    eater = PlanMember(plan=plan, member=profile, position=0, name=profile.display_name[:80])
    _store_targets(eater, _stored_targets(plan))
    eater.save()
    MealPortion.objects.bulk_create(MealPortion(meal=meal, member=eater, servings=meal.servings) for meal in meals)
    return plan


def _portions_follow(meals: list[PlannedMeal]):
    """A one-member plan's portions are its meals' servings: store those the planner changed."""
    servings = {meal.pk: meal.servings for meal in meals}
    portions = list(MealPortion.objects.filter(meal_id__in=servings))
    for portion in portions:
        portion.servings = servings[portion.meal_id]
    MealPortion.objects.bulk_update(portions, ["servings"])


# Households: a plan for several members is planned by planning.household.plan_household, each
# member by their own targets and hard rules, at the plan's slots less those they eat elsewhere.
# The planner knows members by their position in the plan (PlanMember.position).


def _planned_members(profile) -> list[Profile]:
    """The other current members of `profile`'s household the planner has targets for."""
    planned = []
    for member in selectors.current_members(profile.household):
        if member.pk == profile.pk:
            continue
        try:
            targets_for_profile(member)
        except NotPlanned:
            continue
        planned.append(member)
    return planned


def _skipped_slots(member: Profile, *, start_date: date, days: int, slot_types) -> frozenset[tuple[int, int]]:
    """The (day, slot) pairs of a plan from `start_date` the member eats elsewhere (SkippedMeal)."""
    skips = {(skip.weekday, skip.meal_type) for skip in member.skipped_meals.all()}
    return frozenset((day, slot) for day in range(days) for slot, meal_type in enumerate(slot_types)
                     if ((start_date.weekday() + day) % 7, meal_type) in skips)


@dataclass(frozen=True)
class _Eater:
    """A member as a household request needs them: position in the plan, name, current profile
    (None once gone: no rules of their own), the targets planned for, and the slots they skip."""

    position: int
    name: str
    profile: Profile | None
    targets: tuple[float, float, float, float]
    skipped: frozenset[tuple[int, int]]
    own_meals: int | None = None  # their own meals a day within the household's (None: every one)


def _household_request(eaters: list[_Eater], *, creator: Profile, days: int, slot_types, start_date: date,
                       history, scope: Scope = Scope(), locked=None) -> household.HouseholdRequest:
    """The household planner's input: each eater's own rules as the recipes they may eat, the
    candidates every recipe one of them may eat, and the maker's shared settings (repeat limits,
    written weekly rules; their budget a person a day, for everyone)."""
    rules = {eater.position: selectors.hard_rules(eater.profile) if eater.profile else selectors.HardRules()
             for eater in eaters}
    allowed = {eater.position: set() for eater in eaters}
    candidates = {}
    for meal_type in dict.fromkeys(slot_types):
        anyone = set()
        for eater in eaters:
            ids = set(selectors.recipes_satisfying(rules[eater.position], meal_type).values_list("pk", flat=True))
            allowed[eater.position] |= ids
            anyone |= ids
        candidates[meal_type] = selectors.candidate_set(Recipe.objects.filter(pk__in=anyone))
    members = tuple(household.HouseholdMember(
        member_id=eater.position, name=eater.name, targets=eater.targets, allowed=frozenset(allowed[eater.position]),
        rules=household.rule_words(diet_name=rules[eater.position].diet_name,
                                   allergen_names=rules[eater.position].allergen_names,
                                   has_dislikes=rules[eater.position].has_dislikes,
                                   max_minutes=rules[eater.position].max_minutes),
        energy_bands=energy_bands_for(min(eater.own_meals or len(slot_types), len(slot_types)),
                                      eater.profile.energy_bands) if eater.profile else None,
        skipped=eater.skipped, meal_types=meal_types_for(eater.own_meals) if eater.own_meals else None)
        for eater in eaters)
    budget = float(creator.daily_budget) * len(eaters) if creator.daily_budget is not None else None
    base = planning.PlanRequest(
        days=days, slot_types=tuple(slot_types), targets=eaters[0].targets, candidates=candidates, budget=budget,
        max_repeats_per_week=creator.max_repeats_per_week, allow_leftovers=creator.allow_leftovers,
        leftover_lunches=creator.leftover_lunches, slot_candidates=scope.slot_candidates, previous=scope.previous,
        history=history, weekly_rules=selectors.written_rules(creator), first_weekday=start_date.weekday())
    return household.HouseholdRequest(base=base, members=members, locked=locked or {})


def household_request(members: list[Profile], *, days: int, slot_types, start_date: date,
                      history=()) -> household.HouseholdRequest:
    """The household planner's input for `members` (the first makes the plan: their settings are
    shared), each by their current targets and the meals they eat elsewhere from `start_date`.
    Raises NotPlanned for a member the planner has no targets for."""
    eaters = [_Eater(position=position, name=member.display_name[:80], profile=member,
                     targets=_profile_targets(targets_for_profile(member)),
                     skipped=_skipped_slots(member, start_date=start_date, days=days, slot_types=slot_types),
                     own_meals=member.own_meals_per_day)
              for position, member in enumerate(members)]
    return _household_request(eaters, creator=members[0], days=days, slot_types=slot_types, start_date=start_date,
                              history=history)


def _solve_household(request: household.HouseholdRequest) -> household.HouseholdSolution:
    """The household's plan, in the household search's own time (it runs to its limit; more than
    household.DEFAULT_SECONDS barely improves plans, bench_planner --households), or less when the
    settings ask for less (the search's first plans are made whatever the time)."""
    limit = min(settings.MEALPLAN_SOLVER_TIME_LIMIT, household.DEFAULT_SECONDS)
    solution = household.plan_household(request, time_limit=limit)
    if not solution.found:
        raise PlanInfeasible(list(solution.reasons) or ["No plan keeps every member's rules."])
    return solution


def _portions(written, eaters: dict[int, PlanMember]) -> list[MealPortion]:
    """Each eater's portion of each stored (meal, household dish)."""
    return [MealPortion(meal=meal, member=eaters[position], servings=_servings(servings))
            for meal, dish in written for position, servings in dish.portions.items() if servings > 0]


def _write_dishes(plan: MealPlan, slot_types, dishes: dict, eaters: dict[int, PlanMember]):
    """Store the solution's dishes, with each eater's portion."""
    chosen = [((day, slot), number, dish) for (day, slot), slot_dishes in sorted(dishes.items())
              for number, dish in enumerate(slot_dishes)]
    meals = PlannedMeal.objects.bulk_create(
        PlannedMeal(plan=plan, day=day, slot=slot, dish=number, meal_type=slot_types[slot], recipe_id=dish.recipe_id,
                    servings=_servings(dish.servings)) for (day, slot), number, dish in chosen)
    MealPortion.objects.bulk_create(_portions(zip(meals, (dish for *_, dish in chosen)), eaters))


def _generate_household_plan(*, user, members: list[Profile], slot_types, start_date: date, days: int) -> MealPlan:
    creator = members[0]
    request = household_request(members, days=days, slot_types=slot_types, start_date=start_date,
                                history=selectors.earlier_meals(creator.household_id, start_date))
    solution = _solve_household(request)
    plan = MealPlan(owner=user, household_id=creator.household_id, start_date=start_date, days=days, household_size=1)
    _store_targets(plan, request.members[0].targets)
    _record_solver(plan, solution)
    plan.save()
    stored = [PlanMember(plan=plan, member=member, position=eater.member_id, name=eater.name,
                         own_meals_per_day=member.own_meals_per_day) for member, eater in zip(members, request.members)]
    for row, eater in zip(stored, request.members):
        _store_targets(row, eater.targets)
    stored = PlanMember.objects.bulk_create(stored)
    _write_dishes(plan, slot_types, solution.meals, {eater.position: eater for eater in stored})
    return plan


@contextmanager
def _writing(plan_id: int) -> Iterator[tuple[MealPlan, list[PlannedMeal]]]:
    """The one path of every write to a plan: a transaction holding the plan's row lock, with the
    plan and its meals re-read under it, so a lock, swap or delete never interleaves with a re-solve."""
    with transaction.atomic():
        plan = MealPlan.objects.select_for_update().get(pk=plan_id)
        yield plan, selectors.plan_meals(plan)


def _meal_in(meals: list[PlannedMeal], meal_pk: int) -> PlannedMeal:
    return next(m for m in meals if m.pk == meal_pk)


def _slot_types(meals: list[PlannedMeal]) -> tuple[str, ...]:
    layout = {meal.slot: meal.meal_type for meal in meals}
    return tuple(layout[slot] for slot in sorted(layout))


def _store(plan: MealPlan, meals: list[PlannedMeal], solution: planning.PlanSolution) -> MealPlan:
    changed = []
    for meal in meals:
        chosen = solution.meals[meal.day, meal.slot]
        servings = _servings(chosen.servings)
        if (meal.recipe_id, meal.servings) != (chosen.recipe_id, servings):
            meal.recipe_id, meal.servings = chosen.recipe_id, servings
            changed.append(meal)
    PlannedMeal.objects.bulk_update(changed, ["recipe", "servings"])
    _portions_follow(changed)
    _record_solver(plan, solution)
    plan.save()
    return plan


NOBODY_LEFT_MESSAGE = "Nobody this plan was made for is in the household any more: make a new plan instead."


def _plan_eaters(plan: MealPlan) -> tuple[list[PlanMember], list[PlanMember]]:
    """Whom the plan was made for, and those of them a re-plan is for: the ones still members of its
    household (PlanMember.still_member), in their order. Raises PlanInfeasible when none is."""
    eaters = list(plan.members.select_related("member").order_by("position"))
    current = [eater for eater in eaters if eater.still_member]
    if not current:
        raise PlanInfeasible([NOBODY_LEFT_MESSAGE])
    return eaters, current


def _resolve_part(plan: MealPlan, meals: list[PlannedMeal], *, is_free, targets, slot_candidates=None,
                  avoid_previous: bool = True) -> MealPlan:
    """Re-solve the meals `is_free` selects, everything else kept, and store the result in place: for
    the household's current members among the plan's (`_plan_eaters`), by the first one's settings
    (who asks, or who made the plan, makes no difference)."""
    eaters, current = _plan_eaters(plan)
    if len(eaters) > 1:
        return _resolve_household_part(plan, meals, current, is_free=is_free, slot_candidates=slot_candidates or {},
                                       avoid_previous=avoid_previous)
    scope = Scope(
        fixed={(m.day, m.slot): selectors.fixed_meal(m) for m in meals if not is_free(m)},
        slot_candidates=slot_candidates or {},
        previous={(m.day, m.slot): m.recipe_id for m in meals if is_free(m)} if avoid_previous else {},
    )
    request = build_request(current[0].member, days=plan.days, slot_types=_slot_types(meals), targets=targets,
                            scope=scope, history=selectors.earlier_meals(plan.household_id, plan.start_date, besides=plan),
                            start_date=plan.start_date)
    return _store(plan, meals, solve_or_raise(request))


def _resolve_household_part(plan: MealPlan, meals: list[PlannedMeal], eaters: list[PlanMember], *, is_free,
                            slot_candidates, avoid_previous: bool) -> MealPlan:
    """`_resolve_part` for a plan for several members: a slot is re-planned when all its dishes are
    free, for the `eaters` (the current members among the plan's) who ate there, each by the targets
    the plan was made with; the rest is kept with its portions, those of members gone too (only the
    current ones' count in their days). The slot's dishes are rewritten in place (the first keeps its row)."""
    portions = defaultdict(dict)
    for meal_id, position, servings in MealPortion.objects.filter(meal__plan=plan).values_list(
            "meal_id", "member__position", "servings"):
        portions[meal_id][position] = float(servings)
    slots = defaultdict(list)
    for meal in sorted(meals, key=lambda meal: meal.dish):
        slots[meal.day, meal.slot].append(meal)
    free = {key for key, dishes in slots.items() if all(is_free(meal) for meal in dishes)}
    planned_for = {eater.position for eater in eaters}
    locked = {key: tuple(household.LockedDish(meal=selectors.fixed_meal(meal), portions={
        position: servings for position, servings in portions[meal.pk].items() if position in planned_for})
        for meal in dishes) for key, dishes in slots.items() if key not in free}
    slot_types = _slot_types(meals)
    everywhere = {(day, slot) for day in range(plan.days) for slot in range(len(slot_types))}
    planned = [_Eater(position=eater.position, name=eater.name, profile=eater.member,
                      targets=_stored_targets(eater),
                      skipped=frozenset(key for key in everywhere if not any(
                          eater.position in portions[meal.pk] for meal in slots.get(key, ()))),
                      own_meals=eater.own_meals_per_day)
               for eater in eaters]
    scope = Scope(slot_candidates={key: found for key, found in slot_candidates.items() if key in free},
                  previous={key: slots[key][0].recipe_id for key in free} if avoid_previous else {})
    solution = _solve_household(_household_request(
        planned, creator=eaters[0].member, days=plan.days, slot_types=slot_types, start_date=plan.start_date,
        history=selectors.earlier_meals(plan.household_id, plan.start_date, besides=plan), scope=scope, locked=locked))
    _rewrite_slots(plan, slots, free, solution, slot_types, {eater.position: eater for eater in eaters})
    _record_solver(plan, solution)
    plan.save()
    return plan


def _rewrite_slots(plan: MealPlan, slots: dict, free: set, solution: household.HouseholdSolution, slot_types,
                   eaters: dict[int, PlanMember]):
    """Put the solution's dishes in the free slots: existing rows reused in dish order, extra ones
    deleted, missing ones added; the slots' portions replaced."""
    changed, added, dropped, written = [], [], [], []
    for key in sorted(free):
        old, new = slots[key], solution.meals.get(key, ())
        dropped += old[len(new):]
        for number, dish in enumerate(new):
            meal = old[number] if number < len(old) else PlannedMeal(
                plan=plan, day=key[0], slot=key[1], dish=number, meal_type=slot_types[key[1]])
            meal.recipe_id, meal.servings = dish.recipe_id, _servings(dish.servings)
            (changed if meal.pk else added).append(meal)
            written.append((meal, dish))
    MealPortion.objects.filter(meal__in=[meal for key in free for meal in slots[key]]).delete()
    PlannedMeal.objects.filter(pk__in=[meal.pk for meal in dropped]).delete()
    PlannedMeal.objects.bulk_update(changed, ["recipe", "servings"])
    PlannedMeal.objects.bulk_create(added)
    MealPortion.objects.bulk_create(_portions(written, eaters))


def _refresh_member_targets(eaters: list[PlanMember]):
    """Each of `eaters` (members still in the plan's household) gets their current targets and own meals a
    day (a whole-plan regeneration)."""
    for eater in eaters:
        eater.own_meals_per_day = eater.member.own_meals_per_day
        try:
            _store_targets(eater, _profile_targets(targets_for_profile(eater.member)))
        except NotPlanned:
            continue
    PlanMember.objects.bulk_update(eaters, ["target_kcal", "target_protein_g", "target_fat_g", "target_carb_g",
                                            "own_meals_per_day"])


def regenerate_plan(*, plan: MealPlan) -> MealPlan:
    """New unlocked meals, and new locked ones where they break the current rules and were not kept on
    purpose, for the household's current members among the plan's, by their current targets (the
    first one's are the plan's, and their "cooking for N" a one-member plan's)."""
    with _writing(plan.pk) as (plan, meals):
        eaters, current = _plan_eaters(plan)
        _refresh_member_targets(current)
        first = current[0]
        targets = _stored_targets(first)
        _store_targets(plan, targets)
        plan.household_size = first.member.household_size if len(eaters) < 2 else 1
        breaking = selectors.meals_breaking_rules(plan)
        plan = _resolve_part(plan, meals, is_free=lambda m: not m.locked or m.pk in breaking, targets=targets)
        PlannedMeal.objects.filter(pk__in=breaking).update(locked=False)  # the new recipe was not the person's pick
        return plan


def regenerate_day(*, plan: MealPlan, day: int) -> MealPlan:
    with _writing(plan.pk) as (plan, meals):
        _check_day(plan, day)
        return _resolve_part(plan, meals, is_free=lambda m: m.day == day and not m.locked, targets=_stored_targets(plan))


def _check_day(plan: MealPlan, day: int):
    if not 0 <= day < plan.days:
        raise ValidationError(f"Day {day + 1} is not in this {plan.days}-day plan.")


SECOND_DISH_LOCKED_MESSAGE = "The other dish of this meal is locked: unlock it first, since the two are planned together."


def regenerate_meal(*, meal: PlannedMeal) -> MealPlan:
    """A different recipe for the meal, the rest of the plan kept. A household's slot of two dishes is
    re-planned whole (a slot is planned for everyone eating there at once): the other dish may keep its
    recipe, this one may not."""
    with _writing(meal.plan_id) as (plan, meals):
        target = _meal_in(meals, meal.pk)
        if target.locked:
            raise ValidationError("This meal is locked: unlock it to regenerate it.")
        dishes = [m for m in meals if (m.day, m.slot) == (target.day, target.slot)]
        if any(m.locked for m in dishes):
            raise ValidationError(SECOND_DISH_LOCKED_MESSAGE)
        others = selectors.candidate_set(selectors.slot_recipes(dishes).exclude(pk=target.recipe_id))
        return _resolve_part(
            plan, meals, is_free=lambda m: m in dishes, targets=_stored_targets(plan),
            slot_candidates={(target.day, target.slot): others}, avoid_previous=False,
        )


SWAP_NEEDS_REPLAN = ("With {title} and the rest of the day's recipes kept, no portions meet the day's rules: "
                     "swap and re-plan the day to change its other meals too.")


def swap_meal(*, meal: PlannedMeal, recipe: Recipe, replan_day: bool = False) -> MealPlan:
    """Put `recipe` in the meal's slot and re-balance the portions of the day's other unlocked meals,
    their recipes kept (servings chosen by the solver). When no portions fit, PlanInfeasible says
    so (SWAP_NEEDS_REPLAN) and nothing changes; `replan_day` also lets their recipes change.
    A household's slot of two dishes is planned whole: the other dish keeps its recipe."""
    if not selectors.swap_candidates(meal).filter(pk=recipe.pk).exists():
        raise ValidationError(f"“{recipe.title}” does not fit your rules for {meal.get_meal_type_display().lower()}.")
    with _writing(meal.plan_id) as (plan, meals):
        target = _meal_in(meals, meal.pk)
        here = (target.day, target.slot)
        if any(m.locked and m.pk != target.pk for m in meals if (m.day, m.slot) == here):
            raise ValidationError(SECOND_DISH_LOCKED_MESSAGE)
        kept = defaultdict(set)  # each free slot of the day: the recipes it keeps
        for m in meals:
            if m.day == target.day and m.pk != target.pk and not m.locked and (not replan_day or (m.day, m.slot) == here):
                kept[m.day, m.slot].add(m.recipe_id)
        kept[here].add(recipe.pk)
        try:
            plan = _resolve_part(
                plan, meals, is_free=lambda m: m.day == target.day and (m.pk == target.pk or not m.locked),
                targets=_stored_targets(plan), avoid_previous=False, slot_candidates=selectors.candidate_sets_of(kept))
            swapped = PlannedMeal.objects.filter(plan=plan, day=target.day, slot=target.slot, recipe=recipe)
            if not swapped.update(locked=True):  # the slot's other dish was chosen for everyone instead
                raise PlanInfeasible([SWAP_NEEDS_REPLAN.format(title=recipe.title)])
        except PlanInfeasible:
            if replan_day:
                raise
            raise PlanInfeasible([SWAP_NEEDS_REPLAN.format(title=recipe.title)]) from None
        return plan


SHARED_SERVINGS_MESSAGE = ("Each member's portion of a shared meal is sized to their own targets by the planner: "
                           "lock the meal to keep it, or swap its recipe.")


def set_meal_servings(*, meal: PlannedMeal, servings: Decimal) -> MealPlan:
    """Eat `servings` of this meal, chosen by hand (so the meal is locked at them), and re-balance the
    rest of its day around it, like a swap. If no day fits, PlanInfeasible and nothing changes.
    On a plan for several members the planner sizes each one's portion: refused (SHARED_SERVINGS_MESSAGE)."""
    if meal.portions.count() > 1:
        raise ValidationError(SHARED_SERVINGS_MESSAGE)
    with _writing(meal.plan_id) as (plan, meals):
        target = _meal_in(meals, meal.pk)
        target.servings, target.locked = servings, True
        plan = _resolve_part(plan, meals, is_free=lambda m: m.day == target.day and not m.locked,
                             targets=_stored_targets(plan), avoid_previous=False)
        PlannedMeal.objects.filter(pk=target.pk).update(servings=servings, locked=True)
        _portions_follow([target])
        return plan


@transaction.atomic
def set_recipes_disliked(*, member: Profile, recipes, disliked: bool) -> Profile:
    """Add `recipes` to (or take them off) the ones the planner never suggests to `member` (a profile,
    of a person with an account or of a household member without one)."""
    member = Profile.objects.select_for_update().get(pk=member.pk)
    (member.disliked_recipes.add if disliked else member.disliked_recipes.remove)(*recipes)
    member.save(update_fields=["updated_at"])
    return member


NOT_A_MEMBER_MESSAGE = "Only a member of this plan's household can turn down its recipes."


def dislike_meal(*, meal: PlannedMeal, member: Profile) -> MealPlan:
    """Never suggest the meal's recipe to `member` (a current member of the plan's household, with an
    account or without) again, and replace it in this plan.

    The meal itself is replaced even when locked (someone asked about it; the new one is unlocked);
    other meals of the same recipe are replaced unless locked. A slot is re-planned whole (with any
    second dish in it unless locked), for everyone eating there: the member gets something else, the
    others may keep the recipe as a dish of their own.
    """
    with _writing(meal.plan_id) as (plan, meals):
        if not member.is_current_member_of(plan.household_id):
            raise ValidationError(NOT_A_MEMBER_MESSAGE)
        target = _meal_in(meals, meal.pk)
        set_recipes_disliked(member=member, recipes=[target.recipe_id], disliked=True)
        slots = {(m.day, m.slot) for m in meals if m.pk == target.pk or (m.recipe_id == target.recipe_id and not m.locked)}
        plan = _resolve_part(
            plan, meals, is_free=lambda m: (m.day, m.slot) in slots and (m.pk == target.pk or not m.locked),
            targets=_stored_targets(plan), avoid_previous=False,
        )
        PlannedMeal.objects.filter(pk=target.pk).update(locked=False)
        return plan


def set_meal_locked(*, meal: PlannedMeal, locked: bool) -> PlannedMeal:
    """Lock or unlock the meal as it is once any re-solve of its plan has finished (and return it so).

    Unlocking also forgets a "keep anyway": a meal kept despite the rules is kept only while locked.
    """
    with _writing(meal.plan_id) as (plan, meals):
        target = _meal_in(meals, meal.pk)
        target.locked = locked
        target.kept_despite_rules = target.kept_despite_rules and locked
        target.save(update_fields=["locked", "kept_despite_rules"])
        return target


def keep_meal_despite_rules(*, meal: PlannedMeal) -> PlannedMeal:
    """The person keeps a meal that breaks their current rules: locked, and not replaced by "Regenerate plan"."""
    with _writing(meal.plan_id) as (plan, meals):
        target = _meal_in(meals, meal.pk)
        target.locked = target.kept_despite_rules = True
        target.save(update_fields=["locked", "kept_despite_rules"])
        return target


def delete_plan(*, plan: MealPlan):
    """Delete the plan after any job on it: its jobs are locked first, in the order a job's run takes them."""
    with transaction.atomic():
        list(PlanJob.objects.select_for_update().filter(plan_id=plan.pk))
        with _writing(plan.pk) as (locked, _):
            locked.delete()


@transaction.atomic
def set_shopping_checks(*, plan: MealPlan, food_ids, line_keys=()) -> selectors.ShoppingChecks:
    """Make exactly `food_ids` and `line_keys` (lines matched to no food) the ticked items of the plan's list."""
    foods, lines = frozenset(food_ids), frozenset(line_keys)
    plan.shopping_checks.exclude(Q(food_id__in=foods) | Q(line_key__in=lines)).delete()
    ShoppingItemCheck.objects.bulk_create(
        [ShoppingItemCheck(plan=plan, food_id=food_id) for food_id in foods]
        + [ShoppingItemCheck(plan=plan, line_key=key) for key in lines],
        ignore_conflicts=True,
    )
    return selectors.ShoppingChecks(food_ids=foods, line_keys=lines)


# Plan jobs: generation and regeneration run by the worker (mealplan.tasks), off the request path.

BUSY_MESSAGE = "Your last request is still being planned: wait until it is ready, then try again."
PLAN_BUSY_MESSAGE = "Someone in your household is re-planning this plan right now: wait until it is ready, then try again."
STOPPED_MESSAGE = "Planning stopped unexpectedly twice: please try again."
FAILED_MESSAGE = "Planning failed unexpectedly: please try again."
MAX_JOB_ATTEMPTS = 2


def request_new_plan(*, user, start_date: date, days: int, submission=None) -> PlanJob:
    """Queue "Plan my week"; the same `submission` (a form sent twice) returns the job it made."""
    if not 1 <= days <= MAX_PLAN_DAYS:
        raise ValidationError(f"A plan covers 1 to {MAX_PLAN_DAYS} days, not {days}.")
    validate_start_date(start_date)
    return _start_job(owner=user, kind=PlanJobKind.NEW_PLAN, start_date=start_date, days=days, submission=submission)


def request_regenerate_plan(*, user, plan: MealPlan) -> PlanJob:
    """Queue "Regenerate plan", started by `user` (any member of the plan's household)."""
    return _start_job(owner=user, kind=PlanJobKind.REGENERATE_PLAN, plan=plan)


def request_regenerate_day(*, user, plan: MealPlan, day: int) -> PlanJob:
    _check_day(plan, day)
    return _start_job(owner=user, kind=PlanJobKind.REGENERATE_DAY, plan=plan, day=day)


def _start_job(*, owner, submission=None, **fields) -> PlanJob:
    """Store and queue a job started by `owner` in one transaction (the worker sees both or neither).

    A person's second pending job is refused (BUSY_MESSAGE), and so is a plan's (PLAN_BUSY_MESSAGE:
    another member's job is re-planning it); a repeated submission is the first one.
    Returned as stored after the queue took it: an inline backend may already have run it.
    """
    try:
        with transaction.atomic():
            job = PlanJob.objects.create(owner=owner, submission=submission, **fields)
            _enqueue(job)
    except IntegrityError:
        earlier = PlanJob.objects.filter(owner=owner, submission=submission).first() if submission else None
        if earlier is not None:
            return earlier
        plan_busy = fields.get("plan") is not None and PlanJob.objects.filter(
            plan=fields["plan"], status=PlanJobStatus.PENDING).exclude(owner=owner).exists()
        raise ValidationError(PLAN_BUSY_MESSAGE if plan_busy else BUSY_MESSAGE) from None
    job.refresh_from_db()
    return job


def _enqueue(job: PlanJob):
    result = tasks.run_plan_job.enqueue(job_id=job.pk)
    PlanJob.objects.filter(pk=job.pk).update(task_id=str(result.id), attempts=job.attempts + 1)


def _run_job_operation(job: PlanJob) -> MealPlan:
    if job.kind == PlanJobKind.NEW_PLAN:
        return generate_plan(user=job.owner, start_date=job.start_date, days=job.days)
    if job.kind == PlanJobKind.REGENERATE_PLAN:
        return regenerate_plan(plan=job.plan)
    return regenerate_day(plan=job.plan, day=job.day)


def run_plan_job(*, job_id: int) -> str:
    """Run a pending job once and store its outcome with the plan it wrote, in one transaction.

    Holds the job's row lock throughout: a second run of the same job (re-queued after a worker
    died, or a duplicate) waits, then finds it finished and does nothing. A refusal fails the job
    with its reasons; anything unexpected fails it with FAILED_MESSAGE and is raised for the log.
    Returns the job's status.
    """
    try:
        with transaction.atomic():
            job = PlanJob.objects.select_for_update().filter(pk=job_id).first()
            if job is None or not job.pending:  # deleted with its plan, or already run
                return job.status if job else "missing"
            try:
                with transaction.atomic():
                    plan = _run_job_operation(job)
            except (PlanInfeasible, ValidationError) as error:
                _finish_job(job, PlanJobStatus.FAILED,
                            message="\n".join(error.reasons if isinstance(error, PlanInfeasible) else error.messages))
            else:
                _finish_job(job, PlanJobStatus.DONE, plan=plan)
            return job.status
    except Exception:
        PlanJob.objects.filter(pk=job_id, status=PlanJobStatus.PENDING).update(
            status=PlanJobStatus.FAILED, message=FAILED_MESSAGE, finished_at=timezone.now())
        raise


def _finish_job(job: PlanJob, status: str, *, plan: MealPlan | None = None, message: str = ""):
    job.status, job.message, job.finished_at = status, message, timezone.now()
    job.plan = plan or job.plan
    job.save(update_fields=["status", "message", "finished_at", "plan"])


def recover_plan_jobs() -> int:
    """Queue again each pending job whose run was lost (its worker was killed); fail it after
    MAX_JOB_ATTEMPTS. A job being run holds its row lock and is skipped. Returns how many it touched."""
    touched = 0
    with transaction.atomic():
        for job in PlanJob.objects.select_for_update(skip_locked=True).filter(status=PlanJobStatus.PENDING):
            if not _run_lost(job):
                continue
            touched += 1
            if job.attempts >= MAX_JOB_ATTEMPTS:
                _finish_job(job, PlanJobStatus.FAILED, message=STOPPED_MESSAGE)
            else:
                _enqueue(job)
    return touched


def _run_lost(job: PlanJob) -> bool:
    """Whether the queue took the job's latest task (or lost it) although the job is still pending."""
    try:
        result = tasks.run_plan_job.get_result(job.task_id)
    except TaskResultDoesNotExist:
        return True
    return result.status != TaskResultStatus.READY


# Households: members without an account, skipped meals, invitations, leaving.

LAST_ACCOUNT_MESSAGE = ("You are the only member with an account: nobody would be left to look after the others. "
                        "Invite someone first, or remove the other members.")
ALREADY_MEMBER_MESSAGE = "You are already a member of this household."


@transaction.atomic
def rename_household(*, household: Household, name: str) -> Household:
    household.name = name
    household.save(update_fields=["name"])
    return household


@transaction.atomic
def save_member(*, household: Household, member: Profile, excluded_allergens, skipped_meals, disliked_foods=()) -> Profile:
    """Add a member without an account to `household`, or store changes to one; `skipped_meals` are
    (weekday, meal type) pairs, which replace the member's."""
    member.household = household
    member.save()
    member.excluded_allergens.set(excluded_allergens)
    member.disliked_foods.set(disliked_foods)
    set_skipped_meals(member=member, skipped_meals=skipped_meals)
    return member


@transaction.atomic
def set_household_meals(*, member: Profile, own_meals_per_day: int | None, skipped_meals) -> Profile:
    """A member with an account's own meals a day within the household's, and the meals they skip every week."""
    member.own_meals_per_day = own_meals_per_day
    member.save(update_fields=["own_meals_per_day", "updated_at"])
    return set_skipped_meals(member=member, skipped_meals=skipped_meals)


@transaction.atomic
def set_skipped_meals(*, member: Profile, skipped_meals) -> Profile:
    """Make exactly `skipped_meals` ((weekday, meal type) pairs) the meals the member skips every week."""
    wanted = set(skipped_meals)
    stored = {(skip.weekday, skip.meal_type): skip.pk for skip in SkippedMeal.objects.filter(member=member)}
    SkippedMeal.objects.filter(pk__in=[pk for pair, pk in stored.items() if pair not in wanted]).delete()
    SkippedMeal.objects.bulk_create(SkippedMeal(member=member, weekday=weekday, meal_type=meal_type)
                                    for weekday, meal_type in sorted(wanted - set(stored)))
    return member


@transaction.atomic
def remove_member(*, member: Profile) -> Profile:
    """Take a member without an account off the household; the row stays, so past plans keep their name."""
    if member.user_id is not None:
        raise ValidationError("A member with an account leaves on their own.")
    member.removed_at = timezone.now()
    member.save(update_fields=["removed_at", "updated_at"])
    return member


@transaction.atomic
def leave_household(*, user) -> Household:
    """Move `user` out of their household into a new one of their own; the household's plans stay with it
    (the plan keeps their name and portions: PlanMember).

    Refused for the last member with an account (LAST_ACCOUNT_MESSAGE).
    """
    profile = Profile.objects.select_for_update().select_related("household").get(user=user)
    others = Profile.objects.filter(household=profile.household, user__isnull=False).exclude(pk=profile.pk)
    if not others.exists():
        raise ValidationError(LAST_ACCOUNT_MESSAGE)
    profile.household = Household.objects.create(name=household_name(profile.display_name))
    profile.save(update_fields=["household", "updated_at"])
    return profile.household


def own_recipes_planned_message(titles) -> str:
    """Why an account is kept: own recipes planned in plans that stay (the plans would lose meals)."""
    return (f"Your own recipes {', '.join(f'“{title}”' for title in titles)} are in a plan that stays with a household: "
            "swap them out of that plan, or delete the plan, first.")


@transaction.atomic
def delete_account(*, user):
    """Delete `user`'s account and profile, with what selectors.account_deletion says goes along: as the
    last member with an account, their household, its plans and its members without an account (nobody
    could reach them any more). Refused, with nothing deleted, while an own recipe of theirs is planned in
    a plan that stays (own_recipes_planned_message).

    Jobs are locked first, then plans, as a job's run takes them: a plan being planned is deleted once its
    job has finished, and a new plan finished meanwhile is deleted with the rest.
    """
    profile = Profile.objects.select_for_update().filter(user=user).first()
    jobs = Q(owner=user) | Q(plan__household_id=profile.household_id) if profile else Q(owner=user)
    list(PlanJob.objects.select_for_update(of=("self",)).filter(jobs))
    gone = selectors.account_deletion(user)
    if gone.blocking:
        raise ValidationError(own_recipes_planned_message(gone.blocking))
    if gone.last:
        plans = MealPlan.objects.filter(household=gone.household)
        list(plans.select_for_update())
        plans.delete()
        Profile.objects.filter(household=gone.household, user__isnull=True).delete()
    user.delete()
    if gone.last:
        gone.household.delete()  # PROTECT refuses (and all is undone) if somebody joined it meanwhile


@transaction.atomic
def invite_to_household(*, household: Household, user) -> HouseholdInvitation:
    return HouseholdInvitation.objects.create(household=household, created_by=user)


@transaction.atomic
def cancel_invitation(*, invitation: HouseholdInvitation):
    invitation.delete()


@transaction.atomic
def join_household(*, user, invitation: HouseholdInvitation) -> Household:
    """Use the invitation (once: its row is locked and marked) to move `user` into its household.

    Members without an account and plans of the household `user` leaves come along when nobody
    with an account stays behind to look after (or see) them. Raises ValidationError for a used or expired
    invitation, or when `user` is already a member.
    """
    invitation = HouseholdInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
        raise ValidationError("This invitation has been used or has expired: ask for a new link.")
    profile = Profile.objects.select_for_update().get(user=user)
    if profile.household_id == invitation.household_id:
        raise ValidationError(ALREADY_MEMBER_MESSAGE)
    left = profile.household_id
    profile.household_id = invitation.household_id
    profile.save(update_fields=["household", "updated_at"])
    if not Profile.objects.filter(household_id=left, user__isnull=False).exists():
        Profile.objects.filter(household_id=left, removed_at__isnull=True).update(household_id=invitation.household_id)
        MealPlan.objects.filter(household_id=left).update(household_id=invitation.household_id)
    invitation.accepted_by, invitation.accepted_at = user, timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return invitation.household
