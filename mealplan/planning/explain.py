"""Why no plan exists, in words a person understands.

Each explanation comes from relaxing rules (`rules.RULES`, in order) and checking, with the
beam search and the same MILP on the best-fitting candidates, whether a plan then exists: the
rule whose relaxation alone helps is named, else the pair of rules that conflict. Pure: works on planner requests and plain counts, no ORM.
"""

import math
import time
from itertools import combinations

import highspy

from mealplan.planning import rules
from mealplan.planning.milp import Model, cheapest_day_on_target, day_key, day_request, is_feasible
from mealplan.planning.objective import OBJECTIVE
from mealplan.planning.preselect import WIDER_KEEP, preselect
from mealplan.planning.types import KCAL, PROTEIN, PlanRequest, PlanSolution, day_totals

# A day this far off its energy target, or this far short of protein, is named on the plan.
SHORTFALL = 0.10
# The explainer's what-ifs plan from the service's widest try (WIDER_KEEP), each stopping after WHAT_IF_SECONDS
# when the explanation has a limit.
WHAT_IF_SECONDS = 0.3
WEEK_COST_SECONDS = 1.0  # for the cheapest week's dearest day, which HiGHS may take long to prove
REASON_SECONDS = 0.3  # for the reason a day is off target: a one-day MILP, usually solved in milliseconds

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


RAN_OUT = "The planner ran out of time before finding a plan: try fewer days or looser rules."


def explain_infeasible(request: PlanRequest, *, time_limit: float | None = None,
                       searched_out: bool = False) -> list[str]:
    """Plain-words reasons why `request` has no plan; never empty. `time_limit` bounds the whole
    explanation (None: none): each what-if gets the time left, at most WHAT_IF_SECONDS, and one
    that shows no plan in it does not explain; when time runs out the sentence says so.
    `searched_out`: the solver ran out of time rather than proving there is no plan; a rule whose
    loosening finds a plan is still named (a budget below what the other rules cost), but when none
    is found the answer is that the time ran out, not that too few recipes fit."""
    until = time.perf_counter() + (math.inf if time_limit is None else time_limit)
    cap = math.inf if time_limit is None else WHAT_IF_SECONDS
    empty = sorted({request.slot_types[slot] for day, slot in request.free_slots()
                    if len(request.candidates_for(day, slot)) == 0})
    if empty:
        return [f"No {meal_type} recipe in the catalog fits your rules." for meal_type in empty]
    for rule in rules.active_rules(request):
        if rule.yields:  # the solver drops it before refusing a plan
            request = rule.relax(request)
    if rules.obviously_broken(request):  # named at once: the first rule whose relaxation mends it
        for rule in rules.active_rules(request):
            if not rules.obviously_broken(rule.relax(request)):
                return rule.reasons(request, time_limit=_left(until))
    active = rules.active_rules(request)
    for rule in active:
        if plan_exists(rule.relax(request), until=until, cap=cap):
            return rule.reasons(request, time_limit=_left(until))
    for first, second in combinations(active, 2):
        if plan_exists(second.relax(first.relax(request)), until=until, cap=cap):
            return [*first.reasons(second.relax(request), time_limit=_left(until)),
                    *second.reasons(first.relax(request), time_limit=_left(until))]
    if searched_out:
        return [RAN_OUT]
    if time.perf_counter() >= until:
        return ["No plan keeps all of your rules together, and the planner ran out of time before finding which "
                "of them conflict: loosen one (budget, cooking time, repeats) and try again."]
    return ["Too few recipes fit your rules to fill every meal of the day with a different recipe."]


def plan_exists(request: PlanRequest, *, until: float, cap: float = math.inf) -> bool:
    """Whether a plan keeping `request`'s active rules is found by `until` (and within `cap`
    seconds), on as many best-fitting candidates as the service's widest try: the full candidates
    of a large catalog made models that took seconds to build, and to find a first plan in."""
    left = min(until - time.perf_counter(), cap)
    return left > 0 and is_feasible(preselect(request, keep=WIDER_KEEP), time_limit=left)


def cheapest_peak_day_cost(request: PlanRequest, *, time_limit: float | None = None,
                           enough: float = math.inf) -> float | None:
    """Lowest possible cost of the plan's most expensive day under the request's active rules,
    or a proven floor on it above `enough`: first the dearest of the days' cheapest on their own
    (full candidates, one small model a day; no plan's dearest day costs less), then, unless that
    is above `enough`, the week's own optimum on the explainer's candidates (`plan_exists`, at most
    WEEK_COST_SECONDS) when it is more. None when neither is proven within `time_limit` (a plan's cost is no floor)."""
    until = time.perf_counter() + (math.inf if time_limit is None else time_limit)
    known, floor = {}, 0.0
    for day in range(request.days):
        part = day_request(request, day)
        key = day_key(part)
        if key not in known:
            known[key] = _least_cost(part, until=until)
        if known[key] is None:
            return None
        floor = max(floor, known[key])
    if floor > enough:
        return floor
    week = _least_cost(preselect(request, keep=WIDER_KEEP), until=min(until, time.perf_counter() + WEEK_COST_SECONDS))
    return None if week is None else max(floor, week)


def _least_cost(request: PlanRequest, *, until: float) -> float | None:
    """The proven least cost of the request's most expensive day under its active rules, or None."""
    left = until - time.perf_counter()
    model = Model(request)
    if left <= 0 or any(len(s) == 0 for s in model.sets):
        return None
    model.add_rules()
    model.add_max_day_cost_objective()
    highs = model.run(time_limit=left, relative_gap=1e-6)
    proven = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return highs.getInfo().objective_function_value if proven else None


def _left(until: float) -> float | None:
    return None if math.isinf(until) else max(until - time.perf_counter(), 0.0)


def shortfalls(request: PlanRequest, solution: PlanSolution) -> list[str]:
    """Plain words for each day of a found plan that misses its energy by more than 10 % or its
    protein by more than 10 % short, then why (see `_shortfall_reason`); empty when none does."""
    nutrients, _ = day_totals(request, solution.meals)
    kcal, protein = float(request.targets[KCAL]), float(request.targets[PROTEIN])
    sentences = []
    for day, (eaten_kcal, eaten_protein) in enumerate(nutrients[:, [KCAL, PROTEIN]]):
        parts = []
        if abs(eaten_kcal / kcal - 1) > SHORTFALL:
            parts.append(f"{eaten_kcal:,.0f} kcal of your {kcal:,.0f} ({eaten_kcal / kcal - 1:+.0%})")
        if eaten_protein < (1 - SHORTFALL) * protein:
            parts.append(f"{eaten_protein:,.0f} g of your {protein:,.0f} g protein ({eaten_protein / protein - 1:+.0%})")
        if parts:
            sentences.append(f"Day {day + 1} has {' and '.join(parts)}.")
    if not sentences:
        return []
    worst = int(OBJECTIVE.day_scores(request, solution.meals).argmax())
    return [*sentences, _shortfall_reason(request, worst)]


def _shortfall_reason(request: PlanRequest, day: int) -> str:
    """Which rule keeps a day off target: the budget when the cheapest on-target day under the
    other rules costs more; the catalog when no day on target exists under them; else the
    rules that link days (variety)."""
    part = day_request(request, day)
    budget = next((rule for rule in rules.active_rules(part) if rule.name == "budget"), None)
    cheapest = cheapest_day_on_target(budget.relax(part) if budget else part, within=SHORTFALL,
                                      time_limit=REASON_SECONDS)
    if cheapest is None:
        return ("The planner found no day within 10 % of these targets among the recipes that fit your rules in the "
                "time it had.")
    if math.isinf(cheapest):
        return ("No day made of the recipes that fit your rules (diet, allergens, dislikes, cooking time, meal sizes) "
                "comes within 10 % of these targets.")
    if budget is not None and cheapest > request.budget + 1e-9:
        return (f"Your budget of {rules.money(request.budget)} a day is below the cheapest day that comes within 10 % "
                f"of your targets under your other rules ({rules.money(cheapest)}).")
    return ("Your variety rules (repeat limits, no recipe on consecutive days, a different menu each day) use up the "
            "recipes that would reach your targets: allow more repeats or leftovers.")
