"""The desk's home: what waits for the signed-in user, each count linking to its list."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from claims import selectors


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(user=request.user)
    ctx = {
        "board": board,
        "days": selectors.RECENT_DAYS,
        # Open flags by topic (one query), each to the Flagged queue of its topic.
        "board_topics": selectors.topic_flag_counts(user=request.user),
    }
    return render(request, "claims/home.html", ctx)


urlpatterns = [
    path("", home, name="home"),
]
