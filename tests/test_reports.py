"""The time-in-stage report (`/reports/` and its CSV) computed from a fixed history:
exact medians and 90th percentiles by week, fact-checker and topic, the filters, who may
see it, bad filters, and its pinned queries."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from claims.models import Claim, ClaimEvent, Topic
from claims.selectors import reports
from claims.stages import Stage, Summary
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

H = 3600.0
W1 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # Monday 2 Nov 2026, 09:00
W2 = W1 + timedelta(days=7)
RANGE = {"start": "2026-11-02", "end": "2026-11-09"}


def logged(at: datetime, *topics: Topic) -> Claim:
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(created_at=at)
    claim.topics.set(topics)
    return claim


def moved(claim: Claim, to: str, at: datetime, actor, frm: str = "") -> None:  # type: ignore[no-untyped-def]
    event = ClaimEvent.objects.create(
        claim=claim, actor=actor, kind="transition", from_status=frm, to_status=to, note="x"
    )
    ClaimEvent.objects.filter(pk=event.pk).update(at=at)


@pytest.fixture
def history(checker, other_checker):  # type: ignore[no-untyped-def]
    """Five claims, their stages in hours (chris is `checker`, casey `other_checker`):

    claim  topics       waiting       review          to decision
    A      Aleppo       2 chris W1    4 chris W1      6 chris W1
    B      Aleppo Homs  4 casey W1    8 casey W1      12 casey W1
    C      -            6 chris W1    10 chris W1     16 chris W1
    D      -            1 chris W2    (in review)     -
    E      Homs         3 casey W1    117 casey W2    120 casey W2
    """
    aleppo, homs = Topic.objects.create(name="Aleppo"), Topic.objects.create(name="Homs")
    chris, casey = checker, other_checker
    a = logged(W1, aleppo)
    moved(a, "in_review", W1 + 2 * timedelta(hours=1), chris, "new")
    moved(a, "verified", W1 + timedelta(hours=6), chris, "in_review")
    b = logged(W1 + timedelta(hours=1), aleppo, homs)
    moved(b, "in_review", W1 + timedelta(hours=5), casey, "new")
    moved(b, "false", W1 + timedelta(hours=13), casey, "in_review")
    c = logged(W1 + timedelta(days=1))
    moved(c, "in_review", W1 + timedelta(days=1, hours=6), chris, "new")
    moved(c, "disputed", W1 + timedelta(days=1, hours=16), chris, "in_review")
    d = logged(W2)
    moved(d, "in_review", W2 + timedelta(hours=1), chris, "new")
    e = logged(W1 + timedelta(days=2), homs)
    moved(e, "in_review", W1 + timedelta(days=2, hours=3), casey, "new")
    moved(e, "attributed", W2, casey, "in_review")
    return {"aleppo": aleppo, "homs": homs, "chris": chris, "casey": casey}


def s(count: int, median_h: float, p90_h: float) -> Summary:
    return Summary(count, median_h * H, p90_h * H)


def report(user, **kw):  # type: ignore[no-untyped-def]
    return reports.stage_report(
        user=user, first_day=W1.date(), last_day=W2.date() + timedelta(days=6), **kw
    )


# ---------------------------------------------------------------------------
# The figures


def test_it_gives_each_week_its_medians_and_90th_percentiles(checker, history):
    r = report(checker)
    assert [row.key for row in r.rows] == [W1.date(), W2.date()]
    w1, w2 = (row.stages for row in r.rows)
    assert w1 == {
        Stage.WAITING: s(4, 3.5, 6),  # 2, 3, 4, 6
        Stage.REVIEW: s(3, 8, 10),  # 4, 8, 10
        Stage.TO_DECISION: s(3, 12, 16),  # 6, 12, 16
    }
    assert w2 == {
        Stage.WAITING: s(1, 1, 1),
        Stage.REVIEW: s(1, 117, 117),
        Stage.TO_DECISION: s(1, 120, 120),
    }
    # The total is over every stage once: 1, 2, 3, 4, 6 waited.
    assert r.total.stages[Stage.WAITING] == s(5, 3, 6)
    assert r.total.stages[Stage.TO_DECISION] == s(4, 14, 120)  # 6, 12, 16, 120


def test_it_credits_each_stage_to_the_fact_checker_who_ended_it(checker, history):
    r = report(checker, by=reports.CHECKER)
    assert [row.label for row in r.rows] == ["casey", "chris"]
    casey, chris = (row.stages for row in r.rows)
    assert chris == {
        Stage.WAITING: s(3, 2, 6),  # 1, 2, 6
        Stage.REVIEW: s(2, 7, 10),
        Stage.TO_DECISION: s(2, 11, 16),
    }
    assert casey == {
        Stage.WAITING: s(2, 3.5, 4),
        Stage.REVIEW: s(2, 62.5, 117),
        Stage.TO_DECISION: s(2, 66, 120),
    }


def test_a_claim_with_several_topics_counts_in_each(checker, history):
    r = report(checker, by=reports.TOPIC)
    assert [row.label for row in r.rows] == ["Aleppo", "Homs", "No topic"]
    aleppo, homs, none = (row.stages for row in r.rows)
    assert aleppo[Stage.WAITING] == s(2, 3, 4)
    assert homs[Stage.REVIEW] == s(2, 62.5, 117)
    assert none[Stage.WAITING] == s(2, 3.5, 6)
    assert none[Stage.REVIEW] == s(1, 10, 10)
    # B counts once in the total, though it is in two topics.
    assert report(checker).total.stages[Stage.WAITING].count == 5


def test_it_narrows_to_a_fact_checker_or_a_topic(checker, history):
    chris_only = report(checker, checker=history["chris"])
    assert chris_only.rows[0].stages[Stage.WAITING] == s(2, 4, 6)  # A 2, C 6
    assert chris_only.rows[1].stages == {Stage.WAITING: s(1, 1, 1)}
    homs_only = report(checker, topic=history["homs"])
    assert homs_only.total.stages[Stage.TO_DECISION] == s(2, 66, 120)


def test_a_quiet_week_is_listed_empty_and_stages_outside_the_range_are_left_out(checker, history):
    r = reports.stage_report(
        user=checker, first_day=W2.date(), last_day=W2.date() + timedelta(days=13)
    )
    first = {Stage.WAITING: s(1, 1, 1), Stage.REVIEW: s(1, 117, 117)}
    assert [row.stages for row in r.rows] == [{**first, Stage.TO_DECISION: s(1, 120, 120)}, {}]


def test_an_outsider_sees_nothing_in_the_report(outsider, history):
    assert report(outsider).total.stages == {}


# ---------------------------------------------------------------------------
# The page and its CSV


def test_the_page_shows_charts_and_the_table(client, checker, history):
    client.force_login(checker)
    r = client.get("/reports/", RANGE)
    assert r.status_code == 200
    html = r.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="stage-svg"') == 3
    assert "Waiting in New, by week" in html
    assert ">3.5 h</text>" in html and ">4.9 d</text>" in html  # 117 h
    assert '<th scope="row">Week of 2 Nov 2026</th>' in html
    # The tabs change the grouping and keep the range.
    assert 'href="?start=2026-11-02&amp;end=2026-11-09&amp;by=checker"' in html
    assert 'style="' not in html.split("<main", 1)[-1]  # the CSP allows no inline style


def test_the_csv_is_the_table(client, checker, history):
    client.force_login(checker)
    r = client.get("/reports/export.csv", {**RANGE, "by": "checker"})
    assert r.status_code == 200
    assert r["Content-Disposition"].startswith('attachment; filename="stage-times-checker-')
    rows = list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == reports.report_columns()
    assert rows[0][:4] == ["group", "waiting_count", "waiting_median_hours", "waiting_p90_hours"]
    assert rows[1] == ["casey", "2", "3.5", "4.0", "2", "62.5", "117.0", "2", "66.0", "120.0"]
    assert rows[2] == ["chris", "3", "2.0", "6.0", "2", "7.0", "10.0", "2", "11.0", "16.0"]
    assert rows[3][:4] == ["All", "5", "3.0", "6.0"]


def test_the_csv_writes_a_formula_as_text(client, checker, history):
    Topic.objects.filter(pk=history["homs"].pk).update(name="=HYPERLINK(1)")
    client.force_login(checker)
    r = client.get("/reports/export.csv", {**RANGE, "by": "topic"})
    labels = [row[0] for row in csv.reader(io.StringIO(b"".join(r.streaming_content).decode()))]
    assert "'=HYPERLINK(1)" in labels


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "yesterday"}, "start"),
        ({"start": "2026-11-09", "end": "2026-11-02"}, "end"),
        ({"start": "2024-01-01", "end": "2026-11-02"}, "start"),
        ({"start": "0001-01-01"}, "start"),
        ({"end": "9999-12-31"}, "end"),
        ({"by": "desk"}, "by"),
        ({"checker": "999999"}, "checker"),
        ({"topic": "abc"}, "topic"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(client, checker, history, params, field):  # type: ignore[no-untyped-def]
    client.force_login(checker)
    r = client.get("/reports/", params)
    assert r.status_code == 400
    assert field in r.context["form"].errors
    assert r.context["report"] is None
    assert client.get("/reports/export.csv", params).status_code == 400


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("outsider", 403), ("editor", 403), ("checker", 200), ("admin", 200)],
)
@pytest.mark.parametrize("url", ["/reports/", "/reports/export.csv"])
def test_it_is_for_fact_checkers_and_admins(client, request, persona, expected, url):  # type: ignore[no-untyped-def]
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    r = client.get(url)
    assert r.status_code == expected
    if persona == "anonymous":
        assert "/login/" in r["Location"]


def test_the_page_writes_nothing(client, checker, history):
    before = (ClaimEvent.objects.count(), Claim.objects.count())
    client.force_login(checker)
    assert client.post("/reports/", RANGE).status_code == 405
    client.get("/reports/", RANGE)
    assert (ClaimEvent.objects.count(), Claim.objects.count()) == before


@pytest.mark.parametrize(("by", "queries"), [("week", 6), ("checker", 6), ("topic", 7)])
def test_the_page_pins_its_queries(
    client, checker, history, by, queries, django_assert_num_queries
):  # type: ignore[no-untyped-def]
    client.force_login(checker)
    client.get("/reports/", {**RANGE, "by": by})  # warm the session
    # session, user, roles, the claims' history (one query, whatever their number),
    # the filter form's fact-checkers and topics; by topic, the claims' topics
    with django_assert_num_queries(queries):
        client.get("/reports/", {**RANGE, "by": by})
    for n in range(5):
        claim = logged(W1 + timedelta(hours=n), history["aleppo"])
        moved(claim, "in_review", W1 + timedelta(hours=n + 1), checker, "new")
        moved(claim, "verified", W1 + timedelta(hours=n + 2), checker, "in_review")
    with django_assert_num_queries(queries):
        r = client.get("/reports/", {**RANGE, "by": by})
    assert r.context["report"].total.stages[Stage.WAITING].count == 10
