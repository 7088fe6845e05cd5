"""The words of its story a claim stands for. Claims accepted per figure before this
migration get the words that stand at their offsets now; claims whose offsets name a
whole sentence (accepted before figures had offsets of their own) are left without."""

from django.db import migrations, models


def forward(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    rows = (
        Claim.objects.filter(
            story__isnull=False, story_start__isnull=False, story_end__isnull=False
        )
        .select_related("story")
        .only("id", "text", "story_start", "story_end", "story__body")
    )
    for claim in rows.iterator(chunk_size=500):
        words = claim.story.body[claim.story_start : claim.story_end]
        if words and len(words) < len(claim.text) and words in claim.text:
            Claim.objects.filter(pk=claim.pk).update(
                story_words=words[:300], story_sentence=claim.text
            )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0012_rekey_source_aliases"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="story_sentence",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="claim",
            name="story_words",
            field=models.CharField(blank=True, editable=False, max_length=300),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
