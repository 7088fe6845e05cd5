"""A source's track record: how the claims it makes fared, and a claim's corroboration.

A source's claims are those it says (`Attribution.SAYS_SO`: attributed to it or
corroborated by it; a source that contradicts a claim is not judged by it). Each is
counted once, by the desk's decision (`OUTCOMES`), in the month it was reported.
A conflict about figures that a person resolved by siding with one claim
(`Flag.resolution_claim`) was lost by the sources of the flag's other claims; a source
with claims on both sides lost it too, as one of its figures did not stand.

Two queries for any number of claims: one count of the claims by month and
decision, one count of the flags over them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, DateField, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate, TruncMonth

from claims.checks import corroboration
from claims.checks.types import CONTRADICTION_KINDS
from claims.models import Attribution, Claim, Flag, Source, Status
from claims.track_chart import TrackChart, build_track_chart

# The desk's decisions a track record counts, under the names the API answers with:
# the claim's status, as the fact-checker decided it. New and in-review claims are not
# judged yet; a retracted one was withdrawn by the desk, which says nothing of its source.
OUTCOMES: Mapping[str, str] = {
    "verified": Status.VERIFIED,
    "attributed": Status.ATTRIBUTED,
    "disputed": Status.DISPUTED,
    "false": Status.FALSE,
}
OUTCOME_OF_STATUS = {status: name for name, status in OUTCOMES.items()}

# The open flags a track record counts: those that question a claim's figure or verdict.
# Overdue reviews, stale decisions and dead links are the desk's business, not the source's.
QUESTIONING_KINDS = CONTRADICTION_KINDS

# The months the chart draws at most, ending with the latest month with a claim.
CHART_MONTHS = 24


@dataclass(frozen=True)
class MonthCounts:
    month: dt.date  # the first day of the month
    counts: Mapping[str, int]  # OUTCOMES name -> claims

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class TrackRecord:
    verified: int = 0
    attributed: int = 0
    disputed: int = 0
    false: int = 0
    lost_conflicts: int = 0
    open_flags: int = 0
    # Month by month, oldest first, every month from the first to the last with a claim.
    months: Sequence[MonthCounts] = field(default=())

    @property
    def decided(self) -> int:
        return self.verified + self.attributed + self.disputed + self.false

    def as_dict(self) -> dict[str, int]:
        return {
            "verified": self.verified,
            "attributed": self.attributed,
            "disputed": self.disputed,
            "false": self.false,
            "lost_conflicts": self.lost_conflicts,
            "open_flags": self.open_flags,
        }


def said_count(outcome: str) -> Count:
    """For a Source query: how many of its claims (those it says) were decided `outcome`,
    as the sources list shows beside each source, by the track record's rule."""
    return Count(
        "attributions__claim",
        filter=Q(
            attributions__role__in=Attribution.SAYS_SO,
            attributions__claim__status=OUTCOMES[outcome],
        ),
        distinct=True,
    )


def claims_said_by(source: Source | int) -> QuerySet[Attribution, Any]:
    """The ids of the claims a source says, as a subquery."""
    return Attribution.objects.filter(source=source, role__in=Attribution.SAYS_SO).values(
        "claim_id"
    )


# The month a claim counts in: the day it was reported, or logged when that is unknown.
_MONTH = TruncMonth(
    Coalesce("reported_on", TruncDate("created_at"), output_field=DateField()),
    output_field=DateField(),
)


def source_track_record(*, source: Source | int) -> TrackRecord:
    """How the claims `source` says fared, month by month, with the conflicts its
    figures lost and the open flags that question them. Two queries."""
    said = claims_said_by(source)
    rows = (
        Claim.objects.filter(pk__in=said, status__in=OUTCOMES.values())
        .annotate(month=_MONTH)
        .values("month", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_month: dict[dt.date, dict[str, int]] = {}
    totals = dict.fromkeys(OUTCOMES, 0)
    for row in rows:
        name = OUTCOME_OF_STATUS[row["status"]]
        month = _as_date(row["month"])
        by_month.setdefault(month, dict.fromkeys(OUTCOMES, 0))[name] += row["n"]
        totals[name] += row["n"]
    flags = Flag.claims.through.objects.filter(claim_id__in=said).aggregate(
        open_flags=Count(
            "flag_id",
            filter=Q(flag__status__in=Flag.UNRESOLVED, flag__kind__in=QUESTIONING_KINDS),
            distinct=True,
        ),
        lost_conflicts=Count(
            "flag_id",
            filter=Q(flag__status=Flag.Status.RESOLVED, flag__resolution_claim__isnull=False)
            & ~Q(claim_id=F("flag__resolution_claim")),
            distinct=True,
        ),
    )
    return TrackRecord(
        **totals,
        lost_conflicts=flags["lost_conflicts"],
        open_flags=flags["open_flags"],
        months=_every_month(by_month),
    )


def _as_date(value: Any) -> dt.date:
    # SQLite answers a truncated date as text; PostgreSQL as a date.
    return dt.date.fromisoformat(str(value)[:10]) if not isinstance(value, dt.date) else value


def _every_month(by_month: Mapping[dt.date, Mapping[str, int]]) -> list[MonthCounts]:
    """The months from the first to the last with a claim, the empty ones too (a gap
    is news on a chart), at most the latest CHART_MONTHS."""
    if not by_month:
        return []
    first, last = min(by_month), max(by_month)
    months: list[MonthCounts] = []
    month = last
    while month >= first and len(months) < CHART_MONTHS:
        months.append(MonthCounts(month, dict(by_month.get(month, dict.fromkeys(OUTCOMES, 0)))))
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months[::-1]


# ---------------------------------------------------------------------------
# Corroboration: which of a claim's sources stand on each other


@dataclass(frozen=True)
class DependentPair:
    first: Source
    second: Source
    # The sources both stand on, named: one of the two, or a third they both relay.
    through: Sequence[str]

    @property
    def words(self) -> str:
        """Why the two are not independent: "AFP relays the Observatory", "AFP and
        Reuters both relay the Observatory"."""
        first, second = self.first.name, self.second.name
        if first in self.through and second in self.through:
            return f"{first} and {second} relay each other"
        if first in self.through:
            return f"{second} relays {first}"
        if second in self.through:
            return f"{first} relays {second}"
        return f"{first} and {second} both relay {' and '.join(self.through)}"


@dataclass(frozen=True)
class Corroboration:
    sources: Sequence[Source]  # the sources that say what the claim says
    dependent: Sequence[DependentPair]
    corroborated: bool  # two of them independent of each other


def independence_links() -> dict[int, list[int]]:
    """The register's independence links, source id -> the ids it is not independent
    of: one query for the whole register (admins keep it; it is small)."""
    return _links_and_names()[0]


def _links_and_names() -> tuple[dict[int, list[int]], dict[int, str]]:
    """The independence links, and the names of the sources they lead to, in one query."""
    links: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    rows = Source.depends_on.through.objects.values_list(
        "from_source_id", "to_source_id", "to_source__name"
    )
    for source_id, parent_id, parent_name in rows:
        links.setdefault(source_id, []).append(parent_id)
        names[parent_id] = parent_name
    return links, names


def sources_say_so(claim: Claim) -> list[Source]:
    """The claim's sources that say what it says, each once (from its attributions,
    prefetched with their sources by `Claim.objects.with_related`)."""
    seen: dict[int, Source] = {}
    for a in claim.attributions.all():
        if a.role in Attribution.SAYS_SO:
            seen.setdefault(a.source_id, a.source)
    return list(seen.values())


def claim_corroboration(claim: Claim) -> Corroboration:
    """Whether the claim is confirmed by two sources independent of each other, and
    which of its sources are not (`claims.checks.corroboration`). No query with fewer
    than two sources; else one, for the register's links and the names they lead to."""
    sources = sources_say_so(claim)
    if len(sources) < 2:
        return Corroboration(sources, [], False)
    links, names = _links_and_names()
    by_id = {s.pk: s for s in sources}
    names.update((pk, s.name) for pk, s in by_id.items())
    pairs = [
        DependentPair(by_id[d.first], by_id[d.second], sorted(names[pk] for pk in d.through))
        for d in corroboration.dependences(by_id, links)
    ]
    return Corroboration(sources, pairs, corroboration.is_corroborated(by_id, links))


def track_record_chart(record: TrackRecord, *, name: str) -> TrackChart | None:
    """The month-by-month chart of a track record, for the source page and the admin."""
    return build_track_chart([(m.month, m.counts) for m in record.months], name=name)
