"""Settings for the test suite: production settings with test-only conveniences.

The database still comes from DATABASE_URL, so the same suite runs on SQLite
and on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from config.settings import *  # noqa: E402,F403

SECURE_SSL_REDIRECT = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Plan jobs run inline in the request unless a test asks for the database queue and its worker.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND") or "django_tasks.backends.immediate.ImmediateBackend"}}
