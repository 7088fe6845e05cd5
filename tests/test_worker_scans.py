"""The scan jobs through a real Celery worker: after a save, killed mid-scan, and with no broker.

The worker is another process, so these tests commit (transaction=True) and hand
the worker the test database's name. Its queue is the app's default queue for
the length of a test, so whatever the app queues lands on it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import StringIO
from typing import Any, TypeVar

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from claims.checks import find_contradictions, sync
from claims.models import Claim, Flag, FlagEvent, Source
from claims.tasks import scan_all
from newsroom.celery import app
from tests.conftest import REQUIRE_SERVICES, skip_or_fail
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    PlaceFactory,
    SourceAliasFactory,
    SourceFactory,
)
from tests.workers import require_broker

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True),
]

T = TypeVar("T")
URL = "/api/v1/claims/"
DAY = dt.date(2014, 2, 12)
# Nothing listens on port 1: a stopped Redis, without stopping the machine's.
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def _services() -> None:
    if not os.getenv("DATABASE_URL", "").startswith("postgres"):
        skip_or_fail(
            "the worker needs PostgreSQL to share the test database", required=REQUIRE_SERVICES
        )
    require_broker()


def wait_for(probe: Callable[[], T], timeout: float = 20, every: float = 0.1) -> T:
    deadline = time.monotonic() + timeout
    while not (answer := probe()):
        if time.monotonic() > deadline:
            pytest.fail(f"nothing after {timeout} s")
        time.sleep(every)
    return answer


def editor_client(editor: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(editor)
    return client


def sources() -> None:
    sohr = SourceFactory(name="Syrian Observatory for Human Rights", grade="B")
    SourceAliasFactory(source=sohr, name="SOHR")
    SourceFactory(name="Example Wire", grade="C")


def existing_claim() -> Claim:
    """At least 51 killed in Aleppo on 12 February 2014, per SOHR (grade B)."""
    sources()
    claim = ClaimFactory(place=PlaceFactory(name="Aleppo", country="SY"))
    AttributionFactory(claim=claim, source=Source.objects.get(name__endswith="Human Rights"))
    return claim


def claim_body(**overrides: Any) -> dict[str, Any]:
    """As the API takes it: at least 51 killed in Aleppo on 12 February 2014, per SOHR."""
    body = {
        "text": "At least 51 people were killed in Aleppo on Wednesday, SOHR said.",
        "reported_on": "2014-02-13",
        "value_low": 51,
        "value_high": None,
        "qualifier": "at_least",
        "event": "killed",
        "unit": "people",
        "place": {"name": "Aleppo", "country": "SY"},
        "period_start": "2014-02-12",
        "period_end": "2014-02-12",
        "period_kind": "day",
        "sources": ["SOHR"],
    }
    body.update(overrides)
    return body


def conflicting_claim() -> dict[str, Any]:
    """20 to 30 killed in Aleppo the same day, per Example Wire: they cannot both be true."""
    return claim_body(
        text="Between 20 and 30 people were killed in Aleppo on Wednesday, Example Wire said.",
        value_low=20,
        value_high=30,
        qualifier="range",
        sources=["Example Wire"],
    )


def conflict_between(*claim_ids: int) -> Flag | None:
    flag = Flag.objects.filter(kind=Flag.Kind.VALUE_CONFLICT, claims=claim_ids[0]).first()
    if flag is None or set(flag.claims.values_list("pk", flat=True)) != set(claim_ids):
        return None
    return flag


def test_it_flags_a_conflicting_claim_saved_through_the_api(editor, workers):
    existing = existing_claim()
    workers.start()

    r = editor_client(editor).post(URL, conflicting_claim(), format="json")

    assert r.status_code == 201, r.json()
    flag = wait_for(lambda: conflict_between(existing.pk, r.json()["id"]))
    assert flag.status == Flag.Status.OPEN
    assert FlagEvent.objects.get(flag=flag).to_status == Flag.Status.OPEN


# ---------------------------------------------------------------------------
# A worker killed mid-scan


def seed_conflicts(days: int) -> None:
    """Two figures that cannot both be true, on each of `days` days in Aleppo."""
    place = PlaceFactory(name="Aleppo", country="SY")
    figures = [(51, None, "at_least"), (20, 30, "range")]
    Claim.objects.bulk_create(
        Claim(
            text=f"{low} people were killed in Aleppo.",
            value_low=low,
            value_high=high,
            qualifier=qualifier,
            event="killed",
            unit="people",
            place=place,
            country="SY",
            period_start=DAY + dt.timedelta(days=n),
            period_end=DAY + dt.timedelta(days=n),
            period_kind="day",
            reported_on=DAY + dt.timedelta(days=n + 1),
        )
        for n in range(days)
        for low, high, qualifier in figures
    )


def clean_fingerprints() -> set[str]:
    """What any clean scan must leave flagged: the rules' findings, computed without a write."""
    facts = sync.load_facts(Claim.objects.all())
    return {finding.fingerprint for finding in find_contradictions(facts, sync.current_policy())}


def snapshot() -> set[tuple[str, str]]:
    return set(Flag.objects.values_list("fingerprint", "status"))


def flags_inserted() -> int:
    """Flag ids handed out so far, committed or not: a sequence ignores transactions."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('claims_flag', 'id')")
        (sequence,) = cursor.fetchone()
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608
        last_value, is_called = cursor.fetchone()
    return last_value if is_called else last_value - 1


def other_sessions() -> set[int]:
    """Backends on the test database besides this one (a live server's, a worker's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return {row[0] for row in cursor.fetchall()}


def test_it_leaves_the_flags_of_a_clean_run_after_a_worker_is_killed_mid_scan(workers):
    seed_conflicts(days=300)
    expected = {(fingerprint, Flag.Status.OPEN) for fingerprint in clean_fingerprints()}
    assert len(expected) >= 300
    before = flags_inserted()
    others = other_sessions()
    doomed = workers.start()

    # The scans' results are not kept in production; here the test waits on them.
    result = scan_all.apply_async(ignore_result=False)
    # Kill once the scan's transaction holds half the flags, none of them committed.
    wait_for(lambda: flags_inserted() - before >= len(expected) // 2 or result.ready(), 30, 0.01)
    killed_mid_run = not result.ready()
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(timeout=10)
    # Its session is gone, its transaction undone.
    wait_for(lambda: other_sessions() <= others)

    if killed_mid_run:
        assert not Flag.objects.exists()
        assert not FlagEvent.objects.exists()
    else:  # too fast to catch: then it ran to the end
        assert snapshot() == expected

    workers.start()
    assert scan_all.apply_async(ignore_result=False).get(timeout=60) == len(expected)
    assert snapshot() == expected
    assert FlagEvent.objects.count() == len(expected)

    # Another clean run changes nothing.
    sync.scan_contradictions()
    assert snapshot() == expected
    assert FlagEvent.objects.count() == len(expected)


# ---------------------------------------------------------------------------
# No broker


@contextmanager
def redis_down() -> Iterator[None]:
    """The app's broker and result store (one Redis in production) gone, for this process only.

    The environment's CELERY_BROKER_URL outranks app.conf.broker_url, so the
    variable itself moves; the pooled connections and the cached result store
    are dropped so that the next publish connects afresh, and again on the way back.
    """
    backend = app.backend
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CELERY_BROKER_URL", DEAD_REDIS)
        mp.delenv("CELERY_BROKER_WRITE_URL", raising=False)
        app._backend = type(backend)(app=app, url=DEAD_REDIS)
        _drop_broker_connections()
        try:
            yield
        finally:
            app._backend = backend
    _drop_broker_connections()


def _drop_broker_connections() -> None:
    # What Celery itself resets after a fork (Celery._after_fork).
    app._pool = None
    app.amqp._producer_pool = None


def queued(queue: str) -> int:
    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen(queue)


def test_it_saves_claims_with_redis_down_and_the_next_full_scan_catches_up(editor, workers, caplog):
    sources()
    client = editor_client(editor)

    with redis_down():
        first = client.post(URL, claim_body(), format="json")  # also loads the parsers
        started = time.monotonic()
        second = client.post(URL, conflicting_claim(), format="json")
        took = time.monotonic() - started

    assert first.status_code == 201, first.json()
    assert second.status_code == 201, second.json()
    assert took < 10
    ids = first.json()["id"], second.json()["id"]
    assert Claim.objects.filter(pk__in=ids).count() == 2
    for claim_id in ids:
        assert f"could not queue a scan for claim {claim_id}" in caplog.text
    assert queued(workers.queue) == 0
    assert not Flag.objects.exists()

    workers.start()
    call_command("scan_claims", "--full", stdout=StringIO())
    flag = wait_for(lambda: conflict_between(*ids))
    assert flag.status == Flag.Status.OPEN
