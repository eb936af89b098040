"""The plan page's figures from plain data (mealplan.pages.plan_grid, no database): each day's totals
against the targets, the meal cards, the daily averages and the week chart's bars."""

from datetime import date
from types import SimpleNamespace

import pytest

from mealplan.pages.plan_grid import NutrientTotal, PlanDay, grid_version, plan_days, plan_summary, week_chart

TARGETS = {"target_kcal": 2000, "target_protein_g": 100, "target_fat_g": 70, "target_carb_g": 250}


def recipe(kcal, protein, fat, carb, cost=0):
    return SimpleNamespace(energy_kcal=kcal, protein_g=protein, fat_g=fat, carbohydrate_g=carb,
                           cost_per_serving=cost)


PORRIDGE = recipe(450, 15, 9, 75, cost=1)
SOUP = recipe(300, 15, 10, 37.5)
CURRY = recipe(650, 40, 25, 60, cost=2.5)


def meal(day, slot, food, servings=1, meal_type=""):
    return SimpleNamespace(day=day, slot=slot, recipe=food, recipe_id=id(food), servings=servings, meal_type=meal_type)


def plan(days=2, start=date(2026, 11, 30), household_size=1, **fields):
    return SimpleNamespace(pk=7, days=days, start_date=start, household_size=household_size,
                           updated_at="2026-11-27 19:00", **{**TARGETS, **fields})


def totals(day: PlanDay) -> dict:
    return {total.label: (total.amount, total.target, total.percent, total.status, total.width_class)
            for total in day.totals}


def test_a_days_totals_add_each_meal_times_its_servings_against_the_targets():
    (monday,) = plan_days(plan(days=1), [meal(0, 0, PORRIDGE), meal(0, 1, SOUP, servings=1.5),
                                         meal(0, 2, CURRY)])
    # 450 + 300 × 1.5 + 650 = 1550 kcal of 2000: 78 %, under; a full bar is 150 %, so 52 % of it → w-50
    assert totals(monday) == {
        "Energy": (1550, 2000, 78, "under", "w-50"),
        "Protein": (78, 100, 78, "under", "w-50"),  # 15 + 22.5 + 40 = 77.5, shown rounded
        "Fat": (49, 70, 70, "under", "w-45"),
        "Carbs": (191, 250, 76, "under", "w-50"),  # 75 + 56.25 + 60
    }
    assert [(total.label, total.unit) for total in monday.totals] == [
        ("Energy", "kcal"), ("Protein", "g"), ("Fat", "g"), ("Carbs", "g")]


@pytest.mark.parametrize(("amount", "status"), [(1789, "under"), (1790, "ok"), (2000, "ok"), (2209, "ok"),
                                                (2210, "ok"), (2211, "over")])
def test_a_total_is_on_target_from_90_to_110_percent(amount, status):
    # 1789 → 89 %, 1790 → 90 % (89.5 rounds to even), 2209 → 110 %, 2210 → 110 % (110.5 too), 2211 → 111 %
    total = NutrientTotal(label="Energy", unit="kcal", amount=amount, target=2000)
    assert (total.percent, total.status) == (round(amount / 20), status)


@pytest.mark.parametrize(("amount", "percent", "width"), [
    (0, 0, "w-0"), (150, 8, "w-5"), (1000, 50, "w-35"), (2000, 100, "w-65"), (2700, 135, "w-90"),
    (3000, 150, "w-100"), (5000, 250, "w-100"),
])
def test_the_bar_fills_in_5_percent_steps_up_to_150_percent_of_the_target(amount, percent, width):
    total = NutrientTotal(label="Energy", unit="kcal", amount=amount, target=2000)
    assert (total.percent, total.width_class) == (percent, width)


def test_a_total_without_a_target_shows_zero_percent():
    total = NutrientTotal(label="Fat", unit="g", amount=40, target=0)
    assert (total.percent, total.status, total.width_class) == (0, "under", "w-0")


def test_meal_cards_show_what_one_person_eats_and_what_the_household_cooks():
    (monday,) = plan_days(plan(days=1, household_size=3), [meal(0, 0, PORRIDGE, servings=1.5), meal(0, 1, SOUP)])
    porridge, soup = monday.meals
    assert (porridge.kcal, porridge.protein_g, porridge.fat_g, porridge.carbohydrate_g) == (675, 22, 14, 112)
    assert porridge.cook_servings == 4.5 and porridge.cost == 1.5
    assert soup.cost is None  # a recipe without a cost shows none, not 0.00
    assert soup.meal.recipe is SOUP and soup.cook_servings == 3


def test_days_are_dated_from_the_start_with_empty_days_kept_and_meals_in_slot_order():
    days = plan_days(plan(days=3), [meal(2, 1, SOUP), meal(0, 1, CURRY), meal(0, 0, PORRIDGE)])
    assert [(day.index, day.date, day.label, day.short_label) for day in days] == [
        (0, date(2026, 11, 30), "Mon 30 Nov", "Mon 30"),
        (1, date(2026, 12, 1), "Tue 01 Dec", "Tue 1"),
        (2, date(2026, 12, 2), "Wed 02 Dec", "Wed 2"),
    ]
    assert [[card.meal.recipe for card in day.meals] for day in days] == [[PORRIDGE, CURRY], [], [SOUP]]
    assert totals(days[1])["Energy"] == (0, 2000, 0, "under", "w-0")


def test_a_meal_stored_past_the_plans_length_still_shows_on_its_own_day():
    days = plan_days(plan(days=1), [meal(1, 0, SOUP)])
    assert [(day.index, len(day.meals)) for day in days] == [(0, 0), (1, 1)]


def test_days_past_the_calendars_end_are_numbered_instead_of_dated():
    days = plan_days(plan(days=2, start=date(9999, 12, 31)), [])
    assert [(day.date, day.label, day.short_label) for day in days] == [
        (date(9999, 12, 31), "Fri 31 Dec", "Fri 31"), (None, "Day 2", "Day 2")]


def test_the_summary_averages_each_nutrient_over_the_days():
    days = plan_days(plan(days=3), [meal(0, 0, CURRY), meal(1, 0, PORRIDGE), meal(2, 0, SOUP)])
    averages = plan_summary(days).averages
    # (650 + 450 + 300) / 3 = 466.7 kcal, (40 + 15 + 15) / 3 = 23.3 g protein
    assert [(a.label, a.unit, a.amount, a.target) for a in averages] == [
        ("Energy", "kcal", 467, 2000), ("Protein", "g", 23, 100), ("Fat", "g", 15, 70), ("Carbs", "g", 58, 250)]
    assert plan_summary([]).averages == () and plan_summary([]).charts == ()


def test_the_summary_draws_a_chart_per_week_of_the_plan():
    days = plan_days(plan(days=9), [meal(day, 0, SOUP) for day in range(9)])
    charts = plan_summary(days).charts
    assert [len(chart.day_labels) for chart in charts] == [7, 2]
    assert [label for _, label in charts[1].day_labels] == ["Mon 7", "Tue 8"]


def test_the_week_chart_puts_each_days_four_bars_at_their_percent_of_target():
    days = plan_days(plan(days=2), [meal(0, 0, PORRIDGE), meal(0, 1, SOUP, servings=1.5), meal(0, 2, CURRY),
                                    meal(1, 0, recipe(3100, 100, 105, 0))])
    chart = week_chart(days)
    # 34 left for the axis labels, 40 a day, 4 to spare; 6 above and 16 below a 120-high plot
    assert (chart.width, chart.height, chart.plot_left, chart.plot_width) == (118, 142, 34, 84)
    assert (chart.axis_label_x, chart.day_label_y, chart.bar_width) == (30, 139, 7)
    assert chart.day_labels == ((54, "Mon 30"), (94, "Tue 1"))
    # 0 % at y 126, 100 % at y 46, 150 % (the top) at y 6; the on-target band spans 110 % to 90 %
    assert chart.axis == ((126.0, 0), (86.0, 50), (46.0, 100), (6.0, 150))
    assert chart.band == (38.0, 16.0)
    bars = [(bar.x, bar.y, bar.height, bar.css_class) for bar in chart.bars]
    assert bars == [
        (38, 63.6, 62.4, "kcal"), (46, 63.6, 62.4, "protein"), (54, 70.0, 56.0, "fat"), (62, 65.2, 60.8, "carb"),
        (78, 6.0, 120.0, "kcal"), (86, 46.0, 80.0, "protein"), (94, 6.0, 120.0, "fat"), (102, 126.0, 0.0, "carb"),
    ]
    assert chart.bars[0].title == "Mon 30 Nov: energy 1550 of 2000 kcal (78 %)"
    assert chart.bars[6].title == "Tue 01 Dec: fat 105 of 70 g (150 %)"


def test_the_grid_version_changes_with_anything_the_grid_shows():
    meals = [(1, 1.5, False, "2026-11-27")]
    version = grid_version(plan(), meals)
    assert version == grid_version(plan(), list(meals))
    changed = [plan(days=3), plan(start=date(2026, 12, 7)), plan(household_size=2), plan(target_kcal=1800),
               plan(target_protein_g=90), plan(target_fat_g=60), plan(target_carb_g=200)]
    assert len({version, *(grid_version(other, meals) for other in changed)}) == 1 + len(changed)
    assert grid_version(plan(), [(1, 1.5, True, "2026-11-27")]) != version
    updated = plan()
    updated.updated_at, other = "2026-11-27 20:00", plan()
    other.pk = 8
    assert len({version, grid_version(updated, meals), grid_version(other, meals)}) == 3


def test_a_one_day_plans_averages_are_that_days_totals():
    (day,) = days = plan_days(plan(days=1), [meal(0, 0, SOUP, servings=2)])
    assert plan_summary(days).averages == day.totals
    assert [(a.amount, a.target) for a in day.totals] == [(600, 2000), (30, 100), (20, 70), (75, 250)]


def test_a_lunch_of_the_day_befores_dinner_recipe_is_its_leftovers():
    days = plan_days(plan(days=2), [meal(0, 2, CURRY, meal_type="dinner"), meal(1, 1, CURRY, meal_type="lunch"),
                                    meal(1, 2, SOUP, meal_type="dinner"), meal(0, 1, SOUP, meal_type="lunch")])
    cards = {(day.index, card.meal.meal_type): card.leftovers_from for day in days for card in day.meals}
    assert cards == {(0, "lunch"): "", (0, "dinner"): "", (1, "lunch"): "Monday's dinner", (1, "dinner"): ""}


def test_leftovers_past_the_calendars_end_name_the_day_by_number():
    days = plan_days(plan(days=3, start=date(9999, 12, 31)), [meal(1, 2, CURRY, meal_type="dinner"),
                                                              meal(2, 1, CURRY, meal_type="lunch")])
    assert [card.leftovers_from for card in days[2].meals] == ["day 2's dinner"]


def test_a_plan_for_several_members_totals_each_members_portions_against_their_targets_at_home():
    """Two eat breakfast and dinner, only Alex lunch: Mia's targets that day are less lunch's share."""
    from mealplan.pages.plan_grid import Eater, servings_in_words

    meals = [meal(0, 0, PORRIDGE, 1.5, "breakfast"), meal(0, 1, SOUP, 1, "lunch"), meal(0, 2, CURRY, 2, "dinner")]
    for number, each in enumerate(meals):
        each.pk = number
    alex = Eater(position=0, name="Alex", targets=TARGETS)
    mia = Eater(position=1, name="Mia", targets={name: value / 2 for name, value in TARGETS.items()})
    portions = {0: ((0, 1.0), (1, 0.5)), 1: ((0, 1.0),), 2: ((0, 1.5), (1, 0.5))}
    (day,) = plan_days(plan(days=1), meals, eaters=[alex, mia], portions=portions)
    assert [card.portions_text for card in day.meals] == ["Alex 1 · Mia ½ serving", "Alex 1 serving",
                                                          "Alex 1½ · Mia ½ serving"]
    alex_day, mia_day = day.members
    assert alex_day.totals[0].amount == 450 + 300 + 975 and alex_day.totals[0].target == 2000
    # lunch's usual share of a 3-meal day is left out of Mia's 1000 kcal; she ate 225 + 325
    assert mia_day.totals[0].amount == 550 and 500 < mia_day.totals[0].target < 1000
    (only_mia,) = plan_days(plan(days=1), meals, eaters=[alex, mia], portions=portions, only=1)
    assert [(card.meal.slot, card.servings_text, card.kcal) for card in only_mia.meals] == [
        (0, "½ serving", 225), (2, "½ serving", 325)]
    assert only_mia.totals == mia_day.totals and only_mia.totals_for == "Mia"
    # a Mia of two meals a day (breakfast and dinner) eats her whole day at them: her full 1000 kcal
    two_meals = Eater(position=1, name="Mia", targets=mia.targets, own_meals=2)
    (day_of_two,) = plan_days(plan(days=1), meals, eaters=[alex, two_meals], portions=portions)
    assert day_of_two.members[1].totals[0].target == 1000
    assert [servings_in_words(value) for value in (0.5, 1, 1.5, 3)] == ["½", "1", "1½", "3"]


def test_a_household_plans_cards_show_each_members_portion_dishes_in_order_and_an_unknown_member_shows_all():
    """Dinner is two dishes (the second, dish 1, for Mia), given here in reverse; lunch has no portions
    stored (nobody's), and a breakfast sits past the plan's one day. Mia's week shows her portions'
    figures; a member filter naming nobody shows the household, as without one."""
    from mealplan.pages.plan_grid import Eater, servings_in_words

    breakfast, lunch = meal(0, 0, PORRIDGE, 1.5, "breakfast"), meal(0, 1, SOUP, 1, "lunch")
    mias_dinner, dinner = meal(0, 2, SOUP, 1, "dinner"), meal(0, 2, CURRY, 2, "dinner")
    late = meal(1, 0, PORRIDGE, 1, "breakfast")
    meals = [breakfast, mias_dinner, dinner, lunch, late]
    for number, each in enumerate(meals):
        each.pk, each.dish = number, 0
    mias_dinner.dish = 1
    alex = Eater(position=0, name="Alex", targets=TARGETS)
    mia = Eater(position=1, name="Mia", targets={name: value / 2 for name, value in TARGETS.items()})
    portions = {0: ((0, 1.0), (1, 0.5)), 1: ((1, 1.5),), 2: ((0, 1.5),), 4: ((0, 1.0), (1, 1.0))}
    days = plan_days(plan(days=1), meals, eaters=[alex, mia], portions=portions)
    assert [card.meal for card in days[0].meals] == [breakfast, lunch, dinner, mias_dinner]
    assert [card.portions_text for card in days[0].meals] == ["Alex 1 · Mia ½ serving", "", "Alex 1½ servings",
                                                              "Mia 1½ servings"]
    assert [(day.totals_for, [member.eater.name for member in day.members]) for day in days] == [
        ("Alex", ["Alex", "Mia"]), ("Alex", ["Alex", "Mia"])]
    assert days[0].members[1].totals[0].amount == 225 + 450
    (mias_day, _) = plan_days(plan(days=1), meals, eaters=[alex, mia], portions=portions, only=1)
    assert [(card.servings_text, card.kcal, card.protein_g, card.fat_g, card.carbohydrate_g, card.cost)
            for card in mias_day.meals] == [("½ serving", 225, 8, 4, 38, 0.5), ("1½ servings", 450, 22, 15, 56, None)]
    nobody = plan_days(plan(days=1), meals, eaters=[alex, mia], portions=portions, only=9)
    assert [card.meal for card in nobody[0].meals] == [card.meal for card in days[0].meals]
    assert nobody[0].totals == days[0].totals and nobody[0].totals_for == "Alex"
    # only Mia's week says whose it is (the page then hides the household's portions and bars)
    assert (mias_day.week_of, days[0].week_of, nobody[0].week_of) == ("Mia", "", "")
    assert plan_summary(days).whose == "Alex" and plan_summary([]).whose == ""
    # servings stored off the half steps (the servings form took any one-decimal value before 2026-11-28): the nearest one
    assert [servings_in_words(value) for value in (0, 1.2, 1.3)] == ["0", "1", "1½"]


def test_a_household_plans_totals_are_the_viewers_own_and_the_first_members_for_anyone_else():
    """Mia (with an account) sees her own totals; a viewer who is no member, or nobody signed in,
    sees the first member's (Ann's); Sam, who has no account, is never taken for a viewer."""
    from mealplan.pages.plan_grid import Eater

    breakfast = meal(0, 0, PORRIDGE, 1, "breakfast")
    breakfast.pk = 0
    ann = Eater(position=0, name="Ann", targets=TARGETS, user_id=40)
    sam = Eater(position=1, name="Sam", targets=TARGETS)
    mia = Eater(position=2, name="Mia", targets=TARGETS, user_id=41)
    portions = {0: ((0, 1.0), (1, 1.5), (2, 0.5))}

    def whose(viewer):
        (day,) = plan_days(plan(days=1), [breakfast], eaters=[ann, sam, mia], portions=portions, viewer=viewer)
        return day.totals_for, day.totals[0].amount

    assert whose(41) == ("Mia", 225)
    assert whose(99) == whose(None) == ("Ann", 450)


def test_a_member_with_fewer_meals_a_day_eats_all_of_their_day_at_their_own_meals():
    """In a breakfast-lunch-dinner plan, a 2-meal member eats breakfast and dinner: both at home is their
    whole day (lunch is not theirs), dinner alone is a 2-meal day less its breakfast; a 3-meal member
    eating breakfast and dinner at home misses lunch's share."""
    from mealplan.pages.plan_grid import home_share

    layout = {0: "breakfast", 1: "lunch", 2: "dinner"}
    assert home_share(layout, {0, 2}, 2) == 1
    assert home_share(layout, {2}, 2) == pytest.approx(0.5833, abs=1e-4)
    assert home_share(layout, {0, 2}, None) == pytest.approx(0.6316, abs=1e-4)
