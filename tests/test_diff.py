import json

import networkx as nx
import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli
from implicit_atlas.graph import save_graph
from implicit_atlas.graph.diff import diff_graphs, diff_to_json, format_diff_markdown


def _next_week(G: nx.DiGraph) -> nx.DiGraph:
    """The bundled atlas a week later: a new paper citing the neural ODE, one paper gone,
    counts moved, a hand edit to a curated entry, a paper that gained a DOI (new node key)."""
    H = G.copy()
    H.graph = dict(G.graph, built_at="2027-01-08T06:00:00+00:00")
    H.add_node("arXiv:2701.00001", title="Neural ODEs, <b>Revisited</b>", year=2027,
               arxiv="2701.00001", citation_count=3, type="paper", curated=False)  # fmt: skip
    H.add_edge("arXiv:2701.00001", "arXiv:1806.07366", kind="cites")
    gone = next(n for n, d in G.nodes(data=True) if not d.get("curated") and G.degree(n) == 1)
    H.remove_node(gone)
    H.nodes["arXiv:1806.07366"]["citation_count"] += 120
    H.nodes["arXiv:1909.01377"]["citation_count"] += 2
    H.nodes["arXiv:2002.08071"]["note"] = "oral, best paper"
    ad = next(n for n, key in G.nodes(data="curated_key") if key == "ad-complex-cpp")
    nx.relabel_nodes(H, {ad: "doi:10.1016/j.procs.2013.05.215"}, copy=False)
    H.nodes["doi:10.1016/j.procs.2013.05.215"]["doi"] = "10.1016/j.procs.2013.05.215"
    return H


@pytest.fixture(scope="module")
def weeks(bundled_graph):
    return bundled_graph, _next_week(bundled_graph)


def test_diff_finds_every_kind_of_change(weeks):
    old, new = weeks
    d = diff_graphs(old, new)
    assert d.papers_added == ["arXiv:2701.00001"]
    assert len(d.papers_removed) == 1 and d.papers_removed[0] not in new
    assert ("arXiv:2701.00001", "arXiv:1806.07366") in d.citations_added
    assert len(d.citations_removed) == 1  # the removed paper's only link
    assert [(c.key, c.delta) for c in d.counts_moved] == [
        ("arXiv:1806.07366", 120),
        ("arXiv:1909.01377", 2),
    ]
    changed = {c.key: c.changes for c in d.curated_changed}
    assert changed["arXiv:2002.08071"] == {"note": ("oral", "oral, best paper")}
    assert changed["doi:10.1016/j.procs.2013.05.215"] == {
        "doi": (None, "10.1016/j.procs.2013.05.215")
    }, "a new node key is the same paper"
    assert d.curated_added == d.curated_removed == []
    assert d.totals["papers"] == (old.number_of_nodes(), new.number_of_nodes())


def test_min_delta_ignores_small_moves(weeks):
    d = diff_graphs(*weeks, min_delta=10)
    assert [c.key for c in d.counts_moved] == ["arXiv:1806.07366"]


def test_a_build_against_itself_is_empty(bundled_graph):
    d = diff_graphs(bundled_graph, bundled_graph)
    assert d.empty
    assert "No change between the two builds." in format_diff_markdown(
        d, bundled_graph, bundled_graph
    )


def test_markdown_is_a_pull_request_text_with_escaped_titles(weeks):
    old, new = weeks
    text = format_diff_markdown(diff_graphs(old, new), old, new, top=1)
    assert text.startswith("## Atlas changes: build of ")
    n = old.number_of_nodes()
    assert f"| papers | {n:,} | {n:,} | +0 |" in text
    assert "### Papers added (1)" in text
    assert "[Neural ODEs, \\<b\\>Revisited\\</b\\>](https://arxiv.org/abs/2701.00001)" in text
    assert "<b>" not in text
    assert "### Citation counts that moved (2)" in text
    assert "- … and 1 more" in text  # --top 1
    assert "note `oral` → `oral, best paper`" in text


def test_cli_diff_markdown_and_json(weeks, tmp_path):
    old, new = weeks
    save_graph(old, tmp_path / "old.json")
    save_graph(new, tmp_path / "new.json")
    runner = CliRunner()
    result = runner.invoke(
        cli, ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "--format", "json"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == json.loads(json.dumps(diff_to_json(diff_graphs(old, new))))
    assert data["citation_counts_moved"][0]["delta"] == 120
    out = tmp_path / "changes.md"
    result = runner.invoke(
        cli, ["diff", str(tmp_path / "old.json"), str(tmp_path / "new.json"), "-o", str(out)]
    )
    assert result.exit_code == 0 and out.read_text().startswith("## Atlas changes")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["missing.json", "new.json"], "no graph file at", id="missing"),
        pytest.param(["old.json", "new.json", "-o", "new.json"], "one of the graphs", id="clobber"),
        pytest.param(
            ["old.json", "new.json", "--format", "html"], "'html' is not one of", id="fmt"
        ),
    ],
)
def test_cli_diff_refuses_bad_input_in_one_line(args, message, bundled_graph, tmp_path):
    save_graph(bundled_graph, tmp_path / "old.json")
    save_graph(bundled_graph, tmp_path / "new.json")
    before = (tmp_path / "new.json").read_bytes()
    result = CliRunner().invoke(cli, ["diff", *[str(tmp_path / a) if a.endswith(".json") else a
                                                 for a in args]])  # fmt: skip
    assert result.exit_code != 0
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert (tmp_path / "new.json").read_bytes() == before
