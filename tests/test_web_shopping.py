"""Shopping list: aggregation arithmetic, the page, ticks that persist, CSV and print."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from meals.models import Food
from meals.models import FoodPortion, Recipe
from mealplan import selectors
from mealplan.models import MealPortion, Profile
from mealplan.shopping.lists import IngredientUse, build_shopping_list, friendly_amount
from tests.web_factories import add_plan_member, make_plan, make_user, small_catalog


def use(food_id, grams, factor=1.0, *, name="Food", category="Aisle", text="line", recipe="Dish", density=None,
        ndb=""):
    return IngredientUse(
        food_id=food_id, food_name=name, category=category, grams=grams, factor=factor,
        text=text, recipe_title=recipe, density_g_per_ml=density, source_id=ndb,
    )


@pytest.mark.parametrize(
    ("grams", "density", "shown"),
    [(347, None, "350 g"), (1234, None, "1.25 kg"), (999.6, None, "1 kg"), (3.25, None, "4 g"), (16, None, "20 g"),
     (15000, None, "15 kg"), (1500, 1.0, "1.5 l"), (222, 1.0, "225 ml")],
)
def test_friendly_amount_rounds_up_to_what_a_shop_sells_in_its_unit(grams, density, shown):
    assert friendly_amount(grams, density) == shown


def test_same_food_from_several_meals_is_summed_with_each_meals_factor():
    shopping = build_shopping_list([use(1, 200, 0.5, name="Rice"), use(1, 100, 3, name="Rice")])
    (aisle,) = shopping.aisles
    (item,) = aisle.items
    assert item.grams == pytest.approx(400)
    assert item.amount == "400 g"


def test_foods_are_grouped_by_aisle_in_the_order_of_a_shop():
    shopping = build_shopping_list([
        use(1, 10, name="Salt, table", category="Spices and Herbs", ndb="02047"),
        use(2, 10, name="Pears, raw", category="Fruits and Fruit Juices"),
        use(3, 10, name="Apples, raw, with skin", category="Fruits and Fruit Juices", ndb="09003"),
        use(4, 10, name="Beef, ground", category="Beef Products"),
        use(None, None, text="1 pinch of saffron"),
    ])
    assert [(aisle.name, [item.name for item in aisle.items]) for aisle in shopping.aisles] == [
        ("Produce", ["Apples", "Pears"]), ("Meat & seafood", ["Beef"]), ("Pantry", ["Salt"]), ("Other", []),
    ]


def test_unresolved_and_unweighed_lines_are_kept_not_dropped():
    shopping = build_shopping_list([
        use(None, None, 0.5, text="1 pinch saffron", recipe="Paella"),
        use(None, None, 0.5, text="1 pinch saffron", recipe="Paella"),
        use(7, None, 2, name="Salt", text="salt to taste"),
        use(7, 5, 1, name="Salt"),
    ])
    (line,) = shopping.unresolved
    assert (line.text, line.recipe_title, line.factor) == ("1 pinch saffron", "Paella", 1.0)
    (salt,) = shopping.aisles[0].items
    assert salt.amount == "5 g + salt to taste (×2)"


@pytest.fixture
def owner(db):
    return make_user("olivia")


@pytest.fixture
def plan(owner):
    return make_plan(owner, small_catalog(), days=2, household_size=2)


def amounts_on_page(content: str) -> str:
    return " ".join(content.split())


def test_shopping_page_shows_totals_for_servings_times_household_by_aisle(client, owner, plan):
    FoodPortion.objects.create(food=Food.objects.get(name="Onions, raw"), seq=1, measure="medium", gram_weight=110)
    client.force_login(owner)
    response = client.get(reverse("shopping-list", args=[plan.pk]))
    assert response.status_code == 200
    page = amounts_on_page(response.content.decode())
    # Onions: 2 days × (soup 600 g × 1.5/2 + chicken rice 150 g × 1/2) × household 2 = 2.1 kg
    assert "Onions</label> <span class=\"amount\">2.1 kg</span>" in page
    # Milk has a density, so it is shown by volume: 2 × (250 + 200 × 0.75) × 2 = 1600 g / 1.03 g/ml = 1553 ml
    assert "Whole milk</label> <span class=\"amount\">1.6 l</span>" in page
    assert "<h2 id=\"aisle-1\">Produce</h2>" in page and "Dairy &amp; eggs" in page
    assert "1 pinch of saffron <span class=\"small unresolved\">(as written)</span>" in page


def test_ticks_persist_without_javascript(client, owner, plan):
    client.force_login(owner)
    onion = Food.objects.get(name="Onions, raw")
    url = reverse("shopping-checks", args=[plan.pk])
    response = client.post(url, {"food": [onion.pk]})
    assert response.status_code == 302
    page = client.get(reverse("shopping-list", args=[plan.pk])).content.decode()
    assert f'value="{onion.pk}" id="item-{onion.pk}" checked' in page
    client.post(url, {})
    assert not plan.shopping_checks.exists()


def test_htmx_tick_answers_with_the_status_line(client, owner, plan):
    client.force_login(owner)
    food_ids = sorted(Food.objects.filter(recipe_ingredients__recipe__planned_meals__plan=plan).distinct().values_list("pk", flat=True))
    response = client.post(
        reverse("shopping-checks", args=[plan.pk]), {"food": food_ids[:2]}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "2 of 6 items ticked" in response.content.decode()  # 5 foods and the unmatched saffron line
    assert set(plan.shopping_checks.values_list("food_id", flat=True)) == set(food_ids[:2])


def test_ticking_a_food_that_is_not_on_the_list_is_refused(client, owner, plan):
    client.force_login(owner)
    response = client.post(reverse("shopping-checks", args=[plan.pk]), {"food": ["999999", "x"]})
    assert response.status_code == 400
    assert not plan.shopping_checks.exists()


def test_csv_download_has_one_row_per_food_and_unresolved_line(client, owner, plan):
    client.force_login(owner)
    response = client.get(reverse("shopping-csv", args=[plan.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_item = {row["item"]: row for row in rows}
    assert by_item["Chicken breast"]["grams"] == "800"
    assert by_item["Chicken breast"]["aisle"] == "Meat & seafood"
    assert by_item["1 pinch of saffron"]["aisle"] == "Other"
    assert len(rows) == 6


def test_printable_page_lists_items_without_forms(client, owner, plan):
    client.force_login(owner)
    response = client.get(reverse("shopping-print", args=[plan.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chicken breast" in page and "800 g" in page
    assert 'type="checkbox"' not in page


def test_a_dish_cooked_once_for_the_household_is_bought_once_with_every_members_portion(client, owner):
    """Onion soup for three (1½ + 1 + ½ servings of a 2-serving recipe): the list buys 3 servings' onions
    once, and the cost counts every portion, a day for the three of them and a person."""
    catalog = small_catalog()
    Recipe.objects.update(cost_per_serving=0)
    Recipe.objects.filter(pk=catalog["onion-soup"].pk).update(cost_per_serving=Decimal("2.00"))
    plan = make_plan(owner, catalog, days=1)
    soup = plan.meals.get(recipe=catalog["onion-soup"])
    for name, servings in (("Sam", "1"), ("Mia", "0.5")):
        eater = add_plan_member(plan, Profile.objects.create(household=owner.profile.household, name=name, sex="female",
                                                             age=30, height_cm=160, weight_kg=60))
        MealPortion.objects.create(meal=soup, member=eater, servings=Decimal(servings))
    client.force_login(owner)
    page = amounts_on_page(client.get(reverse("shopping-list", args=[plan.pk])).content.decode())
    # soup 600 g × 3/2 + chicken rice 150 g × 1/2 = 975 g, bought in 50 g steps
    assert "Onions</label> <span class=\"amount\">1 kg</span>" in page
    assert "6.00 a day for the 3 of you on average (2.00 a person)" in page
    assert selectors.cost_of_plan(plan).per_day == (Decimal("6.00"),)
