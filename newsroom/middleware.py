"""Response headers the whole site shares, and where a request comes from."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers

from claims.errors import DomainError

# Every answer under it belongs to one reader: the schema and docs too are for signed-in users.
API_PREFIX = "/api/"


def client_ip(request: HttpRequest) -> str:
    """The address that sent the request, as the login lockout and API throttles count it.

    X-Forwarded-For is only believed for the NUM_PROXIES proxies that settings say
    stand in front of the site, each of which appends the address it saw: a client
    writes whatever it likes at the left of that header, so trusting more of it would
    let a guesser pick a fresh address for every password. Same reading as DRF's.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies: int = getattr(settings, "NUM_PROXIES", 0) or 0
    if proxies > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if forwarded:
            candidate = forwarded[-min(proxies, len(forwarded))]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass  # a proxy that passes garbage on: fall back to the socket's address
    return remote


class SecurityHeadersMiddleware:
    """Permissions-Policy on every page; API answers kept out of shared caches.

    An API answer depends on the Authorization header (a token) or the session: a
    shared cache that stored one could hand a reader's claims to the next client, so
    such answers are `private` and vary on Authorization (the session middleware
    already adds `Vary: Cookie`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        if request.path_info.startswith(API_PREFIX) or "HTTP_AUTHORIZATION" in request.META:
            patch_vary_headers(response, ("Authorization",))
            patch_cache_control(response, private=True)
        return response


class DomainErrorMiddleware:
    """A domain error that a page did not answer itself, answered as the API answers
    it (`claims.api.errors`): 400, 403 or 409 with its message and field messages. A
    search that no query can hold (a NUL byte in `?q=`) is the usual one; a page with
    a form catches its service's errors and shows them on the form instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        ctx = {
            "title": "Not done" if exception.status_code != 400 else "Check what you sent",
            "message": exception.message,
            "errors": sorted(exception.errors.items()),
        }
        return render(request, "error.html", ctx, status=exception.status_code)
