"""A small planning catalog on the database for the planner service tests."""

import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from meals.models import Allergen, Diet, Food, Recipe, RecipeIngredient
from mealplan.models import Profile
from tests.web_factories import BODY_DATA

# Energy share of (protein, fat, carbohydrate) per recipe style; mixing them lets a day hit 25/30/45.
STYLES = [(0.35, 0.30, 0.35), (0.15, 0.30, 0.55), (0.25, 0.40, 0.35), (0.25, 0.20, 0.55), (0.30, 0.25, 0.45)]


def make_recipe(title: str, *, meal_type: str, kcal: float, split=(0.25, 0.30, 0.45), minutes: int = 20,
                cost: str = "2.00", diets=(), allergens=(), foods=()) -> Recipe:
    protein, fat, carb = split
    recipe = Recipe.objects.create(
        title=title, slug=title.lower().replace(" ", "-"), is_published=True, prep_minutes=minutes, cook_minutes=0,
        cost_per_serving=Decimal(cost), energy_kcal=kcal, protein_g=kcal * protein / 4, fat_g=kcal * fat / 9,
        carbohydrate_g=kcal * carb / 4, **{f"is_{meal_type}": True},
    )
    recipe.diets.set(Diet.objects.filter(slug__in=diets))
    recipe.allergens.set(Allergen.objects.filter(slug__in=allergens))
    RecipeIngredient.objects.bulk_create(RecipeIngredient(recipe=recipe, food=food, grams=100) for food in foods)
    return recipe


def make_catalog(per_type: int = 8) -> list[Recipe]:
    """`per_type` vegan-friendly recipes per meal type with varied macro styles and sizes."""
    recipes = []
    for meal_type, base_kcal in (("breakfast", 400), ("lunch", 550), ("dinner", 650), ("snack", 200)):
        for i, style in zip(range(per_type), itertools.cycle(STYLES)):
            recipes.append(make_recipe(f"{meal_type} {i}", meal_type=meal_type, kcal=base_kcal + 37 * i,
                                       split=style, diets=("vegan", "vegetarian")))
    return recipes


def make_food(name: str) -> Food:
    return Food.objects.create(source_id=str(80000 + Food.objects.count()), name=name, energy_kcal=100)


def make_person(username: str = "planner", **profile_fields):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", "a-long-test-passphrase-42")
    Profile.objects.create(user=user, **(BODY_DATA | profile_fields))
    return user
