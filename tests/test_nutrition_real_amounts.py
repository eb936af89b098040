"""Amounts of real USDA SR28 foods (imported from ../shared/data/usda-sr-legacy): the bone a weighed cut of pork
or beef is bought with, and the sizes a food's own portions do not weigh. Skipped without the shared folder, a
failure under CI=true (tests/ci_skips.py)."""

import csv
from pathlib import Path

import pytest
from django.conf import settings

from meals.importers.usda import import_usda
from meals.services import resolve_lines

SHARED_SR28 = Path(settings.BASE_DIR).parent / "shared/data/usda-sr-legacy"
REFUSE_FILE = Path(settings.BASE_DIR) / "meals/data/usda_refuse.csv"
needs_usda = pytest.mark.skipif(not SHARED_SR28.is_dir(), reason=f"shared USDA data not found at {SHARED_SR28}")
POUND = 453.59237
MEAT_GROUPS = {"Poultry Products", "Pork Products", "Beef Products", "Lamb, Veal, and Game Products"}
# The foods these lines are matched to, with neighbours the matcher must not prefer.
FOODS = {"10088", "10207", "10040", "10036", "13227", "10219", "10024", "11282", "11937", "09277", "01123",
         "17070", "17078", "17003"}


@pytest.fixture
def sr28(db):
    import_usda(SHARED_SR28, only_ids=FOODS)


def grams_of(text: str) -> tuple[str | None, float | None]:
    line = resolve_lines([text])[0]
    return (line.food.source_id if line.food else None), line.grams


@needs_usda
def test_every_refuse_row_names_a_real_meat_or_poultry_food_by_its_usda_refuse():
    with SHARED_SR28.joinpath("foods.csv").open(newline="", encoding="utf-8") as handle:
        groups = {row["ndb_no"]: row["food_group"] for row in csv.DictReader(handle)}
    with REFUSE_FILE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {groups.get(row["ndb_no"]) for row in rows} <= MEAT_GROUPS
    for row in rows:
        assert 0 < float(row["bone_percent"]) + float(row["skin_percent"]) < 100
        assert row["usda_refuse"], f"{row['ndb_no']}: USDA's refuse description is the source of the figure"


@needs_usda
def test_a_weight_of_a_cut_sold_on_the_bone_counts_the_meat(sr28):
    ndb, grams = grams_of("2 pounds pork spareribs")
    assert ndb == "10088" and grams == pytest.approx(2 * POUND * 0.70, abs=0.1), "USDA refuse: bone 30 %"
    ndb, grams = grams_of("3 pounds country-style pork ribs")
    assert ndb == "10207" and grams == pytest.approx(3 * POUND * 0.65, abs=0.1), "bone 21 %, connective tissue 14 %"
    ndb, grams = grams_of("2 pounds beef shank")
    assert ndb == "13227" and grams == pytest.approx(2 * POUND * 0.66, abs=0.1), "bone 34 %; the fat is eaten"


@needs_usda
def test_a_weight_of_lamb_on_the_bone_counts_the_meat(sr28):
    """SR28's refuse for lamb (FOOD_DES): a shank is bone and connective tissue for 36 %, loin chops 20 %; meat
    for stew is bought without bone."""
    ndb, grams = grams_of("2 pounds lamb shanks")
    assert ndb == "17070" and grams == pytest.approx(2 * POUND * 0.64, abs=0.1)
    ndb, grams = grams_of("2 pounds lamb loin chops")
    assert ndb == "17078" and grams == pytest.approx(2 * POUND * 0.80, abs=0.1)
    assert grams_of("3 pounds lamb stew meat") == ("17003", pytest.approx(3 * POUND, abs=0.1))


@needs_usda
def test_boneless_meat_and_counted_chops_keep_their_weight(sr28):
    assert grams_of("2 pounds boneless country-style pork ribs") == ("10207", pytest.approx(2 * POUND, abs=0.1))
    assert grams_of("1 pound ground pork") == ("10219", pytest.approx(POUND, abs=0.1))
    assert grams_of("2 pounds pork loin") == ("10024", pytest.approx(2 * POUND, abs=0.1)), "a loin is sold boneless"
    ndb, grams = grams_of("4 bone-in pork chops")
    assert ndb in {"10040", "10036"} and grams < 4 * 259, "USDA's chop portion is already without its bone"
