"""The queues' counts read from small indexes alone, at 100,000 claims:

* New (about 10,900 claims): no index held both its columns and `merged_into IS NULL`,
  so PostgreSQL visited 4,200 pages of the table to count them (8 to 16 ms); with
  `claim_current_status_idx` it reads a few dozen index pages (about 1 ms). Mine asks
  the same columns.
* Flagged (about 70,000 claims with an open flag): counted through `claim_urgent_idx`,
  whose entries hold five columns, 12 to 20 ms; `claim_flagged_idx` holds only the
  flagged current claims, one small column each, and counts them in about 5 ms.

Both columns of each index are in other indexes of the table already, so an update that
changes them was never a "HOT" update: each index adds one entry to such an update (the
flagged one only for claims that have an open flag), not a rewrite of unchanged rows."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0031_scan_writes")]

    operations = [
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["status", "assignee"],
                name="claim_current_status_idx",
                condition=models.Q(merged_into__isnull=True),
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["open_severity"],
                name="claim_flagged_idx",
                condition=models.Q(merged_into__isnull=True, open_severity__gt=0),
            ),
        ),
    ]
