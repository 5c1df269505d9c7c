"""`implicit-atlas related`, `suggest` and `path`: neighbours, gaps in the list, connections."""

from __future__ import annotations

import contextlib
import json
from typing import Any

import click

from .common import (
    HiddenAliasOption,
    bib_seeds,
    graph_option,
    load_graph_or_fail,
    out_option,
    refuse_to_overwrite_graph,
    reports_errors,
    s2_connection_options,
    seed_options,
    verbosity,
    verbosity_options,
)

SIGNAL_CHOICES = "cocitation, coupling, citation, pagerank, text, embedding"


@click.command()
@seed_options
@click.option(
    "--top", "-k", type=click.IntRange(min=1), default=20, show_default=True, help="Papers to list."
)
@click.option("--exclude-curated", is_flag=True, help="Leave papers already in the list out.")
@click.option(
    "--have",
    "have_path",
    type=click.Path(dir_okay=False),
    help="Your .bib file: mark the papers it already has (matched by DOI, arXiv id, title); "
    "--bib then keeps your keys for them.",
)
@click.option(
    "--missing-only",
    is_flag=True,
    help="With --have: list only papers your .bib does not have yet.",
)
@click.option("--year-from", type=int, help="Only papers published in or after this year.")
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(["paper", "thesis", "book", "misc", "tutorial"]),
    help="Kinds of work to list (repeatable; default: paper and thesis, so textbooks and "
    "unclassified references cited for their mass stay out; a note says how many).",
)
@click.option(
    "--signals",
    default=None,
    metavar="LIST",
    help=f"Comma-separated signals to fuse, of: {SIGNAL_CHOICES} [default: all; embedding "
    "when GRAPH's folder holds embeddings.npz from `build --embeddings`].",
)
@click.option("--explain", is_flag=True, help="Show the evidence under each paper.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--bib", "as_bib", is_flag=True, help="Print the results as BibTeX.")
@click.option(
    "--s2",
    type=click.Choice(["off", "cached", "online"]),
    default="off",
    show_default=True,
    help="Add Semantic Scholar recommendations as a signal: from the cache only, or fetched.",
)
@s2_connection_options
@graph_option
@verbosity_options
@reports_errors
def related(
    queries: tuple[str, ...],
    section: str | None,
    curated: bool,
    top: int,
    exclude_curated: bool,
    have_path: str | None,
    from_bib_path: str | None,
    missing_only: bool,
    year_from: int | None,
    types: tuple[str, ...],
    signals: str | None,
    explain: bool,
    as_json: bool,
    as_bib: bool,
    s2: str,
    api_url: str | None,
    api_key: str | None,
    cache_dir: str | None,
    rps: float | None,
    graph_path: str,
) -> None:
    """Papers related to QUERIES (ids, URLs or title fragments), ranked, with evidence.

    \b
    Examples:
      implicit-atlas related "Deep Equilibrium Models" --explain
      implicit-atlas related 1909.01377 https://arxiv.org/abs/2006.08591 --top 10
      implicit-atlas related --section "Optimization Layers" --exclude-curated --json
      implicit-atlas related OptNet --s2 online --top 10
      implicit-atlas related --section "Deep Equilibrium" --have paper.bib --missing-only
      implicit-atlas related --from-bib paper.bib --have paper.bib --missing-only
      implicit-atlas related OptNet --type paper --type thesis --type book
    """
    from implicit_atlas.graph.embeddings import embeddings_path, load_embeddings
    from implicit_atlas.graph.related import DEFAULT_TYPES, find_related, papers_in_bib
    from implicit_atlas.graph.related_format import format_related, related_to_json

    if as_json and as_bib:
        raise click.UsageError("choose one of --json and --bib")
    if missing_only and not have_path:
        raise click.UsageError("--missing-only needs --have FILE.bib (the papers you have)")
    G = load_graph_or_fail(graph_path, edges="light")
    have = papers_in_bib(G, have_path) if have_path else None
    from_bib = bib_seeds(G, from_bib_path, have_path=have_path, have=have)
    options: dict[str, Any] = {
        "top": top,
        "exclude_curated": exclude_curated,
        "year_from": year_from,
        "exclude": list(have or {}) if missing_only else [],
        "types": types or DEFAULT_TYPES,
        "signals": None
        if signals is None
        else [s.strip() for s in signals.split(",") if s.strip()],
    }
    vectors = embeddings_path(graph_path)
    if vectors.exists() and (signals is None or "embedding" in options["signals"]):
        options["embeddings"] = load_embeddings(vectors)
    with contextlib.ExitStack() as stack:
        if s2 != "off":
            from implicit_atlas.graph.related import s2_recommender

            recommender = s2_recommender(
                online=s2 == "online",
                api_url=api_url,
                api_key=api_key or None,
                cache_dir=cache_dir,
                rps=rps,
            )
            options["recommender"] = stack.enter_context(recommender)
        result = find_related(
            G, queries, section=section, curated=curated, from_bib=from_bib, **options
        )
    if have is not None:
        result.notes.append(
            f"--have {have_path}: {len(set(have.values()))} of its entries are papers of this graph"
            + (", left out of the ranking" if missing_only else ", marked in the list")
        )
    for note in result.notes:
        verbosity().note(f"note: {note}")
    if as_json:
        data = related_to_json(G, result, explain_evidence=explain, have=have)
        click.echo(json.dumps(data, indent=1))
    elif as_bib:
        from implicit_atlas.graph.bibtex import ranked_bibtex_text

        keys = [p.key for p in result.papers]
        click.echo(ranked_bibtex_text(G, keys, keys_from=have_path), nl=False)
    else:
        click.echo(format_related(G, result, explain_evidence=explain, have=have), nl=False)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "table", "json"]),
    default="markdown",
    show_default=True,
    help="Awesome-list bullets grouped by section, a text table, or JSON.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: the same as --format json.")
@click.option(
    "--top", "-k", type=click.IntRange(min=1), default=30, show_default=True, help="Papers to list."
)
@click.option("--section", help="Only suggestions voted into this section.")
@click.option(
    "--min-score", type=float, default=0.0, show_default=True, help="Drop weaker suggestions."
)
@click.option(
    "--type",
    "types",
    multiple=True,
    type=click.Choice(["paper", "thesis", "book", "misc", "tutorial"]),
    help="Kinds of work to suggest (repeatable; default: paper and thesis, so textbooks "
    "the field cites are not proposed for its list).",
)
@out_option("out_path", help="Write to this file (atomically) instead of printing.")
@graph_option
@verbosity_options
@reports_errors
def suggest(
    fmt: str,
    as_json: bool,
    top: int,
    section: str | None,
    min_score: float,
    types: tuple[str, ...],
    out_path: str | None,
    graph_path: str,
) -> None:
    """Papers missing from the curated list, ranked, with section vote and evidence.

    Also lists possible duplicates in the list and entries that look misfiled.

    \b
    Examples:
      implicit-atlas suggest > missing.md
      implicit-atlas suggest --format table --top 10
      implicit-atlas suggest --section "Deep Equilibrium" -o deq-additions.md
    """
    from implicit_atlas.graph.suggest import (
        SUGGESTED_TYPES,
        format_markdown,
        format_table,
        report_to_json,
        suggest_for_list,
    )

    if as_json:
        fmt = "json"
    refuse_to_overwrite_graph(graph_path, out_path)
    G = load_graph_or_fail(graph_path, edges="light")
    report = suggest_for_list(
        G, top=top, section=section, min_score=min_score, types=types or SUGGESTED_TYPES
    )
    for note in report.notes:
        verbosity().note(f"note: {note}")
    if fmt == "json":
        text = json.dumps(report_to_json(G, report), indent=1) + "\n"
    elif fmt == "table":
        text = format_table(G, report)
    else:
        text = format_markdown(G, report)
    if out_path:
        from implicit_atlas.graph.graphio import atomic_write_text

        atomic_write_text(out_path, text, make_parents=False)
        verbosity().note(f"wrote {len(report.suggestions)} suggestions to {out_path}")
    else:
        click.echo(text, nl=False)


@click.command()
@click.argument("first")
@click.argument("second")
@click.option(
    "--top",
    "-k",
    "max_paths",
    cls=HiddenAliasOption,
    hidden_aliases=("--max-paths",),
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Paths to show.",
)
@click.option(
    "--extra-hops",
    type=click.IntRange(min=0, max=3),
    default=0,
    show_default=True,
    help="Also show paths up to this many steps longer than the shortest.",
)
@click.option("--directed", is_flag=True, help="Only chains where each paper cites the next.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@graph_option
@verbosity_options
@reports_errors
def path(
    first: str,
    second: str,
    max_paths: int,
    extra_hops: int,
    directed: bool,
    as_json: bool,
    graph_path: str,
) -> None:
    """Shortest citation paths between FIRST and SECOND (ids, URLs or title fragments).

    \b
    Examples:
      implicit-atlas path OptNet "Deep Equilibrium Models"
      implicit-atlas path 1703.00443 1909.01377 --extra-hops 1 --top 10
    """
    from implicit_atlas.graph.paths import find_citation_paths, format_paths, paths_to_json

    G = load_graph_or_fail(graph_path, edges="light")
    paths = find_citation_paths(
        G, first, second, max_paths=max_paths, extra_hops=extra_hops, directed=directed
    )
    if as_json:
        click.echo(json.dumps(paths_to_json(G, paths), indent=1))
    else:
        click.echo(format_paths(G, paths), nl=False)


@click.command()
@seed_options
@click.option(
    "--top", "-k", type=click.IntRange(min=1), default=15, show_default=True,
    help="Papers in each list.",
)  # fmt: skip
@click.option("--exclude-curated", is_flag=True, help="Leave papers already in the list out.")
@click.option("--year-from", type=int, help="Only papers published in or after this year.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")
@click.option("--bib", "as_bib", is_flag=True, help="Print both lists as BibTeX.")
@graph_option
@verbosity_options
@reports_errors
def lineage(
    queries: tuple[str, ...],
    section: str | None,
    curated: bool,
    from_bib_path: str | None,
    top: int,
    exclude_curated: bool,
    year_from: int | None,
    as_json: bool,
    as_bib: bool,
    graph_path: str,
) -> None:
    """Prior works (cited by the most seeds) and derivative works (citing the most seeds).

    \b
    Examples:
      implicit-atlas lineage "Deep Equilibrium Models"
      implicit-atlas lineage --section "Optimization Layers" --exclude-curated
      implicit-atlas lineage --from-bib paper.bib --year-from 2021 --json
    """
    from implicit_atlas.graph.lineage import format_lineage, lineage_to_json
    from implicit_atlas.graph.lineage import lineage as find_lineage
    from implicit_atlas.graph.related import seed_papers

    if as_json and as_bib:
        raise click.UsageError("choose one of --json and --bib")
    G = load_graph_or_fail(graph_path, edges="light")
    from_bib = bib_seeds(G, from_bib_path)
    seeds = seed_papers(G, queries, section=section, curated=curated, from_bib=from_bib)
    result = find_lineage(G, seeds, top=top, exclude_curated=exclude_curated, year_from=year_from)
    for note in result.notes:
        verbosity().note(f"note: {note}")
    if as_json:
        click.echo(json.dumps(lineage_to_json(G, result), indent=1))
    elif as_bib:
        from implicit_atlas.graph.bibtex import bibtex_text

        keys = list(dict.fromkeys(w.key for w in (*result.prior, *result.derivative)))
        click.echo(bibtex_text(G, keys), nl=False)
    else:
        click.echo(format_lineage(G, result), nl=False)
