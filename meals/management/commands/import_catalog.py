"""manage.py import_catalog PATH: load a JSON-Lines recipe catalog (meals/importers/catalog.py has the schema and
rules).

The whole file is checked first (a bad line is named and nothing is written); then each record
is imported all or nothing through the admin importer's pipeline (parse, match, nutrition,
allergens): a savepoint per record inside one transaction per CHUNK records, so a failed record
leaves nothing and the others are kept, without a commit (and its disk flush) per record. What
every record would look up (its recipe, the slugs in use, allergen and diet ids) is read once.
The changed records' distinct ingredient lines are read first (parsed and matched, in
--workers processes: most of the CPU) and their foods read in one go.
A second run skips unchanged records. The report lists what needs staff
attention: the admin's recipe list filters it with "Needs review".
"""

import csv
import os
import statistics
import time
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from meals.groceries.shopper import reviewed
from meals.importers.catalog import CatalogError, read_catalog
from meals.models import Food
from meals.nutrition.matching import batch_food_reads, load_foods
from meals.services import (CatalogLookups, catalog_line_texts, chosen_food_ids, distinct_readable_lines,
                            import_catalog_record, read_lines)

CHUNK = 50
MAX_WORKERS = 4


class Command(BaseCommand):
    help = "Import a JSON-Lines recipe catalog (e.g. publicdomainrecipes' recipes.jsonl); safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--force", action="store_true", help="re-resolve records that have not changed too")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        parser.add_argument("--workers", type=int, default=min(len(os.sched_getaffinity(0)), MAX_WORKERS),
                            help="processes that read the ingredient lines (default: the CPUs, at most "
                                 f"{MAX_WORKERS}; 1 reads them in this process)")
        parser.add_argument("--write-foods", type=Path, metavar="CSV",
                            help="write the foods the catalog's recipes use (ndb, description, food group), "
                                 "e.g. meals/data/catalog/foods.csv (the report names those without a reviewed shopper row)")

    def handle(self, *args, path, force, no_progress, workers, write_foods=None, **options):
        started = time.perf_counter()
        try:
            records = read_catalog(path)
        except CatalogError as error:
            raise CommandError(f"{path}: {error} (nothing was imported)") from error
        statuses, failures, outcomes = Counter(), [], []
        lookups = CatalogLookups.read(records)
        texts = distinct_readable_lines(text for record in lookups.changed(records, force=force)
                                        for text in catalog_line_texts(record))
        with tqdm(total=len(texts), desc="Reading lines", unit="line", disable=no_progress or None,
                  file=self.stderr) as reading:
            lookups.lines = read_lines(texts, workers=workers, progress=reading.update)
        progress = tqdm(total=len(records), desc="Importing", unit="recipe", disable=no_progress or None,
                        file=self.stderr)
        with batch_food_reads(), progress:
            load_foods(chosen_food_ids(lookups.lines.values()))
            for start in range(0, len(records), CHUNK):
                with transaction.atomic():
                    for record in records[start:start + CHUNK]:
                        try:
                            outcome = import_catalog_record(record, force=force, lookups=lookups)
                        except Exception as error:  # reported; its savepoint rolled back, leaving nothing
                            failures.append(f"{record.source_id}: {type(error).__name__}: {error}")
                        else:
                            statuses[outcome.status] += 1
                            outcomes.append(outcome)
                        progress.update()
        self.report(outcomes, statuses, failures, time.perf_counter() - started)
        foods = catalog_foods(records)
        missing = [food for food in foods if food.source_id not in reviewed()]
        self.stdout.write(f"Foods used: {len(foods)}; without a reviewed shopper name and aisle "
                          f"(meals/data/shopper_foods.csv): {len(missing)}"
                          + "".join(f"\n  {food.source_id} {food.name}" for food in missing))
        if write_foods:
            with write_foods.open("w", encoding="utf-8", newline="") as file:
                writer = csv.writer(file, lineterminator="\n")
                writer.writerow(["ndb", "description", "food_group"])
                writer.writerows([food.source_id, food.name, food.category] for food in foods)

    def report(self, outcomes, statuses, failures, seconds):
        write = self.stdout.write
        recipes = [outcome.recipe for outcome in outcomes]
        published = [recipe for recipe in recipes if recipe.is_published]
        review = [recipe for recipe in recipes if recipe.needs_review]
        not_meals = Counter(note for recipe in recipes for note in notes(recipe, "Not a meal"))
        reasons = Counter(note.split(":")[0] for recipe in review for note in notes(recipe, "Needs review"))
        estimated = Counter(note.split(":")[0] for recipe in published for note in notes(recipe, "Estimated"))
        write(f"{len(recipes)} recipes in {seconds:.1f} s: {statuses['created']} created, {statuses['updated']} "
              f"updated, {statuses['unchanged']} unchanged, {len(failures)} failed.")
        write(f"Published: {len(published)} (median coverage {median_coverage(published):.0%}; by rule: "
              f"{counted(estimated) or 'nothing'}).")
        write(f"Median coverage of all: {median_coverage(recipes):.0%}.")
        write(f"Not meals (unpublished): {sum(not_meals.values())} ({counted(not_meals) or 'none'}).")
        write(f"Need review (unpublished, admin filter “needs review”): {len(review)} ({counted(reasons) or 'none'}).")
        for recipe in review:
            write(f"  {recipe.source_id}: {'; '.join(notes(recipe, 'Needs review'))}")
        for failure in failures:
            write(self.style.ERROR(f"  failed, nothing written: {failure}"))


def catalog_foods(records) -> list[Food]:
    """The foods the lines of these records' recipes resolved to, by NDB number."""
    return list(Food.objects.filter(
        recipe_ingredients__recipe__source__in={record.source for record in records},
        recipe_ingredients__recipe__source_id__in={record.source_id for record in records},
    ).distinct().order_by("source_id"))


def notes(recipe, kind: str) -> list[str]:
    """The review notes of one kind ("Needs review", "Not a meal", "Estimated"), without prefix and full stop."""
    prefix = f"{kind}: "
    return [line.removeprefix(prefix).rstrip(".") for line in recipe.review_notes.splitlines() if line.startswith(prefix)]


def median_coverage(recipes) -> float:
    return statistics.median(recipe.nutrition_coverage for recipe in recipes) if recipes else 0.0


def counted(counter: Counter) -> str:
    return ", ".join(f"{what} {count}" for what, count in counter.most_common())
