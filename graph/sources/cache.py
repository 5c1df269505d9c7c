"""A disk cache of API responses, so no answer is ever fetched twice.

One SQLite file per service (in the user cache directory by default: ``s2-cache.sqlite3``,
``openalex-cache.sqlite3``) maps a request — method, path, query parameters and body, never
the API key — to the JSON the API sent and the time it was fetched. WAL mode lets two builds
share the file; every entry is committed before the caller uses it, so a build killed at any
point resumes without repeating a request.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from ..errors import OutputError

CACHE_FILE_NAME = "s2-cache.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    params TEXT NOT NULL,
    body TEXT,
    status INTEGER NOT NULL,
    payload TEXT NOT NULL,
    fetched_at REAL NOT NULL
)
"""

_META_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    name TEXT PRIMARY KEY,
    value REAL NOT NULL
)
"""

REFRESH_RESUME_SECONDS = 24 * 3600.0
"""An interrupted ``--refresh`` younger than this is resumed, not started over."""


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("implicit-atlas", appauthor=False))


def request_key(
    method: str, path: str, params: Mapping[str, Any] | None = None, body: Any = None
) -> str:
    """A stable digest of what identifies a request (credentials are not part of it)."""
    canonical = json.dumps(
        [method.upper(), path, sorted((params or {}).items()), body],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_LOCK_WAIT_SECONDS = 30.0


def _open_shared(path: Path) -> sqlite3.Connection:
    """Connect and prepare the schema, waiting out another process doing the same.

    Switching a new file to WAL needs an exclusive lock, and SQLite answers "database is
    locked" at once (without its busy timeout) when two builds create the cache together;
    so the set-up is retried, with short growing pauses, for up to ``_LOCK_WAIT_SECONDS``.
    """
    deadline = time.monotonic() + _LOCK_WAIT_SECONDS
    pause = 0.01
    while True:
        db = sqlite3.connect(path, timeout=_LOCK_WAIT_SECONDS, check_same_thread=False)
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(_SCHEMA)
            db.execute(_META_SCHEMA)
            db.commit()
            return db
        except sqlite3.OperationalError as exc:
            db.close()
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() + pause > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
        except BaseException:
            db.close()
            raise


@dataclass(frozen=True)
class CachedResponse:
    status: int
    data: Any
    fetched_at: float


class ResponseCache:
    """SQLite response store: ``ResponseCache(dir)`` opens (or creates) ``dir/s2-cache.sqlite3``;
    another service passes its own ``file_name`` and ``service`` (for messages)."""

    def __init__(
        self,
        cache_dir: str | os.PathLike[str] | None = None,
        *,
        file_name: str = CACHE_FILE_NAME,
        service: str = "Semantic Scholar",
    ) -> None:
        folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.path = folder / file_name
        self.writes = 0
        """Answers this object stored (a build tells its own writes from another's)."""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = _open_shared(self.path)
        except (OSError, sqlite3.Error) as exc:
            raise OutputError(
                f"cannot open the {service} cache at {self.path} ({exc}); "
                "choose another folder with --cache-dir"
            ) from exc

    def get(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        *,
        max_age: float | None = None,
    ) -> CachedResponse | None:
        """The stored response, or None if absent or older than ``max_age`` seconds."""
        row = self._fresh_row("fetched_at, status, payload", method, path, params, body, max_age)
        if row is None:
            return None
        fetched_at, status, payload = row
        return CachedResponse(status=status, data=json.loads(payload), fetched_at=fetched_at)

    def fetched_at(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        *,
        max_age: float | None = None,
    ) -> float | None:
        """When the stored response was fetched (None if absent or older than ``max_age``
        seconds), without reading it: a batch reply is megabytes of JSON to decode."""
        row = self._fresh_row("fetched_at", method, path, params, body, max_age)
        return None if row is None else float(row[0])

    def _fresh_row(
        self,
        columns: str,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Any,
        max_age: float | None,
    ) -> tuple[Any, ...] | None:
        """The stored row's `columns` (``fetched_at`` first), None if absent or too old."""
        row = self._db.execute(
            f"SELECT {columns} FROM responses WHERE key = ?",  # columns: ours, never input
            (request_key(method, path, params, body),),
        ).fetchone()
        if row is None or (max_age is not None and time.time() - row[0] > max_age):
            return None
        return tuple(row)

    def put(
        self,
        method: str,
        path: str,
        params: Mapping[str, Any] | None,
        body: Any,
        status: int,
        data: Any,
        *,
        fetched_at: float | None = None,
    ) -> CachedResponse:
        """Store and commit a response; return it as the cache will give it back."""
        when = time.time() if fetched_at is None else fetched_at
        self._db.execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                request_key(method, path, params, body),
                method.upper(),
                path,
                json.dumps(sorted((params or {}).items())),
                None if body is None else json.dumps(body),
                status,
                json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                when,
            ),
        )
        self._bump_generation()
        self._db.commit()
        self.writes += 1
        return CachedResponse(status=status, data=data, fetched_at=when)

    def _bump_generation(self) -> None:
        updated = self._db.execute(
            "UPDATE meta SET value = value + 1 WHERE name = 'generation'"
        ).rowcount
        if not updated:
            self._db.execute("INSERT INTO meta VALUES ('generation', 1)")

    def generation(self) -> int:
        """How many answers were stored in this file (by versions that count them)."""
        row = self._db.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def state(self) -> str:
        """A cheap token that changes whenever an answer is stored: the file (where it is, and
        a random identity it keeps, so another file put in its place differs), the write
        counter, the number of answers and the newest row (the last two also catch a writer
        of an older version, which does not count its writes). Equal tokens, same answers."""
        self._db.execute("INSERT OR IGNORE INTO meta VALUES ('identity', ?)", (random.random(),))
        self._db.commit()
        (identity,) = self._db.execute("SELECT value FROM meta WHERE name = 'identity'").fetchone()
        count, newest = self._db.execute("SELECT COUNT(*), MAX(rowid) FROM responses").fetchone()
        return f"{self.path.resolve()}:{identity!r}:{self.generation()}:{count}:{newest}"

    def begin_refresh(self, now: float | None = None) -> float:
        """When the current refresh began: an unfinished one's start, or ``now`` (recorded).

        Entries fetched after that moment count as fresh, so a refresh that was interrupted
        and run again within ``REFRESH_RESUME_SECONDS`` fetches only what it had not yet.
        """
        now = time.time() if now is None else now
        row = self._db.execute("SELECT value FROM meta WHERE name = 'refresh_began'").fetchone()
        if row is not None and 0 <= now - row[0] <= REFRESH_RESUME_SECONDS:
            return float(row[0])
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('refresh_began', ?)", (now,))
        self._db.commit()
        return now

    def end_refresh(self) -> None:
        """Forget the refresh in progress: it finished, the next one starts afresh."""
        self._db.execute("DELETE FROM meta WHERE name = 'refresh_began'")
        self._db.commit()

    def __len__(self) -> int:
        (count,) = self._db.execute("SELECT COUNT(*) FROM responses").fetchone()
        return int(count)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ResponseCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


S2Cache = ResponseCache
"""The Semantic Scholar cache: the default file name."""
