"""Pure arrangement of a plan's meals into days with totals against targets.

Takes already-loaded meals (anything with `day`, `servings` and a `recipe`
carrying per-serving nutrition), so the plan page costs no query per day.
A plan for several household members also takes who eats what (`Eater`s and
each meal's portions): every card says each member's portion, every day has
each member's totals against that member's targets, and one member's week
(`only`) shows their portions and totals alone.
"""

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction

from meals.parsing.scaling import kitchen_number
from mealplan.people.slots import meal_types_for
from mealplan.planning.household import slots_within
from mealplan.planning.milp import slot_energy_shares

# (recipe field, label, unit, plan target field)
DAY_NUTRIENTS = (
    ("energy_kcal", "Energy", "kcal", "target_kcal"),
    ("protein_g", "Protein", "g", "target_protein_g"),
    ("fat_g", "Fat", "g", "target_fat_g"),
    ("carbohydrate_g", "Carbs", "g", "target_carb_g"),
)
TARGET_FIELDS = tuple(target for *_, target in DAY_NUTRIENTS)
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
class Eater:
    """A member a plan is for, as its page shows them: `position` (the member filter's value), name
    and daily targets (plan target field → value)."""

    position: int
    name: str
    targets: dict[str, float]
    user_id: int | None = None  # their account, if they have one
    own_meals: int | None = None  # their own meals a day within the plan's (PlanMember.own_meals_per_day)
    profile_id: int | None = None  # their profile while a current member of the plan's household (who may turn down its recipes)


@dataclass(frozen=True)
class MealCard:
    """A planned meal with what the card shows: energy and macros eaten and servings to cook.

    `servings` is what the card's figures count: the meal's, or one member's portion in their week."""

    meal: object
    kcal: int
    protein_g: int
    fat_g: int
    carbohydrate_g: int
    cook_servings: float
    cost: float | None  # what the servings eaten cost; None while the recipe has no cost (0)
    leftovers_from: str = ""  # "Monday's dinner" for a lunch of the day before's dinner recipe
    servings: float = 0
    portions: tuple[tuple[str, str], ...] = ()  # (member, "1½") of a plan for several members

    @property
    def portions_text(self) -> str:
        """"Alex 1½ · Sam 1 · Mia ½ serving"."""
        if not self.portions:
            return ""
        words = " · ".join(f"{name} {amount}" for name, amount in self.portions)
        return f"{words} {serving_noun(self.portions[-1][1])}"

    @property
    def servings_text(self) -> str:
        """"1½ servings", "½ serving"."""
        words = servings_in_words(self.servings)
        return f"{words} {serving_noun(words)}"


@dataclass(frozen=True)
class MemberTotals:
    """One member's day against their targets (less the meals they eat elsewhere that day)."""

    eater: Eater
    totals: tuple["NutrientTotal", ...]


@dataclass(frozen=True)
class PlanDay:
    index: int
    date: date | None  # None past the calendar's end (a plan stored before start dates were bounded)
    meals: tuple[MealCard, ...]
    totals: tuple[NutrientTotal, ...]  # the plan's one member's, or the member whose week is shown
    members: tuple[MemberTotals, ...] = field(default=())  # each member's, on a plan for several
    totals_for: str = ""  # whose `totals` they are, on a plan for several members
    week_of: str = ""  # the member whose week alone is shown (their meals and portions), "" for everyone

    @property
    def short_label(self) -> str:
        """"Mon 30" under the day's bars ("Day 3" without a date)."""
        return f"{self.date:%a} {self.date.day}" if self.date else f"Day {self.index + 1}"

    @property
    def label(self) -> str:
        return f"{self.date:%a %d %b}" if self.date else f"Day {self.index + 1}"


def meal_amount(meal, field: str, servings=None) -> float:
    return float(getattr(meal.recipe, field)) * float(meal.servings if servings is None else servings)


def day_totals(meals, targets: dict[str, float], servings=None) -> tuple[NutrientTotal, ...]:
    """The day's totals of `meals` (each `servings[i]` of its recipe, else its own servings)."""
    eaten = [None] * len(meals) if servings is None else servings
    return tuple(
        NutrientTotal(
            label=label,
            unit=unit,
            amount=round(sum(meal_amount(meal, field, amount) for meal, amount in zip(meals, eaten))),
            target=targets[target_field],
        )
        for field, label, unit, target_field in DAY_NUTRIENTS
    )


def serving_noun(words: str) -> str:
    return "serving" if words in ("1", "½") else "servings"


def servings_in_words(servings) -> str:
    """Half steps as a cook says them: 1.5 → "1½", 0.5 → "½", 2 → "2"."""
    return kitchen_number(Fraction(str(servings)).limit_denominator(2))


def plan_targets(plan) -> dict[str, float]:
    return {target_field: getattr(plan, target_field) for *_, target_field in DAY_NUTRIENTS}


def meal_card(meal, household_size: int, leftovers_from: str = "", *, servings=None, portions=()) -> MealCard:
    eaten = float(meal.servings if servings is None else servings)
    return MealCard(
        leftovers_from=leftovers_from,
        meal=meal,
        kcal=round(meal_amount(meal, "energy_kcal", eaten)),
        protein_g=round(meal_amount(meal, "protein_g", eaten)),
        fat_g=round(meal_amount(meal, "fat_g", eaten)),
        carbohydrate_g=round(meal_amount(meal, "carbohydrate_g", eaten)),
        cost=meal_amount(meal, "cost_per_serving", eaten) or None,
        cook_servings=float(meal.servings) * household_size,
        servings=eaten,
        portions=portions,
    )


def day_date(start: date, index: int) -> date | None:
    try:
        return start + timedelta(days=index)
    except OverflowError:
        return None


def home_share(layout: dict[int, str], at_home: set[int], own_meals: int | None) -> float:
    """The share of a member's day they eat at home: 1 less the usual shares of the meals they eat
    elsewhere, over their own meals a day within the plan's (`layout`: slot -> meal type), whose slots
    they do not eat at all and whose shares are those of a day of their own meals."""
    slots = list(layout)
    own = [slots[index] for index in slots_within(tuple(layout.values()), meal_types_for(own_meals))] \
        if own_meals else slots
    shares = slot_energy_shares(tuple(layout[slot] for slot in own))
    return 1 - sum(shares[layout[slot]] for slot in own if slot not in at_home)


def plan_days(plan, meals, *, eaters=(), portions=None, only: int | None = None,
              viewer: int | None = None) -> list[PlanDay]:
    """One entry per day of `plan` (empty days included), meals in slot order.

    For a plan of several members, `eaters` are its members and `portions` maps a meal's id to
    ((position, servings), …). `only` (a position) shows that member's week: the meals they eat,
    their portions' figures and their totals; otherwise the days' `totals` are those of the eater
    whose account is `viewer`'s (the first eater's when none is).
    """
    if len(eaters) < 2:
        return _days(plan, meals, lambda day_meals: day_totals(day_meals, plan_targets(plan)))
    portions = portions or {}
    layout = dict(sorted({meal.slot: meal.meal_type for meal in meals}.items()))
    by_position = {eater.position: eater for eater in eaters}
    only = only if only in by_position else None

    def eaten(meal, position):
        return dict(portions.get(meal.pk, ())).get(position)

    def member_totals(eater, day_meals):
        mine = [(meal, eaten(meal, eater.position)) for meal in day_meals if eaten(meal, eater.position) is not None]
        share = home_share(layout, {meal.slot for meal, _ in mine}, eater.own_meals)
        targets = {name: target * max(share, 0) for name, target in eater.targets.items()}
        return MemberTotals(eater, day_totals([meal for meal, _ in mine], targets, [amount for _, amount in mine]))

    def card_portions(meal):
        return tuple((by_position[position].name, servings_in_words(servings))
                     for position, servings in portions.get(meal.pk, ()) if position in by_position)

    focus = by_position.get(only) or next((eater for eater in eaters if viewer and eater.user_id == viewer), eaters[0])
    days = _days(plan, [meal for meal in meals if only is None or eaten(meal, only) is not None],
                 lambda day_meals: (), portions=card_portions,
                 servings=(lambda meal: eaten(meal, only)) if only is not None else None)
    by_index = {index: [m for m in meals if m.day == index] for index in range(plan.days)}
    return [replace(day, members=tuple(member_totals(eater, by_index.get(day.index, [])) for eater in eaters),
                    totals=member_totals(focus, by_index.get(day.index, [])).totals, totals_for=focus.name,
                    week_of=focus.name if only is not None else "")
            for day in days]


def _days(plan, meals, totals, *, portions=lambda meal: (), servings=None) -> list[PlanDay]:
    by_day: dict[int, list] = {index: [] for index in range(plan.days)}
    for meal in sorted(meals, key=lambda meal: (meal.day, meal.slot, getattr(meal, "dish", 0))):
        by_day.setdefault(meal.day, []).append(meal)
    dinners = {meal.day: meal.recipe_id for meal in meals if meal.meal_type == "dinner"}
    return [
        PlanDay(
            index=index,
            date=day_date(plan.start_date, index),
            meals=tuple(meal_card(meal, plan.household_size, leftovers_from(plan, meal, dinners),
                                  servings=servings(meal) if servings else None, portions=portions(meal))
                        for meal in day_meals),
            totals=totals(day_meals),
        )
        for index, day_meals in sorted(by_day.items())
    ]


def leftovers_from(plan, meal, dinners: dict[int, int]) -> str:
    """"Monday's dinner" when a lunch is the day before's dinner recipe (cooked for both), else ""."""
    if meal.meal_type != "lunch" or dinners.get(meal.day - 1) != meal.recipe_id:
        return ""
    cooked = day_date(plan.start_date, meal.day - 1)
    return f"{cooked:%A}'s dinner" if cooked else f"day {meal.day}'s dinner"


# The week chart's geometry, in SVG user units (the SVG scales to the page's width).
CHART_DAY_WIDTH = 40
CHART_BAR_WIDTH = 8
CHART_LEFT = 34  # room for the percent axis labels
CHART_TOP = 6
CHART_PLOT_HEIGHT = 120  # 0 … BAR_MAX_PERCENT
CHART_BOTTOM = 16  # room for the day labels
CHART_CLASSES = ("kcal", "protein", "fat", "carb")  # one per DAY_NUTRIENTS entry, styled in site.css


@dataclass(frozen=True)
class ChartBar:
    x: int
    y: float
    height: float
    css_class: str
    title: str


@dataclass(frozen=True)
class WeekChart:
    """Each day's energy and macros as bars against their targets (100 %), ready for an SVG."""

    width: int
    height: int
    bars: tuple[ChartBar, ...]
    day_labels: tuple[tuple[int, str], ...]  # (centre x, "Mon 30")
    axis: tuple[tuple[float, int], ...]  # (y, percent) gridlines
    band: tuple[float, float]  # (y, height) of the on-target band
    plot_left: int = CHART_LEFT
    axis_label_x: int = CHART_LEFT - 4
    bar_width: int = CHART_BAR_WIDTH - 1  # a hairline gap between a day's bars

    @property
    def plot_width(self) -> int:
        return self.width - self.plot_left

    @property
    def day_label_y(self) -> int:
        return self.height - 3


def chart_y(percent: float) -> float:
    """The SVG y of a percentage of target (bars above BAR_MAX_PERCENT are cut at the top)."""
    return round(CHART_TOP + CHART_PLOT_HEIGHT * (1 - min(percent, BAR_MAX_PERCENT) / BAR_MAX_PERCENT), 1)


@dataclass(frozen=True)
class PlanSummary:
    averages: tuple[NutrientTotal, ...]  # each nutrient's daily mean against its target
    charts: tuple[WeekChart, ...]  # one per week, so a phone shows seven days at a readable size
    whose: str = ""  # the member whose days they are, on a plan for several members


def plan_summary(days: list[PlanDay]) -> PlanSummary:
    """The plan page's summary, from the days already built: daily averages and a chart per week
    (the plan's cost is mealplan.shopping.costs', shown beside it)."""
    averages = tuple(
        NutrientTotal(label=first.label, unit=first.unit, target=first.target,
                      amount=round(sum(day.totals[index].amount for day in days) / len(days)))
        for index, first in enumerate(days[0].totals)
    ) if days else ()
    return PlanSummary(
        averages=averages,
        charts=tuple(week_chart(days[start:start + 7]) for start in range(0, len(days), 7)),
        whose=days[0].totals_for if days else "",
    )


def week_chart(days: list[PlanDay]) -> WeekChart:
    """Each day's bars, cut at BAR_MAX_PERCENT, with gridlines and the on-target band."""
    bars, labels = [], []
    for position, day in enumerate(days):
        left = CHART_LEFT + position * CHART_DAY_WIDTH + (CHART_DAY_WIDTH - 4 * CHART_BAR_WIDTH) // 2
        labels.append((CHART_LEFT + position * CHART_DAY_WIDTH + CHART_DAY_WIDTH // 2, day.short_label))
        for offset, (total, css_class) in enumerate(zip(day.totals, CHART_CLASSES)):
            y = chart_y(total.percent)
            bars.append(ChartBar(
                x=left + offset * CHART_BAR_WIDTH, y=y, height=round(chart_y(0) - y, 1), css_class=css_class,
                title=f"{day.label}: {total.label.lower()} {total.amount} of {total.target:g} {total.unit} "
                      f"({total.percent} %)",
            ))
    low, high = ON_TARGET
    return WeekChart(
        width=CHART_LEFT + len(days) * CHART_DAY_WIDTH + 4,
        height=CHART_TOP + CHART_PLOT_HEIGHT + CHART_BOTTOM,
        bars=tuple(bars),
        day_labels=tuple(labels),
        axis=tuple((chart_y(percent), percent) for percent in (0, 50, 100, 150)),
        band=(chart_y(high), round(chart_y(low) - chart_y(high), 1)),
    )


def grid_version(plan, meal_state: list[tuple]) -> str:
    """A digest of everything the grid shows, so a cached rendering is reused only while it is true.

    `meal_state` holds one tuple per meal of what its card depends on (recipe, servings, lock,
    the recipe's last change…).
    """
    state = (plan.pk, plan.start_date, plan.days, plan.household_size, plan.updated_at,
             *plan_targets(plan).values(), *meal_state)
    return hashlib.sha256(repr(state).encode()).hexdigest()
