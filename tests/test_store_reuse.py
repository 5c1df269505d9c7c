"""A rebuild with nothing changed reuses the store; any changed input rebuilds it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from s2server import S2Server, curated_toml, generate_graph

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.fingerprint import settled
from implicit_atlas.graph.graphio import load_graph
from implicit_atlas.graph.sources.cache import ResponseCache


@pytest.fixture(scope="module")
def world():
    return generate_graph(120, 3, seed=3)


def build(tmp_path: Path, server: S2Server, catalog: Path, *args: str) -> str:
    argv = ["build", "--curated", str(catalog), "--no-field-sample", "--quiet", "--source", "s2"]
    argv += ["--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")]
    argv += ["--api-url", server.url, "--rps", "10000", *args]
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def kept_note(tmp_path: Path, G) -> str:
    path = tmp_path / "out" / "graph.atlas"
    return f"nothing changed since the build of {G.graph['built_at']}: kept {path} " + (
        "(its summary follows)\n"
    )


def store_written(tmp_path: Path) -> int:
    """When the manifest was last replaced (a reused store is not written)."""
    return (tmp_path / "out" / "graph.atlas").stat().st_mtime_ns


@pytest.fixture()
def settled_build(tmp_path: Path, world):
    """A catalog and a server, built once (cold: every answer fetched and cached)."""
    catalog = tmp_path / "curated.toml"
    catalog.write_text(curated_toml(world), encoding="utf-8")
    with S2Server(world) as server:
        yield server, catalog, build(tmp_path, server, catalog)


def test_nothing_changed_reuses_the_store_with_the_same_output(tmp_path: Path, settled_build):
    server, catalog, second = settled_build
    before, graph_before = store_written(tmp_path), load_graph(tmp_path / "out" / "graph.atlas")
    asked = len(server.log)
    third = build(tmp_path, server, catalog)
    assert third.replace(kept_note(tmp_path, graph_before), "") == second
    assert store_written(tmp_path) == before
    graph_after = load_graph(tmp_path / "out" / "graph.atlas")
    assert list(graph_after.edges(data=True)) == list(graph_before.edges(data=True))
    assert graph_after.graph == graph_before.graph
    assert len(server.log) == asked  # every answer came from the cache


@pytest.mark.parametrize("option", [["--min-citations", "3"], ["--depth", "2"]])
def test_a_changed_option_rebuilds(tmp_path: Path, settled_build, option):
    server, catalog, _ = settled_build
    before = store_written(tmp_path)
    build(tmp_path, server, catalog, *option)
    assert store_written(tmp_path) != before
    G = load_graph(tmp_path / "out" / "graph.atlas")
    assert G.graph["options"]["s2"][option[0][2:].replace("-", "_")] == int(option[1])


def test_an_edited_catalog_rebuilds(tmp_path: Path, settled_build):
    server, catalog, _ = settled_build
    before = store_written(tmp_path)
    catalog.write_text(
        catalog.read_text("utf-8").replace('title = "', 'title = "Edited: ', 1), "utf-8"
    )
    build(tmp_path, server, catalog)
    assert store_written(tmp_path) != before
    G = load_graph(tmp_path / "out" / "graph.atlas")
    assert any(str(d.get("title", "")).startswith("Edited: ") for _, d in G.nodes(data=True))


def test_a_new_cached_answer_rebuilds(tmp_path: Path, settled_build):
    server, catalog, _ = settled_build
    before = store_written(tmp_path)
    with ResponseCache(tmp_path / "cache") as cache:
        cache.put("GET", "/paper/new", {"fields": "title"}, None, 200, {"title": "New"})
    build(tmp_path, server, catalog)
    assert store_written(tmp_path) != before


def test_a_refresh_always_rebuilds(tmp_path: Path, settled_build):
    server, catalog, _ = settled_build
    before = store_written(tmp_path)
    build(tmp_path, server, catalog, "--max-age", "365")
    assert store_written(tmp_path) != before


def test_the_cache_state_follows_every_write(tmp_path: Path):
    with ResponseCache(tmp_path) as cache:
        empty = cache.state()
        cache.put("GET", "/a", None, None, 200, {"x": 1})
        one = cache.state()
        cache.put("GET", "/a", None, None, 200, {"x": 2})  # the same request answered again
        assert len({empty, one, cache.state()}) == 3
        assert cache.state() == cache.state()
    copy = tmp_path / "copy"
    copy.mkdir()
    with ResponseCache(copy) as other:  # another file, answered the same way
        other.put("GET", "/a", None, None, 200, {"x": 1})
        other.put("GET", "/a", None, None, 200, {"x": 2})
        with ResponseCache(tmp_path) as cache:
            assert other.state() != cache.state()


def test_a_build_cut_short_by_the_network_is_not_reusable():
    assert settled({"field-sample": {"papers": 3}, "semantic-scholar": {"mode": "online"}})
    assert not settled({"semantic-scholar": {"mode": "online", "network_problem": "timeout"}})
    assert not settled({"openalex": {"mode": "offline (network problem)", "errors": []}})
    assert not settled({"semantic-scholar": {"mode": "online", "errors": ["boom"]}})
