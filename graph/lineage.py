"""Prior and derivative works of a set of seed papers: where they come from, where they led.

What Connected Papers calls prior and derivative works and Local Citation Network "top cited"
and "top citing", computed on the atlas graph:

- a **prior work** is cited by the seeds; it ranks by how many seeds cite it, then by how
  many papers of the graph cite it (the field's foundations come first);
- a **derivative work** cites the seeds; it ranks by how many seeds it cites, then by year,
  newest first (what the seeds led to).

Counts come from the sparse citation index (graph/signals.py), so a query on a 100,000-paper
graph is a few sparse row sums. Prior works need the seeds' reference lists and derivative
works their citations: :func:`lineage` notes the seeds whose lists the graph lacks.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edges_from([("a", "r"), ("b", "r"), ("d", "a"), ("d", "b")], kind="cites")
    >>> result = lineage(G, ["a", "b"])
    >>> [(w.key, w.seeds) for w in result.prior], [(w.key, w.seeds) for w in result.derivative]
    ([('r', 2)], [('d', 2)])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from .related import candidate_mask
from .signals import citation_index


@dataclass(frozen=True)
class LinkedWork:
    """A paper and how many of the seeds it is linked to (cited by, or citing)."""

    key: str
    seeds: int
    cited_in_graph: int
    year: int | None


@dataclass
class Lineage:
    seeds: list[str]
    prior: list[LinkedWork]
    derivative: list[LinkedWork]
    notes: list[str] = field(default_factory=list)


def lineage(
    G: nx.DiGraph,
    seeds: Sequence[str],
    *,
    top: int = 20,
    exclude_curated: bool = False,
    year_from: int | None = None,
    exclude: Sequence[str] = (),
) -> Lineage:
    """The `top` prior and derivative works of `seeds` (node keys), strongest first.

    Filters: `exclude_curated`, `year_from` (derivative and prior works alike), the node keys
    in `exclude`; software is never listed. Seeds are never listed.
    """
    index = citation_index(G)
    positions = index.seed_positions(seeds)
    eligible = candidate_mask(
        index, positions, exclude_curated=exclude_curated, year_from=year_from, exclude=exclude
    )
    cited_by_seeds = np.asarray(index.cites[positions, :].sum(axis=0)).ravel()
    citing_seeds = np.asarray(index.cited_by[positions, :].sum(axis=0)).ravel()

    def works(counts: np.ndarray, tiebreak: np.ndarray) -> list[LinkedWork]:
        found = np.flatnonzero((counts > 0) & eligible)
        order = sorted(found, key=lambda i: (-counts[i], -tiebreak[i], index.keys[i]))[:top]
        return [
            LinkedWork(
                key=index.keys[i],
                seeds=int(counts[i]),
                cited_in_graph=int(index.in_degree[i]),
                year=int(index.year[i]) if index.year[i] else None,
            )
            for i in order
        ]

    notes = []
    keys = [index.keys[i] for i in positions]
    no_refs = [k for k, i in zip(keys, positions, strict=True) if index.out_degree[i] == 0]
    no_citers = [k for k, i in zip(keys, positions, strict=True) if index.in_degree[i] == 0]
    if no_refs:
        notes.append(
            f"prior works: {len(no_refs)} of {len(keys)} seeds have no reference list in the "
            "graph (an online `build` fetches them)"
        )
    if no_citers:
        notes.append(
            f"derivative works: {len(no_citers)} of {len(keys)} seeds have no citing paper in "
            "the graph"
        )
    return Lineage(
        seeds=keys,
        prior=works(cited_by_seeds, index.in_degree.astype(float)),
        derivative=works(citing_seeds, index.year.astype(float)),
        notes=notes,
    )


def format_lineage(G: nx.DiGraph, result: Lineage) -> str:
    """Both lists as text tables: how many seeds, citations in the graph, year, title."""
    from .related_format import describe
    from .text import clean_text, shorten

    total = len(result.seeds)
    shown = "; ".join(describe(G, s, 70) for s in result.seeds[:5])
    more = f"; and {total - 5} more" if total > 5 else ""
    lines = [f"Seeds ({total}): {shown}{more}"]
    for heading, works, verb in (
        ("Prior works", result.prior, "cited by"),
        ("Derivative works", result.derivative, "citing"),
    ):
        lines.append("")
        lines.append(f"{heading}: {verb} the most of the {total} seed{'s' * (total != 1)}")
        if not works:
            lines.append("  none in the graph")
            continue
        lines.append(f"{'#':>3}  {'seeds':>7}  {'cited':>5}  year  title")
        for rank, w in enumerate(works, 1):
            curated = " ✓" if G.nodes[w.key].get("curated") else ""
            lines.append(
                f"{rank:>3}  {f'{w.seeds}/{total}':>7}  {w.cited_in_graph:>5}  "
                f"{w.year or '':>4}  "
                f"{shorten(clean_text(G.nodes[w.key].get('title') or w.key), 90)}{curated}"
            )
    lines.append("")
    lines.append(
        "(seeds: how many seeds it is cited by / cites; cited: citing papers in the graph;"
    )
    lines.append(" ✓ = in the curated list)")
    return "\n".join(lines) + "\n"


def lineage_to_json(G: nx.DiGraph, result: Lineage) -> dict[str, object]:
    def work(w: LinkedWork) -> dict[str, object]:
        d = G.nodes[w.key]
        return {
            "key": w.key,
            "title": d.get("title"),
            "year": w.year,
            "seeds": w.seeds,
            "cited_in_graph": w.cited_in_graph,
            "curated": bool(d.get("curated")),
        }

    return {
        "seeds": result.seeds,
        "prior": [work(w) for w in result.prior],
        "derivative": [work(w) for w in result.derivative],
        "notes": result.notes,
    }
