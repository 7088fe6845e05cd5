"""Stories and their candidates: the list, reading copy against the desk's registers,
the stored extraction, and where accepted claims stand in an edited story."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import types
import typing
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.db.models import BigIntegerField, Count, Q, QuerySet, Value
from django.utils import timezone

import claims.parsing as parsing_package
from claims.models import (
    CandidateRejection,
    CheckPolicy,
    Place,
    Source,
    SourceAlias,
    Story,
    StoryLink,
)
from claims.parsing import (
    Candidate,
    KnownPlace,
    KnownSource,
    ParseContext,
    ParsedClaim,
    extract,
    parse,
)
from claims.selectors._filters import checked, search_words
from claims.typing import Actor


def story_get(*, user: Actor, pk: int) -> Story:
    """A story the user may see, the whole row: its copy and its stored extraction."""
    return Story.objects.visible_to(user).get(pk=pk)


def story_list(*, user: Actor) -> QuerySet[Story]:
    # The stored extraction of a long story runs to hundreds of kilobytes: lists leave it.
    # Ordered again (as Meta.ordering): Django drops Meta.ordering from a query that
    # aggregates, and pages of an unordered list may repeat or skip rows.
    return (
        Story.objects.visible_to(user)
        .defer("extraction")
        .annotate(claim_count=Count("claims"))
        .order_by("-published_at", "-id")
    )


# ---------------------------------------------------------------------------
# Reading copy: the parser sees the desk's own registers


def parse_context() -> ParseContext:
    """The sources (with aliases) and places the desk knows, for the parser.

    Two queries; the registers are small next to the claims, so they are read
    whole rather than cached and risk a stale alias after an admin's edit.
    """
    aliases: dict[int, list[str]] = defaultdict(list)
    for source_id, name in SourceAlias.objects.values_list("source_id", "name"):
        aliases[source_id].append(name)
    sources = tuple(
        KnownSource(id=pk, name=name, aliases=tuple(aliases[pk]))
        for pk, name in Source.objects.filter(active=True).values_list("id", "name")
    )
    places = tuple(
        KnownPlace(id=pk, name=name, country=country, kind=kind, aliases=tuple(extra or ()))
        for pk, name, country, kind, extra in Place.objects.values_list(
            "id", "name", "country", "kind", "aliases"
        )
    )
    tolerance = CheckPolicy.load().approx_tolerance
    return ParseContext(sources=sources, places=places, tolerance=tolerance)


def parse_text(*, text: str, reported_on: date) -> ParsedClaim:
    """One claim as typed by an editor, read against the date it was reported."""
    return parse(text, reported_on, parse_context())


def parse_with_counts(*, text: str, reported_on: date) -> tuple[ParsedClaim, list[Candidate]]:
    """A text as the parse endpoint answers it: its main count (`parse`), and every count
    it gives, each with the offsets of its figure phrase, read with the same registers."""
    context = parse_context()
    # Read as a story would be: a text of two sentences gives each count the time words
    # and place of its own sentence.
    counts = [c for c in extract(text, reported_on, context) if c.has_number]
    return parse(text, reported_on, context), counts


# ---------------------------------------------------------------------------
# A story's candidates: read once per body, kept on the story


# The shape of `Story.extraction`; part of every key, so a new shape makes old ones stale.
EXTRACTION_FORMAT = 1


@functools.cache
def parser_version() -> str:
    """A fingerprint of the parser: its code and data files and the pinned requirements
    (its libraries and lexicons). A change to any of them makes every stored extraction
    stale, without anyone having to remember to bump a number."""
    digest = hashlib.sha256(f"extraction format {EXTRACTION_FORMAT}\n".encode())
    root = Path(parsing_package.__file__).resolve().parent
    files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    requirements = Path(settings.BASE_DIR) / "requirements.txt"
    for path in [*files, requirements]:
        if path.is_file():
            digest.update(path.name.encode() + b"\x00" + path.read_bytes() + b"\x00")
    return digest.hexdigest()


def registers_version(context: ParseContext) -> str:
    """A fingerprint of what the parser knows from the desk's registers: sources with
    their aliases, places with theirs, and how wide "about" is."""
    digest = hashlib.sha256()
    for s in sorted(context.sources, key=lambda s: s.id):
        digest.update(repr((s.id, s.name, sorted(s.aliases))).encode())
    digest.update(b"\x00places\x00")
    for p in sorted(context.places, key=lambda p: p.id):
        digest.update(repr((p.id, p.name, p.country, p.kind, sorted(p.aliases))).encode())
    digest.update(repr(context.tolerance).encode())
    return digest.hexdigest()


def extraction_key(body: str, published_on: date, context: ParseContext) -> str:
    """What a story's extraction was read from: body, date, registers and parser."""
    digest = hashlib.sha256(body.encode("utf-8", "surrogatepass"))
    for part in (published_on.isoformat(), registers_version(context), parser_version()):
        digest.update(b"\x00" + part.encode())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _same(value: Any) -> Any:
    return value


@functools.cache
def _builder(tp: Any) -> Callable[[Any], Any]:
    """How to turn `_plain` data back into the type `tp` (dataclasses, dates, tuples),
    worked out once per type: a long story's extraction has hundreds of candidates."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) != 1 or _builder(args[0]) is _same:
            return _same
        inner = _builder(args[0])
        return lambda value: None if value is None else inner(value)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        cls = tp
        hints = typing.get_type_hints(cls)
        plan = {f.name: _builder(hints[f.name]) for f in dataclasses.fields(cls)}
        converted = {name: build for name, build in plan.items() if build is not _same}

        def build(value: dict[str, Any]) -> Any:
            fields = dict(value)
            for name, convert in converted.items():
                if name in fields:
                    fields[name] = convert(fields[name])
            return cls(**fields)

        return build
    if tp is date:
        return date.fromisoformat
    if origin is tuple:
        items = typing.get_args(tp)
        inner = _builder(items[0]) if items else _same
        return lambda value: tuple(inner(v) for v in value)
    return _same


def candidate_data(candidate: Candidate, body: str) -> dict[str, Any]:
    """A candidate as plain JSON data, without the words the body already holds."""
    data = _plain(candidate)
    sentence = body[candidate.sentence_start : candidate.sentence_end]
    if data["sentence"] == sentence:
        del data["sentence"]
    if data["parsed"].get("text") == candidate.sentence:
        del data["parsed"]["text"]
    return data


def candidate_from_data(data: dict[str, Any], body: str) -> Candidate:
    data = dict(data)
    sentence = data.setdefault("sentence", body[data["sentence_start"] : data["sentence_end"]])
    data["parsed"] = {"text": sentence, **data["parsed"]}
    candidate: Candidate = _builder(Candidate)(data)
    return candidate


def story_extraction(*, story: Story, context: ParseContext | None = None) -> list[Candidate]:
    """The candidates in the story's body, in the order of the copy.

    They are read from the story when its stored extraction was made from the same
    body, date, registers and parser (`extraction_key`); otherwise the body is read
    again and the extraction stored. The stored list is a cache of the parser's answer,
    not the desk's record: writing it keeps `updated_at` and writes no history."""
    context = context or parse_context()
    published_on = timezone.localdate(story.published_at)
    key = extraction_key(story.body, published_on, context)
    if story.extraction_key == key and isinstance(story.extraction, list):
        try:
            return [candidate_from_data(d, story.body) for d in story.extraction]
        except (TypeError, KeyError, ValueError, AttributeError, IndexError):
            pass  # a shape this code no longer reads: read the body again
    found = sorted(extract(story.body, published_on, context), key=lambda c: (c.start, c.end))
    data = [candidate_data(c, story.body) for c in found]
    Story.objects.filter(pk=story.pk).update(extraction=data, extraction_key=key)
    story.extraction, story.extraction_key = data, key
    return found


CandidateState = Literal["open", "accepted", "rejected"]


Span = tuple[int, int]


@dataclass(frozen=True)
class StoryWords:
    """The words of its story an accepted claim stands for (`Claim.story_words` and
    `story_sentence`), and the offsets where they stood when last seen."""

    claim_id: int
    start: int
    end: int
    words: str
    sentence: str


@dataclass(frozen=True)
class StoryCandidate:
    candidate: Candidate
    claim_id: int | None  # the claim it was accepted as, if it was
    rejection: CandidateRejection | None = None  # the editor's "no", if it was turned down
    # The words the claim was accepted from, when the copy there has changed since: the
    # claim still says what those words said, until an editor re-reads or keeps it.
    changed: StoryWords | None = None

    @property
    def key(self) -> tuple[int, int]:
        return self.candidate.start, self.candidate.end

    @property
    def state(self) -> CandidateState:
        if self.claim_id is not None:
            return "accepted"
        return "rejected" if self.rejection is not None else "open"


def rejection_stands(rejection: CandidateRejection, candidate: Candidate) -> bool:
    """Whether an editor's "no" still holds for the candidate: only while the same words
    stand at the same offsets, in the same sentence (an edited body is offered again)."""
    if rejection.words:
        return (
            (rejection.start, rejection.end) == (candidate.start, candidate.end)
            and rejection.words == candidate.words
            and rejection.sentence == candidate.sentence
        )
    # Rejected before figures had offsets of their own: the whole sentence was turned down.
    return (rejection.start, rejection.end) == (
        candidate.sentence_start,
        candidate.sentence_end,
    ) and rejection.sentence == candidate.sentence


# ---------------------------------------------------------------------------
# An edited story: accepted claims follow their words


def _common_prefix(a: str, b: str) -> int:
    # Halving compares slices in C: a 200 KB body in some 18 comparisons.
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, limit: int) -> int:
    lo, hi = 0, limit
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def moved_span(old: str, new: str) -> Callable[[int, int], Span]:
    """Where a span of `old` lands in `new`, judged by what the two bodies share at either
    end: copy before the edit keeps its offsets, copy after it shifts by the change in
    length, and a span reaching into the rewritten stretch covers what replaced it there
    (nothing, when that stretch was cut)."""
    prefix = _common_prefix(old, new)
    suffix = _common_suffix(old, new, min(len(old), len(new)) - prefix)
    old_end, new_end, delta = len(old) - suffix, len(new) - suffix, len(new) - len(old)

    def moved(start: int, end: int) -> Span:
        a = start if start < prefix else (start + delta if start >= old_end else prefix)
        b = end if end <= prefix else (end + delta if end > old_end else new_end)
        return a, max(a, b)

    return moved


def _occurrences(text: str, part: str, lo: int = 0, hi: int | None = None) -> list[int]:
    found, at, hi = [], text.find(part, lo, hi), len(text) if hi is None else hi
    while at >= 0:
        found.append(at)
        at = text.find(part, at + 1, hi)
    return found


def _words_in_sentence(body: str, words: StoryWords, hint: int) -> Span | None:
    """The claim's figure phrase inside its sentence, where the sentence stands in the
    body: at `hint` when it has not moved, otherwise its occurrence nearest `hint`."""
    w, s = words.words, words.sentence
    if not w or not s:
        return None
    if body.startswith(w, hint):
        at = body.find(s, max(0, hint + len(w) - len(s)), hint + len(s))
        if at >= 0:
            return hint, hint + len(w)
    places = _occurrences(s, w)
    found = [at + rel for at in _occurrences(body, s) for rel in places]
    if not found:
        return None
    best = min(found, key=lambda at: abs(at - hint))
    return best, best + len(w)


def follow_words(body: str, words: StoryWords, start: int, end: int) -> tuple[Span, bool]:
    """Where a claim's words stand in `body`, and whether they stand there unchanged.
    `start`/`end` are where they should be (their last offsets, moved by an edit).
    The same sentence first, anywhere in the copy (text inserted above moves it); then
    the same figure phrase near where the sentence was (the sentence around it was
    rewritten); else the words are gone and the claim is bound to what stands in their
    place, a changed figure ("at least 27" now reads "at least 35") or nothing."""
    same = _words_in_sentence(body, words, start)
    if same is not None:
        return same, True
    reach = max(len(words.sentence), 200)
    near = _occurrences(body, words.words, max(0, start - reach), end + reach)
    if words.words and near:
        best = min(near, key=lambda at: abs(at - start))
        return (best, best + len(words.words)), False
    return (start, end), False


def _bind(
    found: Sequence[Candidate], body: str, anchored: Sequence[StoryWords]
) -> dict[Span, StoryCandidate]:
    """The candidates the claims' words now stand at: a claim whose words stand unchanged
    has first pick, then the changed ones; each candidate is one claim's at most."""
    ordered = sorted(found, key=lambda c: (c.start, c.end))
    starts = [c.start for c in ordered]
    bound: dict[Span, StoryCandidate] = {}
    located = [(w, *follow_words(body, w, w.start, w.end)) for w in anchored]
    for w, (a, b), same in sorted(located, key=lambda item: not item[2]):
        if b <= a:
            continue  # the words were cut from the copy: nothing stands for them
        lo, hi = max(bisect_left(starts, a) - 1, 0), bisect_left(starts, b)
        near = [c for c in ordered[lo:hi] if c.end > a]
        near.sort(key=lambda c: ((c.start, c.end) != (a, b), abs(c.start - a)))
        pick = next((c for c in near if (c.start, c.end) not in bound), None)
        if pick is not None:
            changed = None if same else w
            bound[(pick.start, pick.end)] = StoryCandidate(pick, w.claim_id, None, changed)
    return bound


def _story_words(story: Story) -> list[tuple[int, int, int, int | None, str, str]]:
    """(claim id, start, end, value_low, words, sentence) of each claim the story's copy
    makes: the claims found in it, and the claims other copy made first that it was
    linked to as the same claim (`StoryLink`; their words are always kept). A claim
    merged into another leaves its words to the survivor's link. One query."""
    fields = ("id", "story_start", "story_end", "value_low", "story_words", "story_sentence")
    own = (
        story.claims.filter(story_start__isnull=False, merged_into__isnull=True)
        .order_by()
        .values_list(*fields)
    )
    linked = (
        StoryLink.objects.filter(story=story, story_start__isnull=False)
        .exclude(story_words="")
        .order_by()
        .annotate(low=Value(None, output_field=BigIntegerField()))
        .values_list("claim_id", "story_start", "story_end", "low", "story_words", "story_sentence")
    )
    rows = sorted(own.union(linked, all=True), key=lambda row: row[0])
    return [(int(a), int(b or 0), int(c or 0), d, e, f) for a, b, c, d, e, f in rows]


def story_candidates(
    *, story: Story, candidates: Sequence[Candidate] | None = None
) -> list[StoryCandidate]:
    """The candidates in a story (`story_extraction`, unless given), in the order of the
    copy, each with the claim it became or the rejection that turned it down, if any.
    An accepted claim is found by its words (`follow_words`), so it follows its sentence
    when the copy moves, and a candidate whose words changed since it was accepted says
    so (`changed`). Two queries besides the extraction: the story's claims and its
    rejections."""
    found = list(story_extraction(story=story) if candidates is None else candidates)
    keys = {(c.start, c.end) for c in found}
    accepted: dict[tuple[int, int], int] = {}
    anchored: list[StoryWords] = []
    # Claims accepted before figures had offsets of their own name their whole sentence.
    legacy: dict[tuple[int, int], list[tuple[int, int | None]]] = defaultdict(list)
    for pk, start, end, low, words, said in _story_words(story):
        span = (int(start or 0), int(end or 0))
        if words:
            anchored.append(StoryWords(pk, *span, words, said))
        elif span in keys:
            accepted.setdefault(span, pk)
        else:
            legacy[span].append((pk, low))
    bound = _bind(found, story.body, anchored)
    rejections: dict[tuple[int, int], list[CandidateRejection]] = defaultdict(list)
    for r in story.rejections.select_related("rejected_by").order_by("start", "id"):
        rejections[(r.start, r.end)].append(r)
    per_sentence: dict[tuple[int, int], int] = defaultdict(int)
    for c in found:
        per_sentence[(c.sentence_start, c.sentence_end)] += 1
    result = []
    for c in found:
        key, sentence = (c.start, c.end), (c.sentence_start, c.sentence_end)
        if key in bound:
            result.append(bound[key])
            continue
        claim_id = accepted.get(key)
        old = legacy.get(sentence)
        if claim_id is None and old:
            same = [i for i, (_, low) in enumerate(old) if low == c.parsed.value_low]
            if same or per_sentence[sentence] == 1:
                claim_id = old.pop(same[0] if same else 0)[0]
        rejection = next(
            (
                r
                for r in rejections.get(key, []) + rejections.get(sentence, [])
                if rejection_stands(r, c)
            ),
            None,
        )
        result.append(StoryCandidate(c, claim_id, rejection))
    return result


# ---------------------------------------------------------------------------
# The list and its search


def story_search(*, user: Actor, query: str = "", language: str = "") -> QuerySet[Story]:
    """Stories the user may see, newest first, with their claim counts. Each word of
    `query` must appear in the headline or the body (the first ten words count);
    `language` (an ISO 639-1 code) keeps the stories detected in that language."""
    qs = story_list(user=user)
    for word in search_words(query, 10):
        qs = qs.filter(Q(headline__icontains=word) | Q(body__icontains=word))
    if checked(language, name="language"):
        qs = qs.filter(language=language)
    return qs.order_by("-published_at", "-id")
