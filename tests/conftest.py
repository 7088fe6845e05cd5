"""Personas and the switches that make missing services fail under CI."""

from __future__ import annotations

import os

import pytest

from claims import roles

REQUIRE_SERVICES = os.getenv("REQUIRE_SERVICES") == "1"
REQUIRE_BROWSER = os.getenv("REQUIRE_BROWSER") == "1"


def make_user(role: str | None, username: str):  # type: ignore[no-untyped-def]
    # Imported here so the pure-Python suites (parsing, checks) run without Django.
    from tests.factories import make_user as make

    return make(role, username)


def list_stamp_queries() -> int:
    """The query the claims list makes before its rows on PostgreSQL: the stamp of what
    it reads (claims.api.kept)."""
    from django.db import connection

    return int(connection.vendor == "postgresql")


def skip_or_fail(reason: str, *, required: bool) -> None:
    """Skip for want of a service on a laptop; fail when CI says the service must be there."""
    if required:
        pytest.fail(f"{reason} (required here)")
    pytest.skip(reason)


def _django_active(request: pytest.FixtureRequest) -> bool:
    # The pure-Python suites also run with `-p no:django`.
    return request.config.pluginmanager.hasplugin("django")


@pytest.fixture(autouse=True)
def _fast_hashing(request):  # type: ignore[no-untyped-def]
    # Test users need a password, not a slow one.
    if _django_active(request):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(request):  # type: ignore[no-untyped-def]
    # Login lockouts and API throttles count in the cache: one test's guesses must not
    # lock the next test's users out.
    if _django_active(request):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery_without_broker(request):  # type: ignore[no-untyped-def]
    """Without a configured broker, tasks run in-process so a laptop needs nothing running."""
    if not _django_active(request):
        yield
        return
    from newsroom.celery import app

    eager = not os.getenv("CELERY_BROKER_URL")
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def eager_celery():  # type: ignore[no-untyped-def]
    """Tasks run in-process even with a broker configured: for tests of what a task
    does once queued, not of the broker (tests/test_worker_scans.py covers that)."""
    from newsroom.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def observatory(db):  # type: ignore[no-untyped-def]
    """The monitor the sample copy cites, with the nickname copy uses."""
    from tests.factories import SourceAliasFactory, SourceFactory

    source = SourceFactory(name="Syrian Observatory for Human Rights", grade="C")
    SourceAliasFactory(source=source, name="Observatory")
    return source


@pytest.fixture
def editor(db):  # type: ignore[no-untyped-def]
    return make_user(roles.EDITOR, "eddie")


@pytest.fixture
def checker(db):  # type: ignore[no-untyped-def]
    return make_user(roles.CHECKER, "chris")


@pytest.fixture
def other_checker(db):  # type: ignore[no-untyped-def]
    return make_user(roles.CHECKER, "casey")


@pytest.fixture
def admin(db):  # type: ignore[no-untyped-def]
    return make_user(roles.ADMIN, "ada")


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    return make_user(None, "olly")


@pytest.fixture
def workers():  # type: ignore[no-untyped-def]
    """Real Celery workers on their own queue (see tests/workers.py)."""
    from tests.workers import worker_pool

    yield from worker_pool()


@pytest.fixture(autouse=True)
def _migrated_rows(request):  # type: ignore[no-untyped-def]
    """A transactional test (live server, real workers) starts from a migrated
    database: the flush after the previous one took the roles, the verdict
    scale, the policy and the schedules (see tests/migrated_rows.py)."""
    if not _django_active(request):
        return
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and marker.kwargs.get("transaction", False)
    if transactional or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        from tests import migrated_rows

        migrated_rows.restore()


@pytest.fixture
def conflict(db):  # type: ignore[no-untyped-def]
    """A value_conflict flag, raised by the scan: the Observatory's 'at least 51'
    against Example Wire's '20 to 30' killed in Aleppo on the same day."""
    from claims.checks import sync
    from claims.models import Flag
    from tests.factories import AttributionFactory, ClaimFactory, SourceFactory

    sohr = ClaimFactory(text="At least 51 killed in Aleppo on 12 Feb, the Observatory said.")
    AttributionFactory(claim=sohr, source=SourceFactory(name="Observatory", grade="C"))
    wire = ClaimFactory(
        text="Between 20 and 30 were killed in Aleppo on Wednesday, medics said.",
        value_low=20,
        value_high=30,
        qualifier="range",
    )
    AttributionFactory(claim=wire, source=SourceFactory(name="Example Wire", grade="D"))
    sync.scan_contradictions()
    return Flag.objects.get(kind="value_conflict")
