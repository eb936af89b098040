"""The database table that holds the throttle counters when REDIS_URL is unset (config/cache.py).

Created here rather than by a separate `createcachetable` step an operator could forget, and
whatever the cache settings are today, so unsetting REDIS_URL later finds it in place.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "mealplan_throttle_cache"


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("mealplan", "0006_plan_solver_notes")]

    operations = [migrations.RunPython(create_table, drop_table)]
