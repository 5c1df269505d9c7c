"""`implicit-atlas build` with Semantic Scholar, end to end against the loopback server."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys

import pytest
from click.testing import CliRunner
from s2server import FAULT_KINDS, S2Server, curated_toml, generate_graph

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.graphio import load_graph

KEY = "k3y-never-on-disk-7c1e"


@pytest.fixture(scope="module")
def graph():
    return generate_graph(300, 6, seed=11, big_citations={0: 1500})


@pytest.fixture()
def server(graph):
    with S2Server(graph, slow_seconds=0.3) as srv:
        yield srv


@pytest.fixture()
def catalog(graph, tmp_path):
    path = tmp_path / "curated.toml"
    path.write_text(curated_toml(graph), encoding="utf-8")
    return path


def run_build(server, tmp_path, catalog, *args, cache="cache", out="out", key=KEY):
    argv = ["build", "--curated", str(catalog), "--no-field-sample", "--quiet"]
    argv += ["--out", str(tmp_path / out), "--cache-dir", str(tmp_path / cache)]
    argv += ["--api-url", server.url, "--rps", "10000", *args]
    if key:
        argv += ["--api-key", key]
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    G = load_graph(tmp_path / out / "graph.json")
    return result, G


def s2_index(G):
    return {d["s2_id"]: n for n, d in G.nodes(data=True) if d.get("s2_id")}


def report_of(G):
    return G.graph["summary"]["steps"]["semantic-scholar"]


def library_build(catalog, srv, cache, *, depth=2, direction="both", **settings):
    """build_with_s2 against `srv` with tiny backoff: the library path the CLI wraps."""
    from implicit_atlas.graph.build import build_with_s2
    from implicit_atlas.graph.catalog import load_catalog
    from implicit_atlas.graph.expand import ExpandOptions, S2Settings

    config = S2Settings(api_url=srv.url, api_key=KEY, rps=10_000, cache_dir=str(cache),
                        backoff_base=0.001, **settings)  # fmt: skip
    return build_with_s2(
        load_catalog(catalog), settings=config,
        options=ExpandOptions(depth=depth, direction=direction),
        field_sample=False,
    )  # fmt: skip


def graph_doc(G):
    """Nodes and edges, without build time and request statistics."""
    nodes = sorted((n, json.dumps(d, sort_keys=True)) for n, d in G.nodes(data=True))
    edges = sorted((u, v, json.dumps(d, sort_keys=True)) for u, v, d in G.edges(data=True))
    return nodes, edges


def test_depth1_graph_has_every_reference_and_citation_of_the_seeds(
    server, graph, tmp_path, catalog
):
    result, G = run_build(server, tmp_path, catalog)
    idx = s2_index(G)
    report = report_of(G)
    assert sorted(report["resolved"]) == [f"seed-{n}" for n in range(6)]
    assert "S2 knows none of ARXIV:2999.99999" in report["unresolved"]["unknown-paper"]
    assert report["skipped"] == ["some-tool"]
    nulls = 0
    for pid in graph.seeds:
        assert G.nodes[idx[pid]]["curated"] and "semantic-scholar" in G.nodes[idx[pid]]["sources"]
        for e in graph.references[pid]:
            if e["cited"] is None:
                nulls += 1
                continue
            data = G.edges[idx[pid], idx[e["cited"]]]
            assert data["is_influential"] == e["isInfluential"]
            assert data["intents"] == e["intents"] and data["contexts"] == e["contexts"]
            assert data["sources"] == ["semantic-scholar"] and data["kind"] == "cites"
        for e in graph.citations[pid]:
            assert G.has_edge(idx[e["citing"]], idx[pid])
    assert report["unresolved_references"] == nulls
    neighbours = {e["cited"] for p in graph.seeds for e in graph.references[p] if e["cited"]}
    neighbours |= {e["citing"] for p in graph.seeds for e in graph.citations[p]}
    assert set(idx) == neighbours | set(graph.seeds)
    node = G.nodes[idx[graph.seeds[0]]]
    assert node["citation_count"] == graph.papers[graph.seeds[0]]["citationCount"]
    assert node["citation_count_as_of"] and not node.get("citations_truncated")
    assert "6/7 curated papers resolved" in result.stdout
    assert "unresolved unknown-paper" in result.stdout


def test_requests_made_equal_the_lower_bound(server, graph, tmp_path, catalog):
    _, G = run_build(server, tmp_path, catalog)
    pages = 0
    for pid in graph.seeds:
        for n in (len(graph.references[pid]), len(graph.citations[pid])):
            pages += math.ceil(min(n, 9999) / 1000)
    title_matches = 2  # the title-only seed and the unknown entry
    assert report_of(G)["requests"] == 1 + title_matches + pages
    assert report_of(G)["retries"] == 0


def test_warm_cache_makes_no_request_and_gives_the_same_graph(server, tmp_path, catalog):
    _, cold = run_build(server, tmp_path, catalog)
    served = len(server.log)
    _, warm = run_build(server, tmp_path, catalog, out="out2")
    assert len(server.log) == served
    assert report_of(warm)["requests"] == 0 and report_of(warm)["cache_hits"] > 0
    assert graph_doc(warm) == graph_doc(cold)
    _, offline = run_build(server, tmp_path, catalog, "--offline", out="out3")
    assert graph_doc(offline) == graph_doc(cold)
    assert offline.graph["offline"] is True


def test_depth2_adds_the_neighbours_references_in_batches(server, graph, tmp_path, catalog):
    _, G1 = run_build(server, tmp_path, catalog, out="d1")
    _, G = run_build(server, tmp_path, catalog, "--depth", "2", out="d2")
    idx = s2_index(G)
    depth1 = set(s2_index(G1)) - set(graph.seeds)
    for pid in sorted(depth1)[:40]:
        for e in graph.references[pid][:1000]:
            if e["cited"]:
                assert G.has_edge(idx[pid], idx[e["cited"]]), "depth 2 coupling edge missing"
    new = {e["cited"] for p in depth1 for e in graph.references[p] if e["cited"]} - set(
        s2_index(G1)
    )
    d2_requests = [r for r in server.log[len(server.log) - report_of(G)["requests"] :]]
    batches = [r for r in d2_requests if r.path.endswith("/batch")]
    assert len(batches) == math.ceil(len(depth1) / 500) + math.ceil(len(new) / 500)
    assert all(len(r.body["ids"]) <= 500 for r in batches)


def test_filters_apply_to_added_papers_only(server, graph, tmp_path, catalog):
    args = [
        "--min-citations",
        "3",
        "--year-from",
        "2000",
        "--year-to",
        "2020",
        "--max-per-paper",
        "5",
    ]
    _, G = run_build(server, tmp_path, catalog, *args)
    added = [d for _, d in G.nodes(data=True) if d.get("s2_id") and not d.get("curated")]
    assert added and len(added) <= 6 * 2 * 5
    for d in added:
        assert d["citation_count"] >= 3 and 2000 <= d["year"] <= 2020
    assert report_of(G)["filtered_out"] > 0


def test_influential_only_keeps_influential_edges(server, tmp_path, catalog):
    _, G = run_build(server, tmp_path, catalog, "--influential-only")
    s2_edges = [d for _, _, d in G.edges(data=True) if "semantic-scholar" in d["sources"]]
    assert s2_edges and all(d["is_influential"] for d in s2_edges)


def test_request_budget_stops_cleanly_with_a_valid_partial_graph(server, tmp_path, catalog):
    result, G = run_build(server, tmp_path, catalog, "--max-requests", "4")
    report = report_of(G)
    assert report["requests"] == 4 and "request budget (4)" in report["stopped"]
    assert report["left_out"] and "stopped early" in result.stdout
    assert G.number_of_edges() > 0
    _, full = run_build(server, tmp_path, catalog, out="full")
    assert report_of(full)["requests"] > 0
    assert set(G.nodes) < set(full.nodes)


def test_paper_budget(server, tmp_path, catalog):
    _, G = run_build(server, tmp_path, catalog, "--max-papers", "40")
    report = report_of(G)
    assert report["papers_added"] == 40 and "paper budget (40)" in report["stopped"]


def test_truncated_citation_lists_are_recorded(tmp_path):
    big = generate_graph(120, 2, seed=5, big_citations={1: 10_050})
    catalog = tmp_path / "curated.toml"
    catalog.write_text(curated_toml(big, unresolvable=False), encoding="utf-8")
    with S2Server(big) as srv:
        result, G = run_build(srv, tmp_path, catalog, "--direction", "citations")
    node = G.nodes[s2_index(G)[big.seeds[1]]]
    assert node["citations_truncated"] is True and node["citation_count"] > 10_000
    [t] = report_of(G)["truncated"]
    assert t["paper"] == "seed-1" and t["listed"] == 9999
    assert "citations of seed-1 truncated" in result.stdout


def test_api_key_on_every_request_and_nowhere_on_disk(server, tmp_path, catalog):
    server.inject("429", "/citations", times=1, retry_after=0.0)
    run_build(server, tmp_path, catalog, "--depth", "2")
    assert server.log and all(r.headers.get("x-api-key") == KEY for r in server.log)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in files)
    for p in files:
        assert KEY.encode() not in p.read_bytes(), f"API key found in {p}"


def test_faults_everywhere_still_give_the_clean_graph(graph, tmp_path, catalog):
    def build(srv, cache):
        return library_build(catalog, srv, cache, timeout=1.0)

    with S2Server(graph) as clean:
        expected = build(clean, tmp_path / "clean")
    with S2Server(graph, fault_rate=0.3, fault_seed=7, slow_seconds=1.5) as faulty:
        for n, kind in enumerate(FAULT_KINDS):  # each at least once, beside the random ones
            faulty.inject(kind, f"{graph.seeds[n % 6]}/{('citations', 'references')[n // 6]}")
        G = build(faulty, tmp_path / "faulty")
        kinds = {r.fault for r in faulty.log if r.fault}
    assert kinds == set(FAULT_KINDS)
    assert report_of(G)["retries"] > 0 and not report_of(G)["errors"]
    assert graph_doc(G) == graph_doc(expected)


def test_dead_network_finishes_offline_in_one_line(tmp_path, catalog):
    argv = [
        "build",
        "--curated",
        str(catalog),
        "--no-field-sample",
        "--out",
        str(tmp_path / "out"),
        "--cache-dir",
        str(tmp_path / "cache"),
        "--api-url",
        "http://127.0.0.1:1",
    ]
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "Semantic Scholar unreachable: built from the bundled data and the cache"
    ], "one line; the reason, the retries and the unresolved entries only under -v"
    assert "retries" not in result.stdout and "not resolved" not in result.stdout
    G = load_graph(tmp_path / "out" / "graph.json")
    report = report_of(G)
    assert report["requests"] == 2, "two refused connections, then no more attempts"
    assert report["mode"].startswith("offline") and G.number_of_nodes() >= 7
    assert "no answer for" in report["unresolved"]["seed-0"], "not answered is not 'unknown'"
    verbose = CliRunner().invoke(cli, [*argv, "-v"], catch_exceptions=False)
    assert "cannot connect to http://127.0.0.1:1" in verbose.stderr
    assert "not resolved, nothing cached for them (offline): seed-0" in verbose.stderr
    quiet = CliRunner().invoke(cli, [*argv, "-q"], catch_exceptions=False)
    assert quiet.stderr == "" and "graph:" in quiet.stdout


def test_a_refused_key_is_said_as_such_not_as_offline(graph, tmp_path, catalog):
    with S2Server(graph) as srv:
        srv.required_key = "right"
        argv = ["build", "--curated", str(catalog), "--no-field-sample", "-v",
                "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"),
                "--api-url", srv.url, "--api-key", "wrong"]  # fmt: skip
        result = CliRunner().invoke(cli, argv, catch_exceptions=False)
        plain = CliRunner().invoke(cli, [a for a in argv if a != "-v"], catch_exceptions=False)
        sent = len(srv.log)
    assert result.exit_code == 0, result.output
    assert "HTTP 403" in result.stderr and "(offline" not in result.output
    assert "the API key was refused" in result.stderr
    assert plain.stderr.splitlines() == [
        "Semantic Scholar refused the API key: built from the bundled data and the cache; "
        "check S2_API_KEY / --api-key"
    ]
    assert sent <= 2, "a refused key stops the requests at once"


def test_a_title_match_that_failed_is_not_reported_as_no_such_paper(graph, tmp_path, catalog):
    with S2Server(graph) as srv:
        srv.inject("500", "/paper/search/match", times=10_000)
        G = library_build(catalog, srv, tmp_path / "c", depth=1)
    reasons = report_of(G)["unresolved"].values()
    assert any("the title match failed" in r for r in reasons), reasons
    assert not any("no paper is titled" in r for r in reasons)


def test_offline_builds_ignore_a_malformed_key(server, tmp_path, catalog):
    run_build(server, tmp_path, catalog)
    result = CliRunner().invoke(
        cli,
        ["build", "--curated", str(catalog), "--no-field-sample", "--quiet", "--offline",
         "--out", str(tmp_path / "off"), "--cache-dir", str(tmp_path / "cache")],
        env={"S2_API_KEY": "bad key"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
