"""Evidence pages are kept as they were seen when the evidence is added and when its claim
is decided: the text to read beside the live link, the HTML as a download that never runs
on the desk."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import pagetext, services
from claims.models import EvidenceSnapshot, Status
from tests.factories import ClaimFactory, EvidenceFactory

pytestmark = pytest.mark.django_db

PAGE = (
    b"<html><head><meta charset='utf-8'><title>Toll report</title>"
    b"<style>p { color: red }</style><script>alert('page script')</script></head>"
    b"<body><h1>Aleppo</h1><p>At least 51 people were killed on Tuesday.</p>"
    b"<p>Caf\xc3\xa9 owners said the market was shut.</p></body></html>"
)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        page = self.server.pages.get(self.path)  # type: ignore[attr-defined]
        if page is None:
            self.send_response(404)
            self.end_headers()
            return
        body, content_type = page
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def site(settings, tmp_path) -> Iterator[ThreadingHTTPServer]:  # type: ignore[no-untyped-def]
    settings.LINKCHECK_ALLOW_PRIVATE = True  # the test's pages are served on loopback
    settings.MEDIA_ROOT = tmp_path
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.pages = {  # type: ignore[attr-defined]
        "/report": (PAGE, "text/html"),
        "/data.pdf": (b"%PDF-1.4 binary", "application/pdf"),
    }
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()


def _url(site: ThreadingHTTPServer, path: str) -> str:
    return f"http://127.0.0.1:{site.server_address[1]}{path}"


def test_page_text_keeps_the_words_and_drops_scripts_and_styles():
    text = pagetext.page_text(PAGE, "text/html")
    assert text.splitlines() == [
        "Toll report",
        "Aleppo",
        "At least 51 people were killed on Tuesday.",
        "Café owners said the market was shut.",
    ]
    assert pagetext.page_text(b"%PDF-1.4", "application/pdf") == ""
    latin = "Caf\xe9".encode("latin-1")
    assert pagetext.page_text(latin, "text/plain; charset=iso-8859-1") == "Café"


def test_evidence_added_is_captured_after_commit(
    site, editor, django_capture_on_commit_callbacks, eager_celery
):
    claim = ClaimFactory()
    with django_capture_on_commit_callbacks(execute=True):
        evidence = services.evidence_add(claim=claim, actor=editor, url=_url(site, "/report"))
    snapshot = EvidenceSnapshot.objects.get(evidence=evidence)
    assert (snapshot.reason, snapshot.status, snapshot.error) == ("added", 200, "")
    assert "At least 51 people were killed on Tuesday." in snapshot.text
    assert "page script" not in snapshot.text
    with snapshot.html.open("rb") as stored:
        assert stored.read() == PAGE
    import hashlib

    assert snapshot.sha256 == hashlib.sha256(PAGE).hexdigest()


def test_a_decision_captures_every_page_it_rests_on(
    site, checker, django_capture_on_commit_callbacks, eager_celery
):
    claim = ClaimFactory(status=Status.IN_REVIEW, assignee=checker)
    report = EvidenceFactory(claim=claim, url=_url(site, "/report"))
    gone = EvidenceFactory(claim=claim, url=_url(site, "/missing"))
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_transition(claim=claim, actor=checker, to=Status.VERIFIED, note="Checked.")
    kept = EvidenceSnapshot.objects.get(evidence=report, reason="decided")
    assert kept.ok and "Aleppo" in kept.text
    missing = EvidenceSnapshot.objects.get(evidence=gone, reason="decided")
    assert missing.status == 404 and not missing.ok and not missing.html


def test_a_page_that_is_not_text_keeps_its_file_only(site, editor):
    evidence = EvidenceFactory(url=_url(site, "/data.pdf"))
    snapshot = services.evidence_capture(evidence_id=evidence.pk, reason="added")
    assert snapshot is not None
    assert snapshot.text == "" and snapshot.html and snapshot.content_type == "application/pdf"


def test_the_snapshot_page_shows_the_text_and_downloads_the_html_safely(client, site, checker):
    evidence = EvidenceFactory(url=_url(site, "/report"))
    snapshot = services.evidence_capture(evidence_id=evidence.pk, reason="added")
    assert snapshot is not None
    client.force_login(checker)
    page = client.get(f"/snapshots/{snapshot.pk}/").content.decode()
    assert "At least 51 people were killed on Tuesday." in page
    assert "alert(" not in page
    download = client.get(f"/snapshots/{snapshot.pk}/page.html")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Content-Type"] == "application/octet-stream"
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PAGE
    claim_page = client.get(evidence.claim.get_absolute_url()).content.decode()
    assert f"/snapshots/{snapshot.pk}/" in claim_page


def test_snapshots_are_for_the_desk_only(client, site, outsider):
    evidence = EvidenceFactory(url=_url(site, "/report"))
    snapshot = services.evidence_capture(evidence_id=evidence.pk, reason="added")
    assert snapshot is not None
    anonymous = client.get(f"/snapshots/{snapshot.pk}/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    client.force_login(outsider)
    assert client.get(f"/snapshots/{snapshot.pk}/").status_code == 404
    assert client.get(f"/snapshots/{snapshot.pk}/page.html").status_code == 404


def test_the_claim_page_costs_the_same_queries_with_more_snapshots(client, site, checker):
    claim = ClaimFactory()
    evidence = EvidenceFactory(claim=claim, url=_url(site, "/report"))
    services.evidence_capture(evidence_id=evidence.pk, reason="added")
    client.force_login(checker)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(claim.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    queries()
    before = queries()
    for _ in range(3):
        more = EvidenceFactory(claim=claim, url=_url(site, "/report"))
        services.evidence_capture(evidence_id=more.pk, reason="added")
    assert queries() == before


def test_the_dossier_holds_each_snapshot_with_its_hash_and_text(client, site, checker):
    evidence = EvidenceFactory(url=_url(site, "/report"))
    snapshot = services.evidence_capture(evidence_id=evidence.pk, reason="added")
    assert snapshot is not None
    client.force_login(checker)
    page = client.get(f"/claims/{evidence.claim_id}/dossier/").content.decode()
    assert snapshot.sha256 in page
    assert "When the evidence was added" in page
    assert "At least 51 people were killed on Tuesday." in page
