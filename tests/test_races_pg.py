"""Racing writes against real PostgreSQL: many requests at once, each on its own thread
and its own connection, through the whole request stack.

SQLite serialises every write, so it cannot show a race: these skip there on a laptop
and fail under CI (REQUIRE_SERVICES=1) without PostgreSQL. The tests commit
(transaction=True) because the threads' connections only see committed rows.
"""

from __future__ import annotations

import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections
from django.test import Client
from rest_framework.test import APIClient

from claims.models import Claim, ClaimEvent, Place, Source, SourceAlias, Status
from tests.conftest import REQUIRE_SERVICES, skip_or_fail
from tests.factories import ClaimFactory, SourceFactory

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]

Answer = tuple[int, Any]


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if not os.getenv("DATABASE_URL", "").startswith("postgres"):
        skip_or_fail("races need PostgreSQL's concurrent writers", required=REQUIRE_SERVICES)


@pytest.fixture(autouse=True)
def _no_queued_work(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # The races are about the rows the requests write; the scans and re-mappings they
    # queue would only run later on a worker, and are tested in test_worker_scans.py.
    monkeypatch.setattr("claims.tasks.queue_block_scan", lambda *args: None)
    monkeypatch.setattr("claims.tasks.queue_source_remap", lambda *args: None)
    yield


def race(calls: list[Callable[[], Any]]) -> list[Answer]:
    """Run the calls at once, one thread each, released together by a barrier.

    Answers (status, body) per call; an exception the stack let through counts as a
    500, so a test can tell a crash from a refusal."""
    barrier = threading.Barrier(len(calls))
    answers: list[Answer] = [(0, None)] * len(calls)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            r = calls[i]()
            body = r.json() if r.get("Content-Type", "").startswith("application/json") else r
            answers[i] = (r.status_code, body)
        except Exception as exc:  # noqa: BLE001 (the crash is what the test reports)
            answers[i] = (500, repr(exc))
        finally:
            connections.close_all()  # this thread's connections only

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a racing request never answered"
    return answers


def api_client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def statuses(answers: list[Answer]) -> Counter[int]:
    return Counter(status for status, _ in answers)


def assert_no_crash(answers: list[Answer]) -> None:
    crashes = [body for status, body in answers if status >= 500]
    assert not crashes, crashes[:3]


def claim_body(place: dict[str, str]) -> dict[str, Any]:
    return {
        "text": "At least 12 people were killed in the shelling on Wednesday, medics said.",
        "reported_on": "2014-02-13",
        "value_low": 12,
        "qualifier": "at_least",
        "event": "killed",
        "unit": "people",
        "place": place,
        "period_start": "2014-02-12",
        "period_end": "2014-02-12",
        "period_kind": "day",
    }


# ---------------------------------------------------------------------------
# Decisions


def test_it_lets_one_of_fifty_racing_decisions_win(checker):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    clients = [api_client(checker) for _ in range(50)]
    verdicts = [Status.DISPUTED, Status.FALSE, Status.ATTRIBUTED]
    url = f"/api/v1/claims/{claim.pk}/transition/"
    answers = race(
        [
            lambda c=c, to=verdicts[i % 3]: c.post(url, {"to": to, "note": "Checked the lists."})
            for i, c in enumerate(clients)
        ]
    )
    assert_no_crash(answers)
    counts = statuses(answers)
    assert counts[200] == 1, counts
    assert set(counts) <= {200, 409, 400}, counts
    winner = next(body for status, body in answers if status == 200)
    claim.refresh_from_db()
    assert claim.status == winner["status"]
    decisions = ClaimEvent.objects.filter(
        claim=claim, kind=ClaimEvent.Kind.TRANSITION, from_status=Status.IN_REVIEW
    )
    assert decisions.count() == 1
    assert decisions.get().to_status == claim.status


# ---------------------------------------------------------------------------
# Sources and aliases (API)


def test_it_answers_twenty_racing_creates_of_one_source_name_with_one_201(admin):
    clients = [api_client(admin) for _ in range(20)]
    body = {"name": "Hama Medical Relief", "kind": "medical", "grade": "D"}
    answers = race([lambda c=c: c.post("/api/v1/sources/", body) for c in clients])
    assert_no_crash(answers)
    assert statuses(answers) == Counter({201: 1, 400: 19})
    for status, refusal in answers:
        if status == 400:
            assert refusal["name"], refusal
    assert Source.objects.filter(name="Hama Medical Relief").count() == 1


def test_it_answers_twenty_racing_creates_of_one_alias_with_one_201(admin):
    clients = [api_client(admin) for _ in range(20)]
    answers = race(
        [
            lambda c=c, i=i: c.post(
                "/api/v1/sources/",
                {"name": f"Relief desk {i}", "kind": "medical", "aliases": ["the relief desk"]},
            )
            for i, c in enumerate(clients)
        ]
    )
    assert_no_crash(answers)
    assert statuses(answers) == Counter({201: 1, 400: 19})
    for status, refusal in answers:
        if status == 400:
            assert "already names Relief desk" in refusal["aliases"][0], refusal
    assert SourceAlias.objects.filter(name="the relief desk").count() == 1
    # A refused create leaves nothing behind: not even its source.
    assert Source.objects.filter(name__startswith="Relief desk").count() == 1


def test_it_answers_twenty_racing_patches_adding_one_alias_with_one_200(admin):
    sources = [SourceFactory(name=f"Monitor {i}") for i in range(20)]
    clients = [api_client(admin) for _ in sources]
    answers = race(
        [
            lambda c=c, s=s: c.patch(f"/api/v1/sources/{s.pk}/", {"aliases": ["the monitors"]})
            for c, s in zip(clients, sources, strict=True)
        ]
    )
    assert_no_crash(answers)
    assert statuses(answers) == Counter({200: 1, 400: 19})
    for status, refusal in answers:
        if status == 400:
            assert "already names Monitor" in refusal["aliases"][0], refusal
    assert SourceAlias.objects.filter(normalised="monitors").count() == 1


# ---------------------------------------------------------------------------
# Places, created on demand by the claims that name them


def test_it_creates_one_place_for_twenty_racing_claims_naming_a_new_one(editor):
    clients = [api_client(editor) for _ in range(20)]
    body = claim_body({"name": "Kafr Tulaym", "country": "SY"})  # not in the gazetteer
    answers = race([lambda c=c: c.post("/api/v1/claims/", body) for c in clients])
    assert_no_crash(answers)
    assert statuses(answers) == Counter({201: 20})
    place = Place.objects.get(name="Kafr Tulaym")
    assert place.needs_review
    assert set(Claim.objects.values_list("place", flat=True)) == {place.pk}
    assert Place.objects.filter(country="SY", kind=Place.Kind.COUNTRY).count() == 1


def test_it_creates_one_place_for_twenty_racing_claims_naming_a_gazetteer_one(editor):
    clients = [api_client(editor) for _ in range(20)]
    body = claim_body({"name": "Homs", "country": "SY"})
    answers = race([lambda c=c: c.post("/api/v1/claims/", body) for c in clients])
    assert_no_crash(answers)
    assert statuses(answers) == Counter({201: 20})
    place = Place.objects.get(name="Homs")
    assert place.geonameid is not None
    assert set(Claim.objects.values_list("place", flat=True)) == {place.pk}


# ---------------------------------------------------------------------------
# The same writes from the pages


def test_it_creates_one_place_for_twenty_racing_claim_pages(editor):
    clients = [page_client(editor) for _ in range(20)]
    form = {
        "action": "save",
        "text": "Two schools were hit in Tell Abyad Qibli on Wednesday, a teacher said.",
        "reported_on": "2014-02-13",
        "place_name": "Tell Abyad Qibli",
        "place_country": "SY",
    }
    answers = race([lambda c=c: c.post("/claims/new/", form) for c in clients])
    assert_no_crash(answers)
    assert statuses(answers) == Counter({302: 20})
    assert Place.objects.filter(name="Tell Abyad Qibli").count() == 1
    assert Claim.objects.count() == 20


def test_it_answers_twenty_racing_new_sources_from_the_claim_page_with_one(admin):
    clients = [page_client(admin) for _ in range(20)]
    form = {
        "create_source": "1",
        "source_text": "Idlib Press Office",
        "new_source-name": "Idlib Press Office",
        "new_source-kind": "media",
        "new_source-grade": "E",
    }
    answers = race([lambda c=c: c.post("/claims/sources/", form) for c in clients])
    assert_no_crash(answers)
    assert statuses(answers) == Counter({200: 1, 400: 19})
    for status, page in answers:
        if status == 400:
            assert "already exists" in page.content.decode(), page
    assert Source.objects.filter(name="Idlib Press Office").count() == 1
