"""No silent loss at depth 2: batch ``null``s for known papers are asked again, never cached
as holes, counted when they stay; lists the API serves only in part are reported."""

from __future__ import annotations

import pytest
from s2server import S2Server, curated_toml, generate_graph
from test_expand import graph_doc, library_build, report_of, run_build

from implicit_atlas.graph.expand import format_report
from implicit_atlas.graph.sources.s2 import S2Client

NULL_RATE = 0.1


@pytest.fixture(scope="module")
def graph():
    return generate_graph(900, 6, seed=21, refs_per_paper=(3, 20))


@pytest.fixture()
def catalog(graph, tmp_path):
    path = tmp_path / "curated.toml"
    path.write_text(curated_toml(graph), encoding="utf-8")
    return path


@pytest.fixture()
def clean(graph, catalog, tmp_path):
    """The depth-2 graph built against a healthy server, and its request count."""
    with S2Server(graph) as srv:
        G = library_build(catalog, srv, tmp_path / "clean")
    return G


def test_batch_nulls_under_load_give_the_clean_depth2_graph(graph, catalog, tmp_path, clean):
    with S2Server(graph, null_rate=NULL_RATE, fault_seed=3) as srv:
        G = library_build(catalog, srv, tmp_path / "loaded")
        asked_alone = sum(1 for r in srv.log if r.method == "GET" and r.path.count("/") == 4)
        nulls_sent = srv.nulls_sent
    assert nulls_sent > 50, "the server must have answered null for many known ids"
    assert graph_doc(G) == graph_doc(clean)
    report = report_of(G)
    # every null but the one id S2 really does not know (ARXIV:2999.99999) was found again
    assert 50 < report["nulls_asked_again"] <= nulls_sent + 1
    assert report["nulls_recovered"] == report["nulls_asked_again"] - 1
    assert report["unknown_papers"] == 0 and report["unconfirmed_papers"] == 0
    # near the lower bound: a few smaller batches per batch, the last nulls asked alone
    clean_batches = report_of(clean)["requests"]
    extra = report["requests"] - report_of(clean)["requests"]
    assert 0 < extra <= 0.5 * clean_batches, (extra, clean_batches)
    assert asked_alone <= 2 * extra
    assert "batch answers with null asked again" in format_report(report)


def test_a_rebuild_replays_the_re_asks_from_the_cache(graph, catalog, tmp_path, clean):
    with S2Server(graph, null_rate=NULL_RATE, fault_seed=4) as srv:
        library_build(catalog, srv, tmp_path / "c")
        sent = len(srv.log)
        warm = library_build(catalog, srv, tmp_path / "c")
        assert len(srv.log) == sent
    assert report_of(warm)["requests"] == 0
    assert graph_doc(warm) == graph_doc(clean)


def test_a_cache_holding_nulls_is_repaired_by_the_next_build(
    graph, catalog, tmp_path, clean, monkeypatch
):
    cache = tmp_path / "old"
    with monkeypatch.context() as m:  # a cache written by a version that kept the nulls
        m.setattr(S2Client, "_confirm_nulls", lambda self, ids, papers, fields: ([], []))
        with S2Server(graph, null_rate=NULL_RATE, fault_seed=5) as srv:
            holed = library_build(catalog, srv, cache)
    assert holed.number_of_nodes() < clean.number_of_nodes(), "the old hole is real"

    offline = library_build(catalog, srv, cache, offline=True)
    report = report_of(offline)
    assert report["unconfirmed_papers"] > 0, "an offline rebuild says what it could not ask"
    assert "an online build fills them in" in format_report(report)

    with S2Server(graph) as healthy:
        repaired = library_build(catalog, healthy, cache)  # no refresh
        resent = len(healthy.log)
    assert graph_doc(repaired) == graph_doc(clean)
    assert 0 < resent < report_of(clean)["requests"], "only the nulls are asked again"


def test_unknown_ids_are_confirmed_alone_once_and_cached(graph, tmp_path):
    from test_s2client import make_client

    known = sorted(graph.papers)[:5]
    ids = [*known, "f" * 40, "e" * 40]
    with S2Server(graph) as srv:
        with make_client(srv, tmp_path) as s2:
            result = s2.paper_batch(ids)
            again = s2.paper_batch(ids)
        gets = [r.path for r in srv.log if r.method == "GET"]
    assert [p and p["paperId"] for p in result.papers] == [*known, None, None]
    assert result.unknown == ("f" * 40, "e" * 40) and again.unknown == result.unknown
    assert sorted(gets) == [f"/graph/v1/paper/{'e' * 40}", f"/graph/v1/paper/{'f' * 40}"]


def test_many_nulls_are_asked_again_as_one_smaller_batch(graph, tmp_path):
    from test_s2client import make_client

    ids = sorted(graph.papers)[:400]
    with S2Server(graph, null_rate=0.3, fault_seed=9) as srv:
        with make_client(srv, tmp_path) as s2:
            papers = s2.paper_batch(ids).papers
        sizes = [len(r.body["ids"]) if r.body else 1 for r in srv.log]
    assert [p["paperId"] for p in papers] == ids
    assert sizes[0] == 400 and 80 < sizes[1] < 160, sizes
    assert len(sizes) <= 8 and sizes == sorted(sizes, reverse=True)


def test_lists_served_only_in_part_are_reported(tmp_path):
    g = generate_graph(200, 2, seed=8)
    seed = g.seeds[1]
    listed = len(g.citations[seed])
    g.papers[seed]["citationCount"] = listed + 9_059  # stated, but not listable
    catalog = tmp_path / "curated.toml"
    catalog.write_text(curated_toml(g, unresolvable=False), encoding="utf-8")
    with S2Server(g) as srv:
        result, G = run_build(srv, tmp_path, catalog, "--direction", "citations")
    [partial] = report_of(G)["partial"]
    assert partial == {
        "paper": "seed-1", "s2_id": seed, "kind": "citations",
        "listed": listed, "stated": listed + 9_059,
    }  # fmt: skip
    assert f"citations of seed-1: listed {listed} of {listed + 9_059}" in result.stdout
