"""The evidence link checker, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from claims import linkcheck
from claims.linkcheck import fetch
from claims.models import Evidence, Flag
from tests.factories import ClaimFactory, EvidenceFactory

PAGE = b"<h1>At least 51 people were killed in Aleppo yesterday</h1>"
HUGE = bytes(range(256)) * 4096  # 1 MiB
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class Site(ThreadingHTTPServer):
    """Pages a test can change, and the requests that reached the server."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.pages: dict[str, bytes] = {"/ok": PAGE, "/page": b"first version"}
        self.seen: list[tuple[str, str]] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the checker hangs up on huge and slow pages on purpose


class Handler(BaseHTTPRequestHandler):
    server: Site

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("User-Agent", "")))
        port = self.server.server_address[1]
        if self.path in self.server.pages:
            self.reply(200, self.server.pages[self.path])
        elif self.path.startswith("/hop/"):
            left = int(self.path.removeprefix("/hop/"))
            self.redirect(f"/hop/{left - 1}" if left > 1 else "/ok")
        elif self.path == "/to-loopback":
            self.redirect(f"http://127.0.0.2:{port}/ok")
        elif self.path == "/to-private":
            self.redirect("http://10.0.0.1/ok")
        elif self.path == "/gzipped":
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
            body = gzip.compress(PAGE)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/huge":
            self.reply(200, HUGE)
        elif self.path == "/slow":
            time.sleep(2)
            self.reply(200, PAGE)
        elif self.path == "/drip":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            for _ in range(100):
                self.wfile.write(b".")
                self.wfile.flush()
                time.sleep(0.05)
        else:
            self.reply(404, b"not here")

    def reply(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("the checker opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.fixture
def loopback_counts_as_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let 127.0.0.1 pass the guard, to play a public site; 127.0.0.2 stays loopback."""
    real = linkcheck.address_problem

    def problem(address: str) -> str:
        return "" if address == "127.0.0.1" else real(address)

    monkeypatch.setattr(linkcheck, "address_problem", problem)


# ---------------------------------------------------------------------------
# fetch


def test_it_hashes_a_page(site: Site) -> None:
    result = fetch(site.url("/ok"), allow_private=True)

    assert result.status == 200
    assert result.sha256 == sha(PAGE)
    assert result.error == ""
    assert result.final_url == site.url("/ok")
    assert not result.truncated
    assert result.ok
    assert site.seen == [("/ok", "claim-desk-linkcheck/1.0")]


def test_it_hashes_the_page_not_its_compression(site: Site) -> None:
    assert fetch(site.url("/gzipped"), allow_private=True).sha256 == sha(PAGE)


def test_it_reports_a_missing_page(site: Site) -> None:
    result = fetch(site.url("/missing"), allow_private=True)

    assert result.status == 404
    assert result.error == ""
    # An error page's hash would only add an evidence_changed flag to the unreachable one.
    assert result.sha256 == ""
    assert not result.ok


def test_it_refuses_loopback_unless_allowed(site: Site) -> None:
    refused = fetch(site.url("/ok"), allow_private=False)

    assert refused.status is None
    assert refused.sha256 == ""
    assert refused.error == "refused: loopback address 127.0.0.1"
    assert site.seen == []
    assert fetch(site.url("/ok"), allow_private=True).status == 200


def test_it_refuses_a_name_that_resolves_to_loopback(site: Site) -> None:
    port = site.server_address[1]

    result = fetch(f"http://localhost:{port}/ok", allow_private=False)

    assert result.error.startswith("refused: localhost resolves to loopback address")
    assert site.seen == []


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("http://10.1.2.3/report", "refused: private address 10.1.2.3"),
        ("http://192.168.0.10/", "refused: private address 192.168.0.10"),
        ("http://169.254.169.254/latest/meta-data/", "refused: link-local address 169.254.169.254"),
        ("http://[::1]/", "refused: loopback address ::1"),
        ("http://[::ffff:10.0.0.1]/", "refused: private address ::ffff:10.0.0.1"),
        ("http://0.0.0.0/", "refused: unspecified address 0.0.0.0"),
        ("http://224.0.0.1/", "refused: multicast address 224.0.0.1"),
        ("http://100.100.100.200/", "refused: non-public address 100.100.100.200"),
    ],
)
def test_it_refuses_private_addresses_without_connecting(
    no_connections: None, url: str, error: str
) -> None:
    result = fetch(url, allow_private=False)

    assert result.error == error
    assert result.status is None


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("ftp://example.org/report", "ftp"),
        ("file:///etc/passwd", "file"),
        ("javascript:alert(1)", "javascript"),
    ],
)
def test_it_refuses_other_schemes(no_connections: None, url: str, scheme: str) -> None:
    result = fetch(url, allow_private=True)

    assert result.error == f"refused: only http and https links are checked, not {scheme}"
    assert result.status is None


def test_it_needs_an_absolute_url(no_connections: None) -> None:
    assert fetch("/report", allow_private=True).error == "invalid URL: no scheme"


def test_it_reports_a_name_that_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)

    result = fetch("https://gone.example.org/report", allow_private=False)

    assert result.error == "could not resolve gone.example.org: Name or service not known"


def test_it_reports_a_refused_connection() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once it is closed

    result = fetch(f"http://127.0.0.1:{port}/", allow_private=True)

    assert result.error == "connection failed: Connection refused"
    assert result.status is None


def test_it_times_out_instead_of_raising(site: Site) -> None:
    started = time.monotonic()

    result = fetch(site.url("/slow"), allow_private=True, timeout=0.5)

    assert result.error == "timed out waiting for the server"
    assert result.status is None
    assert time.monotonic() - started < 1.5


def test_it_gives_up_on_a_page_that_drips(site: Site) -> None:
    started = time.monotonic()

    # Each byte comes well within the timeout; the whole page would take 5 s.
    result = fetch(site.url("/drip"), allow_private=True, timeout=0.3)

    assert result.error == "timed out reading the page"
    assert result.status == 200
    assert result.sha256 == ""
    assert time.monotonic() - started < 2


def test_it_hashes_only_the_start_of_a_huge_page(site: Site) -> None:
    result = fetch(site.url("/huge"), allow_private=True, max_bytes=100_000)

    assert result.error == ""
    assert result.status == 200
    assert result.truncated
    assert result.sha256 == sha(HUGE[:100_000])


def test_it_reads_a_page_exactly_at_the_cap_whole(site: Site) -> None:
    result = fetch(site.url("/ok"), allow_private=True, max_bytes=len(PAGE))

    assert not result.truncated
    assert result.sha256 == sha(PAGE)


def test_it_follows_redirects(site: Site) -> None:
    result = fetch(site.url("/hop/5"), allow_private=True)

    assert result.status == 200
    assert result.sha256 == sha(PAGE)
    assert result.final_url == site.url("/ok")
    assert [path for path, _ in site.seen] == [f"/hop/{n}" for n in (5, 4, 3, 2, 1)] + ["/ok"]


def test_it_stops_after_five_redirects(site: Site) -> None:
    result = fetch(site.url("/hop/6"), allow_private=True)

    assert result.error == "too many redirects (more than 5)"
    assert result.status == 302
    assert len(site.seen) == 6


def test_it_checks_every_redirect_hop(site: Site, loopback_counts_as_public: None) -> None:
    assert fetch(site.url("/ok"), allow_private=False).status == 200

    result = fetch(site.url("/to-loopback"), allow_private=False)

    assert result.error == "refused: loopback address 127.0.0.2"
    assert result.final_url == f"http://127.0.0.2:{site.server_address[1]}/ok"
    assert result.status == 302
    assert result.sha256 == ""


def test_it_refuses_a_redirect_to_a_private_address(
    site: Site, loopback_counts_as_public: None
) -> None:
    result = fetch(site.url("/to-private"), allow_private=False)

    assert result.error == "refused: private address 10.0.0.1"
    assert [path for path, _ in site.seen] == ["/to-private"]


def test_it_refuses_a_host_that_rebinds_to_loopback(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Public for the guard's look-up, loopback for the connection's own.
    real = socket.getaddrinfo
    answers = ["127.0.0.1", "93.184.215.14"]

    def rebinding(host: str, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example.org":
            host = answers.pop() if len(answers) > 1 else answers[0]
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)

    result = fetch(f"http://rebind.example.org:{site.server_address[1]}/ok", allow_private=False)

    assert result.error == "refused: rebind.example.org connected to loopback address 127.0.0.1"
    assert site.seen == []


# ---------------------------------------------------------------------------
# check_evidence


@pytest.fixture
def private_allowed(settings: Any) -> None:
    settings.LINKCHECK_ALLOW_PRIVATE = True


def decided_claim() -> Any:
    return ClaimFactory(status="verified", decided_at=NOW - dt.timedelta(days=1))


def open_flags(kind: str) -> list[Flag]:
    return list(Flag.objects.filter(kind=kind, status=Flag.Status.OPEN))


@pytest.mark.django_db
def test_it_records_the_baseline_and_the_last_check(site: Site, private_allowed: None) -> None:
    evidence = EvidenceFactory(claim=decided_claim(), url=site.url("/page"))

    assert linkcheck.check_evidence(now=NOW) == 1

    evidence.refresh_from_db()
    assert (evidence.captured_status, evidence.captured_sha256, evidence.captured_at) == (
        200,
        sha(b"first version"),
        NOW,
    )
    assert (evidence.last_status, evidence.last_sha256, evidence.last_error) == (
        200,
        sha(b"first version"),
        "",
    )
    assert evidence.checked_at == NOW
    assert Flag.objects.count() == 0


@pytest.mark.django_db
def test_it_flags_a_page_that_changed(site: Site, private_allowed: None) -> None:
    claim = decided_claim()
    evidence = EvidenceFactory(claim=claim, url=site.url("/page"))
    linkcheck.check_evidence(now=NOW)
    site.pages["/page"] = b"second version"

    linkcheck.check_evidence(now=NOW + dt.timedelta(days=1))

    evidence.refresh_from_db()
    assert evidence.captured_sha256 == sha(b"first version")  # the baseline stays
    assert evidence.last_sha256 == sha(b"second version")
    [flag] = open_flags("evidence_changed")
    assert list(flag.claims.all()) == [claim]
    assert flag.details["evidence_id"] == evidence.pk


@pytest.mark.django_db
def test_it_flags_a_missing_page(site: Site, private_allowed: None) -> None:
    claim = decided_claim()
    evidence = EvidenceFactory(claim=claim, url=site.url("/missing"))

    linkcheck.check_evidence(now=NOW)

    evidence.refresh_from_db()
    assert evidence.last_status == 404
    assert evidence.captured_sha256 == ""  # a failed fetch is no baseline
    [flag] = open_flags("evidence_unreachable")
    assert list(flag.claims.all()) == [claim]
    assert open_flags("evidence_changed") == []


@pytest.mark.django_db
def test_it_refuses_local_links_unless_the_setting_allows(site: Site, settings: Any) -> None:
    settings.LINKCHECK_ALLOW_PRIVATE = False
    evidence = EvidenceFactory(claim=decided_claim(), url=site.url("/ok"))

    linkcheck.check_evidence(now=NOW)

    evidence.refresh_from_db()
    assert evidence.last_error == "refused: loopback address 127.0.0.1"
    assert evidence.last_status is None
    assert len(open_flags("evidence_unreachable")) == 1
    assert site.seen == []


@pytest.mark.django_db
def test_it_skips_rows_checked_recently(site: Site, private_allowed: None) -> None:
    recent = EvidenceFactory(url=site.url("/ok"))
    stale = EvidenceFactory(url=site.url("/ok"))
    never = EvidenceFactory(url=site.url("/ok"))
    Evidence.objects.filter(pk=recent.pk).update(checked_at=NOW - dt.timedelta(hours=1))
    Evidence.objects.filter(pk=stale.pk).update(checked_at=NOW - dt.timedelta(days=2))

    assert linkcheck.check_evidence(older_than=dt.timedelta(days=1), now=NOW) == 2

    checked = dict(Evidence.objects.values_list("pk", "checked_at"))
    assert checked == {
        recent.pk: NOW - dt.timedelta(hours=1),
        stale.pk: NOW,
        never.pk: NOW,
    }


@pytest.mark.django_db
def test_it_checks_the_never_checked_first_then_the_oldest(
    site: Site, private_allowed: None
) -> None:
    older = EvidenceFactory(url=site.url("/ok"))
    old = EvidenceFactory(url=site.url("/ok"))
    never = EvidenceFactory(url=site.url("/ok"))
    Evidence.objects.filter(pk=old.pk).update(checked_at=NOW - dt.timedelta(days=2))
    Evidence.objects.filter(pk=older.pk).update(checked_at=NOW - dt.timedelta(days=3))
    order = []

    for step in range(3):
        assert linkcheck.check_evidence(limit=1, now=NOW + dt.timedelta(minutes=step)) == 1
        order.append(Evidence.objects.order_by("-checked_at", "pk").first())

    assert order == [never, older, old]


@pytest.mark.django_db
def test_it_skips_evidence_of_retracted_claims(site: Site, private_allowed: None) -> None:
    EvidenceFactory(claim=ClaimFactory(status="retracted"), url=site.url("/ok"))

    assert linkcheck.check_evidence(now=NOW) == 0
    assert site.seen == []


@pytest.mark.django_db
def test_it_adds_no_history_rows(site: Site, private_allowed: None) -> None:
    evidence = EvidenceFactory(claim=decided_claim(), url=site.url("/page"))
    before = Evidence.history.count()

    linkcheck.check_evidence(now=NOW)
    site.pages["/page"] = b"second version"
    linkcheck.check_evidence(now=NOW + dt.timedelta(days=1))

    assert Evidence.history.count() == before == 1
    assert evidence.history.get().last_sha256 == ""
