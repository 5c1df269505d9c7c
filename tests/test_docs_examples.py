"""Every command example in README.md and docs/*.md runs against the bundled data, and the output
it shows is what the command prints (the convention: tests/docexamples.py, docs/design.md).

Each Markdown file gets a sandbox folder holding the bundled atlas in atlas/ (so the default
--graph works), a small paper.bib and awesome.md, no Semantic Scholar (the API URL points at a
closed port) and an empty cache. A file's blocks run in order, so a page may build, then map.
"""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from docexamples import Block, Step, blocks_of, output_matches

from implicit_atlas.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FIXTURES = Path(__file__).parent / "fixtures" / "docs"
_SHELL = re.compile(r"[|<>;&$`*]|^\w+=")
# commands a docs example must not run from the suite (slow, recursive, or outside the sandbox):
# a block using them needs <!-- illustrative -->
_NOT_RUN = re.compile(r"(?:^|[;&|]\s*)(?:make|pip|pipx|git|source|curl|wget|python3? bench/)\b")


def _runnable(path: Path) -> bool:
    return any(not b.illustrative and (b.steps or b.kind == "pycon") for b in blocks_of(path))


@pytest.fixture
def sandbox(tmp_path: Path, bundled_graph_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "atlas").mkdir()
    shutil.copy(bundled_graph_file, tmp_path / "atlas" / "graph.json")
    for fixture in FIXTURES.iterdir():
        shutil.copy(fixture, tmp_path / fixture.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("S2_API_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("OPENALEX_API_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("S2_RPS", "1000")  # a closed port needs no politeness
    monkeypatch.delenv("S2_API_KEY", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("COLUMNS", "100")
    return tmp_path


def _run(step: Step, sandbox: Path) -> tuple[int, str]:
    assert not _NOT_RUN.search(step.command), (
        f"line {step.line}: `{step.command}` is not run by the tests; put "
        "<!-- illustrative --> on the line before its block"
    )
    if not _SHELL.search(step.command) and step.command.startswith("implicit-atlas "):
        result = CliRunner().invoke(
            cli, shlex.split(step.command, comments=True)[1:], terminal_width=100
        )
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.output
    done = subprocess.run(
        ["bash", "-c", step.command],
        cwd=sandbox,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def _check(block: Block, sandbox: Path, namespace: dict[str, object]) -> None:
    if block.kind == "pycon":  # a page's >>> blocks share one namespace, like a session
        parser = doctest.DocTestParser()
        test = parser.get_doctest(block.text, namespace, block.id, str(block.path), block.line)
        test.globs = namespace
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, clear_globs=False)
        assert runner.failures == 0, f"{block.id}: a >>> example failed (see the output above)"
        return
    for step in block.steps:
        code, output = _run(step, sandbox)
        where = f"{block.path.name}:{step.line}: $ {step.command}"
        shows_error = step.expected is not None and any(
            line.startswith("Error:") for line in step.expected
        )
        if shows_error:
            assert code != 0, f"{where}\nshown failing, but exited 0:\n{output}"
        else:
            assert code == 0, f"{where}\nexited {code}:\n{output}"
        if step.expected is not None:
            assert output_matches(step.expected, output), (
                f"{where}\n--- shown ---\n"
                + "\n".join(step.expected)
                + f"\n--- printed ---\n{output}"
            )


@pytest.mark.parametrize(
    "page", [p for p in PAGES if _runnable(p)], ids=lambda p: str(p.relative_to(ROOT))
)
def test_page_examples_run_and_print_what_they_show(page: Path, sandbox: Path) -> None:
    namespace: dict[str, object] = {}
    for block in blocks_of(page):
        if not block.illustrative:
            _check(block, sandbox, namespace)


def test_the_readme_has_tested_examples() -> None:
    blocks = [b for b in blocks_of(ROOT / "README.md") if not b.illustrative]
    assert sum(len(b.steps) for b in blocks) >= 5


# -- the convention itself ----------------------------------------------------------------------


def test_blocks_steps_and_markers_are_read_as_documented(tmp_path: Path) -> None:
    page = tmp_path / "p.md"
    page.write_text(
        "text\n\n```console\n$ implicit-atlas a\nline one\n...\n$ implicit-atlas b\n```\n\n"
        "<!-- illustrative -->\n\n```sh\nimplicit-atlas build \\\n  --online\n```\n\n"
        "```sh\n# a comment\nmake atlas\n```\n\n```toml\nx = 1\n```\n"
    )
    a, b, c = blocks_of(page)
    assert [s.command for s in a.steps] == ["implicit-atlas a", "implicit-atlas b"]
    assert a.steps[0].expected == ["line one", "..."] and a.steps[1].expected == []
    assert b.illustrative and b.steps[0].command == "implicit-atlas build --online"
    assert not c.illustrative and [s.command for s in c.steps] == ["make atlas"]


@pytest.mark.parametrize(
    ("expected", "actual", "fits"),
    [
        (["a", "b"], "a\nb\n", True),
        (["a", "b"], "a\nb\nc\n", False),
        (["a", "..."], "a\nb\nc\n", True),
        (["...", "c"], "a\nb\nc\n", True),
        (["wrote ...: 3 papers"], "wrote x/y.html: 3 papers\n", True),
        (["wrote ...: 3 papers"], "wrote x/y.html: 4 papers\n", False),
        ([], "", True),
    ],
)
def test_output_matching(expected: list[str], actual: str, fits: bool) -> None:
    assert output_matches(expected, actual) is fits


@pytest.mark.parametrize(
    "command", ["make test", "pip install .", "python bench/bench_bib.py", "git clone x"]
)
def test_a_command_the_suite_must_not_run_asks_for_the_marker(command: str, tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="illustrative"):
        _run(Step(command, None, 1), tmp_path)


def test_the_readme_is_short_shows_the_map_first_and_says_how_to_get_on_the_path() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    assert len(lines) <= 250
    assert any("](docs/map.png)" in line for line in lines[:20]), "a picture on the first screen"
    for needed in ("make atlas", "make test", "source .venv/bin/activate", "pipx install .",
                   "pip install ."):  # fmt: skip
        assert needed in readme, needed
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "source $(VENV)/bin/activate" in makefile, "make atlas says how to get on the PATH"
