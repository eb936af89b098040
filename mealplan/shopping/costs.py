"""What a plan costs, day by day, against the budget. Pure: plain rows in, figures out.

A meal costs its recipe's cost per serving × every member's portions of it, summed (a dish cooked
once for four is bought once); a plan for one member costs that person's portions, and "cooking
for N" (`household_size`) multiplies the week's shopping. The budget is per person a day, so a
day of a plan for several members is held against it once per member. Selectors read the rows
(mealplan.selectors.plan_page_state, cost_of_plan), pages show `PlanCost`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PlanCost:
    per_day: tuple[Decimal, ...]  # what the plan's members eat, index = day of the plan
    household_size: int
    daily_budget: Decimal | None  # a person's
    eaters: int = 1  # the members the plan is for

    @property
    def week(self) -> Decimal:
        """All days, every member (without "cooking for N")."""
        return sum(self.per_day, Decimal(0)).quantize(CENT)

    @property
    def household_total(self) -> Decimal:
        return (self.week * self.household_size).quantize(CENT)

    @property
    def average_day(self) -> Decimal:
        return (self.week / len(self.per_day)).quantize(CENT) if self.per_day else Decimal(0)

    @property
    def average_person_day(self) -> Decimal:
        return (self.average_day / self.eaters).quantize(CENT)

    @property
    def days_over_budget(self) -> tuple[int, ...]:
        if self.daily_budget is None:
            return ()
        return tuple(day for day, cost in enumerate(self.per_day) if cost > self.daily_budget * self.eaters)

    @property
    def within_budget(self) -> bool | None:
        """None when there is no budget to compare with."""
        return None if self.daily_budget is None else not self.days_over_budget


def plan_cost(meals: Iterable[tuple[int, Decimal | float, Decimal | float]], *, days: int, household_size: int,
              daily_budget: Decimal | float | None, eaters: int = 1) -> PlanCost:
    """`meals` are (day, servings eaten: every member's portions, recipe cost per serving); numbers
    of any type (raw SQL on SQLite gives floats)."""
    totals = [Decimal(0)] * days
    for day, servings, cost_per_serving in meals:
        totals[day] += money(servings) * money(cost_per_serving)
    return PlanCost(per_day=tuple(total.quantize(CENT) for total in totals), household_size=household_size,
                    daily_budget=None if daily_budget is None else money(daily_budget).quantize(CENT), eaters=eaters)


def money(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
