"""What people wait for, measured against its floor on one generated claim base: the queue
pages, the admin's claim list, the claims API, the story page and the scans.

For `--claims N` it fills its own PostgreSQL database with the claim base of
bench/scan_bench.py (the same generator), runs the scans as scan_bench does (so the
flags are real), adds users, evidence, history and two stories, runs ANALYZE, and
then measures, through the Django test client with DEBUG off:

- the New and Flagged queues (50 rows) as a fact-checker: p50 and p95 of the request;
- their floor: the same 50 rows read by one hand-written SQL query and the same
  template rendered from plain dicts, with the page's filter and bulk forms;
- the peer: the Django admin's claim changelist (50 rows, its search and filters);
- the claims API list (`?page_size=100`) in requests per second, against a constant
  endpoint defined here: the same authentication, throttles and renderer, answering
  the same JSON from memory, with no query of its own;
- the story page of a 50 KB story and of a 1,000-word story;
- the full, staleness and one-claim scans (bench/scan_bench.py's run_size).

It prints a table and, as its last line, one JSON object with the figures. The
database is created and emptied (its name must contain "bench"); DATABASE_URL is not
read.

Run: .venv/bin/python bench/pages_bench.py [--claims 100000] [--requests 40]
     [--profile] [--explain] [--database-url postgres://postgres@127.0.0.1:5432/h_bench_pages]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import os
import pstats
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scan_bench  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/h_bench_pages"
QUEUES = ("new", "flagged")
# The aims, as ratios within one run (and two absolute ones).
AIMS = {
    "queue_vs_floor": 1.5,
    "queue_vs_admin": 0.5,
    "api_vs_constant": 0.6,
    "story_50kb_ms": 1000.0,
    "full_scan_s": 10.0,
    "staleness_scan_s": 3.0,
    "one_save_scan_ms": 100.0,
}

# Story copy: sentences in the forms wire copy takes, written for this bench. A claim
# sentence names a source, a figure, a place and a day; the others carry the story.
CLAIM_SENTENCES = (
    "{src} said {n} people were killed in {place} on {day}.",
    "At least {n} civilians were wounded in {place} {when}, according to {src}.",
    "{src} reported that about {n} families had fled {place} since {day}.",
    "In {place}, {n} people have been arrested {when}, {src} said.",
    "The death toll in {place} rose to {n} {when}, {src} said.",
)
CONTEXT_SENTENCES = (
    "The road to the border crossing stayed closed for a third day.",
    "Aid workers said the convoy was waiting for a security guarantee.",
    "Shops in the old market reopened briefly before the shelling resumed.",
    "Officials did not answer questions about the timing of the operation.",
    "The figures could not be independently verified.",
    "Residents described queues for bread that stretched around the block.",
    "A spokesman declined to comment on the reports.",
    "Talks between the two sides are due to resume next week.",
    "Power was cut across the eastern districts overnight.",
    "Hospitals in the area said they were running short of fuel.",
)


# ---------------------------------------------------------------------------
# Setup


def configure(url: str, size: int, force: bool) -> None:
    """Production settings as far as a test client allows, on the bench's own database."""
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        {
            "ALLOWED_HOSTS": "testserver",
            # The test client speaks plain HTTP; the redirect to HTTPS is not what is measured.
            "SECURE_SSL_REDIRECT": "0",
            # The per-user API throttle would stop the requests-per-second run.
            "API_RATE_USER": "100000000/minute",
            "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "claimdesk-pages-bench-static"),
        }
    )
    scan_bench.configure(url, [size], force, prog="pages_bench")
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per test-client login
    # DEBUG off serves static files by their manifest, which templates need to exist.
    call_command("collectstatic", verbosity=0, interactive=False)


def scan_args(args: argparse.Namespace) -> argparse.Namespace:
    return argparse.Namespace(
        seed=args.seed,
        decided=args.decided,
        reuse=args.reuse,
        block_samples=args.block_samples,
        reruns=args.reruns,
    )


def users() -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims import roles

    model = get_user_model()
    made = {}
    for name, role, staff in (
        ("bench-checker", roles.CHECKER, False),
        ("bench-editor", roles.EDITOR, False),
        ("bench-admin", roles.ADMIN, True),
        ("bench-checker-2", roles.CHECKER, False),
        ("bench-checker-3", roles.CHECKER, False),
    ):
        user, _ = model.objects.get_or_create(username=name, defaults={"is_staff": staff})
        user.groups.set([Group.objects.get(name=role)])
        made[name] = user
    return made


def add_desk_work(rng: random.Random, people: dict[str, Any]) -> tuple[int, int]:
    """What a desk adds to its claims over time: history (logged, taken, decided) and
    evidence with its links; answers the rows made. Bulk inserts: no service runs."""
    from claims.models import Claim, ClaimEvent, Evidence

    ClaimEvent.objects.all().delete()
    Evidence.objects.all().delete()
    editor, checkers = (
        people["bench-editor"],
        [people[n] for n in ("bench-checker", "bench-checker-2", "bench-checker-3")],
    )
    events: list[ClaimEvent] = []
    evidence: list[Evidence] = []
    rows = Claim.objects.values_list("id", "status", "created_at")
    for pk, status, created in rows.iterator(chunk_size=5000):
        events.append(ClaimEvent(claim_id=pk, actor=editor, kind="created", to_status="new"))
        if status not in ("new", "retracted"):
            checker = rng.choice(checkers)
            events.append(
                ClaimEvent(
                    claim_id=pk,
                    actor=checker,
                    kind="transition",
                    from_status="new",
                    to_status="in_review",
                )
            )
            if status != "in_review":
                events.append(
                    ClaimEvent(
                        claim_id=pk,
                        actor=checker,
                        kind="transition",
                        from_status="in_review",
                        to_status=status,
                        note="Checked against the ministry's daily report.",
                    )
                )
            for n in range(rng.choice((1, 1, 2))):
                evidence.append(
                    Evidence(
                        claim_id=pk,
                        url=f"https://reports.example.org/{pk}/{n}",
                        excerpt="The daily report lists the figure for the district.",
                        added_by=checker,
                        accessed_at=created,
                    )
                )
    ClaimEvent.objects.bulk_create(events, batch_size=5000)
    Evidence.objects.bulk_create(evidence, batch_size=5000)
    return len(events), len(evidence)


def story_body(rng: random.Random, chars: int = 0, words: int = 0) -> str:
    """Copy of about `chars` characters or `words` words: paragraphs of two to four
    sentences, about one in three of them a claim with a source, figure, place and day."""
    places = ("Aleppo", "Idlib", "Mosul", "Taiz", "Kharkiv", "Khartoum", "Gao", "Kandahar")
    sources = ("the health ministry", "the civil defence", "OCHA", "the Red Crescent")
    days = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    paragraphs: list[str] = []
    size = 0
    while (chars and size < chars) or (words and size < words):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            if rng.random() < 0.35:
                text = rng.choice(CLAIM_SENTENCES).format(
                    src=rng.choice(sources),
                    n=rng.randint(3, 900),
                    place=rng.choice(places),
                    day=rng.choice(days),
                    when=rng.choice(("on Monday", "this week", "overnight", "since Friday")),
                )
                sentences.append(text[0].upper() + text[1:])
            else:
                sentences.append(rng.choice(CONTEXT_SENTENCES))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2 if chars else len(paragraph.split())
    return "\n\n".join(paragraphs)


def stories(rng: random.Random, editor: Any) -> dict[str, int]:
    from claims import services
    from claims.models import Story

    Story.objects.all().delete()  # an earlier run's, with --reuse
    published = datetime.now(UTC) - timedelta(days=1)
    made = {}
    for label, body in (
        ("50 KB", story_body(rng, chars=50_000)),
        ("1,000 words", story_body(rng, words=1000)),
    ):
        story = services.story_create(
            actor=editor,
            headline=f"Fighting spreads as aid stalls ({label})",
            body=body,
            published_at=published,
        )
        made[label] = story.pk
    return made


def vacuum() -> None:
    """VACUUM ANALYZE: autovacuum is off on the bench's server, and without it the scans'
    stamps leave dead rows and no visibility map, which a served desk would not have."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


# ---------------------------------------------------------------------------
# Timing


def p(values: list[float], share: float) -> float:
    return scan_bench.percentile(values, share)


def timings(call: Callable[[], Any], count: int, warm: int = 3) -> list[float]:
    for _ in range(warm):
        call()
    out = []
    for _ in range(count):
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return out


def in_turns(calls: dict[str, Callable[[], Any]], rounds: int) -> dict[str, list[float]]:
    """Milliseconds of each call, timed in turns: one of each per round."""
    for call in calls.values():
        for _ in range(3):
            call()
    out: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(rounds):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            out[name].append((time.perf_counter() - started) * 1000)
    return out


def get_ok(client: Any, url: str, **extra: Any) -> Callable[[], Any]:
    def call() -> Any:
        response = client.get(url, **extra)
        if response.status_code != 200:
            raise SystemExit(f"pages_bench: GET {url} answered {response.status_code}")
        return response

    return call


def reference_loop_ms() -> float:
    """How long this machine takes for a fixed loop of Python, best of three: the
    same code's times move with the machine's speed (a shared host's cores are not
    always as fast), and this says how fast it was for this run."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for n in range(3_000_000):
            total += n * n
        best = min(best, time.perf_counter() - started)
    return best * 1000


def rate(call: Callable[[], Any], seconds: float) -> float:
    for _ in range(3):
        call()
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        call()
        done += 1
    return done / (time.perf_counter() - started)


# ---------------------------------------------------------------------------
# The floor of a queue page

FLOOR_SQL = """
SELECT c.id, c.text, c.language, c.value_low, c.value_high, c.qualifier, c.event,
       c.period_start, c.period_end, c.period_kind, c.status, c.priority, c.due_at,
       c.decided_at, c.created_at, c.status_changed_at, pl.name, u.username,
       (SELECT string_agg(s.name, '\x1f' ORDER BY a.id)
          FROM claims_attribution a JOIN claims_source s ON s.id = a.source_id
         WHERE a.claim_id = c.id),
       (SELECT string_agg(f.kind || ':' || f.severity, ',' ORDER BY f.kind)
          FROM claims_flag_claims fc JOIN claims_flag f ON f.id = fc.flag_id
         WHERE fc.claim_id = c.id AND f.status IN ('open', 'acknowledged'))
  FROM claims_claim c
  LEFT JOIN claims_place pl ON pl.id = c.place_id
  LEFT JOIN auth_user u ON u.id = c.assignee_id
 WHERE c.merged_into_id IS NULL AND {where}
 ORDER BY c.open_severity DESC, c.priority DESC, c.due_at ASC NULLS LAST, c.created_at ASC,
          c.id DESC
 LIMIT 50
"""
FLOOR_WHERE = {
    "new": "c.status = 'new' AND c.assignee_id IS NULL",
    "flagged": "c.open_severity > 0",
}


def floor_rows(name: str, tolerance: float) -> list[dict[str, Any]]:
    """The queue's 50 rows by one query, as the plain dicts the row template reads."""
    from django.db import connection
    from django.urls import reverse

    from claims import wording
    from claims.models import Event, Flag, Priority, Severity, Status

    kinds, severities, events = dict(Flag.Kind.choices), dict(Severity.choices), dict(Event.choices)
    with connection.cursor() as cursor:
        cursor.execute(FLOOR_SQL.format(where=FLOOR_WHERE[name]))
        rows = cursor.fetchall()
    out = []
    for (
        pk,
        text,
        lang,
        low,
        high,
        qualifier,
        event,
        start,
        end,
        kind,
        status,
        priority,
        due,
        decided,
        created,
        moved,
        place,
        assignee,
        names,
        flags,
    ) in rows:
        grouped: dict[str, list[int]] = {}
        for item in (flags or "").split(",") if flags else ():
            flag_kind, severity = item.split(":")
            grouped.setdefault(flag_kind, []).append(int(severity))
        out.append(
            {
                "pk": pk,
                "url": reverse("claim_detail", args=[pk]),
                "text": text,
                "language": lang,
                "sources": wording.sources_text(names.split("\x1f") if names else ()),
                "flags": [
                    {"kind": kinds[k], "severity": severities[max(v)], "count": len(v)}
                    for k, v in grouped.items()
                ],
                "figure": (
                    wording.format_quantity(low, high, qualifier or None, tolerance)
                    if low is not None
                    else ""
                ),
                "event": events.get(event, event),
                "place": place or "",
                "period": wording.format_period(start, end, kind),
                "status": status,
                "status_label": Status(status).label,
                "assignee": assignee or "",
                "priority": priority,
                "priority_label": Priority(priority).label,
                "due_at": due,
                "decided_at": decided,
                "created_at": created,
                "stage_since": moved or created,
            }
        )
    return out


class FloorPage:
    """What the template asks of a Paginator page, in plain values."""

    def __init__(self, count: int) -> None:
        self.number = 1
        self.paginator = {"count": count, "num_pages": max(1, -(-count // 50))}

    def has_other_pages(self) -> bool:
        return self.paginator["num_pages"] > 1

    def has_previous(self) -> bool:
        return False

    def has_next(self) -> bool:
        return self.has_other_pages()

    def next_page_number(self) -> int:
        return 2


def floor_page(name: str, request: Any, context: dict[str, Any], count: int) -> Callable[[], str]:
    """One SQL query for the rows, then the queue template from plain dicts; the forms
    and the rest of the page's context are the view's, built once outside the timing."""
    from django.template.loader import render_to_string

    from claims.models import CheckPolicy

    tolerance = float(CheckPolicy.load().approx_tolerance)

    def call() -> str:
        rows = floor_rows(name, tolerance)
        ctx = {**context, "page": FloorPage(count), "rows": rows}
        return render_to_string("claims/queue.html", ctx, request=request)

    return call


def floor_context(name: str, user: Any) -> tuple[Any, dict[str, Any], int]:
    """The request and the page's context but its rows, as the view builds them."""
    from django.test import RequestFactory

    from claims.views import queues

    request = RequestFactory().get(f"/queue/{name}/")
    request.user = user
    request._messages = []  # type: ignore[attr-defined]
    captured: dict[str, Any] = {}

    def capture(request: Any, template: str, ctx: dict[str, Any], status: int = 200) -> Any:
        captured.update(ctx)
        return None

    original = queues.render
    queues.render = capture  # type: ignore[assignment]
    try:
        queues.render_queue(request, name)
    finally:
        queues.render = original  # type: ignore[assignment]
    count = captured["page"].paginator.count
    # The forms render from what they hold: reading their choices once is not the floor's.
    for form in (captured["form"], captured["bulk_form"]):
        for bound in form:
            str(bound)
    return request, captured, count


def table_html(html: str) -> str:
    """The rows of a queue page, without the CSRF tokens (masked anew for each page)."""
    start, end = html.find("<tbody>"), html.find("</tbody>")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html[start:end])


# ---------------------------------------------------------------------------
# The API and its constant


def constant_urls(payload: Any) -> Any:
    """The site's URLs and one more: a DRF view answering `payload` from memory."""
    from django.urls import include, path
    from rest_framework.response import Response
    from rest_framework.views import APIView

    class Constant(APIView):
        # The project's authentication, permission, throttle and renderer classes.
        def get(self, request: Any) -> Response:
            return Response(payload)

    class Urls:
        urlpatterns = [
            path("bench/constant/", Constant.as_view()),
            path("", include("newsroom.urls")),
        ]

    return Urls


# ---------------------------------------------------------------------------
# Diagnostics


def profile_requests(call: Callable[[], Any], count: int, label: str) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(count):
        call()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(20)
    print(f"\n-- cProfile, {count} requests of {label} --\n{out.getvalue()}")


def explain(call: Callable[[], Any], label: str) -> None:
    """EXPLAIN ANALYZE each query of one request that takes a millisecond or more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    print(f"\n-- EXPLAIN ANALYZE, the queries of {label} --")
    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
            total = plan[-1]
            if float(total.split()[-2]) < 1.0:
                continue
            print(f"\n{sql[:600]}\n" + "\n".join(plan))


# ---------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=20140213)
    parser.add_argument("--decided", type=float, default=0.88)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--api-seconds", type=float, default=5.0)
    parser.add_argument("--block-samples", type=int, default=20)
    parser.add_argument("--reruns", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep a claim base of this size")
    parser.add_argument("--skip-scans", action="store_true", help="with --reuse: pages only")
    parser.add_argument("--profile", action="store_true", help="cProfile the pages")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the queues")
    parser.add_argument("--force", action="store_true", help="use a database not named *bench*")
    args = parser.parse_args()

    configure(args.database_url, args.claims, args.force)
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    from claims.models import Claim, Flag
    from claims.services.tokens import token_issue

    rng = random.Random(args.seed)
    load = os.getloadavg()
    speed = reference_loop_ms()
    if args.skip_scans and args.reuse and Claim.objects.count() == args.claims:
        scans = None
        print(f"claim base of {args.claims:,} claims reused; scans skipped")
    else:
        scans = scan_bench.run_size(args.claims, scan_args(args), profile=False)
    people = users()
    events, evidence = add_desk_work(rng, people)
    made = stories(rng, people["bench-editor"])
    vacuum()
    flagged = Flag.objects.unresolved().count()
    print(
        f"\ndesk: {events:,} history rows, {evidence:,} evidence rows, {flagged:,} open flags, "
        f"stories {made}; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )

    checker = Client()
    checker.force_login(people["bench-checker"])
    admin = Client()
    admin.force_login(people["bench-admin"])
    n = args.requests
    # Each page and its floor take turns, round after round, so that a burst of load
    # from elsewhere on the machine falls on all of them alike.
    calls: dict[str, Callable[[], Any]] = {}
    for name in QUEUES:
        call = get_ok(checker, f"/queue/{name}/")
        request, context, count = floor_context(name, people["bench-checker"])
        floor = floor_page(name, request, context, count)
        mine, theirs = table_html(floor()), table_html(call().content.decode())
        if mine != theirs:
            folder = Path(tempfile.gettempdir())
            (folder / f"pages-bench-floor-{name}.html").write_text(mine)
            (folder / f"pages-bench-page-{name}.html").write_text(theirs)
            print(f"warning: the floor's rows of {name} differ from the page's (see {folder})")
        calls[name], calls[f"{name} floor"] = call, floor
        if args.profile:
            profile_requests(call, 20, f"/queue/{name}/")
        if args.explain:
            explain(call, f"/queue/{name}/")
    calls["admin"] = get_ok(admin, "/admin/claims/claim/")
    if args.profile:
        profile_requests(calls["admin"], 10, "the admin changelist")
    measured = in_turns(calls, n)
    results = {name: measured[name] for name in (*QUEUES, "admin")}
    floors = {name: measured[f"{name} floor"] for name in QUEUES}

    _, key = token_issue(
        user=people["bench-checker"], actor=people["bench-admin"], name="pages bench", days=1
    )
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    api = Client()
    api_call = get_ok(api, "/api/v1/claims/?page_size=100", **auth)
    body = api_call().json()
    listed = len(body["results"]) if isinstance(body, dict) else len(body)
    with override_settings(ROOT_URLCONF=constant_urls(body)):
        constant_call = get_ok(api, "/bench/constant/", **auth)

        def unkept_call() -> Any:
            # The list read from its rows, as for the first request after a write: the
            # answer kept until the data changes (claims.api.kept) dropped first.
            cache.clear()
            return api_call()

        # Alternating runs of a second each, so that all three see the same load.
        api_runs, constant_runs, unkept_runs = [], [], []
        for _ in range(max(1, round(args.api_seconds))):
            api_runs.append(rate(api_call, 1.0))
            constant_runs.append(rate(constant_call, 1.0))
            unkept_runs.append(rate(unkept_call, 1.0))
        api_rps, constant_rps = statistics.median(api_runs), statistics.median(constant_runs)
        unkept_rps = statistics.median(unkept_runs)
        if args.profile:
            profile_requests(api_call, 20, "the claims API list")

    story_times: dict[str, tuple[float, list[float]]] = {}
    for label, pk in made.items():
        call = get_ok(checker, f"/stories/{pk}/")
        started = time.perf_counter()
        call()  # the first visit reads the copy and stores what it found
        first = (time.perf_counter() - started) * 1000
        story_times[label] = (first, timings(call, max(5, n // 4), warm=1))
        if args.profile and label == "50 KB":
            profile_requests(call, 5, "the 50 KB story page")

    assert settings.DEBUG is False
    print(f"\n{'page':<34}{'p50 ms':>9}{'p95 ms':>9}  floor p50 / ratio")
    for name in QUEUES:
        mid, floor_mid = statistics.median(results[name]), statistics.median(floors[name])
        print(
            f"{'/queue/' + name + '/ (fact-checker)':<34}{mid:>9.1f}{p(results[name], 0.95):>9.1f}"
            f"  {floor_mid:.1f} ms / {mid / floor_mid:.2f}x"
        )
    admin_mid = statistics.median(results["admin"])
    print(f"{'/admin/claims/claim/ (admin)':<34}{admin_mid:>9.1f}{p(results['admin'], 0.95):>9.1f}")
    for label, (first, times) in story_times.items():
        print(
            f"{'story page, ' + label:<34}{statistics.median(times):>9.1f}{p(times, 0.95):>9.1f}"
            f"  first visit {first:.0f} ms"
        )
    print(
        f"{'API claims list (' + str(listed) + ' rows)':<34}{api_rps:>9.1f} req/s   constant "
        f"endpoint {constant_rps:.1f} req/s = {api_rps / constant_rps:.2f}x"
    )
    print(
        f"{'  read afresh (after a write)':<34}{unkept_rps:>9.1f} req/s   "
        f"= {unkept_rps / constant_rps:.2f}x"
    )
    slow = max(QUEUES, key=lambda name: statistics.median(results[name]))
    figures = {
        "queue_p50_ms": round(statistics.median(results[slow]), 1),
        "queue_floor_p50_ms": round(statistics.median(floors[slow]), 1),
        "admin_changelist_p50_ms": round(admin_mid, 1),
        "api_list_rps": round(api_rps, 1),
        "constant_rps": round(constant_rps, 1),
        "api_list_unkept_rps": round(unkept_rps, 1),
        "story_50kb_p50_ms": round(statistics.median(story_times["50 KB"][1]), 1),
        "full_scan_s": round(scans.full, 2) if scans else None,
        "staleness_scan_s": round(scans.stale, 2) if scans else None,
        "one_save_scan_p50_ms": round(scans.block_median * 1000, 1) if scans else None,
    }
    if scans:
        print(
            f"{'scans':<34}full {scans.full:.2f} s (no-op re-run {scans.second:.2f} s), "
            f"staleness {scans.stale:.2f} s, one claim {scans.block_median * 1000:.0f} ms "
            f"(p95 {scans.block_p95 * 1000:.0f} ms)"
        )
    checks = [
        ("queue p50 / floor", figures["queue_p50_ms"] / figures["queue_floor_p50_ms"], "<=", 1.5),
        ("queue p50 / admin changelist", figures["queue_p50_ms"] / admin_mid, "<=", 0.5),
        ("API list / constant", api_rps / constant_rps, ">=", 0.6),
        ("50 KB story p50 (ms)", figures["story_50kb_p50_ms"], "<", 1000),
    ]
    if scans:
        checks += [
            ("full scan (s)", scans.full, "<=", 10.0),
            ("staleness scan (s)", scans.stale, "<=", 3.0),
            ("one-claim scan p50 (ms)", scans.block_median * 1000, "<=", 100.0),
        ]
    for label, value, op, aim in checks:
        met = value <= aim if op == "<=" else value >= aim if op == ">=" else value < aim
        print(f"aim: {label} {op} {aim:g}: {'met' if met else 'MISSED'} ({value:.2f})")
    print(
        f"(slower queue: {slow}; {args.claims:,} claims; load average at start {load[0]:.1f}; "
        f"reference loop {speed:.0f} ms at start, {reference_loop_ms():.0f} ms at the end)"
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
