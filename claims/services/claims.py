"""Claims and the verification workflow: logging and editing claims (with the
three-way merge of an edit made from an older version), who may move a claim where,
assigning it and setting its priority."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext

from claims import language, policy, roles
from claims.errors import ActionForbidden, InvalidInput, StaleVersion, StateConflict
from claims.models import (
    DECIDED,
    Attribution,
    CheckPolicy,
    Claim,
    ClaimEvent,
    Evidence,
    EvidenceSnapshot,
    Status,
    Story,
)
from claims.reading import FIGURE
from claims.services.common import (
    lock_claim,
    queue_scan,
    record_event,
    save_claim,
    user_of,
    validate,
)
from claims.services.corroboration import check_confirmed_by_others, sources_saying_so
from claims.services.notifications import queue_followups
from claims.services.publishing import claim_changed
from claims.services.reading import reading_from_text, updated_figure
from claims.services.registers import (
    SourceName,
    SourceRef,
    resolve_place,
    resolve_sources,
)
from claims.services.snapshots import queue_captures
from claims.typing import Actor


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


_STEP_ACTIONS = {
    TAKE: policy.Action.TAKE,
    DECIDE: policy.Action.DECIDE,
    REOPEN: policy.Action.REOPEN,
    RETRACT: policy.Action.RETRACT,
}


def allowed_transitions(claim: Claim, user: Actor) -> list[str]:
    """The statuses `user` may move `claim` to now (for pages that show only what works)."""
    allowed = []
    for to in Status.values:
        try:
            _check_transition(claim, user, to, note="x")
        except (ActionForbidden, StateConflict, InvalidInput):
            continue
        allowed.append(to)
    return allowed


def _check_transition(claim: Claim, actor: Actor, to: str, note: str) -> str:
    if to not in Status.values:
        raise InvalidInput(
            gettext("Unknown status %(status)r.") % {"status": to},
            errors={
                "to": [
                    gettext("Choose one of %(choices)s.") % {"choices": ", ".join(Status.values)}
                ]
            },
        )
    action = transition_action(claim.status, to)
    if action is None:
        raise StateConflict(
            gettext("A claim that is %(status)s cannot move to %(to)s.")
            % {"status": claim.get_status_display().lower(), "to": Status(to).label.lower()}
        )
    policy.check(actor, _STEP_ACTIONS[action], claim)
    if action != TAKE and not note.strip():
        raise InvalidInput(
            gettext("Every decision needs a note."), errors={"note": [gettext("Say why.")]}
        )
    if (
        to == Status.VERIFIED
        and not claim.evidence.filter(stance=Evidence.Stance.SUPPORTS).exists()
    ):
        raise StateConflict(
            gettext("A claim can be verified only with at least one supporting evidence.")
        )
    return action


@transaction.atomic
def claim_transition(
    *, claim: Claim, actor: Actor, to: str, note: str = "", version: int | None = None
) -> Claim:
    """Move a claim through the workflow.

    new -> in_review (take: the actor becomes the assignee); in_review -> verified,
    attributed, disputed or false (decide: the assignee or an admin, verified only
    with supporting evidence); decided -> in_review (reopen); any -> retracted.
    Every step but taking needs a note.
    """
    claim = lock_claim(claim, version)
    action = _check_transition(claim, actor, to, note)
    from_status = claim.status
    now = timezone.now()
    claim.status = to
    # The queues show how long a claim has been in its status from this stamp.
    claim.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if action == TAKE:
        claim.assignee = user_of(actor)
        fields.append("assignee")
    if action == DECIDE:
        claim.decided_at = now
        fields.append("decided_at")
        # The pages as last checked are what the decision rests on: the link
        # checker compares later fetches with these (a monitoring field, so no
        # history row). Pages never checked get their baseline at the first check.
        claim.evidence.exclude(last_sha256="").update(
            captured_status=F("last_status"),
            captured_sha256=F("last_sha256"),
            captured_at=F("checked_at"),
        )
        # And each page as it stands now is kept for the record (after commit).
        queue_captures(claim.evidence.values_list("pk", flat=True), EvidenceSnapshot.Reason.DECIDED)
    elif action == REOPEN:
        claim.decided_at = None
        fields.append("decided_at")
    save_claim(claim, fields)
    event = record_event(
        claim,
        actor,
        ClaimEvent.Kind.TRANSITION,
        from_status=from_status,
        to_status=to,
        note=note.strip(),
    )
    # A changed decision updates the public review and asks published copy for corrections.
    claim_changed(claim=claim, event=event)
    queue_followups(event)
    queue_scan(claim)
    return claim


# ---------------------------------------------------------------------------
# Creating and editing claims

# The claim fields `claim_create` and `claim_update` take from their callers; the
# rest (status, assignee, story offsets, version, ...) only the services set.
WRITABLE_FIELDS = (
    "text",
    "normalised",
    "value_low",
    "value_high",
    "qualifier",
    "unit",
    "is_projection",
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


def _validated(claim: Claim) -> None:
    validate(claim, "claim", exclude=("story", "assignee", "created_by"))


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
        errors.setdefault("value_low", []).append(
            gettext("A qualifier or high value needs a low value.")
        )
    if (claim.period_start is None) != (claim.period_end is None):
        errors.setdefault("period_end", []).append(
            gettext("A period needs both a start and an end.")
        )
    if claim.period_start is not None and not claim.period_kind:
        claim.period_kind = "day" if claim.period_start == claim.period_end else "span"
    if claim.period_start is None and claim.period_kind:
        errors.setdefault("period_start", []).append(gettext("A period kind needs a period."))
    if errors:
        raise InvalidInput(gettext("The claim is not valid."), errors=errors)


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
    actor: Actor,
    text: str,
    story: Story | None = None,
    sources: Iterable[SourceRef | SourceName | int | str] | None = None,
    story_start: int | None = None,
    story_end: int | None = None,
    read_text: bool = False,
    **fields: Any,
) -> Claim:
    """Log a claim as new. With `read_text`, the fields not given are read from the
    text by the parser, its time words against the story's date, or `reported_on`
    when it stands alone (today when neither is known). A `place` given as a
    `PlaceName` and sources given by name are resolved here, after the permission
    check and inside the write's transaction."""
    policy.check(actor, policy.Action.CREATE)
    unknown = set(fields) - set(WRITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            gettext("Unknown fields."), errors={k: [gettext("Unknown field.")] for k in unknown}
        )
    # Priority, due date and credibility given on a new claim are checked as if set on it.
    policy.check_fields(actor, None, set(fields) & set(policy.FIELD_ACTIONS))
    if "place" in fields:
        fields["place"] = resolve_place(fields["place"])
    sources = resolve_sources(sources)
    if read_text and (text or "").strip():
        reading = reading_from_text(
            text, fields.get("reported_on"), story, fields, sources_given=sources is not None
        )
        fields = reading.fields
        if sources is None:
            sources = reading.sources
    claim = Claim(
        text=(text or "").strip(),
        story=story,
        story_start=story_start,
        story_end=story_end,
        created_by=user_of(actor),
        **fields,
    )
    if claim.reported_on is None and story is not None:
        claim.reported_on = timezone.localdate(story.published_at)
    if claim.due_at is None:
        hours = CheckPolicy.load().review_deadline_hours
        claim.due_at = timezone.now() + dt.timedelta(hours=hours)
    claim.country = claim.place.country if claim.place else ""
    claim.language = language.detect(claim.text)
    _check_consistency(claim)
    _validated(claim)
    check_confirmed_by_others(
        credibility=claim.credibility,
        says_so=sources_saying_so((ref.role, ref.source.pk) for ref in sources or ()),
    )
    claim.save()
    _attribute(claim, sources or ())
    queue_followups(record_event(claim, actor, ClaimEvent.Kind.CREATED, to_status=Status.NEW))
    queue_scan(claim)
    return claim


def may_edit(claim: Claim, actor: Actor) -> bool:
    """Whether `actor` may edit the claim's words and their reading now (`claims.policy`)."""
    return policy.allows(actor, policy.Action.EDIT, claim)


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


# What each kind of history row says changed, for the rows that do not list it.
_EVENT_FIELDS: dict[str, frozenset[str]] = {
    ClaimEvent.Kind.TRANSITION: frozenset({"status", "assignee", "decided_at"}),
    ClaimEvent.Kind.ASSIGNED: frozenset({"assignee"}),
    ClaimEvent.Kind.PRIORITY: frozenset({"priority", "due_at"}),
}
_VERSIONING_EVENTS = (ClaimEvent.Kind.EDITED, *_EVENT_FIELDS)


def changed_since(claim: Claim, version: int) -> set[str]:
    """The fields others changed on `claim` (as stored now) since `version`.

    Every new version is written with exactly one history row, so the newest rows of
    the kinds that make versions are the changes since: edits list their fields.
    When the record cannot say, every field counts as changed."""
    newer = claim.version - version
    if newer <= 0:
        return set()
    rows = list(claim.events.filter(kind__in=_VERSIONING_EVENTS).order_by("-id")[:newer])
    if len(rows) < newer:
        return {*WRITABLE_FIELDS, "place", "sources"}
    names: set[str] = set()
    for row in rows:
        fields = _EVENT_FIELDS.get(row.kind)
        names |= set(fields) if fields is not None else set((row.details or {}).get("changed", {}))
    return names


def _attribution_keys(refs: Iterable[SourceRef]) -> set[tuple[int, str, str]]:
    return {(ref.source.pk, ref.text[:200], ref.role) for ref in refs}


def _stored_attributions(claim: Claim) -> set[tuple[int, str, str]]:
    return {(a.source_id, a.source_text, a.role) for a in claim.attributions.all()}


def _merge_conflicts(
    current: Claim,
    version: int,
    changes: Mapping[str, Any],
    sources: list[SourceRef] | None,
) -> list[str]:
    """The three-way merge of an edit made from `version` onto the claim as stored.

    The actor's changes are theirs to keep; fields only others changed keep the newer
    values. A field both changed, to different values, is a conflict the actor
    decides: the names of such fields, or none."""
    theirs = changed_since(current, version)
    conflicts = [
        name
        for name, value in changes.items()
        if name in theirs and getattr(current, name) != value
    ]
    if (
        sources is not None
        and "sources" in theirs
        and _attribution_keys(sources) != _stored_attributions(current)
    ):
        conflicts.append("sources")
    return conflicts


def _field_words(name: str) -> str:
    field = Claim._meta.get_field(name) if name != "sources" else None
    return str(getattr(field, "verbose_name", name))


def _conflict_error(current: Claim, version: int, conflicts: list[str]) -> StaleVersion:
    exc = StaleVersion(
        gettext(
            "Someone else changed this claim (you had version %(version)s, it is now at "
            "version %(current)s), and some of the same fields as you: %(fields)s."
        )
        % {
            "version": version,
            "current": current.version,
            "fields": ", ".join(_field_words(name) for name in conflicts),
        },
        current=current,
    )
    exc.errors = {
        "conflicts": list(conflicts),
        **{
            name: [
                gettext(
                    "Changed by someone else since version %(version)s; say which value stands."
                )
                % {"version": version}
            ]
            for name in conflicts
        },
    }
    return exc


@transaction.atomic
def claim_update(
    *,
    claim: Claim,
    actor: Actor,
    version: int | None,
    changes: Mapping[str, Any],
    sources: Iterable[SourceRef | SourceName | int | str] | None = None,
    note: str = "",
) -> Claim:
    """Edit a claim's fields. Editors edit while it is new, fact-checkers while it is
    in review, admins always.

    `changes` (and `sources`, when not None) are the fields the actor changed, and
    `version` the one they loaded. When others saved since, the edit is merged: the
    actor's fields are stored over the newer claim, the rest keep the newer values;
    a field both changed differently is a StaleVersion naming it (409). Places and
    sources given by name are resolved after the permission check, inside this
    transaction."""
    if version is None:
        raise InvalidInput(
            gettext("Say which version you are editing."),
            errors={"version": [gettext("This field is required.")]},
        )
    claim = lock_claim(claim, None)
    policy.check_role(actor, policy.Action.EDIT)
    unknown = set(changes) - set(WRITABLE_FIELDS)
    if unknown:
        raise InvalidInput(
            gettext("Unknown fields."), errors={k: [gettext("Unknown field.")] for k in unknown}
        )
    # Each field by the action that governs it: the words, the triage, the judgement.
    policy.check_fields(actor, claim, [*changes, *(["sources"] if sources is not None else [])])
    if version > claim.version:
        raise StaleVersion(
            gettext("This claim is at version %(current)s; there is no version %(version)s.")
            % {"current": claim.version, "version": version},
            current=claim,
        )
    changes = {name: resolve_place(value) for name, value in changes.items()}
    refs = resolve_sources(sources)
    if version != claim.version:
        conflicts = _merge_conflicts(claim, version, changes, refs)
        if conflicts:
            raise _conflict_error(claim, version, conflicts)
    # A new qualifier or one new bound re-derives the figure, over the newest claim.
    changes = updated_figure({name: getattr(claim, name) for name in FIGURE}, changes)
    before = {name: getattr(claim, name) for name in changes}
    for name, value in changes.items():
        setattr(claim, name, value)
    claim.country = claim.place.country if claim.place else ""
    _check_consistency(claim)
    _validated(claim)
    if "credibility" in changes or refs is not None:
        # Credibility 1 rests on the sources: checked when either is edited.
        pairs = (
            [(ref.role, ref.source.pk) for ref in refs]
            if refs is not None
            else [(a.role, a.source_id) for a in claim.attributions.all()]
        )
        check_confirmed_by_others(credibility=claim.credibility, says_so=sources_saying_so(pairs))
    changed = {
        name: [_plain(before[name]), _plain(getattr(claim, name))]
        for name in changes
        if before[name] != getattr(claim, name)
    }
    if refs is not None and _attribution_keys(refs) != _stored_attributions(claim):
        old = sorted(str(a.source) for a in claim.attributions.all())
        claim.attributions.all().delete()
        _attribute(claim, refs)
        new = sorted(str(a.source) for a in claim.attributions.all())
        # A changed role or the copy's words is a change too, even with the same names.
        changed["sources"] = [old, new]
    if not changed:
        return claim
    fields = [n for n in changed if n != "sources"]
    for derived in ("country", "qualifier", "unit", "period_kind"):
        if derived not in fields:
            fields.append(derived)
    if "text" in changed:
        claim.language = language.detect(claim.text)
        fields.append("language")
    save_claim(claim, fields)
    event = record_event(
        claim, actor, ClaimEvent.Kind.EDITED, note=note.strip(), details={"changed": changed}
    )
    claim_changed(claim=claim, event=event)
    queue_followups(event)
    queue_scan(claim)
    return claim


@transaction.atomic
def claim_assign(
    *, claim: Claim, actor: Actor, assignee: User | None, note: str = "", version: int | None = None
) -> Claim:
    policy.check_role(actor, policy.Action.ASSIGN)
    if assignee is not None and not roles.is_checker(assignee):
        raise InvalidInput(
            gettext("Claims are assigned to fact-checkers."),
            errors={"assignee": [gettext("%(user)s is not a fact-checker.") % {"user": assignee}]},
        )
    claim = lock_claim(claim, version)
    policy.check(actor, policy.Action.ASSIGN, claim)
    old = claim.assignee
    if old == assignee:
        return claim
    claim.assignee = assignee
    save_claim(claim, ["assignee"])
    event = record_event(
        claim,
        actor,
        ClaimEvent.Kind.ASSIGNED,
        note=note.strip(),
        details={"from": str(old) if old else None, "to": str(assignee) if assignee else None},
    )
    queue_followups(event)
    return claim


@transaction.atomic
def claim_set_priority(
    *,
    claim: Claim,
    actor: Actor,
    priority: int,
    due_at: dt.datetime | None | _Keep = KEEP,
    version: int | None = None,
) -> Claim:
    """Set a claim's priority and, when given, its due date (None clears it)."""
    policy.check_role(actor, policy.Action.SET_PRIORITY)
    claim = lock_claim(claim, version)
    policy.check(actor, policy.Action.SET_PRIORITY, claim)
    before = {"priority": claim.priority, "due_at": _plain(claim.due_at)}
    claim.priority = priority
    if not isinstance(due_at, _Keep):
        claim.due_at = due_at
    due_at = claim.due_at
    _validated(claim)
    save_claim(claim, ["priority", "due_at"])
    record_event(
        claim,
        actor,
        ClaimEvent.Kind.PRIORITY,
        details={"from": before, "to": {"priority": priority, "due_at": _plain(due_at)}},
    )
    return claim
