"""schema.org ClaimReview JSON-LD for a decided claim, for publishing.

Publishers paste it into their pages, so it is written with
`claims.jsonhtml` (never plain json.dumps) and carries only plain web links.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from claims.errors import InvalidInput, StateConflict
from claims.models import Attribution, Claim, RatingScale
from claims.weburl import web_url_or_none, web_url_problem


def claim_review(
    claim: Claim,
    *,
    url: str,
    publisher: str,
    summary: str = "",
    date_published: dt.datetime | None = None,
    date_modified: dt.datetime | None = None,
) -> dict[str, Any]:
    """The ClaimReview of a decided claim at `url`. A published review (`/reviews/`)
    gives its summary and the dates it was published and last changed; without them
    the review is dated by the decision."""
    if not claim.is_decided:
        raise StateConflict(gettext("Only a decided claim has a review to publish."))
    if web_url_problem(url):
        raise InvalidInput(
            gettext("The review's URL cannot be published: %(problem)s.")
            % {"problem": web_url_problem(url)}
        )
    # Publishers paste it into their pages: it speaks the desk's language, not the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        status = claim.get_status_display()
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": status}
    if claim.verdict is not None:
        scale: RatingScale = claim.verdict.scale
        rating.update(
            ratingValue=claim.verdict.value,
            bestRating=scale.best_rating,
            worstRating=scale.worst_rating,
            alternateName=claim.verdict.label,
        )
    item: dict[str, Any] = {"@type": "Claim"}
    attributed = [
        a.source for a in claim.attributions.all() if a.role == Attribution.Role.ATTRIBUTED_TO
    ]
    if attributed:
        item["author"] = {"@type": "Organization", "name": attributed[0].name}
        # A stored link from before the stricter rule is left out, not published.
        author_url = web_url_or_none(attributed[0].url)
        if author_url:
            item["author"]["url"] = author_url
    if claim.reported_on:
        item["datePublished"] = claim.reported_on.isoformat()
    story_url = web_url_or_none(claim.story.url) if claim.story is not None else None
    if story_url:
        # The desk meets a claim in one story: where it appeared, and first.
        appearance = {"@type": "CreativeWork", "url": story_url}
        if claim.story is not None and claim.story.headline:
            appearance["headline"] = claim.story.headline
        item["appearance"] = appearance
        item["firstAppearance"] = dict(appearance)
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.normalised or claim.text,
        "author": {"@type": "Organization", "name": publisher},
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if summary:
        review["reviewBody"] = summary
    published = date_published or claim.decided_at
    if published is not None:
        review["datePublished"] = published.date().isoformat()
    if date_modified is not None:
        review["dateModified"] = date_modified.date().isoformat()
    return review
