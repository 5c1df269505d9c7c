"""The similarity view of a few seed papers (`map --similar-to`): Connected Papers' core idea.

The map shows the seeds and the papers :func:`~.related.related_papers` ranks highest for
them, linked not by who cites whom but by how similar two papers are: **co-citation** (papers
citing both, Small 1973) plus **bibliographic coupling** (references in common, Kessler 1963),
each normalised by Salton's cosine so a hub is not similar to everything. Each paper keeps its
strongest few links, so the drawing shows neighbourhoods instead of a hairball. The page also
lists the seeds' prior and derivative works (:func:`~.lineage.lineage`).

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edges_from([(c, p) for c in ("c1", "c2", "c3") for p in ("a", "b")], kind="cites")
    >>> G.add_edge("c3", "z", kind="cites")
    >>> view = similar_view(G, ["a"], top=3)
    >>> view.seeds, "b" in view.nodes, round(view.links[("a", "b")], 2)
    (['a'], True, 1.0)
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .lineage import lineage, lineage_to_json
from .related import related_papers
from .signals import citation_index

#: links kept per paper (its strongest), so each paper shows its closest neighbours
LINKS_PER_PAPER = 4
DEFAULT_TOP = 40
LINEAGE_TOP = 15


@dataclass
class SimilarView:
    """The seeds, the related papers (best first), similarity links and lineage lists."""

    seeds: list[str]
    nodes: list[str]
    rank: dict[str, int]
    links: dict[tuple[str, str], float]
    lineage: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def similar_view(G: nx.DiGraph, seeds: Sequence[str], *, top: int = DEFAULT_TOP) -> SimilarView:
    """The seeds (node keys) and their `top` related papers, with similarity links among them."""
    related = related_papers(G, list(seeds), top=top)
    seed_keys = list(related.seeds)
    nodes = seed_keys + [p.key for p in related.papers if p.key not in set(seed_keys)]
    rank = {k: 0 for k in seed_keys}
    rank.update({p.key: p.rank for p in related.papers})
    lines = lineage(G, seed_keys, top=LINEAGE_TOP)
    return SimilarView(
        seeds=seed_keys,
        nodes=nodes,
        rank=rank,
        links=similarity_links(G, nodes),
        lineage=lineage_to_json(G, lines),
        notes=[*related.notes, *lines.notes],
    )


def similarity_links(
    G: nx.DiGraph, nodes: Sequence[Hashable], *, per_paper: int = LINKS_PER_PAPER
) -> dict[tuple[str, str], float]:
    """{(u, v): strength} for pairs of `nodes`: Salton co-citation plus Salton coupling.

    Each node keeps its `per_paper` strongest pairs; a pair is kept when either end keeps it.
    """
    index = citation_index(G)
    keys = [str(v) for v in nodes if v in index.position]
    if len(keys) < 2:
        return {}
    pos = np.array([index.position[k] for k in keys], dtype=np.int64)
    cited = sp.csc_array(index.cites[:, pos])  # who cites each chosen paper
    refs = sp.csr_array(index.cites[pos, :])  # what each chosen paper cites
    strength = _salton((cited.T @ cited).toarray()) + _salton((refs @ refs.T).toarray())
    np.fill_diagonal(strength, 0.0)
    kept: dict[tuple[str, str], float] = {}
    for i in range(len(keys)):
        row = strength[i]
        for j in np.argsort(-row, kind="stable")[:per_paper]:
            if row[j] <= 0:
                break
            a, b = (i, j) if i < j else (j, i)
            kept[(keys[a], keys[b])] = round(float(strength[a, b]), 4)
    return kept


def _salton(shared: np.ndarray) -> np.ndarray:
    """Shared counts divided by the geometric mean of each paper's own count (the diagonal)."""
    own = np.sqrt(np.diag(shared).astype(np.float64))
    norm = np.outer(own, own)
    return np.divide(shared, norm, out=np.zeros_like(norm), where=norm > 0)
