"""The one FilterSet behind the fact-checkers' queues and the claims API."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet

from claims.checks.types import STALE_KINDS
from claims.models import (
    Claim,
    Event,
    Flag,
    Grade,
    Place,
    Population,
    Priority,
    Status,
    open_flag_of,
)


class ClaimFilter(filters.FilterSet):
    # No join, so no DISTINCT (which would compare every column on PostgreSQL).
    status = filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    event = filters.ChoiceFilter(choices=Event.choices)
    population = filters.ChoiceFilter(choices=Population.choices)
    place = filters.NumberFilter(method="filter_place", label="Place (id, with the places in it)")
    country = filters.CharFilter(field_name="country", lookup_expr="iexact")
    source = filters.NumberFilter(field_name="attributions__source", distinct=True)
    grade = filters.MultipleChoiceFilter(
        field_name="attributions__source__grade", choices=Grade.choices, distinct=True
    )
    assignee = filters.NumberFilter(field_name="assignee")
    mine = filters.BooleanFilter(method="filter_mine", label="Assigned to me")
    unassigned = filters.BooleanFilter(field_name="assignee", lookup_expr="isnull")
    story = filters.NumberFilter(field_name="story")
    priority = filters.ChoiceFilter(choices=Priority.choices)
    flag_kind = filters.ChoiceFilter(
        choices=Flag.Kind.choices, method="filter_flag_kind", label="Has an open flag of kind"
    )
    flagged = filters.BooleanFilter(method="filter_flagged", label="Has open flags")
    stale = filters.BooleanFilter(
        method="filter_stale", label="Has an open verification-expired or review-overdue flag"
    )
    period_from = filters.DateFilter(field_name="period_end", lookup_expr="gte")
    period_to = filters.DateFilter(field_name="period_start", lookup_expr="lte")
    created_from = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_to = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    q = filters.CharFilter(method="filter_text", label="Text search")
    ordering = filters.OrderingFilter(
        fields=(
            ("created_at", "created"),
            ("priority", "priority"),
            ("due_at", "due"),
            ("updated_at", "updated"),
            ("period_end", "period"),
            ("value_low", "value"),
            ("decided_at", "decided"),
        )
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    def filter_place(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        # A country or region includes the places under it (two levels are enough
        # for country > region > city > district as the desk creates them).
        place_ids = {int(value)}
        children = set(Place.objects.filter(parent_id__in=place_ids).values_list("id", flat=True))
        place_ids |= children
        place_ids |= set(Place.objects.filter(parent_id__in=children).values_list("id", flat=True))
        return queryset.filter(place_id__in=place_ids)

    def filter_mine(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(assignee=user) if value else queryset.exclude(assignee=user)

    def filter_flag_kind(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        return queryset.filter(
            flags__kind=value, flags__status__in=[Flag.Status.OPEN, Flag.Status.ACKNOWLEDGED]
        ).distinct()

    def filter_flagged(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        open_flags = Q(flags__status__in=[Flag.Status.OPEN, Flag.Status.ACKNOWLEDGED])
        if value is None:
            return queryset
        if value:
            return queryset.filter(open_flags).distinct()
        return queryset.exclude(open_flags)

    def filter_text(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(Q(text__icontains=word) | Q(normalised__icontains=word))
        return queryset

    def filter_stale(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        stale = open_flag_of(STALE_KINDS)
        if value is None:
            return queryset
        return queryset.filter(stale) if value else queryset.exclude(stale)
