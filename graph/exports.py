"""Graph exports for the tools people already use: Gephi/Cytoscape, Zotero, spreadsheets.

Every format is rendered to text here and written atomically by :func:`write_export`.

========== ================================================================================
graphml     every node and edge attribute (lists joined with "; ", provenance as JSON,
            missing values omitted), for Gephi, Cytoscape, yEd, networkx
gexf        the same attributes plus ``label`` (the title), for Gephi
csl-json    one CSL item per work, keyed like the BibTeX (Zotero, Mendeley, pandoc)
ris         one RIS record per work (Zotero, EndNote)
csv         two files in a folder: ``nodes.csv`` and ``edges.csv``
json        node-link JSON in the graph file's own format (``load_graph`` reads it)
markdown    the curated awesome list regenerated from data/curated.toml and the graph
========== ================================================================================
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from .bibtex import (
    build_bibliography,
    describe_publication,
    known_year,
    merged_attributes,
    version_groups,
    version_representatives,
)
from .errors import AtlasError, OutputError
from .graphio import atomic_write_text, graph_to_data, output_error
from .latex import author_list, parse_name
from .selection import match_sections
from .text import clean_text, is_web_url, markdown_text, markdown_url

FORMATS = ("graphml", "gexf", "csl-json", "ris", "csv", "json", "markdown")
EXTENSIONS = {
    "graphml": ".graphml",
    "gexf": ".gexf",
    "csl-json": ".json",
    "ris": ".ris",
    "json": ".json",
    "markdown": ".md",
}
LIST_SEPARATOR = "; "
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ExportError(AtlasError, ValueError):
    """An unknown export format, or an output path the format cannot use."""


# --- attribute values writers accept ----------------------------------------------------------


def flat_value(value: Any) -> str | int | float | bool | None:
    """A value GraphML/GEXF/CSV writers accept, or None to omit it (None, empty lists).

    Lists of scalars are joined with "; ", dicts and lists of dicts become JSON, and text
    loses the control characters XML forbids.
    """
    if value is None or (isinstance(value, list | tuple | set | dict) and not value):
        return None
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _XML_INVALID.sub("", value)
    if isinstance(value, list | tuple | set):
        items = list(value)
        if all(isinstance(v, str | int | float) and not isinstance(v, bool) for v in items):
            return _XML_INVALID.sub("", LIST_SEPARATOR.join(str(v) for v in items))
        return json.dumps(items, ensure_ascii=False, sort_keys=True, default=str)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _flat_attrs(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Flatten each mapping, dropping missing values, and give every key one type across
    all of them (int + float -> float, anything + str -> str) as the XML writers require."""
    flat = [{k: v for k, v in ((k, flat_value(v)) for k, v in d.items()) if v is not None}
            for d in items]  # fmt: skip
    kinds: dict[str, set[type]] = {}
    for d in flat:
        for k, v in d.items():
            kinds.setdefault(k, set()).add(type(v))
    for k, types in kinds.items():
        if len(types) < 2:
            continue
        cast: type = float if types <= {int, float} else str
        for d in flat:
            if k in d:
                d[k] = cast(d[k]) if cast is float else _as_text(d[k])
    return flat


def _as_text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def flat_graph(G: nx.DiGraph, *, labels: bool = False) -> nx.DiGraph:
    """A copy of `G` whose attributes the GraphML and GEXF writers accept."""
    H = nx.DiGraph()
    H.graph.update({k: v for k, v in _flat_attrs([G.graph])[0].items() if k not in ("summary",)})
    nodes = list(G.nodes)
    for node, attrs in zip(nodes, _flat_attrs(G.nodes[n] for n in nodes), strict=True):
        if labels:
            attrs["label"] = str(attrs.get("title") or node)
        H.add_node(node, **attrs)
    edges = list(G.edges)
    for (u, v), attrs in zip(edges, _flat_attrs(G.edges[e] for e in edges), strict=True):
        H.add_edge(u, v, **attrs)
    return H


# --- graph formats ----------------------------------------------------------------------------


def graphml_text(G: nx.DiGraph) -> str:
    return "\n".join(nx.generate_graphml(flat_graph(G), encoding="utf-8")) + "\n"


def gexf_text(G: nx.DiGraph) -> str:
    return "\n".join(nx.generate_gexf(flat_graph(G, labels=True), encoding="utf-8")) + "\n"


def node_link_text(G: nx.DiGraph) -> str:
    return json.dumps(graph_to_data(G), ensure_ascii=False, indent=1) + "\n"


NODE_COLUMNS = ("key", "title", "authors", "year", "venue", "type", "curated", "section",
                "venue_label", "note", "arxiv", "doi", "s2_id", "url", "citation_count",
                "citation_count_as_of")  # fmt: skip
EDGE_COLUMNS = ("source", "target", "kind", "sources")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet runs a cell starting with one of these as a formula (CSV injection)."""


def guard_formula(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would run it as a formula.

    Titles and author names come from outside: a title like ``=HYPERLINK(...)`` must open
    as text, not run. Spreadsheets hide the quote; strip it to get the raw value back.
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv_text(rows: list[dict[str, Any]], first: tuple[str, ...], formula_guard: bool) -> str:
    extra = sorted({k for row in rows for k in row} - set(first))
    columns = [c for c in first if any(c in row for row in rows) or c in first[:2]] + extra
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: guard_formula(v) if formula_guard and isinstance(v, str) else _as_text(v)
                for k, v in row.items()
            }
        )
    return out.getvalue()


def csv_texts(G: nx.DiGraph, *, formula_guard: bool = True) -> dict[str, str]:
    """``nodes.csv`` (one row a node, `key` first) and ``edges.csv`` (`source`, `target`…).

    Text cells a spreadsheet would run as a formula get a leading ``'`` unless
    ``formula_guard=False`` (for pandas and other readers that never evaluate cells).
    """
    node_rows = [
        {"key": n, **{k: v for k, v in attrs.items() if v is not None}}
        for n, attrs in zip(G.nodes, _flat_attrs(G.nodes[n] for n in G.nodes), strict=True)
    ]
    edge_rows = [
        {"source": u, "target": v, **attrs}
        for (u, v), attrs in zip(G.edges, _flat_attrs(G.edges[e] for e in G.edges), strict=True)
    ]
    return {
        "nodes.csv": _csv_text(node_rows, NODE_COLUMNS, formula_guard),
        "edges.csv": _csv_text(edge_rows, EDGE_COLUMNS, formula_guard),
    }


# --- reference-manager formats ------------------------------------------------------------------

CSL_TYPES = {"conference": "paper-conference", "workshop": "paper-conference",
             "journal": "article-journal", "preprint": "article", "book": "book",
             "phdthesis": "thesis", "mastersthesis": "thesis", "software": "software",
             "tutorial": "speech", "misc": "document"}  # fmt: skip
RIS_TYPES = {"conference": "CPAPER", "workshop": "CPAPER", "journal": "JOUR",
             "preprint": "UNPB", "book": "BOOK", "phdthesis": "THES", "mastersthesis": "THES",
             "software": "COMP", "tutorial": "GEN", "misc": "GEN"}  # fmt: skip
THESIS_GENRE = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}


def _works(G: nx.DiGraph, nodes: Iterable[str] | None) -> list[tuple[str, dict[str, Any]]]:
    """(citation key, merged attributes) of each work, in bibliography order."""
    bib = build_bibliography(G, nodes)
    reps = version_representatives(G)
    members = version_groups(reps)
    rep_of_key: dict[str, str] = {}
    for node, key in bib.key_of_node.items():
        rep_of_key.setdefault(key, reps[node])
    return [
        (entry.key, merged_attributes(G, rep_of_key[entry.key], members[rep_of_key[entry.key]]))
        for entry in bib.library.entries
    ]


def _landing_url(attrs: Mapping[str, Any]) -> str | None:
    if attrs.get("url"):
        return str(attrs["url"])
    if attrs.get("arxiv"):
        return f"https://arxiv.org/abs/{attrs['arxiv']}"
    if attrs.get("doi"):
        return f"https://doi.org/{attrs['doi']}"
    return None


def csl_name(name: str) -> dict[str, str] | None:
    parts = parse_name(name)
    if parts is None:
        return None
    if parts.corporate:
        return {"literal": clean_text(parts.last)}
    out = {"family": parts.last}
    if parts.first:
        out["given"] = parts.first
    if parts.von:
        out["non-dropping-particle"] = parts.von
    if parts.jr:
        out["suffix"] = parts.jr
    return {part: clean_text(text) for part, text in out.items()}


def csl_item(key: str, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """One CSL-JSON item (CSL 1.0.2 variables) for a work."""
    pub = describe_publication(attrs)
    item: dict[str, Any] = {"id": key, "citation-key": key, "type": CSL_TYPES[pub.kind]}
    if attrs.get("title"):
        item["title"] = clean_text(attrs["title"])
    authors = [a for a in (csl_name(n) for n in author_list(attrs.get("authors"))) if a]
    if authors:
        item["author"] = authors
    year = known_year(attrs)
    if year is not None:
        item["issued"] = {"date-parts": [[year]]}
    if pub.kind in ("book", "phdthesis", "mastersthesis", "misc") and pub.container:
        item["publisher"] = clean_text(pub.container)
    elif pub.kind == "tutorial" and pub.container:
        item["event-title"] = clean_text(pub.container)
    elif pub.container:
        item["container-title"] = clean_text(pub.container)
    if pub.kind in THESIS_GENRE:
        item["genre"] = THESIS_GENRE[pub.kind]
    if pub.kind == "preprint":
        item["publisher"] = "arXiv"
        if attrs.get("arxiv"):
            item["number"] = f"arXiv:{attrs['arxiv']}"
    if attrs.get("doi"):
        item["DOI"] = attrs["doi"]
    url = _landing_url(attrs)
    if url:
        item["URL"] = url
    if attrs.get("note"):
        item["note"] = clean_text(attrs["note"])
    return item


def csl_json_text(G: nx.DiGraph, nodes: Iterable[str] | None = None) -> str:
    items = [csl_item(key, attrs) for key, attrs in _works(G, nodes)]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


def _ris_line(tag: str, value: Any) -> str:
    return f"{tag}  - {clean_text(value)}"


def ris_record(key: str, attrs: Mapping[str, Any]) -> str:
    """One RIS record (tags TY…ER) for a work."""
    pub = describe_publication(attrs)
    lines = [_ris_line("TY", RIS_TYPES[pub.kind]), _ris_line("ID", key)]
    for name in author_list(attrs.get("authors")):
        parts = parse_name(name)
        if parts is None:
            continue
        if parts.corporate:
            lines.append(_ris_line("AU", parts.last))
        else:
            full_last = f"{parts.von} {parts.last}".strip()
            rest = ", ".join(p for p in (parts.first, parts.jr) if p)
            lines.append(_ris_line("AU", f"{full_last}, {rest}" if rest else full_last))
    if attrs.get("title"):
        lines.append(_ris_line("TI", attrs["title"]))
    year = known_year(attrs)
    if year is not None:
        lines.append(_ris_line("PY", year))
    if pub.container:
        tag = {"journal": "JO", "book": "PB", "phdthesis": "PB", "mastersthesis": "PB"}
        lines.append(_ris_line(tag.get(pub.kind, "T2"), pub.container))
    if pub.kind in THESIS_GENRE:
        lines.append(_ris_line("M3", THESIS_GENRE[pub.kind]))
    if pub.kind == "preprint" and attrs.get("arxiv"):
        lines.append(_ris_line("PB", "arXiv"))
        lines.append(_ris_line("SN", f"arXiv:{attrs['arxiv']}"))
    if attrs.get("doi"):
        lines.append(_ris_line("DO", attrs["doi"]))
    url = _landing_url(attrs)
    if url:
        lines.append(_ris_line("UR", url))
    if attrs.get("note"):
        lines.append(_ris_line("N1", attrs["note"]))
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def ris_text(G: nx.DiGraph, nodes: Iterable[str] | None = None) -> str:
    return "\n".join(ris_record(key, attrs) for key, attrs in _works(G, nodes))


# --- the awesome list ----------------------------------------------------------------------------

AWESOME_TITLE = "Awesome Implicit Deep Learning"


def _anchor(section: str) -> str:
    return re.sub(r"[^\w\- ]", "", section.lower()).strip().replace(" ", "-")


def _short_authors(authors: list[str], limit: int = 3) -> str:
    names = [markdown_text(a) for a in authors[:limit]]
    return ", ".join(names) + (" et al." if len(authors) > limit else "")


def awesome_markdown(
    G: nx.DiGraph,
    catalog: Any = None,
    *,
    sections: Iterable[str] = (),
    title: str = AWESOME_TITLE,
) -> str:
    """The curated list as an awesome-list README: the catalog's sections and entries in order,
    with links, authors, venue labels, notes, implementing software and S2 citation counts.

    `catalog` defaults to the one the graph was built from (``G.graph["catalog"]``), else the
    bundled one. Regenerating the README from the data keeps list and data from drifting.
    """
    from .catalog import catalog_from_label, load_catalog

    if catalog is None:
        catalog = load_catalog(catalog_from_label(G.graph.get("catalog")))
    wanted = list(catalog.sections)
    if sections:
        wanted = match_sections(sections, wanted, "the list's sections")
    node_of_entry = {key: n for n, key in G.nodes(data="curated_key") if key}
    dates = sorted(d for _, d in G.nodes(data="citation_count_as_of") if d and isinstance(d, str))
    built = str(G.graph.get("built_at") or "")[:10] or "unknown date"
    lines = [f"# {markdown_text(title)}", ""]
    source = catalog.path.name if catalog.path else "the catalog"
    lines.append(
        f"<!-- Generated by `implicit-atlas export --format markdown` from {source} "
        f"and the graph built {built}. Edit the catalog, not this file. -->"
    )
    lines.append("")
    if dates:
        lines += [f"Citation counts: Semantic Scholar, recorded {dates[0]} to {dates[-1]} "
                  f"(graph built {built}).", ""]  # fmt: skip
    lines += ["## Contents", ""]
    lines += [f"- [{markdown_text(s)}](#{_anchor(s)})" for s in wanted]
    for section in wanted:
        lines += ["", f"## {markdown_text(section)}", ""]
        for subsection, entries in catalog.grouped(section):
            if subsection:
                lines += [*([""] if lines[-1] else []), f"### {markdown_text(subsection)}", ""]
            for entry in entries:
                node = node_of_entry.get(entry.key)
                attrs = dict(G.nodes[node]) if node is not None else entry.record()
                lines.append(_awesome_line(G, node, attrs, entry))
    return "\n".join(lines) + "\n"


def _awesome_line(G: nx.DiGraph, node: str | None, attrs: Mapping[str, Any], entry: Any) -> str:
    title = markdown_text(attrs.get("title") or entry.title or entry.key)
    url = entry.url or _landing_url(attrs)
    line = f"- [{title}]({markdown_url(url)})" if is_web_url(url) else f"- {title}"
    label = entry.venue_label or attrs.get("venue_label")
    if entry.note and not label:  # a package's description, a note with no venue to go with
        note = markdown_text(entry.note)
        line += f": {note}" if is_web_url(url) else f" ({note})"
    details = []
    authors = author_list(attrs.get("authors")) or list(entry.authors or [])
    if authors:
        details.append(_short_authors(authors))
    if label:
        details.append(
            markdown_text(label) + (f" ({markdown_text(entry.note)})" if entry.note else "")
        )
    if node is not None:
        code = [
            (G.nodes[u].get("title") or u, G.nodes[u].get("url"))
            for u, _, kind in G.in_edges(node, data="kind")
            if kind == "implements"
        ]
        links = [
            f"[{markdown_text(t)}]({markdown_url(u)})" if is_web_url(u) else markdown_text(t)
            for t, u in sorted(code)
        ]
        if links:
            details.append("code: " + ", ".join(links))
        papers = [
            G.nodes[v].get("title") or v
            for _, v, kind in G.out_edges(node, data="kind")
            if kind == "implements"
        ]
        if papers:
            details.append("implements: " + "; ".join(markdown_text(p) for p in sorted(papers)))
        count = attrs.get("citation_count")
        if isinstance(count, int):
            details.append(f"{count:,} citations")
    for name, prefix in (("arxiv", "https://arxiv.org/abs/"), ("doi", "https://doi.org/")):
        value = getattr(entry, name)
        if value and prefix not in str(url):  # the main link is another page: keep the id
            details.append(f"[{name}:{markdown_text(value)}]({markdown_url(prefix + value)})")
    for kind, link in entry.kind_links().items():
        if is_web_url(link):
            details.append(f"[{kind}]({markdown_url(link)})")
    for extra in entry.links or []:
        if is_web_url(extra):
            details.append(f"<{markdown_url(extra)}>")
    return line + (" — " + " · ".join(details) if details else "")


# --- rendering and writing ------------------------------------------------------------------


def render_export(
    G: nx.DiGraph, fmt: str, nodes: Iterable[str] | None = None, **options: Any
) -> dict[str, str]:
    """File name -> text for format `fmt` over `nodes` (default: every node).

    Graph formats export the subgraph the nodes induce (edges between chosen nodes).
    Options: ``sections`` and ``title`` for markdown, ``formula_guard`` for csv.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    chosen = None if nodes is None else list(nodes)
    sub = G if chosen is None else G.subgraph(chosen).copy()
    name = f"atlas{EXTENSIONS.get(fmt, '')}"
    if fmt == "graphml":
        return {name: graphml_text(sub)}
    if fmt == "gexf":
        return {name: gexf_text(sub)}
    if fmt == "json":
        return {name: node_link_text(sub)}
    if fmt == "csv":
        return csv_texts(sub, **options)
    if fmt == "csl-json":
        return {name: csl_json_text(G, chosen)}
    if fmt == "ris":
        return {name: ris_text(G, chosen)}
    return {name: awesome_markdown(G, **options)}


_NODE_SELECTION_OPTIONS = {
    "ids": "--ids",
    "ids_file": "--ids",
    "related_to": "--related-to",
    "year_from": "--year-from",
    "year_to": "--year-to",
    "min_citations": "--min-citations",
}


def _refuse_node_selection(selection: Mapping[str, Any]) -> None:
    """The markdown list is the whole curated list (or its sections): options that pick
    single papers would be silently ignored, so they are an error instead."""
    given = sorted(
        {
            flag
            for name, flag in _NODE_SELECTION_OPTIONS.items()
            if selection.get(name) not in (None, (), [])
        }
    )
    if given:
        raise ExportError(
            f"markdown regenerates the curated list, so {', '.join(given)} cannot apply; "
            "leave them out (--section and --title do apply)"
        )


def write_export(
    G: nx.DiGraph,
    fmt: str,
    out: str | os.PathLike[str],
    *,
    selection: Mapping[str, Any] | None = None,
    **options: Any,
) -> list[Path]:
    """Select nodes, render `fmt` and write it atomically: the `export` command in one call.

    `out` is a file, except for csv, which writes ``nodes.csv`` and ``edges.csv`` into the
    folder `out`.
    """
    from .selection import select_nodes

    if fmt == "markdown":
        _refuse_node_selection(selection or {})
    nodes = None if fmt == "markdown" else select_nodes(G, **(selection or {"scope": "all"}))
    texts = render_export(G, fmt, nodes, **options)
    target = Path(out)
    if fmt == "csv":
        if target.exists() and not target.is_dir():
            raise OutputError(
                f"csv export writes two files into a folder, and {target} is a file; "
                "pass a folder with -o"
            )
        if not target.parent.is_dir():
            raise output_error(target, FileNotFoundError(f"no folder {target.parent}"))
        paths = [target / name for name in texts]
    else:
        if target.is_dir():
            raise OutputError(f"{target} is a folder; pass a file name with -o")
        paths = [target]
    for path, text in zip(paths, texts.values(), strict=True):
        atomic_write_text(path, text, make_parents=fmt == "csv")
    return paths
