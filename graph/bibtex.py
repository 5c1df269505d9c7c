"""BibTeX bibliographies of atlas nodes that compile without a hand fix.

Entries are bibtexparser 2.x ``Entry`` objects (never formatted strings): text fields are
LaTeX-escaped, titles keep their meaningful capitals in braces, DOIs and URLs stay raw. Entry
types follow what is known of a work (see :func:`describe_publication`); an entry that lacks a
field its type requires in the standard styles becomes ``@misc``, so ``plain``/``alpha`` print
no "empty booktitle" warning. A preprint and its venue version are one entry: the venue one.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("arXiv:1806.07366", title="Neural Ordinary Differential Equations",
    ...            authors=["Ricky T. Q. Chen", "David Duvenaud"], year=2018,
    ...            venue_label="NeurIPS18", arxiv="1806.07366", type="paper")
    >>> print(bibtex_text(G))  # doctest: +ELLIPSIS
    @inproceedings{chen2018neural,
      author        = {Chen, Ricky T. Q. and Duvenaud, David},
      title         = {Neural Ordinary Differential Equations},
      booktitle     = {Advances in Neural Information Processing Systems},
      year          = {2018},
    ...
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import bibtexparser
import networkx as nx
from bibtexparser.middlewares import default_unparse_stack
from bibtexparser.model import Entry, Field, ImplicitComment

from .bibkeys import CitedEntry, assign_keys, match_cited_keys, read_cited_entries
from .errors import AtlasError
from .graphio import atomic_write_text
from .identity import normalize_arxiv, normalize_doi, normalize_title
from .latex import bibtex_authors, latex_text, protect_title
from .resolve import work_representatives
from .text import clean_text
from .venues import full_names, normalize_venue, parse_venue_label


class BibOptionError(AtlasError, ValueError):
    """An unknown bibliography style or preprint form was asked for."""


STYLES = ("bibtex", "biblatex")
PREPRINT_FORMS = ("misc", "article")


@dataclass(frozen=True)
class BibOptions:
    """How entries are written. `style` "biblatex" allows ``@software``."""

    style: str = "bibtex"
    ascii_only: bool = False
    notes: bool = True
    preprint_as: str = "misc"

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise BibOptionError(f"unknown style {self.style!r}; use one of {', '.join(STYLES)}")
        if self.preprint_as not in PREPRINT_FORMS:
            raise BibOptionError(
                f"unknown preprint form {self.preprint_as!r}; "
                f"use one of {', '.join(PREPRINT_FORMS)}"
            )


# --- what a work is and where it appeared ---------------------------------------------------


@dataclass(frozen=True)
class Publication:
    """Where a work appeared: `kind` decides the entry type, `container` its venue field."""

    kind: str  # conference | workshop | journal | preprint | book | phdthesis | mastersthesis
    #            software | tutorial | misc
    container: str | None = None


# Normalised venue strings (see venues.normalize_venue) and acronyms -> full proceedings or
# journal names, from the one venue table in venues.py.
CONFERENCES: dict[str, str] = full_names("conference")
JOURNALS: dict[str, str] = full_names("journal")
PREPRINT_SERVERS = frozenset({"arxiv", "corr", "arxiv org", "preprint", "arxiv preprint"})
_CONFERENCE_WORDS = re.compile(r"\b(proceedings|proc|conference|symposium|congress|meeting)\b")
_venue_norm = normalize_venue


def _known_venue(venue: str) -> tuple[str, str] | None:
    """(kind, full name) for a venue string the tables know, by phrase or by acronym."""
    norm = _venue_norm(venue)
    if norm in CONFERENCES:
        return "conference", CONFERENCES[norm]
    if norm in JOURNALS:
        return "journal", JOURNALS[norm]
    words = norm.split()
    for word in words:
        if word in CONFERENCES and (len(words) == 1 or _CONFERENCE_WORDS.search(norm)):
            return "conference", CONFERENCES[word]
    return None


def _venue_from_label(label: str | None) -> tuple[str, str | None] | None:
    """The curated list's "NeurIPS18" as (kind, full name); None if the label says nothing."""
    if not label:
        return None
    parsed = parse_venue_label(label)
    if parsed is None:
        text = re.sub(r"\s*'?\d{2,4}$", "", label.strip())
        known = _known_venue(text) if text else None
        return known
    return parsed.kind, parsed.full


def _thesis_school(venue: str | None) -> str | None:
    if not venue:
        return None
    school = re.sub(
        r"(?i)\b(ph\.?\s?d\.?|doctoral|master'?s|m\.?sc?\.?|s\.?m\.?)\s*"
        r"(thesis|dissertation)?\b,?|\b(thesis|dissertation)\b,?",
        "",
        venue,
    )
    school = school.strip(" ,.;-")
    return school or None


_MASTERS = re.compile(r"(?i)master|\bs\.?m\.? thesis|\bmsc\b")


def describe_publication(attrs: Mapping[str, Any]) -> Publication:
    """The kind of publication a node is and its full venue name, from type, venue and label."""
    node_type = attrs.get("type") or "paper"
    venue = (attrs.get("venue") or "").strip() or None
    if node_type in ("thesis", "phdthesis", "mastersthesis"):
        degree = attrs.get("degree") or ("masters" if node_type == "mastersthesis" else "phd")
        if node_type == "thesis" and venue and _MASTERS.search(venue):
            degree = "masters"
        kind = "mastersthesis" if degree == "masters" else "phdthesis"
        return Publication(kind, _thesis_school(venue))
    if node_type == "book":
        return Publication("book", venue)
    if node_type == "software":
        return Publication("software", venue)
    if node_type == "tutorial":
        return Publication("tutorial", venue)
    label_venue = _venue_from_label(attrs.get("venue_label"))
    if venue and re.search(r"(?i)\bworkshop\b", venue):
        return Publication("workshop", venue)
    if label_venue and label_venue[0] in ("conference", "journal") and label_venue[1]:
        return Publication(label_venue[0], label_venue[1])
    if venue is None or _venue_norm(venue) in PREPRINT_SERVERS:
        if attrs.get("arxiv") or (label_venue and label_venue[0] == "preprint"):
            return Publication("preprint", None)
        if venue is None:
            return Publication("misc", None)
        return Publication("preprint", None)
    if re.search(r"(?i)\btutorial\b", venue):
        return Publication("tutorial", venue)
    known = _known_venue(venue)
    if known:
        return Publication(*known)
    if node_type == "misc":
        return Publication("misc", venue)
    if _CONFERENCE_WORDS.search(_venue_norm(venue)):
        return Publication("conference", venue)
    return Publication("journal", venue)


# --- one entry --------------------------------------------------------------------------------

# Fields the standard BibTeX styles (plain, alpha, abbrv, unsrt) warn about when empty.
REQUIRED_FIELDS = {
    "article": ("author", "title", "journal", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "book": ("author", "title", "publisher", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
}


def known_year(attrs: Mapping[str, Any]) -> int | None:
    """The year as an int; a year stored as digits ("2019") counts, anything else is unknown."""
    year = attrs.get("year")
    if isinstance(year, bool):
        return None
    if isinstance(year, int):
        return year
    if isinstance(year, str) and year.strip().isdigit():
        return int(year)
    return None


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _preprint_text(arxiv: str | None) -> str:
    return f"arXiv preprint arXiv:{arxiv}" if arxiv else "arXiv preprint"


# Semantic Scholar gives arXiv papers (journal "CoRR") the volume "abs/2305.02329": not a volume
_ARXIV_VOLUME = re.compile(r"(?i)^\s*abs/")


def node_entry(attrs: Mapping[str, Any], key: str, options: BibOptions = BibOptions()) -> Entry:
    """The bibtexparser Entry for one node's attributes, under citation key `key`."""
    pub = describe_publication(attrs)
    enc = {"ascii_only": options.ascii_only}
    arxiv = normalize_arxiv(attrs.get("arxiv"))
    fields: dict[str, str] = {}
    authors = bibtex_authors(attrs.get("authors"), **enc)
    if authors:
        fields["author"] = authors
    if attrs.get("title"):
        title = str(attrs["title"])
        # a repository's name prints as it is written ("deq", "mpc.pytorch")
        fields["title"] = (
            "{" + latex_text(title, **enc) + "}"
            if pub.kind == "software"
            else protect_title(title, **enc)
        )
    container = latex_text(pub.container, **enc) if pub.container else None
    entry_type, venue_field = {
        "conference": ("inproceedings", "booktitle"),
        "workshop": ("inproceedings", "booktitle"),
        "journal": ("article", "journal"),
        "book": ("book", "publisher"),
        "phdthesis": ("phdthesis", "school"),
        "mastersthesis": ("mastersthesis", "school"),
    }.get(pub.kind, ("misc", "howpublished"))
    if pub.kind == "preprint":
        if options.preprint_as == "article":
            entry_type, venue_field, container = "article", "journal", _preprint_text(arxiv)
        elif options.style == "bibtex":
            container = _preprint_text(arxiv)
        else:
            container = None
    if pub.kind == "software":
        url = attrs.get("url")
        if options.style == "biblatex":
            entry_type, container = "software", None
        elif url:
            container = "\\url{" + str(url) + "}"
    if container:
        fields[venue_field] = container
    year = known_year(attrs)
    if year is not None:
        fields["year"] = str(year)
    for name in ("volume", "number"):
        if attrs.get(name) and not _ARXIV_VOLUME.match(str(attrs[name])):
            fields[name] = latex_text(str(attrs[name]), **enc)
    if attrs.get("pages"):
        fields["pages"] = re.sub(r"\s*[-–—]+\s*", "--", latex_text(str(attrs["pages"]), **enc))
    if attrs.get("doi"):
        fields["doi"] = str(attrs["doi"])
    if attrs.get("url"):
        fields["url"] = str(attrs["url"])
    if arxiv:
        fields["eprint"] = arxiv
        fields["archivePrefix"] = "arXiv"
        if attrs.get("primary_class"):
            fields["primaryClass"] = str(attrs["primary_class"])
    if options.notes and attrs.get("note"):
        fields["note"] = latex_text(_capitalise(str(attrs["note"])), **enc)

    required = REQUIRED_FIELDS.get(entry_type, ())
    if any(name not in fields for name in required):
        # an @inproceedings without a year or author would make BibTeX warn: say what is known
        if venue_field in fields and venue_field != "howpublished":
            fields["howpublished"] = fields.pop(venue_field)
        entry_type = "misc"
    ordered = sorted(fields.items(), key=lambda item: _FIELD_ORDER.get(item[0], 99))
    return Entry(entry_type, key, [Field(name, clean_text(value)) for name, value in ordered])


_FIELD_ORDER = {
    name: i
    for i, name in enumerate(
        "author title booktitle journal school publisher howpublished year volume number pages "
        "doi url eprint archivePrefix primaryClass note".split()
    )
}


# --- preprint and venue versions -------------------------------------------------------------


def version_representatives(G: nx.DiGraph) -> dict[str, str]:
    """Node -> the node whose entry stands for it.

    A graph built by `implicit-atlas build` has one node per work already (graph/resolve.py
    runs when the registry emits it), so every node stands for itself. A graph made otherwise
    (by hand, or by an older version) is resolved here with the same rule: the versions of one
    work collapse onto their venue version.
    """
    return work_representatives(G)


def merged_attributes(G: nx.DiGraph, rep: str, members: list[str]) -> dict[str, Any]:
    """The representative's attributes, completed from its other versions (arXiv id, DOI…)."""
    attrs = dict(G.nodes[rep])
    for node in members:
        for name, value in G.nodes[node].items():
            if value not in (None, "", []) and attrs.get(name) in (None, "", []):
                if name in ("arxiv", "primary_class", "doi", "url", "note", "authors", "year",
                            "title"):  # fmt: skip
                    attrs[name] = value
    if not str(attrs.get("title") or "").strip():
        titled = [v["title"] for v in attrs.get("versions") or () if v.get("title")]
        if titled:
            attrs["title"] = titled[0]
    return attrs


# --- bibliographies -------------------------------------------------------------------------


@dataclass
class Bibliography:
    """Entries ready to write, and how the requested nodes map onto them."""

    library: bibtexparser.Library
    key_of_node: dict[str, str]
    entry_of_key: dict[str, Entry]
    # requested nodes left out because no version of the work has a title
    untitled: list[str] = field(default_factory=list)

    def text(self) -> str:
        return write_library(self.library)


def write_library(library: bibtexparser.Library, *, separator: str = "\n") -> str:
    """BibTeX text of `library`, which is left unchanged.

    The writer's middlewares run in place on fresh copies of the entries: bibtexparser's
    default (copy-protected) stack deep-copies every block, which dominates large writes.
    """
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.value_column = 16
    fmt.block_separator = separator
    blocks = [_fresh_copy(b) if isinstance(b, Entry) else b for b in library.blocks]
    return bibtexparser.write_string(
        bibtexparser.Library(blocks),
        unparse_stack=default_unparse_stack(allow_inplace_modification=True),
        bibtex_format=fmt,
    )


def _fresh_copy(entry: Entry) -> Entry:
    return Entry(entry.entry_type, entry.key, [Field(f.key, f.value) for f in entry.fields])


def _options(options: BibOptions | None, style_options: Mapping[str, Any]) -> BibOptions:
    base = options or BibOptions()
    return replace(base, **style_options) if style_options else base


def version_groups(reps: Mapping[str, str]) -> dict[str, list[str]]:
    """Representative -> every node of its work, from :func:`version_representatives`."""
    groups: dict[str, list[str]] = defaultdict(list)
    for node, rep in reps.items():
        groups[rep].append(node)
    return dict(groups)


def build_bibliography(
    G: nx.DiGraph,
    nodes: Iterable[Any] | None = None,
    *,
    options: BibOptions | None = None,
    keys_from: str | os.PathLike[str] | None = None,
    header: str | None = None,
    **style_options: Any,
) -> Bibliography:
    """Entries for `nodes` (default: every node), one per work, sorted by year then key.

    A work no version of which has a title gets no entry (BibTeX cannot cite it usefully):
    it is listed in ``untitled`` for the caller to report.

    Keys are assigned over the whole graph so they do not depend on the selection;
    `keys_from` (a .bib file) pins the keys a user already cites, and the keys stored in the
    graph by :func:`stamp_bib_keys` (``bib_key``, written by `implicit-atlas build`) are kept.
    """
    opts = _options(options, style_options)
    reps = version_representatives(G)
    members = version_groups(reps)
    keys = _entry_keys(G, reps, keys_from)

    wanted = list(G.nodes) if nodes is None else list(nodes)
    missing = [n for n in wanted if n not in reps]
    if missing:
        raise AtlasError(
            f"{len(missing)} requested node(s) are not in the graph (e.g. {missing[0]!r}); "
            "rebuild the graph or fix the ids"
        )
    selected_reps = sorted({reps[n] for n in wanted})
    works = {rep: merged_attributes(G, rep, members[rep]) for rep in selected_reps}
    untitled = {rep for rep, attrs in works.items() if not str(attrs.get("title") or "").strip()}
    entries = {
        keys[rep]: node_entry(attrs, keys[rep], opts)
        for rep, attrs in works.items()
        if rep not in untitled
    }

    def order(key: str) -> tuple[int, str]:
        year = entries[key].fields_dict.get("year")
        return (int(year.value) if year else 9999, key)

    blocks: list[Any] = [ImplicitComment(f"% {header}")] if header else []
    blocks += [entries[key] for key in sorted(entries, key=order)]
    return Bibliography(
        library=bibtexparser.Library(blocks),
        key_of_node={n: keys[reps[n]] for n in wanted if reps[n] not in untitled},
        entry_of_key=entries,
        untitled=sorted(n for n in wanted if reps[n] in untitled),
    )


def _entry_keys(
    G: nx.DiGraph,
    reps: Mapping[str, str],
    keys_from: str | os.PathLike[str] | None = None,
    previous: nx.DiGraph | None = None,
) -> dict[str, str]:
    """Representative node -> key: the user's keys first, then the graph's stored keys (or a
    `previous` graph's, matched by node key, then DOI, arXiv id or title), then new ones."""
    pinned: dict[str, str] = {}
    reserved: list[str] = []
    if keys_from is not None:
        cited = read_cited_entries(keys_from)
        reserved = [c.key for c in cited]
        for node, key in match_cited_keys(G, cited).items():
            pinned.setdefault(reps[node], key)
    taken = {key.lower() for key in (*pinned.values(), *reserved)}
    for node, kept in _kept_keys(G, previous).items():
        work = reps.get(node)
        if work is not None and work not in pinned and kept.lower() not in taken:
            pinned[work] = kept
            taken.add(kept.lower())
    return assign_keys(G, set(reps.values()), pinned=pinned, reserved=reserved)


def _kept_keys(G: nx.DiGraph, previous: nx.DiGraph | None) -> dict[str, str]:
    """Node of `G` -> the key it had: its own ``bib_key``, or with `previous`, the key of the
    same node there (same node key, else same DOI, arXiv id or title)."""
    if previous is None:
        return {n: key for n, key in G.nodes(data="bib_key") if _keeps(G, n, key)}
    stored = {n: key for n, key in previous.nodes(data="bib_key") if _usable_key(key)}
    kept = {n: stored[n] for n in G.nodes if n in stored and _keeps(G, n, stored[n])}
    others = [
        CitedEntry(
            key=key,
            doi=normalize_doi(previous.nodes[n].get("doi")),
            arxiv=normalize_arxiv(previous.nodes[n].get("arxiv")),
            title=normalize_title(previous.nodes[n].get("title")),
        )
        for n, key in stored.items()
        if n not in G
    ]
    unmatched = [n for n in G.nodes if n not in kept]
    for node, key in match_cited_keys(G, others, nodes=unmatched).items():
        if _keeps(G, node, key):
            kept.setdefault(node, key)
    return kept


def _keeps(G: nx.DiGraph, node: Any, key: object) -> bool:
    """A stored key is kept unless it is unusable, or an ``anon…`` key of a work that has
    authors now (a version with authors joined it): that work gets an author key."""
    if not _usable_key(key):
        return False
    return not (str(key).startswith("anon") and G.nodes[node].get("authors"))


_KEY_CHARS = re.compile(r"[A-Za-z0-9_:.\-+/]+")


def _usable_key(key: object) -> bool:
    """A stored key BibTeX can read (a hand-edited graph may hold anything)."""
    return isinstance(key, str) and _KEY_CHARS.fullmatch(key) is not None


def stamp_bib_keys(G: nx.DiGraph, previous: nx.DiGraph | None = None) -> None:
    """Store every node's citation key in the graph (``bib_key``), keeping `previous`'s keys.

    `implicit-atlas build` passes the graph it is about to overwrite, so a paper keeps its key
    when the graph grows, even when a namesake that sorts before it arrives, and when it gains
    an identifier (matched by node key, then DOI, arXiv id or title). Both versions of one
    work (a preprint and its venue version) carry the work's key.
    """
    reps = version_representatives(G)
    for node in G.nodes:
        G.nodes[node].pop("bib_key", None)
    keys = _entry_keys(G, reps, previous=previous)
    for node, rep in reps.items():
        G.nodes[node]["bib_key"] = keys[rep]


def bibtex_text(G: nx.DiGraph, nodes: Iterable[str] | None = None, **options: Any) -> str:
    """The BibTeX text of `nodes` (default: every node); options as for build_bibliography."""
    return build_bibliography(G, nodes, **options).text()


def ranked_bibtex_text(G: nx.DiGraph, nodes: Iterable[str], **options: Any) -> str:
    """:func:`bibtex_text` with the entries in the order of `nodes` (a ranking: `related --bib`),
    not by year; versions of one work still share one entry, at its best rank."""
    nodes = list(nodes)
    bib = build_bibliography(G, nodes, **options)
    order = dict.fromkeys(bib.key_of_node[n] for n in nodes)
    return write_library(bibtexparser.Library([bib.entry_of_key[key] for key in order]))


def bibtex_entries_by_node(
    G: nx.DiGraph, nodes: Iterable[Any] | None = None, **style_options: Any
) -> dict[str, str]:
    """Node key -> the BibTeX text of that node's one entry (the map's "copy BibTeX" button).

    Style options: ``style`` ("bibtex"/"biblatex"), ``ascii_only``, ``notes``, ``preprint_as``.
    A preprint node gives its venue version's entry; keys are the same as in `bib` output.
    """
    bib = build_bibliography(G, nodes, **style_options)
    keys = list(bib.entry_of_key)
    # one write for all entries (a write per entry costs ~1 ms); field values hold no
    # control character (see text.clean_text), so NUL cannot occur inside an entry
    whole = write_library(
        bibtexparser.Library([bib.entry_of_key[k] for k in keys]), separator="\x00"
    )
    texts = dict(zip(keys, whole.split("\x00"), strict=True))
    return {node: texts[key] for node, key in bib.key_of_node.items()}


def write_bibliography(
    G: nx.DiGraph,
    out: str | os.PathLike[str] | None = None,
    *,
    selection: Mapping[str, Any] | None = None,
    **options: Any,
) -> Bibliography:
    """Select nodes (keyword arguments of selection.select_nodes), build their bibliography
    and, when `out` is given, write it there atomically. The `bib` command in one call."""
    from .selection import select_nodes

    nodes = select_nodes(G, **(selection or {}))
    built = G.graph.get("built_at") or "an unknown date"
    header = f"implicit-atlas bibliography from the graph built {built}"
    bib = build_bibliography(G, nodes, header=header, **options)
    if out is not None:
        atomic_write_text(Path(out), bib.text(), make_parents=False)
    return bib
