"""Flags: the desk's answers to what the jobs found, and the one writer of a flag's
status, for a person's answer and a scan's alike."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

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
) -> dict[str, Any]:
    """What a flag's row holds once it moves to `to`. A settled flag (resolved or
    dismissed) says who settled it, when, why and, for a resolution, the figure chosen;
    a flag that is open again says none of that, so no old answer is shown as its own."""
    if to in SETTLED:
        return {
            "status": to,
            "resolved_by_id": actor_id,
            "resolved_at": now,
            "resolution_note": note,
            "resolution_low": figure_low,
            "resolution_high": figure_high,
            "resolution_rule": rule,
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
) -> Flag:
    """The one writer of a flag's status, for a person's answer and the scan's alike
    (`flags_set_status` is its batch form): the status, who, when and why, the
    resolution's figure, and the FlagEvent row. It checks nothing: callers do."""
    actor_id = actor.pk if actor is not None else None
    details = (
        {"figure_low": figure_low, "figure_high": figure_high, "rule": rule}
        if to == Flag.Status.RESOLVED and actor_id is not None
        else {}
    )
    flag_event(
        flag.pk, from_status=flag.status, to=to, note=note, actor_id=actor_id, details=details
    ).save()
    fields = _status_fields(
        to, actor_id, note, now or timezone.now(), figure_low, figure_high, rule
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
        raise ActionForbidden("Only fact-checkers and admins handle flags.")
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status not in Flag.UNRESOLVED:
        raise StateConflict(f"This flag is already {flag.get_status_display()}.")
    return flag


def _required_note(note: str, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise InvalidInput(
            f"Say why you {what} this flag.", errors={"note": [f"Say why you {what} it."]}
        )
    return note


@transaction.atomic
def flag_acknowledge(*, flag: Flag, actor: Actor, note: str = "") -> Flag:
    """Someone is on it: the flag stays in the queue, marked as seen."""
    flag = _flag_for_update(flag, actor)
    if flag.status == Flag.Status.ACKNOWLEDGED:
        raise StateConflict("This flag is already acknowledged.")
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
    flag = flag_set_status(
        flag,
        to=Flag.Status.RESOLVED,
        actor=actor,
        note=note,
        figure_low=figure_low,
        figure_high=figure_high,
        rule=rule,
    )
    queue_flag_resolved(flag)  # the webhooks' flag.resolved
    return flag


@transaction.atomic
def flag_dismiss(*, flag: Flag, actor: Actor, note: str) -> Flag:
    """Not a problem. The flag stays dismissed until one of its claims changes."""
    flag = _flag_for_update(flag, actor)
    note = _required_note(note, "dismiss")
    return flag_set_status(flag, to=Flag.Status.DISMISSED, actor=actor, note=note)
