"""Incidents: the list, an incident's page with its claims and their tolls over time, and
the forms that link, unlink, merge and split (editors and fact-checkers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_GET, require_POST

from claims import selectors, services
from claims.errors import DomainError, InvalidInput
from claims.forms import (
    IncidentForm,
    IncidentLinkForm,
    IncidentMergeForm,
    IncidentSplitForm,
    IncidentSuggestionForm,
)
from claims.models import CheckPolicy, Flag, Incident
from claims.views.common import PAGE_SIZE, error_text, get_or_404


def _incident_or_404(request: HttpRequest, pk: int) -> Incident:
    return get_or_404(selectors.incident_get, "No such incident.", user=request.user, pk=pk)


@require_GET
@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """Incidents, newest day first; the filters (`IncidentFilter`, as in the API) are in
    the URL."""
    filterset = selectors.incident_filterset(user=request.user, params=request.GET)
    valid = filterset.is_valid()
    rows = filterset.qs if valid else Incident.objects.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "filters": filterset.form,
        "page": page,
        "query": query.urlencode(),
        "can_change": services.may_change_incidents(request.user),
        "form": IncidentForm(),
    }
    return render(request, "claims/incidents.html", ctx, status=200 if valid else 400)


def _render(request: HttpRequest, incident: Incident, *, status: int = 200, **given: Any) -> Any:
    claims = list(selectors.incident_claims(incident))
    tolerance = CheckPolicy.load().approx_tolerance
    ctx = {
        "incident": incident,
        "claims": claims,
        "charts": selectors.incident_charts(incident, claims, tolerance=tolerance),
        "flags": list(selectors.incident_flags(incident)),
        "history": selectors.incident_history(incident),
        "can_change": services.may_change_incidents(request.user),
        "edit_form": given.get("edit_form") or IncidentForm(initial=_initial(incident)),
        "link_form": given.get("link_form") or IncidentLinkForm(),
        "merge_form": given.get("merge_form") or IncidentMergeForm(),
        "split_form": given.get("split_form")
        or IncidentSplitForm(claim_ids=[c.pk for c in claims]),
        "suggestion_form": IncidentSuggestionForm(),
    }
    return render(request, "claims/incident.html", ctx, status=status)


def _initial(incident: Incident) -> dict[str, Any]:
    place = incident.place
    return {
        "label": incident.label,
        "kind": incident.kind,
        "day": incident.day,
        "place_name": place.name if place else "",
        "place_country": place.country if place else "",
    }


@require_GET
@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    incident = _incident_or_404(request, pk)
    if incident.merged_into_id is not None:
        messages.info(
            request,
            gettext("Incident %(pk)s was merged into this one.") % {"pk": incident.pk},
        )
        return redirect("incident_detail", pk=incident.merged_into_id)
    return _render(request, incident)


def _place(data: dict[str, Any]) -> services.PlaceName | None:
    name = data.pop("place_name", "")
    country = data.pop("place_country", "")
    return services.PlaceName(name=name, country=country) if name else None


@require_POST
@login_required
def incident_create(request: HttpRequest) -> HttpResponse:
    form = IncidentForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, gettext("Check the fields: %(errors)s") % {"errors": _form_errors(form)}
        )
        return redirect("incident_list")
    data = dict(form.cleaned_data)
    try:
        incident = services.incident_create(actor=request.user, place=_place(data), **data)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("incident_list")
    messages.success(request, gettext("Incident created."))
    return redirect(incident)


def _form_errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _edit(request: HttpRequest, incident: Incident, data: dict[str, Any]) -> Incident:
    note = data.pop("note", "")
    data["place"] = _place(data)
    return services.incident_update(incident=incident, actor=request.user, changes=data, note=note)


def _link(request: HttpRequest, incident: Incident, data: dict[str, Any]) -> Incident:
    claim = _claim(request, data.pop("claim"))
    services.incident_link(incident=incident, claim=claim, actor=request.user, **data)
    return incident


def _unlink(request: HttpRequest, incident: Incident, data: dict[str, Any]) -> Incident:
    claim = _claim(request, data.pop("claim"))
    services.incident_unlink(incident=incident, claim=claim, actor=request.user, **data)
    return incident


def _claim(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.claim_get(user=request.user, pk=pk)
    except ObjectDoesNotExist as exc:
        raise InvalidInput(
            gettext("No such claim."), errors={"claim": [gettext("No claim %(pk)s.") % {"pk": pk}]}
        ) from exc


def _merge(request: HttpRequest, incident: Incident, data: dict[str, Any]) -> Incident:
    return services.incident_merge(incident=incident, actor=request.user, **data)


def _split(request: HttpRequest, incident: Incident, data: dict[str, Any]) -> Incident:
    return services.incident_split(incident=incident, actor=request.user, **data)


# verb: (form, form's name on the page, the write, what the page says once done)
ANSWERS: dict[str, tuple[Any, str, Callable[..., Incident], str]] = {
    "edit": (IncidentForm, "edit_form", _edit, gettext_noop("Incident saved.")),
    "link": (IncidentLinkForm, "link_form", _link, gettext_noop("Claim linked.")),
    "unlink": (IncidentLinkForm, "link_form", _unlink, gettext_noop("Claim unlinked.")),
    "merge": (IncidentMergeForm, "merge_form", _merge, gettext_noop("Incidents merged.")),
    "split": (
        IncidentSplitForm,
        "split_form",
        _split,
        gettext_noop("Claims split off into a new incident."),
    ),
}


@require_POST
@login_required
def incident_change(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    """Edit, link, unlink, merge or split; a refused change shows the page again with
    what was typed and why."""
    if verb not in ANSWERS:
        raise Http404(gettext("No such action."))
    incident = _incident_or_404(request, pk)
    form_class, name, write, done = ANSWERS[verb]
    kwargs = {"claim_ids": [c.pk for c in incident.claims.all()]} if verb == "split" else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        messages.error(request, gettext("Check the fields below."))
        return _render(request, incident, status=400, **{name: form})
    try:
        result = write(request, incident, dict(form.cleaned_data))
    except DomainError as exc:
        for field, errors in exc.errors.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        messages.error(request, error_text(exc))
        return _render(request, incident, status=exc.status_code, **{name: form})
    messages.success(request, gettext(done))
    return redirect(result)


SUGGESTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "confirm": (services.incident_suggestion_confirm, gettext_noop("Linked: one incident.")),
    "reject": (services.incident_suggestion_reject, gettext_noop("Recorded: not one incident.")),
}


@require_POST
@login_required
def incident_suggestion(request: HttpRequest, flag_pk: int, verb: str) -> HttpResponse:
    """Confirm or reject the job's suggestion that two claims are one incident."""
    if verb not in SUGGESTIONS:
        raise Http404(gettext("No such action."))
    flag: Flag = get_or_404(selectors.flag_detail, "No such flag.", user=request.user, pk=flag_pk)
    service, done = SUGGESTIONS[verb]
    form = IncidentSuggestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Say why you confirm or reject the suggestion."))
        return redirect("flag_detail", pk=flag.pk)
    try:
        result = service(flag=flag, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        return redirect("flag_detail", pk=flag.pk)
    messages.success(request, gettext(done))
    if isinstance(result, Incident):
        return redirect(result)
    return redirect("flag_detail", pk=flag.pk)


urlpatterns = [
    path("incidents/", incident_list, name="incident_list"),
    path("incidents/new/", incident_create, name="incident_create"),
    path("incidents/<int:pk>/", incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/<slug:verb>/", incident_change, name="incident_change"),
    path(
        "flags/<int:flag_pk>/incident/<slug:verb>/",
        incident_suggestion,
        name="incident_suggestion",
    ),
]
