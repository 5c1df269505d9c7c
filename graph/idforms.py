"""Every way a user may write a paper's identifier, reduced to the forms the graph stores.

The tool prints ids in several shapes (node keys, Semantic Scholar page URLs, DOIs), and users
paste what their browser shows: an arXiv URL with a version, an arXiv DOI, an OpenReview forum,
a NeurIPS or PMLR proceedings page. :func:`identifier_forms` turns any of them into
``(field, value)`` pairs with fields as in :data:`identity.ID_FIELDS`; :func:`paper_page` gives
the one spelling of a landing-page URL, so an abstract page and its PDF name the same work.
Every command that reads an id (``related``, ``lineage``, ``path``, ``map --focus``,
``bib --ids``, ``--related-to``) goes through here via :mod:`lookup`.

    >>> identifier_forms("https://www.semanticscholar.org/paper/Deep-Equilibrium-Models/"
    ...                  "3d7c1b1e0fcd7ee5e6a4c7de4ba8b44fbe4b0b4b")
    [('s2_id', '3d7c1b1e0fcd7ee5e6a4c7de4ba8b44fbe4b0b4b')]
    >>> identifier_forms("10.48550/arXiv.1909.01377")
    [('arxiv', '1909.01377'), ('doi', '10.48550/arxiv.1909.01377')]
    >>> identifier_forms("https://arxiv.org/abs/1909.01377v2")
    [('arxiv', '1909.01377')]
    >>> identifier_forms("CorpusId:202539738")
    [('corpus_id', '202539738')]
    >>> identifier_forms("https://openreview.net/pdf?id=B1xSperKvH")
    [('url', 'openreview.net/forum?id=B1xSperKvH')]
    >>> paper_page("https://proceedings.neurips.cc/paper/2019/file/01386bd6-Paper.pdf")
    'proceedings.neurips.cc/paper/2019/hash/01386bd6'
    >>> identifier_forms("Deep Equilibrium Models")
    []
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .identity import normalize_arxiv, normalize_doi, normalize_repo, normalize_s2_id, normalize_url

_S2_PAGE = re.compile(
    r"^(?:https?://)?(?:www\.|api\.)?semanticscholar\.org/(?:graph/v1/)?paper/"
    r"(?:[^/?#]+/)?([0-9a-fA-F]{40})(?:[/?#].*)?$"
)
_S2_ARXIV_PAGE = re.compile(
    r"^(?:https?://)?(?:www\.)?semanticscholar\.org/arxiv/([^/?#]+)", re.IGNORECASE
)
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_CORPUS = re.compile(r"^(?:corpus|corpusid)\s*:\s*(\d+)$", re.IGNORECASE)
_NEURIPS = re.compile(
    r"^(?:proceedings\.neurips\.cc|papers\.nips\.cc)/(?:paper_files/)?paper/(\d{4})/"
    r"(?:hash|file)/([0-9a-f]+)",
    re.IGNORECASE,
)
_PMLR = re.compile(r"^proceedings\.mlr\.press/(v\d+)/([^/.]+)", re.IGNORECASE)


def paper_page(url: str | None) -> str | None:
    """One spelling of a landing-page URL: no scheme or ``www.``; an OpenReview forum, a
    NeurIPS paper's hash page or a PMLR paper page whichever of its pages (abstract, PDF,
    supplement) the URL points at. Other URLs as :func:`identity.normalize_url` leaves them."""
    text = normalize_url(url)
    if not text:
        return None
    low = text.lower()
    if low.startswith("openreview.net/"):
        paper_id = parse_qs(urlsplit("https://" + text).query).get("id")
        if paper_id:
            return f"openreview.net/forum?id={paper_id[0]}"
    m = _NEURIPS.match(text)
    if m:
        return f"proceedings.neurips.cc/paper/{m.group(1)}/hash/{m.group(2).lower()}"
    m = _PMLR.match(text)
    if m:
        return f"proceedings.mlr.press/{m.group(1).lower()}/{m.group(2)}"
    return text.split("#")[0]


def identifier_forms(text: str) -> list[tuple[str, str]]:
    """The ``(field, normalised value)`` pairs `text` may stand for, the most specific first.

    Node keys (``arXiv:…``, ``doi:…``, ``s2:…``, ``corpus:…``, ``repo:…``, ``url:…``),
    Semantic Scholar's prefixes (``ARXIV:``, ``DOI:``, ``CorpusId:``) and page URLs, bare
    paperIds, arXiv ids and URLs (any version), arXiv DOIs (also as the arXiv id), DOIs and
    doi.org URLs, GitHub repositories, OpenReview and proceedings pages. Empty for anything
    else, e.g. a title fragment.
    """
    t = text.strip()
    low = t.lower()
    if low.startswith("s2:"):
        s2 = normalize_s2_id(t[3:])
        return [("s2_id", s2)] if s2 else []
    corpus = _CORPUS.match(t)
    if corpus:
        return [("corpus_id", corpus.group(1))]
    if low.startswith("corpus:") or low.startswith("corpusid:"):
        return []
    if low.startswith("repo:"):
        repo = normalize_repo(t[5:])
        return [("repo", repo)] if repo else []
    if low.startswith("url:"):
        page = paper_page(t[4:])
        return [("url", page)] if page else []
    s2_page = _S2_PAGE.match(t)
    if s2_page:
        return [("s2_id", s2_page.group(1).lower())]
    s2_arxiv = _S2_ARXIV_PAGE.match(t)
    if s2_arxiv:
        t = s2_arxiv.group(1)
    s2 = normalize_s2_id(t)
    if s2:
        return [("s2_id", s2)]
    arxiv = normalize_arxiv(t)
    if arxiv:
        return [("arxiv", arxiv)]
    doi = normalize_doi(t)
    if doi:
        in_arxiv = _ARXIV_DOI.match(doi)
        arxiv = normalize_arxiv(in_arxiv.group(1)) if in_arxiv else None
        return [("arxiv", arxiv), ("doi", doi)] if arxiv else [("doi", doi)]
    repo = normalize_repo(t)
    if repo:
        return [("repo", repo)]
    if "://" in t or low.startswith("www."):
        page = paper_page(t)
        return [("url", page)] if page else []
    return []
