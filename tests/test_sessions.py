"""Sessions in the database, read with the signed-in person's row in one query (mealplan/accounts/sessions.py):
one round trip fewer a request, and everything a session must do still done."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse

from mealplan.accounts.sessions import NOT_READ, SessionStore
from mealplan.models import UserSession
from tests.web_factories import PASSWORD, make_user, signed_in

User = get_user_model()


@pytest.fixture
def user(db):
    return make_user("yara")


def test_a_signed_in_page_reads_the_session_and_its_person_in_one_query(client, user, django_assert_num_queries):
    client.force_login(user)
    with django_assert_num_queries(1) as queries:
        assert client.get(reverse("password_change")).status_code == 200
    assert "JOIN" in queries.captured_queries[0]["sql"].upper()


def test_signing_in_replaces_the_anonymous_session_by_one_naming_its_person(client, user):
    anonymous = client.session
    anonymous["seen"] = True
    anonymous.save()
    client.cookies["sessionid"] = anonymous.session_key
    assert UserSession.objects.get(session_key=anonymous.session_key).user_id is None
    assert client.post(reverse("login"), {"username": "yara", "password": PASSWORD}).status_code == 302
    assert not UserSession.objects.filter(session_key=anonymous.session_key).exists()
    assert UserSession.objects.get(session_key=client.cookies["sessionid"].value).user_id == user.pk


def test_signing_out_deletes_the_session_and_its_cookie_then_signs_in_nobody(client, user):
    client.force_login(user)
    old_cookie = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(session_key=old_cookie).exists()
    client.cookies["sessionid"] = old_cookie  # replayed, as a stolen cookie would be
    assert not signed_in(client)


def test_a_deleted_account_s_sessions_go_with_it(client, user):
    client.force_login(user)
    user.delete()
    assert not UserSession.objects.exists()
    assert not signed_in(client)


def test_an_expired_session_signs_in_nobody(client, user):
    client.force_login(user)
    UserSession.objects.update(expire_date="2000-01-01T00:00Z")
    assert not signed_in(client)


def test_the_row_read_with_a_session_serves_only_that_session_s_person(user):
    other = make_user("zeno")
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store.save()
    loaded = SessionStore(store.session_key)
    assert loaded[SESSION_KEY] == str(user.pk)
    assert loaded.user_with_pk(str(user.pk)) == user
    assert loaded.user_with_pk(str(other.pk)) is NOT_READ
    assert loaded.user_with_pk("not-a-number") is NOT_READ
    assert SessionStore().user_with_pk(str(user.pk)) is NOT_READ  # nothing read


def test_sessions_from_django_s_table_are_kept_by_the_migration(client, user):
    """Deploying the new table signs nobody out."""
    old = DjangoSessionStore()
    old.update({SESSION_KEY: str(user.pk), "_auth_user_backend": "mealplan.auth.UserBackend",
                "_auth_user_hash": user.get_session_auth_hash()})
    old.create()
    anonymous = DjangoSessionStore()
    anonymous["seen"] = True
    anonymous.create()
    migration = importlib.import_module("mealplan.migrations.0019_user_sessions")
    migration.keep_everyone_signed_in(apps, None)
    assert dict(UserSession.objects.values_list("session_key", "user_id")) == {
        old.session_key: user.pk, anonymous.session_key: None}
    assert Session.objects.count() == 2
    client.cookies["sessionid"] = old.session_key
    assert signed_in(client)
