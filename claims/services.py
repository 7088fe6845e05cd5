"""Every write of the claim desk.

One keyword-only function per change, named `<thing>_<verb>`. Each runs in a
transaction, checks that the actor may do it (raising `ActionForbidden`,
`StateConflict` or `InvalidInput`, which views and the API turn into 403, 409
and 400), saves with `update_fields` and writes the history row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone

from claims import roles
from claims.checks.types import FIGURE_CONFLICT_KINDS
from claims.errors import ActionForbidden, InvalidInput, StaleVersion, StateConflict
from claims.models import (
    DECIDED,
    Attribution,
    CandidateRejection,
    CheckPolicy,
    Claim,
    ClaimEvent,
    Comment,
    Evidence,
    Flag,
    FlagEvent,
    Place,
    Source,
    SourceAlias,
    Status,
    Story,
    normalise_name,
)
from claims.parsing import ParsedClaim

if TYPE_CHECKING:
    from claims.selectors import StoryCandidate


class _Keep:
    """The default of an optional argument whose None means "clear it"."""


KEEP = _Keep()

# ---------------------------------------------------------------------------
# The verification workflow

TAKE, DECIDE, REOPEN, RETRACT = "take", "decide", "reopen", "retract"


def transition_action(current: str, to: str) -> str | None:
    """Which workflow step moves a claim from `current` to `to`, or None if none does."""
    if current == Status.NEW and to == Status.IN_REVIEW:
        return TAKE
    if current == Status.IN_REVIEW and to in DECIDED:
        return DECIDE
    if current in DECIDED and to == Status.IN_REVIEW:
        return REOPEN
    if to == Status.RETRACTED and current != Status.RETRACTED:
        return RETRACT
    return None


def allowed_transitions(claim: Claim, user: Any) -> list[str]:
    """The statuses `user` may move `claim` to now (for pages that show only what works)."""
    allowed = []
    for to in Status.values:
        try:
            _check_transition(claim, user, to, note="x")
        except (ActionForbidden, StateConflict, InvalidInput):
            continue
        allowed.append(to)
    return allowed


def _check_transition(claim: Claim, actor: Any, to: str, note: str) -> str:
    if to not in Status.values:
        raise InvalidInput(
            f"Unknown status {to!r}.", errors={"to": [f"Choose one of {', '.join(Status.values)}."]}
        )
    action = transition_action(claim.status, to)
    if action is None:
        raise StateConflict(
            f"A claim that is {claim.get_status_display().lower()} cannot move to "
            f"{Status(to).label.lower()}."
        )
    if action == RETRACT:
        if not actor.has_perm("claims.retract_claim"):
            raise ActionForbidden("Your role may not retract claims.")
    elif not actor.has_perm("claims.decide_claim"):
        raise ActionForbidden("Only fact-checkers may take, decide or reopen claims.")
    if action == DECIDE and claim.assignee_id != actor.pk and not roles.is_admin(actor):
        raise ActionForbidden("Only the claim's assignee (or an admin) may decide it.")
    if action != TAKE and not note.strip():
        raise InvalidInput("Every decision needs a note.", errors={"note": ["Say why."]})
    if (
        to == Status.VERIFIED
        and not claim.evidence.filter(stance=Evidence.Stance.SUPPORTS).exists()
    ):
        raise StateConflict("A claim can be verified only with at least one supporting evidence.")
    return action


def _lock(claim: Claim, version: int | None) -> Claim:
    """Re-read the claim under a row lock and refuse if someone saved it since `version`."""
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if version is not None and current.version != version:
        raise StaleVersion(
            f"Someone else changed this claim (you had version {version}, "
            f"it is now at version {current.version}).",
            current=current,
        )
    return current


def _save(claim: Claim, fields: Iterable[str]) -> None:
    claim.version += 1
    claim.save(update_fields=[*fields, "version", "updated_at"])


def _event(claim: Claim, actor: Any, kind: str, **kwargs: Any) -> ClaimEvent:
    return ClaimEvent.objects.create(claim=claim, actor=actor, kind=kind, **kwargs)


@transaction.atomic
def claim_transition(
    *, claim: Claim, actor: Any, to: str, note: str = "", version: int | None = None
) -> Claim:
    """Move a claim through the workflow.

    new -> in_review (take: the actor becomes the assignee); in_review -> verified,
    attributed, disputed or false (decide: the assignee or an admin, verified only
    with supporting evidence); decided -> in_review (reopen); any -> retracted.
    Every step but taking needs a note.
    """
    claim = _lock(claim, version)
    action = _check_transition(claim, actor, to, note)
    from_status = claim.status
    claim.status = to
    fields = ["status"]
    if action == TAKE:
        claim.assignee = actor
        fields.append("assignee")
    if action == DECIDE:
        claim.decided_at = timezone.now()
        fields.append("decided_at")
        # The pages as last checked are what the decision rests on: the link
        # checker compares later fetches with these (a monitoring field, so no
        # history row). Pages never checked get their baseline at the first check.
        claim.evidence.exclude(last_sha256="").update(
            captured_status=F("last_status"),
            captured_sha256=F("last_sha256"),
            captured_at=F("checked_at"),
        )
    elif action == REOPEN:
        claim.decided_at = None
        fields.append("decided_at")
    _save(claim, fields)
    _event(
        claim,
        actor,
        ClaimEvent.Kind.TRANSITION,
        from_status=from_status,
        to_status=to,
        note=note.strip(),
    )
    _claim_changed(claim)
    return claim


# ---------------------------------------------------------------------------
# Creating and editing claims

CLAIM_FIELDS = (
    "text",
    "normalised",
    "value_low",
    "value_high",
    "qualifier",
    "unit",
    "event",
    "population",
    "place",
    "period_start",
    "period_end",
    "period_kind",
    "time_expression",
    "source_text",
    "credibility",
    "verdict",
    "priority",
    "due_at",
    "reported_on",
)


@dataclass(frozen=True)
class SourceRef:
    """A source to attribute a claim to, with the words the copy used for it."""

    source: Source
    text: str = ""
    role: str = Attribution.Role.ATTRIBUTED_TO


def _validated(claim: Claim, exclude: Sequence[str] = ()) -> None:
    try:
        claim.full_clean(exclude=[*exclude, "story", "assignee", "created_by"])
    except ValidationError as exc:
        raise InvalidInput("The claim is not valid.", errors=_field_errors(exc)) from exc


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if k == "__all__" else k): [str(m) for e in v for m in e.messages]
            for k, v in exc.error_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


def _check_consistency(claim: Claim) -> None:
    """Rules that span fields and read better as messages than as constraint names."""
    errors: dict[str, list[str]] = {}
    if claim.value_low is not None:
        if not claim.qualifier:
            if claim.value_high is None:
                claim.qualifier = "at_least"  # no upper bound
            else:
                claim.qualifier = "exact" if claim.value_low == claim.value_high else "range"
        if not claim.unit:
            claim.unit = "people"
    elif claim.qualifier or claim.value_high is not None:
        errors.setdefault("value_low", []).append("A qualifier or high value needs a low value.")
    if (claim.period_start is None) != (claim.period_end is None):
        errors.setdefault("period_end", []).append("A period needs both a start and an end.")
    if claim.period_start is not None and not claim.period_kind:
        claim.period_kind = "day" if claim.period_start == claim.period_end else "span"
    if claim.period_start is None and claim.period_kind:
        errors.setdefault("period_start", []).append("A period kind needs a period.")
    if errors:
        raise InvalidInput("The claim is not valid.", errors=errors)


def _attribute(claim: Claim, sources: Iterable[SourceRef]) -> None:
    seen = set()
    rows = []
    for ref in sources:
        key = (ref.source.pk, ref.role)
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            Attribution(claim=claim, source=ref.source, role=ref.role, source_text=ref.text[:200])
        )
    Attribution.objects.bulk_create(rows)


@transaction.atomic
def claim_create(
    *,
    actor: Any,
    text: str,
    story: Story | None = None,
    sources: Iterable[SourceRef] | None = None,
    story_start: int | None = None,
    story_end: int | None = None,
    read_text: bool = False,
    **fields: Any,
) -> Claim:
    """Log a claim as new. With `read_text`, the fields not given are read from the
    text by the parser, its time words against the story's date, or `reported_on`
    when it stands alone (today when neither is known)."""
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden("Only editors may log claims.")
    unknown = set(fields) - set(CLAIM_FIELDS)
    if unknown:
        raise InvalidInput("Unknown fields.", errors={k: ["Unknown field."] for k in unknown})
    if read_text and (text or "").strip():
        given = set(fields) | ({"sources"} if sources is not None else set())
        reading = _read(text, fields.get("reported_on"), story, skip=given)
        fields = {**reading.fields, **fields}
        if sources is None:
            sources = reading.sources
    claim = Claim(
        text=(text or "").strip(),
        story=story,
        story_start=story_start,
        story_end=story_end,
        created_by=actor,
        **fields,
    )
    if claim.reported_on is None and story is not None:
        claim.reported_on = timezone.localdate(story.published_at)
    if claim.due_at is None:
        hours = CheckPolicy.load().review_deadline_hours
        claim.due_at = timezone.now() + dt.timedelta(hours=hours)
    claim.country = claim.place.country if claim.place else ""
    _check_consistency(claim)
    _validated(claim)
    claim.save()
    _attribute(claim, sources or ())
    _event(claim, actor, ClaimEvent.Kind.CREATED, to_status=Status.NEW)
    _claim_changed(claim)
    return claim


# ---------------------------------------------------------------------------
# Claims read from copy


@dataclass(frozen=True)
class Reading:
    """A parsed claim as the desk stores it: model fields and sources."""

    fields: dict[str, Any]
    sources: list[SourceRef]


# Fields read together: an editor who gives one of a group means the whole
# group, so the parser's qualifier never lands on the editor's figure.
READING_GROUPS = (
    {"value_low", "value_high", "qualifier", "unit", "event", "population"},
    {"period_start", "period_end", "period_kind", "time_expression"},
    {"sources", "source_text"},
)


def _read(text: str, reported_on: dt.date | None, story: Story | None, skip: set[str]) -> Reading:
    from claims import selectors

    for group in READING_GROUPS:
        if skip & group:
            skip |= group
    if reported_on is None:
        reported_on = timezone.localdate(story.published_at if story else None)
    return reading_of(selectors.parse_text(text=text, reported_on=reported_on), skip=skip)


def reading_of(parsed: ParsedClaim, skip: set[str] | frozenset[str] = frozenset()) -> Reading:
    """Map the parser's reading onto claim fields, resolving its place (created on
    demand, as for typed claims) and its source. Words naming no known source
    stay in `source_text` for an editor to map. Fields named in `skip` are the
    editor's own and are not read (nor their places created)."""
    fields: dict[str, Any] = {}
    if parsed.value_low is not None:
        fields.update(
            value_low=parsed.value_low,
            value_high=parsed.value_high,
            qualifier=parsed.qualifier or "",
            unit=parsed.unit or "people",
            event=parsed.event or "",
            population=parsed.population or "all",
        )
    # A statement without a number ("talks on extending the truce") is not a
    # count: its event words would only put it into a block it cannot clash with.
    if parsed.period_start is not None and parsed.period_end is not None:
        fields.update(
            period_start=parsed.period_start,
            period_end=parsed.period_end,
            period_kind=parsed.period_kind or "",
            time_expression=parsed.time_expression[:200],
        )
    if parsed.place is not None and "place" not in skip:
        place_id = parsed.place.place_id
        known = Place.objects.filter(pk=place_id).first() if place_id else None
        fields["place"] = known or place_resolve(
            name=parsed.place.name, country=parsed.place.country
        )
    sources: list[SourceRef] = []
    source_id = parsed.source.source_id if parsed.source and "sources" not in skip else None
    source = Source.objects.filter(pk=source_id).first() if source_id else None
    if source is not None:
        sources.append(SourceRef(source=source, text=parsed.source_text))
    elif parsed.source_text and "sources" not in skip:
        fields["source_text"] = parsed.source_text[:200]
    for name in skip:
        fields.pop(name, None)
    return Reading(fields=fields, sources=sources)


@transaction.atomic
def candidate_accept(
    *,
    story: Story,
    start: int,
    end: int,
    actor: Any,
    changes: Mapping[str, Any] | None = None,
    sources: Iterable[SourceRef] | None = None,
) -> Claim:
    """Accept the candidate claim the parser found at [start, end) of the story's
    text as a new claim linked to the story. The fields are read again here,
    never taken from the client; `changes` and `sources` are the editor's
    corrections and win over the reading."""
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden("Only editors may log claims.")
    story, found = _open_candidate(story, start, end)
    candidate = found.candidate
    reading = reading_of(candidate.parsed)
    fields = {**reading.fields, **(changes or {})}
    return claim_create(
        actor=actor,
        text=candidate.sentence,
        story=story,
        sources=reading.sources if sources is None else sources,
        story_start=start,
        story_end=end,
        **fields,
    )


def may_edit(claim: Claim, actor: Any) -> bool:
    if roles.is_admin(actor):
        return True
    if not actor.has_perm("claims.change_claim") or claim.status == Status.RETRACTED:
        return False
    if claim.status == Status.NEW:
        return True
    # Fact-checkers correct the reading of a claim while they review it.
    return claim.status == Status.IN_REVIEW and actor.has_perm("claims.decide_claim")


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    actor: Any,
    version: int | None,
    changes: Mapping[str, Any],
    sources: Iterable[SourceRef] | None = None,
    note: str = "",
) -> Claim:
    """Edit a claim's fields. Editors edit while it is new, fact-checkers while it is
    in review, admins always; `version` must be the one the actor loaded."""
    if version is None:
        raise InvalidInput(
            "Say which version you are editing.", errors={"version": ["This field is required."]}
        )
    claim = _lock(claim, version)
    if not may_edit(claim, actor):
        if actor.has_perm("claims.change_claim"):
            raise StateConflict(
                f"A claim that is {claim.get_status_display().lower()} can no longer be "
                "edited by your role."
            )
        raise ActionForbidden("Your role may not edit claims.")
    unknown = set(changes) - set(CLAIM_FIELDS)
    if unknown:
        raise InvalidInput("Unknown fields.", errors={k: ["Unknown field."] for k in unknown})
    before = {name: getattr(claim, name) for name in changes}
    for name, value in changes.items():
        setattr(claim, name, value)
    claim.country = claim.place.country if claim.place else ""
    _check_consistency(claim)
    _validated(claim)
    changed = {
        name: [_plain(before[name]), _plain(getattr(claim, name))]
        for name in changes
        if before[name] != getattr(claim, name)
    }
    if sources is not None:
        old = sorted(str(a.source) for a in claim.attributions.all())
        claim.attributions.all().delete()
        _attribute(claim, sources)
        new = sorted(str(a.source) for a in claim.attributions.all())
        if old != new:
            changed["sources"] = [old, new]
    if not changed:
        return claim
    fields = [n for n in changed if n != "sources"]
    for derived in ("country", "qualifier", "unit", "period_kind"):
        if derived not in fields:
            fields.append(derived)
    _save(claim, fields)
    _event(claim, actor, ClaimEvent.Kind.EDITED, note=note.strip(), details={"changed": changed})
    _claim_changed(claim)
    return claim


@transaction.atomic
def claim_assign(
    *, claim: Claim, actor: Any, assignee: Any | None, note: str = "", version: int | None = None
) -> Claim:
    if not actor.has_perm("claims.assign_claim"):
        raise ActionForbidden("Only fact-checkers and admins may assign claims.")
    if assignee is not None and not roles.is_checker(assignee):
        raise InvalidInput(
            "Claims are assigned to fact-checkers.",
            errors={"assignee": [f"{assignee} is not a fact-checker."]},
        )
    claim = _lock(claim, version)
    if claim.status == Status.RETRACTED:
        raise StateConflict("A retracted claim cannot be assigned.")
    old = claim.assignee
    if old == assignee:
        return claim
    claim.assignee = assignee
    _save(claim, ["assignee"])
    _event(
        claim,
        actor,
        ClaimEvent.Kind.ASSIGNED,
        note=note.strip(),
        details={"from": str(old) if old else None, "to": str(assignee) if assignee else None},
    )
    return claim


@transaction.atomic
def claim_set_priority(
    *,
    claim: Claim,
    actor: Any,
    priority: int,
    due_at: dt.datetime | None | _Keep = KEEP,
    version: int | None = None,
) -> Claim:
    """Set a claim's priority and, when given, its due date (None clears it)."""
    if not actor.has_perm("claims.assign_claim"):
        raise ActionForbidden("Only fact-checkers and admins may set priorities.")
    claim = _lock(claim, version)
    before = {"priority": claim.priority, "due_at": _plain(claim.due_at)}
    claim.priority = priority
    if not isinstance(due_at, _Keep):
        claim.due_at = due_at
    due_at = claim.due_at
    _validated(claim)
    _save(claim, ["priority", "due_at"])
    _event(
        claim,
        actor,
        ClaimEvent.Kind.PRIORITY,
        details={"from": before, "to": {"priority": priority, "due_at": _plain(due_at)}},
    )
    return claim


# ---------------------------------------------------------------------------
# Evidence and comments


@transaction.atomic
def evidence_add(
    *,
    claim: Claim,
    actor: Any,
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
        added_by=actor,
    )
    try:
        evidence.full_clean(exclude=["claim", "source", "added_by"])
    except ValidationError as exc:
        raise InvalidInput("The evidence is not valid.", errors=_field_errors(exc)) from exc
    evidence.save()
    _event(
        claim,
        actor,
        ClaimEvent.Kind.EVIDENCE_ADDED,
        details={"evidence": evidence.pk, "url": evidence.url, "stance": evidence.stance},
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor: Any, note: str = "") -> None:
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
    _event(claim, actor, ClaimEvent.Kind.EVIDENCE_REMOVED, note=note.strip(), details=details)


@transaction.atomic
def comment_add(*, claim: Claim, actor: Any, body: str) -> Comment:
    if not actor.has_perm("claims.add_comment"):
        raise ActionForbidden("Your role may not comment.")
    body = (body or "").strip()
    if not body:
        raise InvalidInput("The comment is empty.", errors={"body": ["Write something."]})
    comment = Comment.objects.create(claim=claim, author=actor, body=body)
    _event(claim, actor, ClaimEvent.Kind.COMMENTED, details={"comment": comment.pk})
    return comment


# ---------------------------------------------------------------------------
# Stories


STORY_FIELDS = ("headline", "body", "url", "byline", "desk", "published_at", "status")


def _clean_story(story: Story) -> None:
    try:
        story.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        raise InvalidInput("The story is not valid.", errors=_field_errors(exc)) from exc


@transaction.atomic
def story_create(*, actor: Any, **fields: Any) -> Story:
    if not actor.has_perm("claims.add_story"):
        raise ActionForbidden("Only editors may add stories.")
    story = Story(created_by=actor, **{k: v for k, v in fields.items() if k in STORY_FIELDS})
    _clean_story(story)
    story.save()
    return story


@transaction.atomic
def story_update(*, story: Story, actor: Any, changes: Mapping[str, Any]) -> Story:
    if not actor.has_perm("claims.change_story"):
        raise ActionForbidden("Only editors may change stories.")
    story = Story.objects.select_for_update().get(pk=story.pk)
    for name, value in changes.items():
        if name in STORY_FIELDS:
            setattr(story, name, value)
    _clean_story(story)
    story.save(update_fields=[n for n in changes if n in STORY_FIELDS] + ["updated_at"])
    return story


# ---------------------------------------------------------------------------
# Sources (admins only)

SOURCE_FIELDS = ("name", "kind", "url", "country", "grade", "notes", "active")


def _require_source_admin(actor: Any) -> None:
    if not (actor.has_perm("claims.add_source") and actor.has_perm("claims.change_source")):
        raise ActionForbidden("Only admins may change the register of sources.")


def _set_aliases(source: Source, aliases: Iterable[str]) -> None:
    wanted: dict[str, str] = {}
    for name in aliases:
        name = (name or "").strip()
        if name and normalise_name(name) != normalise_name(source.name):
            wanted.setdefault(normalise_name(name), name)
    taken = (
        SourceAlias.objects.filter(normalised__in=wanted)
        .exclude(source=source)
        .select_related("source")
    )
    clashes = [f"{a.name!r} already names {a.source.name}." for a in taken]
    if clashes:
        raise InvalidInput("An alias is taken.", errors={"aliases": clashes})
    source.aliases.exclude(normalised__in=wanted).delete()
    existing = set(source.aliases.values_list("normalised", flat=True))
    for key, name in wanted.items():
        if key not in existing:
            SourceAlias.objects.create(source=source, name=name)


@transaction.atomic
def source_create(*, actor: Any, aliases: Iterable[str] = (), **fields: Any) -> Source:
    _require_source_admin(actor)
    source = Source(**{k: v for k, v in fields.items() if k in SOURCE_FIELDS})
    try:
        source.full_clean()
    except ValidationError as exc:
        raise InvalidInput("The source is not valid.", errors=_field_errors(exc)) from exc
    source.save()
    _set_aliases(source, aliases)
    return source


@transaction.atomic
def source_update(
    *, source: Source, actor: Any, changes: Mapping[str, Any], aliases: Iterable[str] | None = None
) -> Source:
    _require_source_admin(actor)
    source = Source.objects.select_for_update().get(pk=source.pk)
    for name, value in changes.items():
        if name in SOURCE_FIELDS:
            setattr(source, name, value)
    try:
        source.full_clean()
    except ValidationError as exc:
        raise InvalidInput("The source is not valid.", errors=_field_errors(exc)) from exc
    source.save()
    if aliases is not None:
        _set_aliases(source, aliases)
    return source


def source_resolve(names: Iterable[Any]) -> list[SourceRef]:
    """Turn source ids or names (as copy writes them) into SourceRefs through the
    aliases; an unknown one is an InvalidInput that names it."""
    refs: list[SourceRef] = []
    unknown: list[str] = []
    for item in names:
        if isinstance(item, int) and not isinstance(item, bool):
            source = Source.objects.filter(pk=item).first()
            if source is None:
                unknown.append(f"No source has id {item}.")
            else:
                refs.append(SourceRef(source=source))
            continue
        text = str(item).strip()
        key = normalise_name(text)
        source = (
            Source.objects.filter(name__iexact=text).first()
            or Source.objects.filter(aliases__normalised=key).first()
        )
        if source is None:
            source = next((s for s in Source.objects.all() if normalise_name(s.name) == key), None)
        if source is None:
            unknown.append(f"No source is called {text!r}: map it to a source or ask an admin.")
        else:
            refs.append(SourceRef(source=source, text=text))
    if unknown:
        raise InvalidInput("Unknown source.", errors={"sources": unknown})
    return refs


# ---------------------------------------------------------------------------
# Places


@transaction.atomic
def place_resolve(*, name: str, country: str = "") -> Place:
    """Find a place by name (or alias) and country in the Place table or the
    gazetteer, creating it with its parent country on demand. A name neither
    knows is created under its country and marked for an admin to review."""
    from claims.parsing import places as gazetteer

    name = (name or "").strip()
    country = (country or "").strip().upper()
    if not name:
        raise InvalidInput("The place needs a name.", errors={"place": ["Give a name."]})
    found = gazetteer.lookup(name, country=country)
    if found is None and not country:
        raise InvalidInput(
            "Unknown place.",
            errors={"place": [f"{name!r} is not in the gazetteer: give its country code."]},
        )
    if found is not None:
        country = found.country
    existing = _place_in_table(name, country)
    if existing is not None:
        return existing
    country_place = _country_place(country)
    if found is None:
        return Place.objects.create(
            name=name,
            country=country,
            kind=Place.Kind.CITY,
            parent=country_place,
            needs_review=True,
        )
    if found.kind == Place.Kind.COUNTRY:
        return country_place
    if found.geonameid is not None:
        by_id = Place.objects.filter(geonameid=found.geonameid).first()
        if by_id is not None:
            return by_id
    return Place.objects.create(
        name=found.name,
        country=country,
        kind=found.kind,
        parent=country_place,
        geonameid=found.geonameid,
    )


def _place_in_table(name: str, country: str) -> Place | None:
    candidates = Place.objects.filter(country=country)
    exact = candidates.filter(name__iexact=name).order_by("kind").first()
    if exact is not None:
        return exact
    key = normalise_name(name)
    for place in candidates.exclude(aliases=[]):
        if any(normalise_name(a) == key for a in place.aliases):
            return place
    return None


def _country_place(code: str) -> Place:
    from claims.parsing import places as gazetteer

    place = Place.objects.filter(country=code, kind=Place.Kind.COUNTRY).first()
    if place is not None:
        return place
    info = gazetteer.country_entry(code)
    if info is None:
        raise InvalidInput(
            "Unknown country.", errors={"place": [f"{code!r} is not an ISO country code."]}
        )
    try:
        with transaction.atomic():
            return Place.objects.create(
                name=info.name, country=code, kind=Place.Kind.COUNTRY, geonameid=info.geonameid
            )
    except IntegrityError:
        return Place.objects.get(country=code, kind=Place.Kind.COUNTRY)


# ---------------------------------------------------------------------------
# Flags: the desk's answers to what the jobs found

# Flags about figures that disagree: resolving one says which figure the desk uses.
FIGURE_KINDS = FIGURE_CONFLICT_KINDS


def _flag_for_update(flag: Flag, actor: Any) -> Flag:
    if not (roles.is_checker(actor) or roles.is_admin(actor)):
        raise ActionForbidden("Only fact-checkers and admins handle flags.")
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status not in Flag.UNRESOLVED:
        raise StateConflict(f"This flag is already {flag.get_status_display()}.")
    return flag


def _flag_event(flag: Flag, actor: Any, to: str, note: str, **details: Any) -> None:
    FlagEvent.objects.create(
        flag=flag, actor=actor, from_status=flag.status, to_status=to, note=note, details=details
    )
    flag.status = to


def _required_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            f"Say why you {what} this flag.", errors={"note": [f"Say why you {what} it."]}
        )
    return note


@transaction.atomic
def flag_acknowledge(*, flag: Flag, actor: Any, note: str = "") -> Flag:
    """Someone is on it: the flag stays in the queue, marked as seen."""
    flag = _flag_for_update(flag, actor)
    if flag.status == Flag.Status.ACKNOWLEDGED:
        raise StateConflict("This flag is already acknowledged.")
    _flag_event(flag, actor, Flag.Status.ACKNOWLEDGED, (note or "").strip())
    flag.save(update_fields=["status"])
    return flag


@transaction.atomic
def flag_resolve(
    *,
    flag: Flag,
    actor: Any,
    note: str,
    figure_low: int | None = None,
    figure_high: int | None = None,
    rule: str = "",
) -> Flag:
    """Settle what the flag found. For figures that disagree, record the figure the
    desk will use (`figure_high` empty for 'at least') and the rule that chose it."""
    flag = _flag_for_update(flag, actor)
    note = _required_note(note, "resolve")
    errors: dict[str, list[str]] = {}
    if rule and rule not in Flag.Rule.values:
        errors["rule"] = [f"Choose one of: {', '.join(Flag.Rule.values)}."]
    if flag.kind in FIGURE_KINDS:
        if figure_low is None:
            errors["figure_low"] = ["Give the figure the desk will use."]
        if not rule:
            errors["rule"] = ["Say which rule chose the figure."]
    if figure_low is None and figure_high is not None:
        errors["figure_low"] = ["A high figure needs a low figure."]
    for name, value in (("figure_low", figure_low), ("figure_high", figure_high)):
        if value is not None and value < 0:
            errors[name] = ["A figure cannot be negative."]
    if figure_low is not None and figure_high is not None and figure_low > figure_high:
        errors["figure_high"] = ["The high figure must not be below the low figure."]
    if errors:
        raise InvalidInput("The resolution is not complete.", errors=errors)
    _flag_event(
        flag,
        actor,
        Flag.Status.RESOLVED,
        note,
        figure_low=figure_low,
        figure_high=figure_high,
        rule=rule,
    )
    flag.resolved_by, flag.resolved_at, flag.resolution_note = actor, timezone.now(), note
    flag.resolution_low, flag.resolution_high, flag.resolution_rule = figure_low, figure_high, rule
    flag.save(
        update_fields=[
            "status",
            "resolved_by",
            "resolved_at",
            "resolution_note",
            "resolution_low",
            "resolution_high",
            "resolution_rule",
        ]
    )
    return flag


@transaction.atomic
def flag_dismiss(*, flag: Flag, actor: Any, note: str) -> Flag:
    """Not a problem. The flag stays dismissed until one of its claims changes."""
    flag = _flag_for_update(flag, actor)
    note = _required_note(note, "dismiss")
    _flag_event(flag, actor, Flag.Status.DISMISSED, note)
    flag.resolved_by, flag.resolved_at, flag.resolution_note = actor, timezone.now(), note
    flag.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    return flag


# ---------------------------------------------------------------------------
# After a claim changes


def _claim_changed(claim: Claim) -> None:
    """Queue a scan of the claim's block once the change is committed."""
    from claims import tasks

    tasks.queue_block_scan(claim.pk)


# ---------------------------------------------------------------------------
# Candidates an editor turns down


def _candidate_at(story: Story, start: int, end: int) -> StoryCandidate:
    """The candidate the parser finds at [start, end) of the story's body, read again
    here so that offsets from a stale page name no other sentence."""
    from claims import selectors

    for found in selectors.story_candidates(story=story):
        if (found.candidate.start, found.candidate.end) == (start, end):
            return found
    raise InvalidInput(
        "No candidate claim there.",
        errors={"start": ["No candidate claim starts and ends there: extract the story again."]},
    )


def _open_candidate(story: Story, start: int, end: int) -> tuple[Story, StoryCandidate]:
    """The candidate at [start, end), neither accepted nor rejected yet. The story is
    locked, so two editors answering the same sentence make one answer."""
    story = Story.objects.select_for_update().get(pk=story.pk)
    existing = story.claims.filter(story_start=start, story_end=end).first()
    if existing is not None:
        raise StateConflict(f"This sentence is already claim #{existing.pk}.")
    found = _candidate_at(story, start, end)
    if found.rejection is not None:
        raise StateConflict(_rejected_text(found.rejection))
    return story, found


def _rejected_text(rejection: CandidateRejection) -> str:
    who = rejection.rejected_by or "someone"
    on = timezone.localtime(rejection.rejected_at)
    return f"This sentence was rejected by {who} on {on.day} {on:%b %Y}."


@transaction.atomic
def candidate_reject(
    *, story: Story, start: int, end: int, actor: Any, note: str = ""
) -> CandidateRejection:
    """Turn down the candidate claim at [start, end) of the story's body, recording
    who, when and why, so that it is not offered again. Editors and admins only; a
    candidate already accepted or rejected is a conflict."""
    if not actor.has_perm("claims.add_claim"):
        raise ActionForbidden("Only editors may reject candidate claims.")
    story, found = _open_candidate(story, start, end)
    note = (note or "").strip()
    if len(note) > 2000:
        raise InvalidInput(
            "The reason is too long.", errors={"note": ["Keep it under 2,000 characters."]}
        )
    # A rejection of words since edited out of the body holds these offsets: the
    # row is reused for the sentence that stands there now.
    rejection, _ = CandidateRejection.objects.update_or_create(
        story=story,
        start=start,
        end=end,
        defaults={
            "sentence": found.candidate.sentence,
            "rejected_by": actor,
            "rejected_at": timezone.now(),
            "note": note,
        },
    )
    return rejection
