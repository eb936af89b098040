"""Sign-up, log in/out, password change and reset with the project's templates."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.web_factories import PASSWORD, make_user


def test_sign_up_logs_in_and_leads_to_the_profile(client, db):
    response = client.post(
        reverse("signup"),
        {"username": "uma", "email": "uma@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    page = client.get(reverse("profile")).content.decode()
    assert "signed in as uma" in page and "Tell us about yourself" in page


def test_sign_up_with_bad_input_re_renders_with_messages(client, db):
    make_user("victor")
    response = client.post(
        reverse("signup"), {"username": "victor", "email": "not-an-email", "password1": "abc", "password2": "abd"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "A user with that username already exists." in page
    assert "Enter a valid email address." in page
    assert "password fields didn’t match" in page
    assert get_user_model().objects.count() == 1


def test_log_in_and_log_out(client, db):
    make_user("wanda")
    login_page = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">' in login_page and "Forgotten your password?" in login_page
    assert client.post(reverse("login"), {"username": "wanda", "password": "wrong"}).status_code == 200
    response = client.post(reverse("login"), {"username": "wanda", "password": PASSWORD})
    assert response.status_code == 302
    assert "signed in as wanda" in client.get(reverse("home")).content.decode()
    client.post(reverse("logout"))
    assert client.get(reverse("plan-list")).status_code == 302


def test_password_change(client, db):
    user = make_user("xena")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "another-fine-passphrase-7", "new_password2": "another-fine-passphrase-7"},
    )
    assert response.status_code == 302
    assert "Password changed" in client.get(response["Location"]).content.decode()
    user.refresh_from_db()
    assert user.check_password("another-fine-passphrase-7")


@pytest.mark.django_db
def test_password_reset_by_email_link(client):
    user = make_user("yusuf")
    response = client.post(reverse("password_reset"), {"email": "yusuf@example.com"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Reset your meal-plan password"
    link = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    form_url = client.get(link)["Location"]
    assert "Choose a new password" in client.get(form_url).content.decode()
    response = client.post(form_url, {"new_password1": "brand-new-passphrase-9", "new_password2": "brand-new-passphrase-9"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("brand-new-passphrase-9")
