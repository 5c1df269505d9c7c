"""The graph store: an atlas as typed Parquet tables, so a command reads only what it needs.

`build` writes ``OUT/graph.atlas`` (a small JSON manifest: format version, build metadata,
the attribute layout, the data files with their sizes) and ``OUT/graph.store/`` (the
tables, named by a hash of their content). One JSON text file made every command parse every
abstract and every edge's provenance; here ``related`` reads node attributes and four edge
columns, and the indexes it builds are kept next to the tables (see indexcache.py).

Tables (Parquet, zstd; one row per node or edge, in the graph's own order):

``nodes``
    ``id``, ``_shape`` (which attributes the node has, in its order: an index into the
    manifest's ``node_shapes``), then one column per attribute, typed: text, whole number,
    number, flag, list of text, or JSON text for anything else.
``edges``
    ``_source`` and ``_target`` (node positions), ``_shape``, then one column per attribute;
    provenance is JSON text, stored once per distinct value by Parquet's dictionary encoding.

Writes are atomic: the tables are written under their content hash first, the manifest last
(a rename), and files no manifest names are removed after. A manifest of another store
version, or whose files are missing or of the wrong size, is refused with the one-line
"rebuild it" message, as a corrupted graph.json is.

>>> import networkx as nx, tempfile, pathlib
>>> G = nx.DiGraph(built_at="2026-01-01")
>>> G.add_node("a", title="A", year=2020)
>>> G.add_edge("b", "a", kind="cites", provenance=[{"source": "curated"}])
>>> path = save_store(G, pathlib.Path(tempfile.mkdtemp()) / "graph.atlas")
>>> H = load_store(path)
>>> H.nodes["a"], H.edges["b", "a"]["provenance"], H.graph["built_at"]
({'title': 'A', 'year': 2020}, [{'source': 'curated'}], '2026-01-01')
>>> dict(load_store(path, edge_attributes=("kind",)).edges["b", "a"])
{'kind': 'cites'}
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import operator
import os
import types
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx
import numpy as np

from .errors import GraphFileError
from .schema import SCHEMA_VERSION

STORE_VERSION = 1
FORMAT = "implicit-atlas graph store"
MANIFEST_SUFFIX = ".atlas"
STORE_FILE_NAME = "graph.atlas"
LIGHT_EDGE_ATTRIBUTES = ("kind", "is_influential")
"""What the ranking, the map and the bibliography read of an edge."""

_REBUILD = "rebuild it with `implicit-atlas build`"


class _Damaged(Exception):
    """What is wrong inside the tables; load_store names the store and the fix around it."""


def data_folder(manifest: str | os.PathLike[str]) -> Path:
    """The folder of the tables that `manifest` names: ``graph.atlas`` -> ``graph.store``."""
    p = Path(manifest)
    return p.with_name(p.stem + ".store")


def is_store(path: str | os.PathLike[str]) -> bool:
    """Whether `path` is a store manifest (by its first bytes, whatever its name)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return head.startswith(b'{"format": "' + FORMAT.encode())


# --- columns --------------------------------------------------------------------------------


def _kind_of(values: list[Any]) -> str:
    """The narrowest column type holding every value (None is a null of any type).

    Decided from the set of value types (a C loop), not value by value: a million edges
    are typed in milliseconds.
    """
    types_ = set(map(type, values))
    types_.discard(type(None))
    if not types_:
        return "text"
    if len(types_) > 1:
        return "json"
    kind = types_.pop()
    if kind is str:
        return "text"
    if kind is bool:
        return "flag"
    if kind is float:
        return "float"
    if kind is int:
        present = [v for v in values if v is not None]
        return "int" if -(2**63) <= min(present) and max(present) < 2**63 else "json"
    if kind is list:  # (each list object once: the edges of a built graph share theirs)
        lists = dict(zip(map(id, values), values, strict=True)).values()
        items = set(map(type, itertools.chain.from_iterable(v for v in lists if v is not None)))
        return "text_list" if items <= {str} else "json"
    return "json"


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa

    return {
        "text": pa.string(),
        "json": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "flag": pa.bool_(),
        "text_list": pa.list_(pa.string()),
    }[kind]


def _json_texts(values: list[Any]) -> list[str | None]:
    """JSON text of each value; each distinct value object is printed once, and values of
    equal repr share their text (provenance repeats: a built graph's edges share their
    lists), so Parquet's dictionary encoding stores each distinct text once. `values` keeps
    every object alive while this runs, so an id stands for one value."""
    encode = json.JSONEncoder(ensure_ascii=False).encode
    memo: dict[str, str] = {}
    distinct, index = _distinct_objects(values)
    texts = np.empty(len(distinct), dtype=object)
    for i, v in enumerate(distinct):
        if v is not None:
            key = repr(v)
            text = memo.get(key)
            if text is None:
                text = memo[key] = encode(v)
            texts[i] = text
    return texts[index].tolist()  # type: ignore[no-any-return]


def _distinct_objects(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """The distinct objects of `values` (by identity) and, per value, its object's index:
    numpy passes over the ids, not a Python step per value (a million edges)."""
    ids = np.fromiter(map(id, values), np.uint64, count=len(values))
    if not len(ids):
        return [], np.zeros(0, np.int64)
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    new = np.r_[True, sorted_ids[1:] != sorted_ids[:-1]]
    group = np.cumsum(new) - 1
    index = np.empty(len(ids), np.int64)
    index[order] = group
    first = order[new]  # (the stable sort puts each object's first value first)
    return [values[i] for i in first.tolist()], index


def _table(
    columns: dict[str, Any],
    attrs: dict[str, list[Any]],
    kinds: dict[str, str],
    rows: np.ndarray | None = None,
) -> Any:
    """The table of `columns` and the typed `attrs`; with `rows`, row i of an attribute
    column is ``attrs[name][rows[i]]`` (the records were grouped: see _same_records)."""
    import pyarrow as pa

    arrays = dict(columns)
    for name, values in attrs.items():
        kind = kinds[name]
        if kind in ("json", "text_list"):
            data = _json_texts(values) if kind == "json" else values
            array = _array_of_repeats(data, _arrow_type(kind))
        else:
            array = pa.array(values, type=_arrow_type(kind))
        arrays[name] = array if rows is None else array.take(pa.array(rows, pa.int64()))
    return pa.table(arrays)


def _same_records(records: list[Mapping[str, Any]]) -> tuple[list[Mapping[str, Any]], np.ndarray]:
    """The records with the same keys in the same order and the very same value objects,
    grouped: one record per group (in order of first appearance) and, per record, its group.

    The edges of a built graph are copies of a few attribute dicts (their lists shared): a
    million edges are a handful of groups, read into columns once each. Found by numpy over
    the ids of the values, a column per key of each shape of record (a hash per record, then
    checked element by element: a collision only makes each record its own group).
    """
    n = len(records)
    alone = (records, np.arange(n, dtype=np.int64))
    if n < 2:
        return alone
    # per record, the first record with its keys in its order (one pass: a tuple of keys each)
    first_of_shape: dict[tuple[Any, ...], int] = {}
    shape = np.fromiter(
        map(first_of_shape.setdefault, map(tuple, records), itertools.count()), np.int64, count=n
    )
    odd = np.random.default_rng(0).integers(1, 2**63, size=max(map(len, first_of_shape)) + 1)
    mix = odd.astype(np.uint64) | np.uint64(1)
    group = np.empty(n, np.int64)
    firsts: list[np.ndarray] = []
    found = 0
    for keys, first_record in first_of_shape.items():
        rows = np.flatnonzero(shape == first_record) if len(first_of_shape) > 1 else np.arange(n)
        some = records if len(rows) == n else [records[i] for i in rows.tolist()]
        ids = np.empty((len(rows), len(keys)), np.uint64)
        digest = np.zeros(len(rows), np.uint64)
        for column, key in enumerate(keys):
            ids[:, column] = np.fromiter(
                map(id, map(operator.itemgetter(key), some)), np.uint64, count=len(rows)
            )
            digest += ids[:, column] * mix[column]  # (wraps around: a hash)
        _, first, inverse = np.unique(digest, return_index=True, return_inverse=True)
        inverse = inverse.ravel()
        if not np.array_equal(ids[first][inverse], ids):
            return alone
        group[rows] = inverse + found
        firsts.append(rows[first])
        found += len(first)
    first = np.concatenate(firsts)
    order = np.argsort(first, kind="stable")  # groups in order of first appearance
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    return [records[i] for i in first[order].tolist()], rank[group]


class EdgeGroups(NamedTuple):
    """The edges of a graph just built, as the registry made them: every edge dict in the
    order the store reads them (each node's successors, nodes in order) and, per edge, the
    number of the attribute dict it is a copy of (the very same value objects). Saves the
    store finding the groups itself (:func:`_same_records`); valid only while no edge
    changes, so a build hands it over straight after building (see build.write_atlas)."""

    records: np.ndarray  # (object: the edge dicts)
    template: np.ndarray  # (int64: per edge)
    source: np.ndarray  # (int64: per edge, the position of the node it leaves in node order)

    def of(self, G: nx.DiGraph) -> bool:
        """Whether these can be `G`'s edges (as many): else read `G` itself."""
        return len(self.template) == G.number_of_edges()

    def templates(self) -> list[tuple[int, Mapping[str, Any], int]]:
        """Each attribute dict copied: its number, one edge dict copying it, how many do."""
        numbers, first, counts = np.unique(self.template, return_index=True, return_counts=True)
        return [
            (t, self.records[i], n)
            for t, i, n in zip(numbers.tolist(), first.tolist(), counts.tolist(), strict=True)
        ]


def _groups_as_built(
    records: list[Mapping[str, Any]], built: EdgeGroups
) -> tuple[list[Mapping[str, Any]], np.ndarray] | None:
    """:func:`_same_records` of `records` told by `built`, None unless `records` are the
    very dicts the registry made (checked by identity, in order).

    Copies of one template are one group; templates are grouped as :func:`_same_records`
    would (a few thousand): so the result is the one it would give."""
    n = len(records)
    if len(built.records) != n or len(built.template) != n:
        return None
    if not np.array_equal(
        np.fromiter(map(id, records), np.uint64, count=n),
        np.fromiter(map(id, built.records.tolist()), np.uint64, count=n),
    ):
        return None
    _, first, template_group = np.unique(built.template, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")  # templates in order of first appearance
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    # (templates with the very same values, which the registry never makes, merge here)
    distinct, group = _same_records([records[i] for i in first[order].tolist()])
    return distinct, group[rank[template_group.ravel()]]


def _array_of_repeats(values: list[Any], type_: Any) -> Any:
    """``pa.array(values)``, each distinct value object converted once and repeated by index:
    a built graph's edges share their lists and JSON texts (870,000 edges, a few values)."""
    import pyarrow as pa

    distinct, index = _distinct_objects(values)
    return pa.array(distinct, type=type_).take(pa.array(index, pa.int64()))


def _attribute_columns(
    records: list[Mapping[str, Any]],
) -> tuple[list[int], list[list[str]], dict[str, list[Any]], dict[str, str]]:
    """Per record: its shape id; the shapes; one value list per attribute; their kinds.

    A column is gathered in one pass over the records (``map(get)``, a C loop); an absent
    value reads as None there, and the record's shape tells it from a stored None.
    """
    shape_ids: dict[tuple[str, ...], int] = {}
    shapes = [shape_ids.setdefault(shape, len(shape_ids)) for shape in map(tuple, records)]
    names = list(dict.fromkeys(name for shape in shape_ids for name in shape))
    for name in names:
        if not isinstance(name, str) or name.startswith("_"):
            raise ValueError(f"attribute name {name!r} cannot be stored")
    if set(map(type, records)) <= {dict}:  # (dict.get called straight: twice as fast)
        get: Callable[[Any, str], Any] = dict.get
        attrs = {name: list(map(get, records, itertools.repeat(name))) for name in names}
    else:
        attrs = {name: list(map(operator.methodcaller("get", name), records)) for name in names}
    kinds = {name: _kind_of(values) for name, values in attrs.items()}
    return shapes, [list(s) for s in shape_ids], attrs, kinds


# --- writing --------------------------------------------------------------------------------


def save_store(
    G: nx.DiGraph, path: str | os.PathLike[str], *, edge_groups: EdgeGroups | None = None
) -> Path:
    """Write `G` as a store: tables under ``<stem>.store/``, then the manifest at `path`.

    `edge_groups`: how the registry made `G`'s edges, when it has just built it (the same
    store, written faster)."""
    from .graphio import paused_gc

    with paused_gc():
        return _save_store(G, Path(path), edge_groups)


def _save_store(G: nx.DiGraph, manifest_path: Path, edge_groups: EdgeGroups | None) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .graphio import atomic_writer, output_error

    folder = data_folder(manifest_path)
    keys = list(G.nodes)
    if not all(isinstance(k, str) for k in keys):
        raise ValueError("node keys must be text to be stored")
    position = {k: i for i, k in enumerate(keys)}
    n_shapes, node_shapes, node_attrs, node_kinds = _attribute_columns([G._node[k] for k in keys])
    nodes = _table(
        {"id": pa.array(keys, pa.string()), "_shape": pa.array(n_shapes, pa.int32())},
        node_attrs,
        node_kinds,
    )
    succ = G._succ  # read as G.edges reads it (each node's successors), without the tuples
    edge_records = list(
        itertools.chain.from_iterable(map(operator.methodcaller("values"), succ.values()))
    )
    grouped = _groups_as_built(edge_records, edge_groups) if edge_groups is not None else None
    distinct, rows = grouped if grouped is not None else _same_records(edge_records)
    e_shapes, edge_shapes, edge_attrs, edge_kinds = _attribute_columns(distinct)
    sources = np.array([position[u] for u in succ], np.int32)
    targets = map(position.__getitem__, itertools.chain.from_iterable(succ.values()))
    edges = _table(
        {
            "_source": pa.array(np.repeat(sources, [len(nbrs) for nbrs in succ.values()])),
            "_target": pa.array(np.fromiter(targets, np.int32, count=len(edge_records))),
            "_shape": pa.array(np.array(e_shapes, np.int32)[rows]),
        },
        edge_attrs,
        edge_kinds,
        rows,
    )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(folder, exc) from exc
    files: dict[str, dict[str, Any]] = {}
    digest = hashlib.sha256()
    written: list[tuple[Path, str]] = []
    try:
        for name, table in (("nodes", nodes), ("edges", edges)):
            tmp = folder / f".{name}.{os.getpid()}.tmp"
            pq.write_table(table, tmp, compression="zstd", row_group_size=1 << 20)
            data = tmp.read_bytes()
            digest.update(data)
            written.append((tmp, name))
            files[name] = {"size": len(data)}
        key = digest.hexdigest()[:20]
        for tmp, name in written:
            final = folder / f"{name}-{key}.parquet"
            os.replace(tmp, final)
            files[name]["file"] = final.name
    except BaseException:
        for tmp, _ in written:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    manifest = {
        "format": FORMAT,
        "store_version": STORE_VERSION,
        "schema": SCHEMA_VERSION,
        "content": key,
        "nodes": len(keys),
        "edges": edges.num_rows,
        "files": files,
        "node_shapes": node_shapes,
        "node_columns": node_kinds,
        "edge_shapes": edge_shapes,
        "edge_columns": edge_kinds,
        "meta": dict(G.graph),
    }
    with atomic_writer(manifest_path) as fh:
        fh.write(json.dumps(manifest, ensure_ascii=False))
        fh.write("\n")
    _remove_unnamed(folder, key)
    return manifest_path


def _remove_unnamed(folder: Path, key: str) -> None:
    """Delete the tables and indexes of earlier builds (no manifest names them now)."""
    import shutil

    for entry in folder.iterdir():
        if key in entry.name or entry.name.startswith("."):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                entry.unlink()


# --- reading --------------------------------------------------------------------------------


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The manifest at `path`, checked: this store version and schema, files all there."""
    p = Path(path)
    try:
        manifest = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GraphFileError(f"{p} is not a readable graph store ({exc}); {_REBUILD}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise GraphFileError(f"{p} is not an implicit-atlas graph store; {_REBUILD}")
    version = manifest.get("store_version")
    if version != STORE_VERSION or manifest.get("schema") != SCHEMA_VERSION:
        raise GraphFileError(
            f"{p} was written by another version of implicit-atlas (store {version!r}, "
            f"schema {manifest.get('schema')!r}; this version reads store {STORE_VERSION}, "
            f"schema {SCHEMA_VERSION}); {_REBUILD}"
        )
    folder = data_folder(p)
    try:
        for name in ("nodes", "edges"):
            entry = manifest["files"][name]
            file = folder / entry["file"]
            if not file.is_file() or file.stat().st_size != entry["size"]:
                raise GraphFileError(
                    f"{p} is half-written or damaged ({name} table {file} is missing or of "
                    f"the wrong size); {_REBUILD}"
                )
        for key in ("node_shapes", "node_columns", "edge_shapes", "edge_columns", "meta"):
            manifest[key]  # noqa: B018 - present, or the store is damaged
    except (KeyError, TypeError) as exc:
        raise GraphFileError(f"{p} is corrupted (manifest lacks {exc}); {_REBUILD}") from exc
    return manifest


def content_key(path: str | os.PathLike[str]) -> str:
    """The hash of the store's tables: the same content, the same key (indexes hang on it)."""
    return str(read_manifest(path)["content"])


def load_store(
    path: str | os.PathLike[str], *, edge_attributes: Collection[str] | None = None
) -> nx.DiGraph:
    """Read the store whose manifest is `path` into a DiGraph.

    Every node attribute is read. `edge_attributes` None reads every edge attribute;
    a collection reads only those (e.g. :data:`LIGHT_EDGE_ATTRIBUTES`), and then edges
    with equal attributes share one read-only mapping: a command that only ranks or draws
    gets a million edges in a fraction of the memory, and one that tried to change an edge
    would fail loudly instead of changing others.
    """
    from .graphio import paused_gc

    p = Path(path)
    manifest = read_manifest(p)
    folder = data_folder(p)
    try:
        with paused_gc():
            keys, node_dicts = _read_nodes(folder / manifest["files"]["nodes"]["file"], manifest)
            G = nx.DiGraph()
            G.graph.update(manifest["meta"])
            G._node.update(zip(keys, node_dicts, strict=True))
            edges_file = folder / manifest["files"]["edges"]["file"]
            _read_edges(G, keys, edges_file, manifest, edge_attributes)
    except _Damaged as exc:
        raise GraphFileError(f"{p} is corrupted ({exc}); {_REBUILD}") from exc
    except Exception as exc:  # a damaged table surfaces as any of pyarrow's errors
        raise GraphFileError(f"{p} is corrupted ({exc}); {_REBUILD}") from exc
    return G


def _decoder(kind: str) -> Callable[[Any], list[Any]]:
    if kind == "json":
        return lambda column: [None if t is None else json.loads(t) for t in column.to_pylist()]
    return lambda column: column.to_pylist()  # type: ignore[no-any-return]


def _read_nodes(file: Path, manifest: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    from .graphio import bad_node_column

    table = pq.read_table(file)
    kinds: dict[str, str] = manifest["node_columns"]
    keys = table.column("id").to_pylist()
    if len(set(keys)) != len(keys):
        raise _Damaged("a node id occurs twice")
    columns = {name: _decoder(kind)(table.column(name)) for name, kind in kinds.items()}
    bad = bad_node_column(keys, columns, kinds)
    if bad:
        raise _Damaged(bad)
    shapes = [tuple(s) for s in manifest["node_shapes"]]
    return keys, _records(table.column("_shape").to_numpy(), shapes, columns)


def _records(
    shape_ids: np.ndarray, shapes: list[tuple[str, ...]], columns: dict[str, list[Any]]
) -> list[dict[str, Any]]:
    """One dict per row, keys in the row's shape order; built a shape at a time (C loops)."""
    records: list[Any] = [None] * len(shape_ids)
    for s, names in enumerate(shapes):
        rows = np.flatnonzero(shape_ids == s).tolist()
        if not rows:
            continue
        if not names:
            made: list[dict[str, Any]] = [{} for _ in rows]
        else:
            pick = operator.itemgetter(*rows)
            picked = [pick(columns[name]) for name in names]
            if len(rows) == 1:
                picked = [(value,) for value in picked]
            made = [dict(zip(names, values, strict=True)) for values in zip(*picked, strict=True)]
        for row, record in zip(rows, made, strict=True):
            records[row] = record
    return records


def _read_edges(
    G: nx.DiGraph,
    keys: list[str],
    file: Path,
    manifest: dict[str, Any],
    wanted: Collection[str] | None,
) -> None:
    import pyarrow.parquet as pq

    kinds: dict[str, str] = manifest["edge_columns"]
    names = list(kinds) if wanted is None else [n for n in kinds if n in wanted]
    table = pq.read_table(file, columns=["_source", "_target", "_shape", *names])
    source = table.column("_source").to_numpy()
    target = table.column("_target").to_numpy()
    n = len(keys)
    if len(source) and (
        min(source.min(), target.min()) < 0 or max(source.max(), target.max()) >= n
    ):
        raise _Damaged("an edge does not join two known nodes")
    shapes = [tuple(s) for s in manifest["edge_shapes"]]
    if wanted is not None and all(kinds[name] in _SCALAR_KINDS for name in names):
        data: Any = _shared_attributes(table, names, shapes)
    else:
        shape_ids = table.column("_shape").to_pylist()
        columns = {name: _decoder(kinds[name])(table.column(name)) for name in names}
        data = [
            {name: columns[name][i] for name in shapes[s] if name in columns}
            for i, s in enumerate(shape_ids)
        ]
        if wanted is not None:
            data = [types.MappingProxyType(d) for d in data]
    fill_adjacency(G, keys, source, target, data)


_SCALAR_KINDS = ("text", "int", "flag", "float")


def _shared_attributes(table: Any, names: list[str], shapes: list[tuple[str, ...]]) -> np.ndarray:
    """One read-only mapping per distinct (shape, values) of scalar columns, per edge.

    Each column is dictionary-encoded by pyarrow and the codes combined into one number per
    edge, so a million edges with a handful of distinct attribute sets cost a few numpy
    passes, not a million Python dicts.
    """
    code = table.column("_shape").to_numpy().astype(np.int64)
    values: dict[str, list[Any]] = {}
    codes: dict[str, np.ndarray] = {}
    for name in names:
        encoded = table.column(name).combine_chunks().dictionary_encode()
        values[name] = encoded.dictionary.to_pylist()
        codes[name] = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False) + 1
        code = code * (len(values[name]) + 1) + codes[name]
    unique, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    shape_ids = table.column("_shape").to_numpy()
    mappings = np.empty(len(unique), dtype=object)
    for u, i in enumerate(first.tolist()):
        attrs = {}
        for name in shapes[shape_ids[i]]:
            if name in values:
                c = int(codes[name][i])
                attrs[name] = values[name][c - 1] if c else None
        mappings[u] = types.MappingProxyType(attrs)
    return mappings[inverse.ravel()]


def fill_adjacency(
    G: nx.DiGraph,
    keys: list[str],
    source: np.ndarray,
    target: np.ndarray,
    data: Sequence[Mapping[str, Any]] | np.ndarray,
) -> None:
    """Set networkx's adjacency dicts in one pass per direction, in the order the edges were
    added when the graph was saved (as node_link_graph would add them)."""
    succ: dict[str, dict[str, Any]] = {k: {} for k in keys}
    pred: dict[str, dict[str, Any]] = {k: {} for k in keys}
    key_array = np.array(keys, dtype=object)
    for ends, nbrs, adjacency in ((source, target, succ), (target, source, pred)):
        if len(ends) and bool(np.all(ends[1:] >= ends[:-1])):  # (sorted already: as built)
            order = np.arange(len(ends))
        else:
            order = np.argsort(ends, kind="stable")
        grouped = ends[order]
        starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]]) if len(order) else ()
        bounds = [*map(int, starts), len(order)]
        other = key_array[nbrs[order]].tolist()
        if isinstance(data, np.ndarray):
            attrs = data[order].tolist()
        else:
            attrs = [data[i] for i in order.tolist()]
        owners = key_array[grouped[bounds[:-1]]].tolist() if len(order) else []
        for owner, a, b in zip(owners, bounds, bounds[1:], strict=False):
            adjacency[owner] = dict(zip(other[a:b], attrs[a:b], strict=True))
    G._succ.update(succ)
    G._pred.update(pred)
    G.__networkx_cache__.clear()
