"""A claim's dossier: one self-contained document for desk users of any role, with the
claim, its reading, sources and grades, evidence with capture hashes and archive links,
flags and how they were resolved, the full history and the comments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claims import services
from claims.checks import sync
from claims.models import Flag
from tests.factories import AttributionFactory, ClaimFactory, SourceFactory
from tests.publishing import decided_claim, published_story
from tests.test_headers import inline_code

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def claim(checker, editor):  # type: ignore[no-untyped-def]
    claim = decided_claim(checker, story=published_story(editor))
    services.comment_add(claim=claim, actor=editor, body="The stringer confirms the market name.")
    services.review_publish(claim=claim, actor=checker, summary="One monitor's count.")
    return claim


def dossier(client, user, claim):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(f"/claims/{claim.pk}/dossier/")


@pytest.mark.parametrize("role", ["editor", "checker", "admin"])
def test_every_desk_role_reads_it(client, claim, role, request):
    r = dossier(client, request.getfixturevalue(role), claim)
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/html")
    assert "no-store" in r["Cache-Control"] or "max-age=0" in r["Cache-Control"]


def test_outsiders_and_strangers_do_not(client, claim, outsider):
    assert dossier(client, outsider, claim).status_code == 404
    client.logout()
    r = client.get(f"/claims/{claim.pk}/dossier/")
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert client.post(f"/claims/{claim.pk}/dossier/").status_code == 405


def test_it_holds_everything_on_record(client, claim, checker):
    wire = ClaimFactory(
        text="Between 20 and 30 were killed in Aleppo on Wednesday, medics said.",
        value_low=20,
        value_high=30,
        qualifier="range",
    )
    AttributionFactory(claim=wire, source=SourceFactory(name="Example Wire", grade="D"))
    sync.scan_contradictions()
    conflict = Flag.objects.get(claims=claim, kind="value_conflict")
    services.flag_resolve(
        flag=conflict,
        actor=checker,
        note="The wire's count is the lower one.",
        figure_low=20,
        figure_high=30,
        rule="lowest_credible",
    )
    html = dossier(client, checker, claim).content.decode()
    # The claim and its reading
    assert "At least 51 people were killed in Aleppo on Wednesday" in html
    assert "at least 51 killed" in html and "51 or more" in html
    assert "Aleppo (SY)" in html and "12 Feb 2014" in html
    assert "Mostly true (4 on Desk verdicts, 1–5)" in html
    # Sources with grades
    assert "Syrian Observatory for Human Rights" in html and "C: fairly reliable" in html
    # Evidence with capture hash and archive link
    assert "https://www.syriahr.com/en/aleppo-market-12-february" in html
    assert "https://archive.example.org/2014/syriahr-aleppo-market" in html
    assert "ab" * 32 in html and "HTTP 200" in html
    # Flags and how they were resolved
    assert f"Flag {conflict.pk}: value conflict" in html
    assert "lowest credible figure" in html and "The wire&#x27;s count is the lower one." in html
    # The full history, with notes, and the comments
    assert "Only the Observatory counts this; publish with attribution." in html
    assert "review published" in html and "One monitor&#x27;s count." in html
    assert "The stringer confirms the market name." in html


def test_it_stands_alone(client, claim, checker):
    html = dossier(client, checker, claim).content.decode()
    assert inline_code(html) == []
    assert "<script" not in html
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheets == ["/static/css/dossier.css"]
    # Nothing fetched from elsewhere: every src and stylesheet is on this site.
    assert not re.search(r'\s(?:src|href)="(?:https?:)?//', html.split("<body>")[0])
    assert "@media print" in (ROOT / "static" / "css" / "dossier.css").read_text()


def test_a_claim_with_no_figure_flags_or_evidence(client, editor):
    bare = ClaimFactory(
        text="Talks on extending the Homs truce resumed.",
        value_low=None,
        qualifier="",
        event="",
        place=None,
        period_start=None,
        period_end=None,
        period_kind="",
    )
    html = dossier(client, editor, bare).content.decode()
    assert "no figure" in html and "No evidence." in html
    assert "No flag ever named this claim." in html and "No comments." in html
    assert not Flag.objects.exists()
