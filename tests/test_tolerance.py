"""How wide "about" is comes from the check policy alone: the reading, the figure in
words on the claim page, the claim form, the API and the timeline all agree."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from claims.models import CheckPolicy, Claim
from claims.timeline import claim_timeline
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

ABOUT_500 = "About 500 people were killed in Aleppo so far this month, activists said."


@pytest.fixture
def wide_policy(settings):  # type: ignore[no-untyped-def]
    # The setting is only the policy's first value: a different one must change nothing.
    settings.APPROX_TOLERANCE = 0.10
    CheckPolicy.load()
    CheckPolicy.objects.update(approx_tolerance=0.2)


def _about_500(editor) -> Claim:  # type: ignore[no-untyped-def]
    api = APIClient()
    api.force_authenticate(editor)
    r = api.post("/api/v1/claims/", {"text": ABOUT_500, "reported_on": "2014-02-13"}, "json")
    assert r.status_code == 201, r.content
    return Claim.objects.get(pk=r.json()["id"])


def test_it_stores_and_says_about_500_under_a_20_percent_policy(editor, wide_policy):
    claim = _about_500(editor)
    assert (claim.value_low, claim.value_high, claim.qualifier) == (400, 600, "approx")
    api = APIClient()
    api.force_authenticate(editor)
    assert api.get(f"/api/v1/claims/{claim.pk}/").json()["figure"] == "about 500"
    listed = api.get("/api/v1/claims/").json()["results"]
    assert [c["figure"] for c in listed] == ["about 500"]


def test_the_claim_page_says_about_500(client, editor, wide_policy):
    claim = _about_500(editor)
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "<strong>about 500</strong>" in page
    assert "400 to 600</strong>" not in page


def test_the_claim_forms_reading_says_about_500(client, editor, wide_policy):
    client.force_login(editor)
    r = client.post("/claims/read/", {"text": ABOUT_500, "reported_on": "2014-02-13"})
    assert r.status_code == 200
    assert r.context["summary"].figure == "about 500"
    assert r.context["summary"].interval == "400–600"


def test_the_timeline_draws_with_the_policy(editor, wide_policy):
    claim = ClaimFactory(
        value_low=400,
        value_high=600,
        qualifier="approx",
        period_start=dt.date(2014, 2, 1),
        period_end=dt.date(2014, 2, 13),
        period_kind="to_date",
    )
    chart = claim_timeline(claim)
    assert [row.figure for row in chart.rows] == ["about 500"]
    assert "This claim: about 500" in chart.description


def _setting_readers() -> dict[str, int]:
    root = Path(settings.BASE_DIR)
    counts = {
        str(path.relative_to(root)): path.read_text(encoding="utf-8").count("APPROX_TOLERANCE")
        for folder in ("claims", "newsroom")
        for path in (root / folder).rglob("*.py")
    }
    return {name: n for name, n in counts.items() if n}


def test_no_page_chart_or_check_reads_the_setting():
    readers = _setting_readers()
    assert set(readers) <= {"claims/models.py", "newsroom/settings.py"}


def test_the_setting_is_only_the_policys_first_value():
    assert _setting_readers()["claims/models.py"] == 1  # _default_tolerance only
