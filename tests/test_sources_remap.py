"""Source words already on claims follow the register: an alias or source added later
maps them (issue 11, defect 9), through the API, the admin, the services and
`manage.py remap_sources`, each mapping recorded in the claim's history."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from claims import services, tasks
from claims.models import Attribution, Claim, ClaimEvent, Source
from tests.factories import ClaimFactory, SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

MSF = "Médecins Sans Frontières"
WORDS = "Doctors Without Borders"


@pytest.fixture
def api():  # type: ignore[no-untyped-def]
    return APIClient()


@pytest.fixture
def msf():  # type: ignore[no-untyped-def]
    return SourceFactory(name=MSF, kind=Source.Kind.MEDICAL, grade="B")


@pytest.fixture
def unmapped():  # type: ignore[no-untyped-def]
    """Claims logged before the register knew the words their copy used."""
    return {
        "first": ClaimFactory(text="Nine were wounded, the charity said.", source_text=WORDS),
        "second": ClaimFactory(
            text="Forty treated overnight.", source_text="doctors without borders"
        ),
        "other": ClaimFactory(text="Six killed, a resident said.", source_text="a local resident"),
        "mapped": ClaimFactory(text="Twelve killed.", source_text=""),
    }  # fmt: skip


def fresh(claim: Claim) -> Claim:
    return Claim.objects.get(pk=claim.pk)


def assert_mapped(claim: Claim, source: Source, actor, alias: str) -> None:  # type: ignore[no-untyped-def]
    claim = fresh(claim)
    assert claim.source_text == ""
    attribution = claim.attributions.get()
    assert (attribution.source, attribution.role) == (source, Attribution.Role.ATTRIBUTED_TO)
    assert attribution.source_text.lower() == WORDS.lower()  # the copy's words stay on record
    assert claim.version == 2
    event = claim.events.get()
    assert (event.kind, event.actor) == (ClaimEvent.Kind.EDITED, actor)
    assert event.note == f"source words mapped to {source.name} after alias {alias!r} was added"
    assert event.details["changed"]["sources"] == [[], [source.name]]


def assert_untouched(*claims: Claim) -> None:
    for claim in claims:
        claim = fresh(claim)
        assert claim.version == 1 and not claim.attributions.exists()
        assert not claim.events.exists()


def test_it_maps_old_claims_when_an_admin_adds_an_alias_through_the_api(
    api, admin, msf, unmapped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api.force_authenticate(admin)
        r = api.patch(f"/api/v1/sources/{msf.pk}/", {"aliases": ["MSF", WORDS]}, format="json")
    assert r.status_code == 200, r.json()
    assert_mapped(unmapped["first"], msf, admin, WORDS)
    assert_mapped(unmapped["second"], msf, admin, WORDS)
    assert fresh(unmapped["other"]).source_text == "a local resident"
    assert_untouched(unmapped["other"], unmapped["mapped"])


def test_it_maps_old_claims_when_an_admin_creates_the_source_through_the_api(
    api, admin, unmapped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        api.force_authenticate(admin)
        r = api.post(
            "/api/v1/sources/",
            {"name": WORDS, "kind": "medical", "grade": "B", "aliases": ["MSF"]},
            format="json",
        )
    assert r.status_code == 201, r.json()
    source = Source.objects.get(name=WORDS)
    assert_mapped(unmapped["first"], source, admin, WORDS)
    assert_untouched(unmapped["other"])


def test_it_maps_old_claims_when_an_alias_is_added_in_the_admin(
    client, admin, msf, unmapped, django_capture_on_commit_callbacks
):
    msf.aliases.create(name="MSF")
    alias = msf.aliases.get()
    client.force_login(admin)
    form = {
        "name": MSF,
        "kind": "medical",
        "grade": "B",
        "country": "SY",
        "url": "",
        "notes": "",
        "active": "on",
        "aliases-TOTAL_FORMS": "2",
        "aliases-INITIAL_FORMS": "1",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
        "aliases-0-id": str(alias.pk),
        "aliases-0-source": str(msf.pk),
        "aliases-0-name": "MSF",
        "aliases-1-id": "",
        "aliases-1-source": str(msf.pk),
        "aliases-1-name": WORDS,
    }
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(f"/admin/claims/source/{msf.pk}/change/", form)
    assert r.status_code == 302, r.context["errors"] if r.context else r
    assert sorted(msf.aliases.values_list("name", flat=True)) == [WORDS, "MSF"]
    assert_mapped(unmapped["first"], msf, admin, WORDS)
    assert_mapped(unmapped["second"], msf, admin, WORDS)
    assert_untouched(unmapped["other"])


def test_saving_a_source_queues_the_remap_only_after_commit(
    admin, msf, unmapped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.source_update(source=msf, actor=admin, changes={}, aliases=[WORDS])
    # Nothing is mapped inside the admin's transaction: a worker does it afterwards.
    assert fresh(unmapped["first"]).source_text == WORDS
    assert len(queued) == 1
    queued[0]()
    assert_mapped(unmapped["first"], msf, admin, WORDS)


def test_saving_a_source_with_no_new_name_queues_nothing(
    admin, msf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.source_update(source=msf, actor=admin, changes={"grade": "A"})
    assert queued == []


def test_the_task_is_safe_to_run_twice(admin, msf, unmapped):
    msf.aliases.create(name=WORDS)
    assert tasks.remap_source_words(msf.pk, admin.pk, [WORDS]) == 2
    assert tasks.remap_source_words(msf.pk, admin.pk, [WORDS]) == 0
    assert_mapped(unmapped["first"], msf, admin, WORDS)


def test_the_task_of_a_deleted_source_does_nothing(admin, unmapped):
    assert tasks.remap_source_words(999_999, admin.pk, [WORDS]) == 0
    assert_untouched(unmapped["first"])


def test_a_claim_already_attributed_to_the_source_keeps_one_attribution(admin, msf, unmapped):
    claim = unmapped["first"]
    Attribution.objects.create(claim=claim, source=msf, source_text="the charity")
    msf.aliases.create(name=WORDS)
    assert services.claims_remap_sources(actor=admin, source=msf, added=[WORDS]) == 2
    claim = fresh(claim)
    assert claim.source_text == "" and claim.attributions.get().source_text == "the charity"


def test_the_command_maps_every_claim_inline_and_says_how_many(msf, unmapped):
    msf.aliases.create(name=WORDS)
    other = SourceFactory(name="Example Residents Network")
    other.aliases.create(name="a local resident")
    out = io.StringIO()
    call_command("remap_sources", stdout=out)
    assert "Mapped 3 claims." in out.getvalue()
    assert fresh(unmapped["other"]).attributions.get().source == other
    event = fresh(unmapped["first"]).events.get()
    assert event.actor is None
    assert event.note == f"source words mapped to {MSF} by remap_sources"
    out = io.StringIO()
    call_command("remap_sources", stdout=out)
    assert "Mapped 0 claims." in out.getvalue()


def test_the_claim_page_shows_the_mapped_source(client, editor, msf, unmapped):
    client.force_login(editor)
    before = client.get(f"/claims/{unmapped['first'].pk}/").content.decode()
    assert f"The copy names “{WORDS}”, not yet mapped" in before
    msf.aliases.create(name=WORDS)
    call_command("remap_sources", stdout=io.StringIO())
    page = client.get(f"/claims/{unmapped['first'].pk}/").content.decode()
    assert "not yet mapped" not in page
    assert MSF in page and f"the copy says “{WORDS}”" in page
    assert "source words mapped to" in page  # the history says why


# ---------------------------------------------------------------------------
# One account of a claim's sources: story cards, claim pages and the edit page


BODY = (
    "At least 40 people were treated for wounds in Aleppo on Wednesday, "
    "Doctors Without Borders said."
)


def accepted_card(client, story) -> str:  # type: ignore[no-untyped-def]
    """The story page's card of the story's one candidate, once it is accepted."""
    html = client.get(f"/stories/{story.pk}/").content.decode()
    start = html.index('class="cand-card')
    return html[start : html.index("</li>", start)]


@pytest.fixture
def accepted(editor, msf):  # type: ignore[no-untyped-def]
    """A claim accepted from a story before the register knew the charity's English name."""
    from tests.factories import StoryFactory

    story = StoryFactory(body=BODY)
    (found,) = [c for c in services_candidates(story) if c.candidate.has_number]
    claim = services.candidate_accept(
        story=story, start=found.candidate.start, end=found.candidate.end, actor=editor
    )
    return story, claim


def services_candidates(story):  # type: ignore[no-untyped-def]
    from claims.selectors import story_candidates

    return story_candidates(story=story)


def test_the_story_card_and_the_claim_page_agree_once_an_alias_is_added(
    client, editor, msf, accepted
):
    story, claim = accepted
    assert claim.source_text == WORDS and not claim.attributions.exists()
    msf.aliases.create(name=WORDS)
    call_command("remap_sources", stdout=io.StringIO())
    client.force_login(editor)
    card = accepted_card(client, story)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    edit = client.get(f"/claims/{claim.pk}/edit/").content.decode()
    assert MSF in card and "unmapped" not in card
    assert MSF in page and "not yet mapped" not in page
    assert MSF in edit


def test_an_accepted_card_shows_the_claims_sources_not_a_new_reading(client, editor, msf, accepted):
    story, claim = accepted
    # The register learns the words, but nobody has mapped this claim yet: the story card
    # must not say the claim is MSF's while its own page says it has no source.
    msf.aliases.create(name=WORDS)
    client.force_login(editor)
    card = accepted_card(client, story)
    assert MSF not in card and WORDS in card


def claim_form_state(claim: Claim):  # type: ignore[no-untyped-def]
    from claims.views.claims import _claim_state

    # Every value of each field, as the browser posts it (a QueryDict given to the test
    # client would post only the last value of a field that repeats).
    return dict(_claim_state(claim).lists())


def test_the_edit_page_keeps_a_source_in_two_roles(client, checker, msf):
    claim = ClaimFactory(text="Forty treated, the charity said and its staff confirmed.")
    Attribution.objects.create(claim=claim, source=msf, role=Attribution.Role.ATTRIBUTED_TO)
    Attribution.objects.create(claim=claim, source=msf, role=Attribution.Role.CORROBORATED_BY)
    client.force_login(checker)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert page.count(f"{MSF} <span") == 2
    edit = client.get(f"/claims/{claim.pk}/edit/").content.decode()
    assert edit.count(f'name="role_{msf.pk}"') == 2  # one role field per attribution
    # What the edit page holds and posts back when only the note is written.
    data = claim_form_state(claim)
    data.update({"version": str(claim.version), "note": "Figure unchanged."})
    client.post(f"/claims/{claim.pk}/edit/", data)
    roles_now = sorted(Attribution.objects.filter(claim=claim).values_list("role", flat=True))
    assert roles_now == ["attributed_to", "corroborated_by"]
