"""A skip means a component or data file the test needs is missing (Chromium, Redis, the shared
USDA data, openssl, …). Under CI (env CI=true) that is a failure, so a green CI run never hides an
untested part; locally the skipped tests are listed in a loud banner at the end of the run."""

import os

import pytest

SKIPPED = pytest.StashKey[list]()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        item.config.stash.setdefault(SKIPPED, []).append(f"{item.nodeid}: {reason}")
        if in_ci():
            report.outcome = "failed"
            report.longrepr = f"skipped under CI=true, where every component must be present: {reason}"
    return report


def pytest_terminal_summary(terminalreporter, config):
    skipped = config.stash.get(SKIPPED, [])
    if skipped and not in_ci():
        terminalreporter.section(f"{len(skipped)} TESTS DID NOT RUN: missing components (they fail under CI=true)",
                                 sep="!", red=True, bold=True)
        for line in skipped:
            terminalreporter.line(line, red=True)
