"""Claims and flags as CSV: the columns, the rows streamed out, and the rows read back in.

Spreadsheets are where a desk's data comes from and goes to. The columns are stable (a
newsroom's macros and pivot tables name them), and a file the desk writes reads back in
with the same columns. Nothing here touches the database: the selectors give the rows and
`claims.services.imports` writes what is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from claims.models import Claim, Flag
from claims.parsing.gazetteer import country_entry

CLAIM_COLUMNS = (
    "id",
    "text",
    "value_low",
    "value_high",
    "qualifier",
    "unit",
    "event",
    "population",
    "place",
    "country",
    "period_start",
    "period_end",
    "period_kind",
    "sources",
    "status",
    "verdict",
    "assignee",
    "reported_on",
    "story",
    "url",
)
FLAG_COLUMNS = (
    "id",
    "kind",
    "severity",
    "status",
    "claims",
    "message",
    "first_seen",
    "last_seen",
    "resolved_at",
    "resolved_by",
    "resolution_note",
    "url",
)
# What the desk decides or assigns is its own record: an import logs new claims, so these
# columns are read by nobody (a file cannot forge a decision).
EXPORT_ONLY = frozenset(("id", "status", "verdict", "assignee", "url"))
SOURCE_SEPARATOR = ";"

# A cell a spreadsheet would run as a formula ("=HYPERLINK(...)"): written with a leading
# apostrophe, which spreadsheets show as text, and which the reader takes off again.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _uncell(text: str) -> str:
    if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS):
        return text[1:]
    return text


class _Echo:
    """A file that hands back what is written to it: csv.writer formats one row at a time
    and the response streams it, so no export is ever held whole in memory."""

    def write(self, value: str) -> str:
        return value


def stream(columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The header and each row as CSV text, one line at a time."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so that spreadsheets read the file as UTF-8
    yield writer.writerow(list(columns))
    for row in rows:
        yield writer.writerow([_cell(v) for v in row])


def claim_row(claim: Claim, url: Callable[[str], str]) -> list[Any]:
    """A claim in CLAIM_COLUMNS order; `url` makes a path absolute. The claim comes with
    its place, verdict, assignee and attributions (selectors.claim_export)."""
    place = claim.place
    sources = SOURCE_SEPARATOR.join(a.source.name for a in claim.attributions.all())
    return [
        claim.pk,
        claim.text,
        claim.value_low,
        claim.value_high,
        claim.qualifier,
        claim.unit,
        claim.event,
        claim.population,
        place.name if place else "",
        claim.country,
        claim.period_start,
        claim.period_end,
        claim.period_kind,
        sources,
        claim.status,
        claim.verdict.label if claim.verdict else "",
        claim.assignee.get_username() if claim.assignee else "",
        claim.reported_on,
        claim.story_id,
        url(claim.get_absolute_url()),
    ]


def flag_row(flag: Flag, url: Callable[[str], str]) -> list[Any]:
    """A flag in FLAG_COLUMNS order, with its claims' ids separated like sources."""
    return [
        flag.pk,
        flag.kind,
        flag.get_severity_display().lower(),
        flag.status,
        SOURCE_SEPARATOR.join(str(pk) for pk in sorted(c.pk for c in flag.claims.all())),
        flag.message,
        flag.first_seen,
        flag.last_seen,
        flag.resolved_at,
        flag.resolved_by.get_username() if flag.resolved_by else "",
        flag.resolution_note,
        url(reverse("flag_detail", args=[flag.pk])),
    ]


# ---------------------------------------------------------------------------
# Reading a file


class UnreadableFile(ValueError):
    """A file that is not CSV the desk can read; the message says why."""


@dataclass
class ReadRow:
    """One row of a file: its number as a spreadsheet shows it (the header is row 1), and
    the fields as the API's claim input takes them. A blank cell is left out, so the text
    gives it."""

    number: int
    data: dict[str, Any] = field(default_factory=dict)


def read_claims(content: bytes, *, max_rows: int) -> tuple[list[ReadRow], list[str]]:
    """The rows of an uploaded file, and the columns it has that the desk does not read.

    Raises UnreadableFile for what no row can be read from: not UTF-8, no `text` column,
    more than `max_rows` rows."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            gettext("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from exc
    if "\x00" in text:
        raise UnreadableFile(gettext("The file holds binary data, not CSV text."))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip() for name in reader.fieldnames or ()]
    if "text" not in header:
        raise UnreadableFile(
            gettext("The file has no “text” column: the first row must name columns.")
        )
    reader.fieldnames = header
    readable = set(CLAIM_COLUMNS) - EXPORT_ONLY
    ignored = [name for name in header if name and name not in readable]
    rows: list[ReadRow] = []
    try:
        for raw in reader:
            if len(rows) >= max_rows:
                raise UnreadableFile(
                    gettext("The file has more than %(rows)s rows: split it and upload each part.")
                    % {"rows": f"{max_rows:,}"}
                )
            # DictReader files the cells of a row longer than the header under None.
            cells = {k: _uncell((v or "").strip()) for k, v in raw.items() if k in readable}
            if not any(cells.values()):
                continue  # a blank line
            rows.append(ReadRow(reader.line_num, _claim_input(cells)))
    except csv.Error as exc:
        raise UnreadableFile(
            gettext("Line %(line)s is not valid CSV: %(error)s.")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    return rows, ignored


def _claim_input(cells: dict[str, str]) -> dict[str, Any]:
    """A row's cells as the claim serializer's input: blank cells left out, the place from
    its name and country, sources split at the separator."""
    data: dict[str, Any] = {k: v for k, v in cells.items() if v and k not in ("place", "country")}
    place, country = cells.get("place", ""), cells.get("country", "")
    if place or country:
        if not place:
            # A country alone places the claim in that country.
            entry = country_entry(country.upper())
            place = entry.name if entry is not None else country
        data["place"] = {"name": place, "country": country}
    if "sources" in data:
        data["sources"] = [s.strip() for s in data["sources"].split(SOURCE_SEPARATOR) if s.strip()]
    return data


def csv_response(filename: str, columns: Iterable[str], rows: Iterable[Iterable[Any]]) -> Any:
    """A download that streams: the rows are formatted as the client reads them."""
    from django.http import StreamingHttpResponse

    response = StreamingHttpResponse(stream(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
