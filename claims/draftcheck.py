"""Check draft copy against what the desk already knows, before it is published.

Every candidate claim the parser finds in the draft is matched against the
desk's claims about the same measure (event, unit, population, place and
period) or with near-identical words, and each match says where the desk
stands: verified, attributed only, disputed, false, stale, or contradicted by
a newer figure. Reads only.

The matching itself is plain Python over frozen dataclasses (`match_reading`);
`draft_check` loads the rows it needs. Its cost is bounded by the blocks the
draft touches: one indexed query per (event, unit, country) block, limited to
the periods the draft names, never a scan of every claim.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.db.models import F, Q
from rapidfuzz import fuzz, utils

from claims import selectors
from claims.checks.types import CONTRADICTION_KINDS
from claims.models import Attribution, CheckPolicy, Claim, Flag, Status
from claims.parsing import Candidate, extract
from claims.reading import parsed_fields
from claims.timeline import CHOSE_A_FIGURE, DeskFigure
from claims.typing import Actor
from claims.wording import format_figure, format_period, interval_words

# The flags shown with a match: those that make it contradicted or stale.
SHOWN_KINDS = CONTRADICTION_KINDS | {Flag.Kind.VERIFICATION_EXPIRED}

# At most this many desk claims are read per block the draft touches, newest first.
BLOCK_LIMIT = 500

# Where a match stands, worst first; a candidate shows the worst of its matches.
STANDINGS: dict[str, str] = {
    "false": "False",
    "contradicted": "Contradicted by a newer figure",
    "disagrees": "Gives a different figure",
    "disputed": "Disputed",
    "stale": "Stale: check again",
    "open": "Not decided yet",
    "attributed": "Attributed only",
    "verified": "Verified",
}
NOT_ON_DESK = "Not on the desk yet"


# ---------------------------------------------------------------------------
# Plain data


@dataclass(frozen=True)
class Measure:
    """What a figure is a figure of, and the figure itself."""

    text: str
    value_low: int | None
    value_high: int | None  # None: no upper bound
    event: str
    unit: str
    population: str
    place_id: int | None
    place_name: str
    country: str
    period_start: date | None
    period_end: date | None
    period_kind: str


@dataclass(frozen=True)
class FlagNote:
    id: int
    kind: str
    label: str
    message: str


@dataclass(frozen=True)
class DeskClaim(Measure):
    id: int
    status: str
    status_label: str
    figure: str
    sources: tuple[str, ...]
    reported_on: date | None
    created_at: datetime
    flags: tuple[FlagNote, ...] = ()
    # The figure the desk uses after a resolved conflict about this claim, if any.
    desk_low: int | None = None
    desk_high: int | None = None
    desk_figure: str = ""  # "20 to 51 (a range)"

    @property
    def used(self) -> Measure:
        """The claim as the desk uses it: with the figure a resolved conflict chose."""
        if self.desk_low is None:
            return self
        return replace(self, value_low=self.desk_low, value_high=self.desk_high)

    @property
    def stale(self) -> bool:
        return any(f.kind == Flag.Kind.VERIFICATION_EXPIRED for f in self.flags)

    @property
    def conflicts(self) -> tuple[FlagNote, ...]:
        return tuple(f for f in self.flags if f.kind in CONTRADICTION_KINDS)


@dataclass(frozen=True)
class Match:
    claim: DeskClaim
    same_measure: bool
    similarity: float  # 0 when the words are not near-identical
    agrees: bool | None  # whether the figures can both hold; None without figures
    newer_figures: tuple[DeskClaim, ...]  # newer desk figures the draft's does not fit
    standing: str

    @property
    def standing_label(self) -> str:
        return STANDINGS[self.standing]


@dataclass(frozen=True)
class CandidateCheck:
    sentence: str
    reading: Measure
    figure: str  # "at least 51", or "" without a number
    period: str  # "12 Feb 2014", or ""
    source: str  # the source the copy names, as the register knows it or as written
    matches: tuple[Match, ...]
    # The figure phrase: a sentence with several counts gives a check per count.
    words: str = ""

    @property
    def standing(self) -> str:
        """The worst standing among the matches, or "" when the desk has none."""
        order = list(STANDINGS)
        return min((m.standing for m in self.matches), key=order.index, default="")

    @property
    def standing_label(self) -> str:
        return STANDINGS[self.standing] if self.standing else NOT_ON_DESK


@dataclass(frozen=True)
class DraftReport:
    reported_on: date
    candidates: tuple[CandidateCheck, ...]
    # True when a block held more claims than were read (BLOCK_LIMIT).
    truncated: bool = False
    counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# The pure core


def _name_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).lower().split())


def same_place(a: Measure, b: Measure) -> bool:
    if a.place_id is not None and b.place_id is not None:
        return a.place_id == b.place_id
    return (
        bool(a.place_name)
        and _name_key(a.place_name) == _name_key(b.place_name)
        and (a.country == b.country)
    )


def running_count(a: Measure, b: Measure) -> bool:
    """Two to-date counts from the same start: one running tally at two moments."""
    return a.period_kind == b.period_kind == "to_date" and a.period_start == b.period_start


def same_period(a: Measure, b: Measure) -> bool:
    """The same time frame, or the same running tally; a day inside a month is a
    sub-period, another measure (the jobs judge those)."""
    if a.period_start is None or b.period_start is None:
        return False
    return (a.period_start, a.period_end) == (b.period_start, b.period_end) or running_count(a, b)


def same_measure(a: Measure, b: Measure) -> bool:
    return (
        a.value_low is not None
        and b.value_low is not None
        and bool(a.event)
        and (a.event, a.unit, a.population) == (b.event, b.unit, b.population)
        and same_place(a, b)
        and same_period(a, b)
    )


def figures_agree(a: Measure, b: Measure) -> bool | None:
    """Whether both figures can be true. For the same period the intervals must
    overlap; for a running tally the later count must not fall below the earlier."""
    if a.value_low is None or b.value_low is None:
        return None
    if running_count(a, b) and a.period_end != b.period_end:
        earlier, later = sorted((a, b), key=lambda m: m.period_end or date.min)
        return later.value_high is None or later.value_high >= (earlier.value_low or 0)
    a_high, b_high = a.value_high, b.value_high
    return (a_high is None or b.value_low <= a_high) and (b_high is None or a.value_low <= b_high)


def similarity(a: Measure, b: Measure, threshold: float) -> float:
    """Near-identical words, scored as the duplicate job scores them (0-100), or 0."""
    return fuzz.token_set_ratio(
        a.text, b.text, processor=utils.default_process, score_cutoff=threshold
    )


def may_be_same_statement(a: Measure, b: Measure) -> bool:
    """Only what both say can tell two statements apart: similar words about
    another place, another period or another population are another claim."""
    if (a.place_id or a.place_name) and (b.place_id or b.place_name) and not same_place(a, b):
        return False
    if a.period_start is not None and b.period_start is not None and not same_period(a, b):
        return False
    return not (
        a.value_low is not None and b.value_low is not None and a.population != b.population
    )


def _newness(claim: DeskClaim) -> tuple[date, datetime, int]:
    return (claim.reported_on or claim.created_at.date(), claim.created_at, claim.id)


def standing_of(claim: DeskClaim, agrees: bool | None, newer: Sequence[DeskClaim]) -> str:
    if claim.status == Status.FALSE:
        return "false"
    if agrees is False:
        return "disagrees"
    if newer or claim.conflicts:
        return "contradicted"
    if claim.status == Status.DISPUTED:
        return "disputed"
    if claim.stale:
        return "stale"
    if claim.status in (Status.VERIFIED, Status.ATTRIBUTED):
        return str(claim.status)
    return "open"


def match_reading(
    reading: Measure, desk: Iterable[DeskClaim], threshold: float
) -> tuple[Match, ...]:
    """The desk's claims about the same measure as `reading`, or in near-identical
    words, each with where it stands against the draft's figure (the figure the desk
    uses, where a resolved conflict chose one)."""
    found: list[tuple[DeskClaim, bool, float, bool | None]] = []
    for claim in desk:
        measure = same_measure(reading, claim)
        score = 0.0
        if may_be_same_statement(reading, claim):
            score = similarity(reading, claim, threshold)
        if measure or score:
            agrees = figures_agree(reading, claim.used) if measure else None
            found.append((claim, measure, score, agrees))
    # The desk figures for this measure that the draft's figure does not fit.
    rivals = [claim for claim, measure, _, agrees in found if measure and agrees is False]
    matches = []
    for claim, measure, score, agrees in found:
        newer = tuple(r for r in rivals if _newness(r) > _newness(claim))
        if agrees is False:
            newer = ()
        matches.append(
            Match(claim, measure, score, agrees, newer, standing_of(claim, agrees, newer))
        )
    order = list(STANDINGS)
    # Worst standing first; then the closest wording, then the newest.
    matches.sort(key=lambda m: _newness(m.claim), reverse=True)
    matches.sort(key=lambda m: (order.index(m.standing), -m.similarity))
    return tuple(matches)


# ---------------------------------------------------------------------------
# Loading the rows


def measure_of(candidate: Candidate) -> Measure:
    """The measure a draft's candidate claim gives, to match with the desk's claims: its
    reading as claim fields, by the rule the desk stores them with (`claims.reading`)."""
    read = parsed_fields(candidate.parsed)
    fields, place = read.fields, read.place
    return Measure(
        text=candidate.sentence,
        value_low=fields.get("value_low"),
        value_high=fields.get("value_high"),
        event=fields.get("event", ""),
        unit=fields.get("unit", ""),
        population=fields.get("population", "all"),
        place_id=place.place_id if place else None,
        place_name=place.name if place else "",
        country=place.country if place else "",
        period_start=fields.get("period_start"),
        period_end=fields.get("period_end"),
        period_kind=fields.get("period_kind", ""),
    )


def _block_key(reading: Measure) -> tuple[str, str, str]:
    return reading.event, reading.unit, reading.country


def _block_query(base: Any, key: tuple[str, str, str], readings: Sequence[Measure]) -> Any:
    event, unit, country = key
    qs = base.filter(event=event, unit=unit)
    if country:
        qs = qs.filter(country=country)
    # Same measure means the same start (claim_block_idx: event, unit, country,
    # period_start); claims with no stated period may still share the words.
    starts = {r.period_start for r in readings if r.period_start is not None}
    return qs.filter(Q(period_start__in=starts) | Q(period_start__isnull=True))


# The columns a `DeskClaim` holds as they are, under the same name.
DESK_CLAIM_FIELDS = (
    "id",
    "text",
    "status",
    "value_low",
    "value_high",
    "event",
    "unit",
    "population",
    "place_id",
    "country",
    "period_start",
    "period_end",
    "period_kind",
    "reported_on",
    "created_at",
)
# The columns read for each desk claim a draft is matched against.
DESK_CLAIM_COLUMNS = (*DESK_CLAIM_FIELDS, "qualifier", "place__name")


def _flags(
    claim_ids: Sequence[int],
) -> tuple[dict[int, list[FlagNote]], dict[int, DeskFigure]]:
    """The open flags shown with each claim, and the figure the desk uses for it (the
    latest resolution that chose one), in one query."""
    notes: dict[int, list[FlagNote]] = defaultdict(list)
    figures: dict[int, DeskFigure] = {}
    if not claim_ids:
        return notes, figures
    shown = Q(flag__status__in=Flag.UNRESOLVED, flag__kind__in=SHOWN_KINDS)
    chose = Q(flag__in=Flag.objects.filter(CHOSE_A_FIGURE))
    through = Flag.claims.through.objects.filter(shown | chose, claim_id__in=claim_ids).order_by(
        "-flag__severity", F("flag__resolved_at").desc(nulls_last=True), "-flag_id"
    )
    labels = dict(Flag.Kind.choices)
    for claim_id, flag_id, kind, status, message, low, high, rule, note in through.values_list(
        "claim_id",
        "flag_id",
        "flag__kind",
        "flag__status",
        "flag__message",
        "flag__resolution_low",
        "flag__resolution_high",
        "flag__resolution_rule",
        "flag__resolution_note",
    ):
        if status in Flag.UNRESOLVED:
            notes[claim_id].append(FlagNote(flag_id, kind, str(labels.get(kind, kind)), message))
        elif low is not None and claim_id not in figures:  # CHOSE_A_FIGURE: low is set
            figures[claim_id] = DeskFigure(low, high, rule, flag_id, note)
    return notes, figures


def _sources(claim_ids: Sequence[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    rows = Attribution.objects.filter(
        claim_id__in=claim_ids, role=Attribution.Role.ATTRIBUTED_TO
    ).values_list("claim_id", "source__name")
    for claim_id, name in rows.order_by("id"):
        names[claim_id].append(name)
    return names


def _desk_claims(rows: Sequence[dict[str, Any]], tolerance: float) -> list[DeskClaim]:
    ids = [row["id"] for row in rows]
    (flags, figures), sources = _flags(ids), _sources(ids)
    labels = dict(Status.choices)
    return [
        _with_desk_figure(
            DeskClaim(
                **{name: row[name] for name in DESK_CLAIM_FIELDS},
                place_name=row["place__name"] or "",
                status_label=str(labels.get(row["status"], row["status"])),
                figure=format_figure(
                    row["value_low"], row["value_high"], row["qualifier"], tolerance
                ),
                sources=tuple(sources.get(row["id"], ())),
                flags=tuple(flags.get(row["id"], ())),
            ),
            figures.get(row["id"]),
        )
        for row in rows
    ]


def _with_desk_figure(claim: DeskClaim, desk: DeskFigure | None) -> DeskClaim:
    if desk is None:
        return claim
    words = f"{interval_words(desk.value_low, desk.value_high)} ({desk.rule_label})"
    return replace(claim, desk_low=desk.value_low, desk_high=desk.value_high, desk_figure=words)


def draft_check(*, user: Actor, text: str, reported_on: date) -> DraftReport:
    """Match every candidate claim in `text` (read against `reported_on`) with the desk.

    Queries: the parser's registers (4), one per block the draft touches, then
    the matched claims' flags (open ones and desk figures) and sources (2).
    """
    context = selectors.parse_context()
    threshold = CheckPolicy.load().duplicate_similarity
    candidates = extract(text, reported_on, context)
    readings = [measure_of(c) for c in candidates]
    blocks: dict[tuple[str, str, str], list[Measure]] = defaultdict(list)
    for reading in readings:
        blocks[_block_key(reading)].append(reading)
    base = Claim.objects.visible_to(user).exclude(status=Status.RETRACTED)
    rows: dict[int, dict[str, Any]] = {}
    truncated = False
    by_block: dict[tuple[str, str, str], list[int]] = {}
    for key, members in blocks.items():
        found = list(
            _block_query(base, key, members)
            .order_by("-created_at", "-id")
            .values(*DESK_CLAIM_COLUMNS)[: BLOCK_LIMIT + 1]
        )
        truncated = truncated or len(found) > BLOCK_LIMIT
        found = found[:BLOCK_LIMIT]
        by_block[key] = [row["id"] for row in found]
        rows.update((row["id"], row) for row in found)
    desk = {c.id: c for c in _desk_claims(list(rows.values()), context.tolerance)}
    checks = []
    counts: dict[str, int] = defaultdict(int)
    for candidate, reading in zip(candidates, readings, strict=True):
        block = [desk[pk] for pk in by_block[_block_key(reading)]]
        check = CandidateCheck(
            sentence=candidate.sentence,
            reading=reading,
            figure=format_figure(
                reading.value_low, reading.value_high, candidate.parsed.qualifier, context.tolerance
            ),
            period=_period(reading),
            source=_source(candidate),
            matches=match_reading(reading, block, threshold),
            words=candidate.words,
        )
        counts[check.standing or "new"] += 1
        checks.append(check)
    return DraftReport(reported_on, tuple(checks), truncated, dict(counts))


def _period(reading: Measure) -> str:
    if reading.period_start is None:
        return ""
    return format_period(reading.period_start, reading.period_end, reading.period_kind or None)


def _source(candidate: Candidate) -> str:
    source = candidate.parsed.source
    if source is not None and source.name:
        return source.name
    return candidate.parsed.source_text
