"""Which store for the graph: Parquet (pyarrow), SQLite or DuckDB, against graph.json.

Reads a graph.json (e.g. one `bench_cli_scale.py --keep DIR` built), then for each format
writes the same columns (node attributes typed, edge ends as node positions, edge attributes
with provenance as JSON text) and reports: size on disk, write time, and the read times of
what commands ask for: *adjacency* (edge ends, kind, is_influential: what `related`, `map`
and `bib` read) and *all edges* (every edge attribute: what `export` reads). graph.json is
measured the same way (it can only be read whole).

    python bench/bench_store_formats.py DIR/old/graph.json

DuckDB is measured when it is installed (it is not a dependency of implicit-atlas).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from implicit_atlas.graph.graphio import load_graph
from implicit_atlas.graph.store import load_store, save_store

LIGHT = ("kind", "is_influential")


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def size_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 2**20


def edge_rows(doc: dict[str, Any]) -> tuple[list[str], dict[str, list[Any]]]:
    """Edge columns of the graph.json document (ends as positions, lists as JSON text)."""
    position = {n["id"]: i for i, n in enumerate(doc["nodes"])}
    columns: dict[str, list[Any]] = {
        "src": [position[e["source"]] for e in doc["edges"]],
        "dst": [position[e["target"]] for e in doc["edges"]],
        "kind": [e.get("kind") for e in doc["edges"]],
        "infl": [e.get("is_influential") for e in doc["edges"]],
    }
    for name in ("provenance", "sources", "intents", "contexts"):
        columns[name] = [json.dumps(e.get(name)) for e in doc["edges"]]
    return list(position), columns


def sqlite_store(folder: Path, doc: dict[str, Any]) -> dict[str, float]:
    path = folder / "graph.sqlite"
    keys, edges = edge_rows(doc)
    names = sorted({k for n in doc["nodes"] for k in n if k != "id"})

    def write() -> None:
        db = sqlite3.connect(path)
        db.execute(f"create table nodes (id text, {', '.join(f'{n!r}' for n in names)})")
        db.executemany(
            f"insert into nodes values ({', '.join('?' * (len(names) + 1))})",
            (
                [n["id"], *(json.dumps(n[k]) if k in n else None for k in names)]
                for n in doc["nodes"]
            ),
        )
        db.execute(f"create table edges ({', '.join(edges)})")
        db.executemany(
            f"insert into edges values ({', '.join('?' * len(edges))})",
            zip(*edges.values(), strict=False),
        )
        db.commit()
        db.close()

    written = timed(write)

    def read(columns: str) -> Callable[[], Any]:
        def go() -> Any:
            db = sqlite3.connect(path)
            rows = db.execute(f"select {columns} from edges").fetchall()
            db.close()
            return rows

        return go

    return {
        "size": size_mb(path),
        "write": written,
        "adjacency": timed(read("src, dst, kind, infl")),
        "all edges": timed(read("*")),
    }


def duckdb_store(folder: Path, doc: dict[str, Any]) -> dict[str, float] | None:
    try:
        import duckdb
    except ImportError:
        return None
    path = folder / "graph.duckdb"
    _, edges = edge_rows(doc)
    edge_table = pa.table(edges)

    def write() -> None:
        db = duckdb.connect(str(path))
        db.register("edge_table", edge_table)
        db.execute("create table edges as select * from edge_table")
        db.close()

    written = timed(write)

    def read(columns: str) -> Callable[[], Any]:
        def go() -> Any:
            db = duckdb.connect(str(path), read_only=True)
            cursor = db.execute(f"select {columns} from edges")
            fetch = getattr(cursor, "fetch_arrow_table", None) or cursor.to_arrow_table
            result = fetch()
            db.close()
            return result.to_pydict()

        return go

    return {
        "size": size_mb(path),
        "write": written,
        "adjacency": timed(read("src, dst, kind, infl")),
        "all edges": timed(read("*")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph_json", type=Path)
    args = parser.parse_args()
    source = args.graph_json
    json_read = timed(lambda: load_graph(source))
    G = load_graph(source)
    doc = json.loads(source.read_text(encoding="utf-8"))
    print(f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    rows: dict[str, dict[str, float] | None] = {
        "graph.json (networkx)": {
            "size": size_mb(source),
            "write": float("nan"),
            "adjacency": json_read,
            "all edges": json_read,
        }
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = folder / "graph.atlas"
        written = timed(lambda: save_store(G, manifest))
        rows["Parquet store (networkx)"] = {
            "size": size_mb(manifest) + size_mb(folder / "graph.store"),
            "write": written,
            "adjacency": timed(lambda: load_store(manifest, edge_attributes=LIGHT)),
            "all edges": timed(lambda: load_store(manifest)),
        }
        edges_file = next((folder / "graph.store").glob("edges-*.parquet"))
        rows["Parquet edges, columns only"] = {
            "size": size_mb(edges_file),
            "write": float("nan"),
            "adjacency": timed(
                lambda: pq.read_table(edges_file, columns=["_source", "_target", *LIGHT])
            ),
            "all edges": timed(lambda: pq.read_table(edges_file).to_pydict()),
        }
        rows["SQLite edges, rows"] = sqlite_store(folder, doc)
        rows["DuckDB edges, columns"] = duckdb_store(folder, doc)
    print("\n| format | on disk MB | write s | read adjacency s | read all edges s |")
    print("|---|---|---|---|---|")
    for name, row in rows.items():
        if row is None:
            print(f"| {name} | (not installed) | | | |")
            continue
        print(
            f"| {name} | {row['size']:.0f} | {row['write']:.1f} | {row['adjacency']:.2f} | "
            f"{row['all edges']:.2f} |"
        )


if __name__ == "__main__":
    main()
