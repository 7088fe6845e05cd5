"""choose_frame: which time expression of a sentence belongs to which count.

Each sentence is read against its report date; the count is named by its figure as written.
"""

from __future__ import annotations

from datetime import date

from claims.parsing.frames import choose_frame
from claims.parsing.periods import find_time_frames
from claims.parsing.tokens import tokenize

Frame = tuple[str, str, str] | None


def _frame(text: str, reported: date, figure: str | None) -> Frame:
    tokens = tokenize(text)
    anchor = None
    if figure is not None:
        anchor = next(k for k, t in enumerate(tokens) if t.text == figure)
    frame = choose_frame(tokens, find_time_frames(tokens, text, reported), anchor)
    return None if frame is None else (frame.start.isoformat(), frame.end.isoformat(), frame.kind)


def test_it_gives_a_period_count_and_a_running_total_each_their_own() -> None:
    text = "Some 120 migrants died last month, for a total of 1,450 dead so far this year."
    d = date(2023, 6, 8)
    assert _frame(text, d, "120") == ("2023-05-01", "2023-05-31", "span")
    assert _frame(text, d, "1,450") == ("2023-01-01", "2023-06-08", "to_date")


def test_it_reads_the_same_in_january() -> None:
    text = "Police said 31 people died in December, for a total of 402 killed so far this year."
    d = date(2019, 1, 4)
    assert _frame(text, d, "31") == ("2018-12-01", "2018-12-31", "span")
    assert _frame(text, d, "402") == ("2019-01-01", "2019-01-04", "to_date")


def test_it_keeps_a_totals_period_to_the_total() -> None:
    text = "Twelve people were killed, bringing the toll this month to 85, the governor said."
    d = date(2016, 8, 20)
    assert _frame(text, d, "Twelve") is None
    assert _frame(text, d, "85") == ("2016-08-01", "2016-08-20", "to_date")


def test_it_gives_a_total_only_a_running_period_from_outside_its_clause() -> None:
    d = date(2023, 11, 20)
    text = "Strikes killed 40 people in the past 24 hours, raising the toll to 13,000."
    assert _frame(text, d, "40") == ("2023-11-19", "2023-11-20", "span")
    assert _frame(text, d, "13,000") is None
    text = "Since the war began on Oct. 7, 40 died on Monday, bringing the toll to 13,000."
    assert _frame(text, d, "40") == ("2023-11-20", "2023-11-20", "day")
    assert _frame(text, d, "13,000") == ("2023-10-07", "2023-11-20", "to_date")


def test_it_gives_coordinated_counts_the_frame_they_share() -> None:
    text = "At least 10,582 civilians have been killed and 19,875 injured since February 2022."
    d = date(2024, 2, 22)
    assert _frame(text, d, "10,582") == ("2022-02-01", "2024-02-22", "to_date")
    assert _frame(text, d, "19,875") == ("2022-02-01", "2024-02-22", "to_date")


def test_it_gives_each_day_its_count() -> None:
    text = "Officials said 14 were killed on Monday, 22 on Tuesday and 9 on Wednesday."
    d = date(2024, 7, 11)
    assert _frame(text, d, "14") == ("2024-07-08", "2024-07-08", "day")
    assert _frame(text, d, "22") == ("2024-07-09", "2024-07-09", "day")
    assert _frame(text, d, "9") == ("2024-07-10", "2024-07-10", "day")


def test_it_gives_each_conjunct_its_own_day() -> None:
    text = "At least 8 people died on Christmas Day and 12 more on Boxing Day, police said."
    d = date(2019, 12, 31)
    assert _frame(text, d, "8") == ("2019-12-25", "2019-12-25", "day")
    assert _frame(text, d, "12") == ("2019-12-26", "2019-12-26", "day")


def test_it_reads_a_change_from_the_day_before_as_no_period() -> None:
    text = "The virus has killed 2,870 people, up 35 from the previous day, officials said."
    assert _frame(text, date(2020, 3, 1), "2,870") is None


def test_it_counts_the_following_day_from_the_day_before_it() -> None:
    text = "Police detained 120 protesters on Wednesday and 85 more the following day."
    d = date(2020, 9, 11)
    assert _frame(text, d, "120") == ("2020-09-09", "2020-09-09", "day")
    assert _frame(text, d, "85") == ("2020-09-10", "2020-09-10", "day")


def test_it_moves_the_same_period_to_the_year_it_names() -> None:
    d = date(2023, 2, 27)
    text = (
        "More than 14,000 migrants arrived so far this year, up from 5,200 in the same "
        "period of 2022."
    )
    assert _frame(text, d, "14,000") == ("2023-01-01", "2023-02-27", "to_date")
    assert _frame(text, d, "5,200") == ("2022-01-01", "2022-02-27", "span")
    text = "In January, 310 people died, against 280 in the same period last year."
    assert _frame(text, d, "280") == ("2022-01-01", "2022-01-31", "span")
    text = "Some 280 people died in the same period a year earlier."
    assert _frame(text, d, "280") is None


def test_it_lets_a_part_inherit_the_main_period() -> None:
    text = "More than 10,000 Palestinians have been killed since Oct. 7, including 4,104 children."
    d = date(2023, 11, 6)
    assert _frame(text, d, "4,104") == ("2023-10-07", "2023-11-06", "to_date")


def test_it_keeps_a_parts_own_day_to_the_part() -> None:
    text = (
        "The group said 123 people were killed in the province, many of them in the city "
        "of Zahedan on Sept. 30."
    )
    assert _frame(text, date(2022, 11, 12), "123") is None


def test_it_never_takes_the_day_of_a_statement() -> None:
    d = date(2024, 2, 14)  # a Wednesday
    text = "The ministry said on Monday that 40 were killed in the past 24 hours."
    assert _frame(text, d, "40") == ("2024-02-13", "2024-02-14", "span")
    assert _frame("The toll, released on Monday, stood at 300.", d, "300") is None
    assert _frame("The agency said on Tuesday that 28 people had died.", d, "28") is None
    assert _frame("Officials announced on Tuesday that 28 people had died.", d, "28") is None
    text = "A spokesman told reporters in Geneva on Tuesday that 459 people had been killed."
    assert _frame(text, d, "459") is None
    text = "The health ministry on Monday said 52 people were killed."
    assert _frame(text, d, "52") is None
    text = "In a statement issued late on Monday, the army said 17 soldiers had died."
    assert _frame(text, d, "17") is None
    text = "A tally issued by the regional health office on Monday put the toll at 96."
    assert _frame(text, d, "96") is None
    text = "Figures published on Tuesday showed 311 deaths in January."
    assert _frame(text, d, "311") == ("2024-01-01", "2024-01-31", "span")
    text = "As of Monday, 2,400 people had been evacuated."
    assert _frame(text, d, "2,400") is None


def test_it_takes_the_day_of_the_events_whoever_reports_them() -> None:
    d = date(2024, 2, 14)
    assert _frame("40 people were killed on Monday.", d, "40") == (
        "2024-02-12",
        "2024-02-12",
        "day",
    )
    text = "The ministry said 40 people were killed on Monday."
    assert _frame(text, d, "40") == ("2024-02-12", "2024-02-12", "day")
    text = "On Tuesday, gunmen killed 11 villagers, police said."
    assert _frame(text, d, "11") == ("2024-02-13", "2024-02-13", "day")
    text = "Health officials said 33 new cases were recorded on Tuesday."
    assert _frame(text, d, "33") == ("2024-02-13", "2024-02-13", "day")
    text = "The minister announced $300 million in new aid on Tuesday."
    assert _frame(text, d, "300") == ("2024-02-13", "2024-02-13", "day")
    # A tally of the day, the verb's object with its time after it.
    text = "The ministry reported 28 more deaths on Tuesday."
    assert _frame(text, d, "28") == ("2024-02-13", "2024-02-13", "day")


def test_it_takes_the_incident_day_over_the_day_a_toll_was_given() -> None:
    d = date(2023, 9, 12)  # a Tuesday
    text = "The death toll from Friday's quake rose to 2,901 on Tuesday."
    assert _frame(text, d, "2,901") == ("2023-09-08", "2023-09-08", "day")
    text = "The death toll from the missile strike rose to 10 on Tuesday."
    assert _frame(text, d, "10") == ("2023-09-12", "2023-09-12", "day")
    text = "Officials on Tuesday raised the toll from Friday's quake to 2,901."
    assert _frame(text, d, "2,901") == ("2023-09-08", "2023-09-08", "day")


def test_it_leaves_a_speakers_own_day_to_the_speaker() -> None:
    text = "Visiting the province on Wednesday, the president said 9,057 people had died."
    assert _frame(text, date(2023, 2, 8), "9,057") is None


def test_it_gives_a_count_in_an_after_clause_no_later_day() -> None:
    text = "The country declared a cholera outbreak on Monday after 22 deaths."
    assert _frame(text, date(2024, 8, 12), "22") is None
    text = "Bombs killed 15 civilians on Friday, a day after air strikes killed 20 in the town."
    assert _frame(text, date(2016, 8, 20), "20") == ("2016-08-18", "2016-08-18", "day")
    text = "A strike killed 40 people after hitting a market on Monday."
    assert _frame(text, date(2024, 8, 12), "40") == ("2024-08-12", "2024-08-12", "day")


def test_it_reads_a_record_comparison_as_no_period() -> None:
    d = date(2023, 8, 12)
    text = "The fire has killed 93 people, the deadliest in the country since 1918."
    assert _frame(text, d, "93") is None
    text = "The quakes killed 2,053 people, the deadliest to hit the region in two decades."
    assert _frame(text, date(2023, 10, 8), "2,053") is None


def test_it_gives_the_when_clause_the_year_of_since() -> None:
    d = date(2023, 8, 12)
    text = "It was the deadliest fire since 1918, when a blaze in Minnesota killed 453."
    assert _frame(text, d, "453") == ("1918-01-01", "1918-12-31", "span")
    text = "Kidnappings have plagued the region since 2014, when gunmen seized 276 schoolgirls."
    assert _frame(text, date(2024, 3, 8), "276") == ("2014-01-01", "2014-12-31", "span")
    text = (
        "It was the deadliest attack since the March 16 bombing of a theatre, where officials "
        "said about 300 people died."
    )
    assert _frame(text, date(2022, 4, 9), "300") == ("2022-03-16", "2022-03-16", "day")


def test_it_runs_a_count_from_the_day_its_war_began() -> None:
    text = "The war, which began in April 2023, has killed at least 40,000 people."
    assert _frame(text, date(2025, 10, 29), "40,000") == ("2023-04-01", "2025-10-29", "to_date")
    text = "Fighting erupted on Saturday and has killed 97 civilians."
    assert _frame(text, date(2023, 4, 17), "97") == ("2023-04-15", "2023-04-17", "to_date")
    # Without a count the date is the start itself.
    text = "The uprising began in March 2011 with protests in the south."
    assert _frame(text, date(2014, 2, 13), None) == ("2011-03-01", "2011-03-31", "span")


def test_it_reads_the_period_a_question_asks_about() -> None:
    text = "How many people have been killed since the war began in April?"
    assert _frame(text, date(2024, 2, 20), None) == ("2023-04-01", "2024-02-20", "to_date")


def test_it_skips_the_time_of_a_statement_without_a_count() -> None:
    d = date(2024, 2, 12)
    assert _frame("The rebels said on Monday they had taken the town.", d, None) is None
    text = "The envoy announced new aid at a conference in Amman on Monday."
    assert _frame(text, d, None) == ("2024-02-12", "2024-02-12", "day")
