"""Published reviews: the public page of a decided claim's review (no login) and the
index of them, and the claim page's buttons that publish a review or take it down.

The public pages answer 404 for a review not published, taken down, or on a claim
that is not decided now, the same as for an address that names nothing. A refused
publish or takedown shows the claim page again with what was typed, as its other
forms do.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from claims import selectors, services
from claims.errors import DomainError
from claims.feeds import ReviewFeed
from claims.views.claims import _claim_or_404, _render_claim
from claims.views.common import PAGE_SIZE, error_text, get_or_404


@require_GET
def review_detail(request: HttpRequest, key: str) -> HttpResponse:
    review = get_or_404(selectors.review_public, "No such review.", key=key)
    page = selectors.review_page(review, url=request.build_absolute_uri(review.get_absolute_url()))
    ctx = {"page": page, "newsroom": settings.NEWSROOM_NAME}
    return render(request, "claims/review.html", ctx)


@require_GET
def review_index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_reviews(), PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"page": page, "newsroom": settings.NEWSROOM_NAME}
    return render(request, "claims/review_index.html", ctx)


@require_POST
@login_required
def claim_publish(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    summary = request.POST.get("summary", "")
    try:
        review = services.review_publish(claim=claim, actor=request.user, summary=summary)
    except DomainError as exc:
        messages.error(request, f"The review was not published. {error_text(exc)}")
        # The page again, with the summary as typed, so nothing is lost.
        return _render_claim(
            request, _claim_or_404(request, pk), status=exc.status_code, publish_summary=summary
        )
    messages.success(request, f"The review is public at {review.get_absolute_url()}.")
    return redirect(f"{claim.get_absolute_url()}#publish-h")


@require_POST
@login_required
def claim_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    note = request.POST.get("note", "")
    try:
        services.review_unpublish(claim=claim, actor=request.user, note=note)
    except DomainError as exc:
        messages.error(request, f"The review was not taken down. {error_text(exc)}")
        return _render_claim(
            request, _claim_or_404(request, pk), status=exc.status_code, unpublish_note=note
        )
    messages.success(request, gettext("The review is taken down: its page answers “not found”."))
    return redirect(f"{claim.get_absolute_url()}#publish-h")


@require_POST
@login_required
def story_corrections_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The story's editor answers its open corrections, with a note."""
    story = get_or_404(selectors.story_get, "No such story.", user=request.user, pk=pk)
    # A refusal (403, 409, 400) is answered by `DomainErrorMiddleware`, with its status.
    services.corrections_resolve(story=story, actor=request.user, note=request.POST.get("note", ""))
    messages.success(
        request, gettext("The corrections are answered and recorded in the story's history.")
    )
    return redirect(story)


urlpatterns = [
    path("reviews/", review_index, name="review_index"),
    path("reviews/feed/", ReviewFeed(), name="review_feed"),
    path("reviews/<slug:key>/", review_detail, name="review_detail"),
    path("claims/<int:pk>/publish/", claim_publish, name="claim_publish"),
    path("claims/<int:pk>/unpublish/", claim_unpublish, name="claim_unpublish"),
    path(
        "stories/<int:pk>/corrections/", story_corrections_answer, name="story_corrections_answer"
    ),
]
