"""One sentence to its counts, and a story to its candidate claims.

The sentence is tokenised once; time expressions are read first so that their numbers
("the past 24 hours", "Feb. 12", "2011") are never taken for counts, then counts.py reads
the counts and cuts the sentence into one clause per count. Here each count takes its
event, place, period and source from its own clause first, then from the clauses it shares
them with: a part ("including 120 in Moscow") and a background figure ("the worst since
2010, when N died") lend their place to no one else, and choose_frame gives a running total
("for a total of B so far this year") its own period. A story is cut into sentences, each
read once, and "it said" or "the group said" takes the source named before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from claims.parsing.attribution import (
    SAY_VERBS,
    Attribution,
    find_attribution,
)
from claims.parsing.counts import (
    BACKGROUND_AGE,
    COMPARED_NOUNS,
    COMPARED_VERBS,
    Count,
    rate_stop,
    read_counts,
)
from claims.parsing.events import (
    EVENT_OPENERS,
    event_at,
)
from claims.parsing.frames import choose_frame
from claims.parsing.periods import find_time_frames
from claims.parsing.places import PlaceHit, choose_place, find_places, infer_main_place
from claims.parsing.sources import is_back_reference, resolve_source
from claims.parsing.tokens import (
    NUM,
    WORD,
    Token,
    base_word,
    fold,
    has_word,
    tokenize,
    word_list,
    words_of,
)
from claims.parsing.types import (
    Candidate,
    ParseContext,
    ParsedClaim,
    PlaceMatch,
    SourceMatch,
    TimeFrame,
    evolve,
    maker,
)

_EMPTY_CONTEXT = ParseContext()
# A claim is a sentence or two; past this length the rest is not read, which bounds the cost
# of pasted junk (a whole page in one line) without changing any real sentence.
MAX_CLAIM_CHARS = 5_000

_REPORT_CUES = frozenset(
    word_list(
        "reports reportedly allegedly alleged according statement announced claimed "
        "confirmed denied warned said says told reported"
    )
)

# Words that stop the name read after "by" in a comparison.
_NAME_STOPS = frozenset(
    word_list(
        "on in at last earlier this which who that said says and a an yesterday today when as "
        "after before since for to with but while days day week weeks ago from than its their "
        "was were is are had has have"
    )
)


@dataclass(slots=True)
class _Figure:
    start: int  # character span of the figure phrase in the sentence
    end: int
    claim: ParsedClaim
    pointer: str  # the words that stand for a source named earlier ("it", "the group")


# _Figure(...) without type.__call__ (see types.maker): made in the grammars' loops.
_figure = maker(_Figure)


@dataclass(slots=True)
class _Reading:
    figures: list[_Figure]  # in sentence order
    headline: int | None  # index in figures of the sentence's headline count
    statement: ParsedClaim | None  # the sentence read without a figure, when it gives none
    statement_pointer: str
    attributed: bool
    named: list[SourceMatch]  # sources the sentence names, in order


# ParsedClaim(...) and _Reading(...) without type.__call__ (see types.maker): one or more
# a sentence.
_parsed_claim = maker(ParsedClaim)
_reading = maker(_Reading)


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
        return round(c if c <= 1.0 else 1.0, 3)  # min() without its call
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
    return round(c if c <= 0.45 else 0.45, 3)


def _blocked(pos: int, c: Count, counts: list[Count]) -> bool:
    """Whether token `pos` lies in the clause of another count that keeps its place to
    itself: a part, a background figure, a difference."""
    for o in counts:
        if o is c or not (o.lo <= pos < o.private):
            continue
        return o.part or o.background or bool(o.delta)
    return False


def _frame_of(
    tokens: list[Token], frames: list[tuple[int, int, TimeFrame]], c: Count
) -> TimeFrame | None:
    # choose_frame reads the clauses itself: a running total's or a part's time is its own,
    # and "since 1939, when 33,000 died" gives that count the year 1939.
    return choose_frame(tokens, frames, c.hit.num_start)


def _place_of(
    tokens: list[Token],
    hits: list[PlaceHit],
    c: Count,
    counts: list[Count],
    att: Attribution | None,
    context: ParseContext,
) -> PlaceMatch | None:
    if len(counts) == 1:
        return choose_place(tokens, hits, c.hit.num_start, att, context)
    pool = [h for h in hits if not _blocked(h.first, c, counts)]
    if c.background:
        own = [h for h in pool if c.lo <= h.first < c.hi]
        pool = own or pool
    return choose_place(tokens, pool, c.hit.num_start, att, context)


_ATTRIBUTION_CUES = SAY_VERBS | frozenset(("according", "citing", "quoting"))


def _has_attribution_cue(tokens: list[Token], lo: int, hi: int) -> bool:
    return has_word(tokens, lo, hi, _ATTRIBUTION_CUES)


def _attribution_in(
    tokens: list[Token], text: str, masked: set[int], lo: int, hi: int
) -> Attribution | None:
    """The attribution inside tokens[lo:hi], in the sentence's token positions."""
    if not _has_attribution_cue(tokens, lo, hi):
        return None
    found = find_attribution(tokens[lo:hi], text, {k - lo for k in masked if lo <= k < hi})
    if found is None:
        return None
    return _moved(found, lambda j: j + lo)


def _moved(att: Attribution, at: Callable[[int], int]) -> Attribution:
    """The attribution with its token positions mapped back into the sentence."""
    setting = att.setting_end
    return replace(
        att,
        first=at(att.first),
        end=at(att.end - 1) + 1 if att.end > att.first else at(att.first),
        verb=at(att.verb),
        setting_end=at(setting - 1) + 1 if setting > 0 else setting,
    )


def _sentence_attribution(
    tokens: list[Token], text: str, masked: set[int], counts: list[Count]
) -> Attribution | None:
    """The sentence's attribution, outside the clauses that compare with another source's
    figure ("12 more than the number reported by the ministry")."""
    for c in counts:
        if c.delta:
            break
    else:
        # No comparison, the common case: found without building the list below.
        return find_attribution(tokens, text, masked)
    cuts = [(c.lo, c.hi) for c in counts if c.delta]
    keep = [k for k in range(len(tokens)) if not any(lo <= k < hi for lo, hi in cuts)]
    where = {j: k for j, k in enumerate(keep)}
    back = {k: j for j, k in where.items()}
    found = find_attribution(
        [tokens[k] for k in keep], text, {back[k] for k in masked if k in back}
    )
    if found is None:
        return None
    last = len(keep)
    return _moved(found, lambda j: where[j] if j < last else len(tokens))


def _given_by(text: str, tokens: list[Token], c: Count) -> Attribution | None:
    """ "the estimate of 10,000 deaths in Leyte given by a regional police official": a
    figure with its own source after it."""
    if "by" not in words_of(tokens):
        return None  # most sentences: no "given by" to find
    stop = c.end + 10 if c.end + 10 < c.hi else c.hi
    for k in range(c.end, stop - 1):
        tok = tokens[k]
        if tok.kind == NUM or tok.text in {",", ";"}:
            return None
        if tok.low in COMPARED_VERBS and tokens[k + 1].low == "by":
            words, end = _name_after(text, tokens, k + 2)
            if not words:
                return None
            return Attribution(words, k + 2, end, k, True)
    return None


_points_back = functools.lru_cache(maxsize=4096)(is_back_reference)


def _source_of(
    att: Attribution | None, tokens: list[Token], context: ParseContext
) -> tuple[str, SourceMatch | None, str]:
    """(source_text, source, pointer): `pointer` holds words such as "it" or "the group"
    that stand for a source named earlier in the story; a single sentence gives no source
    for them."""
    if att is None:
        return "", None, ""
    if not att.source_text:
        return "", None, att.pronoun if _points_back(att.pronoun) else ""
    source = resolve_source(att.source_text, context.sources)
    if (source is None or source.score < 100.0) and _points_back(att.source_text):
        # A registered alias ("the UN humanitarian office") names its source; a near match
        # of "the ministry" to some registered ministry does not.
        return "", None, att.source_text
    return att.source_text, source, ""


def _compared_source(text: str, tokens: list[Token], c: Count) -> tuple[str, int]:
    """The source of the figure a difference is taken from, and the token after the
    comparison: "than the number cited by the health ministry", "than the UN's tally"."""
    n = len(tokens)
    k = c.hit.end + 2
    stop = min(n, k + 10)
    for m in range(k, stop):
        tok = tokens[m]
        if tok.kind == NUM or tok.text in {",", ";", "."}:
            break
        if tok.low.endswith(("'s", "’s")) and m + 1 < n and tokens[m + 1].base in COMPARED_NOUNS:
            return text[tokens[k].start : tok.end - 2], m + 2
        if tok.low in {"by", "from"} or (tok.low == "to" and tokens[m - 1].low == "according"):
            return _name_after(text, tokens, m + 1)
    end = k
    while end < stop and tokens[end].base not in COMPARED_NOUNS:
        end += 1
    return "", min(end + 1, n)


def _name_after(text: str, tokens: list[Token], i: int) -> tuple[str, int]:
    n = len(tokens)
    j = i
    if j < n and tokens[j].low in {"the", "a", "an"}:
        j += 1
    last = -1
    while j < n and j - i < 9:
        tok = tokens[j]
        if tok.kind == WORD:
            if tok.low in _NAME_STOPS and not tok.cap:
                break
            last = j
        elif not (tok.text in "-.&'’" and not tok.gap):
            break
        j += 1
    while last >= i and tokens[last].low in {"of", "for", "the", "and"}:
        last -= 1
    if last < i:
        return "", i
    return text[tokens[i].start : tokens[last].end], last + 1


def _names_a_source(source_text: str, source: SourceMatch | None, at_start: bool) -> bool:
    """Whether an earlier attribution can stand behind a later "it said": a registered
    source or a proper name, not "witnesses" or "doctors"."""
    if source is not None and source.source_id is not None:
        return True
    words = source_text.split()
    if not words:
        return False
    if any(w[:1].isupper() for w in words[1:]):
        return True
    head = words[0].strip(".,'’")
    return (len(head) >= 2 and head.isupper()) or (head[:1].isupper() and not at_start)


def _claim(
    text: str,
    c: Count,
    event: str | None,
    place: PlaceMatch | None,
    frame: TimeFrame | None,
    source_text: str,
    source: SourceMatch | None,
    attributed: bool,
) -> ParsedClaim:
    hit = c.hit
    unit = f"{c.unit} per {c.rate}" if c.rate else c.unit
    return _parsed_claim(
        text=text,
        value_low=hit.low,
        value_high=hit.high,
        qualifier=hit.qualifier,
        unit=unit,
        event=event,
        population=c.population,
        place=place,
        period_start=frame.start if frame else None,
        period_end=frame.end if frame else None,
        period_kind=frame.kind if frame else None,
        time_expression=frame.words if frame else "",
        source=source,
        source_text=source_text,
        confidence=_confidence(True, event, place, frame, source, attributed),
        projection=c.projection,
    )


def _rank(c: Count) -> tuple[int, bool, int]:
    """How strongly a count stands for its sentence (see _headline); higher is stronger."""
    if c.background:
        tier = 0
    elif c.projection:
        tier = 1
    elif c.part:
        tier = 2
    elif c.rate:
        tier = 3
    else:
        tier = 4
    # "The raid that freed four hostages killed 274": people to whom no casualty
    # happened are not the sentence's count when another is.
    return tier, not (c.unit == "people" and c.event == "other"), c.strength


def _headline(counts: list[Count]) -> Count | None:
    """The count a single sentence is read as: the first of the main event that is not a
    part, a background figure or a projection (a rate only when nothing else is stated)."""
    best: Count | None = None
    best_rank = (0, False, 0)
    for c in counts:
        if c.delta:
            continue
        rank = _rank(c)  # once a count: the best's is kept, not read again each time
        if best is None or rank > best_rank:
            best, best_rank = c, rank
    return best


def _read(
    text: str,
    tokens: list[Token],
    reported_on: date,
    context: ParseContext,
    frames: list[tuple[int, int, TimeFrame]] | None = None,
    every: bool = True,
) -> _Reading:
    """Every count of one sentence (or, without `every`, only its headline count)."""
    if frames is None:
        frames = find_time_frames(tokens, text, reported_on)
    masked: set[int] = set()
    for first, end, _ in frames:
        masked.update(range(first, end))
    counts: list[Count] = []
    if not _is_question(text):
        counts = read_counts(text, tokens, masked, reported_on, context.tolerance)
    att = _sentence_attribution(tokens, text, masked, counts)
    place_hits = find_places(tokens, text, context, masked)
    attributed = att is not None or not _REPORT_CUES.isdisjoint(words_of(tokens))
    source_text, source, pointer = _source_of(att, tokens, context)
    named: list[SourceMatch] = []
    if (
        every
        and source is not None
        and att is not None
        and _names_a_source(source_text, source, att.first == 0)
    ):
        named.append(source)

    period: dict[int, TimeFrame | None] = {}

    def frame_of(c: Count) -> TimeFrame | None:
        if id(c) not in period:
            frame = _frame_of(tokens, frames, c)
            period[id(c)] = frame
            if frame is not None and frame.kind in {"day", "span"}:
                # A figure from more than a year before the report is background to it.
                c.background = c.background or frame.end < reported_on - BACKGROUND_AGE
        return period[id(c)]

    if every:
        for c in counts:
            if not c.delta:
                frame_of(c)
    headline = _headline(counts)
    while headline is not None and id(headline) not in period:
        # One sentence only needs the period of its headline: read it, and choose again
        # when it turns out to be background.
        frame_of(headline)
        headline = _headline(counts)
    wanted = counts if every else ([] if headline is None else [headline])
    figures: list[_Figure] = []
    claims: dict[int, ParsedClaim] = {}
    for c in wanted:
        if c.delta:
            continue
        own = _attribution_in(tokens, text, masked, c.lo, c.hi) if len(counts) > 1 else None
        if own is None:
            own = _given_by(text, tokens, c)
        c_att = own if own is not None else att
        if own is not None:
            c_text, c_source, c_pointer = _source_of(own, tokens, context)
            if every and c_source and _names_a_source(c_text, c_source, own.first == 0):
                named.append(c_source)
        else:
            c_text, c_source, c_pointer = source_text, source, pointer
        frame = frame_of(c)
        place = _place_of(tokens, place_hits, c, counts, c_att, context)
        claim = _claim(text, c, c.event, place, frame, c_text, c_source, attributed)
        claims[id(c)] = claim
        stop = rate_stop(tokens, c) if c.rate else c.end
        figures.append(_figure(tokens[c.hit.first].start, tokens[stop - 1].end, claim, c_pointer))
    if every:
        for i, c in enumerate(counts):
            if not c.delta:
                continue
            base = next((o for o in reversed(counts[:i]) if not o.delta), None)
            if base is None or id(base) not in claims:
                continue
            figure = _other_side(text, tokens, c, claims[id(base)], context)
            if figure is not None:
                figures.append(figure)
                if figure.claim.source is not None:
                    named.append(figure.claim.source)
        figures.sort(key=lambda f: f.start)
    top: int | None = None
    if headline is not None:
        chosen = claims[id(headline)]
        top = 0
        while figures[top].claim is not chosen:
            top += 1

    statement = None
    if not figures:
        statement = _statement(text, tokens, frames, place_hits, att, context)
        statement = evolve(
            statement,
            source=source,
            source_text=source_text,
            confidence=_confidence(
                False,
                statement.event,
                statement.place,
                _frame_from(statement),
                source,
                attributed,
            ),
        )
    return _reading(figures, top, statement, pointer, attributed, named)


def _statement(
    text: str,
    tokens: list[Token],
    frames: list[tuple[int, int, TimeFrame]],
    place_hits: list[PlaceHit],
    att: Attribution | None,
    context: ParseContext,
) -> ParsedClaim:
    """The sentence read as a statement without a figure: "talks on extending the truce"."""
    anchor = next(
        (
            k
            for k in range(len(tokens))
            if tokens[k].low in EVENT_OPENERS and tokens[k].kind == WORD and event_at(tokens, k)
        ),
        None,
    )
    event = event_at(tokens, anchor) if anchor is not None else None
    frame = choose_frame(tokens, frames, None)
    place = choose_place(tokens, place_hits, anchor, att, context)
    return evolve(
        ParsedClaim.empty(text),
        event=event,
        place=place,
        period_start=frame.start if frame else None,
        period_end=frame.end if frame else None,
        period_kind=frame.kind if frame else None,
        time_expression=frame.words if frame else "",
    )


def _other_side(
    text: str, tokens: list[Token], c: Count, base: ParsedClaim, context: ParseContext
) -> _Figure | None:
    """ "A died, 12 more than the number cited by X": X's figure is A minus 12."""
    if base.value_low is None:
        return None
    d = c.hit.value
    shift = -d if c.delta > 0 else d
    low = base.value_low + shift
    high = base.value_high + shift if base.value_high is not None else None
    if low < 0 or (high is not None and high < low):
        return None
    source_text, stop = _compared_source(text, tokens, c)
    source = resolve_source(source_text, context.sources) if source_text else None
    claim = evolve(
        base,
        value_low=low,
        value_high=high,
        source_text=source_text,
        source=source,
        confidence=_confidence(
            True,
            base.event,
            base.place,
            _frame_from(base),
            source,
            True,
        ),
    )
    stop = max(stop, c.hit.end)
    return _figure(tokens[c.hit.first].start, tokens[stop - 1].end, claim, "")


def _frame_from(claim: ParsedClaim) -> TimeFrame | None:
    if claim.period_start is None or claim.period_end is None or claim.period_kind is None:
        return None
    return TimeFrame(claim.period_start, claim.period_end, claim.period_kind, claim.time_expression)


def _is_question(text: str) -> bool:
    return text.rstrip().rstrip(_CLOSERS).endswith("?")


def parse(text: str, reported_on: date, context: ParseContext | None = None) -> ParsedClaim:
    """Read one claim sentence as its headline count (or as a statement without a figure).
    Never raises: on input it cannot read it returns empty fields."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    if not isinstance(reported_on, date):
        return ParsedClaim.empty(text)
    context = context or _EMPTY_CONTEXT
    try:
        head = text[:MAX_CLAIM_CHARS]
        reading = _read(head, tokenize(head), reported_on, context, every=False)
        if reading.headline is not None:
            claim = reading.figures[reading.headline].claim
        else:
            claim = reading.statement or ParsedClaim.empty(head)
        return claim if head is text else evolve(claim, text=text)
    except (ValueError, OverflowError, RecursionError, IndexError, KeyError):
        # The grammars are total over tokens; this guards the calendar edges and anything
        # unforeseen so that a bad sentence costs one claim, not the request.
        return ParsedClaim.empty(text)


def parse_counts(
    text: str, reported_on: date, context: ParseContext | None = None
) -> list[tuple[int, int, ParsedClaim]]:
    """Every count of one sentence as (start, end, claim), in order: start and end are the
    character offsets of its figure phrase in text. Empty when the sentence gives none."""
    if not isinstance(text, str) or not isinstance(reported_on, date):
        return []
    context = context or _EMPTY_CONTEXT
    try:
        head = text[:MAX_CLAIM_CHARS]
        reading = _read(head, tokenize(head), reported_on, context)
    except (ValueError, OverflowError, RecursionError, IndexError, KeyError):
        return []
    if head is text:
        return [(f.start, f.end, f.claim) for f in reading.figures]
    return [(f.start, f.end, evolve(f.claim, text=text)) for f in reading.figures]


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
        # An initial ("John F. Kennedy") follows a name, not a lowercase word: "posted on X."
        j = k - 1
        while j >= 0 and text[j] == " ":
            j -= 1
        return not (j >= 0 and text[j].isalpha() and text[j].islower())
    return word in _ABBREVIATIONS


def extract(text: str, published_on: date, context: ParseContext | None = None) -> list[Candidate]:
    """Candidate claims in a story, in story order: one per count (a sentence with three
    counts gives three), and one per attributed statement without a figure."""
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
    named: list[SourceMatch] = []  # sources named so far, for "it said" and "the group said"
    for s, e, sentence, tokens in sentences:
        head = sentence[:MAX_CLAIM_CHARS]
        try:
            reading = _read(head, tokens, published_on, context)
        except (ValueError, OverflowError, RecursionError, IndexError, KeyError):
            continue
        for figure in reading.figures:
            claim = _point_back(figure.claim, figure.pointer, named)
            if len(sentence) > MAX_CLAIM_CHARS:
                claim = evolve(claim, text=sentence)
            candidates.append(
                Candidate(
                    sentence, s + figure.start, s + figure.end, s, e, claim, claim.confidence, True
                )
            )
        if reading.statement is not None:
            claim = _point_back(reading.statement, reading.statement_pointer, named)
            if len(sentence) > MAX_CLAIM_CHARS:
                claim = evolve(claim, text=sentence)
            if (
                reading.attributed
                and len(tokens) >= 6
                and (
                    claim.source_text
                    or reading.statement_pointer
                    or any(t.low in {"reports", "reportedly"} for t in tokens)
                )
            ):
                candidates.append(Candidate(sentence, s, e, s, e, claim, claim.confidence, False))
        named.extend(reading.named)
    return candidates


def _point_back(claim: ParsedClaim, pointer: str, named: list[SourceMatch]) -> ParsedClaim:
    """ "it said", "the agency said": the source named last before this sentence, or the
    last one whose name has the same head noun ("the ministry" -> "the Health Ministry")."""
    if not pointer or not named:
        return claim
    words = fold(pointer).split()
    head = base_word(words[-1]) if len(words) > 1 else ""
    chosen = named[-1]
    if head:
        for source in reversed(named):
            names = fold(f"{source.source_text} {source.name or ''}").split()
            if head in names or f"{head}s" in names:
                chosen = source
                break
    frame = _frame_from(claim)
    return evolve(
        claim,
        source=chosen,
        source_text=chosen.source_text,
        confidence=_confidence(
            claim.value_low is not None, claim.event, claim.place, frame, chosen, True
        ),
    )
