"""Writes to the catalog: ingredient lines resolved to grams, recomputing denormalised nutrition."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from meals.catalog import CatalogRecord, Decisions, decide
from meals.ingredients import IngredientLineError, parse_line
from meals.matching import FoodMatch, match_food, state_hints
from meals.models import Food, MealType, Recipe, RecipeIngredient
from meals.nutrients import CORE_NUTRIENT_FIELDS
from meals.nutrition import IngredientAmount, recipe_nutrition
from meals.recipe_import import RecipeDraft
from meals.units import Conversion, Portion, to_grams

MAX_LINE_GRAMS = 20_000
MAX_MINUTES = 32_767  # PositiveSmallIntegerField


def line_amount(line: RecipeIngredient) -> IngredientAmount:
    """One line as plain data for the nutrition arithmetic."""
    return IngredientAmount(
        grams=line.grams if line.food_id is not None else None,
        per_100g={name: getattr(line.food, name) for name in CORE_NUTRIENT_FIELDS} if line.food_id else {},
    )


def ingredient_amounts(recipe: Recipe) -> list[IngredientAmount]:
    """Read a recipe's lines as plain data (uses prefetched ingredients when present)."""
    return [line_amount(line) for line in recipe.ingredients.all()]


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


class IngredientLinesError(ValueError):
    """Some lines of a batch cannot be used; `errors` names each (1-based line number, reason)."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("; ".join(f"line {number}: {reason}" for number, reason in errors))


def food_portions(food: Food) -> list[Portion]:
    return [Portion(p.id, p.amount, p.measure, p.gram_weight) for p in food.portions.all()]


def convert_line(line: RecipeIngredient, preparation: str = "") -> None:
    """Set grams, portion and problem of a line from its food, quantity and unit."""
    if line.food is None:
        line.grams, line.portion = None, None
        line.problem = line.problem or "no food chosen"
        return
    quantity = float(line.quantity) if line.quantity is not None else None
    conversion = to_grams(quantity, line.unit, food_portions(line.food), density_g_per_ml=line.food.density_g_per_ml,
                          preparation=preparation or line.note, food_name=line.food.name)
    if conversion.grams is not None and conversion.grams > MAX_LINE_GRAMS:
        conversion = Conversion(None, problem=f"{conversion.grams / 1000:.0f} kg is not a plausible amount")
    line.grams = round(conversion.grams, 2) if conversion.grams is not None else None
    line.portion_id = conversion.portion.id if conversion.portion else None
    line.problem = conversion.problem


def resolve_ingredient_line(text: str, *, order: int = 0) -> RecipeIngredient:
    """Parse, match and convert one line into an unsaved RecipeIngredient.

    Raises IngredientLineError for a line that cannot be an amount of food;
    an unmatched food or unconvertible unit is kept with `problem` set.
    """
    parsed = parse_line(text)
    hints = state_hints(f"{parsed.preparation} {parsed.comment}", parsed.container, parsed.unit)
    match = match_food(parsed.name, hints=hints) if parsed.name else FoodMatch(None, 0.0, "no food name found")
    line = RecipeIngredient(
        food=match.food,
        quantity=decimal_or_none(parsed.quantity),
        quantity_max=decimal_or_none(parsed.quantity_max),
        unit=parsed.unit,
        original_text=parsed.text,
        note=", ".join(part for part in (parsed.preparation, parsed.comment) if part)[:200],
        order=order,
        match_confidence=min(match.confidence, parsed.confidence) if match.food else 0.0,
    )
    if match.food is None:
        line.problem = match.problem
        return line
    if parsed.unknown_unit:
        line.unit = parsed.unknown_unit[:40]  # "2 stalks celery": USDA may have a "stalk" portion
    convert_line(line, f"{parsed.name} {parsed.preparation}")
    if parsed.unknown_unit and line.grams is None:
        line.problem = f"unknown unit {parsed.unknown_unit!r}"
    return line


def decimal_or_none(value: float | None) -> Decimal | None:
    return Decimal(str(round(value, 3))) if value is not None else None


def resolve_lines(lines: list[str], first_order: int = 0) -> list[RecipeIngredient]:
    """Resolve every non-blank line, or raise IngredientLinesError listing all the bad ones."""
    resolved, errors = [], []
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            resolved.append(resolve_ingredient_line(text, order=first_order + len(resolved)))
        except IngredientLineError as error:
            errors.append((number, str(error)))
    if errors:
        raise IngredientLinesError(errors)
    return resolved


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


def unique_recipe_slug(title: str) -> str:
    base = slugify(title)[:190] or "recipe"
    slug, counter = base, 2
    while Recipe.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return slug


@transaction.atomic
def create_recipe_from_draft(draft: RecipeDraft) -> Recipe:
    """Store an imported recipe as an unpublished draft with its lines resolved; all or nothing."""
    recipe = Recipe.objects.create(
        title=draft.title,
        slug=unique_recipe_slug(draft.title),
        description=draft.description,
        instructions=draft.instructions,
        servings=draft.servings or Recipe._meta.get_field("servings").default,
        prep_minutes=min(draft.prep_minutes, MAX_MINUTES),
        cook_minutes=min(draft.cook_minutes, MAX_MINUTES),
        image_url=draft.image_url,
        source_url=draft.source_url,
        is_published=False,
    )
    add_ingredient_lines(recipe, draft.ingredient_lines)
    return recipe


@dataclass(frozen=True)
class CatalogOutcome:
    """What importing one catalog record did: "created", "updated" or "unchanged"."""

    status: str
    recipe: Recipe
    decisions: Decisions | None = None


def catalog_lines(texts: tuple[str, ...]) -> list[RecipeIngredient]:
    """Resolve each line like the admin's importer, but keep a line that is no amount of food
    ("For the sauce:", "Half an onion" the parser cannot read) unresolved with the reason,
    so one odd line leaves the recipe for review instead of refusing it."""
    lines = []
    for order, text in enumerate(texts):
        try:
            lines.append(resolve_ingredient_line(text, order=order))
        except IngredientLineError as error:
            lines.append(RecipeIngredient(original_text=text[:300], order=order, problem=str(error)[:200]))
    return lines


def review_notes(decisions: Decisions) -> str:
    notes = [f"Not a meal: {decisions.not_a_meal}."] if decisions.not_a_meal else []
    notes += [f"Needs review: {reason}." for reason in decisions.review]
    notes += [f"Estimated: {note}." for note in decisions.estimated]
    return "\n".join(notes)


@transaction.atomic
def import_catalog_record(record: CatalogRecord, *, force: bool = False) -> CatalogOutcome:
    """Create or update the recipe of one catalog record, found again by (source, source_id).

    An unchanged record (same digest) is skipped, so staff edits to it stay; a changed one (or
    `force`) is re-resolved and re-decided by meals.catalog's rules. All or nothing per record.
    """
    recipe = Recipe.objects.filter(source=record.source, source_id=record.source_id).first()
    if recipe is not None and recipe.source_digest == record.digest and not force:
        return CatalogOutcome("unchanged", recipe)
    lines = catalog_lines(record.ingredients)
    status = "created" if recipe is None else "updated"
    if recipe is None:
        recipe = Recipe(slug=unique_recipe_slug(record.title), source=record.source, source_id=record.source_id)
    else:
        recipe.ingredients.all().delete()
    whole = recipe_nutrition([line_amount(line) for line in lines], servings=1)
    decisions = decide(record, total_kcal=whole.per_serving["energy_kcal"], coverage=whole.coverage,
                       unresolved=sum(not line.is_resolved for line in lines))
    recipe.title, recipe.description = record.title[:200], record.notes
    recipe.instructions = "\n".join(record.instructions)
    recipe.image_url, recipe.source_url = record.image_url[:500], record.source_url[:500]
    recipe.attribution, recipe.license = record.attribution[:300], record.license[:300]
    recipe.source_digest = record.digest
    recipe.servings = decisions.servings or Recipe._meta.get_field("servings").default
    recipe.prep_minutes, recipe.cook_minutes = decisions.prep_minutes, decisions.cook_minutes
    for meal_type in MealType.values:
        setattr(recipe, f"is_{meal_type}", meal_type in decisions.meal_types)
    recipe.is_published = decisions.publish
    recipe.needs_review = bool(decisions.review) and not decisions.not_a_meal
    recipe.review_notes = review_notes(decisions)
    recipe.full_clean(exclude=["slug", "tags", "diets", "allergens"])
    recipe.save()
    for line in lines:
        line.recipe = recipe
    RecipeIngredient.objects.bulk_create(lines)
    recompute_recipe_nutrition(Recipe.objects.prefetch_related("ingredients__food").get(pk=recipe.pk))
    recipe.refresh_from_db()
    return CatalogOutcome(status, recipe, decisions)
