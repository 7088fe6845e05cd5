"""REST endpoints. Each write validates with a serializer and calls the same service
as the pages; domain errors become 400 / 403 / 409 in `claims.api.errors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import language, roles, selectors, services
from claims.api import serializers as s
from claims.claimreview import claim_review
from claims.errors import InvalidInput
from claims.filters import ClaimFilter, FlagFilter
from claims.jsonhtml import HtmlSafeJSONRenderer, JsonLdRenderer
from claims.models import Claim, Flag, Story
from claims.parsing import Candidate
from claims.views.common import get_or_404

CLAIM_FILTER_PARAMS = [
    OpenApiParameter(name, str, description=str(f.label or name))
    for name, f in ClaimFilter.base_filters.items()
]
FLAG_FILTER_PARAMS = [
    OpenApiParameter(name, str, description=str(f.label or name))
    for name, f in FlagFilter.base_filters.items()
]


def _claim_kwargs(data: dict[str, Any]) -> dict[str, Any]:
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


def _candidate_data(found: selectors.StoryCandidate) -> dict[str, Any]:
    """A story's candidate as /extract/ answers it: its reading, offsets and state."""
    c, changed = found.candidate, found.changed
    return {
        "sentence": c.sentence,
        "start": c.start,
        "end": c.end,
        "words": c.words,
        "sentence_start": c.sentence_start,
        "sentence_end": c.sentence_end,
        "confidence": c.confidence,
        "has_number": c.has_number,
        "parsed": c.parsed.as_dict(),
        "claim": found.claim_id,
        "rejected": found.rejection is not None,
        "changed": changed is not None,
        "accepted_words": changed.words if changed else None,
        "accepted_sentence": changed.sentence if changed else None,
    }


class DeskMember(BasePermission):
    message = "Only editors, fact-checkers and admins of the desk may do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and roles.has_role(request.user))


class ParseView(APIView):
    """Read one claim as the desk would store it, without saving anything."""

    permission_classes = [IsAuthenticated, DeskMember]

    @extend_schema(request=s.ParseRequestSerializer, responses={200: s.ParseAnswerSerializer})
    def post(self, request: Request) -> Response:
        form = s.ParseRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        code = language.detect(form.validated_data["text"])
        message = language.unread_message(code)
        counts: list[Candidate] = []
        if message:
            parsed = language.unread_reading(form.validated_data["text"])
        else:
            parsed, counts = selectors.parse_with_counts(**form.validated_data)
        answer = {
            **parsed.as_dict(),
            "language": code,
            "message": message,
            "counts": [
                {**c.parsed.as_dict(), "start": c.start, "end": c.end, "words": c.words}
                for c in counts
            ],
        }
        return Response(s.ParseAnswerSerializer(answer).data)


class ClaimViewSet(viewsets.GenericViewSet):
    serializer_class = s.ClaimSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.claim_rows(user=self.request.user)

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
    @action(
        detail=True,
        methods=["get"],
        # Publishers paste this into a <script> element: no text may close it.
        renderer_classes=[HtmlSafeJSONRenderer, JsonLdRenderer],
    )
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
        q = self.request.query_params.get("q", "").strip()
        return selectors.source_search(user=self.request.user, query=q)

    def create(self, request: Request) -> Response:
        form = self.get_serializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        source = services.source_create(actor=request.user, aliases=data.pop("aliases", ()), **data)
        return Response(self.get_serializer(source).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        source = get_or_404(selectors.source_get, "No such source.", user=request.user, pk=pk)
        form = self.get_serializer(source, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        source = services.source_update(
            source=source, actor=request.user, changes=data, aliases=data.pop("aliases", None)
        )
        return Response(self.get_serializer(source).data)

    @extend_schema(request=s.SourceMergeSerializer, responses={200: s.SourceSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Fold this source into `into` (admins): it answers the source that survives."""
        source = get_or_404(selectors.source_get, "No such source.", user=request.user, pk=pk)
        form = s.SourceMergeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        survivor = services.source_merge(
            source=source, into=form.validated_data["into"], actor=request.user
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=survivor.pk)).data)


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
        story = self._story(pk)
        form = self.get_serializer(story, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        story = services.story_update(story=story, actor=request.user, changes=form.validated_data)
        return Response(self.get_serializer(story).data)

    def _story(self, pk: str) -> Story:
        # The full row: the list's queryset leaves out the stored extraction.
        return get_or_404(selectors.story_get, "No such story.", user=self.request.user, pk=pk)

    @extend_schema(
        request=None,
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=["open", "accepted", "rejected"],
                description="Only the candidates in this state.",
            )
        ],
        responses={200: s.CandidateSerializer(many=True)},
    )
    @action(detail=True, methods=["post"])
    def extract(self, request: Request, pk: str) -> Response:
        """The candidates in the story's text, one per figure, in the order of the copy,
        with their offsets. The extraction is stored with the story and read again only
        when the body, its date, the registers or the parser change."""
        story = self._story(pk)
        state = request.query_params.get("state", "")
        if state not in ("", "open", "accepted", "rejected"):
            raise InvalidInput("Bad filter.", errors={"state": ["open, accepted or rejected."]})
        found = selectors.story_candidates(story=story)
        data = [_candidate_data(f) for f in found if not state or f.state == state]
        return Response(s.CandidateSerializer(data, many=True).data)

    def _claim_answer(self, claim: Claim) -> Response:
        claim = selectors.claim_rows(user=self.request.user).get(pk=claim.pk)
        return Response(s.ClaimSerializer(claim).data)

    def _changed_answer(
        self,
        request: Request,
        pk: str,
        form_class: type[s.SpanSerializer],
        answer: Callable[..., Claim],
    ) -> Response:
        # Re-read and keep answer a changed figure the same way; only the service differs.
        form = form_class(data=request.data)
        form.is_valid(raise_exception=True)
        claim = answer(story=self._story(pk), actor=request.user, **form.validated_data)
        return self._claim_answer(claim)

    @extend_schema(request=s.RereadSerializer, responses={200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def reread(self, request: Request, pk: str) -> Response:
        """A figure accepted as a claim whose words changed in the copy since (`changed`
        in /extract/): update the claim from the words that stand there now. An edit of
        the claim: version-checked, allowed while you may edit it (editors while it is
        new), recorded as "Re-read after the story changed"."""
        return self._changed_answer(request, pk, s.RereadSerializer, services.candidate_reread)

    @extend_schema(request=s.KeepSerializer, responses={200: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def keep(self, request: Request, pk: str) -> Response:
        """A figure accepted as a claim whose words changed in the copy since: keep the
        claim as it is (editors, with a note saying why). The claim is bound to the new
        words, so the change is no longer reported; its figures and status stay."""
        return self._changed_answer(request, pk, s.KeepSerializer, services.candidate_keep)

    @extend_schema(request=s.AcceptSerializer, responses={201: s.ClaimSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """Accept one candidate (by its figure's offsets) as a claim linked to the story,
        with the editor's corrections if any. Several at once: /accept-bulk/."""
        story = self._story(pk)
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
        claim = selectors.claim_rows(user=request.user).get(pk=claim.pk)
        return Response(s.ClaimSerializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.RejectSerializer, responses={201: s.CandidateRejectionSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        """Turn one candidate (by its figure's offsets) down, with a reason: it is not
        offered again while the same words stand there. Several at once: /reject-bulk/."""
        story = self._story(pk)
        form = s.RejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        rejection = services.candidate_reject(
            story=story, actor=request.user, **form.validated_data
        )
        return Response(
            s.CandidateRejectionSerializer(rejection).data, status=status.HTTP_201_CREATED
        )

    def _bulk(self, request: Request, pk: str, answer: Any) -> list[services.CandidateAnswer]:
        story = self._story(pk)
        form = s.BulkAnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        spans = [(c["start"], c["end"]) for c in form.validated_data["candidates"]]
        answers: list[services.CandidateAnswer] = answer(
            story=story, spans=spans, actor=request.user, note=form.validated_data["note"]
        )
        return answers

    @staticmethod
    def _refused(answers: list[services.CandidateAnswer]) -> list[dict[str, Any]]:
        return [
            {
                "start": a.start,
                "end": a.end,
                "status": a.error.status_code,
                "message": a.error.message,
                "errors": a.error.errors,
            }
            for a in answers
            if a.error is not None
        ]

    @extend_schema(request=s.BulkAnswerSerializer, responses={200: s.BulkAcceptAnswerSerializer})
    @action(detail=True, methods=["post"], url_path="accept-bulk")
    def accept_bulk(self, request: Request, pk: str) -> Response:
        """Accept several candidates as read, in one transaction: each becomes a claim
        with its history row (who, when, and the note as why). The ones that cannot be
        accepted are listed in `refused`, with the status and reason the single
        /accept/ would have answered; the others are accepted all the same."""
        answers = self._bulk(request, pk, services.candidate_accept_many)
        accepted = [
            {"start": a.start, "end": a.end, "claim": a.claim.pk}
            for a in answers
            if a.claim is not None
        ]
        data = {"accepted": accepted, "refused": self._refused(answers)}
        return Response(s.BulkAcceptAnswerSerializer(data).data)

    @extend_schema(request=s.BulkAnswerSerializer, responses={200: s.BulkRejectAnswerSerializer})
    @action(detail=True, methods=["post"], url_path="reject-bulk")
    def reject_bulk(self, request: Request, pk: str) -> Response:
        """Turn several candidates down in one transaction, each recorded with who, when
        and the note; the ones that cannot be are listed in `refused` with their reason."""
        answers = self._bulk(request, pk, services.candidate_reject_many)
        rejected = [
            {"start": a.start, "end": a.end, "rejection": a.rejection.pk}
            for a in answers
            if a.rejection is not None
        ]
        data = {"rejected": rejected, "refused": self._refused(answers)}
        return Response(s.BulkRejectAnswerSerializer(data).data)


class FlagViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.FlagSerializer
    filter_backends: list[Any] = []

    @extend_schema(parameters=FLAG_FILTER_PARAMS)
    def list(self, request: Request) -> Response:
        qs = selectors.flag_list(user=request.user, params=request.query_params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

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
        return selectors.flag_list(user=self.request.user)
