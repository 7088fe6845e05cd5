"""An admin keeps the desk's users, and cannot climb past the Admin role: no superuser
flag, no Admin role for others or more for themselves, no superuser's or other
admin's account, no change to the roles' permissions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from claims import roles
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def change_data(user, **changes):  # type: ignore[no-untyped-def]
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def root(django_user_model):  # type: ignore[no-untyped-def]
    return django_user_model.objects.create_superuser("root", "root@example.org", "x-pass-9")


def url(user) -> str:  # type: ignore[no-untyped-def]
    return f"/admin/auth/user/{user.pk}/change/"


def test_an_admin_cannot_make_anyone_a_superuser(client, admin, editor):
    client.force_login(admin)
    page = client.get(url(editor)).content.decode()
    assert 'name="is_superuser"' not in page
    r = client.post(url(editor), change_data(editor, is_superuser="on", is_staff="on"))
    assert r.status_code == 302
    editor.refresh_from_db()
    assert editor.is_staff and not editor.is_superuser


def test_an_admin_cannot_make_themselves_a_superuser_or_more(client, admin):
    client.force_login(admin)
    everything = [g.pk for g in Group.objects.all()]
    r = client.post(url(admin), change_data(admin, is_superuser="on", groups=everything))
    assert r.status_code == 302
    admin.refresh_from_db()
    assert not admin.is_superuser
    assert set(admin.groups.values_list("name", flat=True)) == {roles.ADMIN}


def test_an_admin_grants_desk_roles_but_not_the_admin_role(client, admin, editor):
    client.force_login(admin)
    checker_role = Group.objects.get(name=roles.CHECKER)
    admin_role = Group.objects.get(name=roles.ADMIN)
    r = client.post(url(editor), change_data(editor, groups=[checker_role.pk, admin_role.pk]))
    assert r.status_code == 200 and "groups" in r.context["adminform"].form.errors
    editor.refresh_from_db()
    assert not editor.groups.filter(name=roles.ADMIN).exists()
    r = client.post(url(editor), change_data(editor, groups=[checker_role.pk]))
    assert r.status_code == 302
    assert set(editor.groups.values_list("name", flat=True)) == {roles.CHECKER}


def test_an_admin_cannot_touch_a_superuser_or_another_admin(client, admin, root):
    peer = make_user(roles.ADMIN, "ann")
    client.force_login(admin)
    for target in (root, peer):
        assert client.post(url(target), change_data(target, is_active=None)).status_code == 403
        r = client.post(
            f"/admin/auth/user/{target.pk}/password/",
            {"password1": "n3w-pass-word!", "password2": "n3w-pass-word!"},
        )
        assert r.status_code == 403
        assert (
            client.post(f"/admin/auth/user/{target.pk}/delete/", {"post": "yes"}).status_code == 403
        )
        target.refresh_from_db()
        assert target.is_active and target.check_password(
            "x-pass-9" if target == root else "pass-word-123"
        )


def test_an_admin_cannot_change_what_a_role_may_do(client, admin):
    editor_role = Group.objects.get(name=roles.EDITOR)
    before = set(editor_role.permissions.values_list("pk", flat=True))
    client.force_login(admin)
    r = client.post(
        f"/admin/auth/group/{editor_role.pk}/change/", {"name": "Editor", "permissions": []}
    )
    assert r.status_code == 403
    assert set(editor_role.permissions.values_list("pk", flat=True)) == before


def test_a_superuser_still_grants_everything(client, root, editor):
    client.force_login(root)
    admin_role = Group.objects.get(name=roles.ADMIN)
    r = client.post(url(editor), change_data(editor, is_superuser="on", groups=[admin_role.pk]))
    assert r.status_code == 302
    editor.refresh_from_db()
    assert editor.is_superuser and editor.groups.filter(name=roles.ADMIN).exists()
