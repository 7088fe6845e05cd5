"""The story pages: the list and its search, pasting and editing a story, and the story
page where editors accept, correct or reject the claims found in the copy."""

from __future__ import annotations

import datetime as dt

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
FIRST = (0, BODY.index(" said on Thursday.") + len(" said on Thursday."))
SECOND = (BODY.index("Officials"), BODY.index("activists.") + len("activists."))
THIRD = (BODY.index("The Observatory said talks"), BODY.index("stalled again.") + 14)


@pytest.fixture
def observatory():  # type: ignore[no-untyped-def]
    source = SourceFactory(name="Syrian Observatory for Human Rights", grade="C")
    SourceAliasFactory(source=source, name="Observatory")
    return source


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


def test_the_test_offsets_name_the_sentences():
    assert BODY[FIRST[0] : FIRST[1]].endswith("on Thursday.")
    assert BODY[SECOND[0] : SECOND[1]].startswith("Officials said 14")
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
    # Each candidate is marked where it stands, in paragraphs, with the copy escaped.
    assert html.count('<mark class="cand-mark is-count is-open" id="mark-') == 2
    assert html.count('<mark class="cand-mark is-statement is-open" id="mark-') == 1
    assert f'id="mark-{FIRST[0]}-{FIRST[1]}">At least 120 people' in html
    assert "&lt;b&gt;local&lt;/b&gt;" in html and "<b>local</b>" not in html
    assert "<p>Shops in the old market stayed shut.</p>" in html
    # Counts come first, the statement after them.
    assert [c.has_number for c in r.context["counts"] + r.context["statements"]] == [
        True,
        True,
        False,
    ]


def test_it_shows_the_reading_beside_each_candidate(client, editor, story):
    client.force_login(editor)
    html = client.get(f"/stories/{story.pk}/").content.decode()
    assert "at least 120</strong> killed" in html
    assert "1–13 Feb 2014" in html and "“so far this month”" in html
    assert "Syrian Observatory for Human Rights" in html
    assert "unmapped: Officials" in html
    # "the north of the city" is read from the story's main place.
    assert "from context: “the north of the city”" in html
    assert 'Accept<span class="sr-only"> claim: At least 120 people have been killed' in html


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
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end = start, end

    body = "One two.\nThree four five.\n\nSix."
    three = Card(9, 25)
    paras = story_paragraphs(body, [three, Card(27, 31), Card(10, 12)])  # type: ignore[list-item]
    assert [[(s.text, s.card is not None) for s in p] for p in paras] == [
        [("One two.", False)],
        [("Three four five.", True)],
        [("Six.", True)],
    ]


# ---------------------------------------------------------------------------
# Accepting a candidate


def test_an_editor_accepts_a_candidate_as_read(client, editor, story, observatory):
    client.force_login(editor)
    r = accept(client, story, FIRST)
    assert r.status_code == 302
    assert r["Location"] == f"/stories/{story.pk}/#cand-{FIRST[0]}-{FIRST[1]}"
    claim = Claim.objects.get()
    assert (claim.story, claim.story_start, claim.story_end) == (story, *FIRST)
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
    assert rejection.sentence == BODY[THIRD[0] : THIRD[1]]
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
