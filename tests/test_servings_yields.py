"""meals.parsing.servings: what a yield text says about servings, in the words recipe pages use."""

import pytest

from meals.parsing.servings import one_yield


@pytest.mark.parametrize(("text", "servings", "uncertain"), [
    ("serves 4-6", 5, True),
    ("Serves 4 to 6", 5, True),
    ("2-3", 3, True),  # a range's midpoint rounds half up
    ("Feeds 6", 6, False),
    ("serves four", 4, False),
    ("makes 12", 12, False),
    ("Makes about 3 dozen", 36, True),
    ("half a dozen", 6, True),
    ("makes 2 loaves", 20, True),
    ("Makes one loaf", 10, True),
    ("1 9-inch pie", 8, True),  # a size is not a count: not 72 servings
    ("one 9-inch pie", 8, True),
    ('a 9" pie', 8, True),
    ("9-inch pie", 8, True),  # a whole without a count is one
    ("one 23 cm cake", 12, True),
    ("1 (9x13-inch) pan", 12, True),
    ("2 x 450 g loaves", 20, True),
    ("makes 2 (9-inch) pies", 16, True),
    ("4 4-15", 4, False),  # a range after the count is not the count
])
def test_a_yield_in_words_gives_servings_by_the_published_rules(text, servings, uncertain):
    guess = one_yield(text)
    assert (guess.servings, guess.uncertain) == (servings, uncertain)
    assert bool(guess.reason) == uncertain


@pytest.mark.parametrize("text", ["250 grams", "2 litres", "1 quart", "cookies", "10 oz", "16? (It depends)"])
def test_a_yield_of_a_weight_a_volume_or_no_count_says_nothing(text):
    assert one_yield(text) is None
