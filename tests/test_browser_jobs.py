"""The "Planning…" page in a real browser: it updates itself (htmx polling) when the worker is
done, and without JavaScript its "Check again" button gets there.

Jobs are queued with django-tasks' dummy backend (never run by itself); the test runs the job
as the worker would, while the page waits.
"""

import re

from django.test import override_settings

from mealplan import services
from mealplan.models import PlanJob
from tests.test_browser_flow import (  # noqa: F401 (fixtures)
    browser,
    demo_catalog,
    fill_body_data,
    page,
    page_without_javascript,
    pytestmark,
    shot,
    sign_up,
)

QUEUED_ONLY = override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})


def press_plan_my_week(page, days: str):
    fill_body_data(page)
    page.get_by_role("button", name="Save profile").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan my week").click()
    page.get_by_label("Days").fill(days)
    page.get_by_role("button", name="Plan my week").click()
    page.get_by_text("Planning…").wait_for()


def run_pending_job():
    services.run_plan_job(job_id=PlanJob.objects.get(status="pending").pk)


def test_the_planning_page_shows_the_plan_by_itself_when_it_is_ready(page):
    with QUEUED_ONLY:
        sign_up(page, "patient")
        press_plan_my_week(page, "2")
        shot(page, "07-planning")
        run_pending_job()
        page.get_by_role("heading", name=re.compile("Your plan from")).wait_for()  # no click: htmx polled
        page.get_by_text("Your plan is ready.").wait_for()

        day = page.locator("#day-2")
        before = day.locator(".meal-card h3").all_inner_texts()
        day.get_by_role("button", name=re.compile("^Regenerate day")).click()
        day.get_by_text("Planning…").wait_for()
        run_pending_job()
        page.locator("#day-2 .job-status").wait_for(state="detached")  # the new day replaced itself
        assert page.locator("#day-2 .meal-card h3").all_inner_texts() != before
    assert page.console_problems == []


def test_without_javascript_check_again_reaches_the_plan(page_without_javascript):
    page = page_without_javascript
    with QUEUED_ONLY:
        sign_up(page, "nojs-patient")
        press_plan_my_week(page, "2")
        page.get_by_role("button", name="Check again").click()
        page.get_by_text("Planning…").wait_for()  # still planning: the same page again
        run_pending_job()
        page.get_by_role("button", name="Check again").click()
        page.get_by_role("heading", name=re.compile("Your plan from")).wait_for()
        assert page.locator(".meal-card").count() == 6
