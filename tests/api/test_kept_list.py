"""The claims list's answers, kept until what they were read from changes
(claims.api.kept, migration 0033_list_stamp): a kept answer is served only while no write
was committed to what the list reads, whoever wrote it, and is never someone else's.
PostgreSQL only: elsewhere the list is read for every request."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims import roles
from claims.api import kept
from claims.models import CheckPolicy, Claim, Flag, Place, Source, StoryLink, Topic
from tests.conftest import REQUIRE_SERVICES, skip_or_fail
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    PlaceFactory,
    SourceFactory,
    StoryFactory,
    make_user,
)
from tests.long_writes import import_held_open, write_without_waiting

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if not os.getenv("DATABASE_URL", "").startswith("postgres"):
        skip_or_fail("the list's stamp is PostgreSQL's", required=REQUIRE_SERVICES)


def claims_read(queries: list[dict[str, Any]]) -> list[str]:
    return [q["sql"] for q in queries if '"claims_claim"' in q["sql"]]


def get(client: Any, params: dict[str, Any] | None = None, **headers: Any) -> Any:
    response = client.get(URL, params or {}, **headers)
    assert response.status_code == 200, response.content
    return response


def fresh(client: Any, params: dict[str, Any] | None = None) -> bytes:
    """The answer read from the rows, nothing kept."""
    cache.clear()
    return bytes(get(client, params).content)


def test_the_same_request_again_is_answered_without_reading_a_claim(api, checker):  # type: ignore[no-untyped-def]
    for n in range(3):
        AttributionFactory(claim=ClaimFactory(text=f"{n + 10} killed in Homs."))
    client = api.as_(checker)
    with CaptureQueriesContext(connection) as first:
        one = get(client, {"page_size": 2})
    with CaptureQueriesContext(connection) as second:
        two = get(client, {"page_size": 2})
    assert claims_read(list(first))  # read from the rows...
    assert claims_read(list(second)) == []  # ...then from what was kept
    assert [q["sql"] for q in second] == [kept.STAMP_SQL]
    assert two.content == one.content and len(one.json()["results"]) == 2
    # The same headers, and an ETag that names the answer.
    assert two.headers == one.headers and one["ETag"].startswith('"')


def reword_claim(claim: Claim) -> None:
    Claim.objects.filter(pk=claim.pk).update(text="Twelve killed in Homs.")


def add_claim(claim: Claim) -> None:
    ClaimFactory(text="A claim written since.")


def delete_claim(claim: Claim) -> None:
    Claim.objects.filter(pk=claim.pk).delete()


def add_source(claim: Claim) -> None:
    AttributionFactory(claim=claim, source=SourceFactory(name="Civil Defence"))


def rename_source(claim: Claim) -> None:
    Source.objects.filter(attributions__claim=claim).update(name="Renamed monitor")


def rename_place(claim: Claim) -> None:
    Place.objects.filter(pk=claim.place_id).update(name="Renamed town")


def tag_topic(claim: Claim) -> None:
    claim.topics.add(Topic.objects.create(name="Syria war"))


def rename_topic(claim: Claim) -> None:
    tag_topic(claim)
    Topic.objects.filter(name="Syria war").update(name="Syrian war")


def rename_assignee(claim: Claim) -> None:
    type(claim.assignee).objects.filter(pk=claim.assignee_id).update(username="renamed")


def widen_about(claim: Claim) -> None:
    # "about 400" is written with the policy's tolerance.
    CheckPolicy.objects.update(approx_tolerance=0.25)


def choose_desk_figure(claim: Claim) -> None:
    other = ClaimFactory(text="Thirty killed in Homs.", value_low=30, value_high=30)
    flag = Flag.objects.create(
        kind=Flag.Kind.VALUE_CONFLICT,
        severity=30,
        status=Flag.Status.RESOLVED,
        message="Two tolls.",
        fingerprint="two-tolls",
        last_seen=claim.created_at,
        resolution_low=12,
        resolution_high=12,
        resolved_by=claim.assignee,
    )
    flag.claims.add(claim, other)


WRITES = [
    reword_claim,
    add_claim,
    delete_claim,
    add_source,
    rename_source,
    rename_place,
    tag_topic,
    rename_topic,
    rename_assignee,
    widen_about,
    choose_desk_figure,
]


@pytest.mark.parametrize("write", WRITES, ids=lambda w: w.__name__)
def test_any_write_to_what_the_list_reads_is_answered_at_once(api, checker, write):  # type: ignore[no-untyped-def]
    CheckPolicy.load()
    claim = ClaimFactory(
        text="About 400 killed in Homs.",
        value_low=360,
        value_high=440,
        qualifier="approx",
        place=PlaceFactory(name="Homs"),
        assignee=make_user(roles.CHECKER, "rania"),
    )
    AttributionFactory(claim=claim)
    client = api.as_(checker)
    before = get(client).content
    assert get(client).content == before  # kept
    write(claim)
    after = get(client).content
    assert after != before
    assert after == fresh(client)


def test_a_filter_reads_the_tables_it_filters_by(api, checker):  # type: ignore[no-untyped-def]
    region = PlaceFactory(name="Homs governorate")
    town = PlaceFactory(name="Talbiseh")
    claim = ClaimFactory(text="Four killed in Talbiseh.", place=town)
    story = StoryFactory()
    client = api.as_(checker)
    assert get(client, {"place": region.pk}).json()["count"] == 0
    assert get(client, {"story": story.pk}).json()["count"] == 0
    Place.objects.filter(pk=town.pk).update(parent=region)
    StoryLink.objects.create(story=story, claim=claim)
    assert get(client, {"place": region.pk}).json()["count"] == 1
    assert get(client, {"story": story.pk}).json()["count"] == 1


def test_a_rolled_back_write_leaves_no_answer_behind(api, checker):  # type: ignore[no-untyped-def]
    ClaimFactory(text="Five killed.")
    client = api.as_(checker)
    get(client)
    with pytest.raises(RuntimeError), transaction.atomic():
        ClaimFactory(text="Six killed, then rolled back.")
        assert get(client).json()["count"] == 2  # kept under a stamp of its own...
        raise RuntimeError
    ClaimFactory(text="Seven killed.")  # ...that no later write takes again
    texts = [row["text"] for row in get(client).json()["results"]]
    assert sorted(texts) == ["Five killed.", "Seven killed."]


def test_each_answer_is_kept_for_what_it_was_asked(api, checker, other_checker, settings):  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["testserver", "desk.example.org"]
    ClaimFactory(text="Eight killed.", assignee=checker)
    ClaimFactory(text="Nine killed.")
    client = api.as_(checker)
    assert get(client, {"mine": "true"}).json()["count"] == 1
    client = api.as_(other_checker)
    assert get(client, {"mine": "true"}).json()["count"] == 0
    assert get(client, {"page_size": 1}).json()["count"] == 2
    first = get(client, {"page_size": 1}).json()
    assert first["next"].startswith("http://testserver/")
    other_host = get(client, {"page_size": 1}, HTTP_HOST="desk.example.org").json()
    assert other_host["next"].startswith("http://desk.example.org/")
    indented = get(client, HTTP_ACCEPT="application/json; indent=2").content
    assert indented.startswith(b"{\n  ") and get(client).content.startswith(b'{"')
    # Someone without a role sees no claims, and that answer is not anyone else's.
    nobody = make_user(None, "nadia")
    assert get(api.as_(nobody)).json()["count"] == 0
    assert get(api.as_(checker)).json()["count"] == 2


def test_answers_are_kept_per_set_of_roles(api, checker, editor):  # type: ignore[no-untyped-def]
    ClaimFactory(text="Fourteen killed.")
    get(api.as_(checker))
    with CaptureQueriesContext(connection) as captured:
        get(api.as_(editor))
    assert claims_read(list(captured))  # not the fact-checkers' answer
    with CaptureQueriesContext(connection) as captured:
        get(api.as_(editor))
    assert claims_read(list(captured)) == []


def test_a_client_holding_the_answer_is_told_it_has_not_changed(api, checker):  # type: ignore[no-untyped-def]
    ClaimFactory(text="Ten killed.")
    client = api.as_(checker)
    etag = get(client)["ETag"]
    with CaptureQueriesContext(connection) as captured:
        unchanged = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged["ETag"] == etag and claims_read(list(captured)) == []
    ClaimFactory(text="Eleven killed.")
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert changed.json()["count"] == 2


def test_other_formats_are_read_afresh(api, checker):  # type: ignore[no-untyped-def]
    ClaimFactory(text="Twelve killed.")
    client = api.as_(checker)
    for params in ({"format": "csv"}, {"format": "api"}):
        client.get(URL, params)
        with CaptureQueriesContext(connection) as captured:
            again = client.get(URL, params)
            b"".join(again.streaming_content) if again.streaming else again.content
        assert again.status_code == 200 and claims_read(list(captured))
        assert "ETag" not in again


@pytest.mark.django_db(transaction=True)
def test_a_long_transaction_keeps_no_one_waiting_and_shows_when_committed(api, checker):  # type: ignore[no-untyped-def]
    """A CSV import writes in one transaction: a write meanwhile moves another slot of the
    stamp instead of waiting, the list shows neither the import nor anything kept before
    it until it commits, and then shows it."""
    ClaimFactory(text="Before the import.")
    client = api.as_(checker)
    get(client)
    with import_held_open(3):
        with write_without_waiting():
            ClaimFactory(text="Written on the desk meanwhile.")
        assert get(client).json()["count"] == 2  # the import is not committed yet
    assert get(client).json()["count"] == 5


def test_every_table_the_list_reads_moves_the_stamp():  # type: ignore[no-untyped-def]
    """The answer's and the filters' tables, as the serializer, rows and ClaimFilter read
    them: a table added to the list's query without a trigger fails here."""
    from importlib import import_module

    watched = set(import_module("claims.migrations.0033_list_stamp").WATCHED)
    client = APIClient()
    client.force_authenticate(make_user(roles.CHECKER, "farah"))
    with CaptureQueriesContext(connection) as captured:
        params: list[dict[str, Any]] = [
            {},
            {"place": 1, "story": 1, "topic": "x", "flag_kind": "duplicate", "stale": "true"},
            {"source": 1, "grade": "A", "q": "killed", "ordering": "urgent", "flagged": "true"},
        ]
        for query in params:
            cache.clear()
            assert client.get(URL, query).status_code == 200
    read: set[str] = set()
    for query in captured:
        read.update(name for name in _tables(query["sql"]))
    # The stamp, the count, and the role checked for each request (kept or not).
    read -= {"claims_list_stamp", "claims_claim_count", "auth_group", "auth_user_groups"}
    assert read and read <= watched, read - watched


def _tables(sql: str) -> list[str]:
    import re

    return re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', sql)


def test_without_a_stamp_nothing_is_kept(api, checker, monkeypatch):  # type: ignore[no-untyped-def]
    ClaimFactory(text="Thirteen killed.")
    monkeypatch.setattr(kept, "list_stamp", lambda using="default": None)
    client = api.as_(checker)
    get(client)
    with CaptureQueriesContext(connection) as captured:
        again = get(client)
    assert claims_read(list(captured)) and "ETag" not in again
