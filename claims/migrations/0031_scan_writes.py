"""Cheaper writes for the scans at 100,000 claims.

* Two indexes of claims that others already cover go: `claim_story_idx` repeated the
  index Django gives the `story` key, and the `assignee` key's own index is the first
  column of `claim_assignee_idx`. A first full scan restamps the `open_severity` of some
  20,000 claims (migration 0023's triggers), and each index is one more write per claim.
* Flags leave half of each page free (PostgreSQL only): a scan stamps `last_seen` on
  every flag it sees again, and with room on the page the new row version stays there
  and no index of the table is written (a "HOT" update), where a full page makes each
  stamp a new entry in all five indexes. Rows already stored take the setting when the
  table is next rewritten (VACUUM FULL); new pages take it at once."""

from django.conf import settings
from django.db import migrations, models

from claims.migrations._key_indexes import add_key_indexes, drop_key_indexes

FLAG_FILLFACTOR = "ALTER TABLE claims_flag SET (fillfactor = 50)"
FLAG_FILLFACTOR_BACK = "ALTER TABLE claims_flag RESET (fillfactor)"


def flag_fillfactor(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FLAG_FILLFACTOR)


def flag_fillfactor_back(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FLAG_FILLFACTOR_BACK)


def drop_assignee_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    drop_key_indexes(apps, schema_editor, ("assignee",))


def add_assignee_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    add_key_indexes(apps, schema_editor, ("assignee",))


class Migration(migrations.Migration):
    dependencies = [("claims", "0030_claim_count")]

    operations = [
        migrations.RemoveIndex(model_name="claim", name="claim_story_idx"),
        # The key's index dropped by name, not by AlterField: on SQLite that remakes the
        # claims table, which the triggers of migration 0023 name.
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_assignee_index, add_assignee_index)],
            state_operations=[
                migrations.AlterField(
                    model_name="claim",
                    name="assignee",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.SET_NULL,
                        related_name="assigned_claims",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        migrations.RunPython(flag_fillfactor, flag_fillfactor_back),
    ]
