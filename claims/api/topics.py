"""Topics in the API: the list admins keep (read here, kept in the admin), and following
one. Claims carry their topics by name (`ClaimSerializer.topics`), and `?topic=<name>`
filters the claims list as it filters the queues."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from claims import selectors, services
from claims.models import Topic


class TopicSerializer(serializers.ModelSerializer):
    claim_count = serializers.IntegerField(read_only=True, help_text="Claims tagged with it.")
    followed = serializers.BooleanField(
        read_only=True, help_text="Whether the signed-in user follows it."
    )

    class Meta:
        model = Topic
        fields = ["id", "name", "description", "claim_count", "followed", "created_at"]
        read_only_fields = fields


class TopicViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The topics, by name; following one brings a notification of each new high flag on
    a claim in it. Users without a role on the desk see none."""

    serializer_class = TopicSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return selectors.topic_list(user=self.request.user)

    def _answer(self, topic: Topic) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=topic.pk)).data)

    @extend_schema(request=None, responses={200: TopicSerializer})
    @action(detail=True, methods=["post"])
    def follow(self, request: Request, pk: str) -> Response:
        """Follow the topic (following it again changes nothing)."""
        topic = self.get_object()
        services.topic_follow(topic=topic, actor=request.user)
        return self._answer(topic)

    @extend_schema(request=None, responses={200: TopicSerializer})
    @action(detail=True, methods=["post"])
    def unfollow(self, request: Request, pk: str) -> Response:
        """Stop following the topic."""
        topic = self.get_object()
        services.topic_unfollow(topic=topic, actor=request.user)
        return self._answer(topic)
