"""Forms for the person-facing pages: sign-up, profile, planning, swaps, ticks."""

import uuid
from decimal import Decimal
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.forms.models import ModelChoiceIterator

from meals.forms import SearchField
from meals.groceries.shopper import shopper_food
from meals.models import Food
from meals.selectors import foods_used_in_recipes
from mealplan.models import Household, PlannedMeal, Profile, Sex
from mealplan.people import weekly_rules
from mealplan.people.households import parse_skip, skip_choices, skip_value
from mealplan.people.slots import MAX_MEALS, MIN_MEALS, bands_cover_the_day, energy_bands_for, meals_in_words
from mealplan.people.targets import NOT_PLANNED_MESSAGE, overrides_of, refusals, targets_for_profile
from mealplan.planning.types import MAX_STEPS, SERVING_STEP
from mealplan.selectors import disliked_recipes, tag_exists
from mealplan.services import MAX_PLAN_DAYS, validate_start_date

BODY_FIELDS = ("sex", "age", "height_cm", "weight_kg", "activity_level", "goal")
TARGET_FIELDS = ("target_kcal", "target_protein_g", "target_fat_g", "target_carb_g")
FOOD_RULE_FIELDS = ("diet", "excluded_allergens", "disliked_foods")
# The model's bounds cover household members from 2 years; an account is for someone of 14 or more.
ACCOUNT_MIN_AGE = 14
PLANNING_FIELDS = (
    "meals_per_day",
    "max_cook_minutes",
    "daily_budget",
    "household_size",
    "max_repeats_per_week",
    "allow_leftovers",
    "leftover_lunches",
    "weekly_rules",
    "energy_bands",
)


class EnergyBandsField(forms.CharField):
    """Own shares of the day's energy per meal type, "breakfast 20-30" a line (`weekly_rules.parse_bands`)."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):  # the model's JSONField passes these
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return weekly_rules.describe_bands(value) if isinstance(value, dict) else value

    def to_python(self, value):
        bands, errors = weekly_rules.parse_bands(super().to_python(value) or "")
        if errors:
            raise forms.ValidationError(errors)
        return bands


class WeeklyRulesField(forms.CharField):
    """The profile's weekly rules as lines of words, read by `mealplan.people.weekly_rules` (each line
    checked; a tag must be one the catalog has)."""

    widget = forms.Textarea(attrs={"rows": 4})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):  # the model's JSONField passes these
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(weekly_rules.describe(rule) for rule in value)
        return value

    def to_python(self, value):
        rules, errors = weekly_rules.parse_rules(super().to_python(value) or "")
        errors += [f"“{rule['what']}” is neither a main protein nor a recipe tag we have."
                   for rule in rules if "what" in rule and weekly_rules.proteins_named(rule["what"]) is None
                   and not tag_exists(rule["what"])]
        if errors:
            raise forms.ValidationError(errors)
        return rules


class ByLabelIterator(ModelChoiceIterator):
    def __iter__(self):
        yield from sorted((self.choice(obj) for obj in self.queryset.iterator()), key=lambda choice: choice[1].lower())


class ShopperFoodsField(forms.ModelMultipleChoiceField):
    """Foods shown by the name a shopper knows them by ("Salmon fillet"), in that name's order."""

    iterator = ByLabelIterator

    def label_from_instance(self, food):
        return shopper_food(food.source_id, food.name, food.category).name


class SignUpForm(UserCreationForm):
    email = forms.EmailField(help_text="Used only to reset your password.")

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


class DeleteAccountForm(forms.Form):
    """Deleting an account asks for its password: a session left open on a shared computer is not enough."""

    password = forms.CharField(label="Your password", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password: nothing was deleted.")
        return password


class ProfileForm(forms.ModelForm):
    """Everything the planner needs to know about one person, in one form."""

    class Meta:
        model = Profile
        fields = (*BODY_FIELDS, *TARGET_FIELDS, *FOOD_RULE_FIELDS, *PLANNING_FIELDS)
        labels = {
            "height_cm": "Height (cm)",
            "weight_kg": "Weight (kg)",
            "activity_level": "Activity",
            "target_kcal": "Energy (kcal/day)",
            "target_protein_g": "Protein (g/day)",
            "target_fat_g": "Fat (g/day)",
            "target_carb_g": "Carbohydrate (g/day)",
            "excluded_allergens": "Allergens to avoid",
            "disliked_foods": "Foods you dislike",
            "max_cook_minutes": "Longest cooking time (minutes)",
            "daily_budget": "Daily food budget per person",
            "household_size": "People you cook for",
            "max_repeats_per_week": "Most times one recipe may appear in a week",
            "allow_leftovers": "Allow leftovers",
            "leftover_lunches": "Cook dinner for two meals: the rest is the next day's lunch",
            "weekly_rules": "Weekly rules (one a line)",
            "energy_bands": "Share of the day's energy per meal (per cent)",
        }
        help_texts = {
            "diet": "Leave empty to eat everything.",
            "energy_bands": "Leave empty for the usual shares. For example: breakfast 20-30, one meal a line; a "
                            "meal outside its share is never planned.",
            "weekly_rules": "For example: at most 2 red meat dinners a week · at least 2 fish a week · on Friday "
                            "dinner is pizza · weekdays at most 30 minutes, weekends at most 90. Chicken, beef, pork, "
                            "lamb, fish, shellfish, eggs, dairy, legumes and tofu are read from the ingredients; "
                            "anything else is a recipe tag.",
        }
        widgets = {
            "excluded_allergens": forms.CheckboxSelectMultiple,
            "disliked_foods": forms.CheckboxSelectMultiple,
        }
        field_classes = {"disliked_foods": ShopperFoodsField, "weekly_rules": WeeklyRulesField,
                         "energy_bands": EnergyBandsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["disliked_foods"].queryset = dislikable_foods(self.instance)
        for name in TARGET_FIELDS:
            self.fields[name].help_text = "Leave empty to use the computed value."
        self.fields["diet"].empty_label = "No restriction"
        self.fields["sex"].choices = [("", "Choose…"), *Sex.choices]  # a first profile starts empty
        self.fields["age"].validators.append(MinValueValidator(ACCOUNT_MIN_AGE))
        self.fields["age"].widget.attrs["min"] = ACCOUNT_MIN_AGE

    def clean(self):
        """Refuse own targets no plan can meet (see `targets.refusals`) and energy shares that cannot make a day."""
        data = super().clean()
        refuse_unmeetable_targets(self, data)
        bands, meals = data.get("energy_bands"), data.get("meals_per_day")
        if bands and meals and not bands_cover_the_day(meals, energy_bands_for(meals, bands)):
            self.add_error("energy_bands", "With these shares the day's meals cannot add up to the whole day "
                                           "(the lower shares must add up to at most 100 %, the higher ones to at least 100 %).")
        return data

    def fieldsets(self):
        """(legend, bound fields) so the template can group the long form."""
        return [
            ("About you", [self[name] for name in BODY_FIELDS]),
            ("Food rules", [self[name] for name in ("diet", "excluded_allergens")]),
            ("Planning", [self[name] for name in PLANNING_FIELDS]),
            ("Your own daily targets (optional)", [self[name] for name in TARGET_FIELDS]),
        ]


def dislikable_foods(person: Profile):
    """The foods a person may tick as disliked: those our recipes use, and any they ticked before."""
    current = person.disliked_foods.all() if person.pk else Food.objects.none()
    return Food.objects.filter(
        Q(pk__in=foods_used_in_recipes().values("pk")) | Q(pk__in=current.values("pk"))
    ).order_by("name")


def refuse_unmeetable_targets(form: forms.ModelForm, data: dict):
    """Add the errors of a person's own targets no plan can meet (`targets.refusals`), once their body
    data is within the model's bounds (checked after this, as the fields' errors: a weight of 0 kg has
    no targets, and an age under 2 none planned)."""
    try:
        for name in BODY_FIELDS:
            Profile._meta.get_field(name).run_validators(data[name])
    except (KeyError, ValidationError):
        return
    person = Profile(diet=data.get("diet"), **{name: data.get(name) for name in (*BODY_FIELDS, *TARGET_FIELDS)})
    for field, message in refusals(targets_for_profile(person), overrides_of(person)).items():
        form.add_error(field and f"target_{field}", message)


class PlanRequestForm(forms.Form):
    start_date = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}), initial=date.today, validators=[validate_start_date],
        help_text="Within a year of today.",
    )
    days = forms.IntegerField(
        min_value=1, max_value=MAX_PLAN_DAYS, initial=7, help_text=f"1 to {MAX_PLAN_DAYS} days."
    )
    # A fresh key each time the form is shown: the same form sent twice asks for one plan.
    submission = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


class RecipeSearchForm(forms.Form):
    q = SearchField(label="Search recipes")


SERVING_STEP_DECIMAL = Decimal(str(SERVING_STEP))
MAX_SERVINGS = (SERVING_STEP_DECIMAL * MAX_STEPS).normalize()
OFF_STEP_SERVINGS_MESSAGE = (f"choose whole or half servings ({SERVING_STEP_DECIMAL}, 1, 1.5 … {MAX_SERVINGS}): "
                             "meals are portioned in half steps.")


class BoundedStepDecimalField(forms.DecimalField):
    """A DecimalField whose bounds are checked before its step: Django's step check turns the number
    into a float, and one beyond a float's range ("1e400") raised instead of being refused."""

    def validate(self, value):
        super().validate(value)
        for validator in self.validators:
            if isinstance(validator, (MinValueValidator, MaxValueValidator)):
                validator(value)


class MealServingsForm(forms.ModelForm):
    """Servings of one planned meal, set by hand: within a portion's bounds and in the planner's half steps
    (the plan page shows servings to the nearest half, so 1.2 would be eaten as 1.2 and shown as 1)."""

    servings = BoundedStepDecimalField(label="Servings you eat", min_value=SERVING_STEP_DECIMAL,
                                  max_value=MAX_SERVINGS, step_size=SERVING_STEP_DECIMAL,
                                  error_messages={"step_size": OFF_STEP_SERVINGS_MESSAGE},
                                  widget=forms.NumberInput(attrs={"class": "input-short"}))

    class Meta:
        model = PlannedMeal
        fields = ["servings"]


class LockForm(forms.Form):
    locked = forms.TypedChoiceField(
        choices=[("1", "Lock"), ("0", "Unlock")], coerce=lambda value: value == "1"
    )


DISLIKE_CHOICE_ERROR = "Choose whether to suggest this recipe again."


class DislikeForm(forms.Form):
    """"Don't suggest this again" (1) or "Suggest again" (0)."""

    disliked = forms.TypedChoiceField(
        choices=[("1", "Don't suggest this again"), ("0", "Suggest again")], coerce=lambda value: value == "1"
    )


WHO_CHOICE_ERROR = "Choose who doesn't like it from the list."


class MealDislikeForm(forms.Form):
    """A meal card's button: `dislike` or `suggest` names the recipe the person saw on the card,
    so a repeated click after the meal was replaced cannot turn down the replacement unseen.

    On a household's plan the card also asks who doesn't like it: `who` is a member's profile id (empty:
    the person signed in), sent as who-<meal id> since every card's choice is in the page's one form."""

    dislike = forms.IntegerField(required=False)
    suggest = forms.IntegerField(required=False)
    who = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1,
                             error_messages={"invalid": WHO_CHOICE_ERROR, "min_value": WHO_CHOICE_ERROR,
                                             "max_value": WHO_CHOICE_ERROR})

    def __init__(self, *args, meal_pk: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.meal_pk = meal_pk

    def add_prefix(self, field_name):
        return f"who-{self.meal_pk}" if field_name == "who" else super().add_prefix(field_name)

    def clean(self):
        data = super().clean()
        given = [name for name in ("dislike", "suggest") if data.get(name) is not None]
        if len(given) != 1:
            raise forms.ValidationError(DISLIKE_CHOICE_ERROR)
        return {"recipe_id": data[given[0]], "disliked": given[0] == "dislike", "who": data.get("who")}


class DislikedRecipesForm(forms.Form):
    """Recipes to suggest again, limited to the ones this person turned down."""

    recipes = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Recipes you turned down",
        error_messages={"required": "Tick the recipes you want suggested again."},
    )

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipes"].queryset = disliked_recipes(profile)
        if profile.user_id is None:  # a household member without an account, on their page
            self.fields["recipes"].label = "Recipes they turned down"


class SwapForm(forms.Form):
    """The chosen replacement, limited to the recipes the picker offered."""

    recipe = forms.ModelChoiceField(queryset=None)
    replan_day = forms.BooleanField(required=False)  # let the day's other meals change recipe too

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipe"].queryset = candidates


class ShoppingChecksForm(forms.Form):
    """The full set of ticks: only foods and unmatched lines on this plan's list are accepted."""

    food = forms.TypedMultipleChoiceField(coerce=int, required=False)
    line = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, shopping, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["food"].choices = [(str(pk), str(pk)) for pk in sorted(shopping.food_ids)]
        self.fields["line"].choices = [(key, key) for key in sorted(shopping.line_keys)]


class HouseholdForm(forms.Form):
    name = forms.CharField(label="Household name", max_length=Household._meta.get_field("name").max_length)


class SkippedMealsField(forms.MultipleChoiceField):
    """Meals a member does not eat with the household, as (weekday, meal type) pairs."""

    widget = forms.CheckboxSelectMultiple(attrs={"class": "skip-days"})

    def __init__(self, **kwargs):
        super().__init__(choices=skip_choices, required=False, **kwargs)

    def clean(self, value):
        return {parse_skip(item) for item in super().clean(value)}


SKIPPED_MEALS_LABEL = "Meals eaten elsewhere every week"
SKIPPED_MEALS_HELP = "Tick the meals this person does not eat at home, such as lunch at school or at work."


class OwnMealsField(forms.TypedChoiceField):
    """A member's own meals a day within the household's (Profile.own_meals_per_day; empty: all of them)."""

    def __init__(self, **kwargs):
        super().__init__(
            label="Meals a day with the household", coerce=int, empty_value=None, required=False,
            choices=[("", "Every meal of the household's day"),
                     *((n, f"{n}: {meals_in_words(n)}") for n in range(MIN_MEALS, MAX_MEALS + 1))],
            help_text="Fewer meals than the household's day: this person eats these of its meals, their whole "
                      "day's food in them (not a meal eaten elsewhere).", **kwargs)


class SkippedMealsForm(forms.Form):
    """A member with an account sets their meals with the household here (the rest is on their profile page)."""

    own_meals_per_day = OwnMealsField()
    skipped_meals = SkippedMealsField(label=SKIPPED_MEALS_LABEL, help_text=SKIPPED_MEALS_HELP)

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, initial={"skipped_meals": skip_values(member),
                                         "own_meals_per_day": member.own_meals_per_day}, **kwargs)


def skip_values(member) -> list[str]:
    return [skip_value(skip.weekday, skip.meal_type) for skip in member.skipped_meals.all()] if member.pk else []


class MemberForm(forms.ModelForm):
    """A household member without an account (a child, or anybody who eats with the household)."""

    skipped_meals = SkippedMealsField(label=SKIPPED_MEALS_LABEL, help_text=SKIPPED_MEALS_HELP)
    own_meals_per_day = OwnMealsField()

    class Meta:
        model = Profile
        fields = ("name", *BODY_FIELDS, *TARGET_FIELDS, *FOOD_RULE_FIELDS, "own_meals_per_day")
        labels = {**ProfileForm.Meta.labels, "excluded_allergens": "Allergens to avoid",
                  "disliked_foods": "Foods they dislike"}
        help_texts = {"diet": "Leave empty to eat everything.", "age": "In years, from 2."}
        widgets = {"excluded_allergens": forms.CheckboxSelectMultiple, "disliked_foods": forms.CheckboxSelectMultiple}
        field_classes = {"disliked_foods": ShopperFoodsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["name"].help_text = ""
        self.fields["diet"].empty_label = "No restriction"
        self.fields["sex"].choices = [("", "Choose…"), *Sex.choices]
        self.fields["age"].error_messages["min_value"] = NOT_PLANNED_MESSAGE
        self.fields["disliked_foods"].queryset = dislikable_foods(self.instance)
        for name in TARGET_FIELDS:
            self.fields[name].help_text = "Leave empty to use the computed value."
        self.initial.setdefault("skipped_meals", skip_values(self.instance))

    def clean(self):
        data = super().clean()
        refuse_unmeetable_targets(self, data)
        return data

    def fieldsets(self):
        return [
            ("About them", [self[name] for name in ("name", *BODY_FIELDS)]),
            ("Food rules", [self["diet"], self["excluded_allergens"]]),
            ("Meals", [self["own_meals_per_day"]]),
            ("Their own daily targets (optional)", [self[name] for name in TARGET_FIELDS]),
        ]
