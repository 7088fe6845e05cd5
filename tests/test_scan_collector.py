"""What the scans do about Python's cycle collector (held while a scan runs, restored
after it, whatever happens) and how the standing flags' fingerprints reach PostgreSQL."""

from __future__ import annotations

import gc

import pytest

from claims.checks import sync
from claims.checks.types import Finding, make_finding
from claims.models import Flag
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_the_collector_is_held_while_a_scan_runs_and_restored_after(monkeypatch):  # type: ignore[no-untyped-def]
    seen: list[bool] = []
    real = sync.find_stale

    def find_stale(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(sync, "find_stale", find_stale)
    assert gc.isenabled()
    sync.scan_staleness()
    assert seen == [False] and gc.isenabled()


def test_a_failing_scan_restores_the_collector(monkeypatch):  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    monkeypatch.setattr(sync, "load_facts", broken)
    with pytest.raises(RuntimeError):
        sync.scan_contradictions()
    assert gc.isenabled()


def test_a_scan_inside_another_leaves_the_collector_to_the_outer_one():  # type: ignore[no-untyped-def]
    with sync.cycles_collected_after():
        sync.scan_staleness()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with sync.cycles_collected_after():
            pass
        assert not gc.isenabled()  # held by someone else before: left held
    finally:
        gc.enable()


def test_fingerprints_go_as_one_array_literal_unless_one_needs_quoting():  # type: ignore[no-untyped-def]
    plain = [make_finding("duplicate", (n, n + 1), "low", "m", {}).fingerprint for n in (1, 3)]
    assert sync._text_array(plain) == "{" + ",".join(plain) + "}"
    odd = [plain[0], 'a,"b"}']
    assert sync._text_array(odd) == odd
    assert sync._text_array([]) == "{}"


@pytest.mark.parametrize("print_", ["f00d", 'odd,"print"} with words'])
def test_a_standing_flag_is_seen_again_whatever_its_fingerprint(print_):  # type: ignore[no-untyped-def]
    claim = ClaimFactory()
    finding = Finding(
        kind="duplicate",
        claim_ids=(claim.pk,),
        severity="low",
        message="Seen twice.",
        details={},
        fingerprint=print_,
    )
    scope = Flag.objects.filter(kind="duplicate")
    sync.sync_findings([finding], scope)
    first = Flag.objects.get(fingerprint=print_)
    sync.sync_findings([finding], scope)
    again = Flag.objects.get(fingerprint=print_)
    assert again.pk == first.pk and again.status == Flag.Status.OPEN
    assert again.last_seen > first.last_seen
