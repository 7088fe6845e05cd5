"""What the FilterSet-driven lists and the searches share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django_filters import FilterSet

from claims.errors import InvalidInput
from claims.text import text_problem


def filtered(filterset: FilterSet) -> QuerySet[Any]:
    """The FilterSet's rows; filters that are not valid are a 400 naming each field."""
    if not filterset.is_valid():
        raise InvalidInput(
            gettext("The filters are not valid."),
            errors={k: [str(m) for m in v] for k, v in filterset.errors.items()},
        )
    return filterset.qs


def search_words(query: str, limit: int, *, name: str = "q") -> list[str]:
    """The first `limit` words of a search from the URL parameter `name`; one the
    database could not compare (a NUL byte) is a 400 naming that parameter, as a
    FilterSet's field would be."""
    checked(query, name=name)
    return (query or "").split()[:limit]


def checked(value: str, *, name: str) -> str:
    """A text parameter of a list, refused as a 400 naming it when no query can hold it."""
    problem = text_problem(value or "")
    if problem is not None:
        raise InvalidInput(gettext("The search is not valid."), errors={name: [problem]})
    return value
