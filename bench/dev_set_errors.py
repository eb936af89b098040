"""Where the development set's kcal misses come from: for each recipe outside ±15 % of its published kcal (coverage
>= 0.9), the line that contributes most to the error, grouped by cause.

    DATABASE_URL=... DEBUG=1 python bench/dev_set_errors.py [--dev-set CSV] [--dump lines.json] [--load lines.json]
                                                            [--half tune|hold|all] [--show N] [--by-food]

Each recipe's lines go through services.resolve_lines and recipe_nutrition with the file's servings (what
create_recipe_from_draft stores; nothing is written). Halves: crc32(name) % 2 == 0 is "tune" (looked at), else
"hold" (only counted, never read line by line: --half hold prints the counts and no lines).

The culprit line of a miss: the error in kcal is E = computed - published (per recipe). Over (E > 0): the line of a
risky kind (below) with the most kcal that could explain the excess (its kcal >= E / 2), else the line with the most
kcal. Under (E < 0): an unresolved or 0 g line of a food with energy, else a frying line whose whole pot would cover
half the gap, else "servings" (off by a whole factor), else the risky line with the most kcal that could explain half
the gap by being counted twice over, else "no line (published higher)": the published figure counts something the
list does not say, or its foods richer. Each line's kind:
  refuse    a weight of a food bought on the bone or in the shell (the engine took off refuse), or a line saying
            bone-in / with skin / whole bird
  count     a count of items (no unit, a size word or a count unit) weighed by a USDA item portion
  volume    a volume (cup, tbsp ...) through a portion or density
  frying    a frying-oil line (absorbed share), or oil by the quart
  marinade  a line for a marinade or brine
  amountless  an amount the engine assumed (no quantity written)
  weight    a mass written on the line (g, oz, lb), and cans by their label
  unresolved  no grams
Servings: when the published figure times the servings is off from ours by about a whole factor (x2, x0.5 ...)
while no single line explains it, the cause is "servings".
"""

import argparse
import json
import os
import re
import statistics
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from meals.nutrition.arithmetic import recipe_nutrition  # noqa: E402
from meals.nutrition.dev_set import GOOD_COVERAGE, read_dev_set  # noqa: E402
from meals.parsing.ingredients import MASS_UNITS, VOLUME_UNITS  # noqa: E402
from meals.services import (ABSORBED_OIL_SHARE, FRYING_FAT_GROUP, FRYING_MEDIUM_NOTE, line_amount,  # noqa: E402
                            resolve_lines)

DEV_SET = Path("/work/shared/data/allrecipes-cuisines-dev/recipes.csv")
TOLERANCE = 0.15
RISKY = ("refuse", "count", "frying", "marinade", "volume", "amountless")
BONE_WORDS = re.compile(r"\b(?:bone-in|bone in|with skin|skin-on|whole (?:chicken|turkey|duck|bird|fish)|"
                        r"drumsticks?|wings?|thighs?|leg quarters?|ribs?|spareribs?|shanks?|hocks?|chops?)\b", re.I)
MARINADE = re.compile(r"\b(?:marinade|marinating|brine)\b", re.I)


def half(name: str) -> str:
    return "tune" if zlib.crc32(name.encode()) % 2 == 0 else "hold"


def line_kind(line: dict) -> str:
    text = line["text"].lower()
    if line["grams"] is None:
        return "unresolved"
    if line["fat_group"] and ("frying" in line["note"] or FRYING_MEDIUM_NOTE in line["note"]):
        return "frying"
    if MARINADE.search(text):
        return "marinade"
    if line["quantity"] is None or "assumed" in line["note"] or "counted at" in line["note"]:
        return "amountless"
    if line["unit"] in MASS_UNITS:
        return "refuse" if BONE_WORDS.search(text) or "shell" in text else "weight"
    if line["unit"] in VOLUME_UNITS:
        return "volume"
    if BONE_WORDS.search(text):
        return "refuse"
    if line["unit"] == "can":
        return "weight"
    return "count"


def dump(path: Path) -> list[dict]:
    rows = []
    for recipe in read_dev_set(path):
        lines = resolve_lines(recipe.lines)
        servings = recipe.servings or 2
        result = recipe_nutrition([line_amount(line) for line in lines], servings)
        rows.append({
            "name": recipe.name, "servings": servings, "published": recipe.published.get("energy_kcal"),
            "kcal": result.per_serving["energy_kcal"], "coverage": result.coverage,
            "macros": {name: result.per_serving[name] for name in ("protein_g", "fat_g", "carbohydrate_g")},
            "published_macros": recipe.published,
            "lines": [{
                "text": line.original_text, "quantity": float(line.quantity) if line.quantity is not None else None,
                "unit": line.unit, "grams": line.grams, "note": line.note, "problem": line.problem,
                "food": f"{line.food.source_id} {line.food.name}" if line.food_id else "",
                "fat_group": bool(line.food_id and line.food.category == FRYING_FAT_GROUP),
                "energy": line.food.energy_kcal if line.food_id else None,
                "portion": line.portion.measure if line.portion_id else "",
                "kcal": round(line.grams * (line_amount(line).per_100g["energy_kcal"] or 0) / 100, 1)
                if line.food_id and line.grams else 0.0,  # as counted: less the fat cooking renders
            } for line in lines],
        })
    return rows


def culprit(row: dict) -> tuple[str, dict | None, float]:
    """(cause, line, error in kcal for the whole recipe)."""
    error = (row["kcal"] - row["published"]) * row["servings"]
    lines = [dict(line, kind=line_kind(line)) for line in row["lines"]]
    ratio = row["kcal"] / row["published"]
    if error > 0:
        risky = [line for line in lines if line["kind"] in RISKY and line["kcal"] >= error / 2]
        pick = max(risky or lines, key=lambda line: line["kcal"], default=None)
        if pick is not None and pick["kcal"] < error / 2 and is_factor(ratio):
            return "servings", pick, error
        return (pick["kind"] if pick else "no line"), pick, error
    missing = [line for line in lines if (line["grams"] is None or line["grams"] == 0) and (line["energy"] or 0) > 50
               and not re.search(r"\b(?:taste|optional|garnish)\b", line["text"], re.I)]
    if missing:
        pick = missing[0]
        return ("unresolved" if pick["grams"] is None else "zero g " + pick["kind"]), pick, error
    frying = [line for line in lines if line["kind"] == "frying"
              and line["kcal"] * (1 / ABSORBED_OIL_SHARE - 1) >= -error / 2]
    if frying:  # the published figure counts more of the pot than the absorbed share
        return "frying", frying[0], error
    if is_factor(ratio):
        return "servings", None, error
    risky = [line for line in lines if line["kind"] in RISKY and line["kcal"] >= -error / 2]
    pick = max(risky, key=lambda line: line["kcal"], default=None)
    return (pick["kind"] if pick else "no line (published higher)"), pick, error


def is_factor(ratio: float) -> bool:
    """Off by about a whole factor: servings (or the published figure per a different serving)."""
    return any(abs(ratio - f) <= 0.08 * f for f in (2, 3, 4, 1 / 2, 1 / 3, 1 / 4, 1 / 6, 1 / 8))


def report(rows: list[dict], which: str, show: int) -> None:
    chosen = [r for r in rows if which == "all" or half(r["name"]) == which]
    good = [r for r in chosen if r["coverage"] >= GOOD_COVERAGE and r["published"]]
    misses = [r for r in good if abs(r["kcal"] - r["published"]) > TOLERANCE * r["published"]]
    errors = [abs(r["kcal"] - r["published"]) / r["published"] for r in good]
    print(f"{which}: {len(good)} recipes with coverage >= {GOOD_COVERAGE} and published kcal; within ±15 %: "
          f"{len(good) - len(misses)} ({100 * (len(good) - len(misses)) / len(good):.1f} %), median error "
          f"{100 * statistics.median(errors):.1f} %")
    if which == "hold":
        return  # counted, never read
    groups = defaultdict(list)
    for row in misses:
        cause, line, error = culprit(row)
        direction = "over" if error > 0 else "under"
        groups[(cause, direction)].append((row, line, error))
    print(f"{len(misses)} misses by cause of the line contributing most (see the module's docstring):")
    for (cause, direction), items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"  {cause:14} {direction:5} {len(items):4d}")
    for (cause, direction), items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        print(f"\n== {cause} {direction} ({len(items)}) ==")
        for row, line, error in sorted(items, key=lambda item: -abs(item[2]))[:show]:
            signed = 100 * (row["kcal"] - row["published"]) / row["published"]
            where = (f"{line['text']!r}: {line['grams']} g {line['food'][:45]} [{line['portion'][:30]}] "
                     f"{line['kcal']:.0f} kcal") if line else ""
            print(f"  {signed:+6.0f} % {row['name'][:40]:40} x{row['servings']:<3} E={error:+6.0f}  {where}")


def by_main_food(rows: list[dict], which: str, least: int = 3) -> None:
    """Recipes whose largest line (by kcal) carries at least 30 % of their energy, grouped by that line's food and
    kind of amount: how much of that line the published kcal leaves room for (the median "implied factor": 1.0 when
    the line is counted as the published figure counts it) and the group's median signed error. A factor far from 1
    over many recipes is a systematic cause (ground beef was 0.78 over 14 recipes: the fat it renders)."""
    groups = defaultdict(list)
    for row in rows:
        if half(row["name"]) != which or row["coverage"] < GOOD_COVERAGE or not row["published"]:
            continue
        ours = sum(line["kcal"] for line in row["lines"])
        top = max(row["lines"], key=lambda line: line["kcal"], default=None)
        if top is None or top["kcal"] < 0.3 * ours:
            continue
        implied = (row["published"] * row["servings"] - (ours - top["kcal"])) / top["kcal"]
        kind = "mass" if top["unit"] in MASS_UNITS else "volume" if top["unit"] in VOLUME_UNITS else "count"
        groups[(top["food"][:60], kind)].append((implied, row["kcal"] / row["published"] - 1))
    print(f"\n{which}: main foods of at least {least} recipes, median implied factor of the main line:")
    for (food, kind), items in sorted(groups.items(), key=lambda kv: statistics.median(f for f, _ in kv[1])):
        if len(items) >= least:
            print(f"  {statistics.median(f for f, _ in items):5.2f}  n={len(items):3d}  signed error "
                  f"{100 * statistics.median(e for _, e in items):+6.1f} %  {kind:6} {food}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dev-set", default=str(DEV_SET))
    parser.add_argument("--dump", default="")
    parser.add_argument("--load", default="")
    parser.add_argument("--half", default="tune", choices=("tune", "hold", "all"))
    parser.add_argument("--show", type=int, default=12)
    parser.add_argument("--by-food", action="store_true", help="also the tune half's main foods (by_main_food)")
    args = parser.parse_args()
    rows = json.loads(Path(args.load).read_text()) if args.load else dump(Path(args.dev_set))
    if args.dump:
        Path(args.dump).write_text(json.dumps(rows))
    for which in ("tune", "hold", "all"):
        if which == args.half or args.half == "all":
            report(rows, which, args.show if which == "tune" else 0)
    if args.by_food:
        by_main_food(rows, "tune")


if __name__ == "__main__":
    main()
