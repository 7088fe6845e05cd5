"""What every page module shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from claims.errors import DomainError

# Long lists paginate at this many rows.
PAGE_SIZE = 50

T = TypeVar("T")


def error_text(exc: DomainError) -> str:
    """A domain error as one sentence for the page's messages."""
    detail = " ".join(m for msgs in exc.errors.values() for m in msgs)
    return f"{exc.message} {detail}".strip()


def get_or_404(read: Callable[..., T], what: str = "No such page.", **kwargs: Any) -> T:
    """One row through its selector (`selectors.claim_get(user=..., pk=...)`); a row the
    user may not see, or none, is a 404 alike, and so is an id that is not one ("abc",
    from an API URL), as DRF's own lookup answers it."""
    try:
        return read(**kwargs)
    except (ObjectDoesNotExist, TypeError, ValueError, OverflowError, ValidationError) as exc:
        raise Http404(what) from exc


def safe_next(request: HttpRequest) -> str:
    """The `next` the request names (posted, or in the URL), when it is a place on this
    site to go back to; "" otherwise. A link or redirect to anything else would let a
    crafted URL run `javascript:` on a click or send the reader to another site."""
    target = (request.POST.get("next") or request.GET.get("next") or "").strip()
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""
