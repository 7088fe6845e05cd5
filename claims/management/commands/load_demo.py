"""Load the demo newsroom: users, sources, the Aleppo story and its claims. Idempotent."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from claims import demo, services
from claims.checks import sync
from claims.models import Claim, Source, Story


class Command(BaseCommand):
    help = "Load the demo data (users editor/checker/admin, the Aleppo story). Safe to re-run."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-scan", action="store_true", help="Do not run the scans.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        users = self._users()
        admin, editor, checker = users["admin"], users["editor"], users["checker"]
        created = 0
        for spec in demo.SOURCES:
            if not Source.objects.filter(name=spec["name"]).exists():
                fields = {k: v for k, v in spec.items() if k != "aliases"}
                services.source_create(actor=admin, aliases=spec["aliases"], **fields)
                created += 1
        stories = {}
        for spec in [demo.ALEPPO_STORY, *demo.EXAMPLE_WIRE_STORIES]:
            story = Story.objects.filter(url=spec["url"]).first()
            if story is None:
                story = services.story_create(actor=editor, **spec)
                created += 1
            stories[story.headline] = story
        for spec in demo.CLAIMS:
            created += self._claim(spec, stories[spec["story"]], editor, checker)
        if created and not options["no_scan"]:
            sync.scan_contradictions()
            sync.scan_staleness()
        self.stdout.write(f"Demo data ready ({created} rows created).")
        self.stdout.write("Log in at http://127.0.0.1:8000/ as one of:")
        for username, password, role, _ in demo.USERS:
            self.stdout.write(f"  {role:<13} {username} / {password}")

    def _users(self) -> dict[str, Any]:
        User = get_user_model()
        users = {}
        for username, password, role, first_name in demo.USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
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
        if Claim.objects.filter(story=story, text=spec["text"]).exists():
            return 0
        fields = {
            k: v
            for k, v in spec.items()
            if k not in {"story", "text", "place", "sources", "decide"}
        }
        place = services.place_resolve(**spec["place"]) if spec.get("place") else None
        refs = [
            services.SourceRef(source=ref.source, text=words)
            for (name, words) in spec["sources"]
            for ref in services.source_resolve([name])
        ]
        start = story.body.find(spec["text"])
        claim = services.claim_create(
            actor=editor,
            text=spec["text"],
            story=story,
            sources=refs,
            place=place,
            story_start=start if start >= 0 else None,
            story_end=start + len(spec["text"]) if start >= 0 else None,
            **fields,
        )
        if "decide" in spec:
            to, note = spec["decide"]
            services.claim_transition(claim=claim, actor=checker, to="in_review")
            services.claim_transition(claim=claim, actor=checker, to=to, note=note)
        return 1
