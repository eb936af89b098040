"""Pure arrangement of a plan's meals into days with totals against targets.

Takes already-loaded meals (anything with `day`, `servings` and a `recipe`
carrying per-serving nutrition), so the plan page costs no query per day.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

# (recipe field, label, unit, plan target field)
DAY_NUTRIENTS = (
    ("energy_kcal", "Energy", "kcal", "target_kcal"),
    ("protein_g", "Protein", "g", "target_protein_g"),
    ("fat_g", "Fat", "g", "target_fat_g"),
    ("carbohydrate_g", "Carbs", "g", "target_carb_g"),
)
ON_TARGET = (90, 110)  # percent band shown as "on target"
BAR_MAX_PERCENT = 150  # a full bar; the target mark sits at 100/150 of it


@dataclass(frozen=True)
class NutrientTotal:
    label: str
    unit: str
    amount: float
    target: float

    @property
    def percent(self) -> int:
        return round(100 * self.amount / self.target) if self.target else 0

    @property
    def width_class(self) -> str:
        """CSS class w-0 … w-100 in 5 % steps (the CSP forbids inline widths).

        The full bar is BAR_MAX_PERCENT of the target, so overshoots stay visible.
        """
        share = min(self.percent, BAR_MAX_PERCENT) * 100 / BAR_MAX_PERCENT
        return f"w-{5 * round(share / 5)}"

    @property
    def status(self) -> str:
        low, high = ON_TARGET
        if self.percent < low:
            return "under"
        return "over" if self.percent > high else "ok"


@dataclass(frozen=True)
class MealCard:
    """A planned meal with what the card shows: energy eaten and servings to cook."""

    meal: object
    kcal: int
    protein_g: int
    cook_servings: float


@dataclass(frozen=True)
class PlanDay:
    index: int
    date: date | None  # None past the calendar's end (a plan stored before start dates were bounded)
    meals: tuple[MealCard, ...]
    totals: tuple[NutrientTotal, ...]


def meal_amount(meal, field: str) -> float:
    return getattr(meal.recipe, field) * float(meal.servings)


def day_totals(meals, targets: dict[str, float]) -> tuple[NutrientTotal, ...]:
    return tuple(
        NutrientTotal(
            label=label,
            unit=unit,
            amount=round(sum(meal_amount(meal, field) for meal in meals)),
            target=targets[target_field],
        )
        for field, label, unit, target_field in DAY_NUTRIENTS
    )


def plan_targets(plan) -> dict[str, float]:
    return {target_field: getattr(plan, target_field) for *_, target_field in DAY_NUTRIENTS}


def meal_card(meal, household_size: int) -> MealCard:
    return MealCard(
        meal=meal,
        kcal=round(meal_amount(meal, "energy_kcal")),
        protein_g=round(meal_amount(meal, "protein_g")),
        cook_servings=float(meal.servings) * household_size,
    )


def day_date(start: date, index: int) -> date | None:
    try:
        return start + timedelta(days=index)
    except OverflowError:
        return None


def plan_days(plan, meals) -> list[PlanDay]:
    """One entry per day of `plan` (empty days included), meals in slot order."""
    targets = plan_targets(plan)
    by_day: dict[int, list] = {index: [] for index in range(plan.days)}
    for meal in sorted(meals, key=lambda meal: (meal.day, meal.slot)):
        by_day.setdefault(meal.day, []).append(meal)
    return [
        PlanDay(
            index=index,
            date=day_date(plan.start_date, index),
            meals=tuple(meal_card(meal, plan.household_size) for meal in day_meals),
            totals=day_totals(day_meals, targets),
        )
        for index, day_meals in sorted(by_day.items())
    ]


def grid_version(plan, meal_state: list[tuple]) -> str:
    """A digest of everything the grid shows, so a cached rendering is reused only while it is true.

    `meal_state` holds one tuple per meal of what its card depends on (recipe, servings, lock,
    the recipe's last change…).
    """
    state = (plan.pk, plan.start_date, plan.days, plan.household_size, plan.updated_at,
             *plan_targets(plan).values(), *meal_state)
    return hashlib.sha256(repr(state).encode()).hexdigest()
