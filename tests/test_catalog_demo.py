"""The demo catalog: `load_demo` gives a real, plannable starter catalog and is idempotent."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, Q

from meals.demo.loader import USDA_DIR, DemoDataError, load_demo_catalog, read_recipes
from meals.models import Food, FoodPortion, MealType, Recipe, RecipeIngredient, Tag

pytestmark = pytest.mark.django_db

SHARED_USDA = Path(settings.BASE_DIR).parent / "shared/data/usda-sr-legacy"
MEAT_AND_FISH_GROUPS = {
    "Poultry Products", "Beef Products", "Pork Products", "Lamb, Veal, and Game Products",
    "Finfish and Shellfish Products", "Sausages and Luncheon Meats",
}
ANIMAL_GROUPS = MEAT_AND_FISH_GROUPS | {"Dairy and Egg Products"}
HONEY = "19296"
# USDA name prefixes of foods that carry an allergen the recipe must then declare.
ALLERGEN_FOODS = {
    "eggs": ("Egg,", "Salad dressing, mayonnaise"),
    "milk": ("Cheese,", "Milk,", "Butter,", "Yogurt,", "Sour cream", "Sauce, pesto"),
    "fish": ("Fish,",),
    "crustaceans": ("Crustaceans,",),
    "peanuts": ("Peanut",),
    "soy": ("Tofu,", "Soy", "Tempeh", "Edamame", "Miso"),
    "tree-nuts": ("Nuts, almond", "Nuts, walnuts", "Nuts, cashew", "Nuts, pistachio", "Beverages, almond milk",
                  "Sauce, pesto"),
    "sesame": ("Seeds, sesame", "Oil, sesame", "Hummus"),
    "mustard": ("Mustard",),
    "celery": ("Celery",),
    "gluten": ("Wheat flour", "Bread,", "Pasta,", "Bagels", "Couscous", "Tortillas, ready-to-bake or -fry, flour",
               "Noodles, japanese, soba", "Cereals, oats", "English muffins"),
}
# Loose per-serving energy bands the planner relies on to reach 1,500–3,000 kcal a day.
KCAL_BANDS = {"breakfast": (250, 650), "lunch": (350, 850), "dinner": (350, 850), "snack": (80, 350)}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    load_demo()
    return Recipe.objects.prefetch_related("ingredients__food", "diets", "allergens")


def slugs(related) -> set[str]:
    return {row.slug for row in related.all()}


def test_load_demo_prints_a_one_line_summary():
    output = load_demo()
    assert output.count("\n") == 1
    assert "recipes 64 created, 0 updated, 0 unchanged" in output


def test_demo_catalog_has_published_recipes_for_every_meal_type_and_diet(demo):
    published = Recipe.objects.published()
    assert published.count() >= 40
    for meal_type in MealType.values:
        of_type = published.for_meal_type(meal_type)
        assert of_type.exclude(diets__slug="pescatarian").exists(), f"no meat {meal_type}"
        for diet in ("vegan", "vegetarian", "pescatarian", "gluten-free"):
            # A week with at most two repeats per recipe needs four different recipes per slot.
            assert of_type.filter(diets__slug=diet).count() >= 4, f"{diet} {meal_type}"
        assert of_type.filter(diets__slug="keto").count() >= 4, f"keto {meal_type}"


def test_every_demo_ingredient_is_resolved_to_a_food_and_grams(demo):
    assert not RecipeIngredient.objects.filter(Q(food__isnull=True) | Q(grams__isnull=True) | Q(grams=0)).exists()
    assert set(Recipe.objects.values_list("nutrition_coverage", flat=True)) == {1.0}
    counted = RecipeIngredient.objects.filter(portion__isnull=False)
    assert counted.count() > RecipeIngredient.objects.count() / 2  # most lines use a USDA household measure
    assert all(line.portion.food_id == line.food_id for line in counted.select_related("portion"))


def test_a_known_recipe_matches_a_hand_calculation_from_usda_values(demo):
    """Spinach and feta omelette, 1 serving, SR28 kcal per 100 g × grams from SR28 portions."""
    expected_kcal = (
        3 * 50 * 143 / 100      # 3 large eggs (01123: 1 large = 50 g, 143 kcal)
        + 14.2 * 717 / 100      # 1 tbsp butter (01001: 1 tbsp = 14.2 g, 717 kcal)
        + 30 * 23 / 100         # 1 cup spinach (11457: 1 cup = 30 g, 23 kcal)
        + 28.35 * 264 / 100     # 1 oz feta (01019: 1 oz = 28.35 g, 264 kcal)
        + 0.1 * 251 / 100       # 1 dash black pepper (02030: 0.1 g, 251 kcal)
    )
    omelette = Recipe.objects.get(slug="spinach-feta-omelette")
    assert omelette.energy_kcal == pytest.approx(expected_kcal, rel=0.02)
    assert omelette.protein_g == pytest.approx(3 * 50 * 12.56 / 100 + 28.35 * 14.21 / 100 + 14.2 * 0.85 / 100
                                               + 30 * 2.86 / 100 + 0.1 * 10.39 / 100, rel=0.02)


def test_demo_nutrition_is_plausible_for_every_recipe(demo):
    for recipe in demo:
        low = min(KCAL_BANDS[meal_type][0] for meal_type in recipe.meal_types)
        high = max(KCAL_BANDS[meal_type][1] for meal_type in recipe.meal_types)
        assert low <= recipe.energy_kcal <= high, recipe.slug
        from_macros = 4 * recipe.protein_g + 9 * recipe.fat_g + 4 * recipe.carbohydrate_g
        assert from_macros == pytest.approx(recipe.energy_kcal, rel=0.15), recipe.slug
        assert recipe.sodium_mg > 0 and recipe.cost_per_serving > 0, recipe.slug


def test_demo_diets_agree_with_the_ingredients_and_allergens(demo):
    for recipe in demo:
        diets, allergens = slugs(recipe.diets), slugs(recipe.allergens)
        groups = {line.food.category for line in recipe.ingredients.all()}
        if "vegetarian" in diets:
            assert "pescatarian" in diets and not groups & MEAT_AND_FISH_GROUPS, recipe.slug
            assert not allergens & {"fish", "crustaceans", "molluscs"}, recipe.slug
        if "vegan" in diets:
            assert "vegetarian" in diets and not groups & ANIMAL_GROUPS, recipe.slug
            assert HONEY not in {line.food.source_id for line in recipe.ingredients.all()}, recipe.slug
            assert not allergens & {"milk", "eggs"}, recipe.slug
        if "gluten-free" in diets:
            assert "gluten" not in allergens, recipe.slug
        if "keto" in diets:
            assert recipe.carbohydrate_g - recipe.fiber_g <= 15, recipe.slug
        if groups & {"Finfish and Shellfish Products"}:
            assert allergens & {"fish", "crustaceans"}, recipe.slug
        if "Dairy and Egg Products" in groups:
            assert allergens & {"milk", "eggs"}, recipe.slug


def test_demo_recipes_declare_the_allergens_of_their_ingredients(demo):
    for recipe in demo:
        declared = slugs(recipe.allergens)
        for line in recipe.ingredients.all():
            for allergen, prefixes in ALLERGEN_FOODS.items():
                if line.food.name.startswith(prefixes):
                    assert allergen in declared, f"{recipe.slug}: {line.food.name} needs {allergen}"


def snapshot() -> dict:
    """Every row and value load_demo writes, timestamps included."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Food, FoodPortion, Recipe, RecipeIngredient, Tag,
                      Recipe.tags.through, Recipe.diets.through, Recipe.allergens.through)
    }


def test_running_load_demo_twice_changes_nothing():
    load_demo()
    before = snapshot()
    output = load_demo()
    assert "foods 0 created, 0 updated" in output and "recipes 0 created, 0 updated, 64 unchanged" in output
    assert snapshot() == before


def test_load_demo_repairs_an_edited_demo_recipe():
    load_demo()
    omelette = Recipe.objects.get(slug="spinach-feta-omelette")
    Recipe.objects.filter(pk=omelette.pk).update(servings=3, energy_kcal=1)
    omelette.ingredients.filter(order=0).update(grams=1)
    output = load_demo()
    assert "recipes 0 created, 1 updated, 63 unchanged" in output
    omelette.refresh_from_db()
    assert omelette.servings == 1 and omelette.energy_kcal == pytest.approx(398.3, abs=0.1)
    assert omelette.ingredients.get(order=0).grams == 150


@pytest.mark.parametrize("content", [None, "[{", "{}", '[{"slug": "x"}]', json.dumps([{
    **dict.fromkeys(["slug", "title", "description", "meal_types", "diets", "allergens", "tags", "servings",
                     "prep_minutes", "cook_minutes", "cost_per_serving", "instructions"]),
    "ingredients": [{"text": "1 egg", "food": "01123"}]}])])
def test_unreadable_recipes_file_is_reported(tmp_path, content):
    path = tmp_path / "recipes.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(DemoDataError, match="recipes.json"):
        load_demo_catalog(recipes_file=path)


def test_load_demo_restores_food_values_and_the_nutrition_built_on_them():
    load_demo()
    Food.objects.filter(source_id="01123").update(energy_kcal=0)
    output = load_demo()
    assert "foods 0 created, 1 updated" in output
    assert Recipe.objects.get(slug="spinach-feta-omelette").energy_kcal == pytest.approx(398.3, abs=0.1)


@pytest.mark.parametrize("mistake, message", [
    ({"portion": 99}, "food 01123 has no portion 99"),
    ({"unit": "cup", "portion": None}, "needs a USDA portion or a quantity in grams"),
    ({"food": "99999"}, "demo USDA subset: foods.csv: no food with id 99999"),
])
def test_bad_demo_data_is_reported_and_nothing_is_written(tmp_path, mistake, message):
    recipes = read_recipes()
    line = recipes[-1]["ingredients"][0] = {"text": "1 large egg", "food": "01123", "quantity": 1, "unit": "large",
                                            "portion": 1}
    line.update(mistake)
    if line["portion"] is None:
        del line["portion"]
    broken = tmp_path / "recipes.json"
    broken.write_text(json.dumps(recipes))
    with pytest.raises(DemoDataError, match=message):
        load_demo_catalog(recipes_file=broken)
    assert not Recipe.objects.exists() and not Food.objects.exists()


def test_demo_recipes_only_use_foods_shipped_in_the_repository():
    with open(USDA_DIR / "foods.csv", newline="") as file:
        shipped = {row["ndb_no"] for row in csv.DictReader(file)}
    used = {line["food"] for recipe in read_recipes() for line in recipe["ingredients"]}
    assert used == shipped


@pytest.mark.skipif(not SHARED_USDA.is_dir(), reason=f"shared USDA data not found at {SHARED_USDA}")
@pytest.mark.parametrize("name", ["foods.csv", "food_nutrients.csv", "portions.csv", "nutrients.csv"])
def test_demo_usda_files_are_unchanged_rows_of_the_shared_sr28_extract(name):
    def rows(folder: Path) -> list[dict]:
        with open(folder / name, newline="", encoding="utf-8") as file:
            return list(csv.DictReader(file))

    shipped = rows(USDA_DIR)
    keys = {row.get("ndb_no") for row in shipped}
    assert shipped == [row for row in rows(SHARED_USDA) if name == "nutrients.csv" or row["ndb_no"] in keys]


def test_demo_recipes_have_tags_and_steps(demo):
    tagged = Recipe.objects.annotate(tag_count=Count("tags")).filter(tag_count=0)
    assert not tagged.exists()
    assert all(len(recipe.steps) >= 1 and recipe.description for recipe in demo)
