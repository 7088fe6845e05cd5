"""The database refuses what no claim can be, with messages a person can read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from claims import services
from claims.errors import InvalidInput
from claims.models import Claim, SourceAlias
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value_low": 30, "value_high": 20}, "The low value must not exceed the high value."),
        ({"value_low": -1, "value_high": None}, "A count cannot be negative."),
        ({"value_low": None, "value_high": 5}, "A high value needs a low value."),
        (
            {"period_start": dt.date(2014, 2, 13), "period_end": dt.date(2014, 2, 1)},
            "The period must not end before it starts.",
        ),
        (
            {"period_start": dt.date(2014, 2, 1), "period_end": None},
            "A period needs both a start and an end.",
        ),
    ],
)
def test_it_refuses_bad_intervals_and_periods(fields, message):
    claim = ClaimFactory.build(**fields)
    with pytest.raises(ValidationError) as exc:
        claim.full_clean(exclude=["place"])
    assert message in str(exc.value)
    # And the database itself refuses them, whatever path the row takes.
    claim.place.save()
    claim.place = claim.place
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()
    assert not Claim.objects.exists()


def test_it_accepts_an_open_ended_interval_and_a_single_day():
    claim = ClaimFactory(value_low=51, value_high=None)
    assert claim.pk is not None


def test_the_service_answers_field_messages_and_saves_nothing(editor):
    with pytest.raises(InvalidInput) as exc:
        services.claim_create(
            actor=editor,
            text="Between 30 and 20 killed",
            value_low=30,
            value_high=20,
            reported_on=dt.date(2014, 2, 13),
        )
    assert exc.value.errors["non_field_errors"] == ["The low value must not exceed the high value."]
    assert not Claim.objects.exists()


def test_it_allows_one_source_per_alias_text():
    observatory = SourceFactory(name="Syrian Observatory for Human Rights")
    SourceAlias.objects.create(source=observatory, name="The Observatory")
    other = SourceFactory(name="Another monitor")
    duplicate = SourceAlias(source=other, name="observatory")
    with pytest.raises(ValidationError, match="already names Syrian Observatory"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_claim_checks_its_constraints_in_python_without_a_query(django_assert_num_queries):
    """Every check constraint of the table has its Python reading, and reading them costs
    no query (Django would spend one per constraint on every save)."""
    names = {c.name for c in Claim._meta.constraints}
    assert set(Claim.CHECKED_IN_PYTHON) == names
    claim = ClaimFactory.build(value_low=30, value_high=20)
    with django_assert_num_queries(0), pytest.raises(ValidationError) as exc:
        claim.validate_constraints()
    assert exc.value.messages == ["The low value must not exceed the high value."]
