"""Notifications and webhooks: their tables, the admins' permissions on the webhook
pages, and the jobs' schedules (editable afterwards as Periodic tasks in the admin):
the daily digest, the hourly look for claims due soon or overdue, and the minute's
retry of webhook deliveries that failed."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import claims.models
import claims.weburl

ADMIN_PERMS = (
    "view_webhookendpoint",
    "add_webhookendpoint",
    "change_webhookendpoint",
    "delete_webhookendpoint",
    "view_webhookdelivery",
    "change_webhookdelivery",
)

SCHEDULES = [
    # name, task, crontab (minute, hour) or an interval (every, period)
    ("Notification digest (daily)", "claims.send_digests", ("0", "7")),
    ("Claims due soon or overdue (hourly)", "claims.notify_due", (1, "hours")),
    ("Webhook retries (every minute)", "claims.retry_webhooks", (1, "minutes")),
]


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
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, at in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if isinstance(at[0], int):
            every, period = at
            interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
            PeriodicTask.objects.create(name=name, task=task, interval=interval)
        else:
            minute, hour = at
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*"
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab)


def backward(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0021_evidence_snapshots"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="WebhookEndpoint",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "url",
                    models.URLField(max_length=1000, validators=[claims.weburl.validate_web_url]),
                ),
                (
                    "secret",
                    models.CharField(
                        help_text="Signs each delivery (HMAC-SHA256 of the body).", max_length=200
                    ),
                ),
                (
                    "events",
                    models.JSONField(
                        default=list, validators=[claims.models.validate_webhook_events]
                    ),
                ),
                (
                    "slack",
                    models.BooleanField(
                        default=False,
                        help_text='Send {"text": …} with a link, for chat channels, instead of the object.',
                        verbose_name="Slack-compatible",
                    ),
                ),
                (
                    "high_flags_only",
                    models.BooleanField(
                        default=False,
                        help_text="Of the flag events, send only those of high flags.",
                    ),
                ),
                ("active", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("failing_since", models.DateTimeField(blank=True, editable=False, null=True)),
                ("disabled_at", models.DateTimeField(blank=True, editable=False, null=True)),
                ("disabled_reason", models.CharField(blank=True, editable=False, max_length=300)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
            },
        ),
        migrations.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("assigned", "a claim is assigned to me"),
                            ("decided", "a claim I logged is decided"),
                            ("high_flag", "a high flag on a claim I logged, took or decided"),
                            ("verdict_changed", "a verdict changed on a claim in my story"),
                            ("due_soon", "a claim of mine is due soon"),
                            ("overdue", "a claim of mine is overdue"),
                            ("mentioned", "a comment mentions me"),
                            ("webhook_off", "a webhook endpoint was switched off (admins)"),
                        ],
                        max_length=20,
                    ),
                ),
                ("message", models.TextField()),
                ("url", models.CharField(blank=True, max_length=300)),
                ("key", models.CharField(max_length=200)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("read_at", models.DateTimeField(blank=True, null=True)),
                ("emailed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "claim",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="claims.claim",
                    ),
                ),
                (
                    "recipient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("recipient", "key"), name="notification_once")
                ],
            },
        ),
        migrations.CreateModel(
            name="NotificationSetting",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("assigned", "a claim is assigned to me"),
                            ("decided", "a claim I logged is decided"),
                            ("high_flag", "a high flag on a claim I logged, took or decided"),
                            ("verdict_changed", "a verdict changed on a claim in my story"),
                            ("due_soon", "a claim of mine is due soon"),
                            ("overdue", "a claim of mine is overdue"),
                            ("mentioned", "a comment mentions me"),
                            ("webhook_off", "a webhook endpoint was switched off (admins)"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "how",
                    models.CharField(
                        choices=[
                            ("immediately", "Email at once"),
                            ("digest", "Daily digest"),
                            ("off", "No email"),
                        ],
                        max_length=12,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_settings",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("user", "event"), name="notification_setting_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="WebhookDelivery",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "event",
                    models.CharField(
                        choices=[
                            ("claim.created", "claim.created"),
                            ("claim.decided", "claim.decided"),
                            ("flag.raised", "flag.raised"),
                            ("flag.resolved", "flag.resolved"),
                            ("review.published", "review.published"),
                        ],
                        max_length=20,
                    ),
                ),
                ("key", models.CharField(max_length=200)),
                (
                    "uid",
                    models.CharField(
                        default=claims.models.new_delivery_id,
                        editable=False,
                        max_length=32,
                        unique=True,
                    ),
                ),
                ("body", models.TextField()),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "pending"),
                            ("delivered", "delivered"),
                            ("failed", "given up"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("last_status", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("response_ms", models.PositiveIntegerField(blank=True, null=True)),
                ("last_error", models.CharField(blank=True, max_length=300)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("last_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("next_attempt_at", models.DateTimeField(blank=True, null=True)),
                ("delivered_at", models.DateTimeField(blank=True, null=True)),
                (
                    "endpoint",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="claims.webhookendpoint",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "webhook deliveries",
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["status", "next_attempt_at"], name="webhook_due_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("endpoint", "key"), name="webhook_delivery_once"
                    )
                ],
            },
        ),
        migrations.RunPython(forward, backward),
    ]
