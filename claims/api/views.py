"""REST endpoints. Each write validates with a serializer and calls the same service
as the pages; domain errors become 400 / 403 / 409 in `claims.api.errors`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from claims import csvio, imports, language, policy, roles, selectors, services
from claims.api import rows as plain_rows
from claims.api import serializers as s
from claims.api.kept import KeptAnswer
from claims.api.paging import PAGE_PARAMETERS, paged
from claims.api.renderers import CSVRenderer
from claims.api.schema import refusals
from claims.claimreview import claim_review
from claims.errors import InvalidInput
from claims.filters import ClaimFilter, FlagFilter
from claims.jsonhtml import HtmlSafeJSONRenderer, JsonLdRenderer
from claims.models import Claim, Flag, Incident, PublishedReview, Story
from claims.parsing import Candidate
from claims.selectors.track_records import source_track_record
from claims.views.common import get_or_404

CLAIM_FILTER_PARAMS = [
    OpenApiParameter(name, str, description=str(f.label or name))
    for name, f in ClaimFilter.base_filters.items()
]
FLAG_FILTER_PARAMS = [
    OpenApiParameter(name, str, description=str(f.label or name))
    for name, f in FlagFilter.base_filters.items()
]


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

    def get_renderers(self) -> list[Any]:
        # The list also downloads as CSV (?format=csv); the other answers are JSON.
        renderers = super().get_renderers()
        return [*renderers, CSVRenderer()] if self.action == "list" else renderers

    @extend_schema(
        parameters=CLAIM_FILTER_PARAMS,
        responses={
            (200, "application/json"): s.ClaimSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def list(self, request: Request) -> Any:
        params = request.query_params
        if request.accepted_renderer.format == "csv":
            qs = selectors.claim_export(user=request.user, params=params, request=request)
            rows = (csvio.claim_row(c, request.build_absolute_uri) for c in selectors.in_chunks(qs))
            return csvio.csv_response("claims.csv", csvio.CLAIM_COLUMNS, rows)
        kept = KeptAnswer.of(request)
        answer = kept.answer(request) if kept else None
        if answer is not None:
            return answer
        response = self._list(request)
        return kept.keep(request, response, self.get_renderer_context()) if kept else response

    def _list(self, request: Request) -> Response:
        qs = selectors.claim_list(user=request.user, params=request.query_params, request=request)
        if plain_rows.serves_the_serializer():
            # The serializer's answer, written from plain values (claims.api.rows).
            page = self.paginate_queryset(plain_rows.claim_values(qs))
            return self.get_paginated_response(plain_rows.claim_rows(page or []))
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.ImportRequestSerializer},
        responses={
            200: s.ImportResultSerializer,
            202: s.ImportJobSerializer,
            **refusals(400, 403),
        },
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser])
    def import_csv(self, request: Request) -> Response:
        """New claims from a CSV file. Up to imports.SYNC_ROWS rows the answer is the result;
        a longer file answers 202 with a job to poll."""
        form = s.ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        content = upload.read(imports.MAX_BYTES + 1)
        dry_run = form.validated_data["dry_run"]
        rows, ignored = imports.read_upload(content)
        if len(rows) > imports.SYNC_ROWS:
            job = imports.import_job_create(
                actor=request.user, content=content, filename=upload.name or "", dry_run=dry_run
            )
            return Response(s.ImportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
        result = imports.import_claims(
            actor=request.user, rows=rows, dry_run=dry_run, ignored_columns=ignored
        )
        return Response(s.ImportResultSerializer(result.as_dict()).data)

    def _detail(self, claim: Claim) -> Response:
        """One claim with what only its own answer carries (`stories_to_correct`)."""
        context = self.get_serializer_context()
        return Response(s.ClaimDetailSerializer(claim, context=context).data)

    @extend_schema(
        responses={
            200: s.ClaimDetailSerializer,
            303: OpenApiResponse(
                response=s.ClaimMergedSerializer,
                description="The claim was merged into another: `Location` is that "
                "claim's address, and `merged_into` its id.",
            ),
        }
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        if claim.merged_into_id is not None:
            return self._merged(request, claim)
        return self._detail(claim)

    def _merged(self, request: Request, claim: Claim) -> Response:
        """A merged claim's answer: 303 See Other, to the claim it was merged into. Not
        301 or 308: the old address still names a row of its own (its history stays
        there), and clients should keep asking it rather than forget it."""
        into = claim.merged_into_id
        url = request.build_absolute_uri(reverse("api:claim-detail", args=[into]))
        detail = gettext("Claim #%(pk)s was merged into claim #%(into)s.")
        body = {"detail": detail % {"pk": claim.pk, "into": into}, "merged_into": into}
        return Response(body, status=status.HTTP_303_SEE_OTHER, headers={"Location": url})

    @extend_schema(request=s.ClaimWriteSerializer, responses={201: s.ClaimSerializer})
    def create(self, request: Request) -> Response:
        form = s.ClaimWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        kwargs = s.claim_kwargs(form.validated_data)
        incident = kwargs["fields"].pop("incident", None)
        topics = kwargs["fields"].pop("topics", None)
        with transaction.atomic():
            claim = services.claim_create(
                actor=request.user,
                text=kwargs["fields"].pop("text"),
                story=kwargs.get("story"),
                sources=kwargs.get("sources"),
                read_text=kwargs["fields"].pop("read_text", True),
                **kwargs["fields"],
            )
            if incident is not None:
                services.claim_set_incident(claim=claim, incident=incident, actor=request.user)
            if topics:
                services.claim_set_topics(claim=claim, topics=topics, actor=request.user)
        claim = self.get_queryset().get(pk=claim.pk)
        return Response(self.get_serializer(claim).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ClaimWriteSerializer, responses={200: s.ClaimDetailSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        form = s.ClaimWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        version = form.validated_data.get("version")
        kwargs = s.claim_kwargs(form.validated_data)
        kwargs["fields"].pop("read_text", None)
        if "story" in kwargs:
            raise InvalidInput(
                gettext("A claim's story cannot change."), errors={"story": [gettext("Read-only.")]}
            )
        with transaction.atomic():
            # The incident first: linking makes no new version, so the edit's check of
            # `version` still holds after it.
            if "incident" in kwargs["fields"]:
                services.claim_set_incident(
                    claim=claim,
                    incident=kwargs["fields"].pop("incident"),
                    actor=request.user,
                    version=version,
                )
            # Topics too make no new version.
            if "topics" in kwargs["fields"]:
                services.claim_set_topics(
                    claim=claim,
                    topics=kwargs["fields"].pop("topics"),
                    actor=request.user,
                    version=version,
                )
            if kwargs["fields"] or "sources" in kwargs:
                services.claim_update(
                    claim=claim,
                    actor=request.user,
                    version=version,
                    changes=kwargs["fields"],
                    sources=kwargs.get("sources"),
                )
        return self._detail(self.get_queryset().get(pk=claim.pk))

    @extend_schema(request=s.TransitionSerializer, responses={200: s.ClaimDetailSerializer})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: str) -> Response:
        claim = self.get_object()
        form = s.TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.claim_transition(claim=claim, actor=request.user, **form.validated_data)
        return self._detail(self.get_queryset().get(pk=claim.pk))

    @extend_schema(
        request=s.ClaimMergeSerializer,
        responses={200: s.ClaimDetailSerializer, **refusals(400, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Fold this claim, a duplicate, into `into` (fact-checkers and admins): its
        evidence, sources, stories, comments and flags move there. Answers the claim that
        survives; this one then answers 303 to it."""
        claim = self.get_object()
        policy.check_role(request.user, policy.Action.MERGE)
        form = s.ClaimMergeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        survivor = services.claim_merge(claim=claim, actor=request.user, **form.validated_data)
        return self._detail(self.get_queryset().get(pk=survivor.pk))

    def _review_answer(self, request: Request, review: PublishedReview) -> Response:
        url = request.build_absolute_uri(review.get_absolute_url())
        return Response(s.ReviewSerializer(review, context={"review_url": url}).data)

    @extend_schema(request=s.PublishSerializer, responses={200: s.ReviewSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str) -> Response:
        """Make a decided claim's review public (fact-checkers and admins; 409 when the
        claim is not decided). The answer's `review_url` is the public page."""
        claim = self.get_object()
        form = s.PublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        review = services.review_publish(claim=claim, actor=request.user, **form.validated_data)
        return self._review_answer(request, review)

    @extend_schema(request=s.UnpublishSerializer, responses={200: s.ReviewSerializer})
    @action(detail=True, methods=["post"])
    def unpublish(self, request: Request, pk: str) -> Response:
        """Take a claim's public review down, saying why."""
        claim = self.get_object()
        form = s.UnpublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        review = services.review_unpublish(claim=claim, actor=request.user, **form.validated_data)
        return self._review_answer(request, review)

    # It answers JSON-LD whichever renderer is asked for (its refusals as asked).
    @extend_schema(responses={(200, "application/ld+json"): OpenApiTypes.OBJECT})
    @action(
        detail=True,
        methods=["get"],
        # Publishers paste this into a <script> element: no text may close it.
        renderer_classes=[HtmlSafeJSONRenderer, JsonLdRenderer],
    )
    def claimreview(self, request: Request, pk: str) -> Response:
        """schema.org ClaimReview JSON-LD for a decided claim."""
        claim = self.get_object()
        # A published review is the page the markup describes; otherwise the desk's own.
        review = PublishedReview.objects.public().filter(claim=claim).first()
        page = review.get_absolute_url() if review else claim.get_absolute_url()
        data = claim_review(
            claim,
            url=request.build_absolute_uri(page),
            publisher=settings.NEWSROOM_NAME,
            summary=review.summary if review else "",
            date_published=review.published_at if review else None,
            date_modified=review.modified_at if review else None,
        )
        return Response(data, content_type="application/ld+json")


class SourceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.SourceSerializer
    search_fields = ["name", "aliases__name"]

    def get_queryset(self) -> Any:
        q = self.request.query_params.get("q", "").strip()
        return selectors.source_search(user=self.request.user, query=q)

    @extend_schema(responses={200: s.SourceDetailSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        """A source with its `track_record`: how the claims it makes were decided, the
        conflicts its figures lost and the contradictions still open on them."""
        source = self.get_object()
        record = source_track_record(source=source)
        context = {**self.get_serializer_context(), "track_record": record}
        return Response(s.SourceDetailSerializer(source, context=context).data)

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
        return Response(self._answer(story), status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        story = self._story(pk)
        form = self.get_serializer(story, data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        story = services.story_update(story=story, actor=request.user, changes=form.validated_data)
        return Response(self._answer(story))

    def _answer(self, story: Story) -> Any:
        # Read again as the list reads it, so a write answers the same fields (claim_count).
        return self.get_serializer(self.get_queryset().get(pk=story.pk)).data

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
            ),
            *PAGE_PARAMETERS,
        ],
        responses={200: s.CandidateSerializer(many=True)},
    )
    # A list in the order of the copy, paged by `claims.api.paging` (the list stays a
    # list; the way on is in the headers), not by the API's envelope.
    @action(detail=True, methods=["post"], pagination_class=None)
    def extract(self, request: Request, pk: str) -> Response:
        """The candidates in the story's text, one per figure, in the order of the copy,
        with their offsets, up to 500 to an answer (`page`, `page_size`; `Link` names the
        next page, `X-Total-Count` the whole). The extraction is stored with the story and
        read again only when the body, its date, the registers or the parser change."""
        story = self._story(pk)
        state = request.query_params.get("state", "")
        if state not in ("", "open", "accepted", "rejected"):
            raise InvalidInput(
                gettext("Bad filter."),
                # The values stay as the URL spells them; the translator keeps them verbatim.
                errors={"state": [gettext("open, accepted or rejected.")]},
            )
        found = selectors.story_candidates(story=story)
        chosen = [f for f in found if not state or f.state == state]
        page, headers = paged(request, chosen)
        data = [_candidate_data(f) for f in page]
        return Response(s.CandidateSerializer(data, many=True).data, headers=headers)

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
        kwargs = s.claim_kwargs(data)
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

    def get_renderers(self) -> list[Any]:
        renderers = super().get_renderers()
        return [*renderers, CSVRenderer()] if self.action == "list" else renderers

    @extend_schema(
        parameters=FLAG_FILTER_PARAMS,
        responses={
            (200, "application/json"): s.FlagSerializer(many=True),
            (200, "text/csv"): OpenApiTypes.STR,
        },
    )
    def list(self, request: Request) -> Any:
        if request.accepted_renderer.format == "csv":
            qs = selectors.flag_export(user=request.user, params=request.query_params)
            rows = (csvio.flag_row(f, request.build_absolute_uri) for f in selectors.in_chunks(qs))
            return csvio.csv_response("flags.csv", csvio.FLAG_COLUMNS, rows)
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


INCIDENT_FILTER_PARAMS = [
    OpenApiParameter(name, str, description=str(f.label or name))
    for name, f in selectors.IncidentFilter.base_filters.items()
]


class IncidentViewSet(viewsets.GenericViewSet):
    """Incidents: one event whose tolls the checks compare as one. Anyone on the desk
    reads them; editors and fact-checkers create, edit, link, unlink, merge and split."""

    serializer_class = s.IncidentSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.incident_list(user=self.request.user)

    def _incident(self, pk: Any) -> Incident:
        user = self.request.user
        return get_or_404(selectors.incident_get, "No such incident.", user=user, pk=pk)

    def _answer(self, incident: Incident, code: int = status.HTTP_200_OK) -> Response:
        incident = selectors.incident_list(user=self.request.user).get(pk=incident.pk)
        claims = selectors.incident_claims(incident)
        data = s.IncidentDetailSerializer(incident, context={"claims": claims}).data
        return Response(data, status=code)

    @extend_schema(parameters=INCIDENT_FILTER_PARAMS)
    def list(self, request: Request) -> Response:
        qs = selectors.incident_list(user=request.user, params=request.query_params)
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(responses={200: s.IncidentDetailSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        # Read through the list's query, so it answers claim_count as the list does.
        return self._answer(self._incident(pk))

    @extend_schema(request=s.IncidentWriteSerializer, responses={201: s.IncidentDetailSerializer})
    def create(self, request: Request) -> Response:
        form = s.IncidentWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        if data.get("place"):
            data["place"] = services.PlaceName(**data["place"])
        incident = services.incident_create(actor=request.user, **data)
        return self._answer(incident, status.HTTP_201_CREATED)

    @extend_schema(request=s.IncidentWriteSerializer, responses={200: s.IncidentDetailSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        incident = self._incident(pk)
        form = s.IncidentWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        changes = dict(form.validated_data)
        note = changes.pop("note", "")
        if changes.get("place"):
            changes["place"] = services.PlaceName(**changes["place"])
        services.incident_update(incident=incident, actor=request.user, changes=changes, note=note)
        return self._answer(incident)

    def _link(self, request: Request, pk: str, write: Callable[..., Claim]) -> Response:
        incident = self._incident(pk)
        form = s.IncidentLinkSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        write(incident=incident, actor=request.user, **form.validated_data)
        return self._answer(incident)

    @extend_schema(request=s.IncidentLinkSerializer, responses={200: s.IncidentDetailSerializer})
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str) -> Response:
        """Link a claim to this incident (moving it from another), with why; recorded
        on the claim and the incident, and the job leaves the claim's incident alone."""
        return self._link(request, pk, services.incident_link)

    @extend_schema(request=s.IncidentLinkSerializer, responses={200: s.IncidentDetailSerializer})
    @action(detail=True, methods=["post"])
    def unlink(self, request: Request, pk: str) -> Response:
        """Take a claim out of this incident (409 when it is not one of its claims)."""
        return self._link(request, pk, services.incident_unlink)

    @extend_schema(request=s.IncidentMergeSerializer, responses={200: s.IncidentDetailSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str) -> Response:
        """Fold this incident into `into`: its claims move there; answers the survivor."""
        incident = self._incident(pk)
        form = s.IncidentMergeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        into = self._incident(form.validated_data["into"])
        survivor = services.incident_merge(
            incident=incident, into=into, actor=request.user, note=form.validated_data["note"]
        )
        return self._answer(survivor)

    @extend_schema(request=s.IncidentSplitSerializer, responses={201: s.IncidentDetailSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request: Request, pk: str) -> Response:
        """Move some of this incident's claims into a new incident; answers the new one."""
        incident = self._incident(pk)
        form = s.IncidentSplitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        new = services.incident_split(incident=incident, actor=request.user, **form.validated_data)
        return self._answer(new, status.HTTP_201_CREATED)

    def _suggestion(self, request: Request) -> tuple[Flag, str]:
        form = s.IncidentSuggestionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        pk = form.validated_data["flag"]
        flag = get_or_404(selectors.flag_detail, "No such flag.", user=request.user, pk=pk)
        return flag, form.validated_data["note"]

    # The flag named in the body may be gone (404) or already settled (409).
    @extend_schema(
        request=s.IncidentSuggestionSerializer,
        responses={200: s.IncidentDetailSerializer, **refusals(404, 409)},
    )
    @action(detail=False, methods=["post"])
    def confirm(self, request: Request) -> Response:
        """The job's suggestion is right: its claims are one incident. They are linked
        (into the incident one of them has, or a new one) and the flag is resolved."""
        flag, note = self._suggestion(request)
        incident = services.incident_suggestion_confirm(flag=flag, actor=request.user, note=note)
        return self._answer(incident)

    @extend_schema(
        request=s.IncidentSuggestionSerializer,
        responses={200: s.FlagSerializer, **refusals(404, 409)},
    )
    @action(detail=False, methods=["post"])
    def reject(self, request: Request) -> Response:
        """The job's suggestion is wrong: the flag is dismissed and the claims' incidents
        are left to people from now on."""
        flag, note = self._suggestion(request)
        flag = services.incident_suggestion_reject(flag=flag, actor=request.user, note=note)
        flag = selectors.flag_list(user=request.user).get(pk=flag.pk)
        return Response(s.FlagSerializer(flag).data)


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """CSV imports read by a worker: each user sees their own, admins every one."""

    serializer_class = s.ImportJobSerializer
    permission_classes = [IsAuthenticated, DeskMember]
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.import_jobs(user=self.request.user)


class AdminOnly(BasePermission):
    message = "Only admins may do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        return bool(request.user and roles.is_admin(request.user))


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own notifications, newest first (`?unread=1` for the unread
    ones only). Nobody reads or marks another person's."""

    serializer_class = s.NotificationSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.notifications_of(user=self.request.user)

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Unread only.")])
    def list(self, request: Request) -> Any:
        qs = selectors.notifications_of(
            user=request.user, unread=request.query_params.get("unread") in ("1", "true")
        )
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses={200: s.ReadCountSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        """Mark one notification read."""
        note = self.get_object()
        marked = services.notification_mark_read(actor=request.user, notification_ids=[note.pk])
        return self._count(marked)

    # Its own operation id: the one made from the path is the single `read`'s.
    @extend_schema(
        operation_id="v1_notifications_read_many",
        request=s.NotificationsReadSerializer,
        responses={200: s.ReadCountSerializer},
    )
    @action(detail=False, methods=["post"], url_path="read")
    def read_many(self, request: Request) -> Response:
        """Mark the notifications named in `ids` read, or every unread one."""
        form = s.NotificationsReadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        marked = services.notification_mark_read(
            actor=request.user, notification_ids=form.validated_data.get("ids")
        )
        return self._count(marked)

    def _count(self, marked: int) -> Response:
        unread = selectors.notifications_of(user=self.request.user, unread=True).count()
        return Response(s.ReadCountSerializer({"marked": marked, "unread": unread}).data)


class WebhookViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Webhook endpoints (admins only). Each delivery is a JSON POST signed with
    `X-Desk-Signature: sha256=<HMAC-SHA256 of the body under the secret>`."""

    serializer_class = s.WebhookSerializer
    permission_classes = [IsAuthenticated, AdminOnly]
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.webhook_endpoints(user=self.request.user)

    @extend_schema(request=s.WebhookSerializer, responses={201: s.WebhookSerializer})
    def create(self, request: Request) -> Response:
        form = s.WebhookSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        endpoint = services.webhook_create(actor=request.user, **form.validated_data)
        return Response(self.get_serializer(endpoint).data, status=status.HTTP_201_CREATED)
