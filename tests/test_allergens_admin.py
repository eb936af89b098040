"""Derived recipe allergens in use: import, the admin's publish confirmation and filters, planner and search."""

from pathlib import Path

import pytest
from django.urls import reverse

from meals.importers.recipe_page import read_recipe
from meals.models import Allergen, Recipe
from meals.selectors import search_recipes
from meals.services import AlreadyPublished, add_ingredient_lines, create_recipe_from_draft
from mealplan.selectors import HardRules, recipes_satisfying
from tests.test_nutrition_admin import catalog, staff_client  # noqa: F401 (fixtures)

PAGES = Path(__file__).parent / "data" / "html"
SOUP_URL = "https://kitchen.example/soup"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def slugs(manager) -> set[str]:
    return {row.slug for row in manager.all()}


def soup(**changes):
    """The imported tomato soup: olive oil, onion, garlic, tomatoes, salt and an unmatched 'unicorn dust'."""
    recipe = create_recipe_from_draft(read_recipe(page("jsonld_tomato_soup.html"), SOUP_URL))
    if changes:
        Recipe.objects.filter(pk=recipe.pk).update(**changes)
        recipe.refresh_from_db()
    return recipe


def omelette(**changes):
    recipe = create_recipe_from_draft(read_recipe(page("microdata_omelette.html"), "https://kitchen.example/omelette"))
    Recipe.objects.filter(pk=recipe.pk).update(**changes)
    recipe.refresh_from_db()
    return recipe


def test_import_derives_allergens_and_flags_the_unmatched_line(catalog):
    recipe = omelette()
    assert slugs(recipe.allergens) == {"eggs"} and not recipe.allergens_unknown
    assert slugs(recipe.diets) == {"vegetarian", "pescatarian", "gluten-free", "dairy-free", "keto"}  # 9 % carbs

    recipe = soup()
    assert recipe.allergens_unknown, "'unicorn dust' matched no food, so it could be anything"
    assert slugs(recipe.diets) == set()


def test_importing_the_same_address_again_updates_the_draft(catalog):
    first = soup()
    Recipe.objects.filter(pk=first.pk).update(title="Edited title")
    again = soup()
    assert again.pk == first.pk and Recipe.objects.count() == 1
    assert again.title == "Simple Tomato Soup" and again.ingredients.count() == 6


def test_importing_a_published_recipe_again_is_refused_and_changes_nothing(catalog):
    first = soup(is_published=True, title="Staff's soup")
    with pytest.raises(AlreadyPublished, match="is published; edit it in the admin"):
        soup()
    first.refresh_from_db()
    assert first.title == "Staff's soup" and Recipe.objects.count() == 1


def test_an_added_allergen_stays_and_a_derived_one_cannot_be_removed(catalog):
    recipe = omelette()
    recipe.added_allergens.add(Allergen.objects.get(slug="mustard"))
    recipe.allergens.remove(Allergen.objects.get(slug="eggs"))  # someone edits the derived set directly
    add_ingredient_lines(recipe, ["1 tbsp olive oil"])  # any change to the lines recomputes
    assert slugs(recipe.allergens) == {"eggs", "mustard"}
    assert "vegan" not in slugs(recipe.diets)


def test_unknown_allergens_hide_a_recipe_from_people_avoiding_any_allergen(catalog):
    soup(is_published=True, is_dinner=True)
    omelette(is_published=True, is_dinner=True)
    milk = Allergen.objects.get(slug="milk")
    avoiding_milk = HardRules(allergen_ids=frozenset({milk.pk}), allergen_names=("Milk",))

    assert {r.title for r in recipes_satisfying(avoiding_milk, "dinner")} == {"Onion Omelette"}
    assert {r.title for r in recipes_satisfying(HardRules(), "dinner")} == {"Onion Omelette", "Simple Tomato Soup"}
    assert [r.title for r in search_recipes(exclude_allergens=[milk])] == ["Onion Omelette"]
    assert len(search_recipes()) == 2


def change_form(recipe, **fields):
    """The change form as the admin posts it, with the recipe's lines posted back unchanged."""
    lines = list(recipe.ingredients.order_by("order"))
    data = {
        "title": recipe.title, "slug": recipe.slug, "description": "", "instructions": "",
        "servings": recipe.servings, "prep_minutes": 0, "cook_minutes": 0, "cost_per_serving": "0",
        "image_url": "", "source_url": recipe.source_url, "is_dinner": "on",
        "ingredients-TOTAL_FORMS": len(lines), "ingredients-INITIAL_FORMS": len(lines),
        "ingredients-MIN_NUM_FORMS": 0, "ingredients-MAX_NUM_FORMS": 1000,
    }
    for index, line in enumerate(lines):
        for name in ("id", "order", "original_text", "quantity", "quantity_max", "unit", "grams", "note", "problem",
                     "food_id", "portion_id", "recipe_id"):
            value = getattr(line, name)
            data[f"ingredients-{index}-{name.removesuffix('_id')}"] = "" if value is None else value
    return {**data, **fields}


def test_ticking_published_on_a_risky_recipe_keeps_it_a_draft_until_confirmed(catalog, staff_client):
    recipe = soup()
    change_url = reverse("admin:meals_recipe_change", args=[recipe.pk])
    response = staff_client.post(change_url, change_form(recipe, is_published="on"), follow=True)
    recipe.refresh_from_db()
    assert not recipe.is_published
    text = response.content.decode()
    assert "was saved as an unpublished draft" in text
    assert "ingredient lines are counted" not in text, "a to-taste line counts 0 g even without a food"
    assert "no food chosen for line 6 “unicorn dust to taste”" in text

    confirm_url = reverse("admin:meals_recipe_publish", args=[recipe.pk])
    page = staff_client.get(confirm_url)
    assert page.status_code == 200 and "Publish anyway" in page.content.decode()
    assert staff_client.post(confirm_url).status_code == 302
    recipe.refresh_from_db()
    assert recipe.is_published


def test_saving_an_already_published_risky_recipe_keeps_it_published(catalog, staff_client):
    recipe = soup(is_published=True)
    response = staff_client.post(reverse("admin:meals_recipe_change", args=[recipe.pk]),
                                 change_form(recipe, is_published="on"), follow=True)
    recipe.refresh_from_db()
    assert recipe.is_published and "unpublished draft" not in response.content.decode()


def test_change_form_names_the_lines_to_fix(catalog, staff_client):
    recipe = soup()
    text = staff_client.get(reverse("admin:meals_recipe_change", args=[recipe.pk])).content.decode()
    assert "Lines to fix" in text and "6. unicorn dust to taste" in text


def test_publish_action_asks_before_publishing_risky_recipes(catalog, staff_client):
    risky, safe = soup(), omelette()
    changelist = reverse("admin:meals_recipe_changelist")
    ids = [risky.pk, safe.pk]

    response = staff_client.post(changelist, {"action": "publish", "_selected_action": ids, "index": 0})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Simple Tomato Soup" in text and "allergens unknown" in text and "Onion Omelette" not in text
    assert not Recipe.objects.filter(is_published=True).exists()

    staff_client.post(changelist, {"action": "publish", "_selected_action": ids, "confirm": "yes"})
    assert Recipe.objects.filter(is_published=True).count() == 2


def test_publish_action_publishes_safe_recipes_at_once(catalog, staff_client):
    safe = omelette()
    changelist = reverse("admin:meals_recipe_changelist")
    response = staff_client.post(changelist, {"action": "publish", "_selected_action": [safe.pk], "index": 0})
    assert response.status_code == 302
    safe.refresh_from_db()
    assert safe.is_published


def test_changelist_filters_for_coverage_and_unknown_allergens(catalog, staff_client):
    soup(nutrition_coverage=0.83), omelette()
    changelist = reverse("admin:meals_recipe_changelist")

    def titles(query):
        response = staff_client.get(changelist, query)
        return {recipe.title for recipe in response.context["cl"].result_list}

    assert titles({"coverage": "low"}) == {"Simple Tomato Soup"}
    assert titles({"coverage": "ok"}) == {"Onion Omelette"}
    assert titles({"allergens_unknown__exact": "1"}) == {"Simple Tomato Soup"}
    assert titles({"allergens_unknown__exact": "0"}) == {"Onion Omelette"}


def test_a_food_corrected_in_the_admin_updates_its_recipes(catalog, staff_client):
    recipe = omelette()
    egg = catalog["01123"]
    data = {"source": egg.source, "source_id": egg.source_id, "name": egg.name, "category": egg.category,
            "common_names": "", "is_sr_legacy": "on", "allergen_slugs": "eggs mustard", "diet_facts": "egg",
            "portions-TOTAL_FORMS": 0, "portions-INITIAL_FORMS": 0, "portions-MIN_NUM_FORMS": 0,
            "portions-MAX_NUM_FORMS": 1000}
    response = staff_client.post(reverse("admin:meals_food_change", args=[egg.pk]), data, follow=True)
    assert "of 1 recipe(s) using it recomputed" in response.text
    assert slugs(recipe.allergens) == {"eggs", "mustard"}

    data["allergen_slugs"] = "eggs cheese"
    response = staff_client.post(reverse("admin:meals_food_change", args=[egg.pk]), data)
    assert response.status_code == 200 and "Unknown allergen cheese" in response.text

