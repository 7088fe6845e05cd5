"""A fact-checker reads how a figure moved, on a laptop and on a phone.

Two sources give the same month-to-date figure and a third a lower one; the clash was
resolved with a range. The chart keeps the two equal figures apart, draws the figure
the desk uses, lets its table grow with the page, and on a 390 px phone draws a
narrow chart whose labels stay readable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from claims import roles, services
from claims.checks import sync
from claims.models import Flag
from tests.browser.conftest import ARTIFACTS, log_in, shot
from tests.conftest import make_user
from tests.factories import AttributionFactory, ClaimFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"  # the personas' password in tests/factories.py
FEB_1, FEB_13 = dt.date(2014, 2, 1), dt.date(2014, 2, 13)


@pytest.fixture
def month() -> dict[str, Any]:
    checker = make_user(roles.CHECKER, "chris")
    claims = {}
    for name, grade, low, high, qualifier in (
        ("Observatory", "C", 360, 440, "approx"),
        ("Example Wire", "D", 360, 440, "approx"),
        ("Example Medical Network", "B", 250, 250, ""),
    ):
        claim = ClaimFactory(
            text=f"{name}: {low} to {high} people killed in Aleppo so far this month.",
            value_low=low,
            value_high=high,
            qualifier=qualifier,
            period_start=FEB_1,
            period_end=FEB_13,
            period_kind="to_date",
        )
        AttributionFactory(claim=claim, source=SourceFactory(name=name, grade=grade))
        claims[name] = claim
    sync.scan_contradictions()
    for flag in Flag.objects.filter(kind="value_conflict"):
        services.flag_resolve(
            flag=flag,
            actor=checker,
            note="Two counts of the same month: give both.",
            figure_low=250,
            figure_high=440,
            rule="range",
        )
    return {"checker": checker, **claims}


def _marks(page: Any, variant: str) -> list[dict[str, float]]:
    return page.eval_on_selector_all(
        f"svg.timeline-svg.{variant} a[data-claim]",
        """links => links.map(a => {
            const r = a.querySelector('rect').getBoundingClientRect();
            return {claim: +a.dataset.claim, x: r.x, width: r.width};
        })""",
    )


def _label_px(page: Any, variant: str) -> float:
    """The height on screen of the chart's 12-unit tick labels, in CSS pixels."""
    return page.eval_on_selector(
        f"svg.timeline-svg.{variant}",
        """svg => {
            const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
            return 12 * scale;
        }""",
    )


def test_the_chart_reads_on_a_laptop_and_on_a_phone(
    live_server: Any, page: Any, month: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    url = live_server.url
    log_in(page, url, "chris", PASSWORD)
    wire = month["Example Wire"]
    page.goto(f"{url}/claims/{wire.pk}/")
    chart = page.locator("figure.timeline-chart")
    expect(chart.locator("svg.timeline-svg.wide")).to_be_visible()
    expect(chart.locator("svg.timeline-svg.compact")).to_be_hidden()

    # The desk figure is on the page, drawn, and in the table.
    expect(page.locator("dd.desk-figure")).to_contain_text("250 to 440")
    assert chart.locator("svg.wide rect.desk-band").count() == 1  # one figure, one period
    expect(chart.locator("table")).to_contain_text("desk uses 250 to 440 (a range)")

    # The two equal figures are two marks side by side, not one blended one.
    marks = {m["claim"]: m for m in _marks(page, "wide")}
    twins = marks[month["Observatory"].pk], marks[wire.pk]
    assert abs(twins[0]["x"] - twins[1]["x"]) >= 3

    # The table grows with the page: no box of its own to scroll.
    box = chart.locator(".timeline-table")
    assert box.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    assert box.evaluate("el => getComputedStyle(el).overflowY") == "visible"
    shot(page, "chart-1-laptop")
    assert _label_px(page, "wide") >= 11

    # On a phone: the narrow drawing, labels still readable, nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(chart.locator("svg.timeline-svg.compact")).to_be_visible()
    expect(chart.locator("svg.timeline-svg.wide")).to_be_hidden()
    assert _label_px(page, "compact") >= 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    marks = {m["claim"]: m for m in _marks(page, "compact")}
    assert abs(marks[month["Observatory"].pk]["x"] - marks[wire.pk]["x"]) >= 3
    expect(chart.locator("table")).to_contain_text("Example Medical Network")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(ARTIFACTS / "chart-2-phone-390.png"))
    shot(page, "chart-3-phone-page")
