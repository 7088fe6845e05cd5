"""The API follows the one reading rule (claims/reading.py): the editor's fields win field
by field, and a changed qualifier or value re-derives the figure's interval."""

from __future__ import annotations

import pytest

from claims.models import CheckPolicy
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"
KHARKIV = "About 400 people were wounded in the shelling of Kharkiv on Monday, officials said."


def about(value: int) -> tuple[int, int]:
    tolerance = CheckPolicy.load().approx_tolerance
    return round(value * (1 - tolerance)), round(value * (1 + tolerance))


def test_a_given_event_leaves_the_parsers_figure(api, editor):
    r = api.as_(editor).post(
        URL, {"text": KHARKIV, "reported_on": "2026-03-04", "event": "killed"}, format="json"
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["value_low"], body["value_high"]) == about(400)
    assert body["qualifier"] == "approx" and body["event"] == "killed"


def test_a_given_qualifier_alone_rederives_the_parsers_figure(api, editor):
    r = api.as_(editor).post(
        URL, {"text": KHARKIV, "reported_on": "2026-03-04", "qualifier": "at_least"}, format="json"
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["value_low"], body["value_high"], body["qualifier"]) == (400, None, "at_least")
    assert body["event"] == "injured"


def test_patching_the_qualifier_alone_rederives_the_interval(api, editor):
    claim = ClaimFactory(value_low=270, value_high=330, qualifier="approx")
    r = api.as_(editor).patch(
        f"{URL}{claim.pk}/", {"qualifier": "at_least", "version": 1}, format="json"
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["value_low"], body["value_high"], body["qualifier"]) == (300, None, "at_least")


def test_patching_the_value_alone_keeps_the_qualifier(api, editor):
    claim = ClaimFactory(value_low=270, value_high=330, qualifier="approx")
    r = api.as_(editor).patch(f"{URL}{claim.pk}/", {"value_low": 500, "version": 1}, format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["value_low"], body["value_high"], body["qualifier"]) == (*about(500), "approx")


def test_a_typed_range_stays_as_typed(api, editor):
    claim = ClaimFactory(value_low=270, value_high=330, qualifier="approx")
    r = api.as_(editor).patch(
        f"{URL}{claim.pk}/",
        {"value_low": 200, "value_high": 250, "qualifier": "range", "version": 1},
        format="json",
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["value_low"], body["value_high"], body["qualifier"]) == (200, 250, "range")
