"""Merging two sources of the register (issue 11, defect 9): the service and the admin
action. Everything that named the old source names the survivor, nothing is lost,
and the claims' history says what happened."""

from __future__ import annotations

import pytest

from claims import services
from claims.errors import ActionForbidden, InvalidInput
from claims.models import Attribution, Claim, ClaimEvent, Evidence, Source, SourceAlias
from claims.parsing.sources import resolve_source
from claims.selectors import parse_context
from tests.factories import AttributionFactory, ClaimFactory, EvidenceFactory, SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_celery")]

OLD = "Observatory for Human Rights in Syria"
NEW = "Syrian Observatory for Human Rights"


@pytest.fixture
def pair():  # type: ignore[no-untyped-def]
    """One monitor entered twice, each entry with claims, evidence, aliases and links."""
    survivor = SourceFactory(name=NEW, grade="C")
    survivor.aliases.create(name="SOHR")
    old = SourceFactory(name=OLD, grade="D")
    old.aliases.create(name="the Britain-based Observatory")
    government = SourceFactory(name="Example Ministry", kind=Source.Kind.GOVERNMENT)
    wire = SourceFactory(name="Example Wire", kind=Source.Kind.WIRE)
    old.depends_on.add(government, survivor)
    wire.depends_on.add(old)
    only_old = ClaimFactory(text="Only the old entry.")
    AttributionFactory(claim=only_old, source=old, source_text="the Observatory group")
    both = ClaimFactory(text="Both entries, one role.")
    AttributionFactory(claim=both, source=survivor)
    AttributionFactory(claim=both, source=old, source_text="the monitor")
    two_roles = ClaimFactory(text="Both entries, two roles.")
    AttributionFactory(claim=two_roles, source=survivor)
    AttributionFactory(claim=two_roles, source=old, role=Attribution.Role.CORROBORATED_BY)
    with_evidence = ClaimFactory(text="Evidence from the old entry.")
    evidence = EvidenceFactory(claim=with_evidence, source=old)
    untouched = ClaimFactory(text="Nothing to do with either.")
    AttributionFactory(claim=untouched, source=government)
    return {
        "survivor": survivor, "old": old, "government": government, "wire": wire,
        "only_old": only_old, "both": both, "two_roles": two_roles,
        "with_evidence": with_evidence, "evidence": evidence, "untouched": untouched,
    }  # fmt: skip


def sources_of(claim: Claim) -> list[tuple[str, str, str]]:
    return sorted(
        (a.source.name, a.role, a.source_text)
        for a in Attribution.objects.filter(claim=claim).select_related("source")
    )


def test_it_moves_attributions_and_collapses_duplicates(admin, pair):
    survivor = services.source_merge(source=pair["old"], into=pair["survivor"], actor=admin)
    assert survivor == pair["survivor"]
    assert not Source.objects.filter(pk=pair["old"].pk).exists()
    assert sources_of(pair["only_old"]) == [(NEW, "attributed_to", "the Observatory group")]
    # The survivor's attribution absorbs the duplicate and keeps the copy's words.
    assert sources_of(pair["both"]) == [(NEW, "attributed_to", "the monitor")]
    assert sources_of(pair["two_roles"]) == [
        (NEW, "attributed_to", ""),
        (NEW, "corroborated_by", ""),
    ]
    assert Evidence.objects.get(pk=pair["evidence"].pk).source == survivor


def test_the_old_name_and_its_aliases_resolve_to_the_survivor(admin, pair):
    services.source_merge(source=pair["old"], into=pair["survivor"], actor=admin)
    assert sorted(pair["survivor"].aliases.values_list("name", flat=True)) == [
        OLD,
        "SOHR",
        "the Britain-based Observatory",
    ]
    assert services.source_resolve([OLD])[0].source == pair["survivor"]
    match = resolve_source(f"the {OLD}", parse_context().sources)
    assert match is not None and match.source_id == pair["survivor"].pk


def test_the_independence_links_move_without_linking_the_survivor_to_itself(admin, pair):
    survivor = services.source_merge(source=pair["old"], into=pair["survivor"], actor=admin)
    assert list(survivor.depends_on.all()) == [pair["government"]]
    assert list(pair["wire"].depends_on.all()) == [survivor]


def test_it_records_the_merge_on_each_claim_and_on_the_survivor(admin, pair):
    services.source_merge(source=pair["old"], into=pair["survivor"], actor=admin)
    note = f"source {OLD} merged into {NEW}"
    for name in ("only_old", "both", "two_roles", "with_evidence"):
        claim = Claim.objects.get(pk=pair[name].pk)
        assert claim.version == 2, name
        event = claim.events.get()
        assert (event.kind, event.actor, event.note) == (ClaimEvent.Kind.EDITED, admin, note)
    changed = Claim.objects.get(pk=pair["only_old"].pk).events.get().details["changed"]
    assert changed == {"sources": [[OLD], [NEW]]}
    untouched = Claim.objects.get(pk=pair["untouched"].pk)
    assert untouched.version == 1 and not untouched.events.exists()
    record = pair["survivor"].history.first()
    assert record.history_user == admin and OLD in record.history_change_reason


def test_the_claim_page_shows_the_survivor_and_the_merge(client, editor, admin, pair):
    services.source_merge(source=pair["old"], into=pair["survivor"], actor=admin)
    client.force_login(editor)
    page = client.get(f"/claims/{pair['only_old'].pk}/").content.decode()
    assert NEW in page and f"source {OLD} merged into {NEW}" in page


@pytest.mark.parametrize("persona", ["editor", "checker"])
def test_only_admins_merge(request, pair, persona):
    with pytest.raises(ActionForbidden):
        services.source_merge(
            source=pair["old"], into=pair["survivor"], actor=request.getfixturevalue(persona)
        )
    assert Source.objects.filter(pk=pair["old"].pk).exists()
    assert not ClaimEvent.objects.exists()


def test_a_source_is_not_merged_into_itself_or_into_nothing(admin, pair):
    with pytest.raises(InvalidInput):
        services.source_merge(source=pair["old"], into=pair["old"], actor=admin)
    with pytest.raises(InvalidInput):
        services.source_merge(source=pair["old"], into=999_999, actor=admin)
    assert Source.objects.filter(pk=pair["old"].pk).exists()
    assert sources_of(pair["only_old"]) == [(OLD, "attributed_to", "the Observatory group")]


def test_an_alias_equal_to_the_survivors_name_is_dropped(admin, pair):
    pair["old"].aliases.create(name="the Syrian Observatory for Human Rights")
    services.source_merge(source=pair["old"], into=pair["survivor"], actor=admin)
    assert not SourceAlias.objects.filter(name__icontains="Syrian Observatory").exists()


# ---------------------------------------------------------------------------
# The admin action


def test_an_admin_merges_sources_from_the_admin(client, admin, pair):
    client.force_login(admin)
    picked = {"action": "merge_sources", "_selected_action": [pair["old"].pk, pair["survivor"].pk]}
    r = client.post("/admin/claims/source/", picked)
    assert r.status_code == 200
    html = r.content.decode()
    assert "Merge sources" in html and OLD in html and NEW in html
    assert Source.objects.filter(pk=pair["old"].pk).exists()  # asked, not done yet
    r = client.post("/admin/claims/source/", {**picked, "apply": "1", "into": pair["survivor"].pk})
    assert r.status_code == 302
    assert not Source.objects.filter(pk=pair["old"].pk).exists()
    assert sources_of(pair["only_old"]) == [(NEW, "attributed_to", "the Observatory group")]
    assert Claim.objects.get(pk=pair["only_old"].pk).events.get().actor == admin
    messages = [str(m) for m in client.get(r["Location"]).context["messages"]]
    assert any(f"Merged {OLD} into {NEW}" in m for m in messages)


def test_the_admin_action_needs_a_survivor_among_the_picked(client, admin, pair):
    client.force_login(admin)
    picked = {"action": "merge_sources", "_selected_action": [pair["old"].pk, pair["survivor"].pk]}
    r = client.post("/admin/claims/source/", {**picked, "apply": "1", "into": pair["wire"].pk})
    assert r.status_code == 200  # asked again
    assert Source.objects.filter(pk=pair["old"].pk).exists()


def test_the_admin_action_needs_two_sources(client, admin, pair):
    client.force_login(admin)
    picked = {"action": "merge_sources", "_selected_action": [pair["old"].pk]}
    r = client.post("/admin/claims/source/", picked, follow=True)
    assert "Pick at least two sources" in r.content.decode()
    assert Source.objects.filter(pk=pair["old"].pk).exists()


def test_words_left_unmapped_under_an_inactive_entry_name_the_survivor(
    admin, pair, django_capture_on_commit_callbacks
):
    Source.objects.filter(pk=pair["old"].pk).update(active=False)
    claim = ClaimFactory(text="Seven killed.", source_text=OLD)
    with django_capture_on_commit_callbacks(execute=True):
        services.source_merge(source=pair["old"], into=pair["survivor"], actor=admin)
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.source_text == "" and claim.attributions.get().source == pair["survivor"]
    assert claim.events.get().note == f"source words mapped to {NEW} after alias {OLD!r} was added"
