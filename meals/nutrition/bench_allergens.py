"""`bench_nutrition --allergens`: derived allergens and diets of the demo recipes beside the hand-set ones.

The demo recipes' allergens and diets in `meals/demo/recipes.json` were written by
hand before derivation existed, so they are an independent check of the rule table.
Reads only: the foods must be in the database (the bench imports SR Legacy first).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from meals.demo.loader import ingredient_line, read_recipes
from meals.models import Food, FoodSource
from meals.nutrition.allergens import ALLERGENS, food_tags_of, recipe_tags, split_tags
from meals.nutrition.arithmetic import IngredientAmount, recipe_nutrition
from meals.nutrition.nutrients import CORE_NUTRIENT_FIELDS


@dataclass(frozen=True)
class Comparison:
    slug: str
    derived_allergens: frozenset[str]
    hand_allergens: frozenset[str]
    derived_diets: frozenset[str]
    hand_diets: frozenset[str]


def demo_comparisons() -> list[Comparison]:
    specs = read_recipes()
    ids = {line["food"] for spec in specs for line in spec["ingredients"]}
    foods = {food.source_id: food for food in
             Food.objects.filter(source=FoodSource.SR28, source_id__in=ids).prefetch_related("portions")}
    comparisons = []
    for spec in specs:
        lines = [ingredient_line(spec["slug"], order, line, foods) for order, line in enumerate(spec["ingredients"])]
        amounts = [IngredientAmount(line.grams, {name: getattr(line.food, name) for name in CORE_NUTRIENT_FIELDS})
                   for line in lines]
        nutrition = recipe_nutrition(amounts, spec["servings"])
        tags = recipe_tags([food_tags_of(line.food) for line in lines], per_serving=nutrition.per_serving,
                           coverage=nutrition.coverage)
        comparisons.append(Comparison(spec["slug"], tags.allergens, frozenset(spec["allergens"]), tags.diets,
                                      frozenset(spec["diets"])))
    return comparisons


def foods_per_allergen() -> tuple[int, Counter]:
    counts, total = Counter(), 0
    for slugs in Food.objects.values_list("allergen_slugs", flat=True).iterator():
        total += 1
        counts.update(split_tags(slugs))
    return total, counts


def difference(derived: frozenset[str], hand: frozenset[str]) -> str:
    parts = [f"+{slug}" for slug in sorted(derived - hand)] + [f"-{slug}" for slug in sorted(hand - derived)]
    return " ".join(parts) or "same"


def report(write: Callable[[str], None]) -> None:
    comparisons = demo_comparisons()
    write("Demo recipes: derived allergens | hand-set; derived diets | hand-set; "
          "difference (+ only derived, - only hand-set)")
    for row in comparisons:
        write(f"  {row.slug}: allergens {' '.join(sorted(row.derived_allergens)) or '-'} | "
              f"{' '.join(sorted(row.hand_allergens)) or '-'} ({difference(row.derived_allergens, row.hand_allergens)}); "
              f"diets {' '.join(sorted(row.derived_diets)) or '-'} | {' '.join(sorted(row.hand_diets)) or '-'} "
              f"({difference(row.derived_diets, row.hand_diets)})")
    same_allergens = sum(row.derived_allergens == row.hand_allergens for row in comparisons)
    # dairy-free did not exist when the demo diets were written, so it is left out of the diet agreement
    same_diets = sum(row.derived_diets - {"dairy-free"} == row.hand_diets for row in comparisons)
    write(f"  allergens agree on {same_allergens}/{len(comparisons)} recipes, "
          f"diets (dairy-free aside) on {same_diets}/{len(comparisons)}")
    total, counts = foods_per_allergen()
    write(f"Foods per allergen ({total} foods in the database):")
    write("  " + ", ".join(f"{slug} {counts[slug]}" for slug in ALLERGENS))
