"""API tokens kept as digests, with an expiry.

The keys of DRF's tokens stood in the database and the admin in clear, so anyone who
could read them could act as their owners. Each is moved over as its SHA-256 (it keeps
working until it expires, API_TOKEN_DAYS from now) and the clear row is deleted.
Admins may list, make and revoke tokens; nobody may change one.
"""

import datetime as dt
import hashlib

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models
from django.utils import timezone

ADMIN_PERMS = ("view_apitoken", "add_apitoken", "delete_apitoken")


def forward(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("claims", "ApiToken")
    expires = timezone.now() + dt.timedelta(days=getattr(settings, "API_TOKEN_DAYS", 90))
    for old in Token.objects.all():
        ApiToken.objects.create(
            user_id=old.user_id,
            name="moved from the old tokens",
            prefix=old.key[:8],
            digest=hashlib.sha256(old.key.encode()).hexdigest(),
            expires_at=expires,
        )
    Token.objects.all().delete()

    claims = apps.get_app_config("claims")
    original = getattr(claims, "models_module", None)
    claims.models_module = True
    create_permissions(claims, apps=apps, verbosity=0)
    claims.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name="Admin")
    admin.permissions.add(
        *Permission.objects.filter(content_type__app_label="claims", codename__in=ADMIN_PERMS)
    )
    # The old tokens' admin is gone; its permissions grant nothing now.
    admin.permissions.remove(*Permission.objects.filter(content_type__app_label="authtoken"))


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0016_incidents"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        blank=True, help_text="What the token is for.", max_length=100
                    ),
                ),
                ("prefix", models.CharField(editable=False, max_length=12)),
                ("digest", models.CharField(editable=False, max_length=64, unique=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("expires_at", models.DateTimeField()),
                ("last_used_at", models.DateTimeField(blank=True, editable=False, null=True)),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
