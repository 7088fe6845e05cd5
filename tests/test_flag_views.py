"""The flag queue and flag page: filters, answers role by role, history rows, and
forms that keep what was typed when an answer is refused."""

from __future__ import annotations

import datetime as dt

import pytest

from claims.checks import sync
from claims.models import FlagEvent
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def answer(client, flag, verb, data):  # type: ignore[no-untyped-def]
    return client.post(f"/flags/{flag.pk}/{verb}/", data)


def test_the_queue_lists_open_flags_worst_first(client, checker, conflict):
    ClaimFactory(value_low=500, period_start=dt.date(2014, 2, 3), period_end=dt.date(2014, 2, 3))
    client.force_login(checker)
    r = client.get("/flags/")
    assert r.status_code == 200
    flags = list(r.context["page"])
    assert conflict in flags
    assert [f.severity for f in flags] == sorted((f.severity for f in flags), reverse=True)
    assert b"Acknowledge" in r.content


def test_the_queue_filters_by_the_url(client, checker, conflict):
    client.force_login(checker)
    assert list(client.get("/flags/?kind=duplicate").context["page"]) == []
    assert list(client.get("/flags/?kind=value_conflict&status=open").context["page"]) == [conflict]
    assert list(client.get("/flags/?status=resolved").context["page"]) == []


def test_a_bad_filter_is_a_400_with_the_form(client, checker):
    client.force_login(checker)
    r = client.get("/flags/?kind=typo&severity=99")
    assert r.status_code == 400
    assert set(r.context["form"].errors) == {"kind", "severity"}


def test_the_queue_pins_its_queries(client, checker, conflict, django_assert_num_queries):
    for day in range(3, 9):  # a clash a day: 500 against 10
        for value in (500, 10):
            on = dt.date(2014, 2, day)
            ClaimFactory(value_low=value, value_high=value, period_start=on, period_end=on)
    sync.scan_contradictions()
    client.force_login(checker)
    # session, user, roles, count, page, claims of the page
    with django_assert_num_queries(6):
        r = client.get("/flags/")
    assert r.status_code == 200 and len(r.context["page"]) > 1


def test_editors_see_the_queue_without_answers(client, editor, conflict):
    client.force_login(editor)
    r = client.get("/flags/")
    assert r.status_code == 200 and b"Acknowledge" not in r.content
    r = client.get(f"/flags/{conflict.pk}/")
    assert r.status_code == 200 and b"Resolve" not in r.content


def test_outsiders_see_no_flags(client, outsider, conflict):
    client.force_login(outsider)
    assert list(client.get("/flags/").context["page"]) == []
    assert client.get(f"/flags/{conflict.pk}/").status_code == 404
    assert answer(client, conflict, "dismiss", {"note": "x"}).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, conflict):
    assert client.get("/flags/")["Location"].startswith("/login/")
    assert answer(client, conflict, "dismiss", {"note": "x"})["Location"].startswith("/login/")


@pytest.mark.parametrize("verb", ["acknowledge", "resolve", "dismiss"])
def test_answers_are_posts_only(client, checker, conflict, verb):
    client.force_login(checker)
    assert client.get(f"/flags/{conflict.pk}/{verb}/").status_code == 405


def test_an_unknown_answer_is_a_404(client, checker, conflict):
    client.force_login(checker)
    assert answer(client, conflict, "delete", {}).status_code == 404


def test_a_checker_resolves_with_figure_and_rule(client, checker, conflict):
    client.force_login(checker)
    r = answer(
        client,
        conflict,
        "resolve",
        {"note": "Use the floor.", "figure_low": "51", "figure_high": "", "rule": "lowest_credible",
         "next": "/flags/?kind=value_conflict"},
    )  # fmt: skip
    assert r.status_code == 302 and r["Location"] == "/flags/?kind=value_conflict"
    conflict.refresh_from_db()
    assert (conflict.status, conflict.resolution_low, conflict.resolution_rule) == (
        "resolved",
        51,
        "lowest_credible",
    )
    event = conflict.events.last()
    assert (event.actor, event.to_status, event.note) == (checker, "resolved", "Use the floor.")
    page = client.get(f"/flags/{conflict.pk}/")
    assert b"Figure the desk uses" in page.content and b"51 or more" in page.content


def test_a_refused_resolution_keeps_what_was_typed(client, checker, conflict):
    client.force_login(checker)
    r = answer(client, conflict, "resolve", {"note": "The wire is wrong.", "rule": "correction"})
    assert r.status_code == 400
    assert "figure_low" in r.context["resolve_form"].errors
    assert "The wire is wrong." in r.content.decode()
    conflict.refresh_from_db()
    assert conflict.status == "open" and conflict.events.count() == 1


def test_an_offsite_next_is_not_followed(client, checker, conflict):
    client.force_login(checker)
    r = answer(client, conflict, "acknowledge", {"next": "https://evil.example.com/"})
    assert r.status_code == 302 and r["Location"] == f"/flags/{conflict.pk}/"


def test_dismiss_needs_a_note_and_records_it(client, checker, conflict):
    client.force_login(checker)
    assert answer(client, conflict, "dismiss", {"note": ""}).status_code == 400
    assert answer(client, conflict, "dismiss", {"note": "Two districts."}).status_code == 302
    assert list(FlagEvent.objects.filter(flag=conflict).values_list("to_status", "note")) == [
        ("open", "Raised by the scan."),
        ("dismissed", "Two districts."),
    ]
    r = answer(client, conflict, "acknowledge", {})
    assert r.status_code == 409  # already settled


@pytest.mark.parametrize("verb", ["acknowledge", "resolve", "dismiss"])
def test_editors_may_not_answer(client, editor, conflict, verb):
    client.force_login(editor)
    r = answer(client, conflict, verb, {"note": "x", "figure_low": "51", "rule": "range"})
    assert r.status_code == 403
    conflict.refresh_from_db()
    assert conflict.status == "open"


def test_the_claim_page_shows_its_flags_and_its_chart(client, editor, conflict):
    client.force_login(editor)
    claim = conflict.claims.order_by("value_low").first()
    r = client.get(claim.get_absolute_url())
    html = r.content.decode()
    assert f'href="/flags/{conflict.pk}/"' in html
    assert "<svg" in html and "How the figure moved" in html
    assert "Example Wire" in html and "Observatory" in html


def test_a_queue_link_without_a_status_lists_open_flags(client, checker, conflict):
    client.force_login(checker)
    severity = conflict.severity
    assert list(client.get(f"/flags/?severity={severity}").context["page"]) == [conflict]
    answer(client, conflict, "dismiss", {"note": "Two districts."})
    assert list(client.get(f"/flags/?severity={severity}").context["page"]) == []
    assert list(client.get(f"/flags/?severity={severity}&status=").context["page"]) == [conflict]
