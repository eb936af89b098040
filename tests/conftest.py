"""Fixtures shared across the suite."""

import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgresql://…)")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip_pg)
