"""Which meal types make up a day of N meals.

Slots are ordered as they are eaten; snacks come last so that a day of N
meals is always a prefix-compatible, predictable layout for the pages.
"""

from meals.models import MealType
from mealplan.planning.rules import DEFAULT_ENERGY_BANDS

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


def meals_in_words(meals_per_day: int) -> str:
    """The meal types of a day of N meals in words: "breakfast, lunch, dinner and 2 snacks"."""
    types = meal_types_for(meals_per_day)
    snacks = types.count(str(MealType.SNACK))
    names = [MealType(meal_type).label.lower() for meal_type in types if meal_type != MealType.SNACK]
    names += ["a snack"] if snacks == 1 else [f"{snacks} snacks"] if snacks else []
    return f"{', '.join(names[:-1])} and {names[-1]}"


def energy_bands_for(meals_per_day: int, own: dict) -> dict[str, tuple[float, float]] | None:
    """Each meal type's share of the day's energy: the planner's defaults for the meals a day with
    the person's own (`Profile.energy_bands`, per cent) over them; None when they have none."""
    if not own:
        return None
    defaults = DEFAULT_ENERGY_BANDS.get(meals_per_day, {})
    return {**defaults, **{meal: (low / 100, high / 100) for meal, (low, high) in own.items()}}


def bands_cover_the_day(meals_per_day: int, bands: dict[str, tuple[float, float]]) -> bool:
    """Whether the day's meals can add up to 100 % within their bands."""
    types = meal_types_for(meals_per_day)
    return all(t in bands for t in types) and (sum(bands[t][0] for t in types) <= 1 + 1e-9
                                               <= sum(bands[t][1] for t in types) + 2e-9)
