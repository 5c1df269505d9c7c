"""find_paper: every identifier form a user may paste, title fragments, ambiguity."""

from __future__ import annotations

import networkx as nx
import pytest

from implicit_atlas.graph.errors import LookupFailed
from implicit_atlas.graph.lookup import AmbiguousQuery, find_paper, find_papers, normalise_title


@pytest.fixture
def G() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node(
        "arXiv:1909.01377",
        title="Deep Equilibrium Models",
        year=2019,
        arxiv="1909.01377",
        s2_id="7C4A0F3E0C7D2E3B1A2B3C4D5E6F708192A3B4C5".lower(),
        corpus_id=202539738,
        curated=True,
        curated_key="deq",
        section="Deep Equilibrium Models",
    )
    g.add_node("arXiv:1910.08091", title="Multiscale Deep Equilibrium Models", year=2020)
    g.add_node(
        "doi:10.1137/1.9781611975604",
        title="Implicit Functions and Solution Mappings",
        doi="10.1137/1.9781611975604",
        year=2014,
    )
    g.add_node("arXiv:1806.07366", title="Neural Ordinary Differential Equations", year=2018)
    g.add_node(
        "title:neural controlled differential equations",
        title="Neural Controlled Differential Equations for Irregular Time Series",
    )
    g.add_node(
        "repo:github.com/locuslab/deq",
        title="locuslab/deq",
        type="software",
        url="https://github.com/locuslab/deq",
    )
    g.add_node("title:optnet a", title="OptNet: Differentiable Optimization as a Layer")
    g.add_node("title:optnet b", title="OptNet: Differentiable Optimization as a Layer")
    g.add_node("title:résumé", title="Équilibre et Résumé des Réseaux")
    return g


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("arXiv:1909.01377", id="node-key"),
        pytest.param("1909.01377", id="bare-arxiv"),
        pytest.param("1909.01377v3", id="versioned-arxiv"),
        pytest.param("https://arxiv.org/abs/1909.01377v2", id="arxiv-abs-url"),
        pytest.param("https://arxiv.org/pdf/1909.01377.pdf", id="arxiv-pdf-url"),
        pytest.param("7c4a0f3e0c7d2e3b1a2b3c4d5e6f708192a3b4c5", id="s2-id"),
        pytest.param("7C4A0F3E0C7D2E3B1A2B3C4D5E6F708192A3B4C5", id="s2-id-uppercase"),
        pytest.param("CorpusId:202539738", id="corpus-id"),
        pytest.param("deq", id="curated-key"),
        pytest.param("Deep Equilibrium Models", id="exact-title"),
        pytest.param("  deep   equilibrium models. ", id="title-case-punctuation"),
        pytest.param("Deep Equilibrum Models", id="title-typo"),
    ],
)
def test_finds_deq_by_any_identifier(G: nx.DiGraph, query: str) -> None:
    assert find_paper(G, query) == "arXiv:1909.01377"


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("10.1137/1.9781611975604", id="bare-doi"),
        pytest.param("doi:10.1137/1.9781611975604", id="doi-prefix"),
        pytest.param("https://doi.org/10.1137/1.9781611975604", id="doi-url"),
        pytest.param("DOI:10.1137/1.9781611975604.", id="doi-uppercase-trailing-dot"),
    ],
)
def test_finds_doi_forms(G: nx.DiGraph, query: str) -> None:
    assert find_paper(G, query) == "doi:10.1137/1.9781611975604"


def test_repository_url_finds_software(G: nx.DiGraph) -> None:
    assert find_paper(G, "https://github.com/locuslab/deq/") == "repo:github.com/locuslab/deq"


def test_title_fragment_with_one_match(G: nx.DiGraph) -> None:
    assert find_paper(G, "multiscale") == "arXiv:1910.08091"
    assert (
        find_paper(G, "controlled differential") == "title:neural controlled differential equations"
    )


def test_partial_last_word_matches(G: nx.DiGraph) -> None:
    assert find_paper(G, "Neural Ordinary Differ") == "arXiv:1806.07366"


def test_accents_are_ignored(G: nx.DiGraph) -> None:
    assert find_paper(G, "equilibre et resume") == "title:résumé"


def test_ambiguous_fragment_lists_candidates(G: nx.DiGraph) -> None:
    with pytest.raises(AmbiguousQuery) as info:
        find_paper(G, "differential equations")
    keys = {c.key for c in info.value.candidates}
    assert keys == {"arXiv:1806.07366", "title:neural controlled differential equations"}
    message = str(info.value)
    assert "Neural Ordinary Differential Equations (2018)" in message
    assert "arXiv:1806.07366" in message


def test_ambiguous_is_a_lookup_failed(G: nx.DiGraph) -> None:
    with pytest.raises(LookupFailed, match="2 papers"):
        find_paper(G, "OptNet: Differentiable Optimization as a Layer")


def test_curated_twin_wins_over_uncurated(G: nx.DiGraph) -> None:
    G.add_node("title:deep equilibrium models", title="Deep equilibrium models.")
    assert find_paper(G, "Deep Equilibrium Models") == "arXiv:1909.01377"


def test_nothing_matches_says_what_to_try(G: nx.DiGraph) -> None:
    with pytest.raises(LookupFailed, match="arXiv id, DOI") as info:
        find_paper(G, "quantum gravity of cats")
    assert not isinstance(info.value, AmbiguousQuery)


def test_unknown_arxiv_id_is_not_found(G: nx.DiGraph) -> None:
    with pytest.raises(LookupFailed):
        find_paper(G, "2401.99999")


def test_empty_query_fails(G: nx.DiGraph) -> None:
    with pytest.raises(LookupFailed, match="empty"):
        find_paper(G, "   ")


def test_find_papers_keeps_order_without_repeats(G: nx.DiGraph) -> None:
    keys = find_papers(G, ["multiscale", "deq", "1909.01377"])
    assert keys == ["arXiv:1910.08091", "arXiv:1909.01377"]


def test_normalise_title() -> None:
    assert (
        normalise_title("  OptNet: Differentiable—Optimization!")
        == "optnet differentiable optimization"
    )


def test_ambiguous_error_stays_one_line_with_hostile_titles(G: nx.DiGraph) -> None:
    G.add_node("evil1", title="Equilibrium evil\nsecond line\x1b[31m " + "long " * 200)
    G.add_node("evil2", title="Equilibrium evil\u2028again")
    with pytest.raises(AmbiguousQuery) as info:
        find_paper(G, "equilibrium evil")
    message = str(info.value)
    assert message.isprintable() and len(message) < 1000, message


# -- every id the tool prints, and every page a browser shows, names the same paper ----------

DEQ_S2 = "7c4a0f3e0c7d2e3b1a2b3c4d5e6f708192a3b4c5"


@pytest.mark.parametrize(
    "query",
    [
        pytest.param(
            f"https://www.semanticscholar.org/paper/Deep-Equilibrium-Models-Bai-Kolter/{DEQ_S2}",
            id="s2-page-with-slug",
        ),
        pytest.param(f"https://www.semanticscholar.org/paper/{DEQ_S2}", id="s2-page-bare"),
        pytest.param(f"semanticscholar.org/paper/{DEQ_S2}?utm_source=x", id="s2-page-query"),
        pytest.param(f"s2:{DEQ_S2}", id="s2-node-key"),
        pytest.param("corpusid:202539738", id="corpus-id-lowercase"),
        pytest.param("10.48550/arXiv.1909.01377", id="arxiv-doi"),
        pytest.param("https://doi.org/10.48550/arXiv.1909.01377", id="arxiv-doi-url"),
        pytest.param("arXiv:1909.01377v2", id="arxiv-prefixed-version"),
        pytest.param("https://arxiv.org/pdf/1909.01377v3", id="arxiv-pdf-version"),
    ],
)
def test_finds_deq_by_every_printed_id(G: nx.DiGraph, query: str) -> None:
    assert find_paper(G, query) == "arXiv:1909.01377"


@pytest.fixture
def pages() -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_node(
        "url:openreview.net/forum?id=B1xSperKvH",
        title="Neural Tangents",
        url="https://openreview.net/forum?id=B1xSperKvH",
    )
    g.add_node(
        "url:proceedings.neurips.cc/paper/2019/hash/01386bd6d8e091c2ab4c7c7de644d37b-Abstract.html",
        title="Deep Equilibrium Models",
        url="https://proceedings.neurips.cc/paper/2019/hash/01386bd6d8e091c2ab4c7c7de644d37b-Abstract.html",
    )
    g.add_node(
        "url:proceedings.mlr.press/v70/amos17a.html",
        title="OptNet",
        url="http://proceedings.mlr.press/v70/amos17a.html",
    )
    return g


@pytest.mark.parametrize(
    ("query", "key"),
    [
        pytest.param(
            "https://openreview.net/forum?id=B1xSperKvH",
            "url:openreview.net/forum?id=B1xSperKvH",
            id="openreview-forum",
        ),
        pytest.param(
            "https://openreview.net/pdf?id=B1xSperKvH",
            "url:openreview.net/forum?id=B1xSperKvH",
            id="openreview-pdf",
        ),
        pytest.param(
            "https://proceedings.neurips.cc/paper/2019/file/01386bd6d8e091c2ab4c7c7de644d37b-Paper.pdf",
            "url:proceedings.neurips.cc/paper/2019/hash/01386bd6d8e091c2ab4c7c7de644d37b-Abstract.html",
            id="neurips-pdf",
        ),
        pytest.param(
            "https://papers.nips.cc/paper_files/paper/2019/hash/01386bd6d8e091c2ab4c7c7de644d37b-Abstract.html",
            "url:proceedings.neurips.cc/paper/2019/hash/01386bd6d8e091c2ab4c7c7de644d37b-Abstract.html",
            id="neurips-old-host",
        ),
        pytest.param(
            "https://proceedings.mlr.press/v70/amos17a/amos17a.pdf",
            "url:proceedings.mlr.press/v70/amos17a.html",
            id="pmlr-pdf",
        ),
    ],
)
def test_finds_papers_by_their_pages(pages: nx.DiGraph, query: str, key: str) -> None:
    assert find_paper(pages, query) == key


def test_an_unknown_page_is_a_clear_lookup_failure(pages: nx.DiGraph) -> None:
    with pytest.raises(LookupFailed, match="no paper in the graph matches"):
        find_paper(pages, "https://openreview.net/forum?id=nothere")
