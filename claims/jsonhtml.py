"""JSON that may be pasted into HTML: the one place JSON is written for a page.

A publisher embeds ClaimReview JSON-LD in ``<script type="application/ld+json">``,
where the HTML parser, not JSON, decides where the script ends: a claim that
quotes ``</script>`` or ``<!--`` would end it or hide the rest of the page, and
run whatever follows. JSON may spell any character as ``\\uXXXX``, so ``<``,
``>`` and ``&`` are written that way and the text still parses back to the same
strings. U+2028 and U+2029 are escaped too: older JavaScript parsers end a line
at them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import JSONRenderer

_HTML_UNSAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def escape_json_for_html(text: str) -> str:
    """Make serialised JSON safe inside a script element; the JSON value is unchanged.

    Only valid on JSON text: each of these characters can appear there only inside
    a string, where the escape means the same character.
    """
    return text.translate(_HTML_UNSAFE)


def dumps_for_html(value: Any, **kwargs: Any) -> str:
    """``json.dumps`` whose output can go into HTML as it is."""
    return escape_json_for_html(json.dumps(value, **kwargs))


class HtmlSafeJSONRenderer(JSONRenderer):
    """DRF's JSON, escaped for HTML: for answers meant to be embedded in a page."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        rendered = super().render(data, accepted_media_type, renderer_context)
        return escape_json_for_html(rendered.decode()).encode()


class JsonLdRenderer(HtmlSafeJSONRenderer):
    """The same, for clients that ask for JSON-LD by name."""

    media_type = "application/ld+json"
    format = "jsonld"
