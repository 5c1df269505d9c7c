"""How often `suggest` files a missing paper under the right section, on the bundled data.

`suggest` votes each missing paper into the section of its strongest curated neighbours.
Which rule? This bench builds the bundled graph (offline, real data) and compares rules:
each section's vote is the sum of the paper's strongest ``k`` links into it (k = 1, 2, 3)
or of all of them (the first rule: sections with many curated papers won); citing a curated
paper counting 1 (before) or ``1 / log2`` of that paper's citation count (shipped); and votes
read from the `related` ranking of each section (its curated papers as seeds), alone or
added to the shipped vote. It also reports how often the vote is right when the runner-up
section is close (within 10%: `suggest` names both sections then).

The reference is a silver standard from titles: an uncurated paper whose title matches the
keywords of exactly one section (e.g. "differential equation", "ODE" for Neural
Differential Equations; "equilibrium", "fixed point" for Deep Equilibrium Networks;
"optimization layer", "quadratic program" for Optimization Layers) is labelled with it.
Titles also feed the vote's text signal, so the same comparison is run again on a copy of
the graph whose titles and abstracts are blanked: citation evidence alone. For the curated
papers, the bench counts how many the vote would file in another section than their own
(`find_misfiled` with no share threshold, i.e. leave-one-out).

    python bench/bench_suggest_sections.py
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from unittest import mock

import networkx as nx
import numpy as np

from implicit_atlas.graph import build_atlas, load_catalog, suggest
from implicit_atlas.graph.related import related_papers
from implicit_atlas.graph.signals import citation_index, text_index
from implicit_atlas.graph.suggest import (
    CLOSE_VOTE,
    _anchors,
    _strength,
    find_misfiled,
    section_votes,
    suggest_for_list,
    vote_strength,
    winning_section,
)

KEYWORDS = {
    "Neural Differential Equations": (
        r"differential equation|\bodes?\b|\bsdes?\b|\bcdes?\b|normalizing flow|continuous[- ]time"
    ),
    "Deep Equilibrium Networks": (
        r"equilibrium|fixed[- ]point|monotone operator|implicit (deep|network|model|layer|graph)"
    ),
    "Optimization Layers": (
        r"optimi[sz]ation layer|convex optimi|quadratic program|differentiable optimi|argmin"
        r"|bilevel|cvxpy|optnet|combinatorial|solver layer|projection layer"
    ),
}
ALL_TYPES = ("paper", "thesis", "book", "misc", "tutorial")
"""Every kind of work is scored, as before `suggest` left textbooks out by default."""
RULES = {
    "strongest 2, cites 1, any section": (2, False, False),
    "strongest 2, any section (before)": (2, True, False),
    "all links": (None, True, True),
    "strongest 1": (1, True, True),
    "strongest 2 (shipped)": (2, True, True),
    "strongest 3": (3, True, True),
}
"""Rule name -> (links counted per section, citing a curated paper hub-damped, a section votes
only for the kinds of work it holds: no paper into "Tutorials and Talks")."""


@contextlib.contextmanager
def kind_rule(on: bool) -> Iterator[None]:
    """The vote as shipped (`on`), or with every section open to every kind of work."""
    if on:
        yield
        return
    with mock.patch.object(suggest, "admissible", lambda votes, kinds, kind: votes):
        yield


def silver_labels(G: nx.DiGraph) -> dict[str, str]:
    labels = {}
    for key, attrs in G.nodes(data=True):
        if attrs.get("curated") or attrs.get("type") == "software":
            continue
        title = str(attrs.get("title") or "").lower()
        hits = [section for section, pattern in KEYWORDS.items() if re.search(pattern, title)]
        if len(hits) == 1:
            labels[key] = hits[0]
    return labels


def without_text(G: nx.DiGraph) -> nx.DiGraph:
    H = G.copy()
    for _, attrs in H.nodes(data=True):
        attrs["title"] = None
        attrs["abstract"] = None
    return H


def accuracy(
    G: nx.DiGraph, labels: dict[str, str], named: dict[str, str], k: int | None, damp: bool = True
) -> tuple[int, int, int, int, int]:
    """(right, voted) over silver-labelled papers; (misfiled, curated) over curated papers;
    named papers (:data:`NAMED`) voted into another section than their title names."""
    report = suggest_for_list(
        G, top=len(G), vote_neighbours=k, types=ALL_TYPES, damp_cited_hubs=damp
    )
    voted = [s for s in report.suggestions if s.key in labels and s.section]
    right = sum(1 for s in voted if s.section == labels[s.key])
    misfiled = find_misfiled(
        G, min_share=0.0, min_strength=1e-9, vote_neighbours=k, damp_cited_hubs=damp
    )
    wrong = sum(1 for s in report.suggestions if named.get(s.key, s.section) != s.section)
    return right, len(voted), len(misfiled), curated_count(G), wrong


def curated_count(G: nx.DiGraph) -> int:
    return sum(
        1
        for _, d in G.nodes(data=True)
        if d.get("curated") and d.get("section") and d.get("type") == "paper"
    )


NAMED = {
    "augmented neural odes": "Neural Differential Equations",
    "how to train your neural ode": "Neural Differential Equations",
    "learning differential equations that are easy to solve": "Neural Differential Equations",
    "differentiation through black-box quadratic programming solvers": "Optimization Layers",
    "jfb: jacobian-free backpropagation for implicit networks": "Deep Equilibrium Networks",
}
"""Papers whose title names one section's topic, and the section it names: the four the
issue named, and JFB, which the shipped hub damping moved to Optimization Layers."""


REVIEWED = {
    "jfb: jacobian-free backpropagation": "vote wrong: trains implicit (equilibrium) networks",
    "differentiable forward and backward fixed-point": "vote wrong: fixed-point layers",
    "feasibility-based fixed point networks": "vote wrong: an implicit network",
    "learn to predict equilibria via fixed point": "vote wrong: an implicit network",
    "deep euler method": "vote wrong: neural networks inside an ODE solver",
    "deep hidden physics models": "vote wrong: learning PDEs from data",
    "osqp": "vote wrong: the QP solver differentiable QP layers build on",
    "hpipm": "vote wrong: a QP solver",
    "proxqp": "vote wrong: a QP solver",
    "a software package for sequential quadratic": "vote wrong: a QP solver",
    "leveraging augmented-lagrangian": "vote wrong: differentiating through QPs",
    "comboptnet": "vote wrong: an integer-programming layer",
    "implicit normalizing flows": "label wrong: flows defined by a fixed-point equation",
    "a learning rule for asynchronous perceptrons": (
        "label wrong: recurrent backpropagation to a fixed point (Almeida 1987), a DEQ ancestor;"
        " 'combinatorial' matched"
    ),
    "nonasymptotic estimates for stochastic gradient langevin": (
        "label wrong: Langevin SDE theory; 'nonconvex optimization' matched"
    ),
    "a tale of hodgerank": "label wrong: a game's fixed point, neither section",
    "semi-discrete normalizing flows": "label doubtful: a discrete flow, no ODE",
    "learning to warm-start fixed-point optimization": "label doubtful: learned optimisers",
}
"""Title prefix -> a reader's verdict on each title-labelled paper the shipped vote filed
elsewhere (2026-12-04): the vote is wrong, or the keyword label is (a keyword matched a title
that is not about the section's topic)."""


def voted_elsewhere(G: nx.DiGraph, labels: dict[str, str]) -> None:
    """Every title-labelled paper the shipped vote files in another section, with the verdict."""
    report = suggest_for_list(G, top=len(G), types=ALL_TYPES)
    wrong = [s for s in report.suggestions if s.key in labels and s.section != labels[s.key]]
    verdicts = []
    for s in wrong:
        title = str(G.nodes[s.key].get("title") or "")
        verdict = next((v for t, v in REVIEWED.items() if title.lower().startswith(t)), "?")
        verdicts.append(verdict.split(":")[0])
        close = f", close call with {s.runner_up}" if s.runner_up else ""
        print(f"  {title[:60]:<60} {labels[s.key][:12]} -> {str(s.section)[:12]}{close}")
        print(f"      {verdict}")
    counts = {v: verdicts.count(v) for v in sorted(set(verdicts))}
    print(f"  {len(wrong)} voted elsewhere: {counts}")


def named_sections(G: nx.DiGraph) -> dict[str, str]:
    """Node key -> the section its title names, for the :data:`NAMED` papers (read on the
    graph with titles, so the titles-blanked run is checked on the same papers)."""
    out = {}
    for key, attrs in G.nodes(data=True):
        title = str(attrs.get("title") or "").lower()
        section = next((sec for t, sec in NAMED.items() if title.startswith(t)), None)
        if section and not attrs.get("curated"):
            out[key] = section
    return out


def named_votes(G: nx.DiGraph) -> None:
    """Where the shipped vote files the papers whose title names a section's topic."""
    report = suggest_for_list(G, top=len(G), types=ALL_TYPES)
    for s in report.suggestions:
        title = str(G.nodes[s.key].get("title") or "").lower()
        named = next((sec for t, sec in NAMED.items() if title.startswith(t)), None)
        if named:
            mark = "ok " if s.section == named else "MISFILED"
            votes = ", ".join(f"{sec[:12]} {v:.2f}" for sec, v in sorted(s.votes.items()))
            close = f"; close call with {s.runner_up}" if s.runner_up else ""
            print(f"  {mark} {title[:55]:<55} -> {s.section} ({votes}){close}")
    for m in find_misfiled(G, min_share=0.0, min_strength=1e-9):
        print(
            f"  curated {G.nodes[m.key].get('title', m.key)[:50]!r} would go to "
            f"{m.suggested_section} ({m.share:.0%} of its vote)"
        )


def section_text_votes(G: nx.DiGraph, labels: dict[str, str]) -> None:
    """Tried, not shipped: add to each section's vote w x the cosine of the paper's TF-IDF
    vector with the section's centroid, i.e. title evidence for the section's topic taken
    from the data, not from hand-written keywords (which would be the silver labels). Two
    centroids: the section's curated papers only, or those plus every uncurated paper whose
    citation-only vote (text part removed) gives the section a majority (self-training: the
    citations teach the titles' vocabulary). With titles blanked the cosine is 0, so the
    citations-only column cannot change. Then: how rare the topic words of the misfiled
    titles are among those citation-voted papers."""
    index = citation_index(G)
    vectors = text_index(G).vectors
    anchors = _anchors(G, index)
    strength, parts = _strength(G, index, anchors)
    citations = vote_strength(index, anchors, strength, parts) - parts["text"]
    sections = [str(G.nodes[index.keys[a]]["section"]) for a in anchors]
    curated = {int(a): sections[j] for j, a in enumerate(anchors)}
    voted = dict(curated)
    for i in range(index.size):
        if index.curated[i] or index.software[i]:
            continue
        votes = section_votes(citations[[i], :].toarray().ravel(), sections)
        best = winning_section(votes)
        if best and votes[best] >= 0.5 * sum(votes.values()):
            voted[i] = best
    report = suggest_for_list(G, top=len(G), types=ALL_TYPES)
    for name, members in (("curated papers", curated), ("+ citation-voted papers", voted)):
        centroids = {}
        for section in set(members.values()):
            rows = [i for i, sec in members.items() if sec == section]
            c = np.asarray(vectors[rows, :].sum(axis=0)).ravel()
            centroids[section] = c / np.linalg.norm(c) if np.linalg.norm(c) else c
        print(f"\nsection-centroid text added to the vote (tried; centroid of {name})")
        for weight in (0.0, 0.5, 1.0, 2.0):
            right = n = 0
            for s in report.suggestions:
                if s.key not in labels or not s.section:
                    continue
                v = np.asarray(vectors[[index.position[s.key]], :].todense()).ravel()
                votes = {
                    sec: s.votes.get(sec, 0.0) + weight * float(v @ centroids[sec])
                    for sec in s.votes
                }
                n += 1
                right += (
                    winning_section({sec: x for sec, x in votes.items() if x > 0}) == labels[s.key]
                )
            print(f"  w = {weight}: {right} of {n} right ({right / n:.3f})")
    titled = [str(G.nodes[index.keys[i]].get("title") or "").lower() for i in voted]
    print(f"\ntopic words among the {len(voted)} titles the citations vote into a section:")
    for words in (r"fixed[- ]point", r"quadratic program", r"\bodes?\b", r"equilibri"):
        by = {}
        for sec, title in zip(voted.values(), titled, strict=True):
            if re.search(words, title):
                by[sec] = by.get(sec, 0) + 1
        print(f"  {words!r}: {by}")


def _section_seeds(G: nx.DiGraph) -> dict[str, list[str]]:
    index = citation_index(G)
    seeds: dict[str, list[str]] = {}
    for a in _anchors(G, index):
        seeds.setdefault(str(G.nodes[index.keys[a]]["section"]), []).append(index.keys[a])
    return seeds


def _ranking(G: nx.DiGraph, seeds: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The `related` fused score and rank of every paper for `seeds` (0 and inf: unranked)."""
    index = citation_index(G)
    result = related_papers(G, seeds, top=index.size, types=None, depth=index.size)
    score, rank = np.zeros(index.size), np.full(index.size, np.inf)
    for p in result.papers:
        score[index.position[p.key]] = p.score
        rank[index.position[p.key]] = p.rank
    return score, rank


def _shares(votes: dict[str, float]) -> dict[str, float]:
    total = sum(votes.values())
    return {s: v / total for s, v in votes.items()} if total else {}


RELATED_RULES = {
    "related: fused score": lambda rel, ship: rel["score"],
    "related: score / section best": lambda rel, ship: rel["scaled"],
    "related: 1 / rank": lambda rel, ship: rel["inverse rank"],
    "shipped + 0.5 x related": lambda rel, ship: _mix(ship, rel["score"], 0.5),
    "shipped + 1 x related": lambda rel, ship: _mix(ship, rel["score"], 1.0),
}
"""Votes from each section's `related` ranking (tried, not shipped): the fused score, the
score over the section's best, the reciprocal rank, or the shipped vote's shares plus w x
the related scores' shares."""


def _mix(ship: dict[str, float], related: dict[str, float], w: float) -> dict[str, float]:
    a, b = _shares(ship), _shares(related)
    return {s: a.get(s, 0.0) + w * b.get(s, 0.0) for s in set(a) | set(b)}


def _related_views(rankings: dict[str, tuple[np.ndarray, np.ndarray]], i: int) -> dict:
    views: dict[str, dict[str, float]] = {"score": {}, "scaled": {}, "inverse rank": {}}
    for sec, (score, rank) in rankings.items():
        if score[i] > 0:
            views["score"][sec] = float(score[i])
            views["scaled"][sec] = float(score[i] / score.max())
            views["inverse rank"][sec] = float(1.0 / rank[i])
    return views


def related_accuracy(
    G: nx.DiGraph, labels: dict[str, str], named: dict[str, str]
) -> dict[str, tuple[int, ...]]:
    """Each :data:`RELATED_RULES` row: right, voted, curated moved, curated, named misfiled.

    Rankings are computed once per section; a curated paper is voted with its own section
    re-seeded without it (leave-one-out), as `find_misfiled` does.
    """
    seeds = _section_seeds(G)
    rankings = {sec: _ranking(G, keys) for sec, keys in seeds.items()}
    index = citation_index(G)
    report = suggest_for_list(G, top=len(G), types=ALL_TYPES)
    anchors = _anchors(G, index)
    strength, parts = _strength(G, index, anchors)
    among = vote_strength(index, anchors, strength, parts)[anchors, :].toarray()
    np.fill_diagonal(among, 0.0)
    anchor_sections = [str(G.nodes[index.keys[a]]["section"]) for a in anchors]
    out = {}
    for rule, vote in RELATED_RULES.items():
        right = voted = wrong = 0
        for s in report.suggestions:
            best = winning_section(vote(_related_views(rankings, index.position[s.key]), s.votes))
            if s.key in labels and s.section:
                voted += 1
                right += best == labels[s.key]
            wrong += named.get(s.key, best) != best
        moved = 0
        for j, a in enumerate(anchors):
            key, own = index.keys[a], anchor_sections[j]
            others = [k for k in seeds[own] if k != key]
            if G.nodes[key].get("type") != "paper" or not others:
                continue
            held_out = {**rankings, own: _ranking(G, others)}
            ship = section_votes(among[j], anchor_sections)
            votes = vote(_related_views(held_out, int(a)), ship)
            best = winning_section({sec: v for sec, v in votes.items() if v > 0})
            moved += best not in (None, own)
        out[rule] = (right, voted, moved, curated_count(G), wrong)
    return out


def close_calls(G: nx.DiGraph, labels: dict[str, str]) -> None:
    """How often the shipped vote is right when the runner-up section is close, and not."""
    report = suggest_for_list(G, top=len(G), types=ALL_TYPES)
    close = [s for s in report.suggestions if s.runner_up]
    for name, group in (
        ("close", close),
        ("clear", [s for s in report.suggestions if not s.runner_up]),
    ):
        labelled = [s for s in group if s.key in labels and s.section]
        right = sum(1 for s in labelled if s.section == labels[s.key])
        print(
            f"  {name:<6} {len(group):>5} papers; {right} of {len(labelled)} title-labelled right"
            + (f" ({right / len(labelled):.2f})" if labelled else "")
        )


def _row(
    rule: str, right: int, voted: int, misfiled: int, curated: int, named: int, base: float
) -> str:
    share = right / voted if voted else 0.0
    return (
        f"{rule:<38} {right:>5} of {voted:<4} {share:>9.3f} {share / base:>9.2f}x"
        f" {misfiled:>8} of {curated} {named:>6} of {len(NAMED)}"
    )


def main() -> None:
    G = build_atlas(load_catalog())
    labels = silver_labels(G)
    named = named_sections(G)
    counts = {s: sum(1 for v in labels.values() if v == s) for s in KEYWORDS}
    print(f"bundled graph: {len(G)} nodes; silver-labelled uncurated papers: {len(labels)}")
    print(f"  {counts}")
    print("\npapers whose title names a section, and curated papers the vote would move:")
    named_votes(G)
    print("\ntitle-labelled papers the shipped vote files elsewhere, with a reader's verdict:")
    voted_elsewhere(G, labels)
    for name, graph in (("all evidence", G), ("citations only (titles blanked)", without_text(G))):
        print(f"\n{name}")
        header = f"{'rule':<38} {'right':>12} {'accuracy':>9} {'vs before':>10}"
        print(f"{header} {'curated misfiled':>17} {'named misfiled':>14}")
        rows = {}
        for rule, (k, damp, kinds) in RULES.items():
            with kind_rule(kinds):
                rows[rule] = accuracy(graph, labels, named, k, damp)
        right, voted = rows["strongest 2, any section (before)"][:2]
        baseline = right / voted if voted else 1.0
        for rule, row in rows.items():
            print(_row(rule, *row, baseline))
        for rule, row in related_accuracy(graph, labels, named).items():
            print(_row(rule + " (tried)", *row, baseline))
        print(f"close calls (runner-up section >= {CLOSE_VOTE:.0%} of the winner's vote):")
        close_calls(graph, labels)
    section_text_votes(G, labels)


if __name__ == "__main__":
    main()
