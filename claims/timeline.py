"""The read side of a claim's timeline chart: the claims on the same measure and place.

``claim_timeline(claim)`` loads every claim with the claim's event and unit in
its place (or its country, when it has no place), their sources and their
open contradiction flags, in three queries, and hands them to the pure
``claims.charts.build_chart``.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce

from claims.charts import CONTRADICTION_KINDS, Chart, ChartPoint, build_chart
from claims.checks.messages import EVENT_WORDS, sentence
from claims.models import Attribution, Claim, Flag, Status

# Enough to see how a figure moved; past it the oldest claims drop out (the
# current one always stays).
MAX_POINTS = 200


def timeline_claims(claim: Claim, *, limit: int = MAX_POINTS) -> list[Claim]:
    """The claim and the other figures for its measure and place, the most recent first.

    Retracted claims and claims without a figure take no part, unless it is the
    claim itself. Each comes with ``attributed`` (its attributions to sources)
    and ``open_contradictions`` (its unresolved contradiction flags)."""
    itself = Q(pk=claim.pk)
    if not claim.event:
        # Without an event there is no measure to line other claims up against.
        scope = itself
    elif claim.place_id is not None:
        scope = Q(event=claim.event, unit=claim.unit, place_id=claim.place_id)
    elif claim.country:
        scope = Q(event=claim.event, unit=claim.unit, place__isnull=True, country=claim.country)
    else:
        scope = itself
    others = scope & Q(value_low__isnull=False) & ~Q(status=Status.RETRACTED)
    return list(
        Claim.objects.filter(others | itself)
        .select_related("place")
        .prefetch_related(
            Prefetch(
                "attributions",
                queryset=Attribution.objects.filter(role=Attribution.Role.ATTRIBUTED_TO)
                .select_related("source")
                .order_by("id"),
                to_attr="attributed",
            ),
            Prefetch(
                "flags",
                queryset=Flag.objects.unresolved()
                .filter(kind__in=CONTRADICTION_KINDS)
                .only("id", "kind"),
                to_attr="open_contradictions",
            ),
        )
        .annotate(latest=Coalesce("period_end", "reported_on"))
        .order_by(
            # The claim itself first, so the limit never drops it.
            Case(When(itself, then=Value(0)), default=Value(1), output_field=IntegerField()),
            F("latest").desc(nulls_last=True),
            "-id",
        )[:limit]
    )


def chart_point(claim: Claim, *, current: bool = False) -> ChartPoint:
    attributed = getattr(claim, "attributed", None)
    if attributed is None:
        attributed = [
            a for a in claim.attributions.all() if a.role == Attribution.Role.ATTRIBUTED_TO
        ]
    flags = getattr(claim, "open_contradictions", None)
    if flags is None:
        flags = list(Flag.objects.unresolved().filter(claims=claim, kind__in=CONTRADICTION_KINDS))
    return ChartPoint(
        claim_id=claim.pk,
        label=claim.text,
        value_low=claim.value_low,
        value_high=claim.value_high,
        qualifier=claim.qualifier or None,
        population=claim.population,
        period_start=claim.period_start,
        period_end=claim.period_end,
        period_kind=claim.period_kind or None,
        reported_on=claim.reported_on,
        sources=tuple(dict.fromkeys(a.source.name for a in attributed)),
        status=claim.status,
        status_label=claim.get_status_display(),
        is_current=current,
        flag_kinds=tuple(sorted({flag.kind for flag in flags})),
    )


def claim_timeline(claim: Claim, *, limit: int = MAX_POINTS) -> Chart:
    """The timeline chart of ``claim``: every figure for its measure and place over time."""
    claims = timeline_claims(claim, limit=limit)
    points = [chart_point(c, current=c.pk == claim.pk) for c in claims]
    loaded = next((c for c in claims if c.pk == claim.pk), claim)
    measure = _measure(loaded)
    where = loaded.place.name if loaded.place else loaded.country
    title = f"{sentence(measure)} in {where}" if where else sentence(measure)
    return build_chart(
        points,
        title=f"{title}: the figures over time",
        measure=measure,
        dom_id=f"timeline-{claim.pk}",
        tolerance=settings.APPROX_TOLERANCE,
    )


def _measure(claim: Claim) -> str:
    """ "people killed", "trucks", "displaced": what the y axis counts."""
    event = EVENT_WORDS.get(claim.event, claim.event)
    return " ".join(word for word in (claim.unit or "", event) if word) or "figure"
