"""What the writes of every area share: locking and saving a claim with its history
row, turning a model's validation into the desk's `InvalidInput`, and queueing the
work that follows a committed change."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext, gettext_lazy

from claims.errors import ActionForbidden, InvalidInput, StaleVersion
from claims.models import Claim, ClaimEvent
from claims.typing import Actor


def user_of(actor: Actor) -> User:
    """The user a write is recorded against. Anonymous visitors hold no permission, so
    the check every write makes first has refused them before this is asked."""
    if not isinstance(actor, User):
        raise ActionForbidden(gettext("Sign in first."))
    return actor


def lock_claim(claim: Claim, version: int | None) -> Claim:
    """Re-read the claim under a row lock and refuse if someone saved it since `version`."""
    current = Claim.objects.select_for_update().get(pk=claim.pk)
    if version is not None and current.version != version:
        raise StaleVersion(
            gettext(
                "Someone else changed this claim (you had version %(version)s, "
                "it is now at version %(current)s)."
            )
            % {"version": version, "current": current.version},
            current=current,
        )
    return current


def save_claim(claim: Claim, fields: Iterable[str]) -> None:
    """Save `fields` as a new version of the claim."""
    claim.version += 1
    claim.save(update_fields=[*fields, "version", "updated_at"])


def record_event(claim: Claim, actor: Actor | None, kind: str, **kwargs: Any) -> ClaimEvent:
    """The claim's history row for a change; a change made by a job has no actor."""
    user = user_of(actor) if actor is not None else None
    return ClaimEvent.objects.create(claim=claim, actor=user, kind=kind, **kwargs)


# One whole sentence per record, so a translator never has to fit a noun into a frame.
NOT_VALID = {
    "claim": gettext_lazy("The claim is not valid."),
    "evidence": gettext_lazy("The evidence is not valid."),
    "incident": gettext_lazy("The incident is not valid."),
    "source": gettext_lazy("The source is not valid."),
    "story": gettext_lazy("The story is not valid."),
    "webhook": gettext_lazy("The webhook is not valid."),
}


def validate(record: Model, what: str, exclude: Sequence[str] = ()) -> None:
    """The model's own validation, refused as an `InvalidInput` (400) naming `what` (a
    key of `NOT_VALID`)."""
    try:
        record.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        raise InvalidInput(str(NOT_VALID[what]), errors=_field_errors(exc)) from exc


def _field_errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if k == "__all__" else k): [str(m) for e in v for m in e.messages]
            for k, v in exc.error_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


# `claims.tasks` is imported inside the two functions below, not at the top: its tasks
# call the services (and `checks.sync`, which it imports, writes flags through
# `services.flags`), so importing it here at load time would be an import cycle.


def queue_scan(claim: Claim) -> None:
    """Queue a scan of the claim's block once the change is committed."""
    from claims import tasks

    tasks.queue_block_scan(claim.pk)


def queue_source_remap(source_id: int, actor: Actor | None, names: Sequence[str]) -> None:
    """Queue the re-mapping of unmapped source words through `names` once the change
    is committed."""
    from claims import tasks

    tasks.queue_source_remap(source_id, actor.pk if actor else None, list(names))
