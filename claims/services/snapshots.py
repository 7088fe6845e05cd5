"""Snapshots of evidence pages: taken by a worker when evidence is added and when its
claim is decided, so that what a decision rested on stays on record."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from claims import pagetext
from claims.models import Evidence, EvidenceSnapshot

# The most of a page's HTML a snapshot keeps (its hash still covers the link checker's
# larger limit): a news page is well within it, a site's whole archive is not.
MAX_HTML_BYTES = 2 * 1024 * 1024


def evidence_capture(*, evidence_id: int, reason: str) -> EvidenceSnapshot | None:
    """Fetch the evidence's page and store what came back, a failure included (it says
    the page could not be read then). None when the evidence is gone."""
    # The link checker runs the evidence scan, which writes through the services.
    from claims import linkcheck

    evidence = Evidence.objects.filter(pk=evidence_id).only("pk", "url").first()
    if evidence is None:
        return None
    result = linkcheck.fetch(
        evidence.url,
        allow_private=settings.LINKCHECK_ALLOW_PRIVATE,
        timeout=linkcheck.FETCH_TIMEOUT,
        budget=linkcheck.FETCH_BUDGET,
        keep_bytes=MAX_HTML_BYTES,
    )
    snapshot = EvidenceSnapshot(
        evidence=evidence,
        reason=reason,
        taken_at=timezone.now(),
        status=result.status,
        final_url=result.final_url[:1000],
        sha256=result.sha256,
        content_type=result.content_type,
        truncated=result.truncated or len(result.body) >= MAX_HTML_BYTES,
        error=linkcheck.clip(result.error),
    )
    if result.body:
        snapshot.text = pagetext.page_text(result.body, result.content_type)
        # The file's name is the page's hash: the same page captured twice reads the same.
        name = f"{result.sha256[:16] or 'page'}.html"
        snapshot.html.save(name, ContentFile(result.body), save=False)
    snapshot.save()
    return snapshot


def queue_captures(evidence_ids: Iterable[int], reason: str) -> None:
    """After commit, ask a worker to snapshot each evidence page."""
    from claims import tasks

    for evidence_id in evidence_ids:
        tasks.queue_capture(evidence_id, reason)
