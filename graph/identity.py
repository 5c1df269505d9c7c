"""Paper identity: normalising identifiers and deciding when two records are the same paper.

The same paper reaches us as an arXiv preprint, a venue version with a DOI, a Semantic Scholar
record and a title-only reference in somebody's bibliography. Identity decides whether the graph
is right, so the rules live here, in one place:

- two records are the same paper when an identifier they both have agrees
  (S2 paperId, CorpusId, arXiv id, DOI, repository URL);
- when they share no identifier, an exact normalised-title match merges them, provided the years
  (when both are known) are within one of each other and the author lists (when both are known)
  share the first author or two surnames — which keeps LeCun 2015 "Deep learning" apart from
  Goodfellow 2016 "Deep Learning";
- two records whose arXiv ids (or DOIs) differ are never merged by title.

    >>> normalize_arxiv("https://arxiv.org/pdf/1806.07366v5.pdf")
    '1806.07366'
    >>> normalize_doi("https://doi.org/10.1137/20M1358517")
    '10.1137/20m1358517'
    >>> normalize_title("OptNet: Differentiable   Optimization as a Layer")
    'optnet differentiable optimization as a layer'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

# identifier fields of a record, in the order node keys prefer them
ID_FIELDS = ("arxiv", "doi", "s2_id", "corpus_id", "repo", "url")

_NEW_ARXIV = re.compile(r"^(\d{4}\.\d{4,5})(v\d+)?$")
_OLD_ARXIV = re.compile(r"^([a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?$", re.IGNORECASE)
_ARXIV_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/(.+?)(?:\.pdf)?/?$",
    re.IGNORECASE,
)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX = re.compile(r"^(?:https?://)?(?:dx\.)?doi\.org/|^doi:\s*", re.IGNORECASE)
_S2_ID = re.compile(r"^[0-9a-f]{40}$")
_GITHUB = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/([^/\s#?]+)/([^/\s#?]+)", re.IGNORECASE)


def normalize_arxiv(value: str | None) -> str | None:
    """The bare arXiv id (no version, no URL, no `arXiv:` prefix), or None if `value` is not one.

    Accepts new-style ids (`1806.07366`, `2401.01234v2`), old-style ids (`math/0501001`), and
    abs/pdf URLs with or without version and `.pdf`.
    """
    if not value:
        return None
    text = str(value).strip()
    url = _ARXIV_URL.match(text)
    if url:
        text = url.group(1)
    text = re.sub(r"^arxiv:\s*", "", text, flags=re.IGNORECASE)
    m = _NEW_ARXIV.match(text)
    if m:
        return m.group(1)
    m = _OLD_ARXIV.match(text)
    if m:
        return m.group(1).lower()
    return None


def normalize_doi(value: str | None) -> str | None:
    """The lower-cased DOI without `https://doi.org/` or `doi:` prefix, or None if not a DOI."""
    if not value:
        return None
    text = _DOI_PREFIX.sub("", str(value).strip()).strip().rstrip(".")
    text = text.lower()
    return text if _DOI.match(text) else None


def normalize_s2_id(value: str | None) -> str | None:
    """A 40-hex Semantic Scholar paperId (lower-case), or None."""
    if not value:
        return None
    text = str(value).strip().lower()
    return text if _S2_ID.match(text) else None


def normalize_repo(value: str | None) -> str | None:
    """`github.com/owner/name` for a GitHub repository URL (lower-case), else None."""
    if not value:
        return None
    m = _GITHUB.match(str(value).strip())
    if not m:
        return None
    name = m.group(2)
    if name.endswith(".git"):
        name = name[:-4]
    return f"github.com/{m.group(1)}/{name}".lower()


def normalize_url(value: str | None) -> str | None:
    """A URL without scheme, `www.` and trailing slash (so http/https variants agree)."""
    if not value:
        return None
    text = str(value).strip()
    text = re.sub(r"^https?://", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^www\.", "", text, flags=re.IGNORECASE)
    return text.rstrip("/") or None


def normalize_title(title: str | None) -> str | None:
    """Lower-case ASCII words of a title; punctuation and LaTeX braces collapse to one space."""
    if not title:
        return None
    text = unicodedata.normalize("NFKD", str(title)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    return text or None


def surname(name: str) -> str:
    """An author's surname in lower-case ASCII ("J. Zico Kolter", "Kolter, J. Zico" -> "kolter")."""
    part = name.split(",")[0] if "," in name else name
    words = (normalize_title(part) or "").split()
    return words[-1] if words else ""


def identifiers(record: Mapping[str, Any]) -> dict[str, str]:
    """The normalised identifiers a record carries, as {field: value}."""
    found: dict[str, str] = {}
    arxiv = normalize_arxiv(record.get("arxiv"))
    if arxiv:
        found["arxiv"] = arxiv
    doi = normalize_doi(record.get("doi"))
    if doi:
        found["doi"] = doi
    s2 = normalize_s2_id(record.get("s2_id"))
    if s2:
        found["s2_id"] = s2
    corpus = record.get("corpus_id")
    if corpus not in (None, ""):
        found["corpus_id"] = str(corpus)
    repo = normalize_repo(record.get("repo") or record.get("url"))
    if repo:
        found["repo"] = repo
    elif record.get("url") and not found:
        # a landing page identifies a work only when nothing stronger does (sciencedirect, a talk)
        url = normalize_url(record.get("url"))
        if url:
            found["url"] = url
    return found


def _surnames(authors: Iterable[str] | None) -> set[str]:
    return {s for s in (surname(a) for a in authors or ()) if s and s not in {"al", "others"}}


def authors_compatible(a: list[str] | None, b: list[str] | None) -> bool:
    """Author lists that may belong to one paper: same first-author surname, or two shared surnames.

    Unknown lists (empty or "et al." only) are compatible with anything. Sharing a single
    co-author is not enough: LeCun, Bengio, Hinton 2015 and Goodfellow, Bengio, Courville 2016
    are two different "Deep learning" works.
    """
    sa, sb = _surnames(a), _surnames(b)
    if not sa or not sb:
        return True
    first_a, first_b = surname(list(a or [])[0]), surname(list(b or [])[0])
    return first_a == first_b or len(sa & sb) >= 2


def titles_compatible(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two records with the same normalised title may be the same paper.

    Years within one (when both known), some shared author surname (when both have authors),
    and no conflicting arXiv id or DOI.
    """
    ya, yb = a.get("year"), b.get("year")
    if ya and yb and abs(int(ya) - int(yb)) > 1:
        return False
    if not authors_compatible(a.get("authors"), b.get("authors")):
        return False
    ia, ib = identifiers(a), identifiers(b)
    for field in ("arxiv", "doi", "s2_id"):
        if field in ia and field in ib and ia[field] != ib[field]:
            # a preprint and its venue version share a title but not a DOI; an arXiv id differs
            # only for distinct works, so arXiv and S2 conflicts veto, DOI conflicts do not
            # when an arXiv DOI (10.48550) is on one side.
            if field == "doi" and (
                ia[field].startswith("10.48550/") or ib[field].startswith("10.48550/")
            ):
                continue
            return False
    return True


def node_key(record: Mapping[str, Any], fallback: str | None = None) -> str:
    """The stable string key a record gets as a graph node (see graph/schema.py for the order)."""
    return node_key_from_ids(identifiers(record), record.get("title"), fallback)


_KEY_PREFIXES = (
    ("arxiv", "arXiv:"),
    ("doi", "doi:"),
    ("s2_id", "s2:"),
    ("corpus_id", "corpus:"),
    ("repo", "repo:"),
    ("url", "url:"),
)


def node_key_from_ids(
    ids: Mapping[str, str], title: str | None, fallback: str | None = None
) -> str:
    """`node_key` from already normalised identifiers (the registry keeps them per record)."""
    for field, prefix in _KEY_PREFIXES:
        if field in ids:
            return prefix + ids[field]
    if fallback:
        return fallback
    normalised = normalize_title(title)
    if normalised:
        return f"title:{normalised}"
    raise ValueError("a record needs an identifier or a title to become a node")


def parse_identifier(text: str) -> tuple[str, str] | None:
    """What kind of identifier `text` is: (field, normalised value), field as in ID_FIELDS.

    Accepts node keys (`arXiv:…`, `doi:…`, `s2:…`, `corpus:…`, `repo:…`), S2's own prefixes
    (`ARXIV:`, `DOI:`, `CorpusId:`) and page URLs, bare ids, arXiv DOIs (as the arXiv id) and
    URLs. Returns None for anything else (e.g. a title fragment or a plain web page). Every form
    is in :func:`implicit_atlas.graph.idforms.identifier_forms`.
    """
    from .idforms import identifier_forms  # idforms builds on this module's normalisers

    forms = [form for form in identifier_forms(text) if form[0] != "url"]
    return forms[0] if forms else None
