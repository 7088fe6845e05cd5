"""The number of current claims (not merged into another), kept on PostgreSQL by the
triggers of migration 0030_claim_count whoever writes the claims, and answered as the
`count` of the claims API's unfiltered list instead of counting the claims. A filtered
list keeps the exact count of its own claims. PostgreSQL only: SQLite counts (see the
migration), and tests/api/test_list_rows.py checks the list's count there."""

from __future__ import annotations

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import roles
from claims.api import rows
from claims.models import Claim
from claims.services.merges import claim_merge
from tests.conftest import REQUIRE_SERVICES, skip_or_fail
from tests.factories import ClaimFactory, make_user
from tests.long_writes import import_held_open, write_without_waiting

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if not os.getenv("DATABASE_URL", "").startswith("postgres"):
        skip_or_fail("the kept count is PostgreSQL's", required=REQUIRE_SERVICES)


def kept() -> int:
    return rows.current_claim_count()


def real() -> int:
    return Claim.objects.filter(merged_into__isnull=True).count()


def test_it_counts_claims_created_one_by_one_and_in_bulk():  # type: ignore[no-untyped-def]
    assert kept() == real() == 0
    ClaimFactory()
    Claim.objects.create(text="One more.")
    assert kept() == real() == 2
    first = Claim.objects.order_by("pk").first()
    Claim.objects.bulk_create(
        [Claim(text=f"Claim {n}.") for n in range(30)]
        + [Claim(text=f"Copy {n}.", merged_into=first) for n in range(4)]
    )
    assert kept() == real() == 32
    assert Claim.objects.count() == 36


def test_it_follows_merges_and_unmerges(checker):  # type: ignore[no-untyped-def]
    keep, copy, other, third = (ClaimFactory() for _ in range(4))
    assert kept() == real() == 4
    claim_merge(claim=copy, into=keep, actor=checker)
    assert kept() == real() == 3
    # Several in one statement, back and forth, and a duplicate moved between claims.
    Claim.objects.filter(pk__in=[other.pk, third.pk]).update(merged_into=keep)
    assert kept() == real() == 1
    Claim.objects.filter(pk=other.pk).update(merged_into=copy)
    assert kept() == real() == 1
    Claim.objects.filter(pk__in=[copy.pk, other.pk]).update(merged_into=None)
    assert kept() == real() == 3
    # Saving a claim rewrites its merged_into without changing whether it is current.
    third.refresh_from_db()
    third.text = "Edited."
    third.save()
    assert kept() == real() == 3


def test_it_follows_deletes(checker):  # type: ignore[no-untyped-def]
    keep, copy, *others = (ClaimFactory() for _ in range(5))
    claim_merge(claim=copy, into=keep, actor=checker)
    assert kept() == real() == 4
    others[0].delete()
    assert kept() == real() == 3
    Claim.objects.filter(pk=copy.pk).delete()  # a duplicate was not counted
    assert kept() == real() == 3
    Claim.objects.filter(pk__in=[c.pk for c in others[1:]]).delete()
    assert kept() == real() == 1
    keep.delete()
    assert kept() == real() == 0


def skew_the_count(by: int) -> None:
    # Only to tell which count an answer carries: the triggers never leave it off.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE claims_claim_count SET current = current + %s", [by])


def test_the_unfiltered_list_answers_the_kept_count(api, checker, django_assert_num_queries):  # type: ignore[no-untyped-def]
    for _ in range(3):
        ClaimFactory()
    client = api.as_(checker)
    assert client.get(URL).json()["count"] == 3
    skew_the_count(1_000)
    with CaptureQueriesContext(connection) as captured:
        body = client.get(URL, {"page_size": 2, "ordering": "urgent"}).json()
    assert body["count"] == 1_003 and len(body["results"]) == 2
    read = [q["sql"] for q in captured]
    assert any("claims_claim_count" in sql for sql in read)
    assert not any("COUNT(" in sql.upper() for sql in read)  # no claim was counted


@pytest.mark.parametrize(
    "params",
    [{"status": "new"}, {"status": ["new", "verified"]}, {"q": "killed"}, {"mine": "true"}],
)
def test_a_filtered_list_counts_its_own_claims(api, checker, params):  # type: ignore[no-untyped-def]
    ClaimFactory(text="Ten killed in Aleppo.")
    ClaimFactory(text="Five hurt in Homs.", status="verified")
    skew_the_count(1_000)
    body = api.as_(checker).get(URL, params).json()
    assert body["count"] == len(body["results"]) <= 2


def test_someone_without_a_role_counts_none(api, db):  # type: ignore[no-untyped-def]
    ClaimFactory()
    nobody = make_user(None, "nadia")
    assert not roles.has_role(nobody)
    r = api.as_(nobody).get(URL)
    assert r.status_code == 200 and r.json()["count"] == 0 and kept() == 1


@pytest.mark.django_db(transaction=True)
def test_emptying_the_claims_empties_it():  # type: ignore[no-untyped-def]
    # As a test database's flush does, between the tests that commit.
    for _ in range(3):
        ClaimFactory()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE claims_claim CASCADE")
    assert kept() == real() == 0
    ClaimFactory()
    assert kept() == real() == 1


@pytest.mark.django_db(transaction=True)
def test_a_long_transaction_writing_claims_keeps_no_one_waiting():  # type: ignore[no-untyped-def]
    """A CSV import writes all its claims in one transaction: a claim created on the desk
    meanwhile moves another slot of the count instead of waiting for the import to end."""
    with import_held_open(3):
        with write_without_waiting():
            ClaimFactory()
        assert kept() == real() == 1  # the import is not committed yet
    assert kept() == real() == 4
