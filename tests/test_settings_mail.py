"""Password-reset mail: SMTP settings from the environment, a deploy warning without them, mail really sent."""

import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.operator import PRODUCTION_ENV, run_manage
from tests.web_factories import make_user

SHOW_MAIL_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, "
    "s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT, s.DEFAULT_FROM_EMAIL, sep='|')"
)


def test_smtp_settings_come_from_the_environment():
    env = {**PRODUCTION_ENV, "EMAIL_HOST": "smtp.mailer.example", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "1",
           "EMAIL_HOST_USER": "apikey", "EMAIL_HOST_PASSWORD": "s3cret", "DEFAULT_FROM_EMAIL": "Meals <m@example.com>"}
    result = run_manage("shell", "-c", SHOW_MAIL_SETTINGS, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split("|") == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.mailer.example", "465", "apikey", "s3cret",
        "False", "True", "10", "Meals <m@example.com>",
    ]


@pytest.mark.parametrize(
    ("env", "problem"),
    [({"EMAIL_HOST": ""}, "EMAIL_HOST is localhost"),
     ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "which delivers no mail")],
)
def test_check_deploy_warns_when_production_mail_would_be_lost(env, problem):
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env={**PRODUCTION_ENV, **env})
    assert result.returncode != 0
    assert "(mealplan.W001) Password-reset mail will not reach anyone" in result.stderr
    assert problem in result.stderr


@pytest.mark.django_db
@override_settings(DEFAULT_FROM_EMAIL="meal-plan <noreply@mealplan.example.com>")
def test_password_reset_mail_is_sent_from_the_configured_address_with_a_working_link(client):
    make_user("zara")
    client.post(reverse("password_reset"), {"email": "zara@example.com"})
    (message,) = mail.outbox
    assert message.from_email == "meal-plan <noreply@mealplan.example.com>"
    assert message.to == ["zara@example.com"]
    link = re.search(r"https?://[^/]+(/\S+)", message.body).group(1)
    assert client.get(link).status_code == 302  # to the set-password form
