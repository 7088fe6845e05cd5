"""One claim logged twice: folding a duplicate into the claim that survives, and linking
a story's words to a claim the desk already has ("same claim") instead of logging it
again. Either way one claim carries every story that makes it, and a verdict reached
once serves them all.

A merge moves what hangs off the duplicate to the survivor: evidence, attributions
(one per source and role), comments, the stories that carry it (as `StoryLink` rows),
its flags, its incident and topics when the survivor has none. The duplicate stays on
record, with `merged_into` set and a history row saying who, when and why; it leaves
the lists, queues and scans, and its page and API answer send readers to the survivor.

Which decision stands: the survivor's. Merging is refused (409) when that would lose
one: a decided duplicate into an undecided claim (merge the other way round, so the
decision carries over), or two claims decided differently (reopen one first).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from claims import policy
from claims.checks.types import DUPLICATE, EVIDENCE_KINDS, fingerprint
from claims.errors import ActionForbidden, InvalidInput, StateConflict
from claims.models import (
    Attribution,
    Claim,
    ClaimEvent,
    Comment,
    Evidence,
    Flag,
    Status,
    Story,
    StoryLink,
)
from claims.services.common import lock_claim, queue_scan, record_event, save_claim, user_of
from claims.services.flags import flag_set_status
from claims.services.stories import _open_at, _story_candidates_locked
from claims.typing import Actor

NOTE_MAX = 2000


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(
            gettext("The note is too long."),
            errors={"note": [gettext("Keep it under 2,000 characters.")]},
        )
    return note


def _survivor_problem(old: Claim, survivor: Claim) -> StateConflict | None:
    """Why `old` may not be folded into `survivor` as things stand: a decision would be
    lost or overruled. None when the merge may go ahead."""
    if survivor.status == Status.RETRACTED and old.status != Status.RETRACTED:
        return StateConflict(
            gettext("Claim #%(survivor)s is retracted: merge it into #%(old)s instead.")
            % {"survivor": survivor.pk, "old": old.pk},
            errors={"into": [gettext("Pick a claim that is not retracted.")]},
        )
    if old.is_decided and not survivor.is_decided:
        return StateConflict(
            gettext(
                "Claim #%(old)s is decided (%(status)s) and #%(survivor)s is not: merge "
                "#%(survivor)s into #%(old)s, so the decision stands."
            )
            % {"old": old.pk, "status": old.get_status_display().lower(), "survivor": survivor.pk},
            errors={"into": [gettext("Pick the decided claim as the one that stays.")]},
        )
    if (
        old.is_decided
        and survivor.is_decided
        and (old.status, old.verdict_id) != (survivor.status, survivor.verdict_id)
    ):
        return StateConflict(
            gettext(
                "Claims #%(old)s and #%(survivor)s were decided differently: reopen one "
                "and decide it again before merging."
            )
            % {"old": old.pk, "survivor": survivor.pk},
            errors={"into": [gettext("The two decisions disagree.")]},
        )
    return None


@transaction.atomic
def claim_merge(*, claim: Claim, into: Claim | int, actor: Actor, note: str = "") -> Claim:
    """Fold `claim` (a duplicate) into `into`, the claim that survives; answers the
    survivor. Fact-checkers and admins. Both rows are locked in id order, so two merges
    of the same claims at once run one after the other and the second sees the first.
    Merging a claim again into the claim it was merged into changes nothing."""
    policy.check_role(actor, policy.Action.MERGE)
    note = _clean_note(note)
    into_id = into if isinstance(into, int) else into.pk
    if into_id == claim.pk:
        raise InvalidInput(
            gettext("A claim cannot be merged into itself."),
            errors={"into": [gettext("Pick the other claim, the one that stays.")]},
        )
    locked = Claim.objects.select_for_update().order_by("pk").in_bulk([claim.pk, into_id])
    if into_id not in locked:
        raise InvalidInput(
            gettext("Unknown claim."),
            errors={"into": [gettext("No claim has id %(id)s.") % {"id": into_id}]},
        )
    old, survivor = locked[claim.pk], locked[into_id]
    if old.merged_into_id == survivor.pk:
        return survivor
    policy.check(actor, policy.Action.MERGE, old)
    if survivor.merged_into_id is not None:
        raise InvalidInput(
            gettext("Claim #%(survivor)s was itself merged into claim #%(into)s.")
            % {"survivor": survivor.pk, "into": survivor.merged_into_id},
            errors={
                "into": [
                    gettext("Merge into claim #%(into)s instead.")
                    % {"into": survivor.merged_into_id}
                ]
            },
        )
    problem = _survivor_problem(old, survivor)
    if problem is not None:
        raise problem
    moved = {
        "evidence": Evidence.objects.filter(claim=old).update(claim=survivor),
        "sources": _move_attributions(old, survivor),
        "comments": Comment.objects.filter(claim=old).update(claim=survivor),
        "stories": _move_stories(old, survivor, actor),
    }
    moved.update(_move_flags(old, survivor, actor))
    fields = _move_incident_and_topics(old, survivor, moved)
    # Claims merged into the duplicate before now point at the survivor: one hop.
    Claim.objects.filter(merged_into=old).update(merged_into=survivor)
    old.merged_into = survivor
    save_claim(old, ["merged_into"])
    save_claim(survivor, fields)
    why = note or f"Claim #{old.pk} merged into claim #{survivor.pk}."
    record_event(
        old, actor, ClaimEvent.Kind.MERGED, note=why, details={"into": survivor.pk, **moved}
    )
    record_event(
        survivor, actor, ClaimEvent.Kind.MERGED, note=why, details={"from": old.pk, **moved}
    )
    queue_scan(survivor)
    return survivor


def _move_attributions(old: Claim, survivor: Claim) -> int:
    """The duplicate's sources onto the survivor: a source it already has in that role
    keeps the survivor's row (taking the copy's words if it had none)."""
    have = {(a.source_id, a.role): a for a in Attribution.objects.filter(claim=survivor)}
    twins, moved = [], 0
    for a in Attribution.objects.filter(claim=old):
        twin = have.get((a.source_id, a.role))
        if twin is None:
            moved += 1
            continue
        twins.append(a.pk)
        if a.source_text and not twin.source_text:
            twin.source_text = a.source_text
            twin.save(update_fields=["source_text"])
    Attribution.objects.filter(pk__in=twins).delete()
    Attribution.objects.filter(claim=old).update(claim=survivor)
    return moved


def _move_stories(old: Claim, survivor: Claim, actor: Actor) -> int:
    """The stories that carried the duplicate carry the survivor now: its own story's
    words become a link of the survivor's, and its links follow it."""
    links = StoryLink.objects.filter(claim=old).update(claim=survivor)
    if old.story_id is None:
        return links
    span = (old.story_id, old.story_start, old.story_end)
    carried = StoryLink.objects.filter(
        claim=survivor, story_id=old.story_id, story_start=old.story_start, story_end=old.story_end
    )
    if span == (survivor.story_id, survivor.story_start, survivor.story_end) or carried.exists():
        return links  # the survivor stands for these very words already
    StoryLink.objects.create(
        claim=survivor,
        story_id=old.story_id,
        story_start=old.story_start,
        story_end=old.story_end,
        story_words=old.story_words,
        story_sentence=old.story_sentence,
        linked_by=user_of(actor),
    )
    return links + 1


def _new_fingerprint(flag: Flag, ids: set[int]) -> str:
    """The flag's fingerprint once its claims are `ids`, as the scan would compute it
    (`checks.types.fingerprint`; a duplicate group is named by its first claim)."""
    ordered = tuple(sorted(ids))
    if flag.kind == DUPLICATE:
        return fingerprint(DUPLICATE, ordered[:1])
    evidence_id = flag.details.get("evidence_id") if flag.kind in EVIDENCE_KINDS else None
    return fingerprint(flag.kind, ordered, evidence_id)


def _settle(flag: Flag, actor: Actor, note: str) -> None:
    if flag.status in Flag.UNRESOLVED:
        flag_set_status(flag, to=Flag.Status.RESOLVED, actor=actor, note=note)


def _move_flags(old: Claim, survivor: Claim, actor: Actor) -> dict[str, int]:
    """The duplicate's flags, onto the survivor. A flag about the two of them alone is
    moot once they are one: it is resolved, saying so, and keeps both as its record. A
    duplicate group that holds both goes on without the duplicate. Any other flag
    swaps the duplicate for the survivor, under the fingerprint the scan would give it;
    when the survivor already has that finding, the duplicate's copy is resolved and
    stays with the duplicate. Links are removed and added, never updated in place, so
    the database triggers keep `open_severity` right (migration 0023)."""
    flags = list(Flag.objects.select_for_update().filter(claims=old).order_by("pk"))
    members: dict[int, set[int]] = defaultdict(set)
    rows = Flag.claims.through.objects.filter(flag__in=[f.pk for f in flags])
    for flag_id, claim_id in rows.values_list("flag_id", "claim_id"):
        members[flag_id].add(claim_id)
    counts = {"flags_moved": 0, "flags_resolved": 0}
    merged = f"Claim #{old.pk} was merged into claim #{survivor.pk}."
    for flag in flags:
        ids = members[flag.pk]
        if survivor.pk in ids and len(ids) == 2:
            _settle(flag, actor, f"{merged} They are one claim now.")
            counts["flags_resolved"] += 1
            continue
        if survivor.pk in ids:
            flag.claims.remove(old)
            counts["flags_moved"] += 1
            continue
        new = _new_fingerprint(flag, (ids - {old.pk}) | {survivor.pk})
        twin = Flag.objects.filter(fingerprint=new).exclude(pk=flag.pk).first()
        if twin is not None:
            _settle(flag, actor, f"{merged} Flag #{twin.pk} holds the same finding.")
            counts["flags_resolved"] += 1
            continue
        flag.fingerprint = new
        flag.save(update_fields=["fingerprint"])
        flag.claims.remove(old)
        flag.claims.add(survivor)
        counts["flags_moved"] += 1
    return counts


def _move_incident_and_topics(old: Claim, survivor: Claim, moved: dict[str, Any]) -> list[str]:
    """The duplicate's incident goes to a survivor with none; the duplicate leaves it
    either way. Its topics join the survivor's. Answers the survivor's changed fields."""
    fields: list[str] = []
    if old.incident_id is not None:
        if survivor.incident_id is None:
            survivor.incident_id = old.incident_id
            survivor.incident_fixed = True
            fields += ["incident", "incident_fixed"]
            moved["incident"] = old.incident_id
        Claim.objects.filter(pk=old.pk).update(incident=None)
        old.incident_id = None
    topics = list(old.topics.values_list("pk", flat=True))
    if topics:
        survivor.topics.add(*topics)
        moved["topics"] = len(topics)
    return fields


# ---------------------------------------------------------------------------
# "Same claim": a story's words linked to a claim the desk already has


def _link(
    claim: Claim,
    story: Story,
    actor: Actor,
    note: str,
    *,
    start: int | None = None,
    end: int | None = None,
    words: str = "",
    sentence: str = "",
) -> StoryLink:
    link = StoryLink.objects.create(
        claim=claim,
        story=story,
        story_start=start,
        story_end=end,
        story_words=words[:300],
        story_sentence=sentence,
        linked_by=user_of(actor),
    )
    details = {"story": story.pk, "words": words[:300] or sentence[:300]}
    record_event(claim, actor, ClaimEvent.Kind.STORY_LINKED, note=note, details=details)
    return link


def _linkable(claim: Claim, actor: Actor) -> Claim:
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden(policy.say(policy.WORDS[policy.Action.LINK_STORY].forbidden))
    # Locked: a merge of this claim at the same time runs before or after the link.
    claim = lock_claim(claim, None)
    policy.check(actor, policy.Action.LINK_STORY, claim)
    return claim


@transaction.atomic
def claim_link_story(*, claim: Claim, story: Story, actor: Actor, text: str = "") -> StoryLink:
    """The editor's word that `text`, typed for `story`, is a claim the desk already has:
    the story carries `claim` from now on and no second claim is logged. Editors and
    admins, to a claim that is not retracted; recorded on the claim's history."""
    claim = _linkable(claim, actor)
    if claim.story_id == story.pk or claim.story_links.filter(story=story).exists():
        raise StateConflict(gettext("This story already carries claim #%(pk)s.") % {"pk": claim.pk})
    note = "Same claim, linked from the claim form."
    return _link(claim, story, actor, note, sentence=(text or "").strip()[:5000])


@transaction.atomic
def candidate_link(
    *, story: Story, start: int, end: int, claim: Claim, actor: Actor, note: str = ""
) -> StoryLink:
    """ "Same claim" for the candidate at [start, end) of the story: instead of a new
    claim, the figure's words are linked to `claim`, which the candidate then shows as
    accepted (with its status and verdict). The candidate must still be open."""
    note = _clean_note(note)
    claim = _linkable(claim, actor)
    story, found = _story_candidates_locked(story)
    candidate = _open_at(story, found, start, end).candidate
    why = note or "Same claim, linked from the story's candidates."
    return _link(
        claim,
        story,
        actor,
        why,
        start=candidate.start,
        end=candidate.end,
        words=candidate.words,
        sentence=candidate.sentence,
    )
