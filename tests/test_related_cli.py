"""The `related`, `suggest` and `path` commands on the bundled graph file."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_related_table_ranks_deq_neighbours(bundled_graph_file: Path) -> None:
    code, out, _ = run("related", "Deep Equilibrium Models", "--graph", str(bundled_graph_file))
    assert code == 0
    assert out.startswith("Related to: Deep Equilibrium Models (2019) [arXiv:1909.01377]")
    assert "Monotone Operator Equilibrium Networks" in out
    assert "cocit coupl  cite   ppr  text" in out
    rows = [line for line in out.splitlines() if line[:3].strip().isdigit()]
    assert len(rows) == 20


def test_related_explain_shows_evidence_by_title(bundled_graph_file: Path) -> None:
    code, out, _ = run(
        "related", "1909.01377", "--explain", "--top", "3", "--graph", str(bundled_graph_file)
    )
    assert code == 0
    assert "shared references (" in out
    assert "cited together by (" in out


def test_related_json_is_machine_readable(bundled_graph_file: Path) -> None:
    code, out, _ = run(
        "related",
        "https://arxiv.org/abs/1703.00443",
        "--json",
        "--top",
        "5",
        "--exclude-curated",
        "--year-from",
        "2019",
        "--graph",
        str(bundled_graph_file),
    )
    assert code == 0
    data = json.loads(out)
    assert data["seeds"][0]["key"] == "arXiv:1703.00443"
    assert len(data["papers"]) == 5
    assert all(not p["curated"] and p["year"] >= 2019 for p in data["papers"])


def test_related_bib_parses(bundled_graph_file: Path) -> None:
    code, out, _ = run(
        "related",
        "Deep Equilibrium Models",
        "--bib",
        "--top",
        "5",
        "--graph",
        str(bundled_graph_file),
    )
    assert code == 0
    library = bibtexparser.parse_string(out)
    assert len(library.entries) >= 4, "five papers, versions of one work may merge"
    assert not library.failed_blocks


def test_related_section_seeds(bundled_graph_file: Path) -> None:
    code, out, _ = run(
        "related",
        "--section",
        "Optimization Layers",
        "--top",
        "5",
        "--graph",
        str(bundled_graph_file),
    )
    assert code == 0
    assert "OptNet" in out.splitlines()[0]


def test_related_notes_go_to_stderr(bundled_graph_file: Path) -> None:
    code, out, err = run(
        "related", "Input Convex Neural Networks", "--graph", str(bundled_graph_file)
    )
    assert code == 0
    assert "note: coupling: the graph holds no reference list" in err
    assert "note:" not in out


def test_ambiguous_query_is_one_line_error(bundled_graph_file: Path) -> None:
    code, out, err = run("related", "differential", "--graph", str(bundled_graph_file))
    assert code == 1
    assert "matches" in err and "Neural Ordinary Differential Equations" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_json_and_bib_together_is_a_usage_error(bundled_graph_file: Path) -> None:
    code, _, err = run("related", "OptNet", "--json", "--bib", "--graph", str(bundled_graph_file))
    assert code == 2 and "choose one of --json and --bib" in err


def test_missing_graph_says_how_to_fix(tmp_path: Path) -> None:
    code, _, err = run("related", "OptNet", "--graph", str(tmp_path / "none.json"))
    assert code == 1 and "implicit-atlas build" in err


def test_suggest_markdown_bullets(bundled_graph_file: Path) -> None:
    code, out, _ = run("suggest", "--top", "8", "--graph", str(bundled_graph_file))
    assert code == 0
    bullets = [line for line in out.splitlines() if line.startswith("* ")]
    assert len(bullets) == 8
    assert "### Deep Equilibrium Networks" in out
    assert "Stabilizing Equilibrium Models by Jacobian Regularization: [" in out
    assert out.count("<!--") == out.count("-->")


def test_suggest_writes_file_atomically(bundled_graph_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing.md"
    code, out, err = run(
        "suggest", "--top", "3", "-o", str(target), "--graph", str(bundled_graph_file)
    )
    assert code == 0 and out == ""
    assert "wrote 3 suggestions" in err
    assert target.read_text(encoding="utf-8").count("\n* ") == 3


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_suggest_other_formats(bundled_graph_file: Path, fmt: str) -> None:
    code, out, _ = run("suggest", "--format", fmt, "--top", "4", "--graph", str(bundled_graph_file))
    assert code == 0
    if fmt == "json":
        assert len(json.loads(out)["suggestions"]) == 4
    else:
        assert out.splitlines()[0].split()[:2] == ["#", "score"]


def test_path_optnet_to_deq(bundled_graph_file: Path) -> None:
    code, out, _ = run(
        "path",
        "OptNet",
        "Deep Equilibrium Models",
        "--extra-hops",
        "1",
        "--graph",
        str(bundled_graph_file),
    )
    assert code == 0
    assert out.startswith("path 1 (1 step):")
    assert "↑ is cited by" in out
    assert "path 2 (2 steps):" in out


def test_path_json(bundled_graph_file: Path) -> None:
    code, out, _ = run(
        "path", "1703.00443", "1909.01377", "--json", "--graph", str(bundled_graph_file)
    )
    assert code == 0
    [only] = json.loads(out)
    assert only["steps"] == [
        {
            "source": "arXiv:1703.00443",
            "target": "arXiv:1909.01377",
            "direction": "cited_by",
            "influential": False,
        }
    ]


def test_s2_cached_without_cache_is_a_note(
    bundled_graph_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code, out, err = run(
        "related", "OptNet", "--s2", "cached", "--top", "3", "--graph", str(bundled_graph_file)
    )
    assert code == 0
    assert "note: S2 recommended: no data, ranked without it: none for" in err
    assert "not in the cache" in err
    assert "   s2  cur" in out, "the signal has a column, empty for every paper"
    assert not (tmp_path / "cache").exists(), "offline with no cache, nothing is created"


def test_empty_signal_list_is_an_error(bundled_graph_file: Path) -> None:
    code, _, err = run("related", "OptNet", "--signals", ",", "--graph", str(bundled_graph_file))
    assert code == 1 and "no signal chosen" in err and "cocitation" in err


def test_suggest_into_a_missing_folder_creates_nothing(
    bundled_graph_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "typo" / "missing.md"
    code, _, err = run("suggest", "-o", str(target), "--graph", str(bundled_graph_file))
    assert code == 1 and "does not exist; create it first" in err
    assert not (tmp_path / "typo").exists()


MY_BIB = r"""
@inproceedings{myDEQ, title = {Deep Equilibrium Models}, author = {Bai, Shaojie}, year = {2019},
  eprint = {1909.01377}, archivePrefix = {arXiv}}
@article{monDEQ20, title = {Monotone Operator Equilibrium Networks}, author = {Winston, Ezra},
  year = {2020}}
@article{stab, title = {Stabilizing Equilibrium Models by {Jacobian} Regularization},
  author = {Bai, Shaojie}, year = {2021}}
@misc{notInGraph, title = {A paper the graph does not hold}, year = {2024}}
"""


def test_related_marks_or_leaves_out_what_your_bib_has(
    bundled_graph_file: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.bib"
    mine.write_text(MY_BIB, encoding="utf-8")
    base = ["related", "Deep Equilibrium Models", "--graph", str(bundled_graph_file), "--top", "10"]
    code, out, err = run(*base, "--have", str(mine))
    assert code == 0, err
    assert "in your .bib as monDEQ20" in out and "in your .bib as stab" in out
    assert "3 of its entries are papers of this graph, marked" in err
    code, out, err = run(*base, "--have", str(mine), "--missing-only")
    assert code == 0, err
    assert "Monotone Operator Equilibrium Networks" not in out and "in your .bib" not in out
    rows = [line for line in out.splitlines() if line[:3].strip().isdigit()]
    assert len(rows) == 10, "the places of the papers you have are filled by others"
    code, out, _ = run(*base, "--have", str(mine), "--json")
    papers = json.loads(out)["papers"]
    assert {p["in_bib"] for p in papers} >= {"monDEQ20", "stab", None}
    code, out, _ = run(*base, "--have", str(mine), "--bib")
    keys = {e.key for e in bibtexparser.parse_string(out).entries}
    assert {"monDEQ20", "stab"} <= keys, "--bib keeps the keys you already cite"


def test_related_have_errors(bundled_graph_file: Path, tmp_path: Path) -> None:
    base = ["related", "OptNet", "--graph", str(bundled_graph_file)]
    code, _, err = run(*base, "--missing-only")
    assert code == 2 and "--missing-only needs --have FILE.bib" in err
    broken = tmp_path / "broken.bib"
    broken.write_text("@article{x, title = {unbalanced", encoding="utf-8")
    code, _, err = run(*base, "--have", str(broken))
    assert code == 1 and f"--have file {broken} has no readable BibTeX entry" in err
    code, _, err = run(*base, "--have", str(tmp_path / "none.bib"))
    assert code == 1 and "cannot read --have file" in err


def test_related_from_your_bib_finds_what_it_is_missing(
    bundled_graph_file: Path, tmp_path: Path
) -> None:
    mine = tmp_path / "mine.bib"
    mine.write_text(MY_BIB, encoding="utf-8")
    code, out, err = run(
        "related", "--from-bib", str(mine), "--have", str(mine), "--missing-only", "--json",
        "--graph", str(bundled_graph_file),
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    seeds = {seed["key"] for seed in data["seeds"]}
    assert seeds == {"arXiv:1909.01377", "arXiv:2006.08591", "arXiv:2106.14342"}
    assert all(p["in_bib"] is None for p in data["papers"])
    stranger = tmp_path / "stranger.bib"
    stranger.write_text("@misc{x, title = {Nothing of this graph}, year = {2024}}", "utf-8")
    code, _, err = run("related", "--from-bib", str(stranger), "--graph", str(bundled_graph_file))
    assert code == 1 and "no entry of" in err and "is a paper of this graph" in err


def node_in_two_versions():  # type: ignore[no-untyped-def]
    """Neural ODE as an arXiv preprint and as its NeurIPS version: one work, two nodes."""
    import networkx as nx

    G = nx.DiGraph()
    G.add_node("arXiv:1806.07366", title="Neural Ordinary Differential Equations",
               authors=["Ricky Chen"], year=2018, arxiv="1806.07366", venue="arXiv")  # fmt: skip
    G.add_node("doi:10.5555/node", title="Neural ordinary differential equations",
               authors=["Ricky T. Q. Chen"], year=2018, doi="10.5555/node", venue="NeurIPS")  # fmt: skip
    return G


def test_have_covers_every_version_of_a_work(tmp_path: Path) -> None:
    """A preprint and its venue version are one work: having one, you have both."""

    from implicit_atlas.graph.related import papers_in_bib

    G = node_in_two_versions()
    G.add_node("other", title="Other", authors=["Z Z"], year=2019)
    by_doi = tmp_path / "doi.bib"
    by_doi.write_text("@inproceedings{node, doi = {10.5555/NODE}}\n", encoding="utf-8")
    assert papers_in_bib(G, by_doi) == {"arXiv:1806.07366": "node", "doi:10.5555/node": "node"}
    by_title = tmp_path / "title.bib"
    by_title.write_text(
        "@misc{chen, title = {Neural Ordinary Differential Equations}}\n", encoding="utf-8"
    )
    assert set(papers_in_bib(G, by_title)) == {"arXiv:1806.07366", "doi:10.5555/node"}


def test_from_bib_seeds_each_work_once(tmp_path: Path) -> None:

    from implicit_atlas.graph.lineage import lineage
    from implicit_atlas.graph.related import papers_in_bib, seed_papers

    G = node_in_two_versions()
    G.add_node("later", title="Later", authors=["Z Z"], year=2020)
    G.add_edges_from([("later", "arXiv:1806.07366"), ("later", "doi:10.5555/node")], kind="cites")
    mine = tmp_path / "one.bib"
    mine.write_text("@inproceedings{node, doi = {10.5555/NODE}}\n", encoding="utf-8")
    seeds = seed_papers(G, from_bib=papers_in_bib(G, mine))
    assert seeds == ["doi:10.5555/node"], "one work, one seed: its venue version"
    assert [(w.key, w.seeds) for w in lineage(G, seeds).derivative] == [("later", 1)]


def test_related_type_option_lists_books_only_when_asked(bundled_graph_file: Path) -> None:
    base = ["related", "Neural Ordinary Differential Equations", "--top", "20", "--json"]
    base += ["--graph", str(bundled_graph_file)]
    code, out, err = run(*base)
    assert code == 0
    assert "left out for their type: 1 book" in err and "--type book" in err
    types = {p.get("type") for p in json.loads(out)["papers"]}
    assert types <= {"paper", "thesis"}
    code, out, err = run(*base, "--type", "paper", "--type", "thesis", "--type", "book")
    left_out = err.split("left out for their type: ")[1].split(" that would rank")[0]
    assert code == 0 and "1 tutorial" in left_out and "book" not in left_out, err
    assert "book" in {p.get("type") for p in json.loads(out)["papers"]}
    code, _, err = run(*base, "--type", "journal")
    assert code == 2 and "'journal' is not one of" in err
