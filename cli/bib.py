"""`implicit-atlas bib`: a BibTeX bibliography of the graph's papers that compiles as is."""

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


@click.command()
@graph_option
@out_option("output", help="Write here (default: stdout).")
@selection_options
@click.option(
    "--style",
    type=click.Choice(["bibtex", "biblatex"]),
    default="bibtex",
    show_default=True,
    help="biblatex writes software as @software; bibtex as @misc with \\url{...}.",
)
@click.option("--ascii", "ascii_only", is_flag=True, help='LaTeX-encode accents (M{\\"u}ller).')
@click.option("--no-notes", is_flag=True, help="Leave out curated notes (awards, orals).")
@click.option(
    "--preprint-as",
    type=click.Choice(["misc", "article"]),
    default="misc",
    show_default=True,
    help="Preprints as @misc, or as @article with journal = {arXiv preprint arXiv:...}.",
)
@click.option(
    "--keys-from",
    type=click.Path(dir_okay=False, exists=True),
    help="Your .bib file: papers you already cite keep your keys (matched by DOI/arXiv/title).",
)
@verbosity_options
@reports_errors
def bib(
    graph_path: str,
    output: str | None,
    style: str,
    ascii_only: bool,
    no_notes: bool,
    preprint_as: str,
    keys_from: str | None,
    **selection: object,
) -> None:
    """Write a BibTeX bibliography of the graph's papers (curated list by default).

    \b
    Examples:
      implicit-atlas bib -o refs.bib
      implicit-atlas bib --scope all --year-from 2020 --min-citations 50 -o refs.bib
      implicit-atlas bib --section "Deep Equilibrium Networks" --ascii
      implicit-atlas bib --related-to 1909.01377 --top 15 --keys-from paper.bib -o refs.bib
    """
    from implicit_atlas.graph.bibtex import write_bibliography

    refuse_to_overwrite_graph(graph_path, output)
    G = load_graph_or_fail(graph_path, edges="light")
    bib = write_bibliography(
        G,
        output,
        selection=selection_from("curated", **selection),  # type: ignore[arg-type]
        style=style,
        ascii_only=ascii_only,
        notes=not no_notes,
        preprint_as=preprint_as,
        keys_from=keys_from,
    )
    count = len(bib.entry_of_key)
    say = verbosity()
    if output is None:
        click.echo(bib.text(), nl=False)
        say.note(f"{count} entries")
    elif not say.quiet:
        click.echo(f"wrote {count} entries to {output}")
    if bib.untitled:
        click.echo(
            f"warning: {len(bib.untitled)} paper(s) with no title in any version left out "
            f"(e.g. {bib.untitled[0]}); rebuild online to fetch their metadata",
            err=True,
        )
    if count == 0:
        say.note("warning: the selection matched no paper; widen --scope or the filters")
