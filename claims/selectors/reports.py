"""Time in each stage: the report of how long claims waited, were worked in review and
took to a decision, by week, fact-checker or topic (`claims.stages` holds the rules and
the arithmetic; this module reads the history they work on).

Every figure comes from two or three queries, whatever the number of claims: the
transition rows of the claims that ended a stage in the range, read in one query with
each claim's logging time and the mover's name, then the topics of those claims when
the report is by topic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from claims import localwording
from claims.models import DECIDED, Claim, ClaimEvent, Status, Topic
from claims.stages import Duration, Move, Stage, Summary, durations, hours, table, week_of
from claims.typing import Actor

WEEK, CHECKER, TOPIC = "week", "checker", "topic"
GROUPINGS = {
    WEEK: gettext_lazy("Week"),
    CHECKER: gettext_lazy("Fact-checker"),
    TOPIC: gettext_lazy("Topic"),
}
# The longest range a report reads: a year of weeks.
MAX_WEEKS = 53
# The moves that can end a stage: taking a claim, and deciding it.
_ENDING = (Status.IN_REVIEW, *DECIDED)


def day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of `day` in the desk's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def stage_durations(
    *,
    user: Actor,
    start: dt.datetime,
    end: dt.datetime,
    topic: Topic | None = None,
    decisions_only: bool = False,
) -> tuple[list[Duration], dict[int, str]]:
    """Every stage that ended in [start, end) on a claim the user may see (with `topic`:
    on a claim of that topic), and the names of the people who ended them, by id. One
    query: the claims' whole transition history is read, as a spell that ends in the
    range may have begun before it."""
    claims: QuerySet[Claim] = Claim.objects.visible_to(user)
    if topic is not None:
        claims = claims.filter(topics=topic)
    ending = (*DECIDED,) if decisions_only else _ENDING
    ended_here = ClaimEvent.objects.filter(
        kind=ClaimEvent.Kind.TRANSITION,
        to_status__in=ending,
        at__gte=start,
        at__lt=end,
        claim__in=claims,
    ).values("claim_id")
    rows = (
        ClaimEvent.objects.filter(kind=ClaimEvent.Kind.TRANSITION, claim_id__in=ended_here)
        .order_by("claim_id", "at", "id")
        .values_list(
            "claim_id", "to_status", "at", "actor_id", "actor__username", "claim__created_at"
        )
    )
    found: list[Duration] = []
    names: dict[int, str] = {}
    # Read whole: a server-side cursor's round trips cost more than the rows' memory.
    for claim_id, history in groupby(rows, key=lambda r: r[0]):
        moves = list(_moves(history, names))
        found.extend(d for d in durations(claim_id, moves) if start <= d.ended_at < end)
    return found, names


def _moves(history: Iterable[tuple[Any, ...]], names: dict[int, str]) -> Iterator[Move]:
    first = True
    for _, status, at, actor_id, username, created_at in history:
        if first:
            # Every claim is logged as new (`claim_create`); its history starts there.
            yield Move(Status.NEW, created_at)
            first = False
        if actor_id is not None:
            names[actor_id] = username
        yield Move(status, at, actor_id)


# ---------------------------------------------------------------------------
# The report page and its CSV


@dataclass(frozen=True)
class ReportRow:
    key: Any
    label: str
    stages: dict[Stage, Summary]

    def cell(self, stage: Stage) -> Summary | None:
        return self.stages.get(stage)

    @property
    def cells(self) -> list[Summary | None]:
        """The summaries in `Stage` order, None where nothing ended."""
        return [self.stages.get(stage) for stage in Stage]


@dataclass(frozen=True)
class StageReport:
    by: str
    first_day: dt.date
    last_day: dt.date
    rows: list[ReportRow]
    total: ReportRow

    @property
    def stages(self) -> tuple[Stage, ...]:
        return tuple(Stage)

    @property
    def group_label(self) -> str:
        return str(GROUPINGS[self.by])


def stage_report(
    *,
    user: Actor,
    first_day: dt.date,
    last_day: dt.date,
    by: str = WEEK,
    checker: Any = None,
    topic: Topic | None = None,
) -> StageReport:
    """The stages that ended from `first_day` to `last_day` (whole days in the desk's
    time zone), grouped `by` week, fact-checker or topic; with `checker` (a user),
    only the stages that person ended. Weeks with nothing in them are listed too, so
    that a quiet week shows as one. Two queries, three by topic."""
    if by not in GROUPINGS:
        raise ValueError(f"Unknown grouping {by!r}.")
    start, end = day_start(first_day), day_start(last_day + dt.timedelta(days=1))
    found, names = stage_durations(user=user, start=start, end=end, topic=topic)
    if checker is not None:
        found = [d for d in found if d.actor == checker.pk]
    total = ReportRow(None, gettext("All"), table(found, lambda d: [None]).get(None, {}))
    if by == WEEK:
        rows = _by_week(found, first_day, last_day)
    elif by == CHECKER:
        grouped = table(found, lambda d: [d.actor])
        rows = sorted(
            (ReportRow(k, names.get(k, "") if k else "nobody", v) for k, v in grouped.items()),
            key=lambda r: (r.key is None, r.label.lower()),
        )
    else:
        rows = _by_topic(found, user)
    return StageReport(by, first_day, last_day, rows, total)


def _by_week(found: list[Duration], first_day: dt.date, last_day: dt.date) -> list[ReportRow]:
    here = timezone.get_current_timezone()  # asked once: per duration it was the report's cost
    grouped = table(found, lambda d: [week_of(d.ended_at.astimezone(here).date())])
    rows = []
    week = week_of(first_day)
    while week <= last_day:
        label = gettext("Week of %(day)s") % {"day": localwording.format_date(week)}
        rows.append(ReportRow(week, label, grouped.get(week, {})))
        week += dt.timedelta(days=7)
    return rows


def _by_topic(found: list[Duration], user: Actor) -> list[ReportRow]:
    ids = {d.claim for d in found}
    topics: dict[int, list[int | None]] = {}
    labels: dict[int | None, str] = {None: gettext("No topic")}
    if ids:
        links = Claim.topics.through.objects.filter(
            claim_id__in=Claim.objects.visible_to(user).filter(pk__in=ids).values("pk")
        ).values_list("claim_id", "topic_id", "topic__name")
        for claim_id, topic_id, name in links:
            topics.setdefault(claim_id, []).append(topic_id)
            labels[topic_id] = name
    grouped = table(found, lambda d: topics.get(d.claim, [None]))
    rows = [ReportRow(k, labels[k], v) for k, v in grouped.items()]
    return sorted(rows, key=lambda r: (r.key is None, r.label.lower()))


def report_columns() -> list[str]:
    """The CSV's columns: the group, then count, median and 90th percentile in hours for
    each stage, as the page's table has them."""
    columns = ["group"]
    for stage in Stage:
        columns += [f"{stage}_count", f"{stage}_median_hours", f"{stage}_p90_hours"]
    return columns


def report_csv_rows(report: StageReport) -> Iterator[list[Any]]:
    """The table's rows in `report_columns` order, the total last; hours to two decimals."""
    for row in [*report.rows, report.total]:
        out: list[Any] = [row.label]
        for stage in Stage:
            cell = row.cell(stage)
            out += [cell.count, hours(cell.median), hours(cell.p90)] if cell else [0, "", ""]
        yield out


def report_topics(*, user: Actor) -> QuerySet[Topic]:
    """The topics a report may be narrowed to."""
    return Topic.objects.visible_to(user).order_by("name")
