"""Entry point: one click group whose subcommands live in their own modules.

Subcommands are imported only when used, so `implicit-atlas --help` stays fast and a heavy
dependency of one command (pyvis, scipy) never slows another.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from typing import IO, Any

import click
from click.exceptions import NoArgsIsHelpError

# command name -> (module under implicit_atlas.cli, attribute, one-line help)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "build": (
        "build",
        "build",
        "Build the field's citation graph and write it to the output folder.",
    ),
    "curate": (
        "curate",
        "curate",
        "Import an awesome list into the catalog; propose additions to it.",
    ),
    "bib": ("bib", "bib", "Write a BibTeX bibliography of the graph's papers."),
    "export": (
        "export",
        "export",
        "Export the graph for other tools (GraphML, GEXF, CSL-JSON, RIS...).",
    ),
    "map": ("map_cmd", "map_cmd", "Render an interactive HTML map of the field."),
    "related": ("related", "related", "Find papers related to one or more papers, with evidence."),
    "suggest": ("related", "suggest", "Papers missing from the curated list, ranked, as Markdown."),
    "path": ("related", "path", "Shortest citation paths between two papers."),
    "diff": (
        "diff",
        "diff",
        "What changed between two builds: papers, citations, counts, curated entries.",
    ),
    "lineage": (
        "related",
        "lineage",
        "Prior and derivative works of papers: what they cite and what cites them most.",
    ),
}


class OneLineUsageError(click.UsageError):
    """A usage error shown as one line with a pointer to --help, like every other error."""

    def show(self, file: IO[Any] | None = None) -> None:
        hint = f"; see `{self.ctx.command_path} --help`" if self.ctx else ""
        click.echo(f"Error: {self.format_message().rstrip('.')}{hint}", err=True, file=file)


@contextlib.contextmanager
def one_line_usage_errors() -> Iterator[None]:
    try:
        yield
    except (OneLineUsageError, NoArgsIsHelpError):
        raise  # a bare `implicit-atlas` or `implicit-atlas curate` shows the help, as usual
    except click.UsageError as exc:
        raise OneLineUsageError(exc.format_message(), exc.ctx) from exc


class LazyGroup(click.Group):
    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        with one_line_usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with one_line_usage_errors():
            return super().invoke(ctx)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attr, _ = COMMANDS[cmd_name]
        module = importlib.import_module(f"implicit_atlas.cli.{module_name}")
        command: click.Command = getattr(module, attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, help_text) for name, (_, _, help_text) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup)
@click.version_option(package_name="implicit-atlas")
def cli() -> None:
    """implicit-atlas: map the field of implicit deep learning.

    Start with `implicit-atlas build` (works offline from the bundled data), then `map`,
    `bib`, `related`, `suggest`, `path`, `lineage` and `export` read the graph it wrote.

    Every command: -o/--out where it writes, --graph what it reads, -q only the result,
    -v the details. Exit codes: 0 done, 1 bad input, 2 usage, 130 interrupted.
    """


if __name__ == "__main__":
    cli()
