"""Map the unmapped source words on claims through the register as it stands now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from claims import services


class Command(BaseCommand):
    help = (
        "Attribute every claim whose unmapped source words now name a source in the "
        "register (through its name or aliases), inline, and say how many were mapped. "
        "Saving a source queues the same for its new names; this catches up after a "
        "broker outage or an import."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        mapped = services.claims_remap_sources(actor=None)
        self.stdout.write(f"Mapped {mapped} claim{'' if mapped == 1 else 's'}.")
