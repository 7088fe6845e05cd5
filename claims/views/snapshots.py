"""Evidence pages as captured: the text to read on the desk, and the HTML as a download.

The captured HTML is someone else's page: it is never served as a page of the desk. It
goes out as an attachment, sandboxed and unsniffable, so a browser that opened it anyway
would run nothing with the desk's cookies."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from claims import selectors
from claims.views.common import get_or_404


@require_GET
@login_required
def snapshot_detail(request: HttpRequest, pk: int) -> HttpResponse:
    snapshot = get_or_404(selectors.snapshot_get, "No such snapshot.", user=request.user, pk=pk)
    return render(request, "claims/snapshot.html", {"snapshot": snapshot})


@require_GET
@login_required
def snapshot_html(request: HttpRequest, pk: int) -> FileResponse:
    snapshot = get_or_404(selectors.snapshot_get, "No such snapshot.", user=request.user, pk=pk)
    if not snapshot.html:
        raise Http404("This snapshot kept no page.")
    response = FileResponse(
        snapshot.html.open("rb"),
        as_attachment=True,
        filename=f"evidence-{snapshot.evidence_id}-{snapshot.taken_at:%Y%m%d-%H%M}.html",
        content_type="application/octet-stream",
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("snapshots/<int:pk>/", snapshot_detail, name="snapshot_detail"),
    path("snapshots/<int:pk>/page.html", snapshot_html, name="snapshot_html"),
]
