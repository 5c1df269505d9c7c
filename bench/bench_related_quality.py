"""How well each related-paper signal, and their fusion, recovers a paper's own topic.

A generated citation graph with planted topic communities: every paper belongs to one topic,
cites earlier papers (mostly of its topic, preferentially the popular ones) and has a title
drawn partly from its topic's words. For random seed papers we rank with each signal alone and
with the fusion, and report precision@10: the share of the top 10 that share the seed's topic.
Two regimes: complete reference lists, and sparse data where most reference lists are missing
(as in the bundled data), each with titles drawing 35% of their words from the topic, and
again with vaguer titles (15%), where text is a weaker signal; and a hard regime where only
40% of a paper's references stay in its topic (topic strength 0.4), complete and sparse.
The lift is fusion precision
over the best single signal's. The fusion (reciprocal ranks, each citation signal weighted
by d = e / (e + 0.5) for the e citations of the seed it works from; see graph/related.py) is
measured in the same run against plain reciprocal-rank fusion (d = 1) and against a
stronger damping, h = 5, which mostly moves weight from the citation signals to text, and
against the fusion without its sparse-data adjustment (``fixed k``: k = 60 and full weights
whatever share of the graph's reference lists is known), against the fusion that counts
a signal unable to see a paper as that paper's last place (``blind last``: the fusion
before `fill_blind`), against the fusion with neither the fill nor text weighted by its
lift (``neither``: the fusion before both), against the four citation signals at half
weight (``cit. x0.5``) and against the fusion without text (``no text``). Two regimes have
titles drawn without topic words ("topic-free"), where text similarity is noise.

    python bench/bench_related_quality.py [--papers 3000] [--topics 25] [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
from typing import Any

import networkx as nx

from implicit_atlas.graph.related import related_papers
from implicit_atlas.graph.signals import personalized_pagerank

SIGNALS = ("cocitation", "coupling", "citation", "pagerank", "text")
GENERAL_WORDS = [f"w{i}" for i in range(400)]


def planted_graph(
    papers: int,
    topics: int,
    refs: int,
    in_topic: float,
    missing_refs: float,
    rng: random.Random,
    topic_share: float = 0.35,
) -> nx.DiGraph:
    """Papers in `topics` communities; `missing_refs` of them have no reference list;
    `topic_share` of title words come from the topic's vocabulary."""
    topic_words = [[f"t{t}x{i}" for i in range(25)] for t in range(topics)]
    G = nx.DiGraph()
    by_topic: list[list[int]] = [[] for _ in range(topics)]
    weight: list[float] = []
    for p in range(papers):
        topic = rng.randrange(topics)
        words = [
            rng.choice(topic_words[topic])
            if rng.random() < topic_share
            else rng.choice(GENERAL_WORDS)
            for _ in range(7)
        ]
        G.add_node(f"p{p}", title=" ".join(words), year=1990 + p * 30 // papers, topic=topic)
        if p > refs and rng.random() >= missing_refs:
            chosen: set[int] = set()
            while len(chosen) < refs:
                pool = by_topic[topic] if rng.random() < in_topic and by_topic[topic] else range(p)
                candidates = list(pool)
                cited = rng.choices(candidates, weights=[weight[c] for c in candidates])[0]
                chosen.add(cited)
            for c in chosen:
                G.add_edge(f"p{p}", f"p{c}", kind="cites")
                weight[c] += 1.0
        by_topic[topic].append(p)
        weight.append(1.0)
    return G


def precision_at_10(
    G: nx.DiGraph, seeds: list[str], signals: tuple[str, ...], **options: Any
) -> float:
    scores = []
    for seed in seeds:
        topic = G.nodes[seed]["topic"]
        top = related_papers(G, [seed], signals=signals, top=10, **options).papers
        scores.append(sum(G.nodes[p.key]["topic"] == topic for p in top) / 10)
    return statistics.fmean(scores)


def run(
    papers: int,
    topics: int,
    queries: int,
    missing_refs: float,
    seed: int,
    topic_share: float,
    in_topic: float = 0.6,
) -> dict[str, float]:
    rng = random.Random(seed)
    G = planted_graph(
        papers,
        topics,
        refs=12,
        in_topic=in_topic,
        missing_refs=missing_refs,
        rng=rng,
        topic_share=topic_share,
    )
    cited = [n for n in G if G.in_degree(n) > 0]
    seeds = rng.sample(cited, min(queries, len(cited)))
    results = {name: precision_at_10(G, seeds, (name,)) for name in SIGNALS}
    results["fusion"] = precision_at_10(G, seeds, SIGNALS)
    results["plain RRF"] = precision_at_10(G, seeds, SIGNALS, evidence_half=None)
    results["h=5"] = precision_at_10(G, seeds, SIGNALS, evidence_half=5.0)
    results["fixed k"] = precision_at_10(G, seeds, SIGNALS, sparse_adjust=False)
    results["blind last"] = precision_at_10(G, seeds, SIGNALS, fill_blind=False)
    results["neither"] = precision_at_10(G, seeds, SIGNALS, fill_blind=False, weigh_text=False)
    half = {name: 0.5 for name in SIGNALS if name != "text"}
    results["cit. x0.5"] = precision_at_10(G, seeds, SIGNALS, weights=half)
    results["no text"] = precision_at_10(G, seeds, tuple(s for s in SIGNALS if s != "text"))
    results["raw pagerank"] = statistics.fmean(
        sum(
            G.nodes[k]["topic"] == G.nodes[seed]["topic"]
            for k in personalized_pagerank(G, seed, limit=10)
        )
        / 10
        for seed in seeds
    )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=3000)
    parser.add_argument("--topics", type=int, default=25)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(
        f"planted graph: {args.papers} papers, {args.topics} topics, 12 references each "
        f"(60% in-topic), {args.queries} seed papers; chance level = {1 / args.topics:.2f}"
    )
    fusions = ("fusion", "plain RRF", "h=5", "fixed k", "blind last", "neither", "cit. x0.5")
    fusions += ("no text",)
    print(f"{'regime':<28}" + "".join(f"{s:>11}" for s in (*SIGNALS, *fusions)) + "   lift")
    regimes = (
        ("complete reference lists", 0.0, 0.35, 0.6),
        ("70% reference lists missing", 0.7, 0.35, 0.6),
        ("complete, vaguer titles", 0.0, 0.15, 0.6),
        ("70% missing, vaguer titles", 0.7, 0.15, 0.6),
        ("hard: 40% in-topic", 0.0, 0.35, 0.4),
        ("hard: 40% in-topic, 70% mis.", 0.7, 0.35, 0.4),
        ("hard: 40% in-topic, 97% mis.", 0.97, 0.35, 0.4),
        ("97% missing, vaguer titles", 0.97, 0.15, 0.6),
        ("complete, topic-free titles", 0.0, 0.0, 0.6),
        ("97% missing, topic-free", 0.97, 0.0, 0.6),
    )
    for label, missing, topic_share, in_topic in regimes:
        r = run(args.papers, args.topics, args.queries, missing, args.seed, topic_share, in_topic)
        best = max(r[s] for s in SIGNALS)
        print(
            f"{label:<28}"
            + "".join(f"{r[s]:>11.3f}" for s in (*SIGNALS, *fusions))
            + f"   {r['fusion'] / best:.2f}x (plain RRF {r['plain RRF'] / best:.2f}x)"
        )
        print(f"{'':<28}(PageRank without degree normalisation: {r['raw pagerank']:.3f})")


if __name__ == "__main__":
    main()
