"""Fixtures shared across the suite."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from meals.nutrition.matching import forget_food_index
from mealplan.models import MealPlan
from tests.web_factories import PLAN_START, make_user


pytest_plugins = ["tests.ci_skips"]


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback", "live_server"}
# Test modules whose code depends on how a connection behaves, which PgBouncer in transaction mode
# (Neon's -pooler host) changes: row locks and SKIP LOCKED (plan writes, jobs), transactions across
# requests, server-side cursors (.iterator()), sessions and the database cache, migrations.
# CI runs these (marked `pooler`) through PgBouncer; add a module here when its code starts to.
# Database test modules CI also runs on SQLite, the embedded database a newcomer starts with: its
# migrations and the pages (marked `sqlite`; CI runs the other database tests on PostgreSQL only).
SQLITE_MODULES = {"test_migrations", "test_smoke", "test_web_pages"}
POOLER_MODULES = {
    "test_catalog_import", "test_catalog_models", "test_migrations", "test_neon_connection",
    "test_nutrition_recipe_import", "test_plan_concurrency", "test_plan_jobs", "test_planner_services",
    "test_redis_down", "test_sessions", "test_smoke", "test_web_accounts", "test_web_actions", "test_web_dislikes",
    "test_web_shopping_lines", "test_web_throttle",
}


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are deselected, not skipped, on SQLite: CI runs the suite on both, so a
    skip there would be a missing component, and skips are failures under CI (tests/ci_skips.py).
    Tests that use the database are marked `database`, those of POOLER_MODULES `pooler` and those of
    SQLITE_MODULES `sqlite`."""
    items.sort(key=restores_serialized_data_last)
    for item in items:
        if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())) or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)
            module = item.module.__name__.rpartition(".")[2]
            if module in POOLER_MODULES:
                item.add_marker(pytest.mark.pooler)
            if module in SQLITE_MODULES:
                item.add_marker(pytest.mark.sqlite)
    if connection.vendor == "postgresql":
        return
    deselected = [item for item in items if "postgres" in item.keywords]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if "postgres" not in item.keywords]
        config.stash[DESELECTED_PG] = len(deselected)


def restores_serialized_data_last(item) -> bool:
    """Within pytest-django's order (its hook runs first; the sort is stable), transactional tests
    without serialized rollback go after those with it. Their flush re-creates content types under
    new ids (post_migrate), and the next serialized test's restore of the old ids then collides with
    them (IntegrityError at set-up, and every serialized test after it on that worker)."""
    marker = item.get_closest_marker("django_db")
    transactional = "transactional_db" in getattr(item, "fixturenames", ()) or (
        marker is not None and marker.kwargs.get("transaction", False))
    serialized = marker is not None and marker.kwargs.get("serialized_rollback", False)
    return transactional and not serialized


DESELECTED_PG = pytest.StashKey[int]()


def pytest_terminal_summary(terminalreporter, config):
    if config.stash.get(DESELECTED_PG, 0):
        terminalreporter.line(f"{config.stash[DESELECTED_PG]} PostgreSQL-only tests deselected on SQLite; "
                              "run with DATABASE_URL=postgresql://… to include them (CI does).", yellow=True)


@pytest.fixture(autouse=True)
def fresh_food_index():
    """Each test's foods are new rows that may reuse a rolled-back test's ids: index them afresh."""
    forget_food_index()


@pytest.fixture(autouse=True)
def fresh_throttles(request):
    """Browser tests commit to the database, whose flush leaves the throttle counters' cache table
    alone: without this, sign-ups from 127.0.0.1 would add up across them to the hourly limit."""
    if "live_server" in request.fixturenames:
        caches["throttle"].clear()


@pytest.fixture
def person(db):
    """A person with a default profile, and the demo catalog to plan from."""
    call_command("load_demo", verbosity=0)
    return make_user("fatima")


@pytest.fixture
def plan(client, person):
    """A 3-day plan made through "Plan my week" by the real planner; `client` is signed in as `person`."""
    client.force_login(person)
    response = client.post(reverse("plan-new"), {"start_date": PLAN_START.isoformat(), "days": "3"})
    assert response.status_code == 302
    return MealPlan.objects.get(owner=person)
