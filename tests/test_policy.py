"""The check policy and the schedules: created by migrations, edited by admins, and
read by the parser and the jobs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from claims import services, tasks
from claims.checks import sync
from claims.models import CheckPolicy, Claim, Flag
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_migrations_create_the_policy_and_the_schedules():
    policy = CheckPolicy.objects.get()
    assert (policy.approx_tolerance, policy.to_date_stale_days, policy.review_deadline_hours) == (
        0.10,
        7,
        48,
    )
    schedules = {t.task: t for t in PeriodicTask.objects.filter(task__startswith="claims.")}
    assert set(schedules) == {
        "claims.scan_all",
        "claims.scan_staleness",
        "claims.check_links",
        # Notifications and webhooks (tests/test_notifications.py, tests/test_webhooks.py).
        "claims.send_digests",
        "claims.notify_due",
        "claims.retry_webhooks",
    }
    nightly = schedules["claims.scan_all"].crontab
    assert (nightly.minute, nightly.hour, nightly.day_of_week) == ("30", "2", "*")
    hourly = schedules["claims.scan_staleness"].interval
    assert (hourly.every, hourly.period) == (1, "hours")
    assert schedules["claims.check_links"].crontab.hour == "4"
    assert all(t.enabled for t in schedules.values())


def test_the_tolerance_decides_what_about_means(editor):
    api = APIClient()
    api.force_authenticate(editor)
    body = {"text": "About 400 killed in Aleppo this month", "reported_on": "2014-02-13"}
    assert api.post("/api/v1/parse/", body).json()["value_low"] == 360
    CheckPolicy.objects.update(approx_tolerance=0.2)
    parsed = api.post("/api/v1/parse/", body).json()
    assert (parsed["value_low"], parsed["value_high"]) == (320, 480)


def test_the_staleness_limit_for_to_date_figures_comes_from_the_policy():
    ClaimFactory(
        status="attributed",
        decided_at=timezone.now() - dt.timedelta(days=10),
        period_start=dt.date(2014, 2, 1),
        period_kind="to_date",
        due_at=None,
    )
    sync.scan_staleness()
    flag = Flag.objects.get(kind="verification_expired")
    assert flag.status == "open" and "10 days" not in flag.message and "7 days" in flag.message
    CheckPolicy.objects.update(to_date_stale_days=30)
    sync.scan_staleness()
    flag.refresh_from_db()
    assert flag.status == "resolved" and flag.resolved_by is None


def test_a_new_claim_is_due_after_the_review_deadline(editor, admin):
    before = timezone.now()
    claim = services.claim_create(actor=editor, text="Talks on the truce went on.")
    assert (
        before + dt.timedelta(hours=48) <= claim.due_at <= timezone.now() + dt.timedelta(hours=48)
    )
    CheckPolicy.objects.update(review_deadline_hours=2)
    urgent = services.claim_create(actor=editor, text="Talks resumed on Monday.")
    assert urgent.due_at <= timezone.now() + dt.timedelta(hours=2)
    # A due date given on a new claim is kept (only the desk's planners may give one).
    given = timezone.now() + dt.timedelta(days=9)
    assert services.claim_create(actor=admin, text="Talks.", due_at=given).due_at == given


def test_an_overdue_review_is_flagged_and_clears_once_decided(checker, admin):
    claim = services.claim_create(
        actor=admin, text="At least 5 were hurt.", due_at=timezone.now() - dt.timedelta(hours=1)
    )
    sync.scan_staleness()
    flag = Flag.objects.get(kind="review_overdue")
    assert list(flag.claims.all()) == [claim]
    services.claim_transition(claim=claim, actor=checker, to="in_review")
    services.claim_transition(
        claim=Claim.objects.get(pk=claim.pk), actor=checker, to="attributed", note="Per police."
    )
    sync.scan_staleness()
    flag.refresh_from_db()
    assert flag.status == "resolved"


def test_an_admin_edits_the_policy_in_the_admin_and_its_history_is_kept(client, admin):
    client.force_login(admin)
    url = f"/admin/claims/checkpolicy/{CheckPolicy.load().pk}/change/"
    assert client.get(url).status_code == 200
    form = {
        "approx_tolerance": "0.15",
        "to_date_stale_days": "3",
        "span_max_age_days": "180",
        "day_max_age_days": "365",
        "review_deadline_hours": "24",
        "link_check_interval_hours": "12",
        "duplicate_similarity": "92",
        "credible_grades": "AB",
    }
    assert client.post(url, form).status_code == 302
    policy = CheckPolicy.load()
    assert (policy.to_date_stale_days, policy.credible_grades) == (3, "AB")
    assert policy.as_policy().decision_max_age_days["to_date"] == 3
    assert policy.history.first().history_user == admin
    bad = client.post(url, {**form, "approx_tolerance": "2", "credible_grades": "XYZ"})
    assert bad.status_code == 200  # the form again, with its errors
    assert "approx_tolerance" in bad.context["adminform"].form.errors
    assert "credible_grades" in bad.context["adminform"].form.errors
    assert CheckPolicy.load().approx_tolerance == 0.15


@pytest.mark.parametrize("role", ["editor", "checker"])
def test_only_admins_reach_the_policy(client, request, role):
    client.force_login(request.getfixturevalue(role))
    r = client.get(f"/admin/claims/checkpolicy/{CheckPolicy.load().pk}/change/")
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_the_link_check_task_checks_nothing_when_there_is_no_evidence():
    assert tasks.check_links() == 0
