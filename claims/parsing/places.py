"""Places: which places a sentence names or describes, and which of them is where the counted
thing happened, told from where it was said, where people fled and who fought. The names
themselves come from the gazetteer (gazetteer.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from operator import attrgetter

from rapidfuzz.distance import Levenshtein

from claims.parsing.attribution import SAY_VERBS, Attribution
from claims.parsing.events import EVENT_OPENERS, event_at
from claims.parsing.gazetteer import (
    ARABIC_ARTICLES,
    COMMON_WORDS,
    REGION_NOUNS,
    Gazetteer,
    GeoEntry,
    KnownIndex,
    capital_of,
    choose_entry,
    country_entry,
    known_index,
    largest_cities,
    load_gazetteer,
    lookup,
    place_fold,
    regions_of,
    skeleton,
    starts_some,
    word_fold,
)
from claims.parsing.tokens import (
    NUM,
    POSSESSIVE_ENDS,
    PUNCT,
    WORD,
    Token,
    base_word,
    has_word,
    is_possessive,
    word_list,
    words_of,
)
from claims.parsing.types import ParseContext, PlaceMatch, evolve, maker

INFERRED_CONFIDENCE = 0.6
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
# "since Russia invaded Ukraine", "strikes hit Kharkiv": the place after these took the blow.
_TARGET_WORDS = frozenset(
    word_list(
        "invaded invade invades invading attacked bombed shelled struck hit raided stormed "
        "besieged captured seized overran targeted pounded rocked devastated flattened "
        "ravaged swept battered entered entering reached reaching"
    )
)
# "Russia invaded", "Israel struck": a country before these is a party, not a place.
_ACTOR_VERBS = frozenset(
    word_list(
        "invaded invade invades attacked attacks attack bombed bombs shelled shells struck "
        "strikes launched launches fired fires pounded targeted targets killed kills "
        "deployed sent retaliated launched waged wages deported abducted executed"
    )
)
# "Russia's invasion", "Israeli troops": the nation's force, not the place.
_ACTOR_NOUNS = frozenset(
    word_list(
        "forces force troops army military soldiers servicemen strikes strike airstrikes "
        "airstrike missiles missile drones drone shelling jets warplanes navy fleet artillery "
        "invasion offensive attack attacks bombardment bombing bombings blockade occupation "
        "government regime authorities officials official president minister ministry media "
        "state side police security fighters militants commanders command leadership "
        "embassy envoy delegation counterpart counterparts allies ally intelligence"
    )
)
_CITY_NOUNS = frozenset(
    word_list("city town capital port hub metropolis village stronghold enclave suburb")
)
# Nouns that an appositive name follows: "the town of Bucha", "Ukraine's second city Kharkiv".
_APPOSITION_NOUNS = _CITY_NOUNS | frozenset(
    word_list(
        "province region state district governorate oblast area county municipality "
        "neighbourhood neighborhood camp island hamlet settlement department prefecture "
        "division territory villages towns cities"
    )
)
# The head noun of a longer proper name: "the Wagner Group", "Rapid Support Forces",
# "Gaza Health Ministry". A place inside such a run is part of the name.
_ORG_NOUNS = frozenset(
    word_list(
        "forces force army armies group groups front brigade brigades battalion battalions "
        "regiment division corps militia militias party movement company companies ltd inc "
        "corp corporation bank council ministry committee commission authority agency "
        "organization organisation union alliance coalition network institute university "
        "college school hospital observatory federation association foundation fund trust "
        "airlines airways news times post herald tribune radio tv television league club fc "
        "united guard guards police service services office department bureau centre center "
        "mission command academy society partners holdings international "
        "tigers hawks lions martyrs mujahideen jihad brotherhood"
    )
)
_MONTHS_DAYS = frozenset(
    word_list(
        "january february march april may june july august september october november "
        "december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday "
        "thursday friday saturday sunday"
    )
)
# Speech: a place right after these is where someone spoke ("told reporters in Geneva").
_SPEECH_CUES = SAY_VERBS | frozenset(
    word_list(
        "speaking spoke speak reporters journalists conference briefing interview speech "
        "visit visiting addressing address summit meeting met talks statement news"
    )
)
# Movement: "fled to Chad", "arrived from Tripoli", "refugees from Syria".
_ORIGIN_CUES = frozenset(
    word_list(
        "fled flee flees fleeing escaped escaping escape arrived arriving arrive arrivals came "
        "coming returned returning returnees deported deportees expelled refugees refugee "
        "migrants migrant asylum seekers emigrated exodus crossing crossed cross them set "
        "departed sailed"
    )
)
_DESTINATION_CUES = frozenset(
    word_list(
        "fled flee flees fleeing crossed crossing cross escaped escaping returned returning "
        "return deported deporting sent moved relocated relocating headed heading bound "
        "transferred taken went gone travelled traveled sailed smuggled resettled arrived"
    )
)
_TO_WORDS = frozenset(word_list("to into toward towards for"))
_DEATH_WORDS = frozenset(word_list("died drowned dead deaths killed perished"))
# "nationwide", "across the country": the country of the sentence or the story.
_NATIONWIDE = frozenset(word_list("nationwide countrywide"))
_NATION_NOUNS = frozenset(word_list("country nation"))
# The words _nationwide can start at.
_NATIONWIDE_FIRST = _NATIONWIDE | frozenset(word_list("across throughout in the"))
# The lowercase words a place can begin on ("nationwide", "al-Fashir").
_LOWER_OPENERS = _NATIONWIDE_FIRST | ARABIC_ARTICLES
# Adjectives of nationality, and their plurals where English has one ("Syrians").
_DEMONYM_TEXT = (
    "afghan:AF albanian:AL algerian:DZ american:US angolan:AO argentine:AR argentinian:AR "
    "armenian:AM australian:AU austrian:AT azerbaijani:AZ bahraini:BH bangladeshi:BD "
    "belarusian:BY belgian:BE bolivian:BO bosnian:BA brazilian:BR british:GB bulgarian:BG "
    "burkinabe:BF burmese:MM burundian:BI cambodian:KH cameroonian:CM canadian:CA chadian:TD "
    "chilean:CL chinese:CN colombian:CO congolese:CD croatian:HR cuban:CU cypriot:CY czech:CZ "
    "danish:DK dutch:NL ecuadorian:EC egyptian:EG emirati:AE eritrean:ER estonian:EE "
    "ethiopian:ET filipino:PH philippine:PH finnish:FI french:FR gambian:GM georgian:GE "
    "german:DE ghanaian:GH greek:GR guatemalan:GT guinean:GN haitian:HT honduran:HN "
    "hungarian:HU indian:IN indonesian:ID iranian:IR iraqi:IQ irish:IE israeli:IL italian:IT "
    "ivorian:CI jamaican:JM japanese:JP jordanian:JO kazakh:KZ kenyan:KE kosovar:XK "
    "kuwaiti:KW kyrgyz:KG laotian:LA latvian:LV lebanese:LB liberian:LR libyan:LY "
    "lithuanian:LT malagasy:MG malawian:MW malaysian:MY malian:ML mauritanian:MR mexican:MX "
    "moldovan:MD mongolian:MN moroccan:MA mozambican:MZ namibian:NA nepali:NP nepalese:NP "
    "nicaraguan:NI nigerien:NE nigerian:NG norwegian:NO omani:OM pakistani:PK palestinian:PS "
    "panamanian:PA paraguayan:PY peruvian:PE polish:PL portuguese:PT qatari:QA romanian:RO "
    "russian:RU rwandan:RW salvadoran:SV saudi:SA senegalese:SN serbian:RS somali:SO "
    "spanish:ES sudanese:SD swedish:SE swiss:CH syrian:SY taiwanese:TW tajik:TJ "
    "tanzanian:TZ thai:TH togolese:TG tunisian:TN turkish:TR turkmen:TM ugandan:UG "
    "ukrainian:UA uruguayan:UY uzbek:UZ venezuelan:VE vietnamese:VN yemeni:YE zambian:ZM "
    "zimbabwean:ZW gazan:PS"
)


def _demonyms() -> dict[str, str]:
    found: dict[str, str] = {}
    for pair in _DEMONYM_TEXT.split():
        word, code = pair.split(":")
        found[word] = code
        if word.endswith(("an", "i", "o", "e", "k", "h")) and not word.endswith(
            ("ese", "sh", "ch")
        ):
            found[word + "s"] = code
    return found


DEMONYMS = _demonyms()
# Nouns after a nationality that put the count in that country: "Ukrainian towns",
# "Sudanese civilians".
_DEMONYM_PLACE_NOUNS = frozenset(
    word_list(
        "towns town cities city villages village territory territories soil regions region "
        "provinces province capital coast countryside people civilians children women "
        "men villagers residents citizens families patients households counties county "
        "districts district areas communities islands"
    )
)


@dataclass(slots=True)
class PlaceHit:
    first: int
    end: int
    match: PlaceMatch
    locative: bool  # preceded by "in", "near", "of"...
    described: bool  # "Syria's largest city", "the city": resolved through the context
    dateline: bool = False  # "KYIV, Ukraine (AP) —"
    demonym: bool = False  # "Sudanese civilians", "nationwide": the country, by description
    container: bool = False  # "Ukraine's" in "Ukraine's second city Kharkiv"
    possessive: bool = False  # "Russia's"
    bearing: bool = False  # "south of Valencia", "the border with Chad": where it lies near
    aside: bool = False  # "..., officials said, as aid reached Tacloban": another matter
    scene: bool = False  # "broke out in the town of Hamdaniya": a town introduced as such


# PlaceHit(...) without type.__call__ (see types.maker): made in the grammars' loops.
_place_hit = maker(PlaceHit)


# PlaceMatch(...) without type.__call__ (see types.maker): one a place read.
_place_match = maker(PlaceMatch)


def _to_match(entry: GeoEntry, words: str, confidence: float, spelled: str = "") -> PlaceMatch:
    return _place_match(
        name=entry.name,
        country=entry.country,
        kind=entry.kind,
        words=words,
        confidence=confidence,
        place_id=entry.place_id,
        geonameid=entry.geonameid,
        spelled=spelled,
    )


def _main_again(main: PlaceMatch, words: str) -> PlaceMatch:
    """The story's main place, referred to again by words that do not name it ("the
    city"): an inference, so read with less confidence."""
    return PlaceMatch(
        main.name,
        main.country,
        main.kind,
        words,
        INFERRED_CONFIDENCE,
        main.place_id,
        main.geonameid,
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
    return tok.cap and (w in DEMONYMS or w.endswith(("an", "ian", "ese", "ish", "i")))


_DASHES = frozenset("—–")
_NOT_A_PLACE_AFTER = frozenset(
    word_list("based born registered headquartered made backed funded allied aligned linked")
)
# Nationality before these is the party that did it ("Russian forces", "Israeli strikes").
_MILITARY_NOUNS = frozenset(
    word_list(
        "forces force troops army military soldiers servicemen strikes strike airstrikes "
        "airstrike missiles missile drones drone shelling jets warplanes navy fleet artillery "
        "invasion offensive attack attacks bombardment bombing bombings blockade occupation "
        "fighters militants commanders regime side tanks gunboats raid raids"
    )
)
# Nationality before these is who counted, which is usually the place: "Ukrainian officials".
_AUTHORITY_NOUNS = frozenset(
    word_list(
        "government authorities officials official president minister ministry media state "
        "police emergency health rescuers rescue"
    )
)
_PASSIVE = frozenset(word_list("were was been be being are is"))
_AFTER_PEOPLE = frozenset(word_list("have has had were was are is who in from and"))
_STORM_NOUNS = frozenset(word_list("cyclone typhoon hurricane storm"))
_DIRECTIONS = frozenset(word_list("north south east west northeast northwest southeast southwest"))


def _dateline_end(tokens: list[Token], text: str) -> int:
    """End of a dateline at the head of the text ("KYIV, Ukraine (AP) —", "BEIRUT, Feb 3
    (Reuters) -", "Kabul:"), else 0."""
    n = len(tokens)
    if n < 3 or not tokens[0].cap:
        return 0
    # Only a dash or a colon among the tokens read below ends a dateline, and most
    # sentences have none: a look at the characters they span answers for them.
    head = text[: tokens[n - 2 if n < 17 else 15].end]  # min(n - 2, 15)
    if "-" not in head and ":" not in head and "—" not in head and "–" not in head:
        return 0
    shouting = tokens[0].text.isupper() and len(tokens[0].text) >= 3
    for k in range(1, n - 1 if n < 17 else 16):
        t = tokens[k]
        if t.kind != PUNCT:
            continue
        if t.text in _DASHES or (t.text == "-" and t.gap and tokens[k + 1].gap):
            return k + 1 if shouting or tokens[k - 1].text == ")" else 0
        if t.text == ":" and k <= 4 and tokens[k + 1].gap:
            return k + 1
        if t.text in "!?;":
            return 0
    return 0


def _nationwide(tokens: list[Token], i: int) -> int:
    """End of "nationwide", "across the country", "throughout the nation" at i, else 0."""
    low = tokens[i].low
    if low in _NATIONWIDE:
        return i + 1
    if (
        low in {"across", "throughout", "in"}
        and i + 2 < len(tokens)
        and tokens[i + 1].low == "the"
        and tokens[i + 2].low in _NATION_NOUNS
    ):
        return i + 3
    if (
        low == "the"
        and i + 2 < len(tokens)
        and tokens[i + 1].low in {"country's", "country’s", "nation's", "nation’s"}
        and tokens[i + 2].kind == WORD
        and i > 0
        and tokens[i - 1].low in LOCATIVE
    ):
        return i + 2  # "in the country's coastal region"
    return 0


def _demonym_end(tokens: list[Token], i: int) -> tuple[int, str]:
    """What a nationality at tokens[i] says: (end, kind) with kind "place" ("Ukrainian towns",
    "Sudanese civilians", "Syrians"), "authority" ("Kenyan President", "Ukrainian officials":
    who counted, usually where), "capital" ("the Libyan capital") or "party" ("Russian
    forces", "Syrian Democratic Forces", "Russian-occupied"): the country then only sets the
    sentence's bearings."""
    n = len(tokens)
    low = tokens[i].low
    nxt = tokens[i + 1] if i + 1 < n else None
    if nxt is not None and nxt.text in "-–" and not nxt.gap:
        return 0, "party"
    if nxt is not None and nxt.cap:
        word = nxt.base.rstrip(".")
        if word in _TITLES or word in _AUTHORITY_NOUNS:
            return i + 2, "authority"
        return 0, "party"
    if low.endswith("ese") and (nxt is None or nxt.kind != WORD or nxt.low in _AFTER_PEOPLE):
        # "about 110,000 Lebanese have been displaced": a people whose plural has no "s".
        return i + 1, "place"
    if low.endswith("s") and low[:-1] in DEMONYMS:
        # A plural people: "Syrians", "Afghans".
        if nxt is not None and nxt.base in _MILITARY_NOUNS:
            return 0, "party"
        return i + 1, "place"
    for k in range(i + 1, i + 3 if i + 3 < n else n):
        word = tokens[k].base
        if word in _MILITARY_NOUNS:
            return 0, "party"
        if word in _AUTHORITY_NOUNS:
            return k + 1, "authority"
        if word == "capital":
            return k + 1, "capital"
        if word in _DEMONYM_PLACE_NOUNS:
            return k + 1, "place"
        if tokens[k].kind != WORD:
            break
    return 0, "party"


@dataclass(slots=True)
class _Raw:
    first: int
    end: int
    entries: tuple[GeoEntry, ...] = ()
    words: str = ""
    locative: bool = False
    weak_ok: bool = False
    hit: PlaceHit | None = None  # a described place, already resolved
    demonym: str = ""  # country code
    demonym_kind: str = ""
    nationwide: bool = False
    container: bool = False
    possessive: bool = False
    dateline: bool = False
    # Named only by its grammar ("the village of Hroza"): the country comes from the sentence.
    unknown: bool = False
    appositive: bool = False
    skeleton: bool = False
    part_of_next: bool = False  # "the Old City of Homs": a part of the place named next
    region: bool = False  # "Kharkiv region": a subdivision by its noun
    bearing: bool = False


# _Raw(...) without type.__call__ (see types.maker): made in the grammars' loops.
_raw = maker(_Raw)


def _match(
    tokens: list[Token],
    text: str,
    i: int,
    masked: set[int] | frozenset[int],
    gaz: Gazetteer,
    known: KnownIndex,
) -> tuple[int, tuple[GeoEntry, ...]] | None:
    """The longest name in the gazetteer or the desk's places that starts at tokens[i]."""
    n = len(tokens)
    tok = tokens[i]
    if tok.kind == WORD and len(tok.text) == 1 and tok.text.isupper():
        dotted = _abbrev(tokens, i)
        if dotted > i:
            key = place_fold(text[tok.start : tokens[dotted - 1].end])
            entry = known.index.get(key)
            if entry is not None:
                return dotted, (entry,)
            if key not in {"un", "eu", "nato"}:
                entries = gaz.index.get(key)
                if entries:
                    return dotted, entries
    if tok.low == "st" and i + 2 < n and tokens[i + 1].text == "." and tokens[i + 2].cap:
        # "St. Petersburg", "St. Louis": the gazetteer spells the saint out.
        for j in (i + 4, i + 3):
            if j <= n and tokens[j - 1].kind == WORD:
                key = "saint " + place_fold(text[tokens[i + 2].start : tokens[j - 1].end])
                entries = gaz.index.get(key)
                if entries:
                    return j, entries
    head = word_fold(tok.text)
    # The most tokens a name starting here can span; comparisons rather than min() and
    # max(), which cost a call each on every capitalised word.
    longest = 0
    if i not in masked:
        longest = gaz.heads.get(head, 0)
        if known.heads:
            theirs = known.heads.get(head, 0)
            if theirs > longest:
                longest = theirs
        if longest > n - i:
            longest = n - i
    if longest > 1:
        second = tokens[i + 1]
        if (
            second.gap
            and second.kind == WORD
            and second.text.isascii()
            and second.text.isalpha()
            and tok.text.isascii()
            and tok.text.isalpha()
        ):
            # Two plain words apart fold to themselves: every longer name read here starts
            # with them, and most pairs ("The ministry", "A spokesman") start none.
            prefix = f"{head} {second.low}"
            if not (
                starts_some(gaz.phrases, prefix)
                or (known.phrases and starts_some(known.phrases, prefix))
            ):
                longest = 1
    if longest > 1:
        # A masked token or a stray mark ends every name that would span it. A single word
        # needs only itself unmasked: it is a word (checked below), so never a mark.
        for k in range(i + 1, i + longest):
            t = tokens[k]
            if k in masked or (t.kind == PUNCT and t.text not in "-'’"):
                longest = k - i
                break
    for size in range(longest, 0, -1):
        j = i + size
        last = tokens[j - 1]
        if last.kind != WORD:
            continue
        key = head if size == 1 else place_fold(text[tok.start : last.end])
        entry = known.index.get(key)
        if entry is not None:
            return j, (entry,)
        if size > 1 or key not in COMMON_WORDS or (len(key) > 1 and tok.text.isupper()):
            entries = gaz.index.get(key)
            if entries:
                return j, entries
    return None


def _name_run(tokens: list[Token], i: int) -> int:
    """End of a run of up to four capitalised words at i ("Wad al-Nourah", "Tudun Biri")."""
    n = len(tokens)
    j = i
    words = 0
    while j < n and words < 4:
        t = tokens[j]
        if t.kind == WORD and (t.cap or (t.low in ARABIC_ARTICLES and j > i)):
            words += 1
            j += 1
            if t.low.endswith(POSSESSIVE_ENDS):
                break
            if (
                j + 1 < n
                and tokens[j].text in "-'’"
                and not tokens[j].gap
                and tokens[j + 1].kind == WORD
                and not tokens[j + 1].gap
            ):
                j += 1
            continue
        break
    while j > i and tokens[j - 1].low in ARABIC_ARTICLES:
        j -= 1
    return j


def _skeleton_match(
    tokens: list[Token], text: str, i: int, gaz: Gazetteer
) -> tuple[int, tuple[GeoEntry, ...]] | None:
    """A known place under a spelling the gazetteer lacks ("Khan Sheikhoun"): one to three
    capitalised words, read only where a place stands, and only a letter or two (a few in a
    long name) away from the gazetteer's spelling."""
    end_max = _name_run(tokens, i)
    for end in range(min(end_max, i + 5), i, -1):
        if tokens[end - 1].kind != WORD:
            continue
        key = place_fold(text[tokens[i].start : tokens[end - 1].end])
        if len(key) < 5:
            continue
        entries = gaz.skeletons.get(skeleton(key, folded=True))
        if not entries:
            continue
        limit = max(2, (len(key) + 4) // 4)
        close = tuple(e for e in entries if _distance(key, e.name) <= limit) or tuple(
            e
            for e in entries
            if e.kind != "city" and Levenshtein.distance(key, place_fold(e.name)) <= limit + 1
        )
        if close:
            return end, close
    return None


# "in northwestern Tigray", "across southern and eastern Lebanon", "in central Gaza".
_MODIFIERS = frozenset(
    word_list(
        "the north south east west northern southern eastern western central northeastern "
        "northwestern southeastern southwestern north-eastern north-western south-eastern "
        "south-western northeast northwest southeast southwest and remote rural coastal "
        "besieged occupied rebel-held neighbouring neighboring mountainous upper lower"
    )
)


def _before_modifiers(tokens: list[Token], i: int) -> int:
    """The token before the name and the directions or adjectives that lead into it."""
    k = i - 1
    while k >= 0 and i - k <= 5 and tokens[k].low in _MODIFIERS:
        k -= 1
    if k >= 1 and tokens[k].text == "-" and tokens[k - 1].low in {"rebel", "government"}:
        k -= 2
        while k >= 0 and i - k <= 6 and tokens[k].low in _MODIFIERS:
            k -= 1
    return k


def _distance(key: str, name: str) -> int:
    folded = place_fold(name)
    article, _, rest = folded.partition(" ")
    best = Levenshtein.distance(key, folded)
    if article in ARABIC_ARTICLES and rest:
        best = min(best, Levenshtein.distance(key, rest))
    return best


def _place_position(tokens: list[Token], k: int) -> bool:
    """Whether the grammar puts a place at tokens[i]: "in X", "near X", "the town of X".
    k is _before_modifiers(tokens, i), which the caller has."""
    if k < 0:
        return False
    low = tokens[k].low
    if low == "of":
        return k > 0 and tokens[k - 1].base in _APPOSITION_NOUNS
    return low in _POSITION_WORDS


_POSITION_WORDS = LOCATIVE | _TARGET_WORDS | _APPOSITION_NOUNS  # one lookup for the three

# "the village of Hroza", "Tudun Biri village", "Yelwata, a town in": nouns that say the name
# next to them is a place even when no gazetteer knows it.
# Verbs whose object is a place, whatever its name: "stormed Wad al-Nourah".
_FEW = frozenset(word_list("the several many some other dozens hundreds two three four five"))
_STORMED = frozenset(word_list("stormed raided shelled besieged overran captured seized"))
_HAPPENINGS = frozenset(
    word_list(
        "outbreak epidemic war conflict floods flood earthquake quake crisis crackdown "
        "protests unrest violence fighting famine drought wildfires uprising insurgency"
    )
)
_PART_NOUNS = frozenset(word_list("edge outskirts suburbs suburb centre center part parts side"))
_ABSTRACT_NOUNS = frozenset(
    word_list("history past record worst deadliest biggest border borders frontier")
)
_SETTLEMENT_NOUNS = frozenset(
    word_list(
        "village town city hamlet settlement camp neighbourhood neighborhood district suburb "
        "area township locality port mine kibbutz"
    )
)


def _unknown_place(tokens: list[Token], i: int, before: int) -> int:
    """End of a place name the gazetteer does not know but the grammar gives ("the village of
    Hroza", "Tudun Biri village", "Yelwata, a town in ..."), else 0. `before` is
    _before_modifiers(tokens, i), which the caller has."""
    n = len(tokens)
    end = _name_run(tokens, i)
    if end == i:
        return 0
    for m in range(i, end):
        w = tokens[m].low
        if w in COMMON_WORDS or w in DEMONYMS:
            return 0
    k = i - 1
    if k >= 1 and tokens[k].low == "of" and tokens[k - 1].base in _SETTLEMENT_NOUNS:
        return end
    k = before
    placed = k >= 0 and tokens[k].low in {"in", "near", "outside", "at", "on", "around"}
    # "in Tudun Biri village", "on the Ras Isa fuel port", "the Zamzam displacement camp".
    m = end
    while m < n and m - end < 2 and tokens[m].kind == WORD and not tokens[m].cap:
        if tokens[m].low in _NAMED_BY_NOUN:  # a settlement or a region noun
            break
        m += 1
    if (
        m < n
        and tokens[m].low in _NAMED_BY_NOUN
        and tokens[m].low != "city"
        # "the Shijaiyah neighborhood of Gaza City" is in the place named next.
        and not (m + 1 < n and tokens[m + 1].low == "of")
        and (
            placed
            or (k >= 0 and tokens[k].low in ("the",) or (k >= 0 and is_possessive(tokens[k].low)))
        )
    ):
        return end
    if k >= 0 and tokens[k].low in _STORMED and tokens[i].gap:
        return end  # "Fighters stormed Wad al-Nourah"
    if (
        placed
        and end + 1 < n
        and tokens[end].low in {"in", "near"}
        and (tokens[end + 1].cap or tokens[end + 1].low in _MODIFIERS)
    ):
        return end  # "in Komanda in Congo's Ituri province", "near Kenieba in western Mali"
    if (
        end + 2 < n
        and tokens[end].text == ","
        and tokens[end + 1].low in {"a", "the"}
        and tokens[end + 2].low in _SETTLEMENT_NOUNS
    ):
        return end
    return 0


# The words that let a lowercase word open a place: "nationwide", "across the country", "in
# the nation's ...". Without them (and without a dash for "al-Fashir") the lowercase openers
# could only be passed over, so they are not picked at all; "the", "in", "an", "at" and "as"
# are among them, and are in most sentences.
_NATIONWIDE_CUES = (
    _NATIONWIDE | _NATION_NOUNS | frozenset(("country's", "country’s", "nation's", "nation’s"))
)
_LOWER_OPENER_SETS = {
    (nation, dash): (_NATIONWIDE_FIRST if nation else frozenset())
    | (ARABIC_ARTICLES if dash else frozenset())
    for nation in (False, True)
    for dash in (False, True)
}


def _names_country(entries: tuple[GeoEntry, ...]) -> bool:
    # A loop, not any() over a generator, which costs more than the test.
    for e in entries:  # noqa: SIM110
        if e.kind == "country":
            return True
    return False


def _lower_openers(tokens: list[Token], describes: bool) -> frozenset[str]:
    """The lowercase words a place can begin on in this sentence (see _LOWER_OPENERS)."""
    words = words_of(tokens)
    lowers = _LOWER_OPENER_SETS[(not _NATIONWIDE_CUES.isdisjoint(words), "-" in words)]
    return lowers | _DESCRIBE_OPENERS if describes else lowers


_DESCRIBE_OPENERS = frozenset(("the",))


def find_places(
    tokens: list[Token],
    text: str,
    context: ParseContext,
    masked: set[int] | frozenset[int] = frozenset(),
) -> list[PlaceHit]:
    """Places named or described in the tokens, in order."""
    gaz = load_gazetteer()
    known = known_index(context.places)
    home = context.main_place.country if context.main_place else ""
    n = len(tokens)
    dateline_end = _dateline_end(tokens, text)
    # Only a capitalised possessive ("Syria's") or "the" with a main place begins a
    # description: the rest of the words need not be tried.
    describes = ("the",) if context.main_place is not None else ()
    raws: list[_Raw] = []
    # One pass picks the words a place can begin on: a capital, or a lowercase word that
    # opens a description, "nationwide" or an Arabic article. The loop reads from each in
    # turn, skipping those inside the last name read.
    lowers = _lower_openers(tokens, bool(describes))
    i = 0
    if lowers:
        starts = [
            k
            for k, t in enumerate(tokens)
            if (t.cap or t.low in lowers) and t.kind == WORD and k not in masked
        ]
    else:
        # Most sentences: capitals only (only a word has one).
        starts = [k for k, t in enumerate(tokens) if t.cap and k not in masked]
    for at in starts:
        if at < i:
            continue
        i = at
        tok = tokens[i]
        low = tok.low
        if (tok.cap and low.endswith(POSSESSIVE_ENDS)) or low in describes:
            described = _described(tokens, text, i, context)
            if described is not None:
                raws.append(_raw(described.first, described.end, hit=described))
                i = described.end
                continue
        if not tok.cap:
            end = _nationwide(tokens, i) if low in _NATIONWIDE_FIRST else 0
            if end:
                raws.append(_raw(i, end, nationwide=True, locative=True))
                i = end
                continue
            if not (
                tok.low in ARABIC_ARTICLES
                and i + 2 < n
                and tokens[i + 1].text == "-"
                and not tokens[i + 1].gap
                and tokens[i + 2].cap
            ):
                continue
        if tok.low in DEMONYMS and not _names_country(gaz.index.get(tok.low, ())):
            # "Philippines" is the country, not a plural of "Philippine"
            end, kind = _demonym_end(tokens, i)
            k = i - 1
            # "in 53 Russian cities", "in several Ukrainian towns"
            while k >= 0 and i - k <= 3 and (tokens[k].kind == NUM or tokens[k].low in _FEW):
                k -= 1
            locative = k >= 0 and tokens[k].low in LOCATIVE
            raw = _raw(i, end or i + 1, demonym=DEMONYMS[tok.low], locative=locative)
            raw.demonym_kind = kind
            raws.append(raw)
            i += 1
            continue
        before = _before_modifiers(tokens, i)
        position = _place_position(tokens, before)
        found = _match(tokens, text, i, masked, gaz, known)
        skeletal = False
        if found is None and position and len(tok.text) >= 4:
            found = _skeleton_match(tokens, text, i, gaz)
            skeletal = found is not None
        weak_only = found is not None
        if found is not None:
            for e in found[1]:
                if not e.weak:
                    weak_only = False
                    break
        # A name the grammar gives never starts with an ordinary word or a nationality.
        unknown_end = (
            _unknown_place(tokens, i, before)
            if (found is None or weak_only or position)
            and low not in COMMON_WORDS
            and low not in DEMONYMS
            else 0
        )
        if found is not None and unknown_end > found[0]:
            # "the Ras Isa fuel port": a longer name than the hamlet called Ras somewhere.
            found = None
        if found is None and not unknown_end:
            i += 1
            continue
        if found is not None:
            j, entries = found
        else:
            j, entries = unknown_end, ()
        name_end = j
        region = False
        if j - i > 1 and tokens[j - 1].low in REGION_NOUNS:
            name_end = j - 1  # "Tahoua region" as one key: the name is "Tahoua"
            region = True
        # "Sindh province was the hardest hit": the noun says it is the subdivision.
        weak_ok = position or region
        if j < n and tokens[j].low in REGION_NOUNS and not is_possessive(tokens[j - 1].low):
            # "Kharkiv oblast", "Idlib province": the subdivision.
            entries = regions_of(entries, gaz) or entries
            weak_ok = True
            region = True
            j += 1
        elif i >= 2 and tokens[i - 1].low == "of" and tokens[i - 2].low in REGION_NOUNS:
            entries = tuple(e for e in entries if e.kind == "region") or entries
        is_known = bool(entries) and entries[0].place_id is not None
        if _rejected(tokens, i, j, is_known):
            i = j
            continue
        words = text[tokens[i].start : tokens[name_end - 1].end]
        possessive = tokens[name_end - 1].low.endswith(POSSESSIVE_ENDS)
        if possessive:
            words = words[:-2]
        k = before
        locative = k >= 0 and (tokens[k].low in LOCATIVE or tokens[k].low in _TARGET_WORDS)
        raw = _raw(i, j, entries, words, locative, weak_ok, possessive=possessive)
        raw.dateline = i < dateline_end
        raw.unknown = not entries
        raw.skeleton = skeletal
        raw.region = region
        if possessive and name_end < n:
            # "on Moscow's western edge", "in Somalia's history": the name places something
            # else, or nothing.
            after = {tokens[m].low for m in range(name_end, min(n, name_end + 3))}
            described_before = (
                bool(raws) and raws[-1].end == i - 1 and tokens[i - 1].low in LOCATIVE
            )
            raw.container = bool(after & _ABSTRACT_NOUNS) or (
                described_before and bool(after & _PART_NOUNS)
            )
            # "Haiti's cholera outbreak", "Yemen's war": what happens there.
            raw.locative = raw.locative or bool(after & _HAPPENINGS)
        if j + 1 < n and tokens[j].text == "," and not raw.dateline:
            # "Bucha, Ukraine": a town with its bearings.
            nxt = _match(tokens, text, j + 1, masked, gaz, known)
            if nxt is not None and any(e.kind == "country" for e in nxt[1]):
                raw.weak_ok = True
        raw.part_of_next = (
            j + 1 < n
            and tokens[j].low == "of"
            and (tokens[j + 1].cap or tokens[j + 1].low == "the")
        )
        if unknown_end and k >= 0 and tokens[k].low in {"of", "in", "near", "outside", "at"}:
            raw.locative = True
        if i >= 2 and (
            (tokens[i - 1].low == "with" and tokens[i - 2].base in {"border", "frontier"})
            # "protests against the call-up for the war in Ukraine": what the war is about.
            or (
                i >= 4
                and tokens[i - 1].low == "in"
                and tokens[i - 2].low in _WAR_WORDS
                and tokens[i - 3].low == "the"
                and tokens[i - 4].low in {"for", "against", "over", "about", "to", "on"}
            )
            or (tokens[i - 1].low == "of" and tokens[i - 2].low in _DIRECTIONS)
        ):
            # "near the border with Burkina Faso", "south of Valencia": a bearing, not
            # where it happened, when the sentence names another place.
            raw.bearing = True
        _apposition(tokens, raws, raw)
        raws.append(raw)
        i = j
    hits = _resolve(raws, gaz, home)
    if not hits:
        return hits
    aside = _aside_from(tokens)
    # The hits were all made by this call (in _resolve or _described): set in place.
    for h in hits:
        if h.first >= aside:
            h.aside = True
        k = h.first - 1
        if k >= 1 and tokens[k].low == "of" and tokens[k - 1].low in _SETTLEMENT_NOUNS:
            h.scene = True
    return hits


_ASIDE_WORDS = frozenset(word_list("as while"))


def _aside_from(tokens: list[Token]) -> int:
    """Where a clause after the attribution begins: "the agency said Wednesday, as aid began
    to reach the flattened city of Tacloban" tells of something else."""
    n = len(tokens)
    if _ASIDE_WORDS.isdisjoint(words_of(tokens)):
        return n
    starts = [
        m for m in range(1, n - 1) if tokens[m].low in _ASIDE_WORDS and tokens[m - 1].text == ","
    ]
    if not starts:
        return n
    for m in starts:
        for k in range(max(1, m - 5), m - 1):
            if (
                tokens[k - 1].kind != NUM
                and tokens[k].base in SAY_VERBS
                and not any(tokens[x].text in {".", ";"} for x in range(k + 1, m))
            ):
                return m
    return n


def _apposition(tokens: list[Token], raws: list[_Raw], raw: _Raw) -> None:
    """ "Ukraine's second city Kharkiv", "the central Ukrainian city of Uman", "Myanmar's
    Rakhine state": the name is the place; the country before it only says where that is."""
    i = raw.first
    p = i - 1
    if p >= 1 and tokens[p].low == "of" or p >= 1 and tokens[p].text == ",":
        p -= 1  # "the town of Bucha", "the capital, Dhaka"
    if p >= 0 and tokens[p].base in _APPOSITION_NOUNS:
        q = p - 1
        while q >= 0 and p - q <= 6:
            t = tokens[q]
            if t.kind != WORD or t.low in LOCATIVE or t.low in {"a", "an", "the"}:
                break
            if t.cap and not is_possessive(t.low) and t.low not in DEMONYMS:
                break
            q -= 1
        start = q + 1
        if q >= 0 and tokens[q].low in {"a", "an", "the"}:
            q -= 1
        raw.locative = raw.locative or (q >= 0 and tokens[q].low in LOCATIVE)
        raw.weak_ok = True
        raw.appositive = True
        for other in raws:
            if other.first >= start and other.end <= i:
                other.container = True
                raw.locative = raw.locative or other.locative
        return
    if (
        raws
        and raws[-1].possessive
        and raws[-1].end <= i
        and all(tokens[m].low in _MODIFIERS for m in range(raws[-1].end, i))
    ):  # "Myanmar's Rakhine state", "Afghanistan's northern Baghlan province"
        outer = raws[-1]
        outer.container = True
        raw.locative = raw.locative or outer.locative
        raw.weak_ok = True
        raw.appositive = True


def _resolve(raws: list[_Raw], gaz: Gazetteer, home: str) -> list[PlaceHit]:
    """Each name to one entry. The sentence's countries (named, in its dateline, or by
    nationality, even of a party) set its bearings: a small town, a subdivision, a spelling
    read by its skeleton or a city named in passing must lie in one of them when it names
    any; a name only the grammar gives takes the first of them."""
    if not raws:
        return []
    countries: list[str] = []
    parties: list[str] = []
    cities: list[str] = []
    datelined: set[str] = set()
    for raw in raws:
        if raw.dateline and raw.entries:
            datelined.add(raw.entries[0].country)
    for raw in raws:
        if raw.demonym and raw.demonym_kind == "party":
            parties.append(raw.demonym)
        elif raw.demonym:
            countries.append(raw.demonym)
        elif raw.entries and not raw.skeleton:
            strong = raw.entries if raw.region else tuple([e for e in raw.entries if not e.weak])
            if strong:
                entry = choose_entry(strong, (home,) if home else ())
                if entry is None:
                    continue
                # Countries, subdivisions and datelines first: a town's name is the
                # ambiguous part ("the village of Solhan in Burkina Faso").
                bearing = raw.locative or raw.dateline or raw.possessive or raw.region
                if (entry.kind == "city" and not raw.dateline) or not bearing:
                    cities.append(entry.country)
                else:
                    countries.append(entry.country)
    # Bearings from a party's nationality or a city named in passing are weak: they never
    # overrule the gazetteer's sizeable places.
    firm = bool(countries)
    if not countries:
        # "Malian troops ... the town of Moura": a party's nationality is a bearing only
        # when nothing else gives one ("a Russian missile hit ... the Kharkiv region").
        countries = parties or cities
    countries = list(dict.fromkeys(countries))
    wanted = tuple(dict.fromkeys([*countries, *([home] if home else [])]))
    # "DUBAI, United Arab Emirates (AP) — Iranian forces ... in the nationwide protests".
    undated = [c for c in countries if c not in datelined] if datelined else countries
    body = tuple(dict.fromkeys([*undated, *parties, *wanted]))
    hits: list[PlaceHit] = []
    for raw in raws:
        if raw.hit is not None:
            hits.append(raw.hit)
            continue
        if raw.nationwide or raw.demonym:
            if raw.demonym_kind == "party":
                continue
            code = raw.demonym or next(iter(body), "")
            if raw.demonym_kind == "capital":
                capital = capital_of(code)
                if capital is not None:
                    match = _to_match(capital, "", 0.9)
                    hits.append(_place_hit(raw.first, raw.end, match, raw.locative, True))
                continue
            entry = gaz.countries.get(code) if code else None
            if entry is not None:
                confidence = 0.7 if raw.demonym_kind == "authority" else 0.8
                match = _to_match(entry, "", 0.9 if raw.nationwide else confidence)
                hits.append(
                    _place_hit(
                        raw.first, raw.end, match, raw.locative, False,
                        demonym=not raw.nationwide, container=raw.container,
                    )
                )  # fmt: skip
            continue
        entries = raw.entries
        prefer = wanted
        if raw.skeleton and not wanted:
            # A spelling read by its skeleton, with nothing to say which country: only a
            # place big enough to be news under a variant spelling.
            entries = tuple(e for e in entries if e.kind != "city" or e.population >= 40_000)
        if countries:
            # A name that is also a town elsewhere ("Moura" in Portugal, "Solhan" in Turkey)
            # is the one in the sentence's country, or a place the gazetteer lacks there.
            local = tuple([e for e in entries if e.country in countries])
            strict = (raw.skeleton and firm) or (firm and raw.appositive) or not raw.locative
            if local:
                entries = local
            elif (
                entries
                and all(e.kind != "country" for e in entries)
                and (strict or all(e.weak for e in entries))
            ):
                entries = ()
                raw.unknown = raw.appositive
            else:
                # "a Russian strike on Chernihiv": the gazetteer's own ranking.
                prefer = ()
        if not raw.weak_ok:
            entries = tuple([e for e in entries if not e.weak])
        entry = choose_entry(entries, prefer)
        if entry is None:
            # A place named in the body before the dateline's ("BANGKOK (AP) — ... the
            # village of Pazigyi in the Sagaing region").
            code = next(iter(body), "")
            if not (raw.unknown and raw.words):
                continue
            # The desk creates such a village under its country for an admin to review. With
            # no country in the sentence it stays unplaced ("Fighters stormed Wad al-Nourah"):
            # the story's country places it (infer_main_place); choose_place never offers it.
            entry = GeoEntry(raw.words, code, "region" if raw.region else "city", 0, None)
        # A shouted dateline ("MOSUL, Iraq") is not how the copy spells the name.
        spelled = "" if raw.dateline and raw.words.isupper() else raw.words
        match = _to_match(entry, raw.words, 1.0, spelled)
        hits.append(
            _place_hit(
                raw.first, raw.end, match, raw.locative, False, dateline=raw.dateline,
                container=raw.container or raw.part_of_next, possessive=raw.possessive,
                bearing=raw.bearing,
            )
        )  # fmt: skip
    return hits


def _rejected(tokens: list[Token], i: int, j: int, is_known: bool) -> bool:
    """Names that are not the place of anything: "Britain-based", "President Jordan ...", a
    town's name inside a longer proper name ("Boko Haram", "Lashkar-e-Taiba", "the Wagner
    Group", "the University of Aleppo")."""
    n = len(tokens)
    if (
        j + 2 < n
        and tokens[j].text in "-–"
        and not tokens[j].gap
        and tokens[j + 1].low in {"and", "or"}
    ):
        return True  # "a U.S.- and Israeli-backed group"
    if i > 0 and tokens[i - 1].low in _STORM_NOUNS:
        return True  # "Cyclone Mocha", "Typhoon Haiyan": a storm's name
    if j < n and tokens[j].low in {"strain", "variant", "subvariant"}:
        return True  # "the Sudan strain of Ebola"
    if (
        j + 1 < n
        and tokens[j].text in "-–"
        and not tokens[j].gap
        and tokens[j + 1].low in _NOT_A_PLACE_AFTER
    ):
        return True
    if is_known:
        return False
    if (
        i >= 2
        and tokens[i - 1].text in "-–"
        and not tokens[i - 1].gap
        and not tokens[i].gap
        and tokens[i - 2].kind == WORD
        and tokens[i - 2].low not in ARABIC_ARTICLES
    ):
        return True
    if j < n and tokens[j].kind == WORD and tokens[j].cap and not is_possessive(tokens[j - 1].low):
        nxt = tokens[j].base.rstrip(".")
        if nxt not in _APPOSITION_NOUNS and nxt not in _MONTHS_DAYS and nxt not in _TITLES:
            # A capitalised word that goes on after the name makes it part of a longer one;
            # "Beirut Governor ..." is the governor of the place.
            return True
    if j + 1 < n and tokens[j].text in "-–" and not tokens[j].gap and tokens[j + 1].cap:
        return True  # "Aden-Abyan", "Al-Shabaab"
    if (
        i >= 2
        and tokens[i - 1].low == "of"
        and tokens[i - 2].cap
        and tokens[i - 2].base in _ORG_NOUNS
    ):
        return True
    if i >= 3 and tokens[i - 1].text == "-" and tokens[i - 2].low in ARABIC_ARTICLES:
        i -= 2  # "Saif al-Badr": the word before the article is the one that tells
    if i > 0:
        prev = tokens[i - 1]
        if prev.base.rstrip(".") in _TITLES:
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
        while (
            j < n
            and j - i <= 5
            and (tokens[j].kind == WORD or (tokens[j].text == "-" and not tokens[j].gap))
            and tokens[j].low not in _CITY_NOUNS
        ):
            adjectives.append(tokens[j].low)
            j += 1
        if j >= n or tokens[j].low not in _CITY_NOUNS:
            return None
        # "Syria's northern city of Aleppo", "Ukraine's second city Kharkiv" name the place:
        # let the name be read instead.
        if j + 1 < n and (tokens[j + 1].low == "of" or tokens[j + 1].cap):
            return None
        words = text[tok.start : tokens[j].end]
        locative = i > 0 and tokens[i - 1].low in LOCATIVE
        if tokens[j].low == "capital":
            capital = capital_of(entry.country)
            if capital is not None:
                return _place_hit(i, j + 1, _to_match(capital, words, 0.9), locative, True)
        if main is not None and main.country == entry.country and main.kind != "country":
            return _place_hit(i, j + 1, _main_again(main, words), locative, True)
        if any(a in {"largest", "biggest"} for a in adjectives):
            largest = largest_cities().get(entry.country)
            if largest is not None:
                return _place_hit(i, j + 1, _to_match(largest, words, 0.7), locative, True)
        return _place_hit(i, j + 1, _to_match(entry, words, 0.5), locative, True)
    if (
        tok.low == "the"
        and main is not None
        and main.kind == "country"
        and i + 1 < n
        and tokens[i + 1].low == "capital"
        and not (i + 2 < n and tokens[i + 2].cap)
        and not (i + 3 < n and tokens[i + 2].text == "," and tokens[i + 3].cap)
    ):
        capital = capital_of(main.country)
        if capital is not None:
            words = text[tok.start : tokens[i + 1].end]
            locative = i > 0 and tokens[i - 1].low in LOCATIVE
            return _place_hit(
                i, i + 2, _to_match(capital, words, INFERRED_CONFIDENCE), locative, True
            )
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
        return _place_hit(i, j + 1, _main_again(main, words), locative, True)
    return None


# A story clearly has a main place when one place has at least this weight of mentions
# (a mention where something happens weighs 1, any other 0.5) and this many times the next.
_MAIN_MIN_WEIGHT = 2.0
_MAIN_LEAD = 1.5


def _lede_place(hits: list[PlaceHit]) -> PlaceMatch | None:
    """Where the lede's events are: among the hits of the story's first sentence that names
    a place where something happened (hits restart their token positions with each sentence),
    the most specific one, the earliest on a tie."""
    group: list[PlaceHit] = []
    for h in hits:
        if group and h.first <= group[-1].first:
            if any(not g.container and not g.dateline and not g.aside for g in group):
                break
            group = []
        group.append(h)
    found = [g for g in group if not g.container and not g.dateline and not g.aside]
    if not found:
        return None
    rank = {"city": 0, "district": 0, "region": 1, "country": 2}
    best = min(found, key=lambda g: (not g.locative, g.demonym, rank.get(g.match.kind, 0), g.first))
    return best.match


def _story_country(hits: list[PlaceHit]) -> str:
    """The country a story's places lie in: the one it names most (a correspondent's dateline
    is often a neighbour's capital: "CAIRO (AP) — ... in Sudan"), the dateline's on a tie."""
    tally: dict[str, float] = {}
    for h in hits:
        if h.match.country and not h.container:
            weight = 1.0 if h.locative else 0.5
            tally[h.match.country] = tally.get(h.match.country, 0.0) + weight
    if not tally:
        return ""
    datelined = [h.match.country for h in hits if h.dateline and h.match.country]
    return max(tally, key=lambda c: (tally[c], c in datelined))


def _placed(hits: list[PlaceHit]) -> list[PlaceHit]:
    """The hits with a town the gazetteer lacks and its sentence did not place put in the
    story's country: a story about one country names its villages without it."""
    country = _story_country(hits)
    out = []
    for h in hits:
        if not h.match.country:
            if not country:
                continue
            h = replace(h, match=evolve(h.match, country=country, confidence=0.8))
        out.append(h)
    return out


def infer_main_place(hits: list[PlaceHit]) -> PlaceMatch | None:
    """The story's main place of events, where it clearly has one: the place of the lede's
    events when the story names no other place of events more often (a tie only with places
    in the same country: the lede is the news), else the city or region that dominates its
    mentions, else the country that does; None when no place stands out."""
    hits = _placed(hits)
    weights: dict[tuple[str, str], float] = {}
    happened: dict[tuple[str, str], int] = {}
    firsts: dict[tuple[str, str], PlaceMatch] = {}
    by_country: dict[str, float] = {}
    datelined: set[tuple[str, str]] = set()
    for h in hits:
        if h.container:
            continue
        if h.dateline and h.match.kind != "country":
            datelined.add((h.match.name, h.match.country))
        if (
            h.locative
            and not h.demonym
            and not h.bearing
            and not h.aside
            and h.match.kind != "country"
        ):
            key = (h.match.name, h.match.country)
            happened[key] = happened.get(key, 0) + (2 if h.scene else 1)
        weight = 1.0 if h.locative else 0.5
        by_country[h.match.country] = by_country.get(h.match.country, 0.0) + weight
        if h.demonym or (h.described and h.match.confidence < 0.7):
            continue
        key = (h.match.name, h.match.country)
        if h.match.kind != "country":
            weights[key] = weights.get(key, 0.0) + weight
            if not h.described:
                firsts.setdefault(key, h.match)
    lede = _lede_place(hits)
    if lede is not None and lede.kind == "region":
        # "a fire in Iraq's Nineveh province ... broke out in the town of Hamdaniya", "attacked
        # a village in Gezira province ... stormed Wad al-Nourah": the one town of the
        # story's events in the lede's country is more specific.
        own = happened.get((lede.name, lede.country), 0)
        towns = [
            k
            for k, w in happened.items()
            if k[1] == lede.country and k in firsts and firsts[k].kind in {"city", "district"}
        ]
        top = max((happened[k] for k in towns), default=0)
        # The first of them the story names when several are named as often.
        scenes = [k for k in towns if happened[k] == top]
        if own and top >= own and scenes:
            m = firsts[scenes[0]]
            return PlaceMatch(m.name, m.country, m.kind, m.words, 1.0, m.place_id, m.geonameid)
    if lede is not None:
        if lede.kind == "country" and by_country.get(lede.country, 0.0) >= _MAIN_MIN_WEIGHT:
            return PlaceMatch(
                lede.name, lede.country, lede.kind, lede.words, 1.0, None, lede.geonameid
            )
        key = (lede.name, lede.country)
        # The dateline's city is one more mention: "KRAMATORSK, Ukraine (AP) — ... in
        # Kramatorsk". "Floods hit Lagos. Storms struck Accra and Dakar." has no main place.
        own = happened.get(key, 0) + (key in datelined)
        rivals = {k: w for k, w in happened.items() if k != key}
        top = max(rivals.values(), default=0)
        abroad = any(k[1] != lede.country for k, w in rivals.items() if w == top)
        if lede.kind != "country" and own and (own > top or (own == top and not abroad)):
            m = firsts.get(key, lede)
            return PlaceMatch(m.name, m.country, m.kind, m.words, 1.0, m.place_id, m.geonameid)
    for table, pick in ((weights, firsts), (by_country, None)):
        ranked = sorted(table.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < _MAIN_MIN_WEIGHT:
            continue
        if len(ranked) > 1 and ranked[0][1] < _MAIN_LEAD * ranked[1][1]:
            continue
        best = ranked[0][0]
        if pick is not None:
            m = pick.get(best)  # type: ignore[call-overload]
            if m is None:
                continue
            return PlaceMatch(m.name, m.country, m.kind, m.words, 1.0, m.place_id, m.geonameid)
        entry = country_entry(best)  # type: ignore[arg-type]
        if entry is not None:
            return _to_match(entry, entry.name, 1.0)
    return None


_CLAUSE_BREAKS = frozenset({",", ";", "as", "while", "when", "after", "before", "but", "and"})
_ATTRIBUTIVE_NOUNS = frozenset(
    word_list(
        "dam airport hospital market theater theatre school camp mosque church station port "
        "bridge plant prison stadium university offensive front border crossing talks agreement "
        "accord conference earthquake quake floods flood attack bombing massacre siege ceasefire "
        "truce highway road embassy office government authorities officials police army"
    )
)


def _spoken_at(tokens: list[Token], h: PlaceHit, anchor: int | None) -> bool:
    """ "told reporters in Geneva", "said in Kyiv", "speaking at a briefing in Kabul": where
    someone spoke, not where the counted thing happened."""
    k = h.first - 1
    if k >= 0 and tokens[k].low == "the":
        k -= 1
    if k < 0 or tokens[k].low not in {"in", "at", "from"}:
        return False
    for m in range(k - 1, k - 6 if k > 5 else -1, -1):
        t = tokens[m]
        if t.kind == NUM or m == anchor or t.kind == PUNCT or t.low in _PASSIVE:
            # "said the deadliest crackdown was in Sistan": what was said, not where.
            return False
        if t.base in _SPEECH_CUES:
            if t.low in _VENUE_NOUNS and (anchor is None or tokens[anchor].kind != NUM):
                # A statement without a figure is about the talks or the conference.
                return False
            # "cases were reported in Aleppo" is where they were.
            return not (m > 0 and tokens[m - 1].low in _PASSIVE)
        if t.low in EVENT_OPENERS and event_at(tokens, m) is not None:
            return False
    return False


# What _listed_country answers for a toll over two countries: no place.
_NO_PLACE = PlaceMatch("", "", "", "", 0.0)
_VENUE_NOUNS = frozenset(word_list("talks conference summit meeting visit"))
_BREAKDOWN = frozenset(word_list("including among most mostly many followed"))
_LATER_CLAUSE = frozenset(word_list("after before since while whereas until as followed"))
_CLAUSE_STOPS = frozenset({",", ";", "while", "whereas", "but", "and", "as", "after", "when"})


def _moved(tokens: list[Token], h: PlaceHit, anchor: int | None) -> int:
    """Where people came from (1) or went to (2): "fled to Chad", "arrived from Tripoli",
    "refugees from Syria"; 0 otherwise. Counted there ("arrived in Lampedusa") is not this."""
    k = h.first - 1
    if k >= 0 and tokens[k].low == "the":
        k -= 1
    if k < 0:
        return 0
    prev = tokens[k].low
    if prev == "in" and has_word(tokens, k - 3, k, ("to",)):
        # "sent to hospitals in Baghdad"
        k = next(m for m in range(k - 1, max(-1, k - 4), -1) if tokens[m].low == "to")
        prev = "to"
    if prev in {"reach", "reaching"} and k > 0 and tokens[k - 1].low in {"to", "trying"}:
        return 2  # "trying to reach Britain"
    if prev == "from":
        cues, kind = _ORIGIN_CUES, 1
    elif prev in _TO_WORDS:
        cues, kind = _DESTINATION_CUES, 2
    else:
        return 0
    for m in range(k - 5 if k > 5 else 0, k):
        if tokens[m].base in cues:
            return kind
    return 0


def _same_clause(tokens: list[Token], anchor: int | None, first: int) -> bool:
    if anchor is None:
        return True
    lo, hi = (anchor, first) if anchor <= first else (first, anchor)
    return not has_word(tokens, lo + 1, hi, _CLAUSE_STOPS)


_SEAT_NOUNS = frozenset(
    word_list(
        "ministry office government authorities agency committee council embassy court "
        "prosecutor prosecutors headquarters spokesman spokeswoman officials"
    )
)


def _seat(tokens: list[Token], h: PlaceHit) -> bool:
    """ "the Health Ministry in Sanaa", "Donetsk regional Gov. Pavlo Kyrylenko": where an
    office sits or what an official governs, not where the counted thing happened."""
    if h.demonym or h.described or h.match.kind == "country":
        return False
    k = h.first - 1
    if k >= 1 and tokens[k].low == "in" and tokens[k - 1].base in _SEAT_NOUNS:
        # A national ministry in the capital speaks for the country.
        capital = capital_of(h.match.country)
        return capital is not None and capital.geonameid == h.match.geonameid
    e = h.end
    if e + 1 < len(tokens) and tokens[e].low in {"regional", "provincial"}:
        return tokens[e + 1].cap and tokens[e + 1].base.rstrip(".") in _TITLES
    return False


def _party(tokens: list[Token], h: PlaceHit, hits: list[PlaceHit]) -> bool:
    """A party to the fighting: "since Russia invaded", "Russia has deported", "Russia's
    invasion of Ukraine", "Russia's war on Ukraine"."""
    if h.locative or h.demonym or h.described or h.match.kind != "country":
        return False
    n = len(tokens)
    e = h.end
    while e < n and tokens[e].low in {"has", "have", "had", "also", "then", "again"}:
        e += 1
    if e >= n:
        return False
    if not h.possessive:
        return tokens[e].low in _ACTOR_VERBS
    for k in range(e, min(n, e + 3)):
        word = tokens[k].base
        if word in _MILITARY_NOUNS:
            return True
        if word == "war":
            # "Russia's war on Ukraine", but "Syria's civil war" is Syria's.
            return any(o.first > k and o is not h and not o.container for o in hits)
    return False


def _listed_country(tokens: list[Token], best: PlaceHit, hits: list[PlaceHit]) -> PlaceMatch | None:
    """ "in Aleppo, Latakia, Hama and Tartus": a count over a list of places is the country's
    when they share one."""
    country = best.match.kind == "country"
    chain = [best]
    for h in hits:
        last = chain[-1]
        if h.first <= last.first or (h.match.kind == "country") != country or h.demonym:
            continue
        gap = [t for t in tokens[last.end : h.first] if t.low == "and" or t.low not in _MODIFIERS]
        if gap and all(t.low in {",", "and"} or t.cap for t in gap) and len(gap) <= 4:
            chain.append(h)
    joined = len(chain) >= 2 and any(
        t.low == "and" for t in tokens[chain[-2].end : chain[-1].first]
    )
    if country:
        # "the earthquake that devastated southern Turkey and northern Syria": a toll over
        # two countries is neither's.
        return _NO_PLACE if joined else None
    two = len(chain) == 2 and joined
    if (len(chain) < 3 and not two) or len({h.match.country for h in chain}) != 1:
        return None
    # "in Aleppo, Latakia, Hama and Tartus", "in North Kivu and South Kivu provinces".
    entry = country_entry(best.match.country)
    return _to_match(entry, "", 0.8) if entry is not None else None


# A name ending in one of these is a place by its noun: "Tingri county", "Zamzam camp".
_NAMED_BY_NOUN = _SETTLEMENT_NOUNS | REGION_NOUNS


def _bearings(tokens: list[Token], hits: list[PlaceHit]) -> set[int]:
    """ "in Tingri county in Tibet's Shigatse region", "the village of Pazigyi in the Sagaing
    region": the places after a town's "in" only say where the town is."""
    out: set[int] = set()
    if len(hits) < 2:
        return out  # a place only says where another one is
    for a in hits:
        if a.container or a.dateline or a.demonym or a.match.kind == "country":
            continue
        named = (
            a.match.geonameid is not None
            or tokens[a.end - 1].low in _NAMED_BY_NOUN
            or (a.first >= 2 and tokens[a.first - 1].low == "of"
                and tokens[a.first - 2].low in _SETTLEMENT_NOUNS)
        )  # fmt: skip
        if not named:
            continue  # "the Litoral Penitentiary in Guayaquil": a building in the town
        k = a.end
        if k + 1 < len(tokens) and tokens[k].text == "," and tokens[k + 1].low in {"the", "a"}:
            # "In Tacloban, the capital of Leyte province, ...": the apposition only
            # describes the town.
            stop = next(
                (m for m in range(k + 1, len(tokens)) if tokens[m].text in {",", ";", "."}),
                len(tokens),
            )
            if stop < len(tokens) and tokens[stop].text == "," and stop - k <= 10:
                out.update(id(b) for b in hits if k < b.first < stop and b is not a)
            continue
        if k >= len(tokens) or tokens[k].low != "in":
            continue
        k += 1
        while k < len(tokens) and (tokens[k].low in _MODIFIERS or tokens[k].low == "the"):
            k += 1
        for b in hits:
            if b.first == k and b is not a:
                out.add(id(b))
                k = b.end
    return out


_WAR_WORDS = frozenset(word_list("war conflict insurgency offensive campaign crackdown"))
_WAR_PREPOSITIONS = frozenset(word_list("before after during since in throughout until from for"))


def _war_scope(tokens: list[Token], hits: list[PlaceHit], anchor: int | None) -> bool:
    """Whether the count is a whole war's: "the war has killed", "14 years of civil war
    killed", with no place named between the war and the figure."""
    if anchor is None or _WAR_WORDS.isdisjoint(words_of(tokens)):
        return False  # most sentences name no war
    for k in range(anchor - 1, -1, -1):
        if tokens[k].low in _WAR_WORDS:
            j = k - 1
            while j >= 0 and tokens[j].low in {"the", "civil", "this", "a"}:
                j -= 1
            if j >= 0 and tokens[j].low in _WAR_PREPOSITIONS:
                return False  # "Before the war, 500 trucks entered Gaza every day"
            return not any(k < h.first < anchor for h in hits if not h.container)
        # Coordinated counts share the war: "has killed 40,000 and driven 12 million".
        if tokens[k].low in {";", ".", "said"}:
            return False
    return False


# The sort key of hits by position: a C-level getter rather than a lambda called per hit.
_FIRST = attrgetter("first")


def choose_place(
    tokens: list[Token],
    hits: list[PlaceHit],
    anchor: int | None,
    attribution: Attribution | None,
    context: ParseContext,
) -> PlaceMatch | None:
    """The place of the count at token `anchor` among the places found in its sentence: the
    most specific place where it happened, never where someone spoke or the country that
    attacked; where people fled to or from only when they are what is counted (the count's
    own clause). A dateline only when the sentence names no other place. The story's main
    place (from context, lower confidence) when none is left."""
    if not hits and context.main_place is None:
        return None  # nothing named and nothing to infer
    candidates = [
        h
        for h in hits
        if h.match.country
        and not h.container
        and not h.dateline
        and not _spoken_at(tokens, h, anchor)
    ]
    bearings = _bearings(tokens, hits)
    candidates = (
        [h for h in candidates if id(h) not in bearings and not h.bearing and not h.aside]
        or [h for h in candidates if id(h) not in bearings and not h.bearing]
        or [h for h in candidates if id(h) not in bearings]
    )
    # "Iran executed 834 people": with no other place, the party is where it happened.
    usable = [h for h in candidates if not _party(tokens, h, hits)] or candidates
    datelines = [h for h in hits if h.dateline and not h.container]
    if (
        datelines
        and all(h.demonym for h in usable)
        and all(h.match.country == datelines[0].match.country for h in usable)
        # "Belarusian police have detained 6,700", "The Philippine government's toll":
        # a nation's own count is the country's, unless the nationality only says who spoke.
        and all(
            attribution is not None and attribution.first <= h.first < attribution.end
            for h in usable
        )
    ):
        # "MOSUL, Iraq (AP) — ... Iraqi officials said": the dateline's city is the most
        # specific place the story gives.
        usable = [h for h in datelines if h.match.kind != "country"] + usable
    named_countries = {
        h.match.country for h in usable if not h.demonym and _same_clause(tokens, anchor, h.first)
    }
    # "Sudanese civilians ... in Darfur": the nationality yields to a place named in it.
    usable = [h for h in usable if not (h.demonym and h.match.country in named_countries)]
    moves = {id(h): _moved(tokens, h, anchor) for h in usable}
    ordered = sorted(usable, key=_FIRST) if len(usable) > 1 else usable
    for prev, h in zip(ordered, ordered[1:], strict=False):
        # "from Egypt, Syria and Pakistan": the whole list came from there.
        gap = tokens[prev.end : h.first]
        if moves[id(prev)] and not moves[id(h)] and gap and all(t.low in {",", "and"} for t in gap):
            moves[id(h)] = moves[id(prev)]
    dying = 2 in moves.values() and not _DEATH_WORDS.isdisjoint(words_of(tokens))
    destination = False
    for h in usable:
        if moves[id(h)] == 2 and _same_clause(tokens, anchor, h.first):
            destination = True
            break

    def score(h: PlaceHit) -> float:
        s = h.match.confidence
        if h.locative:
            s += 3
        if h.match.kind in {"city", "district"}:
            s += 1
        elif h.match.kind == "region":
            s += 0.5
        if h.demonym:
            # "Ukrainian towns" yields to a town named in the same clause.
            s -= 2
            if (
                anchor is not None
                and 0 < h.first - anchor <= 3
                and not any(o.match.country == h.match.country for o in usable if not o.demonym)
            ):
                # "60,000 Israelis and about 110,000 Lebanese": the counted people's own.
                s += 4.5
        move = moves[id(h)]
        if move and not _same_clause(tokens, anchor, h.first):
            # "400 were killed in Aleppo, and thousands fled to Turkey".
            s -= 4
        elif move == 1 and destination:
            s -= 2  # "crossing from Ukraine into Poland": counted where they arrive
        if anchor is not None and h.first > anchor:
            words = [tokens[k].low for k in range(anchor, h.first)]
            pairs = set(zip(words, words[1:], strict=False))
            if set(words) & _BREAKDOWN or (",", "with") in pairs:
                # "killed 157 people, most of them in Jajarkot district", "killed 35, with
                # 1,800 cases in the capital": a part of the count, or another one.
                s -= 2.5
            elif set(words) & _LATER_CLAUSE or (",", "and") in pairs:
                # "killing six people, two weeks after the disaster that flattened Antakya".
                s -= 1.5
        if h.end < len(tokens) and tokens[h.end].low in _ATTRIBUTIVE_NOUNS:
            # "near the Kakhovka dam in Kherson": the name is a label of the thing.
            s -= 1.5
        if attribution is not None and attribution.first <= h.first < attribution.end:
            s -= 3
        if anchor is not None:
            lo, hi = (anchor, h.first) if anchor <= h.first else (h.first, anchor)
            s -= 0.08 * (hi - lo)
            if has_word(tokens, lo, hi, SAY_VERBS):
                s -= 2
            if h.first > anchor and not has_word(tokens, lo, hi, _CLAUSE_BREAKS):
                # "killed 400 people in Syria's largest city": the place that follows the
                # figure in its own clause.
                s += 1
        else:
            s -= 0.01 * h.first
        return s

    if not usable:
        usable = [h for h in hits if h.dateline and not h.container]
    main = context.main_place
    # "sent to hospitals in Baghdad" in another clause, or only "the Italian coast guard
    # said": the story's own place says more.
    # "died trying to reach Britain", "migrants heading for Britain drowned": where the dead
    # were going is not where they died.
    usable = [h for h in usable if not (moves[id(h)] == 2 and dying)]
    if main is not None:
        usable = [
            h
            for h in usable
            if not (moves[id(h)] and not _same_clause(tokens, anchor, h.first))
            and not (
                h.demonym
                and (
                    h.match.confidence < 0.8
                    or (attribution is not None and attribution.first <= h.first < attribution.end)
                )
                and main.country == h.match.country
                and main.kind != "country"
            )
        ]
    if main is not None:
        # "Police arrested three smugglers, the Crotone prosecutor's office said": the
        # speaker's seat, when it is all the sentence names, yields to the story's place in
        # the same country.
        usable = [
            h
            for h in usable
            if not (
                attribution is not None
                and attribution.first <= h.first < attribution.end
                and h.match.country == main.country
                and not h.locative
            )
        ]
    if _war_scope(tokens, hits, anchor):
        # "The war ... has killed at least 40,000 people": the whole war's toll is the
        # country's, not that of a town named in passing or of the story's city.
        at = anchor or 0
        own = [
            h
            for h in usable
            if h.first > at
            and _same_clause(tokens, anchor, h.first)
            and not has_word(tokens, at, h.first, _LATER_CLAUSE)
        ]
        if not own:
            code = usable[0].match.country if usable else (main.country if main else "")
            entry = country_entry(code) if code else None
            if entry is not None:
                return _to_match(entry, "", INFERRED_CONFIDENCE)
    if usable:
        best = usable[0] if len(usable) == 1 else max(usable, key=score)
        if _seat(tokens, best):
            if main is not None and main.country == best.match.country and main.kind != "country":
                return PlaceMatch(
                    main.name, main.country, main.kind, "", INFERRED_CONFIDENCE,
                    main.place_id, main.geonameid,
                )  # fmt: skip
            entry = country_entry(best.match.country)
            if entry is not None:
                return _to_match(entry, "", INFERRED_CONFIDENCE)
        listed = _listed_country(tokens, best, usable)
        if listed is _NO_PLACE:
            return None
        return listed or best.match
    if main is not None and not _at_sea(tokens):
        return PlaceMatch(
            main.name,
            main.country,
            main.kind,
            "",
            INFERRED_CONFIDENCE,
            main.place_id,
            main.geonameid,
        )
    return None


_SEAS = frozenset(
    word_list("mediterranean aegean adriatic channel atlantic pacific caribbean sahel sahara")
)


def _at_sea(tokens: list[Token]) -> bool:
    """ "have died in the central Mediterranean", "across the Sahel", "at sea": a count over a
    sea or a wider area than any country is not the story's town's."""
    for k in range(1, len(tokens) - 1):
        if tokens[k].low in {"at", "by"} and tokens[k + 1].low == "sea":
            return True  # "migrants who have died trying to reach Britain by sea"
        if tokens[k].low not in {"in", "across", "on", "at"} or tokens[k + 1].low != "the":
            continue
        m = k + 2
        while m < len(tokens) and tokens[m].low in _MODIFIERS:
            m += 1
        if m < len(tokens) and tokens[m].low in _SEAS and tokens[m].cap:
            return True
    return False
