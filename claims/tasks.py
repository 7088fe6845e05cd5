"""Celery tasks: thin, safe to run twice, queued only after the transaction commits."""

from __future__ import annotations

import logging
import socket

from celery import shared_task
from django.db import transaction

log = logging.getLogger(__name__)


@shared_task(name="claims.ping", ignore_result=False)
def ping() -> dict[str, str]:
    """Round-trip check used by the health tests: proves a worker took the task."""
    return {"pong": socket.gethostname()}


@shared_task(
    name="claims.scan_block",
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=120,
    time_limit=150,
)
def scan_block(claim_id: int) -> int:
    """Scan the block (event, unit, country) of one claim; answers the flags touched."""
    from claims.checks import sync

    return sync.scan_claim_block(claim_id)


@shared_task(name="claims.scan_all", acks_late=True, soft_time_limit=3000, time_limit=3300)
def scan_all() -> int:
    """Nightly: every block, rules for contradictions."""
    from claims.checks import sync

    return sync.scan_contradictions()


@shared_task(name="claims.scan_staleness", acks_late=True, soft_time_limit=600, time_limit=660)
def scan_staleness() -> int:
    from claims.checks import sync

    return sync.scan_staleness()


# A dead link costs up to three timeouts (30 s); a run checks at most this many,
# oldest first, and the next run takes the rest.
LINKS_PER_RUN = 300


@shared_task(name="claims.check_links", acks_late=True, soft_time_limit=3 * 3600)
def check_links(limit: int = LINKS_PER_RUN) -> int:
    """Daily: fetch the evidence links not checked within the policy's interval."""
    from datetime import timedelta

    from claims import linkcheck
    from claims.models import CheckPolicy

    interval = timedelta(hours=CheckPolicy.load().link_check_interval_hours)
    return linkcheck.check_evidence(older_than=interval, limit=limit)


def queue_block_scan(claim_id: int) -> None:
    """After commit, ask a worker to scan the claim's block.

    A broker that is down must not fail the save: the claim is already stored,
    and the scheduled full scan will catch up.
    """

    def send() -> None:
        try:
            scan_block.delay(claim_id)
        except Exception:  # kombu raises many kinds; none may break the request
            log.warning("could not queue a scan for claim %s; the next full scan will", claim_id)

    transaction.on_commit(send)
