"""Load the demo catalog shipped in the repository: a USDA SR28 subset and starter recipes.

Everything is written in one transaction and only what differs from the
database is written, so a second run changes no row and no value (not even
timestamps). Recipes are matched by slug; loading overwrites staff edits to
those demo recipes, which is the point of a reset-to-demo command.
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from meals.importers.usda import ImportStats, UsdaImportError, import_usda
from meals.models import Allergen, Diet, Food, FoodSource, MealType, Recipe, RecipeIngredient, Tag
from meals.nutrition.allergens import food_tags_of, recipe_tags
from meals.services import recompute_recipe_nutrition

DEMO_DIR = Path(__file__).resolve().parent
RECIPES_FILE = DEMO_DIR / "recipes.json"
USDA_DIR = DEMO_DIR / "usda"
QUANTITY_STEP = Decimal("0.001")


class DemoDataError(Exception):
    """The demo data names something that does not exist (a food, portion, diet …)."""


@dataclass
class DemoStats:
    foods: ImportStats
    recipes: Counter = field(default_factory=Counter)  # "created" / "updated" / "unchanged" → count

    def __str__(self) -> str:
        return (
            f"Demo catalog: {self.foods}; recipes {self.recipes['created']} created, "
            f"{self.recipes['updated']} updated, {self.recipes['unchanged']} unchanged."
        )


@dataclass(frozen=True)
class Lookups:
    """Rows recipes refer to, fetched once by natural key."""

    foods: dict[str, Food]
    diets: dict[str, Diet]
    allergens: dict[str, Allergen]
    tags: dict[str, Tag]


RECIPE_KEYS = {"slug", "title", "description", "meal_types", "diets", "allergens", "tags", "servings",
               "prep_minutes", "cook_minutes", "cost_per_serving", "instructions", "ingredients"}
LINE_KEYS = {"text", "food", "quantity", "unit"}


def read_recipes(path: Path = RECIPES_FILE) -> list[dict]:
    """The recipe specs, checked for the keys the loader reads."""
    try:
        with open(path, encoding="utf-8") as file:
            specs = json.load(file)
    except (OSError, ValueError) as error:
        raise DemoDataError(f"cannot read demo recipes {path}: {error}") from error
    if not isinstance(specs, list) or not all(isinstance(spec, dict) for spec in specs):
        raise DemoDataError(f"{path}: expected a JSON list of recipe objects")
    for number, spec in enumerate(specs, start=1):
        missing = RECIPE_KEYS - spec.keys()
        if not missing:
            missing = set().union(*(LINE_KEYS - line.keys() for line in spec["ingredients"]))
        if missing:
            raise DemoDataError(f"{path}: recipe {number} ({spec.get('slug', '?')}) lacks {', '.join(sorted(missing))}")
    return specs


def load_demo_catalog(recipes_file: Path = RECIPES_FILE, usda_dir: Path = USDA_DIR) -> DemoStats:
    specs = read_recipes(recipes_file)
    food_ids = {line["food"] for spec in specs for line in spec["ingredients"]}
    with transaction.atomic():
        stats = DemoStats(foods=import_demo_foods(usda_dir, food_ids))
        lookups = Lookups(
            foods={food.source_id: food for food in
                   Food.objects.filter(source=FoodSource.SR28, source_id__in=food_ids).prefetch_related("portions")},
            diets=by_slug(Diet.objects.all()),
            allergens=by_slug(Allergen.objects.all()),
            tags=ensure_tags({slug for spec in specs for slug in spec["tags"]}),
        )
        stats.recipes.update(upsert_recipe(spec, lookups, foods_changed=stats.foods.changed) for spec in specs)
    return stats


def import_demo_foods(usda_dir: Path, food_ids: set[str]) -> ImportStats:
    try:
        return import_usda(usda_dir, only_ids=food_ids)
    except UsdaImportError as error:
        raise DemoDataError(f"demo USDA subset: {error}") from error


def by_slug(queryset) -> dict:
    return {row.slug: row for row in queryset}


def ensure_tags(slugs: set[str]) -> dict[str, Tag]:
    existing = by_slug(Tag.objects.filter(slug__in=slugs))
    for slug in sorted(slugs - existing.keys()):
        existing[slug] = Tag.objects.create(slug=slug, name=slug.replace("-", " ").capitalize())
    return existing


def pick(table: dict, slugs: list[str], kind: str, recipe: str) -> list:
    unknown = [slug for slug in slugs if slug not in table]
    if unknown:
        raise DemoDataError(f"{recipe}: unknown {kind} {', '.join(unknown)}")
    return [table[slug] for slug in slugs]


def recipe_fields(spec: dict) -> dict:
    unknown = set(spec["meal_types"]) - set(MealType.values)
    if unknown:
        raise DemoDataError(f"{spec['slug']}: unknown meal type {', '.join(sorted(unknown))}")
    return {
        "title": spec["title"],
        "description": spec["description"],
        "instructions": "\n".join(spec["instructions"]),
        "servings": spec["servings"],
        "prep_minutes": spec["prep_minutes"],
        "cook_minutes": spec["cook_minutes"],
        "cost_per_serving": Decimal(spec["cost_per_serving"]),
        "is_published": True,
        **{f"is_{meal_type}": meal_type in spec["meal_types"] for meal_type in MealType.values},
    }


def ingredient_line(recipe_slug: str, order: int, line: dict, foods: dict[str, Food]) -> RecipeIngredient:
    """One line with its grams: from the named USDA portion, or given directly in grams."""
    food = foods[line["food"]]  # present: the import above refuses unknown ids
    quantity = Decimal(str(line["quantity"])).quantize(QUANTITY_STEP)
    portion = None
    if "portion" in line:
        portion = next((p for p in food.portions.all() if p.seq == line["portion"]), None)
        if portion is None:
            raise DemoDataError(f"{recipe_slug}: food {food.source_id} has no portion {line['portion']}")
        grams = float(quantity) * portion.grams_per_unit
    elif line["unit"] == "g":
        grams = float(quantity)
    else:
        raise DemoDataError(f"{recipe_slug}: {line['text']!r} needs a USDA portion or a quantity in grams")
    return RecipeIngredient(
        food=food, portion=portion, quantity=quantity, unit=line["unit"], grams=round(grams, 2),
        original_text=line["text"], note=line.get("note", ""), order=order,
    )


LINE_FIELDS = ("order", "food_id", "portion_id", "quantity", "unit", "grams", "original_text", "note")


def line_values(lines) -> list[tuple]:
    return [tuple(getattr(line, name) for name in LINE_FIELDS) for line in lines]


def upsert_recipe(spec: dict, lookups: Lookups, foods_changed: bool) -> str:
    """Create or update one recipe; returns "created", "updated" or "unchanged"."""
    slug = spec["slug"]
    fields = recipe_fields(spec)
    lines = [ingredient_line(slug, order, line, lookups.foods) for order, line in enumerate(spec["ingredients"])]
    recipe = Recipe.objects.filter(slug=slug).first()
    created = recipe is None
    if created:
        recipe = Recipe.objects.create(slug=slug, **fields)
        changed_fields = list(fields)
    else:
        changed_fields = [name for name, value in fields.items() if getattr(recipe, name) != value]
        for name in changed_fields:
            setattr(recipe, name, fields[name])
        if changed_fields:
            recipe.save(update_fields=[*changed_fields, "updated_at"])

    relations_changed = set_relations(recipe, spec, lookups, lines)
    lines_changed = line_values(recipe.ingredients.all()) != line_values(lines)
    if lines_changed:
        recipe.ingredients.all().delete()
        for line in lines:
            line.recipe = recipe
        RecipeIngredient.objects.bulk_create(lines)
    if created or lines_changed or foods_changed or relations_changed or "servings" in changed_fields:
        recompute_recipe_nutrition(Recipe.objects.prefetch_related("ingredients__food").get(pk=recipe.pk))
    if created:
        return "created"
    return "updated" if changed_fields or relations_changed or lines_changed or foods_changed else "unchanged"


def set_relations(recipe: Recipe, spec: dict, lookups: Lookups, lines: list[RecipeIngredient]) -> bool:
    """Set tags and the allergens added by hand; True when any of them changed.

    The spec's allergens and diets were written by hand: its allergens the foods do
    not show are kept as added by hand, its diets are only checked (`bench_nutrition
    --allergens`), since a recipe's diets are derived from its foods.
    """
    pick(lookups.diets, spec["diets"], "diet", recipe.slug)
    derived = recipe_tags([food_tags_of(line.food) for line in lines]).allergens
    added = [allergen for allergen in pick(lookups.allergens, spec["allergens"], "allergen", recipe.slug)
             if allergen.slug not in derived]
    changed = False
    for manager, wanted in ((recipe.added_allergens, added),
                            (recipe.tags, pick(lookups.tags, spec["tags"], "tag", recipe.slug))):
        if {row.pk for row in manager.all()} != {row.pk for row in wanted}:
            manager.set(wanted)
            changed = True
    return changed
