"""Reads for planning, the plan pages and the household page."""

import operator
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache, cached_property, reduce

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from meals.models import FoodPortion, Recipe, RecipeIngredient, Tag
from mealplan.shopping.costs import PlanCost, plan_cost
from mealplan.pages.plan_grid import TARGET_FIELDS, Eater
from mealplan.people import weekly_rules
from mealplan.people.households import invitation_key
from mealplan.models import (
    INVITATION_LIFETIME, MAX_PLAN_DAYS, Household, HouseholdInvitation, MealPlan, MealPortion, PlanJob, PlanMember, PlannedMeal, Profile,
    UserSession,
)
from mealplan.planning import DAYS_PER_WEEK, NUTRIENTS, CandidateSet, EarlierMeal, FixedMeal, WeeklyRule
from mealplan.shopping.lists import IngredientUse, ShoppingList, build_shopping_list

User = get_user_model()


@dataclass(frozen=True)
class HardRules:
    """A person's recipe filters, read once so SQL and explanations use the same values."""

    diet_id: int | None = None
    diet_name: str = ""
    allergen_ids: frozenset[int] = frozenset()
    allergen_names: tuple[str, ...] = ()
    disliked_recipe_ids: frozenset[int] = frozenset()
    disliked_food_ids: frozenset[int] = frozenset()
    max_minutes: int | None = None
    owner_id: int | None = None  # whose own recipes may be planned besides the published catalog

    @property
    def has_dislikes(self) -> bool:
        return bool(self.disliked_recipe_ids or self.disliked_food_ids)

    def relaxed(self, rule: str) -> "HardRules":
        """The same rules with one of "diet", "allergens", "dislikes", "time" dropped."""
        return {
            "diet": lambda: replace(self, diet_id=None, diet_name=""),
            "allergens": lambda: replace(self, allergen_ids=frozenset(), allergen_names=()),
            "dislikes": lambda: replace(self, disliked_recipe_ids=frozenset(), disliked_food_ids=frozenset()),
            "time": lambda: replace(self, max_minutes=None),
        }[rule]()


def hard_rules(profile) -> HardRules:
    allergens = list(profile.excluded_allergens.order_by("name").values_list("id", "name"))
    return HardRules(
        diet_id=profile.diet_id,
        diet_name=profile.diet.name if profile.diet_id else "",
        allergen_ids=frozenset(pk for pk, _ in allergens),
        allergen_names=tuple(name for _, name in allergens),
        disliked_recipe_ids=frozenset(profile.disliked_recipes.values_list("id", flat=True)),
        disliked_food_ids=frozenset(profile.disliked_foods.values_list("id", flat=True)),
        max_minutes=profile.max_cook_minutes,
        owner_id=profile.user_id,
    )


def recipes_satisfying(rules: HardRules, meal_type: str) -> QuerySet[Recipe]:
    """Published recipes and the person's own of `meal_type` that break none of `rules` (all in SQL)."""
    recipes = Recipe.objects.plannable_for(rules.owner_id).for_meal_type(meal_type)
    if rules.diet_id is not None:
        recipes = recipes.filter(diets=rules.diet_id)
    if rules.allergen_ids:
        recipes = recipes.free_of(rules.allergen_ids)
    if rules.disliked_recipe_ids:
        recipes = recipes.exclude(pk__in=rules.disliked_recipe_ids)
    if rules.disliked_food_ids:
        recipes = recipes.exclude(ingredients__food__in=rules.disliked_food_ids)
    if rules.max_minutes is not None:
        recipes = recipes.alias(total_minutes=F("prep_minutes") + F("cook_minutes")).filter(
            total_minutes__lte=rules.max_minutes
        )
    return recipes


def recipes_named(what: str, owner_id: int | None = None) -> QuerySet[Recipe]:
    """Recipes `owner_id` may plan that a weekly rule's word names: a main protein ("red meat": beef,
    pork, lamb), else a tag (by slug or name)."""
    recipes = Recipe.objects.plannable_for(owner_id)
    proteins = weekly_rules.proteins_named(what)
    if proteins is not None:
        return recipes.filter(main_protein__in=proteins)
    return recipes.filter(Q(tags__slug=slugify(what)) | Q(tags__name__iexact=what)).distinct()


def tag_exists(what: str) -> bool:
    return Tag.objects.filter(Q(slug=slugify(what)) | Q(name__iexact=what)).exists()


def written_rules(profile) -> tuple[WeeklyRule, ...]:
    """The profile's weekly rules with the recipes each concerns (one query a rule)."""
    resolved = []
    for rule in profile.weekly_rules:
        text = weekly_rules.describe(rule)
        if rule["kind"] == "minutes":
            minutes = Recipe.objects.plannable_for(profile.user_id).alias(total=F("prep_minutes") + F("cook_minutes"))
            resolved.append(WeeklyRule(
                kind="minutes", text=text,
                recipes=frozenset(minutes.filter(total__gt=rule["weekdays"]).values_list("pk", flat=True)),
                weekend_recipes=frozenset(minutes.filter(total__gt=rule["weekends"]).values_list("pk", flat=True))))
            continue
        resolved.append(WeeklyRule(
            kind=rule["kind"], text=text,
            recipes=frozenset(recipes_named(rule["what"], profile.user_id).values_list("pk", flat=True)),
            meal_type=rule["meal_type"], count=rule.get("count", 0), weekday=rule.get("weekday", 0)))
    return tuple(resolved)


def recipe_candidates(profile, meal_type: str) -> QuerySet[Recipe]:
    return recipes_satisfying(hard_rules(profile), meal_type)


def swap_candidates(meal: PlannedMeal, *, query: str = "") -> QuerySet[Recipe]:
    """Recipes that may go in this meal's slot, optionally filtered by title: those every member
    eating it who is still in the plan's household may eat (a swap re-plans the slot for them only);
    none when all of them are gone."""
    eaters = list(Profile.objects.filter(plan_places__portions__meal=meal, household_id=meal.plan.household_id,
                                         removed_at__isnull=True).distinct())
    if not eaters:
        return Recipe.objects.none()
    recipes = recipe_candidates(eaters[0], meal.meal_type)
    for eater in eaters[1:]:
        recipes = recipes.filter(pk__in=recipe_candidates(eater, meal.meal_type).values("pk"))
    if query.strip():
        recipes = recipes.filter(title__icontains=query.strip())
    return recipes.order_by("title")


def slot_recipes(dishes: list[PlannedMeal]) -> QuerySet[Recipe]:
    """Recipes that may go in a slot of these dishes (one, or a household's two): those the eaters of
    one of them may all eat (`swap_candidates`)."""
    return Recipe.objects.filter(reduce(operator.or_, (Q(pk__in=swap_candidates(dish).values("pk")) for dish in dishes)))


def candidate_set(recipes: QuerySet[Recipe]) -> CandidateSet:
    """The planner's view of some recipes: id, per-serving nutrients, cost, dish family and mass of a
    serving (one query)."""
    rows = list(recipes.order_by("pk").values_list("pk", *NUTRIENTS, "cost_per_serving", "dish_family",
                                                   "grams_per_serving"))
    return CandidateSet.from_rows(((pk, *nutrients, float(cost)) for pk, *nutrients, cost, _, _ in rows),
                                  families=[family for *_, family, _ in rows], grams=[grams for *_, grams in rows])


def candidate_sets_of(recipes_by_key: dict) -> dict:
    """Each key's recipes (ids) as the planner's candidates (one query)."""
    every = candidate_set(Recipe.objects.filter(pk__in=set().union(*recipes_by_key.values())))
    ids = set(every.recipe_ids.tolist())
    return {key: every.without(ids - set(recipes)) for key, recipes in recipes_by_key.items()}


def earlier_meals(household_id: int, start_date: date, *, besides: MealPlan | None = None) -> tuple[EarlierMeal, ...]:
    """What the household planned for the 6 days before `start_date` (the repeat limits count them),
    from the latest of its other plans covering each of those days (one query)."""
    first = start_date - timedelta(days=DAYS_PER_WEEK - 1)
    meals = (PlannedMeal.objects.filter(plan__household_id=household_id, plan__start_date__lt=start_date,
                                        plan__start_date__gte=first - timedelta(days=MAX_PLAN_DAYS))
             .exclude(plan=besides).order_by("plan__created_at", "plan_id")
             .values_list("plan_id", "plan__start_date", "day", "recipe_id", "recipe__dish_family", "meal_type"))
    by_day = {}
    for plan_id, plan_start, day, *meal in meals:
        eaten = plan_start + timedelta(days=day)
        if first <= eaten < start_date:
            plan, listed = by_day.get(eaten, (plan_id, []))
            by_day[eaten] = (plan_id, [*listed, meal] if plan == plan_id else [meal])
    return tuple(EarlierMeal((eaten - start_date).days, recipe_id, family, meal_type)
                 for eaten, (_, listed) in sorted(by_day.items()) for recipe_id, family, meal_type in listed)


def fixed_meal(meal: PlannedMeal) -> FixedMeal:
    recipe = meal.recipe
    return FixedMeal(
        recipe_id=recipe.pk,
        servings=float(meal.servings),
        nutrients=tuple(getattr(recipe, name) for name in NUTRIENTS),
        cost=float(recipe.cost_per_serving),
        family=recipe.dish_family,
    )


def plan_meals(plan) -> list[PlannedMeal]:
    return list(plan.meals.select_related("recipe").order_by("day", "slot"))


def catalog_counts(rules: HardRules, meal_type: str) -> dict[str, int]:
    """How many recipes of `meal_type` each single relaxation of `rules` would allow."""
    return {
        rule: recipes_satisfying(rules.relaxed(rule), meal_type).count()
        for rule, active in (
            ("diet", rules.diet_id is not None),
            ("allergens", bool(rules.allergen_ids)),
            ("dislikes", rules.has_dislikes),
            ("time", rules.max_minutes is not None),
        )
        if active
    }


# Reads for the person-facing pages (mealplan/views.py).


# A plan, and its meals, jobs and shopping list, are its household's: every member with an account
# reaches them, through the household of their own profile; anybody else gets a 404.


def _own_household(user) -> Subquery:
    """The id of `user`'s household, inside a query (NULL without a profile, so nothing matches)."""
    return Subquery(Profile.objects.filter(user_id=user.pk).values("household_id")[:1])


def household_plans(user) -> QuerySet[MealPlan]:
    return MealPlan.objects.filter(household_id=_own_household(user))


def recent_plans(user, limit: int = 5) -> QuerySet[MealPlan]:
    return household_plans(user)[:limit]


def plans_of(user) -> QuerySet[MealPlan]:
    return household_plans(user).annotate(meal_count=Count("meals"))


def household_plan(user, pk: int) -> MealPlan:
    """One of the plans of `user`'s household; 404 for anybody else's."""
    return get_object_or_404(household_plans(user), pk=pk)


def has_profile(user) -> bool:
    return Profile.objects.filter(user=user).exists()


def profile_or_new(user) -> Profile:
    """The person's profile, or an unsaved one with defaults (saved by the profile form)."""
    return Profile.objects.filter(user=user).first() or Profile(user=user)


# Households: every lookup goes through the signed-in person's own household (404 for anybody else's).


def own_profile(user) -> Profile | None:
    """The person's profile with their household (None before they have one)."""
    return Profile.objects.select_related("household").filter(user=user).first()


def current_members(household) -> list[Profile]:
    """The household's members now (removed ones kept for past plans are left out): accounts first."""
    return list(
        Profile.objects.filter(household=household, removed_at__isnull=True)
        .select_related("user", "diet").prefetch_related("excluded_allergens", "skipped_meals")
        .order_by(F("user_id").asc(nulls_last=True), "-age", "pk"))


def household_person(user, member_pk: int) -> Profile:
    """A current member, with an account or without, of `user`'s household; 404 for anybody else."""
    return get_object_or_404(Profile, pk=member_pk, removed_at__isnull=True, household_id=_own_household(user))


def household_member(user, member_pk: int) -> Profile:
    """A current member without an account of `user`'s household; 404 for anybody else."""
    return get_object_or_404(
        Profile.objects.select_related("household").prefetch_related("skipped_meals"),
        pk=member_pk, user__isnull=True, removed_at__isnull=True, household__members__user=user,
    )


@dataclass(frozen=True)
class AccountDeletion:
    """What deleting a person's account takes with it: the confirmation page says it beforehand, and
    services.delete_account does it.

    The last member with an account takes their household along (nobody could reach its plans or look
    after its members without an account any more); anyone else leaves the household and its plans to
    the others. An own recipe planned in a plan that stays keeps the account until it is swapped out.
    """

    household: Household | None  # the person's household (None without a profile)
    last: bool  # they are its last member with an account: it is deleted with theirs
    plans: int  # the household's plans deleted with it
    members: tuple[str, ...]  # its members without an account deleted with it
    own_recipes: int
    blocking: tuple[str, ...]  # titles of own recipes planned in plans that stay


def account_deletion(user) -> AccountDeletion:
    profile = own_profile(user)
    last = profile is not None and not Profile.objects.filter(
        household_id=profile.household_id, user__isnull=False).exclude(pk=profile.pk).exists()
    household = profile.household if profile else None
    staying = PlannedMeal.objects.filter(recipe__owner=user)
    if last:
        staying = staying.exclude(plan__household=household)
    return AccountDeletion(
        household=household, last=last,
        plans=household.plans.count() if last else 0,
        members=tuple(Profile.objects.filter(household=household, user__isnull=True, removed_at__isnull=True)
                      .order_by("name").values_list("name", flat=True)) if last else (),
        own_recipes=Recipe.objects.filter(owner=user).count(),
        blocking=tuple(staying.order_by("recipe__title").values_list("recipe__title", flat=True).distinct()),
    )


def _open_invitations():
    return HouseholdInvitation.objects.filter(accepted_at__isnull=True,
                                              created_at__gt=timezone.now() - INVITATION_LIFETIME)


def open_invitations(household) -> list[HouseholdInvitation]:
    """Unused, unexpired invitations to `household`, newest first."""
    return list(_open_invitations().filter(household=household).select_related("created_by"))


def household_invitation(user, invitation_pk: int) -> HouseholdInvitation:
    """An open invitation to `user`'s household; 404 for anybody else's."""
    return get_object_or_404(_open_invitations(), pk=invitation_pk, household__members__user=user)


def invitation_for_link(token: str) -> HouseholdInvitation:
    """The open invitation a link names; 404 for a link we did not sign, or one used, cancelled or expired."""
    key = invitation_key(token)
    if key is None:
        raise Http404("No such invitation.")
    return get_object_or_404(_open_invitations().select_related("household"), key=key)


# Recipe columns the plan grid and shopping list never show; not loading them keeps the page fast.
UNSHOWN_RECIPE_FIELDS = (
    "description", "instructions", "source_url", "review_notes", "created_at",
    "nutrition_updated_at", "nutrition_coverage", "saturated_fat_g", "fiber_g", "sugars_g", "sodium_mg",
)


def _recipe_disliked(user) -> Exists:
    """Whether `user` (who sees the plan) has said "don't suggest this again" of a meal's recipe (for the
    card's button: each member of the household turns recipes down for themselves)."""
    return Exists(Profile.disliked_recipes.through.objects.filter(
        profile__user_id=user.pk, recipe_id=OuterRef("recipe_id")))


def _with_recipes(meals: QuerySet[PlannedMeal]) -> QuerySet[PlannedMeal]:
    return meals.select_related("recipe").defer(*(f"recipe__{name}" for name in UNSHOWN_RECIPE_FIELDS))


def _breaks_profile_rules() -> ExpressionWrapper:
    """Whether a meal's recipe breaks the current diet or allergen rules of a member who eats it and
    is still in the plan's household (a member gone has no say in what a re-plan replaces).

    The per-meal form of `recipes_satisfying`'s diet and allergen filters: an excluded
    allergen, unknown allergens while avoiding any, or a diet the recipe does not satisfy.
    """
    still_eating = {"plan_places__portions__meal_id": OuterRef("pk"), "household_id": OuterRef("plan__household_id"),
                    "removed_at__isnull": True}
    excluded = Profile.excluded_allergens.through.objects.filter(
        **{f"profile__{lookup}": value for lookup, value in still_eating.items()})
    wrong_diet = Profile.objects.filter(**still_eating, diet__isnull=False).exclude(diet__recipes=OuterRef("recipe_id"))
    return ExpressionWrapper(
        Q(Exists(excluded.filter(allergen__recipes=OuterRef("recipe_id"))))
        | Q(recipe__allergens_unknown=True) & Q(Exists(excluded))
        | Q(Exists(wrong_diet)),
        output_field=BooleanField(),
    )


def meals_breaking_rules(plan: MealPlan) -> set[int]:
    """Ids of the plan's meals that break the current rules of a member eating them and were not kept on purpose."""
    return set(plan.meals.annotate(breaks_rules=_breaks_profile_rules())
               .filter(breaks_rules=True, kept_despite_rules=False).values_list("pk", flat=True))


def meals_for_display(plan: MealPlan, user) -> QuerySet[PlannedMeal]:
    """A plan's meals with their recipes, as `user` sees them, in one query, whatever the plan size."""
    return _with_recipes(PlannedMeal.objects.filter(plan=plan)).annotate(
        recipe_disliked=_recipe_disliked(user), breaks_rules=_breaks_profile_rules())


def plan_eaters(plan: MealPlan) -> tuple[list[Eater], dict[int, tuple[tuple[int, float], ...]]]:
    """Whom the plan is for (those with a portion, in their order) and each meal's portions as
    (position, servings), by meal id (one query)."""
    rows = (MealPortion.objects.filter(meal__plan=plan).order_by("meal_id", "member__position")
            .values_list("meal_id", "servings", "member__position", "member__name", "member__member__user_id",
                         "member__own_meals_per_day", "member__member_id", "member__member__household_id",
                         "member__member__removed_at", *(f"member__{name}" for name in TARGET_FIELDS)))
    eaters, portions = {}, defaultdict(list)
    for meal_id, servings, position, name, user_id, own_meals, profile_id, household_id, removed_at, *targets in rows:
        still_member = household_id == plan.household_id and removed_at is None
        eaters.setdefault(position, Eater(position=position, name=name, targets=dict(zip(TARGET_FIELDS, targets)),
                                          user_id=user_id, own_meals=own_meals,
                                          profile_id=profile_id if still_member else None))
        portions[meal_id].append((position, float(servings)))
    return [eaters[position] for position in sorted(eaters)], {meal: tuple(rows) for meal, rows in portions.items()}


def days_with_recipe(plan: MealPlan, recipe_id: int) -> set[int]:
    """The days whose cards show `recipe_id`: they change when its dislike does."""
    return set(plan.meals.filter(recipe_id=recipe_id).values_list("day", flat=True))


def published_recipe(slug: str) -> Recipe:
    return get_object_or_404(Recipe.objects.published(), slug=slug)


def recipe_disliked_by(user, recipe: Recipe) -> bool | None:
    """True/False for a person with a profile; None when there is no profile to keep it in (one query)."""
    if not user.is_authenticated:
        return None
    disliked = Profile.disliked_recipes.through.objects.filter(profile=OuterRef("pk"), recipe_id=recipe.pk)
    return Profile.objects.filter(user=user).values_list(Exists(disliked), flat=True).first()


def disliked_recipe_ids(user) -> frozenset[int]:
    """The recipes `user` asked us not to suggest, to mark them in lists (one query; none when signed out)."""
    if not user.is_authenticated:
        return frozenset()
    return frozenset(Profile.disliked_recipes.through.objects.filter(profile__user=user).values_list("recipe_id", flat=True))


def disliked_recipes(profile: Profile) -> QuerySet[Recipe]:
    return profile.disliked_recipes.only("pk", "title", "slug", "owner_id").order_by("title", "pk")


# The plan page's hot path, in SQL written out once and read through a plain cursor: compiling
# the equivalent ORM query, or building a model per row through raw(), cost several times as much
# CPU as running it, on the page served most often. The plan is found through the household of the
# person asking (a member's plan; no row for anybody else). Each row holds the plan's PLAN_FIELDS, its
# pending job, budget and the meal's recipe cost, then the meal's state: everything its card in the
# cached grid depends on (whether the person asking turned its recipe down; its members' profiles too: their
# diet and allergens flag meals that break them, and who is still a member is offered "who doesn't like it":
# the latest change and how many are left); timestamps come back as text, since they are only compared. LEFT JOIN: a plan without
# meals still has its row, and anybody else's plan has none.
PLAN_FIELDS = tuple(field.attname for field in MealPlan._meta.concrete_fields  # in the order from_db expects
                    if field.attname in {"id", "owner_id", "household_id", "start_date", "days", "target_kcal", "target_protein_g",
                                         "target_fat_g", "target_carb_g", "household_size", "solver_notes",
                                         "updated_at"})
PLAN_PAGE_SQL = f"""
SELECT {", ".join(f"p.{name}" for name in PLAN_FIELDS)},
       (SELECT j.id FROM mealplan_planjob j WHERE j.plan_id = p.id AND j.status = 'pending') AS pending_job_id,
       (SELECT COUNT(*) FROM mealplan_planmember e WHERE e.plan_id = p.id) AS eaters,
       (SELECT pr.daily_budget FROM mealplan_planmember e JOIN mealplan_profile pr ON pr.id = e.member_id
        WHERE e.plan_id = p.id AND pr.household_id = p.household_id AND pr.removed_at IS NULL
        ORDER BY e.position LIMIT 1) AS daily_budget,
       r.cost_per_serving AS recipe_cost,
       (SELECT SUM(po.servings) FROM mealplan_mealportion po WHERE po.meal_id = m.id) AS meal_eaten,
       m.id AS meal_id, m.day AS meal_day, m.slot AS meal_slot, m.meal_type AS meal_type,
       m.servings AS meal_servings, m.locked AS meal_locked, m.recipe_id AS meal_recipe_id,
       CAST(r.updated_at AS TEXT) AS recipe_updated_at,
       EXISTS (SELECT 1 FROM mealplan_profile_disliked_recipes d
               JOIN mealplan_profile pr ON pr.id = d.profile_id
               WHERE pr.user_id = %(user)s AND d.recipe_id = m.recipe_id) AS recipe_disliked,
       m.kept_despite_rules AS meal_kept,
       (SELECT CAST(MAX(pr.updated_at) AS TEXT) || ' ' || CAST(COUNT(*) AS TEXT) FROM mealplan_planmember e
        JOIN mealplan_profile pr ON pr.id = e.member_id WHERE e.plan_id = p.id) AS members_changed
FROM mealplan_mealplan p
LEFT JOIN mealplan_plannedmeal m ON m.plan_id = p.id
LEFT JOIN meals_recipe r ON r.id = m.recipe_id
WHERE p.id = %(plan)s AND p.household_id = (SELECT me.household_id FROM mealplan_profile me WHERE me.user_id = %(user)s)
ORDER BY m.day, m.slot
"""
_PLAN_END = len(PLAN_FIELDS)
_MEAL_START = _PLAN_END + 5  # after pending_job_id, eaters, daily_budget, recipe_cost, meal_eaten


def plan_page_state(user, pk: int) -> tuple[MealPlan, list[tuple], PlanCost]:
    """One of the plans of `user`'s household, its meals' state as `user` sees them, and its cost, in one
    query; 404 for anybody else's plan.

    The page only needs full meals when its cached grid is stale (see meals_for_display).
    """
    with connection.cursor() as cursor:
        cursor.execute(PLAN_PAGE_SQL, {"plan": pk, "user": user.pk})
        rows = cursor.fetchall()
    if not rows:
        raise Http404("No such plan.")
    first = rows[0]
    plan = _model_from_row(MealPlan, PLAN_FIELDS, first[:_PLAN_END])
    plan.pending_job_id = first[_PLAN_END]
    meals = [row for row in rows if row[_MEAL_START] is not None]
    cost = plan_cost(((row[_MEAL_START + 1], row[_PLAN_END + 4] or 0, row[_PLAN_END + 3]) for row in meals),
                     days=plan.days, household_size=plan.household_size, daily_budget=first[_PLAN_END + 2],
                     eaters=first[_PLAN_END + 1])
    return plan, [row[_MEAL_START:] for row in meals], cost


def _model_from_row(model, fields: tuple[str, ...], values):
    """An instance of `model` from a plain cursor's row of `fields`, its columns converted as the ORM would
    (dates, JSON) on either database."""
    converted = [reduce(lambda value, convert: convert(value, column, connection), converters, value)
                 for value, (column, converters) in zip(values, _field_converters(model, fields))]
    return model.from_db(connection.alias, fields, converted)


@cache
def _field_converters(model, fields: tuple[str, ...]) -> list[tuple]:
    columns = [model._meta.get_field(name.removesuffix("_id")).get_col(model._meta.db_table) for name in fields]
    return [(column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
            for column in columns]


# Every request of a signed-in person reads their row (mealplan.auth.UserBackend): the statement is
# written out once, since compiling the ORM's get() each time cost 0.62 ms CPU a request against 0.14 ms.
USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields)
USER_SQL = (f"SELECT {', '.join(connection.ops.quote_name(field.column) for field in User._meta.concrete_fields)} "
            f"FROM {connection.ops.quote_name(User._meta.db_table)} "
            f"WHERE {connection.ops.quote_name(User._meta.pk.column)} = %s")


def user_by_pk(pk) -> User | None:
    """The user with primary key `pk` (as a session stores it), every field loaded; None if there is none."""
    try:
        pk = User._meta.pk.to_python(pk)
    except ValidationError:
        return None
    with connection.cursor() as cursor:
        cursor.execute(USER_SQL, [pk])
        row = cursor.fetchone()
    return _model_from_row(User, USER_FIELDS, row) if row else None


def _column(model, name: str, table: str) -> str:
    return f"{table}.{connection.ops.quote_name(model._meta.get_field(name).column)}"


# The session and its person in one statement (mealplan.accounts.sessions): a round trip fewer than reading the
# session (from Redis or the database) and then the person.
SESSION_USER_SQL = (
    f"SELECT {_column(UserSession, 'session_data', 's')}, {_column(UserSession, 'user', 's')}, "
    f"{', '.join(_column(User, name, 'u') for name in USER_FIELDS)} "
    f"FROM {connection.ops.quote_name(UserSession._meta.db_table)} s "
    f"LEFT JOIN {connection.ops.quote_name(User._meta.db_table)} u "
    f"ON {_column(User, User._meta.pk.name, 'u')} = {_column(UserSession, 'user', 's')} "
    f"WHERE {_column(UserSession, 'session_key', 's')} = %s AND {_column(UserSession, 'expire_date', 's')} > %s"
)


def session_with_user(session_key: str) -> tuple[str, int | None, User | None] | None:
    """An unexpired session's encoded data, the id of the person signed in with it and their row (None when
    nobody is, or their row is gone); None if there is no such session."""
    with connection.cursor() as cursor:
        cursor.execute(SESSION_USER_SQL, [session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
        row = cursor.fetchone()
    if row is None:
        return None
    data, user_id, *user = row
    return data, user_id, _model_from_row(User, USER_FIELDS, user) if user[0] is not None else None


def cost_of_plan(plan: MealPlan) -> PlanCost:
    """The plan's cost per day, every member's portions, against the budget of the first of its members
    still in its household (whose settings a re-plan follows: services._plan_eaters; one query)."""
    budget = PlanMember.objects.filter(
        plan_id=OuterRef("plan_id"), member__household_id=OuterRef("plan__household_id"),
        member__removed_at__isnull=True).order_by("position").values("member__daily_budget")[:1]
    eaters = PlanMember.objects.filter(plan_id=OuterRef("plan_id")).values("plan_id").annotate(n=Count("pk")).values("n")
    rows = list(plan.meals.annotate(eaten=Sum("portions__servings"), budget=Subquery(budget), eaters=Subquery(eaters))
                .values_list("day", "eaten", "recipe__cost_per_serving", "budget", "eaters"))
    return plan_cost(((day, eaten or 0, cost) for day, eaten, cost, *_ in rows), days=plan.days,
                     household_size=plan.household_size, daily_budget=rows[0][3] if rows else None,
                     eaters=rows[0][4] or 1 if rows else 1)


def household_job(user, pk: int) -> PlanJob:
    """A new plan `user` asked for (no plan yet), or a job on a plan of their household, whoever
    started it; 404 for anybody else's (a job of theirs on the plan of a household they left too)."""
    return get_object_or_404(PlanJob.objects.select_related("plan"),
                             Q(owner=user, plan__isnull=True) | Q(plan__household_id=_own_household(user)), pk=pk)


def household_meal(user, plan_pk: int, meal_pk: int) -> PlannedMeal:
    """One meal of one of the plans of `user`'s household; 404 for anybody else's."""
    return get_object_or_404(PlannedMeal.objects.select_related("plan", "recipe"), pk=meal_pk, plan_id=plan_pk,
                             plan__household_id=_own_household(user))


def ingredient_uses(plan: MealPlan) -> list[IngredientUse]:
    """Every ingredient line of every planned meal, scaled to every member's portions of it, summed (the
    dish is cooked once), × "cooking for N" (2 queries)."""
    meals = list(_with_recipes(PlannedMeal.objects.filter(plan=plan)).annotate(eaten=Sum("portions__servings")))
    lines_by_recipe = defaultdict(list)
    for line in RecipeIngredient.objects.filter(recipe_id__in={meal.recipe_id for meal in meals}).select_related("food"):
        lines_by_recipe[line.recipe_id].append(line)
    return [
        IngredientUse(
            food_id=line.food_id,
            food_name=line.food.name if line.food_id else "",
            category=line.food.category if line.food_id else "",
            grams=line.grams,
            factor=float(meal.eaten or 0) * plan.household_size / meal.recipe.servings,
            text=line.original_text or str(line),
            recipe_title=meal.recipe.title,
            density_g_per_ml=line.food.density_g_per_ml if line.food_id else None,
            source_id=line.food.source_id if line.food_id else "",
            shop_as=line.shop_as,
        )
        for meal in meals
        for line in lines_by_recipe[meal.recipe_id]
    ]


def food_portions(food_ids) -> dict[int, list[tuple[str, float]]]:
    """Each food's USDA portions as (measure, grams per unit), in USDA's order (one query)."""
    portions = defaultdict(list)
    rows = FoodPortion.objects.filter(food_id__in=food_ids).order_by("food_id", "seq")
    for food_id, measure, amount, grams in rows.values_list("food_id", "measure", "amount", "gram_weight"):
        portions[food_id].append((measure, grams / amount))
    return portions


def shopping_list(plan: MealPlan) -> ShoppingList:
    uses = ingredient_uses(plan)
    return build_shopping_list(uses, food_portions({use.food_id for use in uses if use.food_id}))


@dataclass(frozen=True)
class ShoppingChecks:
    """What is ticked on a plan's shopping list: foods, and lines matched to no food (by key)."""

    food_ids: frozenset[int] = frozenset()
    line_keys: frozenset[str] = frozenset()

    @cached_property
    def ticks(self) -> frozenset[tuple[str, str]]:
        """The ticks as (form field, value), as ShoppingItem.tick names one."""
        return frozenset({("food", str(food_id)) for food_id in self.food_ids}
                         | {("line", key) for key in self.line_keys})

    def count_on(self, shopping: ShoppingList) -> int:
        """Ticks of things still on the list (a regenerated plan may have dropped some)."""
        return len(self.food_ids & shopping.food_ids) + len(self.line_keys & shopping.line_keys)


def shopping_checks(plan: MealPlan) -> ShoppingChecks:
    """The ticks, in one query."""
    rows = list(plan.shopping_checks.values_list("food_id", "line_key"))
    return ShoppingChecks(
        food_ids=frozenset(food_id for food_id, _ in rows if food_id is not None),
        line_keys=frozenset(key for food_id, key in rows if food_id is None),
    )
