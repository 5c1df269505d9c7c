"""`implicit-atlas bib`: a BibTeX bibliography of the graph's papers that compiles as is."""

from __future__ import annotations

import click

from .common import graph_option, load_graph_or_fail, reports_errors


def selection_options(f):  # type: ignore[no-untyped-def]
    """The scope options `bib` and `export` share (see graph/selection.py)."""
    options = [
        click.option(
            "--scope",
            type=click.Choice(["curated", "all"]),
            default=None,
            help="Curated list entries only, or every node of the graph.",
        ),
        click.option(
            "--section",
            "sections",
            multiple=True,
            metavar="NAME",
            help="Only this curated section (repeatable).",
        ),
        click.option(
            "--ids",
            "ids_file",
            type=click.Path(dir_okay=False, exists=True),
            help="File with one paper id per line (arXiv id, DOI, node key, curated key...).",
        ),
        click.option(
            "--related-to",
            "related_to",
            multiple=True,
            metavar="ID",
            help="A paper and the --top papers related to it (repeatable: several seeds).",
        ),
        click.option("--top", type=click.IntRange(min=1), default=20, show_default=True),
        click.option("--year-from", type=int, help="Only papers from this year on."),
        click.option("--year-to", type=int, help="Only papers up to this year."),
        click.option(
            "--min-citations", type=click.IntRange(min=0), help="Only papers cited this often."
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def selection_from(
    default_scope: str,
    scope: str | None,
    sections: tuple[str, ...],
    ids_file: str | None,
    related_to: tuple[str, ...],
    top: int,
    year_from: int | None,
    year_to: int | None,
    min_citations: int | None,
) -> dict[str, object]:
    """The keyword arguments of select_nodes for the shared options."""
    return {
        "scope": scope or default_scope,
        "sections": sections,
        "ids_file": ids_file,
        "related_to": related_to,
        "top": top,
        "year_from": year_from,
        "year_to": year_to,
        "min_citations": min_citations,
    }


@click.command()
@graph_option
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here (default: stdout)."
)
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

    G = load_graph_or_fail(graph_path)
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
    if output is None:
        click.echo(bib.text(), nl=False)
        click.echo(f"{count} entries", err=True)
    else:
        click.echo(f"wrote {count} entries to {output}")
    if count == 0:
        click.echo(
            "warning: the selection matched no paper; widen --scope or the filters", err=True
        )
