"""Incidents: the list (pages and API, one IncidentFilter), an incident with its claims
and history, and the incident a draft's sentence names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext

from claims.charts import COMPACT_WIDTH, Chart, build_chart
from claims.checks.messages import EVENT_WORDS
from claims.checks.types import CONTRADICTION_KINDS
from claims.models import Claim, ClaimEvent, Flag, Incident, IncidentEvent, Status
from claims.selectors._filters import filtered
from claims.timeline import chart_point, with_desk_figures
from claims.typing import Actor


class IncidentFilter(filters.FilterSet):
    q = filters.CharFilter(method="filter_q", label="Words in the label")
    kind = filters.CharFilter(field_name="kind", lookup_expr="iexact", label="Kind")
    place = filters.NumberFilter(method="filter_place", label="Place (id), or a place inside it")
    country = filters.CharFilter(field_name="place__country", lookup_expr="iexact")
    day_from = filters.DateFilter(
        field_name="day", lookup_expr="gte", label="On or after", widget=forms.DateInput
    )
    day_to = filters.DateFilter(field_name="day", lookup_expr="lte", label="On or before")
    claim = filters.NumberFilter(field_name="claims", label="Has this claim")

    class Meta:
        model = Incident
        fields: list[str] = []

    def filter_q(self, qs: QuerySet[Incident], name: str, value: str) -> QuerySet[Incident]:
        for word in value.split()[:10]:
            qs = qs.filter(label__icontains=word)
        return qs

    def filter_place(self, qs: QuerySet[Incident], name: str, value: Any) -> QuerySet[Incident]:
        place = int(value)
        return qs.filter(
            Q(place_id=place) | Q(place__parent_id=place) | Q(place__parent__parent_id=place)
        )


def _incidents(user: Actor) -> QuerySet[Incident]:
    """The incidents the user may see (merged ones are their survivors' now), newest day
    first, each with its place and how many claims it holds."""
    return (
        Incident.objects.visible_to(user)
        .current()
        .select_related("place")
        .annotate(claim_count=Count("claims"))
        .order_by("-day", "-id")
    )


def incident_list(*, user: Actor, params: Mapping[str, Any] | None = None) -> QuerySet[Incident]:
    """Incidents filtered by IncidentFilter; bad filters are a 400."""
    return filtered(IncidentFilter(params or {}, queryset=_incidents(user)))


def incident_filterset(*, user: Actor, params: Mapping[str, Any]) -> IncidentFilter:
    """The list page's filters, shown with their errors rather than raised."""
    return IncidentFilter(params, queryset=_incidents(user))


def incident_get(*, user: Actor, pk: Any) -> Incident:
    """One incident the user may see (a merged one too: its page points at the survivor)."""
    return Incident.objects.visible_to(user).select_related("place", "merged_into").get(pk=pk)


def incident_claims(incident: Incident) -> QuerySet[Claim]:
    """An incident's claims for its page and the API, in report order."""
    return (
        Claim.objects.with_related()
        .filter(incident=incident)
        .order_by("reported_on", "created_at", "id")
    )


def incident_history(incident: Incident) -> QuerySet[IncidentEvent]:
    return incident.events.select_related("actor", "claim").only(
        "id",
        "at",
        "kind",
        "note",
        "details",
        "incident_id",
        "actor__username",
        "claim__id",
        "claim__text",
    )


def incident_flags(incident: Incident) -> QuerySet[Flag]:
    """Unresolved flags about the incident's claims: its conflicts and its suggestions."""
    return (
        Flag.objects.unresolved()
        .filter(claims__incident=incident)
        .distinct()
        .prefetch_related(Prefetch("claims", queryset=Claim.objects.only("id", "text")))
        .order_by("-severity", "-last_seen", "-id")
    )


def incident_choices(*, user: Actor, exclude: Incident | None = None) -> QuerySet[Incident]:
    """Incidents to link a claim to or merge into, latest first."""
    qs = _incidents(user)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs


def claim_incident_events(claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.filter(kind=ClaimEvent.Kind.INCIDENT).select_related("actor")


def incident_charts(incident: Incident, claims: list[Claim], *, tolerance: float) -> list[Chart]:
    """The incident's tolls over time, one timeline chart per measure (killed, injured):
    a toll without a time frame is drawn on its report date, as the running count it is.
    Two queries: the claims' open contradictions and their desk figures."""
    shown = [c for c in claims if c.value_low is not None and c.status != Status.RETRACTED]
    prefetch_related_objects(
        shown,
        Prefetch(
            "flags",
            queryset=Flag.objects.unresolved().filter(kind__in=CONTRADICTION_KINDS),
            to_attr="open_contradictions",
        ),
    )
    with_desk_figures(shown)
    measures: dict[tuple[str, str], list[Claim]] = {}
    for claim in shown:
        measures.setdefault((claim.event, claim.unit or "people"), []).append(claim)
    charts = []
    for (event, unit), group in sorted(measures.items(), key=lambda item: -len(item[1])):
        measure = " ".join(w for w in (unit, EVENT_WORDS.get(event, event)) if w) or "figure"
        charts.append(
            build_chart(
                [chart_point(claim) for claim in group],
                title=gettext("%(incident)s: %(measure)s, the tolls over time")
                % {"incident": incident.label, "measure": measure},
                measure=measure,
                dom_id=f"incident-{incident.pk}-{event or 'figure'}",
                tolerance=tolerance,
                compact_width=COMPACT_WIDTH,
            )
        )
    return charts
