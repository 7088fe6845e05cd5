"""Three indexes of claims that nothing reads go, for the first full scan's sake: it
restamps the `open_severity` of some 33,000 claims at 100,000 (migration 0023's
triggers), and each index of claims is one more write per claim. At 100,000 claims the
restamp took 4.3 s with the three and 2.7 to 3.2 s without them.

* `claim_queue_idx` (status, priority, created): the queues read `claim_current_status_idx`
  for their counts and `claim_urgent_idx` or `claim_list_order_idx` for their order; no
  page or scan of the pages benchmark used it.
* The indexes Django gives the `verdict` and `created_by` keys: nothing looks claims up by
  them but the deletion of a rating or of a user, rare enough to read the table."""

from django.conf import settings
from django.db import migrations, models

from claims.migrations._key_indexes import add_key_indexes, drop_key_indexes

KEYS = ("verdict", "created_by")


def drop_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    drop_key_indexes(apps, schema_editor, KEYS)


def add_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    add_key_indexes(apps, schema_editor, KEYS)


class Migration(migrations.Migration):
    dependencies = [("claims", "0033_list_stamp")]

    operations = [
        migrations.RemoveIndex(model_name="claim", name="claim_queue_idx"),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_indexes, add_indexes)],
            state_operations=[
                migrations.AlterField(
                    model_name="claim",
                    name="verdict",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.PROTECT,
                        related_name="claims",
                        to="claims.rating",
                    ),
                ),
                migrations.AlterField(
                    model_name="claim",
                    name="created_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.SET_NULL,
                        related_name="created_claims",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
