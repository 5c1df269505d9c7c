"""A loopback OpenAlex works API for tests and benchmarks, with fault injection.

It serves, on 127.0.0.1 (ephemeral port), the same generated literature as tests/s2server.py
but as OpenAlex describes it: other ids (``W…``), DOIs as ``https://doi.org/…`` URLs (an
arXiv-only paper under its arXiv DOI ``10.48550/arxiv.<id>``), an arxiv.org location for
arXiv papers, abstracts as inverted indexes, and reference lists that differ in part from
S2's (some references dropped, some added), as the two services' lists do.

``GET /works`` speaks what the adapter uses, with the rules of the current docs (see
docs/openalex.md): ``filter=doi:…|…``, ``openalex:W…|…``, ``cites:W…`` and
``title.search:"a phrase"|…`` (at most 100 values per filter), ``select`` (root-level fields only), ``per_page`` 1–100, basic paging
(``page``, at most 10,000 results) and cursor paging (``cursor=*``, ``meta.next_cursor``;
past the first page only with a key when ``cursor_needs_key``). Errors come as OpenAlex
sends them: ``{"error": …, "message": …}``, a malformed query with 403 (as OpenAlex's own API
code does; ``param_error_status=400`` for a 400), 401 without the key when ``required_key``
is set; faults (429 with Retry-After, 500, 503, truncated JSON) are queued per filter text.
"""

from __future__ import annotations

import base64
import json
import random
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from s2server import FakeGraph, JsonHandler, LoopbackServer

SELECTABLE = {
    "id", "doi", "title", "display_name", "publication_year", "publication_date", "ids",
    "authorships", "primary_location", "locations", "type", "cited_by_count",
    "referenced_works_count", "referenced_works", "abstract_inverted_index", "related_works",
}  # fmt: skip
MAX_PER_PAGE = 100
MAX_OR_VALUES = 100
BASIC_LIMIT = 10_000
OA = "https://openalex.org/"


@dataclass
class OpenAlexWorld:
    works: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Short id (``W…``) -> the full work record."""
    citing: dict[str, list[str]] = field(default_factory=dict)
    by_doi: dict[str, str] = field(default_factory=dict)
    of_s2: dict[str, str] = field(default_factory=dict)
    """S2 paperId -> OpenAlex short id (what the tests compare against)."""

    def finish(self) -> OpenAlexWorld:
        self.citing = {w: [] for w in self.works}
        for wid, work in sorted(self.works.items()):
            for ref in work["referenced_works"]:
                self.citing[ref.removeprefix(OA)].append(wid)
        for wid, work in self.works.items():
            work["cited_by_count"] = len(self.citing[wid])
            work["referenced_works_count"] = len(work["referenced_works"]) + work.pop("_hidden", 0)
        return self


def from_s2(
    graph: FakeGraph, *, drop: float = 0.2, extra: float = 0.1, seed: int = 0
) -> OpenAlexWorld:
    """The papers of an S2 FakeGraph as OpenAlex works, with partly different references."""
    rng = random.Random(seed)
    world = OpenAlexWorld()
    order = sorted(graph.papers, key=lambda p: (graph.papers[p].get("corpusId") or 0, p))
    for n, pid in enumerate(order):
        world.of_s2[pid] = f"W{4_000_000_000 + n}"
    for n, pid in enumerate(order):
        paper = graph.papers[pid]
        wid = world.of_s2[pid]
        ext = paper.get("externalIds") or {}
        doi = ext.get("DOI") or (f"10.48550/arxiv.{ext['ArXiv']}" if ext.get("ArXiv") else None)
        locations = [{"landing_page_url": f"https://doi.org/{doi}", "source": None}] if doi else []
        if ext.get("ArXiv"):
            locations.append(
                {"landing_page_url": f"https://arxiv.org/abs/{ext['ArXiv']}", "source": None}
            )
        refs = [
            world.of_s2[e["cited"]]
            for e in graph.references[pid]
            if e["cited"] is not None and rng.random() >= drop
        ]
        if extra and n and graph.references[pid]:  # references S2 does not list
            added = max(1, round(extra * len(graph.references[pid])))
            refs += [world.of_s2[order[rng.randrange(n)]] for _ in range(added)]
        words = (paper.get("abstract") or "").split()
        index: dict[str, list[int]] = {}
        for i, word in enumerate(words):
            index.setdefault(word, []).append(i)
        work = {
            "id": OA + wid,
            "doi": f"https://doi.org/{doi.lower()}" if doi else None,
            "title": paper["title"],
            "display_name": paper["title"],
            "publication_year": paper.get("year"),
            "ids": {"openalex": OA + wid, **({"doi": f"https://doi.org/{doi}"} if doi else {})},
            "authorships": [
                {"author_position": "middle", "author": {"display_name": a["name"]}}
                for a in paper.get("authors") or []
            ],
            "primary_location": {
                "landing_page_url": locations[0]["landing_page_url"] if locations else None,
                "source": {"display_name": paper.get("venue")} if paper.get("venue") else None,
            },
            "locations": locations,
            "type": "article",
            "referenced_works": [OA + r for r in dict.fromkeys(refs) if r != wid],
            "abstract_inverted_index": index or None,
            "_hidden": rng.randint(0, 3),  # references OpenAlex counts but does not list
        }
        world.works[wid] = work
        if doi:
            world.by_doi[doi.lower()] = wid
    return world.finish()


@dataclass
class Fault:
    kind: str
    contains: str = ""
    times: int = 1
    retry_after: float = 0.0


@dataclass
class Logged:
    path: str
    query: dict[str, str]
    fault: str | None


PARAM_ERROR_STATUS = 403
"""OpenAlex's API answers a malformed query with 403 and "Invalid query parameters error."
(ourresearch/openalex-elastic-api, core/exceptions.py); a server in front may say 400."""


def _error(message: str, status: int = PARAM_ERROR_STATUS) -> tuple[int, dict[str, Any]]:
    title = "Unauthorized" if status == 401 else "Invalid query parameters error."
    return status, {"error": title, "message": message}


class OpenAlexServer(LoopbackServer):
    """Serve an OpenAlexWorld on 127.0.0.1; ``url`` is the API root to give the client."""

    def __init__(
        self,
        world: OpenAlexWorld,
        *,
        required_key: str | None = None,
        cursor_needs_key: bool = True,
        param_error_status: int = PARAM_ERROR_STATUS,
    ) -> None:
        self.world = world
        self.param_error_status = param_error_status
        self.required_key = required_key
        self.cursor_needs_key = cursor_needs_key
        self.faults: list[Fault] = []
        self.log: list[Logged] = []
        self.lock = threading.Lock()
        self._listen(_Handler)

    def inject(self, kind: str, contains: str = "", times: int = 1, **kw: Any) -> None:
        self.faults.append(Fault(kind, contains, times, **kw))

    def pick_fault(self, text: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.contains in text:
                    fault.times -= 1
                    return fault
        return None

    # -- the API -----------------------------------------------------------------------------

    def answer(self, path: str, q: dict[str, str]) -> tuple[int, Any]:
        key = q.get("api_key")
        if self.required_key is not None and key != self.required_key:
            return _error("A valid API key is required: add api_key=YOUR_KEY", 401)
        if path.rstrip("/") != "/works":
            return 404, {"error": "Not found", "message": f"no such endpoint {path}"}
        try:
            per_page = int(q.get("per_page", q.get("per-page", "25")))
        except ValueError:
            return _error("per_page must be a number")
        if not 1 <= per_page <= MAX_PER_PAGE:
            return _error(f"per_page is {per_page}; it must be between 1 and {MAX_PER_PAGE}")
        fields = [f for f in q.get("select", "").split(",") if f]
        for f in fields:
            if f not in SELECTABLE:
                return _error(f"{f} is not a valid select field (root-level fields only)")
        matches, problem = self._filter(q.get("filter", ""))
        if problem:
            return _error(problem)
        meta: dict[str, Any] = {"count": len(matches), "per_page": per_page}
        if "cursor" in q:
            cursor = q["cursor"]
            if cursor != "*" and self.cursor_needs_key and not key:
                return _error("Cursor paging past the first page requires an API key", 401)
            start = 0 if cursor == "*" else int(base64.urlsafe_b64decode(cursor).decode())
            end = start + per_page
            meta["page"] = None
            meta["next_cursor"] = (
                base64.urlsafe_b64encode(str(end).encode()).decode()
                if start < len(matches)
                else None
            )
        else:
            page = int(q.get("page", "1"))
            if page * per_page > BASIC_LIMIT:
                return _error(
                    "Maximum results size of 10,000 records is exceeded. Cursor pagination "
                    "is required for records beyond 10,000."
                )
            start, end = (page - 1) * per_page, page * per_page
            meta["page"] = page
        works = [self.world.works[w] for w in matches[start:end]]
        results = [{f: w.get(f) for f in fields} if fields else w for w in works]
        return 200, {"meta": meta, "results": results, "group_by": []}

    def _filter(self, text: str) -> tuple[list[str], str | None]:
        if not text:
            return sorted(self.world.works), None
        name, _, value = text.partition(":")
        values = value.split("|")
        if len(values) > MAX_OR_VALUES:
            return [], f"Maximum number of values in an OR filter is {MAX_OR_VALUES}"
        w = self.world
        if name == "doi":
            found = {w.by_doi.get(v.lower().removeprefix("https://doi.org/")) for v in values} - {
                None
            }
        elif name in ("openalex", "ids.openalex"):
            found = {v.removeprefix(OA).upper() for v in values} & set(w.works)
        elif name == "title.search":  # each value a phrase ("..."), matched on whole words
            phrases = [_words(v.strip().strip('"')) for v in values]
            found = {
                wid
                for wid, work in w.works.items()
                if any(p and f" {p} " in f" {_words(work['display_name'])} " for p in phrases)
            }
        elif name == "cites":
            if len(values) != 1:
                return [], "cites takes one work id here"
            found = set(w.citing.get(values[0].removeprefix(OA).upper(), []))
        else:
            return [], f"{name} is not a valid filter for works"
        return sorted(f for f in found if f), None


def _words(text: str | None) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).split())


class _Handler(JsonHandler):
    api: OpenAlexServer

    def do_GET(self) -> None:  # noqa: N802
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        fault = self.api.pick_fault(query.get("filter", "") + parsed.path)
        with self.api.lock:
            self.api.log.append(Logged(parsed.path, query, fault.kind if fault else None))
        if fault is not None and fault.kind in ("429", "500", "503"):
            headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.kind == "429" else {}
            self._send(int(fault.kind), {"error": f"injected {fault.kind}"}, headers)
            return
        status, payload = self.api.answer(parsed.path, query)
        if status == PARAM_ERROR_STATUS and payload.get("error") != "Unauthorized":
            status = self.api.param_error_status
        data = json.dumps(payload).encode()
        if fault is not None and fault.kind == "truncated" and status == 200:
            data = data[: len(data) // 2]
        self._send_raw(status, data)
