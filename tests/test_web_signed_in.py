"""Who is signed in (mealplan.auth.UserBackend): read afresh on every request, sessions from before
it still valid, a wrong password hashed once."""

from unittest import mock

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import get_hasher
from django.urls import reverse

from mealplan import selectors
from tests.web_factories import PASSWORD, make_user, signed_in

User = get_user_model()


@pytest.fixture
def user(db):
    return make_user("yara")


def test_a_deactivated_person_is_signed_out_at_their_next_request(client, user):
    client.force_login(user)
    assert signed_in(client)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert not signed_in(client)


def test_a_password_changed_elsewhere_ends_every_other_session(client, user):
    client.force_login(user)
    assert signed_in(client)
    user.set_password("a-new-passphrase-for-yara-9")
    user.save()
    assert not signed_in(client)


def test_a_lost_staff_flag_applies_at_the_next_request(client, user):
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(User.objects.get(pk=user.pk))
    assert client.get(reverse("admin:index")).status_code == 200
    User.objects.filter(pk=user.pk).update(is_staff=False)
    assert client.get(reverse("admin:index")).status_code == 302


def test_sessions_signed_in_through_django_s_model_backend_still_work(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert signed_in(client)


def test_signing_in_stores_the_user_backend(client, user):
    client.post(reverse("login"), {"username": "yara", "password": PASSWORD})
    assert client.session["_auth_user_backend"] == "mealplan.auth.UserBackend"


@pytest.mark.parametrize("username", ["yara", "nobody"])
def test_a_wrong_password_is_hashed_once(user, username):
    """Not once by each listed backend: a failed sign-in would cost twice the CPU."""
    hasher = type(get_hasher())
    with mock.patch.object(hasher, "encode", autospec=True, side_effect=hasher.encode) as encode:
        assert authenticate(username=username, password="wrong") is None
    assert encode.call_count == 1


def test_the_user_is_read_with_every_field(user):
    read = selectors.user_by_pk(str(user.pk))
    fresh = User.objects.get(pk=user.pk)
    assert [getattr(read, f.attname) for f in User._meta.concrete_fields] == \
           [getattr(fresh, f.attname) for f in User._meta.concrete_fields]
    assert read.get_deferred_fields() == set()
    assert selectors.user_by_pk("not-a-number") is None
    assert selectors.user_by_pk(str(user.pk + 1000)) is None
