"""Cache: the rendered-grid cache stays in each process; with REDIS_URL the throttle counters are in Redis, and
sessions stay in the database either way (read with their person in one query: tests/test_sessions.py)."""

import os

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from config.cache import cache_config
from mealplan.models import UserSession
from tests.web_factories import PASSWORD, make_plan, make_user, small_catalog

# A database number of its own, so flushing it touches nothing else on the server.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


LOCAL = "django.core.cache.backends.locmem.LocMemCache"


def test_without_redis_the_cache_is_per_process_and_sessions_and_throttles_use_the_database():
    assert cache_config("") == {
        "default": {"BACKEND": LOCAL, "OPTIONS": {"MAX_ENTRIES": 1000}},
        "throttle": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "mealplan_throttle_cache"},
    }
    assert settings.SESSION_ENGINE == "mealplan.accounts.sessions"


def test_with_redis_the_throttle_counts_in_it_and_rendered_html_stays_in_the_process():
    url = "redis://cache.internal:6379/0"
    config = cache_config(url)
    assert config.keys() == {"default", "throttle"}
    assert config["default"]["BACKEND"] == LOCAL
    assert config["throttle"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert config["throttle"]["LOCATION"] == url
    assert config["throttle"]["OPTIONS"]["IGNORE_EXCEPTIONS"]  # Redis down: nothing counted, see test_redis_down


def redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {TEST_REDIS_URL}")  # a failure under CI (tests/ci_skips.py)


@pytest.fixture
def redis_cache(db):
    redis_or_skip()
    with override_settings(CACHES=cache_config(TEST_REDIS_URL)):
        redis_cache = caches["throttle"]
        redis_cache.clear()
        yield redis_cache
        redis_cache.clear()


def test_a_signed_in_person_stays_signed_in_when_redis_loses_its_data_and_is_signed_out_everywhere_on_logout(
    client, redis_cache
):
    owner = make_user("ravi")
    plan = make_plan(owner, small_catalog())
    assert client.login(username="ravi", password=PASSWORD)
    assert client.get(plan.get_absolute_url()).status_code == 200

    redis_cache.clear()  # Redis restarted without persistence
    assert client.get(plan.get_absolute_url()).status_code == 200

    old_cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(session_key=old_cookie).exists()
    client.cookies["sessionid"] = old_cookie  # replaying the old cookie, as a stolen one would be
    assert client.get(plan.get_absolute_url()).status_code == 302
