"""Migrations: reversible all the way down and back, and in step with the models."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection


def table_names() -> set[str]:
    return set(connection.introspection.table_names())


# serialized_rollback: its flush afterwards then leaves content types to the next serialized test's
# restore (a post-migrate re-creation would collide with it: tests/test_plan_concurrency.py on PostgreSQL).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_migration_reverses_to_zero_and_reapplies():
    before = table_names()
    assert {"meals_recipe", "mealplan_mealplan"} <= before

    call_command("migrate", "mealplan", "zero", verbosity=0)
    assert not any(name.startswith("mealplan_") for name in table_names())
    call_command("migrate", "meals", "zero", verbosity=0)
    assert not any(name.startswith(("meals_", "mealplan_")) for name in table_names())

    call_command("migrate", verbosity=0)
    assert table_names() == before


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
