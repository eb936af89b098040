"""Plans for a household of several members, through the services the pages call: one dish a meal,
each member's own portion, every eater's rules kept, meals eaten elsewhere left out; regenerate,
lock, swap and dislike on the household's plan."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.urls import reverse

from meals.models import Allergen, Diet, Recipe
from mealplan import selectors, services
from mealplan.errors import PlanInfeasible
from mealplan.models import MealPlan, MealPortion, PlannedMeal, Profile, SkippedMeal
from tests.planner_catalog import STYLES, make_catalog, make_food, make_person, make_recipe
from tests.web_factories import PLAN_START, make_plan, make_user, small_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(db):
    """Pat (35) and Mia (8, no peanuts, lunch at school on weekdays) in Pat's household; a catalog with
    peanut recipes among plain ones."""
    make_catalog()
    for meal_type, kcal in (("breakfast", 420), ("lunch", 560), ("dinner", 690)):
        for number, style in enumerate(STYLES):
            make_recipe(f"light {meal_type} {number}", meal_type=meal_type, kcal=kcal * 0.6 + 30 * number, split=style)
        for number in range(3):
            make_recipe(f"peanut {meal_type} {number}", meal_type=meal_type, kcal=kcal + 20 * number,
                        allergens=("peanuts",))
    pat = make_person("pat")
    mia = Profile.objects.create(household=pat.profile.household, name="Mia", sex="female", age=8, height_cm=128,
                                 weight_kg=26)
    mia.excluded_allergens.set(Allergen.objects.filter(slug="peanuts"))
    SkippedMeal.objects.bulk_create(SkippedMeal(member=mia, weekday=day, meal_type="lunch") for day in range(5))
    return pat, mia


def portions_by_meal(plan):
    found = defaultdict(dict)
    for meal_id, name, servings in MealPortion.objects.filter(meal__plan=plan).values_list(
            "meal_id", "member__name", "servings"):
        found[meal_id][name] = servings
    return found


def assert_consistent(plan, pat, mia):
    """Every meal's servings are its portions' sum; Mia never eats peanuts nor lunch on a weekday."""
    portions = portions_by_meal(plan)
    peanuts = set(Recipe.objects.filter(allergens__slug="peanuts").values_list("pk", flat=True))
    for meal in plan.meals.all():
        assert meal.servings == sum(portions[meal.pk].values()), meal
        assert all(Decimal("0.5") <= servings <= 3 for servings in portions[meal.pk].values())
        if "Mia" in portions[meal.pk]:
            assert meal.recipe_id not in peanuts
            assert not (meal.meal_type == "lunch" and (plan.start_date.weekday() + meal.day) % 7 < 5)
    return portions


def test_a_household_plan_has_one_dish_a_meal_with_each_members_portion(household):
    pat, mia = household
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=7)
    assert [(eater.name, eater.member_id) for eater in plan.members.all()] == [("pat", pat.profile.pk), ("Mia", mia.pk)]
    assert plan.household_size == 1 and plan.household_id == pat.profile.household_id
    portions = assert_consistent(plan, pat, mia)
    meals = list(plan.meals.all())
    # PLAN_START is a Monday: Mia eats at home on Saturday and Sunday lunch, every breakfast and dinner
    assert sum("Mia" in portions[meal.pk] for meal in meals) == 7 * 2 + 2
    assert all("pat" in portions[meal.pk] for meal in meals)
    shared = [meal for meal in meals if len(portions[meal.pk]) == 2]
    assert shared and all(meal.dish == 0 for meal in shared)
    # each member's own targets: Mia eats much less than Pat over the week
    eaten = defaultdict(float)
    for meal in plan.meals.select_related("recipe"):
        for name, servings in portions[meal.pk].items():
            eaten[name] += meal.recipe.energy_kcal * float(servings)
    assert eaten["Mia"] < 0.8 * eaten["pat"]


def test_regenerate_day_lock_swap_and_dislike_work_for_the_household(household):
    pat, mia = household
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=3)
    dinner = plan.meals.get(day=1, meal_type="dinner")
    services.set_meal_locked(meal=dinner, locked=True)
    kept = {meal.pk: (meal.recipe_id, meal.servings) for meal in plan.meals.exclude(day=2)}
    kept_portions = {pk: found for pk, found in portions_by_meal(plan).items() if pk in kept}
    services.regenerate_day(plan=plan, day=2)
    assert {meal.pk: (meal.recipe_id, meal.servings) for meal in plan.meals.exclude(day=2)} == kept
    assert {pk: found for pk, found in portions_by_meal(plan).items() if pk in kept} == kept_portions
    assert_consistent(plan, pat, mia)

    services.regenerate_plan(plan=plan)
    assert PlannedMeal.objects.get(pk=dinner.pk).recipe_id == dinner.recipe_id  # locked
    assert_consistent(plan, pat, mia)

    breakfast = plan.meals.get(day=0, meal_type="breakfast")
    choices = selectors.swap_candidates(breakfast)
    assert not choices.filter(allergens__slug="peanuts").exists()  # Mia eats it: nothing with peanuts
    # one not in the plan yet (the repeat limits) nearest in energy (every eater's portion can fit their band)
    choice = min(choices.exclude(pk__in=plan.meals.values("recipe_id")),
                 key=lambda recipe: abs(recipe.energy_kcal - breakfast.recipe.energy_kcal))
    services.swap_meal(meal=breakfast, recipe=choice, replan_day=True)
    breakfast.refresh_from_db()
    assert (breakfast.recipe_id, breakfast.locked) == (choice.pk, True)
    assert_consistent(plan, pat, mia)
    with pytest.raises(ValidationError, match="sized to their own targets"):
        services.set_meal_servings(meal=breakfast, servings=Decimal("2"))

    lunch = plan.meals.get(day=1, meal_type="lunch")
    disliked = lunch.recipe_id
    services.dislike_meal(meal=lunch, member=pat.profile)
    assert disliked in set(pat.profile.disliked_recipes.values_list("pk", flat=True))
    assert not plan.meals.filter(recipe_id=disliked, locked=False).exists()
    assert_consistent(plan, pat, mia)


def test_a_member_eats_their_own_meals_a_day_of_the_households_and_the_plan_keeps_them(household, client):
    pat, mia = household
    mia.own_meals_per_day = 2  # breakfast and dinner: no lunch, even at the weekend
    mia.save()
    plan = services.generate_plan(user=pat, start_date=PLAN_START + timedelta(days=5), days=2)  # Saturday, Sunday
    assert plan.members.get(name="Mia").own_meals_per_day == 2
    lunches = plan.meals.filter(meal_type="lunch")
    assert lunches and all(found == {"pat"} for found in eaters_of(plan, lunches).values())
    assert all("Mia" in found for found in eaters_of(plan, plan.meals.exclude(meal_type="lunch")).values())
    services.regenerate_day(plan=plan, day=1)
    assert all(found == {"pat"} for found in eaters_of(plan, plan.meals.filter(meal_type="lunch")).values())
    client.force_login(pat)
    page = " ".join(client.get(plan.get_absolute_url()).content.decode().split())
    mias_day = page.split('id="day-1-member-1"')[1].split("</dl>")[0]
    assert f"/ {plan.members.get(name='Mia').target_kcal} kcal" in mias_day  # her whole day, in her two meals


def eaters_of(plan, meals):
    portions = portions_by_meal(plan)
    return {meal.pk: set(portions[meal.pk]) for meal in meals}


def test_a_replan_is_for_the_current_members_only_and_the_plan_keeps_who_ate_then(household):
    pat, mia = household
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=3)
    before = portions_by_meal(plan)
    locked = plan.meals.get(day=2, meal_type="dinner")
    services.set_meal_locked(meal=locked, locked=True)
    services.remove_member(member=mia)
    assert [eater.name for eater in plan.members.all()] == ["pat", "Mia"]  # who ate then, readable

    services.regenerate_day(plan=plan, day=1)
    others = set(plan.meals.exclude(day=1).values_list("pk", flat=True))
    assert {pk: found for pk, found in portions_by_meal(plan).items() if pk in others} == {pk: before[pk] for pk in others}
    assert all("Mia" in found for found in eaters_of(plan, plan.meals.filter(day=0, meal_type="dinner")).values())
    assert all(found == {"pat"} for found in eaters_of(plan, plan.meals.filter(day=1)).values())
    breakfast = plan.meals.get(day=0, meal_type="breakfast")
    services.regenerate_meal(meal=breakfast)
    assert eaters_of(plan, [breakfast]) == {breakfast.pk: {"pat"}}
    assert selectors.swap_candidates(breakfast).filter(allergens__slug="peanuts").exists()  # Mia's rules are gone

    services.regenerate_plan(plan=plan)
    kept = eaters_of(plan, plan.meals.all())
    assert kept.pop(locked.pk) == {"pat", "Mia"}  # the locked meal is kept as it was
    assert set(map(frozenset, kept.values())) == {frozenset({"pat"})}
    assert_consistent(plan, pat, mia)
    assert [(eater.name, eater.member_id) for eater in plan.members.all()] == [("pat", pat.profile.pk), ("Mia", mia.pk)]


def test_a_member_who_left_has_no_say_in_what_a_replan_replaces(household):
    pat, mia = household
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=2)
    mia.diet = Diet.objects.get(slug="vegan")
    mia.save()
    assert selectors.meals_breaking_rules(plan)
    services.remove_member(member=mia)
    assert selectors.meals_breaking_rules(plan) == set()


def test_the_maker_leaves_and_the_household_replans_for_those_still_in_it(household, client):
    pat, mia = household
    sam = make_person("sam", age=40, sex="male", max_repeats_per_week=1)
    services.join_household(user=sam, invitation=services.invite_to_household(household=pat.profile.household, user=pat))
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=2)
    assert [eater.name for eater in plan.members.all()] == ["pat", "sam", "Mia"]
    Profile.objects.filter(user=pat).update(daily_budget=Decimal("4.00"))
    Profile.objects.filter(user=sam).update(daily_budget=Decimal("60.00"))
    services.leave_household(user=pat)
    services.regenerate_plan(plan=plan)
    assert set(map(frozenset, eaters_of(plan, plan.meals.all()).values())) <= {frozenset({"sam", "Mia"}), frozenset({"sam"})}
    plan.refresh_from_db()
    sam_eats = plan.members.get(name="sam")
    assert (plan.target_kcal, plan.target_protein_g) == (sam_eats.target_kcal, sam_eats.target_protein_g)
    recipes = [meal.recipe_id for meal in plan.meals.all()]
    assert len(recipes) == len(set(recipes))  # sam's repeat limit, not pat's, is the plan's now
    assert_consistent(plan, pat, mia)

    client.force_login(sam)  # the plan's budget is sam's now, as its settings are
    assert "budget of 60.00 a person" in client.get(plan.get_absolute_url()).content.decode()
    assert selectors.cost_of_plan(plan).daily_budget == Decimal("60.00")
    client.force_login(pat)  # who left sees the plan no more, nor may re-plan it
    assert client.post(reverse("plan-regenerate", args=[plan.pk])).status_code == 404


def test_a_plan_whose_eaters_are_all_gone_is_not_replanned_for_anybody(household):
    pat, mia = household
    services.remove_member(member=mia)
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=1)
    sam = make_person("sam")
    services.join_household(user=sam, invitation=services.invite_to_household(household=pat.profile.household, user=pat))
    services.leave_household(user=pat)
    meals = {meal.pk: meal.recipe_id for meal in plan.meals.all()}
    with pytest.raises(PlanInfeasible, match="Nobody this plan was made for"):
        services.regenerate_day(plan=plan, day=0)
    assert {meal.pk: meal.recipe_id for meal in plan.meals.all()} == meals


def test_the_households_plans_outlive_the_account_of_the_member_who_made_them(household):
    pat, mia = household
    sam = make_person("sam", age=40, sex="male")
    services.join_household(user=sam, invitation=services.invite_to_household(household=pat.profile.household, user=pat))
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=2)
    meals = sorted(plan.meals.values_list("day", "slot", "recipe_id", "servings"))
    pat.delete()  # the admin deletes the account
    plan.refresh_from_db()
    assert plan.owner is None and plan in selectors.plans_of(sam)
    assert sorted(plan.meals.values_list("day", "slot", "recipe_id", "servings")) == meals
    assert [(eater.name, eater.member_id) for eater in plan.members.all()] == [("pat", None), ("sam", sam.profile.pk),
                                                                              ("Mia", mia.pk)]
    services.regenerate_plan(plan=plan)
    assert set(map(frozenset, eaters_of(plan, plan.meals.all()).values())) <= {frozenset({"sam", "Mia"}), frozenset({"sam"})}
    assert str(plan).startswith(f"{plan.household} · ")


def test_a_rule_a_member_takes_up_later_flags_the_meals_they_eat_and_regenerating_replaces_them(household, client):
    pat, mia = household
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=3)
    mia.diet = Diet.objects.get(slug="vegan")
    mia.save()
    portions = portions_by_meal(plan)
    vegan = set(Recipe.objects.filter(diets__slug="vegan").values_list("pk", flat=True))
    expected = {meal.pk for meal in plan.meals.all() if "Mia" in portions[meal.pk] and meal.recipe_id not in vegan}
    assert expected, "the plan gave Mia some recipe that is not vegan"
    assert selectors.meals_breaking_rules(plan) == expected  # Pat's lunches alone are not flagged
    client.force_login(pat)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert page.count("Breaks the current diet or allergens of someone eating it") == len(expected)
    flagged = plan.meals.get(pk=min(expected))
    services.set_meal_locked(meal=flagged, locked=True)
    services.regenerate_plan(plan=plan)
    portions = portions_by_meal(plan)
    assert not {meal.pk for meal in plan.meals.all() if "Mia" in portions[meal.pk] and meal.recipe_id not in vegan}


def test_leftover_lunches_work_for_the_household(household):
    """Pat asks for leftover lunches: each lunch after the first day is the day before's dinner,
    cooked once for both meals (the page says "leftovers from …"), Mia eating it on weekends."""
    pat, mia = household
    pat.profile.leftover_lunches = True
    pat.profile.save(update_fields=["leftover_lunches"])
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=7)
    portions = assert_consistent(plan, pat, mia)
    meals = {(meal.day, meal.meal_type): meal for meal in plan.meals.all()}
    for day in range(1, 7):
        assert meals[day, "lunch"].recipe_id == meals[day - 1, "dinner"].recipe_id
    assert "Mia" in portions[meals[5, "lunch"].pk]


def test_an_account_whose_own_recipe_a_household_plan_holds_is_kept_until_the_recipe_is_swapped_out(db):
    """The plan would lose a meal with the recipe: deleting the account is refused (the admin lists
    the planned meals that hold it), and nothing of the household's is lost."""
    pat, sam = make_user("pat"), make_user("sam")
    services.join_household(user=sam, invitation=services.invite_to_household(household=pat.profile.household, user=pat))
    recipes = small_catalog()
    Recipe.objects.filter(pk=recipes["porridge"].pk).update(owner=pat, is_published=False)
    plan = make_plan(pat, recipes, days=1)
    with pytest.raises(ProtectedError):
        pat.delete()
    assert MealPlan.objects.get(pk=plan.pk).owner == pat and Recipe.objects.filter(owner=pat).exists()
    PlannedMeal.objects.filter(recipe=recipes["porridge"]).update(recipe=recipes["rice-pudding"])
    pat.delete()
    assert MealPlan.objects.get(pk=plan.pk).owner is None and plan in selectors.plans_of(sam)


def test_a_member_without_an_account_never_eats_a_food_they_dislike(household):
    """Mia dislikes mushrooms: the mushroom dishes, which everyone else may eat, never come to her plate."""
    pat, mia = household
    mushroom = make_food("Mushrooms, white, raw")
    mushroom_dishes = {make_recipe(f"mushroom {meal_type} {number}", meal_type=meal_type, kcal=kcal + 10 * number,
                                   foods=[mushroom]).pk
                       for meal_type, kcal in (("breakfast", 300), ("lunch", 400), ("dinner", 480)) for number in range(3)}
    mia.disliked_foods.set([mushroom])
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=7)
    portions = assert_consistent(plan, pat, mia)
    assert not [meal for meal in plan.meals.all() if "Mia" in portions[meal.pk] and meal.recipe_id in mushroom_dishes]


@pytest.fixture
def vegan_and_keto(db):
    """Alex (vegan, an account) and Sam (keto, none) in Alex's household; no recipe is both."""
    make_catalog()
    for meal_type, kcal in (("breakfast", 420), ("lunch", 560), ("dinner", 690)):
        for number in range(6):
            make_recipe(f"keto {meal_type} {number}", meal_type=meal_type, kcal=kcal + 35 * number,
                        split=(0.22, 0.72, 0.06), diets=("keto",))
    alex = make_person("alex", name="Alex", diet=Diet.objects.get(slug="vegan"))
    sam = Profile.objects.create(household=alex.profile.household, name="Sam", sex="male", age=40, height_cm=182,
                                 weight_kg=85, diet=Diet.objects.get(slug="keto"))
    return alex, sam


def test_a_vegan_and_a_keto_member_eat_two_dishes_where_no_recipe_suits_both_and_the_plan_says_why(vegan_and_keto,
                                                                                                    client):
    """Issue 11's own case: no recipe is both vegan and keto, so each meal is cooked as two dishes,
    Alex's vegan one and Sam's keto one, each portion sized to its eater, and the plan page says why."""
    alex, sam = vegan_and_keto
    plan = services.generate_plan(user=alex, start_date=PLAN_START, days=7)
    portions = portions_by_meal(plan)
    vegan = set(Recipe.objects.filter(diets__slug="vegan").values_list("pk", flat=True))
    keto = set(Recipe.objects.filter(diets__slug="keto").values_list("pk", flat=True))
    slots = defaultdict(list)
    for meal in plan.meals.all():
        slots[meal.day, meal.slot].append(meal)
        eaters = set(portions[meal.pk])
        assert eaters in ({"Alex"}, {"Sam"}), eaters
        assert meal.recipe_id in (vegan if eaters == {"Alex"} else keto)
    assert len(slots) == 7 * 3 and all(sorted(meal.dish for meal in meals) == [0, 1] for meals in slots.values())
    why = [note for note in plan.solver_notes if note.startswith("Breakfast is cooked as two dishes on days 1, 2, 3")]
    assert why and ("no breakfast is both vegan for Alex and keto for Sam" in why[0]
                    or "no breakfast is both keto for Sam and vegan for Alex" in why[0]), plan.solver_notes
    client.force_login(alex)
    assert why[0] in client.get(reverse("plan-detail", args=[plan.pk])).content.decode()


def test_a_meal_turned_down_for_a_member_without_an_account_is_never_planned_for_them_again(household, client):
    """Pat chooses Mia as who doesn't like a dinner they share: the recipe is kept on Mia's own row (not
    Pat's), this plan and the next never give it to Mia, and Pat may still be given it."""
    pat, mia = household
    plan = services.generate_plan(user=pat, start_date=PLAN_START, days=7)
    portions = portions_by_meal(plan)
    dinner = next(meal for meal in plan.meals.filter(meal_type="dinner").order_by("day") if "Mia" in portions[meal.pk])
    client.force_login(pat)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f'<select id="who-{dinner.pk}" name="who-{dinner.pk}" form="plan-actions"' in page
    assert f'<option value="{mia.pk}">Mia</option>' in page
    response = client.post(reverse("meal-dislike", args=[plan.pk, dinner.pk]),
                           {"dislike": dinner.recipe_id, f"who-{dinner.pk}": mia.pk}, follow=True)
    assert response.status_code == 200
    assert f"We won't suggest {dinner.recipe.title} to Mia again" in response.content.decode().replace("&#x27;", "'")
    assert set(mia.disliked_recipes.values_list("pk", flat=True)) == {dinner.recipe_id}
    assert not pat.profile.disliked_recipes.exists()
    portions = assert_consistent(plan, pat, mia)
    assert not [meal for meal in plan.meals.all() if meal.recipe_id == dinner.recipe_id and "Mia" in portions[meal.pk]]

    following = PLAN_START + timedelta(days=7)
    request = services.household_request([pat.profile, mia], days=7, slot_types=("breakfast", "lunch", "dinner"),
                                         start_date=following)
    assert dinner.recipe_id in request.members[0].allowed and dinner.recipe_id not in request.members[1].allowed
    later = services.generate_plan(user=pat, start_date=following, days=7)
    portions = assert_consistent(later, pat, mia)
    assert not [meal for meal in later.meals.all() if meal.recipe_id == dinner.recipe_id and "Mia" in portions[meal.pk]]


def test_a_second_dish_is_regenerated_and_turned_down_for_its_eater_alone(vegan_and_keto):
    """Sam's keto dish of a two-dish dinner: regenerating it gives Sam another keto recipe (Alex's dish may
    stay as it is); turning it down for Sam keeps it on Sam's row and off his plate; swapping it keeps Alex's
    dish; with Alex's dish locked, regenerating and swapping say why nothing changed."""
    alex, sam = vegan_and_keto
    plan = services.generate_plan(user=alex, start_date=PLAN_START, days=2)
    keto = set(Recipe.objects.filter(diets__slug="keto").values_list("pk", flat=True))

    def sams_dinner():
        dinner = next(meal for meal in plan.meals.filter(day=0, meal_type="dinner")
                      if set(portions_by_meal(plan)[meal.pk]) == {"Sam"})
        assert dinner.recipe_id in keto
        return dinner

    first = sams_dinner()
    services.regenerate_meal(meal=first)
    second = sams_dinner()
    assert second.recipe_id != first.recipe_id
    services.dislike_meal(meal=second, member=sam)
    assert list(sam.disliked_recipes.values_list("pk", flat=True)) == [second.recipe_id]
    assert not alex.profile.disliked_recipes.exists()
    assert sams_dinner().recipe_id != second.recipe_id
    alexs = next(meal for meal in plan.meals.filter(day=0, meal_type="dinner") if meal.pk != sams_dinner().pk)
    choice = selectors.swap_candidates(sams_dinner()).exclude(pk__in=plan.meals.values("recipe_id")).first()
    services.swap_meal(meal=sams_dinner(), recipe=choice)  # the day's other slots of two dishes keep theirs too
    assert (sams_dinner().recipe_id, sams_dinner().locked) == (choice.pk, True)
    assert PlannedMeal.objects.get(pk=alexs.pk).recipe_id == alexs.recipe_id
    services.set_meal_locked(meal=sams_dinner(), locked=False)
    services.set_meal_locked(meal=alexs, locked=True)
    for change in (lambda: services.regenerate_meal(meal=sams_dinner()),
                   lambda: services.swap_meal(meal=sams_dinner(), recipe=choice)):
        with pytest.raises(ValidationError, match="The other dish of this meal is locked"):
            change()
