"""bench_nutrition prints the import time and the accuracy figures on the given data sets."""

import json

import pytest
from django.core.management import call_command

from tests.test_nutrition_usda_import import SR28_FILES, write_folder


@pytest.mark.django_db
def test_bench_reports_import_parse_match_and_recipe_figures(tmp_path, capsys):
    usda = write_folder(tmp_path / "usda", SR28_FILES)
    lines = tmp_path / "lines.csv"
    lines.write_text(
        "text,quantity,quantity_max,unit,ndb_ok\n"
        "2 large eggs,2,,large,01123\n"
        "2 tbsp olive oil,2,,tbsp,04053\n"
        "2-3 eggs,2,3,,01123\n"
        "1 cup olive oil,1,,tbsp,04053\n"
    )
    recipes = tmp_path / "recipes.json"
    recipes.write_text(json.dumps([
        {"title": "Eggs in oil", "servings": 2, "kcal_per_serving": (100 * 143 + 13.5 * 884) / 100 / 2,
         "lines": [{"text": "2 large eggs", "ndb": "01123", "grams": 100},
                   {"text": "1 tbsp olive oil", "ndb": "04053", "grams": 13.5}]},
        {"title": "Too much oil", "servings": 1, "kcal_per_serving": 50,
         "lines": [{"text": "1 tbsp olive oil", "ndb": "04053", "grams": 13.5}]},
    ]))

    call_command("bench_nutrition", usda=str(usda), lines=str(lines), recipes=str(recipes))

    out = capsys.readouterr().out
    assert "USDA import:" in out and "foods 3 created" in out
    assert "exact quantity+unit: 75.0 %" in out
    assert "matched food acceptable: 100.0 %" in out
    assert "Reference recipes within ±5 % kcal/serving: 1 of 2" in out
