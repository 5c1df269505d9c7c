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
    confirmations = 1  # the unknown entry's id, asked alone: a batch null may be load
    assert report_of(G)["requests"] == 1 + confirmations + title_matches + pages
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
    # 5 = the resolving batch, the unknown id asked alone, two title matches and one page
    result, G = run_build(server, tmp_path, catalog, "--max-requests", "5")
    report = report_of(G)
    assert report["requests"] == 5 and "request budget (5)" in report["stopped"]
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


def test_dead_network_finishes_offline_in_one_line_per_service(tmp_path, catalog, refused_url):
    """`make atlas` with no network: each service (both by default) says so once, and the
    build finishes from the caches and the bundled data."""
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
        "--openalex-url",
        refused_url,
    ]
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "Semantic Scholar unreachable: built from the bundled data and the cache"
    ], "one line, though both services were tried; the reasons only under -v"
    assert "retries" not in result.stdout and "not resolved" not in result.stdout
    assert "API key" not in result.stderr, "no advice about keys for a service never reached"
    G = load_graph(tmp_path / "out" / "graph.json")
    report = report_of(G)
    assert report["requests"] == 2, "two refused connections, then no more attempts"
    assert report["mode"].startswith("offline") and G.number_of_nodes() >= 7
    assert "no answer for" in report["unresolved"]["seed-0"], "not answered is not 'unknown'"
    openalex = G.graph["summary"]["steps"]["openalex"]
    assert openalex["requests"] == 2 and openalex["mode"] == "offline (network problem)"
    assert "no answer for" in openalex["unresolved"]["seed-0"]
    assert openalex["unresolved"]["seed-3"].startswith("no answer for its title"), "title only"
    assert openalex["metered_calls"] == 0, "requests that never reached OpenAlex cost nothing"
    verbose = CliRunner().invoke(cli, [*argv, "-v"], catch_exceptions=False)
    lines = [line for line in verbose.stderr.splitlines() if "unreachable" in line]
    assert len(lines) == 2 and "cannot connect to http://127.0.0.1:1" in lines[0]
    assert lines[1].startswith("OpenAlex is unreachable") and "from its cache" in lines[1]
    assert "not resolved, nothing cached for them (offline): seed-0" in verbose.stderr
    assert "openalex: not resolved, nothing cached for them (offline): seed-0" in verbose.stderr
    quiet = CliRunner().invoke(cli, [*argv, "-q"], catch_exceptions=False)
    assert quiet.stderr == "" and "graph:" in quiet.stdout


def test_a_refused_key_is_said_as_such_not_as_offline(graph, tmp_path, catalog):
    with S2Server(graph) as srv:
        srv.required_key = "right"
        argv = ["build", "--curated", str(catalog), "--no-field-sample", "-v",
                "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"),
                "--api-url", srv.url, "--api-key", "wrong", "--source", "s2"]  # fmt: skip
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


def test_s2_edges_merge_with_field_sample_edges(tmp_path):
    """A citation both the field sample and S2 report carries both provenances."""
    import random

    from s2server import FakeGraph, paper_record_for

    rng = random.Random(0)
    g = FakeGraph()
    optnet, adam = "a" * 40, "b" * 40
    for n, (pid, arxiv) in enumerate([(optnet, "1703.00443"), (adam, "1412.6980")]):
        rec = paper_record_for(n, pid, rng, 0.0, "")
        rec["externalIds"] = {"ArXiv": arxiv, "CorpusId": 1 + n}
        g.add_paper(rec)
    g.cite(optnet, adam, rng)
    g.seeds = [optnet]
    g.finish()
    catalog = tmp_path / "curated.toml"
    catalog.write_text(
        'schema = 1\nsections = ["S"]\n[entry.optnet]\ntitle = "OptNet"\nsection = "S"\n'
        'arxiv = "1703.00443"\n',
        encoding="utf-8",
    )
    with S2Server(g) as srv:
        argv = [
            "build",
            "--curated",
            str(catalog),
            "--quiet",
            "--out",
            str(tmp_path / "out"),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--api-url",
            srv.url,
            "--rps",
            "10000",
        ]
        assert CliRunner().invoke(cli, argv, catch_exceptions=False).exit_code == 0
    G = load_graph(tmp_path / "out" / "graph.json")
    edge = G.edges["arXiv:1703.00443", "arXiv:1412.6980"]
    assert edge["sources"] == ["field-sample", "semantic-scholar"]
    assert len(edge["provenance"]) == 2
    assert G.nodes["arXiv:1412.6980"]["s2_id"] == adam


def build_command(catalog, srv, out, cache):
    return [sys.executable, "-m", "implicit_atlas.cli", "build", "--curated", str(catalog),
            "--no-field-sample", "--quiet", "--depth", "2", "--out", str(out),
            "--cache-dir", str(cache), "--api-url", srv.url, "--rps", "200"]  # fmt: skip


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_resume_after_interrupt_repeats_nothing_and_gives_the_same_graph(
    graph, tmp_path, catalog, sig
):
    env = {**os.environ, "S2_API_KEY": KEY}
    with S2Server(graph) as reference:
        cmd = build_command(catalog, reference, tmp_path / "ref", tmp_path / "ref-cache")
        subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
        total = len(reference.log)
    assert total > 10

    with S2Server(graph) as srv:
        cmd = build_command(catalog, srv, tmp_path / "out", tmp_path / "cache")
        holder: dict[str, subprocess.Popen] = {}

        def interrupt_midway(record):
            if len(srv.log) == total // 2:
                record.fault = "interrupted before the answer"
                os.kill(holder["proc"].pid, sig)

        srv.on_request = interrupt_midway
        holder["proc"] = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            # a shell that started us in the background left SIGINT ignored, and Python keeps
            # an ignored SIGINT ignored: restore the default so Ctrl-C reaches the build
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        _, stderr = holder["proc"].communicate(timeout=120)
        code = holder["proc"].returncode
        assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 130), stderr
        if sig == signal.SIGINT:
            assert "interrupted" in stderr and "Traceback" not in stderr
        assert not (tmp_path / "out" / "graph.json").exists()
        first_run = len(srv.served())
        srv.on_request = None
        subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=120)
        answered = srv.served()
    keys = [
        (r.method, r.path, tuple(sorted(r.query.items())), json.dumps(r.body)) for r in answered
    ]
    assert len(keys) == len(set(keys)), "a request answered before the interrupt was made again"
    assert first_run == total // 2 - 1
    # the interrupted request may or may not have been stored before the process stopped
    assert total - 1 <= len(answered) <= total
    resumed = load_graph(tmp_path / "out" / "graph.json")
    assert graph_doc(resumed) == graph_doc(load_graph(tmp_path / "ref" / "graph.json"))


def test_two_builds_share_one_cache(graph, tmp_path, catalog):
    env = {**os.environ, "S2_API_KEY": KEY}
    with S2Server(graph) as srv:
        procs = [
            subprocess.Popen(
                build_command(catalog, srv, tmp_path / f"out{n}", tmp_path / "cache"),
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for n in range(2)
        ]
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], errors
    a, b = (load_graph(tmp_path / f"out{n}" / "graph.json") for n in range(2))
    assert graph_doc(a) == graph_doc(b)


def test_progress_on_stderr_unless_quiet(server, tmp_path, catalog):
    argv = [
        "build",
        "--curated",
        str(catalog),
        "--no-field-sample",
        "--out",
        str(tmp_path / "o"),
        "--cache-dir",
        str(tmp_path / "c"),
        "--api-url",
        server.url,
        "--rps",
        "10000",
        "--source",
        "s2",
    ]
    loud = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert "S2 done: 6 resolved" in loud.stderr and "requests" in loud.stderr
    quiet = CliRunner().invoke(cli, [*argv, "--quiet"], catch_exceptions=False)
    assert "S2 " not in quiet.stderr
    assert quiet.stdout.count("requests:") == 1, "the final summary is printed either way"


def test_depth2_pages_a_reference_list_longer_than_a_batch_reply_holds(tmp_path):
    import random

    from s2server import FakeGraph, paper_record_for

    rng = random.Random(1)
    g = FakeGraph()
    ids = [f"{n:040x}" for n in range(1203)]
    for n, pid in enumerate(ids):
        g.add_paper(paper_record_for(n, pid, rng, 0.0, ""))
    seed, neighbour, refs = ids[0], ids[1], ids[2:]
    g.cite(seed, neighbour, rng)
    for ref in refs:
        g.cite(neighbour, ref, rng)
    g.seeds = [seed]
    g.finish()
    catalog = tmp_path / "curated.toml"
    catalog.write_text(
        f'schema = 1\nsections = ["S"]\n[entry.s]\ntitle = "S"\nsection = "S"\ns2_id = "{seed}"\n',
        encoding="utf-8",
    )
    with S2Server(g) as srv:
        _, G = run_build(srv, tmp_path, catalog, "--depth", "2")
        paths = [r.path for r in srv.log]
    idx = s2_index(G)
    assert all(G.has_edge(idx[neighbour], idx[r]) for r in refs), "references beyond 1000 lost"
    assert paths.count(f"/graph/v1/paper/{neighbour}/references") == 2


def test_refresh_and_max_age_refetch_and_env_key_is_sent(server, tmp_path, catalog, monkeypatch):
    monkeypatch.setenv("S2_API_KEY", "env-key")
    _, first = run_build(server, tmp_path, catalog, key=None)
    cold = report_of(first)["requests"]
    assert all(r.headers.get("x-api-key") == "env-key" for r in server.log)
    _, again = run_build(server, tmp_path, catalog, "--refresh", key=None)
    assert report_of(again)["requests"] == cold
    _, young = run_build(server, tmp_path, catalog, "--max-age", "1", key=None)
    assert report_of(young)["requests"] == 0, "answers younger than a day are reused"
    _, old = run_build(server, tmp_path, catalog, "--max-age", "0", key=None)
    assert report_of(old)["requests"] == cold
    assert graph_doc(old) == graph_doc(first)


def test_an_interrupted_refresh_resumes_instead_of_starting_over(server, tmp_path, catalog):
    _, first = run_build(server, tmp_path, catalog)
    cold = report_of(first)["requests"]
    assert cold > 4
    half = cold // 2
    _, cut = run_build(server, tmp_path, catalog, "--refresh", "--max-requests", str(half))
    assert report_of(cut)["stopped"] and report_of(cut)["requests"] == half
    served = len(server.served())
    _, resumed = run_build(server, tmp_path, catalog, "--refresh")
    assert report_of(resumed)["requests"] == cold - half, "the resumed refresh repeated requests"
    keys = [(r.method, r.path, tuple(sorted(r.query.items())), json.dumps(r.body))
            for r in server.served()[served - half:]]  # fmt: skip
    assert len(keys) == len(set(keys)) == cold
    assert graph_doc(resumed) == graph_doc(first)
    _, next_refresh = run_build(server, tmp_path, catalog, "--refresh")
    assert report_of(next_refresh)["requests"] == cold, "a finished refresh must not be resumed"


def test_answers_too_large_for_the_api_give_the_same_graph_in_smaller_pieces(
    graph, tmp_path, catalog
):
    from implicit_atlas.graph.expand import format_report

    def build(srv, cache):
        return library_build(catalog, srv, cache)

    with S2Server(graph) as clean:
        expected = build(clean, tmp_path / "clean")
    with S2Server(graph, max_answer_items=400) as limited:
        G = build(limited, tmp_path / "limited")
        too_large = {r.path for r in limited.log if r.fault == "too large"}
    assert any(p.endswith("/citations") for p in too_large) and "/graph/v1/paper/batch" in too_large
    report = report_of(G)
    assert report["fallbacks"] >= 2 and not report["errors"] and not report["network_problem"]
    assert "fetched in smaller pieces" in format_report(report)
    assert graph_doc(G) == graph_doc(expected)


@pytest.mark.parametrize("bad_key", ["SECRET-KEY\nline2", "SECRET KEY", "SECRÉT-KEY"])
def test_a_key_no_header_can_carry_is_refused_without_showing_it(
    server, tmp_path, catalog, bad_key
):
    argv = ["build", "--curated", str(catalog), "--no-field-sample", "--quiet",
            "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"),
            "--api-url", server.url, "--rps", "10000"]  # fmt: skip
    result = CliRunner().invoke(cli, argv, env={"S2_API_KEY": bad_key})
    assert (
        result.exit_code == 1
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert "contains a space, a line break or a non-ASCII character" in result.stderr
    assert "SECR" not in result.output and "Traceback" not in result.output
    assert server.log == [], "nothing was sent"
    assert not (tmp_path / "out" / "graph.json").exists()


def test_a_key_with_surrounding_whitespace_is_trimmed(server, tmp_path, catalog):
    result = CliRunner().invoke(
        cli,
        ["build", "--curated", str(catalog), "--no-field-sample", "--quiet",
         "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache"),
         "--api-url", server.url, "--rps", "10000"],
        env={"S2_API_KEY": f"  {KEY}\n"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert server.log and all(r.headers.get("x-api-key") == KEY for r in server.log)


def test_one_list_the_api_keeps_failing_on_is_left_out_not_the_whole_build(
    graph, tmp_path, catalog
):
    broken = graph.seeds[3]
    with S2Server(graph) as srv:
        srv.inject("500", f"{broken}/references", times=10_000)
        G = library_build(catalog, srv, tmp_path / "c", depth=1)
        served = {r.path for r in srv.served()}
    report = report_of(G)
    assert report["network_problem"] is None and report["mode"] == "online"
    assert any("references of" in e and "kept failing" in e for e in report["errors"])
    assert any(item.startswith("references of") for item in report["left_out"])
    others = [s for s in graph.seeds if s != broken]
    assert all(f"/graph/v1/paper/{s}/references" in served for s in others), "the rest went on"


def test_an_outage_with_a_warm_cache_goes_offline_after_two_failures(graph, tmp_path, catalog):
    """Cache hits between the failing requests must not make an outage look like two
    unrelated failures, or every uncached list pays the whole retry schedule."""

    def build(srv, direction):
        return library_build(catalog, srv, tmp_path / "c", depth=1, direction=direction)

    with S2Server(graph) as srv:
        build(srv, "references")
    with S2Server(graph, fault_rate=1.0, fault_kinds=("500",)) as down:
        G = build(down, "both")
        sent = len(down.log)
    report = report_of(G)
    assert report["mode"] == "offline (network problem)"
    assert sent <= 2 * 11, f"{sent} requests to a service that is down"


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
