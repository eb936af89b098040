"""Preselection: per meal type, the recipes worth giving the solver (pure, like the rest)."""

import math
from collections import Counter
from dataclasses import replace

import numpy as np

from mealplan.planning import rules
from mealplan.planning.milp import slot_energy_shares
from mealplan.planning.types import DAYS_PER_WEEK, KCAL, MAX_STEPS, SERVING_STEP, CandidateSet, PlanRequest

MACRO_KCAL_PER_G = np.array([4.0, 9.0, 4.0])
# Preselection also keeps, per macro, the recipes richest in that macro: this share of its count,
# or enough for half the meal type's uses in a week if that is more (each such use may need one).
MACRO_RICH_SHARE = 0.25


def energy_split(candidates: CandidateSet) -> np.ndarray:
    """Share of each recipe's macro energy from protein, fat and carbohydrate (rows sum to 1)."""
    macro_kcal = candidates.nutrients[:, 1:4] * MACRO_KCAL_PER_G
    return macro_kcal / np.maximum(macro_kcal.sum(axis=1, keepdims=True), 1e-9)


def fit_scores(candidates: CandidateSet, *, slot_kcal: float, macro_energy_split: np.ndarray,
               slot_budget: float | None = None) -> np.ndarray:
    """Lower is better: how far a recipe's macro energy split is from the target split, how far
    its nearest allowed serving multiple lands from the slot's energy share, and by how much that
    serving would overspend the slot's share of the budget."""
    macro_distance = np.abs(energy_split(candidates) - macro_energy_split).sum(axis=1)
    kcal = np.maximum(candidates.nutrients[:, KCAL], 1e-9)
    servings = np.clip(np.round(slot_kcal / kcal / SERVING_STEP) * SERVING_STEP, SERVING_STEP, MAX_STEPS * SERVING_STEP)
    energy_error = np.abs(servings * kcal - slot_kcal) / slot_kcal
    scores = macro_distance + energy_error
    if slot_budget is not None:
        scores += np.maximum(servings * candidates.costs / max(slot_budget, 1e-9) - 1, 0)
    return scores


def family_first(candidates: CandidateSet, order: np.ndarray) -> np.ndarray:
    """`order` (indices, best first) with the best of each dish family first, then the next
    variants: variants of one dish share its repeat limit, so a list of one dish's variants would
    give the week only a few uses."""
    _, first = np.unique(candidates.family_ids()[order], return_index=True)
    later = np.ones(len(order), dtype=bool)
    later[first] = False
    return np.concatenate([order[np.sort(first)], order[later]])


def macro_rich(candidates: CandidateSet, count: int, *, budget: float | None) -> list[int]:
    """Indices of the `count` recipes richest in each macro (share of their energy), and under a
    budget also of those giving the most of it per money, one dish's variants after the other
    dishes: a day short of protein, say, is brought back by one of them, which no best-fitting
    recipe on its own would do."""
    split = energy_split(candidates)
    rankings = [split]
    if budget is not None:
        rankings.append(split * candidates.nutrients[:, KCAL:KCAL + 1] / np.maximum(candidates.costs[:, None], 1e-9))
    return [int(i) for richness in rankings for macro in range(3)
            for i in family_first(candidates, np.lexsort((candidates.recipe_ids, -richness[:, macro])))[:count]]


PRESELECT_KEEP = 24  # best-fitting recipes kept per meal type (more when the variety rules need more)
# The second try when no plan is found on those (services.solve_or_raise), and the explainer's what-ifs: a plan
# one of them finds, the service would have found too.
WIDER_KEEP = 4 * PRESELECT_KEEP


def preselect(request: PlanRequest, *, keep: int = PRESELECT_KEEP) -> PlanRequest:
    """Drop recipes the rules allow no serving of; keep the best-fitting recipes per meal type, enough of them for the variety rules to be
    satisfiable, plus the richest in each macro (see `macro_rich`), under a budget the cheapest,
    and the best fits among the recipes a written rule asks for (`asked_for`): over a week the
    variety rules use up the best fits, and these let the days balance."""
    targets = np.asarray(request.targets, dtype=float)
    macro_split = targets[1:4] * MACRO_KCAL_PER_G
    macro_split = macro_split / max(macro_split.sum(), 1e-9)
    shares = slot_energy_shares(request.slot_types)
    slots_per_day = Counter(request.slot_types)
    reduced = {}
    for meal_type, candidates in request.candidates.items():
        low, high = rules.servings(request, meal_type, candidates)
        candidates = candidates.subset(low <= high)  # none of its servings allowed: never offered
        weekly_slots = slots_per_day[meal_type] * min(request.days, DAYS_PER_WEEK)
        needed = math.ceil(weekly_slots / request.max_repeats_per_week) + 2 * slots_per_day[meal_type]
        limit = max(keep, needed)
        if len(candidates) <= limit or meal_type not in shares:
            reduced[meal_type] = candidates
            continue
        slot_budget = request.budget * shares[meal_type] if request.budget is not None else None
        scores = fit_scores(candidates, slot_kcal=targets[KCAL] * shares[meal_type], macro_energy_split=macro_split,
                            slot_budget=slot_budget)
        # the next variants are there for when there are too few dishes and the limit counts recipes
        order = family_first(candidates, np.lexsort((candidates.recipe_ids, scores)))
        chosen = list(order[:limit])
        rich = max(int(limit * MACRO_RICH_SHARE), math.ceil(weekly_slots / request.max_repeats_per_week / 2))
        chosen += macro_rich(candidates, rich, budget=request.budget)
        if request.budget is not None:
            cheap = np.lexsort((candidates.recipe_ids, candidates.costs / np.maximum(candidates.nutrients[:, KCAL], 1e-9)))
            chosen += list(cheap[: limit // 3])
        for wanted in asked_for(request, meal_type):  # the best fits of what the person's rules ask for
            chosen += list(order[np.isin(candidates.recipe_ids[order], list(wanted))][:rich])
        reduced[meal_type] = candidates.subset(np.unique(chosen))
    return replace(request, candidates=reduced)


def asked_for(request: PlanRequest, meal_type: str) -> list[frozenset[int]]:
    """The recipes each written rule asks `meal_type`'s meals to have ("on Friday dinner is
    pizza", "at least 2 fish a week"): the best fits alone may have none of them."""
    return [rule.recipes for rule in request.weekly_rules
            if rule.kind in ("on_day", "at_least") and rule.meal_type in ("", meal_type)]