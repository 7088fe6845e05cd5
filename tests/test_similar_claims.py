"""Similar claims at entry: the claim form and a story's candidates show the desk's
claims about the same measure or in near-identical words, with status and verdict, and
"Same claim" links the words to that claim instead of logging a second one."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import selectors, services
from claims.errors import StateConflict
from claims.models import Claim, ClaimEvent, Status, StoryLink
from claims.selectors.similar import similar_to_candidate, similar_to_words
from tests.factories import ClaimFactory, PlaceFactory, StoryFactory
from tests.publishing import decided_claim

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

# Made up for these tests.
BODY = "At least 120 people have been killed in Aleppo so far this month, the Observatory said."
FIGURE = (0, len("At least 120 people"))
TYPED = "At least 120 people have been killed in Aleppo so far this month, monitors said."
REPORTED = dt.date(2014, 2, 13)


@pytest.fixture
def story(editor, observatory):  # type: ignore[no-untyped-def]
    return StoryFactory(
        headline="Toll climbs in Aleppo",
        body=BODY,
        published_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
        created_by=editor,
    )


def month_count(**fields):  # type: ignore[no-untyped-def]
    """A desk claim about killings in Aleppo from 1 February to the 13th."""
    values = {
        "text": "Some 120 people have died in Aleppo since February began, the monitor says.",
        "value_low": 120,
        "value_high": None,
        "qualifier": "at_least",
        "place": PlaceFactory(),
        "period_start": dt.date(2014, 2, 1),
        "period_end": REPORTED,
        "period_kind": "to_date",
        **fields,
    }
    return ClaimFactory(**values)


def typed_matches(user, text=TYPED):  # type: ignore[no-untyped-def]
    parsed = selectors.parse_text(text=text, reported_on=REPORTED)
    return similar_to_words(user=user, text=text, parsed=parsed, reported_on=REPORTED)


# ---------------------------------------------------------------------------
# The selector


def test_it_finds_a_claim_about_the_same_measure(editor):
    same = month_count()
    other_day = month_count(
        period_start=dt.date(2014, 2, 12), period_end=dt.date(2014, 2, 12), period_kind="day"
    )
    injured = month_count(event="injured")
    found = typed_matches(editor)
    ids = [m.claim.id for m in found.matches]
    assert ids == [same.pk]
    assert found.matches[0].same_measure
    assert other_day.pk not in ids and injured.pk not in ids


def test_it_finds_near_identical_words_without_a_figure(editor):
    statement = ClaimFactory(
        text="Talks on reopening the road north of Aleppo have stalled again.",
        value_low=None,
        qualifier="",
        unit="",
        event="",
        period_start=None,
        period_end=None,
        period_kind="",
    )
    found = typed_matches(editor, "Talks on reopening the road north of Aleppo have stalled again")
    assert [m.claim.id for m in found.matches] == [statement.pk]
    assert found.matches[0].similarity >= 90


def test_it_leaves_out_merged_and_retracted_claims(checker, editor):
    kept, merged = month_count(), month_count()
    month_count(status=Status.RETRACTED)
    services.claim_merge(claim=merged, into=kept, actor=checker)
    assert [m.claim.id for m in typed_matches(editor).matches] == [kept.pk]


def test_it_shows_status_and_verdict(checker, editor):
    decided = decided_claim(checker, text=TYPED)
    Claim.objects.filter(pk=decided.pk).update(
        value_low=120,
        qualifier="at_least",
        period_start=dt.date(2014, 2, 1),
        period_end=REPORTED,
        period_kind="to_date",
    )
    match = typed_matches(editor).matches[0]
    assert match.claim.id == decided.pk
    assert match.claim.status_label == "Attributed only"
    assert match.claim.fact.verdict == decided.verdict.label


def test_its_queries_do_not_grow_with_the_desk(editor, django_assert_num_queries):
    for _ in range(3):
        month_count()
    parsed = selectors.parse_text(text=TYPED, reported_on=REPORTED)
    similar_to_words(user=editor, text=TYPED, parsed=parsed, reported_on=REPORTED)  # roles
    # the policy, the places, the block; the matches' flags and sources
    with django_assert_num_queries(5):
        found = similar_to_words(user=editor, text=TYPED, parsed=parsed, reported_on=REPORTED)
    assert len(found.matches) == 3
    for _ in range(5):
        month_count()
    with django_assert_num_queries(5):
        found = similar_to_words(user=editor, text=TYPED, parsed=parsed, reported_on=REPORTED)
    assert len(found.matches) == 5 and found.more == 3


def test_outsiders_see_none(outsider):
    month_count()
    assert not typed_matches(outsider)


# ---------------------------------------------------------------------------
# The claim form


def test_the_reading_shows_similar_claims_as_the_editor_types(client, checker, editor):
    decided = decided_claim(checker, text=TYPED)
    Claim.objects.filter(pk=decided.pk).update(
        value_low=120,
        qualifier="at_least",
        period_start=dt.date(2014, 2, 1),
        period_end=REPORTED,
        period_kind="to_date",
    )
    client.force_login(editor)
    r = client.post("/claims/read/", {"text": TYPED, "reported_on": "2014-02-13"})
    assert r.status_code == 200
    html = r.content.decode()
    assert 'id="similar-claims"' in html and 'hx-swap-oob="true"' in html
    assert f'name="same_as" value="{decided.pk}"' in html
    assert "Attributed only" in html and decided.verdict.label in html


def test_same_claim_on_the_form_links_the_story_and_logs_nothing(client, editor, story):
    existing = month_count()
    client.force_login(editor)
    before = Claim.objects.count()
    r = client.post(
        "/claims/new/",
        {"text": TYPED, "reported_on": "2014-02-13", "story": story.pk, "same_as": existing.pk},
    )
    assert r.status_code == 302 and r["Location"] == f"/claims/{existing.pk}/"
    assert Claim.objects.count() == before
    link = StoryLink.objects.get()
    assert (link.claim, link.story, link.linked_by, link.story_sentence) == (
        existing,
        story,
        editor,
        TYPED,
    )
    row = ClaimEvent.objects.get(claim=existing, kind=ClaimEvent.Kind.STORY_LINKED)
    assert row.actor == editor and row.details["story"] == story.pk
    assert selectors.claim_story_ids(existing) == [story.pk]


def test_same_claim_without_a_story_logs_nothing_and_shows_the_claim(client, editor):
    existing = month_count()
    client.force_login(editor)
    r = client.post("/claims/new/", {"text": TYPED, "same_as": existing.pk})
    assert r.status_code == 302 and r["Location"] == f"/claims/{existing.pk}/"
    assert Claim.objects.count() == 1 and not StoryLink.objects.exists()


@pytest.mark.parametrize("same_as", ["abc", "999999"])
def test_same_claim_with_no_such_claim_is_a_400(client, editor, same_as):
    client.force_login(editor)
    r = client.post("/claims/new/", {"text": TYPED, "same_as": same_as})
    assert r.status_code == 400
    assert not Claim.objects.exists() and not StoryLink.objects.exists()


def test_same_claim_on_the_form_is_for_editors(client, checker, story):
    existing = month_count()
    client.force_login(checker)
    r = client.post("/claims/new/", {"text": TYPED, "story": story.pk, "same_as": existing.pk})
    assert r.status_code == 403
    assert not StoryLink.objects.exists()


# ---------------------------------------------------------------------------
# A story's candidates


def test_a_candidate_shows_what_it_may_repeat(client, editor, story):
    existing = month_count()
    client.force_login(editor)
    page = client.get(f"/stories/{story.pk}/").content.decode()
    assert f"/stories/{story.pk}/similar/?start={FIGURE[0]}&amp;end={FIGURE[1]}" in page
    r = client.get(
        f"/stories/{story.pk}/similar/",
        {"start": FIGURE[0], "end": FIGURE[1]},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    html = r.content.decode()
    assert f'name="claim" value="{existing.pk}"' in html
    assert "<html" not in html


def test_the_similar_page_works_without_script(client, checker, story):
    existing = month_count()
    client.force_login(checker)
    r = client.get(f"/stories/{story.pk}/similar/", {"start": FIGURE[0], "end": FIGURE[1]})
    assert r.status_code == 200
    html = r.content.decode()
    assert f"/claims/{existing.pk}/" in html
    assert 'name="claim"' not in html  # fact-checkers do not link candidates


@pytest.mark.parametrize(
    ("query", "code"), [({}, 400), ({"start": "x", "end": "3"}, 400), ({"start": 1, "end": 4}, 404)]
)
def test_the_similar_page_refuses_bad_offsets(client, editor, story, query, code):
    client.force_login(editor)
    assert client.get(f"/stories/{story.pk}/similar/", query).status_code == code


def test_the_similar_page_is_for_the_desk(client, outsider, story):
    client.force_login(outsider)
    r = client.get(f"/stories/{story.pk}/similar/", {"start": FIGURE[0], "end": FIGURE[1]})
    assert r.status_code == 404


def test_same_claim_links_the_candidate_and_creates_no_claim(client, editor, story):
    existing = month_count()
    client.force_login(editor)
    r = client.post(
        f"/stories/{story.pk}/link/", {"start": FIGURE[0], "end": FIGURE[1], "claim": existing.pk}
    )
    assert r.status_code == 302
    assert r["Location"] == f"/stories/{story.pk}/#cand-{FIGURE[0]}-{FIGURE[1]}"
    assert Claim.objects.count() == 1
    link = StoryLink.objects.get()
    assert (link.claim, link.story_start, link.story_end) == (existing, *FIGURE)
    assert link.story_words == BODY[FIGURE[0] : FIGURE[1]]
    found = {f.key: f for f in selectors.story_candidates(story=story)}
    assert found[FIGURE].claim_id == existing.pk and found[FIGURE].state == "accepted"
    # The claims table under the story lists it, and its card names it.
    page = client.get(f"/stories/{story.pk}/")
    assert [c.pk for c in page.context["claims"]] == [existing.pk]
    assert f'href="/claims/{existing.pk}/"' in page.content.decode()
    # Answered: it cannot be accepted as a new claim now.
    again = client.post(f"/stories/{story.pk}/accept/", {"start": FIGURE[0], "end": FIGURE[1]})
    assert again.status_code == 409
    assert Claim.objects.count() == 1


def test_a_linked_candidate_follows_its_words_when_the_copy_moves(editor, story):
    existing = month_count()
    services.candidate_link(
        story=story, start=FIGURE[0], end=FIGURE[1], claim=existing, actor=editor
    )
    services.story_update(story=story, actor=editor, changes={"body": "Update: " + BODY})
    link = StoryLink.objects.get()
    assert (link.story_start, link.story_end) == (FIGURE[0] + 8, FIGURE[1] + 8)
    story.refresh_from_db()
    found = {f.key: f for f in selectors.story_candidates(story=story)}
    assert found[(FIGURE[0] + 8, FIGURE[1] + 8)].claim_id == existing.pk


@pytest.mark.parametrize(("persona", "code"), [("checker", 403), ("outsider", 404), ("admin", 302)])
def test_linking_a_candidate_by_role(client, request, story, persona, code):
    existing = month_count()
    client.force_login(request.getfixturevalue(persona))
    r = client.post(
        f"/stories/{story.pk}/link/", {"start": FIGURE[0], "end": FIGURE[1], "claim": existing.pk}
    )
    assert r.status_code == code
    assert StoryLink.objects.exists() == (code == 302)


@pytest.mark.parametrize(
    "data",
    [
        {"start": FIGURE[0], "end": FIGURE[1]},
        {"start": FIGURE[0], "end": FIGURE[1], "claim": "abc"},
        {"start": FIGURE[0], "end": FIGURE[1], "claim": 999999},
        {"start": 1, "end": 4, "claim": 1},
    ],
)
def test_linking_a_candidate_refuses_bad_input(client, editor, story, data):
    month_count()
    client.force_login(editor)
    r = client.post(f"/stories/{story.pk}/link/", data)
    assert r.status_code == 400
    assert not StoryLink.objects.exists()


def test_linking_takes_only_post(client, editor, story):
    client.force_login(editor)
    assert client.get(f"/stories/{story.pk}/link/").status_code == 405


def test_a_retracted_claim_carries_no_more_stories(client, editor, story):
    retracted = month_count(status=Status.RETRACTED)
    client.force_login(editor)
    r = client.post(
        f"/stories/{story.pk}/link/", {"start": FIGURE[0], "end": FIGURE[1], "claim": retracted.pk}
    )
    assert r.status_code == 409
    assert not StoryLink.objects.exists()


def test_the_candidate_leaves_out_the_storys_own_claims(editor, story):
    services.candidate_accept(story=story, start=FIGURE[0], end=FIGURE[1], actor=editor)
    elsewhere = month_count()
    found = similar_to_candidate(user=editor, story=story, start=FIGURE[0], end=FIGURE[1])
    assert [m.claim.id for m in found.matches] == [elsewhere.pk]


def test_a_story_is_linked_to_a_claim_once(editor, story):
    existing = month_count()
    services.claim_link_story(claim=existing, story=story, actor=editor, text=TYPED)
    with pytest.raises(StateConflict, match="already carries"):
        services.claim_link_story(claim=existing, story=story, actor=editor, text=TYPED)
    assert StoryLink.objects.count() == 1
