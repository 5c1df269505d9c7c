"""The rate limiter and the retry backoff, on a fake clock."""

from __future__ import annotations

import random

import pytest

from implicit_atlas.graph.sources.ratelimit import Backoff, RateLimiter, parse_retry_after


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_limiter_spaces_requests_by_one_over_rps():
    clock = FakeClock()
    limiter = RateLimiter(2.0, clock=clock, sleep=clock.sleep)
    for _ in range(5):
        limiter.wait()
    assert clock.slept == pytest.approx([0.5] * 4), "5 requests at 2 rps take 4 half-second gaps"


def test_limiter_does_not_sleep_when_caller_is_slower_than_the_rate():
    clock = FakeClock()
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 3
    limiter.wait()
    assert clock.slept == []


def test_default_rates_with_and_without_key():
    keyed = RateLimiter.for_key(True)
    anonymous = RateLimiter.for_key(False)
    assert keyed.rps == 1.0 and not keyed.adaptive
    assert anonymous.rps < 1.0 and anonymous.adaptive
    assert RateLimiter.for_key(True, 7.0).rps == 7.0


def test_adaptive_limiter_halves_on_429_and_recovers_slowly():
    limiter = RateLimiter(0.5, adaptive=True, min_rps=0.1)
    limiter.on_rate_limited()
    assert limiter.rps == pytest.approx(0.25)
    for _ in range(5):
        limiter.on_rate_limited()
    assert limiter.rps == pytest.approx(0.1), "never below the floor"
    for _ in range(200):
        limiter.on_success()
    assert limiter.rps == pytest.approx(0.5), "back to the starting rate, not above"


def test_fixed_limiter_ignores_429():
    limiter = RateLimiter(1.0)
    limiter.on_rate_limited()
    assert limiter.rps == 1.0


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    b = Backoff(base=1.0, factor=2.0, max_delay=10.0, max_total=1000, rng=random.Random(1))
    for attempt in range(6):
        ceiling = min(10.0, 2.0**attempt)
        wait = b.next_wait(attempt, 0.0)
        assert wait is not None and ceiling / 2 <= wait <= ceiling


def test_backoff_honours_a_longer_retry_after():
    b = Backoff(base=0.01, rng=random.Random(0))
    assert b.next_wait(0, 0.0, retry_after=7.0) == 7.0


def test_backoff_gives_up_on_attempts_and_total_wait():
    b = Backoff(base=1.0, max_attempts=3, max_total=100)
    assert b.next_wait(2, 0.0) is None, "third attempt failed: no fourth"
    b = Backoff(base=1.0, max_total=5.0)
    assert b.next_wait(0, 4.9) is None, "the wait would exceed the total budget"
    assert Backoff(max_total=60).next_wait(0, 0.0, retry_after=3600) is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param("3", 3.0, id="seconds"),
        pytest.param(" 1.5 ", 1.5, id="fractional"),
        pytest.param(None, None, id="absent"),
        pytest.param("soon", None, id="garbage"),
        pytest.param("Wed, 21 Oct 2015 07:28:00 GMT", 0.0, id="date-in-the-past"),
    ],
)
def test_parse_retry_after(header, expected):
    assert parse_retry_after(header) == expected
