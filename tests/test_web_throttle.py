"""Throttles on signing in, signing up and password resets, without locking a real person out."""

import pytest
from django.core.cache import caches
from django.urls import reverse

from mealplan.accounts import throttle
from tests.web_factories import PASSWORD, make_user


@pytest.fixture(autouse=True)
def fresh_counters(db):
    caches["throttle"].clear()
    yield
    caches["throttle"].clear()


def log_in(client, username, password, address="198.51.100.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username, times, address="198.51.100.7"):
    for _ in range(times):
        assert log_in(client, username, "wrong-guess", address).status_code == 200


def test_guessing_one_account_is_refused_after_ten_failures_even_with_the_right_password(client):
    make_user("amira")
    fail(client, "amira", 10)
    response = log_in(client, "amira", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page and reverse("password_reset") in page
    assert "_auth_user_id" not in client.session
    # from another address too: the account's bucket counts every unknown browser
    assert log_in(client, "Amira", PASSWORD, address="203.0.113.9").status_code == 429


def test_the_owner_on_a_browser_that_signed_in_before_is_not_locked_out_by_an_attacker(client):
    make_user("bruno")
    assert log_in(client, "bruno", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    attacker = client.__class__()
    fail(attacker, "bruno", 10, address="203.0.113.66")
    assert log_in(attacker, "bruno", PASSWORD, address="203.0.113.66").status_code == 429
    # the owner's browser carries its known-device cookie and has its own count
    assert log_in(client, "bruno", PASSWORD, address="198.51.100.20").status_code == 302
    # ... which is limited too: a stolen cookie gives no unlimited guesses
    client.post(reverse("logout"))
    fail(client, "bruno", 10, address="198.51.100.21")
    assert log_in(client, "bruno", PASSWORD, address="198.51.100.22").status_code == 429


def test_a_device_cookie_only_helps_with_the_account_it_was_issued_for(client):
    make_user("carla")
    make_user("dmitri")
    assert log_in(client, "carla", PASSWORD).status_code == 302
    fail(client.__class__(), "dmitri", 10, address="203.0.113.5")
    assert log_in(client, "dmitri", PASSWORD, address="198.51.100.30").status_code == 429


def test_a_password_spray_from_one_address_is_refused_after_twenty_failures(client):
    for n in range(20):
        fail(client, f"user{n}", 1)
    assert log_in(client, "user99", "wrong-guess").status_code == 429
    make_user("elena")
    assert log_in(client, "elena", PASSWORD, address="198.51.100.99").status_code == 302


def test_sign_ups_from_one_address_are_limited(client):
    def sign_up(n):
        client.logout()
        return client.post(reverse("signup"), {"username": f"new{n}", "email": f"new{n}@example.com",
                                               "password1": PASSWORD, "password2": PASSWORD}, REMOTE_ADDR="192.0.2.4")

    assert [sign_up(n).status_code for n in range(10)] == [302] * 10
    response = sign_up(10)
    assert response.status_code == 429 and "Too many attempts" in response.content.decode()


def test_password_reset_requests_from_one_address_are_limited(client, mailoutbox):
    make_user("farid")
    statuses = [client.post(reverse("password_reset"), {"email": "farid@example.com"}, REMOTE_ADDR="192.0.2.8")
                .status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert len(mailoutbox) == 5


def test_the_429_page_has_no_inline_script_or_style(client):
    fail(client, "ghost", 10)
    response = log_in(client, "ghost", "x")
    page = response.content.decode()
    assert response.status_code == 429 and "script-src 'self'" in response["Content-Security-Policy"]
    assert "<script>" not in page and "style=" not in page


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [(0, "203.0.113.1", "10.0.0.2"), (1, "6.6.6.6, 203.0.113.1", "203.0.113.1"),
     (2, "6.6.6.6, 203.0.113.1, 10.0.0.9", "203.0.113.1"), (1, "not-an-ip", "10.0.0.2"), (3, "1.2.3.4", "10.0.0.2")],
)
def test_the_client_address_believes_only_the_trusted_proxies(rf, settings, hops, forwarded, expected):
    settings.TRUSTED_PROXY_HOPS = hops
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_address(request) == expected
