"""Rules that watch the claim base: contradictions, staleness and evidence.

Plain Python, no Django: the jobs map rows into the dataclasses of ``types``
and turn the findings into Flags (``sync``, the one Django module here).
"""

from .blocking import block_key, sweep_pairs
from .contradictions import find_contradictions
from .evidence import find_evidence_issues
from .staleness import find_stale
from .types import ClaimFact, EvidenceFact, Finding, Policy, fingerprint

__all__ = [
    "ClaimFact",
    "EvidenceFact",
    "Finding",
    "Policy",
    "block_key",
    "find_contradictions",
    "find_evidence_issues",
    "find_stale",
    "fingerprint",
    "sweep_pairs",
]
