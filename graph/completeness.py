"""How complete each paper's reference list is when two services list it.

Semantic Scholar and OpenAlex each list part of a paper's references and each states how many
there are (``referenceCount``, ``referenced_works_count``). As Local Citation Network does, a
list counts as complete when the references either service listed (their union, in the graph)
reach the larger stated count. Every paper one of the services listed references for gets
``refs_by_s2``, ``refs_by_openalex`` and ``refs_union`` (in `export`, the map's data too).

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("a", "b", kind="cites", provenance=[{"source": "semantic-scholar"}])
    >>> G.add_edge("a", "c", kind="cites", provenance=[{"source": "openalex"}])
    >>> G.nodes["a"].update(curated=True, curated_key="a", reference_count=3)
    >>> annotate_completeness(G)["incomplete"]
    {'a': 'listed 2 of 3 (S2 1, OpenAlex 1)'}
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from .schema import EDGE_CITES, SOURCE_S2
from .sources.openalex import SOURCE_OPENALEX


def listed_by(G: nx.DiGraph, node: Any) -> tuple[int, int, int]:
    """(references listed by S2, by OpenAlex, by either) of `node` in `G`."""
    s2 = oa = union = 0
    for _, _, d in G.out_edges(node, data=True):
        if d.get("kind", EDGE_CITES) != EDGE_CITES:
            continue
        sources = {p.get("source") for p in d.get("provenance", [])}
        s2 += SOURCE_S2 in sources
        oa += SOURCE_OPENALEX in sources
        union += bool(sources & {SOURCE_S2, SOURCE_OPENALEX})
    return s2, oa, union


def annotate_completeness(G: nx.DiGraph) -> dict[str, Any]:
    """Store the counts on the nodes; return the curated papers' lists for the summary."""
    curated: dict[str, dict[str, Any]] = {}
    incomplete: dict[str, str] = {}
    for node, attrs in G.nodes(data=True):
        s2, oa, union = listed_by(G, node)
        if not (s2 or oa):
            continue
        attrs.update(refs_by_s2=s2, refs_by_openalex=oa, refs_union=union)
        if not attrs.get("curated"):
            continue
        stated = [
            n for n in (attrs.get("reference_count"), attrs.get("openalex_reference_count"))
            if isinstance(n, int)
        ]  # fmt: skip
        key = str(attrs.get("curated_key") or node)
        curated[key] = {
            "s2": s2,
            "openalex": oa,
            "union": union,
            "stated_s2": attrs.get("reference_count"),
            "stated_openalex": attrs.get("openalex_reference_count"),
        }
        if stated and union < max(stated):
            incomplete[key] = f"listed {union} of {max(stated)} (S2 {s2}, OpenAlex {oa})"
    return {"curated": curated, "incomplete": incomplete}


def format_completeness(summary: dict[str, Any]) -> list[str]:
    """Summary lines: the curated lists' totals, and those that stay incomplete."""
    curated = summary.get("curated", {})
    if not curated:
        return []
    lines = [
        "reference lists of the curated papers: "
        f"S2 {sum(c['s2'] for c in curated.values())}, "
        f"OpenAlex {sum(c['openalex'] for c in curated.values())}, "
        f"together {sum(c['union'] for c in curated.values())} references"
    ]
    for key, text in sorted(summary.get("incomplete", {}).items()):
        lines.append(f"incomplete reference list: {key}: {text}")
    return lines
