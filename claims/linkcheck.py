"""The evidence link checker: load each evidence URL, store what was seen, sync the flags.

`fetch` is the careful part and uses nothing from Django: it never raises for a
bad link, follows redirects itself so that every hop passes the address guard,
and reads at most `max_bytes`. `check_evidence` is the thin orchestration a
Celery task calls.

The address guard works twice. Before each request the host is resolved and
every address it resolves to must be public; that gives a clear refusal without
connecting. Then each new connection checks the address it actually reached,
because DNS may answer differently the second time (DNS rebinding); such a
connection is closed before a byte of the request is sent.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from claims.checks.sync import scan_evidence
from claims.models import Evidence, Status
from claims.weburl import web_url_problem

log = logging.getLogger(__name__)

USER_AGENT = "claim-desk-linkcheck/1.0"
MAX_REDIRECTS = 5
CHUNK_SIZE = 64 * 1024
# `timeout` bounds the connect and each read, but a server can keep every read
# under it and drip a page for hours: the whole fetch, redirects included, gets
# this many timeouts.
TOTAL_TIMEOUTS = 3
# What the job gives each link: a wait of FETCH_TIMEOUT at most, and the whole
# fetch FETCH_BUDGET, however the server paces its answer.
FETCH_TIMEOUT = 10.0
FETCH_BUDGET = FETCH_TIMEOUT * TOTAL_TIMEOUTS
ERROR_MAX_LENGTH = 300  # Evidence.last_error


@dataclass(frozen=True)
class LinkResult:
    # The status of the last response received; None when none came back.
    status: int | None
    # Hex sha256 of the body of a page served with a status below 400, else "".
    sha256: str
    # Why the check failed, for people to read; "" when the server answered.
    error: str
    # The last URL requested, or refused.
    final_url: str
    # The body was longer than max_bytes and only its start was hashed.
    truncated: bool = False
    # With `keep_bytes`: the start of the body as served (decompressed), and its type.
    body: bytes = b""
    content_type: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and 200 <= self.status < 300


class AddressRefused(Exception):
    """A connection reached an address the guard refuses.

    Deliberately not an OSError: urllib3 would retry or wrap one, and this must
    reach `fetch` as it is.
    """


def address_problem(address: str) -> str:
    """What kind of non-public address `address` is ("loopback", ...), or "" for a public one."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.teredo:
            # The client half is obfuscated and reached through whatever relay
            # answers: no telling where such a connection ends up.
            return "Teredo tunnel"
        embedded, wrapping = _embedded_ipv4(ip)
        if embedded is not None:
            problem = address_problem(str(embedded))
            return f"{wrapping}{problem}" if problem else ""
    for problem, applies in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        # Shared address space (100.64.0.0/10, where some clouds keep their
        # metadata service), documentation ranges and the like.
        ("non-public", not ip.is_global),
    ):
        if applies:
            return problem
    return ""


# NAT64 gateways (RFC 6052) reach the IPv4 address in the last 32 bits of this
# prefix; the local-use 64:ff9b:1::/48 is not global, so the checks below refuse it.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _embedded_ipv4(
    ip: ipaddress.IPv6Address,
) -> tuple[ipaddress.IPv4Address | None, str]:
    """The IPv4 address an IPv6 one reaches where the address says so, and how it is wrapped.

    ::ffff:127.0.0.1 reaches 127.0.0.1 on a dual-stack host, 2002:7f00:1:: goes
    through a 6to4 relay to 127.0.0.1, and 64:ff9b::7f00:1 through NAT64.
    """
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped, ""
    if ip.sixtofour is not None:
        return ip.sixtofour, "6to4-wrapped "
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF), "NAT64-wrapped "
    return None, ""


# What `address_problem` calls an address, in the reader's language for `refusal(local=True)`.
_ADDRESS_KINDS: dict[str, Promise] = {
    "Teredo tunnel": pgettext_lazy("kind of address", "Teredo tunnel"),
    "unspecified": pgettext_lazy("kind of address", "unspecified"),
    "loopback": pgettext_lazy("kind of address", "loopback"),
    "link-local": pgettext_lazy("kind of address", "link-local"),
    "multicast": pgettext_lazy("kind of address", "multicast"),
    "reserved": pgettext_lazy("kind of address", "reserved"),
    "private": pgettext_lazy("kind of address", "private"),
    "non-public": pgettext_lazy("kind of address", "non-public"),
}


def _same(text: str) -> str:
    return text


def refusal(url: str, *, allow_private: bool, local: bool = False) -> str:
    """Why `url` may not be requested, or "" when it may. Resolves the host to know.

    In English, as it is stored with a link's result and a webhook's delivery; `local`
    words it in the active language, for someone registering a URL to read at once."""
    say: Callable[[str], str] = gettext if local else _same
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme:
        return say(gettext_noop("invalid URL: no scheme"))
    if scheme not in ("http", "https"):
        return say(
            gettext_noop("refused: only http and https links are checked, not %(scheme)s")
        ) % {"scheme": scheme}
    if "@" in parts.netloc:
        # requests would send them as a login to whatever host the link names.
        return say(gettext_noop("refused: a link carrying a user name or password"))
    problem = web_url_problem(url) if parts.hostname else ""
    if problem:
        return say(gettext_noop("invalid URL: %(problem)s")) % {"problem": problem}
    try:
        host = parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
        if not host:
            return say(gettext_noop("invalid URL: no host"))
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return say(gettext_noop("could not resolve %(host)s: %(error)s")) % {
            "host": host,
            "error": exc.strerror or exc,
        }
    except ValueError as exc:  # a port out of range, a host IDNA cannot encode
        return say(gettext_noop("invalid URL: %(problem)s")) % {"problem": exc}
    if allow_private:
        return ""
    for *_, sockaddr in addresses:
        address = str(sockaddr[0])
        problem = address_problem(address)
        kind = str(_ADDRESS_KINDS.get(problem, problem)) if local else problem
        if problem and _is_ip(host):
            return say(gettext_noop("refused: %(kind)s address %(address)s")) % {
                "kind": kind,
                "address": address,
            }
        if problem:
            return say(
                gettext_noop("refused: %(host)s resolves to %(kind)s address %(address)s")
            ) % {
                "host": host,
                "kind": kind,
                "address": address,
            }
    return ""


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------
# The budget: one deadline for the whole fetch


class _Budget:
    """One fetch's deadline, what it reached so far, and the sockets to cut when it passes.

    Socket timeouts bound each wait, not the sum of them: a server that sends a
    header line every few seconds, or a resolver that answers slowly, keeps
    every wait short and the fetch going for minutes. So the fetch runs in a
    worker thread and the caller waits for it only as long as the budget allows;
    then it shuts down the sockets the worker opened, which ends any read in
    progress at once.
    """

    def __init__(self, seconds: float, url: str) -> None:
        self.deadline = time.monotonic() + seconds
        self.url = url
        self.status: int | None = None
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if not self.expired:
                self._sockets.append(sock)
                return
        sock.close()
        raise BudgetSpent("timed out")

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed by the worker
                sock.shutdown(socket.SHUT_RDWR)


class BudgetSpent(Exception):
    """The fetch's time ran out as a connection opened; not an OSError, so urllib3 won't retry."""


# The budget of the fetch running in this thread, for the connections it opens.
_current = threading.local()


def _watched(sock: socket.socket) -> socket.socket:
    budget: _Budget | None = getattr(_current, "budget", None)
    if budget is not None:
        budget.watch(sock)
    return sock


# ---------------------------------------------------------------------------
# The connection-time half of the guard


def _checked_peer(sock: socket.socket, host: str) -> socket.socket:
    address = str(sock.getpeername()[0])
    problem = address_problem(address)
    if problem:
        sock.close()
        raise AddressRefused(f"refused: {host} connected to {problem} address {address}")
    return sock


class _WatchedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())


class _WatchedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _watched(super()._new_conn())


class _GuardedHTTPConnection(_WatchedHTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _checked_peer(super()._new_conn(), self.host)


class _GuardedHTTPSConnection(_WatchedHTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _checked_peer(super()._new_conn(), self.host)


class _WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _Adapter(HTTPAdapter):
    """Connections that register with the fetch's budget, and pass the address guard if asked."""

    def __init__(self, *, guarded: bool) -> None:
        self.guarded = guarded
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        if self.guarded:
            pools: dict[str, type[HTTPConnectionPool]] = {
                "http": _GuardedHTTPConnectionPool,
                "https": _GuardedHTTPSConnectionPool,
            }
        else:
            pools = {"http": _WatchedHTTPConnectionPool, "https": _WatchedHTTPSConnectionPool}
        self.poolmanager.pool_classes_by_scheme = pools


# ---------------------------------------------------------------------------
# Fetching


def fetch(
    url: str,
    *,
    allow_private: bool,
    timeout: float = 10,
    max_bytes: int = 5_000_000,
    budget: float | None = None,
    keep_bytes: int = 0,
) -> LinkResult:
    """Load `url` as the link checker sees it. Never raises for a bad link: see `error`.

    `timeout` bounds each connect and read; `budget` (by default TOTAL_TIMEOUTS
    timeouts) bounds the whole fetch: resolving, connecting, headers, body and
    redirects. With `keep_bytes` the result also holds the start of the page, for a
    snapshot.
    """
    spend = _Budget(timeout * TOTAL_TIMEOUTS if budget is None else budget, url)
    outcome: list[LinkResult] = []

    def work() -> None:
        _current.budget = spend
        try:
            outcome.append(_fetch(url, spend, allow_private, timeout, max_bytes, keep_bytes))
        except Exception as exc:  # a bug must still end as a result, not die in the thread
            outcome.append(LinkResult(spend.status, "", describe(exc), spend.url))
        finally:
            _current.budget = None

    worker = threading.Thread(target=work, name="linkcheck-fetch", daemon=True)
    worker.start()
    worker.join(spend.remaining())
    if outcome:
        return outcome[0]
    # Worded before the sockets are shut: headers cut short read as complete
    # ones, and the worker would go on to record a status it never really got.
    late = _out_of_time(spend)
    spend.expire()
    # The worker ends as soon as its socket is shut; one stuck in a DNS lookup
    # ends when the resolver gives up, and nothing waits for it.
    return late


def _out_of_time(spend: _Budget) -> LinkResult:
    if spend.status is None:
        return LinkResult(None, "", "timed out waiting for the server", spend.url)
    return LinkResult(spend.status, "", "timed out reading the page", spend.url)


def guarded_session(*, allow_private: bool) -> requests.Session:
    """A session whose every connection is checked against the address it reached (unless
    `allow_private`), for the link checker and anything else the desk fetches or posts to
    at an address a user gave (webhooks)."""
    session = requests.Session()
    # Nothing from the environment: a proxy would defeat the address guard (the connection
    # would reach the proxy, not the page), and .netrc credentials must not be sent to
    # whatever host a user named.
    session.trust_env = False
    adapter = _Adapter(guarded=not allow_private)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _fetch(
    url: str, spend: _Budget, allow_private: bool, timeout: float, max_bytes: int, keep_bytes: int
) -> LinkResult:
    status: int | None = None
    with guarded_session(allow_private=allow_private) as session:
        session.headers.update({"User-Agent": USER_AGENT, "Accept": "*/*"})
        for _hop in range(MAX_REDIRECTS + 1):
            spend.url = url
            refused = refusal(url, allow_private=allow_private)
            if refused:
                return LinkResult(status, "", refused, url)
            if spend.expired or not spend.remaining():
                return _out_of_time(spend)
            wait = min(timeout, spend.remaining())
            try:
                with session.get(
                    url, stream=True, allow_redirects=False, timeout=(wait, wait)
                ) as response:
                    status = spend.status = response.status_code
                    target = session.get_redirect_target(response)
                    if not target:
                        return _read(response, url, spend, max_bytes, keep_bytes)
                    url = urljoin(response.url, target)
            except (
                requests.RequestException,
                urllib3.exceptions.HTTPError,  # from reading the body straight from urllib3
                AddressRefused,
                BudgetSpent,
                OSError,
                ValueError,
            ) as exc:
                if spend.expired:
                    return _out_of_time(spend)
                return LinkResult(status, "", describe(exc), url)
    return LinkResult(status, "", f"too many redirects (more than {MAX_REDIRECTS})", url)


def _read(
    response: requests.Response, url: str, spend: _Budget, max_bytes: int, keep_bytes: int = 0
) -> LinkResult:
    status = response.status_code
    if status >= 400:
        # An error page says nothing about the evidence, and its hash would
        # raise evidence_changed on top of evidence_unreachable.
        return LinkResult(status, "", "", url)
    digest = hashlib.sha256()
    size = 0
    truncated = False
    kept = bytearray()
    while True:
        # read1 returns what one read from the socket gave, so the deadline is
        # checked as data trickles in (iter_content would block until it has a
        # whole chunk). decode_content undoes gzip and the like: the hash is of
        # the page itself, whatever encoding the server picked this time.
        chunk = response.raw.read1(CHUNK_SIZE, decode_content=True)
        # A socket shut by the budget reads as the end of the page: never hash that.
        if spend.expired or not spend.remaining():
            return LinkResult(status, "", "timed out reading the page", url)
        if not chunk:
            break
        if len(kept) < keep_bytes:
            kept += chunk[: keep_bytes - len(kept)]
        if size + len(chunk) > max_bytes:
            # Not an error: the page loads, and the hash of its first max_bytes
            # changes when that part does. Edits further down go unnoticed; that
            # is the price of bounded time and traffic per link.
            digest.update(chunk[: max_bytes - size])
            truncated = True
            break
        digest.update(chunk)
        size += len(chunk)
    content_type = response.headers.get("Content-Type", "")[:100]
    return LinkResult(status, digest.hexdigest(), "", url, truncated, bytes(kept), content_type)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and what caused it, through requests' and urllib3's wrappers."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = current.args[0] if current.args else None
        reason = getattr(current, "reason", None)  # urllib3's MaxRetryError
        current = next(
            (
                e
                for e in (current.__cause__, reason, wrapped, current.__context__)
                if isinstance(e, BaseException)
            ),
            None,
        )


def describe(exc: BaseException) -> str:
    """A short reason for people, instead of requests' nested reprs."""
    chain = list(_chain(exc))
    for e in chain:
        if isinstance(e, AddressRefused):
            return str(e)
    # Not urllib3's ConnectTimeoutError: its NewConnectionError (refused, unreachable) is one.
    if any(isinstance(e, TimeoutError | requests.Timeout) for e in chain):
        if any(isinstance(e, requests.ConnectTimeout) for e in chain):
            return "timed out connecting"
        return "timed out waiting for the server"
    for e in chain:
        if isinstance(e, ssl.SSLError):
            return f"TLS error: {getattr(e, 'verify_message', None) or e.reason or e}"
    if isinstance(exc, ValueError):  # requests' InvalidURL, urllib3's LocationParseError
        return f"invalid URL: {exc}"
    for e in chain:
        if isinstance(e, OSError) and e.strerror:
            return f"connection failed: {e.strerror}"
    if isinstance(exc, urllib3.exceptions.ProtocolError):
        return "the connection broke while reading the page"
    if isinstance(exc, urllib3.exceptions.DecodeError):
        return "the page's compressed body could not be decoded"
    return f"{type(exc).__name__}: {exc}"


# ---------------------------------------------------------------------------
# The job


def check_evidence(
    *, older_than: timedelta | None = None, limit: int | None = None, now: datetime | None = None
) -> int:
    """Check the evidence links that are due, then sync the evidence flags.

    Due means never checked, or not within `older_than`; never-checked rows go
    first, then the longest unchecked. Evidence of retracted claims is skipped:
    nobody relies on it any more. Answers how many rows were checked.
    """
    due = Evidence.objects.exclude(claim__status=Status.RETRACTED)
    if older_than is not None:
        cutoff = (now or timezone.now()) - older_than
        due = due.filter(Q(checked_at__isnull=True) | Q(checked_at__lt=cutoff))
    due = due.order_by(F("checked_at").asc(nulls_first=True), "pk").only(
        "pk", "url", "checked_at", "captured_sha256"
    )
    checked = 0
    # No transaction around the loop: it would stay open across every request.
    for evidence in due[:limit] if limit is not None else due:
        at = now or timezone.now()
        # Writes go through QuerySet.update(), which sends no signals, so
        # django-simple-history records no row: a check is monitoring, not an
        # edit, and a history row per check would bury the edits people made.
        rows = Evidence.objects.filter(pk=evidence.pk)
        # Claim the row first, so that a second run overlapping this one skips it.
        if not rows.filter(checked_at=evidence.checked_at).update(checked_at=at):
            continue
        result = fetch(
            evidence.url,
            allow_private=settings.LINKCHECK_ALLOW_PRIVATE,
            timeout=FETCH_TIMEOUT,
            budget=FETCH_BUDGET,
        )
        rows.update(
            last_status=result.status,
            last_sha256=result.sha256,
            last_error=clip(result.error),
            checked_at=at,
        )
        if result.ok and not evidence.captured_sha256:
            rows.filter(captured_sha256="").update(
                captured_status=result.status, captured_sha256=result.sha256, captured_at=at
            )
        checked += 1
    scan_evidence()
    log.info("checked %d evidence links", checked)
    return checked


def clip(error: str) -> str:
    if len(error) <= ERROR_MAX_LENGTH:
        return error
    return error[: ERROR_MAX_LENGTH - 1] + "…"
