"""Fusion variants tried against the shipped fusion on the real-data leave-one-out (not shipped).

Each variant uses the shipped signals, data weights and sparse adjustment
(graph/related.py) and changes only how they are combined:

- ``confidence RRF``: each signal's weight times how concentrated its evidence is for this
  query (the share of its positive score mass held by its 10 best candidates);
- ``CombSUM``: weighted sum of max-normalised scores instead of reciprocal ranks;
- ``RRF + CombSUM``: the two, each divided by its maximum, added;
- ``lone signal leads``: when exactly one citation signal has full weight (>= 0.5) and
  candidates, it gets twice text's weight;
- ``text by concentration``: only text's weight times its concentration;
- ``CombMAX of RRF``: a paper's best single reciprocal-rank term (sum as tie-break).

Variants of the blind-signal fill (the shipped fusion fills in a signal blind to a paper with
``1 - c`` times the mean term of the signals that see it):

- ``fill by agreement``: the fill times how often the other signals' best 20 papers are in
  the blind signal's own list, above chance (measured on the papers it can see);
- ``fill + co-citation per seed``: co-citation weighted ``2 m / (m + 2)`` for ``m`` citers per
  seed instead of by the seeds' total citations;
- ``fill, citation signals x0.5``: the four citation signals at half weight against text.

The same questions and scoring as bench/bench_related_real.py, in the same run.

    python bench/bench_related_variants.py [--all]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import bench_related_real as real  # noqa: E402

from implicit_atlas.graph.related import (  # noqa: E402
    DEFAULT_TYPES,
    DEFAULT_WEIGHTS,
    GRAPH_SIGNALS,
    LIST_DEPENDENCE,
    RRF_K,
    candidate_mask,
    data_weight,
    fuse,
    list_coverage,
    signal_scores,
    top_positions,
    type_mask,
    visibility,
)
from implicit_atlas.graph.signals import CitationIndex  # noqa: E402

CITATION_SIGNALS = ("cocitation", "coupling", "citation", "pagerank")
Parts = tuple[np.ndarray, dict[str, np.ndarray], dict[str, float], float]


def parts(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> Parts:
    """What the shipped fusion combines: candidates, raw scores, effective weights, k."""
    eligible = candidate_mask(index, seeds) & type_mask(G, index, DEFAULT_TYPES)
    scores = {n: signal_scores(G, index, seeds, n) for n in GRAPH_SIGNALS}
    share = list_coverage(index)
    weights = {
        n: DEFAULT_WEIGHTS[n] * data_weight(index, seeds, n) * share ** LIST_DEPENDENCE.get(n, 0.0)
        for n in scores
    }
    return eligible, scores, weights, max(1.0, RRF_K * share)


def concentration(raw: np.ndarray, eligible: np.ndarray, top: int = 10) -> float:
    values = np.sort(raw[eligible & (raw > 0)])[::-1]
    return float(values[:top].sum() / values.sum()) if values.size else 0.0


def confident_rrf(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    eligible, scores, weights, k = parts(G, index, seeds)
    weights = {n: w * concentration(scores[n], eligible) for n, w in weights.items()}
    return fuse(index, scores, weights, eligible, k=k)[0]


def combsum(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    eligible, scores, weights, _ = parts(G, index, seeds)
    out = np.zeros(index.size)
    for n, raw in scores.items():
        values = np.where(eligible, raw, 0.0)
        if values.max() > 0:
            out += weights[n] * values / values.max()
    return out


def _unit(values: np.ndarray) -> np.ndarray:
    return values / values.max() if values.max() > 0 else values


def rrf_plus_combsum(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    eligible, scores, weights, k = parts(G, index, seeds)
    rrf = fuse(index, scores, weights, eligible, k=k)[0]
    return _unit(rrf) + _unit(combsum(G, index, seeds))


def lone_signal_leads(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    eligible, scores, weights, k = parts(G, index, seeds)
    strong = [n for n in CITATION_SIGNALS if weights[n] >= 0.5 and np.any(scores[n][eligible] > 0)]
    if len(strong) == 1:
        weights = {**weights, strong[0]: 2 * weights["text"]}
    return fuse(index, scores, weights, eligible, k=k)[0]


def text_by_concentration(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    eligible, scores, weights, k = parts(G, index, seeds)
    weights = {**weights, "text": weights["text"] * concentration(scores["text"], eligible)}
    return fuse(index, scores, weights, eligible, k=k)[0]


def combmax_rrf(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    eligible, scores, weights, k = parts(G, index, seeds)
    _, contributions, *_ = fuse(index, scores, weights, eligible, k=k)
    terms = np.vstack(list(contributions.values()))
    return terms.max(axis=0) + 1e-3 * terms.sum(axis=0)


def _filled(
    G: nx.DiGraph,
    index: CitationIndex,
    seeds: np.ndarray,
    weights: dict[str, float] | None = None,
    by_agreement: bool = False,
) -> np.ndarray:
    """The shipped fill (`fuse` with `visible` and `fill`), with `weights` overriding the
    effective ones; `by_agreement`: each blind signal's filled-in weight times its
    :func:`agreement` with the others."""
    eligible, scores, effective, k = parts(G, index, seeds)
    effective = {**effective, **(weights or {})}
    fill = 1.0 - list_coverage(index)
    visible = {n: visibility(G, index, n) for n in scores}
    if not by_agreement:
        return fuse(index, scores, effective, eligible, k=k, visible=visible, fill=fill)[0]
    fused, contributions, *_ = fuse(index, scores, effective, eligible, k=k)
    if not contributions:
        return fused
    seen = sum(effective[n] * visible[n].astype(float) for n in contributions)
    blind = sum(
        effective[n] * agreement(n, contributions, visible, eligible) * (~visible[n]).astype(float)
        for n in contributions
    )
    return fused * (1 + fill * blind / np.maximum(seen, 1.0))


def agreement(
    name: str,
    contributions: dict[str, np.ndarray],
    visible: dict[str, np.ndarray],
    eligible: np.ndarray,
) -> float:
    """Share of the other signals' best 20 papers (that `name` can see) in `name`'s list,
    above chance."""
    seen = eligible & visible[name]
    mine = contributions[name] > 0
    others = sum(c for n, c in contributions.items() if n != name)
    if not np.any(seen) or isinstance(others, int):
        return 0.0
    best = top_positions(others, seen, 20)
    if len(best) == 0:
        return 0.0
    chance = np.count_nonzero(mine & seen) / np.count_nonzero(seen)
    hit = float(np.mean(mine[best]))
    return max(0.0, (hit - chance) / (1 - chance)) if chance < 1 else 1.0


def fill_by_agreement(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    return _filled(G, index, seeds, by_agreement=True)


def fill_cocitation_per_seed(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    m = float(index.in_degree[seeds].sum()) / max(1, len(seeds))
    return _filled(G, index, seeds, {"cocitation": 2 * m / (m + 2)})


def fill_half_citations(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    _, _, effective, _ = parts(G, index, seeds)
    halved = {n: 0.5 * effective[n] for n in CITATION_SIGNALS}
    return _filled(G, index, seeds, halved)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="hold out every reference")
    parser.add_argument("--per-paper", type=int, default=8, help="held-out refs per paper")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    methods: dict[str, real.Method] = {
        "fused (shipped)": real.fused(),
        "cocitation": real.single("cocitation"),
        "text": real.single("text"),
        "co-citation count": real.cocitation_count,
        "confidence RRF": confident_rrf,
        "CombSUM": combsum,
        "RRF + CombSUM": rrf_plus_combsum,
        "lone signal leads": lone_signal_leads,
        "text by concentration": text_by_concentration,
        "CombMAX of RRF": combmax_rrf,
        "fused, blind = last": real.fused(fill_blind=False),
        "fill by agreement": fill_by_agreement,
        "fill + cocit per seed": fill_cocitation_per_seed,
        "fill, citations x0.5": fill_half_citations,
    }
    real.run(methods, None if args.all else args.per_paper, args.seed, halves=True)


if __name__ == "__main__":
    main()
