"""Evidence and comments: what a claim rests on, and what the desk says about it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from claims.errors import ActionForbidden, InvalidInput, StateConflict
from claims.models import Claim, ClaimEvent, Comment, Evidence, Source, Status
from claims.services.common import record_event, user_of, validate
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
    if not actor.has_perm("claims.add_evidence"):
        raise ActionForbidden("Your role may not add evidence.")
    if claim.status == Status.RETRACTED:
        raise StateConflict("A retracted claim takes no more evidence.")
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
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: Actor, note: str = "") -> None:
    if not actor.has_perm("claims.delete_evidence"):
        raise ActionForbidden("Your role may not remove evidence.")
    claim = Claim.objects.select_for_update().get(pk=evidence.claim_id)
    if (
        claim.status == Status.VERIFIED
        and evidence.stance == Evidence.Stance.SUPPORTS
        and not claim.evidence.filter(stance=Evidence.Stance.SUPPORTS)
        .exclude(pk=evidence.pk)
        .exists()
    ):
        raise StateConflict(
            "This is the only supporting evidence of a verified claim: reopen the claim first."
        )
    details = {"evidence": evidence.pk, "url": evidence.url, "stance": evidence.stance}
    evidence.delete()
    record_event(claim, actor, ClaimEvent.Kind.EVIDENCE_REMOVED, note=note.strip(), details=details)


@transaction.atomic
def comment_add(*, claim: Claim, actor: Actor, body: str) -> Comment:
    if not actor.has_perm("claims.add_comment"):
        raise ActionForbidden("Your role may not comment.")
    body = (body or "").strip()
    if not body:
        raise InvalidInput("The comment is empty.", errors={"body": ["Write something."]})
    comment = Comment.objects.create(claim=claim, author=user_of(actor), body=body)
    record_event(claim, actor, ClaimEvent.Kind.COMMENTED, details={"comment": comment.pk})
    return comment
