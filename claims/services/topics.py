"""Topics: tagging claims and stories with the admins' list, and following a topic.

Admins keep the list (the admin's Topic pages); a write here names topics by name or
row and never creates one, so a name the list does not hold is a 400 naming it. Who may
tag is `claims.policy` (`Action.TAG`): editors and admins. A claim's tags are recorded
as a history row of kind `topics` with the names before and after; they make no new
version of the claim (a tag is not what the claim says), so an edit or a decision made
from the version loaded before a tag still goes through. A story's tags are a row of
its own history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from claims import policy, roles
from claims.errors import ActionForbidden, InvalidInput
from claims.models import Claim, ClaimEvent, Story, StoryEvent, Topic
from claims.services.common import lock_claim, record_event, user_of
from claims.services.notifications import queue_followups
from claims.typing import Actor

# One write names at most this many topics: a claim is about a few things.
MAX_TOPICS = 20

TopicRef = Topic | str | int


def topics_resolve(refs: Iterable[TopicRef], *, field: str = "topics") -> list[Topic]:
    """The topics `refs` name (rows, ids or names, names matched whatever their case),
    each once, in the order given. A name or id the list does not hold is a 400 naming
    each one under `field`: the list is the admins', and a write never adds to it."""
    refs = list(refs)
    if len(refs) > MAX_TOPICS:
        raise InvalidInput(
            gettext("Too many topics."),
            errors={field: [gettext("At most %(max)s topics at once.") % {"max": MAX_TOPICS}]},
        )
    ids = {r for r in refs if isinstance(r, int) and not isinstance(r, bool)}
    # The list is short and kept by hand: matched here, so that case folds as Python
    # folds it on every database (SQLite's LOWER folds ASCII only).
    by_name = (
        {t.name.casefold(): t for t in Topic.objects.all()}
        if any(isinstance(r, str) for r in refs)
        else {}
    )
    by_id = {t.pk: t for t in Topic.objects.filter(pk__in=ids)} if ids else {}
    topics: list[Topic] = []
    unknown: list[str] = []
    for ref in refs:
        if isinstance(ref, Topic):
            topic: Topic | None = ref
        elif isinstance(ref, str):
            topic = by_name.get(ref.strip().casefold())
        else:
            topic = by_id.get(ref)
        if topic is None:
            unknown.append(str(ref).strip() or '""')
        elif topic not in topics:
            topics.append(topic)
    if unknown:
        raise InvalidInput(
            gettext("Unknown topics."),
            errors={
                field: [
                    gettext("No topic is called %(names)s: admins keep the list of topics.")
                    % {"names": ", ".join(unknown)}
                ]
            },
        )
    return topics


def _names(topics: Iterable[Topic]) -> list[str]:
    return sorted((t.name for t in topics), key=str.lower)


@transaction.atomic
def claim_set_topics(
    *,
    claim: Claim,
    actor: Actor,
    topics: Iterable[TopicRef],
    note: str = "",
    version: int | None = None,
) -> Claim:
    """Give the claim exactly `topics`, recorded with the names before and after (no
    row when nothing changed). `version`, when given, must still be the claim's."""
    claim = lock_claim(claim, version)
    # As a field of the claim: the refusal names `topics`, as the API answers it.
    policy.check_fields(actor, claim, ["topics"])
    wanted = topics_resolve(topics)
    before = list(claim.topics.all())
    if {t.pk for t in before} == {t.pk for t in wanted}:
        return claim
    claim.topics.set(wanted)
    event = record_event(
        claim,
        actor,
        ClaimEvent.Kind.TOPICS,
        note=note.strip(),
        details={"changed": {"topics": [_names(before), _names(wanted)]}},
    )
    queue_followups(event)
    return claim


def may_tag_stories(actor: Actor | None) -> bool:
    """Who tags a story is who tags its claims (`Action.TAG`)."""
    return actor is not None and any(
        g.role in roles.role_names(actor) for g in policy.TABLE[policy.Action.TAG]
    )


@transaction.atomic
def story_set_topics(
    *, story: Story, actor: Actor, topics: Iterable[TopicRef], note: str = ""
) -> Story:
    """Give the story exactly `topics`, recorded in the story's history. Suggestions
    (`selectors.story_topic_suggestions`) become tags only through here, when an editor
    accepts one."""
    policy.check_role(actor, policy.Action.TAG)
    story = Story.objects.select_for_update().get(pk=story.pk)
    wanted = topics_resolve(topics)
    before = list(story.topics.all())
    if {t.pk for t in before} == {t.pk for t in wanted}:
        return story
    story.topics.set(wanted)
    StoryEvent.objects.create(
        story=story,
        actor=user_of(actor),
        kind=StoryEvent.Kind.TOPICS,
        note=note.strip(),
        details={"changed": {"topics": [_names(before), _names(wanted)]}},
    )
    return story


@transaction.atomic
def story_add_topic(*, story: Story, actor: Actor, topic: TopicRef, note: str = "") -> Story:
    """Add one topic to the story's (an accepted suggestion), keeping the others."""
    policy.check_role(actor, policy.Action.TAG)
    current: list[Any] = list(story.topics.all())
    return story_set_topics(story=story, actor=actor, topics=[*current, topic], note=note)


def _desk_member(actor: Actor) -> Any:
    if not roles.has_role(actor):
        raise ActionForbidden(gettext("Sign in with a role on the desk first."))
    return user_of(actor)


def topic_follow(*, topic: Topic, actor: Actor) -> bool:
    """Follow the topic: the actor hears of each new high flag on a claim in it.
    Answers whether this changed anything (following twice is following)."""
    user = _desk_member(actor)
    if topic.followers.filter(pk=user.pk).exists():
        return False
    topic.followers.add(user)
    return True


def topic_unfollow(*, topic: Topic, actor: Actor) -> bool:
    """Stop following the topic; answers whether the actor followed it."""
    user = _desk_member(actor)
    if not topic.followers.filter(pk=user.pk).exists():
        return False
    topic.followers.remove(user)
    return True


__all__ = [
    "MAX_TOPICS",
    "claim_set_topics",
    "may_tag_stories",
    "story_add_topic",
    "story_set_topics",
    "topic_follow",
    "topic_unfollow",
    "topics_resolve",
]
