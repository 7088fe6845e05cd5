"""Stories: the list and its search, pasting a story in, and the story page, where an
editor accepts, corrects or rejects the claims the parser finds in the copy."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import language, localwording, selectors, services, wording
from claims.errors import DomainError
from claims.forms import (
    CandidateBulkForm,
    CandidateEditForm,
    CandidateForm,
    CandidateRejectForm,
    PlainHiddenInput,
    PlainTextInput,
    StoryForm,
)
from claims.models import (
    CheckPolicy,
    Claim,
    Event,
    PeriodKind,
    Population,
    Story,
)
from claims.parsing import Candidate, ParsedClaim
from claims.views.common import PAGE_SIZE, error_text, get_or_404

# ---------------------------------------------------------------------------
# The list, and pasting a story in


@require_GET
@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    """Stories newest first; `q` (in the URL, so a search can be shared) matches
    words of the headline or the copy."""
    q = request.GET.get("q", "").strip()[:200]
    lang = request.GET.get("language", "").strip()[:8]
    qs = selectors.story_search(user=request.user, query=q, language=lang)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "page": page,
        "q": q,
        "language": lang,
        "languages": language.choices(),
        "query": query.urlencode(),
    }
    return render(request, "claims/stories.html", ctx)


def _story_or_404(request: HttpRequest, pk: int) -> Story:
    return get_or_404(selectors.story_get, gettext("No such story."), user=request.user, pk=pk)


def _require(request: HttpRequest, perm: str, message: str = "") -> None:
    # The service refuses too; this keeps a fact-checker from a form they cannot send.
    if not request.user.has_perm(perm):
        raise PermissionDenied(message or gettext("Only editors and admins add and edit stories."))


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
                messages.success(
                    request, gettext("Story saved. Accept, correct or reject its claims.")
                )
                return redirect(story)
        messages.error(request, gettext("The story was not saved: check the fields below."))
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
# The story page: the copy with its candidate claims marked in place, a page at a time

# A long story lists its candidates this many to a page, whole paragraphs to a page
# where they fit: a 50 KB story holds some 500 figures, and a page of 500 cards with
# their forms is megabytes of HTML.
CANDIDATES_PER_PAGE = 50
# The copy beside a page marks its own candidates and at most this many others: under
# the "to review" filter a page's open figures can stand far apart, with hundreds of
# answered ones between them. Past that, only its own are marked.
MARKS_MAX = 100
# A page shows the paragraphs its candidates stand in; when those run longer than this
# (copy pasted as one paragraph), only the stretch from the sentence of its first
# candidate to that of its last: a page's HTML grows with its candidates, not the story.
COPY_SHOWN_MAX = 20_000
# The claims table under the story shows the latest this many.
STORY_CLAIMS_SHOWN = 50
SHOW_OPEN = "open"
# A card quotes this much of the sentence on either side of its figure.
QUOTE_SIDE = 90


def _cut(before: str, words: str, after: str) -> tuple[str, str, str]:
    """A sentence around its figure, cut short on either side of a long one."""
    if len(before) > QUOTE_SIDE:
        before = "…" + before[-QUOTE_SIDE:].split(" ", 1)[-1]
    if len(after) > QUOTE_SIDE:
        after = after[:QUOTE_SIDE].rsplit(" ", 1)[0] + "…"
    return before, words, after


class CandidateChangeForm(CandidateForm):
    """A figure whose words changed since its claim was accepted: re-read the claim from
    the new words, or keep it (with a reason). The claim's version guards both."""

    action = forms.ChoiceField(
        choices=[("reread", "Re-read the claim"), ("keep", "Keep the claim")],
        widget=PlainHiddenInput,
    )
    version = forms.IntegerField(min_value=1, required=False, widget=PlainHiddenInput)
    note = forms.CharField(
        label="Why (needed to keep the claim)",
        max_length=2000,
        required=False,
        widget=PlainTextInput(attrs={"placeholder": "e.g. the copy rounded the figure"}),
    )


@dataclass
class Card:
    """One candidate as the story page shows it: a mark in the copy and, when its page
    is the one shown, a card with the reading and the answers."""

    number: int  # in the order of the copy
    found: selectors.StoryCandidate
    paragraph: int = 1  # the number of its paragraph in the copy
    page: int | None = None  # the page that lists it; None when the filter leaves it out
    listed: bool = False  # on the page shown, with its reading and forms
    claim: Claim | None = None
    reading: dict[str, Any] = field(default_factory=dict)
    edit_form: CandidateEditForm | None = None
    reject_form: CandidateRejectForm | None = None
    open_panel: str = ""  # "edit" or "reject" after a refused answer
    error: str = ""  # why the last answer was refused
    flash: str = ""  # what just happened to it, for the htmx answer
    # When its words changed since it was accepted: the new words' reading beside the
    # claim's, the form that re-reads or keeps the claim, and why this user may not
    # re-read it (naming who may), if they may not.
    new_reading: dict[str, Any] = field(default_factory=dict)
    change_form: CandidateChangeForm | None = None
    reread_refusal: str = ""

    @property
    def start(self) -> int:
        return self.found.candidate.start

    @property
    def end(self) -> int:
        return self.found.candidate.end

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end

    @property
    def key(self) -> str:
        return f"{self.start}-{self.end}"

    @property
    def sentence(self) -> str:
        return self.found.candidate.sentence

    @property
    def words(self) -> str:
        return self.found.candidate.words

    @property
    def quote(self) -> tuple[str, str, str]:
        """The sentence around the figure, cut short on either side of a long one."""
        c = self.found.candidate
        a, b = c.start - c.sentence_start, c.end - c.sentence_start
        return _cut(c.sentence[:a], c.sentence[a:b], c.sentence[b:])

    @property
    def changed(self) -> selectors.StoryWords | None:
        return self.found.changed

    @property
    def accepted_quote(self) -> tuple[str, str, str]:
        """The sentence the claim was accepted from, its figure picked out."""
        old = self.found.changed
        if old is None:
            return "", "", ""
        at = max(old.sentence.find(old.words), 0)
        return _cut(old.sentence[:at], old.words, old.sentence[at + len(old.words) :])

    @property
    def sentence_span(self) -> tuple[int, int] | None:
        """Its sentence's offsets, when the candidate is a figure inside it."""
        c = self.found.candidate
        if (c.sentence_start, c.sentence_end) == (c.start, c.end):
            return None
        return c.sentence_start, c.sentence_end

    @property
    def has_number(self) -> bool:
        return self.found.candidate.has_number

    @property
    def state(self) -> str:
        return self.found.state


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph: plain copy, (part of) a candidate's mark, or a sentence
    that holds figures, with its own runs in `parts`."""

    text: str
    card: Card | None = None
    first: bool = True  # the candidate's first run carries its id and number
    parts: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    number: int  # in the copy, from 1
    runs: list[Segment]
    # Copy of the paragraph left out before or after the stretch a page shows.
    cut_before: bool = False
    cut_after: bool = False


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """The copy's paragraphs (one per line), by their offsets."""
    return [m.span() for m in re.finditer(r"[^\r\n]+", body) if m.group().strip()]


def _marks(
    body: str, start: int, end: int, marks: Sequence[Card], starts: Sequence[int]
) -> list[Segment]:
    """[start, end) of the copy cut into plain runs and the marks in it. `marks` do not
    overlap and are in the order of the copy, `starts` their starts: only the marks that
    reach into the stretch are looked at, so a long paragraph costs its own marks."""
    runs, pos = [], start
    lo = max(bisect_left(starts, start) - 1, 0)
    for card in marks[lo : bisect_left(starts, end)]:
        if card.end <= start or card.start >= end:
            continue
        a, b = max(card.start, start), min(card.end, end)
        if a > pos:
            runs.append(Segment(body[pos:a]))
        runs.append(Segment(body[a:b], card, first=a == card.start))
        pos = b
    if pos < end:
        runs.append(Segment(body[pos:end]))
    return runs


def story_paragraphs(
    body: str,
    cards: Sequence[Card],
    spans: Sequence[tuple[int, int]] | None = None,
    window: tuple[int, int] | None = None,
) -> list[Paragraph]:
    """The copy as paragraphs (all of them, or those of `spans`, cut to `window` when
    given), each cut into runs of plain copy and candidates by the candidates' offsets;
    a sentence that gives figures is one run whose parts mark each figure. Text stays
    text: the template escapes it."""
    all_spans = paragraph_spans(body)
    numbers = {span: n for n, span in enumerate(all_spans, start=1)}
    marks: list[Card] = []
    last = 0
    for card in sorted(cards, key=lambda c: (c.start, c.end)):
        if card.start >= last and card.start < card.end <= len(body):
            marks.append(card)
            last = card.end
    sentences = sorted({span for c in marks if (span := c.sentence_span) is not None})
    mark_starts = [c.start for c in marks]
    paragraphs = []
    for whole in all_spans if spans is None else spans:
        start, end = whole
        if window is not None:
            start, end = max(start, window[0]), min(end, window[1])
            if start >= end:
                continue
        lo = bisect_left(mark_starts, start)
        while lo > 0 and marks[lo - 1].end > start:
            lo -= 1
        hi = bisect_left(mark_starts, end)
        inside, inside_starts = marks[lo:hi], mark_starts[lo:hi]
        runs: list[Segment] = []
        pos = start
        for s, e in sentences[max(bisect_left(sentences, (start, 0)) - 1, 0) :]:
            if e <= start:
                continue
            if s >= end:
                break
            a, b = max(s, start), min(e, end)
            if a > pos:
                runs.extend(_marks(body, pos, a, inside, inside_starts))
            runs.append(Segment(body[a:b], parts=tuple(_marks(body, a, b, inside, inside_starts))))
            pos = b
        if pos < end:
            runs.extend(_marks(body, pos, end, inside, inside_starts))
        cut = (start > whole[0], end < whole[1])
        paragraphs.append(Paragraph(numbers.get(whole, 0), runs, *cut))
    return paragraphs


def story_pages(cards: Sequence[Card], per_page: int = CANDIDATES_PER_PAGE) -> list[list[Card]]:
    """The listed candidates (in the order of the copy) a page at a time: whole
    paragraphs to a page while they fit, a paragraph longer than a page over several."""
    pages: list[list[Card]] = [[]]
    for _, group in groupby(cards, key=lambda c: c.paragraph):
        members = list(group)
        if pages[-1] and len(pages[-1]) + len(members) > per_page:
            pages.append([])
        for card in members:
            if len(pages[-1]) >= per_page:
                pages.append([])
            pages[-1].append(card)
    return pages


def _page_paragraphs(pages: list[list[Card]], number: int, count: int) -> tuple[int, int]:
    """The paragraphs page `number` shows, as indexes [first, last): from its first
    candidate's (the first page from the top of the copy) up to the next page's."""
    members = pages[number - 1]
    first = 0 if number == 1 or not members else members[0].paragraph - 1
    if number == len(pages):
        return first, count
    following = pages[number][0].paragraph - 1
    shared = bool(members) and members[-1].paragraph - 1 == following
    return first, following + 1 if shared else following


def _copy_window(
    spans: Sequence[tuple[int, int]], members: Sequence[Card]
) -> tuple[int, int] | None:
    """The stretch of copy a page shows when its paragraphs run longer than
    COPY_SHOWN_MAX: from its first candidate's sentence to its last one's (None: all of
    its paragraphs)."""
    if not spans or not members or spans[-1][1] - spans[0][0] <= COPY_SHOWN_MAX:
        return None
    found = [c.found.candidate for c in members]
    return min(c.sentence_start for c in found), max(c.sentence_end for c in found)


def _marked(shown: list[Card], members: Sequence[Card]) -> tuple[list[Card], bool]:
    """The candidates marked in the copy a page shows, and whether some were left
    unmarked: all of them up to MARKS_MAX besides the page's own, else the page's own."""
    if len(shown) <= len(members) + MARKS_MAX:
        return shown, False
    return list(members), True


def _label(choices: Any, value: str | None) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def _reading(
    reading: ParsedClaim | Claim, tolerance: float, place: str, sources: str, unmapped: str
) -> dict[str, Any]:
    """The words of a story card for a reading of the copy or for the claim it became:
    both carry the same figure and period fields."""
    low, high = reading.value_low, reading.value_high
    words: dict[str, Any] = {"figure": "", "interval": "", "event": "", "population": ""}
    # A rate ("people per day") or a count of something else ("homes"), and a projection,
    # are said on the card: an editor accepts what the desk will store.
    words["unit"] = reading.unit if reading.unit not in ("", "people") else ""
    words["projection"] = bool(
        getattr(reading, "projection", False) or getattr(reading, "is_projection", False)
    )
    if low is not None:
        words["figure"] = localwording.format_figure(low, high, reading.qualifier, tolerance)
        # The bounds only when the words do not say them already.
        words["interval"] = localwording.interval_text(low, high) if high not in (low, None) else ""
        words["event"] = _label(Event, reading.event)
        if reading.population and reading.population != Population.ALL:
            words["population"] = _label(Population, reading.population)
    words.update(place=place, place_hint=False, place_words="", period="")
    if reading.period_start and reading.period_end:
        words["period"] = localwording.period_dates(reading.period_start, reading.period_end)
        words["period_kind"] = _label(PeriodKind, reading.period_kind)
        words["period_words"] = reading.time_expression
    words.update(source=sources, unmapped=unmapped)
    return words


def reading_text(parsed: ParsedClaim, tolerance: float) -> dict[str, Any]:
    """The parser's reading in the desk's words; the template escapes it."""
    place = parsed.place
    known = parsed.source if parsed.source and parsed.source.source_id else None
    words = _reading(
        parsed,
        tolerance,
        place=f"{place.name}, {place.country}" if place else "",
        sources=(known.name or "") if known else "",
        unmapped="" if known else parsed.source_text,
    )
    words["place_hint"] = place is not None and place.confidence < 1
    words["place_words"] = place.words if place and place.words != place.name else ""
    return words


def claim_reading(claim: Claim, tolerance: float) -> dict[str, Any]:
    """An accepted candidate's claim in the words of `reading_text`: what the desk holds
    now (an editor's corrections, sources mapped since), not a new reading of the copy."""
    sources = wording.sources_text(a.source.name for a in claim.attributions.all())
    place = claim.place
    return _reading(
        claim,
        tolerance,
        place=f"{place.name}, {place.country}" if place else "",
        sources=sources,
        unmapped="" if sources else claim.source_text,
    )


def _fill_change(card: Card, user: Any, tolerance: float, bound: CandidateForm | None) -> None:
    """A card whose words changed since its claim was accepted: the new words' reading,
    and the form that re-reads or keeps the claim."""
    card.new_reading = reading_text(card.found.candidate.parsed, tolerance)
    claim = card.claim
    if claim is None or user is None:
        return
    card.reread_refusal = services.reread_refusal(claim, user)
    initial = {"start": card.start, "end": card.end, "version": claim.version}
    card.change_form = CandidateChangeForm(initial=initial, auto_id=f"k{card.key}-%s")
    if isinstance(bound, CandidateChangeForm) and bound.key() == card.span:
        bound.auto_id = f"k{card.key}-%s"
        card.change_form = bound


def _fill(
    card: Card,
    claims: dict[int, Claim],
    tolerance: float,
    bound: CandidateForm | None = None,
    error: str = "",
    user: Any = None,
) -> None:
    """Give a listed card its reading and forms; `bound` is a refused answer, shown
    again on its candidate with what was typed and `error`."""
    auto_id = f"c{card.key}-%s"  # ids unique on a page of many forms
    card.listed = True
    card.claim = claims.get(card.found.claim_id) if card.found.claim_id else None
    if card.claim is not None:
        card.reading = claim_reading(card.claim, tolerance)
    else:
        card.reading = reading_text(card.found.candidate.parsed, tolerance)
    if bound is not None and bound.key() == card.span:
        card.error = error
    if card.changed is not None:
        _fill_change(card, user, tolerance, bound)
    if card.state != "open":
        return
    card.edit_form = CandidateEditForm(
        initial={
            "start": card.start,
            "end": card.end,
            **CandidateEditForm.initial_for(card.found.candidate.parsed),
        },
        auto_id=auto_id,
    )
    card.reject_form = CandidateRejectForm(
        initial={"start": card.start, "end": card.end}, auto_id="r" + auto_id[1:]
    )
    if bound is not None and bound.key() == card.span:
        bound.auto_id = ("r" if isinstance(bound, CandidateRejectForm) else "c") + auto_id[1:]
        if isinstance(bound, CandidateEditForm):
            card.edit_form, card.open_panel = bound, "edit"
        elif isinstance(bound, CandidateRejectForm):
            card.reject_form, card.open_panel = bound, "reject"


def _numbered(story: Story, found: Sequence[selectors.StoryCandidate]) -> list[Card]:
    starts = [start for start, _ in paragraph_spans(story.body)]
    return [
        Card(number, f, paragraph=max(bisect_right(starts, f.candidate.start), 1))
        for number, f in enumerate(found, start=1)
    ]


def _summary(cards: Sequence[Card]) -> dict[str, int]:
    states = [c.state for c in cards]
    return {
        "total": len(cards),
        "counts": sum(c.has_number for c in cards),
        "statements": sum(not c.has_number for c in cards),
        "open": states.count("open"),
        "accepted": states.count("accepted"),
        "rejected": states.count("rejected"),
        "changed": sum(c.changed is not None for c in cards),
    }


def _claims_by_id(request: HttpRequest, cards: Sequence[Card]) -> dict[int, Claim]:
    """The claims the listed cards became, with their place and sources."""
    ids = [c.found.claim_id for c in cards if c.found.claim_id is not None]
    return selectors.claims_by_id(user=request.user, ids=ids)


def _story_claims(request: HttpRequest, story: Story) -> dict[str, Any]:
    """The claims table under the story: the latest STORY_CLAIMS_SHOWN, and how many."""
    qs = selectors.claim_list(user=request.user, params={"story": story.pk})
    # The rows name their story: not its copy nor its stored extraction.
    claims = list(qs.defer("story__body", "story__extraction")[: STORY_CLAIMS_SHOWN + 1])
    total = len(claims) if len(claims) <= STORY_CLAIMS_SHOWN else qs.count()
    return {"claims": claims[:STORY_CLAIMS_SHOWN], "claims_total": total}


def _show(value: Any) -> str:
    return SHOW_OPEN if value == SHOW_OPEN else ""


def _page_number(value: Any) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def _page_url(story: Story, page: int, show: str, key: tuple[int, int] | None = None) -> str:
    query = urlencode({k: v for k, v in (("show", show), ("page", page)) if v and v != 1})
    anchor = f"#cand-{key[0]}-{key[1]}" if key else ""
    return story.get_absolute_url() + (f"?{query}" if query else "") + anchor


def _paged(
    cards: Sequence[Card], show: str, page: int, focus: tuple[int, int] | None
) -> tuple[list[list[Card]], int]:
    """The listed cards a page at a time, each card told its page, and the page to show:
    the one that lists `focus`, if given, else `page` within range. "To review" lists
    the open candidates and the accepted ones whose words changed."""
    listed = [c for c in cards if not show or c.state == "open" or c.changed is not None]
    pages = story_pages(listed)
    for number, members in enumerate(pages, start=1):
        for card in members:
            card.page = number
    target = next((c for c in cards if c.span == focus), None) if focus else None
    if target is not None and target.page is not None:
        page = target.page
    return pages, min(max(page, 1), len(pages))


def _story_context(
    request: HttpRequest,
    story: Story,
    *,
    found: Sequence[selectors.StoryCandidate] | None = None,
    page: int = 1,
    show: str = "",
    focus: tuple[int, int] | None = None,
    bound: CandidateForm | None = None,
    error: str = "",
) -> dict[str, Any]:
    """The story page: one page of candidates (`focus` picks the page that lists that
    one), the paragraphs they stand in, and the counts over the whole story."""
    unread = language.unread_message(story.language)
    if found is None:
        # Copy the desk does not read is not parsed: the page says why instead.
        found = [] if unread else selectors.story_candidates(story=story)
    cards = _numbered(story, found)
    pages, page = _paged(cards, show, page, focus)
    spans = paragraph_spans(story.body)
    first, last = _page_paragraphs(pages, page, len(spans))
    members = pages[page - 1]
    tolerance = CheckPolicy.load().approx_tolerance
    claims = _claims_by_id(request, members)
    for card in members:
        _fill(card, claims, tolerance, bound, error, request.user)
    window = _copy_window(spans[first:last], members)
    shown, marks_cut = _marked(
        [
            c
            for c in cards
            if first < c.paragraph <= last
            and (window is None or (c.start < window[1] and c.end > window[0]))
        ],
        members,
    )
    groups = [(n, list(g)) for n, g in groupby(members, key=lambda c: c.paragraph)]
    return {
        "story": story,
        **_story_claims(request, story),
        "cards": members,
        "groups": groups,
        "summary": _summary(cards),
        "paragraphs": story_paragraphs(story.body, shown, spans[first:last], window),
        "marks_cut": marks_cut,
        "copy_cut": window is not None,
        "paragraph_range": (first + 1, last),
        "paragraph_count": len(spans),
        "page_number": page,
        "page_count": len(pages),
        "page_open": sum(c.state == "open" for c in members),
        "show": show,
        "unread": unread,
        "can_decide": request.user.has_perm("claims.add_claim"),
        "can_edit_story": request.user.has_perm("claims.change_story"),
        # Claims that changed since the story went out, and the story's history.
        "corrections": selectors.story_corrections(story=story, user=request.user),
    }


@require_GET
@login_required
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = _story_or_404(request, pk)
    page, show = _page_number(request.GET.get("page")), _show(request.GET.get("show"))
    ctx = _story_context(request, story, page=page, show=show)
    return render(request, "claims/story.html", ctx)


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _answered(
    request: HttpRequest,
    story: Story,
    form: CandidateForm,
    extraction: Sequence[Candidate],
    *,
    done: str = "",
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """After an accept or reject: htmx gets the candidate's card (with the mark, counts
    and claims it changed); a plain form post goes back to the story's page, or shows
    that page again with the refused form as typed. The candidates are the extraction
    read before the answer: an answer reads the story once."""
    key = form.key()
    page, show = _page_number(request.POST.get("page")), _show(request.POST.get("show"))
    bound = form if status >= 400 else None
    if not _is_htmx(request) and bound is None:
        messages.success(request, done)
        return redirect(_page_url(story, page, show, key))
    found = selectors.story_candidates(story=story, candidates=extraction)
    if not _is_htmx(request):
        messages.error(request, error)
        ctx = _story_context(
            request, story, found=found, page=page, show=show, focus=key, bound=bound, error=error
        )
        return render(request, "claims/story.html", ctx, status=status)
    cards = _numbered(story, found)
    card = next((c for c in cards if c.span == key), None)
    if card is None:  # offsets that name no candidate: nothing on the page to update
        return HttpResponse(error, status=status, headers={"HX-Reswap": "none"})
    tolerance = CheckPolicy.load().approx_tolerance
    _fill(card, _claims_by_id(request, [card]), tolerance, bound, error, request.user)
    card.page, card.flash = page, done
    ctx = {
        "story": story,
        "card": card,
        "mark": _mark(story.body, card),
        "summary": _summary(cards),
        "show": show,
        "page_number": page,
        "can_decide": request.user.has_perm("claims.add_claim"),
        **_story_claims(request, story),
    }
    return render(request, "claims/_candidate_swap.html", ctx, status=status)


def _mark(body: str, card: Card) -> Segment:
    """A card's mark in the copy, up to the end of its line: htmx swaps it in place."""
    line_end = body.find("\n", card.start)
    return Segment(body[card.start : card.end if line_end < 0 else min(card.end, line_end)], card)


def _corrections(form: CandidateEditForm) -> dict[str, Any]:
    """The editor's corrections as `candidate_accept` arguments. The place and the
    sources stay names: the service resolves them after its permission check, in its
    transaction (an unknown one is a field error; a refused accept creates nothing)."""
    data = form.cleaned_data
    changes = form.changes()
    name = data["place_name"]
    changes["place"] = services.PlaceName(name, data["place_country"]) if name else None
    names = form.source_names()
    if names:
        changes["source_text"] = ""  # the words are mapped now
    return {"changes": changes, "sources": names}


CANDIDATE_ALIASES = {"place": "place_name", "start": "__all__", "non_field_errors": "__all__"}


def _refusal(form: CandidateForm, exc: DomainError) -> str:
    """Put the service's reasons on the form; say them once, beside the fields they concern
    when there are such fields, above the card otherwise."""
    _add_errors(form, exc, CANDIDATE_ALIASES)
    visible = [name for name in form.errors if name in form.fields and name not in ("start", "end")]
    if visible:
        return gettext("%(reason)s Check the fields below.") % {"reason": exc.message}
    return error_text(exc)


def _extraction(story: Story) -> list[Candidate]:
    """The story's candidates, read (and stored) before an answer so that the answer
    and the page after it share one reading of the copy."""
    if language.unread_message(story.language):
        return []
    return selectors.story_extraction(story=story)


def _answer_candidate(
    request: HttpRequest,
    story: Story,
    form: CandidateForm,
    invalid: str,
    write: Callable[[Any], str],
) -> HttpResponse:
    """An answer to one candidate: the form, then `write` (a service call that says what
    it did), then the card; a refusal is shown on the card with the form as typed."""
    extraction = _extraction(story)
    if not form.is_valid():
        return _answered(request, story, form, extraction, error=invalid, status=400)
    try:
        done = write(form)
    except DomainError as exc:
        error = _refusal(form, exc)
        return _answered(request, story, form, extraction, error=error, status=exc.status_code)
    return _answered(request, story, form, extraction, done=done)


def _accept(request: HttpRequest, story: Story, form: CandidateForm) -> str:
    kwargs = _corrections(form) if isinstance(form, CandidateEditForm) else {}
    claim = services.candidate_accept(
        story=story,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        actor=request.user,
        **kwargs,
    )
    return gettext("Accepted as claim #%(pk)s.") % {"pk": claim.pk}


@require_POST
@login_required
def candidate_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept a candidate as read, or (with `edit`) as the editor corrected it."""
    story = _story_or_404(request, pk)
    edited = request.POST.get("edit") == "1"
    form = CandidateEditForm(request.POST) if edited else CandidateForm(request.POST)
    invalid = gettext("The claim was not accepted: check the fields.")
    return _answer_candidate(request, story, form, invalid, partial(_accept, request, story))


def _reject(request: HttpRequest, story: Story, form: CandidateForm) -> str:
    data = form.cleaned_data
    services.candidate_reject(
        story=story, start=data["start"], end=data["end"], actor=request.user, note=data["note"]
    )
    return gettext("Rejected: it will not be offered again.")


@require_POST
@login_required
def candidate_reject(request: HttpRequest, pk: int) -> HttpResponse:
    """Turn a candidate down, with an optional reason; it is not offered again."""
    story = _story_or_404(request, pk)
    form = CandidateRejectForm(request.POST)
    invalid = gettext("The candidate was not rejected: check the reason.")
    return _answer_candidate(request, story, form, invalid, partial(_reject, request, story))


def _change(request: HttpRequest, story: Story, form: CandidateForm) -> str:
    data = form.cleaned_data
    reread = data["action"] == "reread"
    answer = services.candidate_reread if reread else services.candidate_keep
    claim = answer(
        story=story,
        start=data["start"],
        end=data["end"],
        actor=request.user,
        version=data["version"],
        note=data["note"],
    )
    if reread:
        return gettext("Claim #%(pk)s re-read from the new words.") % {"pk": claim.pk}
    return gettext("Claim #%(pk)s kept as it is.") % {"pk": claim.pk}


@require_POST
@login_required
def candidate_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer a figure whose words changed since its claim was accepted: re-read the
    claim from the new words, or keep it as it is, with the reason."""
    story = _story_or_404(request, pk)
    form = CandidateChangeForm(request.POST)
    invalid = gettext("Nothing was changed: check the fields.")
    return _answer_candidate(request, story, form, invalid, partial(_change, request, story))


def _bulk_report(request: HttpRequest, story: Story, verb: str, answers: Sequence[Any]) -> None:
    """Say what the bulk answer did, and each refusal with its reason: none is silent."""
    done = [a for a in answers if a.error is None]
    if done and verb == "accept":
        ids = [f"#{a.claim.pk}" for a in done]
        shown = ", ".join(ids[:12])
        if len(ids) > 12:
            more = len(ids) - 12
            shown = ngettext("%(shown)s and %(more)s more", "%(shown)s and %(more)s more", more) % {
                "shown": shown,
                "more": more,
            }
        accepted = ngettext(
            "Accepted %(count)s as claim %(shown)s.",
            "Accepted %(count)s as claims %(shown)s.",
            len(done),
        )
        messages.success(request, accepted % {"count": len(done), "shown": shown})
    elif done:
        rejected = ngettext(
            "Rejected %(count)s: they will not be offered again.",
            "Rejected %(count)s: they will not be offered again.",
            len(done),
        )
        messages.success(request, rejected % {"count": len(done)})
    for a in answers:
        if a.error is not None:
            words = story.body[a.start : a.end].strip() if a.end <= len(story.body) else ""
            what = f"“{Truncator(words).chars(80)}”" if words else f"{a.start}-{a.end}"
            refused = (
                gettext("Not accepted: %(what)s: %(reason)s")
                if verb == "accept"
                else gettext("Not rejected: %(what)s: %(reason)s")
            )
            messages.error(request, refused % {"what": what, "reason": error_text(a.error)})


@require_POST
@login_required
def candidate_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer several candidates at once: the ticked ones, or every open one on a page
    (which is shown for confirmation first). Recorded like single answers."""
    story = _story_or_404(request, pk)
    _require(request, "claims.add_claim", gettext("Only editors and admins answer candidates."))
    page, show = _page_number(request.POST.get("page")), _show(request.POST.get("show"))
    form = CandidateBulkForm(request.POST)
    if not form.is_valid():
        reasons = " ".join(str(m) for msgs in form.errors.values() for m in msgs)
        messages.error(request, gettext("Nothing was answered. %(reasons)s") % {"reasons": reasons})
    elif form.whole_page:
        ctx = _story_context(request, story, page=page, show=show)
        confirm = [c for c in ctx["cards"] if c.state == "open"]
        ctx.update(verb=form.verb, note=form.cleaned_data["note"], confirm=confirm)
        return render(request, "claims/story_bulk_confirm.html", ctx)
    else:
        _bulk_answer(request, story, form)
    return redirect(_page_url(story, page, show))


def _bulk_answer(request: HttpRequest, story: Story, form: CandidateBulkForm) -> None:
    """The ticked candidates through one service call, and what it did in messages."""
    many = (
        services.candidate_accept_many if form.verb == "accept" else services.candidate_reject_many
    )
    try:
        answers = many(
            story=story,
            spans=form.cleaned_data["keys"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        if exc.status_code == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, error_text(exc))
        return
    _bulk_report(request, story, form.verb, answers)


urlpatterns = [
    path("stories/", story_list, name="story_list"),
    path("stories/new/", story_create, name="story_create"),
    path("stories/<int:pk>/", story_detail, name="story_detail"),
    path("stories/<int:pk>/edit/", story_update, name="story_update"),
    path("stories/<int:pk>/accept/", candidate_accept, name="candidate_accept"),
    path("stories/<int:pk>/reject/", candidate_reject, name="candidate_reject"),
    path("stories/<int:pk>/bulk/", candidate_bulk, name="candidate_bulk"),
    path("stories/<int:pk>/changed/", candidate_change, name="candidate_change"),
]
