"""Merging an awesome list into `data/curated.toml` without losing hand edits.

The TOML file is edited with tomlkit, which keeps comments, order and formatting; an entry
already in the catalog only gains fields it lacks (a hand-edited value always wins), new entries
are appended, and the result is validated as a whole before it replaces the file atomically.

    >>> report = import_awesome_list("awesome.md", dry_run=True)  # doctest: +SKIP
    >>> print(report.diff)                                          # doctest: +SKIP
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from .awesome import ParsedItem, Problem, parse_awesome_list, skipped_summary
from .catalog import (
    LINK_FIELDS,
    Catalog,
    catalog_from_dict,
    default_catalog_path,
    load_catalog,
    user_catalog_path,
)
from .errors import CatalogError
from .graphio import atomic_write_text
from .identity import identifiers, normalize_title, normalize_url

NEW_CATALOG_HEADER = """\
# A curated list for implicit-atlas, started by `implicit-atlas curate import`.
# One [entry.<key>] table per item; see the README ("The curated list") for the fields.

schema = 1
sections = []
"""

# fields written for a new entry, in this order
_FIELD_ORDER = (
    "title",
    "section",
    "subsection",
    "type",
    "authors",
    "arxiv",
    "doi",
    "url",
    "venue_label",
    "note",
    "repo",
    "docs",
    "website",
    "video",
    "links",
)
_TITLE_TYPO_RATIO = 0.93
"""Titles this alike (difflib ratio) are one work spelt twice ("Input Covex Neural Networks")."""
_TITLE_TYPO_MIN_LENGTH = 20


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do)."""

    target: Path
    added: list[tuple[str, ParsedItem]] = field(default_factory=list)
    updated: list[tuple[str, ParsedItem, list[str]]] = field(default_factory=list)
    unchanged: list[tuple[str, ParsedItem]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    new_sections: list[str] = field(default_factory=list)
    skipped_navigation: int = 0
    diff: str = ""
    written: bool = False


def slugify(title: str) -> str:
    """An entry key from a title: lower-case ASCII words joined by '-', at most six words."""
    words = (normalize_title(title) or "entry").split()
    return "-".join(words[:6])


def _kind(record: dict[str, Any]) -> str:
    return record["type"] if record.get("type") in ("software", "tutorial") else "work"


def _marks(record: dict[str, Any]) -> list[tuple[str, str]]:
    """What identifies an entry: its identifiers, the page the list links it to, then its
    title among works of its kind (a tutorial titled like a paper is not that paper)."""
    # a paper's code, a package's docs: links to other works, which do not identify this one
    marks = list(identifiers({k: v for k, v in record.items() if k not in LINK_FIELDS}).items())
    url = normalize_url(record.get("url"))
    if url and ("url", url) not in marks:
        marks.append(("url", url))
    title = normalize_title(record.get("title"))
    if title:
        marks.append((f"title:{_kind(record)}", title))
    return marks


class _Index:
    """Which catalog entry a parsed item is, by identifier or normalised title."""

    def __init__(self, catalog: Catalog) -> None:
        self._by_mark: dict[tuple[str, str], str] = {}
        self._titles: list[tuple[str, str, str]] = []  # (kind, normalised title, key)
        self.keys = {e.key for e in catalog}
        for e in catalog:
            self.add(e.key, e.record())

    def add(self, key: str, record: dict[str, Any]) -> None:
        self.keys.add(key)
        for mark in _marks(record):
            self._by_mark.setdefault(mark, key)
        title = normalize_title(record.get("title"))
        if title:
            self._titles.append((_kind(record), title, key))

    def find(self, record: dict[str, Any]) -> str | None:
        for mark in _marks(record):
            if mark in self._by_mark:
                return self._by_mark[mark]
        return self._misspelt(record)

    def _misspelt(self, record: dict[str, Any]) -> str | None:
        """The entry whose title this one misspells, when only a typo tells them apart."""
        title = normalize_title(record.get("title"))
        if not title or len(title) < _TITLE_TYPO_MIN_LENGTH:
            return None
        kind = _kind(record)
        for other_kind, other, key in self._titles:
            if other_kind == kind and (
                difflib.SequenceMatcher(None, title, other).ratio() >= _TITLE_TYPO_RATIO
            ):
                return key
        return None

    def new_key(self, title: str) -> str:
        base = slugify(title)
        key, n = base, 2
        while key in self.keys:
            key, n = f"{base}-{n}", n + 1
        return key


def _section_name(heading: str, sections: list[str]) -> str | None:
    for s in sections:
        if s.lower() == heading.lower():
            return s
    return None


def import_awesome_list(
    markdown_path: str | os.PathLike[str],
    *,
    into: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Merge the entries of an awesome-list Markdown file into a curated catalog TOML file.

    Without `into`, the target is ``curated.toml`` in the current folder (see
    :func:`catalog.user_catalog_path`), started from a copy of the bundled list: an installed
    package is never written to.
    """
    md_path = Path(markdown_path)
    target = Path(into) if into is not None else user_catalog_path()
    try:
        markdown = md_path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CatalogError(f"awesome list not found: {md_path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read {md_path} ({exc}); pass a UTF-8 Markdown file") from exc
    if target.exists() and not target.is_file():
        raise CatalogError(f"{target} is not a file; pass a curated TOML file with --into")
    if target.exists():
        catalog = load_catalog(target)  # refuses to merge into a file that is already invalid
        old_text = target.read_text(encoding="utf-8-sig")
    else:  # a new catalog: any awesome list can start an atlas of its own
        if not target.parent.is_dir():
            raise CatalogError(f"cannot create {target}: the folder {target.parent} does not exist")
        catalog = Catalog([], [], target)
        old_text = NEW_CATALOG_HEADER
        if into is None:  # the user's own list starts as the bundled one
            old_text = default_catalog_path().read_text(encoding="utf-8-sig")
            catalog = catalog_from_dict(tomllib.loads(old_text), target)
    try:
        doc = tomlkit.parse(old_text)
    except TOMLKitError as exc:
        raise CatalogError(f"{target}: malformed TOML: {exc}") from exc

    parsed = parse_awesome_list(markdown)
    if not parsed.items and not parsed.problems:  # (a list whose items all failed is
        # reported item by item below)
        raise CatalogError(
            f"{md_path} holds no list item to import; an awesome list is headings (the "
            "sections) with items like `- [Title](https://arxiv.org/abs/...)` under them; "
            "nothing written"
        )
    report = ImportReport(
        target=target,
        problems=parsed.problems,
        skipped=parsed.skipped,
        skipped_navigation=parsed.skipped_navigation,
    )
    index = _Index(catalog)
    sections = doc["sections"]
    entries = doc.setdefault("entry", tomlkit.table(is_super_table=True))
    for item in parsed.items:
        if item.warning:
            report.warnings.append((item.line, item.warning))
        record = {"title": item.title, **item.fields}
        key = index.find(record)
        if key is None:
            section = _section_name(item.section, list(sections))
            if section is None:
                sections.append(item.section)
                report.new_sections.append(item.section)
                section = item.section
            key = index.new_key(item.title or "entry")
            table = tomlkit.table()
            values = {
                "title": item.title,
                "section": section,
                "subsection": item.subsection,
                **item.fields,
            }
            if values.get("type") == "paper":
                values.pop("type")
            for name in _FIELD_ORDER:
                if values.get(name):
                    table[name] = values[name]
            entries[key] = table
            index.add(key, {**record, "section": section})
            report.added.append((key, item))
        else:
            table = entries[key]
            gained = []
            for name in _FIELD_ORDER:
                if name in ("section", "title"):
                    continue
                value = item.subsection if name == "subsection" else item.fields.get(name)
                if value and name not in table and not (name == "type" and value == "paper"):
                    table[name] = value
                    gained.append(name)
            if gained:
                report.updated.append((key, item, gained))
            else:
                report.unchanged.append((key, item))

    new_text = tomlkit.dumps(doc)
    try:
        catalog_from_dict(tomllib.loads(new_text), target)
    except (CatalogError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(
            f"the import would make {target} invalid, nothing written: {exc}"
        ) from exc
    report.diff = "".join(
        difflib.unified_diff(
            old_text.splitlines(keepends=True),
            new_text.splitlines(keepends=True),
            fromfile=str(target),
            tofile=f"{target} (after import)",
        )
    )
    if not dry_run and new_text != old_text:
        atomic_write_text(target, new_text)
        report.written = True
    return report


def format_import_report(report: ImportReport) -> str:
    """The report `implicit-atlas curate import` prints."""
    out = []
    for key, item in report.added:
        out.append(f"added   [entry.{key}] {item.title} ({item.section}, line {item.line})")
    for key, item, gained in report.updated:
        out.append(f"updated [entry.{key}] {item.title}: + {', '.join(gained)} (line {item.line})")
    for line, warning in report.warnings:
        out.append(f"warning line {line}: {warning}")
    for p in report.problems:
        out.append(f"skipped line {p.line}: {p.reason}: {_short(p.text)}")
    for p in report.skipped:
        if p.reason in ("paragraph with a link", "commented out"):
            out.append(f"skipped line {p.line}: {p.reason}, not a list item: {_short(p.text)}")
    if report.skipped:
        out.append("not entries: " + "; ".join(skipped_summary(report.skipped)))
    if report.new_sections:
        out.append("new sections: " + ", ".join(report.new_sections))
    verb = "wrote" if report.written else ("would write" if report.diff else "no change to")
    out.append(
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} already present, {len(report.problems)} not entries; "
        f"{verb} {report.target}"
    )
    return "\n".join(out)


def _short(text: str, limit: int = 70) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
