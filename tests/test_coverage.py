import networkx as nx

from implicit_atlas.graph.build import format_summary
from implicit_atlas.graph.coverage import reference_coverage
from implicit_atlas.graph.htmlmap import MapOptions, map_data


def test_bundled_graph_knows_which_reference_lists_are_complete(bundled_graph):
    G = bundled_graph
    full = {n for n, d in G.nodes(data=True) if d.get("curated") and d.get("refs_list") == "full"}
    # SOURCES.md: full reference lists exist for these four seeds only
    assert full == {"arXiv:1806.07366", "arXiv:1909.01377", "arXiv:1703.00443", "arXiv:2006.08591"}
    assert G.nodes["arXiv:1703.00443"]["refs_in_graph"] == 36
    assert "refs_list" not in G.nodes["arXiv:2010.07078"], "no outgoing edges: no attribute"
    refs = G.graph["summary"]["curated"]["reference_lists"]
    assert len(refs["full"]) == 4 and not refs["partial"] and len(refs["none"]) == 12
    assert "4 full, 0 partial, 12 none" in format_summary(G)


def test_seed_edges_only_lists_are_partial_and_s2_counts_decide():
    G = nx.DiGraph()
    G.add_edge(
        "a", "x", kind="cites", provenance=[{"source": "field-sample", "scope": "seed_edges_only"}]
    )
    G.add_edge("s", "x", kind="cites", provenance=[{"source": "semantic-scholar"}])
    G.add_edge("s", "y", kind="cites", provenance=[{"source": "semantic-scholar"}])
    G.nodes["s"]["reference_count"] = 2
    G.add_edge("t", "x", kind="cites", provenance=[{"source": "semantic-scholar"}])
    G.nodes["t"]["reference_count"] = 40
    G.add_edge("sw", "x", kind="implements", provenance=[{"source": "curated"}])
    assert reference_coverage(G) == {"a": ("partial", 1), "s": ("full", 2), "t": ("partial", 1)}


def test_map_tooltips_carry_the_coverage(bundled_graph):
    data = map_data(bundled_graph, MapOptions(max_nodes=200))
    node = next(n for n in data["nodes"] if n["id"] == "arXiv:1703.00443")
    assert (node["refs"], node["refsList"]) == (36, "full")
