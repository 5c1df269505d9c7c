"""The HTML map without a browser: node selection, encoding, escaping, layout, the command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli
from implicit_atlas.graph import layout
from implicit_atlas.graph.errors import AtlasError
from implicit_atlas.graph.graphio import save_graph
from implicit_atlas.graph.htmlmap import (
    NEUTRAL_COLOUR,
    MapError,
    MapOptions,
    lighter,
    map_data,
    node_sizes,
    paper_links,
    render_map,
    script_json,
    section_colours,
    select_nodes,
    write_map,
)

XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>window.__pwned = 1</script>"
XSS_ATTR = '"><svg onload="window.__pwned = 2">'
SECTIONS = ["Alpha Layers", "Beta Solvers"]


def sample_graph(extra: int = 24) -> nx.DiGraph:
    """A small atlas following graph/schema.py: two sections, software, hostile titles."""
    G = nx.DiGraph(curated_sections=list(SECTIONS), schema=1, built_at="2026-01-01T00:00:00Z")
    G.add_node(
        "arXiv:2001.00001",
        title="Deep Alpha Networks",
        authors=["Ada Lovelace", "Alan Turing"],
        year=2019,
        venue="NeurIPS",
        type="paper",
        arxiv="2001.00001",
        citation_count=500,
        citation_count_as_of="2025-01-01",
        curated=True,
        section="Alpha Layers",
    )
    G.add_node(
        "doi:10.1000/beta",
        title="Beta Solvers for Everyone",
        authors=["Grace Hopper"],
        year=2021,
        type="paper",
        doi="10.1000/beta",
        s2_id="a" * 40,
        citation_count=50,
        curated=True,
        section="Beta Solvers",
    )
    G.add_node(
        "repo:github.com/example/alpha",
        title="alpha-lib",
        type="software",
        url="https://github.com/example/alpha",
        curated=True,
        section="Alpha Layers",
    )
    G.add_node("doi:10.1000/xss", title=XSS_IMG, authors=[XSS_ATTR], year=2020, type="paper",
               venue=XSS_SCRIPT, citation_count=3, url="javascript:window.__pwned=3")  # fmt: skip
    G.add_node("title:script", title=XSS_SCRIPT, authors=["Mallory"], year=2018, type="thesis")
    G.add_node("title:lonely", title="A Paper Nobody Links", year=2015, type="misc")
    G.add_edge("repo:github.com/example/alpha", "arXiv:2001.00001", kind="implements")
    G.add_edge("doi:10.1000/beta", "arXiv:2001.00001", kind="cites", is_influential=True)
    G.add_edge("doi:10.1000/xss", "arXiv:2001.00001", kind="cites")
    G.add_edge("title:script", "doi:10.1000/xss", kind="cites")
    for i in range(extra):
        key = f"title:extra-{i}"
        G.add_node(key, title=f"Extra Paper {i}", authors=[f"Author {i}"], year=2010 + i % 12,
                   type="paper", citation_count=i * 7)  # fmt: skip
        target = "arXiv:2001.00001" if i % 3 else "doi:10.1000/beta"
        G.add_edge(key, target, kind="cites")
        if i:
            G.add_edge(key, f"title:extra-{i - 1}", kind="cites")
    return G


def page_data(html: str) -> dict:
    match = re.search(r'<script type="application/json" id="atlas-data">(.*?)</script>', html, re.S)
    assert match, "the page has no data block"
    return json.loads(match.group(1))


# --- the file is self-contained and escaped ------------------------------------------------


def test_page_is_one_file_with_no_external_reference():
    html = render_map(sample_graph())
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "@version 9.1.2" in html, "vis-network from pyvis is inlined"
    assert not re.search(
        r"<(script|link|img|iframe)[^>]*\s(src|href)\s*=\s*[\"']?(https?:)?//", html
    )
    assert "<script src" not in html and '<link rel="stylesheet"' not in html
    assert "bootstrap" not in html.lower() and "cdnjs" not in html and "jsdelivr" not in html
    assert "default-src 'none'" in html, "a content security policy forbids any load"


def test_hostile_text_never_appears_as_markup():
    html = render_map(sample_graph())
    for hostile in (XSS_IMG, XSS_SCRIPT, XSS_ATTR, "</script><script>"):
        assert hostile not in html
    # the only </script> tags are the page's own three
    assert html.count("</script>") == 3
    titles = {n["title"] for n in page_data(html)["nodes"]}
    assert {XSS_IMG, XSS_SCRIPT} <= titles, "the JSON block round-trips the text exactly"


def test_script_json_escapes_what_could_end_or_break_a_script():
    text = script_json({"t": "</script>&<!--\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script>&<!--\u2028"}


def test_links_are_https_only_and_built_from_identifiers():
    G = sample_graph()
    assert paper_links(G.nodes["doi:10.1000/xss"]) == [], "a javascript: URL is dropped"
    assert paper_links(G.nodes["doi:10.1000/beta"]) == [
        ("DOI", "https://doi.org/10.1000/beta"),
        ("Semantic Scholar", "https://www.semanticscholar.org/paper/" + "a" * 40),
    ]
    assert paper_links(G.nodes["repo:github.com/example/alpha"]) == [
        ("repository", "https://github.com/example/alpha")
    ]


# --- what is drawn ----------------------------------------------------------------------------


def test_whole_field_draws_every_node_and_edge_with_encodings():
    G = sample_graph()
    data = map_data(G)
    assert len(data["nodes"]) == G.number_of_nodes()
    assert len(data["edges"]) == G.number_of_edges()
    nodes = {n["id"]: n for n in data["nodes"]}
    colours = section_colours(SECTIONS)
    assert nodes["arXiv:2001.00001"]["colour"] == colours["Alpha Layers"]
    assert nodes["arXiv:2001.00001"]["label"] == "Deep Alpha Networks"
    assert nodes["doi:10.1000/xss"]["colour"] == lighter(colours["Alpha Layers"])
    assert nodes["doi:10.1000/xss"]["label"] == "", "only curated papers are labelled"
    assert nodes["title:script"]["colour"] == lighter(colours["Alpha Layers"]), "two steps away"
    assert nodes["title:lonely"]["colour"] == NEUTRAL_COLOUR
    assert nodes["repo:github.com/example/alpha"]["shape"] == "square"
    assert nodes["title:script"]["shape"] == "diamond"
    edges = {(e["from"], e["to"]): e for e in data["edges"]}
    assert edges[("repo:github.com/example/alpha", "arXiv:2001.00001")]["kind"] == "implements"
    assert edges[("doi:10.1000/beta", "arXiv:2001.00001")]["influential"] is True
    assert "kind" not in edges[("doi:10.1000/xss", "arXiv:2001.00001")]
    assert [s["name"] for s in data["sections"]] == SECTIONS


def test_max_nodes_keeps_curated_first_and_counts_the_rest():
    G = sample_graph()
    selection = select_nodes(G, MapOptions(max_nodes=5))
    assert len(selection.nodes) == 5 and selection.left_out == G.number_of_nodes() - 5
    curated = {v for v, c in G.nodes(data="curated") if c}
    assert curated <= set(selection.nodes)
    # the rest are the most central papers: the cited hub's neighbours outrank the lonely one
    assert "title:lonely" not in selection.nodes


def test_section_view_is_the_section_and_its_neighbours():
    G = sample_graph()
    selection = select_nodes(G, MapOptions(section="beta"))
    assert "doi:10.1000/beta" in selection.nodes
    assert set(selection.nodes) == {"doi:10.1000/beta", *nx.all_neighbors(G, "doi:10.1000/beta")}
    assert selection.view == "section 'Beta Solvers'"


def test_unknown_section_lists_the_sections():
    with pytest.raises(MapError, match="'Alpha Layers', 'Beta Solvers'"):
        select_nodes(sample_graph(), MapOptions(section="gamma"))


def test_focus_map_takes_the_hop_neighbourhood():
    G = sample_graph()
    one = select_nodes(G, MapOptions(focus="title:script", hops=1))
    assert set(one.nodes) == {"title:script", "doi:10.1000/xss"}
    two = select_nodes(G, MapOptions(focus="title:script", hops=2))
    assert set(two.nodes) == {"title:script", "doi:10.1000/xss", "arXiv:2001.00001"}
    assert two.nodes[0] == "title:script", "the focus paper is always kept first"
    by_arxiv = select_nodes(G, MapOptions(focus="2001.00001", hops=0))
    assert by_arxiv.nodes == ["arXiv:2001.00001"]


def test_focus_on_unknown_paper_is_a_lookup_error():
    with pytest.raises(AtlasError):
        select_nodes(sample_graph(), MapOptions(focus="no such paper at all zzz"))


@pytest.mark.parametrize(
    "options",
    [
        pytest.param(MapOptions(layout="spiral"), id="layout"),
        pytest.param(MapOptions(size="stars"), id="size"),
        pytest.param(MapOptions(max_nodes=0), id="max-nodes"),
    ],
)
def test_bad_options_are_reported(options):
    with pytest.raises(MapError):
        map_data(sample_graph(), options)


@pytest.mark.parametrize("measure", ["citations", "pagerank", "degree"])
def test_sizes_grow_with_the_measure(measure):
    G = sample_graph()
    sizes = node_sizes(G, list(G), measure)
    assert sizes["arXiv:2001.00001"] > sizes["title:lonely"]
    assert all(7.0 <= s <= 34.0 for s in sizes.values())


def test_physics_only_on_small_force_maps():
    G = sample_graph()
    assert map_data(G)["physics"] is True
    assert map_data(G, MapOptions(layout="timeline"))["physics"] is False
    big = sample_graph(extra=400)
    assert map_data(big)["physics"] is False


def test_bibtex_is_attached_when_the_bib_module_provides_it():
    data = map_data(sample_graph())
    with_bib = [n for n in data["nodes"] if n.get("bibtex")]
    assert with_bib, "graph/bibtex.py provides entries for the copy button"
    assert all(n["bibtex"].lstrip().startswith("@") for n in with_bib)


# --- layout -------------------------------------------------------------------------------------


def test_force_layout_is_deterministic_and_finite():
    G = sample_graph(extra=60)
    nodes = list(G)
    groups = {v: G.nodes[v].get("section") for v in nodes}
    a = layout.force_layout(G, nodes, groups=groups, seed=3)
    b = layout.force_layout(G, nodes, groups=groups, seed=3)
    c = layout.force_layout(G, nodes, groups=groups, seed=4)
    assert a == b and a != c
    assert set(a) == set(nodes)
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in a.values())
    # the unlinked paper sits on the shelf below everything else
    assert a["title:lonely"][1] > max(y for v, (_, y) in a.items() if v != "title:lonely")


def test_grid_repulsion_path_matches_the_contract(monkeypatch):
    monkeypatch.setattr(layout, "EXACT_REPULSION_MAX_NODES", 10)
    G = sample_graph(extra=120)
    nodes = list(G)
    pos = layout.force_layout(G, nodes, groups={}, seed=1)
    assert pos == layout.force_layout(G, nodes, groups={}, seed=1)
    xs = sorted(x for x, _ in pos.values())
    assert xs[-1] - xs[0] > 100, "nodes are spread out, not collapsed"


def test_timeline_layout_orders_by_year_and_bands_by_section():
    G = sample_graph()
    G.add_node("title:old", title="A Very Old Reference", year=1895)
    nodes = list(G)
    groups = {v: G.nodes[v].get("section") for v in nodes}
    timeline = layout.timeline_layout(G, nodes, groups=groups, band_order=SECTIONS)
    pos = timeline.positions
    assert set(pos) == set(nodes)
    assert pos["title:script"][0] < pos["arXiv:2001.00001"][0] < pos["doi:10.1000/beta"][0]
    assert pos["arXiv:2001.00001"][1] < pos["doi:10.1000/beta"][1]
    assert [name for name, _, _ in timeline.bands] == [*SECTIONS, "Other papers"]
    labels = [label for _, label in timeline.columns]
    # the software has no year; one 1895 paper gets an "earlier" column, not 115 empty ones
    assert labels == ["undated", "earlier", *(str(y) for y in range(2010, 2022))]
    assert pos["title:old"][0] < pos["title:extra-0"][0]
    assert len(set(pos.values())) == len(pos), "no two papers on the same spot"


# --- writing and the command ---------------------------------------------------------------------


def test_year_axis_starts_at_the_fifth_percentile():
    G = sample_graph()
    assert map_data(G)["years"] == {"first": 2010, "start": 2010, "last": 2021}
    G.add_node("title:old", title="A Very Old Reference", year=1895)
    assert map_data(G)["years"] == {"first": 1895, "start": 2010, "last": 2021}
    undated = nx.DiGraph()
    undated.add_node("title:x", title="No Year")
    assert map_data(undated)["years"] is None


def test_write_map_reports_counts(tmp_path: Path):
    G = sample_graph()
    (tmp_path / "out").mkdir()
    result = write_map(G, tmp_path / "out" / "m.html", MapOptions(max_nodes=10))
    assert result.path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (result.nodes, result.left_out) == (10, G.number_of_nodes() - 10)
    assert not list((tmp_path / "out").glob(".*.tmp")), "no temporary file left behind"


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "atlas" / "graph.json"
    save_graph(sample_graph(), path)
    return path


def run(*args: str):
    return CliRunner().invoke(cli, ["map", *args], catch_exceptions=False)


def test_map_command_writes_beside_the_graph(graph_file: Path):
    result = run("--graph", str(graph_file))
    assert result.exit_code == 0, result.output
    out = graph_file.parent / "map.html"
    assert out.exists()
    assert f"wrote {out}" in result.stdout
    assert len(page_data(out.read_text(encoding="utf-8"))["nodes"]) == 30


def test_map_command_views_and_cap(graph_file: Path, tmp_path: Path):
    out = tmp_path / "focus.html"
    result = run("--graph", str(graph_file), "-o", str(out), "--focus", "title:script",
                 "--hops", "2", "--layout", "timeline", "--size", "degree", "--max-nodes", "2")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "left out 1 less central papers" in result.stdout
    data = page_data(out.read_text(encoding="utf-8"))
    assert data["layout"] == "timeline" and data["sizeMeasure"] == "degree"
    assert data["focus"] == "title:script"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--section", "gamma"], "unknown section 'gamma'", id="section"),
        pytest.param(["--focus", "zzz qqq nothing"], "", id="focus"),
    ],
)
def test_map_command_errors_are_one_line(graph_file: Path, args, message):
    result = CliRunner().invoke(cli, ["map", "--graph", str(graph_file), *args])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["-o", "{tmp}/missing/dir/map.html"], "the folder {tmp}/missing/dir does "
                     "not exist; create it first or choose another path with -o/--out",
                     id="html-folder-missing"),
        pytest.param(["-o", "{tmp}/afile/map.html"], "{tmp}/afile is a file, not a folder",
                     id="html-under-a-file"),
        pytest.param(["-o", "{tmp}/ok.html", "--png", "{tmp}/missing/shot.png"],
                     "the folder {tmp}/missing does not exist; create it first or choose "
                     "another path with --png", id="png-folder-missing"),
    ],
)  # fmt: skip
def test_map_refuses_a_missing_output_folder(graph_file: Path, tmp_path: Path, args, message):
    """Like bib and export: a typo in a path is an error, and nothing is written."""
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    argv = ["map", "--graph", str(graph_file), *(a.format(tmp=tmp_path) for a in args)]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1
    assert message.format(tmp=tmp_path) in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "missing").exists() and not (tmp_path / "ok.html").exists()


def test_map_command_without_graph_says_how_to_fix(tmp_path: Path):
    result = CliRunner().invoke(cli, ["map", "--graph", str(tmp_path / "none.json")])
    assert result.exit_code == 1 and "implicit-atlas build" in result.stderr


def test_png_without_chromium_keeps_the_html_and_says_so(graph_file: Path, tmp_path, monkeypatch):
    monkeypatch.setenv("IMPLICIT_ATLAS_CHROMIUM", str(tmp_path / "no-such-chromium"))
    out = tmp_path / "m.html"
    result = CliRunner().invoke(
        cli, ["map", "--graph", str(graph_file), "-o", str(out), "--png", str(tmp_path / "m.png")]
    )
    assert result.exit_code == 1
    assert f"wrote {out}, but no PNG" in result.stderr and "Chromium" in result.stderr
    assert out.exists() and not (tmp_path / "m.png").exists()


def test_browser_tests_fail_in_ci_when_chromium_is_missing(monkeypatch):
    import browser

    monkeypatch.setattr(browser, "find_binaries", lambda: (None, None))
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="required in CI"):
        browser.require_browser()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        browser.require_browser()


def test_empty_graph_still_makes_a_page():
    data = map_data(nx.DiGraph())
    assert data["nodes"] == [] and data["edges"] == [] and data["leftOut"] == 0
    assert render_map(nx.DiGraph()).startswith("<!DOCTYPE html>")


def test_same_graph_same_page():
    assert render_map(sample_graph()) == render_map(sample_graph())


def test_title_option_is_escaped():
    html = render_map(sample_graph(), MapOptions(title=XSS_IMG))
    assert XSS_IMG not in html
    assert "<title>&lt;img src=x onerror=alert(1)&gt;</title>" in html


def test_map_refuses_to_overwrite_the_graph_it_reads(tmp_path):
    from click.testing import CliRunner

    from implicit_atlas.cli.main import cli
    from implicit_atlas.graph import build_atlas, save_graph

    graph = tmp_path / "graph.json"
    save_graph(build_atlas(offline=True), graph)
    before = graph.read_bytes()
    result = CliRunner().invoke(cli, ["map", "--graph", str(graph), "-o", str(graph)])
    assert result.exit_code == 1
    assert "is the graph file this command reads" in result.stderr
    assert graph.read_bytes() == before
