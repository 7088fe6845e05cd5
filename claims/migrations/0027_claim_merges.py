"""Merging duplicate claims (`Claim.merged_into`, history rows of kind "merged") and the
stories that carry a claim besides its first (`StoryLink`, "same claim" at entry)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0026_track_records"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.AddField(
            model_name="claim",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="merged_claims",
                to="claims.claim",
            ),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "created"),
                    ("edited", "edited"),
                    ("transition", "status changed"),
                    ("assigned", "assigned"),
                    ("priority", "priority changed"),
                    ("evidence_added", "evidence added"),
                    ("evidence_removed", "evidence removed"),
                    ("commented", "commented"),
                    ("flag", "flag"),
                    ("incident", "incident changed"),
                    ("topics", "topics changed"),
                    ("published", "review published"),
                    ("unpublished", "review taken down"),
                    ("merged", "merged"),
                    ("story_linked", "story linked"),
                ],
                max_length=20,
            ),
        ),
        migrations.CreateModel(
            name="StoryLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("story_start", models.PositiveIntegerField(blank=True, null=True)),
                ("story_end", models.PositiveIntegerField(blank=True, null=True)),
                ("story_words", models.CharField(blank=True, max_length=300)),
                ("story_sentence", models.TextField(blank=True)),
                ("linked_at", models.DateTimeField(auto_now_add=True)),
                (
                    "claim",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="story_links",
                        to="claims.claim",
                    ),
                ),
                (
                    "linked_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "story",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="claim_links",
                        to="claims.story",
                    ),
                ),
            ],
            options={
                "ordering": ["linked_at", "id"],
                "indexes": [models.Index(fields=["story", "claim"], name="storylink_story_idx")],
            },
        ),
    ]
