"""Acronyms learned from a graph's own titles, and the text index that writes them in one form."""

from __future__ import annotations

import networkx as nx
import pytest

from implicit_atlas.graph.acronyms import acronym_candidates, learn_acronyms
from implicit_atlas.graph.related import related_papers
from implicit_atlas.graph.signals import (
    build_text_index,
    content_words,
    graph_acronyms,
    text_similarity,
    tokenize,
)


def graph_of(titles: dict[str, str]) -> nx.DiGraph:
    G = nx.DiGraph()
    for key, title in titles.items():
        G.add_node(key, title=title, type="paper")
    return G


ODE_TITLES = {
    "short": "Dissecting Neural ODEs",
    "long": "Neural Ordinary Differential Equations",
    "stiff": "Stiff ordinary differential equations",
    "solver": "Adaptive solvers for differential equations",
    "other": "Graph attention networks",
}


def similarity(G: nx.DiGraph, a: str, b: str, **options: str) -> float:
    index = build_text_index(G, **options)
    rows = index.vectors[[index.position[a], index.position[b]], :]
    return float(rows[[0], :].multiply(rows[[1], :]).sum())


def test_neural_odes_and_neural_ordinary_differential_equations_share_their_words() -> None:
    G = graph_of(ODE_TITLES)
    assert graph_acronyms(G) == {"ode": ("ordinary", "differential", "equation")}
    written = similarity(G, "short", "long", acronyms="none")
    learned = similarity(G, "short", "long")
    assert learned > written + 0.3, (written, learned)
    assert text_similarity(G, "short", limit=1) == {"long": pytest.approx(learned)}
    assert similarity(G, "short", "long", acronyms="expand") > written
    assert similarity(G, "short", "long", acronyms="both") > written


def test_the_index_writes_expansions_as_the_acronym_in_singular() -> None:
    G = graph_of({**ODE_TITLES, "qp1": "Differentiable QPs", "qp2": "Quadratic program layers"})
    G.add_node("qp3", title="Fast quadratic program solvers")
    contracted = {"ode", "neural ode", "stiff ode", "qp", "differentiable qp", "qp layer"}
    pairs_of_expansions = {"ordinary differential", "quadratic program", "neural ordinary"}
    terms = set(build_text_index(G).terms)  # contract+words: the single words stay
    assert contracted | {"ordinary", "quadratic"} <= terms
    assert not (pairs_of_expansions | {"qps"}) & terms
    terms = set(build_text_index(G, acronyms="contract").terms)
    assert contracted <= terms
    assert not (pairs_of_expansions | {"qps", "ordinary", "quadratic"}) & terms


def test_a_word_no_title_writes_in_capitals_is_not_an_acronym() -> None:
    """The word "dem" spells "deep equilibrium models" twice, but no title writes it in capitals."""
    G = graph_of(
        {
            "a": "The dem approach to vision",
            "b": "Deep equilibrium models",
            "c": "Multiscale deep equilibrium models",
            "d": "DEEP EQUILIBRIUM MODELS AND DEM",  # a title in capitals says nothing
        }
    )
    assert graph_acronyms(G) == {}
    assert similarity(G, "a", "b") == similarity(G, "a", "b", acronyms="none") == 0.0


def test_a_run_seen_once_does_not_define_an_acronym() -> None:
    G = graph_of({"a": "Fast MPC on chips", "b": "Model predictive control of drones"})
    assert graph_acronyms(G) == {}
    G.add_node("c", title="Robust model predictive control")
    assert graph_acronyms(G) == {"mpc": ("model", "predictive", "control")}
    assert similarity(G, "a", "b") > 0


def test_initials_many_word_pairs_spell_are_not_read_as_one_of_them() -> None:
    """Four readings of "EM", none dominant: the corpus does not say which one a title meant."""
    titles = ["Matrix capsules with EM routing"]
    runs = [["energy", "model"]] * 2 + [["equilibrium", "model"]] * 2 + [["euler", "method"]] * 2
    runs.append(["expectation", "maximization"])
    assert learn_acronyms(titles, runs) == {}
    assert learn_acronyms(titles, runs + [["energy", "model"]] * 2) == {"em": ("energy", "model")}


def test_candidates_are_short_capital_words_with_an_optional_plural() -> None:
    titles = [
        "PINNs and GANs",
        "A differentiable QP layer in JAX",
        "X-ray TOOLONGWORD",
        None,
        "Latent ODE-Nets",
    ]
    assert acronym_candidates(titles) == {"pinn", "gan", "qp", "jax", "ode"}


def test_tokenize_and_content_words_are_unchanged_for_single_strings() -> None:
    """Acronyms belong to a corpus: a lone string is tokenized as written."""
    assert tokenize("Neural ODEs") == ["neural", "ode", "neural ode"]
    assert content_words("Neural ODEs for the MPC") == ["neural", "ode", "mpc"]


def test_related_ranks_the_paper_written_with_the_acronym() -> None:
    G = graph_of(ODE_TITLES)
    result = related_papers(G, ["short"], signals=["text"], top=2)
    assert [p.key for p in result.papers] == ["long", "stiff"]


def test_an_unknown_form_is_refused() -> None:
    with pytest.raises(ValueError, match="acronyms='plural'"):
        build_text_index(graph_of(ODE_TITLES), acronyms="plural")
