"""A projection ("could reach thousands") is stored as one and takes no part in the checks."""

from __future__ import annotations

from datetime import date

import pytest

from claims import services
from claims.checks.blocking import block_key
from claims.checks.sync import load_facts
from claims.models import Claim

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


def test_it_marks_a_projection_read_from_the_text(api, editor):
    r = api.as_(editor).post(
        URL,
        {
            "text": "Officials warned the death toll in Derna could reach 20,000.",
            "reported_on": "2023-09-14",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    claim = Claim.objects.get(pk=r.json()["id"])
    assert claim.is_projection is True
    assert api.as_(editor).get(f"{URL}{claim.pk}/").json()["is_projection"] is True


def test_a_stated_count_is_not_a_projection(api, editor):
    r = api.as_(editor).post(
        URL,
        {
            "text": "At least 5,300 people were killed in Derna, officials said on Wednesday.",
            "reported_on": "2023-09-14",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["is_projection"] is False


def test_the_checks_leave_a_projection_out(editor):
    kwargs = {
        "value_low": 20000,
        "value_high": 20000,
        "qualifier": "exact",
        "unit": "people",
        "event": "killed",
        "period_start": date(2023, 9, 10),
        "period_end": date(2023, 9, 14),
        "period_kind": "to_date",
        "place": services.PlaceName(name="Derna", country="LY"),
    }
    counted = services.claim_create(actor=editor, text="5,300 killed", **kwargs)
    expected = services.claim_create(
        actor=editor, text="could reach 20,000", is_projection=True, **kwargs
    )
    facts = {f.id: f for f in load_facts(Claim.objects.all())}
    assert block_key(facts[counted.pk]) is not None
    assert block_key(facts[expected.pk]) is None


def test_the_parse_answer_says_projection(api, editor):
    r = api.as_(editor).post(
        "/api/v1/parse/",
        {"text": "Aid agencies fear the toll might reach 10,000.", "reported_on": "2023-09-14"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["projection"] is True
