"""Celery tasks: thin, safe to run twice, queued only after the transaction commits."""

from __future__ import annotations

import logging
import socket
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import OperationalError, transaction

from claims import linkcheck, services
from claims.checks import sync
from claims.models import CheckPolicy, Claim, Source
from claims.services import notifications, webhooks

log = logging.getLogger(__name__)

# The work a save queues: acknowledged once done, so a worker lost midway leaves it for
# another, and retried with backoff when a connection drops.
RETRIED: dict[str, Any] = {
    "acks_late": True,
    "autoretry_for": (ConnectionError,),
    "retry_backoff": True,
    "max_retries": 3,
}


@shared_task(name="claims.ping", ignore_result=False)
def ping() -> dict[str, str]:
    """Round-trip check used by the health tests: proves a worker took the task."""
    return {"pong": socket.gethostname()}


@shared_task(name="claims.scan_block", soft_time_limit=120, time_limit=150, **RETRIED)
def scan_block(claim_id: int) -> int:
    """Scan the block (event, unit, country) of one claim; answers the flags touched."""
    return sync.scan_claim_block(claim_id)


# From this many claims the full scan is split into parts, a task each, that any number of
# workers take side by side; a smaller base is scanned in one task, which costs less.
SPLIT_SCAN_CLAIMS = 50_000


@shared_task(name="claims.scan_all", acks_late=True, soft_time_limit=3000, time_limit=3300)
def scan_all(split: bool | None = None) -> int:
    """Nightly: every block, rules for contradictions. A small claim base is scanned here
    (answers the flags touched); a large one, or any with `split`, is planned into parts
    queued for the workers (answers how many parts; the `ScanRun` says when all are done)."""
    if split is None:
        split = Claim.objects.count() >= SPLIT_SCAN_CLAIMS
    if not split:
        return sync.scan_contradictions()
    run = sync.plan_full_scan()
    indexes = list(run.parts.order_by("index").values_list("index", flat=True))

    def send() -> None:
        for index in indexes:
            scan_part.delay(run.pk, index)

    transaction.on_commit(send)
    return len(indexes)


@shared_task(
    name="claims.scan_part",
    soft_time_limit=1800,
    time_limit=1900,
    **{**RETRIED, "autoretry_for": (ConnectionError, OperationalError)},
)
def scan_part(run_id: int, index: int) -> int:
    """One part of a split full scan (`sync.scan_part`); safe to run twice. Two parts
    that meet on a flag whose claims changed blocks may deadlock: the retry settles it."""
    return sync.scan_part(run_id, index)


@shared_task(name="claims.scan_staleness", acks_late=True, soft_time_limit=600, time_limit=660)
def scan_staleness() -> int:
    return sync.scan_staleness()


# A dead link costs up to three timeouts (30 s); a run checks at most this many,
# oldest first, and the next run takes the rest.
LINKS_PER_RUN = 300


@shared_task(name="claims.check_links", acks_late=True, soft_time_limit=3 * 3600)
def check_links(limit: int = LINKS_PER_RUN) -> int:
    """Daily: fetch the evidence links not checked within the policy's interval."""
    interval = timedelta(hours=CheckPolicy.load().link_check_interval_hours)
    return linkcheck.check_evidence(older_than=interval, limit=limit)


@shared_task(name="claims.remap_source_words", soft_time_limit=600, time_limit=660, **RETRIED)
def remap_source_words(source_id: int, actor_id: int | None, names: list[str]) -> int:
    """Map the claims whose unmapped source words the source's new `names` now resolve;
    answers how many. A second run finds them mapped already and does nothing."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return 0  # merged or deleted since: its names belong to another source now
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    return services.claims_remap_sources(actor=actor, source=source, added=names)


def _after_commit(task: Any, *args: Any, what: str) -> None:
    """Queue `task` once the transaction commits.

    A broker that is down must not fail the save: the change is already stored,
    and the scheduled job (or a command) will catch up.
    """

    def send() -> None:
        try:
            task.delay(*args)
        except Exception:  # kombu raises many kinds; none may break the request
            log.warning("could not queue %s; the next scheduled run will do it", what)

    transaction.on_commit(send)


def queue_block_scan(claim_id: int) -> None:
    """After commit, ask a worker to scan the claim's block."""
    _after_commit(scan_block, claim_id, what=f"a scan for claim {claim_id}")


def queue_source_remap(source_id: int, actor_id: int | None, names: list[str]) -> None:
    """After commit, ask a worker to map old claims' source words through new names
    (`manage.py remap_sources` catches up if the broker was down)."""
    _after_commit(
        remap_source_words, source_id, actor_id, names, what=f"a re-mapping for source {source_id}"
    )


@shared_task(name="claims.import_claims", acks_late=True, soft_time_limit=3600, time_limit=3660)
def import_claims(job_id: int) -> str:
    """Read a queued CSV import; answers the job's state. A job already started is left."""
    from claims import imports

    job = imports.import_job_run(job_id)
    return job.state if job else "missing"


def queue_import(job_id: int) -> None:
    """After commit, ask a worker to run an import job."""
    _after_commit(import_claims, job_id, what=f"import job {job_id}")


@shared_task(name="claims.capture_evidence", soft_time_limit=120, time_limit=150, **RETRIED)
def capture_evidence(evidence_id: int, reason: str) -> int | None:
    """Snapshot one evidence page; answers the snapshot's id."""
    snapshot = services.evidence_capture(evidence_id=evidence_id, reason=reason)
    return snapshot.pk if snapshot else None


def queue_capture(evidence_id: int, reason: str) -> None:
    """After commit, ask a worker to snapshot an evidence page."""
    what = f"a snapshot of evidence {evidence_id}"
    _after_commit(capture_evidence, evidence_id, reason, what=what)


# ---------------------------------------------------------------------------
# Notifications and webhooks: what follows a committed change


@shared_task(name="claims.claim_event_followups", soft_time_limit=120, time_limit=150, **RETRIED)
def claim_event_followups(event_id: int) -> int:
    """Tell the people and the webhooks a claim's history row concerns; answers the
    notifications written. Keyed by the row, so a second run writes and sends nothing."""
    told = notifications.notify_claim_event(event_id)
    queue_deliveries(webhooks.deliveries_for_claim_event(event_id))
    return told


@shared_task(name="claims.flags_raised_followups", soft_time_limit=600, time_limit=660, **RETRIED)
def flags_raised_followups(flag_ids: list[int]) -> int:
    told = notifications.notify_flags_raised(flag_ids)
    queue_deliveries(webhooks.deliveries_for_flags_raised(flag_ids))
    return told


@shared_task(name="claims.flag_resolved_followups", soft_time_limit=120, time_limit=150, **RETRIED)
def flag_resolved_followups(flag_id: int) -> int:
    made = webhooks.deliveries_for_flag_resolved(flag_id)
    queue_deliveries(made)
    return len(made)


def queue_claim_event(event_id: int) -> None:
    _after_commit(claim_event_followups, event_id, what=f"the followups of claim event {event_id}")


def queue_flags_raised(flag_ids: list[int]) -> None:
    _after_commit(flags_raised_followups, flag_ids, what=f"the followups of {len(flag_ids)} flags")


def queue_flag_resolved(flag_id: int) -> None:
    _after_commit(flag_resolved_followups, flag_id, what=f"the followups of flag {flag_id}")


# An attempt waits TIMEOUT for the connection and for each read, twice at most.
@shared_task(name="claims.deliver_webhook", acks_late=True, soft_time_limit=60, time_limit=75)
def deliver_webhook(delivery_id: int, by_hand: bool = False) -> str:
    """One attempt at a webhook delivery; a failure is retried by `retry_webhooks`."""
    return webhooks.deliver(delivery_id, by_hand=by_hand)


def queue_deliveries(delivery_ids: list[int]) -> None:
    for pk in delivery_ids:
        _after_commit(deliver_webhook, pk, what=f"webhook delivery {pk}")


def queue_redelivery(delivery_id: int) -> None:
    _after_commit(deliver_webhook, delivery_id, True, what=f"webhook redelivery {delivery_id}")


@shared_task(name="claims.retry_webhooks", acks_late=True, soft_time_limit=600, time_limit=660)
def retry_webhooks() -> int:
    """Every minute: queue the failed deliveries whose next attempt is due, one task each,
    so that slow endpoints wait side by side. A delivery queued twice is attempted once
    (`webhooks.deliver` claims each attempt)."""
    due = webhooks.due_deliveries()
    queue_deliveries(due)
    return len(due)


@shared_task(name="claims.notify_due", acks_late=True, soft_time_limit=600, time_limit=660)
def notify_due() -> int:
    """Hourly: claims due soon or overdue, to their assignees."""
    return notifications.notify_due()


@shared_task(name="claims.send_digests", acks_late=True, soft_time_limit=1800, time_limit=1860)
def send_digests() -> int:
    """Daily: the email digests."""
    return notifications.send_digests()
