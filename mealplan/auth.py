"""Who is signed in: Django's model backend, taking the user's row read with the session (or written out once)."""

from django.contrib import auth
from django.contrib.auth import middleware
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from mealplan import selectors
from mealplan.accounts import sessions


class UserBackend(ModelBackend):
    """ModelBackend whose `get_user` (run on every request of a signed-in person) takes the user's row read
    with the session (mealplan.accounts.sessions), or else reads it through a fixed SQL statement
    (selectors.user_by_pk) rather than an ORM query compiled anew.

    The row is still read afresh every request, so a deactivation, a password change (the session hash
    Django checks next) or a lost staff flag takes effect at once, in every worker.

    Sessions signed in before this backend existed name `ModelBackend`, which therefore stays listed
    after this one in AUTHENTICATION_BACKENDS. Credentials this backend refuses must not fall through to
    it: that would hash a wrong password twice (a login attempt costing double CPU). Raising
    PermissionDenied ends Django's `authenticate()` at this backend with the same outcome, None.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            raise PermissionDenied
        return user

    def get_user(self, user_id):
        user = sessions.user_read_with_session(user_id)
        if user is sessions.NOT_READ:
            user = selectors.user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AuthenticationMiddleware(middleware.AuthenticationMiddleware):
    """Django's, with the request's session made known to UserBackend while Django reads and checks the user
    (the backend's `get_user` is given only the user's id)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: signed_in_user(request))


def signed_in_user(request):
    if not hasattr(request, "_cached_user"):
        token = sessions.reading.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            sessions.reading.reset(token)
    return request._cached_user
