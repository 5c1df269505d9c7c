"""Entity resolution: one work, one node — the labelled pairs, blocking, the registry stage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from implicit_atlas.graph import resolve as resolve_module
from implicit_atlas.graph.bibtex import build_bibliography, version_representatives
from implicit_atlas.graph.identity import same_work, work_profile
from implicit_atlas.graph.registry import PaperRegistry
from implicit_atlas.graph.resolve import (
    candidate_pairs,
    resolve_records,
    versions_of,
    work_representatives,
    worth_comparing,
)

S2 = "semantic-scholar"
PAIRS = json.loads((Path(__file__).parent / "data" / "merge_pairs.json").read_text("utf-8"))[
    "pairs"
]


def test_the_labelled_set_is_big_enough_and_balanced() -> None:
    labels = [p["label"] for p in PAIRS]
    assert len(PAIRS) >= 40
    assert labels.count("same") >= 15 and labels.count("different") >= 15


@pytest.mark.parametrize("pair", [pytest.param(p, id=f"{p['label']}: {p['why']}") for p in PAIRS])
def test_labelled_pair(pair: dict[str, Any]) -> None:
    verdict = same_work(pair["a"], pair["b"])
    assert verdict.same == (pair["label"] == "same"), (verdict.reason, pair["a"], pair["b"])
    assert same_work(pair["b"], pair["a"]).same == verdict.same, "the rule is symmetric"


def test_grouping_all_labelled_records_keeps_every_negative_apart() -> None:
    """Resolving every record of the set at once (transitive groups) still separates the
    negatives and joins the positives."""
    records: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    pairs: list[tuple[int, int, str]] = []
    for p in PAIRS:
        ends = []
        for side in ("a", "b"):
            ref = p[f"{side}_id"] or json.dumps(p[side], sort_keys=True)
            if ref not in index:
                index[ref] = len(records)
                records.append(p[side])
            ends.append(index[ref])
        pairs.append((ends[0], ends[1], p["label"]))
    group_of = {i: n for n, group in enumerate(resolve_records(records)) for i in group}
    for a, b, label in pairs:
        together = a in group_of and group_of.get(a) == group_of.get(b)
        assert together == (label == "same"), (records[a]["title"], records[b]["title"])


# --- the rules one by one --------------------------------------------------------------------


def _paper(title: str, **fields: Any) -> dict[str, Any]:
    return {"title": title, "authors": ["Ann Lee", "Bo Chen"], "year": 2020, **fields}


@pytest.mark.parametrize(
    ("a", "b", "same", "reason"),
    [
        pytest.param(
            _paper("X", s2_id="a" * 40),
            _paper("X", s2_id="b" * 40),
            True,
            "equal",
            id="different-s2-ids-do-not-veto",
        ),  # fmt: skip
        pytest.param(
            _paper("A long title", doi="10.48550/arXiv.2001.00001"),
            _paper("A long title", doi="10.1000/venue"),
            True,
            "equal",
            id="arxiv-doi-beside-publisher-doi",
        ),  # fmt: skip
        pytest.param(
            _paper("A long title", arxiv="2001.00001"),
            _paper("A long title", arxiv="2001.00002"),
            False,
            "different arXiv ids",
            id="conflicting-arxiv-ids-veto",
        ),  # fmt: skip
        pytest.param(
            _paper("A long title"),
            _paper("A long title", authors=["Zed Other"]),
            False,
            "different authors",
            id="different-authors-veto",
        ),  # fmt: skip
        pytest.param(
            _paper("A long title"),
            _paper("A long title", year=2024),
            False,
            "years 4 apart",
            id="years-apart",
        ),  # fmt: skip
        pytest.param(
            _paper("Graph learning made simple", year=2019, arxiv="1901.00001"),
            _paper("Graph learning made simple", year=2022, venue="JMLR"),
            True,
            "equal",
            id="preprint-three-years-before-its-journal-version",
        ),  # fmt: skip
        pytest.param(
            _paper("Graph learning made simple", year=2019, venue="ICML"),
            _paper("Graph learning made simple", year=2022, venue="JMLR"),
            False,
            "years 3 apart",
            id="two-venues-three-years-apart",
        ),  # fmt: skip
        pytest.param(
            _paper("Stable neural flows"),
            _paper("Stable neural flows", type="software"),
            False,
            "software and paper",
            id="software-vs-paper",
        ),  # fmt: skip
        pytest.param(
            _paper("Fast solvers for stiff ODEs"),
            _paper("Fast solvers for stiff ordinary differential equations"),
            True,
            "equal",
            id="acronym-spelled-out",
        ),  # fmt: skip
        pytest.param(
            _paper("Deep Equilibrium Models"),
            _paper("Multiscale Deep Equilibrium Models"),
            False,
            "titles differ",
            id="word-added-in-front",
        ),  # fmt: skip
        pytest.param(
            _paper("Learning to optimize"),
            _paper("Learning to optimize neural nets"),
            False,
            "titles differ",
            id="extension-without-subtitle-mark",
        ),  # fmt: skip
        pytest.param(
            _paper("Neural flows: efficient continuous-time models"),
            _paper("Neural flows: fast and stable models", authors=["Ann Lee"]),
            False,
            "titles differ",
            id="retitled-needs-the-same-authors",
        ),  # fmt: skip
        pytest.param(
            _paper("Neural flows and friends: efficient continuous-time models"),
            _paper("Neural flows and friends: fast and stable models"),
            True,
            "retitled",
            id="retitled-same-authors",
        ),  # fmt: skip
        pytest.param(
            _paper("Flexible grid trading with ANN and SSO algorithms"),
            _paper("ANN and SSO algorithms for flexible grid trading"),
            True,
            "reordered",
            id="reordered-words-same-team",
        ),  # fmt: skip
        pytest.param(
            _paper("Flexible grid trading with ANN and SSO algorithms", authors=["Ann Lee"]),
            _paper("ANN and SSO algorithms for flexible grid trading", authors=["Ann Lee"]),
            False,
            "titles differ",
            id="reordered-words-one-author-is-not-enough",
        ),  # fmt: skip
        pytest.param(
            _paper(
                "Limits of machine thought: a no-go theorem",
                authors=["Mehmet S. Ismail"],
                year=2022,
                arxiv="2209.12346",
            ),
            _paper(
                "Limits of machine thought: a model of interaction",
                authors=["Mehmet S. Ismail"],
                year=2024,
                venue="Math. Soc. Sci.",
            ),
            True,
            "retitled",
            id="one-author-same-full-name-retitled",
        ),  # fmt: skip
        pytest.param(
            _paper("A long title", authors=["Ann Lee", "Bo Chen", "Cy Diaz", "Di Wu", "Ed Fox"]),
            _paper(
                "A long title",
                authors=["Ann Lee", "Bo Chen", "Cy Diaz", "Di Wu", "E. Fax"],
                year=2023,
                arxiv="2001.00001",
            ),
            False,
            "years 3 apart",
            id="preprint-window-needs-preprint-first",
        ),  # fmt: skip
    ],
)
def test_rule(a: dict[str, Any], b: dict[str, Any], same: bool, reason: str) -> None:
    verdict = same_work(a, b)
    assert (verdict.same, verdict.reason) == (same, reason)


# --- blocking ---------------------------------------------------------------------------------


def test_blocking_compares_only_records_sharing_an_author_or_title_start_within_the_window():
    records = [
        _paper("Alpha beta gamma", authors=["Ann Lee"], year=2000),  # 0
        _paper("Delta epsilon", authors=["Ann Lee"], year=2003),  # 1: same author, in window
        _paper("Zeta eta", authors=["Ann Lee"], year=2004),  # 2: same author, 4 years from 0
        _paper("Alpha beta gamma delta", authors=["Bo Chen"], year=2001),  # 3: title block
        _paper("Theta iota", authors=["Cy Diaz"], year=2000),  # 4: nothing shared
        _paper("Kappa lambda", authors=["Ann Lee"], year=None),  # 5: undated, same author
    ]
    pairs = candidate_pairs([work_profile(r) for r in records])
    assert (0, 1) in pairs and (1, 2) in pairs and (0, 3) in pairs
    assert (0, 2) not in pairs, "4 years apart"
    assert not any(4 in p for p in pairs), "shares no block"
    assert {(0, 5), (1, 5), (2, 5)} <= pairs, "an undated record meets its whole block"


def test_resolution_does_not_chain_through_a_record_without_authors() -> None:
    """An authorless title may match two works; they do not become one through it."""
    records = [
        _paper("Deep learning for control", authors=["Ann Lee", "Bo Chen"]),
        {"title": "Deep learning for control", "year": 2020},
        _paper("Deep learning for control", authors=["Zed Other", "Yu Wang"]),
    ]
    groups = resolve_records(records)
    assert [0, 2] not in groups and not any({0, 2} <= set(g) for g in groups)


# --- the registry's stage ----------------------------------------------------------------------


def _two_s2_versions() -> PaperRegistry:
    reg = PaperRegistry()
    reg.add_paper({"title": "Deep Equilibrium Models", "authors": ["Shaojie Bai", "J. Zico Kolter"],
                   "year": 2019, "venue": "arXiv.org", "arxiv": "1909.01377",
                   "doi": "10.48550/arXiv.1909.01377", "s2_id": "a" * 40,
                   "citation_count": 10}, S2)  # fmt: skip
    reg.add_paper({"title": "Deep equilibrium models", "authors": ["Shaojie Bai", "J. Z. Kolter"],
                   "year": 2019, "venue": "Neural Information Processing Systems",
                   "doi": "10.5555/3454287.3454305", "s2_id": "b" * 40, "volume": "32",
                   "pages": "688-699"}, S2)  # fmt: skip
    reg.add_paper({"title": "Multiscale Deep Equilibrium Models", "authors": ["Shaojie Bai"],
                   "year": 2020, "arxiv": "2006.08656"}, S2)  # fmt: skip
    return reg


def test_registry_emits_one_node_per_work_with_its_versions() -> None:
    G = _two_s2_versions().to_graph()
    assert G.graph["works_resolved"] is True
    assert sorted(G.nodes) == ["arXiv:1909.01377", "arXiv:2006.08656"]
    node = G.nodes["arXiv:1909.01377"]
    assert node["doi"] == "10.5555/3454287.3454305", "the publisher DOI, not the arXiv one"
    assert node["arxiv"] == "1909.01377"
    assert (node["venue"], node["volume"], node["pages"]) == (
        "Neural Information Processing Systems", "32", "688-699",
    )  # fmt: skip
    kinds = [(v["kind"], v.get("s2_id")) for v in node["versions"]]
    assert kinds == [("venue", "b" * 40), ("preprint", "a" * 40)]
    assert node["versions"][1]["doi"] == "10.48550/arxiv.1909.01377"


def test_bibtex_cites_the_venue_version_with_the_arxiv_id_as_eprint() -> None:
    G = _two_s2_versions().to_graph()
    entry = build_bibliography(G, ["arXiv:1909.01377"]).library.entries[0]
    fields = {f.key: f.value for f in entry.fields}
    assert entry.entry_type == "inproceedings"
    assert fields["eprint"] == "1909.01377" and fields["doi"] == "10.5555/3454287.3454305"


def test_edges_between_versions_of_one_work_are_merged() -> None:
    reg = _two_s2_versions()
    citing = reg.add_paper({"title": "A citing paper", "arxiv": "2101.00001"}, S2)
    pre = reg.find_id("arxiv", "1909.01377")
    venue = reg.find_id("doi", "10.5555/3454287.3454305")
    assert pre is not None and venue is not None
    reg.add_edge(citing, pre, provenance={"source": S2})
    reg.add_edge(citing, venue, provenance={"source": "field-sample"})
    reg.add_edge(venue, pre, provenance={"source": S2})  # a version citing itself
    G = reg.to_graph()
    assert list(G.edges) == [("arXiv:2101.00001", "arXiv:1909.01377")]
    assert G.edges["arXiv:2101.00001", "arXiv:1909.01377"]["sources"] == ["field-sample", S2]


def test_versions_of_ignores_the_curated_record_and_merges_spellings() -> None:
    records = [
        {"title": "Deep implicit layers and beyond", "sources": ["curated"], "year": 2020},
        {"title": "Deep implicit layers and beyond", "venue": "NeurIPS Tutorial", "sources": ["x"]},
        {"title": "Deep implicit layers and beyodn", "venue": "NeurIPS Tutorial", "sources": ["y"]},
    ]
    assert versions_of(records) == [
        {"kind": "venue", "title": "Deep implicit layers and beyond", "venue": "NeurIPS Tutorial",
         "sources": ["x", "y"]},
    ]  # fmt: skip


# --- graphs not built by the registry -----------------------------------------------------------


def test_an_unresolved_graph_is_resolved_downstream_with_the_same_rule() -> None:
    G = nx.DiGraph()
    G.add_node("arXiv:2002.02798", title="How to train your neural ODE", year=2020,
               authors=["Chris Finlay", "Adam Oberman"], arxiv="2002.02798", venue="arXiv")  # fmt: skip
    G.add_node("t", title="How to train your neural ODE: the world of Jacobian and kinetic "
               "regularization", year=2020, authors=["C. Finlay", "A. M. Oberman"],
               venue="ICML")  # fmt: skip
    assert version_representatives(G) == {"arXiv:2002.02798": "t", "t": "t"}
    G.graph["works_resolved"] = True
    assert work_representatives(G) == {"arXiv:2002.02798": "arXiv:2002.02798", "t": "t"}


# --- the bundled graph --------------------------------------------------------------------------


def _node_with_title(G: nx.DiGraph, start: str) -> list[str]:
    return [n for n, t in G.nodes(data="title") if t and t.lower().startswith(start.lower())]


@pytest.mark.parametrize(
    "start",
    [
        pytest.param("How to train your neural ODE", id="subtitle"),
        pytest.param("Latent o", id="latent-odes"),
        pytest.param('"hey, that', id="retitled"),
        pytest.param("Differentiating through a con", id="conic-cone"),
        pytest.param("Deep implicit layers", id="tutorial"),
    ],
)
def test_bundled_graph_has_one_node_per_work_of_the_issue(
    bundled_graph: nx.DiGraph, start: str
) -> None:
    assert len(_node_with_title(bundled_graph, start)) == 1


@pytest.mark.parametrize(
    ("start", "count"),
    [
        pytest.param("Deep learning", 2, id="lecun-and-goodfellow"),
        pytest.param("Second-order cone programming", 1, id="socp-2003"),
        pytest.param("Applications of second-order cone programming", 1, id="socp-1998"),
        pytest.param("Multiscale Deep Equilibrium Models", 1, id="mdeq"),
    ],
)
def test_bundled_look_alikes_stay_apart(bundled_graph: nx.DiGraph, start: str, count: int) -> None:
    exact = [n for n in _node_with_title(bundled_graph, start)
             if bundled_graph.nodes[n]["title"].lower() == start.lower()]  # fmt: skip
    assert len(exact) == count
    assert bundled_graph.has_node("arXiv:1909.01377") and bundled_graph.has_node("arXiv:2006.08656")


def test_every_version_finds_the_work() -> None:
    """A paper id or a title of any version leads to the merged node (lookup, --keys-from)."""
    from implicit_atlas.graph.bibkeys import CitedEntry, match_cited_keys
    from implicit_atlas.graph.lookup import find_paper

    G = _two_s2_versions().to_graph()
    assert find_paper(G, "a" * 40) == "arXiv:1909.01377", "the preprint's paperId"
    assert find_paper(G, "b" * 40) == "arXiv:1909.01377", "the venue version's paperId"
    cited = [CitedEntry(key="bai2019", doi="10.48550/arxiv.1909.01377", arxiv=None, title=None)]
    assert match_cited_keys(G, cited) == {"arXiv:1909.01377": "bai2019"}


def test_two_entries_of_the_curated_list_are_two_works() -> None:
    """A talk "Neural ODEs" and the paper "Neural Ordinary Differential Equations", both in
    the list, stay two nodes; a reference-list record still joins one of them."""
    reg = PaperRegistry()
    reg.add_paper({"title": "Neural Ordinary Differential Equations", "curated_key": "node",
                   "authors": ["Ricky T. Q. Chen", "David Duvenaud"], "year": 2018,
                   "arxiv": "1806.07366"}, "curated")  # fmt: skip
    reg.add_paper({"title": "Neural ODEs", "curated_key": "talk", "type": "tutorial",
                   "authors": ["David Duvenaud", "Ricky T. Q. Chen"], "year": 2018,
                   "url": "https://example.org/talk"}, "curated")  # fmt: skip
    reg.add_paper({"title": "Neural ordinary differential equations", "year": 2018,
                   "authors": ["R. T. Q. Chen", "D. Duvenaud"], "venue": "NeurIPS"},
                  "field-sample")  # fmt: skip
    G = reg.to_graph()
    assert sorted(d["curated_key"] for _, d in G.nodes(data=True)) == ["node", "talk"]
    assert G.number_of_nodes() == 2


def test_the_bulk_filter_keeps_every_pair_same_work_accepts() -> None:
    """worth_comparing drops pairs unseen by same_work: never one same_work would accept."""
    records = [r for p in PAIRS for r in (p["a"], p["b"])]
    records.append({"title": "Deep Equilibrium Models: A Tutorial", "authors": ["Shaojie Bai"]})
    records.append({"title": "Models equilibrium deep", "authors": ["S. Bai", "J. Z. Kolter"]})
    profiles = [work_profile(r) for r in records]
    every_pair = {(i, j) for i in range(len(records)) for j in range(i + 1, len(records))}
    kept = set(worth_comparing(profiles, every_pair))
    accepted = {(i, j) for i, j in every_pair if same_work(profiles[i], profiles[j])}
    assert accepted and accepted <= kept
    assert len(kept) < len(every_pair)  # the others are told apart in bulk


def test_the_bulk_filter_drops_unrelated_titles_and_conflicting_ids() -> None:
    records = [
        {"title": "Neural ordinary differential equations", "arxiv": "1806.07366"},
        {"title": "Neural ordinary differential equations", "arxiv": "2001.00001"},
        {"title": "Monotone operator equilibrium networks", "authors": ["Ezra Winston"]},
        {"title": "Implicit deep learning", "authors": ["Ezra Winston"]},
        {"title": "Implicit deep learning", "doi": "10.1/a", "s2_id": "a" * 40},
        {"title": "Totally another title", "doi": "10.1/b", "s2_id": "a" * 40},
    ]
    profiles = [work_profile(r) for r in records]
    kept = worth_comparing(profiles, [(0, 1), (2, 3), (3, 4), (4, 5)])
    # different arXiv ids and unrelated titles go; a shared S2 id is same_work's to judge
    assert kept == [(3, 4), (4, 5)]
    assert worth_comparing(profiles, []) == []


def test_candidate_pairs_are_the_block_mates_within_the_year_window() -> None:
    """The numpy blocking gives what its definition says, undated records included."""
    surnames, words = ["Bai", "Chen", "Kolter"], ["deep", "implicit", "neural"]
    records = [
        {
            "title": f"{words[i % 3]} {words[i // 3 % 3]} models {i}",
            "authors": [f"A. {surnames[i % 2 + i // 7 % 2]}"],
            "year": None if i % 5 == 0 else 2010 + i % 9,
        }
        for i in range(40)
    ]
    profiles = [work_profile(r) for r in records]
    blocks = {i: set(resolve_module._block_keys(p)) for i, p in enumerate(profiles)}
    expected = {
        (i, j)
        for i in range(40)
        for j in range(i + 1, 40)
        if blocks[i] & blocks[j]
        and (
            profiles[i].year is None
            or profiles[j].year is None
            or abs((profiles[i].year or 0) - (profiles[j].year or 0)) <= 3
        )
    }
    assert expected and candidate_pairs(profiles) == expected
