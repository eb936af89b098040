"""Writes to the catalog: ingredient lines resolved to grams, recomputing denormalised nutrition and allergens."""

import gc
import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from multiprocessing.util import Finalize

from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from meals.families import main_protein_of_lines
from meals.groceries.costs import food_groups, recipe_cost_per_serving
from meals.importers.catalog import (CatalogRecord, Decisions, decide, meal_types_for, names_item, read_as,
                                     servings_with_assumed, stated_servings, unwritten_grams)
from meals.importers.recipe_page import RecipeDraft, RecipeImportError
from meals.models import Allergen, Diet, Food, FoodSource, MealType, Recipe, RecipeIngredient
from meals.nutrition.allergens import RecipeTags, food_tags_of, join_tags, recipe_tags
from meals.nutrition.arithmetic import IngredientAmount, recipe_nutrition
from meals.nutrition.cooking import NOTE as RENDERED_FAT_NOTE
from meals.nutrition.cooking import cooked_per_100g, renders_fat
from meals.nutrition.matching import FoodChoice, choose_alternatives, food_index, load_foods, refuse_of, state_hints
from meals.nutrition.nutrients import CORE_NUTRIENT_FIELDS
from meals.parsing.amountless import (LEAVES_NOTE, MIN_ESTIMATE_CONFIDENCE, SPOONFUL_NOTE, Assumption, assumed_amount,
                                      is_leaves, is_seasoning, is_spoonful, names_seasoning, not_food, served_amount,
                                      sure_enough, typical_serving)
from meals.parsing.ingredients import (VOLUME_UNITS, IngredientLineError, ParsedLine, is_deep_frying,
                                       not_counted_reason, parse_line, warm_up)
from meals.parsing.units import Conversion, Portion, count_portion, to_grams

MAX_LINE_GRAMS = 20_000
# Oil a deep-fried food takes up, as a share of the frying oil the recipe lists. No food-composition table gives it
# per litre of oil (USDA's Table of Nutrient Retention Factors, Release 6, 2007, has no fat uptake; the published
# uptakes are per fried food: USDA Agriculture Handbook 102, Food Yields, 1975, Table 1; USDA Table of Cooking Yields
# for Meat and Poultry, 2012, "fat change"). The share is the one Allrecipes' published analyses of the same lines
# imply: solving each development-set recipe with a measured frying line for the share of that oil its published kcal
# leaves room for gives a median of 0.10 on the tuning half (24 recipes, quartiles 0.08-0.15) and 0.12 on the held-out
# half (23, quartiles 0.09-0.22); a few count the whole pot (Crispy Shrimp Tempura 1.0). See
# bench/results/bench_nutrition_dev_2026-11-28-namount2.txt.
ABSORBED_OIL_SHARE = 0.1
FRYING_FAT_GROUP = "Fats and Oils"  # only the fat of a frying line is reduced, not "fryer chicken" or fried food
# Frying oil without an amount ("vegetable oil for frying"): what the fried food takes up, as a share of the weight
# of the recipe's other ingredients. Fried foods hold about 8-15 % of their weight in fat; the low end, because not
# everything a recipe lists is fried (sauces, fillings, toppings). The published analyses of the development set
# agree: the oil their kcal leaves room for is a median 0.09 of the other foods' weight (9 of 15 such recipes between
# 0.03 and 0.16; tuning half 0.09, held-out 0.11; two count a whole pot, Rosettes and Arepas de Huevos).
ABSORBED_SHARE_OF_FOOD = 0.08
FRYING_WITHOUT_AMOUNT = (f"frying oil without an amount: {ABSORBED_SHARE_OF_FOOD:.0%} of the other ingredients' "
                         "weight counted")
# A line of this much oil, measured by volume, is a frying medium whether or not it says so ("1 quart cooking oil"
# for buchi): no dish is served with most of a quart (870 g) of oil in it, so only the absorbed share counts, as for
# frying lines. A fat weighed ("2 pounds lard" for a batch of tamale dough) is an ingredient.
FRYING_MEDIUM_GRAMS = 800
FRYING_MEDIUM_NOTE = "a quart or more of oil: only the absorbed share counted"
MAX_MINUTES = 32_767  # PositiveSmallIntegerField


def line_amount(line: RecipeIngredient) -> IngredientAmount:
    """One line as plain data for the nutrition arithmetic; a line counted as nothing ("1 tbsp Maggi
    seasoning (optional)", "unicorn dust to taste") weighs 0 g even without a food. Raw ground meat counts
    without the fat cooking renders from it (meals.nutrition.cooking)."""
    return IngredientAmount(
        grams=line.grams if line.food_id is not None or line.grams == 0 else None,
        per_100g=cooked_per_100g(sr28_id(line.food), {name: getattr(line.food, name) for name in CORE_NUTRIENT_FIELDS})
        if line.food_id else {},
    )


def sr28_id(food: Food) -> str:
    """The food's SR28 NDB number, "" for a food of another source (whose ids may look the same)."""
    return food.source_id if food.source == FoodSource.SR28 else ""


NUTRITION_FIELDS = (*CORE_NUTRIENT_FIELDS, "nutrition_coverage", "grams_per_serving", "nutrition_updated_at",
                    "cost_per_serving")
TAG_FIELDS = ("allergens_unknown", "diet_facts", "main_protein")


def set_recipe_nutrition(recipe: Recipe, lines) -> None:
    """Set (not save) per-serving nutrition, coverage and cost computed from `lines`, the recipe's ingredient
    lines with their foods."""
    result = recipe_nutrition([line_amount(line) for line in lines], recipe.servings)
    for name, value in result.per_serving.items():
        setattr(recipe, name, value)
    recipe.nutrition_coverage = result.coverage
    recipe.grams_per_serving = result.grams_per_serving
    recipe.nutrition_updated_at = timezone.now()
    cost = recipe_cost_per_serving(
        [(line.grams, line.food.price_per_kg if line.food_id else None) for line in lines], recipe.servings)
    if cost is not None:  # else the cost staff entered stays
        recipe.cost_per_serving = cost


@transaction.atomic
def recompute_recipe_nutrition(recipe: Recipe) -> Recipe:
    """Store per-serving nutrition and coverage computed from the ingredient lines, then allergens and diets."""
    set_recipe_nutrition(recipe, recipe.ingredients.all())
    recipe.save(update_fields=[*NUTRITION_FIELDS, "updated_at"])
    recompute_recipe_allergens(recipe)
    return recipe


def fit(model, field: str, text: str) -> str:
    """`text` cut to the column's length (with an ellipsis), so a long message never fails the write."""
    limit = model._meta.get_field(field).max_length
    return text if len(text) <= limit else text[: limit - 1] + "…"


def set_recipe_tags(recipe: Recipe, lines, added_allergens: set[str]) -> RecipeTags:
    """Set (not save) the diet facts and main protein `lines` imply; the allergens and diets to link come back.

    Call after the nutrition is set, since keto is read from it."""
    tags = recipe_tags(
        [food_tags_of(line.food) for line in lines],
        added_allergens=added_allergens,
        per_serving={name: getattr(recipe, name) for name in CORE_NUTRIENT_FIELDS},
        coverage=recipe.nutrition_coverage,
    )
    recipe.allergens_unknown, recipe.diet_facts = tags.allergens_unknown, join_tags(tags.facts)
    recipe.main_protein = main_protein_of_lines(lines)
    return tags


@transaction.atomic
def recompute_recipe_allergens(recipe: Recipe) -> RecipeTags:
    """Store the allergens, diet facts and diets the lines imply, plus the allergens staff added.

    The main protein (and so the dish family) comes from the same lines.
    Derived allergens cannot be removed by hand: they come back on every recompute.
    Call after the nutrition is current, since keto is read from it.
    """
    tags = set_recipe_tags(recipe, recipe.ingredients.all(),
                           {allergen.slug for allergen in recipe.added_allergens.all()})
    recipe.save(update_fields=[*TAG_FIELDS, "updated_at"])
    recipe.allergens.set(Allergen.objects.filter(slug__in=tags.allergens))
    recipe.diets.set(Diet.objects.filter(slug__in=tags.diets))
    return tags


@transaction.atomic
def recompute_recipes_using(*, food: Food) -> int:
    """After staff changed a food's allergens or diet facts: the recipes using it follow."""
    recipes = list(Recipe.objects.filter(ingredients__food=food).distinct()
                   .prefetch_related("ingredients__food", "added_allergens"))
    for recipe in recipes:
        recompute_recipe_allergens(recipe)
    return len(recipes)


def food_portions(food: Food) -> list[Portion]:
    return [Portion(p.id, p.amount, p.measure, p.gram_weight) for p in food.portions.all()]


def counted_quantity(line: RecipeIngredient) -> float | None:
    """The quantity counted: the midpoint of a range."""
    if line.quantity is None:
        return None
    return float(line.quantity + (line.quantity_max or line.quantity)) / 2


def convert_line(line: RecipeIngredient) -> None:
    """Set grams, portion and problem of a line from its food, quantity and unit.

    Optional and garnish lines, and "to taste" ones or seasonings without an amount, weigh 0 g
    (counted, so they do not lower coverage); frying oil counts only the share a fried food absorbs.
    """
    if line.food is None:
        line.grams, line.portion = None, None
        line.problem = line.problem or "no food chosen"
        return
    quantity = counted_quantity(line)
    text = f"{line.original_text} {line.note}"
    if not_counted_reason(text, quantity is not None) or quantity is None and (
            is_seasoning(line.food.name, line.food.category, line.food.energy_kcal) or names_seasoning(text)):
        conversion = Conversion(0.0)
    else:
        index = food_index()
        conversion = to_grams(quantity, line.unit, food_portions(line.food), density_g_per_ml=line.food.density_g_per_ml,
                              line_text=text, food_name=line.food.name,
                              family_portions=index.related_volume_portions(line.food.name),
                              related_items=index.related_item_portions(line.food.name), refuse=refuse_of(line.food))
    medium = is_frying_medium(conversion.grams, line.food, line.unit) and not is_frying_fat(text, line.food)
    if conversion.grams and (is_frying_fat(text, line.food) or medium):
        conversion = Conversion(conversion.grams * ABSORBED_OIL_SHARE, conversion.portion)
    if medium and FRYING_MEDIUM_NOTE not in line.note:
        line.note = fit(RecipeIngredient, "note", ", ".join(part for part in (line.note, FRYING_MEDIUM_NOTE) if part))
    if conversion.grams is not None and conversion.grams > MAX_LINE_GRAMS:
        conversion = Conversion(None, problem=f"{conversion.grams / 1000:.0f} kg is not a plausible amount")
    line.grams = round(conversion.grams, 2) if conversion.grams is not None else None
    line.portion_id = conversion.portion.id if conversion.portion else None
    line.problem = fit(RecipeIngredient, "problem", conversion.problem)


def resolve_ingredient_line(text: str, *, order: int = 0) -> RecipeIngredient:
    """Parse, match and convert one line into an unsaved RecipeIngredient.

    Raises IngredientLineError for a line that cannot be an amount of food;
    an unmatched food or unconvertible unit is kept with `problem` set.
    """
    parsed, choice = read_line(text)
    return build_line(parsed, choice, load_foods([choice.food_id] if choice.food_id is not None else []), order=order)


def read_line(text: str) -> tuple[ParsedLine, FoodChoice]:
    """Parse a line and choose its food, by id: no food row is read (IngredientLineError as parse_line)."""
    parsed = parse_line(text)
    hints = state_hints(f"{parsed.preparation} {parsed.comment}", parsed.container, parsed.unit)
    return parsed, (choose_alternatives(parsed.name, hints=hints) if parsed.name
                    else FoodChoice(None, 0.0, "no food name found"))


def build_line(parsed: ParsedLine, choice: FoodChoice, foods: dict[int, Food], *, order: int) -> RecipeIngredient:
    """The unsaved RecipeIngredient of a read line, its food taken from `foods` (see load_foods)."""
    food = foods[choice.food_id] if choice.food_id is not None else None
    confidence = min(choice.confidence, parsed.confidence) if food else 0.0
    assumption = (amountless_assumption(parsed, food)
                  if food is not None and sure_enough(parsed.name, food.energy_kcal, confidence) else None)
    notes = [parsed.preparation, parsed.comment, parsed.purpose,
             "" if is_frying_fat(parsed.text, food) else not_counted_reason(parsed.text, parsed.quantity is not None),
             assumption.note if assumption else "",
             ("frying oil: only the absorbed share counted" if parsed.quantity is not None else FRYING_WITHOUT_AMOUNT)
             if is_frying_fat(parsed.text, food) else "",
             "a range: its midpoint counted" if parsed.quantity_max is not None else "",
             RENDERED_FAT_NOTE if food is not None and renders_fat(sr28_id(food)) else ""]
    line = RecipeIngredient(
        food=food,
        quantity=decimal_or_none(assumption.quantity if assumption else parsed.quantity),
        quantity_max=decimal_or_none(parsed.quantity_max),
        unit=assumption.unit if assumption and assumption.quantity is not None else parsed.unit,
        original_text=fit(RecipeIngredient, "original_text", parsed.text),
        note=fit(RecipeIngredient, "note", ", ".join(part for part in notes if part)),
        order=order,
        match_confidence=confidence,
        shop_as=choice.shop_as,
    )
    if food is None:
        if not_counted_reason(parsed.text, parsed.quantity is not None):
            line.grams = 0.0  # an optional or to-taste line: nothing to count, so coverage is not lowered
        elif is_leaves(parsed.name, parsed.unit or parsed.unknown_unit):
            line.grams = 0.0
            line.note = fit(RecipeIngredient, "note", ", ".join(part for part in (line.note, LEAVES_NOTE) if part))
        elif is_spoonful(parsed.quantity_max or parsed.quantity, parsed.unit) or (
                parsed.quantity is None and names_seasoning(parsed.name)):
            line.grams = 0.0
            note = SPOONFUL_NOTE if parsed.quantity is not None else "seasoning without an amount: counted as 0 g"
            line.note = fit(RecipeIngredient, "note", ", ".join(part for part in (line.note, note) if part))
        else:
            line.problem = fit(RecipeIngredient, "problem", choice.problem)
        return line
    if parsed.quantity is None and is_frying_fat(parsed.text, food):
        line.grams = 0.0  # until the recipe's other lines are known (count_absorbed_oil)
        return line
    if parsed.unknown_unit:
        line.unit = parsed.unknown_unit[:40]  # "2 stalks celery": USDA may have a "stalk" portion
    convert_line(line)
    if parsed.unknown_unit and line.grams is None:
        line.problem = fit(RecipeIngredient, "problem", f"unknown unit {parsed.unknown_unit!r}")
    return line


def is_frying_fat(text: str, food: Food | None) -> bool:
    """A line of oil or fat to deep-fry in (not the fried food, not a "broiler-fryer chicken")."""
    return food is not None and food.category == FRYING_FAT_GROUP and is_deep_frying(text)


def is_frying_medium(grams: float | None, food: Food, unit: str) -> bool:
    """A volume of oil or fat too large to be eaten (FRYING_MEDIUM_GRAMS)."""
    return food.category == FRYING_FAT_GROUP and unit in VOLUME_UNITS and (grams or 0) >= FRYING_MEDIUM_GRAMS


def count_absorbed_oil(lines: list[RecipeIngredient]) -> None:
    """Frying oil without an amount counts ABSORBED_SHARE_OF_FOOD of the weight of the recipe's other foods
    with energy (water is not fried), shared among such lines."""
    frying = [line for line in lines if line.food_id is not None and line.quantity is None
              and line.grams == 0 and FRYING_WITHOUT_AMOUNT in line.note]
    if not frying:
        return
    fried = sum(line.grams for line in lines if line.grams and line.food_id is not None
                and line.food.category != FRYING_FAT_GROUP and line.food.energy_kcal)
    for line in frying:
        line.grams = round(ABSORBED_SHARE_OF_FOOD * fried / len(frying), 2)


def amountless_assumption(parsed: ParsedLine, food: Food | None) -> Assumption | None:
    """The amount meals.parsing.amountless assumes for a matched line without one (not for "to taste" lines, nor for
    frying oil: see count_absorbed_oil). build_line asks only for a match sure enough (amountless.sure_enough), as
    the catalog import's typical servings do: a guessed food ("white parts only, chopped" as a turkey wing) is left
    unresolved, not counted as one of it."""
    if (food is None or parsed.quantity is not None or not_counted_reason(parsed.text, False)
            or is_frying_fat(parsed.text, food)):
        return None
    weighed_by_item = count_portion(food_portions(food), "", food.name, parsed.text) is not None
    return assumed_amount(parsed.name, food.name, food.category, energy_kcal=food.energy_kcal,
                          weighed_by_item=weighed_by_item)


def decimal_or_none(value: float | None) -> Decimal | None:
    return Decimal(str(round(value, 3))) if value is not None else None


LineRead = tuple[ParsedLine, FoodChoice] | IngredientLineError
# Fewer distinct lines than this are read in this process: starting the workers would cost more than it saves.
PARALLEL_MIN_LINES = 200
READ_CHUNK = 16  # lines a worker reads per task: few enough to keep the workers and the progress bar even


def readable_lines(lines) -> list[str]:
    """The lines that name food: blank lines, section headings, kitchen equipment and notes left out
    (meals.parsing.amountless.not_food)."""
    return [text for text in lines if text.strip() and not not_food(text)]


def read_entry(text: str) -> LineRead:
    """read_line, with a line that cannot be read given as its IngredientLineError."""
    try:
        return read_line(text)
    except IngredientLineError as error:
        return error


def distinct_readable_lines(lines) -> list[str]:
    return list(dict.fromkeys(readable_lines(lines)))


def read_lines(lines, *, workers: int = 1, progress: Callable[[int], object] | None = None) -> dict[str, LineRead]:
    """Each distinct readable line read once (parse and food choice, no food row read), for resolve_lines;
    `progress` is called with 1 as each line is read.

    With `workers` > 1 and enough lines the reading (the parser's CRF and the matcher: pure computation, most
    of a catalog import's CPU) is shared by that many forked processes. They are forked after the parser model
    and the food index are loaded, so they inherit both instead of loading them again, and after the database
    connections are closed, so none shares the parent's socket (a worker that queries, for a misspelt name,
    opens its own and closes it on exit). Inside a transaction (bench_planner imports in one it rolls back) they
    are read here: closing its connection would end it."""
    texts = distinct_readable_lines(lines)
    if workers <= 1 or len(texts) < PARALLEL_MIN_LINES or any(
            connection.in_atomic_block for connection in connections.all(initialized_only=True)):
        return collect_reads(texts, map(read_entry, texts), progress)
    warm_up()
    food_index()
    connections.close_all()
    gc.freeze()  # the workers' collector leaves the inherited objects alone: no scan, no copied pages
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=close_connections_on_exit) as pool:
            read = collect_reads(texts, pool.imap(read_entry, texts, chunksize=READ_CHUNK), progress)
            pool.close()
            pool.join()
    finally:
        gc.unfreeze()
    return read


def collect_reads(texts: list[str], entries, progress) -> dict[str, LineRead]:
    read = {}
    for text, entry in zip(texts, entries):
        read[text] = entry
        if progress:
            progress(1)
    return read


def chosen_food_ids(entries) -> set[int]:
    """The foods chosen for these read lines (read_entry), to read together (load_foods)."""
    return {entry[1].food_id for entry in entries
            if not isinstance(entry, IngredientLineError) and entry[1].food_id is not None}


def close_connections_on_exit() -> None:
    """In a pool worker: close its database connections when it exits (workers skip atexit)."""
    Finalize(None, connections.close_all, exitpriority=1)


def resolve_lines(lines: list[str], first_order: int = 0, *,
                  already_read: dict[str, LineRead] | None = None) -> list[RecipeIngredient]:
    """Resolve every line of food; one that cannot be read is kept, unresolved, with the reason.

    The lines' foods and portions are read together, in two queries. Blank lines, section headings and
    kitchen equipment and notes are left out (readable_lines). `already_read` holds lines read before (read_lines)."""
    texts = readable_lines(lines)
    known = already_read or {}
    read = [known[text] if text in known else read_entry(text) for text in texts]
    foods = load_foods(chosen_food_ids(read))
    resolved = []
    for order, (text, entry) in enumerate(zip(texts, read), start=first_order):
        if isinstance(entry, IngredientLineError):
            resolved.append(RecipeIngredient(original_text=fit(RecipeIngredient, "original_text", " ".join(text.split())),
                                             order=order, problem=fit(RecipeIngredient, "problem", str(entry))))
        else:
            resolved.append(build_line(*entry, foods, order=order))
    count_absorbed_oil(resolved)
    return resolved


def line_kcal(line: RecipeIngredient) -> float:
    return line.grams * line.food.energy_kcal / 100 if line.food is not None and line.grams else 0.0


def scale_line(line: RecipeIngredient, factor: float, note: str) -> None:
    """Multiply a line's amount by `factor` (an amount given per person or per item), saying so in its note."""
    factor = Decimal(str(round(factor, 3)))
    line.quantity *= factor
    line.quantity_max = line.quantity_max * factor if line.quantity_max is not None else None
    line.note = fit(RecipeIngredient, "note", ", ".join(part for part in (line.note, note) if part))
    if line.food is not None:
        convert_line(line)


def multiply_per_diner_lines(lines: list[RecipeIngredient], per_diner_texts: set[str], servings: int | None) -> None:
    """Lines whose text gave the amount per person (meals.importers.catalog.per_diner) count it `servings` times."""
    if not servings or servings == 1:
        return
    for line in lines:
        if line.original_text in per_diner_texts and line.quantity is not None:
            scale_line(line, servings, f"per person: × {servings} servings")


def add_unwritten_grams(lines: list[RecipeIngredient]) -> None:
    """A bare count no portion weighs that is grams left unwritten (meals.importers.catalog.unwritten_grams)."""
    for line in lines:
        if line.food is not None and line.grams is None and unwritten_grams(
                counted_quantity(line), line.unit, [other.unit for other in lines if other is not line]):
            line.unit = "g"
            note = "no unit: grams, like the recipe's other lines"
            line.note = fit(RecipeIngredient, "note", ", ".join(part for part in (line.note, note) if part))
            convert_line(line)


def multiply_per_item_lines(lines: list[RecipeIngredient], items: dict[str, str]) -> None:
    """Lines whose text gave the amount per item of another line ("1/4 stick of butter per chicken breast":
    meals.importers.catalog.per_item) count it once for each item the first other line counting that item counts
    ("2 chicken breasts"); once when no line counts it."""
    for line in lines:
        item = items.get(line.original_text)
        if not item or line.quantity is None:
            continue
        counting = next((other for other in lines if other is not line and other.quantity is not None
                         and not other.unit and names_item(other.original_text, item)), None)
        if counting is not None and counted_quantity(counting) != 1:
            scale_line(line, counted_quantity(counting), f"per {item}: × {counted_quantity(counting):g}")


def serve_amountless_lines(lines: list[RecipeIngredient], servings: int | None,
                           meal_types: tuple[str, ...]) -> tuple[int | None, float]:
    """Count each confidently matched line still without an amount ("Spaghetti", "Ground beef") at a typical
    serving per diner (meals.parsing.amountless); without `servings`, for the servings its energy implies
    (meals.importers.catalog.servings_with_assumed). Returns (those solved servings or None, the served lines'
    energy)."""
    served = [(line, serving) for line in lines
              if line.food is not None and line.quantity is None and line.grams is None
              and (line.match_confidence or 0) >= MIN_ESTIMATE_CONFIDENCE
              and (serving := typical_serving(line.food.name, line.food.category)) is not None]
    if not served:
        return None, 0.0
    solved = None
    if servings is None:
        per_diner = sum(serving.grams * line.food.energy_kcal / 100 for line, serving in served)
        solved = servings = servings_with_assumed(sum(map(line_kcal, lines)), per_diner, meal_types)
        if servings is None:
            return None, 0.0
    for line, serving in served:
        assumption = served_amount(serving, servings)
        line.quantity, line.unit = decimal_or_none(assumption.quantity), assumption.unit
        line.note = fit(RecipeIngredient, "note", ", ".join(part for part in (line.note, assumption.note) if part))
        convert_line(line)
    return solved, sum(line_kcal(line) for line, _ in served)


@transaction.atomic
def add_ingredient_lines(recipe: Recipe, lines: list[str]) -> list[RecipeIngredient]:
    """Append ingredient lines to a recipe and recompute its nutrition; all lines or none."""
    last = recipe.ingredients.aggregate(last=Max("order"))["last"]
    resolved = resolve_lines(lines, first_order=0 if last is None else last + 1)
    for line in resolved:
        line.recipe = recipe
    RecipeIngredient.objects.bulk_create(resolved)
    recompute_recipe_nutrition(Recipe.objects.prefetch_related("ingredients__food").get(pk=recipe.pk))
    recipe.refresh_from_db()
    return resolved


def reconvert_ingredient(line: RecipeIngredient) -> None:
    """After staff changed a line's food, quantity or unit: recompute its grams (caller saves).

    A line with a weight but no quantity keeps the weight staff entered.
    """
    if line.food_id is not None and line.problem.startswith(("no food", "unknown unit")):
        line.problem = ""
    if line.quantity is None and line.grams is not None:
        return
    convert_line(line)


def unique_recipe_slug(title: str, taken=None) -> str:
    """A slug for the title no recipe has: the title's, else with -2, -3 …; `taken` (a set of slugs, see
    CatalogLookups) is asked instead of the database and gets the new slug."""
    base = slugify(title)[:190] or "recipe"
    slug, counter = base, 2
    while slug in taken if taken is not None else Recipe.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    if taken is not None:
        taken.add(slug)
    return slug


class AlreadyPublished(RecipeImportError):
    """The page was imported before and that recipe is published: staff edit it instead."""


@transaction.atomic
def create_recipe_from_draft(draft: RecipeDraft) -> Recipe:
    """Store an imported recipe as an unpublished draft with its lines resolved; all or nothing.

    Importing the same source address again updates that draft (its lines replaced)
    instead of making a copy; a published recipe is left alone.
    """
    fields = {
        "title": draft.title,
        "description": draft.description,
        "instructions": draft.instructions,
        "servings": draft.servings or Recipe._meta.get_field("servings").default,
        "servings_uncertain": draft.servings_uncertain or not draft.servings,
        "prep_minutes": min(draft.prep_minutes, MAX_MINUTES),
        "cook_minutes": min(draft.cook_minutes, MAX_MINUTES),
        "image_url": draft.image_url,
        "source_url": draft.source_url,
        "is_published": False,
    }
    recipe = (Recipe.objects.select_for_update().filter(source_url=draft.source_url).order_by("pk").first()
              if draft.source_url else None)
    if recipe is None:
        recipe = Recipe.objects.create(slug=unique_recipe_slug(draft.title), **fields)
    elif recipe.is_published:
        raise AlreadyPublished(f"“{recipe.title}” was imported from this address and is published; "
                               "edit it in the admin instead")
    else:
        Recipe.objects.filter(pk=recipe.pk).update(**fields, updated_at=timezone.now())
        recipe.ingredients.all().delete()
    add_ingredient_lines(recipe, draft.ingredient_lines)
    return recipe


@dataclass(frozen=True)
class CatalogOutcome:
    """What importing one catalog record did: "created", "updated" or "unchanged"."""

    status: str
    recipe: Recipe
    decisions: Decisions | None = None


def review_notes(decisions: Decisions) -> str:
    notes = [f"Not a meal: {decisions.not_a_meal}."] if decisions.not_a_meal else []
    notes += [f"Needs review: {reason}." for reason in decisions.review]
    notes += [f"Estimated: {note}." for note in decisions.estimated]
    return "\n".join(notes)


@dataclass
class CatalogLookups:
    """What importing many catalog records reads once instead of once a record: the records' recipes, every
    slug in use, the allergen and diet ids by slug, and the ingredient lines already read (read_lines)."""

    recipes: dict[tuple[str, str], Recipe]
    slugs: set[str]
    allergens: dict[str, int]
    diets: dict[str, int]
    lines: dict[str, LineRead] = field(default_factory=dict)

    def changed(self, records: list[CatalogRecord], *, force: bool = False) -> list[CatalogRecord]:
        """The records import_catalog_record would import, not skip as unchanged."""
        return [record for record in records if force or self.stored(record) is None
                or self.stored(record).source_digest != record.digest]

    def stored(self, record: CatalogRecord) -> Recipe | None:
        return self.recipes.get((record.source, record.source_id))

    @classmethod
    def read(cls, records: list[CatalogRecord]) -> "CatalogLookups":
        keys = {(record.source, record.source_id) for record in records}
        found = Recipe.objects.filter(source__in={source for source, _ in keys},
                                      source_id__in={source_id for _, source_id in keys})
        return cls(recipes={(r.source, r.source_id): r for r in found if (r.source, r.source_id) in keys},
                   slugs=set(Recipe.objects.values_list("slug", flat=True)),
                   allergens=dict(Allergen.objects.values_list("slug", "id")),
                   diets=dict(Diet.objects.values_list("slug", "id")))


def catalog_line_texts(record: CatalogRecord) -> list[str]:
    """The record's ingredient lines as they are read: without "per person" or "per chicken breast"
    (meals.importers.catalog.read_as)."""
    return [read_as(line)[0] for line in record.ingredients]


def link_tags(recipe: Recipe, tags: RecipeTags, lookups: CatalogLookups, *, created: bool) -> None:
    """Link the recipe's allergens and diets: a new recipe's in one insert each, an old one's through set()."""
    allergen_ids = [lookups.allergens[slug] for slug in tags.allergens if slug in lookups.allergens]
    diet_ids = [lookups.diets[slug] for slug in tags.diets if slug in lookups.diets]
    if not created:
        recipe.allergens.set(allergen_ids)
        recipe.diets.set(diet_ids)
        return
    for relation, ids, column in ((Recipe.allergens, allergen_ids, "allergen_id"), (Recipe.diets, diet_ids, "diet_id")):
        if ids:
            relation.through.objects.bulk_create(relation.through(recipe_id=recipe.pk, **{column: i}) for i in ids)


@transaction.atomic
def import_catalog_record(record: CatalogRecord, *, force: bool = False,
                          lookups: CatalogLookups | None = None) -> CatalogOutcome:
    """Create or update the recipe of one catalog record, found again by (source, source_id).

    An unchanged record (same digest) is skipped, so staff edits to it stay; a changed one (or
    `force`) is re-resolved and re-decided by meals.importers.catalog's rules. All or nothing per record.
    Nutrition, cost and tags are computed from the lines in memory, so a new recipe takes four
    writes (recipe, lines, allergens, diets) and, with `lookups` shared by a run, no read.
    """
    lookups = lookups or CatalogLookups.read([record])
    recipe = lookups.stored(record)
    if not lookups.changed([record], force=force):
        return CatalogOutcome("unchanged", recipe)
    texts, per_diner_lines, items = zip(*map(read_as, record.ingredients))
    lines = resolve_lines(list(texts), already_read=lookups.lines)
    multiply_per_diner_lines(lines, {text for text, each in zip(texts, per_diner_lines) if each},
                             stated_servings(record))
    multiply_per_item_lines(lines, {text: item for text, item in zip(texts, items) if item})
    add_unwritten_grams(lines)
    servings_assumed, assumed_kcal = serve_amountless_lines(lines, stated_servings(record), meal_types_for(record))
    status = "created" if recipe is None else "updated"
    added_allergens = set()
    if recipe is None:
        recipe = Recipe(slug=unique_recipe_slug(record.title, lookups.slugs), source=record.source,
                        source_id=record.source_id)
    else:
        recipe.ingredients.all().delete()
        added_allergens = {allergen.slug for allergen in recipe.added_allergens.all()}
    whole = recipe_nutrition([line_amount(line) for line in lines], servings=1)
    decisions = decide(record, total_kcal=whole.per_serving["energy_kcal"], coverage=whole.coverage,
                       unresolved=sum(not line.is_resolved for line in lines), protein_g=whole.per_serving["protein_g"],
                       assumed_kcal=assumed_kcal, servings_assumed=servings_assumed)
    recipe.title, recipe.description = record.title[:200], record.notes
    recipe.instructions = "\n".join(record.instructions)
    recipe.image_url, recipe.source_url = record.image_url[:500], record.source_url[:500]
    recipe.attribution, recipe.license = record.attribution[:300], record.license[:300]
    recipe.source_digest = record.digest
    recipe.servings = decisions.servings or Recipe._meta.get_field("servings").default
    recipe.servings_uncertain = decisions.servings_uncertain
    recipe.prep_minutes, recipe.cook_minutes = decisions.prep_minutes, decisions.cook_minutes
    for meal_type in MealType.values:
        setattr(recipe, f"is_{meal_type}", meal_type in decisions.meal_types)
    recipe.is_published = decisions.publish
    recipe.needs_review = bool(decisions.review) and not decisions.not_a_meal
    recipe.review_notes = review_notes(decisions)
    set_recipe_nutrition(recipe, lines)
    tags = set_recipe_tags(recipe, lines, added_allergens)
    recipe.full_clean(exclude=["slug", "tags", "diets", "allergens"], validate_constraints=False)  # the database
    recipe.save()
    for line in lines:
        line.recipe = recipe
    RecipeIngredient.objects.bulk_create(lines)
    link_tags(recipe, tags, lookups, created=status == "created")
    lookups.recipes[record.source, record.source_id] = recipe
    return CatalogOutcome(status, recipe, decisions)


@transaction.atomic
def set_published(*, recipes, published: bool) -> int:
    """Publish or unpublish; the caller has confirmed any publish_warnings. Publishing ends a needed review."""
    review = {"needs_review": False} if published else {}
    return Recipe.objects.filter(pk__in=[recipe.pk for recipe in recipes]).update(
        is_published=published, updated_at=timezone.now(), **review)


@transaction.atomic
def fill_default_food_prices() -> int:
    """Give every food without a price its food group's typical price; staff-set prices stay."""
    updated = 0
    for group, defaults in food_groups().items():
        updated += Food.objects.filter(category=group, price_per_kg__isnull=True).update(
            price_per_kg=defaults.price_per_kg)
    return updated


class RecipeInUse(Exception):
    """An own recipe that a plan still uses cannot be deleted (its meals would lose their recipe)."""


OWN_RECIPE_FIELDS = ("title", "servings", "prep_minutes", "cook_minutes", "is_breakfast", "is_lunch", "is_dinner",
                     "is_snack", "instructions")


@transaction.atomic
def save_own_recipe(*, owner, recipe: Recipe | None = None, fields: dict, lines: list[str],
                    picture: ContentFile | bool | None = None) -> Recipe:
    """Create or update `owner`'s own recipe (private, never published) and resolve its lines like a staff
    recipe's: parse, match, grams, nutrition, allergens and diets. All or nothing.

    `picture`: a new one (meals.pictures.stored_picture) replaces the old, False removes it, None keeps it;
    a replaced or removed file is deleted from storage once the change is committed."""
    if recipe is None:
        recipe = Recipe(owner=owner, slug=unique_recipe_slug(fields["title"]), is_published=False)
    elif recipe.owner_id != owner.pk:
        raise Recipe.DoesNotExist("not this person's recipe")
    for name in OWN_RECIPE_FIELDS:
        setattr(recipe, name, fields[name])
    old_picture = recipe.picture.name
    if picture:
        recipe.picture.save(picture.name, picture, save=False)
    elif picture is False:
        recipe.picture = ""
    recipe.save()
    if old_picture and old_picture != recipe.picture.name:
        delete_picture_file(old_picture)
    recipe.ingredients.all().delete()
    add_ingredient_lines(recipe, lines)
    return recipe


def delete_picture_file(name: str) -> None:
    """Delete a stored picture after the transaction commits (nothing is lost if it rolls back)."""
    storage = Recipe._meta.get_field("picture").storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def delete_own_recipe(*, owner, recipe: Recipe) -> None:
    """Delete `owner`'s own recipe, and its picture; RecipeInUse while a plan has it in a meal."""
    if recipe.owner_id != owner.pk:
        raise Recipe.DoesNotExist("not this person's recipe")
    if recipe.planned_meals.exists():
        raise RecipeInUse(f"“{recipe.title}” is in one of your plans: swap it out or delete that plan first.")
    if recipe.picture:
        delete_picture_file(recipe.picture.name)
    recipe.delete()
