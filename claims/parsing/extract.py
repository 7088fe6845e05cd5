"""One sentence to a ParsedClaim, and a story to its candidate claims.

The sentence is tokenised once; time expressions are read first so that their numbers
("the past 24 hours", "Feb. 12", "2011") are never taken for counts, then the numbers, the
nouns after them, the events around them, the place, the period and the source.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from claims.parsing.attribution import SAY_VERBS, Attribution, find_attribution, resolve_source
from claims.parsing.events import (
    AGE_WORDS,
    EVENT_WORDS,
    NOT_COUNTED,
    POPULATION,
    UNITS,
    event_at,
    is_people_word,
    population_of,
)
from claims.parsing.numbers import QuantityHit, find_quantities
from claims.parsing.periods import find_time_frames
from claims.parsing.places import PlaceHit, find_places, infer_main_place
from claims.parsing.tokens import NUM, WORD, Token, base_word, tokenize, word_list
from claims.parsing.types import (
    Candidate,
    ParseContext,
    ParsedClaim,
    PlaceMatch,
    Quantity,
    SourceMatch,
    TimeFrame,
)

_EMPTY_CONTEXT = ParseContext()
# A claim is a sentence or two; past this length the rest is not read, which bounds the cost
# of pasted junk (a whole page in one line) without changing any real sentence.
MAX_CLAIM_CHARS = 5_000

# Words before a number that make it a label, not a count: "Resolution 2139", "Route 5".
_LABEL_WORDS = frozenset(
    word_list(
        "resolution resolutions route highway road motorway article articles flight room gate "
        "building block sector zone chapter section paragraph number no phase round category "
        "level grade unit platoon brigade division battalion regiment page line lane street "
        "avenue apartment floor storey bus train terminal pier item point stage ward bed exit "
        "figure table geneva minsk magnitude size kilometre kilometer km mile mark camp post "
        "checkpoint district year decree law act code channel squad"
    )
)
# Words that end the noun phrase after a number.
_PHRASE_STOPS = frozenset(
    word_list(
        "were was have had has are is be been being will would could may might in at on to "
        "from and or but including of across since with by after during as mostly mainly "
        "among who that which while when where according said says including, amid over "
        "under into inside near outside around throughout this last so more than a an the "
        "their its his her our in"
    )
)
_STREET_WORDS = frozenset(
    word_list("street st road rd avenue ave lane boulevard blvd square drive way place")
)
_REPORT_CUES = frozenset(
    word_list(
        "reports reportedly allegedly alleged according statement announced claimed "
        "confirmed denied warned said says told reported"
    )
)
_AFTER_EVENT_GAP = 8
_CLAUSE_BREAKS = frozenset({",", ";", "as", "while", "when", "after", "before", "but", "and"})
_TOLL_VERBS = frozenset(
    word_list("rose risen climbed jumped reached stood stands increased hit passed topped")
)
_ATTRIBUTIVE_NOUNS = frozenset(
    word_list(
        "dam airport hospital market theater theatre school camp mosque church station port "
        "bridge plant prison stadium university offensive front border crossing talks agreement "
        "accord conference earthquake quake floods flood attack bombing massacre siege ceasefire "
        "truce highway road embassy office government authorities officials police army"
    )
)
_BEFORE_EVENT_GAP = 12


@dataclass(frozen=True)
class _Count:
    hit: QuantityHit
    unit: str
    population: str
    noun: int | None  # token index of the head noun, if any
    strength: int


@dataclass(frozen=True)
class _Analysis:
    claim: ParsedClaim
    has_number: bool
    attributed: bool


def _noun_after(tokens: list[Token], hit: QuantityHit) -> tuple[str, int | None]:
    """What the number counts: ("people"|"unit:<u>"|"not"|"bare"|"unknown", head index)."""
    n = len(tokens)
    k = hit.end
    if hit.vague and k < n and tokens[k].low == "of":
        k += 1
    elif k + 1 < n and tokens[k].low == "of" and tokens[k + 1].low in ("them", "those"):
        return "bare", None
    unknown: int | None = None
    steps = 0
    while k < n and steps < 5:
        tok = tokens[k]
        steps += 1
        if tok.kind != WORD:
            if tok.text in "-–" and not tok.gap:
                k += 1
                continue
            if tok.text == "." and not tok.gap and len(tokens[k - 1].text) == 1:
                k += 1  # "13 U.S. troops"
                steps -= 1
                continue
            if tok.text == "%":
                return "not", k
            break
        low = base_word(tok.low)
        if (low in POPULATION or is_people_word(tok) or low in UNITS) and not _modifies_next(
            tokens, k
        ):
            if low in UNITS:
                return "unit:" + UNITS[low], k
            return "people", k
        if low in NOT_COUNTED or low == "old":
            return "not", k
        if low in EVENT_WORDS or low in _PHRASE_STOPS:
            break
        if tok.cap and unknown is None and steps == 1 and k + 1 < n and tokens[k + 1].cap:
            # "10 Downing Street": capitalised words after a number that end in a street.
            m = k
            while m < n and m - k < 4 and tokens[m].cap:
                if tokens[m].low.rstrip(".") in _STREET_WORDS:
                    return "not", m
                m += 1
        unknown = k
        k += 1
    if unknown is not None:
        return "unknown", unknown
    return "bare", None


def _modifies_next(tokens: list[Token], k: int) -> bool:
    """ "rebel-held districts", "rebel fighters": the noun is a modifier of the next one."""
    if k + 1 >= len(tokens):
        return False
    nxt = tokens[k + 1]
    if nxt.text in "-–" and not nxt.gap:
        return True
    if nxt.kind != WORD:
        return False
    low = base_word(nxt.low)
    return low in POPULATION or low in UNITS or low in NOT_COUNTED


def _is_label_or_age(tokens: list[Token], hit: QuantityHit) -> bool:
    i = hit.num_start
    n = len(tokens)
    prev = tokens[i - 1].low.rstrip(".") if i > 0 else ""
    if hit.first == i and prev in _LABEL_WORDS:
        return True
    if prev in AGE_WORDS or (i > 1 and prev == "of" and tokens[i - 2].low in AGE_WORDS):
        return True
    if hit.qualifier in ("fewer_than", "more_than") and hit.first > 0:
        before = tokens[hit.first - 1]
        if before.kind == WORD and (base_word(before.low) in POPULATION):
            # "children under five", "people over 65": an age limit.
            return True
    end = hit.end
    if end < n and tokens[end].text == ":" and not tokens[end].gap:
        return True
    if (
        hit.first == i
        and i > 1
        and prev == ","
        and tokens[i - 2].cap
        and end < n
        and tokens[end].text == ","
        and tokens[i].kind == NUM
    ):
        return True  # "Pope Francis, 76, said": an age in apposition
    if end < n and (
        tokens[end].low in ("am", "pm", "o'clock", "gmt")
        or (tokens[end].low in ("a", "p") and end + 1 < n and tokens[end + 1].text == ".")
    ):
        return True
    # Years outside a time expression: "the 2011 uprising", "in the 1990s".
    # "2000 people", though, is a count.
    tok = tokens[i]
    return (
        hit.qualifier == "exact"
        and tok.kind == NUM
        and len(tok.text) == 4
        and tok.text.isdigit()
        and 1900 <= int(tok.text) <= 2100
        and hit.end == i + 1
        and _noun_after(tokens, hit)[0] not in ("people", "unit")
        and not _noun_after(tokens, hit)[0].startswith("unit:")
    )


def _event_near(tokens: list[Token], hit: QuantityHit, noun: int | None, masked: set[int]) -> bool:
    lo = max(0, hit.first - _BEFORE_EVENT_GAP)
    if any(tokens[k].low in _TOLL_VERBS for k in range(max(0, hit.first - 3), hit.first)):
        # "The death toll from Saturday's strike on ... rose to 45": the toll is the subject,
        # however far back it stands.
        lo = 0
    for k in range(hit.first - 1, lo - 1, -1):
        if tokens[k].kind == NUM and k not in masked:
            break
        if tokens[k].kind == WORD and event_at(tokens, k) is not None:
            return True
    start = (noun + 1) if noun is not None else hit.end
    for k in range(start, min(len(tokens), start + _AFTER_EVENT_GAP)):
        if tokens[k].kind == NUM and k not in masked:
            break
        if tokens[k].kind == WORD and event_at(tokens, k) is not None:
            return True
    return False


def _counts(tokens: list[Token], hits: list[QuantityHit], masked: set[int]) -> list[_Count]:
    counts: list[_Count] = []
    for hit in hits:
        if _is_label_or_age(tokens, hit):
            continue
        kind, noun = _noun_after(tokens, hit)
        if hit.decimal and not hit.currency and not kind.startswith("unit:"):
            continue
        near = _event_near(tokens, hit, noun, masked)
        # Copy leads with the main figure; "including six children" and "12 of them" are
        # parts of it.
        strength = 2 + near - 2 * _is_part(tokens, hit)
        if hit.currency:
            counts.append(_Count(hit, hit.currency, "all", noun, strength))
        elif kind == "people":
            pop = population_of(tokens[noun]) if noun is not None else "all"
            counts.append(_Count(hit, "people", pop, noun, strength))
        elif kind.startswith("unit:"):
            counts.append(_Count(hit, kind[5:], "all", noun, strength))
        elif kind == "bare" and near:
            counts.append(_Count(hit, "people", "all", None, strength))
        elif kind == "unknown" and near and noun is not None:
            counts.append(_Count(hit, "people", "all", noun, strength - 1))
    return counts


def _is_part(tokens: list[Token], hit: QuantityHit) -> bool:
    before = {tokens[k].low for k in range(max(0, hit.first - 3), hit.first)}
    if before & {"including", "among", "includes", "included"}:
        return True
    end = hit.end
    return (
        end + 1 < len(tokens)
        and tokens[end].low == "of"
        and tokens[end + 1].low
        in (
            "them",
            "whom",
            "those",
        )
    )


def _event_for(tokens: list[Token], count: _Count | None, masked: set[int]) -> str | None:
    """The event of the count: the reporting verb or noun nearest to it in its clause."""
    n = len(tokens)
    if count is None:
        for k in range(n):
            if tokens[k].kind == WORD:
                event = event_at(tokens, k)
                if event is not None:
                    return event
        return None
    hit = count.hit
    before: tuple[int, str] | None = None
    for k in range(hit.first - 1, max(-1, hit.first - 1 - _BEFORE_EVENT_GAP), -1):
        if tokens[k].kind == NUM and k not in masked:
            break
        if tokens[k].kind == WORD:
            event = event_at(tokens, k)
            if event is not None:
                before = (hit.first - k, event)
                break
    after: str | None = None
    start = (count.noun + 1) if count.noun is not None else hit.end
    if count.noun is not None:
        noun_event = EVENT_WORDS.get(base_word(tokens[count.noun].low))
        if noun_event is not None:
            after = noun_event
    for k in range(start, min(n, start + _AFTER_EVENT_GAP)):
        if after is not None:
            break
        if tokens[k].kind == NUM and k not in masked:
            break
        if tokens[k].kind == WORD:
            after = event_at(tokens, k)
    if before is not None and before[0] <= 4:
        return before[1]
    if after is not None:
        return after
    if before is not None:
        return before[1]
    if count.noun is not None:
        noun_event = EVENT_WORDS.get(base_word(tokens[count.noun].low))
        if noun_event is not None:
            return noun_event
    for k in range(n):
        if tokens[k].kind == WORD:
            event = event_at(tokens, k)
            if event is not None:
                return event
    return "other"


def _choose_frame(
    tokens: list[Token], frames: list[tuple[int, int, TimeFrame]], anchor: int | None
) -> TimeFrame | None:
    if not frames:
        return None

    def after_said(first: int) -> bool:
        k = first - 1
        while k >= 0 and tokens[k].low in ("on", "late", "early"):
            k -= 1
        return k >= 0 and tokens[k].low in SAY_VERBS

    # "activists said today": the time of the statement, not of what it reports.
    pool = [f for f in frames if not after_said(f[0])]
    if not pool:
        return None
    if anchor is None:
        return pool[0][2]
    return min(pool, key=lambda f: min(abs(f[0] - anchor), abs(f[1] - 1 - anchor)))[2]


def _choose_place(
    tokens: list[Token],
    hits: list[PlaceHit],
    anchor: int | None,
    attribution: Attribution | None,
    context: ParseContext,
) -> PlaceMatch | None:
    def score(h: PlaceHit) -> float:
        s = h.match.confidence
        if h.locative:
            s += 3
        if h.match.kind in ("city", "district"):
            s += 1
        elif h.match.kind == "region":
            s += 0.5
        if h.end < len(tokens) and tokens[h.end].low in _ATTRIBUTIVE_NOUNS:
            # "near the Kakhovka dam in Kherson": the name is a label of the thing.
            s -= 1.5
        if attribution is not None and attribution.first <= h.first < attribution.end:
            s -= 3
        if anchor is not None:
            lo, hi = sorted((anchor, h.first))
            s -= 0.08 * (hi - lo)
            between = [tokens[k].low for k in range(lo, hi)]
            if any(w in SAY_VERBS for w in between):
                s -= 2
            if h.first > anchor and not any(w in _CLAUSE_BREAKS for w in between):
                # "killed 400 people in Syria's largest city": the place that follows the
                # figure in its own clause.
                s += 1
        else:
            s -= 0.01 * h.first
        return s

    if hits:
        return max(hits, key=score).match
    main = context.main_place
    if main is not None:
        return PlaceMatch(
            main.name, main.country, main.kind, "", 0.6, main.place_id, main.geonameid
        )
    return None


def _confidence(
    has_number: bool,
    event: str | None,
    place: PlaceMatch | None,
    frame: TimeFrame | None,
    source: SourceMatch | None,
    attributed: bool,
) -> float:
    if has_number:
        c = 0.5
        if event not in (None, "other"):
            c += 0.15
        if place is not None:
            c += 0.1 * place.confidence
        if frame is not None:
            c += 0.1
        if source is not None:
            c += 0.15 if source.source_id is not None else 0.1
        return round(min(c, 1.0), 3)
    c = 0.15
    if source is not None:
        c += 0.15 if source.source_id is not None else 0.1
    elif attributed:
        c += 0.05
    if event is not None:
        c += 0.05
    if place is not None:
        c += 0.05 * place.confidence
    if frame is not None:
        c += 0.05
    return round(min(c, 0.45), 3)


def _analyse(
    text: str,
    tokens: list[Token],
    reported_on: date,
    context: ParseContext,
    frames: list[tuple[int, int, TimeFrame]] | None = None,
) -> _Analysis:
    if frames is None:
        frames = find_time_frames(tokens, text, reported_on)
    masked: set[int] = set()
    for first, end, _ in frames:
        masked.update(range(first, end))
    hits = find_quantities(tokens, masked, context.tolerance)
    counts = _counts(tokens, hits, masked)
    count = max(counts, key=lambda c: c.strength) if counts else None
    if count is not None:
        # The first of the strongest: copy leads with the main figure.
        count = next(c for c in counts if c.strength == count.strength)
    event = _event_for(tokens, count, masked)
    anchor = count.hit.num_start if count is not None else None
    frame = _choose_frame(tokens, frames, anchor)
    attribution = find_attribution(tokens, text, masked)
    place_hits = find_places(tokens, text, context, masked)
    event_anchor = anchor
    if event_anchor is None:
        event_anchor = next(
            (k for k in range(len(tokens)) if tokens[k].kind == WORD and event_at(tokens, k)),
            None,
        )
    place = _choose_place(tokens, place_hits, event_anchor, attribution, context)
    source_text = attribution.source_text if attribution is not None else ""
    source = resolve_source(source_text, context.sources) if source_text else None
    attributed = attribution is not None or any(t.low in _REPORT_CUES for t in tokens)
    has_number = count is not None
    confidence = _confidence(has_number, event, place, frame, source, attributed)
    if count is not None:
        hit = count.hit
        claim = ParsedClaim(
            text=text,
            value_low=hit.low,
            value_high=hit.high,
            qualifier=hit.qualifier,
            unit=count.unit,
            event=event,
            population=count.population,
            place=place,
            period_start=frame.start if frame else None,
            period_end=frame.end if frame else None,
            period_kind=frame.kind if frame else None,
            time_expression=frame.words if frame else "",
            source=source,
            source_text=source_text,
            confidence=confidence,
        )
    else:
        claim = ParsedClaim(
            text=text,
            value_low=None,
            value_high=None,
            qualifier=None,
            unit="",
            event=event,
            population="all",
            place=place,
            period_start=frame.start if frame else None,
            period_end=frame.end if frame else None,
            period_kind=frame.kind if frame else None,
            time_expression=frame.words if frame else "",
            source=source,
            source_text=source_text,
            confidence=confidence,
        )
    return _Analysis(claim, has_number, attributed)


def _empty(text: str) -> ParsedClaim:
    return ParsedClaim(
        text=text,
        value_low=None,
        value_high=None,
        qualifier=None,
        unit="",
        event=None,
        population="all",
        place=None,
        period_start=None,
        period_end=None,
        period_kind=None,
        time_expression="",
        source=None,
        source_text="",
        confidence=0.0,
    )


def parse(text: str, reported_on: date, context: ParseContext | None = None) -> ParsedClaim:
    """Read one claim sentence. Never raises: on input it cannot read it returns empty fields."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not isinstance(reported_on, date):
        return _empty(text)
    context = context or _EMPTY_CONTEXT
    try:
        head = text[:MAX_CLAIM_CHARS]
        claim = _analyse(head, tokenize(head), reported_on, context).claim
        return claim if head is text else replace(claim, text=text)
    except (ValueError, OverflowError, RecursionError, IndexError, KeyError):
        # The grammars are total over tokens; this guards the calendar edges and anything
        # unforeseen so that a bad sentence costs one claim, not the request.
        return _empty(text)


def parse_quantity(text: str, tolerance: float = 0.10) -> Quantity | None:
    """The main count in text as an interval, or None when it holds no count."""
    if not isinstance(text, str):
        return None
    tokens = tokenize(text)
    frames = find_time_frames(tokens, text, date(2000, 1, 1))
    masked: set[int] = set()
    for first, end, _ in frames:
        masked.update(range(first, end))
    hits = find_quantities(tokens, masked, tolerance)
    counts = _counts(tokens, hits, masked)
    if not counts:
        # Direct use on a bare figure ("about 400"): read it even without a noun.
        plain = [
            h
            for h in hits
            if not _is_label_or_age(tokens, h)
            and not h.decimal
            and _noun_after(tokens, h)[0] == "bare"
        ]
        if not plain:
            return None
        h = plain[0]
        words = text[tokens[h.first].start : tokens[h.end - 1].end]
        return Quantity(h.low, h.high, h.qualifier, h.currency or "people", words)
    best = max(counts, key=lambda c: c.strength)
    best = next(c for c in counts if c.strength == best.strength)
    h = best.hit
    words = text[tokens[h.first].start : tokens[h.end - 1].end]
    return Quantity(h.low, h.high, h.qualifier, best.unit, words)


# Abbreviations after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    word_list(
        "mr mrs ms dr prof gen lt col maj capt sgt cpl pvt adm cmdr gov sen rep rev st jr sr "
        "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri "
        "sat sun no nos vs etc inc co corp ltd bros dept est approx fig ft mt ave blvd rd "
        "a.m p.m u.s u.n u.k e.g i.e"
    )
)
_CLOSERS = "\"'”’)]"


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence offsets in text: text[start:end] is the sentence, trimmed of spaces."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = 0
    i = 0
    while i < n:
        ch = text[i]
        if ch == "\n":
            spans.append((start, i))
            start = i + 1
            i += 1
            continue
        if ch in ".!?":
            j = i + 1
            while j < n and text[j] in _CLOSERS:
                j += 1
            if j >= n:
                break
            if not text[j].isspace():
                i += 1
                continue
            k = j
            while k < n and text[k] in " \t":
                k += 1
            if k < n and text[k] not in "\n\r" and text[k].islower():
                i += 1
                continue
            if ch == "." and _is_abbreviation(text, i):
                i += 1
                continue
            spans.append((start, j))
            start = j
            i = j
            continue
        i += 1
    spans.append((start, n))
    result: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result


def _is_abbreviation(text: str, dot: int) -> bool:
    k = dot
    while k > 0 and (text[k - 1].isalpha() or text[k - 1] == "."):
        k -= 1
        if dot - k > 12:
            return False
    word = text[k:dot].lower()
    if not word:
        return False
    if len(word) == 1 and text[k].isupper():
        return True  # an initial: "John F. Kennedy"
    return word in _ABBREVIATIONS


def extract(text: str, published_on: date, context: ParseContext | None = None) -> list[Candidate]:
    """Candidate claims in a story, in order: counts first in confidence, then attributed
    statements without a number."""
    if not isinstance(text, str) or not isinstance(published_on, date):
        return []
    context = context or _EMPTY_CONTEXT
    sentences: list[tuple[int, int, str, list[Token]]] = []
    for s, e in split_sentences(text):
        sentence = text[s:e]
        sentences.append((s, e, sentence, tokenize(sentence[:MAX_CLAIM_CHARS])))
    if context.main_place is None:
        mentions: list[PlaceHit] = []
        for _, _, sentence, tokens in sentences:
            mentions.extend(find_places(tokens, sentence, context))
        main = infer_main_place(mentions)
        if main is not None:
            context = ParseContext(context.sources, context.places, main, context.tolerance)
    candidates: list[Candidate] = []
    for s, e, sentence, tokens in sentences:
        try:
            analysis = _analyse(sentence[:MAX_CLAIM_CHARS], tokens, published_on, context)
        except (ValueError, OverflowError, RecursionError, IndexError, KeyError):
            continue
        claim = analysis.claim
        if len(sentence) > MAX_CLAIM_CHARS:
            claim = replace(claim, text=sentence)
        if analysis.has_number:
            candidates.append(Candidate(sentence, s, e, claim, claim.confidence, True))
        elif (
            analysis.attributed
            and len(tokens) >= 6
            and (claim.source_text or any(t.low in ("reports", "reportedly") for t in tokens))
        ):
            candidates.append(Candidate(sentence, s, e, claim, claim.confidence, False))
    return candidates
