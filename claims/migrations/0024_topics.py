"""Topics: the list admins keep, the tags on claims and stories, who follows which, and
the notification of a new high flag in a followed topic. Admins get the topic pages of
the admin."""

import django.db.models.functions.text
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EVENTS = [
    ("assigned", "a claim is assigned to me"),
    ("decided", "a claim I logged is decided"),
    ("high_flag", "a high flag on a claim I logged, took or decided"),
    ("topic_high_flag", "a new high flag in a topic I follow"),
    ("verdict_changed", "a verdict changed on a claim in my story"),
    ("due_soon", "a claim of mine is due soon"),
    ("overdue", "a claim of mine is overdue"),
    ("mentioned", "a comment mentions me"),
    ("webhook_off", "a webhook endpoint was switched off (admins)"),
]
KINDS = [
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
]

ADMIN_PERMS = ("view_topic", "add_topic", "change_topic", "delete_topic")


def forward(apps, schema_editor):
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


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0023_page_indexes"),
        ("auth", "0012_alter_user_first_name_max_length"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="storyevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("correction_needed", "correction needed"),
                    ("corrected", "corrections answered"),
                    ("topics", "topics changed"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="claimevent",
            name="kind",
            field=models.CharField(choices=KINDS, max_length=20),
        ),
        migrations.AlterField(
            model_name="notification",
            name="event",
            field=models.CharField(choices=EVENTS, max_length=20),
        ),
        migrations.AlterField(
            model_name="notificationsetting",
            name="event",
            field=models.CharField(choices=EVENTS, max_length=20),
        ),
        migrations.CreateModel(
            name="Topic",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=80)),
                ("description", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "followers",
                    models.ManyToManyField(
                        blank=True, related_name="followed_topics", to=settings.AUTH_USER_MODEL
                    ),
                ),
            ],
            options={"ordering": ["name"]},
        ),
        migrations.AddField(
            model_name="claim",
            name="topics",
            field=models.ManyToManyField(blank=True, related_name="claims", to="claims.topic"),
        ),
        migrations.AddField(
            model_name="story",
            name="topics",
            field=models.ManyToManyField(blank=True, related_name="stories", to="claims.topic"),
        ),
        migrations.AddConstraint(
            model_name="topic",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("name"),
                name="topic_name_unique_ci",
                violation_error_message="A topic with this name already exists.",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
