"""Forms of the public recipe pages and of a person's own recipes."""

from dataclasses import dataclass

from django import forms

from meals import pictures
from meals.models import Diet, MealType, Recipe

# Longer searches are refused with a message rather than silently matching everything.
MAX_SEARCH_LENGTH = 200


class SearchField(forms.CharField):
    """A free-text search box, at most MAX_SEARCH_LENGTH characters."""

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=MAX_SEARCH_LENGTH, strip=True, error_messages={
            "max_length": f"A search can be at most {MAX_SEARCH_LENGTH} characters; shorten it and try again.",
        }, **kwargs)


class RecipeFilterForm(forms.Form):
    """Search and filters of the recipe list (a GET form: every field optional)."""

    q = SearchField(label="Search")
    meal_type = forms.ChoiceField(
        label="Meal", required=False, choices=[("", "Any meal"), *MealType.choices]
    )
    diet = forms.ModelChoiceField(
        label="Diet", required=False, queryset=Diet.objects.all(), empty_label="Any diet", to_field_name="slug"
    )
    max_minutes = forms.IntegerField(label="Ready in (minutes)", required=False, min_value=1, max_value=1440)
    hide_allergens = forms.BooleanField(label="Hide recipes with my allergens", required=False)


class ServingsForm(forms.Form):
    servings = forms.DecimalField(min_value=0.5, max_value=100, decimal_places=1, required=False)


MAX_OWN_LINES = 60
MAX_OWN_LINE_LENGTH = 200
MAX_OWN_SERVINGS = 50
MAX_OWN_MINUTES = 1440


@dataclass(frozen=True)
class CurrentPicture:
    """The picture a recipe has, as the file input shows it: a link to the owner-only page that serves it."""

    url: str

    def __str__(self):
        return "your picture"


class OwnRecipeForm(forms.ModelForm):
    """A person's own recipe: the lines are parsed and weighed like a staff recipe's."""

    ingredients = forms.CharField(
        label="Ingredients", widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Write at least one ingredient."},
        help_text=f"One per line, as you would write them: “2 large eggs”, “1 cup rice”, “salt to taste” "
                  f"(at most {MAX_OWN_LINES} lines).",
    )

    picture = forms.FileField(
        label="Picture", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": pictures.ACCEPT_ATTRIBUTE}),
        help_text=f"Optional: a JPEG, PNG or WebP photo of the dish, at most "
                  f"{pictures.MAX_PICTURE_BYTES // 1024 // 1024} MB.",
    )

    class Meta:
        model = Recipe
        fields = ["title", "servings", "prep_minutes", "cook_minutes", "is_breakfast", "is_lunch", "is_dinner",
                  "is_snack", "instructions"]
        labels = {"prep_minutes": "Preparation (minutes)", "cook_minutes": "Cooking (minutes)",
                  "is_breakfast": "Breakfast", "is_lunch": "Lunch", "is_dinner": "Dinner", "is_snack": "Snack",
                  "instructions": "Steps"}
        widgets = {"instructions": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["servings"].max_value = MAX_OWN_SERVINGS
        self.fields["servings"].widget.attrs["max"] = MAX_OWN_SERVINGS
        for name in ("prep_minutes", "cook_minutes"):
            self.fields[name].max_value = MAX_OWN_MINUTES
            self.fields[name].widget.attrs["max"] = MAX_OWN_MINUTES
        self.fields["instructions"].help_text = "One step per line."
        self.fields["instructions"].max_length = 10_000
        if self.instance.picture:
            self.initial["picture"] = CurrentPicture(self.instance.picture_url)
        if self.instance.pk and not self.is_bound:
            lines = self.instance.ingredients.order_by("order", "pk")
            self.initial["ingredients"] = "\n".join(line.original_text for line in lines)

    def clean_servings(self):
        servings = self.cleaned_data["servings"]
        if servings is not None and servings > MAX_OWN_SERVINGS:
            raise forms.ValidationError(f"At most {MAX_OWN_SERVINGS} servings.")
        return servings

    def clean_prep_minutes(self):
        return self._minutes("prep_minutes")

    def clean_cook_minutes(self):
        return self._minutes("cook_minutes")

    def _minutes(self, name):
        minutes = self.cleaned_data[name]
        if minutes is not None and minutes > MAX_OWN_MINUTES:
            raise forms.ValidationError(f"At most {MAX_OWN_MINUTES} minutes (a day).")
        return minutes

    def clean_picture(self):
        """A new picture as meals.pictures stores it; False when "clear" was ticked; None to keep the one there is."""
        upload = self.cleaned_data["picture"]
        if isinstance(upload, CurrentPicture):
            return None
        if not upload:
            return upload
        try:
            return pictures.stored_picture(upload)
        except pictures.PictureError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_ingredients(self):
        lines = [line.strip() for line in self.cleaned_data["ingredients"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError("Write at least one ingredient.")
        if len(lines) > MAX_OWN_LINES:
            raise forms.ValidationError(f"At most {MAX_OWN_LINES} ingredient lines.")
        if any(len(line) > MAX_OWN_LINE_LENGTH for line in lines):
            raise forms.ValidationError(f"An ingredient line can be at most {MAX_OWN_LINE_LENGTH} characters.")
        return lines

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"is_{kind}") for kind in ("breakfast", "lunch", "dinner", "snack")):
            raise forms.ValidationError("Tick at least one meal it is good for, so the planner can use it.")
        return cleaned
