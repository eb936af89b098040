"""Why no plan exists, in words a person understands.

Each explanation comes from relaxing one rule and checking, with the same
MILP, whether a plan then exists; the rule whose relaxation helps is the one
named. Pure: works on planner requests and plain counts, no ORM.
"""

import math
from collections import Counter
from dataclasses import replace

from mealplan import planner

RULE_HINTS = {
    "diet": "without your diet",
    "allergens": "if allergens were allowed",
    "dislikes": "if your dislikes were allowed",
    "time": "without the time limit",
}


def describe_rules(meal_type: str, *, diet_name: str = "", allergen_names=(), has_dislikes: bool = False,
                   max_minutes: int | None = None) -> str:
    """'vegan breakfast without tree nuts or peanuts under 10 minutes'."""
    words = [diet_name.lower(), meal_type]
    if allergen_names:
        words.append("without " + " or ".join(name.lower() for name in allergen_names))
    if has_dislikes:
        words.append("free of your dislikes")
    if max_minutes is not None:
        words.append(f"under {max_minutes} minutes")
    return " ".join(word for word in words if word)


def missing_meal_type(description: str, relaxed_counts: dict[str, int]) -> str:
    """A meal type no recipe satisfies, and which single rule would open it up."""
    hints = [f"{count} {RULE_HINTS[rule]}" for rule, count in relaxed_counts.items() if count]
    sentence = f"No {description} in the catalog."
    return f"{sentence} There would be {', '.join(hints)}." if hints else sentence


def _money(amount: float) -> str:
    return f"{amount:,.2f}"


def _variety_reasons(request: planner.PlanRequest) -> list[str]:
    """Meal types with too few recipes for the repeat limits."""
    per_day = Counter(request.slot_types)
    open_types = {request.slot_types[slot] for _day, slot in request.free_slots()}
    reasons = []
    for meal_type, slots in per_day.items():
        if meal_type not in open_types:
            continue
        available = len(request.candidates[meal_type])
        per_week = slots * min(request.days, planner.DAYS_PER_WEEK)
        needed = max(math.ceil(per_week / request.max_repeats_per_week), slots)
        if not request.allow_leftovers and request.days > 1:
            needed = max(needed, 2 * slots)
        if available < needed:
            reasons.append(
                f"Only {available} {meal_type} recipe{'s' if available != 1 else ''} fit your rules, too few for "
                f"{per_week} {meal_type}s a week with each recipe at most {request.max_repeats_per_week} "
                f"time{'s' if request.max_repeats_per_week != 1 else ''} a week"
                f"{'' if request.allow_leftovers else ' and never on consecutive days'}: "
                "allow more repeats or leftovers."
            )
    return reasons


def _relax_variety(request: planner.PlanRequest) -> planner.PlanRequest:
    return replace(request, max_repeats_per_week=planner.DAYS_PER_WEEK * len(request.slot_types), allow_leftovers=True)


def _unlock_all(request: planner.PlanRequest) -> planner.PlanRequest:
    return replace(request, fixed={}, slot_candidates={})


def _budget_reason(request: planner.PlanRequest, time_limit: float | None) -> str:
    cheapest = planner.cheapest_peak_day_cost(request, time_limit=time_limit)
    if cheapest is None:
        return f"A budget of {_money(request.budget)} a day is too low for a plan that meets your other rules."
    return (
        f"A budget of {_money(request.budget)} a day is below the cheapest day that meets "
        f"your rules ({_money(cheapest)})."
    )


def _locked_reasons(request: planner.PlanRequest) -> list[str]:
    _, costs = planner.day_totals(request, request.fixed)
    if request.budget is not None:
        over = [day for day in range(request.days) if costs[day] > request.budget + 1e-9]
        if over:
            return [
                f"Your locked meals on day {day + 1} cost {_money(costs[day])}, over your daily budget "
                f"of {_money(request.budget)}." for day in over
            ]
    return ["Your locked or kept meals leave no way to meet your rules for the rest of the plan: unlock some of them."]


def explain_infeasible(request: planner.PlanRequest, *, time_limit: float | None = None) -> list[str]:
    """Plain-words reasons why `request` has no plan; never empty."""
    empty = sorted({request.slot_types[slot] for day, slot in request.free_slots()
                    if len(request.candidates_for(day, slot)) == 0})
    if empty:
        return [f"No {meal_type} recipe in the catalog fits your rules." for meal_type in empty]
    if request.fixed and planner.is_feasible(_unlock_all(request), time_limit=time_limit):
        return _locked_reasons(request)
    budgeted = request.budget is not None
    if budgeted and planner.is_feasible(request, with_budget=False, time_limit=time_limit):
        return [_budget_reason(request, time_limit)]
    variety = _relax_variety(request)
    if planner.is_feasible(variety, time_limit=time_limit):
        return _variety_reasons(request) or [
            "Too few different recipes fit your rules for this much variety: allow more repeats or leftovers."
        ]
    if budgeted and planner.is_feasible(variety, with_budget=False, time_limit=time_limit):
        return [*(_variety_reasons(request) or ["Your variety rules are too strict for the recipes that fit."]),
                _budget_reason(variety, time_limit)]
    return ["Too few recipes fit your rules to fill every meal of the day with a different recipe."]
