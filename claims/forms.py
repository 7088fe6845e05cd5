"""Form validation for the pages: shapes and field messages; the services decide."""

from __future__ import annotations

from django import forms

from claims.models import Flag, Severity

UNRESOLVED = "unresolved"


class FlagNoteForm(forms.Form):
    note = forms.CharField(
        max_length=10_000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FlagResolveForm(forms.Form):
    note = forms.CharField(
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the flag is settled."},
    )
    figure_low = forms.IntegerField(
        required=False, min_value=0, max_value=10**15, label="Figure the desk uses (low)"
    )
    figure_high = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10**15,
        label="High",
        help_text="Leave empty for 'at least' the low figure.",
    )
    rule = forms.ChoiceField(
        choices=[("", "—"), *Flag.Rule.choices], required=False, label="Chosen by"
    )


class FlagFilterForm(forms.Form):
    """The flag queue's filters; they live in the URL so a queue can be shared."""

    status = forms.ChoiceField(
        choices=[(UNRESOLVED, "open or acknowledged"), *Flag.Status.choices, ("", "any")],
        required=False,
    )
    kind = forms.ChoiceField(choices=[("", "any kind"), *Flag.Kind.choices], required=False)
    severity = forms.TypedChoiceField(
        choices=[("", "any severity"), *Severity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
