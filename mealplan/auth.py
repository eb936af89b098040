"""Who is signed in: Django's model backend, with the per-request read of the user written out once."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from mealplan import selectors


class UserBackend(ModelBackend):
    """ModelBackend whose `get_user` (run on every request of a signed-in person) reads the user's row
    through a fixed SQL statement (selectors.user_by_pk) rather than an ORM query compiled anew.

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
        user = selectors.user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
