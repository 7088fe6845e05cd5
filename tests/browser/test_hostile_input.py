"""Stored text that tries to be markup stays text, on every page that shows it.

Each stored text field a page shows (claim text and time words, edit and transition
notes, comments, evidence links and excerpts, source names, aliases and notes, place
names, story headlines, bylines and bodies, rejection and flag notes, and the flag
messages made from claims) is written through the desk's own writes with payloads
that close a script, an attribute, a title or a text box and then try to run. Every
page that shows them, and the searches that echo what was typed, are then loaded in
Chromium with the Content-Security-Policy switched off, so that the escaping alone
is what is proved: no payload runs (`window.__pwned` stays undefined, no dialog
opens, no element a payload would add exists) and the payloads are shown as text.
Links stored before the web-address rule (`javascript:` in a row older than it)
never become links either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from claims import roles, selectors, services
from claims.checks import sync
from claims.models import Evidence, Flag, Source, Story
from tests.browser.conftest import log_in, shot
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-word-123"  # the personas' password in tests/factories.py

# Each closes what the text may sit in (an element, an attribute in either quotes, a
# <title> in the chart, a <textarea> in a form) and then tries to run.
SCRIPT = "</title></textarea></script><script>window.__pwned=1</script>"
ATTRIBUTE = '"><img src=x onerror="window.__pwned=1">'
SINGLE = "'><svg onload=alert(1)>"
LINK = "javascript:window.__pwned=1"
HOSTILE = f"{SCRIPT} {ATTRIBUTE} {SINGLE} {LINK}"
SHORT = f"{SCRIPT} {ATTRIBUTE}"[:100]
# A web address the URL rule takes (no spaces) that still tries to leave its attribute.
HOSTILE_URL = 'https://example.org/report?q="><img/src=x/onerror=window.__pwned=1>'

# What a page shows must not contain: a payload that became markup, or ran.
PROBE = """() => {
  const attrs = [...document.querySelectorAll("*")].flatMap(el => [...el.attributes]);
  return {
    pwned: typeof window.__pwned,
    scripts: [...document.scripts].filter(s => s.textContent.includes("__pwned")).length,
    injected: document.querySelectorAll('img[src="x"], svg[onload], img[onerror]').length,
    handlers: attrs.filter(a => a.name.startsWith("on") && a.value.includes("pwned")).length,
    links: [...document.querySelectorAll("a[href], area[href], form[action], iframe[src]")]
      .map(el => (el.getAttribute("href") || el.getAttribute("action") ||
                  el.getAttribute("src") || "").trim().toLowerCase())
      .filter(href => href.startsWith("javascript:") || href.startsWith("data:")).length,
    // As text on the page, or as what a form's box holds.
    shown: document.body.innerText.includes("window.__pwned=1") ||
      [...document.querySelectorAll("input, textarea, option")]
        .some(el => (el.value + el.textContent).includes("window.__pwned=1")),
  };
}"""
SAFE = {"pwned": "undefined", "scripts": 0, "injected": 0, "handlers": 0, "links": 0}


def _text(tag: str, payload: str = HOSTILE) -> str:
    return f"{tag} {payload}"


@pytest.fixture
def desk() -> dict[str, Any]:
    """Every kind of stored text, each carrying the payloads, written as the desk writes."""
    editor = make_user(roles.EDITOR, "eddie")
    checker = make_user(roles.CHECKER, "chris")
    admin = make_user(roles.ADMIN, "ada")
    source = services.source_create(
        actor=admin,
        name=_text("Monitor")[:200],
        kind=Source.Kind.MONITOR,
        grade="C",
        url=HOSTILE_URL,
        notes=_text("Notes on the monitor"),
        aliases=[_text("Alias")[:200]],
    )
    wire = services.source_create(
        actor=admin, name="Example Wire", kind=Source.Kind.WIRE, grade="D"
    )
    published = dt.datetime(2014, 2, 13, 12, 0, tzinfo=dt.UTC)
    body = (
        "At least 12 people were killed in Aleppo on Wednesday, the monitor said. "
        f"{_text('The copy went on:')}\n\nAbout 30 were injured, medics said."
    )
    story = services.story_create(
        actor=editor,
        headline=_text("Headline")[:300],
        body=body,
        byline=_text("By")[:200],
        desk=SHORT,
        url=HOSTILE_URL,
        status=Story.Status.DRAFT,
        published_at=published,
    )
    place = services.PlaceName(name=_text("Aleppo")[:200], country="SY")
    day = dt.date(2014, 2, 12)
    claim = services.claim_create(
        actor=editor,
        text=_text("At least 12 people were killed, the monitor said."),
        story=story,
        reported_on=dt.date(2014, 2, 13),
        value_low=12,
        qualifier="at_least",
        event="killed",
        place=place,
        period_start=day,
        period_end=day,
        time_expression=_text("on Wednesday")[:200],
        sources=[source.pk],
    )
    rival = services.claim_create(
        actor=editor,
        text=_text("Between 3 and 5 were killed, the wire said."),
        reported_on=dt.date(2014, 2, 13),
        value_low=3,
        value_high=5,
        qualifier="range",
        event="killed",
        place=place,
        period_start=day,
        period_end=day,
        sources=[wire.pk],
        source_text=_text("the wire")[:200],
    )
    claim = services.claim_update(
        claim=claim,
        actor=editor,
        version=claim.version,
        changes={"normalised": _text("Normalised")},
        note=_text("Edit note"),
    )
    claim = services.claim_transition(
        claim=claim, actor=checker, to="in_review", note=_text("Taking it")
    )
    evidence = services.evidence_add(
        claim=claim,
        actor=checker,
        url=HOSTILE_URL,
        excerpt=_text("Excerpt"),
        archived_url=HOSTILE_URL,
    )
    services.comment_add(claim=claim, actor=checker, body=_text("Comment"))
    found = selectors.story_candidates(story=Story.objects.get(pk=story.pk))
    open_one = next(f.candidate for f in found if f.claim_id is None and f.rejection is None)
    services.candidate_reject(
        story=story,
        start=open_one.start,
        end=open_one.end,
        actor=editor,
        note=_text("Rejected because"),
    )
    sync.scan_contradictions()
    flag = Flag.objects.filter(claims=claim).order_by("pk").first()
    assert flag is not None, "the two claims contradict each other"
    services.flag_acknowledge(flag=flag, actor=checker, note=_text("Flag note"))
    return {
        "claim": claim,
        "rival": rival,
        "story": story,
        "source": source,
        "flag": flag,
        "evidence": evidence,
    }


def _check(page: Any, url: str, fired: list[str], *, shown: bool = True) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("networkidle")
    found = page.evaluate(PROBE)
    assert {k: found[k] for k in SAFE} == SAFE, (url, found)
    assert fired == [], (url, fired)
    if shown:
        assert found["shown"], f"{url} should show the payload as text"


@pytest.fixture
def csp_off(chromium: Any) -> Iterator[Any]:
    """A page whose browser ignores the Content-Security-Policy: the escaping alone must hold."""
    context = chromium.new_context(viewport={"width": 1280, "height": 860}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_no_stored_payload_runs_on_any_page(live_server, csp_off, desk):
    page = csp_off
    fired: list[str] = []
    page.on("dialog", lambda d: (fired.append(f"dialog: {d.message}"), d.dismiss()))
    base = live_server.url
    log_in(page, base, "ada", PASSWORD)
    claim, story, source, flag = desk["claim"], desk["story"], desk["source"], desk["flag"]
    q = quote(HOSTILE)
    pages = [
        "/",
        "/stories/",
        f"/stories/{story.pk}/",
        f"/stories/{story.pk}/?show=open",
        f"/stories/{story.pk}/edit/",
        f"/claims/{claim.pk}/",
        f"/claims/{desk['rival'].pk}/",
        f"/claims/{claim.pk}/edit/",
        f"/claims/new/?story={story.pk}",
        "/queue/new/",
        "/queue/mine/",
        "/queue/flagged/",
        "/queue/stale/",
        "/flags/",
        f"/flags/{flag.pk}/",
        "/sources/",
        f"/sources/{source.pk}/",
        "/admin/claims/source/",
        f"/admin/claims/source/{source.pk}/change/",
        "/admin/claims/story/",
        f"/admin/claims/story/{story.pk}/change/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        "/admin/claims/flag/",
        "/admin/claims/comment/",
        "/admin/claims/candidaterejection/",
    ]
    for url in pages:
        # The queues a claim in review is not in, and the admin lists of flags and
        # rejections, show no payload of their own; nothing may run there either.
        quiet = url in ("/queue/new/", "/queue/stale/", "/queue/mine/", "/admin/claims/flag/")
        _check(page, base + url, fired, shown=not quiet)
    # What was typed into a search comes back in the page: as text too.
    for url in (f"/sources/?q={q}", f"/stories/?q={q}", f"/queue/new/?q={q}", f"/flags/?q={q}"):
        _check(page, base + url, fired)
    _check(page, f"{base}/sources/search/?q={q}", fired, shown=False)
    shot(page, "hostile-input-last-page")


def test_a_draft_with_payloads_is_shown_as_text(live_server, csp_off, desk):
    page = csp_off
    fired: list[str] = []
    page.on("dialog", lambda d: (fired.append(f"dialog: {d.message}"), d.dismiss()))
    base = live_server.url
    log_in(page, base, "eddie", PASSWORD)
    page.goto(f"{base}/draft/")
    page.get_by_label("Draft copy").fill(
        f"At least 12 people were killed in Aleppo on Wednesday. {HOSTILE}"
    )
    page.get_by_label("Date of the copy").fill("2014-02-13")
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state("networkidle")
    found = page.evaluate(PROBE)
    assert {k: found[k] for k in SAFE} == SAFE, found
    assert fired == []


def test_a_back_link_never_runs_what_next_says(live_server, csp_off, desk):
    page = csp_off
    base = live_server.url
    log_in(page, base, "chris", PASSWORD)
    flag = desk["flag"]
    page.goto(f"{base}/flags/{flag.pk}/?next={quote(LINK)}")
    page.get_by_role("link", name="← Flags").click()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.url == f"{base}/flags/"


def test_links_stored_before_the_web_address_rule_never_become_links(live_server, csp_off, desk):
    # Rows older than the rule may still hold such links: written past validation here.
    Evidence.objects.filter(pk=desk["evidence"].pk).update(url=LINK, archived_url=LINK)
    Source.objects.filter(pk=desk["source"].pk).update(url=LINK)
    Story.objects.filter(pk=desk["story"].pk).update(url=f"  {LINK.upper()}")
    page = csp_off
    fired: list[str] = []
    page.on("dialog", lambda d: (fired.append(f"dialog: {d.message}"), d.dismiss()))
    base = live_server.url
    log_in(page, base, "ada", PASSWORD)
    claim, flag = desk["claim"], desk["flag"]
    for url in (
        f"/claims/{claim.pk}/",
        f"/flags/{flag.pk}/",
        f"/sources/{desk['source'].pk}/",
        f"/stories/{desk['story'].pk}/",
    ):
        _check(page, base + url, fired)


def test_the_probe_sees_a_payload_that_was_not_escaped(csp_off):
    # The same probe on the payloads written raw into a page: it must see them run,
    # or the checks above would prove nothing.
    page = csp_off
    fired: list[str] = []
    page.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
    page.set_content(f"<p title='{SINGLE}'>x</p><p>{HOSTILE}</p><a href='{LINK}'>go</a>")
    page.wait_for_function("typeof window.__pwned !== 'undefined'")
    found = page.evaluate(PROBE)
    assert found["pwned"] == "number"
    assert found["scripts"] and found["injected"] and found["handlers"] and found["links"]
    page.wait_for_timeout(200)
    assert fired and set(fired) == {"1"}
