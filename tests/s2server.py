"""A loopback Semantic Scholar API for tests and benchmarks, with fault injection.

It serves a generated citation graph over real HTTP on 127.0.0.1 (ephemeral port), speaking
the endpoints implicit-atlas uses, with the shapes of the real API (see the S2 reference
responses): ``POST /graph/v1/paper/batch``, ``GET /graph/v1/paper/{id}``,
``/graph/v1/paper/{id}/references|citations`` (paged, ``limit <= 1000``,
``offset + limit < 10000``), ``/graph/v1/paper/search/match`` and
``/recommendations/v1/papers/forpaper/{id}``. The ``embedding.specter_v2`` field gives
deterministic fake vectors planted by topic (:meth:`FakeGraph.embedding`).

The generated graph has what real data has: references S2 could not resolve
(``paperId: null``), records with missing fields, papers with thousands of citations.
Faults are queued per path (429 with Retry-After, 500/503/504, slow answers, dropped
connections, truncated JSON) or drawn at random; ``null_rate`` makes batches answer ``null``
for known ids, as the real API does under load. Every request is logged with its headers.

    with S2Server(generate_graph(n_papers=300)) as server:
        client = S2Client(server.url, ...)
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

EDGE_FIELD_NAMES = {"contexts", "intents", "isInfluential", "contextsWithIntent"}
INTENTS = ("background", "methodology", "result")
WORDS = (
    "implicit deep equilibrium neural ordinary differential equations layers optimization "
    "convex monotone operator fixed point adjoint sensitivity stochastic controlled rough "
    "paths normalizing flows continuous time series learning networks models gradients "
    "training stable robust efficient scalable latent dynamics physics informed solvers"
).split()


def paper_id(n: int, salt: str = "") -> str:
    return hashlib.sha1(f"{salt}paper-{n}".encode()).hexdigest()


@dataclass
class FakeGraph:
    """Papers (full S2 records) and reference lists; citations are derived from references."""

    papers: dict[str, dict[str, Any]] = field(default_factory=dict)
    references: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    citations: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    seeds: list[str] = field(default_factory=list)
    by_external: dict[str, str] = field(default_factory=dict)
    by_title: dict[str, str] = field(default_factory=dict)

    def add_paper(self, record: dict[str, Any]) -> str:
        pid = record["paperId"]
        self.papers[pid] = record
        self.references.setdefault(pid, [])
        self.citations.setdefault(pid, [])
        ext = record.get("externalIds") or {}
        if ext.get("ArXiv"):
            self.by_external[f"ARXIV:{ext['ArXiv']}".lower()] = pid
        if ext.get("DOI"):
            self.by_external[f"DOI:{ext['DOI']}".lower()] = pid
        if record.get("corpusId") is not None:
            self.by_external[f"CORPUSID:{record['corpusId']}".lower()] = pid
        if record.get("title"):
            self.by_title[normalise_title(record["title"])] = pid
        return pid

    def cite(self, citing: str, cited: str | None, rng: random.Random) -> None:
        """Add ``citing -> cited``; ``cited=None`` is a reference S2 could not resolve."""
        edge = {
            "citing": citing,
            "cited": cited,
            "isInfluential": rng.random() < 0.2,
            "intents": sorted(rng.sample(INTENTS, rng.randint(0, 2))),
            "contexts": [f"as shown in [{rng.randint(1, 60)}]"] if rng.random() < 0.7 else [],
        }
        self.references[citing].append(edge)
        if cited is not None:
            self.citations[cited].append(edge)

    def finish(self) -> FakeGraph:
        """Set citation and reference counts from the lists, as the real API reports them."""
        for pid, record in self.papers.items():
            record["citationCount"] = len(self.citations[pid])
            record["referenceCount"] = len(self.references[pid])
            record["influentialCitationCount"] = sum(
                1 for e in self.citations[pid] if e["isInfluential"]
            )
        return self

    embedding_topics: int = 4
    """Planted topics of the fake SPECTER2 vectors: same topic, nearby vectors."""
    embedding_dim: int = 16

    def topic_of(self, pid: str) -> int:
        return int(pid[:8], 16) % self.embedding_topics

    def embedding(self, pid: str, model: str = "specter_v2") -> dict[str, Any] | None:
        """A deterministic fake vector: the paper's topic centre plus small noise; one paper
        in ten has none (``null``), as real records do."""
        if int(pid[8:10], 16) % 10 == 0:
            return None
        centre = random.Random(f"topic-{self.topic_of(pid)}")
        noise = random.Random(f"noise-{pid}")
        vector = [
            round(centre.gauss(0, 1) + 0.35 * noise.gauss(0, 1), 5)
            for _ in range(self.embedding_dim)
        ]
        return {"model": model, "vector": vector}

    def resolve(self, ident: str) -> str | None:
        if re.fullmatch(r"[0-9a-f]{40}", ident):
            return ident if ident in self.papers else None
        if ident.upper().startswith("URL:"):
            url = ident[4:]
            m = re.search(r"arxiv\.org/(?:abs|pdf)/([^/?#]+?)(?:v\d+)?(?:\.pdf)?$", url)
            if m:
                return self.by_external.get(f"arxiv:{m.group(1)}".lower())
            m = re.search(r"semanticscholar\.org/paper/(?:[^/]+/)?([0-9a-f]{40})", url)
            if m:
                return self.resolve(m.group(1))
            m = re.search(r"doi\.org/(10\..+)$", url)
            if m:
                return self.by_external.get(f"doi:{m.group(1)}".lower())
            return None
        return self.by_external.get(ident.lower())


def normalise_title(title: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", title.lower()))


def generate_graph(
    n_papers: int = 300,
    n_seeds: int = 5,
    *,
    seed: int = 0,
    refs_per_paper: tuple[int, int] = (3, 25),
    null_ref_rate: float = 0.08,
    missing_field_rate: float = 0.1,
    big_citations: dict[int, int] | None = None,
    salt: str = "",
) -> FakeGraph:
    """A reproducible random citation graph.

    Papers cite earlier ones, so the graph is acyclic like real literature. The ``n_seeds``
    seeds sit in the middle of the timeline (they have both references and citations).
    ``big_citations={i: n}`` gives seed ``i`` ``n`` extra citing papers (to exercise
    paging and the 9,999 cap).
    """
    rng = random.Random(seed)
    g = FakeGraph()
    ids = [paper_id(i, salt) for i in range(n_papers)]
    for i, pid in enumerate(ids):
        g.add_paper(paper_record_for(i, pid, rng, missing_field_rate, salt))
    for i, pid in enumerate(ids):
        if i == 0:
            continue
        k = min(i, rng.randint(*refs_per_paper))
        for j in sorted(rng.sample(range(i), k)):
            g.cite(pid, ids[j], rng)
        for _ in range(sum(1 for _ in range(k) if rng.random() < null_ref_rate)):
            g.cite(pid, None, rng)
    step = max(1, n_papers // (n_seeds + 1))
    g.seeds = [ids[min(n_papers - 1, step * (s + 1))] for s in range(n_seeds)]
    for s, count in (big_citations or {}).items():
        target = g.seeds[s]
        base = n_papers + 1_000_000 * (s + 1)
        for k in range(count):
            pid = paper_id(base + k, salt)
            g.add_paper(paper_record_for(base + k, pid, rng, missing_field_rate, salt))
            g.cite(pid, target, rng)
    return g.finish()


def paper_record_for(
    i: int, pid: str, rng: random.Random, missing: float = 0.0, salt: str = ""
) -> dict[str, Any]:
    """A full S2 paper record for generated paper ``i``; ``missing`` of them lose two fields."""
    title = " ".join(rng.sample(WORDS, 6)).capitalize() + f" {salt}{i}"
    year = 1990 + i * 34 // max(1, i + 50) + rng.randint(0, 3)
    external: dict[str, Any] | None = {"CorpusId": 10_000_000 + i}
    assert external is not None
    if i % 3 == 0:
        external["ArXiv"] = f"{2000 + i % 20:04d}.{i % 100000:05d}"
    if i % 4 == 1:
        external["DOI"] = f"10.5555/Fake.{salt}{i}"
    record: dict[str, Any] = {
        "paperId": pid,
        "externalIds": external,
        "corpusId": 10_000_000 + i,
        "url": f"https://www.semanticscholar.org/paper/{pid}",
        "title": title,
        "abstract": f"We study {title.lower()}.",
        "venue": rng.choice(["NeurIPS", "ICML", "ICLR", "JMLR", "arXiv.org"]),
        "year": min(year, 2025),
        "authors": [
            {"authorId": str(rng.randint(1, 10**6)), "name": f"Author {rng.randint(1, 500)}"}
            for _ in range(rng.randint(1, 4))
        ],
        "publicationTypes": ["JournalArticle"],
    }
    # S2's journal record: volume and pages for some, an empty record for others (as real ones)
    record["journal"] = (
        {"name": record["venue"], "volume": str(1 + i % 30), "pages": f"{i % 90 + 1}-{i % 90 + 12}"}
        if i % 5 == 0
        else {"name": record["venue"]}
    )
    if rng.random() < missing:  # the nulls real records have
        for name in rng.sample(["year", "venue", "abstract", "externalIds", "authors"], 2):
            record[name] = None
    return record


# -- faults -------------------------------------------------------------------------------

FAULT_KINDS = ("429", "500", "503", "504", "timeout", "drop", "truncated")


@dataclass
class Fault:
    kind: str
    path_contains: str = ""
    times: int = 1
    retry_after: float = 0.0


@dataclass
class RequestRecord:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    fault: str | None


class LoopbackServer:
    """An HTTP server on 127.0.0.1 in a daemon thread; its handler reaches it as ``api``."""

    def _listen(self, handler: type[BaseHTTPRequestHandler]) -> None:
        bound = type("Handler", (handler,), {"api": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), bound)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> Self:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class S2Server(LoopbackServer):
    """Serve a FakeGraph on 127.0.0.1; ``url`` is the API root to give the client."""

    def __init__(
        self,
        graph: FakeGraph,
        *,
        fault_rate: float = 0.0,
        fault_kinds: tuple[str, ...] = FAULT_KINDS,
        fault_seed: int = 0,
        slow_seconds: float = 1.0,
        required_key: str | None = None,
        max_answer_items: int | None = None,
        null_rate: float = 0.0,
    ) -> None:
        self.graph = graph
        self.null_rate = null_rate
        """Share of known ids a batch answers ``null`` for, drawn anew on every request (the
        real API does this under load); ``GET /paper/{id}`` always answers."""
        self._null_rng = random.Random(fault_seed + 1)
        self.nulls_sent = 0
        self.faults: list[Fault] = []
        self.fault_rate = fault_rate
        self.fault_kinds = fault_kinds
        self._fault_rng = random.Random(fault_seed)
        self.slow_seconds = slow_seconds
        self.required_key = required_key
        self.max_answer_items = max_answer_items
        """Answer 500 instead of a batch or page with more items (the real API fails on
        answers too large for it to build in time)."""
        self.log: list[RequestRecord] = []
        self.lock = threading.Lock()
        self.on_request: Callable[[RequestRecord], None] | None = None
        self._listen(_Handler)

    def inject(self, kind: str, path_contains: str = "", times: int = 1, **kw: Any) -> None:
        self.faults.append(Fault(kind, path_contains, times, **kw))

    def served(self) -> list[RequestRecord]:
        """Requests answered normally (no fault injected)."""
        with self.lock:
            return [r for r in self.log if r.fault is None]

    def pick_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.times > 0 and fault.path_contains in path:
                    fault.times -= 1
                    return fault
            if self.fault_rate and self._fault_rng.random() < self.fault_rate:
                return Fault(self._fault_rng.choice(self.fault_kinds), retry_after=0.0)
        return None

    # -- the API -----------------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, Any]:
        g = self.graph
        if path.startswith("/recommendations/v1/papers/forpaper/"):
            pid = g.resolve(urllib.parse.unquote(path.rsplit("/", 1)[1]))
            if pid is None:
                return 404, {"error": "Paper not found"}
            limit = int(query.get("limit", 100))
            if limit > 500:
                return 400, {"error": "Limit must be <= 500"}
            fields = _fields(query)
            pool = {
                e["citing"]
                for ref in g.references[pid]
                if ref["cited"]
                for e in g.citations[ref["cited"]]
            } - {pid}
            ranked = sorted(pool, key=lambda p: (-g.papers[p]["citationCount"], p))[:limit]
            return 200, {"recommendedPapers": [project(g, g.papers[p], fields) for p in ranked]}
        if not path.startswith("/graph/v1/paper"):
            return 404, {"error": f"Unknown path {path}"}
        rest = path[len("/graph/v1/paper") :]
        fields = _fields(query)
        if rest == "/batch" and method == "POST":
            ids = body.get("ids") if isinstance(body, dict) else None
            if not isinstance(ids, list):
                return 400, {"error": 'Body must be {"ids": [...]}'}
            if len(ids) > 500:
                return 400, {"error": "Cannot process more than 500 ids"}
            out = []
            for ident in ids:
                pid = g.resolve(str(ident))
                if pid is not None and self.null_rate and self._drop_from_batch():
                    pid = None
                out.append(None if pid is None else project(g, g.papers[pid], fields))
            return 200, out
        if rest == "/search/match":
            pid = g.by_title.get(normalise_title(query.get("query", "")))
            if pid is None:
                return 404, {"error": "Title match not found"}
            return 200, {"data": [{**project(g, g.papers[pid], fields), "matchScore": 99.0}]}
        m = re.fullmatch(r"/(.+?)(/references|/citations)?", rest)
        if not m:
            return 404, {"error": "Unknown path"}
        ident = urllib.parse.unquote(m.group(1))
        pid = g.resolve(ident)
        if pid is None:
            return 404, {"error": f"Paper with id {ident} not found"}
        if m.group(2) is None:
            return 200, project(g, g.papers[pid], fields)
        offset = int(query.get("offset", 0))
        limit = int(query.get("limit", 100))
        if limit > 1000:
            return 400, {"error": "Requested limit exceeds maximum of 1000"}
        if offset + limit >= 10000:
            return 400, {"error": "offset + limit must be < 10000"}
        kind = m.group(2)[1:]
        edges = g.references[pid] if kind == "references" else g.citations[pid]
        nested = "citedPaper" if kind == "references" else "citingPaper"
        end = "cited" if kind == "references" else "citing"
        edge_fields = [f for f in fields if f in EDGE_FIELD_NAMES]
        paper_fields = [f for f in fields if f not in EDGE_FIELD_NAMES]
        data = []
        for edge in edges[offset : offset + limit]:
            item: dict[str, Any] = {f: edge.get(f) for f in edge_fields}
            other = edge[end]
            if other is None:
                item[nested] = {"paperId": None, **{f: None for f in paper_fields}}
                item[nested]["title"] = "An unresolved reference"
            else:
                item[nested] = project(g, g.papers[other], paper_fields)
            data.append(item)
        reply: dict[str, Any] = {"offset": offset, "data": data}
        if offset + limit < len(edges):
            reply["next"] = offset + limit
        return 200, reply

    def _drop_from_batch(self) -> bool:
        with self.lock:
            dropped = self._null_rng.random() < self.null_rate
            self.nulls_sent += dropped
        return dropped


def _items(payload: Any) -> int:
    """How many papers an answer carries: a batch's list or a page's ``data``."""
    if isinstance(payload, list):
        return len(payload)
    if isinstance(payload, dict) and isinstance(payload.get("data"), list):
        return len(payload["data"])
    return 0


def _fields(query: dict[str, str]) -> list[str]:
    return [f for f in query.get("fields", "").split(",") if f]


def project(g: FakeGraph, record: dict[str, Any], fields: list[str]) -> dict[str, Any]:
    """The record with only the fields asked for (paperId always), nested lists included."""
    out: dict[str, Any] = {"paperId": record["paperId"]}
    nested: dict[str, list[str]] = {}
    for f in fields:
        if f == "embedding" or f.startswith("embedding."):
            model = f.split(".", 1)[1] if "." in f else "specter_v1"
            out["embedding"] = g.embedding(record["paperId"], model)
        elif "." in f:
            head, sub = f.split(".", 1)
            nested.setdefault(head, []).append(sub)
        elif f in ("references", "citations"):
            nested.setdefault(f, [])
        else:
            out[f] = record.get(f)
    for head, subs in nested.items():
        pid = record["paperId"]
        edges = g.references[pid] if head == "references" else g.citations[pid]
        end = "cited" if head == "references" else "citing"
        items = []
        for edge in edges[:1000]:
            other = edge[end]
            if other is None:
                items.append({"paperId": None, **{s: None for s in subs if s != "paperId"}})
            else:
                items.append(project(g, g.papers[other], [s for s in subs if s != "paperId"]))
        out[head] = items
    return out


class JsonHandler(BaseHTTPRequestHandler):
    """A quiet HTTP/1.1 handler that answers JSON: what every loopback API shares."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - silence
        pass

    def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(payload).encode(), headers)

    def _send_raw(self, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True


class _Handler(JsonHandler):
    api: S2Server

    def do_GET(self) -> None:  # noqa: N802
        self._handle("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._handle("POST")

    def _handle(self, method: str) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        fault = self.api.pick_fault(parsed.path)
        record = RequestRecord(
            method,
            parsed.path,
            query,
            {k.lower(): v for k, v in self.headers.items()},
            body,
            fault.kind if fault else None,
        )
        with self.api.lock:
            self.api.log.append(record)
        if self.api.on_request is not None:
            self.api.on_request(record)
        if self.api.required_key is not None and (
            self.headers.get("x-api-key") != self.api.required_key
        ):
            self._send(403, {"message": "Forbidden"})
            return
        if fault is not None:
            if self._fault(fault):
                return
        status, payload = self.api.answer(method, parsed.path, query, body)
        limit = self.api.max_answer_items
        if limit is not None and status == 200 and _items(payload) > limit:
            record.fault = "too large"
            self._send(500, {"message": "Internal Server Error"})
            return
        if fault is not None and fault.kind == "truncated" and status == 200:
            data = json.dumps(payload).encode()
            self._send_raw(200, data[: max(1, len(data) // 2)])
            return
        self._send(status, payload)

    def _fault(self, fault: Fault) -> bool:
        """Apply a fault; True when the request has been fully handled."""
        if fault.kind in ("429", "500", "503", "504"):
            headers = {"Retry-After": f"{fault.retry_after:g}"} if fault.kind == "429" else {}
            self._send(int(fault.kind), {"message": f"injected {fault.kind}"}, headers)
            return True
        if fault.kind == "timeout":
            time.sleep(self.api.slow_seconds)
            return False
        if fault.kind == "drop":
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return True
        return False  # "truncated": handled after the answer is computed


def curated_toml(graph: FakeGraph, *, unresolvable: bool = True, titles: bool = True) -> str:
    """A curated catalog whose papers are the graph's seeds, named in every way S2 allows.

    Seed ``n`` is given by arXiv id, DOI, S2 paperId or title alone (in turn, as far as the
    record has one), plus an entry S2 cannot know and a software entry that is not resolved.
    ``titles=False`` gives every seed an identifier (no title-match requests).
    """
    lines = ["schema = 1", 'sections = ["Seeds", "Software"]', ""]
    for n, pid in enumerate(graph.seeds):
        rec = graph.papers[pid]
        ext = rec.get("externalIds") or {}
        lines += [f"[entry.seed-{n}]", f"title = {json.dumps(rec['title'])}", 'section = "Seeds"']
        way = n % 4
        if way == 0 and ext.get("ArXiv"):
            lines.append(f'arxiv = "{ext["ArXiv"]}"')
        elif way == 1 and ext.get("DOI"):
            lines.append(f'doi = "{ext["DOI"]}"')
        elif way == 2:
            lines.append(f'url = "https://www.semanticscholar.org/paper/{pid}"')
        elif way in (0, 1) or not titles:
            lines.append(f's2_id = "{pid}"')
        lines.append("")
    if unresolvable:
        lines += [
            "[entry.unknown-paper]",
            'title = "A paper nobody has indexed"',
            'section = "Seeds"',
            'arxiv = "2999.99999"',
            "",
        ]
    lines += [
        "[entry.some-tool]",
        'title = "sometool"',
        'section = "Software"',
        'type = "software"',
        'url = "https://github.com/example/sometool"',
        "",
    ]
    return "\n".join(lines)
