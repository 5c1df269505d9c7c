"""How often `suggest` files a missing paper under the right section, on the bundled data.

`suggest` votes each missing paper into the section of its strongest curated neighbours.
Which rule? This bench builds the bundled graph (offline, real data) and compares rules:
each section's vote is the sum of the paper's strongest ``k`` links into it (k = 1, 2, 3)
or of all of them (the rule before: sections with many curated papers won).

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

import re

import networkx as nx
import numpy as np

from implicit_atlas.graph import build_atlas, load_catalog
from implicit_atlas.graph.signals import citation_index, text_index
from implicit_atlas.graph.suggest import find_misfiled, suggest_for_list, winning_section

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
RULES = {"all (before)": None, "strongest 1": 1, "strongest 2 (shipped)": 2, "strongest 3": 3}


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


def accuracy(G: nx.DiGraph, labels: dict[str, str], k: int | None) -> tuple[int, int, int, int]:
    """(right, voted) over silver-labelled papers; (misfiled, curated) over curated papers."""
    report = suggest_for_list(G, top=len(G), vote_neighbours=k, types=ALL_TYPES)
    voted = [s for s in report.suggestions if s.key in labels and s.section]
    right = sum(1 for s in voted if s.section == labels[s.key])
    misfiled = find_misfiled(G, min_share=0.0, min_strength=1e-9, vote_neighbours=k)
    curated = sum(
        1
        for _, d in G.nodes(data=True)
        if d.get("curated") and d.get("section") and d.get("type") == "paper"
    )
    return right, len(voted), len(misfiled), curated


NAMED = {
    "augmented neural odes": "Neural Differential Equations",
    "how to train your neural ode": "Neural Differential Equations",
    "learning differential equations that are easy to solve": "Neural Differential Equations",
    "differentiation through black-box quadratic programming solvers": "Optimization Layers",
}
"""Papers whose title names one section's topic, and the section it names."""


def named_votes(G: nx.DiGraph) -> None:
    """Where the shipped vote files the papers whose title names a section's topic."""
    report = suggest_for_list(G, top=len(G), types=ALL_TYPES)
    for s in report.suggestions:
        title = str(G.nodes[s.key].get("title") or "").lower()
        named = next((sec for t, sec in NAMED.items() if title.startswith(t)), None)
        if named:
            mark = "ok " if s.section == named else "MISFILED"
            votes = ", ".join(f"{sec[:12]} {v:.2f}" for sec, v in sorted(s.votes.items()))
            print(f"  {mark} {title[:55]:<55} -> {s.section} ({votes})")
    for m in find_misfiled(G, min_share=0.0, min_strength=1e-9):
        print(
            f"  curated {G.nodes[m.key].get('title', m.key)[:50]!r} would go to "
            f"{m.suggested_section} ({m.share:.0%} of its vote)"
        )


def section_text_votes(G: nx.DiGraph, labels: dict[str, str]) -> None:
    """Tried, not shipped: add to each section's vote w x the cosine of the paper's TF-IDF
    vector with the section's centroid (its curated papers' titles and abstracts), i.e. title
    evidence for the section's topic taken from the list itself, not from hand-written
    keywords (which would be the silver labels). With titles blanked the cosine is 0, so the
    citations-only column cannot change."""
    index = citation_index(G)
    vectors = text_index(G).vectors
    rows: dict[str, list[int]] = {}
    for i, key in enumerate(index.keys):
        d = G.nodes[key]
        if d.get("curated") and d.get("section") and d.get("type") != "software":
            rows.setdefault(str(d["section"]), []).append(i)
    centroids = {}
    for section, members in rows.items():
        c = np.asarray(vectors[members, :].sum(axis=0)).ravel()
        centroids[section] = c / np.linalg.norm(c) if np.linalg.norm(c) else c
    report = suggest_for_list(G, top=len(G), types=ALL_TYPES)
    print("\nsection-centroid text added to the vote (tried, not shipped; all evidence)")
    for weight in (0.0, 0.5, 1.0, 2.0):
        right = voted = 0
        named = []
        for s in report.suggestions:
            v = np.asarray(vectors[[index.position[s.key]], :].todense()).ravel()
            votes = {
                sec: s.votes.get(sec, 0.0) + weight * float(v @ centroids.get(sec, 0 * v))
                for sec in set(s.votes) | set(centroids)
            }
            best = winning_section({sec: x for sec, x in votes.items() if x > 0})
            if s.key in labels and s.section:
                voted += 1
                right += best == labels[s.key]
            title = str(G.nodes[s.key].get("title") or "").lower()
            if title.startswith("differentiation through black-box"):
                named.append(f"QP paper -> {best}")
        print(f"  w = {weight}: {right} of {voted} right ({right / voted:.3f}); {'; '.join(named)}")


def main() -> None:
    G = build_atlas(load_catalog())
    labels = silver_labels(G)
    counts = {s: sum(1 for v in labels.values() if v == s) for s in KEYWORDS}
    print(f"bundled graph: {len(G)} nodes; silver-labelled uncurated papers: {len(labels)}")
    print(f"  {counts}")
    print("\npapers whose title names a section, and curated papers the vote would move:")
    named_votes(G)
    for name, graph in (("all evidence", G), ("citations only (titles blanked)", without_text(G))):
        print(f"\n{name}")
        header = f"{'rule':<24} {'right':>12} {'accuracy':>9} {'vs before':>10}"
        print(f"{header} {'curated misfiled':>17}")
        baseline = None
        for rule, k in RULES.items():
            right, voted, misfiled, curated = accuracy(graph, labels, k)
            share = right / voted if voted else 0.0
            baseline = share if baseline is None else baseline
            print(
                f"{rule:<24} {right:>5} of {voted:<4} {share:>9.3f} {share / baseline:>9.2f}x"
                f" {misfiled:>8} of {curated}"
            )
    section_text_votes(G, labels)


if __name__ == "__main__":
    main()
