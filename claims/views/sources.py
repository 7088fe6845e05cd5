"""The register of sources, read-only: editors and fact-checkers look a source up and
see how its claims fared; admins change it in the Django admin."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from claims import selectors
from claims.selectors.track_records import source_track_record, track_record_chart
from claims.views.common import PAGE_SIZE, get_or_404


def _page_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    sources = selectors.source_search(user=request.user, query=q)
    page = Paginator(sources, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"page": page, "q": q, "query": _page_query(request)}
    return render(request, "claims/sources.html", ctx)


@require_GET
@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_or_404(selectors.source_detail, "No such source.", user=request.user, pk=pk)
    claims = selectors.claim_list(user=request.user, params={"source": pk})
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    record = source_track_record(source=source)
    ctx = {
        "source": source,
        "page": page,
        "query": _page_query(request),
        "record": record,
        "chart": track_record_chart(record, name=source.name),
    }
    return render(request, "claims/source.html", ctx)


urlpatterns = [
    path("sources/", source_list, name="source_list"),
    path("sources/<int:pk>/", source_detail, name="source_detail"),
]
