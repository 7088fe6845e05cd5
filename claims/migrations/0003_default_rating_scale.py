"""A default verdict scale for publishing; admins edit it or add their own."""

from django.db import migrations

VERDICTS = [
    (5, "True", "The claim is accurate and nothing significant is missing."),
    (4, "Mostly true", "Accurate, but needs clarification or context."),
    (3, "Half true", "Partly accurate, leaving out important details."),
    (2, "Mostly false", "Contains an element of truth but ignores facts that change it."),
    (1, "False", "The claim is not accurate."),
]


def forward(apps, schema_editor):
    RatingScale = apps.get_model("claims", "RatingScale")
    Rating = apps.get_model("claims", "Rating")
    scale, _ = RatingScale.objects.get_or_create(
        name="Desk verdicts", defaults={"best_rating": 5, "worst_rating": 1, "is_default": True}
    )
    for value, label, description in VERDICTS:
        Rating.objects.get_or_create(
            scale=scale, value=value, defaults={"label": label, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_create_roles")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
