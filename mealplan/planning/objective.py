"""The one objective: how far each day's energy, protein, fat and carbohydrate land from the
targets, as weighted absolute deviations beyond a dead zone, much steeper beyond the tolerance
bands, plus a small cost for keeping a recipe a regeneration was asked to replace.

`OBJECTIVE` evaluates days and plans, bounds a day from below over a box of possible totals
(the pattern search's pruning), builds the per-day form the beam and pattern searches score
with, and adds its columns and rows to the MILP. Nothing else writes the objective.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from itertools import groupby
from dataclasses import dataclass, replace

import numpy as np

from mealplan.planning.types import DAYS_PER_WEEK, SERVING_STEP, ChosenMeal, PlanRequest, day_totals, fixed_day_totals

# Relative importance of missing each target by 1 % of it.
NUTRIENT_WEIGHTS = np.array([1.0, 0.5, 0.35, 0.35])
# Deviations within this share of a target are not worth trading anything for (food labels
# themselves are only accurate to several per cent); beyond it each 1 % costs its weight.
DEAD_ZONE = np.array([0.025, 0.05, 0.05, 0.05])
# Beyond these bands (share of target) a day counts as off target; deviation there costs much more.
TOLERANCE_BANDS = np.array([0.05, 0.10, 0.10, 0.10])
BAND_PENALTY = 10.0
# Cost of keeping the recipe a regeneration is asked to replace (≈ missing kcal by 3 %).
KEEP_PREVIOUS_PENALTY = 0.03
# Objectives equal to this many decimals meet the targets alike (then the more varied plan wins).
TIE_DECIMALS = 9


@dataclass(frozen=True)
class DayObjective:
    """One day's share of the objective, for rows of day totals (the fast searches' form)."""

    targets: np.ndarray  # (4,)
    base_nutrients: np.ndarray  # fixed meals of the day
    weights: np.ndarray  # (4,) cost per unit deviation
    dead_zone: np.ndarray  # (4,) absolute widths
    band: np.ndarray  # (4,) absolute widths
    band_penalty: float | np.ndarray  # per nutrient when an array

    def evaluate(self, totals: np.ndarray) -> np.ndarray:
        deviation = np.abs(totals - self.targets)
        return self._charged(deviation)

    def order(self, totals: np.ndarray, repeats: np.ndarray, guide: np.ndarray) -> np.ndarray:
        """Indices of complete days (rows of totals), best first: the lowest objective, then, among
        days meeting the targets alike, the fewest dishes eaten within 7 days of another use (the
        objective's tie-break for variety, a second criterion rather than a charge: charging
        repeats lifted every week's optimum above the day bounds, so that none was proven), then
        `guide` (the searches' own preference)."""
        return np.lexsort((guide, repeats, np.round(self.evaluate(totals), TIE_DECIMALS)))

    def floor(self, low: np.ndarray, high: np.ndarray) -> np.ndarray:
        """Least objective of any totals inside the boxes [low, high] (rows): a lower bound."""
        return self._charged(np.maximum(0, np.maximum(low - self.targets, self.targets - high)))

    def scaled(self, share: float) -> "DayObjective":
        """The same day measured against a share of its targets (a partly planned day)."""
        return replace(self, targets=self.targets * share)

    def _charged(self, deviation: np.ndarray) -> np.ndarray:
        charged = np.maximum(deviation - self.dead_zone, 0) + self.band_penalty * np.maximum(deviation - self.band, 0)
        return charged @ self.weights


def dishes_near(request: PlanRequest, day: int, eaten) -> Counter:
    """How often each dish family was eaten within 7 days of `day` (less than 7 days apart): in
    `eaten`, (day, family) pairs of planned meals, and in the previous plan (`request.history`).
    A meal on `day` whose dish is among them repeats a dish eaten within 7 days: what the
    variety tie-break counts (`NutritionObjective.repeats`) and the searches steer by."""
    uses = Counter(family for other, family in eaten if abs(other - day) < DAYS_PER_WEEK)
    uses.update(meal.family for meal in request.history if day - meal.day < DAYS_PER_WEEK)
    return uses


class NutritionObjective:
    """Weighted deviation from the day's targets, summed over the days, plus the keep-previous cost."""

    def targets(self, request: PlanRequest) -> np.ndarray:
        return np.maximum(np.asarray(request.targets, dtype=float), 1.0)

    def day(self, request: PlanRequest, day: int) -> DayObjective:
        targets = self.targets(request)
        return DayObjective(
            targets=targets, base_nutrients=fixed_day_totals(request)[0][day], weights=NUTRIENT_WEIGHTS / targets,
            dead_zone=DEAD_ZONE * targets, band=TOLERANCE_BANDS * targets, band_penalty=BAND_PENALTY,
        )

    def day_scores(self, request: PlanRequest, meals: Mapping[tuple[int, int], ChosenMeal]) -> np.ndarray:
        """Each day's share of the nutrition objective."""
        targets = self.targets(request)
        deviation = np.abs(day_totals(request, meals)[0] - targets)
        charged = (np.maximum(deviation - DEAD_ZONE * targets, 0)
                   + BAND_PENALTY * np.maximum(deviation - TOLERANCE_BANDS * targets, 0))
        return charged @ (NUTRIENT_WEIGHTS / targets)

    def kept_penalty(self, request: PlanRequest, day: int, slot: int, recipes: np.ndarray) -> np.ndarray:
        """Per option: the cost of keeping the recipe the regeneration is to replace."""
        return np.where(recipes == request.previous.get((day, slot), -1), KEEP_PREVIOUS_PENALTY, 0.0)

    def repeats(self, request: PlanRequest, meals: Mapping[tuple[int, int], ChosenMeal]) -> int:
        """Meals whose dish (recipe family) was eaten before within 7 days (`dishes_near`, the
        meals before it in the plan): the tie-break between plans that meet the targets alike
        (fewer is better)."""
        keys = sorted(meals)
        eaten = list(zip((day for day, _slot in keys), request.family_of([meals[key].recipe_id for key in keys]).tolist()))
        repeated, before = 0, []
        for day, group in groupby(eaten, key=lambda meal: meal[0]):  # dishes_near once a day, then the day's own
            near, today = dishes_near(request, day, before), [dish for _, dish in group]
            repeated += sum(near[dish] > 0 or dish in today[:i] for i, dish in enumerate(today))
            before += [(day, dish) for dish in today]
        return repeated

    def better(self, request: PlanRequest, meals, than) -> bool:
        """Whether plan `meals` beats plan `than`: a lower objective, or the same with fewer repeated dishes."""
        mine, theirs = round(self.evaluate(request, meals), TIE_DECIMALS), round(self.evaluate(request, than), TIE_DECIMALS)
        return mine < theirs or (mine == theirs and self.repeats(request, meals) < self.repeats(request, than))

    def evaluate(self, request: PlanRequest, meals: Mapping[tuple[int, int], ChosenMeal]) -> float:
        """The MILP's objective for a complete plan, computed directly."""
        kept = sum(request.previous.get(key) == meal.recipe_id for key, meal in meals.items()
                   if key not in request.fixed)
        return float(self.day_scores(request, meals).sum()) + KEEP_PREVIOUS_PENALTY * kept

    def add_rows(self, model) -> dict[int, list[tuple[int, float]]]:
        """Per day and nutrient: deviation = intake − target, charged beyond the dead zone and,
        much more steeply, beyond the tolerance band. Returns each day's objective terms
        (column, cost), which the day bounds are written on."""
        request = model.request
        targets = self.targets(request)
        unit_cost = NUTRIENT_WEIGHTS / targets
        fixed_nutrients, _ = fixed_day_totals(request)
        day_objective = defaultdict(list)
        for day in range(request.days):
            choices = np.flatnonzero(model.day_of == day)
            deviation = model.add_cols(4, -math.inf, math.inf)
            for k in range(4):
                model.add_row(
                    [*model.n[choices], deviation[k]],
                    [*(model.nutrients_of[choices, k] * SERVING_STEP), -1],
                    targets[k] - fixed_nutrients[day, k],
                    targets[k] - fixed_nutrients[day, k],
                )
                for width, weight in ((DEAD_ZONE[k], 1.0), (TOLERANCE_BANDS[k], BAND_PENALTY)):
                    (excess,) = model.add_cols(1, 0, math.inf, unit_cost[k] * weight)
                    day_objective[day].append((excess, unit_cost[k] * weight))
                    for sign in (1, -1):
                        model.add_row([excess, deviation[k]], [1, -sign], lower=-width * targets[k])
        for i in range(model.num_choices):
            if request.previous.get((int(model.day_of[i]), int(model.slot_of[i]))) == model.recipe_of[i]:
                model.col_cost[model.x[i]] += KEEP_PREVIOUS_PENALTY
                day_objective[int(model.day_of[i])].append((model.x[i], KEEP_PREVIOUS_PENALTY))
        return day_objective


OBJECTIVE = NutritionObjective()
