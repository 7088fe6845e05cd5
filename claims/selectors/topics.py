"""Topics: the list, a topic's page, the topics of a claim or story, the dashboard's open
flags by topic, and the topics a story's claims suggest for it.

A suggestion is only ever shown: it becomes a tag when an editor accepts it
(`services.story_add_topic`)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from claims.models import Claim, Event, Flag, Story, Topic
from claims.parsing.tokens import fold
from claims.typing import Actor

# The dashboard lists at most this many topics, the most open flags first.
DASHBOARD_TOPICS = 10
_WORD = re.compile(r"\w+")


def topic_list(*, user: Actor) -> QuerySet[Topic]:
    """The topics, by name, each with `claim_count` and whether the user follows it
    (`followed`); none for a user with no role on the desk. Two queries at most,
    whatever the number of topics."""
    follows = Topic.followers.through.objects.filter(
        topic_id=OuterRef("pk"), user_id=getattr(user, "pk", None) or 0
    )
    return (
        Topic.objects.visible_to(user)
        .annotate(claim_count=Count("claims", distinct=True), followed=Exists(follows))
        .order_by("name")
    )


def topic_get(*, user: Actor, pk: int) -> Topic:
    """One topic with `claim_count` and `followed`; DoesNotExist for one the user may
    not see."""
    return topic_list(user=user).get(pk=pk)


def topic_choices() -> list[Topic]:
    """Every topic, for a form that tags."""
    return list(Topic.objects.order_by("name"))


def topic_story_get(*, user: Actor, pk: int) -> Story:
    """A story the user may see, for its topics: its headline and date, never its copy
    or the candidates stored with it (hundreds of KB for a long story)."""
    return Story.objects.visible_to(user).only("id", "headline", "published_at").get(pk=pk)


def claim_topics(claim: Claim) -> list[Topic]:
    return list(claim.topics.order_by("name"))


def story_topics(story: Story) -> list[Topic]:
    return list(story.topics.order_by("name"))


def topic_flag_counts(*, user: Actor) -> list[tuple[Topic, int]]:
    """The topics with open (or acknowledged) flags on their claims, with how many
    flags, the most first (DASHBOARD_TOPICS at most), in one query. A flag on two claims
    of one topic counts once."""
    open_flags = Q(claims__flags__status__in=Flag.UNRESOLVED)
    rows = (
        Topic.objects.visible_to(user)
        .annotate(open_flags=Count("claims__flags", filter=open_flags, distinct=True))
        .filter(open_flags__gt=0)
        .order_by("-open_flags", "name")[:DASHBOARD_TOPICS]
    )
    return [(topic, topic.open_flags) for topic in rows]  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# Suggestions for a story


def words_of(text: str) -> tuple[str, ...]:
    """A name as the words it is matched by: folded (`tokens.fold`), punctuation gone."""
    return tuple(_WORD.findall(fold(text)))


def _within(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


def names_match(topic: str, term: str, *, both_ways: bool = False) -> bool:
    """Whether a topic's name names a term (a place, an incident's kind, an event): the
    term's words appear, whole and in order, within the topic's. "Sudan war" names the
    place "Sudan", "Turkey quake 2023" the kind "quake"; "Sudan" does not name "South
    Sudan", nor "Sudan war" "Sudanese", nor "Iran" "Iraq". With `both_ways`, for an
    incident's label, the topic's words within the term's count too: "Aleppo" and
    "Market bombing, Aleppo"."""
    a, b = words_of(topic), words_of(term)
    return _within(b, a) or (both_ways and _within(a, b))


@dataclass
class TopicSuggestion:
    topic: Topic
    # Why, in words: "3 of its claims carry it", "the place Aleppo", ...
    reasons: list[str] = field(default_factory=list)


# What a claim names: the words, why they are named ("the place X"), and whether the
# topic may also stand within them (an incident's label) rather than only name them.
Term = tuple[str, str, bool]


def _terms(claims: Iterable[Claim]) -> list[Term]:
    """What the claims name, each once."""
    terms: dict[str, Term] = {}
    for claim in claims:
        place = claim.place
        depth = 0
        while place is not None and depth < 3:  # a district, its city, its country
            terms.setdefault(place.name, (place.name, f"the place {place.name}", False))
            place, depth = place.parent, depth + 1
        incident = claim.incident
        if incident is not None:
            why = f"the incident {incident.label}"
            terms.setdefault(incident.label, (incident.label, why, True))
            if incident.kind:
                terms.setdefault(incident.kind, (incident.kind, why, False))
        if claim.event:
            label = str(Event(claim.event).label)
            terms.setdefault(label, (label, f"the event “{label}”", False))
    return list(terms.values())


def suggest_topics(
    topics: Sequence[Topic],
    terms: Sequence[Term],
    carried: dict[int, int],
    *,
    exclude: set[int],
) -> list[TopicSuggestion]:
    """The suggestions from plain data: `carried` counts the claims that carry each
    topic (by id), `terms` are what the claims name. Topics in `exclude` (the story's
    own) are left out. The most reasons first, then by name."""
    found: list[TopicSuggestion] = []
    for topic in topics:
        if topic.pk in exclude:
            continue
        reasons = []
        if carried.get(topic.pk):
            n = carried[topic.pk]
            reasons.append(f"{n} of its claims carr{'y' if n != 1 else 'ies'} it")
        for term, why, both_ways in terms:
            if why not in reasons and names_match(topic.name, term, both_ways=both_ways):
                reasons.append(why)
        if reasons:
            found.append(TopicSuggestion(topic, reasons))
    found.sort(key=lambda s: (-len(s.reasons), s.topic.name.lower()))
    return found


def story_topic_suggestions(*, story: Story) -> list[TopicSuggestion]:
    """Topics the story's claims suggest for it: those its claims carry, and those whose
    name matches a place (or the place it lies in), an incident or an event of its
    claims. Four queries, whatever the story holds."""
    claims = list(
        Claim.objects.filter(story=story).select_related("place__parent__parent", "incident")
    )
    if not claims:
        return []
    carried = Counter(
        Claim.topics.through.objects.filter(claim__story=story).values_list("topic_id", flat=True)
    )
    own = set(story.topics.values_list("pk", flat=True))
    return suggest_topics(topic_choices(), _terms(claims), carried, exclude=own)


__all__ = [
    "DASHBOARD_TOPICS",
    "TopicSuggestion",
    "claim_topics",
    "names_match",
    "story_topic_suggestions",
    "story_topics",
    "suggest_topics",
    "topic_choices",
    "topic_flag_counts",
    "topic_get",
    "topic_list",
    "topic_story_get",
]
