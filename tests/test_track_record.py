"""A source's track record: how the claims it makes were decided, month by month, the
conflicts its figures lost and its open flags; on its page, in the API and beside its
grade in the admin. And the resolution that says which claim's figure stood."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from claims import services
from claims.errors import InvalidInput
from claims.models import Attribution, Claim, Flag, FlagEvent
from claims.selectors.track_records import source_track_record
from claims.track_chart import build_track_chart
from tests.factories import AttributionFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

SAYS = Attribution.Role.ATTRIBUTED_TO
BACKS = Attribution.Role.CORROBORATED_BY
DENIES = Attribution.Role.CONTRADICTED_BY
_fingerprints = itertools.count()


def said(source, status, reported_on, role=SAYS, **fields):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(status=status, reported_on=reported_on, **fields)
    AttributionFactory(claim=claim, source=source, role=role)
    return claim


def flag(kind, *claims, status=Flag.Status.OPEN):  # type: ignore[no-untyped-def]
    found = Flag.objects.create(
        kind=kind,
        status=status,
        message=f"A {kind} flag for the track record.",
        fingerprint=f"track-{next(_fingerprints)}",
        last_seen=timezone.now(),
    )
    found.claims.set(claims)
    return found


def resolve(flag, checker, upheld=None, rule="most_reliable"):  # type: ignore[no-untyped-def]
    return services.flag_resolve(
        flag=flag,
        actor=checker,
        note="The desk sides with the better-sourced count.",
        figure_low=40,
        rule=rule,
        upheld_claim=upheld.pk if upheld is not None else None,
    )


JAN, FEB, MAR = dt.date(2014, 1, 20), dt.date(2014, 2, 10), dt.date(2014, 3, 5)


@pytest.fixture
def record(checker):  # type: ignore[no-untyped-def]
    """The Observatory's claims and flags, with a wire agency's beside them.

    Counted for the Observatory: Jan: 3 verified (one it says twice over, in two
    roles), 1 false; Feb: 1 disputed (no report date, logged in February); Mar: 1
    verified (which it corroborates), 1 attributed only, 1 disputed. Not counted: a
    new, an in-review and a retracted claim, and a false claim it contradicts."""
    sohr = SourceFactory(name="Syrian Observatory for Human Rights", grade="C")
    wire = SourceFactory(name="Example Wire", grade="B")
    c = {
        "jan_a": said(sohr, "verified", JAN),
        "jan_b": said(sohr, "verified", JAN),
        "jan_false": said(sohr, "false", JAN),
        "mar_backed": said(sohr, "verified", MAR, role=BACKS),
        "mar_attributed": said(sohr, "attributed", MAR),
        "mar_disputed": said(sohr, "disputed", MAR),
        "new": said(sohr, "new", MAR),
        "in_review": said(sohr, "in_review", MAR),
        "retracted": said(sohr, "retracted", MAR),
        "denied": said(sohr, "false", MAR, role=DENIES),
        "wire_a": said(wire, "verified", JAN),
        "wire_b": said(wire, "false", FEB),
        "wire_c": said(wire, "disputed", FEB),
    }
    c["twice"] = said(sohr, "verified", JAN)
    AttributionFactory(claim=c["twice"], source=sohr, role=BACKS)
    c["undated"] = said(sohr, "disputed", None)
    Claim.objects.filter(pk=c["undated"].pk).update(
        created_at=dt.datetime(2014, 2, 25, 9, 0, tzinfo=dt.UTC)
    )
    conflict = Flag.Kind.VALUE_CONFLICT
    f = {
        # The wire's figure stood: the Observatory lost.
        "lost": flag(conflict, c["jan_a"], c["wire_a"]),
        # The Observatory's figure stood: the wire lost.
        "won": flag(conflict, c["jan_b"], c["wire_b"]),
        # One of its own claims stood against another of its own and the wire's: both lost.
        "both_sides": flag(Flag.Kind.COUNT_DECREASED, c["jan_false"], c["twice"], c["wire_c"]),
        # A range: no claim stood, nobody lost.
        "range": flag(conflict, c["mar_disputed"], c["wire_a"]),
        "open": flag(conflict, c["mar_attributed"], c["wire_b"]),
        "acknowledged": flag(
            Flag.Kind.VERDICT_CONFLICT, c["mar_backed"], status=Flag.Status.ACKNOWLEDGED
        ),
        # Not the source's business, or not its claim, or settled.
        "overdue": flag(Flag.Kind.REVIEW_OVERDUE, c["new"]),
        "denied": flag(conflict, c["denied"], c["wire_c"]),
        "dismissed": flag(conflict, c["mar_disputed"], status=Flag.Status.DISMISSED),
    }
    resolve(f["lost"], checker, upheld=c["wire_a"])
    resolve(f["won"], checker, upheld=c["jan_b"])
    resolve(f["both_sides"], checker, upheld=c["jan_false"], rule="correction")
    resolve(f["range"], checker, upheld=None, rule="range")
    return {"sohr": sohr, "wire": wire, "claims": c, "flags": f}


# ---------------------------------------------------------------------------
# The selector


def test_it_counts_the_decisions_conflicts_and_open_flags_exactly(record):
    got = source_track_record(source=record["sohr"])
    assert got.as_dict() == {
        "verified": 4,
        "attributed": 1,
        "disputed": 2,
        "false": 1,
        "lost_conflicts": 2,
        "open_flags": 2,
    }


def test_the_wire_lost_where_the_observatory_stood_and_counts_its_open_conflicts(record):
    # Lost: the conflict the Observatory's figure won and the correction. Open: the
    # conflict over its false claim and the one over its disputed claim.
    assert source_track_record(source=record["wire"]).as_dict() == {
        "verified": 1,
        "attributed": 0,
        "disputed": 1,
        "false": 1,
        "lost_conflicts": 2,
        "open_flags": 2,
    }


def test_it_counts_month_by_month_the_month_each_claim_was_reported(record):
    months = source_track_record(source=record["sohr"]).months
    assert [(m.month, dict(m.counts)) for m in months] == [
        (dt.date(2014, 1, 1), {"verified": 3, "attributed": 0, "disputed": 0, "false": 1}),
        (dt.date(2014, 2, 1), {"verified": 0, "attributed": 0, "disputed": 1, "false": 0}),
        (dt.date(2014, 3, 1), {"verified": 1, "attributed": 1, "disputed": 1, "false": 0}),
    ]


def test_a_month_without_decided_claims_is_drawn_empty(checker):
    source = SourceFactory()
    said(source, "verified", dt.date(2013, 11, 3))
    said(source, "false", dt.date(2014, 2, 3))
    months = source_track_record(source=source).months
    assert [m.month.month for m in months] == [11, 12, 1, 2]
    assert [m.total for m in months] == [1, 0, 0, 1]


def test_a_new_source_has_an_empty_record(db):
    got = source_track_record(source=SourceFactory())
    assert got.as_dict() == dict.fromkeys(
        ["verified", "attributed", "disputed", "false", "lost_conflicts", "open_flags"], 0
    )
    assert list(got.months) == []


def test_a_reopened_flag_is_no_longer_a_lost_conflict(record):
    lost = record["flags"]["lost"]
    services.flag_set_status(lost, to=Flag.Status.OPEN, actor=None, note="A claim changed.")
    lost.refresh_from_db()
    assert lost.resolution_claim is None
    got = source_track_record(source=record["sohr"])
    assert (got.lost_conflicts, got.open_flags) == (1, 3)


def test_it_reads_in_two_queries_however_many_claims(record, checker, django_assert_num_queries):
    with django_assert_num_queries(2):  # the claims by month and decision; the flags
        source_track_record(source=record["sohr"])
    for day in range(1, 8):
        claim = said(record["sohr"], "false", dt.date(2014, 4, day))
        resolve(flag(Flag.Kind.VALUE_CONFLICT, claim, record["claims"]["wire_a"]), checker,
                upheld=record["claims"]["wire_a"])  # fmt: skip
    with django_assert_num_queries(2):
        got = source_track_record(source=record["sohr"])
    assert (got.false, got.lost_conflicts) == (8, 9)


# ---------------------------------------------------------------------------
# The chart


def test_the_chart_stacks_each_months_decisions():
    chart = build_track_chart(
        [
            (dt.date(2014, 1, 1), {"verified": 3, "false": 1}),
            (dt.date(2014, 2, 1), {}),
            (dt.date(2014, 3, 1), {"disputed": 2}),
        ],
        name="Example Wire",
    )
    assert chart is not None
    assert [b.title for b in chart.bars] == [
        "Jan 2014: 3 verified",
        "Jan 2014: 1 false",
        "Mar 2014: 2 disputed",
    ]
    verified, false, disputed = chart.bars
    # The scale tops at 5 (the largest month has 4): a claim is a fifth of the plot.
    assert verified.height == pytest.approx(3 * 110 / 5, abs=0.1)
    assert verified.y + verified.height == pytest.approx(chart.plot_bottom, abs=0.1)
    assert false.y + false.height == pytest.approx(verified.y, abs=0.1)
    assert disputed.x > verified.x
    assert [t.label for t in chart.y_ticks] == ["0", "5"]
    assert "6 decided claims from Jan 2014 to Mar 2014" in chart.description


def test_there_is_no_chart_without_a_decided_claim():
    assert build_track_chart([], name="Nobody") is None
    assert build_track_chart([(dt.date(2014, 1, 1), {"verified": 0})], name="Nobody") is None


# ---------------------------------------------------------------------------
# Which claim's figure stood


def test_the_resolution_records_the_claim_that_stood_with_its_history(record, checker):
    lost = record["flags"]["lost"]
    lost.refresh_from_db()
    assert lost.resolution_claim == record["claims"]["wire_a"]
    event = FlagEvent.objects.filter(flag=lost).last()
    assert (event.actor, event.to_status) == (checker, "resolved")
    assert event.details["upheld_claim"] == record["claims"]["wire_a"].pk


def test_the_claim_that_stood_must_be_one_of_the_flags(record, checker):
    open_flag = record["flags"]["open"]
    with pytest.raises(InvalidInput) as refused:
        resolve(open_flag, checker, upheld=record["claims"]["jan_a"])
    assert "upheld_claim" in refused.value.errors
    open_flag.refresh_from_db()
    assert (open_flag.status, open_flag.resolution_claim) == ("open", None)
    assert not FlagEvent.objects.filter(flag=open_flag).exists()


def test_only_a_conflict_about_figures_has_a_claim_that_stands(record, checker):
    verdicts = record["flags"]["acknowledged"]
    with pytest.raises(InvalidInput) as refused:
        services.flag_resolve(
            flag=verdicts,
            actor=checker,
            note="Settled.",
            upheld_claim=record["claims"]["mar_backed"].pk,
        )
    assert "upheld_claim" in refused.value.errors


def test_the_flag_page_offers_the_claims_and_records_the_one_that_stood(client, record, checker):
    open_flag, claims = record["flags"]["open"], record["claims"]
    client.force_login(checker)
    page = client.get(f"/flags/{open_flag.pk}/").content.decode()
    assert 'name="upheld_claim"' in page
    assert f'<option value="{claims["wire_b"].pk}">Claim {claims["wire_b"].pk}: ' in page
    r = client.post(
        f"/flags/{open_flag.pk}/resolve/",
        {
            "note": "The wire's count is the better sourced.",
            "figure_low": 51,
            "rule": "most_reliable",
            "upheld_claim": claims["wire_b"].pk,
        },
    )
    assert r.status_code == 302
    open_flag.refresh_from_db()
    assert open_flag.resolution_claim == claims["wire_b"]
    page = client.get(f"/flags/{open_flag.pk}/").content.decode()
    assert f"claim {claims['wire_b'].pk}</a>; the other claims lost this conflict" in page
    assert f"claim {claims['wire_b'].pk} stood" in page  # the history row


def test_the_flag_page_refuses_a_claim_of_another_flag(client, record, checker):
    open_flag = record["flags"]["open"]
    client.force_login(checker)
    r = client.post(
        f"/flags/{open_flag.pk}/resolve/",
        {"note": "x", "figure_low": 5, "rule": "range", "upheld_claim": record["claims"]["new"].pk},
    )
    assert r.status_code == 400
    assert "Choose one of this flag&#x27;s claims." in r.content.decode()
    open_flag.refresh_from_db()
    assert open_flag.status == "open"


def test_a_flag_about_no_figure_does_not_ask_whose_figure_stands(client, record, checker):
    client.force_login(checker)
    page = client.get(f"/flags/{record['flags']['overdue'].pk}/").content.decode()
    assert "Resolve" in page and 'name="upheld_claim"' not in page


def api_as(user):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_resolves_with_the_claim_that_stood(record, checker):
    open_flag, claims = record["flags"]["open"], record["claims"]
    url = f"/api/v1/flags/{open_flag.pk}/resolve/"
    body = {"note": "Wire.", "figure_low": 51, "rule": "most_reliable"}
    for bad in ("x", 0, claims["new"].pk):
        r = api_as(checker).post(url, {**body, "upheld_claim": bad}, format="json")
        assert r.status_code == 400 and "upheld_claim" in r.json(), bad
    assert Flag.objects.get(pk=open_flag.pk).status == "open"
    r = api_as(checker).post(url, {**body, "upheld_claim": claims["wire_b"].pk}, format="json")
    assert r.status_code == 200
    assert r.json()["resolution_claim"] == claims["wire_b"].pk
    assert (
        api_as(checker)
        .get(f"/api/v1/flags/{record['flags']['range'].pk}/")
        .json()["resolution_claim"]
        is None
    )


# ---------------------------------------------------------------------------
# The source page, role by role


@pytest.mark.parametrize("persona", ["editor", "checker", "admin"])
def test_the_desk_sees_the_track_record_on_the_source_page(client, request, record, persona):
    client.force_login(request.getfixturevalue(persona))
    r = client.get(f"/sources/{record['sohr'].pk}/")
    assert r.status_code == 200
    assert r.context["record"].as_dict()["lost_conflicts"] == 2
    page = r.content.decode()
    assert "Track record" in page
    assert '<span class="dash-n">2</span> conflicts lost' in page
    assert '<span class="dash-n">2</span> open flags' in page
    assert '<span class="dash-n">1</span> attributed only' in page
    assert "<title>Jan 2014: 3 verified</title>" in page  # the chart
    assert '<th scope="row">Mar 2014</th><td>1</td><td>1</td><td>1</td><td>0</td>' in page


def test_outsiders_and_strangers_see_no_track_record(client, outsider, record):
    url = f"/sources/{record['sohr'].pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_a_source_without_decided_claims_says_so(client, editor):
    client.force_login(editor)
    page = client.get(f"/sources/{SourceFactory().pk}/").content.decode()
    assert "None of its claims is decided yet." in page and "<svg" not in page


def test_the_source_page_costs_the_same_with_more_claims(
    client, editor, record, checker, django_assert_num_queries
):
    client.force_login(editor)
    url = f"/sources/{record['sohr'].pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for day in range(1, 6):
        claim = said(record["sohr"], "verified", dt.date(2014, 5, day))
        flag(Flag.Kind.VALUE_CONFLICT, claim)
    with django_assert_num_queries(len(first)):
        r = client.get(url)
    assert r.context["record"].verified == 9 and r.context["record"].open_flags == 7


# ---------------------------------------------------------------------------
# The API


def test_the_api_detail_carries_the_track_record(record, editor):
    r = api_as(editor).get(f"/api/v1/sources/{record['sohr'].pk}/")
    assert r.status_code == 200
    assert r.json()["track_record"] == {
        "verified": 4,
        "attributed": 1,
        "disputed": 2,
        "false": 1,
        "lost_conflicts": 2,
        "open_flags": 2,
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("editor", 200), ("checker", 200), ("admin", 200), ("outsider", 404)],
)
def test_the_api_track_record_role_by_role(request, record, persona, expected):
    r = api_as(request.getfixturevalue(persona)).get(f"/api/v1/sources/{record['sohr'].pk}/")
    assert r.status_code == expected
    if expected == 200:
        assert set(r.json()["track_record"]) == {
            "verified", "attributed", "disputed", "false", "lost_conflicts", "open_flags"
        }  # fmt: skip
    assert APIClient().get(f"/api/v1/sources/{record['sohr'].pk}/").status_code in (401, 403)


def test_the_api_detail_pins_its_queries(record, editor, django_assert_num_queries):
    client = api_as(editor)
    # roles, the source (with the list's counts), its aliases; the track record (2)
    with django_assert_num_queries(5):
        client.get(f"/api/v1/sources/{record['sohr'].pk}/")


def test_the_api_list_does_not_pay_for_track_records(record, editor, django_assert_num_queries):
    client = api_as(editor)
    with django_assert_num_queries(4):  # roles, count, page, aliases
        rows = client.get("/api/v1/sources/").json()["results"]
    assert rows and all("track_record" not in row for row in rows)
    sohr = next(row for row in rows if row["name"].startswith("Syrian"))
    assert sohr["id"] == record["sohr"].pk


def test_the_sources_list_counts_as_the_track_record_does(client, editor, record):
    client.force_login(editor)
    rows = {s.name: s for s in client.get("/sources/").context["page"]}
    sohr = rows["Syrian Observatory for Human Rights"]
    # The claim it contradicts is linked to it but not among its false ones.
    assert (sohr.verified_count, sohr.disputed_count, sohr.false_count) == (4, 2, 1)


# ---------------------------------------------------------------------------
# The admin: beside the grade


def test_the_admin_shows_the_track_record_beside_the_grade(client, admin, record):
    client.force_login(admin)
    page = client.get(f"/admin/claims/source/{record['sohr'].pk}/change/").content.decode()
    assert "Of the claims it makes: <strong>4</strong> verified" in page
    assert "lost <strong>2</strong> resolved conflicts" in page
    assert page.index('name="grade"') < page.index("Track record") < page.index('name="notes"')
    assert "<title>Jan 2014: 3 verified</title>" in page


def test_the_admin_add_page_has_no_track_record(client, admin):
    client.force_login(admin)
    page = client.get("/admin/claims/source/add/").content.decode()
    assert 'name="grade"' in page and "Track record" not in page


def test_the_admins_track_record_costs_the_same_with_more_claims(client, admin, record):
    client.force_login(admin)
    url = f"/admin/claims/source/{record['sohr'].pk}/change/"
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    for day in range(1, 6):
        said(record["sohr"], "false", dt.date(2014, 5, day))
    with CaptureQueriesContext(connection) as second:
        page = client.get(url).content.decode()
    assert len(second) == len(first)
    assert "<strong>6</strong> false" in page


@pytest.mark.parametrize("persona", ["editor", "checker"])
def test_only_admins_reach_the_admin_page(client, request, record, persona):
    client.force_login(request.getfixturevalue(persona))
    r = client.get(f"/admin/claims/source/{record['sohr'].pk}/change/")
    assert r.status_code == 302 and "/login/" in r["Location"]
