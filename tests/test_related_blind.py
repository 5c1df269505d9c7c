"""How much the fusion trusts what it cannot see, and text it cannot trust.

A signal blind to a paper (nobody cites it, no reference list) is not its last place.

In a sparse graph the blind signal's term is filled in from the signals that see the paper
(graph/related.py, `visibility` and `fuse(..., fill=...)`); in a graph holding a quarter or
more of its reference lists nothing changes. Text weighs by how much more alike citing
pairs' words are than random pairs' (`text_lift`).
"""

from __future__ import annotations

import random

import networkx as nx
import numpy as np
import pytest

from implicit_atlas.graph.embeddings import Embeddings
from implicit_atlas.graph.related import (
    SPARSE_BELOW,
    TEXT_LIFT_FULL,
    list_coverage,
    related_papers,
    text_weight,
    visibility,
)
from implicit_atlas.graph.related_format import format_related, related_to_json
from implicit_atlas.graph.signals import citation_index, text_lift


def paper(g: nx.DiGraph, key: str, title: str, year: int = 2020) -> None:
    g.add_node(key, title=title, year=year, type="paper")


def sparse_graph(fillers: int = 60) -> nx.DiGraph:
    """A citing core of 4 papers among `fillers` papers with no edge: few reference lists."""
    g = nx.DiGraph()
    paper(g, "deq", "Deep equilibrium models", 2019)
    paper(g, "hub", "Deep residual learning", 2016)
    paper(g, "fresh", "Deep equilibrium models for optical flow", 2024)
    paper(g, "z1", "A survey of implicit layers", 2022)
    paper(g, "z2", "Implicit layers in practice", 2023)
    for i in range(fillers):
        paper(g, f"f{i}", f"Unrelated study number {i} of protein folding kinetics")
    g.add_edges_from([("z1", "deq"), ("z1", "hub"), ("z2", "deq"), ("z2", "hub")], kind="cites")
    return g


def test_visibility_says_which_papers_each_signal_can_rank() -> None:
    g = sparse_graph(fillers=2)
    index = citation_index(g)
    at = index.position
    seen = {n: visibility(g, index, n) for n in ("cocitation", "coupling", "citation", "text")}
    assert seen["cocitation"][at["hub"]] and not seen["cocitation"][at["fresh"]]
    assert seen["coupling"][at["z1"]] and not seen["coupling"][at["hub"]]
    assert seen["citation"][at["hub"]] and not seen["citation"][at["fresh"]]
    assert seen["text"].all()  # every paper here has a title
    assert visibility(g, index, "s2").all()  # recommendations can name any paper


def test_an_uncited_paper_is_scored_over_the_signals_that_see_it() -> None:
    g = sparse_graph()
    index = citation_index(g)
    assert list_coverage(index) < 1  # 2 of 65 papers have a reference list
    filled = related_papers(g, ["deq"], top=10)
    plain = related_papers(g, ["deq"], top=10, fill_blind=False)
    fresh = next(p for p in filled.papers if p.key == "fresh")
    before = next(p for p in plain.papers if p.key == "fresh")

    assert filled.fill == pytest.approx(1 - list_coverage(index))
    assert set(fresh.unseen_by) == {"cocitation", "citation", "pagerank"} & set(filled.weights)
    blind = sum(filled.weights[s] for s in fresh.unseen_by)
    seen = sum(w for s, w in filled.weights.items() if s not in fresh.unseen_by)
    assert fresh.scale == pytest.approx(1 + filled.fill * blind / seen)
    assert fresh.score == pytest.approx(before.score * fresh.scale)
    assert sum(fresh.contributions.values()) == pytest.approx(fresh.score)
    assert plain.fill == 0 and all(p.scale == 1 and not p.unseen_by for p in plain.papers)

    ranked = [p.key for p in filled.papers]
    assert ranked.index("fresh") < ranked.index("hub"), "the new DEQ paper beats the hub"
    assert [p.key for p in plain.papers].index("fresh") > [p.key for p in plain.papers].index(
        "hub"
    ), "plain RRF counts co-citation's silence as a last place"


def test_seen_papers_keep_their_score() -> None:
    g = sparse_graph()
    filled = related_papers(g, ["deq"], top=10)
    plain = related_papers(g, ["deq"], top=10, fill_blind=False)
    hub = next(p for p in filled.papers if p.key == "hub")
    assert hub.scale == 1 and hub.unseen_by == []
    assert hub.score == pytest.approx(next(p.score for p in plain.papers if p.key == "hub"))


def test_a_graph_with_a_quarter_of_its_reference_lists_ranks_as_before() -> None:
    g = sparse_graph(fillers=0)  # 2 of 5 papers cite: 40% >= 25%
    index = citation_index(g)
    assert np.mean(index.out_degree > 0) >= SPARSE_BELOW
    filled = related_papers(g, ["deq"], top=10)
    plain = related_papers(g, ["deq"], top=10, fill_blind=False)
    assert filled.fill == 0
    assert [(p.key, p.score) for p in filled.papers] == [(p.key, p.score) for p in plain.papers]


def test_table_and_json_say_which_signals_were_blind() -> None:
    g = sparse_graph()
    result = related_papers(g, ["deq"], top=10)
    table = format_related(g, result, explain_evidence=True)
    assert "a signal blind to a paper" in table.splitlines()[1]
    assert "blind to it: co-citation" in table
    data = related_to_json(g, result)
    fresh = next(p for p in data["papers"] if p["key"] == "fresh")
    assert "cocitation" in fresh["blind_signals"] and fresh["blind_scale"] > 1
    assert data["fusion"]["blind_fill"] == pytest.approx(result.fill)


def worded_graph(topic_titles: bool, papers: int = 160) -> nx.DiGraph:
    """`papers` papers in 4 topics, each citing 3 earlier papers of its topic; titles drawn
    from the topic's words, or (``topic_titles=False``) from one shared vocabulary."""
    rng = random.Random(3)
    g = nx.DiGraph()
    shared = [f"word{i}" for i in range(60)]
    for p in range(papers):
        topic = p % 4
        vocabulary = [f"t{topic}w{i}" for i in range(15)] if topic_titles else shared
        paper(g, f"p{p}", " ".join(rng.choice(vocabulary) for _ in range(6)))
        earlier = [q for q in range(topic, p, 4)]
        for q in rng.sample(earlier, min(3, len(earlier))):
            g.add_edge(f"p{p}", f"p{q}", kind="cites")
    return g


def test_text_weighs_by_how_much_citing_pairs_share_words() -> None:
    topical, noise = worded_graph(True), worded_graph(False)
    assert text_lift(topical) > TEXT_LIFT_FULL
    assert text_lift(noise) == pytest.approx(1.0, abs=0.2)
    assert text_weight(text_lift(topical)) == 1.0 and text_weight(text_lift(noise)) < 0.5

    result = related_papers(noise, ["p40"], top=5)
    assert result.weights["text"] == pytest.approx(text_weight(text_lift(noise)))
    assert any(n.startswith("text: in this graph") for n in result.notes)
    assert related_papers(topical, ["p40"], top=5).weights["text"] == 1.0


def test_too_few_citations_to_judge_text_leave_it_full_weight() -> None:
    g = sparse_graph()  # 4 citation pairs
    assert text_lift(g) is None and text_weight(None) == 1.0
    assert related_papers(g, ["deq"], top=5).weights["text"] == 1.0


def test_specter2_sees_only_papers_with_a_vector() -> None:
    g = sparse_graph()
    index = citation_index(g)
    vectors = Embeddings(["deq", "fresh"], np.array([[1.0, 0.0], [0.9, 0.1]]))
    seen = visibility(g, index, "embedding", vectors)
    assert seen[index.position["fresh"]] and not seen[index.position["hub"]]
    result = related_papers(g, ["deq"], top=10, embeddings=vectors)
    hub = next(p for p in result.papers if p.key == "hub")
    assert "embedding" in hub.unseen_by
