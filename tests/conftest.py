"""Fixtures shared across the suite."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from meals.matching import forget_food_index
from mealplan.models import MealPlan
from tests.web_factories import make_user


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgresql://…)")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def fresh_food_index():
    """Each test's foods are new rows that may reuse a rolled-back test's ids: index them afresh."""
    forget_food_index()


@pytest.fixture
def person(db):
    """A person with a default profile, and the demo catalog to plan from."""
    call_command("load_demo", verbosity=0)
    return make_user("fatima")


@pytest.fixture
def plan(client, person):
    """A 3-day plan made through "Plan my week" by the real planner; `client` is signed in as `person`."""
    client.force_login(person)
    response = client.post(reverse("plan-new"), {"start_date": "2026-11-30", "days": "3"})
    assert response.status_code == 302
    return MealPlan.objects.get(owner=person)
