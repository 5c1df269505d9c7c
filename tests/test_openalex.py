"""The OpenAlex adapter against the loopback OpenAlex server: requests, paging, errors, keys."""

from __future__ import annotations

import math
import random

import pytest
from openalex_server import OpenAlexServer, from_s2
from s2server import generate_graph

from implicit_atlas.graph.sources.cache import ResponseCache
from implicit_atlas.graph.sources.http import BadRequest, RateLimited, Unauthorized
from implicit_atlas.graph.sources.openalex import (
    CACHE_FILE_NAME,
    WORK_FIELDS,
    OpenAlexClient,
    arxiv_id_of,
    bare_doi,
    short_id,
)
from implicit_atlas.graph.sources.ratelimit import Backoff, RateLimiter

KEY = "oa-k3y-never-on-disk-91b2"


@pytest.fixture(scope="module")
def graph():
    return generate_graph(400, 4, seed=13, big_citations={0: 250}, missing_field_rate=0.0)


@pytest.fixture(scope="module")
def world(graph):
    return from_s2(graph, seed=1)


@pytest.fixture()
def server(world):
    with OpenAlexServer(world) as srv:
        yield srv


def make_client(server, tmp_path, *, key=KEY, **kw):
    return OpenAlexClient(
        server.url,
        key,
        mailto=kw.pop("mailto", "atlas@example.org"),
        cache=ResponseCache(tmp_path / "cache", file_name=CACHE_FILE_NAME, service="OpenAlex"),
        limiter=RateLimiter(10_000),
        backoff=kw.pop("backoff", None)
        or Backoff(base=0.001, rng=random.Random(0), sleep=lambda s: None),
        timeout=2.0,
        **kw,
    )


def test_works_by_doi_come_100_per_call_with_select_and_the_largest_page(server, world, tmp_path):
    dois = sorted(world.by_doi)[:250]
    with make_client(server, tmp_path) as oa:
        works = oa.works_where("doi", dois)
    assert sorted(bare_doi(w["doi"]) for w in works) == dois
    assert len(server.log) == 3
    for r in server.log:
        assert r.query["select"] == WORK_FIELDS and r.query["per_page"] == "100"
        assert r.query["filter"].startswith("doi:") and r.query["filter"].count("|") < 100
        assert r.query["api_key"] == KEY and r.query["mailto"] == "atlas@example.org"


def test_citations_are_cursor_paged_with_a_key(server, graph, world, tmp_path):
    seed = world.of_s2[graph.seeds[0]]
    expected = sorted(world.citing[seed])
    with make_client(server, tmp_path) as oa:
        listing = oa.citing(seed)
    assert sorted(short_id(w["id"]) for w in listing.works) == expected
    assert listing.stated == len(expected) and not listing.truncated
    cursors = [r.query.get("cursor") for r in server.log]
    assert cursors[0] == "*" and len(cursors) == math.ceil(len(expected) / 100)


def test_without_a_key_citations_use_basic_paging_and_report_truncation(tmp_path):
    g = generate_graph(60, 1, seed=2, big_citations={0: 10_050}, missing_field_rate=0.0)
    world = from_s2(g, drop=0.0, extra=0.0)
    seed = world.of_s2[g.seeds[0]]
    with OpenAlexServer(world) as srv, make_client(srv, tmp_path, key=None) as oa:
        listing = oa.citing(seed)
        pages = [r.query.get("page") for r in srv.log]
        assert all("api_key" not in r.query for r in srv.log)
    assert listing.truncated and listing.stated > 10_000
    assert len(listing.works) == 10_000 and pages == [str(p) for p in range(1, 101)]


def test_a_key_is_never_cached_under_nor_written(server, world, tmp_path):
    with make_client(server, tmp_path) as oa:
        oa.works_where("doi", sorted(world.by_doi)[:5])
    with make_client(server, tmp_path, key="another-key") as oa:
        oa.works_where("doi", sorted(world.by_doi)[:5])
        assert oa.stats.requests == 0, "the cache answers whatever the key"
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes()


def test_401_is_a_clear_error_not_offline_and_never_shows_the_key(world, tmp_path):
    with OpenAlexServer(world, required_key="right") as srv:
        with make_client(srv, tmp_path, key=KEY) as oa:
            with pytest.raises(Unauthorized) as err:
                oa.works_where("doi", sorted(world.by_doi)[:2])
            assert not oa.offline and oa.stats.requests == 1
    text = str(err.value)
    assert "HTTP 401" in text and "OPENALEX_API_KEY" in text and KEY not in text
    assert "A valid API key is required" in text, "OpenAlex's own message is kept"


@pytest.mark.parametrize("status", [403, 400])
def test_a_malformed_query_is_a_bad_request_with_openalexs_message(world, tmp_path, status):
    with OpenAlexServer(world, param_error_status=status) as srv, make_client(srv, tmp_path) as oa:
        with pytest.raises(BadRequest) as err:
            oa.request("GET", "/works", {"filter": "doi:x", "per_page": 200})
        with pytest.raises(BadRequest) as bad_select:
            oa.request("GET", "/works", {"filter": "doi:x", "select": "open_access.is_oa"})
    assert not isinstance(err.value, Unauthorized), "a bad query is not a key problem"
    assert "per_page is 200; it must be between 1 and 100" in str(err.value)
    assert f"HTTP {status}" in str(err.value) and "Invalid query parameters" in str(err.value)
    assert "open_access.is_oa is not a valid select field" in str(bad_select.value)


@pytest.mark.parametrize("kind", ["429", "500", "503", "truncated"])
def test_faults_are_retried_to_the_right_answer(server, world, tmp_path, kind):
    dois = sorted(world.by_doi)[:3]
    server.inject(kind, "doi:", times=2)
    with make_client(server, tmp_path) as oa:
        works = oa.works_where("doi", dois)
        assert oa.stats.retries == 2
    assert sorted(bare_doi(w["doi"]) for w in works) == dois


def test_retry_after_is_honoured_and_429s_for_good_say_what_to_do(server, world, tmp_path):
    sleeps: list[float] = []
    server.inject("429", "doi:", times=1, retry_after=2.5)
    backoff = Backoff(base=0.001, rng=random.Random(0), sleep=sleeps.append)
    with make_client(server, tmp_path, backoff=backoff) as oa:
        oa.works_where("doi", sorted(world.by_doi)[:1])
    assert sleeps and sleeps[0] >= 2.5
    server.inject("429", "doi:", times=100)
    with make_client(server, tmp_path / "b", key=None) as oa:
        with pytest.raises(RateLimited) as err:
            oa.works_where("doi", sorted(world.by_doi)[1:2])
    assert "OPENALEX_API_KEY" in str(err.value)


def test_arxiv_ids_come_from_the_arxiv_doi_or_an_arxiv_location():
    assert arxiv_id_of({"doi": "https://doi.org/10.48550/arXiv.2006.08656"}) == "2006.08656"
    work = {
        "doi": "https://doi.org/10.5555/x",
        "locations": [{"landing_page_url": "https://arxiv.org/abs/1806.07366v5"}],
    }
    assert arxiv_id_of(work) == "1806.07366"
    assert arxiv_id_of({"doi": None, "locations": None}) is None


def test_an_error_message_quoting_the_request_never_shows_the_key(world, tmp_path):
    import httpx

    def echo(request: httpx.Request) -> httpx.Response:
        return httpx.Response(422, json={"error": "bad", "message": f"cannot parse {request.url}"})

    oa = OpenAlexClient("http://openalex.test", KEY, transport=httpx.MockTransport(echo))
    with oa, pytest.raises(BadRequest) as err:
        oa.works_where("doi", ["10.1/x"])
    assert "cannot parse" in str(err.value) and KEY not in str(err.value)


def test_a_dead_network_is_known_after_one_connect_timeout_without_waiting(tmp_path):
    """No answer to the first connection (a black-holed network): unreachable at once, so an
    offline `make atlas` does not wait through the retries for each service."""
    import httpx

    from implicit_atlas.graph.sources.http import Unreachable

    tries: list[str] = []
    slept: list[float] = []

    def silent(request: httpx.Request) -> httpx.Response:
        tries.append(str(request.url))
        raise httpx.ConnectTimeout("timed out", request=request)

    oa = OpenAlexClient(
        "http://openalex.invalid",
        None,
        transport=httpx.MockTransport(silent),
        limiter=RateLimiter(10_000),
        backoff=Backoff(sleep=slept.append),
    )
    with oa, pytest.raises(Unreachable, match="OpenAlex is unreachable"):
        oa.works_where("doi", ["10.1/x"])
    assert len(tries) == 1 and slept == []
    with pytest.raises(Unreachable):  # and it is not asked again
        oa.works_where("doi", ["10.1/y"])
    assert len(tries) == 1


def test_a_test_that_names_no_server_reaches_no_public_api(tmp_path):
    """tests/conftest.py: both services default to a loopback port that refuses at once."""
    from implicit_atlas.graph.sources.http import Unreachable
    from implicit_atlas.graph.sources.openalex import resolve_api_url
    from implicit_atlas.graph.sources.s2 import resolve_api_url as s2_url

    assert resolve_api_url().startswith("http://127.0.0.1:")
    assert s2_url().startswith("http://127.0.0.1:")
    oa = OpenAlexClient(limiter=RateLimiter(10_000), backoff=Backoff(sleep=lambda s: None))
    with oa, pytest.raises(Unreachable, match="Connection refused|connect"):
        oa.works_where("doi", ["10.1/x"])
