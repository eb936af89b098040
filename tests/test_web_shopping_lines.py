"""Ingredient lines matched to no food on the shopping list: in "Other", tickable, kept, printed and exported."""

import csv
import io

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from meals.models import Food
from mealplan.models import ShoppingItemCheck
from mealplan.shopping.lists import IngredientUse, build_shopping_list, line_key
from tests.web_factories import make_plan, make_recipe, make_user, small_catalog

HTMX = {"HX-Request": "true"}
SAFFRON = "1 pinch of saffron"


def use(food_id, text, factor=1.0, *, recipe="Dish", category=""):
    return IngredientUse(food_id=food_id, food_name="Salt" if food_id else "", category=category,
                         grams=5 if food_id else None, factor=factor, text=text, recipe_title=recipe)


def test_the_same_wording_from_several_meals_is_one_line_in_the_other_aisle_after_its_foods():
    shopping = build_shopping_list([
        use(None, "1 pinch of saffron", 0.5, recipe="Paella"),
        use(None, "1  Pinch of Saffron", 1.0, recipe="Risotto"),
        use(None, "1 pinch of saffron", 0.5, recipe="Paella"),
        use(None, "a handful of basil", 0.5, recipe="Risotto"),
        use(7, "salt", category=""),
        use(8, "rice", category="Cereal Grains and Pasta"),
    ])
    assert [aisle.name for aisle in shopping.aisles] == ["Pantry", "Other"]
    other = shopping.aisles[-1]
    assert [item.name for item in other.items] == ["Salt"]
    assert [line.text for line in other.lines] == ["1 pinch of saffron", "a handful of basil"]
    saffron = other.lines[0]
    assert saffron.recipe_titles == ("Paella", "Risotto") and saffron.factor == pytest.approx(2.0)
    assert saffron.amount == "×2 · Paella, Risotto"
    assert other.lines[1].amount == "×½ · Risotto"
    assert saffron.key == line_key("1 PINCH  of saffron ") and len(saffron.key) == 32
    assert shopping.size == 4 and shopping.line_keys == {line.key for line in other.lines}


def test_lines_alone_make_an_other_aisle():
    shopping = build_shopping_list([use(None, "zest of 1 lemon")])
    (aisle,) = shopping.aisles
    assert (aisle.name, aisle.items, [line.text for line in aisle.lines]) == ("Other", (), ["zest of 1 lemon"])


@pytest.fixture
def owner(db):
    return make_user("umar")


@pytest.fixture
def plan(owner):
    return make_plan(owner, small_catalog(), days=2, household_size=2)


def test_an_unmatched_line_is_ticked_and_stays_ticked_without_javascript(client, owner, plan):
    client.force_login(owner)
    key = line_key(SAFFRON)
    page = client.get(reverse("shopping-list", args=[plan.pk])).content.decode()
    other = page[page.index(">Other</h2>"):]
    assert f'name="line" value="{key}" id="line-{key}"' in other and SAFFRON in other
    assert "· Chicken rice</span></label>" in other
    assert '<span class="amount">×2</span>' in other  # 1 serving × household 2 / recipe serves 2, on two days
    onion = Food.objects.get(name="Onions, raw")
    response = client.post(reverse("shopping-checks", args=[plan.pk]), {"food": [onion.pk], "line": [key]})
    assert response.status_code == 302
    page = client.get(reverse("shopping-list", args=[plan.pk])).content.decode()
    assert f'id="line-{key}" aria-describedby="unmatched-help" checked' in page
    assert f'id="item-{onion.pk}" checked' in page
    assert "2 of 6 items ticked" in page
    # the form sends the full set: leaving the line out unticks it, the food stays
    client.post(reverse("shopping-checks", args=[plan.pk]), {"food": [onion.pk]})
    assert list(plan.shopping_checks.values_list("food_id", "line_key")) == [(onion.pk, "")]


def test_htmx_tick_of_a_line_answers_with_the_status_line(client, owner, plan):
    client.force_login(owner)
    response = client.post(reverse("shopping-checks", args=[plan.pk]), {"line": [line_key(SAFFRON)]}, headers=HTMX)
    assert response.status_code == 200
    assert "1 of 6 items ticked" in response.content.decode()
    assert plan.shopping_checks.get().line_key == line_key(SAFFRON)


def test_lines_that_are_not_on_the_list_are_refused(client, owner, plan):
    client.force_login(owner)
    for lines in (["not-a-key"], [line_key("1 cup of sugar")]):
        response = client.post(reverse("shopping-checks", args=[plan.pk]), {"line": lines})
        assert response.status_code == 400
    assert not plan.shopping_checks.exists()


def test_print_page_and_csv_show_the_line_and_its_tick(client, owner, plan):
    ShoppingItemCheck.objects.create(plan=plan, line_key=line_key(SAFFRON))
    client.force_login(owner)
    printed = client.get(reverse("shopping-print", args=[plan.pk])).content.decode()
    assert f"<s>{SAFFRON}</s>" in printed and printed.index(">Other</h2>") < printed.index(SAFFRON)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("shopping-csv", args=[plan.pk])).content.decode())))
    saffron = next(row for row in rows if row["item"] == SAFFRON)
    assert saffron == {"aisle": "Other", "item": SAFFRON, "amount": "×2 · Chicken rice", "grams": "", "ticked": "yes"}
    assert [row["ticked"] for row in rows].count("yes") == 1


def test_a_tick_that_no_longer_matches_the_list_is_not_counted(client, owner, plan):
    ShoppingItemCheck.objects.create(plan=plan, line_key=line_key("an old line"))
    client.force_login(owner)
    assert "0 of 6 items ticked" in client.get(reverse("shopping-list", args=[plan.pk])).content.decode()


# session with user + plan + meals with recipes + ingredient lines with foods + countable portions + ticks,
# + the plan's cost on the list and print pages
SHOPPING_PAGE_QUERIES = {"shopping-list": 7, "shopping-print": 7, "shopping-csv": 6}


@pytest.mark.parametrize("view_name", ["shopping-list", "shopping-print", "shopping-csv"])
def test_shopping_pages_query_count_stays_constant_with_many_unmatched_lines(client, owner, view_name,
                                                                             django_assert_max_num_queries):
    catalog = small_catalog()
    catalog["onion-soup"] = make_recipe("Spice soup", [(None, None, f"{n} pinch of spice no. {n}") for n in range(1, 30)],
                                        meal_types=("lunch",))
    plan = make_plan(owner, catalog, days=7)
    ShoppingItemCheck.objects.bulk_create(
        ShoppingItemCheck(plan=plan, line_key=line_key(f"{n} pinch of spice no. {n}")) for n in range(1, 30, 2))
    client.force_login(owner)
    with django_assert_max_num_queries(SHOPPING_PAGE_QUERIES[view_name]):
        response = client.get(reverse(view_name, args=[plan.pk]))
    assert "pinch of spice no. 29" in response.content.decode()


def test_a_tick_names_either_a_food_or_a_line(owner, plan):
    food = Food.objects.first()
    for fields in ({"food": food, "line_key": line_key(SAFFRON)}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ShoppingItemCheck.objects.create(plan=plan, **fields)
    ShoppingItemCheck.objects.create(plan=plan, line_key=line_key(SAFFRON))
    with pytest.raises(IntegrityError), transaction.atomic():
        ShoppingItemCheck.objects.create(plan=plan, line_key=line_key(SAFFRON))


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1 bogus", "-2+3", "@SUM(A1)",
                                  "\t=1+1", "\r=1+1"])
def test_csv_cells_that_a_spreadsheet_would_run_as_a_formula_are_shown_as_text(client, owner, text):
    catalog = small_catalog()
    catalog["onion-soup"] = make_recipe("Odd soup", [(None, None, text)], meal_types=("lunch",))
    plan = make_plan(owner, catalog)
    client.force_login(owner)
    rows = list(csv.DictReader(io.StringIO(client.get(reverse("shopping-csv", args=[plan.pk])).content.decode(),
                                           newline="")))
    (row,) = [row for row in rows if row["item"].endswith(text.lstrip("\t\r"))]
    assert row["item"] == "'" + text
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())
