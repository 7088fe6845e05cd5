"""`claims.wording` in the reader's language: the same dates and periods, with the month
named as the active language names it (Django's own month names) and a running count's
period worded through the catalogue. English reads exactly as `claims.wording` writes it;
the pure checks, whose words are stored, keep calling `claims.wording` itself."""

from __future__ import annotations

from datetime import date

from django.utils import dateformat
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext, pgettext_lazy

from claims import wording


def month(number: int) -> str:
    """A month named short in the active language: "Feb" in English."""
    return dateformat.format(date(2000, number, 1), "M")


def format_date(day: date) -> str:
    """ "13 Feb 2014", with the month in the reader's language."""
    return wording.format_date(day, month)


def period_dates(start: date, end: date | None) -> str:
    """ "1–13 Feb 2014", with the months in the reader's language."""
    return wording.period_dates(start, end, month)


def format_period(start: date | None, end: date | None, kind: str | None) -> str:
    """ "1–13 Feb 2014 (to date)" in the reader's language; "" for no period."""
    return wording.format_period(start, end, kind, month, to_date=gettext("%(dates)s (to date)"))


def figure_words() -> dict[str, str]:
    """`wording.FIGURE_WORDS` in the reader's language: the words around a figure."""
    return {
        "million": gettext("%(millions)s million"),
        "more_than": gettext("more than %(number)s"),
        "at_least": gettext("at least %(number)s"),
        "fewer_than": gettext("fewer than %(number)s"),
        "up_to": gettext("up to %(number)s"),
        "range": pgettext("a figure from one number to another", "%(low)s to %(high)s"),
        "about": gettext("about %(number)s"),
        "nearly": gettext("nearly %(number)s"),
        "or_more": gettext("%(number)s or more"),
        "vague_12_12": pgettext("a figure", "a dozen"),
        "vague_24_99": pgettext("a figure", "dozens"),
        "vague_200_999": pgettext("a figure", "hundreds"),
        "vague_2000_9999": pgettext("a figure", "thousands"),
        "vague_20000_99999": pgettext("a figure", "tens of thousands"),
    }


def format_figure(
    low: int | None, high: int | None, qualifier: str | None, tolerance: float
) -> str:
    """A claim's figure in the reader's language: "about 400"; "" for none."""
    return wording.format_figure(low, high, qualifier, tolerance, figure_words())


def format_quantity(
    low: int | None, high: int | None, qualifier: str | None, tolerance: float
) -> str:
    """An interval in the reader's language: [51, None] -> "at least 51"."""
    return wording.format_quantity(low, high, qualifier, tolerance, figure_words())


def interval_words(low: int, high: int | None) -> str:
    """An interval as recorded, in the reader's language: "250 to 400"."""
    return wording.interval_words(low, high, figure_words())


def interval_text(low: int | None, high: int | None) -> str:
    """Stored bounds as numbers in the reader's language: "360–440", "51 or more"."""
    return wording.interval_text(low, high, figure_words())


# What a chart counts, as whole phrases per event and counted unit (the populations the
# parser names among them), so that a language can order and agree the words its own way.
# A unit the desk does not list (free text: "trucks", "homes") keeps the English words.
MEASURES: dict[tuple[str, str], Promise] = {
    ("killed", ""): pgettext_lazy("what a chart counts", "killed"),
    ("killed", "people"): pgettext_lazy("what a chart counts", "people killed"),
    ("killed", "civilians"): pgettext_lazy("what a chart counts", "civilians killed"),
    ("killed", "children"): pgettext_lazy("what a chart counts", "children killed"),
    ("injured", ""): pgettext_lazy("what a chart counts", "injured"),
    ("injured", "people"): pgettext_lazy("what a chart counts", "people injured"),
    ("injured", "civilians"): pgettext_lazy("what a chart counts", "civilians injured"),
    ("injured", "children"): pgettext_lazy("what a chart counts", "children injured"),
    ("displaced", ""): pgettext_lazy("what a chart counts", "displaced"),
    ("displaced", "people"): pgettext_lazy("what a chart counts", "people displaced"),
    ("displaced", "civilians"): pgettext_lazy("what a chart counts", "civilians displaced"),
    ("displaced", "children"): pgettext_lazy("what a chart counts", "children displaced"),
    ("evacuated", ""): pgettext_lazy("what a chart counts", "evacuated"),
    ("evacuated", "people"): pgettext_lazy("what a chart counts", "people evacuated"),
    ("evacuated", "civilians"): pgettext_lazy("what a chart counts", "civilians evacuated"),
    ("evacuated", "children"): pgettext_lazy("what a chart counts", "children evacuated"),
    ("detained", ""): pgettext_lazy("what a chart counts", "detained"),
    ("detained", "people"): pgettext_lazy("what a chart counts", "people detained"),
    ("detained", "civilians"): pgettext_lazy("what a chart counts", "civilians detained"),
    ("detained", "children"): pgettext_lazy("what a chart counts", "children detained"),
    ("missing", ""): pgettext_lazy("what a chart counts", "missing"),
    ("missing", "people"): pgettext_lazy("what a chart counts", "people missing"),
    ("missing", "civilians"): pgettext_lazy("what a chart counts", "civilians missing"),
    ("missing", "children"): pgettext_lazy("what a chart counts", "children missing"),
    ("other", "people"): pgettext_lazy("what a chart counts", "people"),
    ("other", "civilians"): pgettext_lazy("what a chart counts", "civilians"),
    ("other", "children"): pgettext_lazy("what a chart counts", "children"),
    ("other", ""): pgettext_lazy("what a chart counts", "figure"),
}


def measure(event: str, unit: str, english: str) -> str:
    """What a claim's figures count in the reader's language: "people killed"; `english`,
    the words `claims.timeline` puts together, for a pair the table does not hold."""
    phrase = MEASURES.get((event or "other", unit or ""))
    return str(phrase) if phrase is not None else english
