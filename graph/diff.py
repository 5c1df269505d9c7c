"""What changed between two builds of the atlas: the weekly report a list's maintainers read.

Papers and citation links added and removed, citation counts that moved, and curated entries
whose data changed. A paper whose node key changed between the builds (it gained an arXiv id,
say) is the same paper: it is matched by its identifiers, not reported as removed and added.

>>> import networkx as nx
>>> old, new = nx.DiGraph(), nx.DiGraph()
>>> old.add_node("arXiv:1", title="A", citation_count=10)
>>> new.add_node("arXiv:1", title="A", citation_count=25)
>>> new.add_node("arXiv:2", title="B")
>>> new.add_edge("arXiv:2", "arXiv:1", kind="cites")
>>> d = diff_graphs(old, new)
>>> d.papers_added, d.citations_added, [(c.key, c.old, c.new) for c in d.counts_moved]
(['arXiv:2'], [('arXiv:2', 'arXiv:1')], [('arXiv:1', 10, 25)])
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from .identity import identifiers, normalize_title
from .schema import EDGE_CITES
from .text import clean_text, is_web_url, markdown_text, markdown_url

CURATED_DATA_FIELDS = (
    "title",
    "authors",
    "year",
    "venue",
    "type",
    "arxiv",
    "doi",
    "url",
    "section",
    "subsection",
    "venue_label",
    "note",
)
"""What a curated entry's reader sees; a change in any of them is worth a look."""
DEFAULT_TOP = 20


@dataclass
class CountChange:
    key: str
    title: str
    old: int
    new: int

    @property
    def delta(self) -> int:
        return self.new - self.old


@dataclass
class CuratedChange:
    key: str
    title: str
    changes: dict[str, tuple[Any, Any]]  # field -> (old, new)


@dataclass
class GraphDiff:
    """The differences between an old and a new build, keyed by the new build's node keys."""

    old_meta: dict[str, Any]
    new_meta: dict[str, Any]
    totals: dict[str, tuple[int, int]]  # what -> (old, new)
    papers_added: list[str] = field(default_factory=list)
    papers_removed: list[str] = field(default_factory=list)
    rekeyed: dict[str, str] = field(default_factory=dict)  # old key -> new key
    citations_added: list[tuple[str, str]] = field(default_factory=list)
    citations_removed: list[tuple[str, str]] = field(default_factory=list)
    counts_moved: list[CountChange] = field(default_factory=list)
    curated_added: list[str] = field(default_factory=list)
    curated_removed: list[str] = field(default_factory=list)
    curated_changed: list[CuratedChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.papers_added,
                self.papers_removed,
                self.citations_added,
                self.citations_removed,
                self.counts_moved,
                self.curated_added,
                self.curated_removed,
                self.curated_changed,
            )
        )


def _match_renamed(old: nx.DiGraph, new: nx.DiGraph) -> dict[str, str]:
    """Old key -> new key for papers present in both builds under different node keys."""
    gone = [k for k in old if k not in new]
    if not gone:
        return {}
    by_id: dict[tuple[str, str], str] = {}
    for k in new:
        if k in old:
            continue
        for mark in _marks(new.nodes[k]):
            by_id.setdefault(mark, k)
    renamed: dict[str, str] = {}
    taken: set[str] = set()
    for k in gone:
        for mark in _marks(old.nodes[k]):
            twin = by_id.get(mark)
            if twin is not None and twin not in taken:
                renamed[k] = twin
                taken.add(twin)
                break
    return renamed


def _marks(data: dict[str, Any]) -> list[tuple[str, str]]:
    """Identifiers, then title and year (a talk that gained a link keeps its title)."""
    marks = list(identifiers(data).items())
    title = normalize_title(data.get("title"))
    if title:
        marks.append(("title", f"{title} ({data.get('year')})"))
    return marks


def _citations(G: nx.DiGraph, rename: dict[str, str] | None = None) -> set[tuple[str, str]]:
    rename = rename or {}
    return {
        (rename.get(u, u), rename.get(v, v))
        for u, v, kind in G.edges(data="kind")
        if (kind or EDGE_CITES) == EDGE_CITES
    }


def _title(G: nx.DiGraph, key: Hashable) -> str:
    return clean_text(G.nodes[key].get("title") or key)


def _comparable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def diff_graphs(old: nx.DiGraph, new: nx.DiGraph, *, min_delta: int = 1) -> GraphDiff:
    """Compare two atlas graphs; citation counts must move by `min_delta` or more to count."""
    rename = _match_renamed(old, new)
    old_keys = {rename.get(k, k) for k in old}
    old_of = {rename.get(k, k): k for k in old}
    old_cites, new_cites = _citations(old, rename), _citations(new)
    totals = {
        "papers": (old.number_of_nodes(), new.number_of_nodes()),
        "citation links": (len(old_cites), len(new_cites)),
        "curated entries": (
            sum(1 for _, c in old.nodes(data="curated") if c),
            sum(1 for _, c in new.nodes(data="curated") if c),
        ),
    }
    d = GraphDiff(dict(old.graph), dict(new.graph), totals, rekeyed=rename)
    d.papers_added = sorted(k for k in new if k not in old_keys)
    d.papers_removed = sorted(k for k in old if rename.get(k, k) not in new)
    d.citations_added = sorted(new_cites - old_cites)
    d.citations_removed = sorted(old_cites - new_cites)
    for key in sorted(k for k in new if k in old_keys):
        before, after = old.nodes[old_of[key]], new.nodes[key]
        a, b = before.get("citation_count"), after.get("citation_count")
        if isinstance(a, int) and isinstance(b, int) and abs(b - a) >= min_delta:
            d.counts_moved.append(CountChange(key, _title(new, key), a, b))
        if before.get("curated") and after.get("curated"):
            changes = {
                name: (before.get(name), after.get(name))
                for name in CURATED_DATA_FIELDS
                if _comparable(before.get(name)) != _comparable(after.get(name))
            }
            if changes:
                d.curated_changed.append(CuratedChange(key, _title(new, key), changes))
        elif after.get("curated"):
            d.curated_added.append(key)
        elif before.get("curated"):
            d.curated_removed.append(key)
    d.curated_added += [k for k in d.papers_added if new.nodes[k].get("curated")]
    d.curated_removed += [k for k in d.papers_removed if old.nodes[k].get("curated")]
    d.counts_moved.sort(key=lambda c: (-abs(c.delta), c.key))
    return d


# --- output ---------------------------------------------------------------------------------


def diff_to_json(d: GraphDiff) -> dict[str, Any]:
    """The whole diff as JSON-able data (nothing cut)."""
    return {
        "old": {k: d.old_meta.get(k) for k in ("built_at", "offline", "sources")},
        "new": {k: d.new_meta.get(k) for k in ("built_at", "offline", "sources")},
        "totals": {k: {"old": a, "new": b} for k, (a, b) in d.totals.items()},
        "papers_added": d.papers_added,
        "papers_removed": d.papers_removed,
        "rekeyed": d.rekeyed,
        "citations_added": [list(e) for e in d.citations_added],
        "citations_removed": [list(e) for e in d.citations_removed],
        "citation_counts_moved": [asdict(c) | {"delta": c.delta} for c in d.counts_moved],
        "curated_added": d.curated_added,
        "curated_removed": d.curated_removed,
        "curated_changed": [
            {
                "key": c.key,
                "title": c.title,
                "changes": {f: {"old": a, "new": b} for f, (a, b) in c.changes.items()},
            }
            for c in d.curated_changed
        ],
    }


def _paper(G: nx.DiGraph, key: str) -> str:
    data = G.nodes[key]
    title = markdown_text(data.get("title") or key)
    url = data.get("url")
    if data.get("arxiv"):
        url = f"https://arxiv.org/abs/{data['arxiv']}"
    elif data.get("doi"):
        url = f"https://doi.org/{data['doi']}"
    text = f"[{title}]({markdown_url(url)})" if is_web_url(url) else title
    facts = [str(data["year"])] if isinstance(data.get("year"), int) else []
    if isinstance(data.get("citation_count"), int):
        facts.append(f"{data['citation_count']:,} citations")
    if data.get("curated"):
        facts.append("curated")
    return text + (f" ({', '.join(facts)})" if facts else "")


def _value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        value = ", ".join(map(str, value))
    text = clean_text(value).replace("`", "'")
    return f"`{text}`"


def _capped(lines: list[str], total: int, top: int) -> list[str]:
    shown = lines[:top]
    if total > len(shown):
        shown.append(f"- … and {total - len(shown)} more (`--top` shows more, JSON has all)")
    return shown


def format_diff_markdown(
    d: GraphDiff, old: nx.DiGraph, new: nx.DiGraph, *, top: int = DEFAULT_TOP
) -> str:
    """The diff as Markdown for a pull request or an issue: totals, then each kind of change
    (at most `top` lines each, largest citation moves first)."""
    built = [str(m.get("built_at") or "unknown")[:10] for m in (d.old_meta, d.new_meta)]
    out = [f"## Atlas changes: build of {built[0]} → build of {built[1]}", ""]
    out += ["| | before | after | change |", "|---|---:|---:|---:|"]
    for what, (a, b) in d.totals.items():
        out.append(f"| {what} | {a:,} | {b:,} | {b - a:+,} |")
    out.append("")
    if d.empty:
        return "\n".join([*out, "No change between the two builds.", ""])

    def section(heading: str, lines: list[str], total: int) -> None:
        if total:
            out.extend([f"### {heading} ({total:,})", "", *_capped(lines, total, top), ""])

    section(
        "Curated entries whose data changed",
        [
            f"- {markdown_text(c.title)}: "
            + "; ".join(f"{f} {_value(a)} → {_value(b)}" for f, (a, b) in c.changes.items())
            for c in d.curated_changed
        ],
        len(d.curated_changed),
    )
    section(
        "Curated entries added",
        [f"- {_paper(new, k)}" for k in d.curated_added],
        len(d.curated_added),
    )
    section(
        "Curated entries removed",
        [f"- {_paper(new if k in new else old, k)}" for k in d.curated_removed],
        len(d.curated_removed),
    )
    added = sorted(d.papers_added, key=lambda k: -(new.nodes[k].get("citation_count") or 0))
    section("Papers added", [f"- {_paper(new, k)}" for k in added], len(added))
    section(
        "Papers removed", [f"- {_paper(old, k)}" for k in d.papers_removed], len(d.papers_removed)
    )
    section(
        "Citation counts that moved",
        [
            f"- {markdown_text(c.title)}: {c.old:,} → {c.new:,} ({c.delta:+,})"
            for c in d.counts_moved
        ],
        len(d.counts_moved),
    )
    section(
        "Citation links added",
        [
            f"- {markdown_text(_title(new, u))} → {markdown_text(_title(new, v))}"
            for u, v in d.citations_added
        ],
        len(d.citations_added),
    )
    old_key = {v: k for k, v in d.rekeyed.items()}
    section(
        "Citation links removed",
        [
            f"- {markdown_text(_title(old, old_key.get(u, u)))} → "
            f"{markdown_text(_title(old, old_key.get(v, v)))}"
            for u, v in d.citations_removed
        ],
        len(d.citations_removed),
    )
    return "\n".join(out)
