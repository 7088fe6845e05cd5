"""One FlagFilter behind the flag queue page and `GET /api/v1/flags/`: the same
parameters give the same flags in the same order, and the same bad ones the same 400."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from claims import services
from claims.checks import sync
from claims.models import Flag
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flags(conflict, checker):  # type: ignore[no-untyped-def]
    """The conflict, a clash a day for three more days, one of them dismissed."""
    for day in (3, 4, 5):
        on = dt.date(2014, 3, day)
        for value, text in ((500, "Five hundred died in a raid"), (10, "Ten died in a raid")):
            ClaimFactory(
                text=f"{text} on 2014-03-0{day}.",
                value_low=value,
                value_high=value,
                period_start=on,
                period_end=on,
            )
    sync.scan_contradictions()
    dismissed = Flag.objects.exclude(pk=conflict.pk).order_by("pk").first()
    services.flag_dismiss(flag=dismissed, actor=checker, note="Two raids, two towns.")
    return list(Flag.objects.order_by("pk"))


def page_ids(client, params):  # type: ignore[no-untyped-def]
    r = client.get("/flags/", params)
    assert r.status_code == 200, r.context["form"].errors
    return [f.pk for f in r.context["page"]]


def api_get(user, params):  # type: ignore[no-untyped-def]
    api = APIClient()
    api.force_authenticate(user)
    return api.get("/api/v1/flags/", params)


def api_ids(user, params):  # type: ignore[no-untyped-def]
    r = api_get(user, params)
    assert r.status_code == 200, r.json()
    return [row["id"] for row in r.json()["results"]]


def test_it_gives_the_page_and_the_api_the_same_flags(client, checker, conflict, flags):
    client.force_login(checker)
    claim = conflict.claims.order_by("pk").first()
    cases = [
        {"status": "unresolved"},
        {"status": "dismissed"},
        {"status": ""},
        {"status": "", "kind": "value_conflict"},
        {"status": "", "severity": conflict.get_severity_display()},
        {"status": "", "claim": claim.pk},
        {"status": "", "q": "Observatory"},
        {"status": "unresolved", "q": "five hundred 2014-03-04"},
    ]
    for params in cases:
        assert page_ids(client, params) == api_ids(checker, params), params
    # The filters do filter: not every case is the whole table.
    assert len({tuple(page_ids(client, params)) for params in cases}) > 3


def test_it_reads_the_claim_and_words_on_the_page(client, checker, conflict, flags):
    client.force_login(checker)
    claim = conflict.claims.order_by("pk").first()
    assert page_ids(client, {"claim": claim.pk}) == [conflict.pk]
    assert page_ids(client, {"q": "Observatory"}) == [conflict.pk]


def test_it_reads_unresolved_and_words_in_the_api(checker, conflict, flags):
    dismissed = Flag.objects.get(status="dismissed")
    unresolved = api_ids(checker, {"status": "unresolved"})
    assert conflict.pk in unresolved and dismissed.pk not in unresolved
    assert api_ids(checker, {"q": "Observatory"}) == [conflict.pk]


def test_it_reads_a_severity_by_name_and_by_number(client, checker, conflict, flags):
    client.force_login(checker)
    by_name = {"severity": conflict.get_severity_display()}
    by_number = {"severity": str(conflict.severity)}
    assert page_ids(client, by_name) == page_ids(client, by_number)
    assert api_ids(checker, by_name) == api_ids(checker, by_number)


def test_it_refuses_the_same_bad_filters_on_both(client, checker):
    client.force_login(checker)
    params = {"claim": "x", "status": "closed", "kind": "typo", "severity": "urgent"}
    page = client.get("/flags/", params)
    answer = api_get(checker, params)
    assert (page.status_code, answer.status_code) == (400, 400)
    assert set(page.context["form"].errors) == set(params)
    assert set(params) <= set(answer.json())
