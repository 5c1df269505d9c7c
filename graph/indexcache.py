"""The indexes `related` builds, kept beside the graph store so the next call does not rebuild.

signals.py builds a :class:`~.signals.CitationIndex` (sparse citation matrices, degrees,
and the PageRank walk matrices once used) and a :class:`~.signals.TextIndex` (TF-IDF
vectors) the first time a graph is ranked, and keeps them on the graph object, which a
command forgets when it ends. Here they are saved as arrays under
``graph.store/index-<content>-<code>/`` and put back on the next command's graph before it
ranks: ``<content>`` is the hash of the store's tables and ``<code>`` a hash of the code
that builds the indexes, so a rebuilt graph or a changed ranking never meets old arrays.
A missing or unreadable index is simply built again; saving is best effort.

>>> import networkx as nx, tempfile, pathlib
>>> from implicit_atlas.graph.signals import citation_index
>>> G = nx.DiGraph()
>>> G.add_edge("a", "b", kind="cites")
>>> cache = IndexCache(pathlib.Path(tempfile.mkdtemp()) / "index")
>>> _ = citation_index(G); cache.save_from(G)
['citation']
>>> H = nx.DiGraph(G); cache.load_into(H)
['citation']
>>> citation_index(H).cites.toarray().tolist()
[[0.0, 1.0], [0.0, 0.0]]
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from . import acronyms, signals
from .signals import CitationIndex, TextIndex, graph_stamp

_NAMES = {"citation": signals._CITATION_INDEX, "text": signals._TEXT_INDEX}


def _code_key() -> str:
    """A hash of the code whose indexes are stored (a change there makes old arrays unused)."""
    digest = hashlib.sha256()
    for module in (signals, acronyms, __import__(__name__, fromlist=["_"])):
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()[:12]


class IndexCache:
    """One folder of saved indexes; :meth:`beside` finds the one of a graph store."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.loaded: set[str] = set()
        self.stamp: tuple[int, int] | None = None
        """The graph's size when it was read: a graph that grew since is not the store's."""

    @classmethod
    def beside(cls, graph_path: str | os.PathLike[str]) -> IndexCache | None:
        """The index folder of the store at `graph_path`; None for a graph.json."""
        from .graphio import resolve_graph_path
        from .store import content_key, data_folder, is_store

        path = resolve_graph_path(graph_path)
        if not is_store(path):
            return None
        return cls(data_folder(path) / f"index-{content_key(path)}-{_code_key()}")

    def load_into(self, G: nx.DiGraph) -> list[str]:
        """Put the saved indexes on `G` (where signals.py looks first); the names loaded."""
        stamp = self.stamp = graph_stamp(G)
        got = []
        for name, reader in (("citation", _read_citation), ("text", _read_text)):
            file = self.folder / f"{name}.npz"
            if not file.is_file():
                continue
            try:
                with np.load(file) as arrays:
                    index = reader(G, arrays)
            except (OSError, ValueError, KeyError):
                continue  # damaged: built again, saved again
            signals._store_index(G, _NAMES[name], stamp, index)
            self.loaded.add(name)
            got.append(name)
        return got

    def save_from(self, G: nx.DiGraph) -> list[str]:
        """Save the indexes `G` holds that were built during this command; the names saved."""
        from .graphio import atomic_writer

        stamp = graph_stamp(G)
        if self.stamp is not None and stamp != self.stamp:
            return []  # nodes or edges were added after loading: not the store's indexes
        saved = []
        for name, writer in (("citation", _citation_arrays), ("text", _text_arrays)):
            index = signals._cached_index(G, _NAMES[name], stamp)
            if index is None or (name in self.loaded and not _grew(name, index)):
                continue
            buffer = io.BytesIO()
            arrays: dict[str, Any] = writer(index)
            np.savez(buffer, **arrays)
            with contextlib.suppress(OSError):
                self.folder.mkdir(parents=True, exist_ok=True)
                with atomic_writer(self.folder / f"{name}.npz", binary=True) as fh:
                    fh.write(buffer.getvalue())
                saved.append(name)
                self.loaded.add(name)
        return saved


def _grew(name: str, index: Any) -> bool:
    """A loaded citation index that gained a PageRank walk matrix this command is saved again."""
    return name == "citation" and bool(getattr(index, "_saved_walks", set()) ^ set(index._walks))


def _sparse(prefix: str, matrix: sp.csr_array) -> dict[str, np.ndarray]:
    m = sp.csr_array(matrix)
    return {
        f"{prefix}_data": m.data,
        f"{prefix}_indices": m.indices,
        f"{prefix}_indptr": m.indptr,
        f"{prefix}_shape": np.array(m.shape, dtype=np.int64),
    }


def _csr(arrays: Any, prefix: str) -> sp.csr_array:
    shape = tuple(int(x) for x in arrays[f"{prefix}_shape"])
    return sp.csr_array(
        (arrays[f"{prefix}_data"], arrays[f"{prefix}_indices"], arrays[f"{prefix}_indptr"]),
        shape=shape,
    )


def _citation_arrays(index: CitationIndex) -> dict[str, np.ndarray]:
    arrays = {
        **_sparse("cites", index.cites),
        **_sparse("cited_by", index.cited_by),
        "in_degree": index.in_degree,
        "out_degree": index.out_degree,
        "year": index.year,
        "curated": index.curated,
        "software": index.software,
    }
    for directed, walk in index._walks.items():
        arrays |= _sparse(f"walk_{int(directed)}", walk)
    return arrays


def _read_citation(G: nx.DiGraph, arrays: Any) -> CitationIndex:
    keys = list(G.nodes)
    cites = _csr(arrays, "cites")
    if cites.shape != (len(keys), len(keys)):
        raise ValueError("index of another graph")
    index = CitationIndex(
        keys=keys,
        position={k: i for i, k in enumerate(keys)},
        cites=cites,
        cited_by=_csr(arrays, "cited_by"),
        in_degree=arrays["in_degree"],
        out_degree=arrays["out_degree"],
        year=arrays["year"],
        curated=arrays["curated"],
        software=arrays["software"],
    )
    for directed in (False, True):
        if f"walk_{int(directed)}_data" in arrays:
            index._walks[directed] = _csr(arrays, f"walk_{int(directed)}")
    index._saved_walks = set(index._walks)  # type: ignore[attr-defined]
    return index


def _text_arrays(index: TextIndex) -> dict[str, np.ndarray]:
    terms = json.dumps(index.terms, ensure_ascii=False).encode("utf-8")
    return {
        **_sparse("vectors", index.vectors),
        **_sparse("postings", index.postings),
        "has_text": index.has_text,
        "terms": np.frombuffer(terms, dtype=np.uint8),
    }


def _read_text(G: nx.DiGraph, arrays: Any) -> TextIndex:
    keys = list(G.nodes)
    vectors = _csr(arrays, "vectors")
    if vectors.shape[0] != len(keys):
        raise ValueError("index of another graph")
    return TextIndex(
        keys=keys,
        position={k: i for i, k in enumerate(keys)},
        vectors=vectors,
        postings=_csr(arrays, "postings"),
        terms=json.loads(arrays["terms"].tobytes().decode("utf-8")),
        has_text=arrays["has_text"],
    )
