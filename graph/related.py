"""Related papers: the signals fused into one ranking, with each signal's share and the evidence.

    >>> from implicit_atlas.graph import load_graph                           # doctest: +SKIP
    >>> result = related_papers(G, ["arXiv:1909.01377"], top=10)              # doctest: +SKIP
    >>> [(p.key, p.contributions) for p in result.papers]                     # doctest: +SKIP

Fusion is weighted reciprocal-rank fusion (Cormack, Clarke & Büttcher, 2009, "Reciprocal rank
fusion outperforms Condorcet and individual rank learning methods", SIGIR):

.. math:: \\mathrm{score}(p) = \\sum_{s} \\frac{w_s \\, d_s}{k + \\mathrm{rank}_s(p)},
          \\qquad d_s = \\frac{e_s}{e_s + h}

over the signals ``s`` that rank ``p`` among their best `depth` papers (ties share their
average rank). Ranks rather than raw scores are fused because the signals live on unrelated
scales (a cosine, a sum of 1/log counts, a probability); a paper several signals agree on
rises above one that a single signal loves. Each term is reported as that signal's
contribution, so the ranking can always be explained.

``d_s`` weighs a citation signal by how much data it has *for these seeds*: ``e_s`` counts
the seeds' citations it works from (co-citation: the papers citing the seeds; coupling: the
seeds' references; direct citation and PageRank: both), and ``h`` (`evidence_half`, 0.5) is
the count at which it would get half its weight. Signals that do not come from the citation
graph (SPECTER2, S2 recommendations) keep ``d_s = 1``; text's ``d_s`` is :func:`text_weight`
of the graph's :func:`~.signals.text_lift` (how much more alike citing pairs' words are than
random pairs': 1 from 1.5×, the bundled data's 5.8× included; toward 0 where titles carry no
topic and text similarity is noise).

**Sparse reference lists.** When the graph holds the reference lists of few of its papers
(the bundled data: 3%), the signals built on reference lists see a sliver of the field. With
``c = min(1, share / 0.25) ** 1.5`` (:func:`list_coverage`; 0.04 on the bundled data, 1
once a quarter of the papers have a list), coupling and direct citation are weighted by
``c``, PageRank by ``√c``, and ``k`` becomes ``max(1, 60 c)``, so the top of each signal
counts more than agreement between signals that rarely see the same papers. Graphs with a
quarter or more of their reference lists rank exactly as before. On the bundled data the
leave-one-out MRR goes from 0.26 to 0.60 (curated papers) and from 0.03 to 0.10 (held-out
references): bench/bench_related_real.py; the generated worlds: bench/bench_related_quality.py
(``sparse_adjust=False`` turns the adjustment off).

**A signal blind to a paper does not count as its last place.** Co-citation can only rank a
paper somebody in the graph cites, coupling one whose reference list the graph holds
(:func:`visibility`); plain RRF reads their silence as a last place, so a paper nobody in the
graph has cited *yet* (this year's, or one only its own citing paper knows) could never
outrank a well-cited one on text alone. In a sparse graph that silence is mostly missing
data, so a blind signal's term is filled in with the mean term of the signals that do see
the paper, times ``1 - c`` (the coverage above: 0.96 on the bundled data, 0 once a quarter of
the reference lists are known, where a graph ranks exactly as before). On the bundled data
the leave-one-out MRR goes from 0.595 to 0.628 (curated papers) and from 0.103 to 0.144
(held-out references); generated worlds holding a quarter of their reference lists do not
change, and one holding 3% (hard topics) goes from 0.468 to 0.615 (``fill_blind=False`` turns
it off).

Ties in the final list are broken by node key, so the first ``n`` papers are the same
whatever `top`.
"""

from __future__ import annotations

import contextlib
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

from .embeddings import Embeddings, embedding_scores
from .errors import AtlasError
from .lookup import PaperIndex
from .schema import EDGE_CITES, EDGE_IMPLEMENTS, NODE_TYPES
from .signals import (
    CitationIndex,
    _cached_index,
    _store_index,
    citation_index,
    cocitation_scores,
    coupling_scores,
    direct_scores,
    graph_stamp,
    pagerank_scores,
    text_index,
    text_lift,
    text_scores,
    top_positions,
)
from .text import clean_text, shorten

SIGNAL_NAMES = ("cocitation", "coupling", "citation", "pagerank", "text", "embedding", "s2")
"""Every signal the fusion knows; ``embedding`` needs SPECTER2 vectors (graph/embeddings.py),
``s2`` (Semantic Scholar recommendations) a recommender."""
GRAPH_SIGNALS = ("cocitation", "coupling", "citation", "pagerank", "text")
SPARSE_BELOW = 0.25
"""Share of papers with a known reference list under which the fusion adjusts (see above)."""
SPARSE_POWER = 1.5
LIST_DEPENDENCE = {"coupling": 1.0, "citation": 1.0, "pagerank": 0.5}
"""How much a signal needs reference lists: its weight is multiplied by the graph's
reference share to this power (co-citation and text need none)."""
"""The signals computed from the graph alone: the default set."""

SIGNAL_LABELS = {
    "cocitation": "co-citation",
    "coupling": "coupling",
    "citation": "direct citation",
    "pagerank": "PageRank",
    "text": "text",
    "embedding": "SPECTER2",
    "s2": "S2 recommended",
}

DEFAULT_WEIGHTS: dict[str, float] = {
    "cocitation": 1.0,
    "coupling": 1.0,
    "citation": 1.0,
    "pagerank": 1.0,
    "text": 1.0,
    "embedding": 1.0,
    "s2": 1.0,
}
RRF_K = 60
"""The constant of reciprocal-rank fusion; 60 is the value of the original paper."""
TEXT_LIFT_FULL = 1.5
"""Text gets full weight once citing pairs' words are this many times as alike as random
pairs' (:func:`text_weight`)."""
EVIDENCE_HALF = 0.5
"""Seed citations at which a citation signal gets half its weight (see the module docstring)."""
DEFAULT_DEPTH = 100
"""How many of each signal's best papers take part in the fusion."""
DEFAULT_TYPES = ("paper", "thesis")
"""What `related` lists by default: textbooks and unclassified references (``book``,
``misc``) are cited across the field for their mass, not for being close to the seeds."""

_NODE_TYPES = "implicit_atlas.node_types"

Recommender = Callable[[str], list[dict[str, Any]]]
"""Given a Semantic Scholar paper id (``ARXIV:…``, ``DOI:…`` or a paperId), recommended papers."""


@dataclass
class RelatedPaper:
    """One ranked paper: fused score, each signal's contribution, raw score and rank."""

    key: str
    rank: int
    score: float
    contributions: dict[str, float]
    signal_scores: dict[str, float]
    signal_ranks: dict[str, float]
    curated: bool
    unseen_by: list[str] = field(default_factory=list)
    """Signals that cannot score this paper at all (see :func:`visibility`); the score counts
    only the others, scaled up by :attr:`scale`."""
    scale: float = 1.0


@dataclass
class RelatedResult:
    """The ranking for a set of seeds, with notes on signals that had no data."""

    seeds: list[str]
    papers: list[RelatedPaper]
    signals: list[str]
    notes: list[str] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    """Each signal's effective weight ``w_s · d_s`` for these seeds."""
    k: float = RRF_K
    """The fusion constant used (smaller than :data:`RRF_K` on sparse graphs)."""
    fill: float = 0.0
    """How much of a blind signal's term is filled in from the others (``1 - c``, see above)."""


def related_papers(
    G: nx.DiGraph,
    seeds: Sequence[str],
    *,
    top: int = 20,
    signals: Iterable[str] | None = None,
    weights: Mapping[str, float] | None = None,
    k: float = RRF_K,
    depth: int = DEFAULT_DEPTH,
    evidence_half: float | None = EVIDENCE_HALF,
    exclude_curated: bool = False,
    year_from: int | None = None,
    include_software: bool = False,
    exclude: Iterable[str] = (),
    types: Iterable[str] | None = DEFAULT_TYPES,
    recommender: Recommender | None = None,
    embeddings: Embeddings | None = None,
    sparse_adjust: bool = True,
    fill_blind: bool = True,
    weigh_text: bool = True,
) -> RelatedResult:
    """Papers related to `seeds` (node keys), best first, fused from `signals`.

    `signals` defaults to the graph signals, plus ``embedding`` when `embeddings` (SPECTER2
    vectors) are given. ``s2`` is added when a `recommender` is given; its failures (offline,
    not cached, rate limited) become notes, never errors. Filters (`exclude_curated`,
    `year_from`, software, the node keys in `exclude`, e.g. the papers a user already cites:
    see :func:`papers_in_bib`, and `types`: papers and theses by default, ``None`` for every
    kind of work) apply before ranking, so every signal ranks the same candidates.
    ``evidence_half=None`` turns the data weighting ``d_s`` off (plain weighted RRF);
    ``fill_blind=False`` lets a signal blind to a paper count as its last place;
    ``weigh_text=False`` gives text full weight whatever the graph's :func:`text_lift`.
    """
    if not seeds:
        raise AtlasError("no seed papers given; name at least one paper to find its neighbours")
    if signals is None:
        signals = (*GRAPH_SIGNALS, "embedding") if embeddings is not None else GRAPH_SIGNALS
    names = list(dict.fromkeys(signals))
    if recommender is not None and "s2" not in names:
        names.append("s2")
    unknown = [n for n in names if n not in SIGNAL_NAMES]
    if unknown:
        raise AtlasError(f"unknown signal(s) {unknown}; choose from {', '.join(SIGNAL_NAMES)}")
    if not names:
        raise AtlasError(f"no signal chosen; --signals takes some of {', '.join(SIGNAL_NAMES)}")
    w = {**DEFAULT_WEIGHTS, **(weights or {})}
    index = citation_index(G)
    positions = index.seed_positions(seeds)
    eligible = candidate_mask(
        index,
        positions,
        exclude_curated=exclude_curated,
        year_from=year_from,
        include_software=include_software,
        exclude=exclude,
    )
    listed = eligible & type_mask(G, index, types)
    notes = _coverage_notes(G, index, positions, names)
    if "embedding" in names and embeddings is not None:
        notes += _embedding_notes(G, index, positions, embeddings)

    scores: dict[str, np.ndarray] = {}
    for name in names:
        if name == "s2":
            if recommender is None:
                notes.append("S2 recommended: no Semantic Scholar client given; signal skipped")
                continue
            scores[name] = _recommendation_scores(G, index, positions, recommender, notes)
        elif name == "embedding":
            if embeddings is None:
                notes.append(
                    "SPECTER2: no embeddings beside this graph (`implicit-atlas build "
                    "--embeddings` fetches them); signal skipped"
                )
                continue
            scores[name] = embedding_scores(index, positions, embeddings)
        else:
            scores[name] = signal_scores(G, index, positions, name)

    share = list_coverage(index) if sparse_adjust else 1.0
    effective = {
        name: w[name]
        * data_weight(index, positions, name, evidence_half)
        * share ** LIST_DEPENDENCE.get(name, 0.0)
        for name in scores
    }
    if "text" in effective and evidence_half is not None and weigh_text:
        lift = text_lift(G)
        trust = text_weight(lift)
        effective["text"] *= trust
        if trust < 1:
            notes.append(
                f"text: in this graph a citing and a cited paper's words are only {lift:.2f}× "
                f"as alike as two random papers', so text similarity weighs "
                f"{trust:.2g} (full weight from {TEXT_LIFT_FULL:g}×)"
            )
    k = max(1.0, k * share)
    fill = 1.0 - share if fill_blind else 0.0
    visible = (
        {name: visibility(G, index, name, embeddings) for name in scores} if fill > 0 else None
    )
    fused, contributions, ranks, scale = fuse(
        index, scores, effective, listed, k=k, depth=depth, visible=visible, fill=fill
    )
    for name in scores:
        if name not in contributions and not any(
            SIGNAL_LABELS[name] in note.split(":")[0] for note in notes
        ):
            notes.append(f"{SIGNAL_LABELS[name]}: no candidate paper scored")

    order = top_positions(fused, listed, top, index.keys)
    if types is not None and len(order):
        notes += _type_notes(
            G, index, scores, effective, eligible, listed, order, types, k, depth, visible, fill
        )
    papers = [
        RelatedPaper(
            key=index.keys[i],
            rank=r + 1,
            score=float(fused[i]),
            contributions={n: float(c[i]) for n, c in contributions.items() if c[i] > 0},
            signal_scores={n: float(scores[n][i]) for n in contributions if scores[n][i] > 0},
            signal_ranks={
                n: float(ranks[n][i]) for n in contributions if not np.isnan(ranks[n][i])
            },
            curated=bool(index.curated[i]),
            unseen_by=[n for n in contributions if visible and not visible[n][i]],
            scale=float(scale[i]),
        )
        for r, i in enumerate(order)
    ]
    return RelatedResult(
        seeds=[index.keys[i] for i in positions],
        papers=papers,
        signals=list(scores),
        notes=notes,
        weights=effective,
        k=k,
        fill=fill,
    )


def average_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1 in ascending order, ties sharing their average rank.

    As ``scipy.stats.rankdata(method="average")``, without importing scipy.stats, which costs
    0.7 s of every `related` call.

    >>> average_ranks(np.array([3.0, 1.0, 3.0, 2.0])).tolist()
    [3.5, 1.0, 3.5, 2.0]
    """
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    starts = np.r_[0, np.flatnonzero(ordered[1:] != ordered[:-1]) + 1]
    ends = np.r_[starts[1:], len(values)]
    ranks = np.empty(len(values))
    ranks[order] = np.repeat((starts + ends + 1) / 2, ends - starts)
    return ranks


def fuse(
    index: CitationIndex,
    scores: Mapping[str, np.ndarray],
    effective: Mapping[str, float],
    eligible: np.ndarray,
    *,
    k: float = RRF_K,
    depth: int = DEFAULT_DEPTH,
    visible: Mapping[str, np.ndarray] | None = None,
    fill: float = 1.0,
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
    """Weighted reciprocal-rank fusion of `scores` over the `eligible` papers.

    Returns the fused score of every paper, each signal's share of it, each signal's rank
    (NaN outside its best `depth`; a signal with no eligible positive score is left out) and
    each paper's multiplier for the signals blind to it: with `visible` (signal -> which
    papers it can score), a blind signal's term is filled in with `fill` times the mean term
    of the signals that see the paper (:func:`_scale`), otherwise 1.
    """
    fused = np.zeros(index.size)
    contributions: dict[str, np.ndarray] = {}
    ranks: dict[str, np.ndarray] = {}
    for name, raw in scores.items():
        chosen = top_positions(raw, eligible, depth, index.keys)
        if len(chosen) == 0:
            continue
        rank = np.full(index.size, np.nan)
        rank[chosen] = average_ranks(-raw[chosen])
        share = np.zeros(index.size)
        share[chosen] = effective[name] / (k + rank[chosen])
        fused += share
        contributions[name] = share
        ranks[name] = rank
    scale = np.ones(index.size)
    if visible is not None and contributions and fill > 0:
        scale = _scale(effective, contributions, visible, fill)
        fused *= scale
        for share in contributions.values():
            share *= scale
    return fused, contributions, ranks, scale


def _scale(
    effective: Mapping[str, float],
    contributions: Mapping[str, np.ndarray],
    visible: Mapping[str, np.ndarray],
    fill: float,
) -> np.ndarray:
    """Each paper's score multiplier ``1 + f · Σ_{s blind to p} w_s / max(1, Σ_{s sees p} w_s)``.

    A blind signal's term is filled in with the seeing signals' mean term, times `fill`, and
    trusted only as far as the seeing signals weigh together up to one full signal: text
    weighted 0.2 in a graph whose titles say little cannot speak in full for the others.
    """
    seen = sum(effective[n] * visible[n].astype(float) for n in contributions)
    blind = sum(effective[n] * (~visible[n]).astype(float) for n in contributions)
    return 1.0 + fill * blind / np.maximum(seen, 1.0)


def visibility(
    G: nx.DiGraph, index: CitationIndex, name: str, embeddings: Embeddings | None = None
) -> np.ndarray:
    """Which papers signal `name` could score at all, whatever the seeds.

    Co-citation needs a paper somebody cites, coupling one whose references the graph holds,
    direct citation and PageRank one citation either way, text a title or abstract, SPECTER2
    a vector; Semantic Scholar's recommendations can name any paper.
    """
    if name == "cocitation":
        return index.in_degree > 0
    if name == "coupling":
        return index.out_degree > 0
    if name in ("citation", "pagerank"):
        return (index.in_degree + index.out_degree) > 0
    if name == "text":
        return np.asarray(text_index(G).has_text, dtype=bool)
    if name == "embedding" and embeddings is not None:
        seen = np.zeros(index.size, dtype=bool)
        seen[embeddings.aligned(index)[0]] = True
        return seen
    return np.ones(index.size, dtype=bool)


def type_mask(G: nx.DiGraph, index: CitationIndex, types: Iterable[str] | None) -> np.ndarray:
    """Which papers of `index` have one of `types` (a node without a type is a paper);
    ``None``: every paper."""
    if types is None:
        return np.ones(index.size, dtype=bool)
    wanted = {types} if isinstance(types, str) else set(types)
    unknown = sorted(wanted - set(NODE_TYPES))
    if unknown or not wanted:
        raise AtlasError(
            f"unknown type(s) {', '.join(map(repr, unknown))}; choose from {', '.join(NODE_TYPES)}"
            if unknown
            else f"no type to list; choose some of {', '.join(NODE_TYPES)}"
        )
    kinds = node_types(G, index)
    return np.isin(kinds, sorted(wanted))


def node_types(G: nx.DiGraph, index: CitationIndex) -> np.ndarray:
    """Each paper's type (``paper`` when it has none), in index order; kept with the graph's
    indexes so a query on a large graph does not walk every node again."""
    stamp = graph_stamp(G)
    cached: np.ndarray | None = _cached_index(G, _NODE_TYPES, stamp)
    if cached is not None and len(cached) == index.size:
        return cached
    kinds = np.array([str(G.nodes[key].get("type") or "paper") for key in index.keys])
    _store_index(G, _NODE_TYPES, stamp, kinds)
    return kinds


def _type_notes(
    G: nx.DiGraph,
    index: CitationIndex,
    scores: Mapping[str, np.ndarray],
    effective: Mapping[str, float],
    eligible: np.ndarray,
    listed: np.ndarray,
    order: np.ndarray,
    types: Iterable[str],
    k: float,
    depth: int,
    visible: Mapping[str, np.ndarray] | None = None,
    fill: float = 0.0,
) -> list[str]:
    """How many works of other types would have made the list, and how to include them."""
    everything, *_ = fuse(
        index, scores, effective, eligible, k=k, depth=depth, visible=visible, fill=fill
    )
    ranked = top_positions(everything, eligible, len(order), index.keys)
    skipped = Counter(
        str(G.nodes[index.keys[i]].get("type") or "paper") for i in ranked if not listed[i]
    )
    if not skipped:
        return []
    plural = {"thesis": "theses", "misc": "misc"}
    kinds = ", ".join(
        f"{n} {plural.get(t, t + 's') if n > 1 else t}" for t, n in sorted(skipped.items())
    )
    wanted = [types] if isinstance(types, str) else list(types)
    flags = " ".join(f"--type {t}" for t in dict.fromkeys([*wanted, *sorted(skipped)]))
    return [
        f"left out for their type: {kinds} that would rank in this top {len(order)} "
        f"(to include them: {flags})"
    ]


def reference_share(index: CitationIndex) -> float:
    """The share of the graph's papers whose reference list it holds (at least one reference)."""
    return float(np.mean(index.out_degree > 0)) if index.size else 0.0


def list_coverage(index: CitationIndex) -> float:
    """``min(1, share / 0.25) ** 1.5`` of the :func:`reference_share`: 1 when the graph holds
    the reference lists of at least 25% of its papers, falling fast below (the bundled data,
    3%: 0.03)."""
    return min(1.0, reference_share(index) / SPARSE_BELOW) ** SPARSE_POWER


def text_weight(lift: float | None) -> float:
    """Text's data weight from the graph's :func:`~.signals.text_lift`: 0 when citing pairs'
    words are no more alike than random pairs', 1 from :data:`TEXT_LIFT_FULL` times as alike
    (linear between); 1 when the graph has too few citations to judge.

    >>> text_weight(4.7), text_weight(1.25), text_weight(0.9), text_weight(None)
    (1.0, 0.5, 0.0, 1.0)
    """
    if lift is None:
        return 1.0
    return float(min(1.0, max(0.0, (lift - 1.0) / (TEXT_LIFT_FULL - 1.0))))


def data_weight(
    index: CitationIndex, seeds: np.ndarray, name: str, half: float | None = EVIDENCE_HALF
) -> float:
    """``d_s = e / (e + half)``: how much a citation signal can be trusted for these seeds.

    ``e`` is the seeds' citations the signal works from: citers for co-citation, references
    for coupling, both for direct citation and PageRank. Other signals, or ``half=None``: 1.
    """
    citers = float(index.in_degree[seeds].sum())
    references = float(index.out_degree[seeds].sum())
    evidence = {
        "cocitation": citers,
        "coupling": references,
        "citation": citers + references,
        "pagerank": citers + references,
    }.get(name)
    if half is None or evidence is None:
        return 1.0
    return evidence / (evidence + half) if evidence + half > 0 else 0.0


def signal_scores(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray, name: str) -> np.ndarray:
    """One graph signal's dense score array for the seed positions."""
    if name == "cocitation":
        return cocitation_scores(index, seeds)
    if name == "coupling":
        return coupling_scores(index, seeds)
    if name == "citation":
        return direct_scores(G, index, seeds)
    if name == "pagerank":
        return pagerank_scores(index, seeds, degree_normalized=True)
    if name == "text":
        return text_scores(text_index(G), seeds)
    raise AtlasError(f"unknown signal {name!r}; choose from {', '.join(SIGNAL_NAMES)}")


def candidate_mask(
    index: CitationIndex,
    seeds: np.ndarray,
    *,
    exclude_curated: bool = False,
    year_from: int | None = None,
    include_software: bool = False,
    exclude: Iterable[str] = (),
) -> np.ndarray:
    """Which papers of `index` may be listed for `seeds`: never the seeds themselves, then the
    user's filters. `related` and `lineage` rank the same candidates."""
    eligible = np.ones(index.size, dtype=bool)
    eligible[seeds] = False
    if not include_software:
        eligible &= ~index.software
    if exclude_curated:
        eligible &= ~index.curated
    if year_from is not None:
        eligible &= index.year >= year_from
    excluded = [index.position[key] for key in exclude if key in index.position]
    eligible[np.array(excluded, dtype=np.int64)] = False
    return eligible


def _coverage_notes(
    G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray, names: list[str]
) -> list[str]:
    """Say which signal has nothing to work with for which seed, instead of a silent gap."""
    text = text_index(G) if "text" in names else None
    lacking: dict[str, list[str]] = {}
    for s in seeds:
        cited, citing = index.in_degree[s], index.out_degree[s]
        gaps = {
            "cocitation": "cocitation" in names and cited == 0,
            "coupling": "coupling" in names and citing == 0,
            "citation": cited + citing == 0 and ("citation" in names or "pagerank" in names),
            "text": text is not None and not text.has_text[s],
        }
        for gap, missing in gaps.items():
            if missing:
                lacking.setdefault(gap, []).append(index.keys[s])
    reasons = {
        "cocitation": ("co-citation", "no paper in the graph cites", ""),
        "coupling": (
            "coupling",
            "the graph holds no reference list for",
            " (an online `build` fetches references from Semantic Scholar)",
        ),
        "citation": ("direct citation, PageRank", "no citation in the graph links", ""),
        "text": ("text", "no title or abstract to compare for", ""),
    }
    notes = []
    for gap, keys in lacking.items():
        label, reason, hint = reasons[gap]
        if len(keys) == 1:
            notes.append(f"{label}: {reason} {_short_title(G, keys[0])}, so no data for it{hint}")
        else:
            shown = ", ".join(_short_title(G, k, 40) for k in keys[:3])
            more = ", …" if len(keys) > 3 else ""
            notes.append(
                f"{label}: {reason} {len(keys)} of the {len(seeds)} seeds "
                f"({shown}{more}), so no data for them{hint}"
            )
    return notes


def _embedding_notes(
    G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray, embeddings: Embeddings
) -> list[str]:
    """Seeds Semantic Scholar gave no SPECTER2 vector for: that signal is blind to them."""
    at, _ = embeddings.aligned(index)
    covered = set(at.tolist())
    lacking = [index.keys[s] for s in seeds if s not in covered]
    if not lacking:
        return []
    if len(lacking) == 1:
        return [f"SPECTER2: no embedding for {_short_title(G, lacking[0])}, so no data for it"]
    return [f"SPECTER2: no embedding for {len(lacking)} of the {len(seeds)} seeds"]


def _recommendation_scores(
    G: nx.DiGraph,
    index: CitationIndex,
    seeds: np.ndarray,
    recommender: Recommender,
    notes: list[str],
) -> np.ndarray:
    """1/position of each recommended paper that is in the graph, summed over seeds."""
    out = np.zeros(index.size)
    lookup: PaperIndex | None = None
    outside = 0
    answered = 0
    failed: dict[type, list[tuple[str, AtlasError]]] = {}
    for s in seeds:
        key = index.keys[s]
        s2_id = s2_paper_id(G.nodes[key])
        if s2_id is None:
            notes.append(f"S2 recommended: {_short_title(G, key)} has no id Semantic Scholar knows")
            continue
        try:
            recommended = recommender(s2_id)
        except AtlasError as exc:
            failed.setdefault(type(exc), []).append((key, exc))
            continue
        answered += 1
        lookup = lookup or PaperIndex(G)
        for position, paper in enumerate(recommended, start=1):
            found = _graph_key(lookup, paper)
            if found is None:
                outside += 1
            else:
                out[index.position[found]] += 1.0 / position
    no_data = "no data, ranked without it: " if answered == 0 else ""
    for failures in failed.values():
        key, first = failures[0]
        if len(failures) == 1:
            notes.append(f"S2 recommended: {no_data}none for {_short_title(G, key)} ({first})")
        else:
            notes.append(
                f"S2 recommended: {no_data}none for {len(failures)} of the {len(seeds)} seeds "
                f"(e.g. {_short_title(G, key, 40)}: {first})"
            )
    if outside:
        notes.append(f"S2 recommended: {outside} recommended paper(s) are not in this graph")
    return out


def s2_paper_id(attrs: Mapping[str, Any]) -> str | None:
    """The identifier Semantic Scholar accepts for a node: paperId, then arXiv, then DOI."""
    if attrs.get("s2_id"):
        return str(attrs["s2_id"])
    if attrs.get("arxiv"):
        return f"ARXIV:{attrs['arxiv']}"
    if attrs.get("doi"):
        return f"DOI:{attrs['doi']}"
    return None


def _graph_key(lookup: PaperIndex, paper: Mapping[str, Any]) -> str | None:
    external = paper.get("externalIds") or {}
    for query in (
        paper.get("paperId"),
        external.get("ArXiv") and f"arXiv:{external['ArXiv']}",
        external.get("DOI") and f"doi:{external['DOI']}",
    ):
        if query:
            try:
                return lookup.find(str(query)) if _is_identifier(str(query)) else None
            except AtlasError:
                continue
    return None


def _is_identifier(query: str) -> bool:
    return query.lower().startswith(("arxiv:", "doi:")) or len(query) == 40


# --- evidence --------------------------------------------------------------------------------


@dataclass
class Evidence:
    """Why a paper is related to the seeds, as node keys and words a reader can check."""

    shared_references: list[str]
    co_citing: list[str]
    cites_seeds: list[tuple[str, bool]]
    cited_by_seeds: list[tuple[str, bool]]
    shared_terms: list[str]
    software: list[str]

    def is_empty(self) -> bool:
        return not (
            self.shared_references
            or self.co_citing
            or self.cites_seeds
            or self.cited_by_seeds
            or self.shared_terms
        )


def explain(G: nx.DiGraph, seeds: Sequence[str], key: str, *, max_terms: int = 6) -> Evidence:
    """The evidence linking `key` to `seeds`.

    Shared references (rarest first), papers citing both (co-citing), direct citations either
    way with Semantic Scholar's influential flag, title/abstract terms they share (heaviest
    first) and software implementing the paper.
    """
    refs = _cites_out(G, key)
    citers = _cites_in(G, key)
    shared_refs: set[str] = set()
    co_citing: set[str] = set()
    cites_seeds: list[tuple[str, bool]] = []
    cited_by_seeds: list[tuple[str, bool]] = []
    for seed in seeds:
        shared_refs |= refs & _cites_out(G, seed)
        co_citing |= citers & _cites_in(G, seed)
        if seed in refs:
            cites_seeds.append((seed, bool(G.edges[key, seed].get("is_influential"))))
        if seed in citers:
            cited_by_seeds.append((seed, bool(G.edges[seed, key].get("is_influential"))))
    shared_refs -= set(seeds)
    co_citing -= set(seeds)
    index = citation_index(G)
    return Evidence(
        shared_references=sorted(
            shared_refs, key=lambda r: (index.in_degree[index.position[r]], r)
        ),
        co_citing=sorted(co_citing, key=lambda c: (-(G.nodes[c].get("year") or 0), c)),
        cites_seeds=cites_seeds,
        cited_by_seeds=cited_by_seeds,
        shared_terms=_shared_terms(G, seeds, key, max_terms),
        software=sorted(
            u for u, _, kind in G.in_edges(key, data="kind") if kind == EDGE_IMPLEMENTS
        ),
    )


def _shared_terms(G: nx.DiGraph, seeds: Sequence[str], key: str, limit: int) -> list[str]:
    index = text_index(G)
    row = index.vectors[[index.position[key]], :]
    seed_rows = index.vectors[[index.position[s] for s in seeds], :]
    weights = np.asarray(row.multiply(seed_rows).sum(axis=0)).ravel()
    best = [j for j in np.argsort(-weights, kind="stable")[:limit] if weights[j] > 0]
    return [index.terms[j] for j in best]


def _cites_out(G: nx.DiGraph, key: str) -> set[str]:
    return {v for _, v, kind in G.out_edges(key, data="kind") if kind == EDGE_CITES}


def _cites_in(G: nx.DiGraph, key: str) -> set[str]:
    return {u for u, _, kind in G.in_edges(key, data="kind") if kind == EDGE_CITES}


def _short_title(G: nx.DiGraph, key: str, width: int = 60) -> str:
    """A seed's title, cut; a kind other than paper is named so a cut title cannot pass for
    a paper's ("Neural Ordinary Differential Equations …" (tutorial), not the NeurIPS paper)."""
    data = G.nodes[key]
    title = f"“{shorten(clean_text(data.get('title') or key), width)}”"
    kind = data.get("type")
    return f"{title} ({kind})" if kind and kind != "paper" else title


# --- seeds from queries, sections and the list -----------------------------------------------


def find_related(
    G: nx.DiGraph,
    queries: Sequence[str] = (),
    *,
    section: str | None = None,
    curated: bool = False,
    from_bib: Mapping[str, str] | None = None,
    **options: Any,
) -> RelatedResult:
    """:func:`related_papers` for what a user typed: paper queries, a section, or the whole list.

    Queries are resolved with :class:`~implicit_atlas.graph.lookup.PaperIndex` (ids, URLs or
    title fragments); `section` adds that section's curated papers; `curated` adds every
    curated paper (software excluded); `from_bib` (:func:`papers_in_bib`) adds the papers of a
    user's bibliography.
    """
    seeds = seed_papers(G, queries, section=section, curated=curated, from_bib=from_bib)
    return related_papers(G, seeds, **options)


def seed_papers(
    G: nx.DiGraph,
    queries: Sequence[str] = (),
    *,
    section: str | None = None,
    curated: bool = False,
    from_bib: Mapping[str, str] | None = None,
) -> list[str]:
    """The seed node keys a user named: queries, a bibliography, a section, the whole list."""
    seeds = PaperIndex(G).find_all(queries)
    if from_bib:
        from .bibtex import version_representatives

        # papers_in_bib names every version of a work; one of them (the venue version) seeds
        reps = version_representatives(G)
        works = dict.fromkeys(reps.get(k, k) for k in sorted(from_bib))
        seeds += [k for k in works if k not in seeds]
    if section is not None:
        seeds += [k for k in section_papers(G, section) if k not in seeds]
    if curated:
        seeds += [
            k
            for k, d in G.nodes(data=True)
            if d.get("curated") and d.get("type") != "software" and k not in seeds
        ]
    if not seeds:
        raise AtlasError(
            "no seed papers: give a paper (id, URL or part of its title), --section NAME, "
            "--curated, or --from-bib FILE.bib with papers of this graph"
        )
    return seeds


def papers_in_bib(
    G: nx.DiGraph, bib_path: str | os.PathLike[str], option: str = "--have"
) -> dict[str, str]:
    """Node key -> the key a user's .bib file cites it with (matched by DOI, arXiv id, title).

    What `related --have FILE.bib` marks, and `--missing-only` leaves out: "what should I read
    that my bibliography does not have yet?"
    """
    from .bibkeys import match_cited_keys, read_cited_entries
    from .bibtex import version_groups, version_representatives
    from .identity import normalize_title

    entries = read_cited_entries(bib_path, option=option)
    matched = match_cited_keys(G, entries)
    reps = version_representatives(G)
    versions = version_groups(reps)
    # a title-only entry whose title several nodes share: one work in several versions
    by_title: dict[str, list[str]] = {}
    for node, title in G.nodes(data="title"):
        norm = normalize_title(title)
        if norm:
            by_title.setdefault(norm, []).append(node)
    used = set(matched.values())
    for entry in entries:
        nodes = by_title.get(entry.title or "", [])
        if entry.key not in used and len({reps.get(n, n) for n in nodes}) == 1:
            matched.setdefault(nodes[0], entry.key)
    return {
        version: key
        for node, key in matched.items()
        for version in versions.get(reps.get(node, node), [node])
    }


def section_papers(G: nx.DiGraph, name: str) -> list[str]:
    """The curated papers (not software) of the section called `name` (case-insensitive prefix)."""
    from .selection import match_section

    sections = [str(s) for s in G.graph.get("curated_sections") or []]
    for _, d in G.nodes(data=True):
        if d.get("curated") and d.get("section") and str(d["section"]) not in sections:
            sections.append(str(d["section"]))
    section = match_section(name, sections)
    papers = [
        k
        for k, d in G.nodes(data=True)
        if d.get("curated") and d.get("section") == section and d.get("type") != "software"
    ]
    if not papers:
        raise AtlasError(f"section {section!r} lists no papers (only software or nothing)")
    return papers


@contextlib.contextmanager
def s2_recommender(
    *,
    online: bool = False,
    limit: int = 100,
    api_url: str | None = None,
    api_key: str | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    rps: float | None = None,
) -> Iterator[Recommender]:
    """Semantic Scholar recommendations from the response cache (and the network when `online`).

    Nothing is opened until the first recommendation is asked for, and offline with no cache
    file nothing is created: the signal then has no data (a note), it never leaves an empty
    cache behind. Failures surface as S2 errors (AtlasError), which :func:`related_papers`
    turns into notes. The client is imported lazily: the ranking itself never needs it.
    """
    from .sources.cache import CACHE_FILE_NAME, S2Cache, default_cache_dir
    from .sources.s2 import NotCached, S2Client

    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    opened: list[S2Client] = []

    def client() -> S2Client:
        if not opened:
            if not online and not (folder / CACHE_FILE_NAME).exists():
                raise NotCached(f"offline and not in the cache (no cache in {folder} yet)")
            cache = S2Cache(folder)
            opened.append(S2Client(api_url, api_key, cache=cache, offline=not online, rps=rps))
        return opened[0]

    def recommend(paper_id: str) -> list[dict[str, Any]]:
        return client().recommendations(paper_id, limit=limit)

    try:
        yield recommend
    finally:
        for c in opened:
            c.close()
            if c.cache is not None:
                c.cache.close()
