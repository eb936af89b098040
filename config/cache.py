"""Where the cache, the sessions and the throttle counters live.

The cache holds the plan page's rendered grid under a digest of everything it
shows, so a cached copy is never stale and each process may keep its own: it
stays in the worker's memory, with no network round trip on the busiest page.
Sessions must be shared by every worker: with `REDIS_URL` set they are read
from Redis (`cached_db`: written through to the database, so a Redis restart
signs nobody out); without it they stay in the database, since a per-process
session cache would keep a signed-out session alive in the other workers.

Redis is optional at run time too: its errors are ignored (django-redis
`IGNORE_EXCEPTIONS`, logged), so while it is down a session read misses the
cache and comes from the database, and pages keep working. The throttle
counters (django-ratelimit) need a cache every worker shares: Redis when set
(counting stops while it is down rather than locking everyone out), else a
database table (`createcachetable`, run by a migration).
"""

from config.env import env_str

REDIS_SESSION_CACHE = "sessions"
THROTTLE_CACHE = "throttle"
THROTTLE_CACHE_TABLE = "mealplan_throttle_cache"
# A 7-day grid renders to about 40 KB: at most ~40 MB of memory per worker.
LOCAL_CACHE_ENTRIES = 1000
# Seconds to wait for Redis before treating it as down; it answers in well under a millisecond.
REDIS_TIMEOUT = 0.25


def redis_url_from_env(env) -> str:
    return env_str(env, "REDIS_URL")


def redis_cache(redis_url: str, prefix: str) -> dict:
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": redis_url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": REDIS_TIMEOUT,
            "SOCKET_TIMEOUT": REDIS_TIMEOUT,
        },
    }


def cache_config(redis_url: str) -> dict:
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": LOCAL_CACHE_ENTRIES},
        }
    }
    if redis_url:
        caches[REDIS_SESSION_CACHE] = redis_cache(redis_url, "mealplan")
        caches[THROTTLE_CACHE] = redis_cache(redis_url, "mealplan-throttle")
    else:
        caches[THROTTLE_CACHE] = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": THROTTLE_CACHE_TABLE,
        }
    return caches


def session_engine(redis_url: str) -> str:
    backend = "cached_db" if redis_url else "db"
    return f"django.contrib.sessions.backends.{backend}"


def session_cache_alias(redis_url: str) -> str:
    return REDIS_SESSION_CACHE if redis_url else "default"
