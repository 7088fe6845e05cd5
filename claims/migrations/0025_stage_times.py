from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill_status_changed_at(apps, schema_editor):
    """Each claim's latest status change, from its history: one UPDATE for all claims.
    Claims that never moved keep it empty (their stage started when they were logged)."""
    Claim = apps.get_model("claims", "Claim")
    ClaimEvent = apps.get_model("claims", "ClaimEvent")
    latest = (
        ClaimEvent.objects.filter(claim_id=OuterRef("pk"), kind="transition")
        .order_by("-at", "-id")
        .values("at")[:1]
    )
    moved = ClaimEvent.objects.filter(kind="transition").values("claim_id")
    Claim.objects.filter(pk__in=moved).update(status_changed_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0024_topics"),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="claim",
            name="status_changed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(backfill_status_changed_at, migrations.RunPython.noop),
    ]
