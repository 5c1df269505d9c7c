"""Every export format opens in its reader with the graph's nodes, edges and key attributes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.bibtex import build_bibliography
from implicit_atlas.graph.errors import AtlasError
from implicit_atlas.graph.exports import flat_value, render_export, write_export
from implicit_atlas.graph.graphio import load_graph, save_graph


@pytest.fixture(scope="module")
def exported(bundled_graph: nx.DiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every format of the bundled graph written once, by the library's one-call writer."""
    out = tmp_path_factory.mktemp("exports")
    for fmt, name in [("graphml", "a.graphml"), ("gexf", "a.gexf"), ("csl-json", "a.json"),
                      ("ris", "a.ris"), ("csv", "csv"), ("json", "graph.json"),
                      ("markdown", "README.md")]:  # fmt: skip
        write_export(bundled_graph, fmt, out / name)
    return out


def assert_same_nodes_and_key_attributes(G: nx.DiGraph, H: nx.Graph) -> None:
    assert H.is_directed()
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    assert set(H.nodes) == set(G.nodes)
    for node, attrs in G.nodes(data=True):
        back = H.nodes[node]
        for name in ("title", "year", "type", "curated", "section", "citation_count", "note"):
            if attrs.get(name) is not None:
                assert back[name] == attrs[name], (node, name)
        if attrs.get("authors"):
            assert back["authors"].split("; ") == attrs["authors"]
    for u, v, attrs in G.edges(data=True):
        back = H.edges[u, v]
        assert back["kind"] == attrs["kind"]
        assert json.loads(back["provenance"]) == [
            {k: p[k] for k in sorted(p)} for p in attrs["provenance"]
        ]


def test_graphml_reimports_with_attributes(bundled_graph: nx.DiGraph, exported: Path) -> None:
    H = nx.read_graphml(exported / "a.graphml")
    assert_same_nodes_and_key_attributes(bundled_graph, H)


def test_gexf_reimports_with_attributes_and_labels(
    bundled_graph: nx.DiGraph, exported: Path
) -> None:
    H = nx.read_gexf(exported / "a.gexf")
    assert_same_nodes_and_key_attributes(bundled_graph, H)
    assert H.nodes["arXiv:1806.07366"]["label"] == "Neural Ordinary Differential Equations"


def test_node_link_json_is_a_graph_file(bundled_graph: nx.DiGraph, exported: Path) -> None:
    H = load_graph(exported / "graph.json")
    assert nx.utils.graphs_equal(H, bundled_graph)


def test_csv_nodes_and_edges(bundled_graph: nx.DiGraph, exported: Path) -> None:
    with open(exported / "csv" / "nodes.csv", encoding="utf-8", newline="") as fh:
        nodes = list(csv.DictReader(fh))
    with open(exported / "csv" / "edges.csv", encoding="utf-8", newline="") as fh:
        edges = list(csv.DictReader(fh))
    assert len(nodes) == bundled_graph.number_of_nodes()
    assert len(edges) == bundled_graph.number_of_edges()
    assert list(nodes[0])[:4] == ["key", "title", "authors", "year"]
    row = next(r for r in nodes if r["key"] == "arXiv:1806.07366")
    assert row["curated"] == "true" and row["section"] == "Neural Differential Equations"
    assert {(e["source"], e["target"]) for e in edges} == set(bundled_graph.edges)


def test_csl_json_items(bundled_graph: nx.DiGraph, exported: Path) -> None:
    items = json.loads((exported / "a.json").read_text(encoding="utf-8"))
    bib = build_bibliography(bundled_graph)
    assert [i["id"] for i in items] == [e.key for e in bib.library.entries]
    node = next(i for i in items if i["id"] == "chen2018neural")
    assert node["type"] == "paper-conference"
    assert node["container-title"] == "Advances in Neural Information Processing Systems"
    assert node["issued"] == {"date-parts": [[2018]]}
    assert node["author"][0] == {"family": "Chen", "given": "Ricky T. Q."}
    assert node["URL"] == "https://arxiv.org/abs/1806.07366"
    assert {i["type"] for i in items} <= {"paper-conference", "article-journal", "article",
                                          "book", "thesis", "software", "speech", "document"}  # fmt: skip


def test_ris_records(bundled_graph: nx.DiGraph, exported: Path) -> None:
    text = (exported / "a.ris").read_text(encoding="utf-8")
    records = [r for r in text.split("ER  - ") if r.strip()]
    assert len(records) == len(build_bibliography(bundled_graph).entry_of_key)
    for record in records:
        lines = record.strip().splitlines()
        assert lines[0].startswith("TY  - ")
        assert all(len(line) > 6 and line[2:6] == "  - " for line in lines)
    node = next(r for r in records if "ID  - chen2018neural\n" in r)
    assert "TY  - CPAPER" in node and "AU  - Chen, Ricky T. Q." in node


def test_markdown_list_follows_the_catalog(bundled_graph: nx.DiGraph, exported: Path) -> None:
    from implicit_atlas.graph.catalog import load_catalog

    text = (exported / "README.md").read_text(encoding="utf-8")
    catalog = load_catalog()
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["Contents", *catalog.sections]
    tokens = MarkdownIt().parse(text)
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == len(catalog.entries) + len(catalog.sections)
    assert "- [Neural Ordinary Differential Equations](https://arxiv.org/abs/1806.07366)" in text
    assert "NeurIPS18 (best paper award)" in text
    assert "code: [torchdiffeq](https://github.com/rtqichen/torchdiffeq)" in text
    assert "3,942 citations" in text


# --- nasty values --------------------------------------------------------------------------


def nasty_graph() -> nx.DiGraph:
    G = nx.DiGraph(built_at="2026-01-01T00:00:00+00:00", options={"a": [1, None]})
    G.add_node("a", title="Ctrl\x07 & <xml> [md] *x* &copy;", authors=[], year=None, score=1,
               tags=["x", "y"], extra={"k": None}, curated=True, section="S")  # fmt: skip
    G.add_node("b", title=None, authors=["Zoë"], year=2020, score=0.5, curated=False)
    G.add_edge("a", "b", kind="cites", provenance=[{"source": "s", "evidence": None}],
               sources=["s"], intents=[], contexts=["a; b"], is_influential=None)  # fmt: skip
    return G


@pytest.mark.parametrize(
    ("value", "flat"),
    [
        (None, None),
        ([], None),
        (["a", "b"], "a; b"),
        ([1, 2], "1; 2"),
        (True, True),
        ({"b": 1, "a": None}, '{"a": null, "b": 1}'),
        ("x\x00y", "xy"),
    ],  # fmt: skip
)
def test_flat_values(value: object, flat: object) -> None:
    assert flat_value(value) == flat


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_accept_none_lists_and_mixed_types(fmt: str, tmp_path: Path) -> None:
    G = nasty_graph()
    path = tmp_path / f"g.{fmt}"
    write_export(G, fmt, path)
    H = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    assert H.number_of_nodes() == 2 and H.number_of_edges() == 1
    assert H.nodes["a"]["title"] == "Ctrl & <xml> [md] *x* &copy;"
    assert H.nodes["a"]["tags"] == "x; y"
    assert "year" not in H.nodes["a"] and H.nodes["b"]["year"] == 2020
    assert H.nodes["a"]["score"] == 1.0 and H.nodes["b"]["score"] == 0.5
    assert "intents" not in H.edges["a", "b"]


def test_markdown_escapes_titles(tmp_path: Path) -> None:
    from implicit_atlas.graph.catalog import catalog_from_dict

    catalog = catalog_from_dict({"sections": ["S"], "entry": {"a": {"title": "T", "section": "S"}}})
    G = nasty_graph()
    G.nodes["a"]["curated_key"] = "a"
    text = render_export(G, "markdown", catalog=catalog)["atlas.md"]
    assert "- Ctrl & \\<xml\\> \\[md\\] \\*x\\* \\&copy;" in text
    html = MarkdownIt().render(text)
    assert "<xml>" not in html and "<em>" not in html and "©" not in html


def test_scoped_export_keeps_edges_between_chosen_nodes(bundled_graph: nx.DiGraph) -> None:
    curated = [n for n, c in bundled_graph.nodes(data="curated") if c]
    text = render_export(bundled_graph, "graphml", curated)["atlas.graphml"]
    H = nx.parse_graphml(text)
    assert set(H.nodes) == set(curated)
    assert H.number_of_edges() == bundled_graph.subgraph(curated).number_of_edges() > 0


def test_unknown_format_and_bad_paths(tmp_path: Path) -> None:
    G = nasty_graph()
    with pytest.raises(AtlasError, match="unknown format"):
        render_export(G, "docx")
    (tmp_path / "file").write_text("x")
    with pytest.raises(AtlasError, match="folder"):
        write_export(G, "csv", tmp_path / "file")
    with pytest.raises(AtlasError, match="is a folder"):
        write_export(G, "gexf", tmp_path)


def test_export_command(
    bundled_graph: nx.DiGraph, bundled_graph_file: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "curated.gexf"
    result = runner.invoke(
        cli,
        [
            "export",
            "--graph",
            str(bundled_graph_file),
            "--format",
            "gexf",
            "--scope",
            "curated",
            "-o",
            str(out),
        ],  # fmt: skip
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.stdout
    H = nx.read_gexf(out)
    assert all(H.nodes[n]["curated"] for n in H.nodes)
    md = tmp_path / "list.md"
    result = runner.invoke(
        cli,
        [
            "export",
            "--graph",
            str(bundled_graph_file),
            "--format",
            "markdown",
            "--section",
            "Software",
            "--title",
            "My list",
            "-o",
            str(md),
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    assert md.read_text().startswith("# My list\n")
    assert "## Tutorials" not in md.read_text()
    result = runner.invoke(
        cli,
        [
            "export",
            "--graph",
            str(bundled_graph_file),
            "--format",
            "csv",
            "-o",
            str(tmp_path / "csv"),
            "--min-citations",
            "500",
        ],  # fmt: skip
    )
    assert result.exit_code == 0
    rows = (tmp_path / "csv" / "nodes.csv").read_text().splitlines()
    cited = [n for n, c in bundled_graph.nodes(data="citation_count") if (c or 0) >= 500]
    assert len(rows) == 1 + len(cited) > 1
    result = runner.invoke(
        cli,
        [
            "export",
            "--graph",
            str(bundled_graph_file),
            "--format",
            "markdown",
            "--section",
            "Nope",
            "-o",
            str(md),
        ],  # fmt: skip
    )
    assert result.exit_code == 1 and "unknown section" in result.stderr
    assert "Traceback" not in result.output


def test_bad_output_paths_and_year_range_leave_files_untouched(
    bundled_graph_file: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    base = ["export", "--graph", str(bundled_graph_file)]
    (tmp_path / "afile").write_text("keep")
    old = tmp_path / "old.ris"
    old.write_text("old")
    cases = [
        (["--format", "ris", "-o", str(old), "--year-from", "2022", "--year-to", "2019"],
         "swap the two years"),
        (["--format", "json", "-o", str(tmp_path / "missing" / "x.json")],
         "does not exist; create it first"),
        (["--format", "csv", "-o", str(tmp_path / "missing" / "csv")],
         "does not exist; create it first"),
        (["--format", "csv", "-o", str(tmp_path / "afile" / "csv")],
         "afile is a file, not a folder"),
        (["--format", "gexf", "-o", str(tmp_path / "afile" / "x.gexf")],
         "afile is a file, not a folder"),
    ]  # fmt: skip
    for args, message in cases:
        result = runner.invoke(cli, base + args)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.output
    assert old.read_text() == "old" and (tmp_path / "afile").read_text() == "keep"
    assert not (tmp_path / "missing").exists()


def test_ris_and_csl_json_keep_outside_text_on_one_line() -> None:
    G = nx.DiGraph()
    G.add_node("a", title="TY  - JOUR\nER  - \nInjected\x07 record", year=2020, type="paper",
               authors=["Ctl\x07 Name", "Line\nBreak"], venue="Some\nJournal", note="n\x1bote")  # fmt: skip
    ris = render_export(G, "ris")["atlas.ris"]
    assert all(line[:2].isupper() and line[2:6] == "  - " for line in ris.splitlines() if line)
    assert ris.count("TY  - ") == 1 and ris.count("ER  - ") == 1
    assert "TI  - TY - JOUR ER - Injected record" in ris and "AU  - Name, Ctl" in ris
    item = json.loads(render_export(G, "csl-json")["atlas.json"])[0]
    strings = [item["title"], item["note"], *[v for a in item["author"] for v in a.values()]]
    assert all(s.isprintable() for s in strings), strings


def test_markdown_links_keep_urls_with_parentheses(tmp_path: Path) -> None:
    from implicit_atlas.graph.catalog import catalog_from_dict

    url = "https://doi.org/10.1016/S0140-6736(97)11096-0"
    catalog = catalog_from_dict(
        {"sections": ["S"], "entry": {"a": {"title": "T", "section": "S", "url": url}}}
    )
    text = render_export(nx.DiGraph(), "markdown", catalog=catalog)["atlas.md"]
    html = MarkdownIt().render(text)
    assert 'href="https://doi.org/10.1016/S0140-6736%2897%2911096-0"' in html


def test_markdown_refuses_options_that_pick_single_papers(
    bundled_graph_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "list.md"
    result = CliRunner().invoke(
        cli,
        ["export", "--graph", str(bundled_graph_file), "--format", "markdown", "-o", str(out),
         "--year-from", "2020", "--related-to", "OptNet"],
    )  # fmt: skip
    assert result.exit_code == 1 and not out.exists()
    assert "--related-to, --year-from cannot apply" in result.stderr


def test_markdown_links_only_web_addresses() -> None:
    from implicit_atlas.graph.catalog import catalog_from_dict

    catalog = catalog_from_dict(
        {
            "sections": ["S"],
            "entry": {"a": {"title": "T", "section": "S", "url": "javascript:alert(1)"}},
        }
    )
    html = MarkdownIt().render(render_export(nx.DiGraph(), "markdown", catalog=catalog)["atlas.md"])
    assert 'href="javascript' not in html and "<li>T</li>" in html


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(text.splitlines()))


def test_csv_cells_a_spreadsheet_would_run_are_quoted(tmp_path: Path) -> None:
    G = nx.DiGraph()
    G.add_node("p1", title='=HYPERLINK("http://evil.example","x")', authors=["@attacker"],
               year=2020, type="paper", citation_count=-1)  # fmt: skip
    G.add_node("p2", title="Neural ODEs - a survey", authors=["+ Plus"], type="paper")
    G.add_edge("p1", "p2", kind="cites", sources=["semantic-scholar"])
    rows = {r["key"]: r for r in _csv_rows(render_export(G, "csv")["nodes.csv"])}
    assert rows["p1"]["title"] == '\'=HYPERLINK("http://evil.example","x")'
    assert rows["p1"]["authors"] == "'@attacker"
    assert rows["p1"]["year"] == "2020" and rows["p1"]["citation_count"] == "-1", "numbers stay"
    assert rows["p2"]["title"] == "Neural ODEs - a survey"
    assert rows["p2"]["authors"] == "'+ Plus"
    raw = {
        r["key"]: r for r in _csv_rows(render_export(G, "csv", formula_guard=False)["nodes.csv"])
    }
    assert raw["p1"]["title"].startswith("=HYPERLINK")


def test_raw_csv_flag(tmp_path: Path) -> None:
    G = nx.DiGraph()
    G.add_node("p1", title="=1+1", type="paper")
    save_graph(G, tmp_path / "graph.json")

    def export(fmt: str, out: Path, *flags: str):  # type: ignore[no-untyped-def]
        argv = ["export", "--graph", str(tmp_path / "graph.json"), "--format", fmt, "-o", str(out)]
        return CliRunner().invoke(cli, [*argv, *flags])

    for flags, expected in (((), "'=1+1"), (("--raw-csv",), "=1+1")):
        out = tmp_path / ("raw" if flags else "guarded")
        result = export("csv", out, *flags)
        assert result.exit_code == 0, result.output
        assert _csv_rows((out / "nodes.csv").read_text(encoding="utf-8"))[0]["title"] == expected
    result = export("ris", tmp_path / "a.ris", "--raw-csv")
    assert result.exit_code == 2 and "--raw-csv applies to --format csv only" in result.output
