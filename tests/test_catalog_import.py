"""import_catalog: a JSON-Lines catalog through the importer's pipeline, idempotent and atomic per recipe."""

import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from meals import services
from meals.importers import catalog
from meals.importers.catalog import CatalogError, CatalogRecord, read_catalog
from meals.management.commands import import_catalog
from meals.models import Recipe, RecipeIngredient
from meals.nutrition.matching import batch_food_reads
from tests.nutrition_catalog import make_catalog

BUNDLED = Path(settings.BASE_DIR) / "meals" / "data" / "catalog" / "publicdomainrecipes.jsonl"


def record(**fields) -> dict:
    base = {"source": "test", "source_id": "omelette", "title": "Cheese Omelette", "servings": 2,
            "prep_minutes": 5, "cook_minutes": 10, "categories": ["eggs"], "meal_types": ["breakfast"],
            "ingredients": ["4 large eggs", "1 tbsp olive oil"], "instructions": ["Beat.", "Fry."],
            "image_url": "https://publicdomainrecipes.com/pix/omelette.webp",
            "source_url": "https://publicdomainrecipes.com/omelette/",
            "attribution": "publicdomainrecipes.com, contributed by someone", "license": "Public domain"}
    return {**base, **fields}


def write(tmp_path, *records, raw_lines=()) -> Path:
    path = tmp_path / "catalog.jsonl"
    path.write_text("\n".join([*(json.dumps(r) for r in records), *raw_lines]) + "\n", encoding="utf-8")
    return path


def rec(**fields) -> CatalogRecord:
    return catalog.record_from(record(**fields), json.dumps(record(**fields)))


@pytest.mark.parametrize(("fields", "kind"), [
    ({"title": "Irish Coffee", "categories": ["drink"]}, "a drink"),
    ({"title": "Bolognese Sauce", "categories": ["italian", "pasta"]}, "a sauce"),
    ({"title": "Pizza Dough", "categories": ["italian"]}, "a dough"),
    ({"title": "Creamy Mashed Potatoes", "categories": ["potato"], "meal_types": ["side"]}, "a side dish"),
    ({"title": "Chicken in Red Wine Vinegar Sauce", "categories": ["chicken"], "meal_types": []}, ""),
    ({"title": "Chicken Satay with Peanut Sauce", "categories": ["chicken"], "meal_types": []}, ""),
    ({"title": "No-knead Pizza Dough", "categories": ["pizza", "dough"], "meal_types": []}, "a dough"),
    ({"title": "Glühwein - mulled wine", "categories": ["drink"], "meal_types": []}, "a drink"),
    ({"title": "Party Mimosa", "categories": ["drink", "breakfast"], "meal_types": ["breakfast"]}, "a drink"),
    ({"title": "Hummus", "categories": ["spread", "snack"], "meal_types": ["snack"]}, "a spread"),
    ({"title": "Ricotta lasagna filling", "categories": ["italian", "cheese"], "meal_types": []}, "a filling"),
    ({"title": "Croutons", "categories": ["french", "salad"], "meal_types": []}, "a topping"),
    # a dough, batter or jam tag on a dish made of one
    ({"title": "No-knead Bread", "categories": ["bread", "dough"], "meal_types": []}, ""),
    ({"title": "Crostata", "categories": ["cake", "dessert", "jam"], "meal_types": ["dessert"]}, ""),
    ({"title": "Limoncini", "categories": ["baking", "dough"], "meal_types": ["dessert"]}, ""),
    ({"title": "Limoncini", "categories": ["baking", "dough"], "meal_types": []}, "a dough"),
    # spreads by name, of one word or several; a dish made with one is that dish
    ({"title": "Liver Pate", "categories": ["pate", "liver"], "meal_types": []}, "a spread"),
    ({"title": "Dulce de Leche", "categories": ["milk", "slowcooked"], "meal_types": []}, "a spread"),
    ({"title": "Dulce de Leche Cake", "categories": ["cake"], "meal_types": []}, ""),
    ({"title": "Pâté Chinois", "categories": ["beef", "pie"], "meal_types": []}, ""),
    # a soup or stew tag names a dish whatever other tags say, but not against the title's head noun
    ({"title": "Russian Okroshka", "categories": ["spread", "soup"], "meal_types": []}, ""),
    ({"title": "Chicken Stock", "categories": ["soup", "stock"], "meal_types": []}, "a stock"),
])
def test_drinks_sauces_and_sides_are_not_meals_but_a_dish_in_a_sauce_is(fields, kind):
    assert catalog.not_a_meal(rec(**fields)) == kind


@pytest.mark.parametrize(("fields", "meal_types"), [
    ({"meal_types": ["dessert"]}, ("snack",)),
    ({"meal_types": ["breakfast", "dessert"]}, ("breakfast", "snack")),
    ({"meal_types": [], "title": "Beef Goulash", "categories": ["beef", "stew"]}, ("lunch", "dinner")),
    ({"meal_types": [], "title": "Oatmeal Pancakes", "categories": []}, ("breakfast",)),
    ({"meal_types": [], "title": "Lemon Pudding", "categories": ["sweet"]}, ("snack",)),
    ({"meal_types": [], "title": "Zarangollo", "categories": ["spanish", "quick"]}, ()),
    ({"meal_types": [], "title": "Italian Bread", "categories": ["bread"]}, ("snack",)),
    ({"meal_types": [], "title": "Potato sourdough bread", "categories": ["bread", "potato"]}, ("snack",)),
    ({"meal_types": [], "title": "Mexican Meat Loaf", "categories": ["beef"]}, ("lunch", "dinner")),
    ({"meal_types": [], "title": "Greek Yogurt", "categories": ["basic"]}, ("breakfast",)),
    ({"meal_types": [], "title": "Turkish Yogurt Soup", "categories": ["soup"]}, ("lunch", "dinner")),
    ({"meal_types": [], "title": "Frittata", "categories": ["eggs"]}, ("breakfast", "lunch", "dinner")),
])
def test_meal_types_come_from_the_record_else_from_tags_and_title(fields, meal_types):
    assert catalog.meal_types_for(rec(**fields)) == meal_types


@pytest.mark.parametrize(("protein_share", "meal_types"), [(0.25, ("lunch", "dinner")), (0.08, ("snack",)),
                                                           (None, ())])
def test_without_a_cue_the_share_of_energy_from_protein_decides(protein_share, meal_types):
    zarangollo = rec(meal_types=[], title="Zarangollo", categories=["spanish"])
    assert catalog.meal_types_for(zarangollo, protein_share) == meal_types


def test_decide_reads_the_protein_share_only_when_most_lines_are_weighed():
    zarangollo = rec(meal_types=[], title="Zarangollo", categories=["spanish"])
    assert catalog.decide(zarangollo, total_kcal=2000, coverage=1.0, unresolved=0, protein_g=150).meal_types == (
        "lunch", "dinner")
    unsure = catalog.decide(zarangollo, total_kcal=2000, coverage=0.5, unresolved=2, protein_g=150)
    assert unsure.meal_types == () and "meal type unknown" in unsure.review


def test_time_from_the_record_or_estimated_from_lines_and_steps():
    assert catalog.minutes_for(rec(prep_minutes=10, cook_minutes=None, total_minutes=45)) == (10, 35, False)
    estimated = rec(prep_minutes=None, cook_minutes=None, total_minutes=None,
                    ingredients=["a"] * 6, instructions=["Simmer for 20-25 minutes.", "Bake 1 hour.", "Serve."])
    assert catalog.minutes_for(estimated) == (12, 85, True)


def test_a_stated_cook_time_of_hours_the_steps_do_not_bear_out_is_estimated_from_the_steps():
    waffles = rec(prep_minutes=15, cook_minutes=600, total_minutes=615,
                  instructions=["Cream the butter and sugar.", "Place in a hot waffle iron and bake 3-4 minutes."])
    assert catalog.minutes_for(waffles) == (15, 4, True)  # "Cook time: 10 hours" was a slip for minutes
    from_total = rec(prep_minutes=15, cook_minutes=None, total_minutes=615, instructions=["Bake in a waffle iron."])
    assert catalog.minutes_for(from_total) == (15, 0, True)


@pytest.mark.parametrize("steps", [
    ["Simmer for 20 minutes.", "Keep mixing for approximately two hours."],  # hours in words
    ["Let the dough rise.", "Bake 30 minutes."],
    ["Put it in the slow cooker on low."],
    ["Let it sit on low heat. The longer the better."],
    ["Simmer for 40 minutes.", "Bake 1 hour."],  # a quarter or more of the stated time
])
def test_a_stated_cook_time_of_hours_the_steps_bear_out_is_kept(steps):
    assert catalog.minutes_for(rec(prep_minutes=10, cook_minutes=240, instructions=steps)) == (10, 240, False)
    short = rec(prep_minutes=10, cook_minutes=90, instructions=["Fry."])  # under LONG_COOK_MINUTES: as stated
    assert catalog.minutes_for(short) == (10, 90, False)


def test_missing_servings_are_estimated_from_energy_only_when_most_lines_are_weighed():
    dinner = rec(servings=None, meal_types=["dinner"])
    decided = catalog.decide(dinner, total_kcal=2400, coverage=1.0, unresolved=0)
    assert decided.servings == 4 and decided.publish
    assert "servings estimated" in decided.estimated[0]
    unsure = catalog.decide(dinner, total_kcal=2400, coverage=0.5, unresolved=3)
    assert unsure.servings is None and not unsure.publish
    assert unsure.review == ("servings missing", "unresolved lines: 3 (coverage 50%)")


@pytest.mark.parametrize(("fields", "servings", "uncertain"), [
    ({"servings": 4, "yield_text": "4"}, 4, False),
    ({"servings": 6, "yield_text": "6-8 people"}, 7, True),  # the field holds the range's first number
    ({"servings": 8, "yield_text": "8 bowls"}, 8, False),
    ({"servings": 1, "yield_text": "1 cake"}, 12, True),  # the servings field copied the count of cakes
    ({"servings": 4, "yield_text": "4 patties"}, 4, True),
    ({"servings": 8, "yield_text": "8-12 slices"}, 10, True),
    ({"servings": 2, "yield_text": "2 litres"}, 4, True),  # says nothing: estimated from 2,400 kcal of dinner
    ({"servings": 10, "yield_text": "10 breads"}, 4, True),
    ({"servings": None, "yield_text": None}, 4, True),
])
def test_servings_are_the_records_only_when_its_yield_counts_servings(fields, servings, uncertain):
    decided = catalog.decide(rec(meal_types=["dinner"], **fields), total_kcal=2400, coverage=1.0, unresolved=0)
    assert (decided.servings, decided.servings_uncertain) == (servings, uncertain)
    assert decided.publish
    assert not uncertain or any(note.startswith("servings") for note in decided.estimated)


def test_an_imported_recipe_with_servings_by_a_rule_is_marked_uncertain(foods, tmp_path):
    call_command("import_catalog", write(tmp_path, record(servings=1, yield_text="1 pie"),
                                         record(source_id="sure", servings=2, yield_text="2 servings")),
                 "--no-progress", verbosity=0)
    pie, sure = Recipe.objects.get(source_id="omelette"), Recipe.objects.get(source_id="sure")
    assert (pie.servings, pie.servings_uncertain, sure.servings, sure.servings_uncertain) == (8, True, 2, False)
    assert "Estimated: servings from the yield: the yield '1 pie' is not in servings" in pie.review_notes


@pytest.mark.parametrize(("weighed", "assumed", "meal_types", "servings"), [
    (1200, 200, ("lunch",), 3),  # 1200 + 3 x 200 = 3 x 600
    (525, 109, ("breakfast",), 2),
    (100, 0, (), 1),
    (1200, 400, ("lunch",), None),  # the assumed foods would be most of a serving
    (0, 100, ("lunch",), None),  # nothing weighed: nothing to scale by
])
def test_servings_for_lines_without_an_amount_make_a_typical_serving_of_energy(weighed, assumed, meal_types,
                                                                               servings):
    assert catalog.servings_with_assumed(weighed, assumed, meal_types) == servings


def test_a_recipe_whose_energy_is_mostly_assumed_amounts_is_kept_for_review():
    decided = catalog.decide(rec(), total_kcal=1000, coverage=1.0, unresolved=0, assumed_kcal=600)
    assert not decided.publish and decided.review == ("amounts assumed: 60% of the energy",)
    assert catalog.decide(rec(), total_kcal=1000, coverage=1.0, unresolved=0, assumed_kcal=400).publish


@pytest.mark.parametrize(("kcal", "servings", "meal_types", "reason"), [
    (3600, 1, ["breakfast"], "energy a serving implausible: 3600 kcal (expected 68-1350)"),  # a whole cake
    (120, 4, ["lunch"], "energy a serving implausible: 30 kcal (expected 90-1800)"),
    (2400, 4, ["lunch"], None),
])
def test_an_implausible_energy_a_serving_is_kept_for_review(kcal, servings, meal_types, reason):
    decided = catalog.decide(rec(servings=servings, meal_types=meal_types), total_kcal=kcal, coverage=1.0,
                             unresolved=0)
    assert decided.review == ((reason,) if reason else ())


@pytest.mark.parametrize(("fields", "kcal", "servings"), [
    # 6,658 kcal of challah: "2-4" are loaves (30 servings of 222 kcal), not 3 servings of 2,219 kcal
    ({"title": "Challah Bread", "categories": ["bread"], "yield_text": "2-4", "servings": 2}, 6658, 30),
    ({"title": "Pound Cake", "categories": ["dessert"], "yield_text": None, "servings": 1}, 4800, 12),
])
def test_a_bare_count_on_a_bread_or_cake_too_large_as_servings_counts_the_wholes(fields, kcal, servings):
    decided = catalog.decide(rec(meal_types=["snack"], **fields), total_kcal=kcal, coverage=1.0, unresolved=0)
    assert (decided.servings, decided.servings_uncertain, decided.publish) == (servings, True, True)
    assert any("too large a serving" in note for note in decided.estimated)


def test_a_bare_count_on_a_batch_of_items_too_large_as_servings_is_replaced_by_an_estimate():
    # 5,380 kcal of chocolate chip cookies, "4": not 4 servings (or cookies) of 1,345 kcal; 22 of 245 kcal
    cookies = rec(title="Chocolate Chip Cookies", categories=["dessert", "cookies"], meal_types=["dessert"],
                  servings=4, yield_text="4")
    decided = catalog.decide(cookies, total_kcal=5380, coverage=1.0, unresolved=0)
    assert (decided.servings, decided.servings_uncertain, decided.publish) == (22, True, True)
    assert any("items makes a serving too large" in note for note in decided.estimated)
    soup = rec(title="Tomato Soup", categories=["soup"], meal_types=["lunch"], servings=1, yield_text="1")
    assert not catalog.decide(soup, total_kcal=2400, coverage=1.0, unresolved=0).publish  # a soup is no batch


def test_a_bare_count_on_a_batch_of_items_too_small_as_servings_is_replaced_by_an_estimate_when_weighed():
    # 2,441 kcal of potato vareniki, "45": 45 dumplings, not 45 servings of 54 kcal; 4 of 610 kcal
    vareniki = rec(title="Ukrainian Vareniki", categories=["ukrainian", "potato"], meal_types=[], servings=45,
                   yield_text="45")
    decided = catalog.decide(vareniki, total_kcal=2441, coverage=1.0, unresolved=0)
    assert (decided.servings, decided.servings_uncertain, decided.publish) == (4, True, True)
    assert any("items makes a serving too small" in note for note in decided.estimated)
    # with most lines unweighed the small serving says nothing: the stated count stays, for review
    assert catalog.decide(vareniki, total_kcal=900, coverage=0.5, unresolved=4).servings == 45
    soup = rec(title="Tomato Soup", categories=["soup"], meal_types=["lunch"], servings=12, yield_text="12")
    assert catalog.decide(soup, total_kcal=828, coverage=1.0, unresolved=0).servings == 12  # a soup is no batch


@pytest.mark.parametrize(("fields", "kcal"), [
    ({"title": "Banana Bread", "categories": ["bread"], "yield_text": "4 servings"}, 5380),  # says servings
    ({"title": "Challah Bread", "categories": ["bread"], "yield_text": "1"}, 9000),  # 10 slices of 900 kcal
])
def test_other_counts_too_large_as_servings_stay_for_review(fields, kcal):
    decided = catalog.decide(rec(meal_types=["snack"], servings=1, **fields), total_kcal=kcal, coverage=1.0,
                             unresolved=0)
    assert not decided.publish and decided.review[0].startswith("energy a serving implausible")


@pytest.mark.parametrize(("steps", "notes", "servings"), [
    (["Cook for 45 minutes.", "Serve. (Serves 4-6)"], "", 5), ([], "Yield: 4 servings", 4),
    (["Makes 24 cookies."], "", None), (["Serve hot."], "", None), (["Bake 40 minutes at 180 degrees."], "", None),
])
def test_servings_written_in_the_steps_or_notes_count_when_the_record_states_none(steps, notes, servings):
    record = rec(servings=None, yield_text=None, instructions=steps, notes=notes)
    guess = catalog.servings_guess(record)
    assert (guess.servings if guess else None) == servings and (guess is None or guess.uncertain)
    stated = rec(servings=2, yield_text="2", instructions=["Serve. (Serves 4-6)"])
    assert catalog.stated_servings(stated) == 2  # the servings field wins


def test_estimated_servings_go_up_to_two_dozen_a_batch():
    # a 9,639 kcal plum pudding for dessert: 24 servings of 402 kcal (at most 12 made them 803 kcal, too large)
    decided = catalog.decide(rec(servings=None, meal_types=["dessert"]), total_kcal=9639, coverage=1.0, unresolved=0)
    assert (decided.servings, decided.publish) == (24, True)


@pytest.mark.parametrize(("line", "expected"), [
    ("2 tomatoes per person", ("2 tomatoes", True)),
    ("Around 120g of ground beef per serving", ("Around 120g of ground beef", True)),
    ("1 head garlic", ("1 head garlic", False)),
    ("2 personal pizzas", ("2 personal pizzas", False)),
])
def test_a_line_per_person_is_read_without_those_words(line, expected):
    assert catalog.per_diner(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("1/4 stick of butter per chicken breast", ("1/4 stick of butter", "chicken breast")),
    ("Onions (4g per sausage)", ("Onions (4g)", "sausage")),
    ("Eggs (~1 egg per 500g chicken, plus 3-5 for the breading)",
     ("Eggs (~1 egg per 500g chicken, plus 3-5 for the breading)", "")),  # a ratio, no item
    ("Milk (to soak the bread, 2 cups per 16 torrijas approx.)",
     ("Milk (to soak the bread, 2 cups per 16 torrijas approx.)", "")),
    ("2 tomatoes", ("2 tomatoes", "")),
    ("Vegetables per your choice, recommendations include:",
     ("Vegetables per your choice, recommendations include:", "")),
    ("Egg whites separated from the yolks above", ("1 egg white", "egg yolk")),  # one white per yolk counted
    ("yolks of the whites above", ("1 egg yolk", "egg white")),
    ("Egg whites of the eggs above", ("Egg whites of the eggs above", "")),  # in the eggs already: not so
])
def test_a_line_per_item_is_read_without_those_words(line, expected):
    assert catalog.per_item(line) == expected


def test_an_amount_per_item_counts_for_every_item_another_line_counts(foods, tmp_path):
    lines = ["Boneless skinless chicken breasts", "1 tbsp olive oil per chicken breast", "1 tsp salt per potato"]
    call_command("import_catalog", write(tmp_path, record(servings=None, ingredients=lines)), "--no-progress",
                 verbosity=0)
    breasts, oil, salt = Recipe.objects.get(source_id="omelette").ingredients.order_by("order")
    assert (float(breasts.quantity), oil.original_text, float(oil.quantity), oil.grams) == (
        2, "1 tbsp olive oil", 2, 27)  # two breasts: the least "breasts" says
    assert "per chicken breast: × 2" in oil.note
    assert (salt.original_text, float(salt.quantity)) == ("1 tsp salt", 1)  # no line counts potatoes: once


@pytest.mark.parametrize(("quantity", "unit", "others", "grams"), [
    (200, "", ["g", "g", "kg"], True),  # "200 yogurt" beside "300 g flour"
    (200, "", ["g", "cup"], False), (200, "", ["g"], False), (12, "", ["g", "g"], False),
    (200, "cup", ["g", "g"], False),
    (200, "", ["g", "g", "clove", "pinch", "tsp"], True), (200, "", ["g", "g", "ml"], False),
])
def test_a_large_bare_count_in_a_recipe_weighed_in_grams_is_grams(quantity, unit, others, grams):
    assert catalog.unwritten_grams(quantity, unit, others) is grams


def test_an_import_reads_grams_left_unwritten(foods, tmp_path):
    lines = ["250 flour", "100 g onions", "200 g tomatoes"]
    call_command("import_catalog", write(tmp_path, record(ingredients=lines)), "--no-progress", verbosity=0)
    flour = Recipe.objects.get(source_id="omelette").ingredients.get(order=0)
    assert (flour.unit, flour.grams, flour.problem) == ("g", 250, "")


def test_an_amount_per_person_counts_for_every_serving(foods, tmp_path):
    lines = ["2 large eggs per person", "1 tbsp olive oil"]
    call_command("import_catalog", write(tmp_path, record(servings=3, ingredients=lines)), "--no-progress",
                 verbosity=0)
    eggs = Recipe.objects.get(source_id="omelette").ingredients.get(order=0)
    assert (eggs.original_text, eggs.quantity, eggs.grams) == ("2 large eggs", 6, 300)
    assert "per person: × 3 servings" in eggs.note


def test_a_bad_file_names_every_bad_line(tmp_path):
    path = write(tmp_path, record(), record(title=""), raw_lines=["{not json", json.dumps(record())])
    with pytest.raises(CatalogError) as error:
        read_catalog(path)
    assert [number for number, _ in error.value.errors] == [2, 3, 4]
    assert "same source and id as line 1" in str(error.value)


def test_the_bundled_catalog_reads_and_its_images_are_exactly_the_allowed_hosts():
    records = read_catalog(BUNDLED)
    assert len(records) == 406
    hosts = {r.image_url.split("/")[2] for r in records if r.image_url}
    assert hosts == set(settings.RECIPE_IMAGE_HOSTS)
    assert all(r.image_url.startswith("https://") for r in records if r.image_url)


@pytest.fixture
def foods(db):
    return make_catalog()


def test_import_publishes_a_decided_recipe_with_source_and_nutrition(foods, tmp_path):
    call_command("import_catalog", write(tmp_path, record()), "--no-progress", verbosity=0)

    recipe = Recipe.objects.get(source="test", source_id="omelette")
    assert recipe.is_published and not recipe.needs_review
    assert (recipe.is_breakfast, recipe.is_lunch, recipe.servings, recipe.total_minutes) == (True, False, 2, 15)
    assert recipe.attribution == "publicdomainrecipes.com, contributed by someone"
    assert recipe.nutrition_coverage == 1
    assert recipe.energy_kcal == pytest.approx((200 * 1.43 + 13.5 * 8.84) / 2, abs=0.01)


def test_undecided_recipes_stay_unpublished_with_reasons_in_the_report(foods, tmp_path, capsys):
    path = write(tmp_path, record(source_id="mystery", title="Zarangollo", meal_types=[], categories=[],
                                  servings=None, ingredients=["4 large eggs", "Half a squash", "2 cups asdf qwerty"]),
                 record(source_id="tea", title="Assam Tea", categories=["drink"]))
    call_command("import_catalog", path, "--no-progress")

    mystery = Recipe.objects.get(source_id="mystery")
    assert not mystery.is_published and mystery.needs_review
    assert "Needs review: meal type unknown." in mystery.review_notes
    assert "Half a squash" in [line.original_text for line in mystery.ingredients.all() if line.problem]
    tea = Recipe.objects.get(source_id="tea")
    assert not tea.is_published and not tea.needs_review and tea.review_notes.startswith("Not a meal: a drink")
    out = capsys.readouterr().out
    assert "Published: 0" in out and "Not meals (unpublished): 1 (a drink 1)" in out
    assert "mystery: servings missing; meal type unknown; unresolved lines: 2 (coverage 33%)" in out


@pytest.mark.parametrize(("servings", "flour_grams", "published"), [(2, 60, True), (None, 60, True), (8, 240, False)])
def test_a_main_food_without_an_amount_counts_a_typical_serving_per_diner(foods, tmp_path, servings, flour_grams,
                                                                           published):
    lines = ["4 large eggs", "2 tbsp olive oil", "flour"]
    call_command("import_catalog", write(tmp_path, record(servings=servings, ingredients=lines)), "--no-progress",
                 verbosity=0)

    recipe = Recipe.objects.get(source_id="omelette")
    flour = recipe.ingredients.get(original_text="flour")
    assert (flour.grams, flour.problem, recipe.nutrition_coverage) == (flour_grams, "", 1)
    assert "30 g a serving" in flour.note
    assert (recipe.servings, recipe.is_published) == (servings or 2, published)
    assert published or "Needs review: amounts assumed: 62% of the energy." in recipe.review_notes


def test_a_second_run_changes_nothing_and_a_changed_record_is_updated(foods, tmp_path):
    path = write(tmp_path, record(), record(source_id="other", title="Fried Eggs"))
    call_command("import_catalog", path, "--no-progress", verbosity=0)
    before = {r.pk: (r.updated_at, [line.pk for line in r.ingredients.all()]) for r in Recipe.objects.all()}

    call_command("import_catalog", path, "--no-progress", verbosity=0)
    assert {r.pk: (r.updated_at, [line.pk for line in r.ingredients.all()]) for r in Recipe.objects.all()} == before

    call_command("import_catalog", write(tmp_path, record(ingredients=["2 large eggs"]),
                                         record(source_id="other", title="Fried Eggs")), "--no-progress", verbosity=0)
    changed = Recipe.objects.get(source_id="omelette")
    assert changed.pk in before and [line.original_text for line in changed.ingredients.all()] == ["2 large eggs"]
    assert Recipe.objects.count() == 2


def test_a_failing_recipe_leaves_nothing_and_the_others_are_imported(foods, tmp_path, monkeypatch, capsys):
    real = services.link_tags

    def fail_for_pie(recipe, *args, **kwargs):  # after the recipe and its lines were written
        if recipe.source_id == "pie":
            raise RuntimeError("disk full")
        return real(recipe, *args, **kwargs)

    monkeypatch.setattr(services, "link_tags", fail_for_pie)
    call_command("import_catalog", write(tmp_path, record(source_id="pie", title="Egg Pie"), record()), "--no-progress")

    assert list(Recipe.objects.values_list("source_id", flat=True)) == ["omelette"]
    assert not RecipeIngredient.objects.filter(recipe__source_id="pie").exists()
    assert "failed, nothing written: pie: RuntimeError: disk full" in capsys.readouterr().out


def test_a_bad_file_is_refused_and_nothing_is_written(foods, tmp_path):
    with pytest.raises(CommandError, match=r"line 2: not JSON .*nothing was imported"):
        call_command("import_catalog", write(tmp_path, record(), raw_lines=["{"]), "--no-progress")
    assert not Recipe.objects.exists()


def test_admin_filters_the_recipes_that_need_review_by_reason(foods, tmp_path, admin_client):
    path = write(tmp_path, record(), record(source_id="mystery", title="Zarangollo", meal_types=[], categories=[],
                                            ingredients=["4 large eggs", "2 cups zarangollo mix"]),
                 record(source_id="tea", title="Assam Tea", categories=["drink"]))
    call_command("import_catalog", path, "--no-progress", verbosity=0)

    def listed(review: str) -> set[str]:
        response = admin_client.get("/admin/meals/recipe/", {"review": review})
        return {r.source_id for r in response.context["cl"].result_list}

    assert listed("any") == listed("meal-type") == {"mystery"}
    assert listed("servings") == set()
    assert listed("not-a-meal") == {"tea"}


def test_bench_planner_plans_from_the_real_catalog_by_default(db, tmp_path):
    out = io.StringIO()
    call_command("bench_planner", "--catalog", write(tmp_path, record()), "--usda", tmp_path / "no-usda",
                 "--profiles", "3", "--reference-time-limit", "0", stdout=out)
    report = out.getvalue()
    assert "Catalog: 65 published recipes (the demo's and 1 of 1 from catalog.jsonl)" in report
    assert "Distinct recipes per 7-day plan: median" in report
    assert not Recipe.objects.exists()  # rolled back


def test_bench_planner_varies_only_the_demo_recipes_whatever_else_the_database_holds(db):
    Recipe.objects.create(title="Unread", slug="unread", servings=2, is_published=True, source="elsewhere",
                          source_id="1").ingredients.create(original_text="1 pinch of unknown")
    out = io.StringIO()
    call_command("bench_planner", "--recipes", "130", "--profiles", "2", "--reference-time-limit", "0", stdout=out)
    assert "Catalog: 130 synthetic recipes from the demo foods" in out.getvalue()
    assert Recipe.objects.get(slug="unread").is_published  # rolled back


def test_a_batch_reads_each_matched_food_once_with_its_portions(foods, django_assert_num_queries):
    with batch_food_reads():
        services.resolve_lines(["1 onion", "1 tbsp olive oil"])
        with django_assert_num_queries(0):
            lines = services.resolve_lines(["2 onions", "1 large onion", "2 tbsp olive oil"])
    assert [line.grams for line in lines] == [220, 150, 27]


def test_a_new_record_of_a_run_takes_its_writes_and_no_read(foods, django_assert_max_num_queries):
    first, second = rec(), rec(source_id="fried", title="Fried Eggs")
    lookups = services.CatalogLookups.read([first, second])
    with batch_food_reads():
        services.import_catalog_record(first, lookups=lookups)  # reads the foods
        with django_assert_max_num_queries(6):  # savepoint, recipe, lines, allergens, diets, release
            outcome = services.import_catalog_record(second, lookups=lookups)
    recipe = Recipe.objects.get(source_id="fried")
    assert outcome.status == "created" and recipe.ingredients.count() == 2
    assert {a.slug for a in recipe.allergens.all()} == {"eggs"} and recipe.diets.filter(slug="vegetarian").exists()
    assert recipe.energy_kcal == pytest.approx((200 * 1.43 + 13.5 * 8.84) / 2, abs=0.01)


def test_the_report_names_foods_without_a_shopper_name_and_can_list_the_catalogs_foods(foods, tmp_path):
    out, listed = io.StringIO(), tmp_path / "foods.csv"
    call_command("import_catalog", write(tmp_path, record()), "--no-progress", "--write-foods", listed, stdout=out)
    assert "Foods used: 2; without a reviewed shopper name and aisle" in out.getvalue()
    assert listed.read_text().splitlines()[1:] == ['01123,"Egg, whole, raw, fresh",Dairy and Egg Products',
                                                   '04053,"Oil, olive, salad or cooking",Fats and Oils']


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # forked workers see committed rows only
def test_lines_read_in_worker_processes_are_those_read_here(monkeypatch):
    make_catalog()
    lines = ["4 large eggs", "1 tbsp olive oil", "2 cups flour", "-3 cups milk", "1 onion", "4 large eggs"]
    here = services.read_lines(lines)
    read_here, real = [], services.read_line
    monkeypatch.setattr(services, "read_line", lambda text: read_here.append(text) or real(text))
    monkeypatch.setattr(services, "PARALLEL_MIN_LINES", 1)
    counted = []
    in_workers = services.read_lines(lines, workers=2, progress=counted.append)

    assert read_here == []  # each worker appended to its own copy
    assert counted == [1] * 5

    assert list(in_workers) == list(here) == list(dict.fromkeys(lines))
    assert {text: entry for text, entry in in_workers.items() if not isinstance(entry, Exception)} == \
        {text: entry for text, entry in here.items() if not isinstance(entry, Exception)}
    assert str(in_workers["-3 cups milk"]) == str(here["-3 cups milk"]) and isinstance(here["-3 cups milk"], ValueError)
    assert Recipe.objects.count() == 0  # the database is usable after the workers


def test_an_import_resolves_its_lines_from_those_read_before(foods, tmp_path, monkeypatch):
    read = services.read_lines(["4 large eggs", "1 tbsp olive oil"])
    monkeypatch.setattr(import_catalog, "read_lines", lambda lines, workers, progress: read)
    monkeypatch.setattr(services, "read_entry", lambda text: pytest.fail(f"{text!r} read again"))
    call_command("import_catalog", write(tmp_path, record()), "--no-progress", verbosity=0)
    assert Recipe.objects.get(source_id="omelette").nutrition_coverage == 1
