"""Flags: a unique constraint on the fingerprint instead of `unique=True` (no extra
LIKE index on PostgreSQL), and room on each page of the flag table so that the
scans' updates of `last_seen` stay on the page (heap-only, no index writes)."""

from django.conf import settings
from django.db import migrations, models


def fillfactor(percent):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE claims_flag SET (fillfactor = {int(percent)})")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_candidate_rejection"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="flag",
            name="fingerprint",
            field=models.CharField(max_length=64),
        ),
        migrations.AddConstraint(
            model_name="flag",
            constraint=models.UniqueConstraint(
                fields=("fingerprint",), name="flag_fingerprint_unique"
            ),
        ),
        migrations.RunPython(fillfactor(70), fillfactor(100)),
    ]
