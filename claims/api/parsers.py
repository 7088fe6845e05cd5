"""The API's JSON parser: DRF's, refusing bodies nested deeper than any request means.

Python's json module recurses once per level, so a body of a few kilobytes of "["
exhausts the interpreter's stack (RecursionError, which DRF does not catch: a 500).
The deepest body the API takes is three levels (a bulk answer's list of candidates);
the depth is counted before the body is read, in one pass that skips strings.
"""

from __future__ import annotations

import io
import re
from array import array
from collections.abc import Mapping
from itertools import accumulate
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

from claims.text import surrogate_problem

# Far above what any endpoint takes, far below what the json module survives.
MAX_DEPTH = 32

# A JSON string with its escapes. One left open runs to the end of the body, so no
# quote is scanned twice (json refuses the body after).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\Z)', re.DOTALL)
# Brackets as steps of +1 and -1 (signed bytes); every other byte dropped.
_STEPS = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[{]}")


def nesting_depth(body: bytes) -> int:
    """How deep `body`'s arrays and objects nest; brackets inside strings do not count.
    Linear and in C throughout, so a large body costs little more than reading it."""
    steps = _STRING.sub(b"", body).translate(_STEPS, _NOT_BRACKETS)
    return max(accumulate(array("b", steps)), default=0)


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a 400 for a body nested more than MAX_DEPTH deep."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        body = stream.read()
        if nesting_depth(body) > MAX_DEPTH:
            raise ParseError(
                f"JSON parse error - the body is nested more than {MAX_DEPTH} levels deep."
            )
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as exc:  # a stack already deep when the body came in
            raise ParseError("JSON parse error - the body is nested too deep.") from exc
        refuse_lone_surrogates(data)
        return data


def refuse_lone_surrogates(data: Any) -> None:
    """A 400 naming each top-level field whose value (or key) holds a lone surrogate.

    Only a JSON escape ("\\ud800") can carry one, no database can store it, and an
    answer that echoes it ("is not a valid choice") cannot be encoded either: refused
    here, once, wherever in the body it is, rather than by every field that might
    meet it. Text fields refuse them too, with the same message."""
    errors: dict[str, list[str]] = {}
    stack: list[tuple[str, Any]] = (
        [(str(k), (k, v)) for k, v in data.items()] if isinstance(data, dict) else [("", data)]
    )
    while stack:
        field, value = stack.pop()
        if isinstance(value, str):
            problem = surrogate_problem(value)
            if problem and field not in errors:
                errors[field] = [problem]
        elif isinstance(value, dict):
            stack.extend((field, item) for pair in value.items() for item in pair)
        elif isinstance(value, list | tuple):
            stack.extend((field, item) for item in value)
    if "" in errors:
        raise ParseError(f"JSON parse error - {errors[''][0]}")
    if errors:
        # A field named by a lone surrogate is named by its escape.
        raise ValidationError(
            {k.encode("utf-8", "backslashreplace").decode(): v for k, v in errors.items()}
        )
