"""Load the demo newsroom: users, sources, the Aleppo story and its claims. Idempotent.

The demo users have known passwords, so with DEBUG off (a server others can reach)
the command refuses unless forced, and even then never makes `admin` / `admin`: the
admin gets a random password, printed once.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import demo, roles, selectors, services
from claims.checks import sync
from claims.models import Source, Story, Topic


class Command(BaseCommand):
    help = "Load the demo data (users editor/checker/admin, the Aleppo story). Safe to re-run."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-scan", action="store_true", help="Do not run the scans.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo with DEBUG off too (the admin then gets a random password).",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off, so this looks like a server others can reach, and the demo "
                "makes users with known passwords. Run with --force to load it anyway "
                "(the admin then gets a random password, printed once)."
            )
        self.passwords: dict[str, str] = {}
        users = self._users()
        admin, editor, checker = users["admin"], users["editor"], users["checker"]
        created = 0
        for spec in demo.SOURCES:
            if not Source.objects.filter(name=spec["name"]).exists():
                fields = {k: v for k, v in spec.items() if k != "aliases"}
                services.source_create(actor=admin, aliases=spec["aliases"], **fields)
                created += 1
        for name, description in demo.TOPICS:
            # The topic list is the admins' (kept in the admin): seeded here as they would.
            _, made = Topic.objects.get_or_create(name=name, defaults={"description": description})
            created += made
        stories = {}
        for spec in [demo.ALEPPO_STORY, *demo.EXAMPLE_WIRE_STORIES]:
            story = Story.objects.filter(url=spec["url"]).first()
            if story is None:
                story = services.story_create(actor=editor, **spec)
                services.story_set_topics(
                    story=story, actor=editor, topics=demo.STORY_TOPICS[story.headline]
                )
                created += 1
            stories[story.headline] = story
        for spec in demo.ACCEPTED:
            created += self._claim(spec, stories[spec["story"]], editor, checker)
        if created and not options["no_scan"]:
            sync.scan_contradictions()
            sync.scan_staleness()
        self.stdout.write(f"Demo data ready ({created} rows created).")
        self.stdout.write("Log in at http://127.0.0.1:8000/ as one of:")
        for username, password, role, _ in demo.USERS:
            if role == roles.ADMIN and not settings.DEBUG:
                # Shown this once; a second run leaves the password as it is.
                password = self.passwords.get(username, "(the password it was given)")
            self.stdout.write(f"  {role:<13} {username} / {password}")

    def _users(self) -> dict[str, Any]:
        User = get_user_model()
        users = {}
        for username, password, role, first_name in demo.USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                if role == roles.ADMIN and not settings.DEBUG:
                    password = self.passwords[username] = secrets.token_urlsafe(18)
                user = User.objects.create_user(
                    username=username,
                    password=password,
                    first_name=first_name,
                    email=f"{username}@newsroom.example.org",
                    is_staff=(role == "Admin"),
                )
                user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users

    def _claim(self, spec: dict[str, Any], story: Story, editor: Any, checker: Any) -> int:
        """Accept the figure the parser finds in the sentence, as an editor would; a
        sentence with several figures names the one to take by its words (`figure`)."""
        found = [
            f
            for f in selectors.story_candidates(story=story)
            if f.candidate.sentence.startswith(spec["starts"])
            and ("figure" not in spec or f.candidate.words == spec["figure"])
        ]
        if len(found) != 1:
            what = "No candidate claim" if not found else f"{len(found)} candidates (say which)"
            raise CommandError(f"{what} at {spec['starts']!r} in {story}.")
        if found[0].claim_id is not None:
            return 0
        candidate = found[0].candidate
        claim = services.candidate_accept(
            story=story, start=candidate.start, end=candidate.end, actor=editor
        )
        services.claim_set_topics(
            claim=claim, actor=editor, topics=demo.STORY_TOPICS[story.headline]
        )
        if "decide" in spec:
            to, note = spec["decide"]
            services.claim_transition(claim=claim, actor=checker, to="in_review")
            services.claim_transition(claim=claim, actor=checker, to=to, note=note)
        return 1
