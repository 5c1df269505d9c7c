"""Building the atlas: curated list + field sample (+ Semantic Scholar) -> one networkx DiGraph.

>>> from implicit_atlas.graph import build_atlas, load_catalog
>>> G = build_atlas(load_catalog(), offline=True)
>>> G.nodes["arXiv:1806.07366"]["section"]
'Neural Differential Equations'
>>> G.graph["summary"]["curated"]["total"]
29
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, replace
from itertools import chain
from operator import methodcaller
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from .catalog import Catalog, catalog_label, load_catalog
from .coverage import annotate_reference_coverage, coverage_summary
from .errors import AtlasError
from .field_sample import FieldSample, add_field_sample, load_field_sample
from .fingerprint import FINGERPRINT_KEY, inputs_fingerprint, settled
from .graphio import GRAPH_FILE_NAME, STORE_FILE_NAME, load_graph, paused_gc
from .registry import PaperRegistry
from .schema import (
    EDGE_CITES,
    EDGE_IMPLEMENTS,
    SCHEMA_VERSION,
    SOURCE_CURATED,
    SOURCE_FIELD_SAMPLE,
    SOURCE_S2,
)

if TYPE_CHECKING:  # the S2 client (httpx) is imported only by builds that use it
    from .embeddings import EmbeddingReport
    from .expand import ExpandOptions, Progress, S2Settings
    from .openalex_expand import OpenAlexSettings
    from .store import EdgeGroups

SOURCES = ("s2", "openalex")
"""What ``build --source`` accepts (comma-separated)."""


def parse_sources(text: str) -> tuple[str, ...]:
    """``"s2,openalex"`` -> ("s2", "openalex"); a clear error for anything else.

    >>> parse_sources("openalex, s2")
    ('s2', 'openalex')
    """
    names = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = sorted(names - set(SOURCES))
    if unknown or not names:
        raise AtlasError(
            f"unknown source {', '.join(unknown) or '(none)'}: --source takes "
            f"{' or '.join(SOURCES)}, comma-separated (e.g. --source s2,openalex)"
        )
    return tuple(s for s in SOURCES if s in names)


# An expansion step adds records and edges to the registry (Semantic Scholar does this).
# It gets the registry, the catalog and the curated entries' handles, and returns a summary
# dict stored under G.graph["summary"][name].
ExpansionStep = Callable[[PaperRegistry, Catalog, dict[str, int]], dict[str, Any]]


def add_catalog(registry: PaperRegistry, catalog: Catalog) -> dict[str, int]:
    """Add every curated entry, and the software -> paper links; return key -> handle."""
    handles = {e.key: registry.add_paper(e.record(), SOURCE_CURATED) for e in catalog}
    for e in catalog:
        for ref in e.implements:
            target = catalog.resolve_reference(ref)
            if target is None:  # load_catalog already rejects these
                continue
            registry.add_edge(
                handles[e.key],
                handles[target.key],
                kind=EDGE_IMPLEMENTS,
                provenance={
                    "source": SOURCE_CURATED,
                    "evidence": f"curated list: {e.title} implements {target.title}",
                },
            )
    return handles


def build_atlas(
    catalog: Catalog | None = None,
    *,
    field_sample: FieldSample | bool = True,
    expansions: dict[str, ExpansionStep] | None = None,
    offline: bool = True,
    options: dict[str, Any] | None = None,
) -> nx.DiGraph:
    """Merge the curated catalog, the field sample and any expansion steps into one graph.

    `catalog` defaults to the bundled list; `field_sample=False` leaves the bundled sample
    out; `expansions` maps a source name (e.g. "semantic-scholar") to a step that adds its
    papers and edges. The graph carries build metadata and a summary in ``G.graph``.
    """
    return _built_atlas(catalog, field_sample, expansions, offline, options)[0]


@paused_gc()
def _built_atlas(
    catalog: Catalog | None,
    field_sample: FieldSample | bool,
    expansions: dict[str, ExpansionStep] | None,
    offline: bool,
    options: dict[str, Any] | None,
) -> tuple[nx.DiGraph, EdgeGroups | None]:
    """:func:`build_atlas`, and how the registry made the graph's edges (for its store)."""
    catalog = catalog if catalog is not None else load_catalog()
    registry = PaperRegistry()
    handles = add_catalog(registry, catalog)
    sources = [SOURCE_CURATED]
    step_summaries: dict[str, Any] = {}
    if field_sample is not False:
        sample = load_field_sample() if field_sample is True else field_sample
        step_summaries[SOURCE_FIELD_SAMPLE] = add_field_sample(registry, sample)
        sources.append(SOURCE_FIELD_SAMPLE)
    for name, step in (expansions or {}).items():
        step_summaries[name] = step(registry, catalog, handles)
        sources.append(name)
    G = registry.to_graph()
    annotate_reference_coverage(G, edge_groups=registry.edge_groups)
    G.graph.update(
        {
            "schema": SCHEMA_VERSION,
            "built_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            "sources": sources,
            "options": dict(options or {}),
            "offline": offline,
            "curated_sections": list(catalog.sections),
            "curated_subsections": {
                s: catalog.subsections(s) for s in catalog.sections if catalog.subsections(s)
            },
            "catalog": catalog_label(catalog.path),
        }
    )
    summary = summarize(G, catalog, edge_groups=registry.edge_groups)
    G.graph["summary"] = summary | {"steps": step_summaries}
    return G, registry.edge_groups


def summarize(
    G: nx.DiGraph, catalog: Catalog, *, edge_groups: EdgeGroups | None = None
) -> dict[str, Any]:
    """Counts a user wants after a build: nodes by type, edges by source, curated coverage.

    `edge_groups`: how the registry made `G`'s edges, when it has just built it (nothing
    changed them since): the edges are counted per attribute dict it copied."""
    nodes_by_type = Counter(d.get("type", "paper") for _, d in G.nodes(data=True))
    edges_by_kind, source_lists = _edge_counts(G, edge_groups)
    edges_by_source: Counter[str] = Counter()
    for srcs, count in source_lists.items():
        for s in srcs:
            edges_by_source[s] += count
        if len(srcs) > 1:
            edges_by_source["+".join(srcs)] += count
    key_of = {d.get("curated_key"): n for n, d in G.nodes(data=True) if d.get("curated")}
    found: list[str] = []
    not_found: list[str] = []
    for e in catalog:
        if e.type in ("software", "tutorial"):
            continue
        node = key_of.get(e.key)
        data = G.nodes[node] if node is not None else {}
        (found if set(data.get("sources", [])) - {SOURCE_CURATED} else not_found).append(e.key)
    curated_papers = [key_of[k] for k in found]
    refs = coverage_summary(G, curated_papers)
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "nodes_by_type": dict(sorted(nodes_by_type.items())),
        "edges_by_kind": dict(sorted(edges_by_kind.items())),
        "edges_by_source": dict(sorted(edges_by_source.items())),
        "curated": {
            "total": len(catalog),
            "papers_in_data": found,
            "papers_not_in_data": not_found,
            "software": sum(1 for e in catalog if e.type == "software"),
            "tutorials": sum(1 for e in catalog if e.type == "tutorial"),
            "reference_lists": {
                status: sorted(G.nodes[n]["curated_key"] for n in nodes)
                for status, nodes in refs.items()
            },
        },
    }


def _edge_counts(
    G: nx.DiGraph, edge_groups: EdgeGroups | None
) -> tuple[Counter[str], Counter[tuple[str, ...]]]:
    """The edges of `G` by kind and by their list of sources."""
    edges_by_kind: Counter[str] = Counter()
    source_lists: Counter[tuple[str, ...]] = Counter()
    if edge_groups is not None and edge_groups.of(G):
        # a handful of dicts for a million edges, each copied `count` times
        for _, d, count in edge_groups.templates():
            edges_by_kind[d.get("kind", EDGE_CITES)] += count
            source_lists[tuple(d.get("sources", ()))] += count
        return edges_by_kind, source_lists
    edge_data = list(chain.from_iterable(map(methodcaller("values"), G._succ.values())))
    edges_by_kind.update(map(methodcaller("get", "kind", EDGE_CITES), edge_data))
    # counted per source list object first (the edges of a built graph share a handful)
    lists = list(map(methodcaller("get", "sources", ()), edge_data))
    by_object = Counter(map(id, lists))
    for srcs in dict(zip(map(id, lists), lists, strict=True)).values():
        source_lists[tuple(srcs)] += by_object[id(srcs)]
    return edges_by_kind, source_lists


def write_atlas(
    G: nx.DiGraph,
    out_dir: str | os.PathLike[str],
    *,
    keep_bib_keys: bool = True,
    edge_groups: EdgeGroups | None = None,
) -> Path:
    """Save the graph as the store `<out_dir>/graph.atlas` (atomically) and return its path.

    With `keep_bib_keys`, every node's citation key is stored in the graph first
    (``bib_key``, see bibtex.stamp_bib_keys), keeping the keys of the graph being replaced:
    a rebuilt or grown atlas cites each paper with the key it had. A graph.json an earlier
    version of `build` left in `out_dir` is replaced by the store (it would go stale);
    ``export --format json`` writes one.
    """
    from .store import LIGHT_EDGE_ATTRIBUTES, save_store

    path = Path(out_dir) / STORE_FILE_NAME
    old_json = Path(out_dir) / GRAPH_FILE_NAME
    with paused_gc():
        if keep_bib_keys:
            from .bibtex import stamp_bib_keys

            previous = path if path.is_file() else old_json
            stamp_bib_keys(G, _previous_atlas(previous, LIGHT_EDGE_ATTRIBUTES))
        written = save_store(G, path, edge_groups=edge_groups)
    if old_json.is_file():
        old_json.unlink()
    return written


def _previous_atlas(path: Path, edge_attributes: tuple[str, ...]) -> nx.DiGraph | None:
    """The graph at `path` before it is replaced; None when there is none or it is unreadable
    (its keys cannot be kept then, and the file is about to be replaced anyway)."""
    if not path.is_file():
        return None
    try:
        return load_graph(path, edge_attributes=edge_attributes)
    except AtlasError:
        return None


def format_summary(G: nx.DiGraph, graph_path: Path | None = None) -> str:
    """The short human summary `implicit-atlas build` prints."""
    s = G.graph.get("summary", {})
    cur = s.get("curated", {})
    lines = [
        f"graph: {s.get('nodes', 0)} nodes, {s.get('edges', 0)} edges",
        "nodes by type: " + ", ".join(f"{k} {v}" for k, v in s.get("nodes_by_type", {}).items()),
        "edges by kind: " + ", ".join(f"{k} {v}" for k, v in s.get("edges_by_kind", {}).items()),
        "edges by source: "
        + ", ".join(f"{k} {v}" for k, v in s.get("edges_by_source", {}).items()),
        f"curated: {cur.get('total', 0)} entries "
        f"({len(cur.get('papers_in_data', []))} papers found in the data, "
        f"{cur.get('software', 0)} software, {cur.get('tutorials', 0)} tutorials)",
    ]
    missing = cur.get("papers_not_in_data", [])
    if missing:
        lines.append(f"curated papers with no data yet: {', '.join(missing)}")
    refs = cur.get("reference_lists")
    if refs:
        lines.append(
            f"reference lists of the curated papers in the data: {len(refs['full'])} full, "
            f"{len(refs['partial'])} partial, {len(refs['none'])} none"
            + (
                " (co-citation and coupling need them: build online, --depth 2)"
                if refs["none"]
                else ""
            )
        )
    if s.get("completeness"):
        from .completeness import format_completeness

        lines += format_completeness(s["completeness"])
    if graph_path is not None:
        lines.append(f"wrote {graph_path}")
    return "\n".join(lines)


def build_with_s2(
    catalog: Catalog | None = None,
    *,
    settings: S2Settings | None = None,
    options: ExpandOptions | None = None,
    field_sample: FieldSample | bool = True,
    progress: Progress | None = None,
    on_note: Callable[[str], None] | None = None,
    openalex: OpenAlexSettings | None = None,
    sources: tuple[str, ...] = ("s2",),
) -> nx.DiGraph:
    """`build_atlas` with the live sources: Semantic Scholar (graph/expand.py) and, with
    ``"openalex"`` in `sources`, OpenAlex after it (graph/openalex_expand.py).

    A source offline with no cache yet is left out; with none left it is the plain offline
    build. Each step's report is in ``G.graph["summary"]["steps"][name]``; no API key is
    recorded anywhere.
    """
    G, _, _ = _build_with_sources(
        catalog,
        settings=settings,
        options=options,
        field_sample=field_sample,
        progress=progress,
        on_note=on_note,
        openalex=openalex,
        sources=sources,
    )
    return G


def build_into(
    out_dir: str | os.PathLike[str],
    catalog: Catalog | None = None,
    **kwargs: Any,
) -> tuple[nx.DiGraph, Path]:
    """`build_with_s2` then `write_atlas` into `out_dir`; return the graph and the store.

    When the inputs (catalog, field sample, options, code, cached answers: see
    graph/fingerprint.py) are those of the store already in `out_dir`, that store is kept
    as it is and its graph returned (nodes and adjacency, no edge attributes; the summary
    and step reports in ``G.graph`` are the ones it was built with): a warm rebuild with
    nothing changed costs a read, not a merge.
    """
    path = Path(out_dir) / STORE_FILE_NAME
    G, reused, edge_groups = _build_with_sources(catalog, reuse=path, **kwargs)
    if not reused:  # (the edges as the registry made them: nothing ran on them since)
        return G, write_atlas(G, out_dir, edge_groups=edge_groups)
    if kwargs.get("on_note") is not None:
        kwargs["on_note"](
            f"nothing changed since the build of {G.graph.get('built_at')}: kept {path} "
            "(its summary follows)"
        )
    return G, path


def _reusable_store(path: Path, fingerprint: str) -> nx.DiGraph | None:
    """The graph of the store at `path` if it was built from these very inputs, else None."""
    from .store import load_store, read_manifest

    if not path.is_file():
        return None
    try:
        if read_manifest(path)["meta"].get(FINGERPRINT_KEY) != fingerprint:
            return None
        return load_store(path, edge_attributes=())
    except AtlasError:  # unreadable or damaged: rebuilt and replaced
        return None


def _build_with_sources(
    catalog: Catalog | None = None,
    *,
    settings: S2Settings | None = None,
    options: ExpandOptions | None = None,
    field_sample: FieldSample | bool = True,
    progress: Progress | None = None,
    on_note: Callable[[str], None] | None = None,
    openalex: OpenAlexSettings | None = None,
    sources: tuple[str, ...] = ("s2",),
    reuse: Path | None = None,
) -> tuple[nx.DiGraph, bool, EdgeGroups | None]:
    """`build_with_s2`; with `reuse` (a store path), that store's graph when its fingerprint
    is this build's (then True: nothing to write); and how the registry made the edges."""
    from .expand import ExpandOptions, S2Expansion, S2Settings, open_client
    from .openalex_expand import OpenAlexExpansion, OpenAlexSettings, open_openalex_client

    settings = settings or S2Settings()
    options = options or ExpandOptions()
    catalog = catalog if catalog is not None else load_catalog()
    if field_sample is True:
        field_sample = load_field_sample()
    recorded: dict[str, Any] = {
        "offline": settings.offline,
        "field_sample": field_sample is not False,
        "sources": list(sources),
        "s2": settings.public() | asdict(options),
    }
    steps: dict[str, ExpansionStep] = {}
    clients: list[Any] = []
    if "s2" in sources:
        client = open_client(settings)
        if client is not None:
            clients.append(client)
            steps[SOURCE_S2] = S2Expansion(client, options, progress=progress, on_note=on_note)
    if "openalex" in sources:
        oa_settings = openalex or OpenAlexSettings(offline=settings.offline)
        recorded["openalex"] = oa_settings.public()
        oa_client = open_openalex_client(oa_settings)
        if oa_client is not None:
            clients.append(oa_client)
            steps["openalex"] = OpenAlexExpansion(
                oa_client, options, progress=progress, on_note=on_note
            )
    fingerprint = None
    caches = [c.cache for c in clients if c.cache is not None]
    marks = [(cache.generation(), cache.writes) for cache in caches]
    ageing = [settings] + ([openalex] if openalex is not None else [])
    if not any(s.refresh or s.max_age_days is not None for s in ageing):  # answers age
        fingerprint = inputs_fingerprint(
            catalog=catalog,
            field_sample=field_sample or None,
            options=recorded,
            caches=caches,
        )
        previous = _reusable_store(reuse, fingerprint) if reuse is not None else None
        if previous is not None:
            for c in clients:
                c.close()
                if c.cache is not None:
                    c.cache.close()
            return previous, True, None
    try:
        G, edge_groups = _built_atlas(
            catalog, field_sample, steps, all(c.offline for c in clients), recorded
        )
        if fingerprint is not None and settled(G.graph["summary"]["steps"]):
            if all(  # no other process wrote to a cache meanwhile: its answers are ours
                cache.generation() - generation == cache.writes - writes
                for cache, (generation, writes) in zip(caches, marks, strict=True)
            ):  # the answers fetched are cached now: the next build reads them all from there
                G.graph[FINGERPRINT_KEY] = inputs_fingerprint(
                    catalog=catalog,
                    field_sample=field_sample or None,
                    options=recorded,
                    caches=caches,
                )
    finally:
        for c in clients:
            c.close()
            if c.cache is not None:
                c.cache.close()
    if len(steps) > 1:  # what each live source brought that no other source lists
        reports = G.graph["summary"]["steps"]
        only: Counter[str] = Counter()
        for _, _, d in G.edges(data=True):
            if len(d.get("sources", [])) == 1:
                only[d["sources"][0]] += 1
        for name in steps:
            reports[name]["edges_only_here"] = only[name]
    if "openalex" in steps:
        from .completeness import annotate_completeness

        G.graph["summary"]["completeness"] = annotate_completeness(G)
    return G, False, edge_groups


def build_embeddings(
    G: nx.DiGraph,
    out_dir: str | os.PathLike[str],
    settings: S2Settings | None = None,
    *,
    requests_spent: int = 0,
    refresh_began: float | None = None,
) -> tuple[Path | None, EmbeddingReport]:
    """Fetch the SPECTER2 embeddings of `G`'s papers into ``out_dir/embeddings.npz``.

    Same cache and politeness as the expansion (see graph/embeddings.py); offline, only
    cached batches are used. ``settings.max_requests`` is one budget for the whole build:
    pass the expansion's ``requests`` as ``requests_spent`` and only the rest is used here.
    With ``settings.refresh``, pass the expansion's ``refresh_began``: the embeddings then
    count as part of that refresh, which the expansion alone begins and ends.
    Returns the file written (None if no vector was found).
    """
    from .embeddings import write_embeddings
    from .expand import S2Settings, open_client

    settings = settings or S2Settings()
    if settings.max_requests is not None:
        settings = replace(settings, max_requests=max(0, settings.max_requests - requests_spent))
    if refresh_began is not None:
        settings = replace(settings, refresh_began=refresh_began)
    client = open_client(settings)
    if client is None:
        return write_embeddings(G, out_dir, None)
    with client:
        try:
            return write_embeddings(G, out_dir, client)
        finally:
            if client.cache is not None:
                client.cache.close()
