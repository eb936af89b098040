"""Small catalog and plan builders for the web-page tests."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from meals.models import Food, MealType, Recipe, RecipeIngredient
from mealplan.models import MealPlan, MealPortion, PlanMember, PlannedMeal, Profile

PASSWORD = "a-long-test-passphrase-42"
# Plans made through the planner start within a year of today (services.validate_start_date), so
# tests that plan through it start next Monday rather than on a fixed date that would age out.
PLAN_START = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())


# A profile's body data has no defaults (people enter theirs); tests give this person's.
BODY_DATA = {"sex": "female", "age": 35, "height_cm": 170, "weight_kg": 70}


def make_user(username: str, *, with_profile: bool = True):
    user = get_user_model().objects.create_user(username, f"{username}@example.com", PASSWORD)
    if with_profile:
        Profile.objects.create(user=user, **BODY_DATA)
    return user


def signed_in(client) -> bool:
    """Whether the client's session signs somebody in: the plan list answers 200, not a redirect to sign-in."""
    return client.get(reverse("plan-list")).status_code == 200


def make_food(name: str, category: str, *, kcal=100.0, protein=5.0, fat=3.0, carbs=12.0, **fields) -> Food:
    return Food.objects.create(
        source_id=f"{Food.objects.count() + 90000}",
        name=name,
        category=category,
        energy_kcal=kcal,
        protein_g=protein,
        fat_g=fat,
        carbohydrate_g=carbs,
        **fields,
    )


def make_recipe(title: str, lines, *, meal_types=("dinner",), servings=2, minutes=20, kcal=500.0, **fields) -> Recipe:
    """A published recipe; `lines` are (food or None, grams or None, text)."""
    recipe = Recipe.objects.create(
        title=title,
        slug=title.lower().replace(" ", "-"),
        servings=servings,
        prep_minutes=minutes // 2,
        cook_minutes=minutes - minutes // 2,
        is_published=True,
        energy_kcal=kcal,
        protein_g=kcal / 20,
        fat_g=kcal / 30,
        carbohydrate_g=kcal / 8,
        instructions="Prepare everything.\nCook it.\nServe.",
        **{f"is_{meal_type}": True for meal_type in meal_types},
        **fields,
    )
    RecipeIngredient.objects.bulk_create(
        RecipeIngredient(recipe=recipe, food=food, grams=grams, original_text=text, order=order)
        for order, (food, grams, text) in enumerate(lines)
    )
    return recipe


def small_catalog() -> dict[str, Recipe]:
    """Four recipes sharing foods across aisles, one line left unresolved."""
    oats = make_food("Oats", "Cereal Grains and Pasta", kcal=389)
    milk = make_food("Milk, whole", "Dairy and Egg Products", kcal=61, density_g_per_ml=1.03)
    chicken = make_food("Chicken breast", "Poultry Products", kcal=120, protein=22)
    rice = make_food("Rice, white", "Cereal Grains and Pasta", kcal=130)
    onion = make_food("Onions, raw", "Vegetables and Vegetable Products", kcal=40)
    return {
        "porridge": make_recipe(
            "Porridge", [(oats, 80, "80 g oats"), (milk, 250, "1 cup milk")], meal_types=("breakfast",), servings=1, kcal=450
        ),
        "chicken-rice": make_recipe(
            "Chicken rice",
            [(chicken, 400, "400 g chicken"), (rice, 300, "300 g rice"), (onion, 150, "1 onion"),
             (None, None, "1 pinch of saffron")],
            meal_types=("lunch", "dinner"),
            kcal=650,
        ),
        "onion-soup": make_recipe(
            "Onion soup", [(onion, 600, "4 onions"), (milk, 200, "200 ml milk")], meal_types=("lunch", "dinner"), kcal=300
        ),
        "rice-pudding": make_recipe(
            "Rice pudding", [(rice, 200, "200 g rice"), (milk, 500, "2 cups milk")], meal_types=("breakfast", "snack"), kcal=400
        ),
    }


def make_plan(owner, recipes: dict[str, Recipe], *, days: int = 2, household_size: int = 1) -> MealPlan:
    """A plan with breakfast, lunch and dinner on each day (written directly, no solver)."""
    plan = MealPlan.objects.create(
        owner=owner,
        start_date=date(2026, 11, 30),
        days=days,
        target_kcal=2000,
        target_protein_g=120,
        target_fat_g=70,
        target_carb_g=220,
        household_size=household_size,
    )
    day_menu = [
        (MealType.BREAKFAST, recipes["porridge"], Decimal("1")),
        (MealType.LUNCH, recipes["onion-soup"], Decimal("1.5")),
        (MealType.DINNER, recipes["chicken-rice"], Decimal("1")),
    ]
    meals = PlannedMeal.objects.bulk_create(
        PlannedMeal(plan=plan, day=day, slot=slot, meal_type=meal_type, recipe=recipe, servings=servings)
        for day in range(days)
        for slot, (meal_type, recipe, servings) in enumerate(day_menu)
    )
    eater = add_plan_member(plan, Profile.objects.get(user=owner))
    MealPortion.objects.bulk_create(MealPortion(meal=meal, member=eater, servings=meal.servings) for meal in meals)
    return plan


def share_plan(plan: MealPlan, member: Profile, *, share: Decimal = Decimal("0.5"), kcal: int | None = None) -> PlanMember:
    """`member` eats from every meal of `plan` too: `share` of the first member's portion (half steps, at
    least ½); each meal's servings become the sum of its portions."""
    eater = add_plan_member(plan, member, kcal=kcal)
    meals = list(plan.meals.all())
    first = dict(MealPortion.objects.filter(meal__plan=plan, member__position=0).values_list("meal_id", "servings"))
    MealPortion.objects.bulk_create(
        MealPortion(meal=meal, member=eater, servings=max(Decimal("0.5"), (first[meal.pk] * share * 2).quantize(1) / 2))
        for meal in meals)
    for meal in meals:
        meal.servings = sum(portion.servings for portion in meal.portions.all())
    PlannedMeal.objects.bulk_update(meals, ["servings"])
    return eater


def add_plan_member(plan: MealPlan, member: Profile, *, kcal: int | None = None) -> PlanMember:
    """`member` as the plan's next eater, with the plan's targets (or `kcal`)."""
    return PlanMember.objects.create(
        plan=plan, member=member, position=plan.members.count(), name=member.display_name,
        target_kcal=kcal or plan.target_kcal, target_protein_g=plan.target_protein_g, target_fat_g=plan.target_fat_g,
        target_carb_g=plan.target_carb_g)
