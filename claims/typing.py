"""Types the desk's modules share."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User

# Who does or asks for something: a signed-in user of the desk (Django's own User
# model), or the anonymous visitor a page or the API may be asked by, whom the
# services refuse.
Actor: TypeAlias = User | AnonymousUser
