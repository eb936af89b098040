"""Sessions in the database, read with the signed-in person's row in one query.

Every request of a signed-in person read their session (from Redis, or the database) and then their
row: two round trips to two servers, a third of the plan page's, and on a loaded machine each waits for
another process to be scheduled. The session row names its person (UserSession.user, kept from the
session's data on every save), so one statement reads both, and mealplan.auth.UserBackend takes the row
read with the session instead of asking again. The row is still read afresh on every request: a
deactivation, a password change (the session hash) or a lost staff flag applies at once, and signing out
deletes the row.
"""

from contextvars import ContextVar

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.core.exceptions import ValidationError

from mealplan import selectors
from mealplan.models import UserSession

# The session of the request whose user is being read (set by mealplan.auth.AuthenticationMiddleware).
reading = ContextVar("reading", default=None)
NOT_READ = object()


class SessionStore(DatabaseStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.user_read = None  # (user id, their row or None) read with the session

    @classmethod
    def get_model_class(cls):
        return UserSession

    def _get_session_from_db(self):
        found = selectors.session_with_user(self.session_key) if self.session_key else None
        if found is None:
            self._session_key = None
            return None
        data, user_id, user = found
        self.user_read = (user_id, user)
        return self.model(session_key=self.session_key, session_data=data)

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = user_pk(data.get(SESSION_KEY))
        return session

    def user_with_pk(self, user_id):
        """The row of user `user_id` read with this session, or NOT_READ."""
        if self.user_read is None or self.user_read[0] is None or self.user_read[0] != user_pk(user_id):
            return NOT_READ
        return self.user_read[1]


def user_pk(value):
    """A session's user id (stored as text) as the column holds it; None for none or a malformed one."""
    try:
        return None if value is None else get_user_model()._meta.pk.to_python(value)
    except ValidationError:
        return None


def user_read_with_session(user_id):
    """The row of user `user_id` read with the current request's session, or NOT_READ."""
    session = reading.get()
    return session.user_with_pk(user_id) if isinstance(session, SessionStore) else NOT_READ
