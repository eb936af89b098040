"""Reads of the recipe catalog shared by the public pages."""

from django.db.models import F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from meals.models import Allergen, Diet, Food, Recipe, RecipeIngredient

PUBLISH_MIN_COVERAGE = 0.9  # below this share of counted lines, publishing asks for confirmation


def search_recipes(
    *,
    query: str = "",
    meal_type: str = "",
    diet: Diet | None = None,
    max_minutes: int | None = None,
    exclude_allergens: list[Allergen] | tuple = (),
) -> QuerySet[Recipe]:
    """Published recipes matching the filters, diets prefetched for the cards."""
    recipes = Recipe.objects.published().annotate(minutes=F("prep_minutes") + F("cook_minutes"))
    if query:
        recipes = recipes.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if meal_type:
        recipes = recipes.for_meal_type(meal_type)
    if diet is not None:
        recipes = recipes.filter(diets=diet)
    if max_minutes is not None:
        recipes = recipes.filter(minutes__lte=max_minutes)
    if exclude_allergens:
        recipes = recipes.free_of(exclude_allergens)
    return recipes.prefetch_related("diets").order_by("title", "pk")


def recipe_for_detail(slug: str) -> QuerySet[Recipe]:
    """The one published recipe with its lines, foods, diets and allergens loaded."""
    lines = RecipeIngredient.objects.select_related("food").order_by("order", "pk")
    return Recipe.objects.published().filter(slug=slug).prefetch_related(
        Prefetch("ingredients", queryset=lines), "diets", "allergens", "tags"
    )


def foods_used_in_recipes() -> QuerySet[Food]:
    """Foods someone could dislike: only those that appear in published recipes."""
    return (
        Food.objects.filter(recipe_ingredients__recipe__is_published=True)
        .distinct()
        .order_by("name")
        .only("pk", "name", "category")
    )


def publish_warnings(recipe: Recipe) -> list[str]:
    """Why publishing this recipe needs a second look (empty: nothing to confirm)."""
    warnings = []
    if recipe.nutrition_coverage < PUBLISH_MIN_COVERAGE:
        warnings.append(f"only {recipe.nutrition_coverage:.0%} of its ingredient lines are counted in the nutrition")
    if recipe.allergens_unknown:
        lines = [f"line {number} “{line.original_text or line}”"
                 for number, line in enumerate(recipe.ingredients.all(), start=1) if line.food_id is None]
        warnings.append("allergens unknown: " + ("no food chosen for " + ", ".join(lines) if lines
                                                 else "it has no ingredient lines"))
    return warnings


def own_recipes(user) -> QuerySet[Recipe]:
    """A person's own recipes, newest first."""
    return Recipe.objects.filter(owner=user).order_by("-created_at", "-pk").only(
        "pk", "title", "slug", "owner_id", "servings", "energy_kcal", "protein_g", "nutrition_coverage",
        "is_breakfast", "is_lunch", "is_dinner", "is_snack", "prep_minutes", "cook_minutes")


def household_recipes(user) -> QuerySet[Recipe]:
    """Own recipes of `user` or of anybody in their household: a household plan may hold a member's own
    recipe (a dish only they eat), so everyone at the table can read it; only its owner changes it."""
    shared = Recipe.objects.filter(owner__profile__household__members__user=user).values("pk")
    return Recipe.objects.filter(Q(owner=user) | Q(pk__in=shared))


def own_recipe(user, pk: int, *, household: bool = False) -> Recipe:
    """One of `user`'s own recipes (or, with `household`, of somebody in their household) with its
    lines, foods, diets and allergens; 404 for anybody else's."""
    lines = RecipeIngredient.objects.select_related("food").order_by("order", "pk")
    recipes = household_recipes(user) if household else Recipe.objects.filter(owner=user)
    return get_object_or_404(
        recipes.prefetch_related(Prefetch("ingredients", queryset=lines), "diets", "allergens", "tags"), pk=pk)


def own_recipe_picture(user, pk: int) -> Recipe:
    """An own recipe of somebody in `user`'s household, just enough to serve its picture; 404 for anybody else's."""
    return get_object_or_404(household_recipes(user).only("pk", "owner_id", "picture"), pk=pk)
