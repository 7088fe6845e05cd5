"""The flag queue and the flag page: fact-checkers answer what the jobs found."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from claims import roles, selectors, services
from claims.errors import DomainError
from claims.forms import UNRESOLVED, FlagFilterForm, FlagNoteForm, FlagResolveForm
from claims.models import Flag
from claims.views.common import PAGE_SIZE, error_text


@require_GET
@login_required
def flag_queue(request: HttpRequest) -> HttpResponse:
    """Open flags, worst first; the filters are in the URL so a queue can be shared."""
    # A queue link that names no status means the open ones; `status=` (empty) means any.
    data = request.GET.copy()
    if data:
        data.setdefault("status", UNRESOLVED)
    form = FlagFilterForm(data or None, initial={"status": UNRESOLVED})
    filters: dict[str, Any] = {"status": UNRESOLVED}
    status = 200
    if form.is_bound:
        if form.is_valid():
            filters = {k: v for k, v in form.cleaned_data.items()}
        else:
            status = 400
    qs = selectors.flag_queue(user=request.user, **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_answer": roles.is_checker(request.user),
    }
    return render(request, "claims/flags.html", ctx, status=status)


def _flag_or_404(request: HttpRequest, pk: int) -> Flag:
    try:
        return selectors.flag_detail(user=request.user, pk=pk)
    except Flag.DoesNotExist as exc:
        raise Http404("No such flag.") from exc


def _render_flag(
    request: HttpRequest, flag: Flag, *, status: int = 200, **forms: Any
) -> HttpResponse:
    ctx = {
        "flag": flag,
        "can_answer": roles.is_checker(request.user) and flag.status in Flag.UNRESOLVED,
        "figure_kind": flag.kind in services.FIGURE_KINDS,
        "resolve_form": forms.get("resolve_form") or FlagResolveForm(),
        "note_form": forms.get("note_form") or FlagNoteForm(),
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "claims/flag.html", ctx, status=status)


@require_GET
@login_required
def flag_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_flag(request, _flag_or_404(request, pk))


FLAG_ANSWERS: dict[str, tuple[type[forms.Form], Callable[..., Flag], str]] = {
    "acknowledge": (FlagNoteForm, services.flag_acknowledge, "Flag acknowledged."),
    "resolve": (FlagResolveForm, services.flag_resolve, "Flag resolved."),
    "dismiss": (FlagNoteForm, services.flag_dismiss, "Flag dismissed."),
}


@require_POST
@login_required
def flag_answer(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Acknowledge, resolve or dismiss a flag; a refused answer shows the form again
    with what was typed."""
    if verb not in FLAG_ANSWERS:
        raise Http404("No such action.")
    flag = _flag_or_404(request, pk)
    form_class, service, done = FLAG_ANSWERS[verb]
    form = form_class(request.POST)
    form_name = "resolve_form" if verb == "resolve" else "note_form"
    if not form.is_valid():
        messages.error(request, "Check the fields below.")
        return _render_flag(request, flag, status=400, **{form_name: form})
    try:
        service(flag=flag, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        for field, errors in exc.errors.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        messages.error(request, error_text(exc))
        return _render_flag(
            request, _flag_or_404(request, pk), status=exc.status_code, **{form_name: form}
        )
    messages.success(request, done)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("flag_detail", pk=flag.pk)


urlpatterns = [
    path("flags/", flag_queue, name="flag_queue"),
    path("flags/<int:pk>/", flag_detail, name="flag_detail"),
    path("flags/<int:pk>/<slug:verb>/", flag_answer, name="flag_answer"),
]
