"""schema.org ClaimReview JSON-LD for a decided claim, for publishing."""

from __future__ import annotations

from typing import Any

from claims.errors import StateConflict
from claims.models import Attribution, Claim, RatingScale


def claim_review(claim: Claim, *, url: str, publisher: str) -> dict[str, Any]:
    if not claim.is_decided:
        raise StateConflict("Only a decided claim has a review to publish.")
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": claim.get_status_display()}
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
        if attributed[0].url:
            item["author"]["url"] = attributed[0].url
    if claim.reported_on:
        item["datePublished"] = claim.reported_on.isoformat()
    if claim.story is not None and claim.story.url:
        item["appearance"] = {"@type": "CreativeWork", "url": claim.story.url}
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.normalised or claim.text,
        "author": {"@type": "Organization", "name": publisher},
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if claim.decided_at is not None:
        review["datePublished"] = claim.decided_at.date().isoformat()
    return review
