"""Parser throughput on one core: sentences per second over the corpus, and the time to
extract the candidates of a 1,000-word story built from corpus sentences.

Times are CPU time of this process (time.process_time), best of several rounds: the figure
does not move with whatever else the machine is running, and the best round is the one least
disturbed by it. Characters per second are printed too, because the corpus grows by longer
sentences as well as by more of them: sentences per second alone falls when the copy gets
longer even if the parser has not slowed down.

Run: .venv/bin/python bench/parsing_bench.py [--rounds N] [--dump PATH]

--rounds sets the rounds of each measure (20): with a fixed number, an instruction count
(`valgrind --tool=cachegrind`) of two runs that differ only in it is the work of those rounds,
whatever else the machine is running. --dump writes the full reading of every corpus sentence
and of the story to PATH, one repr a line, and exits: two checkouts' dumps compared line by
line show whether a change to the parser changed any result.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from claims.parsing import (  # noqa: E402
    KnownSource,
    ParseContext,
    extract,
    parse,
    parse_counts,
    warm_up,
)

CORPUS = ROOT / "tests" / "parsing" / "corpus.jsonl"
SOURCES = (
    KnownSource(1, "Syrian Observatory for Human Rights", ("Observatory", "SOHR")),
    KnownSource(2, "activists"),
    KnownSource(3, "United Nations", ("UN", "U.N.")),
    KnownSource(5, "UNHCR", ("UN refugee agency", "U.N. refugee agency")),
)
# The targets.
SENTENCES_PER_SECOND = 5_000
STORY_MS = 25.0


def _story(rows: list[dict[str, object]]) -> tuple[str, int]:
    """Corpus sentences one after another up to 1,000 words, and how many."""
    sentences: list[str] = []
    words = 0
    while words < 1000:
        text = str(rows[len(sentences) % len(rows)]["text"])
        sentences.append(text)
        words += len(text.split())
    return " ".join(sentences), len(sentences)


def _best(rounds: int, run: Callable[[], object]) -> float:
    """The least CPU time of `rounds` calls of run()."""
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def _dump(path: Path, rows: list[dict[str, object]], story: str, context: ParseContext) -> None:
    with path.open("w", encoding="utf-8") as out:
        for r in rows:
            text, reported_on = str(r["text"]), date.fromisoformat(str(r["reported_on"]))
            out.write(f"{parse(text, reported_on, context)!r}\n")
            out.write(f"{parse_counts(text, reported_on, context)!r}\n")
        for candidate in extract(story, date(2014, 2, 13), context):
            out.write(f"{candidate!r}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="rounds of each measure")
    parser.add_argument("--dump", type=Path, help="write every reading here and exit")
    args = parser.parse_args()
    rounds = max(args.rounds, 1)
    rows = [json.loads(line) for line in CORPUS.read_text("utf-8").splitlines() if line.strip()]
    context = ParseContext(sources=SOURCES)
    started = time.process_time()
    warm_up()
    print(f"gazetteer load (one-time): {(time.process_time() - started) * 1000:.0f} ms CPU")

    items = [(r["text"], date.fromisoformat(r["reported_on"])) for r in rows]
    chars = sum(len(text) for text, _ in items)

    def parse_all() -> None:
        for text, reported_on in items:
            parse(text, reported_on, context)

    story, sentences = _story(rows)
    if args.dump is not None:
        _dump(args.dump, rows, story, context)
        print(f"readings written to {args.dump}")
        return

    parse_all()  # caches that fill once per process (source index, gazetteer heads)
    elapsed = _best(rounds, parse_all)
    rate = len(items) / elapsed
    print(
        f"parse: {len(items)} sentences ({chars / len(items):.0f} characters on average), "
        f"best of {rounds} rounds {elapsed * 1000:.0f} ms = {rate:,.0f} sentences/s, "
        f"{chars / elapsed / 1000:,.0f}k characters/s "
        f"({'ok' if rate >= SENTENCES_PER_SECOND else 'below'} {SENTENCES_PER_SECOND:,})"
    )

    found = extract(story, date(2014, 2, 13), context)
    story_ms = _best(rounds, lambda: extract(story, date(2014, 2, 13), context)) * 1000
    print(
        f"extract: {len(story.split())}-word story, {sentences} sentences, "
        f"{len(found)} candidates: best {story_ms:.1f} ms "
        f"({'ok' if story_ms <= STORY_MS else 'above'} {STORY_MS:.0f} ms)"
    )


if __name__ == "__main__":
    main()
