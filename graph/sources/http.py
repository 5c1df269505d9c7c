"""The HTTP layer every source shares: cache first, then rate limiter, retries and budgets.

:class:`CachedHttp` is one reusable ``httpx`` connection to one service, behind the
service's own SQLite cache (:mod:`.cache`) and rate limiter (:mod:`.ratelimit`). Every
request goes through :meth:`CachedHttp.request`: the cache first (a cached 404 is an answer
too), then the limiter, then a bounded number of attempts with backoff that honours
``Retry-After``. A service's API key travels only in a header or a query parameter added at
send time: it is never part of a cache key, a stored answer or a message. A service module
(:mod:`.s2`, :mod:`.openalex`) subclasses it with its endpoints and wording.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ..errors import AtlasError
from .cache import CachedResponse, ResponseCache
from .ratelimit import Backoff, RateLimiter, parse_retry_after

Request = tuple[str, str, dict[str, Any], Any]
"""Method, path, query parameters and JSON body: what :meth:`CachedHttp.request` takes."""

RETRY_STATUSES = {429, 500, 502, 503, 504}
DEAD_AFTER_CONNECT_FAILURES = 2
FIRST_CONNECT_RETRY_WAIT = 0.25
"""Seconds before the one retry of a first connection that failed: a blip passes in that,
and a dead network (an offline `make atlas`) should not cost a second per service."""
RATE_LIMITED = "rate limited"
MALFORMED = "malformed"


class SourceError(AtlasError):
    """A request to a source (Semantic Scholar, OpenAlex) failed in a way the user can act on."""


class NotFound(SourceError, LookupError):
    """The API says the paper (or title) does not exist."""


class RateLimited(SourceError):
    """The API kept answering 429 after every polite retry."""


class Unreachable(SourceError, ConnectionError):
    """The network or the API is down (connection refused, timeouts, 5xx after retries)."""


class ServerFailed(Unreachable):
    """The API was reached but kept failing (5xx, timeouts, broken answers) on every retry."""


class BadRequest(SourceError, ValueError):
    """The API rejected the request (400, 401, 403); its own message is included."""


class MalformedResponse(SourceError, ValueError):
    """The API answered 200 with a body that is not the JSON it documents, even after retries."""


class NotCached(SourceError, LookupError):
    """Offline, and the cache has no answer for this request."""


class RequestBudgetExhausted(SourceError):
    """``max_requests`` network requests have been made; no more are allowed."""


class Unauthorized(BadRequest):
    """The API refused the key, or wants one (401, 403): a clear error, not "offline"."""


@dataclass
class RequestStats:
    requests: int = 0
    """HTTP requests sent (retries included)."""
    cache_hits: int = 0
    retries: int = 0
    waited_seconds: float = 0.0
    fallbacks: int = 0
    """Full-size batches or pages that failed and were fetched in small pieces instead."""
    nulls_asked_again: int = 0
    """Ids a batch answered ``null`` for, asked again before being taken as unknown."""
    nulls_recovered: int = 0
    """Of those, the ids the API did have (a ``null`` under load, not an unknown paper)."""


_HEADER_SAFE_KEY = re.compile(r"[\x21-\x7e]+")


def clean_key(key: str | None, refused: str) -> str | None:
    """`key` trimmed, None when empty; `refused` (which never repeats the key) is raised for a
    key no header or URL can carry (inner spaces, line breaks, non-ASCII)."""
    key = key.strip() if key else None
    if key and not _HEADER_SAFE_KEY.fullmatch(key):
        raise BadRequest(refused)
    return key or None


def api_message(response: httpx.Response) -> str:
    """The API's own words for an error answer (``error``/``message``/``detail`` fields)."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:200] or response.reason_phrase
    if isinstance(body, dict):
        names = ("error", "message", "detail")
        said = [str(body[n]) for n in names if isinstance(body.get(n), str)]
        if said:
            return ": ".join(said)
    return str(body)[:200]


class CachedHttp:
    """One connection to one service, behind a cache, a rate limiter and a backoff.

    ``transport`` replaces the network (tests use a loopback server or ``httpx.MockTransport``);
    ``offline=True`` answers from the cache only; ``refresh=True`` ignores entries fetched
    before the refresh began (this client, an interrupted refresh it resumes, or
    ``refresh_began`` for a later step of the same build; call :meth:`finish_refresh` once
    everything was fetched); ``max_age`` (seconds) ignores older ones. Subclasses set the
    wording (``service``, the hints) and the credentials (``key_headers``, ``send_params``).
    """

    service = "the API"
    key_hint = "check the API key"
    """What to do about a 401/403."""
    rate_hint_keyed = "wait a while or lower --rps"
    rate_hint_anonymous = "set an API key for a rate of your own"

    def __init__(
        self,
        api_url: str,
        *,
        has_key: bool,
        key_headers: Mapping[str, str] | None = None,
        send_params: Mapping[str, str] | None = None,
        secret: str | None = None,
        cache: ResponseCache | None = None,
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
        self.api_url = api_url
        self.has_key = has_key
        self._send_params = dict(send_params or {})
        """Added to every request as it is sent (the key, a mailto): never in a cache key."""
        self._secret = secret
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
        headers = {"User-Agent": "implicit-atlas (Python; httpx)", **(key_headers or {})}
        self._http = httpx.Client(
            headers=headers,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
        )

    @property
    def connected(self) -> bool:
        """Whether the service answered at least once (any status) since this client opened."""
        return self._ever_connected

    def describe(self, path: str, params: Mapping[str, Any]) -> str:
        """What a request asks for, in words (for messages)."""
        return path

    def refusal(
        self, status: int, response: httpx.Response, path: str, params: Mapping[str, Any]
    ) -> SourceError:
        """The error for a 401/403: the key was refused (a service may say otherwise)."""
        return Unauthorized(
            self._scrub(
                f"{self.service} refused the request (HTTP {status}: "
                f"{api_message(response)}); {self.key_hint}"
            )
        )

    def _scrub(self, text: str) -> str:
        """`text` with the key blanked out (an httpx error may quote a URL carrying it)."""
        return text.replace(self._secret, "***") if self._secret else text

    def close(self) -> None:
        self._http.close()

    def finish_refresh(self) -> None:
        """Mark a refresh complete, so the next ``refresh=True`` re-fetches everything again.

        Only the client that began the refresh ends it (not one given ``refresh_began``).
        """
        if self._owns_refresh and self.cache is not None and not self.offline:
            self.cache.end_refresh()

    def __enter__(self) -> CachedHttp:
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
                raise NotFound(f"{self.service} has no {self.describe(path, params)}: {hit.data}")
            return hit
        if self.offline:
            raise NotCached(f"offline and not in the cache: {self.describe(path, params)}")
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
        """Whether :meth:`request` would answer this from the cache (the answer is not read)."""
        if self.cache is None:
            return False
        when = self.cache.fetched_at(method, path, dict(params), body, max_age=self.max_age)
        return when is not None and (self.fresh_after is None or when >= self.fresh_after)

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
                response = self._http.request(
                    method, self.api_url + path, params={**params, **self._send_params}, json=body
                )
            except httpx.ConnectTimeout:
                # no answer to the connection at all (TCP already retried the SYN within the
                # timeout): before any answer, that is a dead network, not worth a second wait
                problem = f"cannot connect to {self.api_url} (no answer in time)"
                if not self._ever_connected:
                    self.dead_reason = f"{self.service} is unreachable: {problem}"
                    raise Unreachable(self.dead_reason) from None
            except httpx.ConnectError as exc:
                connect_failures += 1
                problem = f"cannot connect to {self.api_url} ({self._scrub(_reason(exc))})"
                if not self._ever_connected and connect_failures >= DEAD_AFTER_CONNECT_FAILURES:
                    self.dead_reason = f"{self.service} is unreachable: {problem}"
                    raise Unreachable(self.dead_reason) from None
            except httpx.LocalProtocolError:  # the request itself is malformed: never retried,
                # and its text (which may quote a header) is not shown
                raise BadRequest(
                    f"the request for {self.describe(path, params)} could not be sent "
                    "(a malformed header)"
                ) from None
            except httpx.TimeoutException:
                problem = f"{self.api_url} did not answer in time"
            except httpx.TransportError as exc:
                problem = f"the connection to {self.api_url} broke ({self._scrub(_reason(exc))})"
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
                    message = self._scrub(api_message(response))
                    self._store(method, path, params, body, 404, message)
                    what = self.describe(path, params)
                    raise NotFound(f"{self.service} has no {what}: {message}")
                elif status in (401, 403):
                    raise self.refusal(status, response, path, params)
                elif status == 429:
                    self.limiter.on_rate_limited()
                    retry_after = parse_retry_after(response.headers.get("Retry-After"))
                    problem = RATE_LIMITED
                elif status in RETRY_STATUSES:
                    problem = f"the API answered HTTP {status}"
                else:
                    raise BadRequest(
                        self._scrub(
                            f"{self.service} rejected {self.describe(path, params)} "
                            f"(HTTP {status}): {api_message(response)}"
                        )
                    )
            wait = self.backoff.next_wait(attempt, waited, retry_after)
            if wait is not None and not self._ever_connected and connect_failures:
                wait = min(wait, FIRST_CONNECT_RETRY_WAIT)
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

    def _exhausted(self, problem: str, path: str, params: Mapping[str, Any]) -> SourceError:
        if problem == MALFORMED:
            return MalformedResponse(
                f"{self.service} sent malformed JSON for {self.describe(path, params)} on every "
                "retry; try again later"
            )
        if problem == RATE_LIMITED:
            hint = self.rate_hint_keyed if self.has_key else self.rate_hint_anonymous
            return RateLimited(f"{self.service} kept rate limiting us (HTTP 429); {hint}")
        if problem.startswith("cannot connect"):
            return Unreachable(f"{self.service} is unreachable: {problem}, after retries")
        return ServerFailed(f"{self.service} kept failing: {problem}, after retries")

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


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__
