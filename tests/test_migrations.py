"""Migrations: reversible all the way down and back, and in step with the models."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def table_names() -> set[str]:
    return set(connection.introspection.table_names())


# serialized_rollback: its flush afterwards then leaves content types to the next serialized test's
# restore (a post-migrate re-creation would collide with it: tests/test_plan_concurrency.py on PostgreSQL).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_migration_reverses_to_zero_and_reapplies():
    before = table_names()
    assert {"meals_recipe", "mealplan_mealplan"} <= before

    call_command("migrate", "mealplan", "zero", verbosity=0)
    assert not any(name.startswith("mealplan_") for name in table_names())
    call_command("migrate", "meals", "zero", verbosity=0)
    assert not any(name.startswith(("meals_", "mealplan_")) for name in table_names())

    call_command("migrate", verbosity=0)
    assert table_names() == before


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


BEFORE_HOUSEHOLDS = [("mealplan", "0007_throttle_cache_table")]
WITH_HOUSEHOLDS = [("mealplan", "0010_profile_household_required")]
PROFILE_FIELDS = ["user_id", "sex", "age", "height_cm", "weight_kg", "activity_level", "goal", "target_kcal",
                  "diet_id", "meals_per_day", "daily_budget", "household_size", "max_repeats_per_week"]


def migrated_to(targets):
    """Migrate to `targets` and return the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def profiles_and_plans(apps):
    Profile, MealPlan = apps.get_model("mealplan", "Profile"), apps.get_model("mealplan", "MealPlan")
    return (
        list(Profile.objects.order_by("pk").values(*PROFILE_FIELDS)),
        {profile.pk: sorted(profile.excluded_allergens.values_list("slug", flat=True))
         for profile in Profile.objects.order_by("pk")},
        list(MealPlan.objects.order_by("pk").values("owner_id", "start_date", "days", "target_kcal", "household_size")),
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_households_migration_gives_each_profile_a_household_of_its_own_and_goes_back():
    old = migrated_to(BEFORE_HOUSEHOLDS)
    User, Profile = old.get_model("auth", "User"), old.get_model("mealplan", "Profile")
    Diet, Allergen = old.get_model("meals", "Diet"), old.get_model("meals", "Allergen")
    MealPlan = old.get_model("mealplan", "MealPlan")
    people = [("amira", "female", 34, "vegan", ["peanuts"]), ("bo", "male", 61, None, []),
              ("cleo", "female", 15, "keto", ["milk", "eggs"])]
    for username, sex, age, diet, allergens in people:
        user = User.objects.create(username=username, email=f"{username}@example.com")
        profile = Profile.objects.create(
            user=user, sex=sex, age=age, height_cm=170, weight_kg="64.5", target_kcal=2100 if diet else None,
            diet=Diet.objects.filter(slug=diet).first(), daily_budget="12.50", household_size=2)
        profile.excluded_allergens.set(Allergen.objects.filter(slug__in=allergens))
        MealPlan.objects.create(owner=user, start_date="2026-11-30", days=7, target_kcal=2000, target_protein_g=100,
                                target_fat_g=70, target_carb_g=240, household_size=2)
    before = profiles_and_plans(old)

    new = migrated_to(WITH_HOUSEHOLDS)
    assert profiles_and_plans(new) == before
    members = new.get_model("mealplan", "Profile").objects.order_by("pk")
    assert [(p.household.name, p.household.members.count(), p.name) for p in members] == [
        ("amira's household", 1, ""), ("bo's household", 1, ""), ("cleo's household", 1, "")]

    household = members[0].household
    child = new.get_model("mealplan", "Profile").objects.create(
        household=household, name="Mia", sex="female", age=4, height_cm=104, weight_kg="17.0")
    with pytest.raises(RuntimeError, match="1 household member"):
        migrated_to(BEFORE_HOUSEHOLDS)
    child.delete()
    assert profiles_and_plans(migrated_to(BEFORE_HOUSEHOLDS)) == before
    assert "mealplan_household" not in table_names()

    call_command("migrate", verbosity=0)


def with_latest_recipes(targets):
    """`targets` with the recipes app at its latest, as the database keeps it (so its state has every column)."""
    return [*targets, *(node for node in MigrationExecutor(connection).loader.graph.leaf_nodes() if node[0] == "meals")]


BEFORE_HOUSEHOLD_PLANS = [("mealplan", "0013_profile_leftover_lunches")]
WITH_HOUSEHOLD_PLANS = [("mealplan", "0016_plan_household_required")]


def plans_and_meals(apps):
    MealPlan, PlannedMeal = apps.get_model("mealplan", "MealPlan"), apps.get_model("mealplan", "PlannedMeal")
    return (list(MealPlan.objects.order_by("pk").values("pk", "owner_id", "target_kcal", "household_size")),
            list(PlannedMeal.objects.order_by("pk").values("plan_id", "day", "slot", "recipe_id", "servings", "locked")))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_household_plans_migration_gives_each_meal_its_owners_portion_and_goes_back():
    old = migrated_to(with_latest_recipes(BEFORE_HOUSEHOLD_PLANS))
    User, Profile, Recipe = old.get_model("auth", "User"), old.get_model("mealplan", "Profile"), old.get_model("meals", "Recipe")
    MealPlan, PlannedMeal = old.get_model("mealplan", "MealPlan"), old.get_model("mealplan", "PlannedMeal")
    Household = old.get_model("mealplan", "Household")
    stew = Recipe.objects.create(title="Stew", slug="stew", servings=4, is_published=True)
    shared = Household.objects.create(name="The Okafors")
    for username, name, household, servings in [("amira", "Amira O.", shared, ["1.5", "2.0"]), ("bo", "", shared, ["1.0"]),
                                                ("cleo", "", None, ["0.5", "3.0", "1.0"])]:
        user = User.objects.create(username=username, email=f"{username}@example.com")
        Profile.objects.create(user=user, name=name, household=household or Household.objects.create(name=username),
                               sex="female", age=40, height_cm=170, weight_kg="64.5", household_size=2)
        plan = MealPlan.objects.create(owner=user, start_date="2026-11-30", days=7, target_kcal=1900 + len(servings),
                                       target_protein_g=100, target_fat_g=70, target_carb_g=240, household_size=2)
        for day, amount in enumerate(servings):
            PlannedMeal.objects.create(plan=plan, day=day, slot=0, meal_type="dinner", recipe=stew, servings=amount,
                                       locked=day == 0)
    before = plans_and_meals(old)

    new = migrated_to(WITH_HOUSEHOLD_PLANS)
    assert plans_and_meals(new) == before
    plans = new.get_model("mealplan", "MealPlan").objects.order_by("pk")
    assert [(plan.household.name, [(eater.name, eater.position, eater.member.user.username, eater.target_kcal)
                                   for eater in plan.members.all()]) for plan in plans] == [
        ("The Okafors", [("Amira O.", 0, "amira", 1902)]), ("The Okafors", [("bo", 0, "bo", 1901)]),
        ("cleo", [("cleo", 0, "cleo", 1903)])]
    Portion = new.get_model("mealplan", "MealPortion")
    assert sorted((p.meal.plan.owner.username, p.meal.day, p.member.name, str(p.servings))
                  for p in Portion.objects.all()) == [
        ("amira", 0, "Amira O.", "1.5"), ("amira", 1, "Amira O.", "2.0"), ("bo", 0, "bo", "1.0"),
        ("cleo", 0, "cleo", "0.5"), ("cleo", 1, "cleo", "3.0"), ("cleo", 2, "cleo", "1.0")]

    first = plans[0]
    second = new.get_model("mealplan", "PlanMember").objects.create(
        plan=first, position=1, name="Mia", target_kcal=1200, target_protein_g=40, target_fat_g=45, target_carb_g=150)
    with pytest.raises(RuntimeError, match="1 plan\\(s\\) for several household members"):
        migrated_to(BEFORE_HOUSEHOLD_PLANS)
    second.delete()
    assert plans_and_meals(migrated_to(BEFORE_HOUSEHOLD_PLANS)) == before
    assert "mealplan_mealportion" not in table_names()

    call_command("migrate", verbosity=0)


BEFORE_PLANS_OUTLIVE_ACCOUNTS = [("mealplan", "0016_plan_household_required")]
WITH_PLANS_OUTLIVING_ACCOUNTS = [("mealplan", "0017_plans_outlive_accounts")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_plans_outlive_accounts_migration_keeps_one_pending_job_a_plan_and_goes_back_unless_a_plan_lost_its_maker():
    old = migrated_to(with_latest_recipes(BEFORE_PLANS_OUTLIVE_ACCOUNTS))
    User, Profile = old.get_model("auth", "User"), old.get_model("mealplan", "Profile")
    MealPlan, PlanJob = old.get_model("mealplan", "MealPlan"), old.get_model("mealplan", "PlanJob")
    Household = old.get_model("mealplan", "Household")
    home = Household.objects.create(name="The Okafors")
    amira, bo = (User.objects.create(username=name, email=f"{name}@example.com") for name in ("amira", "bo"))
    for user in (amira, bo):
        Profile.objects.create(user=user, household=home, sex="female", age=40, height_cm=170, weight_kg="64.5")
    plan = MealPlan.objects.create(owner=amira, household=home, start_date="2026-11-30", days=7, target_kcal=1900,
                                   target_protein_g=100, target_fat_g=70, target_carb_g=240)
    first = PlanJob.objects.create(owner=amira, kind="regenerate_plan", plan=plan)
    second = PlanJob.objects.create(owner=bo, kind="regenerate_day", plan=plan, day=2)  # allowed before: another person
    new_plan = PlanJob.objects.create(owner=bo, kind="new_plan", status="done", plan=plan)

    new = migrated_to(WITH_PLANS_OUTLIVING_ACCOUNTS)
    jobs = new.get_model("mealplan", "PlanJob").objects
    assert jobs.get(pk=first.pk).status == "pending" and jobs.get(pk=new_plan.pk).status == "done"
    assert (jobs.get(pk=second.pk).status, jobs.get(pk=second.pk).message) == (
        "failed", "Another member was already re-planning this plan: please try again.")
    new.get_model("auth", "User").objects.filter(pk=amira.pk).delete()
    assert new.get_model("mealplan", "MealPlan").objects.get(pk=plan.pk).owner_id is None  # the plan stays

    with pytest.raises(RuntimeError, match="1 plan\\(s\\) outlived the account"):
        migrated_to(BEFORE_PLANS_OUTLIVE_ACCOUNTS)
    new.get_model("mealplan", "MealPlan").objects.filter(pk=plan.pk).update(owner=bo.pk)
    back = migrated_to(BEFORE_PLANS_OUTLIVE_ACCOUNTS)
    assert back.get_model("mealplan", "MealPlan").objects.get(pk=plan.pk).owner_id == bo.pk

    call_command("migrate", verbosity=0)


BEFORE_SHOP_AS = [("meals", "0012_recipe_picture")]
WITH_SHOP_AS = [("meals", "0013_recipeingredient_shop_as")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_shop_as_migration_names_what_to_buy_on_the_stand_in_lines_imported_before():
    old = migrated_to(BEFORE_SHOP_AS)
    Food, Recipe = old.get_model("meals", "Food"), old.get_model("meals", "Recipe")
    RecipeIngredient = old.get_model("meals", "RecipeIngredient")
    cottage, water = (Food.objects.create(source="sr28", source_id=ndb, name=name, category="")
                      for ndb, name in (("01012", "Cheese, cottage, creamed"), ("14411", "Beverages, water")))
    recipe = Recipe.objects.create(title="Cheesecake", slug="cheesecake", servings=8)
    lines = [("250 g quark", cottage), ("200 g cottage cheese", cottage), ("1 tsp rose-water", water),
             ("2 cups water or rose water", water), ("", water)]
    RecipeIngredient.objects.bulk_create(RecipeIngredient(recipe=recipe, food=food, original_text=text, order=order)
                                         for order, (text, food) in enumerate(lines))

    new = migrated_to(WITH_SHOP_AS)
    shop_as = new.get_model("meals", "RecipeIngredient").objects.order_by("order").values_list("shop_as", flat=True)
    assert list(shop_as) == ["Quark", "", "Rose water", "", ""]

    call_command("migrate", verbosity=0)
