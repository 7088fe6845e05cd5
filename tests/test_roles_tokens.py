"""API tokens: stored as digests, shown once, refused once expired, and out of reach of
an admin who would act as someone else."""

from __future__ import annotations

import datetime as dt
import importlib
import io

import pytest
from django.apps import apps as global_apps
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims.errors import ActionForbidden, InvalidInput
from claims.models import ApiToken
from claims.services.tokens import token_digest, token_issue

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


def with_key(key: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_it_keeps_only_the_digest_and_the_key_works(editor):
    token, key = token_issue(user=editor, actor=editor, name="wire sync")
    row = ApiToken.objects.values().get(pk=token.pk)
    assert key not in {str(v) for v in row.values()}
    assert row["digest"] == token_digest(key) and row["prefix"] == key[:8]
    r = with_key(key).get(URL)
    assert r.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_an_expired_token_with_a_401(editor):
    token, key = token_issue(user=editor, actor=editor, days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = with_key(key).get(URL)
    assert r.status_code == 401
    assert "expired" in r.json()["detail"]


def test_it_refuses_a_wrong_key_and_a_key_of_an_inactive_user(editor):
    assert with_key("cd_not-a-key").get(URL).status_code == 401
    _, key = token_issue(user=editor, actor=editor)
    editor.is_active = False
    editor.save()
    assert with_key(key).get(URL).status_code == 401


def test_the_expiry_defaults_from_settings_and_is_bounded(editor, settings):
    settings.API_TOKEN_DAYS = 30
    token, _ = token_issue(user=editor, actor=editor)
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    with pytest.raises(InvalidInput):
        token_issue(user=editor, actor=editor, days=0)
    with pytest.raises(InvalidInput):
        token_issue(user=editor, actor=editor, days=5000)


def test_only_admins_make_tokens_for_others_and_only_superusers_for_superusers(
    editor, checker, admin, django_user_model
):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-pass-9")
    with pytest.raises(ActionForbidden):
        token_issue(user=checker, actor=editor)
    token_issue(user=checker, actor=admin)
    with pytest.raises(ActionForbidden):
        token_issue(user=root, actor=admin)
    token_issue(user=admin, actor=root)


def test_the_command_names_a_user_it_does_not_know(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody", stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_the_command_prints_the_key_once(editor):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "eddie", "--days", "7", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert with_key(key).get(URL).status_code == 200
    assert "not shown again" in err.getvalue()


# ---------------------------------------------------------------------------
# The admin


def test_the_admin_shows_a_new_key_once_and_then_only_its_prefix(client, admin, editor):
    client.force_login(admin)
    r = client.post(
        "/admin/claims/apitoken/add/", {"user": editor.pk, "name": "newsletter", "days": "10"}
    )
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]
    token = ApiToken.objects.get(user=editor)
    key = r.context["key"]
    assert key.startswith(token.prefix) and key in r.content.decode()
    assert token_digest(key) == token.digest
    assert with_key(key).get(URL).status_code == 200
    listing = client.get("/admin/claims/apitoken/").content.decode()
    detail = client.get(f"/admin/claims/apitoken/{token.pk}/change/").content.decode()
    for page in (listing, detail):
        assert token.prefix in page
        assert key not in page and token.digest not in page


def test_the_admin_makes_no_token_for_a_superuser(client, admin, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "x-pass-9")
    client.force_login(admin)
    r = client.post("/admin/claims/apitoken/add/", {"user": root.pk, "name": "as root"})
    assert r.status_code == 200 and r.context["adminform"].form.errors.get("user")
    assert not ApiToken.objects.exists()


def test_drf_s_clear_text_token_admin_is_gone(client, admin):
    client.force_login(admin)
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404


def test_the_migration_moves_old_tokens_over_as_digests(editor):
    old = Token.objects.create(user=editor)
    migration = importlib.import_module("claims.migrations.0017_hashed_tokens")
    migration.forward(global_apps, None)
    assert not Token.objects.exists()
    moved = ApiToken.objects.get(user=editor)
    assert moved.digest == token_digest(old.key) and moved.expires_at > timezone.now()
    assert with_key(old.key).get(URL).status_code == 200
