"""Growing the curated list into the field's citation graph with Semantic Scholar.

The step runs inside :func:`implicit_atlas.graph.build.build_atlas` (``expansions=``):

1. *resolve* every curated paper to an S2 record — by S2 id, arXiv id, DOI, CorpusId or a
   URL S2 understands, in one batch request per 500 entries, then by exact title match —
   and report those that did not resolve, with the reason;
2. *depth 1*: page each seed's references and citations (1,000 per request, complete
   metadata in the page, so no per-paper request), keeping neighbours that pass the
   filters; a citation list longer than the API's 9,999 is recorded as truncated;
3. *depth 2*: the depth-1 neighbours' reference lists, 500 papers per batch request, then
   metadata for the new papers they cite, 500 per batch request.

Requests go through :class:`~implicit_atlas.graph.sources.s2.S2Client`, so everything is cached
and a rerun repeats nothing. The budgets (``max_requests`` on the client, ``max_papers``
here) stop the step cleanly: the graph keeps what was added and the summary says what was
left out. A dead network switches the client to cache-only and the build finishes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import sys
import time
from array import array
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np

from .catalog import Catalog
from .identity import identifiers, normalize_title
from .registry import PaperRegistry
from .schema import SOURCE_S2
from .sources.cache import CACHE_FILE_NAME, S2Cache, default_cache_dir
from .sources.ratelimit import Backoff
from .sources.s2 import (
    BATCH_LIMIT,
    MAX_LISTED,
    PAGE_LIMIT,
    PAPER_FIELDS,
    BadRequest,
    EdgeList,
    MalformedResponse,
    NotCached,
    NotFound,
    RateLimited,
    RequestBudgetExhausted,
    S2Client,
    ServerFailed,
    Unauthorized,
    Unreachable,
)

_With = TypeVar("_With")  # what comes with a paper record: its fetch date, or the edge item

SERVER_FAILURES_IN_A_ROW = 2
"""Answers in a row the API must keep failing on before the build finishes from the cache."""

DIRECTIONS = ("references", "citations", "both")
REFERENCE_IDS = "referenceCount,references.paperId"
NESTED_LIST_LIMIT = 1000
"""Nested lists in a batch reply stop here; a longer reference list is paged apart."""
S2_EVIDENCE = "Semantic Scholar Academic Graph API (reference and citation lists)"
"""One evidence string for every S2 edge: the schema keeps one provenance per source."""
_S2_PROVENANCE = {"source": SOURCE_S2, "evidence": S2_EVIDENCE}
SKIPPED_TYPES = ("software", "tutorial")
S2_URL_DOMAINS = ("semanticscholar.org", "arxiv.org", "aclweb.org", "acm.org", "biorxiv.org")


@dataclass(frozen=True)
class ExpandOptions:
    """What to fetch. Filters apply to papers *added* by the expansion; edges between papers
    already in the graph are always kept, and seeds are never filtered out."""

    direction: str = "both"
    depth: int = 1
    min_citations: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    influential_only: bool = False
    """Keep only edges S2 marks influential (depth 1; depth-2 batch lists carry no flag)."""
    max_per_paper: int | None = None
    """Keep the N most cited new neighbours of each paper, per direction."""
    max_papers: int | None = None
    """Stop once this many papers have been added from Semantic Scholar."""

    def __post_init__(self) -> None:
        if self.direction not in DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}")
        if self.depth not in (1, 2):
            raise ValueError("depth must be 1 or 2")

    @property
    def kinds(self) -> tuple[str, ...]:
        return ("references", "citations") if self.direction == "both" else (self.direction,)

    def passes(self, paper: dict[str, Any]) -> bool:
        """Whether a new paper is worth adding under the citation and year filters."""
        if self.min_citations is not None and (paper.get("citationCount") or 0) < (
            self.min_citations
        ):
            return False
        year = paper.get("year")
        if self.year_from is not None and (year is None or year < self.year_from):
            return False
        if self.year_to is not None and (year is None or year > self.year_to):
            return False
        return True


@dataclass
class Seed:
    """A curated entry to resolve: its handle in the registry and the S2 ids to try."""

    key: str
    handle: int
    title: str | None
    ids: list[str]


def s2_ids(record: dict[str, Any]) -> list[str]:
    """The ids S2 accepts for a record, most specific first (``ARXIV:…``, ``DOI:…``, ``URL:…``)."""
    ids = identifiers(record)
    out: list[str] = []
    if "s2_id" in ids:
        out.append(ids["s2_id"])
    if "arxiv" in ids:
        out.append(f"ARXIV:{ids['arxiv']}")
    if "doi" in ids:
        out.append(f"DOI:{ids['doi']}")
    if "corpus_id" in ids:
        out.append(f"CorpusId:{ids['corpus_id']}")
    url = str(record.get("url") or "")
    host = re.sub(r"^https?://(www\.)?", "", url).split("/", 1)[0].lower()
    if host and any(host == d or host.endswith("." + d) for d in S2_URL_DOMAINS):
        out.append(f"URL:{url}")
    return out


def paper_record(paper: dict[str, Any], fetched_at: float) -> dict[str, Any]:
    """An S2 paper as a registry record (node attribute names of graph/schema.py)."""
    ext = paper.get("externalIds") or {}
    count = paper.get("citationCount")
    record: dict[str, Any] = {
        "title": paper.get("title"),
        "authors": [a["name"] for a in paper.get("authors") or [] if a and a.get("name")],
        "year": paper.get("year"),
        "venue": paper.get("venue") or None,
        "arxiv": ext.get("ArXiv"),
        "doi": ext.get("DOI"),
        "s2_id": paper.get("paperId"),
        "corpus_id": paper.get("corpusId") or ext.get("CorpusId"),
        "abstract": paper.get("abstract") or None,
        "citation_count": count,
        "citation_count_as_of": _date(fetched_at) if count is not None else None,
        "reference_count": paper.get("referenceCount"),
        "influential_citation_count": paper.get("influentialCitationCount"),
    }
    journal = paper.get("journal") or {}
    for name in ("volume", "pages"):  # what a BibTeX entry wants beside the venue
        value = str(journal.get(name) or "").strip()
        if value:
            record[name] = value
    if "Book" in (paper.get("publicationTypes") or []):
        record["type"] = "book"
    return record


@lru_cache(maxsize=1024)  # (a batch reply's papers share its fetch time)
def _date(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).date().isoformat()


class Progress:
    """A one-line progress display on a stream (stderr), at most a few updates per second."""

    def __init__(self, stream: IO[str] | None = None, *, interval: float = 0.5) -> None:
        self.stream = stream
        self.interval = interval
        self._last = time.monotonic()  # short runs show only the final line
        self._tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self._open_line = False

    def show(self, text: str, *, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        if not force and now - self._last < (self.interval if self._tty else 10 * self.interval):
            return
        self._last = now
        if self._tty:
            self.stream.write("\r\x1b[K" + text)
            self._open_line = True
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        """A line that stays (e.g. 'network unreachable')."""
        if self.stream is None:
            return
        self.done()
        self.stream.write(text + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.stream is not None and self._open_line:
            self.stream.write("\n")
            self.stream.flush()
            self._open_line = False


class _Stop(Exception):
    """A budget is spent: stop expanding, keep what is in the graph."""


@dataclass
class SourceReport:
    """What every source's step reports; each source's report adds its own counts."""

    mode: str = "online"
    resolved: dict[str, str] = field(default_factory=dict)
    unresolved: dict[str, str] = field(default_factory=dict)
    papers_added: int = 0
    edges_added: int = 0
    filtered_out: int = 0
    truncated: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    not_cached: int = 0
    network_problem: str | None = None
    stopped: str | None = None
    left_out: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ExpansionReport(SourceReport):
    """What the step did; stored in ``G.graph["summary"]["steps"]["semantic-scholar"]``."""

    skipped: list[str] = field(default_factory=list)
    unresolved_references: int = 0
    partial: list[dict[str, Any]] = field(default_factory=list)
    """Depth-1 lists the API serves only in part: fewer items listed than the count it states."""
    nulls_asked_again: int = 0
    """Ids a batch answered ``null`` for (S2 does so under load), asked again before giving up."""
    nulls_recovered: int = 0
    unknown_papers: int = 0
    """Depth-2 papers S2 confirmed it does not have (404 when asked alone)."""
    unconfirmed_papers: int = 0
    """Depth-2 papers a batch answered ``null`` for that could not be asked again (offline)."""
    fallbacks: int = 0
    """Full-size pages or batches the API kept failing on, fetched in small pieces instead."""
    refresh_began: float | None = None
    """With --refresh: the moment entries count as fresh from (later steps reuse it)."""


class SourceExpansion:
    """What every source's step keeps: the filters, the progress line and where notes go."""

    def __init__(
        self,
        options: ExpandOptions | None,
        progress: Progress | None,
        on_note: Callable[[str], None] | None,
    ) -> None:
        self.options = options or ExpandOptions()
        self.progress = progress or Progress(None)
        self.on_note = on_note

    def _note(self, text: str) -> None:
        if self.on_note is not None:
            self.progress.done()  # end a live progress line first
            self.on_note(text)
        else:
            self.progress.note(text)


class S2Expansion(SourceExpansion):
    """The Semantic Scholar step for ``build_atlas(expansions={"semantic-scholar": step})``."""

    def __init__(
        self,
        client: S2Client,
        options: ExpandOptions | None = None,
        *,
        progress: Progress | None = None,
        on_note: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(options, progress, on_note)
        self.client = client
        self.report = ExpansionReport(mode="offline" if client.offline else "online")
        self._handles: dict[str, int] = {}
        self._edges = array("q")  # citing << 32 | cited of every edge added (repeats too)
        self._planned = 0
        self._done_units = 0
        self._stage = "resolving"
        self._server_failures = 0

    # -- the step ---------------------------------------------------------------------------

    def __call__(
        self, registry: PaperRegistry, catalog: Catalog, handles: dict[str, int]
    ) -> dict[str, Any]:
        self.registry = registry
        seeds: list[Seed] = []
        for entry in catalog:
            if entry.type in SKIPPED_TYPES:
                self.report.skipped.append(entry.key)
                continue
            handle = handles[entry.key]
            record = registry.record(handle)
            seeds.append(Seed(entry.key, handle, record.get("title"), s2_ids(record)))
        try:
            papers = self._resolve(seeds)
            self._expand(seeds, papers)
        except _Stop as stop:
            self.report.stopped = str(stop)
        finally:
            self._stage = "done"
            self._tick(force=True)
            self.progress.done()
        if self._complete():
            self.client.finish_refresh()
        edges = np.sort(np.frombuffer(self._edges, np.int64)) if self._edges else np.zeros(0)
        self.report.edges_added = int(len(edges) and 1 + np.count_nonzero(edges[1:] != edges[:-1]))
        stats = self.client.stats
        self.report.requests = stats.requests
        self.report.cache_hits = stats.cache_hits
        self.report.retries = stats.retries
        self.report.fallbacks = stats.fallbacks
        self.report.nulls_asked_again = stats.nulls_asked_again
        self.report.nulls_recovered = stats.nulls_recovered
        self.report.refresh_began = self.client.fresh_after
        return self.report.as_dict()

    def _complete(self) -> bool:
        """Everything asked for was fetched or is known not to exist."""
        r = self.report
        return not (
            r.stopped or r.network_problem or r.errors or r.not_cached or r.unconfirmed_papers
        )

    # -- calls that may fail softly ---------------------------------------------------------

    def _call(self, what: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """``fn(*args)``, or None when it cannot be answered (the reason is recorded)."""
        sent = self.client.stats.requests
        try:
            answer = fn(*args, **kw)
            if self.client.stats.requests > sent:  # answered by the network, not the cache
                self._server_failures = 0
            return answer
        except NotCached:
            self.report.not_cached += 1
            return None
        except ServerFailed as exc:
            # S2 failing on one answer (a huge list) is not the service being down: leave that
            # one out; only failures in a row take the rest of the build to the cache
            self._server_failures += 1
            if self._server_failures < SERVER_FAILURES_IN_A_ROW:
                self.report.errors.append(f"{what}: {exc}")
                return None
            return self._go_offline(exc, what, fn, *args, **kw)
        except (Unreachable, RateLimited, Unauthorized) as exc:
            return self._go_offline(exc, what, fn, *args, **kw)
        except NotFound:
            return None
        except (BadRequest, MalformedResponse) as exc:
            self.report.errors.append(f"{what}: {exc}")
            return None
        except RequestBudgetExhausted as exc:
            raise _Stop(str(exc)) from None
        finally:
            self._tick()

    def _go_offline(
        self, exc: Exception, what: str, fn: Callable[..., Any], *args: Any, **kw: Any
    ) -> Any:
        """Say once that the network is gone, then answer from the cache from now on."""
        if self.report.network_problem is None:
            self.report.network_problem = str(exc)
            refused = isinstance(exc, Unauthorized)
            self.report.mode = "key refused" if refused else "offline (network problem)"
            self._note(f"{exc}; finishing from the cache and the bundled data.")
        self.client.offline = True
        return self._call(what, fn, *args, **kw)

    def _tick(self, *, force: bool = False) -> None:
        s = self.client.stats
        rps = self.client.limiter.rps
        remaining = max(0, self._planned - self._done_units)
        eta = ""
        if not self.client.offline and self._stage != "done":
            eta = f" · ETA {_duration(remaining / rps)}"
        self.progress.show(
            f"S2 {self._stage}: {len(self.report.resolved)} resolved · "
            f"{self.report.papers_added} papers · {s.requests} requests "
            f"({s.cache_hits} from cache) · {s.retries} retries{eta}",
            force=force,
        )

    # -- 1. resolution ----------------------------------------------------------------------

    def _resolve(self, seeds: list[Seed]) -> dict[str, tuple[dict[str, Any], float]]:
        """Curated key -> (S2 paper, fetch time); unresolved ones go to the report."""
        found: dict[str, tuple[dict[str, Any], float]] = {}
        tried: dict[str, list[str]] = {s.key: [] for s in seeds}
        unanswered: set[str] = set()
        pending = [s for s in seeds if s.ids]
        self._planned = math.ceil(len(pending) / BATCH_LIMIT)
        try:
            rank = 0
            while pending:
                asks = [(s, s.ids[rank]) for s in pending if rank < len(s.ids)]
                if not asks:
                    break
                reply = self._call("resolving ids", self.client.paper_batch, [i for _, i in asks])
                self._done_units += 1
                pending = []
                for n, (seed, ident) in enumerate(asks):
                    if reply is None or ident in reply.unconfirmed:  # not answered: not a "no"
                        unanswered.add(seed.key)
                        pending.append(seed)
                        continue
                    tried[seed.key].append(ident)
                    paper = reply.papers[n]
                    if paper is not None:
                        found[seed.key] = (paper, reply.fetched_at)
                    else:
                        pending.append(seed)
                rank += 1
            for seed in seeds:
                if seed.key in found:
                    continue
                reason = self._match_title(seed, tried[seed.key], found, seed.key in unanswered)
                if reason is not None:
                    self.report.unresolved[seed.key] = reason
        except _Stop:
            left = [
                s.key for s in seeds if s.key not in found and s.key not in self.report.unresolved
            ]
            self.report.left_out.append(f"resolution not finished: {', '.join(left)}")
            self._record_resolved(seeds, found)
            raise
        self._record_resolved(seeds, found)
        return found

    def _record_resolved(
        self, seeds: list[Seed], found: dict[str, tuple[dict[str, Any], float]]
    ) -> None:
        for seed in seeds:
            if seed.key in found:
                paper, fetched_at = found[seed.key]
                self.report.resolved[seed.key] = paper["paperId"]
                root = self.registry.update(seed.handle, paper_record(paper, fetched_at), SOURCE_S2)
                self._handles[paper["paperId"]] = root

    def _match_title(
        self,
        seed: Seed,
        tried: list[str],
        found: dict[str, tuple[dict[str, Any], float]],
        unanswered: bool,
    ) -> str | None:
        """Try a title match; return the reason it failed, or None (then it is in `found`)."""
        if tried:
            ids = f"S2 knows none of {', '.join(tried)}"
        elif unanswered:
            why = "the API key was refused" if self.report.mode == "key refused" else "offline"
            if self.report.errors and self.report.network_problem is None:
                why = "see the errors"
            ids = f"no answer for {', '.join(seed.ids)} ({why})"
        else:
            ids = "no identifier"
        if not seed.title:
            return f"{ids} and the entry has no title"
        before = self.report.not_cached
        errors = len(self.report.errors)
        match = self._call("title match", self.client.match_title, seed.title)
        if match is None:
            if self.report.not_cached > before:
                if self.report.mode == "key refused":
                    return f"{ids}; the title match is not in the cache (the API key was refused)"
                return f"{ids}; the title match is not in the cache (offline)"
            if len(self.report.errors) > errors:
                return f"{ids}; the title match failed ({self.report.errors[-1]})"
            return f"{ids} and no paper is titled {seed.title!r}"
        if normalize_title(match.get("title")) != normalize_title(seed.title):
            return f"{ids}; the closest title match is {match.get('title')!r}"
        found[seed.key] = (match, self.client.last_fetched_at)
        return None

    # -- 2. expansion -----------------------------------------------------------------------

    def _expand(self, seeds: list[Seed], papers: dict[str, tuple[dict[str, Any], float]]) -> None:
        opts = self.options
        todo = [(s, papers[s.key][0]) for s in seeds if s.key in papers]
        self._planned += sum(
            _pages(p.get(_count_field(kind))) for _, p in todo for kind in opts.kinds
        )
        self._stage = "depth 1"
        seen_pids: set[str] = set()
        for n, (seed, paper) in enumerate(todo):
            pid = paper["paperId"]
            if pid in seen_pids:  # two curated entries resolved to one paper
                continue
            seen_pids.add(pid)
            for kind in opts.kinds:
                try:
                    self._expand_list(seed.key, pid, paper, kind)
                except _Stop:
                    later = [s.key for s, _ in todo[n + 1 :]]
                    self.report.left_out.append(
                        f"depth 1 not finished: {kind} of {seed.key}"
                        + (f" and all lists of {', '.join(later)}" if later else "")
                    )
                    raise
        if opts.depth == 2:
            self._stage = "depth 2"
            self._expand_depth2(set(self._handles) - seen_pids)

    def _expand_list(self, key: str, pid: str, paper: dict[str, Any], kind: str) -> None:
        count = paper.get(_count_field(kind))
        if count == 0:
            return
        fetch = self.client.references if kind == "references" else self.client.citations
        edges: EdgeList | None = self._call(f"{kind} of {key}", fetch, pid)
        self._done_units += _pages(count)
        if edges is None:
            self.report.left_out.append(f"{kind} of {key} (not available)")
            return
        if kind == "citations" and edges.truncated:
            true_count = paper.get("citationCount")
            self.report.truncated.append(
                {"paper": key, "s2_id": pid, "citation_count": true_count, "listed": MAX_LISTED}
            )
            self.registry.update(self._handles[pid], {"citations_truncated": True}, SOURCE_S2)
        elif isinstance(count, int) and count > len(edges.items):
            self.report.partial.append(
                {"paper": key, "s2_id": pid, "kind": kind, "listed": len(edges.items),
                 "stated": count}
            )  # fmt: skip
        nested = "citedPaper" if kind == "references" else "citingPaper"
        neighbours: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for item in edges.items:
            other = item[nested]
            if not other.get("paperId"):
                if kind == "references":
                    self.report.unresolved_references += 1
                continue
            if self.options.influential_only and not item.get("isInfluential"):
                self.report.filtered_out += 1
                continue
            neighbours.append((other, item))
        for other, item in self._select(neighbours):
            handle = self._paper_handle(other, edges.fetched_at)
            citing, cited = (self._handles[pid], handle)
            if kind == "citations":
                citing, cited = cited, citing
            self._edge(citing, cited, item)

    def _expand_depth2(self, neighbours: set[str]) -> None:
        """References of the depth-1 neighbours: one batch per 500, then new papers' metadata."""
        order = sorted(neighbours)
        self._planned += 2 * math.ceil(len(order) / BATCH_LIMIT)
        lists = {
            pid: self._reference_ids(pid, paper)
            for pid, (paper, _) in self._batches("depth 2 reference lists", order, REFERENCE_IDS)
        }
        new = sorted({r for refs in lists.values() for r in refs if r and r not in self._handles})
        meta = dict(self._batches("depth 2 papers", new, PAPER_FIELDS))
        for n, pid in enumerate(order):
            if pid not in lists:
                continue
            try:
                self._add_references(self._handles[pid], lists[pid], meta)
            except _Stop:
                self.report.left_out.append(
                    f"depth 2 not finished: references of {len(order) - n} depth-1 papers"
                )
                raise

    def _add_references(
        self,
        citing: int,
        refs: list[str | None],
        meta: dict[str, tuple[dict[str, Any], float]],
    ) -> None:
        """The edges from `citing` to the papers of its reference list `refs` (ids), as
        :meth:`_select` keeps them (known papers, then new ones of `meta` that pass the
        filters), added to the registry in one call: a depth-2 graph has a million."""
        self.report.unresolved_references += refs.count(None)
        distinct = [ref for ref in dict.fromkeys(refs) if ref is not None]  # (first of each)
        found = list(map(self._handles.get, distinct))
        known = [handle for handle in found if handle is not None]
        new: list[tuple[dict[str, Any], float]] = []
        if len(known) < len(distinct):
            for ref, handle in zip(distinct, found, strict=True):
                if handle is None and ref in meta:
                    if self.options.passes(meta[ref][0]):
                        new.append(meta[ref])
                    else:
                        self.report.filtered_out += 1
        new = self._most_cited_first(new)
        cited = known
        try:
            for paper, fetched_at in new:
                cited.append(self._paper_handle(paper, fetched_at))
        finally:  # (a spent paper budget stops here: the edges so far are kept)
            self.registry.add_edges(citing, cited, provenance=_S2_PROVENANCE)
            self._edges.extend([citing << 32 | handle for handle in cited])

    def _batches(
        self, what: str, ids: list[str], fields: str
    ) -> list[tuple[str, tuple[dict[str, Any], float]]]:
        """(id, (paper, fetch time)) for the ids S2 has, 500 per batch request.

        The nulls of all batches are asked again together (fewer requests than batch by
        batch); those that stay unknown are counted in the report, never dropped silently.
        """
        got: dict[str, tuple[dict[str, Any] | None, float]] = {}
        for start in range(0, len(ids), BATCH_LIMIT):
            chunk = ids[start : start + BATCH_LIMIT]
            reply = self._guarded(
                what, chunk, self.client.paper_batch, chunk, fields, confirm=False
            )
            self._done_units += 1
            if reply is not None:
                for pid, paper in zip(chunk, reply.papers, strict=True):
                    got[pid] = (paper, reply.fetched_at)
        nulls = [pid for pid, (paper, _) in got.items() if paper is None]
        if nulls:
            again = self._guarded(
                f"{what} (asked again)", nulls, self.client.ask_again, nulls, fields
            )
            if again is None:
                self.report.unconfirmed_papers += len(nulls)
            else:
                self.report.unknown_papers += len(again.unknown)
                self.report.unconfirmed_papers += len(again.unconfirmed)
                for pid, paper in zip(nulls, again.papers, strict=True):
                    got[pid] = (paper, again.fetched_at)
        return [(pid, (paper, when)) for pid, (paper, when) in got.items() if paper is not None]

    def _reference_ids(self, pid: str, paper: dict[str, Any]) -> list[str | None]:
        """A neighbour's reference ids from the batch reply, paged apart if the list was cut."""
        listed = paper.get("references") or []
        try:  # (every item a dict: one C loop)
            refs = list(map(dict.get, listed, itertools.repeat("paperId")))
        except TypeError:
            refs = [r.get("paperId") if isinstance(r, dict) else None for r in listed]
        count = paper.get("referenceCount")
        if len(refs) >= NESTED_LIST_LIMIT and isinstance(count, int) and count > len(refs):
            edges = self._guarded(
                "depth 2 long reference list", [pid], self.client.references, pid, "paperId"
            )
            if edges is not None:
                return [item["citedPaper"].get("paperId") for item in edges.items]
        return refs

    def _guarded(
        self, what: str, chunk: list[str], fn: Callable[..., Any], *args: Any, **kw: Any
    ) -> Any:
        try:
            return self._call(what, fn, *args, **kw)
        except _Stop:
            self.report.left_out.append(f"{what}: {len(chunk)} papers and all after them")
            raise

    # -- adding papers and edges ------------------------------------------------------------

    def _select(
        self, neighbours: Iterable[tuple[dict[str, Any], dict[str, Any]]]
    ) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """Known papers always; new ones if they pass the filters, the most cited first."""
        known, new = [], []
        seen: set[str] = set()
        for other, item in neighbours:
            pid = other["paperId"]
            if pid in seen:
                continue
            seen.add(pid)
            if pid in self._handles:
                known.append((other, item))
            elif self.options.passes(other):
                new.append((other, item))
            else:
                self.report.filtered_out += 1
        new = self._most_cited_first(new)
        return known + new

    def _most_cited_first(
        self, new: list[tuple[dict[str, Any], _With]]
    ) -> list[tuple[dict[str, Any], _With]]:
        """`new` papers (each paired with what came with it) cut to ``max_per_paper``, the most
        cited first (ties by id), the cut counted as filtered out; unchanged without a cap."""
        cap = self.options.max_per_paper
        if cap is None:
            return new
        new.sort(key=lambda pair: (-(pair[0].get("citationCount") or 0), pair[0]["paperId"]))
        self.report.filtered_out += max(0, len(new) - cap)
        return new[:cap]

    def _paper_handle(self, paper: dict[str, Any], fetched_at: float) -> int:
        pid = paper["paperId"]
        if pid in self._handles:
            return self._handles[pid]
        limit = self.options.max_papers
        if limit is not None and self.report.papers_added >= limit:
            raise _Stop(f"the paper budget ({limit}) is spent; raise --max-papers")
        handle = self.registry.add_paper(paper_record(paper, fetched_at), SOURCE_S2)
        self._handles[pid] = handle
        self.report.papers_added += 1
        return handle

    def _edge(self, citing: int, cited: int, item: dict[str, Any]) -> None:
        self.registry.add_edge(
            citing,
            cited,
            provenance=_S2_PROVENANCE,  # (read, never kept: one dict for every edge)
            is_influential=item.get("isInfluential"),
            intents=item.get("intents") or [],
            contexts=item.get("contexts") or [],
        )
        self._edges.append(citing << 32 | cited)


def _count_field(kind: str) -> str:
    return "referenceCount" if kind == "references" else "citationCount"


def _pages(count: Any) -> int:
    if not isinstance(count, int):
        return 1
    return math.ceil(min(count, MAX_LISTED) / PAGE_LIMIT)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"


def only_here(report: dict[str, Any]) -> str:
    """`` (N listed by no other source)`` when the build had another live source."""
    n = report.get("edges_only_here")
    return "" if n is None else f" ({n} listed by no other source)"


def format_report(report: dict[str, Any]) -> str:
    """The lines `implicit-atlas build` prints after the Semantic Scholar step."""
    r = report
    total = len(r["resolved"]) + len(r["unresolved"])
    lines = [
        f"semantic scholar ({r['mode']}): {len(r['resolved'])}/{total} curated papers resolved; "
        f"{r['papers_added']} papers and {r['edges_added']} edges added"
        + (only_here(r) if r["edges_added"] else "")
        + (f", {r['filtered_out']} left out by the filters" if r["filtered_out"] else ""),
        f"requests: {r['requests']} made, {r['cache_hits']} served from the cache, "
        f"{r['retries']} retries"
        + (f", {r['not_cached']} not in the cache" if r["not_cached"] else "")
        + (
            f", {r['fallbacks']} answers the API kept failing on fetched in smaller pieces"
            if r.get("fallbacks")
            else ""
        ),
    ]
    if r["unresolved_references"]:
        lines.append(f"references S2 could not resolve: {r['unresolved_references']}")
    for t in r["truncated"]:
        lines.append(
            f"citations of {t['paper']} truncated: {t['citation_count']} citations, "
            f"the API lists at most {t['listed']} (listed {t['listed']} of {t['citation_count']})"
        )
    for p in r.get("partial", []):
        lines.append(
            f"{p['kind']} of {p['paper']}: listed {p['listed']} of {p['stated']} "
            "(the API lists no more of them)"
        )
    if r.get("nulls_asked_again"):
        lines.append(
            f"batch answers with null asked again: {r['nulls_asked_again']} ids, "
            f"{r['nulls_recovered']} of them found"
        )
    if r.get("unknown_papers") or r.get("unconfirmed_papers"):
        lines.append(
            f"depth 2 papers left unknown: {r['unknown_papers']} S2 does not have"
            + (
                f", {r['unconfirmed_papers']} not asked again (offline; "
                "an online build fills them in)"
                if r.get("unconfirmed_papers")
                else ""
            )
        )
    lines += outcome_lines(r)
    return "\n".join(lines)


def outcome_lines(report: dict[str, Any], prefix: str = "") -> list[str]:
    """The lines every source's report ends with: what did not resolve, why it stopped, what
    was left out and the errors; ``prefix`` names the source (``"openalex "``)."""
    lines = []
    offline = [key for key, reason in report["unresolved"].items() if "(offline" in reason]
    if offline:
        lead = f"{prefix.strip()}: " if prefix else ""
        lines.append(f"{lead}not resolved, nothing cached for them (offline): {', '.join(offline)}")
    for key, reason in report["unresolved"].items():
        if key not in offline:
            lines.append(f"{prefix}unresolved {key}: {reason}")
    if report["stopped"]:
        lines.append(f"{prefix}stopped early: {report['stopped']}")
    for item in report["left_out"]:
        lines.append(f"{prefix}left out: {item}")
    for err in report["errors"]:
        lines.append(f"{prefix}error: {err}")
    return lines


def stderr_progress(quiet: bool) -> Progress:
    return Progress(None if quiet else sys.stderr)


@dataclass(frozen=True)
class S2Settings:
    """How to reach Semantic Scholar: the client side of the ``build`` options."""

    api_url: str | None = None
    api_key: str | None = None
    rps: float | None = None
    cache_dir: str | None = None
    refresh: bool = False
    refresh_began: float | None = None
    """For a later step of a refresh (the embeddings): when the expansion's refresh began."""
    max_age_days: float | None = None
    max_requests: int | None = None
    offline: bool = False
    timeout: float = 30.0
    """Seconds to wait for one answer."""
    backoff_base: float = 1.0
    """First retry delay in seconds (doubling, with jitter); tests make it tiny."""

    def public(self) -> dict[str, Any]:
        """The settings worth recording in the graph: never the key, and no absolute path (a
        graph file is shared; where its builder keeps a cache is nobody else's business)."""
        return public_settings(self)


def public_settings(settings: Any, *private: str) -> dict[str, Any]:
    """A source's settings dataclass as recorded in the graph: without the key (only whether
    one was set) and the ``private`` fields, and with no cache path."""
    d = asdict(settings)
    for name in ("api_key", *private):
        d.pop(name)
    d["api_key_set"] = settings.api_key is not None
    if settings.cache_dir is not None:
        d["cache_dir"] = "(set)"
    return d


def open_client(settings: S2Settings) -> S2Client | None:
    """A client on the cache from ``settings``; None when offline with nothing cached yet."""
    cache_dir = Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()
    if settings.offline and not (cache_dir / CACHE_FILE_NAME).exists():
        return None
    cache = S2Cache(cache_dir)
    if settings.offline and len(cache) == 0:
        cache.close()
        return None
    return S2Client(
        settings.api_url,
        settings.api_key,
        cache=cache,
        rps=settings.rps,
        offline=settings.offline,
        refresh=settings.refresh,
        refresh_began=settings.refresh_began,
        max_age=None if settings.max_age_days is None else settings.max_age_days * 86400,
        max_requests=settings.max_requests,
        timeout=settings.timeout,
        backoff=Backoff(base=settings.backoff_base),
    )
