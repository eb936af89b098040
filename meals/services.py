"""Writes to the catalog: recomputing denormalised nutrition."""

from django.db import transaction
from django.utils import timezone

from meals.models import Recipe
from meals.nutrients import CORE_NUTRIENT_FIELDS
from meals.nutrition import IngredientAmount, recipe_nutrition


def ingredient_amounts(recipe: Recipe) -> list[IngredientAmount]:
    """Read a recipe's lines as plain data (uses prefetched ingredients when present)."""
    return [
        IngredientAmount(
            grams=line.grams if line.food_id is not None else None,
            per_100g={name: getattr(line.food, name) for name in CORE_NUTRIENT_FIELDS} if line.food_id else {},
        )
        for line in recipe.ingredients.all()
    ]


@transaction.atomic
def recompute_recipe_nutrition(recipe: Recipe) -> Recipe:
    """Store per-serving nutrition and coverage computed from the ingredient lines."""
    result = recipe_nutrition(ingredient_amounts(recipe), recipe.servings)
    for name, value in result.per_serving.items():
        setattr(recipe, name, value)
    recipe.nutrition_coverage = result.coverage
    recipe.nutrition_updated_at = timezone.now()
    recipe.save(update_fields=[*CORE_NUTRIENT_FIELDS, "nutrition_coverage", "nutrition_updated_at", "updated_at"])
    return recipe
