from __future__ import annotations

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    """An API client; `api.as_(user)` signs in as that persona."""
    client = APIClient()

    def as_(user):  # type: ignore[no-untyped-def]
        client.force_authenticate(user)
        return client

    client.as_ = as_  # type: ignore[attr-defined]
    return client
