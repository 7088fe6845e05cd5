"""Corroboration: a claim is confirmed by other sources only when two sources that say
so are independent of each other; the claim page names those that are not."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from claims import services
from claims.checks.corroboration import (
    Dependence,
    dependences,
    independent_pair,
    is_corroborated,
    upstream,
)
from claims.errors import InvalidInput
from claims.models import Attribution, Claim
from claims.selectors.track_records import claim_corroboration
from claims.services.registers import SourceRef
from tests.factories import AttributionFactory, ClaimFactory, SourceFactory

# The register as plain data: 1 a monitor, 2 a ministry, 3 a wire that relays the
# monitor, 4 a broadcaster that quotes that wire, 5 another wire that relays the
# monitor, 6 an outlet that quotes the ministry and the wire 3; 7 stands alone.
LINKS = {3: [1], 4: [3], 5: [1], 6: [2, 3]}


# ---------------------------------------------------------------------------
# The rule, with plain data


def test_a_link_makes_the_pair_dependent_whichever_is_asked_about():
    assert dependences([1, 3], LINKS) == [Dependence(1, 3, frozenset({1}))]
    assert dependences([3, 1], LINKS) == dependences([1, 3], LINKS)
    assert not is_corroborated([1, 3], LINKS)


def test_a_chain_of_relays_is_not_independent():
    assert upstream(4, LINKS) == {4, 3, 1}
    assert dependences([1, 4], LINKS) == [Dependence(1, 4, frozenset({1}))]


def test_two_wires_relaying_one_monitor_are_not_independent():
    assert dependences([3, 5], LINKS) == [Dependence(3, 5, frozenset({1}))]
    assert not is_corroborated([3, 5], LINKS)


def test_two_sources_a_third_relays_stay_independent():
    # The outlet 6 quotes both the ministry 2 and the wire 3: they share no origin.
    assert dependences([2, 3], LINKS) == []
    assert independent_pair([2, 3], LINKS) == (2, 3)


def test_one_independent_pair_is_enough():
    assert is_corroborated([1, 3, 5, 7], LINKS)
    assert independent_pair([1, 3, 5, 7], LINKS) == (1, 7)


def test_one_source_however_often_named_confirms_nothing():
    assert not is_corroborated([7], LINKS)
    assert not is_corroborated([7, 7], LINKS)
    assert not is_corroborated([], LINKS)


def test_a_loop_in_the_register_ends():
    looped = {1: [2], 2: [1]}
    assert upstream(1, looped) == {1, 2}
    assert dependences([1, 2], looped) == [Dependence(1, 2, frozenset({1, 2}))]


# ---------------------------------------------------------------------------
# The claim's sources, read from the database


@pytest.fixture
def register(db):  # type: ignore[no-untyped-def]
    sohr = SourceFactory(name="Syrian Observatory for Human Rights")
    wire = SourceFactory(name="Example Wire", kind="wire")
    other_wire = SourceFactory(name="Second Wire", kind="wire")
    ministry = SourceFactory(name="Health Ministry", kind="government")
    wire.depends_on.add(sohr)
    other_wire.depends_on.add(sohr)
    return {"sohr": sohr, "wire": wire, "other_wire": other_wire, "ministry": ministry}


def claim_with(*sources, role=Attribution.Role.ATTRIBUTED_TO, **fields):  # type: ignore[no-untyped-def]
    claim = ClaimFactory(**fields)
    for source in sources:
        AttributionFactory(claim=claim, source=source, role=role)
    return Claim.objects.with_related().get(pk=claim.pk)


@pytest.mark.django_db
def test_it_names_the_sources_that_stand_on_each_other(register, django_assert_num_queries):
    claim = claim_with(register["wire"], register["other_wire"], register["sohr"])
    with django_assert_num_queries(1):  # the register's links, with the names they lead to
        got = claim_corroboration(claim)
    assert [p.words for p in got.dependent] == [
        "Example Wire relays Syrian Observatory for Human Rights",
        "Second Wire relays Syrian Observatory for Human Rights",
        "Example Wire and Second Wire both relay Syrian Observatory for Human Rights",
    ]
    assert got.corroborated is False


@pytest.mark.django_db
def test_a_source_that_contradicts_the_claim_does_not_corroborate_it(register):
    claim = claim_with(register["sohr"])
    AttributionFactory(
        claim=claim, source=register["ministry"], role=Attribution.Role.CONTRADICTED_BY
    )
    got = claim_corroboration(Claim.objects.with_related().get(pk=claim.pk))
    assert [s.name for s in got.sources] == ["Syrian Observatory for Human Rights"]
    assert got.corroborated is False


@pytest.mark.django_db
def test_two_independent_sources_corroborate_with_no_query_for_one(
    register, django_assert_num_queries
):
    claim = claim_with(register["wire"])
    AttributionFactory(
        claim=claim, source=register["ministry"], role=Attribution.Role.CORROBORATED_BY
    )
    got = claim_corroboration(Claim.objects.with_related().get(pk=claim.pk))
    assert got.corroborated is True and got.dependent == []
    alone = claim_with(register["sohr"])
    with django_assert_num_queries(0):
        assert claim_corroboration(alone).corroborated is False


# ---------------------------------------------------------------------------
# The claim page


@pytest.mark.django_db
def test_the_claim_page_says_which_sources_are_not_independent(client, editor, register):
    claim = claim_with(register["wire"], register["sohr"])
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert (
        "<strong>Not independent of each other:</strong> "
        "Example Wire relays Syrian Observatory for Human Rights." in page
    )
    assert "it does not count as confirmed by other sources" in page


@pytest.mark.django_db
def test_the_claim_page_says_when_two_sources_are_independent(client, checker, register):
    claim = claim_with(register["wire"], register["ministry"])
    client.force_login(checker)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "Not independent of each other" not in page
    assert "Two of its sources are independent of each other" in page


@pytest.mark.django_db
def test_a_claim_with_one_source_says_nothing_of_corroboration(client, editor, register):
    claim = claim_with(register["sohr"])
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "independent of each other" not in page


# ---------------------------------------------------------------------------
# Credibility 1 follows the rule


def patch(user, claim, body):  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_authenticate(user)
    return client.patch(f"/api/v1/claims/{claim.pk}/", body, format="json")


@pytest.mark.django_db
def test_confirmed_by_other_sources_needs_two_independent_ones(checker, register):
    claim = claim_with(register["wire"], register["sohr"], status="in_review", assignee=checker)
    r = patch(checker, claim, {"credibility": 1, "version": claim.version})
    assert r.status_code == 400
    assert "not independent of each other" in r.json()["credibility"][0]
    claim.refresh_from_db()
    assert (claim.credibility, claim.version) == (None, 1)
    assert not claim.events.exists()
    # Credibility 2 asks for no corroboration.
    assert patch(checker, claim, {"credibility": 2, "version": 1}).status_code == 200


@pytest.mark.django_db
def test_an_independent_second_source_allows_it(checker, register):
    claim = claim_with(register["wire"], register["ministry"], status="in_review", assignee=checker)
    r = patch(checker, claim, {"credibility": 1, "version": claim.version})
    assert r.status_code == 200 and r.json()["credibility"] == 1


@pytest.mark.django_db
def test_sources_changed_with_credibility_one_are_checked_too(admin, register):
    claim = claim_with(register["wire"], register["ministry"], status="in_review")
    claim = services.claim_update(
        claim=claim, actor=admin, version=claim.version, changes={"credibility": 1}
    )
    with pytest.raises(InvalidInput) as refused:
        services.claim_update(
            claim=claim,
            actor=admin,
            version=claim.version,
            changes={},
            sources=[SourceRef(register["wire"]), SourceRef(register["sohr"])],
        )
    assert "credibility" in refused.value.errors
    assert sorted(a.source.name for a in Claim.objects.get(pk=claim.pk).attributions.all()) == [
        "Example Wire",
        "Health Ministry",
    ]


@pytest.mark.django_db
def test_a_claim_logged_as_confirmed_needs_two_independent_sources(admin, register):
    with pytest.raises(InvalidInput):
        services.claim_create(
            actor=admin, text="Forty were killed, the wire said.", credibility=1,
            sources=[register["wire"].pk],
        )  # fmt: skip
    assert not Claim.objects.filter(text__startswith="Forty").exists()
    made = services.claim_create(
        actor=admin,
        text="Forty were killed, the wire and the ministry said.",
        credibility=1,
        sources=[register["wire"].pk, register["ministry"].pk],
    )
    assert made.credibility == 1
