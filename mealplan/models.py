"""People's nutrition profiles, their households, their plans and shopping-list state."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from meals.models import Allergen, Diet, Food, MealType, Recipe


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class ActivityLevel(models.TextChoices):
    SEDENTARY = "sedentary", "Sedentary (little or no exercise)"
    LIGHT = "light", "Light (1–3 days a week)"
    MODERATE = "moderate", "Moderate (3–5 days a week)"
    ACTIVE = "active", "Active (6–7 days a week)"
    VERY_ACTIVE = "very_active", "Very active (hard daily exercise or physical job)"


class Goal(models.TextChoices):
    LOSE = "lose", "Lose weight"
    MAINTAIN = "maintain", "Maintain weight"
    GAIN = "gain", "Gain weight"


def household_name(person: str) -> str:
    return f"{person}'s household"[:80] if person else "My household"


class Household(models.Model):
    """The people who eat together. Every profile belongs to one: a person's first profile starts
    their own (Profile.save), and others join it as members without an account (children) or
    through an invitation."""

    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class Profile(models.Model):
    """One person's body data, rules and targets: a member of a household.

    A member has an account (`user`, one profile per user) or not (a child, added by a member
    with an account). `target_*` hold the person's overrides; empty means "use the computed
    value" (see mealplan.people.targets). A member removed from the household is kept (`removed_at`)
    so past plans stay readable.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", null=True, blank=True,
        help_text="Empty for a member without an account.",
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members", blank=True,
                                  help_text="Empty starts a household of its own.")
    name = models.CharField(max_length=80, blank=True, help_text="Empty means the account's username.")
    removed_at = models.DateTimeField(null=True, blank=True, help_text="When the member left the household.")
    # Body data has no default: a new profile starts empty, so nobody is planned for as somebody else.
    # The bounds cover children from 2 (mealplan.people.targets plans nobody younger); accounts start at 14 (forms).
    sex = models.CharField(max_length=10, choices=Sex.choices)
    age = models.PositiveSmallIntegerField(validators=[MinValueValidator(2), MaxValueValidator(110)])
    height_cm = models.PositiveSmallIntegerField(validators=[MinValueValidator(60), MaxValueValidator(250)])
    weight_kg = models.DecimalField(
        max_digits=5, decimal_places=1, validators=[MinValueValidator(8), MaxValueValidator(350)]
    )
    activity_level = models.CharField(max_length=20, choices=ActivityLevel.choices, default=ActivityLevel.LIGHT)
    goal = models.CharField(max_length=10, choices=Goal.choices, default=Goal.MAINTAIN)

    target_kcal = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(800), MaxValueValidator(6000)]
    )
    target_protein_g = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(500)])
    target_fat_g = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(400)])
    target_carb_g = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(900)])

    diet = models.ForeignKey(
        Diet, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="Empty means no restriction (omnivore).",
    )
    excluded_allergens = models.ManyToManyField(Allergen, blank=True, related_name="+")
    disliked_foods = models.ManyToManyField(Food, blank=True, related_name="+")
    disliked_recipes = models.ManyToManyField(Recipe, blank=True, related_name="+")

    meals_per_day = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(2), MaxValueValidator(6)])
    # A member's own meals a day within the household's (whose day is its plan maker's meals_per_day):
    # the meal types of a day of that many meals (planning.household.slots_within); not "eaten elsewhere".
    own_meals_per_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(6)],
        help_text="Meals a day this member eats with the household; empty: every meal of the household's day.")
    max_cook_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(5)], help_text="Longest total time for one recipe."
    )
    daily_budget = models.DecimalField(
        max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    household_size = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(12)])
    max_repeats_per_week = models.PositiveSmallIntegerField(
        default=2, validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="How often one recipe may appear in a week.",
    )
    allow_leftovers = models.BooleanField(
        default=False, help_text="Allow the same recipe in the same slot on consecutive days."
    )
    leftover_lunches = models.BooleanField(
        default=False, help_text="Cook each dinner for two meals and eat the rest as the next day's lunch.")
    # Rules the person wrote, as `mealplan.people.weekly_rules.parse_rule` reads them (validated by the form).
    weekly_rules = models.JSONField(default=list, blank=True)
    # Own shares of the day's energy per meal type, {"breakfast": [20, 30]} in per cent, over the
    # planner's defaults for the meals a day (`planning.rules.DEFAULT_ENERGY_BANDS`).
    energy_bands = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(meals_per_day__gte=2, meals_per_day__lte=6), name="profile_meals_per_day_2_6"),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="profile_household_positive"),
            models.CheckConstraint(condition=Q(own_meals_per_day__isnull=True) | Q(own_meals_per_day__gte=2, own_meals_per_day__lte=6),
                                   name="profile_own_meals_per_day_2_6"),
        ]

    def __str__(self):
        return f"Profile of {self.display_name}"

    @property
    def display_name(self) -> str:
        return self.name or (self.user.get_username() if self.user_id else "")

    def is_current_member_of(self, household_id: int) -> bool:
        """In that household now: not moved to another, not removed (a removed member's row stays for past plans)."""
        return self.household_id == household_id and self.removed_at is None

    def save(self, *args, **kwargs):
        """A profile without a household starts its own (the one-person household of before households)."""
        if self.household_id is None:
            self.household = Household.objects.create(name=household_name(self.display_name))
        super().save(*args, **kwargs)


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class SkippedMeal(models.Model):
    """A meal a household member does not eat with the household, every week (lunch at school)."""

    member = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="skipped_meals")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    meal_type = models.CharField(max_length=10, choices=MealType.choices)

    class Meta:
        ordering = ["member", "weekday", "meal_type"]
        constraints = [
            models.UniqueConstraint(fields=["member", "weekday", "meal_type"], name="skipped_meal_unique"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="skipped_meal_weekday_0_6"),
        ]

    def __str__(self):
        return f"{self.member.display_name}: no {self.get_meal_type_display().lower()} on {self.get_weekday_display()}"


INVITATION_LIFETIME = timedelta(days=7)


class HouseholdInvitation(models.Model):
    """A link that lets one signed-in person join a household: signed, used once, expiring after
    INVITATION_LIFETIME (mealplan.services.invitation_link / join_household). Cancelling deletes it."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="invitations")
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation to {self.household}"

    @property
    def expires_at(self):
        return self.created_at + INVITATION_LIFETIME


MAX_PLAN_DAYS = 14
MAX_EATERS = 12  # members a plan's meal may feed (a household's size as the profile form bounds it)


class SolverStatus(models.TextChoices):
    OPTIMAL = "optimal", "Optimal"
    TIME_LIMIT = "time_limit", "Time limit reached (best found)"
    INFEASIBLE = "infeasible", "Infeasible"


class MealPlan(models.Model):
    """A household's plan: every member of `household` with an account sees and changes it (404 to
    anybody else); `owner` is the member who made it, and nothing else: the plan outlives their
    account (SET_NULL) and their leaving, and a re-plan is for the household's current members among
    its `members` (PlanMember), whoever asks. Who eats what is in those and its meals' portions (MealPortion)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="meal_plans", help_text="Who made the plan; empty once their account is gone.")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="plans", blank=True,
                                  help_text="Whose plan it is; empty means the owner's household.")
    start_date = models.DateField()
    days = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(14)])
    # Targets as they were when the plan was made, so later profile edits do not rewrite history.
    target_kcal = models.PositiveIntegerField()
    target_protein_g = models.PositiveSmallIntegerField()
    target_fat_g = models.PositiveSmallIntegerField()
    target_carb_g = models.PositiveSmallIntegerField()
    # "Cooking for N" of a plan for one member (their portion is cooked N times, as before households);
    # 1 for a plan of several members, whose own portions are what is cooked.
    household_size = models.PositiveSmallIntegerField(default=1)
    solver_status = models.CharField(max_length=20, choices=SolverStatus.choices, blank=True)
    solver_objective = models.FloatField(null=True, blank=True)
    solver_gap = models.FloatField(null=True, blank=True)
    solver_seconds = models.FloatField(null=True, blank=True)
    # Plain sentences on days far off target and why (the planner's explainer), shown on the plan.
    solver_notes = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_date", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1, days__lte=14), name="plan_days_1_14"),
        ]

    def __str__(self):
        return f"{self.owner if self.owner_id else self.household} · {self.start_date:%d %b %Y} · {self.days} days"

    def get_absolute_url(self):
        return reverse("plan-detail", kwargs={"pk": self.pk})

    def save(self, *args, **kwargs):
        """A plan without a household is its owner's household's (the owner must have a profile)."""
        if self.household_id is None:
            self.household_id = Profile.objects.values_list("household_id", flat=True).get(user_id=self.owner_id)
        super().save(*args, **kwargs)


class PlanMember(models.Model):
    """A person a plan was made for, as they were then: their name and daily targets are kept here,
    so the plan stays readable after they leave the household, are removed, or change their profile."""

    plan = models.ForeignKey(MealPlan, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(Profile, on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_places",
                               help_text="Empty once the person's profile is gone.")
    position = models.PositiveSmallIntegerField(help_text="Order on the plan page: the plan's owner first.")
    name = models.CharField(max_length=80)
    target_kcal = models.PositiveIntegerField()
    target_protein_g = models.PositiveSmallIntegerField()
    target_fat_g = models.PositiveSmallIntegerField()
    target_carb_g = models.PositiveSmallIntegerField()
    own_meals_per_day = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Their own meals a day within the plan's, as they were; empty: every one.")

    class Meta:
        ordering = ["plan", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "position"], name="plan_member_unique_position"),
            models.UniqueConstraint(fields=["plan", "member"], name="plan_member_unique_member"),
        ]

    def __str__(self):
        return f"{self.name} in {self.plan}"

    @property
    def still_member(self) -> bool:
        """Whether the person is a current member of the plan's household (not gone, left or removed):
        re-plans are for them only, while the meals kept keep everyone's portions."""
        return self.member is not None and self.member.is_current_member_of(self.plan.household_id)


class PlannedMeal(models.Model):
    """One recipe cooked once for one slot of one day of a plan; who eats how much of it is in its
    `portions`. A slot has one dish, or a second (`dish` 1) for members the first cannot fit.

    `servings` is what is eaten at the meal, the sum of its portions (services keep them in step):
    the planner of a one-member plan works on it, as it did before households.
    """

    plan = models.ForeignKey(MealPlan, on_delete=models.CASCADE, related_name="meals")
    day = models.PositiveSmallIntegerField(help_text="0-based day index from the plan's start date.")
    slot = models.PositiveSmallIntegerField(help_text="0-based position within the day.")
    meal_type = models.CharField(max_length=10, choices=MealType.choices)
    recipe = models.ForeignKey(Recipe, on_delete=models.PROTECT, related_name="planned_meals")
    dish = models.PositiveSmallIntegerField(default=0, help_text="0 the slot's shared dish, 1 a second one.")
    servings = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(3 * MAX_EATERS)]
    )
    locked = models.BooleanField(default=False)
    kept_despite_rules = models.BooleanField(
        default=False, help_text="Its owner chose to keep it although it breaks their current diet or allergen rules.")

    class Meta:
        ordering = ["plan", "day", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "day", "slot", "dish"], name="planned_meal_unique_dish"),
            models.CheckConstraint(condition=Q(servings__gt=0), name="planned_meal_servings_positive"),
        ]

    def __str__(self):
        return f"Day {self.day + 1} {self.get_meal_type_display()}: {self.recipe}"


class MealPortion(models.Model):
    """What one member eats of one planned meal, in the recipe's servings (half steps)."""

    meal = models.ForeignKey(PlannedMeal, on_delete=models.CASCADE, related_name="portions")
    member = models.ForeignKey(PlanMember, on_delete=models.CASCADE, related_name="portions")
    servings = models.DecimalField(
        max_digits=3, decimal_places=1, validators=[MinValueValidator(0.5), MaxValueValidator(3)]
    )

    class Meta:
        ordering = ["meal", "member__position"]
        constraints = [
            models.UniqueConstraint(fields=["meal", "member"], name="meal_portion_unique_member"),
            models.CheckConstraint(condition=Q(servings__gt=0), name="meal_portion_servings_positive"),
        ]

    def __str__(self):
        return f"{self.member.name}: {self.servings} of {self.meal}"


class ShoppingItemCheck(models.Model):
    """A ticked line of a plan's shopping list; the list itself is derived.

    A tick names either a food or, for ingredient lines matched to no food, the line's key
    (mealplan.shopping.lists.line_key of its text).
    """

    plan = models.ForeignKey(MealPlan, on_delete=models.CASCADE, related_name="shopping_checks")
    food = models.ForeignKey(Food, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    line_key = models.CharField(max_length=32, blank=True)
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "food"], name="shopping_check_unique_food"),
            models.UniqueConstraint(fields=["plan", "line_key"], condition=~Q(line_key=""),
                                    name="shopping_check_unique_line"),
            models.CheckConstraint(
                condition=Q(food__isnull=False, line_key="") | Q(food__isnull=True) & ~Q(line_key=""),
                name="shopping_check_food_or_line",
            ),
        ]


class PlanJobKind(models.TextChoices):
    NEW_PLAN = "new_plan", "New plan"
    REGENERATE_PLAN = "regenerate_plan", "New meals for the whole plan"
    REGENERATE_DAY = "regenerate_day", "New meals for one day"


class PlanJobStatus(models.TextChoices):
    PENDING = "pending", "Planning"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class PlanJob(models.Model):
    """A plan generation or regeneration, run off the request path by the worker (mealplan.tasks).

    The job and the plan it writes change in one transaction that holds the job's row lock, so a
    worker killed midway leaves the job pending and nothing written; services.recover_plan_jobs
    runs it again. `owner` is who started it (any member of the plan's household, not the plan's
    owner); a person has at most one pending job, and so has a plan (two members re-planning one
    plan at once would undo each other's work); `submission` is the form's one-time key, so a form
    sent twice finds the job it already made.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_jobs",
                              help_text="Who started the job.")
    kind = models.CharField(max_length=20, choices=PlanJobKind.choices)
    plan = models.ForeignKey(MealPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs")
    start_date = models.DateField(null=True, blank=True)
    days = models.PositiveSmallIntegerField(null=True, blank=True)
    day = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0-based day a day job re-plans.")
    submission = models.UUIDField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=PlanJobStatus.choices, default=PlanJobStatus.PENDING)
    message = models.TextField(blank=True, help_text="Why the job failed, in plain words.")
    task_id = models.CharField(max_length=64, blank=True, help_text="The task queue's id of the latest attempt.")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner"], condition=Q(status="pending"), name="plan_job_one_pending_per_owner"),
            models.UniqueConstraint(fields=["plan"], condition=Q(status="pending"), name="plan_job_one_pending_per_plan"),
            models.UniqueConstraint(fields=["owner", "submission"], name="plan_job_unique_submission"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.owner} ({self.get_status_display()})"

    @property
    def pending(self) -> bool:
        return self.status == PlanJobStatus.PENDING

    @property
    def reasons(self) -> list[str]:
        """Why it failed, one reason a line (empty unless failed)."""
        return self.message.splitlines() if self.status == PlanJobStatus.FAILED else []

    def get_absolute_url(self):
        return reverse("plan-job", kwargs={"pk": self.pk})


class UserSession(AbstractBaseSession):
    """A browser's session (SESSION_ENGINE mealplan.accounts.sessions), with the signed-in person in a column of its own
    so one query reads the session and their row; their sessions go with their account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")

    @classmethod
    def get_session_store_class(cls):
        from mealplan.accounts.sessions import SessionStore

        return SessionStore
