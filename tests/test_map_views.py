"""The map's research views without a browser: similarity view, named clusters, honest sizes,
author-year labels, abstracts, the rank-based timeline and the search's acronym table."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from test_map import XSS_IMG, page_data, sample_graph

from implicit_atlas.cli.main import cli
from implicit_atlas.graph import layout
from implicit_atlas.graph.communities import detect_communities, name_clusters, title_words
from implicit_atlas.graph.graphio import save_graph
from implicit_atlas.graph.htmlmap import (
    MapError,
    MapOptions,
    author_year,
    map_data,
    render_map,
    size_and_basis,
)
from implicit_atlas.graph.searchterms import ACRONYMS, expand
from implicit_atlas.graph.similarmap import similar_view, similarity_links

NODE_ODE = "arXiv:1806.07366"


# --- honest sizes, labels, abstracts ------------------------------------------------------------


def test_unknown_citation_count_sizes_by_citations_in_the_graph():
    G = sample_graph()
    G.add_node("title:hub", title="A Hub Without Count", year=2016, type="paper")
    for i in range(6):
        G.add_edge(f"title:extra-{i}", "title:hub", kind="cites")
    nodes = list(G)
    sizes, basis = size_and_basis(G, nodes, "citations")
    assert basis["title:hub"] == "graph" and basis["arXiv:2001.00001"] == "count"
    lonely = sizes["title:lonely"]  # unknown count, cited by nobody: the minimum
    assert sizes["title:hub"] > lonely, "six citing papers of the graph make it bigger"
    record = {r["id"]: r for r in map_data(G)["nodes"]}["title:hub"]
    assert record["sizeBasis"] == "graph" and record["citesInGraph"] == 6
    assert record["citations"] is None


def test_every_paper_gets_an_author_year_label_and_curated_keep_titles():
    nodes = {r["id"]: r for r in map_data(sample_graph())["nodes"]}
    assert nodes["arXiv:2001.00001"]["short"] == "Lovelace 2019"
    assert nodes["arXiv:2001.00001"]["label"] == "Deep Alpha Networks"
    assert nodes["title:extra-3"]["short"] == "3 2013", "surname is the last name part"
    assert nodes["title:lonely"]["short"] == "", "no author, no year: nothing to show"
    assert author_year(["Chen, Ricky T. Q."], 2018) == "Chen 2018"


def test_abstract_is_in_the_data_shortened_and_escaped():
    G = sample_graph()
    G.nodes["arXiv:2001.00001"]["abstract"] = "We propose  alpha layers. " + XSS_IMG + " x" * 2000
    html = render_map(G)
    assert XSS_IMG not in html
    record = {r["id"]: r for r in page_data(html)["nodes"]}["arXiv:2001.00001"]
    assert record["abstract"].startswith("We propose alpha layers. <img")
    assert len(record["abstract"]) <= 1500 and record["abstract"].endswith("…")
    assert "abstract" not in {r["id"]: r for r in page_data(html)["nodes"]}["doi:10.1000/beta"]


# --- similarity view ----------------------------------------------------------------------------


def test_similarity_view_of_the_bundled_graph(bundled_graph):
    data = map_data(bundled_graph, MapOptions(similar_to=("1806.07366",)))
    ids = [n["id"] for n in data["nodes"]]
    assert ids[0] == NODE_ODE and len(ids) == 41, "the seed and its 40 most related papers"
    assert data["colourBy"] == "year" and data["similar"]["seeds"] == [NODE_ODE]
    seed = data["nodes"][0]
    assert seed["seed"] and seed["rank"] == 0 and seed["label"]
    assert [n["rank"] for n in data["nodes"][1:]] == list(range(1, 41))
    assert data["edges"] and all(e["kind"] == "similar" and e["weight"] > 0 for e in data["edges"])
    linked = {e["from"] for e in data["edges"]} | {e["to"] for e in data["edges"]}
    assert linked == set(ids), "every paper is linked to its most similar ones"
    lineage = data["similar"]["lineage"]
    assert lineage["prior"] and lineage["derivative"]
    assert all(w["seeds"] == 1 for w in lineage["prior"])
    # colour by year: the newest paper is the darkest
    newest = max(data["nodes"], key=lambda n: n["year"] or 0)
    assert newest["colour"] == "#08306b"


def test_similarity_links_are_cocitation_and_coupling_not_citations():
    G = nx.DiGraph()
    # a and b are cited together by c1, c2; b and d cite the same two papers; a cites d only
    G.add_edges_from(
        [("c1", "a"), ("c1", "b"), ("c2", "a"), ("c2", "b"), ("b", "r1"), ("b", "r2")],
        kind="cites",
    )
    G.add_edges_from([("d", "r1"), ("d", "r2"), ("a", "d")], kind="cites")
    links = similarity_links(G, ["a", "b", "d"])
    assert links[("a", "b")] == pytest.approx(1.0), "always cited together"
    assert links[("b", "d")] == pytest.approx(1.0), "the same references"
    assert ("a", "d") not in links, "a citation alone is no similarity"


def test_similarity_view_takes_several_seeds(bundled_graph):
    view = similar_view(bundled_graph, [NODE_ODE, "arXiv:1909.01377"], top=10)
    assert view.seeds == sorted(view.seeds) or set(view.seeds) == {NODE_ODE, "arXiv:1909.01377"}
    assert len(view.nodes) == 12


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(MapOptions(similar_to=("x",), focus="y"), "leave out --focus", id="focus"),
        pytest.param(MapOptions(color="rainbow"), "unknown colouring", id="colour"),
        pytest.param(MapOptions(similar_to=("x",), top=0), "--top must be", id="top"),
    ],
)
def test_view_options_are_checked(options, message):
    with pytest.raises(MapError, match=message):
        options.check()


# --- communities ------------------------------------------------------------------------------


def test_community_view_names_clusters_and_lists_them(bundled_graph):
    data = map_data(bundled_graph, MapOptions(color="community"))
    communities = data["communities"]
    assert 3 <= len(communities) <= 14
    assert all(c["name"] and " · " in c["name"] for c in communities)
    assert len({c["name"] for c in communities}) == len(communities), "names tell them apart"
    counts = {c["key"]: c["count"] for c in communities}
    members: dict[str, int] = {}
    for n in data["nodes"]:
        if "community" in n:
            members[n["community"]] = members.get(n["community"], 0) + 1
    assert members == counts
    assert data == map_data(bundled_graph, MapOptions(color="community")), "seeded: same map"


def test_communities_named_by_their_distinctive_words():
    G = nx.DiGraph()
    for i in range(5):
        G.add_node(f"o{i}", title=f"Neural ODE adjoint solvers {i}")
        G.add_node(f"q{i}", title=f"Neural equilibrium fixed point models {i}")
    G.add_edges_from(
        [(f"o{i}", "o0") for i in range(1, 5)] + [(f"q{i}", "q0") for i in range(1, 5)]
    )
    found = detect_communities(G, list(G))
    names = {c.members[0][0]: set(c.words) for c in found}
    assert "neural" not in names["o"] | names["q"], "a word of every title names nothing"
    assert {"ode", "adjoint"} <= names["o"] and "equilibrium" in names["q"]
    assert detect_communities(G, ["o0"]) == [], "no link, no cluster"
    assert title_words("The Étude of ODEs") == ["etude", "odes"]
    assert name_clusters([[]], {}) == [("unnamed",)]


# --- the timeline -------------------------------------------------------------------------------


def test_timeline_has_no_overlaps_and_gives_busy_years_room(bundled_graph):
    data = map_data(bundled_graph, MapOptions(layout="timeline"))
    nodes = data["nodes"]
    # no two papers overlap (grid spacing larger than the sum of two radii)
    cells: dict[tuple[int, int], list[dict]] = {}
    for n in nodes:
        cells.setdefault((int(n["x"] // 60), int(n["y"] // 60)), []).append(n)
    for (cx, cy), members in cells.items():
        near = [
            m for dx in (-1, 0, 1) for dy in (-1, 0, 1) for m in cells.get((cx + dx, cy + dy), [])
        ]
        for a in members:
            for b in near:
                if a["id"] < b["id"]:
                    gap = math.dist((a["x"], a["y"]), (b["x"], b["y"]))
                    assert gap >= a["size"] + b["size"], (a["title"], b["title"])
    axis = data["timeline"]
    widths = {
        c["label"]: axis["edges"][i + 1] - axis["edges"][i] for i, c in enumerate(axis["columns"])
    }
    assert widths["2020"] > 2 * widths["1995"], "a busy recent year is wider than a quiet old one"
    width = axis["edges"][-1] - axis["edges"][0]
    height = axis["bands"][-1]["bottom"] - axis["bands"][0]["top"]
    assert 0.6 < width / height < 1.8, "it fills a screen, not a strip"


def test_timeline_columns_and_bands_follow_the_papers():
    G = sample_graph()
    nodes = list(G)
    groups = {v: G.nodes[v].get("section") for v in nodes}
    timeline = layout.timeline_layout(G, nodes, groups=groups, band_order=["Alpha Layers"])
    assert len(timeline.edges) == len(timeline.columns) + 1
    assert all(a < b for a, b in itertools.pairwise(timeline.edges))
    for x, _ in timeline.columns:
        assert timeline.edges[0] < x < timeline.edges[-1]


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "typed"),
    [
        pytest.param("Neural Ordinary Differential Equations", "ode", id="long-form"),
        pytest.param("Latent SDEs for Irregular Series", "stochastic", id="acronym-plural"),
        pytest.param("Deep Equilibrium Models", "deq", id="deq"),
        pytest.param("DEQ flows", "equilibrium", id="deq-reverse"),
        pytest.param("Neural CDEs", "controlled", id="cde"),
    ],
)
def test_acronyms_and_long_forms_find_each_other(title, typed):
    assert typed in expand(title)


def test_acronym_table_is_lowercase_words():
    for acronym, long_form in ACRONYMS.items():
        assert acronym.isalnum() and acronym == acronym.lower()
        assert long_form == long_form.lower() and len(long_form.split()) >= 2


# --- the command ------------------------------------------------------------------------------


def test_map_command_similar_to_and_colour(bundled_graph_file: Path, tmp_path: Path):
    out = tmp_path / "similar.html"
    result = CliRunner().invoke(
        cli,
        [
            "map",
            "--graph",
            str(bundled_graph_file),
            "-o",
            str(out),
            "--similar-to",
            "1806.07366",
            "--similar-to",
            "Deep Equilibrium Models",
            "--top",
            "12",
        ],  # fmt: skip
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    data = page_data(out.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 14 and len(data["similar"]["seeds"]) == 2
    assert "papers similar to" in result.stdout
    out = tmp_path / "clusters.html"
    result = CliRunner().invoke(
        cli,
        ["map", "--graph", str(bundled_graph_file), "-o", str(out), "--color", "community"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert page_data(out.read_text(encoding="utf-8"))["communities"]


def test_map_command_similar_to_unknown_paper_is_one_line(tmp_path: Path):
    path = tmp_path / "graph.json"
    save_graph(sample_graph(), path)
    result = CliRunner().invoke(
        cli, ["map", "--graph", str(path), "--similar-to", "zzz qqq nothing"]
    )
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output


def test_map_command_says_what_the_similarity_view_lacks(bundled_graph_file: Path, tmp_path):
    """A seed without a reference list has no coupling and no prior works: said, not hidden."""
    out = tmp_path / "idl.html"
    result = CliRunner().invoke(
        cli,
        [
            "map",
            "--graph",
            str(bundled_graph_file),
            "-o",
            str(out),
            "--similar-to",
            "Implicit Deep Learning",
        ],  # fmt: skip
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "note: prior works: 1 of 1 seeds have no reference list" in result.stdout
    assert page_data(out.read_text(encoding="utf-8"))["similar"]["notes"]
