"""The Allrecipes development set (../shared/data/allrecipes-cuisines-dev) as plain data, and its figures.

Each recipe is imported through the admin importer's own path
(services.create_recipe_from_draft) by the bench_nutrition command; this
module only reads the file and summarises the results, so it stays pure.
The file joins a recipe's lines with ", " although lines contain commas
themselves ("1 onion, chopped"): a new line starts at a quantity, and a
quantity-less fragment starts one unless it reads as the previous line's
preparation ("chopped", "or to taste", "cut into cubes").
"""

import csv
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

QUANTITY_START = re.compile(r"^[\d½¼¾⅓⅔⅛⅜⅝⅞⅙⅚⅕⅖⅗⅘]")
CONTINUATION_WORDS = {
    "or", "and", "and/or", "plus", "at", "for", "to", "such", "with", "if", "more", "including", "each", "made",
    "well", "room", "into", "about", "cut", "split", "torn", "zest", "juice", "skin", "skins", "stems", "leaves",
    "tails", "shells", "crusts", "ends", "ribs", "tips", "whites", "casings", "peels", "in", "on", "without",
    "bone-in", "skin-on", "boneless", "skinless", "unpeeled", "undrained", "brine", "liquid", "beaten", "frozen",
    "broken", "hidden", "shaken", "thinly",
}
TOLERANCES = (0.10, 0.15, 0.25)
GOOD_COVERAGE = 0.9
# published column -> Recipe field
MEASURES = (("calories", "energy_kcal"), ("protein", "protein_g"), ("fat", "fat_g"), ("carbs", "carbohydrate_g"))


@dataclass(frozen=True)
class DevRecipe:
    name: str
    lines: list[str]
    servings: int | None
    published: dict[str, float]  # Recipe field -> published amount per serving


@dataclass(frozen=True)
class DevResult:
    recipe: DevRecipe
    coverage: float
    per_serving: dict[str, float]
    error: str = ""  # why the import failed as a whole, if it did


def is_continuation(fragment: str) -> bool:
    """A fragment without a quantity that belongs to the previous line ("finely chopped", "or to taste")."""
    words = fragment.split()
    if not words:
        return True
    first = words[0].lower()
    if first.endswith(("ed", "ly")) or first in CONTINUATION_WORDS:
        return True
    return any(word.lower().endswith("ed") for word in words[1:3]) and "taste" not in fragment


def split_lines(joined: str) -> list[str]:
    """The recipe's lines from the file's ", "-joined string."""
    lines: list[str] = []
    for fragment in joined.split(", "):
        fragment = fragment.strip()
        if lines and not QUANTITY_START.match(fragment) and is_continuation(fragment):
            lines[-1] = f"{lines[-1]}, {fragment}"
        elif fragment:
            lines.append(fragment)
    return lines


def number_or_none(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def read_dev_set(path: Path) -> list[DevRecipe]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    recipes = []
    for row in rows:
        published = {field: number_or_none(row[column]) for column, field in MEASURES}
        servings = number_or_none(row["servings"])
        recipes.append(DevRecipe(
            name=row["name"],
            lines=split_lines(row["ingredients"]),
            servings=int(servings) if servings and servings >= 1 else None,
            published={field: value for field, value in published.items() if value is not None},
        ))
    return recipes


def relative_error(computed: float, published: float) -> float | None:
    return abs(computed - published) / published if published > 0 else None


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def coverage_distribution(results: list[DevResult]) -> list[str]:
    bands = ((1.0, 1.01, "= 1.0"), (0.9, 1.0, "0.9-1.0"), (0.75, 0.9, "0.75-0.9"), (0.5, 0.75, "0.5-0.75"),
             (0.0, 0.5, "< 0.5"))
    total = len(results)
    rows = [f"  failed whole: {sum(1 for r in results if r.error)}"]
    imported = [r for r in results if not r.error]
    for low, high, label in bands:
        count = sum(1 for r in imported if low <= r.coverage < high)
        rows.append(f"  coverage {label:>8}: {count:5d} ({percent(count, total)})")
    if imported:
        rows.append(f"  median coverage: {statistics.median(r.coverage for r in imported):.3f}")
    return rows


def accuracy_rows(results: list[DevResult]) -> list[str]:
    """Among recipes with coverage >= 0.9: share within each tolerance and the median error, per measure."""
    good = [r for r in results if not r.error and r.coverage >= GOOD_COVERAGE]
    rows = [f"  coverage >= {GOOD_COVERAGE}: {len(good)} of {len(results)} ({percent(len(good), len(results))})"
            " (target >= 85 %)"]
    for column, field in MEASURES:
        errors = [e for r in good if field in r.recipe.published
                  and (e := relative_error(r.per_serving[field], r.recipe.published[field])) is not None]
        if not errors:
            continue
        within = "  ".join(f"±{round(t * 100)} % {percent(sum(1 for e in errors if e <= t), len(errors))}"
                           for t in TOLERANCES)
        rows.append(f"  {column:8} n={len(errors):4d}  {within}  median error {100 * statistics.median(errors):.1f} %")
    return rows


SPEED_TARGET_MS = 10.0


def p95(values: list[float]) -> float:
    """The 95th percentile, interpolated between the measured values (never beyond the largest)."""
    return statistics.quantiles(values, n=20, method="inclusive")[-1] if len(values) > 1 else values[0]


def speed_row(wall_ms: list[float], cpu_ms: list[float], database: str, caches: str = "") -> str:
    """Per-line time to parse, match and convert: wall clock (what a user waits, which the machine's load
    stretches) and this process's CPU time, each median and p95 in ms, and lines a second over all of them."""
    if not wall_ms:
        return "  parse+match+convert: no lines timed"
    per_second = 1000 * len(wall_ms) / sum(wall_ms) if sum(wall_ms) else float("inf")
    where = f"{database}, {caches}" if caches else database
    return (f"  parse+match+convert on {where}: median {statistics.median(wall_ms):.1f} ms a line "
            f"(target <= {SPEED_TARGET_MS:g} ms), p95 {p95(wall_ms):.1f} ms; CPU median "
            f"{statistics.median(cpu_ms):.1f} ms, p95 {p95(cpu_ms):.1f} ms; {per_second:.0f} lines/s "
            f"({len(wall_ms)} lines timed)")
