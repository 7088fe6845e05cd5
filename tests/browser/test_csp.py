"""Under the Content-Security-Policy every page still looks and works as it did.

The policy refuses inline scripts, inline styles and eval. A page that still had one
would lose its style or behaviour quietly; Chromium says so in the console, so this
journey walks the desk's pages, the API docs and the admin, and reads the console.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from claims import roles
from claims.models import Claim, Flag, Source, Story
from claims.parsing import warm_up
from tests.browser.conftest import log_in, shot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"  # the personas' password in tests/factories.py


def _is_violation(text: str) -> bool:
    return "Content Security Policy" in text or "Refused to" in text


@pytest.fixture
def console(page: Any) -> Iterator[list[str]]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
    # Violations are also events in the page; listen before any of its scripts run.
    page.add_init_script(
        """document.addEventListener("securitypolicyviolation", e =>
            console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));"""
    )
    yield messages


@pytest.fixture
def desk() -> dict[str, Any]:
    call_command("load_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    warm_up()
    return {
        "editor": make_user(roles.EDITOR, "eddie"),
        "admin": make_user(roles.ADMIN, "ada"),
    }


def _visit(page: Any, url: str, console: list[str]) -> None:
    response = page.goto(url)
    assert response.status < 400, url
    assert "default-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    violations = [m for m in console if _is_violation(m) or m.startswith("pageerror")]
    assert violations == [], url


def test_it_runs_every_page_under_the_policy(live_server, page, console, desk):
    from playwright.sync_api import expect

    base = live_server.url
    log_in(page, base, "eddie", PASSWORD)
    story = Story.objects.order_by("pk").first()
    claim = Claim.objects.filter(story=story).order_by("pk").first()
    source = Source.objects.order_by("pk").first()
    flag = Flag.objects.order_by("pk").first()
    assert story and claim and source
    pages = [
        "/",
        "/stories/",
        f"/stories/{story.pk}/",
        f"/claims/{claim.pk}/",
        "/queue/new/",
        "/flags/",
        "/sources/",
        f"/sources/{source.pk}/",
        "/draft/",
        "/queue/corrections/",
        f"/claims/{claim.pk}/dossier/",
        "/reviews/",
    ]
    if flag:
        pages.append(f"/flags/{flag.pk}/")
    for url in pages:
        _visit(page, base + url, console)

    # The claim page's chart keeps its size without an inline style.
    _visit(page, f"{base}/claims/{claim.pk}/", console)
    if page.locator("svg.timeline-svg.wide").count():
        width = page.eval_on_selector(
            "svg.timeline-svg.wide", "s => s.getBoundingClientRect().width"
        )
        assert 0 < width <= 760
    shot(page, "csp-claim")

    # The claim form reads as the editor types (htmx, now without eval or injected style),
    # and a refused reading still swaps its messages in (the moved hx-on handler).
    _visit(page, f"{base}/claims/new/", console)
    box = page.locator("#id_text")
    with page.expect_response("**/claims/read/") as read:
        box.fill("About 400 people were killed in Aleppo so far this month, the Observatory said.")
    assert read.value.status == 200
    expect(page.locator("#reading-summary")).to_contain_text("about 400")
    expect(page.locator("#id_value_low")).to_have_value("360")
    with page.expect_response("**/claims/read/") as read:
        box.fill("Killed in Aleppo. " * 300)
    assert read.value.status == 400
    expect(page.locator("#reading-summary")).to_contain_text("more than 5,000 characters")
    shot(page, "csp-claim-form")

    # The API docs: Swagger UI draws the operations from its script file.
    _visit(page, f"{base}/api/docs/", console)
    page.wait_for_selector(".opblock", timeout=20_000)
    shot(page, "csp-api-docs")
    assert [m for m in console if _is_violation(m)] == []


def test_it_runs_the_admin_and_login_pages_under_the_policy(live_server, page, console, desk):
    base = live_server.url
    _visit(page, f"{base}/login/", console)
    log_in(page, base, "ada", PASSWORD)
    for url in ("/admin/", "/admin/claims/claim/", "/admin/claims/source/"):
        _visit(page, base + url, console)
    shot(page, "csp-admin")

    # A locked account's message on the login page, itself under the policy.
    context = page.context
    context.clear_cookies()
    for _ in range(5):
        page.goto(f"{base}/login/")
        page.get_by_label("Username").fill("eddie")
        page.get_by_label("Password").fill("wrong-password")
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
    assert "Too many failed logins" in page.inner_text("main")
    shot(page, "csp-locked")
    assert [m for m in console if _is_violation(m)] == []
