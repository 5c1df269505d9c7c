"""The graph store: the same graph back, only what is asked read, bad stores refused."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from implicit_atlas.cli.main import cli
from implicit_atlas.graph.errors import GraphFileError
from implicit_atlas.graph.graphio import graph_to_data, load_graph, save_graph
from implicit_atlas.graph.store import (
    LIGHT_EDGE_ATTRIBUTES,
    data_folder,
    is_store,
    load_store,
    save_store,
)


def same_document(G: nx.DiGraph, H: nx.DiGraph) -> bool:
    """Equal as graph.json text (node, edge and attribute order included) and adjacency."""
    text = json.dumps(graph_to_data(G), ensure_ascii=False)
    if text != json.dumps(graph_to_data(H), ensure_ascii=False):
        return False
    return all(list(G.pred[n]) == list(H.pred[n]) for n in G)


def test_the_bundled_graph_comes_back_equal(bundled_graph: nx.DiGraph, tmp_path: Path) -> None:
    path = save_store(bundled_graph, tmp_path / "graph.atlas")
    assert is_store(path) and not is_store(tmp_path)
    assert same_document(load_store(path), bundled_graph)


def test_the_graph_json_path_and_the_store_agree(bundled_graph_file: Path, tmp_path: Path) -> None:
    """A graph read from graph.json, saved as a store and read back is the same graph."""
    from_json = load_graph(bundled_graph_file)
    path = save_store(from_json, tmp_path / "graph.atlas")
    assert same_document(load_graph(path), from_json)


def odd_graph() -> nx.DiGraph:
    """Attributes of every kind the store types, and some it has to keep as JSON."""
    G = nx.DiGraph(schema=1, options={"depth": 2}, note=None)
    G.add_node("a", title="Ünïcode — “quoted”", year=2020, authors=["A B", "C D"], curated=True)
    G.add_node("b", year=None, score=0.5, extra={"nested": [1, "x", None]})
    G.add_node("c")  # no attributes at all
    G.add_node("d", mixed=1, authors=[], title=None)
    G.add_node("e", mixed="one", big=2**70)
    G.add_edge("b", "a", kind="cites", is_influential=True, contexts=["see [3]"])
    G.add_edge("a", "d", kind="cites", provenance=[{"source": "x", "scope": None}])
    G.add_edge("c", "a", kind="implements")
    G.add_edge("e", "e", weight=1.5)  # a self loop, no kind
    return G


def test_attributes_keep_their_types_order_and_absence(tmp_path: Path) -> None:
    G = odd_graph()
    H = load_store(save_store(G, tmp_path / "graph.atlas"))
    assert same_document(G, H)
    assert "year" in H.nodes["b"] and H.nodes["b"]["year"] is None, "None stays None"
    assert "year" not in H.nodes["c"], "absent stays absent"
    assert H.nodes["e"]["big"] == 2**70 and H.nodes["d"]["mixed"] == 1
    assert H.nodes["e"]["mixed"] == "one"
    assert H.graph == G.graph


def test_an_empty_graph(tmp_path: Path) -> None:
    H = load_store(save_store(nx.DiGraph(), tmp_path / "graph.atlas"))
    assert H.number_of_nodes() == 0 and H.number_of_edges() == 0


def test_light_edges_hold_only_what_the_ranking_reads(tmp_path: Path) -> None:
    G = odd_graph()
    H = load_store(save_store(G, tmp_path / "graph.atlas"), edge_attributes=LIGHT_EDGE_ATTRIBUTES)
    assert dict(H.edges["b", "a"]) == {"kind": "cites", "is_influential": True}
    assert dict(H.edges["a", "d"]) == {"kind": "cites"}
    assert dict(H.edges["e", "e"]) == {}
    assert list(H.edges) == list(G.edges) and H.nodes["a"] == G.nodes["a"]
    with pytest.raises(TypeError):  # shared and read-only: a change fails, never spreads
        H.edges["a", "d"]["kind"] = "implements"


def test_a_second_save_replaces_the_first_and_leaves_no_old_tables(tmp_path: Path) -> None:
    path = tmp_path / "graph.atlas"
    G = odd_graph()
    save_store(G, path)
    G.add_edge("a", "c", kind="cites")
    save_store(G, path)
    assert load_store(path).has_edge("a", "c")
    names = sorted(p.name for p in data_folder(path).iterdir())
    assert len(names) == 2 and all(n.endswith(".parquet") for n in names), names


def test_a_failed_write_keeps_the_old_store(tmp_path: Path, monkeypatch) -> None:
    import pyarrow.parquet as pq

    path = tmp_path / "graph.atlas"
    save_store(odd_graph(), path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    real = pq.write_table
    calls = []

    def fail_second(table, where, **kw):
        calls.append(where)
        if len(calls) == 2:
            raise OSError("disk full")
        real(table, where, **kw)

    monkeypatch.setattr(pq, "write_table", fail_second)
    G = odd_graph()
    G.add_node("new")
    with pytest.raises(OSError, match="disk full"):
        save_store(G, path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before, "no temporary left"
    assert "new" not in load_store(path)


def damage(path: Path, how: str) -> None:
    manifest = json.loads(path.read_text())
    folder = data_folder(path)
    if how == "missing-table":
        (folder / manifest["files"]["edges"]["file"]).unlink()
    elif how == "cut-table":
        table = folder / manifest["files"]["nodes"]["file"]
        table.write_bytes(table.read_bytes()[:100])
    elif how == "same-size-garbage":
        table = folder / manifest["files"]["nodes"]["file"]
        table.write_bytes(b"x" * table.stat().st_size)
    elif how == "other-version":
        manifest["store_version"] = 99
        path.write_text(json.dumps(manifest))
    elif how == "cut-manifest":
        path.write_text(path.read_text()[:200])
    elif how == "no-files":
        del manifest["files"]
        path.write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("how", "message"),
    [
        pytest.param("missing-table", "is half-written or damaged", id="missing-table"),
        pytest.param("cut-table", "is half-written or damaged", id="cut-table"),
        pytest.param("same-size-garbage", "is corrupted", id="garbage-table"),
        pytest.param("other-version", "another version of implicit-atlas", id="other-version"),
        pytest.param("cut-manifest", "not a readable graph store", id="cut-manifest"),
        pytest.param("no-files", "is corrupted", id="no-files"),
    ],
)
def test_a_damaged_store_is_refused_in_one_line(tmp_path: Path, how: str, message: str) -> None:
    path = save_store(odd_graph(), tmp_path / "graph.atlas")
    damage(path, how)
    with pytest.raises(GraphFileError, match=message) as caught:
        load_graph(path)
    assert "rebuild it with `implicit-atlas build`" in str(caught.value)
    result = CliRunner().invoke(cli, ["bib", "--scope", "all", "--graph", str(path)])
    assert result.exit_code == 1 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_values_of_the_wrong_type_are_refused_as_in_graph_json(tmp_path: Path) -> None:
    G = nx.DiGraph()
    G.add_node("a", year=2020)
    G.add_node("b", year="circa 2019")
    with pytest.raises(GraphFileError, match=r"node 'b': year 'circa 2019' is not a whole"):
        load_store(save_store(G, tmp_path / "graph.atlas"))


def test_graph_json_beside_or_instead(tmp_path: Path, bundled_graph: nx.DiGraph) -> None:
    """An older build's graph.json is read where the store is asked for, and the reverse."""
    save_graph(bundled_graph, tmp_path / "old" / "graph.json")
    assert load_graph(tmp_path / "old" / "graph.atlas").number_of_nodes() > 1000
    save_store(bundled_graph, tmp_path / "new" / "graph.atlas")
    assert load_graph(tmp_path / "new" / "graph.json").number_of_nodes() > 1000


def test_build_writes_the_store_and_commands_read_it(tmp_path: Path) -> None:
    out = tmp_path / "atlas"
    (out).mkdir()
    (out / "graph.json").write_text("{}")  # an older build's graph.json: replaced
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--offline", "--out", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'graph.atlas'}" in result.stdout
    assert not (out / "graph.json").exists()
    exported = tmp_path / "export.json"
    args = ["export", "--graph", str(out / "graph.atlas"), "--format", "json", "-o"]
    assert runner.invoke(cli, [*args, str(exported)]).exit_code == 0
    from_json = load_graph(exported)
    assert same_document(from_json, load_graph(out / "graph.atlas"))
    for command in (["bib", "--scope", "all"], ["related", "1909.01377", "--top", "5"]):
        on_store = runner.invoke(cli, [*command, "--graph", str(out / "graph.atlas")])
        on_json = runner.invoke(cli, [*command, "--graph", str(exported)])
        assert on_store.exit_code == 0, on_store.output
        assert on_store.stdout == on_json.stdout, command


def test_related_saves_its_indexes_and_the_next_call_uses_them(tmp_path: Path) -> None:
    from implicit_atlas.graph.indexcache import IndexCache
    from implicit_atlas.graph.signals import citation_index, text_index

    out = tmp_path / "atlas"
    runner = CliRunner()
    assert runner.invoke(cli, ["build", "--offline", "--out", str(out)]).exit_code == 0
    graph = str(out / "graph.atlas")
    cache = IndexCache.beside(graph)
    assert cache is not None and not cache.folder.exists()
    args = ["related", "1909.01377", "--top", "8", "--explain", "--graph", graph]
    first = runner.invoke(cli, args, catch_exceptions=False)
    assert sorted(p.name for p in cache.folder.iterdir()) == ["citation.npz", "text.npz"]
    second = runner.invoke(cli, args, catch_exceptions=False)
    assert second.stdout == first.stdout and first.exit_code == 0

    G = load_graph(graph, edge_attributes=LIGHT_EDGE_ATTRIBUTES)
    fresh = citation_index(nx.DiGraph(G)), text_index(nx.DiGraph(G))
    assert IndexCache.beside(graph).load_into(G) == ["citation", "text"]  # type: ignore[union-attr]
    loaded = citation_index(G), text_index(G)
    assert (loaded[0].cites != fresh[0].cites).nnz == 0 and loaded[0].keys == fresh[0].keys
    assert loaded[1].terms == fresh[1].terms
    assert (loaded[1].vectors != fresh[1].vectors).nnz == 0
    assert IndexCache.beside(tmp_path / "none.json") is None


def test_a_rebuilt_store_does_not_meet_old_indexes(tmp_path: Path) -> None:
    from implicit_atlas.graph.indexcache import IndexCache
    from implicit_atlas.graph.signals import citation_index

    path = tmp_path / "graph.atlas"
    G = odd_graph()
    save_store(G, path)
    old = IndexCache.beside(path)
    citation_index(G)
    assert old is not None and old.save_from(G) == ["citation"]
    G.add_edge("a", "c", kind="cites")
    save_store(G, path)
    new = IndexCache.beside(path)
    assert new is not None and new.folder != old.folder and not old.folder.exists()
    H = load_store(path)
    assert new.load_into(H) == []
    assert citation_index(H).cites.nnz == 3


def test_commands_leave_the_garbage_collector_as_they_found_it(tmp_path: Path) -> None:
    import gc

    path = save_store(odd_graph(), tmp_path / "graph.atlas")
    result = CliRunner().invoke(cli, ["bib", "--scope", "all", "--graph", str(path)])
    assert result.exit_code == 0, result.output
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_indexes_of_a_graph_that_grew_after_loading_are_not_saved(tmp_path: Path) -> None:
    from implicit_atlas.graph.indexcache import IndexCache
    from implicit_atlas.graph.signals import citation_index

    path = save_store(odd_graph(), tmp_path / "graph.atlas")
    cache = IndexCache.beside(path)
    G = load_store(path)
    assert cache is not None and cache.load_into(G) == []
    G.add_edge("a", "new", kind="cites")
    citation_index(G)
    assert cache.save_from(G) == [] and not cache.folder.exists()


def test_shared_values_convert_as_the_plain_array_does() -> None:
    """Edge columns of a built graph repeat one list object: converted once, same array."""
    import pyarrow as pa

    from implicit_atlas.graph.store import _array_of_repeats

    shared, other = ["semantic-scholar"], ["openalex", "semantic-scholar"]
    values = [shared, None, other, shared, [], shared]
    kind = pa.list_(pa.string())
    assert _array_of_repeats(values, kind).equals(pa.array(values, type=kind))
    assert _array_of_repeats([], pa.string()).equals(pa.array([], type=pa.string()))


def test_edges_made_of_the_same_objects_are_grouped_and_come_back_as_they_were(
    tmp_path: Path,
) -> None:
    """Edges copied from one attribute dict are converted once per group; equal-looking edges
    of other objects, other key orders or changed copies stay apart, and every edge reads
    back as it was."""
    from implicit_atlas.graph.store import _same_records

    provenance = [{"source": "semantic-scholar", "evidence": "x", "scope": None}]
    template = {"kind": "cites", "provenance": provenance, "sources": ["semantic-scholar"]}
    changed = dict(template, kind="implements")
    reordered = {"sources": template["sources"], "kind": "cites", "provenance": provenance}
    look_alike = {"kind": "cites", "provenance": list(provenance), "sources": ["semantic-scholar"]}
    records = [template.copy(), changed, template.copy(), reordered, look_alike, {}, {}]
    distinct, rows = _same_records(records)
    assert rows.tolist() == [0, 1, 0, 2, 3, 4, 4]
    assert [list(d) for d in distinct] == [list(records[i]) for i in (0, 1, 3, 4, 5)]
    G = nx.DiGraph()
    for n, attrs in enumerate(records):
        G.add_edge(f"a{n}", f"b{n}", **attrs)
    assert same_document(load_store(save_store(G, tmp_path / "graph.atlas")), G)


def test_a_built_graphs_edges_are_grouped_as_the_registry_made_them(tmp_path: Path) -> None:
    """The registry's word on how it made the edges gives the groups the store would find
    itself, and the same files; an edge dict that is not the one it made voids it."""
    import itertools
    import operator

    from implicit_atlas.graph.registry import PaperRegistry
    from implicit_atlas.graph.store import _groups_as_built, _same_records

    reg = PaperRegistry()
    a, b, c, d = (
        reg.add_paper({"title": f"Paper {n}", "arxiv": f"2001.0000{n}"}, "semantic-scholar")
        for n in range(4)
    )
    s2 = {"source": "semantic-scholar"}
    reg.add_edges(a, [b, c, d], provenance=s2)
    reg.add_edge(b, c, provenance=s2, is_influential=True, intents=["methodology"])
    reg.add_edge(d, a, kind="implements", provenance={"source": "curated", "evidence": "x"})
    reg.add_edges(c, [d], provenance=s2)
    G = reg.to_graph()
    assert reg.edge_groups is not None
    records = list(
        itertools.chain.from_iterable(map(operator.methodcaller("values"), G._succ.values()))
    )
    found = _same_records(records)
    told = _groups_as_built(records, reg.edge_groups)
    assert told is not None and told[1].tolist() == found[1].tolist() == [0, 0, 0, 1, 0, 2]
    assert all(x is y for x, y in zip(told[0], found[0], strict=True))
    plain, fast = tmp_path / "plain" / "graph.atlas", tmp_path / "fast" / "graph.atlas"
    save_store(G, plain)
    save_store(G, fast, edge_groups=reg.edge_groups)
    tables = [
        sorted(p.name for p in (path.parent / "graph.store").iterdir()) for path in (plain, fast)
    ]
    assert tables[0] == tables[1]  # (named by their content)
    u, v = "arXiv:2001.00000", "arXiv:2001.00001"
    G._succ[u][v] = G._pred[v][u] = dict(G._succ[u][v], kind="implements")
    records = list(
        itertools.chain.from_iterable(map(operator.methodcaller("values"), G._succ.values()))
    )
    assert _groups_as_built(records, reg.edge_groups) is None
