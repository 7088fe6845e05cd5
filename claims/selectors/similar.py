"""Claims the desk already has that a claim being logged may repeat: shown on the claim
form as the editor types, and beside a story's candidate before it is accepted, each with
its status and verdict, so the editor can say "same claim" instead of logging it twice.

"Similar" is the draft check's rule, not a new one (`claims.draftcheck.match_reading`):
a claim about the same measure (event, unit, population, place and period, as the block
scan weighs them) or in near-identical words (the duplicate rule's similarity). The rows
are read the draft check's way too: one indexed query on the (event, unit, country)
block, limited to the reading's start date and to claims with no period, at most
`BLOCK_LIMIT` of them, newest first; merged and retracted claims are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from claims.checks.duplicates import text_block_key
from claims.checks.sync import FACT_COLUMNS, Places, reading_fact
from claims.checks.types import ClaimFact
from claims.draftcheck import (
    BLOCK_LIMIT,
    Match,
    block_query,
    desk_claims,
    match_reading,
    placed,
)
from claims.models import CheckPolicy, Claim, Flag, Status, Story
from claims.parsing import ParsedClaim
from claims.reading import parsed_fields
from claims.selectors.stories import story_candidates
from claims.typing import Actor

# The closest matches shown; the rest are said as a number.
SIMILAR_SHOWN = 5

# Open flags whose other claims are the likely survivors of a merge.
MERGE_HINT_KINDS = (Flag.Kind.DUPLICATE, Flag.Kind.VERDICT_CONFLICT)


@dataclass(frozen=True)
class SimilarClaims:
    matches: tuple[Match, ...]  # the closest SIMILAR_SHOWN, worst standing first
    more: int = 0  # how many more matched

    def __bool__(self) -> bool:
        return bool(self.matches)


NONE = SimilarClaims(())


def similar_claims(
    *, user: Actor, reading: ClaimFact, exclude: Iterable[int] = ()
) -> SimilarClaims:
    """The desk's claims about the same measure as `reading`, or in near-identical words.

    Queries: the places (1), the block (1), and when it holds claims their open flags
    and desk figures, and their sources (2); the policy (1)."""
    policy = CheckPolicy.load()
    places = Places()
    base = Claim.objects.visible_to(user).current().exclude(status=Status.RETRACTED)
    skip = [pk for pk in exclude if pk]
    if skip:
        base = base.exclude(pk__in=skip)
    rows = list(
        block_query(base, text_block_key(reading), [reading])
        .order_by("-created_at", "-id")
        .values_list(*FACT_COLUMNS)[:BLOCK_LIMIT]
    )
    if not rows:
        return NONE
    desk = desk_claims(rows, places, policy.approx_tolerance)
    reading = placed(reading, desk)
    matches = match_reading(reading, desk, policy.duplicate_similarity)
    return SimilarClaims(matches[:SIMILAR_SHOWN], max(len(matches) - SIMILAR_SHOWN, 0))


def _reading_of(text: str, parsed: ParsedClaim, reported_on: date) -> ClaimFact:
    read = parsed_fields(parsed)
    return reading_fact(text, read, reported_on=reported_on, at=timezone.now())


def similar_to_words(
    *, user: Actor, text: str, parsed: ParsedClaim | None, reported_on: date
) -> SimilarClaims:
    """What the claim form shows under the words as they are typed (`parsed` is the
    form's reading of them; none yet, nothing to show)."""
    if parsed is None or not text.strip():
        return NONE
    return similar_claims(user=user, reading=_reading_of(text, parsed, reported_on))


def similar_to_candidate(*, user: Actor, story: Story, start: int, end: int) -> SimilarClaims:
    """What a story's candidate at [start, end) may repeat, before it is accepted: the
    claim it became (if any) and the story's own claims are left out. A KeyError when no
    candidate stands there."""
    found = {f.key: f for f in story_candidates(story=story)}
    candidate = found[(start, end)].candidate
    reported_on = timezone.localdate(story.published_at)
    reading = _reading_of(candidate.sentence, candidate.parsed, reported_on)
    own = story.claims.values_list("pk", flat=True)
    return similar_claims(user=user, reading=reading, exclude=own)


def merge_hints(claim: Claim) -> list[dict[str, Any]]:
    """The claims this one's open duplicate and verdict-conflict flags name: the likely
    survivors to offer on its page (id, status, figure words). Read from the flags'
    details, which the page has loaded already: no query."""
    hints: dict[int, dict[str, Any]] = {}
    for flag in claim.flags.all():
        if flag.kind not in MERGE_HINT_KINDS:
            continue
        details = flag.details or {}
        sides: Sequence[Any] = details.get("claims") or [
            details.get(side) for side in ("verified", "false")
        ]
        for side in sides:
            if isinstance(side, dict) and side.get("id") not in (None, claim.pk):
                hints.setdefault(int(side["id"]), {**side, "flag": flag.pk})
    return list(hints.values())
