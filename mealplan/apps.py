from django.apps import AppConfig


class MealplanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mealplan"
    verbose_name = "Meal plans"

    def ready(self):
        from mealplan import checks  # noqa: F401  (registers the deploy checks)
