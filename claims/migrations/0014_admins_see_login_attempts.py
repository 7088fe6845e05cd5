"""Admins read the record of login attempts and unlock accounts (django-axes)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Viewing attempts, and deleting one to lift a lockout; the logs are read-only.
AXES_PERMS = (
    "view_accessattempt",
    "delete_accessattempt",
    "view_accessfailurelog",
    "view_accesslog",
)


def forward(apps, schema_editor):
    axes = apps.get_app_config("axes")
    original = getattr(axes, "models_module", None)
    axes.models_module = True
    create_permissions(axes, apps=apps, verbosity=0)
    axes.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="Admin")
    admin.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=AXES_PERMS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0013_claim_story_words"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
