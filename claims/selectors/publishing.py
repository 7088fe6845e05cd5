"""Reads for publishing: the public review page and its index, what the claim page says
about the review and the stories to correct, the story page's corrections and history,
the corrections queue, and a claim's dossier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from claims import localwording, policy, roles, wording
from claims.charts import COMPACT_WIDTH, Chart, build_chart
from claims.claimreview import claim_review
from claims.jsonhtml import dumps_for_html
from claims.models import (
    DECIDED,
    Attribution,
    CheckPolicy,
    Claim,
    ClaimEvent,
    Comment,
    Correction,
    Evidence,
    Flag,
    FlagEvent,
    PublishedReview,
    Status,
    Story,
    StoryEvent,
)
from claims.timeline import _measure, chart_point, timeline_claims
from claims.typing import Actor

# ---------------------------------------------------------------------------
# The public review page


def _review_claims() -> QuerySet[Claim]:
    return (
        Claim.objects.with_related()
        .select_related("verdict__scale")
        .prefetch_related(
            Prefetch("events", queryset=ClaimEvent.objects.select_related("actor")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("source")),
        )
    )


def review_public(*, key: str) -> PublishedReview:
    """The review at `key` when anyone may read it (DoesNotExist otherwise: published,
    not taken down, on a claim decided now)."""
    return (
        PublishedReview.objects.public()
        .select_related("published_by")
        .prefetch_related(Prefetch("claim", queryset=_review_claims()))
        .get(key=key)
    )


def public_reviews() -> QuerySet[PublishedReview]:
    """The published reviews anyone may read, the latest first: the index and its feed."""
    return (
        PublishedReview.objects.public()
        .select_related("claim", "claim__verdict")
        .defer("claim__story_sentence", "claim__incident_words")
        .order_by("-published_at", "-id")
    )


@dataclass(frozen=True)
class DecisionStep:
    """One line of a review's public history: what happened, who did it and when. Notes
    stay on the desk, but the note of the decision that stands is shown with it."""

    what: str
    who: str
    at: dt.datetime


@dataclass(frozen=True)
class ReviewPage:
    review: PublishedReview
    claim: Claim
    figure: str
    interval: str
    period: str
    decision_note: str
    decided_by: str
    steps: list[DecisionStep]
    attributions: list[Attribution]
    evidence: list[Evidence]
    chart: Chart | None
    jsonld: SafeString
    url: str

    @property
    def updated(self) -> dt.datetime | None:
        return self.review.modified_at


def person(user: Any) -> str:
    """How the public pages name someone on the desk."""
    if user is None:
        return "the desk"
    return str(user.get_full_name() or user.get_username())


_STEP_WORDS: dict[str, str] = {
    ClaimEvent.Kind.PUBLISHED: "Review published",
    ClaimEvent.Kind.UNPUBLISHED: "Review taken down",
}


def _steps(events: list[ClaimEvent]) -> list[DecisionStep]:
    """The history of the decision: each decision, reopening and retraction, and each
    publication and takedown of the review, without the notes and comments of the desk."""
    steps = []
    for ev in events:
        if ev.kind == ClaimEvent.Kind.TRANSITION:
            if ev.to_status in DECIDED:
                what = f"Decided: {Status(ev.to_status).label.lower()}"
            elif ev.from_status in DECIDED:
                what = "Reopened for review"
            elif ev.to_status == Status.RETRACTED:
                what = "Retracted"
            else:
                continue
        elif ev.kind in _STEP_WORDS:
            what = _STEP_WORDS[ev.kind]
        else:
            continue
        steps.append(DecisionStep(what, person(ev.actor), ev.at))
    return steps


def review_chart(claim: Claim, tolerance: float) -> Chart | None:
    """The claim's timeline as the public may see it: the claim and the other figures
    for its measure whose reviews are published, without the desk's flags."""
    if not claim.has_number:
        return None
    claims = timeline_claims(claim)
    public = set(
        PublishedReview.objects.public()
        .filter(claim__in=[c.pk for c in claims])
        .values_list("claim_id", flat=True)
    )
    shown = [c for c in claims if c.pk == claim.pk or c.pk in public]
    points = [
        replace(
            chart_point(c, current=c.pk == claim.pk),
            flag_kinds=(),
            desk_low=None,
            desk_high=None,
            desk_rule="",
        )
        for c in shown
    ]
    measure = _measure(claim)
    where = claim.place.name if claim.place else claim.country
    title = (
        gettext("%(measure)s in %(place)s") % {"measure": wording.sentence(measure), "place": where}
        if where
        else wording.sentence(measure)
    )
    return build_chart(
        points,
        title=gettext("%(title)s: the published figures over time") % {"title": title},
        measure=measure,
        dom_id=f"timeline-{claim.pk}",
        tolerance=tolerance,
        compact_width=COMPACT_WIDTH,
    )


def review_page(review: PublishedReview, *, url: str) -> ReviewPage:
    """Everything the public page of `review` shows, its JSON-LD among it; `url` is the
    page's own absolute address."""
    claim = review.claim
    tolerance = CheckPolicy.load().approx_tolerance
    events = list(claim.events.all())
    decision = next(
        (
            ev
            for ev in reversed(events)
            if ev.kind == ClaimEvent.Kind.TRANSITION and ev.to_status == claim.status
        ),
        None,
    )
    data = claim_review(
        claim,
        url=url,
        publisher=settings.NEWSROOM_NAME,
        summary=review.summary,
        date_published=review.published_at,
        date_modified=review.modified_at,
    )
    return ReviewPage(
        review=review,
        claim=claim,
        figure=localwording.format_figure(
            claim.value_low, claim.value_high, claim.qualifier, tolerance
        ),
        interval=localwording.interval_text(claim.value_low, claim.value_high),
        period=localwording.format_period(claim.period_start, claim.period_end, claim.period_kind),
        decision_note=decision.note if decision else "",
        decided_by=person(decision.actor) if decision else "the desk",
        steps=_steps(events),
        attributions=list(claim.attributions.all()),
        evidence=list(claim.evidence.all()),
        chart=review_chart(claim, tolerance),
        # Escaped by `dumps_for_html`: no text in it can end the script element.
        jsonld=mark_safe(dumps_for_html(data, ensure_ascii=False)),  # noqa: S308
        url=url,
    )


# ---------------------------------------------------------------------------
# On the desk: the claim page, the API, the story page and the corrections queue


def open_corrections(claim: Claim) -> list[Correction]:
    """The published stories that carry the claim and still have to answer a change
    to it, each with its story and the change."""
    return list(
        Correction.objects.filter(claim=claim, resolved_at__isnull=True)
        .select_related("story", "event__actor")
        .defer("story__body", "story__extraction")
        .order_by("-changed_at", "-id")
    )


@dataclass(frozen=True)
class ClaimPublishing:
    """What the claim page says about publishing: the review, who may publish or take
    it down, and the stories to correct."""

    review: PublishedReview | None
    may_publish: bool
    may_unpublish: bool
    corrections: list[Correction]

    @property
    def live(self) -> bool:
        return self.review is not None and self.review.live

    @property
    def public(self) -> bool:
        return self.live and self.review is not None and self.review.claim.is_decided


def _may_have_asked_for_corrections(events: list[ClaimEvent]) -> bool:
    """Whether the claim's history holds a change that opens a correction
    (`services.publishing.correction_reason`): a retraction, a reopened decision, a
    second decision or a new verdict. Without one there is no correction to look up."""
    decisions = 0
    for ev in events:
        if ev.kind == ClaimEvent.Kind.TRANSITION:
            if ev.to_status == Status.RETRACTED or ev.from_status in DECIDED:
                return True
            decisions += ev.to_status in DECIDED
        elif ev.kind == ClaimEvent.Kind.EDITED and "verdict" in (ev.details or {}).get(
            "changed", {}
        ):
            return True
    return decisions > 1


def claim_publishing(*, claim: Claim, user: Actor) -> ClaimPublishing:
    """For the claim page, whose claim comes with its history (`claim_page`): the rows
    it holds say whether there is a review or a correction to read, so a claim never
    published nor changed after a decision costs no query here."""
    events = list(claim.events.all())
    review = None
    if any(ev.kind == ClaimEvent.Kind.PUBLISHED for ev in events):
        review = PublishedReview.objects.filter(claim=claim).first()
        if review is not None:
            review.claim = claim
    return ClaimPublishing(
        review=review,
        may_publish=policy.allows(user, policy.Action.PUBLISH, claim),
        may_unpublish=review is not None
        and review.live
        and policy.allows(user, policy.Action.UNPUBLISH, claim),
        corrections=open_corrections(claim) if _may_have_asked_for_corrections(events) else [],
    )


@dataclass(frozen=True)
class StoryCorrections:
    open: list[Correction]
    history: list[StoryEvent]
    may_answer: bool


def story_corrections(*, story: Story, user: Actor) -> StoryCorrections:
    """The story page's banner (the open corrections, each with its claim and the
    change) and the story's history. Every correction writes a row of that history, so
    a story without one costs a single query."""
    history = list(
        StoryEvent.objects.filter(story=story).select_related("actor", "recipient", "claim")
    )
    rows = []
    if history:
        rows = list(
            Correction.objects.filter(story=story, resolved_at__isnull=True)
            .select_related("claim", "event__actor")
            .order_by("-changed_at", "-id")
        )
    return StoryCorrections(
        open=rows,
        history=history,
        may_answer=bool(rows) and user.has_perm("claims.change_story"),
    )


def correction_queue(*, user: Actor) -> QuerySet[Story]:
    """Published stories with claims that changed after publication and are not yet
    answered, the most recent change first, each with `open_count` and `last_change`."""
    stories = Story.objects.visible_to(user).filter(status=Story.Status.PUBLISHED)
    still_open = Q(corrections__resolved_at__isnull=True)
    return (
        stories.filter(still_open)
        .defer("body", "extraction")
        .select_related("created_by")
        .annotate(
            open_count=Count("corrections", filter=still_open),
            last_change=Max("corrections__changed_at", filter=still_open),
        )
        .order_by("-last_change", "-id")
    )


# ---------------------------------------------------------------------------
# The dossier


@dataclass(frozen=True)
class Dossier:
    claim: Claim
    figure: str
    interval: str
    period: str
    flags: list[Flag]
    review: PublishedReview | None
    corrections: list[Correction]
    generated_at: dt.datetime


def dossier(*, user: Actor, pk: int) -> Dossier:
    """Everything on record about one claim, for desk users of any role (DoesNotExist
    for others): its reading, sources and grades, evidence with capture hashes, every
    flag with how it was resolved, the full history and the comments."""
    if not roles.has_role(user):
        raise Claim.DoesNotExist
    claim = (
        Claim.objects.visible_to(user)
        .with_related()
        .select_related("created_by", "verdict__scale", "incident")
        .prefetch_related(
            Prefetch("events", queryset=ClaimEvent.objects.select_related("actor")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("source", "added_by"),
            ),
            "evidence__snapshots",
            Prefetch("comments", queryset=Comment.objects.select_related("author")),
        )
        .get(pk=pk)
    )
    flags = list(
        claim.flags.select_related("resolved_by")
        .prefetch_related(
            Prefetch("events", queryset=FlagEvent.objects.select_related("actor")),
            Prefetch("claims", queryset=Claim.objects.only("id", "text")),
        )
        .order_by("first_seen", "id")
    )
    # How wide "about" is: the policy's, read with the claim (with_related).
    tolerance = getattr(claim, "policy_tolerance", None)
    if tolerance is None:
        tolerance = CheckPolicy.load().approx_tolerance
    tolerance = float(tolerance)
    return Dossier(
        claim=claim,
        figure=localwording.format_figure(
            claim.value_low, claim.value_high, claim.qualifier, tolerance
        ),
        interval=localwording.interval_text(claim.value_low, claim.value_high),
        period=localwording.format_period(claim.period_start, claim.period_end, claim.period_kind),
        flags=flags,
        review=PublishedReview.objects.filter(claim=claim).first(),
        corrections=list(
            Correction.objects.filter(claim=claim)
            .select_related("story", "resolved_by", "event__actor")
            .defer("story__body", "story__extraction")
        ),
        generated_at=timezone.now(),
    )
