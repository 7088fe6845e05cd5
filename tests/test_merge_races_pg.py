"""Two merges of the same claims at once, against real PostgreSQL: one wins, the other is
refused with a reason (never a crash), and no claim ends up merged twice or in a loop.
Skipped on SQLite, which serialises every write (see test_races_pg.py)."""

from __future__ import annotations

from typing import Any

import pytest

from claims import roles
from claims.models import Claim, ClaimEvent
from tests.factories import ClaimFactory, EvidenceFactory, make_user
from tests.test_races_pg import _no_queued_work, _postgresql, api_client, race

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

__all__ = ["_no_queued_work", "_postgresql"]  # the autouse fixtures of test_races_pg


def merge_call(user: Any, claim: Claim, into: Claim) -> Any:
    client = api_client(user)
    return lambda: client.post(
        f"/api/v1/claims/{claim.pk}/merge/", {"into": into.pk}, format="json"
    )


def test_two_checkers_merging_a_pair_both_ways_merge_it_once():
    first, second = make_user(roles.CHECKER, "chris"), make_user(roles.CHECKER, "casey")
    a, b = ClaimFactory(), ClaimFactory()
    EvidenceFactory(claim=a, url="https://www.example.org/a")
    EvidenceFactory(claim=b, url="https://www.example.org/b")
    answers = race([merge_call(first, a, b), merge_call(second, b, a)])
    codes = sorted(code for code, _ in answers)
    assert codes in ([200, 400], [200, 409]), answers
    merged = list(Claim.objects.filter(merged_into__isnull=False).values_list("pk", flat=True))
    assert len(merged) == 1
    survivor = Claim.objects.get(merged_into__isnull=True, pk__in=[a.pk, b.pk])
    assert survivor.evidence.count() == 2
    assert ClaimEvent.objects.filter(kind=ClaimEvent.Kind.MERGED).count() == 2


def test_one_duplicate_merged_into_two_claims_at_once_goes_to_one():
    first, second = make_user(roles.CHECKER, "chris"), make_user(roles.CHECKER, "casey")
    duplicate, left, right = ClaimFactory(), ClaimFactory(), ClaimFactory()
    EvidenceFactory(claim=duplicate, url="https://www.example.org/copy")
    answers = race([merge_call(first, duplicate, left), merge_call(second, duplicate, right)])
    assert sorted(code for code, _ in answers) == [200, 409], answers
    into = Claim.objects.get(pk=duplicate.pk).merged_into_id
    assert into in (left.pk, right.pk)
    assert Claim.objects.get(pk=into).evidence.count() == 1
    refused = next(body for code, body in answers if code == 409)
    assert refused["merged_into"] == into
