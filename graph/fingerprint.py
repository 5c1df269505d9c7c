"""The fingerprint of a build's inputs, so a rebuild with nothing changed is not redone.

A warm rebuild of a depth-2 field graph re-merges a million records and edges to get the
graph it already has. The fingerprint covers everything the merge reads: the curated
catalog, the field sample, the build options, this package's code and version, and the
state of each response cache it reads from (a token that changes with every answer stored).
It is taken when the build ends (the answers it fetched are in the cache by then, so the
next build would read them all from there); `build` keeps it in the graph
(``G.graph["fingerprint"]``, hence the store's manifest), and a build whose fingerprint
equals the one of the store it would replace reuses that store.

>>> a = inputs_fingerprint(catalog="c", field_sample=None, options={"depth": 2}, caches=[])
>>> a == inputs_fingerprint(catalog="c", field_sample=None, options={"depth": 2}, caches=[])
True
>>> a == inputs_fingerprint(catalog="c", field_sample=None, options={"depth": 1}, caches=[])
False
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

FINGERPRINT_KEY = "fingerprint"
"""Where the fingerprint is kept in ``G.graph``."""


@cache
def code_digest() -> str:
    """The package version and the hash of every module of graph/: changed code, new graph."""
    try:
        release = version("implicit-atlas")
    except PackageNotFoundError:
        release = "unknown"
    h = hashlib.sha256(release.encode())
    root = Path(__file__).resolve().parent
    for file in sorted(root.rglob("*.py")):
        h.update(str(file.relative_to(root)).encode())
        h.update(file.read_bytes())
    return h.hexdigest()


def inputs_fingerprint(
    *, catalog: Any, field_sample: Any, options: dict[str, Any], caches: list[Any]
) -> str:
    """One digest of a build's inputs; `caches` are ResponseCache objects (their state).

    `catalog` and `field_sample` are hashed by their ``repr`` (dataclasses of plain values:
    every entry, section and row is in it).
    """
    h = hashlib.sha256(code_digest().encode())
    for part in (
        repr(catalog),
        "" if field_sample is None else repr((field_sample.papers, field_sample.edges)),
        json.dumps(options, sort_keys=True, default=str),
        *(c.state() for c in caches),
    ):
        h.update(hashlib.sha256(part.encode("utf-8", "surrogatepass")).digest())
    return h.hexdigest()


def settled(step_reports: dict[str, Any]) -> bool:
    """True when no live step hit a network problem or an error, nor stopped early: its graph
    is what the cache gives, and the cache as it is now (with the answers it fetched) gives it
    again. A build cut short by the network or a request budget is not reused: the next one
    asks again, or goes further on answers now cached."""
    for report in step_reports.values():
        if not isinstance(report, dict):
            continue
        if report.get("network_problem") or report.get("errors") or report.get("stopped"):
            return False
        if "problem" in str(report.get("mode", "")):
            return False
    return True
