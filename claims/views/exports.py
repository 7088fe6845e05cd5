"""Spreadsheets in and out: each queue and the flag list download as CSV with the filters
of the page, and editors upload a CSV of claims (checked first with a dry run if they
like) whose progress the page follows while a worker reads it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from claims import csvio, imports, policy, selectors
from claims.errors import DomainError
from claims.views.common import error_text, get_or_404


def _bad_filter(page: str) -> HttpResponse:
    # A download has no form to show its errors in: the page it comes from does.
    return HttpResponse(
        gettext("A filter of this download is not valid: open %(page)s to see which.")
        % {"page": page},
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@require_GET
@login_required
def queue_csv(request: HttpRequest, name: str) -> HttpResponse:
    """Every claim of the queue, with the page's filters, as CSV."""
    try:
        qs = selectors.queue_export(
            user=request.user, name=name, params=request.GET, request=request
        )
    except KeyError as exc:
        raise Http404(gettext("No such queue.")) from exc
    if qs is None:
        return _bad_filter(gettext("the queue"))
    rows = (csvio.claim_row(c, request.build_absolute_uri) for c in selectors.in_chunks(qs))
    return csvio.csv_response(f"queue-{name}.csv", csvio.CLAIM_COLUMNS, rows)


@require_GET
@login_required
def flags_csv(request: HttpRequest) -> HttpResponse:
    """Every flag of the flag list, with the page's filters, as CSV."""
    qs = selectors.flag_queue_export(user=request.user, params=request.GET)
    if qs is None:
        return _bad_filter(gettext("the flag list"))
    rows = (csvio.flag_row(f, request.build_absolute_uri) for f in selectors.in_chunks(qs))
    return csvio.csv_response("flags.csv", csvio.FLAG_COLUMNS, rows)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "The columns of the claim download; blank cells are read from the text."
        ),
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Dry run: check every row, write nothing"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    if not policy.allows(request.user, policy.Action.CREATE):
        raise PermissionDenied(gettext("Only editors and admins import claims."))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.import_job_create(
                actor=request.user,
                content=upload.read(imports.MAX_BYTES + 1),
                filename=upload.name or "",
                dry_run=form.cleaned_data["dry_run"],
            )
        except DomainError as exc:
            for name, errors in exc.errors.items():
                form.add_error(name if name in form.fields else None, errors)
            if not exc.errors:
                form.add_error(None, error_text(exc))
        else:
            uploaded = ngettext(
                "%(count)s rows uploaded: the desk is reading them.",
                "%(count)s rows uploaded: the desk is reading them.",
                job.rows,
            )
            messages.success(request, uploaded % {"count": f"{job.rows:,}"})
            return HttpResponseRedirect(job.get_absolute_url())
    jobs = selectors.import_jobs(user=request.user)[:10]
    status = 400 if form.errors else 200
    ctx = {"form": form, "jobs": jobs, "max_rows": imports.MAX_ROWS, "columns": csvio.CLAIM_COLUMNS}
    return render(request, "claims/import.html", ctx, status=status)


@require_GET
@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An import's progress and, once done, what it wrote and refused. The bar polls the
    progress fragment (`?part=progress`) until the job is finished."""
    job = get_or_404(selectors.import_job_get, gettext("No such import."), user=request.user, pk=pk)
    if request.GET.get("part") == "progress":
        return render(request, "claims/_import_progress.html", {"job": job})
    return render(request, "claims/import_detail.html", {"job": job})


urlpatterns = [
    path("queue/<slug:name>/export.csv", queue_csv, name="queue_csv"),
    path("flags/export.csv", flags_csv, name="flags_csv"),
    path("claims/import/", import_new, name="import_new"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
]
