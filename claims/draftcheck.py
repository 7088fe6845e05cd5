"""Check draft copy against what the desk already knows, before it is published.

Every candidate claim the parser finds in the draft is matched against the
desk's claims about the same measure (event, unit, population, place and
period) or with near-identical words, and each match says where the desk
stands: verified, attributed only, disputed, false, stale, or contradicted by
a newer figure. Reads only.

The draft's readings and the desk's claims are both `ClaimFact`s, the checks' plain
data (`checks.sync.reading_fact` and `fact_of_row`), and the matching (`match_reading`)
weighs them with the checks' own rules: comparability and blocks, same period, running
counts, overlapping figures, near-duplicate words. `draft_check` loads the rows it
needs. Its cost is bounded by the blocks the draft touches: one indexed query per
(event, unit, country) block, limited to the periods the draft names, never a scan of
every claim.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone

from claims import selectors
from claims.checks.blocking import comparable, period_of, require_period
from claims.checks.contradictions import (
    count_fell,
    running_totals_from_same_start,
    same_place_and_population,
)
from claims.checks.duplicates import intervals_overlap, same_subject, similarity, text_block_key
from claims.checks.incidents import running_counts
from claims.checks.sync import (
    FACT_COLUMNS,
    Places,
    Sources,
    fact_of_row,
    incident_of_reading,
    reading_fact,
)
from claims.checks.types import CONTRADICTION_KINDS, ClaimFact
from claims.models import Attribution, CheckPolicy, Claim, Flag, Status
from claims.parsing import Candidate, extract
from claims.parsing.sources import normalise_name
from claims.reading import parsed_fields
from claims.timeline import CHOSE_A_FIGURE, DeskFigure
from claims.typing import Actor
from claims.wording import format_figure, format_period, interval_words

# The flags shown with a match: those that make it contradicted or stale.
SHOWN_KINDS = CONTRADICTION_KINDS | {Flag.Kind.VERIFICATION_EXPIRED}

# At most this many desk claims are read per block the draft touches, newest first.
BLOCK_LIMIT = 500

# The longest copy the check reads: some 7,500 words. A draft is read whole on every
# check (nothing is stored, unlike a story's extraction) and its report lists every
# figure with its sentence, so the report grows with the copy: at 50,000 characters the
# check takes about half a second and its page stays under 2 MB even for copy that
# gives a figure every few words. Longer copy is checked a part at a time, or saved as a
# story, whose page shows its figures a page at a time.
DRAFT_MAX_CHARS = 50_000


def validate_draft_text(value: str) -> None:
    """The draft cap, as the draft form says it."""
    if len(value) > DRAFT_MAX_CHARS:
        raise ValidationError(
            f"The draft is {len(value):,} characters long; the check reads at most "
            f"{DRAFT_MAX_CHARS:,}. Check it a part at a time, or save it as a story.",
            code="max_length",
        )


# A figure's report names its worst matches, this many, and how many more there are: a
# common count ("killed in Aleppo yesterday") can match hundreds of desk claims.
MATCHES_SHOWN = 5

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
class FlagNote:
    id: int
    kind: str
    label: str
    message: str


@dataclass(frozen=True)
class DeskClaim:
    """A desk claim as the checks read it (`fact`), with what the page shows of it."""

    fact: ClaimFact
    status_label: str
    figure: str
    sources: tuple[str, ...]  # the names of the sources it is attributed to
    flags: tuple[FlagNote, ...] = ()
    # The figure the desk uses after a resolved conflict about this claim, if any.
    desk_low: int | None = None
    desk_high: int | None = None
    desk_figure: str = ""  # "20 to 51 (a range)"

    @property
    def id(self) -> int:
        return self.fact.id

    @property
    def text(self) -> str:
        return self.fact.text

    @property
    def status(self) -> str:
        return self.fact.status

    @property
    def reported_on(self) -> date | None:
        return self.fact.reported_on

    @property
    def created_at(self) -> datetime:
        return self.fact.created_at

    @property
    def used(self) -> ClaimFact:
        """The claim as the desk uses it: with the figure a resolved conflict chose."""
        if self.desk_low is None:
            return self.fact
        return replace(self.fact, value_low=self.desk_low, value_high=self.desk_high)

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
    reading: ClaimFact  # the claim a desk would save from the sentence
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

    @property
    def shown_matches(self) -> tuple[Match, ...]:
        """The worst MATCHES_SHOWN of its matches (they come worst first)."""
        return self.matches[:MATCHES_SHOWN]

    @property
    def more_matches(self) -> int:
        return max(len(self.matches) - MATCHES_SHOWN, 0)


@dataclass(frozen=True)
class DraftReport:
    reported_on: date
    candidates: tuple[CandidateCheck, ...]
    # True when a block held more claims than were read (BLOCK_LIMIT).
    truncated: bool = False
    counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# The pure core


def same_measure(a: ClaimFact, b: ClaimFact) -> bool:
    """Two counts the block scan would weigh against each other as one measure: the same
    block, place and population, and the same period or the same running tally (a day
    inside a month is a sub-period, another measure: the scans judge those)."""
    return (
        comparable(a)
        and comparable(b)
        and (a.event, a.unit, a.country) == (b.event, b.unit, b.country)
        and same_place_and_population(a, b)
        and (period_of(a) == period_of(b) or running_totals_from_same_start(a, b))
    )


def figures_agree(a: ClaimFact, b: ClaimFact) -> bool:
    """Whether the figures of one measure can both be true, as the block scan judges them:
    for the same period they overlap (else value_conflict), for a running tally the later
    count does not fall below the earlier (else count_decreased)."""
    if period_of(a) == period_of(b):
        return intervals_overlap(a, b)
    earlier, later = sorted((a, b), key=lambda fact: require_period(fact)[1])
    return not count_fell(earlier, later)


def near_duplicate(a: ClaimFact, b: ClaimFact, threshold: float) -> float:
    """How alike the words read (0-100) when they may be the same statement, as the
    duplicate and verdict rules score them, or 0."""
    return similarity(a, b, threshold) if same_subject(a, b) else 0.0


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
    reading: ClaimFact, desk: Iterable[DeskClaim], threshold: float
) -> tuple[Match, ...]:
    """The desk's claims about the same measure as `reading`, or in near-identical
    words, each with where it stands against the draft's figure (the figure the desk
    uses, where a resolved conflict chose one)."""
    found: list[tuple[DeskClaim, bool, float, bool | None]] = []
    for claim in desk:
        measure = same_measure(reading, claim.fact)
        score = near_duplicate(reading, claim.fact, threshold)
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


def placed(reading: ClaimFact, block: Iterable[DeskClaim]) -> ClaimFact:
    """`reading` with the desk's place, when the parser named a place the register has not
    linked (no id) and a desk claim's place has that name, folded as the registers fold
    names, in the same country: the place a claim saved from it would resolve to."""
    if reading.place_id is not None or not reading.place_name:
        return reading
    key = normalise_name(reading.place_name)
    for claim in block:
        fact = claim.fact
        same_country = fact.country == reading.country
        if fact.place_id is not None and same_country and normalise_name(fact.place_name) == key:
            return replace(reading, place_id=fact.place_id, place_ancestors=fact.place_ancestors)
    return reading


# ---------------------------------------------------------------------------
# Loading the rows


def _block_key(reading: ClaimFact) -> tuple[str, str, str]:
    return text_block_key(reading)


def block_query(base: Any, key: tuple[str, str, str], readings: Sequence[ClaimFact]) -> Any:
    """The desk's claims of one block that may match `readings`: shared by the draft check
    and the similar claims shown at entry (`selectors.similar`), so both match alike."""
    event, unit, country = key
    qs = base.filter(event=event)
    if event:
        qs = qs.filter(unit=unit)
    if country:
        qs = qs.filter(country=country)
    # Same measure means the same start (claim_block_idx: event, unit, country,
    # period_start); claims with no stated period may still share the words.
    starts = {r.period_start for r in readings if r.period_start is not None}
    return qs.filter(Q(period_start__in=starts) | Q(period_start__isnull=True))


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


def _sources(claim_ids: Sequence[int]) -> dict[int, Sources]:
    """(name, grade) of the sources each claim is attributed to, in the order they were added."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = Attribution.objects.filter(
        claim_id__in=claim_ids, role=Attribution.Role.ATTRIBUTED_TO
    ).values_list("claim_id", "source__name", "source__grade")
    for claim_id, name, grade in rows.order_by("id"):
        found[claim_id].append((name, grade))
    return {claim_id: tuple(pairs) for claim_id, pairs in found.items()}


def desk_claims(rows: Sequence[Sequence[Any]], places: Places, tolerance: float) -> list[DeskClaim]:
    """The rows (`FACT_COLUMNS`) as facts, read by the rule the scans read them with."""
    ids = [row[0] for row in rows]
    (flags, figures), sources = _flags(ids), _sources(ids)
    labels = dict(Status.choices)
    claims = []
    for row in rows:
        fact = fact_of_row(row, sources.get(row[0], ()), places)
        figure = format_figure(fact.value_low, fact.value_high, fact.qualifier or "", tolerance)
        claim = DeskClaim(
            fact,
            status_label=str(labels.get(fact.status, fact.status)),
            figure=figure,
            sources=tuple(name for name, _ in fact.sources),
            flags=tuple(flags.get(fact.id, ())),
        )
        claims.append(_with_desk_figure(claim, figures.get(fact.id)))
    return claims


def _with_desk_figure(claim: DeskClaim, desk: DeskFigure | None) -> DeskClaim:
    if desk is None:
        return claim
    words = f"{interval_words(desk.value_low, desk.value_high)} ({desk.rule_label})"
    return replace(claim, desk_low=desk.value_low, desk_high=desk.value_high, desk_figure=words)


def draft_check(*, user: Actor, text: str, reported_on: date) -> DraftReport:
    """Match every candidate claim in `text` (read against `reported_on`) with the desk.

    Queries: the parser's registers (4), the places (1), one per block the draft
    touches, then the matched claims' flags (open ones and desk figures) and sources (2).
    """
    context = selectors.parse_context()
    threshold = CheckPolicy.load().duplicate_similarity
    candidates = extract(text, reported_on, context)
    places = Places()
    now = timezone.now()
    readings = [
        reading_fact(
            c.sentence,
            read := parsed_fields(c.parsed),
            reported_on=reported_on,
            at=now,
            ancestors=places.ancestors(read.place.place_id if read.place else None),
        )
        for c in candidates
    ]
    blocks: dict[tuple[str, str, str], list[ClaimFact]] = defaultdict(list)
    for reading in readings:
        blocks[_block_key(reading)].append(reading)
    base = Claim.objects.visible_to(user).current().exclude(status=Status.RETRACTED)
    rows: dict[int, Sequence[Any]] = {}
    truncated = False
    by_block: dict[tuple[str, str, str], list[int]] = {}
    for key, members in blocks.items():
        found = list(
            block_query(base, key, members)
            .order_by("-created_at", "-id")
            .values_list(*FACT_COLUMNS)[: BLOCK_LIMIT + 1]
        )
        truncated = truncated or len(found) > BLOCK_LIMIT
        found = found[:BLOCK_LIMIT]
        by_block[key] = [row[0] for row in found]
        rows.update((row[0], row) for row in found)
    desk = {c.id: c for c in desk_claims(list(rows.values()), places, context.tolerance)}
    checks = []
    counts: dict[str, int] = defaultdict(int)
    # The incident claims near each (event, country, report date), read once per draft.
    seen_incidents: dict[tuple[str, str, date], list[Any]] = {}
    for candidate, reading in zip(candidates, readings, strict=True):
        block = [desk[pk] for pk in by_block[_block_key(reading)]]
        reading = placed(reading, block)
        named = incident_of_reading(reading, places, seen_incidents)
        if named is not None:
            reading, block = _in_incident(reading, named, base, places, context.tolerance)
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


def _in_incident(
    reading: ClaimFact,
    named: tuple[int, date | None],
    base: Any,
    places: Places,
    tolerance: float,
) -> tuple[ClaimFact, list[DeskClaim]]:
    """A sentence that names an incident on the desk ("the toll from the market bombing
    rose to 40") is weighed against that incident's tolls, all read as the checks read
    them: running counts from the incident's start (`checks.incidents`). Three queries."""
    incident, day = named
    reading = replace(reading, incident=incident, incident_day=day)
    rows = list(
        base.filter(incident_id=incident)
        .order_by("-reported_on", "-id")
        .values_list(*FACT_COLUMNS)[:BLOCK_LIMIT]
    )
    claims = desk_claims(rows, places, tolerance)
    running = running_counts([reading, *(claim.fact for claim in claims)])
    block = [replace(claim, fact=fact) for claim, fact in zip(claims, running[1:], strict=True)]
    return running[0], block


def _period(reading: ClaimFact) -> str:
    if reading.period_start is None:
        return ""
    return format_period(reading.period_start, reading.period_end, reading.period_kind)


def _source(candidate: Candidate) -> str:
    source = candidate.parsed.source
    if source is not None and source.name:
        return source.name
    return candidate.parsed.source_text
