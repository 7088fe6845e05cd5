"""Logging in while django-axes counts failures: the forms say when an account is locked.

Axes refuses a locked account inside `authenticate()`, so the login form only sees
"no user" and would say the password was wrong, which sends a reader to try again
and lengthens the lock. These forms tell them to wait instead, on the desk's login
page and on the admin's; the lockout response keeps that page and answers 429.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import ngettext


def cool_off() -> dt.timedelta:
    value = settings.AXES_COOLOFF_TIME
    return value if isinstance(value, dt.timedelta) else dt.timedelta(hours=float(value or 0))


def lockout_message() -> str:
    minutes = max(1, round(cool_off().total_seconds() / 60))
    wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    return f"Too many failed logins: try again in {wait} or ask an admin."


class LockoutAwareMixin:
    request: HttpRequest | None

    def get_invalid_login_error(self) -> forms.ValidationError:
        if getattr(self.request, "axes_locked_out", False):
            return forms.ValidationError(lockout_message(), code="locked_out")
        return super().get_invalid_login_error()  # type: ignore[misc]


class LoginForm(LockoutAwareMixin, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Your username and password didn't match. Please try again.",
    }


class AdminLoginForm(LockoutAwareMixin, AdminAuthenticationForm):
    pass


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page as rendered (with the message), as a 429."""
    if isinstance(original_response, HttpResponse):
        response = original_response
    else:
        response = HttpResponse(lockout_message(), content_type="text/plain; charset=utf-8")
    response.status_code = 429
    response.reason_phrase = "Too Many Requests"
    response["Retry-After"] = str(int(cool_off().total_seconds()))
    return response
