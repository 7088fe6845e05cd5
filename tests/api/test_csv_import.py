"""Claims come in from a spreadsheet in the columns they go out in: checked by the API's
own rules, written by the same service, refused row by row with field messages, and not
at all with a dry run."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from claims import csvio, imports
from claims.models import Claim, ClaimEvent, ImportJob

pytestmark = pytest.mark.django_db

HEADER = "text,value_low,qualifier,event,place,country,period_kind,sources,reported_on\n"


def _file(body: str, name: str = "claims.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body.encode("utf-8"), content_type="text/csv")


def _post(client, body: str, **extra):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/claims/import/", {"file": _file(body), **extra}, format="multipart")


GOOD = (
    HEADER + "At least 51 people were killed in Aleppo on Tuesday.,51,at_least,killed,Aleppo,SY,,"
    "Observatory,2014-02-13\n"
    # Figures left blank: read from the text, as a typed claim is.
     + '"About 300 people were injured in Homs last week, activists said.",,,,,,,,2014-02-13\n'
)


def test_dry_run_answers_what_a_run_would_do_and_writes_nothing(api, editor, observatory):
    bad = GOOD + "Dozens were killed.,12,sometimes,killed,,,,,2014-02-13\n"
    response = _post(api.as_(editor), bad, dry_run="true")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["rows"], answer["accepted"], answer["dry_run"]) == (3, 2, True)
    assert answer["refused"] == [
        {"row": 4, "errors": {"qualifier": ['"sometimes" is not a valid choice.']}}
    ]
    assert answer["created"] == []
    assert Claim.objects.count() == 0
    assert ClaimEvent.objects.count() == 0


def test_a_run_writes_the_good_rows_through_the_service(api, editor, observatory):
    response = _post(api.as_(editor), GOOD)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["rows"], answer["accepted"], answer["refused"]) == (2, 2, [])
    first, second = (Claim.objects.get(pk=pk) for pk in answer["created"])
    assert (first.value_low, first.qualifier, first.event) == (51, "at_least", "killed")
    assert (first.place.name, first.country) == ("Aleppo", "SY")
    assert [s.name for s in first.sources.all()] == ["Syrian Observatory for Human Rights"]
    assert first.created_by == editor and first.status == "new"
    # The blank figures came from the text.
    # "About 300" is the desk's interval around 300.
    assert (second.value_low, second.value_high, second.qualifier, second.event) == (
        270,
        330,
        "approx",
        "injured",
    )
    assert second.place is not None and second.place.name == "Homs"
    assert second.period_kind == "span"
    # History as for a claim typed on the desk.
    assert ClaimEvent.objects.filter(kind=ClaimEvent.Kind.CREATED, actor=editor).count() == 2


def test_a_row_the_service_refuses_leaves_the_others_written(api, editor, observatory):
    body = GOOD + "About 40 were killed in Idlib.,40,approx,killed,Idlib,SY,,Nobody Known,\n"
    answer = _post(api.as_(editor), body).json()
    assert answer["accepted"] == 2
    assert answer["refused"][0]["row"] == 4
    assert "Nobody Known" in " ".join(answer["refused"][0]["errors"]["sources"])
    assert Claim.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe\x00t\x00e\x00x\x00t", "UTF-8"),
        (b"words,value_low\nsomething,1\n", "text"),
    ],
)
def test_an_unreadable_file_is_a_400_on_the_file(api, editor, content, message):
    upload = SimpleUploadedFile("x.csv", content, content_type="text/csv")
    response = api.as_(editor).post("/api/v1/claims/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    assert message in " ".join(response.json()["file"])
    assert Claim.objects.count() == 0


def test_a_missing_file_is_a_400(api, editor):
    response = api.as_(editor).post("/api/v1/claims/import/", {}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_the_roles_that_log_no_claims_import_none(api, checker, outsider):
    assert _post(api.as_(checker), GOOD).status_code == 403
    assert _post(api.as_(outsider), GOOD).status_code == 403
    assert _post(APIClient(), GOOD).status_code in (401, 403)
    assert Claim.objects.count() == 0


def test_a_long_file_is_a_job_whose_progress_is_stored(
    api, editor, observatory, monkeypatch, django_capture_on_commit_callbacks, eager_celery
):
    monkeypatch.setattr(imports, "SYNC_ROWS", 1)
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 1)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(api.as_(editor), GOOD)
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["url"] == f"/api/v1/imports/{job['id']}/"
    done = api.as_(editor).get(job["url"]).json()
    assert (done["state"], done["rows"], done["processed"], done["accepted"]) == (
        "done",
        2,
        2,
        2,
    )
    assert Claim.objects.filter(pk__in=done["created"]).count() == 2


def test_a_job_is_seen_by_its_owner_and_admins_only(api, editor, admin, checker):
    job = ImportJob.objects.create(created_by=editor, content=GOOD, rows=2)
    assert api.as_(editor).get(f"/api/v1/imports/{job.pk}/").status_code == 200
    assert api.as_(admin).get(f"/api/v1/imports/{job.pk}/").status_code == 200
    assert api.as_(checker).get(f"/api/v1/imports/{job.pk}/").status_code == 404


def test_a_job_delivered_twice_runs_once(editor, observatory):
    job = ImportJob.objects.create(created_by=editor, content=GOOD, rows=2)
    imports.import_job_run(job.pk)
    imports.import_job_run(job.pk)
    assert Claim.objects.count() == 2


def test_the_page_uploads_a_file_and_follows_its_progress(
    client, editor, observatory, django_capture_on_commit_callbacks, eager_celery
):
    client.force_login(editor)
    page = client.get("/claims/import/")
    assert page.status_code == 200 and b"Dry run" in page.content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/claims/import/", {"file": _file(GOOD), "dry_run": "on"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    detail = client.get(response["Location"]).content.decode()
    assert "Nothing was written: this was a dry run." in detail
    assert Claim.objects.count() == 0
    fragment = client.get(f"/imports/{job.pk}/?part=progress").content.decode()
    assert 'value="100"' in fragment and "hx-trigger" not in fragment


def test_the_page_shows_a_bad_file_with_its_reason(client, editor):
    client.force_login(editor)
    response = client.post("/claims/import/", {"file": _file("a,b\n1,2\n")})
    assert response.status_code == 400
    assert "no “text” column" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_page_is_for_those_who_log_claims(client, checker):
    client.force_login(checker)
    assert client.get("/claims/import/").status_code == 403


def test_round_trip_export_import_export_gives_the_same_rows(api, editor, checker, observatory):
    """Export, import into an empty desk, export again: the same claims."""
    typed = [
        {"text": "At least 51 people were killed in Aleppo on Tuesday, the Observatory said."},
        {"text": "About 400 were killed in Aleppo so far this month, per the Observatory."},
        {
            "text": "Twelve people died in the strike.",
            "value_low": 12,
            "qualifier": "exact",
            "event": "killed",
            "place": {"name": "Idlib", "country": "SY"},
            "sources": ["Observatory"],
        },
        {"text": "Between 20 and 30 were wounded, medics said."},
    ]
    for data in typed:
        response = api.as_(editor).post("/api/v1/claims/", {**data, "reported_on": "2014-02-13"})
        assert response.status_code == 201, response.content

    def export() -> tuple[bytes, list[dict[str, str]]]:
        response = api.as_(checker).get("/api/v1/claims/?format=csv&ordering=value")
        body = b"".join(response.streaming_content)
        return body, list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))

    body, before = export()
    assert len(before) == 4
    Claim.objects.all().delete()
    upload = SimpleUploadedFile("export.csv", body, content_type="text/csv")
    answer = (
        api.as_(editor).post("/api/v1/claims/import/", {"file": upload}, format="multipart").json()
    )
    assert (answer["accepted"], answer["refused"]) == (4, [])
    assert sorted(answer["ignored_columns"]) == sorted(csvio.EXPORT_ONLY)
    _, after = export()
    kept = [c for c in csvio.CLAIM_COLUMNS if c not in csvio.EXPORT_ONLY]
    assert [[r[c] for c in kept] for r in after] == [[r[c] for c in kept] for r in before]
