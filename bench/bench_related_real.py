"""Leave-one-out on the real bundled data: does `related` find the paper that was held out?

Two sets of queries on the offline build of the bundled data (``build_atlas(load_catalog())``,
the graph `implicit-atlas build --offline` writes):

- **curated**: each curated paper (not software) with at least 3 citation links is held out;
  the other curated papers of its section are the seeds. Nothing is removed from the graph:
  a user who knows a section asks for its neighbours.
- **reference lists**: for each paper of the field sample whose reference list is complete
  (``scope == "full_reference_list"``), some of its references (``--per-paper``, all with
  ``--all``) are held out one at a time; the paper's other references are the seeds, and the
  citing paper's edge(s) to the held-out work are removed so the answer is not leaked.

For each query every method ranks the same candidates (papers and theses, no software, not a
seed) and the bench reports the mean reciprocal rank of the held-out work (0 when not
ranked), hits@10 and hits@20. Versions of one work count as one: a work scores as its best
version, seeds' other versions are not candidates (``graph.bibtex.version_groups``; on a
registry that merges versions every group is one node). Ties are counted fairly: a held-out
work tied with others gets the mean over the tied positions, so a coarse count is not
rewarded for a lucky order.

Methods, all measured in the same run:

- ``fused`` — what `related` ships (graph/related.py), with its default options;
- ``fused, blind = last`` — the same without filling in blind signals (``fill_blind=False``:
  a signal that cannot see a paper counts as its last place, the fusion before that change);
- each single signal of the fusion on its own (raw scores, no depth cut);
- baselines a user would otherwise reach for: ``co-citation count`` (for each candidate, how
  many papers citing a seed also cite it: Connected Papers' core), ``cited by seeds`` and
  ``cites seeds`` (how many seeds cite the candidate / it cites: Local Citation Network's
  counts) and their sum ``LCN links``, and ``PageRank (Inciteful)``, personalised PageRank
  from the seeds without degree normalisation.

``--acronyms`` also measures, in the same run, the fused ranking and the text signal with
the corpus's acronyms left as written (``acronyms as written``: the text index before
acronyms were learned) and in the other forms ``graph.signals.ACRONYM_FORM`` can take, and
prints the learned table and the text lift with and without.

``--halves`` also reports each half of the queries (split by query group: the section, or
the citing paper), so a variant tuned on one half can be checked on the other.

    python bench/bench_related_real.py [--per-paper 8] [--all] [--halves] [--acronyms] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from implicit_atlas.graph import build_atlas, load_catalog
from implicit_atlas.graph.bibtex import version_groups, version_representatives
from implicit_atlas.graph.related import (
    DEFAULT_TYPES,
    GRAPH_SIGNALS,
    candidate_mask,
    related_papers,
    signal_scores,
    type_mask,
)
from implicit_atlas.graph.schema import EDGE_CITES
from implicit_atlas.graph.signals import (
    _TEXT_INDEX,
    _TEXT_LIFT,
    ACRONYM_FORM,
    CitationIndex,
    TextIndex,
    _cached_index,
    _store_index,
    build_text_index,
    citation_index,
    graph_acronyms,
    graph_stamp,
    pagerank_scores,
    text_index,
    text_lift,
)

Method = Callable[[nx.DiGraph, CitationIndex, np.ndarray], np.ndarray]
"""(graph, its citation index, seed positions) -> a score per node (higher is better)."""


@dataclass
class Query:
    """Seeds, the held-out work, and the edges to remove while asking."""

    group: str
    seeds: list[str]
    target: str
    removed: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


# --- methods -----------------------------------------------------------------------------------


def fused(**options: Any) -> Method:
    """The shipped fusion (graph/related.py), every candidate listed."""

    def method(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
        keys = [index.keys[s] for s in seeds]
        result = related_papers(G, keys, top=index.size, **options)
        out = np.zeros(index.size)
        for p in result.papers:
            out[index.position[p.key]] = p.score
        return out

    return method


def single(name: str) -> Method:
    def method(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
        return signal_scores(G, index, seeds, name)

    return method


def cocitation_count(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    """How many papers citing a seed also cite the candidate (Connected Papers' core)."""
    citers = np.asarray(index.cited_by[seeds, :].sum(axis=0)).ravel() > 0
    return np.asarray(index.cited_by @ citers.astype(np.float64)).ravel()


def cited_by_seeds(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    return np.asarray(index.cites[seeds, :].sum(axis=0)).ravel()


def cites_seeds(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    return np.asarray(index.cited_by[seeds, :].sum(axis=0)).ravel()


def lcn_links(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    return cited_by_seeds(G, index, seeds) + cites_seeds(G, index, seeds)


def inciteful_pagerank(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
    return pagerank_scores(index, seeds, degree_normalized=False)


def default_methods() -> dict[str, Method]:
    methods: dict[str, Method] = {"fused": fused(), "fused, blind = last": fused(fill_blind=False)}
    methods.update({name: single(name) for name in GRAPH_SIGNALS})
    methods.update(
        {
            "co-citation count": cocitation_count,
            "cited by seeds": cited_by_seeds,
            "cites seeds": cites_seeds,
            "LCN links": lcn_links,
            "PageRank (Inciteful)": inciteful_pagerank,
        }
    )
    return methods


def with_acronyms(method: Method, acronyms: str) -> Method:
    """`method` run on the text index built with ``acronyms=...`` (the graph's own put back
    after): its words do not depend on the citations, so it is built once."""
    built: list[TextIndex] = []

    def variant(G: nx.DiGraph, index: CitationIndex, seeds: np.ndarray) -> np.ndarray:
        if not built:
            built.append(build_text_index(G, acronyms=acronyms))
        store = G.__networkx_cache__
        saved = {name: store.pop(name, None) for name in (_TEXT_INDEX, _TEXT_LIFT)}
        store[_TEXT_INDEX] = (graph_stamp(G), built[0])
        try:
            return method(G, index, seeds)
        finally:
            for name, value in saved.items():
                store.pop(name, None)
                if value is not None:
                    store[name] = value

    return variant


def acronym_methods() -> dict[str, Method]:
    """The fusion and the text signal with acronyms as written, and in each other form."""
    methods: dict[str, Method] = {}
    for form in ("none", "contract+words", "contract", "expand", "both"):
        if form == ACRONYM_FORM:
            continue  # that is `fused` and `text`
        label = "acronyms as written" if form == "none" else f"acronyms: {form}"
        methods[f"fused, {label}"] = with_acronyms(fused(), form)
        methods[f"text, {label}"] = with_acronyms(single("text"), form)
    return methods


def print_acronyms(G: nx.DiGraph) -> None:
    table = graph_acronyms(G)
    print(f"acronyms learned from the bundled titles ({len(table)}):")
    for acronym, run in table.items():
        print(f"  {acronym:<8}{' '.join(run)}")
    lifts = {}
    for form in ("none", ACRONYM_FORM):
        H = nx.DiGraph(G)
        _store_index(H, _TEXT_INDEX, graph_stamp(H), build_text_index(H, acronyms=form))
        lifts[form] = text_lift(H)
    print(
        f"text_lift: {lifts['none']:.2f} with acronyms as written, "
        f"{lifts[ACRONYM_FORM]:.2f} with {ACRONYM_FORM!r}"
    )


BASELINES = ("co-citation count", "cited by seeds", "cites seeds", "LCN links")
BASELINES += ("PageRank (Inciteful)",)

# --- queries -----------------------------------------------------------------------------------


def citation_links(G: nx.DiGraph, key: str) -> int:
    return sum(
        1
        for edges in (G.in_edges(key, data="kind"), G.out_edges(key, data="kind"))
        for *_, kind in edges
        if kind == EDGE_CITES
    )


def curated_queries(G: nx.DiGraph, works: dict[str, str]) -> list[Query]:
    """Each curated paper with >= 3 citation links, seeded by the rest of its section."""
    by_section: dict[str, list[str]] = {}
    for key, d in G.nodes(data=True):
        if d.get("curated") and d.get("section") and d.get("type") not in ("software", "tutorial"):
            by_section.setdefault(str(d["section"]), []).append(key)
    queries = []
    for section, papers in sorted(by_section.items()):
        for target in sorted(papers):
            if citation_links(G, target) < 3:
                continue
            seeds = [p for p in papers if works[p] != works[target]]
            if seeds:
                queries.append(Query(section, seeds, target))
    return queries


def full_reference_lists(G: nx.DiGraph) -> dict[str, list[str]]:
    """Citing paper -> its references, for the papers whose whole reference list is known."""
    out: dict[str, list[str]] = {}
    for u, v, d in G.edges(data=True):
        if d.get("kind") != EDGE_CITES:
            continue
        if any(p.get("scope") == "full_reference_list" for p in d.get("provenance") or []):
            out.setdefault(u, []).append(v)
    return {k: sorted(v) for k, v in sorted(out.items())}


def reference_queries(
    G: nx.DiGraph,
    works: dict[str, str],
    versions: dict[str, list[str]],
    per_paper: int | None,
    rng: random.Random,
    types: Iterable[str] = DEFAULT_TYPES,
) -> list[Query]:
    """Hold out one reference (a paper or thesis) of a full reference list at a time."""
    wanted = set(types)
    queries = []
    for citing, refs in full_reference_lists(G).items():
        held = [r for r in refs if str(G.nodes[r].get("type") or "paper") in wanted]
        if per_paper is not None and len(held) > per_paper:
            held = rng.sample(held, per_paper)
        for target in sorted(held):
            seeds = [r for r in refs if works[r] != works[target]]
            if not seeds:
                continue
            removed = [
                (u, v, dict(G.edges[u, v]))
                for u in versions[works[citing]]
                for v in versions[works[target]]
                if G.has_edge(u, v)
            ]
            queries.append(Query(citing, seeds, target, removed))
    return queries


# --- scoring -----------------------------------------------------------------------------------


def reciprocal_rank(
    scores: np.ndarray, eligible: np.ndarray, work_of: np.ndarray, target_work: int
) -> tuple[float, float, float]:
    """(reciprocal rank, hit@10, hit@20) of the target work, ties shared fairly.

    A work scores as its best eligible version; a target tied with ``t`` other works below
    ``b`` better ones gets the mean over positions ``b+1 .. b+t+1``.
    """
    best = np.full(work_of.max() + 1, -np.inf)
    ok = eligible & (scores > 0)
    np.maximum.at(best, work_of[ok], scores[ok])
    mine = best[target_work]
    if not np.isfinite(mine):
        return 0.0, 0.0, 0.0
    better = int(np.sum(best > mine))
    tied = int(np.sum(best == mine))  # includes the target
    positions = np.arange(better + 1, better + tied + 1)
    return (
        float(np.mean(1.0 / positions)),
        float(np.mean(positions <= 10)),
        float(np.mean(positions <= 20)),
    )


def evaluate(
    G: nx.DiGraph,
    queries: Sequence[Query],
    methods: dict[str, Method],
    works: dict[str, str],
) -> dict[str, list[tuple[float, float, float]]]:
    """Per method, one (RR, hit@10, hit@20) per query."""
    text = text_index(G)
    work_ids = {w: i for i, w in enumerate(sorted(set(works.values())))}
    results: dict[str, list[tuple[float, float, float]]] = {m: [] for m in methods}
    for q in queries:
        G.remove_edges_from([(u, v) for u, v, _ in q.removed])
        try:
            stamp = graph_stamp(G)
            if _cached_index(G, "implicit_atlas.text_index", stamp) is None:
                _store_index(G, "implicit_atlas.text_index", stamp, text)  # text has no edges
            index = citation_index(G)
            seeds = index.seed_positions(q.seeds)
            eligible = candidate_mask(index, seeds) & type_mask(G, index, DEFAULT_TYPES)
            seed_works = {works[k] for k in q.seeds}
            eligible &= np.array([works[k] not in seed_works for k in index.keys])
            work_of = np.array([work_ids[works[k]] for k in index.keys])
            target = work_ids[works[q.target]]
            for name, method in methods.items():
                results[name].append(
                    reciprocal_rank(method(G, index, seeds), eligible, work_of, target)
                )
        finally:
            G.add_edges_from(q.removed)
    return results


def summary(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    if not rows:
        return 0.0, 0.0, 0.0
    return tuple(statistics.fmean(r[i] for r in rows) for i in range(3))  # type: ignore[return-value]


def print_table(
    title: str, sets: dict[str, dict[str, list[tuple[float, float, float]]]], counts: dict[str, int]
) -> None:
    names = list(next(iter(sets.values())))
    head = "".join(f"{f'{s} ({counts[s]})':>27}" for s in sets)
    print(f"\n{title}\n{'method':<24}{head}")
    print(f"{'':<24}" + "".join(f"{'MRR':>9}{'hit@10':>9}{'hit@20':>9}" for _ in sets))
    for name in names:
        cells = "".join("".join(f"{v:>9.3f}" for v in summary(sets[s][name])) for s in sets)
        print(f"{name:<24}{cells}")


def split_halves(queries: list[Query], rng: random.Random) -> tuple[list[Query], list[Query]]:
    groups = sorted({q.group for q in queries})
    rng.shuffle(groups)
    first = set(groups[::2])
    return [q for q in queries if q.group in first], [q for q in queries if q.group not in first]


def run(
    methods: dict[str, Method],
    per_paper: int | None,
    seed: int,
    halves: bool,
    acronyms: bool = False,
) -> dict[str, dict[str, list[tuple[float, float, float]]]]:
    G = build_atlas(load_catalog())
    if acronyms:
        print_acronyms(G)
    works = version_representatives(G)
    versions = version_groups(works)
    rng = random.Random(seed)
    query_sets = {
        "curated": curated_queries(G, works),
        "reference lists": reference_queries(G, works, versions, per_paper, rng),
    }
    merged = sum(1 for v in versions.values() if len(v) > 1)
    print(
        f"bundled graph: {len(G)} nodes, {G.number_of_edges()} edges, {merged} works in "
        f"several versions; queries: "
        + ", ".join(f"{len(q)} {name}" for name, q in query_sets.items())
    )
    start = time.perf_counter()
    results = {name: evaluate(G, qs, methods, works) for name, qs in query_sets.items()}
    counts = {name: len(qs) for name, qs in query_sets.items()}
    print(f"({time.perf_counter() - start:.1f} s)")
    print_table("leave-one-out on the bundled data", results, counts)
    if halves:
        for name, qs in query_sets.items():
            a, b = split_halves(qs, random.Random(seed))
            first, second = {q.target + q.group for q in a}, {q.target + q.group for q in b}
            keep = {
                "half A": [i for i, q in enumerate(qs) if q.target + q.group in first],
                "half B": [i for i, q in enumerate(qs) if q.target + q.group in second],
            }
            split = {
                h: {m: [results[name][m][i] for i in idx] for m in methods}
                for h, idx in keep.items()
            }
            print_table(
                f"{name}: halves by query group", split, {h: len(i) for h, i in keep.items()}
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-paper", type=int, default=8, help="held-out refs per paper")
    parser.add_argument("--all", action="store_true", help="hold out every reference")
    parser.add_argument("--halves", action="store_true", help="also report two halves")
    parser.add_argument("--acronyms", action="store_true", help="also measure without them")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    methods = default_methods() | (acronym_methods() if args.acronyms else {})
    per_paper = None if args.all else args.per_paper
    results = run(methods, per_paper, args.seed, args.halves, args.acronyms)
    print()
    for name, rows in results.items():
        mrr = {m: summary(r)[0] for m, r in rows.items()}
        best_signal = max(GRAPH_SIGNALS, key=lambda s: mrr[s])
        best_baseline = max(BASELINES, key=lambda b: mrr[b])
        print(
            f"{name}: fused MRR {mrr['fused']:.3f} = {mrr['fused'] / mrr[best_signal]:.2f}x "
            f"its best signal ({best_signal}), {mrr['fused'] / mrr[best_baseline]:.2f}x the "
            f"best baseline ({best_baseline})"
        )


if __name__ == "__main__":
    main()
