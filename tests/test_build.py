import json

import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli
from implicit_atlas.graph import build_atlas, load_field_sample, load_graph, save_graph
from implicit_atlas.graph.errors import GraphFileError


def test_bundled_graph_has_every_curated_entry_and_every_sample_edge(bundled_graph):
    G = bundled_graph
    curated = {d["curated_key"]: n for n, d in G.nodes(data=True) if d.get("curated")}
    assert len(curated) == 29
    types = [G.nodes[n]["type"] for n in curated.values()]
    assert types.count("paper") == 17 and types.count("software") == 10
    assert types.count("tutorial") == 2
    sample = load_field_sample()
    cites = [(u, v) for u, v, d in G.edges(data=True) if "field-sample" in d["sources"]]
    assert len(sample.edges) == 1853
    # versions of one work are one node: the L4DC "Learning Robust State Observers using
    # Neural ODEs" citing its own longer arXiv version is no edge
    assert len(cites) == 1852
    assert not any(u == v for u, v in cites)
    # every field-sample edge is there, with its evidence
    edge = G.edges["arXiv:1703.00443", "arXiv:1412.6980"]
    assert edge["kind"] == "cites"
    assert edge["provenance"][0]["source"] == "field-sample"
    assert "optnet.bbl" in edge["provenance"][0]["evidence"]


def test_curated_entries_merge_with_the_sample_by_identity(bundled_graph):
    node = bundled_graph.nodes["arXiv:1806.07366"]
    assert node["sources"] == ["curated", "field-sample"]
    assert node["section"] == "Neural Differential Equations"
    assert node["note"] == "best paper award"
    assert node["s2_id"] == "449310e3538b08b43227d660227dfd2875c3c3c1"
    assert node["citation_count"] == 3942 and node["citation_count_as_of"] == "2024-07-22"
    # a thesis stays a thesis, with its degree
    theses = [d for _, d in bundled_graph.nodes(data=True) if d["type"] == "thesis"]
    assert {d.get("degree") for d in theses} == {"phd", "masters"}


def test_software_links_to_the_papers_it_implements(bundled_graph):
    edge = bundled_graph.edges["repo:github.com/locuslab/deq", "arXiv:2006.08656"]
    assert edge["kind"] == "implements" and edge["sources"] == ["curated"]


def test_save_and_load_round_trip(bundled_graph, tmp_path):
    path = save_graph(bundled_graph, tmp_path / "g.json")
    G = load_graph(path)
    assert G.number_of_nodes() == bundled_graph.number_of_nodes()
    assert G.number_of_edges() == bundled_graph.number_of_edges()
    assert G.graph["curated_sections"][0] == "Neural Differential Equations"
    assert G.nodes["arXiv:1909.01377"] == bundled_graph.nodes["arXiv:1909.01377"]
    assert json.loads(path.read_text())["schema"] == 1


def test_build_is_deterministic(tmp_path):
    a = build_atlas(offline=True)
    b = build_atlas(offline=True)
    for G in (a, b):
        G.graph["built_at"] = "fixed"
    save_graph(a, tmp_path / "a.json")
    save_graph(b, tmp_path / "b.json")
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("{not json", "not a readable graph file", id="garbage"),
        pytest.param('{"nodes": []}', "not an implicit-atlas graph file", id="not-ours"),
        pytest.param('{"schema": 99, "nodes": [], "edges": []}', "schema 99", id="future-schema"),
        pytest.param('{"schema": 1, "nodes": [{"x": 1}], "edges": []}', "corrupted", id="no-ids"),
    ],
)
def test_corrupted_graph_files_are_reported(tmp_path, content, message):
    path = tmp_path / "graph.json"
    path.write_text(content)
    with pytest.raises(GraphFileError, match=message):
        load_graph(path)


def test_cli_build_prints_summary_and_writes_graph(tmp_path):
    out = tmp_path / "atlas"
    result = CliRunner().invoke(
        cli, ["build", "--offline", "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "offline" in result.stderr
    assert "curated: 29 entries (16 papers found in the data" in result.stdout
    assert "field-sample 1852" in result.stdout
    assert f"wrote {out / 'graph.atlas'}" in result.stdout
    assert load_graph(out / "graph.atlas").number_of_nodes() > 1400


def test_cli_build_bad_catalog_is_one_line_and_keeps_old_graph(tmp_path):
    out = tmp_path / "atlas"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--offline", "--out", str(out)]).exit_code == 0
    before = sorted((p.name, p.read_bytes()) for p in out.rglob("*") if p.is_file())
    bad = tmp_path / "bad.toml"
    bad.write_text('sections = ["A"]\n[entry.x]\ntitle = "X"\nsection = "B"\n')
    result = runner.invoke(cli, ["build", "--offline", "--curated", str(bad), "--out", str(out)])
    assert result.exit_code == 1
    assert "Error:" in result.stderr and "unknown section 'B'" in result.stderr
    assert "Traceback" not in result.output
    assert sorted((p.name, p.read_bytes()) for p in out.rglob("*") if p.is_file()) == before


def test_cli_build_out_is_a_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("I am a file")
    result = CliRunner().invoke(cli, ["build", "--offline", "--out", str(blocker / "atlas")])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert blocker.read_text() == "I am a file"


def test_no_partial_file_when_writing_fails(tmp_path, monkeypatch, bundled_graph):
    path = tmp_path / "graph.json"
    path.write_text("old")

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(json, "dumps", boom)
    with pytest.raises(RuntimeError):
        save_graph(bundled_graph, path)
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]


def test_the_summary_counts_a_built_graphs_edges_per_dict_the_registry_copied() -> None:
    from implicit_atlas.graph.build import summarize
    from implicit_atlas.graph.catalog import load_catalog
    from implicit_atlas.graph.registry import PaperRegistry

    reg = PaperRegistry()
    a, b, c = (
        reg.add_paper({"title": f"Paper {n}", "arxiv": f"2001.0000{n}"}, "semantic-scholar")
        for n in range(3)
    )
    reg.add_edges(a, [b, c], provenance={"source": "semantic-scholar"})
    reg.add_edge(a, b, provenance={"source": "openalex"})
    reg.add_edge(c, a, kind="implements", provenance={"source": "curated"})
    G = reg.to_graph()
    catalog = load_catalog()
    told = summarize(G, catalog, edge_groups=reg.edge_groups)
    assert told == summarize(G, catalog)
    assert told["edges_by_kind"] == {"cites": 2, "implements": 1}
    assert told["edges_by_source"] == {
        "curated": 1, "openalex": 1, "openalex+semantic-scholar": 1, "semantic-scholar": 2
    }  # fmt: skip


def test_reference_coverage_of_a_built_graph_is_counted_per_dict_the_registry_copied() -> None:
    from implicit_atlas.graph.coverage import reference_coverage
    from implicit_atlas.graph.registry import PaperRegistry

    reg = PaperRegistry()
    a, b, c, d = (
        reg.add_paper({"title": f"Paper {n}", "arxiv": f"2001.0000{n}"}, "semantic-scholar")
        for n in range(4)
    )
    reg.update(c, {"reference_count": 2}, "semantic-scholar")
    full = {"source": "field-sample", "scope": "full_reference_list"}
    reg.add_edges(a, [b, c], provenance={"source": "semantic-scholar"})
    reg.add_edge(b, c, provenance=full)
    reg.add_edges(c, [a, b], provenance={"source": "semantic-scholar"})
    reg.add_edge(d, a, kind="implements", provenance={"source": "curated"})
    G = reg.to_graph()
    told = reference_coverage(G, edge_groups=reg.edge_groups)
    assert told == reference_coverage(G)
    assert list(told.values()) == [("partial", 2), ("full", 1), ("full", 2)]
