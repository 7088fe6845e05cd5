"""Stories: the list and its search, pasting a story in, and the story page, where an
editor accepts, corrects or rejects the claims the parser finds in the copy."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import selectors, services
from claims.checks.messages import format_quantity
from claims.errors import DomainError
from claims.forms import CandidateEditForm, CandidateForm, CandidateRejectForm, StoryForm
from claims.models import CheckPolicy, Claim, Event, PeriodKind, Population, Story
from claims.parsing import ParsedClaim
from claims.views.common import PAGE_SIZE, error_text

# ---------------------------------------------------------------------------
# The list, and pasting a story in


@require_GET
@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    """Stories newest first; `q` (in the URL, so a search can be shared) matches
    words of the headline or the copy."""
    q = request.GET.get("q", "").strip()[:200]
    qs = selectors.story_search(user=request.user, query=q)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {"page": page, "q": q, "query": query.urlencode()}
    return render(request, "claims/stories.html", ctx)


def _story_or_404(request: HttpRequest, pk: int) -> Story:
    return get_object_or_404(Story.objects.visible_to(request.user), pk=pk)


def _require(request: HttpRequest, perm: str) -> None:
    # The service refuses too; this keeps a fact-checker from a form they cannot send.
    if not request.user.has_perm(perm):
        raise PermissionDenied("Only editors and admins add and edit stories.")


def _add_errors(form: forms.Form, exc: DomainError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's field messages on the form's fields (or above the form)."""
    for name, errors in exc.errors.items():
        name = (aliases or {}).get(name, name)
        for error in errors:
            form.add_error(name if name in form.fields else None, error)


def _story_form(request: HttpRequest, form: StoryForm, story: Story | None) -> HttpResponse:
    """Save the story if the form and the service agree; otherwise show what was typed."""
    if request.method == "POST":
        if form.is_valid():
            try:
                if story is None:
                    story = services.story_create(actor=request.user, **form.story_fields())
                else:
                    story = services.story_update(
                        story=story, actor=request.user, changes=form.story_fields()
                    )
            except DomainError as exc:
                _add_errors(form, exc, {"published_at": "published_on"})
            else:
                messages.success(request, "Story saved. Accept, correct or reject its claims.")
                return redirect(story)
        messages.error(request, "The story was not saved: check the fields below.")
    ctx = {"form": form, "story": story}
    return render(request, "claims/story_form.html", ctx, status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
@login_required
def story_create(request: HttpRequest) -> HttpResponse:
    _require(request, "claims.add_story")
    return _story_form(request, StoryForm(request.POST or None), None)


@require_http_methods(["GET", "POST"])
@login_required
def story_update(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story_or_404(request, pk)
    _require(request, "claims.change_story")
    form = StoryForm(request.POST or None, initial=StoryForm.initial_for(story))
    return _story_form(request, form, story)


# ---------------------------------------------------------------------------
# The story page: the copy with its candidate claims marked in place


@dataclass
class Card:
    """One candidate claim as the story page shows it."""

    number: int  # in the order of the copy
    found: selectors.StoryCandidate
    claim: Claim | None
    reading: dict[str, Any]
    edit_form: CandidateEditForm
    reject_form: CandidateRejectForm
    open_panel: str = ""  # "edit" or "reject" after a refused answer
    error: str = ""  # why the last answer was refused
    flash: str = ""  # what just happened to it, for the htmx answer

    @property
    def start(self) -> int:
        return self.found.candidate.start

    @property
    def end(self) -> int:
        return self.found.candidate.end

    @property
    def key(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def sentence(self) -> str:
        return self.found.candidate.sentence

    @property
    def has_number(self) -> bool:
        return self.found.candidate.has_number

    @property
    def state(self) -> str:
        if self.found.claim_id is not None:
            return "accepted"
        return "rejected" if self.found.rejection is not None else "open"


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph: plain copy, or (part of) a candidate."""

    text: str
    card: Card | None = None
    first: bool = True  # the candidate's first run carries its id and number


def _period_text(start: date, end: date) -> str:
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


def _label(choices: Any, value: str | None) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def reading_text(parsed: ParsedClaim, tolerance: float) -> dict[str, Any]:
    """The parser's reading in the desk's words; the template escapes it."""
    reading: dict[str, Any] = {"figure": "", "interval": "", "event": "", "population": ""}
    if parsed.value_low is not None:
        reading["figure"] = format_quantity(
            parsed.value_low, parsed.value_high, parsed.qualifier, tolerance
        )
        if parsed.value_high is not None and parsed.value_high != parsed.value_low:
            reading["interval"] = f"{parsed.value_low:,}–{parsed.value_high:,}"
        reading["event"] = _label(Event, parsed.event)
        if parsed.population and parsed.population != Population.ALL:
            reading["population"] = _label(Population, parsed.population)
    place = parsed.place
    reading["place"] = f"{place.name}, {place.country}" if place else ""
    reading["place_hint"] = place is not None and place.confidence < 1
    reading["place_words"] = place.words if place and place.words != place.name else ""
    reading["period"] = ""
    if parsed.period_start and parsed.period_end:
        reading["period"] = _period_text(parsed.period_start, parsed.period_end)
        reading["period_kind"] = _label(PeriodKind, parsed.period_kind)
        reading["period_words"] = parsed.time_expression
    known = parsed.source if parsed.source and parsed.source.source_id else None
    reading["source"] = known.name if known else ""
    reading["unmapped"] = "" if known else parsed.source_text
    return reading


def _edit_initial(card_key: tuple[int, int], parsed: ParsedClaim) -> dict[str, Any]:
    initial: dict[str, Any] = {"start": card_key[0], "end": card_key[1]}
    if parsed.value_low is not None:
        initial.update(
            value_low=parsed.value_low,
            value_high=parsed.value_high,
            qualifier=parsed.qualifier or "",
            event=parsed.event or "",
            population=parsed.population or Population.ALL,
        )
    if parsed.place is not None:
        initial.update(place_name=parsed.place.name, place_country=parsed.place.country)
    if parsed.period_start and parsed.period_end:
        initial.update(
            period_start=parsed.period_start,
            period_end=parsed.period_end,
            period_kind=parsed.period_kind or "",
        )
    if parsed.source and parsed.source.source_id:
        initial["sources"] = parsed.source.name
    return initial


def _cards(
    story: Story, claims: Sequence[Claim], bound: CandidateForm | None = None, error: str = ""
) -> list[Card]:
    """The story's candidates in the order of the copy; `bound` is a refused answer,
    shown again on its candidate with what was typed and `error`."""
    tolerance = CheckPolicy.load().approx_tolerance
    by_id = {c.pk: c for c in claims}
    found = sorted(
        selectors.story_candidates(story=story), key=lambda f: (f.candidate.start, f.candidate.end)
    )
    cards = []
    for number, f in enumerate(found, start=1):
        key = (f.candidate.start, f.candidate.end)
        auto_id = f"c{key[0]}-{key[1]}-%s"  # ids unique on a page of many forms
        card = Card(
            number=number,
            found=f,
            claim=by_id.get(f.claim_id) if f.claim_id else None,
            reading=reading_text(f.candidate.parsed, tolerance),
            edit_form=CandidateEditForm(
                initial=_edit_initial(key, f.candidate.parsed), auto_id=auto_id
            ),
            reject_form=CandidateRejectForm(
                initial={"start": key[0], "end": key[1]}, auto_id="r" + auto_id[1:]
            ),
        )
        if bound is not None and bound.key() == key:
            bound.auto_id = ("r" if isinstance(bound, CandidateRejectForm) else "c") + auto_id[1:]
            card.error = error
            if isinstance(bound, CandidateEditForm):
                card.edit_form, card.open_panel = bound, "edit"
            elif isinstance(bound, CandidateRejectForm):
                card.reject_form, card.open_panel = bound, "reject"
        cards.append(card)
    return cards


def story_paragraphs(body: str, cards: Sequence[Card]) -> list[list[Segment]]:
    """The copy as paragraphs (one per line), each cut into runs of plain copy and
    candidates, by the candidates' offsets. Text stays text: the template escapes it."""
    marks: list[Card] = []
    last = 0
    for card in sorted(cards, key=lambda c: (c.start, c.end)):
        if card.start >= last and card.start < card.end <= len(body):
            marks.append(card)
            last = card.end
    paragraphs = []
    i = 0
    for line in re.finditer(r"[^\r\n]+", body):
        start, end = line.span()
        if not line.group().strip():
            continue
        while i < len(marks) and marks[i].end <= start:
            i += 1
        runs, pos, j = [], start, i
        while j < len(marks) and marks[j].start < end:
            card = marks[j]
            a, b = max(card.start, start), min(card.end, end)
            if a > pos:
                runs.append(Segment(body[pos:a]))
            runs.append(Segment(body[a:b], card, first=a == card.start))
            pos = b
            j += 1
        if pos < end:
            runs.append(Segment(body[pos:end]))
        paragraphs.append(runs)
    return paragraphs


def _story_context(
    request: HttpRequest, story: Story, bound: CandidateForm | None = None, error: str = ""
) -> dict[str, Any]:
    claims = list(selectors.claim_list(user=request.user, params={"story": story.pk}))
    cards = _cards(story, claims, bound, error)
    states = [c.state for c in cards]
    return {
        "story": story,
        "claims": claims,
        "cards": cards,
        "counts": [c for c in cards if c.has_number],
        "statements": [c for c in cards if not c.has_number],
        "summary": {
            "total": len(cards),
            "counts": sum(c.has_number for c in cards),
            "statements": sum(not c.has_number for c in cards),
            "open": states.count("open"),
            "accepted": states.count("accepted"),
            "rejected": states.count("rejected"),
        },
        "paragraphs": story_paragraphs(story.body, cards),
        "can_decide": request.user.has_perm("claims.add_claim"),
        "can_edit_story": request.user.has_perm("claims.change_story"),
    }


@require_GET
@login_required
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story_or_404(request, pk)
    return render(request, "claims/story.html", _story_context(request, story))


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _answered(
    request: HttpRequest,
    story: Story,
    form: CandidateForm,
    *,
    done: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """After an accept or reject: htmx gets the candidate's card (with the marks,
    counts and claims it changed); a plain form post goes back to the story page,
    or shows it again with the refused form as typed."""
    key = form.key()
    bound = form if status >= 400 else None
    if not _is_htmx(request):
        if bound is None:
            messages.success(request, done)
            anchor = f"#cand-{key[0]}-{key[1]}" if key else ""
            return redirect(story.get_absolute_url() + anchor)
        messages.error(request, error)
        ctx = _story_context(request, story, bound, error)
        return render(request, "claims/story.html", ctx, status=status)
    ctx = _story_context(request, story, bound, error)
    card = next((c for c in ctx["cards"] if (c.start, c.end) == key), None)
    if card is None:  # offsets that name no candidate: nothing on the page to update
        return HttpResponse(error, status=status, headers={"HX-Reswap": "none"})
    card.flash = done
    ctx["card"] = card
    ctx["segments"] = [s for p in ctx["paragraphs"] for s in p if s.card is card and s.first]
    return render(request, "claims/_candidate_swap.html", ctx, status=status)


def _corrections(form: CandidateEditForm) -> dict[str, Any]:
    """The editor's corrections as `candidate_accept` arguments: the place and the
    sources resolved through the registers (an unknown one is a field error)."""
    data = form.cleaned_data
    changes = form.changes()
    place = None
    if data["place_name"]:
        place = services.place_resolve(name=data["place_name"], country=data["place_country"])
    changes["place"] = place
    names = form.source_names()
    if names:
        changes["source_text"] = ""  # the words are mapped now
    return {"changes": changes, "sources": services.source_resolve(names)}


CANDIDATE_ALIASES = {"place": "place_name", "start": "__all__", "non_field_errors": "__all__"}


def _refusal(form: CandidateForm, exc: DomainError) -> str:
    """Put the service's reasons on the form; say them once, beside the fields they concern
    when there are such fields, above the card otherwise."""
    _add_errors(form, exc, CANDIDATE_ALIASES)
    visible = [name for name in form.errors if name in form.fields and name not in ("start", "end")]
    return f"{exc.message} Check the fields below." if visible else error_text(exc)


@require_POST
@login_required
def candidate_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a candidate as read, or (with `edit`) as the editor corrected it."""
    story = _story_or_404(request, pk)
    edited = request.POST.get("edit") == "1"
    form = CandidateEditForm(request.POST) if edited else CandidateForm(request.POST)
    if not form.is_valid():
        error = "The claim was not accepted: check the fields."
        return _answered(request, story, form, error=error, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        with transaction.atomic():  # a place created for a refused claim goes too
            kwargs = _corrections(form) if isinstance(form, CandidateEditForm) else {}
            claim = services.candidate_accept(
                story=story, start=start, end=end, actor=request.user, **kwargs
            )
    except DomainError as exc:
        return _answered(request, story, form, error=_refusal(form, exc), status=exc.status_code)
    return _answered(request, story, form, done=f"Accepted as claim #{claim.pk}.")


@require_POST
@login_required
def candidate_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a candidate down, with an optional reason; it is not offered again."""
    story = _story_or_404(request, pk)
    form = CandidateRejectForm(request.POST)
    if not form.is_valid():
        error = "The candidate was not rejected: check the reason."
        return _answered(request, story, form, error=error, status=400)
    try:
        services.candidate_reject(story=story, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        return _answered(request, story, form, error=_refusal(form, exc), status=exc.status_code)
    return _answered(request, story, form, done="Rejected: it will not be offered again.")


urlpatterns = [
    path("stories/", story_list, name="story_list"),
    path("stories/new/", story_create, name="story_create"),
    path("stories/<int:pk>/", story_detail, name="story_detail"),
    path("stories/<int:pk>/edit/", story_update, name="story_update"),
    path("stories/<int:pk>/accept/", candidate_accept, name="candidate_accept"),
    path("stories/<int:pk>/reject/", candidate_reject, name="candidate_reject"),
]
