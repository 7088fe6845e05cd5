"""The claims list of the API, read as plain values.

`ClaimSerializer` answers a claim field by field through DRF: for a page of 100 claims
that is some 3,700 fields, each looked up and converted on its own, and it cost ten
times the rest of the request. The list reads the same columns with `values()` and
writes each claim as a dict in one pass here, with its sources, topics and desk figure
read in one query each for the whole page. The JSON is the serializer's, byte for byte:
tests/api/test_list_rows.py compares the two over varied claims, and fails when the
serializer gains a field this module does not write. Until it does write it, the list
goes back to the serializer (`serves_the_serializer`), so an answer is never short of
a field. Writes and a single claim's answer keep the serializer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, tzinfo
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from claims.models import Attribution, CheckPolicy, Claim
from claims.timeline import desk_figures_of
from claims.wording import format_figure

# What ClaimSerializer answers, in its order.
FIELDS = (
    "id",
    "text",
    "normalised",
    "story",
    "story_start",
    "story_end",
    "reported_on",
    "value_low",
    "value_high",
    "qualifier",
    "unit",
    "is_projection",
    "event",
    "population",
    "figure",
    "desk_figure",
    "place",
    "period_start",
    "period_end",
    "period_kind",
    "time_expression",
    "sources",
    "language",
    "incident",
    "topics",
    "status",
    "credibility",
    "verdict",
    "assignee",
    "priority",
    "due_at",
    "decided_at",
    "version",
    "merged_into",
    "created_by",
    "created_at",
    "updated_at",
)

# The columns read for them.
COLUMNS = (
    "id",
    "text",
    "normalised",
    "story_id",
    "story_start",
    "story_end",
    "reported_on",
    "value_low",
    "value_high",
    "qualifier",
    "unit",
    "is_projection",
    "event",
    "population",
    "place_id",
    "place__name",
    "place__country",
    "place__kind",
    "period_start",
    "period_end",
    "period_kind",
    "time_expression",
    "language",
    "incident_id",
    "status",
    "credibility",
    "verdict_id",
    "assignee__username",
    "priority",
    "due_at",
    "decided_at",
    "version",
    "merged_into_id",
    "created_by__username",
    "created_at",
    "updated_at",
    # Annotated by Claim.objects.with_related(): how wide "about" is, for `figure`.
    "policy_tolerance",
)

_serves: bool | None = None


def serves_the_serializer() -> bool:
    """Whether this module writes every field ClaimSerializer answers, in its order."""
    global _serves
    if _serves is None:
        from claims.api.serializers import ClaimSerializer

        _serves = tuple(ClaimSerializer().fields) == FIELDS
    return _serves


class CountedRows:
    """The values of a list's claims, counted from the claims themselves: the joins the
    values read (place, assignee, author) kept PostgreSQL from counting 100,000 claims
    through an index, and counting them took four times as long."""

    def __init__(self, claims: QuerySet[Claim]) -> None:
        self.claims = claims
        self.values = claims.prefetch_related(None).values(*COLUMNS)

    @property
    def ordered(self) -> bool:  # read by Django's Paginator
        return self.values.ordered

    def count(self) -> int:
        return self.claims.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: Any) -> Any:
        return self.values[key]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.values)


def claim_values(claims: QuerySet[Claim]) -> Any:
    """The list's claims (a queryset of `Claim.objects.with_related()`) as the values this
    module writes from; page it, then pass the page to `claim_rows`. (A CountedRows, which
    the paginators take as they take a queryset.)"""
    return CountedRows(claims)


def claim_rows(page: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """A page of `claim_values` as ClaimSerializer would answer it: three queries (the
    claims' sources, topics and desk figures), none when the page is empty."""
    if not page:
        return []
    ids = [row["id"] for row in page]
    sources = _sources(ids)
    topics = _topics(ids)
    desk = desk_figures_of(ids)
    zone = timezone.get_current_timezone()
    tolerance: float | None = None
    out = []
    for row in page:
        pk, low = row["id"], row["value_low"]
        figure = ""
        if low is not None:
            if tolerance is None:
                tolerance = _tolerance(row["policy_tolerance"])
            figure = format_figure(low, row["value_high"], row["qualifier"], tolerance)
        desk_figure = desk.get(pk)
        out.append(
            {
                "id": pk,
                "text": row["text"],
                "normalised": row["normalised"],
                "story": row["story_id"],
                "story_start": row["story_start"],
                "story_end": row["story_end"],
                "reported_on": _date(row["reported_on"]),
                "value_low": low,
                "value_high": row["value_high"],
                "qualifier": row["qualifier"],
                "unit": row["unit"],
                "is_projection": row["is_projection"],
                "event": row["event"],
                "population": row["population"],
                "figure": figure,
                "desk_figure": desk_figure.as_dict() if desk_figure else None,
                "place": (
                    None
                    if row["place_id"] is None
                    else {
                        "id": row["place_id"],
                        "name": row["place__name"],
                        "country": row["place__country"],
                        "kind": row["place__kind"],
                    }
                ),
                "period_start": _date(row["period_start"]),
                "period_end": _date(row["period_end"]),
                "period_kind": row["period_kind"],
                "time_expression": row["time_expression"],
                "sources": sources.get(pk, []),
                "language": row["language"],
                "incident": row["incident_id"],
                "topics": topics.get(pk, []),
                "status": row["status"],
                "credibility": row["credibility"],
                "verdict": row["verdict_id"],
                "assignee": row["assignee__username"],
                "priority": row["priority"],
                "due_at": _datetime(row["due_at"], zone),
                "decided_at": _datetime(row["decided_at"], zone),
                "version": row["version"],
                "merged_into": row["merged_into_id"],
                "created_by": row["created_by__username"],
                "created_at": _datetime(row["created_at"], zone),
                "updated_at": _datetime(row["updated_at"], zone),
            }
        )
    return out


def _tolerance(annotated: float | None) -> float:
    # The serializer reads the policy itself (creating its row when there is none yet).
    return CheckPolicy.load().approx_tolerance if annotated is None else annotated


def _sources(ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """AttributionSerializer's answers by claim, in the attributions' order."""
    found: dict[int, list[dict[str, Any]]] = {}
    rows = Attribution.objects.filter(claim_id__in=ids).values_list(
        "claim_id", "source_id", "source__name", "source__grade", "role", "source_text"
    )
    for claim, source, name, grade, role, words in rows:
        found.setdefault(claim, []).append(
            {"id": source, "name": name, "grade": grade, "role": role, "source_text": words}
        )
    return found


def _topics(ids: list[int]) -> dict[int, list[str]]:
    """Each claim's topic names, in the topics' order (by name)."""
    found: dict[int, list[str]] = {}
    rows = (
        Claim.topics.through.objects.filter(claim_id__in=ids)
        .order_by("topic__name")
        .values_list("claim_id", "topic__name")
    )
    for claim, name in rows:
        found.setdefault(claim, []).append(name)
    return found


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: datetime | None, zone: tzinfo) -> str | None:
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone, UTC as Z."""
    if not value:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
