"""Who says so: "X said", "said X", "according to X", "per X", "citing X", "X told AP".

The name is read as a noun phrase next to the reporting verb (capitalised words, a few source
nouns such as "activists" or "health ministry", and the connectors inside names), then
resolved against the register of sources: exact alias first, then fuzzy.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from claims.parsing.tokens import NUM, WORD, Token, base_word, fold, is_possessive, word_list
from claims.parsing.types import KnownSource, SourceMatch

FUZZY_THRESHOLD = 88.0

SAY_VERBS = frozenset(
    word_list(
        "said says say told tells reported reports announced announces stated states added "
        "adds estimated estimates confirmed confirms claimed claims counted recorded documented "
        "tallied noted notes wrote writes tweeted posted warned warns alleged alleges "
        "acknowledged admitted insisted explained indicated declared disclosed revealed "
        "estimate report"
    )
)
# Verbs that need a plural or a named subject to be reporting verbs ("activists report").
_WEAK_VERBS = frozenset({"report", "estimate", "say", "states", "claims", "reports", "notes"})
_SOURCE_WORDS = frozenset(
    word_list(
        "activists activist officials official ministry police army military spokesman "
        "spokeswoman spokesperson spokespeople agency monitor monitors group groups residents "
        "resident witnesses witness rescuers rescue authorities authority government medics "
        "doctors doctor sources source media television tv office council committee "
        "organization organisation health interior defense defence civil workers worker aid "
        "local state news human rights observatory department service services forces "
        "coalition commission mission team teams command head chief director minister "
        "governor mayor hospital hospitals medical emergency relief humanitarian security "
        "opposition rebel rebels navy coast guard guards border officers personnel staff "
        "volunteers paramedics ambulance regional provincial district municipal city town "
        "village camp federal national international independent monitoring based run "
        "backed led affiliated funded officer representative representatives envoy "
        "administration management centre center network networks unit agencies ministries "
        "figures statement statements report tally count data estimates statistics "
        "spokesmen sources' activists' officials' people sanctions experts panel investigators "
        "researchers analysts inspectors observers disaster country nation protection "
        "administrator air force prosecutor general climate crisis management charity "
        "union association society foundation institute president vice prime premier "
        "secretary refugee refugees affairs foreign"
    )
)
_CONNECTORS = frozenset({"of", "for", "the", "de", "al", "el", "du", "des", "on", "and", "&"})
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you", "who", "which"})
_SKIP_BEFORE_VERB = frozenset(
    {
        "also",
        "previously",
        "earlier",
        "later",
        "separately",
        "had",
        "has",
        "have",
        "initially",
        "first",
        "then",
        "alone",
        "on",
        "late",
        "further",
        "now",
        "today",
        "yesterday",
    }
)
# Document nouns that introduce the real source: "according to figures from the UN".
_DOCUMENT_NOUNS = frozenset(
    word_list(
        "figures data tally count estimates estimate statistics report reports statement "
        "a an the latest new its their own preliminary official final count toll"
    )
)
_PER_NOT_SOURCE = frozenset(
    word_list("cent day hour week month year capita person head annum household family")
)


@dataclass(frozen=True)
class Attribution:
    source_text: str
    first: int  # token span of the name
    end: int
    verb: int  # the reporting verb or the introducing word
    attributed: bool  # a reporting verb was found even if the name was a pronoun


def _name_token(tokens: list[Token], k: int) -> bool:
    tok = tokens[k]
    n = len(tokens)
    if tok.kind == WORD:
        low = base_word(tok.low)
        if tok.cap:
            return low not in _CAP_STOP
        if low in _SOURCE_WORDS or low in _CONNECTORS:
            return True
        # The tail of a hyphenated name ("Ki-moon", "Hamas-run") or a lowercase word inside a
        # name ("Syrian Arab red Crescent", "the health ministry in Gaza").
        if k > 0 and tokens[k - 1].text in "-–" and not tok.gap and not tokens[k - 1].gap:
            return True
        left_named = k > 0 and (
            tokens[k - 1].cap or (tokens[k - 1].text == "." and not tokens[k - 1].gap)
        )
        if left_named and k + 1 < n and base_word(tokens[k + 1].low) in _SOURCE_WORDS:
            return low.isalpha() and low not in ("said", "told", "and")
        between_caps = k > 0 and tokens[k - 1].cap and k + 1 < n and tokens[k + 1].cap
        if low == "in" and k + 1 < n and tokens[k + 1].cap and k > 0:
            return tokens[k - 1].kind == WORD and tokens[k - 1].low in _SOURCE_WORDS
        return between_caps and low.isalpha() and len(low) <= 6 and low not in ("said", "told")
    if tok.text in "-–" and not tok.gap and k + 1 < len(tokens) and not tokens[k + 1].gap:
        return True
    if tok.text == "." and not tok.gap and k > 0 and len(tokens[k - 1].text) == 1:
        return True
    return tok.text == "&"


# Capitalised words that open a sentence or clause rather than a name.
_CAP_STOP = frozenset(
    word_list(
        "but and however meanwhile yet so also in on at earlier later separately elsewhere "
        "still now when while as after before since although though if then that this these "
        "those there it he she they we i you his her their its our a an some many most "
        "according citing per more than about nearly at least over up to only monday tuesday "
        "wednesday thursday friday saturday sunday today yesterday last this"
    )
)


def _trim(tokens: list[Token], first: int, end: int) -> tuple[int, int]:
    """Drop connectors hanging off either end: "of the Observatory" -> "the Observatory"."""
    while first < end and (
        tokens[first].low in _CONNECTORS - {"the"} or tokens[first].kind != WORD
    ):
        first += 1
    while end > first and (tokens[end - 1].low in _CONNECTORS or tokens[end - 1].kind != WORD):
        if tokens[end - 1].text == "." and end - 2 >= first and len(tokens[end - 2].text) == 1:
            break
        end -= 1
    return first, end


def _has_content(tokens: list[Token], first: int, end: int) -> bool:
    return any(
        tokens[k].kind == WORD and tokens[k].low not in _CONNECTORS for k in range(first, end)
    )


def _backward(tokens: list[Token], v: int, masked: set[int] | frozenset[int]) -> tuple[int, int]:
    """The name ending just before the verb at v: (first, end); empty when there is none."""
    j = v - 1
    while j >= 0 and (tokens[j].low in _SKIP_BEFORE_VERB or j in masked):
        j -= 1
    if j >= 0 and tokens[j].text == ",":
        # "The Observatory, which has documented the war since 2011, said": step over the
        # clause to the name before it.
        c = j - 1
        limit = max(-1, j - 40)
        while c > limit and tokens[c].text != ",":
            c -= 1
        if (
            c <= limit
            or c + 1 >= j
            or tokens[c + 1].low
            not in (
                "which",
                "who",
                "whose",
                "a",
                "an",
                "the",
                "one",
                "citing",
            )
        ):
            return v, v
        j = c - 1
    end = j + 1
    k = j
    while k >= 0 and k > end - 14 and _name_token(tokens, k):
        if tokens[k].low == "and" and not (
            k > 0 and tokens[k - 1].cap and k + 1 < len(tokens) and tokens[k + 1].cap
        ):
            break
        if k in masked:
            break
        k -= 1
    first, end = _trim(tokens, k + 1, end)
    if not _has_content(tokens, first, end):
        return v, v
    return first, end


def _forward(tokens: list[Token], i: int, masked: set[int] | frozenset[int]) -> tuple[int, int]:
    """The name starting at tokens[i]: (first, end); empty when there is none."""
    n = len(tokens)
    if i < n and tokens[i].low in ("a", "an"):
        i += 1
    k = i
    while k < n and k - i < 14 and k not in masked and _name_token(tokens, k):
        if tokens[k].low == "and" and not (
            k > 0 and tokens[k - 1].cap and k + 1 < n and tokens[k + 1].cap
        ):
            break
        if is_possessive(tokens[k].low):
            k += 1
            break
        k += 1
    first, end = _trim(tokens, i, k)
    if not _has_content(tokens, first, end):
        return i, i
    return first, end


def _after_document(tokens: list[Token], i: int) -> int:
    """Skip "figures from", "a tally by", "the latest count of" to the source itself."""
    n = len(tokens)
    k = i
    while k < n and k - i < 5 and tokens[k].low in _DOCUMENT_NOUNS:
        k += 1
    if k > i and k < n and tokens[k].low in ("from", "by", "of", "released", "compiled"):
        k += 1
        if k < n and tokens[k].low == "by":
            k += 1
        return k
    return i


def _text(text: str, tokens: list[Token], first: int, end: int) -> str:
    words = text[tokens[first].start : tokens[end - 1].end]
    if is_possessive(tokens[end - 1].low):
        words = words[:-2]
    return words


def find_attribution(
    tokens: list[Token], text: str, masked: set[int] | frozenset[int] = frozenset()
) -> Attribution | None:
    """The first attribution in the tokens, or None."""
    n = len(tokens)
    pronoun: Attribution | None = None
    for v in range(n):
        tok = tokens[v]
        if tok.kind != WORD:
            continue
        low = tok.low
        if low == "according" and v + 1 < n and tokens[v + 1].low == "to":
            start = _after_document(tokens, v + 2)
            first, end = _forward(tokens, start, masked)
            if end > first:
                return Attribution(_text(text, tokens, first, end), first, end, v, True)
            continue
        if low in ("citing", "per", "quoting") and v + 1 < n:
            nxt = tokens[v + 1]
            if low == "per" and (nxt.low in _PER_NOT_SOURCE or nxt.kind == NUM):
                continue
            start = _after_document(tokens, v + 1)
            first, end = _forward(tokens, start, masked)
            if end > first:
                return Attribution(_text(text, tokens, first, end), first, end, v, True)
            continue
        if low in SAY_VERBS and _cites_later(tokens, v):
            # "the agency reported, citing the health ministry": the ministry is the source.
            continue
        if (
            low == "by"
            and v > 0
            and tokens[v - 1].low
            in (
                "reported",
                "compiled",
                "released",
                "documented",
                "published",
                "provided",
                "issued",
                "confirmed",
                "recorded",
                "counted",
            )
        ):
            first, end = _forward(tokens, v + 1, masked)
            if end > first:
                return Attribution(_text(text, tokens, first, end), first, end, v, True)
            continue
        if low not in SAY_VERBS or v in masked:
            continue
        # "were reported", "has been confirmed": passives have no speaker here.
        if v > 0 and tokens[v - 1].low in ("were", "was", "been", "be", "being", "is", "are"):
            continue
        prev = tokens[v - 1] if v > 0 else None
        if prev is not None and prev.low in _PRONOUNS:
            if pronoun is None:
                pronoun = Attribution("", v, v, v, True)
            continue
        first, end = _backward(tokens, v, masked)
        if end > first and not (low in _WEAK_VERBS and not _plural_or_named(tokens, first, end)):
            return Attribution(_text(text, tokens, first, end), first, end, v, True)
        if prev is None or prev.text in (",", '"', "”", "'", "’") or end <= first:
            if (
                v + 1 < n
                and tokens[v + 1].low not in ("that", "on", "in", "it", "the")
                or v + 1 < n
                and tokens[v + 1].low == "the"
            ):
                first, end = _forward(tokens, v + 1, masked)
            else:
                first, end = v, v
            if end > first and low not in ("told", "tells"):
                return Attribution(_text(text, tokens, first, end), first, end, v, True)
    return pronoun


def _cites_later(tokens: list[Token], v: int) -> bool:
    return any(t.low in ("citing", "quoting") for t in tokens[v + 1 : v + 4])


def _plural_or_named(tokens: list[Token], first: int, end: int) -> bool:
    last = tokens[end - 1]
    return last.cap or last.low.endswith("s")


def normalise_name(name: str) -> str:
    """The key two names are compared by: folded, without a leading "the" or punctuation."""
    key = fold(name)
    key = "".join(ch if ch.isalnum() or ch == " " else " " for ch in key.replace("'s ", " "))
    key = " ".join(key.split())
    for article in ("the ", "a ", "an "):
        if key.startswith(article):
            key = key[len(article) :]
    return key


@functools.cache
def _source_index(
    sources: tuple[KnownSource, ...],
) -> tuple[dict[str, KnownSource], list[str], list[KnownSource]]:
    exact: dict[str, KnownSource] = {}
    names: list[str] = []
    owners: list[KnownSource] = []
    for s in sources:
        for name in (s.name, *s.aliases):
            key = normalise_name(name)
            if not key:
                continue
            exact.setdefault(key, s)
            names.append(key)
            owners.append(s)
    return exact, names, owners


def resolve_source(source_text: str, sources: tuple[KnownSource, ...]) -> SourceMatch | None:
    """The KnownSource behind the words, or an unresolved match carrying the words."""
    if not source_text:
        return None
    key = normalise_name(source_text)
    exact, names, owners = _source_index(sources)
    hit = exact.get(key)
    if hit is not None:
        return SourceMatch(hit.id, hit.name, source_text, 100.0)
    if len(key) >= 4 and names:
        best = process.extractOne(key, names, scorer=fuzz.WRatio, score_cutoff=FUZZY_THRESHOLD)
        if best is not None:
            owner = owners[best[2]]
            return SourceMatch(owner.id, owner.name, source_text, float(best[1]))
    return SourceMatch(None, None, source_text, 0.0)
