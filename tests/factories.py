from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from claims import roles
from claims.models import Attribution, Claim, Evidence, Place, Source, SourceAlias, Story


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example.org")
    password = factory.django.Password("pass-word-123")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))


def make_user(role: str | None, username: str | None = None) -> object:
    kwargs = {"role": role}
    if username:
        kwargs["username"] = username
    user = UserFactory(**kwargs)
    if role == roles.ADMIN:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Source {n}")
    kind = Source.Kind.MONITOR
    grade = "C"
    country = "SY"


class SourceAliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceAlias

    source = factory.SubFactory(SourceFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("name", "country", "kind")

    name = "Aleppo"
    country = "SY"
    kind = Place.Kind.CITY


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    headline = factory.Sequence(lambda n: f"Story {n}")
    body = "About 400 people have been killed in Aleppo so far this month, activists said."
    published_at = dt.datetime(2014, 2, 13, 12, 0, tzinfo=dt.UTC)


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    text = "At least 51 people were killed in Aleppo yesterday, the Observatory said."
    value_low = 51
    value_high = None
    qualifier = "at_least"
    unit = "people"
    event = "killed"
    place = factory.SubFactory(PlaceFactory)
    country = factory.LazyAttribute(lambda c: c.place.country if c.place else "")
    period_start = dt.date(2014, 2, 12)
    period_end = dt.date(2014, 2, 12)
    period_kind = "day"
    reported_on = dt.date(2014, 2, 13)


class AttributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribution

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    url = "https://www.example.org/report"
    stance = Evidence.Stance.SUPPORTS
