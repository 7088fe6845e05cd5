from django.urls import path

from claims import views

urlpatterns = [
    path("", views.home, name="home"),
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/transition/", views.claim_transition, name="claim_transition"),
    path("flags/", views.flag_queue, name="flag_queue"),
    path("flags/<int:pk>/", views.flag_detail, name="flag_detail"),
    path("flags/<int:pk>/<slug:verb>/", views.flag_answer, name="flag_answer"),
]
