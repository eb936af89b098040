from django.apps import AppConfig


class MealplanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mealplan"
    verbose_name = "Meal plans"
