"""Saving and loading an atlas graph: the graph store `build` writes, or node-link JSON.

`build` writes the graph store (``atlas/graph.atlas``, see store.py); graph.json is the
export every other tool reads (``export --format json``), and older builds' graph.json files
are still read. :func:`load_graph` tells them apart by content. Every file is written
atomically.

>>> from implicit_atlas.graph import load_graph
>>> G = load_graph("atlas/graph.atlas")         # doctest: +SKIP
>>> G.nodes["arXiv:1806.07366"]["title"]        # doctest: +SKIP
'Neural Ordinary Differential Equations'
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import json
import os
import tempfile
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import IO, Any

import networkx as nx

from .errors import GraphFileError, OutputError
from .schema import SCHEMA_VERSION

DEFAULT_OUT_DIR = "atlas"
_UMASK = os.umask(0)
os.umask(_UMASK)
GRAPH_FILE_NAME = "graph.json"
STORE_FILE_NAME = "graph.atlas"


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Run a block with Python's cyclic garbage collector off.

    Building or loading a big graph allocates millions of dicts and lists, none in a cycle:
    the collector would walk all of them again and again (half of a depth-2 rebuild) and
    find nothing; reference counting frees them as before.

    When the collector comes back on, what the block made and kept is moved to the oldest
    generation (``gc.freeze`` then ``gc.unfreeze``: two list splices), as if it had survived
    the young collections: otherwise the first allocation after the block walks all of it
    (the whole built graph, 0.3 s at full size) to find nothing again. Left as it was when
    the caller had frozen objects of its own (unfreezing would release them too).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


_EXIT_FREEZE: list[bool] = []


def left_to_the_exit() -> None:
    """Let the process end without freeing, one object at a time, what is alive at its exit.

    A command that built a big graph ends holding a million dicts (networkx's cached views
    make the graph a reference cycle): Python's last collection walked and freed them, most
    of a second, for memory the system takes back at once. Frozen at exit (``gc.freeze``),
    the collection skips them. For a command's process, not a library call.
    """
    if not _EXIT_FREEZE:
        _EXIT_FREEZE.append(True)
        atexit.register(gc.freeze)


@contextlib.contextmanager
def atomic_writer(
    path: str | os.PathLike[str], *, binary: bool = False, make_parents: bool = True
) -> Iterator[IO[Any]]:
    """Open a temporary file beside `path`; rename it over `path` only if the block succeeds.

    Readers never see a half-written file and a failure leaves the old file untouched.
    With `make_parents` false a missing folder is an error, not created: a typo in ``-o``
    should not leave a new folder tree behind.
    """
    target = Path(path)
    try:
        if make_parents:
            target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
    except OSError as exc:
        raise output_error(target, exc) from exc
    try:
        if binary:
            fh: IO[Any] = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        with fh:
            yield fh
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(
    path: str | os.PathLike[str], text: str, *, make_parents: bool = True
) -> None:
    """Write UTF-8 text to `path` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path, make_parents=make_parents) as fh:
        fh.write(text)


def output_error(target: Path, exc: OSError) -> OutputError:
    """The one-line error for an output path that cannot be written, saying what to change:
    a file where a folder should be, a missing folder, or the system's reason."""
    fix = "choose another path with --out/-o"
    reason = str(exc.strerror or exc)
    for folder in target.parents:
        if folder.exists():
            if not folder.is_dir():
                reason = f"{folder} is a file, not a folder"
            elif isinstance(exc, FileNotFoundError) and not target.parent.exists():
                reason = f"the folder {target.parent} does not exist"
                fix = "create it first or " + fix
            break
    return OutputError(f"cannot write {target}: {reason}; {fix}")


def graph_to_data(G: nx.DiGraph) -> dict[str, Any]:
    """The JSON document for `G`: schema version, build metadata and node-link data."""
    data = nx.node_link_data(G, edges="edges")
    meta = dict(data.pop("graph", {}))
    return {"schema": SCHEMA_VERSION, "meta": meta, **data}


def save_graph(G: nx.DiGraph, path: str | os.PathLike[str]) -> Path:
    """Write `G` to `path` (node-link JSON with schema version and build metadata)."""
    doc = graph_to_data(G)
    with atomic_writer(path) as fh:
        # one-shot dumps with no indent is the only path that uses json's C encoder
        # (3.6x faster than indent=1 on the bundled graph)
        fh.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")))
        fh.write("\n")
    return Path(path)


def resolve_graph_path(path: str | os.PathLike[str]) -> Path:
    """`path`, or the graph beside it when it does not exist: ``atlas/graph.json`` of an
    atlas built as a store is its ``graph.atlas``, and the reverse for an older build."""
    p = Path(path)
    if p.exists():
        return p
    for wanted, other in ((GRAPH_FILE_NAME, STORE_FILE_NAME), (STORE_FILE_NAME, GRAPH_FILE_NAME)):
        if p.name == wanted and (p.parent / other).is_file():
            return p.parent / other
    return p


def load_graph(
    path: str | os.PathLike[str], *, edge_attributes: Collection[str] | None = None
) -> nx.DiGraph:
    """Read a graph store or a graph.json written by :func:`save_graph`; raise
    GraphFileError if `path` is neither.

    `edge_attributes` (None: all) lets a store read only the edge attributes a command
    uses (see store.load_store); a graph.json is read whole either way.
    """
    from .store import is_store, load_store

    p = resolve_graph_path(path)
    if is_store(p):
        return load_store(p, edge_attributes=edge_attributes)
    if not p.exists():
        raise GraphFileError(
            f"no graph file at {p}; run `implicit-atlas build` first (or pass --graph PATH)"
        )
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GraphFileError(
            f"{p} is not a readable graph file ({exc}); rebuild it with `implicit-atlas build`"
        ) from exc
    if not isinstance(doc, dict) or "nodes" not in doc or "edges" not in doc:
        raise GraphFileError(
            f"{p} is not an implicit-atlas graph file; rebuild it with `implicit-atlas build`"
        )
    schema = doc.get("schema")
    if schema != SCHEMA_VERSION:
        raise GraphFileError(
            f"{p} has graph schema {schema!r}, this version reads schema {SCHEMA_VERSION}; "
            "rebuild it with `implicit-atlas build`"
        )
    bad = _first_malformed(doc["nodes"], doc["edges"])
    if bad:
        raise GraphFileError(f"{p} is corrupted ({bad}); rebuild it with `implicit-atlas build`")
    data = {
        "directed": True,
        "multigraph": False,
        "graph": doc.get("meta", {}),
        "nodes": doc["nodes"],
        "edges": doc["edges"],
    }
    try:
        G = nx.node_link_graph(data, directed=True, multigraph=False, edges="edges")
    except (KeyError, TypeError, nx.NetworkXError) as exc:
        raise GraphFileError(
            f"{p} is corrupted ({exc!r}); rebuild it with `implicit-atlas build`"
        ) from exc
    return G


# The value types of graph/schema.py, checked on load so that a hand-edited or foreign file
# fails here with one line instead of deep inside a command with a traceback.
def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_flag(value: Any) -> bool:
    return isinstance(value, bool)


def _is_text_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


_ATTRIBUTE_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    **dict.fromkeys(
        "title venue volume pages type degree arxiv doi s2_id url primary_class abstract "
        "citation_count_as_of curated_key section venue_label note".split(),
        (_is_text, "text"),
    ),
    **dict.fromkeys(
        "year corpus_id citation_count reference_count influential_citation_count".split(),
        (_is_whole_number, "a whole number"),
    ),
    **dict.fromkeys(("curated", "citations_truncated"), (_is_flag, "true/false")),
    **dict.fromkeys(("authors", "sources"), (_is_text_list, "a list of text")),
}


def _bad_attribute(node: dict[str, Any]) -> str | None:
    """The first attribute of `node` whose value is not of its schema type, described."""
    for name, (valid, kind) in _ATTRIBUTE_TYPES.items():
        value = node.get(name)
        if value is not None and not valid(value):
            return f"{name} {value!r} is not {kind}"
    return None


_COLUMN_KIND = {"text": "text", "a whole number": "int", "true/false": "flag"}
_COLUMN_KIND["a list of text"] = "text_list"


def bad_node_column(
    keys: list[str], columns: dict[str, list[Any]], kinds: dict[str, str]
) -> str | None:
    """The first node value of a store's columns that is not of its schema type, described
    as for graph.json; a column stored with the schema's own type is right as a whole."""
    for name, (valid, kind) in _ATTRIBUTE_TYPES.items():
        if name not in columns or kinds.get(name) == _COLUMN_KIND[kind]:
            continue
        for key, value in zip(keys, columns[name], strict=True):
            if value is not None and not valid(value):
                return f"node {key!r}: {name} {value!r} is not {kind}"
    return None


def _first_malformed(nodes: Any, edges: Any) -> str | None:
    """What is wrong with node-link lists, or None: every node needs an id and attributes of
    the schema's types, every edge two ends."""
    if not isinstance(nodes, list) or not isinstance(edges, list):
        return "nodes and edges must be lists"
    ids = set()
    for i, node in enumerate(nodes):
        if not isinstance(node, dict) or not isinstance(node.get("id"), str):
            return f"node #{i} has no id"
        bad = _bad_attribute(node)
        if bad:
            return f"node {node['id']!r}: {bad}"
        ids.add(node["id"])
    for i, edge in enumerate(edges):
        if (
            not isinstance(edge, dict)
            or edge.get("source") not in ids
            or edge.get("target") not in ids
        ):
            return f"edge #{i} does not join two known nodes"
    return None


def default_graph_path(out_dir: str | os.PathLike[str] = DEFAULT_OUT_DIR) -> Path:
    """The graph `build` writes into `out_dir`: its store manifest."""
    return Path(out_dir) / STORE_FILE_NAME
