"""Throttles on signing in, signing up and password resets (OWASP ASVS 5.0 V6.3.1).

Counters are django-ratelimit's, in the cache every worker shares (config/cache.py).
Signing in is limited by failures, both per client address and per account, and a
blocked attempt is refused before the password is looked at. So that an attacker
hammering an account cannot lock its owner out, a browser that has signed in to an
account before carries a signed "known device" cookie for it and counts its failures
in a bucket of its own (OWASP's device-cookie scheme); only unknown browsers share
the account's bucket. Windows are fixed, so a block lifts by itself.
"""

import ipaddress
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited


@dataclass(frozen=True)
class Rule:
    group: str
    rate: str  # django-ratelimit's "count/period", e.g. "10/15m"


LOGIN_FAILURES_PER_ADDRESS = Rule("login-address", "20/15m")
LOGIN_FAILURES_PER_ACCOUNT = Rule("login-account", "10/15m")
LOGIN_FAILURES_PER_DEVICE = Rule("login-device", "10/15m")
SIGNUPS_PER_ADDRESS = Rule("signup-address", "10/h")
PASSWORD_RESETS_PER_ADDRESS = Rule("password-reset-address", "5/15m")

DEVICE_COOKIE = "mp_device"
DEVICE_COOKIE_SALT = "mealplan.throttle.device"  # the module's old path, kept: cookies given out are signed with it
DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600


def client_address(request) -> str:
    """The client's IP: REMOTE_ADDR, or the entry `TRUSTED_PROXY_HOPS` from the end of X-Forwarded-For.

    Only the entries the trusted proxies appended can be believed; anything to their left was sent
    by the client. A malformed entry falls back to REMOTE_ADDR.
    """
    hops = settings.TRUSTED_PROXY_HOPS
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META["REMOTE_ADDR"]


def _login_buckets(request, username: str) -> list[tuple[Rule, str]]:
    """(rule, key) pairs a login attempt on `username` counts in; key "ip" means the client address."""
    username = username.casefold()
    device = known_device(request, username)
    account = (LOGIN_FAILURES_PER_DEVICE, f"{username}:{device}") if device else (LOGIN_FAILURES_PER_ACCOUNT, username)
    return [(LOGIN_FAILURES_PER_ADDRESS, "ip"), account]


def _usage(request, rule: Rule, key: str, *, increment: bool) -> dict | None:
    """The bucket's count and limit; None while the shared cache is unreachable (fail open)."""
    key_arg = key if key == "ip" else (lambda group, request: key)
    return get_usage(request, group=rule.group, key=key_arg, rate=rule.rate, increment=increment)


def check_login_allowed(request, username: str) -> None:
    """Raise Ratelimited when this address, or this browser on this account, failed too often."""
    for rule, key in _login_buckets(request, username):
        usage = _usage(request, rule, key, increment=False)
        if usage and usage["count"] >= usage["limit"]:
            raise Ratelimited()


def record_login_failure(request, username: str) -> None:
    for rule, key in _login_buckets(request, username):
        _usage(request, rule, key, increment=True)


def known_device(request, username: str) -> str:
    """The device id from a valid cookie issued for `username`, else ''."""
    try:
        value = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return ""
    owner, _, device = value.rpartition(":")
    return device if owner == username.casefold() else ""


def remember_device(request, response, username: str) -> None:
    """Mark this browser as known for `username` (kept if it already is)."""
    device = known_device(request, username) or secrets.token_urlsafe(16)
    response.set_signed_cookie(
        DEVICE_COOKIE, f"{username.casefold()}:{device}", salt=DEVICE_COOKIE_SALT, max_age=DEVICE_COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )
