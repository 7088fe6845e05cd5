"""Topics: the list's names, tagging claims and stories through the services, following
a topic and hearing of its new high flags, and the suggestions a story's claims make."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims import selectors, services
from claims.checks import sync
from claims.errors import ActionForbidden, InvalidInput, StateConflict
from claims.models import (
    ClaimEvent,
    Flag,
    Incident,
    Notification,
    Severity,
    Status,
    StoryEvent,
    Topic,
)
from claims.selectors.topics import names_match, suggest_topics
from claims.services import notifications
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    PlaceFactory,
    SourceFactory,
    StoryFactory,
    make_user,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]


@pytest.fixture
def syria(db):  # type: ignore[no-untyped-def]
    return Topic.objects.create(name="Syria", description="The war in Syria since 2011.")


@pytest.fixture
def quake(db):  # type: ignore[no-untyped-def]
    return Topic.objects.create(name="Turkey quake 2023")


# ---------------------------------------------------------------------------
# The list


def test_a_topic_name_is_unique_whatever_its_case(syria):
    with pytest.raises(IntegrityError), transaction.atomic():
        Topic.objects.create(name="SYRIA")
    assert Topic.objects.count() == 1


def test_the_admin_role_may_manage_topics_in_the_admin(admin, editor):
    assert admin.has_perm("claims.add_topic") and admin.has_perm("claims.change_topic")
    assert admin.has_perm("claims.delete_topic")
    assert not editor.has_perm("claims.add_topic")


# ---------------------------------------------------------------------------
# Tagging a claim


def test_it_tags_a_claim_by_name_and_records_the_change(editor, syria, quake):
    claim = ClaimFactory()
    services.claim_set_topics(claim=claim, actor=editor, topics=["syria"], note="Aleppo copy.")
    assert list(claim.topics.all()) == [syria]
    services.claim_set_topics(claim=claim, actor=editor, topics=[quake, syria])
    rows = list(claim.events.filter(kind=ClaimEvent.Kind.TOPICS))
    assert [r.details["changed"]["topics"] for r in rows] == [
        [[], ["Syria"]],
        [["Syria"], ["Syria", "Turkey quake 2023"]],
    ]
    assert rows[0].actor == editor and rows[0].note == "Aleppo copy."


def test_a_tag_makes_no_new_version_so_a_decision_from_before_still_goes_through(
    editor, checker, syria
):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    services.claim_set_topics(claim=claim, actor=editor, topics=["Syria"])
    claim.refresh_from_db()
    assert claim.version == 1
    AttributionFactory(claim=claim)
    services.claim_transition(
        claim=claim, actor=checker, to=Status.ATTRIBUTED, note="One source.", version=1
    )


def test_the_same_topics_again_write_no_history(editor, syria):
    claim = ClaimFactory()
    services.claim_set_topics(claim=claim, actor=editor, topics=["Syria"])
    services.claim_set_topics(claim=claim, actor=editor, topics=["SYRIA", "Syria"])
    assert claim.events.filter(kind=ClaimEvent.Kind.TOPICS).count() == 1


def test_an_unknown_name_is_refused_naming_it_and_nothing_changes(editor, syria):
    claim = ClaimFactory()
    with pytest.raises(InvalidInput) as refused:
        services.claim_set_topics(claim=claim, actor=editor, topics=["Syria", "Atlantis"])
    assert "Atlantis" in refused.value.errors["topics"][0]
    assert not claim.topics.exists()
    assert not Topic.objects.filter(name="Atlantis").exists()


@pytest.mark.parametrize("persona", ["checker", "outsider"])
def test_only_editors_and_admins_tag_claims(request, persona, syria):
    claim = ClaimFactory()
    with pytest.raises(ActionForbidden) as refused:
        services.claim_set_topics(
            claim=claim, actor=request.getfixturevalue(persona), topics=["Syria"]
        )
    assert "topics" in refused.value.errors
    assert not claim.topics.exists()


def test_an_editor_tags_a_decided_claim_but_not_a_retracted_one(editor, admin, syria):
    decided = ClaimFactory(status=Status.VERIFIED)
    services.claim_set_topics(claim=decided, actor=editor, topics=["Syria"])
    assert decided.topics.count() == 1
    retracted = ClaimFactory(status=Status.RETRACTED)
    with pytest.raises(StateConflict):
        services.claim_set_topics(claim=retracted, actor=editor, topics=["Syria"])
    services.claim_set_topics(claim=retracted, actor=admin, topics=["Syria"])
    assert retracted.topics.count() == 1


# ---------------------------------------------------------------------------
# Tagging a story


def test_it_tags_a_story_with_a_row_of_its_history(editor, syria):
    story = StoryFactory()
    services.story_add_topic(story=story, actor=editor, topic=syria.pk)
    assert list(story.topics.all()) == [syria]
    [row] = StoryEvent.objects.filter(story=story, kind=StoryEvent.Kind.TOPICS)
    assert row.details["changed"]["topics"] == [[], ["Syria"]] and row.actor == editor


def test_a_fact_checker_may_not_tag_a_story(checker, syria):
    story = StoryFactory()
    with pytest.raises(ActionForbidden):
        services.story_set_topics(story=story, actor=checker, topics=[syria])
    assert not story.topics.exists()


# ---------------------------------------------------------------------------
# Following, and the new high flags of a followed topic


def test_following_twice_is_following_once(checker, syria):
    assert services.topic_follow(topic=syria, actor=checker) is True
    assert services.topic_follow(topic=syria, actor=checker) is False
    assert list(syria.followers.all()) == [checker]
    assert services.topic_unfollow(topic=syria, actor=checker) is True
    assert not syria.followers.exists()


def test_a_user_without_a_role_cannot_follow(outsider, syria):
    with pytest.raises(ActionForbidden):
        services.topic_follow(topic=syria, actor=outsider)


def _conflict() -> tuple:  # type: ignore[type-arg]
    """Two credible sources with different tolls for one day in Aleppo: a high flag."""
    sohr = ClaimFactory(text="At least 51 killed in Aleppo on 12 Feb, the Observatory said.")
    AttributionFactory(claim=sohr, source=SourceFactory(name="Observatory", grade="B"))
    wire = ClaimFactory(
        text="Between 20 and 30 were killed in Aleppo on Wednesday, medics said.",
        value_low=20,
        value_high=30,
        qualifier="range",
    )
    AttributionFactory(claim=wire, source=SourceFactory(name="Example Wire", grade="B"))
    return sohr, wire


def test_a_new_high_flag_in_a_followed_topic_tells_its_followers_once(
    django_capture_on_commit_callbacks, editor, checker, other_checker, syria, quake
):
    sohr, wire = _conflict()
    services.claim_set_topics(claim=sohr, actor=editor, topics=["Syria"])
    services.claim_set_topics(claim=wire, actor=editor, topics=["Syria", "Turkey quake 2023"])
    services.topic_follow(topic=syria, actor=checker)
    services.topic_follow(topic=quake, actor=checker)
    with django_capture_on_commit_callbacks(execute=True):
        sync.scan_contradictions()
    flag = Flag.objects.get(kind="value_conflict")
    assert flag.severity >= Severity.HIGH
    [note] = Notification.objects.filter(recipient=checker)
    assert note.event == "topic_high_flag"
    assert "in Syria" in note.message and note.get_absolute_url() == f"/flags/{flag.pk}/"
    assert not Notification.objects.filter(recipient=other_checker).exists()
    # The task again (a retry, a second worker) and the next scan: nobody hears twice.
    notifications.notify_flags_raised([flag.pk])
    with django_capture_on_commit_callbacks(execute=True):
        sync.scan_contradictions()
    assert Notification.objects.filter(recipient=checker).count() == 1


def test_a_follower_who_logged_the_claim_hears_of_the_flag_once(editor, syria):
    claim = ClaimFactory(created_by=editor)
    services.claim_set_topics(claim=claim, actor=editor, topics=["Syria"])
    services.topic_follow(topic=syria, actor=editor)
    flag = _flag(claim, Severity.HIGH)
    notifications.notify_flags_raised([flag.pk])
    assert [n.event for n in Notification.objects.filter(recipient=editor)] == ["high_flag"]


def _flag(claim, severity):  # type: ignore[no-untyped-def]
    flag = Flag.objects.create(
        kind="verdict_conflict",
        severity=severity,
        message="Verdicts clash.",
        fingerprint=f"topic-test-{claim.pk}-{severity}",
        last_seen=timezone.now(),
    )
    flag.claims.add(claim)
    return flag


def test_a_flag_below_high_or_outside_the_topic_tells_no_follower(editor, checker, syria):
    tagged = ClaimFactory()
    services.claim_set_topics(claim=tagged, actor=editor, topics=["Syria"])
    services.topic_follow(topic=syria, actor=checker)
    medium = _flag(tagged, Severity.MEDIUM)
    elsewhere = _flag(ClaimFactory(), Severity.HIGH)
    assert notifications.notify_flags_raised([medium.pk, elsewhere.pk]) == 0
    assert not Notification.objects.filter(recipient=checker).exists()


def test_a_follower_who_lost_their_role_hears_nothing(editor, checker, syria):
    claim = ClaimFactory()
    services.claim_set_topics(claim=claim, actor=editor, topics=["Syria"])
    services.topic_follow(topic=syria, actor=checker)
    checker.groups.clear()
    assert notifications.notify_flags_raised([_flag(claim, Severity.HIGH).pk]) == 0


def test_followers_are_told_only_after_the_flag_commits(
    django_capture_on_commit_callbacks, editor, checker, syria
):
    sohr, wire = _conflict()
    services.claim_set_topics(claim=sohr, actor=editor, topics=["Syria"])
    services.topic_follow(topic=syria, actor=checker)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        sync.scan_contradictions()
        assert not Notification.objects.filter(recipient=checker).exists()
    assert queued
    for callback in queued:
        callback()
    assert Notification.objects.filter(recipient=checker, event="topic_high_flag").count() == 1


# ---------------------------------------------------------------------------
# Suggestions for a story


@pytest.mark.parametrize(
    ("topic", "term", "match"),
    [
        ("Sudan war", "Sudan", True),
        ("Turkey quake 2023", "quake", True),
        ("Syria", "SYRIA", True),
        ("South Sudan", "Sudan", True),
        ("Sudan", "South Sudan", False),
        ("Aleppo", "Market bombing, Aleppo, 12 Feb", False),
        ("Iran", "Iraq", False),
        ("Sudan war", "Sudanese", False),
        ("Côte d'Ivoire", "Cote d Ivoire", True),
        ("Aleppo", "", False),
    ],
)
def test_a_topic_names_a_term_by_its_whole_words_in_order(topic, term, match):
    assert names_match(topic, term) is match


def test_a_topic_within_an_incidents_label_matches_both_ways():
    assert names_match("Aleppo", "Market bombing, Aleppo, 12 Feb", both_ways=True)
    assert not names_match("Homs", "Market bombing, Aleppo, 12 Feb", both_ways=True)


def test_suggestions_from_plain_data_leave_out_the_storys_own():
    topics = [Topic(pk=1, name="Syria"), Topic(pk=2, name="Sudan war"), Topic(pk=3, name="Gaza")]
    terms = [("Syria", "the place Syria", False), ("Sudan", "the place Sudan", False)]
    found = suggest_topics(topics, terms, {3: 2}, exclude={1})
    assert [(s.topic.name, s.reasons) for s in found] == [
        ("Gaza", ["2 of its claims carry it"]),
        ("Sudan war", ["the place Sudan"]),
    ]


def test_a_story_is_suggested_topics_from_its_claims_and_none_is_applied(editor, syria, quake):
    story = StoryFactory()
    country = PlaceFactory(name="Syria", country="SY", kind="country")
    city = PlaceFactory(name="Aleppo", country="SY", kind="city")
    city.parent = country
    city.save()
    ClaimFactory(story=story, place=city)
    strike = Incident.objects.create(label="Strike on a bakery", kind="strike")
    tagged = ClaimFactory(story=story, incident=strike)
    bakery = Topic.objects.create(name="Bakery strike")
    gaza = Topic.objects.create(name="Gaza")
    services.claim_set_topics(claim=tagged, actor=editor, topics=[gaza])
    found = {s.topic.name: s.reasons for s in selectors.story_topic_suggestions(story=story)}
    assert found == {
        "Syria": ["the place Syria"],
        "Bakery strike": ["the incident Strike on a bakery"],
        "Gaza": ["1 of its claims carries it"],
    }
    assert not story.topics.exists()
    services.story_add_topic(story=story, actor=editor, topic=bakery)
    after = {s.topic.name for s in selectors.story_topic_suggestions(story=story)}
    assert after == {"Syria", "Gaza"}


def test_a_story_without_claims_has_no_suggestions(syria):
    assert selectors.story_topic_suggestions(story=StoryFactory()) == []


def test_the_suggestions_cost_the_same_queries_however_many_claims(
    editor, syria, django_assert_num_queries
):
    story = StoryFactory()
    for _ in range(5):
        claim = ClaimFactory(story=story)
        services.claim_set_topics(claim=claim, actor=editor, topics=["Syria"])
    # the claims with places and incidents, the topics they carry, the story's, the list
    with django_assert_num_queries(4):
        selectors.story_topic_suggestions(story=story)


def test_a_new_user_has_no_topics(db):
    user = make_user(None, "nobody")
    assert list(user.followed_topics.all()) == []
