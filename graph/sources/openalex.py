"""The OpenAlex works API as a second source, through the shared HTTP layer.

What the current documentation says (checked December 2026, see docs/openalex.md): a free
API key is needed for real use since 13 February 2026, sent as the ``api_key=`` query
parameter; list/filter calls are metered (a free key's daily allowance is about 10,000 of
them) while single-work lookups are free; ``per_page`` is 1–100; basic paging reaches the
first 10,000 results, cursor paging (``cursor=*`` then ``meta.next_cursor``) goes further
but is reported to need the key past the first page; one filter takes up to 100 values
joined by ``|``; ``select`` names root-level fields only.

So this client asks as few list calls as it can: works by DOI or OpenAlex id 100 per call
(``filter=doi:a|b|…``), citing works (``filter=cites:W…``) 100 per page, and ``select`` names
only the fields the atlas uses. The key and ``mailto`` are added as each request is sent:
they are never part of a cache key, a stored answer or a message.

    >>> short_id("https://openalex.org/W2741809807")
    'W2741809807'
    >>> arxiv_doi("1806.07366")
    '10.48550/arxiv.1806.07366'
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx

from .cache import ResponseCache
from .http import (
    BadRequest,
    CachedHttp,
    MalformedResponse,
    NotCached,
    SourceError,
    api_message,
    clean_key,
)

SOURCE_OPENALEX = "openalex"
"""The source name of OpenAlex's nodes and edges in the graph."""
DEFAULT_API_URL = "https://api.openalex.org"
CACHE_FILE_NAME = "openalex-cache.sqlite3"
PER_PAGE = 100
"""The largest page the current docs allow (older docs and clients say 200)."""
FILTER_VALUES = 100
"""Values one filter may OR together with ``|``."""
BASIC_PAGING_LIMIT = 10_000
"""Basic paging stops here (page × per_page ≤ 10,000); past it only cursor paging goes on."""
DEFAULT_RPS = 10.0
"""Requests per second we send: the API allows 100 for everyone; a tenth of that is polite."""

WORK_FIELDS = (
    "id,doi,display_name,publication_year,authorships,primary_location,locations,ids,type,"
    "cited_by_count,referenced_works_count,referenced_works,abstract_inverted_index"
)
"""Root-level fields the atlas reads (``select`` takes no nested names)."""

TITLE_BATCH = 10
"""Titles one ``title.search`` call ORs together: few enough that the exact phrases' matches
fit on one page of 100, and the URL stays far below the API's limit of about 4 KB."""

QUERY_ERRORS = ("Invalid query parameters error.", "Pagination error.")
"""The ``error`` of OpenAlex's answers about a malformed query: they come as 403 (its API's
source, ourresearch/openalex-elastic-api, core/exceptions.py) or 400, never about the key."""

_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([^/?#]+?)(?:v\d+)?(?:\.pdf)?$", re.IGNORECASE)


def short_id(openalex_id: str | None) -> str | None:
    """``W123`` from ``https://openalex.org/W123`` (or ``W123``); None when not a work id."""
    if not openalex_id:
        return None
    tail = str(openalex_id).rstrip("/").rsplit("/", 1)[-1]
    return tail.upper() if re.fullmatch(r"[Ww]\d+", tail) else None


def bare_doi(doi: str | None) -> str | None:
    """The DOI without its ``https://doi.org/`` prefix, lower-cased (OpenAlex's form)."""
    if not doi:
        return None
    text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", str(doi).strip(), flags=re.I)
    return text.lower() or None


def arxiv_doi(arxiv_id: str) -> str:
    """The DOI arXiv gives every preprint, through which OpenAlex finds arXiv-only papers."""
    return f"10.48550/arxiv.{arxiv_id}".lower()


def arxiv_id_of(work: Mapping[str, Any]) -> str | None:
    """The arXiv id of a work: from its arXiv DOI, or an arxiv.org location."""
    m = _ARXIV_DOI.match(bare_doi(work.get("doi")) or "")
    if m:
        return m.group(1)
    for loc in [work.get("primary_location"), *(work.get("locations") or [])]:
        if isinstance(loc, dict):
            m = _ARXIV_URL.search(str(loc.get("landing_page_url") or ""))
            if m:
                return m.group(1)
    return None


def abstract_text(index: Mapping[str, Sequence[int]] | None) -> str | None:
    """The abstract from OpenAlex's inverted index (word -> positions).

    >>> abstract_text({"fixed": [1], "points": [2], "Implicit": [0]})
    'Implicit fixed points'
    """
    if not index:
        return None
    placed = sorted((pos, word) for word, positions in index.items() for pos in positions or ())
    return " ".join(word for _, word in placed) or None


def title_phrase(title: str | None) -> str:
    """A title as a ``title.search`` phrase: its lower-case words only (a comma would start
    another filter, a ``|`` another value, a quote end the phrase).

    >>> title_phrase('Differentiation of "C++" Code, with Libraries')
    'differentiation of c code with libraries'
    """
    text = unicodedata.normalize("NFKD", str(title or "")).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def resolve_api_url(api_url: str | None = None) -> str:
    """The API root from the argument, ``OPENALEX_API_URL`` or the public default."""
    return (api_url or os.environ.get("OPENALEX_API_URL") or DEFAULT_API_URL).rstrip("/")


def resolve_api_key(api_key: str | None = None) -> str | None:
    """The key from `api_key` or ``OPENALEX_API_KEY``, trimmed; None when there is none."""
    key = api_key if api_key is not None else os.environ.get("OPENALEX_API_KEY")
    return clean_key(
        key,
        "the OpenAlex API key (OPENALEX_API_KEY or --openalex-key) contains a space, a line "
        "break or a non-ASCII character, which no API key has; copy the key again",
    )


def resolve_mailto(mailto: str | None = None) -> str | None:
    value = mailto if mailto is not None else os.environ.get("OPENALEX_MAILTO")
    return value.strip() or None if value else None


@dataclass(frozen=True)
class WorkList:
    works: list[dict[str, Any]]
    fetched_at: float
    stated: int | None = None
    """How many results the API says the list has (``meta.count``)."""
    truncated: bool = False
    """The list goes on beyond what could be read (basic paging's 10,000 without a key)."""


class OpenAlexClient(CachedHttp):
    """One reusable connection to the OpenAlex API (see :class:`CachedHttp` for the cache,
    the limiter, the retries and the options); the key travels as ``api_key=``."""

    service = "OpenAlex"
    key_hint = "check OPENALEX_API_KEY / --openalex-key (a free key: openalex.org/settings/api)"
    rate_hint_keyed = "the key's daily allowance may be spent; wait a while or lower --rps"
    rate_hint_anonymous = (
        "without a key the daily allowance is tiny; set OPENALEX_API_KEY (or --openalex-key)"
    )

    def __init__(
        self,
        api_url: str | None = None,
        api_key: str | None = None,
        *,
        mailto: str | None = None,
        cache: ResponseCache | None = None,
        offline: bool = False,
        rps: float | None = None,
        **options: Any,
    ) -> None:
        key = None if offline else resolve_api_key(api_key)
        send: dict[str, str] = {}
        if key is not None:
            send["api_key"] = key
        mail = resolve_mailto(mailto)
        if mail and not offline:
            send["mailto"] = mail
        super().__init__(
            resolve_api_url(api_url),
            has_key=key is not None,
            send_params=send,
            secret=key,
            cache=cache,
            offline=offline,
            rps=DEFAULT_RPS if rps is None else rps,
            **options,
        )

    def __enter__(self) -> OpenAlexClient:
        return self

    def describe(self, path: str, params: Mapping[str, Any]) -> str:
        filt = str(params.get("filter") or "")
        if filt:
            name, _, values = filt.partition(":")
            count = values.count("|") + 1
            return f"works with {name} " + (values if count == 1 else f"in {count} values")
        return path

    def refusal(
        self, status: int, response: httpx.Response, path: str, params: Mapping[str, Any]
    ) -> SourceError:
        try:
            said = response.json().get("error")
        except (ValueError, AttributeError):
            said = None
        if said in QUERY_ERRORS:  # our query is wrong, not the key
            return BadRequest(
                self._scrub(
                    f"OpenAlex rejected {self.describe(path, params)} (HTTP {status}): "
                    f"{api_message(response)}"
                )
            )
        return super().refusal(status, response, path, params)

    # -- endpoints --------------------------------------------------------------------------

    def works_where(
        self, name: str, values: Sequence[str], fields: str = WORK_FIELDS
    ) -> list[dict[str, Any]]:
        """Works whose ``name`` (``doi``, ``openalex``) is any of ``values``, 100 per call."""
        found: list[dict[str, Any]] = []
        unique = list(dict.fromkeys(values))
        for start in range(0, len(unique), FILTER_VALUES):
            chunk = unique[start : start + FILTER_VALUES]
            listing = self._list(f"{name}:{'|'.join(chunk)}", fields, cursor=False)
            found.extend(listing.works)
        return found

    def works_titled(self, titles: Sequence[str], fields: str = WORK_FIELDS) -> WorkList:
        """One page of works whose title holds any of `titles` as a phrase (at most
        :data:`TITLE_BATCH`): ``filter=title.search:"a"|"b"``, a *search* call, priced ten
        list calls. ``stated`` above the works read means the page did not hold every match."""
        phrases = [title_phrase(t) for t in titles]
        phrases = [f'"{p}"' for p in dict.fromkeys(phrases) if p][:TITLE_BATCH]
        if not phrases:
            return WorkList([], time.time(), 0)
        return self._list(f"title.search:{'|'.join(phrases)}", fields, cursor=False, pages=1)

    def citing(self, work_id: str, fields: str = WORK_FIELDS) -> WorkList:
        """Every work citing ``work_id``: cursor paging with a key, basic paging (the first
        10,000, ``truncated`` beyond) without one."""
        filt = f"cites:{work_id}"
        if not self.offline:
            return self._list(filt, fields, cursor=self.has_key)
        try:  # offline: the cache holds whichever paging the online build used
            return self._list(filt, fields, cursor=True)
        except NotCached:
            return self._list(filt, fields, cursor=False)

    def _list(self, filt: str, fields: str, *, cursor: bool, pages: int | None = None) -> WorkList:
        params: dict[str, Any] = {"filter": filt, "select": fields, "per_page": PER_PAGE}
        works: list[dict[str, Any]] = []
        fetched_at = time.time()
        stated: int | None = None
        page = 1
        read = 0
        next_cursor: str | None = "*"
        while True:
            if cursor:
                params["cursor"] = next_cursor
            else:
                params["page"] = page
            reply = self.request("GET", "/works", params)
            data = reply.data
            results = data.get("results") if isinstance(data, dict) else None
            meta = data.get("meta") if isinstance(data, dict) else None
            if not isinstance(results, list) or not isinstance(meta, dict):
                raise MalformedResponse(
                    f"the OpenAlex answer for {self.describe('/works', params)} has no "
                    "'results' list and 'meta' object"
                )
            works.extend(w for w in results if isinstance(w, dict) and short_id(w.get("id")))
            fetched_at = min(fetched_at, reply.fetched_at)
            count = meta.get("count")
            stated = count if isinstance(count, int) else stated
            read += len(results)
            if cursor:  # done when the count is read: saves the empty page that ends a list
                next_cursor = meta.get("next_cursor")
                if not next_cursor or not results or (stated is not None and read >= stated):
                    return WorkList(works, fetched_at, stated)
            else:
                total = stated if stated is not None else 0
                if not results or page * PER_PAGE >= total or page == pages:
                    return WorkList(works, fetched_at, stated)
                if (page + 1) * PER_PAGE > BASIC_PAGING_LIMIT:
                    return WorkList(works, fetched_at, stated, truncated=True)
                page += 1
