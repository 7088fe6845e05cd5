"""CSV in and out at a desk's volume: a file of N claims (default 10,000) read, checked with
a dry run, imported, then the claim base downloaded again, on PostgreSQL.

Rows are written the way a desk's spreadsheet holds them: some with every figure filled
in, some with only the sentence, which the desk reads like a typed claim. The bench uses
scan_bench's database set-up, and so empties the claim tables of a database whose name
says "bench".

Run: .venv/bin/python bench/import_bench.py [--rows 10000]
     [--database-url postgres://postgres@127.0.0.1:5432/h_bench_import]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import scan_bench  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/h_bench_import"
PLACES = (
    ("Aleppo", "SY"),
    ("Homs", "SY"),
    ("Mosul", "IQ"),
    ("Kharkiv", "UA"),
    ("Khartoum", "SD"),
    ("Kabul", "AF"),
    ("Taiz", "YE"),
    ("Goma", "CD"),
)
SOURCES = ("Syrian Observatory for Human Rights", "United Nations", "health ministry")
# Sentences in the forms copy takes, with the figure, the place and the day to fill in.
SENTENCES = (
    "At least {n} people were killed in {place} on {day}, {source} said.",
    "About {n} civilians were wounded in shelling on {place} on {day}.",
    "{source} put the death toll in {place} at {n} by {day}.",
    "More than {n} people have fled {place} since {day}, according to {source}.",
)


def make_file(rows: int, seed: int = 7) -> bytes:
    """A CSV of `rows` claims: half with the figures filled in, half with the text only."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["text", "value_low", "qualifier", "event", "place", "country", "sources"])
    for k in range(rows):
        place, country = rng.choice(PLACES)
        source = rng.choice(SOURCES)
        n = rng.randint(2, 900)
        day = f"{rng.randint(1, 28)} {rng.choice(('March', 'April', 'May'))} 2024"
        text = rng.choice(SENTENCES).format(n=n, place=place, day=day, source=source)
        if k % 2:
            writer.writerow([text, "", "", "", "", "", ""])
        else:
            writer.writerow([text, n, "at_least", "killed", place, country, source])
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args()
    scan_bench.configure(args.database_url, [args.rows], args.force)

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from claims import csvio, imports, roles, selectors
    from claims.models import Claim, Source

    call_command("migrate", verbosity=0)
    scan_bench.empty_claim_tables()
    editor, _ = get_user_model().objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name=roles.EDITOR))
    for name in SOURCES:
        Source.objects.get_or_create(name=name)
    content = make_file(args.rows)

    started = time.perf_counter()
    rows, ignored = imports.read_upload(content)
    read_s = time.perf_counter() - started

    started = time.perf_counter()
    dry = imports.import_claims(actor=editor, rows=rows, dry_run=True, ignored_columns=ignored)
    dry_s = time.perf_counter() - started
    assert Claim.objects.count() == 0, "a dry run wrote claims"

    started = time.perf_counter()
    real = imports.import_claims(actor=editor, rows=rows, dry_run=False, ignored_columns=ignored)
    import_s = time.perf_counter() - started

    started = time.perf_counter()
    qs = selectors.claim_export(user=editor, params={})
    size = sum(
        len(line)
        for line in csvio.stream(
            csvio.CLAIM_COLUMNS, (csvio.claim_row(c, str) for c in selectors.in_chunks(qs))
        )
    )
    export_s = time.perf_counter() - started

    def line(name: str, seconds: float, note: str) -> None:
        print(f"{name:<8} {seconds:7.2f} s  {args.rows / seconds:7,.0f} rows/s  {note}")

    print(f"file: {args.rows:,} rows, {len(content) / 1024:,.0f} KB; read in {read_s:.2f} s")
    line("dry run", dry_s, f"{dry.accepted:,} accepted")
    line("import", import_s, f"{real.accepted:,} written")
    line("export", export_s, f"{size / 1024:,.0f} KB")
    summary = {
        "rows": args.rows,
        "accepted": real.accepted,
        "refused": len(real.refused),
        "dry_run_s": round(dry_s, 2),
        "import_s": round(import_s, 2),
        "import_rows_per_s": round(args.rows / import_s),
        "export_rows_per_s": round(args.rows / export_s),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
