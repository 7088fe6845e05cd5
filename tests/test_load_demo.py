from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.models import (
    Attribution,
    Claim,
    ClaimEvent,
    Flag,
    FlagEvent,
    Place,
    Source,
    SourceAlias,
    Story,
    Topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dev(settings):  # type: ignore[no-untyped-def]
    """A laptop's `make run`: DEBUG on, where the demo belongs."""
    settings.DEBUG = True


MODELS = [Source, SourceAlias, Place, Story, Claim, Attribution, ClaimEvent, Flag, FlagEvent, Topic]
# Times, and a story's stored extraction: a cache of the parser's reading, read again
# once the places the first run created are in the register.
SKIPPED = {"last_seen", "updated_at", "extraction", "extraction_key"}


def snapshot() -> dict[str, list[tuple]]:
    return {
        m.__name__: sorted(
            tuple(v for k, v in row.items() if k not in SKIPPED) for row in m.objects.values()
        )
        for m in MODELS
    }


def reading(claim: Claim) -> tuple:
    return (
        claim.value_low,
        claim.value_high,
        claim.qualifier,
        claim.event,
        claim.place.name if claim.place else None,
        claim.period_start,
        claim.period_end,
        claim.period_kind,
        claim.time_expression,
        [a.source.name for a in claim.attributions.all()],
    )


def test_it_reads_the_aleppo_claims_from_the_copy_and_accepts_them(dev):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    story = Story.objects.get(published_at__date=dt.date(2014, 2, 13))
    assert "Syria's largest city" in story.body
    claims = list(story.claims.order_by("story_start"))
    feb_1, feb_12, feb_13 = dt.date(2014, 2, 1), dt.date(2014, 2, 12), dt.date(2014, 2, 13)
    sohr = "Syrian Observatory for Human Rights"
    assert [reading(c) for c in claims] == [
        # "Syria's largest city" is Aleppo, from the story's context.
        (360, 440, "approx", "killed", "Aleppo", feb_1, feb_13, "to_date", "so far this month",
         ["Activists (unnamed)"]),
        # A claim without a number keeps no event: it is not a count.
        (None, None, "", "", "Homs", None, None, "", "", []),
        (51, None, "at_least", "killed", "Aleppo", feb_12, feb_12, "day", "yesterday", [sohr]),
        (360, 440, "approx", "killed", "Aleppo", feb_1, feb_13, "to_date",
         "since the beginning of the month", [sohr]),
    ]  # fmt: skip
    figures = [story.body[c.story_start : c.story_end] for c in claims]
    # Provenance: a claim's offsets are its figure's, inside its sentence (a statement
    # without a figure keeps its sentence's).
    assert figures == ["About 400 people", claims[1].text, "at least 51 people", "some 400"]
    for claim, figure in zip(claims, figures, strict=True):
        assert figure in claim.text and claim.text in story.body
        kinds = list(claim.events.order_by("id").values_list("kind", flat=True))
        assert kinds == [ClaimEvent.Kind.CREATED, ClaimEvent.Kind.TOPICS]
        assert sorted(claim.topics.values_list("name", flat=True)) == [
            "Aleppo barrel bombs",
            "Syria",
        ]
    # Years, and the eight districts, are not casualty counts.
    assert not Claim.objects.filter(value_low__in=[8, 2011, 2012]).exists()
    assert Source.objects.get(aliases__name="SOHR").name == sohr
    # The fictional outlet's figures conflict with the Observatory's, or have gone stale.
    kinds = set(Flag.objects.values_list("kind", flat=True))
    assert {"value_conflict", "count_decreased", "superseded"} <= kinds
    stale = Claim.objects.get(value_low=120)
    assert (stale.status, stale.period_end) == ("attributed", dt.date(2014, 2, 5))
    # The admins' topics, on the stories and their claims, so the topic pages have work.
    assert list(stale.topics.values_list("name", flat=True)) == ["Syria"]
    assert set(Topic.objects.values_list("name", flat=True)) == {
        "Syria",
        "Aleppo barrel bombs",
        "Geneva talks",
    }
    assert sorted(story.topics.values_list("name", flat=True)) == ["Aleppo barrel bombs", "Syria"]


def test_it_changes_nothing_when_run_twice(dev):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == first


# ---------------------------------------------------------------------------
# With DEBUG off


def test_it_refuses_to_run_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=io.StringIO())
    assert not get_user_model().objects.exists()
    assert not Claim.objects.exists()


def test_forced_with_debug_off_it_never_makes_admin_admin(settings):
    settings.DEBUG = False
    out = io.StringIO()
    call_command("load_demo", "--force", "--no-scan", stdout=out)
    admin = get_user_model().objects.get(username="admin")
    assert not admin.check_password("admin")
    printed = re.search(r"Admin\s+admin / (\S+)", out.getvalue())
    assert printed and len(printed.group(1)) >= 20
    assert admin.check_password(printed.group(1))
    # Once: a second run leaves the password alone and does not print one.
    again = io.StringIO()
    call_command("load_demo", "--force", "--no-scan", stdout=again)
    assert printed.group(1) not in again.getvalue()
    admin.refresh_from_db()
    assert admin.check_password(printed.group(1))


def test_with_debug_on_the_demo_logins_are_the_documented_ones(dev):
    out = io.StringIO()
    call_command("load_demo", "--no-scan", stdout=out)
    assert "admin / admin" in out.getvalue()
    assert get_user_model().objects.get(username="admin").check_password("admin")
