"""How complete each paper's reference list is in the graph.

Co-citation and bibliographic coupling are only as good as the reference lists behind them,
and users of citation tools cannot see which lists are missing (Local Citation Network is the
one tool that estimates it). Every paper with known references gets:

``refs_in_graph``
    how many papers it cites in the graph;
``refs_list``
    ``"full"`` when a source read its whole reference list (the field sample's
    ``full_reference_list`` scope, or as many references as Semantic Scholar reports),
    ``"partial"`` when only some of its references are known. Papers with none have neither
    attribute.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", kind="cites", provenance=[{"source": "field-sample",
    ...            "scope": "full_reference_list"}])
    >>> G.add_edge("c", "b", kind="cites", provenance=[{"source": "semantic-scholar"}])
    >>> G.nodes["c"]["reference_count"] = 4
    >>> reference_coverage(G)
    {'a': ('full', 1), 'c': ('partial', 1)}
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from .schema import EDGE_CITES

if TYPE_CHECKING:
    from .store import EdgeGroups

FULL = "full"
PARTIAL = "partial"


def reference_coverage(
    G: nx.DiGraph, *, edge_groups: EdgeGroups | None = None
) -> dict[Hashable, tuple[str, int]]:
    """{paper: (refs_list, refs_in_graph)} for every paper that cites something in `G`.

    Reads the adjacency dicts directly, and each provenance list once: the edges of a built
    graph share theirs (a million edges, a handful of lists). `edge_groups`: how the registry
    made `G`'s edges, when it has just built it: counted with numpy, per attribute dict."""
    if edge_groups is not None and edge_groups.of(G):
        return _coverage_as_built(G, edge_groups)
    coverage: dict[Hashable, tuple[str, int]] = {}
    full_scope: dict[int, bool] = {}  # id of a provenance list -> names a full list
    for node, nbrs in G._succ.items():
        cites = [d for d in nbrs.values() if d.get("kind") == EDGE_CITES]
        if not cites:
            continue
        full_list = False
        for d in cites:
            provenance = d.get("provenance", [])
            full = full_scope.get(id(provenance))
            if full is None:
                full = _names_full_list(provenance)
                if provenance:  # (kept alive by the graph: its id stays its own)
                    full_scope[id(provenance)] = full
            if full:
                full_list = True
                break
        reported = G.nodes[node].get("reference_count")
        if full_list or (isinstance(reported, int) and 0 < reported <= len(cites)):
            coverage[node] = (FULL, len(cites))
        else:
            coverage[node] = (PARTIAL, len(cites))
    return coverage


def _names_full_list(provenance: Iterable[dict[str, Any]]) -> bool:
    """Whether a citation's provenance says it came from a full reference list."""
    return any(p.get("scope") == "full_reference_list" for p in provenance)


def _coverage_as_built(G: nx.DiGraph, edge_groups: EdgeGroups) -> dict[Hashable, tuple[str, int]]:
    """:func:`reference_coverage` of a graph the registry has just built, from the attribute
    dict each edge is a copy of and the node each edge leaves (positions in node order)."""
    templates = edge_groups.templates()
    cites = np.zeros(templates[-1][0] + 1 if templates else 0, bool)
    full = np.zeros(len(cites), bool)
    for t, d, _ in templates:
        cites[t] = d.get("kind") == EDGE_CITES
        full[t] = _names_full_list(d.get("provenance", []))
    nodes = list(G._node)
    is_cite = cites[edge_groups.template]
    counts = np.bincount(edge_groups.source[is_cite], minlength=len(nodes)).tolist()
    full_list = np.bincount(
        edge_groups.source[is_cite & full[edge_groups.template]], minlength=len(nodes)
    ).tolist()
    coverage: dict[Hashable, tuple[str, int]] = {}
    for node, count, fulls in zip(nodes, counts, full_list, strict=True):
        if count:
            reported = G._node[node].get("reference_count")
            if fulls or (isinstance(reported, int) and 0 < reported <= count):
                coverage[node] = (FULL, count)
            else:
                coverage[node] = (PARTIAL, count)
    return coverage


def annotate_reference_coverage(
    G: nx.DiGraph, *, edge_groups: EdgeGroups | None = None
) -> dict[Hashable, tuple[str, int]]:
    """Store `refs_list` and `refs_in_graph` on the nodes of `G`; return the coverage
    (`edge_groups`: see :func:`reference_coverage`)."""
    coverage = reference_coverage(G, edge_groups=edge_groups)
    for node, (status, count) in coverage.items():
        G.nodes[node]["refs_list"] = status
        G.nodes[node]["refs_in_graph"] = count
    return coverage


def coverage_summary(G: nx.DiGraph, papers: Iterable[Hashable]) -> dict[str, Any]:
    """How many of `papers` (e.g. the curated ones) have full, partial or no reference lists."""
    full: list[Hashable] = []
    partial: list[Hashable] = []
    none: list[Hashable] = []
    for node in papers:
        status = G.nodes[node].get("refs_list")
        (full if status == FULL else partial if status == PARTIAL else none).append(node)
    return {"full": full, "partial": partial, "none": none}
