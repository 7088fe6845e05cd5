"""Flags: the desk's answers to what the jobs found, and the one writer of a flag's
status, for a person's answer and a scan's alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from claims import roles
from claims.checks.types import FIGURE_CONFLICT_KINDS
from claims.errors import ActionForbidden, InvalidInput, StateConflict
from claims.models import Flag, FlagEvent
from claims.services.notifications import queue_flag_resolved
from claims.typing import Actor

# Flags about figures that disagree: resolving one says which figure the desk uses.
FIGURE_KINDS = FIGURE_CONFLICT_KINDS
SETTLED = (Flag.Status.RESOLVED, Flag.Status.DISMISSED)
# Flags written per query by the scans (SQLite allows 999 parameters a query).
FLAG_BATCH = 500


def _status_fields(
    to: str,
    actor_id: int | None,
    note: str,
    now: dt.datetime,
    figure_low: int | None = None,
    figure_high: int | None = None,
    rule: str = "",
    upheld_claim: int | None = None,
) -> dict[str, Any]:
    """What a flag's row holds once it moves to `to`. A settled flag (resolved or
    dismissed) says who settled it, when, why and, for a resolution, the figure chosen
    and the claim whose figure stood; a flag that is open again says none of that, so
    no old answer is shown as its own."""
    if to in SETTLED:
        return {
            "status": to,
            "resolved_by_id": actor_id,
            "resolved_at": now,
            "resolution_note": note,
            "resolution_low": figure_low,
            "resolution_high": figure_high,
            "resolution_rule": rule,
            "resolution_claim_id": upheld_claim,
        }
    fields: dict[str, Any] = {"status": to}
    if to == Flag.Status.OPEN:
        fields.update(
            resolved_by_id=None,
            resolved_at=None,
            resolution_note="",
            resolution_low=None,
            resolution_high=None,
            resolution_rule="",
            resolution_claim_id=None,
        )
    return fields


def flag_event(
    flag_id: int,
    *,
    from_status: str,
    to: str,
    note: str,
    actor_id: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> FlagEvent:
    """The history row of a flag's move (unsaved): a scan's moves have no actor."""
    return FlagEvent(
        flag_id=flag_id,
        actor_id=actor_id,
        from_status=from_status,
        to_status=to,
        note=note,
        details=dict(details or {}),
    )


def flag_set_status(
    flag: Flag,
    *,
    to: str,
    actor: Actor | None,
    note: str,
    now: dt.datetime | None = None,
    figure_low: int | None = None,
    figure_high: int | None = None,
    rule: str = "",
    upheld_claim: int | None = None,
) -> Flag:
    """The one writer of a flag's status, for a person's answer and the scan's alike
    (`flags_set_status` is its batch form): the status, who, when and why, the
    resolution's figure and the claim that stood, and the FlagEvent row. It checks
    nothing: callers do."""
    actor_id = actor.pk if actor is not None else None
    details: dict[str, Any] = (
        {"figure_low": figure_low, "figure_high": figure_high, "rule": rule}
        if to == Flag.Status.RESOLVED and actor_id is not None
        else {}
    )
    if details and upheld_claim is not None:
        details["upheld_claim"] = upheld_claim
    flag_event(
        flag.pk, from_status=flag.status, to=to, note=note, actor_id=actor_id, details=details
    ).save()
    fields = _status_fields(
        to, actor_id, note, now or timezone.now(), figure_low, figure_high, rule, upheld_claim
    )
    for name, value in fields.items():
        setattr(flag, name, value)
    flag.save(update_fields=[name.removesuffix("_id") for name in fields])
    return flag


def flags_set_status(
    moves: Sequence[tuple[int, str]], *, to: str, note: str, now: dt.datetime
) -> int:
    """`flag_set_status` for many flags at once, by the scan: `moves` are (flag id, the
    status it moves from). Two queries per FLAG_BATCH flags."""
    fields = _status_fields(to, None, note, now)
    for start in range(0, len(moves), FLAG_BATCH):
        batch = moves[start : start + FLAG_BATCH]
        FlagEvent.objects.bulk_create(
            flag_event(pk, from_status=status, to=to, note=note) for pk, status in batch
        )
        Flag.objects.filter(pk__in=[pk for pk, _ in batch]).update(**fields)
    return len(moves)


def _flag_for_update(flag: Flag, actor: Actor) -> Flag:
    if not (roles.is_checker(actor) or roles.is_admin(actor)):
        raise ActionForbidden(gettext("Only fact-checkers and admins handle flags."))
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status not in Flag.UNRESOLVED:
        raise StateConflict(
            gettext("This flag is already %(status)s.") % {"status": flag.get_status_display()}
        )
    return flag


# Whole sentences for each answer to a flag, so a translator sees full sentences.
_SAY_WHY = {
    "resolve": (
        gettext_lazy("Say why you resolve this flag."),
        gettext_lazy("Say why you resolve it."),
    ),
    "dismiss": (
        gettext_lazy("Say why you dismiss this flag."),
        gettext_lazy("Say why you dismiss it."),
    ),
}


def _required_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        summary, field = _SAY_WHY[what]
        raise InvalidInput(str(summary), errors={"note": [str(field)]})
    return note


@transaction.atomic
def flag_acknowledge(*, flag: Flag, actor: Actor, note: str = "") -> Flag:
    """Someone is on it: the flag stays in the queue, marked as seen."""
    flag = _flag_for_update(flag, actor)
    if flag.status == Flag.Status.ACKNOWLEDGED:
        raise StateConflict(gettext("This flag is already acknowledged."))
    return flag_set_status(flag, to=Flag.Status.ACKNOWLEDGED, actor=actor, note=note.strip())


@transaction.atomic
def flag_resolve(
    *,
    flag: Flag,
    actor: Actor,
    note: str,
    figure_low: int | None = None,
    figure_high: int | None = None,
    rule: str = "",
    upheld_claim: int | None = None,
) -> Flag:
    """Settle what the flag found. For figures that disagree, record the figure the
    desk will use (`figure_high` empty for 'at least'), the rule that chose it and,
    when one claim's figure stood, that claim (`upheld_claim`, one of the flag's): the
    others lost the conflict, and their sources' track records say so."""
    flag = _flag_for_update(flag, actor)
    note = _required_note(note, "resolve")
    errors: dict[str, list[str]] = {}
    if upheld_claim is not None:
        if flag.kind not in FIGURE_KINDS:
            errors["upheld_claim"] = ["Only a conflict about figures has a claim that stands."]
        elif not flag.claims.filter(pk=upheld_claim).exists():
            errors["upheld_claim"] = ["Choose one of this flag's claims."]
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
        raise InvalidInput(gettext("The resolution is not complete."), errors=errors)
    flag = flag_set_status(
        flag,
        to=Flag.Status.RESOLVED,
        actor=actor,
        note=note,
        figure_low=figure_low,
        figure_high=figure_high,
        rule=rule,
        upheld_claim=upheld_claim,
    )
    queue_flag_resolved(flag)  # the webhooks' flag.resolved
    return flag


@transaction.atomic
def flag_dismiss(*, flag: Flag, actor: Actor, note: str) -> Flag:
    """Not a problem. The flag stays dismissed until one of its claims changes."""
    flag = _flag_for_update(flag, actor)
    note = _required_note(note, "dismiss")
    return flag_set_status(flag, to=Flag.Status.DISMISSED, actor=actor, note=note)
