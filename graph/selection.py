"""Choosing which nodes a bibliography or export covers: the `bib`/`export` scope options.

A selection starts from explicit papers (``ids``, ``related_to``) when any are given, else
from the curated sections asked for, else from the scope (``curated`` or ``all``); the
year and citation filters then narrow it. Nodes come back sorted, so output is stable.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("a", curated=True, section="Software", year=2019)
    >>> G.add_node("b", year=2021)
    >>> select_nodes(G, scope="all", year_from=2020)
    ['b']
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import networkx as nx

from .errors import AtlasError, LookupFailed

SCOPES = ("curated", "all")
MAX_REPORTED_LINES = 3


class SelectionError(AtlasError, ValueError):
    """A scope, section or ids file that selects nothing the graph knows."""


def read_ids_file(path: str | os.PathLike[str]) -> list[str]:
    """Ids from a file, one per line; blank lines and ``#`` comments are skipped."""
    return [i for _, i in _numbered_ids(path)]


def _numbered_ids(path: str | os.PathLike[str]) -> list[tuple[int, str]]:
    """(line number, id) for each id of an ids file, so a bad line can be pointed at."""
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SelectionError(f"cannot read ids file {p} ({exc}); pass a UTF-8 text file") from exc
    ids = [(n, line.split("#", 1)[0].strip()) for n, line in enumerate(lines, start=1)]
    ids = [(n, i) for n, i in ids if i]
    if not ids:
        raise SelectionError(f"ids file {p} lists no id; put one paper id per line")
    return ids


def resolve_ids_file(G: nx.DiGraph, path: str | os.PathLike[str]) -> list[str]:
    """Node keys for the ids of a file; every line that names no single paper is reported
    at once, with its line number, instead of stopping at the first."""
    from .lookup import AmbiguousQuery, PaperIndex

    index = PaperIndex(G)
    keys: list[str] = []
    bad: list[str] = []
    for line, query in _numbered_ids(path):
        try:
            key = index.find(query)
        except AmbiguousQuery as exc:
            bad.append(f"line {line} {query!r} matches {len(exc.candidates)} papers")
            continue
        except LookupFailed:
            bad.append(f"line {line} {query!r} matches no paper")
            continue
        if key not in keys:
            keys.append(key)
    if bad:
        shown = bad[:MAX_REPORTED_LINES]
        if len(bad) > len(shown):
            shown.append(f"and {len(bad) - len(shown)} more")
        raise SelectionError(
            f"ids file {path}: {'; '.join(shown)}; write an arXiv id, DOI, node key or more "
            "words of the title on those lines, or comment them out with #"
        )
    return keys


def curated_sections(G: nx.DiGraph) -> list[str]:
    """The curated list's sections in list order (those of the build, then any others found)."""
    known = list(G.graph.get("curated_sections") or [])
    for _, section in sorted(G.nodes(data="section")):
        if section and section not in known:
            known.append(section)
    return known


SUBSECTION_SEPARATOR = " / "


def section_paths(G: nx.DiGraph) -> list[str]:
    """Each curated section followed by its subsections as paths ("Software / Neural ODEs")."""
    subsections = G.graph.get("curated_subsections") or {}
    found: dict[str, list[str]] = {}
    for _, data in sorted(G.nodes(data=True)):
        if data.get("section") and data.get("subsection"):
            found.setdefault(data["section"], []).append(data["subsection"])
    paths: list[str] = []
    for section in curated_sections(G):
        paths.append(section)
        for sub in dict.fromkeys([*subsections.get(section, []), *found.get(section, [])]):
            parts = [section, *sub.split(SUBSECTION_SEPARATOR)]
            for depth in range(2, len(parts) + 1):  # "A / B" is reached through "A" too
                path = SUBSECTION_SEPARATOR.join(parts[:depth])
                if path not in paths:
                    paths.append(path)
    return paths


def match_section(name: str, sections: Sequence[str]) -> str:
    """The section `name` means, for every command's ``--section``: its exact name in any
    case, or the one section whose name starts with it. Among section paths, a subsection's
    own name names it too, and a prefix names the section, not its subsections."""
    wanted = name.strip().lower()
    exact = [s for s in sections if s.lower() == wanted]
    exact = exact or [
        s for s in sections if s.lower().rsplit(SUBSECTION_SEPARATOR, 1)[-1] == wanted
    ]
    prefix = [s for s in sections if s.lower().startswith(wanted)]
    prefix = [s for s in prefix if not any(s.startswith(p + SUBSECTION_SEPARATOR) for p in prefix)]
    if len(exact) == 1 or (not exact and len(prefix) == 1):
        return (exact or prefix)[0]
    if len(prefix) > 1:
        raise SelectionError(ambiguous_section_text(name, prefix))
    raise SelectionError(unknown_section_text([name], sections))


def unknown_section_text(
    names: Sequence[str], sections: Sequence[str], known_as: str = "the sections"
) -> str:
    """The one wording of "no such section" every command's ``--section`` uses."""
    which = "section" if len(names) == 1 else "sections"
    return (
        f"unknown {which} {', '.join(map(repr, names))}; {known_as} are: "
        f"{', '.join(map(repr, sections)) or 'none'} (give a name or the start of one)"
    )


def ambiguous_section_text(name: str, matches: Sequence[str]) -> str:
    """The one wording of "several sections fit" every command's ``--section`` uses."""
    return f"section {name!r} fits several: {', '.join(map(repr, matches))}; give more of its name"


def match_sections(names: Iterable[str], sections: Sequence[str], known_as: str) -> list[str]:
    """:func:`match_section` for several names (`bib`/`export --section`, repeatable); every
    name that matches no single section is reported at once, with the sections there are."""
    matched: list[str] = []
    unknown: list[str] = []
    for name in names:
        try:
            matched.append(match_section(name, sections))
        except SelectionError:
            unknown.append(name)
    if unknown:
        raise SelectionError(unknown_section_text(unknown, sections, known_as))
    return matched


def resolve_ids(G: nx.DiGraph, ids: Iterable[str]) -> list[str]:
    """Node keys for ids, arXiv ids, DOIs, URLs, curated keys or title fragments."""
    from .lookup import find_papers

    return find_papers(G, list(ids))


def related_nodes(G: nx.DiGraph, seeds: Sequence[str], top: int) -> list[str]:
    """The seed papers and the `top` papers related to them (see graph/related.py)."""
    from .related import related_papers

    seed_keys = resolve_ids(G, seeds)
    result = related_papers(G, seed_keys, top=top)
    return seed_keys + [p.key for p in result.papers]


def _in_sections(data: dict[str, object], wanted: list[str]) -> bool:
    """Whether a node is in one of the `wanted` sections or subsection paths, or below one."""
    if not isinstance(data.get("section"), str):
        return False
    parts = [data["section"], data.get("subsection")]
    path = SUBSECTION_SEPARATOR.join(str(p) for p in parts if p)
    return any(path == w or path.startswith(w + SUBSECTION_SEPARATOR) for w in wanted)


def select_nodes(
    G: nx.DiGraph,
    *,
    scope: str = "curated",
    sections: Iterable[str] = (),
    ids: Iterable[str] = (),
    ids_file: str | os.PathLike[str] | None = None,
    related_to: Sequence[str] = (),
    top: int = 20,
    year_from: int | None = None,
    year_to: int | None = None,
    min_citations: int | None = None,
) -> list[str]:
    """Sorted node keys chosen by scope, sections, explicit ids (or an `ids_file`, one id a
    line) or related papers, then filters.

    Year and citation filters drop nodes whose year or count is unknown.
    """
    ids = list(ids)
    sections = list(sections)
    if scope not in SCOPES:
        raise SelectionError(f"unknown scope {scope!r}; use one of {', '.join(SCOPES)}")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise SelectionError(
            f"--year-from {year_from} is after --year-to {year_to}, so no paper can match; "
            "swap the two years"
        )
    if ids or ids_file is not None or related_to:
        chosen = set(resolve_ids(G, ids)) if ids else set()
        if ids_file is not None:
            chosen |= set(resolve_ids_file(G, ids_file))
        if related_to:
            chosen |= set(related_nodes(G, related_to, top))
    elif sections:
        wanted = match_sections(sections, section_paths(G), "the graph's sections")
        chosen = {n for n, data in G.nodes(data=True) if _in_sections(data, wanted)}
    elif scope == "curated":
        chosen = {n for n, c in G.nodes(data="curated") if c}
    else:
        chosen = set(G.nodes)

    def keep(node: str) -> bool:
        attrs = G.nodes[node]
        year = attrs.get("year")
        if year_from is not None and (year is None or year < year_from):
            return False
        if year_to is not None and (year is None or year > year_to):
            return False
        count = attrs.get("citation_count")
        if min_citations is not None and (count is None or count < min_citations):
            return False
        return True

    return sorted(n for n in chosen if keep(n))
