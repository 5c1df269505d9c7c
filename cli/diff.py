"""`implicit-atlas diff`: what changed between two builds (graph files)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import load_graph_or_fail, out_option, reports_errors, verbosity, verbosity_options


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown for a pull request or issue, or JSON with every change.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: the same as --format json.")
@click.option(
    "--top",
    "-k",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Markdown: lines per kind of change (largest citation moves first).",
)
@click.option(
    "--min-delta",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Report a citation count only when it moved by at least this much.",
)
@out_option("out_path", help="Write to this file (atomically) instead of printing.")
@verbosity_options
@reports_errors
def diff(
    old: str,
    new: str,
    fmt: str,
    as_json: bool,
    top: int,
    min_delta: int,
    out_path: str | None,
) -> None:
    """Compare two builds: papers and citation links added and removed, citation counts
    that moved, curated entries whose data changed.

    \b
    Example:
      implicit-atlas diff last/graph.json atlas/graph.json --format markdown -o changes.md
    """
    from implicit_atlas.graph.diff import diff_graphs, diff_to_json, format_diff_markdown
    from implicit_atlas.graph.graphio import atomic_write_text

    if out_path and Path(out_path).resolve() in {Path(old).resolve(), Path(new).resolve()}:
        raise click.UsageError(f"--out {out_path} is one of the graphs being compared")
    if as_json:
        fmt = "json"
    G_old, G_new = load_graph_or_fail(old), load_graph_or_fail(new)
    d = diff_graphs(G_old, G_new, min_delta=min_delta)
    if fmt == "json":
        text = json.dumps(diff_to_json(d), indent=1, ensure_ascii=False) + "\n"
    else:
        text = format_diff_markdown(d, G_old, G_new, top=top)
    if out_path:
        atomic_write_text(out_path, text, make_parents=False)
        verbosity().note(f"wrote {out_path}")
    else:
        click.echo(text, nl=False)
