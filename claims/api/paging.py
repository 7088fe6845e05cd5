"""Pages of the API's lists.

`DeskPagination` pages the lists (`?page=`, `?page_size=`) in DRF's shape. `paged` is for
a list answered a page at a time while it stays a JSON list: the page in `?page=`
and `?page_size=`, the way on in a `Link` header (RFC 8288, as GitHub's API pages) and
the whole length in `X-Total-Count`. For answers that were bare lists before they were
paged (a story's candidates): a client that reads the list keeps working, and a list
of common length is answered whole, without links."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiParameter
from rest_framework.pagination import PageNumberPagination
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


# The desk's lists (claims, flags, sources ...): `?page_size=` from 1 to this; a client
# syncing the claim base reads it in fewer, larger pages.
MAX_PAGE_SIZE = 200


class DeskPagination(PageNumberPagination):
    """DRF's numbered pages (`count`, `next`, `previous`, `results`) with `?page_size=`,
    which answers 400 when it is not a whole number from 1 to MAX_PAGE_SIZE, rather than
    quietly answering another size."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        default = self.page_size or MAX_PAGE_SIZE
        return _positive(request, "page_size", default, MAX_PAGE_SIZE)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["description"] = (
                    f"Items per page, 1 to {MAX_PAGE_SIZE} (default {self.page_size})."
                )
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                }
        return parameters


# One whole sentence per parameter (the parameter's name itself stays as the URL has it).
_BAD = {"page": gettext_lazy("Bad page."), "page_size": gettext_lazy("Bad page_size.")}


def _positive(request: Request, name: str, default: int, most: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1 or (most is not None and value > most):
        if most is not None:
            field = gettext("A whole number, 1 to %(most)s.") % {"most": most}
        else:
            field = gettext("A whole number, 1 or more.")
        raise InvalidInput(str(_BAD[name]), errors={name: [field]})
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
