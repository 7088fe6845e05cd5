"""`?next=` says where to go back to: only a path on this site becomes a link or a
redirect; `javascript:` and other sites are dropped for the page's own default."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

HOSTILE = [
    "javascript:alert(document.cookie)",
    "JavaScript:window.__pwned=1",
    " javascript:window.__pwned=1",
    "https://elsewhere.example/phish",
    "//elsewhere.example/phish",
    "http:\\\\elsewhere.example",
    "data:text/html,<script>alert(1)</script>",
]


def _back_link(html: str) -> str:
    match = re.search(r'<a href="([^"]*)">← Flags</a>', html)
    assert match, "the flag page has a back link"
    return match.group(1)


@pytest.mark.parametrize("target", HOSTILE)
def test_it_never_links_back_to_a_hostile_next(client, checker, conflict, target):
    client.force_login(checker)
    r = client.get(f"/flags/{conflict.pk}/", {"next": target})
    assert r.status_code == 200
    html = r.content.decode()
    assert _back_link(html) == "/flags/"
    assert "elsewhere" not in html
    assert "javascript:" not in html.lower()
    # Nor is it carried into the answer forms, to be followed after the answer.
    assert 'name="next" value=""' in html


def test_it_links_back_to_the_queue_it_came_from(client, checker, conflict):
    client.force_login(checker)
    r = client.get(f"/flags/{conflict.pk}/", {"next": "/flags/?status=open&kind=value_conflict"})
    html = r.content.decode()
    assert _back_link(html) == "/flags/?status=open&amp;kind=value_conflict"
    assert 'name="next" value="/flags/?status=open&amp;kind=value_conflict"' in html


@pytest.mark.parametrize("target", HOSTILE)
def test_it_never_redirects_to_a_hostile_next(client, checker, conflict, target):
    client.force_login(checker)
    r = client.post(
        f"/flags/{conflict.pk}/acknowledge/", {"note": "Looking into it.", "next": target}
    )
    assert r.status_code == 302
    assert r["Location"] == f"/flags/{conflict.pk}/"


def test_it_drops_a_hostile_next_from_a_refused_answer_too(client, checker, conflict):
    client.force_login(checker)
    r = client.post(
        f"/flags/{conflict.pk}/dismiss/", {"note": "", "next": "javascript:window.__pwned=1"}
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert _back_link(html) == "/flags/"
    assert "javascript:" not in html.lower()


def test_it_goes_back_to_a_next_on_this_site_after_an_answer(client, checker, conflict):
    client.force_login(checker)
    r = client.post(
        f"/flags/{conflict.pk}/acknowledge/", {"note": "", "next": "/flags/?kind=value_conflict"}
    )
    assert r["Location"] == "/flags/?kind=value_conflict"


def test_the_login_page_drops_an_offsite_next(client, checker):
    r = client.get("/login/", {"next": "https://elsewhere.example/"})
    assert "elsewhere" not in r.content.decode()
    r = client.post(
        "/login/?next=https://elsewhere.example/",
        {"username": "chris", "password": "pass-word-123", "next": "https://elsewhere.example/"},
    )
    assert r.status_code == 302
    assert "elsewhere" not in r["Location"]
