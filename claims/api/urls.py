from django.urls import path
from rest_framework.routers import DefaultRouter

from claims.api import topics, views

app_name = "api"

router = DefaultRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("sources", views.SourceViewSet, basename="source")
router.register("stories", views.StoryViewSet, basename="story")
router.register("flags", views.FlagViewSet, basename="flag")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("imports", views.ImportJobViewSet, basename="import-job")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("webhooks", views.WebhookViewSet, basename="webhook")
router.register("topics", topics.TopicViewSet, basename="topic")

urlpatterns = [
    path("parse/", views.ParseView.as_view(), name="parse"),
    *router.urls,
]
