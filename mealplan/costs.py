"""What a plan costs, day by day, against the person's daily budget. Pure: plain rows in, figures out.

A meal costs its recipe's cost per serving × the servings one person eats (the planner's budget
is per person per day); the week's shopping multiplies by the household size. Selectors read the
rows (mealplan.selectors.plan_cost), pages show `PlanCost`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PlanCost:
    per_day: tuple[Decimal, ...]  # one person, index = day of the plan
    household_size: int
    daily_budget: Decimal | None

    @property
    def week(self) -> Decimal:
        """All days, one person."""
        return sum(self.per_day, Decimal(0)).quantize(CENT)

    @property
    def household_total(self) -> Decimal:
        return (self.week * self.household_size).quantize(CENT)

    @property
    def average_day(self) -> Decimal:
        return (self.week / len(self.per_day)).quantize(CENT) if self.per_day else Decimal(0)

    @property
    def days_over_budget(self) -> tuple[int, ...]:
        if self.daily_budget is None:
            return ()
        return tuple(day for day, cost in enumerate(self.per_day) if cost > self.daily_budget)

    @property
    def within_budget(self) -> bool | None:
        """None when there is no budget to compare with."""
        return None if self.daily_budget is None else not self.days_over_budget


def plan_cost(meals: Iterable[tuple[int, Decimal | float, Decimal | float]], *, days: int, household_size: int,
              daily_budget: Decimal | float | None) -> PlanCost:
    """`meals` are (day, servings one person eats, recipe cost per serving); numbers of any type
    (raw SQL on SQLite gives floats)."""
    totals = [Decimal(0)] * days
    for day, servings, cost_per_serving in meals:
        totals[day] += money(servings) * money(cost_per_serving)
    return PlanCost(per_day=tuple(total.quantize(CENT) for total in totals), household_size=household_size,
                    daily_budget=None if daily_budget is None else money(daily_budget).quantize(CENT))


def money(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
