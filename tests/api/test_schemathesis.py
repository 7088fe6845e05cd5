"""The API against its own schema: schemathesis generates requests from /api/schema/ and
checks every answer for each desk role. No server error, and no status code, content
type or body that the schema does not declare."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, seed
from hypothesis import settings as hypothesis_settings
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from claims.models import Claim, Flag, Incident, Status, Story
from claims.services.tokens import token_issue
from tests.factories import (
    AttributionFactory,
    ClaimFactory,
    SourceAliasFactory,
    SourceFactory,
    StoryFactory,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Bounded and seeded: the same requests on every run, in well under a minute for the
# three roles.
SEED = 20140213
EXAMPLES = 4
# Ids as generated mostly name no row: a few show that the 404 is declared.
EXAMPLES_OF_ANY_ID = 2

STORY_BODY = (
    "At least 12 people were killed in an air strike on Douma on Tuesday, medics said. "
    "The Observatory said about 300 families had fled the town since Sunday."
)


@pytest.fixture
def fast_throttle(monkeypatch):  # type: ignore[no-untyped-def]
    # A fuzzer is a busy client: the per-minute API rate would answer it 429 midway.
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "user": "100000/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)


@pytest.fixture
def in_process_app():  # type: ignore[no-untyped-def]
    """The WSGI app, served in the test's thread and transaction. As Django's test client
    does, requests leave the connection open: closing it at the end of a request would
    end the test's transaction (on PostgreSQL) and take its rows."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def desk(observatory, conflict, editor) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Rows of each kind, with the blank choices and empty links real rows have."""
    story = StoryFactory(headline="Strike on Douma", body=STORY_BODY)
    blank = ClaimFactory(
        text="Hundreds have fled the town, residents said.",
        value_low=None,
        qualifier="",
        unit="",
        event="",
        place=None,
        period_kind="",
        period_start=None,
        period_end=None,
        story=story,
    )
    decided = ClaimFactory(
        status=Status.VERIFIED, decided_at=dt.datetime(2014, 2, 14, tzinfo=dt.UTC)
    )
    AttributionFactory(claim=decided, source=observatory)
    assigned = ClaimFactory(assignee=editor, created_by=editor)
    SourceAliasFactory(source=SourceFactory(name="Local Coordination Committees"), name="LCC")
    Flag.objects.filter(pk=conflict.pk).update(status="resolved", resolution_rule="")
    # Made by the job that groups claims, so by nobody.
    incident = Incident.objects.create(label="Strike on Douma", created_by=None)
    blank.incident = incident
    blank.save(update_fields=["incident"])
    return {
        "claims": blank.pk,
        "claims/{id}/claimreview": decided.pk,
        "claims/{id}/transition": assigned.pk,
        "sources": observatory.pk,
        "stories": story.pk,
        "flags": conflict.pk,
        "incidents": incident.pk,
    }


def _object_id(path: str, ids: dict[str, int]) -> int | None:
    """A row the operation at `path` can find, so its answer has a body to check."""
    rest = path.removeprefix("/api/v1/")
    for key in (rest.rstrip("/"), rest.split("/")[0]):
        if key in ids:
            return ids[key]
    return None


def _run_operation(
    operation: Any,
    headers: dict[str, str],
    path_ids: dict[str, int],
    answered: list[tuple[str, int]],
    examples: int,
) -> None:
    @hypothesis_settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(SEED)
    @given(operation.as_strategy(path_parameters=path_ids or None))
    def run(case: schemathesis.Case) -> None:
        response = case.call_and_validate(headers=headers, checks=CHECKS)
        answered.append((operation.label, response.status_code))

    run()


def _summary(exc: BaseException) -> str:
    found = exc.exceptions if isinstance(exc, BaseExceptionGroup) else (exc,)
    return "\n".join(f"  - {getattr(f, 'message', f)}"[:800] for f in found)


def _operations(schema: Any) -> Iterator[Any]:
    for result in schema.get_all_operations():
        yield result.ok()


@pytest.mark.parametrize("role", ["admin", "editor", "checker"])
def test_it_answers_as_the_schema_says(request, role, desk, fast_throttle, in_process_app):  # type: ignore[no-untyped-def]
    user = request.getfixturevalue(role)
    headers = {"Authorization": f"Token {token_issue(user=user, actor=user)[1]}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/",
        in_process_app,
        headers={**headers, "Accept": "application/vnd.oai.openapi+json"},
    )
    failures: list[str] = []
    answered: list[tuple[str, int]] = []
    for operation in sorted(_operations(schema), key=lambda op: op.label):
        row = _object_id(operation.path, desk) if "{id}" in operation.path else None
        # A row that exists, then ids as generated (mostly rows that do not).
        runs = [({"id": row}, EXAMPLES), ({}, EXAMPLES_OF_ANY_ID)] if row else [({}, EXAMPLES)]
        for ids, examples in runs:
            try:
                # In a savepoint of its own: a request that breaks the transaction (a
                # failure this test reports) must not fail every operation after it.
                with transaction.atomic():
                    _run_operation(operation, headers, ids, answered, examples)
            # Every operation is tried and every failure listed (schemathesis raises a
            # group of its failures).
            except (Exception, BaseExceptionGroup) as exc:
                failures.append(f"{operation.label} {ids}:\n{_summary(exc)}")
    assert not failures, "\n\n".join(failures)
    # The run reached the rows, not only refusals: each role read every list and row.
    read = {label for label, code in answered if code == 200 and label.startswith("GET")}
    assert read >= {f"GET /api/v1/{kind}/" for kind in ("claims", "sources", "stories", "flags")}
    assert read >= {f"GET /api/v1/{kind}/{{id}}/" for kind in ("claims", "stories", "incidents")}


def test_it_seeds_rows_with_blank_choices(desk):  # type: ignore[no-untyped-def]
    # The fuzzer's answers only test the schema's enums if the rows have blanks in them.
    assert Claim.objects.get(pk=desk["claims"]).qualifier == ""
    assert Flag.objects.get(pk=desk["flags"]).resolution_rule == ""
    assert Story.objects.filter(pk=desk["stories"]).exists()
