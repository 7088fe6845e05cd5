"""What every page module shares."""

from __future__ import annotations

from claims.errors import DomainError

# Long lists paginate at this many rows.
PAGE_SIZE = 50


def error_text(exc: DomainError) -> str:
    """A domain error as one sentence for the page's messages."""
    detail = " ".join(m for msgs in exc.errors.values() for m in msgs)
    return f"{exc.message} {detail}".strip()
