"""The claim desk's domain: sources, places, stories, claims and what hangs off them.

Status never changes in `save()`: every write goes through `claims.services`,
which checks the actor, bumps `Claim.version` and writes the history row.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims import roles
from claims.checks.types import Policy

# The key a register's name (a source, an alias, a place's alias) is stored and looked
# up by is the parser's, so that a name the parser resolves in copy the desk resolves
# too: `tokens.fold` (case, accents, quotes, spaces) with a source's own steps on top
# (no bracketed gloss, punctuation or leading article).
from claims.parsing.sources import normalise_name
from claims.reading import date_problems
from claims.typing import Actor
from claims.weburl import validate_web_url
from claims.wording import format_quantity

# The largest id a row can have (a BigAutoField, on SQLite and PostgreSQL alike): an id
# above it names nothing, and a query that asks for one fails instead of finding none.
MAX_ID = 2**63 - 1


class Grade(models.TextChoices):
    """Source reliability on the Admiralty scale."""

    A = "A", _("A: completely reliable")
    B = "B", _("B: usually reliable")
    C = "C", _("C: fairly reliable")
    D = "D", _("D: not usually reliable")
    E = "E", _("E: unreliable")
    F = "F", _("F: reliability cannot be judged")


class Credibility(models.IntegerChoices):
    """Credibility of the information on the Admiralty scale."""

    CONFIRMED = 1, _("1: confirmed by other sources")
    PROBABLY_TRUE = 2, _("2: probably true")
    POSSIBLY_TRUE = 3, _("3: possibly true")
    DOUBTFUL = 4, _("4: doubtful")
    IMPROBABLE = 5, _("5: improbable")
    CANNOT_JUDGE = 6, _("6: truth cannot be judged")


# ---------------------------------------------------------------------------
# Sources


class SourceQuerySet(models.QuerySet["Source"]):
    def visible_to(self, user: Actor) -> SourceQuerySet:
        return self if roles.has_role(user) else self.none()

    def active(self) -> SourceQuerySet:
        return self.filter(active=True)


class Source(models.Model):
    class Kind(models.TextChoices):
        WIRE = "wire", _("Wire agency")
        GOVERNMENT = "government", _("Government")
        MILITARY = "military", _("Military")
        MONITOR = "monitor", _("NGO or monitor")
        INTERNATIONAL = "international", _("International organisation")
        MEDICAL = "medical", _("Medical")
        ACTIVISTS = "activists", _("Activist network")
        INDIVIDUAL = "individual", _("Individual")
        MEDIA = "media", _("Media outlet")
        DATASET = "dataset", _("Dataset or document")
        SOCIAL = "social", _("Social account")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    url = models.URLField(blank=True, validators=[validate_web_url])
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    grade = models.CharField(max_length=1, choices=Grade.choices, default=Grade.F)
    notes = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    # A wire agency quoting the Observatory is not an independent second source:
    # corroboration counts only sources that do not depend on each other.
    depends_on = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="relayed_by",
        help_text="Sources this one is not independent of.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "grade"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("api:source-detail", args=[self.pk])


class SourceAlias(models.Model):
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    # Unique across the register: one alias text names one source, so that
    # "the Observatory" never resolves two ways.
    normalised = models.CharField(max_length=200, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "source aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["normalised"],
                name="alias_text_unique",
                violation_error_message="This alias already names a source.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.normalised = normalise_name(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # The form does not carry `normalised`, so Django would skip the unique
        # constraint on it: check here to answer with a message, not a crash.
        self.normalised = normalise_name(self.name)
        clash = SourceAlias.objects.filter(normalised=self.normalised).exclude(pk=self.pk)
        if self.normalised and clash.exists():
            owner = clash.select_related("source").first()
            raise ValidationError(
                {"name": f"{self.name!r} already names {owner.source if owner else 'a source'}."}
            )


# ---------------------------------------------------------------------------
# Places


class Place(models.Model):
    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region"
        CITY = "city", "City"
        DISTRICT = "district", "District"

    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, help_text="ISO 3166-1 alpha-2")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CITY)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    aliases = models.JSONField(default=list, blank=True, help_text="Other names copy uses.")
    geonameid = models.PositiveIntegerField(null=True, blank=True, unique=True)
    # Created on demand for a name the gazetteer does not know: an admin checks it.
    needs_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "kind", "name"],
                name="place_unique_per_country",
                violation_error_message="This place already exists in that country.",
            )
        ]
        indexes = [models.Index(fields=["country"])]

    def __str__(self) -> str:
        return self.label(self.name, self.kind, self.country)

    @staticmethod
    def label(name: str, kind: str, country: str) -> str:
        """How a place is named in a menu: "Aleppo (SY)", a country by its name alone."""
        return name if kind == Place.Kind.COUNTRY else f"{name} ({country})"

    def ancestor_ids(self) -> list[int]:
        ids: list[int] = []
        node = self.parent
        while node is not None and node.pk not in ids:
            ids.append(node.pk)
            node = node.parent
        return ids


# ---------------------------------------------------------------------------
# Stories


# The longest copy a story may hold. A 10,000-word long-read runs to some 65,000
# characters; at 100,000 a story's first view (which reads and stores its extraction)
# takes about half a second of CPU and each later page under a fifth of one, a page of
# candidates at a time. The form, the API and the model all refuse longer copy with
# `story_body_too_long`.
STORY_MAX_CHARS = 100_000


def story_body_too_long(length: int) -> str:
    return (
        f"The copy is {length:,} characters long; a story holds at most "
        f"{STORY_MAX_CHARS:,}. Split a longer piece into parts."
    )


def validate_story_body(value: str) -> None:
    """The story cap, said the same way by the story form, the API and the model."""
    if len(value) > STORY_MAX_CHARS:
        raise ValidationError(story_body_too_long(len(value)), code="max_length")


class TopicQuerySet(models.QuerySet["Topic"]):
    def visible_to(self, user: Actor) -> TopicQuerySet:
        return self if roles.has_role(user) else self.none()


class Topic(models.Model):
    """A subject the desk follows across stories ("Sudan war", "Turkey quake 2023").
    Admins keep the list; editors tag claims and stories with it, and anyone on the desk
    may follow one to hear of its new high flags."""

    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="followed_topics", blank=True
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="topic_name_unique_ci",
                violation_error_message="A topic with this name already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("topic_detail", args=[self.pk])


class StoryQuerySet(models.QuerySet["Story"]):
    def visible_to(self, user: Actor) -> StoryQuerySet:
        return self if roles.has_role(user) else self.none()


def refuse_dates_no_one_means(record: models.Model, names: tuple[str, ...]) -> None:
    """The date rule (`claims.reading.date_problems`) on a row's date fields, as the
    field errors of its validation: a year typed as 24 or 9999 never reaches a chart."""
    problems = date_problems(
        {name: getattr(record, name) for name in names}, today=timezone.localdate()
    )
    if problems:
        raise ValidationError(problems)


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    headline = models.CharField(max_length=300)
    body = models.TextField(blank=True, validators=[validate_story_body])
    url = models.URLField(blank=True, validators=[validate_web_url])
    byline = models.CharField(max_length=200, blank=True)
    desk = models.CharField(max_length=100, blank=True)
    # The date that "today", "yesterday" and "this month" are read against.
    published_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # The body's language (ISO 639-1), detected when the body is saved: the desk reads
    # English copy and says so when a story is in another language.
    language = models.CharField(max_length=8, blank=True)
    # The candidates the parser found in the body, stored so that a page view does not
    # read a long story again; `extraction_key` names the body, date and registers they
    # were read from, and a change to any of them makes the extraction stale.
    extraction = models.JSONField(null=True, blank=True, editable=False)
    extraction_key = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    topics = models.ManyToManyField(Topic, related_name="stories", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name_plural = "stories"
        indexes = [models.Index(fields=["-published_at"])]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("story_detail", args=[self.pk])

    def clean(self) -> None:
        refuse_dates_no_one_means(self, ("published_at",))


class CandidateRejection(models.Model):
    """An editor's "no" to a sentence the parser offered as a claim: kept so the
    sentence is not offered again, and so the desk can see who turned it down and why."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="rejections")
    # The candidate's offsets in the story's body and its words when it was rejected:
    # an edited body can move a sentence, and a rejection counts only for the same words.
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    sentence = models.TextField()
    # The figure phrase that was turned down ("at least 51 people"); a sentence with
    # several figures has a rejection per figure.
    words = models.CharField(max_length=300, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rejected_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["story", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "start", "end"],
                name="candidate_rejection_unique",
                violation_error_message="This candidate is already rejected.",
            )
        ]

    def __str__(self) -> str:
        return f"Rejected: {self.sentence[:60]}"


# ---------------------------------------------------------------------------
# Rating scales (verdicts for publishing)


class RatingScale(models.Model):
    name = models.CharField(max_length=100, unique=True)
    best_rating = models.PositiveSmallIntegerField(default=5)
    worst_rating = models.PositiveSmallIntegerField(default=1)
    is_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(worst_rating__lt=F("best_rating")),
                name="scale_worst_below_best",
                violation_error_message="The worst rating must be below the best rating.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    scale = models.ForeignKey(RatingScale, on_delete=models.CASCADE, related_name="ratings")
    value = models.PositiveSmallIntegerField()
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["scale", "-value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="rating_value_unique"),
            models.UniqueConstraint(fields=["scale", "label"], name="rating_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.scale.name})"


# ---------------------------------------------------------------------------
# Incidents: one event (an attack, a strike, a quake, a fire) whose tolls are compared


class IncidentQuerySet(models.QuerySet["Incident"]):
    def visible_to(self, user: Actor) -> IncidentQuerySet:
        return self if roles.has_role(user) else self.none()

    def current(self) -> IncidentQuerySet:
        """Incidents not merged into another."""
        return self.filter(merged_into__isnull=True)


class Incident(models.Model):
    # "Market bombing, Idlib, 8 March": what the desk calls the event.
    label = models.CharField(max_length=200)
    # The incident's noun as copy gives it ("bombing", "strike", "quake", "sinking").
    kind = models.CharField(max_length=40, blank=True)
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="incidents"
    )
    # The day it happened, when copy says so.
    day = models.DateField(null=True, blank=True)
    # A merged incident stays on record (its history, old links) and points at the one
    # that holds its claims now.
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["kind", "day"], name="incident_kind_day_idx")]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("incident_detail", args=[self.pk])


class IncidentEvent(models.Model):
    """One row per thing that happened to an incident: created, edited, a claim linked
    or unlinked, merged, split, a suggestion confirmed or rejected; who, when and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        LINKED = "linked", _("claim linked")
        UNLINKED = "unlinked", _("claim unlinked")
        MERGED = "merged", _("merged")
        SPLIT = "split", _("split")
        SUGGESTION_CONFIRMED = "suggestion_confirmed", _("suggestion confirmed")
        SUGGESTION_REJECTED = "suggestion_rejected", _("suggestion rejected")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    claim = models.ForeignKey(
        "Claim", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["incident", "at"], name="incidentevent_incident_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.incident_id}"


# ---------------------------------------------------------------------------
# Claims


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    VERIFIED = "verified", _("Verified")
    ATTRIBUTED = "attributed", _("Attributed only")
    DISPUTED = "disputed", _("Disputed")
    FALSE = "false", _("False")
    RETRACTED = "retracted", _("Retracted")


DECIDED = frozenset({Status.VERIFIED, Status.ATTRIBUTED, Status.DISPUTED, Status.FALSE})
OPEN = frozenset({Status.NEW, Status.IN_REVIEW})


class Qualifier(models.TextChoices):
    EXACT = "exact", "exactly"
    APPROX = "approx", "about"
    AT_LEAST = "at_least", "at least"
    MORE_THAN = "more_than", "more than"
    AT_MOST = "at_most", "up to"
    FEWER_THAN = "fewer_than", "fewer than"
    RANGE = "range", "between"
    VAGUE = "vague", "vague"


class Event(models.TextChoices):
    KILLED = "killed", _("killed")
    INJURED = "injured", _("injured")
    DISPLACED = "displaced", _("displaced")
    EVACUATED = "evacuated", _("evacuated")
    DETAINED = "detained", _("detained")
    MISSING = "missing", _("missing")
    OTHER = "other", _("other")


class Population(models.TextChoices):
    ALL = "all", _("all")
    CIVILIANS = "civilians", _("civilians")
    COMBATANTS = "combatants", _("combatants")
    CHILDREN = "children", _("children")


class PeriodKind(models.TextChoices):
    DAY = "day", _("day")
    SPAN = "span", _("span")
    TO_DATE = "to_date", _("to date")


class Priority(models.IntegerChoices):
    LOW = 0, _("Low")
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    URGENT = 3, _("Urgent")


class ClaimQuerySet(models.QuerySet["Claim"]):
    def visible_to(self, user: Actor) -> ClaimQuerySet:
        """Everyone on the desk sees every claim; signed-in users without a role see none."""
        return self if roles.has_role(user) else self.none()

    def current(self) -> ClaimQuerySet:
        """Claims not merged into another: what lists, queues and scans read."""
        return self.filter(merged_into__isnull=True)

    def with_related(self) -> ClaimQuerySet:
        # A claim needs its story's headline and date, never its body or the candidates
        # stored with it (hundreds of KB for a long story).
        return (
            self.select_related("story", "place", "assignee", "verdict")
            .defer("story__body", "story__extraction")
            .prefetch_related(
                models.Prefetch(
                    "attributions", queryset=Attribution.objects.select_related("source")
                )
            )
            # The policy's tolerance rides in the same query, so that a list writes each
            # figure ("about 500") without a query per row.
            .annotate(
                policy_tolerance=models.Subquery(
                    CheckPolicy.objects.filter(pk=1).values("approx_tolerance")[:1]
                )
            )
        )


# One claim, typed or pasted: as much as the parse endpoint reads. The claim form and the
# API both refuse longer text, with this limit in the message.
CLAIM_TEXT_MAX_CHARS = 5_000


def claim_text_too_long(length: int) -> str:
    """What the claim form says under its text box, and the API in its 400, when the
    words run over the limit."""
    return (
        f"The claim is {length:,} characters long; the limit is {CLAIM_TEXT_MAX_CHARS:,}. "
        "Shorten it to the sentence that makes the claim."
    )


class Claim(models.Model):
    text = models.TextField(help_text="The claim as written in the copy.")
    normalised = models.TextField(blank=True, help_text="An optional normalised statement.")
    story = models.ForeignKey(
        Story, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    # Provenance within the story's text, when the claim was found there.
    story_start = models.PositiveIntegerField(null=True, blank=True)
    story_end = models.PositiveIntegerField(null=True, blank=True)
    # The story's words the claim stands for: its figure phrase and that phrase's
    # sentence, as accepted (or since re-read or kept). The offsets follow these words
    # when the copy moves; other words at the offsets are a change for the editor to
    # answer, never the claim itself.
    story_words = models.CharField(max_length=300, blank=True, editable=False)
    story_sentence = models.TextField(blank=True, editable=False)
    # The date the time words were read against (the story's date, or given).
    reported_on = models.DateField(null=True, blank=True)

    value_low = models.BigIntegerField(null=True, blank=True)
    value_high = models.BigIntegerField(
        null=True, blank=True, help_text="Empty means no upper bound."
    )
    qualifier = models.CharField(max_length=12, choices=Qualifier.choices, blank=True)
    unit = models.CharField(max_length=40, blank=True)
    # "could reach thousands": a figure someone expects, not one they counted. The
    # checks leave projections out.
    is_projection = models.BooleanField(default=False)
    event = models.CharField(max_length=12, choices=Event.choices, blank=True)
    population = models.CharField(max_length=12, choices=Population.choices, default=Population.ALL)

    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )
    # Copied from the place so that the jobs' block lookups (event, country) use one index.
    country = models.CharField(max_length=2, blank=True, editable=False)

    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_kind = models.CharField(max_length=8, choices=PeriodKind.choices, blank=True)
    time_expression = models.CharField(max_length=200, blank=True)
    # The copy's words for a source the register does not know yet, kept for an
    # editor to map to a source (or an admin to create one).
    source_text = models.CharField(max_length=200, blank=True)
    # The text's language (ISO 639-1), detected when the claim is saved.
    language = models.CharField(max_length=8, blank=True)
    # The event the figure is a toll of: within one incident, a figure without a time
    # frame is a running count as of its report date (DESIGN, "Incidents").
    incident = models.ForeignKey(
        Incident, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    # The words that name the incident in the text, as the parser read them (kind,
    # noun, venue, place_text, day, start, end), kept for the job that links claims:
    # `{}` when the text names none, null when it was never read.
    incident_words = models.JSONField(null=True, blank=True, editable=False)
    # A person linked or unlinked this claim: the job leaves its incident alone.
    incident_fixed = models.BooleanField(default=False, editable=False)

    sources: models.ManyToManyField[Source, Attribution] = models.ManyToManyField(
        Source, through="Attribution", related_name="claims"
    )
    topics = models.ManyToManyField(Topic, related_name="claims", blank=True)

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    credibility = models.PositiveSmallIntegerField(
        choices=Credibility.choices, null=True, blank=True
    )
    # No index of its own, nor has created_by: nothing looks claims up by them but the
    # rare deletion of a rating or a user, and each index of claims is one more write for
    # every claim whose open_severity a scan restamps (migration 0034_fewer_claim_indexes).
    verdict = models.ForeignKey(
        Rating,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        db_index=False,
    )
    # No index of its own: claim_assignee_idx (assignee, status) serves its look-ups, and
    # every index is one more write when the scans restamp a claim's open_severity.
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
        db_index=False,
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    due_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the claim last changed status (`claim_transition`); empty while it has not
    # moved since it was logged. The queues show the time in the current stage from it,
    # read with the row rather than from the history a query per claim.
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The severity of the claim's worst unresolved flag, 0 with none: the first key of
    # "most urgent first". Database triggers keep it (migration 0023_page_indexes), on
    # every write to a flag's status or severity or to a flag's claims, whoever makes
    # it; computed per row at query time it cost a lookup per claim in the queue.
    open_severity = models.PositiveSmallIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    # A duplicate folded into another claim (`services.claim_merge`): it stays on record,
    # with its history, and its page and API answer send readers to the survivor.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_claims",
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_claims",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # No simple_history here: a claim's one trail is its ClaimEvent rows (README, "History").
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [
            ("decide_claim", "Can take, decide and reopen claims"),
            ("assign_claim", "Can assign claims and set their priority"),
            ("retract_claim", "Can retract claims"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(value_low__isnull=True) | Q(value_low__gte=0),
                name="claim_value_low_not_negative",
                violation_error_message="A count cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(value_low__isnull=True)
                | Q(value_high__isnull=True)
                | Q(value_low__lte=F("value_high")),
                name="claim_value_low_lte_high",
                violation_error_message="The low value must not exceed the high value.",
            ),
            models.CheckConstraint(
                condition=Q(value_high__isnull=True) | Q(value_low__isnull=False),
                name="claim_value_high_needs_low",
                violation_error_message="A high value needs a low value.",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_start__lte=F("period_end")),
                name="claim_period_start_lte_end",
                violation_error_message="The period must not end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True, period_end__isnull=True)
                | Q(period_start__isnull=False, period_end__isnull=False),
                name="claim_period_both_or_neither",
                violation_error_message="A period needs both a start and an end.",
            ),
        ]
        indexes = [
            models.Index(fields=["assignee", "status"], name="claim_assignee_idx"),
            models.Index(
                fields=["event", "unit", "country", "period_start"], name="claim_block_idx"
            ),
            models.Index(fields=["due_at"], name="claim_due_idx"),
            # The job's look-up of the claims reported within a few days of a saved
            # one, in its (event, country) block, whose words may name its incident.
            models.Index(fields=["event", "country", "reported_on"], name="claim_reported_idx"),
            # The queues' "most urgent first" and the claims list's default order, so
            # that a page of 50 is read from the index rather than sorted from all rows.
            # Both cover only current claims (not merged into another), as every list
            # and queue asks: the Flagged queue's count is then read from the index.
            models.Index(
                F("open_severity").desc(),
                F("priority").desc(),
                F("due_at").asc(),  # nulls last: PostgreSQL's default for ascending
                F("created_at").asc(),
                F("id").desc(),
                name="claim_urgent_idx",
                condition=Q(merged_into__isnull=True),
            ),
            models.Index(
                F("priority").desc(),
                F("created_at").desc(),
                F("id").desc(),
                name="claim_list_order_idx",
                condition=Q(merged_into__isnull=True),
            ),
            # The queues' counts from small indexes alone (0032_queue_rows): New and
            # Mine by status and assignee, Flagged by its stored worst open severity.
            models.Index(
                fields=["status", "assignee"],
                name="claim_current_status_idx",
                condition=Q(merged_into__isnull=True),
            ),
            models.Index(
                fields=["open_severity"],
                name="claim_flagged_idx",
                condition=Q(merged_into__isnull=True, open_severity__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def get_absolute_url(self) -> str:
        return reverse("claim_detail", args=[self.pk])

    def clean(self) -> None:
        refuse_dates_no_one_means(self, ("reported_on", "period_start", "period_end", "due_at"))

    # The table's check constraints, read in Python by name. Django would validate each
    # with a query of its own (five a save, the most of a claim's writes); the database
    # still enforces them, and tests/test_constraints.py keeps this list and theirs one.
    CHECKED_IN_PYTHON: dict[str, Any] = {
        "claim_value_low_not_negative": lambda c: c.value_low is None or c.value_low >= 0,
        "claim_value_low_lte_high": lambda c: (
            c.value_low is None or c.value_high is None or c.value_low <= c.value_high
        ),
        "claim_value_high_needs_low": lambda c: c.value_high is None or c.value_low is not None,
        "claim_period_start_lte_end": lambda c: (
            c.period_start is None or c.period_end is None or c.period_start <= c.period_end
        ),
        "claim_period_both_or_neither": lambda c: (
            (c.period_start is None) == (c.period_end is None)
        ),
    }

    def validate_constraints(self, exclude: Any = None) -> None:
        messages = [
            constraint.get_violation_error_message()
            for constraint in self._meta.constraints
            if not self.CHECKED_IN_PYTHON[constraint.name](self)
        ]
        if messages:
            raise ValidationError({NON_FIELD_ERRORS: messages})

    @property
    def has_number(self) -> bool:
        return self.value_low is not None

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED

    def figure(self) -> str:
        """The quantity as copy would write it: "about 400", "at least 51", "20 to 30",
        with the check policy's tolerance (read with the claim by `with_related`)."""
        if self.value_low is None:
            return ""
        if not hasattr(self, "policy_tolerance"):
            tolerance = CheckPolicy.load().approx_tolerance
        else:
            tolerance = read_tolerance(self.policy_tolerance)
        return format_quantity(self.value_low, self.value_high, self.qualifier or None, tolerance)


class Attribution(models.Model):
    class Role(models.TextChoices):
        ATTRIBUTED_TO = "attributed_to", _("attributed to")
        CORROBORATED_BY = "corroborated_by", _("corroborated by")
        CONTRADICTED_BY = "contradicted_by", _("contradicted by")

    # The roles in which a source says what the claim says: a source's track record and
    # a claim's corroboration count these, never a source that contradicts the claim.
    SAYS_SO = (Role.ATTRIBUTED_TO, Role.CORROBORATED_BY)

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="attributions")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="attributions")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.ATTRIBUTED_TO)
    source_text = models.CharField(max_length=200, blank=True, help_text="The words the copy used.")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "source", "role"], name="attribution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.source}"


class Evidence(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", _("supports")
        CONTRADICTS = "contradicts", _("contradicts")
        CONTEXT = "context", _("context")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(
        Source, on_delete=models.SET_NULL, null=True, blank=True, related_name="evidence"
    )
    url = models.URLField(max_length=1000, validators=[validate_web_url])
    excerpt = models.TextField(blank=True)
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.SUPPORTS)
    accessed_at = models.DateTimeField(null=True, blank=True)
    archived_url = models.URLField(max_length=1000, blank=True, validators=[validate_web_url])
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # What was seen when the page was captured, and on the latest check: a page
    # that vanished or changed is noticed, and the original stays on record.
    captured_status = models.PositiveSmallIntegerField(null=True, blank=True)
    captured_sha256 = models.CharField(max_length=64, blank=True)
    captured_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_sha256 = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["checked_at"], name="evidence_checked_idx")]

    def __str__(self) -> str:
        return self.url


class EvidenceSnapshot(models.Model):
    """The page behind an evidence link as the link checker saw it when the evidence was
    added or its claim decided: a page that changes or vanishes later is still on record.
    The HTML goes through Django's storage (a setting away from S3-style storage)."""

    class Reason(models.TextChoices):
        ADDED = "added", _("when the evidence was added")
        DECIDED = "decided", _("when the claim was decided")

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="snapshots")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    taken_at = models.DateTimeField()
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    final_url = models.URLField(max_length=1000, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    html = models.FileField(upload_to="snapshots/%Y/%m/", blank=True, max_length=300)
    text = models.TextField(blank=True)
    # The page was longer than the snapshot keeps: its start is stored.
    truncated = models.BooleanField(default=False)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return f"Snapshot of {self.evidence.url} at {self.taken_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("snapshot_detail", args=[self.pk])

    @property
    def ok(self) -> bool:
        return not self.error and self.status is not None and 200 <= self.status < 300


class Comment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]


class ClaimEvent(models.Model):
    """One row per thing that happened to a claim: who, when, from, to and why."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        EDITED = "edited", _("edited")
        TRANSITION = "transition", _("status changed")
        ASSIGNED = "assigned", _("assigned")
        PRIORITY = "priority", _("priority changed")
        EVIDENCE_ADDED = "evidence_added", _("evidence added")
        EVIDENCE_REMOVED = "evidence_removed", _("evidence removed")
        COMMENTED = "commented", _("commented")
        FLAG = "flag", _("flag")
        INCIDENT = "incident", _("incident changed")
        TOPICS = "topics", _("topics changed")
        PUBLISHED = "published", _("review published")
        UNPUBLISHED = "unpublished", _("review taken down")
        MERGED = "merged", _("merged")
        STORY_LINKED = "story_linked", _("story linked")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["claim", "at"], name="claimevent_claim_idx"),
            models.Index(fields=["-at"], name="claimevent_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.from_status}->{self.to_status}"


class StoryLink(models.Model):
    """Words of a story that make a claim the desk already has: an editor's "same claim"
    at entry, or the story of a duplicate merged into the claim. The claim is carried by
    that story too, and its status and verdict serve it. A claim's first story stays
    `Claim.story` (with its words); these rows are the others."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="story_links")
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="claim_links")
    # Where the words stood in the story's body, and the words themselves (as on
    # `Claim`); a claim typed by hand and linked to a story has no offsets.
    story_start = models.PositiveIntegerField(null=True, blank=True)
    story_end = models.PositiveIntegerField(null=True, blank=True)
    story_words = models.CharField(max_length=300, blank=True)
    story_sentence = models.TextField(blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    linked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["linked_at", "id"]
        indexes = [models.Index(fields=["story", "claim"], name="storylink_story_idx")]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} in story {self.story_id}"


# ---------------------------------------------------------------------------
# Publishing: a decided claim's public review, and the stories to correct when a
# decision they carry changes


def new_review_key() -> str:
    # The review's address: unguessable, so a page not (or no longer) published
    # cannot be found by counting ids.
    return secrets.token_urlsafe(12)


class PublishedReviewQuerySet(models.QuerySet["PublishedReview"]):
    def public(self) -> PublishedReviewQuerySet:
        """Reviews anyone may read: published, not taken down, on a claim decided now
        (a reopened or retracted claim's review is hidden until it is decided again)."""
        return self.filter(live=True, claim__status__in=DECIDED)


class PublishedReview(models.Model):
    """A decided claim's review as the public reads it, at `/reviews/<key>/`. Written
    by `claims.services.publishing` only; its history is the claim's ClaimEvent rows."""

    claim = models.OneToOneField(Claim, on_delete=models.CASCADE, related_name="review")
    key = models.CharField(max_length=32, unique=True, default=new_review_key, editable=False)
    summary = models.TextField()
    live = models.BooleanField(default=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The first publication (ClaimReview's datePublished), and the last change to what
    # the page says since then (dateModified): a new decision, verdict or summary.
    published_at = models.DateTimeField()
    modified_at = models.DateTimeField(null=True, blank=True)
    unpublished_at = models.DateTimeField(null=True, blank=True)

    objects = PublishedReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["live", "-published_at"], name="review_index_idx")]

    def __str__(self) -> str:
        return f"Review of claim {self.claim_id}"

    def get_absolute_url(self) -> str:
        return reverse("review_detail", args=[self.key])


class Correction(models.Model):
    """A published story carries a claim whose decision changed after the story went
    out (a new status or verdict, or a retraction): the story's editor corrects the
    copy or says it stands. One open correction per story and claim; a later change
    to the same claim updates it."""

    class Reason(models.TextChoices):
        RETRACTED = "retracted", _("the claim was retracted")
        REOPENED = "reopened", _("the decision was reopened")
        DECIDED_AGAIN = "decided_again", _("the claim was decided again")
        VERDICT_CHANGED = "verdict_changed", _("the verdict changed")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="corrections")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    # The change that makes it needed, with who, when, from, to and why.
    event = models.ForeignKey(
        ClaimEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    changed_at = models.DateTimeField()
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["story", "claim"],
                condition=Q(resolved_at__isnull=True),
                name="correction_open_unique",
            )
        ]
        indexes = [models.Index(fields=["resolved_at", "-changed_at"], name="correction_queue_idx")]

    def __str__(self) -> str:
        return f"Correct story {self.story_id}: claim {self.claim_id} ({self.reason})"


class StoryEvent(models.Model):
    """A story's history: one row per thing that happened to it, with who did it and,
    for what asks for an answer, whom it is for (the story's editor)."""

    class Kind(models.TextChoices):
        CORRECTION_NEEDED = "correction_needed", _("correction needed")
        CORRECTED = "corrected", _("corrections answered")
        TOPICS = "topics", _("topics changed")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Whom the row is for: the story's editor, told that a claim in it changed.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="story_events",
    )
    at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    claim = models.ForeignKey(
        Claim, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["story", "at"], name="storyevent_story_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.story_id}"


# ---------------------------------------------------------------------------
# Flags raised by the jobs


class Severity(models.IntegerChoices):
    INFO = 10, "info"
    LOW = 20, "low"
    MEDIUM = 30, "medium"
    HIGH = 40, "high"


class FlagQuerySet(models.QuerySet["Flag"]):
    def visible_to(self, user: Actor) -> FlagQuerySet:
        return self if roles.has_role(user) else self.none()

    def unresolved(self) -> FlagQuerySet:
        return self.filter(status__in=Flag.UNRESOLVED)


class Flag(models.Model):
    class Kind(models.TextChoices):
        VALUE_CONFLICT = "value_conflict", _("value conflict")
        SUB_PERIOD_EXCEEDS_TOTAL = "sub_period_exceeds_total", _("day count exceeds period total")
        SUB_PLACE_EXCEEDS_TOTAL = "sub_place_exceeds_total", _("local count exceeds wider total")
        COUNT_DECREASED = "count_decreased", _("running count decreased")
        VERDICT_CONFLICT = "verdict_conflict", _("verdicts conflict")
        DUPLICATE = "duplicate", _("duplicate")
        SUPERSEDED = "superseded", _("superseded by a newer figure")
        VERIFICATION_EXPIRED = "verification_expired", _("verification expired")
        EVIDENCE_UNREACHABLE = "evidence_unreachable", _("evidence unreachable")
        EVIDENCE_CHANGED = "evidence_changed", _("evidence changed")
        REVIEW_OVERDUE = "review_overdue", _("review overdue")
        INCIDENT_SUGGESTED = "incident_suggested", _("same incident?")

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        RESOLVED = "resolved", _("resolved")
        DISMISSED = "dismissed", _("dismissed")

    # A flag still waiting for an answer (the scan's or a person's).
    UNRESOLVED = (Status.OPEN, Status.ACKNOWLEDGED)

    class Rule(models.TextChoices):
        LOWEST_CREDIBLE = "lowest_credible", _("lowest credible figure")
        RANGE = "range", _("a range")
        MOST_RELIABLE = "most_reliable", _("the most reliable source")
        CORRECTION = "correction", _("a correction of one claim")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    claims = models.ManyToManyField(Claim, related_name="flags")
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.MEDIUM)
    message = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    # Unique by a constraint rather than `unique=True`, which on PostgreSQL adds a
    # second (LIKE) index that every scan's write would have to keep up.
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)

    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    # The figure the desk will use, and the rule that chose it.
    resolution_low = models.BigIntegerField(null=True, blank=True)
    resolution_high = models.BigIntegerField(null=True, blank=True)
    resolution_rule = models.CharField(max_length=20, choices=Rule.choices, blank=True)
    # The claim whose figure stood when a person resolved a conflict about figures: the
    # flag's other claims were on the losing side, which their sources' track records
    # count. Empty when no one claim stood (a range, a figure of the desk's own).
    resolution_claim = models.ForeignKey(
        "Claim", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField()

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-severity", "-last_seen", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolution_low__isnull=True)
                | Q(resolution_high__isnull=True)
                | Q(resolution_low__lte=F("resolution_high")),
                name="flag_resolution_low_lte_high",
                violation_error_message="The low figure must not exceed the high figure.",
            ),
            models.UniqueConstraint(fields=["fingerprint"], name="flag_fingerprint_unique"),
        ]
        indexes = [models.Index(fields=["status", "-severity", "kind"], name="flag_queue_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.message[:60]}"


def open_flag_of(kinds: Any) -> models.Exists:
    """For a claim query: the claim has an unresolved flag of one of these kinds.
    A subquery rather than a join, so no duplicate rows and no DISTINCT."""
    return models.Exists(
        Flag.claims.through.objects.filter(
            claim_id=models.OuterRef("pk"), flag__kind__in=kinds, flag__status__in=Flag.UNRESOLVED
        )
    )


FlagStatus = Flag.Status  # for the API schema's enum names
FlagRule = Flag.Rule
SourceKind = Source.Kind


class FlagEvent(models.Model):
    """Every change of a flag's status, by a person or by a scan (actor empty)."""

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=12, choices=Flag.Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Flag.Status.choices)
    note = models.TextField(blank=True)
    # The figure and rule of a resolution, kept here because a flag that
    # reopens and is resolved again overwrites its own resolution fields.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status}->{self.to_status}"


class ScanRun(models.Model):
    """A full contradiction scan split into parts, each part a task on any worker
    (`checks.sync.plan_full_scan`); the run is finished when its last part is."""

    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"scan {self.pk} ({'finished' if self.finished_at else 'running'})"


class ScanPart(models.Model):
    """The blocks one task of a split scan compares: (event, country) pairs, which no rule
    pairs a claim across, joined where one incident's tolls span several."""

    run = models.ForeignKey(ScanRun, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    blocks = models.JSONField(default=list)
    claims = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    touched = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="scanpart_run_index_unique")
        ]

    def __str__(self) -> str:
        return f"scan {self.run_id} part {self.index}"


# ---------------------------------------------------------------------------
# The jobs' thresholds


def _default_tolerance() -> float:
    # The setting is the policy's first value only; pages and checks read the policy.
    return float(settings.APPROX_TOLERANCE)


def read_tolerance(annotated: float | None) -> float:
    """The tolerance read with a claim (`policy_tolerance`, see `with_related`): the
    policy row's, or before there is a row, the value it would get."""
    return _default_tolerance() if annotated is None else float(annotated)


# The thresholds' defaults have one home, the checks' Policy.
_DEFAULTS = Policy()


class CheckPolicy(models.Model):
    """The thresholds the parser and the jobs use: one row, edited by admins."""

    approx_tolerance = models.FloatField(
        default=_default_tolerance,
        validators=[MinValueValidator(0.0), MaxValueValidator(0.5)],
        help_text="How far 'about 400' reaches either side, as a fraction (0.10 = 360 to 440).",
    )
    to_date_stale_days = models.PositiveSmallIntegerField(
        default=_DEFAULTS.to_date_stale_days,
        validators=[MinValueValidator(1)],
        help_text="Days after which a decision on a to-date figure ('so far this month') "
        "must be checked again.",
    )
    span_max_age_days = models.PositiveSmallIntegerField(
        default=_DEFAULTS.decision_max_age_days["span"],
        validators=[MinValueValidator(1)],
        help_text="Days a decision on a figure for a closed period stays good.",
    )
    day_max_age_days = models.PositiveSmallIntegerField(
        default=_DEFAULTS.decision_max_age_days["day"],
        validators=[MinValueValidator(1)],
        help_text="Days a decision on a single day's figure (or a claim with no period) "
        "stays good.",
    )
    review_deadline_hours = models.PositiveSmallIntegerField(
        default=48,
        validators=[MinValueValidator(1)],
        help_text="Hours a new claim may wait for its decision before it is overdue.",
    )
    link_check_interval_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1)],
        help_text="Hours between two checks of the same evidence link.",
    )
    duplicate_similarity = models.FloatField(
        default=_DEFAULTS.duplicate_similarity,
        validators=[MinValueValidator(50.0), MaxValueValidator(100.0)],
        help_text="Text similarity (0-100) above which two claims are duplicates.",
    )
    credible_grades = models.CharField(
        max_length=6,
        default="".join(sorted(_DEFAULTS.credible_grades)),
        validators=[RegexValidator(r"^[A-F]{1,6}$", "Give source grades as letters A to F.")],
        help_text="Source grades whose conflicts are urgent (high severity).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "check policy"
        verbose_name_plural = "check policy"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="checkpolicy_single_row"),
        ]

    def __str__(self) -> str:
        return "Check policy"

    @classmethod
    def load(cls) -> CheckPolicy:
        policy, _ = cls.objects.get_or_create(pk=1)
        return policy

    def as_policy(self) -> Policy:
        return Policy(
            tolerance=self.approx_tolerance,
            to_date_stale_days=self.to_date_stale_days,
            decision_max_age_days={
                "day": self.day_max_age_days,
                "span": self.span_max_age_days,
                "to_date": self.to_date_stale_days,
            },
            duplicate_similarity=self.duplicate_similarity,
            credible_grades=frozenset(self.credible_grades),
        )


# ---------------------------------------------------------------------------
# API tokens


class ApiToken(models.Model):
    """A key for the API, stored only as its SHA-256: the key is shown once, when it is
    made (`claims.services.tokens`), so nobody reading the database or the admin can
    act as its owner. It stops working at `expires_at`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True, help_text="What the token is for.")
    # The key's first characters, to tell tokens apart in the admin and in logs.
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


# ---------------------------------------------------------------------------
# Imports from spreadsheets


class ImportJob(models.Model):
    """One uploaded CSV of claims, read by a worker (`claims.imports`). Its progress is
    stored as it goes, so the page can show a bar, and what it refused stays on record
    with each row's field messages."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        CHECKING = "checking", _("Checking rows")
        WRITING = "writing", _("Writing claims")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="import_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=200, blank=True)
    # The file as uploaded (UTF-8 text), kept with the job so a worker can read it.
    content = models.TextField()
    dry_run = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    refused = models.JSONField(default=list, blank=True)
    created = models.JSONField(default=list, blank=True)
    ignored_columns = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.filename or 'upload'})"

    def get_absolute_url(self) -> str:
        return reverse("import_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.processed / self.rows) if self.rows else 0


# ---------------------------------------------------------------------------
# Notifications: what the desk tells a person, in the desk and by email


class NotificationEvent(models.TextChoices):
    ASSIGNED = "assigned", "a claim is assigned to me"
    DECIDED = "decided", "a claim I logged is decided"
    HIGH_FLAG = "high_flag", "a high flag on a claim I logged, took or decided"
    TOPIC_HIGH_FLAG = "topic_high_flag", "a new high flag in a topic I follow"
    VERDICT_CHANGED = "verdict_changed", "a verdict changed on a claim in my story"
    DUE_SOON = "due_soon", "a claim of mine is due soon"
    OVERDUE = "overdue", "a claim of mine is overdue"
    MENTIONED = "mentioned", "a comment mentions me"
    WEBHOOK_OFF = "webhook_off", "a webhook endpoint was switched off (admins)"


class Notification(models.Model):
    """One thing the desk tells one person. `key` names the event it is about, so one
    event is one notification however often the task that writes it runs."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=20, choices=NotificationEvent.choices)
    claim = models.ForeignKey(
        "Claim", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField()
    # Where the notification leads when it is not the claim's page (a flag, the admin).
    url = models.CharField(max_length=300, blank=True)
    key = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    # When it went out by email, alone or in a digest; null while it has not.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.message[:60]}"

    def get_absolute_url(self) -> str:
        if self.url:
            return self.url
        return self.claim.get_absolute_url() if self.claim_id and self.claim else ""

    @property
    def read(self) -> bool:
        return self.read_at is not None


class NotificationSetting(models.Model):
    """How one person hears of one kind of event by email; without a row, the default
    in `claims.services.notifications.DEFAULT_DELIVERY`. The desk's bell lists every
    notification whatever this says."""

    class How(models.TextChoices):
        IMMEDIATELY = "immediately", "Email at once"
        DIGEST = "digest", "Daily digest"
        OFF = "off", "No email"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    event = models.CharField(max_length=20, choices=NotificationEvent.choices)
    how = models.CharField(max_length=12, choices=How.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="notification_setting_once")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.event} {self.how}"


# ---------------------------------------------------------------------------
# Webhooks: other tools hear of what happens on the desk


class WebhookEvent(models.TextChoices):
    CLAIM_CREATED = "claim.created", "claim.created"
    CLAIM_DECIDED = "claim.decided", "claim.decided"
    FLAG_RAISED = "flag.raised", "flag.raised"
    FLAG_RESOLVED = "flag.resolved", "flag.resolved"
    REVIEW_PUBLISHED = "review.published", "review.published"


def validate_webhook_events(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError("Choose at least one event.")
    unknown = [e for e in value if e not in WebhookEvent.values]
    if unknown:
        raise ValidationError(
            f"Unknown events: {', '.join(map(str, unknown))}. "
            f"Choose from {', '.join(WebhookEvent.values)}."
        )


class WebhookEndpoint(models.Model):
    """An address that hears of the desk's events, by a signed JSON POST (or a chat
    message when `slack` is on). One that fails for a day is switched off."""

    url = models.URLField(max_length=1000, validators=[validate_web_url])
    secret = models.CharField(
        max_length=200, help_text="Signs each delivery (HMAC-SHA256 of the body)."
    )
    events = models.JSONField(default=list, validators=[validate_webhook_events])
    slack = models.BooleanField(
        "Slack-compatible",
        default=False,
        help_text='Send {"text": …} with a link, for chat channels, instead of the object.',
    )
    high_flags_only = models.BooleanField(
        default=False, help_text="Of the flag events, send only those of high flags."
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Since when every delivery failed; None after a success.
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url


def new_delivery_id() -> str:
    return secrets.token_hex(16)


class WebhookDelivery(models.Model):
    """One event for one endpoint, its body as sent (so a redelivery sends the same
    bytes and signature) and how its attempts went."""

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        DELIVERED = "delivered", "delivered"
        FAILED = "failed", "given up"

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=20, choices=WebhookEvent.choices)
    # The event the delivery is about (`claim.decided:<history row>`): one per endpoint.
    key = models.CharField(max_length=200)
    # The `id` the body carries: receivers recognise a redelivery by it.
    uid = models.CharField(max_length=32, default=new_delivery_id, unique=True, editable=False)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "key"], name="webhook_delivery_once")
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"
