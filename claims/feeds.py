"""The Atom feed of published reviews, beside their index at /reviews/."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims import selectors
from claims.models import PublishedReview

# The newest reviews a feed reader is given.
FEED_LENGTH = 50


class ReviewFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def title(self) -> str:
        return f"{settings.NEWSROOM_NAME}: fact checks"

    def subtitle(self) -> str:
        return "Claims the desk has checked, with its verdict."

    def link(self) -> str:
        return reverse("review_index")

    def items(self) -> QuerySet[PublishedReview]:
        return selectors.public_reviews()[:FEED_LENGTH]

    def item_title(self, item: PublishedReview) -> str:
        claim = item.claim
        verdict = claim.verdict.label if claim.verdict else claim.get_status_display()
        return f"{verdict}: {claim.text}"

    def item_description(self, item: PublishedReview) -> str:
        return item.summary

    def item_link(self, item: PublishedReview) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: PublishedReview) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: PublishedReview) -> dt.datetime:
        return item.published_at

    def item_updateddate(self, item: PublishedReview) -> dt.datetime:
        return item.modified_at or item.published_at

    def item_author_name(self, item: PublishedReview) -> str:
        return str(settings.NEWSROOM_NAME)
