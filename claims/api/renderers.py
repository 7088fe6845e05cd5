"""`?format=csv` on the claim and flag lists.

The lists stream their CSV themselves (claims.csvio); this renderer lets DRF's content
negotiation accept the format, and writes what else a CSV request may answer, a refusal,
as CSV too: one row per field message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework.renderers import BaseRenderer

from claims import csvio


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        rows: list[list[Any]] = []
        if isinstance(data, dict):
            for name, messages in data.items():
                for message in messages if isinstance(messages, list) else [messages]:
                    rows.append([name, message])
        elif data is not None:
            rows.append(["detail", data])
        return "".join(csvio.stream(("field", "message"), rows)).encode("utf-8")
