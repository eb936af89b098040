"""Background tasks (django-tasks): plan generation and regeneration, run by `manage.py plan_worker`."""

from django_tasks import task

from mealplan import services


@task()
def run_plan_job(job_id: int) -> str:
    return services.run_plan_job(job_id=job_id)
