"""Incidents: one event whose tolls the checks compare as one (DESIGN, "Incidents").

Editors and fact-checkers (and admins) create incidents, link and unlink claims,
merge and split incidents, and answer the job's suggestions; anyone with a role
reads them. Each write records who, when and why twice: on the claim
(`ClaimEvent` of kind "incident", with the incident before and after) and on the
incident (`IncidentEvent`). A claim a person linked or unlinked is `incident_fixed`:
the job that links claims leaves it alone from then on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from claims import roles
from claims.errors import ActionForbidden, ClaimMerged, InvalidInput, StateConflict
from claims.models import Claim, ClaimEvent, Flag, Incident, IncidentEvent, Place
from claims.services.common import lock_claim, queue_scan, user_of, validate
from claims.services.flags import flag_set_status
from claims.services.registers import resolve_place
from claims.typing import Actor

# The fields of an incident a person edits.
INCIDENT_FIELDS = ("label", "kind", "place", "day")
LINKED_BY_JOB_NOTE = (
    "Linked by the job: the same event, place and incident words, reported within a few days."
)


def may_change_incidents(actor: Actor | None) -> bool:
    """Editors and fact-checkers (admins count as both) link, create, merge and split."""
    return actor is not None and (roles.is_editor(actor) or roles.is_checker(actor))


def _require(actor: Actor) -> None:
    if not roles.has_role(actor):
        raise ActionForbidden(gettext("Sign in with a role on the desk first."))
    if not may_change_incidents(actor):
        raise ActionForbidden(gettext("Only editors and fact-checkers change incidents."))


def _plain(value: Any) -> Any:
    if isinstance(value, Place):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _event(
    incident: Incident,
    actor: Actor | None,
    kind: str,
    *,
    claim: Claim | None = None,
    note: str = "",
    details: Mapping[str, Any] | None = None,
) -> IncidentEvent:
    return IncidentEvent.objects.create(
        incident=incident,
        actor=user_of(actor) if actor is not None else None,
        kind=kind,
        claim=claim,
        note=note,
        details=dict(details or {}),
    )


def _checked(incident: Incident) -> Incident:
    incident.label = " ".join((incident.label or "").split())
    incident.kind = " ".join((incident.kind or "").split()).lower()
    if not incident.label:
        raise InvalidInput(
            gettext("The incident needs a label."),
            errors={"label": [gettext("Name the incident.")]},
        )
    validate(incident, "incident", exclude=("created_by", "merged_into"))
    return incident


@transaction.atomic
def incident_create(
    *,
    actor: Actor,
    label: str,
    kind: str = "",
    place: Any = None,
    day: dt.date | None = None,
    note: str = "",
    claims: Iterable[Claim] = (),
) -> Incident:
    """A new incident (its place given as a `PlaceName` is resolved here, after the
    permission check), with `claims` linked to it."""
    _require(actor)
    incident = _checked(Incident(label=label, kind=kind, day=day, created_by=user_of(actor)))
    incident.place = resolve_place(place)
    incident.save()
    _event(incident, actor, IncidentEvent.Kind.CREATED, note=note.strip())
    for claim in claims:
        _set_incident(claim, incident, actor, note)
    return incident


@transaction.atomic
def incident_update(
    *, incident: Incident, actor: Actor, changes: Mapping[str, Any], note: str = ""
) -> Incident:
    """Edit an incident's label, kind, place or day, recording each field's old and new
    value."""
    _require(actor)
    unknown = set(changes) - set(INCIDENT_FIELDS)
    if unknown:
        raise InvalidInput(
            gettext("Unknown fields."), errors={k: [gettext("Unknown field.")] for k in unknown}
        )
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.merged_into_id is not None:
        raise StateConflict(gettext("This incident was merged into another: edit that one."))
    before = {name: getattr(incident, name) for name in INCIDENT_FIELDS}
    for name, value in changes.items():
        setattr(incident, name, resolve_place(value) if name == "place" else value)
    _checked(incident)
    changed = {
        name: [_plain(before[name]), _plain(getattr(incident, name))]
        for name in INCIDENT_FIELDS
        if before[name] != getattr(incident, name)
    }
    if not changed:
        return incident
    incident.save(update_fields=[*changed, "updated_at"])
    _event(
        incident, actor, IncidentEvent.Kind.EDITED, note=note.strip(), details={"changed": changed}
    )
    return incident


def _set_incident(
    claim: Claim,
    incident: Incident | None,
    actor: Actor | None,
    note: str,
    *,
    kind: str | None = None,
    scan: bool = True,
) -> bool:
    """Move a locked claim to `incident` (None: no incident), with both history rows;
    answers whether anything changed. A person's move fixes the claim's incident."""
    before = claim.incident_id
    after = incident.pk if incident is not None else None
    fixed = claim.incident_fixed or actor is not None
    if before == after:
        if fixed != claim.incident_fixed:  # a person confirms what the job linked
            claim.incident_fixed = True
            claim.save(update_fields=["incident_fixed"])
        return False
    claim.incident = incident
    claim.incident_fixed = fixed
    # Not a new version: the claim's words and figures are as they were, and an edit
    # made from the version before is no conflict with this.
    claim.save(update_fields=["incident", "incident_fixed", "updated_at"])
    ClaimEvent.objects.create(
        claim=claim,
        actor=user_of(actor) if actor is not None else None,
        kind=ClaimEvent.Kind.INCIDENT,
        note=note.strip(),
        details={"incident": [before, after]},
    )
    if before is not None:
        old = Incident.objects.get(pk=before)
        _event(old, actor, kind or IncidentEvent.Kind.UNLINKED, claim=claim, note=note.strip())
    if incident is not None:
        _event(incident, actor, kind or IncidentEvent.Kind.LINKED, claim=claim, note=note.strip())
    if scan:
        queue_scan(claim)
    return True


def _current(incident: Incident) -> Incident:
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.merged_into_id is not None:
        raise StateConflict(
            gettext("This incident was merged into another: link claims to that one.")
        )
    return incident


@transaction.atomic
def claim_set_incident(
    *,
    claim: Claim,
    incident: Incident | None,
    actor: Actor,
    note: str = "",
    version: int | None = None,
) -> Claim:
    """Link a claim to an incident, or (None) unlink it, as a person: recorded on the
    claim and on the incidents, and fixed against the job from then on."""
    _require(actor)
    claim = lock_claim(claim, version)
    _not_merged(claim)
    if incident is not None:
        incident = _current(incident)
    _set_incident(claim, incident, actor, note)
    return claim


def _not_merged(claim: Claim) -> None:
    if claim.merged_into_id is not None:
        raise ClaimMerged(claim.pk, claim.merged_into_id)


@transaction.atomic
def incident_link(*, incident: Incident, claim: Claim, actor: Actor, note: str = "") -> Claim:
    """Link `claim` to `incident` (moving it from another incident if it had one)."""
    return claim_set_incident(claim=claim, incident=incident, actor=actor, note=note)


@transaction.atomic
def incident_unlink(*, incident: Incident, claim: Claim, actor: Actor, note: str = "") -> Claim:
    """Take `claim` out of `incident`; 409 when it is not one of its claims."""
    _require(actor)
    claim = lock_claim(claim, None)
    _not_merged(claim)
    if claim.incident_id != incident.pk:
        raise StateConflict(gettext("This claim is not linked to this incident."))
    _set_incident(claim, None, actor, note)
    return claim


@transaction.atomic
def incident_link_by_job(
    *, claims: Sequence[Claim], incident: Incident | None, scanning: int | None = None
) -> Incident:
    """The job's link of claims it found to be one incident (none fixed by a person):
    into `incident`, or a new one named from the first claim's words. Each linked claim's
    block is scanned again, but for `scanning`, the claim whose scan is running."""
    if incident is None:
        # Named after the earliest report: the day it happened, when copy gives none.
        first = min(claims, key=lambda c: (c.reported_on or dt.date.max, c.pk))
        incident = Incident.objects.create(
            label=incident_label(first),
            kind=str((first.incident_words or {}).get("kind") or ""),
            place=first.place,
            day=_day_of(first),
        )
        _event(incident, None, IncidentEvent.Kind.CREATED, note=LINKED_BY_JOB_NOTE)
    for claim in claims:
        locked = lock_claim(claim, None)
        if not locked.incident_fixed and locked.incident_id is None:
            scan = locked.pk != scanning
            _set_incident(locked, incident, None, LINKED_BY_JOB_NOTE, scan=scan)
    return incident


UNLINKED_BY_JOB_NOTE = "Unlinked by the job: the claim's words no longer name this incident."


@transaction.atomic
def incident_unlink_by_job(*, claim: Claim) -> bool:
    """The job takes back a link it made when the claim's words changed since (a person's
    link stands). Answers whether it did."""
    locked = lock_claim(claim, None)
    if locked.incident_fixed or locked.incident_id is None:
        return False
    return _set_incident(locked, None, None, UNLINKED_BY_JOB_NOTE, scan=False)


def _day_of(claim: Claim) -> dt.date | None:
    day = (claim.incident_words or {}).get("day")
    try:
        return dt.date.fromisoformat(day) if isinstance(day, str) else None
    except ValueError:
        return None


def incident_label(claim: Claim) -> str:
    """ "Market bombing, Idlib, 8 Mar 2024": the incident's words, its place and its day
    (the report date when copy gives none), as a first label an editor may change."""
    words = claim.incident_words or {}
    noun = " ".join(
        str(part) for part in (words.get("venue"), words.get("noun") or words.get("kind")) if part
    )
    day = _day_of(claim) or claim.reported_on
    parts = [
        (noun or "Incident")[:1].upper() + (noun or "Incident")[1:],
        claim.place.name if claim.place else str(words.get("place_text") or ""),
        f"{day.day} {day:%b %Y}" if day else "",
    ]
    return ", ".join(part for part in parts if part)[:200]


@transaction.atomic
def incident_merge(
    *, incident: Incident, into: Incident | int, actor: Actor, note: str = ""
) -> Incident:
    """Fold `incident` into `into`: its claims move there (each move recorded), and it
    stays on record as merged, pointing at the one that holds its claims now."""
    _require(actor)
    if not isinstance(into, Incident):
        found = Incident.objects.filter(pk=into).first()
        if found is None:
            raise InvalidInput(
                gettext("No such incident."), errors={"into": [gettext("No such incident.")]}
            )
        into = found
    if into.pk == incident.pk:
        raise StateConflict(gettext("An incident cannot be merged into itself."))
    # Locked in id order, so that two merges of the same pair cannot wait on each other.
    locked = {i.pk: _current(i) for i in sorted((incident, into), key=lambda i: i.pk)}
    incident, into = locked[incident.pk], locked[into.pk]
    for claim in Claim.objects.select_for_update().filter(incident=incident).order_by("pk"):
        _set_incident(claim, into, actor, note, kind=IncidentEvent.Kind.MERGED)
    incident.merged_into = into
    incident.save(update_fields=["merged_into", "updated_at"])
    details = {"from": incident.pk, "into": into.pk}
    _event(incident, actor, IncidentEvent.Kind.MERGED, note=note.strip(), details=details)
    _event(into, actor, IncidentEvent.Kind.MERGED, note=note.strip(), details=details)
    return into


@transaction.atomic
def incident_split(
    *,
    incident: Incident,
    claims: Iterable[Claim | int],
    actor: Actor,
    label: str,
    note: str = "",
) -> Incident:
    """Move some of an incident's claims into a new incident named `label` (two attacks
    the desk took for one); answers the new incident."""
    _require(actor)
    incident = _current(incident)
    ids = sorted({c.pk if isinstance(c, Claim) else int(c) for c in claims})
    moved = list(Claim.objects.select_for_update().filter(incident=incident, pk__in=ids))
    if not ids or len(moved) != len(ids):
        raise InvalidInput(
            gettext("Pick claims of this incident to split off."),
            errors={"claims": [gettext("Pick claims of this incident.")]},
        )
    new = _checked(
        Incident(
            label=label,
            kind=incident.kind,
            place=incident.place,
            day=incident.day,
            created_by=user_of(actor),
        )
    )
    new.save()
    details = {"from": incident.pk, "into": new.pk, "claims": ids}
    _event(new, actor, IncidentEvent.Kind.CREATED, note=note.strip(), details=details)
    _event(incident, actor, IncidentEvent.Kind.SPLIT, note=note.strip(), details=details)
    for claim in moved:
        _set_incident(claim, new, actor, note, kind=IncidentEvent.Kind.SPLIT)
    return new


# ---------------------------------------------------------------------------
# The job's suggestions: an informational flag an editor confirms or rejects


# Whole sentences for each answer to a suggestion, so a translator sees full sentences.
_SAY_WHY = {
    "confirm": (
        gettext_lazy("Say why you confirm the suggestion."),
        gettext_lazy("Say why you confirm it."),
    ),
    "reject": (
        gettext_lazy("Say why you reject the suggestion."),
        gettext_lazy("Say why you reject it."),
    ),
}


def _suggestion(flag: Flag, actor: Actor, note: str, what: str) -> tuple[Flag, str]:
    _require(actor)
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.kind != Flag.Kind.INCIDENT_SUGGESTED:
        raise StateConflict(gettext("This flag is not a suggested incident."))
    if flag.status not in Flag.UNRESOLVED:
        raise StateConflict(
            gettext("This suggestion is already %(status)s.")
            % {"status": flag.get_status_display()}
        )
    note = (note or "").strip()
    if not note:
        summary, field = _SAY_WHY[what]
        raise InvalidInput(str(summary), errors={"note": [str(field)]})
    return flag, note


@transaction.atomic
def incident_suggestion_confirm(*, flag: Flag, actor: Actor, note: str) -> Incident:
    """The claims of the suggestion are one incident: link them (into the incident one
    of them has, or a new one) and resolve the flag."""
    flag, note = _suggestion(flag, actor, note, "confirm")
    claims = list(Claim.objects.select_for_update().filter(flags=flag).order_by("pk"))
    incidents = [c.incident for c in claims if c.incident_id is not None]
    if len({i.pk for i in incidents if i is not None}) > 1:
        raise StateConflict(
            gettext("These claims belong to two incidents already: merge the incidents instead.")
        )
    incident = incidents[0] if incidents and incidents[0] is not None else None
    if incident is None:
        first = claims[0]
        incident = incident_create(
            actor=actor,
            label=incident_label(first),
            kind=str((first.incident_words or {}).get("kind") or "")[:40],
            place=first.place,
            day=_day_of(first),
            note=note,
        )
    for claim in claims:
        _set_incident(claim, incident, actor, note)
    _event(
        incident,
        actor,
        IncidentEvent.Kind.SUGGESTION_CONFIRMED,
        note=note,
        details={"flag": flag.pk, "claims": [c.pk for c in claims]},
    )
    flag_set_status(flag, to=Flag.Status.RESOLVED, actor=actor, note=note)
    return incident


@transaction.atomic
def incident_suggestion_reject(*, flag: Flag, actor: Actor, note: str) -> Flag:
    """The claims of the suggestion are not one incident: dismiss the flag (it stays
    dismissed until one of them changes) and fix their incidents against the job."""
    flag, note = _suggestion(flag, actor, note, "reject")
    claims = list(Claim.objects.select_for_update().filter(flags=flag).order_by("pk"))
    for claim in claims:
        if not claim.incident_fixed:
            claim.incident_fixed = True
            claim.save(update_fields=["incident_fixed"])
        if claim.incident is not None:
            _event(
                claim.incident,
                actor,
                IncidentEvent.Kind.SUGGESTION_REJECTED,
                claim=claim,
                note=note,
                details={"flag": flag.pk, "claims": [c.pk for c in claims]},
            )
    return flag_set_status(flag, to=Flag.Status.DISMISSED, actor=actor, note=note)
