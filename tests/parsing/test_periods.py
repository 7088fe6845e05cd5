"""The DESIGN time-frame table, row by row, read against Thursday 2014-02-13."""

from __future__ import annotations

from datetime import date

from claims.parsing import parse_time_frame

D = date(2014, 2, 13)


def _frame(words: str) -> tuple[str, str, str]:
    f = parse_time_frame(words, D)
    assert f is not None, words
    return f.start.isoformat(), f.end.isoformat(), f.kind


def test_it_reads_today_and_the_days_own_weekday() -> None:
    assert _frame("today") == ("2014-02-13", "2014-02-13", "day")
    assert _frame("on Thursday") == ("2014-02-13", "2014-02-13", "day")


def test_it_reads_yesterday() -> None:
    assert _frame("yesterday") == ("2014-02-12", "2014-02-12", "day")


def test_it_reads_every_weekday_as_the_latest_on_or_before() -> None:
    expected = {
        "Monday": "2014-02-10",
        "Tuesday": "2014-02-11",
        "Wednesday": "2014-02-12",
        "Thursday": "2014-02-13",
        "Friday": "2014-02-07",
        "Saturday": "2014-02-08",
        "Sunday": "2014-02-09",
    }
    for day, iso in expected.items():
        assert _frame(f"on {day}") == (iso, iso, "day")


def test_it_reads_explicit_dates_in_the_reports_year_or_the_one_before() -> None:
    assert _frame("on Feb. 12") == ("2014-02-12", "2014-02-12", "day")
    assert _frame("on February 12") == ("2014-02-12", "2014-02-12", "day")
    assert _frame("on 12 February 2014") == ("2014-02-12", "2014-02-12", "day")
    assert _frame("on Dec. 24") == ("2013-12-24", "2013-12-24", "day")
    assert _frame("on Sept. 3") == ("2013-09-03", "2013-09-03", "day")


def test_it_reads_this_week_month_and_year_to_date() -> None:
    assert _frame("this week") == ("2014-02-10", "2014-02-13", "to_date")
    assert _frame("so far this week") == ("2014-02-10", "2014-02-13", "to_date")
    assert _frame("this month") == ("2014-02-01", "2014-02-13", "to_date")
    assert _frame("so far this month") == ("2014-02-01", "2014-02-13", "to_date")
    assert _frame("since the start of the month") == ("2014-02-01", "2014-02-13", "to_date")
    assert _frame("since the beginning of this month") == ("2014-02-01", "2014-02-13", "to_date")
    assert _frame("this year") == ("2014-01-01", "2014-02-13", "to_date")
    assert _frame("so far this year") == ("2014-01-01", "2014-02-13", "to_date")


def test_it_reads_since_a_day_a_month_or_a_year() -> None:
    assert _frame("since Monday") == ("2014-02-10", "2014-02-13", "to_date")
    assert _frame("since Feb. 1") == ("2014-02-01", "2014-02-13", "to_date")
    assert _frame("since March 2011") == ("2011-03-01", "2014-02-13", "to_date")
    assert _frame("since 2011") == ("2011-01-01", "2014-02-13", "to_date")
    assert _frame("since mid-2012") == ("2012-07-01", "2014-02-13", "to_date")
    assert _frame("since the beginning of February") == ("2014-02-01", "2014-02-13", "to_date")


def test_it_reads_the_past_hours_and_days_as_spans() -> None:
    assert _frame("in the past 24 hours") == ("2014-02-12", "2014-02-13", "span")
    assert _frame("in the last 24 hours") == ("2014-02-12", "2014-02-13", "span")
    assert _frame("in the past three days") == ("2014-02-10", "2014-02-13", "span")
    assert _frame("the past week") == ("2014-02-06", "2014-02-13", "span")


def test_it_reads_last_week_and_last_month_as_calendar_spans() -> None:
    assert _frame("last week") == ("2014-02-03", "2014-02-09", "span")
    assert _frame("last month") == ("2014-01-01", "2014-01-31", "span")


def test_it_reads_the_weekend_before() -> None:
    assert _frame("over the weekend") == ("2014-02-08", "2014-02-09", "span")


def test_it_reads_a_whole_month_or_year() -> None:
    assert _frame("in February") == ("2014-02-01", "2014-02-28", "span")
    assert _frame("in February 2014") == ("2014-02-01", "2014-02-28", "span")
    assert _frame("in March") == ("2013-03-01", "2013-03-31", "span")
    assert _frame("in 2013") == ("2013-01-01", "2013-12-31", "span")


def test_it_reads_date_ranges() -> None:
    assert _frame("between Feb. 1 and Feb. 12") == ("2014-02-01", "2014-02-12", "span")
    assert _frame("from Jan. 5 to Jan. 9") == ("2014-01-05", "2014-01-09", "span")
    assert _frame("between 1 and 12 February") == ("2014-02-01", "2014-02-12", "span")


def test_it_finds_no_period_where_there_is_none() -> None:
    assert parse_time_frame("so the talks went on", D) is None
    assert parse_time_frame("at least 51 people were killed", D) is None
    assert parse_time_frame("since the war began", D) is None
    assert parse_time_frame("Feb. 30", D) is None
