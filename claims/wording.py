"""How the desk words a figure, a period and a claim's sources, everywhere it shows them:
flag messages (`checks.messages`), the pages, the timeline and the draft check.

"about 400", "at least 51", "20 to 30", "more than 1,000"; "12 Feb 2014",
"1–13 Feb 2014 (to date)". The stored intervals are read back into the words an
editor would have written. Plain Python, no Django: the pure checks import it.

How wide "about" is comes from the check policy; every function that reads "about"
back takes it as `tolerance`, so that the words agree with how the figure was stored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The vague quantities the parser reads ("dozens", "hundreds"), read back.
VAGUE_WORDS: dict[tuple[int, int], str] = {
    (12, 12): "a dozen",
    (24, 99): "dozens",
    (200, 999): "hundreds",
    (2000, 9999): "thousands",
    (20000, 99999): "tens of thousands",
}

# The words around a figure's numbers, as templates with named places; the Django side
# passes the reader's language (claims.localwording), the pure checks keep these.
FIGURE_WORDS: dict[str, str] = {
    "million": "%(millions)s million",
    "more_than": "more than %(number)s",
    "at_least": "at least %(number)s",
    "fewer_than": "fewer than %(number)s",
    "up_to": "up to %(number)s",
    "range": "%(low)s to %(high)s",
    "about": "about %(number)s",
    "nearly": "nearly %(number)s",
    "or_more": "%(number)s or more",
    **{f"vague_{low}_{high}": words for (low, high), words in VAGUE_WORDS.items()},
}


def sentence(text: str) -> str:
    """Capitalise the first letter, as a message may open with "activists" or "about 400"."""
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------------
# Figures


def format_number(number: int, words: Mapping[str, str] = FIGURE_WORDS) -> str:
    """1200 -> "1,200"; round millions as copy writes them: 1500000 -> "1.5 million"."""
    if number >= 1_000_000 and number % 100_000 == 0:
        millions = f"{number / 1_000_000:.1f}".removesuffix(".0")
        return words["million"] % {"millions": millions}
    return f"{number:,}"


def format_quantity(
    low: int | None,
    high: int | None,
    qualifier: str | None,
    tolerance: float,
    words: Mapping[str, str] = FIGURE_WORDS,
) -> str:
    """An interval in the words of copy: [51, None] -> "at least 51"."""
    low = low if low is not None else 0

    def number(value: int) -> str:
        return format_number(value, words)

    if high is None:
        if qualifier == "more_than" and low > 0:
            return words["more_than"] % {"number": number(low - 1)}
        return words["at_least"] % {"number": number(low)}
    if low == high:
        return words["vague_12_12"] if qualifier == "vague" and low == 12 else number(low)
    if qualifier == "vague" and (low, high) in VAGUE_WORDS:
        return words[f"vague_{low}_{high}"]
    if qualifier == "approx":
        approx = _approximate_words(low, high, tolerance, words)
        if approx:
            return approx
    if low == 0:
        if qualifier == "fewer_than":
            return words["fewer_than"] % {"number": number(high + 1)}
        return words["up_to"] % {"number": number(high)}
    return words["range"] % {"low": number(low), "high": number(high)}


def format_figure(
    low: int | None,
    high: int | None,
    qualifier: str | None,
    tolerance: float,
    words: Mapping[str, str] = FIGURE_WORDS,
) -> str:
    """A stored claim's figure in the words of copy, or "" for a claim without one."""
    if low is None:
        return ""
    return format_quantity(low, high, qualifier or None, tolerance, words)


def _approximate_words(
    low: int, high: int, tolerance: float, words: Mapping[str, str] = FIGURE_WORDS
) -> str:
    # "about 400" was stored as [360, 440] and "nearly 400" as [360, 400]; a
    # unit of slack covers the rounding done when they were stored.
    middle = round((low + high) / 2)
    if abs((high - low) - 2 * tolerance * middle) <= 1:
        return words["about"] % {"number": format_number(middle, words)}
    if abs(low - high * (1 - tolerance)) <= 1:
        return words["nearly"] % {"number": format_number(high, words)}
    return ""


def interval_words(low: int, high: int | None, words: Mapping[str, str] = FIGURE_WORDS) -> str:
    """An interval as recorded, with no qualifier to read back: "250 to 400"."""
    if high is None:
        return words["at_least"] % {"number": format_number(low, words)}
    if high == low:
        return format_number(low, words)
    return words["range"] % {
        "low": format_number(low, words),
        "high": format_number(high, words),
    }


def interval_text(
    low: int | None, high: int | None, words: Mapping[str, str] = FIGURE_WORDS
) -> str:
    """The stored bounds as numbers, shown beside the words: "360–440", "51 or more"."""
    if low is None:
        return ""
    if high is None:
        return words["or_more"] % {"number": f"{low:,}"}
    if high == low:
        return f"{low:,}"
    return f"{low:,}–{high:,}"


# ---------------------------------------------------------------------------
# Dates and periods


def english_month(month: int) -> str:
    return MONTHS[month - 1]


# `month` names a month (1-12) short, as the reader's language writes it; the Django side
# passes one that translates (claims.localwording), the pure checks keep English.
def format_date(day: date, month: Callable[[int], str] = english_month) -> str:
    return f"{day.day} {month(day.month)} {day.year}"


def format_datetime(moment: datetime) -> str:
    return format_date(moment.date())


def period_dates(start: date, end: date | None, month: Callable[[int], str] = english_month) -> str:
    """ "12 Feb 2014", "1–13 Feb 2014", "28 Jan – 3 Feb 2014", "1 Mar 2011 – 13 Feb 2014"."""
    end = end or start
    if start == end:
        return format_date(start, month)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{format_date(end, month)}"
    if start.year == end.year:
        return f"{start.day} {month(start.month)} – {format_date(end, month)}"
    return f"{format_date(start, month)} – {format_date(end, month)}"


def format_period(
    start: date | None,
    end: date | None,
    kind: str | None,
    month: Callable[[int], str] = english_month,
    to_date: str = "%(dates)s (to date)",
) -> str:
    """The dates with what they count: "1–13 Feb 2014 (to date)"; "" for no period.
    `to_date` words a running count's period (%(dates)s in it)."""
    if start is None:
        return ""
    text = period_dates(start, end, month)
    return to_date % {"dates": text} if kind == "to_date" else text


# ---------------------------------------------------------------------------
# Sources


def sources_text(names: Iterable[str]) -> str:
    """A claim's sources by name, each once, in a stable order: "OCHA, SOHR"."""
    return ", ".join(sorted(set(names)))
