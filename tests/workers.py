"""Real Celery workers for the service tests: each in its own process, on its own queue."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.db import connection

from newsroom.celery import app
from tests.conftest import REQUIRE_SERVICES, skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def broker_reachable() -> bool:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        return True
    except Exception:
        return False


def require_broker() -> None:
    """Skip on a laptop without a broker; fail under REQUIRE_SERVICES=1 without Redis."""
    if REQUIRE_SERVICES and not os.getenv("CELERY_BROKER_URL", "").startswith("redis"):
        pytest.fail("CELERY_BROKER_URL must point at Redis here")
    if not broker_reachable():
        skip_or_fail("the Celery broker is not reachable", required=REQUIRE_SERVICES)


def new_queue() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def database_url_for(name: str) -> str:
    """DATABASE_URL with its database swapped for `name`, e.g. the test database."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return parts._replace(path="/" + quote(name)).geturl()


def start_worker(queue: str, *, database: str | None = None) -> subprocess.Popen[bytes]:
    """A solo worker on `queue`; with `database`, it reads and writes that database."""
    env = {**os.environ, "DEBUG": "1"}
    if database is not None:
        env["DATABASE_URL"] = database_url_for(database)
    return subprocess.Popen(  # noqa: S603
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
        env=env,
    )


def stop_worker(proc: subprocess.Popen[bytes]) -> None:
    """Warm shutdown (the current task finishes), or a kill when it takes too long."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def forget_queue(queue: str) -> None:
    """Drop what `queue` left in Redis, a killed worker's unacknowledged task included.

    Redis hands an unacknowledged task back only after the visibility timeout
    (an hour); by then no worker listens on a test's queue.
    """
    with app.connection_for_write() as conn:
        if conn.transport.driver_type != "redis":
            return
        channel = conn.default_channel
        client = channel.client
        for tag, raw in client.hgetall(channel.unacked_key).items():
            _message, _exchange, routing_key = json.loads(raw)
            if routing_key == queue:
                client.zrem(channel.unacked_index_key, tag)
                client.hdel(channel.unacked_key, tag)
        client.delete(
            queue,
            channel.keyprefix_queue % queue,
            channel.keyprefix_binding_permanent % queue,
        )


@dataclass
class Workers:
    """Workers on one queue, started and killed at will; all stopped after the test."""

    queue: str
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self) -> subprocess.Popen[bytes]:
        proc = start_worker(self.queue, database=connection.settings_dict["NAME"])
        self.procs.append(proc)
        return proc


def worker_pool() -> Iterator[Workers]:
    """Workers on a queue of their own, which the app's delay() calls use meanwhile;
    they share the test database. Behind the `workers` fixture of tests/conftest.py."""
    pool = Workers(new_queue())
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = pool.queue
    try:
        yield pool
    finally:
        app.conf.task_default_queue = previous
        for proc in pool.procs:
            stop_worker(proc)
        forget_queue(pool.queue)
