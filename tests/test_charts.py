"""The timeline chart of a claim: the pure geometry, the selector and the partial."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from claims import charts
from claims.charts import (
    MIN_MARK_HEIGHT,
    MIN_MARK_WIDTH,
    OTHER_COLOUR,
    PALETTE,
    PLOT_HEIGHT,
    ChartPoint,
    build_chart,
    date_ticks,
    nice_step,
    source_colours,
    value_ticks,
)
from claims.models import Attribution, Flag, Status
from claims.timeline import claim_timeline, timeline_claims
from tests.factories import AttributionFactory, ClaimFactory, PlaceFactory, SourceFactory

FEB = date(2014, 2, 1)


def point(claim_id: int = 1, **fields: object) -> ChartPoint:
    base = ChartPoint(
        claim_id=claim_id,
        label="At least 51 people were killed in Aleppo yesterday.",
        value_low=51,
        value_high=None,
        qualifier="at_least",
        period_start=date(2014, 2, 12),
        period_end=date(2014, 2, 12),
        period_kind="day",
        reported_on=date(2014, 2, 13),
        sources=("SOHR",),
        status="new",
        status_label="New",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def about_400_this_month(claim_id: int = 2, **fields: object) -> ChartPoint:
    return point(
        claim_id,
        value_low=360,
        value_high=440,
        qualifier="approx",
        period_start=FEB,
        period_end=date(2014, 2, 13),
        period_kind="to_date",
        **fields,
    )


def mark_of(chart: charts.Chart, claim_id: int) -> charts.Mark:
    return next(m for m in chart.marks if m.claim_id == claim_id)


def row_of(chart: charts.Chart, claim_id: int) -> charts.Row:
    return next(r for r in chart.rows if r.claim_id == claim_id)


# ---------------------------------------------------------------------------
# Ticks and scales


def test_it_steps_values_by_one_two_or_five():
    assert value_ticks(440) == (500, [0, 100, 200, 300, 400, 500])
    assert value_ticks(7) == (8, [0, 2, 4, 6, 8])
    assert value_ticks(3) == (3, [0, 1, 2, 3])
    assert value_ticks(0) == (1, [0, 1])
    assert value_ticks(1_500_000) == (1_500_000, [0, 500_000, 1_000_000, 1_500_000])
    for top in (1, 9, 11, 99, 101, 999, 12_345, 987_654_321, 10**17 + 3):
        step = nice_step(top)
        assert str(step).rstrip("0") in {"1", "2", "5"}
        axis_top, ticks = value_ticks(top)
        assert axis_top >= top and ticks[0] == 0 and ticks[-1] == axis_top
        assert 2 <= len(ticks) <= 11


def test_it_keeps_huge_counts_exact():
    top, ticks = value_ticks(10**17 + 3)  # past a float's 53 bits of whole numbers
    assert top == 12 * 10**16 and ticks[1] == 2 * 10**16
    assert all(isinstance(t, int) for t in ticks)


def test_it_picks_calendar_dates_for_the_time_axis():
    assert date_ticks(date(2014, 2, 1), date(2014, 2, 20), 6) == [
        date(2014, 2, 3),
        date(2014, 2, 10),
        date(2014, 2, 17),
    ]  # Mondays
    months = date_ticks(date(2013, 6, 10), date(2014, 4, 20), 6)
    assert all(d.day == 1 for d in months) and len(months) <= 6
    years = date_ticks(date(1990, 3, 1), date(2014, 1, 1), 6)
    assert all((d.month, d.day) == (1, 1) for d in years) and len(years) <= 6


def test_it_scales_values_linearly_from_zero():
    chart = build_chart([about_400_this_month(), point(3, value_low=100, value_high=200)])
    assert [t.label for t in chart.y_ticks] == ["0", "100", "200", "300", "400", "500"]
    bottom, top = chart.plot_bottom, chart.plot_top
    assert chart.y_ticks[0].position == bottom and chart.y_ticks[-1].position == top
    mark = mark_of(chart, 3)
    assert mark.floor_y == pytest.approx(bottom - 100 / 500 * PLOT_HEIGHT, abs=0.1)
    assert mark.y == pytest.approx(bottom - 200 / 500 * PLOT_HEIGHT, abs=0.1)
    assert mark.y + mark.height == pytest.approx(mark.floor_y, abs=0.1)


def test_it_draws_a_period_from_its_first_day_to_the_end_of_its_last():
    span = point(value_high=60, period_start=date(2014, 2, 3), period_end=date(2014, 2, 16))
    span = replace(span, period_kind="span")
    chart = build_chart([span])
    ticks = {t.label: t.position for t in chart.x_ticks}
    mark = chart.marks[0]
    assert mark.x == pytest.approx(ticks["3 Feb 2014"], abs=0.1)
    assert mark.right == pytest.approx(ticks["17 Feb 2014"], abs=0.1)
    assert not mark.to_date


def test_it_draws_a_day_narrow_and_at_its_date():
    chart = build_chart([about_400_this_month(), point(1, value_high=51)])
    day, month = mark_of(chart, 1), mark_of(chart, 2)
    assert MIN_MARK_WIDTH <= day.width < month.width / 10
    assert month.x < day.x < day.right <= month.right
    assert month.to_date


# ---------------------------------------------------------------------------
# Edge cases


def test_it_draws_an_open_ended_claim_up_to_the_top_with_an_arrow():
    chart = build_chart([point()])
    mark = chart.marks[0]
    assert mark.open_ended
    assert mark.y == chart.plot_top
    assert mark.arrow
    assert mark.label == "at least 51"
    # Headroom: the low end sits well below the top of the axis.
    assert mark.floor_y - chart.plot_top > 0.15 * PLOT_HEIGHT
    assert chart.gradients == ((mark.fade_id, mark.colour),)
    assert any(item.kind == "open" for item in chart.key)
    assert row_of(chart, 1).figure == "at least 51"


def test_it_draws_a_single_point_inside_a_readable_extent():
    chart = build_chart([point(value_high=51)])
    (mark,) = chart.marks
    assert chart.plot_left < mark.x < mark.right < chart.plot_right
    assert mark.width >= MIN_MARK_WIDTH and mark.height >= MIN_MARK_HEIGHT
    assert len(chart.x_ticks) >= 2 and len(chart.y_ticks) >= 2
    assert "on 12 Feb 2014" in chart.description


def test_it_draws_claims_with_the_same_value_at_one_height():
    points = [point(i, value_low=400, value_high=400, qualifier="exact") for i in range(1, 4)]
    points = [
        replace(p, period_start=FEB + timedelta(days=i), period_end=FEB + timedelta(days=i))
        for i, p in enumerate(points)
    ]
    chart = build_chart(points)
    assert chart.y_ticks[-1].label == "400"
    assert len({(m.y, m.height) for m in chart.marks}) == 1
    assert chart.marks[0].height == MIN_MARK_HEIGHT
    assert "a figure of 400" in chart.description


def test_it_says_there_is_nothing_to_draw_without_figures():
    chart = build_chart([point(value_low=None, value_high=None, qualifier=None)])
    assert chart.empty
    assert chart.empty_message.startswith("Nothing to draw")
    assert [(r.figure, r.drawn) for r in chart.rows] == [("no figure", False)]
    assert build_chart([]).empty and build_chart([]).rows == ()


def test_it_keeps_huge_ranges_on_the_chart():
    chart = build_chart(
        [
            point(1, value_low=3, value_high=3, sources=("Local",)),
            point(2, value_low=1_500_000, value_high=1_500_000, sources=("UNHCR",)),
        ]
    )
    assert chart.y_ticks[-1].label == "1,500,000"
    assert chart.plot_left > charts._text_width("1,500,000")
    tiny = mark_of(chart, 1)
    assert tiny.height == MIN_MARK_HEIGHT
    assert tiny.y + tiny.height <= chart.plot_bottom
    assert row_of(chart, 2).figure == "1.5 million"


def test_it_places_a_claim_without_a_period_on_the_day_it_was_reported():
    chart = build_chart(
        [
            about_400_this_month(),
            point(3, period_start=None, period_end=None, period_kind=None),
            point(4, period_start=None, period_end=None, period_kind=None, reported_on=None),
        ]
    )
    assert {m.claim_id for m in chart.marks} == {2, 3}
    assert row_of(chart, 3).when == "reported 13 Feb 2014 (no period)"
    assert (row_of(chart, 4).when, row_of(chart, 4).drawn) == ("no date", False)
    assert chart.rows[-1].claim_id == 4  # undated last
    assert "1 claim without a figure or a date is not drawn" in chart.description


def test_it_keeps_two_hundred_points_readable():
    rng = random.Random(7)
    names = [f"Source {n}" for n in range(12)]
    points = []
    for i in range(200):
        start = date(2013, 6, 1) + timedelta(days=rng.randint(0, 300))
        end = start + timedelta(days=rng.choice([0, 0, 0, 5, 30]))
        low = rng.randint(0, 5000)
        high = None if i % 9 == 0 else low + rng.randint(0, 500)
        points.append(
            point(i + 1, value_low=low, value_high=high, period_start=start, period_end=end)
        )
        points[-1] = replace(points[-1], sources=(rng.choice(names),), is_current=i == 50)
    chart = build_chart(points)
    assert len(chart.marks) == 200 and chart.dense
    assert not any(m.label for m in chart.marks)  # no pile of per-mark words
    for mark in chart.marks:
        assert chart.plot_left <= mark.x and mark.right <= chart.plot_right
        assert chart.plot_top <= mark.y and mark.y + mark.height <= chart.plot_bottom
    positions = [t.position for t in chart.x_ticks]
    assert 2 <= len(positions) <= 8
    gaps = [b - a for a, b in zip(positions, positions[1:], strict=False)]
    assert min(gaps) > charts._text_width("30 Sep 2013")  # labels never overlap
    assert all(item.x + 12 <= chart.width for item in chart.legend)
    assert len(chart.legend) == len(PALETTE) + 1  # the rest share "Other sources"
    assert chart.legend[-1].label == "Other sources"
    assert chart.marks[-1].current  # drawn last, on top


# ---------------------------------------------------------------------------
# Colours, markings and words


def test_it_gives_each_source_a_stable_colour():
    points = [
        point(1, sources=("SOHR",)),
        point(2, sources=("Example Wire",)),
        point(3, sources=("SOHR",)),
        point(4, sources=()),
    ]
    colours = source_colours(points)
    assert colours == {"SOHR": PALETTE[0], "Example Wire": PALETTE[1]}
    assert source_colours(list(reversed(points))) == colours
    chart = build_chart(points)
    assert {m.claim_id: m.colour for m in chart.marks} == {
        1: PALETTE[0],
        2: PALETTE[1],
        3: PALETTE[0],
        4: OTHER_COLOUR,
    }
    assert [(i.label, i.colour) for i in chart.legend] == [
        ("SOHR", PALETTE[0]),
        ("Example Wire", PALETTE[1]),
        ("No source", OTHER_COLOUR),
    ]
    assert row_of(chart, 4).sources == "no source"


def test_it_marks_claims_in_an_open_contradiction():
    chart = build_chart(
        [
            about_400_this_month(2, flag_kinds=("value_conflict",)),
            point(3, value_low=250, value_high=250, flag_kinds=("duplicate",)),
            point(4, value_low=20, value_high=30),
        ]
    )
    assert {m.claim_id for m in chart.marks if m.flagged} == {2}
    assert row_of(chart, 2).flags == "value conflict"
    assert row_of(chart, 3).flags == ""  # a duplicate is not a contradiction
    flagged = mark_of(chart, 2)
    assert flagged.warn_y < flagged.y  # the ⚠ sits above the mark
    assert "⚠ value conflict" in flagged.title
    assert [k.kind for k in chart.key] == ["flagged"]
    assert "1 in an open contradiction" in chart.description


def test_it_highlights_the_current_claim():
    chart = build_chart([about_400_this_month(), point(1, is_current=True)])
    assert chart.marks[-1].claim_id == 1 and chart.marks[-1].current
    assert chart.highlight is not None
    assert chart.highlight[0] < chart.marks[-1].x
    assert row_of(chart, 1).current
    assert chart.key[0].kind == "current"
    assert "This claim: at least 51, 12 Feb 2014." in chart.description


def test_it_writes_figures_as_copy_does():
    chart = build_chart(
        [
            about_400_this_month(),
            point(3, value_low=20, value_high=30, qualifier="range"),
            point(4, value_low=120, value_high=120, qualifier="exact", population="civilians"),
            point(5, value_low=1200, value_high=1200, qualifier="exact"),
        ]
    )
    figures = {r.claim_id: r.figure for r in chart.rows}
    assert figures == {2: "about 400", 3: "20 to 30", 4: "120 civilians", 5: "1,200"}
    assert row_of(chart, 2).when == "1–13 Feb 2014 (to date)"


def test_it_keeps_text_plain_for_the_template_to_escape():
    nasty = '<script>alert("x")</script> & Co'
    chart = build_chart([point(sources=(nasty,), label=nasty)], title=nasty)
    assert chart.legend[0].full_label == nasty
    assert row_of(chart, 1).sources == nasty
    assert nasty in chart.marks[0].title
    assert chart.title == nasty
    chart = build_chart([point()], dom_id='x" onload="alert(1)')
    assert chart.dom_id == "x-onload-alert-1"


# ---------------------------------------------------------------------------
# The selector


def flag(kind: str, *claims: object, status: str = Flag.Status.OPEN) -> Flag:
    made = Flag.objects.create(
        kind=kind,
        message="These figures conflict.",
        fingerprint=f"{kind}-{'-'.join(str(c.pk) for c in claims)}-{status}",  # type: ignore[attr-defined]
        status=status,
        last_seen=timezone.now(),
    )
    made.claims.add(*claims)
    return made


@pytest.fixture
def aleppo_claims(db):  # type: ignore[no-untyped-def]
    sohr = SourceFactory(name="Syrian Observatory for Human Rights")
    wire = SourceFactory(name="Example Wire")
    current = ClaimFactory()
    month = ClaimFactory(
        text="About 400 people have been killed in Aleppo so far this month.",
        value_low=360,
        value_high=440,
        qualifier="approx",
        period_start=FEB,
        period_end=date(2014, 2, 13),
        period_kind="to_date",
    )
    rival = ClaimFactory(
        text="250 killed in Aleppo this month, Example Wire reports.",
        value_low=250,
        value_high=250,
        qualifier="exact",
        period_start=FEB,
        period_end=date(2014, 2, 13),
        period_kind="to_date",
    )
    AttributionFactory(claim=current, source=sohr)
    AttributionFactory(claim=month, source=sohr)
    AttributionFactory(claim=rival, source=wire)
    AttributionFactory(claim=rival, source=sohr, role=Attribution.Role.CONTRADICTED_BY)
    return {"current": current, "month": month, "rival": rival}


def test_it_charts_every_figure_for_the_same_event_and_place(aleppo_claims):
    current = aleppo_claims["current"]
    homs = PlaceFactory(name="Homs")
    ClaimFactory(place=homs)  # another place
    ClaimFactory(event="injured")  # another event
    ClaimFactory(unit="buildings")  # another unit
    ClaimFactory(status=Status.RETRACTED)  # withdrawn
    ClaimFactory(value_low=None, qualifier="", text="Talks on a truce in Aleppo.")  # no figure

    chart = claim_timeline(current)

    expected = {c.pk for c in aleppo_claims.values()}
    assert {m.claim_id for m in chart.marks} == expected
    assert {r.claim_id for r in chart.rows} == expected
    assert mark_of(chart, current.pk).current
    assert row_of(chart, aleppo_claims["rival"].pk).sources == "Example Wire"
    assert chart.title == "People killed in Aleppo: the figures over time"
    assert chart.measure == "people killed"
    assert chart.dom_id == f"timeline-{current.pk}"


def test_it_marks_claims_in_unresolved_contradiction_flags(aleppo_claims):
    month, rival = aleppo_claims["month"], aleppo_claims["rival"]
    flag(Flag.Kind.VALUE_CONFLICT, month, rival, status=Flag.Status.ACKNOWLEDGED)
    flag(Flag.Kind.COUNT_DECREASED, month, rival, status=Flag.Status.RESOLVED)
    flag(Flag.Kind.DUPLICATE, aleppo_claims["current"], month)

    chart = claim_timeline(aleppo_claims["current"])

    assert {m.claim_id for m in chart.marks if m.flagged} == {month.pk, rival.pk}
    assert row_of(chart, rival.pk).flags == "value conflict"
    assert row_of(chart, aleppo_claims["current"].pk).flags == ""


def test_it_charts_a_claim_without_a_place_against_its_country(db):
    current = ClaimFactory(place=None, country="SY")
    same = ClaimFactory(place=None, country="SY", value_low=70, value_high=70)
    ClaimFactory(place=None, country="IQ")
    ClaimFactory()  # in Aleppo: a place is not the country as a whole

    assert {c.pk for c in timeline_claims(current)} == {current.pk, same.pk}
    assert claim_timeline(current).title == "People killed in SY: the figures over time"


def test_it_keeps_the_claim_itself_even_when_retracted_or_without_a_figure(db):
    retracted = ClaimFactory(status=Status.RETRACTED)
    other = ClaimFactory(value_low=80, value_high=80)
    assert {c.pk for c in timeline_claims(retracted)} == {retracted.pk, other.pk}
    talk = ClaimFactory(value_low=None, event="", qualifier="")
    chart = claim_timeline(talk)
    assert chart.empty and [r.claim_id for r in chart.rows] == [talk.pk]


def test_it_keeps_the_most_recent_claims_and_the_claim_itself(db):
    current = ClaimFactory(period_start=date(2014, 1, 1), period_end=date(2014, 1, 1))
    recent = [
        ClaimFactory(period_start=FEB + timedelta(days=i), period_end=FEB + timedelta(days=i))
        for i in range(5)
    ]
    kept = {c.pk for c in timeline_claims(current, limit=3)}
    assert kept == {current.pk, recent[4].pk, recent[3].pk}


def test_it_loads_the_timeline_in_four_queries(aleppo_claims, django_assert_num_queries):
    for i in range(10):
        claim = ClaimFactory(value_low=10 + i, value_high=20 + i, qualifier="range")
        AttributionFactory(claim=claim, source=SourceFactory(name=f"Monitor {i}"))
        flag(Flag.Kind.VALUE_CONFLICT, claim, aleppo_claims["month"])
    current = type(aleppo_claims["current"]).objects.get(pk=aleppo_claims["current"].pk)

    # the policy (how wide "about" is), claims with places, attributions, flags (the
    # open contradictions and the resolved conflicts that chose a desk figure)
    with django_assert_num_queries(4):
        chart = claim_timeline(current)
    assert len(chart.marks) == 13


# ---------------------------------------------------------------------------
# The partial


def test_it_renders_the_chart_and_its_table(aleppo_claims):
    flag(Flag.Kind.VALUE_CONFLICT, aleppo_claims["month"], aleppo_claims["rival"])
    odd = ClaimFactory(value_low=30, value_high=30, qualifier="exact")
    AttributionFactory(claim=odd, source=SourceFactory(name="<script>alert(1)</script>"))
    chart = claim_timeline(aleppo_claims["current"])

    html = render_to_string("claims/_timeline.html", {"chart": chart})

    # The wide drawing, the compact one for phones, then the table.
    svg, compact, table = html.split("</svg>", 2)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="timeline-svg wide" role="img"' in svg
    assert 'class="timeline-svg compact"' in compact and 'id="timeline-' in compact
    assert f'aria-labelledby="{chart.dom_id}-title {chart.dom_id}-desc"' in svg
    assert f'<title id="{chart.dom_id}-title">People killed in Aleppo' in svg
    assert f'width="{chart.width}"' in svg and f'viewBox="0 0 {chart.width} {chart.height}"' in svg
    assert "<caption" in table
    for claim in [*aleppo_claims.values(), odd]:
        assert f'href="/claims/{claim.pk}/"' in svg
        assert f'href="/claims/{claim.pk}/"' in table
    for words in ("at least 51", "about 400", "250", "Example Wire", "value conflict"):
        assert words in table
    assert "⚠" in svg and 'stroke-dasharray="4 3"' in svg
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert table.count("<tr") == 1 + len(chart.rows)
    assert 'aria-current="true"' in table


def test_it_renders_an_empty_chart_as_words(db):
    talk = ClaimFactory(value_low=None, event="", qualifier="")
    html = render_to_string("claims/_timeline.html", {"chart": claim_timeline(talk)})
    assert "<svg" not in html
    assert "Nothing to draw" in html
    assert f'href="/claims/{talk.pk}/"' in html
