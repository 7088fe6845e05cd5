"""API tokens: made for a user, shown once, stored only as a digest, refused once expired.

A key is 32 random bytes, so a plain SHA-256 of it cannot be reversed or guessed; no
salt or slow hash is needed (unlike a password, a key has no small space to search).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from claims import roles
from claims.errors import ActionForbidden, InvalidInput
from claims.models import ApiToken
from claims.typing import Actor

KEY_PREFIX = "cd_"
# How much of a key the admin shows: enough to tell a user's tokens apart.
SHOWN_CHARS = 8
MAX_DAYS = 366


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def may_issue(actor: Actor, user: User) -> bool:
    """Anyone makes tokens for themselves; admins for anyone but a superuser, whom only
    a superuser may act for (an admin must not make themselves one by the back door)."""
    if getattr(actor, "is_superuser", False) or actor.pk == user.pk:
        return True
    return roles.is_admin(actor) and not user.is_superuser


@transaction.atomic
def token_issue(
    *, user: User, actor: Actor, name: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns the row and the key, which is not kept anywhere
    and cannot be shown again."""
    if not getattr(actor, "is_authenticated", False) or not may_issue(actor, user):
        raise ActionForbidden(gettext("Your role may not make API tokens for this user."))
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            gettext("A token lasts between 1 and 366 days."),
            errors={"days": [gettext("Between 1 and %(max)s.") % {"max": MAX_DAYS}]},
        )
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=(name or "").strip()[:100],
        prefix=key[:SHOWN_CHARS],
        digest=token_digest(key),
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    return token, key


# A token's last use is written at most this often: not a write on every request.
LAST_USED_EVERY = dt.timedelta(minutes=5)


def token_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
