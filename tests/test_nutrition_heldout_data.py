"""The held-out labelled lines (tests/data/heldout_lines.csv) use the documented units and real USDA foods."""

import csv
from pathlib import Path


from tests.test_data_sets import UNITS, USDA, needs_usda

HELDOUT = Path(__file__).parent / "data" / "heldout_lines.csv"


def rows():
    with HELDOUT.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_held_out_line_has_an_amount_a_documented_unit_and_a_food():
    found = rows()
    assert list(found[0]) == ["text", "quantity", "quantity_max", "unit", "ndb_ok"]
    for row in found:
        assert row["unit"] in UNITS, row
        assert row["ndb_ok"].split(), row
        if row["quantity_max"]:
            assert float(row["quantity_max"]) > float(row["quantity"]), row


@needs_usda
def test_every_held_out_food_is_a_real_sr28_food():
    with open(USDA / "foods.csv", newline="", encoding="utf-8") as handle:
        known = {row["ndb_no"] for row in csv.DictReader(handle)}
    assert [row for row in rows() if set(row["ndb_ok"].split()) - known] == []

