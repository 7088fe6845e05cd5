"""Who may do what, endpoint by endpoint: every API endpoint and every page action
against anonymous visitors, signed-in users without a role, editors, fact-checkers and
admins, each cell asserted against the table below (README, "Who may do what").

A cell is the class of the answer, not its exact code:

- `ok`: done (2xx, or a redirect that is not to a login page);
- `login`: sent to log in (a redirect to a login page; 401 on the API);
- `403`: refused for the role; `409`: refused for the state the claim is in (the role
  may do it to claims in another state); `404`: the user may not see the thing at all.

The claims the rows act on: `new` (new, with evidence), `mine` (in review, assigned to
the fact-checker persona), `theirs` (in review, assigned to another fact-checker),
`decided` (attributed by the fact-checker persona, with evidence). Each cell runs on a
fresh desk, so one cell's write never changes another's answer.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone
from rest_framework.test import APIClient

from claims import roles, selectors, services
from claims.checks import sync
from claims.models import (
    Claim,
    Evidence,
    EvidenceSnapshot,
    Flag,
    ImportJob,
    Incident,
    Status,
    Topic,
    WebhookEndpoint,
)
from claims.services import notifications
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    StoryFactory,
    make_user,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "outsider", "editor", "checker", "admin")

# Made up for these tests: two figures, the first accepted and then changed in the copy.
BODY = (
    "At least 27 people were killed in Aleppo yesterday, activists said.\n\n"
    "Officials said 14 people were injured in Homs on Monday."
)
EDITED = BODY.replace("At least 27", "At least 35")
CSV = b"text,reported_on\nOfficials said 14 people were injured in Homs.,2014-02-13\n"


@dataclass
class Desk:
    users: dict[str, Any]
    ids: dict[str, Any]


@pytest.fixture
def desk(db) -> Desk:  # type: ignore[no-untyped-def]
    users = {
        "anonymous": None,
        "outsider": make_user(None, "olly"),
        "editor": make_user(roles.EDITOR, "eddie"),
        "checker": make_user(roles.CHECKER, "chris"),
        "admin": make_user(roles.ADMIN, "ada"),
    }
    casey = make_user(roles.CHECKER, "casey")
    chris, eddie = users["checker"], users["editor"]
    new = ClaimFactory(created_by=eddie)
    ev_new = EvidenceFactory(claim=new, url="https://www.example.org/new")
    mine = ClaimFactory(status=Status.IN_REVIEW, assignee=chris, value_low=60)
    theirs = ClaimFactory(status=Status.IN_REVIEW, assignee=casey, value_low=70)
    decided = ClaimFactory(status=Status.ATTRIBUTED, assignee=chris, value_low=80)
    ev_decided = EvidenceFactory(
        claim=decided, url="https://www.example.org/decided", stance=Evidence.Stance.CONTEXT
    )
    # A value conflict between two claims, raised by the scan as the jobs raise it.
    sohr = ClaimFactory(text="At least 51 killed in Aleppo on 12 Feb, the Observatory said.")
    AttributionFactory(claim=sohr, source=SourceFactory(name="Observatory", grade="C"))
    wire = ClaimFactory(
        text="Between 20 and 30 were killed in Aleppo on Wednesday, medics said.",
        value_low=20,
        value_high=30,
        qualifier="range",
    )
    source = SourceFactory(name="Example Wire", grade="D")
    AttributionFactory(claim=wire, source=source)
    sync.scan_contradictions()
    flag = Flag.objects.filter(kind="value_conflict").first()
    twin = SourceFactory(name="Example Wire Service", grade="D")
    # A story: the first figure accepted, then changed in the copy; the second open.
    story = StoryFactory(
        headline="Aleppo toll",
        body=BODY,
        published_at=dt.datetime(2014, 2, 13, 15, 0, tzinfo=dt.UTC),
        created_by=eddie,
    )
    found = {f.candidate.words: f.candidate for f in selectors.story_candidates(story=story)}
    first, second = found["At least 27 people"], found["14 people"]
    services.candidate_accept(story=story, start=first.start, end=first.end, actor=eddie)
    story = services.story_update(story=story, actor=eddie, changes={"body": EDITED})
    changed = {f.candidate.words: f.candidate for f in selectors.story_candidates(story=story)}
    now = changed["At least 35 people"]
    incident = Incident.objects.create(label="Market bombing, Aleppo, 12 Feb")
    other_incident = Incident.objects.create(label="Market bombing in Aleppo")
    linked = ClaimFactory(incident=incident, value_low=90)
    # The incident job's suggestion that two claims are one incident.
    suggestion = Flag.objects.create(
        kind=Flag.Kind.INCIDENT_SUGGESTED,
        message="These may be one incident.",
        fingerprint="suggestion",
        last_seen=timezone.now(),
    )
    suggestion.claims.add(sohr, wire)
    job = ImportJob.objects.create(
        created_by=eddie, filename="claims.csv", content=CSV.decode(), dry_run=True
    )
    snapshot = EvidenceSnapshot.objects.create(
        evidence=ev_new, reason="added", taken_at=timezone.now(), status=200, text="As seen."
    )
    # A notification of the fact-checker persona's; a webhook endpoint.
    note = notifications.notify(chris, event="assigned", key="matrix", message="Yours.", claim=new)
    webhook = WebhookEndpoint.objects.create(
        url="https://hooks.example.org/desk", secret="s3cret", events=["flag.raised"]
    )
    topic = Topic.objects.create(name="Syria")
    ids = {
        "new": new.pk,
        "mine": mine.pk,
        "theirs": theirs.pk,
        "decided": decided.pk,
        "ev_new": ev_new.pk,
        "ev_decided": ev_decided.pk,
        "flag": flag.pk if flag else 0,
        "source": source.pk,
        "twin": twin.pk,
        "story": story.pk,
        "open_start": second.start,
        "open_end": second.end,
        "changed_start": now.start,
        "changed_end": now.end,
        "incident": incident.pk,
        "other_incident": other_incident.pk,
        "linked": linked.pk,
        "suggestion": suggestion.pk,
        "job": job.pk,
        "snapshot": snapshot.pk,
        "chris": chris.pk,
        "note": note.pk if note else 0,
        "webhook": webhook.pk,
        "topic": topic.pk,
    }
    return Desk(users, ids)


# ---------------------------------------------------------------------------
# The table


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # with {new}, {story}, ... from the desk's ids
    expect: tuple[str, str, str, str, str]  # anonymous, outsider, editor, checker, admin
    data: Callable[[Desk], dict[str, Any]] | dict[str, Any] | None = None
    what: str = ""
    # For a page that answers a refusal with a redirect and a message, as it answers
    # success: whether the write happened.
    effect: Callable[[Desk], bool] | None = None

    @property
    def api(self) -> bool:
        # The docs are a page for a browser, behind the site's login like the others.
        return self.path.startswith("/api/") and not self.path.startswith("/api/docs/")

    def label(self) -> str:
        return f"{self.method} {self.path}{' (' + self.what + ')' if self.what else ''}"


def claim_form(pk_name: str, **changes: Any) -> Callable[[Desk], dict[str, Any]]:
    def data(desk: Desk) -> dict[str, Any]:
        from claims.forms import ClaimForm

        values = ClaimForm.initial_for(Claim.objects.get(pk=desk.ids[pk_name]))
        values.update(changes)
        return values

    return data


def move(pk_name: str, to: str, note: str = "Because.") -> Callable[[Desk], dict[str, Any]]:
    def data(desk: Desk) -> dict[str, Any]:
        return {"to": to, "note": note, "version": Claim.objects.get(pk=desk.ids[pk_name]).version}

    return data


def open_span(desk: Desk, **more: Any) -> dict[str, Any]:
    return {"start": desk.ids["open_start"], "end": desk.ids["open_end"], **more}


def changed_span(desk: Desk, **more: Any) -> dict[str, Any]:
    return {"start": desk.ids["changed_start"], "end": desk.ids["changed_end"], **more}


def suggestion_answered(desk: Desk) -> bool:
    return Flag.objects.get(pk=desk.ids["suggestion"]).status != Flag.Status.OPEN


OK, LOGIN, NO, STATE, GONE, BAD = "ok", "login", "403", "409", "404", "400"
# A redirect back with a message, and nothing written.
REFUSED = "refused"

#          anonymous outsider editor checker admin
ROWS: list[Row] = [
    # --- API: the root, the reader, the schema ----------------------------------------
    Row("GET", "/api/v1/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/api/schema/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/api/docs/", (LOGIN, OK, OK, OK, OK)),
    Row("POST", "/api/v1/parse/", (LOGIN, NO, OK, OK, OK),
        {"text": "At least 27 people were killed in Aleppo yesterday.",
         "reported_on": "2014-02-13"}),
    # --- API: claims --------------------------------------------------------------------
    Row("GET", "/api/v1/claims/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/api/v1/imports/", (LOGIN, NO, OK, OK, OK)),
    Row("GET", "/api/v1/imports/{job}/", (LOGIN, NO, OK, GONE, OK), what="the editor's"),
    Row("POST", "/api/v1/claims/import/", (LOGIN, NO, OK, NO, OK), lambda d: {
        "file": SimpleUploadedFile("claims.csv", CSV, content_type="text/csv"),
        "dry_run": "true"}, "a dry run"),
    Row("POST", "/api/v1/claims/", (LOGIN, NO, OK, NO, OK),
        {"text": "Officials said 14 people were injured in Homs on Monday."}),
    Row("POST", "/api/v1/claims/", (LOGIN, NO, NO, NO, OK),
        {"text": "Officials said 14 people were injured in Homs.", "priority": 3},
        "with a priority"),
    Row("GET", "/api/v1/claims/{new}/", (LOGIN, GONE, OK, OK, OK)),
    Row("PATCH", "/api/v1/claims/{new}/", (LOGIN, GONE, OK, OK, OK),
        {"value_low": 52, "version": 1}, "words, new"),
    Row("PATCH", "/api/v1/claims/{mine}/", (LOGIN, GONE, STATE, OK, OK),
        {"value_low": 61, "version": 1}, "words, in review"),
    Row("PATCH", "/api/v1/claims/{theirs}/", (LOGIN, GONE, STATE, NO, OK),
        {"value_low": 71, "version": 1}, "words, in review with another checker"),
    Row("PATCH", "/api/v1/claims/{decided}/", (LOGIN, GONE, STATE, STATE, OK),
        {"value_low": 81, "version": 1}, "words, decided"),
    Row("PATCH", "/api/v1/claims/{new}/", (LOGIN, GONE, NO, OK, OK),
        {"priority": 3, "due_at": "2014-03-01T12:00:00Z", "version": 1}, "priority and due"),
    Row("PATCH", "/api/v1/claims/{mine}/", (LOGIN, GONE, NO, OK, OK),
        {"credibility": 2, "version": 1}, "credibility, in review"),
    Row("PATCH", "/api/v1/claims/{theirs}/", (LOGIN, GONE, NO, NO, OK),
        {"credibility": 2, "version": 1}, "credibility, another checker's"),
    Row("GET", "/api/v1/claims/{decided}/claimreview/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/api/v1/claims/{decided}/publish/", (LOGIN, GONE, NO, OK, OK),
        {"summary": "One monitor's count only."}),
    Row("POST", "/api/v1/claims/{new}/publish/", (LOGIN, GONE, NO, STATE, STATE),
        {"summary": "One monitor's count only."}, "undecided"),
    Row("POST", "/api/v1/claims/{decided}/unpublish/", (LOGIN, GONE, NO, STATE, STATE),
        {"note": "Withdrawn."}, "nothing published"),
    Row("POST", "/api/v1/claims/{new}/transition/", (LOGIN, GONE, NO, OK, OK),
        {"to": "in_review"}, "take"),
    Row("POST", "/api/v1/claims/{mine}/transition/", (LOGIN, GONE, NO, OK, OK),
        {"to": "disputed", "note": "Sources clash."}, "decide"),
    Row("POST", "/api/v1/claims/{theirs}/transition/", (LOGIN, GONE, NO, NO, OK),
        {"to": "disputed", "note": "Sources clash."}, "decide another's"),
    Row("POST", "/api/v1/claims/{decided}/transition/", (LOGIN, GONE, NO, OK, OK),
        {"to": "in_review", "note": "A second source."}, "reopen"),
    Row("POST", "/api/v1/claims/{new}/transition/", (LOGIN, GONE, OK, OK, OK),
        {"to": "retracted", "note": "Cut from the copy."}, "retract new"),
    Row("POST", "/api/v1/claims/{theirs}/transition/", (LOGIN, GONE, STATE, NO, OK),
        {"to": "retracted", "note": "Cut from the copy."}, "retract another's in review"),
    Row("POST", "/api/v1/claims/{decided}/transition/", (LOGIN, GONE, STATE, OK, OK),
        {"to": "retracted", "note": "Cut from the copy."}, "retract decided"),
    Row("POST", "/api/v1/claims/{new}/merge/", (LOGIN, GONE, NO, OK, OK),
        lambda d: {"into": d.ids["mine"], "note": "Logged twice."}),
    # --- API: sources -------------------------------------------------------------------
    Row("GET", "/api/v1/sources/", (LOGIN, OK, OK, OK, OK)),
    Row("POST", "/api/v1/sources/", (LOGIN, NO, NO, NO, OK),
        {"name": "Aleppo Media Centre", "kind": "activists", "grade": "D"}),
    Row("GET", "/api/v1/sources/{source}/", (LOGIN, GONE, OK, OK, OK)),
    Row("PATCH", "/api/v1/sources/{source}/", (LOGIN, GONE, NO, NO, OK), {"grade": "C"}),
    Row("POST", "/api/v1/sources/{twin}/merge/", (LOGIN, GONE, NO, NO, OK),
        lambda d: {"into": d.ids["source"]}),
    # --- API: stories -------------------------------------------------------------------
    Row("GET", "/api/v1/stories/", (LOGIN, OK, OK, OK, OK)),
    Row("POST", "/api/v1/stories/", (LOGIN, NO, OK, NO, OK),
        {"headline": "Homs toll", "body": "Five people died in Homs on Monday.",
         "published_at": "2014-02-13T12:00:00Z"}),
    Row("GET", "/api/v1/stories/{story}/", (LOGIN, GONE, OK, OK, OK)),
    Row("PATCH", "/api/v1/stories/{story}/", (LOGIN, GONE, OK, NO, OK), {"desk": "Middle East"}),
    Row("POST", "/api/v1/stories/{story}/extract/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/api/v1/stories/{story}/accept/", (LOGIN, GONE, OK, NO, OK), open_span),
    Row("POST", "/api/v1/stories/{story}/reject/", (LOGIN, GONE, OK, NO, OK),
        lambda d: open_span(d, note="A background figure.")),
    Row("POST", "/api/v1/stories/{story}/accept-bulk/", (LOGIN, GONE, OK, NO, OK),
        lambda d: {"candidates": [open_span(d)], "note": ""}),
    Row("POST", "/api/v1/stories/{story}/reject-bulk/", (LOGIN, GONE, OK, NO, OK),
        lambda d: {"candidates": [open_span(d)], "note": "Background."}),
    Row("POST", "/api/v1/stories/{story}/reread/", (LOGIN, GONE, OK, NO, OK),
        lambda d: changed_span(d, version=1)),
    Row("POST", "/api/v1/stories/{story}/keep/", (LOGIN, GONE, OK, NO, OK),
        lambda d: changed_span(d, note="27 is the sourced figure.")),
    # --- API: flags ---------------------------------------------------------------------
    Row("GET", "/api/v1/flags/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/api/v1/flags/{flag}/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/api/v1/flags/{flag}/acknowledge/", (LOGIN, GONE, NO, OK, OK),
        {"note": "Looking into it."}),
    Row("POST", "/api/v1/flags/{flag}/resolve/", (LOGIN, GONE, NO, OK, OK),
        {"note": "The floor.", "figure_low": 51, "rule": "lowest_credible"}),
    Row("POST", "/api/v1/flags/{flag}/dismiss/", (LOGIN, GONE, NO, OK, OK),
        {"note": "Different days."}),
    # --- API: incidents -----------------------------------------------------------------
    Row("GET", "/api/v1/incidents/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/api/v1/incidents/{incident}/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/api/v1/incidents/confirm/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"flag": d.ids["suggestion"], "note": "Same market, same day."}),
    Row("POST", "/api/v1/incidents/reject/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"flag": d.ids["suggestion"], "note": "Different markets."}),
    Row("POST", "/api/v1/incidents/", (LOGIN, NO, OK, OK, OK),
        {"label": "Strike on a bakery, Homs, 3 Feb"}),
    Row("PATCH", "/api/v1/incidents/{incident}/", (LOGIN, GONE, OK, OK, OK),
        {"label": "Market bombing, Aleppo"}),
    Row("POST", "/api/v1/incidents/{incident}/link/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"claim": d.ids["new"], "note": "Same market."}),
    Row("POST", "/api/v1/incidents/{incident}/unlink/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"claim": d.ids["linked"], "note": "Another day."}),
    Row("POST", "/api/v1/incidents/{other_incident}/merge/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"into": d.ids["incident"], "note": "Entered twice."}),
    Row("POST", "/api/v1/incidents/{incident}/split/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"claims": [d.ids["linked"]], "label": "Second strike, Aleppo"}),
    # --- API: notifications (one's own) and webhooks (admins) ---------------------------
    Row("GET", "/api/v1/notifications/", (LOGIN, OK, OK, OK, OK)),
    Row("POST", "/api/v1/notifications/read/", (LOGIN, OK, OK, OK, OK), {}),
    Row("POST", "/api/v1/notifications/{note}/read/", (LOGIN, GONE, GONE, OK, GONE),
        what="the fact-checker's"),
    Row("GET", "/api/v1/webhooks/", (LOGIN, NO, NO, NO, OK)),
    Row("GET", "/api/v1/webhooks/{webhook}/", (LOGIN, NO, NO, NO, OK)),
    Row("POST", "/api/v1/webhooks/", (LOGIN, NO, NO, NO, BAD),
        {"url": "http://127.0.0.1:9/hook", "secret": "s3cret", "events": ["flag.raised"]},
        "a loopback address"),
    # --- API: topics (admins keep the list in the admin; editors tag) -------------------
    Row("GET", "/api/v1/topics/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/api/v1/topics/{topic}/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/api/v1/topics/{topic}/follow/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/api/v1/topics/{topic}/unfollow/", (LOGIN, GONE, OK, OK, OK)),
    Row("PATCH", "/api/v1/claims/{decided}/", (LOGIN, GONE, OK, NO, OK),
        {"topics": ["Syria"]}, "topics, decided"),
    # --- Pages: the desk ----------------------------------------------------------------
    Row("GET", "/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/login/", (OK, OK, OK, OK, OK)),
    Row("POST", "/logout/", (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN), what="back to the login page"),
    Row(
        "POST",
        "/i18n/setlang/",
        (OK, OK, OK, OK, OK),
        data={"language": "ar", "next": "/"},
        what="the language switcher, for anyone",
    ),
    Row("GET", "/draft/", (LOGIN, NO, OK, OK, OK)),
    Row("POST", "/draft/", (LOGIN, NO, OK, OK, OK),
        {"text": "At least 27 people were killed in Aleppo yesterday.",
         "reported_on": "2014-02-13"}),
    Row("GET", "/queue/new/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/queue/new/export.csv", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/flags/export.csv", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/claims/import/", (LOGIN, NO, OK, NO, OK)),
    Row("GET", "/imports/{job}/", (LOGIN, GONE, OK, GONE, OK), what="the editor's"),
    Row("GET", "/snapshots/{snapshot}/", (LOGIN, GONE, OK, OK, OK)),
    Row("GET", "/snapshots/{snapshot}/page.html", (LOGIN, GONE, GONE, GONE, GONE),
        what="no page kept"),
    Row("GET", "/queue/corrections/", (LOGIN, OK, OK, OK, OK)),
    Row("POST", "/queue/new/take/{new}/", (LOGIN, GONE, NO, OK, OK)),
    # An outsider's queue lists no claims, so any ticked one is not a choice: 400.
    Row("POST", "/queue/new/bulk/", (LOGIN, BAD, NO, OK, OK),
        lambda d: {"bulk-action": "priority", "bulk-claims": [d.ids["new"]], "bulk-priority": "3"}),
    Row("GET", "/sources/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/sources/{source}/", (LOGIN, GONE, OK, OK, OK)),
    Row("GET", "/sources/search/?q=Wire", (LOGIN, NO, OK, OK, OK)),
    # The time-in-stage report times people's work: for those who run the queues.
    Row("GET", "/reports/", (LOGIN, NO, NO, OK, OK)),
    Row("GET", "/reports/export.csv", (LOGIN, NO, NO, OK, OK)),
    # --- Pages: claims ------------------------------------------------------------------
    Row("GET", "/claims/new/", (LOGIN, NO, OK, NO, OK)),
    Row("POST", "/claims/new/", (LOGIN, NO, OK, NO, OK),
        {"action": "save", "text": "Officials said 14 people were injured in Homs on Monday.",
         "reported_on": "2014-02-13", "population": "all"}),
    Row("POST", "/claims/read/", (LOGIN, NO, OK, NO, OK),
        {"text": "Officials said 14 people were injured in Homs.", "reported_on": "2014-02-13"}),
    Row("POST", "/claims/sources/", (LOGIN, NO, OK, OK, OK), {"q": "Wire"}),
    Row("GET", "/claims/{new}/", (LOGIN, GONE, OK, OK, OK)),
    Row("GET", "/claims/{new}/edit/", (LOGIN, GONE, OK, OK, OK)),
    Row("GET", "/claims/{mine}/edit/", (LOGIN, GONE, NO, OK, OK)),
    Row("GET", "/claims/{theirs}/edit/", (LOGIN, GONE, NO, NO, OK)),
    Row("POST", "/claims/{new}/edit/", (LOGIN, GONE, OK, OK, OK),
        claim_form("new", value_low="52")),
    Row("POST", "/claims/{mine}/edit/", (LOGIN, GONE, STATE, OK, OK),
        claim_form("mine", value_low="61")),
    Row("POST", "/claims/{theirs}/edit/", (LOGIN, GONE, STATE, NO, OK),
        claim_form("theirs", value_low="71")),
    Row("POST", "/claims/{new}/transition/", (LOGIN, GONE, NO, OK, OK),
        move("new", "in_review"), "take"),
    Row("POST", "/claims/{mine}/transition/", (LOGIN, GONE, NO, OK, OK),
        move("mine", "disputed"), "decide"),
    Row("POST", "/claims/{theirs}/transition/", (LOGIN, GONE, NO, NO, OK),
        move("theirs", "disputed"), "decide another's"),
    Row("POST", "/claims/{decided}/transition/", (LOGIN, GONE, NO, OK, OK),
        move("decided", "in_review"), "reopen"),
    Row("POST", "/claims/{new}/transition/", (LOGIN, GONE, OK, OK, OK),
        move("new", "retracted"), "retract new"),
    Row("POST", "/claims/{decided}/transition/", (LOGIN, GONE, STATE, OK, OK),
        move("decided", "retracted"), "retract decided"),
    Row("POST", "/claims/{new}/assign/", (LOGIN, GONE, NO, OK, OK),
        lambda d: {"assignee": d.ids["chris"], "version": 1}),
    Row("POST", "/claims/{decided}/evidence/", (LOGIN, GONE, OK, OK, OK),
        {"url": "https://www.example.org/more", "stance": "supports"}),
    Row("POST", "/claims/{new}/evidence/{ev_new}/remove/", (LOGIN, GONE, OK, OK, OK),
        {"note": "Dead link."}, "new claim"),
    Row("POST", "/claims/{decided}/evidence/{ev_decided}/remove/", (LOGIN, GONE, STATE, STATE, OK),
        {"note": "Dead link."}, "decided claim"),
    Row("POST", "/claims/{decided}/comments/", (LOGIN, GONE, OK, OK, OK),
        {"body": "The wire has a newer figure."}),
    Row("GET", "/claims/{decided}/dossier/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/claims/{decided}/publish/", (LOGIN, GONE, NO, OK, OK),
        {"summary": "One monitor's count only."}),
    Row("POST", "/claims/{decided}/unpublish/", (LOGIN, GONE, NO, STATE, STATE),
        {"note": "Withdrawn."}, "nothing published"),
    Row("POST", "/claims/{new}/merge/", (LOGIN, GONE, NO, OK, OK),
        lambda d: {"into": d.ids["mine"], "confirm": "on"}),
    # --- Pages: notifications, one's own ------------------------------------------------
    Row("GET", "/notifications/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/notifications/bell/", (LOGIN, OK, OK, OK, OK)),
    Row("POST", "/notifications/read/", (LOGIN, OK, OK, OK, OK)),
    Row("POST", "/notifications/settings/", (LOGIN, OK, OK, OK, OK), {"assigned": "digest"}),
    Row("POST", "/notifications/{note}/read/", (LOGIN, GONE, GONE, OK, GONE),
        what="the fact-checker's"),
    # --- Pages: topics ------------------------------------------------------------------
    Row("GET", "/topics/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/topics/{topic}/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/topics/{topic}/follow/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/topics/{topic}/unfollow/", (LOGIN, GONE, OK, OK, OK)),
    Row("GET", "/claims/{decided}/topics/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/claims/{decided}/topics/", (LOGIN, GONE, OK, NO, OK),
        lambda d: {"topics": [d.ids["topic"]]}),
    Row("GET", "/stories/{story}/topics/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/stories/{story}/topics/", (LOGIN, GONE, OK, NO, OK),
        lambda d: {"add": d.ids["topic"]}, "accept a suggestion"),
    # --- Pages: published reviews, open to anyone ---------------------------------------
    Row("GET", "/reviews/", (OK, OK, OK, OK, OK)),
    Row("GET", "/reviews/feed/", (OK, OK, OK, OK, OK)),
    Row("GET", "/reviews/not-published/", (GONE, GONE, GONE, GONE, GONE), what="unknown"),
    # --- Pages: flags -------------------------------------------------------------------
    Row("GET", "/flags/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/flags/{flag}/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/flags/{flag}/acknowledge/", (LOGIN, GONE, NO, OK, OK), {"note": "On it."}),
    Row("POST", "/flags/{flag}/resolve/", (LOGIN, GONE, NO, OK, OK),
        {"note": "The floor.", "figure_low": "51", "figure_high": "", "rule": "lowest_credible"}),
    Row("POST", "/flags/{flag}/dismiss/", (LOGIN, GONE, NO, OK, OK), {"note": "Different days."}),
    # --- Pages: stories -----------------------------------------------------------------
    Row("GET", "/stories/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/stories/new/", (LOGIN, NO, OK, NO, OK)),
    Row("POST", "/stories/new/", (LOGIN, NO, OK, NO, OK),
        {"headline": "Homs toll", "body": "Five people died in Homs on Monday.",
         "published_on": "2014-02-13", "published_time": "12:00", "status": "draft"}),
    Row("GET", "/stories/{story}/", (LOGIN, GONE, OK, OK, OK)),
    Row("GET", "/stories/{story}/edit/", (LOGIN, GONE, OK, NO, OK)),
    Row("POST", "/stories/{story}/accept/", (LOGIN, GONE, OK, NO, OK), open_span),
    Row("GET", "/stories/{story}/similar/?start={open_start}&end={open_end}",
        (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/stories/{story}/link/", (LOGIN, GONE, OK, NO, OK),
        lambda d: open_span(d, claim=d.ids["new"])),
    Row("POST", "/stories/{story}/reject/", (LOGIN, GONE, OK, NO, OK),
        lambda d: open_span(d, note="Background.")),
    Row("POST", "/stories/{story}/bulk/", (LOGIN, GONE, OK, NO, OK),
        lambda d: {"action": "reject", "note": "Background.",
                   "keys": [f"{d.ids['open_start']}-{d.ids['open_end']}"]}),
    Row("POST", "/stories/{story}/changed/", (LOGIN, GONE, OK, NO, OK),
        lambda d: changed_span(d, action="keep", note="27 is the sourced figure.")),
    Row("POST", "/stories/{story}/corrections/", (LOGIN, GONE, STATE, NO, STATE),
        {"note": "The copy stands."}, "nothing to correct"),
    # --- Pages: incidents ---------------------------------------------------------------
    Row("GET", "/incidents/", (LOGIN, OK, OK, OK, OK)),
    Row("GET", "/incidents/{incident}/", (LOGIN, GONE, OK, OK, OK)),
    Row("POST", "/flags/{suggestion}/incident/confirm/", (LOGIN, GONE, OK, OK, OK),
        {"note": "Same market, same day."}, effect=suggestion_answered),
    Row("POST", "/flags/{suggestion}/incident/reject/", (LOGIN, GONE, OK, OK, OK),
        {"note": "Different markets."}, effect=suggestion_answered),
    Row("POST", "/incidents/new/", (LOGIN, REFUSED, OK, OK, OK),
        {"label": "Strike on a bakery, Homs, 3 Feb"},
        effect=lambda d: Incident.objects.count() > 2),
    Row("POST", "/incidents/{incident}/edit/", (LOGIN, GONE, OK, OK, OK),
        {"label": "Market bombing, Aleppo"}),
    Row("POST", "/incidents/{incident}/link/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"claim": d.ids["new"], "note": "Same market."}),
    Row("POST", "/incidents/{incident}/unlink/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"claim": d.ids["linked"], "note": "Another day."}),
    Row("POST", "/incidents/{other_incident}/merge/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"into": d.ids["incident"], "note": "Entered twice."}),
    Row("POST", "/incidents/{incident}/split/", (LOGIN, GONE, OK, OK, OK),
        lambda d: {"claims": [d.ids["linked"]], "label": "Second strike, Aleppo"}),
    # --- The admin ----------------------------------------------------------------------
    Row("GET", "/admin/", (LOGIN, LOGIN, LOGIN, LOGIN, OK)),
    Row("GET", "/admin/auth/user/", (LOGIN, LOGIN, LOGIN, LOGIN, OK)),
    Row("GET", "/admin/claims/apitoken/", (LOGIN, LOGIN, LOGIN, LOGIN, OK)),
    Row("GET", "/admin/claims/source/", (LOGIN, LOGIN, LOGIN, LOGIN, OK)),
    Row("GET", "/admin/claims/webhookendpoint/", (LOGIN, LOGIN, LOGIN, LOGIN, OK)),
    Row("GET", "/admin/claims/webhookdelivery/", (LOGIN, LOGIN, LOGIN, LOGIN, OK)),
    Row("GET", "/admin/claims/topic/", (LOGIN, LOGIN, LOGIN, LOGIN, OK)),
]  # fmt: skip


def outcome(status: int, location: str = "") -> str:
    if status == 401 or (status in (301, 302) and "login" in location):
        return LOGIN
    if status in (403, 404, 409):
        return str(status)
    if 200 <= status < 400:
        return OK
    return str(status)


def call(row: Row, desk: Desk, persona: str) -> tuple[str, int]:
    user = desk.users[persona]
    path = row.path.format(**desk.ids)
    data = row.data(desk) if callable(row.data) else (row.data or {})
    if row.api:
        api = APIClient()
        if user is not None:
            api.force_authenticate(user)
        # A file goes up as a form, as clients upload it; everything else as JSON.
        upload = any(isinstance(v, SimpleUploadedFile) for v in data.values())
        r = getattr(api, row.method.lower())(path, data, format="multipart" if upload else "json")
    else:
        client = Client()
        if user is not None:
            client.force_login(user)
        r = client.get(path) if row.method == "GET" else client.post(path, data)
    got = outcome(r.status_code, r.get("Location", ""))
    if got == OK and row.effect is not None and not row.effect(desk):
        got = REFUSED
    return got, r.status_code


CELLS = [
    pytest.param(row, i, id=f"{row.label()}-{persona}")
    for row in ROWS
    for i, persona in enumerate(PERSONAS)
]


@pytest.mark.parametrize(("row", "index"), CELLS)
def test_each_cell_answers_as_the_table_says(desk, row, index):
    persona = PERSONAS[index]
    got, status = call(row, desk, persona)
    if os.getenv("MATRIX_RECORD"):
        print(f"\nMATRIX {row.label()} | {persona} | {got} | {status}")
        return
    assert got == row.expect[index], f"{row.label()} as {persona}: {status}"


# ---------------------------------------------------------------------------
# Every endpoint and page is in the table


def _routes(patterns: list[Any], prefix: str = "") -> list[str]:
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _routes(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            # As `resolve` names it: the router's patterns lose their leading anchor there.
            found.append(prefix + str(p.pattern).removeprefix("^"))
    return found


# Routes the table leaves out, and why (none now: a new endpoint gets its row).
UNLISTED: set[str] = set()


class _Ones(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> int:
        return 1


def test_the_table_covers_every_endpoint_and_page():
    covered = {resolve(row.path.split("?")[0].format_map(_Ones())).route for row in ROWS}
    routes = {
        route
        for route in _routes(get_resolver().url_patterns)
        # The admin's own pages (a sample is in the table); format-suffix twins of the API's.
        if not route.startswith("admin/") and "format" not in route
    }
    assert sorted(routes - covered - UNLISTED) == []


README = Path(__file__).resolve().parent.parent / "README.md"
SHOWN = {OK: "yes", LOGIN: "login", REFUSED: "refused"}


def readme_line(row: Row) -> str:
    label = f"`{row.method} {row.path}`" + (f" {row.what}" if row.what else "")
    return "| " + " | ".join([label, *(SHOWN.get(c, c) for c in row.expect)]) + " |"


def test_the_readme_shows_this_table():
    text = README.read_text()
    assert [readme_line(row) for row in ROWS if readme_line(row) not in text] == []
