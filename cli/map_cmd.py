"""`implicit-atlas map`: write the interactive HTML map (and optionally a PNG of it)."""

from __future__ import annotations

from pathlib import Path

import click

from .common import (
    graph_option,
    load_graph_or_fail,
    out_option,
    refuse_to_overwrite_graph,
    reports_errors,
    verbosity,
    verbosity_options,
)


@click.command("map")
@graph_option
@out_option(
    "out",
    default=None,
    help="HTML file to write; its folder must exist.  [default: map.html beside the graph file]",
)
@click.option(
    "--section",
    default=None,
    help="Only this curated section (name or a unique part of it) and the papers linked to it.",
)
@click.option(
    "--focus",
    default=None,
    help="Centre the map on one paper: any id or URL the tool prints, or title words.",
)
@click.option(
    "--hops",
    default=1,
    show_default=True,
    type=click.IntRange(min=0),
    help="With --focus: how many links away from the paper to go.",
)
@click.option(
    "--layout",
    type=click.Choice(["force", "timeline"]),
    default="force",
    show_default=True,
    help="force: linked papers close together; timeline: x = year, one band per section.",
)
@click.option(
    "--size",
    "size_measure",
    type=click.Choice(["citations", "pagerank", "degree"]),
    default="citations",
    show_default=True,
    help="What node size shows.",
)
@click.option(
    "--max-nodes",
    default=1500,
    show_default=True,
    type=click.IntRange(min=1),
    help="Keep at most this many papers: curated first, then by PageRank.",
)
@click.option(
    "--similar-to",
    "similar_to",
    multiple=True,
    help="Similarity view: the papers most related to this paper (repeat for several seeds), "
    "linked by co-citation and coupling, with their prior and derivative works.",
)
@click.option(
    "--top",
    default=40,
    show_default=True,
    type=click.IntRange(min=1),
    help="With --similar-to: how many related papers to show.",
)
@click.option(
    "--color",
    "colour",
    type=click.Choice(["section", "community", "year"]),
    default=None,
    help="Node colour: curated section, detected community (named clusters) or year.  "
    "[default: section; year with --similar-to]",
)
@click.option("--title", default=None, help="Page title.  [default: names the view]")
@click.option(
    "--png",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write a PNG screenshot of the map (needs Chromium); its folder must exist.",
)
@verbosity_options
@reports_errors
def map_cmd(
    graph_path: str,
    out: str | None,
    section: str | None,
    focus: str | None,
    hops: int,
    layout: str,
    size_measure: str,
    max_nodes: int,
    similar_to: tuple[str, ...],
    top: int,
    colour: str | None,
    title: str | None,
    png: str | None,
) -> None:
    """Render an interactive HTML map of the field: one file that works offline.

    \b
    Examples:
      implicit-atlas map
      implicit-atlas map --section "Deep Equilibrium" -o deq.html
      implicit-atlas map --focus 1806.07366 --hops 2
      implicit-atlas map --layout timeline
      implicit-atlas map --similar-to 1806.07366
      implicit-atlas map --color community
    """
    from implicit_atlas.graph.htmlmap import MapOptions, write_map

    refuse_to_overwrite_graph(graph_path, out)
    refuse_to_overwrite_graph(graph_path, png)
    G = load_graph_or_fail(graph_path, edges="light")
    target = Path(out) if out else Path(graph_path).parent / "map.html"
    options = MapOptions(
        section=section,
        focus=focus,
        hops=hops,
        layout=layout,
        size=size_measure,
        max_nodes=max_nodes,
        title=title,
        color=colour,
        similar_to=tuple(similar_to),
        top=top,
    )
    result = write_map(G, target, options, png=png)
    if verbosity().quiet:
        return
    physics = "physics on" if result.physics else "precomputed positions, physics off"
    click.echo(
        f"wrote {result.path}: {result.nodes} papers, {result.edges} links "
        f"({result.view}; {physics})"
    )
    if result.left_out:
        click.echo(
            f"left out {result.left_out} less central papers of this view "
            "(curated papers are kept first); raise --max-nodes to show them"
        )
    for note in result.notes:
        click.echo(f"note: {note}")
    if result.png is not None:
        click.echo(f"wrote {result.png}")
