"""docs/cli/ is the commands' own --help: this fails when a page drifts from the code."""

from __future__ import annotations

from pathlib import Path

from implicit_atlas.cli.docgen import main, render_pages, stale_pages

DOCS_CLI = Path(__file__).resolve().parents[1] / "docs" / "cli"


def test_the_cli_reference_is_generated_from_the_current_code() -> None:
    stale = stale_pages(DOCS_CLI)
    assert not stale, (
        f"docs/cli/ is stale ({', '.join(stale)}): run `python -m implicit_atlas.cli.docgen`"
    )


def test_every_command_has_a_page_linked_from_the_index() -> None:
    pages = render_pages()
    index = pages["index.md"]
    for name in pages:
        if name != "index.md":
            assert f"]({name})" in index, name
    assert {"build.md", "bib.md", "related.md", "curate-import.md"} <= set(pages)


def test_check_mode_names_a_stale_page(tmp_path: Path, capsys) -> None:
    assert main([str(tmp_path)]) == 0
    assert main(["--check", str(tmp_path)]) == 0
    (tmp_path / "bib.md").write_text("old\n")
    (tmp_path / "gone.md").write_text("a command that no longer exists\n")
    assert main(["--check", str(tmp_path)]) == 1
    assert "bib.md, gone.md" in capsys.readouterr().err
