"""Per-field accuracy over the hand-annotated corpus, printed and held to a floor."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from claims.parsing import KnownSource, ParseContext, ParsedClaim, parse
from claims.parsing.attribution import normalise_name, resolve_source
from claims.parsing.places import lookup
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
        ("OCHA", "UN humanitarian office", "U.N. humanitarian office"),
    ),
    KnownSource(5, "UNHCR", ("UN refugee agency", "U.N. refugee agency", "U.N. refugee chief")),
    KnownSource(
        6,
        "Gaza Health Ministry",
        (
            "Health Ministry in Gaza",
            "Health Ministry in Hamas-run Gaza",
            "Gaza health officials",
            "Palestinian health officials",
        ),
    ),
    KnownSource(7, "Israel Defense Forces", ("IDF", "Israeli military")),
    KnownSource(8, "International Committee of the Red Cross", ("ICRC", "Red Cross")),
    KnownSource(9, "International Organization for Migration", ("IOM",)),
    KnownSource(10, "Doctors Without Borders", ("MSF", "Medecins Sans Frontieres")),
    KnownSource(11, "World Health Organization", ("WHO",)),
    KnownSource(
        12,
        "National Disaster Management Authority",
        ("NDMA", "Pakistan's disaster management authority"),
    ),
    KnownSource(
        13,
        "OHCHR",
        ("UN human rights office", "U.N. human rights monitoring mission"),
    ),
    KnownSource(14, "AFAD", ("Turkey's disaster agency", "Disaster and Emergency Management")),
    KnownSource(15, "UN Development Programme", ("UNDP", "U.N. Development Programme")),
    KnownSource(16, "UNAMI", ("U.N. mission in Iraq", "UN Assistance Mission for Iraq")),
    KnownSource(17, "UNRWA", ()),
    KnownSource(18, "White Helmets", ("Syria Civil Defence", "White Helmets civil defense group")),
    KnownSource(19, "Libyan Red Crescent", ()),
    KnownSource(20, "OVD-Info", ()),
)

FLOORS = {
    "count_f1": 0.95,
    "value": 0.95,
    "event": 0.95,
    "time": 0.90,
    "place": 0.90,
    "source": 0.90,
}


def _rows() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]


def _same_place(gold: dict[str, str] | None, got: ParsedClaim) -> bool:
    if gold is None or got.place is None:
        return gold is None and got.place is None
    if gold["country"] != got.place.country:
        return False
    if fold(gold["name"]) == fold(got.place.name):
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
                misses.append(f"{field}: {row['text']}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    scores = {"count_precision": precision, "count_recall": recall, "count_f1": f1}
    for field in totals:
        scores[field] = right[field] / totals[field] if totals[field] else 1.0
    return scores, misses


def test_it_reads_the_corpus_above_the_floors() -> None:
    rows = _rows()
    assert len(rows) >= 80
    assert sum(not r["is_count"] for r in rows) >= 15
    scores, misses = measure()
    print(f"\ncorpus: {len(rows)} sentences")
    for name, value in scores.items():
        print(f"  {name:16} {value:.3f}")
    for miss in misses:
        print("  miss", miss)
    for name, floor in FLOORS.items():
        assert scores[name] >= floor, f"{name} {scores[name]:.3f} < {floor}"
