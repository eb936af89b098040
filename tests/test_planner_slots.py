import pytest

from mealplan.people.slots import meal_types_for


@pytest.mark.parametrize("meals, expected", [
    (2, ("breakfast", "dinner")),
    (3, ("breakfast", "lunch", "dinner")),
    (4, ("breakfast", "lunch", "dinner", "snack")),
    (6, ("breakfast", "lunch", "dinner", "snack", "snack", "snack")),
])
def test_day_layout_by_meals_per_day(meals, expected):
    assert meal_types_for(meals) == expected


def test_more_meals_than_supported_is_refused():
    with pytest.raises(ValueError, match="between 2 and 6"):
        meal_types_for(7)
