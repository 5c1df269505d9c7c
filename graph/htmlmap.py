"""The interactive HTML map: one self-contained UTF-8 file that works opened from disk.

The page is drawn by vis-network 9.1.2, the copy bundled with pyvis, inlined into the file. pyvis's
own ``Network``/template are not used: its template links Bootstrap from a CDN, its
``add_node``/``add_edge`` look ids up in lists (quadratic at thousands of nodes) and its
tooltips insert HTML. Instead this module chooses the nodes (:func:`select_nodes`), computes
their positions in Python (:mod:`.layout`), and writes the node/edge records as JSON into the
page (:func:`render_map`). The page's script (``assets/map.js``) builds every piece of text
with ``textContent``, so a title like ``<img src=x onerror=alert(1)>`` is shown, never run.

    >>> import networkx as nx
    >>> G = nx.DiGraph(curated_sections=["Implicit layers"])
    >>> G.add_node("arXiv:1909.01377", title="Deep Equilibrium Models", year=2019,
    ...            curated=True, section="Implicit layers", citation_count=500)
    >>> html = render_map(G)
    >>> "Deep Equilibrium Models" in html and "https://cdn" not in html
    True
"""

from __future__ import annotations

import colorsys
import html
import json
import math
import os
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import networkx as nx

from .communities import SMALL_CLUSTERS, detect_communities
from .errors import AtlasError, LookupFailed, OutputError
from .graphio import atomic_write_text, atomic_writer
from .latex import parse_name
from .layout import (
    TIMELINE_MAX_RADIUS,
    Timeline,
    first_axis_year,
    force_layout,
    timeline_layout,
)
from .schema import EDGE_IMPLEMENTS
from .searchterms import ACRONYMS
from .similarmap import SimilarView, similar_view

#: default cap on the number of papers drawn; curated papers are always kept first
DEFAULT_MAX_NODES = 1500
#: above this many nodes the page starts with physics off (positions are precomputed anyway)
PHYSICS_MAX_NODES = 300
LAYOUTS = ("force", "timeline")
SIZE_MEASURES = ("citations", "pagerank", "degree")
#: what node colour shows: curated section, detected community, or publication year
COLOURINGS = ("section", "community", "year")

#: one colour per curated section, in list order (distinct hues, readable on white)
SECTION_PALETTE = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#ad494a", "#637939", "#843c39", "#7b4173", "#3182bd", "#e6550d",
)  # fmt: skip
NEUTRAL_COLOUR = "#a8adb4"
#: the legend's (and the timeline's) name for papers linked to no curated paper
OTHER_BAND = "Not near a curated paper"
#: vis-network shape per node type (the legend draws the same shapes)
TYPE_SHAPES = {
    "paper": "dot",
    "software": "square",
    "tutorial": "triangle",
    "thesis": "diamond",
    "book": "star",
    "misc": "triangleDown",
}
_MIN_SIZE, _MAX_SIZE = 7.0, 34.0
#: curated papers are never drawn smaller than this, so the list's papers stand out
CURATED_MIN_SIZE = 15.0
_LABEL_CHARS = 34
_MAX_AUTHORS = 8
_ABSTRACT_CHARS = 1500


class MapError(AtlasError, ValueError):
    """The map cannot be drawn as asked (unknown section, layout, measure...)."""


class ScreenshotError(AtlasError, RuntimeError):
    """The PNG screenshot could not be taken (no Chromium, or it failed)."""


@dataclass(frozen=True)
class MapOptions:
    """What to draw. Defaults give the whole field, force layout, sized by citations."""

    section: str | None = None
    focus: str | None = None
    hops: int = 1
    layout: str = "force"
    size: str = "citations"
    max_nodes: int = DEFAULT_MAX_NODES
    title: str | None = None
    seed: int = 7
    #: "section" by default; a similarity view (`similar_to`) is coloured by "year"
    color: str | None = None
    #: seed papers of a similarity view (ids, DOIs, title words), and how many papers it shows
    similar_to: tuple[str, ...] = ()
    top: int = 40

    @property
    def colouring(self) -> str:
        return self.color or ("year" if self.similar_to else "section")

    def check(self) -> None:
        if self.colouring not in COLOURINGS:
            raise MapError(f"unknown colouring {self.color!r}; use one of: {', '.join(COLOURINGS)}")
        if self.similar_to and (self.focus or self.section):
            raise MapError(
                "--similar-to draws its own selection; leave out --focus and --section with it"
            )
        if self.top < 1:
            raise MapError(f"--top must be at least 1, got {self.top}")
        if self.layout not in LAYOUTS:
            raise MapError(f"unknown layout {self.layout!r}; use one of: {', '.join(LAYOUTS)}")
        if self.size not in SIZE_MEASURES:
            raise MapError(
                f"unknown size measure {self.size!r}; use one of: {', '.join(SIZE_MEASURES)}"
            )
        if self.max_nodes < 1:
            raise MapError(f"--max-nodes must be at least 1, got {self.max_nodes}")
        if self.hops < 0:
            raise MapError(f"--hops must be 0 or more, got {self.hops}")


@dataclass
class Selection:
    """The nodes a map shows, and how many papers of the view were left out by the cap."""

    nodes: list[Hashable]
    left_out: int
    view: str
    focus: Hashable | None = None


@dataclass
class MapResult:
    path: Path
    nodes: int
    edges: int
    left_out: int
    view: str
    physics: bool
    png: Path | None = None
    notes: list[str] = field(default_factory=list)


def select_nodes(
    G: nx.DiGraph, options: MapOptions, *, pagerank: dict[Hashable, float] | None = None
) -> Selection:
    """The view's nodes (whole field, one section, or an ego map), capped at max_nodes.

    The cap keeps the focus paper, then curated papers, then the others with the highest
    PageRank in the whole graph (ties: citation count, then key).
    """
    focus = None
    if options.focus:
        focus = _resolve_focus(G, options.focus)
        undirected = G.to_undirected(as_view=True)
        candidates = set(
            nx.single_source_shortest_path_length(undirected, focus, cutoff=options.hops)
        )
        view = f"{options.hops}-hop neighbourhood of {G.nodes[focus].get('title') or focus}"
    else:
        candidates = set(G.nodes)
        view = "whole field"
    if options.section:
        section = resolve_section(G, options.section)
        core = {v for v in candidates if G.nodes[v].get("section") == section}
        around = {w for v in core for w in _neighbours(G, v)} & candidates
        candidates = core | around
        view = f"section {section!r}" if focus is None else f"{view}, section {section!r}"
    pr = pagerank if pagerank is not None else _pagerank(G)
    ranked = sorted(candidates, key=_importance_key(G, pr, focus))
    kept = ranked[: options.max_nodes]
    return Selection(nodes=kept, left_out=len(ranked) - len(kept), view=view, focus=focus)


def resolve_section(G: nx.DiGraph, name: str) -> str:
    """The curated section `name` refers to: exact, case-insensitive, or a unique fragment."""
    sections = _sections(G)
    if name in sections:
        return name
    folded = name.casefold().strip()
    exact = [s for s in sections if s.casefold() == folded]
    fragment = [s for s in sections if folded in s.casefold()]
    for matches in (exact, fragment):
        if len(matches) == 1:
            return matches[0]
    from .selection import ambiguous_section_text, unknown_section_text

    if len(fragment) > 1:
        raise MapError(ambiguous_section_text(name, fragment))
    raise MapError(unknown_section_text([name], sections))


def map_data(G: nx.DiGraph, options: MapOptions | None = None) -> dict[str, Any]:
    """Everything the page needs, as plain JSON-able data (nodes, edges, legend, settings)."""
    options = options or MapOptions()
    options.check()
    pr = _pagerank(G)
    similar = None
    if options.similar_to:
        similar = _similar_selection(G, options)
        selection = Selection(
            nodes=list(similar.nodes), left_out=0, view=_similar_view_name(G, similar.seeds)
        )
    else:
        selection = select_nodes(G, options, pagerank=pr)
    nodes = selection.nodes
    kept = set(nodes)
    sections = _sections(G)
    colours = section_colours(sections)
    home = home_sections(G, nodes)
    colouring = options.colouring
    communities = (
        detect_communities(G, nodes, weights=similar.links if similar else None, seed=options.seed)
        if colouring == "community"
        else []
    )
    community_of = {v: i for i, c in enumerate(communities) for v in c.members}
    community_colours = section_colours(f"c{i}" for i in range(len(communities)))
    if colouring == "community":
        groups: dict[Hashable, str | None] = {
            v: communities[community_of[v]].name if v in community_of else None for v in nodes
        }
        band_order = [c.name for c in communities]
        other_band = SMALL_CLUSTERS
    else:
        groups = {v: home[v][0] for v in nodes}
        band_order, other_band = sections, OTHER_BAND
    link_graph = _similarity_graph(nodes, similar.links) if similar else G
    timeline = None
    if options.layout == "timeline":
        timeline = timeline_layout(
            G, nodes, groups=groups, band_order=band_order, other_band=other_band
        )
        positions = timeline.positions
    else:
        positions = force_layout(link_graph, nodes, groups=groups, seed=options.seed)
    sizes, basis = size_and_basis(G, nodes, options.size, pagerank=pr)
    if timeline is not None:
        sizes = {v: _timeline_radius(r) for v, r in sizes.items()}
    years = _year_range(G, nodes)
    bib = _bibtex_for(G, nodes)
    records = []
    for v in nodes:
        section, direct = home[v]
        if colouring == "community":
            colour = (
                community_colours[f"c{community_of[v]}"] if v in community_of else NEUTRAL_COLOUR
            )
        elif colouring == "year":
            colour = year_colour(G.nodes[v].get("year"), years)
        else:
            colour = _node_colour(colours, section, direct)
        record = _node_record(G, v, positions[v], sizes[v], colour, section, bib.get(v))
        record["sizeBasis"] = basis[v]
        record["citesInGraph"] = _cited_in_graph(G, v)
        if v in community_of:
            record["community"] = f"c{community_of[v]}"
        if timeline is not None:
            record["size"] = min(record["size"], TIMELINE_MAX_RADIUS)
        if similar is not None:
            record["rank"] = similar.rank.get(str(v))
            record["seed"] = str(v) in similar.seeds
        if record.get("seed") or v == selection.focus:
            record["label"] = _short_label(record["title"])  # the map's centre is named
        records.append(record)
    if similar is not None:
        edges = [
            {"from": u, "to": v, "kind": "similar", "weight": w}
            for (u, v), w in similar.links.items()
        ]
    else:
        edges = [_edge_record(G, u, v) for u, v in G.edges() if u in kept and v in kept]
    physics = options.layout == "force" and 1 < len(nodes) <= PHYSICS_MAX_NODES
    types = sorted({r["type"] for r in records}, key=lambda t: list(TYPE_SHAPES).index(t))
    counts = Counter(r["section"] for r in records if r["curated"])
    return {
        "title": options.title or _default_title(selection),
        "view": selection.view,
        "otherName": OTHER_BAND,
        "focus": selection.focus,
        "leftOut": selection.left_out,
        "layout": options.layout,
        "sizeMeasure": options.size,
        "colourBy": colouring,
        "physics": physics,
        "timeline": _timeline_axis(timeline) if timeline is not None else None,
        "sections": [
            {
                "name": s,
                "colour": colours[s],
                "count": counts.get(s, 0),
                "subsections": _subsection_counts(G, s, nodes),
            }
            for s in sections
        ],
        "communities": [
            {
                "key": f"c{i}",
                "name": c.name,
                "colour": community_colours[f"c{i}"],
                "count": len(c.members),
            }
            for i, c in enumerate(communities)
        ],
        "smallClusters": SMALL_CLUSTERS,
        "yearColours": (
            {"first": years[0], "last": years[1], "from": YEAR_FROM, "to": YEAR_TO}
            if colouring == "year" and years
            else None
        ),
        "similar": _similar_json(similar) if similar is not None else None,
        "acronyms": ACRONYMS,
        "types": [{"type": t, "shape": TYPE_SHAPES[t]} for t in types],
        "years": _year_axis(records),
        "builtAt": G.graph.get("built_at"),
        "nodes": records,
        "edges": edges,
    }


def size_and_basis(
    G: nx.DiGraph,
    nodes: list[Hashable],
    measure: str,
    *,
    pagerank: dict[Hashable, float] | None = None,
) -> tuple[dict[Hashable, float], dict[Hashable, str]]:
    """Node radii (see :func:`node_sizes`) and what each one shows.

    For "citations" a paper's size is its citation count when the data has it ("count");
    otherwise the number of papers of the graph citing it ("graph"), so a paper whose count
    is unknown is not drawn as if nobody cited it. The legend says how many got which.
    """
    if measure == "citations":
        basis = {
            v: "count" if isinstance(G.nodes[v].get("citation_count"), int) else "graph"
            for v in nodes
        }
        values = {
            v: float(G.nodes[v]["citation_count"] if basis[v] == "count" else _cited_in_graph(G, v))
            for v in nodes
        }
        return _radii(values), basis
    return node_sizes(G, nodes, measure, pagerank=pagerank), {v: measure for v in nodes}


#: year colouring (similarity view): oldest papers light, newest dark, as Connected Papers does
YEAR_FROM, YEAR_TO = "#c9def2", "#08306b"


def year_colour(year: Any, years: tuple[int, int] | None) -> str:
    """The colour of a paper of `year` on a light-to-dark scale over `years` (first, last).

    >>> year_colour(2010, (2010, 2020)), year_colour(2020, (2010, 2020)), year_colour(None, None)
    ('#c9def2', '#08306b', '#a8adb4')
    """
    if not isinstance(year, int) or years is None:
        return NEUTRAL_COLOUR
    first, last = years
    share = 1.0 if last <= first else min(1.0, max(0.0, (year - first) / (last - first)))
    a = [int(YEAR_FROM[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(YEAR_TO[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def _year_range(G: nx.DiGraph, nodes: Iterable[Hashable]) -> tuple[int, int] | None:
    """The years the colour scale spans: from the 20th percentile of the map's years (older
    papers are all lightest, so a 1943 classic does not wash out a decade) to the newest."""
    known = sorted(y for y in (G.nodes[v].get("year") for v in nodes) if isinstance(y, int))
    if not known:
        return None
    return known[len(known) // 5], known[-1]


def _cited_in_graph(G: nx.DiGraph, v: Hashable) -> int:
    """How many papers of the graph cite `v` (software implementing it does not count)."""
    return sum(1 for _, _, kind in G.in_edges(v, data="kind") if kind != EDGE_IMPLEMENTS)


def _timeline_radius(radius: float) -> float:
    """A radius on the map's scale brought into the timeline's grid, keeping the order."""
    share = (radius - _MIN_SIZE) / (_MAX_SIZE - _MIN_SIZE)
    return round(4.0 + (TIMELINE_MAX_RADIUS - 4.0) * max(0.0, min(1.0, share)), 1)


def _similar_selection(G: nx.DiGraph, options: MapOptions) -> SimilarView:
    from .lookup import find_papers

    seeds = find_papers(G, list(options.similar_to))
    return similar_view(G, seeds, top=options.top)


def _similar_view_name(G: nx.DiGraph, seeds: list[str]) -> str:
    first = _short_label(str(G.nodes[seeds[0]].get("title") or seeds[0]))
    more = f" and {len(seeds) - 1} more" if len(seeds) > 1 else ""
    return f"papers similar to {first}{more}"


def _similarity_graph(nodes: list[Hashable], links: dict[tuple[str, str], float]) -> nx.DiGraph:
    """The similarity links as a graph, for the force layout (strong links pull harder)."""
    S = nx.DiGraph()
    S.add_nodes_from(nodes)
    S.add_edges_from((u, v, {"weight": w}) for (u, v), w in links.items())
    return S


def _similar_json(view: SimilarView) -> dict[str, Any]:
    return {"seeds": view.seeds, "lineage": view.lineage, "notes": view.notes}


def render_map(G: nx.DiGraph, options: MapOptions | None = None) -> str:
    """The complete HTML document of the map (no external resource of any kind)."""
    data = map_data(G, options)
    return render_document(data)


def render_document(data: dict[str, Any]) -> str:
    """Fill the page template with `data` and the inlined scripts and styles."""
    parts = {
        "TITLE": html.escape(data["title"]),
        "CSS": _asset("map.css"),
        "VIS_JS": _vis_network_js(),
        "MAP_JS": _asset("map.js"),
        "DATA": script_json(data),
    }
    template = _template("map.html")
    out = []
    rest = template
    while "@@" in rest:
        before, _, after = rest.partition("@@")
        name, _, rest = after.partition("@@")
        out.append(before)
        out.append(parts[name])
    out.append(rest)
    return "".join(out)


def write_map(
    G: nx.DiGraph,
    out: str | os.PathLike[str],
    options: MapOptions | None = None,
    *,
    png: str | os.PathLike[str] | None = None,
) -> MapResult:
    """Write the map to `out` (atomically); with `png`, also a screenshot via headless Chromium.

    Neither output's folder is created: a typo in a path is an error (as for `bib` and
    `export`), found before any work is done, not a new folder tree.
    """
    path = Path(out)
    if png is not None:
        require_folder(Path(png), "--png")
    require_folder(path, "-o/--out")
    data = map_data(G, options)
    atomic_write_text(path, render_document(data), make_parents=False)
    result = MapResult(
        path=path,
        nodes=len(data["nodes"]),
        edges=len(data["edges"]),
        left_out=data["leftOut"],
        view=data["view"],
        physics=data["physics"],
        notes=list((data.get("similar") or {}).get("notes") or []),
    )
    if png is not None:
        try:
            result.png = write_png(path, png)
        except ScreenshotError as exc:
            raise ScreenshotError(f"wrote {path}, but no PNG: {exc}") from exc
    return result


def write_png(
    html_path: str | os.PathLike[str],
    png_path: str | os.PathLike[str],
    *,
    width: int = 1600,
    height: int = 1000,
    chromium: str | None = None,
    timeout: float = 120.0,
) -> Path:
    """Screenshot `html_path` with headless Chromium into `png_path` (written atomically)."""
    browser = chromium or find_chromium()
    if browser is None:
        raise ScreenshotError(
            "no Chromium found for the PNG: install it (e.g. `apt-get install chromium`), "
            "set IMPLICIT_ATLAS_CHROMIUM to its path, or leave out --png"
        )
    page = Path(html_path).resolve()
    with tempfile.TemporaryDirectory(prefix="atlas-png-") as tmp:
        shot = Path(tmp) / "map.png"
        cmd = [
            browser,
            *HEADLESS_FLAGS,
            f"--user-data-dir={tmp}/profile",
            f"--window-size={width},{height}",
            "--hide-scrollbars",
            "--virtual-time-budget=15000",
            f"--screenshot={shot}",
            page.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ScreenshotError(
                f"Chromium could not take the screenshot ({exc}); retry without --png"
            ) from exc
        if not shot.exists():
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
            raise ScreenshotError(
                f"Chromium exited with code {proc.returncode} without a screenshot ({detail[0]}); "
                "retry, or leave out --png"
            )
        with atomic_writer(png_path, binary=True, make_parents=False) as fh:
            fh.write(shot.read_bytes())
    return Path(png_path)


def require_folder(path: Path, option: str) -> None:
    """Refuse an output path whose folder is missing (or is a file), naming the option."""
    folder = path.parent
    if folder.is_dir():
        return
    existing = next((f for f in (folder, *folder.parents) if f.exists()), None)
    if existing is not None and not existing.is_dir():
        problem = f"{existing} is a file, not a folder"
    else:
        problem = f"the folder {folder} does not exist"
    raise OutputError(
        f"cannot write {path}: {problem}; create it first or choose another path with {option}"
    )


#: flags for a headless Chromium that makes no request of its own
HEADLESS_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
)


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome binary: $IMPLICIT_ATLAS_CHROMIUM, then the usual names."""
    env = os.environ.get("IMPLICIT_ATLAS_CHROMIUM")
    if env:
        return env if Path(env).exists() else shutil.which(env)
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def section_colours(sections: Iterable[str]) -> dict[str, str]:
    """A colour per section in list order; past the palette, evenly spaced hues."""
    names = list(sections)
    colours = {}
    for i, name in enumerate(names):
        if i < len(SECTION_PALETTE):
            colours[name] = SECTION_PALETTE[i]
        else:
            hue = (i * 0.618034) % 1.0
            r, g, b = colorsys.hls_to_rgb(hue, 0.42, 0.65)
            colours[name] = f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"
    return colours


def lighter(colour: str, amount: float = 0.55) -> str:
    """`colour` mixed with white (`amount` of white), for papers only near a section."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


def node_sizes(
    G: nx.DiGraph,
    nodes: list[Hashable],
    measure: str,
    *,
    pagerank: dict[Hashable, float] | None = None,
) -> dict[Hashable, float]:
    """Node radius in pixels, growing with log(1 + measure) between fixed bounds.

    citations: the paper's citation count; pagerank: PageRank in the whole graph (times the
    number of nodes, so 1 is average); degree: links in the whole graph.
    """
    if measure == "citations":
        values = {v: float(G.nodes[v].get("citation_count") or 0) for v in nodes}
    elif measure == "pagerank":
        pr = pagerank if pagerank is not None else _pagerank(G)
        values = {v: pr.get(v, 0.0) * G.number_of_nodes() for v in nodes}
    elif measure == "degree":
        values = {v: float(G.degree(v)) for v in nodes}
    else:
        raise MapError(f"unknown size measure {measure!r}; use one of: {', '.join(SIZE_MEASURES)}")
    return _radii(values)


def _radii(values: dict[Hashable, float]) -> dict[Hashable, float]:
    top = max((math.log1p(x) for x in values.values()), default=0.0) or 1.0
    return {
        v: round(_MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * math.log1p(x) / top, 1)
        for v, x in values.items()
    }


def paper_links(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, https URL) pairs for a node: its page, Semantic Scholar, arXiv, DOI, repository."""
    links: list[tuple[str, str]] = []
    url = data.get("url")
    kind = "repository" if data.get("type") == "software" else "page"
    if isinstance(url, str) and url.startswith(("https://", "http://")):
        links.append((kind, url))
    if data.get("arxiv"):
        links.append(("arXiv", f"https://arxiv.org/abs/{quote(str(data['arxiv']), safe='/.')}"))
    if data.get("doi"):
        links.append(("DOI", f"https://doi.org/{quote(str(data['doi']), safe='/.()-_;:')}"))
    if data.get("s2_id"):
        links.append(
            (
                "Semantic Scholar",
                f"https://www.semanticscholar.org/paper/{quote(str(data['s2_id']), safe='')}",
            )
        )
    seen: set[str] = set()
    unique = []
    for name, link in links:
        if link not in seen:
            seen.add(link)
            unique.append((name, link))
    return unique


def script_json(data: Any) -> str:
    """JSON safe to place inside a <script> element: no `<`, `>`, `&` or line separators."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(char, escape)
    return text


# --- internals -------------------------------------------------------------------------------


def _subsection_counts(
    G: nx.DiGraph, section: str, nodes: Iterable[Hashable]
) -> list[dict[str, Any]]:
    """The legend's lines under a section: its subsections (list order) and their curated works
    on the map."""
    order = [s for s in G.graph.get("curated_subsections", {}).get(section, [])]
    counts: Counter[str] = Counter()
    for v in nodes:
        data = G.nodes[v]
        if data.get("curated") and data.get("section") == section and data.get("subsection"):
            counts[data["subsection"]] += 1
    order += sorted(s for s in counts if s not in order)
    return [{"name": s, "count": counts[s]} for s in order if counts[s]]


def _sections(G: nx.DiGraph) -> list[str]:
    listed = [s for s in G.graph.get("curated_sections") or [] if isinstance(s, str)]
    seen = set(listed)
    extra = sorted({s for _, s in G.nodes(data="section") if isinstance(s, str) and s not in seen})
    return listed + extra


def _neighbours(G: nx.DiGraph, v: Hashable) -> Iterable[Hashable]:
    yield from G.successors(v)
    yield from G.predecessors(v)


def home_sections(
    G: nx.DiGraph, nodes: Iterable[Hashable]
) -> dict[Hashable, tuple[str | None, bool]]:
    """Node -> (section, is_curated): what colour a node gets on the map.

    Curated papers: their own section. Others: the section most of their curated neighbours
    belong to; failing that, the one most of their neighbours got that way (two steps away);
    otherwise None. Ties go to the section listed first.
    """
    first: dict[Hashable, str | None] = {}

    def direct(v: Hashable) -> str | None:
        if v not in first:
            data = G.nodes[v]
            if data.get("curated") and isinstance(data.get("section"), str):
                first[v] = data["section"]
            else:
                first[v] = _vote(
                    G,
                    (
                        G.nodes[w].get("section")
                        for w in _neighbours(G, v)
                        if G.nodes[w].get("curated")
                    ),
                )
        return first[v]

    homes: dict[Hashable, tuple[str | None, bool]] = {}
    for v in nodes:
        data = G.nodes[v]
        if data.get("curated") and isinstance(data.get("section"), str):
            homes[v] = (data["section"], True)
            continue
        section = direct(v)
        if section is None:
            section = _vote(G, (direct(w) for w in _neighbours(G, v)))
        homes[v] = (section, False)
    return homes


def _vote(G: nx.DiGraph, sections: Iterable[Any]) -> str | None:
    votes = Counter(s for s in sections if isinstance(s, str))
    if not votes:
        return None
    return max(votes.items(), key=lambda kv: (kv[1], -_section_rank(G, kv[0])))[0]


def _section_rank(G: nx.DiGraph, section: str) -> int:
    sections = G.graph.get("curated_sections") or []
    return sections.index(section) if section in sections else len(sections)


def _node_colour(colours: dict[str, str], section: str | None, direct: bool) -> str:
    if section is None or section not in colours:
        return NEUTRAL_COLOUR
    return colours[section] if direct else lighter(colours[section])


def _importance_key(G: nx.DiGraph, pr: dict[Hashable, float], focus: Hashable | None) -> Any:
    def key(v: Hashable) -> tuple[int, int, float, int, str]:
        data = G.nodes[v]
        return (
            0 if v == focus else 1,
            0 if data.get("curated") else 1,
            -pr.get(v, 0.0),
            -int(data.get("citation_count") or 0),
            str(v),
        )

    return key


def _pagerank(G: nx.DiGraph) -> dict[Hashable, float]:
    """PageRank of the whole graph (a citation flows importance to the cited paper)."""
    if G.number_of_nodes() == 0:
        return {}
    try:
        pr = nx.pagerank(G)
    except nx.PowerIterationFailedConvergence:
        pr = nx.pagerank(G, max_iter=1000, tol=1e-4)
    return pr  # type: ignore[no-any-return]


def _resolve_focus(G: nx.DiGraph, query: str) -> Hashable:
    if query in G:
        return query
    try:
        from .lookup import find_paper
    except ImportError:  # pragma: no cover - lookup ships with the package
        raise LookupFailed(
            f"no paper with key {query!r} in the graph; pass an exact node key"
        ) from None
    return find_paper(G, query)


def _default_title(selection: Selection) -> str:
    if selection.view == "whole field":
        return "Implicit deep learning: map of the field"
    return f"Implicit deep learning: {selection.view}"


def author_year(authors: list[str], year: Any) -> str:
    """The short label of a paper on the map: first author's surname and year.

    >>> author_year(["Ricky T. Q. Chen", "Yulia Rubanova"], 2018), author_year([], 2015)
    ('Chen 2018', '')
    >>> author_year(["Jean-Marie Müller"], 2020), author_year(["Shaojie Bai"], None)
    ('Müller 2020', 'Bai')
    >>> author_year(["Laurent El Ghaoui"], 2019), author_year(["van der Pol, Balthasar"], 1926)
    ('El Ghaoui 2019', 'van der Pol 1926')
    """
    surname = ""
    if authors:
        parts = parse_name(str(authors[0]))  # keeps particles: "El Ghaoui", "van der Pol"
        if parts is not None and parts.last:
            surname = f"{parts.von} {parts.last}".strip()
    if not surname:
        return ""  # a bare year names nothing
    year_text = str(year) if isinstance(year, int) else ""
    return " ".join(p for p in (surname, year_text) if p)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _short_label(title: str) -> str:
    title = " ".join(title.split())
    if len(title) <= _LABEL_CHARS:
        return title
    cut = title[: _LABEL_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,:;-")
    return cut + "…"


def _node_record(
    G: nx.DiGraph,
    v: Hashable,
    xy: tuple[float, float],
    size: float,
    colour: str,
    section: str | None,
    bibtex: str | None,
) -> dict[str, Any]:
    data = G.nodes[v]
    title = str(data.get("title") or v)
    authors = [str(a) for a in data.get("authors") or []]
    node_type = data.get("type") if data.get("type") in TYPE_SHAPES else "paper"
    curated = bool(data.get("curated"))
    if curated:
        size = max(size, CURATED_MIN_SIZE)
    record: dict[str, Any] = {
        "id": str(v),
        "x": xy[0],
        "y": xy[1],
        "size": size,
        "colour": colour,
        "shape": TYPE_SHAPES[node_type],
        "type": node_type,
        "title": title,
        "label": _short_label(title) if curated else "",
        "authors": authors[:_MAX_AUTHORS],
        "moreAuthors": max(0, len(authors) - _MAX_AUTHORS),
        "year": data.get("year") if isinstance(data.get("year"), int) else None,
        "venue": data.get("venue_label") or data.get("venue"),
        "citations": data.get("citation_count"),
        "citationsAsOf": data.get("citation_count_as_of"),
        "refs": data.get("refs_in_graph"),
        "refsList": data.get("refs_list"),
        "curated": curated,
        "section": section,
        "subsection": data.get("subsection") if curated else None,
        "note": data.get("note"),
        "links": [list(link) for link in paper_links(data)],
        "short": author_year(authors, data.get("year")),
    }
    abstract = data.get("abstract")
    if isinstance(abstract, str) and abstract.strip():
        record["abstract"] = _shorten(" ".join(abstract.split()), _ABSTRACT_CHARS)
    if bibtex:
        record["bibtex"] = bibtex
    if isinstance(data.get("refs_union"), int):  # built with OpenAlex: completeness per service
        stated = [data.get(k) for k in ("reference_count", "openalex_reference_count")]
        record["refsBy"] = {
            "s2": data.get("refs_by_s2") or 0,
            "openalex": data.get("refs_by_openalex") or 0,
            "union": data["refs_union"],
            "stated": max((n for n in stated if isinstance(n, int)), default=None),
        }
    return record


def _edge_record(G: nx.DiGraph, u: Hashable, v: Hashable) -> dict[str, Any]:
    data = G.edges[u, v]
    record: dict[str, Any] = {"from": str(u), "to": str(v)}
    if data.get("kind") == EDGE_IMPLEMENTS:
        record["kind"] = "implements"
    if data.get("is_influential"):
        record["influential"] = True
    return record


def _timeline_axis(timeline: Timeline) -> dict[str, Any]:
    """What the page needs to draw year columns and band names behind a timeline layout."""
    return {
        "columns": [{"x": x, "label": label} for x, label in timeline.columns],
        "edges": timeline.edges,
        "bands": [{"name": n, "top": top, "bottom": bottom} for n, top, bottom in timeline.bands],
    }


def _year_axis(records: list[dict[str, Any]]) -> dict[str, int] | None:
    """The year slider's range: `first` (oldest paper), `start` (first year with its own
    position; older ones share an "earlier" position, as on the timeline) and `last`."""
    known = [r["year"] for r in records if isinstance(r["year"], int)]
    if not known:
        return None
    return {"first": min(known), "start": first_axis_year(known), "last": max(known)}


def _bibtex_for(G: nx.DiGraph, nodes: list[Hashable]) -> dict[Hashable, str]:
    """BibTeX per node from the bib module when it is available; otherwise none (no button)."""
    if not nodes:
        return {}
    try:
        from .bibtex import bibtex_entries_by_node  # type: ignore[attr-defined]
    except ImportError:
        return {}
    try:
        entries = bibtex_entries_by_node(G, nodes)
    except AtlasError:
        return {}
    return {k: v for k, v in entries.items() if isinstance(v, str)}


def _asset(name: str) -> str:
    return (
        resources.files("implicit_atlas.graph").joinpath("assets", name).read_text(encoding="utf-8")
    )


def _template(name: str) -> str:
    return (
        resources.files("implicit_atlas.graph")
        .joinpath("templates", name)
        .read_text(encoding="utf-8")
    )


def _vis_network_js() -> str:
    """vis-network 9.1.2 as shipped inside pyvis (standalone build, no external loads)."""
    lib = resources.files("pyvis").joinpath("templates", "lib", "vis-9.1.2", "vis-network.min.js")
    text = lib.read_text(encoding="utf-8")
    if "</script" in text.lower():  # would end the inline <script> early
        raise MapError("the bundled vis-network script cannot be inlined; reinstall pyvis 0.3.2")
    return text
