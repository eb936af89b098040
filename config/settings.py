"""Django settings for meal-plan.

Everything that differs between a laptop and production comes from the
environment (or a `.env` file next to manage.py); see `.env.example`.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from dotenv import load_dotenv

from config.cache import THROTTLE_CACHE, cache_config, redis_url_from_env
from config.database import database_config, database_url_from_env
from config.env import env_flag, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
load_dotenv(BASE_DIR / ".env")

env = os.environ


DEBUG = env_flag(env, "DEBUG", default=False)

SECRET_KEY = env_str(env, "SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: put it in the environment or .env (or set DEBUG=1 for local work)."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list(env, "ALLOWED_HOSTS", "localhost,127.0.0.1" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list(env, "CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "django_ratelimit",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "meals",
    "mealplan",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "mealplan.auth.AuthenticationMiddleware",
    "mealplan.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mealplan.middleware.BoundedInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "mealplan.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": database_config(database_url_from_env(env, BASE_DIR), env)}

REDIS_URL = redis_url_from_env(env)
CACHES = cache_config(REDIS_URL)
# Sessions in the database, read in one query with the signed-in person's row (mealplan/accounts/sessions.py).
SESSION_ENGINE = "mealplan.accounts.sessions"

# Throttles on sign-in, sign-up and password reset (mealplan/accounts/throttle.py), counted in a cache every
# worker shares. Behind N proxies that each append to X-Forwarded-For, set TRUSTED_PROXY_HOPS=N.
RATELIMIT_USE_CACHE = THROTTLE_CACHE
RATELIMIT_IP_META_KEY = "mealplan.accounts.throttle.client_address"
RATELIMIT_VIEW = "mealplan.accounts.views.throttled"
# While Redis is down nothing is counted, rather than everyone being refused.
RATELIMIT_FAIL_OPEN = True
TRUSTED_PROXY_HOPS = env_int(env, "TRUSTED_PROXY_HOPS", 0)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
SILENCED_SYSTEM_CHECKS = [
    # The database cache (used without Redis) increments by read-then-write: concurrent failures can
    # slip a few extra attempts past a limit, never more than the number of workers.
    "django_ratelimit.E003",
    "django_ratelimit.W001",
]

# The first authenticates and serves every signed-in request; ModelBackend only reads the sessions
# signed in before it (see mealplan/auth.py).
AUTHENTICATION_BACKENDS = ["mealplan.auth.UserBackend", "django.contrib.auth.backends.ModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str(env, "TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str(env, "STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files (own recipes' pictures), through the default storage. They are private: pages serve them
# through an owner-only view (meals.views.own_recipe_picture), never from MEDIA_URL.
MEDIA_ROOT = Path(env_str(env, "MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Mail (password resets). Production needs an SMTP relay: `check --deploy` warns without one
# (mealplan/checks.py). Django's own setting names, read from the environment.
EMAIL_BACKEND = env_str(
    env,
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str(env, "EMAIL_HOST", "localhost")
EMAIL_PORT = env_int(env, "EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str(env, "EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str(env, "EMAIL_HOST_PASSWORD")
EMAIL_USE_SSL = env_flag(env, "EMAIL_USE_SSL", default=False)
EMAIL_USE_TLS = env_flag(env, "EMAIL_USE_TLS", default=not EMAIL_USE_SSL)
# Seconds before a silent relay is given up on, so a request never waits on it for long.
EMAIL_TIMEOUT = env_int(env, "EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str(env, "DEFAULT_FROM_EMAIL", "meal-plan <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Transport security: on unless DEBUG, so `check --deploy` is clean in production.
SECURE_SSL_REDIRECT = env_flag(env, "SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int(env, "SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Only the project's own static files may load (no CDN, no inline script).
# Hosts recipe pictures may come from (comma-separated): the images the pages show, and exactly
# the hosts the Content-Security-Policy's img-src allows besides the site itself. A recipe whose
# image is elsewhere shows the placeholder. The default is the host of the bundled catalog's images.
RECIPE_IMAGE_HOSTS = env_list(env, "RECIPE_IMAGE_HOSTS", "publicdomainrecipes.com")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *(f"https://{host}" for host in RECIPE_IMAGE_HOSTS)],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# The pages use none of the browser's powerful features; nothing embedded may either.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen",
        "geolocation", "gyroscope", "magnetometer", "microphone", "midi", "payment", "usb",
        "browsing-topics",
    )
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str(env, "LOG_LEVEL", "INFO")},
}

# Plan generation runs as background jobs (mealplan/tasks.py) in the database, run by
# `manage.py plan_worker`; TASKS_BACKEND can name another django-tasks backend.
TASKS = {"default": {"BACKEND": env_str(env, "TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# The plan worker's niceness (0-19). 0, the web server's: a plan costs ~0.1 s of CPU, and at 10 beside a busy
# gunicorn the worker was starved to 2.4 s a plan and 26 s from the press to the plan (bench/results/load_2026-11-28.txt).
PLAN_WORKER_NICE = env_int(env, "PLAN_WORKER_NICE", 0)

# Planner knobs (see mealplan/planning/).
MEALPLAN_SOLVER_TIME_LIMIT = env_float(env, "MEALPLAN_SOLVER_TIME_LIMIT", 2.0)
