"""Admin for people's profiles and their plans."""

from django.contrib import admin

from meals.admin_bounds import BoundedInputAdmin, bound_registered_admins
from mealplan.models import MealPlan, PlannedMeal, Profile


@admin.register(Profile)
class ProfileAdmin(BoundedInputAdmin, admin.ModelAdmin):
    list_display = ["user", "sex", "age", "goal", "activity_level", "diet", "meals_per_day", "updated_at"]
    list_filter = ["goal", "activity_level", "diet", "sex"]
    list_select_related = ["user", "diet"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user", "diet", "excluded_allergens", "disliked_foods", "disliked_recipes"]


class PlannedMealInline(BoundedInputAdmin, admin.TabularInline):
    model = PlannedMeal
    fields = ["day", "slot", "meal_type", "recipe", "servings", "locked"]
    autocomplete_fields = ["recipe"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipe")


@admin.register(MealPlan)
class MealPlanAdmin(BoundedInputAdmin, admin.ModelAdmin):
    list_display = ["__str__", "owner", "start_date", "days", "target_kcal", "solver_status", "created_at"]
    list_filter = ["solver_status"]
    list_select_related = ["owner"]
    search_fields = ["owner__username", "owner__email"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["owner"]
    readonly_fields = ["solver_status", "solver_objective", "solver_gap", "solver_seconds", "created_at", "updated_at"]
    inlines = [PlannedMealInline]


# Last app: Django's and the libraries' admins registered so far (users, groups, task results) get the
# same checks on submitted ids.
bound_registered_admins(admin.site)
