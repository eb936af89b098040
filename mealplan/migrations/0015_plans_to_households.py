"""Each plan becomes its owner's household's, made for one member (the owner, with the plan's
targets), and each meal's servings become the owner's portion of it.

Backwards the plan members and portions go away with their tables (0014); a plan for several
members, or a slot with a second dish, cannot be kept by the schema of single-person plans, so
going back refuses while any exist rather than drop what they say.
"""

from django.db import migrations

BATCH = 2000


def display_name(profile, user) -> str:
    """As mealplan.models.Profile.display_name (migrations do not import app code that may change)."""
    return (profile.name if profile else "") or user.username


def household_plans(apps, schema_editor):
    MealPlan = apps.get_model("mealplan", "MealPlan")
    Profile = apps.get_model("mealplan", "Profile")
    Household = apps.get_model("mealplan", "Household")
    PlanMember = apps.get_model("mealplan", "PlanMember")
    PlannedMeal = apps.get_model("mealplan", "PlannedMeal")
    MealPortion = apps.get_model("mealplan", "MealPortion")
    profiles = {profile.user_id: profile for profile in Profile.objects.filter(user__isnull=False)}
    eaters = {}
    for plan in MealPlan.objects.filter(household__isnull=True).select_related("owner").order_by("pk").iterator():
        profile = profiles.get(plan.owner_id)
        # An owner without a profile (none can plan, but one may have been deleted) keeps the plan in
        # a household of its own, as nobody else saw it before.
        plan.household_id = profile.household_id if profile else Household.objects.create(
            name=f"{plan.owner.username}'s household"[:80]).pk
        plan.save(update_fields=["household"])
        eaters[plan.pk] = PlanMember.objects.create(
            plan=plan, member=profile, position=0, name=display_name(profile, plan.owner)[:80],
            target_kcal=plan.target_kcal, target_protein_g=plan.target_protein_g, target_fat_g=plan.target_fat_g,
            target_carb_g=plan.target_carb_g).pk
    meals = PlannedMeal.objects.filter(plan_id__in=eaters).order_by("pk").values_list("pk", "plan_id", "servings")
    portions = [MealPortion(meal_id=pk, member_id=eaters[plan_id], servings=servings)
                for pk, plan_id, servings in meals.iterator()]
    MealPortion.objects.bulk_create(portions, batch_size=BATCH)


def refuse_household_plans(apps, schema_editor):
    PlanMember = apps.get_model("mealplan", "PlanMember")
    PlannedMeal = apps.get_model("mealplan", "PlannedMeal")
    shared = PlanMember.objects.filter(position__gt=0).values("plan_id").distinct().count()
    second_dishes = PlannedMeal.objects.filter(dish__gt=0).values("plan_id").distinct().count()
    if shared or second_dishes:
        raise RuntimeError(
            f"{max(shared, second_dishes)} plan(s) for several household members exist; plans before households "
            "are one person's. Delete them (admin: Meal plans) before migrating back.")


class Migration(migrations.Migration):

    dependencies = [
        ("mealplan", "0014_household_plans"),
    ]

    operations = [
        migrations.RunPython(household_plans, refuse_household_plans),
    ]
