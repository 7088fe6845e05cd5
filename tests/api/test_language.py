"""Language through the API: parse says when the desk cannot read the words, claims and
stories carry their language (read-only), and claims filter by it."""

from __future__ import annotations

import pytest

from claims.models import Claim, Story
from tests.factories import ClaimFactory

PARSE = "/api/v1/parse/"
CLAIMS = "/api/v1/claims/"
STORIES = "/api/v1/stories/"

FRENCH = "Au moins 51 personnes ont été tuées lundi à Kharkiv, selon le gouverneur régional."
SPANISH = "Al menos 51 personas murieron el lunes en Járkov, según el gobernador regional."
ENGLISH = "At least 51 people were killed in Aleppo on Monday, the Observatory said."


# ---------------------------------------------------------------------------
# POST /api/v1/parse/


@pytest.mark.parametrize(
    ("text", "code", "name"), [(FRENCH, "fr", "French"), (SPANISH, "es", "Spanish")]
)
def test_parse_says_when_the_desk_does_not_read_the_language(api, editor, text, code, name):
    r = api.as_(editor).post(PARSE, {"text": text, "reported_on": "2014-02-13"})
    assert r.status_code == 200
    body = r.json()
    assert body["language"] == code
    assert body["message"] == f"This looks like {name}; the desk reads English copy."
    # An empty reading, never half a reading of words the parser does not know.
    assert body["text"] == text
    assert (body["value_low"], body["event"], body["place"], body["source"]) == (
        None,
        None,
        None,
        None,
    )
    assert body["period_start"] is None and body["source_text"] == ""


def test_parse_reads_english_and_says_nothing_more(api, editor):
    r = api.as_(editor).post(PARSE, {"text": ENGLISH, "reported_on": "2014-02-13"})
    assert r.status_code == 200
    body = r.json()
    assert (body["language"], body["message"]) == ("en", None)
    assert body["value_low"] == 51 and body["event"] == "killed"


def test_parse_reads_words_too_few_to_tell_as_it_always_did(api, editor):
    r = api.as_(editor).post(PARSE, {"text": "51 killed", "reported_on": "2014-02-13"})
    assert r.status_code == 200
    body = r.json()
    assert (body["language"], body["message"]) == ("", None)
    assert body["value_low"] == 51


def test_parse_of_foreign_copy_is_still_for_the_desk_only(api, outsider):
    payload = {"text": FRENCH, "reported_on": "2014-02-13"}
    assert api.post(PARSE, payload).status_code in (401, 403)
    assert api.as_(outsider).post(PARSE, payload).status_code == 403


def test_parse_of_foreign_copy_reads_no_register(api, editor, django_assert_num_queries):
    # The user's roles only: the parser, and the registers it reads, are not asked.
    with django_assert_num_queries(1):
        r = api.as_(editor).post(PARSE, {"text": FRENCH, "reported_on": "2014-02-13"})
    assert r.status_code == 200


# ---------------------------------------------------------------------------
# Claims


def test_a_created_claim_carries_its_language_which_the_client_cannot_set(api, editor):
    r = api.as_(editor).post(CLAIMS, {"text": FRENCH, "language": "en"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["language"] == "fr"
    assert Claim.objects.get(pk=r.json()["id"]).language == "fr"


def test_editing_a_claims_text_changes_its_language(api, editor):
    claim = api.as_(editor).post(CLAIMS, {"text": FRENCH}, format="json").json()
    r = api.patch(
        f"{CLAIMS}{claim['id']}/",
        {"text": ENGLISH, "version": claim["version"], "language": "fr"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["language"] == "en"


def test_claims_filter_by_language(api, checker):
    french = ClaimFactory(text=FRENCH, language="fr")
    ClaimFactory(language="en")
    r = api.as_(checker).get(f"{CLAIMS}?language=fr")
    assert r.status_code == 200
    assert [c["id"] for c in r.json()["results"]] == [french.pk]
    assert r.json()["results"][0]["language"] == "fr"


def test_an_unknown_language_is_a_bad_filter(api, checker):
    r = api.as_(checker).get(f"{CLAIMS}?language=xx")
    assert r.status_code == 400
    assert "language" in r.json()


def test_the_claims_filter_is_for_the_desk_only(api, outsider):
    ClaimFactory(text=FRENCH, language="fr")
    assert api.get(f"{CLAIMS}?language=fr").status_code in (401, 403)
    r = api.as_(outsider).get(f"{CLAIMS}?language=fr")
    assert r.status_code == 403 or r.json()["results"] == []


# ---------------------------------------------------------------------------
# Stories


def test_a_story_carries_its_language_which_the_client_cannot_set(api, editor):
    r = api.as_(editor).post(
        STORIES,
        {
            "headline": "Séisme dans le sud",
            "body": "Les secours fouillaient encore les décombres mardi, deux jours après le "
            "séisme. Le ministère de la santé a fait état de 212 morts.",
            "published_at": "2014-02-13T12:00Z",
            "language": "en",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["language"] == "fr"
    story = Story.objects.get(pk=r.json()["id"])
    assert story.language == "fr"
    r = api.patch(
        f"{STORIES}{story.pk}/",
        {"body": "Rescuers were still digging on Tuesday. The ministry said 212 had died."},
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["language"] == "en"
