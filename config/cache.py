"""Where the cache and the sessions live.

The cache holds the plan page's rendered grid under a digest of everything it
shows, so a cached copy is never stale and each process may keep its own: it
stays in the worker's memory, with no network round trip on the busiest page.
Sessions must be shared by every worker: with `REDIS_URL` set they are read
from Redis (`cached_db`: written through to the database, so a Redis restart
signs nobody out); without it they stay in the database, since a per-process
session cache would keep a signed-out session alive in the other workers.
"""

from config.env import env_str

REDIS_SESSION_CACHE = "sessions"
# A 7-day grid renders to about 40 KB: at most ~40 MB of memory per worker.
LOCAL_CACHE_ENTRIES = 1000


def redis_url_from_env(env) -> str:
    return env_str(env, "REDIS_URL")


def cache_config(redis_url: str) -> dict:
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": LOCAL_CACHE_ENTRIES},
        }
    }
    if redis_url:
        caches[REDIS_SESSION_CACHE] = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "mealplan",
        }
    return caches


def session_engine(redis_url: str) -> str:
    backend = "cached_db" if redis_url else "db"
    return f"django.contrib.sessions.backends.{backend}"


def session_cache_alias(redis_url: str) -> str:
    return REDIS_SESSION_CACHE if redis_url else "default"
