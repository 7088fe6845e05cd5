"""What happened to whom: event words, the nouns that make a number a count, and population."""

from __future__ import annotations

from claims.parsing.tokens import WORD, Token, word_list

EVENT_WORDS: dict[str, str] = {}
for _event, _words in {
    "killed": (
        "kill killed kills killing killings die died dies dying dead death deaths fatalities "
        "fatality perished perish slain drowned drowning massacred executed murdered lives "
        "bodies corpses toll buried"
    ),
    "injured": (
        "injure injured injures injuring injuries injury wound wounded wounding wounds hurt "
        "maimed hospitalised hospitalized burns"
    ),
    "displaced": (
        "displace displaced displacing displacement fled flee fleeing flees homeless "
        "uprooted refugees exodus"
    ),
    "evacuated": "evacuate evacuated evacuating evacuation evacuations evacuees",
    "detained": (
        "arrest arrested arresting arrests detain detained detaining detention detentions "
        "abducted abduct abducting abductions kidnapped kidnap kidnapping kidnappings captured "
        "imprisoned jailed detainees"
    ),
    "missing": "missing unaccounted disappeared",
}.items():
    for _w in _words.split():
        EVENT_WORDS[_w] = _event

# Two-word forms that decide the event on their own.
EVENT_PHRASES: dict[tuple[str, str], str] = {
    ("lives", "lost"): "killed",
    ("lost", "lives"): "killed",
    ("their", "lives"): "killed",
    ("death", "toll"): "killed",
    ("taken", "hostage"): "detained",
    ("taken", "prisoner"): "detained",
    ("rounded", "up"): "detained",
    ("forced", "from"): "displaced",
    ("driven", "from"): "displaced",
    ("crossed", "into"): "displaced",
    ("injury", "toll"): "injured",
    ("shot", "dead"): "killed",
    ("gunned", "down"): "killed",
    ("crossing", "into"): "displaced",
    ("crossing", "from"): "displaced",
    ("crossed", "from"): "displaced",
    ("without", "shelter"): "displaced",
    ("their", "homes"): "displaced",
    ("taken", "shelter"): "displaced",
    ("taking", "shelter"): "displaced",
    ("took", "shelter"): "displaced",
    ("sought", "shelter"): "displaced",
    ("seeking", "shelter"): "displaced",
}

# Verbs a running toll takes: "the death toll rose to 45", "the number of dead stood at 12".
TOLL_VERBS = frozenset(
    word_list("rose risen climbed jumped reached stood stands increased hit passed topped")
)

POPULATION: dict[str, str] = {}
for _pop, _words in {
    "all": (
        "people person persons individuals residents inhabitants villagers migrants refugees "
        "asylum seekers passengers women men adults victims casualties bodies corpses "
        "patients prisoners inmates detainees hostages worshippers protesters demonstrators "
        "workers journalists reporters doctors nurses medics paramedics teachers students "
        "pupils shoppers pilgrims farmers fishermen members evacuees survivors dead "
        "nationals citizens "
        "others lives"
    ),
    "civilians": "civilian civilians noncombatants non-combatants",
    "children": (
        "children child kids boys girls schoolgirls schoolboys babies infants minors toddlers "
        "newborns schoolchildren teenagers teens youngsters"
    ),
    "combatants": (
        "fighters fighter soldiers soldier troops combatants militants militant rebels rebel "
        "insurgents gunmen jihadists militiamen militia guerrillas servicemen servicemembers "
        "marines commandos mercenaries policemen officers troopers guards conscripts recruits"
    ),
}.items():
    for _w in _words.split():
        POPULATION[_w] = _pop
# Group names that are counted like people nouns: "killed 30 Taliban".
for _w in ("taliban", "houthis", "rohingya", "kurds", "yazidis", "uighurs", "uyghurs"):
    POPULATION[_w] = "all"

# Units other than people, as the DESIGN names them where copy states them.
UNITS: dict[str, str] = {
    "trucks": "trucks",
    "truck": "trucks",
    "lorries": "trucks",
    "convoys": "convoys",
    "families": "families",
    "households": "families",
    "homes": "homes",
    "houses": "homes",
    "dwellings": "homes",
    "buildings": "buildings",
    "tonnes": "tonnes",
    "tons": "tonnes",
    "dollars": "dollars",
    "usd": "dollars",
    "euros": "euros",
    "pounds": "pounds",
    "tents": "tents",
    "shelters": "shelters",
    "schools": "schools",
    "hospitals": "hospitals",
    "boats": "boats",
    "vehicles": "vehicles",
    "meals": "meals",
    "rations": "rations",
    "doses": "doses",
    "cases": "cases",
    "infections": "cases",
}

# Nouns after which a number is not a count of anything the desk records: places, time
# spans, measures, rounds of talks, weapons and the like.
NOT_COUNTED = frozenset(
    word_list(
        "district districts neighborhood neighborhoods neighbourhood neighbourhoods area areas "
        "province provinces region regions village villages town towns city cities country "
        "countries state states governorate governorates territory territories sites site "
        "locations location fronts front streets street road roads kilometres kilometers km "
        "kms miles metres meters feet foot degrees percent per cent pct points point round "
        "rounds session sessions talks meetings meeting years year months month weeks week "
        "days day hours hour minutes minute seconds second decades decade centuries century "
        "times magnitude storeys stories floors floor helicopters helicopter aircraft jets "
        "planes warplanes missiles rockets shells bombs barrels drones airstrikes strikes raids "
        "attacks attack explosions blasts tanks artillery guns rifles votes seats "
        "resolutions resolution articles article pages page hectares acres square "
        "a.m p.m am pm gmt o'clock times-a-day items sides parties factions occasions "
        "incidents waves stages phases steps options kinds types ways languages"
    )
)
# Money is never a count the desk records: "$2 billion in aid", "50 million euros".
MONEY_UNITS = frozenset({"dollars", "euros", "pounds"})
MONEY_WORDS = frozenset(
    word_list("dollars dollar usd euros euro pounds sterling rupees yuan yen francs rubles roubles")
)
# Kin nouns: "his six grown children" describes a family, it does not count casualties.
KIN_WORDS = frozenset(
    word_list(
        "children child sons son daughters daughter grandchildren siblings brothers sisters "
        "kids stepchildren"
    )
)
# Nouns that make a number someone's age: "12 years old", "aged 12".
AGE_WORDS = frozenset({"aged", "age", "ages"})

_PEOPLE_ENDINGS = ("ians", "eans", "ans", "is", "ese", "ers", "ists", "ees", "men")


def is_people_word(tok: Token) -> bool:
    """A people noun, or a plural demonym like "Palestinians", "Yemenis", "Sudanese"."""
    w = tok.base
    if w in POPULATION:
        return True
    if tok.kind != WORD or len(w) < 5:
        return False
    return tok.cap and w.endswith(("ians", "ans", "is", "ese", "ers"))


def population_of(tok: Token | None) -> str:
    if tok is None:
        return "all"
    return POPULATION.get(tok.base, "all")


# Every word an event can be named by, alone or as the first of two. Callers in loops test
# it before calling event_at: a call costs more than the test.
EVENT_OPENERS = frozenset(EVENT_WORDS) | frozenset(first for first, _ in EVENT_PHRASES)


def event_at(tokens: list[Token], i: int) -> str | None:
    """The event named by tokens[i] (with the next token for two-word forms), or None."""
    low = tokens[i].low
    if low not in EVENT_OPENERS:
        # Most words of a sentence, and the grammars ask about every word near a count.
        return None
    if i + 1 < len(tokens):
        phrase = EVENT_PHRASES.get((low, tokens[i + 1].low))
        if phrase is not None:
            return phrase
    event = EVENT_WORDS.get(low)
    if event is None:
        return None
    if i + 1 < len(tokens) and tokens[i + 1].low in {"warrant", "warrants"}:
        return None  # "arrest warrants were issued for nine people": no one is held yet
    # "toll" alone is a death toll in casualty copy; "injury toll" is caught above.
    if low == "toll" and i > 0 and tokens[i - 1].low in {"injury", "injuries"}:
        return "injured"
    # "the dead man" vs "400 dead": still killed; "dead" as an adjective is rare in counts.
    return event


def event_positions(tokens: list[Token]) -> list[tuple[int, str]]:
    """Every event word in the tokens with its position."""
    found: list[tuple[int, str]] = []
    for i, tok in enumerate(tokens):
        if tok.kind != WORD:
            continue
        event = event_at(tokens, i)
        if event is not None:
            found.append((i, event))
    return found
