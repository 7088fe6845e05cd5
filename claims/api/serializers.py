"""Shapes of the API. Serializers validate input and render output; the services decide."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from django.db.models import prefetch_related_objects
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from claims import selectors, services
from claims.models import (
    CLAIM_TEXT_MAX_CHARS,
    MAX_ID,
    STORY_MAX_CHARS,
    Attribution,
    CandidateRejection,
    CheckPolicy,
    Claim,
    Correction,
    Credibility,
    Event,
    Flag,
    ImportJob,
    Incident,
    Notification,
    PeriodKind,
    Population,
    Priority,
    PublishedReview,
    Qualifier,
    Source,
    Status,
    Story,
    WebhookEndpoint,
    WebhookEvent,
    claim_text_too_long,
    validate_story_body,
)
from claims.reading import date_problems
from claims.services.topics import MAX_TOPICS
from claims.text import text_problem
from claims.timeline import desk_figure, with_desk_figures
from claims.wording import format_figure

MAX_TEXT = 100_000


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "name": {"type": "string"},
            "country": {"type": "string", "description": "ISO 3166-1 alpha-2"},
            "kind": {"type": "string", "readOnly": True},
        },
        "required": ["name"],
    }
)
class PlaceField(serializers.Field):
    """`{"name": "Aleppo", "country": "SY"}` in and out."""

    default_error_messages = {
        "invalid": "Give the place as an object with a name and a country code, or null."
    }

    def to_representation(self, value: Any) -> dict[str, Any]:
        return {"id": value.pk, "name": value.name, "country": value.country, "kind": value.kind}

    def to_internal_value(self, data: Any) -> dict[str, str]:
        if not isinstance(data, dict) or not isinstance(data.get("name"), str):
            self.fail("invalid")
        country = data.get("country") or ""
        if not isinstance(country, str) or len(country) not in (0, 2):
            raise serializers.ValidationError("The country is a two-letter ISO code.")
        problem = text_problem(data["name"]) or text_problem(country)
        if problem:
            raise serializers.ValidationError(problem)
        return {"name": data["name"].strip()[:200], "country": country.upper()}


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class SourceNameField(serializers.Field):
    default_error_messages = {"invalid": "A source is an id or a name."}

    def to_internal_value(self, data: Any) -> int | str:
        if isinstance(data, bool) or not isinstance(data, int | str) or data == "":
            self.fail("invalid")
        if isinstance(data, int) and not 1 <= data <= MAX_ID:
            self.fail("invalid")
        problem = text_problem(data) if isinstance(data, str) else None
        if problem:
            raise serializers.ValidationError(problem)
        return data[:200] if isinstance(data, str) else data

    def to_representation(self, value: Any) -> Any:
        return value


class AttributionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="source.id", read_only=True)
    name = serializers.CharField(source="source.name", read_only=True)
    grade = serializers.CharField(source="source.grade", read_only=True)

    class Meta:
        model = Attribution
        fields = ["id", "name", "grade", "role", "source_text"]


DESK_FIGURE_SCHEMA = {
    "type": "object",
    "nullable": True,
    "description": "The figure the desk uses after a resolved conflict about this claim's "
    "figure, and the rule that chose it; null when no resolved conflict chose one.",
    "properties": {
        "value_low": {"type": "integer"},
        "value_high": {"type": "integer", "nullable": True, "description": "null: no bound"},
        "rule": {"type": "string", "enum": list(Flag.Rule.values)},
        "flag": {"type": "integer", "description": "the resolved flag"},
        "note": {"type": "string"},
    },
}


class AnswerSerializer(serializers.ModelSerializer):
    # A model's answer whose read-only fields still say they may be blank: DRF drops
    # `allow_blank` from read-only fields, and the schema would then leave "" out of
    # the enum of a choice that may be unset (a claim's qualifier, a flag's rule).
    # (A comment, not a docstring: the schema would show it on every subclass.)

    def include_extra_kwargs(
        self, kwargs: MutableMapping[str, Any], extra_kwargs: MutableMapping[str, Any]
    ) -> MutableMapping[str, Any]:
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


def refuse_dates_no_one_means(attrs: dict[str, Any], names: tuple[str, ...]) -> None:
    """The date rule (`claims.reading.date_problems`) on the dates given, as field
    messages; the model applies it again against the stored report date."""
    dates = {name: attrs[name] for name in names if name in attrs}
    problems = date_problems(dates, today=timezone.localdate())
    if problems:
        raise serializers.ValidationError({name: [p] for name, p in problems.items()})


class ClaimListSerializer(serializers.ListSerializer):
    """A page of claims: their desk figures in one query and the policy once for the page."""

    def to_representation(self, data: Any) -> list[Any]:
        claims = list(data.all() if hasattr(data, "all") else data)
        with_desk_figures(claims)
        prefetch_related_objects(claims, "topics")  # the page's topics in one query
        return super().to_representation(claims)


class ClaimSerializer(AnswerSerializer):
    place = PlaceField(read_only=True)
    sources = AttributionSerializer(source="attributions", many=True, read_only=True)
    assignee: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    created_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    figure = serializers.SerializerMethodField()
    desk_figure = serializers.SerializerMethodField()
    topics: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="name", many=True, read_only=True, help_text="The claim's topics, by name."
    )

    class Meta:
        model = Claim
        list_serializer_class = ClaimListSerializer
        fields = [
            "id",
            "text",
            "normalised",
            "story",
            "story_start",
            "story_end",
            "reported_on",
            "value_low",
            "value_high",
            "qualifier",
            "unit",
            "is_projection",
            "event",
            "population",
            "figure",
            "desk_figure",
            "place",
            "period_start",
            "period_end",
            "period_kind",
            "time_expression",
            "sources",
            "language",
            "incident",
            "topics",
            "status",
            "credibility",
            "verdict",
            "assignee",
            "priority",
            "due_at",
            "decided_at",
            "version",
            "merged_into",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_figure(self, claim: Claim) -> str:
        """The quantity as copy writes it, "about" as wide as the policy says."""
        if claim.value_low is None:
            return ""
        if "tolerance" not in self.context:
            self.context["tolerance"] = CheckPolicy.load().approx_tolerance
        return format_figure(
            claim.value_low, claim.value_high, claim.qualifier, self.context["tolerance"]
        )

    @extend_schema_field(DESK_FIGURE_SCHEMA)
    def get_desk_figure(self, claim: Claim) -> dict[str, Any] | None:
        desk = desk_figure(claim)
        return desk.as_dict() if desk else None


class ClaimWriteSerializer(serializers.Serializer):
    """What `POST /claims/` and `PATCH /claims/{id}/` accept."""

    # The claim form's limit, checked in validate_text so that the 400 gives the length.
    text = serializers.CharField(
        trim_whitespace=True, help_text=f"At most {CLAIM_TEXT_MAX_CHARS:,} characters."
    )
    normalised = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    story = serializers.PrimaryKeyRelatedField(
        queryset=Story.objects.all(), required=False, allow_null=True
    )
    reported_on = serializers.DateField(required=False, allow_null=True)
    value_low = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10**15
    )
    value_high = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10**15
    )
    qualifier = serializers.ChoiceField(Qualifier.choices, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True)
    is_projection = serializers.BooleanField(
        required=False,
        help_text='A figure someone expects ("could reach thousands"), not one counted: '
        "the checks leave it out.",
    )
    event = serializers.ChoiceField(Event.choices, required=False, allow_blank=True)
    population = serializers.ChoiceField(Population.choices, required=False)
    place = PlaceField(required=False, allow_null=True)
    period_start = serializers.DateField(required=False, allow_null=True)
    period_end = serializers.DateField(required=False, allow_null=True)
    # An explicit null (with null dates) is "no time frame", as a blank is.
    period_kind = serializers.ChoiceField(
        PeriodKind.choices, required=False, allow_blank=True, allow_null=True
    )
    time_expression = serializers.CharField(max_length=200, required=False, allow_blank=True)
    credibility = serializers.ChoiceField(Credibility.choices, required=False, allow_null=True)
    priority = serializers.ChoiceField(Priority.choices, required=False)
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    sources = serializers.ListField(
        child=SourceNameField(),
        required=False,
        max_length=50,
        help_text="Source ids or names; names resolve through the sources' aliases.",
    )
    incident = serializers.PrimaryKeyRelatedField(
        queryset=Incident.objects.current(),
        required=False,
        allow_null=True,
        help_text="The incident the figure is a toll of (editors and fact-checkers); null "
        "unlinks it.",
    )
    topics = serializers.ListField(
        child=serializers.CharField(max_length=80),
        required=False,
        max_length=MAX_TOPICS,
        help_text="The claim's topics by name, all of them (editors and admins): names from "
        "the admins' list, whatever their case; a name not on it is a 400. Tagging makes no "
        "new version.",
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="Required when editing: the version you loaded."
    )
    read_text = serializers.BooleanField(
        required=False,
        help_text="On create (default true): fields you leave out are read from the text "
        "(figure, event, place, period, source); the fields you give always win.",
    )

    def validate_text(self, value: str) -> str:
        if len(value) > CLAIM_TEXT_MAX_CHARS:
            raise serializers.ValidationError(claim_text_too_long(len(value)))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("value_low"), attrs.get("value_high")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"value_high": ["The high value must not be below the low value."]}
            )
        start, end = attrs.get("period_start"), attrs.get("period_end")
        if start is not None and end is not None and start > end:
            raise serializers.ValidationError(
                {"period_end": ["The period must not end before it starts."]}
            )
        refuse_dates_no_one_means(attrs, ("reported_on", "period_start", "period_end", "due_at"))
        return attrs


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(Status.choices)
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class CorrectionSerializer(serializers.ModelSerializer):
    """A published story that carries the claim and has to answer a change to it."""

    headline = serializers.CharField(source="story.headline", read_only=True)
    change = serializers.IntegerField(source="event_id", read_only=True, allow_null=True)

    class Meta:
        model = Correction
        fields = ["story", "headline", "reason", "changed_at", "change"]
        read_only_fields = fields


class ClaimDetailSerializer(ClaimSerializer):
    """One claim's answer: the list's fields, the published stories to correct since
    its decision changed, and its public review's address when it has one."""

    stories_to_correct = serializers.SerializerMethodField()
    review_url = serializers.SerializerMethodField()
    stories = serializers.SerializerMethodField()

    class Meta(ClaimSerializer.Meta):
        fields = [*ClaimSerializer.Meta.fields, "stories", "stories_to_correct", "review_url"]
        read_only_fields = fields

    def get_stories(self, claim: Claim) -> list[int]:
        """Every story that carries the claim: its own (`story`) first, then the stories
        linked to it as the same claim or by a merge."""
        return selectors.claim_story_ids(claim)

    @extend_schema_field(CorrectionSerializer(many=True))
    def get_stories_to_correct(self, claim: Claim) -> list[Any]:
        return list(CorrectionSerializer(selectors.open_corrections(claim), many=True).data)

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_review_url(self, claim: Claim) -> str | None:
        review = PublishedReview.objects.public().filter(claim=claim).first()
        if review is None:
            return None
        request = self.context.get("request")
        url = review.get_absolute_url()
        return request.build_absolute_uri(url) if request is not None else url


class PublishSerializer(serializers.Serializer):
    summary = serializers.CharField(
        max_length=5_000, help_text="What the desk found, in a sentence or two for readers."
    )


class UnpublishSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2_000, help_text="Why the review comes down.")


class ReviewSerializer(serializers.ModelSerializer):
    """A claim's published review: `review_url` is its public page (404 while it is
    taken down, or while the claim is not decided)."""

    review_url = serializers.SerializerMethodField()

    class Meta:
        model = PublishedReview
        fields = [
            "claim",
            "review_url",
            "summary",
            "live",
            "published_at",
            "modified_at",
            "unpublished_at",
        ]
        read_only_fields = fields

    def get_review_url(self, review: PublishedReview) -> str:
        return str(self.context.get("review_url") or review.get_absolute_url())


class AliasNamesField(serializers.ListField):
    """A source's aliases by name: the names a write gives, the names an answer lists."""

    def get_attribute(self, instance: Source) -> list[str]:
        return [a.name for a in instance.aliases.all()]


class SourceSerializer(serializers.ModelSerializer):
    aliases = AliasNamesField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=100,
    )

    class Meta:
        model = Source
        fields = ["id", "name", "kind", "url", "country", "grade", "notes", "active", "aliases"]

    def validate_country(self, value: str) -> str:
        if value and (len(value) != 2 or not value.isalpha()):
            raise serializers.ValidationError("The country is a two-letter ISO code.")
        return value.upper()

    def run_validators(self, value: Any) -> None:
        # Uniqueness is checked by the service, with the same message the admin shows.
        return None

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        # Only uniqueness moves to the service: the length and the refusal of NUL bytes
        # and lone surrogates stay with the field.
        name = fields["name"]
        name.validators = [v for v in name.validators if not isinstance(v, UniqueValidator)]
        return fields


class TrackRecordSerializer(serializers.Serializer):
    verified = serializers.IntegerField(help_text="Claims it makes that were verified.")
    attributed = serializers.IntegerField(help_text="… decided publishable with attribution only.")
    disputed = serializers.IntegerField(help_text="… decided disputed.")
    false = serializers.IntegerField(help_text="… decided false.")
    lost_conflicts = serializers.IntegerField(
        help_text="Resolved conflicts about figures in which another claim's figure stood."
    )
    open_flags = serializers.IntegerField(help_text="Unanswered contradictions on its claims.")


class SourceDetailSerializer(SourceSerializer):
    # Read by the view (`claims.selectors.track_records`) and handed in its context.
    track_record = serializers.SerializerMethodField()

    class Meta(SourceSerializer.Meta):
        fields = [*SourceSerializer.Meta.fields, "track_record"]

    @extend_schema_field(TrackRecordSerializer)
    def get_track_record(self, source: Source) -> dict[str, Any]:
        return dict(TrackRecordSerializer(self.context["track_record"]).data)


class ClaimMergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the claim that survives the merge."
    )
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Why."
    )


class ClaimMergedSerializer(serializers.Serializer):
    """What a merged claim's address answers (303, with `Location`)."""

    detail = serializers.CharField()
    merged_into = serializers.IntegerField(help_text="The claim it was merged into.")


class SourceMergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the source that survives the merge."
    )


@extend_schema_field({"type": "string", "maxLength": STORY_MAX_CHARS})
class StoryBodyField(serializers.CharField):
    """A story's copy: refused over the cap by the model's rule (`validate_story_body`),
    with the message the story form gives; the schema states the cap."""


class StorySerializer(serializers.ModelSerializer):
    # Every answer has it: the views answer rows read through selectors.story_list.
    claim_count = serializers.IntegerField(read_only=True)
    body = StoryBodyField(
        required=False,
        allow_blank=True,
        validators=[validate_story_body],
        style={"base_template": "textarea.html"},
    )

    class Meta:
        model = Story
        fields = [
            "id",
            "headline",
            "body",
            "url",
            "byline",
            "desk",
            "published_at",
            "status",
            "language",
            "claim_count",
            "created_at",
        ]
        read_only_fields = ["id", "created_at", "claim_count", "language"]


class FlagSerializer(AnswerSerializer):
    claims: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )
    severity = serializers.CharField(source="get_severity_display", read_only=True)

    class Meta:
        model = Flag
        fields = [
            "id",
            "kind",
            "severity",
            "status",
            "claims",
            "message",
            "details",
            "resolution_note",
            "resolution_low",
            "resolution_high",
            "resolution_rule",
            "resolution_claim",
            "resolved_by",
            "resolved_at",
            "first_seen",
            "last_seen",
        ]
        read_only_fields = fields

    resolved_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )


class FlagNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")


class FlagResolveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=10_000, help_text="Why the flag is settled.")
    figure_low = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=10**15
    )
    figure_high = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=10**15,
        help_text="Empty for 'at least' the low figure.",
    )
    rule = serializers.ChoiceField(
        Flag.Rule.choices,
        required=False,
        allow_blank=True,
        help_text="The rule that chose the figure (required for conflicting figures).",
    )
    upheld_claim = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=MAX_ID,
        help_text="For conflicting figures: the id of the flag's claim whose figure stood, "
        "if one did (the others lost the conflict).",
    )


# ---------------------------------------------------------------------------
# Reading copy

# One claim, typed or pasted; the parser reads at most this much of a sentence.
PARSE_MAX_CHARS = 5_000


class ParseRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=PARSE_MAX_CHARS, trim_whitespace=True)
    reported_on = serializers.DateField(
        help_text="The date the claim's time words ('yesterday', 'this month') are read against."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refuse_dates_no_one_means(attrs, ("reported_on",))
        return attrs


class ParsedPlaceSerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField()
    confidence = serializers.FloatField(
        help_text="1.0 when the copy names the place; lower when it was inferred from context."
    )


class ParsedSourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ParsedClaimSerializer(serializers.Serializer):
    """The parser's reading, under the claim's field names (`ParsedClaim.as_dict`)."""

    text = serializers.CharField()
    value_low = serializers.IntegerField(allow_null=True)
    value_high = serializers.IntegerField(allow_null=True)
    qualifier = serializers.CharField(allow_null=True)
    unit = serializers.CharField()
    projection = serializers.BooleanField(required=False)
    event = serializers.CharField(allow_null=True)
    population = serializers.CharField()
    place = ParsedPlaceSerializer(allow_null=True)
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True)
    period_kind = serializers.CharField(allow_null=True)
    time_expression = serializers.CharField(allow_blank=True)
    # Declared fields leave the class body, so `source` does not shadow Field.source.
    source = ParsedSourceSerializer(allow_null=True)  # type: ignore[assignment]
    source_text = serializers.CharField(allow_blank=True)
    confidence = serializers.FloatField()


class ParsedCountSerializer(ParsedClaimSerializer):
    """One count of a parsed text: its figure phrase's offsets and its reading."""

    start = serializers.IntegerField(
        help_text="Offset of the figure phrase in `text` (as sent, without leading and "
        "trailing white space)."
    )
    end = serializers.IntegerField()
    words = serializers.CharField(help_text="The figure phrase.")


class ParseAnswerSerializer(ParsedClaimSerializer):
    """`POST /parse/`: the reading, and the language the words look like they are in."""

    language = serializers.CharField(
        allow_blank=True,
        help_text="ISO 639-1 code of the text's language; empty when it is too short to tell.",
    )
    message = serializers.CharField(
        allow_null=True,
        help_text="Set when the text is in a language the desk does not read: the reading "
        "is then empty, and this says why.",
    )
    counts = ParsedCountSerializer(
        many=True,
        help_text="Every count in the text, in order, each with its figure's offsets; the "
        "fields above are the text's main count.",
    )


class CandidateSerializer(serializers.Serializer):
    """One candidate of a story: a figure (its phrase's offsets in `start`/`end`, its
    sentence's in `sentence_start`/`sentence_end`), or an attributed statement without a
    figure (whose offsets are its sentence's). A sentence with three counts gives three."""

    sentence = serializers.CharField()
    start = serializers.IntegerField(
        help_text="Offset of the figure phrase in the story's body (of the sentence for a "
        "statement without a figure); /accept/ and /reject/ take it with `end`."
    )
    end = serializers.IntegerField()
    words = serializers.CharField(help_text="The figure phrase: the body from start to end.")
    sentence_start = serializers.IntegerField(help_text="Offset of its sentence in the body.")
    sentence_end = serializers.IntegerField()
    confidence = serializers.FloatField()
    has_number = serializers.BooleanField()
    parsed = ParsedClaimSerializer()
    claim = serializers.IntegerField(
        allow_null=True, help_text="The claim this candidate was accepted as, if it was."
    )
    rejected = serializers.BooleanField(
        default=False,
        help_text="An editor turned this figure down: it is not offered again while the same "
        "words stand there.",
    )
    changed = serializers.BooleanField(
        default=False,
        help_text="Accepted as `claim`, but the copy here has changed since: the claim still "
        "says what `accepted_words` said. /accept/ refuses it (409); /reread/ updates the "
        "claim from the new words, /keep/ keeps the claim as it is.",
    )
    accepted_words = serializers.CharField(
        allow_null=True,
        default=None,
        help_text="When `changed`: the figure phrase the claim was accepted from.",
    )
    accepted_sentence = serializers.CharField(
        allow_null=True,
        default=None,
        help_text="When `changed`: the sentence the claim was accepted from.",
    )


def _check_span(attrs: dict[str, Any]) -> None:
    if attrs["end"] <= attrs["start"]:
        raise serializers.ValidationError({"end": ["The end must come after the start."]})


class SpanSerializer(serializers.Serializer):
    """A figure in a story's body, by its offsets."""

    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_span(attrs)
        return attrs


class RereadSerializer(SpanSerializer):
    """A changed figure to re-read, by its offsets now, with the claim's version."""

    version = serializers.IntegerField(
        min_value=1, help_text="The version of the claim you saw (409 if it moved on)."
    )
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why, added to the history row.",
    )


class KeepSerializer(SpanSerializer):
    """A changed figure whose claim stands as it is, by its offsets now, and why."""

    note = serializers.CharField(max_length=2000, help_text="Why the claim stands (required).")
    version = serializers.IntegerField(
        min_value=1, required=False, help_text="The version of the claim you saw, if given."
    )


class AcceptSerializer(ClaimWriteSerializer):
    """A candidate to accept, by its offsets, with the editor's corrections (if any)."""

    text = None  # type: ignore[assignment]  # the sentence comes from the story
    story = None  # type: ignore[assignment]
    reported_on = None  # type: ignore[assignment]
    version = None  # type: ignore[assignment]
    read_text = None  # type: ignore[assignment]
    incident = None  # type: ignore[assignment]
    topics = None  # type: ignore[assignment]
    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_span(attrs)
        return super().validate(attrs)


class RejectSerializer(SpanSerializer):
    """A candidate to turn down, by its offsets, with the editor's reason (optional)."""

    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class BulkAnswerSerializer(serializers.Serializer):
    """Several candidates answered in one request (`/accept-bulk/`, `/reject-bulk/`),
    each as the single endpoint would, all in one transaction. One that cannot be
    answered is listed in `refused` with its reason; the others go ahead."""

    candidates = serializers.ListField(
        child=SpanSerializer(),
        allow_empty=False,
        max_length=500,
        help_text="The candidates by their figures' offsets, as /extract/ lists them.",
    )
    note = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why, recorded with each answer (on the claim's history or the rejection).",
    )


class RefusedCandidateSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    status = serializers.IntegerField(
        help_text="What the single endpoint would have answered: 409 (already accepted or "
        "rejected), 400 (no candidate there)."
    )
    message = serializers.CharField()
    # Declared fields leave the class body, so `errors` does not shadow Serializer.errors.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Field messages, as the single endpoint gives them.",
    )


class AcceptedCandidateSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    claim = serializers.IntegerField(help_text="The new claim's id.")


class RejectedCandidateSerializer(serializers.Serializer):
    start = serializers.IntegerField()
    end = serializers.IntegerField()
    rejection = serializers.IntegerField(help_text="The rejection's id.")


class BulkAcceptAnswerSerializer(serializers.Serializer):
    accepted = AcceptedCandidateSerializer(many=True)
    refused = RefusedCandidateSerializer(many=True)


class BulkRejectAnswerSerializer(serializers.Serializer):
    rejected = RejectedCandidateSerializer(many=True)
    refused = RefusedCandidateSerializer(many=True)


class CandidateRejectionSerializer(AnswerSerializer):
    rejected_by = serializers.CharField(
        source="rejected_by.username", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = CandidateRejection
        fields = [
            "id",
            "story",
            "start",
            "end",
            "words",
            "sentence",
            "rejected_by",
            "rejected_at",
            "note",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------------------
# Incidents


class IncidentSerializer(serializers.ModelSerializer):
    place = PlaceField(read_only=True)
    claim_count = serializers.IntegerField(read_only=True, required=False)
    # null for the incidents the grouping job made.
    created_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Incident
        fields = [
            "id",
            "label",
            "kind",
            "place",
            "day",
            "merged_into",
            "claim_count",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class IncidentDetailSerializer(IncidentSerializer):
    claims = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "claims"]
        read_only_fields = fields

    @extend_schema_field(ClaimSerializer(many=True))
    def get_claims(self, incident: Incident) -> list[Any]:
        return list(ClaimSerializer(self.context["claims"], many=True).data)


class IncidentWriteSerializer(serializers.Serializer):
    """What `POST /incidents/` and `PATCH /incidents/{id}/` accept."""

    # Declared fields leave the class body, so `label` does not shadow Field.label.
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=200, help_text='e.g. "Market bombing, Idlib, 8 Mar".'
    )
    kind = serializers.CharField(max_length=40, required=False, allow_blank=True)
    place = PlaceField(required=False, allow_null=True)
    day = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class IncidentLinkSerializer(serializers.Serializer):
    claim = serializers.PrimaryKeyRelatedField(queryset=Claim.objects.all())
    note = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Why."
    )


class IncidentMergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the incident that keeps the claims."
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class IncidentSplitSerializer(serializers.Serializer):
    claims = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        allow_empty=False,
        max_length=500,
    )
    label = serializers.CharField(  # type: ignore[assignment]
        max_length=200, help_text="The new incident's label."
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


def claim_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    """Validated API input -> keyword arguments of claim_create / claim_update. Places
    and sources stay names here: the service resolves them after its permission check,
    so a refused write creates nothing."""
    data = dict(data)
    data.pop("version", None)
    kwargs: dict[str, Any] = {}
    if "sources" in data:
        kwargs["sources"] = list(data.pop("sources"))
    if "place" in data:
        place = data.pop("place")
        data["place"] = services.PlaceName(**place) if place else None
    if "story" in data:
        kwargs["story"] = data.pop("story")
    for blankable in ("qualifier", "event", "period_kind", "unit"):
        if data.get(blankable) is None and blankable in data:
            data[blankable] = ""
    kwargs["fields"] = data
    return kwargs


class ImportRequestSerializer(serializers.Serializer):
    """What `POST /claims/import/` takes: a CSV file in the export's columns."""

    file = serializers.FileField(
        help_text="CSV in the columns of the claim export; `place` and `country` by name and "
        "code, `sources` by names separated by `;`. Blank cells are read from the text."
    )
    dry_run = serializers.BooleanField(
        required=False, default=False, help_text="Check every row and write nothing."
    )


class ImportRefusalSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row's line in the file; the header is 1.")

    def get_fields(self) -> dict[str, serializers.Field]:
        # "errors" would shadow the serializer's own attribute if declared as a class field.
        fields = super().get_fields()
        fields["errors"] = serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()),
            help_text="Field messages, as the claim API gives them.",
        )
        return fields


class ImportResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    accepted = serializers.IntegerField()
    refused = ImportRefusalSerializer(many=True)
    created = serializers.ListField(child=serializers.IntegerField())
    ignored_columns = serializers.ListField(child=serializers.CharField())
    dry_run = serializers.BooleanField()


class ImportJobSerializer(serializers.ModelSerializer):
    """A large import, read by a worker: poll `url` until `state` is done or failed."""

    url = serializers.SerializerMethodField()
    refused = ImportRefusalSerializer(many=True, read_only=True)
    created = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    ignored_columns = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "url",
            "filename",
            "dry_run",
            "state",
            "rows",
            "processed",
            "accepted",
            "refused",
            "created",
            "ignored_columns",
            "error",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: ImportJob) -> str:
        from django.urls import reverse

        return reverse("api:import-job-detail", args=[job.pk])


class IncidentSuggestionSerializer(serializers.Serializer):
    flag = serializers.IntegerField(help_text="The `incident_suggested` flag answered.")
    note = serializers.CharField(max_length=2000, help_text="Why (required).")


# ---------------------------------------------------------------------------
# Notifications and webhooks


class NotificationSerializer(serializers.ModelSerializer):
    claim: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "event", "claim", "message", "read", "created_at"]
        read_only_fields = fields


class NotificationsReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=1000,
        help_text="The notifications to mark read; all unread ones when left out.",
    )


class ReadCountSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were marked read.")
    unread = serializers.IntegerField(help_text="How many remain unread.")


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices), min_length=1, max_length=10
    )
    secret = serializers.CharField(
        write_only=True, max_length=200, help_text="Signs each delivery (HMAC-SHA256 of the body)."
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "secret",
            "events",
            "slack",
            "high_flags_only",
            "active",
            "created_at",
            "failing_since",
            "disabled_at",
            "disabled_reason",
        ]
        read_only_fields = [
            "id",
            "active",
            "created_at",
            "failing_since",
            "disabled_at",
            "disabled_reason",
        ]
