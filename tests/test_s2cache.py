"""The SQLite response cache: keys, persistence, ages, sharing."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from typing import Any

from implicit_atlas.graph.sources.cache import CACHE_FILE_NAME, S2Cache, request_key


def test_round_trip_and_persistence(tmp_path):
    with S2Cache(tmp_path) as cache:
        cache.put("POST", "/graph/v1/paper/batch", {"fields": "title"}, {"ids": ["a"]}, 200, [1])
    with S2Cache(tmp_path) as cache:
        hit = cache.get("POST", "/graph/v1/paper/batch", {"fields": "title"}, {"ids": ["a"]})
        assert hit is not None and hit.data == [1] and hit.status == 200
        assert (
            cache.get("POST", "/graph/v1/paper/batch", {"fields": "title"}, {"ids": ["b"]}) is None
        )
        assert cache.get("GET", "/graph/v1/paper/batch", {"fields": "title"}) is None


def test_key_depends_on_method_path_params_body_not_param_order():
    a = request_key("GET", "/p", {"fields": "x", "offset": 0})
    assert a == request_key("GET", "/p", {"offset": 0, "fields": "x"})
    assert a != request_key("GET", "/p", {"fields": "x", "offset": 1000})
    assert a != request_key("POST", "/p", {"fields": "x", "offset": 0})
    assert request_key("POST", "/p", None, {"ids": [1]}) != request_key(
        "POST", "/p", None, {"ids": [2]}
    )


def test_max_age_hides_old_entries(tmp_path):
    with S2Cache(tmp_path) as cache:
        cache.put("GET", "/old", {}, None, 200, "old", fetched_at=time.time() - 3600)
        cache.put("GET", "/new", {}, None, 200, "new")
        assert cache.get("GET", "/old", {}, max_age=60) is None
        assert cache.get("GET", "/old", {}).data == "old"
        assert cache.get("GET", "/new", {}, max_age=60).data == "new"


def test_wal_mode_lets_two_connections_share_the_file(tmp_path):
    first = S2Cache(tmp_path)
    second = S2Cache(tmp_path)
    first.put("GET", "/a", {}, None, 200, {"x": 1})
    assert second.get("GET", "/a", {}).data == {"x": 1}, "a committed entry is visible at once"
    mode = sqlite3.connect(tmp_path / CACHE_FILE_NAME).execute("PRAGMA journal_mode").fetchone()
    assert mode[0] == "wal"
    first.close()
    second.close()


def test_default_location_is_the_user_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    with S2Cache() as cache:
        assert cache.path == tmp_path / "implicit-atlas" / CACHE_FILE_NAME
        assert cache.path.exists()


def _open_and_store(folder: str, barrier: Any, worker: int, errors: Any) -> None:
    """Child process: wait for the others, then create/open the cache and write."""
    barrier.wait()
    try:
        with S2Cache(folder) as cache:
            cache.put("GET", f"/paper/{worker}", None, None, 200, {"worker": worker})
    except Exception as exc:  # reported to the parent, which asserts on it
        errors.put(f"worker {worker}: {exc}")


def test_builds_that_create_the_cache_at_the_same_moment_both_open_it(tmp_path):
    """Regression: the second of two builds started together failed with "database is locked".

    Creating a new file in WAL mode takes an exclusive lock that SQLite does not wait for,
    so processes racing to create the cache must retry instead of failing. Before the fix
    one round in four to ten failed here.
    """
    context = multiprocessing.get_context("fork")
    workers = 6
    errors = context.Queue()
    for round_ in range(40):
        folder = str(tmp_path / f"round{round_}")
        barrier = context.Barrier(workers)
        procs = [
            context.Process(target=_open_and_store, args=(folder, barrier, n, errors))
            for n in range(workers)
        ]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(timeout=60)
        assert [proc.exitcode for proc in procs] == [0] * workers
        found = []
        while not errors.empty():
            found.append(errors.get())
        assert found == []
        with S2Cache(folder) as cache:
            assert len(cache) == workers


def test_a_refresh_is_resumed_until_it_ends_or_grows_old(tmp_path):
    from implicit_atlas.graph.sources.cache import REFRESH_RESUME_SECONDS

    with S2Cache(tmp_path) as cache:
        began = cache.begin_refresh(now=1000.0)
        assert began == 1000.0
        assert cache.begin_refresh(now=1500.0) == 1000.0, "an unfinished refresh is resumed"
    with S2Cache(tmp_path) as cache:  # the start survives the process
        assert cache.begin_refresh(now=2000.0) == 1000.0
        cache.end_refresh()
        assert cache.begin_refresh(now=3000.0) == 3000.0
        later = 3000.0 + REFRESH_RESUME_SECONDS + 1
        assert cache.begin_refresh(now=later) == later, "a day-old refresh starts over"
