"""What every request and response goes through: input bounds and privacy headers."""

import re
from functools import cached_property

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    """A signed-in person's pages are never stored by the browser or a proxy.

    Otherwise the back button on a shared computer, or a caching proxy, could show
    one person's plans and profile after they signed out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


# Date-part lookups ("start_date__year") turn the value into a date: a year past 9999 overflows, and a
# year bound ("start_date__year__gte=0") builds 1 January of that year, which year 0 has not.
DATE_PARTS = {"year", "iso_year", "month", "day", "week", "week_day", "iso_week_day", "quarter", "hour", "minute",
              "second"}
YEAR_PARTS = {"year", "iso_year"}
DATE_PART_RANGE = range(0, 10000)
YEAR_RANGE = range(1, 10000)
# Longer than any value our pages put in a URL; the admin searches each value in several columns.
MAX_QUERY_VALUE_LENGTH = 1000


# The widest integer column (bigint, and SQLite's INTEGER): a whole number past it overflows the driver.
MAX_INTEGER = 2**63 - 1
WHOLE_NUMBER = re.compile(r"[+-]?\d+")
# What int() strips around a number; str.strip() also strips the separators \x1c-\x1f, which int() refuses.
INT_WHITESPACE = " \t\n\r\v\f"


def input_problem(query, form) -> str:
    """Why the request's parameters cannot reach the database, or ''."""
    for params in (query, form):
        for key, values in params.lists():
            if any("\x00" in text for text in (key, *values)):
                return "Text with a NUL character cannot be stored or searched."
            if any(_too_large(value.strip(INT_WHITESPACE)) for value in values):
                return "A number is too large."
    for key, values in query.lists():
        if any(len(value) > MAX_QUERY_VALUE_LENGTH for value in values):
            return f"A value in the address is longer than {MAX_QUERY_VALUE_LENGTH} characters."
        parts = DATE_PARTS.intersection(key.split("__"))
        allowed = YEAR_RANGE if YEAR_PARTS & parts else DATE_PART_RANGE
        if parts and not all(_is_date_part(value, allowed) for value in values):
            return f"{key} must be a whole number from {allowed.start} to {allowed.stop - 1}."
    return ""


def _too_large(text: str) -> bool:
    return bool(WHOLE_NUMBER.fullmatch(text)) and abs(int(text)) > MAX_INTEGER


def _is_date_part(value: str, allowed: range) -> bool:
    parts = [part.strip(INT_WHITESPACE) for part in value.split(",")]
    return all(part.isdecimal() and int(part) in allowed for part in parts)


class BoundedInputMiddleware:
    """Refuse (400) parameters no field or filter can take before any view sends them to the database.

    One place for every form and every admin filter: PostgreSQL refuses NUL in text (DataError), and
    a date-part filter such as `?start_date__year=2147483648` overflows Python's date (OverflowError);
    both were 500s.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = input_problem(request.GET, request.POST if request.method == "POST" else QueryDict())
        if problem:
            return render(request, "400.html", {"problem": problem}, status=400)
        return self.get_response(request)


# What django-csp's decorators and nonces leave on a response or request for the middleware to read.
CSP_RESPONSE_PARTS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt",
                      "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro", "_csp_exempt_ro")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy the settings give built once per process.

    django-csp builds the header, and a report-only one, from the settings on every response
    (0.13 ms CPU of a 3 ms plan page, measured). The pages here use neither nonces nor per-view
    policies; a response that does, and any setting beyond the one policy (report-only, excluded
    prefixes), goes through django-csp unchanged.
    """

    @cached_property
    def settings_policy(self) -> str:
        return build_policy()

    @cached_property
    def only_the_settings_policy(self) -> bool:
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        return (bool(self.settings_policy) and not build_policy(report_only=True)
                and not policy.get("EXCLUDE_URL_PREFIXES"))

    def process_response(self, request, response):
        if (not self.only_the_settings_policy or settings.DEBUG or getattr(request, "_csp_nonce", None) is not None
                or any(hasattr(response, part) for part in CSP_RESPONSE_PARTS)):
            return super().process_response(request, response)
        if HEADER not in response:
            response[HEADER] = self.settings_policy
        # As django-csp does: a nonce asked for after the header was written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
