"""Dropping and restoring the index Django gives a foreign key of claims, by what the
database holds rather than by AlterField: on SQLite AlterField remakes the claims table,
which the triggers of migration 0023 name (and would lose). Shared by the migrations that
drop such indexes; the loader skips modules whose names start with an underscore."""

from __future__ import annotations

from typing import Any


def drop_key_indexes(apps: Any, schema_editor: Any, names: tuple[str, ...]) -> None:
    """Drop the plain one-column indexes of these keys of claims."""
    claim = apps.get_model("claims", "Claim")
    columns = [[claim._meta.get_field(name).column] for name in names]
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(
            cursor, claim._meta.db_table
        )
    for name, info in constraints.items():
        if info["index"] and info["columns"] in columns and not info["unique"]:
            schema_editor.execute(schema_editor._delete_index_sql(claim, name))


def add_key_indexes(apps: Any, schema_editor: Any, names: tuple[str, ...]) -> None:
    claim = apps.get_model("claims", "Claim")
    for name in names:
        field = claim._meta.get_field(name)
        schema_editor.execute(schema_editor._create_index_sql(claim, fields=[field]))
