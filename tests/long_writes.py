"""A CSV import's long transaction, held open in a thread of its own while a test writes
beside it: what the tables kept by triggers (the count of current claims, the claims
list's stamp) must never make another writer wait for."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

from claims.models import Claim


@contextmanager
def import_held_open(claims: int = 3) -> Iterator[None]:
    """`claims` new claims written in a transaction another thread keeps open while the
    block runs, and committed when it ends."""
    written, finish = threading.Event(), threading.Event()

    def long_import() -> None:
        try:
            with transaction.atomic():
                Claim.objects.bulk_create([Claim(text=f"Imported {n}.") for n in range(claims)])
                written.set()
                finish.wait(timeout=30)
        finally:
            connection.close()

    importer = threading.Thread(target=long_import)
    importer.start()
    try:
        assert written.wait(timeout=30)
        yield
    finally:
        finish.set()
        importer.join()


@contextmanager
def write_without_waiting() -> Iterator[None]:
    """A transaction that fails rather than waits for a lock held elsewhere."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '2s'")
        yield
