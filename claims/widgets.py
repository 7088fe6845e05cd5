"""Form widgets written in Python where Django's widget templates cost too much."""

from __future__ import annotations

from html import escape
from typing import Any

from django import forms
from django.utils.choices import normalize_choices
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    """As django/forms/widgets/attrs.html writes them: False leaves a name out, True
    writes it bare."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class PlainSelect(forms.Select):
    """forms.Select's HTML, written in one pass rather than option by option through
    the template engine: the queue's place and source lists hold a thousand options
    or more, and rendering them as templates took most of the page's time."""

    @property  # type: ignore[override]
    def choices(self) -> Any:
        return self._choices

    @choices.setter
    def choices(self, value: Any) -> None:
        # A list of (value, text) pairs, as the queue's menus keep them, is taken as it
        # is: Django's normalising looks at each of a thousand options for groups and
        # lazy labels on every page.
        if isinstance(value, list) and all(
            type(pair) is tuple and len(pair) == 2 and type(pair[1]) is str for pair in value
        ):
            self._choices = value
        else:
            self._choices = normalize_choices(value)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        choices = list(self.choices)
        if any(isinstance(label, list | tuple) for _, label in choices):
            return super().render(name, value, attrs, renderer)  # option groups
        chosen = set(self.format_value(value))
        final = self.build_attrs(self.attrs, attrs)
        parts = [f'<select name="{escape(name)}"{_attrs(final)}>']
        found = False
        for option, label in choices:
            text = "" if option is None else str(option)
            # Like forms.Select: only the first option with the value is selected.
            selected = not found and text in chosen
            found = found or selected
            mark, words = " selected" if selected else "", escape(str(label))
            parts.append(f'\n  <option value="{escape(text)}"{mark}>{words}</option>\n')
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
