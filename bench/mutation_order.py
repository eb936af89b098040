"""pytest plugin for bench/mutation.py: tests that use the database run after the others.

mutmut runs a mutant's tests fastest first, by their measured call time, which leaves out the
test database's creation (seconds: every migration). With `-x` a mutant a pure test kills then
stops before any database is created.
"""

import pytest


@pytest.hookimpl(trylast=True)  # after tests/conftest.py has marked the database tests
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.get_closest_marker("database") is not None)
