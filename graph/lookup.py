"""Finding the paper a user means: any identifier, or a fragment of its title.

Users type what they have at hand: an arXiv URL copied from the browser, a DOI, a Semantic
Scholar id, the key of a curated entry, or a few words of the title. :func:`find_paper` turns
any of these into a node key, and refuses to guess when a title fragment fits several papers:
it raises :class:`AmbiguousQuery` listing the candidates so the user can pick one.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("arXiv:1909.01377", title="Deep Equilibrium Models", arxiv="1909.01377")
    >>> G.add_node("arXiv:1910.08091", title="Multiscale Deep Equilibrium Models")
    >>> find_paper(G, "https://arxiv.org/abs/1909.01377v2")
    'arXiv:1909.01377'
    >>> find_paper(G, "deep equilibrium models")
    'arXiv:1909.01377'
    >>> find_paper(G, "multiscale")
    'arXiv:1910.08091'
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from .errors import LookupFailed
from .identity import identifiers
from .idforms import identifier_forms, paper_page
from .text import ROW_TITLE_WIDTH, clean_text, shorten

MAX_LISTED_CANDIDATES = 10

_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Candidate:
    """One paper a query could mean, as shown to the user."""

    key: str
    title: str
    year: int | None

    def describe(self) -> str:
        year = f" ({self.year})" if self.year else ""
        return f"{self.key}  {shorten(clean_text(self.title), ROW_TITLE_WIDTH)}{year}"


class AmbiguousQuery(LookupFailed):
    """A title fragment matches several papers; `candidates` lists them, best first."""

    def __init__(self, query: str, candidates: list[Candidate]):
        self.query = query
        self.candidates = candidates
        shown = candidates[:MAX_LISTED_CANDIDATES]
        more = len(candidates) - len(shown)
        listing = "; ".join(c.describe() for c in shown)
        if more > 0:
            listing += f"; and {more} more"
        super().__init__(
            f"{query!r} matches {len(candidates)} papers: {listing}. "
            "Pass one of these keys (or an arXiv id, DOI or a longer part of the title) instead"
        )


def normalise_title(text: str) -> str:
    """Lowercase, accents removed, punctuation turned into single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", ascii_only.lower()).replace("_", " ").split())


class PaperIndex:
    """Every identifier of every node of a graph, for repeated look-ups.

    Build it once when answering many queries against the same graph (the CLI builds one per
    command); :func:`find_paper` builds a fresh one for a single query.
    """

    def __init__(self, G: nx.DiGraph):
        self.graph = G
        self._by_id: dict[str, set[str]] = defaultdict(set)
        for key, data in G.nodes(data=True):
            for ident in _identifiers(key, data):
                self._by_id[ident].add(key)

    @functools.cached_property
    def _titles(self) -> dict[str, str]:
        """Node key -> normalised title; built on the first title query only (an id query,
        the common case on a big graph, never pays for normalising every title)."""
        return {
            key: normalise_title(str(title))
            for key, title in self.graph.nodes(data="title")
            if title
        }

    @functools.cached_property
    def _by_title(self) -> dict[str, list[str]]:
        by_title: dict[str, list[str]] = defaultdict(list)
        for key, norm in self._titles.items():
            by_title[norm].append(key)
        return by_title

    def find(self, query: str) -> str:
        """The node key `query` names; LookupFailed if none, AmbiguousQuery if several."""
        q = query.strip()
        if not q:
            raise LookupFailed("empty paper query; give an arXiv id, a DOI or part of a title")
        if q in self.graph:
            return q
        by_id = self._match_identifier(q)
        if by_id:
            return self._pick(q, sorted(by_id))
        return self._match_title(q)

    def find_all(self, queries: Iterable[str]) -> list[str]:
        """The node keys for several queries, in order, without repeats."""
        keys: list[str] = []
        for query in queries:
            key = self.find(query)
            if key not in keys:
                keys.append(key)
        return keys

    def candidate(self, key: str) -> Candidate:
        data = self.graph.nodes[key]
        year = data.get("year")
        return Candidate(
            key, str(data.get("title") or key), year if isinstance(year, int) else None
        )

    def _match_identifier(self, q: str) -> set[str]:
        forms = _query_identifiers(q)
        found: set[str] = set()
        for form in forms:
            found |= self._by_id.get(form, set())
        return found

    def _match_title(self, q: str) -> str:
        norm = normalise_title(q)
        if not norm:
            raise LookupFailed(f"{q!r} names no paper; give an arXiv id, a DOI or part of a title")
        exact = self._by_title.get(norm, [])
        if exact:
            return self._pick(q, exact)
        words = norm.split()
        containing = [k for k, t in self._titles.items() if _contains_words(t, norm, words)]
        if not containing:
            containing = [k for k, t in self._titles.items() if norm in t]
        if containing:
            return self._pick(q, containing)
        close = difflib.get_close_matches(
            norm, list(self._by_title), n=MAX_LISTED_CANDIDATES, cutoff=0.75
        )
        if close:
            best = self._by_title[close[0]]
            if len(best) == 1 and _clear_winner(norm, close):
                return best[0]
            keys = [k for title in close for k in self._by_title[title]]
            raise AmbiguousQuery(q, [self.candidate(k) for k in keys])
        raise LookupFailed(
            f"no paper in the graph matches {q!r}; try its arXiv id, DOI, Semantic Scholar id "
            "or a few exact words of its title"
        )

    def _pick(self, q: str, keys: list[str]) -> str:
        """The one key among `keys`, preferring a single curated entry over uncurated twins."""
        if len(keys) == 1:
            return keys[0]
        curated = [k for k in keys if self.graph.nodes[k].get("curated")]
        if len(curated) == 1:
            return curated[0]
        ranked = sorted(keys, key=self._candidate_order)
        raise AmbiguousQuery(q, [self.candidate(k) for k in ranked])

    def _candidate_order(self, key: str) -> tuple[int, int, str]:
        data = self.graph.nodes[key]
        curated = 0 if data.get("curated") else 1
        cited_by = -int(data.get("citation_count") or 0) - self.graph.in_degree(key)
        return curated, cited_by, key


def find_paper(G: nx.DiGraph, query: str) -> str:
    """The node key of the paper `query` names.

    `query` may be a node key, a Semantic Scholar paper id (40 hex digits, optionally
    ``s2:``-prefixed) or page URL, ``CorpusId:<n>``, an arXiv id or URL (any version), an
    arXiv DOI, a DOI or doi.org URL, the ``curated_key`` of a curated entry, an OpenReview or
    proceedings page or another URL stored on the node, or a title fragment
    (case, accents and punctuation ignored; small typos forgiven). Raises
    :class:`~implicit_atlas.graph.errors.LookupFailed` when nothing matches and
    :class:`AmbiguousQuery` (a LookupFailed) listing the candidates when several do.
    """
    return PaperIndex(G).find(query)


def find_papers(G: nx.DiGraph, queries: Iterable[str]) -> list[str]:
    """:func:`find_paper` for several queries; node keys in order, without repeats."""
    return PaperIndex(G).find_all(queries)


def _clear_winner(norm_query: str, close_titles: list[str]) -> bool:
    """A near-identical best match, well ahead of the runner-up: a typo, not a choice."""
    ratios = [difflib.SequenceMatcher(None, norm_query, t).ratio() for t in close_titles[:2]]
    return ratios[0] >= 0.9 and (len(ratios) == 1 or ratios[0] - ratios[1] >= 0.05)


def _contains_words(title: str, norm_query: str, words: list[str]) -> bool:
    if f" {norm_query} " in f" {title} ":
        return True
    title_words = set(title.split())
    return len(words) > 1 and all(w in title_words for w in words)


def _identifiers(key: str, data: dict[str, Any]) -> Iterable[str]:
    """Every normalised identifier a node can be found by: its key, ids, curated key, pages."""
    yield key.lower()
    records = (data, *(v for v in data.get("versions") or () if isinstance(v, dict)))
    for record in records:
        for field, value in identifiers(record).items():  # a merged node: every version's ids
            yield f"{field}:{value.lower()}"
    for field, value in identifier_forms(key):
        yield f"{field}:{value.lower()}"
    if data.get("curated_key"):
        yield f"curated:{str(data['curated_key']).lower()}"
    urls = [u for record in records for u in (record.get("url"), *(record.get("links") or ()))]
    for url in urls:
        page = paper_page(url) if isinstance(url, str) else None
        if page:
            yield f"url:{page.lower()}"


def _query_identifiers(q: str) -> list[str]:
    """The normalised identifier forms a query could stand for (see idforms.identifier_forms)."""
    forms = [q.lower(), f"curated:{q.lower()}"]
    forms += [f"{field}:{value.lower()}" for field, value in identifier_forms(q)]
    return forms
