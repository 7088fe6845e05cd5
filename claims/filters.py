"""The FilterSets behind the desk's lists: `ClaimFilter` for the fact-checkers' queues and
the claims API, `FlagFilter` for the flag queue and the flags API."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import django_filters as filters
from django import forms
from django.db.models import Exists, F, OrderBy, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceField

from claims.checks.types import STALE_KINDS
from claims.language import choices as language_choices
from claims.models import (
    MAX_ID,
    Claim,
    Event,
    Flag,
    Grade,
    Place,
    Population,
    Priority,
    Severity,
    Status,
    StoryLink,
    Topic,
    open_flag_of,
)

# The order "most urgent first" names: the worst open flag, then priority, then the
# soonest due date (none last), then age (oldest first).
URGENT = "urgent"


def urgent_order() -> list[OrderBy]:
    # open_severity is stored on the claim (kept by triggers, see Claim), so that the
    # order is read from claim_urgent_idx rather than worked out for every row.
    return [
        OrderBy(F("open_severity"), descending=True),
        OrderBy(F("priority"), descending=True),
        OrderBy(F("due_at"), nulls_last=True),
        OrderBy(F("created_at")),
    ]


class ClaimOrdering(filters.OrderingFilter):
    """The columns a list sorts by, and `urgent`: the fact-checkers' "most urgent first"."""

    def build_choices(self, fields: Any, labels: Any) -> list[tuple[str, str]]:
        return [*super().build_choices(fields, labels), (URGENT, "Most urgent first")]

    def filter(self, qs: QuerySet[Claim], value: Sequence[str] | None) -> QuerySet[Claim]:
        if not value or URGENT not in value:
            return super().filter(qs, value)
        ordering: list[Any] = []
        for param in value:
            if param == URGENT:
                ordering.extend(urgent_order())
            elif param:
                ordering.append(self.get_ordering_value(param))
        return qs.order_by(*ordering)


class IdField(forms.IntegerField):
    """A row's id: a whole number the database can hold (a bigger one would make the
    query fail, not find nothing)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class IdFilter(filters.NumberFilter):
    """A row's id: a whole number (NumberFilter takes decimals, and any size)."""

    field_class = IdField


class ClaimFilter(filters.FilterSet):
    # No join, so no DISTINCT (which would compare every column on PostgreSQL).
    status = filters.MultipleChoiceFilter(choices=Status.choices, distinct=False)
    event = filters.ChoiceFilter(choices=Event.choices)
    population = filters.ChoiceFilter(choices=Population.choices)
    place = IdFilter(method="filter_place", label="Place (id, with the places in it)")
    country = filters.CharFilter(field_name="country", lookup_expr="iexact")
    # The detected language of the claim's text; a callable, so pycountry is read on
    # first use rather than at import.
    language = filters.ChoiceFilter(choices=language_choices, label="Language")
    source = IdFilter(field_name="attributions__source", distinct=True)
    grade = filters.MultipleChoiceFilter(
        field_name="attributions__source__grade", choices=Grade.choices, distinct=True
    )
    assignee = IdFilter(field_name="assignee")
    mine = filters.BooleanFilter(method="filter_mine", label="Assigned to me")
    unassigned = filters.BooleanFilter(field_name="assignee", lookup_expr="isnull")
    story = IdFilter(method="filter_story", label="Story (its claims, and those linked to it)")
    priority = filters.ChoiceFilter(choices=Priority.choices)
    flag_kind = filters.ChoiceFilter(
        choices=Flag.Kind.choices, method="filter_flag_kind", label="Has an open flag of kind"
    )
    flagged = filters.BooleanFilter(method="filter_flagged", label="Has open flags")
    stale = filters.BooleanFilter(
        method="filter_stale", label="Has an open verification-expired or review-overdue flag"
    )
    period_from = filters.DateFilter(field_name="period_end", lookup_expr="gte")
    period_to = filters.DateFilter(field_name="period_start", lookup_expr="lte")
    created_from = filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    created_to = filters.DateFilter(field_name="created_at", lookup_expr="date__lte")
    # The dashboard's "decided in the past 7 days" lists its claims with these.
    decided_from = filters.DateFilter(field_name="decided_at", lookup_expr="date__gte")
    decided_to = filters.DateFilter(field_name="decided_at", lookup_expr="date__lte")
    q = filters.CharFilter(method="filter_text", label="Text search")
    topic = filters.CharFilter(method="filter_topic", label="Topic (its name)", max_length=80)
    ordering = ClaimOrdering(
        fields=(
            ("created_at", "created"),
            ("priority", "priority"),
            ("due_at", "due"),
            ("updated_at", "updated"),
            ("period_end", "period"),
            ("value_low", "value"),
            ("decided_at", "decided"),
        )
    )

    class Meta:
        model = Claim
        fields: list[str] = []

    # The form class, made once per process: django-filter makes a class and every one of
    # its fields anew for each FilterSet, and Django's forms deep-copy their fields
    # (with every choice of each menu) for each form; together they cost more than
    # checking the form. The fields depend on nothing but the declarations above
    # (choices given as a callable are read when the form shows them), and checking a
    # value changes no field, so every form shares them: each has a dict of its own
    # to swap fields in (the queue page shows dressed copies, claims.views.queues).
    _form_class: type[forms.Form] | None = None

    def get_form_class(self) -> type[forms.Form]:
        cls = type(self)
        if cls.__dict__.get("_form_class") is None:
            # This FilterSet's own copies of the filters, which know the model their
            # labels come from (the class's do not).
            fields = {name: f.field for name, f in self.filters.items()}

            class KeptFieldsForm(self._meta.form):  # type: ignore[name-defined,misc]
                def __init__(self, *args: Any, **kwargs: Any) -> None:
                    super().__init__(*args, **kwargs)
                    self.fields = dict(fields)

            KeptFieldsForm.__name__ = f"{cls.__name__}Form"
            cls._form_class = KeptFieldsForm
        return cast(type[forms.Form], cls.__dict__["_form_class"])

    def filter_place(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        # A country or region includes the places under it (two levels are enough
        # for country > region > city > district as the desk creates them).
        place_ids = {int(value)}
        children = set(Place.objects.filter(parent_id__in=place_ids).values_list("id", flat=True))
        place_ids |= children
        place_ids |= set(Place.objects.filter(parent_id__in=children).values_list("id", flat=True))
        return queryset.filter(place_id__in=place_ids)

    def filter_story(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        # The claims found in the story, and those its copy was linked to as the same
        # claim (`StoryLink`): a subquery, so no join and no DISTINCT.
        linked = StoryLink.objects.filter(story_id=value).values("claim_id")
        return queryset.filter(Q(story_id=value) | Q(pk__in=linked))

    def filter_mine(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        return queryset.filter(assignee=user) if value else queryset.exclude(assignee=user)

    def filter_flag_kind(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        return queryset.filter(
            flags__kind=value, flags__status__in=[Flag.Status.OPEN, Flag.Status.ACKNOWLEDGED]
        ).distinct()

    def filter_flagged(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        # The stored worst open severity (0: none): no join, and the queue's order index
        # serves the filter too.
        if value is None:
            return queryset
        return queryset.filter(open_severity__gt=0) if value else queryset.filter(open_severity=0)

    def filter_text(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        words = value.split()
        for word in words[:8]:
            queryset = queryset.filter(Q(text__icontains=word) | Q(normalised__icontains=word))
        return queryset

    def filter_topic(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        # By name, whatever its case, as the API writes topics; a subquery, not a join, so
        # no DISTINCT. A name no topic has finds no claims.
        folded = Lower(Value(value.strip()))  # folded by the database, as the name is
        topics = Topic.objects.annotate(key=Lower("name")).filter(key=folded)
        tagged = Claim.topics.through.objects.filter(
            claim_id=OuterRef("pk"), topic_id__in=topics.values("pk")
        )
        return queryset.filter(Exists(tagged))

    def filter_stale(self, queryset: QuerySet[Claim], name: str, value: Any) -> QuerySet[Claim]:
        stale = open_flag_of(STALE_KINDS)
        if value is None:
            return queryset
        return queryset.filter(stale) if value else queryset.exclude(stale)


# The flag status that means "open or acknowledged": still waiting for an answer.
UNRESOLVED = "unresolved"
SEVERITY_BY_NAME = {label: value for value, label in Severity.choices}


class SeverityField(ChoiceField):
    """A severity by its name, as the API shows it ("high"); the number stored for it
    ("40") is read too, so links made before the names keep working."""

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value)).strip()
        if text.isdigit():
            names = {str(number): name for name, number in SEVERITY_BY_NAME.items()}
            return names.get(text, text)
        return text

    def bound_data(self, data: Any, initial: Any) -> Any:
        # So that the form shows a severity given by its number as chosen.
        return self.to_python(super().bound_data(data, initial))


class SeverityFilter(filters.ChoiceFilter):
    field_class = SeverityField

    def filter(self, qs: QuerySet[Flag], value: Any) -> QuerySet[Flag]:
        return qs.filter(severity=SEVERITY_BY_NAME[value]) if value else qs


class FlagFilter(filters.FilterSet):
    """The flag queue's and the flags API's filters, in the URL so a queue can be shared."""

    status = filters.ChoiceFilter(
        choices=[(UNRESOLVED, "open or acknowledged"), *Flag.Status.choices],
        method="filter_status",
        empty_label=_("any"),
    )
    kind = filters.ChoiceFilter(choices=Flag.Kind.choices, empty_label=_("any kind"))
    severity = SeverityFilter(
        choices=[(label, label) for _, label in Severity.choices], empty_label=_("any severity")
    )
    claim = IdFilter(field_name="claims", label="Involves claim (id)")
    q = filters.CharFilter(method="filter_text", label="Words")

    class Meta:
        model = Flag
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Flag], name: str, value: str) -> QuerySet[Flag]:
        if value == UNRESOLVED:
            return queryset.filter(status__in=Flag.UNRESOLVED)
        return queryset.filter(status=value)

    def filter_text(self, queryset: QuerySet[Flag], name: str, value: str) -> QuerySet[Flag]:
        """Each word in the flag's message or in the text of one of its claims."""
        for word in value.split()[:8]:
            in_claims = Flag.claims.through.objects.filter(
                flag_id=OuterRef("pk"), claim__text__icontains=word
            )
            queryset = queryset.filter(Q(message__icontains=word) | Q(Exists(in_claims)))
        return queryset
