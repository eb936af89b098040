"""The background worker: django-tasks-db's `db_worker`, after re-queueing plan jobs a killed worker lost.

It runs one job at a time (HiGHS on one thread), at a lower CPU priority than the web server
(PLAN_WORKER_NICE): where both share a machine, a plan takes a little longer rather than every
page waiting behind a solve.
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
