"""Politeness towards Semantic Scholar: a request-rate limiter and a bounded retry backoff.

The API grants about one request per second to a key and shares a pool between anonymous
clients, so without a key the limiter starts slower and slows down further on every 429.
Both classes take their clock and sleep function as arguments so tests run in milliseconds.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

KEYED_RPS = 1.0
"""Requests per second granted to an API key."""

ANONYMOUS_RPS = 0.5
"""Starting rate without a key; adaptive, because the shared pool answers 429 under load."""

MIN_ADAPTIVE_RPS = 0.1


class RateLimiter:
    """Spaces requests at least ``1/rps`` seconds apart.

    With ``adaptive=True`` a 429 halves the rate (down to ``min_rps``) and every success
    afterwards wins back a tenth of the lost ground, up to the starting rate.
    """

    def __init__(
        self,
        rps: float,
        *,
        adaptive: bool = False,
        min_rps: float = MIN_ADAPTIVE_RPS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rps <= 0:
            raise ValueError("rps must be positive")
        self.target_rps = rps
        self.rps = rps
        self.adaptive = adaptive
        self.min_rps = min(min_rps, rps)
        self._clock = clock
        self._sleep = sleep
        self._next_at: float | None = None

    @classmethod
    def for_key(cls, has_key: bool, rps: float | None = None) -> RateLimiter:
        """The default limiter: ``rps`` if given, else 1/s with a key, 0.5/s adaptive without."""
        if rps is not None:
            return cls(rps, adaptive=not has_key)
        return cls(KEYED_RPS if has_key else ANONYMOUS_RPS, adaptive=not has_key)

    def wait(self) -> float:
        """Block until the next request may go out; return the seconds slept."""
        now = self._clock()
        slept = 0.0
        if self._next_at is not None and now < self._next_at:
            slept = self._next_at - now
            self._sleep(slept)
            now = self._next_at
        self._next_at = now + 1.0 / self.rps
        return slept

    def on_rate_limited(self) -> None:
        if self.adaptive:
            self.rps = max(self.min_rps, self.rps / 2)

    def on_success(self) -> None:
        if self.adaptive and self.rps < self.target_rps:
            self.rps = min(self.target_rps, self.rps + (self.target_rps - self.rps) / 10 + 1e-3)


@dataclass
class Backoff:
    """Exponential backoff with jitter, honouring ``Retry-After``, bounded in total.

    The wait before retry ``attempt + 1`` is uniform in ``[c/2, c]`` with
    ``c = min(max_delay, base * factor**attempt)``; a longer ``Retry-After`` wins. A request is
    given up after ``max_attempts`` tries or once the waits would exceed ``max_total`` seconds.
    """

    base: float = 1.0
    factor: float = 2.0
    max_delay: float = 60.0
    max_total: float = 300.0
    max_attempts: int = 8
    rng: random.Random = field(default_factory=random.Random)
    sleep: Callable[[float], None] = time.sleep

    def next_wait(
        self, attempt: int, waited: float, retry_after: float | None = None
    ) -> float | None:
        """Seconds to wait before retrying, or None when the retry budget is spent."""
        if attempt + 1 >= self.max_attempts:
            return None
        ceiling = min(self.max_delay, self.base * self.factor**attempt)
        wait = self.rng.uniform(ceiling / 2, ceiling)
        if retry_after is not None:
            wait = max(wait, retry_after)
        if waited + wait > self.max_total:
            return None
        return wait


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (seconds or HTTP date); None if absent or invalid."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            return None
        seconds = (when - datetime.now(UTC)).total_seconds()
    return max(0.0, seconds)
