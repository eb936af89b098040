"""Load test of the plan page: gunicorn on 127.0.0.1, a logged-in user, N concurrent clients.

    python bench/load.py [--seconds 15] [--concurrency 32] [--rate 300] [--days 7]
                         [--workers N] [--worker-class sync|gthread] [--threads N] [--driver auto|wrk|python]
                         [--generators 8] [--plan-workers 1] [--worker-nice 0]
                         [--baseline DIR --rounds 3]

Uses DATABASE_URL when set (the operator's database, left in place apart from
one bench user and its plan), otherwise creates a throw-away PostgreSQL
database on BENCH_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres)
and drops it afterwards. Seeds the demo catalog, generates a plan with the
real planner, logs in through the login form, then sends GET /plans/<id>/
from `--concurrency` connections (kept alive where the worker class allows) for `--seconds` and prints
requests/s, p50/p95/p99 latency and errors (any answer but a 200 plan page), and the CPU
each request cost: gunicorn's processes and the database's backends (Linux /proc, a local
PostgreSQL). On a machine shared with other work the CPU per request is the figure to compare,
since requests/s and latency then depend on the neighbours.

`--baseline DIR` compares two versions of the code in one run: DIR is another checkout (e.g.
`git archive OLD | tar -x -C DIR`) with the same database schema; each of `--rounds` rounds
serves the same page from DIR's code, then from this one's, and the summary gives the medians.

The load comes from wrk (`apt-get install wrk`) when it is installed, else
from a thread pool of http.client connections, which costs the 2-core machine
far more CPU and so understates the server. `--rate 0` (default) is a closed
loop, each connection sends its next request as soon as the last one
answered: the most the server can serve, with latency = concurrency / rate by
Little's law. `--rate R` paces the same connections to R requests/s in
total on a fixed schedule, as 32 people clicking around would: the latency a
person sees at that load. Targets: ≥ 300 req/s, p95 ≤ 50 ms, 0 errors at 32 concurrent on a
2-core machine.

`--generators N` runs N more people at the same time who each press "Plan my week" (7 days)
again as soon as their last plan is shown, through the pages as a browser does: the form,
then the "Planning…" page polled once a second as its htmx does, then the plan. The plans are
made by `--plan-workers` `manage.py plan_worker` processes (started with `nice -n
--worker-nice`, relative to gunicorn's; then at PLAN_WORKER_NICE at least). Prints the time from
the press to the plan shown (median, p95) and the job's own time in the queue and worker.
"""

import argparse
import http.client
import itertools
import os
import re
import runpy
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
BENCH_USER = "bench-load"
BENCH_PASSWORD = "bench-load-passphrase-2026"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--rate", type=float, default=0.0, help="offered requests/s in total; 0 = closed loop")
    parser.add_argument("--days", type=int, default=7, help="plan length, 1–14")
    parser.add_argument("--workers", type=int, help="gunicorn worker processes (default: config/gunicorn.py's)")
    parser.add_argument("--worker-class", help="gunicorn worker class (default: config/gunicorn.py's)")
    parser.add_argument("--threads", type=int, help="threads per worker, for --worker-class gthread")
    parser.add_argument("--driver", choices=("auto", "wrk", "python"), default="auto",
                        help="load generator; auto = wrk when installed")
    parser.add_argument("--generators", type=int, default=0, help="people pressing \"Plan my week\" meanwhile")
    parser.add_argument("--plan-workers", type=int, default=1, help="plan_worker processes (with --generators)")
    parser.add_argument("--worker-nice", type=int, default=0,
                        help="niceness of the plan_worker processes, added to gunicorn's")
    parser.add_argument("--baseline", type=Path, help="another checkout to serve in turn with this one")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of baseline, then this code (with --baseline)")
    return parser.parse_args()


@contextmanager
def database_url():
    """The operator's DATABASE_URL, or a temporary PostgreSQL database dropped on exit."""
    if os.environ.get("DATABASE_URL"):
        yield os.environ["DATABASE_URL"]
        return
    import psycopg

    admin_url = os.environ.get("BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"mp_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_environment(db_url: str) -> dict[str, str]:
    """Production settings (DEBUG off) served over plain HTTP on the loopback."""
    return os.environ | {
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args, repo: Path = REPO):
    subprocess.run([sys.executable, "manage.py", *args], cwd=repo, env=env, check=True, stdout=subprocess.DEVNULL)


def seed_plan(env, days: int, generators: int) -> int:
    """Demo catalog, a bench user with a default profile and a plan made by the planner, and
    `generators` more users with profiles (bench-gen-0 …)."""
    manage(env, "migrate", "--no-input")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--no-input")
    script = f"""
from datetime import date
from django.contrib.auth import get_user_model
from mealplan.models import Profile
from mealplan.services import generate_plan
for name in [{BENCH_USER!r}] + [f"bench-gen-{{i}}" for i in range({generators})]:
    user, _ = get_user_model().objects.get_or_create(username=name)
    user.set_password({BENCH_PASSWORD!r})
    user.save()
    Profile.objects.get_or_create(user=user, defaults={{"sex": "female", "age": 35, "height_cm": 170, "weight_kg": 70}})
user = get_user_model().objects.get(username={BENCH_USER!r})
print(generate_plan(user=user, start_date=date.fromisoformat({date.today().isoformat()!r}), days={days}).pk)
"""
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script], cwd=REPO, env=env, check=True,
        capture_output=True, text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_settings(env, args) -> dict:
    """config/gunicorn.py as the operator gets it, with this run's overrides."""
    settings = runpy.run_path(str(REPO / "config" / "gunicorn.py"))
    overrides = {"workers": args.workers, "worker_class": args.worker_class, "threads": args.threads}
    return settings | {name: value for name, value in overrides.items() if value is not None}


@contextmanager
def gunicorn(env, port: int, server: dict, repo: Path = REPO):
    """Serve `repo`'s code; yields the master process (its workers are its children)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py", "--bind", f"{HOST}:{port}",
         "--workers", str(server["workers"]), "--worker-class", server["worker_class"],
         "--threads", str(server.get("threads", 1)), "--log-level", "warning"],
        cwd=repo, env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def cpu_seconds(pids) -> dict[int, float]:
    """Each live process's user + system CPU so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return seconds


def process_tree(root: int) -> list[int]:
    """`root` and its children (gunicorn's master and workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == root:
                children.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return [root, *children]


def database_backends(db_url: str) -> list[int]:
    """The server processes of every other client connected to the bench database (a local PostgreSQL)."""
    import psycopg

    with psycopg.connect(db_url, autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()").fetchall()
    return [pid for (pid,) in rows]


@contextmanager
def cpu_meter(db_url: str, server: subprocess.Popen):
    """CPU seconds spent by gunicorn and by the database's backends while the block runs.

    Backends that connect during the block count whole; one that ends in it is lost (connections
    live CONN_MAX_AGE, 60 s, longer than a run)."""
    spent = {}
    web_before, db_before = cpu_seconds(process_tree(server.pid)), cpu_seconds(database_backends(db_url))
    yield spent
    web_after, db_after = cpu_seconds(process_tree(server.pid)), cpu_seconds(database_backends(db_url))
    spent["web"] = sum(value - web_before.get(pid, 0.0) for pid, value in web_after.items())
    spent["database"] = sum(value - db_before.get(pid, 0.0) for pid, value in db_after.items())


def cookies_from(response) -> dict[str, str]:
    jar = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def log_in(port: int, username: str = BENCH_USER) -> str:
    """Log in through the real login form; returns the Cookie header for later requests: the session
    and the CSRF cookie, as a browser sends them (without it every page would mint a new token)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    jar = cookies_from(response)
    token = csrf_token(page)
    body = urlencode({"username": username, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": token})
    conn.request("POST", "/accounts/login/", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={jar['csrftoken']}",
        "Referer": f"http://{HOST}:{port}/accounts/login/",
    })
    response = conn.getresponse()
    response.read()
    jar |= cookies_from(response)
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login failed with HTTP {response.status}")
    conn.close()
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def csrf_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


class Schedule:
    """When each request is due: now for a closed loop, every 1/rate s for an open one."""

    def __init__(self, rate: float, deadline: float):
        self.rate, self.deadline = rate, deadline
        self.started = time.monotonic()
        self.tickets = itertools.count()
        self.lock = threading.Lock()

    def next_due(self) -> float | None:
        if not self.rate:
            now = time.monotonic()
            return now if now < self.deadline else None
        with self.lock:
            due = self.started + next(self.tickets) / self.rate
        return due if due < self.deadline else None


def client_loop(port: int, path: str, cookie: str, schedule: Schedule):
    """One keep-alive client: (latencies in seconds from when each request was due, errors)."""
    latencies, errors = [], []
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    while (due := schedule.next_due()) is not None:
        time.sleep(max(0.0, due - time.monotonic()))
        try:
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            body = response.read()
            if response.status != 200 or b"Regenerate day" not in body:
                errors.append(f"HTTP {response.status}")
        except (OSError, http.client.HTTPException) as error:
            errors.append(type(error).__name__)
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            continue
        latencies.append(time.monotonic() - due)
    conn.close()
    return latencies, errors


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: list[str]
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    web_cpu_s: float = 0.0
    database_cpu_s: float = 0.0

    def cpu_ms(self, part: float) -> float:
        """CPU milliseconds a request of `part` (web or database CPU seconds)."""
        return 1000 * part / max(self.requests, 1)


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def run_threads(port: int, path: str, cookie: str, seconds: float, concurrency: int, rate: float) -> LoadResult:
    """Python driver: one thread per connection; true open loop when `rate` is set."""
    schedule = Schedule(rate, time.monotonic() + seconds)
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(lambda _: client_loop(port, path, cookie, schedule), range(concurrency)))
    elapsed = time.monotonic() - schedule.started
    ms = [value * 1000 for lat, _ in results for value in lat]
    errors = [error for _, errs in results for error in errs]
    return LoadResult(len(ms) + len(errors), errors, elapsed, percentile(ms, 0.50), percentile(ms, 0.95),
                      percentile(ms, 0.99), max(ms))


WRK_SCRIPT = """
wrk.headers["Cookie"] = "%(cookie)s"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
%(delay)s
function response(status, headers, body)
  if status ~= 200 or not string.find(body, "Regenerate day", 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do bad_total = bad_total + thread:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    bad_total, e.connect, e.read, e.write, e.timeout))
end
"""


WRK_THREADS = 2
# Paced mode: wrk keeps one Lua state per thread, shared by that thread's connections, so
# each thread hands out send times on a fixed schedule of rate/threads requests per second;
# together the threads offer `rate` req/s over the connections that are free.
WRK_PACING = """
local ffi = require("ffi")
ffi.cdef[[ typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
           int clock_gettime(int clock, bench_timespec *now); ]]
local clock = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock)
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end
local interval = %(interval_ms)f
local next_due = nil
function delay()
  local now = now_ms()
  if next_due == nil then next_due = now + math.random() * interval end
  local wait = next_due - now
  next_due = next_due + interval
  return wait > 0 and wait or 0
end
"""


def run_wrk(port: int, path: str, cookie: str, seconds: float, concurrency: int, rate: float) -> LoadResult:
    """wrk driver: closed loop, or paced to `rate` with a fixed schedule per connection."""
    delay = WRK_PACING % {"interval_ms": 1000 * WRK_THREADS / rate} if rate else ""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT % {"cookie": cookie, "delay": delay})
        script.flush()
        out = subprocess.run(
            ["wrk", f"-t{WRK_THREADS}", f"-c{concurrency}", f"-d{seconds:g}s", "-s", script.name, f"http://{HOST}:{port}{path}"],
            check=True, capture_output=True, text=True,
        ).stdout
    requests, duration_us, p50, p95, p99, worst, bad, *socket_errors = map(
        int, re.search(r"^RESULT (.*)$", out, re.MULTILINE).group(1).split()
    )
    errors = ["not a 200 plan page"] * bad + [
        f"socket {kind} error" for kind, count in zip(("connect", "read", "write", "timeout"), socket_errors)
        for _ in range(count)
    ]
    return LoadResult(requests, errors, duration_us / 1e6, p50 / 1000, p95 / 1000, p99 / 1000, worst / 1000)


POLL_SECONDS = 1.0  # the "Planning…" page's hx-trigger


class Browser:
    """One signed-in person's keep-alive connection with a cookie jar."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.cookies = dict(part.split("=", 1) for part in log_in(port, username).split("; "))
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{HOST}:{self.port}/"}
        self.conn.request(method, path, body=urlencode(body) if body is not None else None, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        self.cookies |= cookies_from(response)
        return response, content


def press_plan_my_week(browser: Browser) -> float:
    """Plan my week, then wait as the page does until the plan is shown; seconds from the press."""
    _, page = browser.request("GET", "/plans/new/")
    form = {"start_date": date.today().isoformat(), "days": "7", "submission": str(uuid.uuid4()),
            "csrfmiddlewaretoken": csrf_token(page.decode())}
    started = time.monotonic()
    response, _ = browser.request("POST", "/plans/new/", form)
    location = response.getheader("Location", "")
    if response.status != 302 or not location.startswith("/plans/"):
        raise RuntimeError(f"Plan my week answered HTTP {response.status}")
    while "/jobs/" in location:
        time.sleep(POLL_SECONDS)
        response, _ = browser.request("GET", location, headers={"HX-Request": "true"})
        if response.status == 204:
            continue
        if response.status != 200 or not response.getheader("HX-Redirect"):
            raise RuntimeError(f"polling answered HTTP {response.status}")
        response, _ = browser.request("GET", response.getheader("HX-Redirect"))
        location = response.getheader("Location", "")
        if response.status != 302 or "/jobs/" in location:
            raise RuntimeError(f"the finished job answered HTTP {response.status} (planning failed?)")
    response, body = browser.request("GET", location)
    if response.status != 200 or b"Regenerate day" not in body:
        raise RuntimeError(f"the plan page answered HTTP {response.status}")
    return time.monotonic() - started


def generate_until(port: int, username: str, stop: threading.Event, times: list, errors: list):
    browser = Browser(port, username)
    while not stop.is_set():
        try:
            times.append(press_plan_my_week(browser))
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            errors.append(str(error))
            browser = Browser(port, username)


@contextmanager
def plan_workers(env, count: int, niceness: int):
    processes = [
        subprocess.Popen(["nice", "-n", str(niceness), sys.executable, "manage.py", "plan_worker", "--no-reload"],
                         cwd=REPO, env=env, stdout=subprocess.DEVNULL)
        for _ in range(count)
    ]
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


@contextmanager
def generators(port: int, count: int):
    """`count` people pressing "Plan my week" in turn while the block runs; yields their (times, errors)."""
    stop, times, errors = threading.Event(), [], []
    threads = [threading.Thread(target=generate_until, args=(port, f"bench-gen-{i}", stop, times, errors))
               for i in range(count)]
    for thread in threads:
        thread.start()
    try:
        yield times, errors
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)


WARM_UP_SECONDS = 120


def warm_up(plan_times: list, plan_errors: list, count: int):
    """Wait until the generators have shown `count` plans (the plan workers are up and every generator signed
    in: a worker's start on a loaded machine took 20 s), then forget them: the figures are the steady state's."""
    deadline = time.monotonic() + WARM_UP_SECONDS
    while len(plan_times) + len(plan_errors) < count and time.monotonic() < deadline:
        time.sleep(0.2)
    del plan_times[:], plan_errors[:]


def job_seconds(env, since: float) -> list[tuple[float, float]]:
    """Each generator job's (wait in the queue, run in the worker) in seconds, as the database recorded
    them: PlanJob's creation, its task's start (django-tasks-db), the job's end; jobs made after `since`
    (a Unix time)."""
    script = f"""
from datetime import datetime, timezone
from django_tasks_db.models import DBTaskResult
from mealplan.models import PlanJob
jobs = PlanJob.objects.filter(owner__username__startswith="bench-gen-", finished_at__isnull=False,
                              created_at__gte=datetime.fromtimestamp({since!r}, timezone.utc))
started = dict((str(pk), at) for pk, at in DBTaskResult.objects.filter(
    id__in=[job.task_id for job in jobs], started_at__isnull=False).values_list("id", "started_at"))
for job in jobs:
    if job.task_id in started:
        print("JOB", (started[job.task_id] - job.created_at).total_seconds(),
              (job.finished_at - started[job.task_id]).total_seconds())
"""
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True).stdout
    return [(float(line.split()[1]), float(line.split()[2])) for line in out.splitlines() if line.startswith("JOB ")]


def threads_note(server: dict) -> str:
    return f" × {server['threads']} threads" if server["worker_class"] == "gthread" else ""


def serve_and_measure(env, db_url: str, args, server: dict, plan_id: int, repo: Path = REPO):
    """Serve `repo`'s code, sign in, warm the workers, then offer the load (with the generators, if
    any) and meter the CPU it costs: (result, plan times, plan errors, Unix time the measurement began)."""
    port = free_port()
    use_wrk = args.driver == "wrk" or (args.driver == "auto" and shutil.which("wrk"))
    run = run_wrk if use_wrk else run_threads
    path = f"/plans/{plan_id}/"
    with gunicorn(env, port, server, repo) as process, \
            plan_workers(env, args.plan_workers if args.generators else 0, args.worker_nice):
        cookie = log_in(port)
        client_loop(port, path, cookie, Schedule(0, time.monotonic() + 1.0))  # warm the workers' caches
        with generators(port, args.generators) as (plan_times, plan_errors):
            if args.generators:
                warm_up(plan_times, plan_errors, args.generators)
            since = time.time()
            with cpu_meter(db_url, process) as spent:
                result = run(port, path, cookie, args.seconds, args.concurrency, args.rate)
    return replace(result, web_cpu_s=spent["web"], database_cpu_s=spent["database"]), plan_times, plan_errors, since


def describe(args, server: dict, plan_id: int, result: LoadResult) -> str:
    mode = f"paced to {args.rate:g} req/s" if args.rate else "closed loop"
    driver = "wrk" if args.driver == "wrk" or (args.driver == "auto" and shutil.which("wrk")) else "python threads"
    return (f"GET /plans/{plan_id}/ ({args.days}-day plan) · {args.concurrency} concurrent, {mode}, {driver} · "
            f"{result.seconds:.1f} s · gunicorn {server['worker_class']} × {server['workers']} workers"
            f"{threads_note(server)}, DEBUG off, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.1f}")


def report(result: LoadResult, prefix: str = ""):
    print(f"{prefix}requests: {result.requests}  throughput: {result.requests / result.seconds:.0f} req/s")
    print(f"{prefix}latency ms: p50 {result.p50_ms:.1f}  p95 {result.p95_ms:.1f}  p99 {result.p99_ms:.1f}  "
          f"max {result.max_ms:.1f}")
    print(f"{prefix}CPU ms a request: gunicorn {result.cpu_ms(result.web_cpu_s):.2f}  "
          f"PostgreSQL {result.cpu_ms(result.database_cpu_s):.2f}")
    print(f"{prefix}errors: {len(result.errors)}" +
          (f" ({', '.join(sorted(set(result.errors)))})" if result.errors else ""))


def report_generators(args, env, plan_times: list, plan_errors: list, since: float):
    queued = job_seconds(env, since)
    print(f"meanwhile {args.generators} people pressed \"Plan my week\" (7 days) in turn, "
          f"{args.plan_workers} plan_worker at gunicorn's niceness + {args.worker_nice}: {len(plan_times)} plans shown, "
          f"{len(plan_errors)} errors" + (f" ({'; '.join(sorted(set(plan_errors)))})" if plan_errors else ""))
    if len(plan_times) >= 2:
        print(f"press to plan shown s (polled every {POLL_SECONDS:g} s): median {statistics.median(plan_times):.2f}  "
              f"p95 {percentile(plan_times, 0.95):.2f}  max {max(plan_times):.2f}")
    if len(queued) >= 2:
        waits, runs = [wait for wait, _ in queued], [run for _, run in queued]
        print(f"job in the queue s: median {statistics.median(waits):.2f}  p95 {percentile(waits, 0.95):.2f}; "
              f"in the worker s: median {statistics.median(runs):.2f}  p95 {percentile(runs, 0.95):.2f}")


def compare(env, db_url: str, args, server: dict, plan_id: int) -> list[LoadResult]:
    """`--rounds` rounds of the baseline's code, then this code's, each printed as it ends, then the
    medians of each; returns every result."""
    manage(env, "collectstatic", "--no-input", repo=args.baseline)
    versions = {"baseline": args.baseline, "this": REPO}
    runs = {label: [] for label in versions}
    for round_number in range(1, args.rounds + 1):
        for label, repo in versions.items():
            result, plan_times, plan_errors, since = serve_and_measure(env, db_url, args, server, plan_id, repo)
            runs[label].append(result)
            print(f"round {round_number} {label} ({repo}): {describe(args, server, plan_id, result)}")
            report(result, prefix=f"  {label}: ")
            if args.generators:
                report_generators(args, env, plan_times, plan_errors, since)
    for label, results in runs.items():
        print(f"median of {len(results)} {label}: "
              f"{statistics.median(r.requests / r.seconds for r in results):.0f} req/s, "
              f"p95 {statistics.median(r.p95_ms for r in results):.1f} ms, CPU ms a request: gunicorn "
              f"{statistics.median(r.cpu_ms(r.web_cpu_s) for r in results):.2f}  PostgreSQL "
              f"{statistics.median(r.cpu_ms(r.database_cpu_s) for r in results):.2f}")
    return [result for results in runs.values() for result in results]


def main():
    args = parse_args()
    with database_url() as db_url:
        env = server_environment(db_url)
        plan_id = seed_plan(env, args.days, args.generators)
        server = server_settings(env, args)
        if args.baseline:
            results = compare(env, db_url, args, server, plan_id)
            return 1 if any(result.errors for result in results) else 0
        result, plan_times, plan_errors, since = serve_and_measure(env, db_url, args, server, plan_id)
        print(describe(args, server, plan_id, result))
        report(result)
        if args.generators:
            report_generators(args, env, plan_times, plan_errors, since)
    return 1 if result.errors or plan_errors else 0


if __name__ == "__main__":
    sys.exit(main())
