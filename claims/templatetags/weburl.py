"""`{{ url|web_url }}`: a stored link as an href only when it is a plain web address.

Every write refuses other links (`claims.weburl`), but rows older than that rule may
still hold a `javascript:` or `data:` one, which escaping does not disarm: it would
run on a click. Such a link becomes an empty href, and its text is shown as it is.
"""

from __future__ import annotations

from django import template

from claims.weburl import web_url_or_none

register = template.Library()


@register.filter
def web_url(url: str | None) -> str:
    return web_url_or_none(url or "") or ""
