"""Make an API token for a user and print its key, the one time it can be seen."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.errors import DomainError
from claims.services.tokens import token_issue


class Command(BaseCommand):
    help = "Make an API token for USERNAME and print it once (the desk keeps only its digest)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument("--days", type=int, default=None, help="How long it works.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        # Run from the server's shell, so with the owner's own authority.
        try:
            token, key = token_issue(
                user=user, actor=user, name=options["name"], days=options["days"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(key)
        self.stderr.write(f"Expires {token.expires_at:%Y-%m-%d %H:%M} UTC. It is not shown again.")
