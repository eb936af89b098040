"""manage.py bench_nutrition: measured figures for the nutrition engine (issue 3).

1. imports SR Legacy (SR28) from the shared USDA folder and prints the time;
2. runs the labelled ingredient lines: % exact quantity+unit, % matched food acceptable;
3. runs the reference recipes: how many land within ±5 % of the reference kcal per serving.
Nothing but the USDA import is written to the database.
"""

import csv
import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meals.ingredients import IngredientLineError, parse_line
from meals.importers.usda import UsdaImportError, import_usda
from meals.matching import match_food, state_hints
from meals.nutrients import CORE_NUTRIENT_FIELDS
from meals.nutrition import IngredientAmount, recipe_nutrition
from meals.services import IngredientLinesError, resolve_lines

DATA = Path(settings.BASE_DIR) / "tests" / "data"
KCAL_TOLERANCE = 0.05


def same_number(expected: str, actual: float | None) -> bool:
    if not expected.strip():
        return actual is None
    return actual is not None and abs(float(expected) - actual) <= 0.001 + 0.001 * abs(actual)


class Command(BaseCommand):
    help = "Import SR Legacy, then measure ingredient-line parsing/matching and recipe kcal accuracy."

    def add_arguments(self, parser):
        parser.add_argument("--usda", default=str(Path(settings.BASE_DIR).parent / "shared/data/usda-sr-legacy"))
        parser.add_argument("--lines", default=str(DATA / "ingredient_lines.csv"))
        parser.add_argument("--recipes", default=str(DATA / "reference_recipes.json"))
        parser.add_argument("--show-misses", action="store_true", help="list every line or recipe that missed")

    def handle(self, *args, usda, lines, recipes, show_misses, **options):
        self.show_misses = show_misses
        try:
            stats = import_usda(usda, progress=True)
        except UsdaImportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"USDA import: {stats.seconds:.2f} s ({stats})")
        self.bench_lines(Path(lines))
        self.bench_recipes(Path(recipes))

    def miss(self, message: str) -> None:
        if self.show_misses:
            self.stdout.write(f"  miss: {message}")

    def bench_lines(self, path: Path) -> None:
        with path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        parsed_ok = matched_ok = 0
        started = time.perf_counter()
        for row in rows:
            try:
                parsed = parse_line(row["text"])
            except IngredientLineError as error:
                self.miss(f"{row['text']!r}: {error}")
                continue
            if (same_number(row["quantity"], parsed.quantity) and same_number(row["quantity_max"], parsed.quantity_max)
                    and parsed.unit == row["unit"]):
                parsed_ok += 1
            else:
                self.miss(f"{row['text']!r} parsed {parsed.quantity} {parsed.quantity_max} {parsed.unit!r}, "
                          f"expected {row['quantity']} {row['quantity_max']} {row['unit']!r}")
            match = match_food(parsed.name, hints=state_hints(f"{parsed.preparation} {parsed.comment}", parsed.container, parsed.unit))
            if match.food is not None and match.food.source_id in row["ndb_ok"].split():
                matched_ok += 1
            else:
                self.miss(f"{row['text']!r} -> {parsed.name!r} matched {match.food and match.food.source_id} "
                          f"{match.food or match.problem}, expected {row['ndb_ok']}")
        seconds = time.perf_counter() - started
        total = len(rows) or 1
        self.stdout.write(f"Ingredient lines: {len(rows)} in {seconds:.1f} s")
        self.stdout.write(f"  exact quantity+unit: {100 * parsed_ok / total:.1f} % (target >= 95)")
        self.stdout.write(f"  matched food acceptable: {100 * matched_ok / total:.1f} % (target >= 90)")

    def bench_recipes(self, path: Path) -> None:
        if not path.is_file():
            self.stdout.write(f"Reference recipes: {path} not found, skipped")
            return
        recipes = json.loads(path.read_text(encoding="utf-8"))
        within = 0
        for recipe in recipes:
            try:
                lines = resolve_lines([line["text"] for line in recipe["lines"]])
            except IngredientLinesError as error:
                self.miss(f"{recipe['title']}: {error}")
                continue
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
