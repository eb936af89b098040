"""Forms of the public recipe pages."""

from django import forms

from meals.models import Diet, MealType

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
