"""The small chart of a source's track record: per month, its decided claims as one
stacked bar (verified, attributed only, disputed, false).

Plain Python, no Django but its translation and date words (the chart speaks the
reader's language): ``build_track_chart`` takes the months with their counts and
computes the geometry of an SVG; the template draws it and escapes every text. A table
of the same counts stands beside it for screen readers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.dateformat import format as date_format
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from claims.wording import format_number

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The decisions in the order they stack, bottom up, with their words and colours
# (Okabe & Ito's colour-blind-safe palette, as the timeline chart uses).
SERIES: tuple[tuple[str, StrOrPromise, str], ...] = (
    ("verified", gettext_lazy("verified"), "#009E73"),
    ("attributed", gettext_lazy("attributed only"), "#56B4E9"),
    ("disputed", gettext_lazy("disputed"), "#E69F00"),
    ("false", gettext_lazy("false"), "#D55E00"),
)

WIDTH = 480
PLOT_LEFT = 34
PLOT_RIGHT = WIDTH - 8
PLOT_TOP = 10
PLOT_HEIGHT = 110
X_LABEL_GAP = 14
LEGEND_GAP = 34
LEGEND_ITEM = 112
BAR_SHARE = 0.7  # of a month's slot; the rest is the gap between bars
MAX_BAR_WIDTH = 36  # a few months are narrow bars, not blocks
MIN_LABEL_SPACING = 64  # a "Mar 2014" label is about 50 units wide


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # SVG text-anchor


@dataclass(frozen=True)
class LegendItem:
    x: float
    y: float
    colour: str
    label: str

    @property
    def text_x(self) -> float:
        return self.x + 14

    @property
    def text_y(self) -> float:
        return self.y + 9


@dataclass(frozen=True)
class TrackChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    bars: Sequence[Bar]
    y_ticks: Sequence[Tick]
    x_ticks: Sequence[Tick]
    legend: Sequence[LegendItem]
    title: str
    description: str

    @property
    def y_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def x_label_y(self) -> float:
        return self.plot_bottom + X_LABEL_GAP


def month_words(month: dt.date) -> str:
    """The month as "Feb 2014", its name in the reader's language."""
    return date_format(month, "M Y")


def _y_top(largest: int) -> int:
    """A round top for the value axis, at least the largest bar: 1, 2, 5, 10, 20 ..."""
    if largest <= 1:
        return 1
    power = 10 ** math.floor(math.log10(largest))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= largest)


def _x_tick(centre: float, label: str) -> Tick:
    """A month's label under its bar, kept inside the drawing at either end."""
    half = MIN_LABEL_SPACING * 0.4
    if centre - half < 0:
        return Tick(0.0, label, "start")
    if centre + half > WIDTH:
        return Tick(float(WIDTH), label, "end")
    return Tick(round(centre, 1), label)


def build_track_chart(
    months: Sequence[tuple[dt.date, Mapping[str, int]]], *, name: str
) -> TrackChart | None:
    """The chart of `months` (first days of months, oldest first, with their counts by
    decision), or None when there is nothing to draw."""
    totals = [sum(counts.get(key, 0) for key, _, _ in SERIES) for _, counts in months]
    if not months or not any(totals):
        return None
    plot_bottom = PLOT_TOP + PLOT_HEIGHT
    top = _y_top(max(totals))
    scale = PLOT_HEIGHT / top
    slot = (PLOT_RIGHT - PLOT_LEFT) / len(months)
    width = min(slot * BAR_SHARE, MAX_BAR_WIDTH)
    bars: list[Bar] = []
    for index, (month, counts) in enumerate(months):
        x = PLOT_LEFT + index * slot + (slot - width) / 2
        floor = float(plot_bottom)
        for key, words, colour in SERIES:
            n = counts.get(key, 0)
            if not n:
                continue
            height = n * scale
            floor -= height
            title = gettext("%(month)s: %(count)s %(decision)s") % {
                "month": month_words(month),
                "count": format_number(n),
                "decision": words,
            }
            bars.append(
                Bar(round(x, 1), round(floor, 1), round(width, 1), round(height, 1), colour, title)
            )
    every = max(1, math.ceil(MIN_LABEL_SPACING / slot))
    x_ticks = [
        _x_tick(PLOT_LEFT + (index + 0.5) * slot, month_words(month))
        for index, (month, _) in enumerate(months)
        if index % every == 0
    ]
    y_ticks = [Tick(float(plot_bottom), "0"), Tick(float(PLOT_TOP), format_number(top))]
    legend_y = plot_bottom + LEGEND_GAP - 12
    legend = [
        LegendItem(PLOT_LEFT + i * LEGEND_ITEM, legend_y, colour, str(words))
        for i, (_, words, colour) in enumerate(SERIES)
    ]
    first, last = months[0][0], months[-1][0]
    span = (
        month_words(first)
        if first == last
        else pgettext("date range", "%(first)s to %(last)s")
        % {"first": month_words(first), "last": month_words(last)}
    )
    decided = sum(totals)
    return TrackChart(
        width=WIDTH,
        height=plot_bottom + LEGEND_GAP + 8,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        plot_top=PLOT_TOP,
        plot_bottom=plot_bottom,
        bars=bars,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        legend=legend,
        title=gettext("How %(source)s's claims were decided, month by month") % {"source": name},
        description=ngettext(
            "%(count)s decided claim from %(span)s, each month a bar stacked from verified, "
            "attributed only, disputed and false.",
            "%(count)s decided claims from %(span)s, each month a bar stacked from verified, "
            "attributed only, disputed and false.",
            decided,
        )
        % {"count": format_number(decided), "span": span},
    )
