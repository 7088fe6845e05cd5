"""Publishing a decided claim's review: the service, the public page and its ClaimReview
JSON-LD (read back with extruct), the index and its feed, and the claim page's buttons."""

from __future__ import annotations

import datetime as dt
import json

import extruct
import pytest
from django.utils import timezone

from claims import services
from claims.errors import ActionForbidden, InvalidInput, StateConflict
from claims.models import ClaimEvent, Comment, PublishedReview, Status
from tests.factories import ClaimFactory
from tests.publishing import STORY_URL, decided_claim, published_story, verdict
from tests.test_headers import inline_code

pytestmark = pytest.mark.django_db

SUMMARY = "The toll comes from one monitor only; no second source has confirmed it."


@pytest.fixture
def review(checker, editor):  # type: ignore[no-untyped-def]
    claim = decided_claim(checker, story=published_story(editor))
    return services.review_publish(claim=claim, actor=checker, summary=SUMMARY)


def public_url(review: PublishedReview) -> str:
    return f"/reviews/{review.key}/"


# ---------------------------------------------------------------------------
# The service


def test_it_publishes_a_decided_claim_and_records_who_and_why(checker, review):
    assert review.live and review.summary == SUMMARY
    assert review.published_by == checker
    assert len(review.key) >= 16  # not an id anyone could count to
    event = review.claim.events.get(kind=ClaimEvent.Kind.PUBLISHED)
    assert (event.actor, event.note) == (checker, SUMMARY)
    assert event.details["review"] == review.key


def test_it_refuses_an_undecided_claim_with_a_conflict(checker):
    claim = ClaimFactory()
    with pytest.raises(StateConflict):
        services.review_publish(claim=claim, actor=checker, summary=SUMMARY)
    assert not PublishedReview.objects.exists()


def test_it_refuses_editors_and_outsiders(editor, outsider, checker):
    claim = decided_claim(checker)
    for who in (editor, outsider):
        with pytest.raises(ActionForbidden):
            services.review_publish(claim=claim, actor=who, summary=SUMMARY)
    assert not PublishedReview.objects.exists()


def test_it_needs_a_summary(checker):
    claim = decided_claim(checker)
    with pytest.raises(InvalidInput) as exc:
        services.review_publish(claim=claim, actor=checker, summary="   ")
    assert "summary" in exc.value.errors
    assert not claim.events.filter(kind=ClaimEvent.Kind.PUBLISHED).exists()


def test_publishing_again_unchanged_changes_nothing(checker, review):
    again = services.review_publish(claim=review.claim, actor=checker, summary=SUMMARY)
    assert again.pk == review.pk and again.modified_at is None
    assert review.claim.events.filter(kind=ClaimEvent.Kind.PUBLISHED).count() == 1


def test_a_new_summary_is_an_update(checker, review):
    again = services.review_publish(claim=review.claim, actor=checker, summary="Now two sources.")
    assert again.modified_at is not None and again.published_at == review.published_at


def test_taking_it_down_needs_a_note_and_is_recorded(checker, review):
    with pytest.raises(InvalidInput):
        services.review_unpublish(claim=review.claim, actor=checker, note="")
    services.review_unpublish(claim=review.claim, actor=checker, note="The monitor withdrew it.")
    review.refresh_from_db()
    assert not review.live and review.unpublished_at is not None
    event = review.claim.events.get(kind=ClaimEvent.Kind.UNPUBLISHED)
    assert (event.actor, event.note) == (checker, "The monitor withdrew it.")
    with pytest.raises(StateConflict):
        services.review_unpublish(claim=review.claim, actor=checker, note="Again.")


# ---------------------------------------------------------------------------
# The public page


def test_anyone_reads_the_page_without_logging_in(client, review, checker):
    Comment.objects.create(claim=review.claim, author=checker, body="Internal: ask the stringer.")
    r = client.get(public_url(review))
    assert r.status_code == 200
    html = r.content.decode()
    assert "At least 51 people were killed in Aleppo on Wednesday" in html  # as written
    assert "<strong>at least 51</strong>" in html  # the figure as the desk reads it
    assert "Verdict: Mostly true" in html
    assert SUMMARY in html
    assert "Only the Observatory counts this; publish with attribution." in html  # the note
    assert "Syrian Observatory for Human Rights" in html and "C: fairly reliable" in html
    assert "https://www.syriahr.com/en/aleppo-market-12-february" in html
    assert "https://archive.example.org/2014/syriahr-aleppo-market" in html
    assert 'class="timeline-chart"' in html and "<svg" in html
    assert "Decided: attributed only" in html and "by chris" in html
    assert "Review published" in html
    # The desk's comments and its claim pages stay on the desk.
    assert "ask the stringer" not in html
    assert f"/claims/{review.claim_id}/" not in html
    assert inline_code(html) == []


def test_the_page_answers_404_unless_published_and_decided(client, checker, review):
    assert client.get("/reviews/not-a-key/").status_code == 404
    services.review_unpublish(claim=review.claim, actor=checker, note="Checking again.")
    assert client.get(public_url(review)).status_code == 404
    services.review_publish(claim=review.claim, actor=checker, summary=SUMMARY)
    assert client.get(public_url(review)).status_code == 200
    services.claim_transition(
        claim=review.claim, actor=checker, to=Status.IN_REVIEW, note="A second count came in."
    )
    assert client.get(public_url(review)).status_code == 404
    assert client.get("/reviews/").content.decode().count(public_url(review)) == 0


def test_a_reopened_and_changed_review_says_updated(client, checker, review):
    claim = services.claim_transition(
        claim=review.claim, actor=checker, to=Status.IN_REVIEW, note="The ministry disagrees."
    )
    claim = services.claim_update(
        claim=claim, actor=checker, version=claim.version, changes={"verdict": verdict(2)}
    )
    services.claim_transition(claim=claim, actor=checker, to=Status.DISPUTED, note="Two counts.")
    review.refresh_from_db()
    assert review.modified_at is not None
    html = client.get(public_url(review)).content.decode()
    assert "Updated" in html and "Verdict: Mostly false" in html
    assert "Reopened for review" in html and "Decided: disputed" in html
    assert "The ministry disagrees." not in html  # a reopening's note is the desk's


def extracted(client, review: PublishedReview) -> dict:  # type: ignore[type-arg]
    r = client.get(public_url(review))
    url = f"http://testserver{public_url(review)}"
    found = extruct.extract(r.content.decode(), base_url=url, syntaxes=["json-ld"])["json-ld"]
    assert len(found) == 1
    return found[0]


def test_the_json_ld_reads_back_with_every_field(client, review):
    data = extracted(client, review)
    url = f"http://testserver{public_url(review)}"
    assert data["@context"].rstrip("/") == "https://schema.org"
    assert data["@type"] == "ClaimReview"
    assert data["url"] == url
    assert data["claimReviewed"] == review.claim.text
    assert data["reviewBody"] == SUMMARY
    assert data["author"] == {"@type": "Organization", "name": "Claim desk"}
    assert data["datePublished"] == timezone.localdate(review.published_at).isoformat()
    assert "dateModified" not in data
    assert data["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly true",
    }
    item = data["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {
        "@type": "Organization",
        "name": "Syrian Observatory for Human Rights",
        "url": "https://www.syriahr.com/en/",
    }
    assert item["datePublished"] == "2014-02-13"
    assert item["appearance"]["url"] == STORY_URL
    assert item["firstAppearance"]["url"] == STORY_URL


def test_the_json_ld_carries_the_date_it_changed(client, checker, review, settings):
    settings.NEWSROOM_NAME = "The Example Tribune"
    services.review_publish(claim=review.claim, actor=checker, summary="Corrected summary.")
    data = extracted(client, review)
    assert data["dateModified"] == timezone.localdate().isoformat()
    assert data["reviewBody"] == "Corrected summary."
    assert data["author"]["name"] == "The Example Tribune"


def test_no_text_closes_the_json_ld_script(client, checker):
    hostile = "At least 5 killed </script><script>alert(1)</script> <!-- in Homs & Hama"
    claim = decided_claim(checker, text=hostile)
    review = services.review_publish(claim=claim, actor=checker, summary="</script> & <b>x</b>")
    html = client.get(public_url(review)).content.decode()
    script = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in script and ">" not in script and "&" not in script
    assert json.loads(script)["claimReviewed"] == hostile
    assert "<script>alert(1)" not in html
    assert extracted(client, review)["reviewBody"] == "</script> & <b>x</b>"


# ---------------------------------------------------------------------------
# The index and its feed


def test_the_index_lists_only_what_anyone_may_read(client, checker, review):
    hidden = services.review_publish(
        claim=decided_claim(checker, text="About 400 killed in Aleppo this month, activists said."),
        actor=checker,
        summary="Hidden later.",
    )
    services.review_unpublish(claim=hidden.claim, actor=checker, note="Wrong claim.")
    html = client.get("/reviews/").content.decode()
    assert public_url(review) in html and public_url(hidden) not in html
    assert 'type="application/atom+xml"' in html
    assert inline_code(html) == []


def test_the_feed_is_atom(client, review):
    r = client.get("/reviews/feed/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/atom+xml")
    body = r.content.decode()
    assert "<feed" in body and public_url(review) in body
    assert "Mostly true: At least 51 people were killed" in body
    assert SUMMARY in body


def test_the_index_pins_its_queries(client, checker, review, django_assert_num_queries):
    for n in range(3):
        claim = decided_claim(checker, text=f"{n + 2} killed in Aleppo on Tuesday, medics said.")
        services.review_publish(claim=claim, actor=checker, summary=f"Review {n}.")
    # count, the page of reviews with their claims and verdicts
    with django_assert_num_queries(2):
        assert client.get("/reviews/").status_code == 200


# ---------------------------------------------------------------------------
# The claim page's buttons


def test_the_claim_page_offers_publishing_to_fact_checkers_only(client, checker, editor):
    claim = decided_claim(checker)
    client.force_login(editor)
    assert "Publish review" not in client.get(f"/claims/{claim.pk}/").content.decode()
    client.force_login(checker)
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Publish review" in html and f"/claims/{claim.pk}/publish/" in html


def test_the_publish_button_publishes_and_records_it(client, checker):
    claim = decided_claim(checker)
    client.force_login(checker)
    r = client.post(f"/claims/{claim.pk}/publish/", {"summary": SUMMARY})
    assert r.status_code == 302
    review = PublishedReview.objects.get(claim=claim)
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert f"/reviews/{review.key}/" in html and "Take the review down" in html
    assert "review published" in html  # the claim's history
    r = client.post(f"/claims/{claim.pk}/unpublish/", {"note": "Under review again."})
    assert r.status_code == 302
    review.refresh_from_db()
    assert not review.live


def test_the_buttons_refuse_by_role_method_and_state(client, checker, editor, outsider):
    claim = decided_claim(checker)
    url = f"/claims/{claim.pk}/publish/"
    client.force_login(checker)
    assert client.get(url).status_code == 405
    client.force_login(outsider)
    assert client.post(url, {"summary": SUMMARY}).status_code == 404
    client.force_login(editor)
    r = client.post(url, {"summary": SUMMARY})
    assert r.status_code == 403
    client.force_login(checker)
    undecided = ClaimFactory()
    r = client.post(f"/claims/{undecided.pk}/publish/", {"summary": "Kept as typed."})
    assert r.status_code == 409
    assert "Kept as typed." in r.content.decode()
    r = client.post(url, {"summary": ""})
    assert r.status_code == 400
    assert not PublishedReview.objects.exists()


def test_dates_are_timezone_aware(review):
    assert review.published_at.tzinfo is not None
    assert review.published_at <= timezone.now() + dt.timedelta(seconds=1)


def test_text_no_database_can_hold_is_a_400_from_the_page_too(client, checker):
    claim = decided_claim(checker)
    client.force_login(checker)
    r = client.post(f"/claims/{claim.pk}/publish/", {"summary": "A NUL \x00 inside"})
    assert r.status_code == 400
    with pytest.raises(InvalidInput):  # only a JSON escape carries one: "\ud800"
        services.review_unpublish(claim=claim, actor=checker, note="A lone \ud800 half")
    assert not PublishedReview.objects.exists()


def test_the_public_page_pins_its_queries(client, checker, review, django_assert_num_queries):
    # the review, its claim, attributions, history with who, evidence with sources; the
    # check policy; the timeline (claims, their sources, their flags) and which of them
    # are published
    with django_assert_num_queries(10):
        assert client.get(public_url(review)).status_code == 200
    services.evidence_add(
        claim=review.claim, actor=checker, url="https://www.example.org/second", stance="context"
    )
    other = decided_claim(checker, text="About 60 killed in Aleppo on Wednesday, medics said.")
    services.review_publish(claim=other, actor=checker, summary="A second count.")
    with django_assert_num_queries(10):
        html = client.get(public_url(review)).content.decode()
    assert "https://www.example.org/second" in html


def test_the_chart_draws_only_published_figures(client, checker, review):
    unpublished = ClaimFactory(text="Dozens killed in Aleppo on Wednesday, a local council said.")
    other = decided_claim(checker, text="About 60 killed in Aleppo on Wednesday, medics said.")
    services.review_publish(claim=other, actor=checker, summary="A second count.")
    html = client.get(public_url(review)).content.decode()
    assert f'data-claim="{other.pk}"' in html
    assert f'data-claim="{unpublished.pk}"' not in html
    assert "local council" not in html
    assert "the published figures over time" in html
