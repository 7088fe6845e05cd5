"""Per-field accuracy over the hand-annotated corpus, printed and held to a floor."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from claims.parsing import KnownSource, ParseContext, ParsedClaim, parse
from claims.parsing.gazetteer import lookup
from claims.parsing.sources import normalise_name, resolve_source
from claims.parsing.tokens import fold

CORPUS = Path(__file__).with_name("corpus.jsonl")

# The outlets, monitors and agencies the corpus attributes figures to, as the desk would
# register them.
SOURCES: tuple[KnownSource, ...] = (
    KnownSource(
        1,
        "Syrian Observatory for Human Rights",
        (
            "Observatory",
            "SOHR",
            "Britain-based Observatory for Human Rights",
            "Britain-based Syrian Observatory for Human Rights",
        ),
    ),
    KnownSource(2, "activists", ("activist groups", "opposition activists")),
    KnownSource(3, "United Nations", ("UN", "U.N.", "the United Nations")),
    KnownSource(
        4,
        "UN Office for the Coordination of Humanitarian Affairs",
        (
            "OCHA",
            "UN humanitarian office",
            "U.N. humanitarian office",
            "U.N. humanitarian office (OCHA)",
        ),
    ),
    KnownSource(
        5,
        "UNHCR",
        (
            "UN refugee agency",
            "U.N. refugee agency",
            "U.N. refugee chief",
            "U.N. High Commissioner for Refugees",
        ),
    ),
    KnownSource(
        6,
        "Gaza Health Ministry",
        (
            "Health Ministry in Gaza",
            "Health Ministry in Hamas-run Gaza",
            "Gaza health ministry",
            "Gaza health officials",
            "Palestinian health officials",
        ),
    ),
    KnownSource(7, "Israel Defense Forces", ("IDF", "Israeli military")),
    KnownSource(8, "International Committee of the Red Cross", ("ICRC", "Red Cross")),
    KnownSource(
        9,
        "International Organization for Migration",
        (
            "IOM",
            "International Organization for Migration (IOM)",
            "U.N. migration agency",
            "UN migration agency",
        ),
    ),
    KnownSource(
        10,
        "Doctors Without Borders",
        ("MSF", "Medecins Sans Frontieres", "medical charity Medecins Sans Frontieres"),
    ),
    KnownSource(11, "World Health Organization", ("WHO",)),
    KnownSource(
        12,
        "National Disaster Management Authority",
        (
            "NDMA",
            "Pakistan's disaster management authority",
            "Pakistan's National Disaster Management Authority",
        ),
    ),
    KnownSource(
        13,
        "OHCHR",
        (
            "UN human rights office",
            "U.N. human rights office",
            "U.N. human rights monitoring mission",
        ),
    ),
    KnownSource(
        14,
        "AFAD",
        (
            "Turkey's disaster agency",
            "Disaster and Emergency Management",
            "disaster management authority AFAD",
        ),
    ),
    KnownSource(15, "UN Development Programme", ("UNDP", "U.N. Development Programme")),
    KnownSource(16, "UNAMI", ("U.N. mission in Iraq", "UN Assistance Mission for Iraq")),
    KnownSource(17, "UNRWA", ()),
    KnownSource(
        18,
        "White Helmets",
        (
            "Syria Civil Defence",
            "White Helmets civil defense group",
            "White Helmets rescue group",
        ),
    ),
    KnownSource(19, "Libyan Red Crescent", ()),
    KnownSource(20, "OVD-Info", ("independent rights group OVD-Info",)),
    KnownSource(
        21,
        "United Nations Assistance Mission in Afghanistan",
        ("UNAMA", "United Nations Assistance Mission in Afghanistan (UNAMA)"),
    ),
    KnownSource(22, "World Food Programme", ("WFP", "World Food Program")),
    KnownSource(23, "UNICEF", ("United Nations Children's Fund",)),
    KnownSource(24, "Human Rights Watch", ("HRW",)),
    KnownSource(25, "Amnesty International", ("Amnesty", "Amnesty International Nigeria")),
    KnownSource(
        26,
        "Iran Human Rights",
        ("IHR", "Oslo-based group Iran Human Rights", "Oslo-based Iran Human Rights"),
    ),
    KnownSource(27, "HRANA", ("Human Rights Activists News Agency", "rights group HRANA")),
    KnownSource(
        28,
        "Assistance Association for Political Prisoners",
        ("AAPP", "Assistance Association for Political Prisoners (Burma)"),
    ),
    KnownSource(
        29,
        "Africa CDC",
        (
            "Africa Centres for Disease Control and Prevention",
            "Africa Centres for Disease Control and Prevention (Africa CDC)",
        ),
    ),
    KnownSource(
        30,
        "ACLED",
        (
            "Armed Conflict Location and Event Data Project",
            "Armed Conflict Location and Event Data Project (ACLED)",
        ),
    ),
    KnownSource(
        31,
        "Kenya National Commission on Human Rights",
        (
            "KNCHR",
            "Kenya National Commission on Human Rights (KNCHR)",
            "state-funded Kenya National Commission on Human Rights (KNCHR)",
            "national rights commission",
        ),
    ),
    KnownSource(
        32,
        "National Emergency Management Agency",
        ("NEMA", "National Emergency Management Agency (NEMA)"),
    ),
    KnownSource(
        33,
        "National Migration Institute",
        (
            "INM",
            "Mexico's National Migration Institute (INM)",
            "Mexico's National Migration Institute",
        ),
    ),
    KnownSource(
        34,
        "National Disaster Risk Reduction and Management Council",
        ("NDRRMC",),
    ),
    KnownSource(35, "BNPB", ("national disaster agency (BNPB)", "Indonesia's disaster agency")),
    KnownSource(36, "SANA", ("state news agency SANA", "Syrian Arab News Agency")),
    KnownSource(37, "Xinhua", ("state news agency Xinhua", "Xinhua news agency")),
    KnownSource(38, "CCTV", ("state broadcaster CCTV", "China Central Television")),
    KnownSource(39, "Kyiv Independent", ("Kyiv Independent website",)),
    KnownSource(40, "al-Masirah", ("Houthis' al-Masirah satellite news channel", "al-Masirah TV")),
    KnownSource(41, "Egyptian Commission for Rights and Freedoms", ("ECRF",)),
    KnownSource(42, "Central Committee of Sudanese Doctors", ("Sudan Doctors' Committee",)),
    KnownSource(43, "Sudanese Doctors Union", ()),
    KnownSource(
        44,
        "Caminando Fronteras",
        ("Walking Borders", "Spanish migrant rights group Caminando Fronteras"),
    ),
    KnownSource(45, "Investigative Committee of Russia", ("Russia's Investigative Committee",)),
    KnownSource(
        46,
        "State Emergency Service of Ukraine",
        (
            "State Emergency Service",
            "Ukraine's State Emergency Service",
            "Ukraine's emergency service",
        ),
    ),
    KnownSource(47, "Polish Border Guard", ()),
    KnownSource(48, "Italian Red Cross", ()),
    KnownSource(49, "Emergency Medicine Centre", ()),
    KnownSource(50, "Houthi-run health ministry", ("Houthi health ministry",)),
)

FLOORS = {
    "count_f1": 0.97,
    "value": 0.95,
    "event": 0.95,
    "time": 0.92,
    "place": 0.92,
    "source": 0.92,
}


def _rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


# Copy writes "Herat province" and the annotation keeps "Herat"; a gazetteer answering
# "Herat Province" has found the same place.
_ADMIN_WORDS = frozenset(
    (
        "province",
        "state",
        "region",
        "oblast",
        "district",
        "county",
        "governorate",
        "prefecture",
        "department",
    )
)


def _bare(name: str) -> str:
    words = fold(name).split()
    while len(words) > 1 and words[-1] in _ADMIN_WORDS:
        words.pop()
    return " ".join(words)


def _same_place(gold: dict[str, str] | None, got: ParsedClaim) -> bool:
    if gold is None or got.place is None:
        return gold is None and got.place is None
    if gold["country"] != got.place.country:
        return False
    if _bare(gold["name"]) == _bare(got.place.name):
        return True
    # The annotation uses copy's spelling ("Derna"); the gazetteer has its own ("Darnah").
    entry = lookup(gold["name"], country=gold["country"])
    return entry is not None and entry.name == got.place.name


def _same_source(gold: str, got: ParsedClaim) -> bool:
    if not gold or not got.source_text:
        return not gold and not got.source_text
    want = resolve_source(gold, SOURCES)
    have = got.source
    if want is not None and want.source_id is not None:
        return have is not None and have.source_id == want.source_id
    return normalise_name(gold) == normalise_name(got.source_text)


def _same_time(row: dict[str, Any], got: ParsedClaim) -> bool:
    start = got.period_start.isoformat() if got.period_start else None
    end = got.period_end.isoformat() if got.period_end else None
    return (start, end, got.period_kind) == (
        row["period_start"],
        row["period_end"],
        row["period_kind"],
    )


def _want_got(field: str, row: dict[str, Any], got: ParsedClaim) -> str:
    """Both sides of a miss, so a reader can tell a parser error from an annotation one."""
    if field == "value":
        want: object = (row["value_low"], row["value_high"])
        have: object = (got.value_low, got.value_high)
    elif field == "event":
        want, have = row["event"], got.event
    elif field == "time":
        want = (row["period_start"], row["period_end"], row["period_kind"])
        have = (
            got.period_start.isoformat() if got.period_start else None,
            got.period_end.isoformat() if got.period_end else None,
            got.period_kind,
        )
    elif field == "place":
        want = row["place"] and (row["place"]["name"], row["place"]["country"])
        have = got.place and (got.place.name, got.place.country)
    else:
        want, have = row["source_text"], got.source_text
    return f"want {want!r}, got {have!r}"


def measure() -> tuple[dict[str, float], list[str]]:
    context = ParseContext(sources=SOURCES)
    tp = fp = fn = 0
    right = {"value": 0, "event": 0, "time": 0, "place": 0, "source": 0}
    totals = {"value": 0, "event": 0, "time": 0, "place": 0, "source": 0}
    misses: list[str] = []
    for row in _rows():
        got = parse(row["text"], date.fromisoformat(row["reported_on"]), context)
        is_count = got.value_low is not None
        gold_count = row["is_count"]
        tp += is_count and gold_count
        fp += is_count and not gold_count
        fn += gold_count and not is_count
        checks = {
            "time": _same_time(row, got),
            "place": _same_place(row["place"], got),
            "source": _same_source(row["source_text"], got),
        }
        if gold_count:
            checks["value"] = (got.value_low, got.value_high) == (
                row["value_low"],
                row["value_high"],
            )
            checks["event"] = got.event == row["event"]
        if is_count != gold_count:
            misses.append(f"count: {row['text']}")
        for field, ok in checks.items():
            totals[field] += 1
            right[field] += ok
            if not ok:
                misses.append(f"{field}: {row['text']}  [{_want_got(field, row, got)}]")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = {"count_precision": precision, "count_recall": recall, "count_f1": f1}
    for field in totals:
        scores[field] = right[field] / totals[field] if totals[field] else 1.0
    return scores, misses


def test_it_reads_the_corpus_above_the_floors() -> None:
    rows = _rows()
    assert len(rows) >= 400
    assert sum(not r["is_count"] for r in rows) >= 15
    countries = {r["place"]["country"] for r in rows if r["place"]}
    assert len(countries) >= 12, sorted(countries)
    scores, misses = measure()
    print(f"\ncorpus: {len(rows)} sentences from {len(countries)} countries")
    for name, value in scores.items():
        print(f"  {name:16} {value:.3f}")
    by_field: dict[str, list[str]] = {}
    for miss in misses:
        field, _, text = miss.partition(": ")
        by_field.setdefault(field, []).append(text)
    for field, texts in sorted(by_field.items()):
        print(f"  misses in {field}: {len(texts)}")
        for text in texts:
            print(f"    {text}")
    for name, floor in FLOORS.items():
        assert scores[name] >= floor, f"{name} {scores[name]:.3f} < {floor}"
