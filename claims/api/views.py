"""REST endpoints. Each write validates with a serializer and calls the same service
as the pages; domain errors become 400 / 403 / 409 in `claims.api.errors`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import roles, selectors, services
from claims.api import serializers as s
from claims.claimreview import claim_review
from claims.errors import InvalidInput
from claims.filters import ClaimFilter
from claims.models import Claim, Flag, Severity, Source, Story

CLAIM_FILTER_PARAMS = [
    OpenApiParameter(name, str, description=str(f.label or name))
    for name, f in ClaimFilter.base_filters.items()
]


def _claim_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    """Validated API input -> keyword arguments of claim_create / claim_update."""
    data = dict(data)
    data.pop("version", None)
    kwargs: dict[str, Any] = {}
    if "sources" in data:
        kwargs["sources"] = services.source_resolve(data.pop("sources"))
    if "place" in data:
        place = data.pop("place")
        data["place"] = services.place_resolve(**place) if place else None
    if "story" in data:
        kwargs["story"] = data.pop("story")
    for blankable in ("qualifier", "event", "period_kind", "unit"):
        if data.get(blankable) is None and blankable in data:
            data[blankable] = ""
    kwargs["fields"] = data
    return kwargs


class DeskMember(BasePermission):
    message = "Only editors, fact-checkers and admins of the desk may do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and roles.has_role(request.user))


class ParseView(APIView):
    """Read one claim as the desk would store it, without saving anything."""

    permission_classes = [IsAuthenticated, DeskMember]

    @extend_schema(request=s.ParseRequestSerializer, responses={200: s.ParsedClaimSerializer})
    def post(self, request: Request) -> Response:
        form = s.ParseRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        parsed = selectors.parse_text(**form.validated_data)
        return Response(s.ParsedClaimSerializer(parsed.as_dict()).data)


class ClaimViewSet(viewsets.GenericViewSet):
    serializer_class = s.ClaimSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return Claim.objects.visible_to(self.request.user).with_related()

    @extend_schema(parameters=CLAIM_FILTER_PARAMS)
    def list(self, request: Request) -> Response:
        qs = selectors.claim_list(user=request.user, params=request.query_params, request=request)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=s.ClaimWriteSerializer, responses={201: s.ClaimSerializer})
    def create(self, request: Request) -> Response:
        form = s.ClaimWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        kwargs = _claim_kwargs(form.validated_data)
        claim = services.claim_create(
            actor=request.user,
            text=kwargs["fields"].pop("text"),
            story=kwargs.get("story"),
            sources=kwargs.get("sources"),
            read_text=kwargs["fields"].pop("read_text", True),
            **kwargs["fields"],
        )
        claim = self.get_queryset().get(pk=claim.pk)
        return Response(self.get_serializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ClaimWriteSerializer, responses={200: s.ClaimSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        form = s.ClaimWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        version = form.validated_data.get("version")
        kwargs = _claim_kwargs(form.validated_data)
        kwargs["fields"].pop("read_text", None)
        if "story" in kwargs:
            raise InvalidInput("A claim's story cannot change.", errors={"story": ["Read-only."]})
        services.claim_update(
            claim=claim,
            actor=request.user,
            version=version,
            changes=kwargs["fields"],
            sources=kwargs.get("sources"),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=claim.pk)).data)

    @extend_schema(request=s.TransitionSerializer, responses={200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        form = s.TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.claim_transition(claim=claim, actor=request.user, **form.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=claim.pk)).data)

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def claimreview(self, request: Request, pk: str) -> Response:
        """schema.org ClaimReview JSON-LD for a decided claim."""
        claim = self.get_object()
        data = claim_review(
            claim,
            url=request.build_absolute_uri(claim.get_absolute_url()),
            publisher=settings.NEWSROOM_NAME,
        )
        return Response(data, content_type="application/ld+json")


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.SourceSerializer
    search_fields = ["name", "aliases__name"]

    def get_queryset(self) -> Any:
        qs = selectors.source_list(user=self.request.user)
        q = self.request.query_params.get("q", "").strip()
        if q:
            qs = qs.filter(Q(aliases__name__icontains=q) | Q(name__icontains=q)).distinct()
        return qs

    def create(self, request: Request) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        source = services.source_create(actor=request.user, aliases=data.pop("aliases", ()), **data)
        return Response(self.get_serializer(source).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        source = get_object_or_404(Source.objects.visible_to(request.user), pk=pk)
        form = self.get_serializer(source, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        source = services.source_update(
            source=source, actor=request.user, changes=data, aliases=data.pop("aliases", None)
        )
        return Response(self.get_serializer(source).data)


class StoryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.StorySerializer

    def get_queryset(self) -> Any:
        return selectors.story_list(user=self.request.user)

    def create(self, request: Request) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        story = services.story_create(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(story).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        story = get_object_or_404(Story.objects.visible_to(request.user), pk=pk)
        form = self.get_serializer(story, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        story = services.story_update(story=story, actor=request.user, changes=form.validated_data)
        return Response(self.get_serializer(story).data)

    @extend_schema(request=None, responses={200: s.CandidateSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def extract(self, request: Request, pk: str) -> Response:
        """The candidate claims in the story's text, counts first, with their offsets."""
        story = self.get_object()
        found = selectors.story_candidates(story=story)
        data = [
            {
                "sentence": f.candidate.sentence,
                "start": f.candidate.start,
                "end": f.candidate.end,
                "confidence": f.candidate.confidence,
                "has_number": f.candidate.has_number,
                "parsed": f.candidate.parsed.as_dict(),
                "claim": f.claim_id,
                "rejected": f.rejection is not None,
            }
            for f in found
        ]
        return Response(s.CandidateSerializer(data, many=True).data)

    @extend_schema(request=s.AcceptSerializer, responses={201: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """Accept a candidate (by its offsets) as a claim linked to the story."""
        story = self.get_object()
        form = s.AcceptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        start, end = data.pop("start"), data.pop("end")
        kwargs = _claim_kwargs(data)
        claim = services.candidate_accept(
            story=story,
            start=start,
            end=end,
            actor=request.user,
            changes=kwargs["fields"],
            sources=kwargs.get("sources"),
        )
        claim = Claim.objects.with_related().get(pk=claim.pk)
        return Response(s.ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RejectSerializer, responses={201: s.CandidateRejectionSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        """Turn a candidate (by its offsets) down, with a reason: it is not offered again."""
        story = self.get_object()
        form = s.RejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        rejection = services.candidate_reject(
            story=story, actor=request.user, **form.validated_data
        )
        return Response(
            s.CandidateRejectionSerializer(rejection).data, status=status.HTTP_201_CREATED
        )


class FlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.FlagSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("claim", int, description="Flags that involve this claim"),
            OpenApiParameter("status", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("severity", str, description="info, low, medium or high"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _answer(self, flag: Flag) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=flag.pk)).data)

    @extend_schema(request=s.FlagNoteSerializer, responses={200: s.FlagSerializer})
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        form = s.FlagNoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        flag = services.flag_acknowledge(flag=self.get_object(), actor=request.user, **form.data)
        return self._answer(flag)

    @extend_schema(request=s.FlagResolveSerializer, responses={200: s.FlagSerializer})
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        form = s.FlagResolveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        flag = services.flag_resolve(
            flag=self.get_object(), actor=request.user, **form.validated_data
        )
        return self._answer(flag)

    @extend_schema(request=s.FlagNoteSerializer, responses={200: s.FlagSerializer})
    @action(detail=True, methods=["post"])
    def dismiss(self, request: Request, pk: str) -> Response:
        form = s.FlagNoteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        flag = services.flag_dismiss(flag=self.get_object(), actor=request.user, **form.data)
        return self._answer(flag)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        claim = params.get("claim")
        if claim is not None and not claim.isdigit():
            raise InvalidInput("Bad filter.", errors={"claim": ["Give a claim id."]})
        qs = selectors.flag_list(user=self.request.user, claim_id=int(claim) if claim else None)
        for name, choices in (("status", Flag.Status.values), ("kind", Flag.Kind.values)):
            value = params.get(name)
            if value:
                if value not in choices:
                    raise InvalidInput("Bad filter.", errors={name: [f"Unknown {name} {value!r}."]})
                qs = qs.filter(**{name: value})
        severity = params.get("severity")
        if severity:
            levels = {label: value for value, label in Severity.choices}
            if severity not in levels:
                raise InvalidInput(
                    "Bad filter.",
                    errors={"severity": [f"Choose one of: {', '.join(levels)}."]},
                )
            qs = qs.filter(severity=levels[severity])
        return qs
