"""The draft check: every claim in pasted copy matched against the desk, each match with
where the desk stands, and bad input answered with the copy kept."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims import draftcheck
from claims.checks.contradictions import compare_pair
from claims.checks.types import ClaimFact, Policy
from claims.draftcheck import DRAFT_MAX_CHARS, DeskClaim, FlagNote, match_reading
from claims.models import Claim, Flag

FEB_12 = dt.date(2014, 2, 12)
FEB_13 = dt.date(2014, 2, 13)


# ---------------------------------------------------------------------------
# The pure core: plain data in, matches out


def reading(text="At least 51 killed in Aleppo yesterday.", **fields):  # type: ignore[no-untyped-def]
    now = timezone.now()
    base = ClaimFact(
        id=0, text=text, normalised="", event="killed", unit="people", population="all",
        value_low=51, value_high=None, qualifier="at_least", place_id=7, place_name="Aleppo",
        country="SY", place_ancestors=frozenset({1}), period_start=FEB_12, period_end=FEB_12,
        period_kind="day", status="new", decided_at=None, due_at=None, reported_on=FEB_13,
        created_at=now, changed_at=now, sources=(),
    )  # fmt: skip
    return replace(base, **fields)


def desk_claim(id, status="new", reported_on=FEB_13, flags=(), **fields):  # type: ignore[no-untyped-def]
    fact = reading(
        text=f"Claim {id}: at least 51 people were killed in Aleppo yesterday.",
        id=id, status=status, reported_on=reported_on,
    )  # fmt: skip
    return DeskClaim(
        replace(fact, **fields), status_label=status, figure="", sources=(), flags=tuple(flags)
    )


def change(claim, **fields):  # type: ignore[no-untyped-def]
    """A desk claim with other facts."""
    return replace(claim, fact=replace(claim.fact, **fields))


def standings(matches):  # type: ignore[no-untyped-def]
    return {m.claim.id: m.standing for m in matches}


@pytest.mark.parametrize(
    ("status", "standing"),
    [
        ("verified", "verified"),
        ("attributed", "attributed"),
        ("disputed", "disputed"),
        ("false", "false"),
        ("new", "open"),
        ("in_review", "open"),
    ],
)
def test_a_match_stands_as_the_desk_decided(status, standing):
    matches = match_reading(reading(), [desk_claim(1, status=status)], 90)
    assert standings(matches) == {1: standing}
    assert matches[0].same_measure and matches[0].agrees


def test_an_open_expiry_flag_makes_a_match_stale():
    expired = FlagNote(9, Flag.Kind.VERIFICATION_EXPIRED, "verification expired", "Old.")
    matches = match_reading(reading(), [desk_claim(1, "verified", flags=[expired])], 90)
    assert standings(matches) == {1: "stale"}


def test_an_open_contradiction_flag_makes_a_match_contradicted():
    clash = FlagNote(9, Flag.Kind.VALUE_CONFLICT, "value conflict", "They differ.")
    matches = match_reading(reading(), [desk_claim(1, "verified", flags=[clash])], 90)
    assert standings(matches) == {1: "contradicted"}


def test_a_newer_figure_that_does_not_fit_contradicts_the_older_match():
    older = desk_claim(1, "attributed", reported_on=FEB_13)
    newer = desk_claim(2, reported_on=dt.date(2014, 2, 14), value_low=20, value_high=30)
    matches = match_reading(reading(), [older, newer], 90)
    assert standings(matches) == {1: "contradicted", 2: "disagrees"}
    assert [n.id for n in matches[0].newer_figures] == [2]
    # An older figure that does not fit is only a different figure.
    matches = match_reading(reading(), [change(older, reported_on=dt.date(2014, 2, 15)), newer], 90)
    assert standings(matches) == {1: "attributed", 2: "disagrees"}


def test_a_day_inside_a_month_is_another_measure():
    month = desk_claim(
        1, value_low=360, value_high=440, period_start=dt.date(2014, 2, 1), period_end=FEB_13,
        period_kind="to_date", text="About 400 killed in Aleppo so far this month.",
    )  # fmt: skip
    assert match_reading(reading(), [month], 90) == ()


def test_a_running_tally_may_grow_but_not_fall():
    draft = reading(
        text="About 400 killed in Aleppo so far this month.", value_low=360, value_high=440,
        period_start=dt.date(2014, 2, 1), period_end=FEB_13, period_kind="to_date",
    )  # fmt: skip
    earlier = desk_claim(
        1, value_low=120, value_high=None, period_start=dt.date(2014, 2, 1),
        period_end=dt.date(2014, 2, 5), period_kind="to_date", reported_on=dt.date(2014, 2, 5),
    )  # fmt: skip
    later = change(
        earlier, id=2, value_low=250, value_high=250, period_end=dt.date(2014, 2, 14),
        reported_on=dt.date(2014, 2, 14),
    )  # fmt: skip
    matches = match_reading(draft, [earlier, later], 90)
    assert standings(matches) == {1: "contradicted", 2: "disagrees"}


def test_similar_words_match_a_claim_without_a_figure_but_not_another_day():
    talks = reading(
        text="Talks on extending the truce in Homs went on.", value_low=None, event=None,
        place_id=8, place_name="Homs", period_start=None, period_end=None, period_kind=None,
    )  # fmt: skip
    same = DeskClaim(
        replace(talks, id=1, text="Talks on extending the truce in Homs went on, officials said."),
        status_label="new", figure="", sources=(),
    )  # fmt: skip
    matches = match_reading(talks, [same], 90)
    assert standings(matches) == {1: "open"} and not matches[0].same_measure
    assert matches[0].similarity == 100
    other_day = desk_claim(2, period_start=FEB_13, period_end=FEB_13, value_low=5, value_high=5)
    assert match_reading(reading(value_low=5, value_high=5), [other_day], 90) == ()


def test_a_figure_with_only_an_upper_end_is_weighed_as_the_scans_weigh_it():
    """The draft check's own copy of the rules took a desk figure with no low end ("up to
    30") for no figure at all, so it never said the draft's "at least 51" disagrees with it;
    the block scan raises a value conflict between the two. Now both say so."""
    up_to_30 = desk_claim(1, "verified", value_low=None, value_high=30, qualifier="up_to")
    matches = match_reading(reading(), [up_to_30], 90)
    assert standings(matches) == {1: "disagrees"} and matches[0].same_measure
    scanned = compare_pair(replace(reading(), id=2), up_to_30.fact, Policy())
    assert scanned is not None and scanned.kind == "value_conflict"


def test_a_forecast_is_not_weighed_against_a_count():
    # As the scans: "could reach 100" is what someone expects, not a rival count.
    forecast = reading(value_low=100, value_high=None, projection=True)
    assert match_reading(forecast, [desk_claim(1, value_low=20, value_high=30)], 101) == ()


def test_no_match_is_not_on_the_desk_yet():
    check = draftcheck.CandidateCheck("x", reading(), "at least 51", "", "", ())
    assert (check.standing, check.standing_label) == ("", "Not on the desk yet")


# ---------------------------------------------------------------------------
# The page, with the demo desk


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    call_command("load_demo", "--force", stdout=io.StringIO())  # DEBUG is off under pytest
    return {
        "editor": get_user_model().objects.get(username="editor"),
        "observatory_51": Claim.objects.get(text__startswith="The Britain-based Observatory"),
        "wire_20_30": Claim.objects.get(text__startswith="Between 20 and 30"),
        "wire_250": Claim.objects.get(text__startswith="The network said 250"),
        "wire_120": Claim.objects.get(text__startswith="At least 120"),
        "talks": Claim.objects.get(text__startswith="There were also reports"),
    }


def check(client, text, on="2014-02-13"):  # type: ignore[no-untyped-def]
    return client.post("/draft/", {"text": text, "reported_on": on})


def only(response):  # type: ignore[no-untyped-def]
    candidates = response.context["report"].candidates
    assert len(candidates) == 1
    return candidates[0]


@pytest.mark.parametrize(
    "text",
    [
        "at least 51 killed in Aleppo yesterday",
        "At least 51 people were killed in Aleppo yesterday, the Observatory said.",
    ],
)
def test_it_finds_the_observatory_claim_contradicted_by_example_wire(client, demo, text):
    client.force_login(demo["editor"])
    r = check(client, text)
    assert r.status_code == 200
    found = only(r)
    assert found.standing == "contradicted"
    by_id = {m.claim.id: m for m in found.matches}
    observatory = by_id[demo["observatory_51"].pk]
    assert observatory.standing == "contradicted" and observatory.same_measure
    assert [n.id for n in observatory.newer_figures] == [demo["wire_20_30"].pk]
    assert [f.kind for f in observatory.claim.conflicts] == ["value_conflict"]
    assert by_id[demo["wire_20_30"].pk].standing == "disagrees"
    html = r.content.decode()
    assert f'href="/claims/{demo["observatory_51"].pk}/"' in html
    assert "Contradicted by a newer figure" in html and "Example Medical Network" in html
    assert f'href="/flags/{observatory.claim.conflicts[0].id}/"' in html


def test_it_finds_the_month_to_date_figure_contradicted_by_a_lower_newer_count(client, demo):
    client.force_login(demo["editor"])
    found = only(check(client, "About 400 people have been killed in Aleppo so far this month."))
    assert found.standing == "contradicted"
    newer = {n.id for m in found.matches for n in m.newer_figures}
    assert newer == {demo["wire_250"].pk}


def test_it_shows_an_attributed_claim_and_a_stale_one(client, demo):
    client.force_login(demo["editor"])
    text = "At least 120 people have been killed in Aleppo since Feb. 1, the medics said."
    matches = {m.claim.id: m for m in only(check(client, text, on="2014-02-05")).matches}
    assert matches[demo["wire_120"].pk].standing == "attributed"
    # The later running count agrees with the figure but is itself in conflict.
    assert matches[demo["wire_250"].pk].standing == "contradicted"
    expired = Flag.objects.create(
        kind=Flag.Kind.VERIFICATION_EXPIRED, message="Decided too long ago.",
        fingerprint="stale-120", last_seen=timezone.now(),
    )  # fmt: skip
    expired.claims.add(demo["wire_120"])
    matches = {m.claim.id: m for m in only(check(client, text, on="2014-02-05")).matches}
    assert matches[demo["wire_120"].pk].standing == "stale"


def test_a_figure_not_on_the_desk_says_so(client, demo):
    client.force_login(demo["editor"])
    r = check(client, "At least 30 people were injured in Homs on Monday.")
    found = only(r)
    assert found.matches == () and found.standing_label == "Not on the desk yet"
    assert "Not on the desk yet" in r.content.decode()


def test_it_matches_a_statement_without_a_figure_by_its_words(client, demo):
    client.force_login(demo["editor"])
    text = (
        "There were also reports of talks between Syrian government and UN officials on "
        "extending the humanitarian truce in the central city of Homs."
    )
    found = only(check(client, text))
    assert [(m.claim.id, m.standing) for m in found.matches] == [(demo["talks"].pk, "open")]


def test_retracted_claims_are_not_matched(client, demo):
    Claim.objects.filter(pk=demo["observatory_51"].pk).update(status="retracted")
    client.force_login(demo["editor"])
    found = only(check(client, "At least 51 people were killed in Aleppo yesterday."))
    assert demo["observatory_51"].pk not in {m.claim.id for m in found.matches}


def test_a_fact_checker_may_check_a_draft_too(client, demo):
    client.force_login(get_user_model().objects.get(username="checker"))
    assert check(client, "At least 30 people were injured in Homs on Monday.").status_code == 200


def test_its_cost_grows_with_the_blocks_not_the_sentences(client, demo):
    """Two sentences or six about one block: the same queries, each claims query
    narrowed to the block (event, unit, country) and the draft's periods."""
    client.force_login(demo["editor"])
    one = "At least 51 people were killed in Aleppo yesterday."
    many = " ".join([one, "About 400 people have been killed in Aleppo so far this month."] * 3)
    counts = []
    for text in (one, many):
        with CaptureQueriesContext(connection) as queries:
            assert check(client, text).status_code == 200
        counts.append(len(queries))
        block = [q["sql"] for q in queries if 'FROM "claims_claim"' in q["sql"]]
        assert len(block) == 1 and '"claims_claim"."event" = ' in block[0]
    assert counts[0] == counts[1]


def test_it_says_when_a_block_was_too_big_to_read_whole(client, demo, monkeypatch):
    monkeypatch.setattr(draftcheck, "BLOCK_LIMIT", 1)
    client.force_login(demo["editor"])
    r = check(client, "At least 51 people were killed in Aleppo yesterday.")
    assert r.context["report"].truncated
    assert "only the latest were compared" in r.content.decode()


# ---------------------------------------------------------------------------
# Bad input, roles and methods


def test_the_form_opens_on_today(client, editor):
    client.force_login(editor)
    r = client.get("/draft/")
    assert r.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in r.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": "   ", "reported_on": "2014-02-13"}, "text", "Paste the draft to check."),
        ({"text": "51 killed.", "reported_on": "2014-02-30"}, "reported_on", "YYYY-MM-DD"),
        ({"text": "51 killed.", "reported_on": ""}, "reported_on", "This field is required."),
    ],
)
def test_bad_input_is_a_400_that_keeps_what_was_typed(client, editor, data, field, message):
    client.force_login(editor)
    r = client.post("/draft/", data)
    assert r.status_code == 400
    assert field in r.context["form"].errors
    html = r.content.decode()
    assert message in html and "The draft was not checked" in html
    if data["text"].strip():
        assert f"{data['text']}</textarea>" in html
    if data["reported_on"]:
        assert f'value="{data["reported_on"]}"' in html


def test_a_draft_over_its_cap_is_a_400(client, editor):
    client.force_login(editor)
    text = "At least 51 people were killed in Aleppo yesterday. " * (DRAFT_MAX_CHARS // 50)
    r = client.post("/draft/", {"text": text, "reported_on": "2014-02-13"})
    assert r.status_code == 400
    assert f"at most {DRAFT_MAX_CHARS:,}" in r.content.decode()
    assert text[:200] in r.content.decode()


def test_outsiders_may_not_check_drafts(client, outsider):
    client.force_login(outsider)
    assert client.get("/draft/").status_code == 403
    assert check(client, "At least 51 killed in Aleppo yesterday.").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    assert client.get("/draft/")["Location"].startswith("/login/")


def test_other_methods_are_refused(client, editor):
    client.force_login(editor)
    assert client.put("/draft/").status_code == 405
