"""The queue's menus (places, sources, fact-checkers) are kept by the process and read
again when their rows change, however they change: the next page shows the change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from claims import roles
from claims.models import Place, Source
from claims.selectors import menus
from tests.factories import PlaceFactory, SourceFactory, make_user

pytestmark = pytest.mark.django_db


def options(response, field):  # type: ignore[no-untyped-def]
    """The (value, label) pairs a menu of the page offers."""
    form = response.context["bulk_form" if field == "bulk" else "form"]
    widget = form.fields["assignee"].widget if field == "bulk" else form.fields[field].widget
    return [(str(value), str(label)) for value, label in widget.choices if value != ""]


@pytest.fixture
def page(client, checker):  # type: ignore[no-untyped-def]
    client.force_login(checker)

    def get(**params):  # type: ignore[no-untyped-def]
        r = client.get("/queue/new/", params)
        assert r.status_code == 200
        return r

    return get


def test_a_new_source_is_in_the_menu_on_the_next_page(page):  # type: ignore[no-untyped-def]
    SourceFactory(name="Observatory")
    assert options(page(), "source") == [(str(Source.objects.get().pk), "Observatory")]
    added = SourceFactory(name="Civil defence")
    assert (str(added.pk), "Civil defence") in options(page(), "source")
    html = page(source=added.pk).content.decode()
    assert f'<option value="{added.pk}" selected>Civil defence</option>' in html


def test_a_change_made_without_the_models_is_seen_too(page):  # type: ignore[no-untyped-def]
    # A bulk update sends no signal and bypasses save(): what another process, a
    # migration or the admin's bulk actions do.
    place = PlaceFactory(name="Aleppo")
    source = SourceFactory(name="Observatory")
    first = page()
    assert (str(place.pk), "Aleppo (SY)") in options(first, "place")
    Place.objects.filter(pk=place.pk).update(name="Halab")
    Source.objects.filter(pk=source.pk).update(name="SOHR")
    second = page()
    assert (str(place.pk), "Halab (SY)") in options(second, "place")
    assert options(second, "source") == [(str(source.pk), "SOHR")]
    Source.objects.filter(pk=source.pk).delete()
    assert options(page(), "source") == []


def test_who_may_be_assigned_follows_the_roles(page, checker):  # type: ignore[no-untyped-def]
    newcomer = make_user(None, "newcomer")
    assert "newcomer" not in dict(options(page(), "assignee")).values()
    newcomer.groups.add(Group.objects.get(name=roles.CHECKER))
    shown = page()
    for menu in ("assignee", "bulk"):
        assert (str(newcomer.pk), "newcomer") in options(shown, menu)
    newcomer.is_active = False
    newcomer.save(update_fields=["is_active"])
    gone = page()
    for menu in ("assignee", "bulk"):
        assert (str(newcomer.pk), "newcomer") not in options(gone, menu)
    assert (str(checker.pk), checker.username) in options(gone, "bulk")


def test_unchanged_menus_cost_one_query(checker, django_assert_num_queries):  # type: ignore[no-untyped-def]
    PlaceFactory()
    SourceFactory()
    read = menus.filter_menus(user=checker)
    with django_assert_num_queries(1):
        kept = menus.filter_menus(user=checker)
    assert kept is read and len(kept.places) == len(kept.sources) == 1
    SourceFactory(name="Another")
    # the digest, then the places, sources and fact-checkers
    with django_assert_num_queries(4):
        assert len(menus.filter_menus(user=checker).sources) == 2


def test_no_role_no_menus(outsider, django_assert_num_queries):  # type: ignore[no-untyped-def]
    SourceFactory()
    with django_assert_num_queries(1):  # the user's roles
        assert menus.filter_menus(user=outsider) == menus.NO_MENUS
