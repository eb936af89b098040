"""manage.py bench_nutrition: measured figures for the nutrition engine (issue 3).

1. imports SR Legacy (SR28) from the shared USDA folder and prints the time;
2. runs the labelled ingredient lines: % exact quantity+unit, % matched food acceptable;
3. runs the reference recipes: how many land within ±5 % of the reference kcal per serving;
4. with --dev-set: imports every recipe of the Allrecipes development set exactly as the admin
   importer does (services.create_recipe_from_draft, rolled back afterwards) and compares the
   per-serving figures with the published ones (meals.nutrition.dev_set).
Nothing but the USDA import is written to the database.
"""

import csv
import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from meals.nutrition import bench_allergens
from meals.parsing.ingredients import IngredientLineError
from meals.importers.usda import UsdaImportError, import_usda
from meals.nutrition.matching import forget_line_caches, load_food
from meals.nutrition.nutrients import CORE_NUTRIENT_FIELDS
from meals.nutrition.arithmetic import IngredientAmount, recipe_nutrition
from meals.nutrition.dev_set import DevRecipe, DevResult, accuracy_rows, coverage_distribution, read_dev_set, speed_row
from meals.importers.recipe_page import RecipeDraft
from meals.services import create_recipe_from_draft, read_line, resolve_lines

DATA = Path(settings.BASE_DIR) / "tests" / "data"
DEV_SET = Path(settings.BASE_DIR).parent / "shared/data/allrecipes-cuisines-dev/recipes.csv"
TIMED_EVERY = 10  # per-line timing on every 10th dev-set recipe's lines
KCAL_TOLERANCE = 0.05


def database_name() -> str:
    """"PostgreSQL 15.8" or "sqlite 3.40.1": the timings depend on it."""
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150008
        return f"PostgreSQL {version // 10000}.{version % 100}"
    return f"{connection.vendor} {connection.Database.sqlite_version}" if connection.vendor == "sqlite" else connection.vendor


def same_number(expected: str, actual: float | None) -> bool:
    if not expected.strip():
        return actual is None
    return actual is not None and abs(float(expected) - actual) <= 0.001 + 0.001 * abs(actual)


class Command(BaseCommand):
    help = "Import SR Legacy, then measure ingredient-line parsing/matching and recipe kcal accuracy."

    def add_arguments(self, parser):
        parser.add_argument("--usda", default=str(Path(settings.BASE_DIR).parent / "shared/data/usda-sr-legacy"))
        parser.add_argument("--lines", default=str(DATA / "ingredient_lines.csv"))
        parser.add_argument("--heldout", default=str(DATA / "heldout_lines.csv"),
                            help="labelled lines from recipes never used for tuning (tests/data/README.md)")
        parser.add_argument("--recipes", default=str(DATA / "reference_recipes.json"))
        parser.add_argument("--show-misses", action="store_true", help="list every line or recipe that missed")
        parser.add_argument("--dev-set", nargs="?", const=str(DEV_SET), default="",
                            help="run the Allrecipes development set (published nutrition) instead of the labelled files")
        parser.add_argument("--limit", type=int, default=0, help="only the first N dev-set recipes")
        parser.add_argument("--allergens", action="store_true",
                            help="instead: derived allergens and diets of the demo recipes beside the hand-set ones, "
                                 "and the count of foods per allergen")

    def handle(self, *args, usda, lines, heldout, recipes, show_misses, dev_set, limit, allergens, **options):
        self.show_misses = show_misses
        try:
            stats = import_usda(usda, progress=True)
        except UsdaImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"USDA import: {stats.seconds:.2f} s ({stats})")
        if allergens:
            bench_allergens.report(self.stdout.write)
            return
        if dev_set:
            self.bench_dev_set(Path(dev_set), limit)
            return
        self.bench_lines(Path(lines), "Ingredient lines")
        if Path(heldout).is_file():
            self.bench_lines(Path(heldout), "Held-out lines (never tuned on)")
        self.bench_recipes(Path(recipes))

    def bench_dev_set(self, path: Path, limit: int) -> None:
        if not path.is_file():
            raise CommandError(f"{path}: development set not found")
        recipes = read_dev_set(path)[: limit or None]
        results, line_count = [], 0
        started = time.perf_counter()
        for recipe in recipes:
            results.append(self.import_dev_recipe(recipe))
            line_count += len(recipe.lines)
        seconds = time.perf_counter() - started
        self.stdout.write(f"Development set: {len(recipes)} recipes, {line_count} lines in {seconds:.1f} s "
                          f"({line_count / seconds:.0f} lines/s through the admin import path)")
        for row in coverage_distribution(results) + accuracy_rows(results):
            self.stdout.write(row)
        timed = recipes[::TIMED_EVERY]
        forget_line_caches()
        self.stdout.write(speed_row(*self.line_timings(timed), database_name(), "first reading of each line"))
        self.stdout.write(speed_row(*self.line_timings(timed), database_name(), "the same lines again (cached)"))

    def import_dev_recipe(self, recipe: DevRecipe) -> DevResult:
        """Import as the admin does, read the stored figures, roll everything back."""
        draft = RecipeDraft(title=recipe.name, ingredient_lines=recipe.lines, servings=recipe.servings)
        with transaction.atomic():
            try:
                stored = create_recipe_from_draft(draft)
            except Exception as error:  # noqa: BLE001 - a crash is a measured failure, not the end of the run
                self.miss(f"{recipe.name}: import failed: {error!r}")
                transaction.set_rollback(True)
                return DevResult(recipe, 0.0, {}, error=str(error))
            result = DevResult(recipe, stored.nutrition_coverage,
                               {name: getattr(stored, name) for name in CORE_NUTRIENT_FIELDS})
            if self.show_misses:
                self.show_dev_miss(result, stored)
            transaction.set_rollback(True)
        return result

    def show_dev_miss(self, result: DevResult, stored) -> None:
        published = result.recipe.published.get("energy_kcal")
        kcal = result.per_serving["energy_kcal"]
        if published and abs(kcal - published) <= 0.15 * published and result.coverage >= 0.9:
            return
        self.miss(f"{result.recipe.name}: {kcal:.0f} kcal/serving, published {published}, "
                  f"coverage {result.coverage:.2f}, servings {stored.servings}")
        for line in stored.ingredients.all():
            food = f"{line.food.source_id} {line.food.name}" if line.food else "-"
            self.miss(f"    {line.original_text!r}: {line.grams} g {food} {line.problem}")

    @staticmethod
    def line_timings(recipes: list[DevRecipe]) -> tuple[list[float], list[float]]:
        """Milliseconds a line, wall clock and CPU, to parse, match and convert each recipe's lines as an import
        does (resolve_lines, which reads the recipe's foods together; nothing written): the recipe's time over
        its lines, per line."""
        wall, cpu = [], []
        for recipe in (recipe for recipe in recipes if recipe.lines):
            started, started_cpu = time.perf_counter(), time.process_time()
            resolve_lines(recipe.lines)
            count = len(recipe.lines)
            wall += [1000 * (time.perf_counter() - started) / count] * count
            cpu += [1000 * (time.process_time() - started_cpu) / count] * count
        return wall, cpu

    def miss(self, message: str) -> None:
        if self.show_misses:
            self.stdout.write(f"  miss: {message}")

    def bench_lines(self, path: Path, title: str) -> None:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        parsed_ok = matched_ok = 0
        started = time.perf_counter()
        for row in rows:
            try:
                parsed, choice = read_line(row["text"])  # as an import reads it: alternatives too
            except IngredientLineError as error:
                self.miss(f"{row['text']!r}: {error}")
                continue
            if (same_number(row["quantity"], parsed.quantity) and same_number(row["quantity_max"], parsed.quantity_max)
                    and parsed.unit == row["unit"]):
                parsed_ok += 1
            else:
                self.miss(f"{row['text']!r} parsed {parsed.quantity} {parsed.quantity_max} {parsed.unit!r}, "
                          f"expected {row['quantity']} {row['quantity_max']} {row['unit']!r}")
            food = load_food(choice.food_id) if choice.food_id is not None else None
            if food is not None and food.source_id in row["ndb_ok"].split():
                matched_ok += 1
            else:
                self.miss(f"{row['text']!r} -> {parsed.name!r} matched {food and food.source_id} "
                          f"{food or choice.problem}, expected {row['ndb_ok']}")
        seconds = time.perf_counter() - started
        total = len(rows) or 1
        self.stdout.write(f"{title}: {len(rows)} in {seconds:.1f} s")
        self.stdout.write(f"  exact quantity+unit: {100 * parsed_ok / total:.1f} % (target >= 95)")
        self.stdout.write(f"  matched food acceptable: {100 * matched_ok / total:.1f} % (target >= 90)")

    def bench_recipes(self, path: Path) -> None:
        if not path.is_file():
            self.stdout.write(f"Reference recipes: {path} not found, skipped")
            return
        recipes = json.loads(path.read_text(encoding="utf-8"))
        within = 0
        for recipe in recipes:
            lines = resolve_lines([line["text"] for line in recipe["lines"]])
            amounts = [
                IngredientAmount(line.grams, {name: getattr(line.food, name) for name in CORE_NUTRIENT_FIELDS}
                                 if line.food else {})
                for line in lines
            ]
            kcal = recipe_nutrition(amounts, recipe["servings"]).per_serving["energy_kcal"]
            reference = recipe["kcal_per_serving"]
            if abs(kcal - reference) <= KCAL_TOLERANCE * reference:
                within += 1
            else:
                self.miss(f"{recipe['title']}: {kcal:.0f} kcal/serving, reference {reference:.0f}")
                for line, expected in zip(lines, recipe["lines"]):
                    got = (line.food.source_id if line.food else None, line.grams)
                    if got != (expected["ndb"], expected["grams"]):
                        self.miss(f"    {line.original_text!r}: {got} {line.problem} expected {expected['ndb']} {expected['grams']}")
        self.stdout.write(f"Reference recipes within ±5 % kcal/serving: {within} of {len(recipes)}")
