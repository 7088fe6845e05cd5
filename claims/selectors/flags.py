"""Flags: the API list and the flag queue (one FlagFilter), and the flag page."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict

from claims.filters import UNRESOLVED, FlagFilter
from claims.models import (
    Claim,
    Evidence,
    Flag,
    FlagEvent,
)
from claims.selectors._filters import filtered
from claims.typing import Actor


def _flags(user: Actor) -> QuerySet[Flag]:
    """Flags the user may see, worst first, each with the claims it is about."""
    return (
        Flag.objects.visible_to(user)
        .select_related("resolved_by")
        .prefetch_related(Prefetch("claims", queryset=Claim.objects.only("id", "text", "status")))
        .order_by("-severity", "-last_seen", "-id")
    )


def flag_list(*, user: Actor, params: Mapping[str, Any] | None = None) -> QuerySet[Flag]:
    """Flags filtered by the shared FlagFilter, as the API lists them; bad filters are a 400."""
    return filtered(FlagFilter(params or {}, queryset=_flags(user)))


@dataclass(frozen=True)
class FlagQueue:
    filterset: FlagFilter
    flags: QuerySet[Flag]  # empty when the filters are not valid

    @property
    def valid(self) -> bool:
        return not self.filterset.errors


def flag_queue(*, user: Actor, params: QueryDict) -> FlagQueue:
    """The flag queue page: the FlagFilter of `flag_list`, except that a link naming no
    status lists the unresolved flags (`status=`, empty, lists them all)."""
    data = QueryDict(mutable=True)
    for key in params:
        if key != "page":
            data.setlist(key, params.getlist(key))
    data.setdefault("status", UNRESOLVED)
    filterset = FlagFilter(data, queryset=_flags(user))
    if not filterset.is_valid():
        return FlagQueue(filterset, Flag.objects.none())
    return FlagQueue(filterset, filterset.qs)


def flag_detail(*, user: Actor, pk: int) -> Flag:
    """A flag with what its page weighs: its claims with their sources and evidence,
    and its history with who did what."""
    return (
        Flag.objects.visible_to(user)
        .select_related("resolved_by")
        .prefetch_related(
            Prefetch("claims", queryset=Claim.objects.with_related()),
            Prefetch(
                "claims__evidence",
                queryset=Evidence.objects.select_related("source", "added_by"),
            ),
            Prefetch("events", queryset=FlagEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )
