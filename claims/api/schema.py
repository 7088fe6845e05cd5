"""The OpenAPI schema says every answer the API gives, so a client generated from it
handles the refusals too.

Each operation declares, beside its own answers, the errors `claims.api.errors` and DRF
give it: 400 for input it validates (a body or query parameters), 401/403 for who may
call it, 404 for a row it looks up or a page past the end, 409 for a write that does
not fit the row's state or version, 415 for a body in another media type than the
one it takes, and 429 for a client over its rate. All of them share one body, `Error`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiResponse

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Why the request was refused: `detail` says it in a sentence (absent "
    "when a serializer refused the input); the other keys are the fields named in the "
    "request, each with its messages.",
    "properties": {
        "detail": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        },
        "current_version": {
            "type": "integer",
            "description": "On a 409 for a stale `version`: the version saved now.",
        },
        "merged_into": {
            "type": "integer",
            "description": "On a 409 for a write to a merged claim: the claim it was merged "
            "into, where the write belongs.",
        },
    },
    "additionalProperties": {},
}

ERROR_DESCRIPTIONS = {
    400: "The input is invalid: field messages say what to change.",
    401: "No valid credentials were sent.",
    403: "The user's role may not do this.",
    404: "No such row (or none the user may see), or a page past the end.",
    409: "The row's state or version does not allow this now.",
    415: "The body is not in the media type the operation takes (JSON, or multipart for a file).",
    429: "Too many requests: wait and try again.",
}


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def refusals(*codes: int) -> dict[int, OpenApiResponse]:
    """Errors an operation answers beyond those `error_codes` reads from its shape (a row
    named in the body that may be gone: 404), for its @extend_schema `responses`."""
    ref = {"$ref": "#/components/schemas/Error"}
    return {
        code: OpenApiResponse(response=ref, description=ERROR_DESCRIPTIONS[code]) for code in codes
    }


def error_codes(*, method: str, path: str, operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation may answer, from what it takes."""
    params = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    looks_up_a_row = "{" in path
    codes = [401, 403, 429]
    if "requestBody" in operation or params:
        codes.append(400)
    if "requestBody" in operation:
        codes.append(415)
    if looks_up_a_row or "page" in params:
        codes.append(404)
    # A write to an existing row: the service refuses stale versions and moves the
    # row's state does not allow.
    if method == "PATCH" or (method == "POST" and looks_up_a_row and "requestBody" in operation):
        codes.append(409)
    return sorted(codes)


class DeskAutoSchema(AutoSchema):
    """drf-spectacular's schema, with the error answers of each operation declared."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        error = ResolvedComponent(
            name="Error", type=ResolvedComponent.SCHEMA, object="Error", schema=ERROR_SCHEMA
        )
        self.registry.register_on_missing(error)
        # A refusal is rendered as the client asked, like any answer of the view: the
        # Error object in JSON (or JSON-LD), its messages as text in CSV.
        content = {
            media_type: {"schema": error.ref if _is_json(media_type) else {"type": "string"}}
            for media_type in self.map_renderers("media_type")
        }
        responses = operation["responses"]
        for code in error_codes(method=self.method, path=self.path, operation=operation):
            # A view that declares a code itself keeps its own body and words.
            responses.setdefault(
                str(code), {"description": ERROR_DESCRIPTIONS[code], "content": content}
            )
        return operation
