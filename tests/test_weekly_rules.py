"""Weekly rules a person writes: read from words, refused with a reason, kept by the planner."""

from collections import Counter
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from meals.models import Recipe, Tag
from mealplan import selectors, services
from mealplan.models import Profile
from mealplan.people.slots import energy_bands_for
from mealplan.people.weekly_rules import RuleError, describe, describe_bands, parse_rule, parse_rules
from tests.planner_catalog import make_catalog, make_person
from tests.test_web_pages import PROFILE_DATA
from tests.web_factories import PLAN_START, make_user


@pytest.mark.parametrize("line, rule", [
    ("At most 2 red meat dinners a week", {"kind": "at_most", "count": 2, "what": "red meat", "meal_type": "dinner"}),
    ("at least twice fish a week.", {"kind": "at_least", "count": 2, "what": "fish", "meal_type": ""}),
    ("at most 1 chicken lunches per week", {"kind": "at_most", "count": 1, "what": "chicken", "meal_type": "lunch"}),
    ("on Friday dinner is pizza", {"kind": "on_day", "weekday": 4, "meal_type": "dinner", "what": "pizza"}),
    ("weekdays at most 30 minutes, weekends at most 90", {"kind": "minutes", "weekdays": 30, "weekends": 90}),
])
def test_each_form_of_rule_is_read_and_said_back(line, rule):
    assert parse_rule(line) == rule
    assert parse_rule(describe(rule)) == rule


@pytest.mark.parametrize("line, message", [
    ("no meat please", "Write it as"),
    ("at most 40 chicken a week", "between 0 and 21"),
    ("weekdays at most 2 minutes, weekends at most 90", "between 5 and 600"),
    ("at most 2 dinners a week", "before the meal"),
])
def test_lines_that_are_not_rules_are_refused_with_the_reason(line, message):
    with pytest.raises(RuleError, match=message):
        parse_rule(line)


def test_two_cooking_time_rules_are_one_too_many():
    _, errors = parse_rules("weekdays at most 30 minutes, weekends at most 90\nweekdays at most 20, weekends at most 60")
    assert errors == ["Give the weekday and weekend cooking times in one rule."]


@pytest.mark.django_db
def test_the_profile_form_stores_rules_and_refuses_unknown_words(client):
    make_catalog()
    Tag.objects.create(name="Pizza", slug="pizza")
    user = make_user("rita")
    client.force_login(user)
    response = client.post(reverse("profile"), PROFILE_DATA | {"weekly_rules": "on friday dinner is pizza\nat most 2 beef a week"})
    assert response.status_code == 302
    assert Profile.objects.get(user=user).weekly_rules == [
        {"kind": "on_day", "weekday": 4, "meal_type": "dinner", "what": "pizza"},
        {"kind": "at_most", "count": 2, "what": "beef", "meal_type": ""}]
    assert "on Friday dinner is pizza\nat most 2 beef a week" in client.get(reverse("profile")).content.decode()
    page = client.post(reverse("profile"), PROFILE_DATA | {"weekly_rules": "on monday lunch is sushi\nless meat"})
    text = page.content.decode()
    assert page.status_code == 200 and "is neither a main protein nor a recipe tag" in text and "Write it as" in text
    assert len(Profile.objects.get(user=user).weekly_rules) == 2


@pytest.mark.django_db
def test_the_planner_keeps_written_rules():
    """Dinners 0–3 are tagged "quick"; "at least 4 quick dinners a week" and "on Sunday dinner is
    quick" hold in the plan; a cooking-time rule keeps weekdays to short recipes."""
    recipes = make_catalog()
    quick = Tag.objects.create(name="Quick", slug="quick")
    dinners = [r for r in recipes if r.is_dinner]
    for recipe in dinners[:4]:
        recipe.tags.add(quick)
    Recipe.objects.filter(pk__in=[r.pk for r in dinners[:2]]).update(prep_minutes=50)
    user = make_person(max_repeats_per_week=2, weekly_rules=[
        {"kind": "at_least", "count": 4, "what": "quick", "meal_type": "dinner"},
        {"kind": "on_day", "weekday": 6, "meal_type": "dinner", "what": "quick"},
        {"kind": "minutes", "weekdays": 30, "weekends": 60}])
    plan = services.generate_plan(user=user, start_date=PLAN_START, days=7)
    quick_ids = {r.pk for r in dinners[:4]}
    meals = list(plan.meals.select_related("recipe"))
    assert sum(m.recipe_id in quick_ids for m in meals if m.meal_type == "dinner") >= 4
    for meal in meals:
        weekday = (PLAN_START + timedelta(days=meal.day)).weekday()
        if weekday == 6 and meal.meal_type == "dinner":
            assert meal.recipe_id in quick_ids
        if weekday < 5:
            assert meal.recipe.total_minutes <= 30
    assert Counter(type(r).__name__ for r in selectors.written_rules(user.profile))["WeeklyRule"] == 3


@pytest.mark.django_db
def test_energy_bands_are_edited_on_the_profile_refused_when_they_cannot_make_a_day_and_planned_with():
    make_catalog()
    user = make_user("bea")
    client = Client()
    client.force_login(user)
    assert client.post(reverse("profile"), PROFILE_DATA | {"energy_bands": "breakfast 30-35\nlunch: 25-40 %"}).status_code == 302
    profile = Profile.objects.get(user=user)
    assert profile.energy_bands == {"breakfast": [30, 35], "lunch": [25, 40]}
    assert "breakfast 30-35\nlunch 25-40" in client.get(reverse("profile")).content.decode()
    refused = client.post(reverse("profile"), PROFILE_DATA | {"energy_bands": "breakfast 60-70\nlunch 40-50"})
    assert refused.status_code == 200 and "cannot add up to the whole day" in refused.content.decode()
    assert "write a meal and its share" in client.post(
        reverse("profile"), PROFILE_DATA | {"energy_bands": "brunch 10-20"}).content.decode()
    assert energy_bands_for(3, profile.energy_bands)["breakfast"] == (0.30, 0.35)
    assert energy_bands_for(3, {}) is None
    plan = services.generate_plan(user=profile.user, start_date=PLAN_START, days=2)
    for meal in plan.meals.select_related("recipe").filter(meal_type="breakfast"):
        share = float(meal.servings) * meal.recipe.energy_kcal / plan.target_kcal
        assert 0.30 - 1e-6 <= share <= 0.35 + 1e-6


def test_bands_are_shown_in_meal_order_whatever_order_the_database_keeps_keys_in():
    assert describe_bands({"lunch": [25, 40], "breakfast": [30, 35]}) == "breakfast 30-35\nlunch 25-40"
