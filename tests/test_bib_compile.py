"""BibTeX output parses back and compiles: nasty inputs and the bundled field's bibliography."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bibtexparser
import networkx as nx
import pybtex.database
import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.bibtex import BibOptions, bibtex_text, build_bibliography
from implicit_atlas.graph.latex import decode_latex

NASTY_TITLES = [
    pytest.param("R&D at 100% for $5 #1", id="ampersand-percent-dollar-hash"),
    pytest.param("Bounds on $x_1$ and $\\alpha^2$", id="math"),
    pytest.param("A {braced} title", id="balanced-braces"),
    pytest.param("Unbalanced { brace and } } more", id="unbalanced-braces"),
    pytest.param("Back\\slash and ~tilde^caret", id="backslash-tilde-caret"),
    pytest.param("Schrödinger–Föllmer Łukasz Ærø naïve", id="accents"),
    pytest.param("深度均衡模型 and 神经常微分方程", id="cjk"),
    pytest.param("Neural ODEs meet OptNet and Lipschitz DEQs", id="capitals"),
]

NASTY_AUTHORS = [
    ["Balthasar van der Pol", "Juan de la Cruz"],
    ["Plato"],
    ["Gurobi Optimization, LLC"],
    ["The JAX Team", "Müller & Sons"],
    ["Martin Luther King Jr.", "Ricky T. Q. Chen"],
    [],
]


def nasty_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    for i, param in enumerate(NASTY_TITLES):
        title = param.values[0]
        G.add_node(
            f"n{i}",
            title=title,
            authors=NASTY_AUTHORS[i % len(NASTY_AUTHORS)],
            year=2000 + i if i % 3 else None,
            venue=["NeurIPS", None, "Journal of Things & Stuff", "arXiv"][i % 4],
            arxiv=f"2101.0000{i}" if i % 4 == 3 else None,
            type="paper",
        )
    G.add_node("thesis", title="A thesis", authors=["Ann Author"], year=2019, type="thesis",
               degree="phd", venue="PhD thesis, Carnegie Mellon University")  # fmt: skip
    G.add_node("noschool", title="Another thesis", authors=["Ann Author"], year=2019,
               type="thesis", degree="masters")  # fmt: skip
    G.add_node("book", title="A book", authors=["Bo Ok"], type="book")
    G.add_node("empty", title=None, authors=[], type="misc")
    G.add_node("sw", title="torch_stuff", type="software", url="https://github.com/a/b_c#readme")
    return G


def compile_with_pybtex(
    tmp_path: Path, bib_text: str, keys: list[str]
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "refs.bib").write_text(bib_text, encoding="utf-8")
    citations = "".join(f"\\citation{{{key}}}\n" for key in keys)
    (tmp_path / "doc.aux").write_text(
        f"\\relax\n{citations}\\bibstyle{{plain}}\n\\bibdata{{refs}}\n", encoding="utf-8"
    )
    return subprocess.run(
        [sys.executable, "-m", "pybtex", "-l", "python", "doc.aux"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_parses_back(text: str, expected_entries: int) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], [b.error for b in library.failed_blocks]
    assert len(library.entries) == expected_entries
    pybtex_data = pybtex.database.parse_string(text, "bibtex")
    assert len(pybtex_data.entries) == expected_entries
    return library


@pytest.mark.parametrize("ascii_only", [False, True], ids=["utf8", "ascii"])
@pytest.mark.parametrize("style", ["bibtex", "biblatex"])
def test_nasty_inputs_parse_back_and_titles_round_trip(style: str, ascii_only: bool) -> None:
    G = nasty_graph()
    bib = build_bibliography(G, style=style, ascii_only=ascii_only)
    assert bib.untitled == ["empty"], "no entry without a title"
    library = assert_parses_back(bib.text(), G.number_of_nodes() - 1)
    titles = {e.fields_dict["title"].value for e in library.entries if "title" in e.fields_dict}
    decoded = {decode_latex(t) for t in titles}
    for param in NASTY_TITLES:
        assert param.values[0] in decoded, f"{param.id} did not round-trip: {sorted(decoded)}"


def test_nasty_inputs_compile_without_warnings(tmp_path: Path) -> None:
    G = nasty_graph()
    bib = build_bibliography(G)
    result = compile_with_pybtex(tmp_path, bib.text(), list(bib.entry_of_key))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr
    assert (tmp_path / "doc.bbl").read_text(encoding="utf-8").count("\\bibitem") == len(
        bib.entry_of_key
    )


def test_ascii_output_encodes_accents() -> None:
    G = nasty_graph()
    text = bibtex_text(G, ["n5", "n3"], options=BibOptions(ascii_only=True))
    assert '{Schr{\\"o}dinger}--F{\\"o}llmer {\\L}ukasz {\\AE}r{\\o} na{\\"i}ve' in text
    assert 'M{\\"u}ller \\& Sons' in text
    assert text.isascii()


@pytest.mark.parametrize("scope", ["curated", "all"])
def test_bib_command_output_compiles_without_warnings(
    scope: str, bundled_graph_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.bib"
    result = CliRunner().invoke(
        cli,
        ["bib", "--graph", str(bundled_graph_file), "--scope", scope, "-o", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    keys = [e.key for e in bibtexparser.parse_string(text).entries]
    assert len(keys) > (1000 if scope == "all" else 20)
    assert_parses_back(text, len(keys))
    compiled = compile_with_pybtex(tmp_path, text, keys)
    assert compiled.returncode == 0, compiled.stderr[-2000:]
    assert compiled.stderr.strip() == "", compiled.stderr[-2000:]


def test_bundled_ascii_biblatex_bibliography_parses(bundled_graph: nx.DiGraph) -> None:
    bib = build_bibliography(bundled_graph, style="biblatex", ascii_only=True)
    text = bib.text()
    assert_parses_back(text, len(bib.entry_of_key))
    assert text.isascii()


def test_bundled_ascii_article_preprints_compile(bundled_graph: nx.DiGraph, tmp_path: Path) -> None:
    bib = build_bibliography(bundled_graph, ascii_only=True, preprint_as="article", notes=False)
    text = bib.text()
    assert "journal       = {arXiv preprint arXiv:" in text
    result = compile_with_pybtex(tmp_path, text, list(bib.entry_of_key))
    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr[-2000:]
