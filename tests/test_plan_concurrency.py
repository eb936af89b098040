"""Plan writes racing each other over real PostgreSQL connections, and the real job queue with its
worker process (`manage.py plan_worker`), killed mid-job.

Each thread's Django client uses its own database connection; `transaction=True` commits the
data so every connection and the worker process see it.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, override_settings
from django.urls import reverse

from mealplan import selectors, services
from mealplan.models import MealPlan, PlanJob, PlanJobStatus, PlannedMeal
from tests.web_factories import make_user

# serialized_rollback restores the reference data (diets, allergens) the flush between tests removes.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HTMX = {"HX-Request": "true"}
ROOT = Path(__file__).resolve().parent.parent
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_threads(*targets):
    """Run each callable in its own thread (own connection); return their results in order."""
    results = [None] * len(targets)

    def run(index, target):
        try:
            results[index] = target()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, t), name=f"racer-{i}") for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def person():
    call_command("load_demo", verbosity=0)
    return make_user("racer")


@pytest.fixture
def plan(person):
    return services.generate_plan(user=person, start_date=services.timezone.localdate(), days=3)


def test_a_lock_during_a_day_regeneration_keeps_the_recipe_it_shows(person, plan):
    """The issue's pair: regenerate day 1, and while it solves, lock a meal of that day."""
    meal = plan.meals.get(day=0, meal_type="dinner")
    read = threading.Event()
    real_plan_meals = selectors.plan_meals

    def slow_after_reading(plan_):
        meals = real_plan_meals(plan_)
        if threading.current_thread().name == "racer-0":
            read.set()
            time.sleep(0.5)  # the re-solve is under way with the meals as they were
        return meals

    def regenerate():
        return signed_in(person).post(reverse("day-regenerate", args=[plan.pk, 0]), headers=HTMX)

    def lock():
        read.wait(30)
        return signed_in(person).post(reverse("meal-lock", args=[plan.pk, meal.pk]), {"locked": "1"}, headers=HTMX)

    with mock.patch.object(selectors, "plan_meals", slow_after_reading):
        regenerated, locked = in_threads(regenerate, lock)

    assert regenerated.status_code == 200 and locked.status_code == 200
    meal = PlannedMeal.objects.select_related("recipe").get(pk=meal.pk)
    assert meal.locked
    shown = locked.content.decode()
    card = shown[shown.index(f'id="meal-{meal.pk}"'):]
    assert meal.recipe.title in card[:card.index("</li>")]  # what the lock answered is what is stored


def test_plan_my_week_sent_twice_at_once_makes_one_plan(person):
    submission = str(uuid.uuid4())
    barrier = threading.Barrier(2)

    def submit():
        client = signed_in(person)
        barrier.wait(10)
        return client.post(reverse("plan-new"), {"start_date": str(services.timezone.localdate()), "days": "3",
                                                 "submission": submission})

    first, second = in_threads(submit, submit)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert MealPlan.objects.filter(owner=person).count() == 1
    assert PlanJob.objects.filter(owner=person).count() == 1


def test_delete_during_a_regeneration_waits_for_it(person, plan):
    """Delete and a day re-solve on the same plan: no deadlock, no error, the plan is gone."""
    started = threading.Event()
    real_plan_meals = selectors.plan_meals

    def slow_after_reading(plan_):
        meals = real_plan_meals(plan_)
        if threading.current_thread().name == "racer-0":
            started.set()
            time.sleep(0.3)
        return meals

    def regenerate():
        return signed_in(person).post(reverse("day-regenerate", args=[plan.pk, 1]))

    def delete():
        started.wait(30)
        return signed_in(person).post(reverse("plan-delete", args=[plan.pk]))

    with mock.patch.object(selectors, "plan_meals", slow_after_reading):
        regenerated, deleted = in_threads(regenerate, delete)
    assert regenerated.status_code == 302 and deleted.status_code == 302
    assert not MealPlan.objects.filter(pk=plan.pk).exists() and not PlannedMeal.objects.filter(plan_id=plan.pk).exists()


# The real queue: django-tasks-db's database backend and a worker process.


def worker_environment() -> dict:
    """The worker process's settings: the test database, the database queue."""
    url = urlsplit(os.environ["DATABASE_URL"])
    test_url = urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"]))
    return {**os.environ, "DATABASE_URL": test_url, "DJANGO_SETTINGS_MODULE": "tests.settings",
            "TASKS_BACKEND": DATABASE_QUEUE["default"]["BACKEND"]}


def start_worker(**environment: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "plan_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1"],
        cwd=ROOT, env=worker_environment() | environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


def other_sessions() -> int:
    """Sessions on the test database, other than this one, that are not idle (in or out of a transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND state <> 'idle'")
        return cursor.fetchone()[0]


def wait_for(condition, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def queries_blocked_by(pid: int) -> list[str]:
    """What the backends waiting on `pid`'s locks are running."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", [pid])
        return [query for (query,) in cursor.fetchall()]


def niceness(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


def test_the_worker_solves_at_a_lower_cpu_priority_than_the_web_server():
    started_at = niceness(os.getpid())  # what the web server would run at; CI and helpers may run nicer
    worker = start_worker(PLAN_WORKER_NICE="15")
    try:
        assert wait_for(lambda: niceness(worker.pid) == max(started_at, 15)), niceness(worker.pid)
    finally:
        worker.terminate()
        worker.wait(30)


@override_settings(TASKS=DATABASE_QUEUE)
def test_the_worker_makes_the_plan_and_a_killed_worker_leaves_nothing_half_written(person):
    client = signed_in(person)
    response = client.post(reverse("plan-new"), {"start_date": str(services.timezone.localdate()), "days": "3",
                                                 "submission": str(uuid.uuid4())})
    job = PlanJob.objects.get(owner=person)
    assert response["Location"] == job.get_absolute_url() and job.pending  # off the request path
    assert "Planning…" in client.get(job.get_absolute_url()).content.decode()

    # Hold a lock that the worker's INSERT of the meals waits on: it is then inside its transaction,
    # after the solve, with the plan's row already written, when it is killed.
    holder = connection.get_new_connection(connection.get_connection_params())
    holder.autocommit = False
    holder.execute("LOCK TABLE mealplan_plannedmeal IN SHARE MODE")
    holder_pid = holder.execute("SELECT pg_backend_pid()").fetchone()[0]  # the server's, behind a pooler too
    worker = start_worker()
    try:
        assert wait_for(lambda: any(query.startswith('INSERT INTO "mealplan_plannedmeal"')
                                    for query in queries_blocked_by(holder_pid)))
        worker.kill()
        worker.wait(10)
    finally:
        holder.rollback()
        holder.close()
    assert wait_for(lambda: not other_sessions())  # PostgreSQL rolled the dead worker's transaction back
    job.refresh_from_db()
    assert job.pending and not MealPlan.objects.exists() and not PlannedMeal.objects.exists()

    worker = start_worker()  # a restarted worker queues the lost run again and runs it
    try:
        assert wait_for(lambda: PlanJob.objects.get(pk=job.pk).status != PlanJobStatus.PENDING)
    finally:
        worker.terminate()
        worker.wait(10)
    job.refresh_from_db()
    assert job.status == PlanJobStatus.DONE and job.attempts == 2
    assert job.plan.meals.count() == 9
    polled = client.get(job.get_absolute_url(), headers=HTMX)
    assert polled["HX-Redirect"] == job.get_absolute_url()
    assert client.get(job.get_absolute_url())["Location"] == job.plan.get_absolute_url()
