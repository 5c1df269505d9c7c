"""`implicit-atlas export`: the graph for Gephi, Cytoscape, Zotero, spreadsheets and the README."""

from __future__ import annotations

import click

from .common import (
    graph_option,
    load_graph_or_fail,
    out_option,
    refuse_to_overwrite_graph,
    reports_errors,
    selection_from,
    selection_options,
    verbosity,
    verbosity_options,
)

FORMATS = ("graphml", "gexf", "csl-json", "ris", "csv", "json", "markdown")


@click.command()
@graph_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="Output format.")
@out_option(
    "output",
    type=click.Path(),
    required=True,
    help="Output file (for csv: a folder that gets nodes.csv and edges.csv).",
)
@selection_options
@click.option(
    "--title",
    default="Awesome Implicit Deep Learning",
    show_default=True,
    help="Heading of the markdown list.",
)
@click.option(
    "--raw-csv",
    is_flag=True,
    help="csv: write text cells as they are, without the ' that stops a spreadsheet "
    "from running a cell starting with = + - @ as a formula.",
)
@verbosity_options
@reports_errors
def export(
    graph_path: str, fmt: str, output: str, title: str, raw_csv: bool, **selection: object
) -> None:
    """Export the graph (every node by default) for other tools.

    Graph formats keep the edges between the exported nodes. markdown regenerates the
    curated awesome list from data/curated.toml and the graph (only --section applies).

    \b
    Examples:
      implicit-atlas export --format gexf -o atlas/atlas.gexf
      implicit-atlas export --format graphml --scope curated -o curated.graphml
      implicit-atlas export --format csl-json --year-from 2020 -o refs.json
      implicit-atlas export --format csv -o atlas/csv
      implicit-atlas export --format markdown -o README.md
    """
    from implicit_atlas.graph.exports import write_export

    refuse_to_overwrite_graph(graph_path, output)
    G = load_graph_or_fail(graph_path)
    if raw_csv and fmt != "csv":
        raise click.UsageError("--raw-csv applies to --format csv only")
    options: dict[str, object] = {}
    if fmt == "markdown":
        options = {"sections": selection["sections"], "title": title}
    if fmt == "csv":
        options = {"formula_guard": not raw_csv}
    paths = write_export(
        G,
        fmt,
        output,
        selection=selection_from("all", **selection),  # type: ignore[arg-type]
        **options,
    )
    if not verbosity().quiet:
        for path in paths:
            click.echo(f"wrote {path}")
