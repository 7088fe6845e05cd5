"""Claims decided through the services, in published stories: what the publishing and
corrections tests start from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from claims import services
from claims.models import Claim, Rating, Status, Story
from tests.factories import AttributionFactory, ClaimFactory, EvidenceFactory, SourceFactory

CLAIM_TEXT = (
    "At least 51 people were killed in Aleppo on Wednesday when barrel bombs hit a market, "
    "the Observatory said."
)
STORY_URL = "https://news.example.org/2014/02/aleppo-barrel-bombs"


def published_story(editor: Any, **fields: Any) -> Story:
    values: dict[str, Any] = {
        "headline": "Barrel bombs kill dozens in Aleppo market",
        "body": CLAIM_TEXT,
        "url": STORY_URL,
        "published_at": dt.datetime(2014, 2, 13, 12, 0, tzinfo=dt.UTC),
        "status": Story.Status.PUBLISHED,
        "created_by": editor,
        **fields,
    }
    return Story.objects.create(**values)


def verdict(value: int) -> Rating:
    return Rating.objects.get(scale__is_default=True, value=value)


def decided_claim(
    checker: Any,
    *,
    status: str = Status.ATTRIBUTED,
    rating: int | None = 4,
    story: Story | None = None,
    note: str = "Only the Observatory counts this; publish with attribution.",
    text: str = CLAIM_TEXT,
) -> Claim:
    """A claim taken, given a verdict and decided by `checker`, with a graded source and
    a supporting evidence link that was captured."""
    claim = ClaimFactory(text=text, story=story)
    source = SourceFactory(
        name="Syrian Observatory for Human Rights", grade="C", url="https://www.syriahr.com/en/"
    )
    AttributionFactory(claim=claim, source=source)
    EvidenceFactory(
        claim=claim,
        source=source,
        url="https://www.syriahr.com/en/aleppo-market-12-february",
        archived_url="https://archive.example.org/2014/syriahr-aleppo-market",
        excerpt="At least 51 people died in the market strike, the monitor said.",
        captured_status=200,
        captured_sha256="ab" * 32,
        captured_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
    )
    claim = services.claim_transition(claim=claim, actor=checker, to=Status.IN_REVIEW)
    if rating is not None:
        claim = services.claim_update(
            claim=claim, actor=checker, version=claim.version, changes={"verdict": verdict(rating)}
        )
    return services.claim_transition(claim=claim, actor=checker, to=status, note=note)
