"""Citation keys: ``chen2018neural``, deterministic, unique, ASCII, and the user's own when known.

A key is the first author's surname, the year and the first significant title word. Keys are
assigned over the whole graph (never over one selection), so exporting a section or the full
list gives a paper the same key. Clashes get ``a``, ``b``, …: curated papers first, so a curated
paper's key never moves when the graph grows, then in node-key order (arXiv ids sort by date,
so an older paper keeps the bare key when a newer namesake arrives). `build` also stores the
keys in the graph (``bibtex.stamp_bib_keys``) and keeps them when it rebuilds, so no key
moves as the graph grows.

A user who already cites papers with other keys passes their ``.bib`` file: entries matched by
DOI, then arXiv id, then normalised title keep the user's key.

    >>> key_base({"authors": ["Ricky T. Q. Chen"], "year": 2018,
    ...           "title": "Neural Ordinary Differential Equations"})
    'chen2018neural'
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bibtexparser
import networkx as nx

from .errors import AtlasError
from .identity import normalize_arxiv, normalize_doi, normalize_title
from .latex import author_list, decode_latex, parse_name


class KeysFileError(AtlasError, ValueError):
    """A ``--keys-from`` file cannot be read as BibTeX."""


STOPWORDS = frozenset(
    """a an the on of in for to and or with via towards toward from by is are be do does what
    how when why at as into over under using beyond its it their we our your can not no""".split()
)

_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o",
                       "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i"})  # fmt: skip


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits only ("Müller-Łukasz" -> "mullerlukasz")."""
    if not text.isascii():  # (an ASCII text has nothing to fold: most names and words)
        folded = unicodedata.normalize("NFKD", text.translate(_FOLD))
        text = folded.encode("ascii", "ignore").decode()
    return _NOT_KEY_CHARACTERS.sub("", text.lower())


_NOT_KEY_CHARACTERS = re.compile(r"[^a-z0-9]+")
_TITLE_WORD_BREAK = re.compile(r"[\s\-/:–—]+")


_REPO_OWNER = re.compile(r"github\.com/([^/\s]+)/", re.IGNORECASE)


def _author_part(authors: object, url: str | None = None) -> str:
    """The first author's surname, else a repository's owner (software), else "anon"."""
    for name in author_list(authors):
        parts = parse_name(name)
        if parts is None:
            continue
        if parts.corporate:
            words = [ascii_fold(w) for w in parts.last.split()]
            words = [w for w in words if w and w not in STOPWORDS]
            if words:
                return words[0]
            continue
        folded = ascii_fold(f"{parts.von}{parts.last}")
        if folded:
            return folded
    owner = _REPO_OWNER.search(url or "")
    return ascii_fold(owner.group(1)) or "anon" if owner else "anon"


def _title_word(title: str | None) -> str:
    for word in _TITLE_WORD_BREAK.split(title or ""):
        folded = ascii_fold(word)
        if folded and folded not in STOPWORDS:
            return folded
    return ""


def key_base(attrs: Mapping[str, Any]) -> str:
    """The unsuffixed key of a node: surname + year + first significant title word."""
    year = attrs.get("year")
    year_part = str(year) if isinstance(year, int) and not isinstance(year, bool) else ""
    if isinstance(year, str) and year.strip().isdigit():
        year_part = year.strip()
    author = _author_part(attrs.get("authors"), attrs.get("url"))
    return f"{author}{year_part}{_title_word(attrs.get('title'))}"


def _suffixes() -> Iterator[str]:
    yield ""
    for length in itertools.count(1):
        for letters in itertools.product("abcdefghijklmnopqrstuvwxyz", repeat=length):
            yield "".join(letters)


def assign_keys(
    G: nx.DiGraph,
    nodes: Iterable[str] | None = None,
    *,
    pinned: Mapping[str, str] | None = None,
    reserved: Iterable[str] = (),
) -> dict[str, str]:
    """Citation key of every node in `nodes` (default: all of `G`).

    `pinned` keys (node -> key, from the user's file) are kept as they are; generated keys
    avoid them and every key in `reserved`.
    """
    pinned = dict(pinned or {})
    # BibTeX compares keys without case: "Smith2020deep" and "smith2020deep" clash
    taken = {key.lower() for key in (*pinned.values(), *reserved)}
    by_base: dict[str, list[str]] = defaultdict(list)
    # curated papers first: their keys never move when the graph grows (an S2 expansion adds
    # only uncurated papers), then node-key order (arXiv ids sort by date)
    order = sorted(
        G.nodes if nodes is None else nodes, key=lambda n: (not G.nodes[n].get("curated"), n)
    )
    for node in order:
        if node not in pinned:
            by_base[key_base(G.nodes[node])].append(node)
    keys = dict(pinned)
    for base in sorted(by_base):
        suffixes = _suffixes()
        for node in by_base[base]:
            candidate = base + next(suffixes)
            while candidate.lower() in taken:
                candidate = base + next(suffixes)
            keys[node] = candidate
            taken.add(candidate.lower())
    return keys


# --- keys a user already cites -------------------------------------------------------------


@dataclass(frozen=True)
class CitedEntry:
    """What identifies one entry of a user's .bib file."""

    key: str
    doi: str | None
    arxiv: str | None
    title: str | None


_ARXIV_IN_TEXT = re.compile(
    r"arxiv[:\s/.]*(?:abs/)?(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})", re.I
)


def _arxiv_of(fields: Mapping[str, str]) -> str | None:
    eprint = normalize_arxiv(fields.get("eprint"))
    if eprint:
        return eprint
    for name in ("journal", "url", "howpublished", "note", "doi"):
        m = _ARXIV_IN_TEXT.search(fields.get(name, "") or "")
        if m:
            return normalize_arxiv(m.group(1))
    return None


def read_cited_entries(
    path: str | os.PathLike[str], option: str = "--keys-from"
) -> list[CitedEntry]:
    """The entries of a user's .bib file with their DOI, arXiv id and normalised title.

    ``option`` names the command-line option the file came from, for error messages.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeysFileError(
            f"cannot read {option} file {p} ({exc}); pass a UTF-8 .bib file"
        ) from exc
    with _quiet_parser():
        library = bibtexparser.parse_string(text)
    entries = []
    for entry in library.entries:
        fields = {f.key.lower(): str(f.value) for f in entry.fields}
        title = fields.get("title")
        entries.append(
            CitedEntry(
                key=entry.key,
                doi=normalize_doi(fields.get("doi")),
                arxiv=_arxiv_of(fields),
                title=normalize_title(decode_latex(title)) if title else None,
            )
        )
    if not entries and library.failed_blocks:
        start = library.failed_blocks[0].start_line
        where = f", the first on line {start + 1}" if start is not None else ""
        raise KeysFileError(
            f"{option} file {p} has no readable BibTeX entry "
            f"({len(library.failed_blocks)} blocks failed to parse{where}); check its syntax"
        )
    if not entries:
        raise KeysFileError(
            f"{option} file {p} holds no BibTeX entry; pass the .bib file whose keys you cite"
        )
    return entries


@contextlib.contextmanager
def _quiet_parser() -> Iterator[None]:
    """Keep bibtexparser's own log lines off the terminal: the error we raise says it once."""
    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def match_cited_keys(
    G: nx.DiGraph, cited: Iterable[CitedEntry], nodes: Iterable[str] | None = None
) -> dict[str, str]:
    """Node -> the user's key, matching by DOI, then arXiv id, then normalised title.

    The ids and titles of a node's other versions (``versions``, see graph/resolve.py) match
    too: a user citing the preprint's title finds the work. A user key is given to one node
    only; a node matched twice keeps the first entry's key.
    """
    by_doi: dict[str, str] = {}
    by_arxiv: dict[str, str] = {}
    by_title: dict[str, list[str]] = defaultdict(list)
    for node in sorted(G.nodes if nodes is None else nodes):
        attrs = G.nodes[node]
        records = [attrs, *(v for v in attrs.get("versions") or () if isinstance(v, dict))]
        titles: list[str] = []
        for record in records:
            doi = normalize_doi(record.get("doi"))
            arxiv = normalize_arxiv(record.get("arxiv"))
            title = normalize_title(record.get("title"))
            if doi:
                by_doi.setdefault(doi, node)
            if arxiv:
                by_arxiv.setdefault(arxiv, node)
            if title and title not in titles:
                titles.append(title)
                by_title[title].append(node)
    matched: dict[str, str] = {}
    for entry in cited:
        node = None
        if entry.doi:
            node = by_doi.get(entry.doi)
        if node is None and entry.arxiv:
            node = by_arxiv.get(entry.arxiv)
        if node is None and entry.title and len(by_title.get(entry.title, [])) == 1:
            node = by_title[entry.title][0]
        if node is not None and node not in matched:
            matched[node] = entry.key
    return matched
