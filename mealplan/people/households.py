"""Households on plain data: invitation links, the words for a member's skipped meals, and what
the household page shows of each member.

An invitation link carries the invitation's random key signed with the project's secret
(django.core.signing), so a link cannot be made up; whether it is still unused and unexpired is
the invitation row's business (mealplan.services.join_household).
"""

from dataclasses import dataclass
from uuid import UUID

from django.core import signing

from meals.models import MealType
from mealplan.models import Weekday
from mealplan.people.slots import meals_in_words
from mealplan.people.targets import NotPlanned, Targets, targets_for_profile

INVITATION_SALT = "mealplan.household-invitation"
WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def invitation_token(key: UUID) -> str:
    return signing.Signer(salt=INVITATION_SALT).sign(str(key))


def invitation_key(token: str) -> UUID | None:
    """The key a link's token carries, or None when the token was not signed by us."""
    try:
        return UUID(signing.Signer(salt=INVITATION_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None


def skip_value(weekday: int, meal_type: str) -> str:
    return f"{weekday}:{meal_type}"


def skip_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Checkbox choices grouped by weekday: ("Monday", [("0:breakfast", "Breakfast"), …])."""
    return [(day.label, [(skip_value(day.value, meal.value), meal.label) for meal in MealType]) for day in Weekday]


def parse_skip(value: str) -> tuple[int, str]:
    weekday, meal_type = value.split(":")
    return int(weekday), meal_type


def describe_skips(skips) -> list[str]:
    """(weekday, meal type) pairs in words, one line a meal type: "Lunch: Mon–Fri", "Dinner: Sat, Sun"."""
    days_by_meal = {}
    for weekday, meal_type in sorted(skips):
        days_by_meal.setdefault(meal_type, []).append(weekday)
    order = list(MealType.values)
    return [f"{MealType(meal_type).label}: {_days_in_words(days)}"
            for meal_type, days in sorted(days_by_meal.items(), key=lambda item: order.index(item[0]))]


def _days_in_words(days: list[int]) -> str:
    """Runs of three or more days as a range: [0, 1, 2, 3, 4, 6] -> "Mon–Fri, Sun"."""
    runs = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(f"{WEEKDAY_SHORT[run[0]]}–{WEEKDAY_SHORT[run[-1]]}" if len(run) >= 3
                     else ", ".join(WEEKDAY_SHORT[day] for day in run) for run in runs)


@dataclass(frozen=True)
class MemberSummary:
    """What the household page shows of a member: their targets (or why there are none) and skipped meals."""

    member: object
    targets: Targets | None
    not_planned: str
    skips: list[str]
    own_meals: str  # "breakfast and dinner (2 meals a day)", or empty: every meal of the household's day


def member_summaries(members) -> list[MemberSummary]:
    summaries = []
    for member in members:
        try:
            targets, not_planned = targets_for_profile(member), ""
        except NotPlanned as refused:
            targets, not_planned = None, str(refused)
        skips = describe_skips((skip.weekday, skip.meal_type) for skip in member.skipped_meals.all())
        own = member.own_meals_per_day
        summaries.append(MemberSummary(member=member, targets=targets, not_planned=not_planned, skips=skips,
                                       own_meals=f"{meals_in_words(own)} ({own} meals a day)" if own else ""))
    return summaries
