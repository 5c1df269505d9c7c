"""Paper identity: normalising identifiers and deciding when two records are the same paper.

The same paper reaches us as an arXiv preprint, a venue version with a DOI, a Semantic Scholar
record and a title-only reference in somebody's bibliography. Identity decides whether the graph
is right, so the rules live here, in one place:

- two records are the same paper when an identifier they both have agrees
  (S2 paperId, CorpusId, arXiv id, DOI, repository URL);
- when they share no identifier, :func:`same_work` compares titles (subtitles, retitling,
  typos, containment), authors and years; different Semantic Scholar paperIds, or an arXiv DOI
  beside a publisher DOI, do not keep two versions apart — which keeps LeCun 2015 "Deep
  learning" apart from Goodfellow 2016 "Deep Learning" is their author lists;
- two records whose arXiv ids (or publisher DOIs) differ are never merged by title.

The rules are described for users in docs/identity.md; graph/resolve.py applies them to a
whole graph by blocking.

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
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from .venues import short_venue

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
_ARXIV_PREFIX = re.compile(r"^arxiv:\s*", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_GITHUB = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/([^/\s#?]+)/([^/\s#?]+)", re.IGNORECASE)


def normalize_arxiv(value: str | None) -> str | None:
    """The bare arXiv id (no version, no URL, no `arXiv:` prefix), or None if `value` is not one.

    Accepts new-style ids (`1806.07366`, `2401.01234v2`), old-style ids (`math/0501001`), and
    abs/pdf URLs with or without version and `.pdf`.
    """
    if not value:
        return None
    text = str(value).strip()
    bare = _NEW_ARXIV.match(text)  # (as Semantic Scholar gives them: no URL, no prefix)
    if bare:
        return bare.group(1)
    url = _ARXIV_URL.match(text)
    if url:
        text = url.group(1)
    text = _ARXIV_PREFIX.sub("", text)
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
    text = str(value).strip()
    if not text.startswith("10."):  # (a bare DOI has no prefix to take off)
        text = _DOI_PREFIX.sub("", text)
    text = text.strip().rstrip(".")
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
    text = str(title)
    if not text.isascii():  # (an ASCII text is its own NFKD form: most titles and names)
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = _NOT_WORD.sub(" ", text.lower()).strip()
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
    return ids_conflict(identifiers(a), identifiers(b)) is None


def ids_conflict(ia: Mapping[str, str], ib: Mapping[str, str]) -> str | None:
    """Why two records' identifiers say they are different works, or None.

    Different arXiv ids veto, and so do two different publisher DOIs. Different Semantic
    Scholar paperIds do not: S2 often holds a preprint and its venue version as two records,
    and an arXiv DOI (10.48550/…) beside a publisher DOI is the same situation.
    """
    if "arxiv" in ia and "arxiv" in ib and ia["arxiv"] != ib["arxiv"]:
        return "different arXiv ids"
    da, db = ia.get("doi"), ib.get("doi")
    if da and db and da != db and not (_is_arxiv_doi(da) or _is_arxiv_doi(db)):
        return "different DOIs"
    return None


def _is_arxiv_doi(doi: str) -> bool:
    return doi.startswith("10.48550/")


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


# --- one work or two: the pairwise rule ---------------------------------------------------------

# abbreviations a title is written with or without ("Latent ODEs" / "Latent ordinary
# differential equations"); compared in their long form
_TITLE_EXPANSIONS = {
    "ode": "ordinary differential equation",
    "odes": "ordinary differential equations",
    "sde": "stochastic differential equation",
    "sdes": "stochastic differential equations",
    "pde": "partial differential equation",
    "pdes": "partial differential equations",
    "cde": "controlled differential equation",
    "cdes": "controlled differential equations",
    "deq": "deep equilibrium model",
    "deqs": "deep equilibrium models",
}
# words that mark a version or a medium, not a different work
_NOISE = re.compile(
    r"\b(?:(?:1st|2nd|3rd|\d+th|first|second|third|fourth|fifth|revised|corr|corrected)\s+)?"
    r"(?:edition|edn|printing)\b|\b(?:longer|extended|full|short)\s+version\b|"
    r"\bextended abstract\b|\btutorial\b"
)
# a text _NOISE matches has one of these in it
_NOISE_WORDS = ("edition", "edn", "printing", "version", "abstract", "tutorial")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")
# a subtitle starts after a colon, a spaced dash, an opening parenthesis, "?" or "!"
_SUBTITLE = re.compile(r"\s*(?::|\s[-\u2013\u2014]+\s|\(|[?!]\s)")
_SUBTITLE_MARK = re.compile(r"[:\-\u2013\u2014(?!]")  # (a character every _SUBTITLE match has)
_PREPRINT_VENUES = frozenset(
    {"arxiv", "corr", "arxiv org", "preprint", "arxiv preprint", "biorxiv"}
)
_PREPRINT_SORTED = frozenset(" ".join(sorted(v.split())) for v in _PREPRINT_VENUES)
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# identifiers that make two records one work when equal, in the order a verdict names them
_SAME_WORK_IDS = ("arxiv", "doi", "s2_id", "corpus_id", "repo")


@lru_cache(maxsize=1 << 16)
def comparable_title(title: str | None) -> str:
    """A title as compared for identity: normalised, without a leading article or version
    words ("second edition", "longer version", "tutorial"), abbreviations spelled out.

    >>> comparable_title("Latent ODEs for Irregularly-Sampled Time Series (longer version)")
    'latent ordinary differential equations for irregularly sampled time series'
    """
    text = _ARTICLE.sub("", normalize_title(title) or "")
    if any(word in text for word in _NOISE_WORDS):  # (the pattern is slow to fail: most titles)
        text = _NOISE.sub(" ", text)
    words = [_TITLE_EXPANSIONS.get(w, w) for w in text.split()]
    return " ".join(words)


@lru_cache(maxsize=1 << 16)
def _main_title(title: str | None) -> str | None:
    """The comparable part of `title` before its subtitle, or None if it has no subtitle."""
    if not title:
        return None
    if not _SUBTITLE_MARK.search(str(title), 1):  # (the pattern is slow to fail: most titles)
        return None
    m = _SUBTITLE.search(str(title), 1)
    if not m:
        return None
    main = comparable_title(str(title)[: m.start()])
    rest = comparable_title(str(title)[m.end() :])
    return main if main and rest else None


@lru_cache(maxsize=1 << 16)
def _author_surname(name: str) -> str:
    part = name.split(",")[0] if "," in name else name
    words = (normalize_title(part) or "").split()
    while len(words) > 1 and words[-1] in _NAME_SUFFIXES:
        words.pop()
    return words[-1] if words else ""


@lru_cache(maxsize=1 << 14)
def _short_venue(venue: str | None) -> str:
    return (short_venue(venue) or "").lower()


@lru_cache(maxsize=1 << 14)
def _venue_words(venue: str | None) -> frozenset[str]:
    return frozenset((normalize_title(venue) or "").split())


def _first_author(authors: Any) -> str:
    names = [str(a) for a in authors or () if a]
    return _normalized_name(names[0]) if names else ""


@lru_cache(maxsize=1 << 16)
def _normalized_name(name: str) -> str:
    return normalize_title(name) or ""


@dataclass(frozen=True)
class WorkProfile:
    """What :func:`same_work` compares, computed once per record (resolution compares many)."""

    ids: Mapping[str, str]
    title: str  # comparable_title
    raw_title: str | None
    year: int | None
    surnames: tuple[str, ...]
    first_author: str  # the first author's whole name, normalised
    venue_words: frozenset[str]
    venue: str  # the venue's short name, lower-case ("neurips" for NIPS and NeurIPS)
    preprint: bool
    software: bool
    entry: str | None = None  # the curated list's key: two entries of the list are two works
    # derived once per record, because resolution compares each record with many others:
    main: str | None = None  # the comparable main title when the title has a subtitle
    numbers: frozenset[str] = frozenset()  # the title's words with a digit ("1d", "2.0")
    surname_set: frozenset[str] = frozenset()
    id_pairs: frozenset[tuple[str, str]] = frozenset()  # (field, value) of _SAME_WORK_IDS

    @property
    def first_surname(self) -> str:
        return self.surnames[0] if self.surnames else ""


def work_profile(record: Mapping[str, Any], ids: Mapping[str, str] | None = None) -> WorkProfile:
    """The :class:`WorkProfile` of a record or node attributes."""
    ids = identifiers(record) if ids is None else ids
    year = record.get("year")
    try:
        year_int = int(year) if year not in (None, "") and not isinstance(year, bool) else None
    except (TypeError, ValueError):
        year_int = None
    surnames = tuple(
        s
        for s in (_author_surname(str(a)) for a in record.get("authors") or ())
        if s and s not in {"al", "others"}
    )
    venue = record.get("venue") or None
    venue_words = _venue_words(venue)
    preprint = bool(ids.get("arxiv") or _is_arxiv_doi(ids.get("doi") or "")) and (
        not venue_words or " ".join(sorted(venue_words)) in _PREPRINT_SORTED
    )
    title = comparable_title(record.get("title"))
    raw_title = str(record["title"]) if record.get("title") else None
    return WorkProfile(
        ids=ids,
        title=title,
        raw_title=raw_title,
        year=year_int,
        surnames=surnames,
        first_author=_first_author(record.get("authors")),
        venue_words=venue_words,
        venue=_short_venue(record.get("venue")),
        preprint=preprint,
        software=record.get("type") == "software",
        entry=str(record["curated_key"]) if record.get("curated_key") else None,
        main=_main_title(raw_title),
        numbers=_numbers(title),
        surname_set=frozenset(surnames),
        id_pairs=frozenset((f, ids[f]) for f in _SAME_WORK_IDS if f in ids),
    )


@dataclass(frozen=True)
class Verdict:
    """Whether two records are one work, and the rule that decided it (for the docs and bench)."""

    same: bool
    reason: str

    def __bool__(self) -> bool:
        return self.same


def _authors_relation(a: WorkProfile, b: WorkProfile) -> str:
    """ "unknown" (a list is missing), "same" (the same people: the same first author and 80%
    of the shorter list, or one author with the same full name), "compatible" (same first
    author or two shared surnames) or "different"."""
    if not a.surnames or not b.surnames:
        return "unknown"
    sa, sb = a.surname_set, b.surname_set
    small = sa if len(sa) <= len(sb) else sb
    if len(small) >= 2 and (
        sa == sb
        # one list truncates the other, or a long list spells a few names differently
        or (a.first_surname == b.first_surname and len(sa & sb) >= 0.8 * len(small))
    ):
        return "same"
    if len(a.surnames) == len(b.surnames) == 1 and a.first_author == b.first_author:
        return "same"  # one author, the same full name
    if a.first_surname == b.first_surname or len(sa & sb) >= 2:
        return "compatible"
    return "different"


_DIGIT = re.compile(r"\d")


def _numbers(title: str) -> frozenset[str]:
    """The words of `title` (runs of non-spaces) with a digit in them: "1d", "2.0"."""
    if not _DIGIT.search(title):  # (most titles: the word pattern is slow to fail)
        return frozenset()
    return frozenset(w for w in title.split() if not w.isalpha() and _DIGIT.search(w))


def _titles_relation(a: WorkProfile, b: WorkProfile) -> tuple[str, int]:
    """How two comparable titles relate: "equal", "typo" (ratio >= 97 or two edits at most),
    "close" (ratio >= 90), "reordered" (the same words mostly, in another order),
    "subtitle" (one is the other's main title), "retitled" (same main title, different
    subtitles), "extension" (one continues the other without a subtitle mark) or "different";
    with the number of extra words of the longer one."""
    ta, tb = a.title, b.title
    if not ta or not tb:
        return "different", 0
    if ta == tb:
        return "equal", 0
    ratio = fuzz.ratio(ta, tb)
    numbers_agree = a.numbers == b.numbers  # "1D" and "2D", "PDE-Net 2.0" are other works
    if numbers_agree and (ratio >= 97 or (Indel.distance(ta, tb) <= 2 and len(ta) >= 20)):
        return "typo", 0
    short, long_ = (a, b) if len(ta) <= len(tb) else (b, a)
    extra = len(long_.title.split()) - len(short.title.split())
    if long_.main and (long_.main == short.title or long_.main == short.main):
        return ("retitled" if short.main and long_.main == short.main else "subtitle"), extra
    if a.main and b.main and a.main == b.main:
        return "retitled", extra
    if ratio >= 90 and numbers_agree:
        return "close", 0
    if long_.title.startswith(short.title + " "):
        return "extension", extra
    if numbers_agree and fuzz.token_sort_ratio(ta, tb) >= 85 and fuzz.token_set_ratio(ta, tb) >= 90:
        return "reordered", extra  # "ANN and SSO algorithms for a … model" / "… model with ANN"
    return "different", extra


def same_work(a: Mapping[str, Any] | WorkProfile, b: Mapping[str, Any] | WorkProfile) -> Verdict:
    """Whether two records (node attributes, or their profiles) are versions of one work.

    >>> same_work({"title": "How to train your neural ODE", "authors": ["Chris Finlay",
    ...            "Adam Oberman"], "year": 2020, "arxiv": "2002.02798"},
    ...           {"title": "How to train your neural ODE: the world of Jacobian and kinetic "
    ...            "regularization", "authors": ["C. Finlay", "A. M. Oberman"], "year": 2020,
    ...            "venue": "ICML", "s2_id": "a" * 40})
    Verdict(same=True, reason='subtitle')
    >>> same_work({"title": "Deep Equilibrium Models", "authors": ["Shaojie Bai"]},
    ...           {"title": "Multiscale Deep Equilibrium Models", "authors": ["Shaojie Bai"]})
    Verdict(same=False, reason='titles differ')
    """
    pa = a if isinstance(a, WorkProfile) else work_profile(a)
    pb = b if isinstance(b, WorkProfile) else work_profile(b)
    if not pa.id_pairs.isdisjoint(pb.id_pairs):  # (one set operation: most pairs share none)
        for field in _SAME_WORK_IDS:
            if field in pa.ids and pa.ids.get(field) == pb.ids.get(field):
                return Verdict(True, f"same {field}")
    conflict = ids_conflict(pa.ids, pb.ids)
    if conflict:
        return Verdict(False, conflict)
    if pa.entry and pb.entry and pa.entry != pb.entry:
        return Verdict(False, "two entries of the curated list")
    if pa.software != pb.software:
        return Verdict(False, "software and paper")
    authors = _authors_relation(pa, pb)
    if authors == "different":
        return Verdict(False, "different authors")
    gap = abs(pa.year - pb.year) if pa.year is not None and pb.year is not None else 0
    if gap > 1:
        # a preprint may precede its journal version by a few years, with the same authors
        earlier = pa if (pa.year or 0) < (pb.year or 0) else pb
        if not (gap <= 3 and earlier.preprint and authors == "same"):
            return Verdict(False, f"years {gap} apart")
    titles, extra = _titles_relation(pa, pb)
    if titles in ("equal", "typo"):
        return Verdict(True, titles)
    if titles == "close":
        return Verdict(authors == "same", "close titles" if authors == "same" else "titles differ")
    if titles == "subtitle":
        short = min(len(pa.title.split()), len(pb.title.split()))
        ok = authors == "same" or (short >= 3 and authors == "compatible") or short >= 4
        return Verdict(ok and gap <= (3 if authors == "same" else 1), "subtitle")
    if titles == "reordered":
        # the same few words reordered: only a team's list of authors is evidence enough
        ok = authors == "same" and min(len(pa.surnames), len(pb.surnames)) >= 2
        return Verdict(ok, "reordered" if ok else "titles differ")
    if titles == "retitled":
        # the main title must say something on its own: "TensorFlow: …" names two works
        ok = authors == "same" and len((pa.main or pb.main or "").split()) >= 3
        return Verdict(ok, "retitled" if ok else "titles differ")
    if titles == "extension":
        long_, short_ = (pa, pb) if len(pa.title) > len(pb.title) else (pb, pa)
        tail = set(long_.title[len(short_.title) :].split())
        if tail and tail <= (pa.venue_words | pb.venue_words):
            return Verdict(True, "title ends with the venue")
        same_venue = bool(pa.venue) and pa.venue == pb.venue and not (pa.preprint or pb.preprint)
        if authors == "same" and gap == 0 and same_venue:
            return Verdict(True, "extended title, same authors, venue and year")
    return Verdict(False, "titles differ")
