"""The curated catalog: `data/curated.toml`, the awesome list of the field as hand-editable facts.

One table per entry under ``[entry.<key>]``; the list's sections, in order, in ``sections``:

.. code-block:: toml

    sections = ["Neural Differential Equations", "Software and Libraries"]

    [entry.neural-ode]
    title = "Neural Ordinary Differential Equations"
    section = "Neural Differential Equations"
    arxiv = "1806.07366"
    venue_label = "NeurIPS18"      # venue and year are derived from it when not given
    note = "best paper award"

    [entry.torchdyn]
    title = "torchdyn"
    section = "Software and Libraries"
    subsection = "Neural ODEs"     # the headings below the section, joined by " / "
    type = "software"
    url = "https://github.com/diffeqml/torchdyn"
    docs = "https://torchdyn.readthedocs.io/"   # further links: repo, docs, website, video
    note = "PyTorch library for all things neural differential equations."
    implements = ["dissecting-neural-odes"]  # entry keys or identifiers of the papers it implements

    >>> catalog = load_catalog()                    # the bundled list
    >>> catalog.entry("neural-ode").arxiv
    '1806.07366'
"""

from __future__ import annotations

import importlib.resources
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CatalogError
from .identity import identifiers, normalize_title, parse_identifier
from .schema import NODE_TYPES
from .venues import parse_venue_label

ENTRY_FIELDS = {
    "title": str,
    "section": str,
    "type": str,
    "authors": list,
    "year": int,
    "venue": str,
    "venue_label": str,
    "note": str,
    "subsection": str,
    "arxiv": str,
    "doi": str,
    "s2_id": str,
    "url": str,
    "degree": str,
    "implements": list,
    "links": list,
    "repo": str,
    "docs": str,
    "website": str,
    "video": str,
}
LINK_FIELDS = ("repo", "docs", "website", "video")
"""Further links of an entry by kind (a paper's code, a package's docs, a talk's video);
`url` stays the main link and `links` holds the rest."""
_KIND_WORD = re.compile(r"\s+(?:tutorial|talk|keynote|workshop|lecture)s?$", re.I)
_LABEL_STEM = re.compile(r"^([A-Za-z][A-Za-z&.]*\s?\d{2,4})\b")
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


@dataclass
class CuratedEntry:
    """One item of the awesome list: a paper, thesis, software package or tutorial."""

    key: str
    title: str | None
    section: str
    type: str = "paper"
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    venue: str | None = None
    venue_label: str | None = None
    note: str | None = None
    arxiv: str | None = None
    doi: str | None = None
    s2_id: str | None = None
    url: str | None = None
    degree: str | None = None
    implements: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    subsection: str | None = None
    repo: str | None = None
    docs: str | None = None
    website: str | None = None
    video: str | None = None

    def kind_links(self) -> dict[str, str]:
        """The further links by kind, in :data:`LINK_FIELDS` order."""
        return {k: v for k in LINK_FIELDS if (v := getattr(self, k))}

    def record(self) -> dict[str, Any]:
        """The entry as a paper record for the registry (see graph/schema.py)."""
        rec: dict[str, Any] = {
            "title": self.title,
            "authors": list(self.authors),
            "year": self.year,
            "venue": self.venue,
            "type": self.type,
            "degree": self.degree,
            "arxiv": self.arxiv,
            "doi": self.doi,
            "s2_id": self.s2_id,
            "url": self.url,
            "curated": True,
            "curated_key": self.key,
            "section": self.section,
            "venue_label": self.venue_label,
            "note": self.note,
        }
        if self.links:
            rec["links"] = list(self.links)
        if self.subsection:
            rec["subsection"] = self.subsection
        return rec


@dataclass
class Catalog:
    """The curated list: its sections in order and its entries in file order."""

    sections: list[str]
    entries: list[CuratedEntry]
    path: Path | None = None

    def __iter__(self) -> Iterator[CuratedEntry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def entry(self, key: str) -> CuratedEntry:
        for e in self.entries:
            if e.key == key:
                return e
        raise KeyError(key)

    def in_section(self, section: str) -> list[CuratedEntry]:
        return [e for e in self.entries if e.section == section]

    def subsections(self, section: str) -> list[str]:
        """The subsections of `section` in the order the file first uses them."""
        return list(dict.fromkeys(e.subsection for e in self.in_section(section) if e.subsection))

    def grouped(self, section: str) -> list[tuple[str | None, list[CuratedEntry]]]:
        """`section`'s entries grouped by subsection: those directly in it first."""
        entries = self.in_section(section)
        groups: list[tuple[str | None, list[CuratedEntry]]] = [
            (None, [e for e in entries if not e.subsection])
        ]
        for sub in self.subsections(section):
            groups.append((sub, [e for e in entries if e.subsection == sub]))
        return [(s, es) for s, es in groups if es]

    def resolve_reference(self, ref: str) -> CuratedEntry | None:
        """The entry an `implements` item names: an entry key or one of its identifiers."""
        for e in self.entries:
            if e.key == ref:
                return e
        parsed = parse_identifier(ref)
        if parsed is None:
            return None
        for e in self.entries:
            if identifiers(e.record()).get(parsed[0]) == parsed[1]:
                return e
        return None


def label_venue(label: str | None) -> Any:
    """The venue a list's label names: the whole label ("NeurIPS18"), else its venue and year
    before a kind of event or a suffix ("NeurIPS20 Tutorial", "POPL2021-LAFI").

    >>> label_venue("POPL2021-LAFI").short, label_venue("NeurIPS20 Tutorial").year
    ('POPL', 2020)
    """
    if not label:
        return None
    found = parse_venue_label(label) or parse_venue_label(_KIND_WORD.sub("", label.strip()))
    if found is None:
        stem = _LABEL_STEM.match(label.strip())
        found = parse_venue_label(stem.group(1)) if stem else None
    return found


def default_catalog_path() -> Path:
    """The bundled `data/curated.toml` (works installed or from a checkout)."""
    return Path(str(importlib.resources.files("implicit_atlas.data").joinpath("curated.toml")))


USER_CATALOG_NAME = "curated.toml"
BUNDLED_CATALOG = "bundled"
"""How a graph file names the bundled catalog it was built from (``meta.catalog``)."""


def user_catalog_path() -> Path:
    """Where `curate import` writes without ``--into``: ``curated.toml`` in the current folder
    (relative, so messages show it as typed), never the installed package's own file."""
    return Path(USER_CATALOG_NAME)


def catalog_label(path: str | os.PathLike[str] | None) -> str | None:
    """How a graph file records its catalog without an absolute path: ``"bundled"`` for the
    bundled list, else the path relative to the current folder when it is under it, else the
    file name alone (a graph file moves between machines; a home folder is nobody's business).

    >>> catalog_label(default_catalog_path())
    'bundled'
    >>> catalog_label("/somewhere/else/my-list.toml")
    'my-list.toml'
    """
    if path is None:
        return None
    p = Path(path).resolve()
    if p == default_catalog_path().resolve():
        return BUNDLED_CATALOG
    try:
        return p.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.name


def catalog_from_label(label: str | None) -> Path | None:
    """The catalog file a graph's ``meta.catalog`` names, if it can be found from here (None:
    use the bundled one)."""
    if not label or label == BUNDLED_CATALOG:
        return None
    p = Path(label)
    return p if p.is_file() else None


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """Read and validate a curated catalog; raise CatalogError saying what and where to fix."""
    p = Path(path) if path is not None else default_catalog_path()
    try:
        text = p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError(f"curated list not found: {p} (pass --curated PATH)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read curated list {p}: {exc}") from exc
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{p}: malformed TOML: {exc}") from exc
    return catalog_from_dict(doc, p)


def _line_of(text: str | None, key: str) -> str:
    if not text:
        return ""
    for i, line in enumerate(text.splitlines(), 1):
        if re.match(rf"^\s*\[\s*entry\.(\"?){re.escape(key)}\1\s*\]", line):
            return f":{i}"
    return ""


def catalog_from_dict(doc: Mapping[str, Any], path: Path | None = None) -> Catalog:
    """Validate a parsed TOML document into a Catalog."""
    where = str(path) if path else "curated list"
    text = None
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            text = None
    sections = doc.get("sections")
    if not isinstance(sections, list) or not all(isinstance(s, str) for s in sections):
        raise CatalogError(
            f'{where}: needs a top-level `sections = ["…", …]` list naming the list\'s sections'
        )
    raw_entries = doc.get("entry", {})
    if not isinstance(raw_entries, dict):
        raise CatalogError(f"{where}: entries must be tables named [entry.<key>]")
    unknown_top = set(doc) - {"sections", "entry", "schema", "title", "description"}
    if unknown_top:
        raise CatalogError(
            f"{where}: unknown top-level key(s) {sorted(unknown_top)}; "
            "entries go in [entry.<key>] tables"
        )
    entries: list[CuratedEntry] = []
    for key, raw in raw_entries.items():
        loc = f"{where}{_line_of(text, key)} [entry.{key}]"
        entries.append(_entry_from_table(key, raw, sections, loc))
    _check_duplicates(entries, where)
    catalog = Catalog(list(sections), entries, path)
    for e in entries:
        for ref in e.implements:
            if catalog.resolve_reference(ref) is None:
                raise CatalogError(
                    f"{where} [entry.{e.key}]: implements {ref!r}, which is not an entry key or "
                    "identifier of any entry in the list"
                )
    return catalog


def _entry_from_table(key: str, raw: Any, sections: list[str], loc: str) -> CuratedEntry:
    if not isinstance(raw, dict):
        raise CatalogError(f"{loc}: must be a table of fields")
    if not _KEY.match(key):
        raise CatalogError(f"{loc}: entry keys use letters, digits, '-', '_' and '.' only")
    unknown = set(raw) - set(ENTRY_FIELDS)
    if unknown:
        raise CatalogError(
            f"{loc}: unknown field(s) {sorted(unknown)}; known fields: {', '.join(ENTRY_FIELDS)}"
        )
    for name, typ in ENTRY_FIELDS.items():
        if name in raw and not isinstance(raw[name], typ):
            raise CatalogError(f"{loc}: `{name}` must be a {typ.__name__}, got {raw[name]!r}")
    for name in ("authors", "implements", "links"):
        if not all(isinstance(x, str) for x in raw.get(name, [])):
            raise CatalogError(f"{loc}: `{name}` must be a list of strings")
    section = raw.get("section")
    if section is None:
        raise CatalogError(f"{loc}: missing `section` (one of: {', '.join(sections)})")
    if section not in sections:
        raise CatalogError(
            f"{loc}: unknown section {section!r}; known sections: {', '.join(sections)} "
            "(add it to `sections` first)"
        )
    typ = raw.get("type", "paper")
    if typ not in NODE_TYPES:
        raise CatalogError(f"{loc}: unknown type {typ!r}; use one of {', '.join(NODE_TYPES)}")
    entry = CuratedEntry(key=key, title=raw.get("title"), section=section, type=typ)
    for name in ENTRY_FIELDS:
        if name in raw and name not in ("section", "type"):
            setattr(entry, name, raw[name])
    if raw.get("arxiv") and not identifiers({"arxiv": raw["arxiv"]}):
        raise CatalogError(f"{loc}: `arxiv` = {raw['arxiv']!r} is not an arXiv id")
    if raw.get("doi") and not identifiers({"doi": raw["doi"]}):
        raise CatalogError(f"{loc}: `doi` = {raw['doi']!r} is not a DOI (10.xxxx/…)")
    if entry.venue_label:
        label = label_venue(entry.venue_label)
        if label is not None:
            if entry.venue is None and label.kind != "preprint":
                entry.venue = label.short
            if entry.year is None and label.year is not None:
                entry.year = label.year
    if not normalize_title(entry.title) and not identifiers(entry.record()):
        raise CatalogError(f"{loc}: has neither a title nor an identifier (arxiv, doi, s2_id, url)")
    return entry


def _check_duplicates(entries: list[CuratedEntry], where: str) -> None:
    seen: dict[tuple[str, str], str] = {}
    for e in entries:
        marks = [(f, v) for f, v in identifiers(e.record()).items()]
        title = normalize_title(e.title)
        if title and e.type not in ("software", "tutorial"):
            marks.append(("title", title))
        for mark in marks:
            if mark in seen:
                raise CatalogError(
                    f"{where}: entries [entry.{seen[mark]}] and [entry.{e.key}] are the same "
                    f"paper (same {mark[0]} {mark[1]!r}); keep one"
                )
            seen[mark] = e.key
