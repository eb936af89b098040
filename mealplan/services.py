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
since the person chose it; they can unlock it.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from meals.models import Recipe
from mealplan import explain, planner, selectors
from mealplan.errors import PlanInfeasible
from mealplan.models import MealPlan, PlannedMeal, Profile, ShoppingItemCheck, SolverStatus
from mealplan.slots import meal_types_for
from mealplan.targets import Targets, targets_for_profile

MAX_PLAN_DAYS = 14
RELATIVE_GAP = 0.01


@dataclass(frozen=True)
class Scope:
    """What a re-solve may change: everything else stays as it is."""

    fixed: dict = field(default_factory=dict)
    slot_candidates: dict = field(default_factory=dict)
    previous: dict = field(default_factory=dict)


def _profile_targets(targets: Targets) -> tuple[float, float, float, float]:
    return (targets.kcal, targets.protein_g, targets.fat_g, targets.carb_g)


def _plan_targets(plan: MealPlan) -> tuple[float, float, float, float]:
    return (plan.target_kcal, plan.target_protein_g, plan.target_fat_g, plan.target_carb_g)


def _catalog_candidates(rules: selectors.HardRules, slot_types, needed) -> dict[str, planner.CandidateSet]:
    """Candidates per meal type (read only for the `needed` ones); raises with the catalog's
    reasons when a needed meal type has none."""
    nothing = planner.CandidateSet.from_rows([])
    candidates = {t: selectors.candidate_set(selectors.recipes_satisfying(rules, t)) if t in needed else nothing
                  for t in dict.fromkeys(slot_types)}
    missing = [t for t in candidates if t in needed and len(candidates[t]) == 0]
    if missing:
        raise PlanInfeasible([
            explain.missing_meal_type(
                explain.describe_rules(t, diet_name=rules.diet_name, allergen_names=rules.allergen_names,
                                       has_dislikes=rules.has_dislikes, max_minutes=rules.max_minutes),
                selectors.catalog_counts(rules, t),
            )
            for t in missing
        ])
    return candidates


def build_request(profile, *, days: int, slot_types, targets, scope: Scope = Scope()) -> planner.PlanRequest:
    """The planner's input: the profile's rules, and candidates for the meal types left to choose."""
    needed = {slot_types[slot] for day in range(days) for slot in range(len(slot_types))
              if (day, slot) not in scope.fixed and (day, slot) not in scope.slot_candidates}
    return planner.PlanRequest(
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
    )


def solve_or_raise(request: planner.PlanRequest) -> planner.PlanSolution:
    """Solve on the best-fitting candidates; if that fails, on all of them; else explain why."""
    time_limit = settings.MEALPLAN_SOLVER_TIME_LIMIT
    solution = planner.solve(planner.preselect(request), time_limit=time_limit, relative_gap=RELATIVE_GAP)
    if not solution.found:
        solution = planner.solve(request, time_limit=time_limit, relative_gap=RELATIVE_GAP)
    if not solution.found:
        if solution.status == "time_limit":
            raise PlanInfeasible(["The planner ran out of time before finding a plan: try fewer days or looser rules."])
        raise PlanInfeasible(explain.explain_infeasible(request, time_limit=time_limit))
    return solution


def _record_solver(plan: MealPlan, solution: planner.PlanSolution):
    plan.solver_status = SolverStatus.OPTIMAL if solution.status == "optimal" else SolverStatus.TIME_LIMIT
    plan.solver_objective = solution.objective
    plan.solver_gap = solution.gap
    plan.solver_seconds = solution.seconds


def _set_targets(plan: MealPlan, targets: Targets):
    plan.target_kcal, plan.target_protein_g = targets.kcal, targets.protein_g
    plan.target_fat_g, plan.target_carb_g = targets.fat_g, targets.carb_g


def _servings(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"))


@transaction.atomic
def generate_plan(*, user, start_date: date, days: int) -> MealPlan:
    if not 1 <= days <= MAX_PLAN_DAYS:
        raise ValidationError(f"A plan covers 1 to {MAX_PLAN_DAYS} days, not {days}.")
    profile = user.profile
    targets = targets_for_profile(profile)
    slot_types = meal_types_for(profile.meals_per_day)
    solution = solve_or_raise(
        build_request(profile, days=days, slot_types=slot_types, targets=_profile_targets(targets)))
    plan = MealPlan(owner=user, start_date=start_date, days=days, household_size=profile.household_size)
    _set_targets(plan, targets)
    _record_solver(plan, solution)
    plan.save()
    PlannedMeal.objects.bulk_create(
        PlannedMeal(plan=plan, day=day, slot=slot, meal_type=slot_types[slot], recipe_id=meal.recipe_id,
                    servings=_servings(meal.servings))
        for (day, slot), meal in sorted(solution.meals.items())
    )
    return plan


def _locked_plan(plan: MealPlan) -> tuple[MealPlan, list[PlannedMeal]]:
    """Re-read the plan under a row lock so concurrent re-solves do not interleave."""
    plan = MealPlan.objects.select_for_update().get(pk=plan.pk)
    return plan, selectors.plan_meals(plan)


def _slot_types(meals: list[PlannedMeal]) -> tuple[str, ...]:
    layout = {meal.slot: meal.meal_type for meal in meals}
    return tuple(layout[slot] for slot in sorted(layout))


def _store(plan: MealPlan, meals: list[PlannedMeal], solution: planner.PlanSolution) -> MealPlan:
    changed = []
    for meal in meals:
        chosen = solution.meals[meal.day, meal.slot]
        servings = _servings(chosen.servings)
        if (meal.recipe_id, meal.servings) != (chosen.recipe_id, servings):
            meal.recipe_id, meal.servings = chosen.recipe_id, servings
            changed.append(meal)
    PlannedMeal.objects.bulk_update(changed, ["recipe", "servings"])
    _record_solver(plan, solution)
    plan.save()
    return plan


def _resolve_part(plan: MealPlan, meals: list[PlannedMeal], *, is_free, targets, slot_candidates=None,
                  avoid_previous: bool = True) -> MealPlan:
    """Re-solve the meals `is_free` selects, everything else kept, and store the result in place."""
    scope = Scope(
        fixed={(m.day, m.slot): selectors.fixed_meal(m) for m in meals if not is_free(m)},
        slot_candidates=slot_candidates or {},
        previous={(m.day, m.slot): m.recipe_id for m in meals if is_free(m)} if avoid_previous else {},
    )
    request = build_request(plan.owner.profile, days=plan.days, slot_types=_slot_types(meals), targets=targets,
                            scope=scope)
    return _store(plan, meals, solve_or_raise(request))


@transaction.atomic
def regenerate_plan(*, plan: MealPlan) -> MealPlan:
    plan, meals = _locked_plan(plan)
    profile = plan.owner.profile
    targets = targets_for_profile(profile)
    _set_targets(plan, targets)
    plan.household_size = profile.household_size
    return _resolve_part(plan, meals, is_free=lambda m: not m.locked, targets=_profile_targets(targets))


@transaction.atomic
def regenerate_day(*, plan: MealPlan, day: int) -> MealPlan:
    plan, meals = _locked_plan(plan)
    if not 0 <= day < plan.days:
        raise ValidationError(f"Day {day + 1} is not in this {plan.days}-day plan.")
    return _resolve_part(plan, meals, is_free=lambda m: m.day == day and not m.locked, targets=_plan_targets(plan))


@transaction.atomic
def regenerate_meal(*, meal: PlannedMeal) -> MealPlan:
    plan, meals = _locked_plan(meal.plan)
    target = next(m for m in meals if m.pk == meal.pk)
    if target.locked:
        raise ValidationError("This meal is locked: unlock it to regenerate it.")
    rules = selectors.hard_rules(plan.owner.profile)
    others = selectors.candidate_set(selectors.recipes_satisfying(rules, target.meal_type).exclude(pk=target.recipe_id))
    return _resolve_part(
        plan, meals, is_free=lambda m: m.pk == target.pk, targets=_plan_targets(plan),
        slot_candidates={(target.day, target.slot): others}, avoid_previous=False,
    )


@transaction.atomic
def swap_meal(*, meal: PlannedMeal, recipe: Recipe) -> MealPlan:
    """Put `recipe` in the meal's slot (servings chosen by the solver), re-balance the rest of that day."""
    if not selectors.swap_candidates(meal).filter(pk=recipe.pk).exists():
        raise ValidationError(f"“{recipe.title}” does not fit your rules for {meal.get_meal_type_display().lower()}.")
    plan, meals = _locked_plan(meal.plan)
    target = next(m for m in meals if m.pk == meal.pk)
    chosen = selectors.candidate_set(Recipe.objects.filter(pk=recipe.pk))
    plan = _resolve_part(
        plan, meals, is_free=lambda m: m.day == target.day and (m.pk == target.pk or not m.locked), targets=_plan_targets(plan),
        slot_candidates={(target.day, target.slot): chosen}, avoid_previous=False,
    )
    PlannedMeal.objects.filter(pk=target.pk).update(locked=True)
    return plan


@transaction.atomic
def set_recipes_disliked(*, user, recipes, disliked: bool) -> Profile:
    """Add `recipes` to (or take them off) the ones the planner never suggests to `user`."""
    profile = Profile.objects.select_for_update().get(user=user)
    (profile.disliked_recipes.add if disliked else profile.disliked_recipes.remove)(*recipes)
    profile.save(update_fields=["updated_at"])
    return profile


@transaction.atomic
def dislike_meal(*, meal: PlannedMeal) -> MealPlan:
    """Never suggest the meal's recipe again, and replace it in this plan.

    The meal itself is replaced even when locked (the person asked about it; the new one is
    unlocked); other meals of the same recipe are replaced unless locked. The rest stays as it is.
    """
    plan, meals = _locked_plan(meal.plan)
    target = next(m for m in meals if m.pk == meal.pk)
    set_recipes_disliked(user=plan.owner, recipes=[target.recipe_id], disliked=True)
    plan = _resolve_part(
        plan, meals, is_free=lambda m: m.pk == target.pk or (m.recipe_id == target.recipe_id and not m.locked),
        targets=_plan_targets(plan), avoid_previous=False,
    )
    PlannedMeal.objects.filter(pk=target.pk).update(locked=False)
    return plan


def set_meal_locked(*, meal: PlannedMeal, locked: bool) -> PlannedMeal:
    meal.locked = locked
    meal.save(update_fields=["locked"])
    return meal


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
