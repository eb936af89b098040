"""A household's plans outlive the account of the member who made them (MealPlan.owner SET_NULL, was
CASCADE: deleting that account deleted every plan the household shared), a job records who started
it, and a plan has at most one pending job (two members re-planning one plan at once).

Forwards, a plan with more than one pending job keeps its oldest pending; the others fail, saying
so. Backwards, plans whose maker's account is gone cannot be kept by a schema that needs an owner:
going back refuses while any exist rather than drop them.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

DUPLICATE_JOB_MESSAGE = "Another member was already re-planning this plan: please try again."


def fail_duplicate_pending_jobs(apps, schema_editor):
    PlanJob = apps.get_model("mealplan", "PlanJob")
    first = {}
    for pk, plan_id in PlanJob.objects.filter(status="pending", plan__isnull=False).order_by("created_at", "pk") \
            .values_list("pk", "plan_id"):
        first.setdefault(plan_id, pk)
    PlanJob.objects.filter(status="pending", plan__isnull=False).exclude(pk__in=first.values()).update(
        status="failed", message=DUPLICATE_JOB_MESSAGE, finished_at=timezone.now())


def refuse_plans_without_owner(apps, schema_editor):
    ownerless = apps.get_model("mealplan", "MealPlan").objects.filter(owner__isnull=True).count()
    if ownerless:
        raise RuntimeError(
            f"{ownerless} plan(s) outlived the account of the member who made them; before this migration a plan "
            "needs its maker's account. Delete them (admin: Meal plans) before migrating back.")


class Migration(migrations.Migration):

    dependencies = [
        ("mealplan", "0016_plan_household_required"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="mealplan",
            name="owner",
            field=models.ForeignKey(blank=True, help_text="Who made the plan; empty once their account is gone.",
                                    null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="meal_plans", to=settings.AUTH_USER_MODEL),
        ),
        # After the change it undoes, so that going back checks before the column needs an owner again.
        migrations.RunPython(migrations.RunPython.noop, refuse_plans_without_owner),
        migrations.AlterField(
            model_name="planjob",
            name="owner",
            field=models.ForeignKey(help_text="Who started the job.", on_delete=django.db.models.deletion.CASCADE,
                                    related_name="plan_jobs", to=settings.AUTH_USER_MODEL),
        ),
        migrations.RunPython(fail_duplicate_pending_jobs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="planjob",
            constraint=models.UniqueConstraint(condition=models.Q(("status", "pending")), fields=("plan",),
                                               name="plan_job_one_pending_per_plan"),
        ),
    ]
