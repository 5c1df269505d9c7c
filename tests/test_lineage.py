"""lineage: prior works (cited by the most seeds) and derivative works (citing the most seeds)."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import networkx as nx
import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.errors import AtlasError
from implicit_atlas.graph.lineage import lineage


@pytest.fixture
def G() -> nx.DiGraph:
    """Seeds s1, s2 (s3 has no reference list). Background b is cited by both seeds and by x;
    r by s1 only; d1 cites both seeds (2021), d2 one (2023), d3 one (2019)."""
    g = nx.DiGraph()
    for key, year in [("s1", 2019), ("s2", 2020), ("s3", 2020), ("b", 2015), ("r", 2018),
                      ("d1", 2021), ("d2", 2023), ("d3", 2019), ("x", 2016)]:  # fmt: skip
        g.add_node(key, title=f"Paper {key}", year=year, type="paper")
    g.add_node("repo", title="code", type="software")
    g.add_edges_from(
        [("s1", "b"), ("s2", "b"), ("x", "b"), ("s1", "r"), ("s1", "s2"),
         ("d1", "s1"), ("d1", "s2"), ("d2", "s1"), ("d3", "s2")],
        kind="cites",
    )  # fmt: skip
    g.add_edge("repo", "s1", kind="implements")
    g.nodes["b"]["curated"] = True
    return g


def test_counts_and_order_worked_by_hand(G: nx.DiGraph) -> None:
    result = lineage(G, ["s1", "s2", "s3"])
    assert [(w.key, w.seeds, w.cited_in_graph) for w in result.prior] == [("b", 2, 3), ("r", 1, 1)]
    # d1 cites two seeds; d2 and d3 one each, the newer first; the seeds themselves never
    assert [(w.key, w.seeds) for w in result.derivative] == [("d1", 2), ("d2", 1), ("d3", 1)]
    assert any("prior works: 1 of 3 seeds have no reference list" in n for n in result.notes)
    assert any("derivative works: 1 of 3 seeds have no citing paper" in n for n in result.notes)


def test_filters(G: nx.DiGraph) -> None:
    assert [w.key for w in lineage(G, ["s1", "s2"], exclude_curated=True).prior] == ["r"]
    assert [w.key for w in lineage(G, ["s1", "s2"], year_from=2020).derivative] == ["d1", "d2"]
    assert [w.key for w in lineage(G, ["s1", "s2"], top=1).derivative] == ["d1"]
    assert [w.key for w in lineage(G, ["s1"], exclude=["d1"]).derivative] == ["d2"]


def test_unknown_seed_is_a_clear_error(G: nx.DiGraph) -> None:
    with pytest.raises(AtlasError, match="not in the graph"):
        lineage(G, ["nope"])


def test_cli_on_the_bundled_graph(bundled_graph_file: Path) -> None:
    graph = ["--graph", str(bundled_graph_file)]
    runner = CliRunner()
    out = runner.invoke(cli, ["lineage", "--section", "Deep Equilibrium", *graph])
    assert out.exit_code == 0, out.output
    assert "Prior works: cited by the most of the" in out.stdout
    assert "Derivative works: citing the most of the" in out.stdout
    assert "Stabilizing Equilibrium Models by Jacobian Regularization" in out.stdout
    data = json.loads(runner.invoke(cli, ["lineage", "OptNet", "--json", *graph]).stdout)
    assert data["seeds"] == ["arXiv:1703.00443"] and data["prior"] and data["derivative"]
    assert all(w["seeds"] == 1 for w in data["prior"])
    bib = runner.invoke(cli, ["lineage", "OptNet", "--bib", "--top", "3", *graph]).stdout
    assert 3 <= len(bibtexparser.parse_string(bib).entries) <= 6
    none = runner.invoke(cli, ["lineage", *graph])
    assert none.exit_code == 1 and "no seed papers" in none.stderr
