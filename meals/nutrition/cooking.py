"""What cooking takes out of a food that the dish does not eat: the fat ground meat renders.

A recipe weighs ground meat raw ("1 pound ground beef"), but browned, baked or fried it loses water and fat: the
water changes no nutrient, the fat that renders out (drained, or left in the pan) is not eaten. USDA SR28 gives each
ground meat raw and cooked ("Beef, ground, 80% lean meat / 20% fat, raw" and "..., crumbles, cooked,
pan-browned"); protein stays in the meat, so the cooked weight of 100 g raw is raw protein / cooked protein (USDA's
own way of relating raw and cooked entries when no yield is printed), and the fat kept is that weight times the
cooked fat. 80/20 beef keeps 55 % of its fat (the rest, 9 g of 100 g raw, is 81 kcal: a third of its energy), 93/7
turkey 96 %: the leaner the meat, the less renders. The share kept of each raw ground meat is in
meals/data/cooking_fat_retention.csv, derived from SR28 by `fat_retention_rows` (tests check the file against it).
USDA's cooked entries are of drained meat; a dish keeps part of what renders into its sauce unless the cook pours
it off, so only RENDERED_FAT_DISCARDED of the rendered fat is taken off. The line still weighs the raw meat bought;
only its fat and energy per 100 g are lowered.
"""

import csv
import re
from functools import cache
from pathlib import Path

RETENTION_FILE = Path(__file__).parent.parent / "data" / "cooking_fat_retention.csv"
KCAL_PER_G_FAT = 9.0  # Atwater's general factor
# The share of the fat a ground meat renders that leaves the dish (drained, or left in the pan), the one
# Allrecipes' published analyses imply: the recipes of the development set's tuning half whose kcal the rendered
# fat changes by 5 % or more leave room for a median 0.68 of it (25 recipes, quartiles 0.30-0.91); their protein
# is the raw meat's (bench/results/bench_nutrition_dev_2026-11-28-namt.txt).
RENDERED_FAT_DISCARDED = 0.7
# SR28's cooked entries of a ground meat, the one a recipe's browning is closest to first: crumbles are what
# "brown the beef" makes; a food with no crumbles entry takes its pan-broiled, broiled, else plain cooked one (a
# patty, loaf, braised or fried entry is not paired: other fat, water or cooking).
COOKED_STATES = (("crumbles",), ("pan-broiled",), ("broiled",), ("cooked",))
NOT_PAIRED = re.compile(r"\b(?:patty|patties|loaf|commodity|braised|pan-fried)\b", re.IGNORECASE)
STATE_WORDS = re.compile(r"\b(?:raw|cooked|crumbles|pan-browned|pan-broiled|broiled)\b", re.IGNORECASE)
MEAT_GROUPS = {"Beef Products", "Pork Products", "Poultry Products", "Lamb, Veal, and Game Products"}
NOTE = "ground meat cooked: most of the fat it renders is not counted"


def name_key(name: str) -> str:
    """The name without its cooking state: "Beef, ground, 93% lean meat /7% fat, raw" -> "beef ground 93% lean meat
    7% fat"."""
    return " ".join(re.findall(r"[a-z0-9%]+", STATE_WORDS.sub(" ", name.lower())))


def fat_retention_rows(foods: list[dict]) -> list[dict]:
    """Each raw ground meat of SR28 with its cooked entry and the share of its fat the cooked meat keeps.

    `foods`: dicts with ndb_no, name, food_group, protein_g, fat_g (SR28's foods and their nutrients per 100 g)."""
    cooked_by_key: dict[str, list[dict]] = {}
    for food in foods:
        name = food["name"].lower()
        if (food["food_group"] in MEAT_GROUPS and "ground" in name and "raw" not in name
                and not NOT_PAIRED.search(name)):
            cooked_by_key.setdefault(name_key(food["name"]), []).append(food)
    rows = []
    for raw in sorted(foods, key=lambda food: food["ndb_no"]):
        name = raw["name"].lower()
        if (raw["food_group"] not in MEAT_GROUPS or "ground" not in name or not re.search(r"\braw\b", name)
                or NOT_PAIRED.search(name) or not raw["fat_g"] or not raw["protein_g"]):
            continue
        candidates = [food for food in cooked_by_key.get(name_key(raw["name"]), []) if food["protein_g"]]
        cooked = next((food for states in COOKED_STATES for food in candidates
                       if all(state in food["name"].lower() for state in states)), None)
        if cooked is None:
            continue
        cooked_weight = raw["protein_g"] / cooked["protein_g"]  # of 100 g raw
        kept = min(cooked_weight * cooked["fat_g"] / raw["fat_g"], 1.0)
        rows.append({"raw_ndb": raw["ndb_no"], "cooked_ndb": cooked["ndb_no"], "fat_retained": f"{kept:.2f}",
                     "raw_name": raw["name"], "cooked_name": cooked["name"]})
    return rows


@cache
def fat_retained() -> dict[str, float]:
    """SR28 NDB number of a raw ground meat -> the share of its fat the cooked meat keeps."""
    with RETENTION_FILE.open(newline="", encoding="utf-8") as handle:
        return {row["raw_ndb"]: float(row["fat_retained"]) for row in csv.DictReader(handle)}


def renders_fat(source_id: str) -> bool:
    return fat_retained().get(source_id, 1.0) < 1.0


def cooked_per_100g(source_id: str, per_100g: dict[str, float | None]) -> dict[str, float | None]:
    """Nutrients of 100 g of the food as bought, less the share of the fat cooking renders from it that leaves the
    dish (and that fat's energy); unchanged for a food that renders none. Saturated fat goes in the same share."""
    rendered = 1.0 - fat_retained().get(source_id, 1.0)
    fat = per_100g.get("fat_g")
    if rendered <= 0.0 or not fat:
        return per_100g
    kept = 1.0 - rendered * RENDERED_FAT_DISCARDED
    cooked = dict(per_100g)
    cooked["fat_g"] = fat * kept
    if per_100g.get("saturated_fat_g") is not None:
        cooked["saturated_fat_g"] = per_100g["saturated_fat_g"] * kept
    if per_100g.get("energy_kcal") is not None:
        cooked["energy_kcal"] = max(per_100g["energy_kcal"] - KCAL_PER_G_FAT * fat * (1.0 - kept), 0.0)
    return cooked
