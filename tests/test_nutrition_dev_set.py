"""The development-set bench: its per-line speed row, and the command's run over a tiny set."""

import csv

import pytest
from django.core.management import call_command

from meals.nutrition.dev_set import speed_row
from tests.test_nutrition_usda_import import SR28_FILES, write_folder


def test_speed_row_gives_wall_and_cpu_median_p95_and_lines_a_second_against_the_target():
    row = speed_row([2.0, 4.0, 4.0, 10.0], [1.0, 2.0, 2.0, 2.0], "PostgreSQL 15.8", "cold")
    assert row.startswith("  parse+match+convert on PostgreSQL 15.8, cold: median 4.0 ms a line (target <= 10 ms)")
    assert "p95 9.1 ms; CPU median 2.0 ms, p95 2.0 ms; 200 lines/s (4 lines timed)" in row
    assert speed_row([], [], "sqlite") == "  parse+match+convert: no lines timed"


@pytest.mark.django_db
def test_dev_set_bench_prints_coverage_accuracy_and_speed(tmp_path, capsys):
    usda = write_folder(tmp_path / "usda", SR28_FILES)
    dev = tmp_path / "recipes.csv"
    with dev.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "ingredients", "calories", "fat", "carbs", "protein", "servings"])
        writer.writerow(["Eggs in oil", "2 large eggs, 1 tablespoon olive oil", "203", "17", "1", "12.6", "1"])

    call_command("bench_nutrition", usda=str(usda), dev_set=str(dev))

    out = capsys.readouterr().out
    assert "coverage >= 0.9: 1 of 1 (100.0 %)" in out
    assert "parse+match+convert on " in out and "first reading of each line" in out and "(cached)" in out
    assert "lines/s (2 lines timed)" in out
