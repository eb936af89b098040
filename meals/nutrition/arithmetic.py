"""Pure nutrition arithmetic: grams of foods in, per-serving nutrients out.

No ORM here, so the same code serves the admin, imports, the planner's
benchmark catalog and tests.
"""

from dataclasses import dataclass, field

from meals.nutrition.nutrients import CORE_NUTRIENT_FIELDS


@dataclass(frozen=True)
class IngredientAmount:
    """One ingredient line resolved as far as it could be.

    `grams` is None when the line could not be converted; `per_100g` maps a
    nutrient field name to its amount per 100 g (missing = no data).
    """

    grams: float | None
    per_100g: dict[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class RecipeNutrition:
    per_serving: dict[str, float]
    coverage: float  # share of lines resolved to grams, 0..1
    grams_per_serving: float = 0.0  # mass of one serving, from the resolved lines


def recipe_nutrition(lines: list[IngredientAmount], servings: int) -> RecipeNutrition:
    """Sum nutrients of the resolved lines and divide by `servings`.

    A nutrient a food has no data for adds nothing (USDA's "no data" is not
    zero, but there is nothing better to add); unresolved lines lower the
    coverage figure instead of silently counting as zero.
    """
    if servings <= 0:
        raise ValueError("servings must be positive")
    totals = dict.fromkeys(CORE_NUTRIENT_FIELDS, 0.0)
    resolved, grams = 0, 0.0
    for line in lines:
        if line.grams is None:
            continue
        resolved += 1
        grams += line.grams
        factor = line.grams / 100.0
        for name in CORE_NUTRIENT_FIELDS:
            amount = line.per_100g.get(name)
            if amount is not None:
                totals[name] += amount * factor
    coverage = resolved / len(lines) if lines else 0.0
    return RecipeNutrition(
        per_serving={name: round(total / servings, 2) for name, total in totals.items()},
        coverage=round(coverage, 3),
        grams_per_serving=round(grams / servings, 1),
    )
