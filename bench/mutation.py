"""Mutation score of the pure modules where a wrong number hurts users (not run in CI: too slow).

    nice -n 10 python bench/mutation.py [MODULE ...] [--children 1] [--timeout 5] [--keep]

For each module mutmut (pinned in requirements-dev.txt) plants one small bug at a time (a changed
constant, operator, comparison, …) and runs only that module's fast test files against it; a mutant
is "killed" when a test fails. Prints killed / survived / timeout / other per module and the score
(killed + timeout over all), and writes the row and every survivor's diff to
bench/results/mutation-<date>-<module>.txt: each survivor is either a missing test or an equivalent
mutant (a change no user could notice), to be killed by a new test or explained there.

Speed: each mutant is a fork of a process that has already imported Django and the tests, and runs
pytest on only the tests that reach the mutated function, fastest first (`-x`: the first failure
ends it). What costs seconds per mutant is the test database (created afresh by each mutant's
pytest session, with every migration), so each module is tested by pure test files that need no
database, and any database test runs last (bench/mutation_order.py), only when no pure test failed.
One mutant at a time by default: the machine is shared.

mutmut 3 reads its settings from the current folder and copies the code into mutants/, so each
module runs in a throw-away copy of the working tree (tracked and new files) with its own setup.cfg;
the repository is left untouched. `--keep` leaves the copies in the temp folder for `mutmut browse`.
"""

import argparse
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

# Module -> the fast test files that exercise it (a mutant runs only the tests that reach its function).
MODULES = {
    "mealplan/people/targets.py": ["tests/test_targets.py"],
    "meals/nutrition/arithmetic.py": ["tests/test_nutrition_pure.py", "tests/test_nutrition_services.py"],
    "meals/parsing/units.py": ["tests/test_nutrition_units.py"],
    "mealplan/shopping/lists.py": ["tests/test_shopping_words.py", "tests/test_shopping_pure.py"],
    "mealplan/pages/plan_grid.py": ["tests/test_plan_grid_pure.py"],
    "mealplan/planning/rules.py": ["tests/test_planner_rules.py", "tests/test_planner_rules_kept.py",
                                   "tests/test_planner_patterns.py"],
    "mealplan/planning/objective.py": ["tests/test_planner_objective.py", "tests/test_planner_rules.py"],
}
KILLED = {"killed", "timeout"}  # a mutant that hangs the tests is caught as surely as one that fails them
LINE = re.compile(r"^\s*(\S+__mutmut_\d+): (.+)$")


def copy_tree(target: Path) -> None:
    """Tracked and untracked (not ignored) files of the working tree, as they are now."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                            capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file() and not name.startswith(("mutants/", "bench/results/")):
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def setup_cfg(module: str, tests: list[str], timeout: float) -> str:
    package = module.split("/")[0]
    others = sorted({path.split("/")[0] + "/" for path in MODULES} - {package + "/"})
    lines = ["[mutmut]", f"source_paths={package}", f"only_mutate={module}",
             "also_copy=", *(f"    {path}" for path in [*others, "bench/", "config/", "templates/", "static/",
                                                         "manage.py", "pytest.ini"]),
             "pytest_add_cli_args_test_selection=", *(f"    {test}" for test in tests),
             "pytest_add_cli_args=", *(f"    {arg}" for arg in ["-p", "no:cacheprovider", "-p", "bench.mutation_order"]),
             f"timeout_constant={timeout}", "timeout_multiplier=10", "use_git_change_detection=false"]
    return "\n".join(lines) + "\n"


def mutmut(workdir: Path, *args: str) -> str:
    env = {**os.environ, "CI": ""}  # a skipped test must not count as a kill
    env.pop("DATABASE_URL", None)  # SQLite: the same answers, and no shared database to collide on
    done = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=workdir, env=env, capture_output=True,
                          text=True)
    if done.returncode != 0 and args[0] != "run":
        raise SystemExit(f"mutmut {' '.join(args)} failed in {workdir}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


# `mutmut show` for many mutants in one process (a process each costs a second or two).
SHOW = """import sys
from mutmut.__main__ import show
for name in sys.argv[1:]:
    print("\\0", flush=True)
    show.callback(name)
"""


def mutmut_show(workdir: Path, names: list[str]) -> list[str]:
    if not names:
        return []
    done = subprocess.run([sys.executable, "-c", SHOW, *names], cwd=workdir, capture_output=True, text=True,
                          check=True)
    return done.stdout.split("\0\n")[1:]


def run_module(module: str, tests: list[str], *, children: int, timeout: float, keep: bool):
    workdir = Path(tempfile.mkdtemp(prefix="mutation-" + Path(module).stem + "-"))
    try:
        copy_tree(workdir)
        missing = [test for test in tests if not (workdir / test).is_file()]
        tests = [test for test in tests if test not in missing]
        if not tests:  # mutmut would run the whole suite
            raise SystemExit(f"none of {module}'s test files is in this tree: {', '.join(missing)}")
        (workdir / "setup.cfg").write_text(setup_cfg(module, tests, timeout))
        started = time.perf_counter()
        mutmut(workdir, "run", "--max-children", str(children))
        seconds = time.perf_counter() - started
        statuses = dict(LINE.match(line).groups() for line in mutmut(workdir, "results", "--all", "true").splitlines()
                        if LINE.match(line))
        unkilled = [name for name, status in sorted(statuses.items()) if status not in KILLED]  # or no test
        survivors = list(zip(unkilled, mutmut_show(workdir, unkilled)))
        return statuses, survivors, seconds, missing
    finally:
        if keep:
            print(f"  kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=f"default: all of {', '.join(MODULES)}")
    parser.add_argument("--children", type=int, default=1, help="mutants tested at once (default 1)")
    parser.add_argument("--timeout", type=float, default=5,
                        help="seconds added to the tests' own time; a mutant 10x over it counts as a timeout")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away copies")
    options = parser.parse_args()
    unknown = set(options.modules) - set(MODULES)
    if unknown:
        parser.error(f"not a module this bench knows: {', '.join(sorted(unknown))}")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    header = (f"{'module':<30} {'mutants':>7} {'killed':>6} {'survived':>8} {'timeout':>7} {'other':>5} "
              f"{'score':>6} {'seconds':>7}")
    print(header)
    RESULTS.mkdir(parents=True, exist_ok=True)
    for module in options.modules or MODULES:
        statuses, survivors, seconds, missing = run_module(
            module, MODULES[module], children=options.children, timeout=options.timeout, keep=options.keep)
        counts = {status: list(statuses.values()).count(status) for status in ("killed", "survived", "timeout")}
        other = len(statuses) - sum(counts.values())
        score = sum(status in KILLED for status in statuses.values()) / max(len(statuses), 1)
        row = (f"{module:<30} {len(statuses):>7} {counts['killed']:>6} {counts['survived']:>8} {counts['timeout']:>7} "
               f"{other:>5} {score:>6.1%} {seconds:>7.0f}")
        print(row, flush=True)
        tests = [test for test in MODULES[module] if test not in missing]
        out = RESULTS / f"mutation-{datetime.date.today()}-{Path(module).stem}.txt"
        out.write_text(f"bench/mutation.py at {commit}, tests: {', '.join(tests)}\n{header}\n{row}\n\n"
                       f"{len(survivors)} surviving mutants (survived, or reached by no test):\n"
                       + "".join(f"\n-- {name}\n{diff.strip()}\n" for name, diff in survivors))
        print(f"  survivors: {out.relative_to(ROOT)}" + (f"; not in this tree: {', '.join(missing)}" if missing else ""))

if __name__ == "__main__":
    main()
