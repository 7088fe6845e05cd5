"""Two people editing one claim on the edit page: a three-way merge of the version the
form was loaded from, theirs and yours. Only the fields a person changed are theirs to
keep, untouched fields take the newer values, and a field both changed differently is
a 409 that shows just that field, side by side, for the person to decide."""

from __future__ import annotations

from typing import Any

import pytest

from claims.models import (
    CLAIM_TEXT_MAX_CHARS,
    Attribution,
    Claim,
    ClaimEvent,
)
from tests.factories import ClaimFactory, SourceFactory

pytestmark = pytest.mark.django_db


def loaded(claim: Claim) -> dict[str, list[str]]:
    """The edit page's form as the browser gets it (every value of each field)."""
    from claims.views.claims import _claim_state

    claim.refresh_from_db()
    return dict(_claim_state(claim).lists())


def save(client: Any, claim: Claim, form: dict[str, Any], **typed: str) -> Any:
    data = {**form, **{name: [value] for name, value in typed.items()}, "action": ["save"]}
    return client.post(f"/claims/{claim.pk}/edit/", data)


def rows(r: Any) -> list[tuple[str, str, str]]:
    return [(row.label, row.theirs, row.yours) for row in r.context["conflict"]]


def test_it_keeps_both_peoples_changes_to_different_fields(client, editor, checker):
    claim = ClaimFactory(created_by=editor)
    hers, his = loaded(claim), loaded(claim)  # both at version 1
    client.force_login(checker)
    assert save(client, claim, hers, value_low="60").status_code == 302
    client.force_login(editor)
    r = save(client, claim, his, time_expression="on Wednesday")
    assert r.status_code == 302
    claim.refresh_from_db()
    assert (claim.value_low, claim.time_expression, claim.version) == (60, "on Wednesday", 3)
    edit = ClaimEvent.objects.filter(claim=claim, kind="edited").last()
    assert edit is not None and set(edit.details["changed"]) == {"time_expression"}


def test_a_field_both_changed_is_the_only_row_of_the_conflict(client, editor, checker):
    claim = ClaimFactory(created_by=editor)
    hers, his = loaded(claim), loaded(claim)
    client.force_login(checker)
    assert save(client, claim, hers, value_low="60", unit="civilians").status_code == 302
    client.force_login(editor)
    r = save(client, claim, his, value_low="45", time_expression="on Wednesday")
    assert r.status_code == 409
    assert rows(r) == [("Low", "60", "45")]  # not the unit, which only she changed
    page = r.content.decode()
    assert "Someone saved this claim while you were editing" in page
    form = r.context["form"]
    # Her unit is in the form now; his figure and time words are still his.
    assert form["unit"].value() == "civilians"
    assert form["value_low"].value() == "45"
    assert form["time_expression"].value() == "on Wednesday"
    claim.refresh_from_db()
    assert (claim.value_low, claim.version) == (60, 2)


def test_saving_after_the_conflict_keeps_the_other_persons_changes(client, editor, checker):
    claim = ClaimFactory(created_by=editor)
    hers, his = loaded(claim), loaded(claim)
    client.force_login(checker)
    save(client, claim, hers, value_low="60", unit="civilians")
    client.force_login(editor)
    r = save(client, claim, his, value_low="45")
    assert r.status_code == 409
    # He decides for his figure and saves the form the 409 gave him.
    again = {name: r.context["form"].data.getlist(name) for name in r.context["form"].data}
    assert save(client, claim, again).status_code == 302
    claim.refresh_from_db()
    assert (claim.value_low, claim.unit, claim.version) == (45, "civilians", 3)


def test_he_may_take_their_value_instead(client, editor, checker):
    claim = ClaimFactory(created_by=editor)
    hers, his = loaded(claim), loaded(claim)
    client.force_login(checker)
    save(client, claim, hers, value_low="60")
    client.force_login(editor)
    r = save(client, claim, his, value_low="45", time_expression="on Wednesday")
    again = {name: r.context["form"].data.getlist(name) for name in r.context["form"].data}
    assert save(client, claim, again, value_low="60").status_code == 302
    claim.refresh_from_db()
    assert (claim.value_low, claim.time_expression) == (60, "on Wednesday")


def test_the_same_change_by_both_is_no_conflict(client, editor, checker):
    claim = ClaimFactory(created_by=editor)
    hers, his = loaded(claim), loaded(claim)
    client.force_login(checker)
    save(client, claim, hers, value_low="60")
    client.force_login(editor)
    assert save(client, claim, his, value_low="60", unit="civilians").status_code == 302
    claim.refresh_from_db()
    assert (claim.value_low, claim.unit) == (60, "civilians")


def test_a_source_added_by_one_survives_the_others_edit(client, editor, checker):
    claim = ClaimFactory(created_by=editor)
    wire = SourceFactory(name="Example Wire")
    hers, his = loaded(claim), loaded(claim)
    client.force_login(checker)
    with_source = {**hers, "sources": [str(wire.pk)], f"role_{wire.pk}": ["attributed_to"]}
    assert save(client, claim, with_source).status_code == 302
    assert [a.source for a in claim.attributions.all()] == [wire]
    client.force_login(editor)
    assert save(client, claim, his, value_low="45").status_code == 302
    claim.refresh_from_db()
    assert claim.value_low == 45
    assert list(Attribution.objects.filter(claim=claim).values_list("source", flat=True)) == [
        wire.pk
    ]


def test_a_forged_record_of_the_loaded_form_is_ignored(client, editor, checker):
    claim = ClaimFactory(created_by=editor)
    hers, his = loaded(claim), loaded(claim)
    client.force_login(checker)
    save(client, claim, hers, value_low="60")
    client.force_login(editor)
    his["loaded"] = ["not signed"]
    # Without a record it can trust, the page counts every field that differs from the
    # stored claim as his: her figure is then a conflict, never silently undone.
    r = save(client, claim, his, time_expression="on Wednesday")
    assert r.status_code == 409
    assert [row[0] for row in rows(r)] == ["Low"]
    claim.refresh_from_db()
    assert claim.value_low == 60


# Back after save: the browser shows the form as it was loaded.


def test_the_edit_page_is_never_kept_by_the_browser(client, editor):
    claim = ClaimFactory(created_by=editor)
    client.force_login(editor)
    r = client.get(f"/claims/{claim.pk}/edit/")
    assert "no-store" in r["Cache-Control"]


def test_saving_again_from_the_form_before_the_save_is_no_conflict(client, editor):
    claim = ClaimFactory(created_by=editor)
    form = loaded(claim)
    client.force_login(editor)
    assert save(client, claim, form, value_low="60").status_code == 302
    # Back, then Save again with what the form held, and once more with a new change.
    assert save(client, claim, form, value_low="60").status_code == 302
    assert save(client, claim, form, value_low="60", unit="civilians").status_code == 302
    claim.refresh_from_db()
    assert (claim.value_low, claim.unit, claim.version) == (60, "civilians", 3)


# The claim box says when the words run over the limit; saving refuses them with it.


def test_the_claim_boxes_cut_nothing(client, editor):
    claim = ClaimFactory(created_by=editor)
    client.force_login(editor)
    for url in ("/claims/new/", f"/claims/{claim.pk}/edit/"):
        page = client.get(url).content.decode()
        assert "maxlength" not in page.split('name="text"')[1].split(">")[0]
        assert f'data-max-chars="{CLAIM_TEXT_MAX_CHARS}"' in page
        assert "js/claim_form.js" in page


def test_saving_words_over_the_limit_says_the_limit(client, editor):
    claim = ClaimFactory(created_by=editor)
    client.force_login(editor)
    long_text = "About 400 people were killed in Aleppo. " * 130
    r = save(client, claim, loaded(claim), text=long_text)
    assert r.status_code == 400
    message = r.context["form"].errors["text"][0]
    assert f"{CLAIM_TEXT_MAX_CHARS:,}" in message and f"{len(long_text.strip()):,}" in message
    claim.refresh_from_db()
    assert claim.version == 1
