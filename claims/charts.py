"""The timeline chart of a claim: every figure for one measure drawn as value intervals over time.

Plain Python, no Django but its translation functions (the chart's own words are in the
reader's language; figures and dates are worded by ``claims.wording``): ``build_chart``
takes one ``ChartPoint`` per claim and computes the geometry of an SVG chart (axes,
ticks, one mark per claim, a legend) and the rows of the table that stands beside it for
screen readers. Nothing here writes markup: every text is plain and the template escapes
it.

The x axis is time. A claim covers its period, a day being one day wide, and
a claim without a period sits on the day it was reported. The y axis is the
value, linear from zero: a claim is the rectangle period x [low, high], and a
claim with no upper bound ("at least 51") rises from its low end to the top
of the plot and fades out under an arrow.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext

from claims.checks import types as kinds
from claims.checks.messages import DEFAULT_TOLERANCE
from claims.localwording import format_date, format_period, format_quantity, interval_words
from claims.wording import format_number, sentence

# Okabe & Ito's colour-blind-safe palette, the yellow last as it reads worst on white;
# black is kept for the outlines of the current and the contradicted claims.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)
# Sources past the palette, and claims without a source, share a grey.
OTHER_COLOUR = "#8A8F96"

FLAG_WORDS = {
    kinds.VALUE_CONFLICT: gettext_lazy("value conflict"),
    kinds.SUB_PERIOD_EXCEEDS_TOTAL: gettext_lazy("day count exceeds period total"),
    kinds.SUB_PLACE_EXCEEDS_TOTAL: gettext_lazy("local count exceeds wider total"),
    kinds.COUNT_DECREASED: gettext_lazy("running count decreased"),
    kinds.VERDICT_CONFLICT: gettext_lazy("verdicts conflict"),
}

# Geometry, in viewBox units (the SVG scales to the width of its container).
WIDTH = 760
PLOT_TOP = 34
PLOT_HEIGHT = 280
RIGHT_MARGIN = 28
FONT_SIZE = 12
CHAR_WIDTH = 0.6 * FONT_SIZE  # an estimate: no font metrics on the server
MIN_MARK_WIDTH = 6.0
MIN_MARK_HEIGHT = 4.0
RING_GAP = 2.5
X_TICK_SPACING = 110  # a date label is about 70 units wide
Y_TICK_TARGET = 5
LEGEND_SWATCH = 12
LEGEND_ROW = 22
LEGEND_LABEL_LIMIT = 40
# A lone day is drawn in a week, not filling the plot.
MIN_PAD_DAYS = 3.0
# The band behind the current claim helps find a narrow mark; a wide one needs no help.
HIGHLIGHT_MAX_SHARE = 0.2
# Past this many marks, per-mark words ("at least 51") would pile up: the
# legend, the tooltips and the table carry them instead.
LABEL_LIMIT = 20
TITLE_QUOTE_LIMIT = 100
# Marks of the same figure and period from different sources would sit exactly on
# top of each other and blend into one colour: they share the period side by side, or,
# too narrow to share it, are shifted this far apart.
TWIN_OFFSET = 5.0
# The narrow chart a phone shows instead (at 390 px the wide one's 12-unit labels
# shrink to 6 px): about one viewBox unit per CSS pixel.
COMPACT_WIDTH = 320


@dataclass(frozen=True)
class ChartPoint:
    """One claim, as the chart needs it."""

    claim_id: int
    label: str  # the claim's words
    value_low: int | None
    value_high: int | None  # None: no upper bound
    qualifier: str | None = None
    population: str = ""  # "civilians", "children": said beside the figure; "all" is not
    period_start: date | None = None
    period_end: date | None = None
    period_kind: str | None = None
    reported_on: date | None = None
    sources: tuple[str, ...] = ()  # attributed to, first one colours the mark
    status: str = ""
    status_label: str = ""
    is_current: bool = False
    flag_kinds: tuple[str, ...] = ()  # kinds of the unresolved flags it is in
    # The figure the desk uses for this claim after a resolved conflict, if any.
    desk_low: int | None = None
    desk_high: int | None = None  # None with desk_low set: no upper bound
    desk_rule: str = ""  # "a range", "lowest credible figure"

    @property
    def has_desk_figure(self) -> bool:
        return self.desk_low is not None

    @property
    def contradictions(self) -> tuple[str, ...]:
        return tuple(sorted({k for k in self.flag_kinds if k in kinds.CONTRADICTION_KINDS}))

    @property
    def flagged(self) -> bool:
        return bool(self.contradictions)

    @property
    def source(self) -> str:
        return self.sources[0] if self.sources else ""


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # "end" or "start" keeps a label at the edge inside the chart


@dataclass(frozen=True)
class Mark:
    """One claim's shape on the plot; every number is in viewBox units."""

    claim_id: int
    x: float
    y: float
    width: float
    height: float
    colour: str
    fade_id: str  # the gradient an open-ended mark fades with
    open_ended: bool
    to_date: bool
    flagged: bool
    current: bool
    title: str  # the tooltip: figure, source, period, status, flags
    floor_y: float  # the low end (the line an open-ended mark rises from)
    arrow: str  # "x,y x,y x,y": the chevron atop an open-ended mark
    label: str  # "at least 51" beside an open-ended mark, when there is room
    label_x: float
    label_y: float
    label_anchor: str
    warn_x: float
    warn_y: float

    @property
    def right(self) -> float:
        return round(self.x + self.width, 1)

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)

    # The ring that marks the current or a contradicted claim, just outside the mark.
    @property
    def ring_x(self) -> float:
        return round(self.x - RING_GAP, 1)

    @property
    def ring_y(self) -> float:
        return round(self.y - RING_GAP, 1)

    @property
    def ring_width(self) -> float:
        return round(self.width + 2 * RING_GAP, 1)

    @property
    def ring_height(self) -> float:
        return round(self.height + 2 * RING_GAP, 1)


@dataclass(frozen=True)
class DeskBand:
    """The figure the desk uses, drawn across the period of the claims it was chosen for."""

    x: float
    y: float
    width: float
    height: float
    title: str


class _Swatch:
    """A legend entry's square at (x, y), and where its words stand beside it."""

    x: float
    y: float

    @property
    def text_x(self) -> float:
        return round(self.x + LEGEND_SWATCH + 6, 1)

    @property
    def text_y(self) -> float:
        return round(self.y + LEGEND_SWATCH - 2, 1)


@dataclass(frozen=True)
class LegendItem(_Swatch):
    label: str
    colour: str
    x: float
    y: float  # top of the swatch
    full_label: str = ""


@dataclass(frozen=True)
class KeyItem(_Swatch):
    """An entry that explains a marking rather than a source."""

    kind: str  # "current", "flagged", "open" or "desk"
    label: str
    x: float
    y: float

    @property
    def right(self) -> float:
        return round(self.x + LEGEND_SWATCH, 1)

    @property
    def bottom(self) -> float:
        return round(self.y + LEGEND_SWATCH, 1)

    @property
    def arrow(self) -> str:
        middle = self.x + LEGEND_SWATCH / 2
        return _chevron(middle, self.y)


@dataclass(frozen=True)
class Row:
    """One line of the table: the chart in words."""

    claim_id: int
    when: str
    figure: str
    sources: str
    status: str
    flags: str
    current: bool
    drawn: bool
    colour: str
    text: str
    desk_figure: str = ""  # "desk uses 250 to 400 (a range)"


@dataclass(frozen=True)
class Chart:
    dom_id: str
    title: str
    description: str
    measure: str
    width: int
    height: int
    plot_left: float
    plot_top: float
    plot_right: float
    plot_bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    marks: tuple[Mark, ...]
    legend: tuple[LegendItem, ...]
    key: tuple[KeyItem, ...]
    rows: tuple[Row, ...]
    gradients: tuple[tuple[str, str], ...]  # (id, colour)
    highlight: tuple[float, float] | None  # x extent of the band behind the current claim
    empty_message: str = ""
    dense: bool = False
    # The same chart drawn narrow, for phones; the table goes with the wide one.
    compact: Chart | None = None
    desk_bands: tuple[DeskBand, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.marks

    @property
    def plot_width(self) -> float:
        return round(self.plot_right - self.plot_left, 1)

    @property
    def plot_height(self) -> float:
        return round(self.plot_bottom - self.plot_top, 1)

    @property
    def x_label_y(self) -> float:
        return round(self.plot_bottom + 20, 1)

    @property
    def x_tick_end(self) -> float:
        return round(self.plot_bottom + 5, 1)

    @property
    def y_label_x(self) -> float:
        return round(self.plot_left - 8, 1)

    @property
    def measure_y(self) -> float:
        return round(self.plot_top - 18, 1)

    @property
    def flagged_count(self) -> int:
        return sum(1 for row in self.rows if row.flags)


@dataclass
class _Placed:
    point: ChartPoint
    start: date
    end: date  # inclusive
    colour: str = OTHER_COLOUR


# ---------------------------------------------------------------------------
# Scales and ticks


def nice_step(span: float, target: int = Y_TICK_TARGET) -> int:
    """The 1-2-5 step that cuts ``span`` into about ``target`` whole-number pieces."""
    if span <= target:
        return 1
    raw = span / target
    exponent = math.floor(math.log10(raw))
    base = 10**exponent
    for multiple in (1, 2, 5, 10):
        if multiple * base >= raw:
            return int(multiple * base)
    return int(10 * base)  # pragma: no cover - the loop always returns


def value_ticks(top_value: int, target: int = Y_TICK_TARGET) -> tuple[int, list[int]]:
    """The axis top and its ticks, from zero, for counts up to ``top_value``."""
    top_value = max(int(top_value), 1)
    step = nice_step(top_value, target)
    top = -(-top_value // step) * step  # integer ceiling: counts may be huge
    return top, list(range(0, top + 1, step))


def _month_add(day: date, months: int) -> date | None:
    """The 1st of the month `months` after `day`'s; None past the calendar's end."""
    index = day.year * 12 + day.month - 1 + months
    if index // 12 > date.max.year:
        return None
    return date(index // 12, index % 12 + 1, 1)


def _calendar_day(ordinal: float) -> date:
    """The day at `ordinal`, held inside the calendar: the padding around a chart of
    the first or last dates Python knows would otherwise step off it."""
    return date.fromordinal(min(max(int(ordinal), 1), date.max.toordinal()))


# (kind, size): steps tried from the finest, the first that fits is used.
DATE_STEPS: tuple[tuple[str, int], ...] = (
    ("day", 1),
    ("day", 2),
    ("week", 1),
    ("week", 2),
    ("month", 1),
    ("month", 2),
    ("month", 3),
    ("month", 6),
    ("year", 1),
    ("year", 2),
    ("year", 5),
    ("year", 10),
    ("year", 20),
    ("year", 50),
    ("year", 100),
)


def _date_ticks_for(step: tuple[str, int], first: date, last: date) -> list[date]:
    unit, size = step
    # Days and weeks step by ordinals, so the last day of the calendar ends the loop
    # instead of overflowing it.
    if unit == "day":
        return [date.fromordinal(o) for o in range(first.toordinal(), last.toordinal() + 1, size)]
    if unit == "week":
        monday = first.toordinal() + (7 - first.weekday()) % 7
        return [date.fromordinal(o) for o in range(monday, last.toordinal() + 1, 7 * size)]
    if unit == "month":
        day: date | None = first if first.day == 1 else _month_add(first, 1)
        while day is not None and (day.month - 1) % size:
            day = _month_add(day, 1)
        ticks = []
        while day is not None and day <= last:
            ticks.append(day)
            day = _month_add(day, size)
        return ticks
    year = first.year if (first.month, first.day) == (1, 1) else first.year + 1
    year += -year % size
    return [date(y, 1, 1) for y in range(year, last.year + 1, size)]


def date_ticks(first: date, last: date, max_ticks: int) -> list[date]:
    """Calendar-aligned dates between ``first`` and ``last``: days, Mondays, 1sts, 1 Januarys."""
    max_ticks = max(max_ticks, 2)
    for step in DATE_STEPS:
        # Counting by ordinals first keeps a century of daily ticks from being built.
        unit, size = step
        approx_days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * size
        if (last - first).days / approx_days > max_ticks + 1:
            continue
        ticks = _date_ticks_for(step, first, last)
        if len(ticks) <= max_ticks:
            return ticks
    return [first, last] if first != last else [first]


# ---------------------------------------------------------------------------
# Words


def figure_words(point: ChartPoint, tolerance: float = DEFAULT_TOLERANCE) -> str:
    if point.value_low is None:
        return gettext("no figure")
    words = format_quantity(point.value_low, point.value_high, point.qualifier, tolerance)
    if point.population and point.population != "all":
        words = f"{words} {point.population}"
    return words


def desk_figure_words(point: ChartPoint) -> str:
    """ "desk uses 250 to 400 (a range)", or "" when no resolved conflict chose one."""
    if point.desk_low is None:
        return ""
    figure = interval_words(point.desk_low, point.desk_high)
    if point.desk_rule:
        return gettext("desk uses %(figure)s (%(rule)s)") % {
            "figure": figure,
            "rule": point.desk_rule,
        }
    return gettext("desk uses %(figure)s") % {"figure": figure}


def when_words(point: ChartPoint) -> str:
    if point.period_start is not None:
        return format_period(point.period_start, point.period_end, point.period_kind)
    if point.reported_on is not None:
        return gettext("reported %(day)s (no period)") % {"day": format_date(point.reported_on)}
    return gettext("no date")


def _flag_words(point: ChartPoint) -> str:
    return "; ".join(str(FLAG_WORDS.get(k, k.replace("_", " "))) for k in point.contradictions)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _span_words(first: date, last: date) -> str:
    if first == last:
        return gettext("on %(day)s") % {"day": format_date(first)}
    return pgettext("date range", "%(first)s to %(last)s") % {
        "first": format_date(first),
        "last": format_date(last),
    }


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


# ---------------------------------------------------------------------------
# Colours


def source_colours(points: Iterable[ChartPoint]) -> dict[str, str]:
    """One palette colour per source, the most frequent first, ties by name.

    Depends only on which sources the chart holds, not on the order of the
    points, so the same data always gets the same colours. Sources past the
    palette, and "no source", are grey."""
    counts = Counter(point.source for point in points if point.source)
    ranked = sorted(counts, key=lambda name: (-counts[name], name.casefold(), name))
    return {name: PALETTE[i] if i < len(PALETTE) else OTHER_COLOUR for i, name in enumerate(ranked)}


# ---------------------------------------------------------------------------
# The chart


def _x_tick(position: float, label: str, width: int) -> Tick:
    half = _text_width(label) / 2
    anchor = "middle"
    if position + half > width - 2:
        anchor = "end"
    elif position - half < 2:
        anchor = "start"
    return Tick(round(position, 1), label, anchor)


def _chevron(x: float, top: float) -> str:
    """An upward arrowhead with its tip at (x, top), as SVG polyline points."""
    return f"{x - 5:.1f},{top + 6:.1f} {x:.1f},{top:.1f} {x + 5:.1f},{top + 6:.1f}"


def _safe_id(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "chart"


def build_chart(
    points: Sequence[ChartPoint],
    *,
    title: str = "",
    measure: str = "",
    dom_id: str = "timeline",
    tolerance: float = DEFAULT_TOLERANCE,
    width: int = WIDTH,
    compact_width: int | None = None,
) -> Chart:
    """The chart of ``points``: geometry for the SVG and the rows of its table; with
    ``compact_width``, also the same chart that narrow for small screens."""
    dom_id = _safe_id(dom_id)
    title = title or gettext("Claims over time")
    colours = source_colours(points)
    placed: list[_Placed] = []
    for point in points:
        start = point.period_start or point.reported_on
        if point.value_low is None or start is None:
            continue
        end = point.period_end or point.period_start or point.reported_on or start
        end = max(end, start)
        placed.append(_Placed(point, start, end, colours.get(point.source, OTHER_COLOUR)))

    rows = _rows(points, placed, tolerance)
    if not placed:
        message = (
            gettext("Nothing to draw: no claim here has both a figure and a date.")
            if points
            else gettext("Nothing to draw: there are no claims.")
        )
        return Chart(
            dom_id=dom_id,
            title=title,
            description=message,
            measure=measure,
            width=width,
            height=0,
            plot_left=0,
            plot_top=0,
            plot_right=0,
            plot_bottom=0,
            x_ticks=(),
            y_ticks=(),
            marks=(),
            legend=(),
            key=(),
            rows=rows,
            gradients=(),
            highlight=None,
            empty_message=message,
        )

    # Values: from zero to a 1-2-5 top, with headroom for the rising open ends.
    finite = [p.point.value_high for p in placed if p.point.value_high is not None]
    lows = [p.point.value_low or 0 for p in placed]
    open_lows = [p.point.value_low or 0 for p in placed if p.point.value_high is None]
    wanted = max([*finite, *lows, *(math.ceil(low * 1.25) + 1 for low in open_lows)])
    top_value, y_values = value_ticks(wanted)
    # Thousands separators throughout: "1.5 million" beside "1,000,000" would jar.
    y_labels = [f"{v:,}" for v in y_values]

    plot_left = round(max(40.0, _text_width(max(y_labels, key=len)) + 16), 1)
    plot_right = float(width - RIGHT_MARGIN)
    plot_top = float(PLOT_TOP)
    plot_bottom = float(PLOT_TOP + PLOT_HEIGHT)
    plot_width = plot_right - plot_left

    def y_of(value: float) -> float:
        return plot_bottom - value / top_value * PLOT_HEIGHT

    y_ticks = tuple(
        Tick(round(y_of(v), 1), label) for v, label in zip(y_values, y_labels, strict=True)
    )

    # Time: a day is [d, d + 1); pad the extent so no mark sits on an edge.
    first = min(p.start for p in placed).toordinal()
    last = max(p.end for p in placed).toordinal() + 1
    pad = max(MIN_PAD_DAYS, (last - first) * 0.04)
    x0, x1 = first - pad, last + pad

    def x_of(ordinal: float) -> float:
        return plot_left + (ordinal - x0) / (x1 - x0) * plot_width

    max_x_ticks = max(2, int(plot_width // X_TICK_SPACING))
    tick_days = date_ticks(_calendar_day(math.ceil(x0)), _calendar_day(math.floor(x1)), max_x_ticks)
    # A tick marks the start of its day, where that day's bars begin.
    x_ticks = tuple(_x_tick(x_of(d.toordinal()), format_date(d), width) for d in tick_days)

    dense = len(placed) > LABEL_LIMIT
    marks = _spread_twins(
        [_mark(p, x_of, y_of, plot_top, plot_right, dom_id, tolerance, dense) for p in placed]
    )
    # Wide marks behind narrow ones, so a day inside a month stays visible;
    # the current claim on top of everything.
    marks.sort(key=lambda m: (m.current, m.flagged, -m.width, -m.height, m.claim_id))

    gradients = tuple(
        (f"{dom_id}-fade-{i}", colour)
        for i, colour in enumerate((*PALETTE, OTHER_COLOUR))
        if any(m.open_ended and m.colour == colour for m in marks)
    )
    current = next((m for m in marks if m.current), None)
    highlight = (
        (round(current.x - 4, 1), round(current.width + 8, 1))
        if current and current.width < plot_width * HIGHLIGHT_MAX_SHARE
        else None
    )

    legend_top = plot_bottom + 40
    legend, key, height = _legend(placed, marks, colours, legend_top, width)
    compact = None
    if compact_width is not None:
        compact = build_chart(
            points,
            title=title,
            measure=measure,
            dom_id=f"{dom_id}-compact",
            tolerance=tolerance,
            width=compact_width,
        )
    return Chart(
        dom_id=dom_id,
        title=title,
        description=_describe(points, placed, marks, colours, tolerance),
        measure=measure,
        width=width,
        height=height,
        plot_left=plot_left,
        plot_top=plot_top,
        plot_right=plot_right,
        plot_bottom=plot_bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        marks=tuple(marks),
        legend=legend,
        key=key,
        rows=rows,
        gradients=gradients,
        highlight=highlight,
        dense=dense,
        compact=compact,
        desk_bands=_desk_bands(placed, x_of, y_of, plot_top),
    )


def _mark(
    placed: _Placed,
    x_of: Callable[[float], float],
    y_of: Callable[[float], float],
    plot_top: float,
    plot_right: float,
    dom_id: str,
    tolerance: float,
    dense: bool,
) -> Mark:
    point = placed.point
    low = point.value_low or 0
    left = x_of(placed.start.toordinal())
    right = x_of(placed.end.toordinal() + 1)
    if right - left < MIN_MARK_WIDTH:
        middle = (left + right) / 2
        left, right = middle - MIN_MARK_WIDTH / 2, middle + MIN_MARK_WIDTH / 2
    floor_y = y_of(low)
    open_ended = point.value_high is None
    top = plot_top if open_ended else y_of(point.value_high or 0)
    bottom = floor_y
    if bottom - top < MIN_MARK_HEIGHT:
        middle = (top + bottom) / 2
        # Centred on its value, but never through the axis.
        bottom = min(middle + MIN_MARK_HEIGHT / 2, y_of(0))
        top = bottom - MIN_MARK_HEIGHT
    centre = (left + right) / 2

    figure = figure_words(point, tolerance)
    label = "" if dense or not open_ended else figure
    # Clear of the ring that may surround the mark.
    label_anchor = "start"
    label_x = right + RING_GAP + 4
    if label and label_x + _text_width(label) > plot_right:
        label_anchor, label_x = "end", left - RING_GAP - 4
    arrow = _chevron(centre, plot_top + 1) if open_ended else ""
    warn_y = floor_y - 6 if open_ended else top - 5
    palette_index = PALETTE.index(placed.colour) if placed.colour in PALETTE else len(PALETTE)

    parts = [f"#{point.claim_id}", figure, point.source or gettext("no source"), when_words(point)]
    if point.status_label or point.status:
        parts.append(point.status_label or point.status)
    if point.flagged:
        parts.append(f"⚠ {_flag_words(point)}")
    if point.has_desk_figure:
        parts.append(desk_figure_words(point))
    title = " · ".join(parts)
    if point.label:
        title += f"\n“{_shorten(point.label, TITLE_QUOTE_LIMIT)}”"

    return Mark(
        claim_id=point.claim_id,
        x=round(left, 1),
        y=round(top, 1),
        width=round(right - left, 1),
        height=round(bottom - top, 1),
        colour=placed.colour,
        fade_id=f"{dom_id}-fade-{palette_index}",
        open_ended=open_ended,
        to_date=point.period_kind == "to_date" and point.period_start is not None,
        flagged=point.flagged,
        current=point.is_current,
        title=title,
        floor_y=round(floor_y, 1),
        arrow=arrow,
        label=label,
        label_x=round(label_x, 1),
        label_y=round(floor_y - 4, 1),
        label_anchor=label_anchor,
        warn_x=round(centre, 1),
        warn_y=round(warn_y, 1),
    )


def _desk_bands(
    placed: Sequence[_Placed],
    x_of: Callable[[float], float],
    y_of: Callable[[float], float],
    plot_top: float,
) -> tuple[DeskBand, ...]:
    """One band per desk figure and period: the claims of one resolved conflict share it."""
    bands: dict[tuple[date, date, int, int | None], DeskBand] = {}
    for p in placed:
        low, high = p.point.desk_low, p.point.desk_high
        if low is None or (p.start, p.end, low, high) in bands:
            continue
        left, right = x_of(p.start.toordinal()), x_of(p.end.toordinal() + 1)
        if right - left < MIN_MARK_WIDTH:
            middle = (left + right) / 2
            left, right = middle - MIN_MARK_WIDTH / 2, middle + MIN_MARK_WIDTH / 2
        top, bottom = (plot_top if high is None else y_of(high)), y_of(low)
        if bottom - top < 2:  # a single figure: a line two units high
            top, bottom = top - 1, bottom + 1
        bands[(p.start, p.end, low, high)] = DeskBand(
            x=round(left, 1),
            y=round(top, 1),
            width=round(right - left, 1),
            height=round(bottom - top, 1),
            title=sentence(desk_figure_words(p.point)),
        )
    return tuple(bands.values())


def _spread_twins(marks: list[Mark]) -> list[Mark]:
    """Set marks that share one rectangle (the same figure for the same period from
    different sources) side by side, so each source's colour stays visible: each takes
    its share of the period where that leaves it wide enough, or is shifted a little."""
    groups: dict[tuple[float, float, float, float, bool], list[int]] = {}
    for index, mark in enumerate(marks):
        groups.setdefault((mark.x, mark.y, mark.width, mark.height, mark.open_ended), []).append(
            index
        )
    spread = list(marks)
    for members in groups.values():
        if len(members) < 2:
            continue
        share = marks[members[0]].width / len(members)
        middle = (len(members) - 1) / 2
        for order, index in enumerate(sorted(members, key=lambda i: marks[i].claim_id)):
            mark = marks[index]
            if share >= 2 * MIN_MARK_WIDTH:
                x, width = mark.x + order * share, share
            else:
                x, width = mark.x + (order - middle) * TWIN_OFFSET, mark.width
            shift = x + width / 2 - mark.centre
            spread[index] = replace(
                mark,
                x=round(x, 1),
                width=round(width, 1),
                label_x=round(mark.label_x + shift, 1),
                warn_x=round(mark.warn_x + shift, 1),
                arrow=_chevron(round(mark.centre + shift, 1), mark.y + 1) if mark.arrow else "",
            )
    return spread


def _legend(
    placed: Sequence[_Placed],
    marks: Sequence[Mark],
    colours: dict[str, str],
    top: float,
    width: int,
) -> tuple[tuple[LegendItem, ...], tuple[KeyItem, ...], int]:
    """Swatches for the sources drawn, then the key to the markings, wrapped to the width."""
    drawn_sources = {p.point.source for p in placed}
    entries: list[tuple[str, str, str]] = []
    for name, colour in colours.items():
        if name in drawn_sources and colour != OTHER_COLOUR:
            entries.append((_shorten(name, LEGEND_LABEL_LIMIT), colour, name))
    others = [p for p in placed if p.colour == OTHER_COLOUR]
    if others:
        named = any(p.point.source for p in others)
        unnamed = any(not p.point.source for p in others)
        label = {
            (True, True): gettext("Other or no source"),
            (True, False): gettext("Other sources"),
            (False, True): gettext("No source"),
        }[(named, unnamed)]
        entries.append((label, OTHER_COLOUR, label))

    key_entries: list[tuple[str, str]] = []
    if any(m.current for m in marks):
        key_entries.append(("current", gettext("this claim")))
    if any(m.flagged for m in marks):
        key_entries.append(("flagged", gettext("⚠ contradicted (open flag)")))
    if any(m.open_ended for m in marks):
        key_entries.append(("open", gettext("at least: no upper bound")))
    if any(p.point.has_desk_figure for p in placed):
        key_entries.append(("desk", gettext("figure the desk uses (resolved conflict)")))

    left, right = 16.0, width - 16.0
    x, y = left, top
    legend: list[LegendItem] = []
    for label, colour, full in entries:
        item_width = LEGEND_SWATCH + 6 + _text_width(label) + 18
        if x > left and x + item_width > right:
            x, y = left, y + LEGEND_ROW
        legend.append(LegendItem(label, colour, round(x, 1), round(y, 1), full))
        x += item_width
    key: list[KeyItem] = []
    x, y = left, y + LEGEND_ROW if legend else y
    for kind, label in key_entries:
        item_width = LEGEND_SWATCH + 6 + _text_width(label) + 18
        if x > left and x + item_width > right:
            x, y = left, y + LEGEND_ROW
        key.append(KeyItem(kind, label, round(x, 1), round(y, 1)))
        x += item_width
    return tuple(legend), tuple(key), int(y + LEGEND_ROW)


def _rows(
    points: Sequence[ChartPoint], placed: Sequence[_Placed], tolerance: float
) -> tuple[Row, ...]:
    drawn = {p.point.claim_id: p.colour for p in placed}

    def order(point: ChartPoint) -> tuple[bool, date, date, int]:
        start = point.period_start or point.reported_on
        end = point.period_end or start
        return (start is None, start or date.min, end or date.min, point.claim_id)

    return tuple(
        Row(
            claim_id=point.claim_id,
            when=when_words(point),
            figure=figure_words(point, tolerance),
            sources=", ".join(point.sources) or gettext("no source"),
            status=point.status_label or point.status,
            flags=_flag_words(point),
            current=point.is_current,
            drawn=point.claim_id in drawn,
            colour=drawn.get(point.claim_id, OTHER_COLOUR),
            text=point.label,
            desk_figure=desk_figure_words(point),
        )
        for point in sorted(points, key=order)
    )


def _describe(
    points: Sequence[ChartPoint],
    placed: Sequence[_Placed],
    marks: Sequence[Mark],
    colours: dict[str, str],
    tolerance: float,
) -> str:
    """The chart in a few sentences, for the SVG's <desc>."""
    sources = {p.point.source for p in placed if p.point.source}
    first = min(p.start for p in placed)
    last = max(p.end for p in placed)
    lows = [p.point.value_low or 0 for p in placed]
    tops = [p.point.value_high or p.point.value_low or 0 for p in placed]
    open_count = sum(1 for p in placed if p.point.value_high is None)
    low, high = min(lows), max(tops)
    figures = (
        gettext("a figure of %(low)s") % {"low": format_number(low)}
        if low == high
        else gettext("figures between %(low)s and %(high)s")
        % {"low": format_number(low), "high": format_number(high)}
    )
    if open_count:
        figures = gettext("%(figures)s (%(open)s with no upper bound)") % {
            "figures": figures,
            "open": open_count,
        }
    claims = ngettext("%(count)s claim", "%(count)s claims", len(placed)) % {
        "count": f"{len(placed):,}"
    }
    sourced = ngettext("%(count)s source", "%(count)s sources", len(sources)) % {
        "count": f"{len(sources):,}"
    }
    text = [
        gettext("%(claims)s from %(sources)s, %(span)s, %(figures)s.")
        % {
            "claims": claims,
            "sources": sourced,
            "span": _span_words(first, last),
            "figures": figures,
        }
    ]
    flagged = sum(1 for m in marks if m.flagged)
    if flagged:
        text.append(gettext("%(count)s in an open contradiction.") % {"count": flagged})
    current = next((p.point for p in placed if p.point.is_current), None)
    if current is not None:
        text.append(
            gettext("This claim: %(figure)s, %(when)s.")
            % {"figure": figure_words(current, tolerance), "when": when_words(current)}
        )
        if current.has_desk_figure:
            text.append(
                gettext("After a resolved conflict the %(desk)s.")
                % {"desk": desk_figure_words(current)}
            )
    skipped = len(points) - len(placed)
    if skipped:
        text.append(
            ngettext(
                "%(count)s claim without a figure or a date is not drawn.",
                "%(count)s claims without a figure or a date are not drawn.",
                skipped,
            )
            % {"count": f"{skipped:,}"}
        )
    text.append(gettext("The table that follows lists every claim."))
    return " ".join(text)
