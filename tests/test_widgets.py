"""PlainSelect writes what forms.Select writes, without the template engine."""

import pytest
from django import forms

from claims.widgets import PlainSelect

CHOICES = [
    ("", "any"),
    (1, "Aleppo"),
    (2, 'Deir ez-Zor "east" & <west>'),
    ("it's", "O'Brien's"),
    (3, "Aleppo"),
]


@pytest.mark.parametrize("value", [None, "", "1", 2, "it's", "missing", ["1", "3"]])
@pytest.mark.parametrize(
    "attrs", [None, {"id": "id_place"}, {"id": "id_place", "required": True, "disabled": False}]
)
def test_it_writes_the_same_html_as_select(value, attrs):  # type: ignore[no-untyped-def]
    expected = forms.Select(choices=CHOICES).render("place", value, attrs)
    assert PlainSelect(choices=CHOICES).render("place", value, attrs) == expected


def test_it_keeps_its_own_attrs_and_escapes_the_name():  # type: ignore[no-untyped-def]
    own = {"class": "wide", "data-x": 'a"b'}
    expected = forms.Select(attrs=own, choices=CHOICES).render('pl"ace', "2", {"id": "x"})
    assert PlainSelect(attrs=own, choices=CHOICES).render('pl"ace', "2", {"id": "x"}) == expected


def test_it_leaves_option_groups_to_django():  # type: ignore[no-untyped-def]
    grouped = [("", "any"), ("Syria", [(1, "Aleppo"), (2, "Homs")])]
    expected = forms.Select(choices=grouped).render("place", "2")
    assert PlainSelect(choices=grouped).render("place", "2") == expected


def test_the_queue_filters_use_it(client, checker):  # type: ignore[no-untyped-def]
    client.force_login(checker)
    form = client.get("/queue/new/").context["form"]
    assert isinstance(form.fields["place"].widget, PlainSelect)
    assert isinstance(form.fields["event"].widget, PlainSelect)


def test_the_place_menu_names_places_as_their_rows_do(checker):  # type: ignore[no-untyped-def]
    from claims import selectors
    from tests.factories import PlaceFactory

    city = PlaceFactory()
    places = {p.pk: str(p) for p in selectors.place_list(user=checker)}
    assert dict(selectors.place_choices(user=checker)) == places
    assert places[city.pk] == f"{city.name} ({city.country})"
