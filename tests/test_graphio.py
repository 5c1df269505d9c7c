"""Atomic output files and the one-line errors for paths that cannot be written."""

from __future__ import annotations

from pathlib import Path

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
