"""Flags through the API: list with filters, acknowledge, resolve with a figure and a
rule, dismiss; role by role, with the history row each answer leaves."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.checks import sync
from claims.models import FlagEvent
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/flags/"


def post(api, user, flag, verb, body=None):  # type: ignore[no-untyped-def]
    return api.as_(user).post(f"{URL}{flag.pk}/{verb}/", body or {}, format="json")


def test_it_lists_flags_by_claim_status_and_kind(api, checker, conflict):
    claim_id = conflict.claims.first().pk
    r = api.as_(checker).get(URL, {"claim": claim_id, "status": "open", "kind": "value_conflict"})
    assert r.status_code == 200
    [row] = r.json()["results"]
    assert row["id"] == conflict.pk
    assert sorted(row["claims"]) == sorted(conflict.claims.values_list("pk", flat=True))
    assert "at least 51" in row["message"] and "20" in row["message"]
    assert api.as_(checker).get(URL, {"status": "resolved"}).json()["results"] == []


@pytest.mark.parametrize(
    "params", [{"claim": "x"}, {"status": "closed"}, {"kind": "typo"}, {"severity": "urgent"}]
)
def test_bad_filters_are_a_400(api, checker, params):
    r = api.as_(checker).get(URL, params)
    assert r.status_code == 400
    assert set(params) <= set(r.json())


def test_a_checker_resolves_a_conflict_with_the_figure_and_rule(api, checker, conflict):
    r = post(
        api,
        checker,
        conflict,
        "resolve",
        {"note": "Use the Observatory's floor.", "figure_low": 51, "rule": "lowest_credible"},
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["status"], body["resolution_low"], body["resolution_high"]) == (
        "resolved",
        51,
        None,
    )
    assert (body["resolution_rule"], body["resolved_by"]) == ("lowest_credible", "chris")
    event = FlagEvent.objects.filter(flag=conflict).last()
    assert (event.actor, event.from_status, event.to_status) == (checker, "open", "resolved")
    assert event.note == "Use the Observatory's floor."
    assert event.details == {"figure_low": 51, "figure_high": None, "rule": "lowest_credible"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"figure_low": 51, "rule": "lowest_credible"}, "note"),
        ({"note": "ok", "rule": "lowest_credible"}, "figure_low"),
        ({"note": "ok", "figure_low": 51}, "rule"),
        ({"note": "ok", "figure_low": 51, "rule": "coin_toss"}, "rule"),
        ({"note": "ok", "figure_low": 60, "figure_high": 40, "rule": "range"}, "figure_high"),
        ({"note": "ok", "figure_low": -1, "rule": "range"}, "figure_low"),
        ({"note": "   ", "figure_low": 51, "rule": "range"}, "note"),
    ],
)
def test_an_incomplete_resolution_is_a_400_and_changes_nothing(api, checker, conflict, body, field):
    events = FlagEvent.objects.count()
    r = post(api, checker, conflict, "resolve", body)
    assert r.status_code == 400
    assert field in r.json()
    conflict.refresh_from_db()
    assert conflict.status == "open" and FlagEvent.objects.count() == events


def test_acknowledge_then_dismiss_each_leave_a_history_row(api, checker, conflict):
    r = post(api, checker, conflict, "acknowledge", {"note": "Looking into it."})
    assert r.status_code == 200 and r.json()["status"] == "acknowledged"
    assert post(api, checker, conflict, "acknowledge").status_code == 409
    assert post(api, checker, conflict, "dismiss", {}).status_code == 400  # a note is required
    r = post(api, checker, conflict, "dismiss", {"note": "Different neighbourhoods."})
    assert r.status_code == 200 and r.json()["status"] == "dismissed"
    moves = list(FlagEvent.objects.filter(flag=conflict).values_list("to_status", "actor"))
    assert moves == [("open", None), ("acknowledged", checker.pk), ("dismissed", checker.pk)]
    # Settled flags take no more answers.
    assert post(api, checker, conflict, "resolve", {"note": "x"}).status_code == 409


def test_a_dismissed_flag_stays_dismissed_until_a_claim_changes(api, checker, conflict):
    post(api, checker, conflict, "dismiss", {"note": "Different neighbourhoods."})
    sync.scan_contradictions()
    conflict.refresh_from_db()
    assert conflict.status == "dismissed"
    claim = conflict.claims.order_by("value_low").first()
    claim.text += " (updated)"
    claim.save()
    sync.scan_contradictions()
    conflict.refresh_from_db()
    assert conflict.status == "open"
    assert conflict.resolved_by is None
    assert FlagEvent.objects.filter(flag=conflict).last().note.startswith("A claim changed")


@pytest.mark.parametrize("verb", ["acknowledge", "resolve", "dismiss"])
def test_editors_and_outsiders_may_not_answer_flags(api, editor, outsider, conflict, verb):
    body = {"note": "x", "figure_low": 51, "rule": "range"}
    assert post(api, editor, conflict, verb, body).status_code == 403
    assert post(api, outsider, conflict, verb, body).status_code == 404
    conflict.refresh_from_db()
    assert conflict.status == "open"


def test_an_admin_may_answer_flags(api, admin, conflict):
    r = post(api, admin, conflict, "resolve", {"note": "Corrected the wire's claim.",
                                               "figure_low": 51, "rule": "correction"})  # fmt: skip
    assert r.status_code == 200


def test_a_resolution_the_scan_made_is_undone_when_the_condition_returns(api, conflict):
    wire = conflict.claims.get(value_low=20)
    wire.value_low, wire.value_high = 51, 60
    wire.save()
    sync.scan_contradictions()
    conflict.refresh_from_db()
    assert conflict.status == "resolved" and conflict.resolved_by is None
    wire.value_low, wire.value_high = 20, 30
    wire.save()
    sync.scan_contradictions()
    conflict.refresh_from_db()
    assert conflict.status == "open"


def test_listing_flags_takes_a_fixed_number_of_queries(
    api, checker, conflict, django_assert_num_queries
):
    for day in range(3, 9):  # a clash a day: 500 against 10
        for value in (500, 10):
            on = dt.date(2014, 2, day)
            ClaimFactory(value_low=value, value_high=value, period_start=on, period_end=on)
    sync.scan_contradictions()
    client = api.as_(checker)
    # roles, count, page, claims of the page
    with django_assert_num_queries(4):
        r = client.get(URL)
    assert r.status_code == 200 and r.json()["count"] == 7
