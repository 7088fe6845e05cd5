"""Merging a duplicate claim into the one that survives (`services.claim_merge`): what
moves, what the history says, which decision stands, and the refusals."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from claims import services
from claims.checks.types import fingerprint
from claims.errors import ActionForbidden, ClaimMerged, InvalidInput, StateConflict
from claims.models import (
    Attribution,
    Claim,
    ClaimEvent,
    Comment,
    Correction,
    Evidence,
    Flag,
    Incident,
    Severity,
    Status,
    StoryLink,
)
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    StoryFactory,
)
from tests.publishing import decided_claim, published_story

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

_numbers = itertools.count()


def flag(*claims, kind=Flag.Kind.VALUE_CONFLICT, severity=Severity.MEDIUM, **fields):  # type: ignore[no-untyped-def]
    ids = tuple(sorted(c.pk for c in claims))
    found = Flag.objects.create(
        kind=kind,
        severity=severity,
        message="The jobs found something.",
        fingerprint=fields.pop("fingerprint", None) or fingerprint(kind, ids),
        last_seen=timezone.now(),
        **fields,
    )
    found.claims.add(*claims)
    return found


def stored_severity(claim: Claim) -> int:
    return Claim.objects.values_list("open_severity", flat=True).get(pk=claim.pk)


@pytest.fixture
def twins():  # type: ignore[no-untyped-def]
    """One claim logged twice, from two stories, each copy with what hangs off it."""
    first_story, second_story = StoryFactory(), StoryFactory()
    survivor = ClaimFactory(story=first_story, story_start=0, story_end=11)
    duplicate = ClaimFactory(
        story=second_story,
        story_start=3,
        story_end=14,
        story_words="at least 51",
        story_sentence="At least 51 people were killed.",
    )
    wire, monitor = SourceFactory(name="Example Wire"), SourceFactory(name="Example Monitor")
    AttributionFactory(claim=survivor, source=monitor)
    AttributionFactory(claim=duplicate, source=monitor, source_text="the monitor")
    AttributionFactory(claim=duplicate, source=wire, source_text="the wire")
    EvidenceFactory(claim=duplicate, url="https://www.example.org/second-report")
    Comment.objects.create(claim=duplicate, body="Same as the other one, I think.")
    return {"survivor": survivor, "duplicate": duplicate, "wire": wire, "monitor": monitor}


def test_it_moves_evidence_sources_comments_and_stories(checker, twins):
    survivor, duplicate = twins["survivor"], twins["duplicate"]
    result = services.claim_merge(
        claim=duplicate, into=survivor, actor=checker, note="The wire's copy of the same count."
    )
    assert result.pk == survivor.pk
    assert list(Evidence.objects.filter(claim=survivor).values_list("url", flat=True)) == [
        "https://www.example.org/second-report"
    ]
    assert sorted(
        Attribution.objects.filter(claim=survivor).values_list("source__name", "source_text")
    ) == [("Example Monitor", "the monitor"), ("Example Wire", "the wire")]
    assert not Attribution.objects.filter(claim=duplicate).exists()
    assert Comment.objects.filter(claim=survivor).count() == 1
    link = StoryLink.objects.get(claim=survivor)
    assert (link.story_id, link.story_start, link.story_end, link.story_words) == (
        duplicate.story_id,
        3,
        14,
        "at least 51",
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id == survivor.pk
    # The duplicate keeps its own story and status, on record.
    assert duplicate.story_id is not None and duplicate.status == Status.NEW


def test_it_writes_history_on_both_and_bumps_versions(checker, twins):
    survivor, duplicate = twins["survivor"], twins["duplicate"]
    services.claim_merge(claim=duplicate, into=survivor, actor=checker, note="Same wire report.")
    old_row = ClaimEvent.objects.get(claim=duplicate, kind=ClaimEvent.Kind.MERGED)
    new_row = ClaimEvent.objects.get(claim=survivor, kind=ClaimEvent.Kind.MERGED)
    assert (old_row.actor, old_row.note, old_row.details["into"]) == (
        checker,
        "Same wire report.",
        survivor.pk,
    )
    assert new_row.details["from"] == duplicate.pk
    assert new_row.details["evidence"] == 1 and new_row.details["stories"] == 1
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert (survivor.version, duplicate.version) == (2, 2)


def test_it_says_why_when_no_note_is_given(checker, twins):
    services.claim_merge(claim=twins["duplicate"], into=twins["survivor"], actor=checker)
    row = ClaimEvent.objects.get(claim=twins["survivor"], kind=ClaimEvent.Kind.MERGED)
    assert row.note == f"Claim #{twins['duplicate'].pk} merged into claim #{twins['survivor'].pk}."


def test_merging_again_into_the_same_claim_changes_nothing(checker, twins):
    services.claim_merge(claim=twins["duplicate"], into=twins["survivor"], actor=checker)
    services.claim_merge(claim=twins["duplicate"], into=twins["survivor"].pk, actor=checker)
    assert ClaimEvent.objects.filter(kind=ClaimEvent.Kind.MERGED).count() == 2
    assert StoryLink.objects.count() == 1


def test_a_merged_claim_cannot_be_merged_elsewhere_nor_be_merged_into(checker, twins):
    third = ClaimFactory()
    services.claim_merge(claim=twins["duplicate"], into=twins["survivor"], actor=checker)
    with pytest.raises(ClaimMerged) as refused:
        services.claim_merge(claim=twins["duplicate"], into=third, actor=checker)
    assert refused.value.status_code == 409
    with pytest.raises(InvalidInput) as bad:
        services.claim_merge(claim=third, into=twins["duplicate"], actor=checker)
    assert bad.value.errors["into"] == [f"Merge into claim #{twins['survivor'].pk} instead."]


def test_it_refuses_itself_and_unknown_claims(checker, twins):
    duplicate = twins["duplicate"]
    with pytest.raises(InvalidInput) as itself:
        services.claim_merge(claim=duplicate, into=duplicate, actor=checker)
    assert "into" in itself.value.errors
    with pytest.raises(InvalidInput) as unknown:
        services.claim_merge(claim=duplicate, into=10**9, actor=checker)
    assert unknown.value.errors["into"] == [f"No claim has id {10**9}."]
    assert not ClaimEvent.objects.filter(kind=ClaimEvent.Kind.MERGED).exists()


def test_editors_may_not_merge(editor, admin, twins):
    with pytest.raises(ActionForbidden):
        services.claim_merge(claim=twins["duplicate"], into=twins["survivor"], actor=editor)
    assert Claim.objects.get(pk=twins["duplicate"].pk).merged_into_id is None
    services.claim_merge(claim=twins["duplicate"], into=twins["survivor"], actor=admin)
    assert Claim.objects.get(pk=twins["duplicate"].pk).merged_into_id == twins["survivor"].pk


def test_the_survivor_keeps_its_decision(checker):
    survivor = decided_claim(checker)
    duplicate = ClaimFactory()
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    survivor.refresh_from_db()
    assert survivor.status == Status.ATTRIBUTED and survivor.verdict is not None


def test_a_decided_claim_is_not_merged_into_an_undecided_one(checker):
    decided, undecided = decided_claim(checker), ClaimFactory()
    with pytest.raises(StateConflict) as refused:
        services.claim_merge(claim=decided, into=undecided, actor=checker)
    assert f"merge #{undecided.pk} into #{decided.pk}" in refused.value.message
    assert Claim.objects.get(pk=decided.pk).merged_into_id is None


def test_two_claims_decided_differently_are_not_merged(checker):
    attributed = decided_claim(checker)
    verified = decided_claim(checker, status=Status.VERIFIED, rating=5)
    with pytest.raises(StateConflict, match="decided differently"):
        services.claim_merge(claim=attributed, into=verified, actor=checker)


def test_nothing_is_merged_into_a_retracted_claim(checker):
    retracted = ClaimFactory(status=Status.RETRACTED)
    with pytest.raises(StateConflict, match="retracted"):
        services.claim_merge(claim=ClaimFactory(), into=retracted, actor=checker)


def test_writes_to_a_merged_claim_are_refused(checker, editor, twins):
    duplicate = twins["duplicate"]
    services.claim_merge(claim=duplicate, into=twins["survivor"], actor=checker)
    duplicate.refresh_from_db()
    with pytest.raises(ClaimMerged) as refused:
        services.claim_transition(claim=duplicate, actor=checker, to=Status.IN_REVIEW)
    assert f"merged into claim #{twins['survivor'].pk}" in refused.value.message
    with pytest.raises(ClaimMerged):
        services.claim_update(
            claim=duplicate, actor=editor, version=duplicate.version, changes={"value_low": 52}
        )
    with pytest.raises(ClaimMerged):
        services.comment_add(claim=duplicate, actor=editor, body="Still here?")


def test_a_flag_between_the_two_becomes_moot(checker, twins):
    survivor, duplicate = twins["survivor"], twins["duplicate"]
    pair = flag(survivor, duplicate, kind=Flag.Kind.DUPLICATE, severity=Severity.INFO)
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    pair.refresh_from_db()
    assert pair.status == Flag.Status.RESOLVED and pair.resolved_by == checker
    assert "merged into claim" in pair.resolution_note
    assert set(pair.claims.values_list("pk", flat=True)) == {survivor.pk, duplicate.pk}
    assert pair.events.get().to_status == Flag.Status.RESOLVED


def test_other_flags_move_with_the_fingerprint_the_scan_would_give(checker, twins):
    survivor, duplicate = twins["survivor"], twins["duplicate"]
    other = ClaimFactory(value_low=300, value_high=300)
    conflict = flag(duplicate, other, severity=Severity.HIGH)
    assert stored_severity(survivor) == 0
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    conflict.refresh_from_db()
    assert set(conflict.claims.values_list("pk", flat=True)) == {survivor.pk, other.pk}
    assert conflict.fingerprint == fingerprint(
        Flag.Kind.VALUE_CONFLICT, tuple(sorted((survivor.pk, other.pk)))
    )
    assert conflict.status == Flag.Status.OPEN
    # The triggers of migration 0023 follow the moved links.
    assert stored_severity(survivor) == Severity.HIGH
    assert stored_severity(duplicate) == 0


def test_a_finding_the_survivor_already_has_is_not_made_twice(checker, twins):
    survivor, duplicate = twins["survivor"], twins["duplicate"]
    other = ClaimFactory(value_low=300, value_high=300)
    kept = flag(survivor, other)
    copy = flag(duplicate, other)
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    copy.refresh_from_db()
    kept.refresh_from_db()
    assert copy.status == Flag.Status.RESOLVED and f"Flag #{kept.pk}" in copy.resolution_note
    assert set(copy.claims.values_list("pk", flat=True)) == {duplicate.pk, other.pk}
    assert kept.status == Flag.Status.OPEN
    assert Flag.objects.filter(fingerprint=kept.fingerprint).count() == 1


def test_a_duplicate_group_goes_on_without_the_merged_claim(checker, twins):
    survivor, duplicate = twins["survivor"], twins["duplicate"]
    third = ClaimFactory()
    group = flag(survivor, duplicate, third, kind=Flag.Kind.DUPLICATE, severity=Severity.INFO)
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    group.refresh_from_db()
    assert set(group.claims.values_list("pk", flat=True)) == {survivor.pk, third.pk}
    assert group.status == Flag.Status.OPEN


def test_the_incident_goes_to_a_survivor_without_one(checker, twins):
    survivor, duplicate = twins["survivor"], twins["duplicate"]
    incident = Incident.objects.create(label="Market bombing, Aleppo")
    Claim.objects.filter(pk=duplicate.pk).update(incident=incident)
    duplicate.refresh_from_db()
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert survivor.incident_id == incident.pk and survivor.incident_fixed
    assert duplicate.incident_id is None


def test_claims_merged_into_the_duplicate_follow_it(checker, twins):
    survivor, duplicate = twins["survivor"], twins["duplicate"]
    earlier = ClaimFactory()
    services.claim_merge(claim=earlier, into=duplicate, actor=checker)
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    assert Claim.objects.get(pk=earlier.pk).merged_into_id == survivor.pk
    assert StoryLink.objects.filter(claim=survivor).count() == 1


def test_merged_claims_leave_the_lists_and_the_scans(checker, twins):
    from claims import selectors
    from claims.checks.sync import load_facts

    services.claim_merge(claim=twins["duplicate"], into=twins["survivor"], actor=checker)
    listed = {c.pk for c in selectors.claim_list(user=checker)}
    assert listed == {twins["survivor"].pk}
    assert {f.id for f in load_facts(Claim.objects.all())} == {twins["survivor"].pk}


def test_a_changed_decision_asks_every_story_carrying_the_survivor_for_a_correction(
    checker, editor
):
    first, second = published_story(editor), published_story(editor, headline="Second copy")
    survivor = decided_claim(checker, story=first)
    duplicate = ClaimFactory(story=second)
    services.claim_merge(claim=duplicate, into=survivor, actor=checker)
    services.claim_transition(
        claim=survivor, actor=checker, to=Status.IN_REVIEW, note="A new count came in."
    )
    corrected = set(Correction.objects.filter(claim=survivor).values_list("story_id", flat=True))
    assert corrected == {first.pk, second.pk}
