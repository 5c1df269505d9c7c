"""Finding and running the command examples of README.md and docs/*.md (see docs/design.md,
"Examples that are tested"). Kept apart from the test so the convention has one definition.

A fenced block is run according to its info string:

- ``console``: lines starting with ``$ `` are commands; the lines after one, up to the next
  ``$ ``, are its expected output. A line ``...`` stands for any number of lines, and ``...``
  inside a line for any text; trailing spaces are ignored. Lines not shown are not checked only
  where ``...`` says so: otherwise the output must match line for line.
- ``sh``: every command must exit 0; its output is not checked.
- ``pycon``: ``>>>`` examples, run as doctests.

A block preceded by the line ``<!-- illustrative -->`` (blank lines between allowed) is shown but
not run: it needs the network, an API key or files of your own. Other info strings (``text``,
``toml``, ``bibtex``, ``python``) are never run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

RUN_KINDS = ("console", "sh", "pycon")
ILLUSTRATIVE = "<!-- illustrative -->"
_FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w-]*)")


@dataclass
class Step:
    command: str
    expected: list[str] | None  # None: not checked
    line: int


@dataclass
class Block:
    path: Path
    line: int
    kind: str
    text: str
    illustrative: bool
    steps: list[Step] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.path.name}:{self.line}"


def blocks_of(path: Path) -> list[Block]:
    """Every fenced block of a runnable kind in a Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, kind = m.group(2), m.group(3).lower()
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i][len(m.group(1)) :])
            i += 1
        i += 1
        if kind not in RUN_KINDS:
            continue
        before = start - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        illustrative = before >= 0 and lines[before].strip() == ILLUSTRATIVE
        block = Block(path, start + 1, kind, "\n".join(body) + "\n", illustrative)
        block.steps = _steps(block, body)
        found.append(block)
    return found


def _steps(block: Block, body: list[str]) -> list[Step]:
    steps: list[Step] = []
    if block.kind == "console":
        for n, text in enumerate(body):
            if text.startswith("$ "):
                steps.append(Step(text[2:].strip(), [], block.line + 1 + n))
            elif steps and steps[-1].expected is not None:
                steps[-1].expected.append(text)
        for step in steps:
            while step.expected and not step.expected[-1].strip():
                step.expected.pop()
    elif block.kind == "sh":
        command = ""
        for n, text in enumerate(body):
            stripped = text.strip()
            if not command and (not stripped or stripped.startswith("#")):
                continue
            command += stripped[:-1].rstrip() + " " if stripped.endswith("\\") else stripped
            if not stripped.endswith("\\"):
                steps.append(Step(command.strip(), None, block.line + 1 + n))
                command = ""
    return steps


def output_matches(expected: list[str], actual: str) -> bool:
    """Whether `actual` fits the shown output (``...`` lines and ``...`` within lines)."""
    pattern = []
    for line in expected:
        line = line.rstrip()
        if line == "...":
            pattern.append(r"(?:[^\n]*\n)*?")
        else:
            parts = [re.escape(p) for p in line.split("...")]
            pattern.append(r"[^\n]*".join(parts) + r"[ \t]*\n")
    text = "\n".join(x.rstrip() for x in actual.rstrip("\n").splitlines()) + "\n"
    if not expected:
        return text.strip() == ""
    return re.fullmatch("".join(pattern), text) is not None
