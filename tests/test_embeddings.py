"""SPECTER2 embeddings: the signal by hand, the file beside the graph, `build --embeddings`
end to end against the loopback server, and `related` picking the file up."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from s2server import S2Server, curated_toml, generate_graph

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.embeddings import (
    EMBEDDING_FIELD,
    EMBEDDINGS_FILE_NAME,
    Embeddings,
    embedding_similarity,
    load_embeddings,
    save_embeddings,
)
from implicit_atlas.graph.errors import GraphFileError
from implicit_atlas.graph.graphio import load_graph
from implicit_atlas.graph.related import related_papers

BATCH = "/graph/v1/paper/batch"


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


# --- the signal, worked by hand ---------------------------------------------------------------


@pytest.fixture
def small() -> tuple[nx.DiGraph, Embeddings]:
    """a = (1, 0); b at 45°; c at 90°; d opposite a; e has no vector; f has a zero vector."""
    G = nx.DiGraph()
    for key in "abcdef":
        G.add_node(key, title=f"paper {key}", type="paper")
    G.add_edge("b", "a", kind="cites")
    E = Embeddings(
        ["a", "b", "c", "d", "f"],
        np.array([[2.0, 0.0], [1.0, 1.0], [0.0, 3.0], [-1.0, 0.0], [0.0, 0.0]]),
    )
    return G, E


def test_cosine_by_hand(small: tuple[nx.DiGraph, Embeddings]) -> None:
    G, E = small
    scores = embedding_similarity(G, ["a"], E)
    assert list(scores) == ["b"], "c is orthogonal (0), d opposite (-1): neither scores"
    assert scores["b"] == pytest.approx(1 / math.sqrt(2))


def test_several_seeds_sum_their_cosines(small: tuple[nx.DiGraph, Embeddings]) -> None:
    G, E = small
    scores = embedding_similarity(G, ["a", "c"], E)
    assert scores == {"b": pytest.approx(2 / math.sqrt(2))}


def test_fusion_uses_embeddings_only_when_given(small: tuple[nx.DiGraph, Embeddings]) -> None:
    G, E = small
    without = related_papers(G, ["a"])
    assert "embedding" not in without.signals
    with_vectors = related_papers(G, ["a"], embeddings=E)
    assert with_vectors.signals[-1] == "embedding"
    b = next(p for p in with_vectors.papers if p.key == "b")
    assert b.signal_scores["embedding"] == pytest.approx(1 / math.sqrt(2))
    assert related_papers(G, ["a"], signals=["text"], embeddings=E).signals == ["text"]


def test_a_seed_without_vector_is_a_note(small: tuple[nx.DiGraph, Embeddings]) -> None:
    G, E = small
    result = related_papers(G, ["e"], embeddings=E)
    assert any(n.startswith("SPECTER2: no embedding for “paper e”") for n in result.notes)
    asked = related_papers(G, ["a"], signals=["embedding", "text"])
    assert any("build --embeddings" in n for n in asked.notes)


def test_file_round_trip_is_atomic_and_checked(
    small: tuple[nx.DiGraph, Embeddings], tmp_path: Path
) -> None:
    _, E = small
    path = save_embeddings(E, tmp_path / EMBEDDINGS_FILE_NAME)
    assert sorted(p.name for p in tmp_path.iterdir()) == [EMBEDDINGS_FILE_NAME], "no temp left"
    back = load_embeddings(path)
    assert back.keys == E.keys and back.model == "specter_v2"
    np.testing.assert_allclose(back.vectors, E.vectors, rtol=1e-6)
    path.write_bytes(b"not a zip")
    with pytest.raises(GraphFileError, match="build --embeddings"):
        load_embeddings(path)


# --- build --embeddings and related, against the loopback server ----------------------------


@pytest.fixture(scope="module")
def fake() -> object:
    return generate_graph(260, 4, seed=3)


@pytest.fixture()
def built(fake, tmp_path: Path):  # type: ignore[no-untyped-def]
    catalog = tmp_path / "curated.toml"
    catalog.write_text(curated_toml(fake, unresolvable=False), encoding="utf-8")
    with S2Server(fake) as server:

        def build(*extra: str, out: str = "atlas") -> tuple[int, str, str]:
            return invoke(
                "build", "--curated", str(catalog), "--no-field-sample", "--quiet",
                "--out", str(tmp_path / out), "--cache-dir", str(tmp_path / "cache"),
                "--api-url", server.url, "--rps", "10000", *extra,
            )  # fmt: skip

        yield server, build, tmp_path


def embedding_batches(server: S2Server, since: int = 0) -> list[object]:
    return [
        r
        for r in server.log[since:]
        if r.path == BATCH and r.query.get("fields") == EMBEDDING_FIELD
    ]


def test_build_embeddings_fetches_in_batches_and_caches(fake, built) -> None:  # type: ignore[no-untyped-def]
    server, build, root = built
    code, out, err = build("--embeddings")
    assert code == 0, err
    G = load_graph(root / "atlas" / "graph.json")
    papers = [k for k, d in G.nodes(data=True) if d.get("type") != "software"]
    asked = embedding_batches(server)
    assert len(asked) == math.ceil(len(papers) / 500) >= 1
    assert all(len(r.body["ids"]) <= 500 for r in asked)  # type: ignore[attr-defined]
    E = load_embeddings(root / "atlas" / EMBEDDINGS_FILE_NAME)
    by_key = {k: d.get("s2_id") for k, d in G.nodes(data=True)}
    expected = [k for k in papers if fake.embedding(by_key[k]) is not None]
    assert sorted(E.keys) == sorted(expected), "every paper with a vector, none without"
    assert E.vectors.shape[1] == fake.embedding_dim
    assert f"embeddings: {len(expected)} of {len(papers)} papers" in out
    assert not any("embedding" in d for _, d in G.nodes(data=True)), "not in graph.json"

    before = len(server.log)
    code, out, err = build("--embeddings", out="again")
    assert code == 0, err
    assert len(server.log) == before, "warm cache: no request at all"
    assert load_embeddings(root / "again" / EMBEDDINGS_FILE_NAME).keys == E.keys

    code, out, err = build("--embeddings", "--offline", out="offline")
    assert code == 0, err
    assert (root / "offline" / EMBEDDINGS_FILE_NAME).exists()
    assert len(server.log) == before


def test_build_without_the_flag_writes_no_embeddings(built) -> None:  # type: ignore[no-untyped-def]
    server, build, root = built
    code, _, err = build()
    assert code == 0, err
    assert not (root / "atlas" / EMBEDDINGS_FILE_NAME).exists()
    assert not embedding_batches(server)


def test_related_uses_the_embeddings_beside_the_graph(fake, built) -> None:  # type: ignore[no-untyped-def]
    _, build, root = built
    assert build("--embeddings")[0] == 0
    graph_file = root / "atlas" / "graph.json"
    G = load_graph(graph_file)
    seed = fake.seeds[0]
    assert fake.embedding(seed) is not None
    code, out, err = invoke(
        "related", seed, "--json", "--top", "10", "--signals", "embedding",
        "--graph", str(graph_file),
    )  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["signals"] == ["embedding"]
    topics = [fake.topic_of(G.nodes[p["key"]]["s2_id"]) for p in data["papers"]]
    assert topics == [fake.topic_of(seed)] * 10, "the planted topic comes first"

    code, table, err = invoke("related", seed, "--explain", "--graph", str(graph_file))
    assert code == 0, err
    assert "text spctr  cur" in table, "used automatically, with its own column"
    assert "SPECTER2 cosine: 0." in table, "--explain shows the cosine"

    (root / "atlas" / EMBEDDINGS_FILE_NAME).unlink()
    code, table, err = invoke("related", seed, "--graph", str(graph_file))
    assert code == 0 and "spctr" not in table and "SPECTER2" not in err, "as before"


def test_max_requests_is_one_budget_for_the_build_and_its_embeddings(fake, built) -> None:  # type: ignore[no-untyped-def]
    server, build, root = built
    code, out, err = build()
    assert code == 0, err
    expansion = len(server.log)

    def cold_build(budget: int, out: str) -> str:
        start = len(server.log)
        code, text, err = build(
            "--embeddings", "--max-requests", str(budget), "--cache-dir", str(root / out), out=out
        )  # a later --cache-dir wins: a cold cache of its own
        assert code == 0, err
        assert len(server.log) - start <= budget, "the build went over its budget"
        return text

    text = cold_build(expansion, "tight")  # exactly the expansion: nothing left for embeddings
    assert embedding_batches(server, 2 * expansion) == []
    assert "request budget" in text and not (root / "tight" / EMBEDDINGS_FILE_NAME).exists()
    before = len(server.log)
    cold_build(expansion + 1, "one-more")  # one request more: the first embedding batch
    assert len(embedding_batches(server, before)) == 1
    assert (root / "one-more" / EMBEDDINGS_FILE_NAME).exists()
    # offline with a cache that has the expansion but no embedding: a note, not a crash
    code, text, err = build(
        "--embeddings", "--offline", "--cache-dir", str(root / "tight"), out="offline-cold"
    )
    assert code == 0, err
    assert "Traceback" not in err and "not in the cache" in text
    assert not (root / "offline-cold" / EMBEDDINGS_FILE_NAME).exists()


def test_a_refresh_with_embeddings_is_one_refresh(fake, built) -> None:  # type: ignore[no-untyped-def]
    """The embeddings step neither ends an unfinished refresh nor begins one of its own."""
    import sqlite3

    server, build, root = built

    def marker() -> list[tuple[float]]:
        with sqlite3.connect(root / "cache" / "s2-cache.sqlite3") as db:
            return db.execute("SELECT value FROM meta WHERE name = 'refresh_began'").fetchall()

    code, _, err = build()
    assert code == 0, err
    expansion = len(server.log)
    code, _, err = build("--embeddings")
    assert code == 0, err
    assert marker() == []
    # the expansion's refresh completes; the embeddings, with no budget left, fail: the
    # refresh is over all the same (an embeddings step that began a refresh of its own
    # would leave it open, and the next --refresh would take the expansion for stale)
    code, text, err = build(
        "--refresh", "--embeddings", "--max-requests", str(expansion), out="exact"
    )
    assert code == 0, err
    assert "request budget" in text and "stopped early" not in text
    assert marker() == []
    code, text, err = build("--refresh", "--embeddings", "--max-requests", "2", out="cut")
    assert code == 0, err
    assert "stopped early" in text
    assert len(marker()) == 1, "an unfinished refresh stays open, whatever the embeddings did"
    code, text, err = build("--refresh", "--embeddings", out="resumed")
    assert code == 0, err
    assert marker() == [], "the finished refresh is closed"
