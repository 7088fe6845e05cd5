"""The one Django module of the checks: load rows as facts, run the rules, sync Flags.

Syncing is idempotent: a finding is one Flag row by its fingerprint, however
often a scan runs. A flag in the scan's scope whose finding is gone is resolved
automatically with that reason; a dismissed (or resolved) flag stays so until
one of its claims changes after the decision. Every such move is written by
`services.flags_set_status` (or `flag_set_status`), as a person's answer is.

Scans read claims as plain rows and write flags in batches: a full scan of a
large claim base meets tens of thousands of findings, and one query or
instance per claim or finding is what would make it slow.

The scan after a save also runs the job that links the tolls of one incident
(`link_incident`): it reads the words that name the claim's incident, links it
on strong evidence and raises an informational `incident_suggested` flag on
weaker evidence; `fact_of_row` then gives each fact its incident.
"""

from __future__ import annotations

import gc
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import partial
from typing import Any, NamedTuple, TypeVar

from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Count, F, Model, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from claims.checks import (
    ClaimFact,
    EvidenceFact,
    Finding,
    Policy,
    find_contradictions,
    find_evidence_issues,
    find_stale,
)
from claims.checks import types as kinds
from claims.checks.duplicates import cluster_duplicates
from claims.checks.incidents import (
    MAX_REPORT_GAP_DAYS,
    NEVER,
    IncidentFacts,
    differences,
    match_incident,
)
from claims.checks.staleness import decision_age_limit
from claims.checks.types import make_claim_fact, make_finding
from claims.models import (
    Attribution,
    Claim,
    Evidence,
    Flag,
    FlagEvent,
    Incident,
    Place,
    ScanPart,
    ScanRun,
    Severity,
)
from claims.parsing.incidents import KINDS, IncidentMention, find_incident
from claims.querysql import where_sql
from claims.reading import ParsedFields
from claims.services import (
    flag_event,
    flag_set_status,
    flags_set_status,
    incident_link_by_job,
    incident_unlink_by_job,
)
from claims.services.notifications import queue_flags_raised

log = logging.getLogger(__name__)

SEVERITY = {
    "info": Severity.INFO,
    "low": Severity.LOW,
    "medium": Severity.MEDIUM,
    "high": Severity.HIGH,
}
AUTO_RESOLVED_NOTE = "The condition no longer holds: resolved by the scan."
FlagClaim = Flag.claims.through


def current_policy() -> Policy:
    """The admin-edited thresholds, read once per scan."""
    from claims.models import CheckPolicy

    return CheckPolicy.load().as_policy()


# ---------------------------------------------------------------------------
# Rows -> facts


class Places:
    """Every place's parent, loaded once per scan, to walk ancestors without queries."""

    def __init__(self) -> None:
        self.parent: dict[int, int | None] = {}
        self.name: dict[int, str] = {}
        self.kind: dict[int, str] = {}
        rows = Place.objects.order_by().values_list("id", "parent_id", "name", "kind")
        for pk, parent_id, name, kind in rows:
            self.parent[pk] = parent_id
            self.name[pk] = name
            self.kind[pk] = kind
        self._cache: dict[int, frozenset[int]] = {}

    def ancestors(self, place_id: int | None) -> frozenset[int]:
        if place_id is None:
            return frozenset()
        if place_id not in self._cache:
            seen: list[int] = []
            node = self.parent.get(place_id)
            while node is not None and node not in seen:
                seen.append(node)
                node = self.parent.get(node)
            self._cache[place_id] = frozenset(seen)
        return self._cache[place_id]

    def related(self, place_id: int) -> set[int]:
        """The place, the places it lies in and the places that lie in it."""
        inside = {other for other in self.parent if place_id in self.ancestors(other)}
        return {place_id, *self.ancestors(place_id), *inside}


# The columns a fact is made of, in the order fact_of_row reads them: the id first,
# the verdict's label last.
FACT_COLUMNS = (
    "id",
    "text",
    "normalised",
    "event",
    "unit",
    "population",
    "value_low",
    "value_high",
    "qualifier",
    "place_id",
    "country",
    "period_start",
    "period_end",
    "period_kind",
    "status",
    "decided_at",
    "due_at",
    "reported_on",
    "created_at",
    "updated_at",
    "is_projection",
    "incident_id",
    "incident__day",
    "incident_words__kind",
    "verdict__label",
)
Sources = tuple[tuple[str, str], ...]


def fact_of_row(row: Sequence[Any], sources: Sources, places: Places) -> ClaimFact:
    (
        pk,
        text,
        normalised,
        event,
        unit,
        population,
        value_low,
        value_high,
        qualifier,
        place_id,
        country,
        period_start,
        period_end,
        period_kind,
        status,
        decided_at,
        due_at,
        reported_on,
        created_at,
        updated_at,
        projection,
        incident,
        incident_day,
        named_kind,
        verdict,
    ) = row
    return make_claim_fact(
        id=pk,
        text=text,
        normalised=normalised,
        event=event or None,
        unit=unit or "people",
        population=population,
        value_low=value_low,
        value_high=value_high,
        qualifier=qualifier or None,
        place_id=place_id,
        place_name=places.name.get(place_id, "") if place_id else "",
        country=country,
        place_ancestors=places.ancestors(place_id),
        period_start=period_start,
        period_end=period_end,
        period_kind=period_kind or None,
        status=status,
        decided_at=decided_at,
        due_at=due_at,
        reported_on=reported_on,
        created_at=created_at,
        changed_at=updated_at,
        sources=sources,
        verdict=verdict or "",
        projection=bool(projection),
        incident=incident if incident is not None else own_incident(pk, named_kind, period_kind),
        incident_day=incident_day,
    )


def own_incident(claim_id: int, named_kind: str | None, period_kind: str | None) -> int | None:
    """The incident the checks give a claim linked to none. A toll whose words name an
    incident ("12 were killed in the market bombing on Saturday") is the toll of its own
    incident until it is linked (a key no Incident row has: minus its id), so that it is
    never weighed against the tolls of another attack in the same town on the same day.
    A claim that names none has none, and so has a count over a span or to date ("barrel
    bombs have killed 400 so far this month"): that counts a place and a period, not one
    event, and the usual rules weigh it."""
    if not named_kind or period_kind in ("span", "to_date"):
        return None
    return -claim_id


def reading_fact(
    text: str,
    read: ParsedFields,
    *,
    reported_on: date,
    at: datetime,
    ancestors: frozenset[int] = frozenset(),
) -> ClaimFact:
    """A parser's reading of ``text`` (say, a draft's sentence) as the fact of a new claim
    saved from it: its fields by the rule the desk stores them with (`claims.reading`),
    read as fact_of_row reads a row. It has no id (0), no sources and no decision."""
    fields, place = read.fields, read.place
    place_id = place.place_id if place else None
    return make_claim_fact(
        id=0,
        text=text,
        normalised="",
        event=fields.get("event") or None,
        unit=fields.get("unit") or "people",
        population=fields.get("population", "all"),
        value_low=fields.get("value_low"),
        value_high=fields.get("value_high"),
        qualifier=fields.get("qualifier") or None,
        place_id=place_id,
        place_name=place.name if place else "",
        country=place.country if place else "",
        place_ancestors=ancestors if place_id is not None else frozenset(),
        period_start=fields.get("period_start"),
        period_end=fields.get("period_end"),
        period_kind=fields.get("period_kind") or None,
        status="new",
        decided_at=None,
        due_at=None,
        reported_on=reported_on,
        created_at=at,
        changed_at=at,
        sources=(),
        projection=bool(fields.get("is_projection")),
    )


@contextmanager
def fast_timestamps() -> Iterator[None]:
    """Read timestamps with psycopg's C loader while the block runs.

    Django's own timestamptz loader subclasses psycopg's pure-Python one (to give each
    value the connection's time zone), and a full scan reads four timestamps a claim:
    on a large claim base their parsing was a third of reading the claims. The C
    loader gives the same values when the session's time zone is the one Django
    wants, which Django sets on every connection; otherwise nothing changes.
    """
    found = _c_timestamp_loader()
    if found is None:
        yield
        return
    oid, loader = found
    adapters = connection.connection.adapters
    django_loader = adapters.get_loader(oid, _TEXT)
    adapters.register_loader("timestamptz", loader)
    try:
        yield
    finally:
        adapters.register_loader("timestamptz", django_loader)


_TEXT = 0  # psycopg.pq.Format.TEXT, the format Django's queries read in


@contextmanager
def cycles_collected_after() -> Iterator[None]:
    """Hold Python's cycle collector while a scan runs.

    A scan makes a few objects for every claim and flag it reads, and keeps them all
    until it ends, so each collection the allocations set off walks everything made so
    far and frees nothing: at 100,000 claims that was a sixth of the staleness scan's
    time. Reference counting still frees what the scan drops; the cycles it leaves
    wait for the collector's next turn after the scan."""
    if not gc.isenabled():  # a scan inside another, or a caller that holds it already
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _c_timestamp_loader() -> tuple[int, type] | None:
    """A loader class for timestamptz that hands psycopg its C loader's `load`, or None
    where that would not give Django's values (another database, no C extension, a
    session whose time zone is not the connection's)."""
    if connection.vendor != "postgresql":
        return None
    import psycopg
    from psycopg.adapt import Loader

    connection.ensure_connection()
    conn = connection.connection
    oid = psycopg.adapters.types["timestamptz"].oid
    c_loader = psycopg.adapters.get_loader(oid, psycopg.pq.Format.TEXT)
    django_loader = conn.adapters.get_loader(oid, psycopg.pq.Format.TEXT)
    if c_loader is None or c_loader.__module__.startswith("psycopg.types"):
        return None  # the pure-Python implementation: nothing to gain
    zone = getattr(django_loader, "timezone", None)
    if zone is None or conn.info.timezone != zone:
        return None
    c_class: Any = c_loader

    class CTimestamptzLoader(Loader):
        # Django's cursor factory compares this with the connection's zone.
        timezone: tzinfo | None = zone

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            # psycopg calls the bound `load` of a Python loader: the C one's, so no
            # Python frame runs per value.
            self.load = c_class(oid, context).load  # type: ignore[method-assign]

        def load(self, data: Any) -> Any:  # replaced in __init__; Loader requires one
            raise NotImplementedError

    return oid, CTimestamptzLoader


def load_facts(
    claims: QuerySet[Claim], places: Places | None = None, *, batch: int = 10_000
) -> list[ClaimFact]:
    """The facts of ``claims``, read as plain rows a batch at a time.

    Model instances with prefetched attributions cost more than all the rules
    together on a large claim base; rows and one attribution query per batch
    do not.
    """
    with fast_timestamps():
        return _load_facts(claims, places, batch=batch)


def _load_facts(claims: QuerySet[Claim], places: Places | None, *, batch: int) -> list[ClaimFact]:
    places = places or Places()
    # A claim merged into another is on record only: the survivor speaks for it.
    claims = claims.filter(merged_into__isnull=True)
    rows = claims.order_by("pk").values_list(*FACT_COLUMNS)
    facts: list[ClaimFact] = []
    last = 0
    while True:
        chunk = list(rows.filter(pk__gt=last)[:batch])
        if not chunk:
            break
        first, last = chunk[0][0], chunk[-1][0]
        sources = _sources(claims.filter(pk__gte=first, pk__lte=last), first, last)
        facts.extend(fact_of_row(row, sources.get(row[0], ()), places) for row in chunk)
        if len(chunk) < batch:
            break
    return facts


# What the staleness rules read of a claim (checks/staleness.py): its words for the
# message, its status, when it was decided or is due, and the kind of its time frame.
STALE_COLUMNS = ("id", "text", "normalised", "status", "decided_at", "due_at", "period_kind")
# The time a fact read for staleness gives for what was not read (created, changed).
NOT_READ = datetime.min.replace(tzinfo=UTC)


def load_stale_facts(claims: QuerySet[Claim]) -> list[ClaimFact]:
    """The facts of ``claims`` as the staleness rules read them: STALE_COLUMNS only, no
    sources, places or verdicts. The hourly scan reads every claim decided too long ago
    (60,000 of 100,000 in a busy desk's base), and the columns, joins and sources of a
    full fact were most of its time."""
    with fast_timestamps():
        claims = claims.filter(merged_into__isnull=True)  # as load_facts reads them
        rows = list(claims.order_by("pk").values_list(*STALE_COLUMNS))
    return [
        make_claim_fact(
            id=pk,
            text=text,
            normalised=normalised,
            event=None,
            unit="people",
            population="all",
            value_low=None,
            value_high=None,
            qualifier=None,
            place_id=None,
            place_name="",
            country="",
            place_ancestors=frozenset(),
            period_start=None,
            period_end=None,
            period_kind=period_kind or None,
            status=status,
            decided_at=decided_at,
            due_at=due_at,
            reported_on=None,
            created_at=NOT_READ,
            changed_at=NOT_READ,
            sources=(),
        )
        for pk, text, normalised, status, decided_at, due_at, period_kind in rows
    ]


def _sources(claims: QuerySet[Claim], first: int, last: int) -> dict[int, Sources]:
    """(name, grade) of the sources each claim is attributed to, in the order they were
    added; the claims' ids lie from `first` to `last`."""
    rows = (
        Attribution.objects.filter(
            role=Attribution.Role.ATTRIBUTED_TO,
            # The range as well as the claims: without it PostgreSQL read every
            # attribution for each batch of 10,000 claims (twice the time at 100,000).
            claim_id__gte=first,
            claim_id__lte=last,
            claim_id__in=claims.order_by().values("pk"),
        )
        .order_by("id")
        .values_list("claim_id", "source__name", "source__grade")
    )
    found: dict[int, list[tuple[str, str]]] = {}
    for claim_id, name, grade in rows:
        found.setdefault(claim_id, []).append((name, grade))
    return {claim_id: tuple(pairs) for claim_id, pairs in found.items()}


def _facts_query(qs: QuerySet[Claim]) -> QuerySet[Claim]:
    return qs.select_related("verdict").prefetch_related(
        Prefetch(
            "attributions",
            queryset=Attribution.objects.filter(role=Attribution.Role.ATTRIBUTED_TO)
            .select_related("source")
            .only("claim_id", "source__name", "source__grade"),
        )
    )


def _evidence_facts(qs: QuerySet[Evidence]) -> list[EvidenceFact]:
    return [
        EvidenceFact(
            id=e.pk,
            claim_id=e.claim_id,
            url=e.url,
            decided_sha256=e.captured_sha256,
            last_status=e.last_status,
            last_sha256=e.last_sha256,
            last_error=e.last_error,
            checked_at=e.checked_at,
        )
        for e in qs
    ]


# ---------------------------------------------------------------------------
# Scans

VERDICT_STATUSES = ("verified", "false")


def scan_claim_block(claim_id: int) -> int:
    """After one claim is saved: compare it with its block, sync the flags that involve it."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None or claim.merged_into_id is not None:
        return 0
    places = Places()
    linked = link_incident(claim, places)
    if linked:
        claim.refresh_from_db(fields=["incident"])
    block = Claim.objects.filter(event=claim.event, country=claim.country)
    if claim.event:
        # The rules read an empty unit as people (see load_facts); so does the block.
        units = ["", "people"] if claim.unit in ("", "people") else [claim.unit]
        block = block.filter(unit__in=units)
    block = block.filter(_could_share_a_finding(claim, places))
    # Claims that share a flag with this one stay in view, so a flag whose
    # partner left the block (edited, retracted) is seen to be gone.
    flags = list(FlagClaim.objects.filter(claim_id=claim_id).values_list("flag_id", flat=True))
    partners = FlagClaim.objects.filter(flag_id__in=flags).values_list("claim_id", flat=True)
    # Ids first, by small index lookups: one query with the block and the
    # partners as subqueries would filter every claim in the table.
    in_view = {*block.order_by().values_list("pk", flat=True), *partners}
    facts = load_facts(Claim.objects.filter(pk__in=sorted(in_view)), places)
    policy = current_policy()
    findings = find_contradictions(facts, policy, focus={claim_id})
    # Only this claim's pairs were compared: the groups its near-duplicates
    # (and it) already belong to stand in for the rest of their pairs.
    touched = {claim_id}.union(*(f.claim_ids for f in findings if f.kind == kinds.DUPLICATE))
    groups, gone = _duplicate_groups(touched)
    findings = cluster_duplicates(
        findings,
        {fact.id: fact for fact in facts},
        policy,
        known=[members for pk, members in groups.items() if pk not in gone],
        focus={claim_id},
    )
    # The claim's flags by id (read above): as a subquery of its links, PostgreSQL tested
    # every flag of these kinds against it, some 22,000 at 100,000 claims, in each of
    # the three queries that read the scope. Groups the claim joins are in scope too:
    # merged into one, the others resolve.
    scope = Flag.objects.filter(
        Q(kind__in=kinds.BLOCK_SCAN_KINDS, pk__in=flags) | Q(pk__in=sorted(groups))
    )
    return linked + sync_findings(findings, scope, members=groups)


def _duplicate_groups(claim_ids: Iterable[int]) -> tuple[dict[int, set[int]], set[int]]:
    """The members of the duplicate flags these claims are in, by flag id; one query.

    Also answers which of those flags the scan resolved: the group they record
    is gone, so it does not hold their members together any more.
    """
    flags = Flag.objects.filter(kind=kinds.DUPLICATE, claims__in=sorted(claim_ids)).values("pk")
    rows = FlagClaim.objects.filter(flag_id__in=flags).values_list(
        "flag_id", "claim_id", "flag__status", "flag__resolved_by_id"
    )
    groups: dict[int, set[int]] = defaultdict(set)
    gone: set[int] = set()
    for flag_id, member, status, resolved_by in rows:
        groups[flag_id].add(member)
        if status == Flag.Status.RESOLVED and resolved_by is None:
            gone.add(flag_id)
    return dict(groups), gone


def _could_share_a_finding(claim: Claim, places: Places) -> Q:
    """The claims of ``claim``'s block that a rule could pair with it; the rules decide.

    A busy block holds thousands of claims, but a figure is compared only with
    those whose period shares a day with its own, in the same place or one
    inside the other (every numeric rule and superseded need both), and a
    verified or false claim also with near-duplicates that state no period or
    no place (verdict_conflict).
    """
    mine = Q(pk=claim.pk)
    if claim.incident_id is not None:
        # The tolls of its incident, with a time frame or not (checks/incidents.py).
        mine |= Q(incident_id=claim.incident_id)
    overlapping = Q()
    if claim.period_start is not None:
        start, end = claim.period_start, claim.period_end or claim.period_start
        overlapping = Q(period_start__lte=end) & (
            Q(period_end__gte=start) | Q(period_end__isnull=True, period_start__gte=start)
        )
        if claim.place_id is not None:
            mine |= overlapping & Q(place_id__in=places.related(claim.place_id))
    if claim.status in VERDICT_STATUSES:
        verdicts = Q(status__in=VERDICT_STATUSES)
        if claim.period_start is not None:
            verdicts &= overlapping | Q(period_start__isnull=True)
        if claim.place_id is not None:
            verdicts &= Q(place_id=claim.place_id) | Q(place__isnull=True)
        mine |= verdicts
    return mine


@cycles_collected_after()
def scan_contradictions(batch: int = 10_000) -> int:
    """Every block, all contradiction rules; one query per batch of claims."""
    facts = load_facts(Claim.objects.all(), batch=batch)
    policy = current_policy()
    findings = find_contradictions(facts, policy)
    findings = cluster_duplicates(findings, {fact.id: fact for fact in facts}, policy)
    return sync_findings(findings, Flag.objects.filter(kind__in=kinds.BLOCK_SCAN_KINDS))


# A part of a split full scan takes blocks until it holds this many claims: small blocks
# share a task, so that a run is tens of tasks however many countries the desk covers.
PART_CLAIMS = 5_000

Block = tuple[str, str]  # (event, country): no rule pairs claims across two


def plan_full_scan(part_claims: int = PART_CLAIMS) -> ScanRun:
    """Split the full scan into parts for the workers: a `ScanRun` with its `ScanPart`s,
    the largest first, so that the workers that take them in turn finish together.

    Every rule compares claims of one event in one country (checks/blocking.py), or the
    tolls of one incident, so a part is a set of (event, country) blocks, and blocks
    that one incident's claims span stay in one part. Flags left without claims belong
    to no part and are resolved here.
    """
    # Merged claims count too: the flags they are left in are resolved by their part.
    claims = Claim.objects.order_by()
    sizes = dict(
        ((event, country), n)
        for event, country, n in claims.values_list("event", "country").annotate(n=Count("id"))
    )
    joined = _BlockGroups(sizes)
    first_block: dict[int, Block] = {}
    spans = claims.filter(incident__isnull=False).values_list("incident_id", "event", "country")
    for incident, event, country in spans.distinct():
        joined.join(first_block.setdefault(incident, (event, country)), (event, country))
    parts: list[tuple[list[Block], int]] = []
    small: tuple[list[Block], int] = ([], 0)
    for blocks in sorted(joined.groups(), key=lambda bs: -sum(sizes[b] for b in bs)):
        count = sum(sizes[b] for b in blocks)
        if count >= part_claims:
            parts.append((blocks, count))
            continue
        small = (small[0] + blocks, small[1] + count)
        if small[1] >= part_claims:
            parts.append(small)
            small = ([], 0)
    if small[0]:
        parts.append(small)
    with transaction.atomic():
        run = ScanRun.objects.create()
        ScanPart.objects.bulk_create(
            ScanPart(run=run, index=index, blocks=sorted(blocks), claims=count)
            for index, (blocks, count) in enumerate(sorted(parts, key=lambda p: -p[1]))
        )
        orphans = Flag.objects.filter(kind__in=kinds.BLOCK_SCAN_KINDS, claims__isnull=True)
        _resolve_gone(orphans, (), timezone.now())
    if not parts:
        ScanRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    return run


class _BlockGroups:
    """Union-find over blocks: the blocks that must be scanned together."""

    def __init__(self, blocks: Iterable[Block]) -> None:
        self.parent: dict[Block, Block] = {block: block for block in blocks}

    def find(self, block: Block) -> Block:
        root = self.parent.setdefault(block, block)
        while root != self.parent[root]:
            root = self.parent[root]
        while block != root:
            self.parent[block], block = root, self.parent[block]
        return root

    def join(self, a: Block, b: Block) -> None:
        self.parent[self.find(a)] = self.find(b)

    def groups(self) -> list[list[Block]]:
        found: dict[Block, list[Block]] = defaultdict(list)
        for block in self.parent:
            found[self.find(block)].append(block)
        return list(found.values())


@cycles_collected_after()
def scan_part(run_id: int, index: int) -> int:
    """One part of a split full scan: its blocks' claims compared, the flags of those
    claims synced, the part marked done in the same transaction; answers the flags
    touched. Run twice (a worker lost after its commit), it finds the flags already
    right and changes nothing. The run is finished when no part is left undone."""
    part = ScanPart.objects.filter(run_id=run_id, index=index).first()
    if part is None:
        return 0
    blocks = Q(pk__in=[])
    for event, country in part.blocks:
        blocks |= Q(event=event, country=country)
    claims = Claim.objects.filter(blocks)
    with transaction.atomic():
        # One query for the part's claims: paging by id would walk the whole table's
        # id index once per part.
        facts = load_facts(claims, batch=2**31 - 1)
        policy = current_policy()
        findings = find_contradictions(facts, policy)
        findings = cluster_duplicates(findings, {fact.id: fact for fact in facts}, policy)
        mine = FlagClaim.objects.filter(claim__in=claims).values("flag_id")
        scope = Flag.objects.filter(kind__in=kinds.BLOCK_SCAN_KINDS, pk__in=mine)
        touched = sync_findings(findings, scope)
        ScanPart.objects.filter(pk=part.pk).update(finished_at=timezone.now(), touched=touched)
    # After the commit, so that of two last parts finishing together one sees the other.
    if not ScanPart.objects.filter(run_id=run_id, finished_at__isnull=True).exists():
        ScanRun.objects.filter(pk=run_id, finished_at__isnull=True).update(
            finished_at=timezone.now()
        )
    return touched


@cycles_collected_after()
def scan_staleness(now: datetime | None = None) -> int:
    now = now or timezone.now()
    policy = current_policy()
    # Only a decision older than its limit or a review past its due date can
    # be stale: the rest need not be read.
    overdue = Q(status__in=kinds.OPEN_STATUSES, due_at__lt=now)
    facts = load_stale_facts(Claim.objects.filter(_decided_too_long_ago(now, policy) | overdue))
    findings = find_stale(facts, (), now, policy)
    return sync_findings(findings, Flag.objects.filter(kind__in=kinds.STALE_KINDS), now=now)


def _decided_too_long_ago(now: datetime, policy: Policy) -> Q:
    named = [kind for kind in policy.decision_max_age_days if kind]
    # Time frames the policy does not name (and claims without one) age like a day.
    expired = ~Q(period_kind__in=named) & Q(decided_at__lt=now - decision_age_limit(None, policy))
    for kind in named:
        expired |= Q(period_kind=kind, decided_at__lt=now - decision_age_limit(kind, policy))
    return Q(status__in=kinds.DECIDED_STATUSES) & expired


@cycles_collected_after()
def scan_evidence() -> int:
    evidence = Evidence.objects.filter(checked_at__isnull=False)
    claims = Claim.objects.filter(pk__in=evidence.values("claim_id"))
    facts = {fact.id: fact for fact in load_facts(claims)}
    findings = find_evidence_issues(_evidence_facts(evidence), facts)
    return sync_findings(findings, Flag.objects.filter(kind__in=kinds.EVIDENCE_KINDS))


# ---------------------------------------------------------------------------
# Findings -> flags

RAISED_NOTE = "Raised by the scan."
HOLDS_AGAIN_NOTE = "The condition holds again."
CHANGED_NOTE = "A claim changed after the decision: the condition still holds."
UNRESOLVED = Flag.UNRESOLVED

T = TypeVar("T")


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    """Slices small enough for one query's parameters (SQLite allows 999)."""
    size = min(2000, (connection.features.max_query_params or 2000) - 99)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _claims_changed_since(flag: Flag, moment: datetime | None) -> bool:
    if moment is None:
        return True
    return flag.claims.filter(updated_at__gt=moment).exists()


def _upsert(finding: Finding, now: datetime) -> Flag:
    """One finding at a time: what a batch falls back to when another worker races it."""
    severity = SEVERITY.get(finding.severity, Severity.MEDIUM)
    flag = Flag.objects.select_for_update().filter(fingerprint=finding.fingerprint).first()
    if flag is None:
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    kind=finding.kind,
                    severity=severity,
                    message=finding.message,
                    details=finding.details,
                    fingerprint=finding.fingerprint,
                    last_seen=now,
                )
                flag.claims.set(finding.claim_ids)
                flag_event(flag.pk, from_status="", to=Flag.Status.OPEN, note=RAISED_NOTE).save()
                queue_flags_raised([flag.pk])
                return flag
        except IntegrityError:
            # Another worker raised the same finding a moment ago: update theirs.
            flag = Flag.objects.select_for_update().get(fingerprint=finding.fingerprint)
    _sync_members([(flag.pk, finding)])
    fields = ["message", "details", "severity", "last_seen"]
    flag.message, flag.details, flag.severity, flag.last_seen = (
        finding.message,
        finding.details,
        severity,
        now,
    )
    decided_by_scan = flag.status == Flag.Status.RESOLVED and flag.resolved_by_id is None
    decided_by_person = flag.status in (Flag.Status.RESOLVED, Flag.Status.DISMISSED) and not (
        decided_by_scan
    )
    if decided_by_scan or (decided_by_person and _claims_changed_since(flag, flag.resolved_at)):
        note = HOLDS_AGAIN_NOTE if decided_by_scan else CHANGED_NOTE
        flag_set_status(flag, to=Flag.Status.OPEN, actor=None, note=note, now=now)
    flag.save(update_fields=fields)
    return flag


@transaction.atomic
def sync_findings(
    findings: Sequence[Finding],
    scope: QuerySet[Flag],
    *,
    now: datetime | None = None,
    members: Mapping[int, set[int]] | None = None,
) -> int:
    """Make the flags in `scope` match `findings`; answers how many flags were touched.

    Each finding is upserted by its fingerprint, as if one at a time, but in
    batches: a few thousand existing flags are stamped seen (which locks them)
    and read per query, new ones are inserted with their claims and events in
    bulk, and only the flags whose words or status change are written again.
    ``members`` holds the claims of group flags already read, by flag id.
    """
    now = now or timezone.now()
    # A finding listed twice ends as its last copy says, as when each was upserted in turn.
    latest = {finding.fingerprint: finding for finding in findings}
    existing = _see_flags(sorted(latest), scope, now)
    _create_flags([f for fingerprint, f in latest.items() if fingerprint not in existing], now)
    pairs = [(seen, latest[seen.fingerprint]) for seen in existing.values()]
    # Before the refresh, so that a claim joining a dismissed group reopens it.
    _sync_members([(seen.pk, finding) for seen, finding in pairs], members)
    _refresh_flags(pairs, now)
    return len(findings) + _resolve_gone(scope, latest.keys(), now)


class _Seen(NamedTuple):
    """What deciding about a seen flag needs; most need no more than their last_seen moved."""

    pk: int
    fingerprint: str
    status: str
    resolved_by_id: int | None
    resolved_at: datetime | None
    message: str
    details: str  # as JSON text: decoded only for a flag whose message and severity stand
    severity: int


def _see_flags(
    fingerprints: Sequence[str], scope: QuerySet[Flag], now: datetime
) -> dict[str, _Seen]:
    """The flags in ``scope`` with these fingerprints, locked by moving their last_seen to ``now``.

    Reading them back by last_seen spares a second pass of fingerprint lists. A
    flag outside the scope with one of them (an admin changed its claims) is
    left to _create_flags, whose insert fails on it and takes the findings of
    that batch one at a time.
    """
    flat = _flat_conditions(scope)
    if flat is not None:
        return _see_flags_returning(fingerprints, flat, now)
    for chunk in _chunks(fingerprints):
        Flag.objects.filter(fingerprint__in=chunk).update(last_seen=now)
    wanted = set(fingerprints)
    # The details as text, decoded by _refresh_flags only where the message and severity
    # stand: a row with a converter costs Django a Python pass of its own.
    fields = [*_Seen._fields[:-2], "details_text", "severity"]
    as_text = Cast("details", TextField())
    seen = scope.filter(last_seen=now).order_by().annotate(details_text=as_text)
    with fast_timestamps():
        rows = list(seen.values_list(*fields))
    return {row[1]: _Seen._make(row) for row in rows if row[1] in wanted}


def _flat_conditions(scope: QuerySet[Flag]) -> tuple[str, tuple[Any, ...]] | None:
    """The scope's conditions as SQL on the flags table alone, for an UPDATE of it
    (PostgreSQL); None when they join another table, or on another database."""
    if connection.vendor != "postgresql" or len(scope.query.alias_map) > 1:
        return None
    return where_sql(scope)


# _Seen's fields as columns of claims_flag, the details as text (see _see_flags).
_SEEN_COLUMNS = {"pk": '"id"', "details": '"details"::text'}
_SEEN_RETURNING = ", ".join(_SEEN_COLUMNS.get(name, f'"{name}"') for name in _Seen._fields)


def _see_flags_returning(
    fingerprints: Sequence[str], flat: tuple[str, tuple[Any, ...]], now: datetime
) -> dict[str, _Seen]:
    """_see_flags on PostgreSQL for a scope on the flags table alone: each batch stamped
    and read back by one UPDATE ... RETURNING, its fingerprints one array parameter.

    At 100,000 claims a staleness scan sees some 60,000 standing flags: Django building
    an UPDATE with 2,000 parameters per batch, then reading the stamped flags back, was
    half of their cost. As before, every flag with one of the fingerprints is stamped and
    only those in the scope are answered: the scope is tested in RETURNING, so that the
    statement finds its rows by the fingerprint's unique index whatever the planner
    thinks of the scope (with the scope in WHERE and its statistics out of date, it read
    all 60,000 flags of the scope for each batch of 2,000)."""
    where, params = flat
    sql = (
        'UPDATE "claims_flag" SET "last_seen" = %s WHERE "fingerprint" = ANY(%s::text[]) '  # noqa: S608
        f"RETURNING {_SEEN_RETURNING}, ({where})"
    )
    seen: dict[str, _Seen] = {}
    with connection.cursor() as cursor, fast_timestamps():
        for chunk in _chunks(fingerprints):
            cursor.execute(sql, [now, _text_array(chunk), *params])
            seen.update((row[1], _Seen._make(row[:-1])) for row in cursor.fetchall() if row[-1])
    return seen


_PLAIN_ITEMS = re.compile(r"[0-9a-f,]*")


def _text_array(items: Sequence[str]) -> str | list[str]:
    """Fingerprints (hexadecimal digests) as one array literal for PostgreSQL to read:
    psycopg writes a list parameter item by item in Python, a tenth of a second of a
    staleness scan's 60,000. Items that would need quoting go as a list."""
    joined = ",".join(items)
    return f"{{{joined}}}" if _PLAIN_ITEMS.fullmatch(joined) else list(items)


def _create_flags(findings: Sequence[Finding], now: datetime) -> None:
    """Raise a flag for each finding, with its claims and its first event (inside
    sync_findings' transaction, so no reader sees a new flag without its claims)."""
    raised: list[list[int]] = []
    links: list[tuple[int, int]] = []
    for chunk in _chunks(findings):
        try:
            with transaction.atomic():
                ids, chunk_links = _insert_flags(chunk, now)
        except IntegrityError:
            # Another worker raised some of these a moment ago: take them one by one.
            for finding in chunk:
                _upsert(finding, now)
            continue
        raised.append(ids)
        links.extend(chunk_links)
    # The links of every new flag in one statement. Migration 0023's trigger ranks the
    # claims of the links a statement adds, so one COPY per batch rewrote a claim once
    # for each batch holding one of its flags whose severity was higher than the last,
    # and each rewrite writes every index of the claims table.
    if links:
        copy_values(FlagClaim, ("flag_id", "claim_id"), links)
    for ids in raised:
        queue_flags_raised(ids)


def _insert_flags(
    findings: Sequence[Finding], now: datetime
) -> tuple[list[int], list[tuple[int, int]]]:
    """The findings' flags and first events; answers the new ids and the (flag, claim)
    links still to write, which the ORM's path writes itself."""
    if connection.vendor == "postgresql":
        return _copy_flags(findings, now)
    new = [
        Flag(
            kind=finding.kind,
            severity=SEVERITY.get(finding.severity, Severity.MEDIUM),
            message=finding.message,
            details=finding.details,
            fingerprint=finding.fingerprint,
            last_seen=now,
        )
        for finding in findings
    ]
    flags = Flag.objects.bulk_create(new)
    if any(flag.pk is None for flag in flags):  # a backend that cannot return the new ids
        ids = dict(
            Flag.objects.filter(fingerprint__in=[flag.fingerprint for flag in flags]).values_list(
                "fingerprint", "pk"
            )
        )
        for flag in flags:
            flag.pk = ids[flag.fingerprint]
    FlagClaim.objects.bulk_create(
        FlagClaim(flag_id=flag.pk, claim_id=claim_id)
        for flag, finding in zip(flags, findings, strict=True)
        for claim_id in finding.claim_ids
    )
    FlagEvent.objects.bulk_create(
        flag_event(flag.pk, from_status="", to=Flag.Status.OPEN, note=RAISED_NOTE) for flag in flags
    )
    return [flag.pk for flag in flags], []


FLAG_COLUMNS = ("id", "kind", "severity", "message", "details", "fingerprint", "last_seen")
RAISED_EVENT_COLUMNS = ("flag_id", "from_status", "to_status", "note")


def _copy_flags(
    findings: Sequence[Finding], now: datetime
) -> tuple[list[int], list[tuple[int, int]]]:
    """_insert_flags on PostgreSQL: the flags and their first events by COPY, from plain
    values.

    A first full scan raises tens of thousands of flags; bulk_create sends each column
    as an array that psycopg escapes in Python, a cost larger than the rules'. The ids
    come from the table's sequence first (one query), so the links and events can
    name them; a fingerprint another worker raised meanwhile fails the COPY like an
    insert, and the caller takes that batch one finding at a time.
    """
    ids = next_ids(Flag, len(findings))
    flags = (
        (
            pk,
            finding.kind,
            SEVERITY.get(finding.severity, Severity.MEDIUM),
            finding.message,
            finding.details,
            finding.fingerprint,
            now,
        )
        for pk, finding in zip(ids, findings, strict=True)
    )
    copy_values(Flag, FLAG_COLUMNS, flags)
    events = ((pk, "", Flag.Status.OPEN.value, RAISED_NOTE) for pk in ids)
    copy_values(FlagEvent, RAISED_EVENT_COLUMNS, events)
    links = [
        (pk, claim_id)
        for pk, finding in zip(ids, findings, strict=True)
        for claim_id in finding.claim_ids
    ]
    return ids, links


def next_ids(model: type[Model], count: int) -> list[int]:
    """`count` new ids from the sequence of the model's table (PostgreSQL), for rows
    written by COPY that other rows must name; one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def copy_rows(rows: Sequence[Model], *, with_pk: bool) -> None:
    """COPY unsaved instances of one model into its table (PostgreSQL), every concrete
    column as save() would write it (auto_now_add and defaults included); the ids too
    with `with_pk`, else the table gives them."""
    if not rows:
        return
    meta = rows[0]._meta
    fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
    # The wrapper itself, not the per-thread proxy: a field's value is prepared per row.
    db = connections[DEFAULT_DB_ALIAS]
    values = ([f.get_db_prep_save(f.pre_save(row, add=True), db) for f in fields] for row in rows)
    _copy(meta.db_table, [f.column for f in fields], values)


def copy_values(
    model: type[Model],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> None:
    """COPY rows of plain values into a model's table (PostgreSQL): the `columns` (field
    attnames) from each row, and every other concrete column but the id its default, or
    the time of the call for a field that stamps the time a row is added.

    copy_rows prepares each field of an instance per row; for the tens of thousands of
    rows of a first scan, building the instances and preparing their fields cost more
    than the COPY. Here the defaults are prepared once, and of the given values only
    those psycopg cannot write as they are (a dict for a JSON column) go through their
    field.
    """
    db = connections[DEFAULT_DB_ALIAS]
    fields = {field.attname: field for field in model._meta.concrete_fields}
    prepare = [
        partial(fields[name].get_db_prep_save, connection=db)
        if fields[name].get_internal_type() == "JSONField"
        else None
        for name in columns
    ]
    added = timezone.now()
    defaults = [
        (
            field.column,
            field.get_db_prep_save(
                added if getattr(field, "auto_now_add", False) else field.get_default(), db
            ),
        )
        for field in model._meta.concrete_fields
        if field.attname not in columns and not field.primary_key
    ]
    tail = [value for _, value in defaults]

    def prepared(row: Sequence[Any]) -> list[Any]:
        given = zip(row, prepare, strict=True)
        return [value if prep is None else prep(value) for value, prep in given] + tail

    names = [fields[name].column for name in columns] + [column for column, _ in defaults]
    _copy(model._meta.db_table, names, map(prepared, rows))


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows of values ready for the database into `columns` of `table`."""
    db = connections[DEFAULT_DB_ALIAS]
    quoted = ", ".join(db.ops.quote_name(name) for name in columns)
    sql = f"COPY {db.ops.quote_name(table)} ({quoted}) FROM STDIN"
    with db.cursor() as cursor, db.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


# Kinds whose flag is a group that claims join and leave; the others are about fixed claims.
GROUP_KINDS = frozenset({kinds.DUPLICATE})
GROUP_CHANGED_NOTE = "The group changed: {changes}."


def _sync_members(
    flags: Sequence[tuple[int, Finding]], known: Mapping[int, set[int]] | None = None
) -> None:
    """Give group flags the claims their findings name, and record who joined or left.

    One query per chunk reads the members; only the flags whose group changed
    are written, with an event naming the claims, so the history says why.
    """
    wanted = {pk: set(f.claim_ids) for pk, f in flags if f.kind in GROUP_KINDS}
    have: dict[int, set[int]] = defaultdict(set)
    have.update({pk: set(ids) for pk, ids in (known or {}).items() if pk in wanted})
    for chunk in _chunks(sorted(set(wanted) - set(have))):
        rows = FlagClaim.objects.filter(flag_id__in=chunk).values_list("flag_id", "claim_id")
        for flag_id, claim_id in rows:
            have[flag_id].add(claim_id)
    joined = {pk: sorted(ids - have[pk]) for pk, ids in wanted.items()}
    left = {pk: sorted(have[pk] - ids) for pk, ids in wanted.items()}
    changed = sorted(pk for pk in wanted if joined[pk] or left[pk])
    if not changed:
        return
    statuses = dict(Flag.objects.filter(pk__in=changed).values_list("pk", "status"))
    FlagClaim.objects.bulk_create(
        FlagClaim(flag_id=pk, claim_id=claim_id) for pk in changed for claim_id in joined[pk]
    )
    events = []
    for pk in changed:
        if left[pk]:
            FlagClaim.objects.filter(flag_id=pk, claim_id__in=left[pk]).delete()
        status = statuses.get(pk, Flag.Status.OPEN)
        note = _group_note(joined[pk], left[pk])
        details = {"joined": joined[pk], "left": left[pk]}
        events.append(flag_event(pk, from_status=status, to=status, note=note, details=details))
    FlagEvent.objects.bulk_create(events)


def _group_note(joined: list[int], left: list[int]) -> str:
    def named(ids: list[int], verb: str, verbs: str) -> str:
        shown = ", ".join(f"#{claim_id}" for claim_id in ids[:10])
        more = f" and {len(ids) - 10} more" if len(ids) > 10 else ""
        return f"claim {shown} {verb}" if len(ids) == 1 else f"claims {shown}{more} {verbs}"

    changes = []
    if joined:
        changes.append(named(joined, "now reads", "now read") + " like the others")
    if left:
        changes.append(named(left, "no longer reads", "no longer read") + " like the others")
    return GROUP_CHANGED_NOTE.format(changes="; ".join(changes))


def _refresh_flags(pairs: Sequence[tuple[_Seen, Finding]], now: datetime) -> None:
    """Bring seen flags up to their findings, reopening those the rules say to."""
    by_person = [
        seen
        for seen, _ in pairs
        if seen.status in (Flag.Status.RESOLVED, Flag.Status.DISMISSED)
        and not _decided_by_scan(seen)
    ]
    changed_since = _changed_since_decision(by_person)
    updated: list[Flag] = []
    reopen: dict[str, list[tuple[int, str]]] = {HOLDS_AGAIN_NOTE: [], CHANGED_NOTE: []}
    for seen, finding in pairs:
        severity = SEVERITY.get(finding.severity, Severity.MEDIUM)
        words = (finding.message, finding.details, severity)
        by_scan = _decided_by_scan(seen)
        if by_scan or seen.pk in changed_since:
            reopen[HOLDS_AGAIN_NOTE if by_scan else CHANGED_NOTE].append((seen.pk, seen.status))
        elif (seen.message, seen.severity) == (finding.message, severity) and (
            json.loads(seen.details) == finding.details
        ):
            continue
        flag = Flag(pk=seen.pk)
        flag.message, flag.details, flag.severity = words
        updated.append(flag)
    for note, moves in reopen.items():
        flags_set_status(moves, to=Flag.Status.OPEN, note=note, now=now)
    Flag.objects.bulk_update(updated, ["message", "details", "severity"], batch_size=500)


def _decided_by_scan(seen: _Seen) -> bool:
    return seen.status == Flag.Status.RESOLVED and seen.resolved_by_id is None


def _changed_since_decision(decided: Sequence[_Seen]) -> set[int]:
    """Those of the ``decided`` flags with a claim changed after the decision."""
    changed = {seen.pk for seen in decided if seen.resolved_at is None}
    dated = [seen.pk for seen in decided if seen.resolved_at is not None]
    for chunk in _chunks(dated):
        rows = FlagClaim.objects.filter(
            flag_id__in=chunk, claim__updated_at__gt=F("flag__resolved_at")
        ).values_list("flag_id", flat=True)
        changed.update(rows)
    return changed


def _resolve_gone(scope: QuerySet[Flag], seen: Iterable[str], now: datetime) -> int:
    """Resolve the unresolved flags in ``scope`` that no finding is about any more."""
    seen = set(seen)
    candidates = scope.filter(status__in=UNRESOLVED).order_by().values_list("pk", "fingerprint")
    gone = sorted({pk for pk, fingerprint in candidates if fingerprint not in seen})
    resolved = 0
    for chunk in _chunks(gone):
        locked = list(
            Flag.objects.select_for_update()
            .filter(pk__in=chunk, status__in=UNRESOLVED)
            .order_by("pk")
            .values_list("pk", "status")
        )
        # No person: the scan may reopen it as soon as the condition returns.
        flags_set_status(locked, to=Flag.Status.RESOLVED, note=AUTO_RESOLVED_NOTE, now=now)
        resolved += len(locked)
    return resolved


# ---------------------------------------------------------------------------
# Incidents: the job that links the tolls of one event

INCIDENT_SUGGESTED = Flag.Kind.INCIDENT_SUGGESTED.value
# Claims a saved claim is weighed against: the same event and country, reported within
# MAX_REPORT_GAP_DAYS, and naming an incident; the nearest reports first.
INCIDENT_CANDIDATES = 200
# Suggestions one claim raises at most: past a few, they are noise for the editor.
MAX_SUGGESTIONS = 3


def mention_words(mention: IncidentMention | None) -> dict[str, Any] | None:
    """The incident words as stored on the claim (`Claim.incident_words`)."""
    if mention is None:
        return None
    return {
        "kind": mention.kind,
        "noun": mention.noun,
        "venue": mention.venue,
        "place_text": mention.place_text,
        "day": mention.day.isoformat() if mention.day else None,
        "start": mention.start,
        "end": mention.end,
        "words": mention.words,
        "name": mention.name,
    }


def _facts_of(row: Any, places: Places, *, words: Mapping[str, Any] | None = None) -> IncidentFacts:
    """`claim_incident_facts` of a claim, a claim row or a reading: its own stored words
    unless `words` are given."""
    return claim_incident_facts(
        row.incident_words if words is None else words,
        event=row.event,
        place_id=row.place_id,
        reported_on=row.reported_on,
        places=places,
    )


def _day(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def claim_incident_facts(
    words: Mapping[str, Any] | None,
    *,
    event: str | None,
    place_id: int | None,
    reported_on: date | None,
    places: Places,
) -> IncidentFacts:
    """What a claim says about its event, from its stored incident words."""
    words = words or {}
    return IncidentFacts(
        event=event or None,
        place_id=place_id,
        place_ancestors=places.ancestors(place_id),
        reported_on=reported_on,
        kind=words.get("kind") or None,
        venue=words.get("venue") or None,
        day=_day(words.get("day")),
        name=str(words.get("name") or ""),
        place_kind=places.kind.get(place_id, "") if place_id else "",
    )


def incident_row_facts(incident: Incident, places: Places) -> IncidentFacts:
    """What an incident on the desk says about its event: the kind, place and day an editor
    gave it (a kind outside the parser's taxonomy says nothing)."""
    kind = incident.kind if incident.kind in KINDS else None
    return IncidentFacts(
        event=None,
        place_id=incident.place_id,
        place_ancestors=places.ancestors(incident.place_id),
        kind=kind,
        day=incident.day,
        place_kind=places.kind.get(incident.place_id, "") if incident.place_id else "",
    )


def read_incident_words(claim: Claim, places: Places) -> dict[str, Any] | None:
    """Read the words that name the claim's incident and store them when they changed
    (`{}` when it names none, so that a claim never read, stored as null, is told apart;
    without touching `updated_at`: the claim's words are what they were)."""
    words = _words_of(claim, places)
    if words != claim.incident_words:
        Claim.objects.filter(pk=claim.pk).update(incident_words=words)
        claim.incident_words = words
    return words or None


def _words_of(claim: Claim, places: Places) -> dict[str, Any]:
    """The incident words of the claim's text, its place the hint ({} when none)."""
    place_name = places.name.get(claim.place_id, "") if claim.place_id else ""
    mention = find_incident(claim.text, claim.reported_on, place_hint=place_name or None)
    return mention_words(mention) or {}


class _Candidate(NamedTuple):
    claim: Claim
    facts: IncidentFacts
    match: str


def link_incident(claim: Claim, places: Places) -> int:
    """After a claim is saved: read its incident words, link it to the incident of claims
    that name the same event on strong evidence, and suggest a link on weaker evidence.
    Answers how many flags and links it touched.

    A claim a person linked or unlinked (`incident_fixed`) keeps its incident; so does a
    claim the job linked while its words still name that incident (edited words that no
    longer do take it out). Claims of two incidents already on the desk, or of an
    incident whose own words tell it apart, are suggested at most, never linked.
    """
    words = read_incident_words(claim, places)
    suggestions: list[Finding] = []
    touched = 0
    by_job = claim.incident_id is not None and not claim.incident_fixed
    if by_job and not _still_names(claim, words, places) and incident_unlink_by_job(claim=claim):
        claim.incident_id = None
        touched += 1
    # A withdrawn, false or forecast figure is no toll to link (it takes no part in the checks).
    counts = claim.status not in ("retracted", "false") and not claim.is_projection
    if words and counts and not claim.incident_fixed and claim.incident_id is None and claim.event:
        mine = _facts_of(claim, places, words=words)
        candidates = _incident_candidates(claim, mine, places)
        group, target = _strong_group(mine, candidates, places)
        if group or target is not None:
            incident_link_by_job(claims=[claim, *group], incident=target, scanning=claim.pk)
            touched += 1 + len(group)
        else:
            suggestions = _suggestions(claim, candidates)
    scope = Flag.objects.filter(kind=INCIDENT_SUGGESTED, claims=claim.pk)
    return touched + sync_findings(suggestions, scope)


def _still_names(claim: Claim, words: Mapping[str, Any] | None, places: Places) -> bool:
    """Whether a claim the job linked still names its incident: it has incident words,
    and neither the incident nor any of its other claims tells it apart."""
    if claim.incident_id is None:
        return False
    incident = Incident.objects.filter(pk=claim.incident_id).first()
    if not words or not claim.event or incident is None:
        return False
    mine = _facts_of(claim, places, words=words)
    others = [_facts_of(r, places) for r in _incident_members(incident, exclude={claim.pk})]
    facts = [incident_row_facts(incident, places), *others]
    # Reports weeks apart are not told apart by their dates alone here: the claim is in.
    return not any(
        differences(mine, other) for other in facts if other.kind or other.place_id is not None
    )


def _incident_candidates(claim: Claim, mine: IncidentFacts, places: Places) -> list[_Candidate]:
    """The claims of the same event and country, reported within a few days, that name an
    incident, with how each matches this claim; those that never could are left out. The
    words of a claim never read (saved before the desk read incident words) are read now."""
    if claim.reported_on is None:
        return []
    gap = timedelta(days=MAX_REPORT_GAP_DAYS)
    rows = (
        Claim.objects.filter(
            event=claim.event,
            country=claim.country,
            reported_on__gte=claim.reported_on - gap,
            reported_on__lte=claim.reported_on + gap,
        )
        .exclude(pk=claim.pk)
        .exclude(incident_words={})
        .exclude(status__in=("retracted", "false"))
        .filter(merged_into__isnull=True)
        .select_related("incident")
        .only(
            "id",
            "text",
            "event",
            "place_id",
            "reported_on",
            "incident_words",
            "incident_fixed",
            "incident__id",
            "incident__kind",
            "incident__place_id",
            "incident__day",
            "incident__merged_into_id",
        )
        .order_by("-reported_on", "-id")[:INCIDENT_CANDIDATES]
    )
    near = list(rows)
    _read_never_read(near, places)
    found = []
    for other in near:
        if not other.incident_words:
            continue
        facts = _facts_of(other, places)
        match = match_incident(mine, facts)
        if match != NEVER:
            found.append(_Candidate(other, facts, match))
    return found


def _read_never_read(claims: Sequence[Claim], places: Places) -> None:
    """Read the incident words of the claims never read; those that name none (most) are
    stored in one query."""
    naming_none = []
    for claim in claims:
        if claim.incident_words is not None:
            continue
        claim.incident_words = _words_of(claim, places)
        if claim.incident_words:
            Claim.objects.filter(pk=claim.pk).update(incident_words=claim.incident_words)
        else:
            naming_none.append(claim.pk)
    for chunk in _chunks(naming_none):
        Claim.objects.filter(pk__in=chunk).update(incident_words={})


def _strong_group(
    mine: IncidentFacts, candidates: Sequence[_Candidate], places: Places
) -> tuple[list[Claim], Incident | None]:
    """Whom to link the claim with: the incident its strong matches are in (when there is
    exactly one, and nothing in it tells the claim apart) with the strong matches in none
    yet, or else the claims not yet in an incident that match it strongly and none another
    ("two attacks in one city": a never between any two of them leaves them all apart)."""
    strong = [c for c in candidates if c.match == "link"]
    incidents = {c.claim.incident_id for c in strong if c.claim.incident_id is not None}
    if len(incidents) > 1:
        return [], None
    if incidents:
        target = next(c.claim.incident for c in strong if c.claim.incident_id is not None)
        if target is None or target.merged_into_id is not None:
            return [], None
        members = [c for c in candidates if c.claim.incident_id == target.pk]
        rivals = _incident_members(target, exclude={c.claim.pk for c in members})
        facts = [
            incident_row_facts(target, places),
            *(c.facts for c in members),
            *(_facts_of(r, places) for r in rivals),
        ]
        if any(match_incident(mine, other) == NEVER for other in facts if other.kind):
            return [], None
        # Strong matches in no incident yet (saved before incident words were read) join
        # too, when nothing in the incident tells them apart either.
        joining = [
            c.claim
            for c in strong
            if c.claim.incident_id is None
            and not c.claim.incident_fixed
            and not any(match_incident(c.facts, other) == NEVER for other in facts if other.kind)
        ]
        return joining, target
    group: list[_Candidate] = []
    for candidate in strong:
        if candidate.claim.incident_fixed:
            continue
        if all(match_incident(candidate.facts, g.facts) != NEVER for g in group):
            group.append(candidate)
    # Any strong match never one with another leaves the claim undecided: suggest instead.
    if len(group) != len([c for c in strong if not c.claim.incident_fixed]):
        return [], None
    return [c.claim for c in group], None


def _incident_members(incident: Incident, *, exclude: set[int]) -> list[Claim]:
    """The incident's other claims that name it, as the rivals a new claim must not
    contradict (a few: the nearest reports stand for the rest)."""
    return list(
        Claim.objects.filter(incident=incident, incident_words__isnull=False)
        .exclude(incident_words={})
        .exclude(pk__in=sorted(exclude))
        .only("id", "event", "place_id", "reported_on", "incident_words")
        .order_by("-reported_on", "-id")[:INCIDENT_CANDIDATES]
    )


def _suggestions(claim: Claim, candidates: Sequence[_Candidate]) -> list[Finding]:
    """Informational flags for the nearest weaker matches: an editor confirms or rejects."""
    findings = []
    picked = [c for c in candidates if not (c.claim.incident_fixed and c.claim.incident_id is None)]
    for candidate in picked[:MAX_SUGGESTIONS]:
        other = candidate.claim
        words = (claim.incident_words or {}).get("words") or "the incident"
        theirs = (other.incident_words or {}).get("words") or "the incident"
        message = (
            f"Claims #{min(claim.pk, other.pk)} and #{max(claim.pk, other.pk)} may be tolls "
            f"of one incident (“{words}” and “{theirs}”): confirm or reject."
        )
        details = {"claim": claim.pk, "other": other.pk, "incident": other.incident_id}
        findings.append(
            make_finding(INCIDENT_SUGGESTED, (claim.pk, other.pk), "info", message, details)
        )
    return findings


# A draft may tell of an incident days after the desk's latest report of it ("the toll
# rose to 40"): its words, place and event tie it to the incident within this many days.
DRAFT_INCIDENT_GAP_DAYS = 14


def incident_of_reading(
    reading: ClaimFact,
    places: Places,
    seen: dict[tuple[str, str, date], list[Claim]] | None = None,
) -> tuple[int, date | None] | None:
    """The desk's incident (id, day) a sentence names, for the draft check: the one incident
    whose claims its incident words match strongly, none of them (nor the incident's own
    kind, place and day) telling it apart; None when it names none or several.

    `seen` keeps the incident claims read per (event, country, report date), so that the
    sentences of one draft, which mostly share them, read them once."""
    if not reading.event or not reading.country or reading.reported_on is None:
        return None
    mention = find_incident(reading.text, reading.reported_on, place_hint=reading.place_name)
    if mention is None:
        return None
    mine = _facts_of(reading, places, words=mention_words(mention))
    gap = DRAFT_INCIDENT_GAP_DAYS
    key = (reading.event, reading.country, reading.reported_on)
    if seen is not None and key in seen:
        rows = seen[key]
    else:
        rows = _incident_claims_near(*key, gap)
        if seen is not None:
            seen[key] = rows
    verdicts: dict[int, set[str]] = defaultdict(set)
    incidents: dict[int, Incident] = {}
    for row in rows:
        facts = _facts_of(row, places)
        incident = row.incident
        if incident is None:  # filtered out above
            continue
        incidents[incident.pk] = incident
        verdicts[incident.pk].add(match_incident(mine, facts, max_gap_days=gap))
    named = [
        pk
        for pk, found in verdicts.items()
        if "link" in found
        and NEVER not in found
        and match_incident(mine, incident_row_facts(incidents[pk], places)) != NEVER
    ]
    if len(named) != 1:
        return None
    return named[0], incidents[named[0]].day


def _incident_claims_near(event: str, country: str, reported_on: date, gap: int) -> list[Claim]:
    """The claims linked to a live incident on the event in the country, reported within
    `gap` days up to `reported_on`: the tolls a draft's sentence may name the incident of."""
    return list(
        Claim.objects.filter(
            event=event,
            country=country,
            incident__isnull=False,
            incident__merged_into__isnull=True,
            merged_into__isnull=True,
            incident_words__isnull=False,
            reported_on__gte=reported_on - timedelta(days=gap),
            reported_on__lte=reported_on,
        )
        .exclude(incident_words={})
        .exclude(status__in=("retracted", "false"))
        .select_related("incident")
        .only(
            "id",
            "event",
            "place_id",
            "reported_on",
            "incident_words",
            "incident__id",
            "incident__kind",
            "incident__place_id",
            "incident__day",
        )
        .order_by("-reported_on", "-id")[:INCIDENT_CANDIDATES]
    )
