"""The read side of a claim's figures: the timeline chart and the desk figure.

``claim_timeline(claim)`` loads every claim with the claim's event and unit in
its place (or its country, when it has no place), their sources and their
open contradiction flags, in three queries (and the check policy, for how wide
"about" is), and hands them to the pure ``claims.charts.build_chart``.

``desk_figure(claim)`` is the figure the desk uses for a claim once a conflict
about its figure was resolved: the latest resolved figure-conflict flag that
involves it and recorded a figure. ``with_desk_figures(claims)`` loads it for a
whole list in one query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from claims import localwording
from claims.charts import (
    COMPACT_WIDTH,
    Chart,
    ChartPoint,
    build_chart,
)
from claims.checks.messages import EVENT_WORDS
from claims.checks.types import CONTRADICTION_KINDS, FIGURE_CONFLICT_KINDS
from claims.models import Attribution, CheckPolicy, Claim, Flag, Status
from claims.wording import sentence

# Enough to see how a figure moved; past it the oldest claims drop out (the
# current one always stays).
MAX_POINTS = 200

# Where the resolved figure-conflict flags of a claim are loaded to, newest first.
DESK_FIGURE_FLAGS = "desk_figure_flags"
DESK_FIGURE_FIELDS = (
    "id",
    "kind",
    "status",
    "resolved_at",
    "resolution_low",
    "resolution_high",
    "resolution_rule",
    "resolution_note",
)


# ---------------------------------------------------------------------------
# The figure a resolved conflict chose


@dataclass(frozen=True)
class DeskFigure:
    value_low: int
    value_high: int | None  # None: no upper bound
    rule: str  # Flag.Rule
    flag: int
    note: str

    @property
    def figure(self) -> str:
        return localwording.interval_words(self.value_low, self.value_high)

    @property
    def rule_label(self) -> str:
        return str(Flag.Rule(self.rule).label) if self.rule in Flag.Rule.values else self.rule

    def as_dict(self) -> dict[str, Any]:
        return {
            "value_low": self.value_low,
            "value_high": self.value_high,
            "rule": self.rule,
            "flag": self.flag,
            "note": self.note,
        }


# Flags about figures that disagree that a person resolved with the figure the desk
# uses. A flag the scan resolved (its condition gone) chose nothing, whatever figure an
# earlier resolution left on it before it reopened.
CHOSE_A_FIGURE = Q(
    status=Flag.Status.RESOLVED,
    kind__in=FIGURE_CONFLICT_KINDS,
    resolution_low__isnull=False,
    resolved_by__isnull=False,
)


def desk_figure_flags() -> QuerySet[Flag]:
    """The flags that chose a desk figure, the latest resolution first."""
    return _latest_first(Flag.objects.filter(CHOSE_A_FIGURE))


def _latest_first(flags: QuerySet[Flag]) -> QuerySet[Flag]:
    return flags.only(*DESK_FIGURE_FIELDS).order_by(F("resolved_at").desc(nulls_last=True), "-id")


def _desk_figure_of(flag: Flag) -> DeskFigure:
    return DeskFigure(
        value_low=cast(int, flag.resolution_low),  # CHOSE_A_FIGURE: never null here
        value_high=flag.resolution_high,
        rule=flag.resolution_rule,
        flag=flag.pk,
        note=flag.resolution_note,
    )


def with_desk_figures(claims: Sequence[Claim]) -> None:
    """Load the desk figures of ``claims`` in one query, for ``desk_figure``."""
    unloaded = [c for c in claims if not hasattr(c, DESK_FIGURE_FLAGS)]
    if unloaded:
        prefetch_related_objects(
            unloaded, Prefetch("flags", queryset=desk_figure_flags(), to_attr=DESK_FIGURE_FLAGS)
        )


def desk_figure(claim: Claim) -> DeskFigure | None:
    """The figure the desk uses for ``claim`` after a resolved conflict, or None.
    One query, unless ``with_desk_figures`` (or the timeline) loaded it already."""
    flags = getattr(claim, DESK_FIGURE_FLAGS, None)
    if flags is None:
        flags = list(desk_figure_flags().filter(claims=claim)[:1])
    return _desk_figure_of(flags[0]) if flags else None


# ---------------------------------------------------------------------------
# The timeline


def timeline_claims(claim: Claim, *, limit: int = MAX_POINTS) -> list[Claim]:
    """The claim and the other figures for its measure and place, the most recent first.

    Retracted claims and claims without a figure take no part, unless it is the
    claim itself. Each comes with ``attributed`` (its attributions to sources),
    ``open_contradictions`` (its unresolved contradiction flags) and its desk
    figure's flags (for ``desk_figure``), the flags in one query."""
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
    shown_flags = Q(status__in=Flag.UNRESOLVED, kind__in=CONTRADICTION_KINDS) | CHOSE_A_FIGURE
    claims = list(
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
                queryset=_latest_first(Flag.objects.filter(shown_flags)),
                to_attr="timeline_flags",
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
    for loaded in claims:
        flags = loaded.timeline_flags  # type: ignore[attr-defined]
        loaded.open_contradictions = [  # type: ignore[attr-defined]
            f for f in flags if f.status in Flag.UNRESOLVED
        ]
        setattr(loaded, DESK_FIGURE_FLAGS, [f for f in flags if f.status == Flag.Status.RESOLVED])
    return claims


def chart_point(claim: Claim, *, current: bool = False) -> ChartPoint:
    attributed = getattr(claim, "attributed", None)
    if attributed is None:
        attributed = [
            a for a in claim.attributions.all() if a.role == Attribution.Role.ATTRIBUTED_TO
        ]
    flags = getattr(claim, "open_contradictions", None)
    if flags is None:
        flags = list(Flag.objects.unresolved().filter(claims=claim, kind__in=CONTRADICTION_KINDS))
    desk = desk_figure(claim)
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
        desk_low=desk.value_low if desk else None,
        desk_high=desk.value_high if desk else None,
        desk_rule=desk.rule_label if desk else "",
    )


def claim_timeline(
    claim: Claim, *, limit: int = MAX_POINTS, tolerance: float | None = None
) -> Chart:
    """The timeline chart of ``claim``: every figure for its measure and place over time.
    ``tolerance`` is the policy's; it is read when not given."""
    return claim_figures(claim, limit=limit, tolerance=tolerance)[0]


def claim_figures(
    claim: Claim, *, limit: int = MAX_POINTS, tolerance: float | None = None
) -> tuple[Chart, DeskFigure | None]:
    """The timeline chart of ``claim`` and the figure the desk uses for it, loaded together."""
    if tolerance is None:
        tolerance = CheckPolicy.load().approx_tolerance
    claims = timeline_claims(claim, limit=limit)
    points = [chart_point(c, current=c.pk == claim.pk) for c in claims]
    loaded = next((c for c in claims if c.pk == claim.pk), claim)
    measure = _measure(loaded)
    where = loaded.place.name if loaded.place else loaded.country
    title = (
        gettext("%(measure)s in %(place)s") % {"measure": sentence(measure), "place": where}
        if where
        else sentence(measure)
    )
    chart = build_chart(
        points,
        title=gettext("%(title)s: the figures over time") % {"title": title},
        measure=measure,
        dom_id=f"timeline-{claim.pk}",
        tolerance=tolerance,
        compact_width=COMPACT_WIDTH,
    )
    return chart, desk_figure(loaded)


def _measure(claim: Claim) -> str:
    """ "people killed", "trucks", "displaced": what the y axis counts."""
    event = EVENT_WORDS.get(claim.event, claim.event)
    english = " ".join(word for word in (claim.unit or "", event) if word) or "figure"
    return localwording.measure(claim.event, claim.unit, english)
