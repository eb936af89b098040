"""Small builders for catalog rows, shared by the catalog and admin tests."""

from meals.models import Allergen, Diet, Food, FoodPortion, Recipe, RecipeIngredient, Tag


def make_food(source_id="01123", name="Egg, whole, raw, fresh", **nutrients) -> Food:
    values = {"energy_kcal": 143, "protein_g": 12.56, "fat_g": 9.51, "carbohydrate_g": 0.72} | nutrients
    return Food.objects.create(source_id=source_id, name=name, category="Dairy and Egg Products", **values)


def make_portion(food: Food, measure="large", gram_weight=50.0, seq=1) -> FoodPortion:
    return FoodPortion.objects.create(food=food, seq=seq, amount=1, measure=measure, gram_weight=gram_weight)


def make_recipe(slug="scrambled-eggs", ingredients=(), servings=2, **fields) -> Recipe:
    """A recipe with (food, grams) ingredient lines."""
    recipe = Recipe.objects.create(
        title=fields.pop("title", slug.replace("-", " ").capitalize()), slug=slug, servings=servings, **fields
    )
    RecipeIngredient.objects.bulk_create(
        RecipeIngredient(recipe=recipe, food=food, grams=grams, order=order, original_text=f"{grams:g} g {food}")
        for order, (food, grams) in enumerate(ingredients)
    )
    return recipe


def make_classified_recipes(count: int, food: Food, start: int = 0) -> list[Recipe]:
    """`count` published recipes, each with a diet, an allergen and a tag of its own."""
    recipes = []
    for number in range(start, start + count):
        recipe = make_recipe(slug=f"recipe-{number}", ingredients=[(food, 100)], is_published=True, is_dinner=True)
        recipe.tags.add(Tag.objects.create(name=f"Tag {number}", slug=f"tag-{number}"))
        recipe.diets.add(Diet.objects.get(slug="vegetarian" if number % 2 else "gluten-free"))
        recipe.allergens.add(Allergen.objects.get(slug="eggs"))
        recipes.append(recipe)
    return recipes
