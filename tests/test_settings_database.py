"""Database settings: Neon URLs exactly as Neon prints them must work unchanged."""

from pathlib import Path

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.postgresql.base import Cursor, DatabaseWrapper, ServerBindingCursor

from config.database import database_config, database_url_from_env, is_pgbouncer_host

NEON_DIRECT = (
    "postgresql://alex:AbC123dEf@ep-cool-darkness-123456.eu-central-1.aws.neon.tech/neondb"
    "?sslmode=require&channel_binding=require"
)
NEON_POOLER = (
    "postgresql://alex:AbC123dEf@ep-cool-darkness-123456-pooler.eu-central-1.aws.neon.tech/neondb"
    "?sslmode=require&channel_binding=require"
)
NEON_NO_CHANNEL_BINDING = (
    "postgres://alex:AbC123dEf@ep-long-sound-a5b6c7d8.us-east-2.aws.neon.tech/mealplan?sslmode=require"
)


def libpq_params(config: dict) -> dict:
    """What Django's PostgreSQL backend hands to psycopg.connect()."""
    return DatabaseWrapper({**config, "TIME_ZONE": None, "AUTOCOMMIT": True}).get_connection_params()


def test_direct_neon_url_reaches_libpq_with_tls_and_channel_binding():
    config = database_config(NEON_DIRECT, env={})
    params = libpq_params(config)
    assert config["ENGINE"] == "config.postgresql"
    assert params["host"] == "ep-cool-darkness-123456.eu-central-1.aws.neon.tech"
    assert params["dbname"] == "neondb"
    assert params["user"] == "alex" and params["password"] == "AbC123dEf"
    assert params["sslmode"] == "require"
    assert params["channel_binding"] == "require"
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["CONN_MAX_AGE"] == 60
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_pooler_host_disables_server_side_cursors():
    config = database_config(NEON_POOLER, env={})
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert libpq_params(config)["channel_binding"] == "require"


def test_direct_connections_prepare_repeated_statements_and_pooled_ones_do_not():
    direct, pooled = libpq_params(database_config(NEON_DIRECT, env={})), libpq_params(database_config(NEON_POOLER, env={}))
    assert (direct["cursor_factory"], direct["prepare_threshold"]) == (ServerBindingCursor, 5)
    assert (pooled["cursor_factory"], pooled["prepare_threshold"]) == (Cursor, None)


@pytest.mark.parametrize(("env", "threshold"), [({"PREPARED_STATEMENTS": "0"}, None), ({"PREPARED_STATEMENTS": "1"}, 5)])
def test_env_switch_overrides_prepared_statement_detection(env, threshold):
    for url in (NEON_DIRECT, NEON_POOLER):
        assert libpq_params(database_config(url, env=env))["prepare_threshold"] == threshold


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_plans_a_repeated_query_once():
    from django.contrib.auth import get_user_model
    from django.db import connection

    for _ in range(6):
        list(get_user_model().objects.filter(username="nobody"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    prepared = any('"auth_user"."username" = $1' in statement for statement in statements)
    # Direct connections prepare it; behind a transaction pooler (CI's PgBouncer run) nothing may be prepared.
    assert prepared == bool(connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold")), statements


@pytest.mark.parametrize(("env", "pooled"), [({}, False), ({"DATABASE_POOLER": "1"}, True), ({"DATABASE_POOLER": "0"}, False)])
def test_database_pooler_switch_treats_any_host_as_a_transaction_pooler(env, pooled):
    url = "postgresql://postgres@127.0.0.1:6433/mealplan?sslmode=disable"
    config = database_config(url, env=env)
    assert config["DISABLE_SERVER_SIDE_CURSORS"] is pooled
    assert libpq_params(config)["prepare_threshold"] == (None if pooled else 5)
    assert database_config(NEON_POOLER, env={"DATABASE_POOLER": "0"})["DISABLE_SERVER_SIDE_CURSORS"] is False


def test_url_without_channel_binding_keeps_sslmode_only():
    params = libpq_params(database_config(NEON_NO_CHANNEL_BINDING, env={}))
    assert params["sslmode"] == "require"
    assert "channel_binding" not in params


@pytest.mark.parametrize(
    ("env", "expected"),
    [({"DISABLE_SERVER_SIDE_CURSORS": "1"}, True), ({"DISABLE_SERVER_SIDE_CURSORS": "false"}, False)],
)
def test_env_switch_overrides_server_side_cursor_detection(env, expected):
    assert database_config(NEON_DIRECT, env=env)["DISABLE_SERVER_SIDE_CURSORS"] is expected
    assert database_config(NEON_POOLER, env=env)["DISABLE_SERVER_SIDE_CURSORS"] is expected


def test_conn_max_age_from_env():
    assert database_config(NEON_DIRECT, env={"CONN_MAX_AGE": "0"})["CONN_MAX_AGE"] == 0


@pytest.mark.parametrize(
    ("host", "pooled"),
    [
        ("ep-cool-darkness-123456-pooler.eu-central-1.aws.neon.tech", True),
        ("ep-cool-darkness-123456.eu-central-1.aws.neon.tech", False),
        ("db.example.com", False),
    ],
)
def test_pgbouncer_detection(host, pooled):
    assert is_pgbouncer_host(f"postgresql://u:p@{host}/db") is pooled


def test_url_precedence_database_url_then_neon_then_sqlite(tmp_path: Path):
    assert database_url_from_env({"DATABASE_URL": "postgres://a/b", "NEON_DATABASE_URL": NEON_DIRECT}, tmp_path) == "postgres://a/b"
    assert database_url_from_env({"NEON_DATABASE_URL": NEON_DIRECT}, tmp_path) == NEON_DIRECT
    fallback = database_url_from_env({}, tmp_path)
    config = database_config(fallback, env={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert not config.get("DISABLE_SERVER_SIDE_CURSORS")


@pytest.fixture
def apart(transactional_db):
    """A second connection to the test database with its own backend, health checks on; closed after the test."""
    wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    wrapper.settings_dict["CONN_HEALTH_CHECKS"] = True
    yield wrapper
    wrapper.close()


def backend_pid(wrapper) -> int:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def start_request(wrapper):
    """Django's checks when a request starts and before its first query."""
    wrapper.close_if_unusable_or_obsolete()
    wrapper.close_if_health_check_failed()


def last_query(pid: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return row[0] if row else None


@pytest.mark.postgres
def test_a_sound_connection_starts_a_request_without_a_health_check_round_trip(apart):
    pid = backend_pid(apart)
    start_request(apart)
    assert last_query(pid) == "SELECT pg_backend_pid()"  # no SELECT 1 sent
    assert backend_pid(apart) == pid


@pytest.mark.postgres
def test_a_connection_the_server_ended_between_requests_is_replaced_before_the_first_query(apart):
    pid = backend_pid(apart)
    with connection.cursor() as cursor:  # as a server restart or a pooler's idle timeout does
        cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    start_request(apart)
    assert backend_pid(apart) != pid
