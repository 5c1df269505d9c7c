"""Fusion of the signals, filters, notes on missing data, evidence, S2 recommendations."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from implicit_atlas.graph.errors import AtlasError
from implicit_atlas.graph.related import (
    EVIDENCE_HALF,
    RRF_K,
    explain,
    find_related,
    related_papers,
    s2_paper_id,
)
from implicit_atlas.graph.related_format import format_related, related_to_json
from implicit_atlas.graph.signals import cocitation, text_similarity

H = EVIDENCE_HALF


def add_paper(g: nx.DiGraph, key: str, title: str, year: int = 2020, **attrs: Any) -> None:
    g.add_node(key, title=title, year=year, type="paper", **attrs)


@pytest.fixture
def G() -> nx.DiGraph:
    """Two topics. Equilibrium: deq (seed), mondeq, mdeq; ODEs: node, cde. Citers z1..z3."""
    g = nx.DiGraph(curated_sections=["Equilibrium", "ODEs"])
    add_paper(g, "deq", "Deep Equilibrium Models", 2019, curated=True, section="Equilibrium")
    add_paper(g, "mondeq", "Monotone Operator Equilibrium Networks", 2020)
    add_paper(
        g, "mdeq", "Multiscale Deep Equilibrium Models", 2020, curated=True, section="Equilibrium"
    )
    add_paper(
        g, "node", "Neural Ordinary Differential Equations", 2018, curated=True, section="ODEs"
    )
    add_paper(g, "cde", "Neural Controlled Differential Equations", 2020)
    add_paper(g, "optnet", "OptNet: Differentiable Optimization as a Layer", 2017)
    add_paper(g, "resnet", "Deep Residual Learning", 2016)
    add_paper(g, "old", "Equilibrium points of recurrent networks", 1987)
    for z in ("z1", "z2", "z3"):
        add_paper(g, z, f"Citing work {z}", 2022)
    g.add_node("repo", title="locuslab/deq", type="software", curated=True, section="Software")
    cites = [
        ("z1", "deq"),
        ("z1", "mondeq"),
        ("z2", "deq"),
        ("z2", "mondeq"),
        ("z3", "deq"),
        ("z3", "node"),
        ("z3", "cde"),
        ("deq", "optnet"),
        ("deq", "resnet"),
        ("deq", "old"),
        ("mondeq", "optnet"),
        ("mondeq", "old"),
        ("mdeq", "deq"),
        ("mdeq", "resnet"),
        ("node", "resnet"),
    ]
    g.add_edges_from(cites, kind="cites")
    g.edges["mdeq", "deq"]["is_influential"] = True
    g.add_edge("repo", "deq", kind="implements")
    g.add_edge("repo", "mondeq", kind="implements")
    return g


def expected_rrf(ranking: dict[str, float], key: str) -> float:
    """1/(k + rank) for `key` in a {key: score} ranking; tied papers share their mean rank."""
    score = ranking[key]
    better = sum(1 for v in ranking.values() if v > score + 1e-12)
    tied = sum(1 for v in ranking.values() if abs(v - score) <= 1e-12)
    return 1.0 / (RRF_K + better + (tied + 1) / 2)


def test_fused_score_is_the_sum_of_reciprocal_ranks(G: nx.DiGraph) -> None:
    result = related_papers(G, ["deq"], signals=["cocitation", "text"], top=10, sparse_adjust=False)
    cocit, text = cocitation(G, "deq"), text_similarity(G, "deq")
    mondeq = next(p for p in result.papers if p.key == "mondeq")
    # deq is cited by z1, z2, z3 and mdeq: co-citation works from 4 citers, d = 4 / (4 + h)
    assert result.weights == {"cocitation": pytest.approx(4 / (4 + H)), "text": 1.0}
    assert mondeq.contributions["cocitation"] == pytest.approx(
        4 / (4 + H) * expected_rrf(cocit, "mondeq")
    )
    assert mondeq.contributions["text"] == pytest.approx(expected_rrf(text, "mondeq"))
    assert mondeq.score == pytest.approx(sum(mondeq.contributions.values()))
    assert mondeq.signal_scores["cocitation"] == pytest.approx(cocit["mondeq"])


def test_agreement_of_signals_ranks_first(G: nx.DiGraph) -> None:
    plain = related_papers(G, ["deq"], evidence_half=None, sparse_adjust=False)
    assert {p.key for p in plain.papers[:2]} == {"mondeq", "mdeq"}, "4 signals agree on them"
    # Data weighting: coupling works from deq's 3 references, direct citation from its 7
    # citations, so resnet (cited by deq) edges past mondeq (coupled with deq): the three
    # papers four signals agree on still lead.
    result = related_papers(G, ["deq"])
    assert [p.key for p in result.papers[:3]] == ["mdeq", "resnet", "mondeq"]
    assert [p.rank for p in result.papers] == list(range(1, len(result.papers) + 1))
    scores = [p.score for p in result.papers]
    assert scores == sorted(scores, reverse=True)


def test_tied_papers_share_their_average_rank(G: nx.DiGraph) -> None:
    # direct citation of deq: z1, z2, z3, optnet, resnet, old, mdeq(influential, 2.0)
    result = related_papers(G, ["deq"], signals=["citation"], top=20, sparse_adjust=False)
    by_key = {p.key: p for p in result.papers}
    assert by_key["mdeq"].signal_ranks["citation"] == 1.0
    tied = ("z1", "z2", "z3", "optnet", "resnet", "old")
    assert {by_key[k].signal_ranks["citation"] for k in tied} == {4.5}, "ranks 2..7 averaged"
    # 4 citers + 3 references of deq: d = 7 / (7 + h)
    assert by_key["z1"].contributions["citation"] == pytest.approx(7 / (7 + H) / (RRF_K + 4.5))


def test_data_weight_follows_the_seeds_citations(G: nx.DiGraph) -> None:
    # node: cited by z3, cites resnet. cde: cited by z3 only, no reference list.
    node = related_papers(
        G, ["node"], signals=["cocitation", "coupling", "citation"], sparse_adjust=False
    ).weights
    assert node == {
        "cocitation": pytest.approx(1 / (1 + H)),
        "coupling": pytest.approx(1 / (1 + H)),
        "citation": pytest.approx(2 / (2 + H)),
    }
    cde = related_papers(G, ["cde"], signals=["coupling", "text"], sparse_adjust=False)
    assert cde.weights == {"coupling": 0.0, "text": 1.0}, "no references: no weight"
    plain = related_papers(G, ["node"], signals=["cocitation"], evidence_half=None)
    assert plain.weights == {"cocitation": 1.0}
    both = related_papers(G, ["node", "deq"], signals=["cocitation"]).weights
    assert both == {"cocitation": pytest.approx(5 / (5 + H))}, "citers of all seeds count"


def test_seeds_software_and_filters_are_left_out(G: nx.DiGraph) -> None:
    keys = [p.key for p in related_papers(G, ["deq"], top=50).papers]
    assert "deq" not in keys and "repo" not in keys
    assert "mdeq" in keys and "node" in keys
    uncurated = [p.key for p in related_papers(G, ["deq"], top=50, exclude_curated=True).papers]
    assert "mdeq" not in uncurated and "node" not in uncurated
    recent = [p.key for p in related_papers(G, ["deq"], top=50, year_from=2020).papers]
    assert recent and all(G.nodes[k]["year"] >= 2020 for k in recent)


def test_curated_flag_is_reported(G: nx.DiGraph) -> None:
    flags = {p.key: p.curated for p in related_papers(G, ["deq"], top=50).papers}
    assert flags["mdeq"] is True and flags["mondeq"] is False


def test_seed_without_citations_gets_notes_and_text_neighbours(G: nx.DiGraph) -> None:
    add_paper(G, "lonely", "Implicit equilibrium layers")
    result = related_papers(G, ["lonely"])
    notes = "\n".join(result.notes)
    assert "co-citation: no paper in the graph cites" in notes
    assert "coupling: the graph holds no reference list" in notes
    assert "direct citation, PageRank: no citation in the graph links" in notes
    assert "PageRank: no candidate paper scored" not in notes, "said once, by the first note"
    keys = [p.key for p in result.papers]
    assert keys and set(keys) <= {"deq", "mondeq", "mdeq", "old", "optnet"}, keys
    assert all(set(p.contributions) == {"text"} for p in result.papers)


def test_notes_for_several_seeds_are_grouped(G: nx.DiGraph) -> None:
    add_paper(G, "p1", "Implicit equilibrium layers")
    add_paper(G, "p2", "Equilibrium layers again")
    notes = related_papers(G, ["p1", "p2", "deq"]).notes
    coupling = [n for n in notes if n.startswith("coupling")]
    assert len(coupling) == 1
    assert "2 of the 3 seeds" in coupling[0] and "“Implicit equilibrium layers”" in coupling[0]


def test_empty_seed_list_and_unknown_signal_fail(G: nx.DiGraph) -> None:
    with pytest.raises(AtlasError, match="no seed"):
        related_papers(G, [])
    with pytest.raises(AtlasError, match="unknown signal"):
        related_papers(G, ["deq"], signals=["cocitation", "magic"])


def test_weights_change_the_ranking(G: nx.DiGraph) -> None:
    only_text = related_papers(
        G, ["deq"], weights={s: 0.0 for s in ("cocitation", "coupling", "citation", "pagerank")}
    )
    assert only_text.papers[0].key == "mdeq", "title most like 'Deep Equilibrium Models'"


def test_several_seeds_pool_their_evidence(G: nx.DiGraph) -> None:
    result = related_papers(G, ["deq", "node"], top=50)
    assert result.seeds == ["deq", "node"]
    assert "cde" in [p.key for p in result.papers]


def test_explain_lists_the_evidence(G: nx.DiGraph) -> None:
    e = explain(G, ["deq"], "mondeq")
    assert e.shared_references == ["optnet", "old"] or e.shared_references == ["old", "optnet"]
    assert e.co_citing == ["z1", "z2"]
    assert e.cites_seeds == [] and e.cited_by_seeds == []
    assert "equilibrium" in e.shared_terms
    assert e.software == ["repo"]
    mdeq = explain(G, ["deq"], "mdeq")
    assert mdeq.cites_seeds == [("deq", True)], "mdeq cites deq, flagged influential"
    node = explain(G, ["deq"], "node")
    assert node.co_citing == ["z3"] and node.shared_references == ["resnet"]


def test_explain_orders_shared_references_rarest_first(G: nx.DiGraph) -> None:
    # resnet is cited by deq, mdeq, node (3); old by deq, mondeq (2)
    G.add_edge("mondeq", "resnet", kind="cites")
    assert explain(G, ["deq"], "mondeq").shared_references == ["old", "optnet", "resnet"]


def test_find_related_resolves_queries_and_sections(G: nx.DiGraph) -> None:
    by_title = find_related(G, ["deep equilibrium models"], top=5)
    assert by_title.seeds == ["deq"]
    section = find_related(G, section="equilib", top=5)
    assert set(section.seeds) == {"deq", "mdeq"}, "software in a section is never a seed"
    everything = find_related(G, curated=True, top=5)
    assert set(everything.seeds) == {"deq", "mdeq", "node"}
    with pytest.raises(
        AtlasError, match="unknown section 'Transformers'; the sections are: 'Equilibrium', 'ODEs'"
    ):
        find_related(G, section="Transformers")
    with pytest.raises(AtlasError, match="no seed papers"):
        find_related(G)


def test_json_carries_contributions_and_evidence(G: nx.DiGraph) -> None:
    data = related_to_json(G, related_papers(G, ["deq"], top=3), explain_evidence=True)
    assert data["fusion"] == {
        "method": "reciprocal-rank",
        "k": RRF_K,
        "evidence_half": EVIDENCE_HALF,
        "weights": data["fusion"]["weights"],
        "blind_fill": 0.0,
    }
    assert data["fusion"]["weights"]["text"] == 1.0
    assert [p["rank"] for p in data["papers"]] == [1, 2, 3]
    mondeq = next(p for p in data["papers"] if p["key"] == "mondeq")
    assert mondeq["evidence"]["co_citing"] == ["z1", "z2"]
    assert sum(mondeq["contributions"].values()) == pytest.approx(mondeq["score"])


# --- Semantic Scholar recommendations --------------------------------------------------------


def test_s2_recommendations_become_a_signal(G: nx.DiGraph) -> None:
    G.nodes["deq"]["arxiv"] = "1909.01377"
    G.nodes["cde"]["s2_id"] = "a" * 40
    asked: list[str] = []

    def recommender(paper_id: str) -> list[dict[str, Any]]:
        asked.append(paper_id)
        return [
            {"paperId": "a" * 40, "title": "Neural CDEs"},
            {"paperId": "f" * 40, "title": "Not in the graph", "externalIds": {}},
        ]

    result = related_papers(G, ["deq"], top=20, recommender=recommender)
    assert asked == ["ARXIV:1909.01377"]
    assert "s2" in result.signals
    cde = next(p for p in result.papers if p.key == "cde")
    assert cde.signal_scores["s2"] == 1.0
    assert any("1 recommended paper(s) are not in this graph" in n for n in result.notes)


def test_s2_failure_is_a_note_not_an_error(G: nx.DiGraph) -> None:
    G.nodes["deq"]["doi"] = "10.1/deq"

    def offline(paper_id: str) -> list[dict[str, Any]]:
        raise AtlasError("offline and not in the cache")

    result = related_papers(G, ["deq"], recommender=offline)
    assert result.papers, "the other signals still rank"
    assert any("offline and not in the cache" in n for n in result.notes)


def test_s2_paper_id_prefers_paper_id_then_arxiv_then_doi() -> None:
    assert s2_paper_id({"s2_id": "abc", "arxiv": "1"}) == "abc"
    assert s2_paper_id({"arxiv": "1909.01377", "doi": "10.1/x"}) == "ARXIV:1909.01377"
    assert s2_paper_id({"doi": "10.1/x"}) == "DOI:10.1/x"
    assert s2_paper_id({"title": "t"}) is None


# --- the bundled data ------------------------------------------------------------------------


def test_bundled_deq_neighbours_are_equilibrium_papers(bundled_graph: nx.DiGraph) -> None:
    result = find_related(bundled_graph, ["Deep Equilibrium Models"], top=10)
    titles = [bundled_graph.nodes[p.key]["title"].lower() for p in result.papers]
    assert any("monotone operator equilibrium" in t for t in titles[:5]), titles
    assert sum("equilibrium" in t for t in titles) >= 4, titles
    assert all(len(p.contributions) >= 2 for p in result.papers[:5]), "explained by several signals"


def test_bundled_seed_with_little_data_still_has_neighbours(bundled_graph: nx.DiGraph) -> None:
    result = find_related(bundled_graph, ["Discretize-Optimize vs. Optimize-Discretize"], top=5)
    assert result.papers


def test_table_shows_shares_curated_mark_and_evidence(G: nx.DiGraph) -> None:
    text = format_related(G, related_papers(G, ["deq"], top=5), explain_evidence=True)
    lines = text.splitlines()
    assert lines[0] == "Related to: Deep Equilibrium Models (2019) [deq]"
    assert lines[2].split()[:7] == ["#", "score", "cocit", "coupl", "cite", "ppr", "text"]
    rows = [line for line in lines if line.split() and line.split()[0].isdigit()]
    mdeq = next(line for line in rows if "Multiscale Deep Equilibrium Models" in line)
    assert " ✓ " in mdeq, "curated papers are marked"
    assert any(
        line.strip() == "cites: Deep Equilibrium Models (2019) (influential)" for line in lines
    )


def test_titles_from_outside_cannot_break_the_terminal_table(G: nx.DiGraph) -> None:
    G.nodes["mondeq"]["title"] = "Monotone\n  Equilibrium\x1b[31m Networks\r"
    text = format_related(G, related_papers(G, ["deq"], top=5))
    assert "\x1b" not in text and "\r" not in text
    assert "Monotone Equilibrium [31m Networks" in text


def test_a_very_long_title_is_cut_in_the_table(G: nx.DiGraph) -> None:
    G.nodes["mondeq"]["title"] = "Monotone Equilibrium " + "very long " * 500
    lines = format_related(G, related_papers(G, ["deq"], top=5)).splitlines()
    row = next(line for line in lines if "Monotone Equilibrium" in line)
    assert len(row) < 250 and "…" in row


def test_notes_name_hostile_titles_on_one_line(G: nx.DiGraph) -> None:
    add_paper(G, "lonely", "Implicit equilibrium\nlayers\x1b[31m")
    notes = related_papers(G, ["lonely"]).notes
    assert notes and all(note.isprintable() for note in notes), notes
    assert any("“Implicit equilibrium layers [31m”" in note for note in notes)


# --- types and tie order ---------------------------------------------------------------------


def test_books_and_misc_are_left_out_unless_asked_for(G: nx.DiGraph) -> None:
    G.add_node("book", title="Equilibrium Models: a textbook", type="book", year=1990)
    G.add_edges_from([("z1", "book"), ("z2", "book"), ("deq", "book")], kind="cites")
    default = related_papers(G, ["deq"], top=5)
    assert "book" not in [p.key for p in default.papers]
    note = next(n for n in default.notes if n.startswith("left out for their type"))
    assert "1 book" in note and "--type paper --type thesis --type book" in note
    with_books = related_papers(G, ["deq"], top=5, types=("paper", "thesis", "book"))
    assert "book" in [p.key for p in with_books.papers]
    assert not any("their type" in n for n in with_books.notes)
    assert "book" in [p.key for p in related_papers(G, ["deq"], top=5, types=None).papers]
    with pytest.raises(AtlasError, match="unknown type.*'journal'"):
        related_papers(G, ["deq"], types=("journal",))


def test_a_node_without_a_type_counts_as_a_paper(G: nx.DiGraph) -> None:
    del G.nodes["mondeq"]["type"]
    assert "mondeq" in [p.key for p in related_papers(G, ["deq"], top=5).papers]


def tied_graph() -> nx.DiGraph:
    """One seed cited by 60 papers that each cite one other paper: 60 candidates, all tied."""
    g = nx.DiGraph()
    g.add_node("seed", title="seed")
    for i in range(60):
        g.add_node(f"c{i:02d}", title=f"citer {i}")
        g.add_node(f"p{59 - i:02d}", title=f"paper {i}")  # graph order is not key order
        g.add_edges_from([(f"c{i:02d}", "seed"), (f"c{i:02d}", f"p{59 - i:02d}")], kind="cites")
    return g


def test_ties_are_broken_by_node_key_whatever_top() -> None:
    g = tied_graph()
    forty = [p.key for p in related_papers(g, ["seed"], signals=["cocitation"], top=40).papers]
    sixty = [p.key for p in related_papers(g, ["seed"], signals=["cocitation"], top=60).papers]
    assert forty == sixty[:40]
    assert sixty == sorted(sixty), "equal scores: alphabetical by node key"
    assert sixty[0] == "p00"


def test_signal_functions_cut_ties_the_same_way() -> None:
    g = tied_graph()
    assert list(cocitation(g, "seed", limit=5)) == ["p00", "p01", "p02", "p03", "p04"]


# --- the anchor queries on the bundled data --------------------------------------------------


@pytest.mark.parametrize(
    "query", ["Neural Ordinary Differential Equations", "OptNet", "Deep Equilibrium Models"]
)
def test_anchor_queries_list_no_textbook(bundled_graph: nx.DiGraph, query: str) -> None:
    result = find_related(bundled_graph, [query], top=10)
    kinds = {bundled_graph.nodes[p.key].get("type") or "paper" for p in result.papers}
    assert kinds <= {"paper", "thesis"}, kinds


def test_neural_ode_neighbours_are_its_field(bundled_graph: nx.DiGraph) -> None:
    result = find_related(bundled_graph, ["Neural Ordinary Differential Equations"], top=10)
    titles = [bundled_graph.nodes[p.key]["title"].lower() for p in result.papers]
    assert any("augmented neural odes" in t for t in titles), titles
    assert sum("differential equation" in t for t in titles) >= 4, titles
