"""Shapes of the API. Serializers validate input and render output; the services decide."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import (
    CLAIM_TEXT_MAX_CHARS,
    STORY_MAX_CHARS,
    Attribution,
    CandidateRejection,
    CheckPolicy,
    Claim,
    Credibility,
    Event,
    Flag,
    PeriodKind,
    Population,
    Priority,
    Qualifier,
    Source,
    Status,
    Story,
    claim_text_too_long,
)
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
        return {"name": data["name"].strip()[:200], "country": country.upper()}


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string"}]})
class SourceNameField(serializers.Field):
    default_error_messages = {"invalid": "A source is an id or a name."}

    def to_internal_value(self, data: Any) -> int | str:
        if isinstance(data, bool) or not isinstance(data, int | str) or data == "":
            self.fail("invalid")
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


class ClaimListSerializer(serializers.ListSerializer):
    """A page of claims: their desk figures in one query and the policy once for the page."""

    def to_representation(self, data: Any) -> list[Any]:
        claims = list(data.all() if hasattr(data, "all") else data)
        with_desk_figures(claims)
        return super().to_representation(claims)


class ClaimSerializer(serializers.ModelSerializer):
    place = PlaceField(read_only=True)
    sources = AttributionSerializer(source="attributions", many=True, read_only=True)
    assignee: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    created_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    figure = serializers.SerializerMethodField()
    desk_figure = serializers.SerializerMethodField()

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
            "status",
            "credibility",
            "verdict",
            "assignee",
            "priority",
            "due_at",
            "decided_at",
            "version",
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
    period_kind = serializers.ChoiceField(PeriodKind.choices, required=False, allow_blank=True)
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
        return attrs


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(Status.choices)
    note = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1)


class SourceSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200),
        required=False,
        max_length=100,
        write_only=True,
    )

    class Meta:
        model = Source
        fields = ["id", "name", "kind", "url", "country", "grade", "notes", "active", "aliases"]

    def to_representation(self, instance: Source) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["aliases"] = [a.name for a in instance.aliases.all()]
        return data

    def validate_country(self, value: str) -> str:
        if value and (len(value) != 2 or not value.isalpha()):
            raise serializers.ValidationError("The country is a two-letter ISO code.")
        return value.upper()

    def run_validators(self, value: Any) -> None:
        # Uniqueness is checked by the service, with the same message the admin shows.
        return None

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["name"].validators = []
        return fields


class SourceMergeSerializer(serializers.Serializer):
    into = serializers.IntegerField(help_text="The id of the source that survives the merge.")


class StorySerializer(serializers.ModelSerializer):
    claim_count = serializers.IntegerField(read_only=True, required=False)

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
        extra_kwargs = {"body": {"max_length": STORY_MAX_CHARS}}


class FlagSerializer(serializers.ModelSerializer):
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
            "resolved_by",
            "resolved_at",
            "first_seen",
            "last_seen",
        ]
        read_only_fields = fields

    resolved_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
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


# ---------------------------------------------------------------------------
# Reading copy

# One claim, typed or pasted; the parser reads at most this much of a sentence.
PARSE_MAX_CHARS = 5_000


class ParseRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=PARSE_MAX_CHARS, trim_whitespace=True)
    reported_on = serializers.DateField(
        help_text="The date the claim's time words ('yesterday', 'this month') are read against."
    )


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


class CandidateRejectionSerializer(serializers.ModelSerializer):
    rejected_by = serializers.CharField(source="rejected_by.username", default=None, read_only=True)

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
