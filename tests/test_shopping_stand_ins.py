"""A curated food that only stands in for the one a line names (SR28 has no quark, rose water or curry leaves):
counted as the stand-in, bought as what the recipe asks for."""

import csv
import io

import pytest
from django.urls import reverse

from meals.models import Food, RecipeIngredient
from meals.nutrition.matching import stand_ins
from meals.services import resolve_ingredient_line
from mealplan.shopping.lists import IngredientUse, build_shopping_list, stand_in_key
from tests.test_web_shopping_lines import SHOPPING_PAGE_QUERIES
from tests.web_factories import make_plan, make_recipe, make_user, small_catalog

COTTAGE_CHEESE = ("01012", "Cheese, cottage, creamed, large or small curd", "Dairy and Egg Products")
SR28 = {
    "01012": COTTAGE_CHEESE[1:],
    "01015": ("Cheese, cottage, lowfat, 2% milkfat", "Dairy and Egg Products"),
    "14411": ("Beverages, water, tap, drinking", "Beverages"),
    "02044": ("Basil, fresh", "Spices and Herbs"),
}


@pytest.fixture
def foods(db):
    return {ndb: Food.objects.create(source="sr28", source_id=ndb, name=name, category=group, energy_kcal=98,
                                     protein_g=11, fat_g=4, carbohydrate_g=3)
            for ndb, (name, group) in SR28.items()}


def use(food_id, grams, text, *, shop_as="", recipe="Dish"):
    return IngredientUse(food_id=food_id, food_name=COTTAGE_CHEESE[1], category=COTTAGE_CHEESE[2], grams=grams,
                         factor=1.0, text=text, recipe_title=recipe, source_id=COTTAGE_CHEESE[0], shop_as=shop_as)


def test_every_stand_in_names_what_to_buy_and_a_curated_food():
    assert len(stand_ins()) >= 60
    assert stand_ins()[("quark",)] == ("01012", "Quark")
    assert all(shop_as.strip() == shop_as and ndb.isdigit() for ndb, shop_as in stand_ins().values())


@pytest.mark.parametrize(("text", "ndb", "shop_as"), [
    ("250 g quark", "01012", "Quark"),
    ("1 tsp rose-water", "14411", "Rose water"),
    ("2 tbsp orange flower water", "14411", "Orange blossom water"),
    ("10 fresh curry leaves", "02044", "Curry leaves"),
    ("1 cup cottage cheese", "01015", ""),
    ("2 cups water", "14411", ""),
    ("1 bunch fresh basil", "02044", ""),
])
def test_the_import_records_what_to_buy_for_a_stand_in_food(foods, text, ndb, shop_as):
    line = resolve_ingredient_line(text)
    assert (line.food.source_id, line.shop_as) == (ndb, shop_as)


def test_the_list_names_quark_merges_quark_lines_and_keeps_real_cottage_cheese_apart():
    shopping = build_shopping_list([
        use(12, 250, "250 g quark", shop_as="Quark", recipe="Cheesecake"),
        use(12, 100, "100 g quark", shop_as="Quark", recipe="Dip"),
        use(12, 200, "200 g cottage cheese", recipe="Salad"),
    ])
    (aisle,) = shopping.aisles
    assert aisle.name == "Dairy & eggs"
    assert [(item.name, item.amount, item.tick) for item in aisle.items] == [
        ("Cottage cheese", "200 g", ("food", "12")), ("Quark", "350 g", ("line", stand_in_key("Quark")))]
    assert shopping.food_ids == {12} and shopping.line_keys == {stand_in_key("Quark")} and shopping.size == 2


@pytest.fixture
def owner(db):
    return make_user("quentin")


@pytest.fixture
def plan(owner, foods):
    """Quark in two recipes of the plan, cottage cheese as itself in a third, all one USDA food."""
    catalog = small_catalog()
    cottage = foods["01012"]
    catalog["porridge"] = make_recipe("Quark porridge", [(cottage, 100, "100 g quark")], meal_types=("breakfast",),
                                      servings=1)
    catalog["onion-soup"] = make_recipe("Quark dip", [(cottage, 250, "250 g quark")], meal_types=("lunch",))
    catalog["chicken-rice"] = make_recipe("Cottage salad", [(cottage, 200, "200 g cottage cheese")])
    RecipeIngredient.objects.filter(original_text__contains="quark").update(shop_as="Quark")
    return make_plan(owner, catalog, days=1)


def test_the_shopping_page_lists_quark_and_cottage_cheese_each_ticked_on_its_own(client, owner, plan, foods):
    client.force_login(owner)
    page = client.get(reverse("shopping-list", args=[plan.pk])).content.decode()
    key, cottage = stand_in_key("Quark"), foods["01012"].pk
    assert f'name="line" value="{key}" id="item-{key}">' in page and f'for="item-{key}" class="inline">Quark<' in page
    assert f'name="food" value="{cottage}" id="item-{cottage}">' in page and ">Cottage cheese<" in page
    assert client.post(reverse("shopping-checks", args=[plan.pk]), {"line": [key]}).status_code == 302
    page = client.get(reverse("shopping-list", args=[plan.pk])).content.decode()
    assert f'id="item-{key}" checked' in page and f'id="item-{cottage}" checked' not in page
    assert "1 of 2 items ticked" in page
    client.post(reverse("shopping-checks", args=[plan.pk]), {"food": [cottage]})
    page = client.get(reverse("shopping-list", args=[plan.pk])).content.decode()
    assert f'id="item-{key}" checked' not in page and f'id="item-{cottage}" checked' in page
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("shopping-csv", args=[plan.pk])).content.decode())))
    assert [(row["item"], row["amount"], row["ticked"]) for row in rows] == [
        ("Cottage cheese", "100 g", "yes"), ("Quark", "300 g", "")]  # 100 g + 250 g × 1.5 of 2 servings, rounded up
    printed = client.get(reverse("shopping-print", args=[plan.pk])).content.decode()
    assert "<s>Cottage cheese</s>" in printed and "<s>Quark</s>" not in printed and "Quark" in printed


@pytest.mark.parametrize("view_name", ["shopping-list", "shopping-print", "shopping-csv"])
def test_stand_ins_add_no_query_to_the_shopping_pages(client, owner, plan, view_name, django_assert_max_num_queries):
    client.force_login(owner)
    with django_assert_max_num_queries(SHOPPING_PAGE_QUERIES[view_name]):
        response = client.get(reverse(view_name, args=[plan.pk]))
    assert "Quark" in response.content.decode()


def test_a_line_without_its_text_names_what_to_buy_not_the_stand_in(foods):
    line = RecipeIngredient(food=foods["01012"], quantity=250, unit="g", shop_as="Quark")
    assert str(line) == "250 g Quark"
    assert str(RecipeIngredient(food=foods["01012"], quantity=250, unit="g")) == f"250 g {foods['01012']}"
