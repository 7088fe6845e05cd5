"""A client generated from the schema the server serves, as integrators start: with
openapi-python-client. Every operation imports, and the client lists, creates,
transitions and extracts against a live server, parsing every answer (refusals too)
into its models."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from claims.services.tokens import token_issue
from tests.factories import SourceAliasFactory, SourceFactory

PACKAGE = "desk_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")

STORY_BODY = (
    "At least 12 people were killed in an air strike on Douma on Tuesday, medics said. "
    "About 300 families have fled the town since Sunday, the Observatory said."
)


@pytest.fixture(scope="module")
def generate(tmp_path_factory) -> Iterator[Callable[[str], ModuleType]]:  # type: ignore[no-untyped-def]
    """Generate the client from a schema's text, once per module (the generator takes
    a few seconds): each test passes the schema its live server serves."""
    made: dict[str, ModuleType] = {}
    paths: list[str] = []

    def load(schema_text: str) -> ModuleType:
        if made:
            # Every test's server serves the same schema; the client is made from it once.
            [(text, package)] = made.items()
            assert schema_text == text, "the served schema changed between tests"
            return package
        folder = tmp_path_factory.mktemp("generated")
        (folder / "schema.json").write_text(schema_text)
        (folder / "config.yaml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
        run = subprocess.run(
            [
                str(GENERATOR),
                "generate",
                "--path",
                "schema.json",
                "--output-path",
                "client",
                "--config",
                "config.yaml",
            ],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=120,
        )
        # The generator skips what it cannot read, with a warning: none is allowed.
        assert run.returncode == 0, run.stdout + run.stderr
        assert "Warning" not in run.stdout + run.stderr, run.stdout + run.stderr
        sys.path.insert(0, str(folder / "client"))
        paths.append(str(folder / "client"))
        made[schema_text] = importlib.import_module(PACKAGE)
        return made[schema_text]

    yield load
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]
    for path in paths:
        sys.path.remove(path)


def _token(user: Any) -> str:
    return token_issue(user=user, actor=user)[1]


@pytest.fixture
def desk_api(live_server, generate, editor):  # type: ignore[no-untyped-def]
    """`desk_api(user)`: the generated package and a client signed in as `user`, from
    the schema the live server serves to the editor."""
    schema = httpx.get(
        f"{live_server.url}/api/schema/",
        headers={
            "Authorization": f"Token {_token(editor)}",
            "Accept": "application/vnd.oai.openapi+json",
        },
    )
    assert schema.status_code == 200
    package = generate(json.dumps(schema.json(), sort_keys=True))

    def as_(user: Any) -> tuple[ModuleType, Any]:
        client = package.AuthenticatedClient(
            base_url=live_server.url,
            token=_token(user),
            prefix="Token",
            # An answer the schema does not declare is an error, not a silent None.
            raise_on_unexpected_status=True,
        )
        return package, client

    return as_


def _operation(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.api.v1.{name}")


def _model(package: ModuleType, name: str) -> Any:
    return getattr(importlib.import_module(f"{package.__name__}.models"), name)


def test_it_generates_a_client_whose_every_operation_imports(desk_api, editor):  # type: ignore[no-untyped-def]
    package, _ = desk_api(editor)
    api = importlib.import_module(f"{package.__name__}.api.v1")
    names = [m.name for m in pkgutil.iter_modules(api.__path__)]
    assert "v1_claims_create" in names and "v1_stories_extract_create" in names
    for name in names:
        assert hasattr(_operation(package, name), "sync_detailed"), name


def test_it_creates_and_lists_claims_with_blank_choices(desk_api, editor):  # type: ignore[no-untyped-def]
    package, client = desk_api(editor)
    ClaimWriteRequest = _model(package, "ClaimWriteRequest")
    BlankEnum = _model(package, "BlankEnum")
    created = _operation(package, "v1_claims_create").sync_detailed(
        client=client,
        body=ClaimWriteRequest(text="Many families have left the district, residents said."),
    )
    assert created.status_code == 201
    claim = created.parsed
    assert claim.qualifier == BlankEnum.VALUE_0
    assert claim.assignee is None

    listed = _operation(package, "v1_claims_list").sync_detailed(client=client)
    assert listed.status_code == 200
    assert [c.id for c in listed.parsed.results] == [claim.id]
    assert listed.parsed.results[0].text.startswith("Many families")


def test_it_transitions_a_claim_and_parses_a_refusal(desk_api, editor, checker):  # type: ignore[no-untyped-def]
    package, client = desk_api(editor)
    ClaimWriteRequest = _model(package, "ClaimWriteRequest")
    TransitionRequest = _model(package, "TransitionRequest")
    ClaimStatusEnum = _model(package, "ClaimStatusEnum")
    Error = _model(package, "Error")
    claim = (
        _operation(package, "v1_claims_create")
        .sync_detailed(
            client=client,
            body=ClaimWriteRequest(text="At least 40 people were injured in Homs on Monday."),
        )
        .parsed
    )
    transition = _operation(package, "v1_claims_transition_create")

    package, checker_client = desk_api(checker)
    taken = transition.sync_detailed(
        claim.id,
        client=checker_client,
        body=TransitionRequest(to=ClaimStatusEnum.IN_REVIEW, version=claim.version),
    )
    assert taken.status_code == 200
    assert taken.parsed.status == ClaimStatusEnum.IN_REVIEW
    assert taken.parsed.assignee == checker.username

    # Taken twice: the 409 is declared, and parses as an Error.
    skipped = transition.sync_detailed(
        claim.id,
        client=checker_client,
        body=TransitionRequest(to=ClaimStatusEnum.IN_REVIEW, version=taken.parsed.version),
    )
    assert skipped.status_code == 409
    assert isinstance(skipped.parsed, Error)
    assert "cannot move" in skipped.parsed.detail


def test_it_creates_a_story_extracts_it_and_accepts_a_figure(desk_api, editor):  # type: ignore[no-untyped-def]
    package, client = desk_api(editor)
    StoryRequest = _model(package, "StoryRequest")
    AcceptRequest = _model(package, "AcceptRequest")
    created = _operation(package, "v1_stories_create").sync_detailed(
        client=client,
        body=StoryRequest(
            headline="Strike on Douma",
            body=STORY_BODY,
            published_at=dt.datetime(2014, 2, 13, 12, tzinfo=dt.UTC),
        ),
    )
    assert created.status_code == 201
    story = created.parsed
    assert story.claim_count == 0

    extracted = _operation(package, "v1_stories_extract_create").sync_detailed(
        story.id, client=client
    )
    assert extracted.status_code == 200
    candidates = extracted.parsed
    assert isinstance(candidates, list)
    first = next(c for c in candidates if c.has_number)
    assert STORY_BODY[first.start : first.end] == first.words

    accepted = _operation(package, "v1_stories_accept_create").sync_detailed(
        story.id, client=client, body=AcceptRequest(start=first.start, end=first.end)
    )
    assert accepted.status_code == 201
    assert accepted.parsed.story == story.id

    again = _operation(package, "v1_stories_retrieve").sync_detailed(story.id, client=client)
    assert again.parsed.claim_count == 1


def test_it_reads_a_sources_aliases(desk_api, admin):  # type: ignore[no-untyped-def]
    SourceAliasFactory(source=SourceFactory(name="Local Coordination Committees"), name="LCC")
    package, client = desk_api(admin)
    listed = _operation(package, "v1_sources_list").sync_detailed(client=client)
    assert listed.status_code == 200
    [source] = listed.parsed.results
    assert source.aliases == ["LCC"]

    PatchedSourceRequest = _model(package, "PatchedSourceRequest")
    patched = _operation(package, "v1_sources_partial_update").sync_detailed(
        source.id, client=client, body=PatchedSourceRequest(aliases=["LCC", "Coordination"])
    )
    assert patched.status_code == 200
    assert sorted(patched.parsed.aliases) == ["Coordination", "LCC"]
