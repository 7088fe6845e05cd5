"""Which text the desk stores and searches: none with a NUL character or a lone surrogate.

PostgreSQL cannot hold a NUL in text, and no database can encode a lone surrogate
(half of a UTF-16 pair, which only a JSON escape such as "\\ud800" can carry) as UTF-8:
either makes the query that meets it fail, a 500 instead of a field message. Django's
and DRF's CharFields refuse both already, with the messages below; the fields that
read text some other way (a place given as an object, a source given as an id or a
name, a search in the URL) ask `text_problem`.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

_SURROGATE = re.compile("[\ud800-\udfff]")

# Worded as Django and DRF word them, so every field refuses alike.
NUL_MESSAGE = gettext_lazy("Null characters are not allowed.")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored or searched for, or None when it can."""
    if "\x00" in value:
        return str(NUL_MESSAGE)
    return surrogate_problem(value)


def surrogate_problem(value: str) -> str | None:
    """Why `value` cannot even be written back in an answer (UTF-8 has no lone
    surrogates), or None."""
    surrogate = _SURROGATE.search(value)
    if surrogate is not None:
        return gettext("Surrogate characters are not allowed: U+%(code)s.") % {
            "code": f"{ord(surrogate.group()):X}"
        }
    return None


def validate_text(value: str) -> None:
    """`text_problem` as a validator: Django's ValidationError, which DRF takes too."""
    problem = text_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="invalid_text")
