"""Proposing the strongest suggestions as an edit to the list itself, in the list's own format.

`implicit-atlas suggest` ranks papers missing from the list. This module turns the top ones
into bullets written the way the list writes its entries (``* Title: [NeurIPS20](url)``, or
``- [Title](url) - NeurIPS20``...), inserted at the end of the section the suggestion was
voted into, and writes the evidence for a pull request's text. A maintainer reviews a diff of
their own README, not a file in another format.

>>> bullet_format("* Deep Equilibrium Models: [NeurIPS19](https://arxiv.org/abs/1909.01377)")
'* {title}: [{label}]({url})'
>>> bullet_format("- [Deep Equilibrium Models](https://arxiv.org/abs/1909.01377) - NeurIPS19")
'- [{title}]({url}) - {label}'
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from markdown_it import MarkdownIt

from .awesome import parse_awesome_list
from .errors import AtlasError
from .identity import identifiers, normalize_title
from .suggest import (
    SUGGESTED_TYPES,
    Suggestion,
    evidence_summary,
    link_label,
    paper_url,
    suggest_for_list,
)
from .text import markdown_text, markdown_url

DEFAULT_BULLET = "* {title}: [{label}]({url})"
CANDIDATES_PER_PROPOSAL = 4
_LABEL_AFTER_TITLE = re.compile(
    r"^(?P<bullet>\s*(?:[-*+]|\d+[.)])\s+)(?P<title>[^\[\]]*?)(?P<sep>\s*:\s*|\s+)"
    r"\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)"
)
_TITLE_LINK_FIRST = re.compile(
    r"^(?P<bullet>\s*(?:[-*+]|\d+[.)])\s+)\[(?P<title>[^\]]+)\]\((?P<url>[^)\s]+)\)"
    r"(?P<sep>\s*[-–—:,]\s*|\s+)(?P<label>\S+)"
)


def bullet_format(line: str) -> str | None:
    """A format string for new bullets from one of the list's own paper bullets, or None."""
    m = _TITLE_LINK_FIRST.match(line)
    if m:
        return f"{m['bullet']}[{{title}}]({{url}}){m['sep']}{{label}}"
    m = _LABEL_AFTER_TITLE.match(line)
    if m and m["title"].strip():
        bullet = re.sub(r"\d+", "1", m["bullet"])  # Markdown renumbers ordered lists
        return f"{bullet}{{title}}{m['sep']}[{{label}}]({{url}})"
    return None


@dataclass
class Proposal:
    """The list with the strongest suggestions added, and what was added where."""

    text: str
    added: list[tuple[Suggestion, str]] = field(default_factory=list)  # (suggestion, bullet)
    not_added: list[tuple[Suggestion, str]] = field(default_factory=list)  # (suggestion, why)


def _heading_lines(text: str) -> list[int]:
    tokens = MarkdownIt("commonmark").parse(text)
    return [(t.map or [0])[0] for t in tokens if t.type == "heading_open"]


def propose_additions(
    markdown: str,
    G: nx.DiGraph,
    *,
    top: int = 5,
    min_score: float = 0.0,
    types: tuple[str, ...] = SUGGESTED_TYPES,
) -> Proposal:
    """Add the `top` suggestions for `G` (built from this list) to `markdown`, each at the end
    of its voted section, written like that section's own paper bullets."""
    parsed = parse_awesome_list(markdown)
    if not parsed.items:
        raise AtlasError(
            "the list has no entries to follow; pass the README the graph was built from"
        )
    # more candidates than asked for: one with no link or no section gives way to the next
    report = suggest_for_list(
        G, top=top * CANDIDATES_PER_PROPOSAL, min_score=min_score, types=types
    )
    listed = {mark for item in parsed.items for mark in _marks(item.fields, item.title)}
    lines = markdown.splitlines()
    headings = _heading_lines(markdown)
    proposal = Proposal(markdown)
    inserts: dict[int, list[str]] = {}
    for s in report.suggestions:
        if len(proposal.added) >= top:
            break
        items = [i for i in parsed.items if i.section == s.section]
        if not items:
            proposal.not_added.append((s, f"no section {s.section!r} in the list"))
            continue
        attrs = dict(G.nodes[s.key])
        if (
            set(_marks(attrs, attrs.get("title"))) & listed
        ):  # proposed before and already in the list (the graph is older)
            proposal.not_added.append((s, "already in the list"))
            continue
        url, label = paper_url(attrs), link_label(attrs)
        if not url:
            proposal.not_added.append((s, "no link in the graph"))
            continue
        formats = Counter(
            f
            for i in reversed(items)
            if i.fields.get("type", "paper") == "paper"
            and (f := bullet_format(lines[i.line - 1])) is not None
        )  # the section's usual way of writing an entry (ties: its latest entries')
        bullet = (formats.most_common(1)[0][0] if formats else DEFAULT_BULLET).format(
            title=markdown_text(attrs.get("title") or s.key),
            label=markdown_text(label),
            url=markdown_url(url),
        )
        inserts.setdefault(_end_of_section(lines, headings, items[-1].line), []).append(bullet)
        proposal.added.append((s, bullet))
    for at in sorted(inserts, reverse=True):
        lines[at:at] = inserts[at]
    proposal.text = "\n".join(lines) + ("\n" if markdown.endswith("\n") else "")
    return proposal


def _marks(fields: dict[str, Any], title: Any) -> list[tuple[str, str]]:
    marks = list(identifiers(fields).items())
    normalised = normalize_title(title) if isinstance(title, str) else None
    if normalised:
        marks.append(("title", normalised))
    return marks


def _end_of_section(lines: list[str], headings: list[int], last_item_line: int) -> int:
    """Where new bullets go: after the section's last entry and what belongs to it (its
    abstract quote, notes), before the blank lines that lead to the next heading."""
    end = next((h for h in headings if h >= last_item_line), len(lines))
    while end > last_item_line and not lines[end - 1].strip():
        end -= 1
    return end


def format_pr_body(G: nx.DiGraph, proposal: Proposal, changes: str | None = None) -> str:
    """The pull request's text: each added bullet with its evidence, then the build's changes."""
    out = [
        "## Papers proposed for the list",
        "",
        "Proposed by `implicit-atlas curate propose` from this week's citation graph: the papers "
        "outside the list that connect to it most strongly. Each bullet below was added at the "
        "end of the section most of its curated neighbours are in; delete the lines you do not "
        "want before merging.",
        "",
    ]
    if not proposal.added:
        out += ["No paper outside the list connects to it strongly enough this week.", ""]
    for n, (s, bullet) in enumerate(proposal.added, start=1):
        out += [
            f"{n}. **{markdown_text(G.nodes[s.key].get('title') or s.key)}** "
            f"→ *{markdown_text(s.section or '')}*",
            "   ```markdown",
            f"   {bullet.strip()}",
            "   ```",
            f"   Evidence: {markdown_text(evidence_summary(G, s))}",
            "",
        ]
    if proposal.not_added:
        out += ["Strong, but not added:", ""]
        out += [
            f"- {markdown_text(G.nodes[s.key].get('title') or s.key)}: {markdown_text(why)}"
            for s, why in proposal.not_added
        ]
        out.append("")
    if changes:
        out += [changes.strip(), ""]
    return "\n".join(out)
