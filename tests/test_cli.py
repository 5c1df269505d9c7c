"""The command group: every usage error is one line with a pointer to --help, exit code 2."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["bib", "--top", "0"], "Invalid value for '--top'", id="bib-top-0"),
        pytest.param(["suggest", "--top", "-1"], "Invalid value for '--top'", id="suggest-top-neg"),
        pytest.param(["related", "OptNet", "-k", "0"], "'-k': 0 is not", id="related-k-0"),
        pytest.param(
            ["export", "--format", "nope", "-o", "x"], "'nope' is not one of", id="format"
        ),
        pytest.param(["path", "OptNet"], "Missing argument 'SECOND'", id="path-one-paper"),
        pytest.param(["path", "a", "b", "--extra-hops", "9"], "0<=x<=3", id="extra-hops"),
        pytest.param(
            ["related", "a", "--json", "--bib"], "choose one of --json and --bib", id="json-bib"
        ),
        pytest.param(["bib", "--nope"], "No such option '--nope'", id="unknown-option"),
        pytest.param(["nosuchcmd"], "No such command 'nosuchcmd'", id="unknown-command"),
    ],
)
def test_usage_errors_are_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], lines
    assert lines[0].endswith("--help`")


@pytest.mark.parametrize("args", [[], ["curate"]], ids=["bare", "bare-group"])
def test_a_bare_group_still_shows_its_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.output.startswith("Usage: ") and "Commands:" in result.output


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["bib"], id="bib"),
        pytest.param(["export", "--format", "json"], id="export"),
        pytest.param(["suggest"], id="suggest"),
    ],
)
def test_output_over_the_graph_file_is_refused(tmp_path, args: list[str]) -> None:
    import networkx as nx

    from implicit_atlas.graph.graphio import save_graph

    graph = tmp_path / "graph.json"
    save_graph(nx.DiGraph(), graph)
    before = graph.read_bytes()
    other_spelling = str(tmp_path / "." / "graph.json")
    result = CliRunner().invoke(cli, [*args, "--graph", str(graph), "-o", other_spelling])
    assert result.exit_code == 1 and "is the graph file this command reads" in result.stderr
    assert graph.read_bytes() == before


# -- one language: the same option names on every command -------------------------------------


def _commands() -> dict[str, object]:
    import click

    from implicit_atlas.cli.main import COMMANDS

    ctx = click.Context(cli)
    found = {}
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        if isinstance(command, click.Group):
            for sub in command.commands.values():
                found[f"{name} {sub.name}"] = sub
        else:
            found[name] = command
    return found


def _options(command) -> dict[str, object]:
    import click

    return {opt: p for p in command.params if isinstance(p, click.Option) for opt in p.opts}


WRITERS = ["build", "bib", "export", "map", "suggest", "diff", "curate propose"]


@pytest.mark.parametrize("name", WRITERS)
def test_every_writing_command_takes_o_out_and_the_old_output(name: str) -> None:
    opts = _options(_commands()[name])
    assert opts["-o"] is opts["--out"] is opts["--output"]
    help_text = CliRunner().invoke(cli, [*name.split(), "--help"]).output
    assert "-o, --out" in help_text and "--output" not in help_text


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_takes_verbose_and_quiet(name: str) -> None:
    opts = _options(_commands()[name])
    assert {"-v", "--verbose", "-q", "--quiet"} <= set(opts), name


@pytest.mark.parametrize(
    ("name", "option"),
    [
        pytest.param(n, o, id=f"{n}-{o}")
        for n, o in [
            ("related", "--graph"), ("suggest", "--graph"), ("path", "--graph"),
            ("lineage", "--graph"), ("map", "--graph"), ("bib", "--graph"), ("export", "--graph"),
            ("related", "--top"), ("suggest", "--top"), ("path", "--top"), ("lineage", "--top"),
            ("bib", "--top"), ("export", "--top"),
            ("related", "--section"), ("suggest", "--section"), ("lineage", "--section"),
            ("map", "--section"), ("bib", "--section"), ("export", "--section"),
            ("related", "--json"), ("suggest", "--json"), ("path", "--json"), ("lineage", "--json"),
            ("suggest", "--format"), ("export", "--format"),
        ]
    ],
)  # fmt: skip
def test_the_same_thing_has_the_same_name_everywhere(name: str, option: str) -> None:
    assert option in _options(_commands()[name])


def test_version() -> None:
    from importlib.metadata import version

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and version("implicit-atlas") in result.output


@pytest.mark.parametrize("name", sorted(_commands()))
def test_help_texts_break_no_word(name: str) -> None:
    import re

    text = CliRunner().invoke(cli, [*name.split(), "--help"], terminal_width=80).output
    for line in text.splitlines():
        # a line ending inside a comma-separated list without spaces was broken mid-word
        assert not re.search(r",[a-z]+$", line), line


def test_old_and_new_spellings_write_the_same(bundled_graph_file, tmp_path) -> None:
    runner = CliRunner()
    for flag in ("-o", "--out", "--output"):
        out = tmp_path / f"refs{flag}.bib"
        result = runner.invoke(cli, ["bib", "--graph", str(bundled_graph_file), flag, str(out)])
        assert result.exit_code == 0, result.output
    texts = {p.read_text() for p in tmp_path.glob("refs*.bib")}
    assert len(texts) == 1


def test_quiet_prints_only_the_result(bundled_graph_file, tmp_path) -> None:
    out = tmp_path / "refs.bib"
    result = CliRunner().invoke(
        cli, ["bib", "--graph", str(bundled_graph_file), "-o", str(out), "-q"]
    )
    assert result.exit_code == 0 and result.output == "" and out.exists()
    printed = CliRunner().invoke(cli, ["bib", "--graph", str(bundled_graph_file), "-q"])
    assert printed.stderr == "" and "\n@" in printed.stdout


def test_exit_codes_bad_input_1_usage_2(bundled_graph_file) -> None:
    runner = CliRunner()
    bad = runner.invoke(
        cli, ["related", "no such paper title at all", "--graph", str(bundled_graph_file)]
    )
    assert bad.exit_code == 1 and bad.stderr.startswith("Error: ")
    usage = runner.invoke(cli, ["related", "--nope"])
    assert usage.exit_code == 2


def test_an_interrupt_exits_130_and_says_what_is_kept(monkeypatch, bundled_graph_file) -> None:
    import implicit_atlas.graph.graphio as graphio

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(graphio, "load_graph", interrupted)
    result = CliRunner().invoke(cli, ["bib", "--graph", str(bundled_graph_file)])
    assert result.exit_code == 130 and "interrupted" in result.stderr


# -- every id the tool prints is accepted wherever an id is read ------------------------------

NEURAL_ODE_IDS = [
    "https://www.semanticscholar.org/paper/Neural-Ordinary-Differential-Equations-Chen-Rubanova/449310e3538b08b43227d660227dfd2875c3c3c1",
    "https://www.semanticscholar.org/paper/449310e3538b08b43227d660227dfd2875c3c3c1",
    "449310e3538b08b43227d660227dfd2875c3c3c1",
    "10.48550/arXiv.1806.07366",
    "https://doi.org/10.48550/arXiv.1806.07366",
    "https://arxiv.org/abs/1806.07366v5",
    "arXiv:1806.07366v2",
]


def test_related_accepts_every_printed_id(bundled_graph_file) -> None:
    g = ["--graph", str(bundled_graph_file)]
    for ident in NEURAL_ODE_IDS:
        related = CliRunner().invoke(cli, ["related", ident, "--top", "1", *g])
        assert related.exit_code == 0 and "[arXiv:1806.07366]" in related.stdout, ident


@pytest.mark.parametrize(
    "ident", [NEURAL_ODE_IDS[0], NEURAL_ODE_IDS[3]], ids=["s2-url", "arxiv-doi"]
)
def test_every_reading_command_accepts_printed_ids(bundled_graph_file, tmp_path, ident) -> None:
    g = ["--graph", str(bundled_graph_file)]
    runner = CliRunner()
    lineage = runner.invoke(cli, ["lineage", ident, "--top", "1", *g])
    assert lineage.exit_code == 0, lineage.output
    path = runner.invoke(cli, ["path", ident, "1909.01377", *g])
    assert path.exit_code == 0 and "arXiv:1806.07366" in path.stdout, path.output
    ids = tmp_path / "ids.txt"
    ids.write_text(ident + "\n")
    bib = runner.invoke(cli, ["bib", "--scope", "all", "--ids", str(ids), *g])
    assert bib.exit_code == 0 and "{chen2018neural," in bib.stdout, bib.output
    near = runner.invoke(cli, ["bib", "--scope", "all", "--related-to", ident, "--top", "2", *g])
    assert near.exit_code == 0 and "{chen2018neural," in near.stdout, near.output
    html = tmp_path / "m.html"
    focus = runner.invoke(cli, ["map", "--focus", ident, "-o", str(html), *g])
    assert (
        focus.exit_code == 0
        and "neighbourhood of Neural Ordinary Differential Equations;" in focus.stdout
    ), focus.output


def test_a_suggested_papers_s2_url_is_accepted_by_related(bundled_graph_file) -> None:
    import re

    g = ["--graph", str(bundled_graph_file)]
    suggested = CliRunner().invoke(cli, ["suggest", "--top", "40", *g]).stdout
    urls = re.findall(r"https://www\.semanticscholar\.org/paper/[0-9a-f]{40}", suggested)
    assert urls, "suggest prints S2 page URLs for papers without arXiv/DOI"
    result = CliRunner().invoke(cli, ["related", urls[0], "--top", "1", *g])
    assert result.exit_code == 0, result.output


def test_related_bib_keeps_the_ranking_order(bundled_graph_file) -> None:
    import json
    import re

    g = ["--graph", str(bundled_graph_file)]
    ranked = json.loads(
        CliRunner().invoke(cli, ["related", "1909.01377", "--top", "6", "--json", *g]).stdout
    )
    bib = CliRunner().invoke(cli, ["related", "1909.01377", "--top", "6", "--bib", *g]).stdout
    years = [int(y) for y in re.findall(r"year\s*=\s*\{(\d{4})\}", bib)]
    assert len(years) >= 5 and years != sorted(years), "not re-sorted by year"
    titles = [p["title"] for p in ranked["papers"]]
    first_title = re.search(r"title\s*=\s*\{\{?(.+?)\}?\},", bib).group(1)
    assert first_title.replace("{", "").replace("}", "") == titles[0]


# -- installed use ----------------------------------------------------------------------------


def test_curate_import_without_into_writes_a_user_file_not_the_package(
    tmp_path, monkeypatch
) -> None:
    from implicit_atlas.graph.catalog import default_catalog_path

    bundled = default_catalog_path().read_bytes()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "awesome.md").write_text(
        "# My list\n\n## Solvers\n\n- [Anderson Acceleration for Fixed-Point Iterations](https://arxiv.org/abs/1410.1224)\n"
    )
    result = CliRunner().invoke(cli, ["curate", "import", "awesome.md"])
    assert result.exit_code == 0, result.output
    assert default_catalog_path().read_bytes() == bundled
    mine = (tmp_path / "curated.toml").read_text()
    assert "1410.1224" in mine and "[entry.neural-ode]" in mine, "the bundled list, plus the import"
    assert "implicit-atlas build --curated curated.toml" in result.stderr


@pytest.mark.parametrize(
    "text", ["", "# Just a title\n\nSome prose, and no list at all.\n"], ids=["empty", "prose"]
)
def test_an_awesome_list_with_no_items_is_an_error(tmp_path, text: str) -> None:
    md = tmp_path / "list.md"
    md.write_text(text)
    target = tmp_path / "cat.toml"
    result = CliRunner().invoke(cli, ["curate", "import", str(md), "--into", str(target)])
    assert result.exit_code == 1 and "holds no list item to import" in result.stderr
    assert not target.exists()


def test_a_graph_file_holds_no_absolute_path(tmp_path, monkeypatch) -> None:
    import shutil

    from implicit_atlas.graph.catalog import default_catalog_path

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--offline", "-q", "-o", "a"]).exit_code == 0
    shutil.copy(default_catalog_path(), tmp_path / "mine.toml")
    online = ["--api-url", "http://127.0.0.1:1", "--rps", "1000"]  # a closed port: "offline"
    mine = ["--curated", str(tmp_path / "mine.toml"), "--cache-dir", str(tmp_path / "cache")]
    assert runner.invoke(cli, ["build", "-q", *online, *mine, "-o", "b"]).exit_code == 0
    from implicit_atlas.graph.graphio import load_graph

    for out in ("a", "b"):
        stored = b"".join(p.read_bytes() for p in (tmp_path / out).rglob("*") if p.is_file())
        assert str(tmp_path).encode() not in stored
        assert str(default_catalog_path().parent).encode() not in stored
    assert load_graph(tmp_path / "a" / "graph.atlas").graph["catalog"] == "bundled"
    assert load_graph(tmp_path / "b" / "graph.atlas").graph["catalog"] == "mine.toml"


@pytest.mark.parametrize(
    ("note", "line"),
    [
        pytest.param(
            "Semantic Scholar is unreachable: cannot connect (DNS); finishing from the cache and the bundled data.",
            "Semantic Scholar unreachable: built from the bundled data and the cache",
            id="s2-unreachable",
        ),
        pytest.param(
            "OpenAlex is unreachable: timeouts; finishing OpenAlex from its cache.",
            "OpenAlex unreachable: built from the bundled data and the cache",
            id="openalex-unreachable",
        ),
        pytest.param(
            "Semantic Scholar refused the request (HTTP 403: Forbidden); check S2_API_KEY / --api-key; finishing from the cache and the bundled data.",
            "Semantic Scholar refused the API key: built from the bundled data and the cache; check S2_API_KEY / --api-key",
            id="s2-refused",
        ),
    ],
)
def test_a_source_going_away_is_one_line_naming_it(note: str, line: str) -> None:
    from implicit_atlas.cli.build import one_line

    assert one_line(note) == line
