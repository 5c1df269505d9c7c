"""The k-hop extraction of docs/scale.md, run by DuckDB on generated bulk-dataset shards.

Semantic Scholar's bulk datasets come as gzipped JSON-lines shards: ``papers`` (one paper per
line, keyed by ``corpusid``) and ``citations`` (``citingcorpusid``, ``citedcorpusid``,
``isinfluential``, ``contexts``, ``intents``). The query below takes the depth-2
neighbourhood of the seeds out of them without loading them into memory, as `build --depth 2`
takes it through the API; the ranking of graph/ then runs unchanged on the result.
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path

import duckdb  # in the test extras: a user needs it only for this extraction
import networkx as nx

# The same text is in docs/scale.md (a test below keeps them equal).
NEIGHBOURHOOD_SQL = """\
SET memory_limit = '2GB';  -- spills to temp_directory beyond this
CREATE TEMP TABLE cites AS
    SELECT citingcorpusid AS citing, citedcorpusid AS cited, isinfluential, intents
    FROM read_json($citations, format = 'newline_delimited',
                   columns = {citingcorpusid: 'BIGINT', citedcorpusid: 'BIGINT',
                              isinfluential: 'BOOLEAN', intents: 'VARCHAR[]'})
    WHERE citedcorpusid IS NOT NULL;
CREATE TEMP TABLE hop1 AS  -- the seeds, their references and their citers
    SELECT unnest($seeds::BIGINT[]) AS corpusid
    UNION SELECT cited FROM cites WHERE citing IN (SELECT unnest($seeds::BIGINT[]))
    UNION SELECT citing FROM cites WHERE cited IN (SELECT unnest($seeds::BIGINT[]));
COPY (  -- depth 2: every citation made by a depth-1 paper (seeds' citations included)
    SELECT c.* FROM cites c SEMI JOIN hop1 h ON c.citing = h.corpusid ORDER BY citing, cited
) TO $edges (FORMAT parquet);
COPY (
    SELECT p.corpusid, p.title, p.year, p.externalids.DOI AS doi, p.externalids.ArXiv AS arxiv
    FROM read_json($papers, format = 'newline_delimited') p
    WHERE p.corpusid IN (SELECT corpusid FROM hop1)
       OR p.corpusid IN (SELECT cited FROM cites SEMI JOIN hop1 ON citing = hop1.corpusid)
    ORDER BY p.corpusid
) TO $nodes (FORMAT parquet);
"""


def write_shards(folder: Path, papers: int, seed: int = 7) -> dict[int, list[int]]:
    """Two gzipped shards of each dataset, in the bulk format; returns citing -> cited."""
    rng = random.Random(seed)
    references: dict[int, list[int]] = {}
    paper_lines, citation_lines = [], []
    for i in range(papers):
        corpus = 1000 + i
        refs = sorted(rng.sample(range(1000, corpus), min(i, rng.randint(0, 8))))
        references[corpus] = refs
        ext = {"DOI": f"10.1/{corpus}", "ArXiv": None, "CorpusId": str(corpus)}
        paper_lines.append(
            {"corpusid": corpus, "title": f"Paper {corpus}", "year": 1990 + i // 20,
             "externalids": ext, "citationcount": 0}
        )  # fmt: skip
        for cited in refs:
            citation_lines.append(
                {"citationid": len(citation_lines), "citingcorpusid": corpus,
                 "citedcorpusid": cited, "isinfluential": rng.random() < 0.2,
                 "contexts": ["as shown in [3]"], "intents": ["background"]}
            )  # fmt: skip
        if rng.random() < 0.05:  # a reference S2 could not resolve
            citation_lines.append(
                {"citationid": len(citation_lines), "citingcorpusid": corpus,
                 "citedcorpusid": None, "isinfluential": False, "contexts": [], "intents": []}
            )  # fmt: skip
    for name, lines in (("papers", paper_lines), ("citations", citation_lines)):
        (folder / name).mkdir()
        half = len(lines) // 2
        for n, part in enumerate((lines[:half], lines[half:])):
            with gzip.open(folder / name / f"part{n}.jsonl.gz", "wt", encoding="utf-8") as fh:
                fh.writelines(json.dumps(line) + "\n" for line in part)
    return references


def extract(folder: Path, seeds: list[int]) -> tuple[Path, Path]:
    edges, nodes = folder / "edges.parquet", folder / "nodes.parquet"
    con = duckdb.connect()
    params = {
        "citations": str(folder / "citations" / "*.jsonl.gz"),
        "papers": str(folder / "papers" / "*.jsonl.gz"),
        "seeds": seeds,
        "edges": str(edges),
        "nodes": str(nodes),
    }
    for statement in NEIGHBOURHOOD_SQL.split(";"):
        text = "\n".join(line.split("--")[0] for line in statement.splitlines()).strip()
        if text:
            used = {k: v for k, v in params.items() if f"${k}" in text}
            con.execute(text, used)
    con.close()
    return edges, nodes


def test_the_query_takes_the_depth_2_neighbourhood(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    references = write_shards(tmp_path, 1500)
    seeds = [1700, 2000, 2300]
    edges_file, nodes_file = extract(tmp_path, seeds)

    citers: dict[int, set[int]] = {}
    for citing, refs in references.items():
        for cited in refs:
            citers.setdefault(cited, set()).add(citing)
    hop1 = set(seeds)
    for s in seeds:
        hop1 |= set(references[s]) | citers.get(s, set())
    expected = sorted((c, r) for c in hop1 for r in references[c])

    edges = pq.read_table(edges_file).to_pydict()
    assert list(zip(edges["citing"], edges["cited"], strict=True)) == expected
    nodes = pq.read_table(nodes_file).to_pydict()
    assert nodes["corpusid"] == sorted(hop1 | {r for _, r in expected})
    assert nodes["doi"][0] == f"10.1/{nodes['corpusid'][0]}"

    # the ranking of graph/ runs unchanged on the extracted graph
    from implicit_atlas.graph.related import related_papers

    G = nx.DiGraph()
    G.add_nodes_from(
        (f"corpus:{c}", {"title": t, "year": y})
        for c, t, y in zip(nodes["corpusid"], nodes["title"], nodes["year"], strict=True)
    )
    G.add_edges_from(
        (f"corpus:{u}", f"corpus:{v}", {"kind": "cites", "is_influential": i})
        for u, v, i in zip(edges["citing"], edges["cited"], edges["isinfluential"], strict=True)
    )
    ranked = [p.key for p in related_papers(G, ["corpus:2000"], top=10).papers]
    assert len(ranked) == 10 and "corpus:2000" not in ranked


def test_docs_show_the_query_that_is_tested() -> None:
    docs = Path(__file__).resolve().parents[1] / "docs" / "scale.md"
    assert NEIGHBOURHOOD_SQL.strip() in docs.read_text(encoding="utf-8")
