import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0025_stage_times"),
    ]

    # A nullable column: SQLite adds it in place, so the flag triggers of 0023 stay.
    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="flag",
            name="resolution_claim",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="claims.claim",
            ),
        ),
    ]
