"""Rebuild the full-text index on Food with the exact expression Django's SearchVector emits.

The index of 0003 spelled the expression differently (no casts), so PostgreSQL
could not use it for meals.nutrition.matching's search. No-op on other databases.
"""

from django.db import migrations

OLD = "USING gin ((to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || COALESCE(common_names, ''))))"
NEW = (
    "USING gin ((to_tsvector('english'::regconfig, ((COALESCE(name, ''::character varying))::text || ' '::text) "
    "|| (COALESCE(common_names, ''::character varying))::text)))"
)


def rebuild(definition):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("DROP INDEX IF EXISTS meals_food_name_fts")
            schema_editor.execute(f"CREATE INDEX meals_food_name_fts ON meals_food {definition}")

    return operation


class Migration(migrations.Migration):
    dependencies = [("meals", "0003_food_name_search")]

    operations = [migrations.RunPython(rebuild(NEW), rebuild(OLD))]
