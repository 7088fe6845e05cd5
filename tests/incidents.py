"""Factories and sample copy for the incident tests."""

from __future__ import annotations

import datetime as dt

import factory

from claims.models import Incident


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    label = factory.Sequence(lambda n: f"Strike {n}")
    kind = "strike"
    day = dt.date(2024, 3, 8)
