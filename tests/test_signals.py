"""Each relatedness signal against a small graph whose scores are worked out by hand."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from implicit_atlas.graph.errors import LookupFailed
from implicit_atlas.graph.signals import (
    bibliographic_coupling,
    citation_index,
    cocitation,
    direct_citation,
    personalized_pagerank,
    text_similarity,
    tokenize,
)


@pytest.fixture
def G() -> nx.DiGraph:
    """Citers: a <- c1, c2, c3; b <- c1, c2; d <- c3. References: a, e -> r1, r2; b -> r1."""
    g = nx.DiGraph()
    titles = {
        "a": "Deep Equilibrium Models",
        "b": "Multiscale Deep Equilibrium Models",
        "d": "Monotone operator equilibrium networks",
        "e": "Implicit layers",
        "x": "Stochastic gradient descent tricks",
    }
    for key in ["a", "b", "d", "e", "x", "c1", "c2", "c3", "r1", "r2", "repo"]:
        g.add_node(key, title=titles.get(key, key.upper()))
    cites = [
        ("c1", "a"),
        ("c1", "b"),
        ("c2", "a"),
        ("c2", "b"),
        ("c3", "a"),
        ("c3", "d"),
        ("a", "r1"),
        ("a", "r2"),
        ("b", "r1"),
        ("e", "r1"),
        ("e", "r2"),
    ]
    g.add_edges_from(cites, kind="cites")
    g.edges["c1", "a"]["is_influential"] = True
    g.add_edge("repo", "a", kind="implements")
    return g


def hub(references: int) -> float:
    """What one shared citer with this many references adds to co-citation."""
    return 1 / math.log(references)


def mass(citers: int) -> float:
    """What a candidate's co-citation is divided by for its citation mass."""
    return math.sqrt(citers)


def test_cocitation_damps_hubs_and_citation_mass(G: nx.DiGraph) -> None:
    scores = cocitation(G, "a")
    # b: shared citers c1, c2 (2 references each), cited twice; d: c3, cited once
    assert scores == pytest.approx({"b": 2 * hub(2) / mass(2), "d": hub(2) / mass(1)})
    assert list(scores) == ["b", "d"], "best first"


def test_a_citer_with_a_long_reference_list_counts_less(G: nx.DiGraph) -> None:
    before = cocitation(G, "a")["d"]
    G.add_edges_from([("c3", f"x{i}") for i in range(10)], kind="cites")
    assert cocitation(G, "a")["d"] == pytest.approx(hub(12) / mass(1))
    assert cocitation(G, "a")["d"] < before


def test_cocitation_sums_over_seeds(G: nx.DiGraph) -> None:
    scores = cocitation(G, ["b", "d"])
    assert scores == pytest.approx({"a": 3 * hub(2) / mass(3)})


def test_coupling_weights_rare_references_more(G: nx.DiGraph) -> None:
    scores = bibliographic_coupling(G, "a")
    # r1 is cited by a, b, e (3 citers); r2 by a, e (2 citers)
    assert scores == pytest.approx({"e": 1 / math.log(3) + 1 / math.log(2), "b": 1 / math.log(3)})
    assert list(scores) == ["e", "b"]


def test_direct_citation_both_ways_with_influential_bonus(G: nx.DiGraph) -> None:
    scores = direct_citation(G, "a")
    assert scores == {"c1": 2.0, "c2": 1.0, "c3": 1.0, "r1": 1.0, "r2": 1.0}
    assert "repo" not in scores, "an implements edge is not a citation"
    assert direct_citation(G, "a", influential_weight=0.0)["c1"] == 1.0


def test_pagerank_matches_networkx_on_undirected_citations(G: nx.DiGraph) -> None:
    ours = personalized_pagerank(G, "a", tol=1e-12, max_iter=1000)
    citations = nx.Graph([(u, v) for u, v, k in G.edges(data="kind") if k == "cites"])
    citations.add_nodes_from(G)
    expected = nx.pagerank(citations, personalization={"a": 1.0}, tol=1e-12, max_iter=1000)
    for key, score in ours.items():
        assert score == pytest.approx(expected[key], abs=1e-8), key
    assert "a" not in ours, "seeds are not their own neighbours"
    assert "x" not in ours and "repo" not in ours, "unreachable papers get no score"


def test_directed_pagerank_follows_references_only(G: nx.DiGraph) -> None:
    scores = personalized_pagerank(G, "a", directed=True)
    assert set(scores) == {"r1", "r2"}


def test_text_similarity_finds_papers_without_citations(G: nx.DiGraph) -> None:
    scores = text_similarity(G, "a")
    assert list(scores)[0] == "b"
    assert "d" in scores, "shares the word 'equilibrium'"
    assert "x" not in scores
    assert all(0 < s <= 1 + 1e-9 for s in scores.values())


def test_limit_keeps_the_best(G: nx.DiGraph) -> None:
    assert list(bibliographic_coupling(G, "a", limit=1)) == ["e"]
    assert len(personalized_pagerank(G, "a", limit=3)) == 3


@pytest.mark.parametrize(
    "signal",
    [cocitation, bibliographic_coupling, direct_citation, personalized_pagerank],
    ids=lambda f: f.__name__,
)
def test_graph_without_citations_gives_empty_results(signal) -> None:  # type: ignore[no-untyped-def]
    g = nx.DiGraph()
    g.add_nodes_from(["p", "q"], title="Some paper")
    g.add_edge("p", "q", kind="implements")
    assert signal(g, "p") == {}


def test_unknown_seed_is_a_lookup_error(G: nx.DiGraph) -> None:
    with pytest.raises(LookupFailed, match="not in the graph"):
        cocitation(G, ["a", "nope"])


def test_index_is_rebuilt_when_graph_grows(G: nx.DiGraph) -> None:
    first = citation_index(G)
    assert citation_index(G) is first
    G.add_edge("c3", "b", kind="cites")
    assert citation_index(G) is not first
    assert cocitation(G, "a")["b"] == pytest.approx((2 * hub(2) + hub(3)) / mass(3))


def test_index_is_rebuilt_when_an_edge_is_swapped_for_another(G: nx.DiGraph) -> None:
    """Same node and edge counts, different graph: the old index must not be reused."""
    assert cocitation(G, "a") == pytest.approx({"b": 2 * hub(2) / mass(2), "d": hub(2) / mass(1)})
    G.remove_edge("c1", "b")
    G.add_edge("c1", "d", kind="cites")
    assert cocitation(G, "a") == pytest.approx({"d": 2 * hub(2) / mass(2), "b": hub(2) / mass(1)})


def test_tokenize_stems_plurals_drops_stopwords_and_adds_pairs() -> None:
    assert tokenize("Neural Networks for the Équations") == [
        "neural",
        "network",
        "equation",
        "neural network",
        "network equation",
    ]


def test_degree_normalized_pagerank_divides_by_citation_degree(G: nx.DiGraph) -> None:
    raw = personalized_pagerank(G, "a")
    normalized = personalized_pagerank(G, "a", degree_normalized=True)
    degree = {k: G.in_degree(k) + G.out_degree(k) for k in raw}
    for key, score in normalized.items():
        assert score == pytest.approx(raw[key] / degree[key]), key
