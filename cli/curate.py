"""`implicit-atlas curate`: keep data/curated.toml in step with an awesome list."""

from __future__ import annotations

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


@click.group()
def curate() -> None:
    """Manage the curated list: import an awesome list, propose additions to it."""


@curate.command("import")
@click.argument("markdown", type=click.Path(dir_okay=False))
@click.option(
    "--into",
    type=click.Path(dir_okay=False),
    default=None,
    help="Catalog to merge into. Default: curated.toml in the current folder, started as a "
    "copy of the bundled list (the installed package is never written to).",
)
@click.option("--dry-run", is_flag=True, help="Show the diff; write nothing.")
@verbosity_options
@reports_errors
def import_cmd(markdown: str, into: str | None, dry_run: bool) -> None:
    """Merge an awesome-list Markdown file into the curated catalog.

    Only list items are entries; intro text, quotes, notes, badges, HTML and comments are
    reported as skipped, with their lines. The headings the list's table of contents links
    to are the sections, deeper headings the subsection. Under a software heading an item's
    code span or first word is its name, the rest its description; talks are titled by their
    emphasised part. Links become identifiers (arXiv, DOI, GitHub, NeurIPS/PMLR/OpenReview
    pages) or further links (repo, docs, website, video). Hand edits in the catalog are never
    overwritten. See docs/curate.md.

    \b
    Examples:
      implicit-atlas curate import awesome.md --dry-run     # into ./curated.toml
      implicit-atlas curate import awesome.md --into data/curated.toml   # a checkout's list
    """
    from implicit_atlas.graph.curate import format_import_report, import_awesome_list

    report = import_awesome_list(markdown, into=into, dry_run=dry_run)
    if dry_run and report.diff:
        click.echo(report.diff)
    click.echo(format_import_report(report))
    if into is None and report.written:
        verbosity().note(f"build from it with: implicit-atlas build --curated {report.target}")


@curate.command("propose")
@click.argument("markdown", type=click.Path(dir_okay=False, exists=True))
@graph_option
@click.option(
    "--top", type=click.IntRange(min=1), default=5, show_default=True, help="Bullets to add."
)
@click.option(
    "--min-score", type=float, default=0.0, show_default=True, help="Leave weaker papers out."
)
@out_option(
    "out_path", help="Write the list with the bullets here. Default: edit MARKDOWN in place."
)
@click.option(
    "--body",
    "body_path",
    type=click.Path(dir_okay=False),
    help="Also write a pull request text: each bullet with its evidence.",
)
@click.option(
    "--changes",
    "changes_path",
    type=click.Path(dir_okay=False, exists=True),
    help="Markdown to append to the pull request text, e.g. from `implicit-atlas diff`.",
)
@verbosity_options
@reports_errors
def propose_cmd(
    markdown: str,
    graph_path: str,
    top: int,
    min_score: float,
    out_path: str | None,
    body_path: str | None,
    changes_path: str | None,
) -> None:
    """Add the strongest suggestions to an awesome list, written in the list's own format.

    Each bullet goes at the end of the section it was voted into, written like that
    section's entries; --body writes the evidence for a pull request. The graph must be
    built from this list (`curate import` then `build --curated`).

    \b
    Example:
      implicit-atlas curate propose README.md --graph atlas/graph.json --top 5 --body pr.md
    """
    from pathlib import Path

    from implicit_atlas.graph.graphio import atomic_write_text
    from implicit_atlas.graph.propose import format_pr_body, propose_additions

    refuse_to_overwrite_graph(graph_path, out_path or markdown)
    G = load_graph_or_fail(graph_path)
    text = Path(markdown).read_text(encoding="utf-8-sig")
    proposal = propose_additions(text, G, top=top, min_score=min_score)
    changes = Path(changes_path).read_text(encoding="utf-8") if changes_path else None
    target = out_path or markdown
    if proposal.text != text or out_path:
        atomic_write_text(target, proposal.text, make_parents=False)
    if body_path:
        atomic_write_text(body_path, format_pr_body(G, proposal, changes), make_parents=False)
    for suggestion, bullet in proposal.added:
        click.echo(f"added to {suggestion.section}: {bullet.strip()}")
    click.echo(f"{len(proposal.added)} bullets added to {target}")
