"""The operator's deploy: `collectstatic`, then gunicorn serves the admin with its styles."""

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from tests.operator import PRODUCTION_ENV, operator_env, run_manage


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 5) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Host": "mealplan.example.com", "X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read().decode()


def test_gunicorn_serves_admin_and_hashed_static_after_collectstatic(tmp_path: Path):
    env = {**PRODUCTION_ENV, "STATIC_ROOT": str(tmp_path / "static"), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    collected = run_manage("collectstatic", "--no-input", "-v0", env=env)
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([gunicorn, "-c", "config/gunicorn.py", "-b", f"127.0.0.1:{port}", "-w", "1"],
                              cwd=settings.BASE_DIR, env=operator_env(env), stderr=subprocess.DEVNULL)
    try:
        # Generous: on a loaded CI machine (other test workers beside it) the worker's boot and first
        # request took over 5 s; what is checked is what it serves, not how fast it starts.
        deadline = time.monotonic() + 60
        while True:
            try:
                status, page = get(f"http://127.0.0.1:{port}/admin/login/", timeout=30)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        assert status == 200
        stylesheet = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "admin page should link the hashed, collected stylesheet"
        css_status, css = get(f"http://127.0.0.1:{port}{stylesheet.group(1)}")
        assert css_status == 200 and "font-family" in css
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
