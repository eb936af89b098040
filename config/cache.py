"""Where the cache and the throttle counters live (sessions: the database, mealplan/accounts/sessions.py).

The cache holds the plan page's rendered grid under a digest of everything it
shows, so a cached copy is never stale and each process may keep its own: it
stays in the worker's memory, with no network round trip on the busiest page.

The throttle counters (django-ratelimit) need a cache every worker shares:
Redis when `REDIS_URL` is set, else a database table (`createcachetable`, run
by a migration). Redis is optional at run time: its errors are ignored
(django-redis `IGNORE_EXCEPTIONS`, logged), so while it is down counting stops
rather than locking everyone out, and pages keep working. Sessions are not
kept in Redis: the database reads a session with its person's row in one
query, where Redis would add a round trip to the row's.
"""

from config.env import env_str

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
        caches[THROTTLE_CACHE] = redis_cache(redis_url, "mealplan-throttle")
    else:
        caches[THROTTLE_CACHE] = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": THROTTLE_CACHE_TABLE,
        }
    return caches
