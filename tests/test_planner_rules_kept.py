"""The rules a person notices being kept or broken — written weekly rules, dish families, leftover
lunches, the 7-day repeat windows — checked without the database: plain requests through the rule
classes, the week MILP and the solver. Each test is a case a person could meet: a rule kept across
the edge of a week, a meal type only a rule counts, two rules on one slot, a slot whose recipes
come from elsewhere (a leftover lunch eats the dinners' recipes), a plan refused with the rules
that conflict named. Helpers and the small catalog come from tests/test_planner_rules.py."""

from collections import Counter
from dataclasses import replace

import numpy as np

from mealplan import planning
from mealplan.planning import rules, solver
from mealplan.planning.types import ChosenMeal
from tests.test_planner_rules import (FAMILY, LUNCH_BAND, ONE_BEST, TARGETS, milp_plan, recipe, request_of, rule_named,
                                     uses, with_variants, written)

AT_MOST, AT_LEAST = rule_named("weekly_at_most"), rule_named("weekly_at_least")
ON_DAY, MINUTES = rule_named("weekly_on_day"), rule_named("weekly_minutes")
WEEKLY, FAMILY_REPEATS = rule_named("weekly_repeats"), rule_named("family_repeats")
FAMILY_ONCE, LEFTOVERS = rule_named("family_once_per_day"), rule_named("leftover_lunches")
# In ONE_BEST recipe 1 (“chicken”) fits the targets exactly; 2–4 fall short, and 4 is “fish”.
CHICKEN, FISH = {1}, {4}
# Where the MILP plans a week, every lunch is locked (recipe 9, no candidate) and the dinners are
# few, so that HiGHS proves its plan optimal in well under a second.
DINNERS = [recipe(1), recipe(2, kcal=420), recipe(4, kcal=420)]


def keeping(*kept: rules.Rule, **fields) -> dict:
    """`request_of` fields with every rule but `kept` switched off."""
    return {"relaxed": frozenset(r.name for r in rules.RULES if r not in kept), **fields}


def fixed(recipe_id: int, kcal: float = 500.0) -> planning.FixedMeal:
    return planning.FixedMeal(recipe_id, 1.0, tuple(recipe(recipe_id, kcal=kcal)[1:5]), 1.0)


def partial(day: int, slots: tuple, rows, placed: dict) -> rules.PartialDays:
    rows = np.array(rows)
    return rules.PartialDays(day=day, recipes=rows, cost=np.zeros(len(rows)), rest_cost=0.0, slots=slots,
                             placed=placed)


def dinners(meals) -> dict[int, int]:
    return {day: meal.recipe_id for (day, slot), meal in meals.items() if slot == 1}


def lunches_locked(days: int) -> dict:
    """`fixed` with every lunch locked (to recipe 9, no candidate)."""
    return {(day, 0): fixed(9) for day in range(days)}


# At most N a week ------------------------------------------------------------------------------------


def test_at_most_holds_in_every_seven_days_and_a_day_a_week_later_starts_a_new_count():
    """At most 1 chicken dinner a week over 8 days: days 0 and 7 are 7 days apart, so both may be
    chicken (days 0–6 and 1–7 each hold one), and the plan, which would rather eat chicken every
    night, does exactly that."""
    rule = written("at_most", "at most 1 chicken dinners a week", meal_type="dinner", count=1)
    request = request_of(DINNERS, days=8, **keeping(AT_MOST, weekly_rules=(rule,), fixed=lunches_locked(8)))
    assert [day for day, recipe_id in sorted(dinners(milp_plan(request)).items()) if recipe_id == 1] == [0, 7]
    # a partly planned day 0 with a chicken dinner is fine next to a chicken dinner on day 7
    assert AT_MOST.keep_partial(request, partial(0, (1,), [[1], [2]], {(7, 1): 1})).tolist() == [True, True]
    assert AT_MOST.keep_partial(request, partial(1, (1,), [[1], [2]], {(7, 1): 1})).tolist() == [False, True]


def test_at_most_counts_locked_meals_first():
    """A locked chicken dinner is one of “at most 2 chicken dinners a week”: one other dinner is
    chicken, and a partly planned day with a chicken meal beside its locked one is dropped."""
    rule = written("at_most", "at most 2 chicken dinners a week", meal_type="dinner", count=2)
    request = request_of(DINNERS, days=4, **keeping(AT_MOST, weekly_rules=(rule,),
                                                   fixed=lunches_locked(4) | {(0, 1): fixed(1)}))
    assert Counter(dinners(milp_plan(request)).values())[1] == 2
    untyped = written("at_most", "at most 1 chicken a week", count=1)
    locked = request_of(ONE_BEST, days=7, weekly_rules=(untyped,), fixed={(3, 1): fixed(1)})
    assert AT_MOST.keep_partial(locked, partial(3, (0,), [[1], [2]], {})).tolist() == [False, True]


def test_two_at_most_rules_each_hold():
    rules_written = (written("at_most", "at most 1 chicken a week", count=1),
                     written("at_most", "at most 1 fish a week", recipes=FISH, count=1))
    request = request_of(ONE_BEST, days=7, weekly_rules=rules_written)
    assert AT_MOST.blocked(request, 2, 1, {(0, 0): 4, (0, 1): 1}) == {1, 4}
    assert AT_MOST.keep_partial(request, partial(1, (0, 1), [[1, 1], [1, 2], [4, 4]], {})).tolist() == [
        False, True, False]


def test_the_solver_keeps_an_at_most_rule():
    """Chicken fits best; the plan the solver returns (whichever strategy found it) has one chicken
    meal in its 3 days."""
    rule = written("at_most", "at most 1 chicken a week", count=1)
    request = request_of(ONE_BEST, days=3, weekly_rules=(rule,), max_repeats_per_week=7, allow_leftovers=True,
                         relaxed=frozenset({"no_repeated_day"}))
    solution = planning.solve(request, time_limit=10)
    assert solution.found and uses(solution.meals, 1) == 1


# At least N a week ------------------------------------------------------------------------------------

FISH_DINNERS = written("at_least", "at least 2 fish dinners a week", recipes=FISH, meal_type="dinner", count=2)


def test_at_least_fish_dinners_counts_dinners_only():
    """A locked fish lunch does not count toward “at least 2 fish dinners a week”: the plan has two
    fish dinners besides it (fish fits worse, so exactly two), and a locked fish dinner counts."""
    request = request_of(DINNERS, days=7, **keeping(AT_LEAST, weekly_rules=(FISH_DINNERS,),
                                                    fixed=lunches_locked(7) | {(0, 0): fixed(4, kcal=420)}))
    assert Counter(dinners(milp_plan(request)).values())[4] == 2
    assert AT_LEAST.still_needed(request, FISH_DINNERS, range(7)) == 2
    assert AT_LEAST.still_needed(replace(request, fixed={(0, 1): fixed(4, kcal=420)}), FISH_DINNERS, range(7)) == 1


def test_at_least_leaves_the_last_dinners_only_fish_when_the_count_needs_them():
    """Days 0–5 planned: with one fish dinner so far the last dinner must be fish; with none and two
    dinners left, both must; lunches stay free either way."""
    request = request_of(ONE_BEST, days=7, weekly_rules=(FISH_DINNERS,))
    week = {(day, slot): 2 for day in range(6) for slot in range(2)}
    one_fish = {**week, (3, 1): 4}
    assert AT_LEAST.blocked(request, 6, 1, one_fish) == {1, 2, 3}
    assert AT_LEAST.blocked(request, 6, 0, one_fish) == set()
    two_left = {key: recipe_id for key, recipe_id in week.items() if key != (5, 1)}
    assert AT_LEAST.blocked(request, 6, 1, two_left) == {1, 2, 3}
    assert AT_LEAST.blocked(request, 6, 1, {**two_left, (5, 1): 4}) == {1, 2, 3}
    assert AT_LEAST.blocked(request, 6, 1, {**two_left, (5, 1): 4, (2, 1): 4}) == set()
    # the same, for partly planned last days (dinner only) of the day-by-day searches
    assert AT_LEAST.keep_partial(request, partial(6, (1,), [[4], [2]], one_fish)).tolist() == [True, False]
    assert AT_LEAST.keep_partial(request, partial(6, (1,), [[4], [2]], two_left)).tolist() == [True, False]


def test_at_least_counts_each_plan_week_alone():
    """Two fish meals on days 0 and 1 do not count toward the second week."""
    rule = written("at_least", "at least 2 fish a week", recipes=FISH, count=2)
    request = request_of(ONE_BEST, days=14, weekly_rules=(rule,))
    placed = {(0, 0): 4, (1, 0): 4, **{(day, slot): 2 for day in range(7, 13) for slot in range(2)}, (12, 1): 4}
    assert AT_LEAST.blocked(request, 13, 1, {**placed, (13, 0): 2}) == {1, 2, 3}


def test_two_at_least_rules_each_hold_in_the_slots_they_count():
    """“at least 1 salad lunch” (recipe 3) and “at least 2 fish dinners”: the lunch rule does not stop
    the dinner rule from filling the last dinner, and a last dinner both rules need must be both."""
    salad_lunch = written("at_least", "at least 1 salad lunches a week", recipes={3}, meal_type="lunch", count=1)
    request = request_of(ONE_BEST, days=7, weekly_rules=(salad_lunch, FISH_DINNERS))
    six_days = {(day, slot): 2 for day in range(6) for slot in range(2)} | {(3, 1): 4}
    assert AT_LEAST.blocked(request, 6, 1, {**six_days, (6, 0): 3}) == {1, 2, 3}
    salad = written("at_least", "at least 1 salad a week", recipes={3}, count=1)
    both = request_of(ONE_BEST, days=7, weekly_rules=(FISH_DINNERS, salad))
    assert AT_LEAST.blocked(both, 6, 1, {**six_days, (6, 0): 2}) == {1, 2, 3, 4}
    # a last dinner of fish or not, with the lunch still open for the salad: only the fish rule drops one
    assert AT_LEAST.keep_partial(both, partial(6, (1,), [[4], [2]], six_days)).tolist() == [True, False]


# Leftover lunches eat the dinners' recipes ------------------------------------------------------------

# Lunches are recipes 1 and 2, dinners 3, 4 and 5 (5 is the only soup, 4 the only fish); from day 1
# each lunch is the day before's dinner. Day 0 is a Sunday.
LUNCH_AND_DINNER = {"lunch": planning.CandidateSet.from_rows([recipe(1), recipe(2, kcal=450)]),
                    "dinner": planning.CandidateSet.from_rows([recipe(3), recipe(4, kcal=450), recipe(5, kcal=450)])}


def leftover_week(*weekly_rules, days: int = 7, **fields) -> planning.PlanRequest:
    return replace(request_of([], days=days, leftover_lunches=True, weekly_rules=weekly_rules, first_weekday=6,
                              **fields), candidates=LUNCH_AND_DINNER)


def test_a_leftover_lunch_is_chosen_among_the_dinners():
    request = leftover_week()
    assert LEFTOVERS.blocked(request, 1, 0, {(0, 1): 3}) == {4, 5}
    soup = written("on_day", "on Tuesday lunch is soup", recipes={5}, meal_type="lunch", weekday=1)
    assert ON_DAY.blocked(leftover_week(soup), 2, 0, {}) == {3, 4}
    fish = written("at_least", "at least 2 fish a week", recipes=FISH, count=2)
    placed = {(day, slot): 3 for day in range(6) for slot in range(2) if (day, slot) != (0, 0)} | {(0, 0): 1}
    assert AT_LEAST.blocked(leftover_week(fish), 6, 0, {**placed, (6, 1): 4}) == {3, 5}


def test_a_rule_only_leftover_lunches_can_keep_is_kept_not_refused():
    """Soup and fish are dinners only: with leftover lunches Tuesday's lunch can still be soup and
    a lunch can be fish (a 3-day plan's share of 3 a week is 1), so the plan is made and keeps the rules."""
    soup = written("on_day", "on Tuesday lunch is soup", recipes={5}, meal_type="lunch", weekday=1)
    fish_lunch = written("at_least", "at least 3 fish lunches a week", recipes=FISH, meal_type="lunch", count=3)
    request = leftover_week(soup, fish_lunch, days=3, max_repeats_per_week=3, allow_leftovers=True,
                            relaxed=frozenset({"no_repeated_day"}))
    assert rules.obviously_broken(request) == []
    meals = planning.solve(request, time_limit=10).meals
    assert meals[2, 0].recipe_id == meals[1, 1].recipe_id == 5
    assert any(meals[day, 0].recipe_id == 4 for day in range(3))
    assert rules.obviously_broken(replace(request, leftover_lunches=False)) == [ON_DAY, AT_LEAST]


def test_cooking_time_leaves_leftover_lunches_alone_and_refuses_a_slow_lunch_chosen_by_hand():
    """Both lunch recipes take too long on a weekday; Monday's lunch is Sunday's dinner, cooked on a
    Sunday. A Monday lunch chosen by hand that takes too long is refused at once, naming the rule."""
    slow_lunches = written("minutes", "weekdays at most 20 minutes, weekends at most 60", recipes={1, 2})
    request = leftover_week(slow_lunches, days=2)
    assert not MINUTES.obviously_broken(request)
    assert MINUTES.obviously_broken(replace(request, leftover_lunches=False))
    slow = written("minutes", "weekdays at most 20 minutes, weekends at most 60", recipes={1})
    chosen = request_of(ONE_BEST, days=1, weekly_rules=(slow,),
                        slot_candidates={(0, 0): planning.CandidateSet.from_rows([recipe(1)])})
    assert rules.obviously_broken(chosen) == [MINUTES] and not planning.solve(chosen, time_limit=10).found
    assert planning.explain_infeasible(chosen) == [
        "Your rule “weekdays at most 20 minutes, weekends at most 60” cannot be kept together with your other "
        "rules and the recipes that fit them."]
    assert rules.obviously_broken(replace(chosen, slot_candidates={})) == []


def test_leftover_rows_give_the_lunch_the_dinners_recipe_next_to_locked_meals():
    """Locked meals make day 0's dinner best as recipe 1 (500 kcal) and day 1's lunch best as recipe
    2 (700 kcal); as leftovers they are one recipe. With the first pair's lunch locked, the second
    pair still is one recipe."""
    two = [recipe(1), recipe(2, kcal=700)]
    request = request_of(two, days=2, **keeping(LEFTOVERS, leftover_lunches=True,
                                                fixed={(0, 0): fixed(9), (1, 1): fixed(8, kcal=300)}))
    meals = milp_plan(request)
    assert meals[0, 1].recipe_id == meals[1, 0].recipe_id == 1
    assert milp_plan(replace(request, leftover_lunches=False))[1, 0].recipe_id == 2, "the pair is a compromise"
    three = request_of(two, days=3, **keeping(LEFTOVERS, leftover_lunches=True,
                                              fixed={(1, 0): fixed(1), (2, 1): fixed(8, kcal=300)}))
    meals = milp_plan(three)
    assert meals[0, 1].recipe_id == 1 and meals[1, 1].recipe_id == meals[2, 0].recipe_id


def test_a_recipe_only_the_dinner_or_only_the_lunch_may_take_is_no_leftover_pair():
    """Meal sizes: lunch 20–30 % of the day, dinner 50–70 %. Recipe 1 (100 kcal a serving) makes
    only a lunch, recipe 2 (1400 kcal) only a dinner, recipe 3 (500 kcal) either: the leftover pair
    is recipe 3, although 1 for lunch and 2 for dinner would hit the targets."""
    sizes = [recipe(1, kcal=100), recipe(2, kcal=1400), recipe(3, kcal=500)]
    request = request_of(sizes, days=2, **keeping(LEFTOVERS, rule_named("energy_band"), leftover_lunches=True,
                                                  energy_bands={"lunch": (0.2, 0.3), "dinner": (0.5, 0.7)}))
    meals = milp_plan(request)
    assert meals[0, 1].recipe_id == meals[1, 0].recipe_id == 3


def test_the_solver_keeps_leftover_pairs_when_it_lists_day_patterns():
    """The pattern search cannot express leftover pairs, so it is not used for them: the solved
    plan keeps the pair even where two different recipes would hit the targets."""
    two = [recipe(1), recipe(2, kcal=700)]
    request = request_of(two, days=2, leftover_lunches=True, fixed={(0, 0): fixed(9), (1, 1): fixed(8, kcal=300)})
    meals = planning.solve(request, time_limit=10).meals
    assert meals[0, 1].recipe_id == meals[1, 0].recipe_id


def test_leftover_lunches_count_as_their_dinners_use_in_the_repeat_rows():
    """One use a week each: four recipes for four cooked meals (day 0's lunch and three dinners)
    fill three days, the leftover lunches included."""
    request = request_of(ONE_BEST, days=3, **keeping(WEEKLY, LEFTOVERS, leftover_lunches=True,
                                                     max_repeats_per_week=1))
    meals = milp_plan(request)
    assert meals[1, 0].recipe_id == meals[0, 1].recipe_id and meals[2, 0].recipe_id == meals[1, 1].recipe_id
    cooked = [meals[0, 0].recipe_id, *dinners(meals).values()]
    assert sorted(cooked) == [1, 2, 3, 4]


def test_leftover_lunches_explain_themselves():
    """A locked lunch that is no dinner recipe: the dinner before cannot be cooked for it."""
    request = replace(leftover_week(days=2, fixed={(1, 0): fixed(1)}),
                      relaxed=frozenset(r.name for r in rules.RULES if r is not LEFTOVERS))
    assert not planning.solve(request, time_limit=10).found
    assert planning.explain_infeasible(request) == [
        "Eating each dinner's leftovers at the next day's lunch leaves no plan that meets your other rules."]


# On a weekday -----------------------------------------------------------------------------------------


def test_two_on_day_rules_for_one_meal_both_hold():
    pizza = written("on_day", "on Friday dinner is pizza", recipes={3, 4}, meal_type="dinner", weekday=4)
    vegetarian = written("on_day", "on Friday dinner is vegetarian", recipes={2, 3}, meal_type="dinner", weekday=4)
    request = request_of(ONE_BEST, days=2, weekly_rules=(pizza, vegetarian), first_weekday=4)  # day 0 a Friday
    assert ON_DAY.blocked(request, 0, 1, {}) == {1, 2, 4}
    assert planning.solve(request, time_limit=10).meals[0, 1].recipe_id == 3


# The 7-day repeat windows -----------------------------------------------------------------------------


def test_the_repeat_limit_counts_seven_days_not_the_whole_plan():
    """Four times a week over 8 days: recipe 1 is the dinner on days 0 and 7 and three days
    between (days 0–6 and 1–7 then hold four each), not only four times in all."""
    request = request_of(DINNERS, days=8, **keeping(WEEKLY, max_repeats_per_week=4, fixed=lunches_locked(8)))
    assert uses(milp_plan(request), 1) == 5


def test_a_plan_whose_every_meal_is_locked_is_returned_as_it_is():
    """By the solver, and by the week MILP alone, which then has no choice to make (the repeat rows
    are built from empty arrays)."""
    locked = {(day, slot): fixed(1 + slot + 2 * day) for day in range(2) for slot in range(2)}
    request = request_of(ONE_BEST, days=2, fixed=locked)
    as_locked = {key: meal.recipe_id for key, meal in locked.items()}
    solution = planning.solve(request, time_limit=10)
    assert solution.found and {key: meal.recipe_id for key, meal in solution.meals.items()} == as_locked
    assert WEEKLY.active(request) and {key: meal.recipe_id for key, meal in milp_plan(request).items()} == as_locked


# Dish families ----------------------------------------------------------------------------------------

# Lunch and dinner as in ONE_BEST (each recipe its own dish); two snacks a day.
FOUR_MEALS = ("lunch", "dinner", "snack", "snack")


def with_snacks(snacks: planning.CandidateSet, **fields) -> planning.PlanRequest:
    plain = planning.CandidateSet.from_rows(ONE_BEST)
    request = request_of(ONE_BEST, days=2, max_repeats_per_week=4, **fields)
    return replace(request, slot_types=FOUR_MEALS, candidates={"lunch": plain, "dinner": plain, "snack": snacks})


def test_two_snack_dishes_make_two_different_snacks_a_day():
    snacks = planning.CandidateSet.from_rows([recipe(i, kcal=100) for i in (11, 12, 13)], families=[20, 20, 21])
    request = with_snacks(snacks)
    assert not FAMILY_ONCE.obviously_broken(request)
    solution = planning.solve(request, time_limit=10)
    assert solution.found and solution.relaxed == frozenset()
    family = {11: 20, 12: 20, 13: 21}
    for day in range(2):
        assert family[solution.meals[day, 2].recipe_id] != family[solution.meals[day, 3].recipe_id]


def test_one_snack_dish_for_two_snacks_a_day_drops_only_the_once_a_day_dish_rule():
    """Two variants of one snack dish: a different dish at every snack cannot be, which a quick look
    shows, so only that rule yields (the plan says so); dishes still count together in the week."""
    snacks = planning.CandidateSet.from_rows([recipe(i, kcal=100) for i in (11, 12)], families=[20, 20])
    request = with_snacks(snacks)
    assert rules.obviously_broken(request) == [FAMILY_ONCE]
    solution = planning.solve(request, time_limit=10)
    assert solution.found and solution.relaxed == frozenset({"family_once_per_day"})
    assert FAMILY_ONCE.yielded in solution.notes and FAMILY_REPEATS.yielded not in solution.notes


def dishes_a_day(meals) -> list[int]:
    """How many dishes each of two days of lunch and dinner has."""
    return [len({FAMILY[meals[day, slot].recipe_id] for slot in range(2)}) for day in range(2)]


def test_the_week_milp_never_puts_one_dish_twice_in_a_day():
    """Recipes 1 and 2, one dish, are the two best fits: the MILP's rows give each day two dishes,
    where without them it eats the dish at both meals of a day."""
    request = with_variants(request_of(ONE_BEST, days=2, only=FAMILY_ONCE))
    assert dishes_a_day(milp_plan(request)) == [2, 2]
    assert 1 in dishes_a_day(milp_plan(FAMILY_ONCE.relax(request)))


def test_a_meal_type_with_a_single_dish_raises_the_family_limit_to_every_meal_of_it():
    """Every lunch is one dish (recipes 1 and 2): over 4 days it is eaten 4 times, and the family
    rule holds rather than yields."""
    one_dish = planning.CandidateSet.from_rows([recipe(1), recipe(2, kcal=480)], families=[10, 10])
    others = planning.CandidateSet.from_rows([recipe(i, kcal=420 + i) for i in (3, 4, 5, 6)])
    request = replace(request_of(ONE_BEST, days=4, max_repeats_per_week=2),
                      candidates={"lunch": one_dish, "dinner": others})
    assert FAMILY_REPEATS.limit(request) == 4
    solution = planning.solve(request, time_limit=10)
    assert solution.found and "family_repeats" not in solution.relaxed


def test_family_rows_of_the_pattern_search_count_variants_together():
    """Recipes 1 and 2 are one dish, eaten at most once a week: two day patterns with either variant
    may not both be chosen."""
    family = planning.CandidateSet.from_rows([recipe(i) for i in range(1, 6)], families=[10, 10, 3, 4, 5])
    request = replace(request_of(ONE_BEST, days=2, max_repeats_per_week=1),
                      candidates={"lunch": family, "dinner": family})
    first = planning.patterns.DayPatterns(day=0, slots=(0, 1), recipes=np.array([[1, 3]]),
                                          steps=np.full((1, 2), 2), objective=np.zeros(1))
    second = replace(first, day=1, recipes=np.array([[4, 2]]))
    assert sorted(FAMILY_REPEATS.week_rows(request, [first, second], [np.array([0]), np.array([1])])) == [
        ([0, 1], 1.0)]


FOUR_DISHES = planning.CandidateSet.from_rows([recipe(i) for i in range(1, 6)], families=[10, 10, 3, 4, 5])


def test_the_beam_search_re_plans_any_plan_keeping_the_rules_toward_its_targets():
    """A week of the right dishes in the wrong servings (HiGHS's first plan has any objective):
    re-planned day by day around the others, it lands on target and keeps the family limit."""
    request = replace(request_of(ONE_BEST, days=2, max_repeats_per_week=1),
                      candidates={"lunch": FOUR_DISHES, "dinner": FOUR_DISHES})
    poor = {(0, 0): ChosenMeal(1, 2.5), (0, 1): ChosenMeal(3, 0.5), (1, 0): ChosenMeal(4, 3.0), (1, 1): ChosenMeal(5, 1.0)}
    first = planning.PlanSolution("time_limit", poor, objective=planning.OBJECTIVE.evaluate(request, poor))
    better = solver.improved_plan(request, first)
    assert better.objective < 1e-6 < first.objective
    dishes = Counter(request.family_of([meal.recipe_id for meal in better.meals.values()]).tolist())
    assert set(dishes.values()) == {1}


# Written rules that conflict ------------------------------------------------------------------------


def explained(*weekly_rules, **fields) -> list[str]:
    request = request_of(ONE_BEST, days=7, weekly_rules=weekly_rules, **{
        "max_repeats_per_week": 7, "allow_leftovers": True, "relaxed": frozenset({"no_repeated_day"}), **fields})
    assert not planning.solve(request, time_limit=10).found
    return planning.explain_infeasible(request, time_limit=5)


def test_two_written_rules_that_conflict_are_named_together():
    assert explained(written("at_least", "at least 3 chicken a week", count=3),
                     written("at_most", "at most 1 chicken a week", count=1)) == [
        "Your rules “at least 3 chicken a week” and “at most 1 chicken a week” conflict: no plan keeps them all "
        "with the recipes that fit your other rules."]


def test_three_written_rules_that_conflict_only_together_are_all_named():
    """4 chicken and 4 fish meals, but at most 6 of the two: any two of the rules can be kept."""
    assert explained(written("at_least", "at least 4 chicken a week", count=4),
                     written("at_least", "at least 4 fish a week", recipes=FISH, count=4),
                     written("at_most", "at most 6 chicken or fish a week", recipes={1, 4}, count=6)) == [
        "Your rules “at least 4 chicken a week”, “at least 4 fish a week” and “at most 6 chicken or fish a week” "
        "conflict: no plan keeps them all with the recipes that fit your other rules."]


def test_one_written_rule_the_others_do_not_conflict_with_is_named_alone():
    """Chicken is one recipe, never twice a day: “at least 8 chicken” cannot be kept in 7 days, and
    the fish rule has nothing to do with it."""
    assert explained(written("at_least", "at least 8 chicken a week", count=8),
                     written("at_most", "at most 5 fish a week", recipes=FISH, count=5)) == [
        "Your rule “at least 8 chicken a week” cannot be kept together with your other rules and the recipes "
        "that fit them."]


# Day patterns ---------------------------------------------------------------------------------------


def test_a_week_of_few_meals_a_day_is_proven_by_listing_day_patterns():
    """Recipe 1 fits best but may be eaten 4 times a week, so the days compete for it and the best
    week is above the sum of the days' own optima: listing day patterns proves it without the
    slower polishing and final MILP."""
    solution = planning.solve(request_of(ONE_BEST, days=7, max_repeats_per_week=4), time_limit=30)
    phases = dict(solution.phases)
    assert solution.status == "optimal" and "patterns" in phases
    assert "polish" not in phases and "final MILP" not in phases


# Meal mass ceilings ----------------------------------------------------------------------------------

MASS = rule_named("meal_mass")


def weighing(rows, grams) -> planning.CandidateSet:
    return planning.CandidateSet.from_rows(rows, grams=grams)


def test_a_meal_over_its_ceiling_is_never_planned_and_one_of_unknown_mass_is_not_limited():
    """Recipe 1 fits a 500 kcal meal exactly but weighs 1.4 kg a serving, so even half a serving is
    over the 600 g ceiling; recipe 2 (250 kcal a serving, mass unknown) makes the meal in 2
    servings and recipe 3 (300 g) falls short. Without the rule the plan takes recipe 1; with it no
    meal is, every meal of known mass is at most 600 g, and the unknown-mass recipe is served
    twice over."""
    grams = {1: 1400.0, 2: 0.0, 3: 300.0}
    candidates = weighing([recipe(1), recipe(2, kcal=250), recipe(3, kcal=450)], list(grams.values()))
    request = request_of([recipe(1)], days=3, **keeping(MASS, mass_ceilings={"lunch": 600.0, "dinner": 600.0}))
    request = replace(request, candidates={"lunch": candidates, "dinner": candidates})
    assert 1 in {meal.recipe_id for meal in planning.solve(MASS.relax(request), time_limit=10).meals.values()}
    meals = planning.solve(request, time_limit=10).meals
    assert len(meals) == 6 and 1 not in {meal.recipe_id for meal in meals.values()}
    assert all(grams[meal.recipe_id] * meal.servings <= 600.0 for meal in meals.values())
    assert ChosenMeal(2, 2.0) in meals.values()


def test_meal_mass_ceilings_follow_the_meals_a_day_and_the_energy_target():
    """Three meals a day at 2,000 kcal or less: 700 / 900 / 1,000 g and a 400 g snack; two meals (or
    one) are larger meals; a 3,000 kcal day eats half as much again; five slots read like three."""
    request = request_of([recipe(1)])
    three = ("breakfast", "lunch", "dinner")
    assert MASS.ceilings(replace(request, slot_types=three)) == {
        "breakfast": 700.0, "lunch": 900.0, "dinner": 1000.0, "snack": 400.0}
    assert MASS.ceilings(replace(request, slot_types=three, targets=(3000.0, *TARGETS[1:]))) == {
        "breakfast": 1050.0, "lunch": 1350.0, "dinner": 1500.0, "snack": 600.0}
    assert MASS.ceilings(request) == {"breakfast": 900.0, "lunch": 1300.0, "dinner": 1300.0, "snack": 400.0}
    assert MASS.ceilings(replace(request, slot_types=("dinner",)))["dinner"] == 1300.0
    assert MASS.ceilings(replace(request, slot_types=(*three, "snack", "snack")))["dinner"] == 1000.0
    assert rules.default_mass_ceilings(3, 1500.0)["lunch"] == 900.0, "a small target does not shrink meals"


def test_meal_mass_names_the_one_meal_type_too_heavy_even_with_one_recipe_and_a_type_without_any():
    """Lunch must carry 20–40 % of 1,000 kcal and its only recipe gives 100 kcal in 700 g: 2
    servings are 1.4 kg, over the 900 g lunch of a three-meal day. Breakfast has no recipe at all
    (that is another rule's sentence) and dinner has no energy share here, so lunch alone is
    named."""
    heavy = weighing([recipe(1, kcal=100)], [700.0])
    request = request_of([recipe(1)], energy_bands=LUNCH_BAND)
    request = replace(request, slot_types=("breakfast", "lunch", "dinner"), candidates={
        "breakfast": weighing([], []), "lunch": heavy, "dinner": heavy})
    assert MASS.reasons(request, time_limit=None) == [
        "No lunch recipe that fits your rules is light enough (at most 900 g a meal) in a serving big enough "
        "for its share of your day."]


def test_meal_mass_blames_no_meal_type_that_still_has_a_light_enough_serving():
    """Two meals a day at 1,000 kcal: 1.3 kg a lunch or dinner. Half a serving of the lunch recipe
    weighs exactly 1.3 kg, which is allowed; no dinner recipe is light enough, but the dinner is
    locked, so it is not named either. The sentence then names the ceilings of the day's meals."""
    request = request_of([recipe(1)], fixed={(0, 1): fixed(9)})
    request = replace(request, candidates={"lunch": weighing([recipe(1)], [2600.0]),
                                           "dinner": weighing([recipe(2)], [3000.0])})
    assert MASS.reasons(request, time_limit=None) == [
        "Keeping each meal light enough (at most 1,300 g a lunch, 1,300 g a dinner) leaves no plan that meets "
        "your other rules."]
