"""Redis optional for real: with REDIS_URL set and Redis stopped (the throttle counters' cache; sessions are
in the database), every page, signing in included, keeps working.

The test starts and stops a Redis server of its own on a free port, never the shared one.
"""

import os
import shutil
import socket
import subprocess
import time

import pytest
from django.core.cache import caches
from django.test import Client, override_settings
from django.urls import reverse

from config.cache import THROTTLE_CACHE, cache_config
from tests.web_factories import PASSWORD, make_plan, make_user, small_catalog


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis():
    binary = shutil.which("redis-server")
    if not binary:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/5"
    import redis

    for _ in range(50):
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.ConnectionError:
            time.sleep(0.1)
    try:
        yield url, server
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def redis_settings(db, own_redis):
    url, server = own_redis
    with override_settings(CACHES=cache_config(url)):
        yield caches[THROTTLE_CACHE], server


def stop(server):
    server.terminate()
    server.wait(timeout=10)


def test_pages_and_signing_in_keep_working_while_redis_is_down(redis_settings):
    throttle_cache, server = redis_settings
    owner = make_user("ravi")
    plan = make_plan(owner, small_catalog())
    before = Client()
    assert before.post(reverse("login"), {"username": "wrong-name", "password": PASSWORD}).status_code == 200
    assert throttle_cache.keys("*"), "the failure was not counted in Redis"
    assert before.post(reverse("login"), {"username": "ravi", "password": PASSWORD}).status_code == 302

    stop(server)
    started = time.monotonic()
    for url in (plan.get_absolute_url(), reverse("home"), reverse("profile"), reverse("shopping-list", args=[plan.pk])):
        assert before.get(url).status_code == 200, url
    assert "signed in as ravi" in before.get(reverse("home")).content.decode()

    later = Client()
    assert later.get(reverse("login")).status_code == 200
    assert later.post(reverse("login"), {"username": "ravi", "password": "wrong"}).status_code == 200
    assert later.post(reverse("login"), {"username": "ravi", "password": PASSWORD}).status_code == 302
    assert later.get(plan.get_absolute_url()).status_code == 200
    assert later.post(reverse("logout")).status_code == 302
    assert later.get(plan.get_absolute_url()).status_code == 302  # signed out for real
    assert time.monotonic() - started < 10  # each refused connection costs milliseconds, not a timeout
