"""System checks `manage.py check --deploy` runs for this project."""

from django.conf import settings
from django.core import checks

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}


@checks.register(checks.Tags.security, deploy=True)
def check_mail_is_delivered(app_configs, **kwargs):
    """Without an SMTP relay a password-reset mail is lost while the page says it is on its way."""
    if settings.EMAIL_BACKEND != SMTP_BACKEND:
        problem = f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which delivers no mail"
    elif settings.EMAIL_HOST in LOCAL_HOSTS:
        problem = f"EMAIL_HOST is {settings.EMAIL_HOST or 'empty'}: mail goes to an SMTP server on this machine"
    else:
        return []
    return [
        checks.Warning(
            f"Password-reset mail will not reach anyone: {problem}.",
            hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to your mail provider's "
            "SMTP relay; see .env.example. Silence mealplan.W001 only if this machine runs a mail server.",
            id="mealplan.W001",
        )
    ]
