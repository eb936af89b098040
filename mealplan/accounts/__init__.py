"""Accounts: the sign-in and password-reset pages (urls, views) behind the throttles (throttle),
and sessions read with their person (sessions).

The authentication backend stays at mealplan/auth.py: every session stores its import path."""
