"""Merging duplicates from the claim's page (`POST /claims/{id}/merge/`): role by role,
the confirmation, the redirect of the merged claim's page, and a verdict reached once
serving every story that carries the claim."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from claims import services
from claims.checks.types import fingerprint
from claims.models import Claim, ClaimEvent, Flag, Severity, Status
from tests.factories import ClaimFactory, StoryFactory
from tests.publishing import decided_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

# Made up for these tests: two stories that give the same count.
FIRST_BODY = "At least 51 people were killed in Aleppo yesterday, the Observatory said."
SECOND_BODY = "Activists said at least 51 people were killed in Aleppo yesterday."
SECOND_FIGURE = (SECOND_BODY.index("at least 51"), SECOND_BODY.index(" were killed"))


@pytest.fixture
def twins():  # type: ignore[no-untyped-def]
    return ClaimFactory(), ClaimFactory()


def merge(client, claim, **data):  # type: ignore[no-untyped-def]
    return client.post(f"/claims/{claim.pk}/merge/", data)


def test_a_fact_checker_merges_from_the_claims_page(client, checker, twins):
    survivor, duplicate = twins
    client.force_login(checker)
    r = merge(client, duplicate, into=survivor.pk, note="Logged twice.", confirm="on")
    assert r.status_code == 302 and r["Location"] == f"/claims/{survivor.pk}/"
    assert Claim.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk
    row = ClaimEvent.objects.get(claim=survivor, kind=ClaimEvent.Kind.MERGED)
    assert (row.actor, row.note, row.details["from"]) == (checker, "Logged twice.", duplicate.pk)
    page = client.get(r["Location"]).content.decode()
    assert f"Claim #{duplicate.pk} is merged into this claim." in page
    assert f"merged claim #{duplicate.pk} into it" in page  # its history


def test_the_merged_claims_page_redirects_to_the_survivor(client, checker, editor, twins):
    survivor, duplicate = twins
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    client.force_login(editor)
    r = client.get(f"/claims/{duplicate.pk}/")
    assert r.status_code == 302 and r["Location"] == f"/claims/{survivor.pk}/"
    # Its record stays readable in the dossier.
    assert client.get(f"/claims/{duplicate.pk}/dossier/").status_code == 200


def test_the_page_offers_the_merge_to_fact_checkers_only(client, checker, editor, twins):
    survivor, duplicate = twins
    flagged = Flag.objects.create(
        kind=Flag.Kind.DUPLICATE,
        severity=Severity.INFO,
        message="These look like the same claim.",
        details={"claims": [{"id": survivor.pk, "status": "new"}, {"id": duplicate.pk}]},
        fingerprint=fingerprint(Flag.Kind.DUPLICATE, (survivor.pk,)),
        last_seen=timezone.now(),
    )
    flagged.claims.add(survivor, duplicate)
    client.force_login(checker)
    html = client.get(f"/claims/{duplicate.pk}/").content.decode()
    assert f'action="/claims/{duplicate.pk}/merge/"' in html
    assert f'name="into" value="{survivor.pk}"' in html  # the flag's other claim, offered
    client.force_login(editor)
    assert "/merge/" not in client.get(f"/claims/{duplicate.pk}/").content.decode()


def test_a_picked_claim_and_an_empty_number_field_merge_the_picked_one(client, checker, twins):
    survivor, duplicate = twins
    client.force_login(checker)
    r = client.post(
        f"/claims/{duplicate.pk}/merge/",
        {"into": [str(survivor.pk), ""], "confirm": "on"},
    )
    assert r.status_code == 302
    assert Claim.objects.get(pk=duplicate.pk).merged_into_id == survivor.pk


@pytest.mark.parametrize(
    "data",
    [
        {"into": "1"},  # not confirmed
        {"confirm": "on"},
        {"into": "abc", "confirm": "on"},
        {"into": str(2**70), "confirm": "on"},
        {"into": "1", "confirm": "on", "note": "x" * 2001},
    ],
)
def test_bad_input_is_a_400_and_merges_nothing(client, checker, twins, data):
    _, duplicate = twins
    client.force_login(checker)
    r = client.post(f"/claims/{duplicate.pk}/merge/", data)
    assert r.status_code == 400
    assert not Claim.objects.filter(merged_into__isnull=False).exists()


def test_an_unknown_claim_is_a_400_on_the_form(client, checker, twins):
    _, duplicate = twins
    client.force_login(checker)
    r = merge(client, duplicate, into=999999, confirm="on")
    assert r.status_code == 400
    assert "No claim has id 999999." in r.content.decode()


def test_a_decided_duplicate_is_not_merged_into_an_undecided_claim(client, checker):
    decided, undecided = decided_claim(checker), ClaimFactory()
    client.force_login(checker)
    r = merge(client, decided, into=undecided.pk, confirm="on")
    assert r.status_code == 409
    assert Claim.objects.get(pk=decided.pk).merged_into_id is None


@pytest.mark.parametrize(("persona", "code"), [("editor", 403), ("outsider", 404), ("admin", 302)])
def test_merging_by_role(client, request, twins, persona, code):
    survivor, duplicate = twins
    client.force_login(request.getfixturevalue(persona))
    r = merge(client, duplicate, into=survivor.pk, confirm="on")
    assert r.status_code == code
    merged = Claim.objects.get(pk=duplicate.pk).merged_into_id
    assert merged == (survivor.pk if code == 302 else None)


def test_merging_takes_only_post(client, checker, twins):
    client.force_login(checker)
    assert client.get(f"/claims/{twins[1].pk}/merge/").status_code == 405


def test_the_queues_leave_merged_claims_out(client, checker, twins):
    survivor, duplicate = twins
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    client.force_login(checker)
    r = client.get("/queue/new/")
    assert [c.pk for c in r.context["page"].object_list] == [survivor.pk]


def test_a_verdict_reached_once_serves_every_story(client, checker, editor):
    """The survivor's verdict shows on the merged claim's story, on its candidate's card
    and in the story's claims table."""
    first = StoryFactory(
        body=FIRST_BODY, published_at=dt.datetime(2014, 2, 13, 12, 0, tzinfo=dt.UTC)
    )
    second = StoryFactory(
        body=SECOND_BODY, published_at=dt.datetime(2014, 2, 13, 12, 0, tzinfo=dt.UTC)
    )
    survivor = decided_claim(checker, story=first, status=Status.VERIFIED, rating=5)
    duplicate = services.candidate_accept(
        story=second, start=SECOND_FIGURE[0], end=SECOND_FIGURE[1], actor=editor
    )
    services.claim_merge(claim=duplicate, into=survivor, actor=checker, note="Same count.")
    client.force_login(editor)
    r = client.get(f"/stories/{second.pk}/")
    html = r.content.decode()
    assert [c.pk for c in r.context["claims"]] == [survivor.pk]
    card = next(c for c in r.context["cards"] if c.span == SECOND_FIGURE)
    assert card.found.claim_id == survivor.pk
    assert f'href="/claims/{survivor.pk}/"' in html
    assert survivor.verdict.label in html and "Verified" in html
    assert f"/claims/{duplicate.pk}/" not in html
