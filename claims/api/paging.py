"""A list answered a page at a time while it stays a JSON list: the page in `?page=`
and `?page_size=`, the way on in a `Link` header (RFC 8288, as GitHub's API pages) and
the whole length in `X-Total-Count`. For answers that were bare lists before they were
paged (a story's candidates): a client that reads the list keeps working, and a list
of common length is answered whole, without links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from claims.errors import InvalidInput

T = TypeVar("T")

# A story's candidates per answer: a 50 KB story holds some 700 in figure-dense copy,
# a story at the cap some 1,500. 500 candidates are some 400 KB of JSON.
EXTRACT_PAGE_SIZE = 500

# The query parameters and the response headers of a paged list, for the OpenAPI schema.
PAGE_PARAMETERS = [
    OpenApiParameter("page", int, description="The page, from 1 (an empty list past the end)."),
    OpenApiParameter(
        "page_size", int, description=f"Items per page, 1 to {EXTRACT_PAGE_SIZE} (the default)."
    ),
    OpenApiParameter(
        "Link",
        str,
        location=OpenApiParameter.HEADER,
        response=[200],
        description="The next and previous pages, when there are any (rel=next, rel=prev).",
    ),
    OpenApiParameter(
        "X-Total-Count",
        int,
        location=OpenApiParameter.HEADER,
        response=[200],
        description="How many items there are on all pages together.",
    ),
]


def _positive(request: Request, name: str, default: int, most: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (most is not None and value > most):
        bound = f"1 to {most}" if most is not None else "1 or more"
        raise InvalidInput(f"Bad {name}.", errors={name: [f"A whole number, {bound}."]})
    return value


def paged(
    request: Request, items: Sequence[T], most: int = EXTRACT_PAGE_SIZE
) -> tuple[Sequence[T], dict[str, str]]:
    """The page of `items` the request asks for, and the headers that say where the others
    are. Both parameters are checked before anything is answered (a 400 names the bad one)."""
    page = _positive(request, "page", 1)
    size = _positive(request, "page_size", most, most)
    chunk = items[(page - 1) * size : page * size]
    links = []
    if page * size < len(items):
        links.append(f'<{_url(request, page + 1)}>; rel="next"')
    if page > 1:
        last = max(1, -(-len(items) // size))
        links.append(f'<{_url(request, min(page - 1, last))}>; rel="prev"')
    headers = {"X-Total-Count": str(len(items))}
    if links:
        headers["Link"] = ", ".join(links)
    return chunk, headers


def _url(request: Request, page: int) -> str:
    query = request.query_params.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(request.path) + "?" + query.urlencode()
