"""The admin is where admins keep the register of sources, places, scales and users.

Claims are read-only here: every change to a claim goes through the services (on
the desk's pages or the API), which bump its version, keep its country, write its
history (ClaimEvent) and queue a scan. Sources are kept here; saving one queues
the re-mapping of old claims' source words through its new names, and sources
entered twice are merged through `services.source_merge`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models, transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from simple_history.admin import SimpleHistoryAdmin

# admin_access registers the users', roles' and API tokens' pages.
from claims import admin_access, services  # noqa: F401
from claims.errors import DomainError
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
    Incident,
    IncidentEvent,
    Place,
    Rating,
    RatingScale,
    Source,
    SourceAlias,
    Story,
    Topic,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from claims.selectors.track_records import source_track_record, track_record_chart
from claims.services import webhooks

# A link typed without a scheme is read as https, as Django 6 will.
HTTPS_LINKS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    extra = 1
    fields = ["name"]


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(
        queryset=Source.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep this one",
        help_text="The others are merged into it: their claims, evidence and aliases "
        "move to it, and their names become its aliases.",
    )

    def __init__(self, *args: Any, sources: QuerySet[Source], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = sources  # type: ignore[attr-defined]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["name", "kind", "grade", "country", "active"]
    list_filter = ["kind", "grade", "country", "active"]
    search_fields = ["name", "aliases__name"]
    filter_horizontal = ["depends_on"]
    inlines = [SourceAliasInline]
    actions = ["merge_sources"]
    readonly_fields = ["track_record"]

    def get_fields(self, request: HttpRequest, obj: Source | None = None) -> Any:
        # The track record stands right after the grade, so a grade is revised on evidence.
        fields = [f for f in super().get_fields(request, obj) if f != "track_record"]
        if obj is not None:
            fields.insert(fields.index("grade") + 1, "track_record")
        return fields

    @admin.display(description="Track record")
    def track_record(self, source: Source) -> str:
        record = source_track_record(source=source)
        chart = track_record_chart(record, name=source.name)
        return render_to_string(
            "admin/claims/source/track_record.html",
            {"record": record, "chart": chart, "source": source},
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        source = form.instance
        names = []
        if not change or {"name", "active"} & set(form.changed_data):
            names.append(source.name)
        for formset in formsets:
            if formset.model is SourceAlias:
                names += [a.name for a in formset.new_objects]
                names += [a.name for a, _ in formset.changed_objects]
        services.source_names_added(source=source, actor=request.user, names=names)

    @admin.action(description="Merge the selected sources into one", permissions=["delete"])
    def merge_sources(
        self, request: HttpRequest, queryset: QuerySet[Source]
    ) -> HttpResponse | None:
        """Ask which of the picked sources survives, then merge the others into it, all
        or none (one transaction), each through `services.source_merge`."""
        if queryset.count() < 2:
            self.message_user(request, "Pick at least two sources to merge.", messages.WARNING)
            return None
        form = MergeForm(request.POST if "apply" in request.POST else None, sources=queryset)
        if form.is_valid():
            survivor = form.cleaned_data["into"]
            merged = [s.name for s in queryset.exclude(pk=survivor.pk)]
            try:
                with transaction.atomic():
                    for source in queryset.exclude(pk=survivor.pk):
                        services.source_merge(source=source, into=survivor, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"Nothing was merged: {exc.message}", messages.ERROR)
                return None
            self.message_user(request, f"Merged {', '.join(merged)} into {survivor.name}.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Merge sources",
            "opts": self.model._meta,
            "form": form,
            "sources": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/source/merge_sources.html", context)


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


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    """The list of topics editors tag claims and stories with (the Admin role keeps it).
    Who follows a topic is theirs to choose, on the desk: shown here, not edited."""

    list_display = ["name", "claim_count", "story_count", "follower_count", "created_at"]
    search_fields = ["name", "description"]
    fields = ["name", "description", "created_at", "followers"]
    readonly_fields = ["created_at", "followers"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        # A count per link table, each a subquery: joined together they would multiply.
        def count(through: Any) -> Any:
            rows = through.objects.filter(topic_id=OuterRef("pk")).order_by().values("topic_id")
            return Coalesce(Subquery(rows.annotate(n=models.Count("pk")).values("n")), 0)

        return (
            super()
            .get_queryset(request)
            .annotate(
                claims_n=count(Topic.claims.through),
                stories_n=count(Topic.stories.through),
                followers_n=count(Topic.followers.through),
            )
        )

    @admin.display(description="claims", ordering="claims_n")
    def claim_count(self, topic: Any) -> int:
        return int(topic.claims_n)

    @admin.display(description="stories", ordering="stories_n")
    def story_count(self, topic: Any) -> int:
        return int(topic.stories_n)

    @admin.display(description="followers", ordering="followers_n")
    def follower_count(self, topic: Any) -> int:
        return int(topic.followers_n)


class ReadOnlyMixin:
    """Shown, never written here: the services write these rows, with their history."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class AttributionInline(ReadOnlyMixin, admin.TabularInline):
    model = Attribution
    extra = 0


class EvidenceInline(ReadOnlyMixin, admin.StackedInline):
    formfield_overrides = HTTPS_LINKS
    model = Evidence
    extra = 0


class ClaimEventInline(ReadOnlyMixin, admin.TabularInline):
    model = ClaimEvent
    extra = 0


@admin.register(Claim)
class ClaimAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Claims to read and find. Their figures, place, assignee and status change on the
    desk's pages, through the services; a plain ModelAdmin (not SimpleHistoryAdmin) so
    there is no revert that would write an old row back around them either."""

    list_display = ["__str__", "status", "event", "place", "period_end", "assignee", "priority"]
    list_filter = ["status", "event", "population", "period_kind", "priority"]
    search_fields = ["text", "normalised"]
    list_select_related = ["place", "assignee"]
    inlines = [AttributionInline, EvidenceInline, ClaimEventInline]


class IncidentEventInline(ReadOnlyMixin, admin.TabularInline):
    model = IncidentEvent
    extra = 0
    fields = readonly_fields = ("at", "actor", "kind", "claim", "note", "details")


@admin.register(Incident)
class IncidentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Incidents to read and find. They are created, edited, linked, merged and split on
    the desk's pages (or the API), which record each change as an IncidentEvent and on
    the claims' history."""

    list_display = ["label", "kind", "place", "day", "merged_into", "created_at"]
    list_filter = ["kind"]
    search_fields = ["label"]
    list_select_related = ["place", "merged_into"]
    date_hierarchy = "day"
    inlines = [IncidentEventInline]


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


# ---------------------------------------------------------------------------
# Webhooks: endpoints, and the delivery log with redelivery by hand


class WebhookEndpointForm(forms.ModelForm):  # type: ignore[type-arg]
    url = forms.URLField(max_length=1000, assume_scheme="https")
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    secret = forms.CharField(
        max_length=200,
        widget=forms.PasswordInput(render_value=True),
        help_text="Signs each delivery: X-Desk-Signature: sha256=<HMAC-SHA256 of the body>.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "secret", "events", "slack", "high_flags_only", "active"]

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"])
        # The link checker's address guard, as for endpoints registered through the API.
        refusal = webhooks.url_refusal(url)
        if refusal:
            raise forms.ValidationError(refusal)
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "events", "slack", "active", "failing_since", "disabled_at"]
    list_filter = ["active", "slack"]
    readonly_fields = ["failing_since", "disabled_at", "disabled_reason", "created_by"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        if obj.active:
            # Switched on again by hand: its failures start counting afresh.
            obj.failing_since, obj.disabled_at, obj.disabled_reason = None, None, ""
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The delivery log: what was sent where, how each attempt went; redelivery by hand."""

    list_display = [
        "created_at",
        "event",
        "endpoint",
        "status",
        "attempts",
        "last_status",
        "response_ms",
        "last_error",
        "next_attempt_at",
    ]
    list_filter = ["status", "event", "endpoint"]
    search_fields = ["key", "uid", "last_error"]
    actions = ["redeliver"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The action needs the change permission; the rows themselves stay read-only.
        return obj is None and request.user.has_perm("claims.change_webhookdelivery")

    @admin.action(description="Redeliver the selected deliveries")
    def redeliver(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        try:
            ids = services.deliveries_redeliver(
                actor=request.user, delivery_ids=queryset.values_list("pk", flat=True)
            )
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        self.message_user(request, f"{len(ids)} deliveries queued again.", messages.SUCCESS)
