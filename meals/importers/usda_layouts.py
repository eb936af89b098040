"""Read the two USDA CSV layouts into one plain shape, validating as we go.

* SR28 compact layout (``foods.csv``, ``nutrients.csv``, ``food_nutrients.csv``,
  ``portions.csv``), keyed by NDB number;
* FoodData Central download (``food.csv``, ``nutrient.csv``, ``food_nutrient.csv``,
  ``food_portion.csv``, ``measure_unit.csv``, ``food_category.csv``), keyed by fdc_id.

Nothing here touches the database: the result is handed to the writer only
once every file has been read without error.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from meals.importers.csvfiles import DataFileError, parse_number, read_rows
from meals.models import FoodSource

# Food column -> (SR nutrient number, FDC nutrient ids in order of preference).
# FDC Foundation foods report energy as Atwater 2047/2048 and sugars as 1063
# where SR Legacy uses 1008 and 2000, hence the fallbacks.
NUTRIENT_IDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "energy_kcal": ("208", ("1008", "2047", "2048")),
    "protein_g": ("203", ("1003",)),
    "fat_g": ("204", ("1004", "1085")),
    "saturated_fat_g": ("606", ("1258",)),
    "carbohydrate_g": ("205", ("1005", "1050")),
    "fiber_g": ("291", ("1079",)),
    "sugars_g": ("269", ("2000", "1063")),
    "sodium_mg": ("307", ("1093",)),
    "cholesterol_mg": ("601", ("1253",)),
    "potassium_mg": ("306", ("1092",)),
    "calcium_mg": ("301", ("1087",)),
    "iron_mg": ("303", ("1089",)),
    "vitamin_c_mg": ("401", ("1162",)),
    "vitamin_d_ug": ("328", ("1114",)),
}
NUTRIENT_FIELDS = tuple(NUTRIENT_IDS)
SR_NUTRIENT_TO_FIELD = {sr: name for name, (sr, _) in NUTRIENT_IDS.items()}
FDC_NUTRIENT_RANK = {
    fdc: (name, rank) for name, (_, fdc_ids) in NUTRIENT_IDS.items() for rank, fdc in enumerate(fdc_ids)
}
NAME_MAX = 255
MEASURE_MAX = 120


@dataclass
class PortionRow:
    seq: int
    amount: float
    measure: str
    gram_weight: float


@dataclass
class FoodRow:
    """One food as the files describe it; nutrient fields missing from `nutrients` are NULL."""

    name: str
    category: str = ""
    common_names: str = ""
    is_sr_legacy: bool = False
    nutrients: dict[str, float] = field(default_factory=dict)
    portions: list[PortionRow] = field(default_factory=list)


@dataclass
class UsdaData:
    source: str
    foods: dict[str, FoodRow]


def clip(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def detect_layout(folder: Path) -> Callable[[Path, set[str] | None, Callable], UsdaData]:
    if (folder / "foods.csv").is_file():
        return read_sr28
    if (folder / "food.csv").is_file():
        return read_fdc
    raise DataFileError(
        f"{folder}: not a USDA folder (expected foods.csv of the SR28 layout or food.csv of a FoodData Central download)"
    )


def keep_selected(foods: dict[str, FoodRow], only_ids: set[str] | None, files: str) -> dict[str, FoodRow]:
    if only_ids is None:
        return foods
    unknown = sorted(only_ids - foods.keys())
    if unknown:
        raise DataFileError(f"{files}: no food with id {', '.join(unknown[:10])}")
    return {key: row for key, row in foods.items() if key in only_ids}


def read_sr28(folder: Path, only_ids: set[str] | None, track: Callable) -> UsdaData:
    all_foods = {}
    for line, row in track(read_rows(folder / "foods.csv", ("ndb_no", "description", "food_group", "common_names", "in_sr_legacy")), "foods.csv"):
        ndb = row["ndb_no"].strip()
        if not ndb or ndb in all_foods:
            raise DataFileError(f"foods.csv line {line}: {'duplicate' if ndb else 'empty'} ndb_no {ndb!r}")
        all_foods[ndb] = FoodRow(
            name=clip(row["description"], NAME_MAX),
            category=clip(row["food_group"], 100),
            common_names=clip(row["common_names"], NAME_MAX),
            is_sr_legacy=row["in_sr_legacy"].strip() == "1",
        )
    foods = keep_selected(all_foods, only_ids, "foods.csv")

    for line, row in track(read_rows(folder / "food_nutrients.csv", ("ndb_no", "nutrient_id", "amount_per_100g")), "food_nutrients.csv"):
        where = f"food_nutrients.csv line {line}"
        ndb, column = row["ndb_no"].strip(), SR_NUTRIENT_TO_FIELD.get(row["nutrient_id"].strip())
        if ndb not in all_foods:
            raise DataFileError(f"{where}: ndb_no {ndb!r} is not in foods.csv")
        if column and ndb in foods:
            foods[ndb].nutrients[column] = parse_number(row["amount_per_100g"], where=where, column="amount_per_100g")

    for line, row in track(read_rows(folder / "portions.csv", ("ndb_no", "seq", "amount", "measure", "gram_weight")), "portions.csv"):
        where = f"portions.csv line {line}"
        ndb = row["ndb_no"].strip()
        if ndb not in all_foods:
            raise DataFileError(f"{where}: ndb_no {ndb!r} is not in foods.csv")
        if ndb in foods:
            foods[ndb].portions.append(portion_row(row["seq"], row["amount"], row["measure"], row["gram_weight"], where))
    for ndb, food in foods.items():
        require_unique_seq(food.portions, f"portions.csv (ndb_no {ndb})")
    return UsdaData(FoodSource.SR28, foods)


def portion_row(seq: str, amount: str, measure: str, gram_weight: str, where: str) -> PortionRow:
    if not seq.strip().isdigit():
        raise DataFileError(f"{where}: seq {seq!r} is not a whole number")
    if not measure.strip():
        raise DataFileError(f"{where}: measure is empty")
    return PortionRow(
        seq=int(seq),
        amount=parse_number(amount, where=where, column="amount", positive=True),
        measure=clip(measure, MEASURE_MAX),
        gram_weight=parse_number(gram_weight, where=where, column="gram_weight"),
    )


def require_unique_seq(portions: list[PortionRow], where: str) -> None:
    seqs = [portion.seq for portion in portions]
    if len(seqs) != len(set(seqs)):
        raise DataFileError(f"{where}: duplicate portion seq")


def read_fdc(folder: Path, only_ids: set[str] | None, track: Callable) -> UsdaData:
    categories = {
        row["id"].strip(): row["description"].strip()
        for _, row in read_rows(folder / "food_category.csv", ("id", "description"))
    }
    units = {row["id"].strip(): row["name"].strip() for _, row in read_rows(folder / "measure_unit.csv", ("id", "name"))}
    check_fdc_nutrient_units(folder)
    all_foods = {}
    for line, row in track(read_rows(folder / "food.csv", ("fdc_id", "data_type", "description", "food_category_id")), "food.csv"):
        fdc_id = row["fdc_id"].strip()
        if not fdc_id.isdigit() or fdc_id in all_foods:
            raise DataFileError(f"food.csv line {line}: {'duplicate' if fdc_id in all_foods else 'invalid'} fdc_id {fdc_id!r}")
        all_foods[fdc_id] = FoodRow(
            name=clip(row["description"], NAME_MAX),
            category=clip(categories.get(row["food_category_id"].strip(), ""), 100),
            is_sr_legacy=row["data_type"].strip() == "sr_legacy_food",
        )
    foods = keep_selected(all_foods, only_ids, "food.csv")
    read_fdc_nutrients(folder, all_foods, foods, track)
    read_fdc_portions(folder, units, all_foods, foods, track)
    return UsdaData(FoodSource.FDC, foods)


def check_fdc_nutrient_units(folder: Path) -> None:
    """The ids we map must measure what our columns store (a renumbered release would not)."""
    for line, row in read_rows(folder / "nutrient.csv", ("id", "name", "unit_name")):
        ranked = FDC_NUTRIENT_RANK.get(row["id"].strip())
        if ranked is None:
            continue
        expected = ranked[0].rsplit("_", 1)[1]
        unit = row["unit_name"].strip().lower().replace("µ", "u")
        if unit != expected:
            raise DataFileError(
                f"nutrient.csv line {line}: nutrient {row['id']} ({row['name']}) is in {row['unit_name']}, "
                f"expected {expected} for {ranked[0]}"
            )


def read_fdc_nutrients(folder: Path, all_foods: dict, foods: dict, track: Callable) -> None:
    """Keep, per food and column, the value of the most preferred FDC nutrient id present."""
    best_rank: dict[tuple[str, str], int] = {}
    for line, row in track(read_rows(folder / "food_nutrient.csv", ("fdc_id", "nutrient_id", "amount")), "food_nutrient.csv"):
        fdc_id, ranked = row["fdc_id"].strip(), FDC_NUTRIENT_RANK.get(row["nutrient_id"].strip())
        where = f"food_nutrient.csv line {line}"
        if fdc_id not in all_foods:
            raise DataFileError(f"{where}: fdc_id {fdc_id!r} is not in food.csv")
        if ranked is None or fdc_id not in foods or not row["amount"].strip():
            continue
        column, rank = ranked
        if rank < best_rank.get((fdc_id, column), len(FDC_NUTRIENT_RANK)):
            best_rank[fdc_id, column] = rank
            foods[fdc_id].nutrients[column] = parse_number(row["amount"], where=where, column="amount")


def read_fdc_portions(folder: Path, units: dict, all_foods: dict, foods: dict, track: Callable) -> None:
    """FDC numbers portions loosely (seq_num may repeat or be empty), so order them and renumber 1..n."""
    columns = ("id", "fdc_id", "seq_num", "amount", "measure_unit_id", "portion_description", "modifier", "gram_weight")
    ordered: dict[str, list[tuple[tuple[int, int], PortionRow]]] = {}
    for line, row in track(read_rows(folder / "food_portion.csv", columns), "food_portion.csv"):
        fdc_id, where = row["fdc_id"].strip(), f"food_portion.csv line {line}"
        if fdc_id not in all_foods:
            raise DataFileError(f"{where}: fdc_id {fdc_id!r} is not in food.csv")
        if fdc_id not in foods:
            continue
        unit = units.get(row["measure_unit_id"].strip(), "undetermined")
        measure = ", ".join(part for part in (unit if unit != "undetermined" else "", row["modifier"].strip()) if part)
        measure = measure or row["portion_description"].strip()
        seq = row["seq_num"].strip()
        portion = portion_row("0", row["amount"].strip() or "1", measure, row["gram_weight"], where)
        sort_key = (int(seq) if seq.isdigit() else 10**6, int(row["id"]) if row["id"].strip().isdigit() else line)
        ordered.setdefault(fdc_id, []).append((sort_key, portion))
    for fdc_id, entries in ordered.items():
        for seq, (_, portion) in enumerate(sorted(entries, key=lambda entry: entry[0]), start=1):
            portion.seq = seq
            foods[fdc_id].portions.append(portion)
