"""Form validation for the pages: shapes and field messages; the services decide."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.forms.widgets import Input
from django.http import QueryDict
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from claims.draftcheck import DRAFT_MAX_CHARS, validate_draft_text
from claims.models import (
    CLAIM_TEXT_MAX_CHARS,
    MAX_ID,
    STORY_MAX_CHARS,
    Attribution,
    Claim,
    Event,
    Evidence,
    Flag,
    Grade,
    PeriodKind,
    Population,
    Priority,
    Qualifier,
    Source,
    Story,
    claim_text_too_long,
    validate_story_body,
)
from claims.parsing import ParsedClaim
from claims.reading import (
    FIELD_GROUPS,
    FIGURE,
    changed_figure,
    date_problems,
    parsed_fields,
    settle_figure,
)
from claims.services import BULK_MAX
from claims.services.reading import tolerance

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

NO_UPPER_BOUND = "Empty: no upper bound."


def add_date_problems(form: forms.Form, names: tuple[str, ...]) -> None:
    """The date rule (`claims.reading.date_problems`) under each of the form's date
    fields it refuses; the model applies it again, against the stored report date."""
    dates = {name: form.cleaned_data.get(name) for name in names}
    for name, problem in date_problems(dates, today=timezone.localdate()).items():
        form.add_error(name, problem)


def _figure_field(
    label: StrOrPromise, help_text: StrOrPromise = "", widget: Any = None
) -> forms.IntegerField:
    """A figure's bound, or a figure, as typed: optional, not negative."""
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=10**15,
        help_text=help_text,
        widget=widget,
    )


class FlagNoteForm(forms.Form):
    note = forms.CharField(
        max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FlagResolveForm(forms.Form):
    note = forms.CharField(
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why the flag is settled.")},
    )
    figure_low = _figure_field(_("Figure the desk uses (low)"))
    figure_high = _figure_field(
        _("High"), help_text=_("Leave empty for 'at least' the low figure.")
    )
    rule = forms.ChoiceField(
        choices=[("", "—"), *Flag.Rule.choices], required=False, label=_("Chosen by")
    )
    # The flag's claims are offered by the page (`offer_claims`); the service checks
    # that the one chosen is among them.
    upheld_claim = forms.IntegerField(
        label=_("Whose figure stands"),
        required=False,
        min_value=1,
        max_value=MAX_ID,
        widget=forms.Select,
        help_text=_("The claim the desk sides with, if one does: the others lost the conflict."),
    )

    def offer_claims(self, choices: Sequence[tuple[int, str]]) -> None:
        """Offer these claims, as (id, label), under "Whose figure stands"."""
        widget = cast(forms.Select, self.fields["upheld_claim"].widget)
        widget.choices = [("", "none: no one claim stands"), *choices]


# ---------------------------------------------------------------------------
# Stories and the candidate claims found in them


class StoryForm(forms.Form):
    """A story as pasted by an editor: the copy and the date its time words are read against."""

    field_order = [
        "headline",
        "published_on",
        "published_time",
        "status",
        "byline",
        "desk",
        "url",
        "body",
    ]
    headline = forms.CharField(max_length=300)
    published_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_(
            "The day the copy is dated: “today”, “yesterday” and “this month” are read against it."
        ),
    )
    published_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        help_text=_("Optional."),
    )
    byline = forms.CharField(max_length=200, required=False)
    url = forms.URLField(label=_("URL"), max_length=200, required=False, assume_scheme="https")
    desk = forms.CharField(max_length=100, required=False)
    status = forms.ChoiceField(choices=Story.Status.choices, initial=Story.Status.DRAFT)
    body = forms.CharField(
        label=_("Copy"),
        validators=[validate_story_body],
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=f"Paste the story's text, up to {STORY_MAX_CHARS:,} characters.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A browser cuts a paste at `maxlength` without a word: let the server say so.
        self.fields["body"].widget.attrs.pop("maxlength", None)

    @classmethod
    def initial_for(cls, story: Story) -> dict[str, Any]:
        local = timezone.localtime(story.published_at)
        return {
            "headline": story.headline,
            "published_on": local.date(),
            "published_time": local.time().replace(second=0, microsecond=0),
            "byline": story.byline,
            "url": story.url,
            "desk": story.desk,
            "status": story.status,
            "body": story.body,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        add_date_problems(self, ("published_on",))
        return data

    def clean_body(self) -> str:
        # Browsers send line breaks as CRLF; the parser and the offsets work on "\n".
        body: str = self.cleaned_data["body"]
        return body.replace("\r\n", "\n").replace("\r", "\n")

    def story_fields(self) -> dict[str, Any]:
        """The cleaned form as keyword arguments of `story_create` / `story_update`."""
        data = dict(self.cleaned_data)
        day: dt.date = data.pop("published_on")
        time: dt.time = data.pop("published_time") or dt.time(0, 0)
        data["published_at"] = dt.datetime.combine(
            day, time, tzinfo=timezone.get_current_timezone()
        )
        return data


class _PlainInput(Input):
    """An input written in Python, not through the widget templates: the story page
    draws fifty candidate forms, and a widget template costs about a millisecond each."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        w = self.get_context(name, value, attrs)["widget"]
        shown = format_html(' value="{}"', w["value"]) if w["value"] is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', w["type"], w["name"], shown, flatatt(w["attrs"])
        )


class PlainHiddenInput(_PlainInput, forms.HiddenInput):
    pass


class PlainTextInput(_PlainInput, forms.TextInput):
    pass


class PlainNumberInput(_PlainInput, forms.NumberInput):
    pass


class PlainDateInput(_PlainInput, forms.DateInput):
    pass


class PlainSelect(forms.Select):
    """A select written in Python (see `_PlainInput`)."""

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> SafeString:
        w = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (o["value"], mark_safe(" selected") if o["selected"] else "", o["label"])  # noqa: S308
                for _, group, _ in w["optgroups"]
                for o in group
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', w["name"], flatatt(w["attrs"]), options
        )


class CandidateForm(forms.Form):
    """Which candidate, by its offsets in the story's body."""

    start = forms.IntegerField(min_value=0, widget=PlainHiddenInput)
    end = forms.IntegerField(min_value=1, widget=PlainHiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            raise forms.ValidationError("The candidate's end must come after its start.")
        return data

    def key(self) -> tuple[int, int] | None:
        """The (start, end) the form names, if they are numbers, even when it is invalid."""
        try:
            return int(self.data.get("start", "")), int(self.data.get("end", ""))
        except (TypeError, ValueError):
            return None


class CandidateRejectForm(CandidateForm):
    note = forms.CharField(
        label=_("Reason (optional)"),
        max_length=2000,
        required=False,
        widget=PlainTextInput(attrs={"placeholder": "e.g. background, not a claim"}),
    )


class SpanListField(forms.Field):
    """Candidates by their offsets, as the story page names them: "start-end", many times."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": "A candidate is named by its offsets, as 12-40.",
        "too_many": f"Answer at most {BULK_MAX} candidates at a time.",
    }

    def to_python(self, value: Any) -> list[tuple[int, int]]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > BULK_MAX:
            raise forms.ValidationError(self.error_messages["too_many"], code="too_many")
        spans = []
        for item in values:
            start, sep, end = str(item).partition("-")
            if not (sep and start.isdigit() and end.isdigit() and int(start) < int(end)):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            span = (int(start), int(end))
            if span not in spans:
                spans.append(span)
        return spans


class CandidateBulkForm(forms.Form):
    """Several candidates answered at once: the ones ticked (`keys`), or every open one
    on a page of the story (the `-page` actions, which ask to be confirmed first)."""

    ACTIONS = [
        ("accept", "Accept the ticked candidates"),
        ("reject", "Reject the ticked candidates"),
        ("accept-page", "Accept every open candidate on this page"),
        ("reject-page", "Reject every open candidate on this page"),
    ]

    action = forms.ChoiceField(choices=ACTIONS)
    keys = SpanListField(required=False)
    note = forms.CharField(label=_("Reason (optional)"), max_length=2000, required=False)
    confirm = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        selected = data.get("action") in ("accept", "reject")
        if selected and not data.get("keys") and "keys" not in self.errors:
            self.add_error("keys", "Tick the candidates to answer first.")
        return data

    @property
    def verb(self) -> str:
        return str(self.cleaned_data["action"]).split("-")[0]

    @property
    def whole_page(self) -> bool:
        return str(self.cleaned_data["action"]).endswith("-page")


def _optional(choices: Any) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


class CandidateEditForm(CandidateForm):
    """The parser's reading of a candidate, for the editor to correct before accepting it."""

    value_low = _figure_field("Low", widget=PlainNumberInput)
    value_high = _figure_field("High", help_text=NO_UPPER_BOUND, widget=PlainNumberInput)
    qualifier = forms.ChoiceField(
        choices=_optional(Qualifier.choices), required=False, widget=PlainSelect
    )
    event = forms.ChoiceField(choices=_optional(Event.choices), required=False, widget=PlainSelect)
    population = forms.ChoiceField(
        choices=Population.choices, initial=Population.ALL, widget=PlainSelect
    )
    place_name = forms.CharField(
        label=_("Place"), max_length=200, required=False, widget=PlainTextInput
    )
    place_country = forms.CharField(
        label=_("Country"),
        max_length=2,
        required=False,
        help_text=_("ISO code, e.g. SY."),
        widget=PlainTextInput,
    )
    period_start = forms.DateField(
        label=_("From"),
        required=False,
        widget=PlainDateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    period_end = forms.DateField(
        label=_("To"),
        required=False,
        widget=PlainDateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    period_kind = forms.ChoiceField(
        label=_("Kind"), choices=_optional(PeriodKind.choices), required=False, widget=PlainSelect
    )
    sources = forms.CharField(
        max_length=1000,
        required=False,
        help_text=_("Names or aliases from the register, separated by commas."),
        widget=PlainTextInput,
    )

    def clean_place_country(self) -> str:
        return str(self.cleaned_data.get("place_country") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("value_low"), data.get("value_high")
        if low is not None and high is not None and high < low:
            self.add_error("value_high", "The high value must not be below the low value.")
        add_date_problems(self, ("period_start", "period_end"))
        return data

    def source_names(self) -> list[str]:
        return [n.strip() for n in self.cleaned_data.get("sources", "").split(",") if n.strip()]

    @staticmethod
    def initial_for(parsed: ParsedClaim) -> dict[str, Any]:
        """A candidate's reading as the form's values."""
        read = parsed_fields(parsed)
        names = (*FIGURE, "event", "population", "period_start", "period_end", "period_kind")
        initial = {name: read.fields[name] for name in names if name in read.fields}
        if read.place is not None:
            initial.update(place_name=read.place.name, place_country=read.place.country)
        if read.source_name:
            initial["sources"] = read.source_name
        return initial

    def changes(self) -> dict[str, Any]:
        """The corrected quantity and period, as `candidate_accept` changes (the place
        and sources go to the service as names, which it resolves)."""
        data = self.cleaned_data
        changes = {
            name: data[name]
            for name in ("value_low", "value_high", "qualifier", "event", "population")
        }
        changes.update(
            period_start=data["period_start"],
            period_end=data["period_end"],
            period_kind=data["period_kind"],
        )
        if data["value_low"] is None:
            changes["unit"] = ""  # a statement without a figure counts nothing
        return changes


# ---------------------------------------------------------------------------
# Claim entry and editing, and the claim page's actions


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _blank_first(choices: Any) -> list[tuple[str, str]]:
    return [("", "—"), *choices]


def _pick_key(item: Any) -> tuple[int, int] | None:
    """A source checkbox's value: "<id>", or "<id>.<n>" for the n-th role of the same
    source on one claim."""
    pk, _, nth = str(item).strip().partition(".")
    if not pk.isdigit() or not (nth == "" or nth.isdigit()):
        return None
    return int(pk), int(nth or 0)


class SourceIdsField(forms.Field):
    """The ids of the sources picked for a claim (the template draws their checkboxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        ids: list[int] = []
        for item in value or ():
            key = _pick_key(item)
            if key is None:
                raise forms.ValidationError("Pick sources from the register.")
            if key[0] not in ids:
                ids.append(key[0])
        return ids


class ClaimForm(forms.Form):
    """A claim as an editor writes and corrects it: the words, and every field of
    their reading. Place and sources are resolved by the services, inside the write."""

    # No maxlength on the box: a browser would cut a long paste mid-word without a word.
    # The page says so under the box (static/js/claim_form.js) and saving refuses it.
    text = forms.CharField(
        label=_("The claim, as the copy has it"),
        widget=forms.Textarea(
            attrs={"rows": 3, "spellcheck": "true", "data-max-chars": CLAIM_TEXT_MAX_CHARS}
        ),
        error_messages={"required": "Type the claim as it stands in the copy."},
    )
    reported_on = forms.DateField(
        label=_("Reported on"),
        widget=_date_widget(),
        help_text=_("“Today”, “yesterday” and “this month” are read against this date."),
    )
    value_low = _figure_field("Low")
    value_high = _figure_field("High", help_text=NO_UPPER_BOUND)
    qualifier = forms.ChoiceField(
        label=_("Qualifier"), choices=_blank_first(Qualifier.choices), required=False
    )
    event = forms.ChoiceField(label=_("Event"), choices=_blank_first(Event.choices), required=False)
    population = forms.ChoiceField(
        label=_("Who"), choices=Population.choices, initial=Population.ALL, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    place_name = forms.CharField(label=_("Place"), max_length=200, required=False)
    place_country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("ISO code, e.g. SY.")
    )
    period_start = forms.DateField(label=_("From"), required=False, widget=_date_widget())
    period_end = forms.DateField(label=_("To"), required=False, widget=_date_widget())
    period_kind = forms.ChoiceField(
        label=_("Kind of period"), choices=_blank_first(PeriodKind.choices), required=False
    )
    time_expression = forms.CharField(
        label=_("Time words"), max_length=200, required=False, help_text=_("As the copy says it.")
    )
    sources = SourceIdsField(required=False)
    source_text = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)

    # How the reading's fields are laid out, group by group.
    GROUPS = (
        ("figure", "Figure", ("value_low", "value_high", "qualifier")),
        ("measure", "What was counted", ("event", "population", "unit")),
        ("place", "Place", ("place_name", "place_country")),
        ("period", "Time frame", ("period_start", "period_end", "period_kind", "time_expression")),
    )
    # The form's fields stored on the claim as they are, under the same name (the place
    # and the sources are named here and resolved by the services).
    DIRECT_FIELDS = (
        "text",
        "reported_on",
        "value_low",
        "value_high",
        "qualifier",
        "unit",
        "event",
        "population",
        "period_start",
        "period_end",
        "period_kind",
        "time_expression",
        "source_text",
    )

    def groups(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [(key, title, [self[name] for name in names]) for key, title, names in self.GROUPS]

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if len(text) > CLAIM_TEXT_MAX_CHARS:
            raise forms.ValidationError(claim_text_too_long(len(text)))
        return " ".join(text.split())

    def clean_place_country(self) -> str:
        return str(self.cleaned_data.get("place_country") or "").strip().upper()

    def clean_population(self) -> str:
        return str(self.cleaned_data.get("population") or Population.ALL)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("place_country") and not data.get("place_name"):
            self.add_error("place_name", "Name the place, or clear its country.")
        add_date_problems(self, ("reported_on", "period_start", "period_end"))
        return data

    def claim_fields(self) -> dict[str, Any]:
        """The cleaned form as claim fields, without the place and the sources; a figure
        the editor changed from the last reading's is settled over it (a new qualifier
        re-derives the interval)."""
        fields = {name: self.cleaned_data[name] for name in self.DIRECT_FIELDS}
        machine = machine_values(self.data)
        before = {name: _figure_value(name, machine[name]) for name in FIGURE}
        changed = changed_figure(fields, before)
        if changed:
            fields.update(settle_figure(changed, before, tolerance()))
        return fields

    @staticmethod
    def initial_for(claim: Any) -> dict[str, Any]:
        """A stored claim as the form's values (for editing, and for showing theirs
        next to yours when someone saved first)."""
        values: dict[str, Any] = {name: getattr(claim, name) for name in ClaimForm.DIRECT_FIELDS}
        for name, value in values.items():
            if value is None:
                values[name] = ""
            elif isinstance(value, dt.date):
                values[name] = value.isoformat()
            else:
                values[name] = str(value)
        place = claim.place
        values["place_name"] = place.name if place else ""
        values["place_country"] = place.country if place else ""
        values["version"] = str(claim.version)
        return values


class ClaimCreateForm(ClaimForm):
    story = forms.ModelChoiceField(
        label=_("Story"),
        queryset=Story.objects.none(),
        required=False,
        empty_label=_("— none —"),
        help_text=_("Optional: the story the claim appears in."),
    )

    field_order = ["text", "reported_on", "story"]

    def __init__(self, *args: Any, stories: QuerySet[Story], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["story"])
        field.queryset = stories
        # Any story the user sees is valid; the menu offers the latest ones and the
        # one already chosen, so a long archive does not make a long menu.
        chosen = str(self.data.get("story") or self.initial.get("story") or "")
        latest = list(stories.order_by("-published_at", "-id")[:STORY_MENU_LENGTH])
        if chosen.isdigit() and all(s.pk != int(chosen) for s in latest):
            latest += list(stories.filter(pk=int(chosen)))
        field.choices = [("", "— none —"), *((s.pk, s.headline[:90]) for s in latest)]


STORY_MENU_LENGTH = 30


class ClaimEditForm(ClaimForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    note = forms.CharField(
        label=_("Why the change (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@dataclass(frozen=True)
class SourcePick:
    """A source picked in a claim form, with the copy's words for it and its role."""

    source_id: int
    words: str = ""
    role: str = Attribution.Role.ATTRIBUTED_TO


def source_picks(data: QueryDict) -> list[SourcePick]:
    """The sources a claim form carries: a `sources` checkbox per attribution, with
    `words_<id>` and `role_<id>` beside it. A source in two roles has two rows: its
    `words_<id>` and `role_<id>` are lists in row order, and the n-th row's box says
    `<id>.<n>`. Ticks that are not ids are dropped here and refused by `SourceIdsField`
    on save."""
    picks: list[SourcePick] = []
    seen: set[tuple[int, str]] = set()
    for item in data.getlist("sources"):
        key = _pick_key(item)
        if key is None:
            continue
        pk, nth = key
        roles = data.getlist(f"role_{pk}")
        words = data.getlist(f"words_{pk}")
        role = roles[nth] if nth < len(roles) else ""
        role = role if role in Attribution.Role.values else Attribution.Role.ATTRIBUTED_TO
        if (pk, role) in seen:
            continue
        seen.add((pk, role))
        said = words[nth] if nth < len(words) else ""
        picks.append(SourcePick(source_id=pk, words=" ".join(str(said).split())[:200], role=role))
    return picks


def pick_values(picks: list[SourcePick]) -> list[str]:
    """Each pick's checkbox value: its source's id, with the row's place among that
    source's rows after the first."""
    counts: dict[int, int] = {}
    values = []
    for pick in picks:
        nth = counts.get(pick.source_id, 0)
        counts[pick.source_id] = nth + 1
        values.append(str(pick.source_id) if nth == 0 else f"{pick.source_id}.{nth}")
    return values


def set_source_picks(data: QueryDict, picks: list[SourcePick]) -> None:
    data.setlist("sources", pick_values(picks))
    for pk in {p.source_id for p in picks}:
        rows = [p for p in picks if p.source_id == pk]
        data.setlist(f"words_{pk}", [p.words for p in rows])
        data.setlist(f"role_{pk}", [p.role for p in rows])


# ---------------------------------------------------------------------------
# The live reading: what the parser fills in, and what it must leave alone

# The reading fills the form group by group. A group the editor changed by hand
# is theirs, and later readings leave all of it alone: the groups of the one rule,
# `claims.reading.FIELD_GROUPS`, in the form's field names.
_FORM_NAMES = {"place": ("place_name", "place_country")}
READING_GROUPS: dict[str, tuple[str, ...]] = {
    group: tuple(n for name in names for n in _FORM_NAMES.get(name, (name,)))
    for group, names in FIELD_GROUPS.items()
    if group != "projection"  # the form has no field for it: the reading decides
}
READING_BLANK: dict[str, Any] = {
    **{name: "" for names in READING_GROUPS.values() for name in names},
    "population": Population.ALL,
    "sources": [],
}


def reading_values(parsed: ParsedClaim | None) -> dict[str, Any]:
    """A parser's reading as the form's values; `words` maps a source id to the
    copy's words for it."""
    values = dict(READING_BLANK, words={})
    read = parsed_fields(parsed)
    for name, value in read.fields.items():
        if name in values:
            values[name] = _form_value(value)
    if read.place is not None:
        values.update(place_name=read.place.name, place_country=read.place.country)
    if read.source_id is not None:
        values["sources"] = [str(read.source_id)]
        values["words"] = read.words
    return values


def _form_value(value: Any) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _figure_value(name: str, value: Any) -> Any:
    """A figure field as the machine record holds it ("270", "") as a claim's value."""
    if name == "qualifier":
        return str(value or "")
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def machine_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """What the last reading put into the form (the hidden `machine` field), with
    the text and date it read."""
    try:
        loaded = json.loads(data.get("machine") or "{}")
    except ValueError:
        loaded = {}
    if not isinstance(loaded, dict):
        loaded = {}
    values = {name: loaded.get(name, blank) for name, blank in READING_BLANK.items()}
    values["sources"] = sorted(str(s) for s in values["sources"] or [])
    values["text"] = str(loaded.get("text", ""))
    values["reported_on"] = str(loaded.get("reported_on", ""))
    return values


def machine_json(values: dict[str, Any], *, text: str = "", reported_on: str = "") -> str:
    kept = {name: values[name] for name in READING_BLANK}
    kept["sources"] = sorted(kept["sources"])
    return json.dumps({**kept, "text": text, "reported_on": reported_on}, sort_keys=True)


def _posted(data: QueryDict, name: str) -> Any:
    if name == "sources":
        return sorted(str(p.source_id) for p in source_picks(data))
    return str(data.get(name) or "").strip()


def _sent(data: QueryDict, name: str) -> bool:
    # Unticking every source sends no `sources` at all; the hidden `source_text`
    # beside the boxes tells that apart from a form without a sources block.
    return (name == "sources" and "source_text" in data) or name in data


def editors_groups(data: QueryDict) -> set[str]:
    """The reading groups the editor changed by hand: the ones whose values differ
    from what the last reading put in (a field the form did not send is unchanged)."""
    machine = machine_values(data)
    return {
        group
        for group, names in READING_GROUPS.items()
        if any(_sent(data, name) and _posted(data, name) != machine[name] for name in names)
    }


def reading_is_current(data: QueryDict, text: str, reported_on: dt.date) -> bool:
    machine = machine_values(data)
    return machine["text"] == text and machine["reported_on"] == reported_on.isoformat()


def merge_reading(
    data: QueryDict, parsed: ParsedClaim, *, text: str, reported_on: dt.date
) -> tuple[QueryDict, set[str]]:
    """The form's values after a reading, and the groups kept as the editor's.

    Every group the editor has not changed by hand takes the reading's values; the
    others keep what the editor typed. Whether they changed a group is told by the
    hidden `machine` field, which holds what the last reading put in: no script has
    to track keystrokes, the "Read the text" button works the same without
    JavaScript, and a field the editor cleared stays clear.
    """
    kept = editors_groups(data)
    values = reading_values(parsed)
    state = data.copy()
    for group, names in READING_GROUPS.items():
        if group in kept:
            continue
        for name in names:
            if name == "sources":
                words = values["words"]
                picks = [SourcePick(int(pk), words.get(pk, "")) for pk in values["sources"]]
                set_source_picks(state, picks)
            else:
                state[name] = values[name]
    state["machine"] = machine_json(values, text=text, reported_on=reported_on.isoformat())
    return state, kept


# ---------------------------------------------------------------------------
# The claim page's forms


class NewSourceForm(forms.Form):
    """An admin adds the copy's words for a source to the register (prefix `new_source`)."""

    name = forms.CharField(label=_("Name in the register"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Source.Kind.choices)
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, initial=Grade.F)


class ClaimAssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Fact-checker"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— nobody —"),
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=2000, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, checkers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["assignee"])
        field.queryset = checkers


class EvidenceForm(forms.Form):
    url = forms.URLField(label=_("Link"), max_length=1000, assume_scheme="https")
    stance = forms.ChoiceField(
        label=_("It"),
        choices=Evidence.Stance.choices,
        initial=Evidence.Stance.SUPPORTS,
        widget=forms.RadioSelect,
    )
    excerpt = forms.CharField(
        label=_("Excerpt (optional)"),
        max_length=10_000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The words on the page that bear on the claim."),
    )


class EvidenceRemoveForm(forms.Form):
    note = forms.CharField(
        label=_("Why remove it"),
        max_length=2000,
        error_messages={"required": "Say why this evidence goes."},
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write something first."},
    )


class BulkClaimForm(forms.Form):
    """A queue's bulk action: the ticked claims, and who gets them or their priority."""

    ASSIGN, PRIORITY = "assign", "priority"

    action = forms.ChoiceField(choices=[(ASSIGN, "Assign"), (PRIORITY, "Set priority")])
    claims = forms.ModelMultipleChoiceField(
        queryset=Claim.objects.none(),
        error_messages={"required": "Tick at least one claim."},
    )
    assignee = forms.ModelChoiceField(
        queryset=Claim.objects.none(),  # the fact-checkers, set by the view
        required=False,
        label=_("Assign to"),
        empty_label=_("choose a fact-checker"),
    )
    priority = forms.TypedChoiceField(
        choices=[("", _("choose a priority")), *Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Set priority to"),
    )

    def __init__(self, *args: Any, claims: Any, checkers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["claims"].queryset = claims  # type: ignore[attr-defined]
        self.fields["assignee"].queryset = checkers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == self.ASSIGN and data.get("assignee") is None:
            self.add_error("assignee", "Choose the fact-checker who gets the claims.")
        if data.get("action") == self.PRIORITY and data.get("priority") is None:
            self.add_error("priority", "Choose a priority.")
        return data


class DraftCheckForm(forms.Form):
    """Draft copy to check against the desk before it is published."""

    text = forms.CharField(
        label=_("Draft copy"),
        validators=[validate_draft_text],
        help_text=f"Up to {DRAFT_MAX_CHARS:,} characters.",
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"required": "Paste the draft to check."},
    )
    reported_on = forms.DateField(
        label=_("Date of the copy"),
        help_text=_("The date that “today”, “yesterday” and “this month” are read against."),
        # A date input takes ISO dates, whatever the locale writes.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the date as YYYY-MM-DD."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        add_date_problems(self, ("reported_on",))
        return data


# ---------------------------------------------------------------------------
# Incidents


class IncidentForm(forms.Form):
    """An incident as an editor names it; the place is resolved by the service."""

    label = forms.CharField(
        label=_("Label"),
        max_length=200,
        help_text=_("e.g. “Market bombing, Idlib, 8 Mar 2024”."),
        error_messages={"required": "Name the incident."},
    )
    kind = forms.CharField(
        label=_("Kind"), max_length=40, required=False, help_text=_("bombing, strike, quake, fire…")
    )
    place_name = forms.CharField(label=_("Place"), max_length=200, required=False)
    place_country = forms.CharField(
        label=_("Country"), max_length=2, required=False, help_text=_("ISO code, e.g. SY.")
    )
    day = forms.DateField(
        label=_("Day it happened"),
        required=False,
        widget=_date_widget(),
        error_messages={"invalid": "Give the date as YYYY-MM-DD."},
    )
    note = forms.CharField(label=_("Why (optional)"), max_length=2000, required=False)

    def clean_place_country(self) -> str:
        return str(self.cleaned_data.get("place_country") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("place_country") and not data.get("place_name"):
            self.add_error("place_name", "Name the place, or clear its country.")
        return data


class IncidentLinkForm(forms.Form):
    claim = forms.IntegerField(
        label=_("Claim number"),
        min_value=1,
        error_messages={"required": _("Give the number of the claim to link.")},
    )
    note = forms.CharField(label=_("Why"), max_length=2000, required=False)


class IncidentMergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Merge into incident number"),
        min_value=1,
        error_messages={"required": _("Give the number of the incident that keeps the claims.")},
    )
    note = forms.CharField(label=_("Why"), max_length=2000, required=False)


class IncidentSplitForm(forms.Form):
    claims = forms.TypedMultipleChoiceField(
        label=_("Claims to move"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick the claims to move.")},
    )
    label = forms.CharField(
        label=_("Label of the new incident"),
        max_length=200,
        error_messages={"required": "Name the new incident."},
    )
    note = forms.CharField(label=_("Why"), max_length=2000, required=False)

    def __init__(self, *args: Any, claim_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.TypedMultipleChoiceField, self.fields["claims"])
        field.choices = [(pk, f"#{pk}") for pk in claim_ids]


class IncidentSuggestionForm(forms.Form):
    note = forms.CharField(
        label=_("Why"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why."},
    )
