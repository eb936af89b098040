"""Import USDA food-composition CSVs into Food and FoodPortion.

All files are read and validated first; only then is the database written,
inside one transaction, so a bad file leaves it unchanged. Rows are compared
with what is stored and only new or changed rows are written (in batches),
which makes a second run of the same files a no-op. Staff-entered columns
(density, price) are never touched. Allergens and diet facts come from the rule
table in meals/nutrition/allergens.py, so a changed rule reaches every food on the next import.
"""

import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.db import transaction
from tqdm import tqdm

from meals.importers.csvfiles import DataFileError
from meals.importers.usda_layouts import NUTRIENT_FIELDS, FoodRow, UsdaData, detect_layout
from meals.nutrition.allergens import food_tags, join_tags
from meals.models import Food, FoodPortion, FoodSource

BATCH_SIZE = 2000
FOOD_FIELDS = ("name", "category", "common_names", "is_sr_legacy", *NUTRIENT_FIELDS, "allergen_slugs", "diet_facts")
PORTION_FIELDS = ("amount", "measure", "gram_weight")

UsdaImportError = DataFileError


@dataclass
class ImportStats:
    source: str
    foods_created: int = 0
    foods_updated: int = 0
    foods_unchanged: int = 0
    portions_created: int = 0
    portions_updated: int = 0
    portions_deleted: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any((self.foods_created, self.foods_updated, self.portions_created,
                    self.portions_updated, self.portions_deleted))

    def __str__(self) -> str:
        return (
            f"{self.source}: foods {self.foods_created} created, {self.foods_updated} updated, "
            f"{self.foods_unchanged} unchanged; portions {self.portions_created} created, "
            f"{self.portions_updated} updated, {self.portions_deleted} deleted; {self.seconds:.1f} s"
        )


def import_usda(path, *, only_ids: set[str] | None = None, progress: bool = False) -> ImportStats:
    """Import the USDA folder at `path` (SR28 compact or FoodData Central layout).

    `only_ids` restricts the import to those NDB numbers / fdc_ids (all must exist).
    Raises UsdaImportError naming file and line on bad input; nothing is written then.
    """
    started = time.perf_counter()
    folder = Path(path)
    if not folder.is_dir():
        raise UsdaImportError(f"{folder}: not a directory")
    show = progress and sys.stderr.isatty()

    def track(rows: Iterable, label: str) -> Iterable:
        return tqdm(rows, desc=label, unit=" rows", disable=not show, leave=False)

    data = detect_layout(folder)(folder, set(only_ids) if only_ids is not None else None, track)
    stats = ImportStats(source=data.source)
    with transaction.atomic():
        food_ids = write_foods(data, stats, show)
        write_portions(data, food_ids, stats, show)
    stats.seconds = time.perf_counter() - started
    return stats


def batches(items: list, size: int = BATCH_SIZE) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def food_values(row: FoodRow, ndb_number: str) -> tuple:
    """The stored columns of a food, its allergens and diet facts derived from the rule table."""
    tags = food_tags(row.name, row.category, ndb_number)
    return (row.name, row.category, row.common_names, row.is_sr_legacy,
            *(row.nutrients.get(name) for name in NUTRIENT_FIELDS), join_tags(tags.allergens), join_tags(tags.facts))


def write_foods(data: UsdaData, stats: ImportStats, show: bool) -> dict[str, int]:
    """Upsert new/changed foods; return source_id -> Food.id for every food in `data`."""
    stored = {
        source_id: values
        for source_id, *values in Food.objects.filter(source=data.source).values_list("source_id", *FOOD_FIELDS)
    }
    pending = []
    for source_id, row in data.foods.items():
        values = food_values(row, source_id if data.source == FoodSource.SR28 else "")
        if source_id not in stored:
            stats.foods_created += 1
        elif tuple(stored[source_id]) != values:
            stats.foods_updated += 1
        else:
            stats.foods_unchanged += 1
            continue
        pending.append(Food(source=data.source, source_id=source_id, **dict(zip(FOOD_FIELDS, values))))
    for batch in tqdm(list(batches(pending)), desc="writing foods", disable=not show, leave=False):
        Food.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["source", "source_id"], update_fields=FOOD_FIELDS
        )
    ids = dict(Food.objects.filter(source=data.source).values_list("source_id", "id"))
    return {source_id: ids[source_id] for source_id in data.foods}


def write_portions(data: UsdaData, food_ids: dict[str, int], stats: ImportStats, show: bool) -> None:
    """Make each imported food's portions exactly those in the files."""
    stored = {
        (food_id, seq): (portion_id, values)
        for portion_id, food_id, seq, *values in FoodPortion.objects.filter(food__source=data.source)
        .values_list("id", "food_id", "seq", *PORTION_FIELDS)
    }
    imported_food_ids = set(food_ids.values())
    wanted, pending = set(), []
    for source_id, row in data.foods.items():
        food_id = food_ids[source_id]
        for portion in row.portions:
            key, values = (food_id, portion.seq), (portion.amount, portion.measure, portion.gram_weight)
            wanted.add(key)
            if key not in stored:
                stats.portions_created += 1
            elif tuple(stored[key][1]) != values:
                stats.portions_updated += 1
            else:
                continue
            pending.append(FoodPortion(food_id=food_id, seq=portion.seq, **dict(zip(PORTION_FIELDS, values))))
    stale = [portion_id for key, (portion_id, _) in stored.items() if key[0] in imported_food_ids and key not in wanted]
    for batch in batches(stale):
        FoodPortion.objects.filter(id__in=batch).delete()
    stats.portions_deleted = len(stale)
    for batch in tqdm(list(batches(pending)), desc="writing portions", disable=not show, leave=False):
        FoodPortion.objects.bulk_create(
            batch, update_conflicts=True, unique_fields=["food", "seq"], update_fields=PORTION_FIELDS
        )
