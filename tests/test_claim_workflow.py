"""The verification workflow, move by move and role by role, through the services."""

from __future__ import annotations

import pytest

from claims import services
from claims.errors import ActionForbidden, InvalidInput, StaleVersion, StateConflict
from claims.models import Claim, ClaimEvent, Evidence, Status
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db

DECISIONS = [Status.VERIFIED, Status.ATTRIBUTED, Status.DISPUTED, Status.FALSE]


def last_event(claim: Claim) -> ClaimEvent:
    return ClaimEvent.objects.filter(claim=claim).latest("id")


def in_review(checker) -> Claim:  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    return services.claim_transition(claim=claim, actor=checker, to=Status.IN_REVIEW)


def test_it_lets_a_checker_take_a_new_claim_and_become_its_assignee(checker):
    claim = ClaimFactory()
    claim = services.claim_transition(claim=claim, actor=checker, to=Status.IN_REVIEW)
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW
    assert claim.assignee == checker
    assert claim.version == 2
    event = last_event(claim)
    assert (event.actor, event.kind, event.from_status, event.to_status) == (
        checker,
        "transition",
        "new",
        "in_review",
    )


@pytest.mark.parametrize("role", ["editor", "outsider"])
def test_it_refuses_take_by_other_roles(request, role):
    actor = request.getfixturevalue(role)
    claim = ClaimFactory()
    with pytest.raises(ActionForbidden):
        services.claim_transition(claim=claim, actor=actor, to=Status.IN_REVIEW)
    claim.refresh_from_db()
    assert claim.status == Status.NEW
    assert not ClaimEvent.objects.filter(claim=claim).exists()


@pytest.mark.parametrize("to", [Status.ATTRIBUTED, Status.DISPUTED, Status.FALSE])
def test_it_lets_the_assignee_decide_with_a_note(checker, to):
    claim = in_review(checker)
    services.claim_transition(claim=claim, actor=checker, to=to, note="Per the monitor only.")
    claim.refresh_from_db()
    assert claim.status == to
    assert claim.decided_at is not None
    event = last_event(claim)
    assert (event.from_status, event.to_status, event.note) == (
        "in_review",
        to,
        "Per the monitor only.",
    )


def test_it_refuses_a_decision_without_a_note(checker):
    claim = in_review(checker)
    with pytest.raises(InvalidInput) as exc:
        services.claim_transition(claim=claim, actor=checker, to=Status.ATTRIBUTED, note="  ")
    assert "note" in exc.value.errors
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


def test_it_refuses_verified_without_supporting_evidence(checker):
    claim = in_review(checker)
    EvidenceFactory(claim=claim, stance=Evidence.Stance.CONTEXT)
    with pytest.raises(StateConflict, match="supporting evidence"):
        services.claim_transition(claim=claim, actor=checker, to=Status.VERIFIED, note="Seen.")
    EvidenceFactory(claim=claim, stance=Evidence.Stance.SUPPORTS)
    services.claim_transition(claim=claim, actor=checker, to=Status.VERIFIED, note="Seen.")
    claim.refresh_from_db()
    assert claim.status == Status.VERIFIED


def test_it_refuses_a_decision_by_a_checker_who_is_not_the_assignee(checker, other_checker):
    claim = in_review(checker)
    with pytest.raises(ActionForbidden, match="assignee"):
        services.claim_transition(claim=claim, actor=other_checker, to=Status.DISPUTED, note="No.")


def test_it_lets_an_admin_decide_any_claim_in_review(checker, admin):
    claim = in_review(checker)
    services.claim_transition(claim=claim, actor=admin, to=Status.DISPUTED, note="Sources clash.")
    claim.refresh_from_db()
    assert claim.status == Status.DISPUTED
    assert last_event(claim).actor == admin


@pytest.mark.parametrize("to", DECISIONS)
def test_it_refuses_a_decision_on_a_new_claim(checker, to):
    claim = ClaimFactory()
    with pytest.raises(StateConflict):
        services.claim_transition(claim=claim, actor=checker, to=to, note="Too soon.")


@pytest.mark.parametrize("role", ["editor", "outsider"])
def test_it_refuses_decisions_by_other_roles(request, checker, role):
    claim = in_review(checker)
    with pytest.raises(ActionForbidden):
        services.claim_transition(
            claim=claim, actor=request.getfixturevalue(role), to=Status.FALSE, note="No."
        )


def test_it_reopens_a_decided_claim_with_a_note(checker):
    claim = in_review(checker)
    services.claim_transition(claim=claim, actor=checker, to=Status.ATTRIBUTED, note="Only SOHR.")
    with pytest.raises(InvalidInput):
        services.claim_transition(claim=claim, actor=checker, to=Status.IN_REVIEW)
    services.claim_transition(
        claim=claim, actor=checker, to=Status.IN_REVIEW, note="A second source appeared."
    )
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW
    assert claim.decided_at is None
    assert last_event(claim).note == "A second source appeared."


def test_it_refuses_reopen_by_an_editor(editor, checker):
    claim = in_review(checker)
    services.claim_transition(claim=claim, actor=checker, to=Status.FALSE, note="Wrong city.")
    with pytest.raises(ActionForbidden):
        services.claim_transition(claim=claim, actor=editor, to=Status.IN_REVIEW, note="Please.")


@pytest.mark.parametrize("role", ["editor", "checker", "admin"])
def test_it_lets_each_role_retract_with_a_note(request, role):
    actor = request.getfixturevalue(role)
    claim = ClaimFactory()
    services.claim_transition(claim=claim, actor=actor, to=Status.RETRACTED, note="Cut from copy.")
    claim.refresh_from_db()
    assert claim.status == Status.RETRACTED
    assert last_event(claim).to_status == Status.RETRACTED


def test_it_refuses_retraction_by_an_outsider(outsider):
    claim = ClaimFactory()
    with pytest.raises(ActionForbidden):
        services.claim_transition(claim=claim, actor=outsider, to=Status.RETRACTED, note="x")


def test_it_keeps_a_retracted_claim_retracted(checker):
    claim = ClaimFactory(status=Status.RETRACTED)
    for to in [Status.NEW, Status.IN_REVIEW, Status.RETRACTED, *DECISIONS]:
        with pytest.raises(StateConflict):
            services.claim_transition(claim=claim, actor=checker, to=to, note="Back?")


def test_it_refuses_an_unknown_status(checker):
    with pytest.raises(InvalidInput):
        services.claim_transition(claim=ClaimFactory(), actor=checker, to="maybe", note="?")


def test_it_refuses_a_stale_version(checker, other_checker):
    claim = ClaimFactory()
    services.claim_transition(claim=claim, actor=checker, to=Status.IN_REVIEW, version=1)
    with pytest.raises(StaleVersion):
        services.claim_transition(
            claim=claim, actor=other_checker, to=Status.RETRACTED, note="Dup.", version=1
        )
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW
    assert claim.version == 2


def test_it_lists_only_the_moves_the_user_may_make(editor, checker):
    claim = ClaimFactory()
    assert services.allowed_transitions(claim, checker) == [Status.IN_REVIEW, Status.RETRACTED]
    assert services.allowed_transitions(claim, editor) == [Status.RETRACTED]


def test_setting_the_priority_keeps_the_due_date_unless_told(checker, editor):
    claim = services.claim_create(actor=editor, text="Talks on the truce went on.")
    due = claim.due_at
    claim = services.claim_set_priority(claim=claim, actor=checker, priority=3)
    assert (claim.priority, claim.due_at) == (3, due)
    claim = services.claim_set_priority(claim=claim, actor=checker, priority=3, due_at=None)
    assert claim.due_at is None
    event = claim.events.filter(kind="priority").first()
    assert event.actor == checker and event.details["to"]["priority"] == 3


def test_a_decision_takes_the_evidence_pages_as_last_checked_for_its_baseline(checker, editor):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    checked = EvidenceFactory(claim=claim, last_status=200, last_sha256="b" * 64)
    unchecked = EvidenceFactory(claim=claim, url="https://www.example.org/other")
    services.claim_transition(claim=claim, actor=checker, to="attributed", note="Per SOHR.")
    checked.refresh_from_db()
    unchecked.refresh_from_db()
    assert (checked.captured_status, checked.captured_sha256) == (200, "b" * 64)
    assert unchecked.captured_sha256 == ""
    assert checked.history.count() == 1  # monitoring fields leave no history row


def test_a_claim_with_no_unit_is_compared_with_counts_of_people_after_a_save():
    from claims.checks import sync
    from claims.models import Flag

    people = ClaimFactory(unit="people")
    blank = ClaimFactory(unit="", value_low=20, value_high=30, qualifier="range")
    assert sync.scan_claim_block(blank.pk) >= 1
    flag = Flag.objects.get(kind="value_conflict")
    assert set(flag.claims.values_list("pk", flat=True)) == {people.pk, blank.pk}
