"""Incidents: which tolls are of one event, and how the tolls of one event compare.

An incident is one event: an attack, a strike, a quake, a fire, a shipwreck. Two rules live
here.

* match_incident tells from what two claims (or a claim and an incident) say about their
  event whether they are one incident: "link" on strong evidence, "suggest" on weaker
  evidence, "never" when their incident words or places tell them apart. Two incidents that
  share event, city and day are common (two attacks in one city on one day), and a false
  conflict costs the desk more trust than a missed one, so any difference in what the words
  name (a bombing and a shooting, a market and a mosque, Saturday and Sunday, two towns) is a
  "never", and sharing a story is no evidence at all.
* running_counts reads the tolls of one incident as the contradiction rules can weigh them.
  Copy gives most of an incident's tolls with no time frame ("12 were killed in the strike");
  within the incident such a toll is a running count as of its report date, so it becomes a
  to-date count from the incident's start to its report date. Two of them then compare like
  any two to-date counts from one start (checks/contradictions.py): same report date and
  disjoint intervals is value_conflict, a later report below an earlier one count_decreased,
  a place inside another with a higher toll sub_place_exceeds_total, and a later higher toll
  supersedes the earlier one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal, Protocol

from .blocking import period_of
from .types import ClaimFact

Match = Literal["link", "suggest", "never"]
LINK: Match = "link"
SUGGEST: Match = "suggest"
NEVER: Match = "never"

# Report dates further apart than this are not strong evidence of one incident.
MAX_REPORT_GAP_DAYS = 3

# Kinds that two reports of one event may well give for it: a generic word and a specific
# one ("the attack" and "the bombing"), or two faces of one disaster ("the storm" and "the
# floods"). Any other two kinds are two incidents.
_RELATED: dict[str, frozenset[str]] = {
    kind: frozenset(related.split())
    for kind, related in {
        "attack": "bombing airstrike strike shelling shooting stabbing explosion",
        "explosion": "bombing airstrike strike shelling fire crash accident collapse attack",
        "strike": "airstrike shelling explosion attack",
        "airstrike": "strike explosion attack bombing",
        "bombing": "explosion attack airstrike",
        "shelling": "strike explosion attack",
        "shooting": "attack",
        "stabbing": "attack",
        "accident": "crash collapse explosion fire shipwreck stampede",
        "disaster": (
            "quake tsunami flood storm landslide avalanche fire eruption collapse shipwreck "
            "crash stampede explosion accident"
        ),
        "storm": "flood landslide shipwreck disaster",
        "flood": "storm landslide tsunami disaster",
        "landslide": "flood storm quake collapse disaster",
        "quake": "tsunami landslide collapse avalanche disaster",
        "tsunami": "quake flood disaster",
        "avalanche": "quake disaster",
        "fire": "explosion collapse accident disaster",
        "collapse": "quake explosion fire landslide accident disaster",
        "crash": "accident explosion disaster",
        "shipwreck": "accident storm disaster",
        "stampede": "accident disaster",
        "eruption": "disaster",
    }.items()
}

# Venues that name a family of others from the other side: "the building" for "the school",
# "the boat" for "the ferry". A house is not a school, nor a ferry a ship.
_VENUE_FAMILIES: dict[str, frozenset[str]] = {
    generic: frozenset(members.split())
    for generic, members in {
        "building": (
            "market mosque church temple synagogue shrine school university hospital hotel "
            "restaurant mall stadium base factory depot station police_station prison bakery "
            "shelter home shop"
        ),
        "boat": "ferry ship",
    }.items()
}


def kinds_related(a: str, b: str) -> bool:
    """Whether two incident kinds may name one event: equal, or one names the other's family."""
    return a == b or b in _RELATED.get(a, ()) or a in _RELATED.get(b, ())


def venues_related(a: str, b: str) -> bool:
    """Whether two venues may be one place: equal, or a generic word for the other."""
    return a == b or b in _VENUE_FAMILIES.get(a, ()) or a in _VENUE_FAMILIES.get(b, ())


class MentionLike(Protocol):
    """The incident words of a claim, as the parser's IncidentMention gives them."""

    @property
    def kind(self) -> str: ...
    @property
    def venue(self) -> str | None: ...
    @property
    def day(self) -> date | None: ...
    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class IncidentFacts:
    """What a claim (or an incident already on the desk) says about its event.

    `kind`, `venue`, `day` and `name` come from the incident words (IncidentMention in
    claims/parsing/incidents.py, or the Incident row); `event` is the claim's (killed,
    injured, ...; None for an incident, which holds tolls of every event); `place_id` and
    `place_ancestors` as on ClaimFact; `reported_on` the report date (for an incident, the
    report date of its latest claim).
    """

    event: str | None
    place_id: int | None
    place_ancestors: frozenset[int] = frozenset()
    reported_on: date | None = None
    kind: str | None = None
    venue: str | None = None
    day: date | None = None
    name: str = ""
    # Only a town or a district narrows a place enough that two reports with the same kind
    # and no venue words are one event there; a province holds many.
    place_kind: str = ""

    @classmethod
    def of(
        cls,
        mention: MentionLike | None,
        *,
        event: str | None,
        place_id: int | None,
        place_ancestors: frozenset[int] = frozenset(),
        reported_on: date | None = None,
        place_kind: str = "",
    ) -> IncidentFacts:
        """The facts of a claim from its IncidentMention (or None when it names no incident)."""
        return cls(
            event=event,
            place_id=place_id,
            place_ancestors=place_ancestors,
            reported_on=reported_on,
            kind=mention.kind if mention else None,
            venue=mention.venue if mention else None,
            day=mention.day if mention else None,
            name=mention.name if mention else "",
            place_kind=place_kind,
        )


def place_relation(a: IncidentFacts, b: IncidentFacts) -> str:
    """ "same", "nested" (one inside the other), "different", or "unknown" (one has none)."""
    if a.place_id is None or b.place_id is None:
        return "unknown"
    if a.place_id == b.place_id:
        return "same"
    if a.place_id in b.place_ancestors or b.place_id in a.place_ancestors:
        return "nested"
    return "different"


def differences(a: IncidentFacts, b: IncidentFacts) -> str:
    """What tells two incidents apart, as a short reason, or "" when nothing does."""
    if a.kind and b.kind and not kinds_related(a.kind, b.kind):
        return f"different kinds ({a.kind}, {b.kind})"
    if a.venue and b.venue and not venues_related(a.venue, b.venue):
        return f"different venues ({a.venue}, {b.venue})"
    if a.name and b.name and a.name.casefold() != b.name.casefold():
        return f"different names ({a.name}, {b.name})"
    if a.day and b.day and a.day != b.day:
        return "different days"
    if place_relation(a, b) == "different":
        return "different places"
    # A report cannot be about an incident that happened after it.
    for one, other in ((a, b), (b, a)):
        if one.day and other.reported_on and one.day > other.reported_on:
            return "reported before it happened"
    return ""


def match_incident(
    a: IncidentFacts, b: IncidentFacts, *, max_gap_days: int = MAX_REPORT_GAP_DAYS
) -> Match:
    """Whether two claims (or a claim and an incident) are tolls of one incident.

    "link" when the evidence is strong: the same event (when both state one), the same place
    or one inside the other, report dates at most `max_gap_days` apart, and the same incident
    words: the same kind and venue (and name), and the same day when both give one.
    "suggest" when nothing tells them apart but the evidence is weaker: one side has no
    incident words, the kinds or venues are only related ("the attack", "the bombing"), the
    events differ, a place is missing. "never" when the words differ in kind, venue, name or
    day, the places are different towns, neither side names an incident (event, place and
    date alone are no evidence), or the reports are too far apart for anything but the same
    named day to tie them.
    """
    if differences(a, b):
        return NEVER
    if not a.kind and not b.kind:
        return NEVER
    gap = _report_gap(a, b)
    if gap is not None and gap > max_gap_days and not _same_name(a, b):
        # An incident told of again weeks later ("the toll from last month's quake"): only
        # its own words and the same day given on both sides tie the two. A storm's name
        # ties them however far apart: two storms never share one.
        same_words = a.kind == b.kind and a.venue == b.venue
        if same_words and a.day and a.day == b.day and place_relation(a, b) != "unknown":
            return SUGGEST
        return NEVER
    if _strong(a, b, gap):
        return LINK
    return SUGGEST


def _report_gap(a: IncidentFacts, b: IncidentFacts) -> int | None:
    if a.reported_on is None or b.reported_on is None:
        return None
    return abs((a.reported_on - b.reported_on).days)


def _same_name(a: IncidentFacts, b: IncidentFacts) -> bool:
    return bool(a.name) and a.name.casefold() == b.name.casefold()


def _strong(a: IncidentFacts, b: IncidentFacts, gap: int | None) -> bool:
    if gap is None or place_relation(a, b) not in ("same", "nested"):
        return False
    if a.event and b.event and a.event != b.event:
        return False
    if not (a.kind and a.kind == b.kind) or a.venue != b.venue:
        return False
    if (a.name or b.name) and not _same_name(a, b):
        return False
    # "a bombing in Baghdad" and "a bombing in Iraq" with no venue and no day: a province or
    # a country holds many bombings in a few days, a town or a named storm one.
    return a.venue is not None or bool(a.day and b.day) or _same_name(a, b) or _town(a, b)


def _town(a: IncidentFacts, b: IncidentFacts) -> bool:
    """Whether the narrower of the two places is a town or a district (when known)."""
    kinds = {a.place_kind, b.place_kind} - {""}
    return not kinds or bool(kinds & {"city", "district"})


# ---------------------------------------------------------------------------
# Tolls within one incident


def incident_start(block: Sequence[ClaimFact]) -> date:
    """The day an incident's running counts start from.

    Its day when known. Otherwise the earliest report date among its tolls, or the first day
    of a day or to-date frame that starts up to MAX_REPORT_GAP_DAYS before that report ("12
    were killed on Saturday" told on Monday): the frame then names the day it happened.
    """
    days = [fact.incident_day for fact in block if fact.incident_day is not None]
    if days:
        return min(days)
    earliest = min(report_date(fact) for fact in block)
    named = [
        period[0]
        for fact in block
        if (period := period_of(fact)) is not None
        and fact.period_kind in ("day", "to_date")
        and earliest - timedelta(days=MAX_REPORT_GAP_DAYS) <= period[0] <= earliest
    ]
    return min([earliest, *named])


def report_date(fact: ClaimFact) -> date:
    """The date a toll was given: its report date, or the day it was logged when it has none."""
    return fact.reported_on or fact.created_at.date()


def is_running_count(fact: ClaimFact, start: date) -> bool:
    """Whether a toll of the incident counts from its start: it states no time frame, or a
    day or to-date frame from the incident's start ("12 killed in Saturday's quake", "since
    the attack"). Any other frame ("5 more died on Tuesday", "in the past 24 hours") keeps
    its own period and compares by the ordinary rules."""
    period = period_of(fact)
    if period is None:
        return True
    return fact.period_kind in ("day", "to_date") and period[0] == start


def running_counts(block: Iterable[ClaimFact]) -> list[ClaimFact]:
    """The tolls of one incident block as the contradiction rules weigh them: a running
    count becomes a to-date count from the incident's start to its report date; the rest
    keep their own periods."""
    block = list(block)
    if not block:
        return []
    start = incident_start(block)
    out = []
    for fact in block:
        if is_running_count(fact, start):
            end = max(report_date(fact), start)
            out.append(replace(fact, period_start=start, period_end=end, period_kind="to_date"))
        else:
            out.append(fact)
    return out
