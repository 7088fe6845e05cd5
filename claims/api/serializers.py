"""Shapes of the API. Serializers validate input and render output; the services decide."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import (
    STORY_MAX_CHARS,
    Attribution,
    CandidateRejection,
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
)

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


class ClaimSerializer(serializers.ModelSerializer):
    place = PlaceField(read_only=True)
    sources = AttributionSerializer(source="attributions", many=True, read_only=True)
    assignee: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    created_by: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )
    figure = serializers.CharField(read_only=True)

    class Meta:
        model = Claim
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
            "event",
            "population",
            "figure",
            "place",
            "period_start",
            "period_end",
            "period_kind",
            "time_expression",
            "sources",
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


class ClaimWriteSerializer(serializers.Serializer):
    """What `POST /claims/` and `PATCH /claims/{id}/` accept."""

    text = serializers.CharField(max_length=MAX_TEXT, trim_whitespace=True)
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
            "claim_count",
            "created_at",
        ]
        read_only_fields = ["id", "created_at", "claim_count"]
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


class CandidateSerializer(serializers.Serializer):
    sentence = serializers.CharField()
    start = serializers.IntegerField(help_text="Character offset in the story's body.")
    end = serializers.IntegerField()
    confidence = serializers.FloatField()
    has_number = serializers.BooleanField()
    parsed = ParsedClaimSerializer()
    claim = serializers.IntegerField(
        allow_null=True, help_text="The claim this candidate was accepted as, if it was."
    )
    rejected = serializers.BooleanField(
        default=False, help_text="An editor turned this candidate down: it is not offered again."
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
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["The end must come after the start."]})
        return super().validate(attrs)


class RejectSerializer(serializers.Serializer):
    """A candidate to turn down, by its offsets, with the editor's reason (optional)."""

    start = serializers.IntegerField(min_value=0)
    end = serializers.IntegerField(min_value=1)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": ["The end must come after the start."]})
        return attrs


class CandidateRejectionSerializer(serializers.ModelSerializer):
    rejected_by = serializers.CharField(source="rejected_by.username", default=None, read_only=True)

    class Meta:
        model = CandidateRejection
        fields = ["id", "story", "start", "end", "sentence", "rejected_by", "rejected_at", "note"]
        read_only_fields = fields
