"""Which meal types make up a day of N meals.

Slots are ordered as they are eaten; snacks come last so that a day of N
meals is always a prefix-compatible, predictable layout for the pages.
"""

from meals.models import MealType

MAIN_MEALS = {
    2: (MealType.BREAKFAST, MealType.DINNER),
    3: (MealType.BREAKFAST, MealType.LUNCH, MealType.DINNER),
}
MIN_MEALS, MAX_MEALS = 2, 6


def meal_types_for(meals_per_day: int) -> tuple[str, ...]:
    """2 = breakfast + dinner, 3 = + lunch, each meal beyond 3 is a snack."""
    if not MIN_MEALS <= meals_per_day <= MAX_MEALS:
        raise ValueError(f"meals per day must be between {MIN_MEALS} and {MAX_MEALS}, not {meals_per_day}")
    if meals_per_day in MAIN_MEALS:
        return tuple(str(t) for t in MAIN_MEALS[meals_per_day])
    return (*meal_types_for(3), *(str(MealType.SNACK),) * (meals_per_day - 3))
