"""Run the jobs' scans from the command line: the same code the workers run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from claims import tasks
from claims.models import Claim


class Command(BaseCommand):
    help = (
        "Scan claims for contradictions and staleness. Without --full, only the blocks of "
        "claims changed in the last day are compared. Without --sync, the work is queued "
        "for the Celery workers."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--full", action="store_true", help="Compare every block.")
        parser.add_argument(
            "--sync", action="store_true", help="Run here instead of queueing for workers."
        )

    def handle(self, *args: Any, full: bool, sync: bool, **options: Any) -> None:
        jobs: list[tuple[Any, tuple[int, ...]]]
        if full:
            jobs = [(tasks.scan_all, ())]
        else:
            since = timezone.now() - timedelta(days=1)
            changed = Claim.objects.filter(updated_at__gte=since).values_list("pk", flat=True)
            jobs = [(tasks.scan_block, (pk,)) for pk in changed]
        jobs.append((tasks.scan_staleness, ()))
        for task, task_args in jobs:
            if sync:
                touched = task(*task_args)
                self.stdout.write(f"{task.name}{task_args or ''}: {touched} flags touched")
            else:
                task.delay(*task_args)
        if not sync:
            self.stdout.write(f"Queued {len(jobs)} scans for the workers.")
