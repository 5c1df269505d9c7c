"""Shortest citation paths: undirected search, each step's direction, no-path errors."""

from __future__ import annotations

import networkx as nx
import pytest

from implicit_atlas.graph.errors import LookupFailed
from implicit_atlas.graph.paths import (
    NoCitationPath,
    citation_paths,
    find_citation_paths,
    format_paths,
)


@pytest.fixture
def G() -> nx.DiGraph:
    """optnet <- deq -> node; deq <- mondeq -> optnet; a software node and an island."""
    g = nx.DiGraph()
    titles = {
        "optnet": "OptNet",
        "deq": "Deep Equilibrium Models",
        "node": "Neural ODEs",
        "mondeq": "Monotone DEQ",
        "island": "Unrelated island",
        "repo": "locuslab/deq",
    }
    for key, title in titles.items():
        g.add_node(key, title=title, year=2020)
    g.add_edges_from(
        [("deq", "optnet"), ("deq", "node"), ("mondeq", "deq"), ("mondeq", "optnet")], kind="cites"
    )
    g.edges["mondeq", "deq"]["is_influential"] = True
    g.add_edge("repo", "optnet", kind="implements")
    g.add_edge("repo", "island", kind="implements")
    return g


def test_each_step_shows_its_direction(G: nx.DiGraph) -> None:
    [path] = citation_paths(G, "optnet", "node")
    assert path.nodes == ["optnet", "deq", "node"]
    assert [(s.forward, s.verb) for s in path.steps] == [(False, "is cited by"), (True, "cites")]
    assert str(path) == "optnet <-cited by- deq -cites-> node"


def test_all_shortest_paths_influential_first(G: nx.DiGraph) -> None:
    paths = citation_paths(G, "optnet", "node", extra_hops=1)
    assert [p.nodes for p in paths] == [
        ["optnet", "deq", "node"],
        ["optnet", "mondeq", "deq", "node"],
    ]
    assert paths[1].steps[1].influential


def test_max_paths_limits_the_answer(G: nx.DiGraph) -> None:
    assert len(citation_paths(G, "optnet", "node", extra_hops=2, max_paths=1)) == 1


def test_implements_edges_are_not_citations(G: nx.DiGraph) -> None:
    with pytest.raises(NoCitationPath, match="separate parts of the graph"):
        citation_paths(G, "optnet", "island")


def test_directed_search_follows_citing_to_cited(G: nx.DiGraph) -> None:
    [path] = citation_paths(G, "mondeq", "node", directed=True)
    assert path.nodes == ["mondeq", "deq", "node"]
    with pytest.raises(NoCitationPath, match="other order"):
        citation_paths(G, "node", "mondeq", directed=True)


def test_same_or_unknown_paper_is_an_error(G: nx.DiGraph) -> None:
    with pytest.raises(LookupFailed, match="same"):
        citation_paths(G, "deq", "deq")
    with pytest.raises(LookupFailed, match="not in the graph"):
        citation_paths(G, "deq", "nope")


def test_find_citation_paths_resolves_titles(G: nx.DiGraph) -> None:
    [path] = find_citation_paths(G, "OptNet", "neural odes")
    assert path.nodes == ["optnet", "deq", "node"]


def test_format_paths_prints_one_paper_per_line(G: nx.DiGraph) -> None:
    text = format_paths(G, citation_paths(G, "optnet", "node"))
    assert text.splitlines()[:5] == [
        "path 1 (2 steps):",
        "  OptNet (2020)  [optnet]",
        "    ↑ is cited by",
        "  Deep Equilibrium Models (2020)  [deq]",
        "    ↓ cites",
    ]


def test_bundled_optnet_reaches_neural_odes(bundled_graph: nx.DiGraph) -> None:
    paths = find_citation_paths(
        bundled_graph, "OptNet", "Neural Ordinary Differential Equations", max_paths=3
    )
    assert paths and all(p.nodes[0] == "arXiv:1703.00443" for p in paths)
    assert paths[0].nodes[-1] == "arXiv:1806.07366"
