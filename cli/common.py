"""Options and helpers shared by the commands; every command is a call into the library."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from implicit_atlas.graph.errors import AtlasError

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_GRAPH = "atlas/graph.atlas"

# Exit codes, the same for every command (documented in docs/cli/index.md):
EXIT_OK = 0
EXIT_BAD_INPUT = 1  # a file, id or value the command cannot use (click.ClickException)
EXIT_USAGE = 2  # an unknown option, a missing argument (click.UsageError)
EXIT_INTERRUPTED = 130  # Ctrl-C; what was written or cached is kept


class HiddenAliasOption(click.Option):
    """An option with extra spellings that work but are not shown (``--output`` for ``--out``),
    so scripts written for an older option name keep working while the help shows one name."""

    def __init__(self, *args: Any, hidden_aliases: tuple[str, ...] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.hidden_aliases = hidden_aliases
        self.opts.extend(hidden_aliases)

    def _shown(self, method: Callable[..., Any], ctx: click.Context) -> Any:
        opts = self.opts
        self.opts = [o for o in opts if o not in self.hidden_aliases]
        try:
            return method(ctx)
        finally:
            self.opts = opts

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        return self._shown(super().get_help_record, ctx)  # type: ignore[no-any-return]

    def get_error_hint(self, ctx: click.Context) -> str:
        return self._shown(super().get_error_hint, ctx)  # type: ignore[no-any-return]


def out_option(dest: str, help: str, **kwargs: Any) -> Callable[[F], F]:
    """`-o/--out PATH`: where a command writes, the same spelling on every command
    (``--output`` still works, unlisted)."""
    kwargs.setdefault("type", click.Path(dir_okay=False))
    return click.option(
        "-o",
        "--out",
        dest,
        cls=HiddenAliasOption,
        hidden_aliases=("--output",),
        help=help,
        **kwargs,
    )


class Verbosity:
    """How much a command says besides its result: -q nothing, -v the details."""

    def __init__(self, level: int = 1) -> None:
        self.level = level

    @property
    def quiet(self) -> bool:
        return self.level <= 0

    @property
    def verbose(self) -> bool:
        return self.level >= 2

    def note(self, text: str) -> None:
        """A remark on stderr (``note: …``, ``wrote …``); silent under -q."""
        if not self.quiet:
            click.echo(text, err=True)

    def detail(self, text: str) -> None:
        """A detail on stderr shown only under -v."""
        if self.verbose:
            click.echo(text, err=True)


def _set_verbosity(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    current = ctx.meta.get("atlas.verbosity")
    if current is None:
        current = ctx.meta["atlas.verbosity"] = Verbosity()
    if value:
        current.level = 0 if param.name == "quiet" else 2
    return value


def verbosity_options(f: F) -> F:
    """`-v/--verbose` and `-q/--quiet` for a command; read them with :func:`verbosity`."""
    f = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_verbosity,
        help="Print only the result: no progress, notes or summary lines on stderr.",
    )(f)
    f = click.option(
        "-v",
        "--verbose",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_verbosity,
        help="Also print the details where there are any (build: why Semantic Scholar was not "
        "reached, every entry left unresolved).",
    )(f)
    return f


def verbosity() -> Verbosity:
    """The current command's -v/-q setting (normal when it has none)."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return Verbosity()
    found = ctx.meta.get("atlas.verbosity")
    if found is None:
        found = ctx.meta["atlas.verbosity"] = Verbosity()
    return found  # type: ignore[no-any-return]


def graph_option(f: F) -> F:
    """`--graph PATH`: the graph store written by `implicit-atlas build`, or a graph.json."""
    return click.option(
        "--graph",
        "graph_path",
        default=DEFAULT_GRAPH,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="Graph written by `implicit-atlas build` (OUT/graph.atlas), or a graph.json.",
    )(f)


def reports_errors(f: F) -> F:
    """Turn library errors into one clear line and exit code 1 instead of a traceback."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return f(*args, **kwargs)
        except AtlasError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("interrupted; everything already written or cached is kept.", err=True)
            raise SystemExit(130) from None

    return wrapper  # type: ignore[return-value]


def refuse_to_overwrite_graph(graph_path: str, output: str | None) -> None:
    """`-o` naming the graph file itself would replace the graph with the output: refuse."""
    if output is None:
        return
    from pathlib import Path

    from implicit_atlas.graph.errors import OutputError

    graph, out = Path(graph_path), Path(output)
    if out.resolve() == graph.resolve() or (
        out.exists() and graph.exists() and out.samefile(graph)
    ):
        raise OutputError(
            f"-o {output} is the graph file this command reads; choose another output path"
        )


def load_graph_or_fail(graph_path: str, *, edges: str = "all") -> Any:
    """The graph at `graph_path`; ``edges="light"`` reads only the edge attributes the
    ranking, the map and the bibliography use (a store then skips provenance and contexts).

    From a store, the indexes `related` builds are loaded when an earlier command saved
    them, and saved when the command ends (see graph/indexcache.py).
    """
    from implicit_atlas.graph.graphio import load_graph
    from implicit_atlas.graph.store import LIGHT_EDGE_ATTRIBUTES

    G = load_graph(graph_path, edge_attributes=LIGHT_EDGE_ATTRIBUTES if edges == "light" else None)
    import gc

    from implicit_atlas.graph.indexcache import IndexCache

    context = click.get_current_context(silent=True)
    if context is not None:
        # the graph lives as long as the command: collections until then skip its objects
        gc.freeze()
        context.call_on_close(gc.unfreeze)
    cache = IndexCache.beside(graph_path)
    if cache is not None:
        cache.load_into(G)
        if context is not None:
            context.call_on_close(lambda: cache.save_from(G))
    return G


def selection_options(f: F) -> F:
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
            help="Only this curated section: its name or a unique prefix (repeatable).",
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
        click.option(
            "--top",
            type=click.IntRange(min=1),
            default=20,
            show_default=True,
            help="How many related papers --related-to adds.",
        ),
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


def s2_connection_options(f: F) -> F:
    """`--api-url`, `--api-key`, `--rps`, `--cache-dir`: how to reach Semantic Scholar.

    One definition for every command that talks to the API (build, related --s2), so the
    environment variables and defaults cannot drift apart.
    """
    options = [
        click.option(
            "--api-url",
            envvar="S2_API_URL",
            default=None,
            metavar="URL",
            help="Semantic Scholar API root [env S2_API_URL; default "
            "https://api.semanticscholar.org].",
        ),
        click.option(
            "--api-key",
            envvar="S2_API_KEY",
            default=None,
            metavar="KEY",
            help="Semantic Scholar API key, sent as x-api-key and never stored [env S2_API_KEY].",
        ),
        click.option(
            "--rps",
            envvar="S2_RPS",
            type=click.FloatRange(min=0.01),
            default=None,
            help="Requests per second [env S2_RPS; default: 1 with a key, 0.5 and adaptive "
            "without].",
        ),
        click.option(
            "--cache-dir",
            type=click.Path(file_okay=False),
            default=None,
            help="Folder of the response cache [default: the user cache directory].",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def seed_options(f: F) -> F:
    """The seed papers of `related` and `lineage`: QUERIES, `--section`, `--curated`,
    `--from-bib` (resolved by graph.related.seed_papers, with :func:`bib_seeds`)."""
    for decorator in reversed(
        [
            click.argument("queries", nargs=-1),
            click.option("--section", help="Use every curated paper of this section as a seed."),
            click.option("--curated", is_flag=True, help="Use every curated paper as a seed."),
            click.option(
                "--from-bib",
                "from_bib_path",
                type=click.Path(dir_okay=False),
                help="Use every paper of this .bib file found in the graph as a seed.",
            ),
        ]
    ):
        f = decorator(f)
    return f


def bib_seeds(
    G: Any,
    from_bib_path: str | None,
    *,
    have_path: str | None = None,
    have: dict[str, str] | None = None,
) -> dict[str, str] | None:
    """The papers of a `--from-bib` file (None without one), read once when it is also the
    `--have` file; a file naming no paper of the graph is an error, not an empty seed list."""
    if not from_bib_path:
        return None
    from pathlib import Path

    from implicit_atlas.graph.related import papers_in_bib

    same = have_path is not None and Path(have_path).resolve() == Path(from_bib_path).resolve()
    found = have if same and have is not None else None
    if found is None:
        found = papers_in_bib(G, from_bib_path, option="--from-bib")
    if not found:
        raise click.ClickException(
            f"no entry of {from_bib_path} is a paper of this graph (matched by DOI, arXiv "
            "id or title); build the graph with those papers, or name seeds instead"
        )
    return found
