"""The readable text of a captured page, for the evidence snapshot shown on the desk.

The standard library's HTML parser is enough: the text is for people to read beside
the live link, not a rendering of the page, and a tolerant parser of our own choosing
never runs what the page holds. Scripts, styles and templates are left out; blocks
become lines.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# The most text kept from one page: a long report, not a whole site's archive.
MAX_TEXT_CHARS = 200_000

_SKIPPED = frozenset(("script", "style", "noscript", "template", "svg"))
_BLOCKS = frozenset(
    (
        *("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"),
        *("tr", "table", "section", "article", "header", "footer", "blockquote", "pre"),
        *("figure", "figcaption", "dd", "dt", "title"),
    )
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.size = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping and self.size < MAX_TEXT_CHARS:
            self.parts.append(data)
            self.size += len(data)


def _charset(body: bytes, content_type: str) -> str:
    declared = re.search(r"charset\s*=\s*([A-Za-z0-9_\-]+)", content_type, re.IGNORECASE)
    if declared:
        return declared.group(1)
    meta = _CHARSET.search(body[:4096])
    return meta.group(1).decode("ascii") if meta else "utf-8"


def decode(body: bytes, content_type: str) -> str:
    """The page as text in the charset it declares (UTF-8 when it declares none)."""
    try:
        return body.decode(_charset(body, content_type), errors="replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", errors="replace")


def page_text(body: bytes, content_type: str) -> str:
    """The words of an HTML or plain-text page, a line per block; "" for anything else
    (a PDF, an image), whose snapshot is the file alone."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "text/plain":
        text = decode(body, content_type)
    elif kind in ("text/html", "application/xhtml+xml", ""):
        parser = _Text()
        parser.feed(decode(body, content_type))
        parser.close()
        text = "".join(parser.parts)
    else:
        return ""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_TEXT_CHARS]
