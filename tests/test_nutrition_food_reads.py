"""A recipe's lines read their matched foods and portions together, and always as they are now."""

import pytest

from meals.models import FoodPortion
from meals.services import resolve_lines
from tests.nutrition_catalog import make_catalog


@pytest.fixture
def catalog(db):
    return make_catalog()


def test_a_recipes_foods_and_portions_are_read_in_two_queries_whatever_its_length(catalog,
                                                                                   django_assert_num_queries):
    resolve_lines(["1 onion"])  # builds the matcher's word index
    with django_assert_num_queries(2):
        lines = resolve_lines(["2 onions", "1 large onion", "2 tbsp olive oil", "2 cloves garlic", "1 cup flour",
                               "-5 cups sugar"])
    assert [line.grams for line in lines] == [220, 150, 27, 6, 125, None]
    assert lines[-1].problem.startswith("negative quantity")
    assert [line.order for line in lines] == [0, 1, 2, 3, 4, 5]


def test_a_food_staff_edited_is_read_as_it_is_now(catalog):
    assert [line.grams for line in resolve_lines(["1 large onion"])] == [150]
    FoodPortion.objects.filter(food=catalog["11282"], measure="large").update(gram_weight=160)
    assert [line.grams for line in resolve_lines(["1 large onion"])] == [160]
