"""Connect exactly as production does on Neon: TLS + SCRAM channel binding.

Needs the local PostgreSQL prepared by scripts/postgres-ssl-setup (TLS on, a
role that must use SCRAM-SHA-256 over TLS). CI runs that script; elsewhere the
test is skipped with the reason (under CI a skip fails).
"""

import os
import socket
import struct
import subprocess
import threading

import psycopg
import pytest

from tests.operator import run_manage

ROLE = os.environ.get("NEON_TEST_ROLE", "mealplan_neon")
PASSWORD = os.environ.get("NEON_TEST_PASSWORD", "neon-like-secret")
# One database per process: pytest-xdist workers and other test runs on the machine each drop and create their own.
DB_NAME = f"mealplan_neon_faithful_{os.getpid()}"
SUPERUSER_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"

SSL_REQUEST_CODE = 80877103
GSSENC_REQUEST_CODE = 80877104


def manage(*args: str, database_url: str) -> subprocess.CompletedProcess:
    return run_manage(*args, env={"DATABASE_URL": database_url, "SECRET_KEY": "neon-faithful-test-secret", "DEBUG": "0"})


def neon_like_server_ready() -> str | None:
    """None when TLS and the SCRAM role are in place, else why not."""
    try:
        with psycopg.connect(SUPERUSER_DSN, connect_timeout=3) as conn:
            if conn.execute("SHOW ssl").fetchone()[0] != "on":
                return "PostgreSQL has ssl=off"
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE]).fetchone():
                return f"role {ROLE} does not exist"
    except psycopg.OperationalError as exc:
        return f"PostgreSQL on 127.0.0.1:5432 unreachable: {exc}"
    return None


@pytest.fixture
def neon_database():
    reason = neon_like_server_ready()
    if reason:
        pytest.skip(f"{reason}; run scripts/postgres-ssl-setup")  # a failure under CI (tests/ci_skips.py)
    with psycopg.connect(SUPERUSER_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}" OWNER "{ROLE}"')
    yield f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:5432/{DB_NAME}?sslmode=require&channel_binding=require"
    with psycopg.connect(SUPERUSER_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


WRITE_AND_READ_RECIPE = """
from django.db import connection
from meals.models import Recipe
Recipe.objects.create(title="Neon porridge", slug="neon-porridge", servings=2, is_breakfast=True)
with connection.cursor() as cursor:
    cursor.execute("SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
    ssl, version = cursor.fetchone()
print("ssl_in_use", ssl)
print("ssl_version", version)
print("recipe", Recipe.objects.get(slug="neon-porridge").title)
"""


def test_neon_format_url_migrates_writes_and_reads_over_tls_with_channel_binding(neon_database):
    migrated = manage("migrate", "--no-input", database_url=neon_database)
    assert migrated.returncode == 0, migrated.stderr

    result = manage("shell", "-c", WRITE_AND_READ_RECIPE, database_url=neon_database)

    assert result.returncode == 0, result.stderr
    assert "ssl_in_use True" in result.stdout
    assert "ssl_version TLSv1." in result.stdout
    assert "recipe Neon porridge" in result.stdout


def test_wrong_password_is_refused_by_scram(neon_database):
    wrong = neon_database.replace(f":{PASSWORD}@", ":not-the-password@")
    result = manage("migrate", "--no-input", database_url=wrong)
    assert result.returncode != 0
    assert "password authentication failed" in result.stderr


class PlainTextOnlyListener:
    """A PostgreSQL-protocol listener that, like a server without SSL, answers 'N'
    to SSLRequest. Records whether a client ever sent a plain-text startup packet."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.ssl_requests = 0
        self.plaintext_startups = 0
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        self.sock.settimeout(10)
        try:
            while True:
                client, _ = self.sock.accept()
                with client:
                    self.answer(client)
        except OSError:
            return

    def answer(self, client):
        while header := client.recv(8):
            if len(header) < 8:
                return
            _length, code = struct.unpack("!ii", header)
            if code in (SSL_REQUEST_CODE, GSSENC_REQUEST_CODE):
                self.ssl_requests += code == SSL_REQUEST_CODE
                client.sendall(b"N")
            else:
                self.plaintext_startups += 1
                return

    def close(self):
        self.sock.close()


def test_sslmode_require_against_server_without_tls_fails_clearly_never_plain_text():
    listener = PlainTextOnlyListener()
    try:
        url = f"postgresql://{ROLE}:{PASSWORD}@127.0.0.1:{listener.port}/db?sslmode=require&channel_binding=require"
        result = manage("migrate", "--no-input", database_url=url)
    finally:
        listener.close()
    assert result.returncode != 0
    assert "server does not support SSL, but SSL was required" in result.stderr
    assert listener.ssl_requests >= 1
    assert listener.plaintext_startups == 0
