"""For the list's maintainers: what is missing from the curated list, duplicated, or misfiled.

Every paper outside the list is scored by how strongly it connects to the curated papers:

.. math:: \\mathrm{strength}(p, c) = w_\\mathrm{cites}[p \\to c] + w_\\mathrm{cited}[c \\to p]
          + w_\\mathrm{infl}\\,n_\\mathrm{influential}(p, c) + \\mathrm{cocit}(p, c)
          + \\mathrm{coupling}(p, c) + \\mathrm{text}(p, c)

with co-citation and coupling both Salton-normalised (shared citers, resp. shared references,
over the square root of both counts) and hub-damped: a shared citer counts ``1 / log2`` of
its reference-list length, a shared reference ``1 / log2`` of its citation count, so a
thesis citing 300 papers or a reference the whole field cites says little about a pair;
text is the TF-IDF cosine of titles and abstracts. A paper's score is the sum over curated
papers ``c``; its section is the one whose two strongest links add up to the most (the
vote: each section counts the paper's two strongest curated neighbours in it, so a section
is not chosen for having many curated papers that are each weakly linked; measured in
bench/bench_suggest_sections.py). In the vote, citing a curated paper counts ``1 / log2`` of
that paper's citation count (:func:`vote_strength`): the field's landmarks are cited from
every section. When the runner-up section's vote is within 10% of the winner's, the output
names both (:func:`close_runner_up`). A section votes only for the kinds of work it holds
(:func:`section_kinds`): no paper goes under a section of tutorials. Citing a curated paper
weighs more than being cited by one (``w_cites = 1``, ``w_cited = 0.25``): papers that
build on the list are usually part of the field, papers the list builds on are often
general background (optimisers, ResNets), and a curated paper cites neighbouring sections'
work (Deep Equilibrium Models cites Augmented Neural ODEs) without making it part of its
section. For the same reason a paper's
total is damped by its topicality
:math:`t` (its best text cosine with a curated paper):

.. math:: \\mathrm{score}(p) = \\sum_c \\mathrm{strength}(p, c) \\cdot
          \\left(0.25 + 0.75 \\min(1, t / 0.2)\right)

so a paper sharing no words with the list keeps a quarter of its score. Uncurated nodes that
look like another version of a curated entry (same or 85%-alike title, compatible authors and
years) are not suggested.
"""

from __future__ import annotations

import difflib
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from .errors import AtlasError
from .identity import normalize_title, titles_compatible
from .schema import EDGE_CITES, NODE_TYPES
from .selection import match_section
from .signals import CitationIndex, citation_index, text_index
from .text import (
    ROW_TITLE_WIDTH,
    clean_text,
    is_web_url,
    markdown_text,
    markdown_url,
    shorten,
)
from .venues import VENUES

WEIGHT_CITES_CURATED = 1.0
WEIGHT_CITED_BY_CURATED = 0.25
WEIGHT_INFLUENTIAL = 0.5
WEIGHT_TEXT = 1.0
DAMPING_FLOOR = 0.25
TOPICAL_COSINE = 0.2
DUPLICATE_TITLE_RATIO = 0.9
TWIN_TITLE_RATIO = 0.85
VOTE_NEIGHBOURS = 2
"""Curated neighbours per section that count in the section vote (its strongest ones)."""
CLOSE_VOTE = 0.9
"""A runner-up section with at least this share of the winning vote makes the vote a close
call, reported with both sections: on the bundled data the vote is right for 3 of the 8
title-labelled papers this close, 94% of the others (bench/bench_suggest_sections.py)."""
ANCHOR_TYPES = frozenset({"paper", "thesis", "book", "misc", "tutorial", None})
WORK_KINDS = {"tutorial": "tutorial"}
"""Node type -> the kind of work a section must hold to take it (any other type: "publication");
see :func:`section_kinds`."""
SUGGESTED_TYPES = ("paper", "thesis")
"""What `suggest` proposes by default: textbooks and unclassified references (``book``,
``misc``) are cited by the field without belonging in its list."""


@dataclass
class Suggestion:
    """A paper missing from the list, with its score, section vote and evidence."""

    key: str
    score: float
    section: str | None
    vote: float
    votes: dict[str, float]
    cites_curated: list[str]
    cited_by_curated: list[str]
    influential: list[str]
    co_cited_with: list[str]
    coupled_with: list[str]
    similar_text: list[str]

    @property
    def vote_share(self) -> float:
        return self.share_of(self.section) if self.section else 0.0

    @property
    def runner_up(self) -> str | None:
        """The second section when the vote is a close call (:func:`close_runner_up`)."""
        return close_runner_up(self.votes)

    def share_of(self, section: str) -> float:
        total = sum(self.votes.values())
        return self.votes.get(section, 0.0) / total if total else 0.0


@dataclass
class Duplicate:
    """Two curated entries that look like one work (e.g. a preprint and its venue version)."""

    first: str
    second: str
    reason: str


@dataclass
class Misfiled:
    """A curated entry whose curated neighbours mostly sit in another section."""

    key: str
    section: str
    suggested_section: str
    share: float
    neighbours: list[str]


@dataclass
class SuggestReport:
    suggestions: list[Suggestion]
    duplicates: list[Duplicate]
    misfiled: list[Misfiled]
    sections: list[str]
    notes: list[str] = field(default_factory=list)


def suggest_for_list(
    G: nx.DiGraph,
    *,
    top: int = 30,
    section: str | None = None,
    min_score: float = 0.0,
    min_misfiled_share: float = 0.6,
    vote_neighbours: int | None = VOTE_NEIGHBOURS,
    types: Iterable[str] = SUGGESTED_TYPES,
    damp_cited_hubs: bool = True,
) -> SuggestReport:
    """Ranked papers missing from the curated list, plus duplicates and misfiled entries.

    `section` keeps only suggestions voted into that section; `min_score` drops weak ones;
    `vote_neighbours` is how many curated neighbours per section count in the section vote
    (:func:`section_votes`); `types` the node types to propose (papers and theses by
    default; a node with no type counts as a paper). ``damp_cited_hubs=False`` lets citing a
    much-cited curated paper count fully in the vote (:func:`vote_strength`), as before.
    """
    if not math.isfinite(min_score):
        raise AtlasError(f"--min-score must be a finite number, not {min_score}; e.g. 5")
    index = citation_index(G)
    anchors = _anchors(G, index)
    sections = _sections(G, anchors, index)
    notes: list[str] = []
    if len(anchors) == 0:
        raise AtlasError(
            "the graph has no curated papers with a section; build it from a curated list "
            "(`implicit-atlas build`) before asking what is missing"
        )
    if section is not None:
        section = match_section(section, sections)
    strength, parts = _strength(G, index, anchors)
    voting = vote_strength(index, anchors, strength, parts) if damp_cited_hubs else strength
    anchor_sections = [str(G.nodes[index.keys[a]].get("section")) for a in anchors]
    kinds = section_kinds(G, index, anchors)

    wanted = {types} if isinstance(types, str) else set(types)
    unknown = sorted(wanted - set(NODE_TYPES))
    if unknown or not wanted:
        raise AtlasError(
            f"unknown type(s) {', '.join(map(repr, unknown))}; choose from {', '.join(NODE_TYPES)}"
            if unknown
            else f"no type to suggest; choose some of {', '.join(NODE_TYPES)}"
        )
    node_types = [str(G.nodes[key].get("type") or "paper") for key in index.keys]
    of_type = np.array([t in wanted for t in node_types], dtype=bool)
    candidates = ~index.curated & ~index.software
    candidates &= ~_versions_of_curated(G, index)
    topical = np.asarray(parts["text"].max(axis=1).toarray()).ravel()
    damping = DAMPING_FLOOR + (1.0 - DAMPING_FLOOR) * np.minimum(1.0, topical / TOPICAL_COSINE)
    totals = np.asarray(strength.sum(axis=1)).ravel() * damping
    ranked = [int(i) for i in np.argsort(-totals, kind="stable") if candidates[i] and totals[i] > 0]
    order = [i for i in ranked if of_type[i]]
    if not any(index.in_degree[a] + index.out_degree[a] for a in anchors):
        notes.append(
            "no curated paper has citations in this graph; suggestions rest on text similarity"
        )
    suggestions = []
    for i in order:
        if totals[i] < min_score:
            break
        s = _suggestion(
            G,
            index,
            anchors,
            anchor_sections,
            voting,
            parts,
            i,
            float(totals[i]),
            vote_neighbours,
            kinds,
        )
        if section is None or s.section == section:
            suggestions.append(s)
        if len(suggestions) >= top:
            break
    cutoff = max(min_score, suggestions[-1].score if len(suggestions) >= top else 0.0)
    skipped = Counter(
        node_types[i]
        for i in ranked
        if not of_type[i]
        and totals[i] >= cutoff
        and (
            section is None
            or _voted_section(G, index, voting, anchor_sections, i, vote_neighbours, kinds)
            == section
        )
    )
    if skipped:
        left_out = ", ".join(f"{n} {t}" for t, n in sorted(skipped.items()))
        flags = " ".join(f"--type {t}" for t in [*dict.fromkeys(types), *sorted(skipped)])
        notes.append(
            f"not suggested for their type, though as strongly linked as those listed: {left_out} "
            f"(to include them: {flags})"
        )
    return SuggestReport(
        suggestions=suggestions,
        duplicates=find_duplicates(G),
        misfiled=find_misfiled(
            G,
            min_share=min_misfiled_share,
            vote_neighbours=vote_neighbours,
            damp_cited_hubs=damp_cited_hubs,
        ),
        sections=sections,
        notes=notes,
    )


def _anchors(G: nx.DiGraph, index: CitationIndex) -> np.ndarray:
    """Positions of curated, sectioned, non-software nodes: what suggestions are measured by."""
    return np.array(
        [
            i
            for i, key in enumerate(index.keys)
            if index.curated[i]
            and not index.software[i]
            and G.nodes[key].get("section")
            and G.nodes[key].get("type") in ANCHOR_TYPES
        ],
        dtype=np.int64,
    )


def _sections(G: nx.DiGraph, anchors: np.ndarray, index: CitationIndex) -> list[str]:
    listed = [str(s) for s in G.graph.get("curated_sections") or []]
    for a in anchors:
        s = str(G.nodes[index.keys[a]]["section"])
        if s not in listed:
            listed.append(s)
    return listed


def work_kind(node_type: Any) -> str:
    """ "tutorial" for tutorials, "publication" for papers, theses, books and the rest."""
    return WORK_KINDS.get(str(node_type), "publication")


def section_kinds(G: nx.DiGraph, index: CitationIndex, anchors: np.ndarray) -> dict[str, set[str]]:
    """The kinds of work (:func:`work_kind`) each section's curated entries are.

    A section votes only for the kinds it holds: "Tutorials and Talks" lists tutorials, so a
    paper linked to a tutorial is not filed there (on the bundled data two papers were, one a
    QP solver whose runner-up was Optimization Layers).
    """
    kinds: dict[str, set[str]] = {}
    for a in anchors:
        attrs = G.nodes[index.keys[a]]
        kinds.setdefault(str(attrs["section"]), set()).add(work_kind(attrs.get("type")))
    return kinds


def admissible(votes: dict[str, float], kinds: dict[str, set[str]], kind: str) -> dict[str, float]:
    """`votes` restricted to the sections holding `kind` of work (all of them when none does).

    >>> admissible({"Papers": 0.2, "Talks": 0.3}, {"Papers": {"publication"},
    ...     "Talks": {"tutorial"}}, "publication")
    {'Papers': 0.2}
    """
    if not any(kind in held for held in kinds.values()):
        return votes
    return {s: v for s, v in votes.items() if kind in kinds.get(s, {kind})}


def _strength(
    G: nx.DiGraph, index: CitationIndex, anchors: np.ndarray
) -> tuple[sp.csr_array, dict[str, sp.csr_array]]:
    """Pairwise strength (papers x curated anchors) and each of its parts, as sparse matrices."""
    A = index.cites
    cites = sp.csr_array(index.cited_by[anchors, :].T)  # p cites anchor
    cited = sp.csr_array(A[anchors, :].T)  # anchor cites p
    influential = _influential(G, index, anchors)
    cocit = _salton(
        sp.csr_array(index.cited_by @ sp.diags_array(_rarity(index.out_degree)) @ cites),
        index.in_degree,
        anchors,
    )
    coupling = _salton(
        sp.csr_array(A @ sp.diags_array(_rarity(index.in_degree)) @ A[anchors, :].T),
        index.out_degree,
        anchors,
    )
    text = text_index(G)
    vectors = text.vectors
    similar = sp.csr_array(vectors @ vectors[anchors, :].T)
    parts = {
        "cites": cites,
        "cited": cited,
        "influential": influential,
        "cocitation": cocit,
        "coupling": coupling,
        "text": similar,
    }
    strength = (
        WEIGHT_CITES_CURATED * cites
        + WEIGHT_CITED_BY_CURATED * cited
        + WEIGHT_INFLUENTIAL * influential
        + cocit
        + coupling
        + WEIGHT_TEXT * similar
    )
    return sp.csr_array(strength), parts


def vote_strength(
    index: CitationIndex,
    anchors: np.ndarray,
    strength: sp.csr_array,
    parts: dict[str, sp.csr_array],
) -> sp.csr_array:
    """The strength the section vote reads: citing a curated paper counts ``1 / log2`` of that
    paper's citation count instead of 1.

    The field cites its landmarks (Deep Equilibrium Models, Neural ODEs) from every section, so
    citing one says less about where a paper belongs than citing a curated paper only its own
    topic cites: the hub damping co-citation and coupling already have, applied to the direct
    links. Only the vote changes; the score that ranks the suggestions does not.
    """
    damping = _rarity(index.in_degree[anchors]) - 1.0
    cites = parts["cites"] @ sp.diags_array(damping)
    return sp.csr_array(strength + WEIGHT_CITES_CURATED * cites)


def _rarity(degree: np.ndarray) -> np.ndarray:
    """``1 / log2 d`` for a degree ``d`` >= 2 (1 for 2 and less): a paper citing many others
    says less about each pair it cites together (Adamic & Adar, 2003)."""
    return 1.0 / np.log2(np.maximum(degree, 2))


def _salton(shared: sp.csr_array, degree: np.ndarray, anchors: np.ndarray) -> sp.csr_array:
    coo = sp.coo_array(shared)
    norm = np.sqrt(degree[coo.row] * degree[anchors][coo.col])
    ok = (norm > 0) & (coo.row != anchors[coo.col])
    return sp.csr_array((coo.data[ok] / norm[ok], (coo.row[ok], coo.col[ok])), shape=shared.shape)


def _influential(G: nx.DiGraph, index: CitationIndex, anchors: np.ndarray) -> sp.csr_array:
    rows, cols = [], []
    for j, a in enumerate(anchors):
        key = index.keys[a]
        for u, v, d in itertools.chain(G.in_edges(key, data=True), G.out_edges(key, data=True)):
            if d.get("kind") == EDGE_CITES and d.get("is_influential"):
                other = u if v == key else v
                rows.append(index.position[other])
                cols.append(j)
    data = np.ones(len(rows))
    return sp.csr_array((data, (rows, cols)), shape=(index.size, len(anchors)))


def _versions_of_curated(G: nx.DiGraph, index: CitationIndex) -> np.ndarray:
    """Uncurated nodes that are another version of a curated entry (alike title, compatible)."""
    curated = [
        (key, normalize_title(G.nodes[key].get("title")) or "")
        for i, key in enumerate(index.keys)
        if index.curated[i]
    ]
    out = np.zeros(index.size, dtype=bool)
    for i, key in enumerate(index.keys):
        if index.curated[i]:
            continue
        title = normalize_title(G.nodes[key].get("title")) or ""
        out[i] = bool(title) and any(
            _alike(title, other) and titles_compatible(_no_ids(G, key), _no_ids(G, twin))
            for twin, other in curated
        )
    return out


def _alike(a: str, b: str, ratio: float = TWIN_TITLE_RATIO) -> bool:
    if a == b:
        return True
    matcher = difflib.SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= ratio and matcher.ratio() >= ratio


def _no_ids(G: nx.DiGraph, key: str) -> dict[str, object]:
    """A node's attributes without ids: versions of one work carry different ids."""
    return {**G.nodes[key], "arxiv": None, "doi": None, "s2_id": None, "url": None}


def section_votes(
    strengths: np.ndarray, sections: list[str], neighbours: int | None = VOTE_NEIGHBOURS
) -> dict[str, float]:
    """Each section's vote: the sum of the ``neighbours`` strongest positive strengths in it
    (``None``: all of them).

    Summing every curated paper of a section favoured the sections with the most curated
    papers; the strongest few say where a paper belongs.
    """
    by_section: dict[str, list[float]] = {}
    for value, section in zip(strengths, sections, strict=True):
        if value > 0:
            by_section.setdefault(section, []).append(float(value))
    return {
        section: sum(values if neighbours is None else sorted(values, reverse=True)[:neighbours])
        for section, values in by_section.items()
    }


def winning_section(votes: dict[str, float]) -> str | None:
    """The section with the largest vote (ties: the later name, for a stable choice)."""
    return max(votes, key=lambda s: (votes[s], s)) if votes else None


def close_runner_up(votes: dict[str, float], ratio: float = CLOSE_VOTE) -> str | None:
    """The second section when its vote is at least `ratio` of the winner's, else None: the
    data cannot tell the two apart, and the output says so rather than pretend.

    >>> close_runner_up({"A": 2.10, "B": 2.08, "C": 1.0})
    'B'
    >>> close_runner_up({"A": 2.10, "B": 1.5}) is None
    True
    """
    ordered = sorted(votes, key=lambda s: (votes[s], s), reverse=True)
    if len(ordered) < 2 or votes[ordered[0]] <= 0:
        return None
    return ordered[1] if votes[ordered[1]] >= ratio * votes[ordered[0]] else None


def _voted_section(
    G: nx.DiGraph,
    index: CitationIndex,
    strength: sp.csr_array,
    anchor_sections: list[str],
    i: int,
    neighbours: int | None,
    kinds: dict[str, set[str]],
) -> str | None:
    votes = section_votes(strength[[i], :].toarray().ravel(), anchor_sections, neighbours)
    kind = work_kind(G.nodes[index.keys[i]].get("type"))
    return winning_section(admissible(votes, kinds, kind))


def _suggestion(
    G: nx.DiGraph,
    index: CitationIndex,
    anchors: np.ndarray,
    anchor_sections: list[str],
    strength: sp.csr_array,
    parts: dict[str, sp.csr_array],
    i: int,
    total: float,
    vote_neighbours: int | None = VOTE_NEIGHBOURS,
    kinds: dict[str, set[str]] | None = None,
) -> Suggestion:
    votes = section_votes(strength[[i], :].toarray().ravel(), anchor_sections, vote_neighbours)
    if kinds is not None:
        votes = admissible(votes, kinds, work_kind(G.nodes[index.keys[i]].get("type")))
    best = winning_section(votes)

    def related(part: str, threshold: float = 0.0) -> list[str]:
        values = parts[part][[i], :].toarray().ravel()
        order = np.argsort(-values, kind="stable")
        return [index.keys[anchors[j]] for j in order if values[j] > threshold]

    return Suggestion(
        key=index.keys[i],
        score=total,
        section=best,
        vote=votes.get(best, 0.0) if best else 0.0,
        votes=votes,
        cites_curated=related("cites"),
        cited_by_curated=related("cited"),
        influential=related("influential"),
        co_cited_with=related("cocitation"),
        coupled_with=related("coupling"),
        similar_text=related("text", threshold=0.2),
    )


# --- duplicates and misfiled entries ---------------------------------------------------------


def find_duplicates(G: nx.DiGraph) -> list[Duplicate]:
    """Pairs of curated entries that look like the same work.

    Same normalised title with compatible years and authors (a preprint and its venue version
    listed twice), or titles at least 90% alike by :class:`difflib.SequenceMatcher` with
    compatible authors (a renamed venue version).
    """
    curated = [
        (key, normalize_title(d.get("title")) or "")
        for key, d in G.nodes(data=True)
        if d.get("curated") and d.get("type") != "software"
    ]
    found = []
    for (a, ta), (b, tb) in itertools.combinations(sorted(curated), 2):
        if not ta or not tb:
            continue
        if ta == tb and titles_compatible(G.nodes[a], G.nodes[b]):
            found.append(Duplicate(a, b, "same title"))
            continue
        if _alike(ta, tb, DUPLICATE_TITLE_RATIO) and titles_compatible(
            _no_ids(G, a), _no_ids(G, b)
        ):
            ratio = difflib.SequenceMatcher(None, ta, tb).ratio()
            found.append(Duplicate(a, b, f"titles {ratio:.0%} alike"))
    return found


def find_misfiled(
    G: nx.DiGraph,
    *,
    min_share: float = 0.6,
    min_strength: float = 1.0,
    vote_neighbours: int | None = VOTE_NEIGHBOURS,
    damp_cited_hubs: bool = True,
) -> list[Misfiled]:
    """Curated papers whose strongest curated neighbours mostly belong to another section.

    The vote is :func:`section_votes` of the :func:`vote_strength` (citations either way,
    co-citation, coupling, text) between curated papers; an entry is reported when its votes
    add up to at least `min_strength` and another section gets at least `min_share` of them.
    """
    index = citation_index(G)
    anchors = _anchors(G, index)
    if len(anchors) < 2:
        return []
    strength, parts = _strength(G, index, anchors)
    if damp_cited_hubs:
        strength = vote_strength(index, anchors, strength, parts)
    among = strength[anchors, :].toarray()
    np.fill_diagonal(among, 0.0)
    sections = [str(G.nodes[index.keys[a]]["section"]) for a in anchors]
    kinds = section_kinds(G, index, anchors)
    out = []
    for j, a in enumerate(anchors):
        kind = work_kind(G.nodes[index.keys[a]].get("type"))
        votes = admissible(section_votes(among[j], sections, vote_neighbours), kinds, kind)
        total = sum(votes.values())
        if total < min_strength:
            continue
        best = winning_section(votes)
        if best is None:  # no vote at all (only with min_strength <= 0)
            continue
        share = votes[best] / total
        subject = G.nodes[index.keys[a]].get("type") not in ("tutorial", "software")
        if subject and best != sections[j] and share >= min_share:
            order = np.argsort(-among[j], kind="stable")
            neighbours = [index.keys[anchors[m]] for m in order[:5] if among[j][m] > 0]
            out.append(Misfiled(index.keys[a], sections[j], best, share, neighbours))
    return out


# --- output ----------------------------------------------------------------------------------


def comment_text(value: Any) -> str:
    """Outside text safe inside an HTML comment (no "--", so the comment cannot end early)."""
    return re.sub(r"-{2,}", "–", clean_text(value)).replace(">", "›")


def link_label(attrs: dict[str, Any]) -> str:
    """How the list labels a link: "NeurIPS19", "ICML17", "arXiv20" or "link"."""
    if attrs.get("venue_label"):
        return str(attrs["venue_label"])
    year = attrs.get("year")
    suffix = f"{int(year) % 100:02d}" if isinstance(year, int) else ""
    venue = str(attrs.get("venue") or "").lower()
    words = set(re.findall(r"[a-z]+", venue))
    for alias, known in VENUES.items():
        full = (known.full or "").lower().removeprefix("advances in ")
        full = full.removeprefix("proceedings of the ")
        if known.kind != "preprint" and (alias in words or (full and full in venue)):
            return known.short + suffix
    if attrs.get("arxiv"):
        return "arXiv" + suffix
    return "link"


def paper_url(attrs: dict[str, Any]) -> str | None:
    """Where the bullet links: arXiv, then the DOI, then the stored URL, then Semantic Scholar."""
    if attrs.get("arxiv"):
        return f"https://arxiv.org/abs/{attrs['arxiv']}"
    if attrs.get("doi"):
        return f"https://doi.org/{attrs['doi']}"
    url = attrs.get("url")
    if is_web_url(url):
        return str(url)
    if attrs.get("s2_id"):
        return f"https://www.semanticscholar.org/paper/{attrs['s2_id']}"
    return None


def _titles(G: nx.DiGraph, keys: list[str], limit: int = 3) -> str:
    names = [str(G.nodes[k].get("title") or k) for k in keys[:limit]]
    more = len(keys) - limit
    return "; ".join(names) + (f"; +{more} more" if more > 0 else "")


def evidence_summary(G: nx.DiGraph, s: Suggestion) -> str:
    """One line of evidence: the vote, then each kind of link with the curated titles."""
    parts = [f"score {s.score:.2f}"]
    if s.section and s.runner_up:
        parts.append(
            f"section vote between {s.section} ({s.vote_share:.0%}) and {s.runner_up} "
            f"({s.share_of(s.runner_up):.0%}), too close to call"
        )
    elif s.section:
        parts.append(f"section vote {s.vote_share:.0%} {s.section}")
    for label, keys in (
        ("cites", s.cites_curated),
        ("cited by", s.cited_by_curated),
        ("influential with", s.influential),
        ("co-cited with", s.co_cited_with),
        ("shares references with", s.coupled_with),
        ("similar title to", s.similar_text),
    ):
        if keys:
            parts.append(f"{label} {len(keys)} curated: {_titles(G, keys)}")
    return "; ".join(parts)


def format_markdown(G: nx.DiGraph, report: SuggestReport) -> str:
    """Awesome-list bullets grouped by suggested section, evidence in HTML comments."""
    out = [
        "<!-- implicit-atlas suggest: papers missing from the list, ranked by how strongly they",
        "     connect to it; each bullet's evidence is in the comment below it. -->",
        "",
    ]
    by_section: dict[str, list[Suggestion]] = {}
    for s in report.suggestions:
        by_section.setdefault(s.section or "Unsorted", []).append(s)
    order = [sec for sec in report.sections if sec in by_section]
    order += [sec for sec in by_section if sec not in order]
    for section in order:
        out += [f"### {markdown_text(section)}", ""]
        for s in by_section[section]:
            attrs = dict(G.nodes[s.key])
            title = markdown_text(attrs.get("title") or s.key)
            url, label = paper_url(attrs), link_label(attrs)
            if url:
                link = f": [{markdown_text(label)}]({markdown_url(url)})"
            else:
                link = f": {markdown_text(label)}" if label != "link" else ""
            evidence = evidence_summary(G, s) + ("" if url else "; no link in the graph, add one")
            out.append(f"* {title}{link}")
            out.append(f"  <!-- {comment_text(evidence)} -->")
        out.append("")
    if not report.suggestions:
        out += ["<!-- no paper outside the list connects to it -->", ""]
    if report.duplicates:
        out += ["### Possible duplicates in the list", ""]
        for d in report.duplicates:
            out.append(
                f"* {markdown_text(G.nodes[d.first].get('title'))} (`{d.first}`) and "
                f"{markdown_text(G.nodes[d.second].get('title'))} (`{d.second}`): {d.reason}"
            )
        out.append("")
    if report.misfiled:
        out += ["### Entries that may be misfiled", ""]
        for m in report.misfiled:
            out.append(
                f"* {markdown_text(G.nodes[m.key].get('title'))} is under "
                f"*{markdown_text(m.section)}*, but {m.share:.0%} of its curated neighbours' "
                f"weight is in *{markdown_text(m.suggested_section)}* "
                f"({markdown_text(_titles(G, m.neighbours))})"
            )
        out.append("")
    return "\n".join(out)


def format_table(G: nx.DiGraph, report: SuggestReport) -> str:
    """A plain-text ranking with the evidence line under each paper."""
    lines = [f"{'#':>3} {'score':>6}  {'section (vote)':<36} year  title"]
    for rank, s in enumerate(report.suggestions, start=1):
        d = G.nodes[s.key]
        vote = f"{s.section} ({s.vote_share:.0%})" if s.section else "-"
        title = shorten(clean_text(d.get("title") or s.key), ROW_TITLE_WIDTH)
        lines.append(f"{rank:>3} {s.score:6.2f}  {vote:<36} {d.get('year') or '':>4}  {title}")
        lines.append(f"{'':>12}{comment_text(evidence_summary(G, s))}")
    for dup in report.duplicates:
        lines.append(f"possible duplicate: {dup.first} and {dup.second} ({dup.reason})")
    for m in report.misfiled:
        lines.append(
            f"maybe misfiled: {m.key} under {m.section!r}; {m.share:.0%} of its neighbours' "
            f"weight is in {m.suggested_section!r}"
        )
    return "\n".join(lines) + "\n"


def report_to_json(G: nx.DiGraph, report: SuggestReport) -> dict[str, Any]:
    return {
        "suggestions": [
            {
                "key": s.key,
                "title": G.nodes[s.key].get("title"),
                "year": G.nodes[s.key].get("year"),
                "score": s.score,
                "section": s.section,
                "votes": s.votes,
                "runner_up": s.runner_up,
                "cites_curated": s.cites_curated,
                "cited_by_curated": s.cited_by_curated,
                "influential": s.influential,
                "co_cited_with": s.co_cited_with,
                "coupled_with": s.coupled_with,
                "similar_text": s.similar_text,
            }
            for s in report.suggestions
        ],
        "duplicates": [vars(d) for d in report.duplicates],
        "misfiled": [vars(m) for m in report.misfiled],
        "notes": report.notes,
    }
