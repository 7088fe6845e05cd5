"""Evidence and comments: what a claim rests on, and what the desk says about it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from claims import policy
from claims.errors import InvalidInput, StateConflict
from claims.models import Claim, ClaimEvent, Comment, Evidence, EvidenceSnapshot, Source, Status
from claims.services.common import record_event, user_of, validate
from claims.services.notifications import queue_followups
from claims.services.snapshots import queue_captures
from claims.typing import Actor


@transaction.atomic
def evidence_add(
    *,
    claim: Claim,
    actor: Actor,
    url: str,
    stance: str = Evidence.Stance.SUPPORTS,
    excerpt: str = "",
    source: Source | None = None,
    archived_url: str = "",
    accessed_at: dt.datetime | None = None,
) -> Evidence:
    policy.check(actor, policy.Action.ADD_EVIDENCE, claim)
    evidence = Evidence(
        claim=claim,
        url=(url or "").strip(),
        stance=stance,
        excerpt=(excerpt or "").strip(),
        source=source,
        archived_url=(archived_url or "").strip(),
        accessed_at=accessed_at or timezone.now(),
        added_by=user_of(actor),
    )
    validate(evidence, "evidence", exclude=("claim", "source", "added_by"))
    evidence.save()
    record_event(
        claim,
        actor,
        ClaimEvent.Kind.EVIDENCE_ADDED,
        details={"evidence": evidence.pk, "url": evidence.url, "stance": evidence.stance},
    )
    queue_captures([evidence.pk], EvidenceSnapshot.Reason.ADDED)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: Actor, note: str = "") -> None:
    policy.check_role(actor, policy.Action.REMOVE_EVIDENCE)
    claim = Claim.objects.select_for_update().get(pk=evidence.claim_id)
    # Who edits the claim's words takes evidence off it; a decided claim keeps its own.
    policy.check(actor, policy.Action.REMOVE_EVIDENCE, claim)
    if (
        claim.status == Status.VERIFIED
        and evidence.stance == Evidence.Stance.SUPPORTS
        and not claim.evidence.filter(stance=Evidence.Stance.SUPPORTS)
        .exclude(pk=evidence.pk)
        .exists()
    ):
        raise StateConflict(
            gettext(
                "This is the only supporting evidence of a verified claim: reopen the claim first."
            )
        )
    details = {"evidence": evidence.pk, "url": evidence.url, "stance": evidence.stance}
    evidence.delete()
    record_event(claim, actor, ClaimEvent.Kind.EVIDENCE_REMOVED, note=note.strip(), details=details)


@transaction.atomic
def comment_add(*, claim: Claim, actor: Actor, body: str) -> Comment:
    policy.check(actor, policy.Action.COMMENT, claim)
    body = (body or "").strip()
    if not body:
        raise InvalidInput(
            gettext("The comment is empty."), errors={"body": [gettext("Write something.")]}
        )
    comment = Comment.objects.create(claim=claim, author=user_of(actor), body=body)
    event = record_event(claim, actor, ClaimEvent.Kind.COMMENTED, details={"comment": comment.pk})
    queue_followups(event)  # the people the comment mentions
    return comment
