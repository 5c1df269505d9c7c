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
