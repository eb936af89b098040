"""A locked meal that breaks the profile's current rules: flagged on its card, replaced unless kept."""

import pytest
from django.urls import reverse

from meals.models import Diet
from mealplan.models import PlannedMeal

FLAG = "Breaks your current diet or allergens"


def lock_a_meal_then_exclude_its_allergen(client, plan):
    """Lock a meal whose recipe has an allergen, then add that allergen to the profile's exclusions."""
    meal = next(m for m in plan.meals.select_related("recipe").order_by("day", "slot") if m.recipe.allergens.exists())
    client.post(reverse("meal-lock", args=[plan.pk, meal.pk]), {"locked": "1"})
    profile = plan.owner.profile
    allergen = meal.recipe.allergens.order_by("name").first()
    profile.excluded_allergens.add(allergen)
    profile.save()  # as the profile form does: the plan page's cached grid follows the profile
    return meal, plan.meals.filter(recipe__allergens=allergen).count()


@pytest.mark.django_db
def test_locked_meal_breaking_a_new_allergen_rule_is_flagged_and_replaced(client, plan):
    meal, with_allergen = lock_a_meal_then_exclude_its_allergen(client, plan)
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert page.count(FLAG) == with_allergen and page.count('id="keep-') == 1 and f'id="keep-{meal.pk}"' in page

    client.post(reverse("plan-regenerate", args=[plan.pk]))
    replaced = PlannedMeal.objects.get(pk=meal.pk)
    assert replaced.recipe_id != meal.recipe_id and not replaced.locked
    assert FLAG not in client.get(reverse("plan-detail", args=[plan.pk])).content.decode()


@pytest.mark.django_db
def test_a_meal_kept_on_purpose_survives_regenerate(client, plan):
    meal, _ = lock_a_meal_then_exclude_its_allergen(client, plan)
    client.post(reverse("meal-keep", args=[plan.pk, meal.pk]))
    client.post(reverse("plan-regenerate", args=[plan.pk]))

    kept = PlannedMeal.objects.get(pk=meal.pk)
    assert (kept.recipe_id, kept.locked, kept.kept_despite_rules) == (meal.recipe_id, True, True)
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert f"{FLAG} · kept by you" in page and f'id="keep-{meal.pk}"' not in page


@pytest.mark.django_db
def test_a_new_diet_flags_meals_that_break_it(client, plan):
    profile = plan.owner.profile
    profile.diet = Diet.objects.get(slug="vegan")
    profile.save()
    breaking = [m for m in plan.meals.select_related("recipe") if not m.recipe.diets.filter(slug="vegan").exists()]
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert breaking and page.count(FLAG) == len(breaking)


@pytest.mark.django_db
def test_keeping_someone_elses_meal_is_not_found(client, plan, django_user_model):
    meal = plan.meals.first()
    client.force_login(django_user_model.objects.create_user("mallory", "m@example.org", "pw"))
    assert client.post(reverse("meal-keep", args=[plan.pk, meal.pk])).status_code == 404
    assert not PlannedMeal.objects.get(pk=meal.pk).kept_despite_rules
