"""SPECTER2 paper embeddings from Semantic Scholar, stored beside the graph, and their signal.

Semantic Scholar serves each paper's SPECTER2 vector (Singh et al. 2022, "SciRepEval: A
Multi-Format Benchmark for Scientific Document Representations"; 768 floats) as the field
``embedding.specter_v2`` of ``POST /graph/v1/paper/batch``: ``{"embedding": {"model":
"specter_v2", "vector": [...]}}``, or ``null`` for a paper it has none for. They are fetched
only on request (``build --embeddings``) and kept in ``OUT/embeddings.npz`` next to
``graph.json``: 2.8 KB a paper compressed, where JSON text would take about 16 KB a paper
(20 times the bundled graph file).

    >>> import networkx as nx, numpy as np
    >>> G = nx.DiGraph([("a", "b")])
    >>> G.add_node("c")
    >>> E = Embeddings(["a", "b", "c"], np.array([[1.0, 0.0], [1.0, 1.0], [-1.0, 0.0]]))
    >>> {k: round(v, 3) for k, v in embedding_similarity(G, ["a"], E).items()}
    {'b': 0.707}
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from .errors import GraphFileError
from .graphio import atomic_writer
from .signals import CitationIndex, citation_index

if TYPE_CHECKING:
    from .sources.s2 import S2Client

EMBEDDINGS_FILE_NAME = "embeddings.npz"
EMBEDDING_FIELD = "embedding.specter_v2"
"""The batch field asked for; the reply names it ``embedding`` (``model`` says which)."""
BATCH_SIZE = 500


@dataclass
class Embeddings:
    """One vector per node key; rows are L2-normalised on creation, so a dot is a cosine."""

    keys: list[str]
    vectors: np.ndarray
    model: str = "specter_v2"
    position: dict[str, int] = field(init=False, repr=False)
    norms: np.ndarray = field(init=False, repr=False)
    _aligned: tuple[CitationIndex, np.ndarray, np.ndarray] | None = field(
        default=None, init=False, repr=False
    )

    def __post_init__(self) -> None:
        vectors = np.asarray(self.vectors, dtype=np.float32)
        # no key: an empty (0, d) table; reshape(0, -1) cannot infer d from no data
        vectors = vectors.reshape(len(self.keys), -1) if self.keys else vectors.reshape(0, 0)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self.vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
        self.norms = norms.ravel()
        self.position = {k: i for i, k in enumerate(self.keys)}

    def __len__(self) -> int:
        return len(self.keys)

    def aligned(self, index: CitationIndex) -> tuple[np.ndarray, np.ndarray]:
        """(positions in `index`, rows here) of the papers of `index` that have a vector.

        Kept for the last index asked about: queries on one graph pay for the key matching once.
        """
        if self._aligned is not None and self._aligned[0] is index:
            return self._aligned[1], self._aligned[2]
        pairs = [
            (i, self.position[k])
            for i, k in enumerate(index.keys)
            if k in self.position and self.norms[self.position[k]] > 0
        ]
        at = np.array([i for i, _ in pairs], dtype=np.int64)
        rows = np.array([r for _, r in pairs], dtype=np.int64)
        self._aligned = (index, at, rows)
        return at, rows


def embedding_scores(index: CitationIndex, seeds: np.ndarray, embeddings: Embeddings) -> np.ndarray:
    """Cosine of every paper's vector with each seed's, summed over seeds (dense array).

    One matrix-vector product over the stored vectors (``V · Σ_s e_s``), never a copy of
    them in the graph's order.
    """
    out = np.zeros(index.size)
    at, rows = embeddings.aligned(index)
    seed_rows = rows[np.isin(at, seeds)]
    if len(seed_rows) == 0:
        return out
    query = embeddings.vectors[seed_rows].sum(axis=0)
    out[at] = (embeddings.vectors @ query)[rows]
    return out


def embedding_similarity(
    G: nx.DiGraph, seeds: str | Iterable[str], embeddings: Embeddings, *, limit: int | None = None
) -> dict[str, float]:
    """Papers whose SPECTER2 embedding points the way the seeds' do, by cosine similarity.

    .. math:: \\mathrm{emb}(a, b) = \\frac{e_a \\cdot e_b}{\\|e_a\\|\\,\\|e_b\\|}

    summed over the seeds; papers with no vector, or a negative total, get no score. SPECTER2
    is trained on citations, so it links papers by content even where the graph holds no
    citation between them. Cohan, A. et al. (2020). SPECTER: Document-level representation
    learning using citation-informed transformers. ACL; Singh, A. et al. (2022). SciRepEval.
    """
    from .signals import _to_dict

    index = citation_index(G)
    positions = index.seed_positions(seeds)
    return _to_dict(index, embedding_scores(index, positions, embeddings), positions, limit)


# --- the file beside the graph ---------------------------------------------------------------


def embeddings_path(graph_path: str | os.PathLike[str]) -> Path:
    """Where the embeddings of the graph file `graph_path` live: the same folder."""
    return Path(graph_path).parent / EMBEDDINGS_FILE_NAME


def save_embeddings(embeddings: Embeddings, path: str | os.PathLike[str]) -> Path:
    """Write keys, vectors (float32) and model name to a ``.npz`` file, atomically."""
    target = Path(path)
    with atomic_writer(target, binary=True) as fh:
        np.savez_compressed(
            fh,
            keys=np.array(embeddings.keys, dtype=str),
            vectors=embeddings.vectors.astype(np.float32),
            model=np.array(embeddings.model),
        )
    return target


def load_embeddings(path: str | os.PathLike[str]) -> Embeddings:
    """Read a file written by :func:`save_embeddings`; GraphFileError if it is not one."""
    try:
        with np.load(path, allow_pickle=False) as data:
            keys = [str(k) for k in data["keys"]]
            vectors = np.asarray(data["vectors"], dtype=np.float32)
            model = str(data["model"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError) as exc:
        raise GraphFileError(
            f"{path} is not a readable embeddings file ({exc}); delete it or run "
            "`implicit-atlas build --embeddings` again"
        ) from exc
    if vectors.ndim != 2 or vectors.shape[0] != len(keys):
        raise GraphFileError(
            f"{path} holds {vectors.shape[0] if vectors.ndim else 0} vectors for {len(keys)} "
            "papers; delete it or run `implicit-atlas build --embeddings` again"
        )
    return Embeddings(keys, vectors, model)


# --- fetching --------------------------------------------------------------------------------


@dataclass
class EmbeddingReport:
    """What a fetch got: vectors found, papers S2 has none for, papers never asked or failed."""

    asked: int = 0
    found: int = 0
    without: int = 0
    no_id: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.asked == 0 and self.errors:
            return f"embeddings: none fetched ({self.errors[0]})"
        text = f"embeddings: {self.found} of {self.asked} papers asked have a SPECTER2 vector"
        extras = []
        if self.without:
            extras.append(f"{self.without} have none on Semantic Scholar")
        if self.failed:
            extras.append(f"{self.failed} could not be fetched ({self.errors[0]})")
        if self.no_id:
            extras.append(f"{self.no_id} papers have no id Semantic Scholar knows")
        return text + (f" ({'; '.join(extras)})" if extras else "")


def fetch_embeddings(G: nx.DiGraph, client: S2Client) -> tuple[Embeddings, EmbeddingReport]:
    """SPECTER2 vectors of the papers of `G` through `client`, 500 ids a batch request.

    Ids are sorted before batching, so the same graph asks the same requests and a rerun (or
    an offline run) is answered by the cache. A batch that fails (offline and not cached,
    unreachable, rate limited) is counted and reported, never fatal.
    """
    from .related import s2_paper_id
    from .sources.s2 import S2Error

    report = EmbeddingReport()
    wanted: dict[str, list[str]] = {}
    for key, attrs in G.nodes(data=True):
        if attrs.get("type") == "software":
            continue
        s2_id = s2_paper_id(attrs)
        if s2_id is None:
            report.no_id += 1
        else:
            wanted.setdefault(s2_id, []).append(key)
    ids = sorted(wanted)
    report.asked = sum(len(wanted[i]) for i in ids)
    keys: list[str] = []
    vectors: list[list[float]] = []
    for start in range(0, len(ids), BATCH_SIZE):
        chunk = ids[start : start + BATCH_SIZE]
        try:
            papers = client.paper_batch(chunk, fields=EMBEDDING_FIELD).papers
        except S2Error as exc:
            report.failed += sum(len(wanted[i]) for i in chunk)
            report.errors.append(str(exc))
            continue
        for s2_id, paper in zip(chunk, papers, strict=True):
            vector = _vector(paper)
            if vector is None:
                report.without += len(wanted[s2_id])
                continue
            for key in wanted[s2_id]:
                keys.append(key)
                vectors.append(vector)
    report.found = len(keys)
    dim = len(vectors[0]) if vectors else 0
    return Embeddings(keys, np.array(vectors, dtype=np.float32).reshape(len(keys), dim)), report


def _vector(paper: dict[str, Any] | None) -> list[float] | None:
    embedding = (paper or {}).get("embedding")
    if not isinstance(embedding, dict):
        return None
    vector = embedding.get("vector")
    if not isinstance(vector, list) or not vector:
        return None
    try:
        return [float(x) for x in vector]
    except (TypeError, ValueError):
        return None


def write_embeddings(
    G: nx.DiGraph, out_dir: str | os.PathLike[str], client: S2Client | None
) -> tuple[Path | None, EmbeddingReport]:
    """Fetch the graph's embeddings and save them as ``out_dir/embeddings.npz``.

    Nothing is written when no vector was found (`client` None means offline with no cache):
    a stale file from an earlier build is then left as it was, and the report says why.
    """
    if client is None:
        report = EmbeddingReport(errors=["offline and no Semantic Scholar cache yet"])
        return None, report
    embeddings, report = fetch_embeddings(G, client)
    if len(embeddings) == 0:
        return None, report
    return save_embeddings(embeddings, Path(out_dir) / EMBEDDINGS_FILE_NAME), report
