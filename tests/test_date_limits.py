"""Dates a newsroom cannot mean (year 24 for 2024, 9999 for "some day") are refused
with a message naming the field, by the model, the forms and the API alike; and a
chart never raises on any date the database can hold, so a typo stored before the
rule cannot take the pages that share its chart down."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from claims import services
from claims.charts import ChartPoint, build_chart, date_ticks
from claims.errors import InvalidInput
from claims.forms import ClaimCreateForm, DraftCheckForm, StoryForm
from claims.models import Claim, Story
from claims.reading import EARLIEST_DATE, date_problems, year_after
from claims.timeline import claim_timeline
from tests.factories import ClaimFactory, PlaceFactory, StoryFactory

FEB_13 = dt.date(2014, 2, 13)
TYPOS = [dt.date(24, 2, 12), dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1899, 12, 31)]


def point(claim_id: int, day: dt.date, end: dt.date | None = None) -> ChartPoint:
    return ChartPoint(
        claim_id=claim_id,
        label="At least 51 people were killed in Aleppo yesterday.",
        value_low=51,
        value_high=None,
        qualifier="at_least",
        period_start=day,
        period_end=end or day,
        period_kind="day",
        reported_on=day,
        sources=("SOHR",),
        status="new",
        status_label="New",
    )


# ---------------------------------------------------------------------------
# The chart: never raises, whatever the database holds


EXTREMES = [
    [dt.date(24, 2, 12), dt.date(2024, 2, 12)],
    [dt.date(1, 1, 1)],
    [dt.date(9999, 12, 31)],
    [dt.date(1, 1, 1), dt.date(9999, 12, 31)],
    [dt.date(2024, 1, 1), dt.date(9999, 12, 31)],
    [dt.date(1, 1, 1), dt.date(1, 1, 2)],
    [dt.date(9999, 12, 30), dt.date(9999, 12, 31)],
    [dt.date(9999, 11, 5), dt.date(9999, 12, 31)],
]


@pytest.mark.parametrize("days", EXTREMES, ids=lambda days: "+".join(map(str, days)))
def test_it_charts_any_date_the_database_holds(days):
    chart = build_chart([point(i, day) for i, day in enumerate(days)], compact_width=400)
    assert len(chart.marks) == len(days)
    assert chart.x_ticks, "an axis with no date on it"
    for mark in chart.marks:
        assert chart.plot_left - 1 <= mark.x <= chart.plot_right + 1
    assert chart.compact is not None and len(chart.compact.marks) == len(days)


def test_it_charts_a_period_that_runs_to_the_end_of_the_calendar():
    chart = build_chart([point(1, dt.date(9990, 1, 1), dt.date(9999, 12, 31))])
    assert len(chart.marks) == 1


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (dt.date(1, 1, 1), dt.date(1, 1, 9)),
        (dt.date(9999, 12, 20), dt.date(9999, 12, 31)),
        (dt.date(9999, 1, 1), dt.date(9999, 12, 31)),
        (dt.date(9990, 1, 1), dt.date(9999, 12, 31)),
        (dt.date(1, 1, 1), dt.date(9999, 12, 31)),
    ],
)
@pytest.mark.parametrize("max_ticks", [2, 5, 12])
def test_it_steps_dates_up_to_the_edges_of_the_calendar(first, last, max_ticks):
    ticks = date_ticks(first, last, max_ticks)
    assert ticks
    assert all(first <= day <= last for day in ticks)
    assert len(ticks) <= max(max_ticks, 2)


@pytest.mark.django_db
def test_it_shows_every_claim_page_that_shares_a_chart_with_a_typo(client, checker):
    aleppo = PlaceFactory()
    good = ClaimFactory(place=aleppo)
    # Stored before the rule, or by a path that skipped it: the rows are already there.
    typo = ClaimFactory(
        place=aleppo, period_start=dt.date(24, 2, 12), period_end=dt.date(24, 2, 12)
    )
    someday = ClaimFactory(
        place=aleppo,
        period_start=dt.date(9999, 12, 31),
        period_end=dt.date(9999, 12, 31),
        reported_on=dt.date(9999, 12, 31),
    )
    client.force_login(checker)
    for claim in (good, typo, someday):
        r = client.get(f"/claims/{claim.pk}/")
        assert r.status_code == 200
        assert f"timeline-{claim.pk}" in r.content.decode()
    assert len(claim_timeline(good).marks) == 3


# ---------------------------------------------------------------------------
# The rule, in one place


def test_it_names_the_dates_a_newsroom_cannot_mean():
    today = dt.date(2026, 12, 6)
    assert date_problems({"reported_on": FEB_13, "period_start": FEB_13}, today=today) == {}
    problems = date_problems(
        {
            "reported_on": FEB_13,
            "period_start": dt.date(24, 2, 12),
            "period_end": dt.date(2015, 2, 14),
            "due_at": dt.datetime(9999, 1, 1, tzinfo=dt.UTC),
        },
        today=today,
    )
    assert set(problems) == {"period_start", "period_end", "due_at"}
    assert "1900" in problems["period_start"]
    assert "0024" in problems["period_start"]
    assert "a year after" in problems["period_end"]
    # A period up to a year after the report date is a plan or a projection: kept.
    assert (
        date_problems({"reported_on": FEB_13, "period_end": dt.date(2015, 2, 13)}, today=today)
        == {}
    )
    # Without a report date, periods are held to a year after today.
    assert date_problems({"period_end": dt.date(2027, 12, 6)}, today=today) == {}
    assert set(date_problems({"period_end": dt.date(2027, 12, 7)}, today=today)) == {"period_end"}
    assert date_problems({"reported_on": EARLIEST_DATE, "period_start": None}, today=today) == {}


def test_it_counts_a_year_from_a_leap_day_and_from_the_last_year():
    assert year_after(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert year_after(dt.date(9999, 3, 1)) == dt.date.max


# ---------------------------------------------------------------------------
# The model, and the services that validate through it


@pytest.mark.django_db
@pytest.mark.parametrize("typo", TYPOS)
def test_the_model_refuses_a_date_typo_naming_the_field(typo):
    claim = ClaimFactory.build(place=None, period_start=typo, period_end=typo)
    with pytest.raises(ValidationError) as refused:
        claim.full_clean(exclude=["story", "assignee", "created_by"])
    assert "period_start" in refused.value.message_dict


@pytest.mark.django_db
def test_the_model_refuses_a_period_more_than_a_year_after_the_report():
    claim = ClaimFactory.build(
        place=None, period_start=FEB_13, period_end=dt.date(2015, 3, 1), reported_on=FEB_13
    )
    with pytest.raises(ValidationError) as refused:
        claim.full_clean(exclude=["story", "assignee", "created_by"])
    assert list(refused.value.message_dict) == ["period_end"]


@pytest.mark.django_db
@pytest.mark.parametrize("typo", [dt.date(24, 2, 13), dt.date(9999, 2, 13)])
def test_the_model_refuses_a_story_dated_by_typo(typo):
    story = StoryFactory.build(published_at=dt.datetime.combine(typo, dt.time(12), tzinfo=dt.UTC))
    with pytest.raises(ValidationError) as refused:
        story.full_clean(exclude=["created_by"])
    assert "published_at" in refused.value.message_dict


@pytest.mark.django_db
def test_the_service_refuses_a_typo_and_saves_nothing(editor):
    with pytest.raises(InvalidInput) as refused:
        services.claim_create(
            actor=editor,
            text="Ten people were killed in Aleppo.",
            reported_on=dt.date(24, 2, 13),
        )
    assert "reported_on" in refused.value.errors
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_an_edit_to_a_typo(editor):
    claim = ClaimFactory(place=None)
    with pytest.raises(InvalidInput) as refused:
        services.claim_update(
            claim=claim,
            actor=editor,
            version=claim.version,
            changes={"period_start": dt.date(214, 2, 12), "period_end": dt.date(214, 2, 12)},
        )
    assert {"period_start", "period_end"} <= set(refused.value.errors)
    claim.refresh_from_db()
    assert claim.period_start == dt.date(2014, 2, 12)


# ---------------------------------------------------------------------------
# The forms


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reported_on", "0024-02-13"),
        ("reported_on", "9999-02-13"),
        ("period_start", "1899-12-31"),
        ("period_end", "2015-02-14"),
    ],
)
def test_the_claim_form_refuses_a_date_typo_under_its_field(field, value):
    data = {
        "text": "Ten people were killed in Aleppo.",
        "reported_on": "2014-02-13",
        "period_start": "2014-02-12",
        "period_end": "2014-02-12",
        field: value,
    }
    form = ClaimCreateForm(data, stories=Story.objects.all())
    assert not form.is_valid()
    assert field in form.errors


@pytest.mark.django_db
def test_the_story_and_draft_forms_refuse_a_date_typo():
    story = StoryForm(
        {"headline": "Ten killed", "published_on": "0214-02-13", "status": "draft", "body": "x"}
    )
    assert not story.is_valid()
    assert "published_on" in story.errors
    draft = DraftCheckForm({"text": "Ten were killed.", "reported_on": "9999-02-13"})
    assert not draft.is_valid()
    assert "reported_on" in draft.errors


@pytest.mark.django_db
def test_the_claim_page_answers_a_typo_with_400(client, editor):
    client.force_login(editor)
    r = client.post(
        "/claims/new/",
        {"text": "Ten people were killed in Aleppo yesterday.", "reported_on": "0024-02-13"},
    )
    assert r.status_code == 400
    assert b"1900" in r.content
    assert not Claim.objects.exists()


# ---------------------------------------------------------------------------
# The API


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    from rest_framework.test import APIClient

    return APIClient()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reported_on", "0024-02-13"),
        ("reported_on", "9999-12-31"),
        ("period_start", "0001-01-01"),
        ("period_end", "9999-12-31"),
        ("due_at", "9999-12-31T23:59:59Z"),
        ("due_at", "0024-02-13T12:00:00Z"),
    ],
)
def test_the_api_refuses_a_claim_date_typo_with_400(api, admin, field, value):
    api.force_authenticate(admin)
    body = {
        "text": "Ten people were killed in Aleppo.",
        "reported_on": "2014-02-13",
        "period_start": "2014-02-12",
        "period_end": "2014-02-12",
        field: value,
    }
    r = api.post("/api/v1/claims/", body, format="json")
    assert r.status_code == 400, r.content[:300]
    assert field in r.json()
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_an_edit_that_outruns_the_stored_report_date(api, editor):
    claim = ClaimFactory(place=None)  # reported 13 Feb 2014
    api.force_authenticate(editor)
    r = api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"period_start": "2016-01-01", "period_end": "2016-01-02", "version": claim.version},
        format="json",
    )
    assert r.status_code == 400, r.content[:300]
    assert "period_start" in r.json()
    claim.refresh_from_db()
    assert claim.period_start == dt.date(2014, 2, 12)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0024-02-13T12:00:00Z", "9999-02-13T12:00:00Z"])
def test_the_api_refuses_a_story_date_typo_with_400(api, editor, value):
    api.force_authenticate(editor)
    r = api.post(
        "/api/v1/stories/",
        {"headline": "Ten killed", "body": "Ten were killed.", "published_at": value},
        format="json",
    )
    assert r.status_code == 400, r.content[:300]
    assert "published_at" in r.json()
    assert not Story.objects.exists()


@pytest.mark.django_db
def test_the_parse_endpoint_refuses_a_date_typo_with_400(api, editor):
    api.force_authenticate(editor)
    r = api.post(
        "/api/v1/parse/", {"text": "Ten were killed.", "reported_on": "0024-02-13"}, format="json"
    )
    assert r.status_code == 400
    assert "reported_on" in r.json()


@pytest.mark.django_db
def test_the_api_still_takes_sensible_dates(api, editor):
    api.force_authenticate(editor)
    today = timezone.localdate()
    r = api.post(
        "/api/v1/claims/",
        {
            "text": "Ten people were killed in Aleppo.",
            "reported_on": str(today),
            "period_start": str(EARLIEST_DATE),
            "period_end": str(today),
        },
        format="json",
    )
    assert r.status_code == 201, r.content[:300]
