"""`{{ seconds|duration }}` and `{{ moment|time_since }}`: how long, worded by
`claims.stages.duration_words` wherever the desk shows a time in a stage."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone

from claims.stages import duration_words

register = template.Library()


@register.filter
def duration(seconds: float | None) -> str:
    """A duration in seconds as "40 min", "5.5 h", "3.2 d"; "" for none."""
    return "" if seconds is None else duration_words(seconds)


@register.filter
def time_since(moment: datetime | None) -> str:
    """How long ago `moment` was, in the same words; "" for none."""
    if moment is None:
        return ""
    return duration_words((timezone.now() - moment).total_seconds())
