"""suggest: ranked papers missing from the list, section votes, duplicates, misfiled entries."""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pytest

from implicit_atlas.graph.errors import AtlasError
from implicit_atlas.graph.schema import NODE_TYPES
from implicit_atlas.graph.suggest import (
    comment_text,
    find_duplicates,
    find_misfiled,
    format_markdown,
    link_label,
    markdown_text,
    suggest_for_list,
)


def paper(g: nx.DiGraph, key: str, title: str, **attrs: Any) -> None:
    attrs.setdefault("year", 2020)
    attrs.setdefault("authors", [f"Author {key}"])
    g.add_node(key, title=title, type="paper", **attrs)


@pytest.fixture
def G() -> nx.DiGraph:
    g = nx.DiGraph(curated_sections=["Equilibrium", "ODEs", "Software"])
    sec = {"curated": True}
    paper(g, "e1", "Deep Equilibrium Models", section="Equilibrium", **sec)
    paper(g, "e2", "Monotone Operator Equilibrium Networks", section="Equilibrium", **sec)
    paper(g, "o1", "Neural Ordinary Differential Equations", section="ODEs", **sec)
    paper(g, "o2", "Neural Controlled Differential Equations", section="ODEs", **sec)
    g.add_node("repo", title="torchdiffeq", type="software", curated=True, section="Software")
    # a field paper building on the equilibrium entries
    paper(g, "x", "Stabilizing *Equilibrium* Models", arxiv="2106.14342", year=2021, venue="ICML")
    # general background everyone cites
    paper(g, "bg", "Adam: a method for stochastic optimization", year=2015)
    # an ODE paper cited by the ODE entries
    paper(g, "ode", "Augmented Neural Ordinary Differential Equations", year=2019)
    # another version of e1 from a reference list
    paper(g, "e1-twin", "Deep equilibrium models.", year=2019)
    g.nodes["e1-twin"]["authors"] = ["Author e1"]
    g.add_edges_from(
        [
            ("x", "e1"),
            ("x", "e2"),
            ("e1", "bg"),
            ("e2", "bg"),
            ("o1", "bg"),
            ("o2", "bg"),
            ("o2", "ode"),
            ("o2", "o1"),
            ("e2", "e1"),
            ("e1-twin", "bg"),
        ],
        kind="cites",
    )
    g.edges["x", "e1"]["is_influential"] = True
    g.add_edge("repo", "o1", kind="implements")
    return g


def test_field_paper_outranks_general_background(G: nx.DiGraph) -> None:
    report = suggest_for_list(G)
    keys = [s.key for s in report.suggestions]
    assert keys[0] == "x", keys
    assert keys.index("ode") < keys.index("bg"), "background with no shared words is damped"


def test_suggestion_carries_vote_and_evidence(G: nx.DiGraph) -> None:
    x = suggest_for_list(G).suggestions[0]
    assert x.section == "Equilibrium"
    assert x.vote_share == pytest.approx(1.0)
    assert sorted(x.cites_curated) == ["e1", "e2"]
    assert x.influential == ["e1"]
    assert x.cited_by_curated == []
    ode = next(s for s in suggest_for_list(G).suggestions if s.key == "ode")
    assert ode.section == "ODEs" and ode.cited_by_curated == ["o2"]


def test_curated_software_and_other_versions_are_not_suggested(G: nx.DiGraph) -> None:
    keys = {s.key for s in suggest_for_list(G, top=100).suggestions}
    assert keys.isdisjoint({"e1", "e2", "o1", "o2", "repo", "e1-twin"})


def test_section_filter_and_unknown_section(G: nx.DiGraph) -> None:
    only = suggest_for_list(G, section="odes").suggestions
    assert only and all(s.section == "ODEs" for s in only)
    with pytest.raises(
        AtlasError, match="unknown section 'Transformers'; the sections are: 'Equilibrium', 'ODEs'"
    ):
        suggest_for_list(G, section="Transformers")


def test_top_and_min_score(G: nx.DiGraph) -> None:
    assert len(suggest_for_list(G, top=1).suggestions) == 1
    assert all(s.score >= 1.5 for s in suggest_for_list(G, min_score=1.5).suggestions)


def test_graph_without_curated_papers_is_an_error() -> None:
    g = nx.DiGraph()
    g.add_node("p", title="A paper")
    with pytest.raises(AtlasError, match="no curated papers"):
        suggest_for_list(g)


def test_duplicates_preprint_and_venue_version(G: nx.DiGraph) -> None:
    paper(
        G, "e1-venue", "Deep Equilibrium Models", section="Equilibrium", curated=True, doi="10.5/x"
    )
    G.nodes["e1-venue"]["authors"] = ["Author e1"]
    paper(G, "o1-renamed", "Neural Ordinary Differential Equation", section="ODEs", curated=True)
    G.nodes["o1-renamed"]["authors"] = ["Author o1"]
    found = {(d.first, d.second): d.reason for d in find_duplicates(G)}
    assert found[("e1", "e1-venue")] == "same title"
    assert found[("o1", "o1-renamed")].startswith("titles 9")
    assert ("e2", "e1") not in found and ("e1", "e2") not in found


def test_same_title_by_other_authors_is_not_a_duplicate(G: nx.DiGraph) -> None:
    paper(G, "other", "Deep Equilibrium Models", section="ODEs", curated=True, year=2010)
    assert find_duplicates(G) == []


def test_misfiled_entry_whose_neighbours_live_elsewhere(G: nx.DiGraph) -> None:
    paper(G, "m", "Equilibrium Models Revisited", section="ODEs", curated=True)
    G.add_edges_from([("m", "e1"), ("m", "e2")], kind="cites")
    [m] = find_misfiled(G)
    assert (m.key, m.section, m.suggested_section) == ("m", "ODEs", "Equilibrium")
    assert m.share >= 0.6 and set(m.neighbours[:2]) == {"e1", "e2"}


def test_markdown_is_ready_to_paste(G: nx.DiGraph) -> None:
    text = format_markdown(G, suggest_for_list(G))
    assert (
        "### Equilibrium\n\n* Stabilizing \\*Equilibrium\\* Models: [ICML21](https://arxiv.org/abs/2106.14342)"
        in text
    )
    assert "### ODEs" in text
    assert text.index("### Equilibrium") < text.index("### ODEs"), "list order of sections"
    comments = [line for line in text.splitlines() if line.startswith("  <!--")]
    assert len(comments) == text.count("\n* "), "one evidence comment per bullet"
    assert all(
        line.rstrip().endswith("-->") and "--" not in line.strip()[4:-3] for line in comments
    )


def test_markdown_and_comment_escaping() -> None:
    assert markdown_text("A [link](x) *bold*\nline") == "A \\[link\\](x) \\*bold\\* line"
    assert "--" not in comment_text("ends here --> and <!-- again")


@pytest.mark.parametrize(
    ("attrs", "label"),
    [
        pytest.param({"venue_label": "NeurIPS19"}, "NeurIPS19", id="list-label"),
        pytest.param(
            {"venue": "Neural Information Processing Systems", "year": 2018},
            "NeurIPS18",
            id="full-name",
        ),
        pytest.param({"venue": "ICML", "year": 2017}, "ICML17", id="alias"),
        pytest.param(
            {"venue": "Some journal", "arxiv": "2001.1", "year": 2020}, "arXiv20", id="arxiv"
        ),
        pytest.param({"venue": "Some journal"}, "link", id="unknown"),
    ],
)
def test_link_label(attrs: dict[str, Any], label: str) -> None:
    assert link_label(attrs) == label


def test_bundled_suggestions_are_field_papers(bundled_graph: nx.DiGraph) -> None:
    report = suggest_for_list(bundled_graph, top=5)
    titles = [bundled_graph.nodes[s.key]["title"] for s in report.suggestions]
    assert any("Jacobian Regularization" in t for t in titles), titles
    assert not any(t.startswith("Adam") for t in titles), titles
    assert all(s.section for s in report.suggestions)


def test_bullet_without_any_link_keeps_its_venue_label(G: nx.DiGraph) -> None:
    G.nodes["x"].update(arxiv=None, venue="International Conference on Learning Representations")
    text = format_markdown(G, suggest_for_list(G, top=1))
    assert "* Stabilizing \\*Equilibrium\\* Models: ICLR21\n" in text
    assert "no link in the graph, add one -->" in text


def test_semantic_scholar_link_when_nothing_better(G: nx.DiGraph) -> None:
    G.nodes["x"].update(arxiv=None, s2_id="ab" * 20)
    text = format_markdown(G, suggest_for_list(G, top=1))
    assert f"(https://www.semanticscholar.org/paper/{'ab' * 20})" in text


def test_markdown_bullet_survives_hostile_titles_and_urls(G: nx.DiGraph) -> None:
    from markdown_it import MarkdownIt

    G.nodes["x"]["title"] = "Evil ](javascript:alert(1))\n* injected <script>x</script>"
    del G.nodes["x"]["arxiv"]
    G.nodes["x"]["doi"] = "10.1016/S0140-6736(97)11096-0"
    html = MarkdownIt("commonmark").render(format_markdown(G, suggest_for_list(G, top=10)))
    assert "<script" not in html and 'href="javascript' not in html
    assert "10.1016/S0140-6736%2897%2911096-0" in html
    bullet = next(li for li in html.split("<li>") if "Evil" in li).split("</li>")[0]
    assert "injected" in bullet and "<ul>" not in bullet  # the newline made no bullet of its own


def test_link_label_reads_full_names_with_a_proceedings_prefix() -> None:
    venue = "International Joint Conference on Artificial Intelligence"
    assert link_label({"venue": venue, "year": 2020}) == "IJCAI20"


@pytest.mark.parametrize("value", [float("nan"), float("inf")], ids=["nan", "inf"])
def test_min_score_must_be_finite(G: nx.DiGraph, value: float) -> None:
    with pytest.raises(AtlasError, match="--min-score must be a finite number"):
        suggest_for_list(G, min_score=value)


def test_section_vote_counts_the_two_strongest_neighbours_of_each_section() -> None:
    """Three weak links into A (0.4 each) lose to one strong link into B (1.0): summing every
    link would have filed the paper under A only because A has more curated papers."""
    from implicit_atlas.graph.suggest import section_votes

    strengths = np.array([0.4, 0.4, 0.4, 1.0, 0.0])
    sections = ["A", "A", "A", "B", "C"]
    assert section_votes(strengths, sections) == pytest.approx({"A": 0.8, "B": 1.0})
    assert section_votes(strengths, sections, neighbours=None) == pytest.approx(
        {"A": 1.2, "B": 1.0}
    )
    assert section_votes(strengths, sections, neighbours=1) == pytest.approx({"A": 0.4, "B": 1.0})


def test_textbooks_are_not_suggested_unless_asked_for(G: nx.DiGraph) -> None:
    G.add_node("book", title="Solving Ordinary Differential Equations I", type="book", year=1993)
    G.add_edges_from([("o1", "book"), ("o2", "book"), ("e1", "book")], kind="cites")
    G.add_node("thesis", title="On Neural Differential Equations", type="thesis", year=2022)
    G.add_edges_from([("thesis", "o1"), ("thesis", "o2")], kind="cites")
    default = suggest_for_list(G)
    keys = [s.key for s in default.suggestions]
    assert "book" not in keys and "thesis" in keys
    assert any("not suggested for their type" in n and "1 book" in n for n in default.notes)
    assert any("--type paper --type thesis --type book" in n for n in default.notes)
    with_books = suggest_for_list(G, types=("paper", "thesis", "book"))
    assert "book" in [s.key for s in with_books.suggestions]
    assert not any("their type" in n for n in with_books.notes)
    only_theses = [s.key for s in suggest_for_list(G, types=("thesis",)).suggestions]
    assert only_theses == ["thesis"]
    with pytest.raises(AtlasError, match="unknown type.*'journal'"):
        suggest_for_list(G, types=("journal",))


def test_suggest_cli_type_option(G: nx.DiGraph, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from implicit_atlas.cli.main import cli
    from implicit_atlas.graph.graphio import save_graph

    G.add_node("book", title="Solving Ordinary Differential Equations I", type="book", year=1993)
    G.add_edges_from([("o1", "book"), ("o2", "book")], kind="cites")
    save_graph(G, tmp_path / "g.json")
    base = ["suggest", "--graph", str(tmp_path / "g.json"), "--format", "json"]
    plain = CliRunner().invoke(cli, base)
    assert plain.exit_code == 0 and '"book"' not in plain.stdout
    assert "not suggested for their type" in plain.stderr
    books = CliRunner().invoke(cli, [*base, "--type", "paper", "--type", "book"])
    assert books.exit_code == 0 and '"book"' in books.stdout
    bad = CliRunner().invoke(cli, [*base, "--type", "journal"])
    assert bad.exit_code == 2 and "'journal' is not one of" in bad.output


def test_the_type_note_counts_only_the_asked_sections_works(G: nx.DiGraph) -> None:
    G.add_node("ode-book", title="Solving Ordinary Differential Equations", type="book",
               authors=["Ernst Hairer"], year=1993)  # fmt: skip
    G.add_edges_from([("o1", "ode-book"), ("o2", "ode-book")], kind="cites")
    G.add_node("eq-book", title="Equilibrium theory", type="book", authors=["Al Bee"], year=1990)
    G.add_edges_from([("e1", "eq-book"), ("e2", "eq-book")], kind="cites")
    everything = suggest_for_list(G).notes
    assert any("2 book" in n for n in everything), everything
    notes = suggest_for_list(G, section="ODEs").notes
    assert any("1 book" in n for n in notes), notes


# --- the section vote on the bundled data ----------------------------------------------------

NEURAL_DE = "Neural Differential Equations"


@pytest.mark.parametrize(
    "title",
    [
        "augmented neural odes",
        "how to train your neural ode",
        "learning differential equations that are easy to solve",
    ],
)
def test_neural_ode_papers_are_voted_into_their_section(
    bundled_graph: nx.DiGraph, title: str
) -> None:
    report = suggest_for_list(bundled_graph, top=len(bundled_graph), types=NODE_TYPES)
    found = [
        s
        for s in report.suggestions
        if str(bundled_graph.nodes[s.key].get("title") or "").lower().startswith(title)
    ]
    assert found, title
    assert {s.section for s in found} == {NEURAL_DE}, [(s.key, s.votes) for s in found]


def test_no_curated_neural_ode_paper_is_voted_elsewhere(bundled_graph: nx.DiGraph) -> None:
    moved = find_misfiled(bundled_graph, min_share=0.0, min_strength=1e-9)
    assert not [m for m in moved if m.section == NEURAL_DE], moved
    assert not find_misfiled(bundled_graph), "nothing reported with the default thresholds"


# --- hub damping of direct citations in the vote, close calls --------------------------------


@pytest.fixture
def hubs() -> nx.DiGraph:
    """`p` cites two curated landmarks of "Zeta" that six field papers also cite, and two
    curated papers of "Alpha" that only `p` cites; one field paper cites `p` with a landmark."""
    g = nx.DiGraph(curated_sections=["Alpha", "Zeta"])
    for key in ("a1", "a2"):
        paper(g, key, f"Rare work {key}", section="Alpha", curated=True)
    for key in ("z1", "z2"):
        paper(g, key, f"Landmark {key}", section="Zeta", curated=True)
    paper(g, "p", "Something new")
    g.add_edges_from([("p", t) for t in ("a1", "a2", "z1", "z2")], kind="cites")
    for n in range(6):
        paper(g, f"f{n}", f"Field paper {n}")
        g.add_edges_from([(f"f{n}", "z1"), (f"f{n}", "z2")], kind="cites")
    g.add_edges_from([("f0", "p")], kind="cites")
    return g


def test_citing_a_much_cited_curated_paper_says_less_about_the_section(hubs: nx.DiGraph) -> None:
    """Undamped, `p` goes with the landmarks it cites (plus a co-citation with them); cited by
    seven papers each, they count 1 / log2 7 ≈ 0.36 in the vote and the rare works win."""
    [before] = [
        s for s in suggest_for_list(hubs, damp_cited_hubs=False).suggestions if s.key == "p"
    ]
    [now] = [s for s in suggest_for_list(hubs).suggestions if s.key == "p"]
    assert before.section == "Zeta" and before.votes["Zeta"] > before.votes["Alpha"]
    assert now.section == "Alpha", now.votes
    assert now.votes["Alpha"] == pytest.approx(2.0)
    damped = before.votes["Zeta"] - 2 * (1 - 1 / np.log2(7))  # each landmark: 1 -> 1 / log2 7
    assert now.votes["Zeta"] == pytest.approx(damped)
    assert now.score == pytest.approx(before.score), "the damping changes the vote, not the score"


def test_misfiled_check_reads_the_same_damped_vote(hubs: nx.DiGraph) -> None:
    hubs.nodes["p"].update(curated=True, section="Zeta")
    assert find_misfiled(hubs, min_share=0.5, damp_cited_hubs=False) == []
    [m] = find_misfiled(hubs, min_share=0.5)
    assert (m.key, m.section, m.suggested_section) == ("p", "Zeta", "Alpha")


def test_close_vote_names_both_sections() -> None:
    from implicit_atlas.graph.suggest import format_table, report_to_json

    g = nx.DiGraph(curated_sections=["Alpha", "Zeta"])
    paper(g, "a1", "Cobalt", section="Alpha", curated=True)
    paper(g, "z1", "Quartz", section="Zeta", curated=True)
    paper(g, "tie", "Tangerine")  # one link of the same strength into each section
    paper(g, "clear", "Umber")
    g.add_edges_from([("tie", "a1"), ("tie", "z1"), ("clear", "a1")], kind="cites")
    report = suggest_for_list(g)
    by_key = {s.key: s for s in report.suggestions}
    tie, clear = by_key["tie"], by_key["clear"]
    assert tie.votes == pytest.approx({"Alpha": 1.0, "Zeta": 1.0})
    assert (tie.section, tie.runner_up) == ("Zeta", "Alpha"), "the later name wins a tie"
    assert (clear.section, clear.runner_up) == ("Alpha", None)
    markdown = format_markdown(g, report)
    assert "### Zeta\n\n* Tangerine" in markdown, "the bullet still goes under one section"
    assert "section vote between Zeta (50%) and Alpha (50%), too close to call" in markdown
    assert "section vote 100% Alpha" in markdown
    assert "too close to call" in format_table(g, report)
    rows = {row["key"]: row for row in report_to_json(g, report)["suggestions"]}
    assert rows["tie"]["runner_up"] == "Alpha" and rows["clear"]["runner_up"] is None


def test_black_box_qp_paper_is_voted_into_optimization_layers(bundled_graph: nx.DiGraph) -> None:
    """It cites four curated papers of each section; the equilibrium ones are the field's
    landmarks, so the vote now files it under Optimization Layers, and says it is close."""
    report = suggest_for_list(bundled_graph, top=len(bundled_graph), types=NODE_TYPES)
    [qp] = [
        s
        for s in report.suggestions
        if str(bundled_graph.nodes[s.key].get("title") or "")
        .lower()
        .startswith("differentiation through black-box quadratic programming")
    ]
    assert qp.section == "Optimization Layers", qp.votes
    assert qp.runner_up == "Deep Equilibrium Networks"


# --- a section votes only for the kinds of work it holds -------------------------------------


@pytest.fixture
def talks() -> nx.DiGraph:
    """`p` cites a tutorial of "Talks" (strongly: nobody else cites it) and one much-cited
    curated paper of "Alpha"; `q` is a tutorial linked the same way."""
    g = nx.DiGraph(curated_sections=["Alpha", "Talks"])
    paper(g, "a1", "Cobalt", section="Alpha", curated=True)
    paper(g, "t1", "Quartz lecture", section="Talks", curated=True)
    g.nodes["t1"]["type"] = "tutorial"
    paper(g, "p", "Tangerine")
    paper(g, "q", "Umber talk")
    g.nodes["q"]["type"] = "tutorial"
    g.add_edges_from([(k, t) for k in ("p", "q") for t in ("a1", "t1")], kind="cites")
    for n in range(6):
        paper(g, f"f{n}", f"Field paper {n}")
        g.add_edge(f"f{n}", "a1", kind="cites")
    return g


def test_a_paper_is_not_filed_under_a_section_of_tutorials(talks: nx.DiGraph) -> None:
    report = suggest_for_list(talks, types=NODE_TYPES)
    by_key = {s.key: s for s in report.suggestions}
    p, q = by_key["p"], by_key["q"]
    assert p.section == "Alpha" and set(p.votes) == {"Alpha"}, p.votes
    assert q.section == "Talks" and set(q.votes) == {"Talks"}, q.votes
    assert "### Alpha\n\n* Tangerine" in format_markdown(talks, report)


def test_the_kind_rule_is_off_when_no_section_holds_the_kind(talks: nx.DiGraph) -> None:
    from implicit_atlas.graph.suggest import admissible

    votes = {"Alpha": 0.3, "Talks": 0.5}
    assert admissible(votes, {"Alpha": {"publication"}}, "tutorial") == votes
    assert admissible(votes, {"Alpha": {"publication"}, "Talks": {"tutorial"}}, "tutorial") == {
        "Talks": 0.5
    }


def test_a_curated_paper_is_not_reported_misfiled_into_tutorials(talks: nx.DiGraph) -> None:
    talks.nodes["p"].update(curated=True, section="Alpha")
    assert find_misfiled(talks, min_share=0.0, min_strength=1e-9) == []
