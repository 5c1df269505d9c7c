"""The S2 client end to end against the loopback server: requests, paging, faults, errors."""

from __future__ import annotations

import random

import httpx
import pytest
from s2server import S2Server, generate_graph

from implicit_atlas.graph.errors import AtlasError
from implicit_atlas.graph.sources.cache import S2Cache
from implicit_atlas.graph.sources.ratelimit import Backoff, RateLimiter
from implicit_atlas.graph.sources.s2 import (
    BadRequest,
    MalformedResponse,
    NotCached,
    NotFound,
    RateLimited,
    RequestBudgetExhausted,
    S2Client,
    Unreachable,
    resolve_api_url,
)

KEY = "test-key-5f3a9c"


@pytest.fixture(scope="module")
def graph():
    return generate_graph(400, 4, seed=3, big_citations={0: 2500, 1: 10_200})


@pytest.fixture()
def server(graph):
    # timeouts: 1 s client timeout vs a 2 s injected stall, so a loaded CI machine never
    # turns an ordinary answer into a timeout
    with S2Server(graph, slow_seconds=2.0) as srv:
        yield srv


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def make_client(server, tmp_path, *, key=KEY, **kw):
    sleeps = Sleeps()
    backoff = kw.pop("backoff", None) or Backoff(base=0.001, rng=random.Random(0), sleep=sleeps)
    client = S2Client(
        server.url,
        key,
        cache=kw.pop("cache", S2Cache(tmp_path / "cache")),
        limiter=RateLimiter(10_000),
        backoff=backoff,
        timeout=kw.pop("timeout", 1.0),
        **kw,
    )
    client.sleeps = sleeps
    return client


def test_batch_resolves_every_id_form_in_order_with_null_for_unknown(server, graph, tmp_path):
    pid = graph.seeds[2]
    rec = graph.papers[pid]
    with_arxiv = next(p for p in graph.papers.values() if (p["externalIds"] or {}).get("ArXiv"))
    with_doi = next(p for p in graph.papers.values() if (p["externalIds"] or {}).get("DOI"))
    ids = [
        pid,
        f"ARXIV:{with_arxiv['externalIds']['ArXiv']}",
        f"DOI:{with_doi['externalIds']['DOI']}",
        f"CorpusId:{rec['corpusId']}",
        f"URL:https://www.semanticscholar.org/paper/{pid}",
        "ARXIV:2999.99999",
    ]
    with make_client(server, tmp_path) as s2:
        papers = s2.paper_batch(ids).papers
    got = [p and p["paperId"] for p in papers]
    assert got == [pid, with_arxiv["paperId"], with_doi["paperId"], pid, pid, None]


def test_batch_splits_at_500_ids(server, graph, tmp_path):
    ids = sorted(graph.papers)[:1200]
    with make_client(server, tmp_path) as s2:
        papers = s2.paper_batch(ids).papers
    assert [p["paperId"] for p in papers] == ids
    sizes = [len(r.body["ids"]) for r in server.log if r.path.endswith("/batch")]
    assert sizes == [500, 500, 200]


def test_citations_are_paged_by_1000_with_explicit_fields(server, graph, tmp_path):
    with make_client(server, tmp_path) as s2:
        result = s2.citations(graph.seeds[0])
    assert len(result.items) == graph.papers[graph.seeds[0]]["citationCount"] > 2500
    assert not result.truncated
    pages = [r for r in server.log if r.path.endswith("/citations")]
    assert [int(r.query["offset"]) for r in pages] == [0, 1000, 2000]
    assert all(r.query["limit"] == "1000" for r in pages)
    assert all(
        "citationCount" in r.query["fields"] and "isInfluential" in r.query["fields"] for r in pages
    )
    assert {i["citingPaper"]["paperId"] for i in result.items} == {
        e["citing"] for e in graph.citations[graph.seeds[0]]
    }


def test_citations_beyond_9999_are_read_to_the_cap_and_marked_truncated(server, graph, tmp_path):
    with make_client(server, tmp_path) as s2:
        result = s2.citations(graph.seeds[1])
    assert len(result.items) == 9999 and result.truncated
    pages = [r for r in server.log if r.path.endswith("/citations")]
    assert len(pages) == 10, "9 pages of 1000 and one of 999, never an invalid offset"
    last = pages[-1].query
    assert int(last["offset"]) + int(last["limit"]) == 9999


def test_unresolved_references_keep_paper_id_null(server, graph, tmp_path):
    pid = next(p for p, refs in graph.references.items() if any(e["cited"] is None for e in refs))
    with make_client(server, tmp_path) as s2:
        items = s2.references(pid).items
    assert len(items) == len(graph.references[pid])
    assert any(i["citedPaper"]["paperId"] is None for i in items)
    assert all({"isInfluential", "intents", "contexts"} <= i.keys() for i in items)


def test_api_key_is_on_every_request_including_pages_and_retries(server, graph, tmp_path):
    server.inject("503", "/citations", times=1)
    with make_client(server, tmp_path) as s2:
        s2.paper_batch(graph.seeds)
        s2.citations(graph.seeds[0])
        s2.match_title(graph.papers[graph.seeds[3]]["title"])
        s2.recommendations(graph.seeds[3], limit=5)
    assert len(server.log) >= 7
    assert all(r.headers.get("x-api-key") == KEY for r in server.log)


def test_no_key_means_no_header(server, graph, tmp_path, monkeypatch):
    monkeypatch.delenv("S2_API_KEY", raising=False)
    with make_client(server, tmp_path, key=None) as s2:
        s2.paper_batch(graph.seeds[:1])
    assert "x-api-key" not in server.log[0].headers


def test_key_from_environment(server, graph, tmp_path, monkeypatch):
    monkeypatch.setenv("S2_API_KEY", "from-env")
    with make_client(server, tmp_path, key=None) as s2:
        assert s2.has_key
        s2.paper_batch(graph.seeds[:1])
    assert server.log[0].headers["x-api-key"] == "from-env"


def test_api_url_from_env_and_graph_suffix(monkeypatch):
    monkeypatch.setenv("S2_API_URL", "http://127.0.0.1:9/graph/v1/")
    assert resolve_api_url() == "http://127.0.0.1:9"
    assert resolve_api_url("https://example.org/s2") == "https://example.org/s2"


@pytest.mark.parametrize("kind", ["429", "500", "503", "504", "timeout", "drop", "truncated"])
def test_every_injected_fault_is_retried_to_the_right_answer(server, graph, tmp_path, kind):
    pid = graph.seeds[3]
    server.inject(kind, "/references", times=2, retry_after=0.01)
    with make_client(server, tmp_path) as s2:
        items = s2.references(pid).items
        assert s2.stats.retries == 2
    assert len(items) == len(graph.references[pid])


def test_retry_after_is_honoured(server, graph, tmp_path):
    server.inject("429", "/batch", times=1, retry_after=2.5)
    with make_client(server, tmp_path) as s2:
        s2.paper_batch(graph.seeds[:1])
        assert s2.sleeps == [2.5]


def test_rate_limited_for_good_says_set_the_key_and_never_shows_it(server, graph, tmp_path):
    server.inject("429", "/batch", times=100)
    with make_client(server, tmp_path, key=None) as s2, pytest.raises(RateLimited) as err:
        s2.paper_batch(graph.seeds[:1])
    assert "S2_API_KEY" in str(err.value)
    server.faults.clear()
    server.inject("429", "/batch", times=100)
    with make_client(server, tmp_path) as s2, pytest.raises(RateLimited) as err:
        s2.paper_batch(graph.seeds[:1])
    assert KEY not in str(err.value)
    assert isinstance(err.value, AtlasError)


def test_server_errors_for_good_are_unreachable_not_not_found(server, graph, tmp_path):
    server.inject("503", "/batch", times=100)
    with make_client(server, tmp_path) as s2, pytest.raises(Unreachable) as err:
        s2.paper_batch(graph.seeds[:1])
    assert "503" in str(err.value)


def test_malformed_json_for_good_is_reported_as_such(server, graph, tmp_path):
    server.inject("truncated", "/batch", times=100)
    with make_client(server, tmp_path) as s2, pytest.raises(MalformedResponse):
        s2.paper_batch(graph.seeds[:1])


def test_retries_are_bounded_in_total_wait(server, graph, tmp_path):
    server.inject("429", "/batch", times=100, retry_after=40)
    sleeps = Sleeps()
    backoff = Backoff(base=0.001, max_total=100, sleep=sleeps)
    with make_client(server, tmp_path, backoff=backoff) as s2, pytest.raises(RateLimited):
        s2.paper_batch(graph.seeds[:1])
    assert sum(sleeps) <= 100 and len(sleeps) == 2


def test_not_found_and_bad_request_are_distinct(server, graph, tmp_path):
    with make_client(server, tmp_path) as s2:
        with pytest.raises(NotFound) as nf:
            s2.paper("ARXIV:2999.99999")
        assert "not found" in str(nf.value)
        with pytest.raises(BadRequest) as bad:
            s2.request("GET", f"/graph/v1/paper/{graph.seeds[0]}/citations", {"limit": 5000})
        assert "exceeds maximum of 1000" in str(bad.value), "the API's own message is shown"
        assert s2.match_title("no such title anywhere") is None


def test_not_found_is_cached_too(server, graph, tmp_path):
    with make_client(server, tmp_path) as s2:
        assert s2.match_title("no such title anywhere") is None
        assert s2.match_title("no such title anywhere") is None
        assert s2.stats.requests == 1 and s2.stats.cache_hits == 1


def test_cache_serves_repeats_and_refresh_refetches(server, graph, tmp_path):
    with make_client(server, tmp_path) as s2:
        s2.references(graph.seeds[2])
        s2.references(graph.seeds[2])
        assert s2.stats.requests == 1 and s2.stats.cache_hits == 1
    with make_client(server, tmp_path, refresh=True) as s2:
        s2.references(graph.seeds[2])
        s2.references(graph.seeds[2])
        assert s2.stats.requests == 1, "refetched once, then served from the fresh entry"
    with make_client(server, tmp_path, max_age=0.0) as s2:
        s2.references(graph.seeds[2])
        assert s2.stats.requests == 1


def test_offline_answers_from_cache_only(server, graph, tmp_path):
    with make_client(server, tmp_path) as s2:
        s2.paper_batch(graph.seeds)
    before = len(server.log)
    with make_client(server, tmp_path, offline=True) as s2:
        assert s2.paper_batch(graph.seeds).papers[0]["paperId"] == graph.seeds[0]
        with pytest.raises(NotCached):
            s2.references(graph.seeds[0])
    assert len(server.log) == before


def test_closed_port_is_detected_as_unreachable_after_two_attempts(tmp_path):
    s2 = S2Client(
        "http://127.0.0.1:1",
        KEY,
        cache=S2Cache(tmp_path),
        limiter=RateLimiter(1000),
        backoff=Backoff(base=0.001),
    )
    with s2, pytest.raises(Unreachable) as err:
        s2.paper_batch(["ARXIV:1806.07366"])
    assert s2.stats.requests == 2
    assert "unreachable" in str(err.value) and KEY not in str(err.value)
    with pytest.raises(Unreachable):
        s2.paper_batch(["ARXIV:1806.07366"])
    assert s2.stats.requests == 2, "once dead, no more connection attempts"


def test_request_budget(server, graph, tmp_path):
    with make_client(server, tmp_path, max_requests=2) as s2:
        s2.references(graph.seeds[2])
        s2.references(graph.seeds[3])
        s2.references(graph.seeds[2])  # cached: free
        with pytest.raises(RequestBudgetExhausted):
            s2.citations(graph.seeds[3])


def test_injectable_transport_without_a_server(tmp_path):
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"recommendedPapers": [{"paperId": "a" * 40}]})

    s2 = S2Client(
        "https://s2.test",
        KEY,
        cache=None,
        transport=httpx.MockTransport(handler),
        limiter=RateLimiter(1000),
    )
    with s2:
        assert s2.recommendations("b" * 40, limit=3)[0]["paperId"] == "a" * 40
    assert seen[0].url.path == f"/recommendations/v1/papers/forpaper/{'b' * 40}"
    assert seen[0].url.params["limit"] == "3" and seen[0].url.params["fields"]
    assert seen[0].headers["x-api-key"] == KEY


# -- answers too large for the API: smaller pages and batches ------------------------------


def test_a_page_the_api_keeps_failing_on_is_read_in_small_pages(graph, tmp_path):
    seed = graph.seeds[0]  # 2,500 extra citing papers
    expected = {c["citing"] for c in graph.citations[seed]}
    path = f"/graph/v1/paper/{seed}/citations"
    with S2Server(graph, max_answer_items=500) as srv:
        with make_client(srv, tmp_path) as s2:
            edges = s2.citations(seed)
            assert s2.stats.fallbacks == 1
        limits = [(r.query["offset"], r.query["limit"], r.fault) for r in srv.log if r.path == path]
    assert {e["citingPaper"]["paperId"] for e in edges.items} == expected
    assert limits[:3] == [("0", "1000", "too large")] * 3, "three tries at full size, no more"
    assert all(limit == "100" and fault is None for _, limit, fault in limits[3:])
    assert [int(o) for o, _, _ in limits[3:]] == list(range(0, len(expected), 100))
    # a later run resumes with the small pages it finds in the cache: no request at all
    with S2Server(graph, max_answer_items=500) as srv:
        with make_client(srv, tmp_path, cache=S2Cache(tmp_path / "cache")) as s2:
            assert {e["citingPaper"]["paperId"] for e in s2.citations(seed).items} == expected
        assert srv.log == []


def test_a_batch_the_api_keeps_failing_on_is_asked_in_small_batches(graph, tmp_path):
    ids = sorted(graph.papers)[:250]
    with S2Server(graph, max_answer_items=150) as srv:
        with make_client(srv, tmp_path) as s2:
            papers = s2.paper_batch(ids).papers
            assert s2.stats.fallbacks == 1
        sizes = [(len(r.body["ids"]), r.fault) for r in srv.log]
    assert [p["paperId"] for p in papers] == ids
    assert sizes == [(250, "too large")] * 3 + [(100, None), (100, None), (50, None)]


def test_rate_limiting_on_a_full_page_is_waited_out_not_taken_for_a_failure(
    server, graph, tmp_path
):
    seed = graph.seeds[0]
    server.inject("429", f"{seed}/citations", times=5)
    with make_client(server, tmp_path) as s2:
        assert len(s2.citations(seed).items) == len(graph.citations[seed])
        assert s2.stats.fallbacks == 0 and s2.stats.retries == 5


def test_an_api_failing_on_small_pages_too_is_reported_as_failing_not_unreachable(graph, tmp_path):
    from implicit_atlas.graph.sources.s2 import ServerFailed

    seed = graph.seeds[0]
    with S2Server(graph, max_answer_items=50) as srv:
        with make_client(srv, tmp_path) as s2, pytest.raises(ServerFailed, match="kept failing"):
            s2.citations(seed)
        assert s2.stats.fallbacks == 1


def test_a_full_page_cut_short_every_time_is_read_in_small_pages(server, graph, tmp_path):
    seed = graph.seeds[0]
    server.inject("truncated", f"{seed}/citations", times=3)  # the three full-size tries
    with make_client(server, tmp_path) as s2:
        assert len(s2.citations(seed).items) == len(graph.citations[seed])
        assert s2.stats.fallbacks == 1


def test_retries_count_against_the_request_budget(server, graph, tmp_path):
    server.inject("500", "/references", times=5)
    with make_client(server, tmp_path, max_requests=2) as s2:
        with pytest.raises(RequestBudgetExhausted, match="retries count"):
            s2.references(graph.seeds[2])
    assert len(server.log) == 2, "a retry past the budget was sent"
