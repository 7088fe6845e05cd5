"""The full scan split by block into Celery tasks on real worker processes, at a million
claims: how its time falls with 1, 2 and 4 worker processes, and what the tasks cost the
broker.

It fills --claims generated claims with bench/scan_bench.py's generator, over a span of
days that keeps the claims per place and day of its 100,000 (730 days there), and reports
how long filling took. Then, for each --workers count N, it empties the flags, starts
`celery -A newsroom worker --concurrency N` on the bench's database and broker, plans the
scan into parts and queues a `claims.scan_part` task for each, as the task `claims.scan_all`
does for a large claim base, and waits until the run's last part is done. Every run raises
the same flags (checked). The broker's cost: the task messages, their bytes (read back from a
queue no worker listens on), the time spent queuing them, and Redis's own count of commands
and bytes received during the run (the scan's tasks and the notification tasks each part's
new flags queue).

The bench empties the claim tables of its database (name must contain "bench", as for
scan_bench) and the Redis database it is given (a number of its own: /7 by default).

Run: .venv/bin/python bench/scan_scale_bench.py [--claims 1000000] [--workers 1 2 4]
     [--database-url postgres://postgres@127.0.0.1:5432/h_scan_scale_bench]
     [--broker redis://127.0.0.1:6379/7] [--reuse]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scan_bench  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/h_scan_scale_bench"
DEFAULT_BROKER = "redis://127.0.0.1:6379/7"
DRY_QUEUE = "scan-bench-dry"  # no worker listens here: its messages are read back and weighed
DAYS_PER_100K = 730  # scan_bench's span for up to 100,000 claims


@dataclass
class Run:
    workers: int
    wall: float  # from planning to the last part done
    plan: float  # reading the blocks' sizes and storing the parts
    enqueue: float  # queuing one task per part
    parts: int
    largest_part: int  # claims
    flags: int
    broker_commands: int  # Redis commands during the run, all clients
    broker_bytes_in: int  # bytes Redis received during the run, all clients


def fill(args: argparse.Namespace) -> None:
    from claims.models import Claim

    if args.reuse and Claim.objects.count() == args.claims:
        print(f"claim base: {args.claims:,} claims reused")
        return
    scan_bench.empty_claim_tables()
    days = max(DAYS_PER_100K, round(DAYS_PER_100K * args.claims / 100_000))
    base = scan_bench.ClaimBase(random.Random(args.seed), datetime.now(UTC).date(), days=days)
    started = time.perf_counter()
    places, sources = base.create_reference_rows()
    attributions = base.create_claims(args.claims)
    took = time.perf_counter() - started
    scan_bench.analyze()
    print(
        f"claim base: {args.claims:,} claims over {days:,} days, {attributions:,} attributions, "
        f"{places:,} places, {sources:,} sources filled in {took:.0f} s "
        f"({args.claims / took:,.0f} claims/s, generating the reports included)"
    )


def empty_flags() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE claims_flag, claims_flag_claims, claims_flagevent, claims_scanpart,"
            " claims_scanrun RESTART IDENTITY CASCADE"
        )
        cursor.execute("UPDATE claims_claim SET open_severity = 0 WHERE open_severity <> 0")


def redis_client(broker: str) -> Any:
    import redis

    return redis.Redis.from_url(broker)


def redis_totals(client: Any) -> tuple[int, int]:
    stats = client.info("stats")
    return int(stats["total_commands_processed"]), int(stats["total_net_input_bytes"])


def start_workers(count: int, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "CELERY_BROKER_URL": args.broker,
        "CELERY_RESULT_BACKEND": args.broker,
        "DEBUG": "0",
    }
    return subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "newsroom",
            "worker",
            "--pool=prefork",
            f"--concurrency={count}",
            "--loglevel=warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,  # the banner; warnings and errors go to stderr
    )


def stop_workers(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_with(workers: int, args: argparse.Namespace) -> Run:
    from claims import tasks
    from claims.checks import sync
    from claims.models import Flag, ScanRun

    client = redis_client(args.broker)
    empty_flags()
    client.flushdb()
    proc = start_workers(workers, args)
    try:
        # Every child has started once one answers: prefork starts them together.
        tasks.ping.apply_async(ignore_result=False).get(timeout=300)
        commands, received = redis_totals(client)
        started = time.perf_counter()
        run = sync.plan_full_scan(args.part_claims)
        planned = time.perf_counter()
        parts = list(run.parts.order_by("index").values_list("index", "claims"))
        for index, _ in parts:
            tasks.scan_part.delay(run.pk, index)
        queued = time.perf_counter()
        while not ScanRun.objects.filter(pk=run.pk, finished_at__isnull=False).exists():
            if proc.poll() is not None:
                sys.exit(f"scan_scale_bench: the worker stopped ({proc.returncode})")
            time.sleep(0.2)
        done = time.perf_counter()
        commands_after, received_after = redis_totals(client)
    finally:
        stop_workers(proc)
    return Run(
        workers=workers,
        wall=done - started,
        plan=planned - started,
        enqueue=queued - planned,
        parts=len(parts),
        largest_part=max((claims for _, claims in parts), default=0),
        flags=Flag.objects.count(),
        broker_commands=commands_after - commands,
        broker_bytes_in=received_after - received,
    )


def message_bytes(args: argparse.Namespace) -> list[int]:
    """The size of each part's task message as the broker holds it: the last run's parts
    queued again where no worker listens, read back, and removed."""
    from claims import tasks
    from claims.models import ScanRun

    client = redis_client(args.broker)
    run = ScanRun.objects.latest("pk")
    client.delete(DRY_QUEUE)
    for index in run.parts.order_by("index").values_list("index", flat=True):
        tasks.scan_part.apply_async((run.pk, index), queue=DRY_QUEUE)
    sizes = [len(message) for message in client.lrange(DRY_QUEUE, 0, -1)]
    client.delete(DRY_QUEUE)
    return sizes


def report(runs: list[Run], sizes: list[int], flags: Counter[str]) -> None:
    print(
        "\nworkers   wall    speed-up  parts  largest part  plan    enqueue (per task)"
        "    broker: commands, bytes in"
    )
    one = runs[0].wall
    for r in runs:
        print(
            f"{r.workers:>7}  {r.wall:>6.1f} s  {one / r.wall:>6.2f}x  {r.parts:>5}  "
            f"{r.largest_part:>10,}  {r.plan:>5.2f} s  {r.enqueue * 1000:>6.1f} ms "
            f"({r.enqueue / max(r.parts, 1) * 1000:.2f} ms)  {r.broker_commands:>8,}, "
            f"{r.broker_bytes_in:>10,}"
        )
    if sizes:
        print(
            f"a part's task message: {min(sizes):,} to {max(sizes):,} bytes in the broker "
            f"({sum(sizes):,} bytes for {len(sizes)} parts)"
        )
    print("flags by kind: " + ", ".join(f"{kind} {n:,}" for kind, n in flags.most_common()))
    print(json.dumps({"runs": [asdict(r) for r in runs], "message_bytes": sizes}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument(
        "--database-url",
        default=os.getenv("BENCH_DATABASE_URL", DEFAULT_URL),
        help=f"a dedicated database whose claim tables the bench empties (default {DEFAULT_URL})",
    )
    parser.add_argument(
        "--broker",
        default=DEFAULT_BROKER,
        help=f"a Redis database of the bench's own, emptied before each run ({DEFAULT_BROKER})",
    )
    parser.add_argument("--seed", type=int, default=20140213)
    parser.add_argument(
        "--part-claims", type=int, default=None, help="claims per part (sync.PART_CLAIMS)"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep a claim base of the same size from a run before"
    )
    parser.add_argument("--force", action="store_true", help="use a database not named *bench*")
    args = parser.parse_args()

    # The bench's own process queues the tasks: it speaks to the same broker as its workers.
    os.environ["CELERY_BROKER_URL"] = args.broker
    os.environ["CELERY_RESULT_BACKEND"] = args.broker
    scan_bench.configure(args.database_url, [args.claims], args.force, prog="scan_scale_bench")
    from django.core.management import call_command

    from claims.checks import sync
    from claims.checks import types as kinds

    if args.part_claims is None:
        args.part_claims = sync.PART_CLAIMS
    call_command("migrate", verbosity=0, interactive=False)
    fill(args)
    runs = []
    for workers in args.workers:
        run = run_with(workers, args)
        print(
            f"{workers} worker process(es): {run.wall:.1f} s, {run.parts} parts, "
            f"{run.flags:,} flags",
            flush=True,
        )
        runs.append(run)
    if len({r.flags for r in runs}) > 1:
        sys.exit("scan_scale_bench: the runs raised different flags")
    report(runs, message_bytes(args), scan_bench.flag_counts(sorted(kinds.BLOCK_SCAN_KINDS)))


if __name__ == "__main__":
    main()
