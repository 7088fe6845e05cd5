"""`POST /api/v1/sources/{id}/merge/` with `{"into": id}`: admins only (issue 11, defect 9)."""

from __future__ import annotations

import pytest

from claims.models import Attribution, ClaimEvent, Source
from tests.factories import AttributionFactory, ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db

OLD = "Observatory for Human Rights in Syria"
NEW = "Syrian Observatory for Human Rights"


@pytest.fixture
def pair():  # type: ignore[no-untyped-def]
    survivor = SourceFactory(name=NEW)
    survivor.aliases.create(name="SOHR")
    old = SourceFactory(name=OLD)
    old.aliases.create(name="the Britain-based Observatory")
    claim = ClaimFactory(text="At least 51 killed, the monitor said.")
    AttributionFactory(claim=claim, source=old, source_text="the monitor")
    return {"survivor": survivor, "old": old, "claim": claim}


def merge(api, user, source, into):  # type: ignore[no-untyped-def]
    return api.as_(user).post(f"/api/v1/sources/{source}/merge/", {"into": into}, format="json")


def test_an_admin_merges_a_source_into_another(api, admin, pair):
    r = merge(api, admin, pair["old"].pk, pair["survivor"].pk)
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["id"] == pair["survivor"].pk and body["name"] == NEW
    assert sorted(body["aliases"]) == [OLD, "SOHR", "the Britain-based Observatory"]
    assert not Source.objects.filter(pk=pair["old"].pk).exists()
    assert Attribution.objects.get(claim=pair["claim"]).source == pair["survivor"]
    event = ClaimEvent.objects.get(claim=pair["claim"])
    assert (event.actor, event.note) == (admin, f"source {OLD} merged into {NEW}")
    claim = api.get(f"/api/v1/claims/{pair['claim'].pk}/").json()
    assert [s["name"] for s in claim["sources"]] == [NEW] and claim["version"] == 2


def test_the_old_name_resolves_to_the_survivor_from_then_on(api, admin, editor, pair):
    merge(api, admin, pair["old"].pk, pair["survivor"].pk)
    r = api.as_(editor).post(
        "/api/v1/claims/",
        {"text": "Nine killed in Aleppo.", "event": "killed", "sources": [OLD]},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert [s["id"] for s in r.json()["sources"]] == [pair["survivor"].pk]


@pytest.mark.parametrize(
    ("persona", "code"), [("editor", 403), ("checker", 403), ("outsider", 404)]
)
def test_only_admins_merge(request, api, pair, persona, code):
    r = merge(api, request.getfixturevalue(persona), pair["old"].pk, pair["survivor"].pk)
    assert r.status_code == code
    assert Source.objects.filter(pk=pair["old"].pk).exists()
    assert Attribution.objects.get(claim=pair["claim"]).source == pair["old"]
    assert not ClaimEvent.objects.exists()


def test_an_editor_is_refused_even_for_an_unknown_survivor(api, editor, pair):
    assert merge(api, editor, pair["old"].pk, 999_999).status_code == 403


@pytest.mark.parametrize("into", ["self", 999_999, None, "SOHR"])
def test_a_bad_survivor_is_a_400(api, admin, pair, into):
    target = pair["old"].pk if into == "self" else into
    r = merge(api, admin, pair["old"].pk, target)
    assert r.status_code == 400
    assert "into" in r.json()
    assert Source.objects.filter(pk=pair["old"].pk).exists()


def test_merging_an_unknown_source_is_a_404(api, admin, pair):
    assert merge(api, admin, 999_999, pair["survivor"].pk).status_code == 404


def test_merge_is_a_post(api, admin, pair):
    r = api.as_(admin).get(f"/api/v1/sources/{pair['old'].pk}/merge/")
    assert r.status_code == 405
