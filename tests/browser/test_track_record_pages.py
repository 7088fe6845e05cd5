"""A source's track record under the Content-Security-Policy: the source page and its
admin page draw the chart with no script and no inline style, and no console error."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from claims import roles
from claims.models import Attribution
from tests.browser.conftest import log_in, shot
from tests.conftest import make_user
from tests.factories import AttributionFactory, ClaimFactory, SourceFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"  # the personas' password in tests/factories.py


def test_the_track_record_draws_under_the_policy(page: Any, live_server: Any) -> None:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    make_user(roles.ADMIN, "ada")
    wire = SourceFactory(name="Example Wire", grade="B")
    for month, status in [(1, "verified"), (1, "false"), (3, "disputed"), (4, "attributed")]:
        claim = ClaimFactory(status=status, reported_on=dt.date(2014, month, 9))
        AttributionFactory(claim=claim, source=wire, role=Attribution.Role.ATTRIBUTED_TO)
    log_in(page, live_server.url, "ada", PASSWORD)
    page.goto(f"{live_server.url}/sources/{wire.pk}/")
    chart = page.locator("svg.track-svg")
    assert chart.is_visible()
    assert chart.locator("rect title").all_text_contents()[:2] == [
        "Jan 2014: 1 verified",
        "Jan 2014: 1 false",
    ]
    assert chart.bounding_box()["width"] <= page.viewport_size["width"]
    shot(page, "track-record-source")
    page.goto(f"{live_server.url}/admin/claims/source/{wire.pk}/change/")
    assert page.locator(".track-record svg.track-svg").is_visible()
    shot(page, "track-record-admin")
    assert [m for m in messages if m.startswith("error")] == []
