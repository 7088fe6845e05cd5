"""Who may do what to a claim: the workflow's roles, written down once.

`TABLE` says, per action, which role may do it, in which of the claim's states, and
whether only the claim's assignee may. The services enforce it (`check`, and
`check_fields` for an edit that names fields); pages and the API ask it (`allows`)
to offer only what will work, so that a page and an endpoint never disagree.

A refusal is a 403 when the actor's role may never do this, or may in this state but
only as the claim's assignee; it is a 409 when the role may do it to claims in another
state (an editor and a claim already in review), so the answer says the state is why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_noop

from claims.errors import ActionForbidden, ClaimMerged, DomainError, StateConflict
from claims.models import DECIDED, Status
from claims.roles import ADMIN, CHECKER, EDITOR, role_names
from claims.typing import Actor

if TYPE_CHECKING:
    from claims.models import Claim

ROLES = (EDITOR, CHECKER, ADMIN)


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    # The claim's words and their reading: text, figure, event, place, period, sources.
    EDIT = "edit"
    # The desk's triage fields: priority and due date.
    SET_PRIORITY = "set_priority"
    ASSIGN = "assign"
    # The checker's judgement: credibility and the published verdict.
    SET_CREDIBILITY = "set_credibility"
    TAKE = "take"
    DECIDE = "decide"
    REOPEN = "reopen"
    RETRACT = "retract"
    ADD_EVIDENCE = "add_evidence"
    REMOVE_EVIDENCE = "remove_evidence"
    COMMENT = "comment"
    # A decided claim's public review (`claims.services.publishing`).
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    # Folding a duplicate into the claim that survives (`claims.services.merges`).
    MERGE = "merge"
    # "Same claim": a story's words linked to a claim the desk already has.
    LINK_STORY = "link_story"
    # Tag a claim (or a story) with topics from the admins' list (`claims.services.topics`).
    TAG = "tag"
    # The desk's report of the time claims spend in each stage (`/reports/`).
    VIEW_REPORTS = "view_reports"


@dataclass(frozen=True)
class Grant:
    """`role` may do the action to a claim in one of `states`; with `assignee_only`,
    only to the claims assigned to them."""

    role: str
    states: frozenset[str]
    assignee_only: bool = False


ALL = frozenset(Status.values)
LIVE = ALL - {Status.RETRACTED}
NEW = frozenset({Status.NEW})
IN_REVIEW = frozenset({Status.IN_REVIEW})
OPEN = NEW | IN_REVIEW
DECIDED_STATES = frozenset(DECIDED)

# Who edits a claim's words is also who takes evidence off it: both change what a
# decision would rest on. Editors while the claim is new; fact-checkers while it is
# new and, once taken, the one reviewing it; admins always.
_EDITORS_OF_THE_WORDS = (
    Grant(EDITOR, NEW),
    Grant(CHECKER, NEW),
    Grant(CHECKER, IN_REVIEW, assignee_only=True),
    Grant(ADMIN, ALL),
)

TABLE: dict[Action, tuple[Grant, ...]] = {
    Action.VIEW: (Grant(EDITOR, ALL), Grant(CHECKER, ALL), Grant(ADMIN, ALL)),
    # A claim being logged counts as new.
    Action.CREATE: (Grant(EDITOR, NEW), Grant(ADMIN, NEW)),
    Action.EDIT: _EDITORS_OF_THE_WORDS,
    Action.SET_PRIORITY: (Grant(CHECKER, LIVE), Grant(ADMIN, LIVE)),
    Action.ASSIGN: (Grant(CHECKER, LIVE), Grant(ADMIN, LIVE)),
    Action.SET_CREDIBILITY: (Grant(CHECKER, IN_REVIEW, assignee_only=True), Grant(ADMIN, ALL)),
    Action.TAKE: (Grant(CHECKER, NEW), Grant(ADMIN, NEW)),
    Action.DECIDE: (Grant(CHECKER, IN_REVIEW, assignee_only=True), Grant(ADMIN, IN_REVIEW)),
    Action.REOPEN: (
        Grant(CHECKER, DECIDED_STATES, assignee_only=True),
        Grant(ADMIN, DECIDED_STATES),
    ),
    # A claim in review or decided is withdrawn by the checker who has it, or an admin.
    Action.RETRACT: (
        Grant(EDITOR, NEW),
        Grant(CHECKER, NEW),
        Grant(CHECKER, LIVE - NEW, assignee_only=True),
        Grant(ADMIN, LIVE),
    ),
    Action.ADD_EVIDENCE: (Grant(EDITOR, LIVE), Grant(CHECKER, LIVE), Grant(ADMIN, LIVE)),
    Action.REMOVE_EVIDENCE: _EDITORS_OF_THE_WORDS,
    Action.COMMENT: (Grant(EDITOR, ALL), Grant(CHECKER, ALL), Grant(ADMIN, ALL)),
    # Any fact-checker may publish a decision, not only the one who made it: the desk
    # publishes what it decided. A review can be taken down whatever the claim's state.
    Action.PUBLISH: (Grant(CHECKER, DECIDED_STATES), Grant(ADMIN, DECIDED_STATES)),
    Action.UNPUBLISH: (Grant(CHECKER, ALL), Grant(ADMIN, ALL)),
    # Fact-checkers judge that two claims are one; a duplicate in any state may go.
    Action.MERGE: (Grant(CHECKER, ALL), Grant(ADMIN, ALL)),
    # Who logs claims from copy says when copy makes a claim the desk already has; a
    # retracted claim carries no more stories.
    Action.LINK_STORY: (Grant(EDITOR, LIVE), Grant(ADMIN, LIVE)),
    # Topics say what a claim is about, not what it says: editors tag any claim still on
    # the desk, whatever its review; a tag is no new version and asks no new decision.
    Action.TAG: (Grant(EDITOR, LIVE), Grant(ADMIN, ALL)),
    # The report times the desk's work person by person: it is for the fact-checkers
    # and admins who run the queues; editors see the week's totals on the dashboard.
    # Not about one claim: asked with `check_role`, so the states are every state.
    Action.VIEW_REPORTS: (Grant(CHECKER, ALL), Grant(ADMIN, ALL)),
}


@dataclass(frozen=True)
class Words:
    """How a refusal of the action reads: the verb ("retract claims"), and what is said
    when the state is why ("%(status)s" is the claim's status, in words). English
    message ids: `say` gives them in the reader's language."""

    forbidden: str
    not_assigned: str
    wrong_state: str


WORDS: dict[Action, Words] = {
    Action.VIEW: Words(gettext_noop("Your role may not see claims."), "", ""),
    Action.CREATE: Words(
        gettext_noop("Only editors may log claims."),
        "",
        gettext_noop("Only editors may log claims."),
    ),
    Action.EDIT: Words(
        gettext_noop("Your role may not edit claims."),
        gettext_noop("Only the claim's assignee (or an admin) may edit it while it is in review."),
        gettext_noop("A claim that is %(status)s can no longer be edited by your role."),
    ),
    Action.SET_PRIORITY: Words(
        gettext_noop("Only fact-checkers and admins may set priorities and due dates."),
        "",
        gettext_noop("A retracted claim has no priority to set."),
    ),
    Action.ASSIGN: Words(
        gettext_noop("Only fact-checkers and admins may assign claims."),
        "",
        gettext_noop("A retracted claim cannot be assigned."),
    ),
    Action.SET_CREDIBILITY: Words(
        gettext_noop("Only fact-checkers and admins may judge credibility."),
        gettext_noop("Only the claim's assignee (or an admin) may judge its credibility."),
        gettext_noop(
            "A claim's credibility is judged while it is in review, not while it is %(status)s."
        ),
    ),
    Action.TAKE: Words(
        gettext_noop("Only fact-checkers may take, decide or reopen claims."),
        "",
        gettext_noop("A claim that is %(status)s cannot be taken."),
    ),
    Action.DECIDE: Words(
        gettext_noop("Only fact-checkers may take, decide or reopen claims."),
        gettext_noop("Only the claim's assignee (or an admin) may decide it."),
        gettext_noop("A claim that is %(status)s cannot be decided."),
    ),
    Action.REOPEN: Words(
        gettext_noop("Only fact-checkers may take, decide or reopen claims."),
        gettext_noop("Only the fact-checker who decided the claim (or an admin) may reopen it."),
        gettext_noop("A claim that is %(status)s cannot be reopened."),
    ),
    Action.RETRACT: Words(
        gettext_noop("Your role may not retract claims."),
        gettext_noop("Only the claim's assignee (or an admin) may retract it now."),
        gettext_noop(
            "A claim that is %(status)s can no longer be retracted by your role: ask its "
            "fact-checker or an admin."
        ),
    ),
    Action.ADD_EVIDENCE: Words(
        gettext_noop("Your role may not add evidence."),
        "",
        gettext_noop("A retracted claim takes no more evidence."),
    ),
    Action.REMOVE_EVIDENCE: Words(
        gettext_noop("Your role may not remove evidence."),
        gettext_noop(
            "Only the claim's assignee (or an admin) may remove its evidence while it is in review."
        ),
        gettext_noop("A claim that is %(status)s keeps its evidence: reopen the claim first."),
    ),
    Action.COMMENT: Words(gettext_noop("Your role may not comment."), "", ""),
    Action.PUBLISH: Words(
        gettext_noop("Only fact-checkers and admins may publish reviews."),
        "",
        gettext_noop("Only a decided claim has a review to publish; this one is %(status)s."),
    ),
    Action.UNPUBLISH: Words(
        gettext_noop("Only fact-checkers and admins may take reviews down."), "", ""
    ),
    Action.VIEW_REPORTS: Words(
        gettext_noop("Only fact-checkers and admins may see the desk's reports."), "", ""
    ),
    Action.MERGE: Words(gettext_noop("Only fact-checkers and admins may merge claims."), "", ""),
    Action.TAG: Words(
        gettext_noop("Only editors and admins tag claims and stories with topics."),
        "",
        gettext_noop("A retracted claim keeps the topics it had."),
    ),
    Action.LINK_STORY: Words(
        gettext_noop("Only editors may link a story to a claim."),
        "",
        gettext_noop("A retracted claim carries no more stories: log the words as a new claim."),
    ),
}

# The claim fields a write may name, by the action that governs them. Fields not
# listed here are the words and their reading (EDIT).
FIELD_ACTIONS: dict[str, Action] = {
    "priority": Action.SET_PRIORITY,
    "due_at": Action.SET_PRIORITY,
    "credibility": Action.SET_CREDIBILITY,
    "verdict": Action.SET_CREDIBILITY,
    "topics": Action.TAG,
}


def _state_of(claim: Claim | None) -> tuple[str, int | None]:
    # A claim not yet saved is being logged: it counts as new, with nobody assigned.
    if claim is None:
        return Status.NEW, None
    return claim.status, claim.assignee_id


def refusal(actor: Actor, action: Action, claim: Claim | None = None) -> DomainError | None:
    """Why `actor` may not do `action` to `claim` now (None: they may)."""
    held = role_names(actor)
    grants = [g for g in TABLE[action] if g.role in held]
    words = WORDS[action]
    if not grants:
        return ActionForbidden(say(words.forbidden))
    if claim is not None and claim.merged_into_id is not None and action != Action.VIEW:
        # A merged claim is on record only: its work goes on on the survivor.
        return ClaimMerged(claim.pk, claim.merged_into_id)
    status, assignee_id = _state_of(claim)
    here = [g for g in grants if status in g.states]
    if not here:
        label = Status(status).label.lower()
        return StateConflict(say(words.wrong_state, status=label))
    if any(not g.assignee_only or assignee_id == actor.pk for g in here):
        return None
    return ActionForbidden(say(words.not_assigned))


def say(words: str, **values: str) -> str:
    """Words of the `WORDS` table in the reader's language, placeholders filled."""
    if not words:
        return words
    text = gettext(words)
    return text % values if values else text


def allows(actor: Actor, action: Action, claim: Claim | None = None) -> bool:
    return refusal(actor, action, claim) is None


def check(actor: Actor, action: Action, claim: Claim | None = None) -> None:
    """Raise the refusal (403 or 409) when `actor` may not do `action` to `claim`."""
    exc = refusal(actor, action, claim)
    if exc is not None:
        raise exc


def check_role(actor: Actor, action: Action) -> None:
    """Raise the 403 when no role of `actor` may ever do `action`: for writes that
    answer the role before they read the claim or the input."""
    if not any(g.role in role_names(actor) for g in TABLE[action]):
        raise ActionForbidden(WORDS[action].forbidden)


def check_fields(actor: Actor, claim: Claim | None, names: Iterable[str]) -> None:
    """An edit naming `names` (claim fields, "place", "sources"): each field's action
    must be allowed. A refusal carries a message on every field it refuses, so the
    API answers which fields the role may not set."""
    by_action: dict[Action, list[str]] = {}
    for name in names:
        by_action.setdefault(FIELD_ACTIONS.get(name, Action.EDIT), []).append(name)
    if not by_action:
        by_action[Action.EDIT] = []
    refused: DomainError | None = None
    errors: dict[str, list[str]] = {}
    # The words first: their refusal is the one a page that edits them would give.
    for action in sorted(by_action, key=lambda a: a != Action.EDIT):
        exc = refusal(actor, action, claim)
        if exc is None:
            continue
        if refused is None or (
            isinstance(exc, ActionForbidden) and not isinstance(refused, ActionForbidden)
        ):
            refused = exc
        for name in by_action[action]:
            errors[name] = [exc.message]
    if refused is not None:
        refused.errors = errors
        raise refused
