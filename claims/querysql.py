"""A queryset's conditions as SQL of their own: for the few places that write a
statement around them (the scans' UPDATE ... RETURNING) or compare the conditions of two
querysets (the claims list's kept count)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import QuerySet


def where_sql(queryset: QuerySet[Any]) -> tuple[str, tuple[Any, ...]] | None:
    """The SQL of `queryset`'s conditions and its parameters, for its own database:
    "TRUE" when it has none, None when they can match no row."""
    query = queryset.query
    try:
        sql, params = query.get_compiler(queryset.db).compile(query.where)
    except FullResultSet:
        return "TRUE", ()
    except EmptyResultSet:
        return None
    return sql, tuple(params)
