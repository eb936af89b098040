from django.urls import path

from mealplan import views

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
]
