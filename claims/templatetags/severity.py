"""`{{ label|severity_name }}`: a flag severity as the reader's language says it.

Severity labels stay English in the model: they are also the CSS classes (`sev-high`)
and the flag filter's values (`filters.SEVERITY_BY_NAME`). Only what is shown is
translated.
"""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from claims.models import Severity

register = template.Library()

NAMES = {
    Severity.INFO.label: _("info"),
    Severity.LOW.label: _("low"),
    Severity.MEDIUM.label: _("medium"),
    Severity.HIGH.label: _("high"),
}


@register.filter
def severity_name(label: str) -> str:
    return str(NAMES.get(label, label))
