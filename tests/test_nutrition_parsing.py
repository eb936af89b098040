"""Ingredient lines as people write them -> quantity, range, canonical unit, name, preparation."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meals.parsing.ingredients import CANONICAL_UNITS, IngredientLineError, parse_line
from meals.parsing.postagger import FILE_PREFIX, write_json_model


@pytest.mark.parametrize(
    ("text", "quantity", "quantity_max", "unit", "name"),
    [
        ("1 1/2 cups finely chopped onion", 1.5, None, "cup", "onion"),
        ("2 large eggs", 2, None, "large", "eggs"),
        ("1 (14.5 oz) can diced tomatoes", 14.5, None, "oz", "diced tomatoes"),
        ("salt to taste", None, None, "", "salt"),
        ("½ tsp. ground cumin", 0.5, None, "tsp", "ground cumin"),
        ("200g chicken breast, diced", 200, None, "g", "chicken breast"),
        ("2-3 cloves garlic", 2, 3, "clove", "garlic"),
        ("1 lb. 80% lean ground beef", 1, None, "lb", "80% lean ground beef"),
        ("1-1/2 cups milk", 1.5, None, "cup", "milk"),
        ("2 cans (400ml) coconut milk", 800, None, "ml", "coconut milk"),
        ("200 gr spaghetti", 200, None, "g", "spaghetti"),
        ("3 eggs", 3, None, "", "eggs"),
        ("a pinch of salt", 1, None, "pinch", "salt"),
    ],
)
def test_lines_parse_to_quantity_unit_and_name(text, quantity, quantity_max, unit, name):
    parsed = parse_line(text)
    assert (parsed.quantity, parsed.quantity_max, parsed.unit, parsed.name) == (quantity, quantity_max, unit, name)
    assert parsed.unit in CANONICAL_UNITS
    assert 0 < parsed.confidence <= 1


def test_preparation_is_kept_apart_from_the_name():
    parsed = parse_line("200g chicken breast, diced")
    assert parsed.preparation == "diced"
    assert parse_line("salt to taste").comment == "to taste"


@pytest.mark.parametrize(("text", "quantity", "unit", "name", "comment"), [
    ("2 slice cheese. Use a cheese that is mid-aged, not too savoury.", 2, "slice", "cheese",
     "Use a cheese that is mid-aged, not too savoury."),
    ("1-2 tortillas. Any brand works.", 1, "", "tortillas", "Any brand works."),
    ("~150g medium soft cheese. Appenzeller works best. Gruyère would do.", 150, "g", "soft cheese",
     "Appenzeller works best. Gruyère would do."),
    ("2 lbs. Potatoes", 2, "lb", "Potatoes", ""),  # an abbreviation's full stop ends no sentence
    ("1 Tbsp. Butter", 1, "tbsp", "Butter", ""),
])
def test_a_sentence_after_the_ingredient_is_a_note_not_part_of_its_name(text, quantity, unit, name, comment):
    parsed = parse_line(text)
    assert (parsed.quantity, parsed.unit, parsed.name, parsed.comment) == (quantity, unit, name, comment)
    assert parsed.text == text


def test_a_line_whose_amount_is_only_in_a_later_sentence_is_read_whole():
    parsed = parse_line("Lamb shoulder, preferably on the bone. I usually get half a shoulder, 2 kg.")
    assert (parsed.quantity, parsed.unit) == (2, "kg")


def test_container_is_remembered_when_its_size_becomes_the_amount():
    assert parse_line("1 (14.5 oz) can diced tomatoes").container == "can"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("-2 cups milk", "negative quantity"),
        ("50000 cups flour", "not a plausible amount"),
        ("   ", "empty ingredient line"),
        ("x" * 1001, "longer than 1000 characters"),
        ("1/0 cup flour", "cannot read the quantity"),
        ("1e999 g sugar", "not a plausible amount"),
    ],
)
def test_impossible_lines_are_rejected_with_the_reason(text, message):
    with pytest.raises(IngredientLineError, match=message):
        parse_line(text)


@pytest.mark.parametrize(("text", "quantity", "unit"), [("1,000 g flour", 1000, "g"), ("1,5 kg flour", 1.5, "kg"),
                                                        ("a dozen eggs", 12, ""), ("<b>2 cups</b> flour", 2, "cup")])
def test_number_spellings_and_markup(text, quantity, unit):
    parsed = parse_line(text)
    assert (parsed.quantity, parsed.unit) == (quantity, unit)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 /-.,½¼⅓()abcgkltsp%xX"), max_size=40))
def test_any_text_parses_or_is_refused_with_a_reason(text):
    try:
        parsed = parse_line(text)
    except IngredientLineError as error:
        assert str(error)
    else:
        assert parsed.unit in CANONICAL_UNITS
        assert parsed.quantity is None or 0 <= parsed.quantity <= 10_000


def test_packaged_tagger_is_converted_to_nltk_json_layout(tmp_path):
    write_json_model(tmp_path)

    classes = json.loads((tmp_path / f"{FILE_PREFIX}.classes.json").read_text())
    tagdict = json.loads((tmp_path / f"{FILE_PREFIX}.tagdict.json").read_text())
    assert {"NN", "NNS", "JJ", "CD", "VBN"} <= set(classes)
    assert tagdict["the"] == "DT"
    assert (tmp_path / f"{FILE_PREFIX}.weights.json").stat().st_size > 1_000_000


@pytest.mark.parametrize(("text", "unit", "unknown"), [
    ("2 ribs celery, chopped", "", "stalk"),
    ("4 strips bacon", "slice", ""),
    ("1 bulb garlic", "head", ""),
    ("2 glugs olive oil", "", "glug"),
])
def test_count_words_outside_the_vocabulary_that_name_one_of_its_units(text, unit, unknown):
    parsed = parse_line(text)
    assert (parsed.unit, parsed.unknown_unit) == (unit, unknown)


@pytest.mark.parametrize(("text", "name"), [
    ("White sliced bread", "White bread"),  # split by the preparation only: one name, not "White or bread"
    ("2 cups chopped basil or parsley", "basil or parsley"),  # alternatives stay alternatives
    ("Lemon juice from half a lemon", "Lemon juice or lemon"),  # words that are no preparation keep the parts apart
])
def test_name_parts_split_only_by_the_preparation_are_one_name(text, name):
    assert parse_line(text).name == name
