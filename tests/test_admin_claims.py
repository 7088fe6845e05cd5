"""The Django admin does not write around the services (issue 11, defect 5): admins read
claims there, and change them on the desk's pages, which bump the version, write the
history row, keep the country and queue the scan."""

from __future__ import annotations

import pytest

from claims.models import Attribution, Claim, ClaimEvent, Evidence
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    EvidenceFactory,
    PlaceFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():  # type: ignore[no-untyped-def]
    found = ClaimFactory(text="At least 51 people were killed in Aleppo yesterday.")
    AttributionFactory(claim=found, source=SourceFactory(name="Example Monitor"))
    EvidenceFactory(claim=found)
    return found


def change_url(claim: Claim) -> str:
    return f"/admin/claims/claim/{claim.pk}/change/"


def edit(claim: Claim, checker) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """What the admin's change form would post to move the figure, place and assignee."""
    homs = PlaceFactory(name="Homs", country="SY")
    return {
        "text": claim.text,
        "value_low": "75",
        "qualifier": "at_least",
        "unit": "people",
        "event": "killed",
        "population": "all",
        "place": str(homs.pk),
        "assignee": str(checker.pk),
        "priority": "3",
        "attributions-TOTAL_FORMS": "0",
        "attributions-INITIAL_FORMS": "0",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }


def test_an_admin_reads_a_claim_in_the_admin_without_fields_to_change(client, admin, claim):
    client.force_login(admin)
    r = client.get(change_url(claim))
    assert r.status_code == 200
    html = r.content.decode()
    assert "At least 51 people were killed" in html
    for field in ("value_low", "place", "assignee", "priority", "due_at", "text"):
        assert f'name="{field}"' not in html, field
    assert 'name="attributions-0-source"' not in html
    # The way to change it is the desk's own page.
    assert 'href="/admin/r/' in html or f'href="/claims/{claim.pk}/"' in html


def test_a_post_to_the_admin_changes_nothing(client, admin, checker, claim):
    client.force_login(admin)
    r = client.post(change_url(claim), edit(claim, checker))
    assert r.status_code == 403
    fresh = Claim.objects.get(pk=claim.pk)
    assert (fresh.value_low, fresh.place, fresh.assignee, fresh.priority, fresh.version) == (
        51, claim.place, None, 1, 1,
    )  # fmt: skip
    assert fresh.country == "SY" and not ClaimEvent.objects.exists()


def test_claims_are_neither_added_nor_deleted_in_the_admin(client, admin, claim):
    client.force_login(admin)
    assert client.get("/admin/claims/claim/add/").status_code == 403
    assert (
        client.post(f"/admin/claims/claim/{claim.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert Attribution.objects.filter(claim=claim).exists()
    assert Evidence.objects.filter(claim=claim).exists()


def test_the_claim_list_in_the_admin_offers_no_bulk_delete(client, admin, claim):
    client.force_login(admin)
    r = client.get("/admin/claims/claim/")
    assert r.status_code == 200
    assert "delete_selected" not in r.content.decode()
    r = client.post(
        "/admin/claims/claim/", {"action": "delete_selected", "_selected_action": [claim.pk]}
    )
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_the_admin_offers_no_revert_of_a_claim_to_an_old_row(client, admin, claim):
    """A revert would write the row back around the services: the history the desk keeps
    for claims is ClaimEvent (see the README), shown on the claim's page."""
    client.force_login(admin)
    r = client.get(f"/admin/claims/claim/{claim.pk}/history/")
    assert r.status_code == 200
    assert "Revert" not in r.content.decode()
