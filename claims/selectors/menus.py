"""The queue filters' menus: every place, source and fact-checker, kept by each process
and read again only when one of them changed.

A busy desk's menus hold some 1,500 options and change a few times a day, while its
queues are read all day. So a page asks the database one small question instead of
reading them: a digest of the rows the menus are made from (`_stamp`). Any change to
those rows, by any process and by any means (a service, the admin, a bulk update, a
migration, another machine), changes the digest, and the next page in every process
reads the menus again. Nothing has to remember to clear a cache.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection

from claims import roles
from claims.models import Place, Source
from claims.selectors.claims import checker_list
from claims.selectors.sources import place_choices, source_choices
from claims.typing import Actor

Choices = list[tuple[int, str]]


@dataclass(frozen=True)
class Menus:
    """(id, label) pairs, in the order the menus show them."""

    places: Choices
    sources: Choices
    checkers: Choices


NO_MENUS = Menus([], [], [])

# The menus of the desk, with the digest they were read under; one per process.
_kept: tuple[tuple[str | None, ...], Menus] | None = None


def filter_menus(*, user: Actor) -> Menus:
    """The places, sources and fact-checkers the queue filters and the bulk form offer.

    Everyone on the desk sees the same menus (signed-in users without a role see none),
    so one copy serves every user of the process. One query when they are unchanged;
    four when they are read again."""
    global _kept
    if not roles.has_role(user):
        return NO_MENUS
    stamp = _stamp()
    if stamp is not None and _kept is not None and _kept[0] == stamp:
        return _kept[1]
    menus = Menus(
        places=place_choices(user=user),
        sources=source_choices(user=user),
        checkers=list(checker_list(user=user).values_list("pk", "username")),
    )
    if stamp is not None:
        _kept = (stamp, menus)
    return menus


def _stamp() -> tuple[str | None, ...] | None:
    """A digest of every column the menus are made from, one per table; None on a
    database this module does not know (the menus are then read every time).

    Each row is written as its values with the length of each name before it, so no
    two different sets of rows give the same text. The rows come in the order the table
    holds them (sorting them cost more than the rest): a row written anew may move, which
    only makes the menus be read once more."""
    user = get_user_model()
    tables = (
        (Place._meta.db_table, "id || ':' || kind || ':' || country || ':' || {n}", "name"),
        (Source._meta.db_table, "id || ':' || {n}", "name"),
        # Who is a fact-checker: the users' names, whether they are active or superusers,
        # the groups they are in and the groups' names.
        (
            user._meta.db_table,
            "id || ':' || is_active || ':' || is_superuser || ':' || {n}",
            "username",
        ),
        (user.groups.through._meta.db_table, "user_id || ':' || group_id", None),
        (Group._meta.db_table, "id || ':' || {n}", "name"),
    )
    parts = []
    for table, row, name in tables:
        text = row.format(n=f"length({name}) || ':' || {name}") if name else row
        digest = _digest(table, text)
        if digest is None:
            return None
        parts.append(digest)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def _digest(table: str, row: str) -> str | None:
    """SQL for the MD5 digest of `row` over every row of `table`."""
    table = connection.ops.quote_name(table)
    if connection.vendor == "postgresql":
        # Table and column names from the models, no input: nothing to inject.
        return f"(SELECT md5(string_agg({row}, ',')) FROM {table})"  # noqa: S608
    if connection.vendor == "sqlite":
        # Django registers MD5 on its SQLite connections (for django.db.models.functions.MD5).
        return f"(SELECT MD5(group_concat({row}, ',')) FROM {table})"  # noqa: S608
    return None
