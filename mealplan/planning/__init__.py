"""The plan optimizer, pure (plain data in and out, no ORM).

`types` holds the request and solution; `objective` the one objective; `rules` one class per
hard rule, registered in `rules.RULES`; `milp`, `beam` and `patterns` the three ways of
searching, which read the objective and the rules only through their interfaces; `solver`
combines them (`solve`); `explain` says why a request has no plan; `preselect` trims the
candidates. Import from here.
"""

from mealplan.planning.explain import describe_rules, explain_infeasible, missing_meal_type
from mealplan.planning.objective import OBJECTIVE, TOLERANCE_BANDS
from mealplan.planning.preselect import PRESELECT_KEEP, WIDER_KEEP, preselect
from mealplan.planning.rules import RULES
from mealplan.planning.solver import beam_plan, day_bounds, exact_week, solve
from mealplan.planning.types import (
    CARB, DAYS_PER_WEEK, FAT, KCAL, NUTRIENTS, PROTEIN, CandidateSet, ChosenMeal, EarlierMeal, FixedMeal, PlanRequest,
    PlanSolution, WeeklyRule, day_totals,
)

__all__ = [
    "CARB", "DAYS_PER_WEEK", "EarlierMeal", "FAT", "KCAL", "NUTRIENTS", "OBJECTIVE", "PROTEIN", "RULES", "TOLERANCE_BANDS", "CandidateSet",
    "ChosenMeal", "FixedMeal", "PRESELECT_KEEP", "WIDER_KEEP", "PlanRequest", "PlanSolution", "WeeklyRule", "beam_plan", "day_bounds", "day_totals",
    "describe_rules", "exact_week", "explain_infeasible", "missing_meal_type", "preselect", "solve",
]
