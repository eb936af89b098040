"""Running manage.py in a fresh interpreter with only what an operator would set.

Shared by the tests that check production start-up, deploy and database connections,
so none of them inherits test-run leftovers such as DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "SECRET_KEY": "a-long-random-production-secret-key-9f8e7d6c5b4a3210-zyxwvutsrq",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "mealplan.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://mealplan.example.com",
    "DATABASE_URL": "postgresql://u:p@ep-cool-darkness-123456-pooler.eu-central-1.aws.neon.tech/neondb"
    "?sslmode=require&channel_binding=require",
    "EMAIL_HOST": "smtp.example.com",
}
INHERITED = {"PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV", "TMPDIR"}


def operator_env(env: dict) -> dict:
    """The machine's basics plus `env`, with the project's production settings module."""
    basics = {key: value for key, value in os.environ.items() if key in INHERITED}
    return {**basics, "DJANGO_SETTINGS_MODULE": "config.settings", **env}


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env=operator_env(env), capture_output=True, text=True, timeout=300,
    )
