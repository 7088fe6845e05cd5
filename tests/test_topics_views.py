"""The topic pages, the topics panels of claims and stories, `?topic=` in the queues (as
in the API), and the dashboard's open flags by topic: role by role, with pinned queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from claims import services
from claims.models import ClaimEvent, Flag, Severity, Status, StoryEvent, Topic
from tests.factories import ClaimFactory, StoryFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def syria(db):  # type: ignore[no-untyped-def]
    return Topic.objects.create(name="Syria", description="The war since 2011.")


@pytest.fixture
def sudan(db):  # type: ignore[no-untyped-def]
    return Topic.objects.create(name="Sudan war")


def tag(claim, *names, actor):  # type: ignore[no-untyped-def]
    services.claim_set_topics(claim=claim, actor=actor, topics=list(names))
    return claim


def open_flag(*claims, severity=Severity.HIGH, status=Flag.Status.OPEN):  # type: ignore[no-untyped-def]
    found = Flag.objects.create(
        kind=Flag.Kind.VALUE_CONFLICT,
        severity=severity,
        status=status,
        message="Figures clash.",
        fingerprint=f"views-{Flag.objects.count()}",
        last_seen=timezone.now(),
    )
    found.claims.set(claims)
    return found


# ---------------------------------------------------------------------------
# The list and a topic's page


def test_it_lists_the_topics_with_their_claims_in_pinned_queries(
    client, checker, editor, syria, sudan, django_assert_num_queries
):
    for _ in range(3):
        tag(ClaimFactory(), "Syria", actor=editor)
    services.topic_follow(topic=sudan, actor=checker)
    client.force_login(checker)
    client.get("/topics/")
    # session, user, roles, the topics with their counts and whether followed
    with django_assert_num_queries(4):
        r = client.get("/topics/")
    assert r.status_code == 200
    rows = {t.name: (t.claim_count, t.followed) for t in r.context["topics"]}
    assert rows == {"Syria": (3, False), "Sudan war": (0, True)}
    assert f'action="/topics/{sudan.pk}/unfollow/"'.encode() in r.content
    assert f'action="/topics/{syria.pk}/follow/"'.encode() in r.content


def test_the_list_shows_someone_without_a_role_nothing(client, outsider, syria):
    client.force_login(outsider)
    r = client.get("/topics/")
    assert r.status_code == 200 and r.context["topics"] == []


def test_a_topic_page_lists_its_claims_and_links_the_queues(client, editor, syria):
    mine = tag(ClaimFactory(text="Tagged: 40 killed in Aleppo."), "Syria", actor=editor)
    ClaimFactory(text="Not tagged.")
    story = StoryFactory(headline="Aleppo under fire")
    services.story_set_topics(story=story, actor=editor, topics=[syria])
    client.force_login(editor)
    r = client.get(f"/topics/{syria.pk}/")
    assert r.status_code == 200
    assert [c.pk for c in r.context["claims"]] == [mine.pk]
    assert b"Aleppo under fire" in r.content and b"Not tagged." not in r.content
    assert b'href="/queue/flagged/?topic=Syria"' in r.content


def test_a_topic_page_is_not_found_without_a_role(client, outsider, syria):
    client.force_login(outsider)
    assert client.get(f"/topics/{syria.pk}/").status_code == 404
    assert client.post(f"/topics/{syria.pk}/follow/").status_code == 404
    assert not syria.followers.exists()


@pytest.mark.parametrize("persona", ["editor", "checker", "admin"])
def test_each_role_follows_and_unfollows_a_topic(client, request, persona, syria):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    r = client.post(f"/topics/{syria.pk}/follow/", {"next": "/topics/"})
    assert r.status_code == 302 and r["Location"] == "/topics/"
    assert list(syria.followers.all()) == [user]
    r = client.post(f"/topics/{syria.pk}/unfollow/")
    assert r.status_code == 302 and r["Location"] == f"/topics/{syria.pk}/"
    assert not syria.followers.exists()


def test_following_answers_posts_only_and_never_leads_off_the_site(client, checker, syria):
    client.force_login(checker)
    assert client.get(f"/topics/{syria.pk}/follow/").status_code == 405
    r = client.post(f"/topics/{syria.pk}/follow/", {"next": "https://elsewhere.example/"})
    assert r["Location"] == f"/topics/{syria.pk}/"


def test_an_anonymous_visitor_is_sent_to_log_in(client, syria):
    r = client.get("/topics/")
    assert r.status_code == 302 and "/login/" in r["Location"]


# ---------------------------------------------------------------------------
# A claim's panel


def test_the_claim_page_loads_its_topics_panel(client, editor, syria):
    claim = tag(ClaimFactory(), "Syria", actor=editor)
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert f'hx-get="/claims/{claim.pk}/topics/"' in page
    panel = client.get(f"/claims/{claim.pk}/topics/", **HTMX)
    assert panel.status_code == 200
    assert "<html" not in panel.content.decode() and "Syria" in panel.content.decode()
    assert 'name="topics"' in panel.content.decode()
    # Without htmx, a page of its own.
    assert b"<html" in client.get(f"/claims/{claim.pk}/topics/").content


def test_an_editor_tags_a_claim_on_its_page_with_a_history_row(client, editor, syria, sudan):
    claim = ClaimFactory()
    client.force_login(editor)
    r = client.post(
        f"/claims/{claim.pk}/topics/", {"topics": [syria.pk, sudan.pk], "note": "Both."}
    )
    assert r.status_code == 302 and r["Location"] == f"/claims/{claim.pk}/"
    assert set(claim.topics.all()) == {syria, sudan}
    [row] = claim.events.filter(kind=ClaimEvent.Kind.TOPICS)
    assert row.actor == editor and row.note == "Both."
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "topics changed" in page and "Sudan war, Syria" in page


def test_an_htmx_tag_answers_the_panel(client, editor, syria):
    claim = ClaimFactory()
    client.force_login(editor)
    r = client.post(f"/claims/{claim.pk}/topics/", {"topics": [syria.pk]}, **HTMX)
    assert r.status_code == 200 and b"Topics saved." in r.content
    assert b'id="claim-topics"' in r.content


def test_a_fact_checker_sees_the_topics_but_may_not_tag(client, checker, editor, syria):
    claim = tag(ClaimFactory(), "Syria", actor=editor)
    client.force_login(checker)
    panel = client.get(f"/claims/{claim.pk}/topics/", **HTMX).content.decode()
    assert "Syria" in panel and 'name="topics"' not in panel
    r = client.post(f"/claims/{claim.pk}/topics/", {"topics": []})
    assert r.status_code == 403
    assert list(claim.topics.all()) == [syria]


def test_tagging_a_claim_refuses_an_outsider_a_bad_choice_and_a_retracted_claim(
    client, outsider, editor, syria
):
    claim = ClaimFactory()
    client.force_login(outsider)
    assert client.post(f"/claims/{claim.pk}/topics/", {"topics": [syria.pk]}).status_code == 404
    client.force_login(editor)
    r = client.post(f"/claims/{claim.pk}/topics/", {"topics": ["999999"]})
    assert r.status_code == 400 and b"999999" in r.content
    gone = ClaimFactory(status=Status.RETRACTED)
    assert client.post(f"/claims/{gone.pk}/topics/", {"topics": [syria.pk]}).status_code == 409
    assert not claim.topics.exists() and not gone.topics.exists()
    assert client.put(f"/claims/{claim.pk}/topics/").status_code == 405


# ---------------------------------------------------------------------------
# A story's panel: tags and suggestions


def test_the_story_panel_suggests_and_an_editor_accepts_with_a_click(client, editor, syria):
    story = StoryFactory(created_by=editor)
    tag(ClaimFactory(story=story), "Syria", actor=editor)
    client.force_login(editor)
    assert (
        f'hx-get="/stories/{story.pk}/topics/"'
        in client.get(f"/stories/{story.pk}/").content.decode()
    )
    panel = client.get(f"/stories/{story.pk}/topics/", **HTMX).content.decode()
    assert "Suggested by its claims" in panel and "1 of its claims carries it" in panel
    assert not story.topics.exists()  # shown, never applied by showing
    r = client.post(f"/stories/{story.pk}/topics/", {"add": syria.pk}, **HTMX)
    assert r.status_code == 200
    assert list(story.topics.all()) == [syria]
    assert "Suggested by its claims" not in r.content.decode()
    assert StoryEvent.objects.filter(story=story, kind=StoryEvent.Kind.TOPICS).count() == 1


def test_an_editor_sets_a_storys_topics_without_htmx(client, editor, syria, sudan):
    story = StoryFactory()
    client.force_login(editor)
    r = client.post(f"/stories/{story.pk}/topics/", {"topics": [sudan.pk]})
    assert r.status_code == 302 and r["Location"] == f"/stories/{story.pk}/#topics"
    assert list(story.topics.all()) == [sudan]


def test_a_fact_checker_sees_a_storys_topics_without_suggestions_or_forms(
    client, checker, editor, syria
):
    story = StoryFactory()
    tag(ClaimFactory(story=story), "Syria", actor=editor)
    client.force_login(checker)
    panel = client.get(f"/stories/{story.pk}/topics/", **HTMX).content.decode()
    assert "Suggested" not in panel and "<form" not in panel
    assert client.post(f"/stories/{story.pk}/topics/", {"add": syria.pk}).status_code == 403
    assert not story.topics.exists()


def test_a_story_panel_refuses_an_unknown_topic_and_an_outsider(client, editor, outsider):
    story = StoryFactory()
    client.force_login(editor)
    assert client.post(f"/stories/{story.pk}/topics/", {"add": "424242"}).status_code == 400
    client.force_login(outsider)
    assert client.get(f"/stories/{story.pk}/topics/").status_code == 404


# ---------------------------------------------------------------------------
# ?topic= in the queues, as in the API


def test_the_queue_and_the_api_give_the_same_claims_for_a_topic(client, checker, editor, syria):
    tagged = [tag(ClaimFactory(text=f"Tagged {i}."), "Syria", actor=editor) for i in range(3)]
    flagged = tag(ClaimFactory(text="Tagged and flagged."), "Syria", actor=editor)
    open_flag(flagged)
    ClaimFactory(text="Untagged.")
    open_flag(ClaimFactory(text="Flagged, untagged."))
    api = APIClient()
    api.force_authenticate(checker)
    client.force_login(checker)
    everything_tagged = {c.pk for c in tagged} | {flagged.pk}
    cases = (
        ("new", "topic=syria", "status=new&unassigned=true", everything_tagged),
        ("flagged", "topic=SYRIA", "flagged=true", {flagged.pk}),
    )
    for queue, params, fixed, expected in cases:
        page = {c.pk for c in client.get(f"/queue/{queue}/?{params}").context["page"]}
        answer = api.get(f"/api/v1/claims/?{params}&{fixed}").json()["results"]
        assert page == {c["id"] for c in answer} == expected
    listed = api.get("/api/v1/claims/?topic=Syria").json()["results"]
    assert {c["id"] for c in listed} == everything_tagged
    assert api.get("/api/v1/claims/?topic=Nowhere").json()["count"] == 0


def test_a_topic_filter_costs_the_queue_no_query(client, checker, editor, syria):
    for i in range(3):
        tag(ClaimFactory(text=f"Tagged {i}."), "Syria", actor=editor)
    ClaimFactory(text="Untagged.")
    client.force_login(checker)
    client.get("/queue/new/")
    with CaptureQueriesContext(connection) as without:
        client.get("/queue/new/")
    with CaptureQueriesContext(connection) as with_topic:
        r = client.get("/queue/new/?topic=Syria")
    assert len(r.context["page"]) == 3
    # A subquery in the page's own queries, not a query of its own.
    assert len(with_topic) == len(without)


# ---------------------------------------------------------------------------
# The dashboard


def test_the_dashboard_lists_open_flags_by_topic_linking_the_flagged_queue(
    client, checker, editor, syria, sudan
):
    a = tag(ClaimFactory(), "Syria", actor=editor)
    b = tag(ClaimFactory(), "Syria", "Sudan war", actor=editor)
    open_flag(a, b)  # one flag on two claims of Syria: counted once
    open_flag(b, severity=Severity.LOW)
    open_flag(a, severity=Severity.MEDIUM, status=Flag.Status.ACKNOWLEDGED)
    open_flag(a, status=Flag.Status.RESOLVED)
    Topic.objects.create(name="Gaza")  # no open flags: not listed
    client.force_login(checker)
    r = client.get("/")
    assert [(t.name, n) for t, n in r.context["board_topics"]] == [("Syria", 3), ("Sudan war", 2)]
    html = r.content.decode()
    assert 'href="/queue/flagged/?topic=Syria"' in html
    assert 'href="/queue/flagged/?topic=Sudan%20war"' in html
    assert "Gaza" not in html


def test_the_dashboard_shows_someone_without_a_role_no_topics(client, outsider, editor, syria):
    open_flag(tag(ClaimFactory(), "Syria", actor=editor))
    client.force_login(outsider)
    assert client.get("/").context["board_topics"] == []


# ---------------------------------------------------------------------------
# Pinned queries of the pages that list topics or their claims


def _queries(client, url, **extra):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as done:
        r = client.get(url, **extra)
    assert r.status_code == 200
    return len(done)


def test_a_topic_page_costs_the_same_however_many_claims_and_stories(
    client, editor, syria, django_assert_num_queries
):
    client.force_login(editor)
    client.get(f"/topics/{syria.pk}/")
    # session, user, roles, the topic with its counts, its claims' page, its stories
    with django_assert_num_queries(6):
        client.get(f"/topics/{syria.pk}/")
    for i in range(4):
        tag(ClaimFactory(text=f"Tagged {i}."), "Syria", actor=editor)
        services.story_set_topics(story=StoryFactory(), actor=editor, topics=[syria])
    # ... and the claims' sources, one query for the page
    with django_assert_num_queries(7):
        r = client.get(f"/topics/{syria.pk}/")
    assert len(r.context["claims"]) == 4 and len(r.context["stories"]) == 4


def test_the_panels_cost_the_same_however_many_topics(client, editor, syria, sudan):
    story = StoryFactory()
    claim = tag(ClaimFactory(story=story), "Syria", actor=editor)
    client.force_login(editor)
    claim_url, story_url = f"/claims/{claim.pk}/topics/", f"/stories/{story.pk}/topics/"
    _queries(client, claim_url, **HTMX)
    before = (_queries(client, claim_url, **HTMX), _queries(client, story_url, **HTMX))
    for name in ("Gaza", "Yemen", "Aleppo siege"):
        Topic.objects.create(name=name)
        tag(ClaimFactory(story=story), name, actor=editor)
    services.story_set_topics(story=story, actor=editor, topics=["Gaza", "Yemen"])
    after = (_queries(client, claim_url, **HTMX), _queries(client, story_url, **HTMX))
    # claim panel: session, user, the claim, its topics, the list, roles
    # story panel: session, user, the story, roles, its topics, the list, and the four of
    # the suggestions (its claims, the topics they carry, the story's own, the list)
    assert before == after == (6, 10)


def test_the_edit_page_loads_the_topics_panel_too(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)
    page = client.get(f"/claims/{claim.pk}/edit/").content.decode()
    assert f'hx-get="/claims/{claim.pk}/topics/"' in page


# ---------------------------------------------------------------------------
# The admin keeps the list


def test_an_admin_adds_a_topic_and_a_name_twice_is_a_form_error(client, admin, syria):
    client.force_login(admin)
    r = client.post("/admin/claims/topic/add/", {"name": "Sudan war", "description": ""})
    assert r.status_code == 302
    r = client.post("/admin/claims/topic/add/", {"name": "SYRIA", "description": ""})
    assert r.status_code == 200
    assert b"A topic with this name already exists." in r.content
    assert sorted(Topic.objects.values_list("name", flat=True)) == ["Sudan war", "Syria"]
    listing = client.get("/admin/claims/topic/")
    assert listing.status_code == 200 and b"Sudan war" in listing.content


@pytest.mark.parametrize("persona", ["editor", "checker"])
def test_editors_and_checkers_do_not_reach_the_topics_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    r = client.post("/admin/claims/topic/add/", {"name": "Gaza"})
    assert r.status_code == 302 and "/login/" in r["Location"]
    assert not Topic.objects.filter(name="Gaza").exists()
