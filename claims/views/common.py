"""What every page module shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

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
    user may not see, or none, is a 404 alike."""
    try:
        return read(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404(what) from exc
