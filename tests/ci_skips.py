"""A skip means a component or data file the test needs is missing (Chromium, Redis, the shared
USDA data, openssl, …). Under CI (env CI=true) that is a failure, so a green CI run never hides an
untested part; locally the skipped tests are listed in a loud banner at the end of the run.

Under pytest-xdist a test's report is made in a worker and logged again in the controller, which
prints the summary: the skip turns into a failure where the report is made, the banner is filled
where reports are logged."""

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def skip_reason(report) -> str:
    # a skip's longrepr is (path, line, reason); a list once it has crossed from an xdist worker
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, (tuple, list)) else str(longrepr)
    return reason.removeprefix("Skipped: ")


def is_skip(report) -> bool:
    return report.skipped and not hasattr(report, "wasxfail")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if in_ci() and is_skip(report):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, where every component must be present: {skip_reason(report)}"
    return report


class SkipBanner:
    """The skipped tests of one run, listed at its end."""

    def __init__(self):
        self.skipped = []

    def pytest_runtest_logreport(self, report):
        if is_skip(report):
            self.skipped.append(f"{report.nodeid}: {skip_reason(report)}")

    def pytest_terminal_summary(self, terminalreporter):
        if self.skipped and not in_ci():
            terminalreporter.section(f"{len(self.skipped)} TESTS DID NOT RUN: missing components "
                                     "(they fail under CI=true)", sep="!", red=True, bold=True)
            for line in self.skipped:
                terminalreporter.line(line, red=True)


def pytest_configure(config):
    config.pluginmanager.register(SkipBanner(), "ci-skips-banner")
