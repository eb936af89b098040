"""Whole signed-in pages kept in the worker's memory, each response with its own CSRF token.

A page that shows the same thing on every visit (the plan page: one person's view of one plan,
while it is unchanged) is rendered once per version and then served from the default cache,
which is each worker's own memory (config/cache.py). Rendering it, even from cached fragments,
cost more CPU than the rest of the request. Only the CSRF token differs between two visits: the
page is rendered with a placeholder in its place, and every response gets a freshly masked token
(BREACH protection as Django's own tag gives it).

The key must name everything the page shows, base.html's parts included: the person (name, staff
flag) and the navigation. A page with messages to show is rendered afresh (the messages are read,
and so consumed, by that rendering).
"""

import hashlib
import secrets

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

PAGE_SECONDS = 86400
# Unguessable in each process, so no text a person entered can contain it.
TOKEN_HOLE = f"csrf-token-{secrets.token_hex(16)}"


def render_page(request, template: str, context: dict, *, shows: tuple) -> HttpResponse:
    """`template` with `context`, rendered once for each distinct `shows` (everything the page depends on
    besides the person signed in and the CSRF token) and then served from this worker's cache."""
    if get_messages(request):
        return render(request, template, context)
    user = request.user
    key = "page:" + hashlib.sha256(repr((template, user.pk, user.get_username(), user.is_staff, *shows)).encode()).hexdigest()
    page = cache.get(key)
    if page is None:
        page = render_to_string(template, context | {"csrf_token": TOKEN_HOLE}, request)
        cache.set(key, page, PAGE_SECONDS)
    return HttpResponse(page.replace(TOKEN_HOLE, get_token(request)))
