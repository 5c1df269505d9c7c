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
        for name in (
            "section", "subsection", "type", "arxiv", "doi", "url", "venue_label", "note",
            "repo", "docs", "website", "video", "links",
        ):  # fmt: skip
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


# --- real lists, as their maintainers write them -------------------------------------------------

LISTS = Path(__file__).parent / "lists"
UPSTREAM = LISTS / "awesome-implicit-neural-models-upstream.md"
CATALOG_FIELDS = (
    "title", "section", "subsection", "type", "authors", "arxiv", "doi", "url", "venue_label",
    "note", "repo", "docs", "website", "video", "links",
)  # fmt: skip
HAND_CORRECTED_TITLES = {
    # catalog key: the list's own spelling (the catalog holds the paper's real title)
    "bayesian-neural-ode": "Bayesian Neural ODEs",
    "icnn": "Input Covex Neural Networks",
    "implicit-layers-tutorial": "Deep Implicit Layers - Neural ODEs, Deep Equilibirum Models, "
    "and Beyond",
}


def _bundled_catalog_text():
    from implicit_atlas.graph.catalog import default_catalog_path

    return default_catalog_path().read_text(encoding="utf-8")


def _twin(entry, imported):
    """The imported entry that is the catalog's `entry`: same arXiv id, else same link."""
    for other in imported.values():
        if entry.get("arxiv") and other.get("arxiv") == entry["arxiv"]:
            return other
        if entry.get("url") and other.get("url") == entry["url"]:
            return other
    raise AssertionError(f"no imported entry for {entry['title']!r}")


def test_the_upstream_list_imports_as_the_bundled_catalog_field_for_field(tmp_path):
    import tomllib

    fresh = tmp_path / "fresh.toml"
    report = import_awesome_list(UPSTREAM, into=fresh)
    assert not report.problems and len(report.added) == 29
    imported = tomllib.loads(fresh.read_text("utf-8"))
    bundled = tomllib.loads(_bundled_catalog_text())
    assert (
        imported["sections"]
        == bundled["sections"]
        == [
            "Neural Differential Equations",
            "Deep Equilibrium Networks",
            "Optimization Layers",
            "Software and Libraries",
            "Tutorials and Talks",
        ]
    )
    kinds = [e.get("type", "paper") for e in imported["entry"].values()]
    assert (kinds.count("paper"), kinds.count("software"), kinds.count("tutorial")) == (17, 10, 2)
    assert [e["title"] for e in imported["entry"].values() if e.get("type") == "software"] == [
        "torchdiffeq", "torchdyn", "torchsde", "torchcde", "DifferentialEquations.jl",
        "DiffEqFlux.jl", "deq", "deq-jax", "mpc.pytorch", "cvxpylayers",
    ]  # fmt: skip
    twins = {key: _twin(entry, imported["entry"]) for key, entry in bundled["entry"].items()}
    assert len({id(t) for t in twins.values()}) == 29, "one imported entry per catalog entry"
    for key, entry in bundled["entry"].items():
        twin = twins[key]
        for name in CATALOG_FIELDS:
            if name in twin:  # what the list says; the catalog may add venue, year, implements
                expected = HAND_CORRECTED_TITLES.get(key) if name == "title" else None
                assert twin[name] == (expected or entry.get(name)), (key, name)
    assert twins["torchdyn"]["subsection"] == "Neural ODEs"
    assert twins["cvxpylayers"]["subsection"] == "Optimization"
    assert twins["deq-code"]["note"].startswith("This repository contains the code")
    assert twins["diffeqflux-juliacon"]["authors"] == ["Jesse Bettencourt"]


def test_the_upstream_list_into_the_catalog_changes_nothing(tmp_path):
    target = tmp_path / "curated.toml"
    target.write_text(_bundled_catalog_text(), encoding="utf-8")
    before = target.read_bytes()
    report = import_awesome_list(UPSTREAM, into=target)
    assert (report.added, report.updated, report.written) == ([], [], False)
    assert target.read_bytes() == before
    assert len(report.unchanged) == 30, "DifferentialEquations.jl is listed twice"


def test_intro_quotes_and_pointers_of_the_upstream_list_are_reported_not_read():
    parsed = parse_awesome_list(UPSTREAM.read_text("utf-8"))
    skipped = {p.line: p.reason for p in parsed.skipped}
    assert skipped[5] == "intro text"  # *"The crux of an implicit layer ..."*
    assert skipped[9] == "intro text"  # ***For a comprehensive list ... awesome-neural-ode***
    assert skipped[33] == "quote"  # the first abstract
    assert skipped[29] == "text between entries"  # the bold section blurb
    tutorial = next(i for i in parsed.items if i.fields.get("type") == "tutorial")
    assert tutorial.title.startswith("Deep Implicit Layers") and tutorial.line == 111
    assert tutorial.fields["venue_label"] == "NeurIPS20 Tutorial"


def test_the_early_seed_imports_sensibly():
    parsed = parse_awesome_list((LISTS / "awesome-implicit-neural-models-early.md").read_text())
    assert [(i.title, i.section) for i in parsed.items] == [
        ("Neural Ordinary Differential Equations", "Neural Differential Equations"),
        ("Dissecting Neural ODEs", "Neural Differential Equations"),
        ("Neural Controlled Differential Equations for Irregular Time Series",
         "Neural Differential Equations"),
        ("Scalable Gradients for Stochastic Differential Equations",
         "Neural Differential Equations"),
        ("Deep Equilibrium Models", "Deep Equilibrium Networks"),
    ]  # fmt: skip
    scalable = parsed.items[3]
    assert scalable.warning and "missing '* '" in scalable.warning
    assert not parsed.problems


def _entries(name):
    return parse_awesome_list((LISTS / name).read_text("utf-8"))


def test_a_list_with_an_html_header_badges_and_comments():
    parsed = _entries("html-header-badges.md")
    assert [(i.title, i.section, i.subsection) for i in parsed.items] == [
        ("Deep Equilibrium Models", "Papers", "Deep Equilibrium Models / Foundations"),
        ("Multiscale Deep Equilibrium Models", "Papers", "Deep Equilibrium Models / Foundations"),
        ("Implicit Deep Learning", "Papers", "Deep Equilibrium Models / Foundations"),
        ("Monotone Operator Equilibrium Networks", "Papers",
         "Deep Equilibrium Models / Stability and Robustness"),
        ("Lipschitz Bounded Equilibrium Networks", "Papers",
         "Deep Equilibrium Models / Stability and Robustness"),
        ("Global Convergence of Over-parameterized Deep Equilibrium Models", "Papers",
         "Deep Equilibrium Models / Stability and Robustness"),
        ("On Training Implicit Models", "Papers",
         "Deep Equilibrium Models / Stability and Robustness"),
        ("Efficient and Modular Implicit Differentiation", "Papers", "Implicit Differentiation"),
        ("JFB: Jacobian-Free Backpropagation for Implicit Networks", "Papers",
         "Implicit Differentiation"),
        ("torchdeq", "Code", None),
        ("jaxopt", "Code", None),
    ]  # fmt: skip
    by_title = {i.title: i for i in parsed.items}
    deq = by_title["Deep Equilibrium Models"]
    assert deq.fields == {
        "venue_label": "NeurIPS19",
        "arxiv": "1909.01377",
        "repo": "https://github.com/locuslab/deq",  # [[code]] after the paper link
    }
    assert by_title["Implicit Deep Learning"].fields == {
        "note": "SIAM Journal on Mathematics of Data Science"
    }  # no link at all
    assert by_title["JFB: Jacobian-Free Backpropagation for Implicit Networks"].fields == {
        "venue_label": "AAAI 2022"
    }
    lben = by_title["Lipschitz Bounded Equilibrium Networks"]
    assert lben.fields["venue_label"] == "arXv21" and "'arXiv21'" in lben.warning
    torchdeq = by_title["torchdeq"]
    assert torchdeq.fields == {  # the star badge links elsewhere and is not a link of the entry
        "type": "software",
        "url": "https://github.com/locuslab/torchdeq",
        "note": "A library for deep equilibrium models in PyTorch.",
    }
    assert by_title["jaxopt"].fields["docs"] == "https://jaxopt.github.io"
    skipped = {p.line: p.reason for p in parsed.skipped}
    assert skipped[1] == "HTML block" and skipped[8] == "intro text"
    assert skipped[22] == "quote" and skipped[33] == "text between entries"
    assert skipped[31] == skipped[47] == skipped[49] == "commented out"
    assert not parsed.problems


def test_a_list_with_a_table_of_contents_and_headings_five_deep():
    parsed = _entries("toc-nested.md")
    assert parsed.sections == [
        "Continuous-depth models",
        "Optimization layers",
        "Software",
        "Talks",
    ]
    assert [(i.title, i.subsection) for i in parsed.items] == [
        ("Neural Ordinary Differential Equations", "Neural ODEs / Foundations"),
        ("Augmented Neural ODEs", "Neural ODEs / Foundations"),
        ("Scalable Gradients for Stochastic Differential Equations", "Neural ODEs / Stochastic"),
        ("Neural SDEs as Infinite-Dimensional GANs", "Neural ODEs / Stochastic"),
        ("Neural Controlled Differential Equations for Irregular Time Series", "Controlled"),
        ("OptNet: Differentiable Optimization as a Layer in Neural Networks", None),
        ("Differentiable Convex Optimization Layers", None),
        ("torchdiffeq", None),
        ("diffrax", None),
        ("cvxpylayers", None),
        ("Deep Implicit Layers - Neural ODEs, Deep Equilibrium Models, and Beyond", None),
        ("Neural ODEs", None),
    ]
    by_title = {i.title: i for i in parsed.items}
    assert by_title["Augmented Neural ODEs"].fields["repo"].endswith("augmented-neural-odes")
    assert by_title["diffrax"].fields == {
        "type": "software",
        "url": "https://github.com/patrick-kidger/diffrax",
        "docs": "https://docs.kidger.site/diffrax/",
        "note": "Numerical differential equation solvers in JAX.",
    }
    assert by_title["torchdiffeq"].fields["note"] == "ODE solvers with O(1) memory"
    tutorial = by_title["Deep Implicit Layers - Neural ODEs, Deep Equilibrium Models, and Beyond"]
    assert tutorial.fields == {
        "type": "tutorial",
        "authors": ["Zico Kolter", "David Duvenaud", "Matt Johnson"],
        "url": "http://implicit-layers-tutorial.org/",
        "video": "https://slideslive.com/38935810",
        "venue_label": "NeurIPS20 Tutorial",
    }
    assert parsed.skipped_navigation == 7  # the contents and the contributing items
    assert {p.line for p in parsed.skipped} == {3, 5, 7}  # intro quote, cited quote, pointer


@pytest.mark.parametrize(
    "name",
    [
        "awesome-implicit-neural-models-upstream.md",
        "html-header-badges.md",
        "toc-nested.md",
    ],
)
def test_a_list_round_trips_through_the_markdown_export(name, tmp_path):
    """Import a list, regenerate it with the export, import that: nothing changes."""
    from implicit_atlas.graph import build_atlas
    from implicit_atlas.graph.exports import render_export

    catalog_path = tmp_path / "curated.toml"
    import_awesome_list(LISTS / name, into=catalog_path)
    catalog = load_catalog(catalog_path)
    G = build_atlas(catalog, field_sample=False)
    curated_nodes = [n for n, key in G.nodes(data="curated_key") if key]
    assert len(curated_nodes) == len(catalog), "each entry of the list is a work of its own"
    listing = tmp_path / "README.md"
    listing.write_text(render_export(G, "markdown", catalog=catalog)["atlas.md"], "utf-8")
    before = catalog_path.read_text("utf-8")
    report = import_awesome_list(listing, into=catalog_path)
    assert (report.added, report.updated, report.problems) == ([], [], [])
    assert catalog_path.read_text("utf-8") == before
    text = listing.read_text("utf-8")
    for entry in catalog:
        if entry.subsection:
            assert f"### {entry.subsection}\n" in text
