"""Entry types, fields, keys, version collapse and the `bib` command."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import networkx as nx
import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.bibkeys import assign_keys, key_base
from implicit_atlas.graph.bibtex import (
    BibOptions,
    bibtex_entries_by_node,
    build_bibliography,
    describe_publication,
    node_entry,
)
from implicit_atlas.graph.errors import AtlasError
from implicit_atlas.graph.graphio import save_graph
from implicit_atlas.graph.latex import bibtex_name, protect_title

NEURAL_ODE = {
    "title": "Neural Ordinary Differential Equations",
    "authors": ["Ricky T. Q. Chen", "Yulia Rubanova", "Jesse Bettencourt", "David Duvenaud"],
    "year": 2018,
    "type": "paper",
    "arxiv": "1806.07366",
    "primary_class": "cs.LG",
    "venue_label": "NeurIPS18",
    "note": "best paper award",
    "curated": True,
    "section": "Neural Differential Equations",
}


def fields(attrs: dict, options: BibOptions | None = None) -> tuple[str, dict[str, str]]:
    entry = node_entry(attrs, "k", options or BibOptions())
    return entry.entry_type, {f.key: f.value for f in entry.fields}


def test_conference_paper_gets_full_booktitle_and_arxiv_fields() -> None:
    kind, f = fields(NEURAL_ODE)
    assert kind == "inproceedings"
    assert f["booktitle"] == "Advances in Neural Information Processing Systems"
    assert f["author"] == (
        "Chen, Ricky T. Q. and Rubanova, Yulia and Bettencourt, Jesse and Duvenaud, David"
    )
    assert (f["year"], f["eprint"], f["archivePrefix"], f["primaryClass"]) == (
        "2018", "1806.07366", "arXiv", "cs.LG"
    )  # fmt: skip
    assert f["note"] == "Best paper award"
    assert "note" not in fields(NEURAL_ODE, BibOptions(notes=False))[1]


@pytest.mark.parametrize(
    ("venue", "kind", "container"),
    [
        pytest.param(
            "Neural Information Processing Systems",
            "conference",
            "Advances in Neural Information Processing Systems",
            id="s2-neurips",
        ),  # fmt: skip
        pytest.param(
            "Proceedings of the 34th International Conference on Machine Learning-Volume 70",
            "conference",
            "International Conference on Machine Learning",
            id="icml-volume",
        ),  # fmt: skip
        pytest.param(
            "ICLR", "conference", "International Conference on Learning Representations", id="iclr"
        ),  # fmt: skip
        pytest.param(
            "AISTATS",
            "conference",
            "International Conference on Artificial Intelligence and Statistics",
            id="aistats",
        ),  # fmt: skip
        pytest.param(
            "Thirty-Second AAAI Conference on Artificial Intelligence",
            "conference",
            "Proceedings of the AAAI Conference on Artificial Intelligence",
            id="aaai",
        ),  # fmt: skip
        pytest.param(
            "The Journal of Machine Learning Research",
            "journal",
            "Journal of Machine Learning Research",
            id="jmlr",
        ),  # fmt: skip
        pytest.param("SIAM Review", "journal", "SIAM Review", id="unknown-journal"),
        pytest.param(
            "Proceedings of the Symposium on Things",
            "conference",
            "Proceedings of the Symposium on Things",
            id="unknown-proceedings",
        ),  # fmt: skip
        pytest.param(
            "NeurIPS Workshop on Deep Learning",
            "workshop",
            "NeurIPS Workshop on Deep Learning",
            id="workshop",
        ),  # fmt: skip
        pytest.param("arXiv", "preprint", None, id="arxiv"),
        pytest.param("CoRR", "preprint", None, id="corr"),
    ],
)
def test_venues_are_classified_with_full_names(venue: str, kind: str, container: str) -> None:
    pub = describe_publication({"type": "paper", "venue": venue, "arxiv": "2001.00001"})
    assert (pub.kind, pub.container) == (kind, container)


def test_preprint_forms() -> None:
    attrs = {
        "title": "T",
        "authors": ["A B"],
        "year": 2020,
        "venue": "arXiv",
        "arxiv": "2001.01328",
    }
    kind, f = fields(attrs)
    assert kind == "misc" and f["howpublished"] == "arXiv preprint arXiv:2001.01328"
    assert f["eprint"] == "2001.01328" and f["archivePrefix"] == "arXiv"
    kind, f = fields(attrs, BibOptions(preprint_as="article"))
    assert kind == "article" and f["journal"] == "arXiv preprint arXiv:2001.01328"
    kind, f = fields(attrs, BibOptions(style="biblatex"))
    assert kind == "misc" and "howpublished" not in f and f["eprint"] == "2001.01328"


def test_theses_books_software_and_tutorials() -> None:
    phd = {"title": "T", "authors": ["Brandon Amos"], "year": 2019, "type": "thesis",
           "degree": "phd", "venue": "PhD thesis, Carnegie Mellon University"}  # fmt: skip
    assert fields(phd) == ("phdthesis", {
        "author": "Amos, Brandon", "title": "T", "school": "Carnegie Mellon University",
        "year": "2019"})  # fmt: skip
    sm = {**phd, "degree": None, "venue": "SM thesis, Massachusetts Institute of Technology"}
    assert fields(sm)[0] == "mastersthesis"
    assert fields(sm)[1]["school"] == "Massachusetts Institute of Technology"
    book = {"title": "Convex Optimization", "authors": ["Stephen Boyd"], "year": 2004,
            "type": "book", "venue": "Cambridge University Press"}  # fmt: skip
    assert fields(book)[0] == "book"
    assert fields(book)[1]["publisher"] == "Cambridge University Press"
    software = {"title": "torchdiffeq", "type": "software", "year": 2018,
                "url": "https://github.com/rtqichen/torchdiffeq"}  # fmt: skip
    kind, f = fields(software)
    assert kind == "misc"
    assert f["howpublished"] == "\\url{https://github.com/rtqichen/torchdiffeq}"
    assert f["url"] == "https://github.com/rtqichen/torchdiffeq"
    assert fields(software, BibOptions(style="biblatex"))[0] == "software"
    tutorial = {"title": "Deep Implicit Layers", "type": "tutorial", "venue": "NeurIPS Tutorial",
                "year": 2020, "authors": ["David Duvenaud"]}  # fmt: skip
    assert fields(tutorial) == ("misc", {"author": "Duvenaud, David", "title": "Deep Implicit "
                                "Layers", "howpublished": "NeurIPS Tutorial", "year": "2020"})  # fmt: skip


@pytest.mark.parametrize(
    "attrs",
    [
        pytest.param({"title": "T", "authors": ["A B"], "venue": "ICML"}, id="no-year"),
        pytest.param({"title": "T", "year": 2020, "venue": "ICML"}, id="no-authors"),
        pytest.param(
            {"title": "T", "authors": ["A B"], "year": 2020, "type": "book"}, id="book-no-publisher"
        ),  # fmt: skip
        pytest.param(
            {
                "title": "T",
                "authors": ["A B"],
                "year": 2020,
                "type": "thesis",
                "venue": "PhD thesis",
            },
            id="thesis-no-school",
        ),  # fmt: skip
    ],
)
def test_entries_missing_required_fields_become_misc(attrs: dict) -> None:
    kind, f = fields(attrs)
    assert kind == "misc"
    assert not {"booktitle", "journal", "school", "publisher"} & set(f)


def test_doi_and_url_stay_raw_while_text_is_escaped() -> None:
    attrs = {"title": "Cost_to_go & 50%", "authors": ["A B"], "year": 2020, "venue": "Nature",
             "doi": "10.1000/a_b%20c", "url": "https://x.org/a_b?q=1&r=2#s"}  # fmt: skip
    _, f = fields(attrs)
    assert f["title"] == "Cost\\_to\\_go \\& 50\\%"
    assert f["doi"] == "10.1000/a_b%20c"
    assert f["url"] == "https://x.org/a_b?q=1&r=2#s"


@pytest.mark.parametrize(
    ("title", "protected"),
    [
        ("Neural ODEs", "Neural {ODE}s"),
        (
            "OptNet: Differentiable Optimization as a Layer",
            "{OptNet}: Differentiable Optimization as a Layer",
        ),  # fmt: skip
        ("Lipschitz bounds for iResNet in 3D", "{Lipschitz} bounds for {iResNet} in {3D}"),
        ("A plain title", "A plain title"),
    ],
)
def test_title_capitals_are_protected(title: str, protected: str) -> None:
    assert protect_title(title) == protected


@pytest.mark.parametrize(
    ("name", "bibtex"),
    [
        ("Balthasar van der Pol", "van der Pol, Balthasar"),
        ("Juan de la Cruz", "de la Cruz, Juan"),
        ("Plato", "Plato"),
        ("Gurobi Optimization, LLC", "{Gurobi Optimization, LLC}"),
        ("Johnson and Johnson", "{Johnson and Johnson}"),
        ("Martin Luther King Jr.", "King, Jr., Martin Luther"),
        ("J. Zico Kolter", "Kolter, J. Zico"),
    ],
)
def test_author_names(name: str, bibtex: str) -> None:
    assert bibtex_name(name) == bibtex


# --- keys ----------------------------------------------------------------------------------


def test_key_base_and_ascii() -> None:
    assert key_base(NEURAL_ODE) == "chen2018neural"
    assert key_base({"authors": ["Jürgen Müller"], "year": 2020, "title": "Über alles"}) == (
        "muller2020uber"
    )
    assert key_base({"authors": [], "title": "The 深度 of it"}) == "anon"
    software = {"title": "cvxpylayers", "url": "https://github.com/cvxgrp/cvxpylayers"}
    assert key_base(software) == "cvxgrpcvxpylayers"
    assert key_base({"authors": ["Balthasar van der Pol"], "year": 1926,
                     "title": "On relaxation oscillations"}) == "vanderpol1926relaxation"  # fmt: skip


def test_clashing_keys_get_suffixes_deterministically() -> None:
    G = nx.DiGraph()
    for key in ("arXiv:1806.07366", "arXiv:1806.09999", "doi:10.1/x"):
        G.add_node(key, authors=["Ricky Chen"], year=2018, title="Neural things")
    keys = assign_keys(G)
    assert keys == {
        "arXiv:1806.07366": "chen2018neural",
        "arXiv:1806.09999": "chen2018neurala",
        "doi:10.1/x": "chen2018neuralb",
    }
    # the same in any insertion order, and with a user's key reserved
    H = nx.DiGraph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    assert assign_keys(H) == keys
    assert assign_keys(G, reserved={"chen2018neural"})["arXiv:1806.07366"] == "chen2018neurala"


def test_keys_do_not_depend_on_the_selection(bundled_graph: nx.DiGraph) -> None:
    everything = build_bibliography(bundled_graph)
    curated = [n for n, c in bundled_graph.nodes(data="curated") if c]
    some = build_bibliography(bundled_graph, curated)
    for node in curated:
        assert some.key_of_node[node] == everything.key_of_node[node]
    keys = list(everything.entry_of_key)
    assert len(keys) == len(set(keys))
    assert all(k.isascii() and k.isalnum() and k.islower() for k in keys)


def test_keys_from_a_users_bib_file_are_kept(tmp_path: Path) -> None:
    G = nx.DiGraph()
    G.add_node("arXiv:1806.07366", **NEURAL_ODE)
    G.add_node("doi:10.1/deq", title="Deep Equilibrium Models", authors=["Shaojie Bai"],
               year=2019, doi="10.1/DEQ", venue="NeurIPS")  # fmt: skip
    G.add_node("title:monotone", title="Monotone operator equilibrium networks",
               authors=["Ezra Winston"], year=2020, venue="NeurIPS")  # fmt: skip
    G.add_node("title:other", title="Other", authors=["Sam Taken"], year=2020, venue="ICML")
    user = tmp_path / "mine.bib"
    user.write_text(
        "@article{NODE, title={Whatever}, journal={arXiv preprint arXiv:1806.07366v2}}\n"
        "@inproceedings{DEQ19, title={Deep equilibrium models}, doi={https://doi.org/10.1/deq}}\n"
        "@inproceedings{monDEQ, title={Monotone Operator {E}quilibrium Networks}}\n"
        "@misc{taken2020other, title={Unrelated}}\n",
        encoding="utf-8",
    )
    bib = build_bibliography(G, keys_from=user)
    assert bib.key_of_node == {
        "arXiv:1806.07366": "NODE",
        "doi:10.1/deq": "DEQ19",
        "title:monotone": "monDEQ",
        "title:other": "taken2020othera",
    }


def test_keys_from_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bib"
    bad.write_bytes(b"\xff\xfe not utf-8")
    G = nx.DiGraph()
    G.add_node("a", title="T")
    with pytest.raises(AtlasError, match="--keys-from"):
        build_bibliography(G, keys_from=bad)


# --- one work, one entry ---------------------------------------------------------------------


def test_preprint_and_venue_version_are_one_entry_the_venue_one() -> None:
    G = nx.DiGraph()
    G.add_node("arXiv:1909.01377", title="Deep Equilibrium Models", authors=["Shaojie Bai"],
               year=2019, venue="arXiv", arxiv="1909.01377", citation_count=5)  # fmt: skip
    G.add_node("doi:10.5555/deq", title="Deep equilibrium models.", authors=["S. Bai"],
               year=2019, venue="NeurIPS", doi="10.5555/deq")  # fmt: skip
    G.add_node("other", title="Deep Equilibrium Models", authors=["Someone Else"], year=2005,
               venue="Physics Letters")  # fmt: skip
    bib = build_bibliography(G)
    assert len(bib.entry_of_key) == 2
    key = bib.key_of_node["arXiv:1909.01377"]
    assert bib.key_of_node["doi:10.5555/deq"] == key
    entry = bib.entry_of_key[key]
    assert entry.entry_type == "inproceedings"
    assert entry.fields_dict["eprint"].value == "1909.01377"
    assert entry.fields_dict["doi"].value == "10.5555/deq"
    texts = bibtex_entries_by_node(G)
    assert texts["arXiv:1909.01377"] == texts["doi:10.5555/deq"]
    assert texts["other"].startswith("@article{else2005deep,")


def test_entries_by_node_texts_parse_alone() -> None:
    G = nx.DiGraph()
    G.add_node("arXiv:1806.07366", **NEURAL_ODE)
    G.add_node("x", title="Ünïcode & co", authors=["Zoë Ḿ"], year=2020)
    texts = bibtex_entries_by_node(G, ["x"], ascii_only=True)
    assert list(texts) == ["x"]
    library = bibtexparser.parse_string(texts["x"])
    assert not library.failed_blocks and len(library.entries) == 1
    assert texts["x"].isascii()


def test_output_is_sorted_by_year_then_key() -> None:
    G = nx.DiGraph()
    for i, (name, year) in enumerate([("Zed", 2001), ("Amy", 2003), ("Bob", 2001), ("Cy", None)]):
        G.add_node(str(i), title=f"Paper {i}", authors=[f"X {name}"], year=year)
    keys = [e.key for e in build_bibliography(G).library.entries]
    assert keys == ["bob2001paper", "zed2001paper", "amy2003paper", "cypaper"]


# --- the command ----------------------------------------------------------------------------


def test_bib_command_writes_the_curated_bibliography(
    bundled_graph_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "refs.bib"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["bib", "--graph", str(bundled_graph_file), "-o", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    library = bibtexparser.parse_string(out.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    keys = {e.key for e in library.entries}
    assert "chen2018neural" in keys and "bai2019deep" in keys
    node = next(e for e in library.entries if e.key == "chen2018neural")
    assert node.fields_dict["note"].value == "Best paper award"
    assert f"wrote {len(library.entries)} entries" in result.stdout


def test_bib_command_filters_and_stdout(bundled_graph_file: Path) -> None:
    runner = CliRunner()
    args = ["bib", "--graph", str(bundled_graph_file), "--scope", "all", "--year-from", "2020",
            "--year-to", "2020", "--min-citations", "100", "--no-notes"]  # fmt: skip
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0
    library = bibtexparser.parse_string(result.stdout)
    assert library.entries
    assert all(e.fields_dict["year"].value == "2020" for e in library.entries)
    assert not any("note" in e.fields_dict for e in library.entries)


def test_bib_command_ids_file_and_sections(bundled_graph_file: Path, tmp_path: Path) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("# my papers\n1806.07366\n\nhttps://arxiv.org/abs/1909.01377v2\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["bib", "--graph", str(bundled_graph_file), "--ids", str(ids)])
    assert result.exit_code == 0, result.output
    keys = [e.key for e in bibtexparser.parse_string(result.stdout).entries]
    assert keys == ["chen2018neural", "bai2019deep"]
    result = runner.invoke(
        cli, ["bib", "--graph", str(bundled_graph_file), "--section", "Software"]
    )
    entries = bibtexparser.parse_string(result.stdout).entries
    assert entries and all(e.entry_type == "misc" for e in entries)


def test_bib_command_errors_are_one_line(bundled_graph_file: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["bib", "--graph", str(bundled_graph_file), "--section", "Nope"])
    assert result.exit_code == 1
    assert "unknown section 'Nope'" in result.stderr
    assert "Traceback" not in result.output
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    result = runner.invoke(cli, ["bib", "--graph", str(bundled_graph_file), "--ids", str(empty)])
    assert result.exit_code == 1 and "lists no id" in result.stderr
    result = runner.invoke(cli, ["bib", "--graph", str(tmp_path / "missing.json")])
    assert result.exit_code == 1 and "implicit-atlas build" in result.stderr


def test_bib_command_writes_atomically(tmp_path: Path) -> None:
    G = nx.DiGraph()
    G.add_node("a", title="T", authors=["A B"], year=2020, curated=True)
    graph = tmp_path / "graph.json"
    save_graph(G, graph)
    out = tmp_path / "refs.bib"
    out.write_text("old")
    runner = CliRunner()
    bad = runner.invoke(cli, ["bib", "--graph", str(graph), "-o", str(out), "--section", "X"])
    assert bad.exit_code == 1 and out.read_text() == "old"
    ok = runner.invoke(cli, ["bib", "--graph", str(graph), "-o", str(out)])
    assert ok.exit_code == 0 and "@misc{b2020t," in out.read_text()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bib_command_related_papers(bundled_graph: nx.DiGraph, bundled_graph_file: Path) -> None:
    from implicit_atlas.graph.related import related_papers

    runner = CliRunner()
    args = ["bib", "--graph", str(bundled_graph_file), "--related-to", "1909.01377", "--top", "5"]
    result = runner.invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    keys = {e.key for e in bibtexparser.parse_string(result.stdout).entries}
    expected = build_bibliography(
        bundled_graph,
        ["arXiv:1909.01377"]
        + [p.key for p in related_papers(bundled_graph, ["arXiv:1909.01377"], top=5).papers],
    )
    assert keys == set(expected.entry_of_key) and "bai2019deep" in keys and len(keys) == 6


def test_selection_filters_drop_unknown_years_and_counts() -> None:
    from implicit_atlas.graph.selection import select_nodes

    G = nx.DiGraph()
    G.add_node("a", year=2019, citation_count=10, curated=True)
    G.add_node("b", year=None, citation_count=None, curated=True)
    G.add_node("c", year=2021, citation_count=3)
    assert select_nodes(G) == ["a", "b"]
    assert select_nodes(G, scope="all", year_from=2019) == ["a", "c"]
    assert select_nodes(G, scope="all", year_to=2020) == ["a"]
    assert select_nodes(G, scope="all", min_citations=5) == ["a"]
    with pytest.raises(AtlasError, match="unknown scope"):
        select_nodes(G, scope="everything")


def test_text_from_data_is_one_line_and_string_years_count() -> None:
    attrs = {"title": "Line\nbreak\tand\x07bell", "authors": ["A\nB"], "year": "2019",
             "venue": "ICML"}  # fmt: skip
    kind, f = fields(attrs)
    assert kind == "inproceedings"
    assert (f["title"], f["author"], f["year"]) == ("Line break and bell", "B, A", "2019")
    assert key_base(attrs) == "b2019line"


def test_keys_survive_graph_growth() -> None:
    G = nx.DiGraph()
    G.add_node("arXiv:1806.07366", **NEURAL_ODE)
    G.add_node("arXiv:1909.01377", title="Deep Equilibrium Models", authors=["Shaojie Bai"],
               year=2019)  # fmt: skip
    before = assign_keys(G)
    G.add_node("arXiv:2001.00001", title="Unrelated", authors=["Zed Z"], year=2020)
    G.add_node("arXiv:1812.00001", title="Neural networks, again", authors=["Tian Chen"],
               year=2018)  # same base key, sorts after the existing paper  # fmt: skip
    after = assign_keys(G)
    assert {n: after[n] for n in before} == before
    assert after["arXiv:1812.00001"] == "chen2018neurala"


def test_a_lone_author_string_is_one_name() -> None:
    _, f = fields({"title": "T", "authors": "Ada Lovelace", "year": 1843, "venue": "Notes"})
    assert f["author"] == "Lovelace, Ada"
    assert key_base({"title": "T", "authors": "Ada Lovelace", "year": 1843}) == "lovelace1843t"


# --- bad input from the command line: one line, exit 1, nothing written ------------------------


def bib_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["bib", *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_year_range_the_wrong_way_round_is_an_error(bundled_graph_file: Path) -> None:
    code, err = bib_cli(
        "--graph", str(bundled_graph_file), "--year-from", "2022", "--year-to", "2019"
    )
    assert code == 1
    assert err.strip() == (
        "Error: --year-from 2022 is after --year-to 2019, so no paper can match; swap the two years"
    )


def test_ids_file_reports_every_bad_line_with_its_number(
    bundled_graph_file: Path, tmp_path: Path
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("junk line here\n\n# comment\n1909.01377\nzzzzqqqq\nequilibrium\n")
    out = tmp_path / "x.bib"
    out.write_text("old")
    code, err = bib_cli("--graph", str(bundled_graph_file), "--ids", str(ids), "-o", str(out))
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert "line 1 'junk line here' matches no paper" in err
    assert "line 5 'zzzzqqqq' matches no paper" in err
    assert "line 6 'equilibrium' matches" in err and "comment them out with #" in err
    assert out.read_text() == "old"


def test_ids_file_lines_with_trailing_comments_resolve(
    bundled_graph_file: Path, tmp_path: Path
) -> None:
    ids = tmp_path / "ids.txt"
    ids.write_text("1909.01377\n1703.00443  # OptNet\n")
    result = CliRunner().invoke(cli, ["bib", "--graph", str(bundled_graph_file), "--ids", str(ids)])
    assert result.exit_code == 0, result.output
    assert {e.key for e in bibtexparser.parse_string(result.stdout).entries} == {
        "bai2019deep", "amos2017optnet"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param("@article{foo,\n title={x\n", "no readable BibTeX entry", id="truncated"),
        pytest.param("just some notes, no entry\n", "holds no BibTeX entry", id="no-entry"),
        pytest.param("", "holds no BibTeX entry", id="empty"),
    ],
)
def test_keys_from_a_malformed_bib_is_one_line(
    bundled_graph_file: Path, tmp_path: Path, text: str, message: str
) -> None:
    bib = tmp_path / "paper.bib"
    bib.write_text(text)
    code, err = bib_cli("--graph", str(bundled_graph_file), "--keys-from", str(bib))
    assert code == 1 and message in err
    assert len(err.strip().splitlines()) == 1, err  # bibtexparser's own log lines stay quiet


def test_unwritable_output_paths(bundled_graph_file: Path, tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("keep")
    code, err = bib_cli("--graph", str(bundled_graph_file), "-o", str(tmp_path / "afile" / "x.bib"))
    assert code == 1 and "afile is a file, not a folder" in err
    code, err = bib_cli("--graph", str(bundled_graph_file), "-o", str(tmp_path / "no" / "x.bib"))
    assert code == 1 and "does not exist; create it first" in err
    assert not (tmp_path / "no").exists()


def test_hostile_titles_and_names_still_parse_and_compile(tmp_path: Path) -> None:
    import pybtex.database

    titles = [
        "<script>alert(1)</script> and </script><img src=x onerror=alert(1)>",
        "Specials & % $ # _ { } ~ ^ \\ and unbalanced { \\textbf{x",
        "Controls\x00\x07\x1b[31m\u2028\u202e and a very long tail " + "word " * 400,
        "Link [click](javascript:alert(1)) and\n@misc{injected, title={x}}",
    ]
    G = nx.DiGraph()
    for i, title in enumerate(titles):
        G.add_node(f"n{i}", title=title, year=2020, venue="Venue <i>&</i> {x} %",
                   authors=["<b>Evil</b> Author", "{Brace} }Name{", "Ctl\x07 Name"])  # fmt: skip
    text = build_bibliography(G).text()
    library = bibtexparser.parse_string(text)
    assert len(library.entries) == len(titles) and not library.failed_blocks
    assert len(pybtex.database.parse_string(text, "bibtex").entries) == len(titles)
    assert all(line.isprintable() for line in text.splitlines())


def test_list_labels_and_venue_strings_get_the_same_full_name() -> None:
    """One venue table serves the list's labels and the venues Semantic Scholar prints."""
    for label, venue in [("AAAI21", "AAAI"), ("IJCAI20", "IJCAI"), ("NeurIPS19", "NIPS")]:
        by_label = describe_publication({"venue_label": label, "year": 2020})
        by_venue = describe_publication({"venue": venue, "year": 2020})
        assert by_label == by_venue and by_label.kind == "conference", (label, venue)


def test_section_names_take_any_case_or_a_unique_prefix(bundled_graph: nx.DiGraph) -> None:
    from implicit_atlas.graph.selection import select_nodes

    exact = select_nodes(bundled_graph, sections=["Deep Equilibrium Networks"])
    assert select_nodes(bundled_graph, sections=["deep equilibrium"]) == exact and exact
    assert select_nodes(bundled_graph, sections=["SOFT"]) == select_nodes(
        bundled_graph, sections=["Software"]
    )
    with pytest.raises(AtlasError, match=r"unknown section 'Transformers'; the graph's"):
        select_nodes(bundled_graph, sections=["Transformers", "Software"])


def test_ids_file_with_a_byte_order_mark(bundled_graph: nx.DiGraph, tmp_path: Path) -> None:
    from implicit_atlas.graph.selection import select_nodes

    ids = tmp_path / "ids.txt"
    ids.write_bytes(b"\xef\xbb\xbf1909.01377\r\n1703.00443\r\n")
    assert select_nodes(bundled_graph, ids_file=ids) == ["arXiv:1703.00443", "arXiv:1909.01377"]


def test_curated_keys_do_not_move_when_the_graph_grows():
    import networkx as nx

    from implicit_atlas.graph.bibkeys import assign_keys

    G = nx.DiGraph()
    G.add_node(
        "arXiv:1806.07366",
        title="Neural Ordinary Differential Equations",
        authors=["Ricky T. Q. Chen"],
        year=2018,
        curated=True,
    )
    before = assign_keys(G)["arXiv:1806.07366"]
    # an expansion adds an uncurated namesake whose node key sorts first
    G.add_node(
        "arXiv:1801.00001",
        title="Neural networks for something",
        authors=["Wei Chen"],
        year=2018,
        curated=False,
    )
    after = assign_keys(G)
    assert before == after["arXiv:1806.07366"] == "chen2018neural"
    assert after["arXiv:1801.00001"] == "chen2018neurala"


def test_stored_keys_survive_a_namesake_that_sorts_first() -> None:
    """A grown graph keeps each paper's key even when a newcomer would take it by sort order."""
    from implicit_atlas.graph.bibtex import stamp_bib_keys

    old = nx.DiGraph()
    old.add_node("s2:bbb", title="Neural things", authors=["Ada Smith"], year=2020,
                 doi="10.1/b")  # fmt: skip
    stamp_bib_keys(old)
    assert old.nodes["s2:bbb"]["bib_key"] == "smith2020neural"
    grown = old.copy()
    grown.add_node("s2:aaa", title="Neural stuff", authors=["Bo Smith"], year=2020)
    assert assign_keys(grown)["s2:aaa"] == "smith2020neural", "by sort order it would take it"
    stamp_bib_keys(grown, previous=old)
    assert grown.nodes["s2:bbb"]["bib_key"] == "smith2020neural"
    assert grown.nodes["s2:aaa"]["bib_key"] == "smith2020neurala"
    bib = build_bibliography(grown)
    assert bib.key_of_node == {"s2:bbb": "smith2020neural", "s2:aaa": "smith2020neurala"}
    # the paper gains an arXiv id, so a new node key: matched by its DOI, it keeps its key
    renamed = nx.DiGraph()
    renamed.add_node("arXiv:2001.00001", title="Neural things", authors=["Ada Smith"],
                     year=2020, doi="10.1/B", arxiv="2001.00001")  # fmt: skip
    renamed.add_node("s2:aaa", title="Neural stuff", authors=["Bo Smith"], year=2020)
    stamp_bib_keys(renamed, previous=grown)
    assert renamed.nodes["arXiv:2001.00001"]["bib_key"] == "smith2020neural"
    assert renamed.nodes["s2:aaa"]["bib_key"] == "smith2020neurala"


def test_a_users_keys_win_over_stored_ones(tmp_path: Path) -> None:
    from implicit_atlas.graph.bibtex import stamp_bib_keys

    G = nx.DiGraph()
    G.add_node("arXiv:1806.07366", **NEURAL_ODE)
    G.add_node("s2:x", title="Neural x", authors=["Tian Chen"], year=2018)
    stamp_bib_keys(G)
    user = tmp_path / "mine.bib"
    user.write_text("@misc{chen2018neural, title={Neural x}}\n", encoding="utf-8")
    keys = build_bibliography(G, keys_from=user).key_of_node
    assert keys["s2:x"] == "chen2018neural", "the user's key for their paper"
    assert keys["arXiv:1806.07366"] == "chen2018neurala", "the stored key yields to it"


def test_rebuilding_into_the_same_folder_keeps_every_key(tmp_path: Path) -> None:
    from implicit_atlas.graph.build import build_atlas, write_atlas
    from implicit_atlas.graph.graphio import load_graph

    small = build_atlas(field_sample=False)
    write_atlas(small, tmp_path)
    first = {n: k for n, k in load_graph(tmp_path / "graph.json").nodes(data="bib_key")}
    assert len(first) == len(small) and all(first.values())
    grown = build_atlas()  # the field sample adds 1,400 papers
    write_atlas(grown, tmp_path)
    second = load_graph(tmp_path / "graph.json")
    for node, key in first.items():
        if node in second and not key.startswith("anon"):
            assert second.nodes[node]["bib_key"] == key
    # an "anon" key (the curated list gives no authors) yields once a version brings authors
    assert first["arXiv:1806.07366"] == "anon2018neural"
    assert second.nodes["arXiv:1806.07366"]["bib_key"] == "chen2018neural"
    assert second.nodes["url:implicit-layers-tutorial.org"]["bib_key"] == "duvenaud2020deep"
    write_atlas(build_atlas(), tmp_path)
    third = load_graph(tmp_path / "graph.json")
    assert dict(third.nodes(data="bib_key")) == dict(second.nodes(data="bib_key"))
    bib = build_bibliography(second)
    assert bib.untitled == ["arXiv:1505.05770"], "no version of it has a title"
    assert bib.key_of_node == {
        n: k for n, k in second.nodes(data="bib_key") if n not in bib.untitled
    }


def test_keys_differing_only_in_case_do_not_clash(tmp_path: Path) -> None:
    """BibTeX looks keys up without case: a user's Smith2020Deep and a generated smith2020deep
    are one key to it."""
    G = nx.DiGraph()
    G.add_node("a", title="Deep things", authors=["Ada Smith"], year=2020, doi="10.1234/a")
    G.add_node("b", title="Deep stuff", authors=["Bo Smith"], year=2020)
    user = tmp_path / "mine.bib"
    user.write_text("@misc{Smith2020Deep, doi = {10.1234/a}}\n", encoding="utf-8")
    keys = build_bibliography(G, keys_from=user).key_of_node
    assert keys == {"a": "Smith2020Deep", "b": "smith2020deepa"}


def test_unusable_stored_keys_are_replaced() -> None:
    G = nx.DiGraph()
    G.add_node("a", title="Deep things", authors=["Ada Smith"], year=2020, bib_key="smith 2020, x")
    G.add_node("b", title="Other", authors=["Bo Jones"], year=2021, bib_key="")
    keys = build_bibliography(G).key_of_node
    assert keys == {"a": "smith2020deep", "b": "jones2021other"}
