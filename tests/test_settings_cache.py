"""Cache and sessions: Redis when REDIS_URL is set, shared by every worker; sessions survive a Redis restart."""

import os

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import override_settings

from config.cache import cache_config, session_engine
from tests.web_factories import PASSWORD, make_plan, make_user, small_catalog

# A database number of its own, so flushing it touches nothing else on the server.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_without_redis_the_cache_is_per_process_and_sessions_stay_in_the_database():
    assert cache_config("")["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert session_engine("") == "django.contrib.sessions.backends.db"


def test_with_redis_cache_and_sessions_share_it():
    config = cache_config("redis://cache.internal:6379/0")["default"]
    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert config["LOCATION"] == "redis://cache.internal:6379/0"
    assert session_engine("redis://cache.internal:6379/0") == "django.contrib.sessions.backends.cached_db"


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {TEST_REDIS_URL}")


@pytest.fixture
def redis_settings(db):
    redis_or_skip()
    with override_settings(CACHES=cache_config(TEST_REDIS_URL), SESSION_ENGINE=session_engine(TEST_REDIS_URL)):
        cache.clear()
        yield
        cache.clear()


def test_a_signed_in_person_stays_signed_in_when_redis_loses_its_data_and_is_signed_out_everywhere_on_logout(
    client, redis_settings
):
    owner = make_user("ravi")
    plan = make_plan(owner, small_catalog())
    assert client.login(username="ravi", password=PASSWORD)
    assert client.get(plan.get_absolute_url()).status_code == 200

    cache.clear()  # Redis restarted without persistence
    assert client.get(plan.get_absolute_url()).status_code == 200

    old_cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=old_cookie).exists()
    client.cookies["sessionid"] = old_cookie  # replaying the old cookie, as a stolen one would be
    assert client.get(plan.get_absolute_url()).status_code == 302
