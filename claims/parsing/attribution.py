"""Who says so: "X said", "said X", "according to X", "per X", "citing X", "X told AP".

The name is read as a noun phrase next to the reporting verb (capitalised words, a few source
nouns such as "activists" or "health ministry", titles such as "Gen." and the connectors
inside names), then resolved against the register of sources: exact alias first, then fuzzy.

What the words of a source are, when copy gives more than a name:
- a named spokesman or official for a body ("Adel Hamdan, a spokesman for the Red Crescent,
  said") gives the body: the register holds bodies, not the people who speak for them; a
  named director or minister ("Dr. Ana Ruiz, the director of the health service") speaks in
  their own name;
- a role for a body without a name ("a spokesperson for the WFP said") keeps the words as
  written, and `resolve_source` reads them as the body;
- a role then a name ("according to a local official, Bayram Kaya") gives the name;
- a name with its acronym ("the International Organization for Migration (IOM) said") keeps
  both, so that either resolves;
- an outlet keeps its description ("the pro-government Al-Watan Web site"); resolution looks
  past the description to the name;
- the outlet someone spoke to ("told the BBC") is never the source, the speaker is;
- a finding ("a Reuters tally found", "according to figures released by the ministry") gives
  whoever made it;
- a pronoun ("it said") gives no words but marks the sentence as attributed (the story reader
  takes the source named before); "the group said" keeps its words, which
  `is_back_reference` recognises;
- a country that speaks ("Ukraine said") is its government and stays a source; a place that
  does not speak ("In Gaza, 40 were killed") is not one, and neither is "the country", a
  quantifier ("All 12 passengers", "Many") or a pronoun;
- when a sentence opens on an act ("Sudan declared an outbreak after 22 deaths", "India
  reported 4,529 deaths") and closes on an attribution (", the health minister said"), the
  closing one speaks for the sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from claims.parsing.sources import (
    CAP_STOP,
    CONNECTORS,
    DETERMINERS,
    ROLE_NOUNS,
    SOURCE_WORDS,
)
from claims.parsing.tokens import (
    NUM,
    POSSESSIVE_ENDS,
    WORD,
    Token,
    has_word,
    is_possessive,
    word_list,
)
from claims.parsing.types import maker

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
# Verbs whose subject is a document, whose maker is the source: "a Reuters tally found".
_FINDING_VERBS = frozenset(
    word_list("found finds find showed shows show suggested suggests put puts")
)
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "you", "who", "which"})
# Abbreviated titles that keep their full stop inside a name: "Maj. Gen. Yahya Rasool".
_TITLES = frozenset(
    word_list("gen maj col lt capt brig sgt cpl adm gov sen rep dr mr mrs ms prof rev fr cmdr")
)
# Roles that only speak for a body: a named spokesman stands for the body, while a named
# director or minister speaks in their own name ("Dr. Ana Ruiz, the director of the health
# service, said" is Dr. Ana Ruiz).
_MOUTHPIECES = frozenset(
    word_list(
        "spokesman spokeswoman spokesperson spokespeople spokesmen representative "
        "representatives official officials"
    )
)
# Words that end a noun phrase read without capitals: "the airline said", "a survivor told".
_PHRASE_STOP = frozenset(
    word_list(
        "that which who whom whose when where while as after before since until in on at to "
        "from with without by for of and or but nor than then there here is are was were be "
        "been being has have had do does did will would could should may might can must not "
        "no also it they he she we i you killed died dead wounded injured more most many some "
        "all several few both each other others one none half dozens hundreds thousands "
        "people number toll"
    )
    + list(SAY_VERBS)
)
# Nouns that stand for a place or a picture, not a speaker: "the country", "video posted
# online showed".
_PLACE_NOUNS = frozenset(
    word_list(
        "country city town village region province area district state capital nation "
        "video videos footage images image photos photographs pictures"
    )
)
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
        "publicly",
        "there",
        "here",
        "officially",
        "repeatedly",
        "last",
        "again",
    }
)
# Document nouns that introduce the real source: "according to figures from the UN".
_DOCUMENT_NOUNS = frozenset(
    word_list(
        "figures data tally count estimates estimate statistics report reports statement "
        "a an the latest new its their own preliminary official final count toll post posts "
        "message analysis review survey study database records record bulletin update "
        "updated daily weekly monthly annual"
    )
)
# A document at the end of a source phrase: "a Reuters tally", "the ministry's figures".
_TRAILING_DOCUMENTS = frozenset(
    word_list(
        "figures data tally count estimates estimate statistics report statement toll "
        "analysis review survey study database records bulletin update investigation "
        "inquiry assessment audit"
    )
)
_PER_NOT_SOURCE = frozenset(
    word_list("cent day hour week month year capita person head annum household family")
)
# Where and how a speaker spoke: "said in a statement", "told reporters in Lviv", "posted on
# X". The words belong to the attribution, not to the events.
_SETTING_NOUNS = frozenset(
    word_list(
        "statement statements post posts message messages address speech remarks conference "
        "briefing interview video broadcast session meeting hearing x twitter telegram "
        "facebook instagram tiktok youtube whatsapp media website account channel page "
        "television tv radio appearance release note letter report update bulletin "
        "communique communiqué reporters journalists"
    )
)
_SETTING_PREPOSITIONS = frozenset(word_list("in on at during to via through over from"))


@dataclass(slots=True)
class Attribution:
    source_text: str
    first: int  # token span of the words naming the source, with any role or apposition
    end: int
    verb: int  # the reporting verb or the introducing word
    attributed: bool  # a reporting verb was found even if the name was a pronoun
    # The pronoun that stood for the source ("it said"): a source named before in the story.
    pronoun: str = ""
    # The end of the whole attribution clause after the verb: "told reporters in Lviv",
    # "said in a statement on Telegram". Places inside it are where the speaker spoke.
    setting_end: int = -1


# Attribution(...) without type.__call__ (see types.maker): made in the grammars' loops.
_attribution_of = maker(Attribution)


@dataclass(slots=True)
class _Phrase:
    """A source phrase: the span of all its words and the span of the words that name the
    source ("Adel Hamdan, a spokesman for the Red Crescent": all of it, and "the Red
    Crescent")."""

    first: int
    end: int
    name_first: int
    name_end: int


# _Phrase(...) without type.__call__ (see types.maker): made in the grammars' loops.
_phrase = maker(_Phrase)


def _name_token(tokens: list[Token], k: int) -> bool:
    tok = tokens[k]
    n = len(tokens)
    if tok.kind == WORD:
        low = tok.base
        if tok.cap:
            return low not in CAP_STOP
        if low in SOURCE_WORDS or low in CONNECTORS:
            return True
        if low == "s" and k > 0 and tokens[k - 1].text in "'’" and not tok.gap:
            return True
        if (
            is_possessive(tok.low)
            and k + 1 < n
            and (tokens[k + 1].cap or tokens[k + 1].base in SOURCE_WORDS)
        ):
            # "the territory's Health Ministry", "the company's chief executive"
            return True
        # The tail of a hyphenated name ("Ki-moon", "Hamas-run") or a lowercase word inside a
        # name ("Syrian Arab red Crescent", "the health ministry in Gaza").
        if k > 0 and tokens[k - 1].text in "-–" and not tok.gap and not tokens[k - 1].gap:
            return True
        # The head of a compound modifier: "pro-government", "state-run".
        if (
            k + 2 < n
            and tokens[k + 1].text in "-–"
            and not tokens[k + 1].gap
            and not tokens[k + 2].gap
            and tokens[k + 2].kind == WORD
            and low not in _PHRASE_STOP
        ):
            return True
        left_named = k > 0 and (
            tokens[k - 1].cap or (tokens[k - 1].text == "." and not tokens[k - 1].gap)
        )
        if left_named and k + 1 < n and tokens[k + 1].base in SOURCE_WORDS:
            return low.isalpha() and low not in {"said", "told", "and"}
        between_caps = k > 0 and tokens[k - 1].cap and k + 1 < n and tokens[k + 1].cap
        if low in {"in", "at"} and k + 1 < n and tokens[k + 1].cap and k > 0:
            return tokens[k - 1].kind == WORD and tokens[k - 1].low in SOURCE_WORDS
        return between_caps and low.isalpha() and len(low) <= 6 and low not in {"said", "told"}
    if tok.text in "-–" and not tok.gap and k + 1 < len(tokens) and not tokens[k + 1].gap:
        return True
    if (
        tok.text in "'’"
        and not tok.gap
        and k + 1 < n
        and tokens[k + 1].low == "s"
        and not tokens[k + 1].gap
    ):
        # "the U.N.'s humanitarian office": the possessive of an abbreviation.
        return True
    if tok.text == "." and not tok.gap and k > 0:
        prev = tokens[k - 1].low
        return len(prev) == 1 or prev in _TITLES
    return tok.text == "&"


# How many spoke: "two aid workers said", "several residents told AFP".
_COUNT_WORDS = frozenset(
    word_list("one two three four five six seven eight nine ten eleven twelve several")
)
# Words that open a clause set off by commas between a name and its verb: "The Observatory,
# which relies on activists, said"; "Airwars, a London-based monitor, said".
_APPOSITION_OPENERS = frozenset(word_list("which who whose a an the one citing also formerly"))
# Name particles that open a name when capitalised: "Al-Watan", "El Pais", "De Standaard".
_NAME_PARTICLES = frozenset({"al", "el", "de", "du", "des"})


def _trim(tokens: list[Token], first: int, end: int) -> tuple[int, int]:
    """Drop connectors hanging off either end: "of the Observatory" -> "the Observatory"."""
    while first < end and (
        (
            tokens[first].low in CONNECTORS - {"the"}
            and not (tokens[first].cap and tokens[first].low in _NAME_PARTICLES)
        )
        or tokens[first].kind != WORD
    ):
        first += 1
    while end > first and (tokens[end - 1].low in CONNECTORS or tokens[end - 1].kind != WORD):
        if tokens[end - 1].text == "." and end - 2 >= first and len(tokens[end - 2].text) == 1:
            break
        end -= 1
    return first, end


def _has_content(tokens: list[Token], first: int, end: int) -> bool:
    for k in range(first, end):  # noqa: SIM110 - a loop costs less than any() over a generator
        tok = tokens[k]
        if tok.kind == WORD and tok.low not in CONNECTORS and tok.low not in DETERMINERS:
            return True
    return False


def _open_word(tok: Token) -> bool:
    """A lowercase word that can sit inside a noun phrase: "the airline", "a survivor"."""
    low = tok.base
    return tok.kind == WORD and not tok.cap and low.isalpha() and low not in _PHRASE_STOP


def _is_acronym(tok: Token) -> bool:
    """An acronym or a one-word gloss in brackets after a name: "(IOM)", "(Burma)"."""
    return tok.kind == WORD and tok.cap


def _speaks(tokens: list[Token], first: int, end: int) -> bool:
    """Whether the words can be a speaker: not only determiners, pronouns, quantifiers or a
    place noun ("the country", "its", "All")."""
    words = [
        tokens[k].base
        for k in range(first, end)
        if tokens[k].kind == WORD and tokens[k].low not in DETERMINERS
    ]
    if not words:
        return False
    if len(words) == 1 and (words[0] in _PLACE_NOUNS or words[0] in _PRONOUNS):
        return False
    return words[0] not in CAP_STOP or tokens[first].low in DETERMINERS


def _backward_phrase(
    tokens: list[Token], stop: int, masked: set[int] | frozenset[int]
) -> tuple[int, int] | None:
    """The noun phrase that ends just before tokens[stop]."""
    j = stop - 1
    paren_end = -1
    if j >= 3 and tokens[j].text == ")":
        # "the Sudan Doctors Network (SDN) said", "(Africa CDC)": the acronym travels with
        # the name.
        o = j - 1
        while o > j - 5 and o > 0 and _is_acronym(tokens[o]):
            o -= 1
        if o < j - 1 and tokens[o].text == "(":
            paren_end = j + 1
            j = o - 1
    end = j + 1
    first = _phrase_start(tokens, j, end, masked)
    for _ in range(2):
        # "an interior ministry official in eastern Libya told", "the health ministry in the
        # Hamas-run territory said": where the speaker works is part of the phrase.
        m = first - 1
        while m > first - 3 and m >= 0 and _open_word(tokens[m]):
            m -= 1
        if not (
            m >= 1
            and first <= j
            and (tokens[first].cap or tokens[first].low == "the")
            and tokens[m].low in {"in", "at"}
            and tokens[m - 1].base in SOURCE_WORDS
            and m not in masked
            and m - 1 not in masked
        ):
            break
        first = _phrase_start(tokens, m - 1, end, masked)
    first, end = _trim(tokens, first, end)
    if not _has_content(tokens, first, end) or not _speaks(tokens, first, end):
        return None
    if paren_end > 0:
        end = paren_end
    return first, end


def _joins_sources(tokens: list[Token], k: int) -> bool:
    """Whether the "and" at k joins two names or two sources: "Human Rights Watch and Amnesty
    International", "police and hospital officials", "The World Bank and the government";
    but not "killed and officials" or "Gaza and the ministry"."""
    if k == 0 or k + 1 >= len(tokens):
        return False
    left, right = tokens[k - 1], tokens[k + 1]
    if right.low == "the" and k + 2 < len(tokens):
        right = tokens[k + 2]
    left_source = left.base in SOURCE_WORDS
    right_source = right.base in SOURCE_WORDS or right.cap
    if not right_source:
        return False
    if left_source:
        return True
    if not left.cap:
        return False
    # Before "the", one capitalised word may be a place ("Gaza and the ministry"): only an
    # acronym or a longer name stands for a source there.
    return tokens[k + 1].cap or _is_upper_acronym(left) or (k >= 2 and tokens[k - 2].cap)


def _is_upper_acronym(tok: Token) -> bool:
    return tok.kind == WORD and sum(ch.isupper() for ch in tok.text) >= 2


def _phrase_start(tokens: list[Token], j: int, end: int, masked: set[int] | frozenset[int]) -> int:
    """Where the phrase ending at tokens[j] starts: j + 1 when there is none."""
    k = j
    while k >= 0 and k > end - 14 and k not in masked and _name_token(tokens, k):
        if tokens[k].low == "and" and not _joins_sources(tokens, k):
            break
        k -= 1
    first = k + 1
    if k < 0 or k in masked:
        return first
    if (
        first <= j
        and not tokens[first].cap
        and (tokens[k].kind == NUM or tokens[k].low in _COUNT_WORDS)
    ):
        # "two aid workers said", "three security officials told AFP"
        return k
    if first <= j and tokens[first].low in DETERMINERS:
        return first
    # Without capitals or a source noun, a determiner marks where the phrase starts:
    # "the airline said", "a survivor told", "the carrier's chief executive said".
    m = k
    opens = 0
    while m >= 0 and m not in masked and opens <= 3:
        tok = tokens[m]
        if (tok.low in DETERMINERS or is_possessive(tok.low)) and tok.kind == WORD:
            # "Chile's interior undersecretary": a possessive determines the phrase too.
            return m if opens else first
        if _open_word(tok):
            opens += 1
        elif tok.text in "-–." and not tok.gap:
            pass
        elif not (tok.cap and tok.base not in CAP_STOP):
            break
        m -= 1
    return first


def _forward_phrase(
    tokens: list[Token], i: int, masked: set[int] | frozenset[int], open_words: bool = True
) -> tuple[int, int] | None:
    """The noun phrase that starts at tokens[i]; after a determiner it may take a few words
    that are no source nouns ("the airline") unless `open_words` is off."""
    n = len(tokens)
    counted = -1
    if i + 1 < n and (tokens[i].low in _COUNT_WORDS or tokens[i].kind == NUM):
        # "citing two security sources"
        counted = i
        i += 1
    det = open_words and i < n and tokens[i].low in DETERMINERS
    if i < n and tokens[i].low in {"a", "an"}:
        i += 1
    k = i + 1 if i < n and tokens[i].low in DETERMINERS else i
    opens = 0
    while k < n and k - i < 14 and k not in masked:
        tok = tokens[k]
        if _name_token(tokens, k):
            if tok.low == "and" and not _joins_sources(tokens, k):
                break
        elif det and opens < 3 and _open_word(tok):
            opens += 1
        else:
            break
        k += 1
    first, end = _trim(tokens, i, k)
    if not _has_content(tokens, first, end) or not _speaks(tokens, first, end):
        return None
    if counted >= 0 and first == counted + 1:
        first = counted
    if end + 2 < n and tokens[end].text == "(":
        c = end + 1
        while c < n and c < end + 5 and _is_acronym(tokens[c]):
            c += 1
        if c > end + 1 and c < n and tokens[c].text == ")":
            end = c + 1
    return first, end


def _person_name(tokens: list[Token], a: int, b: int) -> tuple[int, int] | None:
    """A name with any title filling tokens[a:b]: "Bayram Kaya", "Maj. Gen. Yahya Rasool"."""
    if b - a < 2 or b - a > 8 or not tokens[a].cap or tokens[a].base in CAP_STOP:
        return None
    caps = 0
    for k in range(a, b):
        tok = tokens[k]
        if tok.cap:
            caps += 1
        elif not (_name_token(tokens, k) and tok.low not in SOURCE_WORDS):
            return None
    return (a, b) if caps >= 2 else None


def _role_for(
    tokens: list[Token],
    a: int,
    b: int,
    masked: set[int] | frozenset[int],
    roles: frozenset[str] = ROLE_NOUNS,
) -> tuple[int, int] | None:
    """The body in "a spokesman for the Red Crescent" spanning tokens[a:b], or None."""
    k = a
    if k < b and tokens[k].low in DETERMINERS:
        k += 1
    limit = k + 5 if k + 5 < b else b
    while k < limit and not (
        tokens[k].base in roles
        and not tokens[k].cap
        and k + 1 < b
        and tokens[k + 1].low in {"for", "of", "at", "with"}
    ):
        if tokens[k].kind != WORD and tokens[k].text not in "-–":
            return None
        k += 1
    if k >= limit:
        return None
    body = _forward_phrase(tokens, k + 2, masked)
    if body is None or body[1] > b:
        return None
    return body


def _clause_end(tokens: list[Token], a: int) -> int:
    """The comma or stop that closes an apposition starting at tokens[a]."""
    k = a
    while k < len(tokens) and k - a < 30 and tokens[k].text not in {",", ".", ";", "(", ")"}:
        k += 1
    if k < len(tokens) and tokens[k].text == "." and k > 0:
        # An abbreviation's full stop does not close the clause.
        prev = tokens[k - 1].low
        if (len(prev) == 1 or prev in _TITLES) and not tokens[k].gap:
            return _clause_end(tokens, k + 1)
    return k


def _with_role(
    tokens: list[Token], first: int, end: int, masked: set[int] | frozenset[int]
) -> _Phrase:
    """Keep "a spokesperson for the WFP" whole, article and all: the words as written, which
    `resolve_source` reads as the WFP."""
    start = first - 1 if first > 0 and tokens[first - 1].low in {"a", "an"} else first
    body = _role_for(tokens, start, end, masked)
    if body is not None and body[1] == end:
        return _phrase(start, end, start, end)
    return _phrase(first, end, first, end)


def _backward(tokens: list[Token], v: int, masked: set[int] | frozenset[int]) -> _Phrase | None:
    """The source phrase ending just before the verb at v, or None."""
    j = v - 1
    while j >= 0 and (tokens[j].low in _SKIP_BEFORE_VERB or j in masked):
        j -= 1
    if j < 0:
        return None
    if tokens[j].text != ",":
        found = _backward_phrase(tokens, j + 1, masked)
        if found is None:
            return _before_relative(tokens, j, masked)
        subject = _relative_subject(tokens, found[0], masked)
        if subject is not None:
            return _phrase(subject[0], found[1], subject[0], subject[1])
        return _with_role(tokens, found[0], found[1], masked)
    # "The Observatory, which has documented the war since 2011, said": step over the
    # clause to the name before it. "Adel Hamdan, a spokesman for the Red Crescent, said":
    # the body he speaks for. "the UN's aid chief, Martin Griffiths, said": the name.
    c = j - 1
    limit = max(-1, j - 40)
    while c > limit and tokens[c].text != ",":
        c -= 1
    if c <= limit or c + 1 >= j:
        return None
    before = _backward_phrase(tokens, c, masked)
    name = _person_name(tokens, c + 1, j)
    if name is None and c + 2 == j and _is_upper_acronym(tokens[c + 1]) and before is not None:
        # "the U.N. agency for Palestinian refugees, UNRWA, said"
        name = (c + 1, j)
    if name is not None:
        return _phrase(before[0] if before else name[0], j, name[0], name[1])
    aged = c + 2 == j and tokens[c + 1].kind == NUM
    opener = tokens[c + 1]
    if (
        not aged
        and opener.low not in _APPOSITION_OPENERS
        and not (not opener.cap and opener.base in ROLE_NOUNS)
        and not (not opener.cap and opener.low.endswith("ing"))
    ):
        # "Erdogan, visiting the hard-hit city, acknowledged" steps over the participle.
        # "Hussein Ali, 45, told AFP" steps over the age.
        return None
    if before is None:
        return None
    body = _role_for(tokens, c + 1, j, masked, _MOUTHPIECES)
    if body is not None:
        return _phrase(before[0], j, body[0], body[1])
    return _phrase(before[0], before[1], before[0], before[1])


def _clause_subject(
    tokens: list[Token], v: int, masked: set[int] | frozenset[int]
) -> _Phrase | None:
    """The subject at the head of the clause whose second verb is at v."""
    start = v - 1
    while start > 0 and tokens[start - 1].text not in {",", ";", ":", '"', "“", "”"}:
        start -= 1
    if v - start > 25:
        return None
    found = _forward_phrase(tokens, start, masked, open_words=False)
    if found is None or found[1] >= v - 2:
        return None
    after = tokens[found[1]]
    if after.kind != WORD or after.cap or after.low in _PHRASE_STOP - SAY_VERBS:
        return None
    return _phrase(found[0], found[1], found[0], found[1])


def _relative_subject(
    tokens: list[Token], first: int, masked: set[int] | frozenset[int]
) -> tuple[int, int] | None:
    """ "the company that runs the mine said": the phrase before the relative clause whose
    object ends before the verb."""
    m = first - 1
    while (
        m >= 0
        and m > first - 4
        and tokens[m].kind == WORD
        and tokens[m].low
        not in (
            "that",
            "which",
            "who",
        )
    ):
        if tokens[m].cap or tokens[m].low in SAY_VERBS:
            return None
        m -= 1
    if m < 1 or m == first - 1 or tokens[m].low not in {"that", "which", "who"}:
        return None
    return _backward_phrase(tokens, m, masked)


def _before_relative(
    tokens: list[Token], j: int, masked: set[int] | frozenset[int]
) -> _Phrase | None:
    """The phrase before "who": "A police officer who spoke on condition of anonymity said"."""
    for w in range(j, max(0, j - 12), -1):
        low = tokens[w].low
        if low in {",", ".", ";", "that"} or low in SAY_VERBS:
            return None
        if low == "who":
            found = _backward_phrase(tokens, w, masked)
            if found is None:
                return None
            return _phrase(found[0], j + 1, found[0], found[1])
    return None


def _forward(tokens: list[Token], i: int, masked: set[int] | frozenset[int]) -> _Phrase | None:
    """The source phrase starting at tokens[i], with any apposition after it, or None."""
    found = _forward_phrase(tokens, i, masked)
    if found is None:
        return None
    phrase = _with_role(tokens, found[0], found[1], masked)
    end = found[1]
    if end < len(tokens) and tokens[end].text == "," and phrase.name_first == found[0]:
        close = _clause_end(tokens, end + 1)
        body = _role_for(tokens, end + 1, close, masked, _MOUTHPIECES)
        if body is not None and tokens[found[0]].cap:
            # "said Maria Lopez, a spokeswoman for the civil defence agency"
            return _phrase(found[0], close, body[0], body[1])
        name = _person_name(tokens, end + 1, close)
        if name is not None and not tokens[end - 1].cap:
            # "according to a local official, Bayram Kaya"
            return _phrase(found[0], close, name[0], name[1])
    return phrase


def _after_document(tokens: list[Token], i: int) -> int:
    """Skip "figures from", "a tally by", "the latest count of" to the source itself."""
    n = len(tokens)
    k = i
    while k < n and k - i < 5 and tokens[k].low in _DOCUMENT_NOUNS:
        k += 1
    if k > i and k + 1 < n and tokens[k].low == "on" and tokens[k + 1].low in _SETTING_NOUNS:
        # "according to a post on X by the ministry"
        k += 2
    if (
        k > i
        and k < n
        and (tokens[k].low in {"from", "by", "of"} or tokens[k].low in _BY_PARTICIPLES)
    ):
        k += 1
        if k < n and tokens[k].low == "by":
            k += 1
        return k
    return i


def _without_document(tokens: list[Token], first: int, end: int) -> tuple[int, int]:
    """Who made the document: "a Reuters tally" -> "Reuters", "the ministry's figures" -> "the
    ministry", "an AFP tally based on official sources" -> "AFP"."""
    for k in range(first + 1, end - 1):
        if tokens[k].base in _TRAILING_DOCUMENTS and not tokens[k].cap and tokens[k - 1].cap:
            end = k + 1
            break
    last = end
    while last - first > 1 and not tokens[last - 1].cap:
        if tokens[last - 1].base not in _TRAILING_DOCUMENTS:
            break
        last -= 1
    if last == end:
        return first, end
    start, stop = _trim(tokens, first, last)
    if not _has_content(tokens, start, stop):
        return first, end
    if tokens[start].low in {"a", "an"}:
        start += 1
    # "a preliminary U.N. investigation" -> "U.N.": the maker's name, not the document's.
    named = next((k for k in range(start, stop) if tokens[k].cap), None)
    if named is not None and all(
        tokens[k].kind == WORD and not is_possessive(tokens[k].low) for k in range(start, named)
    ):
        start = named
    return start, stop


def _setting_end(tokens: list[Token], v: int) -> int:
    """The end of "told reporters in Lviv", "said in a televised address", "posted on X"."""
    n = len(tokens)
    k = v + 1
    spoke = False
    if tokens[v].low in {"told", "tells"}:
        start = k
        while (
            k < n
            and k - start < 6
            and (
                tokens[k].cap
                or tokens[k].low in _SETTING_NOUNS
                or tokens[k].low in {"the", "a", "an", "news", "press", "state", "agency"}
                or (tokens[k].text == "." and not tokens[k].gap)
            )
        ):
            k += 1
        spoke = k > start
    for _ in range(3):
        if k >= n or tokens[k].low not in _SETTING_PREPOSITIONS:
            break
        m = k + 1
        while m < n and m - k <= 5 and tokens[m].kind == WORD:
            if tokens[m].low in _SETTING_NOUNS:
                break
            if tokens[m].low in _SETTING_PREPOSITIONS or tokens[m].low in {"that", "and"}:
                m = n
                break
            m += 1
        if m < n and tokens[m].kind == WORD and tokens[m].low in _SETTING_NOUNS:
            k = m + 1
            spoke = True
            continue
        if spoke and tokens[k].low in {"in", "at", "from"} and k + 1 < n and tokens[k + 1].cap:
            # "told reporters in Lviv": where the speaker spoke.
            k += 1
            while k < n and (tokens[k].cap or tokens[k].text in "-–"):
                k += 1
            continue
        break
    return k


def _text(text: str, tokens: list[Token], first: int, end: int) -> str:
    words = text[tokens[first].start : tokens[end - 1].end]
    if tokens[end - 1].low.endswith(POSSESSIVE_ENDS):
        words = words[:-2]
    return words


def _attribution(text: str, tokens: list[Token], phrase: _Phrase, verb: int) -> Attribution:
    return _attribution_of(
        _text(text, tokens, phrase.name_first, phrase.name_end),
        phrase.first,
        phrase.end,
        verb,
        True,
        setting_end=_setting_end(tokens, verb) if tokens[verb].low in SAY_VERBS else -1,
    )


def _introduced(
    tokens: list[Token], start: int, masked: set[int] | frozenset[int]
) -> _Phrase | None:
    """The source after "according to", "per", "citing": documents read as their maker."""
    phrase = _forward(tokens, start, masked)
    if phrase is None:
        return None
    if phrase.name_first == phrase.first and phrase.name_end == phrase.end:
        first, end = _without_document(tokens, phrase.first, phrase.end)
        return _phrase(phrase.first, phrase.end, first, end)
    return phrase


def find_attribution(
    tokens: list[Token], text: str, masked: set[int] | frozenset[int] = frozenset()
) -> Attribution | None:
    """The attribution of the sentence, or None.

    The first one, unless it reports an act ("Sudan declared an outbreak after 22 deaths",
    "India reported 4,529 deaths") and the sentence ends on another ("..., the health
    minister said"): that one speaks for the whole sentence."""
    first: Attribution | None = None
    pronoun: Attribution | None = None
    last_figure = -1
    for found in _candidates(tokens, text, masked):
        if found.pronoun:
            pronoun = pronoun or found
            continue
        if first is None:
            first = found
            if tokens[found.verb].low in _SPEECH_WORDS:
                return first
            last_figure = max(
                (k for k, t in enumerate(tokens) if t.kind == NUM and k not in masked),
                default=-1,
            )
            continue
        if _trailing(tokens, found, last_figure):
            return found
    return first or pronoun


# Words that attribute speech, not an act: an attribution with one of them is never
# overruled by a later one.
_SPEECH_WORDS = frozenset(
    word_list(
        "said says say told tells according citing per quoting wrote writes posted tweeted "
        "stated states added adds"
    )
)
# Verbs of an act that are reporting verbs only with a toll as object: "the ministry revised
# the death toll to 253".
_REVISION_VERBS = frozenset(
    word_list("revised revises raised raises lowered lowers updated updates put puts gave gives")
)
_TOLL_NOUNS = frozenset(word_list("toll tolls figure figures count tally number estimate"))


def _trailing(tokens: list[Token], found: Attribution, last_figure: int) -> bool:
    """Whether the attribution closes the sentence: set off by a comma, with no figure after
    it (`last_figure` is the index of the sentence's last figure): ", President Joe Biden
    said on Thursday."."""
    start = min(found.first, found.verb)
    if start == 0 or tokens[start - 1].text != ",":
        return False
    return last_figure < found.verb


# Every word an attribution can hang on; the scan below passes over any other word at once.
_CUE_WORDS = (
    SAY_VERBS
    | _FINDING_VERBS
    | _REVISION_VERBS
    | frozenset(word_list("according citing per quoting by"))
)


def _candidates(
    tokens: list[Token], text: str, masked: set[int] | frozenset[int]
) -> Iterator[Attribution]:
    """Every attribution in the tokens, in order; a pronoun gives one without words."""
    n = len(tokens)
    # Only cue words can open an attribution: one pass picks them out.
    for v in [v for v, t in enumerate(tokens) if t.low in _CUE_WORDS and t.kind == WORD]:
        tok = tokens[v]
        low = tok.low
        if low == "according" and v + 1 < n and tokens[v + 1].low == "to":
            phrase = _introduced(tokens, _after_document(tokens, v + 2), masked)
            if phrase is not None:
                yield _attribution(text, tokens, phrase, v)
            continue
        if low in {"citing", "per", "quoting"} and v + 1 < n:
            nxt = tokens[v + 1]
            if low == "per" and (nxt.low in _PER_NOT_SOURCE or nxt.kind == NUM):
                continue
            phrase = _introduced(tokens, _after_document(tokens, v + 1), masked)
            if phrase is not None:
                yield _attribution(text, tokens, phrase, v)
            continue
        if tok.cap and v > 0:
            # "The United States has recorded": a verb's spelling inside a name.
            continue
        if low in SAY_VERBS and _cites_later(tokens, v):
            # "the agency reported, citing the health ministry": the ministry is the source.
            continue
        if low == "by" and v > 0 and tokens[v - 1].low in _BY_PARTICIPLES:
            phrase = _forward(tokens, v + 1, masked)
            if phrase is not None:
                yield _attribution(text, tokens, phrase, v)
            continue
        if low in _FINDING_VERBS and v not in masked:
            made = _document_maker(tokens, v, masked)
            if made is not None:
                yield _attribution(text, tokens, made, v)
                continue
        if low in _REVISION_VERBS and v not in masked:
            if any(t.base in _TOLL_NOUNS for t in tokens[v + 1 : v + 5]):
                phrase = _backward(tokens, v, masked)
                # "The report put the toll at 40": a document that no one made.
                if (
                    phrase is not None
                    and tokens[phrase.name_end - 1].base not in _TRAILING_DOCUMENTS
                ):
                    yield _attribution(text, tokens, phrase, v)
            continue
        if low not in SAY_VERBS or v in masked:
            continue
        if v + 1 < n and (low, tokens[v + 1].low) in _ACTS:
            # "the group claimed responsibility", "Uganda declared an outbreak": an act, not
            # a report of a count.
            continue
        # "were reported", "has been confirmed": passives have no speaker here.
        if v > 0 and tokens[v - 1].low in {"were", "was", "been", "be", "being", "is", "are"}:
            continue
        prev = tokens[v - 1] if v > 0 else None
        if prev is not None and is_possessive(prev.low):
            # "the government's confirmed death toll": a participle, not a verb.
            continue
        if prev is not None and prev.low == "and":
            # "The government blames the unrest on foreign enemies and says ...": the
            # subject of the clause.
            phrase = _clause_subject(tokens, v, masked)
            if phrase is not None:
                yield _attribution(text, tokens, phrase, v)
            continue
        if prev is not None and prev.low in _PRONOUNS:
            yield _attribution_of(
                "", v, v, v, True, pronoun=prev.low, setting_end=_setting_end(tokens, v)
            )
            continue
        phrase = _backward(tokens, v, masked)
        if phrase is not None and not (
            low in _WEAK_VERBS
            and not _plural_or_named(tokens, phrase.name_first, phrase.name_end)
            and not _reports_a_figure(tokens, v)
        ):
            yield _attribution(text, tokens, phrase, v)
            continue
        if (
            (prev is None or prev.text in {",", '"', "”", "'", "’"} or phrase is None)
            and low not in {"told", "tells"}
            and v + 1 < n
            and tokens[v + 1].low not in {"that", "on", "in", "it"}
        ):
            # "..., said the Observatory": the speaker after the verb; "said a statement from
            # the army": whoever made the statement.
            phrase = _forward(tokens, _after_document(tokens, v + 1), masked)
            if phrase is not None:
                yield _attribution(text, tokens, phrase, v)


_ACTS = frozenset(
    (verb, obj)
    for verb in word_list("claimed claims claim declared declares declare")
    for obj in word_list("responsibility credit a an")
    if not (verb.startswith("claim") and obj in {"a", "an"})
)
_BY_PARTICIPLES = frozenset(
    word_list(
        "reported compiled released documented published provided issued confirmed recorded "
        "counted commissioned conducted prepared collected gathered"
    )
)


def _document_maker(
    tokens: list[Token], v: int, masked: set[int] | frozenset[int]
) -> _Phrase | None:
    """Who made the document that is the subject of "found" or "showed": "a Reuters tally
    found" -> Reuters; "a tally by AFP showed" -> AFP; "the tally showed" -> nobody."""
    found = _backward_phrase(tokens, v, masked)
    if found is None:
        return None
    first, end = found
    if (
        first >= 2
        and tokens[first - 1].low in {"by", "from", "of"}
        and tokens[first - 2].base in _TRAILING_DOCUMENTS
    ):
        return _phrase(first, end, first, end)
    if tokens[end - 1].base not in _TRAILING_DOCUMENTS:
        return None
    name = _without_document(tokens, first, end)
    if name == (first, end):
        return None
    return _phrase(first, end, name[0], name[1])


def _cites_later(tokens: list[Token], v: int) -> bool:
    n = len(tokens)
    return has_word(tokens, v + 1, v + 4 if v + 4 < n else n, ("citing", "quoting"))


def _reports_a_figure(tokens: list[Token], v: int) -> bool:
    """ "the ministry reports 40 deaths", "the agency estimates that": the word is a verb."""
    if v + 1 >= len(tokens):
        return False
    nxt = tokens[v + 1]
    return nxt.kind == NUM or nxt.low in _FIGURE_OPENERS


_FIGURE_OPENERS = frozenset(
    word_list("that at more some about nearly almost around over up fewer as between dozens")
)


def _plural_or_named(tokens: list[Token], first: int, end: int) -> bool:
    last = tokens[end - 1]
    return last.cap or last.low.endswith("s") or last.text == ")"
