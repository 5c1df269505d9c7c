"""`related --s2`: Semantic Scholar recommendations through the real client, end to end.

A graph is built against the loopback S2 server, then `related` asks the same server for
recommendations (``/recommendations/v1/papers/forpaper/{id}``), caches them and ranks.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from s2server import S2Server, curated_toml, generate_graph

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.sources.cache import CACHE_FILE_NAME

RECOMMENDATIONS = "/recommendations/v1/papers/forpaper/"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A loopback server, a graph built from it, and the build's cache folder."""
    graph = generate_graph(200, 4, seed=5)
    root = tmp_path_factory.mktemp("s2related")
    catalog = root / "curated.toml"
    catalog.write_text(curated_toml(graph, unresolvable=False), encoding="utf-8")
    with S2Server(graph) as server:
        code, _, err = invoke(
            "build", "--curated", str(catalog), "--no-field-sample", "--quiet",
            "--out", str(root / "atlas"), "--cache-dir", str(root / "build-cache"),
            "--api-url", server.url, "--rps", "10000",
        )  # fmt: skip
        assert code == 0, err
        yield graph, server, root / "atlas" / "graph.json"


def related_s2(server: S2Server, graph_file: Path, cache: Path, *args: str) -> tuple[int, str, str]:
    return invoke(
        "related", *args, "--json", "--top", "30", "--graph", str(graph_file),
        "--cache-dir", str(cache), "--api-url", server.url, "--rps", "10000",
    )  # fmt: skip


def recommendation_requests(server: S2Server) -> int:
    return sum(1 for r in server.served() if r.path.startswith(RECOMMENDATIONS))


def test_online_uses_the_real_client_then_the_cache(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graph, server, graph_file = world
    seed = graph.seeds[1]
    cache = tmp_path / "cache"
    before = len(server.log)

    code, out, err = related_s2(server, graph_file, cache, seed, "--s2", "online")
    assert code == 0, err
    asked = [r for r in server.log[before:] if r.path.startswith(RECOMMENDATIONS)]
    assert [r.path for r in asked] == [RECOMMENDATIONS + seed]
    assert asked[0].query["limit"] == "100" and "paperId" in asked[0].query["fields"]
    data = json.loads(out)
    assert "s2" in data["signals"]
    recommended = [p for p in data["papers"] if "s2" in p["contributions"]]
    assert recommended, "papers the server recommends that are in the graph get an s2 share"
    assert (cache / CACHE_FILE_NAME).exists()

    after_first = len(server.log)
    for mode in ("online", "cached"):
        code, again, err = related_s2(server, graph_file, cache, seed, "--s2", mode)
        assert code == 0, err
        assert json.loads(again)["papers"] == data["papers"], f"--s2 {mode} from the cache"
    assert len(server.log) == after_first, "second runs are served from the cache: 0 requests"


def test_cached_with_no_cache_is_one_note_and_creates_nothing(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graph, server, graph_file = world
    cache = tmp_path / "never-made"
    before = len(server.log)
    code, out, err = related_s2(
        server, graph_file, cache, graph.seeds[0], graph.seeds[2], "--s2", "cached"
    )
    assert code == 0, err
    notes = [line for line in err.splitlines() if line.startswith("note: S2 recommended")]
    assert len(notes) == 1, err
    assert "no data, ranked without it" in notes[0] and "not in the cache" in notes[0]
    assert json.loads(out)["papers"], "the other signals still rank"
    assert not cache.exists(), "offline, no cache folder or file is created"
    assert len(server.log) == before, "offline makes no request"


def test_without_s2_no_cache_is_touched(
    world, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    graph, _, graph_file = world
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    code, _, err = invoke("related", graph.seeds[0], "--graph", str(graph_file))
    assert code == 0, err
    assert not (tmp_path / "xdg").exists()


def test_online_with_the_server_gone_is_a_note(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graph, _, graph_file = world
    code, out, err = invoke(
        "related", graph.seeds[0], "--s2", "online", "--json", "--graph", str(graph_file),
        "--cache-dir", str(tmp_path / "c"), "--api-url", "http://127.0.0.1:9", "--rps", "10000",
    )  # fmt: skip
    assert code == 0, err
    assert "note: S2 recommended: no data, ranked without it" in err
    assert "unreachable" in err
    assert json.loads(out)["papers"]
