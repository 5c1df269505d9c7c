"""Options and helpers shared by the commands; every command is a call into the library."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from implicit_atlas.graph.errors import AtlasError

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_GRAPH = "atlas/graph.json"


def graph_option(f: F) -> F:
    """`--graph PATH`: the graph file written by `implicit-atlas build`."""
    return click.option(
        "--graph",
        "graph_path",
        default=DEFAULT_GRAPH,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="Graph file written by `implicit-atlas build`.",
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


def load_graph_or_fail(graph_path: str) -> Any:
    from implicit_atlas.graph.graphio import load_graph

    return load_graph(graph_path)
