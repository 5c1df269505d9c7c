"""How two papers connect: the shortest citation paths between them.

Citations are followed in either direction when searching (a path may go up to a common
reference and down to a later paper), then each step says which way the citation points.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edges_from([("deq", "optnet"), ("deq", "node")], kind="cites")
    >>> [str(p) for p in citation_paths(G, "optnet", "node")]
    ['optnet <-cited by- deq -cites-> node']
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .errors import LookupFailed
from .lookup import PaperIndex
from .schema import EDGE_CITES
from .text import ROW_TITLE_WIDTH, clean_text, shorten

DEFAULT_MAX_PATHS = 5


class NoCitationPath(LookupFailed):
    """The two papers are not connected by citations in this graph."""


@dataclass(frozen=True)
class Step:
    """One hop of a path: ``source`` cites ``target`` when ``forward``, else is cited by it."""

    source: str
    target: str
    forward: bool
    influential: bool = False

    @property
    def verb(self) -> str:
        return "cites" if self.forward else "is cited by"


@dataclass(frozen=True)
class CitationPath:
    """A shortest path as its steps, from the first paper to the second."""

    steps: tuple[Step, ...]

    @property
    def nodes(self) -> list[str]:
        return [self.steps[0].source, *(s.target for s in self.steps)] if self.steps else []

    def __len__(self) -> int:
        return len(self.steps)

    def __str__(self) -> str:
        parts = [self.steps[0].source] if self.steps else []
        for step in self.steps:
            parts.append("-cites->" if step.forward else "<-cited by-")
            parts.append(step.target)
        return " ".join(parts)


def citation_paths(
    G: nx.DiGraph,
    source: str,
    target: str,
    *,
    max_paths: int = DEFAULT_MAX_PATHS,
    extra_hops: int = 0,
    directed: bool = False,
) -> list[CitationPath]:
    """The shortest citation paths from `source` to `target` (at most `max_paths` of them).

    With ``directed=False`` (default) citations are walked both ways and each step records
    its direction; with ``directed=True`` only chains where each paper cites the next count
    (try both orders: the older paper is usually the target). Only ``kind == "cites"`` edges
    are used. ``extra_hops=n`` also lists paths up to n steps longer than the shortest (e.g.
    the indirect routes between two papers that cite each other). Paths are ordered by length,
    then by how many influential citations they contain, then by key. Raises
    :class:`NoCitationPath` when the two are not connected.
    """
    for key in (source, target):
        if key not in G:
            raise LookupFailed(f"{key!r} is not in the graph; resolve it with find_paper first")
    if source == target:
        raise LookupFailed("the two papers are the same; name two different papers")
    citations = nx.subgraph_view(
        G, filter_edge=lambda u, v: G.edges[u, v].get("kind") == EDGE_CITES
    )
    search = citations if directed else citations.to_undirected(as_view=True)
    try:
        found = list(itertools.islice(nx.all_shortest_paths(search, source, target), 200))
    except nx.NetworkXNoPath:
        raise NoCitationPath(_no_path_message(G, search, source, target, directed)) from None
    if extra_hops > 0:
        longest = len(found[0]) + extra_hops
        longer = nx.shortest_simple_paths(search, source, target)
        found += itertools.islice(
            itertools.takewhile(lambda p: len(p) <= longest, longer), 200 + max_paths
        )
    unique = list(dict.fromkeys(tuple(p) for p in found))
    paths = [CitationPath(tuple(_step(G, u, v) for u, v in itertools.pairwise(p))) for p in unique]
    paths.sort(key=lambda p: (len(p), -sum(s.influential for s in p.steps), p.nodes))
    return paths[:max_paths]


def _step(G: nx.DiGraph, u: str, v: str) -> Step:
    forward = G.has_edge(u, v) and G.edges[u, v].get("kind") == EDGE_CITES
    attrs = G.edges[u, v] if forward else G.edges[v, u]
    return Step(u, v, forward, bool(attrs.get("is_influential")))


def _no_path_message(
    G: nx.DiGraph, search: nx.Graph, source: str, target: str, directed: bool
) -> str:
    def describe(key: str) -> str:
        title = shorten(clean_text(G.nodes[key].get("title") or key), ROW_TITLE_WIDTH)
        if directed:
            return f"“{title}”"
        size = len(nx.node_connected_component(search, key))
        return f"“{title}” (connected to {size - 1} other papers)"

    hint = (
        "try without --directed, or the other order"
        if directed
        else "they are in separate parts of the graph; an online `build` may add the missing links"
    )
    return f"no citation path from {describe(source)} to {describe(target)}: {hint}"


def _line(G: nx.DiGraph, key: str) -> str:
    d = G.nodes[key]
    title = shorten(clean_text(d.get("title") or key), ROW_TITLE_WIDTH)
    year = f" ({d['year']})" if d.get("year") else ""
    mark = " ✓" if d.get("curated") else ""
    return f"{title}{year}{mark}  [{key}]"


def format_paths(G: nx.DiGraph, paths: list[CitationPath]) -> str:
    """Each path as one paper per line with the direction of every step between them."""
    out = []
    for number, path in enumerate(paths, start=1):
        hops = "step" if len(path) == 1 else "steps"
        out.append(f"path {number} ({len(path)} {hops}):")
        out.append(f"  {_line(G, path.steps[0].source)}")
        for step in path.steps:
            arrow = "↓ cites" if step.forward else "↑ is cited by"
            flag = " (influential)" if step.influential else ""
            out.append(f"    {arrow}{flag}")
            out.append(f"  {_line(G, step.target)}")
    out.append("(✓ = in the curated list; ↓ the paper above cites the one below, ↑ the reverse)")
    return "\n".join(out) + "\n"


def paths_to_json(G: nx.DiGraph, paths: list[CitationPath]) -> list[dict[str, object]]:
    return [
        {
            "nodes": [{"key": k, "title": G.nodes[k].get("title")} for k in p.nodes],
            "steps": [
                {
                    "source": s.source,
                    "target": s.target,
                    "direction": "cites" if s.forward else "cited_by",
                    "influential": s.influential,
                }
                for s in p.steps
            ],
        }
        for p in paths
    ]


def find_citation_paths(
    G: nx.DiGraph, first: str, second: str, **options: Any
) -> list[CitationPath]:
    """:func:`citation_paths` between two papers named by id, URL or title fragment."""
    index = PaperIndex(G)
    return citation_paths(G, index.find(first), index.find(second), **options)
