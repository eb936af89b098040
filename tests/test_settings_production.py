"""Production start-up rules, checked in a fresh interpreter as an operator would run them."""

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
}


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    # Only what an operator would set: no test-run leftovers such as DJANGO_ALLOW_ASYNC_UNSAFE.
    inherited = {"PATH", "HOME", "LANG", "LC_ALL", "VIRTUAL_ENV", "TMPDIR"}
    clean = {k: v for k, v in os.environ.items() if k in inherited}
    clean["DJANGO_SETTINGS_MODULE"] = "config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env={**clean, **env}, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_is_clean_with_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_stops_start_up_with_one_clear_line():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    env["SECRET_KEY"] = ""
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr.strip().splitlines()[-1]


def test_env_example_copied_to_dotenv_starts_with_defaults():
    """A newcomer's `cp .env.example .env` must not break start-up with empty values."""
    example = (settings.BASE_DIR / ".env.example").read_text()
    env = dict(line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#"))
    result = manage("check", env=env)
    assert result.returncode == 0, result.stderr
