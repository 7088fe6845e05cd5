"""The flag queue and the flag page: fact-checkers answer what the jobs found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from claims import localwording, roles, selectors, services
from claims.errors import DomainError
from claims.forms import FlagNoteForm, FlagResolveForm
from claims.models import CheckPolicy, Claim, Flag
from claims.views.common import PAGE_SIZE, error_text, get_or_404, safe_next


@require_GET
@login_required
def flag_queue(request: HttpRequest) -> HttpResponse:
    """Open flags, worst first; the filters (`FlagFilter`, as in the API) are in the URL
    so a queue can be shared."""
    queue = selectors.flag_queue(user=request.user, params=request.GET)
    page = Paginator(queue.flags, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "form": queue.filterset.form,
        "page": page,
        "query": query.urlencode(),
        "can_answer": roles.is_checker(request.user),
    }
    return render(request, "claims/flags.html", ctx, status=200 if queue.valid else 400)


def _flag_or_404(request: HttpRequest, pk: int) -> Flag:
    return get_or_404(selectors.flag_detail, "No such flag.", user=request.user, pk=pk)


@dataclass(frozen=True)
class FlagClaim:
    """A claim of the flag, as the one answering it weighs it: figure, sources with their
    grades, and the evidence behind it."""

    claim: Claim
    figure: str


def _flag_claims(flag: Flag) -> list[FlagClaim]:
    claims = list(flag.claims.all())  # with their evidence: selectors.flag_detail
    tolerance = CheckPolicy.load().approx_tolerance
    return [
        FlagClaim(c, localwording.format_figure(c.value_low, c.value_high, c.qualifier, tolerance))
        for c in claims
    ]


def _resolve_form(flag: Flag, rows: list[FlagClaim], form: Any) -> FlagResolveForm:
    """The resolve form, offering the flag's claims as the one whose figure stands when
    figures conflict, and leaving that question out for other kinds."""
    form = form or FlagResolveForm()
    if flag.kind in services.FIGURE_KINDS:
        form.offer_claims([(r.claim.pk, f"Claim {r.claim.pk}: {r.figure}") for r in rows])
    else:
        form.fields.pop("upheld_claim", None)
    return cast(FlagResolveForm, form)


def _render_flag(
    request: HttpRequest, flag: Flag, *, status: int = 200, **forms: Any
) -> HttpResponse:
    rows = _flag_claims(flag)
    ctx = {
        "flag": flag,
        "flag_claims": rows,
        "can_answer": roles.is_checker(request.user) and flag.status in Flag.UNRESOLVED,
        # The job's suggestion of one incident: editors answer it too.
        "may_link": services.may_change_incidents(request.user) and flag.status in Flag.UNRESOLVED,
        "figure_kind": flag.kind in services.FIGURE_KINDS,
        "resolve_form": _resolve_form(flag, rows, forms.get("resolve_form")),
        "note_form": forms.get("note_form") or FlagNoteForm(),
        "next": safe_next(request),
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
        raise Http404(gettext("No such action."))
    flag = _flag_or_404(request, pk)
    form_class, service, done = FLAG_ANSWERS[verb]
    form = form_class(request.POST)
    form_name = "resolve_form" if verb == "resolve" else "note_form"
    if not form.is_valid():
        messages.error(request, gettext("Check the fields below."))
        return _render_flag(request, flag, status=400, **{form_name: form})
    try:
        service(flag=flag, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        _add_errors(form, exc)
        messages.error(request, error_text(exc))
        return _render_flag(
            request, _flag_or_404(request, pk), status=exc.status_code, **{form_name: form}
        )
    messages.success(request, done)
    return _back(request, flag)


def _add_errors(form: forms.Form, exc: DomainError) -> None:
    for field, errors in exc.errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _back(request: HttpRequest, flag: Flag) -> HttpResponse:
    """Back where the answer came from (the queue), or to the flag."""
    target = safe_next(request)
    return redirect(target) if target else redirect("flag_detail", pk=flag.pk)


urlpatterns = [
    path("flags/", flag_queue, name="flag_queue"),
    path("flags/<int:pk>/", flag_detail, name="flag_detail"),
    path("flags/<int:pk>/<slug:verb>/", flag_answer, name="flag_answer"),
]
