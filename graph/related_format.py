"""Related papers as people read them: a terminal table with evidence lines, and JSON.

The ranking itself lives in :mod:`implicit_atlas.graph.related`; this module only turns a
:class:`~implicit_atlas.graph.related.RelatedResult` into text, so the ranking code stays
free of presentation choices (the ×1000 scale, column labels, title widths).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import networkx as nx

from .related import EVIDENCE_HALF, SIGNAL_LABELS, Evidence, RelatedResult, explain
from .text import ROW_TITLE_WIDTH, clean_text, shorten
from .venues import venue_display

SHORT_LABELS = {
    "cocitation": "cocit",
    "coupling": "coupl",
    "citation": "cite",
    "pagerank": "ppr",
    "text": "text",
    "embedding": "spctr",
    "s2": "s2",
}
SCALE = 1000.0
"""Scores and contributions are printed ×1000: 1/(k + 1) is a first place (16.4 at k = 60)."""


def describe(G: nx.DiGraph, key: str, width: int | None = None) -> str:
    """“Title (year)” of a node, on one line, shortened to `width` characters."""
    d = G.nodes[key]
    title = clean_text(d.get("title") or key)
    year = d.get("year")
    return shorten(f"{title} ({year})" if year else title, width)


def format_related(
    G: nx.DiGraph,
    result: RelatedResult,
    *,
    explain_evidence: bool = False,
    max_listed: int = 5,
    have: Mapping[str, str] | None = None,
) -> str:
    """The ranking as a text table (contributions ×1000), with evidence lines if asked.

    `have` (node key -> the user's BibTeX key, from :func:`~.related.papers_in_bib`) marks the
    papers the user's bibliography already has.
    """
    lines = ["Related to: " + "; ".join(f"{describe(G, s)} [{s}]" for s in result.seeds)]
    labels = ", ".join(
        f"{SIGNAL_LABELS[s]} {result.weights[s]:.2g}" if s in result.weights else SIGNAL_LABELS[s]
        for s in result.signals
    )
    lines.append(
        f"signals (weight): {labels}; score = Σ weight/({result.k:.3g} + rank), shown ×{SCALE:g} "
        "(per-signal columns are each signal's share; citation signals weigh "
        f"citations/(citations + {EVIDENCE_HALF:g}) of the seeds)"
        + (
            f"; a signal blind to a paper (no citer, no reference list in the graph) counts "
            f"{result.fill:.2g} × the others' mean term (--explain shows it)"
            if result.fill > 0 and any(p.unseen_by for p in result.papers)
            else ""
        )
    )
    if not result.papers:
        lines.append("no related paper found (see the notes above for signals without data)")
        return "\n".join(lines) + "\n"
    header = f"{'#':>3} {'score':>6} " + " ".join(f"{SHORT_LABELS[s]:>5}" for s in result.signals)
    lines.append(header + "  cur  year  title · venue")
    for p in result.papers:
        d = G.nodes[p.key]
        shares = " ".join(
            f"{p.contributions[s] * SCALE:5.1f}" if s in p.contributions else f"{'·':>5}"
            for s in result.signals
        )
        venue = clean_text(venue_display(d.get("venue_label"), d.get("venue")) or "")
        title = shorten(clean_text(d.get("title") or p.key), ROW_TITLE_WIDTH)
        year = d.get("year") or ""
        mark = " ✓ " if p.curated else "   "
        lines.append(
            f"{p.rank:>3} {p.score * SCALE:6.1f} {shares}  {mark}  {year!s:>4}  {title}"
            + (f" · {venue}" if venue else "")
            + (f" · in your .bib as {have[p.key]}" if have and p.key in have else "")
        )
        if explain_evidence and p.scale >= 1.1:  # a coupling-only gap (×1.02) is noise here
            blind = ", ".join(SIGNAL_LABELS[s] for s in p.unseen_by)
            lines.append(f"        blind to it: {blind}; their terms filled in (×{p.scale:.2f})")
        if explain_evidence:
            lines += [
                "        " + line
                for line in evidence_lines(G, explain(G, result.seeds, p.key), max_listed)
            ]
            if "embedding" in p.signal_scores:
                summed = " (summed over the seeds)" if len(result.seeds) > 1 else ""
                lines.append(f"        SPECTER2 cosine{summed}: {p.signal_scores['embedding']:.2f}")
    return "\n".join(lines) + "\n"


def evidence_lines(G: nx.DiGraph, evidence: Evidence, max_listed: int = 5) -> list[str]:
    """Evidence as short labelled lines of titles."""

    def titles(keys: Sequence[str]) -> str:
        shown = "; ".join(describe(G, k, 70) for k in keys[:max_listed])
        more = len(keys) - max_listed
        return shown + (f"; … {more} more" if more > 0 else "")

    def flagged(edges: Sequence[tuple[str, bool]]) -> str:
        return "; ".join(
            describe(G, k, 70) + (" (influential)" if infl else "") for k, infl in edges
        )

    lines = []
    if evidence.cites_seeds:
        lines.append(f"cites: {flagged(evidence.cites_seeds)}")
    if evidence.cited_by_seeds:
        lines.append(f"cited by: {flagged(evidence.cited_by_seeds)}")
    if evidence.shared_references:
        n = len(evidence.shared_references)
        lines.append(f"shared references ({n}, rarest first): {titles(evidence.shared_references)}")
    if evidence.co_citing:
        lines.append(f"cited together by ({len(evidence.co_citing)}): {titles(evidence.co_citing)}")
    if evidence.shared_terms:
        lines.append("shared words: " + ", ".join(evidence.shared_terms))
    if evidence.software:
        lines.append("implemented by: " + titles(evidence.software))
    return lines or ["no direct evidence (ranked by PageRank proximity only)"]


def related_to_json(
    G: nx.DiGraph,
    result: RelatedResult,
    *,
    explain_evidence: bool = False,
    have: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The ranking as JSON-ready data (raw scores, ranks and contributions, unscaled).

    With `have`, each paper carries ``in_bib``: the user's key for it, or null.
    """

    def paper(key: str) -> dict[str, Any]:
        d = G.nodes[key]
        return {
            "key": key,
            "title": d.get("title"),
            "year": d.get("year"),
            "venue": d.get("venue"),
            "type": d.get("type") or "paper",
            "curated": bool(d.get("curated")),
            "section": d.get("section"),
            **({"in_bib": have.get(key)} if have is not None else {}),
        }

    papers = []
    for p in result.papers:
        item = {
            "rank": p.rank,
            **paper(p.key),
            "score": p.score,
            "contributions": p.contributions,
            "signal_scores": p.signal_scores,
            "signal_ranks": p.signal_ranks,
            "blind_signals": p.unseen_by,
            "blind_scale": p.scale,
        }
        if explain_evidence:
            e = explain(G, result.seeds, p.key)
            item["evidence"] = {
                "shared_references": e.shared_references,
                "co_citing": e.co_citing,
                "cites_seeds": [{"key": k, "influential": i} for k, i in e.cites_seeds],
                "cited_by_seeds": [{"key": k, "influential": i} for k, i in e.cited_by_seeds],
                "shared_terms": e.shared_terms,
                "software": e.software,
            }
        papers.append(item)
    return {
        "seeds": [paper(s) for s in result.seeds],
        "signals": result.signals,
        "fusion": {
            "method": "reciprocal-rank",
            "k": result.k,
            "evidence_half": EVIDENCE_HALF,
            "weights": result.weights,
            "blind_fill": result.fill,
        },
        "notes": result.notes,
        "papers": papers,
    }
