"""Token authentication against the stored digests (`claims.models.ApiToken`).

Clients send `Authorization: Token <key>` as before; the key is looked up by its
SHA-256, and an expired token is refused with a 401 like a wrong one.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from claims.models import ApiToken
from claims.services.tokens import token_digest, token_used


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(
                "This token has expired: ask an admin for a new one."
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        token_used(token)
        return token.user, token
