"""The Semantic Scholar Graph API client: cached, rate limited, retrying, key-safe.

Why our own client rather than the ``semanticscholar`` package: it drops the API key on
paged calls, ignores ``Retry-After`` and retries nothing but 429 (see the project notes).

    >>> from implicit_atlas.graph.sources.s2 import S2Client
    >>> with S2Client(cache=None) as s2:                      # doctest: +SKIP
    ...     [paper] = s2.paper_batch(["ARXIV:1806.07366"]).papers
    ...     refs = s2.references(paper["paperId"]).items

Every request goes through :meth:`S2Client.request`: the cache first (a cached 404 is an
answer too), then the rate limiter, then up to a bounded number of attempts with backoff.
The API key travels only in the ``x-api-key`` header of the one ``httpx.Client``: it is not
part of cache keys, URLs or error messages.
"""

from __future__ import annotations

import os
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .cache import S2Cache
from .http import (
    BadRequest,
    CachedHttp,
    MalformedResponse,
    NotCached,
    NotFound,
    RateLimited,
    Request,
    RequestBudgetExhausted,
    RequestStats,
    ServerFailed,
    SourceError,
    Unauthorized,
    Unreachable,
    clean_key,
)

S2Error = SourceError
"""Every Semantic Scholar failure; the classes are the HTTP layer's, shared by all sources."""

__all__ = [
    "BadRequest",
    "BatchResult",
    "EdgeList",
    "MalformedResponse",
    "NotCached",
    "NotFound",
    "RateLimited",
    "RequestBudgetExhausted",
    "RequestStats",
    "S2Client",
    "S2Error",
    "ServerFailed",
    "Unauthorized",
    "Unreachable",
    "resolve_api_key",
    "resolve_api_url",
]

DEFAULT_API_URL = "https://api.semanticscholar.org"
GRAPH = "/graph/v1"
RECOMMENDATIONS = "/recommendations/v1"

PAPER_FIELDS = (
    "paperId,externalIds,corpusId,url,title,abstract,venue,year,authors,publicationTypes,"
    "journal,citationCount,referenceCount,influentialCitationCount"
)
"""Everything a node of the atlas needs (see graph/schema.py)."""

EDGE_FIELDS = "contexts,intents,isInfluential"
BATCH_LIMIT = 500
PAGE_LIMIT = 1000
SMALL_BATCH_LIMIT = 100
SMALL_PAGE_LIMIT = 100
"""Sizes to fall back to when the API keeps failing on a full batch or page (an answer
too large for it to build in time shows up as 500/504s or timeouts, not as a clear error)."""
FULL_SIZE_ATTEMPTS = 3
"""Tries of a full-size batch or page before falling back to the small size."""
MAX_LISTED = 9999
"""The API refuses ``offset + limit >= 10000``: no more of one list can ever be read."""
ASK_ALONE_AT_MOST = 2
"""Batch nulls asked again one by one (``GET /paper/{id}``) when this few are left; more are
asked again as one smaller batch first (S2 answers ``null`` for papers it has under load)."""
REASK_ROUNDS = 8
"""Smaller batches of the nulls left, at most, before the rest is asked one by one."""


@dataclass(frozen=True)
class BatchResult:
    papers: list[dict[str, Any] | None]
    """One entry per id asked, in order; None where the API knows no such paper."""
    fetched_at: float
    unknown: tuple[str, ...] = ()
    """Ids the API confirmed it does not know (a 404 when asked alone)."""
    unconfirmed: tuple[str, ...] = ()
    """Ids a batch answered ``null`` for that could not be asked again (offline, not cached)."""


@dataclass(frozen=True)
class EdgeList:
    items: list[dict[str, Any]]
    """Edge objects: ``citedPaper``/``citingPaper`` plus ``isInfluential``, ``intents``..."""
    fetched_at: float
    truncated: bool
    """The list goes on beyond what the API lets anyone read (9,999 items)."""


def resolve_api_url(api_url: str | None = None) -> str:
    """The API root from the argument, ``S2_API_URL`` or the public default.

    A trailing ``/graph/v1`` is accepted and dropped, so both spellings people use work.
    """
    url = (api_url or os.environ.get("S2_API_URL") or DEFAULT_API_URL).rstrip("/")
    if url.endswith(GRAPH):
        url = url[: -len(GRAPH)]
    return url


def resolve_api_key(api_key: str | None = None) -> str | None:
    """The key from `api_key` or ``S2_API_KEY``, trimmed; None when there is none.

    A key an HTTP header cannot carry (inner spaces, line breaks, non-ASCII) is refused here,
    with a message that never repeats it: sent, it would fail inside the HTTP library with
    an error quoting the key.
    """
    key = api_key if api_key is not None else os.environ.get("S2_API_KEY")
    return clean_key(
        key,
        "the Semantic Scholar API key (S2_API_KEY or --api-key) contains a space, a line "
        "break or a non-ASCII character, which no API key has; copy the key again",
    )


def paper_path(paper_id: str) -> str:
    return urllib.parse.quote(paper_id, safe=":/")


class S2Client(CachedHttp):
    """One reusable connection to the Semantic Scholar API (see :class:`CachedHttp` for the
    cache, the limiter, the retries and the options); the key goes in ``x-api-key``."""

    service = "Semantic Scholar"
    key_hint = "check S2_API_KEY / --api-key"
    rate_hint_anonymous = "set S2_API_KEY (or --api-key) for a rate of your own"

    def __init__(
        self,
        api_url: str | None = None,
        api_key: str | None = None,
        *,
        cache: S2Cache | None = None,
        offline: bool = False,
        **options: Any,
    ) -> None:
        key = None if offline else resolve_api_key(api_key)  # offline, no request carries it
        super().__init__(
            resolve_api_url(api_url),
            has_key=key is not None,
            key_headers={"x-api-key": key} if key is not None else None,
            cache=cache,
            offline=offline,
            **options,
        )

    def __enter__(self) -> S2Client:
        return self

    def describe(self, path: str, params: Mapping[str, Any]) -> str:
        return _what(path, params)

    # -- endpoints --------------------------------------------------------------------------

    def paper_batch(
        self, ids: Sequence[str], fields: str = PAPER_FIELDS, *, confirm: bool = True
    ) -> BatchResult:
        """Metadata for many papers, 500 per request, in the order asked (None if unknown).

        A batch of 500 the API keeps failing on is asked again as batches of 100. A ``null``
        in a reply (fresh or cached) is asked again before it counts as unknown, since S2
        answers ``null`` for papers it has when under load; ``confirm=False`` leaves that to
        the caller, who can pool the nulls of many batches into one :meth:`ask_again`.
        """
        papers: list[dict[str, Any] | None] = []
        fetched_at = time.time()
        for start in range(0, len(ids), BATCH_LIMIT):
            chunk = list(ids[start : start + BATCH_LIMIT])
            for reply in self._batch_in_pieces(chunk, fields):
                papers.extend(reply.papers)
                fetched_at = min(fetched_at, reply.fetched_at)
        if not confirm:
            return BatchResult(papers, fetched_at)
        unknown, unconfirmed = self._confirm_nulls(list(ids), papers, fields)
        return BatchResult(papers, fetched_at, tuple(unknown), tuple(unconfirmed))

    def ask_again(self, ids: Sequence[str], fields: str = PAPER_FIELDS) -> BatchResult:
        """Papers that batches answered ``null`` for, asked again (see :meth:`_confirm_nulls`)."""
        fetched_at = time.time()
        papers: list[dict[str, Any] | None] = [None] * len(ids)
        unknown, unconfirmed = self._confirm_nulls(list(ids), papers, fields)
        return BatchResult(papers, fetched_at, tuple(unknown), tuple(unconfirmed))

    def _confirm_nulls(
        self, ids: list[str], papers: list[dict[str, Any] | None], fields: str
    ) -> tuple[list[str], list[str]]:
        """Ask the ids answered ``null`` again; fill in ``papers``; return (unknown, unconfirmed).

        The nulls are asked as one smaller batch while that recovers papers, then the last
        few alone: only a 404 for one id alone is taken as "no such paper". Each re-ask is
        an ordinary cached request, so a rebuild replays them from the cache, and a cache
        written before this check (holding the nulls) is repaired by the next online build.
        """
        missing = [n for n, p in enumerate(papers) if p is None]
        if not missing:
            return [], []
        self.stats.nulls_asked_again += len(missing)
        unconfirmed: list[str] = []
        for _ in range(REASK_ROUNDS):
            if len(missing) <= ASK_ALONE_AT_MOST:
                break
            still: list[int] = []
            recovered = 0
            for start in range(0, len(missing), BATCH_LIMIT):
                part = missing[start : start + BATCH_LIMIT]
                try:
                    reply = self._batch([ids[n] for n in part], fields, None)
                except NotCached:  # offline, and this re-ask was never made
                    unconfirmed += [ids[n] for n in part]
                    continue
                for n, paper in zip(part, reply.papers, strict=True):
                    if paper is None:
                        still.append(n)
                    else:
                        papers[n] = paper
                        recovered += 1
            self.stats.nulls_recovered += recovered
            missing = still
            if not recovered:
                break
        unknown: list[str] = []
        for n in missing:
            try:
                paper = self.paper(ids[n], fields)
            except NotFound:
                unknown.append(ids[n])
            except NotCached:
                unconfirmed.append(ids[n])
            else:
                if paper.get("paperId"):
                    papers[n] = paper
                    self.stats.nulls_recovered += 1
                else:
                    unknown.append(ids[n])
        return unknown, unconfirmed

    def _batch_in_pieces(self, chunk: list[str], fields: str) -> list[BatchResult]:
        """One full batch, or small ones when the full one failed (now or in an earlier run)."""
        small = [chunk[i : i + SMALL_BATCH_LIMIT] for i in range(0, len(chunk), SMALL_BATCH_LIMIT)]
        if len(small) == 1:
            return [self._batch(chunk, fields, None)]
        full_args = self._batch_args(chunk, fields)
        if not self._prefer_small(full_args, self._batch_args(small[0], fields)):
            try:
                return [self._batch(chunk, fields, FULL_SIZE_ATTEMPTS)]
            except (ServerFailed, MalformedResponse):  # too large: 5xx, timeouts, cut short
                self.stats.fallbacks += 1
        return [self._batch(piece, fields, None) for piece in small]

    @staticmethod
    def _batch_args(ids: list[str], fields: str) -> Request:
        return "POST", f"{GRAPH}/paper/batch", {"fields": fields}, {"ids": ids}

    def _batch(self, ids: list[str], fields: str, max_attempts: int | None) -> BatchResult:
        reply = self.request(*self._batch_args(ids, fields), max_attempts=max_attempts)
        data = reply.data
        if not isinstance(data, list) or len(data) != len(ids):
            raise MalformedResponse(
                f"the batch reply for {len(ids)} ids is not a list of {len(ids)} entries"
            )
        return BatchResult(
            papers=[p if isinstance(p, dict) and p.get("paperId") else None for p in data],
            fetched_at=reply.fetched_at,
        )

    def _prefer_small(self, full: Request, small: Request) -> bool:
        """An earlier run fell back to small pieces here: resume with them, not the full size."""
        return not self.is_cached(*full) and self.is_cached(*small)

    def paper(self, paper_id: str, fields: str = PAPER_FIELDS) -> dict[str, Any]:
        reply = self.request("GET", f"{GRAPH}/paper/{paper_path(paper_id)}", {"fields": fields})
        if not isinstance(reply.data, dict):
            raise MalformedResponse(f"the record of paper {paper_id} is not a JSON object")
        return reply.data

    def references(
        self, paper_id: str, fields: str = PAPER_FIELDS, *, edge_fields: str = EDGE_FIELDS
    ) -> EdgeList:
        """Every paper ``paper_id`` cites (``citedPaper`` may have ``paperId: null``)."""
        return self._edge_list(paper_id, "references", fields, edge_fields)

    def citations(
        self, paper_id: str, fields: str = PAPER_FIELDS, *, edge_fields: str = EDGE_FIELDS
    ) -> EdgeList:
        """Every paper citing ``paper_id``, up to the API's 9,999 (``truncated`` beyond)."""
        return self._edge_list(paper_id, "citations", fields, edge_fields)

    def _edge_list(self, paper_id: str, kind: str, fields: str, edge_fields: str) -> EdgeList:
        nested = "citedPaper" if kind == "references" else "citingPaper"
        all_fields = ",".join(f for f in (edge_fields, fields) if f)
        path = f"{GRAPH}/paper/{paper_path(paper_id)}/{kind}"
        items: list[dict[str, Any]] = []
        fetched_at = time.time()
        offset = 0
        page_size = PAGE_LIMIT

        def page_args(size: int) -> Request:
            limit = min(size, MAX_LISTED - offset)
            return "GET", path, {"fields": all_fields, "offset": offset, "limit": limit}, None

        while True:
            if page_size > SMALL_PAGE_LIMIT and self._prefer_small(
                page_args(page_size), page_args(SMALL_PAGE_LIMIT)
            ):
                page_size = SMALL_PAGE_LIMIT
            full_size = page_size > SMALL_PAGE_LIMIT
            try:
                reply = self.request(
                    *page_args(page_size), max_attempts=FULL_SIZE_ATTEMPTS if full_size else None
                )
            except (ServerFailed, MalformedResponse):  # too large: 5xx, timeouts, cut short
                if not full_size:
                    raise
                self.stats.fallbacks += 1
                page_size = SMALL_PAGE_LIMIT  # this page and the rest of the list
                continue
            data = reply.data
            if not isinstance(data, dict) or not isinstance(data.get("data"), list):
                raise MalformedResponse(f"the {kind} page of {paper_id} has no 'data' list")
            page = [item for item in data["data"] if isinstance(item, dict)]
            for item in page:
                if not isinstance(item.get(nested), dict):
                    item[nested] = {"paperId": None}
            items.extend(page)
            fetched_at = min(fetched_at, reply.fetched_at)
            next_offset = data.get("next")
            if not isinstance(next_offset, int) or next_offset <= offset or not page:
                return EdgeList(items, fetched_at, truncated=False)
            if next_offset >= MAX_LISTED:
                return EdgeList(items, fetched_at, truncated=True)
            offset = next_offset

    def match_title(self, title: str, fields: str = PAPER_FIELDS) -> dict[str, Any] | None:
        """The API's best match for a title, or None when it finds none."""
        try:
            reply = self.request(
                "GET", f"{GRAPH}/paper/search/match", {"query": title, "fields": fields}
            )
        except NotFound:
            return None
        data = reply.data
        if not isinstance(data, dict) or not isinstance(data.get("data"), list):
            raise MalformedResponse("the title-match reply has no 'data' list")
        matches = [m for m in data["data"] if isinstance(m, dict) and m.get("paperId")]
        return matches[0] if matches else None

    def recommendations(
        self, paper_id: str, limit: int = 100, fields: str = PAPER_FIELDS
    ) -> list[dict[str, Any]]:
        """Papers Semantic Scholar recommends for one paper (at most 500)."""
        reply = self.request(
            "GET",
            f"{RECOMMENDATIONS}/papers/forpaper/{paper_path(paper_id)}",
            {"limit": min(limit, 500), "fields": fields},
        )
        data = reply.data
        if not isinstance(data, dict) or not isinstance(data.get("recommendedPapers"), list):
            raise MalformedResponse("the recommendations reply has no 'recommendedPapers' list")
        return [p for p in data["recommendedPapers"] if isinstance(p, dict) and p.get("paperId")]


def _what(path: str, params: Mapping[str, Any]) -> str:
    if path.endswith("/search/match"):
        return f"paper titled {params.get('query')!r}"
    if path.endswith("/paper/batch"):
        return "batch of papers"
    return urllib.parse.unquote(path.removeprefix(GRAPH))
