"""`{% language_next %}`: the page the language switcher sends the reader back to."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def language_next(context: dict[str, Any]) -> str:
    """This page with its filters, but without a `next` of its own: a `next` from a crafted
    link is never written into the page (set_language would refuse an outside one, but
    the page should not carry it)."""
    request = context.get("request")
    if request is None:
        return "/"
    query = request.GET.copy()
    query.pop("next", None)
    return f"{request.path}?{query.urlencode()}" if query else str(request.path)
