"""`{{ code|language_name }}` in templates, worded by `claims.language.name`."""

from __future__ import annotations

from django import template

from claims import language

register = template.Library()


@register.filter
def language_name(code: str) -> str:
    return language.name(code or "")


@register.filter
def unread_message(code: str) -> str:
    """The desk's "this looks like French" note, or "" for copy it reads."""
    return language.unread_message(code or "") or ""
