"""Food name search on PostgreSQL: pg_trgm plus trigram and full-text GIN indexes.

Every operation is a no-op on other databases (SQLite falls back to a
word-contains search in meals.nutrition.matching).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = (
    ("meals_food_name_trgm", "USING gin (name gin_trgm_ops)"),
    ("meals_food_name_fts", "USING gin ((to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || COALESCE(common_names, ''))))"),
)


class PostgresTrigramExtension(TrigramExtension):
    """pg_trgm on PostgreSQL only (Django's CreateExtension queries pg_extension when reversed)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES:
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON meals_food {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _ in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("meals", "0002_reference_data")]

    operations = [
        PostgresTrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
