"""The claims list writes its claims from plain values (claims.api.rows): the JSON must be
ClaimSerializer's, byte for byte, for every field the serializer has, whatever the claim
holds; a field the serializer gains without a twin there sends the list back to the
serializer, and fails here."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from claims import services
from claims.api import rows
from claims.api.serializers import ClaimSerializer
from claims.models import Claim, Flag, Rating, Topic
from tests.conftest import list_stamp_queries
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    PlaceFactory,
    SourceFactory,
    StoryFactory,
)
from tests.incidents import IncidentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


@pytest.fixture
def varied(checker, editor, conflict):  # type: ignore[no-untyped-def]
    """Claims with every field set and with every field empty, sources in several roles,
    topics, an incident, a verdict, a desk figure, a merged duplicate, a country, and
    text that JSON has to escape."""
    services.flag_resolve(
        flag=conflict,
        actor=checker,
        note="Both, as a range.",
        figure_low=20,
        figure_high=51,
        rule="range",
    )
    bare = Claim.objects.create(text="No figure, no place, no time.")
    full = ClaimFactory(
        text='"About 400" killed in Aleppo — <b>activists</b> & medics said.\u2028',
        normalised="About 400 people were killed in Aleppo.",
        story=StoryFactory(),
        story_start=0,
        story_end=9,
        value_low=360,
        value_high=440,
        qualifier="about",
        is_projection=True,
        population="children",
        time_expression="so far this month",
        language="en",
        incident=IncidentFactory(),
        status="verified",
        credibility=2,
        verdict=Rating.objects.order_by("pk").first(),
        assignee=checker,
        created_by=editor,
        priority=3,
        due_at=dt.datetime(2014, 2, 14, 9, 30, 15, 123456, tzinfo=dt.UTC),
        decided_at=timezone.now(),
        period_kind="to_date",
        period_start=dt.date(2014, 2, 1),
        period_end=dt.date(2014, 2, 13),
    )
    for role in ("attributed_to", "corroborated_by", "contradicted_by"):
        AttributionFactory(claim=full, source=SourceFactory(), role=role, source_text="medics")
    full.topics.add(Topic.objects.create(name="Syria war"), Topic.objects.create(name="aid"))
    country = ClaimFactory(
        place=PlaceFactory(name="Syria", country="SY", kind="country"), value_high=None
    )
    duplicate = ClaimFactory(text="51 killed in Aleppo, a copy.")
    Claim.objects.filter(pk=duplicate.pk).update(merged_into=full)
    return [bare, full, country, duplicate, *conflict.claims.all()]


def render(data):  # type: ignore[no-untyped-def]
    return JSONRenderer().render(data)


def test_it_writes_every_field_of_the_serializer_in_its_order():  # type: ignore[no-untyped-def]
    assert tuple(ClaimSerializer().fields) == rows.FIELDS
    assert rows.serves_the_serializer()


@pytest.mark.parametrize("zone", ["UTC", "Asia/Beirut", "America/St_Johns"])
def test_its_claims_are_the_serializers_byte_for_byte(varied, zone):  # type: ignore[no-untyped-def]
    claims = Claim.objects.with_related().order_by("pk")
    with timezone.override(zone):
        expected = ClaimSerializer(claims, many=True).data
        written = rows.claim_rows(list(rows.claim_values(claims)))
    assert len(written) == len(varied) == 6
    for mine, theirs in zip(written, expected, strict=True):
        assert list(mine) == list(theirs)  # the same fields, in the same order
        assert mine == theirs
    assert render(written) == render(expected)
    # The claims above do reach every kind of value.
    full = next(c for c in written if c["topics"])
    assert sorted(full["topics"]) == ["Syria war", "aid"] and len(full["sources"]) == 3
    assert all(full[name] is not None for name in ("incident", "verdict", "story", "due_at"))
    assert any(c["desk_figure"] for c in written) and any(c["merged_into"] for c in written)
    assert any(c["place"] is None and c["figure"] == "" for c in written)


def test_the_list_answers_the_serializers_json(api, checker, varied):  # type: ignore[no-untyped-def]
    r = api.as_(checker).get(URL, {"page_size": 3, "page": 2})
    assert r.status_code == 200
    listed = Claim.objects.current().with_related().order_by("-priority", "-created_at", "-id")
    body = r.json()
    expected = ClaimSerializer(listed[3:6], many=True).data
    assert body["count"] == listed.count() == 5
    assert render(body["results"]) == render(expected)
    assert r.content == render({**body, "results": expected})


def test_without_a_twin_for_a_field_the_list_goes_back_to_the_serializer(  # type: ignore[no-untyped-def]
    api, checker, varied, monkeypatch
):
    monkeypatch.setattr(rows, "FIELDS", rows.FIELDS[:-1])
    monkeypatch.setattr(rows, "_serves", None)
    assert not rows.serves_the_serializer()
    results = api.as_(checker).get(URL).json()["results"]
    assert list(results[0]) == list(ClaimSerializer().fields)
    monkeypatch.setattr(rows, "_serves", None)


def test_it_reads_a_page_in_pinned_queries(api, checker, varied, django_assert_num_queries):  # type: ignore[no-untyped-def]
    client = api.as_(checker)
    client.get(URL)  # reads the user's roles, which stay with the signed-in user
    # On PostgreSQL the stamp of what the list reads (claims.api.kept); the count (kept
    # by PostgreSQL, counted on SQLite), then the page with its claims' sources, topics
    # and desk figures
    with django_assert_num_queries(2 + list_stamp_queries()):
        few = client.get(URL, {"page_size": 2}).json()["results"]
    with django_assert_num_queries(2 + list_stamp_queries()):
        many = client.get(URL, {"page_size": 200}).json()["results"]
    assert (len(few), len(many)) == (2, 5)
    # A filtered list counts its claims, and reads its page in one query all the same.
    with django_assert_num_queries(2 + list_stamp_queries()):
        assert client.get(URL, {"status": "new"}).json()["results"]


def test_its_times_and_desk_figures_are_the_serializers(checker, conflict):  # type: ignore[no-untyped-def]
    """Time stamps with whole seconds, with fewer than six digits of a second and far from
    UTC; and a claim whose figure two resolved conflicts chose: the latest resolution wins."""
    utc = dt.UTC
    stamps = [
        dt.datetime(2014, 2, 14, 9, 30, tzinfo=utc),
        dt.datetime(2014, 2, 14, 9, 30, 15, 120000, tzinfo=utc),
        dt.datetime(1999, 12, 31, 23, 59, 59, 1, tzinfo=utc),
    ]
    for stamp in stamps:
        claim = ClaimFactory(due_at=stamp, decided_at=stamp)
        Claim.objects.filter(pk=claim.pk).update(created_at=stamp, updated_at=stamp)
    services.flag_resolve(
        flag=conflict, actor=checker, note="First.", figure_low=20, figure_high=51, rule="range"
    )
    first = conflict.claims.order_by("pk").first()
    later = Flag.objects.create(
        kind=Flag.Kind.VALUE_CONFLICT,
        severity=conflict.severity,
        message="Two figures disagree again.",
        fingerprint="a-second-conflict",
        last_seen=timezone.now(),
    )
    later.claims.add(first)
    services.flag_resolve(
        flag=later, actor=checker, note="Second.", figure_low=25, rule="lowest_credible"
    )
    claims = Claim.objects.with_related().order_by("pk")
    for zone in ("UTC", "Asia/Kathmandu", "America/St_Johns"):
        with timezone.override(zone):
            expected = ClaimSerializer(claims, many=True).data
            written = rows.claim_rows(list(rows.claim_values(claims)))
        assert render(written) == render(expected)
    chosen = next(c["desk_figure"] for c in written if c["id"] == first.pk)
    assert (chosen["note"], chosen["flag"]) == ("Second.", later.pk)


def test_its_topics_are_in_the_serializers_order(checker):  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    names = ["aid", "Syria war", "Éducation", "zones", "Aid workers", "10 cities"]
    claim.topics.add(*(Topic.objects.create(name=name) for name in names))
    claims = Claim.objects.with_related().order_by("pk")
    written = rows.claim_rows(list(rows.claim_values(claims)))
    assert written[0]["topics"] == ClaimSerializer(claims, many=True).data[0]["topics"]
    assert sorted(written[0]["topics"]) == sorted(names)


def test_an_empty_page_reads_no_rows(api, checker, django_assert_num_queries):  # type: ignore[no-untyped-def]
    client = api.as_(checker)
    # the user's roles, the stamp on PostgreSQL, count
    with django_assert_num_queries(2 + list_stamp_queries()):
        body = client.get(URL).json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    "params",
    [
        {"ordering": "urgent"},
        {"ordering": "-value,period"},
        {"source": "SOURCE", "ordering": "urgent"},
        {"grade": ["C", "D"], "ordering": "-created"},
        {"q": "Aleppo", "status": ["new", "verified"]},
    ],
)
def test_filtered_and_ordered_lists_answer_the_serializers_json(api, checker, varied, params):  # type: ignore[no-untyped-def]
    from claims import selectors

    source = Claim.objects.get(pk=varied[1].pk).attributions.first().source_id
    params = {k: (str(source) if v == "SOURCE" else v) for k, v in params.items()}
    r = api.as_(checker).get(URL, params)
    assert r.status_code == 200
    listed = selectors.claim_list(user=checker, params=r.wsgi_request.GET)
    expected = ClaimSerializer(listed, many=True).data
    assert r.json()["count"] == len(expected) > 0
    assert render(r.json()["results"]) == render(expected)


def test_a_list_without_filters_is_the_filtersets_list(api, checker, varied):  # type: ignore[no-untyped-def]
    # No filter in the query skips the FilterSet (claims.selectors.claim_list); an empty
    # filter goes through it and must answer the same.
    client = api.as_(checker)
    plain = client.get(URL, {"page_size": 4, "unknown": "x"})
    through = client.get(URL, {"page_size": 4, "q": "", "event": ""})
    assert plain.status_code == through.status_code == 200
    assert plain.json()["count"] == through.json()["count"] == 5
    assert render(plain.json()["results"]) == render(through.json()["results"])
    assert client.get(URL, {"status": "nonsense"}).status_code == 400
