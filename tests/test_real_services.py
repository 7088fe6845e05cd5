"""Proof that the suite talks to real services: the database engine and a real worker.

On a laptop these run on SQLite and the filesystem broker; under CI
(REQUIRE_SERVICES=1) they must find PostgreSQL and Redis, or fail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from newsroom.celery import app
from tests.conftest import REQUIRE_SERVICES, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def test_it_uses_postgresql_when_services_are_required(db):
    if not os.getenv("DATABASE_URL", "").startswith("postgres"):
        skip_or_fail("DATABASE_URL does not point at PostgreSQL", required=REQUIRE_SERVICES)
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


def broker_reachable() -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        return True
    except Exception:
        return False


@pytest.fixture
def worker() -> Iterator[str]:
    """A real Celery worker in its own process, listening on a queue of its own."""
    if REQUIRE_SERVICES and not os.getenv("CELERY_BROKER_URL", "").startswith("redis"):
        pytest.fail("CELERY_BROKER_URL must point at Redis here")
    if not broker_reachable():
        skip_or_fail("the Celery broker is not reachable", required=REQUIRE_SERVICES)
    queue = f"test-{uuid.uuid4().hex[:8]}"
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "newsroom",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
    )
    try:
        yield queue
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_it_round_trips_a_task_through_a_real_worker(worker):
    from claims.tasks import ping

    app.conf.task_always_eager = False
    if REQUIRE_SERVICES:
        with app.connection_for_write() as conn:
            assert conn.transport.driver_type == "redis"
    result = ping.apply_async(queue=worker)
    answer = result.get(timeout=60)
    assert "pong" in answer
    assert result.state == "SUCCESS"
