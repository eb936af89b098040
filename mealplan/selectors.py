"""Reads for planning and the plan pages."""

from dataclasses import dataclass, replace

from django.db.models import F, QuerySet

from meals.models import Recipe
from mealplan.models import PlannedMeal
from mealplan.planner import NUTRIENTS, CandidateSet, FixedMeal


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
    )


def recipes_satisfying(rules: HardRules, meal_type: str) -> QuerySet[Recipe]:
    """Published recipes of `meal_type` that break none of `rules` (all in SQL)."""
    recipes = Recipe.objects.published().for_meal_type(meal_type)
    if rules.diet_id is not None:
        recipes = recipes.filter(diets=rules.diet_id)
    if rules.allergen_ids:
        recipes = recipes.exclude(allergens__in=rules.allergen_ids)
    if rules.disliked_recipe_ids:
        recipes = recipes.exclude(pk__in=rules.disliked_recipe_ids)
    if rules.disliked_food_ids:
        recipes = recipes.exclude(ingredients__food__in=rules.disliked_food_ids)
    if rules.max_minutes is not None:
        recipes = recipes.alias(total_minutes=F("prep_minutes") + F("cook_minutes")).filter(
            total_minutes__lte=rules.max_minutes
        )
    return recipes


def recipe_candidates(profile, meal_type: str) -> QuerySet[Recipe]:
    return recipes_satisfying(hard_rules(profile), meal_type)


def swap_candidates(meal: PlannedMeal, *, query: str = "") -> QuerySet[Recipe]:
    """Recipes the owner may put in this meal's slot, optionally filtered by title."""
    recipes = recipe_candidates(meal.plan.owner.profile, meal.meal_type)
    if query.strip():
        recipes = recipes.filter(title__icontains=query.strip())
    return recipes.order_by("title")


def candidate_set(recipes: QuerySet[Recipe]) -> CandidateSet:
    """The planner's view of some recipes: id, per-serving nutrients and cost (one query)."""
    rows = recipes.order_by("pk").values_list("pk", *NUTRIENTS, "cost_per_serving")
    return CandidateSet.from_rows((pk, *nutrients, float(cost)) for pk, *nutrients, cost in rows)


def fixed_meal(meal: PlannedMeal) -> FixedMeal:
    recipe = meal.recipe
    return FixedMeal(
        recipe_id=recipe.pk,
        servings=float(meal.servings),
        nutrients=tuple(getattr(recipe, name) for name in NUTRIENTS),
        cost=float(recipe.cost_per_serving),
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
