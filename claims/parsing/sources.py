"""Which source the words of an attribution name: the register of known sources, keyed by
`normalise_name`, matched exactly first (the words, the body a spokesman speaks for, a
bracketed acronym, the names inside an outlet's description) and fuzzily on what is left;
and whether the words only point back to a source named earlier ("the group said").

attribution.py finds the words; this module decides who they are. The lexicons of source
names live here, so that the grammar and the resolver read a name by the same words.
"""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz, process

from claims.parsing.tokens import base_word, fold, word_list
from claims.parsing.types import KnownSource, SourceMatch, maker

FUZZY_THRESHOLD = 88.0
SOURCE_WORDS = frozenset(
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
        "secretary refugee refugees affairs foreign "
        "broadcaster broadcasters newspaper newspapers daily weekly website site web channel "
        "outlet outlets radio wire station magazine portal newswire press reporters "
        "journalists correspondent commander commanders leader leaders coroner survivors "
        "survivor relatives villagers nurses medic paramedic surgeon physicians "
        "firefighters firefighter fire brigade gendarmerie militia spokespersons "
        "deputy assistant senior top chairman chairwoman chair ombudsman prefect governorate "
        "meteorological weather geological seismological survey authority's "
        "prosecutors prosecutor's judiciary court tribunal prefecture prefectural county "
        "investigation inquiry assessment audit study survey analysis review "
        "municipality canton oblast"
    )
)
CONNECTORS = frozenset({"of", "for", "the", "de", "al", "el", "du", "des", "on", "and", "&"})
DETERMINERS = frozenset(word_list("the a an its their his her this that"))
# Nouns for the one who speaks for a body: "a spokesman for the Red Crescent".
ROLE_NOUNS = frozenset(
    word_list(
        "spokesman spokeswoman spokesperson spokespeople spokesmen official officials "
        "representative representatives director head chief officer commander coordinator "
        "adviser advisor aide secretary manager member members chairman chairwoman "
        "president leader envoy"
    )
)
# Capitalised words that open a sentence or clause rather than a name.
CAP_STOP = frozenset(
    word_list(
        "but and however meanwhile yet so also in on at earlier later separately elsewhere "
        "still now when while as after before since although though if then that this these "
        "those there it he she they we i you his her their its our a an some many most "
        "according citing per more than about nearly at least over up to only monday tuesday "
        "wednesday thursday friday saturday sunday today yesterday last this several all both "
        "each few other others none half dozens hundreds thousands no every another"
    )
)
# Words that stand for a source already named: "it said", "the group said", "its statement".
_BACK_PRONOUNS = frozenset(word_list("it they he she we them"))
_BACK_DETERMINERS = frozenset(word_list("the this that these those its their his her whose"))
# Head nouns that name a kind of source, not one source: "the group", "the agency". Nouns that
# copy uses for a first mention as well are left out: "the government", "the authorities",
# "the governor" and "the police" of the place the story is about are sources of their own.
_GENERIC_HEADS = frozenset(
    word_list(
        "group groups agency agencies ministry ministries organisation organization "
        "organisations organizations monitor monitors office military army armies body bodies "
        "statement statements report reports tally count figures data update bulletin "
        "spokesman spokeswoman spokesperson spokespeople spokesmen official officials "
        "watchdog charity movement militia coalition alliance command committee commission "
        "mission observer observers outlet newspaper paper channel broadcaster network station "
        "website site daily source sources unit team authority guard"
    )
)
# Descriptive words that leave the noun generic: "the rights group", "the aid agency". Words
# that pick one body out are not among them: "the state news agency", "the official agency".
_GENERIC_MODIFIERS = frozenset(
    word_list(
        "rights aid relief humanitarian charity monitoring militant armed rebel insurgent "
        "opposition news wire international independent same new latest earlier other war "
        "medical watchdog advocacy campaign campaigning coast border"
    )
)
# Umbrella bodies whose name before a generic noun still picks no single source: "the UN
# agency" could be any of a dozen agencies, so it points back to the one the story named;
# "the UN refugee agency" is one agency.
_UMBRELLA_NAMES = frozenset(word_list("un u.n. united nations eu e.u. au"))


def is_back_reference(source_text: str) -> bool:
    """Whether the words only point back to a source named earlier in the story.

    True for pronouns ("it", "they") and for a determiner with a generic noun ("the group",
    "the agency", "its statement", "the rights group", "the Britain-based monitor", "the UN
    agency"). False for words that name a source ("the Observatory", "the Syrian army", "the
    health ministry", "the regional governor"): a capitalised or specifying modifier makes the
    words resolvable on their own. One who speaks for a body is read as the body: "a
    spokesman for the group" points back, "a spokesman for the Red Cross" does not.
    """
    words = fold(source_text).split()
    if not words:
        return False
    if len(words) == 1:
        return words[0] in _BACK_PRONOUNS
    if " ".join(words) in {"the latter", "the former"}:
        return True
    role = _ROLE_RE.match(normalise_name(source_text))
    if role is not None:
        # "a spokesman for the group" speaks for the group.
        return is_back_reference(role.group(1))
    if words[0] not in _BACK_DETERMINERS:
        return False
    head = base_word(words[-1])
    if head not in _GENERIC_HEADS:
        return False
    modifiers = words[1:-1]
    umbrella = any(w in _UMBRELLA_NAMES for w in modifiers)
    for word in modifiers:
        if word in _UMBRELLA_NAMES:
            continue
        if umbrella:
            return False
        if word in _GENERIC_MODIFIERS or word.endswith(("-based", "-run", "-backed")):
            continue
        return False
    return True


def normalise_name(name: str) -> str:
    """The key two names are compared by: folded, without a leading article, punctuation or
    a bracketed gloss ("the IOM (UN migration agency)" -> "iom")."""
    key = _PAREN_RE.sub(" ", fold(name))
    key = "".join(ch if ch.isalnum() or ch == " " else " " for ch in key.replace("'s ", " "))
    key = " ".join(key.split())
    for article in ("the ", "a ", "an "):
        if key.startswith(article):
            key = key[len(article) :]
    return key


_PAREN_RE = re.compile(r"\([^()]*\)")
_ROLE_RE = re.compile(
    r"^(?:[\w-]+ ){0,3}?(?:" + "|".join(sorted(ROLE_NOUNS)) + r") (?:for|of|at|with) (.+)$"
)
# Words for the kind of outlet after its name: "the Al-Watan Web site", "Al-Mayadeen TV".
_OUTLET_TAILS = frozenset(
    word_list("web site website tv television channel newspaper daily radio network portal")
)


class _SourceIndex:
    """The register keyed for lookups, and the answers already given for it."""

    def __init__(self, sources: tuple[KnownSource, ...]) -> None:
        self.sources = sources
        self.exact: dict[str, KnownSource] = {}
        self.names: list[str] = []
        self.owners: list[KnownSource] = []
        for s in sources:
            for name in (s.name, *s.aliases):
                key = normalise_name(name)
                if not key:
                    continue
                self.exact.setdefault(key, s)
                self.names.append(key)
                self.owners.append(s)
        # Which names hold a word, so that a large register is matched only against the
        # names that share a word with the words in copy.
        self.by_word: dict[str, list[int]] = {}
        for k, key in enumerate(self.names):
            for word in set(key.split()):
                if word not in CONNECTORS:
                    self.by_word.setdefault(word, []).append(k)
        # A story names its sources again and again: each is matched once.
        self.answers: dict[str, tuple[int | None, str | None, float]] = {}


@functools.lru_cache(maxsize=8)
def _built_index(sources: tuple[KnownSource, ...]) -> _SourceIndex:
    return _SourceIndex(sources)


_RECENT: dict[int, _SourceIndex] = {}


def _source_index(sources: tuple[KnownSource, ...]) -> _SourceIndex:
    # Hashing a large register costs more than a lookup, and the caller passes the same
    # tuple for a whole story or request: find it by identity first.
    index = _RECENT.get(id(sources))
    if index is not None and index.sources is sources:
        return index
    index = _built_index(sources)
    if len(_RECENT) >= 8:
        _RECENT.clear()
    _RECENT[id(sources)] = index
    return index


def _capitalised_runs(source_text: str) -> list[str]:
    """The names inside descriptive words, without an outlet's kind: "state news agency SANA"
    -> "SANA"; "the pro-government Al-Watan Web site" -> "Al-Watan". A possessive is the owner,
    not the name: "Ukraine's air force" gives nothing."""
    runs: list[str] = []
    current: list[str] = []

    def close() -> None:
        while current and fold(current[-1]) in _OUTLET_TAILS:
            current.pop()
        while current and (fold(current[0]) in CAP_STOP or fold(current[0]) == "the"):
            current.pop(0)
        if current:
            runs.append(" ".join(current))
        current.clear()

    for word in _PAREN_RE.sub(" ", source_text).split():
        bare = word.strip(',.;:"')
        if bare.endswith(("'s", "’s", "'", "’")):
            current.clear()
            continue
        if bare and (bare[0].isupper() or any(p[:1].isupper() for p in bare.split("-")[1:])):
            current.append(bare)
        else:
            close()
    close()
    return runs


def _keys(source_text: str, key: str) -> list[str]:
    """The register keys the words may name, most literal first."""
    keys = [key]
    role = _ROLE_RE.match(key)
    if role is not None:
        keys.append(normalise_name(role.group(1)))
    keys.extend(normalise_name(m.group()[1:-1]) for m in _PAREN_RE.finditer(source_text))
    keys.extend(normalise_name(run) for run in _capitalised_runs(source_text))
    return [k for k in keys if k]


# SourceMatch(...) without type.__call__ (see types.maker): one an attribution read.
_source_match = maker(SourceMatch)


def resolve_source(source_text: str, sources: tuple[KnownSource, ...]) -> SourceMatch | None:
    """The KnownSource behind the words, or an unresolved match carrying the words.

    Exact aliases first: the words, the body a spokesman speaks for, a bracketed acronym,
    the names inside an outlet's description. Fuzzy matching only on what is left."""
    if not source_text:
        return None
    index = _source_index(sources)
    answer = index.answers.get(source_text)
    if answer is None:
        answer = _match(source_text, index)
        if len(index.answers) >= 4096:
            index.answers.clear()
        index.answers[source_text] = answer
    return _source_match(answer[0], answer[1], source_text, answer[2])


def _match(source_text: str, index: _SourceIndex) -> tuple[int | None, str | None, float]:
    key = normalise_name(source_text)
    keys = _keys(source_text, key)
    for candidate in keys:
        hit = index.exact.get(candidate)
        if hit is not None:
            return hit.id, hit.name, 100.0
    core = keys[1] if len(keys) > 1 and _ROLE_RE.match(key) else key
    if len(core) < 4 or not index.names or not _distinctive(core):
        return None, None, 0.0
    choices: dict[int, str] | list[str] = index.names
    if len(index.names) > _SCAN_ALL:
        shared = {
            k
            for word in core.split()
            if word not in SOURCE_WORDS
            for k in index.by_word.get(word, ())
        }
        choices = {k: index.names[k] for k in shared}
    for name, score, k in process.extract(
        core, choices, scorer=fuzz.WRatio, score_cutoff=FUZZY_THRESHOLD, limit=5
    ):
        # A name much shorter or longer than the other is another body that shares a word:
        # "activists" is not the "Human Rights Activists News Agency".
        if min(len(name), len(core)) >= 0.45 * max(len(name), len(core)):
            owner = index.owners[k]
            return owner.id, owner.name, float(score)
    return None, None, 0.0


# Up to this many names, a fuzzy match looks at every one (about a millisecond); beyond it,
# only at the names that share a word with the words in copy, other than a source noun.
_SCAN_ALL = 1500


def _distinctive(key: str) -> bool:
    """Whether the words hold more than source nouns: "the charity" or "the health ministry"
    could be any charity or ministry, so only an exact alias resolves them."""
    return any(
        w not in SOURCE_WORDS and w not in CONNECTORS and w not in DETERMINERS for w in key.split()
    )
