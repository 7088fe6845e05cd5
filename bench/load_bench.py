"""Load on the desk as production serves it: gunicorn with DEBUG off on PostgreSQL, a
Celery worker on Redis, and 20 clients (half editors, half fact-checkers) doing mixed
reads and writes through the API and the pages for two minutes.

It prints requests per second, p50/p95 per kind of request and the errors, then checks
that every write the desk acknowledged (a 200 or 201 on a write) is in the database,
and reports the lost ones, which must be none. It exits non-zero on any error or lost
write.

The bench empties the claim tables of the database it is given (and fills them with a
small claim base), so it refuses a database whose name does not say "bench" (--force
overrides); DATABASE_URL is not used. Requests say they came through a TLS proxy
(X-Forwarded-Proto), as production's do; the API's per-user throttle is raised so that
it measures the desk, not the throttle.

Run: .venv/bin/python bench/load_bench.py [--seconds 120] [--clients 20]
     [--database-url postgres://postgres@127.0.0.1:5432/load_bench]
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scan_bench import empty_claim_tables, ensure_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/load_bench"
DEFAULT_BROKER = "redis://127.0.0.1:6379/13"
BIN = Path(sys.executable).parent
SEED_CLAIMS = 200
PLACES = ("Aleppo", "Homs", "Hama", "Idlib", "Raqqa", "Deir ez-Zor", "Daraa", "Latakia")
SOURCES = ("Bench Monitor", "Bench Wire", "Bench Health Ministry")
PAGES = ("/", "/claims/{id}/", "/queue/new/", "/queue/mine/", "/flags/", "/sources/")
# What each role does, with weights: editors log and correct claims, fact-checkers take
# and decide them; both read lists, claims, the flags and the pages.
MIX = {
    "editor": {
        "list_claims": 15,
        "get_claim": 20,
        "create_claim": 15,
        "patch_claim": 10,
        "list_flags": 10,
        "page": 30,
    },
    "checker": {
        "list_claims": 15,
        "get_claim": 20,
        "take": 10,
        "decide": 8,
        "patch_claim": 7,
        "list_flags": 10,
        "page": 30,
    },
}
WRITES = {"create_claim", "patch_claim", "take", "decide"}


# ---------------------------------------------------------------------------
# The served desk


def configure(url: str, broker: str, force: bool) -> dict[str, str]:
    """The environment of the desk under load, also set in this process (which seeds
    and checks the database through Django)."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("load_bench: the figures that matter need PostgreSQL (--database-url).")
    name = parts.path.rsplit("/", 1)[-1]
    if "bench" not in name and not force:
        sys.exit(
            f"load_bench: refusing to empty the claim tables of {name!r}; give a dedicated "
            "database whose name contains 'bench', or --force."
        )
    ensure_database(url)
    env = {
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "claimdesk-load-bench-static"),
        "CELERY_BROKER_URL": broker,
        "API_RATE_USER": "1000000/minute",
        "CLAIMS_WARM_UP": "1",
    }
    os.environ.update(env)
    return {**os.environ, **env}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *command: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT, env=env, check=True
    )


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # A process group of its own, so that stopping it stops its workers too.
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_until_up(base: str, timeout: float = 180) -> None:
    # The workers warm up (CLAIMS_WARM_UP) before they answer.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(base + "/login/", headers=PROXIED, timeout=30)
            return
        except requests.RequestException:
            time.sleep(0.5)
    sys.exit(f"load_bench: nothing answered at {base} within {timeout:.0f} s")


# ---------------------------------------------------------------------------
# Users, tokens and a claim base


@dataclass
class Account:
    username: str
    password: str
    role: str  # "editor" or "checker"
    token: str


def claim_text(rng: random.Random, place: str, source: str) -> tuple[str, int]:
    n = rng.randint(2, 400)
    form = rng.choice(
        (
            "At least {n} people were killed in {place} on Wednesday, {source} said.",
            "{source} said {n} civilians were wounded in {place} on Wednesday.",
            "In {place}, {n} people were detained on Wednesday, according to {source}.",
        )
    )
    return form.format(n=n, place=place, source=source), n


def seed(clients: int, rng: random.Random) -> tuple[list[Account], list[int]]:
    """Empty the claim tables, make the users with their tokens, the sources and a claim
    base; answers the accounts and the ids of the new claims."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from claims import roles, services
    from claims.services.tokens import token_issue

    empty_claim_tables()
    users = get_user_model().objects
    admin, _ = users.get_or_create(username="bench-admin", defaults={"is_staff": True})
    admin.groups.set([Group.objects.get(name=roles.ADMIN)])
    for name in SOURCES:
        services.source_create(actor=admin, name=name, kind="monitor", grade="C")
    accounts = []
    for i in range(clients):
        role = "editor" if i % 2 == 0 else "checker"
        user, _ = users.get_or_create(username=f"bench-{role}-{i}")
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        user.groups.set(
            [Group.objects.get(name=roles.EDITOR if role == "editor" else roles.CHECKER)]
        )
        _, key = token_issue(user=user, actor=user, name="load bench", days=1)
        accounts.append(Account(user.username, password, role, key))
    editor = users.get(username=accounts[0].username)
    ids = []
    for _ in range(SEED_CLAIMS):
        place, source = rng.choice(PLACES), rng.choice(SOURCES)
        text, n = claim_text(rng, place, source)
        claim = services.claim_create(
            actor=editor,
            text=text,
            sources=[source],
            **claim_fields(place, n),
        )
        ids.append(claim.pk)
    return accounts, ids


def claim_fields(place: str, n: int) -> dict[str, Any]:
    import datetime as dt

    from claims.services import PlaceName

    return {
        "reported_on": dt.date(2014, 2, 13),
        "value_low": n,
        "qualifier": "at_least",
        "event": "killed",
        "unit": "people",
        "place": PlaceName(place, "SY"),
        "period_start": dt.date(2014, 2, 12),
        "period_end": dt.date(2014, 2, 12),
        "period_kind": "day",
    }


# ---------------------------------------------------------------------------
# The clients

PROXIED = {"X-Forwarded-Proto": "https"}


@dataclass
class Ack:
    """A write the desk acknowledged, and what must be in the database for it."""

    kind: str
    claim_id: int
    user: str
    version: int = 0
    text: str = ""
    value_low: int | None = None
    to_status: str = ""


@dataclass
class Shared:
    """What the clients know between them: the claims still new (for fact-checkers to
    take), every claim id (to read), and the samples and acknowledged writes."""

    new: list[int]
    claims: list[int]
    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[tuple[str, int, float]] = field(default_factory=list)
    acks: list[Ack] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class Client:
    def __init__(self, base: str, account: Account, shared: Shared, seed: int) -> None:
        self.base, self.account, self.shared = base, account, shared
        self.rng = random.Random(seed)
        self.api = requests.Session()
        self.api.headers.update({**PROXIED, "Authorization": f"Token {account.token}"})
        self.web = requests.Session()
        # The desk's cookies are Secure (it believes it is behind TLS): the session
        # would keep them to itself over plain http, so they travel by hand.
        self.cookies: dict[str, str] = {}
        # Editors: the claims they created; fact-checkers: the ones they took and have not
        # decided. Each with its version and figure as this client last saw them.
        self.mine: dict[int, tuple[int, int | None]] = {}

    # -- HTTP

    def web_request(self, method: str, path: str, data: dict[str, str] | None = None) -> Any:
        origin = self.base.replace("http://", "https://")
        headers = {**PROXIED, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers.update({"Origin": origin, "Referer": origin + path})
            data = {**(data or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        r = self.web.request(
            method, self.base + path, data=data, headers=headers, allow_redirects=False, timeout=60
        )
        self.cookies.update({c.name: c.value or "" for c in r.cookies})
        return r

    def login(self) -> None:
        self.web_request("GET", "/login/")
        r = self.web_request(
            "POST",
            "/login/",
            {"username": self.account.username, "password": self.account.password},
        )
        if r.status_code != 302 or "sessionid" not in self.cookies:
            sys.exit(f"load_bench: {self.account.username} could not log in ({r.status_code})")

    def timed(self, kind: str, call: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            r = call()
        except requests.RequestException as exc:
            self.record(kind, 599, started, f"{kind}: {exc!r}")
            return None
        failure = f"{kind}: {r.status_code} {r.text[:200]!r}" if r.status_code >= 400 else ""
        self.record(kind, r.status_code, started, failure if r.status_code != 409 else "")
        return r

    def record(self, kind: str, status: int, started: float, failure: str) -> None:
        elapsed = time.perf_counter() - started
        with self.shared.lock:
            self.shared.samples.append((kind, status, elapsed))
            if failure and len(self.shared.failures) < 50:
                self.shared.failures.append(failure)

    def ack(self, ack: Ack) -> None:
        with self.shared.lock:
            self.shared.acks.append(ack)

    # -- what a client does

    def run(self, deadline: float) -> None:
        mix = MIX[self.account.role]
        kinds, weights = list(mix), list(mix.values())
        while time.monotonic() < deadline:
            kind = self.rng.choices(kinds, weights)[0]
            getattr(self, kind)()

    def any_claim(self) -> int:
        with self.shared.lock:
            return self.rng.choice(self.shared.claims)

    def list_claims(self) -> None:
        page = self.rng.randint(1, 4)
        self.timed("list_claims", lambda: self.api.get(f"{self.base}/api/v1/claims/?page={page}"))

    def get_claim(self) -> None:
        pk = self.any_claim()
        self.timed("get_claim", lambda: self.api.get(f"{self.base}/api/v1/claims/{pk}/"))

    def list_flags(self) -> None:
        self.timed("list_flags", lambda: self.api.get(f"{self.base}/api/v1/flags/"))

    def page(self) -> None:
        path = self.rng.choice(PAGES).format(id=self.any_claim())
        self.timed("page", lambda: self.web_request("GET", path))

    def create_claim(self) -> None:
        place, source = self.rng.choice(PLACES), self.rng.choice(SOURCES)
        text, n = claim_text(self.rng, place, source)
        body = {
            "text": text,
            "reported_on": "2014-02-13",
            "value_low": n,
            "qualifier": "at_least",
            "event": "killed",
            "unit": "people",
            "place": {"name": place, "country": "SY"},
            "period_start": "2014-02-12",
            "period_end": "2014-02-12",
            "period_kind": "day",
            "sources": [source],
        }
        r = self.timed(
            "create_claim", lambda: self.api.post(f"{self.base}/api/v1/claims/", json=body)
        )
        if r is not None and r.status_code == 201:
            data = r.json()
            pk = data["id"]
            self.ack(Ack("create_claim", pk, self.account.username, data["version"], text=text))
            self.mine[pk] = (data["version"], data["value_low"])
            with self.shared.lock:
                self.shared.new.append(pk)
                self.shared.claims.append(pk)

    def patch_claim(self) -> None:
        if not self.mine:
            return self.get_claim()
        pk = self.rng.choice(list(self.mine)[-20:])
        version, old = self.mine[pk]
        value = self.rng.randint(1, 10_000)
        value += value == old  # a changed figure, so the edit leaves its history row
        body = {"value_low": value, "version": version}
        url = f"{self.base}/api/v1/claims/{pk}/"
        r = self.timed("patch_claim", lambda: self.api.patch(url, json=body))
        if r is not None and r.status_code == 200:
            data = r.json()
            self.mine[pk] = (data["version"], data["value_low"])
            self.ack(
                Ack("patch_claim", pk, self.account.username, data["version"], value_low=value)
            )
        elif r is not None and r.status_code == 409:
            del self.mine[pk]  # taken by a fact-checker: no longer the editor's to edit
        return None

    def transition(self, kind: str, pk: int, to: str, note: str) -> Any:
        url = f"{self.base}/api/v1/claims/{pk}/transition/"
        r = self.timed(kind, lambda: self.api.post(url, json={"to": to, "note": note}))
        if r is not None and r.status_code == 200:
            self.ack(Ack(kind, pk, self.account.username, r.json()["version"], to_status=to))
        return r

    def take(self) -> None:
        # Recent claims first, so that fact-checkers race each other for them.
        with self.shared.lock:
            pk = self.rng.choice(self.shared.new[-10:]) if self.shared.new else None
        if pk is None:
            return self.list_claims()
        r = self.transition("take", pk, "in_review", "")
        with self.shared.lock:
            if pk in self.shared.new:
                self.shared.new.remove(pk)
        if r is not None and r.status_code == 200:
            data = r.json()
            self.mine[pk] = (data["version"], data["value_low"])
        return None

    def decide(self) -> None:
        if not self.mine:
            return self.take()
        pk = self.rng.choice(list(self.mine))
        del self.mine[pk]
        to = self.rng.choice(("disputed", "attributed", "false"))
        self.transition("decide", pk, to, "Compared with the hospital's own list.")
        return None


def run_clients(base: str, accounts: list[Account], shared: Shared, seconds: float) -> float:
    clients = [Client(base, a, shared, seed=i) for i, a in enumerate(accounts)]
    for c in clients:
        c.login()
    started = time.monotonic()
    threads = [threading.Thread(target=c.run, args=(started + seconds,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.monotonic() - started


# ---------------------------------------------------------------------------
# Figures and the check for lost writes


def lost_writes(acks: list[Ack]) -> list[str]:
    """The acknowledged writes the database does not hold."""
    from claims.models import Claim, ClaimEvent

    lost = []
    for a in acks:
        # The claim at the version the answer gave, or later; and for an edit or a step
        # of the workflow, its history row (a claim's one trail) by that user.
        found = Claim.objects.filter(pk=a.claim_id, version__gte=a.version).exists()
        events = ClaimEvent.objects.filter(claim_id=a.claim_id, actor__username=a.user)
        if a.kind == "create_claim":
            found = found and Claim.objects.filter(pk=a.claim_id, text=a.text).exists()
        elif a.kind == "patch_claim":
            events = events.filter(
                kind=ClaimEvent.Kind.EDITED, details__changed__value_low__1=a.value_low
            )
            found = found and events.exists()
        else:
            events = events.filter(kind=ClaimEvent.Kind.TRANSITION, to_status=a.to_status)
            found = found and events.exists()
        if not found:
            lost.append(f"{a.kind} of claim {a.claim_id} by {a.user} (version {a.version})")
    return lost


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def report(shared: Shared, elapsed: float, load: tuple[float, ...], lost: list[str]) -> int:
    by_kind: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for kind, status, seconds in shared.samples:
        by_kind[kind].append((status, seconds))
    total = len(shared.samples)
    errors = sum(1 for _, status, _ in shared.samples if status >= 400 and status != 409)
    print(f"\n{total:,} requests in {elapsed:.1f} s: {total / elapsed:.1f} requests/s")
    print(f"{'kind':<14}{'count':>8}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}  answers")
    for kind in sorted(by_kind):
        rows = by_kind[kind]
        times = [s * 1000 for _, s in rows]
        answers = Counter(status for status, _ in rows)
        bad = sum(n for status, n in answers.items() if status >= 400 and status != 409)
        codes = " ".join(f"{status}:{n}" for status, n in sorted(answers.items()))
        print(
            f"{kind:<14}{len(rows):>8}{len(rows) / elapsed:>8.1f}{percentile(times, 50):>9.0f}"
            f"{percentile(times, 95):>9.0f}{bad:>8}  {codes}"
        )
    print("409s are clean refusals (a claim taken or decided by someone else first).")
    print(f"errors: {errors}")
    for failure in shared.failures[:10]:
        print(f"  {failure}")
    writes = len(shared.acks)
    print(f"acknowledged writes: {writes:,}; lost: {len(lost)}")
    for line in lost[:20]:
        print(f"  lost: {line}")
    print(f"load average (1, 5, 15 min) at the end: {', '.join(f'{x:.2f}' for x in load)}")
    return 1 if errors or lost else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--database-url",
        default=os.getenv("BENCH_LOAD_DATABASE_URL", DEFAULT_URL),
        help=f"a dedicated database whose claim tables the bench empties (default {DEFAULT_URL})",
    )
    parser.add_argument(
        "--broker-url",
        default=os.getenv("BENCH_BROKER_URL", DEFAULT_BROKER),
        help=f"the worker's Redis (default {DEFAULT_BROKER}); its queue is purged",
    )
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers (Procfile)")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="Celery (Procfile)")
    parser.add_argument(
        "--url", help="load a desk served already (on --database-url) instead of starting one"
    )
    parser.add_argument("--seed", type=int, default=20140213)
    parser.add_argument("--force", action="store_true", help="use a database not named *bench*")
    args = parser.parse_args()

    env = configure(args.database_url, args.broker_url, args.force)
    before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average (1, 5, 15 min) before: {before}, on {os.cpu_count()} CPUs")
    manage(env, "migrate", "--noinput", "-v", "0")
    import django

    django.setup()
    accounts, ids = seed(args.clients, random.Random(args.seed))
    procs: list[subprocess.Popen[bytes]] = []
    logs = Path(tempfile.mkdtemp(prefix="load-bench-"))
    try:
        if args.url:
            base = args.url.rstrip("/")
        else:
            manage(env, "collectstatic", "--noinput", "-v", "0")
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            procs.append(
                start(
                    [
                        str(BIN / "gunicorn"),
                        "newsroom.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(args.web_workers),
                    ],
                    env,
                    logs / "web.log",
                )
            )
            celery = [str(BIN / "celery"), "-A", "newsroom"]
            subprocess.run([*celery, "purge", "-f"], cwd=ROOT, env=env, check=False)
            procs.append(
                start(
                    [*celery, "worker", "--loglevel=warning", f"-c{args.worker_concurrency}"],
                    env,
                    logs / "worker.log",
                )
            )
        wait_until_up(base)
        print(
            f"{args.clients} clients for {args.seconds:g} s against {base} "
            f"({args.web_workers} gunicorn workers, logs in {logs})"
        )
        shared = Shared(new=list(ids), claims=list(ids))
        elapsed = run_clients(base, accounts, shared, args.seconds)
        load = os.getloadavg()
    finally:
        for proc in procs:
            stop(proc)
    lost = lost_writes(shared.acks)
    sys.exit(report(shared, elapsed, load, lost))


if __name__ == "__main__":
    main()
