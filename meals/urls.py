from django.urls import path

from meals import views

urlpatterns = [
    path("recipes/", views.recipe_list, name="recipe-list"),
    path("recipes/<slug:slug>/", views.recipe_detail, name="recipe-detail"),
    path("my-recipes/", views.own_recipe_list, name="own-recipe-list"),
    path("my-recipes/new/", views.own_recipe_new, name="own-recipe-new"),
    path("my-recipes/<int:pk>/", views.own_recipe_detail, name="own-recipe-detail"),
    path("my-recipes/<int:pk>/edit/", views.own_recipe_edit, name="own-recipe-edit"),
    path("my-recipes/<int:pk>/picture/", views.own_recipe_picture, name="own-recipe-picture"),
    path("my-recipes/<int:pk>/delete/", views.own_recipe_delete, name="own-recipe-delete"),
]
