"""Incident words: the words a sentence names one event by, read into a kind, a venue, a place
and a day.

"the strike on Kupiansk", "the market bombing", "Saturday's quake", "the ferry sinking", "the
mine collapse", "the attack on a wedding party", "the blast at the mosque": a head noun (or a
verb that names a happening: "a ferry capsized", "gunmen opened fire") with its modifiers on
the left (a venue, a day, a place, what kind of weapon) and its attachments on the right ("on"
a place or a target, "at" a venue, "on" a day). The kind is read into a small closed taxonomy
(KINDS) and the venue into a small list of targets (VENUES), so that two reports of one event
read alike and two events that share a city and a day read apart: that is all the incident
checks (claims/checks/incidents.py) rely on.

Most sentences name no incident: a keyword test on the raw text turns them away before the
sentence is tokenised, which keeps the cost of a sentence without a mention word to a few
microseconds. Nothing here is called by extract(); callers ask for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from claims.parsing.attribution import SAY_VERBS
from claims.parsing.dates import MONTHS, WEEKDAYS, date_at, weekday_on_or_before
from claims.parsing.events import is_people_word
from claims.parsing.periods import find_time_frames
from claims.parsing.places import PlaceHit, choose_place, find_places
from claims.parsing.tokens import (
    NUM,
    PUNCT,
    WORD,
    Token,
    base_word,
    is_possessive,
    tokenize,
    word_list,
)
from claims.parsing.types import ParseContext, PlaceMatch, TimeFrame

# A claim is a sentence or two; the incident words are in its first lines.
MAX_CHARS = 2_000

# The closed taxonomy of incident kinds. Generic kinds (attack, explosion, strike, accident,
# disaster) name a family; the checks treat a generic and a specific kind of one family as
# possibly one event, two specific kinds never.
KINDS = (
    "bombing",
    "airstrike",
    "strike",
    "shelling",
    "shooting",
    "stabbing",
    "attack",
    "explosion",
    "quake",
    "tsunami",
    "flood",
    "storm",
    "landslide",
    "avalanche",
    "fire",
    "eruption",
    "shipwreck",
    "crash",
    "collapse",
    "stampede",
    "accident",
    "disaster",
)


def _words(table: dict[str, str]) -> dict[str, str]:
    """A lexicon written as {kind: "word word ..."} turned into {word: kind}."""
    return {word: kind for kind, words in table.items() for word in words.split()}


# Nouns that name an incident on their own.
HEAD_NOUNS: dict[str, str] = _words(
    {
        "bombing": "bombing bombings bomb bombs bomber bombers car-bomb",
        "airstrike": "airstrike airstrikes air-strike air-strikes airraid",
        "strike": "strike strikes",
        "shelling": "shelling shellings bombardment bombardments barrage",
        "shooting": "shooting shootings shootout gunfire gunbattle",
        "stabbing": "stabbing stabbings",
        "attack": "attack attacks assault ambush raid raids onslaught massacre",
        "explosion": "explosion explosions blast blasts",
        "quake": "quake quakes earthquake earthquakes tremor aftershock",
        "tsunami": "tsunami",
        "flood": "flood floods flooding floodwaters deluge",
        "storm": "storm storms cyclone typhoon hurricane tornado tornadoes",
        "landslide": "landslide landslides mudslide mudslides landslip",
        "avalanche": "avalanche avalanches",
        "fire": "fire fires blaze blazes wildfire wildfires bushfire inferno",
        "eruption": "eruption",
        "shipwreck": "shipwreck sinking capsizing",
        "crash": "crash crashes collision derailment pileup",
        "collapse": "collapse cave-in",
        "stampede": "stampede crush",
        "accident": "accident",
        "disaster": "disaster",
    }
)

# Verbs that tell of a happening: "a ferry capsized", "a building collapsed".
HEAD_VERBS: dict[str, str] = _words(
    {
        "bombing": "bombed",
        "shelling": "shelled",
        "attack": "attacked stormed ambushed raided",
        "shipwreck": "capsized sank",
        "collapse": "collapsed",
        "crash": "crashed derailed",
        "stabbing": "stabbed",
    }
)

# Two words that name a kind together, whatever the second would name alone.
HEAD_PAIRS: dict[tuple[str, str], str] = {
    ("opened", "fire"): "shooting",
    ("open", "fire"): "shooting",
    ("opening", "fire"): "shooting",
    ("air", "strike"): "airstrike",
    ("air", "strikes"): "airstrike",
    ("air", "raid"): "airstrike",
    ("air", "raids"): "airstrike",
    ("flash", "floods"): "flood",
    ("flash", "flood"): "flood",
}

# A modifier right before a head that makes its kind more precise, by the kind the head
# names: "a suicide attack" is a bombing, "a gun attack" a shooting, "a drone strike" an air
# strike, "barrel bombs" are dropped from the air, "rocket fire" is a strike.
KIND_MODIFIERS: dict[tuple[str, str], str] = {}
for _modifier, _head_kinds, _kind in (
    ("suicide", "attack explosion", "bombing"),
    ("grenade", "attack explosion", "bombing"),
    ("bomb", "attack explosion", "bombing"),
    ("car", "explosion", "bombing"),
    ("gun", "attack fire", "shooting"),
    ("knife", "attack", "stabbing"),
    ("drone", "strike attack", "airstrike"),
    ("air", "attack", "airstrike"),
    ("helicopter", "attack strike", "airstrike"),
    ("barrel", "bombing", "airstrike"),
    ("missile", "attack", "strike"),
    ("rocket", "attack fire", "strike"),
    ("mortar", "attack strike fire", "shelling"),
    ("artillery", "attack strike fire", "shelling"),
    ("tank", "fire", "shelling"),
    ("sniper", "fire attack", "shooting"),
    ("arson", "attack", "fire"),
):
    for _head_kind in _head_kinds.split():
        KIND_MODIFIERS[(_modifier, _head_kind)] = _kind

# Kinds named by a generic word; a more specific word in the same phrase wins.
GENERIC_KINDS = frozenset({"attack", "explosion", "strike", "accident", "disaster"})

# Words that make a head word mean something else: "a general strike", "a heart attack".
_NOT_AN_INCIDENT_BEFORE: dict[str, frozenset[str]] = {
    "strike": frozenset({"general", "hunger", "labour", "labor", "national", "workers", "rail"}),
    "strikes": frozenset({"general", "hunger", "labour", "labor", "rail"}),
    "attack": frozenset({"heart", "panic", "cyber", "asthma", "verbal"}),
    "attacks": frozenset({"heart", "panic", "cyber", "verbal"}),
    "crash": frozenset({"market", "stock", "financial", "currency", "price", "system"}),
    "collapse": frozenset({"economic", "financial", "political", "government", "currency"}),
    "fire": frozenset({"under", "cease", "returned", "return", "exchanged", "cross", "hold"}),
    "storm": frozenset({"political", "media", "diplomatic", "twitter", "perfect"}),
}
_NOT_AN_INCIDENT_AFTER: dict[str, frozenset[str]] = {
    "flood": frozenset({"of"}),
    "storm": frozenset({"of"}),
    "landslide": frozenset({"victory", "win", "election", "vote", "defeat"}),
    "collapse": frozenset({"of"}),  # "the collapse of talks": read on only with a venue after
    "strike": frozenset({"action", "deal", "a"}),
    "crush": frozenset({"on"}),
}

# Normalised venues and targets, with the words that name them.
VENUES: dict[str, str] = _words(
    {
        "market": "market markets marketplace bazaar souk",
        "mosque": "mosque mosques",
        "church": "church churches cathedral chapel",
        "temple": "temple temples",
        "synagogue": "synagogue",
        "shrine": "shrine",
        "school": "school schools schoolhouse madrasa madrassa kindergarten",
        "university": "university college campus",
        "hospital": "hospital hospitals clinic",
        "wedding": "wedding weddings",
        "funeral": "funeral funerals mourners",
        "convoy": "convoy",
        "bus": "bus buses minibus coach",
        "train": "train trains",
        "ferry": "ferry ferries",
        "boat": "boat boats vessel dinghy canoe",
        "ship": "ship ships",
        "plane": "plane airliner aircraft jet helicopter",
        "car": "car cars",
        "truck": "truck lorry tanker",
        "checkpoint": "checkpoint",
        "camp": "camp encampment",
        "prison": "prison jail",
        "hotel": "hotel",
        "restaurant": "restaurant cafe café nightclub bar",
        "mall": "mall",
        "stadium": "stadium",
        "concert": "concert festival funfair fair",
        "rally": "rally protest demonstration gathering pilgrimage",
        "base": "base barracks",
        "mine": "mine colliery",
        "factory": "factory plant warehouse",
        "depot": "depot",
        "port": "port harbour harbor",
        "airport": "airport airfield",
        "bridge": "bridge",
        "dam": "dam",
        "building": "building buildings tower",
        "home": "home house apartment",
        "bakery": "bakery",
        "shop": "shop store supermarket hypermarket",
        "shelter": "shelter",
        "station": "station",
    }
)
VENUE_PAIRS: dict[tuple[str, str], str] = {
    ("wedding", "party"): "wedding",
    ("police", "station"): "police_station",
    ("police", "headquarters"): "police_station",
    ("apartment", "block"): "building",
    ("residential", "block"): "building",
    ("shopping", "centre"): "mall",
    ("shopping", "center"): "mall",
    ("shopping", "mall"): "mall",
    ("aid", "distribution"): "aid_site",
    ("detention", "centre"): "prison",
    ("detention", "center"): "prison",
    ("food", "distribution"): "aid_site",
    ("bread", "line"): "bakery",
    ("bread", "queue"): "bakery",
    ("military", "base"): "base",
    ("army", "base"): "base",
    ("refugee", "camp"): "camp",
    ("displacement", "camp"): "camp",
    ("power", "plant"): "factory",
    ("gas", "station"): "fuel_station",
    ("petrol", "station"): "fuel_station",
    ("filling", "station"): "fuel_station",
    ("bus", "station"): "bus",
    ("train", "station"): "train",
    ("railway", "station"): "train",
}

# Words that may stand between the determiner and the head: how big, how deadly, with what.
_MODIFIERS = frozenset(
    word_list(
        "deadly deadliest fatal twin double triple massive huge powerful strong major "
        "devastating catastrophic latest recent overnight suspected apparent coordinated "
        "suicide car truck roadside gun knife drone missile rocket mortar artillery tank "
        "sniper grenade barrel arson air helicopter bomb mass magnitude magnitude- "
        "chemical terror terrorist militant jihadist deadly- killer flash monsoon forest "
        "house gas fuel boat ferry migrant mine mining building bridge road traffic "
        "train bus plane air- multiple separate second first third fresh new israeli "
        "russian ukrainian american us u.s"
    )
)
_DETERMINERS = frozenset(word_list("the a an this that last yesterday's today's its their"))
# Words between a head and what it hit: "the blast at the mosque", "the strike on Kupiansk".
_ATTACH = frozenset(
    word_list(
        "on at in near against targeting targeted outside inside off of hit hitting struck "
        "through into onto along among"
    )
)
# Verbs that carry a head to its target: "a car bomb exploded near a market".
_CARRIERS = frozenset(
    word_list(
        "exploded detonated went ripped tore blew himself herself themselves up struck hit "
        "erupted broke swept engulfed"
    )
)
# Words a carrier takes after it: "went off", "broke out", "blew up".
_CARRIER_PARTICLES = frozenset({"off", "out", "up"})
_SUBJECT_STOPS = frozenset({",", ";", ":", "(", ")", "—", "–"})
_PARTS_OF_DAY = frozenset({"night", "morning", "evening", "afternoon"})
_NIGHT = frozenset({"night's", "night’s", "morning's", "morning’s", "evening's", "evening’s"})

_EMPTY = ParseContext()
_CALENDAR_WORDS = frozenset(WEEKDAYS) | frozenset(m for m in MONTHS if len(m) > 3)


@dataclass(frozen=True)
class IncidentMention:
    """The words that name one incident in a sentence.

    `kind` is one of KINDS; `noun` the head as written ("bombing", "air strike", "capsized");
    `venue` the target or venue, normalised (one of the values of VENUES / VENUE_PAIRS) or
    None; `place_text` the place words as written ("" when the sentence names none);
    `day` the day the incident happened when the words give one ("Saturday's quake", "the
    attack on March 3"); `start`/`end` the character span of the phrase in the text, `words`
    its text; `name` a storm's name ("Haiyan"); `place` the gazetteer reading of the place.
    """

    kind: str
    noun: str
    venue: str | None
    place_text: str
    day: date | None
    start: int
    end: int
    words: str = ""
    name: str = ""
    place: PlaceMatch | None = None


def _mention_words() -> frozenset[str]:
    # Every pair ends in a word that is a head of its own ("fire", "raid"), and every
    # hyphenated head holds one ("car-bomb", "air-strike"), but for "cave-in".
    heads = set(HEAD_NOUNS) | set(HEAD_VERBS) | {second for _, second in HEAD_PAIRS}
    return frozenset(head for head in heads if "-" not in head) | {"cave"}


_MENTION_WORDS = _mention_words()
_LETTERS = re.compile(r"[a-z]+")


def may_name_incident(text: str) -> bool:
    """Whether text holds any word an incident can be named by: the cheap test that turns away
    most sentences before they are tokenised."""
    # One C-level scan for runs of letters and one set test: a few microseconds a sentence.
    return not _MENTION_WORDS.isdisjoint(_LETTERS.findall(text.lower()))


def find_incident(
    text: str,
    reported_on: date | None = None,
    *,
    place_hint: PlaceMatch | str | None = None,
    context: ParseContext | None = None,
    at: int | None = None,
) -> IncidentMention | None:
    """The incident the sentence names, or None when it names none.

    `reported_on` is the date day words are read against ("Saturday's", "yesterday's");
    without it no day is read. `place_hint` is the claim's place as already read (a
    PlaceMatch or the place's name): the incident's place when the incident words and the
    sentence name none. `context` is the parser's (known places, the story's main place).
    With several incidents in one sentence, the first is taken, or with `at` (a character
    offset, say of the figure) the one nearest to it. Never raises on odd input.
    """
    mentions = find_incidents(text, reported_on, place_hint=place_hint, context=context)
    if not mentions:
        return None
    if at is None:
        return mentions[0]
    return min(mentions, key=lambda m: (_distance(m, at), m.start))


def find_incidents(
    text: str,
    reported_on: date | None = None,
    *,
    place_hint: PlaceMatch | str | None = None,
    context: ParseContext | None = None,
) -> list[IncidentMention]:
    """Every incident the sentence names, in order (see find_incident)."""
    if not isinstance(text, str) or not text or not may_name_incident(text[:MAX_CHARS]):
        return []
    if not isinstance(reported_on, date):
        reported_on = None
    head = text[:MAX_CHARS]
    try:
        return _read(head, tokenize(head), reported_on, place_hint, context or _EMPTY)
    except (ValueError, OverflowError, IndexError, KeyError, RecursionError):
        # The grammar is total over tokens; this guards calendar edges and the unforeseen.
        return []


def _distance(mention: IncidentMention, at: int) -> int:
    if mention.start <= at < mention.end:
        return 0
    return min(abs(mention.start - at), abs(mention.end - at))


@dataclass
class _Phrase:
    first: int  # token span of the whole phrase
    end: int
    head_first: int
    head_end: int
    kind: str
    verb: bool
    venue: str | None = None
    day: date | None = None
    name: str = ""
    indefinite: bool = False  # "a bomb", "an earthquake", or a verb: the incident brought in


def _read(
    text: str,
    tokens: list[Token],
    reported_on: date | None,
    place_hint: PlaceMatch | str | None,
    context: ParseContext,
) -> list[IncidentMention]:
    phrases = _phrases(tokens, reported_on)
    if not phrases:
        return []
    # Day words are never places ("on Monday"): masked as the parser masks time frames.
    frames = find_time_frames(tokens, text, reported_on) if reported_on is not None else []
    masked = {k for first, end, _ in frames for k in range(first, end)}
    masked.update(k for k, tok in enumerate(tokens) if tok.base in _CALENDAR_WORDS)
    hits = find_places(tokens, text, context, masked)
    mentions: list[IncidentMention] = []
    for number, phrase in enumerate(phrases):
        if phrase.day is None and frames and phrase.indefinite:
            # "a bomb exploded ... on Saturday": the sentence's day is the incident's; "the
            # toll from the quake rose on Monday" gives a later day, so a definite phrase
            # takes none.
            lo = phrases[number - 1].end if number else 0
            hi = phrases[number + 1].first if number + 1 < len(phrases) else len(tokens)
            phrase.day = _sentence_day(tokens, frames, phrase, lo, hi)
        place, place_text = _place(tokens, hits, phrase, place_hint, context)
        start, end = tokens[phrase.first].start, tokens[phrase.end - 1].end
        noun = text[tokens[phrase.head_first].start : tokens[phrase.head_end - 1].end]
        mentions.append(
            IncidentMention(
                kind=phrase.kind,
                noun=noun,
                venue=phrase.venue,
                place_text=place_text,
                day=phrase.day,
                start=start,
                end=end,
                words=text[start:end],
                name=phrase.name,
                place=place,
            )
        )
    return mentions


def _phrases(tokens: list[Token], reported_on: date | None) -> list[_Phrase]:
    """The incident phrases of a sentence, one per head (a run of heads is one phrase)."""
    phrases: list[_Phrase] = []
    n = len(tokens)
    i = 0
    while i < n:
        found = _head_at(tokens, i)
        if found is None:
            i += 1
            continue
        end, kind, verb = found
        # "a bomb blast", "the suicide bombing attack": a run of heads is one phrase, and
        # its most specific word gives the kind.
        while end < n and not verb:
            more = _head_at(tokens, end)
            if more is None:
                break
            end, kind = more[0], _more_specific(kind, more[1])
            # "suicide bombers attacked a mosque": the verb carries the noun to its target.
            verb = more[2]
        # "a boat capsized and sank": two verbs, one incident.
        while verb and end + 1 < n and tokens[end].low == "and":
            more = _head_at(tokens, end + 1)
            if more is None or not more[2]:
                break
            end = more[0]
        phrase = _Phrase(i, end, i, end, kind, verb)
        _left(tokens, phrase, reported_on)
        _right(tokens, phrase, reported_on)
        if phrase.kind == "collapse" and phrase.venue is None:
            # "the collapse of talks", "the collapse of the currency": no building, no incident.
            i = end
            continue
        if phrases and phrase.first < phrases[-1].end:
            phrase.first = phrases[-1].end
        phrases.append(phrase)
        i = max(end, phrase.end)
    return phrases


def _more_specific(a: str, b: str) -> str:
    if a in GENERIC_KINDS and b not in GENERIC_KINDS:
        return b
    return a


def _head_at(tokens: list[Token], i: int) -> tuple[int, str, bool] | None:
    """(end, kind, is_verb) of the head at tokens[i], or None."""
    tok = tokens[i]
    if tok.kind != WORD:
        return None
    low = tok.base
    n = len(tokens)
    nxt = tokens[i + 1].low if i + 1 < n else ""
    pair = HEAD_PAIRS.get((low, nxt))
    if pair is not None:
        return i + 2, pair, low in {"opened", "open", "opening"}
    # "air-strike", "car-bomb": hyphenated words come as three tokens.
    if nxt == "-" and i + 2 < n and not tokens[i + 1].gap and not tokens[i + 2].gap:
        joined = f"{low}-{tokens[i + 2].low}"
        if joined in HEAD_NOUNS:
            return i + 3, HEAD_NOUNS[joined], False
    kind = HEAD_NOUNS.get(low)
    verb = False
    if kind is None:
        kind = HEAD_VERBS.get(low)
        verb = kind is not None
    if kind is None:
        return None
    prev = tokens[i - 1].low if i > 0 else ""
    if not _names_an_incident(tokens, i, low, prev, nxt):
        return None
    kind = KIND_MODIFIERS.get((prev, kind), kind)
    return i + 1, kind, verb


def _names_an_incident(tokens: list[Token], i: int, low: str, prev: str, nxt: str) -> bool:
    """Whether a head word names an incident here: not "a heart attack", "a general strike",
    "a flood of refugees", "came under fire"."""
    if prev in _NOT_AN_INCIDENT_BEFORE.get(low, ()):
        return False
    # "the collapse of talks" is turned away later, when no building follows.
    if nxt in _NOT_AN_INCIDENT_AFTER.get(low, ()) and not (low == "collapse" and nxt == "of"):
        return False
    needs = _NEEDS_BEFORE.get(low)
    if needs is None:
        return True
    # "fire", "strike" and "crush" are incidents as nouns: after a determiner, a modifier,
    # a weapon or a name ("the fire", "a house fire", "Russia's strike"); "troops fire on",
    # "could strike again" and "a crush of reporters" are not.
    owner = i > 0 and tokens[i - 1].kind == WORD and tokens[i - 1].cap
    return prev in needs or prev in KIND_MODIFIER_WORDS or owner


KIND_MODIFIER_WORDS = frozenset(modifier for modifier, _ in KIND_MODIFIERS)
_NOUN_OPENERS = frozenset(
    word_list("the a an deadly deadliest massive huge major big latest overnight another its")
) | frozenset(w + end for w in WEEKDAYS for end in ("'s", "’s"))
_FIRE_BEFORE = _NOUN_OPENERS | frozenset(
    word_list(
        "house forest factory hotel building market hospital school camp apartment bus train "
        "ship ferry boat warehouse wedding"
    )
)
_STRIKE_BEFORE = _NOUN_OPENERS | frozenset(
    word_list(
        "israeli russian ukrainian american us u.s saudi coalition second first their his this "
        "that airborne precision targeted reported suspected"
    )
)
_NEEDS_BEFORE: dict[str, frozenset[str]] = {
    "fire": _FIRE_BEFORE,
    "fires": _FIRE_BEFORE,
    "strike": _STRIKE_BEFORE,
    "strikes": _STRIKE_BEFORE,
    "crush": frozenset(word_list("the a crowd deadly")),
}


def _left(tokens: list[Token], phrase: _Phrase, reported_on: date | None) -> None:
    """Extend the phrase over its modifiers on the left: venue words, a day, a weapon, names."""
    k = phrase.first - 1
    if phrase.verb:
        _subject(tokens, phrase)
        return
    while k >= 0 and phrase.first - k <= 6:
        tok = tokens[k]
        low = tok.low
        if tok.kind == PUNCT:
            if tok.text in "-." and not tok.gap and k > 0:
                k -= 1  # "7.8-magnitude", "U.S."
                continue
            break
        if low in _DETERMINERS:
            phrase.first = k
            phrase.indefinite = low in {"a", "an"}
            if low in {"yesterday's", "today's"} and reported_on is not None:
                back = 1 if low == "yesterday's" else 0
                phrase.day = phrase.day or reported_on - timedelta(days=back)
            break
        if is_possessive(low):
            if low in _NIGHT or base_word(low) in WEEKDAYS:
                # "Saturday's quake", "last night's attack", "Sunday night's blast".
                phrase.day = phrase.day or _possessive_day(tokens, k, reported_on)
                phrase.first = _day_start(tokens, k)
            elif tok.cap:
                phrase.first = k  # "Kabul's", "Russia's": a place or an actor owns it
            break
        if tok.kind == NUM or (tok.cap and low in MONTHS):
            dated = _left_date(tokens, k, reported_on)
            if dated is not None:  # "the March 3 bombing", "the 7 October attack"
                phrase.day = phrase.day or dated[0]
                phrase.first = dated[1]
                k = dated[1] - 1
                continue
        if tok.kind == NUM:
            phrase.first = k  # "the 7.8 magnitude quake"
            k -= 1
            continue
        venue = _venue_at(tokens, k, reverse=True)
        if venue is not None and not (phrase.kind in _VEHICLE_WEAPON_KINDS and low in _WEAPONS):
            name, first = venue
            phrase.venue = phrase.venue or name
            phrase.first = first
            k = first - 1
            continue
        if low in WEEKDAYS:  # "the Sunday bombing"
            phrase.day = phrase.day or _possessive_day(tokens, k, reported_on)
            phrase.first = k
            k -= 1
            continue
        if low in _MODIFIERS or (tok.kind == WORD and tok.cap) or low in _PARTS_OF_DAY:
            phrase.first = k
            k -= 1
            continue
        break


def _subject(tokens: list[Token], phrase: _Phrase) -> None:
    """A verb head's subject: "a ferry capsized", "a building collapsed", "gunmen stormed"."""
    k = phrase.first - 1
    while k >= 0 and phrase.first - k <= 8:
        tok = tokens[k]
        if tok.text in _SUBJECT_STOPS:
            break
        if tok.low in _CARRYING or tok.kind == NUM or is_people_word(tok):
            # "a boat carrying 50 migrants capsized": who was aboard, then what sank.
            k -= 1
            continue
        venue = _venue_at(tokens, k, reverse=True)
        if venue is not None:
            phrase.venue = phrase.venue or venue[0]
            phrase.first = venue[1]
            k = venue[1] - 1
            if k >= 0 and tokens[k].low in {"a", "an", "the"}:
                phrase.first = k
                phrase.indefinite = tokens[k].low != "the"
            break
        if tok.low in _SUBJECT_LINKS:
            k -= 1
            continue
        if tok.low in _MODIFIERS or tok.cap or tok.low in {"overcrowded", "crowded", "old"}:
            k -= 1
            continue
        break
    # A verb tells of the incident as news ("a ferry capsized"): the sentence's day is its.
    phrase.indefinite = True


def _right(tokens: list[Token], phrase: _Phrase, reported_on: date | None) -> None:
    """Extend the phrase over what follows the head: a storm's name, a carrier verb ("a bomb
    exploded"), and up to three attachments ("on Kupiansk", "at a market", "on Saturday")."""
    n = len(tokens)
    j = phrase.head_end
    if phrase.kind == "storm" and tokens[phrase.head_first].cap:
        m = j
        while m < n and tokens[m].kind == WORD and tokens[m].cap and m - j < 2:
            m += 1
        if m > j:
            phrase.name = " ".join(tokens[x].text for x in range(j, m))
            j = m
    carried = 0
    while j < n and tokens[j].low in _CARRIERS and carried < 4:
        if tokens[j].low in {"struck", "hit"} and not phrase.verb:
            break  # read as an attachment below
        j += 1
        carried += 1
        if j < n and tokens[j].low in _CARRIER_PARTICLES and tokens[j - 1].low in _TAKES_PARTICLE:
            j += 1
    if phrase.verb and j < n and tokens[j].kind == WORD and tokens[j].low not in _ATTACH:
        # "gunmen attacked a wedding party": the object follows the verb.
        got = _object(tokens, j, reported_on)
        if got is not None and (got[1] is not None or got[2] is not None):
            _take(phrase, got)
            j = got[0]
    attachments = 0
    while j < n and attachments < 3:
        low = tokens[j].low
        if low == "," and j + 1 < n and tokens[j + 1].low in {"on", "in"} and attachments:
            j += 1
            continue
        if low not in _ATTACH:
            break
        if low == "of" and phrase.kind not in _OF_KINDS:
            break
        got = _object(tokens, j + 1, reported_on)
        if got is None:
            people = _people(tokens, j + 1)
            if not people:
                break
            # "opened fire on worshippers at a church": who was hit, then where.
            j = people
            attachments += 1
            continue
        _take(phrase, got)
        j = got[0]
        attachments += 1
    phrase.end = max(phrase.end, j)


# Words between a subject and its verb: "a boat that capsized", "a building which had partly
# collapsed".
_SUBJECT_LINKS = frozenset(
    word_list("that which who has had have was were partially partly suddenly reportedly")
)
_CARRYING = frozenset(word_list("carrying packed crammed loaded filled with full of about some"))
_TAKES_PARTICLE = frozenset({"went", "broke", "blew", "himself", "herself", "themselves"})
_OF_KINDS = frozenset({"shipwreck", "collapse", "shelling", "bombing", "airstrike", "crash"})


def _people(tokens: list[Token], i: int) -> int:
    """The end of a plain noun phrase of people at tokens[i] ("worshippers", "a crowd of
    mourners"), or 0."""
    n = len(tokens)
    j = i
    while j < n and tokens[j].low in {"the", "a", "an", "crowds", "crowd", "group", "of"}:
        j += 1
    if j < n and tokens[j].kind == WORD and is_people_word(tokens[j]):
        return j + 1
    return 0


def _take(phrase: _Phrase, got: tuple[int, str | None, date | None, bool]) -> None:
    end, venue, day, _ = got
    if venue is not None and phrase.venue is None:
        phrase.venue = venue
    if day is not None and phrase.day is None:
        phrase.day = day
    phrase.end = max(phrase.end, end)


def _object(
    tokens: list[Token], i: int, reported_on: date | None
) -> tuple[int, str | None, date | None, bool] | None:
    """What an attachment names, from tokens[i]: (end, venue, day, named a place).

    A day ("Saturday", "March 3"), a place name (a capitalised run) or a noun phrase with a
    venue ("a crowded market", "the Grand Mosque"). None when it names none of these: "the
    attack on civilians" ends before "on".
    """
    n = len(tokens)
    if i >= n:
        return None
    if reported_on is not None:
        dated = _date_at(tokens, i, reported_on)
        if dated is not None:
            return dated[1], None, dated[0], False
    j = i
    if j < n and tokens[j].low in {"the", "a", "an", "two", "its", "their", "his", "her"}:
        j += 1
    place_run = 0
    place_end = j
    other = 0
    first_word = j
    while j < n and j - first_word < 6:
        tok = tokens[j]
        venue = _venue_at(tokens, j)
        if venue is not None:
            name, end = venue
            # "a wedding party", "the Grand Mosque": the venue noun ends the object.
            return end, name, None, place_run > 0
        if tok.kind == WORD and tok.cap:
            place_run += 1
            j += 1
            if not other:  # "off Italy since October" is not a place of two words
                place_end = j
            continue
        if tok.text == "-" and not tok.gap:
            j += 1
            continue
        if place_run and not other and tok.low in _NAME_PARTICLES and j + 1 < n:
            j += 1  # "Deir al-Balah", "Rio Grande do Sul"
            continue
        if tok.low in _MODIFIERS or tok.low in _VENUE_ADJECTIVES:
            j += 1
            continue
        if tok.kind == WORD and other < 2 and tok.low not in _ATTACH and tok.low not in _STOPS:
            # "a crowded clothing market", "a state-run coal mine": words the lists do not
            # hold, taken only when a venue follows them.
            # A hyphenated word ("state-run") is one word.
            other += 0 if tokens[j - 1].text == "-" and not tok.gap else 1
            j += 1
            continue
        break
    if place_run and place_end > first_word:
        return place_end, None, None, True
    return None


# "a car bomb", "a truck bombing": the vehicle is the weapon, not the target.
_VEHICLE_WEAPON_KINDS = frozenset({"bombing", "explosion", "attack"})
_WEAPONS = frozenset({"car", "truck", "lorry", "tanker", "cars"})

_NAME_PARTICLES = frozenset(word_list("al el ad as ash ar de do da dos das del di la le bin ibn"))
# Words an object's noun phrase never runs across.
_STOPS = frozenset(
    word_list(
        "and or but that which who where when while as after before killing killed leaving "
        "wounding injuring was were is are has had have been by with for from to since"
    )
)
_VENUE_ADJECTIVES = frozenset(
    word_list(
        "crowded busy packed popular main central local nearby residential government "
        "military police overcrowded small large five-storey multi-storey six-storey "
        "makeshift shia sunni christian sufi children's women's maternity northern southern "
        "eastern western north south east west northeastern northwestern southeastern "
        "southwestern remote rural coastal"
    )
)


def _venue_at(tokens: list[Token], i: int, *, reverse: bool = False) -> tuple[str, int] | None:
    """The venue named at tokens[i]: (venue, end) reading forwards, (venue, first) backwards."""
    low = tokens[i].base
    n = len(tokens)
    if reverse:
        if i > 0:
            pair = VENUE_PAIRS.get((tokens[i - 1].low, low))
            if pair is not None:
                return pair, i - 1
        venue = VENUES.get(low)
        return (venue, i) if venue is not None else None
    if i + 1 < n:
        pair = VENUE_PAIRS.get((low, tokens[i + 1].low))
        if pair is not None:
            return pair, i + 2
    venue = VENUES.get(low)
    if venue is None:
        return None
    end = i + 1
    if end < n and tokens[end].low in {"party", "hall", "procession", "complex", "compound"}:
        end += 1
    return venue, end


def _possessive_day(tokens: list[Token], k: int, reported_on: date | None) -> date | None:
    """The day a possessive before a head gives: "Saturday's" (the latest Saturday on or
    before the report), "Sunday night's", "last night's" (the day before the report)."""
    if reported_on is None:
        return None
    low = tokens[k].low
    if low in _NIGHT and k > 0:
        k -= 1
        low = tokens[k].low
        if low == "last":
            return reported_on - timedelta(days=1)
    weekday = base_word(low)
    if weekday in WEEKDAYS:
        return weekday_on_or_before(reported_on, WEEKDAYS[weekday])
    return None


def _left_date(tokens: list[Token], k: int, reported_on: date | None) -> tuple[date, int] | None:
    """A date that ends at tokens[k] before a head: (day, its first token)."""
    if reported_on is None:
        return None
    for first in (k - 1, k - 2, k):
        if first < 0:
            continue
        dated = date_at(tokens, first, reported_on, bare=False)
        if dated is not None and dated[2] == "day" and dated[3] == k + 1:
            return dated[0], first
    return None


def _day_start(tokens: list[Token], k: int) -> int:
    if tokens[k].low in _NIGHT and k > 0:
        k -= 1
    if k > 0 and tokens[k - 1].low == "last":
        k -= 1
    return k


def _date_at(tokens: list[Token], i: int, reported_on: date) -> tuple[date, int] | None:
    """A day at tokens[i]: "Saturday", "Saturday night", "March 3", "3 March 2024"."""
    if tokens[i].low in {"late", "early"} and i + 1 < len(tokens):
        i += 1  # "late Friday", "early on Sunday"
        if tokens[i].low == "on" and i + 1 < len(tokens):
            i += 1
    tok = tokens[i]
    if tok.kind == WORD and tok.low in {"yesterday", "today"}:
        back = 1 if tok.low == "yesterday" else 0
        return reported_on - timedelta(days=back), i + 1
    if tok.kind != NUM and tok.low not in WEEKDAYS and not tok.cap:
        return None
    dated = date_at(tokens, i, reported_on, bare=False)
    if dated is None or dated[2] != "day":
        return None
    end = dated[3]
    if end < len(tokens) and tokens[end].low in {"night", "morning", "evening", "afternoon"}:
        end += 1
    return dated[0], end


def _sentence_day(
    tokens: list[Token],
    frames: list[tuple[int, int, TimeFrame]],
    phrase: _Phrase,
    lo: int,
    hi: int,
) -> date | None:
    """The one-day frame of the phrase's own clause that is not the day something was said:
    the nearest after the phrase, else the nearest before it, between tokens lo and hi (the
    phrases before and after it, which have days of their own)."""
    after = [f for f in frames if phrase.end <= f[0] < hi]
    before = [f for f in frames if lo <= f[0] < phrase.first][::-1]
    for first, _, frame in after + before:
        if frame.kind != "day":
            continue
        if _clause_break(tokens, min(first, phrase.end), max(first, phrase.first)):
            continue
        if any(tokens[k].low in SAY_VERBS for k in range(max(0, first - 2), first)):
            continue  # "police said on Monday"
        return frame.start
    return None


def _clause_break(tokens: list[Token], lo: int, hi: int) -> bool:
    return any(tokens[k].text in {";", ":"} or tokens[k].low in SAY_VERBS for k in range(lo, hi))


def _place(
    tokens: list[Token],
    hits: list[PlaceHit],
    phrase: _Phrase,
    place_hint: PlaceMatch | str | None,
    context: ParseContext,
) -> tuple[PlaceMatch | None, str]:
    """The incident's place: one its words name ("the Kabul bombing", "the strike on Kupiansk",
    "a fire at a hospital in Baghdad"), else the hint, else the place the sentence gives."""
    own = [
        h
        for h in hits
        if phrase.first <= h.first < phrase.end
        and h.match.country
        # "the eastern Libyan city of Derna": an adjective of nationality says in which
        # country, and the sentence usually says where in it.
        and not h.demonym
        and not (h.first < phrase.head_first and _actor(h, phrase))
    ]
    if own:
        # The most specific of them: "a market in Kabul, Afghanistan" is Kabul.
        best = min(own, key=lambda h: (_RANK.get(h.match.kind, 9), h.first))
        return best.match, best.match.words or best.match.display_name
    if isinstance(place_hint, PlaceMatch):
        return place_hint, place_hint.words or place_hint.display_name
    if isinstance(place_hint, str) and place_hint:
        return None, place_hint
    others = [h for h in hits if not (phrase.first <= h.first < phrase.end and _actor(h, phrase))]
    chosen = choose_place(tokens, others, phrase.head_first, None, context)
    if chosen is None or not chosen.words:
        return None, ""
    return chosen, chosen.words


def _actor(hit: PlaceHit, phrase: _Phrase) -> bool:
    """ "a Russian strike", "Israel's bombardment", "U.S. airstrikes": before the head of an
    armed attack a country (or its adjective) is who attacked, not where."""
    return phrase.kind in _ARMED_KINDS and (hit.demonym or hit.match.kind == "country")


_ARMED_KINDS = frozenset({"bombing", "airstrike", "strike", "shelling", "shooting", "attack"})
_RANK = {"district": 0, "city": 1, "region": 2, "country": 3}
