"""The link checker's budget bounds the whole fetch, and the guard sees through wrapped IPv4."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from claims import linkcheck
from claims.linkcheck import address_problem, fetch
from tests.factories import ClaimFactory, EvidenceFactory


class SlowServer:
    """A raw HTTP server on 127.0.0.1 that answers at the pace a test picks.

    ``trickle`` sends the status line and then one header line every ``pause``
    seconds, never ending the headers; ``stall`` sends whole headers and the
    start of a page with no length, then waits longer than the budget.
    """

    def __init__(self, mode: str, pause: float = 0.25) -> None:
        self.mode = mode
        self.pause = pause
        self.hung_up = threading.Event()
        self.stopping = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}{path}"

    def serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self.answer, args=(conn,), daemon=True).start()

    def answer(self, conn: socket.socket) -> None:
        with conn:
            conn.recv(65536)  # the request; its details do not matter here
            try:
                if self.mode == "trickle":
                    conn.sendall(b"HTTP/1.1 200 OK\r\n")
                    for n in range(400):
                        if self.stopping.wait(self.pause):
                            return
                        conn.sendall(f"X-Wait-{n}: {n}\r\n".encode())
                else:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nthe start")
                    self.stopping.wait(30)
            except OSError:
                pass
            self.hung_up.set()

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(2)
        self.listener.close()


@pytest.fixture
def trickle() -> Iterator[SlowServer]:
    server = SlowServer("trickle")
    yield server
    server.close()


@pytest.fixture
def stall() -> Iterator[SlowServer]:
    server = SlowServer("stall")
    yield server
    server.close()


def test_it_gives_up_on_headers_that_trickle_in(trickle: SlowServer) -> None:
    started = time.monotonic()

    # Each header line comes well within the timeout; the headers never end.
    result = fetch(trickle.url(), allow_private=True, timeout=1, budget=1.5)

    assert time.monotonic() - started < 2.5
    assert result.error == "timed out waiting for the server"
    assert result.status is None
    assert result.sha256 == ""


def test_it_hangs_up_when_the_budget_is_spent(trickle: SlowServer) -> None:
    fetch(trickle.url(), allow_private=True, timeout=1, budget=0.8)

    assert trickle.hung_up.wait(2)


def test_it_never_hashes_a_page_cut_short_by_the_budget(stall: SlowServer) -> None:
    started = time.monotonic()

    # The page has no length: the connection shut by the budget would read as its end.
    result = fetch(stall.url(), allow_private=True, timeout=5, budget=1)

    assert time.monotonic() - started < 2
    assert result.error == "timed out reading the page"
    assert result.status == 200
    assert result.sha256 == ""


def test_it_bounds_a_slow_name_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(3)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    started = time.monotonic()

    result = fetch("http://slow-dns.example/", allow_private=False, timeout=10, budget=0.5)

    assert time.monotonic() - started < 1.5
    assert result.error == "timed out waiting for the server"


@pytest.mark.django_db
def test_the_job_stays_within_its_budget(
    trickle: SlowServer, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.LINKCHECK_ALLOW_PRIVATE = True
    monkeypatch.setattr(linkcheck, "FETCH_TIMEOUT", 1.0)
    monkeypatch.setattr(linkcheck, "FETCH_BUDGET", 1.5)
    claim = ClaimFactory(status="verified")
    evidence = EvidenceFactory(claim=claim, url=trickle.url("/report"))
    started = time.monotonic()

    assert linkcheck.check_evidence() == 1

    assert time.monotonic() - started < 3
    evidence.refresh_from_db()
    assert evidence.last_error == "timed out waiting for the server"
    assert evidence.last_status is None


# ---------------------------------------------------------------------------
# IPv4 wrapped in IPv6


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("2002:7f00:1::", "6to4-wrapped loopback"),
        ("2002:7f00:1:0:0:0:0:1", "6to4-wrapped loopback"),
        ("2002:a00:1::1", "6to4-wrapped private"),
        ("2002:c0a8:101::", "6to4-wrapped private"),
        ("2002:a9fe:a9fe::1", "6to4-wrapped link-local"),
        ("2002:6440:1::", "6to4-wrapped non-public"),  # 100.64.0.1, shared address space
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo tunnel"),
        ("2001::1", "Teredo tunnel"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::7f00:1", "NAT64-wrapped loopback"),
        ("64:ff9b::a00:1", "NAT64-wrapped private"),
        ("64:ff9b::a9fe:a9fe", "NAT64-wrapped link-local"),
    ],
)
def test_it_refuses_private_ipv4_wrapped_in_ipv6(address: str, problem: str) -> None:
    assert address_problem(address) == problem


@pytest.mark.parametrize(
    "address",
    ["64:ff9b:1::a00:1", "::127.0.0.1", "::ffff:0:7f00:1", "2002::"],
)
def test_it_refuses_other_ipv4_carrying_forms(address: str) -> None:
    assert address_problem(address)


@pytest.mark.parametrize(
    "address",
    ["2002:808:808::1", "64:ff9b::808:808", "::ffff:8.8.8.8", "2606:4700:4700::1111", "8.8.8.8"],
)
def test_it_lets_public_addresses_through(address: str) -> None:
    assert address_problem(address) == ""


def test_it_refuses_a_name_that_resolves_to_6to4_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        return [(socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("2002:7f00:1::", port, 0, 0))]

    def refuse(*args: Any) -> None:
        raise AssertionError("the checker opened a connection")

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket.socket, "connect", refuse)

    result = fetch("http://tunnel.example/", allow_private=False, timeout=1)

    assert result.error == (
        "refused: tunnel.example resolves to 6to4-wrapped loopback address 2002:7f00:1::"
    )


def test_it_refuses_a_6to4_literal(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("the checker opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)

    result = fetch("http://[2002:7f00:1::]/", allow_private=False, timeout=1)

    assert result.error == "refused: 6to4-wrapped loopback address 2002:7f00:1::"


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("https://user:secret@example.org/", "refused: a link carrying a user name or password"),
        (
            "https://example.org/a\tb",
            "invalid URL: a URL may not contain spaces or control characters",
        ),
    ],
)
def test_it_refuses_links_that_are_not_plain_web(url: str, error: str) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("the checker opened a connection")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        result = fetch(url, allow_private=False, timeout=1)

    assert result.error == error
