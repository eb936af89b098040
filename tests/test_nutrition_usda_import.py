"""USDA import: both layouts, idempotency, all-or-nothing on bad files."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from meals.importers.usda import UsdaImportError, import_usda
from meals.models import Food, FoodPortion

SHARED_SR28 = Path(settings.BASE_DIR).parent / "shared/data/usda-sr-legacy"

SR28_FILES = {
    "foods.csv": (
        "ndb_no,description,food_group_code,food_group,common_names,in_sr_legacy\n"
        '01123,"Egg, whole, raw, fresh",0100,Dairy and Egg Products,,1\n'
        '04053,"Oil, olive, salad or cooking",0400,Fats and Oils,,1\n'
        '19008,"Snacks, cheese puffs",1900,Sweets,"cheese curls",0\n'
    ),
    "nutrients.csv": "nutrient_id,fdc_nutrient_id,key,name,unit,tagname\n208,1008,energy_kcal,Energy,kcal,ENERC_KCAL\n",
    "food_nutrients.csv": (
        "ndb_no,nutrient_id,amount_per_100g\n"
        "01123,208,143\n01123,203,12.56\n01123,204,9.51\n01123,307,142\n01123,268,599\n"
        "04053,208,884\n04053,204,100\n04053,203,0\n"
        "19008,208,560\n"
    ),
    "portions.csv": (
        "ndb_no,seq,amount,measure,gram_weight,label\n"
        "01123,1,1,large,50,1 large\n01123,2,1,cup (4.86 large eggs),243,1 cup (4.86 large eggs)\n"
        "04053,1,1,tbsp,13.5,1 tbsp\n"
    ),
}


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


@pytest.fixture
def sr28_folder(tmp_path):
    return write_folder(tmp_path / "sr28", SR28_FILES)


@pytest.mark.django_db
def test_sr28_layout_imports_foods_nutrients_and_portions(sr28_folder):
    stats = import_usda(sr28_folder)

    assert (stats.foods_created, stats.portions_created) == (3, 3)
    egg = Food.objects.get(source="sr28", source_id="01123")
    assert (egg.name, egg.category, egg.is_sr_legacy) == ("Egg, whole, raw, fresh", "Dairy and Egg Products", True)
    assert (egg.energy_kcal, egg.protein_g, egg.fat_g, egg.sodium_mg) == (143, 12.56, 9.51, 142)
    assert egg.fiber_g is None, "a nutrient with no row is unknown, not zero"
    assert Food.objects.get(source_id="04053").protein_g == 0, "a recorded zero stays zero"
    assert Food.objects.get(source_id="19008").is_sr_legacy is False
    assert [(p.seq, p.measure, p.gram_weight) for p in egg.portions.all()] == [
        (1, "large", 50), (2, "cup (4.86 large eggs)", 243)
    ]


@pytest.mark.django_db
def test_second_run_changes_nothing_and_edits_are_applied(sr28_folder):
    import_usda(sr28_folder)
    again = import_usda(sr28_folder)
    assert not again.changed
    assert again.foods_unchanged == 3

    files = dict(SR28_FILES)
    files["food_nutrients.csv"] = files["food_nutrients.csv"].replace("01123,208,143", "01123,208,147")
    files["portions.csv"] = files["portions.csv"].replace("01123,2,1,cup (4.86 large eggs),243,1 cup (4.86 large eggs)\n", "")
    edited = import_usda(write_folder(sr28_folder, files))

    assert (edited.foods_updated, edited.foods_unchanged, edited.portions_deleted) == (1, 2, 1)
    assert Food.objects.get(source_id="01123").energy_kcal == 147
    assert FoodPortion.objects.filter(food__source_id="01123").count() == 1


@pytest.mark.django_db
def test_staff_entered_density_survives_reimport(sr28_folder):
    import_usda(sr28_folder)
    Food.objects.filter(source_id="04053").update(density_g_per_ml=0.91)
    import_usda(sr28_folder)
    assert Food.objects.get(source_id="04053").density_g_per_ml == 0.91


@pytest.mark.django_db
def test_only_ids_imports_a_subset_and_rejects_unknown_ids(sr28_folder):
    import_usda(sr28_folder, only_ids={"01123"})
    assert list(Food.objects.values_list("source_id", flat=True)) == ["01123"]

    with pytest.raises(UsdaImportError, match="no food with id 99999"):
        import_usda(sr28_folder, only_ids={"99999"})


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("food_nutrients.csv", "amount_per_100g", "amount", r"food_nutrients.csv line 1: missing column\(s\) amount_per_100g"),
        ("food_nutrients.csv", "04053,204,100", "04053,204,lots", r"food_nutrients.csv line 8: amount_per_100g 'lots' is not a number"),
        ("food_nutrients.csv", "04053,204,100", "04053,204,-1", r"food_nutrients.csv line 8: amount_per_100g '-1' must be 0 or more"),
        ("portions.csv", "04053,1,1,tbsp,13.5,1 tbsp", "04053,1,1,tbsp", r"portions.csv line 4: too few fields"),
        ("food_nutrients.csv", "19008,208,560", "19999,208,560", r"food_nutrients.csv line 10: ndb_no '19999' is not in foods.csv"),
    ],
)
@pytest.mark.django_db
def test_malformed_file_names_file_and_line_and_leaves_database_unchanged(sr28_folder, file, old, new, message):
    import_usda(sr28_folder, only_ids={"01123"})
    before = list(Food.objects.values_list("source_id", "energy_kcal"))
    write_folder(sr28_folder, {file: SR28_FILES[file].replace(old, new)})

    with pytest.raises(UsdaImportError, match=message):
        import_usda(sr28_folder)

    assert list(Food.objects.values_list("source_id", "energy_kcal")) == before
    assert FoodPortion.objects.count() == 2


@pytest.mark.django_db
def test_folder_without_usda_files_is_rejected(tmp_path):
    with pytest.raises(UsdaImportError, match="not a USDA folder"):
        import_usda(tmp_path)


FDC_FILES = {
    "food.csv": (
        "fdc_id,data_type,description,food_category_id,publication_date\n"
        '171287,sr_legacy_food,"Egg, whole, raw, fresh",1,2019-04-01\n'
        '2345678,foundation_food,"Broccoli, raw",11,2023-04-01\n'
    ),
    "food_category.csv": "id,code,description\n1,0100,Dairy and Egg Products\n11,1100,Vegetables and Vegetable Products\n",
    "nutrient.csv": "id,name,unit_name,nutrient_nbr,rank\n1008,Energy,KCAL,208,300\n2047,Energy (Atwater General Factors),KCAL,957,280\n",
    "measure_unit.csv": "id,name\n1000,cup\n9999,undetermined\n",
    "food_nutrient.csv": (
        "id,fdc_id,nutrient_id,amount,data_points,derivation_id,min,max,median,footnote,min_year_acquired\n"
        "1,171287,1008,143,,,,,,,\n2,171287,1003,12.56,,,,,,,\n3,171287,1093,142,,,,,,,\n"
        "4,2345678,2047,39,,,,,,,\n5,2345678,1003,2.57,,,,,,,\n6,2345678,1079,,,,,,,,\n"
    ),
    "food_portion.csv": (
        "id,fdc_id,seq_num,amount,measure_unit_id,portion_description,modifier,gram_weight,data_points,footnote,min_year_acquired\n"
        "11,171287,2,1,9999,,large,50,,,\n10,171287,1,1,9999,,\"cup (4.86 large eggs)\",243,,,\n"
        "12,2345678,,1,1000,,chopped,91,,,\n"
    ),
}


@pytest.mark.django_db
def test_fooddata_central_layout(tmp_path):
    folder = write_folder(tmp_path / "fdc", FDC_FILES)

    stats = import_usda(folder)

    assert stats.foods_created == 2
    egg = Food.objects.get(source="fdc", source_id="171287")
    assert (egg.energy_kcal, egg.protein_g, egg.sodium_mg, egg.is_sr_legacy) == (143, 12.56, 142, True)
    assert [(p.seq, p.measure, p.gram_weight) for p in egg.portions.all()] == [
        (1, "cup (4.86 large eggs)", 243), (2, "large", 50)
    ]
    broccoli = Food.objects.get(source="fdc", source_id="2345678")
    assert broccoli.category == "Vegetables and Vegetable Products"
    assert broccoli.energy_kcal == 39, "Foundation foods report energy under the Atwater id"
    assert broccoli.fiber_g is None
    assert broccoli.portions.get().measure == "cup, chopped"
    assert not import_usda(folder).changed


@pytest.mark.django_db
def test_fdc_missing_column_is_reported(tmp_path):
    files = dict(FDC_FILES, **{"food.csv": FDC_FILES["food.csv"].replace("food_category_id", "category")})
    with pytest.raises(UsdaImportError, match=r"food.csv line 1: missing column\(s\) food_category_id"):
        import_usda(write_folder(tmp_path / "fdc", files))
    assert not Food.objects.exists()


@pytest.mark.django_db
def test_fdc_nutrient_in_another_unit_is_refused(tmp_path):
    files = dict(FDC_FILES, **{"nutrient.csv": FDC_FILES["nutrient.csv"].replace("1008,Energy,KCAL", "1008,Energy,KJ")})
    with pytest.raises(UsdaImportError, match=r"nutrient.csv line 2: nutrient 1008 \(Energy\) is in KJ, expected kcal"):
        import_usda(write_folder(tmp_path / "fdc", files))


@pytest.mark.django_db
def test_command_reports_counts_and_clear_errors(sr28_folder, tmp_path, capsys):
    call_command("import_usda", str(sr28_folder))
    assert "foods 3 created" in capsys.readouterr().out

    with pytest.raises(CommandError, match="not a USDA folder.*nothing was imported"):
        call_command("import_usda", str(tmp_path))


@pytest.mark.skipif(not SHARED_SR28.is_dir(), reason=f"shared USDA data not found at {SHARED_SR28}")
@pytest.mark.django_db
def test_full_sr28_release_imports_with_readme_sanity_values():
    stats = import_usda(SHARED_SR28)

    assert (stats.foods_created, stats.portions_created) == (8789, 15438)
    assert Food.objects.filter(is_sr_legacy=True).count() == 7754
    milk = Food.objects.get(source_id="01077")
    assert (milk.energy_kcal, milk.protein_g, milk.fat_g, milk.carbohydrate_g) == (61, 3.15, 3.25, 4.8)
    assert milk.portions.get(measure="cup").gram_weight == 244
