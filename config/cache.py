"""Where the cache and the sessions live: Redis when `REDIS_URL` is set, else this process and the database.

With Redis every gunicorn worker shares one cache (the plan page's rendered grid)
and reads sessions from memory instead of the database (`cached_db`: written
through to the database, so a Redis restart logs nobody out). Without it, the
cache is per process and sessions stay in the database: a per-process session
cache would keep a logged-out session alive in the other workers.
"""

from config.env import env_str

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
LOCAL_CACHE = "django.core.cache.backends.locmem.LocMemCache"


def redis_url_from_env(env) -> str:
    return env_str(env, "REDIS_URL")


def cache_config(redis_url: str) -> dict:
    if redis_url:
        return {"default": {"BACKEND": REDIS_CACHE, "LOCATION": redis_url, "KEY_PREFIX": "mealplan"}}
    return {"default": {"BACKEND": LOCAL_CACHE}}


def session_engine(redis_url: str) -> str:
    backend = "cached_db" if redis_url else "db"
    return f"django.contrib.sessions.backends.{backend}"
