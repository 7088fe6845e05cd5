"""What the FilterSet-driven lists share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import FilterSet

from claims.errors import InvalidInput


def filtered(filterset: FilterSet) -> QuerySet[Any]:
    """The FilterSet's rows; filters that are not valid are a 400 naming each field."""
    if not filterset.is_valid():
        raise InvalidInput(
            "The filters are not valid.",
            errors={k: [str(m) for m in v] for k, v in filterset.errors.items()},
        )
    return filterset.qs
