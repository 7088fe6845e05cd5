"""Evidence, source and story links are plain web addresses (claims/weburl.py), on every path."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claims.models import Evidence, Source, Story

pytestmark = pytest.mark.django_db

BAD = ("ftp://files.example.org/report.pdf", "https://user:secret@example.org/")


@pytest.mark.parametrize("url", BAD)
def test_the_models_refuse_what_is_not_a_web_address(url):
    for model, field in (
        (Evidence, "url"),
        (Evidence, "archived_url"),
        (Source, "url"),
        (Story, "url"),
    ):
        with pytest.raises(ValidationError):
            model._meta.get_field(field).run_validators(url)


def test_a_plain_https_link_is_fine():
    Evidence._meta.get_field("url").run_validators("https://reliefweb.int/report/sudan")
