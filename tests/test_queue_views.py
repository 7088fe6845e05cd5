"""The fact-checkers' queues, Take and the bulk actions, the dashboard and the sources
pages: contents, filters from the URL, role by role, history rows and pinned queries."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone, translation

from claims.models import Attribution, Claim, ClaimEvent, Flag, Severity
from tests.factories import AttributionFactory, ClaimFactory, PlaceFactory, SourceFactory

pytestmark = pytest.mark.django_db

_fingerprints = itertools.count()


def flag(kind, *claims, severity=Severity.MEDIUM, status=Flag.Status.OPEN):  # type: ignore[no-untyped-def]
    found = Flag.objects.create(
        kind=kind,
        severity=severity,
        status=status,
        message=f"A {kind} flag.",
        fingerprint=f"test-{next(_fingerprints)}",
        last_seen=timezone.now(),
    )
    found.claims.set(claims)
    return found


def listed(response):  # type: ignore[no-untyped-def]
    return [claim.pk for claim in response.context["page"]]


@pytest.fixture
def desk(checker, other_checker):  # type: ignore[no-untyped-def]
    """One claim for each queue, and some for none."""
    return {
        "new": ClaimFactory(text="Fresh: 51 killed in Aleppo."),
        "mine": ClaimFactory(text="Mine: in review.", status="in_review", assignee=checker),
        "mine_new": ClaimFactory(text="Mine: new, assigned.", assignee=checker),
        "theirs": ClaimFactory(
            text="Theirs: in review.", status="in_review", assignee=other_checker
        ),
        "verified": ClaimFactory(
            text="Verified long ago.",
            status="verified",
            assignee=checker,
            decided_at=timezone.now() - dt.timedelta(days=3),
        ),
        "false": ClaimFactory(
            text="Decided false today.",
            status="false",
            assignee=other_checker,
            decided_at=timezone.now(),
        ),
        "retracted": ClaimFactory(text="Withdrawn.", status="retracted"),
    }


# ---------------------------------------------------------------------------
# What each queue holds


def test_it_lists_new_unassigned_claims_in_the_new_queue(client, checker, desk):
    client.force_login(checker)
    r = client.get("/queue/new/")
    assert r.status_code == 200
    assert listed(r) == [desk["new"].pk]
    assert b"New claims nobody has taken yet" in r.content


def test_it_lists_my_open_claims_in_mine(client, checker, other_checker, desk):
    client.force_login(checker)
    assert set(listed(client.get("/queue/mine/"))) == {desk["mine"].pk, desk["mine_new"].pk}
    client.force_login(other_checker)
    assert listed(client.get("/queue/mine/")) == [desk["theirs"].pk]


def test_it_lists_claims_with_open_flags_in_flagged(client, checker, desk):
    flag(Flag.Kind.VALUE_CONFLICT, desk["new"], desk["verified"])
    flag(Flag.Kind.DUPLICATE, desk["mine"], status=Flag.Status.RESOLVED)
    flag(Flag.Kind.SUPERSEDED, desk["theirs"], status=Flag.Status.ACKNOWLEDGED)
    client.force_login(checker)
    r = client.get("/queue/flagged/")
    assert set(listed(r)) == {desk["new"].pk, desk["verified"].pk, desk["theirs"].pk}
    assert "value conflict" in r.content.decode()


def test_a_row_shows_its_sources_and_a_badge_per_open_flag_kind(client, checker):
    claim = ClaimFactory(text="Shelling: 12 killed.")
    wire = SourceFactory(name="Zeta Wire")
    AttributionFactory(claim=claim, source=wire)
    AttributionFactory(claim=claim, source=SourceFactory(name="Alpha Monitor"))
    AttributionFactory(claim=claim, source=wire, role=Attribution.Role.CORROBORATED_BY)
    flag(Flag.Kind.VALUE_CONFLICT, claim, severity=Severity.LOW)
    flag(Flag.Kind.VALUE_CONFLICT, claim, severity=Severity.HIGH)
    flag(Flag.Kind.DUPLICATE, claim, severity=Severity.MEDIUM, status=Flag.Status.ACKNOWLEDGED)
    flag(Flag.Kind.SUPERSEDED, claim, severity=Severity.HIGH, status=Flag.Status.RESOLVED)
    bare = ClaimFactory(text="Nothing said about it.")
    client.force_login(checker)
    rows = {row["pk"]: row for row in client.get("/queue/new/").context["rows"]}
    assert rows[claim.pk]["sources"] == "Alpha Monitor, Zeta Wire"  # each once, by name
    # One badge per kind of open or acknowledged flag, by kind, in its worst severity.
    assert rows[claim.pk]["flags"] == [
        {"kind": "duplicate", "severity": "medium", "count": 1},
        {"kind": "value conflict", "severity": "high", "count": 2},
    ]
    assert (rows[bare.pk]["sources"], rows[bare.pk]["flags"]) == ("", [])


def test_it_lists_expired_and_overdue_claims_in_stale(client, checker, desk):
    flag(Flag.Kind.VERIFICATION_EXPIRED, desk["verified"])
    flag(Flag.Kind.REVIEW_OVERDUE, desk["mine"])
    flag(Flag.Kind.VALUE_CONFLICT, desk["new"], desk["theirs"])
    flag(Flag.Kind.REVIEW_OVERDUE, desk["mine_new"], status=Flag.Status.DISMISSED)
    client.force_login(checker)
    assert set(listed(client.get("/queue/stale/"))) == {desk["verified"].pk, desk["mine"].pk}


def test_it_lists_decided_claims_latest_decision_first(client, checker, desk):
    client.force_login(checker)
    r = client.get("/queue/decided/")
    assert listed(r) == [desk["false"].pk, desk["verified"].pk]
    assert 'aria-sort="descending"><a href="?ordering=decided">Decided' in r.content.decode()


def test_an_unknown_queue_is_a_404(client, checker):
    client.force_login(checker)
    assert client.get("/queue/everything/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, desk):
    assert client.get("/queue/new/")["Location"].startswith("/login/")


def test_outsiders_see_empty_queues(client, outsider, desk):
    client.force_login(outsider)
    r = client.get("/queue/new/")
    assert r.status_code == 200 and listed(r) == []
    assert b"Take" not in r.content and b"Fresh" not in r.content


# ---------------------------------------------------------------------------
# Filters, order and pages from the URL


@pytest.fixture
def spread():  # type: ignore[no-untyped-def]
    """Four new claims that differ in one thing each."""
    homs = PlaceFactory(name="Homs")
    sohr = SourceFactory(name="Observatory", grade="C")
    wire = SourceFactory(name="Example Wire", grade="D")
    claims = {
        "aleppo": ClaimFactory(text="At least 51 killed in Aleppo.", value_low=51, priority=1),
        "homs": ClaimFactory(
            text="Twelve injured in Homs.", place=homs, event="injured", value_low=12,
            value_high=12, qualifier="exact", priority=3,
        ),
        "march": ClaimFactory(
            text="At least 80 killed in Aleppo in March.", value_low=80,
            period_start=dt.date(2014, 3, 1), period_end=dt.date(2014, 3, 31),
            period_kind="span", priority=0,
        ),
        "words": ClaimFactory(text="Barrel bombs fell on eight districts.", value_low=None,
                              qualifier="", unit="", event="", priority=2),
    }  # fmt: skip
    AttributionFactory(claim=claims["aleppo"], source=sohr)
    AttributionFactory(claim=claims["march"], source=wire)
    return claims


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("event=injured", {"homs"}),
        ("q=barrel+districts", {"words"}),
        ("grade=D", {"march"}),
        ("grade=C&grade=D", {"aleppo", "march"}),
        ("period_from=2014-03-01", {"march"}),
        ("period_to=2014-02-28&event=killed", {"aleppo"}),
        ("priority=3", {"homs"}),
        ("flag_kind=duplicate", set()),
    ],
)
def test_it_filters_the_queue_from_the_url(client, checker, spread, query, expected):
    client.force_login(checker)
    r = client.get(f"/queue/new/?{query}")
    assert r.status_code == 200
    assert set(listed(r)) == {spread[name].pk for name in expected}


def test_it_filters_by_place_source_and_story_ids(client, checker, spread):
    client.force_login(checker)
    homs = spread["homs"].place_id
    assert listed(client.get(f"/queue/new/?place={homs}")) == [spread["homs"].pk]
    source = spread["aleppo"].attributions.get().source_id
    assert listed(client.get(f"/queue/new/?source={source}")) == [spread["aleppo"].pk]
    r = client.get(f"/queue/new/?story={spread['aleppo'].pk + 1000}")
    assert listed(r) == [] and b"with these filters" in r.content


def test_it_filters_by_assignee_and_dates(client, checker, other_checker, desk):
    client.force_login(checker)
    r = client.get(f"/queue/decided/?assignee={other_checker.pk}")
    assert listed(r) == [desk["false"].pk]
    today = timezone.localdate().isoformat()
    assert len(listed(client.get(f"/queue/decided/?created_from={today}"))) == 2
    assert listed(client.get("/queue/decided/?created_to=2014-01-01")) == []


def test_the_queue_preset_wins_over_the_url(client, checker, spread, desk):
    client.force_login(checker)
    r = client.get("/queue/new/?status=verified&unassigned=false")
    assert desk["verified"].pk not in listed(r)
    assert set(listed(r)) == {c.pk for c in spread.values()} | {desk["new"].pk}


def test_it_orders_by_the_url_and_its_headers_link_to_sort(client, checker, spread):
    client.force_login(checker)
    by_priority = listed(client.get("/queue/new/"))
    assert by_priority == [spread[n].pk for n in ("homs", "words", "aleppo", "march")]
    r = client.get("/queue/new/?event=killed&ordering=value")
    assert listed(r) == [spread["aleppo"].pk, spread["march"].pk]
    html = r.content.decode()
    # The column sorted now links to the other direction, keeping the filters.
    assert 'aria-sort="ascending"><a href="?event=killed&amp;ordering=-value">Figure' in html
    assert '<a href="?event=killed&amp;ordering=-priority">Priority' in html


def test_it_paginates_keeping_the_filters(client, checker, monkeypatch):
    monkeypatch.setattr("claims.views.queues.PAGE_SIZE", 2)
    made = [ClaimFactory(text=f"Claim {n}", priority=1) for n in range(5)]
    client.force_login(checker)
    first = client.get("/queue/new/?event=killed")
    assert first.context["page"].paginator.num_pages == 3
    assert "?event=killed&amp;page=2" in first.content.decode()
    pages = [listed(client.get(f"/queue/new/?event=killed&page={n}")) for n in (1, 2, 3)]
    assert sorted(sum(pages, [])) == sorted(c.pk for c in made)


def test_a_bad_filter_is_a_400_with_the_form_messages(client, checker, spread):
    client.force_login(checker)
    r = client.get("/queue/new/?event=exploded&period_from=yesterday&ordering=colour")
    assert r.status_code == 400
    assert set(r.context["form"].errors) == {"event", "period_from", "ordering"}
    assert listed(r) == []
    html = r.content.decode()
    assert "These filters are not valid" in html and "exploded is not one of" in html


def test_the_filter_form_has_labels(client, checker):
    client.force_login(checker)
    html = client.get("/queue/flagged/").content.decode()
    for label in ("Words", "Event", "Place", "Source", "Assignee", "Open flag", "Period from"):
        assert f">{label}</" in html
    assert "<legend>Status</legend>" in html
    assert 'name="flagged"' not in html  # the queue's own filter is not offered


def test_the_kept_filter_form_carries_nothing_from_one_page_to_the_next(client, checker, spread):
    # The form's class and its dressed fields are made once per process
    # (claims.filters.ClaimFilter.get_form_class, claims.views.queues._dressed_fields):
    # each page still checks and shows its own values and errors.
    client.force_login(checker)
    bad = client.get("/queue/new/?event=exploded")
    assert bad.status_code == 400 and set(bad.context["form"].errors) == {"event"}
    good = client.get("/queue/new/?event=killed&q=Aleppo")
    assert good.status_code == 200 and not good.context["form"].errors
    html = good.content.decode()
    assert '<option value="killed" selected>' in html and 'value="Aleppo"' in html
    again = client.get("/queue/new/")
    assert again.status_code == 200 and not again.context["form"].errors
    assert '<option value="killed" selected>' not in again.content.decode()
    assert 'value="Aleppo"' not in again.content.decode()


def test_the_kept_filter_form_speaks_each_readers_language(client, checker):
    client.force_login(checker)
    english = client.get("/queue/new/").content.decode()
    client.cookies["django_language"] = "ar"
    try:
        arabic = client.get("/queue/new/").content.decode()
    finally:
        translation.deactivate()  # the locale middleware leaves Arabic on in this thread
    # The first option of each menu of the filters: "any" in the reader's language.
    anything = '<option value="" selected>any</option>'
    assert anything in english and anything not in arabic
    assert '<option value="" selected>أيّ</option>' in arabic
    del client.cookies["django_language"]
    assert client.get("/queue/new/").content.decode().count(anything) == english.count(anything)
    translation.deactivate()


@pytest.mark.parametrize("name", ["new", "mine", "flagged", "stale", "decided"])
def test_each_queue_pins_its_queries(client, checker, name, django_assert_num_queries):
    def fill(n):  # type: ignore[no-untyped-def]
        for _ in range(n):
            claim = ClaimFactory(
                status={"decided": "verified", "mine": "in_review"}.get(name, "new"),
                assignee=checker if name in ("mine", "decided") else None,
            )
            AttributionFactory(claim=claim)
            flag(Flag.Kind.REVIEW_OVERDUE, claim)

    client.force_login(checker)
    fill(2)
    client.get(f"/queue/{name}/")  # warm the session and the kept menus
    # session, user, roles, the digest of the menus' rows (the places, sources and
    # fact-checkers of the filters and the bulk form are kept while it holds, see
    # claims.selectors.menus), count, and the page: its rows with their sources' names
    # and open flags in the same query (New and Flagged rank by the worst open severity
    # stored on each claim, not a query of its own)
    with django_assert_num_queries(6):
        r = client.get(f"/queue/{name}/")
    assert len(listed(r)) == 2
    fill(6)
    # Six new sources: the menus are read again (places, sources, fact-checkers), once.
    with django_assert_num_queries(9):
        client.get(f"/queue/{name}/")
    with django_assert_num_queries(6):
        r = client.get(f"/queue/{name}/")
    assert len(listed(r)) == 8


# ---------------------------------------------------------------------------
# Take


def take(client, claim, queue="new", query=""):  # type: ignore[no-untyped-def]
    return client.post(f"/queue/{queue}/take/{claim.pk}/{query}")


def test_a_checker_takes_a_claim_and_goes_back_to_the_queue(client, checker, desk):
    client.force_login(checker)
    r = take(client, desk["new"], query="?event=killed&page=1")
    assert r.status_code == 302 and r["Location"] == "/queue/new/?event=killed&page=1"
    claim = Claim.objects.get(pk=desk["new"].pk)
    assert (claim.status, claim.assignee) == ("in_review", checker)
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        "transition", checker, "new", "in_review",
    )  # fmt: skip
    r = client.get(r["Location"])
    assert "You took claim" in r.content.decode() and desk["new"].pk not in listed(r)
    assert claim.pk in listed(client.get("/queue/mine/"))


def test_take_is_a_post_only(client, checker, desk):
    client.force_login(checker)
    assert client.get(f"/queue/new/take/{desk['new'].pk}/").status_code == 405


def test_an_outsider_cannot_take(client, outsider, desk):
    client.force_login(outsider)
    assert take(client, desk["new"]).status_code == 404
    assert Claim.objects.get(pk=desk["new"].pk).status == "new"


def test_an_editor_may_not_take(client, editor, desk):
    client.force_login(editor)
    r = take(client, desk["new"])
    assert r.status_code == 403
    assert "was not taken" in r.content.decode()
    assert Claim.objects.get(pk=desk["new"].pk).status == "new"
    assert not ClaimEvent.objects.exists()


def test_a_claim_taken_meanwhile_is_a_409(client, checker, other_checker, desk):
    client.force_login(other_checker)
    take(client, desk["new"])
    client.force_login(checker)
    r = take(client, desk["new"])
    assert r.status_code == 409
    assert "was not taken" in r.content.decode()
    assert Claim.objects.get(pk=desk["new"].pk).assignee == other_checker


def test_take_in_an_unknown_queue_is_a_404(client, checker, desk):
    client.force_login(checker)
    assert take(client, desk["new"], queue="nowhere").status_code == 404


# ---------------------------------------------------------------------------
# Bulk assign and priority


def bulk(client, claims, queue="new", query="", **data):  # type: ignore[no-untyped-def]
    payload = {"bulk-claims": [c.pk for c in claims], **{f"bulk-{k}": v for k, v in data.items()}}
    return client.post(f"/queue/{queue}/bulk/{query}", payload)


def test_a_checker_assigns_claims_in_bulk(client, checker, other_checker, spread):
    client.force_login(checker)
    chosen = [spread["aleppo"], spread["homs"]]
    r = bulk(client, chosen, query="?event=killed", action="assign", assignee=other_checker.pk)
    assert r.status_code == 302 and r["Location"] == "/queue/new/?event=killed"
    for claim in chosen:
        claim.refresh_from_db()
        assert claim.assignee == other_checker
        event = claim.events.get()
        assert (event.kind, event.actor, event.details["to"]) == ("assigned", checker, "casey")
    assert spread["march"].events.count() == 0
    page = client.get(r["Location"]).content.decode()
    assert "2 claims assigned to casey." in page


def test_a_checker_sets_priorities_in_bulk_and_keeps_due_dates(client, checker, spread):
    due = timezone.now() + dt.timedelta(days=2)
    Claim.objects.filter(pk=spread["march"].pk).update(due_at=due)
    client.force_login(checker)
    r = bulk(client, [spread["march"], spread["homs"]], action="priority", priority="2")
    assert r.status_code == 302
    march = Claim.objects.get(pk=spread["march"].pk)
    assert (march.priority, march.due_at) == (2, due)
    assert march.events.get().details["to"]["priority"] == 2
    assert Claim.objects.get(pk=spread["homs"].pk).priority == 2


def test_bulk_reports_each_claim_that_refuses_and_applies_the_rest(
    client, checker, other_checker, desk
):
    client.force_login(checker)
    r = bulk(client, [desk["new"], desk["retracted"]], action="assign", assignee=other_checker.pk)
    assert r.status_code == 302
    assert Claim.objects.get(pk=desk["new"].pk).assignee == other_checker
    assert Claim.objects.get(pk=desk["retracted"].pk).assignee is None
    page = client.get(r["Location"]).content.decode()
    assert "1 claim assigned to casey." in page
    assert f"Claim #{desk['retracted'].pk} was not changed." in page
    assert "A retracted claim cannot be assigned." in page


def test_bulk_that_changes_nothing_is_a_409_with_the_claims_still_ticked(
    client, checker, other_checker, desk
):
    client.force_login(checker)
    r = bulk(client, [desk["retracted"]], queue="flagged", action="assign", assignee=checker.pk)
    assert r.status_code == 409
    assert r.context["selected"] == {desk["retracted"].pk}
    assert "A retracted claim cannot be assigned." in r.content.decode()
    assert not ClaimEvent.objects.exists()


def test_bulk_says_which_claims_already_were_so(client, checker, desk):
    client.force_login(checker)
    r = bulk(client, [desk["mine"], desk["new"]], action="assign", assignee=checker.pk)
    page = client.get(r["Location"]).content.decode()
    assert (
        "1 claim assigned to chris." in page
        and f"Already assigned to chris: #{desk['mine'].pk}" in page
    )
    assert desk["mine"].events.count() == 0


def test_editors_may_not_act_in_bulk(client, editor, checker, desk):
    client.force_login(editor)
    r = bulk(client, [desk["new"]], action="assign", assignee=checker.pk)
    assert r.status_code == 403
    assert "No claim was changed." in r.content.decode()
    r = bulk(client, [desk["new"]], action="priority", priority="3")
    assert r.status_code == 403
    assert Claim.objects.get(pk=desk["new"].pk).priority == 1
    assert not ClaimEvent.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"action": "assign"}, "assignee"),
        ({"action": "priority", "priority": "9"}, "priority"),
        ({"action": "delete"}, "action"),
    ],
)
def test_an_incomplete_bulk_action_is_a_400(client, checker, desk, data, field):
    client.force_login(checker)
    r = bulk(client, [desk["new"]], **data)
    assert r.status_code == 400
    assert field in r.context["bulk_form"].errors
    assert r.context["selected"] == {desk["new"].pk}
    assert not ClaimEvent.objects.exists()


def test_bulk_needs_a_ticked_claim_and_a_fact_checker(client, checker, editor, desk):
    client.force_login(checker)
    r = bulk(client, [], action="assign", assignee=checker.pk)
    assert r.status_code == 400 and "Tick at least one claim." in r.content.decode()
    r = bulk(client, [desk["new"]], action="assign", assignee=editor.pk)
    assert r.status_code == 400 and "assignee" in r.context["bulk_form"].errors


def test_an_outsider_cannot_act_in_bulk(client, outsider, checker, desk):
    client.force_login(outsider)
    r = bulk(client, [desk["new"]], action="assign", assignee=checker.pk)
    assert r.status_code == 400  # the claim is not one the outsider can see
    assert Claim.objects.get(pk=desk["new"].pk).assignee is None


def test_bulk_is_a_post_only(client, checker):
    client.force_login(checker)
    assert client.get("/queue/new/bulk/").status_code == 405


# ---------------------------------------------------------------------------
# The dashboard


def decide(claim, actor, to="verified", days_ago=0):  # type: ignore[no-untyped-def]
    event = ClaimEvent.objects.create(
        claim=claim, actor=actor, kind="transition", from_status="in_review", to_status=to,
        note="Checked.",
    )  # fmt: skip
    ClaimEvent.objects.filter(pk=event.pk).update(at=timezone.now() - dt.timedelta(days=days_ago))


def test_the_dashboard_counts_what_waits(client, checker, desk, django_assert_num_queries):
    decide(desk["verified"], checker, days_ago=3)
    decide(desk["false"], checker, to="false")
    decide(desk["mine"], checker, days_ago=30)
    flag(Flag.Kind.VERIFICATION_EXPIRED, desk["verified"], severity=Severity.LOW)
    flag(Flag.Kind.REVIEW_OVERDUE, desk["mine"], severity=Severity.LOW)
    flag(Flag.Kind.VALUE_CONFLICT, desk["new"], desk["theirs"], severity=Severity.HIGH)
    flag(Flag.Kind.DUPLICATE, desk["new"], severity=Severity.INFO, status=Flag.Status.RESOLVED)
    client.force_login(checker)
    client.get("/")
    # session, user, roles, claim counts (the week's logged and decided among them),
    # flags by severity, the week's decisions' history (the median time to decision),
    # latest decisions, stories, open flags by topic
    with django_assert_num_queries(9):
        r = client.get("/")
    board = r.context["board"]
    assert (board.mine, board.waiting, board.stale, board.decisions) == (2, 1, 2, 2)
    assert board.flags == [(40, "high", 1), (30, "medium", 0), (20, "low", 2), (10, "info", 0)]
    html = r.content.decode()
    for link in ("/queue/mine/", "/queue/new/", "/queue/stale/", "/queue/decided/"):
        assert f'href="{link}"' in html
    assert 'href="/flags/?severity=40&amp;status=unresolved"' in html
    assert "Decided false today." in html


def test_the_dashboard_counts_match_their_lists(client, checker, desk):
    flag(Flag.Kind.REVIEW_OVERDUE, desk["mine"], severity=Severity.LOW)
    client.force_login(checker)
    board = client.get("/").context["board"]
    assert board.mine == len(listed(client.get("/queue/mine/")))
    assert board.waiting == len(listed(client.get("/queue/new/")))
    assert board.stale == len(listed(client.get("/queue/stale/")))
    flags = client.get("/flags/?severity=20&status=unresolved").context["page"]
    assert len(flags) == dict((s, n) for s, _, n in board.flags)[20]


def test_the_dashboard_shows_an_outsider_nothing(client, outsider, desk):
    flag(Flag.Kind.VALUE_CONFLICT, desk["new"], desk["theirs"])
    client.force_login(outsider)
    board = client.get("/").context["board"]
    assert (board.mine, board.waiting, board.stale, board.decisions) == (0, 0, 0, 0)
    assert all(n == 0 for _, _, n in board.flags) and board.stories == []


# ---------------------------------------------------------------------------
# Sources


@pytest.fixture
def register(checker):  # type: ignore[no-untyped-def]
    sohr = SourceFactory(name="Syrian Observatory for Human Rights", grade="C", country="GB")
    sohr.aliases.create(name="SOHR")
    wire = SourceFactory(name="Example Wire", grade="D", kind="media")
    wire.depends_on.add(sohr)
    for status in ("verified", "verified", "disputed", "false", "new"):
        AttributionFactory(claim=ClaimFactory(status=status, text=f"A {status} one."), source=sohr)
    AttributionFactory(claim=ClaimFactory(text="Wire copy."), source=wire)
    return {"sohr": sohr, "wire": wire}


@pytest.mark.parametrize("persona", ["editor", "checker", "admin"])
def test_the_desk_lists_sources_with_their_counts(client, request, register, persona):
    client.force_login(request.getfixturevalue(persona))
    r = client.get("/sources/")
    assert r.status_code == 200
    rows = {s.name: s for s in r.context["page"]}
    sohr = rows["Syrian Observatory for Human Rights"]
    assert (sohr.claim_count, sohr.verified_count, sohr.disputed_count, sohr.false_count) == (
        5, 2, 1, 1,
    )  # fmt: skip
    assert "also SOHR" in r.content.decode()


def test_it_searches_sources_by_name_and_alias(client, editor, register):
    client.force_login(editor)
    assert [s.name for s in client.get("/sources/?q=sohr").context["page"]] == [
        "Syrian Observatory for Human Rights"
    ]
    assert [s.name for s in client.get("/sources/?q=wire").context["page"]] == ["Example Wire"]
    assert b"No source matches" in client.get("/sources/?q=reuters").content


def test_the_source_page_lists_its_claims_with_pages(client, checker, register, monkeypatch):
    monkeypatch.setattr("claims.views.sources.PAGE_SIZE", 3)
    client.force_login(checker)
    r = client.get(f"/sources/{register['sohr'].pk}/")
    assert r.status_code == 200
    assert r.context["page"].paginator.count == 5 and len(r.context["page"]) == 3
    html = r.content.decode()
    assert "C: fairly reliable" in html and "SOHR" in html
    assert "admin/claims/source" not in html
    wire = client.get(f"/sources/{register['wire'].pk}/").content.decode()
    assert f'href="/sources/{register["sohr"].pk}/">Syrian Observatory' in wire


def test_admins_get_a_link_to_edit_the_source(client, admin, register):
    client.force_login(admin)
    html = client.get(f"/sources/{register['sohr'].pk}/").content.decode()
    assert f'href="/admin/claims/source/{register["sohr"].pk}/change/"' in html


def test_outsiders_see_no_sources(client, outsider, register):
    client.force_login(outsider)
    assert list(client.get("/sources/").context["page"]) == []
    assert client.get(f"/sources/{register['sohr'].pk}/").status_code == 404


def test_the_sources_pages_pin_their_queries(client, editor, register, django_assert_num_queries):
    client.force_login(editor)
    client.get("/sources/")
    # session, user, roles, count, page, aliases
    with django_assert_num_queries(6):
        client.get("/sources/")
    # session, user, roles, the source, its aliases, its dependencies,
    # count, page of claims, their attributions; its track record (its claims by
    # month and decision, the flags over them)
    with django_assert_num_queries(11):
        client.get(f"/sources/{register['sohr'].pk}/")
    for _ in range(4):
        AttributionFactory(claim=ClaimFactory(), source=SourceFactory())
    with django_assert_num_queries(6):
        client.get("/sources/")


# ---------------------------------------------------------------------------
# Most urgent first (issue 11, defect 8)


def aged(claim, hours_ago, due_in=None):  # type: ignore[no-untyped-def]
    """Set a claim's age and due date the way time would have."""
    now = timezone.now()
    due = None if due_in is None else now + dt.timedelta(hours=due_in)
    Claim.objects.filter(pk=claim.pk).update(
        created_at=now - dt.timedelta(hours=hours_ago), due_at=due
    )
    return claim


@pytest.fixture
def urgency():  # type: ignore[no-untyped-def]
    """New claims that differ in their open flags, priority, due date and age."""
    c = {
        "urgent_unflagged": aged(ClaimFactory(text="Urgent, no flag.", priority=3), 1, due_in=2),
        "high_flag_low": aged(ClaimFactory(text="Low, high flag.", priority=0), 2),
        "medium_flag": aged(ClaimFactory(text="Normal, medium flag.", priority=1), 3),
        "due_later": aged(ClaimFactory(text="Urgent, due later.", priority=3), 4, due_in=48),
        "no_due_young": aged(ClaimFactory(text="Urgent, no due, young.", priority=3), 5),
        "no_due_old": aged(ClaimFactory(text="Urgent, no due, old.", priority=3), 50),
        "normal": aged(ClaimFactory(text="Normal, nothing else.", priority=1), 6),
    }
    flag(Flag.Kind.VALUE_CONFLICT, c["high_flag_low"], severity=Severity.HIGH)
    flag(Flag.Kind.DUPLICATE, c["medium_flag"], severity=Severity.MEDIUM)
    # A resolved high flag is no reason to hurry.
    flag(Flag.Kind.VALUE_CONFLICT, c["normal"], severity=Severity.HIGH, status=Flag.Status.RESOLVED)
    return c


URGENT_ORDER = [
    "high_flag_low",  # an open high flag outranks any priority
    "medium_flag",
    "urgent_unflagged",  # then priority; within it the soonest due date
    "due_later",
    "no_due_old",  # no due date comes last, oldest first
    "no_due_young",
    "normal",
]


def test_it_lists_the_new_queue_most_urgent_first(client, checker, urgency):
    client.force_login(checker)
    assert listed(client.get("/queue/new/")) == [urgency[n].pk for n in URGENT_ORDER]


def test_it_lists_the_flagged_queue_worst_flag_first(client, checker, urgency):
    flag(Flag.Kind.SUPERSEDED, urgency["urgent_unflagged"], severity=Severity.LOW)
    flag(Flag.Kind.DUPLICATE, urgency["high_flag_low"], severity=Severity.INFO)
    client.force_login(checker)
    assert listed(client.get("/queue/flagged/")) == [
        urgency[n].pk for n in ("high_flag_low", "medium_flag", "urgent_unflagged")
    ]


def test_a_claim_with_a_high_flag_is_never_below_an_unflagged_one(client, checker, urgency):
    client.force_login(checker)
    order = listed(client.get("/queue/new/"))
    flagged_at = order.index(urgency["high_flag_low"].pk)
    unflagged = [urgency[n].pk for n in ("urgent_unflagged", "due_later", "normal")]
    assert all(order.index(pk) > flagged_at for pk in unflagged)


def test_the_users_order_wins_over_urgency(client, checker, urgency):
    client.force_login(checker)
    by_age = listed(client.get("/queue/new/?ordering=created"))
    assert by_age[0] == urgency["no_due_old"].pk and by_age[-1] == urgency["urgent_unflagged"].pk


def test_the_api_orders_claims_by_urgency_on_request(client, checker, urgency):
    client.force_login(checker)
    r = client.get("/api/v1/claims/?ordering=urgent")
    assert r.status_code == 200
    assert [c["id"] for c in r.json()["results"]] == [urgency[n].pk for n in URGENT_ORDER]
