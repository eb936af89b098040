"""The background worker: django-tasks-db's `db_worker`, after re-queueing plan jobs a killed worker lost."""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from mealplan import services


class Command(DbWorkerCommand):
    help = "Run plan jobs (and any other queued task) from the database; re-queue jobs a killed worker lost first."

    def handle(self, *args, **options):
        recovered = services.recover_plan_jobs()
        if recovered:
            self.stdout.write(f"Re-queued or failed {recovered} plan job(s) left by a stopped worker.")
        super().handle(*args, **options)
