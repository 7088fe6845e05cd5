"""The claims list of the API, read as plain values.

`ClaimSerializer` answers a claim field by field through DRF: for a page of 100 claims
that is some 3,700 fields, each looked up and converted on its own, and it cost ten
times the rest of the request. The list reads the same columns with `values()` and
writes each claim as a dict in one pass here. The JSON is the serializer's, byte for
byte: tests/api/test_list_rows.py compares the two over varied claims, and fails when
the serializer gains a field this module does not write. Until it does write it, the
list goes back to the serializer (`serves_the_serializer`), so an answer is never short
of a field. Writes and a single claim's answer keep the serializer.

At 100,000 claims a page of 100 cost some 13 ms over a constant answer of the same
JSON, besides the exact count (10 ms); the database's part was some 2 ms, the rest was
Django building and reading seven queries. So a page is one query: each claim's sources,
topics and desk figure ride in it as JSON arrays from correlated subqueries (a few index
lookups per claim), where a query each for the page cost some 2 ms apiece. Its time
stamps are read as text and parsed by `datetime.fromisoformat`, 0.5 µs each, where the
time zone loader Django gives psycopg took 6 µs and more (a page has some 300). And an
unfiltered list takes its count from the count of current claims PostgreSQL keeps
(migration 0030_claim_count) instead of counting 100,000 claims.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import (
    Aggregate,
    F,
    Func,
    JSONField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.expressions import RowRange, Window
from django.utils import timezone

from claims.models import Attribution, Claim, Source, read_tolerance
from claims.querysql import where_sql
from claims.timeline import DeskFigure, desk_figure_flags
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
    "version",
    "merged_into_id",
    "created_by__username",
    # Annotated by Claim.objects.with_related(): how wide "about" is, for `figure`.
    "policy_tolerance",
)

# The time stamps, read as text (`_datetime`).
TIMES = ("due_at", "decided_at", "created_at", "updated_at")


class _Json(Func):
    """A JSON array of columns. Django's JSONArray casts each value on PostgreSQL (which
    query parameters need, and columns do not): some twenty casts a page, a third of a
    millisecond of Django's time for nothing."""

    function = "JSON_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="JSONB_BUILD_ARRAY", **extra)


class _Text(Func):
    """A time stamp as the database writes it: on PostgreSQL in the connection's zone
    (UTC) with its offset; SQLite stores it as text in UTC, without one (cast, or the
    sqlite3 module would read it by the column's declared type)."""

    template = "CAST(%(expressions)s AS text)"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, template="(%(expressions)s)::text", **extra)


class _JsonGroupArray(Aggregate):
    """SQLite's json_group_array: rows' values as one JSON array."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()
    window_compatible = True


def _json_list(rows: QuerySet[Any], value: Any, order_by: Any, vendor: str) -> Subquery:
    """The values of `rows` (one claim's) as one JSON array, in the order of `order_by`."""
    if vendor == "postgresql":
        listed: Any = JSONBAgg(value, order_by=order_by)
        found = rows.values("claim").annotate(listed=listed).values("listed")
    else:
        # SQLite before 3.44 takes no ORDER BY inside an aggregate, but orders a window
        # (one over the whole group, which gives each row the whole array). PostgreSQL
        # took half as long again over such a window as with the aggregate's ORDER BY.
        whole = RowRange(start=None, end=None)
        listed = Window(_JsonGroupArray(value), order_by=order_by, frame=whole)
        found = rows.annotate(listed=listed).values("listed")[:1]
    return Subquery(found, output_field=JSONField())


@functools.cache
def _related(vendor: str) -> dict[str, Any]:
    """Each claim's sources (AttributionSerializer's fields, in the attributions' order),
    topic names (in the topics' order, by name, as the database collates them) and desk
    figure (the flag `claims.timeline.desk_figure` would choose, its fields in
    DeskFigure's order), as JSON; and its time stamps as text. Made once per database
    vendor: the expressions are copied into each query that uses them."""
    attributions = Attribution.objects.filter(claim=OuterRef("pk")).order_by()
    topics = Claim.topics.through.objects.filter(claim=OuterRef("pk")).order_by()
    # The source by a subquery of its own rather than a join: joined, PostgreSQL hashed
    # the whole sources table once per claim, ten times the cost of looking each one up.
    source = (
        Source.objects.filter(pk=OuterRef("source_id"))
        .order_by()
        .values_list(_Json("id", "name", "grade"))
    )
    attribution = _Json(Subquery(source, output_field=JSONField()), "role", "source_text")
    figure = _Json("resolution_low", "resolution_high", "resolution_rule", "id", "resolution_note")
    return {
        "sources_json": _json_list(attributions, attribution, F("id").asc(), vendor),
        "topics_json": _json_list(topics, F("topic__name"), F("topic__name").asc(), vendor),
        "desk_json": Subquery(
            desk_figure_flags().filter(claims=OuterRef("pk")).values_list(figure)[:1],
            output_field=JSONField(),
        ),
        **{f"{name}_text": _Text(name) for name in TIMES},
    }


# What a page reads: the columns, then the annotations of `_related`.
READ = (*COLUMNS, "sources_json", "topics_json", "desk_json", *(f"{n}_text" for n in TIMES))


_serves: bool | None = None


def serves_the_serializer() -> bool:
    """Whether this module writes every field ClaimSerializer answers, in its order."""
    global _serves
    if _serves is None:
        from claims.api.serializers import ClaimSerializer

        _serves = tuple(ClaimSerializer().fields) == FIELDS
    return _serves


def current_claim_count(using: str = DEFAULT_DB_ALIAS) -> int:
    """How many claims are current (not merged into another). On PostgreSQL as the
    triggers of migration 0030_claim_count keep it, a few rows to add up where counting
    the claims took 10 ms at 100,000 of them; SQLite, which has no such triggers, counts."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return Claim.objects.using(using).current().count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(current), 0) FROM claims_claim_count")
        return int(cursor.fetchone()[0])


@functools.cache
def _current_conditions(using: str) -> tuple[str, tuple[Any, ...]] | None:
    """The conditions of `current()` as SQL, once per database."""
    return where_sql(Claim.objects.using(using).current())


def lists_every_current_claim(claims: QuerySet[Claim]) -> bool:
    """Whether `claims` are all the current claims: no condition but `current()` (a list
    without filters, in any order, for a user with a role). Told from the query itself
    rather than from the request, so that no filter, scope or slice added to the list
    later can be answered with the count of all claims."""
    query = claims.query
    if query.is_empty() or query.is_sliced or query.distinct or query.combinator:
        return False
    where = where_sql(claims)
    return where is not None and not query.extra and where == _current_conditions(claims.db)


class CountedRows:
    """The values of a list's claims, counted from the claims themselves (the joins the
    values read, place, assignee and author, kept PostgreSQL from counting 100,000 claims
    through an index, and counting them took four times as long), or from the kept count
    of current claims when the list is all of them."""

    def __init__(self, claims: QuerySet[Claim]) -> None:
        self.claims = claims
        related = _related(connections[claims.db].vendor)
        self.values = claims.prefetch_related(None).annotate(**related).values(*READ)

    @property
    def ordered(self) -> bool:  # read by Django's Paginator
        return self.values.ordered

    def count(self) -> int:
        if lists_every_current_claim(self.claims):
            return current_claim_count(self.claims.db)
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
    """A page of `claim_values` as ClaimSerializer would answer it, without a query."""
    zone = timezone.get_current_timezone()
    out = []
    for row in page:
        low = row["value_low"]
        figure = ""
        if low is not None:
            tolerance = read_tolerance(row["policy_tolerance"])
            figure = format_figure(low, row["value_high"], row["qualifier"], tolerance)
        desk = row["desk_json"]
        out.append(
            {
                "id": row["id"],
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
                "desk_figure": DeskFigure(*desk).as_dict() if desk else None,
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
                "sources": [
                    {"id": pk, "name": name, "grade": grade, "role": role, "source_text": words}
                    for (pk, name, grade), role, words in row["sources_json"] or ()
                ],
                "language": row["language"],
                "incident": row["incident_id"],
                "topics": row["topics_json"] or [],
                "status": row["status"],
                "credibility": row["credibility"],
                "verdict": row["verdict_id"],
                "assignee": row["assignee__username"],
                "priority": row["priority"],
                "due_at": _datetime(row["due_at_text"], zone),
                "decided_at": _datetime(row["decided_at_text"], zone),
                "version": row["version"],
                "merged_into": row["merged_into_id"],
                "created_by": row["created_by__username"],
                "created_at": _datetime(row["created_at_text"], zone),
                "updated_at": _datetime(row["updated_at_text"], zone),
            }
        )
    return out


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(text: str | None, zone: tzinfo) -> str | None:
    """As DRF's DateTimeField writes it: ISO 8601 in the current time zone, UTC as Z.
    From the database's text: PostgreSQL's in the connection's zone (UTC) with its offset,
    SQLite's in UTC without one."""
    if not text:
        return None
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
