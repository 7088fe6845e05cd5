"""The one reading rule (claims/reading.py) on the pages: a changed qualifier re-derives
the figure on the claim form and in a candidate's edit-then-accept; and the rule itself,
on plain values."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from claims import reading, wording
from claims.models import CheckPolicy, Claim
from tests.factories import SourceAliasFactory, SourceFactory, StoryFactory

KHARKIV = "About 300 people were wounded in the shelling of Kharkiv on Monday, officials said."
TOLERANCE = 0.1


def about(value: int) -> tuple[int, int]:
    tolerance = CheckPolicy.load().approx_tolerance
    return round(value * (1 - tolerance)), round(value * (1 + tolerance))


# ---------------------------------------------------------------------------
# The rule on plain values


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"qualifier": "at_least"}, (300, None, "at_least")),
        ({"qualifier": "exact"}, (300, 300, "exact")),
        ({"qualifier": "more_than"}, (301, None, "more_than")),
        ({"qualifier": "at_most"}, (0, 300, "at_most")),
        ({"value_low": 500}, (450, 550, "approx")),
        ({"value_low": 200, "value_high": 250, "qualifier": "range"}, (200, 250, "range")),
        ({"qualifier": "range"}, (270, 330, "range")),
        ({}, (270, 330, "approx")),
    ],
)
def test_a_changed_qualifier_or_value_rederives_the_interval(given, expected):
    before = {"value_low": 270, "value_high": 330, "qualifier": "approx"}
    figure = reading.settle_figure(given, before, TOLERANCE)
    assert (figure["value_low"], figure["value_high"], figure["qualifier"]) == expected


def test_a_qualifier_over_at_least_reads_its_bound():
    before = {"value_low": 300, "value_high": None, "qualifier": "at_least"}
    figure = reading.settle_figure({"qualifier": "approx"}, before, TOLERANCE)
    assert (figure["value_low"], figure["value_high"]) == (270, 330)


def test_the_editor_owns_a_group_only_where_fields_go_together():
    assert reading.owned_fields({"event"}) == {"event"}
    assert reading.owned_fields({"qualifier"}) == {"value_low", "value_high", "qualifier"}
    assert reading.owned_fields({"period_end"}) >= {"period_start", "time_expression"}
    assert reading.owned_fields({"sources"}) == {"sources", "source_text"}


# ---------------------------------------------------------------------------
# The claim form


@pytest.mark.django_db
def test_the_claim_form_rederives_a_changed_qualifier(client, editor):
    client.force_login(editor)
    first = client.post("/claims/read/", {"text": KHARKIV, "reported_on": "2026-03-04"})
    low, high = about(300)
    r = client.post(
        "/claims/new/",
        {
            "action": "save",
            "text": KHARKIV,
            "reported_on": "2026-03-04",
            "machine": first.context["machine"],
            "value_low": str(low),
            "value_high": str(high),
            "qualifier": "at_least",
            "unit": "people",
            "event": "injured",
            "population": "all",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    claim = Claim.objects.get()
    assert (claim.value_low, claim.value_high, claim.qualifier) == (300, None, "at_least")


# ---------------------------------------------------------------------------
# The claim form's live summary says what a save stores: it is read through
# `claims.reading.parsed_fields`, as the save is, not from the parser's raw reading.

# A rate, a projection, a count of something other than people, and a plain count.
LIVE = [
    "About 40 people a day are being killed in Aleppo, the Observatory said.",
    "The death toll could rise to 1,000, the UN warned on Monday.",
    "More than 300 homes were destroyed in the shelling of Kharkiv last week.",
    "Jets struck the market, killing 14 and wounding 40, activists said on Sunday.",
    KHARKIV,
]


@pytest.mark.django_db
@pytest.mark.parametrize("text", LIVE)
def test_the_live_summary_shows_what_a_save_stores(client, editor, text):
    source = SourceFactory(name="Syrian Observatory for Human Rights")
    SourceAliasFactory(source=source, name="Observatory")
    client.force_login(editor)
    r = client.post("/claims/read/", {"text": text, "reported_on": "2026-03-04"})
    assert r.status_code == 200
    summary = r.context["summary"]
    api = APIClient()
    api.force_authenticate(editor)
    saved = api.post("/api/v1/claims/", {"text": text, "reported_on": "2026-03-04"}, format="json")
    assert saved.status_code == 201, saved.content
    claim = Claim.objects.get(pk=saved.json()["id"])
    tolerance = CheckPolicy.load().approx_tolerance
    assert summary.figure == wording.format_figure(
        claim.value_low, claim.value_high, claim.qualifier, tolerance
    )
    # What is counted, and whether it is a count at all, as stored.
    assert summary.interval == wording.interval_text(claim.value_low, claim.value_high)
    what = summary.event.split(" · ")
    assert what[:2] == [claim.get_event_display(), claim.unit]
    assert ("a projection, not a count" in what) == claim.is_projection
    if claim.period_start is not None:
        assert summary.period == wording.period_dates(claim.period_start, claim.period_end)
    names = [a.source.name for a in claim.attributions.all()]
    assert summary.source == (names[0] if names else "")
    if not names:
        assert summary.source_text == claim.source_text


def summary_html(client, text: str) -> str:  # type: ignore[no-untyped-def]
    html = client.post("/claims/read/", {"text": text, "reported_on": "2026-03-04"}).content
    section = html.decode().split('id="reading-summary"', 1)[1]
    return section.split("</section>", 1)[0]


@pytest.mark.django_db
def test_the_live_summary_page_shows_a_rate_and_a_projection(client, editor):
    client.force_login(editor)
    assert "people per day" in summary_html(client, LIVE[0])
    assert "a projection, not a count" in summary_html(client, LIVE[1])
    assert "homes" in summary_html(client, LIVE[2])


# ---------------------------------------------------------------------------
# A candidate's edit-then-accept


@pytest.mark.django_db
def test_editing_only_a_candidates_qualifier_rederives_it(client, editor):
    story = StoryFactory(
        headline="Kharkiv shelling",
        body=KHARKIV,
        published_at=dt.datetime(2026, 3, 4, 15, 0, tzinfo=dt.UTC),
        created_by=editor,
    )
    client.force_login(editor)
    low, high = about(300)
    span = (0, len("About 300 people"))
    r = client.post(
        f"/stories/{story.pk}/accept/",
        {
            "edit": "1",
            "start": span[0],
            "end": span[1],
            "value_low": str(low),
            "value_high": str(high),
            "qualifier": "at_least",
            "event": "injured",
            "population": "all",
        },
    )
    assert r.status_code in (200, 302), r.content.decode()[:2000]
    claim = Claim.objects.get()
    assert (claim.value_low, claim.value_high, claim.qualifier) == (300, None, "at_least")
