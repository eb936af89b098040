"""Forms of the public recipe pages."""

from django import forms

from meals.models import Diet, MealType


class RecipeFilterForm(forms.Form):
    """Search and filters of the recipe list (a GET form: every field optional)."""

    q = forms.CharField(label="Search", required=False, max_length=100)
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
