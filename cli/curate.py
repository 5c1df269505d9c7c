"""`implicit-atlas curate`: keep data/curated.toml in step with an awesome list."""

from __future__ import annotations

import click

from .common import reports_errors


@click.group()
def curate() -> None:
    """Manage the curated list (data/curated.toml)."""


@curate.command("import")
@click.argument("markdown", type=click.Path(dir_okay=False))
@click.option(
    "--into",
    type=click.Path(dir_okay=False),
    default=None,
    help="Catalog to merge into. Default: the bundled data/curated.toml.",
)
@click.option("--dry-run", is_flag=True, help="Show the diff; write nothing.")
@reports_errors
def import_cmd(markdown: str, into: str | None, dry_run: bool) -> None:
    """Merge an awesome-list Markdown file into the curated catalog.

    Headings become sections, list items entries, links identifiers (arXiv, DOI, GitHub,
    NeurIPS/PMLR/OpenReview pages). Hand edits in the catalog are never overwritten.

    \b
    Example:
      implicit-atlas curate import awesome.md --into data/curated.toml --dry-run
    """
    from implicit_atlas.graph.curate import format_import_report, import_awesome_list

    report = import_awesome_list(markdown, into=into, dry_run=dry_run)
    if dry_run and report.diff:
        click.echo(report.diff)
    click.echo(format_import_report(report))
