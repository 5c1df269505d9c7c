"""Moved to :mod:`implicit_atlas.graph.sources.ratelimit`; this name stays so imports work."""

from .sources.ratelimit import Backoff as Backoff
from .sources.ratelimit import RateLimiter as RateLimiter
from .sources.ratelimit import parse_retry_after as parse_retry_after
