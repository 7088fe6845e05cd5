"""The check policy's row and the jobs' schedules, which admins edit afterwards
(Periodic tasks in the admin): the full contradiction scan nightly, staleness
hourly, evidence links daily."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from claims import roles

SCHEDULES = [
    # name, task, crontab (minute, hour) or None for hourly
    ("Contradiction scan, every block (nightly)", "claims.scan_all", ("30", "2")),
    ("Staleness scan (hourly)", "claims.scan_staleness", None),
    ("Evidence link check (daily)", "claims.check_links", ("0", "4")),
]


def grant_admins_the_policy(apps):
    # As in 0002: permissions for the new model exist only after all migrations
    # ran, unless created here.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    admin, _ = Group.objects.get_or_create(name=roles.ADMIN)
    admin.permissions.add(*Permission.objects.filter(content_type__app_label="claims"))


def create(apps, schema_editor):
    grant_admins_the_policy(apps)
    CheckPolicy = apps.get_model("claims", "CheckPolicy")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if not CheckPolicy.objects.filter(pk=1).exists():
        CheckPolicy.objects.create(pk=1)
    for name, task, at in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if at is None:
            hourly, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
            PeriodicTask.objects.create(name=name, task=task, interval=hourly)
        else:
            minute, hour = at
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab)


def remove(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0005_check_policy"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, remove)]
