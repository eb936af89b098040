"""Turn the configured database URL into Django's DATABASES entry.

Kept apart from settings so the Neon-specific rules (TLS options reaching libpq,
no server-side cursors behind PgBouncer) can be unit-tested with plain strings.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from config.env import env_flag, env_int, env_str

DEFAULT_CONN_MAX_AGE = 60
# Django's PostgreSQL backend with a health check that needs no round trip (config/postgresql/base.py).
POSTGRESQL_ENGINE = "config.postgresql"
# Server-side parameter binding lets psycopg prepare a statement once it has run five times on a
# connection, so PostgreSQL stops re-planning the same few queries on every request. Off behind
# PgBouncer in transaction mode, where the next transaction may land on another server connection.
PREPARED_STATEMENT_OPTIONS = {"server_side_binding": True, "prepare_threshold": 5}


def database_url_from_env(env, base_dir: Path) -> str:
    """`DATABASE_URL`, else `NEON_DATABASE_URL`, else an embedded SQLite file."""
    return (
        env_str(env, "DATABASE_URL")
        or env_str(env, "NEON_DATABASE_URL")
        or f"sqlite:///{base_dir / 'db.sqlite3'}"
    )


def is_pgbouncer_host(url: str) -> bool:
    """Neon's pooled endpoints put `-pooler` in the first label of the host."""
    host = urlsplit(url).hostname or ""
    return "-pooler" in host


def behind_transaction_pooler(url: str, env) -> bool:
    """A Neon `-pooler` host, or any host when `DATABASE_POOLER=1` (another PgBouncer in transaction mode)."""
    return env_flag(env, "DATABASE_POOLER", default=is_pgbouncer_host(url))


def database_config(url: str, env) -> dict:
    """Build the `default` database entry for `url`.

    dj-database-url copies query parameters such as `sslmode` and
    `channel_binding` into OPTIONS, which psycopg 3 hands to libpq unchanged.
    """
    is_sqlite = url.startswith("sqlite:")
    conn_max_age = env_int(env, "CONN_MAX_AGE", 0 if is_sqlite else DEFAULT_CONN_MAX_AGE)
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if not is_sqlite:
        if config["ENGINE"] == "django.db.backends.postgresql":
            config["ENGINE"] = POSTGRESQL_ENGINE
        behind_pgbouncer = behind_transaction_pooler(url, env)
        config["DISABLE_SERVER_SIDE_CURSORS"] = env_flag(
            env, "DISABLE_SERVER_SIDE_CURSORS", default=behind_pgbouncer
        )
        if env_flag(env, "PREPARED_STATEMENTS", default=not behind_pgbouncer):
            config["OPTIONS"] = {**config.get("OPTIONS", {}), **PREPARED_STATEMENT_OPTIONS}
    return config
