"""Growing the graph with OpenAlex, beside Semantic Scholar (``build --source s2,openalex``).

The step runs after the S2 step inside :func:`~implicit_atlas.graph.build.build_atlas`, so the
curated papers already carry the DOIs and arXiv ids S2 found for them:

1. *resolve* the curated papers by DOI (an arXiv-only paper by its arXiv DOI
   ``10.48550/arXiv.<id>``), 100 per list call, then by arXiv DOI for those whose publisher
   DOI OpenAlex does not know; those with neither by title, ten per search call
   (``filter=title.search:"…"|"…"``, priced ten list calls), the registry's identity rules
   picking the work;
2. *depth 1*: the seeds' ``referenced_works`` (their records, 100 per call, pooled over all
   seeds) and their citing works (``filter=cites:W…``, 100 per page);
3. *depth 2*: the neighbours' ``referenced_works`` (already in their records) — the new
   works' records 100 per call.

Each work is added to the registry with its DOI, arXiv id and ``openalex_id``, so the
registry's identity rules merge it with the S2 record of the same paper: one node per work,
and an edge both services report keeps both provenances.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Catalog
from .expand import SKIPPED_TYPES, ExpandOptions, Progress, only_here
from .identity import normalize_arxiv, normalize_doi, same_work
from .registry import PaperRegistry
from .sources.cache import ResponseCache, default_cache_dir
from .sources.http import (
    BadRequest,
    MalformedResponse,
    NotCached,
    NotFound,
    RateLimited,
    RequestBudgetExhausted,
    Unauthorized,
    Unreachable,
)
from .sources.openalex import (
    BASIC_PAGING_LIMIT,
    CACHE_FILE_NAME,
    PER_PAGE,
    SOURCE_OPENALEX,
    TITLE_BATCH,
    OpenAlexClient,
    WorkList,
    abstract_text,
    arxiv_doi,
    arxiv_id_of,
    bare_doi,
    short_id,
)
from .sources.ratelimit import Backoff

OPENALEX_EVIDENCE = "OpenAlex works API (referenced_works)"
NO_KEY_NOTE = (
    "OpenAlex without an API key: a tiny daily allowance and no cursor paging, so citation "
    "lists stop at 10,000; set OPENALEX_API_KEY (or --openalex-key), free at "
    "openalex.org/settings/api"
)


def work_record(work: dict[str, Any], fetched_at: float) -> dict[str, Any]:
    """An OpenAlex work as a registry record (node attribute names of graph/schema.py)."""
    doi = bare_doi(work.get("doi"))
    arxiv = arxiv_id_of(work)
    if doi and arxiv and doi == arxiv_doi(arxiv):
        doi = None  # the arXiv DOI says no more than the arXiv id
    source = (work.get("primary_location") or {}).get("source") or {}
    count = work.get("cited_by_count")
    record: dict[str, Any] = {
        "title": work.get("display_name") or work.get("title"),
        "authors": [
            a["author"]["display_name"]
            for a in work.get("authorships") or []
            if isinstance(a, dict) and (a.get("author") or {}).get("display_name")
        ],
        "year": work.get("publication_year"),
        "venue": source.get("display_name") or None,
        "doi": doi,
        "arxiv": arxiv,
        "openalex_id": short_id(work.get("id")),
        "abstract": abstract_text(work.get("abstract_inverted_index")),
        "citation_count": count,
        "citation_count_as_of": _date(fetched_at) if count is not None else None,
        "openalex_reference_count": work.get("referenced_works_count"),
    }
    if work.get("type") == "book":
        record["type"] = "book"
    return {k: v for k, v in record.items() if v not in (None, [], "")}


def _date(timestamp: float) -> str:
    return dt.datetime.fromtimestamp(timestamp, dt.UTC).date().isoformat()


def references_of(work: dict[str, Any]) -> list[str]:
    return [w for w in (short_id(r) for r in work.get("referenced_works") or []) if w]


class _Stop(Exception):
    """A budget is spent, or OpenAlex refused us: stop, keep what is in the graph."""


@dataclass
class OpenAlexReport:
    """What the step did; stored in ``G.graph["summary"]["steps"]["openalex"]``."""

    mode: str = "online"
    key_set: bool = False
    resolved: dict[str, str] = field(default_factory=dict)
    unresolved: dict[str, str] = field(default_factory=dict)
    papers_added: int = 0
    edges_added: int = 0
    filtered_out: int = 0
    truncated: list[dict[str, Any]] = field(default_factory=list)
    missing_works: int = 0
    """Referenced works whose records OpenAlex did not return (deleted or merged ids)."""
    requests: int = 0
    metered_calls: int = 0
    """Calls sent that OpenAlex meters: every request this step makes (lists and searches)."""
    search_calls: int = 0
    """Of those, title searches (``filter=title.search:``), priced ten list calls each."""
    cache_hits: int = 0
    retries: int = 0
    not_cached: int = 0
    network_problem: str | None = None
    stopped: str | None = None
    left_out: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class OpenAlexExpansion:
    """The OpenAlex step for ``build_atlas(expansions={"openalex": step})``."""

    def __init__(
        self,
        client: OpenAlexClient,
        options: ExpandOptions | None = None,
        *,
        progress: Progress | None = None,
        on_note: Callable[[str], None] | None = None,
    ) -> None:
        self.client = client
        self.options = options or ExpandOptions()
        self.progress = progress or Progress(None)
        self.on_note = on_note
        self.report = OpenAlexReport(
            mode="offline" if client.offline else "online", key_set=client.has_key
        )
        self._handles: dict[str, int] = {}
        self._works: dict[str, dict[str, Any]] = {}
        self._edges: set[tuple[int, int]] = set()
        self._crowded: dict[str, int] = {}
        """Title-only seeds whose own search had more matches than one page: key -> count."""

    def __call__(
        self, registry: PaperRegistry, catalog: Catalog, handles: dict[str, int]
    ) -> dict[str, Any]:
        self.registry = registry
        seeds = [
            (e.key, handles[e.key]) for e in catalog if e.type not in SKIPPED_TYPES
        ]  # fmt: skip
        try:
            resolved = self._resolve(seeds)
            if self.client.connected and not self.client.has_key:
                self._note(NO_KEY_NOTE)  # only once OpenAlex answered: offline it is noise
            self._expand(resolved)
        except _Stop as stop:
            self.report.stopped = str(stop)
        finally:
            self.progress.done()
        if not (self.report.stopped or self.report.network_problem or self.report.errors):
            if not self.report.not_cached:
                self.client.finish_refresh()
        stats = self.client.stats
        self.report.requests = stats.requests
        # a request that never reached OpenAlex is not metered
        self.report.metered_calls = stats.requests if self.client.connected else 0
        self.report.search_calls = min(self.report.search_calls, self.report.metered_calls)
        self.report.cache_hits = stats.cache_hits
        self.report.retries = stats.retries
        return self.report.as_dict()

    # -- calls that may fail softly ---------------------------------------------------------

    def _call(self, what: str, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return fn(*args)
        except NotCached:
            self.report.not_cached += 1
            return None
        except Unauthorized as exc:  # a clear error, not the network: stop asking
            self.report.errors.append(str(exc))
            raise _Stop(str(exc)) from None
        except (Unreachable, RateLimited) as exc:
            if self.report.network_problem is None:
                self.report.network_problem = str(exc)
                self.report.mode = "offline (network problem)"
                self._note(f"{exc}; finishing OpenAlex from its cache.")
            self.client.offline = True
            return self._call(what, fn, *args)
        except NotFound:
            return None
        except (BadRequest, MalformedResponse) as exc:
            self.report.errors.append(f"{what}: {exc}")
            return None
        except RequestBudgetExhausted as exc:
            raise _Stop(str(exc)) from None
        finally:
            s = self.client.stats
            self.progress.show(
                f"OpenAlex: {len(self.report.resolved)} resolved · {self.report.papers_added} "
                f"papers · {s.requests} requests ({s.cache_hits} from cache)"
            )

    def _note(self, text: str) -> None:
        if self.on_note is not None:
            self.progress.done()
            self.on_note(text)
        else:
            self.progress.note(text)

    # -- 1. resolution ----------------------------------------------------------------------

    def _resolve(self, seeds: list[tuple[str, int]]) -> list[tuple[str, str]]:
        """(curated key, work id) of the seeds OpenAlex knows; the rest go to the report."""
        wanted: dict[str, list[str]] = {}
        titled: dict[str, dict[str, Any]] = {}
        for key, handle in seeds:
            rec = self.registry.record(handle)
            dois = []
            doi = normalize_doi(rec.get("doi"))
            arxiv = normalize_arxiv(rec.get("arxiv"))
            if doi:
                dois.append(doi.lower())
            if arxiv and arxiv_doi(arxiv) not in dois:
                dois.append(arxiv_doi(arxiv))
            if dois:
                wanted[key] = dois
            elif rec.get("title"):
                titled[key] = rec
            else:
                self.report.unresolved[key] = "no DOI, arXiv id or title to look it up by"
        found: dict[str, dict[str, Any]] = {}
        unanswered: set[str] = set()
        rank = 0
        while True:
            asks = {k: ids[rank] for k, ids in wanted.items() if k not in found and rank < len(ids)}
            if not asks:
                break
            works = self._call(
                "resolving DOIs", self.client.works_where, "doi", list(asks.values())
            )
            by_doi = {bare_doi(w.get("doi")): w for w in works or []}
            for key, doi in asks.items():
                if doi in by_doi:
                    found[key] = by_doi[doi]
            if works is None:
                unanswered |= set(asks)
                break
            rank += 1
        if titled:  # offline (or after a network problem) only the cache is read
            by_title, unasked = self._resolve_titles(titled)
            found |= by_title
            unanswered |= unasked
        resolved: list[tuple[str, str]] = []
        now = self.client.last_fetched_at
        for key, handle in seeds:
            if key in found:
                wid = str(short_id(found[key]["id"]))
                self.report.resolved[key] = wid
                root = self.registry.update(handle, work_record(found[key], now), SOURCE_OPENALEX)
                self._handles[wid] = root
                self._works[wid] = found[key]
                resolved.append((key, wid))
            elif key in unanswered:  # not asked is not unknown
                asked = ", ".join(wanted[key]) if key in wanted else "its title"
                self.report.unresolved[key] = f"no answer for {asked} (offline, or see the errors)"
            elif key in wanted:
                self.report.unresolved[key] = f"OpenAlex knows none of {', '.join(wanted[key])}"
            elif key in self._crowded:
                self.report.unresolved[key] = (
                    f"not among the first {PER_PAGE} of {self._crowded[key]} works whose title "
                    "holds its title (it has no DOI or arXiv id: add one to the curated list)"
                )
            elif key in titled:
                self.report.unresolved[key] = "no work with its title (it has no DOI or arXiv id)"
        return resolved

    def _resolve_titles(
        self, titled: dict[str, dict[str, Any]]
    ) -> tuple[dict[str, dict[str, Any]], set[str]]:
        """Seeds known by title only, :data:`TITLE_BATCH` per search call; a title whose
        batch had more matches than one page holds is asked again alone. Returns the works
        found (the same work by the registry's identity rules) and the keys not answered."""
        found: dict[str, dict[str, Any]] = {}
        before = self.client.stats.requests
        keys = list(titled)
        batches = [keys[i : i + TITLE_BATCH] for i in range(0, len(keys), TITLE_BATCH)]
        unanswered: set[str] = set()
        while batches:
            batch = batches.pop(0)
            titles = [str(titled[k]["title"]) for k in batch]
            listing = self._call("looking up titles", self.client.works_titled, titles)
            if listing is None:
                unanswered |= set(batch)
                continue
            for key in batch:
                match = self._same_work(titled[key], listing)
                if match is not None:
                    found[key] = match
            missed = [k for k in batch if k not in found]
            if (listing.stated or 0) > len(listing.works):  # the page was full
                if len(batch) > 1:
                    batches += [[k] for k in missed]  # ask those alone
                else:
                    self._crowded[batch[0]] = listing.stated or 0
        self.report.search_calls += self.client.stats.requests - before
        return found, unanswered

    def _same_work(self, record: dict[str, Any], listing: WorkList) -> dict[str, Any] | None:
        for work in listing.works:
            if same_work(record, work_record(work, listing.fetched_at)):
                return work
        return None

    # -- 2. expansion -----------------------------------------------------------------------

    def _expand(self, seeds: list[tuple[str, str]]) -> None:
        kinds = self.options.kinds
        neighbours: set[str] = set()
        if "references" in kinds:
            lists = {wid: references_of(self._works[wid]) for _, wid in seeds}
            neighbours |= self._add_references(lists, "depth 1 references")
        if "citations" in kinds:
            for n, (key, wid) in enumerate(seeds):
                listing: WorkList | None = self._call(
                    f"citations of {key}", self.client.citing, wid
                )
                if listing is None:
                    self.report.left_out.append(f"citations of {key} (not available)")
                    continue
                if listing.truncated:
                    self.report.truncated.append(
                        {"paper": key, "openalex_id": wid, "citation_count": listing.stated,
                         "listed": BASIC_PAGING_LIMIT}
                    )  # fmt: skip
                try:
                    for work in self._select(listing.works):
                        citing = self._work_handle(work, listing.fetched_at)
                        self._edge(citing, self._handles[wid])
                        neighbours.add(str(short_id(work["id"])))
                except _Stop:
                    later = ", ".join(k for k, _ in seeds[n + 1 :])
                    self.report.left_out.append(
                        f"depth 1 not finished: citations of {key}"
                        + (f" and of {later}" if later else "")
                    )
                    raise
        if self.options.depth == 2:
            depth1 = sorted(neighbours - {wid for _, wid in seeds})
            lists = {w: references_of(self._works[w]) for w in depth1 if w in self._works}
            self._add_references(lists, "depth 2 references")

    def _add_references(self, lists: dict[str, list[str]], what: str) -> set[str]:
        """Edges from each work to the works it references; new ones' records 100 per call."""
        new = sorted({r for refs in lists.values() for r in refs if r not in self._works})
        fetched = self._call(what, self.client.works_where, "openalex", new) if new else []
        when = self.client.last_fetched_at
        for work in fetched or []:
            self._works.setdefault(str(short_id(work["id"])), work)
        if fetched is None:
            self.report.left_out.append(f"{what}: {len(new)} works not available")
        added: set[str] = set()
        for n, (wid, refs) in enumerate(lists.items()):
            works = [self._works[r] for r in refs if r in self._works]
            self.report.missing_works += sum(1 for r in refs if r not in self._works)
            try:
                for work in self._select(works):
                    self._edge(self._handles[wid], self._work_handle(work, when))
                    added.add(str(short_id(work["id"])))
            except _Stop:
                self.report.left_out.append(f"{what} not finished: {len(lists) - n} works")
                raise
        return added

    # -- adding works and edges -------------------------------------------------------------

    def _select(self, works: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Known works always; new ones if they pass the filters, the most cited first."""
        known, new = [], []
        seen: set[str] = set()
        for work in works:
            wid = str(short_id(work["id"]))
            if wid in seen:
                continue
            seen.add(wid)
            if wid in self._handles:
                known.append(work)
            elif self.options.passes(
                {"citationCount": work.get("cited_by_count"), "year": work.get("publication_year")}
            ):
                new.append(work)
            else:
                self.report.filtered_out += 1
        limit = self.options.max_per_paper
        if limit is not None:
            new.sort(key=lambda w: (-(w.get("cited_by_count") or 0), str(w["id"])))
            self.report.filtered_out += max(0, len(new) - limit)
            new = new[:limit]
        return known + new

    def _work_handle(self, work: dict[str, Any], fetched_at: float) -> int:
        wid = str(short_id(work["id"]))
        if wid in self._handles:
            return self._handles[wid]
        limit = self.options.max_papers
        if limit is not None and self.report.papers_added >= limit:
            raise _Stop(f"the paper budget ({limit}) is spent; raise --max-papers")
        before = self.registry.find(work_record(work, fetched_at))
        handle = self.registry.add_paper(work_record(work, fetched_at), SOURCE_OPENALEX)
        self._handles[wid] = handle
        self._works.setdefault(wid, work)
        if before is None:
            self.report.papers_added += 1
        return handle

    def _edge(self, citing: int, cited: int) -> None:
        self.registry.add_edge(
            citing, cited, provenance={"source": SOURCE_OPENALEX, "evidence": OPENALEX_EVIDENCE}
        )
        key = (self.registry.root(citing), self.registry.root(cited))
        if key not in self._edges:
            self._edges.add(key)
            self.report.edges_added += 1


def format_openalex_report(report: dict[str, Any]) -> str:
    """The lines `implicit-atlas build` prints after the OpenAlex step."""
    r = report
    total = len(r["resolved"]) + len(r["unresolved"])
    lines = [
        f"openalex ({r['mode']}): {len(r['resolved'])}/{total} curated papers resolved; "
        f"{r['papers_added']} papers and {r['edges_added']} edges added"
        + (only_here(r) if r["edges_added"] else "")
        + (f", {r['filtered_out']} left out by the filters" if r["filtered_out"] else ""),
        f"openalex requests: {r['requests']} made ({r['metered_calls']} metered: "
        f"{r['metered_calls'] - r['search_calls']} list calls, "
        f"{r['search_calls']} title searches), "
        f"{r['cache_hits']} served from the cache, {r['retries']} retries"
        + (f", {r['not_cached']} not in the cache" if r["not_cached"] else ""),
    ]
    if not r["key_set"] and r["mode"] == "online":
        lines.append("openalex: no API key; citation lists stop at 10,000 (basic paging)")
    for t in r["truncated"]:
        lines.append(
            f"openalex citations of {t['paper']}: listed {t['listed']} of {t['citation_count']} "
            "(cursor paging needs an API key)"
        )
    if r["missing_works"]:
        lines.append(f"openalex referenced works with no record: {r['missing_works']}")
    offline = [key for key, reason in r["unresolved"].items() if "(offline" in reason]
    if offline:
        lines.append(
            f"openalex: not resolved, nothing cached for them (offline): {', '.join(offline)}"
        )
    for key, reason in r["unresolved"].items():
        if key not in offline:
            lines.append(f"openalex unresolved {key}: {reason}")
    if r["stopped"]:
        lines.append(f"openalex stopped early: {r['stopped']}")
    for item in r["left_out"]:
        lines.append(f"openalex left out: {item}")
    for err in r["errors"]:
        lines.append(f"openalex error: {err}")
    return "\n".join(lines)


@dataclass(frozen=True)
class OpenAlexSettings:
    """How to reach OpenAlex: the client side of the ``build`` options."""

    api_url: str | None = None
    api_key: str | None = None
    mailto: str | None = None
    rps: float | None = None
    cache_dir: str | None = None
    refresh: bool = False
    max_age_days: float | None = None
    max_requests: int | None = None
    offline: bool = False
    timeout: float = 30.0
    backoff_base: float = 1.0

    def public(self) -> dict[str, Any]:
        """The settings worth recording in the graph: never the key (nor the mailto)."""
        d = asdict(self)
        d.pop("api_key")
        d.pop("mailto")
        d["api_key_set"] = self.api_key is not None
        if self.cache_dir is not None:  # no absolute path in a graph file
            d["cache_dir"] = "(set)"
        return d


def open_openalex_client(settings: OpenAlexSettings) -> OpenAlexClient | None:
    """A client on the OpenAlex cache; None when offline with nothing cached yet."""
    cache_dir = Path(settings.cache_dir) if settings.cache_dir else default_cache_dir()
    if settings.offline and not (cache_dir / CACHE_FILE_NAME).exists():
        return None
    cache = ResponseCache(cache_dir, file_name=CACHE_FILE_NAME, service="OpenAlex")
    return OpenAlexClient(
        settings.api_url,
        settings.api_key,
        mailto=settings.mailto,
        cache=cache,
        rps=settings.rps,
        offline=settings.offline,
        refresh=settings.refresh,
        max_age=None if settings.max_age_days is None else settings.max_age_days * 86400,
        max_requests=settings.max_requests,
        timeout=settings.timeout,
        backoff=Backoff(base=settings.backoff_base),
    )
