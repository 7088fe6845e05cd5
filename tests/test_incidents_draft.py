"""The draft check and incidents: a draft's "the toll rose to N" is weighed against the
latest figures of the incident its sentence names."""

from __future__ import annotations

import datetime as dt

import pytest

from claims import draftcheck
from claims.checks import sync
from claims.models import Claim
from tests.factories import ClaimFactory, PlaceFactory

pytestmark = pytest.mark.django_db

SAT = dt.date(2024, 3, 9)


def toll(text: str, value: int, on: dt.date) -> Claim:
    claim = ClaimFactory(
        text=text,
        value_low=value,
        value_high=value,
        qualifier="exact",
        period_start=None,
        period_end=None,
        period_kind="",
        reported_on=on,
        place=PlaceFactory(name="Idlib", country="SY"),
    )
    sync.scan_claim_block(claim.pk)
    return claim


@pytest.fixture
def bombing(db):  # type: ignore[no-untyped-def]
    first = toll("Medics said 23 people were killed in the market bombing in Idlib.", 23, SAT)
    later = toll(
        "The toll from the market bombing in Idlib rose to 31, rescuers said.",
        31,
        SAT + dt.timedelta(days=1),
    )
    first.refresh_from_db()
    later.refresh_from_db()
    assert first.incident is not None and first.incident == later.incident
    return first, later


def check(editor, text: str, on: dt.date):  # type: ignore[no-untyped-def]
    report = draftcheck.draft_check(user=editor, text=text, reported_on=on)
    (found,) = [c for c in report.candidates if c.reading.value_low is not None]
    return found


def test_a_higher_toll_of_the_named_incident_fits_its_figures(editor, bombing):
    found = check(
        editor,
        "The death toll from the market bombing in Idlib rose to 40, officials said.",
        SAT + dt.timedelta(days=3),
    )
    assert found.reading.incident == bombing[0].incident_id
    assert {m.claim.id for m in found.matches} == {c.pk for c in bombing}
    assert all(m.agrees for m in found.matches)


def test_a_lower_toll_than_the_incidents_latest_disagrees(editor, bombing):
    found = check(
        editor,
        "The death toll from the market bombing in Idlib stands at 28, officials said.",
        SAT + dt.timedelta(days=3),
    )
    latest = next(m for m in found.matches if m.claim.id == bombing[1].pk)
    assert latest.agrees is False and latest.standing == "disagrees"
    # 28 fits the first report (23), which the latest (31) has overtaken since.
    first = next(m for m in found.matches if m.claim.id == bombing[0].pk)
    assert first.agrees and first.standing == "contradicted"


def test_another_attack_in_the_same_city_is_not_weighed_against_it(editor, bombing):
    found = check(
        editor,
        "Gunmen opened fire at a checkpoint in Idlib, killing 5 people, police said.",
        SAT + dt.timedelta(days=3),
    )
    assert found.reading.incident is None
    assert not [m for m in found.matches if m.claim.id in {c.pk for c in bombing}]


def test_the_incident_look_up_costs_the_same_for_one_sentence_or_many(editor, bombing):
    """The sentences of a draft mostly share their event, country and date: the claims
    near their incident are read once, not once a sentence."""
    on = SAT + dt.timedelta(days=3)
    sentence = "The death toll from the market bombing in Idlib rose to {n}, officials said."

    def queries(sentences: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        text = " ".join(sentence.format(n=40 + k) for k in range(sentences))
        with CaptureQueriesContext(connection) as ctx:
            report = draftcheck.draft_check(user=editor, text=text, reported_on=on)
        named = [c for c in report.candidates if c.reading.incident is not None]
        assert len(named) == sentences
        return len(ctx.captured_queries)

    queries(1)  # the registers and the user's roles are read once for the test
    one = queries(1)
    # Each named sentence still reads its incident's tolls (_in_incident); the look-up
    # of which incident it names is not repeated.
    assert queries(4) <= one + 3 * 3
