"""Plan generation and regeneration as background jobs: "planning…", polling, no-JS fallback,
one job per person, a form sent twice, lost runs, and the start-date window.

The suite runs jobs inline (django-tasks' immediate backend); tests that need a job to stay
pending use the dummy backend, which queues and never runs. tests/test_plan_concurrency.py runs
the real database queue and worker.
"""

import uuid
from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mealplan import services
from mealplan.models import MealPlan, PlanJob, PlanJobKind, PlanJobStatus, Profile
from tests.web_factories import PLAN_START, make_plan, make_user, small_catalog

HTMX = {"HX-Request": "true"}
QUEUED_ONLY = override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
DATABASE_QUEUE = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})


def plan_week(client, *, start_date=PLAN_START, days="3", submission=None):
    data = {"start_date": str(start_date), "days": days, "submission": str(submission or uuid.uuid4())}
    return client.post(reverse("plan-new"), data)


def test_plan_my_week_is_a_job_that_makes_the_plan(client, plan):
    job = PlanJob.objects.get()
    assert (job.kind, job.status, job.plan, job.attempts) == (PlanJobKind.NEW_PLAN, PlanJobStatus.DONE, plan, 1)


@QUEUED_ONLY
def test_a_queued_plan_shows_planning_then_the_plan(client, person):
    client.force_login(person)
    response = plan_week(client)
    job = PlanJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert not MealPlan.objects.exists()

    page = client.get(job.get_absolute_url()).content.decode()
    assert "Planning…" in page
    assert f'hx-get="{job.get_absolute_url()}"' in page and 'hx-trigger="every 1s"' in page
    assert f'<form method="get" action="{job.get_absolute_url()}"' in page  # no-JS: reload with a button
    assert "<script>" not in page and "style=" not in page
    assert client.get(job.get_absolute_url(), headers=HTMX).status_code == 204  # htmx keeps polling

    assert services.run_plan_job(job_id=job.pk) == PlanJobStatus.DONE
    plan = MealPlan.objects.get(owner=person)
    polled = client.get(job.get_absolute_url(), headers=HTMX)
    assert polled["HX-Redirect"] == job.get_absolute_url()
    response = client.get(job.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert "Your plan is ready." in client.get(plan.get_absolute_url()).content.decode()


@QUEUED_ONLY
def test_a_form_sent_twice_makes_one_job_and_one_plan(client, person):
    client.force_login(person)
    submission = uuid.uuid4()
    first, second = plan_week(client, submission=submission), plan_week(client, submission=submission)
    assert first["Location"] == second["Location"]
    job = PlanJob.objects.get()
    services.run_plan_job(job_id=job.pk)
    services.run_plan_job(job_id=job.pk)  # a duplicate run finds it done
    plan = MealPlan.objects.get()
    assert plan_week(client, submission=submission)["Location"] == plan.get_absolute_url()  # sent again later
    assert MealPlan.objects.count() == 1


@QUEUED_ONLY
def test_a_person_has_at_most_one_pending_job(client, person):
    client.force_login(person)
    plan_week(client)
    response = plan_week(client, start_date=PLAN_START + timedelta(days=7))
    assert response.status_code == 200
    assert services.BUSY_MESSAGE in response.content.decode()
    assert PlanJob.objects.count() == 1
    # Someone else is not held up.
    other = make_user("noor")
    client.force_login(other)
    assert plan_week(client).status_code == 302
    assert PlanJob.objects.filter(status=PlanJobStatus.PENDING).count() == 2


@QUEUED_ONLY
def test_a_failed_job_shows_the_planners_reasons_on_the_form(client, person):
    Profile.objects.filter(user=person).update(max_cook_minutes=5)
    client.force_login(person)
    job = PlanJob.objects.get(pk=int(plan_week(client, days="7")["Location"].rstrip("/").split("/")[-1]))
    assert services.run_plan_job(job_id=job.pk) == PlanJobStatus.FAILED
    page = client.get(job.get_absolute_url()).content.decode()
    assert "No plan fits your rules" in page and "minute" in page
    assert 'value="7"' in page  # the request is offered again
    assert not MealPlan.objects.exists()
    assert plan_week(client).status_code == 302  # a failed job does not block the next request
    assert PlanJob.objects.filter(status=PlanJobStatus.PENDING).count() == 1


def test_regenerating_a_day_with_htmx_polls_then_shows_the_new_day(client, plan):
    with QUEUED_ONLY:
        response = client.post(reverse("day-regenerate", args=[plan.pk, 1]), headers=HTMX)
        job = PlanJob.objects.get(kind=PlanJobKind.REGENERATE_DAY)
        day_html = response.content.decode()
        assert '<section class="day" id="day-2"' in day_html and "Planning…" in day_html
        assert f'hx-get="{job.get_absolute_url()}?day=1"' in day_html and 'hx-target="#day-2"' in day_html
        assert "Planning…" in client.get(plan.get_absolute_url()).content.decode()  # the plan page says so too
        assert client.get(job.get_absolute_url())["Location"] == plan.get_absolute_url()  # its "Check again"
        before = list(plan.meals.filter(day=1).values_list("recipe_id", flat=True))
        services.run_plan_job(job_id=job.pk)
    after = list(plan.meals.filter(day=1).values_list("recipe_id", flat=True))
    assert after != before
    polled = client.get(job.get_absolute_url() + "?day=1", headers=HTMX).content.decode()
    assert '<section class="day" id="day-2"' in polled and "Planning…" not in polled
    assert "Planning…" not in client.get(plan.get_absolute_url()).content.decode()


def test_regenerate_without_javascript_returns_to_the_plan(client, plan):
    response = client.post(reverse("plan-regenerate", args=[plan.pk]))
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert PlanJob.objects.filter(kind=PlanJobKind.REGENERATE_PLAN, status=PlanJobStatus.DONE).exists()


def test_jobs_are_only_shown_to_their_owner(client, plan):
    job = PlanJob.objects.get()
    client.force_login(make_user("intruder"))
    assert client.get(job.get_absolute_url()).status_code == 404
    assert client.get(job.get_absolute_url(), headers=HTMX).status_code == 404


@DATABASE_QUEUE
@pytest.mark.django_db
def test_a_run_lost_with_its_worker_is_queued_again_then_failed():
    user = make_user("lost")
    small_catalog()
    job = services.request_new_plan(user=user, start_date=timezone.localdate(), days=1)
    assert services.recover_plan_jobs() == 0  # still waiting for a worker: nothing lost
    DBTaskResult.objects.get(id=job.task_id).claim("killed-worker")
    assert services.recover_plan_jobs() == 1
    job.refresh_from_db()
    assert job.pending and job.attempts == 2
    assert DBTaskResult.objects.get(id=job.task_id).status == "READY"
    DBTaskResult.objects.get(id=job.task_id).claim("killed-again")
    services.recover_plan_jobs()
    job.refresh_from_db()
    assert job.status == PlanJobStatus.FAILED and job.message == services.STOPPED_MESSAGE


# Start dates: within a year of today; plans stored before that rule still render.


@pytest.mark.parametrize("start_date", ["9999-12-31", "0001-01-01", "2029-01-01"])
def test_plan_my_week_refuses_start_dates_outside_the_window(client, person, start_date):
    client.force_login(person)
    response = plan_week(client, start_date=start_date, days="14")
    assert response.status_code == 200
    assert "Choose a start date between" in response.content.decode()
    assert not MealPlan.objects.exists() and not PlanJob.objects.exists()


def test_the_window_is_a_year_each_way(person):
    today = timezone.localdate()
    for start in (today - timedelta(days=365), today + timedelta(days=365)):
        services.validate_start_date(start)
    with pytest.raises(services.ValidationError):
        services.request_new_plan(user=person, start_date=today + timedelta(days=366), days=7)
    with pytest.raises(services.ValidationError):
        services.generate_plan(user=person, start_date=date(9999, 12, 31), days=14)


@pytest.mark.django_db
def test_a_stored_plan_ending_past_the_calendar_still_renders(client):
    user = make_user("old-row")
    plan = make_plan(user, small_catalog(), days=3)
    MealPlan.objects.filter(pk=plan.pk).update(start_date=date(9999, 12, 30))
    client.force_login(user)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Day 3" in page and "Thursday 30 Dec" in page
    response = client.post(reverse("day-regenerate", args=[plan.pk, 2]), headers=HTMX)
    assert response.status_code == 200 and "Day 3" in response.content.decode()


@pytest.mark.django_db
def test_polling_and_the_planning_banner_cost_the_same_few_queries(client, django_assert_max_num_queries):
    user = make_user("poller")
    plan = make_plan(user, small_catalog(), days=14)
    client.force_login(user)
    with QUEUED_ONLY:
        job = services.request_regenerate_plan(user=plan.owner, plan=plan)
    with django_assert_max_num_queries(2):  # the session with its person, the job
        assert client.get(job.get_absolute_url(), headers=HTMX).status_code == 204
    client.get(plan.get_absolute_url())
    with django_assert_max_num_queries(3):  # the plan page's (grid cached) and the pending job
        assert "Planning…" in client.get(plan.get_absolute_url()).content.decode()


@QUEUED_ONLY
@pytest.mark.django_db
def test_a_job_is_recorded_under_the_member_who_started_it_and_a_plan_is_replanned_once_at_a_time(client):
    pat = make_user("pat")
    plan = make_plan(pat, small_catalog())
    sam = make_user("sam")
    services.join_household(user=sam, invitation=services.invite_to_household(household=pat.profile.household, user=pat))
    client.force_login(sam)
    client.post(reverse("plan-regenerate", args=[plan.pk]))
    job = PlanJob.objects.get()
    assert (job.owner, job.plan, job.status) == (sam, plan, PlanJobStatus.PENDING)

    client.force_login(pat)  # sam's job is not pat's: pat plans his own week meanwhile
    assert "Planning…" in client.get(plan.get_absolute_url()).content.decode()
    assert client.get(job.get_absolute_url())["Location"] == plan.get_absolute_url()
    page = client.post(reverse("day-regenerate", args=[plan.pk, 0]), follow=True).content.decode()
    assert services.PLAN_BUSY_MESSAGE in page  # but the plan sam is re-planning waits for his job
    assert plan_week(client).status_code == 302
    assert sorted(PlanJob.objects.values_list("owner__username", "kind")) == [
        ("pat", PlanJobKind.NEW_PLAN), ("sam", PlanJobKind.REGENERATE_PLAN)]

    services.leave_household(user=sam)  # the job stays with the plan: pat sees it, sam no more
    client.force_login(sam)
    assert client.get(job.get_absolute_url()).status_code == 404
