"""Detect the language of the stories and claims saved before the desk stored it."""

from django.db import migrations

from claims.language import detect, story_language

BATCH = 500


def forward(apps, schema_editor):
    Story = apps.get_model("claims", "Story")
    Claim = apps.get_model("claims", "Claim")
    # bulk_update writes `language` alone: a story's `updated_at` must not move for a
    # language it always had.
    stories = []
    for story in Story.objects.filter(language="").only("pk", "headline", "body").iterator(BATCH):
        story.language = story_language(story.headline, story.body)
        if story.language:
            stories.append(story)
        if len(stories) >= BATCH:
            Story.objects.bulk_update(stories, ["language"])
            stories = []
    Story.objects.bulk_update(stories, ["language"])

    claims = []
    for claim in Claim.objects.filter(language="").only("pk", "text").iterator(BATCH):
        claim.language = detect(claim.text)
        if claim.language:
            claims.append(claim)
        if len(claims) >= BATCH:
            Claim.objects.bulk_update(claims, ["language"])
            claims = []
    Claim.objects.bulk_update(claims, ["language"])


class Migration(migrations.Migration):
    dependencies = [("claims", "0009_story_extraction_language_projection")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
