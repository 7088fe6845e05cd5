"""The report's charts: for one stage, a horizontal bar pair per group (a week, a
fact-checker, a topic), the median above the 90th percentile, each with its time written
at its end, on a shared scale of time from zero.

Plain Python, no Django, like `claims.charts`: `stage_chart` computes the geometry in
viewBox units and the words; `templates/claims/_stage_chart_svg.html` writes the SVG
(no script, no inline style: the page's CSP allows neither). The table beside the charts
carries the same numbers for screen readers and for copying.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from claims.stages import Summary, duration_words

# Okabe & Ito's blue and sky blue (`claims.charts.PALETTE`): told apart by colour-blind
# readers, and the darker one is the figure read first.
MEDIAN_COLOUR = "#0072B2"
P90_COLOUR = "#56B4E9"

WIDTH = 760
LABEL_WIDTH = 190  # the group's name, right-aligned against the plot
LABEL_CHARS = 30
VALUE_ROOM = 64  # past the longest bar, for its time ("12.5 d")
TOP = 34  # the legend
BAR = 12
PAIR_GAP = 2
ROW = 2 * BAR + PAIR_GAP + 12
AXIS_ROOM = 26
# Grid steps, in seconds: the first that splits the longest bar into at most five.
STEPS = (
    60,
    5 * 60,
    15 * 60,
    30 * 60,
    3600,
    2 * 3600,
    3 * 3600,
    6 * 3600,
    12 * 3600,
    86400,
    2 * 86400,
    7 * 86400,
    14 * 86400,
    30 * 86400,
    90 * 86400,
)
MAX_GRID_LINES = 5


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    colour: str
    words: str  # "5.5 h", written at the bar's end
    words_x: float
    title: str  # the bar's tooltip: "Median 5.5 h of 12"


@dataclass(frozen=True)
class ChartRow:
    label: str
    full_label: str
    label_y: float
    bars: tuple[Bar, ...]  # none: nothing ended in this group


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class BarChart:
    dom_id: str
    title: str
    description: str
    width: int
    height: float
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    axis_label_y: float
    ticks: tuple[Tick, ...]
    rows: tuple[ChartRow, ...]
    bar_height: int = BAR
    median_colour: str = MEDIAN_COLOUR
    p90_colour: str = P90_COLOUR


def grid_step(longest: float) -> float:
    for step in STEPS:
        if longest / step <= MAX_GRID_LINES:
            return step
    return float(STEPS[-1] * math.ceil(longest / (STEPS[-1] * MAX_GRID_LINES)))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def stage_chart(dom_id: str, title: str, groups: Sequence[tuple[str, Summary | None]]) -> BarChart:
    """The chart of one stage: `groups` in the order they are listed, each with its
    summary (None: nothing ended in that group)."""
    longest = max((s.p90 for _, s in groups if s is not None), default=0.0)
    step = grid_step(longest) if longest > 0 else 3600.0
    scale_max = step * max(1, math.ceil(longest / step))
    plot_left = float(LABEL_WIDTH)
    plot_right = float(WIDTH - VALUE_ROOM)
    span = plot_right - plot_left
    rows: list[ChartRow] = []
    y = float(TOP)
    for label, summary in groups:
        bars: tuple[Bar, ...] = ()
        if summary is not None:
            bars = tuple(
                _bar(plot_left, y + i * (BAR + PAIR_GAP), span * value / scale_max, colour, what,
                     value, summary.count)
                for i, (what, value, colour) in enumerate(
                    (
                        (gettext("Median %(time)s, of %(count)s"), summary.median,
                         MEDIAN_COLOUR),
                        (gettext("90th percentile %(time)s, of %(count)s"), summary.p90,
                         P90_COLOUR),
                    )
                )
            )  # fmt: skip
        rows.append(ChartRow(_short(label), label, y + BAR + PAIR_GAP / 2, bars))
        y += ROW
    plot_bottom = y
    ticks = tuple(
        Tick(plot_left + span * (i * step) / scale_max, "0" if i == 0 else duration_words(i * step))
        for i in range(int(round(scale_max / step)) + 1)
    )
    return BarChart(
        dom_id=dom_id,
        title=title,
        description=_description(title, groups),
        width=WIDTH,
        height=plot_bottom + AXIS_ROOM,
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=float(TOP),
        plot_bottom=plot_bottom,
        axis_label_y=plot_bottom + 16,
        ticks=ticks,
        rows=tuple(rows),
    )


def _bar(
    left: float, y: float, width: float, colour: str, what: str, seconds: float, count: int
) -> Bar:
    words = duration_words(seconds)
    # A bar too short to see still shows where it starts.
    width = max(width, 1.5)
    return Bar(
        x=left,
        y=y,
        width=round(width, 1),
        colour=colour,
        words=words,
        words_x=round(left + width + 4, 1),
        title=what % {"time": words, "count": count},
    )


def _description(title: str, groups: Sequence[tuple[str, Summary | None]]) -> str:
    parts = [
        gettext("%(group)s: median %(median)s, 90th percentile %(p90)s, of %(count)s")
        % {
            "group": label,
            "median": duration_words(s.median),
            "p90": duration_words(s.p90),
            "count": s.count,
        }
        if s is not None
        else gettext("%(group)s: none") % {"group": label}
        for label, s in groups
    ]
    if not parts:
        return gettext("%(title)s: nothing to show.") % {"title": title}
    # Translators: the groups are joined with "; " before they come in.
    return gettext("%(title)s. %(groups)s.") % {"title": title, "groups": "; ".join(parts)}
