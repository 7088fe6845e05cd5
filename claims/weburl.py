"""What the desk accepts as a web address: one rule for evidence, sources, stories and reviews.

Django's URLField lets through ftp links and ``user:password@host``; both end
up in published JSON-LD and in the link checker. A link people click or a
publisher embeds is plain http or https, names a host, carries no
credentials, and has no whitespace or control characters (which browsers
strip or fold differently, so a link may not lead where it reads).
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError

WEB_SCHEMES = ("http", "https")


def web_url_problem(url: str) -> str:
    """Why ``url`` is not a plain web address, for people to read; "" when it is one."""
    if not url:
        return "no URL given"
    if any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in url):
        return "a URL may not contain spaces or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port out of range or not a number
    except ValueError as exc:
        return f"invalid URL: {exc}"
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        return f"only http and https links are accepted, not {scheme or 'a link without one'}"
    if "@" in parts.netloc:
        return "a URL may not carry a user name or password"
    if not parts.hostname:
        return "a URL must name a host"
    if port == 0:
        return "invalid URL: port 0"
    if "\\" in url:
        # Browsers read a backslash as a slash; urlsplit does not, so the host
        # they see could differ from the one checked here.
        return "a URL may not contain backslashes"
    return ""


def validate_web_url(value: str) -> None:
    """A field validator (models, forms, serializers) for web_url_problem; blank passes."""
    if value:
        problem = web_url_problem(value)
        if problem:
            raise ValidationError(problem[0].upper() + problem[1:] + ".", code="invalid_url")


def web_url_or_none(url: str) -> str | None:
    """``url`` when it is a plain web address, else None: for output that must not carry others."""
    return url if url and not web_url_problem(url) else None
