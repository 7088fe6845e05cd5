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

import hashlib
import ipaddress
import logging
import socket
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
import urllib3.exceptions
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from claims.checks.sync import scan_evidence
from claims.models import Evidence, Status

log = logging.getLogger(__name__)

USER_AGENT = "claim-desk-linkcheck/1.0"
MAX_REDIRECTS = 5
CHUNK_SIZE = 64 * 1024
# `timeout` bounds the connect and each read, but a server can keep every read
# under it and drip a page for hours: the whole fetch, redirects included, gets
# this many timeouts.
TOTAL_TIMEOUTS = 3
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
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 reaches 127.0.0.1
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


def _refusal(url: str, *, allow_private: bool) -> str:
    """Why `url` may not be requested, or "" when it may. Resolves the host to know."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if not scheme:
        return "invalid URL: no scheme"
    if scheme not in ("http", "https"):
        return f"refused: only http and https links are checked, not {scheme}"
    try:
        host = parts.hostname
        port = parts.port or (443 if scheme == "https" else 80)
        if not host:
            return "invalid URL: no host"
        addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"could not resolve {host}: {exc.strerror or exc}"
    except ValueError as exc:  # a port out of range, a host IDNA cannot encode
        return f"invalid URL: {exc}"
    if allow_private:
        return ""
    for *_, sockaddr in addresses:
        address = str(sockaddr[0])
        problem = address_problem(address)
        if problem and _is_ip(host):
            return f"refused: {problem} address {address}"
        if problem:
            return f"refused: {host} resolves to {problem} address {address}"
    return ""


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------
# The connection-time half of the guard


def _checked_peer(sock: socket.socket, host: str) -> socket.socket:
    address = str(sock.getpeername()[0])
    problem = address_problem(address)
    if problem:
        sock.close()
        raise AddressRefused(f"refused: {host} connected to {problem} address {address}")
    return sock


class _GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _checked_peer(super()._new_conn(), self.host)


class _GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _checked_peer(super()._new_conn(), self.host)


class _GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPConnectionPool,
            "https": _GuardedHTTPSConnectionPool,
        }


# ---------------------------------------------------------------------------
# Fetching


def fetch(
    url: str, *, allow_private: bool, timeout: float = 10, max_bytes: int = 5_000_000
) -> LinkResult:
    """Load `url` as the link checker sees it. Never raises for a bad link: see `error`."""
    deadline = time.monotonic() + timeout * TOTAL_TIMEOUTS
    status: int | None = None
    with requests.Session() as session:
        # Nothing from the environment: a proxy would defeat the address guard
        # (the connection would reach the proxy, not the page), and .netrc
        # credentials must not be sent to whatever host an evidence link names.
        session.trust_env = False
        session.headers.update({"User-Agent": USER_AGENT, "Accept": "*/*"})
        if not allow_private:
            guarded = _GuardedAdapter()
            session.mount("http://", guarded)
            session.mount("https://", guarded)
        for _hop in range(MAX_REDIRECTS + 1):
            refusal = _refusal(url, allow_private=allow_private)
            if refusal:
                return LinkResult(status, "", refusal, url)
            if time.monotonic() > deadline:
                return LinkResult(status, "", "timed out following redirects", url)
            try:
                with session.get(
                    url, stream=True, allow_redirects=False, timeout=(timeout, timeout)
                ) as response:
                    status = response.status_code
                    target = session.get_redirect_target(response)
                    if not target:
                        return _read(response, url, deadline, max_bytes)
                    url = urljoin(response.url, target)
            except (
                requests.RequestException,
                urllib3.exceptions.HTTPError,  # from reading the body straight from urllib3
                AddressRefused,
                OSError,
                ValueError,
            ) as exc:
                return LinkResult(status, "", _describe(exc), url)
    return LinkResult(status, "", f"too many redirects (more than {MAX_REDIRECTS})", url)


def _read(response: requests.Response, url: str, deadline: float, max_bytes: int) -> LinkResult:
    status = response.status_code
    if status >= 400:
        # An error page says nothing about the evidence, and its hash would
        # raise evidence_changed on top of evidence_unreachable.
        return LinkResult(status, "", "", url)
    digest = hashlib.sha256()
    size = 0
    truncated = False
    while True:
        # read1 returns what one read from the socket gave, so the deadline is
        # checked as data trickles in (iter_content would block until it has a
        # whole chunk). decode_content undoes gzip and the like: the hash is of
        # the page itself, whatever encoding the server picked this time.
        chunk = response.raw.read1(CHUNK_SIZE, decode_content=True)
        if not chunk:
            break
        if time.monotonic() > deadline:
            return LinkResult(status, "", "timed out reading the page", url)
        if size + len(chunk) > max_bytes:
            # Not an error: the page loads, and the hash of its first max_bytes
            # changes when that part does. Edits further down go unnoticed; that
            # is the price of bounded time and traffic per link.
            digest.update(chunk[: max_bytes - size])
            truncated = True
            break
        digest.update(chunk)
        size += len(chunk)
    return LinkResult(status, digest.hexdigest(), "", url, truncated)


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


def _describe(exc: BaseException) -> str:
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
        result = fetch(evidence.url, allow_private=settings.LINKCHECK_ALLOW_PRIVATE)
        rows.update(
            last_status=result.status,
            last_sha256=result.sha256,
            last_error=_clip(result.error),
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


def _clip(error: str) -> str:
    if len(error) <= ERROR_MAX_LENGTH:
        return error
    return error[: ERROR_MAX_LENGTH - 1] + "…"
