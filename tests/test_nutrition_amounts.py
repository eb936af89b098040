"""Amounts as people write them: composite amounts sum, ranges of every form, bullets, sizes, metric spellings."""

import pytest

from meals.parsing.ingredients import parse_line


@pytest.mark.parametrize(("text", "quantity", "unit"), [
    ("½ cup plus 2 tbsp sugar", 0.625, "cup"),
    ("1 cup plus 2 tablespoons flour", 1.125, "cup"),
    ("1 lb 2 oz beef", 1.125, "lb"),
])
def test_composite_amounts_are_summed(text, quantity, unit):
    parsed = parse_line(text)
    assert (parsed.quantity, parsed.unit) == (quantity, unit)


@pytest.mark.parametrize(("text", "low", "high", "unit"), [
    (".5-1 cup milk", 0.5, 1, "cup"),
    ("1-1.5 cups flour", 1, 1.5, "cup"),
    ("1 to 2 tsp salt", 1, 2, "tsp"),
    ("1½–2 cups milk", 1.5, 2, "cup"),
    ("1/2 to 3/4 cup sugar", 0.5, 0.75, "cup"),
    ("2 1/2-3 lbs chicken", 2.5, 3, "lb"),
    ("1 or 2 eggs", 1, 2, ""),
])
def test_ranges_of_every_form_keep_both_ends_and_count_the_midpoint(text, low, high, unit):
    parsed = parse_line(text)
    assert (parsed.quantity, parsed.quantity_max, parsed.unit) == (low, high, unit)
    assert parsed.amount == (low + high) / 2


@pytest.mark.parametrize("text", ["- 1 cup sugar", "• 1 cup sugar", "* 1 cup sugar", "– 1 cup sugar"])
def test_a_list_bullet_is_not_a_minus_sign(text):
    parsed = parse_line(text)
    assert (parsed.quantity, parsed.unit, parsed.name) == (1, "cup", "sugar")


@pytest.mark.parametrize(("text", "quantity", "unit"), [
    ("4 (4 ounce) fillets salmon", 16, "oz"),
    ("2 (6 ounce) (1/4 inch thick) slices of beef round", 12, "oz"),
    ("3 (8 ounce) cans tomato sauce", 24, "oz"),
    ("2 chicken breasts (about 1 lb total)", 1, "lb"),
])
def test_n_bracketed_amount_things_is_n_times_the_amount(text, quantity, unit):
    parsed = parse_line(text)
    assert (parsed.quantity, parsed.unit) == (quantity, unit)


@pytest.mark.parametrize(("text", "low", "high", "unit"), [
    ("1 (2 to 3 pound) whole chicken", 2, 3, "lb"),
    ("2 (12 to 16 ounce) boneless rib eye steaks", 24, 32, "oz"),
])
def test_a_bracketed_range_per_item_stays_a_range(text, low, high, unit):
    """"1 (2 to 3 pound) chicken" is 2-3 lb, so its midpoint (2.5 lb) is counted, not the 2 lb it was."""
    parsed = parse_line(text)
    assert (parsed.quantity, parsed.quantity_max, parsed.unit, parsed.amount) == (low, high, unit, (low + high) / 2)


@pytest.mark.parametrize(("text", "quantity", "unit"), [
    ("100 grammes flour", 100, "g"), ("100 gramme flour", 100, "g"), ("250 grams sugar", 250, "g"),
    ("250 gr sugar", 250, "g"), ("250g sugar", 250, "g"), ("2 kilos potatoes", 2, "kg"),
    ("1 kilogramme potatoes", 1, "kg"), ("500 millilitres milk", 500, "ml"), ("500 mls milk", 500, "ml"),
    ("1 litre milk", 1, "l"), ("2 ltr milk", 2, "l"), ("5 cl rum", 50, "ml"), ("2 dl cream", 200, "ml"),
    ("1.5 decilitres cream", 150, "ml"), ("2 1/2 dl cream", 250, "ml"), ("1/2 dl milk", 50, "ml"),
    ("1-2 dl milk", 100, "ml"),
])
def test_metric_units_in_every_common_spelling(text, quantity, unit):
    parsed = parse_line(text)
    assert (parsed.quantity, parsed.unit) == (quantity, unit)


def test_size_letter_in_brackets_is_a_size_not_litres():
    parsed = parse_line("2 eggs (size: L)")
    assert (parsed.quantity, parsed.unit, parsed.name) == (2, "large", "eggs")
