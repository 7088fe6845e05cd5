"""Turn domain errors into the API's 400 / 403 / 409 answers."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from claims.errors import ClaimMerged, DomainError, StaleVersion


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": exc.message, **exc.errors}
        if isinstance(exc, StaleVersion) and exc.current is not None:
            body["current_version"] = exc.current.version  # type: ignore[attr-defined]
        if isinstance(exc, ClaimMerged):
            body["merged_into"] = exc.into_id
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response({"detail": exc.messages}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
