from django.urls import path

from mealplan import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("profile/foods/", views.profile_foods, name="profile-foods"),
    path("profile/recipes/", views.profile_recipes, name="profile-recipes"),
    path("recipes/<slug:slug>/dislike/", views.recipe_dislike, name="recipe-dislike"),
    path("plans/", views.plan_list, name="plan-list"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/jobs/<int:pk>/", views.plan_job, name="plan-job"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan-delete"),
    path("plans/<int:pk>/regenerate/", views.plan_regenerate, name="plan-regenerate"),
    path("plans/<int:pk>/days/<int:day>/regenerate/", views.day_regenerate, name="day-regenerate"),
    path("plans/<int:pk>/meals/<int:meal_pk>/regenerate/", views.meal_regenerate, name="meal-regenerate"),
    path("plans/<int:pk>/meals/<int:meal_pk>/lock/", views.meal_lock, name="meal-lock"),
    path("plans/<int:pk>/meals/<int:meal_pk>/keep/", views.meal_keep, name="meal-keep"),
    path("plans/<int:pk>/meals/<int:meal_pk>/swap/", views.meal_swap, name="meal-swap"),
    path("plans/<int:pk>/meals/<int:meal_pk>/servings/", views.meal_servings, name="meal-servings"),
    path("plans/<int:pk>/meals/<int:meal_pk>/dislike/", views.meal_dislike, name="meal-dislike"),
    path("plans/<int:pk>/shopping/", views.shopping_list, name="shopping-list"),
    path("plans/<int:pk>/shopping/print/", views.shopping_print, name="shopping-print"),
    path("plans/<int:pk>/shopping/checks/", views.shopping_checks, name="shopping-checks"),
    path("plans/<int:pk>/shopping.csv", views.shopping_csv, name="shopping-csv"),
]
