"""`{% period claim %}`, `{% sources claim %}` and `{% interval low high %}` in
templates, worded by `claims.wording` as every other place that shows them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template

from claims import localwording, wording

register = template.Library()


@register.simple_tag
def period(claim: Any, empty: str = "") -> str:
    """A claim's period with what it counts ("1–13 Feb 2014 (to date)"), or `empty`."""
    start: date | None = claim.period_start
    return localwording.format_period(start, claim.period_end, claim.period_kind) or empty


@register.simple_tag
def sources(claim: Any, empty: str = "") -> str:
    """A claim's sources by name, each once ("OCHA, SOHR"), or `empty`; the rows that
    show it load the attributions with their sources."""
    names = (a.source.name for a in claim.attributions.all())
    return wording.sources_text(names) or empty


@register.simple_tag
def interval(low: int | None, high: int | None) -> str:
    """Stored bounds as numbers: "400–600", "51 or more"."""
    return localwording.interval_text(low, high)
