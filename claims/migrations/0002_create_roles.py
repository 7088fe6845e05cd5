"""Create the Editor, Fact-checker and Admin groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from claims import roles


def forward(apps, schema_editor):
    # Permissions are normally created after all migrations ran; make sure ours
    # exist now so the groups can be given them on a fresh database.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    claims_perms = Permission.objects.filter(content_type__app_label="claims")

    for name, codenames in (
        (roles.EDITOR, roles.EDITOR_PERMS),
        (roles.CHECKER, roles.CHECKER_PERMS),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(claims_perms.filter(codename__in=codenames))

    admin, _ = Group.objects.get_or_create(name=roles.ADMIN)
    admin_perms = Permission.objects.filter(
        content_type__app_label__in=["claims", "auth", "authtoken", "django_celery_beat"]
    )
    admin.permissions.set(admin_perms)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
