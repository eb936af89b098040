"""The ingredient parser's model is loaded when a web worker starts, not by the first request."""

import os
import subprocess
import sys

LOADED_AFTER_IMPORT = (
    "import config.wsgi\n"
    "from ingredient_parser.en._loaders import load_parser_model\n"
    "print(load_parser_model.cache_info().currsize)\n"
)


def test_importing_the_wsgi_application_loads_the_parser_model():
    result = subprocess.run([sys.executable, "-c", LOADED_AFTER_IMPORT], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"


def test_a_worker_starts_when_its_database_cannot_be_read_yet(tmp_path):
    """The food index waits for the first request then; the parser model is loaded all the same."""
    result = subprocess.run([sys.executable, "-c", LOADED_AFTER_IMPORT], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings",
                                 "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"
    assert "food index not built at start-up" in result.stderr


def test_warm_up_builds_the_food_index_so_the_first_import_reads_no_food_table(db, monkeypatch,
                                                                              django_assert_num_queries):
    from meals.models import Food
    from meals.nutrition import matching
    from meals.nutrition.warmup import warm_up

    Food.objects.create(source="sr28", source_id="01123", name="Egg, whole, raw, fresh", category="Dairy and Egg Products",
                        energy_kcal=143, protein_g=12.56, fat_g=9.51, carbohydrate_g=0.72)
    monkeypatch.setitem(matching._checked, "index", None)
    monkeypatch.setitem(matching._checked, "at", float("-inf"))
    warm_up()
    with django_assert_num_queries(0):
        assert matching.food_index().by_source_id["01123"]
