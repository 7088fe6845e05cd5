"""Smaller defects of the record: the decision note beside the status, evidence links
typed without a scheme, the flag page's grades and evidence, a lower running count
not called superseded, the favicon, and a README that stands on its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from claims import services
from claims.checks import Policy, find_contradictions
from claims.checks.types import COUNT_DECREASED, SUPERSEDED
from claims.models import Evidence
from tests.checks.facts import about_400_this_month, kinds, month_to_date
from tests.factories import EvidenceFactory, SourceFactory

POLICY = Policy()


# ---------------------------------------------------------------------------
# The decision note


@pytest.mark.django_db
def test_the_decision_note_stands_beside_the_status(client, checker, conflict):
    claim = conflict.claims.order_by("pk").first()
    services.claim_transition(claim=claim, actor=checker, to="in_review")
    EvidenceFactory(claim=claim)
    services.claim_transition(
        claim=claim, actor=checker, to="attributed", note="Only the Observatory counts it."
    )
    client.force_login(checker)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    state = page[page.index('<p class="state">') :]
    state = state[: state.index("</p>")]
    assert "Attributed" in state and "Only the Observatory counts it." in state


@pytest.mark.django_db
def test_an_undecided_claim_shows_no_decision(client, checker, conflict):
    claim = conflict.claims.order_by("pk").first()
    services.claim_transition(claim=claim, actor=checker, to="in_review", note="Mine.")
    client.force_login(checker)
    assert client.get(f"/claims/{claim.pk}/").context["decision"] is None


# ---------------------------------------------------------------------------
# Evidence links without a scheme


@pytest.mark.django_db
def test_an_evidence_link_without_a_scheme_is_taken_with_https(client, checker, conflict):
    claim = conflict.claims.order_by("pk").first()
    client.force_login(checker)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    # The browser must not refuse it before the desk sees it.
    assert 'name="url"' in page and 'type="url"' not in page
    r = client.post(
        f"/claims/{claim.pk}/evidence/", {"url": "www.example.org/report", "stance": "supports"}
    )
    assert r.status_code == 302
    assert Evidence.objects.get(claim=claim).url == "https://www.example.org/report"


@pytest.mark.django_db
def test_a_link_that_is_no_url_is_still_refused(client, checker, conflict):
    claim = conflict.claims.order_by("pk").first()
    client.force_login(checker)
    r = client.post(f"/claims/{claim.pk}/evidence/", {"url": "not a link", "stance": "supports"})
    assert r.status_code == 400
    assert not Evidence.objects.exists()


# ---------------------------------------------------------------------------
# The flag page


@pytest.mark.django_db
def test_the_flag_page_shows_the_sources_grades_and_the_evidence(client, checker, conflict):
    sohr, wire = conflict.claims.order_by("pk")
    EvidenceFactory(
        claim=sohr,
        url="https://www.example.org/names",
        excerpt="A list of the names of the dead.",
        source=SourceFactory(name="Local Council", grade="B"),
    )
    client.force_login(checker)
    page = client.get(f"/flags/{conflict.pk}/").content.decode()
    assert "Observatory" in page and "fairly reliable" in page  # grade C
    assert "Example Wire" in page and "not usually reliable" in page  # grade D
    assert "https://www.example.org/names" in page and "A list of the names of the dead." in page
    assert "Local Council" in page


@pytest.mark.django_db
def test_the_flag_page_reads_the_evidence_in_one_query(
    client, checker, conflict, django_assert_max_num_queries
):
    for claim in conflict.claims.all():
        for n in range(3):
            EvidenceFactory(claim=claim, url=f"https://www.example.org/{claim.pk}/{n}")
    client.force_login(checker)
    client.get(f"/flags/{conflict.pk}/")
    # session, user, roles; flag, claims, attributions, events; evidence; the policy
    with django_assert_max_num_queries(10):
        assert client.get(f"/flags/{conflict.pk}/").status_code == 200


# ---------------------------------------------------------------------------
# Superseded only by a count that did not fall


def test_a_lower_newer_running_count_is_a_decrease_not_a_supersession():
    lower = month_to_date(3, 300, 300, period_end=dt.date(2014, 2, 15))
    assert kinds(find_contradictions([about_400_this_month(2), lower], POLICY)) == [COUNT_DECREASED]


def test_a_higher_newer_running_count_still_supersedes():
    higher = month_to_date(3, 450, 450, period_end=dt.date(2014, 2, 15))
    assert kinds(find_contradictions([about_400_this_month(2), higher], POLICY)) == [SUPERSEDED]


# ---------------------------------------------------------------------------
# The favicon


@pytest.mark.django_db
def test_the_favicon_is_served_and_linked(client, editor):
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert b"".join(r.streaming_content if r.streaming else [r.content])[:4] == b"\x00\x00\x01\x00"
    client.force_login(editor)
    assert 'rel="icon"' in client.get("/").content.decode()


# ---------------------------------------------------------------------------
# The README


def test_the_readme_names_no_file_outside_the_repo():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    assert "DESIGN.md" not in readme
    rules = readme[readme.index("## Rules") :]
    for topic in ("interval", "time frame", "value_conflict", "count_decreased", "superseded"):
        assert topic in rules


# ---------------------------------------------------------------------------
# Text longer than the claim box


@pytest.mark.django_db
def test_a_claim_longer_than_the_box_is_a_clear_400_that_keeps_the_words(client, editor):
    client.force_login(editor)
    words = "About 400 people were killed in Aleppo so far this month, " * 90  # 5,400
    r = client.post("/claims/new/", {"text": words, "reported_on": "2014-02-13"})
    assert r.status_code == 400
    page = r.content.decode()
    assert "more than 5,000 characters" in page
    assert words.strip()[:200] in page  # nothing cut: the editor shortens it


# ---------------------------------------------------------------------------
# The timeline chart's equal figures


def _twin(claim_id: int, source: str, start: dt.date, end: dt.date):  # type: ignore[no-untyped-def]
    from claims.charts import ChartPoint

    return ChartPoint(
        claim_id=claim_id,
        label="About 400 killed.",
        value_low=360,
        value_high=440,
        qualifier="approx",
        period_start=start,
        period_end=end,
        period_kind="to_date",
        sources=(source,),
    )


@pytest.mark.parametrize("days", [0, 12])  # a single day, too narrow to share; a month
def test_equal_figures_from_two_sources_are_two_visible_marks(days):
    from claims.charts import build_chart

    start = dt.date(2014, 2, 1)
    end = start + dt.timedelta(days=days)
    chart = build_chart([_twin(1, "Observatory", start, end), _twin(2, "Example Wire", start, end)])
    first, second = sorted(chart.marks, key=lambda m: m.claim_id)
    assert first.colour != second.colour
    assert abs(first.x - second.x) >= 3  # each colour shows, neither hides the other
    assert (first.y, first.height) == (second.y, second.height)  # the same figure
