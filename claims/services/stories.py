"""Stories and the candidate claims the parser finds in them: adding and editing a
story (accepted claims follow their words through an edit), accepting or rejecting
candidates one at a time or many, and re-reading or keeping a claim whose words in
the copy changed since it was accepted."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import gettext, gettext_lazy

from claims import language, selectors
from claims.errors import ActionForbidden, DomainError, InvalidInput, StateConflict
from claims.models import CandidateRejection, Claim, ClaimEvent, Status, Story, StoryLink
from claims.parsing import Candidate
from claims.selectors import Span, StoryCandidate
from claims.services.claims import claim_create, claim_update, may_edit
from claims.services.common import lock_claim, record_event, save_claim, user_of, validate
from claims.services.reading import corrected, reading_from_parsed
from claims.services.registers import SourceName, SourceRef
from claims.typing import Actor

STORY_FIELDS = ("headline", "body", "url", "byline", "desk", "published_at", "status")


def _clean_story(story: Story) -> None:
    validate(story, "story", exclude=("created_by",))


@transaction.atomic
def story_create(*, actor: Actor, **fields: Any) -> Story:
    if not actor.has_perm("claims.add_story"):
        raise ActionForbidden(gettext("Only editors may add stories."))
    story = Story(
        created_by=user_of(actor), **{k: v for k, v in fields.items() if k in STORY_FIELDS}
    )
    story.language = language.story_language(story.headline, story.body)
    _clean_story(story)
    story.save()
    return story


@transaction.atomic
def story_update(*, story: Story, actor: Actor, changes: Mapping[str, Any]) -> Story:
    if not actor.has_perm("claims.change_story"):
        raise ActionForbidden(gettext("Only editors may change stories."))
    story = Story.objects.select_for_update().get(pk=story.pk)
    old_body = story.body
    for name, value in changes.items():
        if name in STORY_FIELDS:
            setattr(story, name, value)
    updated = [n for n in changes if n in STORY_FIELDS] + ["updated_at"]
    if {"headline", "body"} & set(updated):
        story.language = language.story_language(story.headline, story.body)
        updated.append("language")
    _clean_story(story)
    story.save(update_fields=updated)
    if story.body != old_body:
        _follow_story_words(story, old_body)
    return story


def _follow_story_words(story: Story, old_body: str) -> None:
    """Move each accepted claim's offsets to where its words stand in the edited body
    (text inserted above moves a sentence down), or to what replaced them. The offsets
    say where in the copy the claim was found, not what it claims: moving them bumps no
    version and writes no history; a change of the words themselves is shown on the
    story page for an editor to re-read or keep."""
    moved = selectors.moved_span(old_body, story.body)
    rows = story.claims.exclude(story_words="").filter(
        story_start__isnull=False, story_end__isnull=False
    )
    followed = []
    for claim in rows.only("id", "story_start", "story_end", "story_words", "story_sentence"):
        start, end = int(claim.story_start or 0), int(claim.story_end or 0)
        words = selectors.StoryWords(claim.pk, start, end, claim.story_words, claim.story_sentence)
        (a, b), _ = selectors.follow_words(story.body, words, *moved(start, end))
        if (a, b) != (start, end):
            claim.story_start, claim.story_end = a, b
            followed.append(claim)
    Claim.objects.bulk_update(followed, ["story_start", "story_end"], batch_size=500)
    # The words other copy made first, linked to this story as the same claim, follow too.
    links = story.claim_links.exclude(story_words="").filter(
        story_start__isnull=False, story_end__isnull=False
    )
    moved_links = []
    fields = ("id", "claim_id", "story_start", "story_end", "story_words", "story_sentence")
    for link in links.only(*fields):
        start, end = int(link.story_start or 0), int(link.story_end or 0)
        words = selectors.StoryWords(
            link.claim_id, start, end, link.story_words, link.story_sentence
        )
        (a, b), _ = selectors.follow_words(story.body, words, *moved(start, end))
        if (a, b) != (start, end):
            link.story_start, link.story_end = a, b
            moved_links.append(link)
    StoryLink.objects.bulk_update(moved_links, ["story_start", "story_end"], batch_size=500)


# ---------------------------------------------------------------------------
# Answering the candidates the parser finds in a story: one figure at a time, or many

# The most candidates one bulk answer takes: a long story's page holds 50.
BULK_MAX = 500
NOTE_MAX = 2000


@dataclass(frozen=True)
class CandidateAnswer:
    """What became of one candidate of a bulk answer: its claim or its rejection, or
    the reason it was refused (a domain error, as a single answer would have raised)."""

    start: int
    end: int
    claim: Claim | None = None
    rejection: CandidateRejection | None = None
    error: DomainError | None = None


def _story_candidates_locked(story: Story) -> tuple[Story, dict[Span, StoryCandidate]]:
    """The story, locked so that two editors answering the same figure make one answer,
    and its candidates by offsets, from its stored extraction when that is current."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    return story, {f.key: f for f in selectors.story_candidates(story=story)}


# Each message whole for each kind of candidate, so a translator sees full sentences.
_ALREADY_CLAIM = {
    "figure": gettext_lazy("This figure is already claim #%(id)s."),
    "statement": gettext_lazy("This statement is already claim #%(id)s."),
}
_TAKEN_FROM_OTHER_WORDS = {
    "figure": gettext_lazy(
        "This figure is claim #%(id)s, accepted from other words (“%(words)s”): re-read the "
        "claim from the new words, or keep it."
    ),
    "statement": gettext_lazy(
        "This statement is claim #%(id)s, accepted from other words (“%(words)s”): re-read "
        "the claim from the new words, or keep it."
    ),
}
_REJECTED_BY = {
    "figure": gettext_lazy("This figure was rejected by %(who)s on %(on)s."),
    "statement": gettext_lazy("This statement was rejected by %(who)s on %(on)s."),
}
_REJECTED_BY_SOMEONE = {
    "figure": gettext_lazy("This figure was rejected by someone on %(on)s."),
    "statement": gettext_lazy("This statement was rejected by someone on %(on)s."),
}


def _open_at(
    story: Story, found: Mapping[Span, StoryCandidate], start: int, end: int
) -> StoryCandidate:
    """The candidate at [start, end), neither accepted nor rejected yet. Offsets are
    checked against the extraction read here, so a stale page names no other figure."""
    f = found.get((start, end))
    if f is None:
        existing = story.claims.filter(story_start=start, story_end=end).first()
        if existing is not None:
            raise StateConflict(gettext("This is already claim #%(id)s.") % {"id": existing.pk})
        raise InvalidInput(
            gettext("No candidate claim there."),
            errors={
                "start": [gettext("No candidate starts and ends there: extract the story again.")]
            },
        )
    what = "figure" if f.candidate.has_number else "statement"
    if f.changed is not None:
        raise StateConflict(
            _TAKEN_FROM_OTHER_WORDS[what] % {"id": f.claim_id, "words": f.changed.words}
        )
    if f.claim_id is not None:
        raise StateConflict(_ALREADY_CLAIM[what] % {"id": f.claim_id})
    if f.rejection is not None:
        rejection = f.rejection
        on = timezone.localtime(rejection.rejected_at)
        values = {"who": str(rejection.rejected_by or ""), "on": dateformat.format(on, "j M Y")}
        if rejection.rejected_by is None:
            raise StateConflict(_REJECTED_BY_SOMEONE[what] % values)
        raise StateConflict(_REJECTED_BY[what] % values)
    return f


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(
            gettext("The reason is too long."),
            errors={"note": [gettext("Keep it under 2,000 characters.")]},
        )
    return note


def _accept(
    story: Story,
    found: StoryCandidate,
    actor: Actor,
    changes: Mapping[str, Any] | None = None,
    sources: Iterable[SourceRef | SourceName | int | str] | None = None,
    note: str = "",
) -> Claim:
    candidate = found.candidate
    changes = changes or {}
    # A place or sources the editor corrected replace the parser's: those are not
    # looked up, so a place the editor replaced is not created.
    replaced = {"place"} & set(changes)
    if sources is not None:
        replaced.add("sources")
    reading = reading_from_parsed(candidate.parsed, skip=replaced)
    fields = corrected(reading, changes)
    claim = claim_create(
        actor=actor,
        text=candidate.sentence,
        story=story,
        sources=reading.sources if sources is None else sources,
        story_start=candidate.start,
        story_end=candidate.end,
        **fields,
    )
    # The words it was accepted from, so that an edit of the copy cannot pass other
    # words off as this claim.
    claim.story_words, claim.story_sentence = candidate.words[:300], candidate.sentence
    Claim.objects.filter(pk=claim.pk).update(
        story_words=claim.story_words, story_sentence=claim.story_sentence
    )
    if note:
        # The why of the answer goes on the claim's first history row.
        ClaimEvent.objects.filter(claim=claim, kind=ClaimEvent.Kind.CREATED).update(note=note)
    return claim


@transaction.atomic
def candidate_accept(
    *,
    story: Story,
    start: int,
    end: int,
    actor: Actor,
    changes: Mapping[str, Any] | None = None,
    sources: Iterable[SourceRef | SourceName | int | str] | None = None,
) -> Claim:
    """Accept the candidate the parser found at [start, end) of the story's body (a
    figure phrase, or a statement's sentence) as a new claim linked to the story, with
    the figure's offsets and its sentence as the claim's words. The fields are read
    again here, never taken from the client; `changes` and `sources` are the editor's
    corrections and win over the reading. A corrected place (a `PlaceName`) and
    sources given by name are resolved by `claim_create`, after the permission check
    and inside this transaction: a refused accept creates no place."""
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden(gettext("Only editors may log claims."))
    story, found = _story_candidates_locked(story)
    return _accept(story, _open_at(story, found, start, end), actor, changes, sources)


def _reject(story: Story, found: StoryCandidate, actor: Actor, note: str) -> CandidateRejection:
    candidate = found.candidate
    # A rejection of words since edited out of the body may hold these offsets: the
    # row is reused for the words that stand there now.
    rejection, _ = CandidateRejection.objects.update_or_create(
        story=story,
        start=candidate.start,
        end=candidate.end,
        defaults={
            "words": candidate.words[:300],
            "sentence": candidate.sentence,
            "rejected_by": user_of(actor),
            "rejected_at": timezone.now(),
            "note": note,
        },
    )
    return rejection


@transaction.atomic
def candidate_reject(
    *, story: Story, start: int, end: int, actor: Actor, note: str = ""
) -> CandidateRejection:
    """Turn down the candidate at [start, end) of the story's body, recording who, when
    and why, so that it is not offered again while the same words stand there. Editors
    and admins only; a candidate already accepted or rejected is a conflict."""
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden(gettext("Only editors may reject candidate claims."))
    note = _clean_note(note)
    story, found = _story_candidates_locked(story)
    return _reject(story, _open_at(story, found, start, end), actor, note)


def _bulk(
    story: Story,
    spans: Sequence[Span],
    answer: Callable[[Story, StoryCandidate], Claim | CandidateRejection],
) -> list[CandidateAnswer]:
    if not spans:
        raise InvalidInput(
            gettext("Choose candidates."), errors={"candidates": [gettext("Choose at least one.")]}
        )
    if len(spans) > BULK_MAX:
        raise InvalidInput(
            gettext("Too many candidates."),
            errors={"candidates": [gettext("At most %(n)s at a time.") % {"n": BULK_MAX}]},
        )
    story, found = _story_candidates_locked(story)
    answers = []
    for start, end in spans:
        try:
            # Each answer has its own savepoint: a refusal leaves the others be.
            with transaction.atomic():
                result = answer(story, _open_at(story, found, start, end))
        except DomainError as exc:
            answers.append(CandidateAnswer(start, end, error=exc))
            continue
        if isinstance(result, Claim):
            found[(start, end)] = replace(found[(start, end)], claim_id=result.pk)
            answers.append(CandidateAnswer(start, end, claim=result))
        else:
            found[(start, end)] = replace(found[(start, end)], rejection=result)
            answers.append(CandidateAnswer(start, end, rejection=result))
    return answers


@transaction.atomic
def candidate_accept_many(
    *, story: Story, spans: Sequence[Span], actor: Actor, note: str = ""
) -> list[CandidateAnswer]:
    """Accept several candidates as read, in one transaction, each as `candidate_accept`
    would (a claim with its history row: who, when, and `note` as the why). A candidate
    that cannot be accepted (already answered, or no candidate there) is refused with
    its reason and the others go ahead; the answers come in the order asked."""
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden(gettext("Only editors may log claims."))
    note = _clean_note(note) or "Accepted with others from the story."
    return _bulk(story, spans, lambda s, f: _accept(s, f, actor, note=note))


@transaction.atomic
def candidate_reject_many(
    *, story: Story, spans: Sequence[Span], actor: Actor, note: str = ""
) -> list[CandidateAnswer]:
    """Turn several candidates down, in one transaction, each as `candidate_reject`
    would (who, when and `note`); the ones that cannot be are refused with their reason."""
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden(gettext("Only editors may reject candidate claims."))
    note = _clean_note(note)
    return _bulk(story, spans, lambda s, f: _reject(s, f, actor, note))


# ---------------------------------------------------------------------------
# An accepted figure whose words changed in the copy: re-read the claim, or keep it

REREAD_NOTE = "Re-read after the story changed"
KEPT_NOTE = "Kept after the story changed"


def _changed_at(
    found: Mapping[Span, StoryCandidate], start: int, end: int
) -> tuple[StoryCandidate, int]:
    """The candidate at [start, end) and the claim it was accepted as, when its words
    changed since; anything else is refused."""
    f = found.get((start, end))
    if f is None:
        raise InvalidInput(
            gettext("No candidate claim there."),
            errors={
                "start": [gettext("No candidate starts and ends there: extract the story again.")]
            },
        )
    if f.claim_id is None or f.changed is None:
        raise StateConflict(
            gettext(
                "These words have not changed since they were accepted: there is nothing to "
                "re-read or keep."
            )
        )
    return f, f.claim_id


def reread_refusal(claim: Claim, actor: Actor) -> str:
    """Why `actor` may not re-read the claim from changed copy, naming who may; empty
    when they may. Re-reading edits the claim, so it follows `may_edit`."""
    if may_edit(claim, actor):
        return ""
    status = claim.get_status_display().lower()
    if claim.status == Status.RETRACTED:
        return gettext("This claim is retracted: only an admin may change it now.")
    if claim.status == Status.IN_REVIEW:
        return gettext(
            "This claim is in review: only the fact-checker reviewing it or an admin may "
            "change it now."
        )
    return gettext(
        "This claim is %(status)s: only an admin may change it now, or a fact-checker may "
        "reopen it for review."
    ) % {"status": status}


def _bind_words(claim: Claim, candidate: Candidate) -> dict[str, list[str]]:
    """Bind the claim to the words that stand in the copy now; what changed, for history."""
    words, sentence = candidate.words[:300], candidate.sentence
    changed = {}
    if claim.story_words != words:
        changed["story_words"] = [claim.story_words, words]
    if claim.story_sentence != sentence:
        changed["story_sentence"] = [claim.story_sentence, sentence]
    claim.story_start, claim.story_end = candidate.start, candidate.end
    claim.story_words, claim.story_sentence = words, sentence
    return changed


STORY_WORD_FIELDS = ["story_start", "story_end", "story_words", "story_sentence"]


@transaction.atomic
def candidate_reread(
    *, story: Story, start: int, end: int, actor: Actor, version: int | None, note: str = ""
) -> Claim:
    """Update the claim accepted at [start, end) from the words that stand there now,
    when they changed since it was accepted: its sentence becomes its text and the new
    reading its figure, period, place and source (fields the new words do not give keep
    their values). An edit through `claim_update`: version-checked, allowed while the
    actor may edit the claim (`reread_refusal`), recorded as re-read."""
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden(gettext("Only editors re-read claims from their story."))
    if version is None:
        raise InvalidInput(
            gettext("Say which version you are re-reading."),
            errors={"version": [gettext("This field is required.")]},
        )
    note = _clean_note(note)
    story, found = _story_candidates_locked(story)
    f, claim_id = _changed_at(found, start, end)
    claim = Claim.objects.get(pk=claim_id)
    refusal = reread_refusal(claim, actor)
    if refusal:
        raise StateConflict(refusal)
    candidate = f.candidate
    reading = reading_from_parsed(candidate.parsed)
    before = claim.version
    why = f"{REREAD_NOTE}: {note}" if note else f"{REREAD_NOTE}."
    claim = claim_update(
        claim=claim,
        actor=actor,
        version=version,
        changes={"text": candidate.sentence, **reading.fields},
        sources=reading.sources or None,
        note=why,
    )
    changed = _bind_words(claim, candidate)
    if claim.version != before:
        Claim.objects.filter(pk=claim.pk).update(
            **{name: getattr(claim, name) for name in STORY_WORD_FIELDS}
        )
    else:  # the new words read as the claim already says: only its words move
        save_claim(claim, STORY_WORD_FIELDS)
        record_event(claim, actor, ClaimEvent.Kind.EDITED, note=why, details={"changed": changed})
    return claim


@transaction.atomic
def candidate_keep(
    *,
    story: Story,
    start: int,
    end: int,
    actor: Actor,
    note: str,
    version: int | None = None,
) -> Claim:
    """The editor's word that the claim accepted at [start, end) stands, although its
    words in the copy changed since: the claim is bound to the words that stand there
    now (so the change is no longer shown) and keeps its figures and status. Recorded
    on the claim's history with who, when and `note` (required) as why."""
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden(gettext("Only editors keep claims whose copy changed."))
    note = _clean_note(note)
    if not note:
        raise InvalidInput(
            gettext("Say why the claim stands."),
            errors={"note": [gettext("Say why the claim stands.")]},
        )
    story, found = _story_candidates_locked(story)
    f, claim_id = _changed_at(found, start, end)
    claim = lock_claim(Claim(pk=claim_id), version)
    changed = _bind_words(claim, f.candidate)
    save_claim(claim, STORY_WORD_FIELDS)
    details = {"changed": changed, "kept": True}
    record_event(claim, actor, ClaimEvent.Kind.EDITED, note=f"{KEPT_NOTE}: {note}", details=details)
    return claim
