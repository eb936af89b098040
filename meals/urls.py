from django.urls import path

from meals import views

urlpatterns = [
    path("recipes/<slug:slug>/", views.recipe_detail, name="recipe-detail"),
]
