"""Proof that the suite talks to real services: the database engine and a real worker.

On a laptop these run on SQLite and the filesystem broker; under CI
(REQUIRE_SERVICES=1) they must find PostgreSQL and Redis, or fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from django.db import connection

from newsroom.celery import app
from tests.conftest import REQUIRE_SERVICES, skip_or_fail
from tests.workers import forget_queue, new_queue, require_broker, start_worker, stop_worker


def test_it_uses_postgresql_when_services_are_required(db):
    if not os.getenv("DATABASE_URL", "").startswith("postgres"):
        skip_or_fail("DATABASE_URL does not point at PostgreSQL", required=REQUIRE_SERVICES)
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


@pytest.fixture
def worker() -> Iterator[str]:
    """A real Celery worker in its own process, listening on a queue of its own."""
    require_broker()
    queue = new_queue()
    proc = start_worker(queue)
    try:
        yield queue
    finally:
        stop_worker(proc)
        forget_queue(queue)


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
