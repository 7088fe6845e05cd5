"""Claims: entry with a live reading of the words, editing, and the claim page with
what the viewer's role may do there (take, decide, reopen, retract, assign,
evidence, comments).

The pages offer only what `claims.policy` allows (through
`services.allowed_transitions` and `services.may_edit` for the workflow and the
edit form); the services decide, whatever a page offered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import language, localwording, policy, roles, selectors, services
from claims.charts import Chart
from claims.errors import DomainError, InvalidInput, StaleVersion
from claims.forms import (
    READING_GROUPS,
    ClaimAssignForm,
    ClaimCreateForm,
    ClaimEditForm,
    ClaimForm,
    CommentForm,
    EvidenceForm,
    EvidenceRemoveForm,
    NewSourceForm,
    SourcePick,
    editors_groups,
    machine_json,
    merge_reading,
    pick_values,
    reading_is_current,
    reading_values,
    set_source_picks,
    source_picks,
)
from claims.models import (
    CLAIM_TEXT_MAX_CHARS,
    DECIDED,
    Attribution,
    CheckPolicy,
    Claim,
    ClaimEvent,
    Event,
    PeriodKind,
    Population,
    Source,
    Status,
)
from claims.parsing import ParsedClaim
from claims.reading import parsed_fields
from claims.selectors.similar import merge_hints, similar_to_words
from claims.selectors.track_records import claim_corroboration
from claims.text import text_problem
from claims.timeline import DeskFigure, claim_figures, desk_figure
from claims.views.common import error_text, get_or_404


def _claim_or_404(request: HttpRequest, pk: int) -> Claim:
    return get_or_404(selectors.claim_page, "No such claim.", user=request.user, pk=pk)


def _add_errors(form: Form, exc: DomainError) -> None:
    """A service's field messages onto the form's fields (the rest above the form)."""
    aliases = {"place": "place_name", "country": "place_country", "non_field_errors": None}
    for field, errors in exc.errors.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, errors)


# ---------------------------------------------------------------------------
# The reading, in words


@dataclass(frozen=True)
class Summary:
    """The parser's reading of the claim's words, shown above the fields it fills."""

    has_text: bool
    too_long: bool = False
    figure: str = ""
    interval: str = ""
    event: str = ""
    population: str = ""
    place: str = ""
    period: str = ""
    period_kind: str = ""
    time_expression: str = ""
    source: str = ""
    source_text: str = ""
    # "This looks like French; ...": the words are in a language the desk does not read.
    unread: str = ""

    @property
    def empty(self) -> bool:
        return not (self.figure or self.place or self.period or self.source or self.source_text)


def _summary(text: str, parsed: ParsedClaim | None, *, too_long: bool = False) -> Summary:
    """The reading as a save would store it: the claim fields of `parsed_fields`, the
    one rule the form's fields and the services read it by, in words."""
    if too_long or parsed is None:
        return Summary(has_text=bool(text), too_long=too_long)
    read = parsed_fields(parsed)
    fields = read.fields
    figure = interval = event = population = ""
    low, high = fields.get("value_low"), fields.get("value_high")
    if low is not None:
        tolerance = CheckPolicy.load().approx_tolerance
        figure = localwording.format_quantity(low, high, fields["qualifier"], tolerance)
        interval = localwording.interval_text(low, high)
        # What happened, what is counted ("people per day", "homes") and whether it is
        # a count at all ("could rise to 1,000" is foreseen, and the checks leave it out),
        # as the claim will say.
        what = [_label(Event, fields["event"]), fields["unit"]]
        if fields["is_projection"]:
            what.append("a projection, not a count")
        event = " · ".join(word for word in what if word)
        if fields["population"] != Population.ALL:
            population = _label(Population, fields["population"])
    period = kind = ""
    if "period_start" in fields:
        period = localwording.period_dates(fields["period_start"], fields["period_end"])
        kind = _label(PeriodKind, fields["period_kind"])
    place = f"{read.place.name}, {read.place.country}" if read.place else ""
    return Summary(
        has_text=bool(text),
        figure=figure,
        interval=interval,
        event=event,
        population=population,
        place=place,
        period=period,
        period_kind=kind,
        time_expression=fields.get("time_expression", ""),
        source=read.source_name,
        # The copy's words for the source: beside it when mapped, alone when not.
        source_text=read.words.get(str(read.source_id), fields.get("source_text", "")),
        unread=language.unread_message(language.detect(text)) or "",
    )


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


# ---------------------------------------------------------------------------
# The sources block of the claim forms

SOURCE_ACTIONS = ("add_source", "map_source", "keep_unmapped", "drop_unmapped", "create_source")


@dataclass
class SourceAction:
    state: QueryDict
    status: int = 200
    error: str = ""
    new_source_form: NewSourceForm | None = None


def _words(value: Any, name: str) -> str:
    """Words the sources block keeps in its own state (not a form field), spaces folded;
    words no query can hold (a NUL byte) are a 400 naming the field."""
    text = str(value or "")
    problem = text_problem(text)
    if problem:
        raise InvalidInput(gettext("Check the words given."), errors={name: [problem]})
    return " ".join(text.split())[:200]


def _source_action(request: HttpRequest, state: QueryDict) -> SourceAction:
    """Apply a button of the sources block: add a source, map the copy's unmapped
    words to one (they stay as the attribution's words), keep or forget such words,
    or (admins: the service checks) create a source with the words as its alias."""
    picks = source_picks(state)
    unmapped = _words(state.get("source_text"), "source_text")
    try:
        if "add_source" in state or "map_source" in state:
            mapping = "map_source" in state
            raw = str(state.get("map_source" if mapping else "add_source", ""))
            if not raw.isdigit():
                raise InvalidInput(gettext("Pick a source from the register."))
            source = services.source_resolve([int(raw)])[0].source
            picks = _with_pick(picks, SourcePick(source.pk, unmapped if mapping else ""), mapping)
            unmapped = "" if mapping else unmapped
        elif "keep_unmapped" in state:
            unmapped = _words(state.get("keep_unmapped"), "keep_unmapped")
        elif "drop_unmapped" in state:
            unmapped = ""
        elif "create_source" in state:
            form = NewSourceForm(state, prefix="new_source")
            if not form.is_valid():
                return SourceAction(state, 400, "Check the new source's fields.", form)
            try:
                source = services.source_create(
                    actor=request.user, aliases=[unmapped] if unmapped else [], **form.cleaned_data
                )
            except InvalidInput as exc:
                _add_errors(form, exc)
                return SourceAction(state, exc.status_code, error_text(exc), form)
            picks.append(SourcePick(source.pk, unmapped))
            unmapped = ""
    except DomainError as exc:
        return SourceAction(state, exc.status_code, error_text(exc))
    set_source_picks(state, picks)
    state["source_text"] = unmapped
    if any(name in state for name in SOURCE_ACTIONS):
        state["q"] = ""  # the search is done with
    return SourceAction(state)


def _with_pick(picks: list[SourcePick], pick: SourcePick, mapping: bool) -> list[SourcePick]:
    """Add a source as "attributed to"; its rows in other roles stay. Mapping words puts
    them on that row."""
    same = [i for i, p in enumerate(picks) if (p.source_id, p.role) == (pick.source_id, pick.role)]
    if not same:
        return [*picks, pick]
    if mapping:
        picks = list(picks)
        picks[same[0]] = pick
    return picks


def _search(user: Any, q: str) -> list[Source]:
    # Copy writes "the Observatory"; the register and its aliases match without "the".
    return list(selectors.source_search(user=user, query=q, fold=True)[:8])


def _sources_context(
    request: HttpRequest, state: QueryDict, form: Form, action: SourceAction | None = None
) -> dict[str, Any]:
    picks = source_picks(state)
    known = selectors.sources_by_id(user=request.user, ids=[p.source_id for p in picks])
    unmapped = _words(state.get("source_text"), "source_text")
    q = _words(state.get("q"), "q")
    new_source_form = action.new_source_form if action else None
    if new_source_form is None and unmapped and roles.is_admin(request.user):
        new_source_form = NewSourceForm(prefix="new_source", initial={"name": unmapped})
    return {
        "chosen": [
            (p, known[p.source_id], value)
            for p, value in zip(picks, pick_values(picks), strict=True)
            if p.source_id in known
        ],
        "attribution_roles": Attribution.Role.choices,
        "unmapped": unmapped,
        "q": q,
        "results": _search(request.user, q) if q else None,
        "new_source_form": new_source_form,
        "source_error": action.error if action else "",
        "source_errors": form.errors.get("sources", []) if form.is_bound else [],
    }


def _initial(state: QueryDict) -> dict[str, Any]:
    return {key: state.get(key) for key in state if key != "sources"}


# ---------------------------------------------------------------------------
# Logging a claim


def _require_editor(request: HttpRequest) -> None:
    if not policy.allows(request.user, policy.Action.CREATE):
        raise PermissionDenied("Only editors log claims.")


def _text_and_date(state: QueryDict) -> tuple[str, dt.date, bool]:
    raw = str(state.get("text", "")).strip()
    try:
        reported_on = dt.date.fromisoformat(str(state.get("reported_on", "")))
    except ValueError:
        reported_on = timezone.localdate()
    return " ".join(raw.split()), reported_on, len(raw) > CLAIM_TEXT_MAX_CHARS


def _render_entry(
    request: HttpRequest,
    state: QueryDict,
    *,
    form: ClaimForm | None = None,
    action: SourceAction | None = None,
    parsed: ParsedClaim | None = None,
    status: int = 200,
    template: str = "claims/claim_form.html",
) -> HttpResponse:
    partial = template != "claims/claim_form.html"
    if form is None and partial:
        form = ClaimForm(initial=_initial(state))  # the fields block has no story menu
    elif form is None:
        stories = selectors.story_list(user=request.user)
        form = ClaimCreateForm(initial=_initial(state), stories=stories)
    text, reported_on, too_long = _text_and_date(state)
    if parsed is None and text and not too_long:
        parsed = selectors.parse_text(text=text, reported_on=reported_on)
    kept = editors_groups(state) if state.get("machine") else set()
    ctx = {
        "form": form,
        "summary": _summary(text, parsed, too_long=too_long),
        "machine": state.get("machine") or machine_json(reading_values(None)),
        "kept_fields": {name for group in kept for name in READING_GROUPS[group]},
        "partial": partial,
        "text_max_chars": CLAIM_TEXT_MAX_CHARS,
        # The desk's claims these words may repeat, for "same claim".
        "similar": similar_to_words(
            user=request.user, text=text, parsed=parsed, reported_on=reported_on
        ),
        **_sources_context(request, state, form, action),
    }
    return render(request, template, ctx, status=status)


# Back after saving fetches a fresh form: the browser's copy, half the reading's
# fields restored, would not save.
@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def claim_new(request: HttpRequest) -> HttpResponse:
    """Log a claim: type it as the copy has it, check and correct the reading, save.

    Without JavaScript the buttons post here: "Read the text" fills in the reading,
    the sources block's buttons change the sources, "Save claim" saves."""
    _require_editor(request)
    if request.method == "GET":
        return _render_entry(request, _blank_state(request))
    state = request.POST.copy()
    if any(name in state for name in SOURCE_ACTIONS):
        action = _source_action(request, state)
        return _render_entry(request, action.state, action=action, status=action.status)
    if state.get("same_as"):
        return _same_claim(request, state)
    state, parsed, too_long = _read_words(state)
    if state.get("action") in ("read", "refresh", "search"):
        return _render_entry(request, state, parsed=parsed, status=400 if too_long else 200)
    return _save_new(request, state, parsed)


def _same_claim(request: HttpRequest, state: QueryDict) -> HttpResponse:
    """ "Same claim" under the words: no claim is logged; with a story chosen, the story
    carries the claim the desk has from now on (`services.claim_link_story`)."""
    raw = str(state.get("same_as", ""))
    claim = None
    if raw.isdigit():
        claim = Claim.objects.visible_to(request.user).current().filter(pk=raw).first()
    story_id = str(state.get("story", ""))
    story = None
    if story_id.isdigit():
        story = selectors.story_list(user=request.user).filter(pk=story_id).first()
    if claim is None or (story_id and story is None):
        messages.error(
            request, gettext("Choose one of the claims listed, and a story from the list.")
        )
        return _render_entry(request, state, status=400)
    if story is not None:
        try:
            text = str(state.get("text", ""))
            services.claim_link_story(claim=claim, story=story, actor=request.user, text=text)
        except DomainError as exc:
            messages.error(request, error_text(exc))
            return _render_entry(request, state, status=exc.status_code)
        messages.success(
            request,
            gettext("“%(story)s” now carries claim #%(pk)s; nothing new logged.")
            % {"story": story, "pk": claim.pk},
        )
    else:
        messages.info(
            request,
            gettext("Claim #%(pk)s is already on the desk; nothing new logged.") % {"pk": claim.pk},
        )
    return redirect(claim)


def _blank_state(request: HttpRequest) -> QueryDict:
    state = QueryDict(mutable=True)
    state.update({"reported_on": timezone.localdate().isoformat(), "population": "all"})
    if request.GET.get("story", "").isdigit():
        state["story"] = request.GET["story"]
    return state


def _read_words(state: QueryDict) -> tuple[QueryDict, ParsedClaim | None, bool]:
    """The form with the reading of its words merged in, wherever the editor has not
    changed a field by hand; the reading; and whether the words are too long to read.
    Saving reads the words too when they changed since the last reading (no script, or
    Save pressed within the debounce)."""
    text, reported_on, too_long = _text_and_date(state)
    if not text or too_long:
        return state, None, too_long
    if state.get("action") == "save" and reading_is_current(state, text, reported_on):
        return state, None, too_long
    parsed = selectors.parse_text(text=text, reported_on=reported_on)
    state, _ = merge_reading(state, parsed, text=text, reported_on=reported_on)
    return state, parsed, too_long


def _save_new(request: HttpRequest, state: QueryDict, parsed: ParsedClaim | None) -> HttpResponse:
    form = ClaimCreateForm(state, stories=selectors.story_list(user=request.user))
    if not form.is_valid():
        messages.error(request, gettext("Check the fields marked below."))
        return _render_entry(request, state, form=form, parsed=parsed, status=400)
    try:
        claim = _create(request, form, state)
    except DomainError as exc:
        _add_errors(form, exc)
        messages.error(request, error_text(exc))
        return _render_entry(request, state, form=form, parsed=parsed, status=exc.status_code)
    messages.success(request, gettext("Claim %(pk)s logged.") % {"pk": claim.pk})
    return redirect(claim)


def _place(form: ClaimForm) -> services.PlaceName | None:
    name = form.cleaned_data["place_name"].strip()
    return services.PlaceName(name, form.cleaned_data["place_country"]) if name else None


def _source_names(picks: list[SourcePick]) -> list[services.SourceName]:
    return [services.SourceName(p.source_id, p.words, p.role) for p in picks]


def _create(request: HttpRequest, form: ClaimCreateForm, state: QueryDict) -> Claim:
    fields = form.claim_fields()
    text = fields.pop("text")
    # The service finds or creates the place after its permission check, in its
    # transaction: a refused claim leaves no place behind.
    return services.claim_create(
        actor=request.user,
        text=text,
        story=form.cleaned_data["story"],
        sources=_source_names(source_picks(state)),
        place=_place(form),
        **fields,
    )


@require_POST
@login_required
def claim_read(request: HttpRequest) -> HttpResponse:
    """The claim form's reading as the editor types (htmx): the fields block with
    the reading filled in wherever the editor has not changed a field by hand."""
    _require_editor(request)
    state, parsed, too_long = _read_words(request.POST.copy())
    return _render_entry(
        request,
        state,
        parsed=parsed,
        status=400 if too_long else 200,
        template="claims/_reading.html",
    )


@require_POST
@login_required
def claim_sources(request: HttpRequest) -> HttpResponse:
    """The claim forms' sources block after one of its buttons (htmx)."""
    if not roles.has_role(request.user):
        raise PermissionDenied("Only the desk picks sources.")
    state = request.POST.copy()
    action = _source_action(request, state)
    form = ClaimForm(initial=_initial(action.state))
    ctx = _sources_context(request, action.state, form, action)
    return render(request, "claims/_source_picker.html", ctx, status=action.status)


@require_GET
@login_required
def source_search(request: HttpRequest) -> HttpResponse:
    """Sources whose name or alias matches `q`, to add to a claim (htmx)."""
    if not roles.has_role(request.user):
        raise PermissionDenied("Only the desk searches sources.")
    q = _words(request.GET.get("q"), "q")[:100]
    ctx = {
        "q": q,
        "results": _search(request.user, q) if q else None,
        "unmapped": _words(request.GET.get("source_text"), "source_text"),
    }
    return render(request, "claims/_source_results.html", ctx)


# ---------------------------------------------------------------------------
# Editing a claim


@dataclass(frozen=True)
class ConflictRow:
    label: str
    theirs: str
    yours: str


CONFLICT_FIELDS = (
    "text",
    "reported_on",
    "value_low",
    "value_high",
    "qualifier",
    "event",
    "population",
    "unit",
    "place_name",
    "place_country",
    "period_start",
    "period_end",
    "period_kind",
    "time_expression",
    "source_text",
)


# The edit form carries the values it was loaded with, signed, so that saving can tell
# the fields this person changed from the ones others changed meanwhile.
LOADED_SALT = "claims.claim_edit.loaded"
NOT_LOADED = ("version", "loaded", "note", "csrfmiddlewaretoken", "action", "q")


def _claim_state(claim: Claim) -> QueryDict:
    state = QueryDict(mutable=True)
    state.update(ClaimForm.initial_for(claim))
    # One row per attribution: a source in two roles is two rows.
    picks = [SourcePick(a.source_id, a.source_text, a.role) for a in claim.attributions.all()]
    set_source_picks(state, picks)
    loaded = {key: state.getlist(key) for key in state if key not in NOT_LOADED}
    state["loaded"] = signing.dumps(loaded, salt=LOADED_SALT, compress=True)
    return state


def _loaded_state(state: QueryDict) -> QueryDict | None:
    """The form's values as loaded, or None when the form holds no (valid) record of them."""
    try:
        loaded = signing.loads(str(state.get("loaded", "")), salt=LOADED_SALT)
    except signing.BadSignature:
        return None
    base = QueryDict(mutable=True)
    for key, values in loaded.items():
        base.setlist(key, [str(v) for v in values])
    return base


def _your_changes(
    claim: Claim, form: ClaimEditForm, state: QueryDict
) -> tuple[dict[str, Any], list[services.SourceName] | None]:
    """The claim fields this person changed since the form was loaded (a form without
    its record of that: the fields that differ from the claim as stored), and their
    sources when they changed them."""
    base = _loaded_state(state) or _claim_state(claim)
    loaded = ClaimForm(base)
    loaded.is_valid()  # a field it cannot clean counts as changed
    old, new = loaded.cleaned_data, form.cleaned_data
    changes = {
        name: new[name]
        for name in ClaimForm.DIRECT_FIELDS
        if name not in old or old[name] != new[name]
    }
    if any(name not in old or old[name] != new[name] for name in ("place_name", "place_country")):
        changes["place"] = _place(form)
    picks = source_picks(state)
    if set(picks) == set(source_picks(base)):
        return changes, None
    return changes, _source_names(picks)


def _rebased(current: Claim, state: QueryDict, changes: dict[str, Any], sources: bool) -> QueryDict:
    """The form after a conflict: the newer claim, loaded afresh, with this person's
    changes on top (theirs to keep or take back)."""
    rebased = _claim_state(current)
    names = [n for n in changes if n != "place"]
    if "place" in changes:
        names += ["place_name", "place_country"]
    for name in [*names, "note"]:
        rebased[name] = state.get(name, "")
    if sources:
        set_source_picks(rebased, source_picks(state))
    return rebased


def _shown(form: Form, name: str, value: str) -> str:
    value = " ".join(str(value or "").split())
    choices = getattr(form.fields[name], "choices", None)
    if choices is not None:
        value = str(dict(choices).get(value, value)) if value else ""
    return value or "—"


def _sources_shown(picks: list[SourcePick], known: dict[int, Source]) -> str:
    roles_ = dict(Attribution.Role.choices)
    names = [f"{known[p.source_id].name} ({roles_[p.role]})" for p in picks if p.source_id in known]
    return "; ".join(sorted(names)) or "—"


def _conflict(
    request: HttpRequest, current: Claim, state: QueryDict, conflicts: list[str]
) -> list[ConflictRow]:
    """The fields both people changed, theirs (stored) beside yours (the form)."""
    theirs = _claim_state(current)
    form = ClaimEditForm()
    rows = []
    for name in CONFLICT_FIELDS:
        claim_name = "place" if name in ("place_name", "place_country") else name
        if claim_name not in conflicts:
            continue
        left, right = (
            _shown(form, name, theirs.get(name, "")),
            _shown(form, name, state.get(name, "")),
        )
        if name == "place_country":
            left, right = left.upper(), right.upper()
        if left != right:
            rows.append(ConflictRow(str(form[name].label), left, right))
    if "sources" in conflicts:
        ours, yours = source_picks(theirs), source_picks(state)
        known = selectors.sources_by_id(user=request.user, ids=[p.source_id for p in ours + yours])
        rows.append(
            ConflictRow("Sources", _sources_shown(ours, known), _sources_shown(yours, known))
        )
    return rows


def _render_edit(
    request: HttpRequest,
    claim: Claim,
    state: QueryDict,
    *,
    form: ClaimEditForm | None = None,
    action: SourceAction | None = None,
    conflict: list[ConflictRow] | None = None,
    status: int = 200,
) -> HttpResponse:
    form = form or ClaimEditForm(initial=_initial(state))
    events = list(claim.events.all())
    ctx = {
        "claim": claim,
        "form": form,
        "loaded": state.get("loaded", ""),
        "editing": True,
        "conflict": conflict,
        "last_event": events[-1] if events else None,
        "kept_fields": set(),
        **_sources_context(request, state, form, action),
    }
    return render(request, "claims/claim_form.html", ctx, status=status)


def _save_edit(request: HttpRequest, claim: Claim, state: QueryDict) -> HttpResponse:
    form = ClaimEditForm(state)
    if not form.is_valid():
        messages.error(request, gettext("Check the fields marked below."))
        return _render_edit(request, claim, state, form=form, status=400)
    changes, sources = _your_changes(claim, form, state)
    try:
        services.claim_update(
            claim=claim,
            actor=request.user,
            version=form.cleaned_data["version"],
            changes=changes,
            sources=sources,
            note=form.cleaned_data["note"],
        )
    except StaleVersion as exc:
        current = _claim_or_404(request, claim.pk)
        state = _rebased(current, state, changes, sources is not None)
        messages.error(request, exc.message)
        conflict = _conflict(request, current, state, exc.errors.get("conflicts", []))
        return _render_edit(
            request, current, state, form=ClaimEditForm(state), conflict=conflict, status=409
        )
    except DomainError as exc:
        _add_errors(form, exc)
        messages.error(request, error_text(exc))
        return _render_edit(request, claim, state, form=form, status=exc.status_code)
    messages.success(request, gettext("Claim saved."))
    return redirect(claim)


@never_cache  # Back after saving fetches the claim afresh, never the form as it was
@require_http_methods(["GET", "POST"])
@login_required
def claim_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct a claim. The form carries the version and the values it was loaded
    with: a save after someone else's keeps both people's changes, and a field both
    changed differently is a 409 that shows the two side by side."""
    claim = _claim_or_404(request, pk)
    if request.method == "GET":
        if not services.may_edit(claim, request.user):
            messages.error(request, gettext("Your role may not edit this claim now."))
            return _render_claim(request, claim, status=403)
        return _render_edit(request, claim, _claim_state(claim))
    state = request.POST.copy()
    if any(name in state for name in SOURCE_ACTIONS) or state.get("action") in (
        "refresh",
        "search",
    ):
        action = _source_action(request, state)
        return _render_edit(request, claim, action.state, action=action, status=action.status)
    return _save_edit(request, claim, state)


# ---------------------------------------------------------------------------
# The claim page

FIELD_LABELS = {
    **{name: str(field.label or name) for name, field in ClaimEditForm.base_fields.items()},
    "text": "Words",
    "place": "Place",
    "sources": "Sources",
    "topics": "Topics",
    "normalised": "Statement",
    "credibility": "Credibility",
    "verdict": "Verdict",
    "priority": "Priority",
    "due_at": "Due",
    "source_text": "Unmapped source words",
}


@dataclass(frozen=True)
class HistoryRow:
    event: ClaimEvent
    what: str
    changes: list[tuple[str, str, str]]


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return "—" if value in (None, "") else str(value)


def _what(ev: ClaimEvent) -> str:
    details = ev.details or {}
    if ev.kind == ClaimEvent.Kind.ASSIGNED:
        to = details.get("to")
        return f"assigned it to {to}" if to else "left it unassigned"
    if ev.kind in (ClaimEvent.Kind.EVIDENCE_ADDED, ClaimEvent.Kind.EVIDENCE_REMOVED):
        verb = "added" if ev.kind == ClaimEvent.Kind.EVIDENCE_ADDED else "removed"
        return f"{verb} evidence ({details.get('stance', '')}): {details.get('url', '')}"
    if ev.kind == ClaimEvent.Kind.MERGED:
        if details.get("into"):
            return f"merged it into claim #{details['into']}"
        return f"merged claim #{details.get('from')} into it"
    if ev.kind == ClaimEvent.Kind.STORY_LINKED:
        return f"linked story #{details.get('story')} to it as the same claim"
    words: dict[str, str] = {
        ClaimEvent.Kind.CREATED: "logged the claim",
        ClaimEvent.Kind.EDITED: "edited it",
        ClaimEvent.Kind.TRANSITION: "moved it",
        ClaimEvent.Kind.PRIORITY: "changed its priority",
        ClaimEvent.Kind.COMMENTED: "commented",
    }
    return words.get(ev.kind, ev.get_kind_display())


def _history(claim: Claim) -> list[HistoryRow]:
    rows = []
    for ev in claim.events.all():
        listed = ev.kind in (ClaimEvent.Kind.EDITED, ClaimEvent.Kind.TOPICS)
        changed = (ev.details or {}).get("changed", {}) if listed else {}
        changes = [
            (FIELD_LABELS.get(name, name), _plain(pair[0]), _plain(pair[1]))
            for name, pair in changed.items()
            if isinstance(pair, list) and len(pair) == 2
        ]
        rows.append(HistoryRow(ev, _what(ev), changes))
    return rows


def _decision(claim: Claim) -> ClaimEvent | None:
    """The move that gave a decided or retracted claim its status, with its note."""
    if not (claim.is_decided or claim.status == Status.RETRACTED):
        return None
    moves = [
        ev
        for ev in claim.events.all()
        if ev.kind == ClaimEvent.Kind.TRANSITION and ev.to_status == claim.status
    ]
    return moves[-1] if moves else None


def _figures(claim: Claim) -> tuple[str, Chart | None, DeskFigure | None]:
    """The claim's figure in words, its timeline chart and the figure the desk uses."""
    if not claim.has_number:
        return "", None, desk_figure(claim)
    tolerance = CheckPolicy.load().approx_tolerance
    figure = localwording.format_figure(
        claim.value_low, claim.value_high, claim.qualifier, tolerance
    )
    chart, desk = claim_figures(claim, tolerance=tolerance)
    return figure, chart, desk


def _moves(claim: Claim, user: Any, *, note: str, tried: str) -> dict[str, Any]:
    """The status moves the viewer may make on the claim page. A refused step shows its
    note again in its own form, or above them all when the viewer has no such form (an
    editor who tried to decide)."""
    transitions = services.allowed_transitions(claim, user)
    decisions = [(to, Status(to).label) for to in transitions if to in DECIDED]
    reopen = claim.is_decided and Status.IN_REVIEW in transitions
    retract = Status.RETRACTED in transitions
    slot = "retract" if tried == Status.RETRACTED else "decide" if tried in DECIDED else ""
    if tried == Status.IN_REVIEW:
        slot = "reopen" if reopen else ""
    shown = {"decide": bool(decisions), "reopen": reopen, "retract": retract}.get(slot, False)
    return {
        "take": claim.status == Status.NEW and Status.IN_REVIEW in transitions,
        "decisions": decisions,
        "reopen": reopen,
        "retract": retract,
        "verify_needs_evidence": bool(decisions) and Status.VERIFIED not in transitions,
        "note": note if shown else "",
        "note_slot": slot if shown else "",
        "tried": tried,
        "unsaved_note": note if note and not shown else "",
    }


def _assign_form(claim: Claim, user: Any, typed: ClaimAssignForm | None) -> ClaimAssignForm | None:
    if not policy.allows(user, policy.Action.ASSIGN, claim):
        return None
    return typed or ClaimAssignForm(
        checkers=selectors.checker_list(user=user),
        initial={"assignee": claim.assignee_id, "version": claim.version},
    )


def _render_claim(
    request: HttpRequest,
    claim: Claim,
    *,
    status: int = 200,
    note: str = "",
    tried: str = "",
    **forms: Any,
) -> HttpResponse:
    user = request.user
    figure, chart, desk = _figures(claim)
    ctx = {
        "claim": claim,
        "figure": figure,
        "desk_figure": desk,
        "chart": chart,
        "period": localwording.period_dates(claim.period_start, claim.period_end)
        if claim.period_start
        else "",
        "decision": _decision(claim),
        # Which of its sources stand on each other: "confirmed by other sources" needs two
        # that do not.
        "corroboration": claim_corroboration(claim),
        "history": _history(claim),
        "may_edit": services.may_edit(claim, user),
        **_moves(claim, user, note=note, tried=tried),
        "assign_form": _assign_form(claim, user, forms.get("assign_form")),
        # A refused form comes back with what was typed, even on a claim retracted meanwhile.
        "can_add_evidence": policy.allows(user, policy.Action.ADD_EVIDENCE, claim)
        or ("evidence_form" in forms and policy.allows(user, policy.Action.ADD_EVIDENCE)),
        "can_remove_evidence": policy.allows(user, policy.Action.REMOVE_EVIDENCE, claim)
        or "remove_form" in forms,
        "can_comment": policy.allows(user, policy.Action.COMMENT, claim),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "remove_form": forms.get("remove_form"),
        "remove_id": forms.get("remove_id"),
        "comment_form": forms.get("comment_form") or CommentForm(),
        # The public review and the stories to correct (`claims.views.reviews` writes).
        "publishing": selectors.claim_publishing(claim=claim, user=user),
        "publish_summary": forms.get("publish_summary", ""),
        "unpublish_note": forms.get("unpublish_note", ""),
        # Merging it into the claim that stays (`claims.views.merges` writes).
        "can_merge": policy.allows(user, policy.Action.MERGE, claim),
        "merge_form": forms.get("merge_form"),
        "merge_hints": merge_hints(claim),
    }
    return render(request, "claims/claim.html", ctx, status=status)


@require_GET
@login_required
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    if claim.merged_into_id is not None:
        # A merged claim lives on in the one it was merged into; its record stays in
        # the dossier.
        messages.info(
            request, gettext("Claim #%(pk)s was merged into this claim.") % {"pk": claim.pk}
        )
        return redirect("claim_detail", claim.merged_into_id)
    return _render_claim(request, claim)


def _version(raw: str) -> int | None:
    return int(raw) if raw.isdigit() else None


@require_POST
@login_required
def claim_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Take, decide, reopen or retract: the service says who may and checks the note."""
    claim = _claim_or_404(request, pk)
    to, note = request.POST.get("to", ""), request.POST.get("note", "")
    try:
        services.claim_transition(
            claim=claim,
            actor=request.user,
            to=to,
            note=note,
            version=_version(request.POST.get("version", "")),
        )
    except DomainError as exc:
        messages.error(request, error_text(exc))
        # The page again, with the note as typed, so nothing is lost.
        return _render_claim(
            request, _claim_or_404(request, pk), status=exc.status_code, note=note, tried=to
        )
    messages.success(
        request, gettext("The claim is now %(status)s.") % {"status": Status(to).label.lower()}
    )
    return redirect(claim)


@require_POST
@login_required
def claim_assign(request: HttpRequest, pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    form = ClaimAssignForm(request.POST, checkers=selectors.checker_list(user=request.user))
    if not form.is_valid():
        messages.error(request, gettext("Choose a fact-checker from the list."))
        return _render_claim(request, claim, status=400, assign_form=form)
    assignee = form.cleaned_data["assignee"]
    try:
        services.claim_assign(
            claim=claim,
            actor=request.user,
            assignee=assignee,
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        )
    except DomainError as exc:
        _add_errors(form, exc)
        messages.error(request, error_text(exc))
        claim = _claim_or_404(request, pk)
        return _render_claim(request, claim, status=exc.status_code, assign_form=form)
    messages.success(
        request,
        gettext("Assigned to %(who)s.") % {"who": assignee}
        if assignee
        else gettext("Nobody is assigned now."),
    )
    return redirect(claim)


def _claim_form_write(
    request: HttpRequest,
    pk: int,
    form_class: type[Form],
    write: Callable[..., Any],
    *,
    form_name: str,
    invalid: str,
    done: str,
    anchor: str,
) -> HttpResponse:
    """A form on the claim page that adds to the claim through one service; a
    refusal shows the page again with the form as typed."""
    claim = _claim_or_404(request, pk)
    form = form_class(request.POST)
    typed: dict[str, Any] = {form_name: form}
    if not form.is_valid():
        messages.error(request, invalid)
        return _render_claim(request, claim, status=400, **typed)
    try:
        write(claim=claim, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        _add_errors(form, exc)
        messages.error(request, error_text(exc))
        return _render_claim(request, claim, status=exc.status_code, **typed)
    messages.success(request, done)
    return redirect(f"{claim.get_absolute_url()}#{anchor}")


@require_POST
@login_required
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_form_write(
        request,
        pk,
        EvidenceForm,
        services.evidence_add,
        form_name="evidence_form",
        invalid="Check the evidence's fields.",
        done="Evidence added.",
        anchor="evidence-h",
    )


@require_POST
@login_required
def evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    claim = _claim_or_404(request, pk)
    evidence = next((e for e in claim.evidence.all() if e.pk == evidence_pk), None)
    if evidence is None:
        raise Http404(gettext("No such evidence on this claim."))
    form = EvidenceRemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Say why this evidence goes."))
        return _render_claim(request, claim, status=400, remove_form=form, remove_id=evidence.pk)
    try:
        services.evidence_remove(evidence=evidence, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, error_text(exc))
        claim = _claim_or_404(request, pk)
        return _render_claim(
            request, claim, status=exc.status_code, remove_form=form, remove_id=evidence.pk
        )
    messages.success(request, gettext("Evidence removed."))
    return redirect(f"{claim.get_absolute_url()}#evidence-h")


@require_POST
@login_required
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _claim_form_write(
        request,
        pk,
        CommentForm,
        services.comment_add,
        form_name="comment_form",
        invalid="The comment is empty.",
        done="Comment added.",
        anchor="comments-h",
    )


urlpatterns = [
    path("claims/new/", claim_new, name="claim_new"),
    path("claims/read/", claim_read, name="claim_read"),
    path("claims/sources/", claim_sources, name="claim_sources"),
    path("sources/search/", source_search, name="claim_source_search"),
    path("claims/<int:pk>/", claim_detail, name="claim_detail"),
    path("claims/<int:pk>/edit/", claim_edit, name="claim_edit"),
    path("claims/<int:pk>/transition/", claim_transition, name="claim_transition"),
    path("claims/<int:pk>/assign/", claim_assign, name="claim_assign"),
    path("claims/<int:pk>/evidence/", evidence_add, name="evidence_add"),
    path(
        "claims/<int:pk>/evidence/<int:evidence_pk>/remove/",
        evidence_remove,
        name="evidence_remove",
    ),
    path("claims/<int:pk>/comments/", comment_add, name="comment_add"),
]
