"""The desk's home, story and claim pages, and the decide form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from claims import selectors, services
from claims.errors import DomainError
from claims.models import Claim
from claims.timeline import claim_timeline
from claims.views.common import error_text


def _claim_or_404(request: HttpRequest, pk: int) -> Claim:
    try:
        return selectors.claim_detail(user=request.user, pk=pk)
    except Claim.DoesNotExist as exc:
        raise Http404("No such claim.") from exc


@login_required
def home(request: HttpRequest) -> HttpResponse:
    stories = selectors.story_list(user=request.user)[:20]
    claims = selectors.recent_claims(user=request.user, limit=30)
    return render(request, "claims/home.html", {"stories": stories, "claims": claims})


@login_required
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_object_or_404(selectors.story_list(user=request.user), pk=pk)
    claims = selectors.claim_list(user=request.user, params={"story": story.pk})
    return render(request, "claims/story.html", {"story": story, "claims": claims})


def _render_claim(
    request: HttpRequest, claim: Claim, *, status: int = 200, note: str = ""
) -> HttpResponse:
    ctx = {
        "claim": claim,
        "transitions": services.allowed_transitions(claim, request.user),
        "note": note,
        "chart": claim_timeline(claim) if claim.has_number else None,
    }
    return render(request, "claims/claim.html", ctx, status=status)


@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_claim(request, _claim_or_404(request, pk))


@require_POST
@login_required
def claim_transition(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    version = request.POST.get("version", "")
    try:
        services.claim_transition(
            claim=claim,
            actor=request.user,
            to=request.POST.get("to", ""),
            note=request.POST.get("note", ""),
            version=int(version) if version.isdigit() else None,
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
        # Show the page again with the note as typed, so nothing is lost.
        return _render_claim(
            request,
            _claim_or_404(request, pk),
            status=exc.status_code,
            note=request.POST.get("note", ""),
        )
    messages.success(request, "Status changed.")
    return redirect(claim)


urlpatterns = [
    path("", home, name="home"),
    path("stories/<int:pk>/", story_detail, name="story_detail"),
    path("claims/<int:pk>/", claim_detail, name="claim_detail"),
    path("claims/<int:pk>/transition/", claim_transition, name="claim_transition"),
]
