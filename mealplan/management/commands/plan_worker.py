"""The background worker: django-tasks-db's `db_worker`, after re-queueing plan jobs a killed worker lost.

It runs one job at a time (HiGHS on one thread), at the CPU priority PLAN_WORKER_NICE sets (default 0,
the web server's: a job costs ~0.1 s of CPU, and a niceness of 10 beside a saturated web server starved it
to 2.4 s a job and ~26 s from "Plan my week" to the plan).
"""

import os

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from mealplan import services


class Command(DbWorkerCommand):
    help = "Run plan jobs (and any other queued task) from the database; re-queue jobs a killed worker lost first."

    def handle(self, *args, **options):
        lower_priority(settings.PLAN_WORKER_NICE)
        recovered = services.recover_plan_jobs()
        if recovered:
            self.stdout.write(f"Re-queued or failed {recovered} plan job(s) left by a stopped worker.")
        super().handle(*args, **options)


def lower_priority(niceness: int):
    """Run at `niceness` at least (a process started nicer stays so; lowering needs no privilege)."""
    current = os.getpriority(os.PRIO_PROCESS, 0)
    if niceness > current:
        os.setpriority(os.PRIO_PROCESS, 0, niceness)
