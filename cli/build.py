"""`implicit-atlas build`: curated list + field sample (+ Semantic Scholar) -> atlas/graph.atlas."""

from __future__ import annotations

import click

from .common import out_option, reports_errors, s2_connection_options, verbosity, verbosity_options

UNREACHABLE = "{service} unreachable: built from the bundled data and the cache"
KEY_REFUSED = "{service} refused the API key: built from the bundled data and the cache; {hint}"
KEY_HINTS = {
    "Semantic Scholar": "check S2_API_KEY / --api-key",
    "OpenAlex": "check OPENALEX_API_KEY / --openalex-key",
}


def one_line(note: str) -> str:
    """The one line a build prints (without -v) when a source goes away mid-build: which
    source, and whether it was the network or the key."""
    service = next((name for name in KEY_HINTS if note.startswith(name)), "A source")
    if note.startswith(f"{service} refused"):
        return KEY_REFUSED.format(service=service, hint=KEY_HINTS.get(service, "check the key"))
    return UNREACHABLE.format(service=service)


@click.command()
@click.option(
    "--curated",
    "curated_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Curated catalog (TOML). Default: the bundled data/curated.toml.",
)
@out_option(
    "out_dir",
    type=click.Path(file_okay=False),
    default="atlas",
    show_default=True,
    help="Output folder; the graph is written to OUT/graph.atlas (+ OUT/graph.store/).",
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
@s2_connection_options
@click.option(
    "--refresh",
    is_flag=True,
    help=(
        "Fetch again everything cached before this refresh began "
        "(an interrupted --refresh is resumed)."
    ),
)
@click.option(
    "--max-age",
    "max_age_days",
    type=click.FloatRange(min=0),
    default=None,
    metavar="DAYS",
    help="Fetch again cached responses older than DAYS days.",
)
@click.option(
    "--direction",
    type=click.Choice(["references", "citations", "both"]),
    default="both",
    show_default=True,
    help="Which lists of the curated papers to expand.",
)
@click.option(
    "--depth",
    type=click.IntRange(1, 2),
    default=1,
    show_default=True,
    help="1: the curated papers' references/citations; 2: also their neighbours' references.",
)
@click.option(
    "--min-citations",
    type=click.IntRange(min=0),
    default=None,
    help="Add only papers cited at least N times.",
)
@click.option("--year-from", type=int, default=None, help="Add only papers from this year on.")
@click.option("--year-to", type=int, default=None, help="Add only papers up to this year.")
@click.option("--influential-only", is_flag=True, help="Keep only citations S2 marks influential.")
@click.option(
    "--max-per-paper",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Add at most the N most cited new neighbours of each paper (per direction).",
)
@click.option(
    "--max-requests",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Stop after N network requests (a partial, valid graph; cached answers are free).",
)
@click.option(
    "--max-papers",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Stop after adding N papers from Semantic Scholar.",
)
@click.option(
    "--embeddings",
    is_flag=True,
    help="Also fetch the papers' SPECTER2 embeddings into OUT/embeddings.npz (used by related).",
)
@click.option(
    "--source",
    "source_names",
    default=None,
    metavar="s2,openalex",
    help="Live sources to expand from, comma-separated (see docs/openalex.md). "
    "Default: both (with --offline, every source with a cache).",
)
@click.option(
    "--openalex-url",
    envvar="OPENALEX_API_URL",
    default=None,
    help="OpenAlex API root [env OPENALEX_API_URL; default https://api.openalex.org].",
)
@click.option(
    "--openalex-key",
    envvar="OPENALEX_API_KEY",
    default=None,
    help="OpenAlex API key, sent as api_key= and never stored [env OPENALEX_API_KEY].",
)
@click.option(
    "--mailto",
    envvar="OPENALEX_MAILTO",
    default=None,
    help="An email for OpenAlex's polite pool [env OPENALEX_MAILTO].",
)
@verbosity_options
@reports_errors
def build(
    curated_path: str | None,
    out_dir: str,
    offline: bool,
    no_field_sample: bool,
    api_url: str | None,
    api_key: str | None,
    rps: float | None,
    cache_dir: str | None,
    refresh: bool,
    max_age_days: float | None,
    direction: str,
    depth: int,
    min_citations: int | None,
    year_from: int | None,
    year_to: int | None,
    influential_only: bool,
    max_per_paper: int | None,
    max_requests: int | None,
    max_papers: int | None,
    embeddings: bool,
    source_names: str,
    openalex_url: str | None,
    openalex_key: str | None,
    mailto: str | None,
) -> None:
    """Build the field's citation graph and write it to OUT/graph.atlas (the graph
    store; `export --format json` writes graph.json).

    Online, the curated papers are resolved on Semantic Scholar and OpenAlex and expanded
    with their references and citations, merged into one node per paper; every response is
    cached, so a rerun (or a resumed, interrupted run) repeats no request. With no network it
    says so in one line and builds from the caches and the bundled data (-v tells why and
    lists what was not resolved).

    \b
    Examples:
      implicit-atlas build                      # bundled data + S2 + OpenAlex -> atlas/graph.atlas
      implicit-atlas build --source s2          # Semantic Scholar only
      implicit-atlas build --offline -o /tmp/atlas
      S2_API_KEY=... implicit-atlas build --depth 2 --min-citations 20 --max-per-paper 200
      implicit-atlas build --embeddings         # + OUT/embeddings.npz for related
    """
    from implicit_atlas.graph.build import (
        build_into,
        format_summary,
        parse_sources,
    )
    from implicit_atlas.graph.catalog import load_catalog
    from implicit_atlas.graph.expand import (
        ExpandOptions,
        S2Settings,
        format_report,
        stderr_progress,
    )
    from implicit_atlas.graph.graphio import left_to_the_exit
    from implicit_atlas.graph.openalex_expand import OpenAlexSettings, format_openalex_report

    sources = parse_sources(source_names or "s2,openalex")
    catalog = load_catalog(curated_path)
    settings = S2Settings(
        api_url=api_url,
        api_key=api_key or None,
        rps=rps,
        cache_dir=cache_dir,
        refresh=refresh,
        max_age_days=max_age_days,
        max_requests=max_requests,
        offline=offline,
    )
    options = ExpandOptions(
        direction=direction,
        depth=depth,
        min_citations=min_citations,
        year_from=year_from,
        year_to=year_to,
        influential_only=influential_only,
        max_per_paper=max_per_paper,
        max_papers=max_papers,
    )
    say = verbosity()
    progress = stderr_progress(say.quiet)

    unreachable: list[str] = []

    def on_note(text: str) -> None:
        if "; finishing " not in text:  # a warning about the run (no key...): always shown
            click.echo(text, err=True)
            return
        # a source going away mid-build: one line now (a second source unreachable too is
        # the same dead network, not news); the reasons and the rest of the progress under -v
        say.detail(text)
        line = one_line(text)
        if not say.verbose and not (unreachable and " unreachable: " in line):
            say.note(line)
            progress.stream = None
        if " unreachable: " in line:
            unreachable.append(line)

    openalex = OpenAlexSettings(
        api_url=openalex_url,
        api_key=openalex_key or None,
        mailto=mailto,
        cache_dir=cache_dir,
        refresh=refresh,
        max_age_days=max_age_days,
        max_requests=max_requests,
        offline=offline,
    )
    G, path = build_into(
        out_dir,
        catalog,
        sources=sources,
        openalex=openalex,
        settings=settings,
        options=options,
        field_sample=not no_field_sample,
        progress=progress,
        on_note=on_note,
    )
    left_to_the_exit()  # (the graph is freed by the system when the process ends)
    report = G.graph["summary"]["steps"].get("semantic-scholar")
    sample = "" if no_field_sample else " and the bundled field sample"
    if report is None and "s2" in sources:
        say.note(
            f"offline: built from the curated list{sample} (no Semantic Scholar data cached yet)."
        )
    elif offline:
        say.note(
            f"offline: built from the curated list{sample.replace(' and', ',')} and the "
            "Semantic Scholar cache (no network request)."
        )
    click.echo(format_summary(G, path))
    if report is not None:
        if report["mode"] == "online":
            click.echo(format_report(report))
        else:  # offline, unreachable or refused: the one line above says so, -v says the rest
            say.detail(format_report(report))
    openalex_report = G.graph["summary"]["steps"].get("openalex")
    if openalex_report is not None:
        if openalex_report.get("mode", "online") == "online":
            click.echo(format_openalex_report(openalex_report))
        else:
            say.detail(format_openalex_report(openalex_report))
    if embeddings:
        from implicit_atlas.graph.build import build_embeddings

        spent = report["requests"] if report is not None else 0
        began = report.get("refresh_began") if report is not None else None
        written, fetched = build_embeddings(
            G, out_dir, settings, requests_spent=spent, refresh_began=began
        )
        click.echo(fetched.summary())
        if written is not None:
            click.echo(f"wrote {written}")
