"""Sign-in and password-reset pages: Django's own views behind the throttles in mealplan/accounts/throttle.py."""

from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django_ratelimit.decorators import ratelimit

from mealplan.accounts import throttle


class LoginView(auth_views.LoginView):
    """Counts failed sign-ins and refuses (429) before checking the password once a limit is reached."""

    def post(self, request, *args, **kwargs):
        throttle.check_login_allowed(request, self._username())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        throttle.remember_device(self.request, response, form.get_user().get_username())
        return response

    def form_invalid(self, form):
        throttle.record_login_failure(self.request, self._username())
        return super().form_invalid(form)

    def _username(self) -> str:
        return self.request.POST.get("username", "")


@method_decorator(
    ratelimit(group=throttle.PASSWORD_RESETS_PER_ADDRESS.group, key="ip",
              rate=throttle.PASSWORD_RESETS_PER_ADDRESS.rate, method="POST"),
    name="post",
)
class PasswordResetView(auth_views.PasswordResetView):
    pass


def throttled(request, exception=None):
    """The page every throttle answers with (RATELIMIT_VIEW)."""
    return render(request, "429.html", status=429)
