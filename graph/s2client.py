"""The Semantic Scholar Graph API client: cached, rate limited, retrying, key-safe.

Why our own client rather than the ``semanticscholar`` package: it drops the API key on
paged calls, ignores ``Retry-After`` and retries nothing but 429 (see the project notes).

    >>> from implicit_atlas.graph.s2client import S2Client
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
import re
import time
import urllib.parse
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from .errors import AtlasError
from .ratelimit import Backoff, RateLimiter, parse_retry_after
from .s2cache import CachedResponse, S2Cache

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

Request = tuple[str, str, dict[str, Any], Any]
"""Method, path, query parameters and JSON body: what :meth:`S2Client.request` takes."""

RETRY_STATUSES = {429, 500, 502, 503, 504}
DEAD_AFTER_CONNECT_FAILURES = 2
RATE_LIMITED = "rate limited"
MALFORMED = "malformed"


class S2Error(AtlasError):
    """A Semantic Scholar request failed in a way the user can act on."""


class NotFound(S2Error, LookupError):
    """The API says the paper (or title) does not exist."""


class RateLimited(S2Error):
    """The API kept answering 429 after every polite retry."""


class Unreachable(S2Error, ConnectionError):
    """The network or the API is down (connection refused, timeouts, 5xx after retries)."""


class ServerFailed(Unreachable):
    """The API was reached but kept failing (5xx, timeouts, broken answers) on every retry."""


class BadRequest(S2Error, ValueError):
    """The API rejected the request (400, 401, 403); its own message is included."""


class KeyRefused(BadRequest):
    """The API refused our credentials (401, 403): a bad or revoked key, not a network problem."""


class MalformedResponse(S2Error, ValueError):
    """The API answered 200 with a body that is not the JSON it documents, even after retries."""


class NotCached(S2Error, LookupError):
    """Offline, and the cache has no answer for this request."""


class RequestBudgetExhausted(S2Error):
    """``max_requests`` network requests have been made; no more are allowed."""


@dataclass
class RequestStats:
    requests: int = 0
    """HTTP requests sent (retries included)."""
    cache_hits: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    fallbacks: int = 0
    """Full-size batches or pages that failed and were fetched in small pieces instead."""


@dataclass(frozen=True)
class BatchResult:
    papers: list[dict[str, Any] | None]
    """One entry per id asked, in order; None where the API knows no such paper."""
    fetched_at: float


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


_HEADER_SAFE_KEY = re.compile(r"[\x21-\x7e]+")


def resolve_api_key(api_key: str | None = None) -> str | None:
    """The key from `api_key` or ``S2_API_KEY``, trimmed; None when there is none.

    A key an HTTP header cannot carry (inner spaces, line breaks, non-ASCII) is refused here,
    with a message that never repeats it: sent, it would fail inside the HTTP library with
    an error quoting the key.
    """
    key = api_key if api_key is not None else os.environ.get("S2_API_KEY")
    key = key.strip() if key else None
    if key and not _HEADER_SAFE_KEY.fullmatch(key):
        raise BadRequest(
            "the Semantic Scholar API key (S2_API_KEY or --api-key) contains a space, a line "
            "break or a non-ASCII character, which no API key has; copy the key again"
        )
    return key or None


def paper_path(paper_id: str) -> str:
    return urllib.parse.quote(paper_id, safe=":/")


def _api_message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(body, dict):
        for name in ("error", "message", "detail"):
            if isinstance(body.get(name), str):
                return str(body[name])
    return str(body)[:200]


class S2Client:
    """One reusable connection to the Semantic Scholar API, behind a cache and a rate limiter.

    ``transport`` replaces the network (tests use a loopback server or ``httpx.MockTransport``);
    ``offline=True`` answers from the cache only; ``refresh=True`` ignores entries fetched
    before the refresh began (this client, an interrupted refresh it resumes, or
    ``refresh_began`` for a later step of the same build; call :meth:`finish_refresh` once
    everything was fetched); ``max_age`` (seconds) ignores older ones.
    """

    def __init__(
        self,
        api_url: str | None = None,
        api_key: str | None = None,
        *,
        cache: S2Cache | None = None,
        transport: httpx.BaseTransport | None = None,
        limiter: RateLimiter | None = None,
        backoff: Backoff | None = None,
        rps: float | None = None,
        timeout: float = 30.0,
        offline: bool = False,
        refresh: bool = False,
        refresh_began: float | None = None,
        max_age: float | None = None,
        max_requests: int | None = None,
    ) -> None:
        self.api_url = resolve_api_url(api_url)
        key = None if offline else resolve_api_key(api_key)  # offline, no request carries it
        self.has_key = key is not None
        self.cache = cache
        self.limiter = limiter or RateLimiter.for_key(self.has_key, rps)
        self.backoff = backoff or Backoff()
        self.offline = offline
        self.max_age = max_age
        self.fresh_after: float | None = None
        self._owns_refresh = False
        if refresh and not offline:  # offline, a refresh could only hide the cache
            if refresh_began is not None:  # a later step of a refresh another client began
                self.fresh_after = refresh_began
            else:
                self.fresh_after = cache.begin_refresh() if cache is not None else time.time()
                self._owns_refresh = True
        self.max_requests = max_requests
        self.stats = RequestStats()
        self.dead_reason: str | None = None
        self.last_fetched_at = time.time()
        """When the response last returned by :meth:`request` was fetched."""
        self._ever_connected = False
        headers = {"User-Agent": "implicit-atlas (Python; httpx)"}
        if key is not None:
            headers["x-api-key"] = key
        self._http = httpx.Client(
            headers=headers,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        )

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self._http.close()

    def finish_refresh(self) -> None:
        """Mark a refresh complete, so the next ``refresh=True`` re-fetches everything again.

        Only the client that began the refresh ends it (not one given ``refresh_began``).
        """
        if self._owns_refresh and self.cache is not None and not self.offline:
            self.cache.end_refresh()

    def __enter__(self) -> S2Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one request path ---------------------------------------------------------------

    def _cached(
        self, method: str, path: str, params: Mapping[str, Any], body: Any
    ) -> CachedResponse | None:
        if self.cache is None:
            return None
        hit = self.cache.get(method, path, params, body, max_age=self.max_age)
        if hit is not None and self.fresh_after is not None and hit.fetched_at < self.fresh_after:
            return None
        return hit

    def request(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        *,
        max_attempts: int | None = None,
    ) -> CachedResponse:
        """A successful (200) response, from the cache or the network; stored before returned.

        Raises NotFound (also for a cached 404), BadRequest, RateLimited, Unreachable (its
        subclass ServerFailed when the API answered but kept failing), MalformedResponse,
        NotCached (offline) or RequestBudgetExhausted. ``max_attempts`` caps the failed tries
        (429s aside, which always get the backoff's full patience).
        """
        params = dict(params or {})
        hit = self._cached(method, path, params, body)
        if hit is not None:
            self.stats.cache_hits += 1
            self.last_fetched_at = hit.fetched_at
            if hit.status == 404:
                raise NotFound(f"Semantic Scholar has no {_what(path, params)}: {hit.data}")
            return hit
        if self.offline:
            raise NotCached(f"offline and not in the cache: {_what(path, params)}")
        if self.dead_reason is not None:
            raise Unreachable(self.dead_reason)
        if self.max_requests is not None and self.stats.requests >= self.max_requests:
            raise RequestBudgetExhausted(
                f"the request budget ({self.max_requests}) is spent; raise --max-requests"
            )
        return self._fetch(method, path, params, body, max_attempts)

    def is_cached(
        self, method: str, path: str, params: Mapping[str, Any], body: Any = None
    ) -> bool:
        """Whether :meth:`request` would answer this from the cache."""
        return self._cached(method, path, dict(params), body) is not None

    def _fetch(
        self,
        method: str,
        path: str,
        params: dict[str, Any],
        body: Any,
        max_attempts: int | None = None,
    ) -> CachedResponse:
        attempt = 0
        waited = 0.0
        connect_failures = 0
        failures = 0  # answers other than 429: what max_attempts counts
        while True:
            retry_after: float | None = None
            if (
                attempt
                and self.max_requests is not None
                and self.stats.requests >= self.max_requests
            ):
                raise RequestBudgetExhausted(
                    f"the request budget ({self.max_requests}) is spent (retries count); "
                    "raise --max-requests"
                )
            self.limiter.wait()
            self.stats.requests += 1
            try:
                response = self._http.request(method, self.api_url + path, params=params, json=body)
            except httpx.ConnectError as exc:
                connect_failures += 1
                problem = f"cannot connect to {self.api_url} ({_reason(exc)})"
                if not self._ever_connected and connect_failures >= DEAD_AFTER_CONNECT_FAILURES:
                    self.dead_reason = f"Semantic Scholar is unreachable: {problem}"
                    raise Unreachable(self.dead_reason) from None
            except httpx.LocalProtocolError:  # the request itself is malformed: never retried,
                # and its text (which may quote a header) is not shown
                raise BadRequest(
                    f"the request for {_what(path, params)} could not be sent (a malformed header)"
                ) from None
            except httpx.TimeoutException:
                problem = f"{self.api_url} did not answer in time"
            except httpx.TransportError as exc:
                problem = f"the connection to {self.api_url} broke ({_reason(exc)})"
            else:
                self._ever_connected = True
                status = response.status_code
                if status == 200:
                    try:
                        data = response.json()
                    except ValueError:
                        problem = MALFORMED
                    else:
                        self.limiter.on_success()
                        return self._store(method, path, params, body, 200, data)
                elif status == 404:
                    message = _api_message(response)
                    self._store(method, path, params, body, 404, message)
                    raise NotFound(f"Semantic Scholar has no {_what(path, params)}: {message}")
                elif status in (401, 403):
                    raise KeyRefused(
                        f"Semantic Scholar refused the request (HTTP {status}: "
                        f"{_api_message(response)}); check S2_API_KEY / --api-key"
                    )
                elif status == 429:
                    self.limiter.on_rate_limited()
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    problem = RATE_LIMITED
                elif status in RETRY_STATUSES:
                    problem = f"the API answered HTTP {status}"
                else:
                    raise BadRequest(
                        f"Semantic Scholar rejected {_what(path, params)} "
                        f"(HTTP {status}): {_api_message(response)}"
                    )
            wait = self.backoff.next_wait(attempt, waited, retry_after)
            if problem != RATE_LIMITED:
                failures += 1
                if max_attempts is not None and failures >= max_attempts:
                    wait = None
            if wait is None:
                raise self._exhausted(problem, path, params)
            self.backoff.sleep(wait)
            waited += wait
            self.stats.waited_seconds += wait
            self.stats.retries += 1
            attempt += 1

    def _exhausted(self, problem: str, path: str, params: Mapping[str, Any]) -> S2Error:
        if problem == MALFORMED:
            return MalformedResponse(
                f"Semantic Scholar sent malformed JSON for {_what(path, params)} on every "
                "retry; try again later"
            )
        if problem == RATE_LIMITED:
            hint = (
                "wait a while or lower --rps"
                if self.has_key
                else "set S2_API_KEY (or --api-key) for a rate of your own"
            )
            return RateLimited(f"Semantic Scholar kept rate limiting us (HTTP 429); {hint}")
        if problem.startswith("cannot connect"):
            return Unreachable(f"Semantic Scholar is unreachable: {problem}, after retries")
        return ServerFailed(f"Semantic Scholar kept failing: {problem}, after retries")

    def _store(
        self, method: str, path: str, params: dict[str, Any], body: Any, status: int, data: Any
    ) -> CachedResponse:
        if self.cache is None:
            stored = CachedResponse(status=status, data=data, fetched_at=time.time())
        else:
            stored = self.cache.put(method, path, params, body, status, data)
        self.last_fetched_at = stored.fetched_at
        return stored

    # -- endpoints --------------------------------------------------------------------------

    def paper_batch(self, ids: Sequence[str], fields: str = PAPER_FIELDS) -> BatchResult:
        """Metadata for many papers, 500 per request, in the order asked (None if unknown).

        A batch of 500 the API keeps failing on is asked again as batches of 100.
        """
        papers: list[dict[str, Any] | None] = []
        fetched_at = time.time()
        for start in range(0, len(ids), BATCH_LIMIT):
            chunk = list(ids[start : start + BATCH_LIMIT])
            for reply in self._batch_in_pieces(chunk, fields):
                papers.extend(reply.papers)
                fetched_at = min(fetched_at, reply.fetched_at)
        return BatchResult(papers=papers, fetched_at=fetched_at)

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


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__
