"""Who may act as whom: the admin's pages for users, roles and API tokens.

An admin (the Admin role, not a superuser) keeps the desk's users: they make
accounts, grant the Editor and Fact-checker roles and issue API tokens. What would let
them climb past their role stays with superusers: the superuser flag, single
permissions, the Admin role itself, the roles' permissions, and any superuser's or
other admin's account. Tokens are shown once, when made, and listed by their first
characters only (`claims.services.tokens`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from rest_framework.authtoken.models import TokenProxy

from claims import roles
from claims.models import ApiToken
from claims.services.tokens import MAX_DAYS, token_issue


def _is_superuser(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_superuser", False))


# ---------------------------------------------------------------------------
# Users and roles


class DeskUserAdmin(UserAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        if not _is_superuser(request):
            fields += ["is_superuser", "user_permissions"]
            if obj is not None and obj.pk == request.user.pk:
                fields += ["groups", "is_staff", "is_active"]  # no one grants themselves more
        return fields

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not _is_superuser(request):
            kwargs["queryset"] = Group.objects.exclude(name=roles.ADMIN)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _above(self, request: HttpRequest, obj: Any) -> bool:
        """An account this admin may read but not touch: a superuser, or another admin."""
        if obj is None or _is_superuser(request) or obj.pk == request.user.pk:
            return False
        return bool(obj.is_superuser or obj.groups.filter(name=roles.ADMIN).exists())

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._above(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._above(request, obj)


class DeskGroupAdmin(GroupAdmin):
    """The roles' permissions are the desk's design (migration 0002): superusers only."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_superuser(request)


admin.site.unregister(User)
admin.site.register(User, DeskUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, DeskGroupAdmin)
# DRF's own token admin listed every key in clear; the desk's tokens replace it.
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)


# ---------------------------------------------------------------------------
# API tokens


class ApiTokenForm(forms.ModelForm):
    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        help_text="How long it works; empty for the desk's default (API_TOKEN_DAYS).",
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Make a token (its key is shown on the next page, once), list them by their first
    characters, revoke one by deleting it. A token is never changed."""

    form = ApiTokenForm
    list_display = ["__str__", "name", "created_at", "expires_at", "last_used_at", "expired"]
    list_filter = ["expires_at"]
    search_fields = ["user__username", "name", "prefix"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at"]

    @admin.display(boolean=True)
    def expired(self, token: ApiToken) -> bool:
        return token.expired

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else self.readonly_fields

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ["user", "name", "days"] if obj is None else self.readonly_fields

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user" and not _is_superuser(request):
            kwargs["queryset"] = User.objects.filter(is_superuser=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        # The service makes the row; the key rides on the request to the page after.
        # (The form offers only users this admin may make tokens for.)
        token, key = token_issue(
            user=obj.user, actor=request.user, name=obj.name, days=form.cleaned_data["days"]
        )
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))
        obj._state.adding = False
        request._new_token_key = key  # type: ignore[attr-defined]

    def response_add(
        self, request: HttpRequest, obj: ApiToken, post_url_continue: Any = None
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": "API token made",
            "opts": self.model._meta,
            "token": obj,
            "key": getattr(request, "_new_token_key", ""),
        }
        response = TemplateResponse(request, "admin/claims/apitoken/made.html", context)
        # The key is on this page only: never kept by a cache or the browser's history.
        response["Cache-Control"] = "no-store"
        return response
