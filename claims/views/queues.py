"""The fact-checkers' queues: New, Mine, Flagged, Stale and Decided.

Each queue is the shared ClaimFilter with a preset (selectors.QUEUES), so every
filter, the sort order and the page live in the URL and a queue can be
bookmarked and shared. Rows can be taken one by one, or assigned and given a
priority in bulk.

Bulk actions change each claim through its own service call and transaction:
a claim that refuses (retracted, changed meanwhile) does not hold back the
others, and every refusal is reported by claim, so nothing is half-applied
silently.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from claims import localwording, roles, selectors, services, wording
from claims.errors import ActionForbidden, DomainError
from claims.forms import BulkClaimForm
from claims.models import Claim, Event, Flag, Priority, Severity, Status, read_tolerance
from claims.selectors.claims import JOIN, queue_flags
from claims.selectors.menus import Menus, filter_menus
from claims.typing import Actor
from claims.views.common import PAGE_SIZE, error_text, get_or_404
from claims.widgets import PlainSelect

# The filters shown at once; the rest fold under "More filters".
MAIN_FIELDS = ("q", "event", "place", "source", "assignee", "flag_kind")
# The filters' labels, in the order the form shows them.
LABELS = {
    "q": gettext_lazy("Words"),
    "event": gettext_lazy("Event"),
    "place": gettext_lazy("Place"),
    "source": gettext_lazy("Source"),
    "assignee": gettext_lazy("Assignee"),
    "flag_kind": gettext_lazy("Open flag"),
    "status": gettext_lazy("Status"),
    "population": gettext_lazy("Population"),
    "country": gettext_lazy("Country code"),
    "grade": gettext_lazy("Source grade"),
    "mine": gettext_lazy("Assigned to me"),
    "unassigned": gettext_lazy("Unassigned"),
    "story": gettext_lazy("Story number"),
    "priority": gettext_lazy("Priority"),
    "flagged": gettext_lazy("Has open flags"),
    "stale": gettext_lazy("Stale"),
    "period_from": gettext_lazy("Period from"),
    "period_to": gettext_lazy("Period to"),
    "created_from": gettext_lazy("Logged from"),
    "created_to": gettext_lazy("Logged to"),
    "decided_from": gettext_lazy("Decided from"),
    "decided_to": gettext_lazy("Decided to"),
}
# Sortable columns and the direction a first click sorts them in.
SORTS = {"priority": "-", "value": "-", "period": "-", "due": "", "created": "-", "decided": "-"}


def _options(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    return list(cast(Iterable[tuple[Any, Any]], field.choices))


def _dress(form: forms.Form, menus: Menus, fixed: Any) -> forms.Form:
    """Labels and widgets a person can use, on a form already checked: its fields are
    swapped for dressed ones (`_dressed_fields`), which check a value as the FilterSet's
    own do, so its errors and cleaned values stay as they are."""
    form.fields = dict(_dressed_fields(form, menus))
    form._bound_fields_cache = {}  # type: ignore[attr-defined]  # made by the check
    form.hidden_names = {"ordering", *fixed}  # type: ignore[attr-defined]
    return form


# The dressed fields, per process: the menus they were made with (the same object while
# their digest holds, see claims.selectors.menus) and, by language, the fields. Making
# them (a thousand options, widgets and labels) took longer than reading the page's rows.
# Each page's form gets a dict of its own, the fields are shared: showing a field does
# not change it.
_dressed: tuple[Menus, dict[str, dict[str, forms.Field]]] | None = None


def _dressed_fields(form: forms.Form, menus: Menus) -> dict[str, forms.Field]:
    global _dressed
    if _dressed is None or _dressed[0] is not menus:
        _dressed = (menus, {})
    language = get_language()
    if language not in _dressed[1]:
        _dressed[1][language] = _make_dressed_fields(form, menus)
    return _dressed[1][language]


def _make_dressed_fields(form: forms.Form, menus: Menus) -> dict[str, forms.Field]:
    """Copies of the form's fields, in the order of LABELS, with their labels and the
    widgets the page shows."""
    choices = {"source": menus.sources, "place": menus.places, "assignee": menus.checkers}
    fields = copy.deepcopy(form.fields)
    ordered = {name: fields[name] for name in LABELS if name in fields}
    ordered.update((name, field) for name, field in fields.items() if name not in ordered)
    for name, field in ordered.items():
        field.label = LABELS.get(name, field.label)
        if name in choices:
            field.widget = PlainSelect(choices=[("", _("any")), *choices[name]])
        elif isinstance(field.widget, forms.NullBooleanSelect):
            field.widget.choices = [
                ("unknown", _("either")),
                ("true", _("yes")),
                ("false", _("no")),
            ]
        elif isinstance(field, forms.MultipleChoiceField):
            field.widget = forms.CheckboxSelectMultiple(choices=_options(field))
        elif isinstance(field, forms.ChoiceField):
            # Set anew, so that the widget's choices ask this field for the empty label.
            field.empty_label = _("any")  # type: ignore[attr-defined]
            field.choices = [c for c in _options(field) if c[0] != ""]
            field.widget = PlainSelect(attrs=field.widget.attrs, choices=field.widget.choices)
        elif isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        elif name == "q":
            field.widget.attrs["type"] = "search"
    return ordered


def _sorts(params: Any, current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it and how it is sorted now."""
    first = current.split(",")[0]
    query = params.copy()
    query.pop("page", None)
    links = {}
    for key, direction in SORTS.items():
        state = {key: "ascending", f"-{key}": "descending"}.get(first, "")
        if state:  # sorted by this column now: the link turns it round
            query["ordering"] = key if state == "descending" else f"-{key}"
        else:
            query["ordering"] = direction + key
        links[key] = {"url": "?" + query.urlencode(), "state": state}
    return links


def _bulk_form(request: HttpRequest, data: Any = None) -> BulkClaimForm:
    return BulkClaimForm(
        data,
        prefix="bulk",
        claims=selectors.claim_choices(user=request.user),
        checkers=selectors.checker_list(user=request.user),
    )


def _offer_checkers(form: BulkClaimForm, menus: Menus) -> BulkClaimForm:
    """The bulk form shows the fact-checkers of the kept menus; its field still checks a
    choice against the database."""
    field = form.fields["assignee"]
    empty = field.empty_label  # type: ignore[attr-defined]
    field.widget = PlainSelect(attrs=field.widget.attrs, choices=[("", empty), *menus.checkers])
    return form


def _folded_filters_set(form: forms.Form) -> bool:
    """Whether a filter under "More filters" is in use, so the fold opens."""
    hidden = form.hidden_names  # type: ignore[attr-defined]
    return any(
        form[name].value() not in (None, "", [], "unknown")
        for name in form.fields
        if name not in MAIN_FIELDS and name not in hidden
    )


# The labels a row shows, looked up in plain dicts: a model's get_FOO_display() builds
# its field's choices anew on every call, which took most of the rows' time.
EVENT_LABELS = dict(Event.choices)
KIND_LABELS = dict(Flag.Kind.choices)
SEVERITY_LABELS = dict(Severity.choices)


class QueueRow(dict[str, Any]):
    """A queue row's plain values; its id is `pk` as an attribute too, as on the model
    rows the page listed before (tests and callers read `row.pk` from the page)."""

    @property
    def pk(self) -> int:
        return cast(int, self["pk"])


def queue_row(values: dict[str, Any]) -> QueueRow:
    """A queue row as plain values, from a row of `selectors.queue_page_rows`: the row
    template reads keys, not the model's methods and relations, so fifty rows render in
    a fraction of the time (bench/pages_bench.py renders the same template from one SQL
    query's rows)."""
    return QueueRow(
        pk=values["pk"],
        url=reverse("claim_detail", args=[values["pk"]]),
        text=values["text"],
        language=values["language"],
        sources=wording.sources_text(
            values["source_names"].split(JOIN) if values["source_names"] else ()
        ),
        # One badge per kind, in the colour of the worst flag of that kind.
        flags=[
            {
                "kind": KIND_LABELS[kind],
                "severity": SEVERITY_LABELS[max(severities)],
                "count": len(severities),
            }
            for kind, severities in queue_flags(values["open_flags"]).items()
        ],
        # As Claim.figure() writes it.
        figure=wording.format_figure(
            values["value_low"],
            values["value_high"],
            values["qualifier"],
            read_tolerance(values["policy_tolerance"]),
        ),
        event=EVENT_LABELS.get(values["event"], values["event"]),
        place=values["place_name"] or "",
        period=localwording.format_period(
            values["period_start"], values["period_end"], values["period_kind"]
        ),
        status=values["status"],
        status_label=Status(values["status"]).label,
        assignee=values["assignee_name"] or "",
        priority=values["priority"],
        priority_label=Priority(values["priority"]).label,
        due_at=values["due_at"],
        decided_at=values["decided_at"],
        # The claim's age, and since when it has been in its status (one stamp on the row).
        created_at=values["created_at"],
        stage_since=values["status_changed_at"] or values["created_at"],
    )


def render_queue(
    request: HttpRequest, name: str, *, status: int = 200, bulk_form: BulkClaimForm | None = None
) -> HttpResponse:
    """The queue page for the filters in the URL; a bad filter answers 400 with the form."""
    try:
        queue = selectors.claim_queue(
            user=request.user, name=name, params=request.GET, request=request
        )
    except KeyError as exc:
        raise Http404(_("No such queue.")) from exc
    menus = filter_menus(user=request.user)
    form = _dress(queue.filterset.form, menus, queue.preset.fixed)
    rows = selectors.queue_page_rows(queue.claims)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page holds the rows the template shows, not the query's values.
    page.object_list = [queue_row(values) for values in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    bulk_form = _offer_checkers(bulk_form or _bulk_form(request), menus)
    ctx = {
        "queue": queue.preset,
        "queues": selectors.QUEUES.values(),
        "form": form,
        "main_fields": MAIN_FIELDS,
        "more_open": _folded_filters_set(form),
        "page": page,
        "rows": page.object_list,
        "query": query.urlencode(),
        "here": request.GET.urlencode(),
        "sorts": _sorts(request.GET, request.GET.get("ordering") or queue.preset.ordering),
        "can_work": roles.is_checker(request.user),
        "bulk_form": bulk_form,
        "selected": {int(pk) for pk in bulk_form["claims"].value() or () if str(pk).isdigit()},
    }
    return render(request, "claims/queue.html", ctx, status=status if queue.valid else 400)


@require_GET
@login_required
def queue(request: HttpRequest, name: str) -> HttpResponse:
    return render_queue(request, name)


def _back(request: HttpRequest, name: str) -> HttpResponseRedirect:
    """Back to the queue as it was: its filters, order and page ride in the query string."""
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("queue", args=[name]) + (f"?{query}" if query else ""))


@require_POST
@login_required
def queue_take(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    """Take a claim from the queue: it goes into review with the taker as its assignee."""
    if name not in selectors.QUEUES:
        raise Http404(_("No such queue."))
    claim = get_or_404(selectors.claim_get, "No such claim.", user=request.user, pk=pk)
    try:
        services.claim_transition(claim=claim, actor=request.user, to=Status.IN_REVIEW)
    except DomainError as exc:
        messages.error(
            request, _("Claim #%(pk)s was not taken.") % {"pk": pk} + " " + error_text(exc)
        )
        return render_queue(request, name, status=exc.status_code)
    messages.success(
        request, _("You took claim #%(pk)s: it is in review and assigned to you.") % {"pk": pk}
    )
    return _back(request, name)


def _apply(claim: Claim, actor: Actor, data: dict[str, Any]) -> bool:
    """One claim through its service; False when it already was as asked."""
    if data["action"] == BulkClaimForm.ASSIGN:
        if claim.assignee_id == data["assignee"].pk:
            return False
        services.claim_assign(claim=claim, actor=actor, assignee=data["assignee"])
    else:
        if claim.priority == data["priority"]:
            return False
        # The due date is kept; the version refuses a claim changed since it was read.
        services.claim_set_priority(
            claim=claim,
            actor=actor,
            priority=data["priority"],
            due_at=claim.due_at,
            version=claim.version,
        )
    return True


def _apply_all(
    actor: Actor, data: dict[str, Any]
) -> tuple[list[Claim], list[Claim], list[tuple[Claim, DomainError]]]:
    """Each ticked claim through `_apply`: those changed, those already so, those refused.
    A role refused on the first claim is refused on all: it is raised, not listed."""
    done: list[Claim] = []
    unchanged: list[Claim] = []
    refused: list[tuple[Claim, DomainError]] = []
    for claim in data["claims"]:
        try:
            (done if _apply(claim, actor, data) else unchanged).append(claim)
        except ActionForbidden as exc:
            if not done:
                raise
            refused.append((claim, exc))
        except DomainError as exc:
            refused.append((claim, exc))
    return done, unchanged, refused


def _bulk_messages(
    request: HttpRequest,
    data: dict[str, Any],
    done: list[Claim],
    unchanged: list[Claim],
    refused: list[tuple[Claim, DomainError]],
) -> None:
    if data["action"] == BulkClaimForm.ASSIGN:
        what = _("assigned to %(who)s") % {"who": data["assignee"].get_username()}
    else:
        what = _("set to %(priority)s priority") % {"priority": Priority(data["priority"]).label}
    if done:
        n = len(done)
        counted = ngettext("%(n)d claim %(what)s.", "%(n)d claims %(what)s.", n)
        messages.success(request, counted % {"n": n, "what": what})
    if unchanged:
        ids = ", ".join(f"#{c.pk}" for c in unchanged)
        messages.info(request, _("Already %(what)s: %(ids)s.") % {"what": what, "ids": ids})
    for claim, exc in refused:
        not_changed = _("Claim #%(pk)s was not changed.") % {"pk": claim.pk}
        messages.error(request, f"{not_changed} {error_text(exc)}")


@require_POST
@login_required
def queue_bulk(request: HttpRequest, name: str) -> HttpResponse:
    """Assign the ticked claims or set their priority, claim by claim (see the module)."""
    if name not in selectors.QUEUES:
        raise Http404(_("No such queue."))
    form = _bulk_form(request, request.POST)
    if not form.is_valid():
        messages.error(request, _("The bulk action was not applied: see the fields below."))
        return render_queue(request, name, status=400, bulk_form=form)
    try:
        done, unchanged, refused = _apply_all(request.user, form.cleaned_data)
    except ActionForbidden as exc:
        # The role refuses every claim alike (it is checked first): say so once.
        messages.error(request, f"No claim was changed. {error_text(exc)}")
        return render_queue(request, name, status=403, bulk_form=form)
    _bulk_messages(request, form.cleaned_data, done, unchanged, refused)
    if refused and not done:
        # Nothing changed: show the queue again with the same claims ticked.
        return render_queue(request, name, status=409, bulk_form=form)
    return _back(request, name)


@require_GET
@login_required
def correction_queue(request: HttpRequest) -> HttpResponse:
    """Published stories whose claims changed after publication (a new decision or
    verdict, a retraction), the latest change first, until their editor answers."""
    stories = selectors.correction_queue(user=request.user)
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {"page": page, "queues": selectors.QUEUES.values()}
    return render(request, "claims/corrections.html", ctx)


urlpatterns = [
    # Before the claim queues' pattern, which would take its name for one of theirs.
    path("queue/corrections/", correction_queue, name="correction_queue"),
    path("queue/<slug:name>/", queue, name="queue"),
    path("queue/<slug:name>/take/<int:pk>/", queue_take, name="queue_take"),
    path("queue/<slug:name>/bulk/", queue_bulk, name="queue_bulk"),
]
