"""Domain errors raised by services; views and the API map them to HTTP answers."""

from __future__ import annotations

from django.utils.translation import gettext


class DomainError(Exception):
    status_code = 400

    def __init__(self, message: str, *, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(DomainError):
    """The request is malformed: answered with 400 and field messages."""

    status_code = 400


class ActionForbidden(DomainError):
    """The actor's role does not allow this action: 403."""

    status_code = 403


class StateConflict(DomainError):
    """The action does not fit the object's current state: 409."""

    status_code = 409


class StaleVersion(StateConflict):
    """Someone else saved the object since the actor loaded it: 409."""

    def __init__(self, message: str, *, current: object = None) -> None:
        super().__init__(message)
        self.current = current


class ClaimMerged(StateConflict):
    """A write to a claim merged into another: 409, naming the claim that holds it now."""

    def __init__(self, claim_id: int, into_id: int) -> None:
        super().__init__(
            gettext("Claim #%(claim)s was merged into claim #%(into)s: make changes there.")
            % {"claim": claim_id, "into": into_id}
        )
        self.into_id = into_id
