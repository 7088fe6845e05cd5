"""A conflicting figure is entered in the browser; the scan flags it with no manual step,
the flag shows on the claim page and the chart marks the clash.

With PostgreSQL and Redis (CI) a real Celery worker, sharing the test database,
runs the scan that saving the claim queues. On a laptop without them the scan
runs eagerly inside the live server, as `make test` runs every task there.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest

from claims import roles, services
from claims.checks import sync
from claims.models import Claim, Flag
from claims.parsing import warm_up
from tests.browser.conftest import log_in, shot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"  # the personas' password in tests/factories.py


@pytest.fixture
def desk() -> dict[str, Any]:
    admin = make_user(roles.ADMIN, "ada")
    editor = make_user(roles.EDITOR, "eddie")
    services.source_create(
        actor=admin,
        name="Syrian Observatory for Human Rights",
        kind="monitor",
        grade="C",
        aliases=["Observatory", "SOHR"],
    )
    services.source_create(
        actor=admin, name="Example Wire", kind="media", grade="D", aliases=["ExampleWire"]
    )
    observatory = services.claim_create(
        actor=editor,
        text="The Observatory said at least 51 people were killed in Aleppo yesterday.",
        reported_on=dt.date(2014, 2, 13),
        read_text=True,
    )
    assert (observatory.value_low, observatory.period_start) == (51, dt.date(2014, 2, 12))
    sync.scan_contradictions()
    assert not Flag.objects.exists()  # nothing to flag yet
    warm_up()
    return {"editor": editor, "observatory": observatory}


def wait_for_flag(timeout: float = 30) -> Flag:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        flag = Flag.objects.filter(kind="value_conflict", status="open").first()
        if flag is not None:
            return flag
        time.sleep(0.2)
    pytest.fail(f"no value_conflict flag after {timeout} s")


def test_a_conflicting_figure_is_flagged_on_the_claim_page_and_the_chart(
    live_server: Any, page: Any, tasks: str, desk: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    url = live_server.url
    log_in(page, url, "eddie", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="New claim").click()
    page.get_by_label("Reported on").fill("2014-02-13")
    words = page.get_by_label("The claim, as the copy has it")
    words.press_sequentially(
        "Between 20 and 30 people were killed in Aleppo on Wednesday, per Example Wire",
        delay=10,
    )
    summary = page.locator("#reading-summary")
    expect(summary).to_contain_text("20")
    expect(summary).to_contain_text("12 Feb 2014")
    shot(page, "flag-1-entry")
    page.get_by_role("button", name="Save claim").click()
    page.wait_for_url(re.compile(r"/claims/\d+/$"))
    wire = Claim.objects.exclude(pk=desk["observatory"].pk).get()
    assert (wire.value_low, wire.value_high, wire.period_start) == (20, 30, dt.date(2014, 2, 12))
    assert [a.source.name for a in wire.attributions.all()] == ["Example Wire"]

    # No one runs a scan by hand: saving queued it, and the worker (or the server) ran it.
    flag = wait_for_flag()
    assert set(flag.claims.values_list("pk", flat=True)) == {wire.pk, desk["observatory"].pk}

    page.reload()
    flags = page.locator("section", has=page.get_by_role("heading", name="Open flags"))
    expect(flags).to_contain_text("Value conflict")
    expect(flags).to_contain_text("at least 51")
    # The chart marks both claims as contradicted, and says so in its table.
    chart = page.locator("figure.timeline-chart")
    # The wide drawing on a laptop (the compact one is for phones).
    expect(chart.locator("svg.timeline-svg.wide")).to_be_visible()
    expect(chart.locator("table")).to_contain_text("value conflict")
    assert chart.locator("svg.wide text", has_text="⚠").count() >= 2
    shot(page, "flag-2-claim-page")

    # The flag's own page links both claims.
    flags.get_by_role("link", name="Value conflict").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Value conflict")
    expect(page.locator("table.claims")).to_contain_text("Between 20 and 30")
    expect(page.locator("table.claims")).to_contain_text("at least 51")
    shot(page, "flag-3-flag-page")
