"""A name is folded one way, the parser's: the desk stores and looks up aliases by the key
the parser reads copy with, so a name the parser resolves the API resolves too."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from claims import services
from claims.models import SourceAlias
from claims.parsing.sources import normalise_name as parser_key
from tests.factories import SourceAliasFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_it_stores_an_alias_under_the_parsers_key():
    alias = SourceAliasFactory(name="Doctors Without Borders (MSF)")
    assert alias.normalised == parser_key(alias.name) == "doctors without borders"


def test_it_resolves_the_words_the_parser_would_resolve():
    msf = SourceFactory(name="Médecins Sans Frontières")
    SourceAliasFactory(source=msf, name="Doctors Without Borders")
    words_in_copy = (
        "Doctors Without Borders (MSF)",
        "the Doctors Without Borders",
        "MEDECINS SANS FRONTIERES.",
    )
    for words in words_in_copy:
        [ref] = services.source_resolve([words])
        assert ref.source == msf, words


def test_it_rekeys_the_aliases_stored_before():
    alias = SourceAliasFactory(name="Doctors Without Borders (MSF)")
    SourceAlias.objects.filter(pk=alias.pk).update(normalised="doctors without borders (msf)")
    import_module("claims.migrations.0012_rekey_source_aliases").forward(apps, None)
    alias.refresh_from_db()
    assert alias.normalised == "doctors without borders"


def test_it_rekeys_without_breaking_the_one_name_one_source_rule():
    msf, iom = SourceFactory(name="MSF"), SourceFactory(name="IOM")
    # As the older key stored them (bulk_create, so save() does not fold them again).
    SourceAlias.objects.bulk_create(
        [
            SourceAlias(source=msf, name="Doctors Without Borders", normalised="msf 1"),
            SourceAlias(source=msf, name="Doctors Without Borders (MSF)", normalised="msf 2"),
            SourceAlias(source=iom, name="The U.N. agency", normalised="u.n. agency"),
            SourceAlias(source=msf, name="U.N. Agency", normalised="u.n. agency (old)"),
        ]
    )  # fmt: skip
    import_module("claims.migrations.0012_rekey_source_aliases").forward(apps, None)
    keys = dict(SourceAlias.objects.values_list("name", "normalised"))
    assert keys == {
        "Doctors Without Borders": "doctors without borders",
        "The U.N. agency": "u n agency",
        "U.N. Agency": "u.n. agency (old)",
    }
