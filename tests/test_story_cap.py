"""A story at the body cap: its page and its candidates through the API stay small and
read the copy once, copy longer than the cap is refused (page and API alike), and the
draft check has a cap of its own. Sizes and query counts are pinned here, not times."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from claims import selectors
from claims.api.paging import EXTRACT_PAGE_SIZE
from claims.draftcheck import DRAFT_MAX_CHARS, MATCHES_SHOWN
from claims.models import STORY_MAX_CHARS, CandidateRejection, Story
from claims.views.stories import CANDIDATES_PER_PAGE, MARKS_MAX
from tests.factories import ClaimFactory, PlaceFactory, StoryFactory
from tests.test_story_views import NEW_STORY, long_body

pytestmark = pytest.mark.django_db

# A story page at the cap: 50 cards with their forms, the copy they stand in and the
# claims table. Well under the 2 MB a newsroom's browser and the web tier take in stride.
PAGE_BYTES = 600_000
MARK = re.compile(r'<mark class="cand-mark ')


def at_cap(*, one_paragraph: bool = False) -> str:
    """Wire copy as long as the cap allows, figures in most sentences; pasted as one
    paragraph (as copy from some systems comes), or in paragraphs."""
    body = long_body(STORY_MAX_CHARS + 2_000)
    if one_paragraph:
        body = body.replace("\n\n", " ")
    return body[:STORY_MAX_CHARS].rsplit(".", 1)[0] + "."


@pytest.fixture(params=["paragraphs", "one paragraph"])
def cap_story(request, editor):  # type: ignore[no-untyped-def]
    body = at_cap(one_paragraph=request.param == "one paragraph")
    assert STORY_MAX_CHARS - 200 < len(body) <= STORY_MAX_CHARS
    return StoryFactory(
        headline="A long day",
        body=body,
        published_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
        created_by=editor,
    )


def test_the_cap_takes_a_long_read():
    # A 10,000-word feature runs to some 65,000 characters; the page was measured at the cap.
    assert 70_000 <= STORY_MAX_CHARS <= 100_000
    assert 20_000 <= DRAFT_MAX_CHARS <= STORY_MAX_CHARS


# ---------------------------------------------------------------------------
# The story page at the cap


def test_the_page_at_the_cap_is_one_page_of_cards_and_small(
    client, editor, cap_story, django_assert_num_queries
):
    client.force_login(editor)
    first = client.get(f"/stories/{cap_story.pk}/")
    assert first.status_code == 200
    total = first.context["summary"]["total"]
    assert total > 1_000  # the copy is figure-dense: many pages of candidates
    # The same queries as a short story's page (whose count tests/test_story_views.py
    # pins and names): none grows with the copy.
    short = StoryFactory(body=long_body(400), created_by=editor)
    client.get(f"/stories/{short.pk}/")
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/stories/{short.pk}/")
    with django_assert_num_queries(len(queries)):
        again = client.get(f"/stories/{cap_story.pk}/")
    pages = again.context["page_count"]
    assert pages >= total // CANDIDATES_PER_PAGE
    for number in (1, pages // 2, pages):
        r = client.get(f"/stories/{cap_story.pk}/?page={number}")
        html = r.content.decode()
        assert len(r.context["cards"]) <= CANDIDATES_PER_PAGE
        # The copy shown is the stretch of the page's candidates, not the whole story,
        # and it marks only so many figures.
        assert len(MARK.findall(html)) <= CANDIDATES_PER_PAGE + MARKS_MAX
        assert len(r.content) < PAGE_BYTES, (number, len(r.content))
        # Each of its cards is marked in the copy shown.
        for card in r.context["cards"]:
            assert f'id="mark-{card.key}"' in html


def test_a_story_pasted_as_one_paragraph_shows_the_stretch_of_its_page(client, editor):
    body = at_cap(one_paragraph=True)
    story = StoryFactory(body=body, created_by=editor)
    client.force_login(editor)
    r = client.get(f"/stories/{story.pk}/?page=3")
    cards = r.context["cards"]
    shown = "".join(run.text for p in r.context["paragraphs"] for run in _runs(p.runs))
    start = min(c.found.candidate.sentence_start for c in cards)
    end = max(c.found.candidate.sentence_end for c in cards)
    # From the first sentence of its candidates to the last, and the page says it is cut.
    assert shown == body[start:end]
    assert r.context["paragraphs"][0].cut_before and r.context["paragraphs"][-1].cut_after
    assert "from the first sentence of this page's candidates to the last" in r.content.decode()


def _runs(runs):  # type: ignore[no-untyped-def]
    for run in runs:
        if run.parts:
            yield from run.parts
        else:
            yield run


def test_the_open_filter_marks_so_many_answered_figures(client, editor, cap_story):
    # Nearly everything answered: a page of the open ones spans much of the copy, and the
    # answered figures between them are not all marked.
    client.force_login(editor)
    summary = client.get(f"/stories/{cap_story.pk}/").context["summary"]
    found = selectors.story_extraction(story=Story.objects.get(pk=cap_story.pk))
    assert len(found) == summary["total"]
    CandidateRejection.objects.bulk_create(
        CandidateRejection(
            story=cap_story,
            start=c.start,
            end=c.end,
            words=c.words,
            sentence=c.sentence,
            rejected_at=timezone.now(),
        )
        for n, c in enumerate(found)
        if n % 20
    )
    r = client.get(f"/stories/{cap_story.pk}/?show=open")
    html = r.content.decode()
    assert r.context["summary"]["rejected"] > 1_000
    assert len(r.context["cards"]) == CANDIDATES_PER_PAGE
    assert len(MARK.findall(html)) <= CANDIDATES_PER_PAGE + MARKS_MAX
    assert "Only this page's candidates are marked." in html
    assert len(r.content) < PAGE_BYTES
    for card in r.context["cards"]:
        assert f'id="mark-{card.key}"' in html


# ---------------------------------------------------------------------------
# The API's candidates at the cap: a page at a time, still a list


def _api(user):  # type: ignore[no-untyped-def]
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_extract_answers_a_page_of_the_list_with_links(editor, cap_story):
    api = _api(editor)
    url = f"/api/v1/stories/{cap_story.pk}/extract/"
    r = api.post(url)
    assert r.status_code == 200
    first = r.json()
    total = int(r["X-Total-Count"])
    assert isinstance(first, list) and len(first) == EXTRACT_PAGE_SIZE
    assert total > len(first) and len(r.content) < 1_000_000
    assert f'<http://testserver{url}?page=2>; rel="next"' in r["Link"]
    seen = list(first)
    page = 2
    while True:
        r = api.post(f"{url}?page={page}")
        seen.extend(r.json())
        if 'rel="next"' not in r.get("Link", ""):
            break
        page += 1
    assert 'rel="prev"' in r["Link"]
    assert len(seen) == total
    assert [c["start"] for c in seen] == sorted(c["start"] for c in seen)
    # A smaller page, and the state filter pages too.
    small = api.post(f"{url}?page_size=10&page=3&state=open")
    assert len(small.json()) == 10 and small.json()[0]["start"] == seen[20]["start"]
    assert "page_size=10" in small["Link"] and "state=open" in small["Link"]
    # Past the end: an empty page; a bad page or size: a 400 that says which.
    assert api.post(f"{url}?page={page + 1}").json() == []
    for bad in ("page=0", "page=x", "page_size=0", "page_size=100000"):
        r = api.post(f"{url}?{bad}")
        assert r.status_code == 400 and bad.split("=")[0] in r.json(), bad


def test_a_short_story_is_answered_whole(editor):
    # The list as it always was: every candidate of a story of common length, no links.
    story = StoryFactory(body=long_body(3_000), created_by=editor)
    r = _api(editor).post(f"/api/v1/stories/{story.pk}/extract/")
    assert r.status_code == 200 and "Link" not in r
    assert len(r.json()) == int(r["X-Total-Count"]) > 10


# ---------------------------------------------------------------------------
# Longer than the cap: refused, with the cap in the message, nothing saved


def test_the_api_refuses_a_story_over_the_cap(editor):
    api = _api(editor)
    story = {
        "headline": "Raids go on",
        "published_at": "2014-02-13T12:00:00Z",
        "body": "x" * (STORY_MAX_CHARS + 1),
    }
    r = api.post("/api/v1/stories/", story, format="json")
    assert r.status_code == 400
    assert f"{STORY_MAX_CHARS:,}" in r.json()["body"][0]
    assert f"{STORY_MAX_CHARS + 1:,}" in r.json()["body"][0]
    assert not Story.objects.exists()
    r = api.post("/api/v1/stories/", {**story, "body": "x" * STORY_MAX_CHARS}, format="json")
    assert r.status_code == 201
    pk = r.json()["id"]
    r = api.patch(f"/api/v1/stories/{pk}/", {"body": "y" * (STORY_MAX_CHARS + 1)}, format="json")
    assert r.status_code == 400 and f"{STORY_MAX_CHARS:,}" in r.json()["body"][0]
    assert Story.objects.get(pk=pk).body == "x" * STORY_MAX_CHARS


def test_the_form_refuses_a_story_over_the_cap(client, editor):
    client.force_login(editor)
    r = client.post("/stories/new/", {**NEW_STORY, "body": "x" * (STORY_MAX_CHARS + 1)})
    assert r.status_code == 400
    errors = r.context["form"].errors["body"]
    assert f"{STORY_MAX_CHARS:,}" in errors[0] and f"{STORY_MAX_CHARS + 1:,}" in errors[0]
    assert errors[0] in r.content.decode().replace("&#x27;", "'")
    assert not Story.objects.exists()
    story = StoryFactory(body="Short copy.", created_by=editor)
    r = client.post(
        f"/stories/{story.pk}/edit/", {**NEW_STORY, "body": "x" * (STORY_MAX_CHARS + 1)}
    )
    assert r.status_code == 400 and "body" in r.context["form"].errors
    assert Story.objects.get(pk=story.pk).body == "Short copy."


# ---------------------------------------------------------------------------
# The draft check: its own cap, and a bounded report at it


def check(client, text: str):  # type: ignore[no-untyped-def]
    return client.post("/draft/", {"text": text, "reported_on": "2014-02-13"})


def test_a_draft_over_its_cap_is_a_400_that_keeps_the_copy(client, editor):
    client.force_login(editor)
    text = long_body(DRAFT_MAX_CHARS + 500)[: DRAFT_MAX_CHARS + 1]
    r = check(client, text)
    assert r.status_code == 400
    message = r.context["form"].errors["text"][0]
    assert f"{DRAFT_MAX_CHARS:,}" in message and f"{DRAFT_MAX_CHARS + 1:,}" in message
    html = r.content.decode()
    assert "The draft was not checked" in html and "report-h" not in html
    assert text[:200] in html


def dense_copy(size: int) -> str:
    """Copy that gives three figures in every short sentence: the most a report can list."""
    places = ["Aleppo", "Homs", "Idlib", "Gaza", "Mosul"]
    sentences, total, n = [], 0, 0
    while total < size:
        n += 1
        sentences.append(
            f"In {places[n % 5]} {n % 700 + 3} died, {n % 300 + 2} were hurt "
            f"and {n % 40 + 2} are missing."
        )
        total += len(sentences[-1]) + 1
        if n % 5 == 0:
            sentences[-1] += "\n"
    return " ".join(sentences)[:size].rsplit(".", 1)[0] + "."


@pytest.mark.parametrize("copy", [long_body, dense_copy])
def test_a_draft_at_its_cap_is_checked_in_a_page_of_bounded_size(client, editor, copy):
    client.force_login(editor)
    text = copy(DRAFT_MAX_CHARS)
    assert DRAFT_MAX_CHARS - 200 < len(text) <= DRAFT_MAX_CHARS
    r = check(client, text)
    assert r.status_code == 200
    report = r.context["report"]
    assert len(report.candidates) > 500
    assert len(r.content) < 2_000_000


def test_a_draft_figure_lists_so_many_desk_matches(client, editor):
    aleppo = PlaceFactory(name="Aleppo", country="SY")
    for n in range(MATCHES_SHOWN + 4):
        ClaimFactory(
            place=aleppo,
            value_low=51,
            text=f"At least 51 people were killed in Aleppo yesterday, report {n} said.",
        )
    client.force_login(editor)
    r = check(client, "At least 51 people were killed in Aleppo yesterday.")
    [found] = r.context["report"].candidates
    assert len(found.matches) == MATCHES_SHOWN + 4
    html = r.content.decode()
    assert html.count('class="draft-match"') == MATCHES_SHOWN
    assert "and 4 more on the desk" in html
