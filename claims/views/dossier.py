"""A claim's dossier: one self-contained document with everything on record about the
claim, to print or save as PDF when a story is challenged. Desk users of any role."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from claims import selectors
from claims.views.common import get_or_404


@require_GET
@login_required
@never_cache
def claim_dossier(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_or_404(selectors.dossier, "No such claim.", user=request.user, pk=pk)
    ctx = {"d": record, "claim": record.claim, "newsroom": settings.NEWSROOM_NAME}
    return render(request, "claims/dossier.html", ctx)


urlpatterns = [
    path("claims/<int:pk>/dossier/", claim_dossier, name="claim_dossier"),
]
