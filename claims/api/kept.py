"""Answers of the claims list, kept until what they were read from changes.

Clients page through the list and poll it (a newsroom's dashboard, a mirror, a sync
script), and between two writes every such request reads the same rows again. At
100,000 claims a page of 100 cost some 10 ms of Django and PostgreSQL time, where the
same JSON from memory takes a third of that. So a JSON answer is kept in the cache
under a key that holds the list's stamp, which migration 0033_list_stamp moves with
every committed write to the tables the list or its filters read: a kept answer is
never found once the data changed, and is dropped by the cache in time.

Order matters: the stamp is read before the rows. Read after them, a write committed in
between would file old rows under the new stamp; read before, the same write files new
rows under the old stamp, which no request reads once the new one is seen.

The key also holds everything else an answer depends on: the address (filters, page,
host and scheme of the links), the renderer and media type, the language and time zone,
the requester's roles, and for `?mine=` the requester. People without a role see no
claims, so their answers are not kept. The ETag is the key's digest: a client that sends
it back is answered 304 Not Modified while nothing has changed.

PostgreSQL only (the stamp is kept by triggers, see the migration); elsewhere every
request reads the rows.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.translation import get_language
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from claims import roles

# Long enough for a client paging through the list; the stamp, not this, says when an
# answer is out of date.
KEEP_SECONDS = 600

# Filters whose answer depends on who asks (claims.filters.ClaimFilter).
PER_USER = frozenset({"mine"})

STAMP_SQL = "SELECT string_agg(stamp::text, '.' ORDER BY slot) FROM claims_list_stamp"


def list_stamp(using: str = DEFAULT_DB_ALIAS) -> str | None:
    """The stamp of the data the claims list reads; None where the database keeps none."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(STAMP_SQL)
        row = cursor.fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class KeptAnswer:
    """Where the answer to one request of the list is kept."""

    key: str
    etag: str

    @classmethod
    def of(cls, request: Request) -> KeptAnswer | None:
        """The place of this request's answer, or None when it is not kept."""
        renderer = request.accepted_renderer
        held = roles.role_names(request.user)
        if not isinstance(renderer, JSONRenderer) or not held:
            return None
        stamp = list_stamp()
        if not stamp:
            return None
        facets = [
            stamp,
            # Every role sees every claim and field today; keyed by them all the same, so
            # that a role given less to see later is never answered another's list.
            ",".join(sorted(held)),
            request.build_absolute_uri(),
            type(renderer).__qualname__,
            request.accepted_media_type or "",
            get_language() or "",
            timezone.get_current_timezone_name(),
        ]
        if PER_USER.intersection(request.query_params):
            facets.append(f"user {request.user.pk}")
        digest = hashlib.sha256("\n".join(facets).encode()).hexdigest()[:40]
        return cls(key=f"claims-list:{digest}", etag=f'"{digest}"')

    def answer(self, request: Request) -> HttpResponseBase | None:
        """The kept answer (304 when the client holds it already), or None."""
        not_modified = get_conditional_response(request, etag=self.etag)
        if not_modified is not None:
            not_modified["ETag"] = self.etag
            return not_modified
        kept = cache.get(self.key)
        if kept is None:
            return None
        content_type, body = kept
        response = HttpResponse(body, content_type=content_type)
        response["ETag"] = self.etag
        return response

    def keep(self, request: Request, response: Response, context: dict[str, object]) -> Response:
        """Render `response` now rather than after the view, and keep its bytes."""
        if response.status_code != 200:
            return response
        response.accepted_renderer = request.accepted_renderer
        response.accepted_media_type = request.accepted_media_type
        response.renderer_context = context  # type: ignore[attr-defined]  # read by render()
        response.render()
        response["ETag"] = self.etag
        cache.set(self.key, (response["Content-Type"], response.content), KEEP_SECONDS)
        return response
