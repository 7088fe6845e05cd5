"""Claim entry with its live reading, source picking, editing with versions, and the
claim page's actions, role by role, with the history rows they leave."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from claims import services
from claims.models import Attribution, Claim, ClaimEvent, Comment, Evidence, Source, Status
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    EvidenceFactory,
    PlaceFactory,
    SourceAliasFactory,
    SourceFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db

ALEPPO = "About 400 killed in Aleppo so far this month, per the Observatory"
FEB_13 = "2014-02-13"


@pytest.fixture
def sohr():  # type: ignore[no-untyped-def]
    source = SourceFactory(name="Syrian Observatory for Human Rights", grade="C")
    SourceAliasFactory(source=source, name="Observatory")
    SourceAliasFactory(source=source, name="SOHR")
    return source


@pytest.fixture
def activists():  # type: ignore[no-untyped-def]
    return SourceFactory(name="Activists (unnamed)", kind="activists", grade="F")


def html(r) -> str:  # type: ignore[no-untyped-def]
    return r.content.decode()


def read(client, text, **extra):  # type: ignore[no-untyped-def]
    return client.post("/claims/read/", {"text": text, "reported_on": FEB_13, **extra})


def value_of(page: str, name: str) -> str:
    """The value an input called `name` carries in the page."""
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', page
    )
    return found.group(1) if found else ""


def selected(page: str, name: str) -> str:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, name
    option = re.search(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return option.group(1) if option else ""


# ---------------------------------------------------------------------------
# The new claim form


def test_it_shows_the_new_claim_form_to_an_editor(client, editor):
    client.force_login(editor)
    r = client.get("/claims/new/")
    assert r.status_code == 200
    page = html(r)
    assert 'hx-trigger="input changed delay:400ms"' in page
    assert "Read the text" in page and "Save claim" in page
    assert dt.date.today().isoformat() in page  # reported on: today by default  # noqa: DTZ011


def test_it_offers_the_form_with_the_story_chosen(client, editor):
    story = StoryFactory(headline="Barrel bombs in Aleppo")
    client.force_login(editor)
    page = html(client.get(f"/claims/new/?story={story.pk}"))
    assert selected(page, "story") == str(story.pk)


@pytest.mark.parametrize("persona", ["checker", "outsider"])
def test_only_editors_and_admins_may_log_claims(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/claims/new/").status_code == 403
    r = client.post("/claims/new/", {"text": ALEPPO, "reported_on": FEB_13})
    assert r.status_code == 403
    assert not Claim.objects.exists()


def test_admins_may_log_claims(client, admin):
    client.force_login(admin)
    assert client.get("/claims/new/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get("/claims/new/")["Location"].startswith("/login/")


def test_the_new_claim_page_takes_no_other_methods(client, editor):
    client.force_login(editor)
    assert client.put("/claims/new/").status_code == 405
    assert client.delete("/claims/new/").status_code == 405


# ---------------------------------------------------------------------------
# The live reading


def test_the_reading_fills_the_fields(client, editor, sohr):
    client.force_login(editor)
    r = read(client, ALEPPO)
    assert r.status_code == 200
    page = html(r)
    assert (value_of(page, "value_low"), value_of(page, "value_high")) == ("360", "440")
    assert selected(page, "qualifier") == "approx" and selected(page, "event") == "killed"
    assert (value_of(page, "place_name"), value_of(page, "place_country")) == ("Aleppo", "SY")
    assert value_of(page, "period_start") == "2014-02-01"
    assert value_of(page, "period_end") == "2014-02-13"
    assert selected(page, "period_kind") == "to_date"
    assert value_of(page, "time_expression") == "so far this month"
    # The summary says it in words, and swaps in out of band.
    assert 'hx-swap-oob="innerHTML"' in page
    assert "about 400" in page and "360–440" in page and "1–13 Feb 2014, to date" in page
    # The Observatory is SOHR through its alias; the copy's words come along.
    assert f'name="sources" value="{sohr.pk}"' in page
    assert value_of(page, f"words_{sohr.pk}") == "the Observatory"


def test_the_reading_shows_words_it_cannot_map(client, editor):
    client.force_login(editor)
    page = html(read(client, "At least 51 killed in Aleppo yesterday, activists said"))
    assert value_of(page, "source_text") == "activists"
    assert "names no source in the register" in page
    assert "Or add it to the register" not in page  # editors cannot create sources


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "asdf qwer ;;; 0x",
        "¡¿",
        "🙂" * 40,
        "<script>alert(1)</script>",
        "\x00\x01",
        "400",
    ],
)
def test_empty_or_garbage_text_gives_an_empty_reading(client, editor, text):
    client.force_login(editor)
    r = read(client, text)
    assert r.status_code == 200
    page = html(r)
    assert "Nothing to read yet" in page or "No figure, place, time frame or source" in page
    assert value_of(page, "value_low") == "" and value_of(page, "place_name") == ""
    assert "<script>alert" not in page


def test_a_huge_number_reads_without_failing(client, editor):
    client.force_login(editor)
    r = read(client, "99999999999999999999999999 people were killed")
    assert r.status_code == 200


def test_text_over_5000_characters_is_a_400(client, editor):
    client.force_login(editor)
    assert read(client, "x" * 5000).status_code == 200
    r = read(client, "killed " + "x" * 4994)
    assert r.status_code == 400
    assert "more than 5,000 characters" in html(r)


def test_the_reading_keeps_what_the_editor_changed(client, editor, sohr):
    client.force_login(editor)
    first = read(client, ALEPPO)
    machine = first.context["machine"]
    # The editor corrects the place; the text then changes its figure.
    fields = {
        "machine": machine,
        "value_low": "360",
        "value_high": "440",
        "qualifier": "approx",
        "unit": "people",
        "event": "killed",
        "population": "all",
        "place_name": "Homs",
        "place_country": "SY",
        "period_start": "2014-02-01",
        "period_end": "2014-02-13",
        "period_kind": "to_date",
        "time_expression": "so far this month",
        "sources": [str(sohr.pk)],
        f"words_{sohr.pk}": "the Observatory",
    }
    r = read(client, ALEPPO.replace("About 400", "At least 450"), **fields)
    page = html(r)
    assert (value_of(page, "value_low"), value_of(page, "value_high")) == ("450", "")
    assert value_of(page, "place_name") == "Homs"  # the editor's, not the reading's
    assert "yours" in page
    # A field the editor cleared stays clear.
    r = read(client, ALEPPO, **{**fields, "machine": machine, "time_expression": ""})
    assert value_of(html(r), "time_expression") == ""


def test_the_reading_is_for_editors_by_post(client, editor, checker, outsider):
    client.force_login(editor)
    assert client.get("/claims/read/").status_code == 405
    for user in (checker, outsider):
        client.force_login(user)
        assert read(client, ALEPPO).status_code == 403


# ---------------------------------------------------------------------------
# Saving a new claim


def test_it_logs_a_claim_from_its_text_and_date_alone(client, editor, sohr):
    """Without JavaScript the form may post only the words and the date."""
    client.force_login(editor)
    r = client.post("/claims/new/", {"text": ALEPPO, "reported_on": FEB_13})
    claim = Claim.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/claims/{claim.pk}/"
    assert (claim.value_low, claim.value_high, claim.qualifier) == (360, 440, "approx")
    assert claim.place is not None and claim.place.name == "Aleppo"
    assert (claim.period_start, claim.period_end) == (dt.date(2014, 2, 1), dt.date(2014, 2, 13))
    assert claim.period_kind == "to_date" and claim.reported_on == dt.date(2014, 2, 13)
    attribution = claim.attributions.get()
    assert (attribution.source, attribution.source_text) == (sohr, "the Observatory")
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.kind, event.actor, event.to_status) == ("created", editor, "new")


def test_the_read_button_fills_the_form_without_saving(client, editor, sohr):
    client.force_login(editor)
    r = client.post("/claims/new/", {"text": ALEPPO, "reported_on": FEB_13, "action": "read"})
    assert r.status_code == 200
    page = html(r)
    assert value_of(page, "value_low") == "360" and value_of(page, "place_name") == "Aleppo"
    assert "<html" in page  # the whole page, not the partial
    assert not Claim.objects.exists()


def test_it_saves_the_editors_corrections(client, editor, sohr):
    client.force_login(editor)
    machine = read(client, ALEPPO).context["machine"]
    story = StoryFactory()
    r = client.post(
        "/claims/new/",
        {
            "action": "save",
            "text": ALEPPO,
            "reported_on": FEB_13,
            "story": story.pk,
            "machine": machine,
            "value_low": "360",
            "value_high": "440",
            "qualifier": "approx",
            "unit": "people",
            "event": "killed",
            "population": "civilians",
            "place_name": "Homs",
            "place_country": "SY",
            "period_start": "2014-02-01",
            "period_end": "2014-02-13",
            "period_kind": "to_date",
            "time_expression": "so far this month",
            "sources": [str(sohr.pk)],
            f"words_{sohr.pk}": "the Observatory",
            f"role_{sohr.pk}": "corroborated_by",
        },
    )
    assert r.status_code == 302
    claim = Claim.objects.get()
    assert claim.place.name == "Homs" and claim.population == "civilians"
    assert claim.story == story
    assert claim.attributions.get().role == "corroborated_by"


def test_a_refused_claim_keeps_what_was_typed(client, editor):
    client.force_login(editor)
    r = client.post(
        "/claims/new/",
        {
            "action": "save",
            "text": "Fighters seized the airport, my words here",
            "reported_on": FEB_13,
            "value_low": "many",
            "place_name": "Somewhere Nobody Knows",
        },
    )
    assert r.status_code == 400
    page = html(r)
    assert "Fighters seized the airport, my words here" in page
    assert value_of(page, "value_low") == "many"
    assert "value_low" in r.context["form"].errors
    assert not Claim.objects.exists()


def test_a_claim_the_service_refuses_keeps_what_was_typed(client, editor):
    client.force_login(editor)
    r = client.post(
        "/claims/new/",
        {
            "action": "save",
            "text": "Shelling hit the old town, my note",
            "reported_on": FEB_13,
            "place_name": "Nowhereville Xq",
            "machine": json.dumps({"text": "Shelling hit the old town, my note"}),
        },
    )
    assert r.status_code == 400
    assert "give its country code" in html(r)
    assert value_of(html(r), "place_name") == "Nowhereville Xq"
    assert not Claim.objects.exists()


def test_it_refuses_a_period_that_ends_before_it_starts(client, editor):
    client.force_login(editor)
    text = "Dozens were detained in Homs"
    r = client.post(
        "/claims/new/",
        {
            "action": "save",
            "text": text,
            "reported_on": FEB_13,
            "machine": json.dumps({"text": text, "reported_on": FEB_13}),
            "period_start": "2014-02-13",
            "period_end": "2014-02-01",
            "period_kind": "span",
        },
    )
    assert r.status_code == 400
    assert "The period must not end before it starts." in html(r)


# ---------------------------------------------------------------------------
# Picking sources


def test_the_source_search_finds_sources_by_alias(client, editor, sohr, activists):
    client.force_login(editor)
    for q in ("SOHR", "the Observatory", "observ"):
        page = html(client.get("/sources/search/", {"q": q}))
        assert "Syrian Observatory for Human Rights" in page and "Activists" not in page
        assert f'name="add_source" value="{sohr.pk}"' in page
    page = html(client.get("/sources/search/", {"q": "SOHR", "source_text": "the monitor"}))
    assert f'name="map_source" value="{sohr.pk}"' in page
    page = html(client.get("/sources/search/", {"q": "Nobody at all"}))
    assert "No source in the register is called" in page


def test_the_source_search_is_for_the_desk(client, outsider, sohr):
    client.force_login(outsider)
    assert client.get("/sources/search/", {"q": "SOHR"}).status_code == 403


def test_it_adds_a_source_from_the_search(client, editor, sohr):
    client.force_login(editor)
    r = client.post("/claims/sources/", {"add_source": sohr.pk, "q": "SOHR"})
    assert r.status_code == 200
    page = html(r)
    assert f'name="sources" value="{sohr.pk}"' in page and "checked" in page
    assert value_of(page, "q") == ""


def test_mapping_keeps_the_copys_words_with_the_source(client, editor, activists):
    client.force_login(editor)
    r = client.post("/claims/sources/", {"map_source": activists.pk, "source_text": "local men"})
    page = html(r)
    assert value_of(page, f"words_{activists.pk}") == "local men"
    assert value_of(page, "source_text") == ""
    text = "At least 51 killed in Aleppo yesterday, local men said"
    r = client.post(
        "/claims/new/",
        {
            "text": text,
            "reported_on": FEB_13,
            "sources": [activists.pk],
            f"words_{activists.pk}": "local men",
            # the editor's change of the sources group, so the reading leaves it alone
            "machine": json.dumps({"source_text": "local men"}),
        },
    )
    assert r.status_code == 302
    claim = Claim.objects.get()
    assert claim.attributions.get().source_text == "local men" and claim.source_text == ""


def test_unknown_words_can_be_kept_and_dropped(client, editor):
    client.force_login(editor)
    page = html(client.post("/claims/sources/", {"keep_unmapped": "a local doctor"}))
    assert value_of(page, "source_text") == "a local doctor"
    page = html(client.post("/claims/sources/", {"drop_unmapped": "1", "source_text": "x"}))
    assert value_of(page, "source_text") == ""


def test_only_admins_create_sources_from_the_copys_words(client, editor, admin):
    data = {
        "create_source": "1",
        "source_text": "Aleppo Media Centre",
        "new_source-name": "Aleppo Media Centre",
        "new_source-kind": "activists",
        "new_source-grade": "E",
    }
    client.force_login(editor)
    r = client.post("/claims/sources/", data)
    assert r.status_code == 403
    assert not Source.objects.filter(name="Aleppo Media Centre").exists()
    client.force_login(admin)
    r = client.post("/claims/sources/", {**data, "new_source-name": "AMC"})
    assert r.status_code == 200
    source = Source.objects.get(name="AMC")
    assert (source.kind, source.grade) == ("activists", "E")
    assert list(source.aliases.values_list("name", flat=True)) == ["Aleppo Media Centre"]
    assert value_of(html(r), f"words_{source.pk}") == "Aleppo Media Centre"


def test_a_refused_new_source_keeps_the_admins_fields(client, admin, sohr):
    client.force_login(admin)
    r = client.post(
        "/claims/sources/",
        {
            "create_source": "1",
            "source_text": "SOHR",  # already an alias of the Observatory
            "new_source-name": "Another monitor",
            "new_source-kind": "monitor",
            "new_source-grade": "C",
        },
    )
    assert r.status_code == 400
    assert "already names Syrian Observatory" in html(r)
    assert value_of(html(r), "new_source-name") == "Another monitor"
    assert not Source.objects.filter(name="Another monitor").exists()


def test_the_sources_block_is_for_the_desk_by_post(client, editor, outsider):
    client.force_login(editor)
    assert client.get("/claims/sources/").status_code == 405
    client.force_login(outsider)
    assert client.post("/claims/sources/", {"drop_unmapped": "1"}).status_code == 403


def test_a_source_that_does_not_exist_is_refused(client, editor):
    client.force_login(editor)
    r = client.post("/claims/sources/", {"add_source": "999999"})
    assert r.status_code == 400 and "No source has id 999999" in html(r)


def test_the_no_script_form_picks_sources_too(client, editor, sohr):
    client.force_login(editor)
    r = client.post("/claims/new/", {"text": "x", "reported_on": FEB_13, "add_source": sohr.pk})
    assert r.status_code == 200
    assert f'name="sources" value="{sohr.pk}"' in html(r)
    assert not Claim.objects.exists()


# ---------------------------------------------------------------------------
# The claim page


@pytest.fixture
def busy_claim(checker, editor):  # type: ignore[no-untyped-def]
    """A claim with something in every section of its page."""
    claim = ClaimFactory(created_by=editor)
    AttributionFactory(claim=claim, source=SourceFactory(name="Observatory"))
    AttributionFactory(claim=claim, source=SourceFactory(name="Example Wire"))
    services.claim_transition(claim=claim, actor=checker, to="in_review")
    services.evidence_add(claim=claim, actor=checker, url="https://example.org/a")
    services.evidence_add(claim=claim, actor=editor, url="https://example.org/b", excerpt="51")
    services.comment_add(claim=claim, actor=editor, body="Check the wire.")
    services.comment_add(claim=claim, actor=checker, body="On it.")
    return claim


def test_the_claim_page_pins_its_queries(
    client, checker, editor, busy_claim, django_assert_num_queries
):
    # session, user, roles; claim, attributions, events, evidence (+ who added it,
    # + its snapshots),
    # comments (+ authors), open flags; the check policy (how wide
    # "about" is); the chart (3, its flags bringing the desk figure); the register's
    # independence links (two sources or more: which stand on each other); and for a
    # checker: is there supporting evidence (may it be verified?), who to assign to
    client.force_login(checker)
    client.get(f"/claims/{busy_claim.pk}/")  # warm the content types
    with django_assert_num_queries(19):
        assert client.get(f"/claims/{busy_claim.pk}/").status_code == 200
    # More of everything costs no more.
    services.evidence_add(claim=busy_claim, actor=checker, url="https://example.org/c")
    services.comment_add(claim=busy_claim, actor=editor, body="And more.")
    AttributionFactory(claim=busy_claim, source=SourceFactory(name="Third"))
    with django_assert_num_queries(19):
        client.get(f"/claims/{busy_claim.pk}/")
    client.force_login(editor)
    with django_assert_num_queries(17):
        client.get(f"/claims/{busy_claim.pk}/")


def test_the_claim_page_shows_everything_about_the_claim(client, editor, busy_claim):
    client.force_login(editor)
    page = html(client.get(f"/claims/{busy_claim.pk}/"))
    assert "Observatory" in page and "Example Wire" in page
    assert "https://example.org/a" in page and "Check the wire." in page
    assert "chris" in page and "New → In review" in page
    assert "added evidence (supports): https://example.org/b" in page


def test_the_edit_link_shows_only_when_the_role_may_edit(client, editor, checker):
    fresh, taken = ClaimFactory(), ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    client.force_login(editor)
    assert f'href="/claims/{fresh.pk}/edit/"' in html(client.get(f"/claims/{fresh.pk}/"))
    assert f'href="/claims/{taken.pk}/edit/"' not in html(client.get(f"/claims/{taken.pk}/"))
    client.force_login(checker)
    assert f'href="/claims/{taken.pk}/edit/"' in html(client.get(f"/claims/{taken.pk}/"))


def test_the_actions_follow_the_role(client, editor, checker):
    claim = ClaimFactory()
    client.force_login(editor)
    page = html(client.get(f"/claims/{claim.pk}/"))
    assert "Take this claim" not in page and "Assign to" not in page
    assert "Retract this claim" in page
    client.force_login(checker)
    page = html(client.get(f"/claims/{claim.pk}/"))
    assert "Take this claim" in page and "Assign to" in page


def test_an_outsider_sees_no_claim(client, outsider):
    claim = ClaimFactory()
    client.force_login(outsider)
    assert client.get(f"/claims/{claim.pk}/").status_code == 404
    assert client.get(f"/claims/{claim.pk}/edit/").status_code == 404


# ---------------------------------------------------------------------------
# Editing, with versions


def edit_data(claim: Claim, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "text": claim.text,
        "reported_on": "2014-02-13",
        "value_low": "51",
        "value_high": "",
        "qualifier": "at_least",
        "unit": "people",
        "event": "killed",
        "population": "all",
        "place_name": "Aleppo",
        "place_country": "SY",
        "period_start": "2014-02-12",
        "period_end": "2014-02-12",
        "period_kind": "day",
        "time_expression": "",
        "version": claim.version,
        "action": "save",
    }
    for a in claim.attributions.all():
        data.setdefault("sources", [])
        data["sources"].append(a.source_id)  # type: ignore[union-attr]
        data[f"words_{a.source_id}"] = a.source_text
        data[f"role_{a.source_id}"] = a.role
    data.update(changes)
    return data


def test_the_edit_form_carries_the_version(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    r = client.get(f"/claims/{claim.pk}/edit/")
    assert r.status_code == 200
    page = html(r)
    assert value_of(page, "version") == "1" and value_of(page, "place_name") == "Aleppo"


def test_it_saves_an_edit_and_records_what_changed(client, editor):
    claim = ClaimFactory()
    AttributionFactory(claim=claim, source=SourceFactory(name="Observatory"))
    client.force_login(editor)
    data = edit_data(claim, value_low="60", place_name="Homs", note="The wire's figure.")
    r = client.post(f"/claims/{claim.pk}/edit/", data)
    assert r.status_code == 302 and r["Location"] == f"/claims/{claim.pk}/"
    claim.refresh_from_db()
    assert (claim.value_low, claim.place.name, claim.version) == (60, "Homs", 2)
    assert claim.attributions.count() == 1
    event = ClaimEvent.objects.get(claim=claim, kind="edited")
    assert event.actor == editor and event.note == "The wire's figure."
    assert event.details["changed"]["value_low"] == [51, 60]
    assert event.details["changed"]["place"] == ["Aleppo (SY)", "Homs (SY)"]
    page = html(client.get(f"/claims/{claim.pk}/"))
    assert "Low: <del>51</del> → <ins>60</ins>" in page


def test_saving_over_someone_elses_change_shows_both_versions(client, editor, checker):
    claim = ClaimFactory()
    client.force_login(checker)
    assert (
        client.post(f"/claims/{claim.pk}/edit/", edit_data(claim, value_low="70")).status_code
        == 302
    )
    client.force_login(editor)
    mine = edit_data(claim, value_low="55", time_expression="on Wednesday")  # still version 1
    r = client.post(f"/claims/{claim.pk}/edit/", mine)
    assert r.status_code == 409
    page = html(r)
    assert "Someone saved this claim while you were editing" in page
    rows = r.context["conflict"]
    assert ("Low", "70", "55") in [(row.label, row.theirs, row.yours) for row in rows]
    # Only the field both changed is a conflict; the time words only this person changed.
    assert "Time words" not in [row.label for row in rows]
    # Yours stay in the form, now against their version: saving again replaces theirs.
    assert value_of(page, "value_low") == "55" and value_of(page, "version") == "2"
    assert value_of(page, "time_expression") == "on Wednesday"
    claim.refresh_from_db()
    assert claim.value_low == 70
    r = client.post(f"/claims/{claim.pk}/edit/", {**mine, "version": "2"})
    assert r.status_code == 302
    claim.refresh_from_db()
    assert (claim.value_low, claim.version) == (55, 3)


def test_a_refused_edit_keeps_what_was_typed(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    r = client.post(f"/claims/{claim.pk}/edit/", edit_data(claim, value_high="10"))
    assert r.status_code == 400  # the high figure below the low one
    assert value_of(html(r), "value_high") == "10"
    r = client.post(f"/claims/{claim.pk}/edit/", edit_data(claim, value_low="lots"))
    assert r.status_code == 400 and value_of(html(r), "value_low") == "lots"
    assert not ClaimEvent.objects.filter(claim=claim, kind="edited").exists()


def test_an_editor_may_not_edit_a_claim_in_review(client, editor, checker):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    client.force_login(editor)
    assert client.get(f"/claims/{claim.pk}/edit/").status_code == 403
    r = client.post(f"/claims/{claim.pk}/edit/", edit_data(claim, value_low="99"))
    assert r.status_code == 409 and "can no longer be edited by your role" in html(r)
    assert value_of(html(r), "value_low") == "99"
    claim.refresh_from_db()
    assert claim.value_low == 51


def test_an_outsider_may_not_edit(client, outsider):
    claim = ClaimFactory()
    client.force_login(outsider)
    assert client.post(f"/claims/{claim.pk}/edit/", edit_data(claim)).status_code == 404


def test_the_edit_page_takes_no_other_methods(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    assert client.put(f"/claims/{claim.pk}/edit/").status_code == 405


def test_the_edit_form_maps_unmapped_words(client, editor, activists):
    claim = ClaimFactory(source_text="local men")
    client.force_login(editor)
    data = edit_data(claim, sources=[activists.pk], source_text="")
    data[f"words_{activists.pk}"] = "local men"
    assert client.post(f"/claims/{claim.pk}/edit/", data).status_code == 302
    claim.refresh_from_db()
    assert claim.source_text == ""
    assert claim.attributions.get().source_text == "local men"


# ---------------------------------------------------------------------------
# Take, decide, reopen, retract


def transition(client, claim, to, note="", version=None):  # type: ignore[no-untyped-def]
    data = {"to": to, "note": note, "version": version or claim.version}
    return client.post(f"/claims/{claim.pk}/transition/", data)


def test_a_checker_takes_decides_and_reopens(client, checker):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim)
    client.force_login(checker)
    assert transition(client, claim, "in_review").status_code == 302
    claim.refresh_from_db()
    assert transition(client, claim, "verified", "Two sources agree.").status_code == 302
    claim.refresh_from_db()
    assert transition(client, claim, "in_review", "New figure out.").status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW and claim.assignee == checker
    moves = ClaimEvent.objects.filter(claim=claim, kind="transition")
    assert list(moves.values_list("from_status", "to_status", "note")) == [
        ("new", "in_review", ""),
        ("in_review", "verified", "Two sources agree."),
        ("verified", "in_review", "New figure out."),
    ]


def test_a_decision_without_a_note_is_a_400(client, checker):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    client.force_login(checker)
    assert transition(client, claim, "attributed", "").status_code == 400


def test_an_editor_may_not_decide_and_keeps_the_note(client, editor, checker):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    client.force_login(editor)
    r = transition(client, claim, "false", "My careful note")
    assert r.status_code == 403
    assert "My careful note" in html(r) and "Not saved" in html(r)
    assert not ClaimEvent.objects.filter(claim=claim).exists()


def test_an_editor_retracts_with_a_note(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    assert transition(client, claim, "retracted", "Duplicate of #3.").status_code == 302
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.actor, event.to_status, event.note) == (editor, "retracted", "Duplicate of #3.")


def test_a_stale_transition_is_a_409_that_keeps_the_note(client, checker):
    claim = ClaimFactory()
    client.force_login(checker)
    transition(client, claim, "in_review")
    r = transition(client, claim, "retracted", "Duplicate of another", version=1)
    assert r.status_code == 409
    assert "Duplicate of another" in html(r)
    assert re.search(r'<details class="action danger-zone" open>', html(r))


def test_transitions_are_posts_only_and_hidden_from_outsiders(client, checker, outsider):
    claim = ClaimFactory()
    client.force_login(checker)
    assert client.get(f"/claims/{claim.pk}/transition/").status_code == 405
    client.force_login(outsider)
    assert transition(client, claim, "retracted", "x").status_code == 404


# ---------------------------------------------------------------------------
# Assigning


def test_a_checker_assigns_a_claim_to_another(client, checker, other_checker):
    claim = ClaimFactory()
    client.force_login(checker)
    r = client.post(
        f"/claims/{claim.pk}/assign/",
        {"assignee": other_checker.pk, "note": "Casey knows Aleppo.", "version": 1},
    )
    assert r.status_code == 302
    claim.refresh_from_db()
    assert claim.assignee == other_checker
    event = ClaimEvent.objects.get(claim=claim, kind="assigned")
    assert (event.actor, event.note, event.details["to"]) == (
        checker,
        "Casey knows Aleppo.",
        "casey",
    )
    assert "assigned it to casey" in html(client.get(f"/claims/{claim.pk}/"))


def test_an_editor_may_not_assign(client, editor, checker):
    claim = ClaimFactory()
    client.force_login(editor)
    r = client.post(f"/claims/{claim.pk}/assign/", {"assignee": checker.pk})
    assert r.status_code == 403
    claim.refresh_from_db()
    assert claim.assignee is None and not ClaimEvent.objects.filter(claim=claim).exists()


def test_claims_go_only_to_fact_checkers(client, checker, editor):
    claim = ClaimFactory()
    client.force_login(checker)
    r = client.post(f"/claims/{claim.pk}/assign/", {"assignee": editor.pk, "note": "typed"})
    assert r.status_code == 400
    assert "assignee" in r.context["assign_form"].errors


def test_assigning_is_a_post_and_hidden_from_outsiders(client, checker, outsider):
    claim = ClaimFactory()
    client.force_login(checker)
    assert client.get(f"/claims/{claim.pk}/assign/").status_code == 405
    client.force_login(outsider)
    assert client.post(f"/claims/{claim.pk}/assign/", {"assignee": ""}).status_code == 404


# ---------------------------------------------------------------------------
# Evidence and comments


def test_it_adds_evidence(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    r = client.post(
        f"/claims/{claim.pk}/evidence/",
        {"url": "https://sohr.example/report", "stance": "contradicts", "excerpt": "Only 40."},
    )
    assert r.status_code == 302
    evidence = Evidence.objects.get(claim=claim)
    assert (evidence.stance, evidence.excerpt, evidence.added_by) == (
        "contradicts",
        "Only 40.",
        editor,
    )
    event = ClaimEvent.objects.get(claim=claim)
    assert event.kind == "evidence_added" and event.details["url"] == "https://sohr.example/report"


def test_bad_evidence_keeps_what_was_typed(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    r = client.post(
        f"/claims/{claim.pk}/evidence/",
        {"url": "not a link", "stance": "supports", "excerpt": "My excerpt"},
    )
    assert r.status_code == 400
    assert "My excerpt" in html(r) and "not a link" in html(r)
    assert not Evidence.objects.exists()


def test_a_retracted_claim_takes_no_evidence(client, editor):
    claim = ClaimFactory(status=Status.RETRACTED)
    client.force_login(editor)
    r = client.post(
        f"/claims/{claim.pk}/evidence/", {"url": "https://a.example/", "stance": "supports"}
    )
    assert r.status_code == 409
    assert "https://a.example/" in html(r)


def test_evidence_is_added_by_post_by_the_desk(client, editor, outsider):
    claim = ClaimFactory()
    client.force_login(editor)
    assert client.get(f"/claims/{claim.pk}/evidence/").status_code == 405
    client.force_login(outsider)
    r = client.post(
        f"/claims/{claim.pk}/evidence/", {"url": "https://a.example/", "stance": "supports"}
    )
    assert r.status_code == 404


def test_it_removes_evidence_with_a_note(client, checker):
    evidence = EvidenceFactory()
    client.force_login(checker)
    url = f"/claims/{evidence.claim_id}/evidence/{evidence.pk}/remove/"
    r = client.post(url, {"note": ""})
    assert r.status_code == 400 and "Say why this evidence goes." in html(r)
    assert client.post(url, {"note": "Dead link, page replaced."}).status_code == 302
    assert not Evidence.objects.exists()
    event = ClaimEvent.objects.get(claim_id=evidence.claim_id, kind="evidence_removed")
    assert (event.actor, event.note) == (checker, "Dead link, page replaced.")


def test_the_last_support_of_a_verified_claim_stays(client, checker):
    evidence = EvidenceFactory(claim=ClaimFactory(status=Status.VERIFIED))
    client.force_login(checker)
    r = client.post(
        f"/claims/{evidence.claim_id}/evidence/{evidence.pk}/remove/", {"note": "Wrong page"}
    )
    assert r.status_code == 409 and "reopen the claim first" in html(r)
    assert 'value="Wrong page"' in html(r)
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_of_another_claim_is_not_found(client, checker):
    evidence = EvidenceFactory()
    other = ClaimFactory()
    client.force_login(checker)
    r = client.post(f"/claims/{other.pk}/evidence/{evidence.pk}/remove/", {"note": "x"})
    assert r.status_code == 404


def test_removing_evidence_is_a_post_by_the_desk(client, checker, outsider):
    evidence = EvidenceFactory()
    url = f"/claims/{evidence.claim_id}/evidence/{evidence.pk}/remove/"
    client.force_login(checker)
    assert client.get(url).status_code == 405
    client.force_login(outsider)
    assert client.post(url, {"note": "x"}).status_code == 404


def test_it_adds_a_comment(client, checker):
    claim = ClaimFactory()
    client.force_login(checker)
    assert client.post(f"/claims/{claim.pk}/comments/", {"body": "  "}).status_code == 400
    assert client.post(f"/claims/{claim.pk}/comments/", {"body": "Wire has 40."}).status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.body) == (checker, "Wire has 40.")
    assert ClaimEvent.objects.get(claim=claim).kind == "commented"
    assert "Wire has 40." in html(client.get(f"/claims/{claim.pk}/"))


def test_comments_are_posts_by_the_desk(client, checker, outsider):
    claim = ClaimFactory()
    client.force_login(checker)
    assert client.get(f"/claims/{claim.pk}/comments/").status_code == 405
    client.force_login(outsider)
    assert client.post(f"/claims/{claim.pk}/comments/", {"body": "x"}).status_code == 404


def test_the_page_offers_each_source_once_with_its_grade(client, editor, sohr):
    claim = ClaimFactory()
    Attribution.objects.create(claim=claim, source=sohr, source_text="the Observatory")
    PlaceFactory(name="Homs")
    client.force_login(editor)
    page = html(client.get(f"/claims/{claim.pk}/"))
    assert 'title="C: fairly reliable">C</span> Syrian Observatory for Human Rights' in page
    assert "the copy says “the Observatory”" in page
