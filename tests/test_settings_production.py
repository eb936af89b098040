"""Production start-up rules, checked in a fresh interpreter as an operator would run them."""

import pytest
from django.conf import settings

from tests.operator import PRODUCTION_ENV, run_manage


def test_check_deploy_is_clean_with_production_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("command", [["check"], ["migrate", "--no-input"], ["makemigrations", "--check", "--dry-run"]])
def test_missing_secret_key_stops_start_up_with_one_clear_line(command):
    result = run_manage(*command, env={**PRODUCTION_ENV, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is not set: put it in the environment or .env (or set DEBUG=1 for local work)."
    ]


def test_env_example_copied_to_dotenv_starts_with_defaults():
    """A newcomer's `cp .env.example .env` must not break start-up with empty values."""
    example = (settings.BASE_DIR / ".env.example").read_text()
    env = dict(line.split("=", 1) for line in example.splitlines() if line and not line.startswith("#"))
    result = run_manage("check", env=env)
    assert result.returncode == 0, result.stderr
