"""Put back the rows the data migrations write, after a flush took them.

Tests against a live server (browser journeys) run in transactional test
cases, whose database is emptied after each test. Serialized rollback cannot
restore the rows here: Playwright's event loop gives the test thread a fresh
database connection object, without the serialized copy. The data migrations
are idempotent, so running their forward functions again restores the roles,
the verdict scale, the check policy and the schedules exactly as `migrate`
made them.
"""

from __future__ import annotations

import importlib

from django.apps import apps

DATA_MIGRATIONS = (
    "claims.migrations.0002_create_roles",
    "claims.migrations.0003_default_rating_scale",
    "claims.migrations.0006_policy_and_schedules",
    "claims.migrations.0014_admins_see_login_attempts",
    "claims.migrations.0017_hashed_tokens",
    "claims.migrations.0022_notifications_webhooks",
)


def restore() -> None:
    for name in DATA_MIGRATIONS:
        module = importlib.import_module(name)
        forward = getattr(module, "forward", None) or module.create
        forward(apps, None)
