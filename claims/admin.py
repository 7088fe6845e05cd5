"""The admin is where admins keep the register of sources, places, scales and users.

Claim status is read-only here: it moves only through the workflow services,
which record who, when and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from claims.models import (
    Attribution,
    CandidateRejection,
    CheckPolicy,
    Claim,
    ClaimEvent,
    Comment,
    Evidence,
    Flag,
    FlagEvent,
    Place,
    Rating,
    RatingScale,
    Source,
    SourceAlias,
    Story,
)

# A link typed without a scheme is read as https, as Django 6 will.
HTTPS_LINKS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    extra = 1
    fields = ["name"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["name", "kind", "grade", "country", "active"]
    list_filter = ["kind", "grade", "country", "active"]
    search_fields = ["name", "aliases__name"]
    filter_horizontal = ["depends_on"]
    inlines = [SourceAliasInline]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "kind", "parent", "needs_review"]
    list_filter = ["kind", "needs_review", "country"]
    search_fields = ["name", "country"]
    autocomplete_fields = ["parent"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["headline", "published_at", "desk", "status"]
    list_filter = ["status", "desk"]
    search_fields = ["headline", "body"]
    date_hierarchy = "published_at"


class AttributionInline(admin.TabularInline):
    model = Attribution
    extra = 0
    autocomplete_fields = ["source"]


class EvidenceInline(admin.StackedInline):
    formfield_overrides = HTTPS_LINKS
    model = Evidence
    extra = 0
    readonly_fields = [
        "captured_status",
        "captured_sha256",
        "captured_at",
        "last_status",
        "last_sha256",
        "last_error",
        "checked_at",
    ]


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "kind", "from_status", "to_status", "note", "details"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "event", "place", "period_end", "assignee", "priority"]
    list_filter = ["status", "event", "population", "period_kind", "priority"]
    search_fields = ["text", "normalised"]
    autocomplete_fields = ["place", "story"]
    raw_id_fields = ["assignee", "created_by"]
    readonly_fields = ["status", "version", "decided_at", "country", "created_at", "updated_at"]
    inlines = [AttributionInline, EvidenceInline, ClaimEventInline]


class FlagEventInline(admin.TabularInline):
    model = FlagEvent
    extra = 0
    can_delete = False
    readonly_fields = ["at", "actor", "from_status", "to_status", "note", "details"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["kind", "severity", "status", "message", "last_seen"]
    list_filter = ["status", "kind", "severity"]
    search_fields = ["message"]
    # A flag's status changes only through the flag queue, which records who,
    # when and why; here admins read it.
    readonly_fields = [
        "kind",
        "severity",
        "message",
        "status",
        "resolved_by",
        "resolved_at",
        "resolution_note",
        "resolution_low",
        "resolution_high",
        "resolution_rule",
        "fingerprint",
        "first_seen",
        "last_seen",
        "claims",
        "details",
    ]
    inlines = [FlagEventInline]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(CheckPolicy)
class CheckPolicyAdmin(SimpleHistoryAdmin):
    """The one row of thresholds; its history shows who changed which and when."""

    list_display = [
        "__str__",
        "approx_tolerance",
        "to_date_stale_days",
        "review_deadline_hours",
        "updated_at",
    ]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return not CheckPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 1


@admin.register(RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    list_display = ["name", "worst_rating", "best_rating", "is_default"]
    inlines = [RatingInline]


admin.site.register(Comment)
admin.site.site_header = "Claim desk administration"


@admin.register(CandidateRejection)
class CandidateRejectionAdmin(admin.ModelAdmin):
    """Read-only: rejections are made on the story page, which records who and why."""

    list_display = ["sentence", "story", "rejected_by", "rejected_at"]
    search_fields = ["sentence", "note"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
