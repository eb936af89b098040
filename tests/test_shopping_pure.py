"""The shopping list's arithmetic from plain rows (mealplan.shopping.lists, no database): amounts summed
per food and rounded up to what a shop sells, pieces counted, unmatched lines kept, aisles in order."""

import hashlib

import pytest

from mealplan.shopping.lists import IngredientUse, ShoppingItem, UnresolvedLine, build_shopping_list, friendly_amount

DAIRY = "Dairy and Egg Products"


def use(food_id, grams, name="Cheese, gouda", group=DAIRY, factor=1.0, ndb="", text="", title="Dish", density=None):
    return IngredientUse(food_id=food_id, food_name=name, category=group, grams=grams, factor=factor,
                         text=text or name, recipe_title=title, density_g_per_ml=density, source_id=ndb)


def unmatched(text, factor=1.0, title="Dish"):
    return use(None, None, name="", group="", factor=factor, text=text, title=title)


def listed(shopping):
    return [(aisle.name, [(item.name, item.amount) for item in aisle.items], [line.text for line in aisle.lines])
            for aisle in shopping.aisles]


@pytest.mark.parametrize(("grams", "shown"), [
    (0.4, "1 g"), (7, "7 g"), (9.2, "10 g"), (10, "10 g"), (10.2, "15 g"), (99, "100 g"), (100, "100 g"),
    (101, "125 g"), (480, "500 g"), (500, "500 g"), (501, "550 g"), (999, "1 kg"), (1234, "1.25 kg"),
    (2000, "2 kg"), (2001, "2.1 kg"), (9960, "10 kg"), (12_345, "12.4 kg"),
])
def test_weights_are_rounded_up_to_what_a_shop_sells(grams, shown):
    assert friendly_amount(grams) == shown


@pytest.mark.parametrize(("grams", "density", "shown"), [(92, 0.92, "100 ml"), (460, 0.92, "500 ml"),
                                                         (1030, 1.03, "1 l"), (1545, 1.03, "1.5 l")])
def test_foods_with_a_density_are_shown_by_volume(grams, density, shown):
    assert friendly_amount(grams, density) == shown


def test_the_same_food_from_several_meals_is_summed_with_each_meals_share():
    shopping = build_shopping_list([use(3, 200, factor=1.5), use(3, 100, factor=0.5, title="Toast")])
    assert listed(shopping) == [("Dairy & eggs", [("Gouda cheese", "350 g")], [])]
    (item,) = shopping.aisles[0].items
    assert (item.food_id, item.grams) == (3, 350)


def test_cooked_foods_are_bought_dry_and_by_weight_even_with_a_density():
    rice = "Rice, white, long-grain, regular, cooked"
    (aisle,) = build_shopping_list([use(4, 1000, rice, "Cereal Grains and Pasta", ndb="20045", density=0.8)]).aisles
    (item,) = aisle.items
    # 1000 g cooked × 0.377 g dry per g cooked = 377 g, bought as 400 g (not as a volume of cooked rice)
    assert (item.name, round(item.grams), item.density_g_per_ml, item.amount) == ("White rice", 377, None, "400 g")


def test_a_liquid_keeps_its_density_and_reads_in_millilitres():
    oil = "Oil, olive, salad or cooking"
    (aisle,) = build_shopping_list([use(5, 46, oil, "Fats and Oils", density=0.92, factor=2)]).aisles
    assert [(item.name, item.amount, item.density_g_per_ml) for item in aisle.items] == [("Olive oil", "100 ml", 0.92)]


def test_lines_without_a_weight_are_listed_with_the_food_scaled_by_their_share():
    shopping = build_shopping_list([use(3, 120), use(3, None, text="gouda to taste", factor=1.5),
                                    use(3, None, text="a little gouda", factor=1.004)])
    (item,) = shopping.aisles[0].items
    assert item.unmeasured == ("gouda to taste (×1½)", "a little gouda")
    assert item.amount == "125 g + gouda to taste (×1½) + a little gouda"
    (only_unweighed,) = build_shopping_list([use(3, None, text="gouda to taste", factor=0.5)]).aisles[0].items
    assert (only_unweighed.grams, only_unweighed.amount) == (0, "gouda to taste (×½)")


def test_a_food_only_counted_as_nothing_shows_its_lines_words_and_otherwise_they_add_nothing():
    (alone,) = build_shopping_list([use(3, 0, text="gouda (optional)", factor=0.5)]).aisles[0].items
    assert alone.amount == "gouda (optional) (×½)"
    (beside,) = build_shopping_list([use(3, 0, text="Gouda.", factor=0.5), use(3, 120)]).aisles[0].items
    assert beside.amount == "125 g"


def test_merged_foods_are_ticked_under_the_lowest_id_whatever_the_order():
    farmed, wild = "Fish, salmon, Atlantic, farmed, raw", "Fish, salmon, Atlantic, wild, raw"
    fish = "Finfish and Shellfish Products"
    shopping = build_shopping_list([use(5, 100, wild, fish, ndb="15076"), use(7, 100, farmed, fish, ndb="15236"),
                                    use(2, 100, wild, fish, ndb="15076"), use(9, 100, farmed, fish, ndb="15236")])
    (item,) = shopping.aisles[0].items
    assert (item.name, item.food_id, item.amount) == ("Salmon fillet", 2, "400 g")
    assert shopping.food_ids == {2}


@pytest.mark.parametrize(("grams", "count", "shown"), [
    (50, 1, "1 egg"), (20, 1, "1 egg"), (100, 2, "2 eggs"), (157, 3, "3 eggs"), (158, 4, "4 eggs"),
    (207.5, 4, "4 eggs"), (208, 5, "5 eggs"),
])
def test_pieces_are_rounded_up_unless_barely_over_a_whole_one(grams, count, shown):
    # 50 g an egg; 3.15 eggs' worth is bought as 3, 3.16 as 4
    (aisle,) = build_shopping_list([use(1, grams, "Egg, whole, raw, fresh", ndb="01123")]).aisles
    (eggs,) = aisle.items
    assert (eggs.count, eggs.amount) == (count, shown)


def test_pieces_weigh_what_the_foods_usda_portion_says():
    onion_portions = {2: [("cup, chopped", 160.0), ('medium (2-1/2" dia)', 110.0), ("large", 150.0)]}
    onions = [use(2, 330, "Onions, raw", "Vegetables and Vegetable Products", ndb="11282")]
    (item,) = build_shopping_list(onions, onion_portions).aisles[0].items
    assert (item.unit_grams, item.count, item.amount) == (110.0, 3, "3 onions")
    (unweighed,) = build_shopping_list(onions).aisles[0].items  # no portion: bought by weight
    assert (unweighed.count, unweighed.amount) == (None, "350 g")


def test_a_counted_food_with_nothing_weighed_shows_only_its_lines():
    item = ShoppingItem(food_id=1, name="Eggs", grams=0, unmeasured=("eggs to glaze",), count_unit="egg",
                        unit_grams=50)
    assert (item.count, item.amount) == (None, "eggs to glaze")


def test_cans_show_their_size():
    item = ShoppingItem(food_id=1, name="Chopped tomatoes", grams=401, unmeasured=(), count_unit="can",
                        unit_grams=400)
    assert item.amount == "1 can (400 g)"
    assert ShoppingItem(food_id=1, name="Bread", grams=850, unmeasured=(), count_unit="loaf",
                        unit_grams=400).amount == "2 loaves"


def test_aisles_follow_the_shop_and_unmatched_lines_close_the_other_aisle():
    shopping = build_shopping_list([
        unmatched("1 pinch saffron threads", 1.5, title="Paella"),
        use(8, 50, "Mystery", ""),
        use(3, 200),
        use(6, 10, "Spices, saffron", "Spices and Herbs"),
        use(4, 300, "Apples, raw, with skin", "Fruits and Fruit Juices"),
        use(5, 100, "Bread, whole-wheat", "Baked Products"),
        use(9, 80, "Almond butter", "Dairy and Egg Products"),
    ])
    assert listed(shopping) == [
        ("Produce", [("Apples", "300 g")], []),
        ("Dairy & eggs", [("Almond butter", "80 g"), ("Gouda cheese", "200 g")], []),
        ("Bakery", [("Whole-wheat bread", "100 g")], []),
        ("Spices", [("Saffron", "10 g")], []),
        ("Other", [("Mystery", "50 g")], ["1 pinch saffron threads"]),
    ]
    assert shopping.size == 7 and len(shopping.line_keys) == 1


def test_an_unmatched_line_alone_still_gets_the_other_aisle():
    shopping = build_shopping_list([unmatched("1 pinch saffron threads")])
    assert listed(shopping) == [("Other", [], ["1 pinch saffron threads"])]
    assert shopping.food_ids == frozenset() and shopping.size == 1


def test_unmatched_lines_are_merged_by_their_words_sorted_and_multiplied():
    shopping = build_shopping_list([
        unmatched("1 pinch  Saffron", 1.5, title="Paella"),
        unmatched("a splash of Verjuice", 1.0, title="Salad"),
        unmatched("1 pinch saffron", 0.5, title="Risotto"),
        unmatched("1 PINCH saffron", 1.0, title="Paella"),
    ])
    verjuice, saffron = sorted(shopping.unresolved, key=lambda line: line.text.casefold(), reverse=True)
    assert [line.text for line in shopping.unresolved] == ["1 pinch  Saffron", "a splash of Verjuice"]
    assert (saffron.factor, saffron.recipe_titles) == (3.0, ("Paella", "Risotto"))
    assert (saffron.multiplier, saffron.amount) == ("×3", "×3 · Paella, Risotto")
    assert verjuice.amount == "×1 · Salad"
    assert saffron.key == UnresolvedLine("1 PINCH saffron", (), 1).key != verjuice.key
    assert len(saffron.key) == 32 and shopping.size == 2


def test_a_share_of_a_line_reads_as_a_kitchen_fraction():
    line = UnresolvedLine(text="1 lemon", recipe_titles=("Tart",), factor=0.5)
    assert line.amount == "×½ · Tart"
    assert UnresolvedLine(text="1 lemon", recipe_titles=("Tart",), factor=1.333).multiplier == "×1⅓"


def test_an_unmatched_lines_key_is_its_words_lower_cased_and_single_spaced_so_stored_ticks_keep_matching():
    line = UnresolvedLine(text=" 1 pinch\tSaffron  threads ", recipe_titles=(), factor=1)
    assert line.key == hashlib.sha256(b"1 pinch saffron threads").hexdigest()[:32]
