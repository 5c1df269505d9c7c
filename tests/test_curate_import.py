import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.awesome import classify_link, parse_awesome_list
from implicit_atlas.graph.catalog import load_catalog
from implicit_atlas.graph.curate import import_awesome_list
from implicit_atlas.graph.errors import CatalogError

LIST = textwrap.dedent(
    """\
    # awesome-test

    # Table of Contents
    * [Neural ODEs](#neural-odes)
    * **Group label**

    ## Neural ODEs

    * Neural Ordinary Differential Equations (best paper award): [NeurIPS18](https://arxiv.org/pdf/1806.07366v5.pdf)

    > An abstract that must not be copied.

    * Dissecting Neural ODEs (oral): [NeurIPS20](https://arxiv.org/abs/2002.08071)

    Scalable Gradients for Stochastic Differential Equations: [AISTATS20](https://arxiv.org/abs/2001.01328)

    * Implicit Deep Learning: [SIMODS](https://doi.org/10.1137/20M1358517)
    * [Augmented Neural ODEs](https://papers.nips.cc/paper/2019/hash/21be9a4bd4f81549a9d1d241981cec3c-Abstract.html) - augmentation
    * OptNet: Differentiable Optimization as a Layer in Neural Networks: [ICML17](http://proceedings.mlr.press/v70/amos17a.html)
    * A workshop paper [openreview](https://openreview.net/forum?id=abc123)
    * Algorithmic Differentiation of a Complex C++ Code: [sciencedirect](https://www.sciencedirect.com/science/article/pii/S187705091300327X)
    * [NeurIPS20](https://arxiv.org/abs/2006.08656)
    * [](https://example.org/empty)
    *
    * Neural Ordinary Differential Equations (duplicate): [arxiv](https://arxiv.org/abs/1806.07366)

    ## Software and Libraries

    * [torchdiffeq](https://github.com/rtqichen/torchdiffeq) - ODE solvers
    * deq-jax: [code](https://github.com/akbir/deq-jax.git)

    ## Websites and Blogs

    * [Deep Implicit Layers tutorial](http://implicit-layers-tutorial.org/)
    """
)


def test_classify_link():
    assert classify_link("https://arxiv.org/pdf/1806.07366v2.pdf") == {"arxiv": "1806.07366"}
    assert classify_link("https://doi.org/10.1137/20M1358517") == {"doi": "10.1137/20m1358517"}
    assert classify_link("https://github.com/locuslab/deq") == {
        "repo": "https://github.com/locuslab/deq"
    }
    assert classify_link("https://proceedings.neurips.cc/paper/2020/x.html")["venue"] == "NeurIPS"
    assert classify_link("http://proceedings.mlr.press/v70/amos17a.html")["venue"] == "PMLR"
    assert classify_link("https://example.org/x") == {"url": "https://example.org/x"}


def test_parse_awesome_list_reads_entries_sections_and_problems():
    parsed = parse_awesome_list(LIST)
    assert parsed.sections == ["Neural ODEs", "Software and Libraries", "Websites and Blogs"]
    by_title = {}
    for item in parsed.items:
        by_title.setdefault(item.title, item)
    node = by_title["Neural Ordinary Differential Equations"]
    assert node.fields == {
        "venue_label": "NeurIPS18",
        "arxiv": "1806.07366",
        "note": "best paper award",
    }
    assert node.line == 9
    assert by_title["Implicit Deep Learning"].fields["doi"] == "10.1137/20m1358517"
    assert by_title["Augmented Neural ODEs"].fields["venue"] == "NeurIPS"
    assert (
        by_title["OptNet: Differentiable Optimization as a Layer in Neural Networks"].fields[
            "venue_label"
        ]
        == "ICML17"
    )
    assert by_title["A workshop paper"].fields == {"url": "https://openreview.net/forum?id=abc123"}
    assert by_title["torchdiffeq"].fields["type"] == "software"
    assert by_title["deq-jax"].fields["url"] == "https://github.com/akbir/deq-jax.git"
    assert by_title["Deep Implicit Layers tutorial"].fields["type"] == "tutorial"
    scalable = by_title["Scalable Gradients for Stochastic Differential Equations"]
    assert scalable.warning and "not a list item" in scalable.warning
    assert not any("abstract" in (i.title or "").lower() for i in parsed.items)
    problems = {p.line: p.reason for p in parsed.problems}
    assert "venue label" in problems[22]
    assert "no title" in problems[23]
    assert problems[24] == "empty list item"
    assert parsed.skipped_navigation >= 1


def _catalog_file(tmp_path):
    path = tmp_path / "curated.toml"
    path.write_text(
        textwrap.dedent(
            """\
            # hand-written header comment
            sections = ["Neural ODEs", "Software"]

            [entry.node]
            title = "Neural Ordinary Differential Equations"
            section = "Neural ODEs"
            arxiv = "1806.07366"
            note = "my own note"  # kept
            """
        ),
        encoding="utf-8",
    )
    return path


def test_import_merges_without_losing_hand_edits(tmp_path):
    md = tmp_path / "list.md"
    md.write_text(LIST, encoding="utf-8")
    target = _catalog_file(tmp_path)
    report = import_awesome_list(md, into=target)
    assert report.written
    text = target.read_text(encoding="utf-8")
    assert "# hand-written header comment" in text and 'note = "my own note"  # kept' in text
    assert [key for key, _, _ in report.updated] == ["node"]
    assert report.updated[0][2] == ["venue_label"]
    catalog = load_catalog(target)
    assert catalog.entry("node").note == "my own note"
    assert catalog.entry("node").venue_label == "NeurIPS18"
    titles = {e.title for e in catalog}
    assert "Dissecting Neural ODEs" in titles and "torchdiffeq" in titles
    assert catalog.sections == [
        "Neural ODEs",
        "Software",
        "Software and Libraries",
        "Websites and Blogs",
    ]
    assert sum(e.arxiv == "1806.07366" for e in catalog) == 1, "the duplicate item merged"
    # importing again changes nothing
    again = import_awesome_list(md, into=target)
    assert not again.added and not again.updated and not again.written


def test_dry_run_writes_nothing_and_shows_a_diff(tmp_path):
    md = tmp_path / "list.md"
    md.write_text(LIST, encoding="utf-8")
    target = _catalog_file(tmp_path)
    before = target.read_bytes()
    report = import_awesome_list(md, into=target, dry_run=True)
    assert target.read_bytes() == before
    assert "+[entry.dissecting-neural-odes]" in report.diff


def test_import_into_a_broken_catalog_refuses_and_keeps_it(tmp_path):
    md = tmp_path / "list.md"
    md.write_text(LIST, encoding="utf-8")
    target = tmp_path / "curated.toml"
    target.write_text("sections = [\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="malformed TOML"):
        import_awesome_list(md, into=target)
    assert target.read_text(encoding="utf-8") == "sections = [\n"


def test_cli_curate_import_reports_added_and_skipped_lines(tmp_path):
    md = tmp_path / "list.md"
    md.write_text(LIST, encoding="utf-8")
    target = _catalog_file(tmp_path)
    result = CliRunner().invoke(
        cli, ["curate", "import", str(md), "--into", str(target)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "added   [entry.dissecting-neural-odes] Dissecting Neural ODEs" in result.stdout
    assert "skipped line 22:" in result.stdout
    assert "warning line 15: not a list item" in result.stdout
    assert f"wrote {target}" in result.stdout


def test_cli_curate_import_missing_file(tmp_path):
    result = CliRunner().invoke(
        cli, ["curate", "import", str(tmp_path / "nope.md"), "--into", str(_catalog_file(tmp_path))]
    )
    assert result.exit_code == 1 and "awesome list not found" in result.stderr


def test_import_into_a_new_catalog_starts_an_atlas_of_its_own(tmp_path):
    md = tmp_path / "list.md"
    md.write_text(LIST)
    target = tmp_path / "new.toml"
    result = CliRunner().invoke(cli, ["curate", "import", str(md), "--into", str(target)])
    assert result.exit_code == 0, result.output
    catalog = load_catalog(target)
    assert catalog.sections == ["Neural ODEs", "Software and Libraries", "Websites and Blogs"]
    assert catalog.entry("dissecting-neural-odes").arxiv == "2002.08071"
    # and the new list builds into a graph
    out = tmp_path / "atlas"
    built = CliRunner().invoke(
        cli, ["build", "--offline", "--curated", str(target), "--out", str(out)]
    )
    assert built.exit_code == 0, built.output
    assert (out / "graph.atlas").exists()


def test_cli_curate_import_into_a_missing_folder_writes_nothing(tmp_path):
    md = tmp_path / "list.md"
    md.write_text(LIST)
    result = CliRunner().invoke(
        cli, ["curate", "import", str(md), "--into", str(tmp_path / "no" / "new.toml")]
    )
    assert result.exit_code == 1
    assert "does not exist" in result.stderr
    assert not (tmp_path / "no").exists()


def test_the_list_export_writes_imports_back_unchanged(bundled_graph, tmp_path):
    """Maintainers regenerate the README with `export --format markdown` and take pull requests
    against it: importing it back must read each line as the entry it came from. Code links
    name the software, not the paper; notes sit after the venue label."""
    import shutil
    import tomllib

    from implicit_atlas.data import __file__ as data_init
    from implicit_atlas.graph.exports import render_export

    catalog_path = tmp_path / "curated.toml"
    shutil.copy(Path(data_init).with_name("curated.toml"), catalog_path)
    listing = tmp_path / "README.md"
    listing.write_text(
        render_export(bundled_graph, "markdown", catalog=load_catalog(catalog_path))["atlas.md"],
        encoding="utf-8",
    )
    before = catalog_path.read_text(encoding="utf-8")
    report = import_awesome_list(listing, into=catalog_path)
    assert (len(report.added), len(report.updated)) == (0, 0)
    assert catalog_path.read_text(encoding="utf-8") == before
    # into an empty catalog: every entry comes back with its identifiers, label and note
    fresh = tmp_path / "fresh.toml"
    report = import_awesome_list(listing, into=fresh)
    assert len(report.added) == 29 and not report.problems
    original = tomllib.loads(before)["entry"]
    copied = {e["title"]: e for e in tomllib.loads(fresh.read_text("utf-8"))["entry"].values()}
    for entry in original.values():
        twin = copied[entry["title"]]
        for name in ("section", "type", "arxiv", "doi", "url", "venue_label", "note"):
            assert twin.get(name) == entry.get(name), (entry["title"], name)


def test_a_note_after_the_link_and_a_line_missing_its_bullet():
    parsed = parse_awesome_list(
        textwrap.dedent(
            """\
            ## Papers

            * Neural Ordinary Differential Equations [NeurIPS18](https://arxiv.org/abs/1806.07366) (best paper award)
            Dissecting Neural ODEs: [NeurIPS20](https://arxiv.org/abs/2002.08071)
            """
        )
    )
    first, second = parsed.items
    assert (first.title, first.fields.get("note")) == (
        "Neural Ordinary Differential Equations",
        "best paper award",
    )
    assert (second.title, second.fields["arxiv"], second.line) == (
        "Dissecting Neural ODEs",
        "2002.08071",
        4,
    )
    assert second.warning and "missing '* '" in second.warning


def test_a_bullet_continued_on_an_indented_line_stays_one_entry():
    parsed = parse_awesome_list(
        "## Papers\n\n"
        "* [Neural ODEs](https://arxiv.org/abs/1806.07366)\n"
        "  [code](https://github.com/rtqichen/torchdiffeq)\n"
        "* Augmented Neural ODEs: [NeurIPS19](https://arxiv.org/abs/1904.01681) and\n"
        "  its [follow-up](https://arxiv.org/abs/2002.08071)\n"
    )
    assert [(i.title, i.fields.get("arxiv")) for i in parsed.items] == [
        ("Neural ODEs", "1806.07366"),
        ("Augmented Neural ODEs", "1904.01681"),
    ]
    assert not any(i.warning for i in parsed.items)


def test_a_paper_linked_to_its_repository_stays_a_paper():
    parsed = parse_awesome_list(
        "## Deep Equilibrium Networks\n\n"
        "* [Monotone Operator Equilibrium Networks](https://github.com/locuslab/monotone_op_net)"
        " - NeurIPS 2020\n"
        "* [deq-jax](https://github.com/akbir/deq-jax)\n"
    )
    paper, code = parsed.items
    assert paper.fields.get("type") is None and paper.fields["url"].endswith("monotone_op_net")
    assert code.fields["type"] == "software"


def test_a_code_link_the_parser_percent_encodes_still_names_the_software():
    parsed = parse_awesome_list(
        "## Papers\n\n"
        "- [A Paper](https://arxiv.org/abs/2001.00001) — Ann Author · NeurIPS20 · "
        "code: [lib](https://example.org/é) · 3 citations\n"
        "- [B Paper](https://arxiv.org/abs/2001.00002) — NeurIPS20 · "
        "code: [lib](<https://example.org/a b>)\n"
    )
    assert [(i.title, i.fields.get("arxiv"), i.fields.get("url")) for i in parsed.items] == [
        ("A Paper", "2001.00001", None),
        ("B Paper", "2001.00002", None),
    ]
