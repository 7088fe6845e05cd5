"""Publishing a decided claim's review and taking it down, and the corrections a changed
decision asks of the published stories that carry the claim.

`claim_changed` is called by the workflow and the edit services, in their transaction,
after they wrote the change's history row: a later decision, verdict or retraction marks
the public review as updated and opens a correction on each published story that carries
the claim, with a row in the story's history for its editor.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from claims import policy, selectors
from claims.errors import ActionForbidden, InvalidInput, StateConflict
from claims.models import (
    DECIDED,
    Claim,
    ClaimEvent,
    Correction,
    PublishedReview,
    Status,
    Story,
    StoryEvent,
)
from claims.services.common import lock_claim, record_event, user_of
from claims.services.notifications import queue_followups
from claims.text import text_problem
from claims.typing import Actor

SUMMARY_MAX = 5_000
NOTE_MAX = 2_000


# Whole sentences for each text a reviewer writes, so a translator sees full sentences.
_TEXT_REFUSALS = {
    "summary": {
        "empty": gettext_lazy("The summary is empty."),
        "unstorable": gettext_lazy("The summary cannot be stored."),
        "long": gettext_lazy("The summary is too long."),
    },
    "note": {
        "empty": gettext_lazy("The note is empty."),
        "unstorable": gettext_lazy("The note cannot be stored."),
        "long": gettext_lazy("The note is too long."),
    },
}


def _text(value: str | None, *, name: str, missing: str, limit: int) -> str:
    refusals = _TEXT_REFUSALS[name]
    text = (value or "").strip()
    if not text:
        raise InvalidInput(str(refusals["empty"]), errors={name: [gettext(missing)]})
    problem = text_problem(text)
    if problem is not None:
        raise InvalidInput(str(refusals["unstorable"]), errors={name: [problem]})
    if len(text) > limit:
        raise InvalidInput(
            str(refusals["long"]),
            errors={
                name: [
                    gettext("Keep it under %(limit)s characters (it has %(length)s).")
                    % {"limit": f"{limit:,}", "length": f"{len(text):,}"}
                ]
            },
        )
    return text


# ---------------------------------------------------------------------------
# Publishing


@transaction.atomic
def review_publish(*, claim: Claim, actor: Actor, summary: str) -> PublishedReview:
    """Make a decided claim's review public (or public again), with a summary for
    readers. Publishing an unchanged live review again changes nothing; a new summary
    or a review put back up after a takedown counts as an update of the page."""
    policy.check_role(actor, policy.Action.PUBLISH)
    claim = lock_claim(claim, None)
    policy.check(actor, policy.Action.PUBLISH, claim)
    summary = _text(
        summary,
        name="summary",
        missing=gettext_noop("Say what the desk found, in a sentence or two for readers."),
        limit=SUMMARY_MAX,
    )
    now = timezone.now()
    review = PublishedReview.objects.select_for_update().filter(claim=claim).first()
    republished = review is not None
    if review is None:
        review = PublishedReview.objects.create(
            claim=claim, summary=summary, published_by=user_of(actor), published_at=now
        )
    else:
        if review.live and review.summary == summary:
            return review
        if review.summary != summary:
            review.modified_at = now
        review.summary, review.live, review.unpublished_at = summary, True, None
        review.save(update_fields=["summary", "live", "unpublished_at", "modified_at"])
    event = record_event(
        claim,
        actor,
        ClaimEvent.Kind.PUBLISHED,
        note=summary,
        details={"review": review.key, "republished": republished},
    )
    queue_followups(event)  # the webhooks' review.published
    return review


@transaction.atomic
def review_unpublish(*, claim: Claim, actor: Actor, note: str) -> PublishedReview:
    """Take a claim's public review down; its address answers 404 until it is published
    again. The note says why, in the claim's history."""
    policy.check_role(actor, policy.Action.UNPUBLISH)
    claim = lock_claim(claim, None)
    policy.check(actor, policy.Action.UNPUBLISH, claim)
    note = _text(
        note, name="note", missing=gettext_noop("Say why the review comes down."), limit=NOTE_MAX
    )
    review = PublishedReview.objects.select_for_update().filter(claim=claim, live=True).first()
    if review is None:
        raise StateConflict(gettext("This claim has no published review to take down."))
    review.live, review.unpublished_at = False, timezone.now()
    review.save(update_fields=["live", "unpublished_at"])
    record_event(
        claim, actor, ClaimEvent.Kind.UNPUBLISHED, note=note, details={"review": review.key}
    )
    return review


# ---------------------------------------------------------------------------
# A decision that changed


def correction_reason(event: ClaimEvent, *, decided_before: bool) -> str | None:
    """Whether a change written as `event` changes what published copy may say about
    the claim, and why: a retraction, a reopened decision, a new decision after an
    earlier one, or a new verdict on a decided claim. None for any other change."""
    if event.kind == ClaimEvent.Kind.TRANSITION:
        if event.to_status == Status.RETRACTED:
            return Correction.Reason.RETRACTED
        if event.from_status in DECIDED:
            return Correction.Reason.REOPENED
        if event.to_status in DECIDED and decided_before:
            return Correction.Reason.DECIDED_AGAIN
        return None
    changed = (event.details or {}).get("changed", {})
    if event.kind == ClaimEvent.Kind.EDITED and "verdict" in changed and decided_before:
        return Correction.Reason.VERDICT_CHANGED
    return None


def _decided_before(claim: Claim, event: ClaimEvent) -> bool:
    """The claim was decided before this change: decided now (an edit), or decided by
    an earlier move (a new decision after a reopening)."""
    if event.kind != ClaimEvent.Kind.TRANSITION:
        return claim.is_decided
    if event.to_status not in DECIDED:
        return False  # only a new decision asks whether there was one before
    return (
        claim.events.filter(kind=ClaimEvent.Kind.TRANSITION, to_status__in=DECIDED)
        .exclude(pk=event.pk)
        .exists()
    )


def stories_carrying(claim: Claim) -> list[Story]:
    """The published stories whose copy carries the claim: the story it was found in, and
    those linked to it as the same claim (`selectors.claim_story_ids`). This is the one
    place that says so, for the corrections to follow."""
    ids = selectors.claim_story_ids(claim)
    if not ids:
        return []
    return list(
        Story.objects.filter(pk__in=ids, status=Story.Status.PUBLISHED)
        .order_by("pk")
        .only("id", "created_by_id", "published_at", "status")
        .select_for_update()
    )


def claim_changed(*, claim: Claim, event: ClaimEvent) -> list[Correction]:
    """What a change to a claim (its history row `event`) means for what was published:
    the public review shows "updated", and each published story carrying the claim, out
    before the change, gets an open correction and a row in its history for its editor.
    Called inside the change's transaction, with the claim locked."""
    reason = correction_reason(event, decided_before=_decided_before(claim, event))
    if reason is None and not (event.kind == ClaimEvent.Kind.EDITED and claim.is_decided):
        return []
    PublishedReview.objects.filter(claim=claim, live=True).update(modified_at=event.at)
    if reason is None:
        return []
    corrections = []
    for story in stories_carrying(claim):
        if story.published_at > event.at:
            continue  # not out yet: the copy goes out with the claim as it is now
        correction = Correction.objects.filter(
            story=story, claim=claim, resolved_at__isnull=True
        ).first()
        if correction is None:
            correction = Correction(story=story, claim=claim)
        correction.event, correction.reason, correction.changed_at = event, reason, event.at
        correction.save()
        StoryEvent.objects.create(
            story=story,
            actor=event.actor,
            recipient_id=story.created_by_id,
            kind=StoryEvent.Kind.CORRECTION_NEEDED,
            claim=claim,
            note=event.note,
            details={
                "reason": reason,
                "from": event.from_status,
                "to": event.to_status or claim.status,
                "correction": correction.pk,
            },
        )
        corrections.append(correction)
    return corrections


@transaction.atomic
def corrections_resolve(*, story: Story, actor: Actor, note: str) -> list[Correction]:
    """The story's editor answers its open corrections: the copy is corrected, or the
    note says why it stands. Recorded in the story's history."""
    if not actor.has_perm("claims.change_story"):
        raise ActionForbidden(gettext("Only editors and admins may answer a story's corrections."))
    note = _text(
        note,
        name="note",
        missing=gettext_noop("Say what was corrected, or why the copy stands."),
        limit=NOTE_MAX,
    )
    story = Story.objects.select_for_update().only("id").get(pk=story.pk)
    open_rows = list(Correction.objects.filter(story=story, resolved_at__isnull=True))
    if not open_rows:
        raise StateConflict(gettext("This story has no corrections to answer."))
    now, user = timezone.now(), user_of(actor)
    for row in open_rows:
        row.resolved_at, row.resolved_by, row.resolution_note = now, user, note
    Correction.objects.bulk_update(open_rows, ["resolved_at", "resolved_by", "resolution_note"])
    StoryEvent.objects.create(
        story=story,
        actor=user,
        kind=StoryEvent.Kind.CORRECTED,
        note=note,
        details={"claims": sorted(row.claim_id for row in open_rows)},
    )
    return open_rows
