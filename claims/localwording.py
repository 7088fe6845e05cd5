"""`claims.wording` in the reader's language: the same dates and periods, with the month
named as the active language names it (Django's own month names) and a running count's
period worded through the catalogue. English reads exactly as `claims.wording` writes it;
the pure checks, whose words are stored, keep calling `claims.wording` itself."""

from __future__ import annotations

from datetime import date

from django.utils import dateformat
from django.utils.translation import gettext

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
