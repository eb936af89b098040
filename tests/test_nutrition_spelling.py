"""Spelling correction of ingredient names (meals.nutrition.spelling): alone on a small vocabulary, then through the
matcher against every SR28 name (the shared USDA folder, indexed in memory without a database)."""

from collections import Counter

import pytest

from meals.nutrition.spelling import corrected_name, correct_word, english_frequencies, vocabulary
from tests.test_nutrition_matching_sr28 import ndb, sr28  # noqa: F401 - fixtures

FOODS = ["Sauce, hoisin", "Soy sauce made from soy (tamari)", "Alcoholic beverage, wine, table, white",
         "Beans, white, mature seeds, raw", "Sweet potato, raw", "Beans, adzuki, mature seeds, raw",
         "Snacks, granola bar", "Cereals ready-to-eat, KELLOGG SCOOBY-DOO! cereal", "Chicken, broilers or fryers, raw",
         "Cookies, GIRL SCOUTS, Chalet Cookies", "Wheat, hard red spring"]


@pytest.fixture(scope="module")
def vocab():
    return vocabulary(FOODS, ["ghee", "white wine"])


@pytest.mark.parametrize(("written", "expected"), [
    ("sause", "sauce"),  # a letter changed
    ("pototo", "potato"),  # "Pototoes", normalised as tokens() does
    ("azuki", "adzuki"),  # a letter dropped
    ("ckicken", "chicken"),
    ("whine", "wine"),  # an English word, but wine is far more frequent; and a letter added, not white's changed one
    ("ghe", None),  # too short to tell
    ("ghee", None),  # a curated name's word is in the vocabulary
    ("string", None),  # an English word of its own, though spring is a food's word
    ("scoby", None),  # brands (USDA writes them in capitals) are no vocabulary: not SCOOBY
    ("stout", None),  # nor GIRL SCOUTS
    ("chopped", None),  # words that only describe are never changed
    ("xauce", None),  # the first letter is kept
])
def test_a_word_outside_the_vocabulary_is_the_nearest_food_word_it_misspells(vocab, written, expected):
    assert correct_word(written, vocab) == expected


def test_a_word_as_written_that_is_english_is_no_misspelling_though_its_normalised_form_is_not(vocab):
    vocab = vocabulary(["Spices, cinnamon, ground (cassia)"], [])
    assert "cassi" not in english_frequencies() and "cassis" in english_frequencies()
    assert correct_word("cassi", vocab) == "cassia"  # "cassi" alone would be read as cassia ...
    assert correct_word("cassi", vocab, "Cassis") is None  # ... but the line wrote cassis, a word of its own


def test_a_name_keeps_its_other_words_and_punctuation_and_none_is_returned_when_nothing_is_misspelt(vocab):
    assert corrected_name("light soy sause (or tamari)", vocab) == "light soy sauce (or tamari)"
    assert corrected_name("White whine", vocab) == "White wine"
    assert corrected_name("Frank's sause", vocab) == "Frank's sauce"  # "Frank's" is one word, not "frank" and "s"
    assert corrected_name("white wine", vocab) is None


@pytest.mark.parametrize(("name", "expected"), [
    ("light soy sause", "16124"),  # Soy sauce made from soy (tamari)
    ("hoisin sause", "06175"),  # Sauce, hoisin, ready-to-serve
    ("Sweet Pototoes", "11507"),  # Sweet potato, raw, unprepared
    ("White whine", "14106"),  # Alcoholic beverage, wine, table, white: not white beans
    ("red beans Azuki", "16001"),  # Beans, adzuki, mature seeds, raw
    ("mayonnese or aioli", "04025"),  # Salad dressing, mayonnaise, regular
    ("gerkins or ones", "11937"),  # Pickles, cucumber, dill: the first alternative spelt right, not a FIBER ONE cereal
    ("Mexican crema or sour cream", "01056"),  # Cream, sour: "Mexican cream" matches no food as surely
])
def test_a_name_no_food_matches_is_matched_once_its_misspelt_words_are_corrected(db, ndb, name, expected):  # noqa: F811
    """(`db`: on PostgreSQL a name none of whose words foods use is first looked up by trigrams, in the empty test
    database.)"""
    assert ndb(name) == expected


@pytest.mark.parametrize("name", [
    "metal skewers",  # not meal
    "kitchen string",  # not spring onions
    "macapuno strings in heavy syrup",  # not hard red spring wheat
    "kombucha scoby",  # not a Scooby-Doo cereal
    "stout or porter for some extra flavour.",  # not Girl Scouts cookies
    "Cassis-Juice (Johannesbeer)",  # not cassia
    "za'atar",  # not agar
])
def test_words_of_their_own_are_not_taken_for_misspelt_food_words(db, ndb, name):  # noqa: F811
    assert ndb(name) is None


@pytest.mark.parametrize(("name", "expected"), [
    ("Fresh tomatoes of any variety", "11529"),  # Tomatoes, red, ripe, raw, year round average
    ("diced onions of any kind.", "11282"),  # Onions, raw: "of any kind" names no food
    ("cream of mushroom soup", "06043"),  # "of" alone is part of the name
])
def test_words_leaving_the_choice_to_the_cook_name_no_food(db, ndb, name, expected):  # noqa: F811
    assert ndb(name) == expected


@pytest.mark.parametrize(("name", "hints", "expected"), [
    ("Boursin Garlic and Fine Herbs", (), "01017"),  # Cheese, cream: SR28 has no Boursin
    ("Deli Chicken", ("cooked",), "05013"),  # Chicken, broilers or fryers, meat only, roasted
    ("brown stock", (), "06170"),  # Soup, stock, beef, home-prepared
    ("béchamel", (), "06166"),  # Sauce, homemade, white, medium
    ("Swedish falukorv", (), "07004"),  # Sausage, Berliner, pork, beef
    ("chipotle peppers in adobo sauce", (), "11632"),  # Peppers, jalapeno, canned, solids and liquids
    ("savoiardi biscuits", (), "18423"),  # Cookies, ladyfingers (not a refrigerated biscuit dough)
])
def test_curated_names_of_catalog_lines_no_food_matched(db, ndb, name, hints, expected):  # noqa: F811
    assert ndb(name, hints) == expected
