"""Whole-story reading: every count a fact-checker would log, matched figure by figure.

Each file in stories/ is one wire-style story worded for this repo, modelled on a real event,
with every count annotated by hand. A count is found when a candidate with a number overlaps
its figure phrase (one candidate per count); the fields are then compared on the found ones.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from claims.parsing import Candidate, KnownSource, ParseContext, ParsedClaim, extract
from claims.parsing.sources import normalise_name, resolve_source
from tests.parsing.test_corpus import SOURCES as CORPUS_SOURCES
from tests.parsing.test_corpus import _same_place, _same_time

STORIES = Path(__file__).with_name("stories")

# Sources the stories name beyond the corpus register, as the desk would register them.
STORY_SOURCES: list[KnownSource] = [
    KnownSource(101, "Sudan Doctors Network", ("Sudanese Doctors Network",)),
    KnownSource(102, "Madani Resistance Committee", ()),
    KnownSource(103, "Iran Human Rights", ("IHR", "Oslo-based Iran Human Rights")),
    KnownSource(104, "Houthi-run Health Ministry", ("Houthi health ministry",)),
    KnownSource(105, "Armed Conflict Location & Event Data Project", ("ACLED",)),
    KnownSource(106, "UNICEF", ("U.N. children's agency", "UN children's agency")),
    KnownSource(107, "Hellenic Coast Guard", ("Greek coast guard",)),
    KnownSource(108, "Italian coast guard", ("Italy's coast guard",)),
    KnownSource(
        109,
        "International Federation of Red Cross and Red Crescent Societies",
        ("IFRC",),
    ),
    KnownSource(110, "Prothom Alo", ("Prothom Alo newspaper",)),
    KnownSource(111, "Aamin Ambulance", ("Aamin Ambulance service",)),
]
SOURCES: tuple[KnownSource, ...] = CORPUS_SOURCES + tuple(STORY_SOURCES)

FLOORS = {
    "recall": 0.92,
    "precision": 0.95,
    "value": 0.95,
    "event": 0.95,
    "period": 0.92,
    "place": 0.92,
    "source": 0.92,
}

QUALIFIERS = {"exact", "approx", "at_least", "more_than", "at_most", "fewer_than", "range", "vague"}
EVENTS = {"killed", "injured", "displaced", "evacuated", "detained", "missing", "other"}
POPULATIONS = {"all", "civilians", "combatants", "children"}
PERIOD_KINDS = {None, "day", "span", "to_date"}


def _stories() -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(STORIES.glob("*.json"))]


def _span(text: str, words: str, occurrence: int) -> tuple[int, int]:
    # Whole words only: "900" must not be found inside "2,900".
    pattern = re.compile(r"(?<![\w,])" + re.escape(words) + r"(?!\w)")
    hits = list(pattern.finditer(text))
    if len(hits) < occurrence:
        raise AssertionError(f"{words!r} (occurrence {occurrence}) is not in the text")
    hit = hits[occurrence - 1]
    return hit.start(), hit.end()


def _same_source(gold: str, got: ParsedClaim) -> bool:
    # Same rule as the corpus test, against this file's larger register.
    if not gold or not got.source_text:
        return not gold and not got.source_text
    want = resolve_source(gold, SOURCES)
    if want is not None and want.source_id is not None:
        return got.source is not None and got.source.source_id == want.source_id
    want_text, have_text = normalise_name(gold), normalise_name(got.source_text)
    if want_text == have_text:
        return True
    # "a teacher at the school, Sani Abdullahi" is rightly read as "Sani Abdullahi": a name of
    # two words or more that ends (or opens) the annotated words names the same speaker.
    return len(have_text.split()) >= 2 and (
        want_text.endswith(" " + have_text) or want_text.startswith(have_text + " ")
    )


def _match(spans: list[tuple[int, int]], candidates: list[Candidate]) -> dict[int, Candidate]:
    """One-to-one, largest overlap first, so a wide candidate cannot take two counts."""
    pairs: list[tuple[int, int, int]] = []
    for i, (start, end) in enumerate(spans):
        for j, cand in enumerate(candidates):
            overlap = min(end, cand.end) - max(start, cand.start)
            if overlap > 0:
                pairs.append((-overlap, i, j))
    taken_counts: dict[int, Candidate] = {}
    taken_cands: set[int] = set()
    for _, i, j in sorted(pairs):
        if i in taken_counts or j in taken_cands:
            continue
        taken_counts[i] = candidates[j]
        taken_cands.add(j)
    return taken_counts


def _context(count: dict[str, Any]) -> str:
    return f"{count['words']!r}"


def measure() -> tuple[dict[str, float], list[str]]:
    context = ParseContext(sources=SOURCES)
    annotated = matched = offered = 0
    fields = ("value", "event", "period", "place", "source", "population")
    right = dict.fromkeys(fields, 0)
    misses: list[str] = []
    for story in _stories():
        text = story["text"]
        counts = story["counts"]
        spans = [_span(text, c["words"], c.get("occurrence", 1)) for c in counts]
        got = [
            c
            for c in extract(text, date.fromisoformat(story["reported_on"]), context)
            if c.has_number
        ]
        pairing = _match(spans, got)
        annotated += len(counts)
        offered += len(got)
        matched += len(pairing)
        sid = story["id"]
        for i, count in enumerate(counts):
            cand = pairing.get(i)
            if cand is None:
                misses.append(f"{sid} missed: {_context(count)}")
                continue
            p = cand.parsed
            checks = {
                "value": (p.value_low, p.value_high) == (count["value_low"], count["value_high"]),
                "event": p.event == count["event"],
                "period": _same_time(count, p),
                "place": _same_place(count["place"], p),
                "source": _same_source(count["source_text"], p),
                "population": p.population == count["population"],
            }
            for field, ok in checks.items():
                right[field] += ok
                if not ok:
                    misses.append(
                        f"{sid} {field}: {_context(count)} got {_got(field, p)} "
                        f"want {_want(field, count)}"
                    )
        used = {id(c) for c in pairing.values()}
        for cand in got:
            if id(cand) not in used:
                misses.append(f"{sid} extra: {cand.words!r}")
    scores = {
        "recall": matched / annotated if annotated else 1.0,
        "precision": matched / offered if offered else 1.0,
    }
    for field in fields:
        scores[field] = right[field] / matched if matched else 0.0
    return scores, misses


def _got(field: str, p: ParsedClaim) -> str:
    if field == "value":
        return f"{p.value_low}..{p.value_high}"
    if field == "period":
        return f"{p.period_start}..{p.period_end} {p.period_kind}"
    if field == "place":
        return f"{p.place.name}/{p.place.country}" if p.place else "None"
    if field == "source":
        return repr(p.source_text)
    return str(getattr(p, field))


def _want(field: str, c: dict[str, Any]) -> str:
    if field == "value":
        return f"{c['value_low']}..{c['value_high']}"
    if field == "period":
        return f"{c['period_start']}..{c['period_end']} {c['period_kind']}"
    if field == "place":
        return f"{c['place']['name']}/{c['place']['country']}" if c["place"] else "None"
    if field == "source":
        return repr(c["source_text"])
    return str(c[field])


def test_the_stories_are_well_formed() -> None:
    stories = _stories()
    assert len(stories) >= 20
    ids = [s["id"] for s in stories]
    assert len(set(ids)) == len(ids)
    countries: set[str] = set()
    for story in stories:
        words = len(story["text"].split())
        assert 150 <= words <= 400, f"{story['id']}: {words} words"
        assert story["after"] and story["counts"], story["id"]
        reported = date.fromisoformat(story["reported_on"])
        for count in story["counts"]:
            _span(story["text"], count["words"], count.get("occurrence", 1))
            assert count["qualifier"] in QUALIFIERS, count
            assert count["event"] in EVENTS, count
            assert count["population"] in POPULATIONS, count
            assert count["period_kind"] in PERIOD_KINDS, count
            assert count["unit"], count
            low, high = count["value_low"], count["value_high"]
            assert isinstance(low, int) and (high is None or low <= high), count
            if count["period_kind"] is None:
                assert count["period_start"] is None and count["period_end"] is None, count
            else:
                start = date.fromisoformat(count["period_start"])
                end = date.fromisoformat(count["period_end"])
                assert start <= end <= reported, count
            if count["place"] is not None:
                assert set(count["place"]) == {"name", "country"}, count
                countries.add(count["place"]["country"])
    assert len(countries) >= 12, sorted(countries)


def test_it_reads_every_count_in_the_stories() -> None:
    stories = _stories()
    scores, misses = measure()
    total = sum(len(s["counts"]) for s in stories)
    print(f"\nstories: {len(stories)}, annotated counts: {total}")
    for name, value in scores.items():
        print(f"  {name:12} {value:.3f}")
    for miss in misses:
        print("  miss", miss)
    for name, floor in FLOORS.items():
        assert scores[name] >= floor, f"{name} {scores[name]:.3f} < {floor}"
