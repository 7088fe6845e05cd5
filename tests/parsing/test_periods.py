"""The DESIGN time-frame table, row by row, read against Thursday 2014-02-13."""

from __future__ import annotations

from datetime import date

from claims.parsing import parse_time_frame
from claims.parsing.periods import find_time_frames
from claims.parsing.tokens import tokenize

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


def _on(words: str, reported: date) -> tuple[str, str, str] | None:
    f = parse_time_frame(words, reported)
    return None if f is None else (f.start.isoformat(), f.end.isoformat(), f.kind)


def test_it_reads_since_a_clause_that_ends_in_a_date_as_a_running_count() -> None:
    d = date(2023, 11, 20)
    assert _on("since the violence began on Oct. 7", d) == ("2023-10-07", "2023-11-20", "to_date")
    assert _on("since Hamas attacked on Oct. 7", d) == ("2023-10-07", "2023-11-20", "to_date")
    assert _on("since the war broke out in October", d) == ("2023-10-01", "2023-11-20", "to_date")
    assert _on("since the Oct. 7 attack", d) == ("2023-10-07", "2023-11-20", "to_date")
    assert _on("since Oct. 7", d) == ("2023-10-07", "2023-11-20", "to_date")
    k = date(2022, 3, 5)
    assert _on("since Russia invaded on Feb. 24", k) == ("2022-02-24", "2022-03-05", "to_date")
    assert _on("since Moscow's forces invaded Ukraine on Thursday", k) == (
        "2022-03-03",
        "2022-03-05",
        "to_date",
    )
    s = date(2024, 2, 1)
    assert _on("since the war began in April 2023", s) == ("2023-04-01", "2024-02-01", "to_date")
    assert _on("since the start of the war on April 15", s) == (
        "2023-04-15",
        "2024-02-01",
        "to_date",
    )
    assert _on("since fighting erupted in mid-April", s) == ("2023-04-15", "2024-02-01", "to_date")
    assert _on("since the protests began a week ago", s) == ("2024-01-25", "2024-02-01", "to_date")
    assert _on("since the war began two months ago", s) == ("2023-12-01", "2024-02-01", "to_date")


def test_it_finds_no_start_in_a_since_clause_without_a_date() -> None:
    d = date(2023, 11, 20)
    assert _on("since the war began, officials said", d) is None
    assert _on("since the start of the war in Gaza", d) is None
    # The count inside the clause is the clause's own: "on Monday" is its day.
    assert _on("since 40 people were killed on Monday", d) == ("2023-11-20", "2023-11-20", "day")


def test_it_reads_a_since_date_on_its_anniversary_as_a_year_back() -> None:
    d = date(2024, 10, 7)
    assert _on("in the year since the Oct. 7 attack", d) == ("2023-10-07", "2024-10-07", "to_date")
    assert _on("since Monday", d) == ("2024-10-07", "2024-10-07", "to_date")


def test_it_reads_halves_quarters_and_first_months_of_a_year() -> None:
    d = date(2023, 9, 14)
    assert _on("in the first half of 2023", d) == ("2023-01-01", "2023-06-30", "span")
    assert _on("in the second half of 2022", d) == ("2022-07-01", "2022-12-31", "span")
    assert _on("during the first quarter", d) == ("2023-01-01", "2023-03-31", "span")
    assert _on("in the third quarter of 2021", d) == ("2021-07-01", "2021-09-30", "span")
    assert _on("in Q1", d) == ("2023-01-01", "2023-03-31", "span")
    assert _on("in Q4 2022", d) == ("2022-10-01", "2022-12-31", "span")
    assert _on("in H1 2023", d) == ("2023-01-01", "2023-06-30", "span")
    assert _on("in the first three months of the year", d) == ("2023-01-01", "2023-03-31", "span")
    assert _on("in the first nine months of last year", d) == ("2022-01-01", "2022-09-30", "span")
    assert _on("in the last three months of 2022", d) == ("2022-10-01", "2022-12-31", "span")
    # A half that has not begun by the report date is last year's.
    early = date(2024, 3, 2)
    assert _on("in the second half", early) == ("2023-07-01", "2023-12-31", "span")
    assert _on("in the fourth quarter", early) == ("2023-10-01", "2023-12-31", "span")


def test_it_reads_weeks_and_days_inside_a_month() -> None:
    d = date(2024, 3, 20)
    assert _on("in the first week of March", d) == ("2024-03-01", "2024-03-07", "span")
    assert _on("in the second week of February", d) == ("2024-02-08", "2024-02-14", "span")
    assert _on("in the last week of February", d) == ("2024-02-23", "2024-02-29", "span")
    assert _on("in the first 10 days of the month", d) == ("2024-03-01", "2024-03-10", "span")
    assert _on("on the last day of February", d) == ("2024-02-29", "2024-02-29", "day")
    assert _on("in the first days of the war", d) is None
    # "last week" alone is still the calendar week before.
    assert _on("last week", d) == ("2024-03-11", "2024-03-17", "span")


def test_it_reads_the_last_hours_and_days_after_any_preposition() -> None:
    d = date(2021, 5, 16)
    assert _on("during the last 24 hours", d) == ("2021-05-15", "2021-05-16", "span")
    assert _on("over the past 48 hours", d) == ("2021-05-14", "2021-05-16", "span")
    assert _on("within the past two weeks", d) == ("2021-05-02", "2021-05-16", "span")
    assert _on("in just seven days", d) == ("2021-05-09", "2021-05-16", "span")
    assert _on("in the past decade", d) == ("2011-05-16", "2021-05-16", "span")
    assert _on("in two days of fighting", d) is None
    assert _on("in the previous 24 hours", d) == ("2021-05-15", "2021-05-16", "span")
    assert _on("for all of 2020", d) == ("2020-01-01", "2020-12-31", "span")
    assert _on("the whole of April", d) == ("2021-04-01", "2021-04-30", "span")


def test_it_reads_the_week_to_a_day_as_the_seven_days_ending_it() -> None:
    d = date(2022, 1, 12)
    assert _on("in the week to Jan. 9", d) == ("2022-01-03", "2022-01-09", "span")
    assert _on("in the week to Friday", d) == ("2022-01-01", "2022-01-07", "span")
    assert _on("the seven days ending Sunday", d) == ("2022-01-03", "2022-01-09", "span")
    assert _on("the 12 months to June", d) == ("2020-07-01", "2021-06-30", "span")
    assert _on("the year to date", d) == ("2022-01-01", "2022-01-12", "to_date")


def test_it_reads_a_war_of_stated_length_as_running_from_that_year() -> None:
    # The copy gives the length, not the start: 1 January of the year it points to, as
    # "since 2011" would read.
    d = date(2024, 3, 15)
    assert _on("Syria's 13-year conflict has killed", d) == ("2011-01-01", "2024-03-15", "to_date")
    assert _on("in the nearly three-year-old war, which has", d) == (
        "2021-01-01",
        "2024-03-15",
        "to_date",
    )
    assert _on("13 years of civil war have killed", d) == ("2011-01-01", "2024-03-15", "to_date")
    assert _on("the 10-month war has displaced", date(2024, 8, 5)) == (
        "2023-10-01",
        "2024-08-05",
        "to_date",
    )


def test_it_gives_no_period_to_a_war_that_is_over() -> None:
    d = date(2025, 3, 8)
    assert _on("Nearly 14 years of civil war killed half a million people", d) is None
    assert _on("killed during the two-year war in Tigray", d) is None
    assert _on("during the 50-day conflict", d) is None
    assert _on("a 13-year-old boy has died", d) is None


def test_it_reads_overnight_as_the_night_before_the_report() -> None:
    d = date(2023, 7, 20)  # a Thursday
    assert _on("overnight", d) == ("2023-07-19", "2023-07-20", "span")
    assert _on("overnight into Tuesday", d) == ("2023-07-17", "2023-07-18", "span")
    assert _on("overnight Sunday", d) == ("2023-07-16", "2023-07-17", "span")
    assert _on("overnight on Thursday", d) == ("2023-07-19", "2023-07-20", "span")
    assert _on("fled overnight to Poland", d) == ("2023-07-19", "2023-07-20", "span")
    # Across a year boundary.
    assert _on("overnight", date(2024, 1, 1)) == ("2023-12-31", "2024-01-01", "span")


def test_it_reads_the_night_of_a_date_as_that_day() -> None:
    d = date(2023, 2, 8)
    assert _on("on the night of Feb. 5", d) == ("2023-02-05", "2023-02-05", "day")
    assert _on("on the night of Feb. 5-6", d) == ("2023-02-05", "2023-02-06", "span")
    assert _on("on the night of Sunday to Monday", d) == ("2023-02-05", "2023-02-06", "span")


def test_it_reads_early_mid_and_late_as_thirds() -> None:
    d = date(2019, 1, 10)
    assert _on("late last month", d) == ("2018-12-21", "2018-12-31", "span")
    assert _on("early last month", d) == ("2018-12-01", "2018-12-10", "span")
    assert _on("in mid-November", d) == ("2018-11-11", "2018-11-20", "span")
    assert _on("in late February 2018", d) == ("2018-02-21", "2018-02-28", "span")
    assert _on("in early 2018", d) == ("2018-01-01", "2018-04-30", "span")
    assert _on("by late 2018", d) is not None
    assert _on("earlier this month", d) == ("2019-01-01", "2019-01-10", "span")
    assert _on("earlier this year", d) == ("2019-01-01", "2019-01-10", "span")


def test_it_reads_days_counted_from_another_day_of_the_sentence() -> None:
    d = date(2023, 3, 1)  # a Wednesday
    assert _on("the previous day", d) == ("2023-02-28", "2023-02-28", "day")
    assert _on("two days earlier", d) == ("2023-02-27", "2023-02-27", "day")
    assert _on("a week ago", d) == ("2023-02-22", "2023-02-22", "day")
    assert _on("the day before yesterday", d) == ("2023-02-27", "2023-02-27", "day")
    frames = find_time_frames(
        tokenize(text := "said on Monday that 30 had been killed the previous day"), text, d
    )
    assert [(f[2].start.isoformat(), f[2].kind) for f in frames] == [
        ("2023-02-27", "day"),
        ("2023-02-26", "day"),
    ]
    frames = find_time_frames(
        tokenize(text := "A strike on Sunday killed 12 and a second one killed 5 a day later"),
        text,
        d,
    )
    assert [f[2].start.isoformat() for f in frames] == ["2023-02-26", "2023-02-27"]
    # Forward with nothing to count from: no period.
    assert _on("the following day", d) is None


def test_it_reads_parts_of_today() -> None:
    d = date(2020, 8, 4)
    assert _on("this morning", d) == ("2020-08-04", "2020-08-04", "day")
    assert _on("earlier today", d) == ("2020-08-04", "2020-08-04", "day")
    assert _on("late on Monday", d) == ("2020-08-03", "2020-08-03", "day")
    assert _on("Monday night", d) == ("2020-08-03", "2020-08-03", "day")


def test_it_reads_ranges_and_pairs_of_dates() -> None:
    d = date(2024, 1, 5)
    assert _on("between Dec. 28 and Jan. 3", d) == ("2023-12-28", "2024-01-03", "span")
    assert _on("from Dec. 1 to Dec. 15", d) == ("2023-12-01", "2023-12-15", "span")
    assert _on("from January to March 2022", d) == ("2022-01-01", "2022-03-31", "span")
    assert _on("from November to February 2023", d) == ("2022-11-01", "2023-02-28", "span")
    assert _on("on Saturday and Sunday", d) == ("2023-12-30", "2023-12-31", "span")
    assert _on("in 2001 and 2002", d) == ("2001-01-01", "2002-12-31", "span")
    assert _on("on Dec. 29 and 30", d) == ("2023-12-29", "2023-12-30", "span")
    assert _on("overnight and on Friday", d) == ("2024-01-04", "2024-01-05", "span")


def test_it_reads_dates_across_the_turn_of_the_year() -> None:
    d = date(2025, 1, 3)  # a Friday
    assert _on("on Dec. 30", d) == ("2024-12-30", "2024-12-30", "day")
    assert _on("last month", d) == ("2024-12-01", "2024-12-31", "span")
    assert _on("in December", d) == ("2024-12-01", "2024-12-31", "span")
    assert _on("last week", d) == ("2024-12-23", "2024-12-29", "span")
    assert _on("this week", d) == ("2024-12-30", "2025-01-03", "to_date")
    assert _on("on Monday", d) == ("2024-12-30", "2024-12-30", "day")
    assert _on("since the start of the year", d) == ("2025-01-01", "2025-01-03", "to_date")
    assert _on("so far in 2024", d) == ("2024-01-01", "2025-01-03", "to_date")
    assert _on("last year", d) == ("2024-01-01", "2024-12-31", "span")
    assert _on("on New Year's Eve", d) == ("2024-12-31", "2024-12-31", "day")
    assert _on("the Christmas Day strike", d) == ("2024-12-25", "2024-12-25", "day")


def test_it_reads_a_year_that_names_an_event() -> None:
    d = date(2023, 2, 8)
    assert _on("A 1999 earthquake killed", d) == ("1999-01-01", "1999-12-31", "span")
    assert _on("the 2004 tsunami", d) == ("2004-01-01", "2004-12-31", "span")
    assert _on("the 1990s", d) is None
    assert _on("the 2000 refugees who arrived", d) is None


def test_it_skips_times_still_to_come() -> None:
    d = date(2024, 5, 6)
    assert _on("talks resume next week", d) is None
    assert _on("the vote is due next Monday", d) is None
    assert _on("a report expected later this month", d) is None


def test_a_weekday_range_never_runs_backwards() -> None:
    # Read on a Tuesday, "between Monday and Wednesday" is last week's.
    frame = parse_time_frame("between Monday and Wednesday", date(2024, 5, 7))
    assert frame is not None
    assert (frame.start, frame.end, frame.kind) == (date(2024, 4, 29), date(2024, 5, 1), "span")
