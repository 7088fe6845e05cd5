"""How long claims spend in each stage of the workflow, read from their history.

Plain Python, no Django but its translation functions (the labels and the duration words
are shown in the reader's language): `durations` takes one claim's moves (the status it
entered and when; the first move is its logging) and answers the stages it went through,
each with how long it took and who ended it. `summarise` gives a list of them a count, a
median and a 90th percentile. `claims/selectors/reports.py` reads the moves from the
claims' ClaimEvent rows; the report page, its CSV, the dashboard and the queue rows word
the results with `duration_words`.

The stages:

- **waiting**: from logging until a fact-checker first takes the claim (new -> in
  review), credited to whoever took it;
- **review**: each spell in review that ends with a decision, from entering review
  (taken, or reopened) to that decision, credited to whoever decided;
- **to decision**: from logging to the claim's first decision, credited to whoever
  decided. A decision after a reopen adds a review spell, not a second time to decision.

A stage that a retraction ends is not counted (the claim was withdrawn, not worked
through), nor is one still running. A stage counts in the week it ended. A move dated
before the one it follows (rows written by hand) counts as taking no time.

Percentiles: the median is the middle value, or the mean of the two middle values of an
even count; the 90th percentile is by nearest rank, the smallest value with at least 90 %
of the values at or below it (the ⌈0.9 n⌉-th smallest), so it is always a time that
some claim took. With 10 values it is the 9th smallest, with 5 the largest.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext

from claims.checks.types import DECIDED_STATUSES

NEW = "new"
IN_REVIEW = "in_review"


class Stage(StrEnum):
    WAITING = "waiting"
    REVIEW = "review"
    TO_DECISION = "to_decision"

    @property
    def label(self) -> str:
        return str(STAGE_LABELS[self])


STAGE_LABELS = {
    Stage.WAITING: gettext_lazy("Waiting in New"),
    Stage.REVIEW: gettext_lazy("Worked in review"),
    Stage.TO_DECISION: gettext_lazy("Logged to decision"),
}


@dataclass(frozen=True, slots=True)
class Move:
    """A claim entered `status` at `at`, moved there by `actor` (a user id, or None)."""

    status: str
    at: datetime
    actor: int | None = None


@dataclass(frozen=True, slots=True)
class Duration:
    """One stage one claim went through."""

    claim: int
    stage: Stage
    seconds: float
    ended_at: datetime
    actor: int | None  # who ended it: took the claim, or decided it


def _seconds(start: datetime, end: datetime) -> float:
    return max(0.0, (end - start).total_seconds())


def durations(claim: int, moves: Sequence[Move]) -> list[Duration]:
    """The stages a claim went through, in the order they ended. `moves` is in the
    order they happened, the claim's logging first."""
    if not moves:
        return []
    logged = moves[0].at
    out: list[Duration] = []
    taken = decided = False
    review_since: datetime | None = moves[0].at if moves[0].status == IN_REVIEW else None
    previous = moves[0].status
    for move in moves[1:]:
        if previous == NEW and move.status == IN_REVIEW and not taken:
            out.append(
                Duration(claim, Stage.WAITING, _seconds(logged, move.at), move.at, move.actor)
            )
        if move.status == IN_REVIEW:
            taken = True
        if move.status in DECIDED_STATUSES:
            if previous == IN_REVIEW and review_since is not None:
                seconds = _seconds(review_since, move.at)
                out.append(Duration(claim, Stage.REVIEW, seconds, move.at, move.actor))
            if not decided:
                seconds = _seconds(logged, move.at)
                out.append(Duration(claim, Stage.TO_DECISION, seconds, move.at, move.actor))
                decided = True
        # A move to the status the claim is in already (a repeated row) keeps the spell.
        if move.status != previous:
            review_since = move.at if move.status == IN_REVIEW else None
        previous = move.status
    return out


# ---------------------------------------------------------------------------
# Median and 90th percentile (see the module's docstring for the methods)


@dataclass(frozen=True)
class Summary:
    count: int
    median: float  # seconds
    p90: float  # seconds


def median(values: Sequence[float]) -> float:
    if not values:
        raise ValueError("The median of no values.")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def nearest_rank(values: Sequence[float], share: float) -> float:
    """The smallest value with at least `share` of the values at or below it."""
    if not values:
        raise ValueError("A percentile of no values.")
    ordered = sorted(values)
    # Rounded first, so that 0.9 * 10 is 9 and not 9.000000000000002.
    rank = math.ceil(round(share * len(ordered), 9))
    return ordered[max(rank, 1) - 1]


def summarise(values: Sequence[float]) -> Summary | None:
    """Count, median and 90th percentile of durations in seconds; None for none."""
    if not values:
        return None
    return Summary(len(values), median(values), nearest_rank(values, 0.9))


# ---------------------------------------------------------------------------
# Grouping

K = TypeVar("K", bound=Hashable)


def week_of(day: date) -> date:
    """The Monday that starts the (ISO) week of `day`."""
    return day - timedelta(days=day.weekday())


def table(
    found: Iterable[Duration], keys: Callable[[Duration], Iterable[K]]
) -> dict[K, dict[Stage, Summary]]:
    """Durations grouped by `keys` (a duration may count in several groups, as a claim
    with several topics does in each), summarised stage by stage. A group lists only
    the stages it has durations of."""
    grouped: dict[K, dict[Stage, list[float]]] = {}
    for duration in found:
        for key in keys(duration):
            grouped.setdefault(key, {}).setdefault(duration.stage, []).append(duration.seconds)
    out: dict[K, dict[Stage, Summary]] = {}
    for key, stages in grouped.items():
        out[key] = {}
        for stage in Stage:
            summary = summarise(stages.get(stage, []))
            if summary is not None:
                out[key][stage] = summary
    return out


# ---------------------------------------------------------------------------
# In words


def duration_words(seconds: float) -> str:
    """A duration as the desk reads it at a glance: "under a minute", "40 min",
    "5.5 h" (under two days), "3.2 d"; one decimal, none when it is zero. In the
    reader's language: a whole number takes its plural form (Arabic has six), a fraction
    its own wording."""
    if seconds < 60:
        return gettext("under a minute")
    if seconds < 3600:
        minutes = round(seconds / 60)
        return ngettext("%(count)s min", "%(count)s min", minutes) % {"count": minutes}
    hours = seconds / 3600
    if hours < 48:
        return _in_unit(hours, "h")
    return _in_unit(hours / 24, "d")


def _in_unit(value: float, unit: str) -> str:
    """`value` to one decimal in hours ("h") or days ("d"), worded."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        count = int(text[:-2])
        if unit == "h":
            return ngettext("%(count)s h", "%(count)s h", count) % {"count": count}
        return ngettext("%(count)s d", "%(count)s d", count) % {"count": count}
    number = number_format(float(text), 1)
    if unit == "h":
        # Translators: a fraction of hours, such as 5.5.
        return gettext("%(number)s h") % {"number": number}
    # Translators: a fraction of days, such as 3.2.
    return gettext("%(number)s d") % {"number": number}


def hours(seconds: float) -> float:
    """A duration in hours to two decimals, as the CSV gives it (spreadsheets sum hours)."""
    return round(seconds / 3600, 2)
