"""Parser throughput on one core: sentences per second over the corpus, and the time to
extract the candidates of a 1,000-word story built from corpus sentences.

Run: .venv/bin/python bench/parsing_bench.py
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.parsing import KnownSource, ParseContext, extract, parse, warm_up  # noqa: E402

CORPUS = ROOT / "tests" / "parsing" / "corpus.jsonl"
SOURCES = (
    KnownSource(1, "Syrian Observatory for Human Rights", ("Observatory", "SOHR")),
    KnownSource(2, "activists"),
    KnownSource(3, "United Nations", ("UN", "U.N.")),
    KnownSource(5, "UNHCR", ("UN refugee agency", "U.N. refugee agency")),
)


def main() -> None:
    rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    context = ParseContext(sources=SOURCES)
    started = time.perf_counter()
    warm_up()
    print(f"gazetteer load (one-time): {(time.perf_counter() - started) * 1000:.0f} ms")

    items = [(r["text"], date.fromisoformat(r["reported_on"])) for r in rows]
    repeats = 20
    started = time.perf_counter()
    for _ in range(repeats):
        for text, reported_on in items:
            parse(text, reported_on, context)
    elapsed = time.perf_counter() - started
    total = repeats * len(items)
    print(f"parse: {total} sentences in {elapsed:.2f} s = {total / elapsed:,.0f} sentences/s")

    story_sentences: list[str] = []
    words = 0
    while words < 1000:
        text = rows[len(story_sentences) % len(rows)]["text"]
        story_sentences.append(text)
        words += len(text.split())
    story = " ".join(story_sentences)
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        found = extract(story, date(2014, 2, 13), context)
        timings.append(time.perf_counter() - started)
    print(
        f"extract: {len(story.split())}-word story, {len(story_sentences)} sentences, "
        f"{len(found)} candidates: median {statistics.median(timings) * 1000:.1f} ms, "
        f"max {max(timings) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
