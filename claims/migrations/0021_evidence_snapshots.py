import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("claims", "0020_import_jobs")]

    operations = [
        migrations.CreateModel(
            name="EvidenceSnapshot",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("added", "when the evidence was added"),
                            ("decided", "when the claim was decided"),
                        ],
                        max_length=10,
                    ),
                ),
                ("taken_at", models.DateTimeField()),
                ("status", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("final_url", models.URLField(blank=True, max_length=1000)),
                ("sha256", models.CharField(blank=True, max_length=64)),
                ("content_type", models.CharField(blank=True, max_length=100)),
                (
                    "html",
                    models.FileField(blank=True, max_length=300, upload_to="snapshots/%Y/%m/"),
                ),
                ("text", models.TextField(blank=True)),
                ("truncated", models.BooleanField(default=False)),
                ("error", models.CharField(blank=True, max_length=300)),
                (
                    "evidence",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="snapshots",
                        to="claims.evidence",
                    ),
                ),
            ],
            options={"ordering": ["-taken_at", "-id"]},
        ),
    ]
