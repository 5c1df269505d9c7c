"""Atomic output files and the one-line errors for paths that cannot be written."""

from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest

from implicit_atlas.graph.errors import OutputError
from implicit_atlas.graph.graphio import atomic_write_text


def test_missing_folder_is_an_error_when_parents_are_not_made(tmp_path: Path) -> None:
    target = tmp_path / "typo" / "deeper" / "x.bib"
    with pytest.raises(OutputError, match=r"the folder .*deeper does not exist; create it first"):
        atomic_write_text(target, "x", make_parents=False)
    assert not (tmp_path / "typo").exists()


def test_missing_folders_are_made_by_default(tmp_path: Path) -> None:
    target = tmp_path / "new" / "graph.json"
    atomic_write_text(target, "{}")
    assert target.read_text() == "{}"


@pytest.mark.parametrize("make_parents", [True, False], ids=["make-parents", "no-parents"])
def test_a_file_where_a_folder_should_be(tmp_path: Path, make_parents: bool) -> None:
    (tmp_path / "afile").write_text("keep")
    with pytest.raises(OutputError, match=r"afile is a file, not a folder; choose another path"):
        atomic_write_text(tmp_path / "afile" / "sub" / "x.md", "x", make_parents=make_parents)
    assert (tmp_path / "afile").read_text() == "keep"


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    from implicit_atlas.graph.graphio import atomic_writer

    target = tmp_path / "out.txt"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_writer(target) as fh:
        fh.write("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        pytest.param({"title": 12345}, "title 12345 is not text", id="title-number"),
        pytest.param({"year": "circa 2019"}, "year 'circa 2019' is not a whole number", id="year"),
        pytest.param(
            {"citation_count": True}, "citation_count True is not a whole", id="bool-count"
        ),
        pytest.param({"curated": "yes"}, "curated 'yes' is not true/false", id="curated"),
        pytest.param(
            {"authors": "Solo Author"}, "authors 'Solo Author' is not a list", id="authors"
        ),
        pytest.param({"authors": [None, 5]}, "authors [None, 5] is not a list", id="author-items"),
    ],
)
def test_attributes_of_the_wrong_type_are_a_corrupted_file(
    tmp_path: Path, attrs: dict, message: str
) -> None:
    """A hand-edited graph fails on load with one line, not in a command with a traceback."""
    from click.testing import CliRunner

    from implicit_atlas.cli.main import cli
    from implicit_atlas.graph.errors import GraphFileError
    from implicit_atlas.graph.graphio import load_graph, save_graph

    G = nx.DiGraph()
    G.add_node("a", title="Fine", year=2020, authors=["A B"], curated=True)
    G.add_node("b", **attrs)
    path = tmp_path / "graph.json"
    save_graph(G, path)
    with pytest.raises(GraphFileError, match=re.escape(f"node 'b': {message}")):
        load_graph(path)
    for command in (["bib", "--scope", "all"], ["suggest"], ["related", "Fine"]):
        result = CliRunner().invoke(cli, [*command, "--graph", str(path)])
        assert result.exit_code == 1 and "is corrupted" in result.stderr, command
        assert len(result.stderr.strip().splitlines()) == 1


def test_the_bundled_graph_passes_the_type_checks(bundled_graph_file: Path) -> None:
    from implicit_atlas.graph.graphio import load_graph

    assert load_graph(bundled_graph_file).number_of_nodes() > 1000


def test_a_paused_collector_comes_back_without_walking_what_the_block_made() -> None:
    import gc

    from implicit_atlas.graph.graphio import paused_gc

    with paused_gc():
        assert not gc.isenabled()
        made = [{"n": i} for i in range(50_000)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    # in the oldest generation, as if it had survived the young collections already
    assert any(thing is made for thing in gc.get_objects(generation=2))


def test_a_paused_collector_leaves_the_callers_frozen_objects_frozen() -> None:
    import gc

    from implicit_atlas.graph.graphio import paused_gc

    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused_gc():
            pass
        assert gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
