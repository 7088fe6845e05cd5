"""`GET /api/v1/claims/{id}/` and the claim list carry `desk_figure`: the figure a resolved
conflict chose for the claim, or null; the list reads them all in one query."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import services
from claims.checks import sync
from claims.models import Flag
from tests.conftest import list_stamp_queries
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


def test_it_is_null_until_a_conflict_is_resolved_with_a_figure(api, checker, conflict):
    sohr, wire = conflict.claims.order_by("pk")
    client = api.as_(checker)
    assert client.get(f"{URL}{sohr.pk}/").json()["desk_figure"] is None
    services.flag_resolve(
        flag=conflict,
        actor=checker,
        note="Both counts, as a range.",
        figure_low=20,
        figure_high=51,
        rule="range",
    )
    expected = {
        "value_low": 20,
        "value_high": 51,
        "rule": "range",
        "flag": conflict.pk,
        "note": "Both counts, as a range.",
    }
    assert client.get(f"{URL}{sohr.pk}/").json()["desk_figure"] == expected
    assert client.get(f"{URL}{wire.pk}/").json()["desk_figure"] == expected


def test_the_list_reads_the_desk_figures_in_one_query(
    api, checker, conflict, django_assert_num_queries
):
    services.flag_resolve(
        flag=conflict,
        actor=checker,
        note="The wire.",
        figure_low=20,
        figure_high=30,
        rule="correction",
    )
    client = api.as_(checker)
    # the list's stamp (on PostgreSQL), count, page with its claims' sources, topics and
    # desk figures (the user's roles were read when the flag was resolved)
    with django_assert_num_queries(2 + list_stamp_queries()):
        few = client.get(URL).json()["results"]
    assert {c["desk_figure"]["rule"] for c in few} == {"correction"}
    for day in range(3, 9):  # a clash a day, each resolved
        on = dt.date(2014, 2, day)
        for value in (500, 10):
            ClaimFactory(value_low=value, value_high=value, period_start=on, period_end=on)
    sync.scan_contradictions()
    for flag in Flag.objects.filter(status="open", kind="value_conflict"):
        services.flag_resolve(
            flag=flag,
            actor=checker,
            note="Low.",
            figure_low=10,
            figure_high=10,
            rule="lowest_credible",
        )
    with django_assert_num_queries(2 + list_stamp_queries()):
        many = client.get(URL).json()["results"]
    assert len(many) == 14 and all(c["desk_figure"] for c in many)


def test_the_schema_describes_it(api, editor):
    schema = api.as_(editor).get("/api/schema/", {"format": "json"}).json()
    field = schema["components"]["schemas"]["Claim"]["properties"]["desk_figure"]
    assert set(field["properties"]) == {"value_low", "value_high", "rule", "flag", "note"}
