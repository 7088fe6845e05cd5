"""The story pages: the list and its search, pasting and editing a story, and the story
page where editors accept, correct or reject the claims found in the copy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from django.utils import timezone

from claims.models import STORY_MAX_CHARS, CandidateRejection, Claim, ClaimEvent, Place, Story
from claims.views.common import PAGE_SIZE
from claims.views.stories import story_paragraphs
from tests.factories import ClaimFactory, SourceAliasFactory, SourceFactory, StoryFactory

pytestmark = pytest.mark.django_db

# Made up for these tests: two counts (one from a known source, one from words the
# register does not know) and an attributed statement without a figure.
BODY = (
    "At least 120 people have been killed in Aleppo so far this month, the Observatory "
    "said on Thursday.\n\n"
    "Officials said 14 people were injured in Homs yesterday, according to <b>local</b> "
    "activists.\n\n"
    "The Observatory said talks on reopening the road to the north of the city had "
    "stalled again.\n\n"
    "Shops in the old market stayed shut."
)
# The figures' offsets: a count is answered by its figure phrase, a statement without a
# figure by its sentence.
FIRST = (0, len("At least 120 people"))
SECOND = (BODY.index("14 people"), BODY.index("14 people") + len("14 people"))
THIRD = (BODY.index("The Observatory said talks"), BODY.index("stalled again.") + 14)
FIRST_SENTENCE = BODY[: BODY.index(" said on Thursday.") + len(" said on Thursday.")]


@pytest.fixture
def story(editor, observatory):  # type: ignore[no-untyped-def]
    return StoryFactory(
        headline="Toll rises in Aleppo",
        body=BODY,
        published_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
        created_by=editor,
    )


def offsets(span: tuple[int, int]) -> dict[str, int]:
    return {"start": span[0], "end": span[1]}


def accept(client, story, span, htmx=False, **data):  # type: ignore[no-untyped-def]
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(f"/stories/{story.pk}/accept/", {**offsets(span), **data}, **extra)


def reject(client, story, span, htmx=False, **data):  # type: ignore[no-untyped-def]
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(f"/stories/{story.pk}/reject/", {**offsets(span), **data}, **extra)


def edited(span: tuple[int, int], **fields: str) -> dict[str, object]:
    """An edit-then-accept post: the reading of FIRST as the form shows it, corrected."""
    data: dict[str, object] = {
        "edit": "1",
        **offsets(span),
        "value_low": "120",
        "value_high": "",
        "qualifier": "at_least",
        "event": "killed",
        "population": "all",
        "place_name": "Aleppo",
        "place_country": "SY",
        "period_start": "2014-02-01",
        "period_end": "2014-02-13",
        "period_kind": "to_date",
        "sources": "Observatory",
    }
    data.update(fields)
    return data


def test_the_test_offsets_name_the_figures():
    assert BODY[FIRST[0] : FIRST[1]] == "At least 120 people"
    assert BODY[SECOND[0] : SECOND[1]] == "14 people"
    assert BODY[THIRD[0] : THIRD[1]].endswith("stalled again.")


# ---------------------------------------------------------------------------
# /stories/


def test_it_lists_stories_newest_first_with_their_claim_counts(client, checker):
    older = StoryFactory(
        headline="Truce talks", published_at=dt.datetime(2014, 2, 1, tzinfo=dt.UTC)
    )
    newer = StoryFactory(headline="Aleppo toll")
    ClaimFactory(story=newer)
    ClaimFactory(story=newer)
    client.force_login(checker)
    r = client.get("/stories/")
    assert r.status_code == 200
    assert list(r.context["page"]) == [newer, older]
    assert [s.claim_count for s in r.context["page"]] == [2, 0]
    assert '2 <span class="muted">claims</span>' in r.content.decode()
    assert b"New story" not in r.content  # fact-checkers do not add stories


def test_it_searches_headlines_and_copy_by_the_url(client, editor):
    aleppo = StoryFactory(headline="Barrel bombs", body="Raids on Aleppo went on.")
    StoryFactory(headline="Homs truce", body="Talks on the truce in Homs went on.")
    client.force_login(editor)
    assert list(client.get("/stories/?q=aleppo").context["page"]) == [aleppo]
    assert list(client.get("/stories/?q=barrel+raids").context["page"]) == [aleppo]
    assert list(client.get("/stories/?q=barrel+homs").context["page"]) == []
    r = client.get("/stories/?q=nowhere")
    assert "No story matches “nowhere”" in r.content.decode()
    assert 'value="nowhere"' in r.content.decode()


def test_the_list_paginates_and_keeps_the_search(client, editor):
    for n in range(PAGE_SIZE + 3):
        StoryFactory(headline=f"Aleppo update {n}")
    client.force_login(editor)
    r = client.get("/stories/?q=aleppo")
    assert len(r.context["page"]) == PAGE_SIZE
    assert "?q=aleppo&amp;page=2" in r.content.decode()
    assert len(client.get("/stories/?q=aleppo&page=2").context["page"]) == 3


def test_the_list_pins_its_queries(client, editor, django_assert_num_queries):
    for _ in range(5):
        story = StoryFactory()
        ClaimFactory(story=story)
    client.force_login(editor)
    # session, user, roles, count, page with its claim counts
    with django_assert_num_queries(5):
        r = client.get("/stories/?q=story")
    assert r.status_code == 200 and len(r.context["page"]) == 5


def test_the_list_is_read_only_and_for_the_desk(client, outsider):
    StoryFactory(headline="Barrel bombs")
    assert client.get("/stories/")["Location"].startswith("/login/")
    client.force_login(outsider)
    r = client.get("/stories/")
    assert r.status_code == 200 and list(r.context["page"]) == []
    assert client.post("/stories/").status_code == 405


# ---------------------------------------------------------------------------
# /stories/new/ and /stories/<id>/edit/


NEW_STORY = {
    "headline": "Raids go on in Aleppo",
    "published_on": "2014-02-13",
    "published_time": "",
    "byline": "Desk staff",
    "url": "https://news.example.org/raids",
    "desk": "World",
    "status": "draft",
    "body": "First paragraph.\r\nAt least 51 people were killed in Aleppo yesterday.",
}


def test_an_editor_pastes_a_story_and_lands_on_its_page(client, editor):
    client.force_login(editor)
    assert client.get("/stories/new/").status_code == 200
    r = client.post("/stories/new/", NEW_STORY)
    story = Story.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/stories/{story.pk}/"
    assert timezone.localdate(story.published_at) == dt.date(2014, 2, 13)
    assert story.created_by == editor and story.byline == "Desk staff"
    # Line breaks are stored as the parser and the offsets expect them.
    assert "\r" not in story.body
    page = client.get(r["Location"])
    assert "Story saved" in page.content.decode()
    assert page.context["summary"]["counts"] == 1


def test_the_time_is_optional_but_kept_when_given(client, admin):
    client.force_login(admin)
    client.post("/stories/new/", {**NEW_STORY, "published_time": "09:30"})
    story = Story.objects.get()
    assert timezone.localtime(story.published_at).time() == dt.time(9, 30)


def test_a_refused_story_keeps_what_was_typed(client, editor):
    client.force_login(editor)
    r = client.post("/stories/new/", {**NEW_STORY, "published_on": "13/13/2014", "url": "nope"})
    assert r.status_code == 400
    assert set(r.context["form"].errors) == {"published_on", "url"}
    html = r.content.decode()
    assert "Raids go on in Aleppo" in html and "At least 51 people were killed" in html
    assert "The story was not saved" in html
    assert not Story.objects.exists()


def test_a_story_longer_than_the_cap_is_refused(client, editor):
    client.force_login(editor)
    r = client.post("/stories/new/", {**NEW_STORY, "body": "x" * (STORY_MAX_CHARS + 1)})
    assert r.status_code == 400
    assert "body" in r.context["form"].errors
    assert 'value="Raids go on in Aleppo"' in r.content.decode()
    # The browser must not cut a long paste short without a word.
    assert "maxlength" not in str(r.context["form"]["body"])
    assert not Story.objects.exists()


@pytest.mark.parametrize("persona", ["checker", "outsider"])
def test_only_editors_and_admins_add_stories(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/stories/new/").status_code == 403
    assert client.post("/stories/new/", NEW_STORY).status_code == 403
    assert not Story.objects.exists()


def test_the_story_form_takes_only_get_and_post(client, editor):
    client.force_login(editor)
    assert client.put("/stories/new/").status_code == 405
    assert client.delete("/stories/new/").status_code == 405


def test_an_editor_edits_a_story(client, editor, story):
    client.force_login(editor)
    r = client.get(f"/stories/{story.pk}/edit/")
    assert r.status_code == 200 and 'value="2014-02-13"' in r.content.decode()
    data = {**NEW_STORY, "headline": "Toll rises again in Aleppo", "body": BODY}
    r = client.post(f"/stories/{story.pk}/edit/", data)
    assert r.status_code == 302 and r["Location"] == f"/stories/{story.pk}/"
    story.refresh_from_db()
    assert story.headline == "Toll rises again in Aleppo" and story.desk == "World"


def test_a_refused_edit_keeps_what_was_typed(client, editor, story):
    client.force_login(editor)
    r = client.post(f"/stories/{story.pk}/edit/", {**NEW_STORY, "headline": "", "byline": "Ed"})
    assert r.status_code == 400 and "headline" in r.context["form"].errors
    assert 'value="Ed"' in r.content.decode()
    story.refresh_from_db()
    assert story.headline == "Toll rises in Aleppo"


def test_only_editors_edit_stories(client, checker, outsider, story):
    client.force_login(checker)
    assert client.get(f"/stories/{story.pk}/edit/").status_code == 403
    assert client.post(f"/stories/{story.pk}/edit/", NEW_STORY).status_code == 403
    client.force_login(outsider)
    assert client.get(f"/stories/{story.pk}/edit/").status_code == 404
    story.refresh_from_db()
    assert story.headline == "Toll rises in Aleppo"


# ---------------------------------------------------------------------------
# /stories/<id>/: the copy with its candidates


def test_it_marks_the_candidates_in_the_copy(client, editor, story):
    client.force_login(editor)
    r = client.get(f"/stories/{story.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    # Each figure is marked where it stands, inside its sentence, in paragraphs, with
    # the copy escaped; a statement without a figure is marked whole.
    assert html.count('<mark class="cand-mark is-count is-open" id="mark-') == 2
    assert html.count('<mark class="cand-mark is-statement is-open" id="mark-') == 1
    assert (
        f'<span class="cand-sent"><mark class="cand-mark is-count is-open" '
        f'id="mark-{FIRST[0]}-{FIRST[1]}">At least 120 people<a class="cand-ref"'
    ) in html
    assert "have been killed in Aleppo so far this month" in html
    assert "&lt;b&gt;local&lt;/b&gt;" in html and "<b>local</b>" not in html
    assert '<p id="para-4">Shops in the old market stayed shut.</p>' in html
    # The cards come in the order of the copy, grouped by paragraph.
    assert [(n, [c.key for c in cards]) for n, cards in r.context["groups"]] == [
        (1, [f"{FIRST[0]}-{FIRST[1]}"]),
        (2, [f"{SECOND[0]}-{SECOND[1]}"]),
        (3, [f"{THIRD[0]}-{THIRD[1]}"]),
    ]
    assert [c.has_number for c in r.context["cards"]] == [True, True, False]
    assert '<span class="cand-words">14 people</span>' in html


def test_it_shows_the_reading_beside_each_candidate(client, editor, story):
    client.force_login(editor)
    html = client.get(f"/stories/{story.pk}/").content.decode()
    assert "at least 120</strong> killed" in html
    assert "1–13 Feb 2014" in html and "“so far this month”" in html
    assert "Syrian Observatory for Human Rights" in html
    assert "unmapped: Officials" in html
    # The statement names no place of its own: it takes the story's, marked as such.
    statement = html.split(f'id="cand-{THIRD[0]}-{THIRD[1]}"', 1)[1].split("</li>", 1)[0]
    assert '<span class="hint">from context' in statement
    assert 'Accept<span class="sr-only"> claim: At least 120 people</span>' in html


def test_it_prefills_the_edit_form_with_the_reading(client, editor, story):
    client.force_login(editor)
    cards = client.get(f"/stories/{story.pk}/").context["cards"]
    form = cards[0].edit_form
    assert {k: form.initial[k] for k in ("value_low", "qualifier", "place_name", "sources")} == {
        "value_low": 120,
        "qualifier": "at_least",
        "place_name": "Aleppo",
        "sources": "Syrian Observatory for Human Rights",
    }


def test_fact_checkers_read_the_candidates_without_answering(client, checker, story):
    client.force_login(checker)
    r = client.get(f"/stories/{story.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Accept<span" not in html and "Editors accept or reject" in html


def test_outsiders_do_not_see_stories(client, outsider, story):
    client.force_login(outsider)
    assert client.get(f"/stories/{story.pk}/").status_code == 404


def test_the_paragraphs_follow_the_offsets():
    class Card:
        def __init__(self, start: int, end: int, sentence: tuple[int, int] | None = None) -> None:
            self.start, self.end, self.sentence_span = start, end, sentence

    body = "One two.\nThree four five.\n\nSix. Seven 7 and 8 eight."
    three = Card(9, 25)
    sentence = (body.index("Seven"), len(body))
    seven = Card(body.index("7"), body.index("7") + 1, sentence)
    eight = Card(body.index("8"), body.index("8") + 1, sentence)
    six = Card(body.index("Six"), body.index("Six") + 4)
    cards = [three, six, Card(10, 12), seven, eight]
    paras = story_paragraphs(body, cards)  # type: ignore[arg-type]

    def runs(segments):  # type: ignore[no-untyped-def]
        return [(s.text, s.card is not None) if not s.parts else runs(s.parts) for s in segments]

    assert [(p.number, runs(p.runs)) for p in paras] == [
        (1, [("One two.", False)]),
        (2, [("Three four five.", True)]),
        # Two figures marked inside their sentence.
        (3, [("Six.", True), (" ", False),
             [("Seven ", False), ("7", True), (" and ", False), ("8", True), (" eight.", False)]]),
    ]  # fmt: skip
    # A page shows some of the paragraphs.
    only = story_paragraphs(body, cards, [(9, 25)])  # type: ignore[arg-type]
    assert [(p.number, runs(p.runs)) for p in only] == [(2, [("Three four five.", True)])]


# ---------------------------------------------------------------------------
# Accepting a candidate


def test_an_editor_accepts_a_candidate_as_read(client, editor, story, observatory):
    client.force_login(editor)
    r = accept(client, story, FIRST)
    assert r.status_code == 302
    assert r["Location"] == f"/stories/{story.pk}/#cand-{FIRST[0]}-{FIRST[1]}"
    claim = Claim.objects.get()
    # The claim keeps its figure's offsets, and its sentence as its words.
    assert (claim.story, claim.story_start, claim.story_end) == (story, *FIRST)
    assert claim.text == FIRST_SENTENCE
    assert (claim.value_low, claim.value_high, claim.qualifier) == (120, None, "at_least")
    assert claim.place.name == "Aleppo" and [a.source for a in claim.attributions.all()] == [
        observatory
    ]
    event = ClaimEvent.objects.get(claim=claim)
    assert (event.kind, event.actor, event.to_status) == ("created", editor, "new")
    page = client.get(r["Location"]).content.decode()
    assert f"Accepted as claim #{claim.pk}." in page
    assert f'<a href="/claims/{claim.pk}/">Claim #{claim.pk}</a>' in page
    assert '<span class="status status-new">New</span>' in page


def test_htmx_gets_the_card_and_what_it_changed(client, editor, story):
    client.force_login(editor)
    r = accept(client, story, SECOND, htmx=True)
    assert r.status_code == 200
    claim = Claim.objects.get()
    html = r.content.decode()
    assert html.lstrip().startswith(f'<li id="cand-{SECOND[0]}-{SECOND[1]}"')
    assert f"Accepted as claim #{claim.pk}." in html and "autofocus" in html
    # The mark in the copy, the counts and the claims table change with it.
    assert f'id="mark-{SECOND[0]}-{SECOND[1]}" hx-swap-oob="true"' in html
    assert 'id="cand-summary" class="cand-summary" hx-swap-oob="true"' in html
    assert "1 accepted" in html
    assert 'id="story-claims"' in html and claim.text[:40] in html
    assert "<html" not in html


def test_an_editor_accepts_with_corrections(client, editor, story, observatory):
    SourceFactory(name="Homs Health Directorate")
    client.force_login(editor)
    r = accept(
        client,
        story,
        SECOND,
        **edited(
            SECOND,
            value_low="14",
            value_high="20",
            qualifier="range",
            event="injured",
            population="civilians",
            place_name="Homs",
            period_start="2014-02-12",
            period_end="2014-02-12",
            period_kind="day",
            sources="Homs Health Directorate, Observatory",
        ),
    )
    assert r.status_code == 302
    claim = Claim.objects.get()
    assert (claim.value_low, claim.value_high, claim.qualifier, claim.population) == (
        14,
        20,
        "range",
        "civilians",
    )
    assert (claim.place.name, claim.country) == ("Homs", "SY")
    assert sorted(a.source.name for a in claim.attributions.all()) == [
        "Homs Health Directorate",
        "Syrian Observatory for Human Rights",
    ]
    # The unmapped words are mapped now.
    assert claim.source_text == ""
    assert ClaimEvent.objects.filter(claim=claim, kind="created", actor=editor).exists()
    # The card shows the claim as accepted, not the parser's reading again.
    card = next(c for c in client.get(f"/stories/{story.pk}/").context["cards"] if c.span == SECOND)
    assert card.reading["source"] == "Homs Health Directorate, Syrian Observatory for Human Rights"
    assert (card.reading["interval"], card.reading["population"]) == ("14–20", "civilians")
    assert card.reading["period"] == "12 Feb 2014" and not card.reading["unmapped"]


def test_a_correction_can_drop_the_figure_place_and_period(client, editor, story):
    client.force_login(editor)
    blank = {k: "" for k in ("value_low", "qualifier", "event", "place_name", "place_country")}
    blank |= {"period_start": "", "period_end": "", "period_kind": "", "sources": ""}
    r = accept(client, story, FIRST, **edited(FIRST, **blank))
    assert r.status_code == 302
    claim = Claim.objects.get()
    assert (claim.value_low, claim.unit, claim.place, claim.period_start) == (None, "", None, None)
    assert not claim.attributions.exists()


def test_an_unknown_source_is_a_400_that_keeps_what_was_typed(client, editor, story):
    client.force_login(editor)
    r = accept(client, story, FIRST, **edited(FIRST, sources="Nobody We Know", value_low="125"))
    assert r.status_code == 400
    card = next(c for c in r.context["cards"] if (c.start, c.end) == FIRST)
    assert card.open_panel == "edit" and "sources" in card.edit_form.errors
    html = r.content.decode()
    assert "No source is called &#x27;Nobody We Know&#x27;" in html
    assert 'value="Nobody We Know"' in html and 'value="125"' in html
    assert '<details class="cand-panel" open>' in html
    assert not Claim.objects.exists()
    assert not Place.objects.filter(name="Aleppo").exists()  # rolled back with the refusal


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"value_low": "lots"}, "value_low"),
        ({"value_low": "30", "value_high": "20", "qualifier": "range"}, "value_high"),
        ({"period_start": "2014-02-12", "period_end": ""}, "period_end"),
        ({"place_name": "Nowhereville", "place_country": ""}, "place_name"),
    ],
)
def test_bad_corrections_are_400s_with_field_errors(client, editor, story, fields, field):
    client.force_login(editor)
    r = accept(client, story, FIRST, **edited(FIRST, **fields))
    assert r.status_code == 400
    card = next(c for c in r.context["cards"] if (c.start, c.end) == FIRST)
    assert field in card.edit_form.errors, card.edit_form.errors
    assert not Claim.objects.exists()


def test_a_refused_correction_comes_back_to_htmx_in_its_card(client, editor, story):
    client.force_login(editor)
    r = accept(client, story, FIRST, **edited(FIRST, sources="Nobody We Know"), htmx=True)
    assert r.status_code == 400
    html = r.content.decode()
    assert html.lstrip().startswith(f'<li id="cand-{FIRST[0]}-{FIRST[1]}"')
    assert 'role="alert"' in html and 'value="Nobody We Know"' in html


def test_a_candidate_is_accepted_once(client, editor, story):
    client.force_login(editor)
    accept(client, story, FIRST)
    r = accept(client, story, FIRST)
    assert r.status_code == 409
    assert "already claim" in r.content.decode()
    assert Claim.objects.count() == 1


def test_offsets_that_name_no_candidate_are_a_400(client, editor, story):
    client.force_login(editor)
    assert accept(client, story, (3, 40)).status_code == 400
    assert client.post(f"/stories/{story.pk}/accept/", {"start": "x"}).status_code == 400
    assert not Claim.objects.exists()


def test_accepting_is_a_post(client, editor, story):
    client.force_login(editor)
    assert client.get(f"/stories/{story.pk}/accept/").status_code == 405


def test_fact_checkers_may_not_accept(client, checker, story):
    client.force_login(checker)
    assert accept(client, story, FIRST).status_code == 403
    assert accept(client, story, FIRST, **edited(FIRST)).status_code == 403
    assert not Claim.objects.exists()


def test_outsiders_may_not_accept(client, outsider, story):
    client.force_login(outsider)
    assert accept(client, story, FIRST).status_code == 404
    assert not Claim.objects.exists()


# ---------------------------------------------------------------------------
# Rejecting a candidate


def test_an_editor_rejects_a_candidate_with_a_reason(client, editor, story):
    client.force_login(editor)
    r = reject(client, story, THIRD, note="Background, not a claim.")
    assert r.status_code == 302
    assert r["Location"] == f"/stories/{story.pk}/#cand-{THIRD[0]}-{THIRD[1]}"
    rejection = CandidateRejection.objects.get()
    assert (rejection.story, rejection.start, rejection.end) == (story, *THIRD)
    assert (rejection.rejected_by, rejection.note) == (editor, "Background, not a claim.")
    assert rejection.sentence == rejection.words == BODY[THIRD[0] : THIRD[1]]
    assert rejection.rejected_at is not None
    page = client.get(r["Location"])
    html = page.content.decode()
    assert "Rejected by eddie" in html and "“Background, not a claim.”" in html
    # It is not offered again.
    card = next(c for c in page.context["cards"] if (c.start, c.end) == THIRD)
    assert card.state == "rejected"
    assert "claim: The Observatory said talks" not in html
    assert accept(client, story, THIRD).status_code == 409
    assert not Claim.objects.exists()


def test_a_reason_is_optional_and_htmx_gets_the_card(client, admin, story):
    client.force_login(admin)
    r = reject(client, story, SECOND, htmx=True)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Rejected: it will not be offered again." in html
    assert f'id="mark-{SECOND[0]}-{SECOND[1]}" hx-swap-oob="true"' in html
    assert "is-rejected" in html
    assert CandidateRejection.objects.get().note == ""


def test_a_candidate_is_rejected_once_and_never_after_it_was_accepted(client, editor, story):
    client.force_login(editor)
    reject(client, story, THIRD)
    assert reject(client, story, THIRD, note="Again").status_code == 409
    accept(client, story, FIRST)
    r = reject(client, story, FIRST)
    assert r.status_code == 409
    assert CandidateRejection.objects.count() == 1


def test_a_long_reason_is_a_400_that_keeps_it(client, editor, story):
    client.force_login(editor)
    r = reject(client, story, THIRD, note="why " * 600)
    assert r.status_code == 400
    card = next(c for c in r.context["cards"] if (c.start, c.end) == THIRD)
    assert card.open_panel == "reject" and "note" in card.reject_form.errors
    assert "why why why" in r.content.decode()
    assert not CandidateRejection.objects.exists()


def test_rejecting_is_a_post(client, editor, story):
    client.force_login(editor)
    assert client.get(f"/stories/{story.pk}/reject/").status_code == 405


def test_fact_checkers_may_not_reject(client, checker, story):
    client.force_login(checker)
    assert reject(client, story, THIRD, note="no").status_code == 403
    assert not CandidateRejection.objects.exists()


def test_outsiders_may_not_reject(client, outsider, story):
    client.force_login(outsider)
    assert reject(client, story, THIRD).status_code == 404
    assert not CandidateRejection.objects.exists()


def test_a_rejection_of_words_since_edited_out_does_not_count(client, editor, story):
    client.force_login(editor)
    reject(client, story, THIRD)
    new_body = BODY.replace("had stalled again", "went well at last")
    story.body = new_body
    story.save(update_fields=["body"])
    r = client.get(f"/stories/{story.pk}/")
    card = next(c for c in r.context["cards"] if not c.has_number)
    assert card.state == "open"
    assert reject(client, story, (card.start, card.end), note="Still background").status_code == 302
    assert CandidateRejection.objects.get().sentence.endswith("went well at last.")


# ---------------------------------------------------------------------------
# The API reports and records rejections too


def test_the_api_reports_and_records_rejections(client, editor, checker, story):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(checker)
    assert api.post(f"/api/v1/stories/{story.pk}/reject/", offsets(THIRD)).status_code == 403
    api.force_authenticate(editor)
    r = api.post(f"/api/v1/stories/{story.pk}/reject/", {**offsets(THIRD), "note": "Context."})
    assert r.status_code == 201, r.json()
    assert (r.json()["rejected_by"], r.json()["note"]) == ("eddie", "Context.")
    found = api.post(f"/api/v1/stories/{story.pk}/extract/").json()
    assert [c["rejected"] for c in found] == [False, False, True]
    again = api.post(f"/api/v1/stories/{story.pk}/reject/", offsets(THIRD))
    assert again.status_code == 409
    bad = api.post(f"/api/v1/stories/{story.pk}/reject/", {"start": 9, "end": 3})
    assert bad.status_code == 400 and "end" in bad.json()


# ---------------------------------------------------------------------------
# One candidate per figure: a sentence with two counts gives two

TWO_FIGURES = (
    "At least 30 people were killed and 75 injured when shells hit a market in Idlib on "
    "Monday, the Observatory said."
)


@pytest.fixture
def two_figures(monkeypatch):  # type: ignore[no-untyped-def]
    """Extraction as the per-count parser gives it: the TWO_FIGURES sentence is two
    candidates, one per figure (the parser's own answer when it already gives two)."""
    from claims.selectors import stories  # where the story's extraction calls the parser

    real = stories.extract

    def per_figure(text, published_on, context=None):  # type: ignore[no-untyped-def]
        found = real(text, published_on, context)
        mine = [c for c in found if c.sentence == TWO_FIGURES]
        if len(mine) != 1:
            return found
        c = mine[0]
        s = c.sentence_start
        killed, injured = TWO_FIGURES.index("At least 30 people"), TWO_FIGURES.index("75")
        first = dataclasses.replace(
            c.parsed, value_low=30, value_high=None, qualifier="at_least", event="killed"
        )
        second = dataclasses.replace(
            c.parsed, value_low=75, value_high=75, qualifier="exact", event="injured"
        )
        split = [
            dataclasses.replace(c, start=s + killed, end=s + killed + 18, parsed=first),
            dataclasses.replace(c, start=s + injured, end=s + injured + 2, parsed=second),
        ]
        return [x for x in found if x is not c] + split

    monkeypatch.setattr(stories, "extract", per_figure)


@pytest.fixture
def two_story(editor, observatory, two_figures):  # type: ignore[no-untyped-def]
    return StoryFactory(
        headline="Market shelled in Idlib",
        body=f"{TWO_FIGURES}\n\nShops in the old market stayed shut.",
        published_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
        created_by=editor,
    )


def figure(story, words):  # type: ignore[no-untyped-def]
    start = story.body.index(words)
    return start, start + len(words)


def test_it_marks_each_figure_of_a_sentence(client, editor, two_story):
    client.force_login(editor)
    r = client.get(f"/stories/{two_story.pk}/")
    html = r.content.decode()
    killed, injured = figure(two_story, "At least 30 people"), figure(two_story, "75")
    assert [c.span for c in r.context["cards"]] == [killed, injured]
    # Both marks stand inside the one sentence.
    sentence = html.split('<span class="cand-sent">', 1)[1].split("</span></p>", 1)[0]
    assert f'id="mark-{killed[0]}-{killed[1]}">At least 30 people' in sentence
    assert f'id="mark-{injured[0]}-{injured[1]}">75<' in sentence
    assert "at least 30</strong> killed" in html and "75</strong> injured" in html
    # Each card quotes the sentence with its own figure picked out.
    assert '<mark class="cand-in">75</mark> injured when shells hit' in html


def test_two_figures_of_a_sentence_are_accepted_separately(client, editor, two_story):
    from rest_framework.test import APIClient

    killed, injured = figure(two_story, "At least 30 people"), figure(two_story, "75")
    client.force_login(editor)
    assert accept(client, two_story, killed).status_code == 302
    api = APIClient()
    api.force_authenticate(editor)
    r = api.post(f"/api/v1/stories/{two_story.pk}/accept/", offsets(injured))
    assert r.status_code == 201, r.json()
    first, second = Claim.objects.order_by("story_start")
    assert (first.story_start, first.story_end, first.value_low, first.event) == (
        *killed,
        30,
        "killed",
    )
    assert (second.story_start, second.story_end, second.value_low, second.event) == (
        *injured,
        75,
        "injured",
    )
    assert first.text == second.text == TWO_FIGURES
    cards = client.get(f"/stories/{two_story.pk}/").context["cards"]
    assert [(c.state, c.found.claim_id) for c in cards] == [
        ("accepted", first.pk),
        ("accepted", second.pk),
    ]
    assert accept(client, two_story, injured).status_code == 409


def test_a_rejection_is_per_figure(client, editor, two_story):
    killed, injured = figure(two_story, "At least 30 people"), figure(two_story, "75")
    client.force_login(editor)
    assert reject(client, two_story, killed, note="Counted in the weekly toll.").status_code == 302
    rejection = CandidateRejection.objects.get()
    assert (rejection.start, rejection.end, rejection.words) == (*killed, "At least 30 people")
    assert rejection.sentence == TWO_FIGURES
    cards = client.get(f"/stories/{two_story.pk}/").context["cards"]
    assert [c.state for c in cards] == ["rejected", "open"]
    assert accept(client, two_story, injured).status_code == 302
    assert accept(client, two_story, killed).status_code == 409


def test_a_rejection_counts_only_while_the_same_words_stand_there(client, editor, story):
    client.force_login(editor)
    reject(client, story, SECOND)
    assert CandidateRejection.objects.get().words == "14 people"
    # The figure is corrected in the copy: the same offsets, other words.
    story.body = BODY.replace("14 people", "19 people")
    story.save(update_fields=["body"])
    card = next(c for c in client.get(f"/stories/{story.pk}/").context["cards"] if c.span == SECOND)
    assert (card.words, card.state) == ("19 people", "open")
    # And back: the rejection stands again.
    story.body = BODY
    story.save(update_fields=["body"])
    card = next(c for c in client.get(f"/stories/{story.pk}/").context["cards"] if c.span == SECOND)
    assert card.state == "rejected"


def test_answers_from_before_figures_had_offsets_still_count(client, editor, story):
    # A claim and a rejection recorded when a candidate was its whole sentence.
    sentence = (BODY.index("Officials"), BODY.index("activists.") + len("activists."))
    ClaimFactory(story=story, story_start=0, story_end=len(FIRST_SENTENCE), value_low=120)
    CandidateRejection.objects.create(
        story=story,
        start=sentence[0],
        end=sentence[1],
        sentence=BODY[sentence[0] : sentence[1]],
        rejected_by=editor,
        rejected_at=timezone.now(),
    )
    client.force_login(editor)
    cards = client.get(f"/stories/{story.pk}/").context["cards"]
    assert [c.state for c in cards] == ["accepted", "rejected", "open"]
    assert accept(client, story, FIRST).status_code == 409
    assert Claim.objects.count() == 1


# ---------------------------------------------------------------------------
# The extraction is stored with the story and read again only when it is stale


@pytest.fixture
def extractions(monkeypatch):  # type: ignore[no-untyped-def]
    """Counts the parser's readings of whole stories."""
    from claims.selectors import stories  # where the story's extraction calls the parser

    calls: list[str] = []
    real = stories.extract

    def counted(text, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(stories, "extract", counted)
    return calls


def test_the_page_reads_the_stored_extraction(
    client, editor, story, extractions, django_assert_num_queries
):
    client.force_login(editor)
    first = client.get(f"/stories/{story.pk}/")
    assert len(extractions) == 1
    story.refresh_from_db()
    assert len(story.extraction) == 3 and len(story.extraction_key) == 64
    # session, user, roles, story; the registers for the key (aliases, sources, places,
    # policy); the story's claims and rejections; the policy for the readings; the claims
    # table; the user's own and group permissions; the story's history (corrections).
    # No extraction, however long the story.
    with django_assert_num_queries(15):
        again = client.get(f"/stories/{story.pk}/")
    assert len(extractions) == 1
    assert [(c.key, c.reading) for c in again.context["cards"]] == [
        (c.key, c.reading) for c in first.context["cards"]
    ]


def test_the_stored_extraction_gives_back_the_same_candidates(story):
    from claims import selectors

    found = selectors.story_extraction(story=story)
    stored = Story.objects.get(pk=story.pk)
    assert selectors.story_extraction(story=stored) == found
    # Words the body holds are not stored twice.
    assert "sentence" not in stored.extraction[0] and "text" not in stored.extraction[0]["parsed"]


def test_an_answer_reads_the_copy_at_most_once(client, editor, story, extractions):
    client.force_login(editor)
    # Not read yet: the answer reads it once, and its card comes from that reading.
    assert accept(client, story, FIRST, htmx=True).status_code == 200
    assert len(extractions) == 1
    # Accepting it put Aleppo in the place register, which the parser reads: the next
    # answer reads the copy again, once.
    assert reject(client, story, THIRD, htmx=True).status_code == 200
    assert len(extractions) == 2
    # Nothing new in the registers: read from the story.
    assert reject(client, story, SECOND, htmx=True).status_code == 200
    client.get(f"/stories/{story.pk}/")
    assert len(extractions) == 2


def test_a_changed_body_is_read_again(client, editor, story, extractions):
    client.force_login(editor)
    client.get(f"/stories/{story.pk}/")
    key = Story.objects.get(pk=story.pk).extraction_key
    body = BODY.replace("14 people", "16 people")
    r = client.post(f"/stories/{story.pk}/edit/", {**NEW_STORY, "body": body})
    assert r.status_code == 302
    page = client.get(f"/stories/{story.pk}/")
    assert len(extractions) == 2
    assert Story.objects.get(pk=story.pk).extraction_key != key
    assert "16 people" in [c.words for c in page.context["cards"]]
    # A new headline leaves the copy as read.
    client.post(f"/stories/{story.pk}/edit/", {**NEW_STORY, "body": body, "headline": "New"})
    client.get(f"/stories/{story.pk}/")
    assert len(extractions) == 2


def test_a_new_alias_makes_the_extraction_stale(client, editor, story, extractions):
    client.force_login(editor)
    client.get(f"/stories/{story.pk}/")
    SourceAliasFactory(source=SourceFactory(name="Local Activists Network"), name="Officials")
    page = client.get(f"/stories/{story.pk}/")
    assert len(extractions) == 2
    card = next(c for c in page.context["cards"] if c.span == SECOND)
    assert card.reading["source"] == "Local Activists Network"


# ---------------------------------------------------------------------------
# A long story: its candidates a page at a time


PLACES = ["Aleppo", "Homs", "Idlib", "Mosul", "Kharkiv", "Khartoum", "Kabul", "Mogadishu",
          "Maiduguri", "Gaza", "Sanaa", "Benghazi", "Goma", "Dhaka"]  # fmt: skip
SOURCES = [
    "the Observatory",
    "the health ministry",
    "local officials",
    "activists",
    "the Red Crescent",
    "police",
    "the regional governor",
    "the UN refugee agency",
]
WHEN = ["yesterday", "on Monday", "so far this month", "in the past 24 hours", "since Feb. 1",
        "last week", "this year", "on Tuesday", "over the weekend"]  # fmt: skip
QUALIFIERS = ["at least", "about", "more than", "nearly", "", "some"]
SENTENCES = [
    "{q} {n} people were killed in {p} {w}, {s} said.",
    "{S} said {n} people had been injured in {p} {w}, and {m} others were missing.",
    "Rescue teams pulled {n} bodies from the rubble in {p} {w}, {s} told reporters.",
    "The toll in {p} rose to {n} dead and {m} wounded {w}, according to {s}.",
    "{S} said {n} families had fled {p} {w}, while {m} people were evacuated by bus.",
    "Police detained {n} protesters in {p} {w}, {s} said, including {k} students.",
    "Talks on a truce in {p} stalled again {w}, {s} said.",
    "Shops in the old market of {p} stayed shut for a third day.",
    "{S} said {n} civilians, among them {k} children, were killed in air raids on {p} {w}.",
    "There was no way to independently verify the figures.",
]


def long_body(size: int = 50_000, seed: int = 7) -> str:
    """A wire story of `size` characters in paragraphs of varied sentences, most of them
    with a count or two (the same every time)."""
    rng = random.Random(seed)  # noqa: S311 - test copy, not a secret
    paragraphs, total, k = [], 0, 0
    while total < size:
        sentences = []
        for i in range(rng.randint(2, 4)):
            n, source = rng.randint(3, 900), rng.choice(SOURCES)
            text = (
                SENTENCES[(k + i) % len(SENTENCES)]
                .format(
                    q=rng.choice(QUALIFIERS),
                    n=n,
                    m=rng.randint(2, 300),
                    k=max(1, n // 7),
                    p=rng.choice(PLACES),
                    w=rng.choice(WHEN),
                    s=source,
                    S=source[0].upper() + source[1:],
                )
                .strip()
            )
            sentences.append(text[0].upper() + text[1:])
        k += 3
        paragraphs.append(" ".join(sentences))
        total += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)[:size].rsplit(".", 1)[0] + "."


@pytest.fixture
def long_story(editor):  # type: ignore[no-untyped-def]
    return StoryFactory(headline="A long day", body=long_body(), created_by=editor)


def test_a_50_kb_story_page_is_small_and_read_once(client, editor, long_story, extractions):
    # Its speed is a benchmark's to measure; here: one reading for three views, one page
    # of cards, a page of a few hundred KB.
    client.force_login(editor)
    for _ in range(3):
        r = client.get(f"/stories/{long_story.pk}/")
        assert r.status_code == 200
    total = r.context["summary"]["total"]
    assert len(long_story.body) > 49_000 and total > 300
    assert len(extractions) == 1
    assert len(r.context["cards"]) <= 50 and r.context["page_count"] >= total // 50
    assert len(r.content) < 500_000


def test_a_long_story_lists_its_candidates_a_page_at_a_time(client, editor, long_story):
    client.force_login(editor)
    first = client.get(f"/stories/{long_story.pk}/")
    pages = first.context["page_count"]
    html = first.content.decode()
    assert f"Page 1 of {pages}" in html and 'href="?page=2" rel="next"' in html
    seen, paragraphs = [], []
    for number in range(1, pages + 1):
        r = client.get(f"/stories/{long_story.pk}/?page={number}")
        cards = r.context["cards"]
        assert 0 < len(cards) <= 50
        seen.extend(c.number for c in cards)
        # The page shows the paragraphs of its candidates, and groups its cards by them.
        shown = {p.number for p in r.context["paragraphs"]}
        assert {c.paragraph for c in cards} <= shown
        assert [n for n, _ in r.context["groups"]] == sorted({c.paragraph for c in cards})
        paragraphs.append(shown)
    # Every candidate is listed once, in the order of the copy; every paragraph is shown.
    assert seen == list(range(1, first.context["summary"]["total"] + 1))
    assert set().union(*paragraphs) == set(range(1, first.context["paragraph_count"] + 1))
    # A page number past the end shows the last page.
    assert client.get(f"/stories/{long_story.pk}/?page=999").context["page_number"] == pages


def test_the_open_filter_lists_only_candidates_to_review(client, editor, long_story):
    client.force_login(editor)
    cards = client.get(f"/stories/{long_story.pk}/").context["cards"]
    accept(client, long_story, cards[0].span)
    reject(client, long_story, cards[1].span)
    r = client.get(f"/stories/{long_story.pk}/?show=open")
    assert r.context["summary"]["open"] == r.context["summary"]["total"] - 2
    assert [c.state for c in r.context["cards"]] == ["open"] * len(r.context["cards"])
    assert cards[0].span not in [c.span for c in r.context["cards"]]
    html = r.content.decode()
    assert '<strong aria-current="true">open' in html and "?show=open&amp;page=2" in html
    # The answered ones stay marked in the copy.
    assert f'id="mark-{cards[0].key}"' in html


def test_an_answer_goes_back_to_its_page(client, editor, long_story):
    client.force_login(editor)
    card = client.get(f"/stories/{long_story.pk}/?page=3").context["cards"][0]
    r = accept(client, long_story, card.span, page="3", show="open")
    assert r["Location"] == f"/stories/{long_story.pk}/?show=open&page=3#cand-{card.key}"
    # A refused answer shows the page that lists its candidate.
    r = accept(client, long_story, card.span, page="1")
    assert r.status_code == 409 and r.context["page_number"] == 3


# ---------------------------------------------------------------------------
# Answering several candidates at once


def bulk(client, story, action, spans=(), **data):  # type: ignore[no-untyped-def]
    keys = [f"{s}-{e}" for s, e in spans]
    return client.post(f"/stories/{story.pk}/bulk/", {"action": action, "keys": keys, **data})


def test_an_editor_accepts_ticked_candidates_in_bulk(client, editor, story):
    client.force_login(editor)
    r = bulk(client, story, "accept", [FIRST, SECOND], note="Both in the lead.")
    assert r.status_code == 302 and r["Location"] == f"/stories/{story.pk}/"
    claims = list(Claim.objects.order_by("story_start"))
    assert [(c.story_start, c.story_end) for c in claims] == [FIRST, SECOND]
    for claim in claims:
        event = claim.events.get()
        assert (event.kind, event.actor, event.note) == ("created", editor, "Both in the lead.")
    page = client.get(r["Location"]).content.decode()
    assert f"Accepted 2 as claims #{claims[0].pk}, #{claims[1].pk}." in page


def test_a_bulk_answer_says_what_it_refused_and_why(client, editor, story):
    client.force_login(editor)
    reject(client, story, THIRD)
    r = bulk(client, story, "accept", [FIRST, THIRD, (3, 40)])
    assert Claim.objects.get().story_start == FIRST[0]
    html = client.get(r["Location"]).content.decode()
    assert "Accepted 1 as claim #" in html
    assert "Not accepted: “The Observatory said talks" in html
    assert "was rejected by eddie" in html
    assert "Not accepted: “least 120 people have been killed in”: No candidate claim there" in html


def test_an_editor_rejects_ticked_candidates_in_bulk(client, editor, story):
    client.force_login(editor)
    accept(client, story, FIRST)
    r = bulk(client, story, "reject", [SECOND, THIRD, FIRST], note="Background.")
    rows = list(CandidateRejection.objects.order_by("start"))
    assert [(r.start, r.end, r.rejected_by, r.note) for r in rows] == [
        (*SECOND, editor, "Background."),
        (*THIRD, editor, "Background."),
    ]
    html = client.get(r["Location"]).content.decode()
    assert "Rejected 2: they will not be offered again." in html
    assert "Not rejected: “At least 120 people”: This figure is already claim #" in html


def test_accepting_all_open_on_a_page_asks_first(client, editor, story):
    client.force_login(editor)
    reject(client, story, THIRD)
    r = bulk(client, story, "accept-page", page="1")
    assert r.status_code == 200 and not Claim.objects.exists()
    html = r.content.decode()
    assert "Accept 2 candidates?" in html
    keys = [f"{FIRST[0]}-{FIRST[1]}", f"{SECOND[0]}-{SECOND[1]}"]
    assert [k for k in keys if f'name="keys" value="{k}"' in html] == keys
    r = bulk(client, story, "accept", [FIRST, SECOND], confirm="1")
    assert r.status_code == 302 and Claim.objects.count() == 2


def test_nothing_ticked_is_said(client, editor, story):
    client.force_login(editor)
    r = bulk(client, story, "reject")
    assert r.status_code == 302
    assert "Tick the candidates to answer first." in client.get(r["Location"]).content.decode()
    assert not CandidateRejection.objects.exists()


def test_only_editors_answer_in_bulk(client, checker, outsider, story):
    client.force_login(checker)
    assert bulk(client, story, "accept", [FIRST]).status_code == 403
    assert bulk(client, story, "accept-page").status_code == 403
    client.force_login(outsider)
    assert bulk(client, story, "reject", [FIRST]).status_code == 404
    assert not Claim.objects.exists() and not CandidateRejection.objects.exists()


def test_bulk_answers_are_posts(client, editor, story):
    client.force_login(editor)
    assert client.get(f"/stories/{story.pk}/bulk/").status_code == 405


def test_the_page_offers_bulk_answers_to_editors_only(client, editor, checker, story):
    client.force_login(editor)
    html = client.get(f"/stories/{story.pk}/").content.decode()
    assert 'form="bulk-form" name="keys" value="0-19"' in html
    assert "Accept all open on this page…" in html
    client.force_login(checker)
    assert 'id="bulk-form"' not in client.get(f"/stories/{story.pk}/").content.decode()


def test_copy_in_a_language_the_desk_does_not_read_says_so(client, editor, extractions):
    story = StoryFactory(
        headline="Bombardements à Alep",
        body="Au moins 51 personnes ont été tuées hier à Alep, selon l'Observatoire.",
        language="fr",
    )
    client.force_login(editor)
    r = client.get(f"/stories/{story.pk}/")
    html = r.content.decode()
    assert "This looks like French; the desk reads English copy." in html
    assert r.context["cards"] == [] and "Not read: see above." in html
    assert extractions == []


def test_it_says_a_rate_and_a_projection_on_the_cards(client, editor):
    from claims import services

    story = services.story_create(
        actor=editor,
        headline="Sudan: fighting and flight",
        body=(
            "Up to 300 people a day are crossing into Chad, the U.N. refugee agency said. "
            "Aid groups warned the toll in the region could reach 1,000."
        ),
        published_at=dt.datetime(2023, 6, 20, 12, tzinfo=dt.UTC),
    )
    client.force_login(editor)
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert "people per day" in page
    assert "a projection, not a count" in page
