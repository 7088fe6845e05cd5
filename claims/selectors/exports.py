"""Interchange: the rows of a CSV download, with the same filters as the list it comes
from and read in chunks so that 100,000 claims never sit in memory at once; the imports;
and the snapshots of evidence pages."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, TypeVar

from django.db.models import Model, Prefetch, QuerySet
from django.http import QueryDict

from claims import roles
from claims.models import Attribution, Claim, EvidenceSnapshot, Flag, ImportJob
from claims.selectors.claims import claim_list, claim_queue
from claims.selectors.flags import flag_list, flag_queue
from claims.typing import Actor

# Rows fetched per query; each chunk brings its prefetched rows with one more query each.
CHUNK = 2000

M = TypeVar("M", bound=Model)


def in_chunks(qs: QuerySet[M]) -> Iterator[M]:
    """The rows of a download, CHUNK at a time."""
    return qs.iterator(chunk_size=CHUNK)


def claim_export(*, user: Actor, params: Mapping[str, Any], request: Any = None) -> QuerySet[Claim]:
    """The claims of the API list for these filters (a bad filter is a 400 here too)."""
    return claim_list(user=user, params=params, request=request)


def queue_export(
    *, user: Actor, name: str, params: QueryDict, request: Any = None
) -> QuerySet[Claim] | None:
    """Every claim of a queue page for these filters; None when a filter is not valid (the
    page says why). A KeyError names no queue."""
    queue = claim_queue(user=user, name=name, params=params, request=request)
    if not queue.valid:
        return None
    # The queue's open flags are for its page; a download lists sources only.
    return queue.claims.prefetch_related(None).prefetch_related(
        Prefetch("attributions", queryset=Attribution.objects.select_related("source"))
    )


def flag_export(*, user: Actor, params: Mapping[str, Any]) -> QuerySet[Flag]:
    """The flags of the API list for these filters, each with its claims and who resolved it."""
    return flag_list(user=user, params=params)


def flag_queue_export(*, user: Actor, params: QueryDict) -> QuerySet[Flag] | None:
    """The flags of the flag page for these filters; None when a filter is not valid."""
    queue = flag_queue(user=user, params=params)
    return queue.flags if queue.valid else None


def import_jobs(*, user: Actor) -> QuerySet[ImportJob]:
    """The imports a user may follow: their own, or every one for admins."""
    jobs = ImportJob.objects.select_related("created_by").defer("content")
    if roles.is_admin(user):
        return jobs
    if not roles.has_role(user):
        return jobs.none()
    return jobs.filter(created_by_id=user.pk)


def import_job_get(*, user: Actor, pk: int) -> ImportJob:
    return import_jobs(user=user).get(pk=pk)


def snapshot_get(*, user: Actor, pk: int) -> EvidenceSnapshot:
    """A snapshot of an evidence page on a claim the user may see."""
    return EvidenceSnapshot.objects.select_related("evidence__claim").get(
        pk=pk, evidence__claim__in=Claim.objects.visible_to(user)
    )
