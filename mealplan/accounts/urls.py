"""Django's account URLs, with sign-in and password reset served by the throttled views."""

from django.contrib.auth import urls as auth_urls
from django.urls import path

from mealplan.accounts import views

THROTTLED = {
    "login": views.LoginView.as_view(),
    "password_reset": views.PasswordResetView.as_view(),
}

urlpatterns = [
    path(str(pattern.pattern), THROTTLED[pattern.name], name=pattern.name) if pattern.name in THROTTLED else pattern
    for pattern in auth_urls.urlpatterns
]
