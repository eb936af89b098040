"""Under CI a skipped test fails; locally it is listed in a banner (tests/ci_skips.py)."""

import pytest

pytest_plugins = ["pytester"]

NEEDS_SOMETHING = """
import pytest

def test_needs_a_missing_file():
    pytest.skip("data file not found at /nowhere")

@pytest.mark.skipif(True, reason="needs chromium")
def test_needs_a_browser():
    pass

@pytest.mark.xfail(reason="known bug", strict=True)
def test_known_bug():
    assert False

def test_runs():
    pass
"""


def run(pytester, monkeypatch, ci: str | None, *args: str):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makepyfile(NEEDS_SOMETHING)
    return pytester.runpytest_inprocess("-p", "no:django", "-p", "no:cacheprovider", "-p", "tests.ci_skips", *args)


def test_under_ci_a_skip_is_a_failure_naming_what_is_missing(pytester, monkeypatch):
    result = run(pytester, monkeypatch, "true")
    result.assert_outcomes(passed=1, failed=1, errors=1, xfailed=1)  # a skipif fails at setup: an error
    result.stdout.fnmatch_lines(["*skipped under CI=true*needs chromium*",
                                 "*skipped under CI=true*data file not found at /nowhere*"])


# "-n 2": CI spreads the suite over processes (pytest-xdist); reports are made in the workers, the summary
# is printed by the controller.
@pytest.mark.parametrize(("ci", "workers"), [(None, ()), ("false", ()), (None, ("-n", "2"))],
                         ids=["unset", "false", "unset-xdist"])
def test_locally_skips_stay_skips_and_are_listed_in_a_banner(pytester, monkeypatch, ci, workers):
    result = run(pytester, monkeypatch, ci, *workers)
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)
    result.stdout.fnmatch_lines(["*2 TESTS DID NOT RUN: missing components (they fail under CI=true)*",
                                 "*test_needs_a_missing_file: data file not found at /nowhere",
                                 "*test_needs_a_browser: needs chromium"])
