"""A resolved conflict's figure leaves its flag: each claim it involved shows the figure
the desk uses and the rule that chose it, on its page, on the timeline and in the draft
check."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import services
from claims.checks import sync
from claims.models import Claim, Flag
from claims.timeline import claim_timeline, desk_figure
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

FEB_12 = dt.date(2014, 2, 12)


def _resolve(flag, checker, low, high, rule, note="The desk's call."):  # type: ignore[no-untyped-def]
    return services.flag_resolve(
        flag=flag, actor=checker, note=note, figure_low=low, figure_high=high, rule=rule
    )


def test_each_claim_of_a_resolved_conflict_shows_the_desk_figure(client, checker, conflict):
    sohr, wire = conflict.claims.order_by("pk")
    client.force_login(checker)
    assert client.get(f"/claims/{sohr.pk}/").context["desk_figure"] is None
    _resolve(conflict, checker, 51, None, "most_reliable", "The Observatory counts names.")
    for claim in (sohr, wire):
        r = client.get(f"/claims/{claim.pk}/")
        desk = r.context["desk_figure"]
        assert (desk.value_low, desk.value_high, desk.rule, desk.flag) == (
            51,
            None,
            "most_reliable",
            conflict.pk,
        )
        page = r.content.decode()
        assert "Desk figure" in page and "at least 51" in page
        assert "the most reliable source" in page and "The Observatory counts names." in page
        assert f'href="/flags/{conflict.pk}/"' in page


def test_the_latest_resolution_wins(checker, conflict):
    _, wire = conflict.claims.order_by("pk")
    ClaimFactory(text="A hundred killed in Aleppo on 12 Feb.", value_low=100, value_high=100)
    sync.scan_contradictions()
    second = Flag.objects.exclude(pk=conflict.pk).get(kind="value_conflict", claims=wire)
    _resolve(conflict, checker, 20, 51, "range")
    _resolve(second, checker, 25, 25, "correction")
    desk = desk_figure(Claim.objects.get(pk=wire.pk))
    assert desk is not None and (desk.value_low, desk.value_high, desk.rule) == (
        25,
        25,
        "correction",
    )


def test_a_dismissed_or_open_conflict_chooses_no_figure(checker, conflict):
    sohr, _ = conflict.claims.order_by("pk")
    assert desk_figure(sohr) is None
    services.flag_dismiss(flag=conflict, actor=checker, note="Two different incidents.")
    assert desk_figure(Claim.objects.get(pk=sohr.pk)) is None


def test_a_conflict_the_scan_resolved_later_chooses_no_figure(checker, conflict):
    sohr, _ = conflict.claims.order_by("pk")
    _resolve(conflict, checker, 20, 51, "range")
    # What the scan leaves when the flag reopened after a change and its condition then
    # went away: resolved by nobody, the old figure still on the row.
    Flag.objects.filter(pk=conflict.pk).update(
        resolved_by=None, resolution_note=sync.AUTO_RESOLVED_NOTE
    )
    assert desk_figure(Claim.objects.get(pk=sohr.pk)) is None


def test_the_timeline_draws_and_lists_the_desk_figure(checker, conflict):
    sohr, wire = conflict.claims.order_by("pk")
    _resolve(conflict, checker, 20, 51, "range")
    chart = claim_timeline(Claim.objects.get(pk=wire.pk))
    rows = {row.claim_id: row for row in chart.rows}
    assert rows[wire.pk].desk_figure == "desk uses 20 to 51 (a range)"
    assert rows[sohr.pk].desk_figure == "desk uses 20 to 51 (a range)"
    # One band for the one figure both claims share, across their day.
    assert len(chart.desk_bands) == 1
    assert chart.desk_bands[0].title == "Desk uses 20 to 51 (a range)"
    assert "desk uses 20 to 51" in chart.description
    assert any(item.kind == "desk" for item in chart.key)


def test_the_draft_check_judges_a_figure_against_the_desk_figure(client, editor, checker, conflict):
    client.force_login(editor)
    draft = {
        "text": "At least 51 people were killed in Aleppo on Wednesday.",
        "reported_on": "2014-02-13",
    }

    def standing():  # type: ignore[no-untyped-def]
        [candidate] = client.post("/draft/", draft).context["report"].candidates
        return candidate

    # Before: the desk's claims are in an open conflict, and the draft's figure cannot
    # hold with Example Wire's 20 to 30.
    before = standing()
    assert before.standing == "contradicted"
    assert [m.agrees for m in before.matches].count(False) == 1
    _resolve(conflict, checker, 51, None, "most_reliable")
    after = standing()
    assert after.standing == "open"
    assert all(m.agrees for m in after.matches)
    assert {m.claim.desk_figure for m in after.matches} == {
        "at least 51 (the most reliable source)"
    }
