"""`build --source s2,openalex` end to end: two loopback services describing the same papers
with different ids and partly different reference lists merge into one graph."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner
from openalex_server import OA, OpenAlexServer, from_s2
from s2server import S2Server, curated_toml, generate_graph

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.graphio import load_graph

S2_KEY = "s2-k3y-0a1b"
OA_KEY = "oa-k3y-never-on-disk-77c3"


@pytest.fixture(scope="module")
def graph():
    g = generate_graph(300, 5, seed=17, big_citations={0: 230}, missing_field_rate=0.0)
    for n, pid in enumerate(g.seeds):  # OpenAlex finds curated papers by DOI or arXiv id
        ext = g.papers[pid]["externalIds"]
        if not ext.get("DOI") and not ext.get("ArXiv"):
            ext["DOI"] = f"10.5555/seed.{n}"
            g.add_paper(g.papers[pid])
    return g


@pytest.fixture(scope="module")
def world(graph):
    return from_s2(graph, drop=0.25, extra=0.15, seed=4)


@pytest.fixture()
def catalog(graph, tmp_path):
    path = tmp_path / "curated.toml"
    path.write_text(curated_toml(graph, unresolvable=False, titles=False), encoding="utf-8")
    return path


def build(tmp_path, catalog, s2, oa, *args, out="out", key=OA_KEY, sources="s2,openalex"):
    argv = ["build", "--curated", str(catalog), "--no-field-sample", "--quiet"]
    argv += ["--out", str(tmp_path / out), "--cache-dir", str(tmp_path / "cache")]
    argv += ["--api-url", s2.url, "--api-key", S2_KEY, "--rps", "10000"]
    argv += ["--source", sources] if sources else []
    argv += ["--openalex-url", oa.url, *args]
    if key:
        argv += ["--openalex-key", key]
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result, load_graph(tmp_path / out / "graph.json")


def expected_depth1(graph, world):
    """S2 ids of the papers and citation pairs either service lists around the seeds."""
    s2_of = {w: p for p, w in world.of_s2.items()}
    edges = set()
    for seed in graph.seeds:
        edges |= {(seed, e["cited"]) for e in graph.references[seed] if e["cited"]}
        edges |= {(e["citing"], seed) for e in graph.citations[seed]}
        wid = world.of_s2[seed]
        edges |= {(seed, s2_of[r.removeprefix(OA)]) for r in world.works[wid]["referenced_works"]}
        edges |= {(s2_of[c], seed) for c in world.citing[wid]}
    papers = {p for pair in edges for p in pair} | set(graph.seeds)
    return papers, edges


def test_two_services_merge_into_one_node_per_paper_and_the_union_of_citations(
    graph, world, tmp_path, catalog
):
    with S2Server(graph) as s2, OpenAlexServer(world) as oa:
        result, G = build(tmp_path, catalog, s2, oa)
    papers, edges = expected_depth1(graph, world)
    s2_of = {w: p for p, w in world.of_s2.items()}
    node_of, paper_of = {}, {}
    for n, d in G.nodes(data=True):
        if d.get("type") == "software":
            continue
        paper = d.get("s2_id") or s2_of[d["openalex_id"]]  # a paper only OpenAlex listed
        if d.get("s2_id") and d.get("openalex_id"):
            assert world.of_s2[d["s2_id"]] == d["openalex_id"], "merged with the wrong work"
        assert paper not in node_of, f"two nodes for one paper: {d['title']}"
        node_of[paper], paper_of[n] = n, paper
    assert set(node_of) == papers
    cites = [(u, v, d) for u, v, d in G.edges(data=True) if d["kind"] == "cites"]
    got = {(paper_of[u], paper_of[v]) for u, v, _ in cites}
    assert got == edges
    both = only_oa = 0
    for u, v, d in cites:
        pair = (paper_of[u], paper_of[v])
        s2_lists = any(e["cited"] == pair[1] for e in graph.references[pair[0]])
        oa_lists = (
            OA + world.of_s2[pair[1]] in world.works[world.of_s2[pair[0]]]["referenced_works"]
        )
        expected = {"semantic-scholar"} if s2_lists else set()
        assert set(d["sources"]) == expected | ({"openalex"} if oa_lists else set())
        both += s2_lists and oa_lists
        only_oa += oa_lists and not s2_lists
    assert both > 50 and only_oa > 5, "the world must have shared and OpenAlex-only edges"
    for seed in graph.seeds:
        node = G.nodes[node_of[seed]]
        assert node["openalex_id"] == world.of_s2[seed]
    report = G.graph["summary"]["steps"]["openalex"]
    assert len(report["resolved"]) == 5 and not report["unresolved"] and not report["errors"]
    assert "openalex (online): 5/5 curated papers resolved" in result.stdout


def test_completeness_per_paper_counts_each_service_and_the_union(graph, world, tmp_path, catalog):
    with S2Server(graph) as s2, OpenAlexServer(world) as oa:
        result, G = build(tmp_path, catalog, s2, oa)
    s2_of = {w: p for p, w in world.of_s2.items()}
    completeness = G.graph["summary"]["completeness"]
    for n, seed in enumerate(graph.seeds):
        by_s2 = {e["cited"] for e in graph.references[seed] if e["cited"]}
        work = world.works[world.of_s2[seed]]
        by_oa = {s2_of[r.removeprefix(OA)] for r in work["referenced_works"]}
        node = next(d for _, d in G.nodes(data=True) if d.get("s2_id") == seed)
        counts = (node["refs_by_s2"], node["refs_by_openalex"], node["refs_union"])
        assert counts == (len(by_s2), len(by_oa), len(by_s2 | by_oa))
        entry = completeness["curated"][f"seed-{n}"]
        assert entry["stated_s2"] == len(graph.references[seed])  # nulls included
        assert entry["stated_openalex"] == work["referenced_works_count"]
        stated = max(entry["stated_s2"], entry["stated_openalex"])
        incomplete = completeness["incomplete"].get(f"seed-{n}")
        assert (incomplete is not None) == (len(by_s2 | by_oa) < stated)
    assert completeness["incomplete"], "the world has lists neither service completes"
    argv = ["export", "--graph", str(tmp_path / "out" / "graph.json"), "--format", "csv"]
    exported = CliRunner().invoke(cli, [*argv, "-o", str(tmp_path / "csv")])
    assert exported.exit_code == 0, exported.output
    header = (tmp_path / "csv" / "nodes.csv").read_text(encoding="utf-8").splitlines()[0]
    assert {"refs_by_s2", "refs_by_openalex", "refs_union"} <= set(header.split(","))
    assert "incomplete reference list: seed-" in result.stdout
    assert "reference lists of the curated papers: S2 " in result.stdout


def test_openalex_requests_equal_the_lower_bound_cold_and_none_warm(
    graph, world, tmp_path, catalog
):
    with S2Server(graph) as s2, OpenAlexServer(world) as oa:
        _, G = build(tmp_path, catalog, s2, oa, out="cold")
        cold = len(oa.log)
        _, warm = build(tmp_path, catalog, s2, oa, out="warm")
        assert len(oa.log) == cold
    seeds = [world.of_s2[p] for p in graph.seeds]
    refs = {r for w in seeds for r in world.works[w]["referenced_works"]}
    bound = math.ceil(len(seeds) / 100) + math.ceil(len(refs) / 100)
    bound += sum(max(1, math.ceil(len(world.citing[w]) / 100)) for w in seeds)
    assert cold == bound
    report = G.graph["summary"]["steps"]["openalex"]
    assert report["requests"] == report["metered_calls"] == cold
    assert warm.graph["summary"]["steps"]["openalex"]["requests"] == 0


def test_offline_reads_both_caches_and_openalex_alone_works(graph, world, tmp_path, catalog):
    with S2Server(graph) as s2, OpenAlexServer(world) as oa:
        _, online = build(tmp_path, catalog, s2, oa, out="on")
        _, alone = build(tmp_path, catalog, s2, oa, out="alone", sources="openalex")
        sent = len(oa.log) + len(s2.log)
        _, offline = build(tmp_path, catalog, s2, oa, "--offline", out="off")
        _, default = build(tmp_path, catalog, s2, oa, "--offline", out="d", sources=None)
        assert len(oa.log) + len(s2.log) == sent
    assert sorted(default.edges) == sorted(offline.edges), "offline reads every cache"
    assert sorted(online.edges) == sorted(offline.edges)
    assert "semantic-scholar" not in alone.graph["summary"]["steps"]
    assert alone.graph["summary"]["steps"]["openalex"]["edges_added"] > 0
    s2_of = {w: p for p, w in world.of_s2.items()}
    for _, d in alone.nodes(data=True):  # the abstract comes from the inverted index
        if d.get("openalex_id") and not d.get("curated"):
            assert d["abstract"] == graph.papers[s2_of[d["openalex_id"]]]["abstract"]


def test_depth2_adds_the_neighbours_referenced_works_at_the_lower_bound(
    graph, world, tmp_path, catalog
):
    with S2Server(graph) as s2, OpenAlexServer(world) as oa:
        _, G = build(tmp_path, catalog, s2, oa, "--depth", "2")
        sent = len(oa.log)
    seeds = [world.of_s2[p] for p in graph.seeds]
    refs = {r.removeprefix(OA) for w in seeds for r in world.works[w]["referenced_works"]}
    depth1 = (refs | {c for w in seeds for c in world.citing[w]}) - set(seeds)
    known = set(seeds) | depth1
    new = {r.removeprefix(OA) for w in depth1 for r in world.works[w]["referenced_works"]} - known
    bound = 1 + math.ceil(len(refs - set(seeds)) / 100) + math.ceil(len(new) / 100)
    bound += sum(max(1, math.ceil(len(world.citing[w]) / 100)) for w in seeds)
    assert sent == bound
    node_of = {d["openalex_id"]: n for n, d in G.nodes(data=True) if d.get("openalex_id")}
    for w in sorted(depth1):
        for r in world.works[w]["referenced_works"]:
            assert G.has_edge(node_of[w], node_of[r.removeprefix(OA)])


def test_the_key_goes_as_api_key_and_nowhere_on_disk_and_401_is_an_error(
    graph, world, tmp_path, catalog
):
    with S2Server(graph) as s2, OpenAlexServer(world, required_key=OA_KEY) as oa:
        result, G = build(tmp_path, catalog, s2, oa)
        assert all(r.query.get("api_key") == OA_KEY for r in oa.log)
        bad, refused = build(tmp_path, catalog, s2, oa, "--refresh", out="bad", key="wrong")
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert OA_KEY.encode() not in path.read_bytes(), f"key found in {path}"
    report = refused.graph["summary"]["steps"]["openalex"]
    assert report["mode"] == "online" and "HTTP 401" in report["errors"][0]
    assert "openalex error: OpenAlex refused the request (HTTP 401" in bad.stdout
    assert "wrong" not in bad.output


def test_without_a_key_one_line_says_what_that_limits(graph, world, tmp_path, catalog):
    with S2Server(graph) as s2, OpenAlexServer(world) as oa:
        result, _ = build(tmp_path, catalog, s2, oa, key=None)
    assert result.stderr.count("OpenAlex without an API key") == 1
    assert "openalex: no API key" in result.stdout


def test_online_the_default_is_both_services(graph, world, tmp_path, catalog):
    with S2Server(graph) as s2, OpenAlexServer(world) as oa:
        result, G = build(tmp_path, catalog, s2, oa, sources=None)
        assert len(oa.log) > 0 and len(s2.log) > 0
    assert G.graph["sources"] == ["curated", "semantic-scholar", "openalex"]
    assert G.graph["options"]["sources"] == ["s2", "openalex"]
    assert "semantic scholar (online)" in result.stdout and "openalex (online)" in result.stdout
    steps = G.graph["summary"]["steps"]
    by_source = G.graph["summary"]["edges_by_source"]
    only_s2, only_oa = (steps[s]["edges_only_here"] for s in ("semantic-scholar", "openalex"))
    assert only_s2 == by_source["semantic-scholar"] - by_source["openalex+semantic-scholar"]
    assert only_oa == by_source["openalex"] - by_source["openalex+semantic-scholar"] > 0
    assert f"edges added ({only_oa} listed by no other source)" in result.stdout


def test_an_unknown_source_is_a_one_line_error(tmp_path, catalog):
    result = CliRunner().invoke(
        cli, ["build", "--curated", str(catalog), "--source", "s2,crossref"]
    )
    assert result.exit_code != 0
    assert "unknown source crossref: --source takes s2 or openalex" in result.output


def library_build(catalog, oa, tmp_path, **settings):
    from implicit_atlas.graph.build import build_with_s2
    from implicit_atlas.graph.catalog import load_catalog
    from implicit_atlas.graph.openalex_expand import OpenAlexSettings

    config = OpenAlexSettings(api_url=oa.url, api_key=OA_KEY, rps=10_000, backoff_base=0.001,
                              cache_dir=str(tmp_path / "lib"), **settings)  # fmt: skip
    notes: list[str] = []
    G = build_with_s2(
        load_catalog(catalog), sources=("openalex",), openalex=config, field_sample=False,
        on_note=notes.append,
    )  # fmt: skip
    return G, notes


def test_an_openalex_outage_finishes_from_the_cache_in_one_line(world, tmp_path, catalog):
    with OpenAlexServer(world) as oa:
        oa.inject("503", "", times=10_000)
        G, notes = library_build(catalog, oa, tmp_path)
    report = G.graph["summary"]["steps"]["openalex"]
    assert report["mode"] == "offline (network problem)" and "kept failing" in notes[0]
    assert len(notes) == 1 and not report["resolved"]


def test_the_request_budget_stops_openalex_cleanly_and_a_rerun_resumes(
    graph, world, tmp_path, catalog
):
    with OpenAlexServer(world) as oa:
        # alone, OpenAlex resolves by DOI (1 call) and by title the seeds named by S2 id (1)
        G, _ = library_build(catalog, oa, tmp_path, max_requests=3)
        assert len(oa.log) == 3
        full, _ = library_build(catalog, oa, tmp_path)
        resumed = len(oa.log) - 3
    with OpenAlexServer(world) as fresh:
        library_build(catalog, fresh, tmp_path / "fresh")
        cold = len(fresh.log)
    report = G.graph["summary"]["steps"]["openalex"]
    assert "request budget (3)" in report["stopped"] and report["edges_added"] > 0
    assert resumed == cold - 3, "the rerun repeated requests the stopped build had made"
    assert full.number_of_edges() > G.number_of_edges()


def title_catalog(graph, tmp_path, *extra: str):
    """The seeds by title (and year) only, plus the `extra` TOML lines."""
    lines = ["schema = 1", 'sections = ["Seeds"]', ""]
    for n, pid in enumerate(graph.seeds):
        paper = graph.papers[pid]
        lines += [f"[entry.seed-{n}]", f"title = {paper['title']!r}", 'section = "Seeds"',
                  f"year = {paper['year']}", ""]  # fmt: skip
    path = tmp_path / "titles.toml"
    path.write_text("\n".join([*lines, *extra]), encoding="utf-8")
    return path


def test_a_title_search_whose_page_overflows_asks_those_titles_again_alone(graph, world, tmp_path):
    """120 works whose titles hold seed-0's title, listed before it: the batch's one page
    holds none of the seeds, so each is asked alone; seed-0's own page is still full, and
    the report says so rather than 'no work'."""
    import copy

    crowded = copy.deepcopy(world)
    base = crowded.works[world.of_s2[graph.seeds[0]]]
    for n in range(120):
        wid = f"W{1_000_000_000 + n}"
        crowded.works[wid] = dict(copy.deepcopy(base), id=OA + wid, doi=None,
                                  display_name="A review of " + base["display_name"])  # fmt: skip
    crowded.finish()
    with S2Server(graph) as s2, OpenAlexServer(crowded) as oa:
        _, G = build(tmp_path, title_catalog(graph, tmp_path), s2, oa, sources="openalex")
        searches = [r.query["filter"] for r in oa.log if "title.search" in r.query["filter"]]
    assert len(searches) == 1 + len(graph.seeds)
    assert all(f.count("|") == 0 for f in searches[1:]), "then one title per call"
    report = G.graph["summary"]["steps"]["openalex"]
    assert sorted(report["resolved"]) == [f"seed-{n}" for n in range(1, len(graph.seeds))]
    assert report["unresolved"]["seed-0"].startswith("not among the first 100 of 121 works")
    assert report["search_calls"] == len(searches)


def test_seeds_known_by_title_only_are_looked_up_in_one_batched_search(graph, world, tmp_path):
    """A curated paper with neither DOI nor arXiv id (and OpenAlex alone, so S2 gives none):
    its title is searched, ten titles per call, and the registry's identity rules pick the
    work; a title nobody has is reported, not guessed."""
    nobody = ["[entry.nobody]", 'title = "A paper, nobody | has \\"indexed\\""',
              'section = "Seeds"', ""]  # fmt: skip
    catalog = title_catalog(graph, tmp_path, *nobody)
    with S2Server(graph) as s2, OpenAlexServer(world) as oa:
        result, G = build(tmp_path, catalog, s2, oa, sources="openalex")
        searches = [r for r in oa.log if r.query["filter"].startswith("title.search:")]
        cold = len(oa.log)
        _, warm = build(tmp_path, catalog, s2, oa, out="warm", sources="openalex")
        _, off = build(tmp_path, catalog, s2, oa, "--offline", out="off", sources="openalex")
        assert len(oa.log) == cold, "a rerun and an offline build ask nothing"
    assert len(searches) == 1
    assert searches[0].query["filter"].count("|") == len(graph.seeds)
    assert '"a paper nobody has indexed"' in searches[0].query["filter"]
    report = G.graph["summary"]["steps"]["openalex"]
    assert report["resolved"] == {
        f"seed-{n}": world.of_s2[pid] for n, pid in enumerate(graph.seeds)
    }
    assert report["unresolved"] == {"nobody": "no work with its title (it has no DOI or arXiv id)"}
    assert report["search_calls"] == 1 and report["metered_calls"] == report["requests"]
    assert "1 title searches" in result.stdout
    for name, built in (("warm", warm), ("offline", off)):
        again = built.graph["summary"]["steps"]["openalex"]
        assert again["requests"] == 0, name
        assert again["resolved"] == report["resolved"], name
