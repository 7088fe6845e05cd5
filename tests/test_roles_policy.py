"""Who may do what to a claim: one table (claims/policy.py), the same answer on the
pages, through the API and in the services."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims import policy, services
from claims.errors import ActionForbidden, StateConflict
from claims.models import ClaimEvent, Evidence, Status
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    """An API client; `api.as_(user)` signs in as that persona (as in tests/api/)."""
    client = APIClient()

    def as_(user):  # type: ignore[no-untyped-def]
        client.force_authenticate(user)
        return client

    client.as_ = as_  # type: ignore[attr-defined]
    return client


def in_review_for(checker):  # type: ignore[no-untyped-def]
    return ClaimFactory(status=Status.IN_REVIEW, assignee=checker)


def decided_by(checker, status=Status.ATTRIBUTED):  # type: ignore[no-untyped-def]
    return ClaimFactory(status=status, assignee=checker)


# ---------------------------------------------------------------------------
# Editors: priority, due date and credibility are the checkers' fields


@pytest.mark.parametrize(
    ("field", "value"),
    [("priority", 3), ("due_at", "2014-03-01T12:00:00Z"), ("credibility", 2)],
)
def test_it_refuses_an_editor_the_checkers_fields_through_the_api(api, editor, field, value):
    claim = ClaimFactory()
    before = (claim.priority, claim.due_at, claim.credibility, claim.version)
    r = api.as_(editor).patch(f"{URL}{claim.pk}/", {field: value, "version": 1}, format="json")
    assert r.status_code == 403
    assert field in r.json() and r.json()[field]
    claim.refresh_from_db()
    assert (claim.priority, claim.due_at, claim.credibility, claim.version) == before
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_it_refuses_an_editor_the_checkers_fields_on_a_new_claim_too(api, editor):
    body = {"text": "Talks on the truce went on.", "priority": 3, "credibility": 1}
    r = api.as_(editor).post(URL, body, format="json")
    assert r.status_code == 403
    assert set(r.json()) >= {"priority", "credibility"}
    assert not ClaimEvent.objects.exists()


def test_the_queue_page_refuses_an_editor_the_priority_as_the_api_does(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    payload = {"bulk-action": "priority", "bulk-claims": [claim.pk], "bulk-priority": "3"}
    r = client.post("/queue/new/bulk/", payload)
    assert r.status_code == 403
    claim.refresh_from_db()
    assert claim.priority != 3


def test_it_lets_a_checker_set_priority_and_due_date_through_the_api(api, checker):
    claim = ClaimFactory()
    body = {"priority": 3, "due_at": "2014-03-01T12:00:00Z", "version": 1}
    r = api.as_(checker).patch(f"{URL}{claim.pk}/", body, format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["priority"] == 3


def test_credibility_is_the_assignees_while_in_review(api, checker, other_checker, admin):
    claim = in_review_for(checker)
    r = api.as_(other_checker).patch(
        f"{URL}{claim.pk}/", {"credibility": 2, "version": 1}, format="json"
    )
    assert r.status_code == 403 and "credibility" in r.json()
    r = api.as_(checker).patch(f"{URL}{claim.pk}/", {"credibility": 2, "version": 1}, format="json")
    assert r.status_code == 200 and r.json()["credibility"] == 2
    r = api.as_(admin).patch(f"{URL}{claim.pk}/", {"credibility": 3, "version": 2}, format="json")
    assert r.status_code == 200 and r.json()["credibility"] == 3


# ---------------------------------------------------------------------------
# Editors: decided claims are out of their hands


@pytest.mark.parametrize("status", [Status.VERIFIED, Status.FALSE, Status.IN_REVIEW])
def test_an_editor_may_not_retract_a_claim_past_new_through_the_api(api, editor, checker, status):
    claim = ClaimFactory(status=status, assignee=checker)
    r = api.as_(editor).post(
        f"{URL}{claim.pk}/transition/", {"to": "retracted", "note": "Cut."}, format="json"
    )
    assert r.status_code in (403, 409)
    claim.refresh_from_db()
    assert claim.status == status
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_an_editor_may_not_retract_a_decided_claim_on_its_page(client, editor, checker):
    claim = decided_by(checker)
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/")
    assert 'name="to" value="retracted"' not in page.content.decode()
    r = client.post(
        f"/claims/{claim.pk}/transition/", {"to": "retracted", "note": "Cut.", "version": "1"}
    )
    assert r.status_code in (403, 409)
    claim.refresh_from_db()
    assert claim.status == Status.ATTRIBUTED


def test_an_editor_still_retracts_a_new_claim(api, editor):
    claim = ClaimFactory()
    r = api.as_(editor).post(
        f"{URL}{claim.pk}/transition/", {"to": "retracted", "note": "Cut."}, format="json"
    )
    assert r.status_code == 200


def test_the_assignee_and_an_admin_retract_a_decided_claim(checker, other_checker, admin):
    claim = decided_by(checker)
    with pytest.raises(ActionForbidden):
        services.claim_transition(claim=claim, actor=other_checker, to="retracted", note="x")
    services.claim_transition(claim=claim, actor=checker, to="retracted", note="Withdrawn.")
    claim = decided_by(checker)
    services.claim_transition(claim=claim, actor=admin, to="retracted", note="Withdrawn.")


def test_an_editor_may_not_remove_evidence_from_a_decided_claim(client, editor, checker):
    claim = decided_by(checker, Status.DISPUTED)
    evidence = EvidenceFactory(claim=claim, stance=Evidence.Stance.CONTRADICTS)
    with pytest.raises((ActionForbidden, StateConflict)):
        services.evidence_remove(evidence=evidence, actor=editor, note="Not needed.")
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert f"/evidence/{evidence.pk}/remove/" not in page
    r = client.post(f"/claims/{claim.pk}/evidence/{evidence.pk}/remove/", {"note": "Gone."})
    assert r.status_code in (403, 409)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert not ClaimEvent.objects.filter(claim=claim, kind="evidence_removed").exists()


def test_an_editor_removes_evidence_from_a_new_claim(editor):
    evidence = EvidenceFactory()
    services.evidence_remove(evidence=evidence, actor=editor, note="Wrong page.")
    assert not Evidence.objects.exists()


# ---------------------------------------------------------------------------
# Fact-checkers: a claim in review is its assignee's


def test_another_checker_may_not_edit_a_claim_in_review(api, client, checker, other_checker):
    claim = in_review_for(checker)
    r = api.as_(other_checker).patch(
        f"{URL}{claim.pk}/", {"value_low": 52, "version": 1}, format="json"
    )
    assert r.status_code == 403
    client.force_login(other_checker)
    assert client.get(f"/claims/{claim.pk}/edit/").status_code == 403
    claim.refresh_from_db()
    assert claim.version == 1
    r = api.as_(checker).patch(f"{URL}{claim.pk}/", {"value_low": 52, "version": 1}, format="json")
    assert r.status_code == 200


def test_another_checker_may_not_reopen_a_decided_claim(api, client, checker, other_checker):
    claim = decided_by(checker)
    r = api.as_(other_checker).post(
        f"{URL}{claim.pk}/transition/", {"to": "in_review", "note": "Again."}, format="json"
    )
    assert r.status_code == 403
    client.force_login(other_checker)
    assert "reopen-note" not in client.get(f"/claims/{claim.pk}/").content.decode()
    claim.refresh_from_db()
    assert claim.status == Status.ATTRIBUTED
    r = api.as_(checker).post(
        f"{URL}{claim.pk}/transition/", {"to": "in_review", "note": "Again."}, format="json"
    )
    assert r.status_code == 200


def test_an_admin_reopens_any_decided_claim(admin, checker):
    claim = decided_by(checker)
    services.claim_transition(claim=claim, actor=admin, to="in_review", note="A new source.")
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


# ---------------------------------------------------------------------------
# The table itself


def test_the_table_names_every_action_and_only_known_roles():
    assert set(policy.TABLE) == set(policy.Action)
    for grants in policy.TABLE.values():
        assert grants
        for grant in grants:
            assert grant.role in policy.ROLES
            assert grant.states <= set(Status.values)


def test_the_table_answers_role_by_role(editor, checker, other_checker, admin, outsider):
    new, mine = ClaimFactory(), in_review_for(checker)
    A = policy.Action
    assert policy.allows(editor, A.EDIT, new)
    assert not policy.allows(editor, A.EDIT, mine)
    assert policy.allows(checker, A.EDIT, mine)
    assert not policy.allows(other_checker, A.EDIT, mine)
    assert policy.allows(admin, A.EDIT, mine)
    assert not policy.allows(editor, A.SET_PRIORITY, new)
    assert policy.allows(other_checker, A.SET_PRIORITY, mine)
    assert not policy.allows(outsider, A.COMMENT, new)
    assert policy.allows(editor, A.COMMENT, mine)
