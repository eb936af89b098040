"""Scaled ingredient lines read as amounts a cook can measure (meals/parsing/scaling.py)."""

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from meals.parsing.scaling import (LEADING_AMOUNT, MEASURED, canonical, grams_per_teaspoon, kitchen_grams, parse_number,
                                   scale_text)

DEMO_RECIPES = json.loads((Path(__file__).parents[1] / "meals" / "demo" / "recipes.json").read_text())


@pytest.mark.parametrize(
    ("text", "factor", "scaled"),
    [
        ("1 1/2 cups flour", 2, "3 cups flour"),
        ("1/4 cup maple syrup", 3, "¾ cup maple syrup"),
        ("2-3 cloves garlic", 2, "4–6 cloves garlic"),
        ("½ lemon", 3, "1½ lemons"),
        ("400 g chicken", 0.75, "300 g chicken"),
        ("salt to taste", 4, "salt to taste"),
        ("2 eggs", 1, "2 eggs"),
        # the examples: counts in halves, never "0.38 can"
        ("1 large onion", 3 / 8, "½ large onion"),
        ("3 cloves garlic", 3 / 8, "1 clove garlic"),
        ("1 can (400 g) tomatoes", 3 / 8, "½ can (400 g) tomatoes"),
        ("5 cups cooked penne", 5 / 8, "3¼ cups cooked penne"),
        ("3 large eggs", 2.5, "8 large eggs"),
        ("1 cup rice", 2.5, "2½ cups rice"),
        # small amounts move to spoons, big ones to cups, pounds and kilograms
        ("1/2 cup oats", 1 / 4, "2 tablespoons oats"),
        ("1 tbsp olive oil", 1 / 4, "¾ tsp olive oil"),
        ("2 tbsp olive oil", 4, "½ cup olive oil"),
        ("1 tsp cumin", 3, "1 tbsp cumin"),
        ("1 lb ground beef", 1 / 4, "4 oz ground beef"),
        ("12 oz raw shrimp, peeled", 2, "1½ lb raw shrimp, peeled"),
        ("3 oz salmon", 6, "18 oz salmon"),  # not "1¼ lb": pounds only where they measure it closely
        ("2 lbs beef", 0.5, "1 lb beef"),
        ("1 tbsp butter", 5, "⅓ cup butter"),
        ("400 g chicken", 2.5, "1 kg chicken"),
        ("1 l stock", 0.4, "400 ml stock"),
        ("137 g flour", 1.1, "150 g flour"),
        # nouns and units agree with the new amount
        ("2 stalks celery", 0.25, "½ stalk celery"),
        ("1 bay leaf", 3, "3 bay leaves"),
        ("2 eggs beaten", 0.5, "1 egg beaten"),
        ("1 pinch salt", 2.5, "3 pinches salt"),
        ("2 medium zucchini", 2, "4 medium zucchini"),
        ("3 Tbsp. butter", 4, "¾ cup butter"),
        # a per-item size stays, a total weight is scaled
        ("1 block (about 400 g) firm tofu", 2, "2 blocks (about 400 g) firm tofu"),
        ("1/4 cup chia seeds (40 g)", 0.5, "2 tablespoons chia seeds (20 g)"),
        ("2 salmon fillets (about 12 oz)", 1.5, "3 salmon fillets (about 18 oz)"),
        # another measure of the same amount right after its unit changes with it
        ("15 g (1 tbsp) lemon juice", 1 / 3, "5 g (1 tsp) lemon juice"),
        ("100 g / 1/2 cups butter", 2, "200 g / 1 cup butter"),
        ("1 kg / 2 lbs potatoes", 0.5, "500 g / 1 lb potatoes"),
        ("900 g (4-5) apples", 0.5, "450 g (2–2½) apples"),
        ("1/4 cup (1/2 stick) butter", 0.25, "1 tablespoon (⅛ stick) butter"),  # was "(½ stick)": what it is
        ("226 g (2 sticks) butter", 1 / 8, "30 g (¼ stick) butter"),
        ("Around 14 ounces or 400 grams of chicken breast", 0.5, "Around 7 ounces or 200 g of chicken breast"),
        # a rough amount is still an amount
        ("About 120g of ground beef", 2, "About 240 g of ground beef"),
        ("~80g mozzarella", 0.5, "~40 g mozzarella"),
        # "1 or 2" is a range; both ends rounding to one amount say it once
        ("1 or 2 onions", 0.5, "½ or 1 onion"),
        ("1-2 g nutmeg", 1 / 8, "0.5 g nutmeg"),
        ("1-2 carrots", 0.25, "½ carrot"),
        # an abbreviated unit becoming cups agrees with the amount
        ("10 tbsp flour", 2, "1¼ cups flour"),
        ("5 Tbsp tomato paste", 4, "1¼ cups tomato paste"),
        ("1 serving Easy Pizza Sauce", 2, "2 servings Easy Pizza Sauce"),  # "serving" is what is counted
        # a container after a size is what is counted, not the food in it
        ("2 large cans tomatoes", 0.5, "1 large can tomatoes"),
        ("1 large can tomatoes", 2.5, "2½ large cans tomatoes"),
        ("2 15-oz cans black beans", 0.5, "1 15-oz can black beans"),
        ("1 29oz large can tomato sauce (or 4 cups fresh tomato sauce)", 2.5,
         "2½ 29oz large cans tomato sauce (or 4 cups fresh tomato sauce)"),
        ("5cm piece of ginger", 2, "10cm piece of ginger"),  # a length: still one piece
        ("2 inches ginger", 0.5, "1 inch ginger"),
        # not an amount: left alone
        ("1/0 cup water", 2, "1/0 cup water"),
        ("0 eggs", 2, "0 eggs"),
    ],
)
def test_ingredient_text_is_scaled_to_a_kitchen_amount(text, factor, scaled):
    assert scale_text(text, factor) == scaled


def scaled_demo_lines():
    for recipe in DEMO_RECIPES:
        for servings in set(range(1, 9)) - {recipe["servings"]}:  # (as written at its own servings)
            for ingredient in recipe["ingredients"]:
                yield recipe["slug"], servings, ingredient["text"], scale_text(
                    ingredient["text"], servings / recipe["servings"]
                )


def amount_and_word(line: str) -> tuple[Fraction, str]:
    match = LEADING_AMOUNT.match(line)
    amount = parse_number(match["high"] or match["low"])
    word = re.match(r"\s*(?:\([^)]*\)\s*)?([^\W\d_]+)", line[match.end():])
    return amount, word[1] if word else ""


def test_every_demo_recipe_at_one_to_eight_servings_reads_as_kitchen_amounts():
    lines = list(scaled_demo_lines())
    assert len(lines) > 2500
    for slug, servings, written, scaled in lines:
        where = f"{slug} × {servings}: {written!r} → {scaled!r}"
        assert not re.search(r"\d\.\d{2}", scaled), where
        amount, word = amount_and_word(scaled)
        unit = canonical(word)
        if unit in MEASURED:
            ladder, measure = MEASURED[unit]
            if not measure.metric:
                assert amount.denominator in (1, 2, 3, 4, 8), where
            assert not re.match(r"[\d¼½¾⅓⅔⅛⅜⅝⅞]+\.\d", scaled) or measure.metric, where
        else:  # counted: halves, whole from three, never a decimal
            assert amount.denominator in (1, 2) and amount >= Fraction(1, 2), where
            assert amount < 3 or amount.denominator == 1, where
            assert "." not in LEADING_AMOUNT.match(scaled)[0], where
        if unit and word.lower() not in {"tsp", "tbsp", "oz", "lb", "g", "kg", "ml", "l"}:
            assert word.lower().endswith("s") == (amount > 1), where


def test_scaled_measures_stay_close_to_the_exact_amount():
    """Rounding to kitchen fractions moves a measured amount by at most a fifth (a spoon or cup
    amount) and a weight by at most a tenth; counts may round up to half of one."""
    for slug, servings, written, scaled in scaled_demo_lines():
        before, written_word = amount_and_word(written)
        after, word = amount_and_word(scaled)
        if canonical(written_word) not in MEASURED or canonical(word) not in MEASURED:
            continue
        ladder, written_measure = MEASURED[canonical(written_word)]
        _, measure = MEASURED[canonical(word)]
        recipe = next(recipe for recipe in DEMO_RECIPES if recipe["slug"] == slug)
        exact = before * written_measure.size * Fraction(servings, recipe["servings"])
        shown = after * measure.size
        tolerance = Fraction(1, 10) if ladder[0].word in ("gram", "ounce") else Fraction(1, 5)
        if exact >= Fraction(1, 4):  # a quarter teaspoon or more
            assert abs(shown - exact) <= tolerance * exact, f"{slug} × {servings}: {written!r} → {scaled!r}"


@pytest.mark.parametrize(("text", "quantity", "factor", "scaled"), [
    ("Sugar 2 tbsp", 2, 2, "Sugar ¼ cup"),
    ("Rice (50 grams)", 50, 0.5, "Rice (25 g)"),
    ("Zest of 2 lemons", 2, 0.5, "Zest of 1 lemon"),
    ("Onions 2 medium-sized, minced", 2, 2, "Onions 4 medium-sized, minced"),
    ("White wine 1/4 cup (60g)", 0.25, 2, "White wine ½ cup (120 g)"),
    ("(Optional) 6 artichokes, chopped", 6, 0.5, "(Optional) 3 artichokes, chopped"),
    ("Oat Flakes (270 g - 800 mL)", 270, 0.5, "Oat Flakes (140 g - 400 ml)"),
    ("from 30g to 70g of sugar", 30, 2, "from 60 g to 140 g of sugar"),
    ("Chinese 5 Spice", 5, 2, "Chinese 5 Spice"),  # a number inside a name
    ("Fish stock (see 2.)", None, 2, "Fish stock (see 2.)"),  # no quantity read: no amount
    ("Potatoes, I don't count but 10+", 2, 2, "Potatoes, I don't count but 10+"),  # not the quantity read
])
def test_an_amount_after_the_name_is_scaled_when_it_is_the_quantity_read(text, quantity, factor, scaled):
    assert scale_text(text, factor, quantity=quantity) == scaled


@pytest.mark.parametrize(("text", "factor", "per_tsp", "scaled"), [
    ("5 g salt", 1 / 8, 6, "⅛ tsp salt"),  # was "0.5 g salt"
    ("50 g white sugar", 1 / 8, 4.2, "1½ tsp white sugar"),  # was "6 g"
    ("30 g butter", 1 / 4, 14.2 / 3, "1½ tsp butter"),
    ("1-2 g nutmeg", 4, 2.2, "1¾–3¾ tsp nutmeg"),
    ("50 g white sugar", 1 / 8, None, "6 g white sugar"),  # no spoon weighs the food: grams
    ("50 g white sugar", 1 / 2, 4.2, "25 g white sugar"),  # enough for a scale
    ("15 g (1 tbsp) lemon juice", 1 / 8, 5, "2 g (⅜ tsp) lemon juice"),  # the writer's own spoons stay
])
def test_a_few_grams_are_said_in_the_foods_spoons(text, factor, per_tsp, scaled):
    assert scale_text(text, factor, grams_per_tsp=per_tsp) == scaled


def test_a_teaspoon_weighs_what_the_foods_usda_spoon_or_cup_says():
    assert grams_per_teaspoon([(1, "cup, chopped", 160), (1, "tbsp", 12.6)]) == 160 / 48
    assert grams_per_teaspoon([(2, "tsp", 12)]) == 6
    assert grams_per_teaspoon([(1, "cup packed", 220)]) == 220 / 48
    assert grams_per_teaspoon([(1, "fl oz", 29.6)]) == 29.6 / 6
    assert grams_per_teaspoon([(1, "medium", 110)]) is None


@pytest.mark.parametrize(("grams", "shown"), [(0, 0), (0.19, 0.2), (0.04, 0.0), (1.4, 1), (112.5, 112)])
def test_a_lines_weight_under_a_gram_keeps_a_tenth(grams, shown):
    assert kitchen_grams(grams) == shown
