from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

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
)

pytestmark = pytest.mark.django_db

MODELS = [Source, SourceAlias, Place, Story, Claim, Attribution, ClaimEvent, Flag, FlagEvent]


def snapshot() -> dict[str, list[tuple]]:
    return {
        m.__name__: sorted(
            tuple(v for k, v in row.items() if k not in {"last_seen", "updated_at"})
            for row in m.objects.values()
        )
        for m in MODELS
    }


def test_it_loads_the_aleppo_story_with_its_claims():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    story = Story.objects.get(published_at__date=dt.date(2014, 2, 13))
    assert "Syria's largest city" in story.body
    claims = {c.text.split(" ")[0:2][1]: c for c in story.claims.all()}
    assert len(story.claims.all()) == 4
    about = story.claims.get(value_low=360, time_expression="so far this month")
    assert (about.qualifier, about.place.name, about.period_start, about.period_end) == (
        "approx",
        "Aleppo",
        dt.date(2014, 2, 1),
        dt.date(2014, 2, 13),
    )
    assert about.period_kind == "to_date"
    assert about.attributions.get().source.name == "Activists (unnamed)"
    daily = story.claims.get(qualifier="at_least")
    assert (daily.value_low, daily.value_high, daily.period_start) == (
        51,
        None,
        dt.date(2014, 2, 12),
    )
    assert daily.attributions.get().source.name == "Syrian Observatory for Human Rights"
    truce = story.claims.get(value_low__isnull=True)
    assert "Homs" in truce.text and truce.place.name == "Homs"
    assert claims  # every claim has text
    assert Source.objects.get(aliases__name="SOHR").name == "Syrian Observatory for Human Rights"
    # The fictional outlet's figures conflict with the Observatory's, or have gone stale.
    kinds = set(Flag.objects.values_list("kind", flat=True))
    assert {"value_conflict", "count_decreased", "superseded"} <= kinds


def test_it_changes_nothing_when_run_twice():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = snapshot()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert snapshot() == first
