"""`implicit-atlas build`: curated list + field sample (+ Semantic Scholar) -> atlas/graph.json."""

from __future__ import annotations

import click

from .common import reports_errors


@click.command()
@click.option(
    "--curated",
    "curated_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Curated catalog (TOML). Default: the bundled data/curated.toml.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="atlas",
    show_default=True,
    help="Output folder; the graph is written to OUT/graph.json.",
)
@click.option(
    "--offline",
    is_flag=True,
    help="Use only the bundled data and the local cache; make no network request.",
)
@click.option(
    "--no-field-sample",
    is_flag=True,
    help="Leave the bundled field sample out (curated list and Semantic Scholar only).",
)
@reports_errors
def build(curated_path: str | None, out_dir: str, offline: bool, no_field_sample: bool) -> None:
    """Build the field's citation graph and write it to OUT/graph.json.

    \b
    Examples:
      implicit-atlas build                      # bundled data -> atlas/graph.json
      implicit-atlas build --offline --out /tmp/atlas
    """
    from implicit_atlas.graph.build import build_atlas, format_summary, write_atlas
    from implicit_atlas.graph.catalog import load_catalog

    catalog = load_catalog(curated_path)
    # --- S2 hook: the Semantic Scholar expansion step is added here (issue 3).
    click.echo(
        "offline: built from the curated list and the bundled field sample "
        "(no Semantic Scholar data).",
        err=True,
    )
    G = build_atlas(
        catalog,
        field_sample=not no_field_sample,
        offline=True,
        options={"offline": offline, "field_sample": not no_field_sample},
    )
    path = write_atlas(G, out_dir)
    click.echo(format_summary(G, path))
