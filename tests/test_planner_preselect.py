"""The candidate preselection keeps what the week needs, not just what fits one meal best.

A meal whose macro split is close to the day's target fits on its own, but a week under the
variety rules also needs recipes that pull a day back toward a target the others miss (most
often protein, on vegan or cheap plans). Without them every day ends short of it."""

import numpy as np
import pytest

from mealplan import planning
from mealplan.people.slots import meal_types_for
from mealplan.planning import milp

MEAL_TYPES = ("breakfast", "lunch", "dinner", "snack")
TARGETS = (2000.0, 2000 * 0.25 / 4, 2000 * 0.30 / 9, 2000 * 0.45 / 4)


def recipe_row(recipe_id: int, kcal: float, protein_share: float, fat_share: float, cost: float = 1.0):
    carb_share = 1 - protein_share - fat_share
    return recipe_id, kcal, kcal * protein_share / 4, kcal * fat_share / 9, kcal * carb_share / 4, cost


def catalog(rich_per_type: int = 4, plain_per_type: int = 60, plain_cost: float = 1.0, rich_cost: float = 1.0):
    """Per meal type: many recipes a little short of protein (the best fits one by one) and a
    few protein-rich ones that fit no meal well alone."""
    candidates, rich_ids = {}, []
    for index, meal_type in enumerate(MEAL_TYPES):
        base = 1000 * (index + 1)
        rows = [recipe_row(base + n, 300 + 7 * n, 0.17, 0.32, plain_cost) for n in range(plain_per_type)]
        rich = [recipe_row(base + 500 + n, 350 + 11 * n, 0.55, 0.15, rich_cost) for n in range(rich_per_type)]
        rich_ids += [row[0] for row in rich]
        candidates[meal_type] = planning.CandidateSet.from_rows(rows + rich)
    return candidates, set(rich_ids)


def week(candidates, **rules) -> planning.PlanRequest:
    return planning.PlanRequest(days=7, slot_types=meal_types_for(4), targets=TARGETS, candidates=candidates,
                               max_repeats_per_week=1, **rules)


def kept_ids(request: planning.PlanRequest) -> set[int]:
    return {int(rid) for c in planning.preselect(request).candidates.values() for rid in c.recipe_ids}


def test_preselection_keeps_the_protein_rich_recipes_the_best_fits_lack():
    candidates, rich_ids = catalog()
    assert rich_ids <= kept_ids(week(candidates))


def test_protein_rich_dishes_are_kept_before_more_variants_of_one():
    """Ten variants of one protein-rich dish (family 1) rank above four other protein-rich dishes;
    the dish's repeat limit counts its variants together, so the other dishes are kept too."""
    candidates, _ = catalog(rich_per_type=0)
    for index, meal_type in enumerate(MEAL_TYPES):
        base = 1000 * (index + 1)
        existing = candidates[meal_type]
        rows = [(int(r), *n, c) for r, n, c in zip(existing.recipe_ids, existing.nutrients, existing.costs)]
        variants = [recipe_row(base + 600 + n, 400, 0.62, 0.12) for n in range(10)]
        others = [recipe_row(base + 700 + n, 400, 0.50, 0.15) for n in range(4)]
        families = [row[0] for row in rows] + [1] * len(variants) + [row[0] for row in others]
        candidates[meal_type] = planning.CandidateSet.from_rows(rows + variants + others, families=families)
    kept = kept_ids(week(candidates))
    assert all(1000 * (index + 1) + 700 + n in kept for index in range(len(MEAL_TYPES)) for n in range(4))


def test_a_meal_type_used_often_keeps_a_protein_rich_recipe_for_every_other_use():
    """Six meals a day with no repeats put 21 snacks in a week; the snacks richest in protein
    are kept for at least half of them, however many recipes the fit alone keeps."""
    candidates, _ = catalog(rich_per_type=0)
    snacks = candidates["snack"]
    rows = [(int(r), *n, c) for r, n, c in zip(snacks.recipe_ids, snacks.nutrients, snacks.costs)]
    rich = [recipe_row(4800 + n, 150 + 9 * n, 0.55, 0.15) for n in range(14)]
    candidates["snack"] = planning.CandidateSet.from_rows(rows + rich)
    request = planning.PlanRequest(days=7, slot_types=meal_types_for(6), targets=TARGETS, candidates=candidates,
                                  max_repeats_per_week=1)
    kept_rich = kept_ids(request) & {row[0] for row in rich}
    assert len(kept_rich) >= 11


def test_under_a_budget_it_keeps_the_cheapest_protein_too():
    """Protein-rich recipes that cost too much are no help under a budget; the ones giving the
    most protein per money are kept even when pricier protein-rich ones rank above them."""
    candidates, _ = catalog(rich_per_type=0)
    cheap_protein = {}
    for index, meal_type in enumerate(MEAL_TYPES):
        base = 1000 * (index + 1)
        pricey = [recipe_row(base + 600 + n, 400, 0.60, 0.12, cost=9.0) for n in range(12)]
        cheap = [recipe_row(base + 700 + n, 400 + 5 * n, 0.40, 0.15, cost=0.8) for n in range(3)]
        cheap_protein[meal_type] = {row[0] for row in cheap}
        existing = candidates[meal_type]
        rows = [(int(r), *n, c) for r, n, c in zip(existing.recipe_ids, existing.nutrients, existing.costs)]
        candidates[meal_type] = planning.CandidateSet.from_rows(rows + pricey + cheap)
    kept = kept_ids(week(candidates, budget=8.0))
    assert set().union(*cheap_protein.values()) <= kept


def plan_with_protein_within_band(request: planning.PlanRequest) -> dict | None:
    """A week keeping every rule with each day's protein inside its tolerance band, or None when
    there is none: the MILP of the rules alone plus those rows, which HiGHS leaves at its first plan
    (a question about the candidates, with no objective to prove and so no time limit to need)."""
    model = milp.Model(request)
    model.add_rules()
    target = TARGETS[planning.PROTEIN]
    band = planning.TOLERANCE_BANDS[planning.PROTEIN] * target
    for day in range(request.days):
        choices = np.flatnonzero(model.day_of == day)
        model.add_row(model.n[choices], model.nutrients_of[choices, planning.PROTEIN] * 0.5, target - band, target + band)
    highs = model.run(time_limit=None, relative_gap=1.0)
    return model.chosen(np.asarray(highs.getSolution().col_value)) if milp._has_solution(highs) else None


@pytest.mark.parametrize("rules", [{}, {"budget": 12.0}], ids=["no budget", "budget"])
def test_every_day_of_the_week_can_reach_its_protein_target(rules):
    """Among the preselected candidates a week exists whose every day is within 10 % of its protein
    target (the best fits alone are each a little short of it, and the protein-rich recipes fit no
    meal on their own). The plan the solver finds in its time limit is another question (this used
    to solve with an 8 s limit, as much as the search needed on a loaded machine)."""
    candidates, rich = catalog()
    request = planning.preselect(week(candidates, **rules))
    meals = plan_with_protein_within_band(request)
    assert meals is not None
    nutrients, _ = planning.day_totals(request, meals)
    protein_off = np.abs(nutrients[:, planning.PROTEIN] / TARGETS[planning.PROTEIN] - 1)
    assert protein_off.max() <= planning.TOLERANCE_BANDS[planning.PROTEIN] + 1e-9, protein_off.round(3)
    plain = planning.preselect(week({t: c.subset(np.isin(c.recipe_ids, list(rich), invert=True))
                                     for t, c in candidates.items()}, **rules))
    assert plan_with_protein_within_band(plain) is None  # the best fits alone cannot


def test_the_recipes_a_written_rule_asks_for_are_kept_though_they_fit_badly():
    """"On Friday dinner is pizza" and "at least 2 fish a week": pizzas and fish that fit a dinner
    worst of all are still kept (the best fitting ones among them), or no plan could keep the rules."""
    candidates, _ = catalog(rich_per_type=0)
    dinners = candidates["dinner"]
    rows = [(int(r), *n, c) for r, n, c in zip(dinners.recipe_ids, dinners.nutrients, dinners.costs)]
    # the plain recipes' macro split, but no serving near a dinner's energy (half a serving is 500 kcal)
    pizzas = [recipe_row(9000 + n, 1000 + n, 0.17, 0.32) for n in range(3)]
    fish = [recipe_row(9100 + n, 1000 + n, 0.17, 0.32) for n in range(3)]
    candidates["dinner"] = planning.CandidateSet.from_rows(rows + pizzas + fish)
    written = (planning.WeeklyRule("on_day", "on Friday dinner is pizza", frozenset(r[0] for r in pizzas),
                                   meal_type="dinner", weekday=4),
               planning.WeeklyRule("at_least", "at least 2 fish a week", frozenset(r[0] for r in fish), count=2))
    assert not kept_ids(week(candidates)) & {9000, 9100}
    kept = kept_ids(week(candidates, weekly_rules=written))
    assert {r[0] for r in pizzas + fish} <= kept
