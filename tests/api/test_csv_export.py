"""Claim and flag lists download as CSV, with the filters of the list, streamed, in stable
columns; a spreadsheet never runs a cell."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from claims import csvio
from tests.factories import AttributionFactory, ClaimFactory, PlaceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.streaming, "a download streams its rows"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def _header(response) -> list[str]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8")
    return next(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def aleppo_claims(observatory):  # type: ignore[no-untyped-def]
    aleppo = PlaceFactory(name="Aleppo", country="SY")
    killed = ClaimFactory(place=aleppo)
    AttributionFactory(claim=killed, source=observatory)
    AttributionFactory(claim=killed, source=SourceFactory(name="activists"))
    injured = ClaimFactory(
        text="About 200 were wounded in the shelling.",
        event="injured",
        value_low=200,
        qualifier="approx",
        place=aleppo,
    )
    return killed, injured


def test_api_list_downloads_every_column_in_order(api, checker, aleppo_claims):
    killed, _ = aleppo_claims
    response = api.as_(checker).get("/api/v1/claims/?format=csv&event=killed")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="claims.csv"' in response["Content-Disposition"]
    rows = _rows(response)
    assert [r["id"] for r in rows] == [str(killed.pk)]  # the filter applies
    row = rows[0]
    assert list(row) == list(csvio.CLAIM_COLUMNS)
    assert row["text"] == killed.text
    assert (row["value_low"], row["value_high"], row["qualifier"]) == ("51", "", "at_least")
    assert (row["event"], row["unit"], row["place"], row["country"]) == (
        "killed",
        "people",
        "Aleppo",
        "SY",
    )
    assert (row["period_start"], row["period_end"], row["period_kind"]) == (
        "2014-02-12",
        "2014-02-12",
        "day",
    )
    assert row["sources"].split(";") == ["Syrian Observatory for Human Rights", "activists"]
    assert (row["status"], row["reported_on"]) == ("new", "2014-02-13")
    assert row["url"] == f"http://testserver/claims/{killed.pk}/"


def test_the_header_is_there_when_nothing_matches(api, checker, aleppo_claims):
    response = api.as_(checker).get("/api/v1/claims/?format=csv&event=displaced")
    assert response.status_code == 200
    assert _header(response) == list(csvio.CLAIM_COLUMNS)


def test_a_bad_filter_is_a_400_with_field_messages(api, checker, aleppo_claims):
    response = api.as_(checker).get("/api/v1/claims/?format=csv&period_from=yesterday")
    assert response.status_code == 400
    text = response.content.decode("utf-8")
    assert "period_from" in text


def test_download_costs_the_same_queries_for_three_or_thirty_claims(api, checker, observatory):
    def queries() -> int:
        client = api.as_(checker)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/api/v1/claims/?format=csv")
            b"".join(response.streaming_content)
        return len(ctx.captured_queries)

    for _ in range(3):
        AttributionFactory(claim=ClaimFactory(), source=observatory)
    queries()  # the user's roles are read once and kept for the rest of the test
    few = queries()
    for _ in range(27):
        AttributionFactory(claim=ClaimFactory(), source=observatory)
    assert queries() == few


def test_a_formula_is_written_as_text_and_read_back_as_written(api, checker):
    claim = ClaimFactory(text='=HYPERLINK("http://evil.example","400 killed")')
    rows = _rows(api.as_(checker).get("/api/v1/claims/?format=csv"))
    assert rows[0]["text"] == "'" + claim.text
    back, _ = csvio.read_claims(
        "".join(csvio.stream(csvio.CLAIM_COLUMNS, [csvio.claim_row(claim, str)])).encode(),
        max_rows=10,
    )
    assert back[0].data["text"] == claim.text


def test_the_list_answers_json_unless_csv_is_asked_for(api, checker, aleppo_claims):
    response = api.as_(checker).get("/api/v1/claims/")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["count"] == 2


def test_only_the_list_speaks_csv(api, checker, aleppo_claims):
    killed, _ = aleppo_claims
    assert api.as_(checker).get(f"/api/v1/claims/{killed.pk}/?format=csv").status_code == 404


def test_anonymous_and_roleless_users_download_nothing(outsider, aleppo_claims):
    anonymous = APIClient()
    assert anonymous.get("/api/v1/claims/?format=csv").status_code in (401, 403)
    roleless = APIClient()
    roleless.force_authenticate(outsider)
    response = roleless.get("/api/v1/claims/?format=csv")
    assert response.status_code == 200
    assert _rows(response) == []


def test_queue_page_downloads_its_own_claims_with_its_filters(client, checker, aleppo_claims):
    killed, injured = aleppo_claims
    client.force_login(checker)
    page = client.get("/queue/new/?event=injured")
    assert b"Download CSV" in page.content
    assert b"/queue/new/export.csv?event=injured" in page.content
    rows = _rows(client.get("/queue/new/export.csv?event=injured"))
    assert [r["id"] for r in rows] == [str(injured.pk)]
    # The queue's own preset holds too: a decided queue has none of these new claims.
    assert _rows(client.get("/queue/decided/export.csv")) == []


def test_queue_download_refuses_a_bad_filter_and_an_unknown_queue(client, checker):
    client.force_login(checker)
    assert client.get("/queue/new/export.csv?period_from=soon").status_code == 400
    assert client.get("/queue/nowhere/export.csv").status_code == 404


def test_queue_download_needs_a_login(client):
    response = client.get("/queue/new/export.csv")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_flags_download_as_csv_from_the_page_and_the_api(client, api, checker, conflict):
    api_rows = _rows(api.as_(checker).get("/api/v1/flags/?format=csv"))
    assert list(api_rows[0]) == list(csvio.FLAG_COLUMNS)
    row = next(r for r in api_rows if r["id"] == str(conflict.pk))
    expected = sorted(conflict.claims.values_list("pk", flat=True))
    assert (row["kind"], row["status"], row["message"]) == (
        "value_conflict",
        "open",
        conflict.message,
    )
    assert row["claims"].split(";") == [str(pk) for pk in expected]
    assert row["url"] == f"http://testserver/flags/{conflict.pk}/"
    client.force_login(checker)
    assert b"Download CSV" in client.get("/flags/").content
    page_rows = _rows(client.get("/flags/export.csv?kind=value_conflict"))
    assert [r["id"] for r in page_rows] == [str(conflict.pk)]
    assert _rows(client.get("/flags/export.csv?kind=duplicate")) == []
