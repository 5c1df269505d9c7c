"""`implicit-atlas curate`: keep data/curated.toml in step with an awesome list."""

from __future__ import annotations

import click

from .common import reports_errors, verbosity, verbosity_options


@click.group()
def curate() -> None:
    """Manage the curated list (data/curated.toml)."""


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

    Headings become sections, list items entries, links identifiers (arXiv, DOI, GitHub,
    NeurIPS/PMLR/OpenReview pages). Hand edits in the catalog are never overwritten.

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
